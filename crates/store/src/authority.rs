//! The facts the authority engine decides on (who holds which position,
//! the delegations and deputyships they received), and the delegation and
//! deputyship records themselves (m.10/4, m.12/2).
//!
//! A use-case reads these inside its own [`Write`], after the writers'
//! lock: a revocation that has committed is always seen, and one that has
//! not waits for the use to finish.

use domain::authority::{Delegation, Deputyship, FactSet, Holding, Period};
use time::OffsetDateTime;

use crate::db::{query, Conn, Row};
use crate::{Result, Write};

/// A delegation with the people it joins (usernames and names).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DelegationRow {
    #[serde(flatten)]
    pub delegation: Delegation,
    pub from: String,
    pub to: String,
    pub from_name: String,
    pub to_name: String,
}

/// A deputyship with the people it joins (usernames and names).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeputyshipRow {
    #[serde(flatten)]
    pub deputyship: Deputyship,
    pub deputy_username: String,
    pub for_username: String,
    pub deputy_name: String,
    pub for_name: String,
}

/// The positions `user` holds (has held, will hold), with their staff kind.
pub async fn holdings_of(c: &mut impl Conn, user: i64) -> Result<Vec<Holding>> {
    let rows = query(
        "SELECT a.position, a.start_date, a.end_date, s.kind FROM appointments a
         JOIN staff s ON s.id = a.staff_id WHERE s.user_id = $1 ORDER BY a.id",
    )
    .bind(user)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            let start: time::Date = r.get("start_date")?;
            let end: Option<time::Date> = r.get("end_date")?;
            Ok(Holding {
                user,
                position: r.get("position")?,
                staff_kind: r.get("kind")?,
                period: crate::staff::appointment_period(start, end),
            })
        })
        .collect()
}

/// Only the person's own holdings: enough for a decision by position, the
/// common case (one query).
pub async fn own_facts(c: &mut impl Conn, user: i64) -> Result<FactSet> {
    let mut facts = FactSet::default();
    for h in holdings_of(c, user).await? {
        facts.hold(h);
    }
    Ok(facts)
}

const DELEGATION_COLS: &str = "d.id, d.from_user, d.to_user, d.authority, d.valid_from, d.valid_until, d.approval_ref, d.revoked_at";
const DEPUTYSHIP_COLS: &str =
    "d.id, d.deputy, d.for_user, d.valid_from, d.valid_until, d.approval_ref, d.revoked_at";

fn delegation_from(r: &Row) -> Result<Delegation> {
    Ok(Delegation {
        id: r.get("id")?,
        from_user: r.get("from_user")?,
        to_user: r.get("to_user")?,
        authority: r.get("authority")?,
        period: Period {
            from: r.get("valid_from")?,
            until: r.get("valid_until")?,
        },
        approval_ref: r.get("approval_ref")?,
        revoked_at: r.get("revoked_at")?,
    })
}

fn deputyship_from(r: &Row) -> Result<Deputyship> {
    Ok(Deputyship {
        id: r.get("id")?,
        deputy: r.get("deputy")?,
        for_user: r.get("for_user")?,
        period: Period {
            from: r.get("valid_from")?,
            until: r.get("valid_until")?,
        },
        approval_ref: r.get("approval_ref")?,
        revoked_at: r.get("revoked_at")?,
    })
}

/// Everything the engine needs to decide for `user`: their holdings, the
/// delegations and deputyships they received, and the holdings of the
/// people those came from.
pub async fn facts_about(c: &mut impl Conn, user: i64) -> Result<FactSet> {
    let mut facts = own_facts(c, user).await?;
    let dels = query(format!(
        "SELECT {DELEGATION_COLS} FROM delegations d WHERE d.to_user = $1"
    ))
    .bind(user)
    .fetch_all(c)
    .await?;
    let deps = query(format!(
        "SELECT {DEPUTYSHIP_COLS} FROM deputyships d WHERE d.deputy = $1"
    ))
    .bind(user)
    .fetch_all(c)
    .await?;
    let mut others = Vec::new();
    for r in &dels {
        let d = delegation_from(r)?;
        others.push(d.from_user);
        facts.delegate(d);
    }
    for r in &deps {
        let d = deputyship_from(r)?;
        others.push(d.for_user);
        facts.deputise(d);
    }
    others.sort_unstable();
    others.dedup();
    for o in others.into_iter().filter(|o| *o != user) {
        for h in holdings_of(c, o).await? {
            facts.hold(h);
        }
    }
    Ok(facts)
}

/// Adds the holdings of `others` to `facts` (a decision about several
/// people at once: the delegator and the recipient of a delegation).
pub async fn add_holdings(c: &mut impl Conn, facts: &mut FactSet, others: &[i64]) -> Result<()> {
    for o in others {
        for h in holdings_of(c, *o).await? {
            facts.hold(h);
        }
    }
    Ok(())
}

const DELEGATION_NAMES: &str = "f.username AS from_username, t.username AS to_username, f.display_name AS from_name, t.display_name AS to_name";

fn delegation_row(r: &Row) -> Result<DelegationRow> {
    Ok(DelegationRow {
        delegation: delegation_from(r)?,
        from: r.get("from_username")?,
        to: r.get("to_username")?,
        from_name: r.get("from_name")?,
        to_name: r.get("to_name")?,
    })
}

pub async fn delegation(c: &mut impl Conn, id: i64) -> Result<DelegationRow> {
    delegation_row(
        &query(format!(
            "SELECT {DELEGATION_COLS}, {DELEGATION_NAMES} FROM delegations d
             JOIN users f ON f.id = d.from_user JOIN users t ON t.id = d.to_user WHERE d.id = $1"
        ))
        .bind(id)
        .fetch_one(c)
        .await?,
    )
}

/// Every delegation, newest first.
pub async fn delegations(c: &mut impl Conn) -> Result<Vec<DelegationRow>> {
    query(format!(
        "SELECT {DELEGATION_COLS}, {DELEGATION_NAMES} FROM delegations d
         JOIN users f ON f.id = d.from_user JOIN users t ON t.id = d.to_user ORDER BY d.id DESC"
    ))
    .fetch_all(c)
    .await?
    .iter()
    .map(delegation_row)
    .collect()
}

pub async fn insert_delegation(
    w: &mut Write,
    from: i64,
    to: i64,
    authority: &str,
    period: Period,
    approval_ref: &str,
) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO delegations (from_user, to_user, authority, valid_from, valid_until, approval_ref, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $1, $7) RETURNING id",
    )
    .bind(from)
    .bind(to)
    .bind(authority)
    .bind(period.from)
    .bind(period.until)
    .bind(approval_ref)
    .bind(at)
    .scalar(w)
    .await
}

pub async fn revoke_delegation(w: &mut Write, id: i64, by: i64) -> Result<OffsetDateTime> {
    let at = w.at();
    query("UPDATE delegations SET revoked_at = $2, revoked_by = $3 WHERE id = $1")
        .bind(id)
        .bind(at)
        .bind(by)
        .execute(w)
        .await?;
    Ok(at)
}

const DEPUTYSHIP_NAMES: &str =
    "a.username AS deputy_username, b.username AS for_username, a.display_name AS deputy_name, b.display_name AS for_name";

fn deputyship_row(r: &Row) -> Result<DeputyshipRow> {
    Ok(DeputyshipRow {
        deputyship: deputyship_from(r)?,
        deputy_username: r.get("deputy_username")?,
        for_username: r.get("for_username")?,
        deputy_name: r.get("deputy_name")?,
        for_name: r.get("for_name")?,
    })
}

pub async fn deputyship(c: &mut impl Conn, id: i64) -> Result<DeputyshipRow> {
    deputyship_row(
        &query(format!(
            "SELECT {DEPUTYSHIP_COLS}, {DEPUTYSHIP_NAMES} FROM deputyships d
             JOIN users a ON a.id = d.deputy JOIN users b ON b.id = d.for_user WHERE d.id = $1"
        ))
        .bind(id)
        .fetch_one(c)
        .await?,
    )
}

/// Every deputyship, newest first.
pub async fn deputyships(c: &mut impl Conn) -> Result<Vec<DeputyshipRow>> {
    query(format!(
        "SELECT {DEPUTYSHIP_COLS}, {DEPUTYSHIP_NAMES} FROM deputyships d
         JOIN users a ON a.id = d.deputy JOIN users b ON b.id = d.for_user ORDER BY d.id DESC"
    ))
    .fetch_all(c)
    .await?
    .iter()
    .map(deputyship_row)
    .collect()
}

/// The deputyships standing in for `for_user` (revoked ones too).
pub async fn deputyships_for(c: &mut impl Conn, for_user: i64) -> Result<Vec<Deputyship>> {
    query(format!(
        "SELECT {DEPUTYSHIP_COLS} FROM deputyships d WHERE d.for_user = $1"
    ))
    .bind(for_user)
    .fetch_all(c)
    .await?
    .iter()
    .map(deputyship_from)
    .collect()
}

pub async fn insert_deputyship(
    w: &mut Write,
    deputy: i64,
    for_user: i64,
    period: Period,
    approval_ref: &str,
    by: i64,
) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO deputyships (deputy, for_user, valid_from, valid_until, approval_ref, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(deputy)
    .bind(for_user)
    .bind(period.from)
    .bind(period.until)
    .bind(approval_ref)
    .bind(by)
    .bind(at)
    .scalar(w)
    .await
}

pub async fn revoke_deputyship(w: &mut Write, id: i64, by: i64) -> Result<OffsetDateTime> {
    let at = w.at();
    query("UPDATE deputyships SET revoked_at = $2, revoked_by = $3 WHERE id = $1")
        .bind(id)
        .bind(at)
        .bind(by)
        .execute(w)
        .await?;
    Ok(at)
}
