-- Personnel (issue 19): what the staff record needs for leave, and the
-- leave requests with their initials and approval.
ALTER TABLE staff ADD COLUMN service_start TEXT;
ALTER TABLE staff ADD COLUMN birth_date TEXT;
-- The collective agreement (TİS) of an İşçi and the annual days it gives.
ALTER TABLE staff ADD COLUMN agreement TEXT NOT NULL DEFAULT '';
ALTER TABLE staff ADD COLUMN agreement_leave_days INTEGER;
-- The opening balance from the paper records: the days (in halves) carried
-- into opening_year when the records began here.
ALTER TABLE staff ADD COLUMN opening_year INTEGER;
ALTER TABLE staff ADD COLUMN opening_halves INTEGER;

CREATE TABLE leave_requests (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id       INTEGER NOT NULL REFERENCES staff(id),
    user_id        INTEGER NOT NULL REFERENCES users(id),
    kind           TEXT NOT NULL,
    start_date     TEXT NOT NULL,
    end_date       TEXT NOT NULL,
    -- Working days, in halves (an arife is half a day).
    halves         INTEGER NOT NULL,
    address        TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    initialled_by  INTEGER REFERENCES users(id),
    initialled_at  TEXT,
    decided_by     INTEGER REFERENCES users(id),
    decided_at     TEXT,
    decision_note  TEXT NOT NULL DEFAULT '',
    decision_basis TEXT NOT NULL DEFAULT '',
    -- At the approval: the year of the leave and what remained of it
    -- (halves), as the İzin Onay Formu prints it.
    balance_year   INTEGER,
    remaining_after INTEGER
);
CREATE INDEX leave_requests_staff ON leave_requests (staff_id, start_date);
CREATE INDEX leave_requests_open ON leave_requests (state);

-- Each year's part of a request, for the balance.
CREATE TABLE leave_request_years (
    request_id INTEGER NOT NULL REFERENCES leave_requests(id),
    year       INTEGER NOT NULL,
    halves     INTEGER NOT NULL,
    PRIMARY KEY (request_id, year)
);
