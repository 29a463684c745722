-- Separation of duties: an admin's change that opens case content (a role that reads it, another agency,
-- re-enabling, a new account) waits here until someone else confirms it: a supervisor of the agency's
-- country, or a second admin when the account is (or becomes) an admin. One open change per account.
CREATE TABLE account_changes (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL CHECK (kind IN ('create', 'update', 'enable')),
    -- What the account becomes once confirmed; NULL keeps the current value.
    new_role      TEXT CHECK (new_role IN ('officer', 'supervisor', 'admin')),
    new_agency_id INTEGER REFERENCES agencies(id),
    requested_by  INTEGER NOT NULL REFERENCES users(id),
    requested_at  TEXT NOT NULL,
    decision      TEXT CHECK (decision IN ('confirmed', 'refused', 'withdrawn')),
    decided_by    INTEGER REFERENCES users(id),
    decided_at    TEXT,
    grounds       TEXT CHECK (grounds IS NULL OR length(grounds) <= 2000),
    CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE UNIQUE INDEX account_changes_one_open ON account_changes(user_id) WHERE decision IS NULL;
CREATE INDEX account_changes_open ON account_changes(decision, requested_at);

-- Temporary passwords (new account, reset) expire, and work for one sign-in only.
ALTER TABLE users ADD COLUMN temporary_expires_at TEXT;
ALTER TABLE users ADD COLUMN temporary_used INTEGER NOT NULL DEFAULT 0 CHECK (temporary_used IN (0, 1));
