-- People and authority: staff records and their appointments to the
-- profile's positions, delegations (m.10/4), deputyships (m.12/2),
-- personal API tokens, and where an account signs in (local or LDAP).
ALTER TABLE users ADD COLUMN auth_source TEXT NOT NULL DEFAULT 'local';

CREATE TABLE staff (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER UNIQUE REFERENCES users(id),
    full_name  TEXT NOT NULL,
    tckn       TEXT UNIQUE,
    kind       TEXT NOT NULL,
    phone_ext  TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- A person holding a position from start_date to end_date (inclusive;
-- NULL: ongoing). The position's unit comes from the profile.
CREATE TABLE appointments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    position   TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX appointments_staff ON appointments (staff_id);

CREATE TABLE delegations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    from_user    INTEGER NOT NULL REFERENCES users(id),
    to_user      INTEGER NOT NULL REFERENCES users(id),
    authority    TEXT NOT NULL,
    valid_from   TEXT NOT NULL,
    valid_until  TEXT NOT NULL,
    approval_ref TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    revoked_at   TEXT,
    revoked_by   INTEGER REFERENCES users(id)
);
CREATE INDEX delegations_to ON delegations (to_user);

CREATE TABLE deputyships (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    deputy       INTEGER NOT NULL REFERENCES users(id),
    for_user     INTEGER NOT NULL REFERENCES users(id),
    valid_from   TEXT NOT NULL,
    valid_until  TEXT NOT NULL,
    approval_ref TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    revoked_at   TEXT,
    revoked_by   INTEGER REFERENCES users(id)
);
CREATE INDEX deputyships_deputy ON deputyships (deputy);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE INDEX audit_actor ON audit_log (actor);
