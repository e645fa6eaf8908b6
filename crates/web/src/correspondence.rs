//! Incoming correspondence over the JSON API: the deadline calculator,
//! registering, one document, routing, delivery, closing, the tray and the
//! deadline list, and the calendar's edits. Mounted under `/api/v1` by
//! `api::router` (same layers, same error shape).

use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{extract::State, Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::correspondence::{CloseInput, RegisterInput, RouteInput};
use domain::calendar::SpecialDay;

use crate::api::{ApiJson, ApiPath, ApiQuery};
use crate::error::WebError;
use crate::{AppState, SignedIn};

pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/calendar/deadline", get(deadline))
        .route("/calendar/days", get(calendar_days))
        .route("/calendar/days/{day}", put(set_calendar_day).delete(clear_calendar_day))
        .route("/incoming", post(register))
        .route("/incoming/due", get(due_list))
        .route("/incoming/book", get(book))
        .route("/incoming/{id}/receipt.pdf", get(receipt))
        .route("/incoming/{id}", get(incoming))
        .route("/incoming/{id}/routings", post(route))
        .route("/incoming/{id}/delivery", post(deliver))
        .route("/incoming/{id}/close", post(close))
        .route("/incoming/{id}/extension", post(extend))
        .route("/tray", get(tray))
        .route("/digest", post(send_digest))
}

#[derive(Deserialize, IntoParams)]
pub struct DeadlineQuery {
    /// Date of receipt, YYYY-MM-DD (not counted).
    pub received: Option<String>,
    /// `dilekce`, `bilgi_edinme`, `bilgi_edinme_uzatma`, `kvkk`, `days:N`,
    /// `workdays:N`, `gunlu:YYYY-MM-DD`.
    pub basis: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DeadlineAnswer {
    /// The answer deadline, YYYY-MM-DD.
    pub due: String,
    pub received: String,
    pub basis: String,
    /// The law and period, in Turkish.
    pub basis_description: String,
}

#[utoipa::path(get, path = "/api/v1/calendar/deadline", tag = "correspondence", params(DeadlineQuery),
    responses((status = 200, body = DeadlineAnswer), (status = 401, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn deadline(State(s): State<AppState>, SignedIn(_u): SignedIn, ApiQuery(q): ApiQuery<DeadlineQuery>) -> Result<Json<DeadlineAnswer>, WebError> {
    let received = q.received.unwrap_or_default();
    let (due, basis) = s.app.deadline(&received, q.basis.as_deref().unwrap_or("")).await?;
    Ok(Json(DeadlineAnswer { due: due.to_string(), received: received.trim().to_owned(), basis: basis.code(), basis_description: basis.description_tr() }))
}

#[utoipa::path(get, path = "/api/v1/calendar/days", tag = "correspondence",
    responses((status = 200, body = Object, description = "The administrator's edits of the calendar (idari izin days and corrections)"),
              (status = 401, body = crate::error::ErrorBody)))]
pub async fn calendar_days(State(s): State<AppState>, SignedIn(_u): SignedIn) -> Result<Json<Vec<SpecialDay>>, WebError> {
    Ok(Json(s.app.calendar_edits().await?))
}

#[derive(Deserialize, ToSchema)]
pub struct CalendarDayInput {
    /// `holiday`, `half_day`, `admin_leave` (idari izin) or `working`.
    pub kind: String,
    pub name: String,
}

#[utoipa::path(put, path = "/api/v1/calendar/days/{day}", tag = "correspondence", params(("day" = String, Path, description = "YYYY-MM-DD")),
    request_body = CalendarDayInput,
    responses((status = 204, description = "Deadlines computed from now on use it"), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_calendar_day(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(day): ApiPath<String>,
    ApiJson(r): ApiJson<CalendarDayInput>,
) -> Result<StatusCode, WebError> {
    if r.kind.trim().is_empty() {
        return Err(app::AppError::invalid("kind", "required").into());
    }
    s.app.set_calendar_day(&u, &day, &r.kind, &r.name).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/calendar/days/{day}", tag = "correspondence", params(("day" = String, Path)),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn clear_calendar_day(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(day): ApiPath<String>) -> Result<StatusCode, WebError> {
    s.app.set_calendar_day(&u, &day, "", "").await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/incoming", tag = "correspondence", request_body = RegisterInput,
    responses((status = 201, body = Object, description = "Registered: the document with its number and due date"),
              (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "Registering is the Kalem's (register_correspondence, m.16/1)"),
              (status = 422, body = crate::error::ErrorBody, description = "A field is wrong; nothing was saved")))]
pub async fn register(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<RegisterInput>,
) -> Result<(StatusCode, Json<store::correspondence::Incoming>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.register_incoming(&u, &r).await?)))
}

#[utoipa::path(get, path = "/api/v1/incoming/{id}", tag = "correspondence", params(("id" = i64, Path)),
    responses((status = 200, body = Object), (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody, description = "No such document, or one the caller may not see")))]
pub async fn incoming(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<store::correspondence::Incoming>, WebError> {
    Ok(Json(s.app.incoming(&u, id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Ids {
    pub routings: Vec<i64>,
}

#[utoipa::path(post, path = "/api/v1/incoming/{id}/routings", tag = "correspondence", params(("id" = i64, Path)), request_body = RouteInput,
    responses((status = 201, body = Ids), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "Missing route_incoming (m.20/1-b)"),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn route(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<RouteInput>,
) -> Result<(StatusCode, Json<Ids>), WebError> {
    Ok((StatusCode::CREATED, Json(Ids { routings: s.app.route_incoming(&u, id, &r).await? })))
}

#[utoipa::path(post, path = "/api/v1/incoming/{id}/delivery", tag = "correspondence", params(("id" = i64, Path)),
    responses((status = 200, body = Ids, description = "Custody taken of these routings"), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn deliver(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<Json<Ids>, WebError> {
    Ok(Json(Ids { routings: s.app.take_delivery(&u, id).await? }))
}

#[utoipa::path(post, path = "/api/v1/incoming/{id}/close", tag = "correspondence", params(("id" = i64, Path)), request_body = CloseInput,
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn close(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<CloseInput>,
) -> Result<StatusCode, WebError> {
    s.app.close_incoming(&u, id, &r).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ExtensionInput {
    /// Date and number of the written notice sent to the applicant.
    pub notice_ref: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExtensionAnswer {
    /// The new due date, YYYY-MM-DD (30 working days from receipt).
    pub due: String,
}

#[utoipa::path(post, path = "/api/v1/incoming/{id}/extension", tag = "correspondence", params(("id" = i64, Path)), request_body = ExtensionInput,
    responses((status = 200, body = ExtensionAnswer, description = "Extended once under 4982 m.11/2"), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn extend(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<ExtensionInput>,
) -> Result<Json<ExtensionAnswer>, WebError> {
    Ok(Json(ExtensionAnswer { due: s.app.extend_incoming(&u, id, &r.notice_ref).await?.to_string() }))
}

#[utoipa::path(get, path = "/api/v1/tray", tag = "correspondence",
    responses((status = 200, body = Object, description = "What waits for the caller: to route, to take into custody, to act on"),
              (status = 401, body = crate::error::ErrorBody)))]
pub async fn tray(State(s): State<AppState>, SignedIn(u): SignedIn) -> Result<Json<Vec<app::correspondence::TrayLine>>, WebError> {
    Ok(Json(s.app.tray(&u).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct BookQuery {
    /// `incoming` (default) or `petition`.
    pub register: Option<String>,
    /// First day, YYYY-MM-DD.
    pub from: Option<String>,
    /// Last day (inclusive), YYYY-MM-DD.
    pub to: Option<String>,
    /// `pdf` (default) or `csv`.
    pub format: Option<String>,
}

/// Writes a register book to a temporary file (memory stays flat), then
/// streams it; the file is gone once the response is sent.
pub async fn book_response(s: &AppState, u: &store::User, q: &BookQuery) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let format = app::books::BookFormat::parse(q.format.as_deref().unwrap_or("")).ok_or(app::AppError::invalid("format", "bad_format"))?;
    let internal = |e: std::io::Error| WebError::from(app::AppError::Internal(e.into()));
    let tmp = tempfile::tempfile().map_err(internal)?;
    let mut out = std::io::BufWriter::new(tmp.try_clone().map_err(internal)?);
    let (from, to) = (q.from.clone().unwrap_or_default(), q.to.clone().unwrap_or_default());
    let register = q.register.clone().unwrap_or_default();
    match register.as_str() {
        "outgoing" => s.app.letter_book(u, &from, &to, false, format, &mut out).await?,
        "courier" => s.app.letter_book(u, &from, &to, true, format, &mut out).await?,
        _ => s.app.register_book(u, &register, &from, &to, format, &mut out).await?,
    };
    std::io::Write::flush(&mut out).map_err(internal)?;
    drop(out);
    let mut file = tokio::fs::File::from_std(tmp);
    tokio::io::AsyncSeekExt::seek(&mut file, std::io::SeekFrom::Start(0)).await.map_err(internal)?;
    let len = file.metadata().await.map_err(internal)?.len();
    let (ctype, ext) = match format {
        app::books::BookFormat::Pdf => ("application/pdf", "pdf"),
        app::books::BookFormat::Csv => ("text/csv; charset=utf-8", "csv"),
    };
    let kind = match register.as_str() {
        "petition" => "dilekce-defteri",
        "outgoing" => "giden-evrak-defteri",
        "courier" => "zimmet-listesi",
        _ => "gelen-evrak-defteri",
    };
    let name = format!("{kind}-{}-{}.{ext}", from.trim(), to.trim());
    let headers = [
        (axum::http::header::CONTENT_TYPE, ctype.to_owned()),
        (axum::http::header::CONTENT_LENGTH, len.to_string()),
        (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
    ];
    Ok((headers, axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file))).into_response())
}

#[utoipa::path(get, path = "/api/v1/incoming/book", tag = "correspondence", params(BookQuery),
    responses((status = 200, description = "The register book (PDF or CSV): sıra no, kayıt tarihi, gönderen, sayısı, tarihi, konusu, ek, havale edildiği yer, teslim alan", content_type = "application/pdf"),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn book(State(s): State<AppState>, SignedIn(u): SignedIn, ApiQuery(q): ApiQuery<BookQuery>) -> Result<axum::response::Response, WebError> {
    book_response(&s, &u, &q).await
}

#[utoipa::path(get, path = "/api/v1/incoming/{id}/receipt.pdf", tag = "correspondence", params(("id" = i64, Path)),
    responses((status = 200, description = "The receipt (alındı belgesi)", content_type = "application/pdf"),
              (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn receipt(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<axum::response::Response, WebError> {
    receipt_response(&s, &u, id).await
}

pub async fn receipt_response(s: &AppState, u: &store::User, id: i64) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let (doc, bytes) = s.app.receipt(u, id).await?;
    let name = format!("alindi-{}.pdf", doc.number.replace('/', "-"));
    let headers = [
        (axum::http::header::CONTENT_TYPE, "application/pdf".to_owned()),
        (axum::http::header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
    ];
    Ok((headers, bytes).into_response())
}

#[utoipa::path(post, path = "/api/v1/digest", tag = "correspondence",
    responses((status = 200, body = app::digest::DigestReport, description = "The daily digest was sent now"),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "No [smtp] configured"),
              (status = 503, body = crate::error::ErrorBody, description = "The SMTP server refused or cannot be reached")))]
pub async fn send_digest(State(s): State<AppState>, SignedIn(u): SignedIn) -> Result<Json<app::digest::DigestReport>, WebError> {
    if !u.is_admin {
        return Err(app::AppError::forbidden("administrator").into());
    }
    Ok(Json(s.app.send_digest().await?))
}

#[derive(Deserialize, IntoParams)]
pub struct DueQuery {
    /// One unit of the profile, e.g. `bt`.
    pub unit: Option<String>,
    /// One person's username.
    pub user: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/incoming/due", tag = "correspondence", params(DueQuery),
    responses((status = 200, body = Object, description = "Overdue and due-soon documents"), (status = 401, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn due_list(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<DueQuery>,
) -> Result<Json<Vec<app::correspondence::TrayLine>>, WebError> {
    let unit = q.unit.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let user = q.user.as_deref().map(str::trim).filter(|s| !s.is_empty());
    Ok(Json(s.app.due_list(&u, unit, user).await?))
}

// ------------------------------------------------------------------ pages

mod pages {
    use askama::Template;
    use axum::extract::{Multipart, Path, Query, State};
    use axum::http::StatusCode;
    use axum::response::{Html, IntoResponse, Redirect, Response};
    use axum::routing::{get, post};
    use axum::{Form, Router};
    use serde::Deserialize;

    use app::correspondence::{local_date, CloseInput, RegisterInput, RouteInput, RouteTarget, TrayLine};
    use app::AppError;
    use domain::correspondence::{Channel, Confidentiality, Urgency};
    use store::correspondence::Incoming;

    use crate::error::WebError;
    use crate::pages::render;
    use crate::people::local_time;
    use crate::security::csrf_pages;
    use crate::{AppState, Layout, SignedIn};

    pub fn router() -> Router<AppState> {
        Router::new()
            .route("/evrak", get(tray_page))
            .route("/evrak/sureler", get(due_page))
            .route("/evrak/yeni", get(register_page).post(register_submit).layer(axum::extract::DefaultBodyLimit::disable()))
            .route("/evrak/defter", get(book_page))
            .route("/yonetim/takvim", get(calendar_page).post(calendar_submit))
            .route("/evrak/{id}", get(document_page))
            .route("/evrak/{id}/alindi.pdf", get(receipt_page))
            .route("/evrak/{id}/havale", post(route_submit))
            .route("/evrak/{id}/teslim", post(deliver_submit))
            .route("/evrak/{id}/kapat", post(close_submit))
            .route("/evrak/{id}/dosyala", post(file_submit))
            .layer(axum::middleware::from_fn(csrf_pages))
    }

    fn date_tr(d: time::Date) -> String {
        format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
    }

    /// A tray or list line for the page.
    struct Line {
        id: i64,
        number: String,
        subject: String,
        sender: String,
        due: String,
        awaiting: &'static str,
        recipient: String,
        state: &'static str,
        classified: bool,
    }

    fn lines(v: Vec<TrayLine>) -> Vec<Line> {
        v.into_iter()
            .map(|t| Line {
                id: t.line.id,
                number: t.line.number.clone(),
                subject: t.line.subject.clone(),
                sender: t.line.sender_name.clone(),
                due: date_tr(t.line.effective_due()),
                awaiting: match t.awaiting {
                    "route" => "tray.awaiting.route",
                    "deliver" => "tray.awaiting.deliver",
                    "act" => "tray.awaiting.act",
                    _ => "tray.awaiting.info",
                },
                recipient: t.line.to_user.clone().or(t.line.to_unit.clone()).unwrap_or_default(),
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
    }

    async fn tray_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn) -> Result<Html<String>, WebError> {
        let lines = lines(s.app.tray(&u).await?);
        let may_register = s.app.holds(&u, "register_correspondence").await?;
        render(TrayPage { l, lines, may_register, title: "tray.title", due_view: false, units: Vec::new(), users: Vec::new(), unit: String::new(), user: String::new() })
    }

    #[derive(Deserialize)]
    struct DueQuery {
        birim: Option<String>,
        kisi: Option<String>,
    }

    async fn due_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Query(q): Query<DueQuery>) -> Result<Html<String>, WebError> {
        let unit = q.birim.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let user = q.kisi.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let lines = match s.app.due_list(&u, unit, user).await {
            Ok(v) => lines(v),
            Err(AppError::Invalid { .. }) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        let may_register = s.app.holds(&u, "register_correspondence").await?;
        let p = s.app.profile();
        let units = p.units().iter().filter(|x| x.parent.as_deref() == Some("mudurluk")).map(|x| (x.id.clone(), x.name.clone())).collect();
        let users = s.app.people(&u).await?.into_iter().filter_map(|st| st.username.map(|n| (n, st.full_name))).collect();
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

    fn register_form(l: Layout, f: RegisterInput, error: Option<(&'static str, &'static str)>) -> Result<Html<String>, WebError> {
        render(RegisterPage {
            l,
            f,
            error,
            channels: Channel::ALL.iter().map(|c| (c.code(), c.name_tr())).collect(),
            confidentiality: Confidentiality::ALL.iter().map(|c| (c.code(), c.name_tr())).collect(),
            urgencies: Urgency::ALL.iter().map(|c| (c.code(), c.name_tr())).collect(),
            today: local_date(time::OffsetDateTime::now_utc()).to_string(),
        })
    }

    async fn register_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn) -> Result<Html<String>, WebError> {
        if !s.app.holds(&u, "register_correspondence").await? {
            return Err(AppError::forbidden("register_correspondence").into());
        }
        register_form(l, RegisterInput { legal_basis: "days:30".into(), ..Default::default() }, None)
    }

    /// The registration form, with its scanned originals: text fields come
    /// first in the form, so they are checked before a file is stored.
    async fn register_submit(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, mut mp: Multipart) -> Result<Response, WebError> {
        if !s.app.holds(&u, "register_correspondence").await? {
            return Err(AppError::forbidden("register_correspondence").into());
        }
        let mut f = RegisterInput::default();
        let mut checked = false;
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
                if !checked {
                    // Everything but the files must be right before a file is kept.
                    if let Err(AppError::Invalid { field, code }) = s.app.check_incoming(&f).await {
                        return Ok((StatusCode::UNPROCESSABLE_ENTITY, register_form(l, f, Some((field, code)))?).into_response());
                    }
                    checked = true;
                }
                match s.app.store_attachment(&u, "", field).await {
                    Ok(rec) => {
                        f.attachments.push(rec.sha256);
                        f.attachment_names.push(file_name);
                    }
                    Err(AppError::Invalid { code, .. }) => {
                        return Ok((StatusCode::UNPROCESSABLE_ENTITY, register_form(l, f, Some(("scan", code)))?).into_response());
                    }
                    Err(e) => return Err(e.into()),
                }
                continue;
            }
            let value = match field.text().await {
                Ok(v) => v,
                Err(_) => return Err(WebError::bad_request()),
            };
            match name.as_str() {
                "register" => f.register = value,
                "channel" => f.channel = value,
                "sender_kind" => f.sender_kind = value,
                "sender_name" => f.sender_name = value,
                "sender_id" => f.sender_id = value,
                "sender_foreign_id" => f.sender_foreign_id = value,
                "sender_ref" => f.sender_ref = value,
                "sender_date" => f.sender_date = value,
                "subject" => f.subject = value,
                "file_code" => f.file_code = value,
                "secondary_code" if !value.trim().is_empty() => f.secondary_codes.push(value),
                "confidentiality" => f.confidentiality = value,
                "urgency" => f.urgency = value,
                "urgent_date" => f.urgent_date = value,
                "personal_data" => f.personal_data = true,
                "received_on" => f.received_on = value,
                "legal_basis" => f.legal_basis = value,
                "delivered_by" => f.delivered_by = value,
                "received_by" => f.received_by = value,
                _ => {}
            }
        }
        match s.app.register_incoming(&u, &f).await {
            Ok(doc) => Ok(Redirect::to(&format!("/evrak/{}?kayit=tamam", doc.id)).into_response()),
            Err(AppError::Invalid { field, code }) => {
                Ok((StatusCode::UNPROCESSABLE_ENTITY, register_form(l, f, Some((field, code)))?).into_response())
            }
            Err(e) => Err(e.into()),
        }
    }

    #[derive(Template)]
    #[template(path = "document.html")]
    struct DocumentPage {
        l: Layout,
        d: Incoming,
        channel: String,
        confidentiality: String,
        urgency: String,
        file_code: String,
        due: String,
        basis: String,
        received_on: String,
        registered_at: String,
        routings: Vec<(String, String, &'static str, String, String, String, String)>,
        may_route: bool,
        may_deliver: bool,
        may_close: bool,
        /// Closed, not yet in a file, and the reader keeps the files.
        may_file: bool,
        /// The file it is in: (id, "code / year").
        filed: Option<(i64, String)>,
        units: Vec<(String, String)>,
        users: Vec<(String, String)>,
        notice: Option<&'static str>,
        error: Option<&'static str>,
    }

    #[derive(Deserialize)]
    struct DocQuery {
        kayit: Option<String>,
        tamam: Option<String>,
    }

    async fn document_view(
        s: &AppState,
        l: Layout,
        u: &store::User,
        id: i64,
        notice: Option<&'static str>,
        error: Option<&'static str>,
    ) -> Result<Html<String>, WebError> {
        let d = s.app.incoming(u, id).await?;
        let v = s.app.viewer(u).await?;
        let p = s.app.profile();
        let unit_name = |id: &str| p.unit(id).map(|x| x.name.clone()).unwrap_or_else(|| id.to_owned());
        let mine = |r: &store::correspondence::Routing| r.to_user_id == Some(u.id) || r.to_unit.as_ref().is_some_and(|x| v.units.contains(x));
        let open = d.state != "closed";
        let may_deliver = open && d.routings.iter().any(|r| r.delivered_at.is_none() && mine(r));
        let may_close = open && (v.routes || d.routings.iter().any(|r| r.purpose == "action" && r.delivered_at.is_some() && mine(r)));
        let section_head = d.routings.iter().any(|r| r.to_unit.as_ref().is_some_and(|x| v.units.contains(x)));
        let may_route = open && (v.routes || section_head);
        let units = p
            .units()
            .iter()
            .filter(|x| x.parent.as_deref() == Some("mudurluk"))
            .map(|x| (x.id.clone(), x.name.clone()))
            .collect();
        let users = s.app.people(u).await?.into_iter().filter_map(|st| st.username.map(|n| (n, st.full_name))).collect();
        let filed = s.app.file_of_document(&format!("incoming:{id}")).await?.map(|f| (f.id, format!("{} {} / {}", f.file_code, f.title, f.year)));
        let may_file = !open && filed.is_none() && s.app.holds(u, "register_correspondence").await?;
        let routings = d
            .routings
            .iter()
            .map(|r| {
                (
                    r.to_user.clone().unwrap_or_else(|| r.to_unit.as_deref().map(unit_name).unwrap_or_default()),
                    r.routed_by.clone(),
                    if r.purpose == "action" { "route.action" } else { "route.info" },
                    r.note.clone(),
                    r.internal_due.map(date_tr).unwrap_or_default(),
                    local_time(r.routed_at),
                    r.delivered_at.map(|t| format!("{} ({})", local_time(t), r.delivered_by.clone().unwrap_or_default())).unwrap_or_default(),
                )
            })
            .collect();
        render(DocumentPage {
            channel: Channel::parse(&d.channel).map(|c| c.name_tr()).unwrap_or("").to_owned(),
            confidentiality: Confidentiality::parse(&d.confidentiality).map(|c| c.name_tr()).unwrap_or("").to_owned(),
            urgency: Urgency::parse(&d.urgency).map(|c| c.name_tr()).unwrap_or("").to_owned(),
            file_code: domain::fileplan::FilePlan::builtin().get(&d.file_code).map(|c| format!("{} {}", c.code, c.name)).unwrap_or(d.file_code.clone()),
            due: date_tr(d.due_date),
            basis: domain::calendar::LegalBasis::parse(&d.legal_basis).map(|b| b.description_tr()).unwrap_or_else(|_| d.legal_basis.clone()),
            received_on: date_tr(d.received_on),
            registered_at: local_time(d.registered_at),
            routings,
            may_route,
            may_deliver,
            may_close,
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
        let id: i64 = id.parse().map_err(|_| WebError::new(StatusCode::NOT_FOUND, "not_found"))?;
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
        Query(q): Query<super::BookQuery>,
    ) -> Result<Response, WebError> {
        if q.from.is_none() && q.to.is_none() {
            let today = local_date(time::OffsetDateTime::now_utc());
            let first = today.replace_day(1).unwrap_or(today);
            return Ok(render(BookPage { l, from: first.to_string(), to: today.to_string(), error: None })?.into_response());
        }
        match super::book_response(&s, &u, &q).await {
            Ok(r) => Ok(r),
            Err(e) if e.0 == StatusCode::UNPROCESSABLE_ENTITY => {
                let err = (e.1.field.unwrap_or(""), e.1.code);
                let page = BookPage { l, from: q.from.unwrap_or_default(), to: q.to.unwrap_or_default(), error: Some(err) };
                Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
            }
            Err(e) => Err(e),
        }
    }

    #[derive(Template)]
    #[template(path = "calendar.html")]
    struct CalendarPage {
        l: Layout,
        year: i32,
        /// Date (dd.mm.yyyy), ISO date, kind key, name, an administrator's edit.
        days: Vec<(String, String, &'static str, String, bool)>,
        error: Option<&'static str>,
        done: bool,
        is_admin: bool,
    }

    #[derive(Deserialize)]
    struct YearQuery {
        yil: Option<i32>,
        tamam: Option<String>,
    }

    fn kind_key(k: domain::calendar::DayKind) -> &'static str {
        match k {
            domain::calendar::DayKind::Holiday => "calendar.holiday",
            domain::calendar::DayKind::HalfDay => "calendar.half_day",
            domain::calendar::DayKind::AdminLeave => "calendar.admin_leave",
            domain::calendar::DayKind::Working => "calendar.working",
        }
    }

    async fn calendar_view(s: &AppState, l: Layout, year: i32, error: Option<&'static str>, done: bool) -> Result<Html<String>, WebError> {
        let edits = s.app.calendar_edits().await?;
        let mut days: Vec<(time::Date, domain::calendar::DayKind, String, bool)> = domain::calendar::shipped_holidays()
            .iter()
            .filter(|d| d.date.year() == year && !edits.iter().any(|e| e.date == d.date))
            .map(|d| (d.date, d.kind, d.name.clone(), false))
            .collect();
        days.extend(edits.into_iter().filter(|e| e.date.year() == year).map(|e| (e.date, e.kind, e.name, true)));
        days.sort_by_key(|d| d.0);
        let days = days.into_iter().map(|(d, k, n, e)| (date_tr(d), d.to_string(), kind_key(k), n, e)).collect();
        let is_admin = l.user.as_ref().is_some_and(|u| u.is_admin);
        render(CalendarPage { l, year, days, error, done, is_admin })
    }

    /// The working calendar of a year: the shipped holidays and the
    /// administrator's edits (idari izin days, corrections), editable by
    /// administrators.
    async fn calendar_page(State(s): State<AppState>, l: Layout, SignedIn(_u): SignedIn, Query(q): Query<YearQuery>) -> Result<Html<String>, WebError> {
        let year = q.yil.filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| local_date(time::OffsetDateTime::now_utc()).year());
        calendar_view(&s, l, year, None, q.tamam.is_some()).await
    }

    #[derive(Deserialize)]
    struct DayForm {
        #[serde(default)]
        day: String,
        #[serde(default)]
        kind: String,
        #[serde(default)]
        name: String,
    }

    async fn calendar_submit(
        State(s): State<AppState>,
        l: Layout,
        SignedIn(u): SignedIn,
        form: Result<Form<DayForm>, axum::extract::rejection::FormRejection>,
    ) -> Result<Response, WebError> {
        let Ok(Form(f)) = form else { return Err(WebError::bad_request()) };
        let year = f.day.get(..4).and_then(|y| y.parse().ok()).unwrap_or_else(|| local_date(time::OffsetDateTime::now_utc()).year());
        match s.app.set_calendar_day(&u, &f.day, &f.kind, &f.name).await {
            Ok(()) => Ok(Redirect::to(&format!("/yonetim/takvim?yil={year}&tamam=1")).into_response()),
            Err(AppError::Invalid { code, .. }) => Ok((StatusCode::UNPROCESSABLE_ENTITY, calendar_view(&s, l, year, Some(code), false).await?).into_response()),
            Err(AppError::NotFound) => Ok((StatusCode::NOT_FOUND, calendar_view(&s, l, year, Some("not_found"), false).await?).into_response()),
            Err(e) => Err(e.into()),
        }
    }

    async fn receipt_page(State(s): State<AppState>, SignedIn(u): SignedIn, Path(id): Path<String>) -> Result<Response, WebError> {
        super::receipt_response(&s, &u, doc_id(&id)?).await
    }

    fn doc_id(id: &str) -> Result<i64, WebError> {
        id.parse().map_err(|_| WebError::new(StatusCode::NOT_FOUND, "not_found"))
    }

    async fn after(
        s: &AppState,
        l: Layout,
        u: &store::User,
        id: i64,
        result: Result<(), AppError>,
        done: &str,
    ) -> Result<Response, WebError> {
        match result {
            Ok(()) => Ok(Redirect::to(&format!("/evrak/{id}?tamam={done}")).into_response()),
            Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_) | AppError::Forbidden { .. })) => {
                let (status, code) = match &e {
                    AppError::Invalid { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, *code),
                    AppError::Conflict(c) => (StatusCode::CONFLICT, *c),
                    _ => (StatusCode::FORBIDDEN, "forbidden"),
                };
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
        RouteTarget { unit, user, purpose: purpose.to_owned(), note: note.to_owned(), internal_due: due.to_owned() }
    }

    async fn route_submit(
        State(s): State<AppState>,
        l: Layout,
        SignedIn(u): SignedIn,
        Path(id): Path<String>,
        form: Result<Form<RouteForm>, axum::extract::rejection::FormRejection>,
    ) -> Result<Response, WebError> {
        let id = doc_id(&id)?;
        let Ok(Form(f)) = form else { return Err(WebError::bad_request()) };
        let mut targets = vec![target(&f.target, &f.purpose, &f.note, &f.internal_due)];
        if !f.info_target.trim().is_empty() {
            targets.push(target(&f.info_target, "info", "", ""));
        }
        let result = s.app.route_incoming(&u, id, &RouteInput { targets }).await.map(|_| ());
        after(&s, l, &u, id, result, "havale").await
    }

    async fn deliver_submit(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Path(id): Path<String>) -> Result<Response, WebError> {
        let id = doc_id(&id)?;
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
        let id = doc_id(&id)?;
        let Ok(Form(f)) = form else { return Err(WebError::bad_request()) };
        let result = s.app.close_incoming(&u, id, &f).await;
        after(&s, l, &u, id, result, "kapandi").await
    }

    /// "Dosyala": into the directorate's file of its code and year (m.22).
    async fn file_submit(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Path(id): Path<String>) -> Result<Response, WebError> {
        let id = doc_id(&id)?;
        let result = s.app.file_into_archive(&u, &format!("incoming:{id}")).await.map(|_| ());
        after(&s, l, &u, id, result, "dosyalandi").await
    }
}

pub use pages::router as page_routes;
