//! SQL shared by both engines, written once. `for_each_engine!` compiles the
//! functions below twice, as `queries::sqlite` and `queries::postgres`, each
//! against its engine's native connection type (no `sqlx::Any`). What
//! differs between the engines (how JSON is stored) comes from the small
//! `*_engine` module each copy imports. SQL that only one engine speaks
//! (locks, COPY, the backup API) stays in `sqlite.rs` / `postgres.rs`.
//!
//! Each function runs on a connection the caller holds, usually inside the
//! transaction of one `Store` method. Capability modules (`people.rs`, …)
//! use the same macro for their own SQL, and also write their use-case
//! bodies once in it: `begin(db)` opens the engine's write transaction,
//! `read(db)` lends a read connection, `base::audit` chains the record.

pub(crate) mod sqlite_engine {
    use anyhow::Context;
    use sqlx::Row;
    pub use sqlx::sqlite::SqliteRow as DbRow;
    pub use sqlx::SqliteConnection as Conn;
    pub use sqlx::Sqlite as Kind;
    pub use crate::queries::sqlite as base;
    pub use crate::people::sqlite as people;
    pub use crate::search::sqlite as search;
    pub use crate::archive::sqlite as archive;
    pub use crate::sqlite::SqliteStore as Db;

    /// A write transaction: on the one-connection write pool, begun
    /// IMMEDIATE so that it holds SQLite's write lock from its first
    /// statement (what it reads to decide stays true until it commits).
    pub async fn begin(db: &Db) -> crate::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(db.write.begin_with("BEGIN IMMEDIATE").await?)
    }

    pub async fn read(db: &Db) -> crate::Result<sqlx::pool::PoolConnection<sqlx::Sqlite>> {
        Ok(db.read.acquire().await?)
    }

    /// The names of a letter's addressees, in order, as one text.
    pub const LETTER_ADDRESSEES: &str = "(SELECT group_concat(name, ', ') FROM (SELECT name FROM outgoing_recipients
        WHERE outgoing_id = o.id AND role = 'muhatap' ORDER BY ord))";

    /// SQLite keeps JSON as TEXT.
    pub fn json_param(v: &serde_json::Value) -> String {
        v.to_string()
    }

    pub fn json_col(row: &DbRow, col: &str) -> crate::Result<serde_json::Value> {
        let s: String = row.try_get(col)?;
        Ok(serde_json::from_str(&s).context("stored JSON is unreadable")?)
    }

    /// Audit writes are already serialised: SQLite has one writer, and our
    /// write transactions begin IMMEDIATE.
    pub async fn lock_audit_chain(_: &mut Conn) -> crate::Result<()> {
        Ok(())
    }
}

pub(crate) mod pg_engine {
    use sqlx::Row;
    pub use sqlx::postgres::PgRow as DbRow;
    pub use sqlx::PgConnection as Conn;
    pub use sqlx::Postgres as Kind;
    pub use crate::queries::postgres as base;
    pub use crate::people::postgres as people;
    pub use crate::search::postgres as search;
    pub use crate::archive::postgres as archive;
    pub use crate::postgres::PgStore as Db;

    /// A write transaction that first takes the audit chain's lock: write
    /// use-cases are serialised, so what one reads to authorise (say, a
    /// delegation) cannot be revoked under it before it commits.
    pub async fn begin(db: &Db) -> crate::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        let mut tx = db.pool().begin().await?;
        lock_audit_chain(&mut tx).await?;
        Ok(tx)
    }

    pub async fn read(db: &Db) -> crate::Result<sqlx::pool::PoolConnection<sqlx::Postgres>> {
        Ok(db.pool().acquire().await?)
    }

    /// The names of a letter's addressees, in order, as one text.
    pub const LETTER_ADDRESSEES: &str =
        "(SELECT string_agg(name, ', ' ORDER BY ord) FROM outgoing_recipients WHERE outgoing_id = o.id AND role = 'muhatap')";

    /// PostgreSQL keeps JSON as JSONB.
    pub fn json_param(v: &serde_json::Value) -> sqlx::types::Json<&serde_json::Value> {
        sqlx::types::Json(v)
    }

    pub fn json_col(row: &DbRow, col: &str) -> crate::Result<serde_json::Value> {
        Ok(row.try_get(col)?)
    }

    /// Serialises audit writes until the transaction ends, so that two
    /// transactions never chain onto the same record.
    pub async fn lock_audit_chain(c: &mut Conn) -> crate::Result<()> {
        // 0x6d7564 = "mud": the one advisory lock of the audit chain.
        sqlx::query("SELECT pg_advisory_xact_lock(7173476)").execute(c).await?;
        Ok(())
    }
}

for_each_engine! {
    use sqlx::Row;
    use time::OffsetDateTime;
    use crate::{AuditEntry, BlobRecord, InstanceSettings, LoginCandidate, NewAudit, NewSession, NewUser, Result, StoreError, User};

    /// Writes an audit record, chained onto the last one; call it inside
    /// the change's transaction.
    pub async fn audit(c: &mut Conn, a: &NewAudit) -> Result<()> {
        lock_audit_chain(&mut *c).await?;
        chain(c, a).await
    }

    /// [`audit`] without taking the chain's lock: for transactions opened
    /// by the engine's `begin`, which took it first (one round trip less in
    /// the serialised section).
    pub async fn chain(c: &mut Conn, a: &NewAudit) -> Result<()> {
        chain_many(c, std::slice::from_ref(a)).await
    }

    /// Chains several records in order with one read of the chain's head
    /// and one insert (group commit); the lock must be held, as for
    /// [`chain`].
    pub async fn chain_many(c: &mut Conn, records: &[NewAudit]) -> Result<()> {
        use domain::audit::{chain_instant, record_hash, ChainedContent, GENESIS};
        if records.is_empty() {
            return Ok(());
        }
        let prev: Option<String> = sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *c)
            .await?;
        let mut prev = prev.unwrap_or_else(|| GENESIS.to_owned());
        let at = chain_instant(crate::now());
        let mut links = Vec::with_capacity(records.len());
        for a in records {
            let content = ChainedContent {
                at,
                actor: a.actor.as_deref(),
                action: a.action,
                subject: &a.subject,
                basis: &a.basis,
                details: &a.details,
            };
            let hash = record_hash(&prev, &content);
            links.push((a, std::mem::replace(&mut prev, hash.clone()), hash));
        }
        // The rows of one multi-row INSERT get their ids in the order given,
        // which is the chain's order.
        let mut q = sqlx::QueryBuilder::<Kind>::new("INSERT INTO audit_log (at, actor, action, subject, basis, details, prev_hash, hash) ");
        q.push_values(links, |mut row, (a, prev, hash)| {
            row.push_bind(at)
                .push_bind(a.actor.as_deref())
                .push_bind(a.action)
                .push_bind(a.subject.as_str())
                .push_bind(a.basis.as_str())
                .push_bind(json_param(&a.details))
                .push_bind(prev)
                .push_bind(hash);
        });
        q.build().execute(c).await?;
        Ok(())
    }

    /// Walks the whole audit trail in id order and checks its hash chain.
    pub async fn verify_audit(c: &mut Conn) -> Result<crate::AuditVerdict> {
        use domain::audit::{ChainChecker, ChainedContent};
        use futures::TryStreamExt;
        let mut rows = sqlx::query(
            "SELECT id, at, actor, action, subject, basis, details, prev_hash, hash FROM audit_log ORDER BY id",
        )
        .fetch(c);
        let mut checker = ChainChecker::default();
        while let Some(r) = rows.try_next().await? {
            let actor: Option<String> = r.try_get("actor")?;
            let action: String = r.try_get("action")?;
            let subject: String = r.try_get("subject")?;
            let basis: String = r.try_get("basis")?;
            let details = json_col(&r, "details")?;
            let prev_hash: String = r.try_get("prev_hash")?;
            let hash: String = r.try_get("hash")?;
            let content = ChainedContent {
                at: r.try_get("at")?,
                actor: actor.as_deref(),
                action: &action,
                subject: &subject,
                basis: &basis,
                details: &details,
            };
            if let Err(b) = checker.next(r.try_get("id")?, &prev_hash, &hash, &content) {
                return Ok(crate::AuditVerdict { checked: checker.checked, broken: Some(b) });
            }
        }
        Ok(crate::AuditVerdict { checked: checker.checked, broken: None })
    }

    fn user_from(row: &DbRow) -> Result<User> {
        Ok(User {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            is_admin: row.try_get("is_admin")?,
        })
    }

    pub async fn settings(c: &mut Conn) -> Result<InstanceSettings> {
        let rows = sqlx::query("SELECT key, value FROM settings WHERE key IN ('institution_name', 'directorate_name')")
            .fetch_all(c)
            .await?;
        let mut s = InstanceSettings { institution_name: String::new(), directorate_name: String::new() };
        for r in rows {
            let (k, v): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            match k.as_str() {
                "institution_name" => s.institution_name = v,
                _ => s.directorate_name = v,
            }
        }
        Ok(s)
    }

    pub async fn user_count(c: &mut Conn) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(c).await?)
    }

    /// Replaces any unused setup token with this one; `Conflict` once an
    /// account exists.
    pub async fn replace_setup_token(c: &mut Conn, token_hash: &str) -> Result<()> {
        if user_count(&mut *c).await? > 0 {
            return Err(StoreError::Conflict("already_set_up"));
        }
        sqlx::query("DELETE FROM setup_tokens WHERE used_at IS NULL").execute(&mut *c).await?;
        sqlx::query("INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)")
            .bind(token_hash)
            .bind(crate::now())
            .execute(&mut *c)
            .await?;
        Ok(())
    }

    pub async fn setup_token_valid(c: &mut Conn, token_hash: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM users)",
        )
        .bind(token_hash)
        .fetch_one(c)
        .await?;
        Ok(n > 0)
    }

    /// Consumes the setup token and creates the first administrator with a
    /// session. `NotFound`: unknown or used token; `Conflict`: set up already.
    pub async fn create_first_admin(c: &mut Conn, token_hash: &str, u: &NewUser, s: &NewSession) -> Result<User> {
        if user_count(&mut *c).await? > 0 {
            return Err(StoreError::Conflict("already_set_up"));
        }
        let used = sqlx::query("UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(crate::now())
            .bind(token_hash)
            .execute(&mut *c)
            .await?;
        if used.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        let row = sqlx::query(
            "INSERT INTO users (username, display_name, password_hash, is_admin, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id, username, display_name, is_admin",
        )
        .bind(&u.username)
        .bind(&u.display_name)
        .bind(&u.password_hash)
        .bind(u.is_admin)
        .bind(crate::now())
        .fetch_one(&mut *c)
        .await?;
        let user = user_from(&row)?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(&s.token_hash)
            .bind(user.id)
            .bind(crate::now())
            .bind(s.expires_at)
            .execute(&mut *c)
            .await?;
        Ok(user)
    }

    pub async fn login_candidate(c: &mut Conn, username: &str) -> Result<Option<LoginCandidate>> {
        let row = sqlx::query(
            "SELECT id, username, display_name, is_admin, password_hash, failed_logins, locked_until
             FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(c)
        .await?;
        row.map(|r| {
            Ok(LoginCandidate {
                user: user_from(&r)?,
                password_hash: r.try_get("password_hash")?,
                failed_logins: r.try_get("failed_logins")?,
                locked_until: r.try_get("locked_until")?,
            })
        })
        .transpose()
    }

    pub async fn login_failed(c: &mut Conn, user_id: i64, lock_until: Option<OffsetDateTime>) -> Result<()> {
        let q = match lock_until {
            Some(until) => sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $2 WHERE id = $1")
                .bind(user_id)
                .bind(until),
            None => sqlx::query("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1").bind(user_id),
        };
        q.execute(c).await?;
        Ok(())
    }

    pub async fn open_session(c: &mut Conn, user_id: i64, s: &NewSession) -> Result<()> {
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(user_id)
            .execute(&mut *c)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(&s.token_hash)
            .bind(user_id)
            .bind(crate::now())
            .bind(s.expires_at)
            .execute(c)
            .await?;
        Ok(())
    }

    pub async fn end_session(c: &mut Conn, token_hash: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(c).await?;
        Ok(r.rows_affected() > 0)
    }

    /// Ends a user's sessions except `keep` (a token hash; "" keeps none).
    pub async fn end_sessions_of(c: &mut Conn, user_id: i64, keep: &str) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(keep)
            .execute(c)
            .await?;
        Ok(r.rows_affected())
    }

    pub async fn set_password(c: &mut Conn, user_id: i64, password_hash: &str) -> Result<()> {
        let r = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(user_id)
            .bind(password_hash)
            .execute(c)
            .await?;
        if r.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn session_user(c: &mut Conn, token_hash: &str, at: OffsetDateTime) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.is_admin FROM sessions s
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(at)
        .fetch_optional(&mut *c)
        .await?;
        if let Some(r) = row {
            return user_from(&r).map(Some);
        }
        // A personal API token, unless revoked.
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.is_admin FROM api_tokens t
             JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(c)
        .await?;
        row.as_ref().map(user_from).transpose()
    }

    /// Registers a blob; a second registration of the same hash is a no-op.
    pub async fn record_blob(c: &mut Conn, b: &BlobRecord, by: Option<i64>) -> Result<()> {
        sqlx::query(
            "INSERT INTO blobs (sha256, size, content_type, created_at, created_by) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&b.sha256)
        .bind(b.size)
        .bind(&b.content_type)
        .bind(crate::now())
        .bind(by)
        .execute(c)
        .await?;
        Ok(())
    }

    pub async fn blob(c: &mut Conn, sha256: &str) -> Result<Option<BlobRecord>> {
        let row = sqlx::query("SELECT sha256, size, content_type FROM blobs WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(c)
            .await?;
        row.map(|r| Ok(BlobRecord { sha256: r.try_get(0)?, size: r.try_get(1)?, content_type: r.try_get(2)? }))
            .transpose()
    }

    pub async fn recent_audit(c: &mut Conn, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, subject, basis, details FROM audit_log ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(c)
        .await?;
        rows.iter().map(audit_entry_from).collect()
    }

    pub fn audit_entry_from(r: &DbRow) -> Result<AuditEntry> {
        Ok(AuditEntry {
            id: r.try_get("id")?,
            at: r.try_get("at")?,
            actor: r.try_get("actor")?,
            action: r.try_get("action")?,
            subject: r.try_get("subject")?,
            basis: r.try_get("basis")?,
            details: json_col(r, "details")?,
        })
    }
}
