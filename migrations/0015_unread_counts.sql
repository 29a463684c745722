-- Every page's header shows the viewer's unread count. Counting it on each page read tens of thousands of
-- index entries for an officer with years of reminders; the count is kept here instead, by the triggers
-- below, so a page reads one row. Kept in the database rather than by the code that writes notifications,
-- so no writer (the reminder task, marking read) can leave it wrong.
CREATE TABLE unread_counts (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    unread  INTEGER NOT NULL CHECK (unread >= 0)
);
INSERT INTO unread_counts (user_id, unread)
    SELECT user_id, COUNT(*) FROM notifications WHERE read_at IS NULL GROUP BY user_id;

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
