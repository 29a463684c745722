-- The TAXII feed (issue 18) reads indicators in the order they were added, a page at a time.
CREATE INDEX indicators_added ON indicators(created_at, id);
