-- Service accounts: an agency's other system (its case system, its threat-intelligence platform) reaches
-- /api/v1 as an account of its own, a liaison officer of that agency that never signs in on the pages. It is
-- made through the four-eyes new-account flow, and its tokens are issued by an admin and applied only when
-- the account's confirmer confirms (who then receives the secret, once).
ALTER TABLE users ADD COLUMN service INTEGER NOT NULL DEFAULT 0 CHECK (service IN (0, 1));

-- An account change may now issue a token: the kind 'issue_token' with the token it would make. SQLite
-- cannot change a CHECK, so the table is made again with its rows.
CREATE TABLE account_changes_new (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL
                  CHECK (kind IN ('create', 'update', 'enable', 'reset_password', 'reset_second_factor', 'issue_token')),
    from_role     TEXT NOT NULL CHECK (from_role IN ('officer', 'supervisor', 'admin')),
    from_agency_id INTEGER NOT NULL REFERENCES agencies(id),
    new_role      TEXT CHECK (new_role IN ('officer', 'supervisor', 'admin')),
    new_agency_id INTEGER REFERENCES agencies(id),
    requested_by  INTEGER NOT NULL REFERENCES users(id),
    requested_at  TEXT NOT NULL,
    decision      TEXT CHECK (decision IN ('confirmed', 'refused', 'withdrawn')),
    decided_by    INTEGER REFERENCES users(id),
    decided_at    TEXT,
    grounds       TEXT CHECK (grounds IS NULL OR length(grounds) <= 2000),
    -- The token an 'issue_token' change makes (scopes comma-separated, as api_tokens keeps them).
    token_name    TEXT CHECK (token_name IS NULL OR length(token_name) <= 80),
    token_scopes  TEXT,
    token_days    INTEGER CHECK (token_days IS NULL OR token_days BETWEEN 1 AND 365),
    CHECK ((decision IS NULL) = (decided_at IS NULL)),
    CHECK ((kind = 'issue_token') = (token_name IS NOT NULL AND token_scopes IS NOT NULL AND token_days IS NOT NULL))
);
INSERT INTO account_changes_new (id, user_id, kind, from_role, from_agency_id, new_role, new_agency_id, requested_by,
                                 requested_at, decision, decided_by, decided_at, grounds)
    SELECT id, user_id, kind, from_role, from_agency_id, new_role, new_agency_id, requested_by,
           requested_at, decision, decided_by, decided_at, grounds
    FROM account_changes;
DROP TABLE account_changes;
ALTER TABLE account_changes_new RENAME TO account_changes;
CREATE UNIQUE INDEX account_changes_one_open ON account_changes(user_id) WHERE decision IS NULL;
CREATE INDEX account_changes_open ON account_changes(decision, requested_at);
