-- Outgoing letters (m.15/3, m.20/2-3, m.21/2): the draft with its
-- recipients, references (ilgi), attachments and approval chain; the
-- number and date given at the final signature, never earlier; e-imza
-- signature files kept for later verification.

CREATE TABLE outgoing (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- internal (another directorate) or external (an outside body)
    kind            TEXT NOT NULL,
    -- draft, in_approval, returned, rejected, signed, dispatched
    state           TEXT NOT NULL,
    -- Bumped by every edit; the initials collected belong to a version
    -- and are dropped by an edit.
    version         INTEGER NOT NULL DEFAULT 1,
    writer          INTEGER NOT NULL REFERENCES users(id),
    writer_position TEXT NOT NULL,
    unit            TEXT NOT NULL,
    heading         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    file_code       TEXT NOT NULL,
    confidentiality TEXT NOT NULL,
    urgency         TEXT NOT NULL,
    urgent_date     TEXT,
    personal_data   INTEGER NOT NULL DEFAULT 0,
    contact         TEXT NOT NULL DEFAULT '',
    -- The note of the last return or rejection.
    note            TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    period          TEXT,
    seq             INTEGER,
    number          TEXT UNIQUE,
    signed_at       TEXT,
    signed_by       INTEGER REFERENCES users(id),
    signer_name     TEXT,
    signer_title    TEXT,
    sign_basis      TEXT,
    -- SHA-256 of the letter's content as signed (what an e-imza signs).
    content_sha256  TEXT,
    -- Dispatch (m.21/2): hand (against signature), kep, email, post,
    -- eyazisma (its package comes with a later issue).
    dispatched_at   TEXT,
    dispatched_by   INTEGER REFERENCES users(id),
    dispatch_channel TEXT,
    dispatch_ref    TEXT,
    UNIQUE (period, seq)
);
CREATE INDEX outgoing_state ON outgoing (state, id);
CREATE INDEX outgoing_writer ON outgoing (writer, id);
CREATE INDEX outgoing_signed ON outgoing (signed_at, id);

CREATE TABLE outgoing_recipients (
    outgoing_id INTEGER NOT NULL REFERENCES outgoing(id),
    ord         INTEGER NOT NULL,
    -- muhatap (addressed), action (gereği), info (bilgi)
    role        TEXT NOT NULL,
    -- institution (DETSİS), directorate (a unit of the municipality), person, company
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    detsis      TEXT,
    address     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (outgoing_id, ord)
);

CREATE TABLE outgoing_refs (
    outgoing_id INTEGER NOT NULL REFERENCES outgoing(id),
    ord         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    -- An incoming document this letter answers: closed when it is signed.
    incoming_id INTEGER REFERENCES incoming(id),
    PRIMARY KEY (outgoing_id, ord)
);

CREATE TABLE outgoing_steps (
    outgoing_id INTEGER NOT NULL REFERENCES outgoing(id),
    ord         INTEGER NOT NULL,
    position    TEXT NOT NULL,
    -- initial (paraf) or sign (imza)
    action      TEXT NOT NULL,
    authority   TEXT NOT NULL,
    done_by     INTEGER REFERENCES users(id),
    done_at     TEXT,
    basis       TEXT,
    PRIMARY KEY (outgoing_id, ord)
);

CREATE TABLE outgoing_attachments (
    outgoing_id INTEGER NOT NULL REFERENCES outgoing(id),
    sha256      TEXT NOT NULL REFERENCES blobs(sha256),
    name        TEXT NOT NULL,
    PRIMARY KEY (outgoing_id, sha256)
);

-- e-imza: a CAdES or XAdES signature file over the letter's hash, kept
-- for verification by the tools that can (outside this machine).
CREATE TABLE outgoing_signatures (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    outgoing_id INTEGER NOT NULL REFERENCES outgoing(id),
    sha256      TEXT NOT NULL REFERENCES blobs(sha256),
    format      TEXT NOT NULL,
    signed_hash TEXT NOT NULL,
    added_by    INTEGER NOT NULL REFERENCES users(id),
    added_at    TEXT NOT NULL
);
