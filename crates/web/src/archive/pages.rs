//! The archive's pages (/arsiv/dosyalar): the lists of files with what
//! may happen to each, opening and closing files, legal holds, the
//! commission's disposal list and its approval, a disposal's tombstones.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use app::archive::{Disposal, DisposalInput, FileInput, FileView, HoldInput};
use app::{AppError, User};
use domain::archive::Disposition;
use domain::code::Code;

use crate::error::WebError;
use crate::{id_of, render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/arsiv/dosyalar", get(files_page).post(open_submit))
        .route("/arsiv/dosyalar/kapat", post(close_submit))
        .route("/arsiv/imha", post(dispose_submit))
        .route("/arsiv/dosyalar/{id}", get(file_page))
        .route("/arsiv/imha/{id}", get(disposal_page))
        .route("/arsiv/imha/{id}/onay", post(approve_submit))
        .route("/arsiv/dosyalar/{id}/tedbir", post(hold_submit))
}

#[derive(Template)]
#[template(path = "archive_files.html")]
struct FilesPage {
    l: Layout,
    list: String,
    year: String,
    /// Each file with the key of its disposition.
    files: Vec<(FileView, &'static str)>,
    units: Vec<(String, String)>,
    may_file: bool,
    may_dispose: bool,
    /// Lists awaiting approval (id, decision reference, files).
    pending: Vec<(i64, String, usize)>,
    notice: bool,
    error: Option<(&'static str, &'static str)>,
    /// The list stopped at 1,000 files: the page says there are more.
    full: bool,
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    liste: Option<String>,
    yil: Option<String>,
    tamam: Option<String>,
}

/// The key of a file's disposition, for the page.
fn disposition_key(d: Disposition) -> &'static str {
    match d {
        Disposition::OpenStill => "files.d.open",
        Disposition::Disposed => "files.d.disposed",
        Disposition::Held { .. } => "files.d.held",
        Disposition::KeptUntilMatterEnds => "files.d.kept",
        Disposition::Retained { .. } => "files.d.retained",
        Disposition::TransferToStateArchives => "files.d.state_archives",
        Disposition::CommissionReview => "files.d.review",
        Disposition::Disposable => "files.d.disposable",
        Disposition::BadCodes => "files.d.bad_codes",
    }
}

async fn page(
    s: &AppState,
    l: Layout,
    u: &User,
    q: ListQuery,
    error: Option<(&'static str, &'static str)>,
) -> Result<Html<String>, WebError> {
    let list = q.liste.unwrap_or_else(|| "open".into());
    let this_year = domain::local::date(time::OffsetDateTime::now_utc()).year();
    let year = q.yil.unwrap_or_else(|| (this_year - 1).to_string());
    let files = s
        .app
        .archive_files(u, &list, year.trim().parse().ok())
        .await
        .unwrap_or_default();
    // The store reads at most 1,000 files of a list: say so when it did.
    let full = files.len() >= 1000;
    let files = files
        .into_iter()
        .map(|f| {
            let key = disposition_key(f.disposition);
            (f, key)
        })
        .collect();
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
    let can = s.app.capabilities(u).await?;
    let pending = s
        .app
        .pending_disposals(u)
        .await?
        .into_iter()
        .map(|d| (d.id, d.decision_ref, d.files.len()))
        .collect();
    render(FilesPage {
        may_file: can.register,
        may_dispose: can.dispose,
        pending,
        notice: q.tamam.is_some(),
        l,
        list,
        year,
        files,
        units,
        error,
        full,
    })
}

async fn files_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    page(&s, l, &u, q, None).await
}

#[derive(Template)]
#[template(path = "archive_file.html")]
struct FilePage {
    l: Layout,
    v: FileView,
    state: String,
    disposition: &'static str,
    may_hold: bool,
    unit: String,
    documents: Vec<DocLink>,
}

/// A filed document as a page links it: where it leads, its kind's
/// message key, its record number.
struct DocLink {
    href: String,
    kind: &'static str,
    /// Its register number when it has one (else `#id`).
    label: String,
}

/// Where a document key (`incoming:5`) leads, and how it reads.
fn document_link(doc: &str) -> DocLink {
    let (href, kind) = match doc.split_once(':') {
        Some(("incoming", id)) => (format!("/evrak/{id}"), "files.doc.incoming"),
        Some(("outgoing", id)) => (format!("/yazi/{id}"), "files.doc.outgoing"),
        Some(("archive", id)) => (format!("/arsiv/{id}"), "files.doc.archive"),
        _ => (String::new(), "files.doc.other"),
    };
    let id = doc
        .split_once(':')
        .map(|(_, id)| id.to_owned())
        .unwrap_or_default();
    DocLink {
        href,
        kind,
        label: format!("#{id}"),
    }
}

async fn file_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let (v, docs) = s.app.archive_file_with_documents(&u, id_of(&id)?).await?;
    let unit = s
        .app
        .profile()
        .unit(&v.file.unit)
        .map(|x| domain::profile::Named::name_for(x, crate::i18n::english()).to_owned())
        .unwrap_or_else(|| v.file.unit.clone());
    let may_hold = s.app.capabilities(&u).await?.dispose && v.file.state != "disposed";
    let numbers = s.app.document_numbers(&docs).await?;
    let documents = docs
        .iter()
        .map(|d| {
            let mut link = document_link(d);
            if let Some(n) = numbers.get(d) {
                link.label = n.clone();
            }
            link
        })
        .collect();
    render(FilePage {
        l,
        state: v.file.state.clone(),
        disposition: disposition_key(v.disposition),
        may_hold,
        unit,
        documents,
        v,
    })
}

#[derive(Template)]
#[template(path = "disposal.html")]
struct DisposalPage {
    l: Layout,
    d: Disposal,
    decision_date: String,
    /// The approver's form; not for whoever recorded the list.
    may_approve: bool,
    own: bool,
    opinion_required: bool,
    /// The listed files: (id, code, title, unit's name, year).
    files: Vec<(i64, String, String, String, i64)>,
    /// What was disposed of: (file id, code, title, unit's name, year,
    /// retention, disposal code, documents).
    tombstones: Vec<(
        i64,
        String,
        String,
        String,
        i64,
        String,
        String,
        Vec<DocLink>,
    )>,
    error: Option<(&'static str, &'static str)>,
}

fn unit_name(s: &AppState, id: &str) -> String {
    s.app
        .profile()
        .unit(id)
        .map(|x| domain::profile::Named::name_for(x, crate::i18n::english()).to_owned())
        .unwrap_or_else(|| id.to_owned())
}

async fn disposal_view(
    s: &AppState,
    l: Layout,
    u: &app::User,
    id: i64,
    error: Option<(&'static str, &'static str)>,
) -> Result<DisposalPage, WebError> {
    let d = s.app.disposal(u, id).await?;
    let own = d.recorded_by_id == u.id;
    let may_approve =
        d.state == "awaiting_approval" && s.app.capabilities(u).await?.approve_disposal && !own;
    let mut files = Vec::new();
    if d.state != "done" {
        for fid in &d.files {
            let f = s.app.archive_file(u, *fid).await?.file;
            files.push((
                f.id,
                f.file_code.clone(),
                f.title.clone(),
                unit_name(s, &f.unit),
                f.year,
            ));
        }
    }
    let tombstones = d
        .tombstones
        .iter()
        .map(|t| {
            (
                t.file_id,
                t.file_code.clone(),
                t.title.clone(),
                unit_name(s, &t.unit),
                t.year,
                t.retention.clone(),
                t.disposal_code.clone(),
                t.documents.iter().map(|x| document_link(x)).collect(),
            )
        })
        .collect();
    let decision_date = time::Date::parse(
        &d.decision_date,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(domain::local::format_date)
    .unwrap_or_else(|_| d.decision_date.clone());
    Ok(DisposalPage {
        l,
        decision_date,
        may_approve,
        own,
        opinion_required: s.app.archive_settings().state_archives_opinion,
        files,
        tombstones,
        error,
        d,
    })
}

async fn disposal_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    render(disposal_view(&s, l, &u, id_of(&id)?, None).await?)
}

/// The holder of approve_disposal approves a list: it is carried out.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ApproveForm {
    confirm: String,
    state_archives_opinion: String,
}

/// The Mayor's approval of a disposal list, confirmed on the form: what is
/// destroyed cannot come back.
async fn approve_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ApproveForm>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let input = app::archive::ApprovalInput {
        state_archives_opinion: f.state_archives_opinion,
    };
    let approved = if f.confirm == "1" {
        s.app.approve_disposal(&u, id, &input).await
    } else {
        Err(AppError::invalid("confirm", Code::Required))
    };
    match approved {
        Ok(_) => Ok(Redirect::to(&format!("/arsiv/imha/{id}")).into_response()),
        Err(e) => {
            let status = if matches!(e, AppError::Invalid { .. }) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CONFLICT
            };
            let err = invalid(e)?;
            let mut p = disposal_view(&s, l, &u, id, Some(err)).await?;
            p.d.state_archives_opinion =
                Some(input.state_archives_opinion).filter(|o| !o.is_empty());
            Ok((status, render(p)?).into_response())
        }
    }
}

/// A legal hold placed on a file, or lifted.
async fn hold_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<HoldInput>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    match s.app.hold_archive_file(&u, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/arsiv/dosyalar/{id}")).into_response()),
        Err(e) => {
            let err = invalid(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&s, l, &u, ListQuery::default(), Some(err)).await?,
            )
                .into_response())
        }
    }
}

fn invalid(e: AppError) -> Result<(&'static str, &'static str), WebError> {
    match e {
        AppError::Invalid { field, code } => Ok((field, code.as_str())),
        AppError::Conflict(code) => Ok(("", code.as_str())),
        e => Err(e.into()),
    }
}

async fn open_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(m): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |k: &str| m.get(k).cloned().unwrap_or_default();
    let input = FileInput {
        file_code: get("file_code"),
        unit: get("unit"),
        year: get("year").trim().parse().unwrap_or(0),
        title: get("title"),
        span: get("span"),
    };
    match s.app.open_archive_file(&u, &input).await {
        Ok(_) => Ok(Redirect::to("/arsiv/dosyalar?tamam=1").into_response()),
        Err(e) => {
            let err = invalid(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&s, l, &u, ListQuery::default(), Some(err)).await?,
            )
                .into_response())
        }
    }
}

async fn close_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(m): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id: i64 = m
        .get("id")
        .and_then(|v| v.parse().ok())
        .ok_or_else(WebError::bad_request)?;
    match s.app.close_archive_file(&u, id).await {
        Ok(()) => Ok(Redirect::to("/arsiv/dosyalar?tamam=1").into_response()),
        Err(e) => {
            let err = invalid(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&s, l, &u, ListQuery::default(), Some(err)).await?,
            )
                .into_response())
        }
    }
}

/// The commission's decision on the files ticked in the expired list.
async fn dispose_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let input = DisposalInput {
        decision_ref: get("decision_ref"),
        decision_date: get("decision_date"),
        members: get("members").lines().map(str::to_owned).collect(),
        note: get("note"),
        files: pairs
            .iter()
            .filter(|(n, _)| n == "file")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
    };
    match s.app.dispose_files(&u, &input).await {
        Ok(d) => Ok(Redirect::to(&format!("/arsiv/imha/{}", d.id)).into_response()),
        Err(e) => {
            let err = invalid(e)?;
            let q = ListQuery {
                liste: Some("expired".into()),
                ..Default::default()
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&s, l, &u, q, Some(err)).await?,
            )
                .into_response())
        }
    }
}
