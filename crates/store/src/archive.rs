//! The archive (m.22): files per Standard File Plan code, unit and year;
//! filing documents into them; closing them; the yearly transfer list and
//! the list of files whose retention has run out; and disposal by the
//! ayıklama-imha commission's recorded decision.
//!
//! A disposal never deletes silently: the file is marked disposed, the
//! documents' content (subjects, texts, attachments' links) is destroyed,
//! their numbers and dates stay in the registers, a tombstone records what
//! was disposed, when, and by which decision, and the audit chain (which
//! no disposal touches) stays verifiable.

use domain::profile::Profile;
use time::Date;

use crate::{NewAudit, Result, Store, StoreError, User};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ArchiveFile {
    pub id: i64,
    pub file_code: String,
    pub unit: String,
    pub year: i64,
    pub title: String,
    /// open, closed, disposed
    pub state: String,
    pub retention: String,
    pub disposal_code: String,
    pub documents: i64,
    pub disposal_id: Option<i64>,
}

impl ArchiveFile {
    /// The first year the file may be disposed of (its year plus its
    /// retention, counted in whole years after it); `None` for `B` (kept
    /// at the institution).
    pub fn disposable_from(&self) -> Option<i64> {
        self.retention.trim().parse::<i64>().ok().map(|n| self.year + n + 1)
    }

    /// Destined for the State Archives: never destroyed (A, A1, A2, A3).
    pub fn goes_to_state_archives(&self) -> bool {
        self.disposal_code.starts_with('A')
    }
}

/// Which files a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileList {
    /// The yearly transfer list: the closed files of a year.
    Transfer { year: i64 },
    /// Closed files whose retention has run out by this year.
    Expired { this_year: i64 },
    /// Open files (for filing).
    Open,
}

/// A recorded disposal with the tombstones of what it disposed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Disposal {
    pub id: i64,
    pub decision_ref: String,
    pub decision_date: String,
    pub members: Vec<String>,
    pub note: String,
    pub recorded_by: String,
    pub tombstones: Vec<Tombstone>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
    pub disposed_at: time::OffsetDateTime,
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

for_each_engine! {
    use sqlx::Row;
    use super::*;

    const FILE_COLS: &str = "f.id, f.file_code, f.unit, f.year, f.title, f.state, f.retention, f.disposal_code, f.disposal_id,
        (SELECT COUNT(*) FROM archive_file_documents d WHERE d.file_id = f.id) AS documents";

    fn file_from(r: &DbRow) -> Result<ArchiveFile> {
        Ok(ArchiveFile {
            id: r.try_get("id")?,
            file_code: r.try_get("file_code")?,
            unit: r.try_get("unit")?,
            year: r.try_get("year")?,
            title: r.try_get("title")?,
            state: r.try_get("state")?,
            retention: r.try_get("retention")?,
            disposal_code: r.try_get("disposal_code")?,
            documents: r.try_get("documents")?,
            disposal_id: r.try_get("disposal_id")?,
        })
    }

    async fn file_in(c: &mut Conn, id: i64) -> Result<ArchiveFile> {
        let r = sqlx::query(&format!("SELECT {FILE_COLS} FROM archive_files f WHERE f.id = $1"))
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .ok_or(StoreError::NotFound)?;
        file_from(&r)
    }

    pub async fn file(db: &Db, id: i64) -> Result<ArchiveFile> {
        file_in(&mut *read(db).await?, id).await
    }

    /// Opens the file of a code, unit and year (m.22), with the plan's
    /// retention and disposal code; the Kalem keeps the files.
    #[allow(clippy::too_many_arguments)]
    pub async fn open_file(db: &Db, profile: &Profile, actor: &User, code: &str, unit: &str, year: i64, title: &str, retention: &str, disposal: &str) -> Result<i64> {
        let mut tx = begin(db).await?;
        let at = crate::now();
        let basis = people::authorize_in(&mut tx, profile, actor.id, "register_correspondence", at).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO archive_files (file_code, unit, year, title, state, retention, disposal_code, opened_at, opened_by)
             VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8) RETURNING id",
        )
        .bind(code).bind(unit).bind(year).bind(title).bind(retention).bind(disposal).bind(at).bind(actor.id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict("file_exists"),
            _ => e.into(),
        })?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "archive.file_opened",
            subject: format!("file:{id}"),
            basis: people::basis_text(&basis),
            details: serde_json::json!({"after": {"file_code": code, "unit": unit, "year": year, "title": title, "retention": retention, "disposal_code": disposal}}),
        })
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The file code of a document (`incoming:5`, `outgoing:7`, `archive:3`).
    async fn document_code(c: &mut Conn, doc: &str) -> Result<String> {
        let (kind, id) = doc.split_once(':').ok_or(StoreError::Conflict("bad_document"))?;
        let id: i64 = id.parse().map_err(|_| StoreError::Conflict("bad_document"))?;
        let sql = match kind {
            "incoming" => "SELECT file_code FROM incoming WHERE id = $1",
            "outgoing" => "SELECT file_code FROM outgoing WHERE id = $1 AND state IN ('signed', 'dispatched')",
            "archive" => "SELECT file_code FROM archive_items WHERE id = $1",
            _ => return Err(StoreError::Conflict("bad_document")),
        };
        sqlx::query_scalar(sql).bind(id).fetch_optional(c).await?.ok_or(StoreError::Conflict("unknown_document"))
    }

    /// Files a document into an open file of its own code.
    pub async fn file_document(db: &Db, profile: &Profile, actor: &User, file_id: i64, doc: &str) -> Result<()> {
        let mut tx = begin(db).await?;
        let at = crate::now();
        let basis = people::authorize_in(&mut tx, profile, actor.id, "register_correspondence", at).await?;
        let f = file_in(&mut tx, file_id).await?;
        if f.state != "open" {
            return Err(StoreError::Conflict("file_not_open"));
        }
        if document_code(&mut tx, doc).await? != f.file_code {
            return Err(StoreError::Conflict("file_code_mismatch"));
        }
        sqlx::query("INSERT INTO archive_file_documents (doc, file_id, filed_at, filed_by) VALUES ($1, $2, $3, $4)")
            .bind(doc).bind(file_id).bind(at).bind(actor.id)
            .execute(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict("already_filed"),
                _ => e.into(),
            })?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "archive.document_filed",
            subject: doc.to_owned(),
            basis: people::basis_text(&basis),
            details: serde_json::json!({"after": {"file": file_id, "file_code": f.file_code, "year": f.year}}),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes a file: nothing more is filed into it, and its retention runs.
    pub async fn close_file(db: &Db, profile: &Profile, actor: &User, id: i64) -> Result<()> {
        let mut tx = begin(db).await?;
        let at = crate::now();
        let basis = people::authorize_in(&mut tx, profile, actor.id, "register_correspondence", at).await?;
        let f = file_in(&mut tx, id).await?;
        if f.state != "open" {
            return Err(StoreError::Conflict("file_not_open"));
        }
        sqlx::query("UPDATE archive_files SET state = 'closed', closed_at = $2, closed_by = $3 WHERE id = $1")
            .bind(id).bind(at).bind(actor.id).execute(&mut *tx).await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "archive.file_closed",
            subject: format!("file:{id}"),
            basis: people::basis_text(&basis),
            details: serde_json::json!({"before": {"state": "open"}, "after": {"state": "closed", "documents": f.documents}}),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A list of files, by code.
    pub async fn files(db: &Db, list: FileList, limit: i64) -> Result<Vec<ArchiveFile>> {
        let mut c = read(db).await?;
        let (filter, bind): (&str, i64) = match list {
            FileList::Transfer { year } => ("f.state = 'closed' AND f.year = $1", year),
            // Numeric retention only (B never runs out); whole years after the file's year.
            FileList::Expired { this_year } => (
                "f.state = 'closed' AND f.retention <> 'B' AND f.year + CAST(f.retention AS INTEGER) < $1",
                this_year,
            ),
            FileList::Open => ("f.state = 'open' AND $1 = $1", 0),
        };
        let rows = sqlx::query(&format!("SELECT {FILE_COLS} FROM archive_files f WHERE {filter} ORDER BY f.file_code, f.unit, f.year LIMIT $2"))
            .bind(bind)
            .bind(limit)
            .fetch_all(&mut *c)
            .await?;
        rows.iter().map(file_from).collect()
    }

    /// Disposes of files by the commission's decision: each must be closed,
    /// past its retention and not destined for the State Archives; all or
    /// none. The documents' content goes; a tombstone of each file stays.
    pub async fn dispose(db: &Db, profile: &Profile, actor: &User, d: &NewDisposal, this_year: i64) -> Result<i64> {
        let mut tx = begin(db).await?;
        let at = crate::now();
        let basis = people::authorize_in(&mut tx, profile, actor.id, "dispose_archive", at).await?;
        let mut files = Vec::new();
        for id in &d.files {
            let f = file_in(&mut tx, *id).await?;
            match f.state.as_str() {
                "closed" => {}
                "disposed" => return Err(StoreError::Conflict("already_disposed")),
                _ => return Err(StoreError::Conflict("file_not_closed")),
            }
            match f.disposable_from() {
                Some(y) if y <= this_year => {}
                _ => return Err(StoreError::Conflict("retention_not_over")),
            }
            if f.goes_to_state_archives() {
                return Err(StoreError::Conflict("goes_to_state_archives"));
            }
            files.push(f);
        }
        let disposal: i64 = sqlx::query_scalar(
            "INSERT INTO disposals (decision_ref, decision_date, members, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&d.decision_ref).bind(d.decision_date).bind(d.members.join("\n")).bind(&d.note).bind(actor.id).bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let mut changed = Vec::new();
        for f in &files {
            let docs: Vec<String> = sqlx::query_scalar("SELECT doc FROM archive_file_documents WHERE file_id = $1 ORDER BY doc")
                .bind(f.id).fetch_all(&mut *tx).await?;
            for doc in &docs {
                let Some((kind, id)) = doc.split_once(':') else { continue };
                let id: i64 = id.parse().unwrap_or(0);
                let statements: &[&str] = match kind {
                    "incoming" => &[
                        "UPDATE incoming SET subject = '(imha edildi)', sender_ref = '', closing_note = NULL WHERE id = $1",
                        "DELETE FROM incoming_attachments WHERE incoming_id = $1",
                    ],
                    "outgoing" => &[
                        "UPDATE outgoing SET subject = '(imha edildi)', body = '', note = NULL WHERE id = $1",
                        "DELETE FROM outgoing_attachments WHERE outgoing_id = $1",
                    ],
                    "archive" => &[
                        "UPDATE archive_items SET title = '(imha edildi)', source_path = '' WHERE id = $1",
                        "UPDATE blob_texts SET text = NULL WHERE sha256 = (SELECT sha256 FROM archive_items WHERE id = $1)",
                    ],
                    _ => &[],
                };
                for sql in statements {
                    sqlx::query(sql).bind(id).execute(&mut *tx).await?;
                }
                changed.push(doc.clone());
            }
            sqlx::query(
                "INSERT INTO disposal_tombstones (disposal_id, file_id, file_code, unit, year, title, retention, disposal_code, documents, disposed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(disposal).bind(f.id).bind(&f.file_code).bind(&f.unit).bind(f.year).bind(&f.title).bind(&f.retention)
            .bind(&f.disposal_code).bind(docs.join(",")).bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE archive_files SET state = 'disposed', disposal_id = $2 WHERE id = $1").bind(f.id).bind(disposal).execute(&mut *tx).await?;
            base::chain(&mut tx, &NewAudit {
                actor: Some(actor.username.clone()),
                action: "archive.file_disposed",
                subject: format!("file:{}", f.id),
                basis: people::basis_text(&basis),
                details: serde_json::json!({"before": {"state": "closed"}, "after": {"state": "disposed", "disposal": disposal,
                    "decision_ref": d.decision_ref, "decision_date": d.decision_date.to_string(), "members": d.members,
                    "file_code": f.file_code, "year": f.year, "documents": docs}}),
            })
            .await?;
        }
        search::note_changes(&mut tx, &changed).await?;
        tx.commit().await?;
        Ok(disposal)
    }

    /// The file of a code, unit and year, if opened.
    pub async fn find_file(db: &Db, code: &str, unit: &str, year: i64) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM archive_files WHERE file_code = $1 AND unit = $2 AND year = $3")
            .bind(code).bind(unit).bind(year)
            .fetch_optional(&mut *read(db).await?)
            .await?)
    }

    /// The documents of a file, in the order they were filed.
    pub async fn file_documents(db: &Db, id: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT doc FROM archive_file_documents WHERE file_id = $1 ORDER BY filed_at, doc")
            .bind(id)
            .fetch_all(&mut *read(db).await?)
            .await?)
    }

    /// The file a document is in, if filed.
    pub async fn file_of(db: &Db, doc: &str) -> Result<Option<ArchiveFile>> {
        let mut c = read(db).await?;
        let id: Option<i64> = sqlx::query_scalar("SELECT file_id FROM archive_file_documents WHERE doc = $1").bind(doc).fetch_optional(&mut *c).await?;
        match id {
            Some(id) => Ok(Some(file_in(&mut c, id).await?)),
            None => Ok(None),
        }
    }

    /// A disposal and its tombstones.
    pub async fn disposal(db: &Db, id: i64) -> Result<Disposal> {
        let mut c = read(db).await?;
        let r = sqlx::query("SELECT d.*, u.username FROM disposals d JOIN users u ON u.id = d.recorded_by WHERE d.id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .ok_or(StoreError::NotFound)?;
        let members: String = r.try_get("members")?;
        let date: Date = r.try_get("decision_date")?;
        let mut d = Disposal {
            id,
            decision_ref: r.try_get("decision_ref")?,
            decision_date: date.to_string(),
            members: members.lines().map(str::to_owned).collect(),
            note: r.try_get("note")?,
            recorded_by: r.try_get("username")?,
            tombstones: Vec::new(),
        };
        for t in sqlx::query("SELECT * FROM disposal_tombstones WHERE disposal_id = $1 ORDER BY file_code, year").bind(id).fetch_all(&mut *c).await? {
            let docs: String = t.try_get("documents")?;
            d.tombstones.push(Tombstone {
                file_id: t.try_get("file_id")?,
                file_code: t.try_get("file_code")?,
                unit: t.try_get("unit")?,
                year: t.try_get("year")?,
                title: t.try_get("title")?,
                retention: t.try_get("retention")?,
                disposal_code: t.try_get("disposal_code")?,
                documents: docs.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
                disposed_at: t.try_get("disposed_at")?,
            });
        }
        Ok(d)
    }

    /// Whether a document was disposed of (its file disposed).
    pub async fn disposed_documents(c: &mut Conn, docs: &[String]) -> Result<Vec<String>> {
        if docs.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = sqlx::QueryBuilder::<Kind>::new(
            "SELECT d.doc FROM archive_file_documents d JOIN archive_files f ON f.id = d.file_id WHERE f.state = 'disposed' AND d.doc IN (",
        );
        let mut list = q.separated(", ");
        for d in docs {
            list.push_bind(d.as_str());
        }
        q.push(")");
        Ok(q.build().fetch_all(c).await?.iter().map(|r| r.try_get("doc")).collect::<std::result::Result<_, _>>()?)
    }
}

/// The use-cases of this module, dispatched to the store's engine.
impl dyn Store {
    pub async fn archive_file(&self, id: i64) -> Result<ArchiveFile> {
        dispatch!(self, archive::file(id))
    }
    #[allow(clippy::too_many_arguments)]
    pub async fn open_archive_file(&self, profile: &Profile, actor: &User, code: &str, unit: &str, year: i64, title: &str, retention: &str, disposal: &str) -> Result<i64> {
        dispatch!(self, archive::open_file(profile, actor, code, unit, year, title, retention, disposal))
    }
    pub async fn file_document(&self, profile: &Profile, actor: &User, file_id: i64, doc: &str) -> Result<()> {
        dispatch!(self, archive::file_document(profile, actor, file_id, doc))
    }
    pub async fn close_archive_file(&self, profile: &Profile, actor: &User, id: i64) -> Result<()> {
        dispatch!(self, archive::close_file(profile, actor, id))
    }
    pub async fn archive_files(&self, list: FileList, limit: i64) -> Result<Vec<ArchiveFile>> {
        dispatch!(self, archive::files(list, limit))
    }
    pub async fn find_archive_file(&self, code: &str, unit: &str, year: i64) -> Result<Option<i64>> {
        dispatch!(self, archive::find_file(code, unit, year))
    }
    pub async fn archive_file_documents(&self, id: i64) -> Result<Vec<String>> {
        dispatch!(self, archive::file_documents(id))
    }
    pub async fn file_of_document(&self, doc: &str) -> Result<Option<ArchiveFile>> {
        dispatch!(self, archive::file_of(doc))
    }
    pub async fn disposal(&self, id: i64) -> Result<Disposal> {
        dispatch!(self, archive::disposal(id))
    }
    pub async fn dispose_files(&self, profile: &Profile, actor: &User, d: &NewDisposal, this_year: i64) -> Result<i64> {
        dispatch!(self, archive::dispose(profile, actor, d, this_year))
    }
}
