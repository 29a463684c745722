-- "My cases" lists an officer's cases newest first: with updated_at in the index the list stops at its
-- page instead of sorting every case the officer leads. Counting a case's open requests reads the
-- status from the index instead of opening each request row.
CREATE INDEX cases_lead_updated ON cases(lead_user_id, updated_at);
DROP INDEX cases_lead;
CREATE INDEX requests_case_status ON requests(case_id, status);
DROP INDEX requests_case;
