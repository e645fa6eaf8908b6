//! Persistence of Mudurluk behind one narrow trait, [`Store`], with a native
//! implementation per engine (`sqlite.rs`, `postgres.rs`), each with its own
//! migrations folder. Each trait method that changes state is one
//! transaction and writes its audit record inside it.
//!
//! Also here: content-addressed blob storage ([`blob`]) and backups
//! ([`backup`]).

/// Compiles the items given twice, as modules `sqlite` and `postgres`,
/// each against its engine's connection and store types (see `queries.rs`).
macro_rules! for_each_engine {
    ($($body:item)*) => {
        pub mod sqlite {
            #[allow(unused_imports)]
            use crate::queries::sqlite_engine::*;
            $($body)*
        }
        pub mod postgres {
            #[allow(unused_imports)]
            use crate::queries::pg_engine::*;
            $($body)*
        }
    };
}

/// Calls `area::engine::f(db, args…)` for the engine `store` runs on: a
/// use-case written once in a `for_each_engine!` block.
macro_rules! dispatch {
    ($store:expr, $area:ident :: $f:ident ( $($arg:expr),* $(,)? )) => {
        match $store.db() {
            crate::Db::Sqlite(db) => crate::$area::sqlite::$f(db, $($arg),*).await,
            crate::Db::Postgres(db) => crate::$area::postgres::$f(db, $($arg),*).await,
        }
    };
}

pub mod archive;
pub mod backup;
mod batch;
pub mod blob;
pub mod correspondence;
pub mod index;
pub mod outgoing;
pub mod people;
pub mod postgres;
mod queries;
pub mod search;
pub mod sqlite;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use time::OffsetDateTime;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// What went wrong in persistence, sorted by what the caller can do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A rule of the data was broken, e.g. a unique value taken. The text
    /// names the rule, never the SQL.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The actor lacks this authority (a profile authority id, or
    /// `administrator`), decided inside the transaction.
    #[error("missing authority `{0}`")]
    Forbidden(String),
    /// The database cannot be reached (start-up, readiness).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                StoreError::Unavailable(e.to_string())
            }
            // PostgreSQL: connection exceptions (08…), the server shutting
            // down or the connection killed (57P…), the database dropped
            // (3D000). SQLite: the file cannot be opened (14), is locked (5).
            sqlx::Error::Database(ref d)
                if d.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P") || c == "3D000" || c == "14" || c == "5") =>
            {
                StoreError::Unavailable(e.to_string())
            }
            e => StoreError::Internal(e.into()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Internal(e.into())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A record of the audit trail, written in the same transaction as the
/// change it describes.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewAudit {
    /// Username of who acted; `None` for the system itself (e.g. start-up).
    pub actor: Option<String>,
    /// What was done, a stable dotted name such as `setup.completed`.
    pub action: &'static str,
    /// What it was done to, e.g. `user:admin`.
    pub subject: String,
    /// On what authority: a position and article, a delegation, or
    /// `system`/`setup-token` for bootstrap actions.
    pub basis: String,
    /// Structured details. Never secrets.
    pub details: serde_json::Value,
}

/// An audit record as read back.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: Option<String>,
    pub action: String,
    pub subject: String,
    pub basis: String,
    pub details: serde_json::Value,
}

/// The result of checking the audit trail's hash chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerdict {
    /// Records found intact before the first break (all, when intact).
    pub checked: u64,
    pub broken: Option<domain::audit::ChainBreak>,
}

/// The instance's own name, shown on every page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InstanceSettings {
    pub institution_name: String,
    pub directorate_name: String,
}

/// A user account as the rest of the app sees it (no hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
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
    pub failed_logins: i32,
    pub locked_until: Option<OffsetDateTime>,
}

/// A new session: the SHA-256 of the cookie value, never the value itself.
pub struct NewSession {
    pub token_hash: String,
    pub expires_at: OffsetDateTime,
}

/// A stored blob's registry row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlobRecord {
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
}

/// Pool use, for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStatus {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// Everything the app asks of persistence. Kept narrow: a method per
/// use-case step, each one transaction.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    fn engine(&self) -> Engine;
    /// The engine-specific store, for use-cases written once for both
    /// (the `impl dyn Store` blocks of the capability modules).
    fn db(&self) -> Db<'_>;
    fn pool_status(&self) -> PoolStatus;
    /// Runs the pending migrations of this engine.
    async fn migrate(&self) -> Result<()>;
    /// A round trip to the database, for readiness.
    async fn ping(&self) -> Result<()>;

    async fn settings(&self) -> Result<InstanceSettings>;
    async fn user_count(&self) -> Result<i64>;

    /// Stores a fresh one-time setup token (its hash), replacing any unused
    /// one. Refused with `Conflict` once an account exists.
    async fn issue_setup_token(&self, token_hash: &str, audit: NewAudit) -> Result<()>;
    /// Whether this token hash is an unused setup token while no account
    /// exists yet.
    async fn setup_token_valid(&self, token_hash: &str) -> Result<bool>;
    /// Consumes the setup token, creates the first administrator and a
    /// session for them, and audits it — all or nothing. `NotFound` when the
    /// token is unknown or used; `Conflict` when an account already exists.
    async fn complete_setup(
        &self,
        token_hash: &str,
        user: NewUser,
        session: NewSession,
        audit: NewAudit,
    ) -> Result<User>;

    /// The account a sign-in names, with its hash and lockout state.
    async fn login_candidate(&self, username: &str) -> Result<Option<LoginCandidate>>;
    /// Counts a failed sign-in; `lock_until` locks the account until then
    /// (and restarts the count).
    async fn login_failed(&self, user_id: i64, lock_until: Option<OffsetDateTime>, audit: NewAudit) -> Result<()>;
    /// Opens a session and clears the failure count.
    async fn login_succeeded(&self, user_id: i64, session: NewSession, audit: NewAudit) -> Result<()>;
    /// Ends one session; false when there was none.
    async fn end_session(&self, token_hash: &str, audit: NewAudit) -> Result<bool>;
    /// Ends every session of a user ("log out everywhere"); how many ended.
    async fn end_all_sessions(&self, user_id: i64, audit: NewAudit) -> Result<u64>;
    /// Sets a new password hash and ends the user's other sessions.
    async fn set_password(&self, user_id: i64, password_hash: &str, keep_session: &str, audit: NewAudit) -> Result<()>;

    /// The user behind a live session.
    async fn session_user(&self, token_hash: &str, now: OffsetDateTime) -> Result<Option<User>>;

    /// Registers a stored blob (idempotent on its hash) and audits it.
    async fn record_blob(&self, blob: BlobRecord, by: Option<i64>, audit: NewAudit) -> Result<()>;
    async fn blob(&self, sha256: &str) -> Result<Option<BlobRecord>>;

    /// The newest audit records, newest first.
    async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditEntry>>;
    /// Checks the audit trail's hash chain from the first record.
    async fn verify_audit(&self) -> Result<AuditVerdict>;

    /// Writes a transactionally consistent snapshot of the database into
    /// the folder `dir` (files named by the engine's backup format).
    async fn snapshot(&self, dir: &Path) -> Result<()>;
}

/// The store behind the trait, by engine.
pub enum Db<'a> {
    Sqlite(&'a SqliteStore),
    Postgres(&'a PgStore),
}

/// Opens the store named by a database URL: `sqlite://…` or `postgres://…`.
/// Does not migrate.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else {
        Err(StoreError::Unavailable(
            "database URL must start with sqlite:// or postgres://".into(),
        ))
    }
}

/// The URL of the SQLite database inside a data folder.
pub fn sqlite_url_in(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("mudurluk.db").display())
}

pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}
