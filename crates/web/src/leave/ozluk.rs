//! The personnel file over the API and its page (`/personel/ozluk/{username}`):
//! documents under the 903 codes with their scans, expiring certificates,
//! trainings with attendance, the person's sick reports (m.16/1-a).

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::personnel::{
    AttendanceInput, DocumentInput, DocumentView, PersonnelFile, TrainingInput, TrainingView,
};
use app::{AppError, User};

use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath};
use crate::multipart::{self, Form as Multi};
use crate::{render, AppState, Layout, SignedIn};

type E = crate::error::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(file))
        .routes(routes!(add_document))
        .routes(routes!(expiring))
        .routes(routes!(list_trainings, add_training))
        .routes(routes!(one_training))
        .routes(routes!(attendance))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/personel/ozluk", get(alerts_page))
        .route("/personel/ozluk/{username}", get(page))
        .route("/personel/ozluk/{username}/belge", post(document_submit))
}

#[utoipa::path(get, path = "/people/{id}/file", tag = "personnel", params(("id" = String, Path, description = "The username")),
    responses((status = 200, body = PersonnelFile, description = "The personnel file: documents under the 903 codes, trainings, sick reports; another's read is logged"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn file(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(username): ApiPath<String>,
) -> Result<Json<PersonnelFile>, WebError> {
    Ok(Json(s.app.personnel_file(&u, &username).await?))
}

#[utoipa::path(post, path = "/people/{id}/file/documents", tag = "personnel", params(("id" = String, Path, description = "The username")), request_body = DocumentInput,
    responses((status = 201, body = DocumentView, description = "Filed (the Kalem, keep_personnel_records)"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 409, body = E, description = "One's own file (own_record)"),
              (status = 422, body = E, description = "A bad kind, a code outside 903, dates, a file one may not use")))]
pub async fn add_document(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(username): ApiPath<String>,
    ApiJson(r): ApiJson<DocumentInput>,
) -> Result<(StatusCode, Json<DocumentView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.file_personnel_document(&u, &username, &r).await?),
    ))
}

#[utoipa::path(get, path = "/personnel/expiring", tag = "personnel",
    responses((status = 200, body = Vec<DocumentView>, description = "Certificates ending within 60 days or ended, the soonest first"),
              (status = 401, body = E), (status = 403, body = E)))]
pub async fn expiring(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<DocumentView>>, WebError> {
    Ok(Json(s.app.expiring_documents(&u).await?))
}

#[utoipa::path(get, path = "/trainings", tag = "personnel",
    responses((status = 200, body = Vec<TrainingView>, description = "The trainings with their lists, the latest first"),
              (status = 401, body = E), (status = 403, body = E)))]
pub async fn list_trainings(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<TrainingView>>, WebError> {
    Ok(Json(s.app.trainings(&u).await?))
}

#[utoipa::path(post, path = "/trainings", tag = "personnel", request_body = TrainingInput,
    responses((status = 201, body = TrainingView, description = "Recorded with those enrolled"),
              (status = 401, body = E), (status = 403, body = E), (status = 422, body = E)))]
pub async fn add_training(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<TrainingInput>,
) -> Result<(StatusCode, Json<TrainingView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.record_training(&u, &r).await?),
    ))
}

#[utoipa::path(get, path = "/trainings/{id}", tag = "personnel", params(("id" = i64, Path)),
    responses((status = 200, body = TrainingView), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn one_training(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TrainingView>, WebError> {
    Ok(Json(s.app.training(&u, id).await?))
}

#[utoipa::path(post, path = "/trainings/{id}/attendance", tag = "personnel", params(("id" = i64, Path)), request_body = AttendanceInput,
    responses((status = 200, body = TrainingView, description = "Marked"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E), (status = 422, body = E)))]
pub async fn attendance(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<AttendanceInput>,
) -> Result<Json<TrainingView>, WebError> {
    Ok(Json(s.app.mark_attendance(&u, id, &r).await?))
}

// ---- The page -----------------------------------------------------------------

#[derive(Default, Clone)]
struct DocForm {
    kind: String,
    title: String,
    code: String,
    issued_on: String,
    expires_on: String,
    note: String,
}

#[derive(Template)]
#[template(path = "ozluk.html")]
struct Page {
    l: Layout,
    p: PersonnelFile,
    f: DocForm,
    error: Option<(&'static str, &'static str)>,
    done: bool,
}

impl Page {
    fn validity(&self, d: &DocumentView) -> &'static str {
        validity_code(d)
    }
}

fn validity_code(d: &DocumentView) -> &'static str {
    use domain::personnel::Validity::*;
    match d.validity {
        Open => "open",
        Valid => "valid",
        Expiring => "expiring",
        Expired => "expired",
    }
}

#[derive(Template)]
#[template(path = "ozluk_alerts.html")]
struct AlertsPage {
    l: Layout,
    docs: Vec<DocumentView>,
}

impl AlertsPage {
    fn validity(&self, d: &DocumentView) -> &'static str {
        validity_code(d)
    }
}

async fn alerts_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    let docs = s.app.expiring_documents(&u).await?;
    render(AlertsPage { l, docs })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    tamam: Option<String>,
}

async fn view(
    s: &AppState,
    l: Layout,
    u: &User,
    username: &str,
    f: DocForm,
    error: Option<(&'static str, &'static str)>,
    done: bool,
) -> Result<Html<String>, WebError> {
    render(Page {
        l,
        p: s.app.personnel_file(u, username).await?,
        f,
        error,
        done,
    })
}

async fn page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(username): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>, WebError> {
    view(
        &s,
        l,
        &u,
        &username,
        DocForm::default(),
        None,
        q.tamam.is_some(),
    )
    .await
}

fn doc_input(f: &multipart::Fields, files: &[(String, String)]) -> (DocForm, DocumentInput) {
    let form = DocForm {
        kind: f.get("kind"),
        title: f.get("title"),
        code: f.get("code"),
        issued_on: f.get("issued_on"),
        expires_on: f.get("expires_on"),
        note: f.get("note"),
    };
    let input = DocumentInput {
        kind: form.kind.clone(),
        title: form.title.clone(),
        code: Some(form.code.clone()),
        issued_on: Some(form.issued_on.clone()),
        expires_on: Some(form.expires_on.clone()),
        file: files.first().map(|(sha, _)| sha.clone()),
        note: Some(form.note.clone()),
    };
    (form, input)
}

async fn document_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(username): Path<String>,
    mp: Multipart,
) -> Result<Response, WebError> {
    // Nobody but the Kalem gets a byte kept.
    s.app.may_file_for(&u, &username).await?;
    let check = |_f: multipart::Fields| async move { Ok::<(), AppError>(()) };
    let (form, input, error) = match multipart::read(&s, &u, mp, "scan", check).await? {
        Multi::Read { fields, files } => {
            let (form, input) = doc_input(&fields, &files);
            (form, input, None)
        }
        Multi::Refused {
            fields,
            files,
            field,
            code,
        } => {
            let (form, input) = doc_input(&fields, &files);
            (
                form,
                input,
                Some((if field == "file" { "scan" } else { field }, code.as_str())),
            )
        }
    };
    if let Some(e) = error {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            view(&s, l, &u, &username, form, Some(e), false).await?,
        )
            .into_response());
    }
    match s.app.file_personnel_document(&u, &username, &input).await {
        Ok(_) => {
            let q: String = url::form_urlencoded::byte_serialize(username.as_bytes()).collect();
            Ok(Redirect::to(&format!("/personel/ozluk/{q}?tamam=1")).into_response())
        }
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => Ok((
                status,
                view(&s, l, &u, &username, form, Some(err), false).await?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}
