-- In-app notifications. dedupe_key makes reminders idempotent: the background task may run again after a
-- restart and INSERT OR IGNORE keeps one notification per (user, key).

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL CHECK (kind IN ('new_request', 'acknowledged', 'response', 'due_soon', 'overdue', 'approval_needed')),
    title      TEXT NOT NULL,
    link       TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT,
    UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_unread ON notifications(user_id, read_at, id);
