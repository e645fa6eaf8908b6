//! What search and digitisation keep in the database: the text of stored
//! files and its extraction queue (`blob_texts`), the archive items
//! imported from scans, and the change log the search index follows
//! (`search_changes`). The index itself is `index.rs`.
//!
//! A document's change notes its key in `search_changes` inside the
//! change's own transaction; so does a file's text once extracted, for
//! every document holding the file. The index applies the log in order
//! and remembers how far it got.

use std::time::Duration;

use domain::profile::Profile;
use time::OffsetDateTime;

use crate::index::SearchDoc;
use crate::{NewAudit, Result, Store, StoreError, User};

/// A file whose text is wanted, as a worker claims it.
#[derive(Debug, Clone)]
pub struct TextJob {
    pub sha256: String,
    pub content_type: String,
    pub size: i64,
    /// Including this one.
    pub attempts: i64,
}

/// What extracting a file's text came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextOutcome {
    /// All of the text, by `method` (`text`, `pdf-text`, `ocr`, `docx`…).
    Done { method: String, pages: Option<i64>, text: String },
    /// Some of it, and why not all (`ocr_page_limit`…).
    Partial { method: String, pages: Option<i64>, text: String, reason: String },
    /// None, for a reason that will not change by trying again (`corrupt`,
    /// `encrypted`, `empty`, `image_too_large`, `unsupported`).
    Failed { reason: String },
    /// None this time (a tool failed or timed out): try again later.
    Retry { reason: String, after: Duration },
}

/// A file's text status, as shown beside an attachment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TextStatus {
    pub sha256: String,
    /// queued, running, done, partial, failed
    pub state: String,
    pub reason: Option<String>,
    pub method: Option<String>,
    pub pages: Option<i64>,
    pub attempts: i64,
}

/// A scanned paper document to add to the archive.
#[derive(Debug, Clone)]
pub struct NewArchiveItem {
    pub sha256: String,
    pub title: String,
    pub source_path: String,
    pub file_code: String,
    pub year: i64,
    pub unit: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    New(i64),
    /// The same content was imported before (the import is keyed on it).
    Existing(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ArchiveItem {
    pub id: i64,
    pub sha256: String,
    pub title: String,
    pub source_path: String,
    pub file_code: String,
    pub year: i64,
    pub unit: String,
    #[serde(with = "time::serde::rfc3339")]
    pub imported_at: OffsetDateTime,
}

fn restricted(confidentiality: &str, personal_data: bool) -> bool {
    personal_data || domain::correspondence::Confidentiality::parse(confidentiality).is_none_or(|c| c.is_restricted())
}

for_each_engine! {
    use std::collections::HashMap;
    use sqlx::Row;
    use time::OffsetDateTime;
    use super::*;

    /// Asks for the text of these files (once each), inside a change's
    /// transaction.
    pub async fn queue_texts(c: &mut Conn, shas: &[&str], at: OffsetDateTime) -> Result<()> {
        if shas.is_empty() {
            return Ok(());
        }
        let mut q = sqlx::QueryBuilder::<Kind>::new("INSERT INTO blob_texts (sha256, state, next_at, updated_at) ");
        q.push_values(shas, |mut row, sha| {
            row.push_bind(*sha).push_bind("queued").push_bind(at).push_bind(at);
        });
        q.push(" ON CONFLICT (sha256) DO NOTHING");
        q.build().execute(c).await?;
        Ok(())
    }

    /// Notes that these documents changed, for the search index.
    pub async fn note_changes(c: &mut Conn, docs: &[String]) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let mut q = sqlx::QueryBuilder::<Kind>::new("INSERT INTO search_changes (doc) ");
        q.push_values(docs, |mut row, d| {
            row.push_bind(d.as_str());
        });
        q.build().execute(c).await?;
        Ok(())
    }

    /// Takes the next file whose text is due (queued and not backing off,
    /// or running with its lease run out: a worker that died), leasing it
    /// to the caller for `lease`.
    pub async fn claim_text_job(db: &Db, lease: Duration) -> Result<Option<TextJob>> {
        let mut tx = begin(db).await?;
        let now = crate::now();
        let row = sqlx::query(
            "SELECT t.sha256, t.attempts, b.content_type, b.size FROM blob_texts t JOIN blobs b ON b.sha256 = t.sha256
             WHERE t.state IN ('queued', 'running') AND t.next_at <= $1 ORDER BY t.next_at LIMIT 1",
        )
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let job = TextJob {
            sha256: r.try_get("sha256")?,
            content_type: r.try_get("content_type")?,
            size: r.try_get("size")?,
            attempts: r.try_get::<i64, _>("attempts")? + 1,
        };
        sqlx::query("UPDATE blob_texts SET state = 'running', attempts = $2, next_at = $3, updated_at = $4 WHERE sha256 = $1")
            .bind(&job.sha256)
            .bind(job.attempts)
            .bind(now + lease)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(job))
    }

    /// Records what extraction came to; a text found is noted as a change
    /// of every document holding the file. Audited as the system's act.
    pub async fn finish_text_job(db: &Db, sha256: &str, outcome: &TextOutcome) -> Result<()> {
        let mut tx = begin(db).await?;
        let now = crate::now();
        let (state, reason, method, pages, text, next_at) = match outcome {
            TextOutcome::Done { method, pages, text } => ("done", None, Some(method.as_str()), *pages, Some(text.as_str()), now),
            TextOutcome::Partial { method, pages, text, reason } => {
                ("partial", Some(reason.as_str()), Some(method.as_str()), *pages, Some(text.as_str()), now)
            }
            TextOutcome::Failed { reason } => ("failed", Some(reason.as_str()), None, None, None, now),
            TextOutcome::Retry { reason, after } => ("queued", Some(reason.as_str()), None, None, None, now + *after),
        };
        let updated = sqlx::query(
            "UPDATE blob_texts SET state = $2, reason = $3, method = $4, pages = $5, text = $6, next_at = $7, updated_at = $8
             WHERE sha256 = $1",
        )
        .bind(sha256)
        .bind(state)
        .bind(reason)
        .bind(method)
        .bind(pages)
        .bind(text)
        .bind(next_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        if text.is_some() {
            let docs = holders(&mut tx, sha256).await?;
            note_changes(&mut tx, &docs).await?;
        }
        if !matches!(outcome, TextOutcome::Retry { .. }) {
            base::chain(&mut tx, &NewAudit {
                actor: None,
                action: "blob.text_extracted",
                subject: format!("blob:{sha256}"),
                basis: "system".into(),
                details: serde_json::json!({"state": state, "reason": reason, "method": method, "pages": pages,
                    "characters": text.map(|t| t.chars().count())}),
            })
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The documents holding a file.
    async fn holders(c: &mut Conn, sha256: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT 'incoming:' || CAST(incoming_id AS TEXT) AS doc FROM incoming_attachments WHERE sha256 = $1
             UNION ALL SELECT 'archive:' || CAST(id AS TEXT) FROM archive_items WHERE sha256 = $1",
        )
        .bind(sha256)
        .fetch_all(c)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("doc")?)).collect()
    }

    pub async fn text_statuses(db: &Db, shas: &[String]) -> Result<Vec<TextStatus>> {
        if shas.is_empty() {
            return Ok(Vec::new());
        }
        let mut c = read(db).await?;
        let mut q = sqlx::QueryBuilder::<Kind>::new("SELECT sha256, state, reason, method, pages, attempts FROM blob_texts WHERE sha256 IN (");
        let mut list = q.separated(", ");
        for s in shas {
            list.push_bind(s.as_str());
        }
        q.push(") ORDER BY sha256");
        q.build()
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|r| {
                Ok(TextStatus {
                    sha256: r.try_get("sha256")?,
                    state: r.try_get("state")?,
                    reason: r.try_get("reason")?,
                    method: r.try_get("method")?,
                    pages: r.try_get("pages")?,
                    attempts: r.try_get("attempts")?,
                })
            })
            .collect()
    }

    /// Files waiting for their text (queued or running), for progress.
    pub async fn texts_waiting(db: &Db) -> Result<i64> {
        let mut c = read(db).await?;
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM blob_texts WHERE state IN ('queued', 'running')").fetch_one(&mut *c).await?)
    }

    pub async fn changes_after(db: &Db, after: i64, limit: i64) -> Result<Vec<(i64, String)>> {
        let mut c = read(db).await?;
        let rows = sqlx::query("SELECT id, doc FROM search_changes WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&mut *c)
            .await?;
        rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("doc")?))).collect()
    }

    /// How many searchable documents there are (for progress).
    pub async fn document_count(db: &Db) -> Result<i64> {
        let mut c = read(db).await?;
        Ok(sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM incoming) + (SELECT COUNT(*) FROM archive_items)
             + (SELECT COUNT(*) FROM outgoing WHERE number IS NOT NULL)").fetch_one(&mut *c).await?)
    }

    pub async fn last_change(db: &Db) -> Result<i64> {
        let mut c = read(db).await?;
        Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM search_changes").fetch_one(&mut *c).await?.unwrap_or(0))
    }

    /// The keys of every searchable document after `after` (in key order
    /// per kind), a page at a time: for a full pass of the index.
    pub async fn doc_keys(db: &Db, kind: &str, after: i64, limit: i64) -> Result<Vec<i64>> {
        let mut c = read(db).await?;
        let sql = match kind {
            "incoming" => "SELECT id FROM incoming WHERE id > $1 ORDER BY id LIMIT $2",
            "archive" => "SELECT id FROM archive_items WHERE id > $1 ORDER BY id LIMIT $2",
            "outgoing" => "SELECT id FROM outgoing WHERE number IS NOT NULL AND id > $1 ORDER BY id LIMIT $2",
            _ => return Ok(Vec::new()),
        };
        Ok(sqlx::query_scalar(sql).bind(after).bind(limit).fetch_all(&mut *c).await?)
    }

    /// What the index holds of these documents; the keys of those no
    /// longer in the database come back in the second list.
    pub async fn search_docs(db: &Db, keys: &[String]) -> Result<(Vec<SearchDoc>, Vec<String>)> {
        let mut c = read(db).await?;
        let ids = |kind: &str| -> Vec<i64> {
            keys.iter().filter_map(|k| k.strip_prefix(kind)?.strip_prefix(':')?.parse().ok()).collect()
        };
        let (incoming_ids, archive_ids, outgoing_ids) = (ids("incoming"), ids("archive"), ids("outgoing"));
        let mut docs: Vec<SearchDoc> = Vec::new();
        for chunk in incoming_ids.chunks(500) {
            let in_list = |q: &mut sqlx::QueryBuilder<'_, Kind>| {
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
            };
            let mut q = sqlx::QueryBuilder::<Kind>::new(
                "SELECT id, register, number, registered_at, registered_by, sender_name, subject, file_code, secondary_codes,
                    confidentiality, personal_data FROM incoming WHERE id IN (",
            );
            in_list(&mut q);
            let mut by_id: HashMap<i64, SearchDoc> = HashMap::new();
            for r in q.build().fetch_all(&mut *c).await? {
                let id: i64 = r.try_get("id")?;
                let at: OffsetDateTime = r.try_get("registered_at")?;
                let day = at.to_offset(time::macros::offset!(+3)).date();
                let codes: String = r.try_get("secondary_codes")?;
                let confidentiality: String = r.try_get("confidentiality")?;
                let registrar: i64 = r.try_get("registered_by")?;
                let mut file_codes = vec![r.try_get::<String, _>("file_code")?];
                file_codes.extend(codes.split(',').filter(|s| !s.is_empty()).map(str::to_owned));
                by_id.insert(id, SearchDoc {
                    key: format!("incoming:{id}"),
                    kind: "incoming".into(),
                    title: r.try_get("subject")?,
                    number: r.try_get("number")?,
                    register: r.try_get("register")?,
                    file_codes,
                    date: Some(day),
                    year: i64::from(day.year()),
                    units: Vec::new(),
                    sender: r.try_get("sender_name")?,
                    restricted: restricted(&confidentiality, r.try_get("personal_data")?),
                    confidentiality,
                    viewers: vec![format!("user:{registrar}")],
                    text: String::new(),
                });
            }
            let mut q = sqlx::QueryBuilder::<Kind>::new("SELECT incoming_id, to_unit, to_user FROM routings WHERE incoming_id IN (");
            in_list(&mut q);
            for r in q.build().fetch_all(&mut *c).await? {
                let Some(d) = by_id.get_mut(&r.try_get::<i64, _>("incoming_id")?) else { continue };
                if let Some(unit) = r.try_get::<Option<String>, _>("to_unit")? {
                    d.viewers.push(format!("unit:{unit}"));
                    if !d.units.contains(&unit) {
                        d.units.push(unit);
                    }
                }
                if let Some(user) = r.try_get::<Option<i64>, _>("to_user")? {
                    d.viewers.push(format!("user:{user}"));
                }
            }
            let mut q = sqlx::QueryBuilder::<Kind>::new(
                "SELECT a.incoming_id, t.text FROM incoming_attachments a JOIN blob_texts t ON t.sha256 = a.sha256
                 WHERE t.text IS NOT NULL AND a.incoming_id IN (",
            );
            in_list(&mut q);
            q.push(" ORDER BY a.incoming_id, a.name");
            for r in q.build().fetch_all(&mut *c).await? {
                let Some(d) = by_id.get_mut(&r.try_get::<i64, _>("incoming_id")?) else { continue };
                if !d.text.is_empty() {
                    d.text.push_str("\n\n");
                }
                d.text.push_str(&r.try_get::<String, _>("text")?);
            }
            docs.extend(by_id.into_values());
        }
        // Signed letters: their subject, number, addressees and text.
        for chunk in outgoing_ids.chunks(500) {
            let mut q = sqlx::QueryBuilder::<Kind>::new(format!(
                "SELECT o.id, o.number, o.subject, o.body, o.file_code, o.signed_at, o.writer, o.unit, o.confidentiality, o.personal_data,
                    {LETTER_ADDRESSEES} AS addressees FROM outgoing o WHERE o.number IS NOT NULL AND o.id IN ("
            ));
            let mut list = q.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            q.push(")");
            let rows = q.build().fetch_all(&mut *c).await?;
            // Who acted on each letter's chain, in one query for the chunk.
            let mut signers: HashMap<i64, Vec<i64>> = HashMap::new();
            let mut q = sqlx::QueryBuilder::<Kind>::new("SELECT outgoing_id, done_by FROM outgoing_steps WHERE done_by IS NOT NULL AND outgoing_id IN (");
            let mut list = q.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            q.push(")");
            for r in q.build().fetch_all(&mut *c).await? {
                signers.entry(r.try_get("outgoing_id")?).or_default().push(r.try_get("done_by")?);
            }
            for r in rows {
                let id: i64 = r.try_get("id")?;
                let at: OffsetDateTime = r.try_get("signed_at")?;
                let day = at.to_offset(time::macros::offset!(+3)).date();
                let confidentiality: String = r.try_get("confidentiality")?;
                let writer: i64 = r.try_get("writer")?;
                let mut viewers = vec![format!("user:{writer}")];
                viewers.extend(signers.get(&id).into_iter().flatten().map(|u| format!("user:{u}")));
                docs.push(SearchDoc {
                    key: format!("outgoing:{id}"),
                    kind: "outgoing".into(),
                    title: r.try_get("subject")?,
                    number: r.try_get("number")?,
                    register: "outgoing".into(),
                    file_codes: vec![r.try_get("file_code")?],
                    date: Some(day),
                    year: i64::from(day.year()),
                    units: vec![r.try_get("unit")?],
                    sender: r.try_get::<Option<String>, _>("addressees")?.unwrap_or_default(),
                    restricted: restricted(&confidentiality, r.try_get("personal_data")?),
                    confidentiality,
                    viewers,
                    text: r.try_get("body")?,
                });
            }
        }
        for chunk in archive_ids.chunks(500) {
            let mut q = sqlx::QueryBuilder::<Kind>::new(
                "SELECT i.id, i.title, i.file_code, i.year, i.unit, t.text FROM archive_items i
                 LEFT JOIN blob_texts t ON t.sha256 = i.sha256 WHERE i.id IN (",
            );
            let mut list = q.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            q.push(")");
            for r in q.build().fetch_all(&mut *c).await? {
                let id: i64 = r.try_get("id")?;
                let year: i64 = r.try_get("year")?;
                docs.push(SearchDoc {
                    key: format!("archive:{id}"),
                    kind: "archive".into(),
                    title: r.try_get("title")?,
                    number: String::new(),
                    register: String::new(),
                    file_codes: vec![r.try_get("file_code")?],
                    date: time::Date::from_calendar_date(year as i32, time::Month::January, 1).ok(),
                    year,
                    units: vec![r.try_get("unit")?],
                    sender: String::new(),
                    confidentiality: "YOK".into(),
                    restricted: false,
                    viewers: Vec::new(),
                    text: r.try_get::<Option<String>, _>("text")?.unwrap_or_default(),
                });
            }
        }
        // Disposed documents are gone from search, whatever is left of them.
        let disposed = archive::disposed_documents(&mut c, keys).await?;
        docs.retain(|d| !disposed.contains(&d.key));
        let found: std::collections::HashSet<&str> = docs.iter().map(|d| d.key.as_str()).collect();
        let gone = keys.iter().filter(|k| !found.contains(k.as_str())).cloned().collect();
        Ok((docs, gone))
    }

    /// Adds a scanned document to the archive, once per content: the same
    /// file imported again (a resumed import) gives the item it made.
    pub async fn import_archive_item(db: &Db, profile: &Profile, actor: Option<&User>, item: &NewArchiveItem) -> Result<Imported> {
        let mut tx = begin(db).await?;
        let at = crate::now();
        let basis = match actor {
            Some(a) => people::basis_text(&people::authorize_in(&mut tx, profile, a.id, "digitise_archive", at).await?),
            None => "system (import from the command line)".to_owned(),
        };
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM archive_items WHERE sha256 = $1")
            .bind(&item.sha256)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(id) = existing {
            return Ok(Imported::Existing(id));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO archive_items (sha256, title, source_path, file_code, year, unit, imported_at, imported_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&item.sha256)
        .bind(&item.title)
        .bind(&item.source_path)
        .bind(&item.file_code)
        .bind(item.year)
        .bind(&item.unit)
        .bind(at)
        .bind(actor.map(|a| a.id))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::Conflict("unknown_attachment"),
            _ => e.into(),
        })?;
        queue_texts(&mut tx, &[item.sha256.as_str()], at).await?;
        note_changes(&mut tx, &[format!("archive:{id}")]).await?;
        base::chain(&mut tx, &NewAudit {
            actor: actor.map(|a| a.username.clone()),
            action: "archive.imported",
            subject: format!("archive:{id}"),
            basis,
            details: serde_json::json!({"after": {"sha256": item.sha256, "title": item.title, "source_path": item.source_path,
                "file_code": item.file_code, "year": item.year, "unit": item.unit}}),
        })
        .await?;
        tx.commit().await?;
        Ok(Imported::New(id))
    }

    pub async fn archive_item(db: &Db, id: i64) -> Result<ArchiveItem> {
        let mut c = read(db).await?;
        let r = sqlx::query("SELECT id, sha256, title, source_path, file_code, year, unit, imported_at FROM archive_items WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(ArchiveItem {
            id: r.try_get("id")?,
            sha256: r.try_get("sha256")?,
            title: r.try_get("title")?,
            source_path: r.try_get("source_path")?,
            file_code: r.try_get("file_code")?,
            year: r.try_get("year")?,
            unit: r.try_get("unit")?,
            imported_at: r.try_get("imported_at")?,
        })
    }
}

/// The use-cases of this module, dispatched to the store's engine.
impl dyn Store {
    pub async fn claim_text_job(&self, lease: Duration) -> Result<Option<TextJob>> {
        dispatch!(self, search::claim_text_job(lease))
    }
    pub async fn finish_text_job(&self, sha256: &str, outcome: &TextOutcome) -> Result<()> {
        dispatch!(self, search::finish_text_job(sha256, outcome))
    }
    pub async fn text_statuses(&self, shas: &[String]) -> Result<Vec<TextStatus>> {
        dispatch!(self, search::text_statuses(shas))
    }
    pub async fn texts_waiting(&self) -> Result<i64> {
        dispatch!(self, search::texts_waiting())
    }
    pub async fn search_changes_after(&self, after: i64, limit: i64) -> Result<Vec<(i64, String)>> {
        dispatch!(self, search::changes_after(after, limit))
    }
    pub async fn last_search_change(&self) -> Result<i64> {
        dispatch!(self, search::last_change())
    }
    pub async fn search_doc_keys(&self, kind: &str, after: i64, limit: i64) -> Result<Vec<i64>> {
        dispatch!(self, search::doc_keys(kind, after, limit))
    }
    pub async fn search_docs(&self, keys: &[String]) -> Result<(Vec<SearchDoc>, Vec<String>)> {
        dispatch!(self, search::search_docs(keys))
    }
    pub async fn import_archive_item(&self, profile: &Profile, actor: Option<&User>, item: &NewArchiveItem) -> Result<Imported> {
        dispatch!(self, search::import_archive_item(profile, actor, item))
    }
    pub async fn search_document_count(&self) -> Result<u64> {
        Ok(dispatch!(self, search::document_count())?.max(0) as u64)
    }
    pub async fn archive_item(&self, id: i64) -> Result<ArchiveItem> {
        dispatch!(self, search::archive_item(id))
    }
}
