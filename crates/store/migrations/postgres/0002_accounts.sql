-- Accounts: failed sign-ins and temporary lockout.
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TIMESTAMPTZ;
CREATE INDEX sessions_user ON sessions (user_id);
