-- Named entities on a case (persons, companies, vessels), so an incoming request can be cross-checked
-- against what this side already holds. name_key is the name folded for matching (see entities.rs).
CREATE TABLE entities (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'company', 'vessel')),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_key    TEXT NOT NULL,
    identifier  TEXT NOT NULL DEFAULT '',
    -- The identifier without spaces, dashes or case, for matching ("IMO 932-1483" = "imo9321483").
    identifier_key TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    UNIQUE (case_id, kind, name_key, identifier_key)
);
CREATE INDEX entities_name_key ON entities(name_key, kind);
CREATE INDEX entities_identifier ON entities(identifier_key) WHERE identifier_key != '';

-- rowid kind 5 = entity (see 0003_search.sql).
CREATE TRIGGER search_entity_insert AFTER INSERT ON entities BEGIN
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES (new.id * 8 + 5, 'entity', new.id, new.case_id, new.name, new.identifier || ' ' || new.note);
END;
