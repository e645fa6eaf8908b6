//! The archive (m.22; Devlet Arşiv Hizmetleri Hakkında Yönetmelik): files
//! per Standard File Plan code, unit and year (or matter) with the plan's
//! retention; filing completed documents into the file of their own code
//! and year; legal holds; the yearly transfer list, the State Archives'
//! list and the list of files past their retention; and disposal lists,
//! proposed on the ayıklama-imha commission's decision and carried out
//! once approved. The rules are `domain::archive`'s.

use domain::archive::{self as rules, Disposition, FileSpan};
use domain::authority::Authority;
use domain::code::Code;
pub use store::archive::{ArchiveFile, Disposal};
use store::archive::{FileList, NewDisposal, NewFile};
use store::{Audit, Audits};

use crate::input::{date, text, year};
use crate::{now, App, AppError, Result, User};

pub use store::archive::Tombstone;

/// A file to open.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FileInput {
    /// A leaf code of the Standard File Plan.
    pub file_code: String,
    /// A unit of the profile (default: the directorate).
    pub unit: String,
    pub year: i64,
    /// Default: the code's name in the plan.
    pub title: String,
    /// `yearly` (default) or `matter` (one matter over several years,
    /// closed when it ends).
    pub span: String,
}

/// A commission decision to dispose of files.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DisposalInput {
    pub decision_ref: String,
    /// YYYY-MM-DD
    pub decision_date: String,
    /// The ayıklama-imha commission: at least three distinct members.
    pub members: Vec<String>,
    pub note: String,
    pub files: Vec<i64>,
}

/// The `[archive]` settings.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ArchiveSettings {
    /// A disposal list is approved only with the State Archives'
    /// favourable opinion recorded (its date and number). The 1988
    /// regulation required it (m.38, as amended in 2001); whether the 2019
    /// text still does could not be confirmed: on, the safe reading.
    pub state_archives_opinion: bool,
}

impl Default for ArchiveSettings {
    fn default() -> Self {
        ArchiveSettings {
            state_archives_opinion: true,
        }
    }
}

/// The approval of a disposal list.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ApprovalInput {
    /// The State Archives' favourable opinion: its date and number
    /// (required unless `[archive] state_archives_opinion = false`).
    pub state_archives_opinion: String,
}

/// A legal hold placed on (or lifted from) a file.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct HoldInput {
    /// `litigation`, `investigation`, `audit`; empty lifts the hold.
    pub hold: String,
    /// What it rests on (the case number, the inspector's letter).
    pub note: String,
}

/// A file with what may happen to it this year.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FileView {
    #[serde(flatten)]
    pub file: ArchiveFile,
    /// What may happen to it this year: `{"kind": "retained", "until":
    /// 2030}`, `transfer_to_state_archives`, `disposable`, `held`…
    pub disposition: Disposition,
    /// The first year its disposal code may be applied, when known.
    pub first_action_year: Option<i32>,
}

fn this_year() -> i32 {
    domain::local::date(now()).year()
}

fn view(file: ArchiveFile) -> FileView {
    let y = this_year();
    let facts = file.facts();
    FileView {
        disposition: rules::disposition(&facts, y),
        first_action_year: rules::first_action_year(&facts),
        file,
    }
}

impl App {
    /// Opens a file; its retention and disposal code come from the plan.
    /// The Kalem keeps the files (m.16/1).
    pub async fn open_archive_file(&self, actor: &User, input: &FileInput) -> Result<FileView> {
        let code = text("file_code", &input.file_code, 30, true)?;
        let entry = domain::fileplan::FilePlan::builtin()
            .primary(&code)
            .map_err(|e| AppError::invalid("file_code", Code::of(e.code())))?;
        let year = year("year", input.year, i64::from(this_year()))?;
        let unit = match input.unit.trim() {
            "" => self.profile.directorate().id.clone(),
            u if self.profile.unit(u).is_some() => u.to_owned(),
            _ => return Err(AppError::invalid("unit", Code::UnknownUnit)),
        };
        let span = match input.span.trim() {
            "" | "yearly" => FileSpan::Yearly,
            "matter" => FileSpan::Matter,
            _ => return Err(AppError::invalid("span", Code::BadSpan)),
        };
        let title = match text("title", &input.title, 300, false)? {
            t if t.is_empty() => entry.name.clone(),
            t => t,
        };
        let f = NewFile {
            file_code: code,
            unit,
            year,
            span,
            title,
            retention: entry.retention.clone().unwrap_or_default(),
            disposal_code: entry.disposal.clone().unwrap_or_default(),
        };
        let mut w = self.write().await?;
        let grant = self
            .grant(&mut w, actor, Authority::RegisterCorrespondence)
            .await?;
        let id = store::archive::open_file(&mut w, &f, actor.id).await?;
        let details = serde_json::json!({"after": {"file_code": f.file_code, "unit": f.unit, "year": f.year, "span": input.span.trim(), "title": f.title,
            "retention": f.retention, "disposal_code": f.disposal_code}});
        w.commit(Audit::new(
            &grant,
            "archive.file_opened",
            format!("file:{id}"),
            details,
        ))
        .await?;
        self.archive_file(actor, id).await
    }

    /// One file, with what may happen to it. Files hold nothing personal
    /// by themselves (their documents keep their own visibility), so any
    /// member of the directorate may see one.
    pub async fn archive_file(&self, reader: &User, id: i64) -> Result<FileView> {
        self.may_read_shared(reader).await?;
        Ok(view(
            store::archive::file(&mut self.read().await?, id).await?,
        ))
    }

    /// Files a document (`incoming:ID`, `outgoing:ID`, `archive:ID`) into
    /// a file: only once completed, only into the open file of its own
    /// code and year (Devlet Arşiv Hizmetleri Yönetmeliği m.10–12; m.22).
    pub async fn file_document(&self, actor: &User, file_id: i64, doc: &str) -> Result<()> {
        let doc = doc.trim();
        let unknown = |e: AppError| {
            if matches!(e, AppError::NotFound) {
                AppError::invalid("doc", Code::UnknownDocument)
            } else {
                e
            }
        };
        if let Some(id) = doc.strip_prefix("incoming:").and_then(|i| i.parse().ok()) {
            self.incoming(actor, id).await.map_err(unknown)?;
        } else if let Some(id) = doc.strip_prefix("outgoing:").and_then(|i| i.parse().ok()) {
            self.letter(actor, id).await.map_err(unknown)?;
        } else if !doc
            .strip_prefix("archive:")
            .is_some_and(|i| i.parse::<i64>().is_ok())
        {
            return Err(AppError::invalid("doc", Code::BadDocument));
        }
        let mut w = self.write().await?;
        let grant = self
            .grant(&mut w, actor, Authority::RegisterCorrespondence)
            .await?;
        let f = store::archive::file(&mut w, file_id).await?;
        let Some((code, doc_year, completed)) =
            store::archive::document_facts(&mut w, doc)
                .await
                .map_err(|e| AppError::from(e).on_field(Code::BadDocument, "doc"))?
        else {
            return Err(AppError::invalid("doc", Code::UnknownDocument));
        };
        rules::may_file(
            &rules::DocumentFacts {
                code: &code,
                year: doc_year as i32,
                completed,
            },
            &f.facts(),
        )
        .map_err(|e| AppError::Conflict(Code::of(e.code())))?;
        store::archive::file_document(&mut w, file_id, doc, actor.id).await?;
        w.commit(Audit::new(&grant, "archive.document_filed", doc, serde_json::json!({"after": {"file": file_id, "file_code": f.file_code, "year": f.year}}))).await?;
        Ok(())
    }

    /// "Dosyala": files a closed incoming document or a signed letter into
    /// the directorate's file of its code and year, opening that file if
    /// it is not open yet (m.22: completed documents are filed).
    pub async fn file_into_archive(&self, actor: &User, doc: &str) -> Result<FileView> {
        let (code, year) =
            if let Some(id) = doc.strip_prefix("incoming:").and_then(|i| i.parse().ok()) {
                let d = self.incoming(actor, id).await?.document;
                if d.state != domain::incoming::State::Closed {
                    return Err(AppError::Conflict(Code::NotCompleted));
                }
                (
                    d.file_code,
                    i64::from(domain::local::date(d.registered_at).year()),
                )
            } else if let Some(id) = doc.strip_prefix("outgoing:").and_then(|i| i.parse().ok()) {
                let l = self.letter(actor, id).await?.letter;
                let Some(at) = l.signed_at else {
                    return Err(AppError::Conflict(Code::NotCompleted));
                };
                (l.file_code, i64::from(domain::local::date(at).year()))
            } else {
                return Err(AppError::invalid("doc", Code::BadDocument));
            };
        let unit = self.profile.directorate().id.clone();
        let found = store::archive::find_file(&mut self.read().await?, &code, &unit, year).await?;
        let id = match found {
            Some(id) => id,
            None => {
                self.open_archive_file(
                    actor,
                    &FileInput {
                        file_code: code,
                        unit,
                        year,
                        ..Default::default()
                    },
                )
                .await?
                .file
                .id
            }
        };
        self.file_document(actor, id, doc).await?;
        self.archive_file(actor, id).await
    }

    /// A file and its documents (`incoming:5`…), in the order they were filed.
    pub async fn archive_file_with_documents(
        &self,
        reader: &User,
        id: i64,
    ) -> Result<(FileView, Vec<String>)> {
        let f = self.archive_file(reader, id).await?;
        Ok((
            f,
            store::archive::file_documents(&mut self.read().await?, id).await?,
        ))
    }

    /// The register numbers of filed documents (`incoming:5` → `2026/5`),
    /// for the pages that list them by number rather than by id.
    pub async fn document_numbers(
        &self,
        keys: &[String],
    ) -> Result<std::collections::HashMap<String, String>> {
        Ok(store::archive::document_numbers(&mut self.read().await?, keys).await?)
    }

    /// The file a document is in, if it has been filed and the reader may
    /// see the document.
    pub async fn file_of_document(&self, reader: &User, doc: &str) -> Result<Option<FileView>> {
        if let Some(id) = doc.strip_prefix("incoming:").and_then(|i| i.parse().ok()) {
            self.incoming(reader, id).await?;
        } else if let Some(id) = doc.strip_prefix("outgoing:").and_then(|i| i.parse().ok()) {
            self.letter(reader, id).await?;
        }
        Ok(store::archive::file_of(&mut self.read().await?, doc)
            .await?
            .map(view))
    }

    /// Closes a file: nothing more is filed into it, and (for a matter
    /// file) its retention counts from the end of this year.
    pub async fn close_archive_file(&self, actor: &User, id: i64) -> Result<()> {
        let mut w = self.write().await?;
        let grant = self
            .grant(&mut w, actor, Authority::RegisterCorrespondence)
            .await?;
        let f = store::archive::file(&mut w, id).await?;
        if f.state != "open" {
            return Err(AppError::Conflict(Code::FileNotOpen));
        }
        let closed_year = i64::from(domain::local::date(w.at()).year());
        store::archive::close_file(&mut w, id, actor.id, closed_year).await?;
        let details = serde_json::json!({"before": {"state": "open"}, "after": {"state": "closed", "closed_year": closed_year, "documents": f.documents}});
        w.commit(Audit::new(
            &grant,
            "archive.file_closed",
            format!("file:{id}"),
            details,
        ))
        .await?;
        Ok(())
    }

    /// Places or lifts a legal hold (litigation, investigation, audit): a
    /// held file is disposed of whatever its retention never.
    pub async fn hold_archive_file(
        &self,
        actor: &User,
        id: i64,
        input: &HoldInput,
    ) -> Result<FileView> {
        let hold = match input.hold.trim() {
            "" => None,
            h => Some(
                store::archive::parse_hold(h).ok_or(AppError::invalid("hold", Code::BadHold))?,
            ),
        };
        let note = crate::input::lines("note", &input.note, 500, hold.is_some())?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::DisposeArchive).await?;
        let f = store::archive::file(&mut w, id).await?;
        if f.state == "disposed" {
            return Err(AppError::Conflict(Code::AlreadyDisposed));
        }
        if hold.is_none() && f.legal_hold.is_none() {
            return Err(AppError::Conflict(Code::NoHold));
        }
        store::archive::set_hold(&mut w, id, hold, &note).await?;
        let details = serde_json::json!({"before": {"legal_hold": f.legal_hold, "note": f.hold_note}, "after": {"legal_hold": hold.map(|h| h.code()), "note": note}});
        w.commit(Audit::new(
            &grant,
            if hold.is_some() {
                "archive.hold_placed"
            } else {
                "archive.hold_lifted"
            },
            format!("file:{id}"),
            details,
        ))
        .await?;
        self.archive_file(actor, id).await
    }

    /// `open`, `transfer` (the closed files of `year`: the yearly transfer
    /// to the unit archive), `state_archives` (retention over, bound for
    /// the State Archives) or `expired` (retention over, to be disposed of
    /// or reviewed by the commission).
    pub async fn archive_files(
        &self,
        reader: &User,
        list: &str,
        year: Option<i64>,
    ) -> Result<Vec<FileView>> {
        self.may_read_shared(reader).await?;
        let this_year = this_year();
        let (query, keep): (FileList, fn(Disposition) -> bool) = match list.trim() {
            "" | "open" => (FileList::Open, |_| true),
            "transfer" => (
                FileList::ClosedIn {
                    year: year.unwrap_or(i64::from(this_year) - 1),
                },
                |_| true,
            ),
            "state_archives" => (
                FileList::MaybeExpired {
                    this_year: i64::from(this_year),
                },
                |d| d == Disposition::TransferToStateArchives,
            ),
            "expired" => (
                FileList::MaybeExpired {
                    this_year: i64::from(this_year),
                },
                Disposition::may_be_disposed,
            ),
            _ => return Err(AppError::invalid("list", Code::BadList)),
        };
        let files = store::archive::files(&mut self.read().await?, query, 1000).await?;
        Ok(files
            .into_iter()
            .map(view)
            .filter(|v| keep(v.disposition))
            .collect())
    }

    /// A disposal list: the decision, its files and (once carried out) the
    /// tombstones of what it disposed.
    pub async fn disposal(&self, reader: &User, id: i64) -> Result<Disposal> {
        self.may_read_shared(reader).await?;
        Ok(store::archive::disposal(&mut self.read().await?, id).await?)
    }

    /// Disposal lists awaiting approval.
    pub async fn pending_disposals(&self, reader: &User) -> Result<Vec<Disposal>> {
        let mut c = self.read().await?;
        let mut out = Vec::new();
        for id in store::archive::pending_disposals(&mut c).await? {
            out.push(self.disposal(reader, id).await?);
        }
        Ok(out)
    }

    /// Records the commission's disposal list (`dispose_archive`, m.22): all
    /// its files must be past their retention and disposable (not held,
    /// not bound for the State Archives, not kept at the institution), or
    /// none is listed. It is carried out when the holder of
    /// `approve_disposal` approves it; at once when the proposer holds that
    /// too.
    pub async fn dispose_files(&self, actor: &User, input: &DisposalInput) -> Result<Disposal> {
        let decision_ref = text("decision_ref", &input.decision_ref, 200, true)?;
        let decision_date = date("decision_date", &input.decision_date)?
            .ok_or(AppError::invalid("decision_date", Code::Required))?;
        if decision_date > domain::local::date(now()) {
            return Err(AppError::invalid("decision_date", Code::DateInFuture));
        }
        let members = rules::commission(&input.members)
            .map_err(|e| AppError::invalid("members", Code::of(e.code())))?;
        if input.files.is_empty() || input.files.len() > 1000 {
            return Err(AppError::invalid(
                "files",
                if input.files.is_empty() {
                    Code::Required
                } else {
                    Code::TooMany
                },
            ));
        }
        let mut files = input.files.clone();
        files.sort_unstable();
        files.dedup();
        let d = NewDisposal {
            decision_ref,
            decision_date,
            members,
            note: crate::input::lines("note", &input.note, 2000, false)?,
            files,
        };
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::DisposeArchive).await?;
        let this_year = domain::local::date(w.at()).year();
        let mut listed = Vec::new();
        for id in &d.files {
            let f = store::archive::file(&mut w, *id)
                .await
                .map_err(|e| AppError::from(e).on_field(Code::NotFound, "files"))?;
            match rules::disposition(&f.facts(), this_year) {
                Disposition::Disposable | Disposition::CommissionReview => {}
                Disposition::Disposed => return Err(AppError::Conflict(Code::AlreadyDisposed)),
                Disposition::OpenStill => return Err(AppError::Conflict(Code::FileNotClosed)),
                Disposition::Held { .. } => return Err(AppError::Conflict(Code::LegalHold)),
                Disposition::TransferToStateArchives => {
                    return Err(AppError::Conflict(Code::GoesToStateArchives))
                }
                Disposition::KeptUntilMatterEnds => {
                    return Err(AppError::Conflict(Code::KeptAtInstitution))
                }
                Disposition::Retained { .. } | Disposition::BadCodes => {
                    return Err(AppError::Conflict(Code::RetentionNotOver))
                }
            }
            listed.push(f);
        }
        if !store::archive::files_pending(&mut w, &d.files)
            .await?
            .is_empty()
        {
            return Err(AppError::Conflict(Code::OnPendingList));
        }
        let id = store::archive::propose_disposal(&mut w, &d, actor.id).await?;
        // Nothing is destroyed yet: another person approves it.
        w.commit(Audit::new(&grant, "archive.disposal_proposed", format!("disposal:{id}"), serde_json::json!({"after": {
            "decision_ref": d.decision_ref, "decision_date": d.decision_date.to_string(), "members": d.members, "files": d.files,
            "files_listed": listed.len()}})))
            .await?;
        self.disposal(actor, id).await
    }

    /// The holder of `approve_disposal` (the Mayor, or whom he authorised)
    /// approves a disposal list: its files' content is destroyed, their
    /// tombstones stay. Each file is checked again: one that was placed
    /// under a hold since stops the whole list.
    pub async fn approve_disposal(
        &self,
        actor: &User,
        id: i64,
        input: &ApprovalInput,
    ) -> Result<Disposal> {
        let opinion = text(
            "state_archives_opinion",
            &input.state_archives_opinion,
            200,
            false,
        )?;
        let mut w = self.write().await?;
        let grant = self
            .grant(&mut w, actor, Authority::ApproveDisposal)
            .await?;
        let d = store::archive::disposal(&mut w, id).await?;
        let facts = rules::ApprovalFacts {
            awaiting: d.state == "awaiting_approval",
            proposed_by: d.recorded_by_id,
            approver: actor.id,
            opinion: &opinion,
            opinion_required: self.archive.state_archives_opinion,
        };
        rules::may_approve(&facts).map_err(|e| match e {
            rules::ApprovalRefusal::OpinionRequired => {
                AppError::invalid("state_archives_opinion", Code::of(e.code()))
            }
            e => AppError::Conflict(Code::of(e.code())),
        })?;
        let this_year = domain::local::date(w.at()).year();
        let mut listed = Vec::new();
        for fid in &d.files {
            let f = store::archive::file(&mut w, *fid).await?;
            if !rules::disposition(&f.facts(), this_year).may_be_disposed() {
                return Err(AppError::Conflict(if f.legal_hold.is_some() {
                    Code::LegalHold
                } else {
                    Code::RetentionNotOver
                }));
            }
            listed.push(f);
        }
        let mut audits = Audits::from(Audit::new(
            &grant,
            "archive.disposal_approved",
            format!("disposal:{id}"),
            serde_json::json!({"after": {"state": "done", "state_archives_opinion": opinion}}),
        ));
        self.carry_out(&mut w, id, &listed, &grant, &mut audits, actor, &opinion)
            .await?;
        w.commit_all(audits).await?;
        self.wake_indexer();
        // The bytes of the files destroyed go now; if this fails (the
        // store is down), the decision stands (nobody can read them) and
        // the collector finishes at its next round.
        if let Err(e) = self.destroy_decided().await {
            tracing::warn!(error = %e, disposal = id, "the disposed files' bytes are removed at the next collection round");
        }
        self.disposal(actor, id).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn carry_out(
        &self,
        w: &mut store::Write,
        id: i64,
        files: &[ArchiveFile],
        grant: &domain::authority::Grant,
        audits: &mut Audits,
        actor: &User,
        opinion: &str,
    ) -> Result<()> {
        let d = store::archive::disposal(w, id).await?;
        let mut changed = Vec::new();
        for f in files {
            let docs = store::archive::dispose_file(w, f, id).await?;
            audits.push(Audit::new(grant, "archive.file_disposed", format!("file:{}", f.id), serde_json::json!({"before": {"state": "closed"}, "after": {
                "state": "disposed", "disposal": id, "decision_ref": d.decision_ref, "decision_date": d.decision_date, "members": d.members,
                "file_code": f.file_code, "year": f.year, "documents": docs}})));
            changed.extend(docs);
        }
        store::archive::approve_disposal(w, id, actor.id, opinion).await?;
        store::search::note_changes(w, &changed).await?;
        Ok(())
    }
}
