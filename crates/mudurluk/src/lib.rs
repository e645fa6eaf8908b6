//! The `mudurluk` binary's library half: configuration, telemetry and the
//! server's start, shared by `main.rs` and the black-box tests.

pub mod config;
pub mod import;

use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;

use app::App;
pub use config::{Config, LogFormat, Overrides};
use store::blob::BlobStore;
use store::Store;

/// Sets up `tracing`: human-readable by default, JSON by flag. `RUST_LOG`
/// refines the filter.
pub fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn,object_store=warn"));
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Human => b.try_init(),
        LogFormat::Json => b.json().flatten_event(true).try_init(),
    };
}

/// Opens and migrates the database named by the configuration, creating
/// the data folder first.
pub async fn open_store(cfg: &Config) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&cfg.data_dir)
        .with_context(|| format!("cannot create the data folder {}", cfg.data_dir.display()))?;
    let store = store::connect(&cfg.database_url)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    store
        .migrate()
        .await
        .map_err(|e| anyhow::anyhow!("database migration failed: {e}"))?;
    Ok(store)
}

/// The attachment store the configuration names.
pub fn open_blobs(cfg: &Config) -> anyhow::Result<BlobStore> {
    match &cfg.s3 {
        Some(s3) => {
            BlobStore::s3(s3, cfg.max_upload_bytes).context("cannot set up the S3 attachment store")
        }
        None => BlobStore::local(&cfg.data_dir.join("attachments"), cfg.max_upload_bytes)
            .with_context(|| {
                format!(
                    "cannot create the attachments folder in {}",
                    cfg.data_dir.display()
                )
            }),
    }
}

/// A server bound to its port, ready to run.
pub struct Server {
    pub addr: SocketAddr,
    pub app: App,
    /// The one-time setup token, when no account exists yet.
    pub setup_token: Option<String>,
    listener: TcpListener,
    router: axum::Router,
    /// The separate metrics listener (`metrics_listen`), if any.
    metrics: Option<TcpListener>,
}

/// The application over its database and attachment store, with the
/// configured directory, correspondence settings and SMTP server; what
/// `serve` runs and the one-shot commands (`digest`) use.
pub async fn build_app(cfg: &Config) -> anyhow::Result<App> {
    let profile = cfg.load_profile()?;
    if let Some(l) = &cfg.ldap {
        l.check(&profile)
            .map_err(|e| anyhow::anyhow!("config: {e}"))?;
    }
    if let Some(s) = &cfg.smtp {
        s.check().map_err(|e| anyhow::anyhow!("config: {e}"))?;
    }
    if let Some(k) = &cfg.kep {
        k.check()
            .map_err(|e| anyhow::anyhow!("config: [kep] {e}"))?;
    }
    if let Some(m) = &cfg.servicedesk.mailbox {
        m.check(&profile)
            .map_err(|e| anyhow::anyhow!("config: {e}"))?;
    }
    let store = open_store(cfg).await?;
    let blobs = open_blobs(cfg)?;
    let mut app = App::new(store, blobs, profile)
        .with_correspondence(cfg.correspondence.clone())
        .with_archive(cfg.archive.clone())
        .with_leave(cfg.leave.clone())
        .with_overtime(cfg.overtime.clone())
        .with_security(cfg.security.clone())
        .with_desk(cfg.servicedesk.clone())
        .map_err(|e| anyhow::anyhow!("config: invalid `[servicedesk]` working hours: {e}"))?;
    if let Some(l) = &cfg.ldap {
        app = app.with_directory(l.clone());
    }
    if let Some(s) = &cfg.smtp {
        app = app.with_smtp(s.clone());
    }
    if let Some(k) = &cfg.kep {
        app = app.with_kep(k.clone());
    }
    Ok(app)
}

/// Opens the search index in the data folder (`index/`). One process at
/// a time holds it: a second one is told the server has it.
pub fn open_index(cfg: &Config) -> anyhow::Result<std::sync::Arc<store::index::SearchIndex>> {
    let dir = cfg.data_dir.join("index");
    store::index::SearchIndex::open(&dir).map(std::sync::Arc::new).map_err(|e| {
        if e.to_string().contains("LockBusy") || e.to_string().contains("lock") {
            anyhow::anyhow!("the search index in {} is in use by another process (is the server running? stop it first)", dir.display())
        } else {
            anyhow::anyhow!("cannot open the search index in {}: {e}", dir.display())
        }
    })
}

impl Server {
    /// Opens everything and binds the port; fails with a clear message on
    /// a bad database or a port in use.
    pub async fn build(cfg: &Config) -> anyhow::Result<Server> {
        let app = build_app(cfg)
            .await?
            .with_search(open_index(cfg)?, cfg.extract.clone());
        // The index catches up (after a crash too) and files' text is
        // extracted in the background.
        app::search::spawn_background(app.clone(), cfg.ocr_workers);
        let setup_token = app.bootstrap().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let listener = TcpListener::bind(cfg.listen).await.map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
                "cannot listen on {}: the address is already in use (is another server running?); choose another with --listen",
                cfg.listen
            ),
            _ => anyhow::anyhow!("cannot listen on {}: {e}", cfg.listen),
        })?;
        let addr = listener.local_addr()?;
        let router = web::router(
            app.clone(),
            web::WebConfig {
                cookie_secure: cfg.cookie_secure,
                metrics_token: cfg.metrics_token.clone(),
                trusted_proxies: cfg.trusted_proxies.clone(),
            },
        );
        let metrics = match cfg.metrics_listen {
            Some(addr) => Some(TcpListener::bind(addr).await.map_err(|e| {
                anyhow::anyhow!(
                    "cannot listen for metrics on {addr} (setting `metrics_listen`): {e}"
                )
            })?),
            None => None,
        };
        app::collect::spawn(app.clone(), cfg.unreferenced_upload_hours);
        app::servicedesk::spawn_housekeeping(app.clone());
        if let Some(m) = &cfg.servicedesk.mailbox {
            app::mail::spawn_intake(app.clone(), m.clone());
        }
        web::metrics::spawn_upkeep();
        if let Some(a) = &cfg.audit_anchor {
            app::audit::spawn_anchoring(app.clone(), a.clone(), cfg.data_dir.clone());
        }
        Ok(Server {
            addr,
            app,
            setup_token,
            listener,
            router,
            metrics,
        })
    }

    /// The setup link to print, when setup is pending.
    pub fn setup_link(&self) -> Option<String> {
        let host = if self.addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            self.addr.ip().to_string()
        };
        self.setup_token
            .as_ref()
            .map(|t| format!("http://{host}:{}/kurulum?token={t}", self.addr.port()))
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        if let Some(l) = self.metrics {
            let router = web::metrics_router(self.app.clone());
            tokio::spawn(async move {
                if let Err(e) = axum::serve(l, router).await {
                    tracing::error!(error = %e, "the metrics listener stopped");
                }
            });
        }
        let service = self
            .router
            .into_make_service_with_connect_info::<web::door::Peer>();
        axum::serve(web::door::Door(self.listener), service)
            .with_graceful_shutdown(shutdown)
            .await?;
        Ok(())
    }
}

/// Completes on SIGTERM or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
