//! The PostgreSQL implementation of [`Store`], for municipalities that run
//! a database server. Same SQL text as SQLite where the engines agree,
//! native SQL (JSONB, COPY, REPEATABLE READ snapshots) where they don't.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use futures::TryStreamExt;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use crate::queries::postgres as q;
use std::str::FromStr;
use time::OffsetDateTime;

use crate::*;

pub struct PgStore {
    pool: PgPool,
    /// The registration writer, started at the first registration.
    pub(crate) registrations: crate::correspondence::Registrations,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl PgStore {
    pub async fn connect(url: &str) -> Result<Self> {
        let opts = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(format!("invalid PostgreSQL URL: {e}")))?;
        // One direct connection first, so that the operator sees the real
        // reason (refused, bad password, no such database) rather than a
        // pool timeout.
        let probe = <sqlx::PgConnection as sqlx::Connection>::connect_with(&opts)
            .await
            .map_err(|e| StoreError::Unavailable(format!("cannot connect to PostgreSQL: {e}")))?;
        let _ = sqlx::Connection::close(probe).await;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Unavailable(format!("cannot connect to PostgreSQL: {e}")))?;
        Ok(Self { pool, registrations: Default::default() })
    }

    /// The same database without a registration writer of its own: what
    /// the writer task holds (holding the store itself would keep the
    /// writer's queue open forever).
    pub(crate) fn handle(&self) -> Self {
        Self { pool: self.pool.clone(), registrations: Default::default() }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// Serialises the setup steps across processes sharing one database.
async fn lock_setup(c: &mut sqlx::PgConnection) -> Result<()> {
    sqlx::query("LOCK TABLE setup_tokens IN EXCLUSIVE MODE").execute(c).await?;
    Ok(())
}

#[async_trait]
impl Store for PgStore {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }

    fn db(&self) -> Db<'_> {
        Db::Postgres(self)
    }

    fn pool_status(&self) -> PoolStatus {
        PoolStatus {
            size: self.pool.size(),
            idle: self.pool.num_idle() as u32,
            max: self.pool.options().get_max_connections(),
        }
    }

    async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn settings(&self) -> Result<InstanceSettings> {
        q::settings(&mut *self.pool.acquire().await?).await
    }

    async fn user_count(&self) -> Result<i64> {
        q::user_count(&mut *self.pool.acquire().await?).await
    }

    async fn issue_setup_token(&self, token_hash: &str, a: NewAudit) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        lock_setup(&mut tx).await?;
        q::replace_setup_token(&mut tx, token_hash).await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn setup_token_valid(&self, token_hash: &str) -> Result<bool> {
        q::setup_token_valid(&mut *self.pool.acquire().await?, token_hash).await
    }

    async fn complete_setup(&self, token_hash: &str, u: NewUser, s: NewSession, a: NewAudit) -> Result<User> {
        let mut tx = self.pool.begin().await?;
        lock_setup(&mut tx).await?;
        let user = q::create_first_admin(&mut tx, token_hash, &u, &s).await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn login_candidate(&self, username: &str) -> Result<Option<LoginCandidate>> {
        q::login_candidate(&mut *self.pool.acquire().await?, username).await
    }

    async fn login_failed(&self, user_id: i64, lock_until: Option<OffsetDateTime>, a: NewAudit) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        q::login_failed(&mut tx, user_id, lock_until).await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn login_succeeded(&self, user_id: i64, s: NewSession, a: NewAudit) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        q::open_session(&mut tx, user_id, &s).await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn end_session(&self, token_hash: &str, a: NewAudit) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let ended = q::end_session(&mut tx, token_hash).await?;
        if ended {
            q::audit(&mut tx, &a).await?;
        }
        tx.commit().await?;
        Ok(ended)
    }

    async fn end_all_sessions(&self, user_id: i64, a: NewAudit) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let n = q::end_sessions_of(&mut tx, user_id, "").await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(n)
    }

    async fn set_password(&self, user_id: i64, password_hash: &str, keep_session: &str, a: NewAudit) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        q::set_password(&mut tx, user_id, password_hash).await?;
        q::end_sessions_of(&mut tx, user_id, keep_session).await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session_user(&self, token_hash: &str, at: OffsetDateTime) -> Result<Option<User>> {
        q::session_user(&mut *self.pool.acquire().await?, token_hash, at).await
    }

    async fn record_blob(&self, b: BlobRecord, by: Option<i64>, a: NewAudit) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        q::record_blob(&mut tx, &b, by).await?;
        q::audit(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn blob(&self, sha256: &str) -> Result<Option<BlobRecord>> {
        q::blob(&mut *self.pool.acquire().await?, sha256).await
    }

    async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        q::recent_audit(&mut *self.pool.acquire().await?, limit).await
    }

    async fn verify_audit(&self) -> Result<AuditVerdict> {
        q::verify_audit(&mut *self.pool.acquire().await?).await
    }

    /// Exports every table with COPY inside one REPEATABLE READ, READ ONLY
    /// transaction: all tables are seen at the same instant.
    async fn snapshot(&self, dir: &Path) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
        let tables = tables_in_dependency_order(&mut tx).await?;
        let tables_dir = dir.join(backup::PG_DIR);
        tokio::fs::create_dir_all(&tables_dir).await.map_err(anyhow::Error::from)?;
        for t in &tables {
            let mut file = tokio::fs::File::create(tables_dir.join(format!("{t}.copy")))
                .await
                .map_err(anyhow::Error::from)?;
            let mut stream = tx.copy_out_raw(&format!("COPY {} TO STDOUT", quote_ident(t))).await?;
            while let Some(chunk) = stream.try_next().await? {
                tokio::io::AsyncWriteExt::write_all(&mut file, &chunk).await.map_err(anyhow::Error::from)?;
            }
            tokio::io::AsyncWriteExt::flush(&mut file).await.map_err(anyhow::Error::from)?;
        }
        let order = serde_json::to_vec(&tables).map_err(anyhow::Error::from)?;
        tokio::fs::write(tables_dir.join("order.json"), order).await.map_err(anyhow::Error::from)?;
        tx.commit().await?;
        Ok(())
    }
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The application's tables, referenced tables before referencing ones.
async fn tables_in_dependency_order(conn: &mut sqlx::PgConnection) -> Result<Vec<String>> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname <> '_sqlx_migrations'
         ORDER BY c.relname",
    )
    .fetch_all(&mut *conn)
    .await?;
    let edges: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c
         JOIN pg_namespace n ON n.oid = c.connamespace
         WHERE c.contype = 'f' AND n.nspname = current_schema() AND c.conrelid <> c.confrelid",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut done: Vec<String> = Vec::new();
    let mut left = tables;
    while !left.is_empty() {
        let before = left.len();
        left.retain(|t| {
            let ready = edges.iter().filter(|(from, _)| from == t).all(|(_, to)| done.contains(to));
            if ready {
                done.push(t.clone());
            }
            !ready
        });
        if left.len() == before {
            return Err(StoreError::Internal(anyhow::anyhow!("foreign keys form a cycle")));
        }
    }
    Ok(done)
}

/// Loads a PostgreSQL snapshot into an empty database: migrates it, then
/// COPYs every table in and moves identity sequences past the restored ids.
/// Refuses a database that already holds any account or audit record.
pub async fn restore_snapshot(store: &PgStore, dir: &Path) -> Result<()> {
    store.migrate().await?;
    let tables_dir = dir.join(backup::PG_DIR);
    let order: Vec<String> = serde_json::from_slice(
        &tokio::fs::read(tables_dir.join("order.json")).await.map_err(anyhow::Error::from)?,
    )
    .map_err(anyhow::Error::from)?;
    let mut tx = store.pool.begin().await?;
    let used: i64 = sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM audit_log)")
        .fetch_one(&mut *tx)
        .await?;
    if used > 0 {
        return Err(StoreError::Conflict("the target database is not empty"));
    }
    // Seed rows written by migrations are replaced by the snapshot's.
    for t in order.iter().rev() {
        sqlx::query(&format!("DELETE FROM {}", quote_ident(t))).execute(&mut *tx).await?;
    }
    for t in &order {
        let data = tokio::fs::read(tables_dir.join(format!("{t}.copy"))).await.map_err(anyhow::Error::from)?;
        let mut copy = tx.copy_in_raw(&format!("COPY {} FROM STDIN", quote_ident(t))).await?;
        copy.send(data).await?;
        copy.finish().await?;
    }
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (table, column) in identities {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({c}), 0) + 1, false) FROM {t}",
            c = quote_ident(&column),
            t = quote_ident(&table)
        );
        sqlx::query(&sql).bind(&table).bind(&column).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}
