-- Every new audit event must extend the chain: the next id, linked to the newest event's hash. This also
-- refuses INSERT OR REPLACE, which replaces a row without firing the delete trigger (the replaced row's
-- id is not the next one), and an event slipped in with a forged link.
CREATE TRIGGER audit_events_extend_chain BEFORE INSERT ON audit_events
WHEN NEW.id IS NOT (SELECT COALESCE(MAX(id), 0) + 1 FROM audit_events)
  OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_events WHERE id = NEW.id - 1),
                                   '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
    SELECT RAISE(ABORT, 'audit_events: a new event must extend the chain');
END;

-- Signed statements that the chain reached an event with a given hash (backend::platform::checkpoints).
CREATE TABLE audit_checkpoints (
    id          INTEGER PRIMARY KEY,
    last_id     INTEGER NOT NULL,
    last_hash   TEXT NOT NULL,
    at          TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    signature   TEXT NOT NULL
);

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;

CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;

-- A checkpoint is added after the newest, for a later event: INSERT OR REPLACE cannot swap an old one in,
-- and the newest checkpoint (what the signer continues from) is always the highest id.
CREATE TRIGGER audit_checkpoints_append BEFORE INSERT ON audit_checkpoints
WHEN NEW.id IS NOT (SELECT COALESCE(MAX(id), 0) + 1 FROM audit_checkpoints)
  OR NEW.last_id <= COALESCE((SELECT last_id FROM audit_checkpoints ORDER BY id DESC LIMIT 1), 0)
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints: a new checkpoint must follow the newest');
END;
