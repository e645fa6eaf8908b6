//! What handlers extract from a request: the page layout (language, CSRF
//! token, signed-in user), the signed-in user or 401, and JSON, query and
//! path values whose rejections are the API's one error shape.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};

use app::User;
use domain::code::Code;

use crate::error::WebError;
use crate::i18n::{cookie, Lang, Tr};
use crate::security::{CsrfToken, SESSION_COOKIE};
use crate::{AppState, VERSION};

/// `Json` whose rejection is our error shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(WebError))]
pub struct ApiJson<T>(pub T);

/// `Query` whose rejection is our error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(WebError))]
pub struct ApiQuery<T>(pub T);

/// `Path` whose rejection is our error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(WebError))]
pub struct ApiPath<T>(pub T);

impl From<JsonRejection> for WebError {
    fn from(r: JsonRejection) -> Self {
        let status = match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => return WebError::new(StatusCode::PAYLOAD_TOO_LARGE, Code::TooLarge),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            s if s.is_client_error() => s,
            _ => StatusCode::BAD_REQUEST,
        };
        WebError::new(status, Code::InvalidJson)
    }
}

impl From<QueryRejection> for WebError {
    fn from(_: QueryRejection) -> Self {
        WebError::new(StatusCode::BAD_REQUEST, Code::InvalidQuery)
    }
}

impl From<PathRejection> for WebError {
    fn from(_: PathRejection) -> Self {
        WebError::bad_request()
    }
}

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
        let lang = crate::i18n::negotiate(&parts.headers);
        let csrf = parts.extensions.get::<CsrfToken>().map(|t| t.0.clone()).unwrap_or_default();
        let user = current_user(parts, state).await?;
        Ok(Layout { t: lang.t(), lang, csrf, user, path: parts.uri.path().to_owned(), version: VERSION })
    }
}

/// The session token a request carries: `Authorization: Bearer …` for API
/// clients, else the session cookie.
pub fn session_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
    bearer.or_else(|| cookie(headers, SESSION_COOKIE)).filter(|t| !t.is_empty())
}

/// The user behind the request's session, looked up once per request: the
/// page layout and the handler's own extractor share the answer.
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
