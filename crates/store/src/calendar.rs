//! The administrator's edits of the working calendar (idari izin days,
//! corrections), layered over the shipped official holidays.

use domain::calendar::{DayKind, SpecialDay};
use time::Date;

use crate::db::{query, Conn, Row};
use crate::{Result, StoreError, Write};

fn special_from(r: &Row) -> Result<SpecialDay> {
    let kind: String = r.get("kind")?;
    Ok(SpecialDay {
        date: r.get("day")?,
        kind: DayKind::parse(&kind)
            .ok_or_else(|| StoreError::Internal(anyhow::anyhow!("unknown day kind {kind}")))?,
        name: r.get("name")?,
    })
}

pub async fn days(c: &mut impl Conn) -> Result<Vec<SpecialDay>> {
    query("SELECT day, kind, name FROM calendar_days ORDER BY day")
        .fetch_all(c)
        .await?
        .iter()
        .map(special_from)
        .collect()
}

/// The edit of one date, if any.
pub async fn day(c: &mut impl Conn, day: Date) -> Result<Option<SpecialDay>> {
    query("SELECT day, kind, name FROM calendar_days WHERE day = $1")
        .bind(day)
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(special_from)
        .transpose()
}

/// Sets (or with `None`, removes) the edit of one date.
pub async fn set_day(
    w: &mut Write,
    day: Date,
    edit: Option<(DayKind, &str)>,
    by: i64,
) -> Result<()> {
    query("DELETE FROM calendar_days WHERE day = $1")
        .bind(day)
        .execute(w)
        .await?;
    if let Some((kind, name)) = edit {
        let at = w.at();
        query("INSERT INTO calendar_days (day, kind, name, created_by, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(day)
            .bind(kind.as_str())
            .bind(name)
            .bind(by)
            .bind(at)
            .execute(w)
            .await?;
    }
    Ok(())
}
