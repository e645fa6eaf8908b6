//! Attachments over the API: upload (streamed, size-limited, sniffed) and
//! download.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use app::AppError;

use crate::error::{ErrorBody, WebError};
use crate::extract::{ApiPath, ApiQuery};
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .routes(routes!(download))
}

/// A stored attachment.
#[derive(Serialize, ToSchema)]
pub struct AttachmentInfo {
    /// SHA-256 of the content: the attachment's name.
    pub sha256: String,
    pub size: i64,
    /// What the content is, from its first bytes.
    pub content_type: String,
}

#[utoipa::path(post, path = "/attachments", tag = "attachments",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes (any declared type is accepted). What it is comes from its content (PDF, PNG, JPEG, TIFF, DOCX, ODT, plain text), never from the declared type."),
    responses((status = 201, body = AttachmentInfo), (status = 413, body = ErrorBody, description = "Over the size limit; nothing is stored"),
              (status = 422, body = ErrorBody, description = "Not a kind of file the registry keeps; nothing is stored"), (status = 401, body = ErrorBody)))]
pub async fn upload(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<AttachmentInfo>), WebError> {
    let limit = s.app.max_upload_bytes();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(AppError::TooLarge { limit }.into());
    }
    let rec = s.app.store_attachment(&u, body.into_data_stream()).await?;
    Ok((
        StatusCode::CREATED,
        Json(AttachmentInfo {
            sha256: rec.sha256,
            size: rec.size,
            content_type: rec.content_type,
        }),
    ))
}

#[utoipa::path(get, path = "/attachments/{sha256}", tag = "attachments",
    params(("sha256" = String, Path, description = "SHA-256 of the attachment"), DownloadQuery),
    responses((status = 200, description = "The file, with the type its content showed when it was stored", content_type = "application/octet-stream"),
              (status = 404, body = ErrorBody, description = "No such file, or none the caller may see"), (status = 401, body = ErrorBody)))]
pub async fn download(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(sha256): ApiPath<String>,
    ApiQuery(q): ApiQuery<DownloadQuery>,
) -> Result<Response, WebError> {
    let (rec, stream) = s.app.attachment(&u, &sha256).await?;
    // Shown in the page only when a browser displays the type itself (a
    // PDF, a PNG or JPEG, as sniffed when stored); anything else downloads.
    let inline = q.inline.unwrap_or(false) && previewable(&rec.content_type);
    let disposition = if inline { "inline" } else { "attachment" };
    // The name the page knows the file by (`?name=`), cleaned; else its hash.
    let name: String = q
        .name
        .as_deref()
        .map(|n| {
            n.chars()
                .filter(|c| !c.is_control() && !matches!(c, '"' | '\\' | '/' | ';'))
                .take(150)
                .collect::<String>()
        })
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| rec.sha256.clone());
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let headers = [
        (header::CONTENT_TYPE, rec.content_type),
        (header::CONTENT_LENGTH, rec.size.to_string()),
        (
            header::CONTENT_DISPOSITION,
            format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
        ),
    ];
    let mut resp = (headers, Body::from_stream(stream)).into_response();
    if inline {
        resp.extensions_mut().insert(crate::security::FramedBySelf);
    }
    Ok(resp)
}

/// Whether a browser shows this type by itself, so a page may preview it.
pub fn previewable(content_type: &str) -> bool {
    matches!(content_type, "application/pdf" | "image/png" | "image/jpeg")
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadQuery {
    /// `true`: shown in the page (PDF, PNG, JPEG) instead of downloaded.
    pub inline: Option<bool>,
    /// The file name to save it under (the name it was registered with).
    pub name: Option<String>,
}
