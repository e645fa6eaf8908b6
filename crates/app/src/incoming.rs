//! Incoming correspondence: registering with the legal deadline on the
//! Turkish working calendar (only where a law sets one), routing (havale),
//! delivery (zimmet), closing, the one 4982 extension, trays and deadline
//! lists, and who may see what. The rules are `domain::incoming`'s; each
//! use-case here loads the facts inside its write, asks the rule, writes
//! what it decided and commits with the audit record made from its grant.
//!
//! Registrations go through a group commit ([`store::batch`]): the
//! registrations waiting are numbered and written in one transaction.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use domain::authority::{Authority, Grant};
use domain::calendar::{AdminLeaveDeadline, Calendar, LegalBasis, RequestKind};
use domain::code::Code;
use domain::correspondence::{Channel, Confidentiality, Purpose, Register, Sender, Urgency};
use domain::fileplan::FilePlan;
use domain::incoming::{
    self as rules, Actions, Alerts, Closing, Document, Line, Target, TrayLine, Viewer,
};
use store::batch::Batcher;
use store::incoming::lists::DueScope;
pub use store::incoming::lists::{RegistrationFilter, TrayKind};
use store::incoming::register::NewIncoming;
use store::incoming::routing::NewRouting;
use store::{Audit, Audits};
use time::{Date, OffsetDateTime};

use crate::input::{date, text};
use crate::{now, App, AppError, Result, User};

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
    /// A legal deadline that falls on an idari izin day: `stays` (the day
    /// is a legal working day under Law 2429) or `previous_working_day`
    /// (for an office closed that day: earlier, safer).
    pub admin_leave_deadline: AdminLeaveDeadline,
    /// A 30-day period whose last day is a holiday: `next_working_day`
    /// (default) or `previous_working_day` (earlier, safe whatever a court
    /// holds).
    pub holiday_period_end: domain::calendar::HolidayPeriodEnd,
    /// Classified letters: the administration is authorised for crypto
    /// (e-Yazışma for Gizli/Çok Gizli, m.31/3), they may go by post, and
    /// "Hizmete Özel" may go on paper (a zorunlu hâl, m.4/2). All off.
    pub crypto_authorized: bool,
    pub classified_by_post: bool,
    pub restricted_physical: bool,
    /// A routing not taken into custody after this many hours is flagged.
    pub delivery_alert_hours: u32,
    /// "Due soon" means within this many days.
    pub due_soon_days: u32,
    /// The institution's 8-digit DETSİS number, when the first-run setup
    /// did not record one (the setup's wins).
    pub detsis: Option<String>,
    /// The address people outside reach this server at
    /// (`https://ebys.ornek.bel.tr`): printed letters give the verification
    /// page under it (`/dogrula`). Unset, they give the path alone.
    pub public_url: Option<String>,
    /// The Standard File Plan code a received e-Yazışma package is filed
    /// under when neither the package (SdpBilgisi, the code in its number)
    /// nor the registrar gives one. Unset (the default), such a package is
    /// refused until the registrar names a code: filing is a decision.
    pub eyazisma_file_code: Option<String>,
    /// The folder of trusted e-imza root certificates (PEM files; Kamu
    /// SM's public roots go here). Default: `DATA_DIR/trust`.
    pub trust_dir: Option<std::path::PathBuf>,
}

impl CorrespondenceSettings {
    /// What may carry a classified letter here.
    pub fn dispatch_policy(&self) -> domain::correspondence::DispatchPolicy {
        domain::correspondence::DispatchPolicy {
            crypto_authorized: self.crypto_authorized,
            classified_by_post: self.classified_by_post,
            restricted_physical: self.restricted_physical,
        }
    }
}

impl Default for CorrespondenceSettings {
    fn default() -> Self {
        CorrespondenceSettings {
            numbering_reset: NumberingReset::Yearly,
            arife_is_holiday: false,
            admin_leave_deadline: AdminLeaveDeadline::Stays,
            holiday_period_end: domain::calendar::HolidayPeriodEnd::NextWorkingDay,
            crypto_authorized: false,
            classified_by_post: false,
            restricted_physical: false,
            delivery_alert_hours: 24,
            due_soon_days: 3,
            detsis: None,
            public_url: None,
            eyazisma_file_code: None,
            trust_dir: None,
        }
    }
}

/// The due list shows the most pressing this many lines (a page; the
/// unit and person filters narrow it).
pub const DUE_LIST_LIMIT: i64 = 300;

/// How many registrations one transaction takes at most.
const REGISTRATION_BATCH: usize = 128;

/// A document to register, as typed or posted.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
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
    /// `YOK` (default), `HZO`, `GZL`, `CGZ` (`OZL` only on old records).
    pub confidentiality: String,
    /// `NRM` (default), `ACL`, `GNL` (günlü: `urgent_date` required).
    pub urgency: String,
    pub urgent_date: String,
    pub personal_data: bool,
    /// Date of receipt (default today).
    pub received_on: String,
    /// The law that sets the answer period: `dilekce` (3071), `bilgi_edinme`
    /// (4982), `kvkk`, `kurum_belge`/`kurum_bilgi`/`kurum_gorus` (a request
    /// of another administration, Resmî Yazışma Yönetmeliği m.33),
    /// `days:N`, `workdays:N`, `gunlu:YYYY-MM-DD`, or `yok` (none). Left
    /// empty: a petition is under 3071, a dated document due on its date,
    /// a request of another administration (`request_kind`) under m.33,
    /// anything else has no legal deadline.
    pub legal_basis: String,
    /// For a request from another administration: `belge`, `bilgi`, `gorus`.
    pub request_kind: String,
    /// An internal target date (YYYY-MM-DD): not a legal deadline.
    pub target_date: String,
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

/// The one extension of an information request (4982 m.11).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ExtensionInput {
    /// Date and number of the written notice sent to the applicant.
    pub notice_ref: String,
    /// The day the notice was given (YYYY-MM-DD; default today).
    pub notice_date: String,
    /// The law's case: `baska_birim` (another unit holds it),
    /// `baska_kurum_gorusu` (another institution's opinion is needed),
    /// `birden_fazla_kurum` (it concerns several institutions).
    pub reason: String,
}

/// A document as its reader sees it, with what he may do.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IncomingView {
    #[serde(flatten)]
    pub document: Document,
    pub actions: Actions,
}

/// One registration waiting for the registration writer.
pub struct RegisterJob {
    actor: User,
    n: NewIncoming,
    /// The request's `Idempotency-Key`, recorded with its registration.
    mark: Option<store::idempotency::Mark>,
}

/// The registration writer of an [`App`], started at its first
/// registration.
pub(crate) type Registrations = OnceLock<Batcher<RegisterJob, Result<Document>>>;

/// The document as registered, built from what was written (no read back).
fn registered(
    actor: &User,
    id: i64,
    n: &NewIncoming,
    files: &HashMap<String, store::incoming::register::FileFacts>,
) -> Document {
    let mut attachments: Vec<rules::Attachment> = n
        .attachments
        .iter()
        .filter_map(|(sha, name)| {
            let f = files.get(sha)?;
            Some(rules::Attachment {
                sha256: sha.clone(),
                name: name.clone(),
                size: f.size,
                content_type: f.content_type.clone(),
                text_state: Some(f.text_state.clone().unwrap_or_else(|| "queued".into())),
                text_reason: f.text_reason.clone(),
            })
        })
        .collect();
    attachments.sort_by(|a, b| a.name.cmp(&b.name));
    Document {
        id,
        register: n.register.code().into(),
        number: n.number.clone(),
        seq: n.seq,
        period: n.period.clone(),
        registered_at: n.registered_at,
        registered_by: actor.username.clone(),
        registered_by_name: actor.display_name.clone(),
        registered_by_id: actor.id,
        channel: n.channel.clone(),
        sender_kind: n.sender.kind().into(),
        sender_name: n.sender.name().into(),
        sender_id: n.sender.id().map(str::to_owned),
        sender_foreign_id: n.sender.foreign_id().map(str::to_owned),
        sender_ref: n.sender_ref.clone(),
        sender_date: n.sender_date,
        subject: n.subject.clone(),
        file_code: n.file_code.clone(),
        secondary_codes: n.secondary_codes.clone(),
        confidentiality: n.confidentiality.code().into(),
        urgency: n.urgency.clone(),
        urgent_date: n.urgent_date,
        personal_data: n.personal_data,
        received_on: n.received_on,
        legal_basis: n.legal_basis.clone(),
        due_date: n.due_date,
        target_date: n.target_date,
        delivered_by: n.delivered_by.clone(),
        received_by: n.received_by.clone(),
        received_at: n.received_at,
        state: rules::State::Registered,
        closed_at: None,
        closed_by: None,
        closed_by_name: None,
        closing: None,
        closing_note: None,
        answer_ref: None,
        extension_ref: None,
        extension_reason: None,
        extension_notice_date: None,
        attachments,
        routings: Vec::new(),
    }
}

impl App {
    /// Reads a registration as typed; nothing is saved. The number, and
    /// the instant, are given by the registering write.
    fn parse_register(
        &self,
        actor: &User,
        input: &RegisterInput,
        calendar: &Calendar,
        now: OffsetDateTime,
    ) -> Result<NewIncoming> {
        let today = domain::local::date(now);
        let register = match input.register.trim() {
            "" => Register::Incoming,
            r => Register::parse(r).ok_or(AppError::invalid("register", Code::BadRegister))?,
        };
        let channel = Channel::parse(&input.channel).ok_or(AppError::invalid(
            "channel",
            if input.channel.trim().is_empty() {
                Code::Required
            } else {
                Code::BadChannel
            },
        ))?;
        let sender = Sender::parse(
            &input.sender_kind,
            &input.sender_name,
            &input.sender_id,
            &input.sender_foreign_id,
        )
        .map_err(|e| AppError::invalid(e.field, Code::of(e.code)))?;
        let sender_ref = text("sender_ref", &input.sender_ref, 120, false)?;
        let sender_date = date("sender_date", &input.sender_date)?;
        if sender_date.is_some_and(|d| d > today) {
            return Err(AppError::invalid("sender_date", Code::DateInFuture));
        }
        let subject = text("subject", &input.subject, 500, true)?;
        let plan = FilePlan::builtin();
        let file_code = plan
            .primary(&input.file_code)
            .map_err(|e| AppError::invalid("file_code", Code::of(e.code())))?
            .code
            .clone();
        let mut secondary_codes = Vec::new();
        for c in input
            .secondary_codes
            .iter()
            .filter(|c| !c.trim().is_empty())
        {
            secondary_codes.push(
                plan.secondary(c)
                    .map_err(|e| AppError::invalid("secondary_codes", Code::of(e.code())))?
                    .code
                    .clone(),
            );
        }
        let confidentiality = match input.confidentiality.trim() {
            "" => Confidentiality::None,
            c => Confidentiality::parse_new(c)
                .map_err(|e| AppError::invalid("confidentiality", Code::of(e.code())))?,
        };
        let urgency = match input.urgency.trim() {
            "" => Urgency::Normal,
            u => Urgency::parse(u).ok_or(AppError::invalid("urgency", Code::BadUrgency))?,
        };
        let urgent_date = date("urgent_date", &input.urgent_date)?;
        if urgency == Urgency::Dated && urgent_date.is_none() {
            return Err(AppError::invalid("urgent_date", Code::Required));
        }
        let received_on = date("received_on", &input.received_on)?.unwrap_or(today);
        if received_on > today {
            return Err(AppError::invalid("received_on", Code::DateInFuture));
        }
        if sender_date.is_some_and(|d| d > received_on) {
            return Err(AppError::invalid("sender_date", Code::AfterReceipt));
        }
        let request_kind = match input.request_kind.trim() {
            "" => None,
            k => Some(
                RequestKind::parse(k)
                    .ok_or(AppError::invalid("request_kind", Code::BadRequestKind))?,
            ),
        };
        // No invented periods: only a law (or the sender's date) sets one.
        let basis = match input.legal_basis.trim() {
            "" => domain::calendar::default_basis(
                register,
                urgent_date.filter(|_| urgency == Urgency::Dated),
                request_kind,
            ),
            b => LegalBasis::parse_optional(b)
                .map_err(|_| AppError::invalid("legal_basis", Code::BadLegalBasis))?,
        };
        if matches!(basis, Some(LegalBasis::InformationRequestExtended)) {
            return Err(AppError::invalid("legal_basis", Code::ExtensionNeedsNotice));
        }
        let due_date = calendar.legal_due(received_on, basis.as_ref());
        let target_date = date("target_date", &input.target_date)?;
        if target_date.is_some_and(|t| t < received_on) {
            return Err(AppError::invalid("target_date", Code::BeforeFrom));
        }
        if input.attachments.len() > 50 {
            return Err(AppError::invalid("attachments", Code::TooMany));
        }
        let mut attachments: Vec<(String, String)> = Vec::new();
        for (i, sha) in input.attachments.iter().enumerate() {
            let sha = sha.trim().to_ascii_lowercase();
            if sha.len() != 64 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(AppError::invalid("attachments", Code::UnknownAttachment));
            }
            let name = input
                .attachment_names
                .get(i)
                .map(|n| n.trim())
                .filter(|n| !n.is_empty())
                .unwrap_or("ek");
            let name = text("attachment_names", name, 200, true)?;
            if !attachments.iter().any(|(s, _)| *s == sha) {
                attachments.push((sha, name));
            }
        }
        let delivered_by = text("delivered_by", &input.delivered_by, 200, false)?;
        let received_by = text("received_by", &input.received_by, 200, false)?;
        if channel == Channel::Hand && delivered_by.is_empty() {
            return Err(AppError::invalid("delivered_by", Code::Required));
        }
        Ok(NewIncoming {
            register,
            period: self.numbering_period(today),
            seq: 0,
            number: String::new(),
            registered_by: actor.id,
            registered_at: now,
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
            legal_basis: basis.map(|b| b.code()).unwrap_or_default(),
            due_date,
            target_date,
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

    /// Refuses, before a form is read, someone who does not keep the
    /// registers (m.16/1); the registration decides again in its write.
    pub async fn may_register(&self, actor: &User) -> Result<()> {
        if self.capabilities(actor).await?.register {
            Ok(())
        } else {
            Err(AppError::forbidden(Authority::RegisterCorrespondence.id()))
        }
    }

    /// Checks a registration without saving anything (the form does this
    /// before it keeps an uploaded file).
    pub async fn check_incoming(&self, actor: &User, input: &RegisterInput) -> Result<()> {
        let calendar = self.calendar().await?;
        let n = self.parse_register(actor, input, &calendar, now())?;
        for (sha, _) in &n.attachments {
            if let Err(e) = self.may_attach(actor, sha).await {
                // Someone who may not register at all hears that first.
                self.may_register(actor).await?;
                return Err(e);
            }
        }
        Ok(())
    }

    /// Registers a document (m.16/1, m.21/1): it gets the next number of
    /// its register and, where a law sets one, its legal deadline, and
    /// lands in the Müdür's tray. Registrations arriving together are
    /// written together.
    pub async fn register_incoming(&self, actor: &User, input: &RegisterInput) -> Result<Document> {
        let calendar = self.calendar().await?;
        let n = self.parse_register(actor, input, &calendar, now())?;
        // Only a file the registrar uploaded or may read goes on it.
        for (sha, _) in &n.attachments {
            if let Err(e) = self.may_attach(actor, sha).await {
                // Someone who may not register at all hears that first.
                self.may_register(actor).await?;
                return Err(e);
            }
        }
        let writer = self.registrations.get_or_init(|| {
            // The writer holds the app without its own queue, so that the
            // queue (and the task) end when the app is dropped.
            let mut app = self.clone();
            app.registrations = Arc::default();
            Batcher::spawn(REGISTRATION_BATCH, move |jobs| {
                let app = app.clone();
                Box::pin(async move { app.register_batch(jobs).await })
            })
        });
        writer
            .submit(RegisterJob {
                actor: actor.clone(),
                n,
                mark: store::idempotency::current(),
            })
            .await
            .unwrap_or_else(|| {
                Err(AppError::Internal(anyhow::anyhow!(
                    "the registration writer stopped before answering"
                )))
            })
    }

    /// Registers a batch; if the transaction itself fails, each job is
    /// tried alone, so that one bad job never fails the others.
    async fn register_batch(&self, jobs: Vec<RegisterJob>) -> Vec<Result<Document>> {
        match self.register_together(&jobs).await {
            Ok(done) => done,
            Err(e) if jobs.len() == 1 => vec![Err(e)],
            Err(_) => {
                let mut done = Vec::with_capacity(jobs.len());
                for job in &jobs {
                    done.push(
                        match self.register_together(std::slice::from_ref(job)).await {
                            Ok(mut one) => one.pop().unwrap_or(Err(AppError::NotFound)),
                            Err(e) => Err(e),
                        },
                    );
                }
                done
            }
        }
    }

    /// One transaction: each actor authorised once (`register_correspondence`,
    /// m.16/1), the attachments checked, numbers taken gap-free per register
    /// and period, the documents, their links and audit records written. A
    /// job refused for its actor or attachments gets its own answer and
    /// takes no number.
    async fn register_together(&self, jobs: &[RegisterJob]) -> Result<Vec<Result<Document>>> {
        let mut w = self.write().await?;
        let at = w.at();
        let mut grants: HashMap<i64, std::result::Result<Grant, String>> = HashMap::new();
        for j in jobs {
            if grants.contains_key(&j.actor.id) {
                continue;
            }
            let g = match self
                .grant(&mut w, &j.actor, Authority::RegisterCorrespondence)
                .await
            {
                Ok(g) => Ok(g),
                Err(AppError::Forbidden { missing }) => Err(missing),
                Err(e) => return Err(e),
            };
            grants.insert(j.actor.id, g);
        }
        let shas: Vec<&str> = jobs
            .iter()
            .flat_map(|j| j.n.attachments.iter().map(|(s, _)| s.as_str()))
            .collect();
        let files = store::incoming::register::file_facts(&mut w, &shas).await?;
        let mut out: Vec<Result<NewIncoming>> = jobs
            .iter()
            .map(|j| match &grants[&j.actor.id] {
                Err(missing) => Err(AppError::forbidden(missing.clone())),
                Ok(_) if j.n.attachments.iter().any(|(s, _)| !files.contains_key(s)) => {
                    Err(AppError::invalid("attachments", Code::UnknownAttachment))
                }
                Ok(_) => {
                    let mut n = j.n.clone();
                    n.registered_at = at;
                    n.received_at = Some(at);
                    Ok(n)
                }
            })
            .collect();
        // Numbers: each register and period's counter moves once, by the
        // number of documents it numbers here.
        let mut counts: Vec<((Register, String), i64)> = Vec::new();
        for n in out.iter().flatten() {
            match counts
                .iter_mut()
                .find(|(k, _)| k.0 == n.register && k.1 == n.period)
            {
                Some((_, c)) => *c += 1,
                None => counts.push(((n.register, n.period.clone()), 1)),
            }
        }
        let mut next: HashMap<(Register, String), i64> = HashMap::new();
        for ((register, period), c) in counts {
            let first =
                store::incoming::register::take_numbers(&mut w, register.code(), &period, c)
                    .await?;
            next.insert((register, period), first);
        }
        for n in out.iter_mut().flatten() {
            let seq = next
                .get_mut(&(n.register, n.period.clone()))
                .ok_or_else(|| anyhow::anyhow!("a register was not counted"))?;
            n.seq = *seq;
            n.number = rules::number(n.register, &n.period, *seq);
            *seq += 1;
        }
        let numbered: Vec<&NewIncoming> = out.iter().flatten().collect();
        if numbered.is_empty() {
            // Every job was refused: each gets its refusal.
            return Ok(out.into_iter().filter_map(|r| r.err()).map(Err).collect());
        }
        let ids = store::incoming::register::insert(&mut w, &numbered).await?;
        let texts: Vec<&str> = numbered
            .iter()
            .flat_map(|n| n.attachments.iter().map(|(s, _)| s.as_str()))
            .collect();
        store::search::queue_texts(&mut w, &texts).await?;
        store::search::note_changes(
            &mut w,
            &ids.iter()
                .map(|id| format!("incoming:{id}"))
                .collect::<Vec<_>>(),
        )
        .await?;
        let mut audits = Vec::with_capacity(ids.len());
        let mut ids = ids.into_iter();
        let mut answers = Vec::with_capacity(jobs.len());
        for (j, n) in jobs.iter().zip(out) {
            answers.push(match n {
                Err(e) => Err(e),
                Ok(n) => {
                    let id = ids.next().ok_or_else(|| anyhow::anyhow!("a registration has no id"))?;
                    let grant = grants[&j.actor.id].as_ref().map_err(|_| anyhow::anyhow!("a refused actor was numbered"))?;
                    audits.push(Audit::new(
                        grant,
                        "incoming.registered",
                        format!("incoming:{id}"),
                        serde_json::json!({"after": {
                            "number": n.number, "register": n.register.code(), "file_code": n.file_code,
                            "confidentiality": n.confidentiality.code(), "personal_data": n.personal_data,
                            "legal_basis": n.legal_basis, "due_date": n.due_date.map(|d| d.to_string()),
                            "target_date": n.target_date.map(|d| d.to_string()),
                            "attachments": n.attachments.iter().map(|(s, _)| s).collect::<Vec<_>>(),
                        }}),
                    ).for_request(j.mark.clone()));
                    Ok(registered(&j.actor, id, &n, &files))
                }
            });
        }
        match Audits::of(audits) {
            Some(audits) => w.commit_all(audits).await?,
            None => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "registrations without audit records"
                )))
            }
        }
        self.wake_indexer();
        Ok(answers)
    }

    /// The facts about the reader a document's rules need: his own, and the
    /// holdings of the people and units involved.
    async fn viewer_in(
        &self,
        c: &mut impl store::Conn,
        user: &User,
        at: OffsetDateTime,
    ) -> Result<(domain::authority::FactSet, Viewer)> {
        let facts = self.facts(c, user.id).await?;
        let mut v = Viewer::of(&self.profile, &facts, user.id, at);
        v.member |= user.is_admin;
        Ok((facts, v))
    }

    /// One document, if the reader may see it (else `NotFound`, which does
    /// not tell that it exists), with what he may do. Reading a restricted
    /// one is audited (KVKK).
    pub async fn incoming(&self, reader: &User, id: i64) -> Result<IncomingView> {
        let mut c = self.read().await?;
        let doc = store::incoming::get(&mut c, id).await?;
        let at = now();
        let (facts, v) = self.viewer_in(&mut c, reader, at).await?;
        drop(c);
        if !rules::may_see_document(&doc, &v) {
            return Err(AppError::NotFound);
        }
        if doc.is_restricted() {
            let w = self.write().await?;
            w.commit(Audit::new(
                &Grant::access_log(reader),
                "incoming.viewed",
                format!("incoming:{id}"),
                serde_json::json!({}),
            ))
            .await?;
        }
        let actions = rules::actions(&self.profile, &facts, reader, &doc, &v, at);
        Ok(IncomingView {
            document: doc,
            actions,
        })
    }

    /// Routes a document to units or people (m.20/1-c, m.21/1, m.13).
    pub async fn route_incoming(
        &self,
        actor: &User,
        id: i64,
        input: &RouteInput,
    ) -> Result<Vec<i64>> {
        if input.targets.is_empty() {
            return Err(AppError::invalid("targets", Code::Required));
        }
        if input.targets.len() > 30 {
            return Err(AppError::invalid("targets", Code::TooMany));
        }
        let mut targets = Vec::new();
        let mut notes = Vec::new();
        for t in &input.targets {
            let purpose = Purpose::parse(&t.purpose).ok_or(AppError::invalid(
                "purpose",
                if t.purpose.trim().is_empty() {
                    Code::Required
                } else {
                    Code::BadPurpose
                },
            ))?;
            let (unit, user) = (t.unit.trim(), t.user.trim());
            let (to_unit, to_user) = match (unit.is_empty(), user.is_empty()) {
                (false, true) => {
                    if self.profile.unit(unit).is_none() {
                        return Err(AppError::invalid("unit", Code::UnknownUnit));
                    }
                    (Some(unit.to_owned()), None)
                }
                (true, false) => (None, Some(self.user_named("user", user).await?)),
                _ => return Err(AppError::invalid("unit", Code::UnitOrUser)),
            };
            let internal_due = date("internal_due", &t.internal_due)?;
            targets.push((
                Target {
                    to_unit,
                    to_user: to_user.as_ref().map(|u| u.id),
                    purpose,
                    internal_due,
                },
                to_user,
            ));
            notes.push(crate::input::lines("note", &t.note, 1000, false)?);
        }
        let mut w = self.write().await?;
        let at = w.at();
        let doc = store::incoming::get(&mut w, id).await?;
        let mut facts = self.facts(&mut w, actor.id).await?;
        let people: Vec<i64> = targets.iter().filter_map(|(t, _)| t.to_user).collect();
        store::authority::add_holdings(&mut w, &mut facts, &people).await?;
        let rule_targets: Vec<Target> = targets.iter().map(|(t, _)| t.clone()).collect();
        let routed = rules::route(&self.profile, &facts, actor, &doc, &rule_targets, at)?;
        let basis = routed.grant.basis_text();
        let due = |t: &Target| match (t.internal_due, doc.due_date.or(doc.target_date)) {
            (Some(i), Some(d)) => i.min(d),
            (Some(i), None) => i,
            (None, d) => d.unwrap_or(rules::NO_DUE),
        };
        let new: Vec<NewRouting> = rule_targets
            .iter()
            .zip(&notes)
            .map(|(t, note)| NewRouting {
                to_unit: t.to_unit.clone(),
                to_user: t.to_user,
                purpose: t.purpose.code().into(),
                note: note.clone(),
                internal_due: t.internal_due,
                due: due(t),
            })
            .collect();
        let ids =
            store::incoming::routing::route(&mut w, id, routed.parent, actor.id, &basis, &new)
                .await?;
        store::search::note_changes(&mut w, &[format!("incoming:{id}")]).await?;
        let details = serde_json::json!({"before": {"state": doc.state}, "after": {"state": "routed", "routings": targets.iter().zip(&notes).zip(&ids).map(|(((t, u), note), rid)| serde_json::json!({
            "id": rid, "to_unit": t.to_unit, "to_user": u.as_ref().map(|u| &u.username),
            "purpose": t.purpose.code(), "note": note, "internal_due": t.internal_due.map(|d| d.to_string()),
        })).collect::<Vec<_>>()}});
        w.commit(Audit::new(
            &routed.grant,
            "incoming.routed",
            format!("incoming:{id}"),
            details,
        ))
        .await?;
        // Who may find it in search has changed.
        self.wake_indexer();
        Ok(ids)
    }

    /// Takes delivery (zimmet) of what was routed to the actor or his unit.
    pub async fn take_delivery(&self, actor: &User, id: i64) -> Result<Vec<i64>> {
        let mut w = self.write().await?;
        let at = w.at();
        let doc = store::incoming::get(&mut w, id).await?;
        let (_, v) = self.viewer_in(&mut w, actor, at).await?;
        let (grant, mine) = rules::take_delivery(actor, &doc, &v)?;
        store::incoming::routing::deliver(&mut w, &mine, actor.id).await?;
        w.commit(Audit::new(
            &grant,
            "incoming.delivered",
            format!("incoming:{id}"),
            serde_json::json!({"after": {"routings": mine}}),
        ))
        .await?;
        Ok(mine)
    }

    /// Closes a document: answered (with the answer's reference) or filed.
    pub async fn close_incoming(&self, actor: &User, id: i64, input: &CloseInput) -> Result<()> {
        let note = crate::input::lines("note", &input.note, 2000, false)?;
        let answer_ref = text("answer_ref", &input.answer_ref, 200, false)?;
        let how = match input.how.trim() {
            "answered" if answer_ref.is_empty() => {
                return Err(AppError::invalid("answer_ref", Code::Required))
            }
            "answered" => Closing::Answered,
            "filed" if note.is_empty() => return Err(AppError::invalid("note", Code::Required)),
            "filed" => Closing::Filed,
            "" => return Err(AppError::invalid("how", Code::Required)),
            _ => return Err(AppError::invalid("how", Code::BadClosing)),
        };
        let answer = (!answer_ref.is_empty()).then_some(answer_ref.as_str());
        let mut w = self.write().await?;
        let at = w.at();
        let doc = store::incoming::get(&mut w, id).await?;
        let (facts, v) = self.viewer_in(&mut w, actor, at).await?;
        let grant = rules::close(&self.profile, &facts, actor, &doc, &v, at)?;
        store::incoming::routing::close(&mut w, id, actor.id, how, &note, answer).await?;
        let details = serde_json::json!({"before": {"state": doc.state}, "after": {"state": "closed", "closing": how.code(), "note": note, "answer_ref": answer}});
        w.commit(Audit::new(
            &grant,
            "incoming.closed",
            format!("incoming:{id}"),
            details,
        ))
        .await?;
        Ok(())
    }

    /// Extends an information request once to 30 working days (4982
    /// m.11): only within its first 15 working days, for one of the law's
    /// reasons, with the written notice given to the applicant.
    pub async fn extend_incoming(
        &self,
        actor: &User,
        id: i64,
        input: &ExtensionInput,
    ) -> Result<Date> {
        use domain::information_request::{self as ir, ExtensionRefusal as X};
        // Emptiness and length are the rule's to judge (4982 m.11/2).
        let notice_ref = input.notice_ref.trim().to_owned();
        let calendar = self.calendar().await?;
        let mut w = self.write().await?;
        let at = w.at();
        let today = domain::local::date(at);
        let notice_date = date("notice_date", &input.notice_date)?.unwrap_or(today);
        let doc = store::incoming::get(&mut w, id).await?;
        let (facts, v) = self.viewer_in(&mut w, actor, at).await?;
        let grant = rules::extend(&self.profile, &facts, actor, &doc, &v, at)?;
        let basis = LegalBasis::parse(&doc.legal_basis)
            .map_err(|_| AppError::Conflict(Code::NotExtendable))?;
        let ext = ir::extend(
            &calendar,
            &ir::ExtensionInput {
                basis,
                received: doc.received_on,
                reason: &input.reason,
                notice_ref: &notice_ref,
                notice_date,
                today,
            },
        )
        .map_err(|e| match e {
            X::NotAnInformationRequest => AppError::Conflict(Code::NotExtendable),
            X::AlreadyExtended => AppError::Conflict(Code::AlreadyExtended),
            X::FirstPeriodOver => AppError::Conflict(Code::FirstPeriodOver),
            X::ReasonRequired | X::BadReason => AppError::invalid("reason", Code::of(e.code())),
            X::NoticeRefRequired | X::NoticeRefTooLong => {
                AppError::invalid("notice_ref", Code::of(e.code()))
            }
            X::NoticeBeforeReceipt | X::NoticeInFuture | X::NoticeTooLate => {
                AppError::invalid("notice_date", Code::of(e.code()))
            }
        })?;
        let new_basis = LegalBasis::InformationRequestExtended.code();
        let notice = store::incoming::routing::ExtensionNotice {
            notice_ref: &notice_ref,
            reason: ext.reason.code(),
            notice_date,
        };
        store::incoming::routing::extend(&mut w, id, &new_basis, ext.due, &notice).await?;
        let details = serde_json::json!({
            "before": {"legal_basis": doc.legal_basis, "due_date": doc.due_date.map(|d| d.to_string())},
            "after": {"legal_basis": new_basis, "due_date": ext.due.to_string(), "notice_ref": notice_ref,
                "notice_date": notice_date.to_string(), "reason": ext.reason.code()},
        });
        w.commit(
            Audit::new(
                &grant,
                "incoming.extended",
                format!("incoming:{id}"),
                details,
            )
            .with_basis_prefix("4982 m.11/2"),
        )
        .await?;
        Ok(ext.due)
    }

    fn alerts(&self) -> Alerts {
        Alerts {
            delivery_alert: time::Duration::hours(i64::from(
                self.correspondence.delivery_alert_hours,
            )),
            due_soon_days: i64::from(self.correspondence.due_soon_days),
        }
    }

    /// What waits for `user`, most urgent first.
    pub async fn tray(&self, user: &User) -> Result<Vec<TrayLine>> {
        let mut c = self.read().await?;
        let now = now();
        let (_, v) = self.viewer_in(&mut c, user, now).await?;
        let lines = store::incoming::lists::tray(&mut c, &v, DUE_LIST_LIMIT).await?;
        let today = domain::local::date(now);
        Ok(lines
            .into_iter()
            .map(|l| rules::tray_line(l, &v, self.alerts(), today, now))
            .collect())
    }

    /// One page of what waits for `user` (one part of it, or all), most
    /// urgent first, with how many there are in that part (counts stop at
    /// [`crate::inbox::COUNT_CAP`]; the flag says whether it did).
    pub async fn tray_page(
        &self,
        user: &User,
        kind: TrayKind,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<TrayLine>, i64, bool)> {
        let mut c = self.read().await?;
        let now = now();
        let today = domain::local::date(now);
        let (_, v) = self.viewer_in(&mut c, user, now).await?;
        let cap = crate::inbox::COUNT_CAP;
        let soon = today + time::Duration::days(i64::from(self.correspondence.due_soon_days));
        let n = store::incoming::lists::tray_counts(&mut c, &v, today, soon, cap).await?;
        let total = match kind {
            TrayKind::All => n.route + n.deliver + n.act + n.info,
            TrayKind::Route => n.route,
            TrayKind::Deliver => n.deliver,
            TrayKind::Act => n.act,
            TrayKind::Info => n.info,
        };
        let capped = [n.route, n.deliver, n.act, n.info].contains(&cap);
        let per_page = per_page.clamp(1, 500);
        // A page past the end is empty (a client paging until it gets an
        // empty page stops), not the last page again.
        let offset = (page.clamp(1, 1_000_000) - 1) * per_page;
        if offset >= total && total < cap {
            return Ok((Vec::new(), total, capped));
        }
        let lines =
            store::incoming::lists::tray_page(&mut c, &v, kind, offset, per_page, n.route).await?;
        Ok((
            lines
                .into_iter()
                .map(|l| rules::tray_line(l, &v, self.alerts(), today, now))
                .collect(),
            total,
            capped,
        ))
    }

    /// The Kalem's list of every registration (m.16/1), newest first, one
    /// page, with the total (counting stops at [`crate::inbox::COUNT_CAP`]).
    /// A restricted document the reader may not see is listed by its
    /// number only: its subject and sender are not shown.
    pub async fn registrations(
        &self,
        actor: &User,
        f: &store::incoming::lists::RegistrationFilter,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<Line>, i64)> {
        self.may_register(actor).await?;
        let mut c = self.read().await?;
        let at = now();
        let (_, v) = self.viewer_in(&mut c, actor, at).await?;
        let per_page = per_page.clamp(1, 500);
        let offset = (page.clamp(1, 1_000_000) - 1) * per_page;
        let (mut lines, total) = store::incoming::lists::registrations(
            &mut c,
            f,
            per_page,
            offset,
            crate::inbox::COUNT_CAP,
        )
        .await?;
        for l in &mut lines {
            // The list has no routings to go by: what the viewer may see of
            // a restricted one is decided as for a line without recipients.
            if l.is_restricted() && !domain::incoming::may_see(true, l.registered_by_id, &[], &v) {
                l.subject = String::new();
                l.sender_name = String::new();
            }
        }
        Ok((lines, total))
    }

    /// Open documents overdue or due within the "due soon" days, for the
    /// directorate, one unit or one person; restricted ones only for those
    /// who may see them.
    pub async fn due_list(
        &self,
        viewer: &User,
        unit: Option<&str>,
        username: Option<&str>,
        limit: i64,
    ) -> Result<Vec<TrayLine>> {
        let limit = limit.clamp(1, DUE_LIST_LIMIT);
        if let Some(u) = unit {
            if self.profile.unit(u).is_none() {
                return Err(AppError::invalid("unit", Code::UnknownUnit));
            }
        }
        let user_id = match username {
            Some(n) => Some(self.user_named("user", n).await?.id),
            None => None,
        };
        let mut c = self.read().await?;
        let now = now();
        let today = domain::local::date(now);
        let (_, v) = self.viewer_in(&mut c, viewer, now).await?;
        let until = today + time::Duration::days(i64::from(self.correspondence.due_soon_days));
        let scope = match (unit, user_id) {
            (Some(u), _) => DueScope::Unit(u),
            (None, Some(id)) => DueScope::User(id),
            (None, None) => DueScope::All,
        };
        let lines = store::incoming::lists::due_list(&mut c, until, scope, limit).await?;
        Ok(lines
            .into_iter()
            .filter(|l: &Line| l.visible_to(&v))
            .map(|l| rules::tray_line(l, &v, self.alerts(), today, now))
            .collect())
    }
}
