//! Incoming correspondence: registering with the legal deadline on the
//! Turkish working calendar, routing (havale), delivery (zimmet), closing,
//! trays and deadline lists, and who may see what.
//!
//! Visibility: a document classified GZL/CGZ or holding personal data is
//! seen only by those it was routed to (a unit's head for a unit), whoever
//! holds `route_incoming` today (the Müdür or his deputy), and the person
//! who registered it. Every read path here (one document, trays, lists,
//! attachments) asks [`may_see`]; reading such a document is audited.

use domain::authority::{self, Facts};
use domain::calendar::{Calendar, DayKind, LegalBasis, SpecialDay};
use domain::correspondence::{Channel, Confidentiality, Purpose, Register, Sender, Urgency};
use domain::fileplan::FilePlan;
use store::correspondence::{headed_units, Closing, DocLine, Incoming, NewIncoming, NewRouting, Viewer};
use store::User;
use time::{Date, OffsetDateTime};

use crate::{App, AppError, Result};

/// When register numbers start again from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberingReset {
    Yearly,
    Never,
}

/// The `[correspondence]` settings.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CorrespondenceSettings {
    pub numbering_reset: NumberingReset,
    /// Count arife half-days as holidays.
    pub arife_is_holiday: bool,
    /// A routing not taken into custody after this many hours is flagged.
    pub delivery_alert_hours: u32,
    /// "Due soon" means within this many days.
    pub due_soon_days: u32,
    /// The institution's 8-digit DETSİS number, the middle of every
    /// outgoing number (`E-<DETSİS>-<SDP>-<sequence>`).
    pub detsis: Option<String>,
}

impl Default for CorrespondenceSettings {
    fn default() -> Self {
        CorrespondenceSettings { numbering_reset: NumberingReset::Yearly, arife_is_holiday: false, delivery_alert_hours: 24, due_soon_days: 3, detsis: None }
    }
}

/// The due list shows the most pressing this many lines (a page; the
/// unit and person filters narrow it).
pub const DUE_LIST_LIMIT: i64 = 300;

/// Türkiye's date of an instant.
pub fn local_date(t: OffsetDateTime) -> Date {
    t.to_offset(time::macros::offset!(+3)).date()
}

pub(crate) fn parse_date(field: &'static str, s: &str) -> Result<Option<Date>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).map(Some).map_err(|_| AppError::invalid(field, "bad_date"))
}

pub(crate) fn text(field: &'static str, s: &str, max: usize, required: bool) -> Result<String> {
    let s = s.trim();
    if required && s.is_empty() {
        return Err(AppError::invalid(field, "required"));
    }
    if s.chars().count() > max {
        return Err(AppError::invalid(field, "too_long"));
    }
    Ok(s.to_owned())
}

/// A document to register, as typed or posted.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RegisterInput {
    /// `incoming` (gelen evrak, default) or `petition` (dilekçe).
    pub register: String,
    /// `eyazisma`, `kep`, `hand`, `post`, `email`, `fax`.
    pub channel: String,
    /// `institution` (DETSİS), `person` (TC or foreign ID), `company` (VKN).
    pub sender_kind: String,
    pub sender_name: String,
    /// The DETSİS number, TC kimlik no or VKN.
    pub sender_id: String,
    pub sender_foreign_id: String,
    /// The sender's number (sayı) and date.
    pub sender_ref: String,
    pub sender_date: String,
    pub subject: String,
    /// Standard File Plan code, e.g. `010.06`.
    pub file_code: String,
    /// Further codes (020, 030.xx allowed only here).
    pub secondary_codes: Vec<String>,
    /// `YOK` (default), `HZO`, `OZL`, `GZL`, `CGZ`.
    pub confidentiality: String,
    /// `NRM` (default), `ACL`, `GNL` (günlü: `urgent_date` required).
    pub urgency: String,
    pub urgent_date: String,
    pub personal_data: bool,
    /// Date of receipt (default today).
    pub received_on: String,
    /// `dilekce`, `bilgi_edinme`, `kvkk`, `days:N`, `workdays:N`; default
    /// `dilekce` for petitions, `days:30` otherwise; `GNL` documents are
    /// due on their date.
    pub legal_basis: String,
    /// Receipt: who handed it over, who received it (hand delivery).
    pub delivered_by: String,
    pub received_by: String,
    /// SHA-256 of uploaded attachments (`POST /api/v1/attachments`).
    pub attachments: Vec<String>,
    /// File names of the attachments, in the same order (optional).
    pub attachment_names: Vec<String>,
}

/// One recipient of a routing, as posted.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RouteTarget {
    /// A unit of the profile (e.g. `bt`); or give `user`.
    pub unit: String,
    /// A username; or give `unit`.
    pub user: String,
    /// `action` (gereği için) or `info` (bilgi için).
    pub purpose: String,
    pub note: String,
    /// An internal deadline earlier than the legal one (YYYY-MM-DD).
    pub internal_due: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct RouteInput {
    pub targets: Vec<RouteTarget>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CloseInput {
    /// `answered` (with `answer_ref`) or `filed` (with a note).
    pub how: String,
    pub note: String,
    /// The answer's number and date, until the outgoing register links it.
    pub answer_ref: String,
}

/// A line of a tray or list, with what the viewer should notice.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TrayLine {
    #[serde(flatten)]
    pub line: DocLine,
    /// `route` (awaiting the Müdür), `deliver` (take custody), `act`, `info`.
    pub awaiting: &'static str,
    pub overdue: bool,
    pub due_soon: bool,
    /// Routed and not taken into custody for longer than allowed.
    pub delivery_late: bool,
}

/// Whether `v` may see a document registered by `registered_by`, routed
/// to `recipients` (units and user ids), restricted or not.
pub fn may_see(restricted: bool, registered_by: i64, recipients: &[(Option<&str>, Option<i64>)], v: &Viewer) -> bool {
    !restricted
        || v.routes
        || registered_by == v.user_id
        || recipients.iter().any(|(unit, user)| *user == Some(v.user_id) || unit.is_some_and(|u| v.units.iter().any(|x| x == u)))
}

impl App {
    /// The working calendar as it stands now (shipped holidays and the
    /// administrator's edits).
    pub async fn calendar(&self) -> Result<Calendar> {
        let overrides = self.store.calendar_days().await?;
        Ok(Calendar::new(&overrides, self.correspondence.arife_is_holiday))
    }

    /// The answer deadline for a document received on `received`.
    pub async fn deadline(&self, received: &str, basis: &str) -> Result<(Date, LegalBasis)> {
        let received = parse_date("received", received)?.ok_or(AppError::invalid("received", "required"))?;
        let basis = LegalBasis::parse(basis).map_err(|_| AppError::invalid("basis", "bad_legal_basis"))?;
        Ok((self.calendar().await?.due(received, &basis), basis))
    }

    /// Who `user` is for the trays and visibility, today.
    pub async fn viewer(&self, user: &User) -> Result<Viewer> {
        let now = OffsetDateTime::now_utc();
        let facts = self.store.facts(user.id).await?;
        let routes = authority::authorize(&self.profile, &facts, user.id, "route_incoming", now).allowed();
        Ok(Viewer { user_id: user.id, units: headed_units(&self.profile, facts.holdings(user.id), now), routes })
    }

    fn parse_register(&self, input: &RegisterInput, calendar: &Calendar, now: OffsetDateTime) -> Result<NewIncoming> {
        let today = local_date(now);
        let register = match input.register.trim() {
            "" => Register::Incoming,
            r => Register::parse(r).ok_or(AppError::invalid("register", "bad_register"))?,
        };
        let channel = Channel::parse(&input.channel).ok_or(AppError::invalid("channel", if input.channel.trim().is_empty() { "required" } else { "bad_channel" }))?;
        let sender = Sender::parse(&input.sender_kind, &input.sender_name, &input.sender_id, &input.sender_foreign_id)
            .map_err(|e| AppError::invalid(e.field, e.code))?;
        let sender_ref = text("sender_ref", &input.sender_ref, 120, false)?;
        let sender_date = parse_date("sender_date", &input.sender_date)?;
        if sender_date.is_some_and(|d| d > today) {
            return Err(AppError::invalid("sender_date", "date_in_future"));
        }
        let subject = text("subject", &input.subject, 500, true)?;
        let plan = FilePlan::builtin();
        let file_code = plan.primary(&input.file_code).map_err(|e| AppError::invalid("file_code", e.code()))?.code.clone();
        let mut secondary_codes = Vec::new();
        for c in input.secondary_codes.iter().filter(|c| !c.trim().is_empty()) {
            secondary_codes.push(plan.secondary(c).map_err(|e| AppError::invalid("secondary_codes", e.code()))?.code.clone());
        }
        let confidentiality = match input.confidentiality.trim() {
            "" => Confidentiality::None,
            c => Confidentiality::parse(c).ok_or(AppError::invalid("confidentiality", "bad_confidentiality"))?,
        };
        let urgency = match input.urgency.trim() {
            "" => Urgency::Normal,
            u => Urgency::parse(u).ok_or(AppError::invalid("urgency", "bad_urgency"))?,
        };
        let urgent_date = parse_date("urgent_date", &input.urgent_date)?;
        if urgency == Urgency::Dated && urgent_date.is_none() {
            return Err(AppError::invalid("urgent_date", "required"));
        }
        let received_on = parse_date("received_on", &input.received_on)?.unwrap_or(today);
        if received_on > today {
            return Err(AppError::invalid("received_on", "date_in_future"));
        }
        if sender_date.is_some_and(|d| d > received_on) {
            return Err(AppError::invalid("sender_date", "after_receipt"));
        }
        let basis = match (input.legal_basis.trim(), urgency, urgent_date) {
            ("", Urgency::Dated, Some(d)) => LegalBasis::Fixed(d),
            ("", _, _) if register == Register::Petition => LegalBasis::Petition,
            ("", _, _) => LegalBasis::Days(30),
            (b, _, _) => LegalBasis::parse(b).map_err(|_| AppError::invalid("legal_basis", "bad_legal_basis"))?,
        };
        if matches!(basis, LegalBasis::InformationRequestExtended) {
            return Err(AppError::invalid("legal_basis", "extension_needs_notice"));
        }
        let due_date = calendar.due(received_on, &basis);
        if input.attachments.len() > 50 {
            return Err(AppError::invalid("attachments", "too_many"));
        }
        let mut attachments = Vec::new();
        for (i, sha) in input.attachments.iter().enumerate() {
            let sha = sha.trim().to_ascii_lowercase();
            if sha.len() != 64 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(AppError::invalid("attachments", "unknown_attachment"));
            }
            let name = input.attachment_names.get(i).map(|n| n.trim()).filter(|n| !n.is_empty()).unwrap_or("ek");
            attachments.push((sha, text("attachment_names", name, 200, true)?));
        }
        let delivered_by = text("delivered_by", &input.delivered_by, 200, false)?;
        let received_by = text("received_by", &input.received_by, 200, false)?;
        if channel == Channel::Hand && delivered_by.is_empty() {
            return Err(AppError::invalid("delivered_by", "required"));
        }
        Ok(NewIncoming {
            period: self.numbering_period(today),
            register,
            channel: channel.code().into(),
            sender,
            sender_ref,
            sender_date,
            subject,
            file_code,
            secondary_codes,
            confidentiality,
            urgency: urgency.code().into(),
            urgent_date,
            personal_data: input.personal_data,
            received_on,
            legal_basis: basis.code(),
            due_date,
            delivered_by,
            received_by,
            received_at: Some(now),
            attachments,
        })
    }

    /// The numbering period of a day: its year, or one period for ever.
    pub(crate) fn numbering_period(&self, day: Date) -> String {
        match self.correspondence.numbering_reset {
            NumberingReset::Yearly => day.year().to_string(),
            NumberingReset::Never => "0".into(),
        }
    }

    /// Checks a registration without saving anything (the form does this
    /// before it keeps an uploaded file).
    pub async fn check_incoming(&self, input: &RegisterInput) -> Result<()> {
        let calendar = self.calendar().await?;
        self.parse_register(input, &calendar, OffsetDateTime::now_utc()).map(|_| ())
    }

    /// Registers a document (m.16/1, m.21/1): it gets the next number of
    /// its register and its legal deadline, and lands in the Müdür's tray.
    pub async fn register_incoming(&self, actor: &User, input: &RegisterInput) -> Result<Incoming> {
        let now = OffsetDateTime::now_utc();
        let calendar = self.calendar().await?;
        let n = self.parse_register(input, &calendar, now)?;
        self.store.register_incoming(&self.profile, actor, &n, now).await.map_err(|e| match e {
            store::StoreError::Conflict("unknown_attachment") => AppError::invalid("attachments", "unknown_attachment"),
            e => e.into(),
        })
    }

    /// One document, if the reader may see it (else `NotFound`, which does
    /// not tell that it exists). Reading a restricted one is audited.
    pub async fn incoming(&self, reader: &User, id: i64) -> Result<Incoming> {
        let doc = self.store.incoming(id).await?;
        let v = self.viewer(reader).await?;
        let recipients: Vec<(Option<&str>, Option<i64>)> = doc.routings.iter().map(|r| (r.to_unit.as_deref(), r.to_user_id)).collect();
        if !may_see(doc.is_restricted(), doc.registered_by_id, &recipients, &v) {
            return Err(AppError::NotFound);
        }
        if doc.is_restricted() {
            self.store.record_incoming_read(reader, id, "incoming.viewed").await?;
        }
        Ok(doc)
    }

    /// Routes a document to units or people.
    pub async fn route_incoming(&self, actor: &User, id: i64, input: &RouteInput) -> Result<Vec<i64>> {
        if input.targets.is_empty() {
            return Err(AppError::invalid("targets", "required"));
        }
        if input.targets.len() > 30 {
            return Err(AppError::invalid("targets", "too_many"));
        }
        let doc = self.store.incoming(id).await?;
        let mut targets = Vec::new();
        for t in &input.targets {
            let purpose = Purpose::parse(&t.purpose).ok_or(AppError::invalid("purpose", if t.purpose.trim().is_empty() { "required" } else { "bad_purpose" }))?;
            let (unit, user) = (t.unit.trim(), t.user.trim());
            let (to_unit, to_user) = match (unit.is_empty(), user.is_empty()) {
                (false, true) => {
                    if self.profile.unit(unit).is_none() {
                        return Err(AppError::invalid("unit", "unknown_unit"));
                    }
                    (Some(unit.to_owned()), None)
                }
                (true, false) => (None, Some(self.store.find_user(user).await?.ok_or(AppError::invalid("user", "unknown_user"))?)),
                _ => return Err(AppError::invalid("unit", "unit_or_user")),
            };
            let internal_due = parse_date("internal_due", &t.internal_due)?;
            if internal_due.is_some_and(|d| d > doc.due_date) {
                return Err(AppError::invalid("internal_due", "after_legal_due"));
            }
            targets.push(NewRouting { to_unit, to_user, purpose, note: text("note", &t.note, 1000, false)?, internal_due });
        }
        Ok(self.store.route_incoming(&self.profile, actor, id, &targets, OffsetDateTime::now_utc()).await?)
    }

    /// Takes delivery (zimmet) of what was routed to the actor or his unit.
    pub async fn take_delivery(&self, actor: &User, id: i64) -> Result<Vec<i64>> {
        Ok(self.store.take_delivery(&self.profile, actor, id, OffsetDateTime::now_utc()).await?)
    }

    /// Closes a document: answered (with the answer's reference) or filed.
    pub async fn close_incoming(&self, actor: &User, id: i64, input: &CloseInput) -> Result<()> {
        let note = text("note", &input.note, 2000, false)?;
        let answer_ref = text("answer_ref", &input.answer_ref, 200, false)?;
        let how = match input.how.trim() {
            "answered" if answer_ref.is_empty() => return Err(AppError::invalid("answer_ref", "required")),
            "answered" => Closing::Answered,
            "filed" if note.is_empty() => return Err(AppError::invalid("note", "required")),
            "filed" => Closing::Filed,
            "" => return Err(AppError::invalid("how", "required")),
            _ => return Err(AppError::invalid("how", "bad_closing")),
        };
        let answer = (!answer_ref.is_empty()).then_some(answer_ref.as_str());
        Ok(self.store.close_incoming(&self.profile, actor, id, how, &note, answer, OffsetDateTime::now_utc()).await?)
    }

    /// Extends an information request once to 30 working days (4982
    /// m.11/2), with the reference of the written notice to the applicant.
    pub async fn extend_incoming(&self, actor: &User, id: i64, notice_ref: &str) -> Result<Date> {
        let notice_ref = text("notice_ref", notice_ref, 200, true)?;
        let doc = self.store.incoming(id).await?;
        let due = self.calendar().await?.due(doc.received_on, &LegalBasis::InformationRequestExtended);
        self.store.extend_incoming(&self.profile, actor, id, &notice_ref, due, OffsetDateTime::now_utc()).await?;
        Ok(due)
    }

    fn tray_line(&self, line: DocLine, v: &Viewer, today: Date, now: OffsetDateTime) -> TrayLine {
        let mine = line.to_user_id == Some(v.user_id) || line.to_unit.as_ref().is_some_and(|u| v.units.contains(u));
        let awaiting = match (&line.routing_id, &line.purpose, line.delivered_at) {
            (None, _, _) => "route",
            (Some(_), _, None) if mine => "deliver",
            (Some(_), Some(p), _) if p == "action" => "act",
            _ => "info",
        };
        let due = line.effective_due();
        let late_after = time::Duration::hours(i64::from(self.correspondence.delivery_alert_hours));
        TrayLine {
            overdue: due < today,
            due_soon: due >= today && due <= today + time::Duration::days(i64::from(self.correspondence.due_soon_days)),
            delivery_late: line.delivered_at.is_none() && line.routed_at.is_some_and(|t| now - t > late_after),
            awaiting,
            line,
        }
    }

    /// What waits for `user`, most urgent first.
    pub async fn tray(&self, user: &User) -> Result<Vec<TrayLine>> {
        let v = self.viewer(user).await?;
        let now = OffsetDateTime::now_utc();
        let today = local_date(now);
        let lines = self.store.tray(&v, DUE_LIST_LIMIT).await?;
        Ok(lines.into_iter().map(|l| self.tray_line(l, &v, today, now)).collect())
    }

    /// Open documents overdue or due within the "due soon" days, for the
    /// directorate, one unit or one person; restricted ones only for those
    /// who may see them.
    pub async fn due_list(&self, viewer: &User, unit: Option<&str>, username: Option<&str>) -> Result<Vec<TrayLine>> {
        let v = self.viewer(viewer).await?;
        let now = OffsetDateTime::now_utc();
        let today = local_date(now);
        if let Some(u) = unit {
            if self.profile.unit(u).is_none() {
                return Err(AppError::invalid("unit", "unknown_unit"));
            }
        }
        let user_id = match username {
            Some(n) => Some(self.store.find_user(n).await?.ok_or(AppError::invalid("user", "unknown_user"))?.id),
            None => None,
        };
        let until = today + time::Duration::days(i64::from(self.correspondence.due_soon_days));
        let lines = self.store.due_list(until, unit, user_id, DUE_LIST_LIMIT).await?;
        Ok(lines
            .into_iter()
            .filter(|l| may_see(l.is_restricted(), l.registered_by_id, &[(l.to_unit.as_deref(), l.to_user_id)], &v))
            .map(|l| self.tray_line(l, &v, today, now))
            .collect())
    }

    /// An administrator edits the calendar: an idari izin day, a holiday,
    /// a half-day, a working day; `kind` empty removes the edit.
    pub async fn set_calendar_day(&self, actor: &User, day: &str, kind: &str, name: &str) -> Result<()> {
        let day = parse_date("day", day)?.ok_or(AppError::invalid("day", "required"))?;
        let edit = match kind.trim() {
            "" => None,
            k => Some((DayKind::parse(k).ok_or(AppError::invalid("kind", "bad_day_kind"))?, text("name", name, 120, true)?)),
        };
        Ok(self.store.set_calendar_day(actor, day, edit.as_ref().map(|(k, n)| (*k, n.as_str()))).await?)
    }

    pub async fn calendar_edits(&self) -> Result<Vec<SpecialDay>> {
        Ok(self.store.calendar_days().await?)
    }
}
