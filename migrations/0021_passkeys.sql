-- Passkeys (WebAuthn): the phishing-resistant second factor. What is kept is public (the credential's
-- public key, its signature counter): a copy of the database does not let anyone sign in with it.
CREATE TABLE passkeys (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    -- The authenticator's credential id (hex): one credential belongs to one account only.
    credential_id TEXT NOT NULL UNIQUE,
    -- The name the user gave it ("work laptop"), to tell several apart.
    name          TEXT NOT NULL,
    -- webauthn-rs's Passkey as JSON (public key, algorithm, counter).
    passkey       TEXT NOT NULL,
    -- The highest signature counter seen: an authenticator that counts must go up (a clone does not).
    sign_count    INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT
);
CREATE INDEX passkeys_user ON passkeys(user_id);
