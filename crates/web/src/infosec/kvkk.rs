//! `/api/v1/kvkk/…`: data breaches with the Board's 72-hour clock, and the
//! periodic destructions.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::kvkk::{
    BreachInput, BreachView, DestructionInput, DestructionSchedule, DestructionView, NoticeInput,
    SubjectRequest,
};

use app::kvkk_inventory::{InventoryView, ProcessInput, ProcessView};

use crate::error::{ErrorBody as E, WebError};
use crate::extract::{ApiJson, ApiQuery};
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(breaches, record_breach))
        .routes(routes!(notified))
        .routes(routes!(destructions, record_destruction))
        .routes(routes!(schedule))
        .routes(routes!(inventory, record_process))
        .routes(routes!(subject_requests))
        .routes(routes!(process, update_process, retire_process))
}

#[derive(serde::Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct InventoryQuery {
    /// `json` (default), `xlsx` or `pdf`.
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/kvkk/inventory", tag = "security", params(InventoryQuery),
    responses((status = 200, body = InventoryView, description = "The processing inventory (VERBİS): each activity with its data, subjects, purpose, ground (m.5, m.6/3), retention, recipients, transfer abroad (m.9) and measures; `?format=xlsx` or `pdf` for the file"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (manage_kvkk)"),
              (status = 422, body = E, description = "A format other than json, xlsx or pdf")))]
pub async fn inventory(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<InventoryQuery>,
) -> Result<Response, WebError> {
    let v = s.app.kvkk_inventory(&u).await?;
    let file = |bytes: Vec<u8>, kind: &str, ext: &str, inline: bool| {
        (
            [
                (header::CONTENT_TYPE, kind.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "{}; filename=\"kisisel-veri-envanteri.{ext}\"",
                        if inline { "inline" } else { "attachment" }
                    ),
                ),
            ],
            bytes,
        )
            .into_response()
    };
    match q.format.as_deref().map(str::trim).unwrap_or("json") {
        "" | "json" => Ok(Json(v).into_response()),
        "xlsx" => Ok(file(
            s.app.inventory_xlsx(&v)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            false,
        )),
        "pdf" => Ok(file(
            s.app.inventory_pdf(&v).await?,
            "application/pdf",
            "pdf",
            true,
        )),
        _ => Err(app::AppError::invalid("format", domain::code::Code::OutOfRange).into()),
    }
}

#[utoipa::path(post, path = "/kvkk/inventory", tag = "security", request_body = ProcessInput,
    responses((status = 201, body = ProcessView, description = "The activity added to the inventory"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (manage_kvkk)"),
              (status = 422, body = E, description = "A missing name, purpose, data, subjects or retention; no ground, or one 6698 does not have (`bad_kvkk_basis`); a transfer abroad without where to")))]
pub async fn record_process(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(input): ApiJson<ProcessInput>,
) -> Result<(StatusCode, Json<ProcessView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.record_process(&u, &input).await?),
    ))
}

#[utoipa::path(get, path = "/kvkk/inventory/{id}", tag = "security", params(("id" = i64, Path)),
    responses((status = 200, body = ProcessView), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn process(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<ProcessView>, WebError> {
    Ok(Json(s.app.kvkk_process(&u, id).await?))
}

#[utoipa::path(put, path = "/kvkk/inventory/{id}", tag = "security", params(("id" = i64, Path)), request_body = ProcessInput,
    responses((status = 200, body = ProcessView, description = "The record replaced; the audit trail keeps the change"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E), (status = 422, body = E)))]
pub async fn update_process(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ProcessInput>,
) -> Result<Json<ProcessView>, WebError> {
    Ok(Json(s.app.update_process(&u, id, &input).await?))
}

#[utoipa::path(delete, path = "/kvkk/inventory/{id}", tag = "security", params(("id" = i64, Path)),
    responses((status = 204, description = "Out of the inventory (no longer carried out); the record stays in the audit trail"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn retire_process(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
) -> Result<StatusCode, WebError> {
    s.app.retire_process(&u, id).await?;
    Ok(StatusCode::NO_CONTENT)
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

#[utoipa::path(get, path = "/kvkk/requests", tag = "security",
    responses((status = 200, body = Vec<SubjectRequest>, description = "The data subjects' applications (6698 m.13): the incoming documents registered on the `kvkk` basis, 30 days each, open ones first"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (manage_kvkk)")))]
pub async fn subject_requests(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<SubjectRequest>>, WebError> {
    Ok(Json(s.app.subject_requests(&u).await?))
}
