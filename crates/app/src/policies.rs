//! Policies and their acknowledgements (issue 18 §4; m.8/23-31: the
//! directorate writes the information security policies and sees them
//! kept): each policy is a series of versions; everyone holding a post
//! acknowledges each version he must read; whoever publishes sees who has
//! not. The KVKK retention and destruction policy (Saklama ve İmha
//! Politikası; Kişisel Verilerin Silinmesi … Yönetmeliği m.5/1, its content
//! m.6/1) is one of them, published by whoever keeps the KVKK records.

use time::{Date, OffsetDateTime};

use domain::authority::{Authority, Grant};
use domain::code::Code;
use store::Audit;

use crate::input::{date, lines, text};
use crate::{now, App, AppError, Result, User};

time::serde::format_description!(iso, Date, "[year]-[month]-[day]");

/// The kinds of policy, with their Turkish names.
pub const KINDS: [(&str, &str); 6] = [
    ("security", "Bilgi Güvenliği Politikası"),
    ("acceptable_use", "Kabul Edilebilir Kullanım Politikası"),
    ("password", "Parola Politikası"),
    ("backup", "Yedekleme Politikası"),
    ("retention", "Kişisel Veri Saklama ve İmha Politikası"),
    ("other", "Diğer"),
];

pub fn kind_name(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, n)| *n)
        .unwrap_or("")
}

/// Who publishes a kind: the retention policy is KVKK's, the rest the
/// security function's.
fn authority_for(kind: &str) -> Authority {
    if kind == "retention" {
        Authority::ManageKvkk
    } else {
        Authority::AuditSecurity
    }
}

/// A version of a policy.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct VersionInput {
    /// What changed, in a line.
    pub summary: String,
    /// The text (or a file, or both).
    pub body: String,
    /// An uploaded file's SHA-256 (`POST /attachments`).
    pub file: Option<String>,
    /// YYYY-MM-DD (default today).
    pub effective_on: Option<String>,
    /// Staff must acknowledge it (default true).
    pub must_read: Option<bool>,
}

/// A new policy with its first version.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PolicyInput {
    /// `security`, `acceptable_use`, `password`, `backup`, `retention` or `other`.
    pub kind: String,
    /// Default: the kind's name.
    pub title: String,
    #[serde(flatten)]
    pub version: VersionInput,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub version: i64,
    pub summary: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso")]
    pub effective_on: Date,
    pub published_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub published_at: OffsetDateTime,
    pub acknowledgements: i64,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PolicyView {
    pub id: i64,
    pub kind: String,
    pub kind_name: String,
    pub title: String,
    /// The current version.
    pub version: i64,
    pub summary: String,
    pub body: String,
    /// The file's SHA-256, if it has one.
    pub file: Option<String>,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso")]
    pub effective_on: Date,
    pub must_read: bool,
    pub published_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub published_at: OffsetDateTime,
    /// When the reader acknowledged this version (`None`: not yet).
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub acknowledged_at: Option<OffsetDateTime>,
    /// The reader must still acknowledge it.
    pub to_acknowledge: bool,
    /// Who must read it (everyone holding a post) and how many have.
    pub readers: i64,
    pub acknowledged: i64,
    /// Who has not, by name: for whoever may publish it; empty otherwise.
    pub not_acknowledged: Vec<String>,
    /// Every version, the newest first.
    pub versions: Vec<VersionView>,
    /// The reader may publish a new version.
    pub may_publish: bool,
}

impl App {
    async fn may_publish(&self, reader: &User, kind: &str) -> Result<bool> {
        let mut c = self.read().await?;
        Ok(self
            .may_read_as(&mut c, reader, authority_for(kind))
            .await
            .is_ok())
    }

    fn check_version(
        &self,
        v: &VersionInput,
    ) -> Result<(String, String, Option<String>, Date, bool)> {
        let summary = text("summary", &v.summary, 300, false)?;
        let body = lines("body", &v.body, 100_000, false)?;
        let file = v
            .file
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        if body.is_empty() && file.is_none() {
            return Err(AppError::invalid("body", Code::PolicyNeedsText));
        }
        let effective = date("effective_on", v.effective_on.as_deref().unwrap_or(""))?
            .unwrap_or_else(|| domain::local::date(now()));
        Ok((summary, body, file, effective, v.must_read.unwrap_or(true)))
    }

    /// Writes a new policy with its first version.
    pub async fn create_policy(&self, actor: &User, input: &PolicyInput) -> Result<PolicyView> {
        let kind = input.kind.trim();
        if kind_name(kind).is_empty() {
            return Err(AppError::invalid("kind", Code::BadPolicyKind));
        }
        let title = match text("title", &input.title, 200, false)? {
            t if t.is_empty() => kind_name(kind).to_owned(),
            t => t,
        };
        let (summary, body, file, effective, must_read) = self.check_version(&input.version)?;
        if let Some(f) = &file {
            self.may_attach(actor, f).await.map_err(|e| match e {
                AppError::Invalid { code, .. } => AppError::invalid("file", code),
                e => e,
            })?;
        }
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, authority_for(kind)).await?;
        let id = store::policies::insert(&mut w, kind, &title, actor.id).await?;
        let v = store::policies::NewVersion {
            summary: &summary,
            body: &body,
            sha256: file.as_deref(),
            effective_on: effective,
            must_read,
        };
        store::policies::publish(&mut w, id, &v, actor.id).await?;
        w.commit(Audit::new(
            &grant,
            "policy.published",
            format!("policy:{id}"),
            serde_json::json!({"kind": kind, "title": title, "version": 1, "summary": summary, "file": file, "effective_on": effective.to_string()}),
        ))
        .await?;
        self.policy(actor, id).await
    }

    /// Publishes the next version of a policy: everyone must acknowledge
    /// it afresh.
    pub async fn publish_policy(
        &self,
        actor: &User,
        id: i64,
        input: &VersionInput,
    ) -> Result<PolicyView> {
        let (summary, body, file, effective, must_read) = self.check_version(input)?;
        if summary.is_empty() {
            return Err(AppError::invalid("summary", Code::Required));
        }
        if let Some(f) = &file {
            self.may_attach(actor, f).await.map_err(|e| match e {
                AppError::Invalid { code, .. } => AppError::invalid("file", code),
                e => e,
            })?;
        }
        let mut w = self.write().await?;
        let p = store::policies::get(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let grant = self.grant(&mut w, actor, authority_for(&p.kind)).await?;
        if effective < p.effective_on {
            return Err(AppError::invalid(
                "effective_on",
                Code::BeforeCurrentVersion,
            ));
        }
        let v = store::policies::NewVersion {
            summary: &summary,
            body: &body,
            sha256: file.as_deref(),
            effective_on: effective,
            must_read,
        };
        let n = store::policies::publish(&mut w, id, &v, actor.id).await?;
        w.commit(Audit::new(
            &grant,
            "policy.published",
            format!("policy:{id}"),
            serde_json::json!({"kind": p.kind, "version": n, "summary": summary, "file": file, "effective_on": effective.to_string()}),
        ))
        .await?;
        self.policy(actor, id).await
    }

    /// Acknowledges the current version of a policy: read and understood.
    pub async fn acknowledge_policy(&self, actor: &User, id: i64) -> Result<PolicyView> {
        let mut w = self.write().await?;
        let p = store::policies::get(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if store::policies::acknowledge(&mut w, p.version_id, actor.id).await? {
            w.commit(Audit::new(
                &Grant::own_account(actor),
                "policy.acknowledged",
                format!("policy:{id}"),
                serde_json::json!({"version": p.version}),
            ))
            .await?;
        }
        self.policy(actor, id).await
    }

    /// A policy at its current version, with the reader's acknowledgement
    /// and (for whoever may publish it) who has not acknowledged.
    pub async fn policy(&self, reader: &User, id: i64) -> Result<PolicyView> {
        self.may_read_shared(reader).await?;
        let p = store::policies::get(&mut self.read().await?, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.policy_view(reader, p, true).await
    }

    /// Every policy at its current version.
    pub async fn policies(&self, reader: &User) -> Result<Vec<PolicyView>> {
        self.may_read_shared(reader).await?;
        let list = store::policies::list(&mut self.read().await?).await?;
        let mut out = Vec::new();
        for p in list {
            out.push(self.policy_view(reader, p, false).await?);
        }
        Ok(out)
    }

    /// How many policy versions `user` must still acknowledge.
    pub async fn policies_to_acknowledge(&self, user: &User) -> Result<usize> {
        if self.may_read_shared(user).await.is_err() {
            return Ok(0);
        }
        let mut c = self.read().await?;
        let acked = store::policies::acknowledged_by(&mut c, user.id).await?;
        Ok(store::policies::list(&mut c)
            .await?
            .iter()
            .filter(|p| p.must_read && !acked.iter().any(|(v, _)| *v == p.version_id))
            .count())
    }

    async fn policy_view(
        &self,
        reader: &User,
        p: store::policies::Policy,
        versions: bool,
    ) -> Result<PolicyView> {
        let may_publish = self.may_publish(reader, &p.kind).await?;
        let mut c = self.read().await?;
        let today = domain::local::date(now());
        let acked = store::policies::acknowledged_by(&mut c, reader.id).await?;
        let acknowledged_at = acked
            .iter()
            .find(|(v, _)| *v == p.version_id)
            .map(|(_, at)| *at);
        let readers = store::policies::readers(&mut c, today).await?;
        let missing = store::policies::not_acknowledged(&mut c, p.version_id, today).await?;
        let versions = if versions {
            store::policies::versions(&mut c, p.id)
                .await?
                .into_iter()
                .map(|(version, summary, effective_on, by, at, n)| VersionView {
                    version,
                    summary,
                    effective_on,
                    published_by_name: by,
                    published_at: at,
                    acknowledgements: n,
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(PolicyView {
            id: p.id,
            kind_name: kind_name(&p.kind).to_owned(),
            kind: p.kind,
            title: p.title,
            version: p.version,
            summary: p.summary,
            body: p.body,
            file: p.sha256,
            effective_on: p.effective_on,
            must_read: p.must_read,
            published_by_name: p.published_by_name,
            published_at: p.published_at,
            to_acknowledge: p.must_read && acknowledged_at.is_none(),
            acknowledged_at,
            acknowledged: readers - missing.len() as i64,
            readers,
            not_acknowledged: if may_publish {
                let mut names: Vec<String> = missing.into_iter().map(|(_, n)| n).collect();
                domain::turkish::sort(&mut names);
                names
            } else {
                Vec::new()
            },
            versions,
            may_publish,
        })
    }
}
