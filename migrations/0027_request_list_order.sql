-- The request list over all statuses (the /requests page and GET /api/v1/requests without a status) is
-- ordered by due time, undated last (`requests::list`). Without an index in that very order, SQLite sorted
-- every request an agency ever received to show 25: 0.5-0.8 s per call on a million requests, 2-3 ms with
-- these (measured on `make bench`'s data). The expressions must stay those of the query's ORDER BY.
CREATE INDEX requests_incoming_by_due ON requests(to_agency_id, due_at IS NULL, due_at, id);
CREATE INDEX requests_outgoing_by_due ON requests(from_agency_id, due_at IS NULL, due_at, id);
