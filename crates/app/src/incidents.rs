//! Security incidents (issue 18 §3; m.8/23-31: the directorate's incident
//! response team, SOME): detection, severity, the systems affected, a
//! timeline of containment, eradication, recovery and the notices the law
//! asks for, lessons learned. One involving personal data records a KVKK
//! breach at once, whose 72-hour clock starts at the detection.

use time::OffsetDateTime;

use domain::authority::Authority;
use domain::code::Code;
use store::Audit;

use crate::input::{instant, lines, text};
use crate::{App, AppError, Result, User};

const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];
const ACTION_KINDS: &[&str] = &["containment", "eradication", "recovery", "note", "notice"];
/// Whom a notice goes to: USOM (or the sectoral SOME), the KVKK Board, the
/// Kaymakamlık, the Emniyet (m.8).
const NOTIFIED: &[&str] = &["usom", "kvkk", "kaymakamlik", "emniyet"];

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct IncidentInput {
    pub title: String,
    /// When it was detected (RFC 3339).
    pub detected_at: String,
    /// `low`, `medium`, `high` or `critical`.
    pub severity: String,
    /// Where it came from (a user's report, an alert, USOM, …).
    #[serde(default)]
    pub source: Option<String>,
    /// The systems affected, by name.
    #[serde(default)]
    pub systems: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    /// Personal data is involved: a KVKK breach is recorded with it and
    /// the Board's 72-hour clock starts at the detection.
    #[serde(default)]
    pub personal_data: bool,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct IncidentStepInput {
    /// `containment`, `eradication`, `recovery`, `note` or `notice`.
    pub kind: String,
    pub text: String,
    /// For a notice: `usom`, `kvkk`, `kaymakamlik` or `emniyet`.
    #[serde(default)]
    pub notified: Option<String>,
    /// When (RFC 3339; default now).
    #[serde(default)]
    pub at: Option<String>,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct IncidentCloseInput {
    /// What was learned, and what changes.
    pub lessons: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IncidentStepView {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    pub kind: String,
    pub notified: String,
    pub text: String,
    pub by_name: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    pub id: i64,
    pub title: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub detected_at: OffsetDateTime,
    pub source: String,
    pub systems: Vec<String>,
    pub severity: String,
    pub summary: String,
    /// The KVKK breach recorded with it, if personal data is involved.
    pub breach_id: Option<i64>,
    pub lessons: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<OffsetDateTime>,
    pub recorded_by_name: String,
    pub timeline: Vec<IncidentStepView>,
    /// The service desk's requests and the tasks it is linked to, as far
    /// as the reader may see them.
    pub links: Vec<LinkView>,
}

/// A request or a task an incident is linked to.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LinkView {
    /// `request` or `task`.
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub state: String,
}

/// Links an incident to a request or a task.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LinkInput {
    /// A service desk request's id.
    pub request: Option<i64>,
    /// A task's id.
    pub task: Option<i64>,
}

impl App {
    /// Records an incident; with personal data, its KVKK breach too, in the
    /// same transaction.
    pub async fn record_incident(
        &self,
        actor: &User,
        input: &IncidentInput,
    ) -> Result<IncidentView> {
        let title = text("title", &input.title, 200, true)?;
        let detected_at = instant("detected_at", &input.detected_at)?;
        let severity = input.severity.trim();
        if !SEVERITIES.contains(&severity) {
            return Err(AppError::invalid("severity", Code::OutOfRange));
        }
        let source = text("source", input.source.as_deref().unwrap_or(""), 300, false)?;
        let summary = lines(
            "summary",
            input.summary.as_deref().unwrap_or(""),
            5000,
            false,
        )?;
        if input.systems.len() > 100 {
            return Err(AppError::invalid("systems", Code::TooMany));
        }
        let mut systems = Vec::new();
        for s in &input.systems {
            systems.push(text("systems", s, 200, true)?);
        }
        let systems_json =
            serde_json::to_string(&systems).map_err(|e| AppError::Internal(e.into()))?;
        let mut w = self.write().await?;
        if detected_at > w.at() + time::Duration::minutes(1) {
            return Err(AppError::invalid("detected_at", Code::DateInFuture));
        }
        let grant = self
            .grant(&mut w, actor, Authority::RespondIncidents)
            .await?;
        let breach_id = if input.personal_data {
            Some(
                store::kvkk::insert_breach(
                    &mut w,
                    &store::kvkk::NewBreach {
                        discovered_at: detected_at,
                        occurred_at: None,
                        summary: if summary.is_empty() {
                            title.clone()
                        } else {
                            summary.clone()
                        },
                        data_categories: String::new(),
                        subjects: String::new(),
                        affected_count: None,
                        measures: String::new(),
                    },
                    actor.id,
                )
                .await?,
            )
        } else {
            None
        };
        let id = store::incidents::insert(
            &mut w,
            &title,
            detected_at,
            &source,
            &systems_json,
            severity,
            &summary,
            breach_id,
            actor.id,
        )
        .await?;
        let mut audits = store::Audits::from(Audit::new(
            &grant,
            "security.incident_recorded",
            format!("security_incident:{id}"),
            serde_json::json!({"title": title, "severity": severity, "detected_at": detected_at.to_string(), "systems": systems, "breach": breach_id}),
        ));
        if let Some(b) = breach_id {
            audits.push(Audit::new(
                &grant,
                "kvkk.breach_recorded",
                format!("kvkk_breach:{b}"),
                serde_json::json!({"incident": id, "discovered_at": detected_at.to_string(), "notify_board_by": domain::kvkk::notify_board_by(detected_at).to_string()}),
            ));
        }
        w.commit_all(audits).await?;
        self.incident(actor, id).await
    }

    /// Adds a step to the timeline (an open incident's).
    pub async fn incident_action(
        &self,
        actor: &User,
        id: i64,
        input: &IncidentStepInput,
    ) -> Result<IncidentView> {
        let kind = input.kind.trim();
        if !ACTION_KINDS.contains(&kind) {
            return Err(AppError::invalid("kind", Code::OutOfRange));
        }
        let notified = input.notified.as_deref().map(str::trim).unwrap_or("");
        match (kind, notified) {
            ("notice", "") => return Err(AppError::invalid("notified", Code::Required)),
            ("notice", n) if !NOTIFIED.contains(&n) => {
                return Err(AppError::invalid("notified", Code::OutOfRange))
            }
            (k, n) if k != "notice" && !n.is_empty() => {
                return Err(AppError::invalid("notified", Code::OutOfRange))
            }
            _ => {}
        }
        let body = lines("text", &input.text, 5000, true)?;
        let mut w = self.write().await?;
        let at = match input.at.as_deref().map(str::trim) {
            None | Some("") => w.at(),
            Some(s) => instant("at", s)?,
        };
        if at > w.at() + time::Duration::minutes(1) {
            return Err(AppError::invalid("at", Code::DateInFuture));
        }
        let grant = self
            .grant(&mut w, actor, Authority::RespondIncidents)
            .await?;
        let i = store::incidents::get(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if i.closed_at.is_some() {
            return Err(AppError::Conflict(Code::IncidentClosed));
        }
        if at < i.detected_at {
            return Err(AppError::invalid("at", Code::BeforeFrom));
        }
        // The Board told through the incident stops the breach's clock:
        // that is the KVKK records' keeper's to record (manage_kvkk), not
        // every responder's.
        if notified == "kvkk" && i.breach_id.is_some() {
            self.grant(&mut w, actor, Authority::ManageKvkk).await?;
        }
        let action =
            store::incidents::add_action(&mut w, id, at, kind, notified, &body, actor.id).await?;
        if notified == "kvkk" {
            if let Some(b) = i.breach_id {
                store::kvkk::notified(&mut w, b, true, at).await?;
            }
        }
        w.commit(Audit::new(
            &grant,
            "security.incident_action",
            format!("security_incident:{id}"),
            serde_json::json!({"action": action, "kind": kind, "notified": notified, "at": at.to_string()}),
        ))
        .await?;
        self.incident(actor, id).await
    }

    /// Closes an incident with its lessons learned.
    pub async fn close_incident(
        &self,
        actor: &User,
        id: i64,
        input: &IncidentCloseInput,
    ) -> Result<IncidentView> {
        let lessons = lines("lessons", &input.lessons, 5000, true)?;
        let mut w = self.write().await?;
        let grant = self
            .grant(&mut w, actor, Authority::RespondIncidents)
            .await?;
        store::incidents::get(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !store::incidents::close(&mut w, id, &lessons).await? {
            return Err(AppError::Conflict(Code::IncidentClosed));
        }
        w.commit(Audit::new(
            &grant,
            "security.incident_closed",
            format!("security_incident:{id}"),
            serde_json::json!({"lessons": lessons}),
        ))
        .await?;
        self.incident(actor, id).await
    }

    pub async fn incident(&self, reader: &User, id: i64) -> Result<IncidentView> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::RespondIncidents)
            .await?;
        let i = store::incidents::get(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let timeline = store::incidents::actions(&mut c, id)
            .await?
            .into_iter()
            .map(|a| IncidentStepView {
                id: a.id,
                at: a.at,
                kind: a.kind,
                notified: a.notified,
                text: a.text,
                by_name: a.by_name,
            })
            .collect();
        let stored = store::incidents::links(&mut c, id).await?;
        drop(c);
        let mut links = Vec::new();
        for (kind, target) in stored {
            let found = match kind.as_str() {
                "request" => self
                    .request(reader, target)
                    .await
                    .ok()
                    .map(|r| (r.title, r.state.code().to_owned())),
                _ => self
                    .task(reader, target)
                    .await
                    .ok()
                    .map(|t| (t.title, t.state.code().to_owned())),
            };
            if let Some((title, state)) = found {
                links.push(LinkView {
                    kind,
                    id: target,
                    title,
                    state,
                });
            }
        }
        let mut v = view(i, timeline);
        v.links = links;
        Ok(v)
    }

    /// Links an incident to a service desk request or a task the actor may
    /// see (m.8/23-31: the SOME's work is followed where it is done).
    pub async fn link_incident(
        &self,
        actor: &User,
        id: i64,
        input: &LinkInput,
    ) -> Result<IncidentView> {
        let (kind, target) = match (input.request, input.task) {
            (Some(r), None) => {
                self.request(actor, r).await.map_err(|e| match e {
                    AppError::NotFound | AppError::Forbidden { .. } => {
                        AppError::invalid("request", Code::NotFound)
                    }
                    e => e,
                })?;
                ("request", r)
            }
            (None, Some(t)) => {
                self.task(actor, t).await.map_err(|e| match e {
                    AppError::NotFound | AppError::Forbidden { .. } => {
                        AppError::invalid("task", Code::NotFound)
                    }
                    e => e,
                })?;
                ("task", t)
            }
            (Some(_), Some(_)) => return Err(AppError::invalid("task", Code::OneLinkAtATime)),
            (None, None) => return Err(AppError::invalid("request", Code::Required)),
        };
        let mut w = self.write().await?;
        let grant = self
            .grant(&mut w, actor, Authority::RespondIncidents)
            .await?;
        let incident = store::incidents::get(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if incident.closed_at.is_some() {
            return Err(AppError::Conflict(Code::IncidentClosed));
        }
        if store::incidents::link(&mut w, id, kind, target, actor.id).await? {
            w.commit(Audit::new(
                &grant,
                "security.incident_linked",
                format!("security_incident:{id}"),
                serde_json::json!({"kind": kind, "id": target}),
            ))
            .await?;
        }
        self.incident(actor, id).await
    }

    /// The incident response team: the active working group named by
    /// `[security] some_group` (its chair first), if there is one.
    pub async fn some_team(&self, reader: &User) -> Result<Option<crate::tasks::GroupView>> {
        let needle = domain::turkish::fold(&self.security.some_group);
        if needle.trim().is_empty() {
            return Ok(None);
        }
        Ok(self
            .working_groups(reader)
            .await?
            .into_iter()
            .find(|g| g.active && domain::turkish::fold(&g.name).contains(&needle)))
    }

    pub async fn incidents(&self, reader: &User) -> Result<Vec<IncidentView>> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::RespondIncidents)
            .await?;
        Ok(store::incidents::list(&mut c, 500)
            .await?
            .into_iter()
            .map(|i| view(i, Vec::new()))
            .collect())
    }
}

fn view(i: store::incidents::Incident, timeline: Vec<IncidentStepView>) -> IncidentView {
    IncidentView {
        id: i.id,
        title: i.title,
        detected_at: i.detected_at,
        source: i.source,
        systems: serde_json::from_str(&i.systems).unwrap_or_default(),
        severity: i.severity,
        summary: i.summary,
        breach_id: i.breach_id,
        lessons: i.lessons,
        closed_at: i.closed_at,
        recorded_by_name: i.recorded_by_name,
        timeline,
        links: Vec::new(),
    }
}
