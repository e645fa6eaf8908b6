//! The archive (m.22) over the JSON API: files per file-plan code, unit
//! and year; filing documents; closing; legal holds; the transfer, State
//! Archives and expired lists; disposal lists and their approval.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::archive::{ApprovalInput, Disposal, DisposalInput, FileInput, FileView, HoldInput};

use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(files, open_file))
        .routes(routes!(file))
        .routes(routes!(file_document))
        .routes(routes!(close_file))
        .routes(routes!(hold))
        .routes(routes!(pending, dispose))
        .routes(routes!(disposal))
        .routes(routes!(approve))
}

#[utoipa::path(post, path = "/archive/files", tag = "archive", request_body = FileInput,
    responses((status = 201, body = FileView, description = "The file, with the plan's retention and disposal code"),
              (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody, description = "file_exists"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn open_file(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<FileInput>,
) -> Result<(StatusCode, Json<FileView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.open_archive_file(&u, &r).await?),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilesQuery {
    /// `open` (default), `transfer` (the closed files of `year`: the yearly
    /// transfer list), `state_archives` (retention over, bound for the State
    /// Archives), `expired` (retention over, to be disposed of or reviewed).
    pub list: Option<String>,
    pub year: Option<i64>,
}

#[utoipa::path(get, path = "/archive/files", tag = "archive", params(FilesQuery),
    responses((status = 200, body = [FileView]), (status = 422, body = crate::error::ErrorBody)))]
pub async fn files(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<FilesQuery>,
) -> Result<Json<Vec<FileView>>, WebError> {
    Ok(Json(
        s.app
            .archive_files(&u, q.list.as_deref().unwrap_or(""), q.year)
            .await?,
    ))
}

#[utoipa::path(get, path = "/archive/files/{id}", tag = "archive", params(("id" = i64, Path)),
    responses((status = 200, body = FileView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn file(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<FileView>, WebError> {
    Ok(Json(s.app.archive_file(&u, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct FileDocumentInput {
    /// `incoming:ID`, `outgoing:ID` (signed) or `archive:ID`.
    pub doc: String,
}

#[utoipa::path(post, path = "/archive/files/{id}/documents", tag = "archive", params(("id" = i64, Path)), request_body = FileDocumentInput,
    responses((status = 204, description = "Filed"), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "not_completed, file_not_open, file_code_mismatch, file_year_mismatch, already_filed"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn file_document(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<FileDocumentInput>,
) -> Result<StatusCode, WebError> {
    s.app.file_document(&u, id, &r.doc).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/archive/files/{id}/close", tag = "archive", params(("id" = i64, Path)),
    responses((status = 204, description = "Closed: its retention runs"), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn close_file(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, WebError> {
    s.app.close_archive_file(&u, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/archive/files/{id}/hold", tag = "archive", params(("id" = i64, Path)), request_body = HoldInput,
    responses((status = 200, body = FileView, description = "Held (litigation, investigation, audit): never disposed of while it lasts; or lifted"),
              (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn hold(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<HoldInput>,
) -> Result<Json<FileView>, WebError> {
    Ok(Json(s.app.hold_archive_file(&u, id, &r).await?))
}

#[utoipa::path(post, path = "/archive/disposals", tag = "archive", request_body = DisposalInput,
    responses((status = 201, body = Disposal, description = "The commission's list, awaiting the approval of approve_disposal (the Mayor, or whom he delegates; never the proposer)"),
              (status = 403, body = crate::error::ErrorBody, description = "dispose_archive (m.22)"),
              (status = 409, body = crate::error::ErrorBody, description = "retention_not_over, goes_to_state_archives, kept_at_institution, legal_hold, file_not_closed, already_disposed, on_pending_list: nothing listed"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn dispose(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<DisposalInput>,
) -> Result<(StatusCode, Json<Disposal>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.dispose_files(&u, &r).await?),
    ))
}

#[utoipa::path(get, path = "/archive/disposals", tag = "archive",
    responses((status = 200, body = [Disposal], description = "Disposal lists awaiting approval")))]
pub async fn pending(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<Disposal>>, WebError> {
    Ok(Json(s.app.pending_disposals(&u).await?))
}

#[utoipa::path(get, path = "/archive/disposals/{id}", tag = "archive", params(("id" = i64, Path)),
    responses((status = 200, body = Disposal, description = "The decision, its files and the tombstone of each file it disposed of"), (status = 404, body = crate::error::ErrorBody)))]
pub async fn disposal(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Disposal>, WebError> {
    Ok(Json(s.app.disposal(&u, id).await?))
}

#[utoipa::path(post, path = "/archive/disposals/{id}/approval", tag = "archive", params(("id" = i64, Path)),
    responses((status = 200, body = Disposal, description = "Approved and carried out: the files' content destroyed, their tombstones kept"),
              (status = 403, body = crate::error::ErrorBody, description = "approve_disposal (Devlet Arşiv Hizmetleri Yönetmeliği)"),
              (status = 409, body = crate::error::ErrorBody, description = "not_awaiting_approval, own_proposal (another person approves), legal_hold, retention_not_over"),
              (status = 422, body = crate::error::ErrorBody, description = "state_archives_opinion_required")),
    request_body = ApprovalInput)]
pub async fn approve(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<ApprovalInput>,
) -> Result<Json<Disposal>, WebError> {
    Ok(Json(s.app.approve_disposal(&u, id, &r).await?))
}
