-- Movable assets under the Taşınır rules, licences and contracts, the
-- systems catalogue with its backups, and handover on leaving (issue 16;
-- m.8/8, m.8/11, m.8/20, m.10/11, m.16/2-b, m.16/5, m.20/1-ç, m.20/1-d).

-- The day after which an account may no longer sign in (a departure's
-- leaving day); what the person did stays attributed to him.
ALTER TABLE users ADD COLUMN closed_on TEXT;

-- Tags are numbered per code, as the Taşınır rules number sicil numbers.
CREATE TABLE asset_counters (
    code  TEXT PRIMARY KEY,
    last  INTEGER NOT NULL
);

-- Taşınır İşlem Fişi (giriş): the receipt that brings assets in.
CREATE TABLE asset_receipts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    year          INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    number        TEXT NOT NULL UNIQUE,
    supplier      TEXT NOT NULL,
    invoice_no    TEXT NOT NULL,
    invoice_date  TEXT,
    received_on   TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_by    INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    UNIQUE (year, seq)
);

CREATE TABLE asset_disposals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_ref  TEXT NOT NULL,
    decided_on    TEXT NOT NULL,
    reason        TEXT NOT NULL,
    -- The commission's members, by name and title as they signed.
    commission    TEXT NOT NULL,
    recorded_by   INTEGER NOT NULL REFERENCES users(id),
    recorded_at   TEXT NOT NULL
);

CREATE TABLE assets (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tag             TEXT NOT NULL UNIQUE,
    tasinir_code    TEXT NOT NULL,
    name            TEXT NOT NULL,
    serial          TEXT NOT NULL DEFAULT '',
    brand           TEXT NOT NULL DEFAULT '',
    model           TEXT NOT NULL DEFAULT '',
    acquired_on     TEXT,
    -- In kuruş.
    price           INTEGER,
    warranty_until  TEXT,
    -- Where it stands (a room, a cabinet), whoever holds it.
    location        TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL,
    holder_user_id  INTEGER REFERENCES users(id),
    holder_place    TEXT,
    custody_id      INTEGER,
    receipt_id      INTEGER REFERENCES asset_receipts(id),
    disposal_id     INTEGER REFERENCES asset_disposals(id),
    created_by      INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX assets_serial ON assets (serial) WHERE serial <> '';
CREATE INDEX assets_code ON assets (tasinir_code, id);
CREATE INDEX assets_holder ON assets (holder_user_id, id) WHERE holder_user_id IS NOT NULL;
CREATE INDEX assets_place ON assets (holder_place, id) WHERE holder_place IS NOT NULL;
CREATE INDEX assets_state ON assets (state, id);
CREATE INDEX assets_location ON assets (location, id);
CREATE INDEX assets_receipt ON assets (receipt_id);

-- Zimmet Fişi: each custody, from giving to its end (return, transfer,
-- handover).
CREATE TABLE asset_custody (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    asset_id        INTEGER NOT NULL REFERENCES assets(id),
    holder_user_id  INTEGER REFERENCES users(id),
    holder_place    TEXT,
    given_at        TEXT NOT NULL,
    given_by        INTEGER NOT NULL REFERENCES users(id),
    note            TEXT NOT NULL DEFAULT '',
    ended_at        TEXT,
    ended_by        INTEGER REFERENCES users(id),
    -- returned, transferred or handed_over
    ended_kind      TEXT,
    end_note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX asset_custody_asset ON asset_custody (asset_id, id);
CREATE INDEX asset_custody_holder ON asset_custody (holder_user_id, id);

CREATE TABLE licences (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    product     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    seats       INTEGER NOT NULL,
    cost        INTEGER,
    starts_on   TEXT,
    ends_on     TEXT,
    supplier    TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL
);
CREATE INDEX licences_ends ON licences (ends_on);

CREATE TABLE licence_seats (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    licence_id   INTEGER NOT NULL REFERENCES licences(id),
    user_id      INTEGER REFERENCES users(id),
    asset_id     INTEGER REFERENCES assets(id),
    assigned_at  TEXT NOT NULL,
    assigned_by  INTEGER NOT NULL REFERENCES users(id),
    released_at  TEXT
);
CREATE INDEX licence_seats_live ON licence_seats (licence_id) WHERE released_at IS NULL;
CREATE INDEX licence_seats_user ON licence_seats (user_id) WHERE released_at IS NULL;

-- Maintenance and support contracts (m.8/11).
CREATE TABLE contracts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    supplier    TEXT NOT NULL,
    scope       TEXT NOT NULL,
    starts_on   TEXT,
    ends_on     TEXT NOT NULL,
    cost        INTEGER,
    note        TEXT NOT NULL DEFAULT '',
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL
);
CREATE INDEX contracts_ends ON contracts (ends_on);

-- The systems the directorate runs (m.16/2-b, m.16/5) and their backups
-- (m.8/20, m.16/5-b).
CREATE TABLE systems (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    name                TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL,
    owner_unit          TEXT NOT NULL,
    technical_owner_id  INTEGER REFERENCES users(id),
    supplier            TEXT NOT NULL DEFAULT '',
    contract_id         INTEGER REFERENCES contracts(id),
    criticality         INTEGER NOT NULL,
    backup_what         TEXT NOT NULL DEFAULT '',
    backup_every_days   INTEGER,
    backup_where        TEXT NOT NULL DEFAULT '',
    restore_every_days  INTEGER,
    note                TEXT NOT NULL DEFAULT '',
    created_by          INTEGER NOT NULL REFERENCES users(id),
    created_at          TEXT NOT NULL
);

CREATE TABLE system_hosts (
    system_id  INTEGER NOT NULL REFERENCES systems(id),
    asset_id   INTEGER NOT NULL REFERENCES assets(id),
    PRIMARY KEY (system_id, asset_id)
);

CREATE TABLE system_domains (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    system_id   INTEGER NOT NULL REFERENCES systems(id),
    domain      TEXT NOT NULL,
    expires_on  TEXT
);
CREATE INDEX system_domains_system ON system_domains (system_id);

-- Each backup run and each restore test.
CREATE TABLE backup_runs (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    system_id         INTEGER NOT NULL REFERENCES systems(id),
    -- backup or restore_test
    kind              TEXT NOT NULL,
    ran_on            TEXT NOT NULL,
    by_user           INTEGER NOT NULL REFERENCES users(id),
    -- success or failure
    result            TEXT NOT NULL,
    duration_minutes  INTEGER,
    note              TEXT NOT NULL DEFAULT '',
    evidence_sha256   TEXT,
    recorded_at       TEXT NOT NULL
);
CREATE INDEX backup_runs_system ON backup_runs (system_id, kind, ran_on);

ALTER TABLE requests ADD COLUMN system_id INTEGER REFERENCES systems(id);
CREATE INDEX requests_system ON requests (system_id, id) WHERE system_id IS NOT NULL;

-- Devir Teslim Tutanağı (m.20/1-ç): what passed from the leaver to the
-- successor, item by item, in one record.
CREATE TABLE handovers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    from_user     INTEGER NOT NULL REFERENCES users(id),
    to_user       INTEGER NOT NULL REFERENCES users(id),
    -- On a death (m.20/1-d): the commission's members, who sign in his place.
    commission    TEXT NOT NULL DEFAULT '',
    items         TEXT NOT NULL,
    recorded_by   INTEGER NOT NULL REFERENCES users(id),
    recorded_at   TEXT NOT NULL
);
CREATE INDEX handovers_from ON handovers (from_user, id);

CREATE TABLE departures (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL UNIQUE REFERENCES users(id),
    leaving_on    TEXT NOT NULL,
    reason        TEXT NOT NULL,
    successor_id  INTEGER REFERENCES users(id),
    commission    TEXT NOT NULL DEFAULT '',
    recorded_by   INTEGER NOT NULL REFERENCES users(id),
    recorded_at   TEXT NOT NULL
);
