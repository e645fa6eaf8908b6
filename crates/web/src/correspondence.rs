//! Incoming correspondence over the JSON API: the deadline calculator,
//! registering, one document, routing, delivery, closing, the tray and the
//! deadline list, and the calendar's edits. Mounted under `/api/v1` by
//! `api::router` (same layers, same error shape).

use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{extract::State, Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::correspondence::{CloseInput, RegisterInput, RouteInput};
use domain::calendar::SpecialDay;

use crate::api::{ApiJson, ApiPath, ApiQuery};
use crate::error::WebError;
use crate::{AppState, SignedIn};

pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/calendar/deadline", get(deadline))
        .route("/calendar/days", get(calendar_days))
        .route("/calendar/days/{day}", put(set_calendar_day).delete(clear_calendar_day))
        .route("/incoming", post(register))
        .route("/incoming/due", get(due_list))
        .route("/incoming/{id}", get(incoming))
        .route("/incoming/{id}/routings", post(route))
        .route("/incoming/{id}/delivery", post(deliver))
        .route("/incoming/{id}/close", post(close))
        .route("/tray", get(tray))
}

#[derive(Deserialize, IntoParams)]
pub struct DeadlineQuery {
    /// Date of receipt, YYYY-MM-DD (not counted).
    pub received: Option<String>,
    /// `dilekce`, `bilgi_edinme`, `bilgi_edinme_uzatma`, `kvkk`, `days:N`,
    /// `workdays:N`, `gunlu:YYYY-MM-DD`.
    pub basis: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DeadlineAnswer {
    /// The answer deadline, YYYY-MM-DD.
    pub due: String,
    pub received: String,
    pub basis: String,
    /// The law and period, in Turkish.
    pub basis_description: String,
}

#[utoipa::path(get, path = "/api/v1/calendar/deadline", tag = "correspondence", params(DeadlineQuery),
    responses((status = 200, body = DeadlineAnswer), (status = 401, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn deadline(State(s): State<AppState>, SignedIn(_u): SignedIn, ApiQuery(q): ApiQuery<DeadlineQuery>) -> Result<Json<DeadlineAnswer>, WebError> {
    let received = q.received.unwrap_or_default();
    let (due, basis) = s.app.deadline(&received, q.basis.as_deref().unwrap_or("")).await?;
    Ok(Json(DeadlineAnswer { due: due.to_string(), received: received.trim().to_owned(), basis: basis.code(), basis_description: basis.description_tr() }))
}

#[utoipa::path(get, path = "/api/v1/calendar/days", tag = "correspondence",
    responses((status = 200, body = Object, description = "The administrator's edits of the calendar (idari izin days and corrections)"),
              (status = 401, body = crate::error::ErrorBody)))]
pub async fn calendar_days(State(s): State<AppState>, SignedIn(_u): SignedIn) -> Result<Json<Vec<SpecialDay>>, WebError> {
    Ok(Json(s.app.calendar_edits().await?))
}

#[derive(Deserialize, ToSchema)]
pub struct CalendarDayInput {
    /// `holiday`, `half_day`, `admin_leave` (idari izin) or `working`.
    pub kind: String,
    pub name: String,
}

#[utoipa::path(put, path = "/api/v1/calendar/days/{day}", tag = "correspondence", params(("day" = String, Path, description = "YYYY-MM-DD")),
    request_body = CalendarDayInput,
    responses((status = 204, description = "Deadlines computed from now on use it"), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_calendar_day(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(day): ApiPath<String>,
    ApiJson(r): ApiJson<CalendarDayInput>,
) -> Result<StatusCode, WebError> {
    if r.kind.trim().is_empty() {
        return Err(app::AppError::invalid("kind", "required").into());
    }
    s.app.set_calendar_day(&u, &day, &r.kind, &r.name).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/calendar/days/{day}", tag = "correspondence", params(("day" = String, Path)),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn clear_calendar_day(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(day): ApiPath<String>) -> Result<StatusCode, WebError> {
    s.app.set_calendar_day(&u, &day, "", "").await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/incoming", tag = "correspondence", request_body = RegisterInput,
    responses((status = 201, body = Object, description = "Registered: the document with its number and due date"),
              (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "Registering is the Kalem's (register_correspondence, m.16/1)"),
              (status = 422, body = crate::error::ErrorBody, description = "A field is wrong; nothing was saved")))]
pub async fn register(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<RegisterInput>,
) -> Result<(StatusCode, Json<store::correspondence::Incoming>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.register_incoming(&u, &r).await?)))
}

#[utoipa::path(get, path = "/api/v1/incoming/{id}", tag = "correspondence", params(("id" = i64, Path)),
    responses((status = 200, body = Object), (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody, description = "No such document, or one the caller may not see")))]
pub async fn incoming(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<store::correspondence::Incoming>, WebError> {
    Ok(Json(s.app.incoming(&u, id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Ids {
    pub routings: Vec<i64>,
}

#[utoipa::path(post, path = "/api/v1/incoming/{id}/routings", tag = "correspondence", params(("id" = i64, Path)), request_body = RouteInput,
    responses((status = 201, body = Ids), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "Missing route_incoming (m.20/1-b)"),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn route(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<RouteInput>,
) -> Result<(StatusCode, Json<Ids>), WebError> {
    Ok((StatusCode::CREATED, Json(Ids { routings: s.app.route_incoming(&u, id, &r).await? })))
}

#[utoipa::path(post, path = "/api/v1/incoming/{id}/delivery", tag = "correspondence", params(("id" = i64, Path)),
    responses((status = 200, body = Ids, description = "Custody taken of these routings"), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn deliver(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<Json<Ids>, WebError> {
    Ok(Json(Ids { routings: s.app.take_delivery(&u, id).await? }))
}

#[utoipa::path(post, path = "/api/v1/incoming/{id}/close", tag = "correspondence", params(("id" = i64, Path)), request_body = CloseInput,
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn close(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<CloseInput>,
) -> Result<StatusCode, WebError> {
    s.app.close_incoming(&u, id, &r).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/tray", tag = "correspondence",
    responses((status = 200, body = Object, description = "What waits for the caller: to route, to take into custody, to act on"),
              (status = 401, body = crate::error::ErrorBody)))]
pub async fn tray(State(s): State<AppState>, SignedIn(u): SignedIn) -> Result<Json<Vec<app::correspondence::TrayLine>>, WebError> {
    Ok(Json(s.app.tray(&u).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct DueQuery {
    /// One unit of the profile, e.g. `bt`.
    pub unit: Option<String>,
    /// One person's username.
    pub user: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/incoming/due", tag = "correspondence", params(DueQuery),
    responses((status = 200, body = Object, description = "Overdue and due-soon documents"), (status = 401, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn due_list(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<DueQuery>,
) -> Result<Json<Vec<app::correspondence::TrayLine>>, WebError> {
    let unit = q.unit.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let user = q.user.as_deref().map(str::trim).filter(|s| !s.is_empty());
    Ok(Json(s.app.due_list(&u, unit, user).await?))
}
