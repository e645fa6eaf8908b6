//! Destruction that destroys, and the housekeeping of what expires.
//!
//! A disposal decides, in its own transaction, which files nothing
//! surviving holds (`store::attachments::decide_destruction`): from then on
//! nobody can read them and their extracted text is gone. Their bytes are
//! removed from the store here, right after the disposal and again at every
//! round, so that a server stopped in between finishes the work when it
//! starts (the decision is kept; removing bytes twice is harmless). Each
//! file's tombstone (`blob_destructions`) records when its bytes went, with
//! an audit record by the system.
//!
//! Every round also collects uploads that no record claimed within
//! `unreferenced_upload_hours`, and forgets expired `Idempotency-Key`s (kept
//! 48 hours, the promise being 24) and quiet sign-in throttle counts, and
//! keeps SQLite's planner statistics current (`Store::optimize`: cheap
//! unless a table grew or shrank many times over since the last).

use std::time::Duration;

use domain::authority::{Grant, SystemTask};
use store::attachments::DestructionReason;
use store::Audit;
use time::OffsetDateTime;

use crate::{App, Result};

/// How often the collector runs.
pub const ROUND: Duration = Duration::from_secs(10 * 60);
/// How long an `Idempotency-Key` is kept.
pub const IDEMPOTENCY_HOURS: i64 = 48;

/// What a round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Collected {
    /// Files whose bytes were removed.
    pub destroyed: usize,
    /// Unclaimed uploads whose destruction was decided.
    pub unclaimed: usize,
}

/// Runs the collector in the background every [`ROUND`] (the first at once).
pub fn spawn(app: App, unreferenced_upload_hours: u32) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = app.collect(unreferenced_upload_hours).await {
                tracing::warn!(error = %e, "collection round failed; trying again at the next round");
            }
            if let Err(e) = app.store.optimize().await {
                tracing::warn!(error = %e, "gathering the database's statistics failed; trying again at the next round");
            }
            tokio::time::sleep(ROUND).await;
        }
    });
}

impl App {
    /// One round of collection (see the module's text).
    pub async fn collect(&self, unreferenced_upload_hours: u32) -> Result<Collected> {
        let now = OffsetDateTime::now_utc();
        let before = now - time::Duration::hours(i64::from(unreferenced_upload_hours));
        let unclaimed = store::attachments::unclaimed(&mut self.read().await?, before, 500).await?;
        let mut decided = 0;
        for sha in unclaimed {
            let mut w = self.write().await?;
            let done = store::attachments::decide_destruction(
                &mut w,
                std::slice::from_ref(&sha),
                DestructionReason::Unclaimed,
            )
            .await?;
            if done.is_empty() {
                continue; // claimed meanwhile
            }
            w.commit(Audit::new(
                &Grant::system(SystemTask::Collection),
                "blob.destruction_decided",
                format!("blob:{sha}"),
                serde_json::json!({"reason": "unclaimed", "hours": unreferenced_upload_hours}),
            ))
            .await?;
            decided += 1;
        }
        let destroyed = self.destroy_decided().await?;
        store::idempotency::forget_expired(
            &self.store,
            now - time::Duration::hours(IDEMPOTENCY_HOURS),
            now - time::Duration::seconds(domain::throttle::FORGET_AFTER_SECS),
        )
        .await?;
        Ok(Collected {
            destroyed,
            unclaimed: decided,
        })
    }

    /// Removes the bytes of every file whose destruction is decided, and
    /// completes its tombstone. How many were removed.
    pub async fn destroy_decided(&self) -> Result<usize> {
        let mut n = 0;
        loop {
            let pending =
                store::attachments::pending_destructions(&mut self.read().await?, 200).await?;
            if pending.is_empty() {
                return Ok(n);
            }
            let mut progressed = false;
            for sha in pending {
                // Uploaded again since the decision: the file lives again.
                if !store::attachments::destruction_decided(&mut self.read().await?, &sha).await? {
                    continue;
                }
                self.blobs.delete(&sha).await?;
                let mut w = self.write().await?;
                if store::attachments::bytes_destroyed(&mut w, &sha).await? {
                    w.commit(Audit::new(
                        &Grant::system(SystemTask::Collection),
                        "blob.destroyed",
                        format!("blob:{sha}"),
                        serde_json::json!({}),
                    ))
                    .await?;
                    n += 1;
                    progressed = true;
                }
            }
            if !progressed {
                return Ok(n);
            }
        }
    }
}
