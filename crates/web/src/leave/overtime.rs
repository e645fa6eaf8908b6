//! Overtime over the API and its page (`/personel/mesai`): the Müdür
//! orders it for named staff within the law's and the budget's limits
//! (m.10/14); everyone sees their hours and what remains of each limit.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::overtime::{OvertimeInput, OvertimePage, OvertimeView};
use app::User;

use crate::error::WebError;
use crate::extract::{ApiJson, ApiQuery};
use crate::{render, AppState, Layout, SignedIn};

type E = crate::error::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, order))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/personel/mesai", get(page).post(order_submit))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct MonthQuery {
    /// The month, `YYYY-MM` (default this month).
    pub month: Option<String>,
}

#[utoipa::path(get, path = "/overtime", tag = "personnel", params(MonthQuery),
    responses((status = 200, body = OvertimePage, description = "The caller's overtime in the month with what remains of each limit; for one who orders overtime, the month's orders and whom he may order"),
              (status = 401, body = E), (status = 422, body = E)))]
pub async fn list(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<MonthQuery>,
) -> Result<Json<OvertimePage>, WebError> {
    Ok(Json(s.app.overtime_page(&u, q.month.as_deref()).await?))
}

#[utoipa::path(post, path = "/overtime", tag = "personnel", request_body = OvertimeInput,
    responses((status = 201, body = OvertimeView, description = "Ordered (order_overtime, m.10/14)"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (order_overtime)"),
              (status = 409, body = E, description = "It overlaps another order for the person (overtime_overlap)"),
              (status = 422, body = E, description = "Names the limit passed: overtime_year_limit (4857 m.41, 270 hours), overtime_day_limit (4857 m.63, 11 hours' work a day), overtime_month_limit (the budget law's monthly hours for a Memur), overtime_budget (the directorate's monthly budget); or inside the office's hours, across midnight, one's own, not a superior, a bad instant")))]
pub async fn order(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<OvertimeInput>,
) -> Result<(StatusCode, Json<OvertimeView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.order_overtime(&u, &r).await?),
    ))
}

#[derive(Default, Clone)]
struct OrderForm {
    person: String,
    day: String,
    from: String,
    until: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "overtime.html")]
struct Page {
    l: Layout,
    p: OvertimePage,
    f: OrderForm,
    error: Option<(&'static str, &'static str)>,
    done: bool,
}

impl Page {
    fn hours(&self, h: &f64) -> String {
        let s = format!("{h:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.').to_owned();
        if self.l.t.s("leave.decimal") == "," {
            s.replace('.', ",")
        } else {
            s
        }
    }
}

async fn view(
    s: &AppState,
    l: Layout,
    u: &User,
    month: Option<&str>,
    f: OrderForm,
    error: Option<(&'static str, &'static str)>,
    done: bool,
) -> Result<Html<String>, WebError> {
    render(Page {
        l,
        p: s.app.overtime_page(u, month).await?,
        f,
        error,
        done,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DoneQuery {
    tamam: Option<String>,
    /// The month shown, `YYYY-MM`.
    month: Option<String>,
}

async fn page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    view(
        &s,
        l,
        &u,
        q.month.as_deref(),
        OrderForm::default(),
        None,
        q.tamam.is_some(),
    )
    .await
}

async fn order_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let f = OrderForm {
        person: get("person"),
        day: get("day"),
        from: get("from"),
        until: get("until"),
        reason: get("reason"),
    };
    let at = |t: &str| {
        if f.day.trim().is_empty() || t.trim().is_empty() {
            String::new()
        } else {
            format!("{}T{}", f.day.trim(), t.trim())
        }
    };
    let r = s
        .app
        .order_overtime(
            &u,
            &OvertimeInput {
                person: f.person.clone(),
                from: at(&f.from),
                until: at(&f.until),
                reason: f.reason.clone(),
            },
        )
        .await;
    match r {
        Ok(_) => Ok(Redirect::to("/personel/mesai?tamam=1").into_response()),
        Err(e) => {
            let Some((status, err)) = crate::form_refusal(&e) else {
                return Err(e.into());
            };
            Ok((status, view(&s, l, &u, None, f, Some(err), false).await?).into_response())
        }
    }
}
