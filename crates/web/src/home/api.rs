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
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`; valid for the session's life.
    pub token: String,
    pub user: UserInfo,
}

#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse, description = "Signed in; the session cookie is set too"),
              (status = 401, body = ErrorBody, description = "Wrong username or password (the answer does not say which)"),
              (status = 422, body = ErrorBody, description = "A field holds a control character"),
              (status = 429, body = ErrorBody, description = "Too many failed sign-ins from this address or for this account: wait the `Retry-After` seconds")))]
pub async fn login(
    State(s): State<AppState>,
    crate::extract::ClientAddr(from): crate::extract::ClientAddr,
    ApiJson(r): ApiJson<LoginRequest>,
) -> Result<Response, WebError> {
    match s.app.login(&r.username, &r.password, from).await {
        Ok((user, session)) => {
            let mut resp = Json(LoginResponse {
                token: session.0.clone(),
                user: user.into(),
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
        Err(e) => Err(e.into()),
    }
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
