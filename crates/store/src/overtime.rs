//! Overtime orders.

use time::OffsetDateTime;

use crate::db::{query, Conn, Row};
use crate::{Result, Write};

/// A new order.
#[derive(Debug, Clone)]
pub struct NewOrder {
    pub staff_id: i64,
    pub user_id: i64,
    pub start_at: OffsetDateTime,
    pub end_at: OffsetDateTime,
    pub minutes: i64,
    pub reason: String,
    pub ordered_by: i64,
    pub basis: String,
}

/// An order with the names on it.
#[derive(Debug, Clone)]
pub struct Order {
    pub id: i64,
    pub user_id: i64,
    pub person_name: String,
    pub start_at: OffsetDateTime,
    pub end_at: OffsetDateTime,
    pub minutes: i64,
    pub reason: String,
    pub ordered_by_name: String,
    pub ordered_at: OffsetDateTime,
}

fn order_from(r: &Row) -> Result<Order> {
    Ok(Order {
        id: r.get("id")?,
        user_id: r.get("user_id")?,
        person_name: r.get("person_name")?,
        start_at: r.get("start_at")?,
        end_at: r.get("end_at")?,
        minutes: r.get("minutes")?,
        reason: r.get("reason")?,
        ordered_by_name: r.get("ordered_by_name")?,
        ordered_at: r.get("ordered_at")?,
    })
}

const COLS: &str = "o.id, o.user_id, s.full_name AS person_name, o.start_at, o.end_at, o.minutes, o.reason, b.display_name AS ordered_by_name, o.ordered_at";
const FROM: &str =
    "FROM overtime_orders o JOIN staff s ON s.id = o.staff_id JOIN users b ON b.id = o.ordered_by";

pub async fn insert(w: &mut Write, n: &NewOrder) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO overtime_orders (staff_id, user_id, start_at, end_at, minutes, reason, ordered_by, ordered_at, basis)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(n.staff_id)
    .bind(n.user_id)
    .bind(n.start_at)
    .bind(n.end_at)
    .bind(n.minutes)
    .bind(&n.reason)
    .bind(n.ordered_by)
    .bind(at)
    .bind(&n.basis)
    .scalar(w)
    .await
}

pub async fn get(c: &mut impl Conn, id: i64) -> Result<Option<Order>> {
    query(format!("SELECT {COLS} {FROM} WHERE o.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| order_from(&r))
        .transpose()
}

/// Whether the person has an order sharing a moment with `from..until`.
pub async fn overlaps(
    c: &mut impl Conn,
    user_id: i64,
    from: OffsetDateTime,
    until: OffsetDateTime,
) -> Result<bool> {
    Ok(query(
        "SELECT 1 FROM overtime_orders WHERE user_id = $1 AND start_at < $2 AND end_at > $3 LIMIT 1",
    )
    .bind(user_id)
    .bind(until)
    .bind(from)
    .fetch_optional(c)
    .await?
    .is_some())
}

/// The minutes ordered starting in `from..until`, for one person or
/// (`None`) everyone.
pub async fn minutes_in(
    c: &mut impl Conn,
    user_id: Option<i64>,
    from: OffsetDateTime,
    until: OffsetDateTime,
) -> Result<i64> {
    let mut q = query(
        "SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) FROM overtime_orders WHERE start_at >= $1 AND start_at < $2",
    )
    .bind(from)
    .bind(until);
    if let Some(u) = user_id {
        q.push(" AND user_id = ").push_bind(u);
    }
    q.scalar(c).await
}

/// The orders starting in `from..until`, for one person or everyone, the
/// latest first.
pub async fn list(
    c: &mut impl Conn,
    user_id: Option<i64>,
    from: OffsetDateTime,
    until: OffsetDateTime,
    limit: i64,
) -> Result<Vec<Order>> {
    let mut q = query(format!(
        "SELECT {COLS} {FROM} WHERE o.start_at >= $1 AND o.start_at < $2"
    ))
    .bind(from)
    .bind(until);
    if let Some(u) = user_id {
        q.push(" AND o.user_id = ").push_bind(u);
    }
    q.push(" ORDER BY o.start_at DESC, o.id DESC LIMIT ")
        .push_bind(limit);
    q.fetch_all(c).await?.iter().map(order_from).collect()
}
