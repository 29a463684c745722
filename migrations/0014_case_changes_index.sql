-- The case page lists a case's changes apart from its views (cases.rs `history`). Views outnumber
-- changes many times over; this index holds only the changes, so listing them never steps over views.
-- The condition must stay word for word the one in the query: SQLite uses a partial index only then.
CREATE INDEX audit_events_case_changes ON audit_events(case_id, id)
    WHERE action NOT IN ('case.read', 'request.read', 'request.cross_check');
