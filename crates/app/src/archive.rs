//! The archive (m.22): files per Standard File Plan code, unit and year,
//! with the plan's retention; filing signed and registered documents; the
//! yearly transfer list and the list of files past their retention; and
//! disposal on the ayıklama-imha commission's decision (at least three
//! members), which never touches files bound for the State Archives.

use store::archive::{ArchiveFile, FileList, NewDisposal};
use store::User;
use time::OffsetDateTime;

use crate::correspondence::{local_date, parse_date, text};
use crate::{App, AppError, Result};

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
}

/// A commission decision to dispose of files.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DisposalInput {
    pub decision_ref: String,
    /// YYYY-MM-DD
    pub decision_date: String,
    /// The ayıklama-imha commission: at least three members.
    pub members: Vec<String>,
    pub note: String,
    pub files: Vec<i64>,
}

impl App {
    /// Opens a file; its retention and disposal code come from the plan.
    pub async fn open_archive_file(&self, actor: &User, input: &FileInput) -> Result<ArchiveFile> {
        let code = text("file_code", &input.file_code, 30, true)?;
        let entry = domain::fileplan::FilePlan::builtin().primary(&code).map_err(|e| AppError::invalid("file_code", e.code()))?;
        let this_year = i64::from(OffsetDateTime::now_utc().year());
        if !(1900..=this_year).contains(&input.year) {
            return Err(AppError::invalid("year", "bad_year"));
        }
        let directorate = self.profile.units().iter().find(|u| u.kind == "directorate").map(|u| u.id.clone()).unwrap_or_default();
        let unit = match input.unit.trim() {
            "" => directorate,
            u if self.profile.unit(u).is_some() => u.to_owned(),
            _ => return Err(AppError::invalid("unit", "unknown_unit")),
        };
        let title = match text("title", &input.title, 300, false)? {
            t if t.is_empty() => entry.name.clone(),
            t => t,
        };
        let (retention, disposal) = (entry.retention.clone().unwrap_or_default(), entry.disposal.clone().unwrap_or_default());
        let id = self.store.open_archive_file(&self.profile, actor, &code, &unit, input.year, &title, &retention, &disposal).await?;
        Ok(self.store.archive_file(id).await?)
    }

    pub async fn archive_file(&self, _reader: &User, id: i64) -> Result<ArchiveFile> {
        Ok(self.store.archive_file(id).await?)
    }

    /// Files a document (`incoming:ID`, `outgoing:ID`, `archive:ID`) into an
    /// open file of its code.
    pub async fn file_document(&self, actor: &User, file_id: i64, doc: &str) -> Result<()> {
        let doc = doc.trim();
        if let Some(id) = doc.strip_prefix("incoming:").and_then(|i| i.parse().ok()) {
            self.incoming(actor, id).await.map_err(|e| if matches!(e, AppError::NotFound) { AppError::invalid("doc", "unknown_document") } else { e })?;
        } else if let Some(id) = doc.strip_prefix("outgoing:").and_then(|i| i.parse().ok()) {
            self.letter(actor, id).await.map_err(|e| if matches!(e, AppError::NotFound) { AppError::invalid("doc", "unknown_document") } else { e })?;
        } else if !doc.starts_with("archive:") {
            return Err(AppError::invalid("doc", "bad_document"));
        }
        self.store.file_document(&self.profile, actor, file_id, doc).await.map_err(|e| match e {
            store::StoreError::Conflict(c @ ("unknown_document" | "bad_document")) => AppError::invalid("doc", c),
            e => e.into(),
        })
    }

    /// "Dosyala": files a closed incoming document or a signed letter into
    /// the directorate's file of its code and year, opening that file if
    /// it is not open yet (m.22: completed documents are filed).
    pub async fn file_into_archive(&self, actor: &User, doc: &str) -> Result<ArchiveFile> {
        let (code, year) = if let Some(id) = doc.strip_prefix("incoming:").and_then(|i| i.parse().ok()) {
            let d = self.incoming(actor, id).await?;
            if d.state != "closed" {
                return Err(AppError::Conflict("not_completed"));
            }
            (d.file_code, i64::from(local_date(d.registered_at).year()))
        } else if let Some(id) = doc.strip_prefix("outgoing:").and_then(|i| i.parse().ok()) {
            let l = self.letter(actor, id).await?;
            let Some(at) = l.signed_at else { return Err(AppError::Conflict("not_completed")) };
            (l.file_code, i64::from(local_date(at).year()))
        } else {
            return Err(AppError::invalid("doc", "bad_document"));
        };
        let unit = self.profile.units().iter().find(|u| u.kind == "directorate").map(|u| u.id.clone()).unwrap_or_default();
        let id = match self.store.find_archive_file(&code, &unit, year).await? {
            Some(id) => id,
            None => self.open_archive_file(actor, &FileInput { file_code: code, unit, year, title: String::new() }).await?.id,
        };
        self.file_document(actor, id, doc).await?;
        Ok(self.store.archive_file(id).await?)
    }

    /// A file and its documents (`incoming:5`…), in the order they were filed.
    pub async fn archive_file_with_documents(&self, reader: &User, id: i64) -> Result<(ArchiveFile, Vec<String>)> {
        let f = self.archive_file(reader, id).await?;
        Ok((f, self.store.archive_file_documents(id).await?))
    }

    /// The file a document is in, if it has been filed.
    pub async fn file_of_document(&self, doc: &str) -> Result<Option<ArchiveFile>> {
        Ok(self.store.file_of_document(doc).await?)
    }

    pub async fn close_archive_file(&self, actor: &User, id: i64) -> Result<()> {
        Ok(self.store.close_archive_file(&self.profile, actor, id).await?)
    }

    /// `transfer` (the closed files of `year`), `expired` (past their
    /// retention this year) or `open`.
    pub async fn archive_files(&self, list: &str, year: Option<i64>) -> Result<Vec<ArchiveFile>> {
        let this_year = i64::from(local_date(OffsetDateTime::now_utc()).year());
        let list = match list.trim() {
            "" | "open" => FileList::Open,
            "transfer" => FileList::Transfer { year: year.unwrap_or(this_year - 1) },
            "expired" => FileList::Expired { this_year },
            _ => return Err(AppError::invalid("list", "bad_list")),
        };
        Ok(self.store.archive_files(list, 1000).await?)
    }

    /// A disposal: the decision and the tombstones of what it disposed.
    pub async fn disposal(&self, _reader: &User, id: i64) -> Result<store::archive::Disposal> {
        Ok(self.store.disposal(id).await?)
    }

    /// Disposes of files on the commission's recorded decision: all of
    /// them, or none when any is still open, within its retention, kept at
    /// the institution (B) or bound for the State Archives (A…).
    pub async fn dispose_files(&self, actor: &User, input: &DisposalInput) -> Result<i64> {
        let decision_ref = text("decision_ref", &input.decision_ref, 200, true)?;
        let decision_date = parse_date("decision_date", &input.decision_date)?.ok_or(AppError::invalid("decision_date", "required"))?;
        let today = local_date(OffsetDateTime::now_utc());
        if decision_date > today {
            return Err(AppError::invalid("decision_date", "date_in_future"));
        }
        let mut members: Vec<String> = input.members.iter().map(|m| m.trim().to_owned()).filter(|m| !m.is_empty()).collect();
        members.dedup();
        if members.len() < 3 {
            return Err(AppError::invalid("members", "commission_too_small"));
        }
        if input.files.is_empty() || input.files.len() > 1000 {
            return Err(AppError::invalid("files", if input.files.is_empty() { "required" } else { "too_many" }));
        }
        let d = NewDisposal { decision_ref, decision_date, members, note: text("note", &input.note, 2000, false)?, files: input.files.clone() };
        let id = self.store.dispose_files(&self.profile, actor, &d, i64::from(today.year())).await?;
        self.wake_indexer();
        Ok(id)
    }
}
