//! `/api/v1/security/incidents/…`: the response team's incidents.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::incidents::{
    IncidentCloseInput, IncidentInput, IncidentStepInput, IncidentView, LinkInput,
};

use crate::error::{ErrorBody as E, WebError};
use crate::extract::ApiJson;
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(incidents, record))
        .routes(routes!(incident))
        .routes(routes!(action))
        .routes(routes!(close))
        .routes(routes!(link))
}

#[utoipa::path(post, path = "/security/incidents/{id}/links", tag = "security", params(("id" = i64, Path)), request_body = LinkInput,
    responses((status = 200, body = IncidentView, description = "Linked to the request or task (again: no change)"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 422, body = E, description = "Neither or both of request and task, or one the caller cannot see (`not_found`)")))]
pub async fn link(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<LinkInput>,
) -> Result<Json<IncidentView>, WebError> {
    Ok(Json(s.app.link_incident(&u, id, &input).await?))
}

#[utoipa::path(get, path = "/security/incidents", tag = "security",
    responses((status = 200, body = Vec<IncidentView>, description = "The incidents, the newest first"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (respond_incidents)")))]
pub async fn incidents(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<IncidentView>>, WebError> {
    Ok(Json(s.app.incidents(&u).await?))
}

#[utoipa::path(post, path = "/security/incidents", tag = "security", request_body = IncidentInput,
    responses((status = 201, body = IncidentView, description = "Recorded; with personal data, its KVKK breach too (`breach_id`), whose 72-hour clock starts at the detection"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (respond_incidents)"),
              (status = 422, body = E, description = "A detection in the future, a severity other than low, medium, high or critical, a missing title")))]
pub async fn record(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(input): ApiJson<IncidentInput>,
) -> Result<(StatusCode, Json<IncidentView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.record_incident(&u, &input).await?),
    ))
}

#[utoipa::path(get, path = "/security/incidents/{id}", tag = "security", params(("id" = i64, Path)),
    responses((status = 200, body = IncidentView, description = "The incident with its timeline"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn incident(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<IncidentView>, WebError> {
    Ok(Json(s.app.incident(&u, id).await?))
}

#[utoipa::path(post, path = "/security/incidents/{id}/actions", tag = "security", request_body = IncidentStepInput, params(("id" = i64, Path)),
    responses((status = 200, body = IncidentView, description = "The step added to the timeline; a notice to the KVKK Board also stops the breach's clock"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 409, body = E, description = "The incident is closed"),
              (status = 422, body = E, description = "An unknown kind, a notice without its recipient, a time before the detection or in the future")))]
pub async fn action(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<IncidentStepInput>,
) -> Result<Json<IncidentView>, WebError> {
    Ok(Json(s.app.incident_action(&u, id, &input).await?))
}

#[utoipa::path(post, path = "/security/incidents/{id}/close", tag = "security", request_body = IncidentCloseInput, params(("id" = i64, Path)),
    responses((status = 200, body = IncidentView, description = "Closed with its lessons learned"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 409, body = E, description = "Already closed"), (status = 422, body = E, description = "No lessons")))]
pub async fn close(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<IncidentCloseInput>,
) -> Result<Json<IncidentView>, WebError> {
    Ok(Json(s.app.close_incident(&u, id, &input).await?))
}
