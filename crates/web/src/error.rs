//! Errors, mapped to HTTP once. A handler returns [`WebError`]; the
//! [`render_errors`] middleware then writes the body in the request's
//! language: the stable JSON shape `{"error": {"code", "message"}}` under
//! `/api/`, an HTML page elsewhere. Internal details are logged with a
//! reference number and never sent.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use app::AppError;
use domain::code::Code;

use crate::i18n::negotiate;
use crate::Layout;

/// Carried in a response's extensions from the handler to [`render_errors`].
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub field: Option<&'static str>,
    pub reference: Option<String>,
    /// For 403: the authority the actor lacks.
    pub authority: Option<String>,
    /// For 429: the seconds to wait (`Retry-After`).
    pub retry_after: Option<i64>,
    /// For a limit passed: what remains of it.
    pub left: Option<app::Left>,
    /// The part of an e-Yazışma package at fault.
    pub part: Option<String>,
}

/// What a handler returns when it fails.
#[derive(Debug)]
pub struct WebError(pub StatusCode, pub ErrorInfo);

impl WebError {
    pub fn new(status: StatusCode, code: Code) -> Self {
        WebError(
            status,
            ErrorInfo {
                code: code.as_str(),
                field: None,
                reference: None,
                authority: None,
                retry_after: None,
                left: None,
                part: None,
            },
        )
    }
    pub fn bad_request() -> Self {
        Self::new(StatusCode::BAD_REQUEST, Code::BadRequest)
    }
    /// The field at fault and its code, for a page that shows the form again.
    pub fn field_error(&self) -> (&'static str, &'static str) {
        (self.1.field.unwrap_or(""), self.1.code)
    }
}

fn reference() -> String {
    format!("{:08X}", rand::random::<u32>())
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        let (status, code, field) = match &e {
            AppError::Invalid { field, code } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                code.as_str(),
                Some(*field),
            ),
            AppError::Beyond { field, code, left } => {
                return WebError(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorInfo {
                        code: code.as_str(),
                        field: Some(*field),
                        reference: None,
                        authority: None,
                        retry_after: None,
                        left: Some(*left),
                        part: None,
                    },
                );
            }
            AppError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                Code::Unauthenticated.as_str(),
                None,
            ),
            AppError::Forbidden { missing } => {
                return WebError(
                    StatusCode::FORBIDDEN,
                    ErrorInfo {
                        code: Code::Forbidden.as_str(),
                        field: None,
                        reference: None,
                        authority: Some(missing.clone()),
                        retry_after: None,
                        left: None,
                        part: None,
                    },
                );
            }
            AppError::NotFound => (StatusCode::NOT_FOUND, Code::NotFound.as_str(), None),
            AppError::Throttled { wait_secs } => {
                return WebError(
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorInfo {
                        code: Code::TooManyAttempts.as_str(),
                        field: None,
                        reference: None,
                        authority: None,
                        retry_after: Some(*wait_secs),
                        left: None,
                        part: None,
                    },
                );
            }
            AppError::Conflict(c) => (StatusCode::CONFLICT, c.as_str(), None),
            AppError::Package { code, part } => {
                return WebError(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorInfo {
                        code: code.as_str(),
                        field: Some("package"),
                        reference: None,
                        authority: None,
                        retry_after: None,
                        left: None,
                        part: part.clone(),
                    },
                );
            }
            AppError::TooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, Code::TooLarge.as_str(), None)
            }
            AppError::Unavailable(m) => {
                tracing::warn!(error = %m, "database unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Code::Unavailable.as_str(),
                    None,
                )
            }
            AppError::DirectoryUnavailable(m) => {
                tracing::warn!(error = %m, "directory unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Code::DirectoryUnavailable.as_str(),
                    None,
                )
            }
            AppError::Internal(err) => {
                let r = reference();
                tracing::error!(reference = %r, error = ?err, "internal error");
                return WebError(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorInfo {
                        code: Code::Internal.as_str(),
                        field: None,
                        reference: Some(r),
                        authority: None,
                        retry_after: None,
                        left: None,
                        part: None,
                    },
                );
            }
        };
        WebError(
            status,
            ErrorInfo {
                code,
                field,
                reference: None,
                authority: None,
                retry_after: None,
                left: None,
                part: None,
            },
        )
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut r = self.0.into_response();
        if let Some(secs) = self.1.retry_after {
            r.headers_mut().insert(header::RETRY_AFTER, secs.into());
        }
        r.extensions_mut().insert(self.1);
        r
    }
}

/// The response of a panic caught by `CatchPanicLayer`: logged, never shown.
/// It carries its body itself: `CatchPanicLayer` sits outside
/// [`render_errors`], so nothing writes one after it.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let r = reference();
    tracing::error!(reference = %r, "handler panicked");
    let body = ErrorBody {
        error: ErrorDetail {
            code: Code::Internal.as_str().to_owned(),
            message: format!(
                "{} / {}",
                crate::i18n::Lang::Tr.t().s(Code::Internal.as_str()),
                crate::i18n::Lang::En.t().s(Code::Internal.as_str())
            ),
            field: None,
            reference: Some(r),
            authority: None,
            left: None,
            left_unit: None,
            part: None,
        },
    };
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_vec(&body).unwrap_or_default(),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    title: &'static str,
    body: &'static str,
    reference: Option<String>,
    authority: Option<String>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The one error shape of the API.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `bad_username`, `not_found`.
    pub code: String,
    /// Human-readable message in the request's language.
    pub message: String,
    /// The input field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Reference to quote to the administrator (internal errors only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// For 403: the authority the caller lacks, e.g. `route_incoming`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// For a limit passed (`over_balance`, `overtime_budget`, …): what
    /// remains of it, in `left_unit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<f64>,
    /// `hours` or `days`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_unit: Option<String>,
    /// For a refused e-Yazışma package: the part at fault, e.g.
    /// `Ekler/ek1.pdf`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
}

/// "Kalan: 12,5 saat." — what remains of a limit, in the language.
pub(crate) fn left_text(lang: crate::i18n::Lang, left: app::Left) -> String {
    let n = format!("{}", (left.amount * 100.0).round() / 100.0);
    let n = if lang == crate::i18n::Lang::En {
        n
    } else {
        n.replace('.', ",")
    };
    let key = match left.unit {
        app::LeftUnit::Hours => "error.left_hours",
        app::LeftUnit::Days => "error.left_days",
    };
    lang.t().f(key, &[("left", &n)])
}

fn code_for_status(s: StatusCode) -> &'static str {
    match s {
        StatusCode::NOT_FOUND => Code::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => Code::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => Code::TooLarge,
        StatusCode::UNAUTHORIZED => Code::Unauthenticated,
        StatusCode::FORBIDDEN => Code::Forbidden,
        StatusCode::SERVICE_UNAVAILABLE => Code::Unavailable,
        s if s.is_server_error() => Code::Internal,
        _ => Code::BadRequest,
    }
    .as_str()
}

/// A missing right that is a rule rather than a profile authority (the
/// letter's writer, an administrator…), in the reader's language.
pub(crate) fn missing_rule(lang: crate::i18n::Lang, rule: &str) -> String {
    match rule {
        "administrator" | "incoming_recipient" | "writer" | "signer" | "member" | "requester"
        | "assignee" | "task_giver" | "holder" => lang.t().s(&format!("missing.{rule}")).to_owned(),
        other => other.to_owned(),
    }
}

/// Writes every error response's body: JSON under `/api/`, HTML elsewhere.
/// Responses that already carry a body of their own kind pass untouched.
/// What the error pages need: the profile (authority names) and, to keep
/// the signed-in layout, the application (none in unit tests).
#[derive(Clone)]
pub struct ErrorPages {
    pub profile: std::sync::Arc<domain::profile::Profile>,
    pub app: Option<app::App>,
}

pub async fn render_errors(State(state): State<ErrorPages>, req: Request, next: Next) -> Response {
    let lang = negotiate(req.headers());
    let api = req.uri().path().starts_with("/api/");
    let profile = &state.profile;
    // An error page keeps the signed-in layout (menu, name, sign-out):
    // the session and CSRF cookies, read only if the page is needed.
    let cookies = if api {
        None
    } else {
        req.headers().get(header::COOKIE).cloned()
    };
    // A cheap clone (shared bytes): the path is needed only on an error.
    let uri = req.uri().clone();
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let info = resp.extensions().get::<ErrorInfo>().cloned();
    let ctype = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let already = if api {
        ctype.starts_with("application/json")
    } else {
        ctype.starts_with("text/html")
    };
    if already && info.is_none() {
        return resp;
    }
    let info = info.unwrap_or(ErrorInfo {
        code: code_for_status(status),
        field: None,
        reference: None,
        authority: None,
        retry_after: None,
        left: None,
        part: None,
    });
    // The authority by its name in the profile, with its article: people
    // read the message, programs the `authority` id beside it.
    let authority_name = info
        .authority
        .as_deref()
        .map(|a| match profile.authority(a) {
            Some(def) => format!(
                "{} ({})",
                domain::profile::Named::name_for(def, lang == crate::i18n::Lang::En),
                def.article
            ),
            None => missing_rule(lang, a),
        });
    let message = match &authority_name {
        Some(a) => format!(
            "{} {}: {a}",
            lang.t().s(info.code),
            lang.t().s("error.missing_authority")
        ),
        None => match (info.left, &info.part) {
            (Some(left), _) => format!("{} {}", lang.t().s(info.code), left_text(lang, left)),
            (None, Some(part)) => format!("{}: {part}", lang.t().s(info.code)),
            (None, None) => lang.t().s(info.code).to_owned(),
        },
    };
    let (mut parts, _) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = if api {
        parts.headers.insert(
            header::CONTENT_TYPE,
            "application/json".parse().expect("static header"),
        );
        let body = ErrorBody {
            error: ErrorDetail {
                code: info.code.to_owned(),
                message,
                field: info.field.map(str::to_owned),
                reference: info.reference,
                authority: info.authority,
                left: info.left.map(|l| l.amount),
                left_unit: info.left.map(|l| l.unit.as_str().to_owned()),
                part: info.part,
            },
        };
        axum::body::Body::from(serde_json::to_vec(&body).unwrap_or_default())
    } else {
        let (title, body) = match status {
            StatusCode::FORBIDDEN if info.authority.is_some() => ("error.403.title", "forbidden"),
            StatusCode::NOT_FOUND => ("error.404.title", "error.404.body"),
            StatusCode::FORBIDDEN => ("error.403.title", "error.403.body"),
            StatusCode::SERVICE_UNAVAILABLE => ("error.503.title", "error.503.body"),
            s if s.is_server_error() => ("error.500.title", "error.500.body"),
            _ => ("error.403.title", info.code),
        };
        let mut l = Layout::bare(lang, uri.path().to_owned());
        if let Some(c) = cookies {
            let mut h = axum::http::HeaderMap::new();
            h.insert(header::COOKIE, c);
            if let (Some(token), Some(app)) =
                (crate::extract::session_token(&h), state.app.as_ref())
            {
                l.user = app.session_user(token).await.ok().flatten();
                if let Some(u) = &l.user {
                    l.caps = app.capabilities(u).await.unwrap_or_default();
                }
            }
            l.csrf = crate::i18n::cookie(&h, crate::security::CSRF_COOKIE)
                .unwrap_or_default()
                .to_owned();
        }
        let page = ErrorPage {
            l,
            title,
            body,
            reference: info.reference,
            authority: authority_name,
        };
        parts.headers.insert(
            header::CONTENT_TYPE,
            "text/html; charset=utf-8".parse().expect("static header"),
        );
        let html = page
            .render()
            .unwrap_or_else(|_| "<!doctype html><title>Hata</title><h1>Hata / Error</h1>".into());
        axum::body::Body::from(Html(html).0)
    };
    Response::from_parts(parts, body)
}
