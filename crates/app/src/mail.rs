//! The service desk's mailbox (issue 15): read over IMAP; a new message
//! opens a request, a reply whose subject carries a request's number
//! (`[#2026-000042]`) from that request's own requester is added to it.
//!
//! Bad mail never blocks the mailbox: a message with no subject gets one,
//! HTML-only mail is read as text, an oversized message is taken without
//! its attachments, an unreadable one is set aside, an automatic reply
//! (`Auto-Submitted`, `Precedence: bulk`, a bounce) is ignored so that two
//! robots cannot loop, and a number in the subject that is not the
//! sender's own request opens a new request instead of writing into
//! someone else's. Each message is taken once (its Message-ID is kept),
//! then marked seen; a message that could not be stored (the database
//! away) stays unseen and is tried again at the next round.

use std::time::Duration;

use async_imap::Client;
use domain::authority::{Grant, SystemTask};
use domain::code::Code;
use futures::TryStreamExt;
use mail_parser::{MessageParser, MimeHeaders};
use store::servicedesk::NewRequest;
use store::{Audit, Audits};
use tokio::io::{AsyncRead, AsyncWrite};

use crate::{App, AppError, Result};

/// `[servicedesk.mailbox]`: where the desk's mail is read.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailboxConfig {
    pub host: String,
    /// Default 993 (IMAPS).
    #[serde(default = "default_port")]
    pub port: u16,
    /// TLS from the first byte (IMAPS); `false` only for a server on the
    /// same machine.
    #[serde(default = "yes")]
    pub tls: bool,
    pub username: String,
    pub password: String,
    #[serde(default = "inbox")]
    pub mailbox: String,
    /// The kind a request opened by mail gets (the desk re-files it).
    pub category: String,
    /// Whose request it is when the sender is no known account: the
    /// username of an account without a post (e.g. `eposta`).
    pub fallback_requester: String,
    /// Seconds between rounds (default 60).
    #[serde(default = "minute")]
    pub poll_seconds: u64,
    /// A message larger than this (MB, default 30) is taken without its
    /// attachments.
    #[serde(default = "thirty")]
    pub max_message_mb: u64,
}

fn default_port() -> u16 {
    993
}
fn yes() -> bool {
    true
}
fn inbox() -> String {
    "INBOX".into()
}
fn minute() -> u64 {
    60
}
fn thirty() -> u64 {
    30
}

impl MailboxConfig {
    /// Checks the settings against the profile (at start).
    pub fn check(&self, profile: &domain::profile::Profile) -> std::result::Result<(), String> {
        if self.host.trim().is_empty() || self.username.trim().is_empty() {
            return Err("servicedesk.mailbox: host and username are required".into());
        }
        if profile.request_category(&self.category).is_none() {
            return Err(format!(
                "servicedesk.mailbox.category {:?} is not a request category of the profile",
                self.category
            ));
        }
        if self.fallback_requester.trim().is_empty() {
            return Err("servicedesk.mailbox.fallback_requester is required (an account without a post, e.g. `eposta`)".into());
        }
        if self.poll_seconds == 0 {
            return Err("servicedesk.mailbox.poll_seconds must be at least 1".into());
        }
        Ok(())
    }
}

/// What one message came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailOutcome {
    /// A new request.
    Opened,
    /// Added to the request its subject names.
    Added,
    /// An automatic reply or bulk mail: not taken.
    Ignored,
    /// Taken before (same Message-ID).
    Duplicate,
    /// Not a readable message: set aside.
    Unreadable,
}

/// One round's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MailRound {
    pub opened: usize,
    pub added: usize,
    pub ignored: usize,
    pub duplicate: usize,
    pub unreadable: usize,
    /// Left unseen for the next round (the database refused).
    pub retry: usize,
}

/// The SHA-256 of a message without a Message-ID (its identity).
fn digest(raw: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(raw)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Finds `#2026-000042` (with or without brackets) in a subject.
pub fn number_in(subject: &str) -> Option<String> {
    let b = subject.as_bytes();
    for i in 0..b.len() {
        if b[i] != b'#' {
            continue;
        }
        let rest = &subject[i + 1..];
        let digits: String = rest.chars().take(11).collect();
        let ok = digits.len() == 11
            && digits
                .chars()
                .enumerate()
                .all(|(j, c)| if j == 4 { c == '-' } else { c.is_ascii_digit() });
        if ok {
            return Some(digits);
        }
    }
    None
}

/// Whether a message is an automatic one (RFC 3834 `Auto-Submitted`,
/// `Precedence: bulk/junk/list`, Microsoft's auto-reply headers, a bounce
/// from a mailer daemon): answering or filing it could start a loop.
pub fn is_automatic(m: &mail_parser::Message<'_>) -> bool {
    let header = |name: &str| m.header_raw(name).map(|v| v.trim().to_ascii_lowercase());
    if header("Auto-Submitted").is_some_and(|v| !v.starts_with("no")) {
        return true;
    }
    if header("Precedence")
        .is_some_and(|v| matches!(v.as_str(), "bulk" | "junk" | "list" | "auto_reply"))
    {
        return true;
    }
    if header("X-Autoreply").is_some()
        || header("X-Autorespond").is_some()
        || header("X-Auto-Response-Suppress")
            .is_some_and(|v| v.contains("all") || v.contains("oof"))
    {
        return true;
    }
    if header("Return-Path").is_some_and(|v| v == "<>") {
        return true;
    }
    let from = m
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or("")
        .to_ascii_lowercase();
    from.starts_with("mailer-daemon@") || from.starts_with("postmaster@")
}

/// Text safe to keep: control characters (but newline and tab), bidi
/// overrides and NUL removed, NFC, at most `max` characters.
fn tidy(s: &str, max: usize, one_line: bool) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let keep = match c {
            '\n' | '\t' => !one_line,
            '\r' => false,
            c if c.is_control() => false,
            '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}' => false,
            _ => true,
        };
        if keep {
            out.push(c);
        } else if one_line && (c == '\n' || c == '\t') {
            out.push(' ');
        }
    }
    let out = domain::text::clean(
        &out,
        if one_line {
            domain::text::Lines::One
        } else {
            domain::text::Lines::Many
        },
    )
    .unwrap_or_default();
    out.chars().take(max).collect()
}

impl App {
    /// Reads the mailbox once: every unseen message is taken (or set
    /// aside) and marked seen. A server that cannot be reached is an
    /// `Unavailable` error; nothing is lost, the next round tries again.
    pub async fn read_mailbox(&self, cfg: &MailboxConfig) -> Result<MailRound> {
        let unavailable =
            |e: String| AppError::Unavailable(format!("mailbox {}:{}: {e}", cfg.host, cfg.port));
        let tcp = tokio::time::timeout(
            Duration::from_secs(20),
            tokio::net::TcpStream::connect((cfg.host.as_str(), cfg.port)),
        )
        .await
        .map_err(|_| unavailable("connection timed out".into()))?
        .map_err(|e| unavailable(e.to_string()))?;
        if cfg.tls {
            let mut roots = tokio_rustls::rustls::RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            let tls = tokio_rustls::rustls::ClientConfig::builder()
                .with_root_certificates(roots)
                .with_no_client_auth();
            let name = tokio_rustls::rustls::pki_types::ServerName::try_from(cfg.host.clone())
                .map_err(|e| unavailable(e.to_string()))?;
            let stream = tokio_rustls::TlsConnector::from(std::sync::Arc::new(tls))
                .connect(name, tcp)
                .await
                .map_err(|e| unavailable(e.to_string()))?;
            self.mailbox_session(Client::new(stream), cfg).await
        } else {
            self.mailbox_session(Client::new(tcp), cfg).await
        }
    }

    async fn mailbox_session<T>(
        &self,
        mut client: Client<T>,
        cfg: &MailboxConfig,
    ) -> Result<MailRound>
    where
        T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
    {
        let unavailable =
            |e: String| AppError::Unavailable(format!("mailbox {}:{}: {e}", cfg.host, cfg.port));
        client
            .read_response()
            .await
            .ok_or_else(|| unavailable("no greeting".into()))?
            .map_err(|e| unavailable(e.to_string()))?;
        let mut session = client
            .login(&cfg.username, &cfg.password)
            .await
            .map_err(|(e, _)| unavailable(format!("sign-in refused: {e}")))?;
        session
            .select(&cfg.mailbox)
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        let mut uids: Vec<u32> = session
            .uid_search("UNSEEN")
            .await
            .map_err(|e| unavailable(e.to_string()))?
            .into_iter()
            .collect();
        uids.sort_unstable();
        let limit = cfg.max_message_mb.saturating_mul(1024 * 1024);
        let mut round = MailRound::default();
        for uid in uids.into_iter().take(500) {
            let sizes: Vec<_> = session
                .uid_fetch(uid.to_string(), "(UID RFC822.SIZE)")
                .await
                .map_err(|e| unavailable(e.to_string()))?
                .try_collect()
                .await
                .map_err(|e| unavailable(e.to_string()))?;
            let size = sizes.first().and_then(|f| f.size).unwrap_or(0) as u64;
            let whole = size <= limit;
            let query = if whole {
                "(UID BODY.PEEK[])"
            } else {
                "(UID BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.65536>)"
            };
            let fetched: Vec<_> = session
                .uid_fetch(uid.to_string(), query)
                .await
                .map_err(|e| unavailable(e.to_string()))?
                .try_collect()
                .await
                .map_err(|e| unavailable(e.to_string()))?;
            let Some(f) = fetched.first() else { continue };
            let raw: Vec<u8> = if whole {
                f.body().unwrap_or_default().to_vec()
            } else {
                let mut v = f.header().unwrap_or_default().to_vec();
                v.extend_from_slice(f.text().unwrap_or_default());
                v
            };
            match self.take_mail(cfg, &raw, (!whole).then_some(size)).await {
                Ok(outcome) => {
                    match outcome {
                        MailOutcome::Opened => round.opened += 1,
                        MailOutcome::Added => round.added += 1,
                        MailOutcome::Ignored => round.ignored += 1,
                        MailOutcome::Duplicate => round.duplicate += 1,
                        MailOutcome::Unreadable => round.unreadable += 1,
                    }
                    let _: Vec<_> = session
                        .uid_store(uid.to_string(), "+FLAGS (\\Seen)")
                        .await
                        .map_err(|e| unavailable(e.to_string()))?
                        .try_collect()
                        .await
                        .map_err(|e| unavailable(e.to_string()))?;
                }
                Err(e) => {
                    tracing::warn!(uid, error = %e, "a message could not be taken; it stays unseen for the next round");
                    round.retry += 1;
                }
            }
        }
        let _ = session.logout().await;
        Ok(round)
    }

    /// Takes one message (its raw bytes; `oversized` when only its head and
    /// the start of its text were read).
    pub async fn take_mail(
        &self,
        cfg: &MailboxConfig,
        raw: &[u8],
        oversized: Option<u64>,
    ) -> Result<MailOutcome> {
        let grant = Grant::system(SystemTask::MailIntake);
        // Not a message, or one with no sender to answer: set aside.
        let parsed = MessageParser::default().parse(raw).filter(|m| {
            m.from()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .is_some_and(|a| a.contains('@'))
        });
        let Some(m) = parsed else {
            let id = format!("sha256:{}", digest(raw));
            if store::servicedesk::mail_seen(&mut self.read().await?, &id).await? {
                return Ok(MailOutcome::Duplicate);
            }
            return self
                .note_mail(&id, None, MailOutcome::Unreadable, &grant)
                .await;
        };
        let message_id = match m.message_id() {
            Some(id) if !id.trim().is_empty() => tidy(id, 500, true),
            _ => format!("sha256:{}", digest(raw)),
        };
        if store::servicedesk::mail_seen(&mut self.read().await?, &message_id).await? {
            return Ok(MailOutcome::Duplicate);
        }
        if is_automatic(&m) {
            return self
                .note_mail(&message_id, None, MailOutcome::Ignored, &grant)
                .await;
        }
        let from = m.from().and_then(|a| a.first());
        let address = from
            .and_then(|a| a.address())
            .map(|a| tidy(a, 254, true).to_lowercase())
            .unwrap_or_default();
        let sender_name = from
            .and_then(|a| a.name())
            .map(|n| tidy(n, 120, true))
            .unwrap_or_default();
        let subject = m.subject().map(|s| tidy(s, 300, true)).unwrap_or_default();
        let mut body = m
            .body_text(0)
            .map(|b| tidy(&b, 20_000, false))
            .unwrap_or_default();
        if let Some(size) = oversized {
            body.push_str(&format!("\n\n[E-posta {} MB; eklerinden dolayı ekleri alınmadı. / The message was {} MB; its attachments were not taken.]", size / (1024 * 1024), size / (1024 * 1024)));
        }
        let sender = store::accounts::user_by_email(&mut self.read().await?, &address).await?;

        // A reply to a request: only from that request's own requester.
        if let Some(number) = number_in(&subject) {
            let req = store::servicedesk::by_number(&mut self.read().await?, &number).await?;
            if let Some(r) = req {
                let requester_email =
                    store::accounts::email_of(&mut self.read().await?, r.requester_id)
                        .await?
                        .to_lowercase();
                let own = !address.is_empty()
                    && (r.email_from.as_deref() == Some(address.as_str())
                        || requester_email == address);
                if own && r.state != domain::servicedesk::RequestState::Closed {
                    let mut w = self.write().await?;
                    let text = if body.trim().is_empty() {
                        subject.clone()
                    } else {
                        body.clone()
                    };
                    store::servicedesk::event(
                        &mut w,
                        r.id,
                        Some(r.requester_id),
                        "mail",
                        true,
                        &text,
                        None,
                        (None, None),
                        None,
                    )
                    .await?;
                    store::servicedesk::update(
                        &mut w,
                        r.id,
                        &store::servicedesk::Change::default(),
                    )
                    .await?;
                    store::servicedesk::record_mail(&mut w, &message_id, Some(r.id), "added")
                        .await?;
                    w.commit(Audit::new(
                        &grant,
                        "request.mail_added",
                        format!("request:{}", r.id),
                        serde_json::json!({"number": r.number, "from": address}),
                    ))
                    .await?;
                    return Ok(MailOutcome::Added);
                }
            }
        }

        // A new request, with what attachments it brought (each sniffed;
        // a kind the archive does not keep is named in the text instead).
        let requester = match sender {
            Some(u) => u,
            None => store::accounts::user_by_name(
                &mut self.read().await?,
                cfg.fallback_requester.trim(),
            )
            .await?
            .ok_or(AppError::invalid("fallback_requester", Code::UnknownUser))?,
        };
        let mut files = Vec::new();
        let mut skipped = Vec::new();
        if oversized.is_none() {
            for part in m.attachments().take(20) {
                let name = tidy(part.attachment_name().unwrap_or("ek"), 200, true);
                let bytes = part.contents().to_vec();
                if bytes.len() as u64 > self.max_upload_bytes() {
                    skipped.push(format!("{name} (çok büyük / too large)"));
                    continue;
                }
                match self
                    .put_file(futures::stream::iter([Ok::<_, std::io::Error>(
                        bytes::Bytes::from(bytes),
                    )]))
                    .await
                {
                    Ok(rec) => files.push((rec, name)),
                    Err(AppError::Invalid { .. }) => {
                        skipped.push(format!("{name} (türü desteklenmiyor / unsupported type)"))
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        if !skipped.is_empty() {
            body.push_str(&format!(
                "\n\n[Alınmayan ekler / attachments not taken: {}]",
                skipped.join(", ")
            ));
        }
        let title = match subject.trim() {
            "" => "(konusuz e-posta)".to_owned(),
            s => s.chars().take(200).collect(),
        };
        let description = match (body.trim().is_empty(), sender_name.is_empty()) {
            (true, _) => format!("(boş ileti) — {address}"),
            (false, true) => body.clone(),
            (false, false) => format!("{body}\n\n— {sender_name} <{address}>"),
        };
        let category = self
            .profile
            .request_category(&cfg.category)
            .ok_or(AppError::invalid("category", Code::UnknownCategory))?
            .clone();
        let class = self
            .profile
            .sla_class(&category.sla)
            .ok_or(AppError::invalid("category", Code::UnknownCategory))?
            .clone();
        let cal = self.calendar().await?;
        let department =
            store::accounts::department_of(&mut self.read().await?, requester.id).await?;
        let mut w = self.write().await?;
        let at = w.at();
        let (respond_by, resolve_by) = self.desk.deadlines(&cal, at, &class)?;
        let mut audits = Vec::new();
        for (rec, _) in &files {
            audits.push(self.record_file(&mut w, &grant, rec).await?);
        }
        let req = store::servicedesk::insert(
            &mut w,
            &NewRequest {
                title,
                description,
                category: category.id.clone(),
                section: category.section.clone(),
                priority: class.id.clone(),
                channel: "email".into(),
                requester: requester.id,
                requester_department: department,
                filed_by: requester.id,
                asset_tag: None,
                respond_by,
                resolve_by,
                email_from: Some(address.clone()).filter(|a| !a.is_empty()),
                requester_name: requester.display_name.clone(),
                filed_by_name: requester.display_name.clone(),
            },
        )
        .await?;
        for (rec, name) in &files {
            store::servicedesk::attach(&mut w, req.id, &rec.sha256, name).await?;
        }
        store::servicedesk::record_mail(&mut w, &message_id, Some(req.id), "opened").await?;
        let mut all = Audits::from(Audit::new(
            &grant,
            "request.filed",
            format!("request:{}", req.id),
            serde_json::json!({"number": req.number, "channel": "email", "from": address, "requester": requester.username, "attachments": files.len()}),
        ));
        for a in audits {
            all.push(a);
        }
        w.commit_all(all).await?;
        self.notify_requester(req.id, "filed");
        Ok(MailOutcome::Opened)
    }

    async fn note_mail(
        &self,
        message_id: &str,
        request: Option<i64>,
        outcome: MailOutcome,
        grant: &Grant,
    ) -> Result<MailOutcome> {
        let mut w = self.write().await?;
        let label = match outcome {
            MailOutcome::Ignored => "ignored_automatic",
            MailOutcome::Unreadable => "unreadable",
            _ => "noted",
        };
        store::servicedesk::record_mail(&mut w, message_id, request, label).await?;
        w.commit(Audit::new(
            grant,
            "mail.set_aside",
            format!("mail:{}", message_id.chars().take(200).collect::<String>()),
            serde_json::json!({"outcome": label}),
        ))
        .await?;
        Ok(outcome)
    }
}

/// Reads the mailbox every `poll_seconds` (the server's background work).
pub fn spawn_intake(app: App, cfg: MailboxConfig) {
    tokio::spawn(async move {
        loop {
            match app.read_mailbox(&cfg).await {
                Ok(r) if r != MailRound::default() => tracing::info!(
                    opened = r.opened,
                    added = r.added,
                    ignored = r.ignored,
                    unreadable = r.unreadable,
                    retry = r.retry,
                    "read the desk's mailbox"
                ),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the desk's mailbox; trying again at the next round")
                }
            }
            tokio::time::sleep(Duration::from_secs(cfg.poll_seconds)).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_subjects() {
        assert_eq!(
            number_in("Re: [#2026-000042] Yazıcı"),
            Some("2026-000042".into())
        );
        assert_eq!(
            number_in("YNT: Talep #2026-000007 hk."),
            Some("2026-000007".into())
        );
        for s in ["Re: Yazıcı", "#2026-42", "#20260000042", "#2026-00004", ""] {
            assert_eq!(number_in(s), None, "{s}");
        }
    }

    #[test]
    fn automatic_mail_is_recognised() {
        let parse = |raw: &str| {
            MessageParser::default()
                .parse(raw.as_bytes())
                .map(|m| is_automatic(&m))
                .unwrap()
        };
        assert!(parse(
            "From: a@b.tr\r\nAuto-Submitted: auto-replied\r\nSubject: Ofis dışındayım\r\n\r\nx"
        ));
        assert!(parse(
            "From: a@b.tr\r\nPrecedence: bulk\r\nSubject: Bülten\r\n\r\nx"
        ));
        assert!(parse(
            "From: MAILER-DAEMON@b.tr\r\nSubject: Undelivered\r\n\r\nx"
        ));
        assert!(!parse(
            "From: a@b.tr\r\nAuto-Submitted: no\r\nSubject: Yazıcı\r\n\r\nx"
        ));
        assert!(!parse("From: a@b.tr\r\nSubject: Yazıcı\r\n\r\nx"));
    }

    #[test]
    fn text_is_tidied() {
        assert_eq!(tidy("a\u{0}b\u{202e}c\r\nd", 100, false), "abc\nd");
        assert_eq!(tidy("Konu\nsatır", 100, true), "Konu satır");
    }
}
