//! The archive (m.22) over the JSON API: files per file-plan code, unit
//! and year; filing documents; closing; the transfer and expired lists;
//! disposals. Mounted under `/api/v1` by `api::router`.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{extract::State, Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::archive::{DisposalInput, FileInput};
use store::archive::ArchiveFile;

use crate::api::{ApiJson, ApiPath, ApiQuery};
use crate::error::WebError;
use crate::{AppState, SignedIn};

pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/archive/files", get(files).post(open_file))
        .route("/archive/files/{id}", get(file))
        .route("/archive/files/{id}/documents", post(file_document))
        .route("/archive/files/{id}/close", post(close_file))
        .route("/archive/disposals", post(dispose))
}

#[utoipa::path(post, path = "/api/v1/archive/files", tag = "archive", request_body = FileInput,
    responses((status = 201, body = Object, description = "The file, with the plan's retention and disposal code"),
              (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody, description = "file_exists"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn open_file(State(s): State<AppState>, SignedIn(u): SignedIn, ApiJson(r): ApiJson<FileInput>) -> Result<(StatusCode, Json<ArchiveFile>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.open_archive_file(&u, &r).await?)))
}

#[derive(Deserialize, IntoParams)]
pub struct FilesQuery {
    /// `open` (default), `transfer` (the closed files of `year`: the yearly transfer list), `expired` (past their retention).
    pub list: Option<String>,
    pub year: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/archive/files", tag = "archive", params(FilesQuery),
    responses((status = 200, body = Object), (status = 422, body = crate::error::ErrorBody)))]
pub async fn files(State(s): State<AppState>, SignedIn(_u): SignedIn, ApiQuery(q): ApiQuery<FilesQuery>) -> Result<Json<Vec<ArchiveFile>>, WebError> {
    Ok(Json(s.app.archive_files(q.list.as_deref().unwrap_or(""), q.year).await?))
}

#[utoipa::path(get, path = "/api/v1/archive/files/{id}", tag = "archive", params(("id" = i64, Path)),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn file(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<Json<ArchiveFile>, WebError> {
    Ok(Json(s.app.archive_file(&u, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct FileDocumentInput {
    /// `incoming:ID`, `outgoing:ID` (signed) or `archive:ID`.
    pub doc: String,
}

#[utoipa::path(post, path = "/api/v1/archive/files/{id}/documents", tag = "archive", params(("id" = i64, Path)), request_body = FileDocumentInput,
    responses((status = 204, description = "Filed"), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "file_not_open, file_code_mismatch, already_filed"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn file_document(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>, ApiJson(r): ApiJson<FileDocumentInput>) -> Result<StatusCode, WebError> {
    s.app.file_document(&u, id, &r.doc).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/archive/files/{id}/close", tag = "archive", params(("id" = i64, Path)),
    responses((status = 204, description = "Closed: its retention runs"), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn close_file(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<StatusCode, WebError> {
    s.app.close_archive_file(&u, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct DisposalAnswer {
    pub id: i64,
}

#[utoipa::path(post, path = "/api/v1/archive/disposals", tag = "archive", request_body = DisposalInput,
    responses((status = 201, body = DisposalAnswer, description = "Disposed; a tombstone of each file stays"),
              (status = 403, body = crate::error::ErrorBody, description = "dispose_archive (m.22)"),
              (status = 409, body = crate::error::ErrorBody, description = "retention_not_over, goes_to_state_archives, file_not_closed, already_disposed: nothing disposed"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn dispose(State(s): State<AppState>, SignedIn(u): SignedIn, ApiJson(r): ApiJson<DisposalInput>) -> Result<(StatusCode, Json<DisposalAnswer>), WebError> {
    Ok((StatusCode::CREATED, Json(DisposalAnswer { id: s.app.dispose_files(&u, &r).await? })))
}
