//! Versioned policies (the information security policy, acceptable use,
//! passwords, backup, the KVKK retention and destruction policy) and the
//! staff's acknowledgements of each version.

use time::{Date, OffsetDateTime};

use crate::db::{query, Conn, Row};
use crate::{Result, Write};

#[derive(Debug, Clone)]
pub struct Policy {
    pub id: i64,
    pub kind: String,
    pub title: String,
    /// The newest version.
    pub version_id: i64,
    pub version: i64,
    pub summary: String,
    pub body: String,
    pub sha256: Option<String>,
    pub effective_on: Date,
    pub must_read: bool,
    pub published_by_name: String,
    pub published_at: OffsetDateTime,
}

const POLICY: &str = "SELECT p.id, p.kind, p.title, v.id AS version_id, v.version, v.summary, v.body, v.sha256, v.effective_on, v.must_read, u.display_name AS published_by_name, v.published_at
    FROM policies p JOIN policy_versions v ON v.policy_id = p.id AND v.version = (SELECT MAX(x.version) FROM policy_versions x WHERE x.policy_id = p.id)
    JOIN users u ON u.id = v.published_by";

fn policy_from(r: &Row) -> Result<Policy> {
    Ok(Policy {
        id: r.get("id")?,
        kind: r.get("kind")?,
        title: r.get("title")?,
        version_id: r.get("version_id")?,
        version: r.get("version")?,
        summary: r.get("summary")?,
        body: r.get("body")?,
        sha256: r.get("sha256")?,
        effective_on: r.get("effective_on")?,
        must_read: r.get("must_read")?,
        published_by_name: r.get("published_by_name")?,
        published_at: r.get("published_at")?,
    })
}

/// A version as published.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub summary: &'a str,
    pub body: &'a str,
    pub sha256: Option<&'a str>,
    pub effective_on: Date,
    pub must_read: bool,
}

pub async fn insert(w: &mut Write, kind: &str, title: &str, by: i64) -> Result<i64> {
    let at = w.at();
    query("INSERT INTO policies (kind, title, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(kind)
        .bind(title)
        .bind(by)
        .bind(at)
        .scalar(w)
        .await
}

/// Publishes the next version of a policy; its number.
pub async fn publish(w: &mut Write, policy: i64, v: &NewVersion<'_>, by: i64) -> Result<i64> {
    let at = w.at();
    let next: i64 =
        query("SELECT COALESCE(MAX(version), 0) + 1 FROM policy_versions WHERE policy_id = $1")
            .bind(policy)
            .scalar(&mut *w)
            .await?;
    query("INSERT INTO policy_versions (policy_id, version, summary, body, sha256, effective_on, must_read, published_by, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(policy)
        .bind(next)
        .bind(v.summary)
        .bind(v.body)
        .bind(v.sha256)
        .bind(v.effective_on)
        .bind(v.must_read)
        .bind(by)
        .bind(at)
        .execute(w)
        .await?;
    Ok(next)
}

pub async fn get(c: &mut impl Conn, id: i64) -> Result<Option<Policy>> {
    query(format!("{POLICY} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| policy_from(&r))
        .transpose()
}

/// Every policy at its newest version.
pub async fn list(c: &mut impl Conn) -> Result<Vec<Policy>> {
    let mut out = Vec::new();
    for r in query(format!("{POLICY} ORDER BY p.kind, p.title, p.id"))
        .fetch_all(c)
        .await?
    {
        out.push(policy_from(&r)?);
    }
    Ok(out)
}

/// A policy's earlier versions: number, summary, effective date, who
/// published it and when, how many acknowledged it.
pub async fn versions(
    c: &mut impl Conn,
    policy: i64,
) -> Result<Vec<(i64, String, Date, String, OffsetDateTime, i64)>> {
    let mut out = Vec::new();
    for r in query("SELECT v.version, v.summary, v.effective_on, u.display_name, v.published_at, (SELECT COUNT(*) FROM policy_acknowledgements k WHERE k.version_id = v.id) AS acks
                    FROM policy_versions v JOIN users u ON u.id = v.published_by WHERE v.policy_id = $1 ORDER BY v.version DESC")
        .bind(policy)
        .fetch_all(c)
        .await?
    {
        out.push((
            r.get("version")?,
            r.get("summary")?,
            r.get("effective_on")?,
            r.get("display_name")?,
            r.get("published_at")?,
            r.get("acks")?,
        ));
    }
    Ok(out)
}

/// Records that `user` read and acknowledged a version; false if he had.
pub async fn acknowledge(w: &mut Write, version: i64, user: i64) -> Result<bool> {
    let at = w.at();
    Ok(query("INSERT INTO policy_acknowledgements (version_id, user_id, at) VALUES ($1, $2, $3) ON CONFLICT (version_id, user_id) DO NOTHING")
        .bind(version)
        .bind(user)
        .bind(at)
        .execute(w)
        .await?
        == 1)
}

/// The versions `user` has acknowledged, with when.
pub async fn acknowledged_by(c: &mut impl Conn, user: i64) -> Result<Vec<(i64, OffsetDateTime)>> {
    let mut out = Vec::new();
    for r in query("SELECT version_id, at FROM policy_acknowledgements WHERE user_id = $1")
        .bind(user)
        .fetch_all(c)
        .await?
    {
        out.push((r.get("version_id")?, r.get("at")?));
    }
    Ok(out)
}

/// The staff who must read a version on `day` (everyone holding a post)
/// and have not acknowledged it: id, name.
pub async fn not_acknowledged(
    c: &mut impl Conn,
    version: i64,
    day: Date,
) -> Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for r in query("SELECT DISTINCT u.id, u.display_name FROM users u JOIN staff s ON s.user_id = u.id JOIN appointments a ON a.staff_id = s.id
                    WHERE a.start_date <= $2 AND (a.end_date IS NULL OR a.end_date >= $2)
                      AND NOT EXISTS (SELECT 1 FROM policy_acknowledgements k WHERE k.version_id = $1 AND k.user_id = u.id)
                    ORDER BY u.display_name")
        .bind(version)
        .bind(day)
        .fetch_all(c)
        .await?
    {
        out.push((r.get("id")?, r.get("display_name")?));
    }
    Ok(out)
}

/// How many hold a post on `day` (who must read).
pub async fn readers(c: &mut impl Conn, day: Date) -> Result<i64> {
    query("SELECT COUNT(DISTINCT s.user_id) FROM staff s JOIN appointments a ON a.staff_id = s.id
           WHERE s.user_id IS NOT NULL AND a.start_date <= $1 AND (a.end_date IS NULL OR a.end_date >= $1)")
        .bind(day)
        .scalar(c)
        .await
}
