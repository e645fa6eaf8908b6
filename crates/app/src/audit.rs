//! The audit trail for those who answer for it (m.11, m.8/28): the Müdür
//! (`view_audit_trail`, delegable) and administrators; and its check.

use domain::authority::Authority;
use domain::code::Code;

use crate::{Actor, App, AppError, Result, User};

pub use store::audit::AuditFilter;
pub use store::{AuditEntry, AuditVerdict};

impl App {
    async fn may_read_audit(&self, actor: &User) -> Result<()> {
        if actor.is_admin || self.capabilities(actor).await?.audit {
            Ok(())
        } else {
            Err(AppError::forbidden(Authority::ViewAuditTrail.id()))
        }
    }

    /// The audit trail, filtered, newest first.
    pub async fn audit_search(&self, actor: &User, filter: AuditFilter) -> Result<Vec<AuditEntry>> {
        self.may_read_audit(actor).await?;
        if !(1..=500).contains(&filter.limit) {
            return Err(AppError::invalid("limit", Code::OutOfRange));
        }
        if let (Some(f), Some(u)) = (filter.from, filter.until) {
            if u <= f {
                return Err(AppError::invalid("until", Code::PeriodEmpty));
            }
        }
        Ok(store::audit::search(&mut self.read().await?, &filter).await?)
    }

    /// The newest audit records.
    pub async fn recent_audit(&self, actor: &User, limit: i64) -> Result<Vec<AuditEntry>> {
        self.audit_search(
            actor,
            AuditFilter {
                limit,
                ..Default::default()
            },
        )
        .await
    }

    /// Checks the audit trail's hash chain from its first record: the
    /// operator's `mudurluk audit verify`, or whoever may read the trail.
    pub async fn verify_audit(&self, by: Actor<'_>) -> Result<AuditVerdict> {
        if let Actor::Person(u) = by {
            self.may_read_audit(u).await?;
        }
        Ok(store::audit::verify(&mut self.read().await?).await?)
    }
}

/// `[audit_anchor]`: where the audit chain's head is anchored outside the
/// database. Deleting the newest records leaves a valid, shorter chain;
/// a checkpoint kept elsewhere shows the cut.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnchorConfig {
    /// A folder away from the database (another disk, a mounted share
    /// with write-once retention): one checkpoint file per anchor.
    pub dir: std::path::PathBuf,
    /// Minutes between anchors (default 60).
    pub interval_minutes: Option<u32>,
    /// The signing key's file (created at the first anchor, 32 random
    /// bytes, readable by the service only). Default: `anchor.key` in the
    /// data folder, so that the database alone cannot forge a checkpoint.
    pub key_file: Option<std::path::PathBuf>,
    /// An auditor's address (e.g. the Teftiş Kurulu's): each checkpoint is
    /// also e-mailed there through `[smtp]`, a copy that nobody with access
    /// to this server can take back.
    pub email_to: Option<String>,
}

/// A checkpoint: the chain's head at an instant, signed (HMAC-SHA256).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    pub id: i64,
    pub hash: String,
    pub records: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
    pub mac: String,
}

/// What the anchors say of the trail now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorVerdict {
    /// No checkpoint yet.
    NoAnchor,
    /// The newest checkpoint's record is there with its hash.
    Holds(Checkpoint),
    /// The trail was cut or rolled back since the checkpoint: its record
    /// is missing, has another hash, or there are fewer records.
    Cut {
        checkpoint: Checkpoint,
        reason: String,
    },
    /// A checkpoint file whose signature does not match (edited, or made
    /// with another key).
    Forged { file: String },
}

fn mac(key: &[u8], id: i64, hash: &str, records: i64, at: time::OffsetDateTime) -> String {
    use hmac::Mac;
    let mut m =
        <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(
        format!(
            "mudurluk-audit-anchor/1\n{id}\n{hash}\n{records}\n{}",
            at.unix_timestamp_nanos()
        )
        .as_bytes(),
    );
    hex::encode(m.finalize().into_bytes())
}

impl AnchorConfig {
    fn key_path(&self, data_dir: &std::path::Path) -> std::path::PathBuf {
        self.key_file
            .clone()
            .unwrap_or_else(|| data_dir.join("anchor.key"))
    }

    /// The signing key, made on first use.
    fn key(&self, data_dir: &std::path::Path) -> anyhow::Result<Vec<u8>> {
        let path = self.key_path(data_dir);
        match std::fs::read(&path) {
            Ok(k) if k.len() >= 32 => Ok(k),
            Ok(_) => anyhow::bail!(
                "the audit anchor key {} is shorter than 32 bytes",
                path.display()
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // Written whole under another name, then linked into place:
                // a process stopped half-way never leaves a short key, and
                // of two made at once the first stays.
                let key: [u8; 32] = rand::random();
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let tmp = path.with_extension(format!("tmp-{}", crate::new_token()));
                let mut opts = std::fs::OpenOptions::new();
                opts.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
                let mut f = opts.open(&tmp)?;
                std::io::Write::write_all(&mut f, &key)?;
                f.sync_all()?;
                let linked = std::fs::hard_link(&tmp, &path);
                let _ = std::fs::remove_file(&tmp);
                match linked {
                    Ok(()) => Ok(key.to_vec()),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => self.key(data_dir),
                    Err(e) => Err(e.into()),
                }
            }
            Err(e) => Err(anyhow::anyhow!(
                "cannot read the audit anchor key {}: {e}",
                path.display()
            )),
        }
    }

    /// The newest checkpoint file in the folder, checked.
    fn newest(
        &self,
        key: &[u8],
    ) -> anyhow::Result<Option<std::result::Result<Checkpoint, String>>> {
        let mut files: Vec<_> = match std::fs::read_dir(&self.dir) {
            Ok(d) => d
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => anyhow::bail!(
                "cannot read the audit anchor folder {}: {e}",
                self.dir.display()
            ),
        };
        // Names sort by the record id they anchor (zero-padded).
        files.sort();
        let Some(path) = files.pop() else {
            return Ok(None);
        };
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path)?;
        let Ok(c) = serde_json::from_str::<Checkpoint>(&text) else {
            return Ok(Some(Err(name)));
        };
        if c.mac != mac(key, c.id, &c.hash, c.records, c.at) {
            return Ok(Some(Err(name)));
        }
        Ok(Some(Ok(c)))
    }
}

impl App {
    /// Anchors the chain's head now: writes a signed checkpoint file into
    /// the anchor folder (`mudurluk audit anchor`, and every interval while
    /// the server runs). `None` when the trail is empty.
    pub async fn anchor_audit(
        &self,
        cfg: &AnchorConfig,
        data_dir: &std::path::Path,
    ) -> anyhow::Result<Option<Checkpoint>> {
        let key = cfg.key(data_dir)?;
        let Some((id, hash, records)) = store::audit::head(&mut self.read().await?).await? else {
            return Ok(None);
        };
        let at = time::OffsetDateTime::now_utc();
        let c = Checkpoint {
            id,
            hash: hash.clone(),
            records,
            at,
            mac: mac(&key, id, &hash, records, at),
        };
        std::fs::create_dir_all(&cfg.dir)?;
        let name = format!("checkpoint-{id:020}-{}.json", at.unix_timestamp());
        let tmp = cfg.dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, serde_json::to_vec_pretty(&c)?)?;
        std::fs::rename(&tmp, cfg.dir.join(&name))?;
        if let Some(to) = &cfg.email_to {
            self.mail_checkpoint(to, &name, &c).await.map_err(|e| {
                anyhow::anyhow!(
                    "the checkpoint {name} was written, but could not be e-mailed to {to}: {e}"
                )
            })?;
        }
        Ok(Some(c))
    }

    /// E-mails a checkpoint to the auditor (`[audit_anchor] email_to`).
    async fn mail_checkpoint(&self, to: &str, name: &str, c: &Checkpoint) -> anyhow::Result<()> {
        let smtp = self
            .smtp
            .clone()
            .ok_or_else(|| anyhow::anyhow!("no [smtp] server is configured"))?;
        let to: lettre::message::Mailbox = to
            .parse()
            .map_err(|e| anyhow::anyhow!("audit_anchor.email_to {to:?}: {e}"))?;
        let from: lettre::message::Mailbox = smtp
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("smtp.from: {e}"))?;
        let json = serde_json::to_string_pretty(c)?;
        let body = format!(
            "Denetim izinin başı, {} itibarıyla: kayıt #{} ({} kayıt).\n\
             The audit trail's head as of {}: record #{} ({} records).\n\n\
             Bu iletiyi saklayın: `mudurluk audit verify`, izin bu noktadan sonra kesilip kesilmediğini bu kontrol noktasıyla gösterir.\n\
             Keep this message: with this checkpoint, `mudurluk audit verify` shows whether the trail was cut since.\n\n\
             {name}:\n{json}\n",
            domain::local::format_datetime(c.at),
            c.id,
            c.records,
            c.at,
            c.id,
            c.records
        );
        let message = lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(format!(
                "Denetim izi kontrol noktası / Audit checkpoint: #{} ({} kayıt)",
                c.id, c.records
            ))
            .header(crate::servicedesk::AutoSubmitted)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(body)?;
        let transport = smtp.transport()?;
        lettre::AsyncTransport::send(&transport, message).await?;
        Ok(())
    }

    /// Checks the trail against the newest checkpoint.
    pub async fn verify_anchor(
        &self,
        cfg: &AnchorConfig,
        data_dir: &std::path::Path,
    ) -> anyhow::Result<AnchorVerdict> {
        let key = cfg.key(data_dir)?;
        let c = match cfg.newest(&key)? {
            None => return Ok(AnchorVerdict::NoAnchor),
            Some(Err(file)) => return Ok(AnchorVerdict::Forged { file }),
            Some(Ok(c)) => c,
        };
        let mut r = self.read().await?;
        let found = store::audit::hash_of(&mut r, c.id).await?;
        let head = store::audit::head(&mut r).await?;
        let records = head.as_ref().map_or(0, |h| h.2);
        let reason = match found {
            None => Some(format!("record #{} anchored at {} is missing", c.id, c.at)),
            Some(h) if h != c.hash => Some(format!(
                "record #{} has another hash than anchored at {}",
                c.id, c.at
            )),
            Some(_) if records < c.records => Some(format!(
                "{} records now, {} when anchored at {}",
                records, c.records, c.at
            )),
            Some(_) => None,
        };
        Ok(match reason {
            Some(reason) => AnchorVerdict::Cut {
                checkpoint: c,
                reason,
            },
            None => AnchorVerdict::Holds(c),
        })
    }
}

/// Anchors the chain every `interval_minutes` while the server runs.
pub fn spawn_anchoring(app: App, cfg: AnchorConfig, data_dir: std::path::PathBuf) {
    let every =
        std::time::Duration::from_secs(u64::from(cfg.interval_minutes.unwrap_or(60).max(1)) * 60);
    tokio::spawn(async move {
        loop {
            if let Err(e) = app.anchor_audit(&cfg, &data_dir).await {
                tracing::warn!(error = %e, "the audit chain could not be anchored; trying again at the next interval");
            }
            tokio::time::sleep(every).await;
        }
    });
}
