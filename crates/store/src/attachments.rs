//! The registry of stored files (the bytes are in `blob.rs`'s object
//! store, named by their SHA-256), and which records hold each file: what
//! decides who may read it.

use crate::db::{query, Conn};
use crate::{Result, Write};

/// A stored file's registry row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlobRecord {
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
}

/// Registers a stored file; registering the same content again is a no-op.
pub async fn record(w: &mut Write, b: &BlobRecord, by: Option<i64>) -> Result<()> {
    let at = w.at();
    query(
        "INSERT INTO blobs (sha256, size, content_type, created_at, created_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&b.sha256)
    .bind(b.size)
    .bind(&b.content_type)
    .bind(at)
    .bind(by)
    .execute(w)
    .await?;
    Ok(())
}

pub async fn get(c: &mut impl Conn, sha256: &str) -> Result<Option<BlobRecord>> {
    query("SELECT sha256, size, content_type FROM blobs WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(c)
        .await?
        .map(|r| Ok(BlobRecord { sha256: r.get(0)?, size: r.get(1)?, content_type: r.get(2)? }))
        .transpose()
}

/// Who holds a file: the incoming documents, the letters and the archive
/// items it is attached to, and who uploaded it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holders {
    pub incoming: Vec<i64>,
    pub letters: Vec<i64>,
    pub archive_items: Vec<i64>,
    pub uploaded_by: Option<i64>,
}

impl Holders {
    pub fn is_empty(&self) -> bool {
        self.incoming.is_empty() && self.letters.is_empty() && self.archive_items.is_empty()
    }
}

/// A registered file and who uploaded it first, in one look-up.
pub async fn get_with_uploader(c: &mut impl Conn, sha256: &str) -> Result<Option<(BlobRecord, Option<i64>)>> {
    query("SELECT sha256, size, content_type, created_by FROM blobs WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(c)
        .await?
        .map(|r| Ok((BlobRecord { sha256: r.get(0)?, size: r.get(1)?, content_type: r.get(2)? }, r.get(3)?)))
        .transpose()
}

/// Who uploaded a file first (the account that registered it).
pub async fn uploaded_by(c: &mut impl Conn, sha256: &str) -> Result<Option<i64>> {
    Ok(query("SELECT created_by FROM blobs WHERE sha256 = $1").bind(sha256).scalar_opt::<Option<i64>>(c).await?.flatten())
}

/// The records holding a file, at most [`HOLDERS_SEEN`] of each kind (a
/// reader needs one he may see; a file on a thousand documents is not
/// read a thousand times).
pub async fn holders(c: &mut impl Conn, sha256: &str) -> Result<Holders> {
    Ok(Holders {
        incoming: query("SELECT incoming_id FROM incoming_attachments WHERE sha256 = $1 ORDER BY incoming_id LIMIT $2")
            .bind(sha256)
            .bind(HOLDERS_SEEN)
            .scalars(c)
            .await?,
        letters: query(
            "SELECT outgoing_id FROM (SELECT outgoing_id FROM outgoing_attachments WHERE sha256 = $1
             UNION SELECT outgoing_id FROM outgoing_signatures WHERE sha256 = $1) l ORDER BY 1 LIMIT $2",
        )
        .bind(sha256)
        .bind(HOLDERS_SEEN)
        .scalars(c)
        .await?,
        archive_items: query("SELECT id FROM archive_items WHERE sha256 = $1 ORDER BY id LIMIT $2").bind(sha256).bind(HOLDERS_SEEN).scalars(c).await?,
        uploaded_by: uploaded_by(c, sha256).await?,
    })
}

/// How many holders of each kind a visibility check looks at.
pub const HOLDERS_SEEN: i64 = 20;
