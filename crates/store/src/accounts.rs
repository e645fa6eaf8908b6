//! Accounts and sessions: the instance's settings, the first-run setup
//! token, users with their password hashes and lockout state, and the
//! sessions they sign in with.

use time::OffsetDateTime;

use crate::db::{on_constraint, query, Conn, Row};
use crate::{Result, StoreError, User, Write};

/// The instance's own name, shown on every page and printed in every
/// document's heading, and its DETSİS number.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct InstanceSettings {
    pub institution_name: String,
    pub directorate_name: String,
    /// The institution's 8-digit DETSİS number, when set up.
    pub detsis: Option<String>,
}

/// A new account, its password already hashed.
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub is_admin: bool,
}

/// What sign-in needs to know about an account.
#[derive(Debug, Clone)]
pub struct LoginCandidate {
    pub user: User,
    pub password_hash: String,
}

/// A new session: the SHA-256 of the cookie value, never the value itself.
pub struct NewSession {
    pub token_hash: String,
    pub expires_at: OffsetDateTime,
    /// Where it was opened from: the address and the browser.
    pub address: String,
    pub agent: String,
}

/// A session as its owner sees it.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// The first twelve hex digits of the token's hash: names the session
    /// without revealing anything that opens it.
    pub id: String,
    pub token_hash: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub address: String,
    pub agent: String,
}

/// The password hash of an account the directory made: it matches no
/// password, so the account signs in only through the directory.
pub const DIRECTORY_ACCOUNT: &str = "!directory";

pub(crate) fn user_from(r: &Row) -> Result<User> {
    Ok(User {
        id: r.get("id")?,
        username: r.get("username")?,
        display_name: r.get("display_name")?,
        is_admin: r.get("is_admin")?,
    })
}

pub async fn settings(c: &mut impl Conn) -> Result<InstanceSettings> {
    let rows = query("SELECT key, value FROM settings WHERE key IN ('institution_name', 'directorate_name', 'detsis')").fetch_all(c).await?;
    let mut s = InstanceSettings::default();
    for r in rows {
        let (k, v): (String, String) = (r.get(0)?, r.get(1)?);
        match k.as_str() {
            "institution_name" => s.institution_name = v,
            "detsis" => s.detsis = Some(v).filter(|v| !v.is_empty()),
            _ => s.directorate_name = v,
        }
    }
    Ok(s)
}

/// Sets the instance's names and DETSİS number (first run, or the
/// administrator).
pub async fn set_settings(w: &mut Write, s: &InstanceSettings) -> Result<()> {
    for (k, v) in [
        ("institution_name", s.institution_name.as_str()),
        ("directorate_name", s.directorate_name.as_str()),
        ("detsis", s.detsis.as_deref().unwrap_or("")),
    ] {
        query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(k)
            .bind(v)
            .execute(w)
            .await?;
    }
    Ok(())
}

pub async fn user_count(c: &mut impl Conn) -> Result<i64> {
    query("SELECT COUNT(*) FROM users").scalar(c).await
}

/// Replaces any unused setup token with this one; `Conflict` once an
/// account exists.
pub async fn replace_setup_token(w: &mut Write, token_hash: &str) -> Result<()> {
    if user_count(w).await? > 0 {
        return Err(StoreError::Conflict("already_set_up"));
    }
    query("DELETE FROM setup_tokens WHERE used_at IS NULL")
        .execute(w)
        .await?;
    let at = w.at();
    query("INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)")
        .bind(token_hash)
        .bind(at)
        .execute(w)
        .await?;
    Ok(())
}

pub async fn setup_token_valid(c: &mut impl Conn, token_hash: &str) -> Result<bool> {
    let n: i64 = query(
        "SELECT COUNT(*) FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM users)",
    )
    .bind(token_hash)
    .scalar(c)
    .await?;
    Ok(n > 0)
}

/// Consumes the setup token. `NotFound`: unknown or used token;
/// `Conflict`: set up already.
pub async fn use_setup_token(w: &mut Write, token_hash: &str) -> Result<()> {
    if user_count(w).await? > 0 {
        return Err(StoreError::Conflict("already_set_up"));
    }
    let at = w.at();
    let used =
        query("UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(at)
            .bind(token_hash)
            .execute(w)
            .await?;
    if used != 1 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn user_by_name(c: &mut impl Conn, username: &str) -> Result<Option<User>> {
    query("SELECT id, username, display_name, is_admin FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(user_from)
        .transpose()
}

pub async fn user_by_id(c: &mut impl Conn, id: i64) -> Result<User> {
    user_from(
        &query("SELECT id, username, display_name, is_admin FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(c)
            .await?,
    )
}

/// Creates an account (`local` or `ldap`); `Conflict("username_taken")`.
pub async fn insert_user(w: &mut Write, u: &NewUser, source: &str) -> Result<User> {
    let at = w.at();
    let id: i64 = query(
        "INSERT INTO users (username, display_name, password_hash, is_admin, created_at, auth_source)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(&u.password_hash)
    .bind(u.is_admin)
    .bind(at)
    .bind(source)
    .scalar(w)
    .await
    .map_err(on_constraint(Some("username_taken"), None))?;
    Ok(User {
        id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        is_admin: u.is_admin,
    })
}

pub async fn login_candidate(c: &mut impl Conn, username: &str) -> Result<Option<LoginCandidate>> {
    let row = query(
        // An account closed by a departure (its leaving day passed) signs
        // in no more; it answers as an unknown name does.
        "SELECT id, username, display_name, is_admin, password_hash FROM users WHERE username = $1 AND (closed_on IS NULL OR closed_on >= $2)",
    )
    .bind(username)
    .bind(domain::local::date(OffsetDateTime::now_utc()))
    .fetch_optional(c)
    .await?;
    row.map(|r| {
        Ok(LoginCandidate {
            user: user_from(&r)?,
            password_hash: r.get("password_hash")?,
        })
    })
    .transpose()
}

/// Opens a session. (`users.failed_logins` and `locked_until` belong to
/// the lock-out that `login_throttle` replaced; they are no longer read.)
pub async fn open_session(w: &mut Write, user_id: i64, s: &NewSession) -> Result<()> {
    let at = w.at();
    query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, address, agent) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&s.token_hash)
        .bind(user_id)
        .bind(at)
        .bind(s.expires_at)
        .bind(&s.address)
        .bind(&s.agent)
        .execute(w)
        .await?;
    Ok(())
}

/// A user's sessions still open, the newest first.
pub async fn sessions_of(
    c: &mut impl Conn,
    user_id: i64,
    at: OffsetDateTime,
) -> Result<Vec<SessionRow>> {
    let mut out = Vec::new();
    for r in query(
        "SELECT token_hash, created_at, expires_at, address, agent FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC LIMIT 200",
    )
    .bind(user_id)
    .bind(at)
    .fetch_all(c)
    .await?
    {
        let token_hash: String = r.get("token_hash")?;
        out.push(SessionRow {
            id: token_hash.chars().take(12).collect(),
            token_hash,
            created_at: r.get("created_at")?,
            expires_at: r.get("expires_at")?,
            address: r.get("address")?,
            agent: r.get("agent")?,
        });
    }
    Ok(out)
}

/// Ends one session; false when there was none.
pub async fn end_session(w: &mut Write, token_hash: &str) -> Result<bool> {
    Ok(query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(w)
        .await?
        > 0)
}

/// Ends a user's sessions except `keep` (a token hash; "" keeps none).
pub async fn end_sessions_of(w: &mut Write, user_id: i64, keep: &str) -> Result<u64> {
    query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(w)
        .await
}

pub async fn set_password(w: &mut Write, user_id: i64, password_hash: &str) -> Result<()> {
    let n = query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user_id)
        .bind(password_hash)
        .execute(w)
        .await?;
    if n != 1 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The user behind a live session, or behind a personal API token that is
/// not revoked. A session not used since `idle_before` is over (the
/// guide's 3.1.12.6); with it comes when it was last used (`None` for a
/// token, which has no idle time).
pub async fn session_user(
    c: &mut impl Conn,
    token_hash: &str,
    at: OffsetDateTime,
    idle_before: Option<OffsetDateTime>,
) -> Result<Option<(User, Option<OffsetDateTime>)>> {
    let row = query(
        "SELECT u.id, u.username, u.display_name, u.is_admin, COALESCE(s.last_seen_at, s.created_at) AS seen FROM sessions s
         JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND (u.closed_on IS NULL OR u.closed_on >= $3)",
    )
    .bind(token_hash)
    .bind(at)
    .bind(domain::local::date(at))
    .fetch_optional(&mut *c)
    .await?;
    if let Some(r) = row {
        let seen: OffsetDateTime = r.get("seen")?;
        if idle_before.is_some_and(|b| seen < b) {
            return Ok(None);
        }
        return Ok(Some((user_from(&r)?, Some(seen))));
    }
    query(
        "SELECT u.id, u.username, u.display_name, u.is_admin FROM api_tokens t
         JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (u.closed_on IS NULL OR u.closed_on >= $2)",
    )
    .bind(token_hash)
    .bind(domain::local::date(at))
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(|r| user_from(r).map(|u| (u, None)))
    .transpose()
}

/// Records that a session was used at `at`: bookkeeping for the idle
/// timeout, not a change anyone is accountable for (no audit record).
pub async fn touch_session(
    store: &crate::Store,
    token_hash: &str,
    at: OffsetDateTime,
) -> Result<()> {
    let mut b = store.bookkeeping().await?;
    query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(at)
        .execute(&mut b)
        .await?;
    b.commit().await
}

/// The failures recorded under these throttle keys (`domain::throttle`).
pub async fn throttle_state(
    c: &mut impl Conn,
    keys: &[String],
) -> Result<Vec<(String, domain::throttle::Failures)>> {
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        let row = query("SELECT failures, last_failure_at FROM login_throttle WHERE key = $1")
            .bind(k)
            .fetch_optional(&mut *c)
            .await?;
        if let Some(r) = row {
            let count: i64 = r.get(0)?;
            out.push((
                k.clone(),
                domain::throttle::Failures {
                    count: count.clamp(0, u32::MAX as i64) as u32,
                    last: r.get(1)?,
                },
            ));
        }
    }
    Ok(out)
}

/// Counts one failure under each key (a quiet key starts again at one).
pub async fn throttle_failed(w: &mut Write, keys: &[(String, u32)]) -> Result<()> {
    let at = w.at();
    for (k, count) in keys {
        query(
            "INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at",
        )
        .bind(k)
        .bind(i64::from(*count))
        .bind(at)
        .execute(&mut *w)
        .await?;
    }
    Ok(())
}

/// Clears these keys (a successful sign-in clears its account's).
pub async fn throttle_clear(w: &mut Write, keys: &[String]) -> Result<()> {
    for k in keys {
        query("DELETE FROM login_throttle WHERE key = $1")
            .bind(k)
            .execute(&mut *w)
            .await?;
    }
    Ok(())
}

/// The unit (another directorate) an account belongs to, or empty.
pub async fn department_of(c: &mut impl Conn, user: i64) -> Result<String> {
    Ok(query("SELECT department FROM users WHERE id = $1")
        .bind(user)
        .scalar_opt::<String>(c)
        .await?
        .unwrap_or_default())
}

/// Sets the unit an account belongs to.
pub async fn set_department(w: &mut Write, user: i64, department: &str) -> Result<()> {
    query("UPDATE users SET department = $1 WHERE id = $2")
        .bind(department)
        .bind(user)
        .execute(w)
        .await?;
    Ok(())
}

/// Every account as (username, name), by name (at most 5,000).
pub async fn names(c: &mut impl Conn) -> Result<Vec<(String, String)>> {
    let rows = query("SELECT username, display_name FROM users ORDER BY display_name LIMIT 5000")
        .fetch_all(c)
        .await?;
    rows.into_iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?)))
        .collect()
}

/// The account whose e-mail address (its own, or its staff record's) is
/// `email`, compared without case.
pub async fn user_by_email(c: &mut impl Conn, email: &str) -> Result<Option<User>> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Ok(None);
    }
    let id: Option<i64> = query(
        "SELECT id FROM users WHERE lower(email) = $1
         UNION SELECT user_id FROM staff WHERE lower(email) = $1 AND user_id IS NOT NULL
         ORDER BY 1 LIMIT 1",
    )
    .bind(&email)
    .scalar_opt(&mut *c)
    .await?;
    match id {
        Some(id) => Ok(Some(user_by_id(c, id).await?)),
        None => Ok(None),
    }
}

/// Sets an account's own e-mail address.
pub async fn set_email(w: &mut Write, user: i64, email: &str) -> Result<()> {
    query("UPDATE users SET email = $1 WHERE id = $2")
        .bind(email)
        .bind(user)
        .execute(w)
        .await?;
    Ok(())
}

/// The e-mail address to write to an account: its own, else its staff record's.
pub async fn email_of(c: &mut impl Conn, user: i64) -> Result<String> {
    Ok(query("SELECT CASE WHEN u.email <> '' THEN u.email ELSE COALESCE((SELECT s.email FROM staff s WHERE s.user_id = u.id LIMIT 1), '') END FROM users u WHERE u.id = $1")
        .bind(user)
        .scalar_opt::<String>(c)
        .await?
        .unwrap_or_default())
}
