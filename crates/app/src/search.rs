//! Search and digitisation (m.8/19, m.16/2-a): the search use-case with
//! its visibility, keeping the index up with the database, the text
//! extraction jobs, and importing scanned paper documents into the
//! archive.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use domain::authority::{Authority, Grant, SystemTask};
use domain::code::Code;
use store::index::{SearchFilters, SearchIndex, Sort, Visibility};
pub use store::search::{ArchiveItem, TextStatus};
use store::search::{NewArchiveItem, TextOutcome};
use store::{Audit, Audits};
use time::Date;
use tokio::sync::Notify;

use crate::extract::{self, ExtractLimits};
use crate::input::date as parse_date;
use crate::{Actor, App, AppError, Result, User};

pub use store::index::{SearchHit, SearchResults};

/// The search side of the app: the index, and a bell the writers ring so
/// that the indexer does not wait for its next round.
pub struct SearchService {
    pub index: Arc<SearchIndex>,
    pub wake: Notify,
    pub limits: ExtractLimits,
}

/// A search as the box and the filters give it (strings, checked here).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchInput {
    /// Words, `"phrases"` and `prefix*`; anything else is read as words.
    #[serde(default)]
    pub q: String,
    /// `incoming`, `outgoing` (signed letters) or `archive`.
    pub kind: Option<String>,
    /// `incoming` or `petition`.
    pub register: Option<String>,
    /// A file-plan code or group (`010` finds `010.06`).
    pub sdp: Option<String>,
    pub year: Option<String>,
    /// YYYY-MM-DD
    pub from: Option<String>,
    /// YYYY-MM-DD
    pub to: Option<String>,
    pub unit: Option<String>,
    pub sender: Option<String>,
    /// YOK, HZO, OZL, GZL, CGZ
    pub confidentiality: Option<String>,
    /// `relevance` (default) or `date`.
    pub sort: Option<String>,
    /// From 1.
    pub page: Option<String>,
    /// Hits per page, at most 100 (default 20).
    pub per_page: Option<String>,
}

/// What a scan import did with each file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanOutcome {
    Imported(i64),
    AlreadyThere(i64),
    /// Not imported: a stable code for the front ends and a message for
    /// the operator at the console.
    Refused {
        code: Code,
        message: String,
    },
}

fn not_a_scan() -> ScanOutcome {
    ScanOutcome::Refused {
        code: Code::NotAScan,
        message: "taranmış belge değil (PDF, TIFF, JPEG veya PNG olmalı)".into(),
    }
}

fn blank(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl App {
    /// Searches with a Turkish-aware index (see `domain::analysis`); the
    /// hits, the total and the snippets hold only what `user` may see.
    pub async fn search(
        &self,
        user: &User,
        input: &SearchInput,
    ) -> Result<(SearchResults, usize, usize)> {
        let search = self
            .search
            .as_ref()
            .ok_or_else(|| AppError::Unavailable("search index not open".into()))?;
        // The registry is searched by the directorate's people.
        self.may_read_shared(user).await?;
        let q = input.q.trim();
        if q.chars().count() > 500 {
            return Err(AppError::invalid("q", Code::TooLong));
        }
        let number =
            |field: &'static str, v: &Option<String>, min: i64, max: i64| -> Result<Option<i64>> {
                blank(v)
                    .map(|s| {
                        s.parse::<i64>()
                            .ok()
                            .filter(|n| (min..=max).contains(n))
                            .ok_or(AppError::invalid(field, Code::OutOfRange))
                    })
                    .transpose()
            };
        let year = number("year", &input.year, 1900, 2200)?;
        let page = number("page", &input.page, 1, 10_000)?.unwrap_or(1) as usize;
        let per_page = number("per_page", &input.per_page, 1, 100)?.unwrap_or(20) as usize;
        let from: Option<Date> = parse_date("from", blank(&input.from).as_deref().unwrap_or(""))?;
        let to: Option<Date> = parse_date("to", blank(&input.to).as_deref().unwrap_or(""))?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(AppError::invalid("to", Code::BeforeFrom));
            }
        }
        let sort = match blank(&input.sort).as_deref() {
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some(_) => return Err(AppError::invalid("sort", Code::BadSort)),
        };
        let kind = blank(&input.kind);
        if kind
            .as_deref()
            .is_some_and(|k| !["incoming", "outgoing", "archive"].contains(&k))
        {
            return Err(AppError::invalid("kind", Code::BadKind));
        }
        let filters = SearchFilters {
            kind,
            register: blank(&input.register),
            file_code: blank(&input.sdp),
            year,
            from,
            to,
            unit: blank(&input.unit),
            sender: blank(&input.sender),
            confidentiality: blank(&input.confidentiality).map(|c| domain::turkish::to_upper(&c)),
        };
        let v = self.viewer(user).await?;
        let who = if v.routes {
            Visibility::All
        } else {
            Visibility::Only {
                user_id: v.user_id,
                units: v.units,
            }
        };
        let index = search.index.clone();
        let q = q.to_owned();
        let results = tokio::task::spawn_blocking(move || {
            index.search(&q, &filters, &who, sort, (page - 1) * per_page, per_page)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
        Ok((results, page, per_page))
    }

    /// Applies the changes the index has not seen yet (all documents, for
    /// an index never filled); returns how many documents it (re)indexed.
    pub async fn index_catch_up(&self) -> Result<u64> {
        let search = self
            .search
            .as_ref()
            .ok_or_else(|| AppError::Unavailable("search index not open".into()))?;
        let Some(mut applied) = search.index.applied() else {
            return self.index_rebuild(&mut |_, _| {}).await;
        };
        let mut done = 0u64;
        loop {
            let changes =
                store::search::changes_after(&mut self.read().await?, applied, 1000).await?;
            let Some(&(last, _)) = changes.last() else {
                return Ok(done);
            };
            let mut keys: Vec<String> = changes.into_iter().map(|(_, k)| k).collect();
            keys.sort();
            keys.dedup();
            let (docs, gone) = store::search::search_docs(&mut self.read().await?, &keys).await?;
            done += docs.len() as u64;
            let index = search.index.clone();
            tokio::task::spawn_blocking(move || index.apply(&docs, &gone, Some(last)))
                .await
                .map_err(|e| AppError::Internal(e.into()))??;
            applied = last;
        }
    }

    /// Makes the index again from the database: every document, a page at
    /// a time (`progress(done, total)`); until it ends, the index counts as
    /// never filled, so a crash in the middle starts it over.
    pub async fn index_rebuild(&self, progress: &mut (dyn FnMut(u64, u64) + Send)) -> Result<u64> {
        let search = self
            .search
            .as_ref()
            .ok_or_else(|| AppError::Unavailable("search index not open".into()))?;
        let (start, total) = {
            let mut c = self.read().await?;
            (
                store::search::last_change(&mut c).await?,
                store::search::document_count(&mut c).await?,
            )
        };
        let index = search.index.clone();
        tokio::task::spawn_blocking(move || index.clear())
            .await
            .map_err(|e| AppError::Internal(e.into()))??;
        let mut done = 0u64;
        for kind in ["incoming", "outgoing", "archive"] {
            let mut after = 0;
            loop {
                let ids =
                    store::search::doc_keys(&mut self.read().await?, kind, after, 1000).await?;
                let Some(&last) = ids.last() else { break };
                after = last;
                let keys: Vec<String> = ids.iter().map(|id| format!("{kind}:{id}")).collect();
                let (docs, _) = store::search::search_docs(&mut self.read().await?, &keys).await?;
                done += docs.len() as u64;
                let index = search.index.clone();
                tokio::task::spawn_blocking(move || index.apply(&docs, &[], None))
                    .await
                    .map_err(|e| AppError::Internal(e.into()))??;
                progress(done, total);
            }
        }
        let index = search.index.clone();
        tokio::task::spawn_blocking(move || index.apply(&[], &[], Some(start)))
            .await
            .map_err(|e| AppError::Internal(e.into()))??;
        // What changed during the pass (boxed: catching up may rebuild).
        Ok(done + Box::pin(self.index_catch_up()).await?)
    }

    /// Rings the indexer (after a change the searcher should see soon).
    pub fn wake_indexer(&self) {
        if let Some(s) = &self.search {
            s.wake.notify_one();
        }
    }

    /// Runs one text-extraction job, if one is due; `false` when none was.
    pub async fn run_text_job(&self) -> Result<bool> {
        let search = self
            .search
            .as_ref()
            .ok_or_else(|| AppError::Unavailable("search index not open".into()))?;
        let lease =
            search.limits.timeout * 3 + Duration::from_secs(60) * search.limits.ocr_pages.min(30);
        let Some(job) = store::search::claim_text_job(&self.store, lease).await? else {
            return Ok(false);
        };
        let outcome = match self.read_blob(&job.sha256).await {
            Ok(bytes) => {
                extract::extract(&bytes, &job.content_type, job.attempts, &search.limits).await
            }
            Err(e) => {
                tracing::warn!(sha256 = %job.sha256, error = %e, "a file to extract cannot be read");
                TextOutcome::Failed {
                    reason: "missing_file".into(),
                }
            }
        };
        if let TextOutcome::Failed { reason } | TextOutcome::Retry { reason, .. } = &outcome {
            tracing::info!(sha256 = %job.sha256, attempts = job.attempts, reason, "text extraction did not succeed");
        }
        match &outcome {
            // Trying again is bookkeeping; only a final outcome is recorded.
            TextOutcome::Retry { reason, after } => {
                store::search::retry_text_job(&self.store, &job.sha256, reason, *after).await?
            }
            _ => {
                let mut w = self.write().await?;
                store::search::finish_text_job(&mut w, &job.sha256, &outcome).await?;
                let (state, reason, method, pages, chars) = match &outcome {
                    TextOutcome::Done {
                        method,
                        pages,
                        text,
                    } => (
                        "done",
                        None,
                        Some(method),
                        *pages,
                        Some(text.chars().count()),
                    ),
                    TextOutcome::Partial {
                        method,
                        pages,
                        text,
                        reason,
                    } => (
                        "partial",
                        Some(reason),
                        Some(method),
                        *pages,
                        Some(text.chars().count()),
                    ),
                    TextOutcome::Failed { reason } => ("failed", Some(reason), None, None, None),
                    TextOutcome::Retry { .. } => ("queued", None, None, None, None),
                };
                let details = serde_json::json!({"state": state, "reason": reason, "method": method, "pages": pages, "characters": chars});
                w.commit(Audit::new(
                    &Grant::system(SystemTask::TextExtraction),
                    "blob.text_extracted",
                    format!("blob:{}", job.sha256),
                    details,
                ))
                .await?;
            }
        }
        self.wake_indexer();
        Ok(true)
    }

    pub(crate) async fn read_blob(&self, sha256: &str) -> Result<Vec<u8>> {
        use futures::TryStreamExt;
        let mut stream = self
            .blobs
            .get(sha256)
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
        let mut out = Vec::new();
        while let Some(chunk) = stream
            .try_next()
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?
        {
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    /// The text status of these files (queued, running, done, partial,
    /// failed with its reason).
    pub async fn text_statuses(&self, shas: &[String]) -> Result<Vec<TextStatus>> {
        Ok(store::search::text_statuses(&mut self.read().await?, shas).await?)
    }

    /// Files still waiting for their text.
    pub async fn texts_waiting(&self) -> Result<i64> {
        Ok(store::search::texts_waiting(&mut self.read().await?).await?)
    }

    /// The files that waited for a missing tool are taken again now (call
    /// once the tools are there); how many.
    pub async fn retry_missing_tools(&self) -> Result<u64> {
        let n = store::search::retry_missing_tools(&self.store).await?;
        if n > 0 {
            tracing::info!(
                files = n,
                "the text extraction tools are there now: files that waited for them are read"
            );
        }
        Ok(n)
    }

    /// Checks an import's classification: a leaf code of the file plan,
    /// a year not in the future, a unit of the profile (the directorate
    /// when none is given).
    pub fn check_scan_import(&self, sdp: &str, year: i64, unit: Option<&str>) -> Result<String> {
        let plan = domain::fileplan::FilePlan::builtin();
        plan.primary(sdp.trim())
            .map_err(|e| AppError::invalid("sdp", Code::of(e.code())))?;
        crate::input::year(
            "year",
            year,
            i64::from(domain::local::date(crate::now()).year()),
        )?;
        let unit = unit
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| self.profile.directorate().id.clone());
        if self.profile.unit(&unit).is_none() {
            return Err(AppError::invalid("unit", Code::UnknownUnit));
        }
        Ok(unit)
    }

    /// Imports one scanned file into the archive (PDF, TIFF, JPEG, PNG),
    /// once per content.
    pub async fn import_scan(
        &self,
        importer: Actor<'_>,
        source_path: &str,
        bytes: Vec<u8>,
        sdp: &str,
        year: i64,
        unit: &str,
    ) -> Result<ScanOutcome> {
        if let Actor::Person(a) = importer {
            if !self.capabilities(a).await?.digitise {
                return Err(AppError::forbidden(Authority::DigitiseArchive.id()));
            }
        }
        if bytes.is_empty() {
            return Ok(ScanOutcome::Refused {
                code: Code::EmptyFile,
                message: "boş dosya (0 bayt)".into(),
            });
        }
        // What it is, from its first bytes, before anything is stored.
        let kind = domain::filetype::sniff(&bytes[..bytes.len().min(8192)], bytes.len() <= 8192);
        if !matches!(
            kind,
            Some("application/pdf" | "image/png" | "image/jpeg" | "image/tiff")
        ) {
            return Ok(not_a_scan());
        }
        let body = futures::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(bytes))]);
        let stored = match self.put_file(body).await {
            Ok(s) => s,
            Err(AppError::Invalid { .. }) => return Ok(not_a_scan()),
            Err(AppError::TooLarge { limit }) => {
                return Ok(ScanOutcome::Refused {
                    code: Code::TooLarge,
                    message: format!("dosya boyut sınırını aşıyor ({} MB)", limit >> 20),
                })
            }
            Err(e) => return Err(e),
        };
        self.import_stored_scan(importer, source_path, &stored, sdp, year, unit)
            .await
    }

    /// Imports a file a page has just uploaded (by its SHA-256) into the
    /// archive, once per content; only scans (PDF, TIFF, JPEG, PNG).
    pub async fn import_uploaded_scan(
        &self,
        importer: &User,
        name: &str,
        sha256: &str,
        sdp: &str,
        year: i64,
        unit: &str,
    ) -> Result<ScanOutcome> {
        let stored = store::attachments::get(&mut self.read().await?, sha256)
            .await?
            .ok_or(AppError::NotFound)?;
        self.import_stored_scan(Actor::Person(importer), name, &stored, sdp, year, unit)
            .await
    }

    /// Imports a file already in the blob store into the archive, once per
    /// content; only scans (PDF, TIFF, JPEG, PNG).
    pub(crate) async fn import_stored_scan(
        &self,
        importer: Actor<'_>,
        source_path: &str,
        stored: &store::attachments::BlobRecord,
        sdp: &str,
        year: i64,
        unit: &str,
    ) -> Result<ScanOutcome> {
        if !matches!(
            stored.content_type.as_str(),
            "application/pdf" | "image/png" | "image/jpeg" | "image/tiff"
        ) {
            return Ok(not_a_scan());
        }
        let actor = match importer {
            Actor::Person(a) => Some(a),
            Actor::Operator => None,
        };
        let title = Path::new(source_path)
            .file_stem()
            .map(|s| s.to_string_lossy().replace(['_', '-'], " "))
            .unwrap_or_default();
        let item = NewArchiveItem {
            sha256: stored.sha256.clone(),
            title: title.trim().to_owned(),
            source_path: source_path.to_owned(),
            file_code: sdp.trim().to_owned(),
            year,
            unit: unit.to_owned(),
        };
        let mut w = self.write().await?;
        // Decided inside the write: a revoked authority imports nothing.
        let grant = match actor {
            Some(a) => self.grant(&mut w, a, Authority::DigitiseArchive).await?,
            None => Grant::system(SystemTask::Command),
        };
        let mut audits = Audits::from(self.record_file(&mut w, &grant, stored).await?);
        // The import is keyed on the content: a resumed import adds nothing twice.
        if let Some(id) = store::search::archive_item_by_content(&mut w, &item.sha256).await? {
            w.commit_all(audits).await?;
            return Ok(ScanOutcome::AlreadyThere(id));
        }
        let id = store::search::insert_archive_item(&mut w, &item, actor.map(|a| a.id)).await?;
        audits.push(Audit::new(&grant, "archive.imported", format!("archive:{id}"), serde_json::json!({"after": {"sha256": item.sha256, "title": item.title,
            "source_path": item.source_path, "file_code": item.file_code, "year": item.year, "unit": item.unit}})));
        w.commit_all(audits).await?;
        self.wake_indexer();
        Ok(ScanOutcome::Imported(id))
    }

    /// An item of the digital archive. Scanned paper carries no
    /// confidentiality of its own here (it is filed by code, unit and year
    /// as public-service records), so any member of the directorate reads it.
    pub async fn archive_item(&self, reader: &User, id: i64) -> Result<ArchiveItem> {
        self.may_read_shared(reader).await?;
        Ok(store::search::archive_item(&mut self.read().await?, id).await?)
    }
}

/// Runs the indexer and the text workers until the process ends: the
/// indexer catches up at start (after a crash too) and whenever rung or
/// every few seconds; `workers` extraction jobs run at a time at most.
pub fn spawn_background(app: App, workers: usize) {
    let Some(search) = app.search.clone() else {
        return;
    };
    // Asking Tesseract for its languages starts a process: off the start path.
    // Every minute: files that waited for a missing tool are taken again
    // as soon as it is installed, not after their backoff.
    let languages = search.limits.languages.clone();
    let watcher = app.clone();
    tokio::spawn(async move {
        let mut warned = false;
        loop {
            let langs = languages.clone();
            let missing = tokio::task::spawn_blocking(move || extract::missing_tools(&langs))
                .await
                .unwrap_or_default();
            if missing.is_empty() {
                if let Err(e) = watcher.retry_missing_tools().await {
                    tracing::warn!(error = %e, "could not requeue the files waiting for a tool");
                }
            } else if !warned {
                tracing::warn!(
                    missing = %missing.join(", "),
                    "text extraction needs tools that are not installed; files wait until they are \
                     (sudo apt-get install poppler-utils tesseract-ocr tesseract-ocr-tur)"
                );
                warned = true;
            }
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    });
    let indexer = app.clone();
    tokio::spawn(async move {
        loop {
            match indexer.index_catch_up().await {
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "the search index could not catch up; trying again")
                }
            }
            // Woken at once by a change made here; a change made by another
            // node (on the same PostgreSQL) is seen within a second.
            let _ = tokio::time::timeout(Duration::from_secs(1), search.wake.notified()).await;
            // Let a burst of changes gather before the next commit.
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    for _ in 0..workers.max(1) {
        let worker = app.clone();
        tokio::spawn(async move {
            loop {
                match worker.run_text_job().await {
                    Ok(true) => continue,
                    Ok(false) => tokio::time::sleep(Duration::from_secs(2)).await,
                    Err(e) => {
                        tracing::error!(error = %e, "a text extraction job failed; trying again");
                        tokio::time::sleep(Duration::from_secs(5)).await;
                    }
                }
            }
        });
    }
}
