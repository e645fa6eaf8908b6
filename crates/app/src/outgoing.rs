//! Outgoing letters: the draft as typed (every element of the Resmî
//! Yazışma Yönetmeliği checked here), "cevap yaz" from an incoming
//! document, the approval chain's decisions, who may see a letter, and the
//! e-imza slot.

use domain::authority::Facts;
use domain::correspondence::{Confidentiality, Urgency};
use domain::outgoing::LetterKind;
use store::outgoing::{Letter, LetterLine, LetterRef, NewLetter, Numbering, Recipient, StepDecision};
use store::User;
use time::OffsetDateTime;

use crate::correspondence::{local_date, parse_date, text};
use crate::{App, AppError, Result};

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
    /// Başlık; default: T.C. / the institution / the directorate.
    pub heading: String,
    pub subject: String,
    pub body: String,
    /// Standard File Plan code (a leaf).
    pub file_code: String,
    /// YOK (default), HZO, OZL, GZL, CGZ
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

impl App {
    async fn parse_letter(&self, actor: &User, input: &LetterInput) -> Result<NewLetter> {
        let settings = self.settings().await?;
        let heading = match text("heading", &input.heading, 500, false)? {
            h if h.is_empty() => format!("T.C.\n{}\n{}", settings.institution_name, settings.directorate_name),
            h => h,
        };
        let subject = text("subject", &input.subject, 300, true)?;
        let body = text("body", &input.body, 50_000, true)?;
        let file_code = text("file_code", &input.file_code, 30, true)?;
        domain::fileplan::FilePlan::builtin().primary(&file_code).map_err(|e| AppError::invalid("file_code", e.code()))?;
        let confidentiality = match input.confidentiality.trim() {
            "" => Confidentiality::parse("YOK").ok_or(AppError::invalid("confidentiality", "bad_confidentiality"))?,
            c => Confidentiality::parse(&domain::turkish::to_upper(c)).ok_or(AppError::invalid("confidentiality", "bad_confidentiality"))?,
        };
        let urgency = match input.urgency.trim() {
            "" => Urgency::parse("NRM"),
            u => Urgency::parse(&domain::turkish::to_upper(u)),
        }
        .ok_or(AppError::invalid("urgency", "bad_urgency"))?;
        let urgent_date = parse_date("urgent_date", &input.urgent_date)?;
        if urgency.code() == "GNL" && urgent_date.is_none() {
            return Err(AppError::invalid("urgent_date", "required"));
        }
        let contact = text("contact", &input.contact, 1000, false)?;
        if input.recipients.is_empty() || input.recipients.len() > 100 {
            return Err(AppError::invalid("recipients", if input.recipients.is_empty() { "required" } else { "too_many" }));
        }
        let mut recipients = Vec::new();
        for r in &input.recipients {
            let role = match r.role.trim() {
                "" | "muhatap" => "muhatap",
                "action" | "gereği" | "geregi" => "action",
                "info" | "bilgi" => "info",
                _ => return Err(AppError::invalid("role", "bad_role")),
            };
            let kind = match r.kind.trim() {
                k @ ("institution" | "directorate" | "person" | "company") => k,
                _ => return Err(AppError::invalid("kind", "bad_recipient_kind")),
            };
            let name = text("name", &r.name, 300, true)?;
            let detsis = r.detsis.trim();
            let detsis = match kind {
                "institution" if detsis.is_empty() => return Err(AppError::invalid("detsis", "detsis_required")),
                _ if detsis.is_empty() => None,
                _ if domain::outgoing::is_detsis(detsis) => Some(detsis.to_owned()),
                _ => return Err(AppError::invalid("detsis", "bad_detsis")),
            };
            recipients.push(Recipient { role: role.into(), kind: kind.into(), name, detsis, address: text("address", &r.address, 500, false)? });
        }
        if !recipients.iter().any(|r| r.role == "muhatap") {
            return Err(AppError::invalid("recipients", "muhatap_required"));
        }
        // m.20/2-a, m.20/3: a letter with any outside recipient is external.
        let kind = if recipients.iter().all(|r| r.kind == "directorate") { LetterKind::Internal } else { LetterKind::External };
        if input.refs.len() > 30 {
            return Err(AppError::invalid("refs", "too_many"));
        }
        let mut refs = Vec::new();
        for r in &input.refs {
            if let Some(id) = r.incoming_id {
                // Only what the writer may see can be answered.
                self.incoming(actor, id).await.map_err(|e| match e {
                    AppError::NotFound => AppError::invalid("incoming_id", "unknown_incoming"),
                    e => e,
                })?;
            }
            refs.push(LetterRef { text: text("refs", &r.text, 500, true)?, incoming_id: r.incoming_id });
        }
        if input.attachments.len() > 50 {
            return Err(AppError::invalid("attachments", "too_many"));
        }
        let attachments = input
            .attachments
            .iter()
            .enumerate()
            .map(|(i, sha)| (sha.trim().to_owned(), input.attachment_names.get(i).map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).unwrap_or_else(|| format!("Ek-{}", i + 1))))
            .collect();
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

    fn letter_error(e: store::StoreError) -> AppError {
        match e {
            store::StoreError::Conflict("unknown_attachment") => AppError::invalid("attachments", "unknown_attachment"),
            store::StoreError::Conflict("unknown_incoming") => AppError::invalid("incoming_id", "unknown_incoming"),
            e => e.into(),
        }
    }

    /// Drafts a letter (m.15/3); its chain follows from the writer's
    /// position and whom it goes to.
    pub async fn draft_letter(&self, actor: &User, input: &LetterInput) -> Result<Letter> {
        let n = self.parse_letter(actor, input).await?;
        let id = self.store.draft_letter(&self.profile, actor, &n, OffsetDateTime::now_utc()).await.map_err(Self::letter_error)?;
        Ok(self.store.letter(id).await?)
    }

    /// The writer edits his letter: the initials so far are dropped.
    pub async fn edit_letter(&self, actor: &User, id: i64, input: &LetterInput) -> Result<Letter> {
        let version = input.version.ok_or(AppError::invalid("version", "required"))?;
        let n = self.parse_letter(actor, input).await?;
        self.store.edit_letter(&self.profile, actor, id, version, &n, OffsetDateTime::now_utc()).await.map_err(Self::letter_error)?;
        Ok(self.store.letter(id).await?)
    }

    /// The holder of the current step approves (initials, or signs and so
    /// numbers it), returns it to the writer or rejects it.
    pub async fn decide_letter(&self, actor: &User, id: i64, input: &DecisionInput) -> Result<Letter> {
        let note = text("note", &input.note, 2000, false)?;
        let decision = match input.decision.trim() {
            "approve" => StepDecision::Approve,
            "return" if !note.is_empty() => StepDecision::Return(note),
            "reject" if !note.is_empty() => StepDecision::Reject(note),
            "return" | "reject" => return Err(AppError::invalid("note", "required")),
            _ => return Err(AppError::invalid("decision", "bad_decision")),
        };
        let now = OffsetDateTime::now_utc();
        let numbering = Numbering {
            detsis: self.correspondence.detsis.clone().unwrap_or_default(),
            period: self.numbering_period(local_date(now)),
        };
        self.letter(actor, id).await?;
        Ok(self.store.decide_letter(&self.profile, actor, id, input.version, &decision, &numbering, now).await?)
    }

    /// A letter, if `reader` may see it: anyone, unless it is classified
    /// (GZL/CGZ) or holds personal data; then its writer, the people of its
    /// chain (and their deputies), and the acting Müdür.
    pub async fn letter(&self, reader: &User, id: i64) -> Result<Letter> {
        let l = self.store.letter(id).await?;
        if l.is_restricted() && l.writer_id != reader.id {
            let v = self.viewer(reader).await?;
            let facts = self.store.facts(reader.id).await?;
            let now = OffsetDateTime::now_utc();
            let positions: Vec<String> = facts.holdings(reader.id).iter().filter(|h| h.period.contains(now)).map(|h| h.position.clone()).collect();
            let in_chain = l.steps.iter().any(|s| s.done_by.as_deref() == Some(reader.username.as_str()) || positions.contains(&s.position));
            let deputy = l.steps.iter().any(|s| domain::authority::authorize(&self.profile, &facts, reader.id, &s.authority, now).allowed() && s.action == "sign");
            if !(v.routes || in_chain || deputy) {
                return Err(AppError::NotFound);
            }
        }
        Ok(l)
    }

    /// The letters a person wrote, and those waiting for him (by his
    /// positions, and those he stands in for as deputy).
    pub async fn letters(&self, actor: &User) -> Result<Vec<LetterLine>> {
        let facts = self.store.facts(actor.id).await?;
        let now = OffsetDateTime::now_utc();
        let mut positions: Vec<String> = facts.holdings(actor.id).iter().filter(|h| h.period.contains(now)).map(|h| h.position.clone()).collect();
        for d in facts.deputyships_of(actor.id) {
            if d.period.contains(now) && d.revoked_at.is_none_or(|r| r > now) {
                for h in facts.holdings(d.for_user).iter().filter(|h| h.period.contains(now)) {
                    if !positions.contains(&h.position) {
                        positions.push(h.position.clone());
                    }
                }
            }
        }
        Ok(self.store.letters_for(actor.id, &positions, 200).await?)
    }

    /// "Cevap yaz": a draft answering an incoming document, with its
    /// sender as the addressee and the document as the reference.
    pub async fn reply_draft(&self, actor: &User, incoming_id: i64) -> Result<LetterInput> {
        let doc = self.incoming(actor, incoming_id).await?;
        let date = doc.sender_date.map(|d| format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())).unwrap_or_default();
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
                detsis: if kind == "institution" { doc.sender_id.clone().unwrap_or_default() } else { String::new() },
                address: String::new(),
            }],
            refs: vec![RefInput {
                text: format!("{} tarihli ve {} sayılı yazı (kayıt: {}).", date, doc.sender_ref, doc.number).replace(" tarihli ve  sayılı", " sayılı").trim_start().to_owned(),
                incoming_id: Some(doc.id),
            }],
            ..Default::default()
        })
    }

    /// Hands a signed letter over (m.21/2) and enters it in the outgoing
    /// register: by hand (the reference names who took it), KEP, e-mail,
    /// post, or e-Yazışma (its package format comes with a later issue).
    pub async fn dispatch_letter(&self, actor: &User, id: i64, channel: &str, reference: &str) -> Result<()> {
        let channel = match channel.trim() {
            c @ ("hand" | "kep" | "email" | "post" | "eyazisma") => c,
            "" => return Err(AppError::invalid("channel", "required")),
            _ => return Err(AppError::invalid("channel", "bad_channel")),
        };
        let reference = text("reference", reference, 300, channel == "hand")?;
        self.letter(actor, id).await?;
        Ok(self.store.dispatch_letter(&self.profile, actor, id, channel, &reference, OffsetDateTime::now_utc()).await?)
    }

    /// Keeps a CAdES/XAdES e-imza file over a signed letter's hash.
    pub async fn add_letter_signature(&self, actor: &User, id: i64, format: &str, bytes: Vec<u8>) -> Result<()> {
        let format = match format.trim().to_ascii_uppercase().as_str() {
            f @ ("CADES" | "XADES") => if f == "CADES" { "CAdES" } else { "XAdES" },
            _ => return Err(AppError::invalid("format", "bad_signature_format")),
        };
        if bytes.is_empty() {
            return Err(AppError::invalid("file", "empty_file"));
        }
        let l = self.letter(actor, id).await?;
        if l.content_sha256.is_none() {
            return Err(AppError::Conflict("not_signed"));
        }
        // Kept as a file of its own (a signature is not one of the sniffed
        // document types): content-addressed like every attachment.
        let stored = self.blobs.put(futures::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(bytes))])).await?;
        let rec = store::BlobRecord { sha256: stored.sha256.clone(), size: stored.size as i64, content_type: format!("application/{}", format.to_ascii_lowercase()) };
        self.store.record_blob(rec, Some(actor.id), store::NewAudit {
            actor: Some(actor.username.clone()),
            action: "attachment.stored",
            subject: format!("blob:{}", stored.sha256),
            basis: "signer".into(),
            details: serde_json::json!({"size": stored.size, "content_type": format}),
        })
        .await?;
        Ok(self.store.add_letter_signature(actor, id, &stored.sha256, format).await?)
    }
}
