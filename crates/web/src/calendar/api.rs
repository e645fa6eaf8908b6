//! The working calendar over the API: the deadline calculator and the
//! administrator's edits (idari izin days, corrections).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::calendar::SpecialDay;
use domain::code::Code;

use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(deadline))
        .routes(routes!(working_time))
        .routes(routes!(calendar_days))
        .routes(routes!(set_calendar_day, clear_calendar_day))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
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

#[utoipa::path(get, path = "/calendar/deadline", tag = "calendar", params(DeadlineQuery),
    responses((status = 200, body = DeadlineAnswer), (status = 401, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn deadline(
    State(s): State<AppState>,
    SignedIn(_u): SignedIn,
    ApiQuery(q): ApiQuery<DeadlineQuery>,
) -> Result<Json<DeadlineAnswer>, WebError> {
    let received = q.received.unwrap_or_default();
    let (due, basis) = s
        .app
        .deadline(&received, q.basis.as_deref().unwrap_or(""))
        .await?;
    Ok(Json(DeadlineAnswer {
        due: due.to_string(),
        received: received.trim().to_owned(),
        basis: basis.code(),
        basis_description: basis.description_tr(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkingTimeQuery {
    /// The start, RFC 3339 (e.g. `2026-11-30T16:30:00+03:00`).
    pub start: Option<String>,
    /// Working hours to add (e.g. `4` or `1.5`).
    pub hours: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkingTimeAnswer {
    /// The moment the working hours run out, RFC 3339 in +03:00: the
    /// office's hours (default 08:30–17:30, lunch 12:30–13:30, Monday to
    /// Friday), without official holidays, the arife afternoon from 13:00
    /// and idari izin days.
    pub due: String,
}

#[utoipa::path(get, path = "/calendar/working-time", tag = "calendar", params(WorkingTimeQuery),
    responses((status = 200, body = WorkingTimeAnswer, description = "The SLA clock's answer: the same function sets every request's respond_by and resolve_by"),
              (status = 401, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody, description = "A start that is not RFC 3339, or hours that are not a number from 0 to 4000")))]
pub async fn working_time(
    State(s): State<AppState>,
    SignedIn(_u): SignedIn,
    ApiQuery(q): ApiQuery<WorkingTimeQuery>,
) -> Result<Json<WorkingTimeAnswer>, WebError> {
    // A "+" left unencoded in a query reads as a space.
    let start = q.start.unwrap_or_default().trim().replace(' ', "+");
    let due = s
        .app
        .working_time(&start, q.hours.as_deref().unwrap_or(""))
        .await?;
    let due = due
        .to_offset(domain::local::OFFSET)
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| app::AppError::Internal(e.into()))?;
    Ok(Json(WorkingTimeAnswer { due }))
}

#[utoipa::path(get, path = "/calendar/days", tag = "calendar",
    responses((status = 200, body = [DayInfo], description = "The administrator's edits of the calendar (idari izin days and corrections)"),
              (status = 401, body = crate::error::ErrorBody)))]
pub async fn calendar_days(
    State(s): State<AppState>,
    SignedIn(_u): SignedIn,
) -> Result<Json<Vec<DayInfo>>, WebError> {
    Ok(Json(
        s.app
            .calendar_edits()
            .await?
            .into_iter()
            .map(DayInfo::from)
            .collect(),
    ))
}

/// An edit of one date.
#[derive(Serialize, ToSchema)]
pub struct DayInfo {
    /// YYYY-MM-DD
    pub date: String,
    /// `holiday`, `half_day`, `admin_leave` (idari izin) or `working`.
    pub kind: String,
    pub name: String,
}

impl From<SpecialDay> for DayInfo {
    fn from(d: SpecialDay) -> Self {
        DayInfo {
            date: d.date.to_string(),
            kind: d.kind.as_str().into(),
            name: d.name,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CalendarDayInput {
    /// `holiday`, `half_day`, `admin_leave` (idari izin) or `working`.
    pub kind: String,
    pub name: String,
}

#[utoipa::path(put, path = "/calendar/days/{day}", tag = "calendar", params(("day" = String, Path, description = "YYYY-MM-DD")),
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
        return Err(app::AppError::invalid("kind", Code::Required).into());
    }
    s.app.set_calendar_day(&u, &day, &r.kind, &r.name).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/calendar/days/{day}", tag = "calendar", params(("day" = String, Path)),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn clear_calendar_day(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(day): ApiPath<String>,
) -> Result<StatusCode, WebError> {
    s.app.set_calendar_day(&u, &day, "", "").await?;
    Ok(StatusCode::NO_CONTENT)
}
