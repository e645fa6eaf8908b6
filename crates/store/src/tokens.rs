//! Personal API tokens: stored as their SHA-256, shown once, revocable.

use time::OffsetDateTime;

use crate::db::{query, Conn};
use crate::{Result, StoreError, Write};

/// A personal API token as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

pub async fn insert(w: &mut Write, user: i64, name: &str, token_hash: &str) -> Result<i64> {
    let at = w.at();
    query("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(user)
        .bind(name)
        .bind(token_hash)
        .bind(at)
        .scalar(w)
        .await
}

pub async fn of_user(c: &mut impl Conn, user: i64) -> Result<Vec<ApiToken>> {
    query("SELECT id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id")
        .bind(user)
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            Ok(ApiToken {
                id: r.get("id")?,
                name: r.get("name")?,
                created_at: r.get("created_at")?,
                revoked_at: r.get("revoked_at")?,
            })
        })
        .collect()
}

/// Revokes one of `user`'s tokens; `NotFound` for someone else's,
/// `Conflict` when revoked already.
pub async fn revoke(w: &mut Write, user: i64, id: i64) -> Result<()> {
    let revoked: Option<OffsetDateTime> =
        query("SELECT revoked_at FROM api_tokens WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user)
            .fetch_one(w)
            .await?
            .get("revoked_at")?;
    if revoked.is_some() {
        return Err(StoreError::Conflict("already_revoked"));
    }
    let at = w.at();
    query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(w)
        .await?;
    Ok(())
}
