-- The yearly count of a place's assets (sayım; Taşınır Mal Yönetmeliği
-- m.32): the board, what was expected there, what was counted.
CREATE TABLE asset_counts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    place       TEXT NOT NULL,
    year        INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    started_by  INTEGER NOT NULL REFERENCES users(id),
    started_at  TEXT NOT NULL,
    closed_by   INTEGER REFERENCES users(id),
    closed_at   TEXT
);
-- One open count per place.
CREATE UNIQUE INDEX asset_counts_open ON asset_counts (place) WHERE closed_at IS NULL;

CREATE TABLE asset_count_members (
    count_id  INTEGER NOT NULL REFERENCES asset_counts(id),
    user_id   INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (count_id, user_id)
);

-- Each asset expected at the place when the count began, and each one
-- found there that was not.
CREATE TABLE asset_count_lines (
    count_id    INTEGER NOT NULL REFERENCES asset_counts(id),
    asset_id    INTEGER NOT NULL REFERENCES assets(id),
    expected    BOOLEAN NOT NULL,
    counted_by  INTEGER REFERENCES users(id),
    counted_at  TEXT,
    PRIMARY KEY (count_id, asset_id)
);
