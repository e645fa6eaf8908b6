-- Sick reports and monthly timesheets (issue 19, m.16/1-a and 1-b).

-- A sick report, recorded by the Kalem: its dates, the issuing
-- institution and its number.
CREATE TABLE sick_reports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    institution TEXT NOT NULL,
    number      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX sick_reports_staff ON sick_reports (staff_id, start_date);
CREATE INDEX sick_reports_end ON sick_reports (end_date);

-- What a report took back from an approved annual leave, per year, in
-- halves (Hastalık Raporları Yönetmeliği m.8); the person's, for the
-- balance's one indexed read. Only approved annual leave has any.
CREATE TABLE leave_interruptions (
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    leave_id  INTEGER NOT NULL REFERENCES leave_requests(id),
    report_id INTEGER NOT NULL REFERENCES sick_reports(id),
    year      INTEGER NOT NULL,
    halves    INTEGER NOT NULL,
    PRIMARY KEY (leave_id, report_id, year)
);
CREATE INDEX leave_interruptions_staff ON leave_interruptions (staff_id, year);
CREATE INDEX leave_interruptions_report ON leave_interruptions (report_id);

-- A closed month (YYYY-MM): from then on it changes only by correction.
CREATE TABLE timesheet_closures (
    month     TEXT PRIMARY KEY,
    closed_by INTEGER NOT NULL REFERENCES users(id),
    closed_at TEXT NOT NULL
);

-- A correction of one day of a closed month; the latest one counts.
CREATE TABLE timesheet_corrections (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    day      TEXT NOT NULL,
    mark     TEXT NOT NULL,
    note     TEXT NOT NULL,
    made_by  INTEGER NOT NULL REFERENCES users(id),
    made_at  TEXT NOT NULL
);
CREATE INDEX timesheet_corrections_day ON timesheet_corrections (day, staff_id, id);
CREATE INDEX leave_requests_end ON leave_requests (end_date);

-- Why excuse leave is asked for (marriage, death, paternity, discretionary).
ALTER TABLE leave_requests ADD COLUMN reason TEXT NOT NULL DEFAULT '';
