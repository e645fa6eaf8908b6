//! The audit trail: records chained by hash in the transaction of the
//! change they describe (`Write::commit`), read back with filters, and the
//! chain checked from the first record.
//!
//! Each `audit_log` row stores the previous row's hash and its own
//! (`domain::audit`). Chaining reads the head under the writers' lock that
//! every [`Write`] holds, so two transactions never chain onto the same
//! record.

use domain::audit::{chain_instant, record_hash, ChainChecker, ChainedContent, GENESIS};
use time::OffsetDateTime;

use crate::db::{query, Conn, Json, Row};
use crate::{Audit, AuditEntry, AuditVerdict, Result, Write};

/// Chains the records in order with one read of the chain's head and one
/// insert (the rows of one multi-row INSERT get their ids in the order
/// given, which is the chain's order).
pub(crate) async fn chain_many(w: &mut Write, records: &[Audit]) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let prev: Option<String> = query("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
        .scalar_opt(w)
        .await?;
    let mut prev = prev.unwrap_or_else(|| GENESIS.to_owned());
    let at = chain_instant(crate::now());
    let mut q = query(
        "INSERT INTO audit_log (at, actor, action, subject, basis, details, prev_hash, hash) ",
    );
    q.push_values(records, |row, a| {
        let content = ChainedContent {
            at,
            actor: a.actor.as_deref(),
            action: a.action,
            subject: &a.subject,
            basis: &a.basis,
            details: &a.details,
        };
        let hash = record_hash(&prev, &content);
        row.bind(at)
            .bind(a.actor.as_deref())
            .bind(a.action)
            .bind(&a.subject)
            .bind(&a.basis)
            .bind(Json(&a.details))
            .bind(std::mem::replace(&mut prev, hash.clone()))
            .bind(hash);
    });
    q.execute(w).await?;
    Ok(())
}

fn entry(r: &Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get("id")?,
        at: r.get("at")?,
        actor: r.get("actor")?,
        action: r.get("action")?,
        subject: r.get("subject")?,
        basis: r.get("basis")?,
        details: r.json("details")?,
    })
}

/// Walks the whole audit trail in id order and checks its hash chain.
pub async fn verify(c: &mut impl Conn) -> Result<AuditVerdict> {
    let mut checker = ChainChecker::default();
    let mut broken = None;
    query("SELECT id, at, actor, action, subject, basis, details, prev_hash, hash FROM audit_log ORDER BY id")
        .for_each(c, |r| {
            if broken.is_some() {
                return Ok(());
            }
            let e = entry(&r)?;
            let prev_hash: String = r.get("prev_hash")?;
            let hash: String = r.get("hash")?;
            let content = ChainedContent {
                at: e.at,
                actor: e.actor.as_deref(),
                action: &e.action,
                subject: &e.subject,
                basis: &e.basis,
                details: &e.details,
            };
            if let Err(b) = checker.next(e.id, &prev_hash, &hash, &content) {
                broken = Some(b);
            }
            Ok(())
        })
        .await?;
    Ok(AuditVerdict {
        checked: checker.checked,
        broken,
    })
}

/// Filters of the audit page; every one optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// Matches the action's start, e.g. `delegation.` for all of them.
    pub action: Option<String>,
    /// Matches anywhere in the subject, e.g. `user:mudur`.
    pub subject: Option<String>,
    pub from: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    pub limit: i64,
}

/// Audit records matching every filter given, newest first.
pub async fn search(c: &mut impl Conn, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let rows = query(
        "SELECT id, at, actor, action, subject, basis, details FROM audit_log
         WHERE ($1 IS NULL OR actor = $1)
           AND ($2 IS NULL OR action LIKE $2 ESCAPE '\\')
           AND ($3 IS NULL OR subject LIKE $3 ESCAPE '\\')
           AND ($4 IS NULL OR at >= $4)
           AND ($5 IS NULL OR at < $5)
         ORDER BY id DESC LIMIT $6",
    )
    .bind(f.actor.clone())
    .bind(f.action.as_ref().map(|a| format!("{}%", like_escape(a))))
    .bind(f.subject.as_ref().map(|s| format!("%{}%", like_escape(s))))
    .bind(f.from.map(chain_instant))
    .bind(f.until.map(chain_instant))
    .bind(f.limit)
    .fetch_all(c)
    .await?;
    rows.iter().map(entry).collect()
}

/// User input inside a LIKE pattern matches itself: `%`, `_` and the
/// escape character are escaped (the queries say `ESCAPE '\'`).
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The newest record of the trail: its id and hash, and how many records
/// there are. `None` when the trail is empty.
pub async fn head(c: &mut impl Conn) -> Result<Option<(i64, String, i64)>> {
    let row = query(
        "SELECT id, hash, (SELECT COUNT(*) FROM audit_log) FROM audit_log ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(c)
    .await?;
    row.map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .transpose()
}

/// The hash of record `id`, if it exists.
pub async fn hash_of(c: &mut impl Conn, id: i64) -> Result<Option<String>> {
    query("SELECT hash FROM audit_log WHERE id = $1")
        .bind(id)
        .scalar_opt(c)
        .await
}
