//! Search and the digital archive over the API: `GET /api/v1/search`, an
//! archive item, importing a scan.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use app::search::{ArchiveItem, ScanOutcome, SearchHit, SearchInput};
use app::Actor;
use domain::code::Code;

use crate::error::WebError;
use crate::extract::{ApiPath, ApiQuery};
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(import_scan).layer(axum::extract::DefaultBodyLimit::disable()))
        .routes(routes!(archive_item))
}

/// A snippet as HTML: escaped text with the matched words in `<mark>`.
pub fn snippet_html(snippet: &[(String, bool)]) -> String {
    let mut out = String::new();
    for (text, hit) in snippet {
        let escaped = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        if *hit {
            out.push_str("<mark>");
            out.push_str(&escaped);
            out.push_str("</mark>");
        } else {
            out.push_str(&escaped);
        }
    }
    out
}

#[derive(Serialize, ToSchema)]
pub struct Hit {
    pub id: i64,
    /// `incoming` or `archive`.
    pub kind: String,
    pub title: String,
    pub number: String,
    pub file_code: String,
    /// YYYY-MM-DD (registration date; 1 January of an archive item's year).
    pub date: Option<String>,
    pub sender: String,
    /// The passage around the matches, as text.
    pub snippet: String,
    /// The same passage as HTML, the matches in `<mark>`.
    pub snippet_html: String,
    /// The words of the passage that matched.
    pub matches: Vec<String>,
}

impl From<SearchHit> for Hit {
    fn from(h: SearchHit) -> Self {
        Hit {
            id: h.id,
            kind: h.kind,
            title: h.title,
            number: h.number,
            file_code: h.file_code,
            date: h.date,
            sender: h.sender,
            snippet: h.snippet.iter().map(|(t, _)| t.as_str()).collect(),
            snippet_html: snippet_html(&h.snippet),
            matches: h
                .snippet
                .iter()
                .filter(|(_, m)| *m)
                .map(|(t, _)| t.clone())
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SearchAnswer {
    /// How many documents the searcher may see match (all pages).
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<Hit>,
}

#[utoipa::path(get, path = "/search", tag = "search", params(SearchInput),
    responses((status = 200, body = SearchAnswer, description = "Only what the searcher may see is counted or shown"),
              (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn search(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<SearchInput>,
) -> Result<Json<SearchAnswer>, WebError> {
    let (r, page, per_page) = s.app.search(&u, &q).await?;
    Ok(Json(SearchAnswer {
        total: r.total,
        page,
        per_page,
        hits: r.hits.into_iter().map(Hit::from).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ArchiveItemAnswer {
    #[serde(flatten)]
    pub item: ArchiveItem,
    /// Its text for search: queued, running, done, partial or failed.
    pub text_state: Option<String>,
    pub text_reason: Option<String>,
    pub pages: Option<i64>,
}

#[utoipa::path(get, path = "/archive/{id}", tag = "search", params(("id" = i64, Path)),
    responses((status = 200, body = ArchiveItemAnswer), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn archive_item(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ArchiveItemAnswer>, WebError> {
    let item = s.app.archive_item(&u, id).await?;
    let status = s
        .app
        .text_statuses(std::slice::from_ref(&item.sha256))
        .await?
        .into_iter()
        .next();
    Ok(Json(ArchiveItemAnswer {
        text_state: status.as_ref().map(|t| t.state.clone()),
        text_reason: status.as_ref().and_then(|t| t.reason.clone()),
        pages: status.and_then(|t| t.pages),
        item,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScanQuery {
    /// Standard File Plan code (a leaf).
    pub sdp: Option<String>,
    pub year: Option<String>,
    /// Default: the directorate.
    pub unit: Option<String>,
    /// The file's name (becomes the item's title).
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ScanAnswer {
    pub id: i64,
    /// `true` when the same content was imported before (nothing added).
    pub existing: bool,
}

#[utoipa::path(post, path = "/archive/scans", tag = "search", params(ScanQuery), request_body(content = Vec<u8>, description = "The scanned file: PDF, TIFF, JPEG or PNG"),
    responses((status = 201, body = ScanAnswer), (status = 200, body = ScanAnswer, description = "Imported before (keyed on the content)"),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody, description = "digitise_archive (m.8/19, m.16/2-a)"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn import_scan(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<ScanQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<ScanAnswer>), WebError> {
    let year = q
        .year
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .parse::<i64>()
        .map_err(|_| app::AppError::invalid("year", Code::BadYear))?;
    let sdp = q.sdp.unwrap_or_default();
    let unit = s.app.check_scan_import(&sdp, year, q.unit.as_deref())?;
    let name = q.name.unwrap_or_else(|| "tarama".into());
    match s
        .app
        .import_scan(Actor::Person(&u), &name, body.to_vec(), &sdp, year, &unit)
        .await?
    {
        ScanOutcome::Imported(id) => Ok((
            StatusCode::CREATED,
            Json(ScanAnswer {
                id,
                existing: false,
            }),
        )),
        ScanOutcome::AlreadyThere(id) => {
            Ok((StatusCode::OK, Json(ScanAnswer { id, existing: true })))
        }
        ScanOutcome::Refused { code, .. } => Err(app::AppError::invalid("file", code).into()),
    }
}
