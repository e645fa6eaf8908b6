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
        .route("/archive/disposals/{id}", get(disposal))
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

#[utoipa::path(get, path = "/api/v1/archive/disposals/{id}", tag = "archive", params(("id" = i64, Path)),
    responses((status = 200, body = Object, description = "The decision and the tombstone of each file it disposed of"), (status = 404, body = crate::error::ErrorBody)))]
pub async fn disposal(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<Json<store::archive::Disposal>, WebError> {
    Ok(Json(s.app.disposal(&u, id).await?))
}

pub use pages::router as page_routes;

mod pages {
    use std::collections::HashMap;

    use askama::Template;
    use axum::extract::{Path, Query, State};
    use axum::http::StatusCode;
    use axum::response::{Html, IntoResponse, Redirect, Response};
    use axum::routing::{get, post};
    use axum::{Form, Router};

    use app::archive::{DisposalInput, FileInput};
    use app::AppError;
    use store::archive::ArchiveFile;

    use crate::error::WebError;
    use crate::pages::render;
    use crate::security::csrf_pages;
    use crate::{AppState, Layout, SignedIn};

    pub fn router() -> Router<AppState> {
        Router::new()
            .route("/arsiv/dosyalar", get(files_page).post(open_submit))
            .route("/arsiv/dosyalar/kapat", post(close_submit))
            .route("/arsiv/imha", post(dispose_submit))
            .route("/arsiv/dosyalar/{id}", get(file_page))
            .route("/arsiv/imha/{id}", get(disposal_page))
            .layer(axum::middleware::from_fn(csrf_pages))
    }

    #[derive(Template)]
    #[template(path = "archive_files.html")]
    struct FilesPage {
        l: Layout,
        list: String,
        year: String,
        files: Vec<ArchiveFile>,
        units: Vec<(String, String)>,
        may_file: bool,
        may_dispose: bool,
        notice: bool,
        error: Option<(&'static str, &'static str)>,
    }

    #[derive(serde::Deserialize, Default)]
    struct ListQuery {
        liste: Option<String>,
        yil: Option<String>,
        tamam: Option<String>,
    }

    async fn page(s: &AppState, l: Layout, u: &store::User, q: ListQuery, error: Option<(&'static str, &'static str)>) -> Result<Html<String>, WebError> {
        let list = q.liste.unwrap_or_else(|| "open".into());
        let this_year = time::OffsetDateTime::now_utc().year();
        let year = q.yil.unwrap_or_else(|| (this_year - 1).to_string());
        let files = s.app.archive_files(&list, year.trim().parse().ok()).await.unwrap_or_default();
        let units = s.app.profile().units().iter().filter(|x| x.kind != "institution").map(|x| (x.id.clone(), x.name.clone())).collect();
        render(FilesPage {
            may_file: s.app.holds(u, "register_correspondence").await?,
            may_dispose: s.app.holds(u, "dispose_archive").await?,
            notice: q.tamam.is_some(),
            l,
            list,
            year,
            files,
            units,
            error,
        })
    }

    async fn files_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Query(q): Query<ListQuery>) -> Result<Html<String>, WebError> {
        page(&s, l, &u, q, None).await
    }

    #[derive(Template)]
    #[template(path = "archive_file.html")]
    struct FilePage {
        l: Layout,
        f: ArchiveFile,
        unit: String,
        /// (link, label)
        documents: Vec<(String, String)>,
    }

    /// Where a document key leads, and how it reads.
    fn document_link(doc: &str) -> (String, String) {
        match doc.split_once(':') {
            Some(("incoming", id)) => (format!("/evrak/{id}"), format!("Gelen evrak #{id}")),
            Some(("outgoing", id)) => (format!("/yazi/{id}"), format!("Giden evrak #{id}")),
            Some(("archive", id)) => (format!("/arsiv/{id}"), format!("Arşiv belgesi #{id}")),
            _ => (String::new(), doc.to_owned()),
        }
    }

    async fn file_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Path(id): Path<String>) -> Result<Html<String>, WebError> {
        let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
        let (f, docs) = s.app.archive_file_with_documents(&u, id).await?;
        let unit = s.app.profile().unit(&f.unit).map(|x| x.name.clone()).unwrap_or_else(|| f.unit.clone());
        render(FilePage { l, f, unit, documents: docs.iter().map(|d| document_link(d)).collect() })
    }

    #[derive(Template)]
    #[template(path = "disposal.html")]
    struct DisposalPage {
        l: Layout,
        d: store::archive::Disposal,
    }

    async fn disposal_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Path(id): Path<String>) -> Result<Html<String>, WebError> {
        let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
        render(DisposalPage { l, d: s.app.disposal(&u, id).await? })
    }

    fn invalid(e: AppError) -> Result<(&'static str, &'static str), WebError> {
        match e {
            AppError::Invalid { field, code } => Ok((field, code)),
            AppError::Conflict(code) => Ok(("", code)),
            e => Err(e.into()),
        }
    }

    async fn open_submit(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Form(m): Form<HashMap<String, String>>) -> Result<Response, WebError> {
        let get = |k: &str| m.get(k).cloned().unwrap_or_default();
        let input = FileInput { file_code: get("file_code"), unit: get("unit"), year: get("year").trim().parse().unwrap_or(0), title: get("title") };
        match s.app.open_archive_file(&u, &input).await {
            Ok(_) => Ok(Redirect::to("/arsiv/dosyalar?tamam=1").into_response()),
            Err(e) => {
                let err = invalid(e)?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&s, l, &u, ListQuery::default(), Some(err)).await?).into_response())
            }
        }
    }

    async fn close_submit(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Form(m): Form<HashMap<String, String>>) -> Result<Response, WebError> {
        let id: i64 = m.get("id").and_then(|v| v.parse().ok()).ok_or_else(WebError::bad_request)?;
        match s.app.close_archive_file(&u, id).await {
            Ok(()) => Ok(Redirect::to("/arsiv/dosyalar?tamam=1").into_response()),
            Err(e) => {
                let err = invalid(e)?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&s, l, &u, ListQuery::default(), Some(err)).await?).into_response())
            }
        }
    }

    /// The commission's decision on the files ticked in the expired list.
    async fn dispose_submit(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Form(pairs): Form<Vec<(String, String)>>) -> Result<Response, WebError> {
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        let input = DisposalInput {
            decision_ref: get("decision_ref"),
            decision_date: get("decision_date"),
            members: get("members").lines().map(str::to_owned).collect(),
            note: get("note"),
            files: pairs.iter().filter(|(n, _)| n == "file").filter_map(|(_, v)| v.parse().ok()).collect(),
        };
        match s.app.dispose_files(&u, &input).await {
            Ok(_) => Ok(Redirect::to("/arsiv/dosyalar?liste=expired&tamam=1").into_response()),
            Err(e) => {
                let err = invalid(e)?;
                let q = ListQuery { liste: Some("expired".into()), ..Default::default() };
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&s, l, &u, q, Some(err)).await?).into_response())
            }
        }
    }
}
