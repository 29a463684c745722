-- An indicator may be on a case more than once: an agency that cannot see another's (TLP:AMBER+STRICT or
-- TLP:RED) adds its own, and is not told that the other exists. Duplicates the adder can see are still
-- refused, by `indicators::insert` (which knows who sees what). The table is rebuilt without its UNIQUE
-- constraint; the same ids are kept, so the search index stays valid.
CREATE TABLE indicators_new (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL CHECK (kind IN ('ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256',
                    'email', 'crypto_wallet')),
    value       TEXT NOT NULL,
    tlp         TEXT NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber_strict', 'red')),
    first_seen  TEXT,
    last_seen   TEXT,
    note        TEXT NOT NULL DEFAULT '',
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL
);
INSERT INTO indicators_new (id, case_id, kind, value, tlp, first_seen, last_seen, note, created_by, created_at)
    SELECT id, case_id, kind, value, tlp, first_seen, last_seen, note, created_by, created_at FROM indicators;
-- Its triggers go with it (without firing): the search index keeps its rows.
DROP TABLE indicators;
ALTER TABLE indicators_new RENAME TO indicators;
CREATE INDEX indicators_value ON indicators(value);
CREATE INDEX indicators_case ON indicators(case_id, kind, value);

CREATE TRIGGER search_indicator_insert AFTER INSERT ON indicators BEGIN
    INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    VALUES ((4 << 40) + new.id, 'indicator', new.id, new.case_id, new.value, new.note);
END;
CREATE TRIGGER search_indicator_delete AFTER DELETE ON indicators BEGIN
    DELETE FROM search_index WHERE rowid = (4 << 40) + old.id;
END;
