//! Configuration: flags > environment (`MUDURLUK_*`) > `mudurluk.toml` >
//! defaults. Every bad value stops start-up with one line naming the setting
//! and what is allowed.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// What the config file may hold. Unknown keys are refused, so a typo is
/// noticed instead of silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data_dir: Option<PathBuf>,
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub log_format: Option<String>,
    pub max_upload_mb: Option<u64>,
    pub cookie_secure: Option<bool>,
    /// The Bearer token `/metrics` asks for on the main listener.
    pub metrics_token: Option<String>,
    /// A separate address serving only `/metrics`, without a token.
    pub metrics_listen: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Option<Vec<String>>,
    /// Hours an uploaded file that no record holds is kept (default 24).
    pub unreferenced_upload_hours: Option<u32>,
    /// Where the audit chain's signed checkpoints are written.
    pub audit_anchor: Option<app::audit::AnchorConfig>,
    pub profile: Option<PathBuf>,
    pub s3: Option<store::blob::S3Config>,
    /// Optional sign-in through LDAP / Active Directory.
    pub ldap: Option<app::directory::DirectoryConfig>,
    /// Numbering reset, arife, delivery alert, "due soon".
    pub correspondence: Option<app::incoming::CorrespondenceSettings>,
    /// The State Archives' opinion before a disposal.
    pub archive: Option<app::archive::ArchiveSettings>,
    /// Leave: how the service that sets a year's annual leave is reckoned.
    pub leave: Option<app::leave::LeaveSettings>,
    /// Overtime: the budget law's monthly hours for a Memur, the budget.
    pub overtime: Option<app::overtime::OvertimeSettings>,
    /// Sign-in: who must use a second factor.
    pub security: Option<app::totp::SecuritySettings>,
    /// The SMTP server for the daily digest.
    pub smtp: Option<app::digest::SmtpConfig>,
    /// The institution's KEP provider: its SMTP server and the KEP address
    /// letters leave from (`from`).
    pub kep: Option<app::digest::SmtpConfig>,
    /// The service desk: working hours for SLAs, closing resolved requests.
    pub servicedesk: Option<app::servicedesk::DeskSettings>,
    /// Text extraction and OCR.
    pub search: Option<SearchSettings>,
}

/// `[search]`: how the server extracts the text of stored files.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchSettings {
    /// Extraction jobs at a time (each OCR runs on one core); default: half
    /// the cores, at least one, so the pages stay responsive.
    pub ocr_workers: Option<usize>,
    /// Pages of a scanned PDF read by OCR (default 200).
    pub ocr_page_limit: Option<u32>,
    /// Tesseract languages (default `tur`).
    pub ocr_languages: Option<String>,
}

/// Values given on the command line or in the environment (clap merges the
/// two, flags first).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub log_format: Option<String>,
    pub max_upload_mb: Option<String>,
    pub profile: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    pub database_url: String,
    pub log_format: LogFormat,
    pub max_upload_bytes: u64,
    pub cookie_secure: bool,
    pub metrics_token: Option<String>,
    pub metrics_listen: Option<SocketAddr>,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub unreferenced_upload_hours: u32,
    pub audit_anchor: Option<app::audit::AnchorConfig>,
    /// A regulation profile file; `None` for the built-in one.
    pub profile: Option<PathBuf>,
    pub s3: Option<store::blob::S3Config>,
    pub ldap: Option<app::directory::DirectoryConfig>,
    pub correspondence: app::incoming::CorrespondenceSettings,
    pub archive: app::archive::ArchiveSettings,
    pub leave: app::leave::LeaveSettings,
    pub overtime: app::overtime::OvertimeSettings,
    pub security: app::totp::SecuritySettings,
    pub smtp: Option<app::digest::SmtpConfig>,
    /// The institution's KEP provider: its SMTP server and the KEP address
    /// letters leave from (`from`).
    pub kep: Option<app::digest::SmtpConfig>,
    pub servicedesk: app::servicedesk::DeskSettings,
    pub ocr_workers: usize,
    pub extract: app::extract::ExtractLimits,
}

/// A configuration error: one line for the operator.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

fn bad(setting: &str, allowed: &str, got: &str) -> ConfigError {
    ConfigError(format!(
        "invalid value {got:?} for setting `{setting}`: {allowed}"
    ))
}

pub const DEFAULT_CONFIG_FILE: &str = "mudurluk.toml";

fn read_file(path: &Path, explicit: bool) -> Result<FileConfig, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map_err(|e| {
            let msg = e.message().replace('\n', " ");
            // Name the line, and so the setting, that is wrong.
            let at = e
                .span()
                .map(|sp| {
                    let line_no = text[..sp.start.min(text.len())].matches('\n').count() + 1;
                    let line = text.lines().nth(line_no - 1).unwrap_or("").trim();
                    format!(", line {line_no} `{line}`")
                })
                .unwrap_or_default();
            ConfigError(format!("config file {}{at}: {msg}", path.display()))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            Ok(FileConfig::default())
        }
        Err(e) => Err(ConfigError(format!(
            "cannot read config file {}: {e}",
            path.display()
        ))),
    }
}

impl Config {
    /// Loads the regulation profile: the configured file, or the built-in
    /// one. A contradictory profile is refused naming the entry.
    pub fn load_profile(&self) -> Result<domain::profile::Profile, ConfigError> {
        use domain::profile::Profile;
        match &self.profile {
            None => Profile::builtin()
                .map_err(|e| ConfigError(format!("built-in regulation profile: {e}"))),
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| {
                    ConfigError(format!(
                        "cannot read regulation profile {}: {e}",
                        p.display()
                    ))
                })?;
                Profile::from_toml(&text)
                    .map_err(|e| ConfigError(format!("regulation profile {}: {e}", p.display())))
            }
        }
    }

    pub fn resolve(o: Overrides) -> Result<Config, ConfigError> {
        let (path, explicit) = match &o.config {
            Some(p) => (p.clone(), true),
            None => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
        };
        let f = read_file(&path, explicit)?;

        let data_dir = o
            .data_dir
            .or(f.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        if data_dir.as_os_str().is_empty() {
            return Err(bad("data_dir", "a folder path", ""));
        }
        let listen_s = o
            .listen
            .or(f.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen: SocketAddr = listen_s.parse().map_err(|_| {
            bad(
                "listen",
                "an IP address and port such as 127.0.0.1:8080 or 0.0.0.0:80",
                &listen_s,
            )
        })?;
        let database_url = o
            .database_url
            .or(f.database_url)
            .unwrap_or_else(|| store::sqlite_url_in(&data_dir));
        if !["sqlite:", "postgres:", "postgresql:"]
            .iter()
            .any(|p| database_url.starts_with(p))
        {
            return Err(ConfigError(
                "invalid value for setting `database_url`: it must start with sqlite:// or postgres://".into(),
            ));
        }
        let log_format = match o.log_format.or(f.log_format).as_deref() {
            None | Some("human") => LogFormat::Human,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(bad("log_format", "one of human, json", other)),
        };
        let max_upload_mb = match o.max_upload_mb {
            Some(s) => s.parse::<u64>().map_err(|_| {
                bad(
                    "max_upload_mb",
                    "a whole number of megabytes from 1 to 4096",
                    &s,
                )
            })?,
            None => f.max_upload_mb.unwrap_or(100),
        };
        if !(1..=4096).contains(&max_upload_mb) {
            return Err(bad(
                "max_upload_mb",
                "a whole number of megabytes from 1 to 4096",
                &max_upload_mb.to_string(),
            ));
        }
        let search = f.search.clone().unwrap_or(SearchSettings {
            ocr_workers: None,
            ocr_page_limit: None,
            ocr_languages: None,
        });
        let mut extract = app::extract::ExtractLimits::default();
        if let Some(n) = search.ocr_page_limit {
            if n == 0 {
                return Err(bad(
                    "search.ocr_page_limit",
                    "a whole number of pages, at least 1",
                    "0",
                ));
            }
            extract.ocr_pages = n;
        }
        if let Some(l) = &search.ocr_languages {
            extract.languages = l.clone();
        }
        if let Some(d) = f.correspondence.as_ref().and_then(|c| c.detsis.as_deref()) {
            if !domain::outgoing::is_detsis(d) {
                return Err(bad(
                    "correspondence.detsis",
                    "the institution's 8-digit DETSİS number",
                    d,
                ));
            }
        }
        if search.ocr_workers == Some(0) {
            return Err(bad(
                "search.ocr_workers",
                "a whole number of jobs, at least 1",
                "0",
            ));
        }
        let metrics_token = match f.metrics_token {
            Some(t) if t.len() < 16 || !t.bytes().all(|b| b.is_ascii_graphic()) => {
                return Err(bad(
                    "metrics_token",
                    "at least 16 visible ASCII characters",
                    "…",
                ));
            }
            t => t,
        };
        let metrics_listen = match &f.metrics_listen {
            Some(a) => Some(a.parse::<SocketAddr>().map_err(|_| {
                bad(
                    "metrics_listen",
                    "an IP address and port such as 127.0.0.1:9090",
                    a,
                )
            })?),
            None => None,
        };
        let mut trusted_proxies = Vec::new();
        for p in f.trusted_proxies.iter().flatten() {
            trusted_proxies.push(p.parse().map_err(|_| {
                bad(
                    "trusted_proxies",
                    "a list of IP addresses such as [\"127.0.0.1\"]",
                    p,
                )
            })?);
        }
        let unreferenced_upload_hours = f.unreferenced_upload_hours.unwrap_or(24);
        if !(1..=24 * 30).contains(&unreferenced_upload_hours) {
            return Err(bad(
                "unreferenced_upload_hours",
                "a whole number of hours from 1 to 720",
                &unreferenced_upload_hours.to_string(),
            ));
        }
        let trust_dir = data_dir.join("trust");
        Ok(Config {
            metrics_token,
            metrics_listen,
            trusted_proxies,
            unreferenced_upload_hours,
            audit_anchor: f.audit_anchor,
            data_dir,
            listen,
            database_url,
            log_format,
            max_upload_bytes: max_upload_mb * 1024 * 1024,
            cookie_secure: f.cookie_secure.unwrap_or(false),
            profile: o.profile.or(f.profile),
            s3: f.s3,
            ldap: f.ldap,
            correspondence: {
                let mut c = f.correspondence.unwrap_or_default();
                // e-imza certificates are trusted from DATA_DIR/trust unless
                // the file names another folder.
                if c.trust_dir.is_none() {
                    c.trust_dir = Some(trust_dir);
                }
                c
            },
            archive: f.archive.unwrap_or_default(),
            leave: f.leave.unwrap_or_default(),
            overtime: f.overtime.unwrap_or_default(),
            security: f.security.unwrap_or_default(),
            smtp: f.smtp,
            kep: f.kep,
            servicedesk: {
                let d = f.servicedesk.unwrap_or_default();
                d.hours().map_err(|e| {
                    ConfigError(format!("invalid `[servicedesk]` working hours: {e}"))
                })?;
                d
            },
            ocr_workers: search
                .ocr_workers
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get() / 2))
                .max(1),
            extract,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_file(text: &str) -> (tempfile::TempDir, Overrides) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("m.toml");
        std::fs::write(&p, text).unwrap();
        (
            d,
            Overrides {
                config: Some(p),
                ..Default::default()
            },
        )
    }

    #[test]
    fn precedence_flags_then_file_then_defaults() {
        let (_d, mut o) =
            with_file("listen = \"127.0.0.1:9000\"\ndata_dir = \"/srv/m\"\nmax_upload_mb = 5\n");
        let c = Config::resolve(o.clone()).unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(c.data_dir, PathBuf::from("/srv/m"));
        assert_eq!(c.database_url, "sqlite:///srv/m/mudurluk.db");
        assert_eq!(c.max_upload_bytes, 5 * 1024 * 1024);
        o.listen = Some("127.0.0.1:9100".into());
        assert_eq!(Config::resolve(o).unwrap().listen.port(), 9100);
    }

    #[test]
    fn attachments_can_live_in_s3() {
        let (_d, o) = with_file(
            "[s3]\nbucket = \"evrak\"\nendpoint = \"http://127.0.0.1:9000\"\nallow_http = true\n",
        );
        let s3 = Config::resolve(o).unwrap().s3.unwrap();
        assert_eq!((s3.bucket.as_str(), s3.allow_http), ("evrak", true));
        let (_d, o) = with_file("[s3]\nendpoint = \"http://x\"\n");
        assert!(Config::resolve(o)
            .unwrap_err()
            .to_string()
            .contains("bucket"));
    }

    #[test]
    fn bad_values_name_the_setting() {
        let (_d, o) = with_file("listen = \"nowhere\"\n");
        let e = Config::resolve(o).unwrap_err().to_string();
        assert!(
            e.contains("`listen`") && e.contains("127.0.0.1:8080"),
            "{e}"
        );
        let (_d, o) = with_file("lissen = \"127.0.0.1:1\"\n");
        let e = Config::resolve(o).unwrap_err().to_string();
        assert!(e.contains("lissen"), "{e}");
        assert!(!e.contains('\n'));
        let o = Overrides {
            log_format: Some("xml".into()),
            ..Default::default()
        };
        assert!(Config::resolve(o)
            .unwrap_err()
            .to_string()
            .contains("`log_format`"));
        let o = Overrides {
            database_url: Some("mysql://x".into()),
            ..Default::default()
        };
        assert!(Config::resolve(o)
            .unwrap_err()
            .to_string()
            .contains("`database_url`"));
        let o = Overrides {
            max_upload_mb: Some("0".into()),
            ..Default::default()
        };
        assert!(Config::resolve(o)
            .unwrap_err()
            .to_string()
            .contains("`max_upload_mb`"));
        let o = Overrides {
            config: Some("/nonexistent/m.toml".into()),
            ..Default::default()
        };
        assert!(Config::resolve(o)
            .unwrap_err()
            .to_string()
            .contains("/nonexistent/m.toml"));
    }
}
