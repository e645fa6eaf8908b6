//! The service desk over the JSON API: filing, the categories, the lists
//! (mine, a section's, the breached), assignment, states, comments, work
//! logged, ratings, merging, attachments and the SLA report.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::servicedesk::{
    CategoryView, CommentInput, EventView, NewRequestInput, RatingInput, RequestLineView,
    RequestQuery, RequestView, SlaLine, StateInput, WorklogInput,
};

use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, file))
        .routes(routes!(categories))
        .routes(routes!(sla_report))
        .routes(routes!(get_request))
        .routes(routes!(assignment))
        .routes(routes!(state))
        .routes(routes!(events, comment))
        .routes(routes!(worklog))
        .routes(routes!(rating))
        .routes(routes!(merge))
        .routes(routes!(attachments, attach))
}

#[utoipa::path(post, path = "/requests", tag = "requests", request_body = NewRequestInput,
    responses((status = 201, body = RequestView, description = "Filed: its number, handling section and SLA deadlines in working time"),
              (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "Filing on someone's behalf needs a post in the directorate"),
              (status = 422, body = crate::error::ErrorBody, description = "A field is wrong (an unknown category, a missing title); nothing was saved")))]
pub async fn file(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<NewRequestInput>,
) -> Result<(StatusCode, Json<RequestView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.file_request(&u, &r, "api").await?),
    ))
}

#[utoipa::path(get, path = "/requests/categories", tag = "requests",
    responses((status = 200, body = [CategoryView], description = "The kinds of request, each with the section that handles it and its SLA"), (status = 401, body = crate::error::ErrorBody)))]
pub async fn categories(
    State(s): State<AppState>,
    SignedIn(_u): SignedIn,
) -> Json<Vec<CategoryView>> {
    Json(s.app.request_categories())
}

#[utoipa::path(get, path = "/requests", tag = "requests", params(RequestQuery),
    responses((status = 200, body = [RequestLineView], description = "The requests the caller may see under the filter, one page; the total (up to 1001) in `X-Total-Count`",
                headers(("X-Total-Count" = i64, description = "How many match, counted up to 1001"))),
              (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody, description = "An unknown section, state, category or sort")))]
pub async fn list(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<RequestQuery>,
) -> Result<Response, WebError> {
    let (lines, total) = s.app.requests(&u, &q).await?;
    Ok(([("x-total-count", total.to_string())], Json(lines)).into_response())
}

#[utoipa::path(get, path = "/requests/{id}", tag = "requests", params(("id" = i64, Path)),
    responses((status = 200, body = RequestView, description = "The request, with what the caller may do"), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_request(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RequestView>, WebError> {
    Ok(Json(s.app.request(&u, id).await?))
}

/// Whom to assign a request to.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct AssignmentInput {
    /// The username of a member of the handling section.
    pub to: String,
}

#[utoipa::path(post, path = "/requests/{id}/assignment", tag = "requests", params(("id" = i64, Path)), request_body = AssignmentInput,
    responses((status = 200, body = RequestView, description = "Assigned; the basis (the section's Şef, his deputy or delegate, or the Müdür) is in the audit trail"),
              (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "The caller may not assign this section's requests: names the missing authority"),
              (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "The request is resolved or closed, or already assigned to that person"),
              (status = 422, body = crate::error::ErrorBody, description = "An unknown user, or one outside the handling section")))]
pub async fn assignment(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<AssignmentInput>,
) -> Result<Json<RequestView>, WebError> {
    Ok(Json(s.app.assign_request(&u, id, &r.to).await?))
}

#[utoipa::path(post, path = "/requests/{id}/state", tag = "requests", params(("id" = i64, Path)), request_body = StateInput,
    responses((status = 200, body = RequestView, description = "Moved; waiting stops the SLA clock and the deadlines move by the pause"),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "A jump the state machine forbids (not_resolved, not_assigned, bad_transition, request_closed)"),
              (status = 422, body = crate::error::ErrorBody, description = "An unknown state")))]
pub async fn state(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<StateInput>,
) -> Result<Json<RequestView>, WebError> {
    Ok(Json(s.app.change_request_state(&u, id, &r).await?))
}

#[utoipa::path(get, path = "/requests/{id}/events", tag = "requests", params(("id" = i64, Path)),
    responses((status = 200, body = [EventView], description = "The timeline, oldest first; internal notes and work logs only for the directorate's staff"),
              (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn events(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<EventView>>, WebError> {
    Ok(Json(s.app.request_events(&u, id).await?))
}

#[utoipa::path(post, path = "/requests/{id}/events", tag = "requests", params(("id" = i64, Path)), request_body = CommentInput,
    responses((status = 201, description = "The comment is on the timeline"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody, description = "An internal note needs a post in the directorate"),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody, description = "The request is closed"), (status = 422, body = crate::error::ErrorBody)))]
pub async fn comment(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<CommentInput>,
) -> Result<StatusCode, WebError> {
    s.app.comment_request(&u, id, &r).await?;
    Ok(StatusCode::CREATED)
}

/// The minutes logged so far.
#[derive(Serialize, ToSchema)]
pub struct Logged {
    pub minutes_logged: i64,
}

#[utoipa::path(post, path = "/requests/{id}/worklog", tag = "requests", params(("id" = i64, Path)), request_body = WorklogInput,
    responses((status = 201, body = Logged, description = "Logged"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody, description = "Not the assignee nor whoever assigns the section's requests"),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody, description = "Minutes out of 1–1440")))]
pub async fn worklog(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<WorklogInput>,
) -> Result<(StatusCode, Json<Logged>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(Logged {
            minutes_logged: s.app.log_request_work(&u, id, &r).await?,
        }),
    ))
}

#[utoipa::path(post, path = "/requests/{id}/rating", tag = "requests", params(("id" = i64, Path)), request_body = RatingInput,
    responses((status = 204, description = "Rated"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody, description = "Only the requester rates"),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody, description = "Not resolved yet, or already rated"), (status = 422, body = crate::error::ErrorBody, description = "A score out of 1–5")))]
pub async fn rating(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<RatingInput>,
) -> Result<StatusCode, WebError> {
    s.app.rate_request(&u, id, &r).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The request a duplicate is merged into.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct MergeInput {
    /// Its id or number (`2026-000042`).
    pub into: String,
}

#[utoipa::path(post, path = "/requests/{id}/merge", tag = "requests", params(("id" = i64, Path)), request_body = MergeInput,
    responses((status = 200, body = RequestView, description = "The duplicate is closed, pointing to the one kept"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn merge(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<MergeInput>,
) -> Result<Json<RequestView>, WebError> {
    Ok(Json(s.app.merge_request(&u, id, &r.into).await?))
}

/// A file on a request.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct FileRef {
    /// The SHA-256 `POST /attachments` answered.
    pub sha256: String,
    pub name: String,
}

#[utoipa::path(get, path = "/requests/{id}/attachments", tag = "requests", params(("id" = i64, Path)),
    responses((status = 200, body = [FileRef], description = "The request's files"), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn attachments(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<FileRef>>, WebError> {
    Ok(Json(
        s.app
            .request_attachments(&u, id)
            .await?
            .into_iter()
            .map(|(sha256, name)| FileRef { sha256, name })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/requests/{id}/attachments", tag = "requests", params(("id" = i64, Path)), request_body = [FileRef],
    responses((status = 201, description = "Attached"), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "The request is closed"), (status = 422, body = crate::error::ErrorBody, description = "A file the caller did not upload and may not read")))]
pub async fn attach(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(files): ApiJson<Vec<FileRef>>,
) -> Result<StatusCode, WebError> {
    if files.is_empty() {
        return Err(app::AppError::invalid("attachments", domain::code::Code::Required).into());
    }
    if files.len() > 20 {
        return Err(app::AppError::invalid("attachments", domain::code::Code::TooMany).into());
    }
    let mut list = Vec::new();
    for f in &files {
        let sha = f.sha256.trim().to_ascii_lowercase();
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(app::AppError::invalid(
                "attachments",
                domain::code::Code::UnknownAttachment,
            )
            .into());
        }
        let name = app::input::text("name", &f.name, 200, false)?;
        list.push((
            sha,
            if name.is_empty() {
                "ek".to_owned()
            } else {
                name
            },
        ));
    }
    s.app.attach_to_request(&u, id, &list).await?;
    Ok(StatusCode::CREATED)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlaQuery {
    /// The year (default: this year).
    pub year: Option<i64>,
    /// `csv` for a spreadsheet.
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/requests/sla-report", tag = "requests", params(SlaQuery),
    responses((status = 200, body = [SlaLine], description = "SLA compliance per section and month of resolution (`format=csv` gives CSV)"),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody, description = "For the directorate's staff"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn sla_report(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<SlaQuery>,
) -> Result<Response, WebError> {
    let year = q
        .year
        .unwrap_or_else(|| domain::local::date(time::OffsetDateTime::now_utc()).year() as i64);
    let lines = s.app.sla_report(&u, year).await?;
    match q.format.as_deref().unwrap_or("") {
        "" | "json" => Ok(Json(lines).into_response()),
        "csv" => Ok((
            [(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            sla_csv(&lines),
        )
            .into_response()),
        _ => Err(app::AppError::invalid("format", domain::code::Code::BadReportFormat).into()),
    }
}

/// The SLA report as CSV (Excel reads the BOM as UTF-8).
pub fn sla_csv(lines: &[SlaLine]) -> String {
    let mut out = String::from(
        "\u{feff}Şeflik;Ay;Çözülen;Süresinde çözülen;Süresinde yanıtlanan;Uyum (%)\r\n",
    );
    for l in lines {
        let name = l.section_name.replace(';', ",");
        // A decimal comma: Excel in Turkish reads it as a number.
        let pct = format!("{:.1}", l.compliance).replace('.', ",");
        out.push_str(&format!(
            "{name};{};{};{};{};{pct}\r\n",
            l.month, l.resolved, l.resolved_on_time, l.responded_on_time
        ));
    }
    out
}
