-- Opening or downloading a file only looks at a case: the case history lists it among the views, not the
-- changes. The partial index of changes is made again with the condition of the query word for word
-- (`cases::VIEW_ACTIONS`): SQLite uses a partial index only then (a test checks the query plan).
DROP INDEX audit_events_case_changes;
CREATE INDEX audit_events_case_changes ON audit_events(case_id, id)
    WHERE action NOT IN ('case.read', 'request.read', 'request.cross_check', 'attachment.read', 'attachment.download');
