//! Search and digitisation (m.8/19, m.16/2-a): the search use-case with
//! its visibility, keeping the index up with the database, the text
//! extraction jobs, and importing scanned paper documents into the
//! archive.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use store::index::{SearchFilters, SearchIndex, SearchResults, Sort, Visibility};
use store::search::{ArchiveItem, Imported, NewArchiveItem, TextOutcome, TextStatus};
use store::User;
use time::Date;
use tokio::sync::Notify;

use crate::correspondence::parse_date;
use crate::extract::{self, ExtractLimits};
use crate::{App, AppError, Result};

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
    Refused { code: &'static str, message: String },
}

fn blank(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

impl App {
    /// Searches with a Turkish-aware index (see `domain::analysis`); the
    /// hits, the total and the snippets hold only what `user` may see.
    pub async fn search(&self, user: &User, input: &SearchInput) -> Result<(SearchResults, usize, usize)> {
        let search = self.search.as_ref().ok_or_else(|| AppError::Unavailable("search index not open".into()))?;
        let q = input.q.trim();
        if q.chars().count() > 500 {
            return Err(AppError::invalid("q", "too_long"));
        }
        let number = |field: &'static str, v: &Option<String>, min: i64, max: i64| -> Result<Option<i64>> {
            blank(v)
                .map(|s| s.parse::<i64>().ok().filter(|n| (min..=max).contains(n)).ok_or(AppError::invalid(field, "bad_number")))
                .transpose()
        };
        let year = number("year", &input.year, 1900, 2200)?;
        let page = number("page", &input.page, 1, 10_000)?.unwrap_or(1) as usize;
        let per_page = number("per_page", &input.per_page, 1, 100)?.unwrap_or(20) as usize;
        let from: Option<Date> = parse_date("from", blank(&input.from).as_deref().unwrap_or(""))?;
        let to: Option<Date> = parse_date("to", blank(&input.to).as_deref().unwrap_or(""))?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(AppError::invalid("to", "before_from"));
            }
        }
        let sort = match blank(&input.sort).as_deref() {
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some(_) => return Err(AppError::invalid("sort", "bad_sort")),
        };
        let kind = blank(&input.kind);
        if kind.as_deref().is_some_and(|k| !["incoming", "outgoing", "archive"].contains(&k)) {
            return Err(AppError::invalid("kind", "bad_kind"));
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
        let who = if v.routes { Visibility::All } else { Visibility::Only { user_id: v.user_id, units: v.units } };
        let index = search.index.clone();
        let q = q.to_owned();
        let results = tokio::task::spawn_blocking(move || index.search(&q, &filters, &who, sort, (page - 1) * per_page, per_page))
            .await
            .map_err(|e| AppError::Internal(e.into()))??;
        Ok((results, page, per_page))
    }

    /// Applies the changes the index has not seen yet (all documents, for
    /// an index never filled); returns how many documents it (re)indexed.
    pub async fn index_catch_up(&self) -> Result<u64> {
        let search = self.search.as_ref().ok_or_else(|| AppError::Unavailable("search index not open".into()))?;
        let Some(mut applied) = search.index.applied() else {
            return self.index_rebuild(&mut |_, _| {}).await;
        };
        let mut done = 0u64;
        loop {
            let changes = self.store.search_changes_after(applied, 1000).await?;
            let Some(&(last, _)) = changes.last() else { return Ok(done) };
            let mut keys: Vec<String> = changes.into_iter().map(|(_, k)| k).collect();
            keys.sort();
            keys.dedup();
            let (docs, gone) = self.store.search_docs(&keys).await?;
            done += docs.len() as u64;
            let index = search.index.clone();
            tokio::task::spawn_blocking(move || index.apply(&docs, &gone, Some(last))).await.map_err(|e| AppError::Internal(e.into()))??;
            applied = last;
        }
    }

    /// Makes the index again from the database: every document, a page at
    /// a time (`progress(done, total)`); until it ends, the index counts as
    /// never filled, so a crash in the middle starts it over.
    pub async fn index_rebuild(&self, progress: &mut (dyn FnMut(u64, u64) + Send)) -> Result<u64> {
        let search = self.search.as_ref().ok_or_else(|| AppError::Unavailable("search index not open".into()))?;
        let start = self.store.last_search_change().await?;
        let total = self.store.search_document_count().await?;
        let index = search.index.clone();
        tokio::task::spawn_blocking(move || index.clear()).await.map_err(|e| AppError::Internal(e.into()))??;
        let mut done = 0u64;
        for kind in ["incoming", "outgoing", "archive"] {
            let mut after = 0;
            loop {
                let ids = self.store.search_doc_keys(kind, after, 1000).await?;
                let Some(&last) = ids.last() else { break };
                after = last;
                let keys: Vec<String> = ids.iter().map(|id| format!("{kind}:{id}")).collect();
                let (docs, _) = self.store.search_docs(&keys).await?;
                done += docs.len() as u64;
                let index = search.index.clone();
                tokio::task::spawn_blocking(move || index.apply(&docs, &[], None)).await.map_err(|e| AppError::Internal(e.into()))??;
                progress(done, total);
            }
        }
        let index = search.index.clone();
        tokio::task::spawn_blocking(move || index.apply(&[], &[], Some(start))).await.map_err(|e| AppError::Internal(e.into()))??;
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
        let search = self.search.as_ref().ok_or_else(|| AppError::Unavailable("search index not open".into()))?;
        let Some(job) = self.store.claim_text_job(search.limits.timeout * 3 + Duration::from_secs(60) * search.limits.ocr_pages.min(30)).await? else {
            return Ok(false);
        };
        let outcome = match self.read_blob(&job.sha256).await {
            Ok(bytes) => extract::extract(&bytes, &job.content_type, job.attempts, &search.limits).await,
            Err(e) => {
                tracing::warn!(sha256 = %job.sha256, error = %e, "a file to extract cannot be read");
                TextOutcome::Failed { reason: "missing_file".into() }
            }
        };
        if let TextOutcome::Failed { reason } | TextOutcome::Retry { reason, .. } = &outcome {
            tracing::info!(sha256 = %job.sha256, attempts = job.attempts, reason, "text extraction did not succeed");
        }
        self.store.finish_text_job(&job.sha256, &outcome).await?;
        self.wake_indexer();
        Ok(true)
    }

    async fn read_blob(&self, sha256: &str) -> Result<Vec<u8>> {
        use futures::TryStreamExt;
        let mut stream = self.blobs.get(sha256).await.map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
        let mut out = Vec::new();
        while let Some(chunk) = stream.try_next().await.map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))? {
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    /// The text status of these files (queued, running, done, partial,
    /// failed with its reason).
    pub async fn text_statuses(&self, shas: &[String]) -> Result<Vec<TextStatus>> {
        Ok(self.store.text_statuses(shas).await?)
    }

    /// Files still waiting for their text.
    pub async fn texts_waiting(&self) -> Result<i64> {
        Ok(self.store.texts_waiting().await?)
    }

    /// Checks an import's classification: a leaf code of the file plan,
    /// a year not in the future, a unit of the profile (the directorate
    /// when none is given).
    pub fn check_scan_import(&self, sdp: &str, year: i64, unit: Option<&str>) -> Result<String> {
        let plan = domain::fileplan::FilePlan::builtin();
        plan.primary(sdp.trim()).map_err(|e| AppError::invalid("sdp", e.code()))?;
        let this_year = i64::from(time::OffsetDateTime::now_utc().year());
        if !(1900..=this_year).contains(&year) {
            return Err(AppError::invalid("year", "bad_year"));
        }
        let directorate = self.profile.units().iter().find(|u| u.kind == "directorate").map(|u| u.id.clone()).unwrap_or_default();
        let unit = unit.map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned).unwrap_or(directorate);
        if self.profile.unit(&unit).is_none() {
            return Err(AppError::invalid("unit", "unknown_unit"));
        }
        Ok(unit)
    }

    /// Imports one scanned file into the archive (PDF, TIFF, JPEG, PNG),
    /// once per content. `actor` is `None` for the command line, which
    /// runs as the operator of the machine.
    pub async fn import_scan(&self, actor: Option<&User>, source_path: &str, bytes: Vec<u8>, sdp: &str, year: i64, unit: &str) -> Result<ScanOutcome> {
        if let Some(a) = actor {
            if !self.holds(a, "digitise_archive").await? {
                return Err(AppError::forbidden("digitise_archive"));
            }
        }
        if bytes.is_empty() {
            return Ok(ScanOutcome::Refused { code: "empty_file", message: "boş dosya (0 bayt)".into() });
        }
        let kind = domain::filetype::sniff(&bytes[..bytes.len().min(8192)], bytes.len() <= 8192);
        if !matches!(kind, Some("application/pdf" | "image/png" | "image/jpeg" | "image/tiff")) {
            return Ok(ScanOutcome::Refused { code: "not_a_scan", message: "taranmış belge değil (PDF, TIFF, JPEG veya PNG olmalı)".into() });
        }
        let body = futures::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(bytes))]);
        let stored = match self.store_file(actor, body).await {
            Ok(s) => s.sha256,
            Err(AppError::TooLarge { limit }) => {
                return Ok(ScanOutcome::Refused { code: "too_large", message: format!("dosya boyut sınırını aşıyor ({} MB)", limit >> 20) })
            }
            Err(e) => return Err(e),
        };
        let title = Path::new(source_path).file_stem().map(|s| s.to_string_lossy().replace(['_', '-'], " ")).unwrap_or_default();
        let item = NewArchiveItem {
            sha256: stored,
            title: title.trim().to_owned(),
            source_path: source_path.to_owned(),
            file_code: sdp.trim().to_owned(),
            year,
            unit: unit.to_owned(),
        };
        let outcome = match self.store.import_archive_item(&self.profile, actor, &item).await? {
            Imported::New(id) => ScanOutcome::Imported(id),
            Imported::Existing(id) => ScanOutcome::AlreadyThere(id),
        };
        self.wake_indexer();
        Ok(outcome)
    }

    pub async fn archive_item(&self, _reader: &User, id: i64) -> Result<ArchiveItem> {
        Ok(self.store.archive_item(id).await?)
    }
}

/// Runs the indexer and the text workers until the process ends: the
/// indexer catches up at start (after a crash too) and whenever rung or
/// every few seconds; `workers` extraction jobs run at a time at most.
pub fn spawn_background(app: App, workers: usize) {
    let Some(search) = app.search.clone() else { return };
    // Asking Tesseract for its languages starts a process: off the start path.
    let languages = search.limits.languages.clone();
    tokio::task::spawn_blocking(move || {
        let missing = extract::missing_tools(&languages);
        if !missing.is_empty() {
            tracing::warn!(
                missing = %missing.join(", "),
                "text extraction needs tools that are not installed; files wait until they are \
                 (sudo apt-get install poppler-utils tesseract-ocr tesseract-ocr-tur)"
            );
        }
    });
    let indexer = app.clone();
    tokio::spawn(async move {
        loop {
            match indexer.index_catch_up().await {
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "the search index could not catch up; trying again"),
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), search.wake.notified()).await;
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
