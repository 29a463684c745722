-- Full-text search over what officers write: case titles and summaries, request subjects and bodies,
-- responses, indicator values and notes. Kept in sync by triggers, so no code path can forget it.
-- rowid = object id * 8 + kind (1 case, 2 request, 3 response, 4 indicator): updates delete by rowid.

CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED,
    object_id UNINDEXED,
    case_id UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_case_insert AFTER INSERT ON cases BEGIN
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES (new.id * 8 + 1, 'case', new.id, new.id, new.reference || ' ' || new.title, new.summary);
END;
CREATE TRIGGER search_case_update AFTER UPDATE OF title, summary ON cases BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 1;
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES (new.id * 8 + 1, 'case', new.id, new.id, new.reference || ' ' || new.title, new.summary);
END;

CREATE TRIGGER search_request_insert AFTER INSERT ON requests BEGIN
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES (new.id * 8 + 2, 'request', new.id, new.case_id, new.subject, new.body);
END;
CREATE TRIGGER search_request_update AFTER UPDATE OF subject, body ON requests BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 2;
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES (new.id * 8 + 2, 'request', new.id, new.case_id, new.subject, new.body);
END;

CREATE TRIGGER search_response_insert AFTER INSERT ON responses BEGIN
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES (new.id * 8 + 3, 'response', new.id, (SELECT case_id FROM requests WHERE id = new.request_id), '', new.body);
END;

CREATE TRIGGER search_indicator_insert AFTER INSERT ON indicators BEGIN
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES (new.id * 8 + 4, 'indicator', new.id, new.case_id, new.value, new.note);
END;
CREATE TRIGGER search_indicator_delete AFTER DELETE ON indicators BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 4;
END;

-- Anything that existed before this migration.
INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT id * 8 + 1, 'case', id, id, reference || ' ' || title, summary FROM cases;
INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT id * 8 + 2, 'request', id, case_id, subject, body FROM requests;
INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT r.id * 8 + 3, 'response', r.id, q.case_id, '', r.body FROM responses r JOIN requests q ON q.id = r.request_id;
INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT id * 8 + 4, 'indicator', id, case_id, value, note FROM indicators;
