//! Leave: the staff record's employment facts (personal data: reading them
//! is audited by the use-case) and the leave requests.

use std::collections::BTreeMap;

use time::{Date, OffsetDateTime};

use crate::db::{query, Conn, Row};
use crate::{Result, Write};

/// What the balance needs of a staff record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Employment {
    pub service_start: Option<Date>,
    pub birth_date: Option<Date>,
    pub agreement: String,
    pub agreement_leave_days: Option<i64>,
    /// The opening balance: the days (in halves) carried into a year.
    pub opening_year: Option<i64>,
    pub opening_halves: Option<i64>,
    /// Read only: the staff kind and the name.
    pub kind: String,
    pub full_name: String,
}

pub async fn employment(c: &mut impl Conn, staff_id: i64) -> Result<Employment> {
    let r = query(
        "SELECT service_start, birth_date, agreement, agreement_leave_days, opening_year, opening_halves, kind, full_name FROM staff WHERE id = $1",
    )
    .bind(staff_id)
    .fetch_one(c)
    .await?;
    Ok(Employment {
        service_start: r.get("service_start")?,
        birth_date: r.get("birth_date")?,
        agreement: r.get("agreement")?,
        agreement_leave_days: r.get("agreement_leave_days")?,
        opening_year: r.get("opening_year")?,
        opening_halves: r.get("opening_halves")?,
        kind: r.get("kind")?,
        full_name: r.get("full_name")?,
    })
}

pub async fn set_employment(w: &mut Write, staff_id: i64, e: &Employment) -> Result<()> {
    query(
        "UPDATE staff SET service_start = $1, birth_date = $2, agreement = $3, agreement_leave_days = $4, opening_year = $5, opening_halves = $6 WHERE id = $7",
    )
    .bind(e.service_start)
    .bind(e.birth_date)
    .bind(&e.agreement)
    .bind(e.agreement_leave_days)
    .bind(e.opening_year)
    .bind(e.opening_halves)
    .bind(staff_id)
    .execute(w)
    .await?;
    Ok(())
}

/// A new request.
#[derive(Debug, Clone)]
pub struct NewLeave {
    pub staff_id: i64,
    pub user_id: i64,
    pub kind: String,
    /// Excuse leave's reason; empty for other kinds.
    pub reason: String,
    pub start_date: Date,
    pub end_date: Date,
    pub halves: i64,
    pub address: String,
    pub note: String,
    /// Each year's working days, in halves.
    pub years: Vec<(i32, i64)>,
}

/// A request as stored, with the names of those on it.
#[derive(Debug, Clone)]
pub struct Leave {
    pub id: i64,
    pub staff_id: i64,
    pub user_id: i64,
    pub person_name: String,
    pub kind: String,
    pub reason: String,
    pub start_date: Date,
    pub end_date: Date,
    pub halves: i64,
    pub address: String,
    pub note: String,
    pub state: String,
    pub created_at: OffsetDateTime,
    pub initialled_by_name: Option<String>,
    pub initialled_at: Option<OffsetDateTime>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
    pub decision_note: String,
    pub decision_basis: String,
    /// At the approval: the year and what remained of it, in halves.
    pub balance_year: Option<i64>,
    pub remaining_after: Option<i64>,
}

const COLS: &str = "l.id, l.staff_id, l.user_id, s.full_name AS person_name, l.kind, l.reason, l.start_date, l.end_date, l.halves, l.address, l.note, l.state, l.created_at, i.display_name AS initialled_by_name, l.initialled_at, d.display_name AS decided_by_name, l.decided_at, l.decision_note, l.decision_basis, l.balance_year, l.remaining_after";
const FROM: &str = "FROM leave_requests l JOIN staff s ON s.id = l.staff_id LEFT JOIN users i ON i.id = l.initialled_by LEFT JOIN users d ON d.id = l.decided_by";

fn leave_from(r: &Row) -> Result<Leave> {
    Ok(Leave {
        id: r.get("id")?,
        staff_id: r.get("staff_id")?,
        user_id: r.get("user_id")?,
        person_name: r.get("person_name")?,
        kind: r.get("kind")?,
        reason: r.get("reason")?,
        start_date: r.get("start_date")?,
        end_date: r.get("end_date")?,
        halves: r.get("halves")?,
        address: r.get("address")?,
        note: r.get("note")?,
        state: r.get("state")?,
        created_at: r.get("created_at")?,
        initialled_by_name: r.get("initialled_by_name")?,
        initialled_at: r.get("initialled_at")?,
        decided_by_name: r.get("decided_by_name")?,
        decided_at: r.get("decided_at")?,
        decision_note: r.get("decision_note")?,
        decision_basis: r.get("decision_basis")?,
        balance_year: r.get("balance_year")?,
        remaining_after: r.get("remaining_after")?,
    })
}

/// The states that hold their days (undecided or approved).
const HOLDING: &str = "('requested', 'initialled', 'approved')";

pub async fn insert(w: &mut Write, n: &NewLeave) -> Result<i64> {
    let at = w.at();
    let id: i64 = query(
        "INSERT INTO leave_requests (staff_id, user_id, kind, start_date, end_date, halves, address, note, state, created_at, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested', $9, $10) RETURNING id",
    )
    .bind(n.staff_id)
    .bind(n.user_id)
    .bind(&n.kind)
    .bind(n.start_date)
    .bind(n.end_date)
    .bind(n.halves)
    .bind(&n.address)
    .bind(&n.note)
    .bind(at)
    .bind(&n.reason)
    .scalar(&mut *w)
    .await?;
    for &(year, halves) in &n.years {
        query("INSERT INTO leave_request_years (request_id, year, halves) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(i64::from(year))
            .bind(halves)
            .execute(&mut *w)
            .await?;
    }
    Ok(id)
}

pub async fn get(c: &mut impl Conn, id: i64) -> Result<Option<Leave>> {
    query(format!("SELECT {COLS} {FROM} WHERE l.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| leave_from(&r))
        .transpose()
}

/// A person's requests, the latest first.
pub async fn of_staff(c: &mut impl Conn, staff_id: i64, limit: i64) -> Result<Vec<Leave>> {
    query(format!(
        "SELECT {COLS} {FROM} WHERE l.staff_id = $1 ORDER BY l.start_date DESC, l.id DESC LIMIT $2"
    ))
    .bind(staff_id)
    .bind(limit)
    .fetch_all(c)
    .await?
    .iter()
    .map(leave_from)
    .collect()
}

/// Every undecided request, the oldest first.
pub async fn open(c: &mut impl Conn) -> Result<Vec<Leave>> {
    query(format!(
        "SELECT {COLS} {FROM} WHERE l.state IN ('requested', 'initialled') ORDER BY l.created_at, l.id"
    ))
    .fetch_all(c)
    .await?
    .iter()
    .map(leave_from)
    .collect()
}

/// A request of the person that holds its days and shares a day with
/// `from..=to`.
pub async fn overlapping(
    c: &mut impl Conn,
    staff_id: i64,
    from: Date,
    to: Date,
) -> Result<Option<Leave>> {
    query(format!(
        "SELECT {COLS} {FROM} WHERE l.staff_id = $1 AND l.state IN {HOLDING} AND l.start_date <= $2 AND l.end_date >= $3 ORDER BY l.start_date LIMIT 1"
    ))
    .bind(staff_id)
    .bind(to)
    .bind(from)
    .fetch_optional(c)
    .await?
    .map(|r| leave_from(&r))
    .transpose()
}

/// Each year's approved and undecided annual leave of a person, in halves.
pub async fn year_totals(
    c: &mut impl Conn,
    staff_id: i64,
) -> Result<(BTreeMap<i32, i64>, BTreeMap<i32, i64>)> {
    let rows = query(format!(
        "SELECT y.year, CAST(CASE WHEN l.state = 'approved' THEN 1 ELSE 0 END AS BIGINT) AS approved, CAST(SUM(y.halves) AS BIGINT) AS halves
         FROM leave_request_years y JOIN leave_requests l ON l.id = y.request_id
         WHERE l.staff_id = $1 AND l.kind = 'annual' AND l.state IN {HOLDING}
         GROUP BY y.year, CASE WHEN l.state = 'approved' THEN 1 ELSE 0 END"
    ))
    .bind(staff_id)
    .fetch_all(&mut *c)
    .await?;
    let (mut used, mut pending) = (BTreeMap::new(), BTreeMap::new());
    for r in &rows {
        let year: i64 = r.get("year")?;
        let approved = r.get::<i64>("approved")? == 1;
        let halves: i64 = r.get("halves")?;
        let m = if approved { &mut used } else { &mut pending };
        *m.entry(year as i32).or_insert(0) += halves;
    }
    // What sick reports took back is not used (Hastalık Raporları
    // Yönetmeliği m.8).
    for (year, back) in crate::timesheet::interrupted_by_year(c, staff_id).await? {
        if let Some(u) = used.get_mut(&year) {
            *u = (*u - back).max(0);
        }
    }
    Ok((used, pending))
}

/// Each year's days of excuse leave for `reason` the person holds
/// (undecided or approved), in halves.
pub async fn excuse_year_totals(
    c: &mut impl Conn,
    staff_id: i64,
    reason: &str,
) -> Result<BTreeMap<i32, i64>> {
    kind_year_totals(c, staff_id, "excuse", Some(reason)).await
}

/// The spans of the person's leave of `kind` for `reason` held
/// (undecided or approved), oldest first.
pub async fn spans_of(
    c: &mut impl Conn,
    staff_id: i64,
    kind: &str,
    reason: &str,
) -> Result<Vec<(Date, Date)>> {
    let mut out = Vec::new();
    for r in query(format!(
        "SELECT start_date, end_date FROM leave_requests WHERE staff_id = $1 AND kind = $2 AND reason = $3 AND state IN {HOLDING} ORDER BY start_date"
    ))
    .bind(staff_id)
    .bind(kind)
    .bind(reason)
    .fetch_all(c)
    .await?
    {
        out.push((r.get("start_date")?, r.get("end_date")?));
    }
    Ok(out)
}

/// Each year's days of the person's leave of `kind` (for `reason` only,
/// if given) held (undecided or approved), in halves.
pub async fn kind_year_totals(
    c: &mut impl Conn,
    staff_id: i64,
    kind: &str,
    reason: Option<&str>,
) -> Result<BTreeMap<i32, i64>> {
    let mut out = BTreeMap::new();
    for r in query(format!(
        "SELECT y.year, CAST(SUM(y.halves) AS BIGINT) AS halves FROM leave_request_years y JOIN leave_requests l ON l.id = y.request_id
         WHERE l.staff_id = $1 AND l.kind = $2 AND ($3 IS NULL OR l.reason = $3) AND l.state IN {HOLDING} GROUP BY y.year"
    ))
    .bind(staff_id)
    .bind(kind)
    .bind(reason)
    .fetch_all(c)
    .await?
    {
        let y: i64 = r.get("year")?;
        out.insert(y as i32, r.get("halves")?);
    }
    Ok(out)
}

/// The Şef's initials.
pub async fn initial(w: &mut Write, id: i64, by: i64) -> Result<()> {
    let at = w.at();
    query("UPDATE leave_requests SET state = 'initialled', initialled_by = $1, initialled_at = $2 WHERE id = $3")
        .bind(by)
        .bind(at)
        .bind(id)
        .execute(w)
        .await?;
    Ok(())
}

/// The decision that ends it (approved, returned, rejected).
pub async fn decide(
    w: &mut Write,
    id: i64,
    state: &str,
    by: i64,
    note: &str,
    basis: &str,
) -> Result<()> {
    let at = w.at();
    query("UPDATE leave_requests SET state = $1, decided_by = $2, decided_at = $3, decision_note = $4, decision_basis = $5 WHERE id = $6")
        .bind(state)
        .bind(by)
        .bind(at)
        .bind(note)
        .bind(basis)
        .bind(id)
        .execute(w)
        .await?;
    Ok(())
}

/// Records what remained of the year at the approval.
pub async fn set_remaining_after(w: &mut Write, id: i64, year: i64, halves: i64) -> Result<()> {
    query("UPDATE leave_requests SET balance_year = $1, remaining_after = $2 WHERE id = $3")
        .bind(year)
        .bind(halves)
        .bind(id)
        .execute(w)
        .await?;
    Ok(())
}

/// Who holds any of `positions` on the local day `on` (their users).
pub async fn holders_on(c: &mut impl Conn, positions: &[String], on: Date) -> Result<Vec<i64>> {
    if positions.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = query(
        "SELECT DISTINCT s.user_id FROM appointments a JOIN staff s ON s.id = a.staff_id
         WHERE s.user_id IS NOT NULL AND a.start_date <= $1 AND (a.end_date IS NULL OR a.end_date >= $1) AND a.position IN ",
    )
    .bind(on);
    q.push_list(positions.iter().map(String::as_str));
    q.fetch_all(c)
        .await?
        .iter()
        .map(|r| r.get("user_id"))
        .collect()
}
