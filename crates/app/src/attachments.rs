//! Attachments: files kept in the content-addressed blob store and
//! registered (and audited) in the database.

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::Stream;
use store::{BlobRecord, NewAudit, User};

use crate::{App, AppError, Result};

impl App {
    /// Streams an upload into the blob store and registers it. What it is
    /// comes from its first bytes (`domain::filetype`), not from the
    /// declared type or a file name: anything but PDF, PNG, JPEG, TIFF,
    /// DOCX, ODT and plain text is refused before a byte is stored. Over
    /// the size limit: `TooLarge`, and nothing is stored.
    pub async fn store_attachment<S, E>(&self, actor: &User, _declared_type: &str, body: S) -> Result<BlobRecord>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Send,
        E: std::fmt::Display + Send,
    {
        self.store_file(Some(actor), body).await
    }

    /// [`App::store_attachment`] for a person, or for the machine's
    /// operator (`None`: an import from the command line).
    pub(crate) async fn store_file<S, E>(&self, actor: Option<&User>, body: S) -> Result<BlobRecord>
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
            .ok_or(AppError::invalid("content_type", "unsupported_type"))?
            .to_owned();
        let stored = self.blobs.put(futures::stream::iter(first).chain(body)).await?;
        let rec = BlobRecord { sha256: stored.sha256.clone(), size: stored.size as i64, content_type };
        let audit = NewAudit {
            actor: actor.map(|a| a.username.clone()),
            action: "attachment.stored",
            subject: format!("blob:{}", stored.sha256),
            basis: if actor.is_some() { "signed-in user" } else { "system (import from the command line)" }.into(),
            details: serde_json::json!({ "size": stored.size, "content_type": rec.content_type }),
        };
        self.store.record_blob(rec.clone(), actor.map(|a| a.id), audit).await?;
        Ok(rec)
    }

    /// A registered attachment and its bytes. An attachment of documents
    /// or letters the actor may not see (GZL/CGZ, personal data) is
    /// `NotFound` to him, unless he may see at least one of them.
    pub async fn attachment(
        &self,
        actor: &User,
        sha256: &str,
    ) -> Result<(BlobRecord, BoxStream<'static, std::result::Result<Bytes, store::blob::BlobError>>)> {
        let rec = self.store.blob(sha256).await?.ok_or(AppError::NotFound)?;
        let docs = self.store.documents_with_blob(&rec.sha256).await?;
        let letters = self.store.letters_with_blob(&rec.sha256).await?;
        if !docs.is_empty() || !letters.is_empty() {
            let mut visible = false;
            for id in docs {
                match self.incoming(actor, id).await {
                    Ok(_) => {
                        visible = true;
                        break;
                    }
                    Err(AppError::NotFound) => {}
                    Err(e) => return Err(e),
                }
            }
            for id in letters {
                if visible {
                    break;
                }
                match self.letter(actor, id).await {
                    Ok(_) => visible = true,
                    Err(AppError::NotFound) => {}
                    Err(e) => return Err(e),
                }
            }
            if !visible {
                return Err(AppError::NotFound);
            }
        }
        let stream = self.blobs.get(&rec.sha256).await?;
        Ok((rec, stream))
    }
}
