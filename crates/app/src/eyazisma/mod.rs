//! e-Yazışma 2.x (Resmî Yazışmalarda Uygulanacak Usul ve Esaslar Hakkında
//! Yönetmelik, 2020): a signed external letter leaves as a package, and a
//! package received is registered as incoming correspondence with its
//! üst yazı, attachments and the package itself kept.
//!
//! In 2.x the number (BelgeNo) and date (Tarih) of a letter are in
//! `NihaiUstveri/NihaiUstveri.xml`, not in the Üstveri (whose XSD has no
//! place for them); 1.x packages carry them in the Üstveri. Both are read.

pub mod package;

use bytes::Bytes;
use domain::authority::Grant;
use domain::code::Code;
use domain::correspondence::{Channel, Confidentiality};
use domain::incoming::Document;
use domain::outgoing::Letter;
use domain::tckn::TcKimlikNo;

use crate::incoming::RegisterInput;
use crate::{App, AppError, Result, User};
pub use package::{Distribution, PackageAttachment, PackageRef, Party};

/// What the registrar may add to, or correct in, what a package says.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ImportOptions {
    /// The Standard File Plan code to file it under; by default the
    /// package's (SdpBilgisi, else the code inside its number), else
    /// `[correspondence] eyazisma_file_code`.
    pub file_code: Option<String>,
    /// As for `POST /incoming`: the law that sets the answer period.
    pub legal_basis: Option<String>,
    /// `belge`, `bilgi`, `gorus` for a request of another administration.
    pub request_kind: Option<String>,
    /// Marks it as holding personal data (a package naming a natural
    /// person is marked anyway).
    pub personal_data: Option<bool>,
}

/// A signature file found in a package, and what could be said of it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SignatureReport {
    /// Its part, e.g. `Imzalar/ImzaCades.imz`.
    pub part: String,
    /// `imza` (the signer's), `muhur` (the institution's seal) or `paraf`.
    pub role: String,
    /// The part it signs (PaketOzeti, NihaiOzet, ParafOzeti).
    pub covers: Option<String>,
    pub size: usize,
    /// `valid` (every check passed), `invalid` (a CAdES signature that
    /// failed a check, see `verification`), or `unverifiable`: present but
    /// not a CMS signature (the official samples carry 3-byte
    /// placeholders). A package is registered whatever its signatures say.
    pub status: String,
    pub verification: Option<crate::esign::Verification>,
}

/// What the package said, beside the registered document.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PackageSummary {
    /// 1 or 2 (the Üstveri's schema).
    pub version: u8,
    pub belge_id: String,
    pub number: String,
    /// The sender's date and time, RFC 3339.
    pub date: Option<String>,
    pub sender: Party,
    pub distribution: Vec<Distribution>,
    pub attachments: Vec<PackageAttachment>,
    pub refs: Vec<PackageRef>,
    pub signers: Vec<String>,
    pub signatures: Vec<SignatureReport>,
    /// Where the file code came from: `request`, `package` (SdpBilgisi),
    /// `number` (the code inside BelgeNo) or `setting`.
    pub file_code_source: String,
    pub verification_url: Option<String>,
}

/// A registered package: the document as `POST /incoming` answers it, and
/// what the package said.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Imported {
    #[serde(flatten)]
    pub document: Document,
    pub eyazisma: PackageSummary,
}

/// A package's signature files, each verified over the part it signs
/// (`crate::esign`) against the trust store.
fn signature_reports(
    p: &package::Package,
    roots: &[x509_cert::Certificate],
) -> Vec<SignatureReport> {
    p.signatures
        .iter()
        .map(|s| {
            let content = s
                .covers
                .as_deref()
                .and_then(|c| p.part(c))
                .unwrap_or_default();
            let (_, v) = crate::esign::verify(&s.bytes, &[content], roots, crate::now());
            let malformed = v.refusal() == Some(Code::SignatureMalformed);
            SignatureReport {
                part: s.part.clone(),
                role: s.role.clone(),
                covers: s.covers.clone(),
                size: s.bytes.len(),
                status: if malformed {
                    "unverifiable"
                } else if v.valid {
                    "valid"
                } else {
                    "invalid"
                }
                .into(),
                verification: (!malformed).then_some(v),
            }
        })
        .collect()
}

/// The primary file code `code` names, or the nearest parent that is one
/// (`010.06.01` of a sender's own plan files under `010.06`).
fn primary_code(code: &str) -> Option<String> {
    let plan = domain::fileplan::FilePlan::builtin();
    let mut c = code.trim().to_owned();
    while !c.is_empty() {
        if let Ok(f) = plan.primary(&c) {
            return Some(f.code.clone());
        }
        match c.rfind('.') {
            Some(i) => c.truncate(i),
            None => break,
        }
    }
    None
}

/// The file code inside a letter's number (`E-24312041-702.03-1`).
fn code_in_number(number: &str) -> Option<String> {
    let segments: Vec<&str> = number.split('-').collect();
    let candidate = segments.get(segments.len().checked_sub(2)?)?;
    let mut parts = candidate.split('.');
    let head = parts.next()?;
    (head.len() == 3
        && head.chars().all(|c| c.is_ascii_digit())
        && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())))
    .then(|| primary_code(candidate))
    .flatten()
}

/// A name fit for a registered file: no control characters, at most 200
/// characters.
fn file_label(s: &str, fallback: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_control()).take(200).collect();
    match s.trim() {
        "" => fallback.to_owned(),
        s => s.to_owned(),
    }
}

impl App {
    /// Keeps bytes in the blob store, typed by their content (anything the
    /// sniffer does not know is kept as `application/octet-stream`: a
    /// package's parts are the sender's, not ours to refuse).
    /// A package itself is always `application/octet-stream` (its first
    /// bytes may look like an office document's).
    pub(crate) async fn put_bytes(
        &self,
        bytes: Vec<u8>,
        sniff: bool,
    ) -> Result<crate::attachments::BlobRecord> {
        let content_type = sniff
            .then(|| {
                domain::filetype::sniff(
                    &bytes[..bytes.len().min(domain::filetype::SNIFF_LEN)],
                    bytes.len() <= domain::filetype::SNIFF_LEN,
                )
            })
            .flatten()
            .unwrap_or("application/octet-stream")
            .to_owned();
        let stored = self
            .blobs
            .put(futures::stream::iter([Ok::<_, std::io::Error>(
                Bytes::from(bytes),
            )]))
            .await?;
        Ok(crate::attachments::BlobRecord {
            sha256: stored.sha256,
            size: stored.size as i64,
            content_type,
        })
    }

    /// Registers a received e-Yazışma package as incoming correspondence
    /// (m.16/1, the Kalem's): the sender (Olusturan), subject, number and
    /// date, confidentiality and urgency come from the package; its üst
    /// yazı and attachments are stored and go to text extraction; the
    /// package is kept as received. A refused package registers nothing.
    pub async fn import_package(
        &self,
        actor: &User,
        bytes: Bytes,
        options: &ImportOptions,
    ) -> Result<Imported> {
        self.may_register(actor).await?;
        if bytes.is_empty() {
            return Err(AppError::invalid("package", Code::EmptyFile));
        }
        let raw = bytes.clone();
        let p =
            tokio::task::spawn_blocking(move || package::read(&raw, &package::Limits::default()))
                .await
                .map_err(|e| AppError::Internal(e.into()))?
                .map_err(|e| AppError::Package {
                    code: e.code,
                    part: e.part,
                })?;
        let settings = self.settings().await?;
        let ustveri_error = |code| AppError::Package {
            code,
            part: Some("Ustveri/Ustveri.xml".into()),
        };
        // The sender, by the identifier of its kind.
        let s = &p.sender;
        let (sender_kind, sender_id) = match s.kind.as_str() {
            "institution" if domain::outgoing::is_detsis(&s.id) => ("institution", s.id.clone()),
            "person" if s.id.is_empty() => ("person", String::new()),
            "person" => match TcKimlikNo::parse(&s.id) {
                Ok(t) => ("person", t.as_str().to_owned()),
                Err(_) => return Err(ustveri_error(Code::PackageBadSender)),
            },
            "company" if domain::correspondence::valid_vkn(&s.id) => ("company", s.id.clone()),
            _ => return Err(ustveri_error(Code::PackageBadSender)),
        };
        let sender_name = match s.name.trim() {
            "" => s.id.clone(),
            n => n.to_owned(),
        };
        // The line of the distribution list addressed to us, else the
        // first "gereği", else the first.
        let ours = settings.detsis.clone().unwrap_or_default();
        let line = p
            .distribution
            .iter()
            .find(|d| !ours.is_empty() && d.party.id == ours)
            .or_else(|| p.distribution.iter().find(|d| d.purpose == "GRG"))
            .or_else(|| p.distribution.first());
        let date = p.date.map(domain::local::date);
        let (urgency, urgent_date) = match line.map(|d| (d.urgency.as_str(), d.miat.as_deref())) {
            Some(("GNL", Some(miat))) => match (duration_days(miat), date) {
                (Some(days), Some(d)) if days > 0 => (
                    "GNL",
                    d.checked_add(time::Duration::days(days))
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                ),
                // A dated letter without a usable period: at least "acele".
                _ => ("ACL", String::new()),
            },
            Some(("GNL", None)) => ("ACL", String::new()),
            Some((u @ ("ACL" | "NRM"), _)) => (u, String::new()),
            _ => ("NRM", String::new()),
        };
        // 1.x "TSD" (tasnif dışı) is today's YOK; "OZL" (özel) was
        // dropped by the 2020 regulation: kept as restricted (HZO), the
        // safe reading.
        let confidentiality = match p.confidentiality.as_str() {
            "TSD" | "" => "YOK",
            "OZL" => "HZO",
            c => c,
        };
        let (file_code, source) = match options
            .file_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(c) => (c.to_owned(), "request"),
            None => match p.file_codes.iter().find_map(|c| primary_code(c)) {
                Some(c) => (c, "package"),
                None => match code_in_number(&p.number) {
                    Some(c) => (c, "number"),
                    None => (
                        self.correspondence
                            .eyazisma_file_code
                            .clone()
                            .unwrap_or_default(),
                        "setting",
                    ),
                },
            },
        };
        let mut input = RegisterInput {
            channel: Channel::Eyazisma.code().into(),
            sender_kind: sender_kind.into(),
            sender_name,
            sender_id,
            sender_ref: p.number.clone(),
            sender_date: date.map(|d| d.to_string()).unwrap_or_default(),
            subject: p.subject.clone(),
            file_code,
            confidentiality: confidentiality.into(),
            urgency: urgency.into(),
            urgent_date,
            personal_data: options.personal_data.unwrap_or(false)
                || p.names_persons
                || sender_kind == "person",
            legal_basis: options.legal_basis.clone().unwrap_or_default(),
            request_kind: options.request_kind.clone().unwrap_or_default(),
            ..RegisterInput::default()
        };
        // Everything the form would refuse is refused before a file is
        // kept.
        self.check_incoming(actor, &input).await?;
        // The same package twice is the same document: not numbered again.
        let package_sha = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&bytes))
        };
        if !store::attachments::holders(&mut self.read().await?, &package_sha)
            .await?
            .incoming
            .is_empty()
        {
            return Err(AppError::Conflict(Code::PackageAlreadyRegistered));
        }
        // The files: the üst yazı, each attachment in the package, and the
        // package as received.
        let mut files: Vec<(Vec<u8>, String)> = vec![(
            p.part(&p.main_part).unwrap_or_default().to_vec(),
            file_label(&p.main_name, "ustyazi.pdf"),
        )];
        for a in &p.attachments {
            if let Some(part) = &a.part {
                let name = a
                    .file_name
                    .clone()
                    .filter(|f| !f.trim().is_empty())
                    .unwrap_or_else(|| a.name.clone());
                files.push((
                    p.part(part).unwrap_or_default().to_vec(),
                    file_label(&name, "ek"),
                ));
            }
        }
        let package_name = {
            let n: String = match p.number.trim() {
                "" => p.belge_id.clone(),
                n => n.to_owned(),
            }
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
            format!("{n}.eyp")
        };
        files.push((bytes.to_vec(), file_label(&package_name, "paket.eyp")));
        if files.len() > 50 {
            return Err(AppError::invalid("attachments", Code::TooMany));
        }
        let mut records = Vec::with_capacity(files.len());
        let count = files.len();
        for (i, (b, name)) in files.into_iter().enumerate() {
            let rec = self.put_bytes(b, i + 1 < count).await?;
            records.push((rec, name));
        }
        let mut w = self.write().await?;
        let grant = Grant::own_account(actor);
        let mut audits =
            store::Audits::from(self.record_file(&mut w, &grant, &records[0].0).await?);
        for (rec, _) in &records[1..] {
            audits.push(self.record_file(&mut w, &grant, rec).await?);
        }
        w.commit_all(audits).await?;
        input.attachments = records.iter().map(|(r, _)| r.sha256.clone()).collect();
        input.attachment_names = records.iter().map(|(_, n)| n.clone()).collect();
        let document = self.register_incoming(actor, &input).await?;
        Ok(Imported {
            document,
            eyazisma: PackageSummary {
                version: p.version,
                belge_id: p.belge_id.clone(),
                number: p.number.clone(),
                date: p.date.and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                }),
                sender: p.sender.clone(),
                distribution: p.distribution.clone(),
                attachments: p.attachments.clone(),
                refs: p.refs.clone(),
                signers: p.signers.clone(),
                signatures: signature_reports(
                    &p,
                    &crate::esign::trust_store(self.correspondence.trust_dir.as_deref()),
                ),
                file_code_source: source.into(),
                verification_url: p.verification_url.clone(),
            },
        })
    }

    /// Refuses a letter that may not leave as a package: not signed, not
    /// external, or classified where the administration is not authorised
    /// for crypto (m.31/3); the institution's DETSİS number.
    async fn exportable(&self, l: &Letter) -> Result<(String, crate::InstanceSettings)> {
        if !l.state.is_signed() {
            return Err(AppError::Conflict(Code::NotSigned));
        }
        if l.kind() != domain::outgoing::LetterKind::External {
            return Err(AppError::Conflict(Code::NotExternal));
        }
        let level = Confidentiality::parse(&l.confidentiality).unwrap_or(Confidentiality::Secret);
        domain::correspondence::may_dispatch(
            level,
            Channel::Eyazisma,
            &self.correspondence.dispatch_policy(),
        )
        .map_err(|r| AppError::Conflict(Code::of(r.code)))?;
        let settings = self.settings().await?;
        let detsis = settings
            .detsis
            .clone()
            .filter(|d| domain::outgoing::is_detsis(d))
            .ok_or(AppError::Conflict(Code::DetsisNotConfigured))?;
        Ok((detsis, settings))
    }

    /// What the package of `l` holds, before any signature.
    async fn package_of(&self, l: &Letter, pdf: Vec<u8>) -> Result<package::Outgoing> {
        let (detsis, settings) = self.exportable(l).await?;
        let mut attachments = Vec::with_capacity(l.attachments.len());
        for a in &l.attachments {
            attachments.push(package::OutAttachment {
                name: a.name.clone(),
                file_name: file_name_for(&a.name, &a.content_type),
                content_type: a.content_type.clone(),
                bytes: self.read_blob(&a.sha256).await?,
            });
        }
        let number = l.number.clone().unwrap_or_default();
        let signed_at = l.signed_at.unwrap_or(l.created_at);
        let (first, last) = package::split_name(l.signer_name.as_deref().unwrap_or(""));
        let plan = domain::fileplan::FilePlan::builtin();
        let base = self.correspondence.public_url.clone().unwrap_or_default();
        Ok(package::Outgoing {
            belge_id: package::guid(
                format!(
                    "{detsis}/{}/{}",
                    number,
                    l.content_sha256.clone().unwrap_or_default()
                )
                .as_bytes(),
            ),
            subject: l.subject.clone(),
            number: number.clone(),
            date: signed_at,
            confidentiality: l.confidentiality.clone(),
            urgency: l.urgency.clone(),
            miat_days: l
                .urgent_date
                .map(|d| (d - domain::local::date(signed_at)).whole_days()),
            sender: Party {
                kind: "institution".into(),
                name: settings.institution_name.clone(),
                id: detsis,
                scheme: None,
                kep: None,
            },
            recipients: l
                .recipients
                .iter()
                .map(|r| package::OutRecipient {
                    party: Party {
                        kind: match r.kind.as_str() {
                            "person" => "person",
                            "company" => "company",
                            _ => "institution",
                        }
                        .into(),
                        name: r.name.clone(),
                        id: r.detsis.clone().unwrap_or_default(),
                        scheme: None,
                        kep: None,
                    },
                    purpose: if r.role == "info" { "BLG" } else { "GRG" }.into(),
                })
                .collect(),
            refs: l
                .refs
                .iter()
                .enumerate()
                .map(|(i, r)| PackageRef {
                    label: ((b'a' + (i % 26) as u8) as char).to_string(),
                    number: None,
                    date: None,
                    name: Some(r.text.clone()),
                })
                .collect(),
            file_code: l.file_code.clone(),
            file_code_name: plan
                .get(&l.file_code)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            signer_first: first,
            signer_last: last,
            signer_title: l.signer_title.clone(),
            verification_url: format!(
                "{}/dogrula?kod={}",
                base.trim_end_matches('/'),
                l.verification_code.clone().unwrap_or_default()
            ),
            main_name: format!("{number}.pdf"),
            main_pdf: pdf,
            attachments,
            cades: None,
        })
    }

    /// The package summary (PaketOzeti) of a letter's package, the content
    /// an e-imza over the package signs.
    pub async fn package_summary(&self, reader: &User, id: i64) -> Result<Vec<u8>> {
        let (l, pdf) = self.letter_pdf(reader, id).await?;
        Ok(package::summary(&self.package_of(&l, pdf).await?))
    }

    /// A signed external letter as an e-Yazışma 2.x package, for whoever
    /// may read it, with the newest CAdES signature kept over its package
    /// summary in `Imzalar/ImzaCades.imz` (a signature over the canonical
    /// content does not cover the package and is not put in it).
    pub async fn letter_package(&self, reader: &User, id: i64) -> Result<(Letter, Vec<u8>)> {
        use sha2::Digest;
        let (l, pdf) = self.letter_pdf(reader, id).await?;
        let mut o = self.package_of(&l, pdf).await?;
        let summary = hex::encode(sha2::Sha256::digest(package::summary(&o)));
        let kept = store::outgoing::signatures(&mut self.read().await?, id).await?;
        if let Some(s) = kept
            .iter()
            .find(|s| s.format == "CAdES" && s.signed_hash == summary)
        {
            o.cades = Some(self.read_blob(&s.sha256).await?);
        }
        let bytes = tokio::task::spawn_blocking(move || package::write(&o))
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map_err(|e| AppError::Internal(e.into()))?;
        Ok((l, bytes))
    }
}

/// The days of an xsd:duration of whole days (`P5D`); other forms: none.
fn duration_days(s: &str) -> Option<i64> {
    s.trim().strip_prefix('P')?.strip_suffix('D')?.parse().ok()
}

/// An attachment's file name inside the package: its name, with the
/// extension its type calls for when it has none.
fn file_name_for(name: &str, content_type: &str) -> String {
    let ext = match content_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/tiff" => "tif",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.oasis.opendocument.text" => "odt",
        "text/plain" => "txt",
        _ => "bin",
    };
    let lower = name.to_lowercase();
    if lower.ends_with(&format!(".{ext}")) || (ext == "jpg" && lower.ends_with(".jpeg")) {
        name.to_owned()
    } else {
        format!("{name}.{ext}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_code_is_found_in_the_number_or_a_parent() {
        assert_eq!(primary_code("010.06.01").as_deref(), Some("010.06"));
        assert_eq!(
            code_in_number("E-24312041-702.03-1").as_deref(),
            Some("702")
        );
        assert_eq!(
            code_in_number("72131250-010.03-936").as_deref(),
            Some("010.03")
        );
        assert_eq!(code_in_number("1234"), None);
    }

    #[test]
    fn attachment_names_get_their_extension() {
        assert_eq!(file_name_for("Kroki", "application/pdf"), "Kroki.pdf");
        assert_eq!(file_name_for("a.PDF", "application/pdf"), "a.PDF");
        assert_eq!(duration_days("P5D"), Some(5));
        assert_eq!(duration_days("0"), None);
    }
}
