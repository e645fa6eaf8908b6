//! The security guide's audits: campaigns, their graded assets, and each
//! measure's assessment per asset.

use time::{Date, OffsetDateTime};

use crate::db::{query, Conn, Row};
use crate::{Result, Write};

#[derive(Debug, Clone)]
pub struct Audit {
    pub id: i64,
    pub title: String,
    pub period_from: Date,
    pub period_to: Date,
    pub auditor_id: i64,
    pub auditor_name: String,
    pub created_at: OffsetDateTime,
}

fn audit_from(r: &Row) -> Result<Audit> {
    Ok(Audit {
        id: r.get("id")?,
        title: r.get("title")?,
        period_from: r.get("period_from")?,
        period_to: r.get("period_to")?,
        auditor_id: r.get("auditor_id")?,
        auditor_name: r.get("auditor_name")?,
        created_at: r.get("created_at")?,
    })
}

const AUDIT: &str = "SELECT a.id, a.title, a.period_from, a.period_to, a.auditor_id, u.display_name AS auditor_name, a.created_at FROM security_audits a JOIN users u ON u.id = a.auditor_id";

#[allow(clippy::too_many_arguments)]
pub async fn insert_audit(
    w: &mut Write,
    title: &str,
    from: Date,
    to: Date,
    auditor: i64,
    by: i64,
) -> Result<i64> {
    let at = w.at();
    query("INSERT INTO security_audits (title, period_from, period_to, auditor_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(title)
        .bind(from)
        .bind(to)
        .bind(auditor)
        .bind(by)
        .bind(at)
        .scalar(w)
        .await
}

pub async fn insert_asset(w: &mut Write, audit: i64, name: &str, criticality: i64) -> Result<i64> {
    query("INSERT INTO security_audit_assets (audit_id, name, criticality) VALUES ($1, $2, $3) RETURNING id")
        .bind(audit)
        .bind(name)
        .bind(criticality)
        .scalar(w)
        .await
}

pub async fn get(c: &mut impl Conn, id: i64) -> Result<Option<Audit>> {
    query(format!("{AUDIT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| audit_from(&r))
        .transpose()
}

/// An audit's assets: id, name, criticality.
pub async fn assets(c: &mut impl Conn, audit: i64) -> Result<Vec<(i64, String, i64)>> {
    let mut out = Vec::new();
    for r in query(
        "SELECT id, name, criticality FROM security_audit_assets WHERE audit_id = $1 ORDER BY id",
    )
    .bind(audit)
    .fetch_all(c)
    .await?
    {
        out.push((r.get("id")?, r.get("name")?, r.get("criticality")?));
    }
    Ok(out)
}

#[derive(Debug, Clone)]
pub struct NewAssessment<'a> {
    pub state: &'a str,
    pub reason: &'a str,
    pub evidence: &'a str,
    pub answers: &'a str,
}

/// Records (or replaces) a measure's assessment for an asset.
pub async fn assess(
    w: &mut Write,
    audit: i64,
    asset: i64,
    measure: &str,
    a: &NewAssessment<'_>,
    by: i64,
) -> Result<()> {
    let at = w.at();
    query(
        "INSERT INTO security_assessments (audit_id, asset_id, measure_no, state, reason, evidence, answers, assessed_by, assessed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (audit_id, asset_id, measure_no) DO UPDATE SET state = excluded.state, reason = excluded.reason,
           evidence = excluded.evidence, answers = excluded.answers, assessed_by = excluded.assessed_by, assessed_at = excluded.assessed_at",
    )
    .bind(audit)
    .bind(asset)
    .bind(measure)
    .bind(a.state)
    .bind(a.reason)
    .bind(a.evidence)
    .bind(a.answers)
    .bind(by)
    .bind(at)
    .execute(w)
    .await?;
    Ok(())
}

/// Every assessment of an audit: asset, measure, state.
pub async fn states(c: &mut impl Conn, audit: i64) -> Result<Vec<(i64, String, String)>> {
    let mut out = Vec::new();
    query("SELECT asset_id, measure_no, state FROM security_assessments WHERE audit_id = $1")
        .bind(audit)
        .for_each(c, |r| {
            out.push((r.get("asset_id")?, r.get("measure_no")?, r.get("state")?));
            Ok(())
        })
        .await?;
    Ok(out)
}

/// The audit opened before `audit` (by its period), for the progress since.
pub async fn previous(c: &mut impl Conn, audit: &Audit) -> Result<Option<Audit>> {
    query(format!(
        "{AUDIT} WHERE (a.period_to < $1 OR (a.period_to = $1 AND a.id < $2)) AND a.id <> $2 ORDER BY a.period_to DESC, a.id DESC LIMIT 1"
    ))
    .bind(audit.period_to)
    .bind(audit.id)
    .fetch_optional(c)
    .await?
    .map(|r| audit_from(&r))
    .transpose()
}

/// The audits, newest first.
pub async fn list(c: &mut impl Conn, limit: i64) -> Result<Vec<Audit>> {
    let mut out = Vec::new();
    for r in query(format!(
        "{AUDIT} ORDER BY a.period_to DESC, a.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(c)
    .await?
    {
        out.push(audit_from(&r)?);
    }
    Ok(out)
}

/// The assessment rows of one measure: asset, state, reason, evidence,
/// answers, who and when.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub asset_id: i64,
    pub state: String,
    pub reason: String,
    pub evidence: String,
    pub answers: String,
    pub by_name: String,
    pub at: OffsetDateTime,
}

pub async fn assessments_of(
    c: &mut impl Conn,
    audit: i64,
    measure: &str,
) -> Result<Vec<Assessment>> {
    let mut out = Vec::new();
    for r in query("SELECT s.asset_id, s.state, s.reason, s.evidence, s.answers, u.display_name, s.assessed_at FROM security_assessments s JOIN users u ON u.id = s.assessed_by WHERE s.audit_id = $1 AND s.measure_no = $2 ORDER BY s.asset_id")
        .bind(audit)
        .bind(measure)
        .fetch_all(c)
        .await?
    {
        out.push(Assessment {
            asset_id: r.get("asset_id")?,
            state: r.get("state")?,
            reason: r.get("reason")?,
            evidence: r.get("evidence")?,
            answers: r.get("answers")?,
            by_name: r.get("display_name")?,
            at: r.get("assessed_at")?,
        });
    }
    Ok(out)
}

/// An evidence file of a measure in an audit.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub id: i64,
    pub measure_no: String,
    pub sha256: String,
    pub name: String,
    pub size: i64,
    pub by_name: String,
    pub at: OffsetDateTime,
}

pub async fn add_evidence(
    w: &mut Write,
    audit: i64,
    measure: &str,
    sha256: &str,
    name: &str,
    by: i64,
) -> Result<i64> {
    let at = w.at();
    query("INSERT INTO security_evidence (audit_id, measure_no, sha256, name, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(audit)
        .bind(measure)
        .bind(sha256)
        .bind(name)
        .bind(by)
        .bind(at)
        .scalar(w)
        .await
}

/// An audit's evidence files (of one measure, if given).
pub async fn evidence(
    c: &mut impl Conn,
    audit: i64,
    measure: Option<&str>,
) -> Result<Vec<Evidence>> {
    let mut out = Vec::new();
    for r in query("SELECT e.id, e.measure_no, e.sha256, e.name, b.size, u.display_name, e.added_at FROM security_evidence e JOIN blobs b ON b.sha256 = e.sha256 JOIN users u ON u.id = e.added_by WHERE e.audit_id = $1 AND ($2 IS NULL OR e.measure_no = $2) ORDER BY e.id")
        .bind(audit)
        .bind(measure)
        .fetch_all(c)
        .await?
    {
        out.push(Evidence {
            id: r.get("id")?,
            measure_no: r.get("measure_no")?,
            sha256: r.get("sha256")?,
            name: r.get("name")?,
            size: r.get("size")?,
            by_name: r.get("display_name")?,
            at: r.get("added_at")?,
        });
    }
    Ok(out)
}

/// A gap made an action.
#[derive(Debug, Clone)]
pub struct Action {
    pub id: i64,
    pub audit_id: i64,
    pub audit_title: String,
    pub measure_no: String,
    pub title: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub due_on: Date,
    pub state: String,
    pub task_id: Option<i64>,
    pub note: String,
    pub created_at: OffsetDateTime,
    pub closed_at: Option<OffsetDateTime>,
}

const ACTION: &str = "SELECT x.id, x.audit_id, a.title AS audit_title, x.measure_no, x.title, x.owner_id, u.display_name AS owner_name, x.due_on, x.state, x.task_id, x.note, x.created_at, x.closed_at FROM security_actions x JOIN security_audits a ON a.id = x.audit_id JOIN users u ON u.id = x.owner_id";

fn action_from(r: &Row) -> Result<Action> {
    Ok(Action {
        id: r.get("id")?,
        audit_id: r.get("audit_id")?,
        audit_title: r.get("audit_title")?,
        measure_no: r.get("measure_no")?,
        title: r.get("title")?,
        owner_id: r.get("owner_id")?,
        owner_name: r.get("owner_name")?,
        due_on: r.get("due_on")?,
        state: r.get("state")?,
        task_id: r.get("task_id")?,
        note: r.get("note")?,
        created_at: r.get("created_at")?,
        closed_at: r.get("closed_at")?,
    })
}

pub async fn insert_action(
    w: &mut Write,
    audit: i64,
    measure: &str,
    title: &str,
    owner: i64,
    due: Date,
    by: i64,
) -> Result<i64> {
    let at = w.at();
    query("INSERT INTO security_actions (audit_id, measure_no, title, owner_id, due_on, state, created_by, created_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7) RETURNING id")
        .bind(audit)
        .bind(measure)
        .bind(title)
        .bind(owner)
        .bind(due)
        .bind(by)
        .bind(at)
        .scalar(w)
        .await
}

pub async fn action(c: &mut impl Conn, id: i64) -> Result<Option<Action>> {
    query(format!("{ACTION} WHERE x.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| action_from(&r))
        .transpose()
}

/// An audit's actions, or (with `None`) the open ones of every audit.
pub async fn actions(c: &mut impl Conn, audit: Option<i64>) -> Result<Vec<Action>> {
    let sql = match audit {
        Some(_) => format!("{ACTION} WHERE x.audit_id = $1 ORDER BY x.id"),
        None => format!("{ACTION} WHERE x.state = 'open' AND $1 IS NULL ORDER BY x.due_on, x.id"),
    };
    let mut out = Vec::new();
    for r in query(sql).bind(audit).fetch_all(c).await? {
        out.push(action_from(&r)?);
    }
    Ok(out)
}

/// Closes an open action (`done` or `cancelled`); false if it was not open.
pub async fn close_action(w: &mut Write, id: i64, state: &str, note: &str) -> Result<bool> {
    let at = w.at();
    Ok(query("UPDATE security_actions SET state = $2, note = $3, closed_at = $4 WHERE id = $1 AND state = 'open'")
        .bind(id)
        .bind(state)
        .bind(note)
        .bind(at)
        .execute(w)
        .await?
        == 1)
}

/// Links an action to the task made of it; false if it had one.
pub async fn link_task(w: &mut Write, id: i64, task: i64) -> Result<bool> {
    Ok(
        query("UPDATE security_actions SET task_id = $2 WHERE id = $1 AND task_id IS NULL")
            .bind(id)
            .bind(task)
            .execute(w)
            .await?
            == 1,
    )
}

/// The open actions one person owns, soonest due first.
pub async fn actions_of(c: &mut impl Conn, owner: i64) -> Result<Vec<Action>> {
    let mut out = Vec::new();
    for r in query(format!(
        "{ACTION} WHERE x.owner_id = $1 AND x.state = 'open' ORDER BY x.due_on, x.id"
    ))
    .bind(owner)
    .fetch_all(c)
    .await?
    {
        out.push(action_from(&r)?);
    }
    Ok(out)
}

/// How many assessments an audit holds in each state.
pub async fn state_counts(c: &mut impl Conn, audit: i64) -> Result<Vec<(String, i64)>> {
    let mut out = Vec::new();
    for r in query(
        "SELECT state, COUNT(*) AS n FROM security_assessments WHERE audit_id = $1 GROUP BY state",
    )
    .bind(audit)
    .fetch_all(c)
    .await?
    {
        out.push((r.get("state")?, r.get("n")?));
    }
    Ok(out)
}
