//! Use-cases of Mudurluk. The HTML pages and the JSON API both call these
//! and nothing else. A use-case that changes state follows one pattern:
//!
//! 1. parse the input (every refusal names its field);
//! 2. open a [`store::Write`] (the writers' lock and the instant);
//! 3. load the facts and ask `domain` (the authority engine, the
//!    capability's rule), which answers with a [`Grant`] or a refusal;
//! 4. write what the rule decided through `store`;
//! 5. commit with the audit record made from the grant.
//!
//! Reads check what their reader may see. `app` is the only layer that
//! decides: `web` asks [`App::capabilities`] and each record's actions for
//! the buttons it shows.

pub mod access_review;
pub mod accounts;
pub mod archive;
pub mod asset_count;
pub mod assets;
pub mod attachments;
pub mod audit;
pub mod authority;
pub mod books;
pub mod calendar;
pub mod collect;
pub mod demo;
pub mod digest;
pub mod directory;
pub mod error;
pub mod esign;
pub mod extract;
pub mod eyazisma;
pub mod idempotency;
pub mod inbox;
pub mod incidents;
pub mod incoming;
pub mod input;
pub mod kep;
pub mod kvkk;
pub mod kvkk_inventory;
pub mod leave;
pub mod letter;
pub mod mail;
pub mod outgoing;
pub mod overtime;
pub mod pdf;
pub mod people;
pub mod personnel;
pub mod policies;
pub mod search;
pub mod security;
pub mod security_report;
pub mod servicedesk;
pub mod setup;
pub mod tasks;
pub mod timesheet;
pub mod tokens;
pub mod totp;
pub mod verify;

use std::sync::Arc;

use domain::authority::{Authority, FactSet, Grant};
use domain::incoming::Viewer;
use store::blob::BlobStore;
use store::{Conn, Read, Store, Write};
use time::OffsetDateTime;

pub use domain::account::User;
pub use error::{AppError, Left, LeftUnit};
pub use store::accounts::InstanceSettings;
pub use store::{Engine, PoolStatus};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// The application: persistence, attachment storage, the regulation
/// profile and the settings of each capability.
#[derive(Clone)]
pub struct App {
    store: Store,
    blobs: BlobStore,
    profile: Arc<domain::profile::Profile>,
    directory: Option<Arc<directory::DirectoryConfig>>,
    correspondence: Arc<incoming::CorrespondenceSettings>,
    archive: Arc<archive::ArchiveSettings>,
    leave: Arc<leave::LeaveSettings>,
    overtime: Arc<overtime::OvertimeSettings>,
    security: Arc<totp::SecuritySettings>,
    smtp: Option<Arc<digest::SmtpConfig>>,
    /// The institution's KEP provider (`[kep]`), for dispatch by KEP.
    kep: Option<Arc<digest::SmtpConfig>>,
    search: Option<Arc<search::SearchService>>,
    registrations: Arc<incoming::Registrations>,
    desk: Arc<servicedesk::Desk>,
    filings: Arc<servicedesk::Filings>,
    /// The working calendar, read again after `calendar::CALENDAR_TTL`.
    calendar_cache:
        Arc<std::sync::Mutex<Option<(std::time::Instant, Arc<domain::calendar::Calendar>)>>>,
}

/// Who acts: a signed-in person, or the operator at the server's command
/// line, whose acts are the system's (recorded with that basis).
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    Person(&'a User),
    Operator,
}

/// What the home page shows.
pub struct Overview {
    pub settings: InstanceSettings,
    pub needs_setup: bool,
}

/// What a person may do, for the menus and buttons of the pages (the
/// use-cases decide again inside their transactions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Capabilities {
    /// Keep the movable assets (the Taşınır Kayıt Yetkilisi, m.10/11).
    pub manage_assets: bool,
    /// Appoint the Taşınır Kayıt Yetkilisi (the Müdür, m.10/11).
    pub appoint_asset_officer: bool,
    /// Record handovers and departures (m.20/1-ç).
    pub record_departures: bool,
    /// Register documents, keep the books and the files (the Kalem, m.16/1).
    pub register: bool,
    /// Route incoming documents (the Müdür, m.20/1-c).
    pub route: bool,
    /// Import scanned paper (m.8/19).
    pub digitise: bool,
    /// Propose disposal lists and place legal holds (m.22).
    pub dispose: bool,
    /// Approve disposal lists (Devlet Arşiv Hizmetleri Yönetmeliği).
    pub approve_disposal: bool,
    /// Read the audit trail (m.11).
    pub audit: bool,
    /// Give a deputyship's approval (m.12/2).
    pub approve_deputyship: bool,
    /// Delegate to subordinates (m.10/4).
    pub delegate: bool,
    /// Sign letters (m.20/2-a, m.20/3), by position, deputyship or delegation.
    pub sign: bool,
    /// The installation's administrator.
    pub administer: bool,
    /// Holds a post in the directorate now (or administers): works the
    /// service desk's queues and sees shared records.
    pub member: bool,
    /// Gives tasks to subordinates (m.18/1-b).
    pub give_tasks: bool,
    /// Forms working groups (m.10/9).
    pub form_groups: bool,
    /// Reads timesheets: the Kalem (m.16/1), the head of a unit, the
    /// administrator.
    pub timesheets: bool,
    /// Keeps the KVKK records (m.8/23-31, 6698): breaches, destructions.
    pub kvkk: bool,
    /// Audits against the security guide (m.8/23-31).
    pub security_audit: bool,
    /// Responds to security incidents (the SOME).
    pub incidents: bool,
}

impl App {
    pub fn new(store: Store, blobs: BlobStore, profile: domain::profile::Profile) -> Self {
        Self {
            store,
            blobs,
            profile: Arc::new(profile),
            directory: None,
            correspondence: Arc::default(),
            archive: Arc::default(),
            leave: Arc::default(),
            overtime: Arc::default(),
            security: Arc::default(),
            smtp: None,
            kep: None,
            search: None,
            registrations: Arc::default(),
            desk: Arc::default(),
            filings: Arc::default(),
            calendar_cache: Arc::default(),
        }
    }

    /// The correspondence settings (numbering reset, arife, alerts).
    pub fn with_correspondence(mut self, s: incoming::CorrespondenceSettings) -> Self {
        self.correspondence = Arc::new(s);
        self
    }

    /// The archive settings (the State Archives' opinion).
    pub fn with_archive(mut self, s: archive::ArchiveSettings) -> Self {
        self.archive = Arc::new(s);
        self
    }

    /// The leave settings (how service is reckoned).
    pub fn with_leave(mut self, s: leave::LeaveSettings) -> Self {
        self.leave = Arc::new(s);
        self
    }

    /// The overtime settings (the budget law's hours, the monthly budget).
    pub fn with_overtime(mut self, s: overtime::OvertimeSettings) -> Self {
        self.overtime = Arc::new(s);
        self
    }

    /// The sign-in settings (who must use a second factor).
    pub fn with_security(mut self, s: totp::SecuritySettings) -> Self {
        self.security = Arc::new(s);
        self
    }

    /// Sends the daily digest through this SMTP server.
    pub fn with_smtp(mut self, cfg: digest::SmtpConfig) -> Self {
        self.smtp = Some(Arc::new(cfg));
        self
    }

    /// Dispatches letters by KEP through this provider's SMTP server.
    pub fn with_kep(mut self, cfg: digest::SmtpConfig) -> Self {
        self.kep = Some(Arc::new(cfg));
        self
    }

    /// Whether a KEP provider is configured.
    pub fn kep_configured(&self) -> bool {
        self.kep.is_some()
    }

    /// Searches with this index, extracting files' text within these limits.
    pub fn with_search(
        mut self,
        index: Arc<store::index::SearchIndex>,
        limits: extract::ExtractLimits,
    ) -> Self {
        self.search = Some(Arc::new(search::SearchService {
            index,
            wake: tokio::sync::Notify::new(),
            limits,
        }));
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

    /// The `[archive]` settings.
    pub fn archive_settings(&self) -> &archive::ArchiveSettings {
        &self.archive
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

    /// Whether the database answers (readiness).
    pub async fn ready(&self) -> Result<()> {
        Ok(self.store.ping().await?)
    }

    pub async fn overview(&self) -> Result<Overview> {
        let mut c = self.read().await?;
        let settings = store::accounts::settings(&mut c).await?;
        let needs_setup = store::accounts::user_count(&mut c).await? == 0;
        Ok(Overview {
            settings,
            needs_setup,
        })
    }

    /// The instance's names and DETSİS number (the configuration's
    /// `[correspondence] detsis` when the database has none).
    pub async fn settings(&self) -> Result<InstanceSettings> {
        let mut s = store::accounts::settings(&mut self.read().await?).await?;
        if s.detsis.is_none() {
            s.detsis = self.correspondence.detsis.clone();
        }
        Ok(s)
    }

    /// The user behind a session cookie value or an API token, if live.
    /// A session unused for `[security] session_idle_minutes` is over
    /// (the guide's 3.1.12.6); its use is noted at most once a minute.
    pub async fn session_user(&self, session_token: &str) -> Result<Option<User>> {
        let hash = token_hash(session_token);
        let at = now();
        let idle = self.security.session_idle_minutes;
        let idle_before = (idle > 0).then(|| at - time::Duration::minutes(i64::from(idle)));
        let found =
            store::accounts::session_user(&mut self.read().await?, &hash, at, idle_before).await?;
        Ok(match found {
            Some((user, Some(seen))) => {
                if at - seen > time::Duration::minutes(1) {
                    store::accounts::touch_session(&self.store, &hash, at).await?;
                }
                Some(user)
            }
            Some((user, None)) => Some(user),
            None => None,
        })
    }

    pub(crate) async fn read(&self) -> Result<Read> {
        Ok(self.store.read().await?)
    }

    pub(crate) async fn write(&self) -> Result<Write> {
        Ok(self.store.write().await?)
    }

    /// Everything the authority engine needs to decide for `user`.
    pub(crate) async fn facts(&self, c: &mut impl Conn, user: i64) -> Result<FactSet> {
        Ok(store::authority::facts_about(c, user).await?)
    }

    /// Decides inside `w`, after the writers' lock, whether `user` holds
    /// `authority` now: a revocation that has committed is seen, one that
    /// has not waits. The common case (by position) costs one query.
    pub(crate) async fn grant(
        &self,
        w: &mut Write,
        user: &User,
        authority: Authority,
    ) -> Result<Grant> {
        let at = w.at();
        let own = store::authority::own_facts(w, user.id).await?;
        if let Ok(g) = domain::authority::grant(&self.profile, &own, user, authority, at) {
            return Ok(g);
        }
        let facts = self.facts(w, user.id).await?;
        Ok(domain::authority::grant(
            &self.profile,
            &facts,
            user,
            authority,
            at,
        )?)
    }

    /// A read that changes nothing, for whoever holds `authority` now (by
    /// post, deputyship or delegation) or administers; the refusal names
    /// the authority.
    pub(crate) async fn may_read_as(
        &self,
        c: &mut impl Conn,
        reader: &User,
        authority: Authority,
    ) -> Result<()> {
        if reader.is_admin {
            return Ok(());
        }
        let facts = self.facts(c, reader.id).await?;
        domain::authority::grant(&self.profile, &facts, reader, authority, now())
            .map(|_| ())
            .map_err(|_| AppError::forbidden(authority.id()))
    }

    /// The registry's shared records (the archive's files and disposal
    /// lists, the digital archive's items, the staff directory) are for
    /// the institution's own people: someone holding a post of the profile
    /// today, or an administrator. An account with no post sees none.
    pub(crate) async fn may_read_shared(&self, reader: &User) -> Result<()> {
        if reader.is_admin {
            return Ok(());
        }
        let facts = store::authority::own_facts(&mut self.read().await?, reader.id).await?;
        if domain::authority::holds_post(&facts, reader.id, now()) {
            Ok(())
        } else {
            Err(AppError::forbidden("member"))
        }
    }

    /// Who `user` is for the trays and visibility, now.
    pub async fn viewer(&self, user: &User) -> Result<Viewer> {
        let facts = self.facts(&mut self.read().await?, user.id).await?;
        let mut v = Viewer::of(&self.profile, &facts, user.id, now());
        v.member |= user.is_admin;
        Ok(v)
    }

    /// What `user` may do now, for the pages' menus and buttons.
    pub async fn capabilities(&self, user: &User) -> Result<Capabilities> {
        let facts = self.facts(&mut self.read().await?, user.id).await?;
        let at = now();
        let holds =
            |a: Authority| domain::authority::grant(&self.profile, &facts, user, a, at).is_ok();
        Ok(Capabilities {
            register: holds(Authority::RegisterCorrespondence),
            route: holds(Authority::RouteIncoming),
            digitise: holds(Authority::DigitiseArchive),
            dispose: holds(Authority::DisposeArchive),
            approve_disposal: holds(Authority::ApproveDisposal),
            audit: user.is_admin || holds(Authority::ViewAuditTrail),
            approve_deputyship: user.is_admin || holds(Authority::ApproveDeputyship),
            delegate: holds(Authority::DelegateAuthority),
            sign: holds(Authority::SignInternal) || holds(Authority::SignExternal),
            administer: user.is_admin,
            member: user.is_admin || domain::authority::holds_post(&facts, user.id, at),
            give_tasks: holds(Authority::AssignTasks),
            kvkk: user.is_admin || holds(Authority::ManageKvkk),
            security_audit: user.is_admin || holds(Authority::AuditSecurity),
            incidents: user.is_admin || holds(Authority::RespondIncidents),
            form_groups: holds(Authority::FormWorkingGroups),
            manage_assets: holds(Authority::ManageAssets),
            appoint_asset_officer: holds(Authority::AppointAssetOfficer),
            record_departures: holds(Authority::RecordDepartures),
            timesheets: user.is_admin
                || holds(Authority::KeepPersonnelRecords)
                || domain::authority::posts_at(&facts, user.id, at)
                    .into_iter()
                    .any(|p| self.profile.headed_unit(p).is_some()),
        })
    }
}

tokio::task_local! {
    /// Whether the request being answered reads English (the web front end
    /// sets it for every request).
    pub static ENGLISH: bool;
}

/// Whether the request being answered reads English: the profile's names
/// (units, positions, authorities, categories) are chosen by it
/// (`domain::profile::Named::name_for`). Turkish outside a request.
pub fn english() -> bool {
    ENGLISH.try_with(|e| *e).unwrap_or(false)
}

pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
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
