-- Two-factor sign-in (issue 18 §5): a person's TOTP secret (RFC 6238),
-- confirmed once a code from it is typed, the last step accepted (a code
-- works once), and the recovery codes kept as SHA-256 digests.

CREATE TABLE user_totp (
    user_id      INTEGER PRIMARY KEY NOT NULL REFERENCES users(id),
    secret       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    confirmed_at TEXT,
    last_step    INTEGER
);

CREATE TABLE user_recovery_codes (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    digest  TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX user_recovery_codes_user ON user_recovery_codes (user_id);

-- Each person sees their sessions and ends any of them (the guide's
-- measure 3.2.2.5): where each was opened from.
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN agent TEXT NOT NULL DEFAULT '';
