-- Every request's sending agency is a party of its case (requests.rs `insert`). Before, a supervisor
-- could send on a case of their country their own agency was not party to, and that agency's officers
-- then could not see what had been sent in its name.
INSERT OR IGNORE INTO case_parties (case_id, agency_id, added_at)
SELECT case_id, from_agency_id, MIN(created_at) FROM requests GROUP BY case_id, from_agency_id;
