//! Attachments: files kept in the content-addressed blob store and
//! registered (and audited) in the database, and read back only by those
//! who may see a record holding them.

use bytes::Bytes;
use domain::authority::Grant;
use domain::code::Code;
use futures::stream::BoxStream;
use futures::Stream;
pub use store::attachments::BlobRecord;
use store::Audit;

use crate::{App, AppError, Result, User};

pub use store::blob::BlobError;

impl App {
    /// Streams an upload into the blob store and registers it. What it is
    /// comes from its first bytes (`domain::filetype`), not from the
    /// declared type or a file name: anything but PDF, PNG, JPEG, TIFF,
    /// DOCX, ODT and plain text is refused before a byte is stored. Over
    /// the size limit: `TooLarge`, and nothing is stored.
    pub async fn store_attachment<S, E>(&self, actor: &User, body: S) -> Result<BlobRecord>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Send,
        E: std::fmt::Display + Send,
    {
        let rec = self.put_file(body).await?;
        let mut w = self.write().await?;
        let audit = self
            .record_file(&mut w, &Grant::own_account(actor), &rec)
            .await?;
        w.commit(audit).await?;
        Ok(rec)
    }

    /// Stores a file's bytes (sniffing what it is first); not yet
    /// registered.
    pub(crate) async fn put_file<S, E>(&self, body: S) -> Result<BlobRecord>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Send,
        E: std::fmt::Display + Send,
    {
        use futures::StreamExt;
        let mut body = Box::pin(body);
        let mut head = Vec::new();
        let mut first = Vec::new();
        let mut ended = false;
        while head.len() < domain::filetype::SNIFF_LEN {
            match body.next().await {
                Some(Ok(chunk)) => {
                    head.extend_from_slice(&chunk);
                    first.push(Ok(chunk));
                }
                Some(Err(e)) => {
                    first.push(Err(e));
                    break;
                }
                None => {
                    ended = true;
                    break;
                }
            }
        }
        let content_type = domain::filetype::sniff(&head, ended)
            .ok_or(AppError::invalid("content_type", Code::UnsupportedType))?
            .to_owned();
        let stored = self
            .blobs
            .put(futures::stream::iter(first).chain(body))
            .await?;
        Ok(BlobRecord {
            sha256: stored.sha256,
            size: stored.size as i64,
            content_type,
        })
    }

    /// Registers a stored file inside `w`; the audit record to commit with.
    pub(crate) async fn record_file(
        &self,
        w: &mut store::Write,
        grant: &Grant,
        rec: &BlobRecord,
    ) -> Result<Audit> {
        store::attachments::record(w, rec, grant.user()).await?;
        Ok(Audit::new(
            grant,
            "attachment.stored",
            format!("blob:{}", rec.sha256),
            serde_json::json!({ "size": rec.size, "content_type": rec.content_type }),
        ))
    }

    /// A registered attachment and its bytes, if the reader may see a
    /// record holding it (an incoming document, a letter, an archive
    /// item); a file no record holds yet only by whoever uploaded it.
    /// Anything else is `NotFound`, which does not tell that it exists.
    pub async fn attachment(
        &self,
        actor: &User,
        sha256: &str,
    ) -> Result<(
        BlobRecord,
        BoxStream<'static, std::result::Result<Bytes, store::blob::BlobError>>,
    )> {
        let rec = self.visible_attachment(actor, sha256).await?;
        let stream = self.blobs.get(&rec.sha256).await?;
        Ok((rec, stream))
    }

    /// Whether `actor` may put the file `sha256` on a record he makes (a
    /// registration, a letter): only a file he uploaded or may read, so
    /// that knowing a file's hash never opens it.
    pub(crate) async fn may_read_blob(&self, actor: &User, sha256: &str) -> Result<bool> {
        Ok(self.may_attach(actor, sha256).await.is_ok())
    }

    pub(crate) async fn may_attach(&self, actor: &User, sha256: &str) -> Result<()> {
        // His own upload (one indexed look-up): putting it on a record
        // shows him nothing he does not have. Reading it is another matter
        // (`visible_attachment`).
        if let Some((_, true)) =
            store::attachments::get_for(&mut self.read().await?, sha256, actor.id).await?
        {
            return Ok(());
        }
        match self.visible_attachment(actor, sha256).await {
            Ok(_) => Ok(()),
            Err(AppError::NotFound) => {
                Err(AppError::invalid("attachments", Code::UnknownAttachment))
            }
            Err(e) => Err(e),
        }
    }

    /// A file `actor` may read. A file a record holds is read only through
    /// a record he may see (having uploaded it is not enough once it is on
    /// a record: a confidential document's scan stays confidential); a file
    /// no record holds yet only by whoever uploaded it, until it is
    /// collected (`collect`). A destroyed file by nobody. Anything else is
    /// `NotFound`, which does not tell that it exists.
    async fn visible_attachment(&self, actor: &User, sha256: &str) -> Result<BlobRecord> {
        let mut c = self.read().await?;
        let (rec, uploaded) = store::attachments::get_for(&mut c, sha256, actor.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let holders = store::attachments::holders(&mut c, &rec.sha256).await?;
        drop(c);
        let visible = if holders.is_empty() {
            uploaded
        } else {
            // The archive's items and the systems' backup evidence are the
            // institution's shared records.
            let mut visible = !(holders.archive_items.is_empty() && holders.systems.is_empty())
                && self.may_read_shared(actor).await.is_ok();
            for id in &holders.incoming {
                if visible {
                    break;
                }
                visible = self.incoming(actor, *id).await.is_ok();
            }
            for id in &holders.letters {
                if visible {
                    break;
                }
                visible = self.letter(actor, *id).await.is_ok();
            }
            for id in &holders.requests {
                if visible {
                    break;
                }
                visible = self.request(actor, *id).await.is_ok();
            }
            // A policy's text: every member of staff; an audit's evidence:
            // whoever may read the audit.
            if !visible && !(holders.policies.is_empty() && holders.trainings.is_empty()) {
                visible = self.may_read_shared(actor).await.is_ok();
            }
            if !visible && !holders.security_audits.is_empty() {
                let mut c = self.read().await?;
                visible = self
                    .may_read_as(&mut c, actor, domain::authority::Authority::AuditSecurity)
                    .await
                    .is_ok();
            }
            // A personnel file's scan: whoever may read the file.
            for user in &holders.personnel {
                if visible {
                    break;
                }
                let mut c = self.read().await?;
                visible = self
                    .may_see_personnel(&mut c, actor, Some(*user))
                    .await
                    .is_ok();
            }
            visible
        };
        if !visible {
            return Err(AppError::NotFound);
        }
        Ok(rec)
    }
}
