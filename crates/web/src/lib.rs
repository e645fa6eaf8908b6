//! The HTTP front ends of Mudurluk: server-rendered pages (Turkish first,
//! English second) and the JSON API under `/api/v1`, both thin over
//! `app`. One router per capability; this file assembles them with the
//! layers every response passes through.

pub mod api;
pub mod archive;
pub mod correspondence;
pub mod error;
pub mod i18n;
pub mod metrics;
pub mod outgoing;
pub mod pages;
pub mod people;
pub mod search;
pub mod security;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use app::App;
use store::User;

use crate::error::WebError;
use crate::i18n::{cookie, Lang, Tr};
use crate::security::{CsrfToken, SESSION_COOKIE};

/// Settings of the HTTP layer.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark cookies `Secure` (serve behind HTTPS).
    pub cookie_secure: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub cfg: Arc<WebConfig>,
}

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What every page's layout needs.
pub struct Layout {
    pub t: Tr,
    pub lang: Lang,
    pub csrf: String,
    pub user: Option<User>,
    pub path: String,
    pub version: &'static str,
}

impl Layout {
    /// A layout without a user or a form, for error pages.
    pub fn bare(lang: Lang, path: String) -> Layout {
        Layout { t: lang.t(), lang, csrf: String::new(), user: None, path, version: VERSION }
    }
}

/// Extracts the layout of a page: language, CSRF token, signed-in user.
impl FromRequestParts<AppState> for Layout {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = i18n::negotiate(&parts.headers);
        let csrf = parts.extensions.get::<CsrfToken>().map(|t| t.0.clone()).unwrap_or_default();
        let user = current_user(parts, state).await?;
        Ok(Layout { t: lang.t(), lang, csrf, user, path: parts.uri.path().to_owned(), version: VERSION })
    }
}

/// The session token a request carries: `Authorization: Bearer …` for API
/// clients, else the session cookie.
pub fn session_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    bearer.or_else(|| cookie(headers, SESSION_COOKIE)).filter(|t| !t.is_empty())
}

/// The user behind the request's session, looked up once per request:
/// the page layout and the handler's own extractor share the answer.
async fn current_user(parts: &mut Parts, state: &AppState) -> Result<Option<User>, WebError> {
    #[derive(Clone)]
    struct Looked(Option<User>);
    if let Some(Looked(u)) = parts.extensions.get::<Looked>() {
        return Ok(u.clone());
    }
    let user = match session_token(&parts.headers) {
        Some(token) => state.app.session_user(token).await?,
        None => None,
    };
    parts.extensions.insert(Looked(user.clone()));
    Ok(user)
}

/// The signed-in user, or 401.
pub struct SignedIn(pub User);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        current_user(parts, state).await?.map(SignedIn).ok_or_else(|| app::AppError::Unauthenticated.into())
    }
}

/// The signed-in user with the session token they came with (for signing
/// out, or keeping this session while ending the others).
pub struct CurrentSession {
    pub user: User,
    pub token: String,
}

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthenticated = || WebError::from(app::AppError::Unauthenticated);
        let user = current_user(parts, state).await?.ok_or_else(unauthenticated)?;
        let token = session_token(&parts.headers).ok_or_else(unauthenticated)?.to_owned();
        Ok(CurrentSession { user, token })
    }
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(s): State<AppState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(2), s.app.ready()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response(),
    }
}

async fn metrics_page(State(s): State<AppState>) -> Response {
    let pool = s.app.pool_status();
    let engine = s.app.engine().name();
    ::metrics::gauge!("db_pool_connections", "engine" => engine, "state" => "open").set(pool.size as f64);
    ::metrics::gauge!("db_pool_connections", "engine" => engine, "state" => "idle").set(pool.idle as f64);
    ::metrics::gauge!("db_pool_connections_max", "engine" => engine).set(pool.max as f64);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], crate::metrics::handle().render()).into_response()
}

const CSS: &str = include_str!("../assets/app.css");
const JS: &str = include_str!("../assets/app.js");

fn asset(ctype: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, ctype), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

/// The whole application.
pub fn router(app: App, cfg: WebConfig) -> Router {
    crate::metrics::handle();
    i18n::preload();
    let state = AppState { app, cfg: Arc::new(cfg) };
    let ops = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_page))
        .route("/static/app.css", get(|| async { asset("text/css; charset=utf-8", CSS) }))
        .route("/static/app.js", get(|| async { asset("text/javascript; charset=utf-8", JS) }));
    Router::new()
        .merge(pages::router())
        .merge(people::router())
        .merge(correspondence::page_routes())
        .merge(search::page_routes())
        .merge(outgoing::page_routes())
        .merge(archive::page_routes())
        .nest("/api/v1", api::router())
        .merge(ops)
        .fallback(|| async { WebError::new(StatusCode::NOT_FOUND, "not_found") })
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(axum::middleware::from_fn(error::render_errors))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
