//! The JSON API under `/api/v1`. Its OpenAPI 3 document is generated from
//! these handlers' annotations and served at `/api/v1/openapi.json`.
//! Malformed bodies and queries are answered 4xx in the one error shape.

use axum::body::Body;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use app::setup::SetupInput;
use app::AppError;

use crate::error::{ErrorBody, ErrorDetail, WebError};
use crate::security::{csrf_api, session_cookie, session_cookie_cleared, FORM_LIMIT};
use crate::{AppState, CurrentSession, SignedIn};

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
            StatusCode::PAYLOAD_TOO_LARGE => return WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            s if s.is_client_error() => s,
            _ => StatusCode::BAD_REQUEST,
        };
        WebError::new(status, "invalid_json")
    }
}

impl From<QueryRejection> for WebError {
    fn from(_: QueryRejection) -> Self {
        WebError::new(StatusCode::BAD_REQUEST, "invalid_query")
    }
}

impl From<PathRejection> for WebError {
    fn from(_: PathRejection) -> Self {
        WebError::new(StatusCode::BAD_REQUEST, "bad_request")
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/instance", get(instance))
        .route("/setup", post(setup))
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/audit", get(audit))
        .route("/attachments", post(upload).layer(DefaultBodyLimit::disable()))
        .route("/attachments/{sha256}", get(download))
        .route("/openapi.json", get(openapi))
        .fallback(|| async { WebError::new(StatusCode::NOT_FOUND, "not_found") })
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .layer(axum::middleware::from_fn(csrf_api))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Mudurluk API", description = "JSON API of Mudurluk, the operations platform of a municipal directorate. Errors always have the shape {\"error\": {\"code\", \"message\"}}."),
    paths(instance, setup, login, logout, audit, upload, download),
    components(schemas(ErrorBody, ErrorDetail, InstanceInfo, SetupRequest, UserInfo, LoginRequest, LoginResponse, AuditRecord, AttachmentInfo)),
    tags((name = "instance"), (name = "setup"), (name = "auth"), (name = "audit"), (name = "attachments"))
)]
pub struct ApiDoc;

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// This installation.
#[derive(Serialize, ToSchema)]
pub struct InstanceInfo {
    pub institution_name: String,
    pub directorate_name: String,
    pub version: String,
    /// `sqlite` or `postgres`.
    pub engine: String,
    /// True until the first administrator is created.
    pub needs_setup: bool,
}

#[utoipa::path(get, path = "/api/v1/instance", tag = "instance", responses((status = 200, body = InstanceInfo)))]
async fn instance(State(s): State<AppState>) -> Result<Json<InstanceInfo>, WebError> {
    let o = s.app.overview().await?;
    Ok(Json(InstanceInfo {
        institution_name: o.settings.institution_name,
        directorate_name: o.settings.directorate_name,
        version: crate::VERSION.into(),
        engine: s.app.engine().name().into(),
        needs_setup: o.needs_setup,
    }))
}

/// The first administrator, created with the one-time setup token.
#[derive(Deserialize, ToSchema)]
pub struct SetupRequest {
    pub token: String,
    pub username: String,
    pub display_name: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserInfo {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
}

impl From<store::User> for UserInfo {
    fn from(u: store::User) -> Self {
        UserInfo { id: u.id, username: u.username, display_name: u.display_name, is_admin: u.is_admin }
    }
}

#[utoipa::path(post, path = "/api/v1/setup", tag = "setup", request_body = SetupRequest,
    responses((status = 201, body = UserInfo, description = "Created; the session cookie is set"),
              (status = 422, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn setup(State(s): State<AppState>, ApiJson(r): ApiJson<SetupRequest>) -> Result<Response, WebError> {
    let input = SetupInput {
        token: &r.token,
        username: &r.username,
        display_name: &r.display_name,
        password: &r.password,
        password_confirm: &r.password,
    };
    let (user, session) = s.app.complete_setup(input).await?;
    let mut resp = (StatusCode::CREATED, Json(UserInfo::from(user))).into_response();
    resp.headers_mut().append(header::SET_COOKIE, session_cookie(&session.0, s.cfg.cookie_secure));
    Ok(resp)
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`; valid for the session's life.
    pub token: String,
    pub user: UserInfo,
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse, description = "Signed in; the session cookie is set too"),
              (status = 401, body = ErrorBody, description = "Wrong username or password, or the account is locked (the answer does not say which)")))]
async fn login(State(s): State<AppState>, ApiJson(r): ApiJson<LoginRequest>) -> Result<Response, WebError> {
    match s.app.login(&r.username, &r.password).await {
        Ok((user, session)) => {
            let mut resp = Json(LoginResponse { token: session.0.clone(), user: user.into() }).into_response();
            resp.headers_mut().append(header::SET_COOKIE, session_cookie(&session.0, s.cfg.cookie_secure));
            Ok(resp)
        }
        Err(AppError::Invalid { .. }) => Err(WebError::new(StatusCode::UNAUTHORIZED, "login_failed")),
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "The session has ended"), (status = 401, body = ErrorBody)))]
async fn logout(State(s): State<AppState>, c: CurrentSession) -> Result<Response, WebError> {
    s.app.logout(&c.user, &c.token).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, session_cookie_cleared())]).into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// How many of the newest records (1–500, default 50).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditRecord {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub subject: String,
    pub basis: String,
    pub details: serde_json::Value,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = [AuditRecord]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn audit(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditRecord>>, WebError> {
    let entries = s.app.recent_audit(&u, q.limit.unwrap_or(50)).await?;
    let fmt = &time::format_description::well_known::Rfc3339;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditRecord {
                id: e.id,
                at: e.at.format(fmt).unwrap_or_default(),
                actor: e.actor,
                action: e.action,
                subject: e.subject,
                basis: e.basis,
                details: e.details,
            })
            .collect(),
    ))
}

/// A stored attachment.
#[derive(Serialize, ToSchema)]
pub struct AttachmentInfo {
    /// SHA-256 of the content: the attachment's name.
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
}

#[utoipa::path(post, path = "/api/v1/attachments", tag = "attachments",
    request_body(content = String, content_type = "application/pdf", description = "The file's bytes; Content-Type says what it is (PDF, PNG, JPEG, TIFF, DOCX, ODT, plain text)."),
    responses((status = 201, body = AttachmentInfo), (status = 413, body = ErrorBody, description = "Over the size limit; nothing is stored"),
              (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn upload(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<AttachmentInfo>), WebError> {
    let limit = s.app.max_attachment_bytes();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(AppError::TooLarge { limit }.into());
    }
    let ctype = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("application/octet-stream");
    let rec = s.app.store_attachment(&u, ctype, body.into_data_stream()).await?;
    Ok((StatusCode::CREATED, Json(AttachmentInfo { sha256: rec.sha256, size: rec.size, content_type: rec.content_type })))
}

#[utoipa::path(get, path = "/api/v1/attachments/{sha256}", tag = "attachments",
    params(("sha256" = String, Path, description = "SHA-256 of the attachment")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
              (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn download(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(sha256): ApiPath<String>,
) -> Result<Response, WebError> {
    let (rec, stream) = s.app.attachment(&u, &sha256).await?;
    let headers = [
        (header::CONTENT_TYPE, rec.content_type),
        (header::CONTENT_LENGTH, rec.size.to_string()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", rec.sha256)),
    ];
    Ok((headers, Body::from_stream(stream)).into_response())
}
