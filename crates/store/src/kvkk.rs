//! KVKK records: data breaches and periodic destructions.

use time::{Date, OffsetDateTime};

use crate::db::{query, Conn, Row};
use crate::{Result, Write};

#[derive(Debug, Clone)]
pub struct NewBreach {
    pub discovered_at: OffsetDateTime,
    pub occurred_at: Option<OffsetDateTime>,
    pub summary: String,
    pub data_categories: String,
    pub subjects: String,
    pub affected_count: Option<i64>,
    pub measures: String,
}

#[derive(Debug, Clone)]
pub struct Breach {
    pub id: i64,
    pub discovered_at: OffsetDateTime,
    pub occurred_at: Option<OffsetDateTime>,
    pub summary: String,
    pub data_categories: String,
    pub subjects: String,
    pub affected_count: Option<i64>,
    pub measures: String,
    pub board_notified_at: Option<OffsetDateTime>,
    pub subjects_notified_at: Option<OffsetDateTime>,
    pub recorded_by_name: String,
    pub recorded_at: OffsetDateTime,
}

const BREACH: &str = "SELECT b.id, b.discovered_at, b.occurred_at, b.summary, b.data_categories, b.subjects, b.affected_count, b.measures, b.board_notified_at, b.subjects_notified_at, u.display_name AS recorded_by_name, b.recorded_at FROM kvkk_breaches b JOIN users u ON u.id = b.recorded_by";

fn breach_from(r: &Row) -> Result<Breach> {
    Ok(Breach {
        id: r.get("id")?,
        discovered_at: r.get("discovered_at")?,
        occurred_at: r.get("occurred_at")?,
        summary: r.get("summary")?,
        data_categories: r.get("data_categories")?,
        subjects: r.get("subjects")?,
        affected_count: r.get("affected_count")?,
        measures: r.get("measures")?,
        board_notified_at: r.get("board_notified_at")?,
        subjects_notified_at: r.get("subjects_notified_at")?,
        recorded_by_name: r.get("recorded_by_name")?,
        recorded_at: r.get("recorded_at")?,
    })
}

pub async fn insert_breach(w: &mut Write, b: &NewBreach, by: i64) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO kvkk_breaches (discovered_at, occurred_at, summary, data_categories, subjects, affected_count, measures, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(b.discovered_at)
    .bind(b.occurred_at)
    .bind(&b.summary)
    .bind(&b.data_categories)
    .bind(&b.subjects)
    .bind(b.affected_count)
    .bind(&b.measures)
    .bind(by)
    .bind(at)
    .scalar(w)
    .await
}

pub async fn breach(c: &mut impl Conn, id: i64) -> Result<Option<Breach>> {
    query(format!("{BREACH} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| breach_from(&r))
        .transpose()
}

pub async fn breaches(c: &mut impl Conn, limit: i64) -> Result<Vec<Breach>> {
    query(format!("{BREACH} ORDER BY b.discovered_at DESC LIMIT $1"))
        .bind(limit)
        .fetch_all(c)
        .await?
        .iter()
        .map(breach_from)
        .collect()
}

/// Breaches the Board has not been told of yet.
pub async fn unnotified(c: &mut impl Conn) -> Result<Vec<Breach>> {
    query(format!(
        "{BREACH} WHERE b.board_notified_at IS NULL ORDER BY b.discovered_at"
    ))
    .fetch_all(c)
    .await?
    .iter()
    .map(breach_from)
    .collect()
}

/// Records when the Board (`board`) or the data subjects were notified;
/// false when already recorded.
pub async fn notified(w: &mut Write, id: i64, board: bool, at: OffsetDateTime) -> Result<bool> {
    let col = if board {
        "board_notified_at"
    } else {
        "subjects_notified_at"
    };
    Ok(query(format!(
        "UPDATE kvkk_breaches SET {col} = $2 WHERE id = $1 AND {col} IS NULL"
    ))
    .bind(id)
    .bind(at)
    .execute(w)
    .await?
        > 0)
}

pub async fn insert_destruction(
    w: &mut Write,
    done_on: Date,
    method: &str,
    items_json: &str,
    note: &str,
    by: i64,
) -> Result<i64> {
    let at = w.at();
    query("INSERT INTO kvkk_destructions (done_on, method, items, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(done_on)
        .bind(method)
        .bind(items_json)
        .bind(note)
        .bind(by)
        .bind(at)
        .scalar(w)
        .await
}

/// The last periodic destruction's day.
pub async fn last_destruction(c: &mut impl Conn) -> Result<Option<Date>> {
    query("SELECT MAX(done_on) FROM kvkk_destructions")
        .scalar_opt::<Option<Date>>(c)
        .await
        .map(Option::flatten)
}

#[derive(Debug, Clone)]
pub struct Destruction {
    pub id: i64,
    pub done_on: Date,
    pub method: String,
    pub items: String,
    pub note: String,
    pub recorded_by_name: String,
}

pub async fn destructions(c: &mut impl Conn, limit: i64) -> Result<Vec<Destruction>> {
    let mut out = Vec::new();
    for r in query("SELECT d.id, d.done_on, d.method, d.items, d.note, u.display_name AS recorded_by_name FROM kvkk_destructions d JOIN users u ON u.id = d.recorded_by ORDER BY d.done_on DESC, d.id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(c)
        .await?
    {
        out.push(Destruction {
            id: r.get("id")?,
            done_on: r.get("done_on")?,
            method: r.get("method")?,
            items: r.get("items")?,
            note: r.get("note")?,
            recorded_by_name: r.get("recorded_by_name")?,
        });
    }
    Ok(out)
}

/// A processing activity of the inventory (VERBİS).
#[derive(Debug, Clone)]
pub struct Process {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub purpose: String,
    pub data_categories: String,
    pub subjects: String,
    /// JSON array of the grounds' codes.
    pub legal_basis: String,
    pub retention: String,
    pub recipients: String,
    pub transfer_abroad: bool,
    pub transfer_note: String,
    pub measures: String,
    pub recorded_at: OffsetDateTime,
}

/// What a process is recorded with.
#[derive(Debug, Clone)]
pub struct NewProcess<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub purpose: &'a str,
    pub data_categories: &'a str,
    pub subjects: &'a str,
    pub legal_basis: &'a str,
    pub retention: &'a str,
    pub recipients: &'a str,
    pub transfer_abroad: bool,
    pub transfer_note: &'a str,
    pub measures: &'a str,
}

const PROCESS: &str = "SELECT id, name, unit, purpose, data_categories, subjects, legal_basis, retention, recipients, transfer_abroad, transfer_note, measures, recorded_at FROM kvkk_processes";

fn process_from(r: &Row) -> Result<Process> {
    Ok(Process {
        id: r.get("id")?,
        name: r.get("name")?,
        unit: r.get("unit")?,
        purpose: r.get("purpose")?,
        data_categories: r.get("data_categories")?,
        subjects: r.get("subjects")?,
        legal_basis: r.get("legal_basis")?,
        retention: r.get("retention")?,
        recipients: r.get("recipients")?,
        transfer_abroad: r.get("transfer_abroad")?,
        transfer_note: r.get("transfer_note")?,
        measures: r.get("measures")?,
        recorded_at: r.get("recorded_at")?,
    })
}

pub async fn insert_process(w: &mut Write, p: &NewProcess<'_>, by: i64) -> Result<i64> {
    let at = w.at();
    query("INSERT INTO kvkk_processes (name, unit, purpose, data_categories, subjects, legal_basis, retention, recipients, transfer_abroad, transfer_note, measures, recorded_by, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id")
        .bind(p.name)
        .bind(p.unit)
        .bind(p.purpose)
        .bind(p.data_categories)
        .bind(p.subjects)
        .bind(p.legal_basis)
        .bind(p.retention)
        .bind(p.recipients)
        .bind(p.transfer_abroad)
        .bind(p.transfer_note)
        .bind(p.measures)
        .bind(by)
        .bind(at)
        .scalar(w)
        .await
}

/// Replaces a process's record; false if there is none (or it is retired).
pub async fn update_process(w: &mut Write, id: i64, p: &NewProcess<'_>, by: i64) -> Result<bool> {
    let at = w.at();
    Ok(query("UPDATE kvkk_processes SET name = $2, unit = $3, purpose = $4, data_categories = $5, subjects = $6, legal_basis = $7, retention = $8,
              recipients = $9, transfer_abroad = $10, transfer_note = $11, measures = $12, recorded_by = $13, recorded_at = $14 WHERE id = $1 AND retired_at IS NULL")
        .bind(id)
        .bind(p.name)
        .bind(p.unit)
        .bind(p.purpose)
        .bind(p.data_categories)
        .bind(p.subjects)
        .bind(p.legal_basis)
        .bind(p.retention)
        .bind(p.recipients)
        .bind(p.transfer_abroad)
        .bind(p.transfer_note)
        .bind(p.measures)
        .bind(by)
        .bind(at)
        .execute(w)
        .await?
        == 1)
}

/// Takes a process out of the inventory (it is no longer carried out).
pub async fn retire_process(w: &mut Write, id: i64) -> Result<bool> {
    let at = w.at();
    Ok(
        query("UPDATE kvkk_processes SET retired_at = $2 WHERE id = $1 AND retired_at IS NULL")
            .bind(id)
            .bind(at)
            .execute(w)
            .await?
            == 1,
    )
}

pub async fn process(c: &mut impl Conn, id: i64) -> Result<Option<Process>> {
    query(format!("{PROCESS} WHERE id = $1 AND retired_at IS NULL"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| process_from(&r))
        .transpose()
}

/// The inventory: every process carried out, by unit and name.
pub async fn processes(c: &mut impl Conn) -> Result<Vec<Process>> {
    let mut out = Vec::new();
    for r in query(format!(
        "{PROCESS} WHERE retired_at IS NULL ORDER BY unit, name, id"
    ))
    .fetch_all(c)
    .await?
    {
        out.push(process_from(&r)?);
    }
    Ok(out)
}

/// The incoming documents registered on the `kvkk` basis (data subjects'
/// applications, 6698 m.13: answered within 30 days), open ones first,
/// the soonest due first.
pub async fn subject_requests(c: &mut impl Conn, limit: i64) -> Result<Vec<i64>> {
    query("SELECT id FROM incoming WHERE legal_basis = 'kvkk' ORDER BY CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END, due_date, id DESC LIMIT $1")
        .bind(limit)
        .scalars(c)
        .await
}
