//! `Idempotency-Key`: a creating request sent again (a client that never
//! heard the answer) changes nothing twice.
//!
//! The HTTP layer runs the request inside [`scope`] with its [`Mark`]; each
//! [`crate::Audit`] made during it carries the mark, and the transaction
//! that commits it records the key (`idempotency_keys`) with the change, so
//! that a change and its key are kept together or not at all, on any node.
//! The answer is kept afterwards ([`keep_answer`]); a retry finds it
//! ([`find`]) and is answered the same.

use crate::db::{query, Conn};
use crate::{Result, StoreError, Write};

/// The key of one request: its hash (user and key), the request's
/// fingerprint (method, path, body), and this attempt's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub key_hash: String,
    pub fingerprint: String,
    pub user_id: Option<i64>,
    pub request_id: String,
}

tokio::task_local! {
    static REQUEST: Mark;
}

/// Runs `f` as the request `mark`.
pub async fn scope<F: std::future::Future>(mark: Mark, f: F) -> F::Output {
    REQUEST.scope(mark, f).await
}

/// The mark of the request this task serves, if it has one.
pub fn current() -> Option<Mark> {
    REQUEST.try_with(Mark::clone).ok()
}

/// A recorded key.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub user_id: Option<i64>,
    pub fingerprint: String,
    pub target: String,
    pub request_id: String,
    /// The answer, once kept: status, content type, body.
    pub answer: Option<(u16, String, Vec<u8>)>,
}

/// Records `mark` in `w` for the change to `target`. A second commit of
/// the same request is fine; another request's key is a conflict (the
/// same key sent twice at once), which rolls this one back.
pub(crate) async fn record(w: &mut Write, mark: &Mark, target: &str) -> Result<()> {
    let at = w.at();
    let n = query(
        "INSERT INTO idempotency_keys (key_hash, user_id, fingerprint, target, request_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (key_hash) DO NOTHING",
    )
    .bind(&mark.key_hash)
    .bind(mark.user_id)
    .bind(&mark.fingerprint)
    .bind(target)
    .bind(&mark.request_id)
    .bind(at)
    .execute(&mut *w)
    .await?;
    if n == 0 {
        let owner: Option<String> =
            query("SELECT request_id FROM idempotency_keys WHERE key_hash = $1")
                .bind(&mark.key_hash)
                .scalar_opt(&mut *w)
                .await?;
        if owner.as_deref() != Some(mark.request_id.as_str()) {
            return Err(StoreError::Conflict("idempotency_in_progress"));
        }
    }
    Ok(())
}

/// The key's record, if any.
pub async fn find(c: &mut impl Conn, key_hash: &str) -> Result<Option<Recorded>> {
    query("SELECT user_id, fingerprint, target, request_id, status, content_type, body FROM idempotency_keys WHERE key_hash = $1")
        .bind(key_hash)
        .fetch_optional(c)
        .await?
        .map(|r| {
            let status: Option<i64> = r.get(4)?;
            let answer = match status {
                Some(s) => Some((s as u16, r.get::<Option<String>>(5)?.unwrap_or_default(), r.get::<Option<Vec<u8>>>(6)?.unwrap_or_default())),
                None => None,
            };
            Ok(Recorded { user_id: r.get(0)?, fingerprint: r.get(1)?, target: r.get(2)?, request_id: r.get(3)?, answer })
        })
        .transpose()
}

/// Keeps the answer of the request that recorded the key. False when no
/// change of that request was committed (nothing to keep).
pub async fn keep_answer(
    store: &crate::Store,
    mark: &Mark,
    status: u16,
    content_type: &str,
    body: &[u8],
) -> Result<bool> {
    let mut b = store.bookkeeping().await?;
    let n = query("UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5 WHERE key_hash = $1 AND request_id = $2")
        .bind(&mark.key_hash)
        .bind(&mark.request_id)
        .bind(status as i64)
        .bind(content_type)
        .bind(body.to_vec())
        .execute(&mut b)
        .await?;
    b.commit().await?;
    Ok(n > 0)
}

/// Forgets keys recorded before `keys_before` (they are kept at least
/// 24 h) and sign-in throttle counts quiet since `throttle_before`: derived
/// data, no one's record, so no audit record either.
pub async fn forget_expired(
    store: &crate::Store,
    keys_before: time::OffsetDateTime,
    throttle_before: time::OffsetDateTime,
) -> Result<()> {
    let mut b = store.bookkeeping().await?;
    query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(keys_before)
        .execute(&mut b)
        .await?;
    query("DELETE FROM login_throttle WHERE last_failure_at < $1")
        .bind(throttle_before)
        .execute(&mut b)
        .await?;
    b.commit().await
}
