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
    OpenApiRouter::new().routes(routes!(deadline)).routes(routes!(calendar_days)).routes(routes!(set_calendar_day, clear_calendar_day))
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
pub async fn deadline(State(s): State<AppState>, SignedIn(_u): SignedIn, ApiQuery(q): ApiQuery<DeadlineQuery>) -> Result<Json<DeadlineAnswer>, WebError> {
    let received = q.received.unwrap_or_default();
    let (due, basis) = s.app.deadline(&received, q.basis.as_deref().unwrap_or("")).await?;
    Ok(Json(DeadlineAnswer { due: due.to_string(), received: received.trim().to_owned(), basis: basis.code(), basis_description: basis.description_tr() }))
}

#[utoipa::path(get, path = "/calendar/days", tag = "calendar",
    responses((status = 200, body = [DayInfo], description = "The administrator's edits of the calendar (idari izin days and corrections)"),
              (status = 401, body = crate::error::ErrorBody)))]
pub async fn calendar_days(State(s): State<AppState>, SignedIn(_u): SignedIn) -> Result<Json<Vec<DayInfo>>, WebError> {
    Ok(Json(s.app.calendar_edits().await?.into_iter().map(DayInfo::from).collect()))
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
        DayInfo { date: d.date.to_string(), kind: d.kind.as_str().into(), name: d.name }
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
pub async fn clear_calendar_day(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(day): ApiPath<String>) -> Result<StatusCode, WebError> {
    s.app.set_calendar_day(&u, &day, "", "").await?;
    Ok(StatusCode::NO_CONTENT)
}

