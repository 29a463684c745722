-- Search rows keyed kind-major: rowid = kind * 2^40 + object id (1 case, 2 request, 3 response,
-- 4 indicator, 5 entity). Each kind is then one rowid range that FTS5 walks newest-first and stops
-- early in, instead of ranking every match of a common word (the id * 8 + kind key interleaved kinds).

DROP TRIGGER search_case_insert;
DROP TRIGGER search_case_update;
DROP TRIGGER search_request_insert;
DROP TRIGGER search_request_update;
DROP TRIGGER search_response_insert;
DROP TRIGGER search_indicator_insert;
DROP TRIGGER search_indicator_delete;
DROP TRIGGER search_entity_insert;
DROP TABLE search_index;

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
    VALUES ((1 << 40) + new.id, 'case', new.id, new.id, new.reference || ' ' || new.title, new.summary);
END;
CREATE TRIGGER search_case_update AFTER UPDATE OF title, summary ON cases BEGIN
    DELETE FROM search_index WHERE rowid = (1 << 40) + old.id;
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES ((1 << 40) + new.id, 'case', new.id, new.id, new.reference || ' ' || new.title, new.summary);
END;

CREATE TRIGGER search_request_insert AFTER INSERT ON requests BEGIN
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES ((2 << 40) + new.id, 'request', new.id, new.case_id, new.subject, new.body);
END;
CREATE TRIGGER search_request_update AFTER UPDATE OF subject, body ON requests BEGIN
    DELETE FROM search_index WHERE rowid = (2 << 40) + old.id;
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES ((2 << 40) + new.id, 'request', new.id, new.case_id, new.subject, new.body);
END;

CREATE TRIGGER search_response_insert AFTER INSERT ON responses BEGIN
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES ((3 << 40) + new.id, 'response', new.id, (SELECT case_id FROM requests WHERE id = new.request_id), '', new.body);
END;

CREATE TRIGGER search_indicator_insert AFTER INSERT ON indicators BEGIN
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES ((4 << 40) + new.id, 'indicator', new.id, new.case_id, new.value, new.note);
END;
CREATE TRIGGER search_indicator_delete AFTER DELETE ON indicators BEGIN
    DELETE FROM search_index WHERE rowid = (4 << 40) + old.id;
END;

CREATE TRIGGER search_entity_insert AFTER INSERT ON entities BEGIN
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES ((5 << 40) + new.id, 'entity', new.id, new.case_id, new.name, new.identifier || ' ' || new.note);
END;

INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT (1 << 40) + id, 'case', id, id, reference || ' ' || title, summary FROM cases;
INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT (2 << 40) + id, 'request', id, case_id, subject, body FROM requests;
INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT (3 << 40) + r.id, 'response', r.id, q.case_id, '', r.body FROM responses r JOIN requests q ON q.id = r.request_id;
INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT (4 << 40) + id, 'indicator', id, case_id, value, note FROM indicators;
INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT (5 << 40) + id, 'entity', id, case_id, name, identifier || ' ' || note FROM entities;
