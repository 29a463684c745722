-- The inbox's outgoing list walks the sender's requests newest first.
CREATE INDEX requests_outgoing_updated ON requests(from_agency_id, updated_at);
