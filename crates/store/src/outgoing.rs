//! Outgoing letters (m.15/3, m.20/2-3, m.21/2): drafting, the approval
//! chain (initials and the signature, each decided by the authority engine
//! inside its transaction with its basis recorded), the number and date
//! given at the final signature, and the e-imza slot.
//!
//! Editing a letter drops the initials collected so far. Signing numbers
//! the letter (gap-free per institution and period, like the registers)
//! and closes the incoming documents it answers, in the same transaction.

use domain::authority::Basis;
use domain::correspondence::Confidentiality;
use domain::outgoing::{LetterKind, Step, StepAction};
use domain::profile::Profile;
use time::{Date, OffsetDateTime};

use crate::{NewAudit, Result, Store, StoreError, User};

/// A recipient: addressed (`muhatap`) or on the distribution list
/// (`action`: gereği, `info`: bilgi).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Recipient {
    pub role: String,
    /// institution (with DETSİS), directorate, person, company
    pub kind: String,
    pub name: String,
    pub detsis: Option<String>,
    pub address: String,
}

/// A reference (ilgi): an earlier letter, or an incoming document this
/// letter answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LetterRef {
    pub text: String,
    pub incoming_id: Option<i64>,
}

/// A letter as its writer gives it (checked by `app`).
#[derive(Debug, Clone)]
pub struct NewLetter {
    pub kind: LetterKind,
    pub heading: String,
    pub subject: String,
    pub body: String,
    pub file_code: String,
    pub confidentiality: Confidentiality,
    pub urgency: String,
    pub urgent_date: Option<Date>,
    pub personal_data: bool,
    pub contact: String,
    pub recipients: Vec<Recipient>,
    pub refs: Vec<LetterRef>,
    /// (SHA-256 of a stored blob, file name)
    pub attachments: Vec<(String, String)>,
}

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LetterStep {
    pub ord: i64,
    pub position: String,
    /// initial (paraf) or sign (imza)
    pub action: String,
    pub authority: String,
    pub done_by: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub done_at: Option<OffsetDateTime>,
    pub basis: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LetterAttachment {
    pub sha256: String,
    pub name: String,
    pub size: i64,
    pub content_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Letter {
    pub id: i64,
    pub kind: String,
    /// draft, in_approval, returned, rejected, signed, dispatched
    pub state: String,
    pub version: i64,
    pub writer: String,
    #[serde(skip)]
    pub writer_id: i64,
    pub writer_position: String,
    pub unit: String,
    pub heading: String,
    pub subject: String,
    pub body: String,
    pub file_code: String,
    pub confidentiality: String,
    pub urgency: String,
    #[serde(with = "iso_date::option")]
    pub urgent_date: Option<Date>,
    pub personal_data: bool,
    pub contact: String,
    pub note: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub number: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub signed_at: Option<OffsetDateTime>,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub sign_basis: Option<String>,
    /// SHA-256 of the content as signed: what an e-imza signs.
    pub content_sha256: Option<String>,
    pub recipients: Vec<Recipient>,
    pub refs: Vec<LetterRef>,
    pub steps: Vec<LetterStep>,
    pub attachments: Vec<LetterAttachment>,
}

impl Letter {
    /// The step waiting for its holder, if the letter is in the chain.
    pub fn current_step(&self) -> Option<&LetterStep> {
        if !matches!(self.state.as_str(), "draft" | "in_approval") {
            return None;
        }
        self.steps.iter().find(|s| s.done_by.is_none())
    }

    pub fn is_restricted(&self) -> bool {
        self.personal_data || Confidentiality::parse(&self.confidentiality).is_none_or(|c| c.is_restricted())
    }
}

/// What the holder of the current step decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepDecision {
    Approve,
    /// Back to the writer, with a note; the initials are dropped.
    Return(String),
    /// Refused for good, with a note.
    Reject(String),
}

/// What numbering needs at the signature: the institution's DETSİS number
/// and the numbering period.
#[derive(Debug, Clone)]
pub struct Numbering {
    pub detsis: String,
    pub period: String,
}

/// A line of a letters list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LetterLine {
    pub id: i64,
    pub state: String,
    pub kind: String,
    pub subject: String,
    pub number: Option<String>,
    pub writer: String,
    /// The position whose holder acts next.
    pub waiting_for: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A row of the outgoing register book (giden evrak defteri).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterBookRow {
    pub id: i64,
    pub seq: i64,
    pub number: String,
    pub signed_at: OffsetDateTime,
    pub addressees: String,
    pub subject: String,
    pub attachments: i64,
    pub confidentiality: String,
    pub personal_data: bool,
    pub writer_id: i64,
    pub dispatch_channel: Option<String>,
    pub dispatch_ref: Option<String>,
    pub dispatched_at: Option<OffsetDateTime>,
}

impl LetterBookRow {
    pub fn is_restricted(&self) -> bool {
        self.personal_data || Confidentiality::parse(&self.confidentiality).is_none_or(|c| c.is_restricted())
    }
}

/// The canonical content a signature covers (and its hash): every element
/// of the letter with its number and date, as JSON.
pub fn content_hash(l: &Letter) -> String {
    use sha2::{Digest, Sha256};
    let content = serde_json::json!({
        "number": l.number, "date": l.signed_at.map(|t| t.to_offset(time::macros::offset!(+3)).date().to_string()),
        "heading": l.heading, "subject": l.subject, "body": l.body, "file_code": l.file_code,
        "confidentiality": l.confidentiality, "urgency": l.urgency, "recipients": l.recipients, "refs": l.refs,
        "attachments": l.attachments.iter().map(|a| (&a.sha256, &a.name)).collect::<Vec<_>>(),
        "signer": [&l.signer_name, &l.signer_title],
    });
    hex::encode(Sha256::digest(content.to_string().as_bytes()))
}

/// Whether `basis` lets its holder act on `step` (of a letter written by
/// `writer`): by the step's position, as its deputy, or (a signature) as
/// the signer's delegate. The writer's own initial is his alone.
fn basis_fits(step: &LetterStep, basis: &Basis, actor: i64, writer: i64, writer_position: &str) -> bool {
    if step.ord == 0 && step.position == writer_position && step.action == "initial" {
        return actor == writer;
    }
    match basis {
        Basis::Position { position, .. } => position == &step.position,
        Basis::Deputyship { position, .. } => position == &step.position,
        Basis::Delegation { .. } => step.action == "sign",
    }
}

/// How a signer's title reads: a deputy signs "… V." (vekili).
fn signer_title(profile: &Profile, step: &LetterStep, basis: &Basis) -> String {
    let name = profile.position(&step.position).map_or(step.position.clone(), |p| p.name.clone());
    match basis {
        Basis::Deputyship { .. } => format!("{name} V."),
        Basis::Delegation { .. } => format!("{name} a."),
        Basis::Position { .. } => name,
    }
}

fn steps_of(chain: &[Step]) -> Vec<(i64, &Step)> {
    chain.iter().enumerate().map(|(i, s)| (i as i64, s)).collect()
}

for_each_engine! {
    use sqlx::Row;
    use super::*;

    /// The writer's appointment now: (position, staff kind).
    async fn writer_holding(c: &mut Conn, user: i64, at: OffsetDateTime) -> Result<(String, String)> {
        let held = people::holdings_of(&mut *c, user).await?;
        held.into_iter()
            .find(|h| h.period.contains(at))
            .map(|h| (h.position, h.staff_kind))
            .ok_or(StoreError::Conflict("no_position"))
    }

    async fn write_parts(c: &mut Conn, id: i64, n: &NewLetter, chain: &[Step]) -> Result<()> {
        for t in ["outgoing_recipients", "outgoing_refs", "outgoing_steps", "outgoing_attachments"] {
            sqlx::query(&format!("DELETE FROM {t} WHERE outgoing_id = $1")).bind(id).execute(&mut *c).await?;
        }
        for (i, r) in n.recipients.iter().enumerate() {
            sqlx::query("INSERT INTO outgoing_recipients (outgoing_id, ord, role, kind, name, detsis, address) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(id).bind(i as i64).bind(&r.role).bind(&r.kind).bind(&r.name).bind(&r.detsis).bind(&r.address)
                .execute(&mut *c).await?;
        }
        for (i, r) in n.refs.iter().enumerate() {
            sqlx::query("INSERT INTO outgoing_refs (outgoing_id, ord, text, incoming_id) VALUES ($1, $2, $3, $4)")
                .bind(id).bind(i as i64).bind(&r.text).bind(r.incoming_id)
                .execute(&mut *c).await
                .map_err(|e| match &e {
                    sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::Conflict("unknown_incoming"),
                    _ => e.into(),
                })?;
        }
        for (ord, s) in steps_of(chain) {
            sqlx::query("INSERT INTO outgoing_steps (outgoing_id, ord, position, action, authority) VALUES ($1, $2, $3, $4, $5)")
                .bind(id).bind(ord).bind(&s.position).bind(s.action.code()).bind(&s.authority)
                .execute(&mut *c).await?;
        }
        for (sha, name) in &n.attachments {
            sqlx::query("INSERT INTO outgoing_attachments (outgoing_id, sha256, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id).bind(sha).bind(name)
                .execute(&mut *c).await
                .map_err(|e| match &e {
                    sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::Conflict("unknown_attachment"),
                    _ => e.into(),
                })?;
        }
        Ok(())
    }

    fn chain_for(profile: &Profile, position: &str, staff_kind: &str, kind: LetterKind) -> Result<Vec<Step>> {
        domain::outgoing::approval_chain(profile, position, staff_kind, kind).map_err(|_| StoreError::Conflict("no_signer"))
    }

    /// Drafts a letter; its chain comes from the writer's position today.
    pub async fn draft(db: &Db, profile: &Profile, actor: &User, n: &NewLetter, at: OffsetDateTime) -> Result<i64> {
        let mut tx = begin(db).await?;
        let at = at.max(crate::now());
        let (position, staff_kind) = writer_holding(&mut tx, actor.id, at).await?;
        let chain = chain_for(profile, &position, &staff_kind, n.kind)?;
        let unit = profile.position(&position).map(|p| p.unit.clone()).unwrap_or_default();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outgoing (kind, state, writer, writer_position, unit, heading, subject, body, file_code, confidentiality,
                urgency, urgent_date, personal_data, contact, created_at, updated_at)
             VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(n.kind.code()).bind(actor.id).bind(&position).bind(&unit).bind(&n.heading).bind(&n.subject).bind(&n.body)
        .bind(&n.file_code).bind(n.confidentiality.code()).bind(&n.urgency).bind(n.urgent_date).bind(n.personal_data)
        .bind(&n.contact).bind(at)
        .fetch_one(&mut *tx)
        .await?;
        write_parts(&mut tx, id, n, &chain).await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "outgoing.drafted",
            subject: format!("outgoing:{id}"),
            basis: format!("m.15/3 ({position})"),
            details: serde_json::json!({"after": {"kind": n.kind.code(), "subject": n.subject, "file_code": n.file_code,
                "chain": chain.iter().map(|s| format!("{} {}", s.position, s.action.code())).collect::<Vec<_>>()}}),
        })
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The writer edits the letter: the initials collected so far are
    /// dropped, and it goes back to its first step. `version` is the one
    /// the writer edited (a stale edit is refused).
    pub async fn edit(db: &Db, profile: &Profile, actor: &User, id: i64, version: i64, n: &NewLetter, at: OffsetDateTime) -> Result<()> {
        let mut tx = begin(db).await?;
        let at = at.max(crate::now());
        let before = load(&mut tx, id).await?;
        if before.writer_id != actor.id {
            return Err(StoreError::Forbidden("writer".into()));
        }
        if !matches!(before.state.as_str(), "draft" | "in_approval" | "returned") {
            return Err(StoreError::Conflict("not_editable"));
        }
        if before.version != version {
            return Err(StoreError::Conflict("letter_changed"));
        }
        let (position, staff_kind) = writer_holding(&mut tx, actor.id, at).await?;
        let chain = chain_for(profile, &position, &staff_kind, n.kind)?;
        sqlx::query(
            "UPDATE outgoing SET kind = $2, state = 'draft', version = version + 1, writer_position = $3, heading = $4, subject = $5,
                body = $6, file_code = $7, confidentiality = $8, urgency = $9, urgent_date = $10, personal_data = $11, contact = $12,
                updated_at = $13 WHERE id = $1",
        )
        .bind(id).bind(n.kind.code()).bind(&position).bind(&n.heading).bind(&n.subject).bind(&n.body).bind(&n.file_code)
        .bind(n.confidentiality.code()).bind(&n.urgency).bind(n.urgent_date).bind(n.personal_data).bind(&n.contact).bind(at)
        .execute(&mut *tx)
        .await?;
        write_parts(&mut tx, id, n, &chain).await?;
        let dropped = before.steps.iter().filter(|s| s.done_by.is_some()).count();
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "outgoing.edited",
            subject: format!("outgoing:{id}"),
            basis: format!("m.15/3 ({position})"),
            details: serde_json::json!({"before": {"version": before.version, "state": before.state, "subject": before.subject,
                "initials": dropped}, "after": {"version": before.version + 1, "state": "draft", "subject": n.subject,
                "initials_dropped": dropped}}),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The holder of the current step (or his deputy or delegate) approves,
    /// returns or rejects. Approving the signature numbers the letter and
    /// closes the incoming documents it answers.
    #[allow(clippy::too_many_arguments)]
    pub async fn decide(
        db: &Db,
        profile: &Profile,
        actor: &User,
        id: i64,
        version: Option<i64>,
        decision: &StepDecision,
        numbering: &Numbering,
        at: OffsetDateTime,
    ) -> Result<Letter> {
        let mut tx = begin(db).await?;
        let at = at.max(crate::now());
        let mut l = load(&mut tx, id).await?;
        if version.is_some_and(|v| v != l.version) {
            return Err(StoreError::Conflict("letter_changed"));
        }
        let Some(step) = l.current_step().cloned() else {
            return Err(StoreError::Conflict(if l.state == "signed" || l.state == "dispatched" { "already_signed" } else { "not_in_approval" }));
        };
        // Who may act now: the current step's holder. A later signer who
        // tries first is told the initials are missing.
        let basis = match people::authorize_in(&mut tx, profile, actor.id, &step.authority, at).await {
            Ok(b) if basis_fits(&step, &b, actor.id, l.writer_id, &l.writer_position) => b,
            other => {
                for later in l.steps.iter().filter(|s| s.ord > step.ord) {
                    if let Ok(b) = people::authorize_in(&mut tx, profile, actor.id, &later.authority, at).await {
                        if basis_fits(later, &b, actor.id, l.writer_id, &l.writer_position) {
                            return Err(StoreError::Conflict(if later.action == "sign" { "initials_missing" } else { "not_your_turn" }));
                        }
                    }
                }
                return Err(match other {
                    Err(e @ StoreError::Forbidden(_)) => e,
                    Err(e) => return Err(e),
                    Ok(_) => StoreError::Forbidden(step.authority.clone()),
                });
            }
        };
        let basis_text = people::basis_text(&basis);
        let (state, action) = match decision {
            StepDecision::Return(note) | StepDecision::Reject(note) => {
                let (state, action) = if matches!(decision, StepDecision::Return(_)) { ("returned", "outgoing.returned") } else { ("rejected", "outgoing.rejected") };
                if step.ord == 0 {
                    return Err(StoreError::Conflict("own_step"));
                }
                sqlx::query("UPDATE outgoing_steps SET done_by = NULL, done_at = NULL, basis = NULL WHERE outgoing_id = $1")
                    .bind(id).execute(&mut *tx).await?;
                sqlx::query("UPDATE outgoing SET state = $2, note = $3, updated_at = $4 WHERE id = $1")
                    .bind(id).bind(state).bind(note).bind(at).execute(&mut *tx).await?;
                base::chain(&mut tx, &NewAudit {
                    actor: Some(actor.username.clone()),
                    action,
                    subject: format!("outgoing:{id}"),
                    basis: basis_text,
                    details: serde_json::json!({"before": {"state": l.state}, "after": {"state": state, "note": note, "at_step": step.ord}}),
                })
                .await?;
                tx.commit().await?;
                return get_in(db, id).await;
            }
            StepDecision::Approve if step.action == StepAction::Sign.code() => ("signed", "outgoing.signed"),
            StepDecision::Approve => ("in_approval", "outgoing.initialled"),
        };
        sqlx::query("UPDATE outgoing_steps SET done_by = $3, done_at = $4, basis = $5 WHERE outgoing_id = $1 AND ord = $2")
            .bind(id).bind(step.ord).bind(actor.id).bind(at).bind(&basis_text)
            .execute(&mut *tx).await?;
        let mut details = serde_json::json!({"before": {"state": l.state}, "after": {"state": state, "step": step.ord,
            "position": step.position, "step_action": step.action, "version": l.version}});
        if state == "signed" {
            if !domain::outgoing::is_detsis(&numbering.detsis) {
                return Err(StoreError::Conflict("detsis_not_configured"));
            }
            let seq: i64 = sqlx::query_scalar(
                "INSERT INTO register_counters (register, period, last_seq) VALUES ('outgoing', $1, 1)
                 ON CONFLICT (register, period) DO UPDATE SET last_seq = register_counters.last_seq + 1 RETURNING last_seq",
            )
            .bind(&numbering.period)
            .fetch_one(&mut *tx)
            .await?;
            let number = domain::outgoing::letter_number(&numbering.detsis, &l.file_code, seq);
            l.number = Some(number.clone());
            l.signed_at = Some(at);
            l.signer_name = Some(actor.display_name.clone());
            l.signer_title = Some(signer_title(profile, &step, &basis));
            let hash = content_hash(&l);
            sqlx::query(
                "UPDATE outgoing SET state = 'signed', period = $2, seq = $3, number = $4, signed_at = $5, signed_by = $6,
                    signer_name = $7, signer_title = $8, sign_basis = $9, content_sha256 = $10, updated_at = $5 WHERE id = $1",
            )
            .bind(id).bind(&numbering.period).bind(seq).bind(&number).bind(at).bind(actor.id)
            .bind(&l.signer_name).bind(&l.signer_title).bind(&basis_text).bind(&hash)
            .execute(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict("number_taken"),
                _ => e.into(),
            })?;
            details["after"]["number"] = serde_json::json!(number);
            search::note_changes(&mut tx, &[format!("outgoing:{id}")]).await?;
            details["after"]["content_sha256"] = serde_json::json!(hash);
            // The incoming documents it answers are closed by it.
            for r in l.refs.iter().filter_map(|r| r.incoming_id) {
                let open: Option<String> = sqlx::query_scalar("SELECT state FROM incoming WHERE id = $1 AND state <> 'closed'")
                    .bind(r).fetch_optional(&mut *tx).await?;
                let Some(before) = open else { continue };
                sqlx::query(
                    "UPDATE incoming SET state = 'closed', closed_at = $2, closed_by = $3, closing = 'answered', closing_note = $4,
                        answer_ref = $5 WHERE id = $1",
                )
                .bind(r).bind(at).bind(actor.id).bind(format!("Giden evrak ile cevaplandı: {number}")).bind(&number)
                .execute(&mut *tx).await?;
                sqlx::query("UPDATE routings SET open = FALSE WHERE incoming_id = $1").bind(r).execute(&mut *tx).await?;
                base::chain(&mut tx, &NewAudit {
                    actor: Some(actor.username.clone()),
                    action: "incoming.closed",
                    subject: format!("incoming:{r}"),
                    basis: basis_text.clone(),
                    details: serde_json::json!({"before": {"state": before}, "after": {"state": "closed", "closing": "answered",
                        "answer_ref": number, "outgoing": id}}),
                })
                .await?;
                search::note_changes(&mut tx, &[format!("incoming:{r}")]).await?;
            }
        } else {
            sqlx::query("UPDATE outgoing SET state = 'in_approval', note = NULL, updated_at = $2 WHERE id = $1")
                .bind(id).bind(at).execute(&mut *tx).await?;
        }
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action,
            subject: format!("outgoing:{id}"),
            basis: basis_text,
            details,
        })
        .await?;
        tx.commit().await?;
        get_in(db, id).await
    }

    async fn get_in(db: &Db, id: i64) -> Result<Letter> {
        load(&mut *read(db).await?, id).await
    }

    pub async fn get(db: &Db, id: i64) -> Result<Letter> {
        get_in(db, id).await
    }

    async fn load(c: &mut Conn, id: i64) -> Result<Letter> {
        let r = sqlx::query(
            "SELECT o.*, w.username AS writer_name FROM outgoing o JOIN users w ON w.id = o.writer WHERE o.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut l = Letter {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            state: r.try_get("state")?,
            version: r.try_get("version")?,
            writer: r.try_get("writer_name")?,
            writer_id: r.try_get("writer")?,
            writer_position: r.try_get("writer_position")?,
            unit: r.try_get("unit")?,
            heading: r.try_get("heading")?,
            subject: r.try_get("subject")?,
            body: r.try_get("body")?,
            file_code: r.try_get("file_code")?,
            confidentiality: r.try_get("confidentiality")?,
            urgency: r.try_get("urgency")?,
            urgent_date: r.try_get("urgent_date")?,
            personal_data: r.try_get("personal_data")?,
            contact: r.try_get("contact")?,
            note: r.try_get("note")?,
            created_at: r.try_get("created_at")?,
            number: r.try_get("number")?,
            signed_at: r.try_get("signed_at")?,
            signer_name: r.try_get("signer_name")?,
            signer_title: r.try_get("signer_title")?,
            sign_basis: r.try_get("sign_basis")?,
            content_sha256: r.try_get("content_sha256")?,
            recipients: Vec::new(),
            refs: Vec::new(),
            steps: Vec::new(),
            attachments: Vec::new(),
        };
        for r in sqlx::query("SELECT role, kind, name, detsis, address FROM outgoing_recipients WHERE outgoing_id = $1 ORDER BY ord")
            .bind(id).fetch_all(&mut *c).await?
        {
            l.recipients.push(Recipient { role: r.try_get("role")?, kind: r.try_get("kind")?, name: r.try_get("name")?,
                detsis: r.try_get("detsis")?, address: r.try_get("address")? });
        }
        for r in sqlx::query("SELECT text, incoming_id FROM outgoing_refs WHERE outgoing_id = $1 ORDER BY ord").bind(id).fetch_all(&mut *c).await? {
            l.refs.push(LetterRef { text: r.try_get("text")?, incoming_id: r.try_get("incoming_id")? });
        }
        for r in sqlx::query(
            "SELECT s.ord, s.position, s.action, s.authority, u.username AS done_by, s.done_at, s.basis FROM outgoing_steps s
             LEFT JOIN users u ON u.id = s.done_by WHERE s.outgoing_id = $1 ORDER BY s.ord",
        )
        .bind(id).fetch_all(&mut *c).await?
        {
            l.steps.push(LetterStep { ord: r.try_get("ord")?, position: r.try_get("position")?, action: r.try_get("action")?,
                authority: r.try_get("authority")?, done_by: r.try_get("done_by")?, done_at: r.try_get("done_at")?, basis: r.try_get("basis")? });
        }
        for r in sqlx::query(
            "SELECT a.sha256, a.name, b.size, b.content_type FROM outgoing_attachments a JOIN blobs b ON b.sha256 = a.sha256
             WHERE a.outgoing_id = $1 ORDER BY a.name",
        )
        .bind(id).fetch_all(&mut *c).await?
        {
            l.attachments.push(LetterAttachment { sha256: r.try_get("sha256")?, name: r.try_get("name")?, size: r.try_get("size")?,
                content_type: r.try_get("content_type")? });
        }
        Ok(l)
    }

    /// Letters written by `user` not yet dispatched, and those whose current
    /// step belongs to one of `positions`, newest first.
    pub async fn letters_for(db: &Db, user: i64, positions: &[String], limit: i64) -> Result<Vec<LetterLine>> {
        let mut c = read(db).await?;
        let mut q = sqlx::QueryBuilder::<Kind>::new(
            "SELECT o.id, o.state, o.kind, o.subject, o.number, w.username AS writer, o.updated_at,
                (SELECT s.position FROM outgoing_steps s WHERE s.outgoing_id = o.id AND s.done_by IS NULL ORDER BY s.ord LIMIT 1) AS waiting_for
             FROM outgoing o JOIN users w ON w.id = o.writer
             WHERE o.state IN ('draft', 'in_approval', 'returned', 'signed', 'dispatched') AND (o.writer = ",
        );
        q.push_bind(user);
        if !positions.is_empty() {
            q.push(" OR (o.state IN ('draft', 'in_approval') AND (SELECT s.position FROM outgoing_steps s WHERE s.outgoing_id = o.id AND s.done_by IS NULL ORDER BY s.ord LIMIT 1) IN (");
            let mut list = q.separated(", ");
            for p in positions {
                list.push_bind(p.as_str());
            }
            q.push("))");
        }
        q.push(") ORDER BY o.updated_at DESC, o.id DESC LIMIT ");
        q.push_bind(limit);
        q.build()
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|r| {
                let state: String = r.try_get("state")?;
                Ok(LetterLine {
                    id: r.try_get("id")?,
                    waiting_for: if matches!(state.as_str(), "draft" | "in_approval") { r.try_get("waiting_for")? } else { None },
                    state,
                    kind: r.try_get("kind")?,
                    subject: r.try_get("subject")?,
                    number: r.try_get("number")?,
                    writer: r.try_get("writer")?,
                    updated_at: r.try_get("updated_at")?,
                })
            })
            .collect()
    }

    /// Hands a signed letter over (m.21/2): by hand against signature, KEP,
    /// e-mail, post or e-Yazışma, with the reference of the handing-over
    /// (the courier, the KEP receipt…). The Kalem keeps the outgoing
    /// register (m.16/1).
    pub async fn dispatch(db: &Db, profile: &Profile, actor: &User, id: i64, channel: &str, reference: &str, at: OffsetDateTime) -> Result<()> {
        let mut tx = begin(db).await?;
        let at = at.max(crate::now());
        let basis = people::authorize_in(&mut tx, profile, actor.id, "register_correspondence", at).await?;
        let state: String = sqlx::query_scalar("SELECT state FROM outgoing WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        match state.as_str() {
            "signed" => {}
            "dispatched" => return Err(StoreError::Conflict("already_dispatched")),
            _ => return Err(StoreError::Conflict("not_signed")),
        }
        sqlx::query(
            "UPDATE outgoing SET state = 'dispatched', dispatched_at = $2, dispatched_by = $3, dispatch_channel = $4, dispatch_ref = $5,
                updated_at = $2 WHERE id = $1",
        )
        .bind(id).bind(at).bind(actor.id).bind(channel).bind(reference)
        .execute(&mut *tx).await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "outgoing.dispatched",
            subject: format!("outgoing:{id}"),
            basis: people::basis_text(&basis),
            details: serde_json::json!({"before": {"state": state}, "after": {"state": "dispatched", "channel": channel, "reference": reference}}),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The outgoing register book: the letters signed in [from, until), in
    /// number order; `hand_only` keeps those handed over by hand (the
    /// courier's list), by their dispatch time instead.
    pub async fn letter_book(
        db: &Db,
        from: OffsetDateTime,
        until: OffsetDateTime,
        hand_only: bool,
        each: &mut (dyn FnMut(LetterBookRow) -> Result<()> + Send),
    ) -> Result<u64> {
        use futures::TryStreamExt;
        let mut c = read(db).await?;
        let filter = if hand_only {
            "o.dispatch_channel = 'hand' AND o.dispatched_at >= $1 AND o.dispatched_at < $2 ORDER BY o.dispatched_at, o.id"
        } else {
            "o.number IS NOT NULL AND o.signed_at >= $1 AND o.signed_at < $2 ORDER BY o.signed_at, o.id"
        };
        let sql = format!(
            "SELECT o.id, o.seq, o.number, o.signed_at, o.subject, o.confidentiality, o.personal_data, o.writer, o.dispatch_channel,
                    o.dispatch_ref, o.dispatched_at, {LETTER_ADDRESSEES} AS addressees,
                    (SELECT COUNT(*) FROM outgoing_attachments a WHERE a.outgoing_id = o.id) AS attachments
             FROM outgoing o WHERE {filter}"
        );
        let mut rows = sqlx::query(&sql).bind(from).bind(until).fetch(&mut *c);
        let mut n = 0;
        while let Some(r) = rows.try_next().await? {
            each(LetterBookRow {
                id: r.try_get("id")?,
                seq: r.try_get("seq")?,
                number: r.try_get("number")?,
                signed_at: r.try_get("signed_at")?,
                addressees: r.try_get::<Option<String>, _>("addressees")?.unwrap_or_default(),
                subject: r.try_get("subject")?,
                attachments: r.try_get("attachments")?,
                confidentiality: r.try_get("confidentiality")?,
                personal_data: r.try_get("personal_data")?,
                writer_id: r.try_get("writer")?,
                dispatch_channel: r.try_get("dispatch_channel")?,
                dispatch_ref: r.try_get("dispatch_ref")?,
                dispatched_at: r.try_get("dispatched_at")?,
            })?;
            n += 1;
        }
        Ok(n)
    }

    /// The letters a stored file is attached to.
    pub async fn letters_with_blob(db: &Db, sha256: &str) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT outgoing_id FROM outgoing_attachments WHERE sha256 = $1 ORDER BY outgoing_id")
            .bind(sha256)
            .fetch_all(&mut *read(db).await?)
            .await?)
    }

    /// Keeps an e-imza signature file (CAdES or XAdES) over the signed
    /// letter's hash, for verification later.
    pub async fn add_signature(db: &Db, actor: &User, id: i64, sha256: &str, format: &str) -> Result<()> {
        let mut tx = begin(db).await?;
        let l = load(&mut tx, id).await?;
        let Some(hash) = l.content_sha256.clone() else { return Err(StoreError::Conflict("not_signed")) };
        let signer: Option<i64> = sqlx::query_scalar("SELECT signed_by FROM outgoing WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
        if signer != Some(actor.id) {
            return Err(StoreError::Forbidden("signer".into()));
        }
        sqlx::query("INSERT INTO outgoing_signatures (outgoing_id, sha256, format, signed_hash, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(sha256).bind(format).bind(&hash).bind(actor.id).bind(crate::now())
            .execute(&mut *tx).await
            .map_err(|e| match &e {
                sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::Conflict("unknown_attachment"),
                _ => e.into(),
            })?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "outgoing.esignature_added",
            subject: format!("outgoing:{id}"),
            basis: "signer".into(),
            details: serde_json::json!({"after": {"format": format, "file": sha256, "signed_hash": hash}}),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The use-cases of this module, dispatched to the store's engine.
impl dyn Store {
    pub async fn draft_letter(&self, profile: &Profile, actor: &User, n: &NewLetter, at: OffsetDateTime) -> Result<i64> {
        dispatch!(self, outgoing::draft(profile, actor, n, at))
    }
    #[allow(clippy::too_many_arguments)]
    pub async fn edit_letter(&self, profile: &Profile, actor: &User, id: i64, version: i64, n: &NewLetter, at: OffsetDateTime) -> Result<()> {
        dispatch!(self, outgoing::edit(profile, actor, id, version, n, at))
    }
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_letter(
        &self,
        profile: &Profile,
        actor: &User,
        id: i64,
        version: Option<i64>,
        decision: &StepDecision,
        numbering: &Numbering,
        at: OffsetDateTime,
    ) -> Result<Letter> {
        dispatch!(self, outgoing::decide(profile, actor, id, version, decision, numbering, at))
    }
    pub async fn letter(&self, id: i64) -> Result<Letter> {
        dispatch!(self, outgoing::get(id))
    }
    pub async fn letters_for(&self, user: i64, positions: &[String], limit: i64) -> Result<Vec<LetterLine>> {
        dispatch!(self, outgoing::letters_for(user, positions, limit))
    }
    #[allow(clippy::too_many_arguments)]
    pub async fn dispatch_letter(&self, profile: &Profile, actor: &User, id: i64, channel: &str, reference: &str, at: OffsetDateTime) -> Result<()> {
        dispatch!(self, outgoing::dispatch(profile, actor, id, channel, reference, at))
    }
    pub async fn letter_book(
        &self,
        from: OffsetDateTime,
        until: OffsetDateTime,
        hand_only: bool,
        each: &mut (dyn FnMut(LetterBookRow) -> Result<()> + Send),
    ) -> Result<u64> {
        dispatch!(self, outgoing::letter_book(from, until, hand_only, each))
    }
    pub async fn letters_with_blob(&self, sha256: &str) -> Result<Vec<i64>> {
        dispatch!(self, outgoing::letters_with_blob(sha256))
    }
    pub async fn add_letter_signature(&self, actor: &User, id: i64, sha256: &str, format: &str) -> Result<()> {
        dispatch!(self, outgoing::add_signature(actor, id, sha256, format))
    }
}
