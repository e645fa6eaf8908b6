//! The JSON API under `/api/v1`. Its OpenAPI 3 document is generated from
//! these handlers' annotations and served at `/api/v1/openapi.json`.
//! Malformed bodies and queries are answered 4xx in the one error shape.

use axum::body::Body;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use app::people::{AccountInput, DelegationInput, DeputyshipInput, HeldAuthority};
use app::setup::SetupInput;
use app::AppError;
use domain::authority::Basis;
use store::people::{AuditFilter, DelegationRow, DeputyshipRow};

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
        .route("/me/authorities", get(my_authorities))
        .route("/delegations", get(list_delegations).post(create_delegation))
        .route("/delegations/{id}", delete(revoke_delegation))
        .route("/deputyships", get(list_deputyships).post(create_deputyship))
        .route("/deputyships/{id}", delete(revoke_deputyship))
        .route("/people", get(people))
        .route("/people/{id}", get(person))
        .route("/org", get(org))
        .route("/accounts", post(create_account))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", delete(revoke_token))
        .route("/attachments", post(upload).layer(DefaultBodyLimit::disable()))
        .route("/attachments/{sha256}", get(download))
        .route("/openapi.json", get(openapi))
        .merge(crate::correspondence::api_routes())
        .merge(crate::search::api_routes())
        .merge(crate::outgoing::api_routes())
        .merge(crate::archive::api_routes())
        .fallback(|| async { WebError::new(StatusCode::NOT_FOUND, "not_found") })
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .layer(axum::middleware::from_fn(csrf_api))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Mudurluk API", description = "JSON API of Mudurluk, the operations platform of a municipal directorate. Errors always have the shape {\"error\": {\"code\", \"message\"}}."),
    paths(instance, setup, login, logout, audit, upload, download, my_authorities, list_delegations, create_delegation,
        revoke_delegation, list_deputyships, create_deputyship, revoke_deputyship, people, person, org, create_account,
        list_tokens, create_token, revoke_token, crate::correspondence::deadline, crate::correspondence::calendar_days,
        crate::correspondence::set_calendar_day, crate::correspondence::clear_calendar_day, crate::correspondence::register,
        crate::correspondence::incoming, crate::correspondence::route, crate::correspondence::deliver, crate::correspondence::close,
        crate::correspondence::tray, crate::correspondence::due_list, crate::correspondence::book, crate::correspondence::receipt,
        crate::correspondence::send_digest, crate::correspondence::extend, crate::search::search, crate::search::archive_item,
        crate::search::import_scan, crate::outgoing::draft, crate::outgoing::letters, crate::outgoing::letter, crate::outgoing::edit,
        crate::outgoing::decide, crate::outgoing::hash, crate::outgoing::pdf, crate::outgoing::book, crate::outgoing::courier_list, crate::outgoing::dispatch,
        crate::archive::open_file, crate::archive::files, crate::archive::file, crate::archive::file_document, crate::archive::close_file, crate::archive::dispose, crate::archive::disposal, crate::outgoing::add_signature, crate::outgoing::reply_draft),
    components(schemas(ErrorBody, ErrorDetail, InstanceInfo, SetupRequest, UserInfo, LoginRequest, LoginResponse, AuditRecord,
        AttachmentInfo, AuthorityHeld, BasisInfo, DelegationInput, DelegationInfo, DeputyshipInput, DeputyshipInfo, Created,
        AccountInput, TokenRequest, TokenCreated, TokenInfo, crate::correspondence::DeadlineAnswer,
        crate::correspondence::CalendarDayInput, crate::correspondence::Ids, app::correspondence::RegisterInput,
        app::correspondence::RouteInput, app::correspondence::RouteTarget, app::correspondence::CloseInput, app::digest::DigestReport, crate::correspondence::ExtensionInput,
        crate::correspondence::ExtensionAnswer, crate::search::SearchAnswer, crate::search::Hit, crate::search::ArchiveItemAnswer,
        crate::search::ScanAnswer, app::outgoing::LetterInput, app::outgoing::RecipientInput, app::outgoing::RefInput,
        app::outgoing::DecisionInput, crate::outgoing::HashAnswer, crate::outgoing::DispatchInput,
        app::archive::FileInput, app::archive::DisposalInput, crate::archive::FileDocumentInput, crate::archive::DisposalAnswer)),
    tags((name = "instance"), (name = "setup"), (name = "auth"), (name = "audit"), (name = "attachments"),
        (name = "authority", description = "Who may do what, on which article's basis: delegations (m.10/4) and deputyships (m.12/2)"),
        (name = "people", description = "Staff records and the organisation chart; reading a record is audited (KVKK)"),
        (name = "correspondence", description = "Incoming correspondence: register, route (havale), take delivery (zimmet), close; legal deadlines on the Turkish working calendar"),
        (name = "outgoing", description = "Outgoing letters: draft, initial (paraf), sign (imza) along the chain of m.15/3 and m.20/2-3; number and date at the signature (m.21/2); the e-imza slot"),
        (name = "archive", description = "The archive (m.22): files per Standard File Plan code, unit and year; retention from the plan; the transfer and expired lists; disposal by the commission's decision, leaving tombstones"),
        (name = "search", description = "Turkish-aware, OCR-tolerant search over what the searcher may see; the digital archive of scanned paper (m.8/19, m.16/2-a)"))
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
    /// How many of the newest matching records (1–500, default 50).
    pub limit: Option<i64>,
    /// Username of the actor.
    pub actor: Option<String>,
    /// Start of the action, e.g. `delegation.` or `staff.viewed`.
    pub action: Option<String>,
    /// Text anywhere in the subject, e.g. `staff:3`.
    pub subject: Option<String>,
    /// RFC 3339 instant: records at or after it.
    pub from: Option<String>,
    /// RFC 3339 instant: records before it.
    pub until: Option<String>,
}

impl AuditQuery {
    pub fn filter(&self) -> Result<AuditFilter, AppError> {
        fn opt(s: &Option<String>) -> Option<String> {
            s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
        }
        let instant = |field, s: &Option<String>| opt(s).map(|v| app::people::parse_instant(field, &v)).transpose();
        Ok(AuditFilter {
            actor: opt(&self.actor),
            action: opt(&self.action),
            subject: opt(&self.subject),
            from: instant("from", &self.from)?,
            until: instant("until", &self.until)?,
            limit: self.limit.unwrap_or(50),
        })
    }
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
    let entries = s.app.audit_search(&u, q.filter()?).await?;
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

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// Why an authority is held.
#[derive(Serialize, ToSchema)]
pub struct BasisInfo {
    /// `position`, `delegation` or `deputyship`.
    pub kind: &'static str,
    /// The article it rests on, e.g. `m.20/1` (m.10/4 for a delegation,
    /// m.12/2 for a deputyship, after the authority's own article).
    pub article: String,
    /// The position held (or stood in for, in a deputyship).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// The delegation's or deputyship's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval_ref: Option<String>,
}

impl From<Basis> for BasisInfo {
    fn from(b: Basis) -> Self {
        match b {
            Basis::Position { position, article } => BasisInfo {
                kind: "position", article, position: Some(position), id: None, from: None, until: None, approval_ref: None,
            },
            Basis::Delegation { id, period, approval_ref, article, .. } => BasisInfo {
                kind: "delegation", article, position: None, id: Some(id), from: Some(rfc3339(period.from)),
                until: Some(rfc3339(period.until)), approval_ref: Some(approval_ref),
            },
            Basis::Deputyship { id, position, period, approval_ref, article, .. } => BasisInfo {
                kind: "deputyship", article, position: Some(position), id: Some(id), from: Some(rfc3339(period.from)),
                until: Some(rfc3339(period.until)), approval_ref: Some(approval_ref),
            },
        }
    }
}

/// An authority the caller holds now.
#[derive(Serialize, ToSchema)]
pub struct AuthorityHeld {
    /// The authority's id in the profile, e.g. `route_incoming`.
    pub authority: String,
    pub name: String,
    /// The article that defines it, e.g. `m.20/1-c, m.21/1`.
    pub article: String,
    pub basis: BasisInfo,
}

impl From<HeldAuthority> for AuthorityHeld {
    fn from(h: HeldAuthority) -> Self {
        AuthorityHeld { authority: h.authority, name: h.name, article: h.article, basis: h.basis.into() }
    }
}

#[utoipa::path(get, path = "/api/v1/me/authorities", tag = "authority",
    responses((status = 200, body = [AuthorityHeld], description = "Each authority the caller holds now, with its basis"),
              (status = 401, body = ErrorBody)))]
async fn my_authorities(State(s): State<AppState>, SignedIn(u): SignedIn) -> Result<Json<Vec<AuthorityHeld>>, WebError> {
    Ok(Json(s.app.my_authorities(&u).await?.into_iter().map(Into::into).collect()))
}

/// The id of what was created.
#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// A delegation (m.10/4).
#[derive(Serialize, ToSchema)]
pub struct DelegationInfo {
    pub id: i64,
    /// Username of the giver.
    pub by: String,
    /// Username of the receiver.
    pub to: String,
    pub authority: String,
    pub from: String,
    pub until: String,
    pub approval_ref: String,
    pub revoked_at: Option<String>,
}

impl From<DelegationRow> for DelegationInfo {
    fn from(r: DelegationRow) -> Self {
        let d = r.delegation;
        DelegationInfo {
            id: d.id,
            by: r.from,
            to: r.to,
            authority: d.authority,
            from: rfc3339(d.period.from),
            until: rfc3339(d.period.until),
            approval_ref: d.approval_ref,
            revoked_at: d.revoked_at.map(rfc3339),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/delegations", tag = "authority",
    responses((status = 200, body = [DelegationInfo]), (status = 401, body = ErrorBody)))]
async fn list_delegations(State(s): State<AppState>, SignedIn(_u): SignedIn) -> Result<Json<Vec<DelegationInfo>>, WebError> {
    Ok(Json(s.app.delegations().await?.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/delegations", tag = "authority", request_body = DelegationInput,
    responses((status = 201, body = Created), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "The caller does not hold the authority, or may not delegate"),
              (status = 422, body = ErrorBody)))]
async fn create_delegation(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<DelegationInput>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = s.app.create_delegation(&u, &r).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(delete, path = "/api/v1/delegations/{id}", tag = "authority", params(("id" = i64, Path)),
    responses((status = 204, description = "Revoked: it stops granting at once"), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn revoke_delegation(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<StatusCode, WebError> {
    s.app.revoke_delegation(&u, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A deputyship (vekalet, m.12/2).
#[derive(Serialize, ToSchema)]
pub struct DeputyshipInfo {
    pub id: i64,
    /// Username of the deputy.
    pub deputy: String,
    /// Username of the person stood in for.
    #[serde(rename = "for")]
    pub for_user: String,
    pub from: String,
    pub until: String,
    pub approval_ref: String,
    pub revoked_at: Option<String>,
}

impl From<DeputyshipRow> for DeputyshipInfo {
    fn from(r: DeputyshipRow) -> Self {
        let d = r.deputyship;
        DeputyshipInfo {
            id: d.id,
            deputy: r.deputy_username,
            for_user: r.for_username,
            from: rfc3339(d.period.from),
            until: rfc3339(d.period.until),
            approval_ref: d.approval_ref,
            revoked_at: d.revoked_at.map(rfc3339),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/deputyships", tag = "authority",
    responses((status = 200, body = [DeputyshipInfo]), (status = 401, body = ErrorBody)))]
async fn list_deputyships(State(s): State<AppState>, SignedIn(_u): SignedIn) -> Result<Json<Vec<DeputyshipInfo>>, WebError> {
    Ok(Json(s.app.deputyships().await?.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/deputyships", tag = "authority", request_body = DeputyshipInput,
    responses((status = 201, body = Created), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "The caller may not approve deputyships (the Mayor's olur)"),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_deputyship(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<DeputyshipInput>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = s.app.create_deputyship(&u, &r).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(delete, path = "/api/v1/deputyships/{id}", tag = "authority", params(("id" = i64, Path)),
    responses((status = 204, description = "Revoked: it stops granting at once"), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn revoke_deputyship(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<StatusCode, WebError> {
    s.app.revoke_deputyship(&u, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/people", tag = "people",
    responses((status = 200, body = Object, description = "The staff directory, without TC numbers"), (status = 401, body = ErrorBody)))]
async fn people(State(s): State<AppState>, SignedIn(u): SignedIn) -> Result<Json<Vec<store::people::Staff>>, WebError> {
    Ok(Json(s.app.people(&u).await?))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = Object, description = "One staff record; the TC number is masked unless the caller is the person, an administrator or the disciplinary superior. The read is audited."),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn person(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<app::people::StaffView>, WebError> {
    Ok(Json(s.app.person(&u, id).await?))
}

#[utoipa::path(get, path = "/api/v1/org", tag = "people",
    responses((status = 200, body = Object, description = "The organisation chart from the profile, with today's holders, deputyships and delegations"),
              (status = 401, body = ErrorBody)))]
async fn org(State(s): State<AppState>, SignedIn(_u): SignedIn) -> Result<Json<app::people::OrgChart>, WebError> {
    Ok(Json(s.app.org_chart().await?))
}

#[utoipa::path(post, path = "/api/v1/accounts", tag = "people", request_body = AccountInput,
    responses((status = 201, body = UserInfo), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "Administrators only"), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_account(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<AccountInput>,
) -> Result<(StatusCode, Json<UserInfo>), WebError> {
    let user = s.app.create_account(&u, &r).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// What the token is for, e.g. `yedekleme betiği`.
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    pub id: i64,
    /// Shown this once; only its hash is kept. Send as `Authorization: Bearer <token>`.
    pub token: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "auth",
    responses((status = 200, body = [TokenInfo], description = "The caller's personal API tokens (never the tokens themselves)"),
              (status = 401, body = ErrorBody)))]
async fn list_tokens(State(s): State<AppState>, SignedIn(u): SignedIn) -> Result<Json<Vec<TokenInfo>>, WebError> {
    Ok(Json(
        s.app
            .api_tokens(&u)
            .await?
            .into_iter()
            .map(|t| TokenInfo { id: t.id, name: t.name, created_at: rfc3339(t.created_at), revoked_at: t.revoked_at.map(rfc3339) })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/tokens", tag = "auth", request_body = TokenRequest,
    responses((status = 201, body = TokenCreated), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_token(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<TokenCreated>), WebError> {
    let (id, token) = s.app.create_api_token(&u, &r.name).await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { id, token })))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "auth", params(("id" = i64, Path)),
    responses((status = 204, description = "Revoked: the token no longer works"), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn revoke_token(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<StatusCode, WebError> {
    s.app.revoke_api_token(&u, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
