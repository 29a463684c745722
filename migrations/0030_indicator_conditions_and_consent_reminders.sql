-- Conditions of use (issue 20), continued.

-- An indicator carries handling conditions as a response does (H0-H3 beside its TLP), set by the agency that
-- adds it: they show beside it on the case page and travel in its STIX as statement markings.
ALTER TABLE indicators ADD COLUMN h0 INTEGER NOT NULL DEFAULT 0 CHECK (h0 IN (0, 1));
ALTER TABLE indicators ADD COLUMN h1 INTEGER NOT NULL DEFAULT 0 CHECK (h1 IN (0, 1));
ALTER TABLE indicators ADD COLUMN h2 INTEGER NOT NULL DEFAULT 0 CHECK (h2 IN (0, 1));
ALTER TABLE indicators ADD COLUMN h3 TEXT CHECK (h3 IS NULL OR length(h3) BETWEEN 1 AND 2000);

-- A consent awaited is reminded of like a request: due within 24 hours, then overdue, to the provider's
-- officers; and the asker's side is e-mailed the answer. The notifications' kinds are widened (SQLite changes
-- a CHECK only by making the table again; its indexes and triggers of migration 0028 are made again with it,
-- and the e-mail trigger takes the new kinds). No table refers to it; ids are kept for the e-mail log.
CREATE TABLE notifications_new (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL CHECK (kind IN ('new_request', 'acknowledged', 'response', 'due_soon', 'overdue', 'approval_needed',
                   'consent_asked', 'consent_answered', 'consent_due_soon', 'consent_overdue')),
    title      TEXT NOT NULL,
    link       TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT,
    agency     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    subject    TEXT,
    UNIQUE (user_id, dedupe_key)
);
INSERT INTO notifications_new (id, user_id, kind, title, link, dedupe_key, created_at, read_at, agency, detail, subject)
    SELECT id, user_id, kind, title, link, dedupe_key, created_at, read_at, agency, detail, subject FROM notifications;
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
WHEN new.kind IN ('new_request', 'response', 'due_soon', 'overdue', 'approval_needed',
                  'consent_asked', 'consent_answered', 'consent_due_soon', 'consent_overdue')
 AND (SELECT email_alerts <> 'off' AND email IS NOT NULL AND status = 'active' FROM users WHERE id = new.user_id)
BEGIN
    INSERT INTO email_outbox (user_id, notification_id, kind, request_id, created_at, next_attempt_at)
    VALUES (new.user_id, new.id, new.kind,
            (SELECT id FROM requests WHERE new.link GLOB '/requests/[0-9]*' AND id = CAST(substr(new.link, 11) AS INTEGER)),
            new.created_at, new.created_at);
END;
