//! The working calendar's page: the shipped holidays and the
//! administrator's edits of a year, editable by administrators.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use app::AppError;
use domain::code::Code;

use crate::error::WebError;
use crate::{render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new().route("/yonetim/takvim", get(calendar_page).post(calendar_submit))
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

async fn calendar_view(
    s: &AppState,
    l: Layout,
    year: i32,
    error: Option<&'static str>,
    done: bool,
) -> Result<Html<String>, WebError> {
    let edits = s.app.calendar_edits().await?;
    let mut days: Vec<(time::Date, domain::calendar::DayKind, String, bool)> =
        domain::calendar::shipped_holidays()
            .iter()
            .filter(|d| d.date.year() == year && !edits.iter().any(|e| e.date == d.date))
            .map(|d| (d.date, d.kind, d.name.clone(), false))
            .collect();
    days.extend(
        edits
            .into_iter()
            .filter(|e| e.date.year() == year)
            .map(|e| (e.date, e.kind, e.name, true)),
    );
    days.sort_by_key(|d| d.0);
    let days = days
        .into_iter()
        .map(|(d, k, n, e)| {
            (
                domain::local::format_date(d),
                d.to_string(),
                kind_key(k),
                n,
                e,
            )
        })
        .collect();
    let is_admin = match &l.user {
        Some(u) => s.app.capabilities(u).await?.administer,
        None => false,
    };
    render(CalendarPage {
        l,
        year,
        days,
        error,
        done,
        is_admin,
    })
}

/// The working calendar of a year: the shipped holidays and the
/// administrator's edits (idari izin days, corrections), editable by
/// administrators.
async fn calendar_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(_u): SignedIn,
    Query(q): Query<YearQuery>,
) -> Result<Html<String>, WebError> {
    let year = q
        .yil
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| domain::local::date(time::OffsetDateTime::now_utc()).year());
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
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request());
    };
    let year = f
        .day
        .get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(|| domain::local::date(time::OffsetDateTime::now_utc()).year());
    match s.app.set_calendar_day(&u, &f.day, &f.kind, &f.name).await {
        Ok(()) => Ok(Redirect::to(&format!("/yonetim/takvim?yil={year}&tamam=1")).into_response()),
        Err(AppError::Invalid { code, .. }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            calendar_view(&s, l, year, Some(code.as_str()), false).await?,
        )
            .into_response()),
        Err(AppError::NotFound) => Ok((
            StatusCode::NOT_FOUND,
            calendar_view(&s, l, year, Some(Code::NotFound.as_str()), false).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
