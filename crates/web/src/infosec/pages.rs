//! `/kvkk`: the KVKK records for whoever keeps them: the processing
//! inventory (VERBİS), the data subjects' applications, the data breaches
//! with the Board's clock, and the periodic destructions with the next one
//! due; each with its form.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use app::kvkk::{
    BreachInput, BreachView, DestructionInput, DestructionSchedule, DestructionView, NoticeInput,
    SubjectRequest,
};
use app::kvkk_inventory::{ProcessInput, ProcessView};
use app::{AppError, User};

use super::security_pages::{refusal, Err};
use crate::error::WebError;
use crate::multipart::Fields;
use crate::{render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/kvkk", get(kvkk_page))
        .route("/kvkk/ihlal/{id}/bildirim", post(notice))
        .route("/kvkk/{form}", post(submit))
        .merge(super::security_pages::router())
        .merge(super::policy_pages::router())
}

#[derive(Template)]
#[template(path = "kvkk.html")]
struct KvkkPage {
    l: Layout,
    inventory: Vec<ProcessView>,
    requests: Vec<SubjectRequest>,
    breaches: Vec<BreachView>,
    schedule: DestructionSchedule,
    destructions: Vec<DestructionView>,
    bases: Vec<(&'static str, &'static str)>,
    f: Fields,
    error: Err,
    /// Which form failed (`envanter`, `ihlal`, `imha`), to open it.
    form: &'static str,
}

async fn view(
    s: &AppState,
    l: Layout,
    u: &User,
    f: Fields,
    error: Err,
    form: &'static str,
) -> Result<Html<String>, WebError> {
    render(KvkkPage {
        inventory: s.app.kvkk_inventory(u).await?.items,
        requests: s.app.subject_requests(u).await?,
        breaches: s.app.breaches(u).await?,
        schedule: s.app.destruction_schedule(u).await?,
        destructions: s.app.destructions(u).await?,
        bases: domain::kvkk::BASES.to_vec(),
        f,
        error,
        form,
        l,
    })
}

async fn kvkk_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    view(&s, l, &u, Fields::default(), None, "").await
}

fn opt(f: &Fields, name: &str) -> Option<String> {
    Some(f.get(name)).filter(|v| !v.trim().is_empty())
}

/// The page's three forms: an inventory line, a breach, a destruction.
async fn submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(form): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields::from_pairs(pairs);
    let (which, r): (&'static str, Result<(), AppError>) = match form.as_str() {
        "envanter" => (
            "envanter",
            s.app
                .record_process(
                    &u,
                    &ProcessInput {
                        name: f.get("name"),
                        unit: f.get("unit"),
                        purpose: f.get("purpose"),
                        data_categories: f.get("data_categories"),
                        subjects: f.get("subjects"),
                        legal_basis: f.all("legal_basis"),
                        retention: f.get("retention"),
                        recipients: f.get("recipients"),
                        transfer_abroad: f.get("transfer_abroad") == "1",
                        transfer_note: f.get("transfer_note"),
                        measures: f.get("measures"),
                    },
                )
                .await
                .map(|_| ()),
        ),
        "ihlal" => (
            "ihlal",
            s.app
                .record_breach(
                    &u,
                    &BreachInput {
                        discovered_at: f.get("discovered_at"),
                        summary: f.get("summary"),
                        occurred_at: opt(&f, "occurred_at"),
                        data_categories: opt(&f, "data_categories"),
                        subjects: opt(&f, "subjects"),
                        affected_count: match f.get("affected_count").trim() {
                            "" => None,
                            n => match n.parse() {
                                Ok(n) => Some(n),
                                Err(_) => {
                                    let e = AppError::invalid(
                                        "affected_count",
                                        domain::code::Code::BadNumber,
                                    );
                                    let (status, err) = refusal(e)?;
                                    return Ok((
                                        status,
                                        view(&s, l, &u, f, Some(err), "ihlal").await?,
                                    )
                                        .into_response());
                                }
                            },
                        },
                        measures: opt(&f, "measures"),
                    },
                )
                .await
                .map(|_| ()),
        ),
        "imha" => (
            "imha",
            s.app
                .record_destruction(
                    &u,
                    &DestructionInput {
                        done_on: opt(&f, "done_on"),
                        method: f.get("method"),
                        items: f
                            .get("items")
                            .lines()
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        note: opt(&f, "note"),
                    },
                )
                .await
                .map(|_| ()),
        ),
        _ => return Err(AppError::NotFound.into()),
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/kvkk#{which}")).into_response()),
        Err(e) => {
            let (status, err) = refusal(e)?;
            Ok((status, view(&s, l, &u, f, Some(err), which).await?).into_response())
        }
    }
}

/// A breach's notice recorded: to the Board, or to the people concerned.
async fn notice(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields::from_pairs(pairs);
    let input = NoticeInput {
        to: f.get("to"),
        at: opt(&f, "at"),
    };
    match s.app.breach_notified(&u, id, &input).await {
        Ok(_) => Ok(Redirect::to("/kvkk#ihlal").into_response()),
        Err(e) => {
            let (status, err) = refusal(e)?;
            Ok((status, view(&s, l, &u, f, Some(err), "ihlal").await?).into_response())
        }
    }
}
