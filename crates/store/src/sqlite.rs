//! What only SQLite does: the embedded default, one file in the data
//! folder in WAL mode. Writes go through a pool of one connection, begun
//! `IMMEDIATE`, so write transactions queue in-process instead of racing
//! for SQLite's single write lock; reads use a separate pool whose
//! connections are `query_only`. Other processes on the same file (a
//! `mudurluk backup`) wait up to the busy timeout. The snapshot uses
//! SQLite's online backup API.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::{PoolStatus, Result, StoreError};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone)]
pub(crate) struct Pools {
    pub read: SqlitePool,
    write: SqlitePool,
}

impl Pools {
    pub async fn connect(url: &str) -> Result<Self> {
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(format!("invalid SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let unavailable =
            |e: sqlx::Error| StoreError::Unavailable(format!("cannot open SQLite database: {e}"));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            // A disposal's deleted content is overwritten in the file, so
            // that neither the database nor a backup of it keeps it.
            .connect_with(opts.clone().pragma("secure_delete", "ON"))
            .await
            .map_err(unavailable)?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts.pragma("query_only", "ON"))
            .await
            .map_err(unavailable)?;
        Ok(Self { read, write })
    }

    pub fn status(&self) -> PoolStatus {
        PoolStatus {
            size: self.read.size() + self.write.size(),
            idle: (self.read.num_idle() + self.write.num_idle()) as u32,
            max: self.read.options().get_max_connections() + 1,
        }
    }

    pub async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.write).await?;
        Ok(())
    }

    /// A write transaction holding SQLite's write lock from its first
    /// statement.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.write.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Gathers the planner's statistics where they are missing or stale:
    /// a full `PRAGMA optimize` over every table (0x10002), on the write
    /// connection, between write transactions. Without statistics SQLite
    /// sorts a whole code's assets to list its newest fifty.
    pub async fn optimize(&self) -> Result<()> {
        let mut c = self.write.acquire().await?;
        sqlx::query("PRAGMA optimize = 0x10002")
            .execute(&mut *c)
            .await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }

    pub async fn snapshot(&self, dir: &Path) -> Result<()> {
        let dest = dir.join(crate::backup::SQLITE_FILE);
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
        if ffi::sqlite3_open_v2(path.as_ptr(), &mut dst, flags, std::ptr::null()) != ffi::SQLITE_OK
        {
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
