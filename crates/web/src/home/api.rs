//! The front door over the API: this installation, the first-run setup,
//! signing in and out.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::setup::SetupInput;
use app::{AppError, User};
use domain::code::Code;

use crate::error::{ErrorBody, WebError};
use crate::extract::ApiJson;
use crate::security::{session_cookie, session_cookie_cleared};
use crate::{AppState, CurrentSession, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(instance))
        .routes(routes!(setup))
        .routes(routes!(login))
        .routes(routes!(begin_totp_before_sign_in))
        .routes(routes!(totp_status, begin_totp))
        .routes(routes!(confirm_totp))
        .routes(routes!(disable_totp))
        .routes(routes!(my_sessions))
        .routes(routes!(end_my_session))
        .routes(routes!(logout))
        .routes(routes!(failed_sign_ins))
}

/// This installation.
#[derive(Serialize, ToSchema)]
pub struct InstanceInfo {
    pub institution_name: String,
    pub directorate_name: String,
    /// The institution's DETSİS number, once set up.
    pub detsis: Option<String>,
    pub version: String,
    /// `sqlite` or `postgres`.
    pub engine: String,
    /// True until the first administrator is created.
    pub needs_setup: bool,
}

#[utoipa::path(get, path = "/instance", tag = "instance", responses((status = 200, body = InstanceInfo)))]
pub async fn instance(State(s): State<AppState>) -> Result<Json<InstanceInfo>, WebError> {
    let o = s.app.overview().await?;
    Ok(Json(InstanceInfo {
        institution_name: o.settings.institution_name,
        directorate_name: o.settings.directorate_name,
        detsis: o.settings.detsis,
        version: crate::VERSION.into(),
        engine: s.app.engine().name().into(),
        needs_setup: o.needs_setup,
    }))
}

/// The institution and the first administrator, created with the
/// one-time setup token.
#[derive(Deserialize, ToSchema)]
pub struct SetupRequest {
    pub token: String,
    pub username: String,
    pub display_name: String,
    pub password: String,
    /// The institution as DETSİS writes it, e.g. "Küçükçekmece Belediye
    /// Başkanlığı" (default: keep the installation's).
    #[serde(default)]
    pub institution_name: String,
    /// Its 8-digit DETSİS number, which every outgoing number carries.
    #[serde(default)]
    pub detsis: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserInfo {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
}

impl From<User> for UserInfo {
    fn from(u: User) -> Self {
        UserInfo {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            is_admin: u.is_admin,
        }
    }
}

#[utoipa::path(post, path = "/setup", tag = "setup", request_body = SetupRequest,
    responses((status = 201, body = UserInfo, description = "Created; the session cookie is set"),
              (status = 422, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn setup(
    State(s): State<AppState>,
    ApiJson(r): ApiJson<SetupRequest>,
) -> Result<Response, WebError> {
    let input = SetupInput {
        token: &r.token,
        username: &r.username,
        display_name: &r.display_name,
        password: &r.password,
        password_confirm: &r.password,
        institution_name: &r.institution_name,
        detsis: &r.detsis,
    };
    let (user, session) = s.app.complete_setup(input).await?;
    let mut resp = (StatusCode::CREATED, Json(UserInfo::from(user))).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(&session.0, s.cfg.cookie_secure),
    );
    Ok(resp)
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The six digits of the authenticator app, when two-factor sign-in
    /// is on (or the first code of a secret begun at `/auth/totp`).
    #[serde(default)]
    pub totp: Option<String>,
    /// One of the recovery codes, instead of `totp`.
    #[serde(default)]
    pub recovery_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`; valid for the session's life.
    pub token: String,
    pub user: UserInfo,
    /// The recovery codes, once, when this sign-in turned two-factor
    /// sign-in on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recovery_codes: Vec<String>,
}

/// The second factor a request carries, if any.
pub(crate) fn second_factor(
    totp: Option<&str>,
    recovery: Option<&str>,
) -> Option<app::totp::SecondFactor> {
    let some = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    match (some(totp), some(recovery)) {
        (Some(c), _) => Some(app::totp::SecondFactor::Code(c)),
        (None, Some(r)) => Some(app::totp::SecondFactor::Recovery(r)),
        _ => None,
    }
}

/// A refusal of the second factor: 401 with its code.
pub(crate) fn second_factor_refusal(e: &AppError) -> Option<Code> {
    match e {
        AppError::Conflict(
            c @ (Code::TotpRequired
            | Code::TotpInvalid
            | Code::TotpUsed
            | Code::TotpEnrolmentRequired),
        ) => Some(*c),
        _ => None,
    }
}

#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse, description = "Signed in; the session cookie is set too"),
              (status = 401, body = ErrorBody, description = "Wrong username or password (the answer does not say which); or the password was right and the second factor is missing (`totp_required`), wrong (`totp_invalid`), already used (`totp_used`), or must be set up first (`totp_enrolment_required`: begin it at `/auth/totp`)"),
              (status = 422, body = ErrorBody, description = "A field holds a control character"),
              (status = 429, body = ErrorBody, description = "Too many failed sign-ins from this address or for this account: wait the `Retry-After` seconds")))]
pub async fn login(
    State(s): State<AppState>,
    crate::extract::ClientAddr(from): crate::extract::ClientAddr,
    headers: axum::http::HeaderMap,
    ApiJson(r): ApiJson<LoginRequest>,
) -> Result<Response, WebError> {
    let second = second_factor(r.totp.as_deref(), r.recovery_code.as_deref());
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match s
        .app
        .login_with(&r.username, &r.password, second.as_ref(), from, agent)
        .await
    {
        Ok((user, session, recovery_codes)) => {
            let mut resp = Json(LoginResponse {
                token: session.0.clone(),
                user: user.into(),
                recovery_codes,
            })
            .into_response();
            resp.headers_mut().append(
                header::SET_COOKIE,
                session_cookie(&session.0, s.cfg.cookie_secure),
            );
            Ok(resp)
        }
        Err(AppError::Invalid { .. }) => {
            Err(WebError::new(StatusCode::UNAUTHORIZED, Code::LoginFailed))
        }
        Err(e) => match second_factor_refusal(&e) {
            Some(code) => Err(WebError::new(StatusCode::UNAUTHORIZED, code)),
            None => Err(e.into()),
        },
    }
}

#[derive(Deserialize, ToSchema)]
pub struct TotpBeginRequest {
    pub username: String,
    pub password: String,
}

#[utoipa::path(post, path = "/auth/totp", tag = "auth", request_body = TotpBeginRequest,
    responses((status = 200, body = app::totp::TotpEnrolment, description = "For one who must sign in with two factors and has not set them up: a secret begun, for the authenticator app. Then sign in with `totp`: its first code turns two-factor sign-in on and returns the recovery codes"),
              (status = 401, body = ErrorBody, description = "Wrong username or password"),
              (status = 409, body = ErrorBody, description = "Not required for this account (`totp_not_required`: turn it on after signing in), or already on"),
              (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody, description = "Too many failed sign-ins: wait the `Retry-After` seconds")))]
pub async fn begin_totp_before_sign_in(
    State(s): State<AppState>,
    crate::extract::ClientAddr(from): crate::extract::ClientAddr,
    ApiJson(r): ApiJson<TotpBeginRequest>,
) -> Result<Json<app::totp::TotpEnrolment>, WebError> {
    match s
        .app
        .begin_totp_before_sign_in(&r.username, &r.password, from)
        .await
    {
        Ok(e) => Ok(Json(e)),
        Err(AppError::Invalid { .. }) => {
            Err(WebError::new(StatusCode::UNAUTHORIZED, Code::LoginFailed))
        }
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(get, path = "/me/totp", tag = "auth",
    responses((status = 200, body = app::totp::TotpStatus, description = "Whether two-factor sign-in is on, compulsory, begun, and the recovery codes left"),
              (status = 401, body = ErrorBody)))]
pub async fn totp_status(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<app::totp::TotpStatus>, WebError> {
    Ok(Json(s.app.totp_status(&u).await?))
}

#[utoipa::path(post, path = "/me/totp", tag = "auth",
    responses((status = 200, body = app::totp::TotpEnrolment, description = "A secret begun (replacing one begun and not confirmed): the Base32 secret, the otpauth link and its QR code"),
              (status = 401, body = ErrorBody), (status = 409, body = ErrorBody, description = "Already on (`totp_already_on`)")))]
pub async fn begin_totp(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<app::totp::TotpEnrolment>, WebError> {
    Ok(Json(s.app.begin_totp(&u).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct TotpCodeRequest {
    /// Six digits from the authenticator app.
    pub code: String,
}

#[utoipa::path(post, path = "/me/totp/confirm", tag = "auth", request_body = TotpCodeRequest,
    responses((status = 200, body = app::totp::RecoveryCodes, description = "On: from now on sign-in asks for a code. The ten recovery codes, shown this once"),
              (status = 401, body = ErrorBody), (status = 409, body = ErrorBody, description = "Nothing begun, or already on"),
              (status = 422, body = ErrorBody, description = "A wrong code (`totp_invalid`)")))]
pub async fn confirm_totp(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<TotpCodeRequest>,
) -> Result<Json<app::totp::RecoveryCodes>, WebError> {
    Ok(Json(s.app.confirm_totp(&u, &r.code).await?))
}

#[utoipa::path(post, path = "/me/totp/disable", tag = "auth", request_body = TotpCodeRequest,
    responses((status = 200, body = app::totp::TotpStatus, description = "Off: the secret and the recovery codes are gone"),
              (status = 401, body = ErrorBody), (status = 409, body = ErrorBody, description = "Not on, or compulsory for this account (`totp_compulsory`)"),
              (status = 422, body = ErrorBody, description = "A wrong or used code")))]
pub async fn disable_totp(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<TotpCodeRequest>,
) -> Result<Json<app::totp::TotpStatus>, WebError> {
    Ok(Json(s.app.disable_totp(&u, &r.code).await?))
}

#[utoipa::path(get, path = "/me/sessions", tag = "auth",
    responses((status = 200, body = Vec<app::accounts::SessionView>, description = "One's sessions still open, the newest first, this one marked `current`: when and where each was opened"),
              (status = 401, body = ErrorBody)))]
pub async fn my_sessions(
    State(s): State<AppState>,
    c: CurrentSession,
) -> Result<Json<Vec<app::accounts::SessionView>>, WebError> {
    Ok(Json(s.app.my_sessions(&c.user, &c.token).await?))
}

#[utoipa::path(post, path = "/me/sessions/{id}/end", tag = "auth", params(("id" = String, Path, description = "The session's id from `/me/sessions`")),
    responses((status = 204, description = "That session has ended"),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody, description = "No such session of one's own")))]
pub async fn end_my_session(
    State(s): State<AppState>,
    c: CurrentSession,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<StatusCode, WebError> {
    s.app.end_my_session(&c.user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204, description = "The session has ended"), (status = 401, body = ErrorBody)))]
pub async fn logout(State(s): State<AppState>, c: CurrentSession) -> Result<Response, WebError> {
    s.app.logout(&c.user, &c.token).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, session_cookie_cleared())],
    )
        .into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FailuresQuery {
    /// At most this many, newest first (default 100, at most 1000).
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/auth/failed-sign-ins", tag = "auth", params(FailuresQuery),
    responses((status = 200, body = [app::accounts::FailedSignIn], description = "Recent failed sign-ins with their source address, newest first"),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "For administrators only")))]
pub async fn failed_sign_ins(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<FailuresQuery>,
) -> Result<Json<Vec<app::accounts::FailedSignIn>>, WebError> {
    Ok(Json(
        s.app.failed_sign_ins(&u, q.limit.unwrap_or(100)).await?,
    ))
}
