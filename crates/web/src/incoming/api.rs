//! Incoming correspondence over the JSON API: registering, one document,
//! routing, delivery, closing, the one 4982 extension, the tray and the
//! deadline list, the register books, the receipt and the daily digest.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use app::incoming::{CloseInput, ExtensionInput, IncomingView, RegisterInput, RouteInput};
use app::User;
use domain::code::Code;
use domain::incoming::{Document, TrayLine};

use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(import_package).layer(axum::extract::DefaultBodyLimit::max(PACKAGE_LIMIT)))
        .routes(routes!(due_list))
        .routes(routes!(book))
        .routes(routes!(receipt))
        .routes(routes!(incoming))
        .routes(routes!(route))
        .routes(routes!(deliver))
        .routes(routes!(close))
        .routes(routes!(extend))
        .routes(routes!(tray))
        .routes(routes!(send_digest))
}

#[utoipa::path(post, path = "/incoming", tag = "incoming", request_body = RegisterInput,
    responses((status = 201, body = Document, description = "Registered: the document with its number and, where a law sets one, its legal deadline"),
              (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "Registering is the Kalem's (register_correspondence, m.16/1)"),
              (status = 422, body = crate::error::ErrorBody, description = "A field is wrong; nothing was saved")))]
pub async fn register(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<RegisterInput>,
) -> Result<(StatusCode, Json<Document>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.register_incoming(&u, &r).await?),
    ))
}

/// The largest e-Yazışma package taken, in bytes (packed).
pub const PACKAGE_LIMIT: usize = 64 << 20;

#[utoipa::path(post, path = "/incoming/eyazisma", tag = "incoming", params(app::eyazisma::ImportOptions),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "An e-Yazışma package (.eyp, 1.x or 2.x) as received. Its Üstveri gives the sender (Olusturan), subject, number and date, confidentiality and urgency; the package summary's digests are checked; the üst yazı and attachments are stored and sent to text extraction; the package itself is kept as received."),
    responses((status = 201, body = app::eyazisma::Imported, description = "Registered: the document as `POST /incoming` answers it, and what the package said (`eyazisma`), its signatures with what could be said of them"),
              (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "Registering is the Kalem's (register_correspondence, m.16/1)"),
              (status = 409, body = crate::error::ErrorBody, description = "The same package was registered before (package_already_registered)"),
              (status = 413, body = crate::error::ErrorBody, description = "Over 64 MiB"),
              (status = 422, body = crate::error::ErrorBody, description = "The package is refused (not a zip, encrypted, no Üstveri, a digest that does not match, a path leaving the package, a zip bomb, XML with a DTD…): `part` names the part at fault; nothing was registered")))]
pub async fn import_package(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<app::eyazisma::ImportOptions>,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<app::eyazisma::Imported>), WebError> {
    // Someone who may not register hears it before a byte is read.
    s.app.may_register(&u).await?;
    let bytes = axum::body::to_bytes(body, PACKAGE_LIMIT)
        .await
        .map_err(|_| WebError::new(StatusCode::PAYLOAD_TOO_LARGE, Code::BodyTooLarge))?;
    Ok((
        StatusCode::CREATED,
        Json(s.app.import_package(&u, bytes, &q).await?),
    ))
}

#[utoipa::path(get, path = "/incoming/{id}", tag = "incoming", params(("id" = i64, Path)),
    responses((status = 200, body = IncomingView, description = "The document, with what the caller may do with it"), (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody, description = "No such document, or one the caller may not see")))]
pub async fn incoming(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<IncomingView>, WebError> {
    Ok(Json(s.app.incoming(&u, id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Ids {
    pub routings: Vec<i64>,
}

#[utoipa::path(post, path = "/incoming/{id}/routings", tag = "incoming", params(("id" = i64, Path)), request_body = RouteInput,
    responses((status = 201, body = Ids), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "Missing route_incoming (m.20/1-c)"),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn route(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<RouteInput>,
) -> Result<(StatusCode, Json<Ids>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(Ids {
            routings: s.app.route_incoming(&u, id, &r).await?,
        }),
    ))
}

#[utoipa::path(post, path = "/incoming/{id}/delivery", tag = "incoming", params(("id" = i64, Path)),
    responses((status = 200, body = Ids, description = "Custody taken of these routings"), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn deliver(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Ids>, WebError> {
    Ok(Json(Ids {
        routings: s.app.take_delivery(&u, id).await?,
    }))
}

#[utoipa::path(post, path = "/incoming/{id}/close", tag = "incoming", params(("id" = i64, Path)), request_body = CloseInput,
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

#[derive(Serialize, ToSchema)]
pub struct ExtensionAnswer {
    /// The new legal deadline, YYYY-MM-DD (30 working days from receipt).
    pub due: String,
}

#[utoipa::path(post, path = "/incoming/{id}/extension", tag = "incoming", params(("id" = i64, Path)), request_body = ExtensionInput,
    responses((status = 200, body = ExtensionAnswer, description = "Extended once under 4982 m.11, within the first 15 working days, for one of the law's reasons"), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn extend(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<ExtensionInput>,
) -> Result<Json<ExtensionAnswer>, WebError> {
    Ok(Json(ExtensionAnswer {
        due: s.app.extend_incoming(&u, id, &r).await?.to_string(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrayQuery {
    /// Which part: `route` (to route), `deliver` (to take into custody),
    /// `act` (to act on), `info` (for information); all by default.
    pub awaiting: Option<String>,
    /// From 1 (default 1).
    pub page: Option<i64>,
    /// 1 to 500 (default 100).
    pub per_page: Option<i64>,
}

/// Parses a tray part (`route`, `deliver`, `act`, `info`; empty is all).
pub fn tray_kind(s: Option<&str>) -> Result<app::incoming::TrayKind, app::AppError> {
    use app::incoming::TrayKind;
    Ok(match s.map(str::trim).unwrap_or("") {
        "" | "all" => TrayKind::All,
        "route" => TrayKind::Route,
        "deliver" => TrayKind::Deliver,
        "act" => TrayKind::Act,
        "info" => TrayKind::Info,
        _ => return Err(app::AppError::invalid("awaiting", Code::UnknownState)),
    })
}

#[utoipa::path(get, path = "/tray", tag = "incoming", params(TrayQuery),
    responses((status = 200, body = [TrayLine], description = "What waits for the caller, most urgent first: to route, to take into custody, to act on; one page, the total in `X-Total-Count`",
                headers(("X-Total-Count" = i64, description = "How many lines over all pages (counting stops at 1000: then there may be more)"))),
              (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn tray(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<TrayQuery>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let kind = tray_kind(q.awaiting.as_deref())?;
    let (lines, total, _) = s
        .app
        .tray_page(&u, kind, q.page.unwrap_or(1), q.per_page.unwrap_or(100))
        .await?;
    Ok(([("x-total-count", total.to_string())], Json(lines)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
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
pub async fn book_response(
    s: &AppState,
    u: &User,
    q: &BookQuery,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let format = app::books::BookFormat::parse(q.format.as_deref().unwrap_or(""))
        .ok_or(app::AppError::invalid("format", Code::BadFormat))?;
    let internal = |e: std::io::Error| WebError::from(app::AppError::Internal(e.into()));
    let tmp = tempfile::tempfile().map_err(internal)?;
    let mut out = std::io::BufWriter::new(tmp.try_clone().map_err(internal)?);
    let (from, to) = (
        q.from.clone().unwrap_or_default(),
        q.to.clone().unwrap_or_default(),
    );
    let register = q.register.clone().unwrap_or_default();
    match register.as_str() {
        "outgoing" => {
            s.app
                .letter_book(u, &from, &to, false, format, &mut out)
                .await?
        }
        "courier" => {
            s.app
                .letter_book(u, &from, &to, true, format, &mut out)
                .await?
        }
        _ => {
            s.app
                .register_book(u, &register, &from, &to, format, &mut out)
                .await?
        }
    };
    std::io::Write::flush(&mut out).map_err(internal)?;
    drop(out);
    let mut file = tokio::fs::File::from_std(tmp);
    tokio::io::AsyncSeekExt::seek(&mut file, std::io::SeekFrom::Start(0))
        .await
        .map_err(internal)?;
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
        (
            axum::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ),
    ];
    Ok((
        headers,
        axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file)),
    )
        .into_response())
}

#[utoipa::path(get, path = "/incoming/book", tag = "incoming", params(BookQuery),
    responses((status = 200, description = "The register book (PDF or CSV): sıra no, kayıt tarihi, gönderen, sayısı, tarihi, konusu, ek, havale edildiği yer, teslim alan", content_type = "application/pdf"),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn book(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<BookQuery>,
) -> Result<axum::response::Response, WebError> {
    book_response(&s, &u, &q).await
}

#[utoipa::path(get, path = "/incoming/{id}/receipt.pdf", tag = "incoming", params(("id" = i64, Path)),
    responses((status = 200, description = "The receipt (alındı belgesi)", content_type = "application/pdf"),
              (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn receipt(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::response::Response, WebError> {
    receipt_response(&s, &u, id).await
}

pub async fn receipt_response(
    s: &AppState,
    u: &User,
    id: i64,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let (doc, bytes) = s.app.receipt(u, id).await?;
    let name = format!("alindi-{}.pdf", doc.number.replace('/', "-"));
    let headers = [
        (
            axum::http::header::CONTENT_TYPE,
            "application/pdf".to_owned(),
        ),
        (
            axum::http::header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}\""),
        ),
    ];
    Ok((headers, bytes).into_response())
}

#[utoipa::path(post, path = "/digest", tag = "incoming",
    responses((status = 200, body = app::digest::DigestReport, description = "The daily digest was sent now"),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "No [smtp] configured"),
              (status = 503, body = crate::error::ErrorBody, description = "The SMTP server refused or cannot be reached")))]
pub async fn send_digest(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<app::digest::DigestReport>, WebError> {
    Ok(Json(s.app.send_digest(app::Actor::Person(&u)).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueQuery {
    /// One unit of the profile, e.g. `bt`.
    pub unit: Option<String>,
    /// One person's username.
    pub user: Option<String>,
    /// The most urgent this many, 1 to 300 (default 100).
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/incoming/due", tag = "incoming", params(DueQuery),
    responses((status = 200, body = [TrayLine], description = "Overdue and due-soon documents"), (status = 401, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn due_list(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<DueQuery>,
) -> Result<Json<Vec<TrayLine>>, WebError> {
    let unit = q.unit.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let user = q.user.as_deref().map(str::trim).filter(|s| !s.is_empty());
    Ok(Json(
        s.app
            .due_list(&u, unit, user, q.limit.unwrap_or(100))
            .await?,
    ))
}
