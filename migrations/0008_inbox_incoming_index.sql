-- The inbox's incoming list: an agency's open requests read in due order straight from the index, so the
-- first page costs the same whatever the number of open requests (it sorted them all before).
CREATE INDEX requests_open_incoming ON requests(to_agency_id, due_at IS NULL, due_at, id)
    WHERE status IN ('sent', 'acknowledged', 'in_progress');
