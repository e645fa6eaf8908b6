//! Information security (issue 18 §1; m.8/23-31, m.16/5-c): the national
//! security guide's measures, and audit campaigns that assess them per
//! graded asset with compliance by section, group and asset.

use std::collections::HashMap;

use time::Date;

use domain::authority::Authority;
use domain::code::Code;
use domain::security_guide::{self as guide, Measure, State, Tally};
use store::Audit;

use crate::input::{date, lines, text};
use crate::{App, AppError, Result, User};

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
                        .ok_or(AppError::invalid("assets", Code::UnknownAsset))?;
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

    /// An audit with its compliance overall, by section, group and asset.
    pub async fn security_audit(&self, reader: &User, id: i64) -> Result<AuditView> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::AuditSecurity)
            .await?;
        let a = store::security::get(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let assets = store::security::assets(&mut c, id).await?;
        let rows = store::security::states(&mut c, id).await?;
        let states: HashMap<(i64, &str), State> = rows
            .iter()
            .filter_map(|(asset, no, s)| State::parse(s).map(|s| ((*asset, no.as_str()), s)))
            .collect();
        let graded: Vec<(i64, u8)> = assets
            .iter()
            .map(|(id, _, g)| (*id, u8::try_from(*g).unwrap_or(3)))
            .collect();
        let t = guide::tally(&graded, &states);
        let group_name = |no: &str| {
            guide::measures()
                .iter()
                .find(|m| m.group_no == no)
                .map(|m| m.group_name.clone())
                .unwrap_or_default()
        };
        Ok(AuditView {
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
            tally: t.total,
            by_section: t
                .by_section
                .into_iter()
                .map(|(no, tally)| PartView {
                    name: section_name(&no).to_owned(),
                    compliance: tally.compliance(),
                    no,
                    tally,
                })
                .collect(),
            by_group: t
                .by_group
                .into_iter()
                .map(|(no, tally)| PartView {
                    name: group_name(&no),
                    compliance: tally.compliance(),
                    no,
                    tally,
                })
                .collect(),
        })
    }
}
