//! Content-addressed attachment storage. A blob's name is the SHA-256 of its
//! bytes, so the same scan uploaded twice is stored once and a stored file
//! can be checked against its name at any time.
//!
//! Uploads stream: bytes go to a temporary object while they are hashed and
//! counted, and the temporary object is renamed to its hash at the end. An
//! upload over the size limit is aborted and its temporary object removed.
//! The backend is any `object_store`: the local filesystem by default, an
//! S3-compatible bucket by configuration.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{Stream, StreamExt, TryStreamExt};
use object_store::path::Path as ObjPath;
use object_store::{ObjectStore, WriteMultipart};
use rand::RngCore;
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("no such file")]
    NotFound,
    #[error("not a SHA-256 hash")]
    BadHash,
    /// The upload itself broke off (client went away, body error).
    #[error("upload interrupted: {0}")]
    Interrupted(String),
    #[error(transparent)]
    Storage(#[from] anyhow::Error),
}

impl From<object_store::Error> for BlobError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { .. } => BlobError::NotFound,
            e => BlobError::Storage(e.into()),
        }
    }
}

/// Where an S3-compatible bucket is and how to sign in to it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct S3Config {
    pub bucket: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    #[serde(default)]
    pub allow_http: bool,
}

/// A stored blob: its hash and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub sha256: String,
    pub size: u64,
}

#[derive(Clone)]
pub struct BlobStore {
    inner: Arc<dyn ObjectStore>,
    max_bytes: u64,
}

const TMP: &str = "tmp";
const BLOBS: &str = "sha256";

fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn blob_path(sha: &str) -> ObjPath {
    ObjPath::from(format!("{BLOBS}/{}/{}/{sha}", &sha[..2], &sha[2..4]))
}

impl BlobStore {
    /// Blobs in a folder on this machine (created when missing).
    pub fn local(dir: &Path, max_bytes: u64) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)?;
        Ok(Self {
            inner: Arc::new(fs),
            max_bytes,
        })
    }

    /// Blobs in an S3-compatible bucket (MinIO, Ceph, AWS…).
    pub fn s3(cfg: &S3Config, max_bytes: u64) -> anyhow::Result<Self> {
        let mut b = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(&cfg.bucket)
            .with_allow_http(cfg.allow_http);
        if let Some(v) = &cfg.endpoint {
            b = b.with_endpoint(v);
        }
        if let Some(v) = &cfg.region {
            b = b.with_region(v);
        }
        if let Some(v) = &cfg.access_key_id {
            b = b.with_access_key_id(v);
        }
        if let Some(v) = &cfg.secret_access_key {
            b = b.with_secret_access_key(v);
        }
        Ok(Self {
            inner: Arc::new(b.build()?),
            max_bytes,
        })
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Streams `body` into the store. Nothing stays behind when it fails.
    pub async fn put<S, E>(&self, body: S) -> Result<Stored, BlobError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: std::fmt::Display,
    {
        let mut id = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut id);
        let tmp = ObjPath::from(format!("{TMP}/{}", hex::encode(id)));
        let upload = self.inner.put_multipart(&tmp).await?;
        let mut writer = WriteMultipart::new(upload);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut body = std::pin::pin!(body);
        let failure = loop {
            match body.next().await {
                None => break None,
                Some(Err(e)) => break Some(BlobError::Interrupted(e.to_string())),
                Some(Ok(chunk)) => {
                    size += chunk.len() as u64;
                    if size > self.max_bytes {
                        break Some(BlobError::TooLarge {
                            limit: self.max_bytes,
                        });
                    }
                    hasher.update(&chunk);
                    if let Err(e) = writer.wait_for_capacity(4).await {
                        break Some(e.into());
                    }
                    writer.put(chunk);
                }
            }
        };
        if let Some(err) = failure {
            let _ = writer.abort().await;
            let _ = self.inner.delete(&tmp).await;
            return Err(err);
        }
        writer.finish().await?;
        let sha = hex::encode(hasher.finalize());
        let dest = blob_path(&sha);
        let moved = match self.inner.head(&dest).await {
            Ok(_) => self.inner.delete(&tmp).await, // already stored: keep the one copy
            Err(object_store::Error::NotFound { .. }) => self.inner.rename(&tmp, &dest).await,
            Err(e) => Err(e),
        };
        if let Err(e) = moved {
            let _ = self.inner.delete(&tmp).await;
            return Err(e.into());
        }
        Ok(Stored { sha256: sha, size })
    }

    /// The bytes of a stored blob, as a stream.
    pub async fn get(
        &self,
        sha256: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, BlobError>>, BlobError> {
        if !is_sha256(sha256) {
            return Err(BlobError::BadHash);
        }
        let got = self.inner.get(&blob_path(sha256)).await?;
        Ok(got.into_stream().map_err(BlobError::from).boxed())
    }

    pub async fn exists(&self, sha256: &str) -> Result<bool, BlobError> {
        if !is_sha256(sha256) {
            return Err(BlobError::BadHash);
        }
        match self.inner.head(&blob_path(sha256)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes a blob's bytes (a destruction); one already gone is fine.
    pub async fn delete(&self, sha256: &str) -> Result<(), BlobError> {
        if !is_sha256(sha256) {
            return Err(BlobError::BadHash);
        }
        match self.inner.delete(&blob_path(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Every stored blob's hash and size.
    pub async fn list(&self) -> Result<Vec<Stored>, BlobError> {
        let prefix = ObjPath::from(BLOBS);
        let metas: Vec<_> = self.inner.list(Some(&prefix)).try_collect().await?;
        Ok(metas
            .into_iter()
            .filter_map(|m| {
                let name = m.location.filename()?.to_owned();
                is_sha256(&name).then_some(Stored {
                    sha256: name,
                    size: m.size,
                })
            })
            .collect())
    }
}
