//! What search and digitisation keep in the database: the text of stored
//! files and its extraction queue (`blob_texts`), the archive items
//! imported from scans, and the change log the search index follows
//! (`search_changes`). The index itself is `index.rs`.
//!
//! A document's change notes its key in `search_changes` inside the
//! change's own transaction; so does a file's text once extracted, for
//! every document holding the file. The index applies the log in order
//! and remembers how far it got. Job leases and retries are bookkeeping of
//! derived data (no audit record); a final outcome is audited.

use std::collections::HashMap;
use std::time::Duration;

use time::OffsetDateTime;

use crate::db::{query, Conn, Row};
use crate::index::SearchDoc;
use crate::{Result, Store, StoreError, Write};

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
    Done {
        method: String,
        pages: Option<i64>,
        text: String,
    },
    /// Some of it, and why not all (`ocr_page_limit`…).
    Partial {
        method: String,
        pages: Option<i64>,
        text: String,
        reason: String,
    },
    /// None, for a reason that will not change by trying again (`corrupt`,
    /// `encrypted`, `empty`, `image_too_large`, `unsupported`).
    Failed { reason: String },
    /// None this time (a tool failed or timed out): try again later.
    Retry { reason: String, after: Duration },
}

/// The reason a text job waits while a tool is missing; such jobs are
/// retried as soon as the tool is there ([`retry_missing_tools`]).
pub const TOOL_MISSING: &str = "tool_missing";

/// A file's text status, as shown beside an attachment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
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

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
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

/// Asks for the text of these files (once each), inside a change's
/// transaction.
pub async fn queue_texts(w: &mut Write, shas: &[&str]) -> Result<()> {
    if shas.is_empty() {
        return Ok(());
    }
    let at = w.at();
    let mut q = query("INSERT INTO blob_texts (sha256, state, next_at, updated_at) ");
    q.push_values(shas, |row, sha| {
        row.bind(*sha).bind("queued").bind(at).bind(at);
    });
    q.push(" ON CONFLICT (sha256) DO NOTHING");
    q.execute(w).await?;
    Ok(())
}

/// Notes that these documents changed, for the search index.
pub async fn note_changes(w: &mut Write, docs: &[String]) -> Result<()> {
    if docs.is_empty() {
        return Ok(());
    }
    let mut q = query("INSERT INTO search_changes (doc) ");
    q.push_values(docs, |row, d| {
        row.bind(d);
    });
    q.execute(w).await?;
    Ok(())
}

/// Takes the next file whose text is due (queued and not backing off, or
/// running with its lease run out: a worker that died), leasing it to the
/// caller for `lease`.
pub async fn claim_text_job(store: &Store, lease: Duration) -> Result<Option<TextJob>> {
    let mut b = store.bookkeeping().await?;
    let now = b.at();
    let row = query(
        "SELECT t.sha256, t.attempts, b.content_type, b.size FROM blob_texts t JOIN blobs b ON b.sha256 = t.sha256
         WHERE t.state IN ('queued', 'running') AND t.next_at <= $1 ORDER BY t.next_at LIMIT 1",
    )
    .bind(now)
    .fetch_optional(&mut b)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let job = TextJob {
        sha256: r.get("sha256")?,
        content_type: r.get("content_type")?,
        size: r.get("size")?,
        attempts: r.get::<i64>("attempts")? + 1,
    };
    query("UPDATE blob_texts SET state = 'running', attempts = $2, next_at = $3, updated_at = $4 WHERE sha256 = $1")
        .bind(&job.sha256)
        .bind(job.attempts)
        .bind(now + lease)
        .bind(now)
        .execute(&mut b)
        .await?;
    b.commit().await?;
    Ok(Some(job))
}

/// Puts a job back in the queue to try again after `after` (a tool failed
/// or is missing): bookkeeping, not audited.
pub async fn retry_text_job(
    store: &Store,
    sha256: &str,
    reason: &str,
    after: Duration,
) -> Result<()> {
    let mut b = store.bookkeeping().await?;
    let now = b.at();
    let n = query("UPDATE blob_texts SET state = 'queued', reason = $2, next_at = $3, updated_at = $4 WHERE sha256 = $1")
        .bind(sha256)
        .bind(reason)
        .bind(now + after)
        .bind(now)
        .execute(&mut b)
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    b.commit().await
}

/// Makes the jobs waiting for a missing tool due now (the tool is there).
pub async fn retry_missing_tools(store: &Store) -> Result<u64> {
    let mut b = store.bookkeeping().await?;
    let now = b.at();
    let n = query("UPDATE blob_texts SET next_at = $1, attempts = 0 WHERE state = 'queued' AND reason LIKE $2 AND next_at > $1")
        .bind(now)
        .bind(format!("{TOOL_MISSING}%"))
        .execute(&mut b)
        .await?;
    b.commit().await?;
    Ok(n)
}

/// Records a final outcome (done, partial, failed) inside the caller's
/// write, which commits it with its audit record; a text found is noted as
/// a change of every document holding the file.
pub async fn finish_text_job(w: &mut Write, sha256: &str, outcome: &TextOutcome) -> Result<()> {
    let now = w.at();
    let (state, reason, method, pages, text) = match outcome {
        TextOutcome::Done {
            method,
            pages,
            text,
        } => (
            "done",
            None,
            Some(method.as_str()),
            *pages,
            Some(text.as_str()),
        ),
        TextOutcome::Partial {
            method,
            pages,
            text,
            reason,
        } => (
            "partial",
            Some(reason.as_str()),
            Some(method.as_str()),
            *pages,
            Some(text.as_str()),
        ),
        TextOutcome::Failed { reason } => ("failed", Some(reason.as_str()), None, None, None),
        TextOutcome::Retry { .. } => {
            return Err(StoreError::Internal(anyhow::anyhow!(
                "a retry is bookkeeping: retry_text_job"
            )))
        }
    };
    let n = query(
        "UPDATE blob_texts SET state = $2, reason = $3, method = $4, pages = $5, text = $6, next_at = $7, updated_at = $7
         WHERE sha256 = $1",
    )
    .bind(sha256)
    .bind(state)
    .bind(reason)
    .bind(method)
    .bind(pages)
    .bind(text)
    .bind(now)
    .execute(w)
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    if text.is_some() {
        let docs = holders(w, sha256).await?;
        note_changes(w, &docs).await?;
    }
    Ok(())
}

/// The documents holding a file.
async fn holders(c: &mut impl Conn, sha256: &str) -> Result<Vec<String>> {
    query(
        "SELECT 'incoming:' || CAST(incoming_id AS TEXT) AS doc FROM incoming_attachments WHERE sha256 = $1
         UNION ALL SELECT 'archive:' || CAST(id AS TEXT) FROM archive_items WHERE sha256 = $1",
    )
    .bind(sha256)
    .scalars(c)
    .await
}

pub async fn text_statuses(c: &mut impl Conn, shas: &[String]) -> Result<Vec<TextStatus>> {
    if shas.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = query(
        "SELECT sha256, state, reason, method, pages, attempts FROM blob_texts WHERE sha256 IN ",
    );
    q.push_list(shas.iter()).push(" ORDER BY sha256");
    q.fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            Ok(TextStatus {
                sha256: r.get("sha256")?,
                state: r.get("state")?,
                reason: r.get("reason")?,
                method: r.get("method")?,
                pages: r.get("pages")?,
                attempts: r.get("attempts")?,
            })
        })
        .collect()
}

/// Files waiting for their text (queued or running), for progress.
pub async fn texts_waiting(c: &mut impl Conn) -> Result<i64> {
    query("SELECT COUNT(*) FROM blob_texts WHERE state IN ('queued', 'running')")
        .scalar(c)
        .await
}

pub async fn changes_after(
    c: &mut impl Conn,
    after: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    query("SELECT id, doc FROM search_changes WHERE id > $1 ORDER BY id LIMIT $2")
        .bind(after)
        .bind(limit)
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| Ok((r.get("id")?, r.get("doc")?)))
        .collect()
}

/// How many searchable documents there are (for progress).
pub async fn document_count(c: &mut impl Conn) -> Result<u64> {
    let n: i64 = query(
        "SELECT (SELECT COUNT(*) FROM incoming) + (SELECT COUNT(*) FROM archive_items)
         + (SELECT COUNT(*) FROM outgoing WHERE number IS NOT NULL)",
    )
    .scalar(c)
    .await?;
    Ok(n.max(0) as u64)
}

pub async fn last_change(c: &mut impl Conn) -> Result<i64> {
    Ok(query("SELECT MAX(id) FROM search_changes")
        .scalar::<Option<i64>>(c)
        .await?
        .unwrap_or(0))
}

/// The keys of every searchable document of a kind after `after`, a page
/// at a time: for a full pass of the index.
pub async fn doc_keys(c: &mut impl Conn, kind: &str, after: i64, limit: i64) -> Result<Vec<i64>> {
    let sql = match kind {
        "incoming" => "SELECT id FROM incoming WHERE id > $1 ORDER BY id LIMIT $2",
        "archive" => "SELECT id FROM archive_items WHERE id > $1 ORDER BY id LIMIT $2",
        "outgoing" => {
            "SELECT id FROM outgoing WHERE number IS NOT NULL AND id > $1 ORDER BY id LIMIT $2"
        }
        _ => return Ok(Vec::new()),
    };
    query(sql).bind(after).bind(limit).scalars(c).await
}

fn local_day(r: &Row, col: &str) -> Result<time::Date> {
    Ok(domain::local::date(r.get::<OffsetDateTime>(col)?))
}

/// What the index holds of these documents; the keys of those no longer
/// in the database (or disposed of) come back in the second list.
pub async fn search_docs(
    c: &mut impl Conn,
    keys: &[String],
) -> Result<(Vec<SearchDoc>, Vec<String>)> {
    let ids = |kind: &str| -> Vec<i64> {
        keys.iter()
            .filter_map(|k| k.strip_prefix(kind)?.strip_prefix(':')?.parse().ok())
            .collect()
    };
    let (incoming_ids, archive_ids, outgoing_ids) =
        (ids("incoming"), ids("archive"), ids("outgoing"));
    let mut docs: Vec<SearchDoc> = Vec::new();
    for chunk in incoming_ids.chunks(500) {
        let mut q = query(
            "SELECT id, register, number, registered_at, registered_by, sender_name, subject, file_code, secondary_codes,
                confidentiality, personal_data FROM incoming WHERE id IN ",
        );
        q.push_list(chunk.iter().copied());
        let mut by_id: HashMap<i64, SearchDoc> = HashMap::new();
        for r in q.fetch_all(c).await? {
            let id: i64 = r.get("id")?;
            let day = local_day(&r, "registered_at")?;
            let confidentiality: String = r.get("confidentiality")?;
            let registrar: i64 = r.get("registered_by")?;
            let mut file_codes = vec![r.get::<String>("file_code")?];
            file_codes.extend(r.list("secondary_codes")?);
            by_id.insert(
                id,
                SearchDoc {
                    key: format!("incoming:{id}"),
                    kind: "incoming".into(),
                    title: r.get("subject")?,
                    number: r.get("number")?,
                    register: r.get("register")?,
                    file_codes,
                    date: Some(day),
                    year: i64::from(day.year()),
                    units: Vec::new(),
                    sender: r.get("sender_name")?,
                    restricted: domain::incoming::is_restricted(
                        &confidentiality,
                        r.get("personal_data")?,
                    ),
                    confidentiality,
                    viewers: vec![format!("user:{registrar}")],
                    text: String::new(),
                },
            );
        }
        let mut q =
            query("SELECT incoming_id, to_unit, to_user FROM routings WHERE incoming_id IN ");
        q.push_list(chunk.iter().copied());
        for r in q.fetch_all(c).await? {
            let Some(d) = by_id.get_mut(&r.get::<i64>("incoming_id")?) else {
                continue;
            };
            if let Some(unit) = r.get::<Option<String>>("to_unit")? {
                d.viewers.push(format!("unit:{unit}"));
                if !d.units.contains(&unit) {
                    d.units.push(unit);
                }
            }
            if let Some(user) = r.get::<Option<i64>>("to_user")? {
                d.viewers.push(format!("user:{user}"));
            }
        }
        let mut q = query(
            "SELECT a.incoming_id, t.text FROM incoming_attachments a JOIN blob_texts t ON t.sha256 = a.sha256
             WHERE t.text IS NOT NULL AND a.incoming_id IN ",
        );
        q.push_list(chunk.iter().copied())
            .push(" ORDER BY a.incoming_id, a.name");
        for r in q.fetch_all(c).await? {
            let Some(d) = by_id.get_mut(&r.get::<i64>("incoming_id")?) else {
                continue;
            };
            if !d.text.is_empty() {
                d.text.push_str("\n\n");
            }
            d.text.push_str(&r.get::<String>("text")?);
        }
        docs.extend(by_id.into_values());
    }
    // Signed letters: their subject, number, addressees and text.
    let addressees = crate::outgoing::addressees_sql(c);
    for chunk in outgoing_ids.chunks(500) {
        let mut q = query(format!(
            "SELECT o.id, o.number, o.subject, o.body, o.file_code, o.signed_at, o.writer, o.unit, o.confidentiality, o.personal_data,
                {addressees} AS addressees FROM outgoing o WHERE o.number IS NOT NULL AND o.id IN "
        ));
        q.push_list(chunk.iter().copied());
        let rows = q.fetch_all(c).await?;
        // Who acted on each letter's chain, in one query for the chunk.
        let mut signers: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut q = query("SELECT outgoing_id, done_by FROM outgoing_steps WHERE done_by IS NOT NULL AND outgoing_id IN ");
        q.push_list(chunk.iter().copied());
        for r in q.fetch_all(c).await? {
            signers
                .entry(r.get("outgoing_id")?)
                .or_default()
                .push(r.get("done_by")?);
        }
        for r in rows {
            let id: i64 = r.get("id")?;
            let day = local_day(&r, "signed_at")?;
            let confidentiality: String = r.get("confidentiality")?;
            let writer: i64 = r.get("writer")?;
            let mut viewers = vec![format!("user:{writer}")];
            viewers.extend(
                signers
                    .get(&id)
                    .into_iter()
                    .flatten()
                    .map(|u| format!("user:{u}")),
            );
            docs.push(SearchDoc {
                key: format!("outgoing:{id}"),
                kind: "outgoing".into(),
                title: r.get("subject")?,
                number: r.get("number")?,
                register: "outgoing".into(),
                file_codes: vec![r.get("file_code")?],
                date: Some(day),
                year: i64::from(day.year()),
                units: vec![r.get("unit")?],
                sender: r.get::<Option<String>>("addressees")?.unwrap_or_default(),
                restricted: domain::incoming::is_restricted(
                    &confidentiality,
                    r.get("personal_data")?,
                ),
                confidentiality,
                viewers,
                text: r.get("body")?,
            });
        }
    }
    for chunk in archive_ids.chunks(500) {
        let mut q = query("SELECT i.id, i.title, i.file_code, i.year, i.unit, t.text FROM archive_items i LEFT JOIN blob_texts t ON t.sha256 = i.sha256 WHERE i.id IN ");
        q.push_list(chunk.iter().copied());
        for r in q.fetch_all(c).await? {
            let id: i64 = r.get("id")?;
            let year: i64 = r.get("year")?;
            docs.push(SearchDoc {
                key: format!("archive:{id}"),
                kind: "archive".into(),
                title: r.get("title")?,
                number: String::new(),
                register: String::new(),
                file_codes: vec![r.get("file_code")?],
                date: time::Date::from_calendar_date(year as i32, time::Month::January, 1).ok(),
                year,
                units: vec![r.get("unit")?],
                sender: String::new(),
                confidentiality: "YOK".into(),
                restricted: false,
                viewers: Vec::new(),
                text: r.get::<Option<String>>("text")?.unwrap_or_default(),
            });
        }
    }
    // Disposed documents are gone from search, whatever is left of them.
    let disposed = crate::archive::disposed_documents(c, keys).await?;
    docs.retain(|d| !disposed.contains(&d.key));
    let found: std::collections::HashSet<&str> = docs.iter().map(|d| d.key.as_str()).collect();
    let gone = keys
        .iter()
        .filter(|k| !found.contains(k.as_str()))
        .cloned()
        .collect();
    Ok((docs, gone))
}

/// The archive item of a file's content, if it was imported before.
pub async fn archive_item_by_content(c: &mut impl Conn, sha256: &str) -> Result<Option<i64>> {
    query("SELECT id FROM archive_items WHERE sha256 = $1")
        .bind(sha256)
        .scalar_opt(c)
        .await
}

/// Adds a scanned document to the archive, asks for its text and notes it
/// for the index; its id.
pub async fn insert_archive_item(
    w: &mut Write,
    item: &NewArchiveItem,
    by: Option<i64>,
) -> Result<i64> {
    let at = w.at();
    let id: i64 = query(
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
    .bind(by)
    .scalar(w)
    .await
    .map_err(crate::db::on_constraint(None, Some("unknown_attachment")))?;
    queue_texts(w, &[item.sha256.as_str()]).await?;
    note_changes(w, &[format!("archive:{id}")]).await?;
    Ok(id)
}

pub async fn archive_item(c: &mut impl Conn, id: i64) -> Result<ArchiveItem> {
    let r = query("SELECT id, sha256, title, source_path, file_code, year, unit, imported_at FROM archive_items WHERE id = $1").bind(id).fetch_one(c).await?;
    Ok(ArchiveItem {
        id: r.get("id")?,
        sha256: r.get("sha256")?,
        title: r.get("title")?,
        source_path: r.get("source_path")?,
        file_code: r.get("file_code")?,
        year: r.get("year")?,
        unit: r.get("unit")?,
        imported_at: r.get("imported_at")?,
    })
}
