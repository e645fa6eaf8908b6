-- The security guide as an audit (issue 18 §1): a campaign over graded
-- assets, and each measure's assessment per asset.

CREATE TABLE security_audits (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    auditor_id  INTEGER NOT NULL REFERENCES users(id),
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL
);

CREATE TABLE security_audit_assets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    audit_id    INTEGER NOT NULL REFERENCES security_audits(id),
    name        TEXT NOT NULL,
    -- The guide's grade: 1, 2 or 3.
    criticality INTEGER NOT NULL
);
CREATE INDEX security_audit_assets_audit ON security_audit_assets (audit_id, id);

CREATE TABLE security_assessments (
    audit_id    INTEGER NOT NULL REFERENCES security_audits(id),
    asset_id    INTEGER NOT NULL REFERENCES security_audit_assets(id),
    measure_no  TEXT NOT NULL,
    -- applied, partly, not_applied, not_applicable
    state       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    evidence    TEXT NOT NULL DEFAULT '',
    answers     TEXT NOT NULL DEFAULT '',
    assessed_by INTEGER NOT NULL REFERENCES users(id),
    assessed_at TEXT NOT NULL,
    PRIMARY KEY (audit_id, asset_id, measure_no)
);
