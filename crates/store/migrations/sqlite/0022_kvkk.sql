-- KVKK (issue 18 §2): data breaches with the Board's 72-hour clock, and
-- the periodic destructions with what, how and by whom.

CREATE TABLE kvkk_breaches (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    discovered_at        TEXT NOT NULL,
    occurred_at          TEXT,
    summary              TEXT NOT NULL,
    data_categories      TEXT NOT NULL DEFAULT '',
    subjects             TEXT NOT NULL DEFAULT '',
    affected_count       INTEGER,
    measures             TEXT NOT NULL DEFAULT '',
    board_notified_at    TEXT,
    subjects_notified_at TEXT,
    recorded_by          INTEGER NOT NULL REFERENCES users(id),
    recorded_at          TEXT NOT NULL
);
CREATE INDEX kvkk_breaches_open ON kvkk_breaches (discovered_at) WHERE board_notified_at IS NULL;

CREATE TABLE kvkk_destructions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    done_on     TEXT NOT NULL,
    method      TEXT NOT NULL,
    -- A JSON array of what was destroyed.
    items       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX kvkk_destructions_done ON kvkk_destructions (done_on);
