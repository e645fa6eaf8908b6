//! `/politikalar`: the policies at their current versions, each with the
//! reader's acknowledgement; whoever may publish one writes a new policy
//! or version and sees who has not acknowledged.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use app::policies::{PolicyInput, PolicyView, VersionInput, KINDS};
use app::User;

use super::security_pages::{refusal, Err};
use crate::error::WebError;
use crate::multipart::Fields;
use crate::{render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/politikalar", get(list_page).post(create))
        .route("/politikalar/{id}", get(policy_page))
        .route("/politikalar/{id}/{step}", post(step))
}

#[derive(Template)]
#[template(path = "policies.html")]
struct ListPage {
    l: Layout,
    policies: Vec<PolicyView>,
    kinds: Vec<(&'static str, &'static str)>,
    may_publish: bool,
    f: Fields,
    error: Err,
}

async fn list_view(
    s: &AppState,
    l: Layout,
    u: &User,
    f: Fields,
    error: Err,
) -> Result<Html<String>, WebError> {
    let caps = s.app.capabilities(u).await?;
    render(ListPage {
        policies: s.app.policies(u).await?,
        kinds: KINDS.to_vec(),
        may_publish: caps.security_audit || caps.kvkk,
        f,
        error,
        l,
    })
}

async fn list_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    list_view(&s, l, &u, Fields::default(), None).await
}

fn version(f: &Fields) -> VersionInput {
    VersionInput {
        summary: f.get("summary"),
        body: f.get("body"),
        file: None,
        effective_on: Some(f.get("effective_on")),
        must_read: Some(f.get("must_read") == "1"),
    }
}

async fn create(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields::from_pairs(pairs);
    let input = PolicyInput {
        kind: f.get("kind"),
        title: f.get("title"),
        version: version(&f),
    };
    match s.app.create_policy(&u, &input).await {
        Ok(p) => Ok(Redirect::to(&format!("/politikalar/{}", p.id)).into_response()),
        Err(e) => {
            let (status, err) = refusal(e)?;
            Ok((status, list_view(&s, l, &u, f, Some(err)).await?).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "policy.html")]
struct PolicyPage {
    l: Layout,
    p: PolicyView,
    f: Fields,
    error: Err,
}

async fn policy_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    render(PolicyPage {
        p: s.app.policy(&u, id).await?,
        f: Fields::default(),
        error: None,
        l,
    })
}

/// `okudum` acknowledges the current version; `surum` publishes the next.
async fn step(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path((id, step)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields::from_pairs(pairs);
    let r = match step.as_str() {
        "okudum" => s.app.acknowledge_policy(&u, id).await,
        "surum" => s.app.publish_policy(&u, id, &version(&f)).await,
        _ => return Err(app::AppError::NotFound.into()),
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/politikalar/{id}")).into_response()),
        Err(e) => {
            let (status, err) = refusal(e)?;
            let p = s.app.policy(&u, id).await?;
            Ok((
                status,
                render(PolicyPage {
                    p,
                    f,
                    error: Some(err),
                    l,
                })?,
            )
                .into_response())
        }
    }
}
