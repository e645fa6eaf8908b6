//! Attachments: files kept in the content-addressed blob store and
//! registered (and audited) in the database.

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::Stream;
use store::{BlobRecord, NewAudit, User};

use crate::{App, AppError, Result};

/// Content types accepted for attachments: documents and scans.
pub const ALLOWED_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/tiff",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "application/octet-stream",
];

impl App {
    /// Streams an upload into the blob store and registers it. Over the size
    /// limit: `TooLarge`, and nothing is stored.
    pub async fn store_attachment<S, E>(&self, actor: &User, content_type: &str, body: S) -> Result<BlobRecord>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Send,
        E: std::fmt::Display,
    {
        let content_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if !ALLOWED_TYPES.contains(&content_type.as_str()) {
            return Err(AppError::invalid("content_type", "unsupported_type"));
        }
        let stored = self.blobs.put(body).await?;
        let rec = BlobRecord { sha256: stored.sha256.clone(), size: stored.size as i64, content_type };
        let audit = NewAudit {
            actor: Some(actor.username.clone()),
            action: "attachment.stored",
            subject: format!("blob:{}", stored.sha256),
            basis: "signed-in user".into(),
            details: serde_json::json!({ "size": stored.size, "content_type": rec.content_type }),
        };
        self.store.record_blob(rec.clone(), actor.id, audit).await?;
        Ok(rec)
    }

    /// A registered attachment and its bytes.
    pub async fn attachment(
        &self,
        _actor: &User,
        sha256: &str,
    ) -> Result<(BlobRecord, BoxStream<'static, std::result::Result<Bytes, store::blob::BlobError>>)> {
        let rec = self.store.blob(sha256).await?.ok_or(AppError::NotFound)?;
        let stream = self.blobs.get(&rec.sha256).await?;
        Ok((rec, stream))
    }
}
