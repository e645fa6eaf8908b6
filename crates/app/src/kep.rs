//! KEP (Kayıtlı Elektronik Posta): a signed letter dispatched through the
//! institution's KEP provider (`[kep]`: its SMTP server and our KEP
//! address), to the recipient's KEP address, carrying the e-Yazışma
//! package or the PDF. Which letters may leave by KEP is the dispatch
//! policy's (`correspondence::may_dispatch`: never a classified one). The
//! message as handed to
//! the provider is kept as the dispatch's evidence; the provider's
//! delivery evidence (KEP delili) is added by the Kalem when it arrives.
//!
//! The mail goes out before the dispatch is written (a provider cannot take
//! part in our transaction): a send that fails records nothing; the
//! dispatch, its evidence and its audit record are then one transaction.

use domain::authority::Grant;
use domain::code::Code;
use domain::outgoing as rules;
use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::AsyncTransport;
pub use store::outgoing::Evidence;
use store::{Audit, Audits};

use crate::{now, App, AppError, Result, User};

/// A dispatch by KEP, as asked.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct KepInput {
    /// The recipient's KEP address, e.g. `saglikbakanligi@hs01.kep.tr`.
    pub address: String,
    /// What goes: `eyp` (the e-Yazışma package; the default for a letter
    /// that can be packed) or `pdf`.
    pub attach: String,
}

/// What the provider was handed.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct KepReceipt {
    pub to: String,
    pub message_id: String,
    /// The file sent, e.g. `E-87654321-010.06-3.eyp`.
    pub attached: String,
    /// The provider's SMTP answer, e.g. `250 2.0.0 Ok: queued as 4F2A…`.
    pub provider_answer: String,
    /// The message as sent, kept as evidence.
    pub evidence: Evidence,
}

/// A KEP address: a mailbox at a KEP provider (`….kep.tr`).
pub fn kep_address(s: &str) -> Result<Mailbox> {
    let s = s.trim();
    if s.is_empty() {
        return Err(AppError::invalid("address", Code::Required));
    }
    // The address alone, in ASCII, as KEP providers issue them: no display
    // name (it would show the recipient as someone else), nothing to
    // encode.
    if !s.is_ascii() || s.contains(['<', '>', '"', ' ', ',', ';', '(', ')']) {
        return Err(AppError::invalid("address", Code::BadKepAddress));
    }
    let m: Mailbox = s
        .parse()
        .map_err(|_| AppError::invalid("address", Code::BadKepAddress))?;
    if m.name.is_some()
        || m.email.to_string() != s
        || !m.email.domain().to_ascii_lowercase().ends_with(".kep.tr")
    {
        return Err(AppError::invalid("address", Code::BadKepAddress));
    }
    Ok(m)
}

impl App {
    /// The grant to dispatch `id` by KEP (the Kalem's, m.16/1, m.21/2; a
    /// classified letter never goes by KEP, m.25/1).
    async fn kep_grant(&self, c: &mut impl store::Conn, actor: &User, id: i64) -> Result<Grant> {
        let l = store::outgoing::get(c, id).await?;
        let facts = self.facts(c, actor.id).await?;
        Ok(rules::dispatch(
            &self.profile,
            &facts,
            actor,
            &l,
            "kep",
            &self.correspondence.dispatch_policy(),
            now(),
        )?)
    }

    /// Dispatches a signed letter by KEP.
    pub async fn dispatch_by_kep(
        &self,
        actor: &User,
        id: i64,
        input: &KepInput,
    ) -> Result<KepReceipt> {
        let l = self.letter(actor, id).await?.letter;
        self.kep_grant(&mut self.read().await?, actor, id).await?;
        // KEP carries letters to outside bodies; one to another directorate
        // goes inside the municipality.
        if l.kind() != rules::LetterKind::External {
            return Err(AppError::Conflict(Code::NotExternal));
        }
        let kep = self
            .kep
            .clone()
            .ok_or(AppError::Conflict(Code::KepNotConfigured))?;
        let to = kep_address(&input.address)?;
        let number = l.number.clone().unwrap_or_default();
        let (name, bytes, content_type) = match input.attach.trim() {
            "pdf" => (
                format!("{number}.pdf"),
                self.letter_pdf(actor, id).await?.1,
                "application/pdf",
            ),
            "eyp" => (
                format!("{number}.eyp"),
                self.letter_package(actor, id).await?.1,
                "application/octet-stream",
            ),
            "" => match self.letter_package(actor, id).await {
                Ok((_, b)) => (format!("{number}.eyp"), b, "application/octet-stream"),
                Err(AppError::Conflict(_)) => (
                    format!("{number}.pdf"),
                    self.letter_pdf(actor, id).await?.1,
                    "application/pdf",
                ),
                Err(e) => return Err(e),
            },
            _ => return Err(AppError::invalid("attach", Code::BadAttachKind)),
        };
        let from: Mailbox = kep
            .from
            .parse()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("[kep] from: {e}")))?;
        let message_id = format!(
            "<{}.{}@mudurluk>",
            number,
            hex::encode(rand::random::<[u8; 8]>())
        );
        let institution = self.settings().await?.institution_name;
        let body = format!(
            "{number} sayılı ve {} tarihli \"{}\" konulu yazımız ekte sunulmuştur.\n\n{institution}\n",
            l.signed_at
                .map(|t| domain::local::format_date(domain::local::date(t)))
                .unwrap_or_default(),
            l.subject
        );
        let message = lettre::Message::builder()
            .from(from)
            .to(to.clone())
            .subject(format!("{number} sayılı yazı: {}", l.subject))
            .message_id(Some(message_id.clone()))
            .multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(body))
                    .singlepart(
                        Attachment::new(name.clone()).body(
                            bytes,
                            ContentType::parse(content_type)
                                .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?,
                        ),
                    ),
            )
            .map_err(|e| AppError::Internal(anyhow::anyhow!("KEP message: {e}")))?;
        let raw = message.formatted();
        let transport = kep
            .transport()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("[kep] transport: {e}")))?;
        let answer = match transport.send(message).await {
            Ok(r) => format!("{} {}", r.code(), r.message().collect::<Vec<_>>().join(" ")),
            Err(e) => {
                tracing::warn!(error = %e, letter = id, "KEP provider refused or unreachable");
                return Err(AppError::Conflict(Code::KepSendFailed));
            }
        };
        // Sent: the dispatch, its evidence and the audit, together.
        let evidence_name = format!("{number}-kep.eml");
        let rec = self.put_bytes(raw, false).await?;
        let mut w = self.write().await?;
        let grant = self.kep_grant(&mut w, actor, id).await?;
        // The register's line: the address and the message's id; the
        // provider's answer is in the audit record and the receipt.
        let reference: String = format!("{} · {message_id}", to.email)
            .chars()
            .take(300)
            .collect();
        store::outgoing::dispatch(&mut w, id, actor.id, "kep", &reference).await?;
        let stored = self.record_file(&mut w, &grant, &rec).await?;
        store::outgoing::add_evidence(
            &mut w,
            id,
            &rec.sha256,
            "kep_sent",
            &evidence_name,
            actor.id,
        )
        .await?;
        let mut audits = Audits::from(stored);
        audits.push(Audit::new(
            &grant,
            "outgoing.dispatched",
            format!("outgoing:{id}"),
            serde_json::json!({"before": {"state": l.state}, "after": {"state": "dispatched", "channel": "kep",
                "to": to.email.to_string(), "message_id": message_id, "attached": name,
                "provider_answer": answer, "evidence": rec.sha256}}),
        ));
        w.commit_all(audits).await?;
        let evidence = store::outgoing::evidence(&mut self.read().await?, id)
            .await?
            .into_iter()
            .find(|e| e.sha256 == rec.sha256)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the KEP evidence was not kept")))?;
        Ok(KepReceipt {
            to: to.email.to_string(),
            message_id,
            attached: name,
            provider_answer: answer,
            evidence,
        })
    }

    /// The evidence files of a letter the reader may see.
    pub async fn letter_evidence(&self, reader: &User, id: i64) -> Result<Vec<Evidence>> {
        self.letter(reader, id).await?;
        Ok(store::outgoing::evidence(&mut self.read().await?, id).await?)
    }

    /// The KEP provider's delivery evidence for a letter sent by KEP,
    /// added by whoever keeps the registers (the Kalem, m.16/1).
    pub async fn add_kep_delivery(
        &self,
        actor: &User,
        id: i64,
        name: &str,
        bytes: Vec<u8>,
    ) -> Result<Evidence> {
        let l = self.letter(actor, id).await?.letter;
        let name = crate::input::text("name", name, 200, true)?;
        if name.contains(['/', '\\']) || name == "." || name == ".." {
            return Err(AppError::invalid("name", Code::BadFileName));
        }
        if bytes.is_empty() {
            return Err(AppError::invalid("file", Code::EmptyFile));
        }
        // Refused before a byte is kept; decided again in the write.
        self.may_register(actor).await?;
        if l.dispatch_channel.as_deref() != Some("kep") {
            return Err(AppError::Conflict(Code::NotSentByKep));
        }
        let rec = self.put_bytes(bytes, false).await?;
        let mut w = self.write().await?;
        let grant = self
            .grant(
                &mut w,
                actor,
                domain::authority::Authority::RegisterCorrespondence,
            )
            .await?;
        let stored = self.record_file(&mut w, &grant, &rec).await?;
        store::outgoing::add_evidence(&mut w, id, &rec.sha256, "kep_delivery", &name, actor.id)
            .await?;
        let mut audits = Audits::from(stored);
        audits.push(Audit::new(
            &grant,
            "outgoing.evidence_added",
            format!("outgoing:{id}"),
            serde_json::json!({"after": {"kind": "kep_delivery", "name": name, "file": rec.sha256}}),
        ));
        w.commit_all(audits).await?;
        store::outgoing::evidence(&mut self.read().await?, id)
            .await?
            .into_iter()
            .rev()
            .find(|e| e.sha256 == rec.sha256)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the evidence was not kept")))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_kep_addresses_are_taken() {
        assert!(super::kep_address("saglikbakanligi@hs01.kep.tr").is_ok());
        assert!(super::kep_address("saglik@saglik.gov.tr").is_err());
        assert!(super::kep_address("kep.tr").is_err());
        assert!(super::kep_address("").is_err());
        assert!(super::kep_address("\"y@evil.com\" <x@hs01.kep.tr>").is_err());
        assert!(super::kep_address("ş@hs01.kep.tr").is_err());
        assert!(super::kep_address("x\u{202e}@hs01.kep.tr").is_err());
    }
}
