-- Platform: agencies, users, the tamper-evident audit trail.
-- Times are UTC text written by the application (RFC 3339).

CREATE TABLE agencies (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) BETWEEN 2 AND 16),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 2 AND 120),
    country    TEXT NOT NULL CHECK (country IN ('IN', 'CA')),
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 3 AND 40),
    display_name         TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
    role                 TEXT NOT NULL CHECK (role IN ('officer', 'supervisor', 'admin')),
    agency_id            INTEGER NOT NULL REFERENCES agencies(id),
    time_zone            TEXT NOT NULL,
    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    failed_attempts      INTEGER NOT NULL DEFAULT 0,
    locked_until         TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX users_agency ON users(agency_id);

-- Append-only: each row's hash = SHA-256(prev_hash || canonical encoding of the row).
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER,
    username    TEXT,
    agency_code TEXT,
    country     TEXT,
    client_ip   TEXT,
    action      TEXT NOT NULL,
    object_type TEXT,
    object_id   TEXT,
    outcome     TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    details     TEXT NOT NULL DEFAULT '{}',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_events_user ON audit_events(user_id, id);
CREATE INDEX audit_events_country ON audit_events(country, id);
CREATE INDEX audit_events_action ON audit_events(action, id);
CREATE INDEX audit_events_at ON audit_events(at);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
