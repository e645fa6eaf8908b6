-- Search and digitisation (m.8/19, m.16/2-a): the text of each stored
-- file (extracted or OCR'd by background jobs whose queue is this table),
-- the archive items imported from scans, and the log of changes the search
-- index follows.

-- One row per blob whose text is wanted. `state`: queued, running, done,
-- partial (some text, with `reason`), failed (`reason` says why: corrupt,
-- encrypted, empty, image too large, unsupported, OCR unavailable…).
CREATE TABLE blob_texts (
    sha256      TEXT PRIMARY KEY NOT NULL REFERENCES blobs(sha256),
    state       TEXT NOT NULL,
    reason      TEXT,
    method      TEXT,
    pages       INTEGER,
    text        TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    -- When a queued job may run (backoff after a transient failure), or
    -- when a running job's lease runs out (a crashed worker's job is taken
    -- up again).
    next_at     TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX blob_texts_waiting ON blob_texts (state, next_at);

-- Scanned paper documents of the archive, classified per the Standard
-- File Plan; one per file content (the import is keyed on the hash).
CREATE TABLE archive_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256      TEXT NOT NULL UNIQUE REFERENCES blobs(sha256),
    title       TEXT NOT NULL,
    source_path TEXT NOT NULL,
    file_code   TEXT NOT NULL,
    year        INTEGER NOT NULL,
    unit        TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by INTEGER REFERENCES users(id)
);

-- Every change to something searchable appends the key of what changed
-- (`incoming:42`, `archive:7`), in the change's transaction. Writers are
-- serialised, so ids follow commit order, and each index remembers the
-- last id it applied: after a crash it catches up from there.
CREATE TABLE search_changes (
    id  INTEGER PRIMARY KEY AUTOINCREMENT,
    doc TEXT NOT NULL
);
