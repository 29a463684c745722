-- Separation of duties: an admin's change that opens case content (a role that reads it, another agency,
-- re-enabling, a new account) waits here until someone else confirms it: a supervisor of the agency's
-- country, or a second admin when the account is (or becomes) an admin. A password reset waits the same
-- way, and its temporary password (like a new account's) goes to the confirmer, never to the admin who
-- asked: no admin alone ever holds a credential that opens case content. One open change per account.
CREATE TABLE account_changes (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL CHECK (kind IN ('create', 'update', 'enable', 'reset_password', 'reset_second_factor')),
    -- The account as it was when asked: who confirms is decided from this, not from later changes.
    from_role     TEXT NOT NULL CHECK (from_role IN ('officer', 'supervisor', 'admin')),
    from_agency_id INTEGER NOT NULL REFERENCES agencies(id),
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
-- Temporary passwords issued before this version get a day from the upgrade.
UPDATE users SET temporary_expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+1 day') WHERE must_change_password = 1;
