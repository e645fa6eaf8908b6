//! `/api/v1/kvkk/…`: data breaches with the Board's 72-hour clock, and the
//! periodic destructions.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::kvkk::{
    BreachInput, BreachView, DestructionInput, DestructionSchedule, DestructionView, NoticeInput,
};

use crate::error::{ErrorBody as E, WebError};
use crate::extract::ApiJson;
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(breaches, record_breach))
        .routes(routes!(notified))
        .routes(routes!(destructions, record_destruction))
        .routes(routes!(schedule))
}

#[utoipa::path(get, path = "/kvkk/breaches", tag = "security",
    responses((status = 200, body = Vec<BreachView>, description = "The breaches, the newest first, each with its Board clock"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (manage_kvkk)")))]
pub async fn breaches(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<BreachView>>, WebError> {
    Ok(Json(s.app.breaches(&u).await?))
}

#[utoipa::path(post, path = "/kvkk/breaches", tag = "security", request_body = BreachInput,
    responses((status = 201, body = BreachView, description = "Recorded: the Board must be told by `notify_board_by`, 72 clock hours after the discovery (6698 m.12/5; the Board's decision 2019/10)"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (manage_kvkk)"),
              (status = 422, body = E, description = "A discovery in the future (`date_in_future`), an occurrence after it, a missing summary")))]
pub async fn record_breach(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(input): ApiJson<BreachInput>,
) -> Result<(StatusCode, Json<BreachView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.record_breach(&u, &input).await?),
    ))
}

#[utoipa::path(post, path = "/kvkk/breaches/{id}/notices", tag = "security", request_body = NoticeInput, params(("id" = i64, Path)),
    responses((status = 200, body = BreachView, description = "The Board's or the people's notice recorded; the clock stops with the Board's"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 409, body = E, description = "Already recorded (`already_notified`)"),
              (status = 422, body = E, description = "A notice before the discovery or in the future")))]
pub async fn notified(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<NoticeInput>,
) -> Result<Json<BreachView>, WebError> {
    Ok(Json(s.app.breach_notified(&u, id, &input).await?))
}

#[utoipa::path(get, path = "/kvkk/destructions", tag = "security",
    responses((status = 200, body = Vec<DestructionView>, description = "The periodic destructions, the newest first: what, how, by whom"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (manage_kvkk)")))]
pub async fn destructions(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<DestructionView>>, WebError> {
    Ok(Json(s.app.destructions(&u).await?))
}

#[utoipa::path(post, path = "/kvkk/destructions", tag = "security", request_body = DestructionInput,
    responses((status = 201, body = DestructionView, description = "The destruction's record (tutanak)"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (manage_kvkk)"),
              (status = 422, body = E, description = "No items, a method other than delete, destroy or anonymise, a day in the future")))]
pub async fn record_destruction(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(input): ApiJson<DestructionInput>,
) -> Result<(StatusCode, Json<DestructionView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.record_destruction(&u, &input).await?),
    ))
}

#[utoipa::path(get, path = "/kvkk/destruction-schedule", tag = "security",
    responses((status = 200, body = DestructionSchedule, description = "The last periodic destruction and when the next is due (six months at most: the regulation's m.11/2)"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (manage_kvkk)")))]
pub async fn schedule(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<DestructionSchedule>, WebError> {
    Ok(Json(s.app.destruction_schedule(&u).await?))
}
