//! The SQLite implementation of [`Store`]: the embedded default, one file in
//! the data folder in WAL mode.
//!
//! Writes go through a pool of one connection so that write transactions
//! never race each other for SQLite's single write lock inside one process;
//! reads use a separate pool. Other processes on the same file wait up to
//! the busy timeout.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use time::OffsetDateTime;

use crate::*;

pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

impl SqliteStore {
    pub async fn connect(url: &str) -> Result<Self> {
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(format!("invalid SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts.clone())
            .await
            .map_err(|e| StoreError::Unavailable(format!("cannot open SQLite database: {e}")))?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts.read_only(false))
            .await
            .map_err(|e| StoreError::Unavailable(format!("cannot open SQLite database: {e}")))?;
        Ok(Self { read, write })
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

async fn audit(tx: &mut sqlx::SqliteConnection, a: &NewAudit) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, subject, basis, details) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now())
    .bind(&a.actor)
    .bind(a.action)
    .bind(&a.subject)
    .bind(&a.basis)
    .bind(a.details.to_string())
    .execute(tx)
    .await?;
    Ok(())
}

fn user_from(row: &sqlx::sqlite::SqliteRow) -> Result<User> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        is_admin: row.try_get("is_admin")?,
    })
}

#[async_trait]
impl Store for SqliteStore {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn pool_status(&self) -> PoolStatus {
        PoolStatus {
            size: self.read.size() + self.write.size(),
            idle: (self.read.num_idle() + self.write.num_idle()) as u32,
            max: self.read.options().get_max_connections() + 1,
        }
    }

    async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.write).await?;
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    async fn settings(&self) -> Result<InstanceSettings> {
        let rows = sqlx::query("SELECT key, value FROM settings WHERE key IN ('institution_name', 'directorate_name')")
            .fetch_all(&self.read)
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

    async fn user_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.read).await?)
    }

    async fn issue_setup_token(&self, token_hash: &str, a: NewAudit) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *tx).await?;
        if users > 0 {
            return Err(StoreError::Conflict("an account already exists"));
        }
        sqlx::query("DELETE FROM setup_tokens WHERE used_at IS NULL").execute(&mut *tx).await?;
        sqlx::query("INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)")
            .bind(token_hash)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn setup_token_valid(&self, token_hash: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM users)",
        )
        .bind(token_hash)
        .fetch_one(&self.read)
        .await?;
        Ok(n > 0)
    }

    async fn complete_setup(&self, token_hash: &str, u: NewUser, s: NewSession, a: NewAudit) -> Result<User> {
        let mut tx = self.write.begin().await?;
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *tx).await?;
        if users > 0 {
            return Err(StoreError::Conflict("an account already exists"));
        }
        let used = sqlx::query("UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(now())
            .bind(token_hash)
            .execute(&mut *tx)
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
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let user = user_from(&row)?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(&s.token_hash)
            .bind(user.id)
            .bind(now())
            .bind(s.expires_at)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn session_user(&self, token_hash: &str, at: OffsetDateTime) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.is_admin FROM sessions s
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(at)
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(user_from).transpose()
    }

    async fn record_blob(&self, b: BlobRecord, by: i64, a: NewAudit) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO blobs (sha256, size, content_type, created_at, created_by) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&b.sha256)
        .bind(b.size)
        .bind(&b.content_type)
        .bind(now())
        .bind(by)
        .execute(&mut *tx)
        .await?;
        audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn blob(&self, sha256: &str) -> Result<Option<BlobRecord>> {
        let row = sqlx::query("SELECT sha256, size, content_type FROM blobs WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| {
            Ok(BlobRecord { sha256: r.try_get(0)?, size: r.try_get(1)?, content_type: r.try_get(2)? })
        })
        .transpose()
    }

    async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, subject, basis, details FROM audit_log ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let details: String = r.try_get("details")?;
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    subject: r.try_get("subject")?,
                    basis: r.try_get("basis")?,
                    details: serde_json::from_str(&details).context("audit details are not JSON")?,
                })
            })
            .collect()
    }

    async fn snapshot(&self, dir: &Path) -> Result<()> {
        let dest = dir.join(backup::SQLITE_FILE);
        let mut conn = self.read.acquire().await?;
        let mut handle = conn.lock_handle().await?;
        online_backup(handle.as_raw_handle().as_ptr(), &dest).map_err(StoreError::Internal)
    }
}

/// Copies the live database into `dest` with SQLite's online backup API,
/// which gives a consistent snapshot while other connections keep writing.
fn online_backup(src: *mut libsqlite3_sys::sqlite3, dest: &Path) -> anyhow::Result<()> {
    use libsqlite3_sys as ffi;
    use std::ffi::CString;

    let path = CString::new(dest.to_str().context("backup path is not UTF-8")?)?;
    let main = CString::new("main")?;
    // SAFETY: `src` is a live connection we hold locked for the duration;
    // `dst` is opened and closed here; every return code is checked.
    unsafe {
        let mut dst: *mut ffi::sqlite3 = std::ptr::null_mut();
        let flags = ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE;
        if ffi::sqlite3_open_v2(path.as_ptr(), &mut dst, flags, std::ptr::null()) != ffi::SQLITE_OK {
            ffi::sqlite3_close(dst);
            anyhow::bail!("cannot create the backup database file");
        }
        let bk = ffi::sqlite3_backup_init(dst, main.as_ptr(), src, main.as_ptr());
        if bk.is_null() {
            ffi::sqlite3_close(dst);
            anyhow::bail!("cannot start the SQLite online backup");
        }
        let rc = ffi::sqlite3_backup_step(bk, -1);
        ffi::sqlite3_backup_finish(bk);
        ffi::sqlite3_close(dst);
        if rc != ffi::SQLITE_DONE {
            anyhow::bail!("SQLite online backup failed with code {rc}");
        }
    }
    Ok(())
}
