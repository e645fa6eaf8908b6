//! The audit trail for those who answer for it (m.11, m.8/28): the Müdür
//! (`view_audit_trail`, delegable) and administrators; and its check.

use domain::authority::Authority;
use domain::code::Code;

use crate::{Actor, App, AppError, Result, User};

pub use store::audit::AuditFilter;
pub use store::{AuditEntry, AuditVerdict};

impl App {
    async fn may_read_audit(&self, actor: &User) -> Result<()> {
        if actor.is_admin || self.capabilities(actor).await?.audit {
            Ok(())
        } else {
            Err(AppError::forbidden(Authority::ViewAuditTrail.id()))
        }
    }

    /// The audit trail, filtered, newest first.
    pub async fn audit_search(&self, actor: &User, filter: AuditFilter) -> Result<Vec<AuditEntry>> {
        self.may_read_audit(actor).await?;
        if !(1..=500).contains(&filter.limit) {
            return Err(AppError::invalid("limit", Code::OutOfRange));
        }
        if let (Some(f), Some(u)) = (filter.from, filter.until) {
            if u <= f {
                return Err(AppError::invalid("until", Code::PeriodEmpty));
            }
        }
        Ok(store::audit::search(&mut self.read().await?, &filter).await?)
    }

    /// The newest audit records.
    pub async fn recent_audit(&self, actor: &User, limit: i64) -> Result<Vec<AuditEntry>> {
        self.audit_search(actor, AuditFilter { limit, ..Default::default() }).await
    }

    /// Checks the audit trail's hash chain from its first record: the
    /// operator's `mudurluk audit verify`, or whoever may read the trail.
    pub async fn verify_audit(&self, by: Actor<'_>) -> Result<AuditVerdict> {
        if let Actor::Person(u) = by {
            self.may_read_audit(u).await?;
        }
        Ok(store::audit::verify(&mut self.read().await?).await?)
    }
}
