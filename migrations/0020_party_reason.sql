-- Why an agency is party to a case: named by the owning side (NULL), or brought in by a request of the
-- owning side to it (that request). Such a party is shown only to those for whom that thread exists: other
-- parties must not learn from the party list that a thread with it exists.
ALTER TABLE case_parties ADD COLUMN via_request INTEGER REFERENCES requests(id);
