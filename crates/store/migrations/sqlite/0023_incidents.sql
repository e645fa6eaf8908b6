-- Security incidents (issue 18 §3, the SOME): detection, severity, the
-- systems affected, a timeline of actions and notices, lessons learned.

CREATE TABLE security_incidents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    title         TEXT NOT NULL,
    detected_at   TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT '',
    -- A JSON array of the systems' names.
    systems       TEXT NOT NULL DEFAULT '[]',
    -- low, medium, high, critical
    severity      TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    breach_id     INTEGER REFERENCES kvkk_breaches(id),
    lessons       TEXT NOT NULL DEFAULT '',
    closed_at     TEXT,
    recorded_by   INTEGER NOT NULL REFERENCES users(id),
    recorded_at   TEXT NOT NULL
);

CREATE TABLE security_incident_actions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES security_incidents(id),
    at          TEXT NOT NULL,
    -- containment, eradication, recovery, note, notice
    kind        TEXT NOT NULL,
    -- For a notice: usom, kvkk, kaymakamlik, emniyet.
    notified    TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    by_user     INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX security_incident_actions_incident ON security_incident_actions (incident_id, at);
