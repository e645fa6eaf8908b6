//! Incoming correspondence (m.16/1, m.20/1, m.21/1): registering a document
//! with the next number of its register, routing it (havale), taking
//! delivery (zimmet), closing it, the trays and the deadline lists, and
//! the administrator's edits of the working calendar.
//!
//! Every write authorises inside its transaction (writers are serialised,
//! see `people`), takes its number there, and writes its audit record
//! there: a number is never given twice nor skipped, and a revoked
//! deputyship or delegation never routes a document after it is revoked.

use domain::authority::{self, Basis, Decision};
use domain::calendar::{DayKind, SpecialDay};
use domain::correspondence::{Confidentiality, Purpose, Register, Sender};
use domain::profile::Profile;
use std::sync::Arc;

use time::{Date, OffsetDateTime};

use crate::batch::Batcher;
use crate::{NewAudit, Result, Store, StoreError, User};

/// A document as the registrar enters it (already checked by `app`).
#[derive(Debug, Clone)]
pub struct NewIncoming {
    pub register: Register,
    /// The numbering period, e.g. `2026` (see the reset setting).
    pub period: String,
    pub channel: String,
    pub sender: Sender,
    pub sender_ref: String,
    pub sender_date: Option<Date>,
    pub subject: String,
    pub file_code: String,
    pub secondary_codes: Vec<String>,
    pub confidentiality: Confidentiality,
    pub urgency: String,
    pub urgent_date: Option<Date>,
    pub personal_data: bool,
    pub received_on: Date,
    pub legal_basis: String,
    pub due_date: Date,
    pub delivered_by: String,
    pub received_by: String,
    pub received_at: Option<OffsetDateTime>,
    /// (SHA-256 of a stored blob, file name)
    pub attachments: Vec<(String, String)>,
}

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// One registration waiting for the registration writer (group commit).
pub struct RegisterJob {
    pub profile: Arc<Profile>,
    pub actor: User,
    pub n: NewIncoming,
    pub at: OffsetDateTime,
}

/// The document a job will register, before its number and id are known.
fn new_document(j: &RegisterJob, at: OffsetDateTime) -> Incoming {
    let n = &j.n;
    Incoming {
        id: 0,
        register: n.register.code().into(),
        number: String::new(),
        seq: 0,
        period: n.period.clone(),
        registered_at: at,
        registered_by: j.actor.username.clone(),
        registered_by_id: j.actor.id,
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
        delivered_by: n.delivered_by.clone(),
        received_by: n.received_by.clone(),
        received_at: n.received_at,
        state: "registered".into(),
        closed_at: None,
        closed_by: None,
        closing: None,
        closing_note: None,
        answer_ref: None,
        extension_ref: None,
        attachments: Vec::new(),
        routings: Vec::new(),
    }
}

/// The registration writer of a store, started at its first registration.
pub(crate) type Registrations = std::sync::OnceLock<Batcher<RegisterJob, Result<Incoming>>>;

/// How many registrations one transaction takes at most.
const REGISTRATION_BATCH: usize = 128;


/// A registered document with its attachments and routings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Incoming {
    pub id: i64,
    pub register: String,
    pub number: String,
    pub seq: i64,
    pub period: String,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
    pub registered_by: String,
    #[serde(skip)]
    pub registered_by_id: i64,
    pub channel: String,
    pub sender_kind: String,
    pub sender_name: String,
    pub sender_id: Option<String>,
    pub sender_foreign_id: Option<String>,
    pub sender_ref: String,
    #[serde(with = "iso_date::option")]
    pub sender_date: Option<Date>,
    pub subject: String,
    pub file_code: String,
    pub secondary_codes: Vec<String>,
    pub confidentiality: String,
    pub urgency: String,
    #[serde(with = "iso_date::option")]
    pub urgent_date: Option<Date>,
    pub personal_data: bool,
    #[serde(with = "iso_date")]
    pub received_on: Date,
    pub legal_basis: String,
    #[serde(with = "iso_date")]
    pub due_date: Date,
    pub delivered_by: String,
    pub received_by: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub received_at: Option<OffsetDateTime>,
    /// `registered` (in the Müdür's tray), `routed`, `closed`.
    pub state: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    pub closed_by: Option<String>,
    /// `answered` or `filed`.
    pub closing: Option<String>,
    pub closing_note: Option<String>,
    pub answer_ref: Option<String>,
    /// The written notice of a 4982 extension, once extended.
    pub extension_ref: Option<String>,
    pub attachments: Vec<IncomingAttachment>,
    pub routings: Vec<Routing>,
}

impl Incoming {
    /// GZL/CGZ or personal data: seen only by its recipients, the (acting)
    /// Müdür and the registrar.
    pub fn is_restricted(&self) -> bool {
        self.personal_data || Confidentiality::parse(&self.confidentiality).is_none_or(|c| c.is_restricted())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IncomingAttachment {
    pub sha256: String,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    /// Its text for search: queued, running, done, partial or failed.
    pub text_state: Option<String>,
    /// Why partial or failed (`encrypted`, `corrupt`, `ocr_page_limit:200`…).
    pub text_reason: Option<String>,
}

/// One recipient of a routing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Routing {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub routed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub routed_at: OffsetDateTime,
    pub basis: String,
    pub to_unit: Option<String>,
    pub to_user: Option<String>,
    #[serde(skip)]
    pub to_user_id: Option<i64>,
    /// `action` (gereği için) or `info` (bilgi için).
    pub purpose: String,
    pub note: String,
    #[serde(with = "iso_date::option")]
    pub internal_due: Option<Date>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<OffsetDateTime>,
    pub delivered_by: Option<String>,
}

/// A recipient of a new routing: a unit or a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRouting {
    pub to_unit: Option<String>,
    pub to_user: Option<User>,
    pub purpose: Purpose,
    pub note: String,
    pub internal_due: Option<Date>,
}

/// One line of a tray or a deadline list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocLine {
    pub id: i64,
    pub number: String,
    pub register: String,
    pub subject: String,
    pub sender_name: String,
    pub confidentiality: String,
    pub personal_data: bool,
    pub urgency: String,
    #[serde(with = "iso_date")]
    pub due_date: Date,
    pub state: String,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
    #[serde(skip)]
    pub registered_by_id: i64,
    /// The routing this line is about (none: awaiting the Müdür's routing).
    pub routing_id: Option<i64>,
    pub purpose: Option<String>,
    pub to_unit: Option<String>,
    pub to_user: Option<String>,
    #[serde(skip)]
    pub to_user_id: Option<i64>,
    #[serde(with = "iso_date::option")]
    pub internal_due: Option<Date>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub routed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<OffsetDateTime>,
}

impl DocLine {
    pub fn is_restricted(&self) -> bool {
        self.personal_data || Confidentiality::parse(&self.confidentiality).is_none_or(|c| c.is_restricted())
    }

    /// The earlier of the legal deadline and the routing's internal one.
    pub fn effective_due(&self) -> Date {
        self.internal_due.map_or(self.due_date, |d| d.min(self.due_date))
    }
}

/// Who is asking, for the trays and lists.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: i64,
    /// Units the viewer heads today.
    pub units: Vec<String>,
    /// Holds `route_incoming` today (the Müdür, or his deputy/delegate).
    pub routes: bool,
}

/// How a document is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    Answered,
    Filed,
}

impl Closing {
    pub fn code(self) -> &'static str {
        match self {
            Closing::Answered => "answered",
            Closing::Filed => "filed",
        }
    }
}

/// One line of a register book (gelen evrak / dilekçe defteri).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookRow {
    pub id: i64,
    pub seq: i64,
    pub number: String,
    pub registered_at: OffsetDateTime,
    pub sender_name: String,
    pub sender_ref: String,
    pub sender_date: Option<Date>,
    pub subject: String,
    pub attachments: i64,
    /// The first recipient of the Müdür's routing (unit id or username).
    pub routed_to: Option<String>,
    /// Who took delivery of it.
    pub delivered_to: Option<String>,
    pub confidentiality: String,
    pub personal_data: bool,
    pub registered_by_id: i64,
    /// The viewer is among the document's recipients.
    pub viewer_is_recipient: bool,
}

impl BookRow {
    pub fn is_restricted(&self) -> bool {
        self.personal_data || Confidentiality::parse(&self.confidentiality).is_none_or(|c| c.is_restricted())
    }
}

/// Units a set of holdings heads at `at`.
pub fn headed_units(profile: &Profile, holdings: &[authority::Holding], at: OffsetDateTime) -> Vec<String> {
    let mut units: Vec<String> = holdings
        .iter()
        .filter(|h| h.period.contains(at))
        .filter_map(|h| profile.headed_unit(&h.position).map(str::to_owned))
        .collect();
    units.sort();
    units.dedup();
    units
}

const INCOMING_COLS: &str = "i.id, i.register, i.number, i.seq, i.period, i.registered_at, i.registered_by, ru.username AS registered_by_name,
    i.channel, i.sender_kind, i.sender_name, i.sender_id, i.sender_foreign_id, i.sender_ref, i.sender_date, i.subject, i.file_code,
    i.secondary_codes, i.confidentiality, i.urgency, i.urgent_date, i.personal_data, i.received_on, i.legal_basis, i.due_date,
    i.delivered_by, i.received_by, i.received_at, i.state, i.closed_at, cu.username AS closed_by_name, i.closing, i.closing_note, i.answer_ref, i.extension_ref";

const ROUTING_LINE_COLS: &str = "r.id AS routing_id, r.purpose, r.to_unit, r.to_user, tu.username AS to_user_name, r.internal_due,
    r.routed_at, r.delivered_at";

const LINE_COLS: &str = "i.id, i.number, i.register, i.subject, i.sender_name, i.confidentiality, i.personal_data, i.urgency, i.due_date,
    i.state, i.registered_at, i.registered_by";

for_each_engine! {
    use sqlx::Row;
    use super::*;

    fn incoming_from(r: &DbRow) -> Result<Incoming> {
        let codes: String = r.try_get("secondary_codes")?;
        Ok(Incoming {
            id: r.try_get("id")?,
            register: r.try_get("register")?,
            number: r.try_get("number")?,
            seq: r.try_get("seq")?,
            period: r.try_get("period")?,
            registered_at: r.try_get("registered_at")?,
            registered_by: r.try_get("registered_by_name")?,
            registered_by_id: r.try_get("registered_by")?,
            channel: r.try_get("channel")?,
            sender_kind: r.try_get("sender_kind")?,
            sender_name: r.try_get("sender_name")?,
            sender_id: r.try_get("sender_id")?,
            sender_foreign_id: r.try_get("sender_foreign_id")?,
            sender_ref: r.try_get("sender_ref")?,
            sender_date: r.try_get("sender_date")?,
            subject: r.try_get("subject")?,
            file_code: r.try_get("file_code")?,
            secondary_codes: codes.split(',').filter(|c| !c.is_empty()).map(str::to_owned).collect(),
            confidentiality: r.try_get("confidentiality")?,
            urgency: r.try_get("urgency")?,
            urgent_date: r.try_get("urgent_date")?,
            personal_data: r.try_get("personal_data")?,
            received_on: r.try_get("received_on")?,
            legal_basis: r.try_get("legal_basis")?,
            due_date: r.try_get("due_date")?,
            delivered_by: r.try_get("delivered_by")?,
            received_by: r.try_get("received_by")?,
            received_at: r.try_get("received_at")?,
            state: r.try_get("state")?,
            closed_at: r.try_get("closed_at")?,
            closed_by: r.try_get("closed_by_name")?,
            closing: r.try_get("closing")?,
            closing_note: r.try_get("closing_note")?,
            answer_ref: r.try_get("answer_ref")?,
            extension_ref: r.try_get("extension_ref")?,
            attachments: Vec::new(),
            routings: Vec::new(),
        })
    }

    fn routing_from(r: &DbRow) -> Result<Routing> {
        Ok(Routing {
            id: r.try_get("id")?,
            parent_id: r.try_get("parent_id")?,
            routed_by: r.try_get("routed_by_name")?,
            routed_at: r.try_get("routed_at")?,
            basis: r.try_get("basis")?,
            to_unit: r.try_get("to_unit")?,
            to_user: r.try_get("to_user_name")?,
            to_user_id: r.try_get("to_user")?,
            purpose: r.try_get("purpose")?,
            note: r.try_get("note")?,
            internal_due: r.try_get("internal_due")?,
            delivered_at: r.try_get("delivered_at")?,
            delivered_by: r.try_get("delivered_by_name")?,
        })
    }

    fn line_from(r: &DbRow, with_routing: bool) -> Result<DocLine> {
        let (routing_id, purpose, to_unit, to_user, to_user_id, internal_due, routed_at, delivered_at) = if with_routing {
            (
                r.try_get("routing_id")?,
                r.try_get("purpose")?,
                r.try_get("to_unit")?,
                r.try_get("to_user_name")?,
                r.try_get("to_user")?,
                r.try_get("internal_due")?,
                r.try_get("routed_at")?,
                r.try_get("delivered_at")?,
            )
        } else {
            (None, None, None, None, None, None, None, None)
        };
        Ok(DocLine {
            id: r.try_get("id")?,
            number: r.try_get("number")?,
            register: r.try_get("register")?,
            subject: r.try_get("subject")?,
            sender_name: r.try_get("sender_name")?,
            confidentiality: r.try_get("confidentiality")?,
            personal_data: r.try_get("personal_data")?,
            urgency: r.try_get("urgency")?,
            due_date: r.try_get("due_date")?,
            state: r.try_get("state")?,
            registered_at: r.try_get("registered_at")?,
            registered_by_id: r.try_get("registered_by")?,
            routing_id,
            purpose,
            to_unit,
            to_user,
            to_user_id,
            internal_due,
            routed_at,
            delivered_at,
        })
    }

    pub async fn load(c: &mut Conn, id: i64) -> Result<Incoming> {
        let r = sqlx::query(&format!(
            "SELECT {INCOMING_COLS} FROM incoming i JOIN users ru ON ru.id = i.registered_by
             LEFT JOIN users cu ON cu.id = i.closed_by WHERE i.id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut doc = incoming_from(&r)?;
        let atts = sqlx::query(
            "SELECT a.sha256, a.name, b.size, b.content_type, t.state, t.reason FROM incoming_attachments a
             JOIN blobs b ON b.sha256 = a.sha256 LEFT JOIN blob_texts t ON t.sha256 = a.sha256
             WHERE a.incoming_id = $1 ORDER BY a.name",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        for a in &atts {
            doc.attachments.push(IncomingAttachment {
                sha256: a.try_get("sha256")?,
                name: a.try_get("name")?,
                size: a.try_get("size")?,
                content_type: a.try_get("content_type")?,
                text_state: a.try_get("state")?,
                text_reason: a.try_get("reason")?,
            });
        }
        let routes = sqlx::query(
            "SELECT r.*, rb.username AS routed_by_name, tu.username AS to_user_name, db.username AS delivered_by_name
             FROM routings r JOIN users rb ON rb.id = r.routed_by LEFT JOIN users tu ON tu.id = r.to_user
             LEFT JOIN users db ON db.id = r.delivered_by WHERE r.incoming_id = $1 ORDER BY r.id",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        doc.routings = routes.iter().map(routing_from).collect::<Result<_>>()?;
        Ok(doc)
    }

    /// Registers documents, each under the next number of its register and
    /// period, in one transaction (group commit, see [`crate::batch`]). The
    /// registrar needs `register_correspondence` (m.16/1); a job refused
    /// for its actor or its attachments gets its own error and takes no
    /// number. If the transaction itself fails, each job is tried alone, so
    /// that one bad job never fails the others.
    pub async fn register_batch(db: &Db, jobs: &[RegisterJob]) -> Vec<Result<Incoming>> {
        match register_together(db, jobs).await {
            Ok(done) => done,
            Err(e) if jobs.len() == 1 => vec![Err(e)],
            Err(_) => {
                let mut done = Vec::with_capacity(jobs.len());
                for job in jobs {
                    done.push(match register_together(db, std::slice::from_ref(job)).await {
                        Ok(mut one) => one.pop().unwrap_or(Err(StoreError::NotFound)),
                        Err(e) => Err(e),
                    });
                }
                done
            }
        }
    }

    async fn register_together(db: &Db, jobs: &[RegisterJob]) -> Result<Vec<Result<Incoming>>> {
        use std::collections::HashMap;
        let mut tx = begin(db).await?;
        // One instant for the batch, taken once the writers' lock is held,
        // so instants follow commit order: a use before a revocation is
        // dated before it.
        let at = jobs.iter().map(|j| j.at).fold(crate::now(), OffsetDateTime::max);
        let mut out: Vec<Result<Incoming>> = Vec::with_capacity(jobs.len());
        let mut bases: HashMap<(usize, i64), std::result::Result<String, String>> = HashMap::new();
        for j in jobs {
            let key = (std::sync::Arc::as_ptr(&j.profile) as usize, j.actor.id);
            if let std::collections::hash_map::Entry::Vacant(slot) = bases.entry(key) {
                slot.insert(match people::authorize_in(&mut tx, &j.profile, j.actor.id, "register_correspondence", at).await {
                    Ok(b) => Ok(people::basis_text(&b)),
                    Err(StoreError::Forbidden(missing)) => Err(missing),
                    Err(e) => return Err(e),
                });
            }
            out.push(match &bases[&key] {
                Ok(_) => Ok(new_document(j, at)),
                Err(missing) => Err(StoreError::Forbidden(missing.clone())),
            });
        }
        // The attachments' details, and a refusal for any never uploaded.
        let shas: Vec<&str> = jobs.iter().flat_map(|j| j.n.attachments.iter().map(|(s, _)| s.as_str())).collect();
        let mut blobs: HashMap<String, (i64, String, Option<String>, Option<String>)> = HashMap::new();
        for chunk in shas.chunks(500) {
            let mut q = sqlx::QueryBuilder::<Kind>::new(
                "SELECT b.sha256, b.size, b.content_type, t.state, t.reason FROM blobs b LEFT JOIN blob_texts t ON t.sha256 = b.sha256
                 WHERE b.sha256 IN (",
            );
            let mut list = q.separated(", ");
            for sha in chunk {
                list.push_bind(*sha);
            }
            q.push(")");
            for r in q.build().fetch_all(&mut *tx).await? {
                blobs.insert(r.try_get("sha256")?, (r.try_get("size")?, r.try_get("content_type")?, r.try_get("state")?, r.try_get("reason")?));
            }
        }
        for (j, doc) in jobs.iter().zip(out.iter_mut()) {
            let Ok(d) = doc else { continue };
            for (sha, name) in &j.n.attachments {
                match blobs.get(sha) {
                    None => {
                        *doc = Err(StoreError::Conflict("unknown_attachment"));
                        break;
                    }
                    Some((size, content_type, state, reason)) if !d.attachments.iter().any(|a| &a.sha256 == sha) => d.attachments.push(IncomingAttachment {
                        sha256: sha.clone(),
                        name: name.clone(),
                        size: *size,
                        content_type: content_type.clone(),
                        text_state: Some(state.clone().unwrap_or_else(|| "queued".into())),
                        text_reason: reason.clone(),
                    }),
                    Some(_) => {}
                }
            }
            if let Ok(d) = doc {
                d.attachments.sort_by(|a, b| a.name.cmp(&b.name));
            }
        }
        // Numbers, gap-free: each register and period's counter moves once
        // by the number of documents it numbers here.
        let mut counts: Vec<((&str, &str), i64)> = Vec::new();
        for d in out.iter().flatten() {
            match counts.iter_mut().find(|(k, _)| *k == (d.register.as_str(), d.period.as_str())) {
                Some((_, n)) => *n += 1,
                None => counts.push(((d.register.as_str(), d.period.as_str()), 1)),
            }
        }
        let mut next: HashMap<(String, String), i64> = HashMap::new();
        for ((register, period), n) in counts {
            let last: i64 = sqlx::query_scalar(
                "INSERT INTO register_counters (register, period, last_seq) VALUES ($1, $2, $3)
                 ON CONFLICT (register, period) DO UPDATE SET last_seq = register_counters.last_seq + excluded.last_seq
                 RETURNING last_seq",
            )
            .bind(register)
            .bind(period)
            .bind(n)
            .fetch_one(&mut *tx)
            .await?;
            next.insert((register.to_owned(), period.to_owned()), last - n + 1);
        }
        for d in out.iter_mut().flatten() {
            let seq = next.get_mut(&(d.register.clone(), d.period.clone())).expect("counted above");
            d.seq = *seq;
            *seq += 1;
            let prefix = if d.register == Register::Petition.code() { "D-" } else { "" };
            d.number = format!("{prefix}{}/{}", d.period, d.seq);
        }
        let numbered: Vec<(&RegisterJob, &Incoming)> = jobs.iter().zip(out.iter()).filter_map(|(j, d)| Some((j, d.as_ref().ok()?))).collect();
        if numbered.is_empty() {
            return Ok(out);
        }
        let mut q = sqlx::QueryBuilder::<Kind>::new(
            "INSERT INTO incoming (register, period, seq, number, registered_at, registered_by, channel, sender_kind, sender_name,
                sender_id, sender_foreign_id, sender_ref, sender_date, subject, file_code, secondary_codes, confidentiality, urgency,
                urgent_date, personal_data, received_on, legal_basis, due_date, delivered_by, received_by, received_at, state) ",
        );
        q.push_values(&numbered, |mut row, (j, d)| {
            let n = &j.n;
            row.push_bind(d.register.as_str())
                .push_bind(d.period.as_str())
                .push_bind(d.seq)
                .push_bind(d.number.as_str())
                .push_bind(d.registered_at)
                .push_bind(j.actor.id)
                .push_bind(n.channel.as_str())
                .push_bind(n.sender.kind())
                .push_bind(n.sender.name())
                .push_bind(n.sender.id())
                .push_bind(n.sender.foreign_id())
                .push_bind(n.sender_ref.as_str())
                .push_bind(n.sender_date)
                .push_bind(n.subject.as_str())
                .push_bind(n.file_code.as_str())
                .push_bind(n.secondary_codes.join(","))
                .push_bind(n.confidentiality.code())
                .push_bind(n.urgency.as_str())
                .push_bind(n.urgent_date)
                .push_bind(n.personal_data)
                .push_bind(n.received_on)
                .push_bind(n.legal_basis.as_str())
                .push_bind(n.due_date)
                .push_bind(n.delivered_by.as_str())
                .push_bind(n.received_by.as_str())
                .push_bind(n.received_at)
                .push_bind("registered");
        });
        q.push(" RETURNING id, number");
        let mut ids: HashMap<String, i64> = HashMap::new();
        for r in q.build().fetch_all(&mut *tx).await? {
            ids.insert(r.try_get("number")?, r.try_get("id")?);
        }
        for d in out.iter_mut().flatten() {
            d.id = *ids.get(&d.number).ok_or_else(|| anyhow::anyhow!("registration {} was not inserted", d.number))?;
        }
        let links: Vec<(i64, &str, &str)> =
            out.iter().flatten().flat_map(|d| d.attachments.iter().map(move |a| (d.id, a.sha256.as_str(), a.name.as_str()))).collect();
        if !links.is_empty() {
            let mut q = sqlx::QueryBuilder::<Kind>::new("INSERT INTO incoming_attachments (incoming_id, sha256, name) ");
            q.push_values(links, |mut row, (id, sha, name)| {
                row.push_bind(id).push_bind(sha).push_bind(name);
            });
            q.build().execute(&mut *tx).await?;
        }
        let records: Vec<NewAudit> = jobs
            .iter()
            .zip(out.iter())
            .filter_map(|(j, d)| {
                let d = d.as_ref().ok()?;
                let key = (std::sync::Arc::as_ptr(&j.profile) as usize, j.actor.id);
                Some(NewAudit {
                    actor: Some(j.actor.username.clone()),
                    action: "incoming.registered",
                    subject: format!("incoming:{}", d.id),
                    basis: bases[&key].clone().unwrap_or_default(),
                    details: serde_json::json!({"after": {
                        "number": d.number, "register": d.register, "file_code": d.file_code,
                        "confidentiality": d.confidentiality, "personal_data": d.personal_data,
                        "legal_basis": d.legal_basis, "due_date": d.due_date.to_string(),
                        "attachments": j.n.attachments.iter().map(|(s, _)| s).collect::<Vec<_>>(),
                    }}),
                })
            })
            .collect();
        base::chain_many(&mut tx, &records).await?;
        // Their files' text is wanted, and the search index follows.
        let files: Vec<&str> = out.iter().flatten().flat_map(|d| d.attachments.iter().map(|a| a.sha256.as_str())).collect();
        search::queue_texts(&mut tx, &files, at).await?;
        search::note_changes(&mut tx, &out.iter().flatten().map(|d| format!("incoming:{}", d.id)).collect::<Vec<_>>()).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn get(db: &Db, id: i64) -> Result<Incoming> {
        load(&mut *read(db).await?, id).await
    }

    /// A read of a document holding personal data or classified GZL/CGZ,
    /// written to the audit trail (KVKK).
    pub async fn record_read(db: &Db, reader: &User, id: i64, what: &'static str) -> Result<()> {
        let mut tx = begin(db).await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(reader.username.clone()),
            action: what,
            subject: format!("incoming:{id}"),
            basis: "KVKK m.12 (access log)".into(),
            details: serde_json::json!({}),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Routes a document. The Müdür (or whoever holds `route_incoming`
    /// today by deputyship or delegation) routes anywhere; a section head
    /// re-routes a document routed to his section to people of it.
    pub async fn route(db: &Db, profile: &Profile, actor: &User, id: i64, targets: &[NewRouting], at: OffsetDateTime) -> Result<Vec<i64>> {
        let mut tx = begin(db).await?;
        // The instant is taken once the writers' lock is held, so instants
        // follow commit order: a use before a revocation is dated before it.
        let at = at.max(crate::now());
        let doc = load(&mut tx, id).await?;
        if doc.state == "closed" {
            return Err(StoreError::Conflict("already_closed"));
        }
        let facts = people::facts_about(&mut tx, actor.id).await?;
        let (basis, parent, section) = match authority::authorize(profile, &facts, actor.id, "route_incoming", at) {
            Decision::Allow(b) => (b, None, None),
            Decision::Deny { .. } => {
                let Decision::Allow(b) = authority::authorize(profile, &facts, actor.id, "route_within_section", at) else {
                    return Err(StoreError::Forbidden("route_incoming".into()));
                };
                let unit = match &b {
                    Basis::Position { position, .. } => profile.headed_unit(position).map(str::to_owned),
                    _ => None,
                };
                let parent = doc
                    .routings
                    .iter()
                    .find(|r| r.to_unit.is_some() && r.to_unit == unit)
                    .ok_or_else(|| StoreError::Forbidden("route_incoming".into()))?;
                (b, Some(parent.id), unit)
            }
        };
        if let Some(unit) = &section {
            for t in targets {
                let Some(u) = &t.to_user else { return Err(StoreError::Conflict("target_outside_section")) };
                let holdings = people::holdings_of(&mut tx, u.id).await?;
                let inside = holdings.iter().any(|h| {
                    h.period.contains(at) && profile.position(&h.position).is_some_and(|p| &p.unit == unit)
                });
                if !inside {
                    return Err(StoreError::Conflict("target_outside_section"));
                }
            }
        }
        let basis_text = people::basis_text(&basis);
        let mut ids = Vec::new();
        for t in targets {
            let rid: i64 = sqlx::query_scalar(
                "INSERT INTO routings (incoming_id, parent_id, routed_by, routed_at, basis, to_unit, to_user, purpose, note, internal_due, due)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(id)
            .bind(parent)
            .bind(actor.id)
            .bind(at)
            .bind(&basis_text)
            .bind(&t.to_unit)
            .bind(t.to_user.as_ref().map(|u| u.id))
            .bind(t.purpose.code())
            .bind(&t.note)
            .bind(t.internal_due)
            .bind(t.internal_due.map_or(doc.due_date, |d| d.min(doc.due_date)))
            .fetch_one(&mut *tx)
            .await?;
            ids.push(rid);
        }
        sqlx::query("UPDATE incoming SET state = 'routed' WHERE id = $1").bind(id).execute(&mut *tx).await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "incoming.routed",
            subject: format!("incoming:{id}"),
            basis: basis_text,
            details: serde_json::json!({"before": {"state": doc.state}, "after": {"state": "routed", "routings": targets.iter().zip(&ids).map(|(t, rid)| serde_json::json!({
                "id": rid, "to_unit": t.to_unit, "to_user": t.to_user.as_ref().map(|u| &u.username),
                "purpose": t.purpose.code(), "note": t.note, "internal_due": t.internal_due.map(|d| d.to_string()),
            })).collect::<Vec<_>>()}}),
        })
        .await?;
        // Who may find it in search has changed.
        search::note_changes(&mut tx, &[format!("incoming:{id}")]).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// The document's routings addressed to `actor`: to him, or to a unit
    /// he heads at `at`.
    async fn addressed<'d>(c: &mut Conn, profile: &Profile, actor: &User, doc: &'d Incoming, at: OffsetDateTime) -> Result<Vec<&'d Routing>> {
        let holdings = people::holdings_of(c, actor.id).await?;
        let units = headed_units(profile, &holdings, at);
        Ok(doc.routings.iter().filter(|r| r.to_user_id == Some(actor.id) || r.to_unit.as_ref().is_some_and(|u| units.contains(u))).collect())
    }

    /// The basis on which `actor` acts on a document: `route_incoming`
    /// (the Müdür or his deputy/delegate), else being its recipient for
    /// action who took delivery. `undelivered` is the refusal for a
    /// recipient who has not.
    async fn handler_basis(
        c: &mut Conn,
        profile: &Profile,
        actor: &User,
        doc: &Incoming,
        at: OffsetDateTime,
        undelivered: StoreError,
    ) -> Result<String> {
        match people::authorize_in(&mut *c, profile, actor.id, "route_incoming", at).await {
            Ok(b) => return Ok(people::basis_text(&b)),
            Err(StoreError::Forbidden(_)) => {}
            Err(e) => return Err(e),
        }
        let mine: Vec<&Routing> = addressed(c, profile, actor, doc, at).await?.into_iter().filter(|r| r.purpose == "action").collect();
        if mine.is_empty() {
            return Err(StoreError::Forbidden("incoming_recipient".into()));
        }
        if mine.iter().all(|r| r.delivered_at.is_none()) {
            return Err(undelivered);
        }
        Ok("m.21/1 (gereği için havale edilen birim)".into())
    }

    /// Takes delivery (zimmet) of every routing of the document addressed
    /// to the actor or to a unit he heads; answers the routings taken.
    pub async fn take_delivery(db: &Db, profile: &Profile, actor: &User, id: i64, at: OffsetDateTime) -> Result<Vec<i64>> {
        let mut tx = begin(db).await?;
        // The instant is taken once the writers' lock is held, so instants
        // follow commit order: a use before a revocation is dated before it.
        let at = at.max(crate::now());
        let doc = load(&mut tx, id).await?;
        let to_me = addressed(&mut tx, profile, actor, &doc, at).await?;
        let mine: Vec<i64> = to_me.iter().filter(|r| r.delivered_at.is_none()).map(|r| r.id).collect();
        if mine.is_empty() {
            return Err(if to_me.is_empty() { StoreError::Forbidden("incoming_recipient".into()) } else { StoreError::Conflict("already_delivered") });
        }
        for rid in &mine {
            sqlx::query("UPDATE routings SET delivered_at = $2, delivered_by = $3 WHERE id = $1")
                .bind(rid)
                .bind(at)
                .bind(actor.id)
                .execute(&mut *tx)
                .await?;
        }
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "incoming.delivered",
            subject: format!("incoming:{id}"),
            basis: "m.16/1, m.21/1 (zimmet)".into(),
            details: serde_json::json!({"after": {"routings": mine}}),
        })
        .await?;
        tx.commit().await?;
        Ok(mine)
    }

    /// Closes a routed document: answered (with a reference to the answer)
    /// or filed with a note. A recipient for action who has taken
    /// delivery, or the holder of `route_incoming`, may.
    #[allow(clippy::too_many_arguments)]
    pub async fn close(
        db: &Db,
        profile: &Profile,
        actor: &User,
        id: i64,
        how: Closing,
        note: &str,
        answer_ref: Option<&str>,
        at: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = begin(db).await?;
        // The instant is taken once the writers' lock is held, so instants
        // follow commit order: a use before a revocation is dated before it.
        let at = at.max(crate::now());
        let doc = load(&mut tx, id).await?;
        if doc.state == "closed" {
            return Err(StoreError::Conflict("already_closed"));
        }
        if doc.routings.is_empty() {
            return Err(StoreError::Conflict("not_routed"));
        }
        let basis = handler_basis(&mut tx, profile, actor, &doc, at, StoreError::Conflict("not_delivered")).await?;
        sqlx::query(
            "UPDATE incoming SET state = 'closed', closed_at = $2, closed_by = $3, closing = $4, closing_note = $5, answer_ref = $6
             WHERE id = $1",
        )
        .bind(id)
        .bind(at)
        .bind(actor.id)
        .bind(how.code())
        .bind(note)
        .bind(answer_ref)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE routings SET open = FALSE WHERE incoming_id = $1").bind(id).execute(&mut *tx).await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "incoming.closed",
            subject: format!("incoming:{id}"),
            basis,
            details: serde_json::json!({"before": {"state": doc.state},
                "after": {"state": "closed", "closing": how.code(), "note": note, "answer_ref": answer_ref}}),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Extends an information request's period once, to 30 working days
    /// (4982 m.11/2), recording the written notice sent to the applicant.
    /// Whoever may close the document may extend it.
    pub async fn extend(db: &Db, profile: &Profile, actor: &User, id: i64, notice_ref: &str, due: Date, at: OffsetDateTime) -> Result<()> {
        let mut tx = begin(db).await?;
        // The instant is taken once the writers' lock is held, so instants
        // follow commit order: a use before a revocation is dated before it.
        let at = at.max(crate::now());
        let doc = load(&mut tx, id).await?;
        if doc.state == "closed" {
            return Err(StoreError::Conflict("already_closed"));
        }
        match doc.legal_basis.as_str() {
            "bilgi_edinme" => {}
            "bilgi_edinme_uzatma" => return Err(StoreError::Conflict("already_extended")),
            _ => return Err(StoreError::Conflict("not_extendable")),
        }
        // Extending before taking delivery is not a step of its own: refused
        // as not the handler's yet.
        let basis = handler_basis(&mut tx, profile, actor, &doc, at, StoreError::Forbidden("incoming_recipient".into())).await?;
        sqlx::query("UPDATE routings SET due = CASE WHEN internal_due IS NOT NULL AND internal_due < $2 THEN internal_due ELSE $2 END WHERE incoming_id = $1")
            .bind(id)
            .bind(due)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE incoming SET legal_basis = 'bilgi_edinme_uzatma', due_date = $2, extension_ref = $3 WHERE id = $1")
            .bind(id)
            .bind(due)
            .bind(notice_ref)
            .execute(&mut *tx)
            .await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "incoming.extended",
            subject: format!("incoming:{id}"),
            basis: format!("4982 m.11/2 — {basis}"),
            details: serde_json::json!({
                "before": {"legal_basis": doc.legal_basis, "due_date": doc.due_date.to_string()},
                "after": {"legal_basis": "bilgi_edinme_uzatma", "due_date": due.to_string(), "notice_ref": notice_ref},
            }),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What waits for the viewer: documents awaiting routing (for the
    /// holder of `route_incoming`) and open routings to him or to a unit he
    /// heads, most urgent first.
    pub async fn tray(db: &Db, v: &Viewer, limit: i64) -> Result<Vec<DocLine>> {
        let mut c = read(db).await?;
        let mut out = Vec::new();
        if v.routes {
            let rows = sqlx::query(&format!(
                "SELECT {LINE_COLS} FROM incoming i WHERE i.state = 'registered' ORDER BY i.due_date, i.id LIMIT $1"
            ))
            .bind(limit)
            .fetch_all(&mut *c)
            .await?;
            for r in &rows {
                out.push(line_from(r, false)?);
            }
        }
        // One indexed range per recipient (the person, each unit he heads),
        // soonest first; merged below.
        let mut mine = Vec::new();
        let person = sqlx::query(&format!(
            "SELECT {LINE_COLS}, {ROUTING_LINE_COLS} FROM routings r JOIN incoming i ON i.id = r.incoming_id
             LEFT JOIN users tu ON tu.id = r.to_user WHERE r.open AND r.to_user = $1 ORDER BY r.due, r.id LIMIT $2"
        ))
        .bind(v.user_id)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
        for r in &person {
            mine.push(line_from(r, true)?);
        }
        for unit in &v.units {
            let rows = sqlx::query(&format!(
                "SELECT {LINE_COLS}, {ROUTING_LINE_COLS} FROM routings r JOIN incoming i ON i.id = r.incoming_id
                 LEFT JOIN users tu ON tu.id = r.to_user WHERE r.open AND r.to_unit = $1 ORDER BY r.due, r.id LIMIT $2"
            ))
            .bind(unit)
            .bind(limit)
            .fetch_all(&mut *c)
            .await?;
            for r in &rows {
                mine.push(line_from(r, true)?);
            }
        }
        mine.sort_by_key(|l| (l.effective_due(), l.id, l.routing_id));
        mine.truncate(limit as usize);
        out.extend(mine);
        Ok(out)
    }

    /// Open action routings (and unrouted documents) due on or before
    /// `until`, optionally of one unit or one person, soonest first.
    pub async fn due_list(db: &Db, until: Date, unit: Option<&str>, user: Option<i64>, limit: i64) -> Result<Vec<DocLine>> {
        let mut c = read(db).await?;
        let mut out = Vec::new();
        if unit.is_none() && user.is_none() {
            let rows = sqlx::query(&format!(
                "SELECT {LINE_COLS} FROM incoming i WHERE i.state = 'registered' AND i.due_date <= $1 ORDER BY i.due_date, i.id LIMIT $2"
            ))
            .bind(until)
            .bind(limit)
            .fetch_all(&mut *c)
            .await?;
            for r in &rows {
                out.push(line_from(r, false)?);
            }
        }
        // One statement per filter, so each reads its own index range.
        let filter = match (unit, user) {
            (Some(_), _) => "AND r.to_unit = $3",
            (None, Some(_)) => "AND r.to_user = $3",
            (None, None) => "",
        };
        let sql = format!(
            "SELECT {LINE_COLS}, {ROUTING_LINE_COLS} FROM routings r JOIN incoming i ON i.id = r.incoming_id
             LEFT JOIN users tu ON tu.id = r.to_user
             WHERE r.open AND r.purpose = 'action' AND r.due <= $1 {filter} ORDER BY r.due, r.id LIMIT $2"
        );
        let q = sqlx::query(&sql).bind(until).bind(limit);
        let q = match (unit, user) {
            (Some(u), _) => q.bind(u.to_owned()),
            (None, Some(id)) => q.bind(id),
            (None, None) => q,
        };
        let rows = q.fetch_all(&mut *c).await?;
        for r in &rows {
            out.push(line_from(r, true)?);
        }
        out.sort_by_key(|l| (l.effective_due(), l.id));
        Ok(out)
    }

    /// The register book of `register` for `[from, until)`, in number
    /// order, streamed row by row to `each` (memory stays flat however
    /// long the book).
    pub async fn register_book(
        db: &Db,
        register: &str,
        from: OffsetDateTime,
        until: OffsetDateTime,
        viewer: &Viewer,
        each: &mut (dyn FnMut(BookRow) -> Result<()> + Send),
    ) -> Result<u64> {
        use futures::TryStreamExt;
        let mut c = read(db).await?;
        let unit_a = viewer.units.first().cloned().unwrap_or_default();
        let unit_b = viewer.units.get(1).cloned().unwrap_or_default();
        let mut rows = sqlx::query(
            "SELECT i.id, i.seq, i.number, i.registered_at, i.sender_name, i.sender_ref, i.sender_date, i.subject,
                    i.confidentiality, i.personal_data, i.registered_by,
                    (SELECT COUNT(*) FROM incoming_attachments a WHERE a.incoming_id = i.id) AS attachments,
                    (SELECT COALESCE(r.to_unit, tu.username) FROM routings r LEFT JOIN users tu ON tu.id = r.to_user
                      WHERE r.incoming_id = i.id AND r.parent_id IS NULL ORDER BY r.id LIMIT 1) AS routed_to,
                    (SELECT du.username FROM routings r JOIN users du ON du.id = r.delivered_by
                      WHERE r.incoming_id = i.id AND r.parent_id IS NULL ORDER BY r.id LIMIT 1) AS delivered_to,
                    EXISTS (SELECT 1 FROM routings r WHERE r.incoming_id = i.id
                      AND (r.to_user = $4 OR r.to_unit = $5 OR r.to_unit = $6)) AS viewer_is_recipient
             FROM incoming i WHERE i.register = $1 AND i.registered_at >= $2 AND i.registered_at < $3
             ORDER BY i.registered_at, i.id",
        )
        .bind(register)
        .bind(from)
        .bind(until)
        .bind(viewer.user_id)
        .bind(unit_a)
        .bind(unit_b)
        .fetch(&mut *c);
        let mut n = 0;
        while let Some(r) = rows.try_next().await? {
            each(BookRow {
                id: r.try_get("id")?,
                seq: r.try_get("seq")?,
                number: r.try_get("number")?,
                registered_at: r.try_get("registered_at")?,
                sender_name: r.try_get("sender_name")?,
                sender_ref: r.try_get("sender_ref")?,
                sender_date: r.try_get("sender_date")?,
                subject: r.try_get("subject")?,
                attachments: r.try_get("attachments")?,
                routed_to: r.try_get("routed_to")?,
                delivered_to: r.try_get("delivered_to")?,
                confidentiality: r.try_get("confidentiality")?,
                personal_data: r.try_get("personal_data")?,
                registered_by_id: r.try_get("registered_by")?,
                viewer_is_recipient: r.try_get("viewer_is_recipient")?,
            })?;
            n += 1;
        }
        Ok(n)
    }

    /// The documents a stored attachment belongs to.
    pub async fn documents_with_blob(db: &Db, sha256: &str) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT incoming_id FROM incoming_attachments WHERE sha256 = $1 ORDER BY incoming_id")
            .bind(sha256)
            .fetch_all(&mut *read(db).await?)
            .await?)
    }

    /// The administrator's edits of the working calendar.
    pub async fn calendar_days(db: &Db) -> Result<Vec<SpecialDay>> {
        let rows = sqlx::query("SELECT day, kind, name FROM calendar_days ORDER BY day").fetch_all(&mut *read(db).await?).await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(SpecialDay {
                    date: r.try_get("day")?,
                    kind: DayKind::parse(&kind).ok_or_else(|| StoreError::Internal(anyhow::anyhow!("unknown day kind {kind}")))?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    /// Sets (or with `None`, removes) an administrator's edit of one date.
    pub async fn set_calendar_day(db: &Db, actor: &User, day: Date, edit: Option<(DayKind, &str)>) -> Result<()> {
        if !actor.is_admin {
            return Err(StoreError::Forbidden("administrator".into()));
        }
        let mut tx = begin(db).await?;
        let before: Option<(String, String)> = sqlx::query_as("SELECT kind, name FROM calendar_days WHERE day = $1")
            .bind(day)
            .fetch_optional(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM calendar_days WHERE day = $1").bind(day).execute(&mut *tx).await?;
        if let Some((kind, name)) = edit {
            sqlx::query("INSERT INTO calendar_days (day, kind, name, created_by, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(day)
                .bind(kind.as_str())
                .bind(name)
                .bind(actor.id)
                .bind(crate::now())
                .execute(&mut *tx)
                .await?;
        } else if before.is_none() {
            return Err(StoreError::NotFound);
        }
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "calendar.changed",
            subject: format!("calendar:{day}"),
            basis: "administrator".into(),
            details: serde_json::json!({
                "before": before.map(|(k, n)| serde_json::json!({"kind": k, "name": n})),
                "after": edit.map(|(k, n)| serde_json::json!({"kind": k.as_str(), "name": n})),
            }),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The use-cases of this module, dispatched to the store's engine.
impl dyn Store {
    /// Registers a document through the store's registration writer, which
    /// commits the registrations waiting together (see [`crate::batch`]).
    pub async fn register_incoming(&self, profile: &Arc<Profile>, actor: &User, n: &NewIncoming, at: OffsetDateTime) -> Result<Incoming> {
        let job = RegisterJob { profile: profile.clone(), actor: actor.clone(), n: n.clone(), at };
        let answer = match self.db() {
            crate::Db::Sqlite(db) => db
                .registrations
                .get_or_init(|| {
                    let db = Arc::new(db.handle());
                    Batcher::spawn(REGISTRATION_BATCH, move |jobs| {
                        let db = db.clone();
                        Box::pin(async move { sqlite::register_batch(&db, &jobs).await })
                    })
                })
                .submit(job)
                .await,
            crate::Db::Postgres(db) => db
                .registrations
                .get_or_init(|| {
                    let db = Arc::new(db.handle());
                    Batcher::spawn(REGISTRATION_BATCH, move |jobs| {
                        let db = db.clone();
                        Box::pin(async move { postgres::register_batch(&db, &jobs).await })
                    })
                })
                .submit(job)
                .await,
        };
        answer.unwrap_or_else(|| Err(StoreError::Internal(anyhow::anyhow!("the registration writer stopped before answering"))))
    }
    pub async fn incoming(&self, id: i64) -> Result<Incoming> {
        dispatch!(self, correspondence::get(id))
    }
    pub async fn record_incoming_read(&self, reader: &User, id: i64, what: &'static str) -> Result<()> {
        dispatch!(self, correspondence::record_read(reader, id, what))
    }
    pub async fn route_incoming(&self, profile: &Profile, actor: &User, id: i64, targets: &[NewRouting], at: OffsetDateTime) -> Result<Vec<i64>> {
        dispatch!(self, correspondence::route(profile, actor, id, targets, at))
    }
    pub async fn take_delivery(&self, profile: &Profile, actor: &User, id: i64, at: OffsetDateTime) -> Result<Vec<i64>> {
        dispatch!(self, correspondence::take_delivery(profile, actor, id, at))
    }
    #[allow(clippy::too_many_arguments)]
    pub async fn close_incoming(
        &self,
        profile: &Profile,
        actor: &User,
        id: i64,
        how: Closing,
        note: &str,
        answer_ref: Option<&str>,
        at: OffsetDateTime,
    ) -> Result<()> {
        dispatch!(self, correspondence::close(profile, actor, id, how, note, answer_ref, at))
    }
    pub async fn extend_incoming(&self, profile: &Profile, actor: &User, id: i64, notice_ref: &str, due: Date, at: OffsetDateTime) -> Result<()> {
        dispatch!(self, correspondence::extend(profile, actor, id, notice_ref, due, at))
    }
    pub async fn tray(&self, v: &Viewer, limit: i64) -> Result<Vec<DocLine>> {
        dispatch!(self, correspondence::tray(v, limit))
    }
    pub async fn due_list(&self, until: Date, unit: Option<&str>, user: Option<i64>, limit: i64) -> Result<Vec<DocLine>> {
        dispatch!(self, correspondence::due_list(until, unit, user, limit))
    }
    pub async fn register_book(
        &self,
        register: &str,
        from: OffsetDateTime,
        until: OffsetDateTime,
        viewer: &Viewer,
        each: &mut (dyn FnMut(BookRow) -> Result<()> + Send),
    ) -> Result<u64> {
        dispatch!(self, correspondence::register_book(register, from, until, viewer, each))
    }
    pub async fn documents_with_blob(&self, sha256: &str) -> Result<Vec<i64>> {
        dispatch!(self, correspondence::documents_with_blob(sha256))
    }
    pub async fn calendar_days(&self) -> Result<Vec<SpecialDay>> {
        dispatch!(self, correspondence::calendar_days())
    }
    pub async fn set_calendar_day(&self, actor: &User, day: Date, edit: Option<(DayKind, &str)>) -> Result<()> {
        dispatch!(self, correspondence::set_calendar_day(actor, day, edit))
    }
}
