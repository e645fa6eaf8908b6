//! Persistence of Mudurluk: the facts and rows each use-case loads, and the
//! writes it makes, on SQLite (the embedded default) or PostgreSQL.
//!
//! One pattern for both engines (see `db.rs`): a query is written once and
//! runs on the engine the [`Store`] was opened on. State changes only
//! through a [`Write`]: it takes the writers' lock and the instant, and its
//! only way to commit takes the audit record ([`Write::commit`]), which is
//! chained into the audit trail in the same transaction. Reads use a
//! [`Read`], a connection that cannot write.
//!
//! Rules are not decided here: `domain` decides, `app` orchestrates, this
//! crate loads what they decide on and writes what they decided.

pub mod access_review;
pub mod accounts;
pub mod archive;
pub mod assets;
pub mod attachments;
pub mod audit;
pub mod authority;
pub mod backup;
pub mod batch;
pub mod blob;
pub mod calendar;
mod db;
pub mod idempotency;
pub mod incidents;
pub mod incoming;
pub mod index;
pub mod kvkk;
pub mod leave;
pub mod outgoing;
pub mod overtime;
pub mod personnel;
pub mod policies;
mod postgres;
pub mod search;
pub mod security;
pub mod servicedesk;
mod sqlite;
pub mod staff;
pub mod tasks;
pub mod timesheet;
pub mod tokens;
pub mod totp;

use std::path::Path;

use domain::authority::Grant;
use time::OffsetDateTime;

pub use db::Conn;
pub use domain::account::User;

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
    /// A rule of the data was broken, e.g. a unique value taken. The code
    /// names the rule, never the SQL.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The database cannot be reached (start-up, readiness).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A text the engine cannot keep (a NUL byte on PostgreSQL).
    #[error("a text with a character the database cannot keep")]
    BadText,
    /// An error of the engine, kept whole so that a caller can name a
    /// broken constraint (`db::on_constraint`); otherwise internal.
    #[error(transparent)]
    Sql(sqlx::Error),
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
                if d.code().is_some_and(|c| {
                    c.starts_with("08")
                        || c.starts_with("57P")
                        || c == "3D000"
                        || c == "14"
                        || c == "5"
                }) =>
            {
                StoreError::Unavailable(e.to_string())
            }
            // A safety net behind the input discipline (`domain::text`):
            // PostgreSQL refuses a NUL byte (22021) or a character it
            // cannot keep (22P05); the caller hears a refused text, not an
            // internal error.
            sqlx::Error::Database(ref d)
                if d.code().is_some_and(|c| c == "22021" || c == "22P05") =>
            {
                StoreError::BadText
            }
            e => StoreError::Sql(e),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Internal(e.into())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A record of the audit trail. It can only be made from a [`Grant`]: who
/// acted and on what basis come from the decision that allowed the act.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Audit {
    actor: Option<String>,
    action: &'static str,
    subject: String,
    basis: String,
    details: serde_json::Value,
    /// The `Idempotency-Key` of the request that made it, recorded with it.
    #[serde(skip)]
    idempotency: Option<idempotency::Mark>,
}

impl Audit {
    /// `action` is a stable dotted name (`incoming.routed`); `subject` what
    /// it was done to (`incoming:5`); `details` the before and after, never
    /// secrets.
    pub fn new(
        grant: &Grant,
        action: &'static str,
        subject: impl Into<String>,
        details: serde_json::Value,
    ) -> Audit {
        Audit {
            actor: grant.actor().map(str::to_owned),
            action,
            subject: subject.into(),
            basis: grant.basis_text(),
            details,
            idempotency: idempotency::current(),
        }
    }

    /// The same act, made for the request `mark` (a job written by another
    /// task than the request's, such as a group commit).
    pub fn for_request(mut self, mark: Option<idempotency::Mark>) -> Audit {
        if mark.is_some() {
            self.idempotency = mark;
        }
        self
    }

    /// The same act, with the basis text written out (e.g. the article of
    /// a law the act applies, before the grant's own basis).
    pub fn with_basis_prefix(mut self, prefix: &str) -> Audit {
        self.basis = format!("{prefix} — {}", self.basis);
        self
    }

    pub fn action(&self) -> &'static str {
        self.action
    }
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

/// Pool use, for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStatus {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// The database, on either engine. Cheap to clone (the pools are shared).
#[derive(Clone)]
pub struct Store {
    engine: Pools,
}

#[derive(Clone)]
enum Pools {
    Sqlite(sqlite::Pools),
    Postgres(postgres::Pools),
}

/// Opens the store named by a database URL: `sqlite://…` or `postgres://…`.
/// Does not migrate.
pub async fn connect(url: &str) -> Result<Store> {
    if url.starts_with("sqlite:") {
        Ok(Store {
            engine: Pools::Sqlite(sqlite::Pools::connect(url).await?),
        })
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Store {
            engine: Pools::Postgres(postgres::Pools::connect(url).await?),
        })
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

impl Store {
    pub fn engine(&self) -> Engine {
        match &self.engine {
            Pools::Sqlite(_) => Engine::Sqlite,
            Pools::Postgres(_) => Engine::Postgres,
        }
    }

    pub fn pool_status(&self) -> PoolStatus {
        match &self.engine {
            Pools::Sqlite(p) => p.status(),
            Pools::Postgres(p) => p.status(),
        }
    }

    /// Runs the pending migrations of this engine.
    pub async fn migrate(&self) -> Result<()> {
        match &self.engine {
            Pools::Sqlite(p) => p.migrate().await,
            Pools::Postgres(p) => p.migrate().await,
        }
    }

    /// A round trip to the database, for readiness.
    pub async fn ping(&self) -> Result<()> {
        db::query("SELECT 1")
            .execute(&mut self.read().await?)
            .await?;
        Ok(())
    }

    /// A read connection (it cannot write: SQLite's `query_only`, and a
    /// PostgreSQL pool whose transactions are read-only).
    pub async fn read(&self) -> Result<Read> {
        Ok(match &self.engine {
            Pools::Sqlite(p) => Read(Pooled::Sqlite(p.read.acquire().await?)),
            Pools::Postgres(p) => Read(Pooled::Postgres(p.read.acquire().await?)),
        })
    }

    /// Checks the audit trail's hash chain (`audit::verify` on a reader).
    pub async fn verify_audit(&self) -> Result<AuditVerdict> {
        audit::verify(&mut self.read().await?).await
    }

    /// Opens a write: begins the transaction, takes the writers' lock
    /// (SQLite's write lock by `BEGIN IMMEDIATE` on its one write
    /// connection; a transaction-scoped advisory lock on PostgreSQL), and
    /// only then the instant, so that instants follow commit order: a use
    /// that committed before a revocation is also dated before it.
    /// Everything the use-case reads to decide stays true until it commits.
    pub async fn write(&self) -> Result<Write> {
        let tx = self.begin().await?;
        Ok(Write { tx, at: now() })
    }

    /// A transaction for derived data only (job leases of text
    /// extraction): it changes no record anyone is accountable for, so it
    /// commits without an audit record. Store-internal on purpose.
    pub(crate) async fn bookkeeping(&self) -> Result<Bookkeeping> {
        Ok(Bookkeeping {
            tx: self.begin().await?,
            at: now(),
        })
    }

    async fn begin(&self) -> Result<Tx> {
        Ok(match &self.engine {
            Pools::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Pools::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Writes a transactionally consistent snapshot of the database into
    /// the folder `dir` (files named by the engine's backup format).
    pub async fn snapshot(&self, dir: &Path) -> Result<()> {
        match &self.engine {
            Pools::Sqlite(p) => p.snapshot(dir).await,
            Pools::Postgres(p) => p.snapshot(dir).await,
        }
    }

    /// Keeps the query planner's statistics current. SQLite gathers them
    /// only when asked (see `sqlite::Pools::optimize`); PostgreSQL's
    /// autovacuum does it by itself.
    pub async fn optimize(&self) -> Result<()> {
        match &self.engine {
            Pools::Sqlite(p) => p.optimize().await,
            Pools::Postgres(_) => Ok(()),
        }
    }

    /// Closes the pools (SQLite checkpoints its WAL).
    pub async fn close(&self) {
        match &self.engine {
            Pools::Sqlite(p) => p.close().await,
            Pools::Postgres(p) => p.close().await,
        }
    }
}

/// A transaction of either engine.
pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl db::sealed::Sealed for Tx {
    fn raw(&mut self) -> db::sealed::Raw<'_> {
        match self {
            Tx::Sqlite(t) => db::sealed::Raw::Sqlite(&mut **t),
            Tx::Postgres(t) => db::sealed::Raw::Postgres(&mut **t),
        }
    }
}

impl Tx {
    async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

enum Pooled {
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
}

/// A read connection.
pub struct Read(Pooled);

impl db::sealed::Sealed for Read {
    fn raw(&mut self) -> db::sealed::Raw<'_> {
        match &mut self.0 {
            Pooled::Sqlite(c) => db::sealed::Raw::Sqlite(&mut **c),
            Pooled::Postgres(c) => db::sealed::Raw::Postgres(&mut **c),
        }
    }
}

/// The one way to change state: a transaction holding the writers' lock,
/// dated after the lock was taken, that commits only with the audit
/// record(s) of what it did. Dropped without committing, it rolls back.
pub struct Write {
    tx: Tx,
    at: OffsetDateTime,
}

impl db::sealed::Sealed for Write {
    fn raw(&mut self) -> db::sealed::Raw<'_> {
        self.tx.raw()
    }
}

impl Write {
    /// The instant of this write, taken once the lock was held.
    pub fn at(&self) -> OffsetDateTime {
        self.at
    }

    /// Commits with the audit record of the change, chained in this
    /// transaction.
    pub async fn commit(self, audit: Audit) -> Result<()> {
        self.commit_all(Audits::from(audit)).await
    }

    /// Commits with several audit records (one change touching several
    /// subjects, or a group commit), chained in order.
    pub async fn commit_all(mut self, audits: Audits) -> Result<()> {
        let mut seen: Vec<&str> = Vec::new();
        for a in &audits.0 {
            if let Some(m) = &a.idempotency {
                if !seen.contains(&m.key_hash.as_str()) {
                    seen.push(&m.key_hash);
                    idempotency::record(&mut self, m, &a.subject).await?;
                }
            }
        }
        audit::chain_many(&mut self, &audits.0).await?;
        self.tx.commit().await
    }
}

/// One or more audit records, never none.
#[derive(Debug, Clone)]
pub struct Audits(Vec<Audit>);

impl From<Audit> for Audits {
    fn from(a: Audit) -> Audits {
        Audits(vec![a])
    }
}

impl Audits {
    pub fn push(&mut self, a: Audit) -> &mut Self {
        self.0.push(a);
        self
    }

    /// Several records; `None` when there are none.
    pub fn of(all: Vec<Audit>) -> Option<Audits> {
        (!all.is_empty()).then_some(Audits(all))
    }
}

/// A transaction for derived data (see [`Store::bookkeeping`]).
pub(crate) struct Bookkeeping {
    tx: Tx,
    at: OffsetDateTime,
}

impl db::sealed::Sealed for Bookkeeping {
    fn raw(&mut self) -> db::sealed::Raw<'_> {
        self.tx.raw()
    }
}

impl Bookkeeping {
    pub fn at(&self) -> OffsetDateTime {
        self.at
    }
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await
    }
}
