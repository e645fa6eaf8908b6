//! `mudurluk`: serve, migrate, backup, restore.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use mudurluk::{Config, Overrides};

#[derive(Parser)]
#[command(
    name = "mudurluk",
    version,
    about = "Mudurluk — belediye müdürlükleri için yönetim sistemi / operations platform for municipal directorates"
)]
struct Cli {
    /// Config file (default: ./mudurluk.toml when present).
    #[arg(long, global = true, env = "MUDURLUK_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone, Default)]
struct Common {
    /// Folder for all state: the SQLite database and attachments.
    #[arg(long, env = "MUDURLUK_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DB.
    #[arg(long, env = "MUDURLUK_DATABASE_URL", value_name = "URL")]
    database_url: Option<String>,
    /// Log format: human or json.
    #[arg(long, env = "MUDURLUK_LOG_FORMAT", value_name = "FORMAT")]
    log_format: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server.
    Serve {
        #[command(flatten)]
        common: Common,
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long, env = "MUDURLUK_LISTEN", value_name = "ADDR")]
        listen: Option<String>,
        /// Largest attachment in megabytes (default 100).
        #[arg(long, env = "MUDURLUK_MAX_UPLOAD_MB", value_name = "MB")]
        max_upload_mb: Option<String>,
        /// Regulation profile file (default: the built-in IT directorate profile).
        #[arg(long, env = "MUDURLUK_PROFILE", value_name = "FILE")]
        profile: Option<PathBuf>,
        /// Load demonstration staff: one person for every position of the default
        /// profile, and `admin`; password from MUDURLUK_DEMO_PASSWORD, or a random
        /// one printed at start.
        #[arg(long)]
        demo: bool,
    },
    /// E-mail each person their overdue and due-soon documents (run daily,
    /// from cron or a systemd timer); needs an [smtp] section.
    Digest {
        #[command(flatten)]
        common: Common,
    },
    /// Run the database migrations and exit.
    Migrate {
        #[command(flatten)]
        common: Common,
    },
    /// Write a consistent backup of a (running) instance to FILE.
    Backup {
        #[command(flatten)]
        common: Common,
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// The search index: `index rebuild` makes it again from the database
    /// (with the server stopped).
    Index {
        #[command(subcommand)]
        command: IndexCommand,
    },
    /// Bring paper into the digital archive: `import scans DIR --sdp CODE
    /// --year YYYY [--unit UNIT]`.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Restore a backup FILE into an empty data folder (and, for a
    /// PostgreSQL backup, an empty database given with --database-url).
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        #[arg(long, value_name = "DIR")]
        data_dir: PathBuf,
        #[arg(long, env = "MUDURLUK_DATABASE_URL", value_name = "URL")]
        database_url: Option<String>,
    },
}

#[derive(Subcommand)]
enum IndexCommand {
    /// Rebuild the search index from the database.
    Rebuild {
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import a folder tree of scanned files (PDF, TIFF, JPEG, PNG) as
    /// archive items classified under one file-plan code and year. Resuming
    /// an interrupted import adds nothing twice (files are keyed on their
    /// content); the server reads their text (OCR) in the background.
    Scans {
        /// The folder to import (searched recursively).
        dir: PathBuf,
        /// Standard File Plan code of the documents (a leaf code).
        #[arg(long, value_name = "CODE")]
        sdp: String,
        /// The year the documents belong to.
        #[arg(long, value_name = "YYYY")]
        year: i64,
        /// The unit they belong to (default: the directorate).
        #[arg(long, value_name = "UNIT")]
        unit: Option<String>,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify the audit trail's hash chain: exit 0 when intact; otherwise
    /// name the first edited, deleted or reordered record and exit 1. With
    /// `[audit_anchor]` configured, also check the trail against the newest
    /// signed checkpoint: a cut or rollback since then exits 1.
    Verify {
        #[command(flatten)]
        common: Common,
    },
    /// Anchor the chain's head now: write a signed checkpoint into the
    /// `[audit_anchor]` folder (the server also does it every interval).
    Anchor {
        #[command(flatten)]
        common: Common,
    },
}

fn overrides(config: Option<PathBuf>, c: Common) -> Overrides {
    Overrides {
        config,
        data_dir: c.data_dir,
        database_url: c.database_url,
        log_format: c.log_format,
        ..Default::default()
    }
}

/// glibc's malloc gives threads that allocate their own arenas (up to
/// eight per core), and what one arena frees another does not reuse: under
/// the soak benchmark's mixed load the heap grew about 5 MB a minute on
/// both engines (+103 % on SQLite over 30 minutes). Two arenas keep it flat
/// (+6 % over 8 minutes, measured with `MALLOC_ARENA_MAX=2`) with no loss
/// of throughput. A `MALLOC_ARENA_MAX` set by the operator still wins.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: called first thing in `main`, before any thread starts;
        // `mallopt` only sets an allocator parameter.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One clear line (with its causes), never a panic backtrace.
            eprintln!("error: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            common,
            listen,
            max_upload_mb,
            profile,
            demo,
        } => {
            let mut o = overrides(cli.config, common);
            o.listen = listen;
            o.max_upload_mb = max_upload_mb;
            o.profile = profile;
            let cfg = Config::resolve(o)?;
            mudurluk::init_tracing(cfg.log_format);
            let started = std::time::Instant::now();
            let server = mudurluk::Server::build(&cfg).await?;
            let mut demo_password = None;
            if demo {
                let (password, chosen) = match std::env::var("MUDURLUK_DEMO_PASSWORD") {
                    Ok(p) if !p.is_empty() => (p, false),
                    _ => (app::new_token()[..20].to_owned(), true),
                };
                let seeded = server.app.seed_demo(&password).await.map_err(|e| match e {
                    app::AppError::Invalid { code, .. } => anyhow::anyhow!("--demo: MUDURLUK_DEMO_PASSWORD is not usable ({code}): at least 12 characters"),
                    e => anyhow::anyhow!("--demo: {e}"),
                })?;
                if seeded {
                    tracing::info!(
                        people = app::demo::DEMO_STAFF.len() + 1,
                        "demo staff seeded"
                    );
                    // Something on every screen (a failure here leaves the
                    // people; the sample letters are a convenience).
                    if let Err(e) = server.app.seed_demo_correspondence().await {
                        tracing::warn!(error = %e, "demo: sample correspondence not loaded");
                    }
                    demo_password = Some((password, chosen));
                } else {
                    tracing::info!(
                        "demo: accounts exist already; nothing seeded, passwords left as they were"
                    );
                }
            }
            tracing::info!(
                addr = %server.addr,
                engine = server.app.engine().name(),
                data_dir = %cfg.data_dir.display(),
                startup_ms = started.elapsed().as_millis() as u64,
                "Mudurluk is listening on http://{}",
                server.addr
            );
            if let Some((password, chosen)) = &demo_password {
                let names: Vec<&str> = app::demo::DEMO_STAFF.iter().map(|d| d.0).collect();
                eprintln!();
                eprintln!(
                    "  Örnek personel yüklendi / demo staff loaded: admin, {}",
                    names.join(", ")
                );
                if *chosen {
                    // A secret for the terminal only, like the setup link.
                    eprintln!("  Hepsinin parolası / password of every one: {password}");
                } else {
                    eprintln!(
                        "  Parola: MUDURLUK_DEMO_PASSWORD / password: MUDURLUK_DEMO_PASSWORD"
                    );
                }
                eprintln!();
            } else if let Some(link) = server.setup_link() {
                // Printed to the terminal on purpose and never through the
                // log pipeline (docs/LOGGING.md): it is a one-time secret.
                eprintln!();
                eprintln!("  İlk kurulum: henüz hesap yok. İlk yönetici hesabını oluşturmak için bu tek kullanımlık bağlantıyı açın:");
                eprintln!("  First-time setup: no account yet. Open this one-time link to create the first administrator:");
                eprintln!();
                eprintln!("      {link}");
                eprintln!();
            }
            server.run(mudurluk::shutdown_signal()).await?;
            tracing::info!("stopped");
            Ok(())
        }
        Command::Digest { common } => {
            let cfg = Config::resolve(overrides(cli.config, common))?;
            mudurluk::init_tracing(cfg.log_format);
            let app = mudurluk::build_app(&cfg).await?;
            let r = app
                .send_digest(app::Actor::Operator)
                .await
                .map_err(|e| match e {
                    app::AppError::Conflict(domain::code::Code::SmtpNotConfigured) => {
                        anyhow::anyhow!(
                            "no [smtp] section in the configuration: the digest has nowhere to go"
                        )
                    }
                    e => anyhow::anyhow!("{e}"),
                })?;
            eprintln!(
                "digest: {} sent, {} with nothing to report, {} without an e-mail address",
                r.sent, r.quiet, r.no_address
            );
            Ok(())
        }
        Command::Migrate { common } => {
            let cfg = Config::resolve(overrides(cli.config, common))?;
            mudurluk::init_tracing(cfg.log_format);
            let store = mudurluk::open_store(&cfg).await?;
            eprintln!("migrations are up to date ({})", store.engine().name());
            Ok(())
        }
        Command::Backup { common, to } => {
            let cfg = Config::resolve(overrides(cli.config, common))?;
            mudurluk::init_tracing(cfg.log_format);
            let store = mudurluk::open_store(&cfg).await?;
            let blobs = mudurluk::open_blobs(&cfg)?;
            let m = store::backup::write_backup(&store, &blobs, &to).await?;
            eprintln!(
                "backup written to {} ({} database, {} attachments)",
                to.display(),
                m.engine,
                m.blobs
            );
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify { common },
        } => {
            let cfg = Config::resolve(overrides(cli.config, common))?;
            mudurluk::init_tracing(cfg.log_format);
            let app = mudurluk::build_app(&cfg).await?;
            let v = app
                .verify_audit(app::Actor::Operator)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            match v.broken {
                None => {
                    eprintln!("audit trail intact: {} records", v.checked);
                    let Some(anchor) = &cfg.audit_anchor else {
                        eprintln!("no [audit_anchor] configured: a cut of the newest records cannot be told from a shorter trail");
                        return Ok(());
                    };
                    match app.verify_anchor(anchor, &cfg.data_dir).await? {
                        app::audit::AnchorVerdict::NoAnchor => {
                            eprintln!("no checkpoint in {} yet", anchor.dir.display());
                            Ok(())
                        }
                        app::audit::AnchorVerdict::Holds(c) => {
                            eprintln!(
                                "the checkpoint of {} (record #{}, {} records) holds",
                                c.at, c.id, c.records
                            );
                            Ok(())
                        }
                        app::audit::AnchorVerdict::Cut { reason, .. } => {
                            anyhow::bail!("audit trail cut or rolled back since the last checkpoint: {reason}")
                        }
                        app::audit::AnchorVerdict::Forged { file } => {
                            anyhow::bail!("the checkpoint {file} does not carry a valid signature (edited, or made with another key)")
                        }
                    }
                }
                Some(b) => anyhow::bail!(
                    "audit trail broken at record #{}: {}; the {} records before it are intact",
                    b.id,
                    b.reason,
                    v.checked
                ),
            }
        }
        Command::Audit {
            command: AuditCommand::Anchor { common },
        } => {
            let cfg = Config::resolve(overrides(cli.config, common))?;
            mudurluk::init_tracing(cfg.log_format);
            let Some(anchor) = cfg.audit_anchor.clone() else {
                anyhow::bail!("no [audit_anchor] in the configuration: set `dir` to a folder away from the database");
            };
            let app = mudurluk::build_app(&cfg).await?;
            match app.anchor_audit(&anchor, &cfg.data_dir).await? {
                Some(c) => eprintln!(
                    "anchored record #{} ({} records) in {}",
                    c.id,
                    c.records,
                    anchor.dir.display()
                ),
                None => eprintln!("the audit trail is empty: nothing to anchor"),
            }
            Ok(())
        }
        Command::Index {
            command: IndexCommand::Rebuild { common },
        } => {
            let cfg = Config::resolve(overrides(cli.config, common))?;
            mudurluk::init_tracing(cfg.log_format);
            let app = mudurluk::build_app(&cfg)
                .await?
                .with_search(mudurluk::open_index(&cfg)?, cfg.extract.clone());
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template("dizin yeniden kuruluyor / rebuilding the index {bar:40} {pos}/{len} belge ({eta})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let n = app
                .index_rebuild(&mut |done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            bar.finish_and_clear();
            eprintln!("search index rebuilt: {n} documents");
            Ok(())
        }
        Command::Import {
            command:
                ImportCommand::Scans {
                    dir,
                    sdp,
                    year,
                    unit,
                    common,
                },
        } => {
            let cfg = Config::resolve(overrides(cli.config, common))?;
            mudurluk::init_tracing(cfg.log_format);
            let app = mudurluk::build_app(&cfg).await?;
            mudurluk::import::scans(
                &app,
                &dir,
                &sdp,
                year,
                unit.as_deref(),
                &cfg.extract.languages,
            )
            .await
        }
        Command::Restore {
            from,
            data_dir,
            database_url,
        } => {
            mudurluk::init_tracing(mudurluk::LogFormat::Human);
            let target = store::backup::RestoreTarget {
                data_dir: &data_dir,
                database_url: database_url.as_deref(),
            };
            let m = store::backup::restore(&from, target).await?;
            eprintln!(
                "restored {} ({} database, {} attachments) into {}",
                from.display(),
                m.engine,
                m.blobs,
                data_dir.display()
            );
            Ok(())
        }
    }
}
