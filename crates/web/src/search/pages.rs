//! Search's pages: `/ara` (one box, the filters, highlighted snippets,
//! sorting and paging), an archive item `/arsiv/{id}`, and `/arsiv/aktar`
//! (importing a handful of scans from the browser).

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use app::search::{ArchiveItem, ScanOutcome, SearchInput};
use app::AppError;
use domain::code::Code;

use super::api::Hit;
use crate::error::WebError;
use crate::multipart::{self, Form as Multi};
use crate::{id_of, render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ara", get(search_page))
        .route(
            "/arsiv/aktar",
            get(import_page)
                .post(import_submit)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/arsiv/{id}", get(item_page))
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
    /// (code, name) of every level, old ones included.
    confidentiality: Vec<(&'static str, &'static str)>,
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
    let enc: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    format!("/ara?{}", enc.join("&"))
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

async fn search_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(f): Query<SearchInput>,
) -> Result<Response, WebError> {
    let t = l.t;
    let units: Vec<(String, String)> = s
        .app
        .profile()
        .units()
        .iter()
        .filter(|x| x.kind != "institution")
        .map(|x| {
            (
                x.id.clone(),
                domain::profile::Named::name_for(x, crate::i18n::english()).to_owned(),
            )
        })
        .collect();
    let searched = !f.q.trim().is_empty()
        || [
            &f.kind,
            &f.sdp,
            &f.year,
            &f.from,
            &f.to,
            &f.unit,
            &f.sender,
            &f.confidentiality,
            &f.register,
        ]
        .iter()
        .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()));
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
        confidentiality: domain::correspondence::Confidentiality::ALL
            .iter()
            .map(|c| (c.code(), t.code("confidentiality", c.code())))
            .collect(),
    };
    if searched {
        match s.app.search(&u, &page.f).await {
            Ok((r, current, per_page)) => {
                page.total = r.total;
                page.hits = r
                    .hits
                    .into_iter()
                    .map(Hit::from)
                    .map(|mut h| {
                        // Dates as the pages write them everywhere: dd.mm.yyyy.
                        h.date = h.date.map(|d| {
                            time::Date::parse(
                                &d,
                                time::macros::format_description!("[year]-[month]-[day]"),
                            )
                            .map(domain::local::format_date)
                            .unwrap_or(d)
                        });
                        let href = match h.kind.as_str() {
                            "archive" => format!("/arsiv/{}", h.id),
                            "outgoing" => format!("/yazi/{}", h.id),
                            _ => format!("/evrak/{}", h.id),
                        };
                        (h, href)
                    })
                    .collect();
                let last = r.total.div_ceil(per_page).max(1);
                let first = current.saturating_sub(4).max(1);
                page.pages = (first..=last.min(first + 8))
                    .map(|n| PageLink {
                        n,
                        href: query_string(&page.f, None, Some(n)),
                        current: n == current,
                    })
                    .collect();
            }
            Err(AppError::Invalid { field, code }) => {
                page.error = Some((field, code.as_str()));
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
    item: ArchiveItem,
    unit: String,
    text_state: String,
    text_reason: String,
    pages: String,
}

async fn item_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let item = s.app.archive_item(&u, id_of(&id)?).await?;
    let status = s
        .app
        .text_statuses(std::slice::from_ref(&item.sha256))
        .await?
        .into_iter()
        .next();
    let unit = s
        .app
        .profile()
        .unit(&item.unit)
        .map(|x| domain::profile::Named::name_for(x, crate::i18n::english()).to_owned())
        .unwrap_or_else(|| item.unit.clone());
    render(ItemPage {
        l,
        unit,
        text_state: status
            .as_ref()
            .map(|t| format!("text.{}", t.state))
            .unwrap_or_else(|| "text.queued".into()),
        text_reason: status
            .as_ref()
            .and_then(|t| t.reason.clone())
            .unwrap_or_default(),
        pages: status
            .and_then(|t| t.pages)
            .map(|p| p.to_string())
            .unwrap_or_default(),
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
    let units = s
        .app
        .profile()
        .units()
        .iter()
        .filter(|x| x.kind != "institution")
        .map(|x| {
            (
                x.id.clone(),
                domain::profile::Named::name_for(x, crate::i18n::english()).to_owned(),
            )
        })
        .collect();
    ImportPage {
        l,
        sdp,
        year,
        unit,
        units,
        error: None,
        results: Vec::new(),
    }
}

async fn import_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    may_digitise(&s, &u).await?;
    let year = domain::local::date(time::OffsetDateTime::now_utc())
        .year()
        .to_string();
    let unit = s.app.profile().directorate().id.clone();
    render(import_form(&s, l, String::new(), year, unit))
}

async fn may_digitise(s: &AppState, u: &app::User) -> Result<(), WebError> {
    if s.app.capabilities(u).await?.digitise {
        Ok(())
    } else {
        Err(AppError::forbidden(domain::authority::Authority::DigitiseArchive.id()).into())
    }
}

/// A handful of scans from the browser: the classification fields come
/// first in the form and are checked before any file is kept.
async fn import_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    mp: Multipart,
) -> Result<Response, WebError> {
    may_digitise(&s, &u).await?;
    let classify = |f: &multipart::Fields| -> Result<(i64, String), AppError> {
        let y = f
            .get("year")
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::invalid("year", Code::BadYear))?;
        Ok((
            y,
            s.app
                .check_scan_import(&f.get("sdp"), y, Some(&f.get("unit")))?,
        ))
    };
    let check = |f: multipart::Fields| std::future::ready(classify(&f).map(|_| ()));
    let (fields, files) = match multipart::read(&s, &u, mp, "scan", check).await? {
        Multi::Read { fields, files } => (fields, files),
        Multi::Refused {
            fields,
            field,
            code,
            ..
        } => {
            let mut p = import_form(
                &s,
                l,
                fields.get("sdp"),
                fields.get("year"),
                fields.get("unit"),
            );
            p.error = Some((if field == "file" { "scan" } else { field }, code.as_str()));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(p)?).into_response());
        }
    };
    let mut p = import_form(
        &s,
        l,
        fields.get("sdp"),
        fields.get("year"),
        fields.get("unit"),
    );
    if files.is_empty() {
        p.error = Some(("scan", Code::Required.as_str()));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(p)?).into_response());
    }
    let (year, unit) = classify(&fields)?;
    let sdp = fields.get("sdp");
    for (sha, name) in files {
        let (key, id) = match s
            .app
            .import_uploaded_scan(&u, &name, &sha, &sdp, year, &unit)
            .await?
        {
            ScanOutcome::Imported(id) => ("import.imported", Some(id)),
            ScanOutcome::AlreadyThere(id) => ("import.existing", Some(id)),
            ScanOutcome::Refused { code, .. } => (
                if code == Code::EmptyFile {
                    "import.empty_file"
                } else {
                    "import.not_a_scan"
                },
                None,
            ),
        };
        p.results.push((name, key.to_owned(), id));
    }
    Ok(render(p)?.into_response())
}
