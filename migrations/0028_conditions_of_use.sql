-- Conditions of use (issue 20): what a request rests on in law, the handling conditions H0-H3 that travel
-- with information beside TLP, and consent to lift them, asked for and answered with its own deadline.

-- The legal bases a request may name, one list per country, kept by that country's admins. A basis is
-- retired rather than deleted: requests made under it keep naming it.
CREATE TABLE legal_bases (
    id          INTEGER PRIMARY KEY,
    country     TEXT NOT NULL CHECK (country IN ('IN', 'CA')),
    code        TEXT NOT NULL CHECK (length(code) BETWEEN 2 AND 40 AND code NOT GLOB '*[^a-z0-9_]*'),
    label       TEXT NOT NULL CHECK (length(label) BETWEEN 3 AND 200),
    -- A formal mutual-legal-assistance basis: what evidence meant for a court needs.
    formal_mla  INTEGER NOT NULL DEFAULT 0 CHECK (formal_mla IN (0, 1)),
    retired_at  TEXT,
    created_at  TEXT NOT NULL,
    UNIQUE (country, code)
);

INSERT INTO legal_bases (country, code, label, formal_mla, created_at) VALUES
    ('IN', 'mla_treaty', 'India-Canada Treaty on Mutual Legal Assistance in Criminal Matters (1994)', 1, '2026-12-02T00:00:00Z'),
    ('IN', 'police', 'Police-to-police cooperation', 0, '2026-12-02T00:00:00Z'),
    ('IN', 'interpol', 'INTERPOL channel (NCB New Delhi)', 0, '2026-12-02T00:00:00Z'),
    ('IN', 'cyber_ir', 'Incident-response arrangement between the cyber agencies (CERT-In)', 0, '2026-12-02T00:00:00Z'),
    ('IN', 'voluntary', 'Voluntary disclosure', 0, '2026-12-02T00:00:00Z'),
    ('CA', 'mla_treaty', 'Canada-India Treaty on Mutual Legal Assistance in Criminal Matters (1994)', 1, '2026-12-02T00:00:00Z'),
    ('CA', 'police', 'Police-to-police cooperation', 0, '2026-12-02T00:00:00Z'),
    ('CA', 'interpol', 'INTERPOL channel (NCB Ottawa)', 0, '2026-12-02T00:00:00Z'),
    ('CA', 'cyber_ir', 'Incident-response arrangement between the cyber agencies (Cyber Centre)', 0, '2026-12-02T00:00:00Z'),
    ('CA', 'voluntary', 'Voluntary disclosure', 0, '2026-12-02T00:00:00Z');

-- A request's legal basis (NULL only on requests made before this migration), the sender's words on it,
-- and whether what it asks for is meant as evidence in court (then a formal MLA request is needed; its
-- reference goes in mla_reference once known).
ALTER TABLE requests ADD COLUMN legal_basis_id INTEGER REFERENCES legal_bases(id);
ALTER TABLE requests ADD COLUMN legal_basis_note TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN for_court INTEGER NOT NULL DEFAULT 0 CHECK (for_court IN (0, 1));
ALTER TABLE requests ADD COLUMN mla_reference TEXT NOT NULL DEFAULT '';

-- Handling conditions (Europol's SIENA codes): H0 only to prevent and combat crime; H1 not in judicial
-- proceedings without the provider's permission; H2 not passed on without it; H3 other restrictions, in
-- words (NULL: none). On a request they bind its own content and are the least its answers carry.
ALTER TABLE requests ADD COLUMN h0 INTEGER NOT NULL DEFAULT 0 CHECK (h0 IN (0, 1));
ALTER TABLE requests ADD COLUMN h1 INTEGER NOT NULL DEFAULT 0 CHECK (h1 IN (0, 1));
ALTER TABLE requests ADD COLUMN h2 INTEGER NOT NULL DEFAULT 0 CHECK (h2 IN (0, 1));
ALTER TABLE requests ADD COLUMN h3 TEXT CHECK (h3 IS NULL OR length(h3) BETWEEN 1 AND 2000);
ALTER TABLE responses ADD COLUMN h0 INTEGER NOT NULL DEFAULT 0 CHECK (h0 IN (0, 1));
ALTER TABLE responses ADD COLUMN h1 INTEGER NOT NULL DEFAULT 0 CHECK (h1 IN (0, 1));
ALTER TABLE responses ADD COLUMN h2 INTEGER NOT NULL DEFAULT 0 CHECK (h2 IN (0, 1));
ALTER TABLE responses ADD COLUMN h3 TEXT CHECK (h3 IS NULL OR length(h3) BETWEEN 1 AND 2000);

-- Consent to use or pass on what a response gave, asked of its provider by the agency it was given to.
-- Purpose 'judicial' lifts H1, 'pass_on' lifts H2 for one named agency, 'other' answers H3.
CREATE TABLE consents (
    id                INTEGER PRIMARY KEY,
    response_id       INTEGER NOT NULL REFERENCES responses(id),
    request_id        INTEGER NOT NULL REFERENCES requests(id),
    case_id           INTEGER NOT NULL REFERENCES cases(id),
    from_agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    to_agency_id      INTEGER NOT NULL REFERENCES agencies(id),
    purpose           TEXT NOT NULL CHECK (purpose IN ('judicial', 'pass_on', 'other')),
    pass_to_agency_id INTEGER REFERENCES agencies(id),
    reason            TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 5000),
    asked_by          INTEGER NOT NULL REFERENCES users(id),
    asked_at          TEXT NOT NULL,
    due_at            TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'asked'
                      CHECK (status IN ('asked', 'granted', 'partly_granted', 'refused', 'withdrawn')),
    -- The provider's words: the conditions of a grant, the grounds of a refusal.
    answer            TEXT NOT NULL DEFAULT '' CHECK (length(answer) <= 5000),
    answered_by       INTEGER REFERENCES users(id),
    answered_at       TEXT,
    CHECK ((purpose = 'pass_on') = (pass_to_agency_id IS NOT NULL)),
    CHECK (from_agency_id != to_agency_id)
);
CREATE INDEX consents_by_response ON consents(response_id);
CREATE INDEX consents_asked_of ON consents(to_agency_id, status, due_at);
CREATE INDEX consents_asked_by ON consents(from_agency_id, status, due_at);

-- A response's information passed on with another request (to a third agency): a copy of what was given,
-- with its provider and conditions, made when consent allowed it. The copied files are rows of
-- `attachments` on that request whose source_response_id names the response they came with.
CREATE TABLE passed_on (
    id           INTEGER PRIMARY KEY,
    response_id  INTEGER NOT NULL REFERENCES responses(id),
    request_id   INTEGER NOT NULL REFERENCES requests(id),
    consent_id   INTEGER REFERENCES consents(id),
    passed_by    INTEGER NOT NULL REFERENCES users(id),
    passed_at    TEXT NOT NULL,
    UNIQUE (response_id, request_id)
);
CREATE INDEX passed_on_request ON passed_on(request_id);
ALTER TABLE attachments ADD COLUMN source_response_id INTEGER REFERENCES responses(id);

-- Consent asked and answered are notified like requests (and consent asked is e-mailed like a new request):
-- the notifications' kinds are widened, and a notification keeps what its title is made of. SQLite changes a CHECK only by making the table again; its indexes
-- and triggers (migrations 0004, 0009, 0015, 0026) are made again with it. No table refers to it.
CREATE TABLE notifications_new (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL CHECK (kind IN ('new_request', 'acknowledged', 'response', 'due_soon', 'overdue', 'approval_needed',
                   'consent_asked', 'consent_answered')),
    title      TEXT NOT NULL,
    link       TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT,
    -- What the title is made of, so each reader reads it in their own language: the acting agency's code,
    -- a kind-specific code (a response's kind, a consent's purpose or answer, 'urgent'), and the request's
    -- subject (NULL on notifications written before: their English title stays as written).
    agency     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    subject    TEXT,
    UNIQUE (user_id, dedupe_key)
);
INSERT INTO notifications_new (id, user_id, kind, title, link, dedupe_key, created_at, read_at)
    SELECT id, user_id, kind, title, link, dedupe_key, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_unread ON notifications(user_id, read_at, id);
CREATE INDEX notifications_key ON notifications(dedupe_key);

CREATE TRIGGER unread_counts_insert AFTER INSERT ON notifications WHEN NEW.read_at IS NULL BEGIN
    INSERT INTO unread_counts (user_id, unread) VALUES (NEW.user_id, 1)
        ON CONFLICT (user_id) DO UPDATE SET unread = unread + 1;
END;
CREATE TRIGGER unread_counts_read AFTER UPDATE OF read_at ON notifications
    WHEN (OLD.read_at IS NULL) <> (NEW.read_at IS NULL) BEGIN
    INSERT INTO unread_counts (user_id, unread) VALUES (NEW.user_id, CASE WHEN NEW.read_at IS NULL THEN 1 ELSE 0 END)
        ON CONFLICT (user_id) DO UPDATE SET unread = unread + CASE WHEN NEW.read_at IS NULL THEN 1 ELSE -1 END;
END;
CREATE TRIGGER unread_counts_delete AFTER DELETE ON notifications WHEN OLD.read_at IS NULL BEGIN
    UPDATE unread_counts SET unread = unread - 1 WHERE user_id = OLD.user_id;
END;
CREATE TRIGGER notifications_email AFTER INSERT ON notifications
WHEN new.kind IN ('new_request', 'response', 'due_soon', 'overdue', 'approval_needed', 'consent_asked')
 AND (SELECT email_alerts <> 'off' AND email IS NOT NULL AND status = 'active' FROM users WHERE id = new.user_id)
BEGIN
    INSERT INTO email_outbox (user_id, notification_id, kind, request_id, created_at, next_attempt_at)
    VALUES (new.user_id, new.id, new.kind,
            (SELECT id FROM requests WHERE new.link GLOB '/requests/[0-9]*' AND id = CAST(substr(new.link, 11) AS INTEGER)),
            new.created_at, new.created_at);
END;
