//! The HTTP front ends of Mudurluk: server-rendered pages (Turkish first,
//! English second) and the JSON API under `/api/v1`, both thin over `app`.
//! One folder per capability, each with its `api.rs` and `pages.rs`; this
//! file assembles them with the layers every response passes through.
//! `web` decides nothing: it asks `app` (capabilities, a record's actions)
//! what to show, and names no authority.

pub mod archive;
pub mod assets;
pub mod attachments;
pub mod bulk;
pub mod calendar;
pub mod chart;
pub mod door;
pub mod error;
pub mod extract;
pub mod home;
pub mod i18n;
pub mod idempotency;
pub mod incoming;
pub mod infosec;
pub mod leave;
pub mod metrics;
pub mod multipart;
pub mod openapi;
pub mod outgoing;
pub mod pager;
pub mod people;
pub mod search;
pub mod security;
pub mod servicedesk;
pub mod tasks;

use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use app::App;
use domain::code::Code;

use crate::error::WebError;

pub use extract::{CurrentSession, Layout, SignedIn};

/// Settings of the HTTP layer.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark cookies `Secure` (serve behind HTTPS).
    pub cookie_secure: bool,
    /// The Bearer token `/metrics` asks for on the main listener; without
    /// one, `/metrics` is served only on `metrics_listen` (if set).
    pub metrics_token: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for the
    /// sign-in throttle); any other peer is the client itself.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub cfg: Arc<WebConfig>,
}

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The code of a refusal, for a message (a field's code, a conflict's, or
/// the generic forbidden / not found).
pub(crate) fn refusal_code(e: &app::AppError) -> Code {
    match e {
        app::AppError::Invalid { code, .. }
        | app::AppError::Beyond { code, .. }
        | app::AppError::Conflict(code) => *code,
        app::AppError::NotFound => Code::NotFound,
        _ => Code::Forbidden,
    }
}

/// A refused form's status and (field, code), for the page shown again
/// with what was typed; `None` for what is not the input's fault.
pub(crate) fn form_refusal(
    e: &app::AppError,
) -> Option<(axum::http::StatusCode, (&'static str, &'static str))> {
    use axum::http::StatusCode;
    match e {
        app::AppError::Invalid { field, code } | app::AppError::Beyond { field, code, .. } => {
            Some((StatusCode::UNPROCESSABLE_ENTITY, (*field, code.as_str())))
        }
        app::AppError::Conflict(code) => Some((StatusCode::CONFLICT, ("", code.as_str()))),
        app::AppError::Forbidden { .. } => {
            Some((StatusCode::FORBIDDEN, ("", Code::Forbidden.as_str())))
        }
        _ => None,
    }
}

/// A code from a link's query, if it is one of ours (anything else is
/// dropped: a link cannot make a page say what it likes).
pub(crate) fn known_code(s: Option<&str>) -> Option<&'static str> {
    s.and_then(Code::parse).map(Code::as_str)
}

/// Renders a page.
pub(crate) fn render(t: impl Template) -> Result<Html<String>, WebError> {
    t.render()
        .map(Html)
        .map_err(|e| app::AppError::Internal(e.into()).into())
}

/// A recorded basis (`m.15/3 (personel_bt)`, `m.12/2 (deputyship:7,
/// mudur)`, `m.10/4 (delegation:3)`) as people read it: the position by
/// its name, the deputyship or delegation in words.
pub(crate) fn basis_for_people(
    t: i18n::Tr,
    profile: &domain::profile::Profile,
    basis: &str,
) -> String {
    let Some((article, rest)) = basis.split_once(" (") else {
        return basis.to_owned();
    };
    let inner = rest.trim_end_matches(')');
    let name = |id: &str| {
        profile
            .position(id.trim())
            .map(|p| domain::profile::Named::name_for(p, crate::i18n::english()).to_owned())
            .unwrap_or_else(|| id.trim().to_owned())
    };
    let words = if let Some(d) = inner.strip_prefix("deputyship:") {
        match d.split_once(',') {
            Some((_, pos)) => format!("{}: {}", t.s("basis.deputyship"), name(pos)),
            None => t.s("basis.deputyship").to_owned(),
        }
    } else if inner.starts_with("delegation:") {
        t.s("basis.delegation").to_owned()
    } else if profile.position(inner).is_some() {
        name(inner)
    } else {
        inner.to_owned()
    };
    format!("{article}, {words}")
}

/// A path's numeric id; anything else is a page not found.
pub(crate) fn id_of(id: &str) -> Result<i64, WebError> {
    id.parse()
        .map_err(|_| WebError::new(StatusCode::NOT_FOUND, Code::NotFound))
}

/// The tab's icon: a small SVG (browsers ask for it on every page).
async fn favicon() -> impl axum::response::IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1d4e89"/><text x="16" y="23" font-family="sans-serif" font-size="18" font-weight="700" fill="#fff" text-anchor="middle">M</text></svg>"##,
    )
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

/// `/metrics` on the main listener: only with `Authorization: Bearer
/// <metrics_token>`; without a configured token, never (401 either way).
async fn metrics_page(State(s): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let given = extract::bearer_token(&headers);
    let ok = match (s.cfg.metrics_token.as_deref(), given) {
        (Some(want), Some(got)) => security::same(want, got),
        _ => false,
    };
    if !ok {
        let mut r = WebError::new(StatusCode::UNAUTHORIZED, Code::MetricsToken).into_response();
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer realm=\"metrics\""),
        );
        return r;
    }
    render_metrics(&s.app)
}

fn render_metrics(app: &App) -> Response {
    let pool = app.pool_status();
    let engine = app.engine().name();
    ::metrics::gauge!("db_pool_connections", "engine" => engine, "state" => "open")
        .set(pool.size as f64);
    ::metrics::gauge!("db_pool_connections", "engine" => engine, "state" => "idle")
        .set(pool.idle as f64);
    ::metrics::gauge!("db_pool_connections_max", "engine" => engine).set(pool.max as f64);
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        crate::metrics::handle().render(),
    )
        .into_response()
}

/// The router of a separate metrics listener (`metrics_listen`, an
/// address only the monitoring network reaches): `/metrics` without a token.
pub fn metrics_router(app: App) -> Router {
    crate::metrics::handle();
    Router::new().route("/metrics", get(move || async move { render_metrics(&app) }))
}

const CSS: &str = include_str!("../assets/app.css");
const JS: &str = include_str!("../assets/app.js");

fn asset(ctype: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// The whole application.
pub fn router(app: App, cfg: WebConfig) -> Router {
    crate::metrics::handle();
    i18n::preload();
    let cfg = Arc::new(cfg);
    let state = AppState {
        app,
        cfg: cfg.clone(),
    };
    let ops = Router::new()
        .route("/healthz", get(healthz))
        .route("/favicon.ico", get(favicon))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_page))
        .route(
            "/static/app.css",
            get(|| async { asset("text/css; charset=utf-8", CSS) }),
        )
        .route(
            "/static/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", JS) }),
        );
    let pages = Router::new()
        .merge(home::pages::router())
        .merge(people::pages::router())
        .merge(calendar::pages::router())
        .merge(incoming::pages::router())
        .merge(outgoing::pages::router())
        .merge(outgoing::verify::router())
        .merge(archive::pages::router())
        .merge(search::pages::router())
        .merge(servicedesk::pages::router())
        .merge(tasks::pages::router())
        .merge(assets::pages::router())
        .merge(leave::pages::router())
        .merge(leave::overtime::router())
        .merge(leave::timesheet::router())
        .merge(leave::ozluk::router())
        .merge(infosec::pages::router())
        .layer(axum::middleware::from_fn_with_state(
            security::CookieSecure(cfg.cookie_secure),
            security::csrf_pages,
        ));
    Router::new()
        .merge(pages)
        .merge(
            openapi::api_router().layer(axum::middleware::from_fn_with_state(
                state.clone(),
                idempotency::idempotency,
            )),
        )
        .merge(ops)
        .fallback(|| async { WebError::new(StatusCode::NOT_FOUND, Code::NotFound) })
        .layer(axum::middleware::from_fn(security::boundary))
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(axum::middleware::from_fn(i18n::language_scope))
        .layer(axum::middleware::from_fn_with_state(
            error::ErrorPages {
                profile: Arc::new(state.app.profile().clone()),
                app: Some(state.app.clone()),
            },
            error::render_errors,
        ))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
