-- Issue 18, the rest of the security records: an audit's evidence files
-- and its gaps made actions (§1), the KVKK processing inventory (§2,
-- VERBİS), and versioned policies with their acknowledgements (§4; the
-- KVKK retention and destruction policy is one of them).

CREATE TABLE security_evidence (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    audit_id    INTEGER NOT NULL REFERENCES security_audits(id),
    measure_no  TEXT NOT NULL,
    sha256      TEXT NOT NULL REFERENCES blobs(sha256),
    name        TEXT NOT NULL,
    added_by    INTEGER NOT NULL REFERENCES users(id),
    added_at    TEXT NOT NULL
);
CREATE INDEX security_evidence_audit ON security_evidence (audit_id, measure_no);
CREATE INDEX security_evidence_sha ON security_evidence (sha256);

CREATE TABLE security_actions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    audit_id    INTEGER NOT NULL REFERENCES security_audits(id),
    measure_no  TEXT NOT NULL,
    title       TEXT NOT NULL,
    owner_id    INTEGER NOT NULL REFERENCES users(id),
    due_on      TEXT NOT NULL,
    -- open, done, cancelled
    state       TEXT NOT NULL,
    task_id     INTEGER REFERENCES tasks(id),
    note        TEXT NOT NULL DEFAULT '',
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    closed_at   TEXT
);
CREATE INDEX security_actions_audit ON security_actions (audit_id, id);

CREATE TABLE kvkk_processes (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT NOT NULL,
    unit             TEXT NOT NULL DEFAULT '',
    purpose          TEXT NOT NULL,
    data_categories  TEXT NOT NULL,
    subjects         TEXT NOT NULL,
    -- A JSON array of the grounds: m5_2a … m5_2f, m5_1 (consent), m6_2, m6_3
    legal_basis      TEXT NOT NULL,
    retention        TEXT NOT NULL,
    recipients       TEXT NOT NULL DEFAULT '',
    transfer_abroad  BOOLEAN NOT NULL DEFAULT FALSE,
    transfer_note    TEXT NOT NULL DEFAULT '',
    measures         TEXT NOT NULL DEFAULT '',
    recorded_by      INTEGER NOT NULL REFERENCES users(id),
    recorded_at      TEXT NOT NULL,
    retired_at       TEXT
);

CREATE TABLE policies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- security, acceptable_use, password, backup, retention, other
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL
);

CREATE TABLE policy_versions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    policy_id     INTEGER NOT NULL REFERENCES policies(id),
    version       INTEGER NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    sha256        TEXT REFERENCES blobs(sha256),
    effective_on  TEXT NOT NULL,
    -- Staff must acknowledge it.
    must_read     BOOLEAN NOT NULL DEFAULT TRUE,
    published_by  INTEGER NOT NULL REFERENCES users(id),
    published_at  TEXT NOT NULL,
    UNIQUE (policy_id, version)
);
CREATE INDEX policy_versions_sha ON policy_versions (sha256);

CREATE TABLE policy_acknowledgements (
    version_id  INTEGER NOT NULL REFERENCES policy_versions(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    at          TEXT NOT NULL,
    PRIMARY KEY (version_id, user_id)
);

-- The guide's 3.1.12.6: a session ends after a while without use. When it
-- was last used (NULL: not since it was opened).
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;

-- The periodic access review (§4): a snapshot of each account's posts,
-- authorities and system roles, each line kept or flagged by a superior,
-- the whole signed off.
CREATE TABLE access_reviews (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    title          TEXT NOT NULL,
    opened_by      INTEGER NOT NULL REFERENCES users(id),
    opened_at      TEXT NOT NULL,
    signed_off_by  INTEGER REFERENCES users(id),
    signed_off_at  TEXT,
    note           TEXT NOT NULL DEFAULT ''
);

CREATE TABLE access_review_lines (
    review_id   INTEGER NOT NULL REFERENCES access_reviews(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    -- JSON: what the person held when the review was opened.
    summary     TEXT NOT NULL,
    -- keep, revoke; NULL while undecided
    decision    TEXT,
    remark      TEXT NOT NULL DEFAULT '',
    decided_by  INTEGER REFERENCES users(id),
    decided_at  TEXT,
    PRIMARY KEY (review_id, user_id)
);

-- An incident's links to the service desk's requests and to tasks (§3).
CREATE TABLE security_incident_links (
    incident_id INTEGER NOT NULL REFERENCES security_incidents(id),
    -- request, task
    kind        TEXT NOT NULL,
    target_id   INTEGER NOT NULL,
    by_user     INTEGER NOT NULL REFERENCES users(id),
    at          TEXT NOT NULL,
    PRIMARY KEY (incident_id, kind, target_id)
);

-- A training's materials (§4: subject, date, attendees, materials).
CREATE TABLE training_materials (
    training_id INTEGER NOT NULL REFERENCES trainings(id),
    sha256      TEXT NOT NULL REFERENCES blobs(sha256),
    name        TEXT NOT NULL,
    added_by    INTEGER NOT NULL REFERENCES users(id),
    added_at    TEXT NOT NULL,
    PRIMARY KEY (training_id, sha256)
);
CREATE INDEX training_materials_sha ON training_materials (sha256);

-- Issue 17 §4, belge doğrulama: the code a signed letter carries, which
-- the public page /dogrula answers.
ALTER TABLE outgoing ADD COLUMN verification_code TEXT;
CREATE UNIQUE INDEX outgoing_verification ON outgoing (verification_code);
