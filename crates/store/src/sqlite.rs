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
use sqlx::SqlitePool;

use crate::queries::sqlite as q;
use time::OffsetDateTime;

use crate::*;

pub struct SqliteStore {
    pub(crate) read: SqlitePool,
    pub(crate) write: SqlitePool,
    /// The registration writer, started at the first registration.
    pub(crate) registrations: crate::correspondence::Registrations,
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
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Unavailable(format!("cannot open SQLite database: {e}")))?;
        Ok(Self { read, write, registrations: Default::default() })
    }

    /// The same database without a registration writer of its own: what
    /// the writer task holds (holding the store itself would keep the
    /// writer's queue open forever).
    pub(crate) fn handle(&self) -> Self {
        Self { read: self.read.clone(), write: self.write.clone(), registrations: Default::default() }
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn db(&self) -> Db<'_> {
        Db::Sqlite(self)
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
        q::settings(&mut *self.read.acquire().await?).await
    }

    async fn user_count(&self) -> Result<i64> {
        q::user_count(&mut *self.read.acquire().await?).await
    }

    async fn issue_setup_token(&self, token_hash: &str, a: NewAudit) -> Result<()> {
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        q::replace_setup_token(&mut tx, token_hash).await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn setup_token_valid(&self, token_hash: &str) -> Result<bool> {
        q::setup_token_valid(&mut *self.read.acquire().await?, token_hash).await
    }

    async fn complete_setup(&self, token_hash: &str, u: NewUser, s: NewSession, a: NewAudit) -> Result<User> {
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        let user = q::create_first_admin(&mut tx, token_hash, &u, &s).await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn login_candidate(&self, username: &str) -> Result<Option<LoginCandidate>> {
        q::login_candidate(&mut *self.read.acquire().await?, username).await
    }

    async fn login_failed(&self, user_id: i64, lock_until: Option<OffsetDateTime>, a: NewAudit) -> Result<()> {
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        q::login_failed(&mut tx, user_id, lock_until).await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn login_succeeded(&self, user_id: i64, s: NewSession, a: NewAudit) -> Result<()> {
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        q::open_session(&mut tx, user_id, &s).await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn end_session(&self, token_hash: &str, a: NewAudit) -> Result<bool> {
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        let ended = q::end_session(&mut tx, token_hash).await?;
        if ended {
            q::audit(&mut tx, &a).await?;
        }
        tx.commit().await?;
        Ok(ended)
    }

    async fn end_all_sessions(&self, user_id: i64, a: NewAudit) -> Result<u64> {
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        let n = q::end_sessions_of(&mut tx, user_id, "").await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(n)
    }

    async fn set_password(&self, user_id: i64, password_hash: &str, keep_session: &str, a: NewAudit) -> Result<()> {
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        q::set_password(&mut tx, user_id, password_hash).await?;
        q::end_sessions_of(&mut tx, user_id, keep_session).await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session_user(&self, token_hash: &str, at: OffsetDateTime) -> Result<Option<User>> {
        q::session_user(&mut *self.read.acquire().await?, token_hash, at).await
    }

    async fn record_blob(&self, b: BlobRecord, by: Option<i64>, a: NewAudit) -> Result<()> {
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        q::record_blob(&mut tx, &b, by).await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn blob(&self, sha256: &str) -> Result<Option<BlobRecord>> {
        q::blob(&mut *self.read.acquire().await?, sha256).await
    }

    async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        q::recent_audit(&mut *self.read.acquire().await?, limit).await
    }

    async fn verify_audit(&self) -> Result<AuditVerdict> {
        q::verify_audit(&mut *self.read.acquire().await?).await
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
