//! Incoming correspondence's pages (/evrak): the tray and the deadline
//! list, the registration form with its scans, a document with what the
//! reader may do (routing, delivery, closing, filing), the register books
//! and the receipt.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use app::incoming::{CloseInput, RegisterInput, RouteInput, RouteTarget};
use app::{AppError, User};
use domain::code::Code;
use domain::correspondence::{Channel, Confidentiality, Urgency};
use domain::incoming::{Awaiting, Document, TrayLine};
use domain::local::{format_date as date_tr, format_datetime as local_time};

use crate::error::WebError;
use crate::multipart::{self, Form as Multi};
use crate::{id_of, render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/evrak", get(tray_page))
        .route("/evrak/sureler", get(due_page))
        .route("/evrak/toplu", post(bulk_submit))
        .route("/evrak/kayitlar", get(registrations_page))
        .route(
            "/evrak/yeni",
            get(register_page)
                .post(register_submit)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/evrak/eyazisma",
            get(eyazisma_page)
                .post(eyazisma_submit)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::incoming::api::PACKAGE_LIMIT + (1 << 20),
                )),
        )
        .route("/evrak/defter", get(book_page))
        .route("/evrak/{id}", get(document_page))
        .route("/evrak/{id}/alindi.pdf", get(receipt_page))
        .route("/evrak/{id}/havale", post(route_submit))
        .route("/evrak/{id}/teslim", post(deliver_submit))
        .route("/evrak/{id}/kapat", post(close_submit))
        .route("/evrak/{id}/dosyala", post(file_submit))
}

/// A tray or list line for the page.
struct Line {
    id: i64,
    number: String,
    subject: String,
    sender: String,
    due: String,
    /// The legal deadline, when the document has one, and the nearer date
    /// the marks count from when it is another (the routing's, the
    /// registrar's target): (label key, date).
    legal: Option<String>,
    nearer: Option<(&'static str, String)>,
    awaiting: &'static str,
    recipient: String,
    state: &'static str,
    classified: bool,
}

fn lines(s: &AppState, v: Vec<TrayLine>) -> Vec<Line> {
    let p = s.app.profile();
    v.into_iter()
        .map(|t| Line {
            id: t.line.id,
            number: t.line.number.clone(),
            subject: t.line.subject.clone(),
            sender: t.line.sender_name.clone(),
            due: t
                .line
                .effective_due()
                .map(date_tr)
                .unwrap_or_else(|| "—".into()),
            legal: t.line.due_date.map(date_tr),
            nearer: match t.due_kind {
                Some("internal") => t
                    .line
                    .effective_due()
                    .map(|d| ("tray.due.internal", date_tr(d))),
                Some("target") => t
                    .line
                    .effective_due()
                    .map(|d| ("tray.due.target", date_tr(d))),
                _ => None,
            },
            awaiting: match t.awaiting {
                Awaiting::Route => "tray.awaiting.route",
                Awaiting::Deliver => "tray.awaiting.deliver",
                Awaiting::Act => "tray.awaiting.act",
                Awaiting::Info => "tray.awaiting.info",
            },
            recipient: t
                .line
                .to_user_name
                .clone()
                .or_else(|| {
                    t.line.to_unit.as_deref().map(|u| {
                        p.unit(u).map_or(u.to_owned(), |x| {
                            domain::profile::Named::name_for(x, crate::i18n::english()).to_owned()
                        })
                    })
                })
                .unwrap_or_default(),
            state: if t.overdue {
                "overdue"
            } else if t.delivery_late {
                "late"
            } else if t.due_soon {
                "soon"
            } else {
                ""
            },
            classified: t.line.is_restricted(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "tray.html")]
struct TrayPage {
    l: Layout,
    lines: Vec<Line>,
    may_register: bool,
    title: &'static str,
    due_view: bool,
    /// The due list's filters: units and people to choose from, and
    /// what is chosen.
    units: Vec<(String, String)>,
    users: Vec<(String, String)>,
    unit: String,
    user: String,
    /// The tray's parts (code, label key) and the one shown.
    tabs: Vec<(&'static str, &'static str)>,
    kind: String,
    pager: Option<crate::pager::Pager>,
    /// Bulk actions on the ticked rows: `route` (with the sections and the
    /// staff to route to) or `deliver`; none elsewhere.
    bulk: Option<&'static str>,
    /// The outcome of the last bulk action: (done, refused, why).
    bulk_done: Option<(usize, usize, Option<&'static str>)>,
    /// The due list holds only the most urgent rows: it says so.
    due_full: bool,
}

#[derive(Deserialize)]
struct TrayPageQuery {
    bekleyen: Option<String>,
    sayfa: Option<i64>,
    /// After a bulk action: what it came to.
    yapildi: Option<usize>,
    reddedildi: Option<usize>,
    neden: Option<String>,
}

const TRAY_PER_PAGE: i64 = 100;
/// The due list shows the most urgent this many and says so when full.
const DUE_PAGE_ROWS: i64 = 100;

async fn tray_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<TrayPageQuery>,
) -> Result<Html<String>, WebError> {
    let kind_code = q
        .bekleyen
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .to_owned();
    let kind = super::api::tray_kind(Some(&kind_code))?;
    let page = q.sayfa.unwrap_or(1).max(1);
    let (tray, total, capped) = s.app.tray_page(&u, kind, page, TRAY_PER_PAGE).await?;
    let lines = lines(&s, tray);
    let caps = s.app.capabilities(&u).await?;
    let base = if kind_code.is_empty() {
        "/evrak".to_owned()
    } else {
        format!("/evrak?bekleyen={kind_code}")
    };
    let pager = if capped {
        let mut p = crate::pager::Pager::capped(Some(page), TRAY_PER_PAGE, total, base);
        // The last row shown is the last row there is.
        if (lines.len() as i64) < TRAY_PER_PAGE {
            p.capped = false;
            p.total = p.offset() + lines.len() as i64;
        }
        p
    } else {
        crate::pager::Pager::new(Some(page), TRAY_PER_PAGE, total, base)
    };
    let mut tabs = vec![("", "tray.tab.all")];
    if caps.route {
        tabs.push(("route", "tray.awaiting.route"));
    }
    tabs.extend([
        ("deliver", "tray.awaiting.deliver"),
        ("act", "tray.awaiting.act"),
        ("info", "tray.awaiting.info"),
    ]);
    let bulk = match kind_code.as_str() {
        "route" if caps.route && !lines.is_empty() => Some("route"),
        "deliver" if !lines.is_empty() => Some("deliver"),
        _ => None,
    };
    let (units, users) = if bulk == Some("route") {
        (sections(&s), directorate_people(&s, &u).await?)
    } else {
        (Vec::new(), Vec::new())
    };
    let bulk_done = crate::bulk::shown(q.yapildi, q.reddedildi, q.neden.as_deref());
    render(TrayPage {
        l,
        lines,
        may_register: caps.register,
        title: "tray.title",
        due_view: false,
        units,
        users,
        unit: String::new(),
        user: String::new(),
        tabs,
        kind: kind_code,
        pager: Some(pager),
        bulk,
        bulk_done,
        due_full: false,
    })
}

#[derive(Template)]
#[template(path = "registrations.html")]
struct RegistrationsPage {
    l: Layout,
    /// (id, number, registered at, subject, sender, state key, legal due)
    rows: Vec<(i64, String, String, String, String, &'static str, String)>,
    f: RegistrationsQuery,
    pager: crate::pager::Pager,
}

#[derive(Deserialize, Default, Clone)]
struct RegistrationsQuery {
    defter: Option<String>,
    baslangic: Option<String>,
    bitis: Option<String>,
    durum: Option<String>,
    sayfa: Option<i64>,
}

const REGISTRATIONS_PER_PAGE: i64 = 100;

/// Every registration, newest first, for the Kalem (m.16/1): by register,
/// dates and state, paged, with the count.
async fn registrations_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<RegistrationsQuery>,
) -> Result<Html<String>, WebError> {
    let day = |field: &'static str, v: &Option<String>| {
        app::input::date(field, v.as_deref().unwrap_or(""))
    };
    let start = |d: time::Date| {
        d.with_time(time::Time::MIDNIGHT)
            .assume_offset(domain::local::OFFSET)
    };
    let from = day("baslangic", &q.baslangic)?.map(start);
    let until = day("bitis", &q.bitis)?.map(|d| start(d.next_day().unwrap_or(d)));
    let pick = |v: &Option<String>, allowed: &[&str]| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| allowed.contains(v))
            .map(str::to_owned)
    };
    let f = store_filter(
        pick(&q.defter, &["incoming", "petition"]),
        from,
        until,
        pick(&q.durum, &["registered", "routed", "closed"]),
    );
    let page = q.sayfa.unwrap_or(1).clamp(1, 1_000_000);
    let (lines, total) = s
        .app
        .registrations(&u, &f, page, REGISTRATIONS_PER_PAGE)
        .await?;
    let mut base = String::from("/evrak/kayitlar?");
    for (k, v) in [
        ("defter", &q.defter),
        ("baslangic", &q.baslangic),
        ("bitis", &q.bitis),
        ("durum", &q.durum),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            base.push_str(&format!(
                "{k}={}&",
                url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            ));
        }
    }
    let base = base.trim_end_matches(['&', '?']).to_owned();
    let capped = total >= app::inbox::COUNT_CAP;
    let pager = if capped {
        crate::pager::Pager::capped(Some(page), REGISTRATIONS_PER_PAGE, total, base)
    } else {
        crate::pager::Pager::new(Some(page), REGISTRATIONS_PER_PAGE, total, base)
    };
    let rows = lines
        .into_iter()
        .map(|x| {
            let state = match x.state {
                domain::incoming::State::Registered => "doc.state.registered",
                domain::incoming::State::Routed => "doc.state.routed",
                domain::incoming::State::Closed => "doc.state.closed",
            };
            (
                x.id,
                x.number,
                local_time(x.registered_at),
                x.subject,
                x.sender_name,
                state,
                x.due_date.map(date_tr).unwrap_or_default(),
            )
        })
        .collect();
    render(RegistrationsPage {
        l,
        rows,
        f: q,
        pager,
    })
}

fn store_filter(
    register: Option<String>,
    from: Option<time::OffsetDateTime>,
    until: Option<time::OffsetDateTime>,
    state: Option<String>,
) -> app::incoming::RegistrationFilter {
    app::incoming::RegistrationFilter {
        register,
        from,
        until,
        state,
    }
}

#[derive(Deserialize)]
struct DueQuery {
    birim: Option<String>,
    kisi: Option<String>,
}

async fn due_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<DueQuery>,
) -> Result<Html<String>, WebError> {
    let unit = q.birim.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let user = q.kisi.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let lines = match s.app.due_list(&u, unit, user, DUE_PAGE_ROWS).await {
        Ok(v) => lines(&s, v),
        Err(AppError::Invalid { .. }) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let lines_full = lines.len() as i64 >= DUE_PAGE_ROWS;
    let may_register = s.app.capabilities(&u).await?.register;
    let units = sections(&s);
    let users = s
        .app
        .people(&u)
        .await?
        .into_iter()
        .filter_map(|st| st.username.map(|n| (n, st.full_name)))
        .collect();
    render(TrayPage {
        l,
        lines,
        may_register,
        title: "due.title",
        due_view: true,
        units,
        users,
        unit: unit.unwrap_or("").to_owned(),
        user: user.unwrap_or("").to_owned(),
        tabs: Vec::new(),
        kind: String::new(),
        pager: None,
        bulk: None,
        bulk_done: None,
        due_full: lines_full,
    })
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    l: Layout,
    f: RegisterInput,
    error: Option<(&'static str, &'static str)>,
    channels: Vec<(&'static str, &'static str)>,
    confidentiality: Vec<(&'static str, &'static str)>,
    urgencies: Vec<(&'static str, &'static str)>,
    today: String,
}

/// The directorate's sections, by name (the routing targets).
fn sections(s: &AppState) -> Vec<(String, String)> {
    let p = s.app.profile();
    p.children(&p.directorate().id)
        .map(|x| {
            (
                x.id.clone(),
                domain::profile::Named::name_for(x, crate::i18n::english()).to_owned(),
            )
        })
        .collect()
}

/// A legal period's basis in the reader's language, with its article.
pub(crate) fn basis_label(t: crate::i18n::Tr, b: &domain::calendar::LegalBasis) -> String {
    use domain::calendar::LegalBasis as B;
    match b {
        B::Petition => t.s("legal.petition").to_owned(),
        B::InformationRequest => t.s("legal.information").to_owned(),
        B::InformationRequestExtended => t.s("legal.information_extended").to_owned(),
        B::Kvkk => t.s("legal.kvkk").to_owned(),
        B::InterAgency(k) => t.f(
            "legal.inter_agency",
            &[
                ("kind", t.s(&format!("legal.request.{}", k.code()))),
                ("days", &k.working_days().to_string()),
            ],
        ),
        B::Days(n) => t.f("legal.days", &[("n", &n.to_string())]),
        B::WorkDays(n) => t.f("legal.workdays", &[("n", &n.to_string())]),
        B::Fixed(d) => t.f("legal.fixed", &[("date", &domain::local::format_date(*d))]),
    }
}

/// The directorate's staff a document can be routed to, by name and
/// post: not the caller himself, and no one outside the directorate (the
/// Başkan and his deputies route nothing down through this tray).
async fn directorate_people(s: &AppState, u: &User) -> Result<Vec<(String, String)>, WebError> {
    let p = s.app.profile();
    let dir = p.directorate().id.clone();
    let inside = |unit: &str| unit == dir || p.children(&dir).any(|x| x.id == unit);
    Ok(s.app
        .people(u)
        .await?
        .into_iter()
        .filter(|st| st.user_id != Some(u.id))
        .filter_map(|st| {
            let posts: Vec<&domain::profile::Position> = st
                .appointments
                .iter()
                .filter(|a| a.end_date.is_none())
                .filter_map(|a| p.position(&a.position))
                .filter(|x| inside(&x.unit))
                .collect();
            if posts.is_empty() {
                return None;
            }
            let names: Vec<&str> = posts
                .iter()
                .map(|x| domain::profile::Named::name_for(*x, crate::i18n::english()))
                .collect();
            st.username
                .map(|n| (n, format!("{} — {}", st.full_name, names.join(", "))))
        })
        .collect())
}

fn register_form(
    l: Layout,
    f: RegisterInput,
    error: Option<(&'static str, &'static str)>,
) -> Result<Html<String>, WebError> {
    let t = l.t;
    render(RegisterPage {
        l,
        f,
        error,
        channels: Channel::ALL
            .iter()
            .map(|c| (c.code(), t.code("channel", c.code())))
            .collect(),
        confidentiality: Confidentiality::FOR_NEW
            .iter()
            .map(|c| (c.code(), t.code("confidentiality", c.code())))
            .collect(),
        urgencies: Urgency::ALL
            .iter()
            .map(|c| (c.code(), t.code("urgency", c.code())))
            .collect(),
        today: domain::local::date(time::OffsetDateTime::now_utc()).to_string(),
    })
}

async fn register_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    s.app.may_register(&u).await?;
    // The form is where paper is registered (e-Yazışma arrives by itself):
    // by hand is the default channel.
    register_form(
        l,
        RegisterInput {
            channel: "hand".into(),
            ..RegisterInput::default()
        },
        None,
    )
}

/// The page that registers a received e-Yazışma package.
#[derive(Template)]
#[template(path = "eyazisma_import.html")]
struct EyazismaPage {
    l: Layout,
    /// (field, code, the package part at fault)
    error: Option<(&'static str, &'static str, String)>,
    file_code: String,
    personal_data: bool,
}

async fn eyazisma_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    s.app.may_register(&u).await?;
    render(EyazismaPage {
        l,
        error: None,
        file_code: String::new(),
        personal_data: false,
    })
}

/// Registers an uploaded package (`App::import_package`); a refusal
/// shows the page again with what is wrong, nothing registered.
async fn eyazisma_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    mut mp: axum::extract::Multipart,
) -> Result<Response, WebError> {
    s.app.may_register(&u).await?;
    let mut bytes = axum::body::Bytes::new();
    let mut file_code = String::new();
    let mut personal_data = false;
    let mut too_large = false;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                too_large = true;
                break;
            }
        };
        match field.name() {
            Some("package") => match field.bytes().await {
                Ok(b) => bytes = b,
                Err(_) => {
                    too_large = true;
                    break;
                }
            },
            Some("file_code") => file_code = field.text().await.unwrap_or_default(),
            Some("personal_data") => personal_data = true,
            _ => {}
        }
    }
    let page = |l, error| EyazismaPage {
        l,
        error: Some(error),
        file_code: file_code.clone(),
        personal_data,
    };
    if too_large {
        return Ok((
            StatusCode::PAYLOAD_TOO_LARGE,
            render(page(l, ("package", Code::TooLarge.as_str(), String::new())))?,
        )
            .into_response());
    }
    let options = app::eyazisma::ImportOptions {
        file_code: Some(file_code.trim().to_owned()).filter(|c| !c.is_empty()),
        personal_data: Some(personal_data),
        ..Default::default()
    };
    match s.app.import_package(&u, bytes, &options).await {
        Ok(i) => Ok(Redirect::to(&format!("/evrak/{}?kayit=tamam", i.document.id)).into_response()),
        Err(AppError::Package { code, part }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(page(
                l,
                ("package", code.as_str(), part.unwrap_or_default()),
            ))?,
        )
            .into_response()),
        Err(AppError::Invalid { field, code }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(page(l, (field, code.as_str(), String::new())))?,
        )
            .into_response()),
        Err(AppError::Conflict(code)) => Ok((
            StatusCode::CONFLICT,
            render(page(l, ("package", code.as_str(), String::new())))?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// The files a form already had (`kept_sha_N`, `kept_name_N`: kept
/// through a refusal, so nothing is chosen twice) and the new ones, each
/// once. Whether the reader may use a kept file is the use-case's check.
pub(crate) fn kept_and_new(
    f: &multipart::Fields,
    files: &[(String, String)],
) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = Vec::new();
    for i in 0..50 {
        let sha = f.get(&format!("kept_sha_{i}"));
        if !sha.trim().is_empty() {
            all.push((sha.trim().to_owned(), f.get(&format!("kept_name_{i}"))));
        }
    }
    all.extend(files.iter().cloned());
    let mut seen = std::collections::HashSet::new();
    all.retain(|(sha, _)| seen.insert(sha.clone()));
    all
}

/// A registration as the form typed it.
fn register_input(f: &multipart::Fields, files: &[(String, String)]) -> RegisterInput {
    RegisterInput {
        register: f.get("register"),
        channel: f.get("channel"),
        sender_kind: f.get("sender_kind"),
        sender_name: f.get("sender_name"),
        sender_id: f.get("sender_id"),
        sender_foreign_id: f.get("sender_foreign_id"),
        sender_ref: f.get("sender_ref"),
        sender_date: f.get("sender_date"),
        subject: f.get("subject"),
        file_code: f.get("file_code"),
        secondary_codes: f
            .all("secondary_code")
            .into_iter()
            .filter(|c| !c.trim().is_empty())
            .collect(),
        confidentiality: f.get("confidentiality"),
        urgency: f.get("urgency"),
        urgent_date: f.get("urgent_date"),
        personal_data: f.has("personal_data"),
        received_on: f.get("received_on"),
        legal_basis: f.get("legal_basis"),
        request_kind: f.get("request_kind"),
        target_date: f.get("target_date"),
        delivered_by: f.get("delivered_by"),
        received_by: f.get("received_by"),
        attachments: kept_and_new(f, files)
            .iter()
            .map(|(sha, _)| sha.clone())
            .collect(),
        attachment_names: kept_and_new(f, files).into_iter().map(|(_, n)| n).collect(),
    }
}

/// The registration form, with its scanned originals: text fields come
/// first in the form, so they are checked before a file is stored.
async fn register_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    mp: Multipart,
) -> Result<Response, WebError> {
    s.app.may_register(&u).await?;
    let (app, user) = (&s.app, &u);
    let check = |f: multipart::Fields| async move {
        app.check_incoming(user, &register_input(&f, &[])).await
    };
    let (f, error) = match multipart::read(&s, &u, mp, "scan", check).await? {
        Multi::Read { fields, files } => (register_input(&fields, &files), None),
        Multi::Refused {
            fields,
            files,
            field,
            code,
        } => (
            register_input(&fields, &files),
            Some((if field == "file" { "scan" } else { field }, code.as_str())),
        ),
    };
    if let Some(e) = error {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            register_form(l, f, Some(e))?,
        )
            .into_response());
    }
    match s.app.register_incoming(&u, &f).await {
        Ok(doc) => Ok(Redirect::to(&format!("/evrak/{}?kayit=tamam", doc.id)).into_response()),
        Err(AppError::Invalid { field, code }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            register_form(l, f, Some((field, code.as_str())))?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    l: Layout,
    d: Document,
    channel: String,
    confidentiality: String,
    urgency: String,
    file_code: String,
    /// The legal deadline (empty when no law sets one) and its basis.
    due: String,
    basis: String,
    /// The registrar's internal target (not a legal deadline).
    target: String,
    /// The sender's own date, when the document gives one.
    sender_date: String,
    received_on: String,
    registered_at: String,
    state: &'static str,
    routings: Vec<(String, String, &'static str, String, String, String, String)>,
    may_route: bool,
    may_deliver: bool,
    may_close: bool,
    may_reply: bool,
    /// Closed, not yet in a file, and the reader keeps the files.
    may_file: bool,
    /// The file it is in: (id, "code / year").
    filed: Option<(i64, String)>,
    units: Vec<(String, String)>,
    users: Vec<(String, String)>,
    notice: Option<&'static str>,
    error: Option<&'static str>,
    /// The first attachment a browser shows by itself: (SHA-256, is a PDF).
    preview: Option<(String, bool)>,
    /// Tasks made from it (m.18/1-c), and whether the reader may give one.
    tasks: Vec<app::tasks::TaskView>,
    may_task: bool,
}

#[derive(Deserialize)]
struct DocQuery {
    kayit: Option<String>,
    tamam: Option<String>,
}

async fn document_view(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    notice: Option<&'static str>,
    error: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let view = s.app.incoming(u, id).await?;
    let (d, actions) = (view.document, view.actions);
    let p = s.app.profile();
    let unit_name = |id: &str| {
        p.unit(id)
            .map(|x| domain::profile::Named::name_for(x, crate::i18n::english()).to_owned())
            .unwrap_or_else(|| id.to_owned())
    };
    let units = sections(s);
    let users = directorate_people(s, u).await?;
    let filed = s
        .app
        .file_of_document(u, &format!("incoming:{id}"))
        .await?
        .map(|f| {
            (
                f.file.id,
                format!("{} {} / {}", f.file.file_code, f.file.title, f.file.year),
            )
        });
    let closed = d.state == domain::incoming::State::Closed;
    let may_file = closed && filed.is_none() && s.app.capabilities(u).await?.register;
    let routings = d
        .routings
        .iter()
        .map(|r| {
            (
                r.to_user_name
                    .clone()
                    .unwrap_or_else(|| r.to_unit.as_deref().map(unit_name).unwrap_or_default()),
                r.routed_by_name.clone(),
                if r.purpose == "action" {
                    "route.action"
                } else {
                    "route.info"
                },
                r.note.clone(),
                r.internal_due.map(date_tr).unwrap_or_default(),
                local_time(r.routed_at),
                r.delivered_at
                    .map(|t| {
                        format!(
                            "{} ({})",
                            local_time(t),
                            r.delivered_by_name.clone().unwrap_or_default()
                        )
                    })
                    .unwrap_or_default(),
            )
        })
        .collect();
    let preview = d
        .attachments
        .iter()
        .find(|a| crate::attachments::api::previewable(&a.content_type))
        .map(|a| (a.sha256.clone(), a.content_type == "application/pdf"));
    let tasks = s
        .app
        .tasks_from(u, domain::task::TaskSource::Incoming, id)
        .await?;
    let may_task = s.app.capabilities(u).await?.give_tasks && !closed;
    render(DocumentPage {
        tasks,
        may_task,
        preview,
        channel: l.t.code("channel", &d.channel).to_owned(),
        confidentiality: l.t.code("confidentiality", &d.confidentiality).to_owned(),
        urgency: l.t.code("urgency", &d.urgency).to_owned(),
        file_code: domain::fileplan::FilePlan::builtin()
            .get(&d.file_code)
            .map(|c| format!("{} {}", c.code, c.name))
            .unwrap_or(d.file_code.clone()),
        due: d.due_date.map(date_tr).unwrap_or_default(),
        target: d.target_date.map(date_tr).unwrap_or_default(),
        sender_date: d.sender_date.map(date_tr).unwrap_or_default(),
        basis: domain::calendar::LegalBasis::parse(&d.legal_basis)
            .map(|b| basis_label(l.t, &b))
            .unwrap_or_default(),
        received_on: date_tr(d.received_on),
        registered_at: local_time(d.registered_at),
        state: d.state.code(),
        routings,
        may_route: actions.route,
        may_deliver: actions.deliver,
        may_close: actions.close,
        may_reply: actions.reply,
        may_file,
        filed,
        units,
        users,
        notice,
        error,
        d,
        l,
    })
}

async fn document_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DocQuery>,
) -> Result<Html<String>, WebError> {
    let id = id_of(&id)?;
    let notice = match (q.kayit.as_deref(), q.tamam.as_deref()) {
        (Some(_), _) => Some("doc.registered_ok"),
        (_, Some("havale")) => Some("doc.routed"),
        (_, Some("teslim")) => Some("doc.delivered"),
        (_, Some("kapandi")) => Some("doc.closed"),
        (_, Some("dosyalandi")) => Some("doc.filed"),
        _ => None,
    };
    document_view(&s, l, &u, id, notice, None).await
}

#[derive(Template)]
#[template(path = "book.html")]
struct BookPage {
    l: Layout,
    from: String,
    to: String,
    error: Option<(&'static str, &'static str)>,
}

/// The register book form; with dates filled in, the book itself.
async fn book_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<super::api::BookQuery>,
) -> Result<Response, WebError> {
    if q.from.is_none() && q.to.is_none() {
        let today = domain::local::date(time::OffsetDateTime::now_utc());
        let first = today.replace_day(1).unwrap_or(today);
        return Ok(render(BookPage {
            l,
            from: first.to_string(),
            to: today.to_string(),
            error: None,
        })?
        .into_response());
    }
    match super::api::book_response(&s, &u, &q).await {
        Ok(r) => Ok(r),
        Err(e) if e.0 == StatusCode::UNPROCESSABLE_ENTITY => {
            let err = e.field_error();
            let page = BookPage {
                l,
                from: q.from.unwrap_or_default(),
                to: q.to.unwrap_or_default(),
                error: Some(err),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn receipt_page(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    super::api::receipt_response(&s, &u, id_of(&id)?).await
}

async fn after(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    result: Result<(), AppError>,
    done: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/evrak/{id}?tamam={done}")).into_response()),
        Err(
            e @ (AppError::Invalid { .. } | AppError::Conflict(_) | AppError::Forbidden { .. }),
        ) => {
            let (status, code) = match &e {
                AppError::Invalid { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, *code),
                AppError::Conflict(c) => (StatusCode::CONFLICT, *c),
                _ => (StatusCode::FORBIDDEN, Code::Forbidden),
            };
            let code = code.as_str();
            Ok((status, document_view(s, l, u, id, None, Some(code)).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct RouteForm {
    #[serde(default)]
    target: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    internal_due: String,
    #[serde(default)]
    info_target: String,
}

/// `target` is `unit:<id>` or `user:<username>`.
fn target(t: &str, purpose: &str, note: &str, due: &str) -> RouteTarget {
    let (unit, user) = match t.split_once(':') {
        Some(("unit", u)) => (u.to_owned(), String::new()),
        Some(("user", u)) => (String::new(), u.to_owned()),
        _ => (String::new(), String::new()),
    };
    RouteTarget {
        unit,
        user,
        purpose: purpose.to_owned(),
        note: note.to_owned(),
        internal_due: due.to_owned(),
    }
}

async fn route_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    form: Result<Form<RouteForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request());
    };
    let mut targets = vec![target(&f.target, &f.purpose, &f.note, &f.internal_due)];
    if !f.info_target.trim().is_empty() {
        targets.push(target(&f.info_target, "info", "", ""));
    }
    let result = s
        .app
        .route_incoming(&u, id, &RouteInput { targets })
        .await
        .map(|_| ());
    after(&s, l, &u, id, result, "havale").await
}

/// Bulk havale or zimmet from the tray: each ticked document goes through
/// the same use-case as on its own page (its own authority check, its own
/// transaction and audit record); the tray then says how many were done
/// and how many refused.
async fn bulk_submit(
    State(s): State<AppState>,
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
    let action = get("action");
    let mut tally = crate::bulk::Tally::default();
    for id in crate::bulk::ids(&pairs) {
        let result = match action.as_str() {
            "route" => {
                let targets = vec![target(
                    &get("target"),
                    &get("purpose"),
                    &get("note"),
                    &get("internal_due"),
                )];
                s.app
                    .route_incoming(&u, id, &RouteInput { targets })
                    .await
                    .map(|_| ())
            }
            "deliver" => s.app.take_delivery(&u, id).await.map(|_| ()),
            _ => return Err(AppError::invalid("action", Code::UnknownState).into()),
        };
        tally.add(result)?;
    }
    let back = if action == "route" {
        "route"
    } else {
        "deliver"
    };
    Ok(Redirect::to(&format!("/evrak?bekleyen={back}&{}", tally.query())).into_response())
}

async fn deliver_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let result = s.app.take_delivery(&u, id).await.map(|_| ());
    after(&s, l, &u, id, result, "teslim").await
}

async fn close_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    form: Result<Form<CloseInput>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request());
    };
    let result = s.app.close_incoming(&u, id, &f).await;
    after(&s, l, &u, id, result, "kapandi").await
}

/// "Dosyala": into the directorate's file of its code and year (m.22).
async fn file_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let result = s
        .app
        .file_into_archive(&u, &format!("incoming:{id}"))
        .await
        .map(|_| ());
    after(&s, l, &u, id, result, "dosyalandi").await
}
