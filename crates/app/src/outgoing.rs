//! Outgoing letters: the draft as typed (every element of the Resmî
//! Yazışma Yönetmeliği checked here), "cevap yaz" from an incoming
//! document, the approval chain's decisions, the number and date at the
//! signature, dispatch, who may see a letter, and the e-imza slot. The
//! rules are `domain::outgoing`'s.

use domain::authority::{Authority, Facts};
use domain::code::Code;
use domain::correspondence::{Confidentiality, Urgency};
use domain::incoming::Closing;
use domain::outgoing::{
    self as rules, Letter, LetterActions, LetterKind, LetterRef, LetterState, Recipient,
    StepDecision,
};
use store::outgoing::{NewLetter, Signature};
use store::{Audit, Audits};

use crate::input::{date, text};
use crate::{now, App, AppError, Result, User};

pub use store::outgoing::LetterLine;

/// A recipient as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RecipientInput {
    /// `muhatap` (addressed), `action` (dağıtım: gereği), `info` (dağıtım: bilgi).
    pub role: String,
    /// `institution` (needs its DETSİS number), `directorate` (of this
    /// municipality), `person`, `company`.
    pub kind: String,
    pub name: String,
    pub detsis: String,
    pub address: String,
    /// The muhatap line as printed; empty: the suggestion (capitals with
    /// the dative, "FEN İŞLERİ MÜDÜRLÜĞÜNE"; a person "Sayın Ad SOYAD").
    pub line: String,
}

/// A reference (ilgi) as typed: text, and optionally the incoming
/// document it answers (closed when the letter is signed).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RefInput {
    pub text: String,
    pub incoming_id: Option<i64>,
}

/// A letter as typed or posted.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LetterInput {
    /// Başlık; default: T.C. / the institution / the directorate (m.10).
    pub heading: String,
    pub subject: String,
    pub body: String,
    /// Standard File Plan code (a leaf).
    pub file_code: String,
    /// YOK (default), HZO, GZL, CGZ
    pub confidentiality: String,
    /// NRM (default), ACL, GNL (with `urgent_date`)
    pub urgency: String,
    pub urgent_date: String,
    pub personal_data: bool,
    /// The contact footer (address, phone, e-mail, KEP).
    pub contact: String,
    pub recipients: Vec<RecipientInput>,
    pub refs: Vec<RefInput>,
    /// SHA-256 of uploaded attachments (`POST /api/v1/attachments`).
    pub attachments: Vec<String>,
    pub attachment_names: Vec<String>,
    /// For an edit: the version edited (a stale edit is refused).
    pub version: Option<i64>,
}

/// A decision on the current step.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DecisionInput {
    /// `approve` (paraf, or imza at the last step), `return` (to the writer), `reject`.
    pub decision: String,
    /// Required to return or reject.
    pub note: String,
    /// The version decided on (refused if the letter changed since).
    pub version: Option<i64>,
}

/// A letter as its reader sees it, with what he may do.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LetterView {
    #[serde(flatten)]
    pub letter: Letter,
    pub actions: LetterActions,
}

/// The muhatap line suggested for a recipient (Resmî Yazışma Yönetmeliği
/// m.14): an administration in capitals with the dative, a person as
/// "Sayın Ad SOYAD".
pub fn muhatap_line(kind: &str, name: &str) -> String {
    let m = match kind {
        "person" => domain::muhatap::person(&domain::muhatap::PersonName::from_full(name)),
        _ => domain::muhatap::institution(name),
    };
    m.map(|m| m.lines.join("\n"))
        .unwrap_or_else(|_| domain::turkish::to_upper(name))
}

/// The İlgi line of a reply (Resmî Yazışma Yönetmeliği m.14: the date and
/// number of the letter answered): the sender's date and number as far as
/// they are known, else when it reached us and under which register number.
pub fn ilgi_text(sender_date: &str, sender_ref: &str, received_on: &str, number: &str) -> String {
    match (sender_date.is_empty(), sender_ref.is_empty()) {
        (false, false) => format!("{sender_date} tarihli ve {sender_ref} sayılı yazı."),
        (true, false) => format!("{sender_ref} sayılı yazı."),
        (false, true) => format!("{sender_date} tarihli yazı."),
        (true, true) => format!("{received_on} tarihinde {number} kayıt numarasıyla alınan yazı."),
    }
}

/// Text with paragraphs kept: Windows and old Mac line ends become `\n`.
fn body_text(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

impl App {
    async fn parse_letter(&self, actor: &User, input: &LetterInput) -> Result<NewLetter> {
        let settings = self.settings().await?;
        let heading = match crate::input::lines("heading", &input.heading, 500, false)? {
            h if h.is_empty() => {
                domain::layout::heading(&settings.institution_name, &settings.directorate_name)
                    .map(|h| h.lines.join("\n"))
                    .map_err(|e| AppError::invalid("heading", Code::of(e.code())))?
            }
            h => domain::layout::heading(&h, "")
                .map(|h| h.lines.join("\n"))
                .map_err(|e| AppError::invalid("heading", Code::of(e.code())))?,
        };
        let subject = text("subject", &input.subject, 300, true)?;
        let body = crate::input::lines("body", &body_text(&input.body), 50_000, true)?;
        let file_code = text("file_code", &input.file_code, 30, true)?;
        domain::fileplan::FilePlan::builtin()
            .primary(&file_code)
            .map_err(|e| AppError::invalid("file_code", Code::of(e.code())))?;
        let confidentiality = match input.confidentiality.trim() {
            "" => Confidentiality::None,
            c => Confidentiality::parse_new(c)
                .map_err(|e| AppError::invalid("confidentiality", Code::of(e.code())))?,
        };
        let urgency = match input.urgency.trim() {
            "" => Urgency::Normal,
            u => Urgency::parse(&domain::turkish::to_upper(u))
                .ok_or(AppError::invalid("urgency", Code::BadUrgency))?,
        };
        let urgent_date = date("urgent_date", &input.urgent_date)?;
        if urgency == Urgency::Dated && urgent_date.is_none() {
            return Err(AppError::invalid("urgent_date", Code::Required));
        }
        let contact = crate::input::lines("contact", &input.contact, 1000, false)?;
        if input.recipients.is_empty() || input.recipients.len() > 100 {
            return Err(AppError::invalid(
                "recipients",
                if input.recipients.is_empty() {
                    Code::Required
                } else {
                    Code::TooMany
                },
            ));
        }
        let mut recipients = Vec::new();
        for r in &input.recipients {
            let role = match r.role.trim() {
                "" | "muhatap" => "muhatap",
                "action" | "gereği" | "geregi" => "action",
                "info" | "bilgi" => "info",
                _ => return Err(AppError::invalid("role", Code::BadRole)),
            };
            let kind = match r.kind.trim() {
                k @ ("institution" | "directorate" | "person" | "company") => k,
                _ => return Err(AppError::invalid("kind", Code::BadRecipientKind)),
            };
            let name = text("name", &r.name, 300, true)?;
            let detsis = r.detsis.trim();
            let detsis = match kind {
                "institution" if detsis.is_empty() => {
                    return Err(AppError::invalid("detsis", Code::DetsisRequired))
                }
                _ if detsis.is_empty() => None,
                _ if rules::is_detsis(detsis) => Some(detsis.to_owned()),
                _ => return Err(AppError::invalid("detsis", Code::BadDetsis)),
            };
            let line = match text("line", &r.line, 400, false)? {
                l if l.is_empty() => muhatap_line(kind, &name),
                l => l,
            };
            recipients.push(Recipient {
                role: role.into(),
                kind: kind.into(),
                name,
                detsis,
                address: crate::input::lines("address", &r.address, 500, false)?,
                line,
            });
        }
        if !recipients.iter().any(|r| r.role == "muhatap") {
            return Err(AppError::invalid("recipients", Code::MuhatapRequired));
        }
        // m.20/2-a, m.20/3: a letter with any outside recipient is external.
        let kind = if recipients.iter().all(|r| r.kind == "directorate") {
            LetterKind::Internal
        } else {
            LetterKind::External
        };
        if input.refs.len() > 30 {
            return Err(AppError::invalid("refs", Code::TooMany));
        }
        let mut refs = Vec::new();
        for r in &input.refs {
            if let Some(id) = r.incoming_id {
                // Only what the writer may see can be answered.
                self.incoming(actor, id).await.map_err(|e| match e {
                    AppError::NotFound => AppError::invalid("incoming_id", Code::UnknownIncoming),
                    e => e,
                })?;
            }
            refs.push(LetterRef {
                text: text("refs", &r.text, 500, true)?,
                incoming_id: r.incoming_id,
            });
        }
        if input.attachments.len() > 50 {
            return Err(AppError::invalid("attachments", Code::TooMany));
        }
        let mut attachments = Vec::new();
        for (i, sha) in input.attachments.iter().enumerate() {
            let sha = sha.trim().to_ascii_lowercase();
            self.may_attach(actor, &sha).await?;
            let name = input
                .attachment_names
                .get(i)
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("Ek-{}", i + 1));
            attachments.push((sha, text("attachment_names", &name, 200, true)?));
        }
        Ok(NewLetter {
            kind,
            heading,
            subject,
            body,
            file_code,
            confidentiality,
            urgency: urgency.code().into(),
            urgent_date,
            personal_data: input.personal_data,
            contact,
            recipients,
            refs,
            attachments,
        })
    }

    /// Checks a letter without saving anything (the form does this before
    /// it keeps an uploaded attachment).
    pub async fn check_letter(&self, actor: &User, input: &LetterInput) -> Result<()> {
        self.parse_letter(actor, input).await.map(|_| ())
    }

    fn letter_error(e: AppError) -> AppError {
        e.on_field(Code::UnknownAttachment, "attachments")
            .on_field(Code::UnknownIncoming, "incoming_id")
    }

    /// The address book of the letter form: institutions written to or
    /// heard from, with their DETSİS numbers, most used first.
    pub async fn address_book(&self) -> Result<Vec<(String, String)>> {
        Ok(store::outgoing::institutions(&mut self.read().await?, 500).await?)
    }

    /// The letter as it would print, from the form, before anything is
    /// saved: the same checks as a draft, "TASLAK" on every page, no
    /// number. Nothing is written.
    pub async fn preview_letter(&self, actor: &User, input: &LetterInput) -> Result<Vec<u8>> {
        let n = self.parse_letter(actor, input).await?;
        let mut c = self.read().await?;
        let facts = self.facts(&mut c, actor.id).await?;
        drop(c);
        let at = now();
        let (_, position, chain) = rules::draft(&self.profile, &facts, actor, n.kind, at)?;
        let unit = self
            .profile
            .position(&position)
            .map(|p| p.unit.clone())
            .unwrap_or_default();
        let unit_name = self
            .profile
            .unit(&unit)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        let letter = Letter {
            id: 0,
            kind: n.kind.code().into(),
            state: LetterState::Draft,
            version: 0,
            writer: actor.username.clone(),
            writer_name: actor.display_name.clone(),
            writer_id: actor.id,
            writer_position: position,
            unit,
            heading: n.heading,
            subject: n.subject,
            body: n.body,
            file_code: n.file_code,
            confidentiality: n.confidentiality.code().into(),
            urgency: n.urgency,
            urgent_date: n.urgent_date,
            personal_data: n.personal_data,
            contact: n.contact,
            note: None,
            created_at: at,
            number: None,
            signed_at: None,
            signed_by_id: None,
            signer_name: None,
            signer_title: None,
            sign_basis: None,
            content_sha256: None,
            verification_code: None,
            returned_by_name: None,
            returned_at: None,
            dispatched_at: None,
            dispatched_by_name: None,
            dispatch_channel: None,
            dispatch_ref: None,
            recipients: n.recipients,
            refs: n.refs,
            steps: chain
                .iter()
                .enumerate()
                .map(|(i, st)| domain::outgoing::LetterStep {
                    ord: i as i64,
                    position: st.position.clone(),
                    action: st.action.code().into(),
                    authority: st.authority.clone(),
                    done_by: None,
                    done_by_name: None,
                    done_at: None,
                    basis: None,
                })
                .collect(),
            attachments: n
                .attachments
                .into_iter()
                .map(|(sha256, name)| domain::outgoing::LetterAttachment {
                    sha256,
                    name,
                    size: 0,
                    content_type: String::new(),
                })
                .collect(),
        };
        let post = self.signer_post(&letter);
        tokio::task::spawn_blocking(move || {
            crate::letter::render_for(&letter, &unit_name, post.as_deref(), "")
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))
    }

    /// Drafts a letter (m.15/3); its chain follows from the writer's
    /// position and whom it goes to.
    pub async fn draft_letter(&self, actor: &User, input: &LetterInput) -> Result<LetterView> {
        let n = self.parse_letter(actor, input).await?;
        let mut w = self.write().await?;
        let facts = store::authority::own_facts(&mut w, actor.id).await?;
        let (grant, position, chain) = rules::draft(&self.profile, &facts, actor, n.kind, w.at())?;
        let unit = self
            .profile
            .position(&position)
            .map(|p| p.unit.clone())
            .unwrap_or_default();
        let id = store::outgoing::insert(&mut w, actor.id, &position, &unit, &n, &chain)
            .await
            .map_err(|e| Self::letter_error(e.into()))?;
        let details = serde_json::json!({"after": {"kind": n.kind.code(), "subject": n.subject, "file_code": n.file_code,
            "chain": chain.iter().map(|s| format!("{} {}", s.position, s.action.code())).collect::<Vec<_>>()}});
        w.commit(Audit::new(
            &grant,
            "outgoing.drafted",
            format!("outgoing:{id}"),
            details,
        ))
        .await?;
        self.letter(actor, id).await
    }

    /// The writer edits his letter: the initials so far are dropped.
    pub async fn edit_letter(
        &self,
        actor: &User,
        id: i64,
        input: &LetterInput,
    ) -> Result<LetterView> {
        let version = input
            .version
            .ok_or(AppError::invalid("version", Code::Required))?;
        let n = self.parse_letter(actor, input).await?;
        let mut w = self.write().await?;
        let before = store::outgoing::get(&mut w, id).await?;
        let facts = store::authority::own_facts(&mut w, actor.id).await?;
        let (grant, position, chain) = rules::edit(
            &self.profile,
            &facts,
            actor,
            &before,
            version,
            n.kind,
            w.at(),
        )?;
        store::outgoing::update(&mut w, id, &position, &n, &chain)
            .await
            .map_err(|e| Self::letter_error(e.into()))?;
        let dropped = before.steps.iter().filter(|s| s.done_by.is_some()).count();
        let details = serde_json::json!({"before": {"version": before.version, "state": before.state, "subject": before.subject, "initials": dropped},
            "after": {"version": before.version + 1, "state": "draft", "subject": n.subject, "initials_dropped": dropped}});
        w.commit(Audit::new(
            &grant,
            "outgoing.edited",
            format!("outgoing:{id}"),
            details,
        ))
        .await?;
        self.letter(actor, id).await
    }

    /// The holder of the current step approves (initials, or signs and so
    /// numbers and dates it), returns it to the writer or rejects it.
    /// Signing closes the incoming documents it answers, in the same
    /// transaction.
    pub async fn decide_letter(
        &self,
        actor: &User,
        id: i64,
        input: &DecisionInput,
    ) -> Result<LetterView> {
        let note = crate::input::lines("note", &input.note, 2000, false)?;
        let decision = match input.decision.trim() {
            "approve" => StepDecision::Approve,
            "return" if !note.is_empty() => StepDecision::Return(note.clone()),
            "reject" if !note.is_empty() => StepDecision::Reject(note.clone()),
            "return" | "reject" => return Err(AppError::invalid("note", Code::Required)),
            _ => return Err(AppError::invalid("decision", Code::BadDecision)),
        };
        // Only what the reader may see can be decided on.
        self.letter(actor, id).await?;
        let detsis = self.settings().await?.detsis;
        let mut w = self.write().await?;
        let at = w.at();
        let mut l = store::outgoing::get(&mut w, id).await?;
        let facts = self.facts(&mut w, actor.id).await?;
        let d = rules::decide(
            &self.profile,
            &facts,
            actor,
            &l,
            input.version,
            &decision,
            at,
        )?;
        let basis = d.grant.basis_text();
        let mut audits = Vec::new();
        match d.state {
            LetterState::Returned | LetterState::Rejected => {
                store::outgoing::send_back(&mut w, id, d.state, &note, actor.id).await?;
                audits.push(Audit::new(&d.grant, d.action, format!("outgoing:{id}"),
                    serde_json::json!({"before": {"state": l.state}, "after": {"state": d.state, "note": note, "at_step": d.step.ord}})));
            }
            LetterState::Signed => {
                let Some(detsis) = detsis.filter(|d| rules::is_detsis(d)) else {
                    return Err(AppError::Conflict(Code::DetsisNotConfigured));
                };
                store::outgoing::record_step(&mut w, id, d.step.ord, actor.id, &basis).await?;
                let period = self.numbering_period(domain::local::date(at));
                let seq = store::outgoing::take_number(&mut w, &period).await?;
                let number = rules::letter_number(&detsis, &l.file_code, seq);
                let block =
                    rules::signature_block(&self.profile, &facts, actor, &d.step, &d.grant, at);
                l.number = Some(number.clone());
                l.signed_at = Some(at);
                l.signer_name = block.first().cloned();
                l.signer_title = Some(block[1..].join("\n"));
                let hash = store_hash(&l);
                let code = rules::verification_code(rand::random::<[u8; 8]>());
                store::outgoing::sign(
                    &mut w,
                    id,
                    &Signature {
                        period: &period,
                        seq,
                        number: &number,
                        signer: actor.id,
                        signer_name: l.signer_name.as_deref().unwrap_or_default(),
                        signer_title: l.signer_title.as_deref().unwrap_or_default(),
                        basis: &basis,
                        content_sha256: &hash,
                        verification_code: &code,
                    },
                )
                .await?;
                let mut changed = vec![format!("outgoing:{id}")];
                // The incoming documents it answers are closed by it.
                for r in l.refs.iter().filter_map(|r| r.incoming_id) {
                    let doc = store::incoming::get(&mut w, r).await?;
                    if doc.state == domain::incoming::State::Closed {
                        continue;
                    }
                    store::incoming::routing::close(
                        &mut w,
                        r,
                        actor.id,
                        Closing::Answered,
                        &format!("Giden evrak ile cevaplandı: {number}"),
                        Some(&number),
                    )
                    .await?;
                    audits.push(Audit::new(&d.grant, "incoming.closed", format!("incoming:{r}"),
                        serde_json::json!({"before": {"state": doc.state}, "after": {"state": "closed", "closing": "answered", "answer_ref": number, "outgoing": id}})));
                    changed.push(format!("incoming:{r}"));
                }
                store::search::note_changes(&mut w, &changed).await?;
                audits.insert(0, Audit::new(&d.grant, d.action, format!("outgoing:{id}"), serde_json::json!({"before": {"state": l.state}, "after": {
                    "state": "signed", "step": d.step.ord, "position": d.step.position, "step_action": d.step.action, "version": l.version,
                    "number": number, "content_sha256": hash, "signature": block}})));
            }
            _ => {
                store::outgoing::record_step(&mut w, id, d.step.ord, actor.id, &basis).await?;
                audits.push(Audit::new(&d.grant, d.action, format!("outgoing:{id}"), serde_json::json!({"before": {"state": l.state}, "after": {
                    "state": "in_approval", "step": d.step.ord, "position": d.step.position, "step_action": d.step.action, "version": l.version}})));
            }
        }
        let audits = Audits::of(audits)
            .ok_or_else(|| anyhow::anyhow!("a decision without its audit record"))?;
        w.commit_all(audits).await?;
        if d.state == LetterState::Signed {
            self.wake_indexer();
        }
        self.letter(actor, id).await
    }

    /// A letter, if `reader` may see it, with what he may do.
    pub async fn letter(&self, reader: &User, id: i64) -> Result<LetterView> {
        let mut c = self.read().await?;
        let l = store::outgoing::get(&mut c, id).await?;
        let facts = self.facts(&mut c, reader.id).await?;
        let at = now();
        let routes =
            domain::authority::grant(&self.profile, &facts, reader, Authority::RouteIncoming, at)
                .is_ok();
        if !rules::may_see(&self.profile, &facts, reader, routes, &l, at) {
            return Err(AppError::NotFound);
        }
        let actions = rules::actions(&self.profile, &facts, reader, &l, at);
        Ok(LetterView { letter: l, actions })
    }

    /// The positions whose chain steps `actor` acts on today: his own, the
    /// holders' he stands in for (m.12/2), and his delegators' for a
    /// delegated initial or signature (m.10/4).
    pub(crate) fn acting_positions(
        &self,
        facts: &impl Facts,
        actor: &User,
        now: time::OffsetDateTime,
    ) -> Vec<String> {
        let mut positions: Vec<String> = facts
            .holdings(actor.id)
            .iter()
            .filter(|h| h.period.contains(now))
            .map(|h| h.position.clone())
            .collect();
        let add_of = |user: i64, positions: &mut Vec<String>| {
            for h in facts
                .holdings(user)
                .iter()
                .filter(|h| h.period.contains(now))
            {
                if !positions.contains(&h.position) {
                    positions.push(h.position.clone());
                }
            }
        };
        for d in facts.deputyships_of(actor.id) {
            if d.period.contains(now) && d.revoked_at.is_none_or(|r| r > now) {
                add_of(d.for_user, &mut positions);
            }
        }
        let chain = [
            Authority::InitialDocument,
            Authority::SignInternal,
            Authority::InitialExternal,
            Authority::SignExternal,
        ]
        .map(Authority::id);
        for d in facts.delegations_to(actor.id) {
            if d.period.contains(now)
                && d.revoked_at.is_none_or(|r| r > now)
                && chain.contains(&d.authority.as_str())
            {
                add_of(d.from_user, &mut positions);
            }
        }
        positions
    }

    /// A page of the letters list: those the actor wrote, those waiting
    /// for his step, and, for the Kalem (who dispatches), the signed ones
    /// waiting to be sent; optionally of one state. With the total.
    pub async fn letters(
        &self,
        actor: &User,
        state: Option<LetterState>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<LetterLine>, i64)> {
        let mut c = self.read().await?;
        let facts = self.facts(&mut c, actor.id).await?;
        let now = now();
        let positions = self.acting_positions(&facts, actor, now);
        let dispatcher = domain::authority::grant(
            &self.profile,
            &facts,
            actor,
            Authority::RegisterCorrespondence,
            now,
        )
        .is_ok();
        let filter = store::outgoing::LetterFilter {
            user: actor.id,
            positions,
            dispatcher,
            state,
        };
        Ok(store::outgoing::lines(&mut c, &filter, limit.clamp(1, 500), offset.max(0)).await?)
    }

    /// "Cevap yaz": a draft answering an incoming document, with its
    /// sender as the addressee and the document as the reference.
    pub async fn reply_draft(&self, actor: &User, incoming_id: i64) -> Result<LetterInput> {
        let doc = self.incoming(actor, incoming_id).await?.document;
        let date = doc
            .sender_date
            .map(domain::local::format_date)
            .unwrap_or_default();
        let kind = match doc.sender_kind.as_str() {
            "institution" => "institution",
            "company" => "company",
            _ => "person",
        };
        Ok(LetterInput {
            subject: doc.subject.clone(),
            file_code: doc.file_code.clone(),
            recipients: vec![RecipientInput {
                role: "muhatap".into(),
                kind: kind.into(),
                name: doc.sender_name.clone(),
                detsis: if kind == "institution" {
                    doc.sender_id.clone().unwrap_or_default()
                } else {
                    String::new()
                },
                address: String::new(),
                line: muhatap_line(kind, &doc.sender_name),
            }],
            refs: vec![RefInput {
                text: ilgi_text(
                    &date,
                    doc.sender_ref.trim(),
                    &domain::local::format_date(doc.received_on),
                    &doc.number,
                ),
                incoming_id: Some(doc.id),
            }],
            ..Default::default()
        })
    }

    /// Hands a signed letter over (m.21/2) and enters it in the outgoing
    /// register: by hand (the reference names who took it), KEP, e-mail,
    /// post, or e-Yazışma, as its confidentiality allows.
    pub async fn dispatch_letter(
        &self,
        actor: &User,
        id: i64,
        channel: &str,
        reference: &str,
    ) -> Result<()> {
        let channel = match channel.trim() {
            "" => return Err(AppError::invalid("channel", Code::Required)),
            c => c,
        };
        if domain::correspondence::Channel::parse(channel).is_none() || channel == "fax" {
            return Err(AppError::invalid("channel", Code::BadChannel));
        }
        let reference = text("reference", reference, 300, channel == "hand")?;
        self.letter(actor, id).await?;
        let mut w = self.write().await?;
        let at = w.at();
        let l = store::outgoing::get(&mut w, id).await?;
        let facts = store::authority::own_facts(&mut w, actor.id).await?;
        let grant = match rules::dispatch(
            &self.profile,
            &facts,
            actor,
            &l,
            channel,
            &self.correspondence.dispatch_policy(),
            at,
        ) {
            Ok(g) => g,
            // Held by deputyship or delegation: decide on the full facts.
            Err(domain::code::Refusal::Forbidden(_)) => {
                let facts = self.facts(&mut w, actor.id).await?;
                rules::dispatch(
                    &self.profile,
                    &facts,
                    actor,
                    &l,
                    channel,
                    &self.correspondence.dispatch_policy(),
                    at,
                )?
            }
            Err(e) => return Err(e.into()),
        };
        store::outgoing::dispatch(&mut w, id, actor.id, channel, &reference).await?;
        let details = serde_json::json!({"before": {"state": l.state}, "after": {"state": "dispatched", "channel": channel, "reference": reference}});
        w.commit(Audit::new(
            &grant,
            "outgoing.dispatched",
            format!("outgoing:{id}"),
            details,
        ))
        .await?;
        Ok(())
    }

    /// The e-imza files kept for a letter the reader may see, each CAdES
    /// one verified again now over what it signed.
    pub async fn letter_signatures(
        &self,
        reader: &User,
        id: i64,
    ) -> Result<Vec<KeptSignatureView>> {
        use sha2::Digest;
        let l = self.letter(reader, id).await?.letter;
        let kept = store::outgoing::signatures(&mut self.read().await?, id).await?;
        let roots = crate::esign::trust_store(self.correspondence.trust_dir.as_deref());
        let content = signed_content(&l);
        let mut summary = None;
        let mut out = Vec::with_capacity(kept.len());
        for k in kept {
            let covers_content = Some(&k.signed_hash) == l.content_sha256.as_ref();
            let verification = if k.format == "CAdES" {
                let bytes = self.read_blob(&k.sha256).await?;
                let target = if covers_content {
                    content.as_bytes().to_vec()
                } else {
                    if summary.is_none() {
                        summary = self.package_summary(reader, id).await.ok();
                    }
                    summary.clone().unwrap_or_default()
                };
                let mut v = crate::esign::verify(&bytes, &[&target], &roots, crate::now()).1;
                // A package summary that changed since (another PDF engine)
                // no longer matches what was signed.
                if !covers_content && hex::encode(sha2::Sha256::digest(&target)) != k.signed_hash {
                    v.valid = false;
                }
                Some(v)
            } else {
                None
            };
            out.push(KeptSignatureView {
                sha256: k.sha256,
                format: k.format,
                covers: if covers_content { "content" } else { "package" }.into(),
                added_by_name: k.added_by_name,
                added_at: k.added_at,
                verification,
            });
        }
        Ok(out)
    }

    /// Keeps a CAdES/XAdES e-imza file over a signed letter. A CAdES file
    /// is verified first (`crate::esign`): over the letter's canonical
    /// content (`signed_content`, whose hash `/hash` gives) or over the
    /// package summary (PaketOzeti) of its e-Yazışma package; the chain to
    /// the trust store, the validity at the signing time and the
    /// non-repudiation key usage. An invalid one is refused with the
    /// failed check's code, and nothing is kept. (XAdES is kept as given.)
    pub async fn add_letter_signature(
        &self,
        actor: &User,
        id: i64,
        format: &str,
        bytes: Vec<u8>,
    ) -> Result<()> {
        let format = match format.trim().to_ascii_uppercase().as_str() {
            "CADES" => "CAdES",
            "XADES" => "XAdES",
            _ => return Err(AppError::invalid("format", Code::BadSignatureFormat)),
        };
        if bytes.is_empty() {
            return Err(AppError::invalid("file", Code::EmptyFile));
        }
        let l = self.letter(actor, id).await?.letter;
        let grant = rules::add_signature(actor, &l)?;
        let mut verification = None;
        let mut hash = l.content_sha256.clone().unwrap_or_default();
        // An XAdES file is kept unverified, but only if it is one.
        if format == "XAdES" && !crate::eyazisma::package::is_xml_signature(&bytes) {
            return Err(AppError::invalid("file", Code::SignatureMalformed));
        }
        if format == "CAdES" {
            let content = signed_content(&l);
            let summary = self.package_summary(actor, id).await.ok();
            let roots = crate::esign::trust_store(self.correspondence.trust_dir.as_deref());
            let mut contents: Vec<&[u8]> = vec![content.as_bytes()];
            if let Some(s) = &summary {
                contents.push(s);
            }
            let (covered, v) = crate::esign::verify(&bytes, &contents, &roots, crate::now());
            if let Some(code) = v.refusal() {
                return Err(AppError::invalid("file", code));
            }
            if covered == Some(1) {
                use sha2::Digest;
                hash = hex::encode(sha2::Sha256::digest(contents[1]));
            }
            verification = Some(v);
        }
        // Kept as a file of its own (a signature is not one of the sniffed
        // document types): content-addressed like every attachment.
        let stored = self
            .blobs
            .put(futures::stream::iter([Ok::<_, std::io::Error>(
                bytes::Bytes::from(bytes),
            )]))
            .await?;
        let rec = store::attachments::BlobRecord {
            sha256: stored.sha256.clone(),
            size: stored.size as i64,
            content_type: format!("application/{}", format.to_ascii_lowercase()),
        };
        let mut w = self.write().await?;
        store::attachments::record(&mut w, &rec, Some(actor.id)).await?;
        store::outgoing::add_signature(&mut w, id, &stored.sha256, format, &hash, actor.id)
            .await
            .map_err(|e| Self::letter_error(e.into()))?;
        let mut audits = Audits::from(Audit::new(
            &grant,
            "attachment.stored",
            format!("blob:{}", stored.sha256),
            serde_json::json!({"size": stored.size, "content_type": rec.content_type}),
        ));
        audits.push(Audit::new(&grant, "outgoing.esignature_added", format!("outgoing:{id}"), serde_json::json!({"after": {"format": format, "file": stored.sha256, "signed_hash": hash, "verification": verification}})));
        w.commit_all(audits).await?;
        Ok(())
    }
}

/// An e-imza file kept for a letter, as verified now.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct KeptSignatureView {
    pub sha256: String,
    /// `CAdES` or `XAdES`.
    pub format: String,
    /// What it signs: `content` (the canonical content `/hash` gives) or
    /// `package` (the e-Yazışma package summary).
    pub covers: String,
    pub added_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub added_at: time::OffsetDateTime,
    /// The checks, for a CAdES file (XAdES is kept unverified).
    pub verification: Option<crate::esign::Verification>,
}

/// The canonical content an e-imza covers: every element of the letter
/// with its number and date, as JSON (UTF-8). It does not change when the
/// PDF engine does; `GET /outgoing/{id}/hash` gives it and its SHA-256.
pub fn signed_content(l: &Letter) -> String {
    serde_json::json!({
        "number": l.number, "date": l.signed_at.map(|t| domain::local::date(t).to_string()),
        "heading": l.heading, "subject": l.subject, "body": l.body, "file_code": l.file_code,
        "confidentiality": l.confidentiality, "urgency": l.urgency, "recipients": l.recipients, "refs": l.refs,
        "attachments": l.attachments.iter().map(|a| (&a.sha256, &a.name)).collect::<Vec<_>>(),
        "signer": [&l.signer_name, &l.signer_title],
    })
    .to_string()
}

/// The SHA-256 (hex) of [`signed_content`].
pub fn store_hash(l: &Letter) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(signed_content(l).as_bytes()))
}

#[cfg(test)]
mod ilgi_tests {
    /// The İlgi of a reply names the letter answered by its date and
    /// number (Resmî Yazışma Yönetmeliği m.14), never an empty "tarihli ve".
    #[test]
    fn ilgi_says_what_is_known() {
        use super::ilgi_text;
        assert_eq!(
            ilgi_text("24.04.2026", "E-1-010.06-5", "27.04.2026", "2026/3"),
            "24.04.2026 tarihli ve E-1-010.06-5 sayılı yazı."
        );
        assert_eq!(
            ilgi_text("", "E-1-010.06-5", "27.04.2026", "2026/3"),
            "E-1-010.06-5 sayılı yazı."
        );
        assert_eq!(
            ilgi_text("24.04.2026", "", "27.04.2026", "2026/3"),
            "24.04.2026 tarihli yazı."
        );
        assert_eq!(
            ilgi_text("", "", "27.04.2026", "D-2026/3"),
            "27.04.2026 tarihinde D-2026/3 kayıt numarasıyla alınan yazı."
        );
    }
}
