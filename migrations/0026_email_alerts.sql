-- E-mail alerts (issue 18): an account may give an address and choose alerts for each event or a daily
-- digest. An alert says which reference needs attention, never what it holds.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN email_alerts TEXT NOT NULL DEFAULT 'off' CHECK (email_alerts IN ('off', 'each', 'daily'));
-- When the last daily digest went out.
ALTER TABLE users ADD COLUMN email_digest_at TEXT;

-- The outbox, which is also the send log: one row per alert, written in the transaction of the event that
-- caused it (nothing acknowledged is lost to a crash), sent by the server's mail task with retries.
CREATE TABLE email_outbox (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    -- Not a foreign key: a confirmed move deletes the account's notifications (its queued alerts are then
    -- marked failed, `notifications::forget_all`), and the log outlives them.
    notification_id INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    -- The request the alert is about (its reference, priority and due time are read when it is sent).
    request_id      INTEGER REFERENCES requests(id),
    created_at      TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    -- The address it went to (the account's address may change later).
    sent_to         TEXT,
    last_error      TEXT
);
CREATE INDEX email_outbox_due ON email_outbox(status, next_attempt_at);

-- Which notifications become e-mail: those of accounts with alerts on and an address, of the kinds that
-- ask for action (a mere acknowledgement does not). Written by a trigger so that every way a notification
-- is made (requests, responses, approvals, deadline reminders) queues its e-mail in the same transaction.
CREATE TRIGGER notifications_email AFTER INSERT ON notifications
WHEN new.kind IN ('new_request', 'response', 'due_soon', 'overdue', 'approval_needed')
 AND (SELECT email_alerts <> 'off' AND email IS NOT NULL AND status = 'active' FROM users WHERE id = new.user_id)
BEGIN
    INSERT INTO email_outbox (user_id, notification_id, kind, request_id, created_at, next_attempt_at)
    VALUES (new.user_id, new.id, new.kind,
            (SELECT id FROM requests WHERE new.link GLOB '/requests/[0-9]*' AND id = CAST(substr(new.link, 11) AS INTEGER)),
            new.created_at, new.created_at);
END;
