-- The archive (m.22): files (dosya) per Standard File Plan code, unit and
-- year, with the retention and disposal code the plan gave when they were
-- opened; the documents filed into them; and disposals by the
-- ayıklama-imha commission, each leaving a tombstone of what it disposed.

CREATE TABLE disposals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_ref  TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    -- The commission's members, one per line (at least three).
    members       TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    recorded_by   INTEGER NOT NULL REFERENCES users(id),
    recorded_at   TEXT NOT NULL
);

CREATE TABLE archive_files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    file_code     TEXT NOT NULL,
    unit          TEXT NOT NULL,
    year          INTEGER NOT NULL,
    title         TEXT NOT NULL,
    -- open, closed, disposed
    state         TEXT NOT NULL,
    -- From the plan when opened: years, or B (kept at the institution).
    retention     TEXT NOT NULL,
    -- A, A1, A2, A3 (to the State Archives), C, D
    disposal_code TEXT NOT NULL,
    opened_at     TEXT NOT NULL,
    opened_by     INTEGER REFERENCES users(id),
    closed_at     TEXT,
    closed_by     INTEGER REFERENCES users(id),
    disposal_id   INTEGER REFERENCES disposals(id),
    UNIQUE (file_code, unit, year)
);
CREATE INDEX archive_files_state ON archive_files (state, year);

CREATE TABLE archive_file_documents (
    -- incoming:ID, outgoing:ID, archive:ID; a document is in one file.
    doc      TEXT PRIMARY KEY NOT NULL,
    file_id  INTEGER NOT NULL REFERENCES archive_files(id),
    filed_at TEXT NOT NULL,
    filed_by INTEGER REFERENCES users(id)
);
CREATE INDEX archive_file_documents_file ON archive_file_documents (file_id);

-- What a disposal destroyed: kept for ever.
CREATE TABLE disposal_tombstones (
    disposal_id   INTEGER NOT NULL REFERENCES disposals(id),
    file_id       INTEGER NOT NULL REFERENCES archive_files(id),
    file_code     TEXT NOT NULL,
    unit          TEXT NOT NULL,
    year          INTEGER NOT NULL,
    title         TEXT NOT NULL,
    retention     TEXT NOT NULL,
    disposal_code TEXT NOT NULL,
    documents     TEXT NOT NULL,
    disposed_at   TEXT NOT NULL,
    PRIMARY KEY (disposal_id, file_id)
);
