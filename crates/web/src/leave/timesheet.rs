//! Sick reports and monthly timesheets over the API, and the timesheet's
//! page (`/personel/puantaj`): the Kalem records reports, closes a month
//! and corrects a closed one (m.16/1); the sheet prints as PDF for the
//! signatures and exports as CSV for payroll.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::timesheet::{CorrectionInput, CorrectionView, ReportInput, ReportView, TimesheetView};
use app::User;
use domain::code::Code;
use domain::profile::Named;

use super::pages::form_pairs;
use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::{render, AppState, Layout, SignedIn};

type E = crate::error::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sheet))
        .routes(routes!(close))
        .routes(routes!(correct))
        .routes(routes!(record_report))
        .routes(routes!(reports))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/personel/puantaj", get(page))
        .route("/personel/puantaj/kapat", post(close_submit))
        .route("/personel/puantaj/duzeltme", post(correct_submit))
        .route("/personel/puantaj/rapor", post(report_submit))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct SheetQuery {
    /// The unit (`mudurluk`, `bt`, …; default the directorate and every
    /// unit in it).
    pub unit: Option<String>,
    /// The month, `YYYY-MM` (default this month).
    pub month: Option<String>,
    /// `json` (default), `pdf`, `csv` or `xlsx`.
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/timesheets", tag = "personnel", params(SheetQuery),
    responses((status = 200, description = "The unit's monthly timesheet: each person's days (worked, leave by kind, sick, holidays), totals and overtime hours; as PDF (for the Şef's and the Müdür's signatures), CSV or XLSX (payroll) by `format`. Reading it is logged.",
                content((TimesheetView = "application/json"), (Vec<u8> = "application/pdf"), (Vec<u8> = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 401, body = E), (status = 403, body = E, description = "Neither the Kalem (keep_personnel_records), a head of the unit or one above it, nor an administrator"),
              (status = 422, body = E, description = "An unknown unit, a bad month or format")))]
pub async fn sheet(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<SheetQuery>,
) -> Result<Response, WebError> {
    let format = q.format.as_deref().map(str::trim).unwrap_or("json");
    if !["json", "pdf", "csv", "xlsx", ""].contains(&format) {
        return Err(app::AppError::invalid("format", Code::OutOfRange).into());
    }
    // What is printed and what payroll reads is Turkish whatever the
    // caller's language.
    let v = s
        .app
        .timesheet_in(
            &u,
            q.unit.as_deref(),
            q.month.as_deref(),
            format == "json" && crate::i18n::english(),
        )
        .await?;
    let name = format!("puantaj-{}-{}", v.unit, v.month);
    Ok(match format {
        "pdf" => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{name}.pdf\""),
                ),
            ],
            s.app.timesheet_pdf(&v).await?,
        )
            .into_response(),
        "csv" => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.csv\""),
                ),
            ],
            s.app.timesheet_csv(&v),
        )
            .into_response(),
        "xlsx" => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.xlsx\""),
                ),
            ],
            s.app.timesheet_xlsx(&v)?,
        )
            .into_response(),
        _ => Json(v).into_response(),
    })
}

#[utoipa::path(post, path = "/timesheets/{month}/close", tag = "personnel", params(("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = TimesheetView, description = "Closed: from now on the month changes only by correction records"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (keep_personnel_records)"),
              (status = 409, body = E, description = "Already closed (month_already_closed)"),
              (status = 422, body = E, description = "A bad month, or one not over yet (month_not_over)")))]
pub async fn close(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(month): ApiPath<String>,
) -> Result<Json<TimesheetView>, WebError> {
    Ok(Json(s.app.close_month(&u, &month).await?))
}

#[utoipa::path(post, path = "/timesheets/corrections", tag = "personnel", request_body = CorrectionInput,
    responses((status = 201, body = CorrectionView, description = "The day of the closed month is corrected; the sheet shows it and lists the correction"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (keep_personnel_records)"),
              (status = 409, body = E, description = "One's own record (own_record)"),
              (status = 422, body = E, description = "The month is not closed (month_open: record the leave or report itself), a bad day or mark, no note")))]
pub async fn correct(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<CorrectionInput>,
) -> Result<(StatusCode, Json<CorrectionView>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.correct_day(&u, &r).await?)))
}

#[utoipa::path(post, path = "/sick-reports", tag = "personnel", request_body = ReportInput,
    responses((status = 201, body = ReportView, description = "Recorded; annual leave it falls into is given back (Hastalık Raporları Yönetmeliği m.8)"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (keep_personnel_records)"),
              (status = 409, body = E, description = "Another report overlaps (report_overlap), or one's own record (own_record)"),
              (status = 422, body = E, description = "No number or institution, dates reversed, a closed month (month_closed)")))]
pub async fn record_report(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<ReportInput>,
) -> Result<(StatusCode, Json<ReportView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.record_report(&u, &r).await?),
    ))
}

#[utoipa::path(get, path = "/people/{id}/sick-reports", tag = "personnel", params(("id" = String, Path, description = "The username")),
    responses((status = 200, body = Vec<ReportView>, description = "The person's reports, the latest first (health data: another's read is logged)"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn reports(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(username): ApiPath<String>,
) -> Result<Json<Vec<ReportView>>, WebError> {
    Ok(Json(s.app.reports_of(&u, &username).await?))
}

// ---- The page -----------------------------------------------------------------

#[derive(Default, Clone)]
struct Forms {
    person: String,
    from: String,
    to: String,
    institution: String,
    number: String,
    day: String,
    mark: String,
    note: String,
}

#[derive(Template)]
#[template(path = "timesheet.html")]
struct Page {
    l: Layout,
    v: TimesheetView,
    units: Vec<(String, String)>,
    f: Forms,
    error: Option<(&'static str, &'static str)>,
    done: Option<&'static str>,
}

impl Page {
    fn num(&self, n: &f64) -> String {
        let s = format!("{n}");
        if self.l.t.s("leave.decimal") == "," {
            s.replace('.', ",")
        } else {
            s
        }
    }

    fn people(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .v
            .rows
            .iter()
            .filter_map(|r| r.username.clone().map(|u| (u, r.person_name.clone())))
            .collect();
        v.dedup();
        v
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    unit: Option<String>,
    month: Option<String>,
    tamam: Option<String>,
}

async fn view(
    s: &AppState,
    l: Layout,
    u: &User,
    unit: Option<&str>,
    month: Option<&str>,
    f: Forms,
    error: Option<(&'static str, &'static str)>,
    done: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let en = crate::i18n::english();
    let readable = s.app.readable_units(u).await?;
    // Without a unit asked for, the first one the reader may read (a
    // Şef's own section).
    let unit = unit
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .or(readable.first().map(|x| x.id.as_str()));
    // In the first days of a month the month to finish is the last one.
    let default_month = month
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .is_none()
        .then(|| {
            let today = domain::local::date(time::OffsetDateTime::now_utc());
            let last = today.replace_day(1).unwrap_or(today) - time::Duration::days(1);
            (today.day() <= 7).then(|| domain::timesheet::month_key(last.year(), last.month()))
        })
        .flatten();
    let month = default_month.as_deref().or(month);
    let v = s.app.timesheet(u, unit, month).await?;
    let units = readable
        .iter()
        .map(|x| (x.id.clone(), x.name_for(en).to_owned()))
        .collect();
    render(Page {
        l,
        v,
        units,
        f,
        error,
        done,
    })
}

async fn page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>, WebError> {
    let done = match q.tamam.as_deref() {
        Some("kapandi") => Some("timesheet.closed_done"),
        Some("duzeltildi") => Some("timesheet.corrected_done"),
        Some("rapor") => Some("timesheet.report_done"),
        _ => None,
    };
    view(
        &s,
        l,
        &u,
        q.unit.as_deref(),
        q.month.as_deref(),
        Forms::default(),
        None,
        done,
    )
    .await
}

fn back(unit: &str, month: &str, done: &str) -> Response {
    let q: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("unit", unit)
        .append_pair("month", month)
        .append_pair("tamam", done)
        .finish();
    Redirect::to(&format!("/personel/puantaj?{q}")).into_response()
}

async fn refused(
    s: &AppState,
    l: Layout,
    u: &User,
    unit: &str,
    month: &str,
    f: Forms,
    e: app::AppError,
) -> Result<Response, WebError> {
    let Some((status, err)) = crate::form_refusal(&e) else {
        return Err(e.into());
    };
    Ok((
        status,
        view(s, l, u, Some(unit), Some(month), f, Some(err), None).await?,
    )
        .into_response())
}

async fn close_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let get = form_pairs(&body);
    let (unit, month) = (get("unit"), get("month"));
    match s.app.close_month(&u, &month).await {
        Ok(_) => Ok(back(&unit, &month, "kapandi")),
        Err(e) => refused(&s, l, &u, &unit, &month, Forms::default(), e).await,
    }
}

async fn correct_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let get = form_pairs(&body);
    let (unit, month) = (get("unit"), get("month"));
    let f = Forms {
        person: get("person"),
        day: get("day"),
        mark: get("mark"),
        note: get("note"),
        ..Default::default()
    };
    let r = s
        .app
        .correct_day(
            &u,
            &CorrectionInput {
                person: f.person.clone(),
                day: f.day.clone(),
                mark: f.mark.clone(),
                note: f.note.clone(),
            },
        )
        .await;
    match r {
        Ok(_) => Ok(back(&unit, &month, "duzeltildi")),
        Err(e) => refused(&s, l, &u, &unit, &month, f, e).await,
    }
}

async fn report_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let get = form_pairs(&body);
    let (unit, month) = (get("unit"), get("month"));
    let f = Forms {
        person: get("person"),
        from: get("from"),
        to: get("to"),
        institution: get("institution"),
        number: get("number"),
        note: get("note"),
        ..Default::default()
    };
    let r = s
        .app
        .record_report(
            &u,
            &ReportInput {
                person: f.person.clone(),
                from: f.from.clone(),
                to: f.to.clone(),
                institution: f.institution.clone(),
                number: f.number.clone(),
                note: Some(f.note.clone()),
            },
        )
        .await;
    match r {
        Ok(_) => Ok(back(&unit, &month, "rapor")),
        Err(e) => refused(&s, l, &u, &unit, &month, f, e).await,
    }
}
