//! Information security (issue 18 §1; m.8/23-31, m.16/5-c): the national
//! security guide's measures, and audit campaigns that assess them per
//! graded asset with compliance by section, group and asset.

use std::collections::HashMap;

use time::{Date, OffsetDateTime};

use domain::authority::Authority;
use domain::code::Code;
use domain::security_guide::{self as guide, Measure, State, Tally};
use store::Audit;

use crate::input::{date, lines, text};
use crate::{now, App, AppError, Result, User};

time::serde::format_description!(iso, Date, "[year]-[month]-[day]");

/// `GET /security/measures`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MeasuresView {
    pub total: usize,
    pub items: Vec<Measure>,
}

/// An asset under audit.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct AuditAssetInput {
    pub name: String,
    /// The guide's grade, 1–3: the measures of a level up to it apply.
    pub criticality: i64,
}

/// A new audit campaign.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct AuditInput {
    pub title: String,
    /// YYYY-MM-DD.
    pub period_from: String,
    pub period_to: String,
    /// The auditor's username (default: whoever opens it).
    #[serde(default)]
    pub auditor: Option<String>,
    /// The assets (or asset groups) in scope, with their grades.
    pub assets: Vec<AuditAssetInput>,
}

/// A measure's assessment.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct AssessmentInput {
    /// `applied`, `partly`, `not_applied` or `not_applicable`.
    pub state: String,
    /// Why it does not apply (required for `not_applicable`).
    #[serde(default)]
    pub reason: Option<String>,
    /// Evidence: what shows it, where (links, documents, notes).
    #[serde(default)]
    pub evidence: Option<String>,
    /// The answers to the guide's audit questions.
    #[serde(default)]
    pub answers: Option<String>,
    /// The audit's asset ids it is for (default: every asset of the audit
    /// the measure applies to).
    #[serde(default)]
    pub assets: Option<Vec<i64>>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AuditAssetView {
    pub id: i64,
    pub name: String,
    pub criticality: i64,
    pub tally: Tally,
    pub compliance: Option<f64>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PartView {
    /// `3`, or `3.1`.
    pub no: String,
    pub name: String,
    pub tally: Tally,
    pub compliance: Option<f64>,
}

/// An audit with its compliance.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AuditView {
    pub id: i64,
    pub title: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso")]
    pub period_from: Date,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso")]
    pub period_to: Date,
    pub auditor_name: String,
    pub assets: Vec<AuditAssetView>,
    pub tally: Tally,
    /// Applied, and half of partly applied, over what applies (not
    /// applicable left out); unassessed counts as not applied. Percent.
    pub compliance: Option<f64>,
    pub by_section: Vec<PartView>,
    pub by_group: Vec<PartView>,
    /// The audit before this one (by period), for the progress since.
    pub previous: Option<PreviousView>,
    /// Gaps made actions and not yet closed.
    pub open_actions: usize,
}

/// The audit before, and the change in compliance since.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PreviousView {
    pub id: i64,
    pub title: String,
    pub compliance: Option<f64>,
    /// Percentage points, this audit's less the one before's.
    pub change: Option<f64>,
    /// Its compliance per section (`3`, `4`, `5`).
    pub by_section: Vec<(String, Option<f64>)>,
}

/// An audit in the list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AuditSummary {
    pub id: i64,
    pub title: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso")]
    pub period_from: Date,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso")]
    pub period_to: Date,
    pub auditor_name: String,
    pub assets: usize,
    pub tally: Tally,
    pub compliance: Option<f64>,
}

/// A measure's line in an audit: its tally over the assets it applies to.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MeasureLine {
    pub no: String,
    pub level: u8,
    pub name: String,
    pub tally: Tally,
    pub compliance: Option<f64>,
}

/// An asset's assessment of one measure.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MeasureAssetView {
    pub id: i64,
    pub name: String,
    pub criticality: i64,
    /// `None`: not assessed yet.
    pub state: Option<String>,
    pub reason: String,
    pub evidence: String,
    pub answers: String,
    pub assessed_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub assessed_at: Option<OffsetDateTime>,
}

/// An evidence file.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct EvidenceView {
    pub id: i64,
    pub measure_no: String,
    pub sha256: String,
    pub name: String,
    pub size: i64,
    pub added_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub added_at: OffsetDateTime,
}

impl From<store::security::Evidence> for EvidenceView {
    fn from(e: store::security::Evidence) -> Self {
        EvidenceView {
            id: e.id,
            measure_no: e.measure_no,
            sha256: e.sha256,
            name: e.name,
            size: e.size,
            added_by_name: e.by_name,
            added_at: e.at,
        }
    }
}

/// A measure within an audit.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AuditMeasureView {
    pub audit_id: i64,
    pub audit_title: String,
    pub measure: Measure,
    /// The audit's assets the measure applies to, each with its state.
    pub assets: Vec<MeasureAssetView>,
    pub files: Vec<EvidenceView>,
    pub actions: Vec<GapActionView>,
}

/// A gap to close.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct GapActionInput {
    /// The measure whose gap it closes.
    pub measure: String,
    /// What is to be done (default: the measure's name).
    #[serde(default)]
    pub title: String,
    /// Who does it (username).
    pub owner: String,
    /// YYYY-MM-DD.
    pub due: String,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ActionCloseInput {
    /// `done` or `cancelled`.
    pub state: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A gap made an action.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct GapActionView {
    pub id: i64,
    pub audit_id: i64,
    pub audit_title: String,
    pub measure_no: String,
    pub measure_name: String,
    pub title: String,
    pub owner_name: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso")]
    pub due_on: Date,
    /// `open`, `done` or `cancelled`.
    pub state: String,
    /// Past its due date and still open.
    pub overdue: bool,
    /// The task made of it, if any.
    pub task_id: Option<i64>,
    pub note: String,
    #[serde(skip)]
    pub owner_id: i64,
}

impl From<store::security::Action> for GapActionView {
    fn from(a: store::security::Action) -> Self {
        GapActionView {
            overdue: a.state == "open" && a.due_on < domain::local::date(now()),
            measure_name: guide::measure(&a.measure_no)
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            id: a.id,
            audit_id: a.audit_id,
            audit_title: a.audit_title,
            measure_no: a.measure_no,
            title: a.title,
            owner_name: a.owner_name,
            due_on: a.due_on,
            state: a.state,
            task_id: a.task_id,
            note: a.note,
            owner_id: a.owner_id,
        }
    }
}

fn section_name(no: &str) -> &'static str {
    match no {
        "3" => "Varlık Grubu Güvenlik Tedbirleri",
        "4" => "Uygulama ve Teknoloji Alanlarına Yönelik Güvenlik Tedbirleri",
        "5" => "Sıkılaştırma Tedbirleri",
        _ => "",
    }
}

impl App {
    /// The guide's measures that apply to an asset of grade `max_level`
    /// (default 3: all), within a part of the guide (`3`, `3.1`,
    /// `3.1.12`) if given. Any signed-in person reads them.
    pub fn security_measures(
        &self,
        max_level: Option<&str>,
        part: Option<&str>,
    ) -> Result<MeasuresView> {
        let level = match max_level.map(str::trim).filter(|s| !s.is_empty()) {
            None => 3,
            Some(s) => match s.parse::<u8>() {
                Ok(n @ 1..=3) => n,
                Ok(_) => return Err(AppError::invalid("max_level", Code::OutOfRange)),
                Err(_) => return Err(AppError::invalid("max_level", Code::BadNumber)),
            },
        };
        let part = part.map(str::trim).filter(|s| !s.is_empty());
        if let Some(p) = part {
            if !guide::is_part(p) {
                return Err(AppError::invalid("section", Code::UnknownMeasure));
            }
        }
        let items: Vec<Measure> = guide::applicable(level, part)
            .into_iter()
            .cloned()
            .collect();
        Ok(MeasuresView {
            total: items.len(),
            items,
        })
    }

    /// Opens an audit campaign over graded assets.
    pub async fn open_security_audit(&self, actor: &User, input: &AuditInput) -> Result<AuditView> {
        let title = text("title", &input.title, 200, true)?;
        let from = date("period_from", &input.period_from)?
            .ok_or(AppError::invalid("period_from", Code::Required))?;
        let to = date("period_to", &input.period_to)?
            .ok_or(AppError::invalid("period_to", Code::Required))?;
        if to < from {
            return Err(AppError::invalid("period_to", Code::BeforeFrom));
        }
        if input.assets.is_empty() {
            return Err(AppError::invalid("assets", Code::Required));
        }
        if input.assets.len() > 1000 {
            return Err(AppError::invalid("assets", Code::TooMany));
        }
        let mut assets = Vec::new();
        for a in &input.assets {
            let name = text("assets", &a.name, 200, true)?;
            if !(1..=3).contains(&a.criticality) {
                return Err(AppError::invalid("assets", Code::BadCriticality));
            }
            if assets
                .iter()
                .any(|(n, _): &(String, i64)| n.to_lowercase() == name.to_lowercase())
            {
                return Err(AppError::invalid("assets", Code::DuplicateAuditAsset));
            }
            assets.push((name, a.criticality));
        }
        let auditor = match input
            .auditor
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(u) => self.user_named("auditor", u).await?,
            None => actor.clone(),
        };
        if auditor.id != actor.id && !auditor.is_admin {
            let facts = self.facts(&mut self.read().await?, auditor.id).await?;
            domain::authority::grant(
                &self.profile,
                &facts,
                &auditor,
                Authority::AuditSecurity,
                now(),
            )
            .map_err(|_| AppError::invalid("auditor", Code::AuditorWithoutAuthority))?;
        }
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::AuditSecurity).await?;
        let id =
            store::security::insert_audit(&mut w, &title, from, to, auditor.id, actor.id).await?;
        for (name, grade) in &assets {
            store::security::insert_asset(&mut w, id, name, *grade).await?;
        }
        w.commit(Audit::new(
            &grant,
            "security.audit_opened",
            format!("security_audit:{id}"),
            serde_json::json!({"title": title, "from": from.to_string(), "to": to.to_string(), "auditor": auditor.username, "assets": assets.len()}),
        ))
        .await?;
        self.security_audit(actor, id).await
    }

    /// Records a measure's state (with reason, evidence and the answers to
    /// the guide's questions) for the audit's assets it applies to, or the
    /// ones named.
    pub async fn assess_measure(
        &self,
        actor: &User,
        audit: i64,
        measure_no: &str,
        input: &AssessmentInput,
    ) -> Result<AuditView> {
        let m = guide::measure(measure_no.trim())
            .ok_or(AppError::invalid("measure", Code::UnknownMeasure))?;
        let state = State::parse(input.state.trim())
            .ok_or(AppError::invalid("state", Code::BadAssessmentState))?;
        let reason = text("reason", input.reason.as_deref().unwrap_or(""), 1000, false)?;
        if state == State::NotApplicable && reason.is_empty() {
            return Err(AppError::invalid("reason", Code::Required));
        }
        let evidence = lines(
            "evidence",
            input.evidence.as_deref().unwrap_or(""),
            5000,
            false,
        )?;
        let answers = lines(
            "answers",
            input.answers.as_deref().unwrap_or(""),
            5000,
            false,
        )?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::AuditSecurity).await?;
        store::security::get(&mut w, audit)
            .await?
            .ok_or(AppError::NotFound)?;
        let all = store::security::assets(&mut w, audit).await?;
        let applies = |grade: i64| i64::from(m.level) <= grade;
        let chosen: Vec<i64> = match &input.assets {
            Some(ids) if !ids.is_empty() => {
                let mut out = Vec::new();
                for id in ids {
                    let (_, _, grade) = all
                        .iter()
                        .find(|(a, _, _)| a == id)
                        .ok_or(AppError::invalid("assets", Code::UnknownAuditAsset))?;
                    if !applies(*grade) {
                        return Err(AppError::invalid("assets", Code::MeasureNotApplicable));
                    }
                    out.push(*id);
                }
                out
            }
            _ => all
                .iter()
                .filter(|(_, _, g)| applies(*g))
                .map(|(id, _, _)| *id)
                .collect(),
        };
        if chosen.is_empty() {
            return Err(AppError::invalid("measure", Code::MeasureNotApplicable));
        }
        let a = store::security::NewAssessment {
            state: state.code(),
            reason: &reason,
            evidence: &evidence,
            answers: &answers,
        };
        for asset in &chosen {
            store::security::assess(&mut w, audit, *asset, &m.no, &a, actor.id).await?;
        }
        w.commit(Audit::new(
            &grant,
            "security.measure_assessed",
            format!("security_audit:{audit}"),
            serde_json::json!({"measure": m.no, "state": state.code(), "assets": chosen, "reason": reason}),
        ))
        .await?;
        self.security_audit(actor, audit).await
    }

    /// An audit with its compliance overall, by section, group and asset,
    /// and the change since the audit before it.
    pub async fn security_audit(&self, reader: &User, id: i64) -> Result<AuditView> {
        Ok(self.audit_with_tallies(reader, id).await?.0)
    }

    /// The audit's view and its tallies (the report's gaps need them per
    /// measure).
    pub(crate) async fn audit_with_tallies(
        &self,
        reader: &User,
        id: i64,
    ) -> Result<(AuditView, guide::Tallies)> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::AuditSecurity)
            .await?;
        let a = store::security::get(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (t, assets) = audit_tallies(&mut c, id).await?;
        let previous = match store::security::previous(&mut c, &a).await? {
            Some(p) => {
                let (pt, _) = audit_tallies(&mut c, p.id).await?;
                let compliance = pt.total.compliance();
                let now = t.total.compliance();
                Some(PreviousView {
                    id: p.id,
                    title: p.title,
                    compliance,
                    change: match (now, compliance) {
                        (Some(n), Some(p)) => Some(((n - p) * 10.0).round() / 10.0),
                        _ => None,
                    },
                    by_section: pt
                        .by_section
                        .iter()
                        .map(|(no, t)| (no.clone(), t.compliance()))
                        .collect(),
                })
            }
            None => None,
        };
        let actions = store::security::actions(&mut c, Some(id)).await?;
        drop(c);
        let group_name = |no: &str| {
            guide::measures()
                .iter()
                .find(|m| m.group_no == no)
                .map(|m| m.group_name.clone())
                .unwrap_or_default()
        };
        let view = AuditView {
            id: a.id,
            title: a.title,
            period_from: a.period_from,
            period_to: a.period_to,
            auditor_name: a.auditor_name,
            assets: assets
                .into_iter()
                .map(|(id, name, criticality)| {
                    let tally = t.by_asset.get(&id).cloned().unwrap_or_default();
                    AuditAssetView {
                        id,
                        name,
                        criticality,
                        compliance: tally.compliance(),
                        tally,
                    }
                })
                .collect(),
            compliance: t.total.compliance(),
            tally: t.total.clone(),
            by_section: t
                .by_section
                .iter()
                .map(|(no, tally)| PartView {
                    name: section_name(no).to_owned(),
                    compliance: tally.compliance(),
                    no: no.clone(),
                    tally: tally.clone(),
                })
                .collect(),
            by_group: t
                .by_group
                .iter()
                .map(|(no, tally)| PartView {
                    name: group_name(no),
                    compliance: tally.compliance(),
                    no: no.clone(),
                    tally: tally.clone(),
                })
                .collect(),
            previous,
            open_actions: actions.iter().filter(|x| x.state == "open").count(),
        };
        Ok((view, t))
    }

    /// The audit's measures within a part of the guide (`3`, `3.1`; all if
    /// none), each with its tally; `only` narrows to `gaps` (not applied,
    /// partly or unassessed somewhere) or `unassessed`.
    /// The audit comes with them: its tallies are counted once for both.
    pub async fn audit_measures(
        &self,
        reader: &User,
        id: i64,
        part: Option<&str>,
        only: Option<&str>,
    ) -> Result<(AuditView, Vec<MeasureLine>)> {
        let part = part.map(str::trim).filter(|s| !s.is_empty());
        if let Some(p) = part {
            if !guide::is_part(p) {
                return Err(AppError::invalid("section", Code::UnknownMeasure));
            }
        }
        let (view, t) = self.audit_with_tallies(reader, id).await?;
        let lines = guide::applicable(3, part)
            .into_iter()
            .filter_map(|m| {
                let tally = t.by_measure.get(m.no.as_str())?.clone();
                let keep = match only {
                    Some("gaps") => tally.not_applied + tally.partly + tally.unassessed > 0,
                    Some("unassessed") => tally.unassessed > 0,
                    _ => true,
                };
                keep.then(|| MeasureLine {
                    no: m.no.clone(),
                    level: m.level,
                    name: m.name.clone(),
                    compliance: tally.compliance(),
                    tally,
                })
            })
            .collect();
        Ok((view, lines))
    }

    /// The audits, newest first, with their compliance.
    pub async fn security_audits(&self, reader: &User) -> Result<Vec<AuditSummary>> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::AuditSecurity)
            .await?;
        let mut out = Vec::new();
        for a in store::security::list(&mut c, 50).await? {
            // The figure from counts: the list reads no assessment.
            let assets = store::security::assets(&mut c, a.id).await?;
            let grades: Vec<u8> = assets
                .iter()
                .map(|(_, _, g)| u8::try_from(*g).unwrap_or(3))
                .collect();
            let counts: Vec<(State, u32)> = store::security::state_counts(&mut c, a.id)
                .await?
                .into_iter()
                .filter_map(|(s, n)| Some((State::parse(&s)?, u32::try_from(n).ok()?)))
                .collect();
            let t = guide::total_tally(&grades, &counts);
            out.push(AuditSummary {
                id: a.id,
                title: a.title,
                period_from: a.period_from,
                period_to: a.period_to,
                auditor_name: a.auditor_name,
                assets: assets.len(),
                compliance: t.compliance(),
                tally: t,
            });
        }
        Ok(out)
    }

    /// One measure in an audit: what the guide says, each asset's
    /// assessment, the evidence files and the actions taken on its gap.
    pub async fn audit_measure(
        &self,
        reader: &User,
        audit: i64,
        measure_no: &str,
    ) -> Result<AuditMeasureView> {
        let m = guide::measure(measure_no.trim())
            .ok_or(AppError::invalid("measure", Code::UnknownMeasure))?;
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::AuditSecurity)
            .await?;
        let a = store::security::get(&mut c, audit)
            .await?
            .ok_or(AppError::NotFound)?;
        let assets = store::security::assets(&mut c, audit).await?;
        let rows = store::security::assessments_of(&mut c, audit, &m.no).await?;
        let evidence = store::security::evidence(&mut c, audit, Some(&m.no)).await?;
        let actions = store::security::actions(&mut c, Some(audit)).await?;
        Ok(AuditMeasureView {
            audit_id: a.id,
            audit_title: a.title,
            measure: m.clone(),
            assets: assets
                .into_iter()
                .filter(|(_, _, g)| i64::from(m.level) <= *g)
                .map(|(id, name, criticality)| {
                    let row = rows.iter().find(|r| r.asset_id == id);
                    MeasureAssetView {
                        id,
                        name,
                        criticality,
                        state: row.map(|r| r.state.clone()),
                        reason: row.map(|r| r.reason.clone()).unwrap_or_default(),
                        evidence: row.map(|r| r.evidence.clone()).unwrap_or_default(),
                        answers: row.map(|r| r.answers.clone()).unwrap_or_default(),
                        assessed_by_name: row.map(|r| r.by_name.clone()),
                        assessed_at: row.map(|r| r.at),
                    }
                })
                .collect(),
            files: evidence.into_iter().map(EvidenceView::from).collect(),
            actions: actions
                .into_iter()
                .filter(|x| x.measure_no == m.no)
                .map(GapActionView::from)
                .collect(),
        })
    }

    /// Whether `actor` may add evidence to the measure of the audit: asked
    /// before a byte of the file is kept.
    pub async fn may_add_evidence(
        &self,
        actor: &User,
        audit: i64,
        measure_no: &str,
        name: Option<&str>,
    ) -> Result<()> {
        let m = guide::measure(measure_no.trim())
            .ok_or(AppError::invalid("measure", Code::UnknownMeasure))?;
        if let Some(n) = name {
            file_name(n, "")?;
        }
        let mut c = self.read().await?;
        if !actor.is_admin {
            let facts = self.facts(&mut c, actor.id).await?;
            domain::authority::grant(
                &self.profile,
                &facts,
                actor,
                Authority::AuditSecurity,
                now(),
            )
            .map_err(|_| AppError::forbidden(Authority::AuditSecurity.id()))?;
        }
        store::security::get(&mut c, audit)
            .await?
            .ok_or(AppError::NotFound)?;
        applies_in(&mut c, audit, m).await
    }

    /// Puts an uploaded file on a measure of an audit as its evidence.
    pub async fn add_security_evidence(
        &self,
        actor: &User,
        audit: i64,
        measure_no: &str,
        sha256: &str,
        name: &str,
    ) -> Result<EvidenceView> {
        let m = guide::measure(measure_no.trim())
            .ok_or(AppError::invalid("measure", Code::UnknownMeasure))?;
        let name = file_name(name, sha256)?;
        self.may_attach(actor, sha256).await?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::AuditSecurity).await?;
        store::security::get(&mut w, audit)
            .await?
            .ok_or(AppError::NotFound)?;
        applies_in(&mut w, audit, m).await?;
        let id =
            store::security::add_evidence(&mut w, audit, &m.no, sha256, &name, actor.id).await?;
        w.commit(Audit::new(
            &grant,
            "security.evidence_added",
            format!("security_audit:{audit}"),
            serde_json::json!({"measure": m.no, "sha256": sha256, "name": name}),
        ))
        .await?;
        let mut c = self.read().await?;
        store::security::evidence(&mut c, audit, Some(&m.no))
            .await?
            .into_iter()
            .find(|e| e.id == id)
            .map(EvidenceView::from)
            .ok_or(AppError::NotFound)
    }

    /// Makes a gap an action with an owner and a due date.
    pub async fn add_security_action(
        &self,
        actor: &User,
        audit: i64,
        input: &GapActionInput,
    ) -> Result<GapActionView> {
        let m = guide::measure(input.measure.trim())
            .ok_or(AppError::invalid("measure", Code::UnknownMeasure))?;
        let title = match text("title", &input.title, 300, false)? {
            t if t.is_empty() => format!("{} {}", m.no, m.name),
            t => t,
        };
        let due = date("due", &input.due)?.ok_or(AppError::invalid("due", Code::Required))?;
        if due < domain::local::date(now()) {
            return Err(AppError::invalid("due", Code::DateInPast));
        }
        let owner = self.user_named("owner", input.owner.trim()).await?;
        // Whoever closes a gap works here: he holds a post.
        self.may_read_shared(&owner)
            .await
            .map_err(|_| AppError::invalid("owner", Code::NotOurStaff))?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::AuditSecurity).await?;
        store::security::get(&mut w, audit)
            .await?
            .ok_or(AppError::NotFound)?;
        applies_in(&mut w, audit, m).await?;
        let id =
            store::security::insert_action(&mut w, audit, &m.no, &title, owner.id, due, actor.id)
                .await?;
        w.commit(Audit::new(
            &grant,
            "security.action_opened",
            format!("security_audit:{audit}"),
            serde_json::json!({"action": id, "measure": m.no, "owner": owner.username, "due": due.to_string()}),
        ))
        .await?;
        self.security_action(actor, id).await
    }

    pub async fn security_action(&self, reader: &User, id: i64) -> Result<GapActionView> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::AuditSecurity)
            .await?;
        store::security::action(&mut c, id)
            .await?
            .map(GapActionView::from)
            .ok_or(AppError::NotFound)
    }

    /// An audit's actions, in the order they were opened.
    pub async fn audit_actions(&self, reader: &User, audit: i64) -> Result<Vec<GapActionView>> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::AuditSecurity)
            .await?;
        Ok(store::security::actions(&mut c, Some(audit))
            .await?
            .into_iter()
            .map(GapActionView::from)
            .collect())
    }

    /// The open actions `user` owns (a gap he is to close), whether or not
    /// he may read the audits: what is his to do.
    pub async fn my_security_actions(&self, user: &User) -> Result<Vec<GapActionView>> {
        Ok(
            store::security::actions_of(&mut self.read().await?, user.id)
                .await?
                .into_iter()
                .map(GapActionView::from)
                .collect(),
        )
    }

    /// The open actions of every audit, soonest due first.
    pub async fn open_security_actions(&self, reader: &User) -> Result<Vec<GapActionView>> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::AuditSecurity)
            .await?;
        Ok(store::security::actions(&mut c, None)
            .await?
            .into_iter()
            .map(GapActionView::from)
            .collect())
    }

    /// Closes an action: `done` or `cancelled`, with a note (required to
    /// cancel).
    pub async fn close_security_action(
        &self,
        actor: &User,
        id: i64,
        input: &ActionCloseInput,
    ) -> Result<GapActionView> {
        let state = match input.state.trim() {
            s @ ("done" | "cancelled") => s,
            _ => return Err(AppError::invalid("state", Code::BadActionState)),
        };
        let note = lines("note", input.note.as_deref().unwrap_or(""), 2000, false)?;
        if state == "cancelled" && note.is_empty() {
            return Err(AppError::invalid("note", Code::Required));
        }
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::AuditSecurity).await?;
        let a = store::security::action(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !store::security::close_action(&mut w, id, state, &note).await? {
            return Err(AppError::Conflict(Code::ActionClosed));
        }
        w.commit(Audit::new(
            &grant,
            "security.action_closed",
            format!("security_audit:{}", a.audit_id),
            serde_json::json!({"action": id, "state": state, "note": note}),
        ))
        .await?;
        self.security_action(actor, id).await
    }

    /// Makes an action a task for its owner (the service desk's task,
    /// given as the rules of m.18/1 allow: the actor must be able to give
    /// the owner a task).
    pub async fn security_action_task(&self, actor: &User, id: i64) -> Result<GapActionView> {
        let a = self.security_action(actor, id).await?;
        if a.task_id.is_some() {
            return Err(AppError::Conflict(Code::AlreadyTasked));
        }
        if a.state != "open" {
            return Err(AppError::Conflict(Code::ActionClosed));
        }
        let owner = {
            let mut c = self.read().await?;
            store::accounts::user_by_id(&mut c, a.owner_id).await?
        };
        let m = guide::measure(&a.measure_no).ok_or(AppError::NotFound)?;
        let due = a.due_on.max(domain::local::date(now()));
        let task = self
            .give_task(
                actor,
                &crate::tasks::NewTaskInput {
                    title: text("title", &a.title, 200, true)?
                        .chars()
                        .take(200)
                        .collect(),
                    description: format!(
                        "{} denetiminin açığı: tedbir {} {}.\n\n{}\n\nTedbir sayfası: /guvenlik/denetimler/{}/tedbir/{}",
                        a.audit_title, m.no, m.name, m.description, a.audit_id, m.no
                    )
                    .chars()
                    .take(20_000)
                    .collect(),
                    assignees: vec![owner.username.as_str().to_owned()],
                    due: due.to_string(),
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| match e {
                AppError::Invalid { code, .. } => AppError::invalid("owner", code),
                e => e,
            })?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::AuditSecurity).await?;
        if !store::security::link_task(&mut w, id, task.id).await? {
            return Err(AppError::Conflict(Code::AlreadyTasked));
        }
        w.commit(Audit::new(
            &grant,
            "security.action_tasked",
            format!("security_audit:{}", a.audit_id),
            serde_json::json!({"action": id, "task": task.id}),
        ))
        .await?;
        self.security_action(actor, id).await
    }
}

/// A file's name as given (its last path part, under the input
/// discipline: a control, bidi or invisible character is refused), or its
/// hash's start.
fn file_name(name: &str, sha256: &str) -> Result<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    Ok(match text("name", base, 200, false)? {
        n if n.is_empty() => sha256.chars().take(12).collect(),
        n => n,
    })
}

/// Refuses a measure no asset of the audit is graded for.
async fn applies_in(c: &mut impl store::Conn, audit: i64, m: &Measure) -> Result<()> {
    let assets = store::security::assets(c, audit).await?;
    if assets.iter().any(|(_, _, g)| i64::from(m.level) <= *g) {
        Ok(())
    } else {
        Err(AppError::invalid("measure", Code::MeasureNotApplicable))
    }
}

/// An audit's tallies and its assets (id, name, grade).
async fn audit_tallies(
    c: &mut store::Read,
    id: i64,
) -> Result<(guide::Tallies, Vec<(i64, String, i64)>)> {
    let assets = store::security::assets(&mut *c, id).await?;
    let rows = store::security::states(&mut *c, id).await?;
    let states: HashMap<(i64, &str), State> = rows
        .iter()
        .filter_map(|(asset, no, s)| State::parse(s).map(|s| ((*asset, no.as_str()), s)))
        .collect();
    let graded: Vec<(i64, u8)> = assets
        .iter()
        .map(|(id, _, g)| (*id, u8::try_from(*g).unwrap_or(3)))
        .collect();
    Ok((guide::tally(&graded, &states), assets))
}
