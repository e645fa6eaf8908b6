//! The archive in the database (m.22): files per Standard File Plan code,
//! unit and year (or matter); the documents filed into them; closing;
//! legal holds; and disposal lists, proposed on the ayıklama-imha
//! commission's decision and carried out once approved, leaving
//! tombstones. The rules are `domain::archive`'s.
//!
//! A disposal never deletes silently: the file is marked disposed, the
//! documents' content (subjects, texts, attachment links) is destroyed,
//! their numbers and dates stay in the registers, a tombstone records what
//! was disposed, when and by which decision, and the audit chain (which
//! no disposal touches) stays verifiable.

use domain::archive::{FileFacts, FileSpan, FileState, LegalHold};
use time::{Date, OffsetDateTime};

use crate::db::{on_constraint, query, Conn, Row};
use crate::{Result, StoreError, Write};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ArchiveFile {
    pub id: i64,
    pub file_code: String,
    pub unit: String,
    pub year: i64,
    /// `yearly` or `matter`.
    pub span: String,
    pub title: String,
    /// open, closed, disposed
    pub state: String,
    /// The year it was closed (its matter's end for a matter file).
    pub closed_year: Option<i64>,
    /// For a `B` file: the year its matter ended, once recorded.
    pub matter_ended_year: Option<i64>,
    /// `litigation`, `investigation`, `audit`: kept whatever its retention.
    pub legal_hold: Option<String>,
    pub hold_note: String,
    pub retention: String,
    pub disposal_code: String,
    pub documents: i64,
    pub disposal_id: Option<i64>,
}

impl ArchiveFile {
    /// The facts `domain::archive` decides on.
    pub fn facts(&self) -> FileFacts<'_> {
        FileFacts {
            code: &self.file_code,
            year: self.year as i32,
            span: if self.span == "matter" {
                FileSpan::Matter
            } else {
                FileSpan::Yearly
            },
            state: match self.state.as_str() {
                "open" => FileState::Open,
                "disposed" => FileState::Disposed,
                _ => FileState::Closed {
                    closed_year: self.closed_year.unwrap_or(self.year) as i32,
                },
            },
            retention: &self.retention,
            disposal_code: &self.disposal_code,
            matter_ended_year: self.matter_ended_year.map(|y| y as i32),
            hold: self.legal_hold.as_deref().and_then(parse_hold),
        }
    }
}

pub fn parse_hold(s: &str) -> Option<LegalHold> {
    [
        LegalHold::Litigation,
        LegalHold::Investigation,
        LegalHold::Audit,
    ]
    .into_iter()
    .find(|h| h.code() == s)
}

/// A disposal list: the commission's decision, its files, and (once
/// approved and carried out) the tombstones of what it disposed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Disposal {
    pub id: i64,
    /// `awaiting_approval` or `done`.
    pub state: String,
    pub decision_ref: String,
    pub decision_date: String,
    pub members: Vec<String>,
    pub note: String,
    pub recorded_by: String,
    #[serde(skip)]
    pub recorded_by_id: i64,
    pub recorded_by_name: String,
    /// The State Archives' favourable opinion (date and number), recorded
    /// with the approval.
    pub state_archives_opinion: Option<String>,
    pub approved_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub approved_at: Option<OffsetDateTime>,
    pub files: Vec<i64>,
    pub tombstones: Vec<Tombstone>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Tombstone {
    pub file_id: i64,
    pub file_code: String,
    pub unit: String,
    pub year: i64,
    pub title: String,
    pub retention: String,
    pub disposal_code: String,
    /// The documents disposed of (`incoming:5`…).
    pub documents: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub disposed_at: OffsetDateTime,
}

/// A commission decision to dispose of files.
#[derive(Debug, Clone)]
pub struct NewDisposal {
    pub decision_ref: String,
    pub decision_date: Date,
    pub members: Vec<String>,
    pub note: String,
    pub files: Vec<i64>,
}

const FILE_COLS: &str = "f.id, f.file_code, f.unit, f.year, f.span, f.title, f.state, f.closed_year, f.matter_ended_year, f.legal_hold,
    f.hold_note, f.retention, f.disposal_code, f.disposal_id, (SELECT COUNT(*) FROM archive_file_documents d WHERE d.file_id = f.id) AS documents";

fn file_from(r: &Row) -> Result<ArchiveFile> {
    Ok(ArchiveFile {
        id: r.get("id")?,
        file_code: r.get("file_code")?,
        unit: r.get("unit")?,
        year: r.get("year")?,
        span: r.get("span")?,
        title: r.get("title")?,
        state: r.get("state")?,
        closed_year: r.get("closed_year")?,
        matter_ended_year: r.get("matter_ended_year")?,
        legal_hold: r.get("legal_hold")?,
        hold_note: r.get("hold_note")?,
        retention: r.get("retention")?,
        disposal_code: r.get("disposal_code")?,
        documents: r.get("documents")?,
        disposal_id: r.get("disposal_id")?,
    })
}

pub async fn file(c: &mut impl Conn, id: i64) -> Result<ArchiveFile> {
    file_from(
        &query(format!(
            "SELECT {FILE_COLS} FROM archive_files f WHERE f.id = $1"
        ))
        .bind(id)
        .fetch_one(c)
        .await?,
    )
}

/// A file to open, with the plan's retention and disposal code.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub file_code: String,
    pub unit: String,
    pub year: i64,
    pub span: FileSpan,
    pub title: String,
    pub retention: String,
    pub disposal_code: String,
}

/// Opens a file; `Conflict("file_exists")` for a code, unit and year
/// opened already.
pub async fn open_file(w: &mut Write, f: &NewFile, by: i64) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO archive_files (file_code, unit, year, span, title, state, retention, disposal_code, opened_at, opened_by)
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9) RETURNING id",
    )
    .bind(&f.file_code)
    .bind(&f.unit)
    .bind(f.year)
    .bind(match f.span {
        FileSpan::Yearly => "yearly",
        FileSpan::Matter => "matter",
    })
    .bind(&f.title)
    .bind(&f.retention)
    .bind(&f.disposal_code)
    .bind(at)
    .bind(by)
    .scalar(w)
    .await
    .map_err(on_constraint(Some("file_exists"), None))
}

/// Files a document; `Conflict("already_filed")` for one filed before.
pub async fn file_document(w: &mut Write, file_id: i64, doc: &str, by: i64) -> Result<()> {
    let at = w.at();
    query("INSERT INTO archive_file_documents (doc, file_id, filed_at, filed_by) VALUES ($1, $2, $3, $4)")
        .bind(doc)
        .bind(file_id)
        .bind(at)
        .bind(by)
        .execute(w)
        .await
        .map_err(on_constraint(Some("already_filed"), None))?;
    Ok(())
}

/// Closes a file in `closed_year`: nothing more is filed into it.
pub async fn close_file(w: &mut Write, id: i64, by: i64, closed_year: i64) -> Result<()> {
    let at = w.at();
    query("UPDATE archive_files SET state = 'closed', closed_at = $2, closed_by = $3, closed_year = $4 WHERE id = $1")
        .bind(id)
        .bind(at)
        .bind(by)
        .bind(closed_year)
        .execute(w)
        .await?;
    Ok(())
}

/// Places (or with `None`, lifts) a legal hold, or records the year a
/// B-coded file's matter ended.
pub async fn set_hold(w: &mut Write, id: i64, hold: Option<LegalHold>, note: &str) -> Result<()> {
    query("UPDATE archive_files SET legal_hold = $2, hold_note = $3 WHERE id = $1")
        .bind(id)
        .bind(hold.map(|h| h.code()))
        .bind(note)
        .execute(w)
        .await?;
    Ok(())
}

pub async fn set_matter_ended(w: &mut Write, id: i64, year: Option<i64>) -> Result<()> {
    query("UPDATE archive_files SET matter_ended_year = $2 WHERE id = $1")
        .bind(id)
        .bind(year)
        .execute(w)
        .await?;
    Ok(())
}

/// Which files a list reads (a prefilter in index order; the rule that
/// decides what may happen to each is `domain::archive::disposition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileList {
    /// Open files (for filing).
    Open,
    /// The closed files of a year (the yearly transfer to the unit archive).
    ClosedIn { year: i64 },
    /// Closed files whose retention may have run out by `this_year`:
    /// numeric retention counted from the file's end year, or B with the
    /// matter's end recorded.
    MaybeExpired { this_year: i64 },
}

pub async fn files(c: &mut impl Conn, list: FileList, limit: i64) -> Result<Vec<ArchiveFile>> {
    let (filter, bind) = match list {
        FileList::Open => ("f.state = 'open' AND $1 = $1", 0),
        FileList::ClosedIn { year } => ("f.state = 'closed' AND f.year = $1", year),
        FileList::MaybeExpired { this_year } => (
            "f.state = 'closed' AND ((f.retention <> 'B' AND f.year + CAST(f.retention AS INTEGER) < $1)
              OR (f.retention = 'B' AND f.matter_ended_year IS NOT NULL AND f.matter_ended_year < $1))",
            this_year,
        ),
    };
    query(format!("SELECT {FILE_COLS} FROM archive_files f WHERE {filter} ORDER BY f.file_code, f.unit, f.year LIMIT $2"))
        .bind(bind)
        .bind(limit)
        .fetch_all(c)
        .await?
        .iter()
        .map(file_from)
        .collect()
}

/// The file of a code, unit and year, if opened.
pub async fn find_file(
    c: &mut impl Conn,
    code: &str,
    unit: &str,
    year: i64,
) -> Result<Option<i64>> {
    query("SELECT id FROM archive_files WHERE file_code = $1 AND unit = $2 AND year = $3")
        .bind(code)
        .bind(unit)
        .bind(year)
        .scalar_opt(c)
        .await
}

/// The documents of a file, in the order they were filed.
pub async fn file_documents(c: &mut impl Conn, id: i64) -> Result<Vec<String>> {
    query("SELECT doc FROM archive_file_documents WHERE file_id = $1 ORDER BY filed_at, doc")
        .bind(id)
        .scalars(c)
        .await
}

/// The file a document is in, if filed.
pub async fn file_of(c: &mut impl Conn, doc: &str) -> Result<Option<ArchiveFile>> {
    match query("SELECT file_id FROM archive_file_documents WHERE doc = $1")
        .bind(doc)
        .scalar_opt::<i64>(c)
        .await?
    {
        Some(id) => Ok(Some(file(c, id).await?)),
        None => Ok(None),
    }
}

/// Records a disposal list (awaiting approval); its id.
pub async fn propose_disposal(w: &mut Write, d: &NewDisposal, by: i64) -> Result<i64> {
    let at = w.at();
    let id: i64 = query(
        "INSERT INTO disposals (decision_ref, decision_date, members, note, recorded_by, recorded_at, state)
         VALUES ($1, $2, $3, $4, $5, $6, 'awaiting_approval') RETURNING id",
    )
    .bind(&d.decision_ref)
    .bind(d.decision_date)
    .bind(d.members.join("\n"))
    .bind(&d.note)
    .bind(by)
    .bind(at)
    .scalar(w)
    .await?;
    let mut q = query("INSERT INTO disposal_files (disposal_id, file_id) ");
    q.push_values(&d.files, |row, f| {
        row.bind(id).bind(*f);
    });
    q.execute(w).await?;
    Ok(id)
}

/// Destroys what a file holds, keeps a tombstone of it and marks it
/// disposed by `disposal`: the documents' subjects, texts and attachment
/// links go; their numbers and dates stay. The documents it held.
pub async fn dispose_file(w: &mut Write, f: &ArchiveFile, disposal: i64) -> Result<Vec<String>> {
    let at = w.at();
    let docs = file_documents(w, f.id).await?;
    let files = crate::attachments::files_of(w, &docs).await?;
    for doc in &docs {
        let Some((kind, id)) = doc.split_once(':') else {
            continue;
        };
        let Ok(id) = id.parse::<i64>() else { continue };
        let statements: &[&str] = match kind {
            "incoming" => &[
                "UPDATE incoming SET subject = '(imha edildi)', sender_ref = '', closing_note = NULL WHERE id = $1",
                "DELETE FROM incoming_attachments WHERE incoming_id = $1",
            ],
            "outgoing" => &["UPDATE outgoing SET subject = '(imha edildi)', body = '', note = NULL WHERE id = $1", "DELETE FROM outgoing_attachments WHERE outgoing_id = $1"],
            "archive" => &[
                "UPDATE archive_items SET title = '(imha edildi)', source_path = '', disposed_at = CURRENT_TIMESTAMP WHERE id = $1",
            ],
            _ => &[],
        };
        for sql in statements {
            query(*sql).bind(id).execute(w).await?;
        }
    }
    query(
        "INSERT INTO disposal_tombstones (disposal_id, file_id, file_code, unit, year, title, retention, disposal_code, documents, disposed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(disposal)
    .bind(f.id)
    .bind(&f.file_code)
    .bind(&f.unit)
    .bind(f.year)
    .bind(&f.title)
    .bind(&f.retention)
    .bind(&f.disposal_code)
    .bind(docs.join(","))
    .bind(at)
    .execute(w)
    .await?;
    query("UPDATE archive_files SET state = 'disposed', disposal_id = $2 WHERE id = $1")
        .bind(f.id)
        .bind(disposal)
        .execute(&mut *w)
        .await?;
    // The files nothing surviving holds any more are destroyed: unreadable
    // from now on, their text gone; their bytes follow (`app::collect`).
    crate::attachments::decide_destruction(
        w,
        &files,
        crate::attachments::DestructionReason::Disposal(disposal),
    )
    .await?;
    Ok(docs)
}

/// Marks a disposal list approved and done.
pub async fn approve_disposal(
    w: &mut Write,
    id: i64,
    by: i64,
    state_archives_opinion: &str,
) -> Result<()> {
    let at = w.at();
    query("UPDATE disposals SET state = 'done', approved_by = $2, approved_at = $3, state_archives_opinion = $4 WHERE id = $1")
        .bind(id)
        .bind(by)
        .bind(at)
        .bind(Some(state_archives_opinion).filter(|o| !o.is_empty()))
        .execute(w)
        .await?;
    Ok(())
}

/// A disposal list, its files and tombstones.
pub async fn disposal(c: &mut impl Conn, id: i64) -> Result<Disposal> {
    let r = query(
        "SELECT d.*, u.username, u.display_name, a.display_name AS approved_by_name FROM disposals d JOIN users u ON u.id = d.recorded_by
         LEFT JOIN users a ON a.id = d.approved_by WHERE d.id = $1",
    )
    .bind(id)
    .fetch_one(c)
    .await?;
    let members: String = r.get("members")?;
    let date: Date = r.get("decision_date")?;
    let mut d = Disposal {
        id,
        state: r.get("state")?,
        decision_ref: r.get("decision_ref")?,
        decision_date: date.to_string(),
        members: members.lines().map(str::to_owned).collect(),
        note: r.get("note")?,
        recorded_by: r.get("username")?,
        recorded_by_id: r.get("recorded_by")?,
        recorded_by_name: r.get("display_name")?,
        state_archives_opinion: r.get("state_archives_opinion")?,
        approved_by_name: r.get("approved_by_name")?,
        approved_at: r.get("approved_at")?,
        files: query("SELECT file_id FROM disposal_files WHERE disposal_id = $1 ORDER BY file_id")
            .bind(id)
            .scalars(c)
            .await?,
        tombstones: Vec::new(),
    };
    for t in
        query("SELECT * FROM disposal_tombstones WHERE disposal_id = $1 ORDER BY file_code, year")
            .bind(id)
            .fetch_all(c)
            .await?
    {
        d.tombstones.push(Tombstone {
            file_id: t.get("file_id")?,
            file_code: t.get("file_code")?,
            unit: t.get("unit")?,
            year: t.get("year")?,
            title: t.get("title")?,
            retention: t.get("retention")?,
            disposal_code: t.get("disposal_code")?,
            documents: t.list("documents")?,
            disposed_at: t.get("disposed_at")?,
        });
    }
    Ok(d)
}

/// Disposal lists awaiting approval, oldest first.
pub async fn pending_disposals(c: &mut impl Conn) -> Result<Vec<i64>> {
    query("SELECT id FROM disposals WHERE state = 'awaiting_approval' ORDER BY id")
        .scalars(c)
        .await
}

/// The files of `ids` already on a list awaiting approval.
pub async fn files_pending(c: &mut impl Conn, ids: &[i64]) -> Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = query("SELECT f.file_id FROM disposal_files f JOIN disposals d ON d.id = f.disposal_id WHERE d.state = 'awaiting_approval' AND f.file_id IN ");
    q.push_list(ids.iter().copied());
    q.scalars(c).await
}

/// Which of these documents were disposed of (their file disposed).
pub async fn disposed_documents(c: &mut impl Conn, docs: &[String]) -> Result<Vec<String>> {
    if docs.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = query("SELECT d.doc FROM archive_file_documents d JOIN archive_files f ON f.id = d.file_id WHERE f.state = 'disposed' AND d.doc IN ");
    q.push_list(docs.iter());
    q.scalars(c).await
}

/// The year a document belongs to, and whether it is completed (an
/// incoming document closed, a letter signed, a scanned item), for the
/// filing rule; `None` for a document that does not exist.
pub async fn document_facts(c: &mut impl Conn, doc: &str) -> Result<Option<(String, i64, bool)>> {
    let Some((kind, id)) = doc.split_once(':') else {
        return Err(StoreError::Conflict("bad_document"));
    };
    let Ok(id) = id.parse::<i64>() else {
        return Err(StoreError::Conflict("bad_document"));
    };
    let row = match kind {
        "incoming" => query("SELECT file_code, registered_at AS at, state = 'closed' AS done FROM incoming WHERE id = $1"),
        "outgoing" => query("SELECT file_code, COALESCE(signed_at, created_at) AS at, number IS NOT NULL AS done FROM outgoing WHERE id = $1"),
        "archive" => query("SELECT file_code, imported_at AS at, TRUE AS done, year FROM archive_items WHERE id = $1"),
        _ => return Err(StoreError::Conflict("bad_document")),
    }
    .bind(id)
    .fetch_optional(c)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let year = if kind == "archive" {
        r.get::<i64>("year")?
    } else {
        i64::from(domain::local::date(r.get::<OffsetDateTime>("at")?).year())
    };
    Ok(Some((r.get("file_code")?, year, r.get("done")?)))
}

/// The register numbers of documents given by key (`incoming:5`,
/// `outgoing:7`), for lists that name them: key → number.
pub async fn document_numbers(
    c: &mut impl Conn,
    keys: &[String],
) -> Result<std::collections::HashMap<String, String>> {
    let mut out = std::collections::HashMap::new();
    for (kind, table) in [("incoming", "incoming"), ("outgoing", "outgoing")] {
        let ids: Vec<i64> = keys
            .iter()
            .filter_map(|k| {
                k.strip_prefix(kind)
                    .and_then(|r| r.strip_prefix(':'))
                    .and_then(|i| i.parse().ok())
            })
            .take(1000)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let mut q = query(format!(
            "SELECT id, number FROM {table} WHERE number IS NOT NULL AND id IN "
        ));
        q.push_list(ids.iter().copied());
        for r in q.fetch_all(c).await? {
            let id: i64 = r.get("id")?;
            let number: String = r.get("number")?;
            out.insert(format!("{kind}:{id}"), number);
        }
    }
    Ok(out)
}
