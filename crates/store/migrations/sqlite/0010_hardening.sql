-- Hardening (issue 13).
--
-- Destruction that destroys: a file's registry row stays (records point
-- at it) but says when it was destroyed; its bytes go from the store and
-- its extracted text from blob_texts. blob_destructions is the tombstone:
-- why (a disposal, or an upload no record claimed in time), when it was
-- decided, and when the bytes were gone. A destruction decided but not
-- yet carried out (the server stopped) is finished at the next start.
ALTER TABLE blobs ADD COLUMN destroyed_at TEXT;
CREATE TABLE blob_destructions (
    sha256       TEXT PRIMARY KEY NOT NULL REFERENCES blobs(sha256),
    reason       TEXT NOT NULL,
    disposal_id  INTEGER REFERENCES disposals(id),
    decided_at   TEXT NOT NULL,
    destroyed_at TEXT
);
CREATE INDEX blob_destructions_pending ON blob_destructions (destroyed_at);
-- Everyone who uploaded a file (the same content may come from several
-- people): each may put it on a record of his, and read it until a record
-- holds it.
CREATE TABLE blob_uploads (
    sha256      TEXT NOT NULL REFERENCES blobs(sha256),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (sha256, user_id)
);
CREATE INDEX blob_uploads_at ON blob_uploads (uploaded_at);
INSERT INTO blob_uploads (sha256, user_id, uploaded_at) SELECT sha256, created_by, created_at FROM blobs WHERE created_by IS NOT NULL;
-- An archive item whose file was disposed no longer holds its scan.
ALTER TABLE archive_items ADD COLUMN disposed_at TEXT;

-- Sign-in throttling: failures per source address, per account from an
-- address, and per account (domain::throttle).
CREATE TABLE login_throttle (
    key             TEXT PRIMARY KEY NOT NULL,
    failures        INTEGER NOT NULL,
    last_failure_at TEXT NOT NULL
);

-- Idempotency-Key: the first answer to a creating request, kept at least
-- 24 hours; the key is recorded in the transaction of the change it made.
CREATE TABLE idempotency_keys (
    key_hash     TEXT PRIMARY KEY NOT NULL,
    user_id      INTEGER,
    fingerprint  TEXT NOT NULL,
    target       TEXT NOT NULL,
    request_id   TEXT NOT NULL,
    status       INTEGER,
    content_type TEXT,
    body         BLOB,
    created_at   TEXT NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
