-- Incoming correspondence (m.16/1, m.20/1, m.21/1): the register
-- counters, the documents, their attachments and routings (havale), and
-- the administrator's edits of the working calendar.

-- The last number given in each register and numbering period; taken
-- and advanced inside the registering transaction, so numbers are unique
-- and gap-free.
CREATE TABLE register_counters (
    register TEXT NOT NULL,
    period   TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (register, period)
);

CREATE TABLE incoming (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    register         TEXT NOT NULL,
    period           TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    number           TEXT NOT NULL,
    registered_at    TEXT NOT NULL,
    registered_by    INTEGER NOT NULL REFERENCES users(id),
    channel          TEXT NOT NULL,
    sender_kind      TEXT NOT NULL,
    sender_name      TEXT NOT NULL,
    sender_id        TEXT,
    sender_foreign_id TEXT,
    sender_ref       TEXT NOT NULL,
    sender_date      TEXT,
    subject          TEXT NOT NULL,
    file_code        TEXT NOT NULL,
    secondary_codes  TEXT NOT NULL DEFAULT '',
    confidentiality  TEXT NOT NULL,
    urgency          TEXT NOT NULL,
    urgent_date      TEXT,
    personal_data    INTEGER NOT NULL,
    received_on      TEXT NOT NULL,
    legal_basis      TEXT NOT NULL,
    due_date         TEXT NOT NULL,
    delivered_by     TEXT NOT NULL DEFAULT '',
    received_by      TEXT NOT NULL DEFAULT '',
    received_at      TEXT,
    state            TEXT NOT NULL,
    closed_at        TEXT,
    closed_by        INTEGER REFERENCES users(id),
    closing          TEXT,
    closing_note     TEXT,
    answer_ref       TEXT,
    -- 4982 m.11/2: the written notice of the one extension to 30 working days.
    extension_ref    TEXT,
    UNIQUE (register, period, seq)
);
CREATE INDEX incoming_open_due ON incoming (state, due_date);
CREATE INDEX incoming_registered ON incoming (registered_at);

CREATE TABLE incoming_attachments (
    incoming_id INTEGER NOT NULL REFERENCES incoming(id),
    sha256      TEXT NOT NULL REFERENCES blobs(sha256),
    name        TEXT NOT NULL,
    PRIMARY KEY (incoming_id, sha256)
);

-- One recipient of a routing: a unit (its head takes delivery) or a
-- person, for action or for information.
CREATE TABLE routings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    incoming_id  INTEGER NOT NULL REFERENCES incoming(id),
    parent_id    INTEGER REFERENCES routings(id),
    routed_by    INTEGER NOT NULL REFERENCES users(id),
    routed_at    TEXT NOT NULL,
    basis        TEXT NOT NULL,
    to_unit      TEXT,
    to_user      INTEGER REFERENCES users(id),
    purpose      TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    internal_due TEXT,
    delivered_at TEXT,
    delivered_by INTEGER REFERENCES users(id),
    -- The earlier of the document's legal deadline and this routing's
    -- internal one (kept when a deadline is extended).
    due          TEXT NOT NULL,
    -- The document is not closed: what trays and due lists look at, kept
    -- small by the partial indexes below however many years are stored.
    open         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX routings_incoming ON routings (incoming_id);
CREATE INDEX routings_open_user ON routings (to_user, due) WHERE open;
CREATE INDEX routings_open_unit ON routings (to_unit, due) WHERE open;
CREATE INDEX routings_open_due ON routings (due) WHERE open;

-- An administrator's edit of a date: an idari izin day, a correction of a
-- shipped holiday, or a holiday declared a working day.
CREATE TABLE calendar_days (
    day        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
