//! The working calendar in use: the shipped official holidays with the
//! administrator's edits (idari izin days, corrections) on top, the legal
//! periods computed on it (`domain::calendar`), and those edits.

use domain::authority::Grant;
use domain::calendar::{Calendar, DayKind, LegalBasis, SpecialDay};
use domain::code::Code;
use store::Audit;
use time::Date;

use crate::input::{required_date, text};
use crate::{App, AppError, Result, User};

/// How long another node's calendar edit may go unseen here.
pub const CALENDAR_TTL: std::time::Duration = std::time::Duration::from_secs(30);

impl App {
    /// The working calendar as it stands now. Kept for a few seconds (every
    /// filing and registration asks for it); an edit on this node is seen
    /// at once, one on another node within [`CALENDAR_TTL`].
    pub async fn calendar(&self) -> Result<std::sync::Arc<Calendar>> {
        if let Some((at, cal)) = self
            .calendar_cache
            .lock()
            .map_err(|_| anyhow::anyhow!("calendar cache poisoned"))?
            .as_ref()
        {
            if at.elapsed() < CALENDAR_TTL {
                return Ok(cal.clone());
            }
        }
        let overrides = store::calendar::days(&mut self.read().await?).await?;
        let cal = std::sync::Arc::new(
            Calendar::new(&overrides, self.correspondence.arife_is_holiday)
                .with_admin_leave_deadline(self.correspondence.admin_leave_deadline)
                .with_holiday_period_end(self.correspondence.holiday_period_end),
        );
        *self
            .calendar_cache
            .lock()
            .map_err(|_| anyhow::anyhow!("calendar cache poisoned"))? =
            Some((std::time::Instant::now(), cal.clone()));
        Ok(cal)
    }

    /// The answer deadline for a document received on `received` under
    /// `basis` (the calculator).
    pub async fn deadline(&self, received: &str, basis: &str) -> Result<(Date, LegalBasis)> {
        let received = required_date("received", received)?;
        if !(1900..=2200).contains(&received.year()) {
            return Err(AppError::invalid("received", Code::BadDate));
        }
        let basis = LegalBasis::parse(basis)
            .map_err(|_| AppError::invalid("basis", Code::BadLegalBasis))?;
        Ok((self.calendar().await?.due(received, &basis), basis))
    }

    /// An administrator edits the calendar: an idari izin day, a holiday,
    /// a half-day, a working day; `kind` empty removes the edit.
    pub async fn set_calendar_day(
        &self,
        actor: &User,
        day: &str,
        kind: &str,
        name: &str,
    ) -> Result<()> {
        let grant = Grant::administrator(actor)?;
        let day = required_date("day", day)?;
        let edit = match kind.trim() {
            "" => None,
            k => Some((
                DayKind::parse(k).ok_or(AppError::invalid("kind", Code::BadDayKind))?,
                text("name", name, 120, true)?,
            )),
        };
        let mut w = self.write().await?;
        let before = store::calendar::day(&mut w, day).await?;
        if before.is_none() && edit.is_none() {
            return Err(AppError::NotFound);
        }
        store::calendar::set_day(
            &mut w,
            day,
            edit.as_ref().map(|(k, n)| (*k, n.as_str())),
            actor.id,
        )
        .await?;
        let details = serde_json::json!({
            "before": before.map(|d| serde_json::json!({"kind": d.kind.as_str(), "name": d.name})),
            "after": edit.as_ref().map(|(k, n)| serde_json::json!({"kind": k.as_str(), "name": n})),
        });
        w.commit(Audit::new(
            &grant,
            "calendar.changed",
            format!("calendar:{day}"),
            details,
        ))
        .await?;
        if let Ok(mut c) = self.calendar_cache.lock() {
            *c = None;
        }
        Ok(())
    }

    /// The administrator's edits of the calendar.
    pub async fn calendar_edits(&self) -> Result<Vec<SpecialDay>> {
        Ok(store::calendar::days(&mut self.read().await?).await?)
    }
}
