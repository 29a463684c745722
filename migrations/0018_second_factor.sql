-- A second factor at sign-in. TOTP seeds are sealed (XChaCha20-Poly1305) with a key kept outside the
-- database (instance-secrets.key): a copy of the database alone cannot produce codes.
CREATE TABLE totp_factors (
    user_id      INTEGER PRIMARY KEY REFERENCES users(id),
    sealed_seed  BLOB NOT NULL,
    -- NULL while being set up (the first code confirms it).
    confirmed_at TEXT,
    -- The newest time step accepted: each code is accepted once (RFC 6238, section 5.2).
    last_step    INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
);

-- Ten single-use codes for a lost authenticator, kept as keyed hashes (HMAC with the same outside key).
CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at   TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

-- Accounts the demo data makes may sign in without a second factor (the sign-in page says so); accounts
-- made any other way may not.
-- Sessions are bound to the password hash and this number: setting up or resetting a second factor
-- raises it, which ends every other session of the account (one signed in with the password alone, or on a
-- stolen phone).
ALTER TABLE users ADD COLUMN auth_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN second_factor_exempt INTEGER NOT NULL DEFAULT 0 CHECK (second_factor_exempt IN (0, 1));
