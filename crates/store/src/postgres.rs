//! The PostgreSQL implementation of [`Store`], for municipalities that run
//! a database server. Same SQL text as SQLite where the engines agree,
//! native SQL (JSONB, COPY, REPEATABLE READ snapshots) where they don't.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use futures::TryStreamExt;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Row};
use std::str::FromStr;
use time::OffsetDateTime;

use crate::*;

pub struct PgStore {
    pool: PgPool,
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
        Ok(Self { pool })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

async fn audit(tx: &mut sqlx::PgConnection, a: &NewAudit) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, subject, basis, details) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now())
    .bind(&a.actor)
    .bind(a.action)
    .bind(&a.subject)
    .bind(&a.basis)
    .bind(&a.details)
    .execute(tx)
    .await?;
    Ok(())
}

fn user_from(row: &sqlx::postgres::PgRow) -> Result<User> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        is_admin: row.try_get("is_admin")?,
    })
}

#[async_trait]
impl Store for PgStore {
    fn engine(&self) -> Engine {
        Engine::Postgres
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
        let rows = sqlx::query("SELECT key, value FROM settings WHERE key IN ('institution_name', 'directorate_name')")
            .fetch_all(&self.pool)
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
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?)
    }

    async fn issue_setup_token(&self, token_hash: &str, a: NewAudit) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        // Serialise setup steps across processes on one database.
        sqlx::query("LOCK TABLE setup_tokens IN EXCLUSIVE MODE").execute(&mut *tx).await?;
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
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    async fn complete_setup(&self, token_hash: &str, u: NewUser, s: NewSession, a: NewAudit) -> Result<User> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("LOCK TABLE setup_tokens IN EXCLUSIVE MODE").execute(&mut *tx).await?;
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
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from).transpose()
    }

    async fn record_blob(&self, b: BlobRecord, by: i64, a: NewAudit) -> Result<()> {
        let mut tx = self.pool.begin().await?;
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
            .fetch_optional(&self.pool)
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
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    subject: r.try_get("subject")?,
                    basis: r.try_get("basis")?,
                    details: r.try_get("details")?,
                })
            })
            .collect()
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
