//! The daily digest: each person with an e-mail address on their staff
//! record receives what in their tray is overdue, due soon, or routed and
//! not yet taken into custody; their tasks and requests past due; the leave
//! requests waiting on their initials or decision; and, for the Taşınır
//! Kayıt Yetkilisi and the Kalem, the licences, contracts and personnel
//! certificates ending on the alert days. Sent through the municipality's SMTP server
//! (`[smtp]` in `mudurluk.toml`) by `mudurluk digest` (from cron or a
//! systemd timer) or `POST /api/v1/digest`.
//!
//! A classified or personal-data document appears by number only: the
//! e-mail leaves the system.

use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;

use domain::authority::{Grant, SystemTask};
use domain::code::Code;
use domain::incoming::TrayLine;
use store::Audit;

use crate::{Actor, App, AppError, Result};

/// How to talk to the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain SMTP (a relay on the same host or a trusted network).
    None,
    /// STARTTLS on the submission port (587, usual).
    Starttls,
    /// TLS from the start (465).
    Tls,
}

/// The `[smtp]` section of `mudurluk.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    /// The sender, e.g. `Bilgi İşlem Müdürlüğü <bilgiislem@ornek.bel.tr>`.
    pub from: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default = "default_security")]
    pub security: SmtpSecurity,
}

fn default_port() -> u16 {
    587
}

fn default_security() -> SmtpSecurity {
    SmtpSecurity::Starttls
}

impl SmtpConfig {
    /// Refuses an unusable sender address at start, naming the setting.
    pub fn check(&self) -> std::result::Result<(), String> {
        self.from
            .parse::<lettre::message::Mailbox>()
            .map_err(|e| format!("smtp.from {:?}: {e}", self.from))?;
        if self.host.trim().is_empty() {
            return Err("smtp.host: required".into());
        }
        Ok(())
    }

    pub(crate) fn transport(
        &self,
    ) -> std::result::Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error>
    {
        let builder = match self.security {
            SmtpSecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
            }
            SmtpSecurity::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&self.host)?
            }
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&self.host)?,
        };
        let builder = builder
            .port(self.port)
            .timeout(Some(std::time::Duration::from_secs(20)));
        Ok(match (&self.username, &self.password) {
            (Some(u), Some(p)) => builder
                .credentials(Credentials::new(u.clone(), p.clone()))
                .build(),
            _ => builder.build(),
        })
    }
}

/// What one run of the digest did.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct DigestReport {
    /// E-mails sent.
    pub sent: usize,
    /// People with nothing to report.
    pub quiet: usize,
    /// People without an e-mail address on their staff record.
    pub no_address: usize,
}

fn line_text(l: &TrayLine) -> String {
    let due = l
        .line
        .effective_due()
        .map(domain::local::format_date)
        .unwrap_or_else(|| "—".into());
    let what = if l.line.is_restricted() {
        "(gizli / kişisel veri içeren evrak)".to_owned()
    } else {
        l.line.subject.clone()
    };
    let mark = if l.overdue {
        "SÜRESİ GEÇTİ"
    } else if l.delivery_late {
        "teslim alınmadı"
    } else {
        "süresi yaklaşıyor"
    };
    format!(
        "- {} · {} · son gün {} · {}",
        l.line.number, what, due, mark
    )
}

impl App {
    /// Sends each person their digest (the administrator, or the operator
    /// from cron); the report says how many. Recorded in the audit trail:
    /// what leaves the system by e-mail is accounted for.
    pub async fn send_digest(&self, by: Actor<'_>) -> Result<DigestReport> {
        let grant = match by {
            Actor::Person(u) => Grant::administrator(u)?,
            Actor::Operator => Grant::system(SystemTask::Command),
        };
        let Some(smtp) = self.smtp.clone() else {
            return Err(AppError::Conflict(Code::SmtpNotConfigured));
        };
        let transport = smtp
            .transport()
            .map_err(|e| AppError::Unavailable(format!("smtp: {e}")))?;
        let from: lettre::message::Mailbox = smtp
            .from
            .parse()
            .map_err(|_| AppError::Conflict(Code::SmtpNotConfigured))?;
        let settings = self.settings().await?;
        let mut report = DigestReport::default();
        let staff_list = store::staff::list(&mut self.read().await?).await?;
        for staff in staff_list {
            let Some(username) = staff.username.as_deref() else {
                continue;
            };
            let Some(user) =
                store::accounts::user_by_name(&mut self.read().await?, username).await?
            else {
                continue;
            };
            let lines: Vec<TrayLine> = self
                .tray(&user)
                .await?
                .into_iter()
                .filter(|l| l.overdue || l.due_soon || l.delivery_late)
                .collect();
            // The desk's work too: tasks past their date, requests past their SLA.
            let tasks: Vec<crate::tasks::TaskView> = self
                .tasks(&user, "mine")
                .await?
                .into_iter()
                .filter(|t| t.overdue)
                .collect();
            let q = crate::servicedesk::RequestQuery {
                assigned: Some("1".into()),
                per_page: Some(100),
                sort: Some("due".into()),
                ..Default::default()
            };
            let requests: Vec<crate::servicedesk::RequestLineView> = self
                .requests(&user, &q)
                .await?
                .0
                .into_iter()
                .filter(|r| r.breached)
                .collect();
            // The Taşınır Kayıt Yetkilisi hears of what ends on the alert
            // days (60, 30 and 7 days before) and of what has ended.
            let endings: Vec<crate::assets::Ending> = if self.is_asset_officer(&user).await? {
                self.endings_now()
                    .await?
                    .into_iter()
                    .filter(|e| {
                        e.days_left == 0 || domain::asset::ALERT_DAYS.contains(&e.days_left)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            // The Kalem hears of certificates ending on the same alert days
            // and on the day they end (m.16/1-a).
            let today = domain::local::date(crate::now());
            let certificates: Vec<crate::personnel::DocumentView> =
                match self.expiring_documents(&user).await {
                    Ok(v) => v
                        .into_iter()
                        .filter(|d| {
                            d.expires_on.is_some_and(|e| {
                                let left = (e - today).whole_days();
                                left == 0 || domain::asset::ALERT_DAYS.contains(&left)
                            })
                        })
                        .collect(),
                    Err(AppError::Forbidden { .. }) => Vec::new(),
                    Err(e) => return Err(e),
                };
            // Leave requests waiting on the person's initials or decision.
            let waiting = self.leave_waiting(&mut self.read().await?, &user).await?;
            // Data breaches whose Board notice is still to give (6698 m.12/5:
            // 72 hours), for whoever keeps the KVKK records.
            let clocks = self.open_breach_clocks(&user).await?;
            if lines.is_empty()
                && tasks.is_empty()
                && requests.is_empty()
                && endings.is_empty()
                && certificates.is_empty()
                && waiting.is_empty()
                && clocks.is_empty()
            {
                report.quiet += 1;
                continue;
            }
            let Ok(to) = format!("{} <{}>", staff.full_name, staff.email.trim())
                .parse::<lettre::message::Mailbox>()
            else {
                report.no_address += 1;
                continue;
            };
            let overdue = lines.iter().filter(|l| l.overdue).count();
            let mut subject = format!(
                "Evrak özeti: {} süresi geçen, {} yaklaşan",
                overdue,
                lines.len() - overdue
            );
            if !tasks.is_empty() || !requests.is_empty() {
                subject.push_str(&format!(
                    "; {} geciken görev, {} süresi geçen talep",
                    tasks.len(),
                    requests.len()
                ));
            }
            let mut body = format!("Sayın {},\n\n", staff.full_name);
            if !lines.is_empty() {
                body.push_str(&format!(
                    "{} {} için bekleyen evrakınız:\n\n",
                    settings.institution_name, settings.directorate_name
                ));
                for l in &lines {
                    body.push_str(&line_text(l));
                    body.push('\n');
                }
                body.push_str("\nAyrıntılar için Mudurluk'ta \"Evrak\" sayfasına bakınız.\n");
            }
            if !tasks.is_empty() {
                body.push_str("\nSüresi geçen görevleriniz (m.18):\n\n");
                for t in &tasks {
                    body.push_str(&format!(
                        "- {} · bitiş {} · %{}\n",
                        t.title,
                        domain::local::format_date(t.due),
                        t.percent
                    ));
                }
            }
            if !requests.is_empty() {
                body.push_str("\nHizmet süresi geçen talepleriniz:\n\n");
                for r in &requests {
                    body.push_str(&format!(
                        "- {} · {} · {} · çözüm süresi {}\n",
                        r.number,
                        r.title,
                        r.requester_name,
                        domain::local::format_datetime(r.resolve_by)
                    ));
                }
            }
            if !endings.is_empty() {
                if lines.is_empty() && tasks.is_empty() && requests.is_empty() {
                    subject = format!("Süresi dolan kayıtlar: {}", endings.len());
                }
                body.push_str("\nSüresi dolmak üzere olan ya da dolmuş lisans, sözleşme, garanti ve alan adları (m.8/11):\n\n");
                for e in &endings {
                    let kind = match e.kind.as_str() {
                        "licence" => "Lisans",
                        "contract" => "Sözleşme",
                        "warranty" => "Garanti",
                        _ => "Alan adı",
                    };
                    let left = if e.days_left < 0 {
                        "süresi doldu".to_owned()
                    } else {
                        format!("{} gün kaldı", e.days_left)
                    };
                    body.push_str(&format!(
                        "- {kind} · {} · {} · {left}\n",
                        e.what,
                        domain::local::format_date(e.ends_on)
                    ));
                }
            }
            if !clocks.is_empty() {
                body.push_str("\nKişisel Verileri Koruma Kurulu'na bildirilmemiş veri ihlalleri (6698 m.12/5: fark edilmesinden itibaren 72 saat):\n\n");
                for b in &clocks {
                    let left = if b.overdue {
                        format!("SÜRESİ {} SAAT ÖNCE GEÇTİ", -b.hours_left)
                    } else {
                        format!("{} saat kaldı", b.hours_left)
                    };
                    body.push_str(&format!(
                        "- {} · fark edildi {} · son bildirim {} · {left}\n",
                        b.summary.lines().next().unwrap_or(""),
                        domain::local::format_datetime(b.discovered_at),
                        domain::local::format_datetime(b.notify_board_by)
                    ));
                }
            }
            if !waiting.is_empty() {
                if lines.is_empty() && tasks.is_empty() && requests.is_empty() {
                    subject = format!("Onayınızı bekleyen izin talepleri: {}", waiting.len());
                }
                body.push_str(
                    "\nParafınızı ya da onayınızı bekleyen izin talepleri (m.16/1-a):\n\n",
                );
                for l in &waiting {
                    let kind = match l.kind.as_str() {
                        "annual" => "yıllık izin",
                        "excuse" => "mazeret izni",
                        "unpaid" => "aylıksız / ücretsiz izin",
                        _ => "idari izin",
                    };
                    body.push_str(&format!(
                        "- {} · {kind} · {} – {} · {} gün\n",
                        l.person_name,
                        domain::local::format_date(l.from),
                        domain::local::format_date(l.to),
                        l.days_tr
                    ));
                }
            }
            if !certificates.is_empty() {
                if lines.is_empty() && tasks.is_empty() && requests.is_empty() && waiting.is_empty()
                {
                    subject = format!("Süresi dolan belgeler: {}", certificates.len());
                }
                body.push_str("\nSüresi dolmak üzere olan personel belgeleri (m.16/1-a):\n\n");
                for d in &certificates {
                    let ends = d.expires_on.unwrap_or(today);
                    let left = (ends - today).whole_days();
                    let left = if left == 0 {
                        "bugün sona eriyor".to_owned()
                    } else {
                        format!("{left} gün kaldı")
                    };
                    body.push_str(&format!(
                        "- {} · {} · {} · {left}\n",
                        d.person_name,
                        d.title,
                        domain::local::format_date(ends)
                    ));
                }
            }
            if !clocks.is_empty() {
                // The most urgent first, whatever else the day holds.
                let late = clocks.iter().filter(|b| b.overdue).count();
                subject = format!(
                    "KVKK: {} veri ihlali Kurul'a bildirilmedi ({late} süresi geçti); {subject}",
                    clocks.len()
                );
            }
            let message = Message::builder()
                .from(from.clone())
                .to(to)
                .subject(subject)
                .header(ContentType::TEXT_PLAIN)
                .body(body)
                .map_err(|e| AppError::Internal(e.into()))?;
            transport
                .send(message)
                .await
                .map_err(|e| AppError::Unavailable(format!("smtp: {e}")))?;
            report.sent += 1;
        }
        tracing::info!(
            sent = report.sent,
            quiet = report.quiet,
            no_address = report.no_address,
            "digest sent"
        );
        let w = self.write().await?;
        w.commit(Audit::new(&grant, "digest.sent", "digest", serde_json::json!({"sent": report.sent, "quiet": report.quiet, "no_address": report.no_address})))
            .await?;
        Ok(report)
    }
}
