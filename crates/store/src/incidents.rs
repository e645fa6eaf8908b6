//! Security incidents and their timelines.

use time::OffsetDateTime;

use crate::db::{query, Conn, Row};
use crate::{Result, Write};

#[derive(Debug, Clone)]
pub struct Incident {
    pub id: i64,
    pub title: String,
    pub detected_at: OffsetDateTime,
    pub source: String,
    pub systems: String,
    pub severity: String,
    pub summary: String,
    pub breach_id: Option<i64>,
    pub lessons: String,
    pub closed_at: Option<OffsetDateTime>,
    pub recorded_by_name: String,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub id: i64,
    pub at: OffsetDateTime,
    pub kind: String,
    pub notified: String,
    pub text: String,
    pub by_name: String,
}

const INCIDENT: &str = "SELECT i.id, i.title, i.detected_at, i.source, i.systems, i.severity, i.summary, i.breach_id, i.lessons, i.closed_at, u.display_name AS recorded_by_name FROM security_incidents i JOIN users u ON u.id = i.recorded_by";

fn incident_from(r: &Row) -> Result<Incident> {
    Ok(Incident {
        id: r.get("id")?,
        title: r.get("title")?,
        detected_at: r.get("detected_at")?,
        source: r.get("source")?,
        systems: r.get("systems")?,
        severity: r.get("severity")?,
        summary: r.get("summary")?,
        breach_id: r.get("breach_id")?,
        lessons: r.get("lessons")?,
        closed_at: r.get("closed_at")?,
        recorded_by_name: r.get("recorded_by_name")?,
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    w: &mut Write,
    title: &str,
    detected_at: OffsetDateTime,
    source: &str,
    systems_json: &str,
    severity: &str,
    summary: &str,
    breach_id: Option<i64>,
    by: i64,
) -> Result<i64> {
    let at = w.at();
    query("INSERT INTO security_incidents (title, detected_at, source, systems, severity, summary, breach_id, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(title)
        .bind(detected_at)
        .bind(source)
        .bind(systems_json)
        .bind(severity)
        .bind(summary)
        .bind(breach_id)
        .bind(by)
        .bind(at)
        .scalar(w)
        .await
}

pub async fn get(c: &mut impl Conn, id: i64) -> Result<Option<Incident>> {
    query(format!("{INCIDENT} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| incident_from(&r))
        .transpose()
}

pub async fn list(c: &mut impl Conn, limit: i64) -> Result<Vec<Incident>> {
    query(format!("{INCIDENT} ORDER BY i.detected_at DESC LIMIT $1"))
        .bind(limit)
        .fetch_all(c)
        .await?
        .iter()
        .map(incident_from)
        .collect()
}

pub async fn add_action(
    w: &mut Write,
    incident: i64,
    at: OffsetDateTime,
    kind: &str,
    notified: &str,
    text: &str,
    by: i64,
) -> Result<i64> {
    query("INSERT INTO security_incident_actions (incident_id, at, kind, notified, text, by_user) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(incident)
        .bind(at)
        .bind(kind)
        .bind(notified)
        .bind(text)
        .bind(by)
        .scalar(w)
        .await
}

pub async fn actions(c: &mut impl Conn, incident: i64) -> Result<Vec<Action>> {
    let mut out = Vec::new();
    for r in query("SELECT a.id, a.at, a.kind, a.notified, a.text, u.display_name AS by_name FROM security_incident_actions a JOIN users u ON u.id = a.by_user WHERE a.incident_id = $1 ORDER BY a.at, a.id")
        .bind(incident)
        .fetch_all(c)
        .await?
    {
        out.push(Action {
            id: r.get("id")?,
            at: r.get("at")?,
            kind: r.get("kind")?,
            notified: r.get("notified")?,
            text: r.get("text")?,
            by_name: r.get("by_name")?,
        });
    }
    Ok(out)
}

/// Closes an open incident with its lessons; false when already closed.
pub async fn close(w: &mut Write, id: i64, lessons: &str) -> Result<bool> {
    let at = w.at();
    Ok(query("UPDATE security_incidents SET closed_at = $2, lessons = $3 WHERE id = $1 AND closed_at IS NULL")
        .bind(id)
        .bind(at)
        .bind(lessons)
        .execute(w)
        .await?
        > 0)
}

/// Links an incident to a request or a task; false if it was linked.
pub async fn link(w: &mut Write, incident: i64, kind: &str, target: i64, by: i64) -> Result<bool> {
    let at = w.at();
    Ok(query("INSERT INTO security_incident_links (incident_id, kind, target_id, by_user, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (incident_id, kind, target_id) DO NOTHING")
        .bind(incident)
        .bind(kind)
        .bind(target)
        .bind(by)
        .bind(at)
        .execute(w)
        .await?
        == 1)
}

/// An incident's links: kind, target id.
pub async fn links(c: &mut impl Conn, incident: i64) -> Result<Vec<(String, i64)>> {
    let mut out = Vec::new();
    for r in query("SELECT kind, target_id FROM security_incident_links WHERE incident_id = $1 ORDER BY at, kind, target_id")
        .bind(incident)
        .fetch_all(c)
        .await?
    {
        out.push((r.get("kind")?, r.get("target_id")?));
    }
    Ok(out)
}
