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
