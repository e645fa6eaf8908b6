//! Use-cases of Mudurluk. The HTML pages and the JSON API both call these
//! and nothing else; each one that changes state authorises, runs in one
//! store transaction and writes its audit record in it.

pub mod error;
pub mod setup;
pub mod accounts;
pub mod attachments;
pub mod archive;
pub mod books;
pub mod correspondence;
pub mod demo;
pub mod digest;
pub mod extract;
pub mod letter;
pub mod pdf;
pub mod directory;
pub mod outgoing;
pub mod people;
pub mod search;

use std::sync::Arc;

use store::blob::BlobStore;
use store::{InstanceSettings, Store, User};
use time::OffsetDateTime;

pub use error::AppError;
pub use store::{Engine, PoolStatus};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// The application: persistence, attachment storage and the regulation
/// profile.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    blobs: BlobStore,
    profile: Arc<domain::profile::Profile>,
    directory: Option<Arc<directory::DirectoryConfig>>,
    correspondence: Arc<correspondence::CorrespondenceSettings>,
    smtp: Option<Arc<digest::SmtpConfig>>,
    search: Option<Arc<search::SearchService>>,
}

/// What the home page shows.
pub struct Overview {
    pub settings: InstanceSettings,
    pub needs_setup: bool,
}

impl App {
    pub fn new(store: Arc<dyn Store>, blobs: BlobStore, profile: domain::profile::Profile) -> Self {
        Self { store, blobs, profile: Arc::new(profile), directory: None, correspondence: Arc::default(), smtp: None, search: None }
    }

    /// The correspondence settings (numbering reset, arife, alerts).
    pub fn with_correspondence(mut self, s: correspondence::CorrespondenceSettings) -> Self {
        self.correspondence = Arc::new(s);
        self
    }

    /// Sends the daily digest through this SMTP server.
    pub fn with_smtp(mut self, cfg: digest::SmtpConfig) -> Self {
        self.smtp = Some(Arc::new(cfg));
        self
    }

    /// Searches with this index, extracting files' text within these limits.
    pub fn with_search(mut self, index: Arc<store::index::SearchIndex>, limits: extract::ExtractLimits) -> Self {
        self.search = Some(Arc::new(search::SearchService { index, wake: tokio::sync::Notify::new(), limits }));
        self
    }

    /// Signs people in against the directory too (see [`directory`]).
    pub fn with_directory(mut self, cfg: directory::DirectoryConfig) -> Self {
        self.directory = Some(Arc::new(cfg));
        self
    }

    /// The largest file accepted, in bytes.
    pub fn max_upload_bytes(&self) -> u64 {
        self.blobs.max_bytes()
    }

    /// The regulation profile loaded at start.
    pub fn profile(&self) -> &domain::profile::Profile {
        &self.profile
    }

    pub fn engine(&self) -> Engine {
        self.store.engine()
    }

    pub fn pool_status(&self) -> PoolStatus {
        self.store.pool_status()
    }

    pub fn max_attachment_bytes(&self) -> u64 {
        self.blobs.max_bytes()
    }

    /// Whether the database answers (readiness).
    pub async fn ready(&self) -> Result<()> {
        Ok(self.store.ping().await?)
    }

    pub async fn overview(&self) -> Result<Overview> {
        let settings = self.store.settings().await?;
        let needs_setup = self.store.user_count().await? == 0;
        Ok(Overview { settings, needs_setup })
    }

    pub async fn settings(&self) -> Result<InstanceSettings> {
        Ok(self.store.settings().await?)
    }

    /// The user behind a session cookie value, if it is live.
    pub async fn session_user(&self, session_token: &str) -> Result<Option<User>> {
        let hash = token_hash(session_token);
        Ok(self.store.session_user(&hash, OffsetDateTime::now_utc()).await?)
    }

    /// The newest audit records; administrators only.
    pub async fn recent_audit(&self, actor: &User, limit: i64) -> Result<Vec<store::AuditEntry>> {
        if !actor.is_admin && !self.holds(actor, "view_audit_trail").await? {
            return Err(AppError::forbidden("view_audit_trail"));
        }
        if !(1..=500).contains(&limit) {
            return Err(AppError::invalid("limit", "out_of_range"));
        }
        Ok(self.store.recent_audit(limit).await?)
    }
}

/// A new random secret for a cookie or a link: 32 bytes, hex.
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut b);
    hex::encode(b)
}

/// What the database keeps of a secret token: its SHA-256, never the token.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}
