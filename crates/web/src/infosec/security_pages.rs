//! `/guvenlik`: the security dashboard (compliance, open gaps, incidents,
//! the KVKK clocks, the policies to read), an audit campaign's screen, a
//! measure's screen (assessed per asset, with evidence files, its gap made
//! an action or a task), and the incidents of the SOME (`/guvenlik/olaylar`).

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use app::access_review::{AccessDecisionInput, ReviewInput, ReviewView, ReviewsView, SignOffInput};
use app::incidents::{
    IncidentCloseInput as CloseInput, IncidentInput, IncidentStepInput as StepInput, IncidentView,
    LinkInput,
};
use app::kvkk::{BreachView, DestructionSchedule};
use app::security::{
    ActionCloseInput, AssessmentInput, AuditAssetInput, AuditInput, AuditMeasureView, AuditSummary,
    AuditView, GapActionInput, GapActionView, MeasureLine,
};
use app::tasks::GroupView;
use app::{AppError, User};

use crate::chart::{self, Bar};
use crate::error::WebError;
use crate::multipart::{self, Fields, Form as Multi};
use crate::{form_refusal, render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/guvenlik", get(dashboard))
        .route("/guvenlik/denetimler", post(open_audit))
        .route("/guvenlik/denetimler/{id}", get(audit_page))
        .route(
            "/guvenlik/denetimler/{id}/tedbir/{no}",
            get(measure_page)
                .post(assess)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/guvenlik/denetimler/{id}/tedbir/{no}/eylem",
            post(add_action),
        )
        .route("/guvenlik/eylemler/{id}/{step}", post(action_step))
        .route(
            "/guvenlik/olaylar",
            get(incidents_page).post(record_incident),
        )
        .route("/guvenlik/olaylar/{id}", get(incident_page))
        .route("/guvenlik/olaylar/{id}/{step}", post(incident_step))
        .route("/guvenlik/erisim", get(reviews_page).post(open_review))
        .route("/guvenlik/erisim/{id}", get(review_page))
        .route("/guvenlik/erisim/{id}/imza", post(sign_off_review))
        .route("/guvenlik/erisim/{id}/{user}", post(decide_line))
}

pub(super) type Err = Option<(&'static str, &'static str)>;

/// A refusal a form shows (422/409/403), or the error itself.
pub(super) fn refusal(e: AppError) -> Result<(StatusCode, (&'static str, &'static str)), WebError> {
    form_refusal(&e).ok_or_else(|| e.into())
}

/// `Ok(x)`, or `None` when the reader may not see it (a section of a page
/// shown only to those who may).
pub(super) fn if_allowed<T>(r: Result<T, AppError>) -> Result<Option<T>, WebError> {
    match r {
        Ok(x) => Ok(Some(x)),
        Err(AppError::Forbidden { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The chart's bars for an audit, in the reader's language.
fn audit_bars(l: &Layout, a: &AuditView) -> Vec<Bar> {
    let before_caption = l.t.s("sec.previous_audit").to_owned();
    let before = |no: &str| {
        a.previous.as_ref().and_then(|p| {
            p.by_section
                .iter()
                .find(|(n, _)| n == no)
                .and_then(|(_, c)| *c)
                .map(|c| (c, before_caption.clone()))
        })
    };
    let mut bars = vec![Bar {
        label: l.t.s("sec.overall").to_owned(),
        value: a.compliance,
        detail: String::new(),
        before: a
            .previous
            .as_ref()
            .and_then(|p| p.compliance)
            .map(|c| (c, before_caption.clone())),
    }];
    for s in &a.by_section {
        bars.push(Bar {
            label: format!("{} {}", s.no, s.name),
            value: s.compliance,
            detail: String::new(),
            before: before(&s.no),
        });
    }
    for g in &a.by_group {
        bars.push(Bar {
            label: format!("{} {}", g.no, g.name),
            value: g.compliance,
            detail: String::new(),
            before: None,
        });
    }
    bars
}

fn audit_chart(l: &Layout, a: &AuditView, groups: bool) -> String {
    let bars: Vec<Bar> = audit_bars(l, a)
        .into_iter()
        .take(if groups {
            usize::MAX
        } else {
            1 + a.by_section.len()
        })
        .collect();
    chart::bars(l.t.s("sec.chart"), &bars, |x| l.pct1(&x), 80.0, 50.0)
}

// ---- The dashboard --------------------------------------------------------------

#[derive(Template)]
#[template(path = "security.html")]
struct Dashboard {
    l: Layout,
    caps: app::Capabilities,
    audits: Vec<AuditSummary>,
    latest: Option<AuditView>,
    chart: String,
    actions: Vec<GapActionView>,
    /// The open actions the reader owns.
    mine: Vec<GapActionView>,
    incidents: Vec<IncidentView>,
    breaches: Vec<BreachView>,
    schedule: Option<DestructionSchedule>,
    policies_due: usize,
    reviews: Option<ReviewsView>,
    /// The systems catalogue as the new audit's assets ("name; grade"),
    /// for the form to start from.
    catalogue: String,
    f: Fields,
    error: Err,
    done: bool,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct DoneQuery {
    tamam: Option<String>,
}

async fn dashboard_view(
    s: &AppState,
    l: Layout,
    u: &User,
    f: Fields,
    error: Err,
    done: bool,
) -> Result<Html<String>, WebError> {
    let caps = s.app.capabilities(u).await?;
    let audits = if_allowed(s.app.security_audits(u).await)?.unwrap_or_default();
    let latest = match audits.first() {
        Some(a) => if_allowed(s.app.security_audit(u, a.id).await)?,
        None => None,
    };
    let chart = latest
        .as_ref()
        .map(|a| audit_chart(&l, a, false))
        .unwrap_or_default();
    render(Dashboard {
        actions: if_allowed(s.app.open_security_actions(u).await)?.unwrap_or_default(),
        mine: s.app.my_security_actions(u).await?,
        incidents: if_allowed(s.app.incidents(u).await)?
            .unwrap_or_default()
            .into_iter()
            .filter(|i| i.closed_at.is_none())
            .collect(),
        breaches: if_allowed(s.app.open_breach_clocks(u).await)?.unwrap_or_default(),
        schedule: if_allowed(s.app.destruction_schedule(u).await)?,
        policies_due: s.app.policies_to_acknowledge(u).await?,
        reviews: if_allowed(s.app.access_reviews(u).await)?,
        catalogue: if caps.security_audit {
            if_allowed(s.app.systems(u).await)?
                .unwrap_or_default()
                .iter()
                .map(|x| format!("{}; {}", x.name, x.criticality))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            String::new()
        },
        audits,
        latest,
        chart,
        caps,
        f,
        error,
        done,
        l,
    })
}

async fn dashboard(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    dashboard_view(&s, l, &u, Fields::default(), None, q.tamam.is_some()).await
}

/// A new audit: its assets one per line, "name; grade".
async fn open_audit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields::from_pairs(pairs);
    let mut assets = Vec::new();
    let mut bad = false;
    for line in f
        .get("assets")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let (name, grade) = line.rsplit_once([';', ',']).unwrap_or((line, ""));
        match grade.trim().parse::<i64>() {
            Ok(g) => assets.push(AuditAssetInput {
                name: name.trim().to_owned(),
                criticality: g,
            }),
            Err(_) => bad = true,
        }
    }
    let r = if bad {
        Err(AppError::invalid(
            "assets",
            domain::code::Code::BadCriticality,
        ))
    } else {
        s.app
            .open_security_audit(
                &u,
                &AuditInput {
                    title: f.get("title"),
                    period_from: f.get("period_from"),
                    period_to: f.get("period_to"),
                    auditor: None,
                    assets,
                },
            )
            .await
    };
    match r {
        Ok(a) => Ok(Redirect::to(&format!("/guvenlik/denetimler/{}", a.id)).into_response()),
        Err(e) => {
            let (status, err) = refusal(e)?;
            Ok((
                status,
                dashboard_view(&s, l, &u, f, Some(err), false).await?,
            )
                .into_response())
        }
    }
}

// ---- An audit -------------------------------------------------------------------

#[derive(Template)]
#[template(path = "security_audit.html")]
struct AuditPage {
    l: Layout,
    a: AuditView,
    chart: String,
    measures: Vec<MeasureLine>,
    actions: Vec<GapActionView>,
    q: AuditQuery,
    sections: Vec<(String, String)>,
    /// How many measures the filter found (`measures` holds one page).
    total: usize,
    /// The next page's number, if there is one.
    next: Option<usize>,
    /// How many pages the filter's measures make.
    pages: usize,
}

/// Measures on one page of an audit's list.
const MEASURES_PER_PAGE: usize = 100;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct AuditQuery {
    /// A part of the guide: `3`, `3.1`.
    bolum: String,
    /// `acik` (gaps), `bos` (unassessed) or `hepsi`.
    goster: String,
    /// The page, from 0.
    sayfa: usize,
}

async fn audit_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<AuditQuery>,
) -> Result<Html<String>, WebError> {
    let only = match q.goster.as_str() {
        "hepsi" => None,
        "bos" => Some("unassessed"),
        _ => Some("gaps"),
    };
    let part = Some(q.bolum.trim()).filter(|p| domain::security_guide::is_part(p));
    let (a, all) = s.app.audit_measures(&u, id, part, only).await?;
    let total = all.len();
    let from = q.sayfa.saturating_mul(MEASURES_PER_PAGE).min(total);
    let measures: Vec<MeasureLine> = all.into_iter().skip(from).take(MEASURES_PER_PAGE).collect();
    let next = (from + MEASURES_PER_PAGE < total).then_some(q.sayfa + 1);
    let sections = a
        .by_section
        .iter()
        .map(|p| (p.no.clone(), p.name.clone()))
        .chain(a.by_group.iter().map(|p| (p.no.clone(), p.name.clone())))
        .collect();
    render(AuditPage {
        chart: audit_chart(&l, &a, true),
        actions: s.app.audit_actions(&u, id).await?,
        measures,
        sections,
        total,
        next,
        pages: total.div_ceil(MEASURES_PER_PAGE).max(1),
        q,
        a,
        l,
    })
}

// ---- A measure ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "security_measure.html")]
struct MeasurePage {
    l: Layout,
    m: AuditMeasureView,
    people: Vec<(String, String)>,
    f: Fields,
    error: Err,
    done: bool,
}

async fn measure_view(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    no: &str,
    f: Fields,
    error: Err,
    done: bool,
) -> Result<Html<String>, WebError> {
    let m = s.app.audit_measure(u, id, no).await.map_err(|e| match e {
        AppError::Invalid { .. } => AppError::NotFound,
        e => e,
    })?;
    render(MeasurePage {
        people: s.app.subordinates(u).await.unwrap_or_default(),
        m,
        f,
        error,
        done,
        l,
    })
}

async fn measure_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path((id, no)): Path<(i64, String)>,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    measure_view(
        &s,
        l,
        &u,
        id,
        &no,
        Fields::default(),
        None,
        q.tamam.is_some(),
    )
    .await
}

/// The assessment of every asset the measure applies to (or those
/// ticked), with evidence text and files.
async fn assess(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path((id, no)): Path<(i64, String)>,
    mp: Multipart,
) -> Result<Response, WebError> {
    // Nobody who may not audit gets a byte kept.
    s.app.may_add_evidence(&u, id, &no, None).await?;
    let check = |_f: Fields| async move { Ok::<(), AppError>(()) };
    let (f, files, refused) = match multipart::read(&s, &u, mp, "file", check).await? {
        Multi::Read { fields, files } => (fields, files, None),
        Multi::Refused {
            fields,
            files,
            field,
            code,
        } => (fields, files, Some((field, code.as_str()))),
    };
    let mut r: Result<(), AppError> = Ok(());
    if refused.is_none() && !f.get("state").is_empty() {
        let assets: Vec<i64> = f
            .all("asset")
            .iter()
            .filter_map(|a| a.parse().ok())
            .collect();
        r = s
            .app
            .assess_measure(
                &u,
                id,
                &no,
                &AssessmentInput {
                    state: f.get("state"),
                    reason: Some(f.get("reason")),
                    evidence: Some(f.get("evidence")),
                    answers: Some(f.get("answers")),
                    assets: Some(assets),
                },
            )
            .await
            .map(|_| ());
    }
    if r.is_ok() && refused.is_none() {
        for (sha, name) in &files {
            if let Err(e) = s.app.add_security_evidence(&u, id, &no, sha, name).await {
                r = Err(e);
                break;
            }
        }
    }
    let err = match (refused, r) {
        (Some(e), _) => Some((StatusCode::UNPROCESSABLE_ENTITY, e)),
        (None, Err(e)) => Some(refusal(e)?),
        (None, Ok(())) => None,
    };
    match err {
        None => Ok(Redirect::to(&format!(
            "/guvenlik/denetimler/{id}/tedbir/{}?tamam=1",
            no.trim()
        ))
        .into_response()),
        Some((status, e)) => Ok((
            status,
            measure_view(&s, l, &u, id, &no, f, Some(e), false).await?,
        )
            .into_response()),
    }
}

async fn add_action(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path((id, no)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields::from_pairs(pairs);
    let input = GapActionInput {
        measure: no.clone(),
        title: f.get("title"),
        owner: f.get("owner"),
        due: f.get("due"),
    };
    let made = s.app.add_security_action(&u, id, &input).await;
    let made = match made {
        Ok(a) if f.get("task") == "1" => s.app.security_action_task(&u, a.id).await,
        other => other,
    };
    match made {
        Ok(_) => Ok(Redirect::to(&format!(
            "/guvenlik/denetimler/{id}/tedbir/{}?tamam=1",
            no.trim()
        ))
        .into_response()),
        Err(e) => {
            let (status, err) = refusal(e)?;
            Ok((
                status,
                measure_view(&s, l, &u, id, &no, f, Some(err), false).await?,
            )
                .into_response())
        }
    }
}

/// An action's steps: `gorev` (make it a task), `tamam` (done), `iptal`.
async fn action_step(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path((id, step)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields::from_pairs(pairs);
    let a = s.app.security_action(&u, id).await?;
    let r = match step.as_str() {
        "gorev" => s.app.security_action_task(&u, id).await,
        "tamam" | "iptal" => {
            s.app
                .close_security_action(
                    &u,
                    id,
                    &ActionCloseInput {
                        state: if step == "tamam" { "done" } else { "cancelled" }.to_owned(),
                        note: Some(f.get("note")),
                    },
                )
                .await
        }
        _ => return Err(AppError::NotFound.into()),
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!(
            "/guvenlik/denetimler/{}/tedbir/{}?tamam=1",
            a.audit_id, a.measure_no
        ))
        .into_response()),
        Err(e) => {
            let (status, err) = refusal(e)?;
            Ok((
                status,
                measure_view(&s, l, &u, a.audit_id, &a.measure_no, f, Some(err), false).await?,
            )
                .into_response())
        }
    }
}

// ---- Incidents ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "incidents.html")]
struct IncidentsPage {
    l: Layout,
    incidents: Vec<IncidentView>,
    team: Option<GroupView>,
    f: Fields,
    error: Err,
}

async fn incidents_view(
    s: &AppState,
    l: Layout,
    u: &User,
    f: Fields,
    error: Err,
) -> Result<Html<String>, WebError> {
    render(IncidentsPage {
        incidents: s.app.incidents(u).await?,
        team: s.app.some_team(u).await?,
        f,
        error,
        l,
    })
}

async fn incidents_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    incidents_view(&s, l, &u, Fields::default(), None).await
}

async fn record_incident(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields::from_pairs(pairs);
    let input = IncidentInput {
        title: f.get("title"),
        detected_at: f.get("detected_at"),
        severity: f.get("severity"),
        source: Some(f.get("source")),
        systems: f
            .get("systems")
            .split([',', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        summary: Some(f.get("summary")),
        personal_data: f.get("personal_data") == "1",
    };
    match s.app.record_incident(&u, &input).await {
        Ok(i) => Ok(Redirect::to(&format!("/guvenlik/olaylar/{}", i.id)).into_response()),
        Err(e) => {
            let (status, err) = refusal(e)?;
            Ok((status, incidents_view(&s, l, &u, f, Some(err)).await?).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage {
    l: Layout,
    i: IncidentView,
    /// The reader keeps the KVKK records (the breach's page is his).
    kvkk: bool,
    f: Fields,
    error: Err,
}

async fn incident_view(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    f: Fields,
    error: Err,
) -> Result<Html<String>, WebError> {
    render(IncidentPage {
        i: s.app.incident(u, id).await?,
        kvkk: s.app.capabilities(u).await?.kvkk,
        f,
        error,
        l,
    })
}

async fn incident_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    incident_view(&s, l, &u, id, Fields::default(), None).await
}

/// `adim` adds to the timeline; `kapat` closes with the lessons learned.
async fn incident_step(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path((id, step)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields::from_pairs(pairs);
    let r = match step.as_str() {
        "adim" => s
            .app
            .incident_action(
                &u,
                id,
                &StepInput {
                    kind: f.get("kind"),
                    text: f.get("text"),
                    notified: Some(f.get("notified")).filter(|n| !n.is_empty()),
                    at: Some(f.get("at")).filter(|n| !n.is_empty()),
                },
            )
            .await
            .map(|_| ()),
        "kapat" => s
            .app
            .close_incident(
                &u,
                id,
                &CloseInput {
                    lessons: f.get("lessons"),
                },
            )
            .await
            .map(|_| ()),
        "bagla" => {
            let target = f.get("target");
            let target = target.trim();
            let r = match f.get("kind").as_str() {
                "task" => Ok(LinkInput {
                    request: None,
                    task: Some(target.parse::<i64>().unwrap_or(0)),
                }),
                // A request by its number (2026-000001) or its id.
                _ => match target.parse::<i64>() {
                    Ok(n) => Ok(LinkInput {
                        request: Some(n),
                        task: None,
                    }),
                    Err(_) => s
                        .app
                        .request_id_by_number(&u, target)
                        .await
                        .map(|n| LinkInput {
                            request: Some(n),
                            task: None,
                        }),
                },
            };
            match r {
                Ok(input) => s.app.link_incident(&u, id, &input).await.map(|_| ()),
                Err(e) => Err(e),
            }
        }
        _ => return Err(AppError::NotFound.into()),
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/guvenlik/olaylar/{id}")).into_response()),
        Err(e) => {
            let (status, err) = refusal(e)?;
            Ok((status, incident_view(&s, l, &u, id, f, Some(err)).await?).into_response())
        }
    }
}

// ---- Access reviews -------------------------------------------------------------

#[derive(Template)]
#[template(path = "access_reviews.html")]
struct ReviewsPage {
    l: Layout,
    r: ReviewsView,
    error: Err,
}

async fn reviews_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    render(ReviewsPage {
        r: s.app.access_reviews(&u).await?,
        error: None,
        l,
    })
}

async fn open_review(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields::from_pairs(pairs);
    match s
        .app
        .open_access_review(
            &u,
            &ReviewInput {
                title: f.get("title"),
            },
        )
        .await
    {
        Ok(r) => Ok(Redirect::to(&format!("/guvenlik/erisim/{}", r.id)).into_response()),
        Err(e) => {
            let (status, err) = refusal(e)?;
            let page = ReviewsPage {
                r: s.app.access_reviews(&u).await?,
                error: Some(err),
                l,
            };
            Ok((status, render(page)?).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "access_review.html")]
struct ReviewPage {
    l: Layout,
    r: ReviewView,
    auditor: bool,
    error: Err,
}

async fn review_view(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    error: Err,
) -> Result<Html<String>, WebError> {
    let caps = s.app.capabilities(u).await?;
    render(ReviewPage {
        r: s.app.access_review(u, id).await?,
        auditor: caps.security_audit,
        error,
        l,
    })
}

async fn review_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    review_view(&s, l, &u, id, None).await
}

async fn decide_line(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path((id, user)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields::from_pairs(pairs);
    let input = AccessDecisionInput {
        decision: f.get("decision"),
        remark: f.get("remark"),
    };
    match s.app.decide_access(&u, id, user, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/guvenlik/erisim/{id}#line-{user}")).into_response()),
        Err(e) => {
            let (status, err) = refusal(e)?;
            Ok((status, review_view(&s, l, &u, id, Some(err)).await?).into_response())
        }
    }
}

async fn sign_off_review(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields::from_pairs(pairs);
    match s
        .app
        .sign_off_access_review(
            &u,
            id,
            &SignOffInput {
                note: f.get("note"),
            },
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/guvenlik/erisim/{id}")).into_response()),
        Err(e) => {
            let (status, err) = refusal(e)?;
            Ok((status, review_view(&s, l, &u, id, Some(err)).await?).into_response())
        }
    }
}
