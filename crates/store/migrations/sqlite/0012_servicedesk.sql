-- The IT service desk and tasks (issue 15; m.16/2-5, m.18, m.10/9).

-- The unit (another directorate) an account without a post belongs to: a
-- requester sees his own requests and those of his unit.
ALTER TABLE users ADD COLUMN department TEXT NOT NULL DEFAULT '';
-- Its e-mail address: mail to the desk's mailbox from it opens requests
-- in its name (staff have theirs on the staff record).
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';

CREATE TABLE requests (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    year                 INTEGER NOT NULL,
    seq                  INTEGER NOT NULL,
    number               TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL,
    category             TEXT NOT NULL,
    section              TEXT NOT NULL,
    priority             TEXT NOT NULL,
    channel              TEXT NOT NULL,
    state                TEXT NOT NULL,
    requester_id         INTEGER NOT NULL REFERENCES users(id),
    requester_department TEXT NOT NULL DEFAULT '',
    filed_by             INTEGER NOT NULL REFERENCES users(id),
    assignee_id          INTEGER REFERENCES users(id),
    asset_tag            TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    respond_by           TEXT NOT NULL,
    resolve_by           TEXT NOT NULL,
    responded_at         TEXT,
    resolved_at          TEXT,
    closed_at            TEXT,
    waiting_since        TEXT,
    paused_seconds       INTEGER NOT NULL DEFAULT 0,
    rating               INTEGER,
    rating_comment       TEXT,
    merged_into          INTEGER REFERENCES requests(id),
    task_id              INTEGER,
    email_from           TEXT,
    UNIQUE (year, seq)
);
CREATE INDEX requests_requester ON requests (requester_id, id);
CREATE INDEX requests_department ON requests (requester_department, id);
CREATE INDEX requests_assignee ON requests (assignee_id, id);
CREATE INDEX requests_section ON requests (section, id);
-- The breached list: open requests by their resolution deadline.
CREATE INDEX requests_open_resolve ON requests (resolve_by) WHERE state IN ('new', 'assigned', 'in_progress');
-- The queues: a section's open requests (newest first, or most urgent
-- first), a person's open work. Partial: a million closed requests cost
-- them nothing.
CREATE INDEX requests_open_section ON requests (section, id) WHERE state IN ('new', 'assigned', 'in_progress', 'waiting');
CREATE INDEX requests_open_section_due ON requests (section, resolve_by) WHERE state IN ('new', 'assigned', 'in_progress', 'waiting');
CREATE INDEX requests_open_assignee ON requests (assignee_id, id) WHERE state IN ('assigned', 'in_progress');
-- Resolved requests waiting to close by themselves.
CREATE INDEX requests_resolved ON requests (resolved_at) WHERE state = 'resolved';

-- The year's last request number (taken in the filing's transaction: no
-- MAX over a growing table).
CREATE TABLE request_counters (
    year     INTEGER PRIMARY KEY NOT NULL,
    last_seq INTEGER NOT NULL
);

-- A request's timeline: filed, assigned, state changes, comments (public
-- or internal), work logged, mail, ratings, merges.
CREATE TABLE request_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    at          TEXT NOT NULL,
    actor_id    INTEGER REFERENCES users(id),
    kind        TEXT NOT NULL,
    public      BOOLEAN NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    minutes     INTEGER,
    from_state  TEXT,
    to_state    TEXT,
    assignee_id INTEGER REFERENCES users(id)
);
CREATE INDEX request_events_request ON request_events (request_id, id);

CREATE TABLE request_attachments (
    request_id INTEGER NOT NULL REFERENCES requests(id),
    sha256     TEXT NOT NULL REFERENCES blobs(sha256),
    name       TEXT NOT NULL,
    PRIMARY KEY (request_id, sha256)
);
CREATE INDEX request_attachments_sha ON request_attachments (sha256, request_id);

-- Mail already read from the desk's mailbox (by Message-ID), so a message
-- is taken once even if the mailbox is read again.
CREATE TABLE request_mail (
    message_id TEXT PRIMARY KEY NOT NULL,
    request_id INTEGER REFERENCES requests(id),
    outcome    TEXT NOT NULL,
    at         TEXT NOT NULL
);

-- Working groups (m.10/9).
CREATE TABLE working_groups (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    mandate      TEXT NOT NULL,
    chair_id     INTEGER NOT NULL REFERENCES users(id),
    starts_on    TEXT NOT NULL,
    ends_on      TEXT,
    approval_ref TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL
);
CREATE TABLE working_group_members (
    group_id INTEGER NOT NULL REFERENCES working_groups(id),
    ord      INTEGER NOT NULL,
    user_id  INTEGER REFERENCES users(id),
    -- A participant from another directorate, by name and unit.
    name     TEXT NOT NULL DEFAULT '',
    unit     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (group_id, ord)
);
CREATE INDEX working_group_members_user ON working_group_members (user_id, group_id);

-- Tasks (m.18).
CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    state        TEXT NOT NULL,
    giver_id     INTEGER REFERENCES users(id),
    due          TEXT NOT NULL,
    percent      INTEGER NOT NULL DEFAULT 0,
    source_kind  TEXT NOT NULL,
    source_id    INTEGER,
    group_id     INTEGER REFERENCES working_groups(id),
    plan_id      INTEGER,
    result       TEXT,
    basis        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    done_at      TEXT,
    approved_at  TEXT
);
CREATE INDEX tasks_giver ON tasks (giver_id, id);
CREATE INDEX tasks_source ON tasks (source_kind, source_id);
CREATE INDEX tasks_group ON tasks (group_id, id);
CREATE INDEX tasks_open_due ON tasks (due) WHERE state IN ('given', 'accepted');
CREATE TABLE task_assignees (
    task_id     INTEGER NOT NULL REFERENCES tasks(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    accepted_at TEXT,
    PRIMARY KEY (task_id, user_id)
);
CREATE INDEX task_assignees_user ON task_assignees (user_id, task_id);
CREATE TABLE task_milestones (
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    ord     INTEGER NOT NULL,
    title   TEXT NOT NULL,
    due     TEXT NOT NULL,
    done_at TEXT,
    PRIMARY KEY (task_id, ord)
);
CREATE TABLE task_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id  INTEGER NOT NULL REFERENCES tasks(id),
    at       TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    kind     TEXT NOT NULL,
    body     TEXT NOT NULL DEFAULT '',
    percent  INTEGER
);
CREATE INDEX task_events_task ON task_events (task_id, id);

-- Recurring maintenance plans: each makes its task on schedule
-- ("weekly:1" = every Monday, "monthly:15" = each month on the 15th).
CREATE TABLE maintenance_plans (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    schedule    TEXT NOT NULL,
    assignee_id INTEGER NOT NULL REFERENCES users(id),
    giver_id    INTEGER NOT NULL REFERENCES users(id),
    next_on     TEXT NOT NULL,
    active      BOOLEAN NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX maintenance_plans_next ON maintenance_plans (next_on) WHERE active;
