//! The HTML pages: home, sign-in placeholder, first-time setup, and the
//! language switch. Every page works without JavaScript.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use app::setup::SetupInput;
use app::AppError;

use crate::error::WebError;
use crate::i18n::Lang;
use crate::security::{csrf_pages, session_cookie};
use crate::{AppState, Layout};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/giris", get(login))
        .route("/kurulum", get(setup_form).post(setup_submit))
        .route("/dil/{code}", get(switch_language))
        .layer(axum::middleware::from_fn(csrf_pages))
}

fn render(t: impl Template) -> Result<Html<String>, WebError> {
    t.render().map(Html).map_err(|e| AppError::Internal(e.into()).into())
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Layout,
    settings: store::InstanceSettings,
    needs_setup: bool,
    just_set_up: bool,
}

#[derive(Deserialize)]
struct HomeQuery {
    kurulum: Option<String>,
}

async fn home(State(s): State<AppState>, l: Layout, Query(q): Query<HomeQuery>) -> Result<Html<String>, WebError> {
    let o = s.app.overview().await?;
    let just_set_up = q.kurulum.as_deref() == Some("tamam") && l.user.is_some();
    render(HomePage { l, settings: o.settings, needs_setup: o.needs_setup, just_set_up })
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
}

async fn login(l: Layout) -> Result<Html<String>, WebError> {
    render(LoginPage { l })
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    l: Layout,
    valid: bool,
    token: String,
    username: String,
    display_name: String,
    error_field: Option<String>,
    error_code: Option<String>,
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

async fn setup_form(State(s): State<AppState>, l: Layout, Query(q): Query<TokenQuery>) -> Result<Response, WebError> {
    let token = q.token.unwrap_or_default();
    let valid = !token.is_empty() && s.app.setup_token_valid(&token).await?;
    let status = if valid { StatusCode::OK } else { StatusCode::NOT_FOUND };
    let page = SetupPage {
        l,
        valid,
        token,
        username: String::new(),
        display_name: String::new(),
        error_field: None,
        error_code: None,
    };
    Ok((status, render(page)?).into_response())
}

#[derive(Deserialize)]
struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

async fn setup_submit(
    State(s): State<AppState>,
    l: Layout,
    form: Result<Form<SetupForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let Ok(Form(f)) = form else { return Err(WebError::bad_request()) };
    let input = SetupInput {
        token: &f.token,
        username: &f.username,
        display_name: &f.display_name,
        password: &f.password,
        password_confirm: &f.password_confirm,
    };
    match s.app.complete_setup(input).await {
        Ok((_, session)) => {
            let mut resp = Redirect::to("/?kurulum=tamam").into_response();
            resp.headers_mut().append(header::SET_COOKIE, session_cookie(&session.0, s.cfg.cookie_secure));
            Ok(resp)
        }
        Err(AppError::Invalid { field: "token", .. }) | Err(AppError::Conflict(_)) => {
            let page = SetupPage {
                l,
                valid: false,
                token: String::new(),
                username: String::new(),
                display_name: String::new(),
                error_field: None,
                error_code: None,
            };
            Ok((StatusCode::NOT_FOUND, render(page)?).into_response())
        }
        Err(AppError::Invalid { field, code }) => {
            let page = SetupPage {
                l,
                valid: true,
                token: f.token,
                username: f.username,
                display_name: f.display_name,
                error_field: Some(field.to_owned()),
                error_code: Some(code.to_owned()),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Sets the language cookie and goes back to the page the user was on.
async fn switch_language(Path(code): Path<String>, Query(q): Query<NextQuery>) -> Result<Response, WebError> {
    let lang = Lang::parse(&code).ok_or_else(|| WebError::new(StatusCode::NOT_FOUND, "not_found"))?;
    // Only a local path: never an open redirect.
    let next = q
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".into());
    let mut resp = Redirect::to(&next).into_response();
    let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}
