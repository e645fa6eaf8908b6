//! Staff records and their appointments (personal data: reading one is
//! audited by the use-case that reads it).

use domain::authority::Period;
use time::{Date, OffsetDateTime};

use crate::db::{on_constraint, query, Conn, Row};
use crate::{Result, StoreError, Write};

/// "Until further notice": the end of an open appointment.
pub const OPEN_END: OffsetDateTime = time::macros::datetime!(9999-01-01 0:00 UTC);

/// An appointment runs from the start of its first local day to the end
/// of its last.
pub fn appointment_period(start: Date, end: Option<Date>) -> Period {
    Period {
        from: domain::local::day_start(start),
        until: end
            .and_then(|d| d.next_day())
            .map(domain::local::day_start)
            .unwrap_or(OPEN_END),
    }
}

/// A new staff record with its first appointment.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub user_id: Option<i64>,
    pub full_name: String,
    pub tckn: Option<String>,
    pub kind: String,
    pub phone_ext: String,
    pub email: String,
    pub position: String,
    pub start_date: Date,
    pub end_date: Option<Date>,
}

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// A person holding a position, from the first to the last day (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Appointment {
    pub id: i64,
    pub position: String,
    #[serde(with = "iso_date")]
    pub start_date: Date,
    #[serde(with = "iso_date::option")]
    pub end_date: Option<Date>,
}

impl Appointment {
    pub fn period(&self) -> Period {
        appointment_period(self.start_date, self.end_date)
    }
}

/// A staff record (personal data).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Staff {
    pub id: i64,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub full_name: String,
    pub tckn: Option<String>,
    pub kind: String,
    pub phone_ext: String,
    pub email: String,
    pub appointments: Vec<Appointment>,
}

impl Staff {
    /// The appointments in force at `at`.
    pub fn current(&self, at: OffsetDateTime) -> impl Iterator<Item = &Appointment> {
        self.appointments
            .iter()
            .filter(move |a| a.period().contains(at))
    }
}

fn appointment_from(r: &Row) -> Result<Appointment> {
    Ok(Appointment {
        id: r.get("id")?,
        position: r.get("position")?,
        start_date: r.get("start_date")?,
        end_date: r.get("end_date")?,
    })
}

const STAFF_COLS: &str =
    "s.id, s.user_id, u.username, s.full_name, s.tckn, s.kind, s.phone_ext, s.email";

fn staff_from(r: &Row, appointments: Vec<Appointment>) -> Result<Staff> {
    Ok(Staff {
        id: r.get("id")?,
        user_id: r.get("user_id")?,
        username: r.get("username")?,
        full_name: r.get("full_name")?,
        tckn: r.get("tckn")?,
        kind: r.get("kind")?,
        phone_ext: r.get("phone_ext")?,
        email: r.get("email")?,
        appointments,
    })
}

/// Every staff record with its appointments, in Turkish alphabetical order
/// of their names.
pub async fn list(c: &mut impl Conn) -> Result<Vec<Staff>> {
    let rows = query(format!(
        "SELECT {STAFF_COLS} FROM staff s LEFT JOIN users u ON u.id = s.user_id ORDER BY s.id"
    ))
    .fetch_all(c)
    .await?;
    let apps =
        query("SELECT id, staff_id, position, start_date, end_date FROM appointments ORDER BY id")
            .fetch_all(c)
            .await?;
    let mut by_staff: std::collections::HashMap<i64, Vec<Appointment>> = Default::default();
    for r in &apps {
        by_staff
            .entry(r.get("staff_id")?)
            .or_default()
            .push(appointment_from(r)?);
    }
    let mut list = rows
        .iter()
        .map(|r| {
            let id: i64 = r.get("id")?;
            staff_from(r, by_staff.remove(&id).unwrap_or_default())
        })
        .collect::<Result<Vec<_>>>()?;
    list.sort_by(|a, b| domain::turkish::compare(&a.full_name, &b.full_name));
    Ok(list)
}

pub async fn get(c: &mut impl Conn, id: i64) -> Result<Staff> {
    let row = query(format!(
        "SELECT {STAFF_COLS} FROM staff s LEFT JOIN users u ON u.id = s.user_id WHERE s.id = $1"
    ))
    .bind(id)
    .fetch_one(c)
    .await?;
    let apps = appointments(c, id).await?;
    staff_from(&row, apps)
}

pub async fn appointments(c: &mut impl Conn, staff_id: i64) -> Result<Vec<Appointment>> {
    query("SELECT id, position, start_date, end_date FROM appointments WHERE staff_id = $1 ORDER BY id")
        .bind(staff_id)
        .fetch_all(c)
        .await?
        .iter()
        .map(appointment_from)
        .collect()
}

/// The staff record of an account, if it has one.
pub async fn of_user(c: &mut impl Conn, user_id: i64) -> Result<Option<i64>> {
    query("SELECT id FROM staff WHERE user_id = $1")
        .bind(user_id)
        .scalar_opt(c)
        .await
}

/// Inserts a staff record with its first appointment. `Conflict`:
/// `tckn_taken`, `account_has_staff`.
pub async fn insert(w: &mut Write, s: &NewStaff) -> Result<i64> {
    if let Some(t) = &s.tckn {
        let taken: i64 = query("SELECT COUNT(*) FROM staff WHERE tckn = $1")
            .bind(t)
            .scalar(w)
            .await?;
        if taken > 0 {
            return Err(StoreError::Conflict("tckn_taken"));
        }
    }
    if let Some(u) = s.user_id {
        if of_user(w, u).await?.is_some() {
            return Err(StoreError::Conflict("account_has_staff"));
        }
    }
    let at = w.at();
    let id: i64 = query(
        "INSERT INTO staff (user_id, full_name, tckn, kind, phone_ext, email, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(s.user_id)
    .bind(&s.full_name)
    .bind(&s.tckn)
    .bind(&s.kind)
    .bind(&s.phone_ext)
    .bind(&s.email)
    .bind(at)
    .scalar(w)
    .await
    .map_err(on_constraint(Some("tckn_taken"), None))?;
    insert_appointment(w, id, &s.position, s.start_date, s.end_date).await?;
    Ok(id)
}

pub async fn insert_appointment(
    w: &mut Write,
    staff: i64,
    position: &str,
    start: Date,
    end: Option<Date>,
) -> Result<()> {
    let at = w.at();
    query("INSERT INTO appointments (staff_id, position, start_date, end_date, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(staff)
        .bind(position)
        .bind(start)
        .bind(end)
        .bind(at)
        .execute(w)
        .await?;
    Ok(())
}

/// Ends an appointment on `last_day` (inclusive).
pub async fn end_appointment(w: &mut Write, id: i64, last_day: Date) -> Result<()> {
    query("UPDATE appointments SET end_date = $2 WHERE id = $1")
        .bind(id)
        .bind(last_day)
        .execute(w)
        .await?;
    Ok(())
}

/// Removes an appointment that never took effect (begun and gone the same
/// day).
pub async fn delete_appointment(w: &mut Write, id: i64) -> Result<()> {
    query("DELETE FROM appointments WHERE id = $1")
        .bind(id)
        .execute(w)
        .await?;
    Ok(())
}

/// The display name of whoever holds `position` on `day` (the first if
/// several do), for a form's signature block.
pub async fn holder_name(c: &mut impl Conn, position: &str, day: Date) -> Result<Option<String>> {
    query("SELECT u.display_name FROM appointments a JOIN staff s ON s.id = a.staff_id JOIN users u ON u.id = s.user_id
           WHERE a.position = $1 AND a.start_date <= $2 AND (a.end_date IS NULL OR a.end_date >= $2) ORDER BY a.start_date, a.id LIMIT 1")
        .bind(position)
        .bind(day)
        .fetch_optional(c)
        .await?
        .map(|r| r.get(0))
        .transpose()
}
