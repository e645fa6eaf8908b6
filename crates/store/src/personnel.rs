//! The personnel file: a person's documents and the trainings attended
//! (personal data: reading them is audited by the use-case).

use time::{Date, OffsetDateTime};

use crate::db::{query, Conn, Row};
use crate::{Result, Write};

#[derive(Debug, Clone)]
pub struct NewDocument {
    pub staff_id: i64,
    pub kind: String,
    pub code: String,
    pub title: String,
    pub issued_on: Option<Date>,
    pub expires_on: Option<Date>,
    pub sha256: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub id: i64,
    pub staff_id: i64,
    pub full_name: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub kind: String,
    pub code: String,
    pub title: String,
    pub issued_on: Option<Date>,
    pub expires_on: Option<Date>,
    pub sha256: Option<String>,
    pub note: String,
    pub recorded_by_name: String,
    pub recorded_at: OffsetDateTime,
}

const DOC_COLS: &str = "d.id, d.staff_id, s.full_name, s.user_id, pu.username, d.kind, d.code, d.title, d.issued_on, d.expires_on, d.sha256, d.note, u.display_name AS recorded_by_name, d.recorded_at";
const DOC_FROM: &str = "FROM personnel_documents d JOIN staff s ON s.id = d.staff_id LEFT JOIN users pu ON pu.id = s.user_id JOIN users u ON u.id = d.recorded_by";

fn doc_from(r: &Row) -> Result<Document> {
    Ok(Document {
        id: r.get("id")?,
        staff_id: r.get("staff_id")?,
        full_name: r.get("full_name")?,
        user_id: r.get("user_id")?,
        username: r.get("username")?,
        kind: r.get("kind")?,
        code: r.get("code")?,
        title: r.get("title")?,
        issued_on: r.get("issued_on")?,
        expires_on: r.get("expires_on")?,
        sha256: r.get("sha256")?,
        note: r.get("note")?,
        recorded_by_name: r.get("recorded_by_name")?,
        recorded_at: r.get("recorded_at")?,
    })
}

pub async fn insert_document(w: &mut Write, n: &NewDocument, by: i64) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO personnel_documents (staff_id, kind, code, title, issued_on, expires_on, sha256, note, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(n.staff_id)
    .bind(&n.kind)
    .bind(&n.code)
    .bind(&n.title)
    .bind(n.issued_on)
    .bind(n.expires_on)
    .bind(n.sha256.clone())
    .bind(&n.note)
    .bind(by)
    .bind(at)
    .scalar(w)
    .await
}

/// A person's documents, by file plan code and date.
pub async fn documents_of(c: &mut impl Conn, staff_id: i64) -> Result<Vec<Document>> {
    query(format!(
        "SELECT {DOC_COLS} {DOC_FROM} WHERE d.staff_id = $1 ORDER BY d.code, d.issued_on, d.id"
    ))
    .bind(staff_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(doc_from)
    .collect()
}

/// Every document ending on or before `until` (expired ones included),
/// the soonest first.
pub async fn expiring(c: &mut impl Conn, until: Date, limit: i64) -> Result<Vec<Document>> {
    query(format!(
        "SELECT {DOC_COLS} {DOC_FROM} WHERE d.expires_on IS NOT NULL AND d.expires_on <= $1 ORDER BY d.expires_on, d.id LIMIT $2"
    ))
    .bind(until)
    .bind(limit)
    .fetch_all(c)
    .await?
    .iter()
    .map(doc_from)
    .collect()
}

/// The people whose file holds the file `sha256`: staff ids.
pub async fn holders_of_file(c: &mut impl Conn, sha256: &str, limit: i64) -> Result<Vec<i64>> {
    query("SELECT DISTINCT staff_id FROM personnel_documents WHERE sha256 = $1 ORDER BY staff_id LIMIT $2")
        .bind(sha256)
        .bind(limit)
        .scalars(c)
        .await
}

// ---- Trainings ------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NewTraining {
    pub title: String,
    pub provider: String,
    pub ours: bool,
    pub starts_on: Date,
    pub ends_on: Date,
    pub hours: i64,
}

#[derive(Debug, Clone)]
pub struct Training {
    pub id: i64,
    pub title: String,
    pub provider: String,
    pub ours: bool,
    pub starts_on: Date,
    pub ends_on: Date,
    pub hours: i64,
}

fn training_from(r: &Row) -> Result<Training> {
    Ok(Training {
        id: r.get("id")?,
        title: r.get("title")?,
        provider: r.get("provider")?,
        ours: r.get("ours")?,
        starts_on: r.get("starts_on")?,
        ends_on: r.get("ends_on")?,
        hours: r.get("hours")?,
    })
}

pub async fn insert_training(w: &mut Write, n: &NewTraining, by: i64) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO trainings (title, provider, ours, starts_on, ends_on, hours, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&n.title)
    .bind(&n.provider)
    .bind(n.ours)
    .bind(n.starts_on)
    .bind(n.ends_on)
    .bind(n.hours)
    .bind(by)
    .bind(at)
    .scalar(w)
    .await
}

pub async fn training(c: &mut impl Conn, id: i64) -> Result<Option<Training>> {
    query(
        "SELECT id, title, provider, ours, starts_on, ends_on, hours FROM trainings WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?
    .map(|r| training_from(&r))
    .transpose()
}

/// The trainings, the latest first.
pub async fn trainings(c: &mut impl Conn, limit: i64) -> Result<Vec<Training>> {
    query("SELECT id, title, provider, ours, starts_on, ends_on, hours FROM trainings ORDER BY starts_on DESC, id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(c)
        .await?
        .iter()
        .map(training_from)
        .collect()
}

/// Enrols or marks a person (attended or not).
pub async fn set_attendance(
    w: &mut Write,
    training: i64,
    staff_id: i64,
    attended: bool,
) -> Result<()> {
    query(
        "INSERT INTO training_attendance (training_id, staff_id, attended) VALUES ($1, $2, $3)
         ON CONFLICT (training_id, staff_id) DO UPDATE SET attended = excluded.attended",
    )
    .bind(training)
    .bind(staff_id)
    .bind(attended)
    .execute(w)
    .await?;
    Ok(())
}

/// A training's list: staff id, name, attended.
pub async fn attendance(c: &mut impl Conn, training: i64) -> Result<Vec<(i64, String, bool)>> {
    query(
        "SELECT a.staff_id, s.full_name, a.attended FROM training_attendance a JOIN staff s ON s.id = a.staff_id
         WHERE a.training_id = $1 ORDER BY s.full_name",
    )
    .bind(training)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| Ok((r.get("staff_id")?, r.get("full_name")?, r.get("attended")?)))
    .collect()
}

/// The trainings a person is on, with whether they attended.
pub async fn trainings_of(c: &mut impl Conn, staff_id: i64) -> Result<Vec<(Training, bool)>> {
    query(
        "SELECT t.id, t.title, t.provider, t.ours, t.starts_on, t.ends_on, t.hours, a.attended
         FROM training_attendance a JOIN trainings t ON t.id = a.training_id WHERE a.staff_id = $1 ORDER BY t.starts_on DESC",
    )
    .bind(staff_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| Ok((training_from(r)?, r.get("attended")?)))
    .collect()
}

/// Puts a file on a training as its material.
pub async fn add_material(
    w: &mut Write,
    training: i64,
    sha256: &str,
    name: &str,
    by: i64,
) -> Result<()> {
    let at = w.at();
    query("INSERT INTO training_materials (training_id, sha256, name, added_by, added_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (training_id, sha256) DO NOTHING")
        .bind(training)
        .bind(sha256)
        .bind(name)
        .bind(by)
        .bind(at)
        .execute(w)
        .await?;
    Ok(())
}

/// A training's materials: SHA-256, name.
pub async fn materials(c: &mut impl Conn, training: i64) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for r in query("SELECT sha256, name FROM training_materials WHERE training_id = $1 ORDER BY added_at, name")
        .bind(training)
        .fetch_all(c)
        .await?
    {
        out.push((r.get("sha256")?, r.get("name")?));
    }
    Ok(out)
}
