//! What only PostgreSQL does: a write pool whose transactions first take
//! the writers' advisory lock, a read pool whose transactions are
//! read-only, JSONB, and snapshots with COPY inside one REPEATABLE READ
//! transaction.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use futures::TryStreamExt;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use crate::{backup, PoolStatus, Result, StoreError};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The one advisory lock every write takes first (0x6d7564 = "mud"): write
/// use-cases are serialised, so what one reads to decide (a delegation, the
/// head of the audit chain, the next number) cannot change under it.
pub(crate) const WRITERS_LOCK: i64 = 7173476;

#[derive(Clone)]
pub(crate) struct Pools {
    write: PgPool,
    pub read: PgPool,
}

impl Pools {
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
        let unavailable =
            |e: sqlx::Error| StoreError::Unavailable(format!("cannot connect to PostgreSQL: {e}"));
        let write = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(opts.clone())
            .await
            .map_err(unavailable)?;
        let read = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(opts.options([("default_transaction_read_only", "on")]))
            .await
            .map_err(unavailable)?;
        Ok(Self { write, read })
    }

    pub fn status(&self) -> PoolStatus {
        PoolStatus {
            size: self.write.size() + self.read.size(),
            idle: (self.write.num_idle() + self.read.num_idle()) as u32,
            max: self.write.options().get_max_connections()
                + self.read.options().get_max_connections(),
        }
    }

    pub async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.write).await?;
        Ok(())
    }

    /// A write transaction holding the writers' lock.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        let mut tx = self.write.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITERS_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    /// Exports every table with COPY inside one REPEATABLE READ, READ ONLY
    /// transaction: all tables are seen at the same instant.
    pub async fn snapshot(&self, dir: &Path) -> Result<()> {
        let mut tx = self.read.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let tables = tables_in_dependency_order(&mut tx).await?;
        let tables_dir = dir.join(backup::PG_DIR);
        tokio::fs::create_dir_all(&tables_dir)
            .await
            .map_err(anyhow::Error::from)?;
        for t in &tables {
            let mut file = tokio::fs::File::create(tables_dir.join(format!("{t}.copy")))
                .await
                .map_err(anyhow::Error::from)?;
            let mut stream = tx
                .copy_out_raw(&format!("COPY {} TO STDOUT", quote_ident(t)))
                .await?;
            while let Some(chunk) = stream.try_next().await? {
                tokio::io::AsyncWriteExt::write_all(&mut file, &chunk)
                    .await
                    .map_err(anyhow::Error::from)?;
            }
            tokio::io::AsyncWriteExt::flush(&mut file)
                .await
                .map_err(anyhow::Error::from)?;
        }
        let order = serde_json::to_vec(&tables).map_err(anyhow::Error::from)?;
        tokio::fs::write(tables_dir.join("order.json"), order)
            .await
            .map_err(anyhow::Error::from)?;
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
            let ready = edges
                .iter()
                .filter(|(from, _)| from == t)
                .all(|(_, to)| done.contains(to));
            if ready {
                done.push(t.clone());
            }
            !ready
        });
        if left.len() == before {
            return Err(StoreError::Internal(anyhow::anyhow!(
                "foreign keys form a cycle"
            )));
        }
    }
    Ok(done)
}

/// Loads a PostgreSQL snapshot into an empty database: migrates it, then
/// COPYs every table in and moves identity sequences past the restored ids.
/// Refuses a database that already holds any account or audit record.
pub(crate) async fn restore_snapshot(url: &str, dir: &Path) -> Result<()> {
    let store = Pools::connect(url).await?;
    store.migrate().await?;
    let tables_dir = dir.join(backup::PG_DIR);
    let order: Vec<String> = serde_json::from_slice(
        &tokio::fs::read(tables_dir.join("order.json"))
            .await
            .map_err(anyhow::Error::from)?,
    )
    .map_err(anyhow::Error::from)?;
    let mut tx = store.write.begin().await?;
    let used: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM audit_log)",
    )
    .fetch_one(&mut *tx)
    .await?;
    if used > 0 {
        return Err(StoreError::Conflict("the target database is not empty"));
    }
    // Seed rows written by migrations are replaced by the snapshot's.
    for t in order.iter().rev() {
        sqlx::query(&format!("DELETE FROM {}", quote_ident(t)))
            .execute(&mut *tx)
            .await?;
    }
    for t in &order {
        let data = tokio::fs::read(tables_dir.join(format!("{t}.copy")))
            .await
            .map_err(anyhow::Error::from)?;
        let mut copy = tx
            .copy_in_raw(&format!("COPY {} FROM STDIN", quote_ident(t)))
            .await?;
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
        sqlx::query(&sql)
            .bind(&table)
            .bind(&column)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    store.close().await;
    Ok(())
}
