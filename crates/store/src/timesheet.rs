//! Sick reports (health data: KVKK m.6; reading them is audited by the
//! use-case), the annual leave they take back, and the monthly
//! timesheets: closed months and their correction records.

use std::collections::BTreeMap;

use time::{Date, OffsetDateTime};

use crate::db::{query, Conn, Row};
use crate::{Result, Write};

/// A new sick report.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub staff_id: i64,
    pub start_date: Date,
    pub end_date: Date,
    pub institution: String,
    pub number: String,
    pub note: String,
}

/// A sick report as stored.
#[derive(Debug, Clone)]
pub struct Report {
    pub id: i64,
    pub staff_id: i64,
    pub start_date: Date,
    pub end_date: Date,
    pub institution: String,
    pub number: String,
    pub note: String,
    pub recorded_by_name: String,
    pub recorded_at: OffsetDateTime,
}

const REPORT_COLS: &str = "r.id, r.staff_id, r.start_date, r.end_date, r.institution, r.number, r.note, u.display_name AS recorded_by_name, r.recorded_at";
const REPORT_FROM: &str = "FROM sick_reports r JOIN users u ON u.id = r.recorded_by";

fn report_from(r: &Row) -> Result<Report> {
    Ok(Report {
        id: r.get("id")?,
        staff_id: r.get("staff_id")?,
        start_date: r.get("start_date")?,
        end_date: r.get("end_date")?,
        institution: r.get("institution")?,
        number: r.get("number")?,
        note: r.get("note")?,
        recorded_by_name: r.get("recorded_by_name")?,
        recorded_at: r.get("recorded_at")?,
    })
}

pub async fn insert_report(w: &mut Write, n: &NewReport, by: i64) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO sick_reports (staff_id, start_date, end_date, institution, number, note, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(n.staff_id)
    .bind(n.start_date)
    .bind(n.end_date)
    .bind(&n.institution)
    .bind(&n.number)
    .bind(&n.note)
    .bind(by)
    .bind(at)
    .scalar(w)
    .await
}

pub async fn report(c: &mut impl Conn, id: i64) -> Result<Option<Report>> {
    query(format!(
        "SELECT {REPORT_COLS} {REPORT_FROM} WHERE r.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?
    .map(|r| report_from(&r))
    .transpose()
}

/// A person's reports, the latest first.
pub async fn reports_of(c: &mut impl Conn, staff_id: i64, limit: i64) -> Result<Vec<Report>> {
    query(format!(
        "SELECT {REPORT_COLS} {REPORT_FROM} WHERE r.staff_id = $1 ORDER BY r.start_date DESC, r.id DESC LIMIT $2"
    ))
    .bind(staff_id)
    .bind(limit)
    .fetch_all(c)
    .await?
    .iter()
    .map(report_from)
    .collect()
}

/// A report of the person sharing a day with `from..=to`.
pub async fn report_overlapping(
    c: &mut impl Conn,
    staff_id: i64,
    from: Date,
    to: Date,
) -> Result<Option<Report>> {
    query(format!(
        "SELECT {REPORT_COLS} {REPORT_FROM} WHERE r.staff_id = $1 AND r.start_date <= $2 AND r.end_date >= $3 ORDER BY r.start_date LIMIT 1"
    ))
    .bind(staff_id)
    .bind(to)
    .bind(from)
    .fetch_optional(c)
    .await?
    .map(|r| report_from(&r))
    .transpose()
}

/// The person's approved leave of `kind` sharing a day with `from..=to`:
/// id, first and last day.
pub async fn approved_overlapping(
    c: &mut impl Conn,
    staff_id: i64,
    kind: &str,
    from: Date,
    to: Date,
) -> Result<Vec<(i64, Date, Date)>> {
    query(
        "SELECT id, start_date, end_date FROM leave_requests
         WHERE staff_id = $1 AND kind = $2 AND state = 'approved' AND start_date <= $3 AND end_date >= $4 ORDER BY start_date",
    )
    .bind(staff_id)
    .bind(kind)
    .bind(to)
    .bind(from)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| Ok((r.get("id")?, r.get("start_date")?, r.get("end_date")?)))
    .collect()
}

/// Records what a report took back from a leave in a year (halves).
pub async fn insert_interruption(
    w: &mut Write,
    staff_id: i64,
    leave: i64,
    report: i64,
    year: i32,
    halves: i64,
) -> Result<()> {
    query("INSERT INTO leave_interruptions (staff_id, leave_id, report_id, year, halves) VALUES ($1, $2, $3, $4, $5)")
        .bind(staff_id)
        .bind(leave)
        .bind(report)
        .bind(i64::from(year))
        .bind(halves)
        .execute(w)
        .await?;
    Ok(())
}

/// What reports took back from the person's approved annual leave, per
/// year, in halves (one range of the person's index).
pub async fn interrupted_by_year(c: &mut impl Conn, staff_id: i64) -> Result<BTreeMap<i32, i64>> {
    let mut out = BTreeMap::new();
    for r in query(
        "SELECT year, CAST(SUM(halves) AS BIGINT) AS halves FROM leave_interruptions WHERE staff_id = $1 GROUP BY year",
    )
    .bind(staff_id)
    .fetch_all(c)
    .await?
    {
        let y: i64 = r.get("year")?;
        out.insert(y as i32, r.get("halves")?);
    }
    Ok(out)
}

/// What a report took back from annual leave, in halves.
pub async fn interrupted_by_report(c: &mut impl Conn, report: i64) -> Result<i64> {
    Ok(query("SELECT CAST(COALESCE(SUM(halves), 0) AS BIGINT) FROM leave_interruptions WHERE report_id = $1")
        .bind(report)
        .scalar_opt(c)
        .await?
        .unwrap_or(0))
}

// ---- Timesheets -------------------------------------------------------------

/// Someone on a unit's timesheet: a post of the unit held for at least a
/// day of the month.
#[derive(Debug, Clone)]
pub struct OnSheet {
    pub staff_id: i64,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub full_name: String,
    pub kind: String,
    pub position: String,
    pub start_date: Date,
    pub end_date: Option<Date>,
}

/// Everyone holding any of `positions` for a day of `first..=last`, by
/// name (one row per appointment).
pub async fn on_sheet(
    c: &mut impl Conn,
    positions: &[String],
    first: Date,
    last: Date,
) -> Result<Vec<OnSheet>> {
    if positions.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = query(
        "SELECT s.id AS staff_id, s.user_id, u.username, s.full_name, s.kind, a.position, a.start_date, a.end_date
         FROM appointments a JOIN staff s ON s.id = a.staff_id LEFT JOIN users u ON u.id = s.user_id
         WHERE a.start_date <= $1 AND (a.end_date IS NULL OR a.end_date >= $2) AND a.position IN ",
    )
    .bind(last)
    .bind(first);
    q.push_list(positions.iter().map(String::as_str));
    q.push(" ORDER BY s.full_name, s.id, a.start_date");
    q.fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            Ok(OnSheet {
                staff_id: r.get("staff_id")?,
                user_id: r.get("user_id")?,
                username: r.get("username")?,
                full_name: r.get("full_name")?,
                kind: r.get("kind")?,
                position: r.get("position")?,
                start_date: r.get("start_date")?,
                end_date: r.get("end_date")?,
            })
        })
        .collect()
}

/// A span away in a month: the staff, first and last day, and what
/// (`annual`, `excuse`, `unpaid` of approved leave; `sick`).
#[derive(Debug, Clone)]
pub struct AwaySpan {
    pub staff_id: i64,
    pub from: Date,
    pub to: Date,
    pub kind: String,
}

/// Every approved leave and every report sharing a day with
/// `first..=last`.
pub async fn away_in(c: &mut impl Conn, first: Date, last: Date) -> Result<Vec<AwaySpan>> {
    let mut out = Vec::new();
    for sql in [
        "SELECT staff_id, start_date, end_date, kind FROM leave_requests WHERE state = 'approved' AND end_date >= $1 AND start_date <= $2",
        "SELECT staff_id, start_date, end_date, 'sick' AS kind FROM sick_reports WHERE end_date >= $1 AND start_date <= $2",
    ] {
        query(sql)
            .bind(first)
            .bind(last)
            .for_each(&mut *c, |r| {
                out.push(AwaySpan {
                    staff_id: r.get("staff_id")?,
                    from: r.get("start_date")?,
                    to: r.get("end_date")?,
                    kind: r.get("kind")?,
                });
                Ok(())
            })
            .await?;
    }
    Ok(out)
}

/// The corrections of `first..=last`, oldest first: staff, day, mark.
pub async fn corrections_in(
    c: &mut impl Conn,
    first: Date,
    last: Date,
) -> Result<Vec<(i64, Date, String)>> {
    let mut out = Vec::new();
    query("SELECT staff_id, day, mark FROM timesheet_corrections WHERE day >= $1 AND day <= $2 ORDER BY id")
        .bind(first)
        .bind(last)
        .for_each(c, |r| {
            out.push((r.get("staff_id")?, r.get("day")?, r.get("mark")?));
            Ok(())
        })
        .await?;
    Ok(out)
}

/// A correction as listed.
#[derive(Debug, Clone)]
pub struct Correction {
    pub id: i64,
    pub staff_id: i64,
    pub full_name: String,
    pub day: Date,
    pub mark: String,
    pub note: String,
    pub made_by_name: String,
    pub made_at: OffsetDateTime,
}

/// The corrections of `first..=last` with names, oldest first.
pub async fn corrections_listed(
    c: &mut impl Conn,
    first: Date,
    last: Date,
) -> Result<Vec<Correction>> {
    query(
        "SELECT k.id, k.staff_id, s.full_name, k.day, k.mark, k.note, u.display_name AS made_by_name, k.made_at
         FROM timesheet_corrections k JOIN staff s ON s.id = k.staff_id JOIN users u ON u.id = k.made_by
         WHERE k.day >= $1 AND k.day <= $2 ORDER BY k.id",
    )
    .bind(first)
    .bind(last)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(Correction {
            id: r.get("id")?,
            staff_id: r.get("staff_id")?,
            full_name: r.get("full_name")?,
            day: r.get("day")?,
            mark: r.get("mark")?,
            note: r.get("note")?,
            made_by_name: r.get("made_by_name")?,
            made_at: r.get("made_at")?,
        })
    })
    .collect()
}

pub async fn insert_correction(
    w: &mut Write,
    staff_id: i64,
    day: Date,
    mark: &str,
    note: &str,
    by: i64,
) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO timesheet_corrections (staff_id, day, mark, note, made_by, made_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(staff_id)
    .bind(day)
    .bind(mark)
    .bind(note)
    .bind(by)
    .bind(at)
    .scalar(w)
    .await
}

/// Overtime minutes per user ordered for `from..until`.
pub async fn overtime_minutes_in(
    c: &mut impl Conn,
    from: OffsetDateTime,
    until: OffsetDateTime,
) -> Result<BTreeMap<i64, i64>> {
    let mut out = BTreeMap::new();
    query("SELECT user_id, CAST(SUM(minutes) AS BIGINT) AS minutes FROM overtime_orders WHERE start_at >= $1 AND start_at < $2 GROUP BY user_id")
        .bind(from)
        .bind(until)
        .for_each(c, |r| {
            out.insert(r.get("user_id")?, r.get("minutes")?);
            Ok(())
        })
        .await?;
    Ok(out)
}

/// The closed months (`YYYY-MM`), the latest first.
pub async fn closed_months(c: &mut impl Conn) -> Result<Vec<String>> {
    query("SELECT month FROM timesheet_closures ORDER BY month DESC")
        .scalars(c)
        .await
}

/// Who closed a month and when.
pub async fn closure(c: &mut impl Conn, month: &str) -> Result<Option<(String, OffsetDateTime)>> {
    query("SELECT u.display_name, k.closed_at FROM timesheet_closures k JOIN users u ON u.id = k.closed_by WHERE k.month = $1")
        .bind(month)
        .fetch_optional(c)
        .await?
        .map(|r| Ok((r.get("display_name")?, r.get("closed_at")?)))
        .transpose()
}

pub async fn close_month(w: &mut Write, month: &str, by: i64) -> Result<()> {
    let at = w.at();
    query("INSERT INTO timesheet_closures (month, closed_by, closed_at) VALUES ($1, $2, $3)")
        .bind(month)
        .bind(by)
        .bind(at)
        .execute(w)
        .await?;
    Ok(())
}
