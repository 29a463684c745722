-- Tokens for systems and scripts calling /api/v1 (issue 18). A token acts as its owner, within its scopes,
-- until it expires or is revoked. Only the SHA-256 of the secret is kept: the secret is shown once, and a
-- copy of the database signs nothing in. 256 random bits need no slow hash.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    -- Comma-separated, each one of read, write, indicators, notifications.
    scopes       TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    -- What the token is bound to: a digest of the owner's password hash, second-factor epoch, agency and
    -- role when it was made. A reset or change of any of them ends the token, as it ends sessions.
    binding      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id, id);

-- A create retried with the same Idempotency-Key answers the first result instead of creating twice. The
-- row is taken before the create runs (status NULL) and completed with the answer; the key is scoped to the
-- token, and the request's fingerprint catches a key reused for a different request.
CREATE TABLE api_idempotency (
    token_id     INTEGER NOT NULL REFERENCES api_tokens(id),
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER,
    body         TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX api_idempotency_age ON api_idempotency(created_at);
