//! Two-factor sign-in: a person's TOTP secret and recovery codes.

use time::OffsetDateTime;

use crate::db::{query, Conn};
use crate::{Result, Write};

#[derive(Debug, Clone)]
pub struct Totp {
    /// Base32.
    pub secret: String,
    pub confirmed_at: Option<OffsetDateTime>,
    pub last_step: Option<i64>,
}

pub async fn get(c: &mut impl Conn, user: i64) -> Result<Option<Totp>> {
    query("SELECT secret, confirmed_at, last_step FROM user_totp WHERE user_id = $1")
        .bind(user)
        .fetch_optional(c)
        .await?
        .map(|r| {
            Ok(Totp {
                secret: r.get("secret")?,
                confirmed_at: r.get("confirmed_at")?,
                last_step: r.get("last_step")?,
            })
        })
        .transpose()
}

/// A new secret, not confirmed yet, in place of an unconfirmed one.
pub async fn begin(w: &mut Write, user: i64, secret: &str) -> Result<()> {
    let at = w.at();
    query("DELETE FROM user_totp WHERE user_id = $1 AND confirmed_at IS NULL")
        .bind(user)
        .execute(&mut *w)
        .await?;
    query("INSERT INTO user_totp (user_id, secret, created_at) VALUES ($1, $2, $3)")
        .bind(user)
        .bind(secret)
        .bind(at)
        .execute(w)
        .await?;
    Ok(())
}

/// The first code typed: the secret is confirmed, the step used, and the
/// recovery codes (digests) replace any earlier ones.
pub async fn confirm(w: &mut Write, user: i64, step: i64, digests: &[String]) -> Result<()> {
    let at = w.at();
    query("UPDATE user_totp SET confirmed_at = $2, last_step = $3 WHERE user_id = $1")
        .bind(user)
        .bind(at)
        .bind(step)
        .execute(&mut *w)
        .await?;
    query("DELETE FROM user_recovery_codes WHERE user_id = $1")
        .bind(user)
        .execute(&mut *w)
        .await?;
    for d in digests {
        query("INSERT INTO user_recovery_codes (user_id, digest) VALUES ($1, $2)")
            .bind(user)
            .bind(d)
            .execute(&mut *w)
            .await?;
    }
    Ok(())
}

/// A code accepted: its step is the last used. Only moves forward, so two
/// sign-ins racing with the same code cannot both pass.
pub async fn used_step(w: &mut Write, user: i64, step: i64) -> Result<bool> {
    let n = query(
        "UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND (last_step IS NULL OR last_step < $2)",
    )
    .bind(user)
    .bind(step)
    .execute(w)
    .await?;
    Ok(n > 0)
}

/// Uses a recovery code if one unused has this digest.
pub async fn use_recovery(w: &mut Write, user: i64, digest: &str) -> Result<bool> {
    let at = w.at();
    let n = query(
        "UPDATE user_recovery_codes SET used_at = $3 WHERE user_id = $1 AND digest = $2 AND used_at IS NULL",
    )
    .bind(user)
    .bind(digest)
    .bind(at)
    .execute(w)
    .await?;
    Ok(n > 0)
}

/// The recovery codes not used yet.
pub async fn recovery_left(c: &mut impl Conn, user: i64) -> Result<i64> {
    query("SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user)
        .scalar(c)
        .await
}

/// Two factors off: the secret and the recovery codes are gone.
pub async fn remove(w: &mut Write, user: i64) -> Result<()> {
    query("DELETE FROM user_recovery_codes WHERE user_id = $1")
        .bind(user)
        .execute(&mut *w)
        .await?;
    query("DELETE FROM user_totp WHERE user_id = $1")
        .bind(user)
        .execute(w)
        .await?;
    Ok(())
}
