-- The personnel file (issue 19, m.16/1-a): documents filed under the
-- file plan's personnel codes, certificates that expire, and trainings
-- with their attendance.

CREATE TABLE personnel_documents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    kind        TEXT NOT NULL,
    code        TEXT NOT NULL,
    title       TEXT NOT NULL,
    issued_on   TEXT,
    expires_on  TEXT,
    sha256      TEXT REFERENCES blobs(sha256),
    note        TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX personnel_documents_staff ON personnel_documents (staff_id, id);
CREATE INDEX personnel_documents_expiry ON personnel_documents (expires_on) WHERE expires_on IS NOT NULL;
CREATE INDEX personnel_documents_file ON personnel_documents (sha256) WHERE sha256 IS NOT NULL;

CREATE TABLE trainings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT NOT NULL,
    provider    TEXT NOT NULL,
    -- Given by the directorate (1) or attended elsewhere (0).
    ours        BOOLEAN NOT NULL,
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    hours       INTEGER NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX trainings_start ON trainings (starts_on);

CREATE TABLE training_attendance (
    training_id INTEGER NOT NULL REFERENCES trainings(id),
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    attended    BOOLEAN NOT NULL,
    PRIMARY KEY (training_id, staff_id)
);
CREATE INDEX training_attendance_staff ON training_attendance (staff_id);
