//! `/api/v1/policies/…`: versioned policies and their acknowledgements.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::policies::{PolicyInput, PolicyView, VersionInput};

use crate::error::{ErrorBody as E, WebError};
use crate::extract::ApiJson;
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(policies, create))
        .routes(routes!(policy))
        .routes(routes!(publish))
        .routes(routes!(acknowledge))
}

#[utoipa::path(get, path = "/policies", tag = "security",
    responses((status = 200, body = Vec<PolicyView>, description = "Every policy at its current version, with the caller's acknowledgement and the counts"),
              (status = 401, body = E), (status = 403, body = E, description = "An account holding no post")))]
pub async fn policies(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<PolicyView>>, WebError> {
    Ok(Json(s.app.policies(&u).await?))
}

#[utoipa::path(post, path = "/policies", tag = "security", request_body = PolicyInput,
    responses((status = 201, body = PolicyView, description = "The policy with its first version; everyone holding a post must acknowledge it"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (audit_security; manage_kvkk for the retention policy)"),
              (status = 422, body = E, description = "An unknown kind, no text and no file, a file the caller may not attach")))]
pub async fn create(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(input): ApiJson<PolicyInput>,
) -> Result<(StatusCode, Json<PolicyView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.create_policy(&u, &input).await?),
    ))
}

#[utoipa::path(get, path = "/policies/{id}", tag = "security", params(("id" = i64, Path)),
    responses((status = 200, body = PolicyView, description = "The policy, its versions, and (for whoever may publish it) who has not acknowledged"),
              (status = 401, body = E), (status = 404, body = E)))]
pub async fn policy(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<PolicyView>, WebError> {
    Ok(Json(s.app.policy(&u, id).await?))
}

#[utoipa::path(post, path = "/policies/{id}/versions", tag = "security", params(("id" = i64, Path)), request_body = VersionInput,
    responses((status = 201, body = PolicyView, description = "The next version; acknowledgements start afresh"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 422, body = E, description = "No summary of the change, no text and no file")))]
pub async fn publish(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<VersionInput>,
) -> Result<(StatusCode, Json<PolicyView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.publish_policy(&u, id, &input).await?),
    ))
}

#[utoipa::path(post, path = "/policies/{id}/acknowledge", tag = "security", params(("id" = i64, Path)),
    responses((status = 200, body = PolicyView, description = "The current version acknowledged (again: no change)"),
              (status = 401, body = E), (status = 404, body = E)))]
pub async fn acknowledge(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<PolicyView>, WebError> {
    Ok(Json(s.app.acknowledge_policy(&u, id).await?))
}
