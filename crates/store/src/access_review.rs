//! Periodic access reviews: a snapshot of who holds which account, post,
//! authority and system role, each line kept or flagged by a superior, the
//! whole signed off.

use time::OffsetDateTime;

use crate::db::{query, Conn, Row};
use crate::{Result, Write};

#[derive(Debug, Clone)]
pub struct Review {
    pub id: i64,
    pub title: String,
    pub opened_by_name: String,
    pub opened_at: OffsetDateTime,
    pub signed_off_by_name: Option<String>,
    pub signed_off_at: Option<OffsetDateTime>,
    pub note: String,
}

const REVIEW: &str = "SELECT r.id, r.title, o.display_name AS opened_by_name, r.opened_at, s.display_name AS signed_off_by_name, r.signed_off_at, r.note
    FROM access_reviews r JOIN users o ON o.id = r.opened_by LEFT JOIN users s ON s.id = r.signed_off_by";

fn review_from(r: &Row) -> Result<Review> {
    Ok(Review {
        id: r.get("id")?,
        title: r.get("title")?,
        opened_by_name: r.get("opened_by_name")?,
        opened_at: r.get("opened_at")?,
        signed_off_by_name: r.get("signed_off_by_name")?,
        signed_off_at: r.get("signed_off_at")?,
        note: r.get("note")?,
    })
}

pub async fn insert(w: &mut Write, title: &str, by: i64) -> Result<i64> {
    let at = w.at();
    query("INSERT INTO access_reviews (title, opened_by, opened_at, note) VALUES ($1, $2, $3, '') RETURNING id")
        .bind(title)
        .bind(by)
        .bind(at)
        .scalar(w)
        .await
}

pub async fn insert_line(w: &mut Write, review: i64, user: i64, summary: &str) -> Result<()> {
    query("INSERT INTO access_review_lines (review_id, user_id, summary) VALUES ($1, $2, $3)")
        .bind(review)
        .bind(user)
        .bind(summary)
        .execute(w)
        .await?;
    Ok(())
}

pub async fn get(c: &mut impl Conn, id: i64) -> Result<Option<Review>> {
    query(format!("{REVIEW} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| review_from(&r))
        .transpose()
}

pub async fn list(c: &mut impl Conn, limit: i64) -> Result<Vec<Review>> {
    let mut out = Vec::new();
    for r in query(format!("{REVIEW} ORDER BY r.id DESC LIMIT $1"))
        .bind(limit)
        .fetch_all(c)
        .await?
    {
        out.push(review_from(&r)?);
    }
    Ok(out)
}

/// When the last review was signed off.
pub async fn last_signed_off(c: &mut impl Conn) -> Result<Option<OffsetDateTime>> {
    query("SELECT MAX(signed_off_at) FROM access_reviews")
        .fetch_optional(c)
        .await?
        .map(|r| r.get(0))
        .transpose()
        .map(Option::flatten)
}

#[derive(Debug, Clone)]
pub struct Line {
    pub user_id: i64,
    /// JSON: what the person held when the review was opened.
    pub summary: String,
    /// `keep` or `revoke`; `None` while undecided.
    pub decision: Option<String>,
    pub remark: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
}

pub async fn lines(c: &mut impl Conn, review: i64) -> Result<Vec<Line>> {
    let mut out = Vec::new();
    for r in query("SELECT l.user_id, l.summary, l.decision, l.remark, d.display_name AS decided_by_name, l.decided_at
                    FROM access_review_lines l LEFT JOIN users d ON d.id = l.decided_by WHERE l.review_id = $1 ORDER BY l.user_id")
        .bind(review)
        .fetch_all(c)
        .await?
    {
        out.push(Line {
            user_id: r.get("user_id")?,
            summary: r.get("summary")?,
            decision: r.get("decision")?,
            remark: r.get("remark")?,
            decided_by_name: r.get("decided_by_name")?,
            decided_at: r.get("decided_at")?,
        });
    }
    Ok(out)
}

/// Records a line's decision while the review is open; false if it is not
/// (no such line, or the review is signed off).
pub async fn decide(
    w: &mut Write,
    review: i64,
    user: i64,
    decision: &str,
    remark: &str,
    by: i64,
) -> Result<bool> {
    let at = w.at();
    Ok(query("UPDATE access_review_lines SET decision = $3, remark = $4, decided_by = $5, decided_at = $6
              WHERE review_id = $1 AND user_id = $2 AND NOT EXISTS (SELECT 1 FROM access_reviews r WHERE r.id = $1 AND r.signed_off_at IS NOT NULL)")
        .bind(review)
        .bind(user)
        .bind(decision)
        .bind(remark)
        .bind(by)
        .bind(at)
        .execute(w)
        .await?
        == 1)
}

/// Signs a review off; false if it was already.
pub async fn sign_off(w: &mut Write, review: i64, note: &str, by: i64) -> Result<bool> {
    let at = w.at();
    Ok(query("UPDATE access_reviews SET signed_off_by = $2, signed_off_at = $3, note = $4 WHERE id = $1 AND signed_off_at IS NULL")
        .bind(review)
        .bind(by)
        .bind(at)
        .bind(note)
        .execute(w)
        .await?
        == 1)
}

/// Every account: id, name, whether an administrator, where it signs in,
/// the day it closed if it did.
pub async fn accounts(
    c: &mut impl Conn,
) -> Result<Vec<(i64, String, bool, String, Option<time::Date>)>> {
    let mut out = Vec::new();
    for r in query("SELECT id, display_name, is_admin, auth_source, closed_on FROM users ORDER BY id LIMIT 5000")
        .fetch_all(c)
        .await?
    {
        out.push((
            r.get("id")?,
            r.get("display_name")?,
            r.get("is_admin")?,
            r.get("auth_source")?,
            r.get("closed_on")?,
        ));
    }
    Ok(out)
}

/// The systems each person is the technical owner of: user, system name.
pub async fn system_roles(c: &mut impl Conn) -> Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for r in query("SELECT technical_owner_id, name FROM systems WHERE technical_owner_id IS NOT NULL ORDER BY name")
        .fetch_all(c)
        .await?
    {
        out.push((r.get(0)?, r.get(1)?));
    }
    Ok(out)
}

/// Who has a second factor on.
pub async fn two_factor_users(c: &mut impl Conn) -> Result<Vec<i64>> {
    query("SELECT user_id FROM user_totp WHERE confirmed_at IS NOT NULL")
        .scalars(c)
        .await
}
