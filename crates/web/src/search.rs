//! Search and the digital archive: `GET /api/v1/search`, an archive item,
//! importing a scan through the API; and the pages `/ara` (one box, the
//! filters, highlighted snippets, sorting and paging), `/arsiv/{id}` and
//! `/arsiv/aktar` (importing a handful of scans from the browser).

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{extract::State, Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::search::{ScanOutcome, SearchInput};
use store::index::SearchHit;

use crate::api::{ApiPath, ApiQuery};
use crate::error::WebError;
use crate::{AppState, SignedIn};

pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/search", get(search))
        .route("/archive/scans", post(import_scan).layer(axum::extract::DefaultBodyLimit::disable()))
        .route("/archive/{id}", get(archive_item))
}

/// A snippet as HTML: escaped text with the matched words in `<mark>`.
pub fn snippet_html(snippet: &[(String, bool)]) -> String {
    let mut out = String::new();
    for (text, hit) in snippet {
        let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
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
            matches: h.snippet.iter().filter(|(_, m)| *m).map(|(t, _)| t.clone()).collect(),
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

#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchInput),
    responses((status = 200, body = SearchAnswer, description = "Only what the searcher may see is counted or shown"),
              (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn search(State(s): State<AppState>, SignedIn(u): SignedIn, ApiQuery(q): ApiQuery<SearchInput>) -> Result<Json<SearchAnswer>, WebError> {
    let (r, page, per_page) = s.app.search(&u, &q).await?;
    Ok(Json(SearchAnswer { total: r.total, page, per_page, hits: r.hits.into_iter().map(Hit::from).collect() }))
}

#[derive(Serialize, ToSchema)]
pub struct ArchiveItemAnswer {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub item: store::search::ArchiveItem,
    /// Its text for search: queued, running, done, partial or failed.
    pub text_state: Option<String>,
    pub text_reason: Option<String>,
    pub pages: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/archive/{id}", tag = "search", params(("id" = i64, Path)),
    responses((status = 200, body = ArchiveItemAnswer), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn archive_item(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<Json<ArchiveItemAnswer>, WebError> {
    let item = s.app.archive_item(&u, id).await?;
    let status = s.app.text_statuses(std::slice::from_ref(&item.sha256)).await?.into_iter().next();
    Ok(Json(ArchiveItemAnswer {
        text_state: status.as_ref().map(|t| t.state.clone()),
        text_reason: status.as_ref().and_then(|t| t.reason.clone()),
        pages: status.and_then(|t| t.pages),
        item,
    }))
}

#[derive(Deserialize, IntoParams)]
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

#[utoipa::path(post, path = "/api/v1/archive/scans", tag = "search", params(ScanQuery), request_body(content = Vec<u8>, description = "The scanned file: PDF, TIFF, JPEG or PNG"),
    responses((status = 201, body = ScanAnswer), (status = 200, body = ScanAnswer, description = "Imported before (keyed on the content)"),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody, description = "digitise_archive (m.8/19, m.16/2-a)"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn import_scan(State(s): State<AppState>, SignedIn(u): SignedIn, ApiQuery(q): ApiQuery<ScanQuery>, body: Bytes) -> Result<(StatusCode, Json<ScanAnswer>), WebError> {
    let year = q.year.as_deref().map(str::trim).unwrap_or("").parse::<i64>().map_err(|_| app::AppError::invalid("year", "bad_year"))?;
    let sdp = q.sdp.unwrap_or_default();
    let unit = s.app.check_scan_import(&sdp, year, q.unit.as_deref())?;
    let name = q.name.unwrap_or_else(|| "tarama".into());
    match s.app.import_scan(Some(&u), &name, body.to_vec(), &sdp, year, &unit).await? {
        ScanOutcome::Imported(id) => Ok((StatusCode::CREATED, Json(ScanAnswer { id, existing: false }))),
        ScanOutcome::AlreadyThere(id) => Ok((StatusCode::OK, Json(ScanAnswer { id, existing: true }))),
        ScanOutcome::Refused { code, .. } => Err(app::AppError::invalid("file", code).into()),
    }
}

pub use pages::router as page_routes;

mod pages {
    use askama::Template;
    use axum::extract::{Multipart, Path, Query, State};
    use axum::http::StatusCode;
    use axum::response::{Html, IntoResponse, Response};
    use axum::routing::get;
    use axum::Router;

    use app::search::{ScanOutcome, SearchInput};
    use app::AppError;

    use super::Hit;
    use crate::error::WebError;
    use crate::pages::render;
    use crate::security::csrf_pages;
    use crate::{AppState, Layout, SignedIn};

    pub fn router() -> Router<AppState> {
        Router::new()
            .route("/ara", get(search_page))
            .route("/arsiv/aktar", get(import_page).post(import_submit).layer(axum::extract::DefaultBodyLimit::disable()))
            .route("/arsiv/{id}", get(item_page))
            .layer(axum::middleware::from_fn(csrf_pages))
    }

    struct PageLink {
        n: usize,
        href: String,
        current: bool,
    }

    #[derive(Template)]
    #[template(path = "search.html")]
    struct SearchPage {
        l: Layout,
        f: SearchInput,
        searched: bool,
        error: Option<(&'static str, &'static str)>,
        total: usize,
        hits: Vec<(Hit, String)>,
        pages: Vec<PageLink>,
        relevance_href: String,
        date_href: String,
        by_date: bool,
        units: Vec<(String, String)>,
    }

    fn query_string(f: &SearchInput, sort: Option<&str>, page: Option<usize>) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("q", f.q.clone())];
        let mut opt = |k: &'static str, v: &Option<String>| {
            if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
                pairs.push((k, v.to_owned()));
            }
        };
        opt("kind", &f.kind);
        opt("register", &f.register);
        opt("sdp", &f.sdp);
        opt("year", &f.year);
        opt("from", &f.from);
        opt("to", &f.to);
        opt("unit", &f.unit);
        opt("sender", &f.sender);
        opt("confidentiality", &f.confidentiality);
        if let Some(s) = sort.map(str::to_owned).or(f.sort.clone()) {
            pairs.push(("sort", s));
        }
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        let enc: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect();
        format!("/ara?{}", enc.join("&"))
    }

    fn urlencode(s: &str) -> String {
        let mut out = String::new();
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
        out
    }

    async fn search_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Query(f): Query<SearchInput>) -> Result<Response, WebError> {
        let units: Vec<(String, String)> = s.app.profile().units().iter().filter(|x| x.kind != "institution").map(|x| (x.id.clone(), x.name.clone())).collect();
        let searched = !f.q.trim().is_empty() || [&f.kind, &f.sdp, &f.year, &f.from, &f.to, &f.unit, &f.sender, &f.confidentiality, &f.register].iter().any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()));
        let mut page = SearchPage {
            relevance_href: query_string(&f, Some("relevance"), None),
            date_href: query_string(&f, Some("date"), None),
            by_date: f.sort.as_deref() == Some("date"),
            l,
            f,
            searched,
            error: None,
            total: 0,
            hits: Vec::new(),
            pages: Vec::new(),
            units,
        };
        if searched {
            match s.app.search(&u, &page.f).await {
                Ok((r, current, per_page)) => {
                    page.total = r.total;
                    page.hits = r.hits.into_iter().map(Hit::from).map(|h| {
                        let href = match h.kind.as_str() {
                            "archive" => format!("/arsiv/{}", h.id),
                            "outgoing" => format!("/yazi/{}", h.id),
                            _ => format!("/evrak/{}", h.id),
                        };
                        (h, href)
                    }).collect();
                    let last = r.total.div_ceil(per_page).max(1);
                    let first = current.saturating_sub(4).max(1);
                    page.pages = (first..=last.min(first + 8))
                        .map(|n| PageLink { n, href: query_string(&page.f, None, Some(n)), current: n == current })
                        .collect();
                }
                Err(AppError::Invalid { field, code }) => {
                    page.error = Some((field, code));
                    return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response());
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(render(page)?.into_response())
    }

    #[derive(Template)]
    #[template(path = "archive_item.html")]
    struct ItemPage {
        l: Layout,
        item: store::search::ArchiveItem,
        unit: String,
        text_state: String,
        text_reason: String,
        pages: String,
    }

    async fn item_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Path(id): Path<String>) -> Result<Html<String>, WebError> {
        let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
        let item = s.app.archive_item(&u, id).await?;
        let status = s.app.text_statuses(std::slice::from_ref(&item.sha256)).await?.into_iter().next();
        let unit = s.app.profile().unit(&item.unit).map(|x| x.name.clone()).unwrap_or_else(|| item.unit.clone());
        render(ItemPage {
            l,
            unit,
            text_state: status.as_ref().map(|t| format!("text.{}", t.state)).unwrap_or_else(|| "text.queued".into()),
            text_reason: status.as_ref().and_then(|t| t.reason.clone()).unwrap_or_default(),
            pages: status.and_then(|t| t.pages).map(|p| p.to_string()).unwrap_or_default(),
            item,
        })
    }

    #[derive(Template)]
    #[template(path = "archive_import.html")]
    struct ImportPage {
        l: Layout,
        sdp: String,
        year: String,
        unit: String,
        units: Vec<(String, String)>,
        error: Option<(&'static str, &'static str)>,
        /// (file name, outcome key, item id)
        results: Vec<(String, String, Option<i64>)>,
    }

    fn import_form(s: &AppState, l: Layout, sdp: String, year: String, unit: String) -> ImportPage {
        let units = s.app.profile().units().iter().filter(|x| x.kind != "institution").map(|x| (x.id.clone(), x.name.clone())).collect();
        ImportPage { l, sdp, year, unit, units, error: None, results: Vec::new() }
    }

    async fn import_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn) -> Result<Html<String>, WebError> {
        if !s.app.holds(&u, "digitise_archive").await? {
            return Err(AppError::forbidden("digitise_archive").into());
        }
        let year = time::OffsetDateTime::now_utc().year().to_string();
        render(import_form(&s, l, String::new(), year, "mudurluk".into()))
    }

    /// A handful of scans from the browser: the classification fields come
    /// first in the form and are checked before any file is kept.
    async fn import_submit(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, mut mp: Multipart) -> Result<Response, WebError> {
        if !s.app.holds(&u, "digitise_archive").await? {
            return Err(AppError::forbidden("digitise_archive").into());
        }
        let (mut sdp, mut year, mut unit) = (String::new(), String::new(), String::new());
        let mut checked: Option<(i64, String)> = None;
        let mut results = Vec::new();
        loop {
            let field = match mp.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(_) => return Err(WebError::bad_request()),
            };
            let name = field.name().unwrap_or("").to_owned();
            if name == "scan" {
                let file_name = field.file_name().unwrap_or("").trim().to_owned();
                if file_name.is_empty() {
                    continue;
                }
                if checked.is_none() {
                    let y = match year.trim().parse::<i64>() {
                        Ok(y) => y,
                        Err(_) => {
                            let mut p = import_form(&s, l, sdp, year, unit);
                            p.error = Some(("year", "bad_year"));
                            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(p)?).into_response());
                        }
                    };
                    match s.app.check_scan_import(&sdp, y, Some(&unit)) {
                        Ok(un) => checked = Some((y, un)),
                        Err(AppError::Invalid { field, code }) => {
                            let mut p = import_form(&s, l, sdp, year, unit);
                            p.error = Some((field, code));
                            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(p)?).into_response());
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                let Some((y, un)) = checked.clone() else { continue };
                let bytes = match field.bytes().await {
                    Ok(b) => b,
                    Err(_) => return Err(WebError::bad_request()),
                };
                if bytes.len() as u64 > s.app.max_upload_bytes() {
                    results.push((file_name, "import.too_large".into(), None));
                    continue;
                }
                let (key, id) = match s.app.import_scan(Some(&u), &file_name, bytes.to_vec(), &sdp, y, &un).await? {
                    ScanOutcome::Imported(id) => ("import.imported", Some(id)),
                    ScanOutcome::AlreadyThere(id) => ("import.existing", Some(id)),
                    ScanOutcome::Refused { code, .. } => (
                        match code {
                            "empty_file" => "import.empty_file",
                            "too_large" => "import.too_large",
                            _ => "import.not_a_scan",
                        },
                        None,
                    ),
                };
                results.push((file_name, key.to_owned(), id));
                continue;
            }
            let value = match field.text().await {
                Ok(v) => v,
                Err(_) => return Err(WebError::bad_request()),
            };
            match name.as_str() {
                "sdp" => sdp = value,
                "year" => year = value,
                "unit" => unit = value,
                _ => {}
            }
        }
        let mut p = import_form(&s, l, sdp, year, unit);
        if results.is_empty() {
            p.error = Some(("scan", "required"));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(p)?).into_response());
        }
        p.results = results;
        Ok(render(p)?.into_response())
    }
}
