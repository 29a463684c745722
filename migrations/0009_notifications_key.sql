-- The reminder task asks "was this reminder already sent?" by key, for any user.
CREATE INDEX notifications_key ON notifications(dedupe_key);
