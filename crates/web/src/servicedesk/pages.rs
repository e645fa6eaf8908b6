//! The service desk's pages (/talepler): the queues (mine, my section's,
//! the breached, all) with filters, sorting and paging; the new-request
//! form (a requester of another directorate uses it on a phone); a request
//! with its timeline and only the actions its reader may take; the SLA
//! report with its chart.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use app::servicedesk::{
    CategoryView, CommentInput, EventView, NewRequestInput, RatingInput, RequestLineView,
    RequestQuery, RequestView, SlaLine, StateInput, WorklogInput,
};
use app::{AppError, User};
use domain::servicedesk::RequestState;

use crate::error::WebError;
use crate::{id_of, render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/talepler", get(list_page))
        .route("/talepler/yeni", get(new_page).post(new_submit))
        .route("/talepler/sla", get(sla_page))
        .route("/talepler/sla.csv", get(sla_csv))
        .route("/talepler/sla.svg", get(sla_svg))
        .route("/talepler/{id}", get(request_page))
        .route("/talepler/{id}/ata", post(assign_submit))
        .route("/talepler/{id}/durum", post(state_submit))
        .route("/talepler/{id}/yorum", post(comment_submit))
        .route("/talepler/{id}/emek", post(worklog_submit))
        .route("/talepler/{id}/puan", post(rating_submit))
        .route("/talepler/{id}/birlestir", post(merge_submit))
}

/// Lines on a page of a queue.
const PER_PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "requests.html")]
struct ListPage {
    l: Layout,
    /// The tab shown: `mine`, `section`, `breached`, `all`.
    tab: String,
    tabs: Vec<(&'static str, &'static str)>,
    lines: Vec<(RequestLineView, String, String)>,
    pager: crate::pager::Pager,
    sections: Vec<(String, String)>,
    categories: Vec<CategoryView>,
    states: Vec<&'static str>,
    q: ListQuery,
    staff: bool,
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
struct ListQuery {
    liste: String,
    seflik: String,
    durum: String,
    kategori: String,
    sirala: String,
    sayfa: Option<i64>,
}

impl ListQuery {
    fn base(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("liste", &self.liste),
            ("seflik", &self.seflik),
            ("durum", &self.durum),
            ("kategori", &self.kategori),
            ("sirala", &self.sirala),
        ] {
            if !v.is_empty() {
                parts.push(format!(
                    "{k}={}",
                    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                ));
            }
        }
        if parts.is_empty() {
            "/talepler".into()
        } else {
            format!("/talepler?{}", parts.join("&"))
        }
    }
}

async fn list_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Ok(Query(mut q)) = q else {
        return Err(WebError::bad_request());
    };
    let staff = s.app.capabilities(&u).await?.member;
    let own = s.app.own_section(&u).await?;
    if q.liste.is_empty() {
        q.liste = if staff && own.is_some() {
            "section".into()
        } else {
            "mine".into()
        };
    }
    let mut api = RequestQuery {
        page: q.sayfa,
        per_page: Some(PER_PAGE),
        ..Default::default()
    };
    match q.liste.as_str() {
        "mine" => api.mine = Some("1".into()),
        "assigned" => api.assigned = Some("1".into()),
        "section" => {
            if q.seflik.is_empty() {
                q.seflik = own.clone().unwrap_or_default();
            }
            api.open = Some("1".into());
        }
        "breached" => api.breached = Some("1".into()),
        "all" => {}
        _ => return Err(WebError::bad_request()),
    }
    api.section = Some(q.seflik.clone()).filter(|x| !x.is_empty());
    api.state = Some(q.durum.clone()).filter(|x| !x.is_empty());
    api.category = Some(q.kategori.clone()).filter(|x| !x.is_empty());
    api.sort = Some(if q.sirala == "sure" {
        "due".into()
    } else {
        "new".into()
    });
    let (lines, total) = match s.app.requests(&u, &api).await {
        Ok(x) => x,
        Err(AppError::Invalid { .. }) => return Err(WebError::bad_request()),
        Err(e) => return Err(e.into()),
    };
    let pager = if total > app::inbox::COUNT_CAP {
        crate::pager::Pager::capped(q.sayfa, PER_PAGE, app::inbox::COUNT_CAP, q.base())
    } else {
        crate::pager::Pager::new(q.sayfa, PER_PAGE, total, q.base())
    };
    let lines = lines
        .into_iter()
        .map(|x| {
            let created = domain::local::format_datetime(x.created_at);
            let due = domain::local::format_datetime(x.resolve_by);
            (x, created, due)
        })
        .collect();
    let mut tabs = vec![("mine", "requests.tab.mine")];
    if staff {
        tabs.push(("assigned", "requests.tab.assigned"));
        tabs.push(("section", "requests.tab.section"));
        tabs.push(("breached", "requests.tab.breached"));
        tabs.push(("all", "requests.tab.all"));
    }
    let p = s.app.profile();
    let sections = p
        .units()
        .iter()
        .filter(|x| x.kind == "section" && p.request_categories().iter().any(|c| c.section == x.id))
        .map(|x| {
            (
                x.id.clone(),
                domain::profile::Named::name_for(x, crate::i18n::english()).to_owned(),
            )
        })
        .collect();
    let states = RequestState::ALL.iter().map(|x| x.code()).collect();
    Ok(render(ListPage {
        l,
        tab: q.liste.clone(),
        tabs,
        lines,
        pager,
        sections,
        categories: s.app.request_categories(),
        states,
        q,
        staff,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "request_form.html")]
struct NewPage {
    l: Layout,
    f: NewRequestInput,
    categories: Vec<CategoryView>,
    priorities: Vec<(String, String)>,
    /// Staff file on someone's behalf: (username, name).
    people: Vec<(String, String)>,
    error: Option<(&'static str, &'static str)>,
    working_day: String,
}

async fn new_form(
    s: &AppState,
    l: Layout,
    u: &User,
    f: NewRequestInput,
    error: Option<(&'static str, &'static str)>,
) -> Result<axum::response::Html<String>, WebError> {
    let staff = s.app.capabilities(u).await?.member;
    let people = if staff {
        s.app.account_names().await?
    } else {
        Vec::new()
    };
    let d = s.app.desk();
    let working_day = format!("{} – {}", d.settings.day_starts, d.settings.day_ends);
    render(NewPage {
        l,
        f,
        categories: s.app.request_categories(),
        priorities: s.app.sla_classes(),
        people,
        error,
        working_day,
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    kategori: String,
    /// An asset's tag: the request opened from its label's page.
    etiket: String,
}

async fn new_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<NewQuery>,
) -> Result<axum::response::Html<String>, WebError> {
    let asset_tag = Some(q.etiket).filter(|t| !t.trim().is_empty());
    new_form(
        &s,
        l,
        &u,
        NewRequestInput {
            category: q.kategori,
            asset_tag,
            ..Default::default()
        },
        None,
    )
    .await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NewForm {
    title: String,
    description: String,
    category: String,
    priority: String,
    asset_tag: String,
    requester: String,
    phone: String,
}

async fn new_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    form: Result<Form<NewForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request());
    };
    let input = NewRequestInput {
        title: f.title,
        description: f.description,
        category: f.category,
        priority: Some(f.priority).filter(|p| !p.trim().is_empty()),
        asset_tag: Some(f.asset_tag).filter(|p| !p.trim().is_empty()),
        requester: Some(f.requester.clone()).filter(|p| !p.trim().is_empty()),
        channel: Some(if !f.requester.trim().is_empty() && f.phone == "1" {
            "phone".into()
        } else {
            "web".into()
        }),
    };
    match s.app.file_request(&u, &input, "web").await {
        Ok(r) => Ok(Redirect::to(&format!("/talepler/{}?tamam=yeni", r.id)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Forbidden { .. })) => {
            let (status, err) = match &e {
                AppError::Invalid { field, code } => {
                    (StatusCode::UNPROCESSABLE_ENTITY, (*field, code.as_str()))
                }
                _ => (
                    StatusCode::FORBIDDEN,
                    ("requester", domain::code::Code::Forbidden.as_str()),
                ),
            };
            Ok((status, new_form(&s, l, &u, input, Some(err)).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "request.html")]
struct RequestPage {
    l: Layout,
    r: RequestView,
    events: Vec<(EventView, String)>,
    files: Vec<(String, String)>,
    members: Vec<(String, String)>,
    /// The states the worker may move it to now.
    next_states: Vec<&'static str>,
    tasks: Vec<app::tasks::TaskView>,
    times: RequestTimes,
    error: Option<(&'static str, &'static str)>,
    done: bool,
    /// Just filed: say its number and where it went.
    filed: bool,
}

/// The request's moments as people read them.
struct RequestTimes {
    created: String,
    respond_by: String,
    resolve_by: String,
    responded: String,
    resolved: String,
}

fn next_states(r: &RequestView) -> Vec<&'static str> {
    use RequestState::*;
    if !r.actions.work {
        return Vec::new();
    }
    [InProgress, Waiting, Resolved]
        .into_iter()
        .filter(|to| *to != r.state && domain::servicedesk::transition(r.state, *to).is_ok())
        .map(|x| x.code())
        .collect()
}

async fn request_view(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    error: Option<(&'static str, &'static str)>,
    done: Option<&str>,
) -> Result<axum::response::Html<String>, WebError> {
    let r = s.app.request(u, id).await?;
    let events = s
        .app
        .request_events(u, id)
        .await?
        .into_iter()
        .map(|e| {
            let at = domain::local::format_datetime(e.at);
            (e, at)
        })
        .collect();
    let files = s.app.request_attachments(u, id).await?;
    let members = if r.actions.assign {
        s.app.section_members(&r.section).await?
    } else {
        Vec::new()
    };
    let tasks = s
        .app
        .tasks_from(u, domain::task::TaskSource::Request, id)
        .await?;
    let f = |t: Option<time::OffsetDateTime>| {
        t.map(domain::local::format_datetime)
            .unwrap_or_else(|| "—".into())
    };
    let times = RequestTimes {
        created: domain::local::format_datetime(r.created_at),
        respond_by: domain::local::format_datetime(r.respond_by),
        resolve_by: domain::local::format_datetime(r.resolve_by),
        responded: f(r.responded_at),
        resolved: f(r.resolved_at),
    };
    let next_states = next_states(&r);
    render(RequestPage {
        l,
        r,
        events,
        files,
        members,
        next_states,
        tasks,
        times,
        error,
        done: done.is_some(),
        filed: done == Some("yeni"),
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct DoneQuery {
    tamam: Option<String>,
}

async fn request_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<axum::response::Html<String>, WebError> {
    request_view(&s, l, &u, id_of(&id)?, None, q.tamam.as_deref()).await
}

/// After an action: back to the request, or the request again with the
/// refusal (422, 409 or 403).
async fn after(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    result: Result<(), AppError>,
) -> Result<Response, WebError> {
    let e = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/talepler/{id}?tamam=1")).into_response()),
        Err(e) => e,
    };
    let (status, err) = match &e {
        AppError::Invalid { field, code } => {
            (StatusCode::UNPROCESSABLE_ENTITY, (*field, code.as_str()))
        }
        AppError::Conflict(code) => (StatusCode::CONFLICT, ("", code.as_str())),
        AppError::Forbidden { .. } => (
            StatusCode::FORBIDDEN,
            ("", domain::code::Code::Forbidden.as_str()),
        ),
        _ => return Err(e.into()),
    };
    Ok((status, request_view(s, l, u, id, Some(err), None).await?).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct AssignForm {
    to: String,
}

async fn assign_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let r = s.app.assign_request(&u, id, &f.to).await.map(|_| ());
    after(&s, l, &u, id, r).await
}

async fn state_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<StateInput>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let r = s.app.change_request_state(&u, id, &f).await.map(|_| ());
    after(&s, l, &u, id, r).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CommentForm {
    body: String,
    internal: Option<String>,
}

async fn comment_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<CommentForm>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let r = s
        .app
        .comment_request(
            &u,
            id,
            &CommentInput {
                body: f.body,
                internal: f.internal.is_some(),
            },
        )
        .await;
    after(&s, l, &u, id, r).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct WorklogForm {
    minutes: String,
    note: String,
}

async fn worklog_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<WorklogForm>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let r = match f.minutes.trim().parse::<i64>() {
        Ok(minutes) => s
            .app
            .log_request_work(
                &u,
                id,
                &WorklogInput {
                    minutes,
                    note: f.note,
                },
            )
            .await
            .map(|_| ()),
        Err(_) => Err(AppError::invalid("minutes", domain::code::Code::OutOfRange)),
    };
    after(&s, l, &u, id, r).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct RatingForm {
    score: String,
    comment: String,
}

async fn rating_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<RatingForm>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let r = match f.score.trim().parse::<i64>() {
        Ok(score) => {
            s.app
                .rate_request(
                    &u,
                    id,
                    &RatingInput {
                        score,
                        comment: f.comment,
                    },
                )
                .await
        }
        Err(_) => Err(AppError::invalid("score", domain::code::Code::Required)),
    };
    after(&s, l, &u, id, r).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct MergeForm {
    into: String,
}

async fn merge_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<MergeForm>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let r = s.app.merge_request(&u, id, &f.into).await.map(|_| ());
    after(&s, l, &u, id, r).await
}

#[derive(Template)]
#[template(path = "sla.html")]
struct SlaPage {
    l: Layout,
    year: i64,
    lines: Vec<SlaLine>,
    chart: String,
    /// Each line's month in words.
    months: Vec<String>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct YearQuery {
    yil: Option<i64>,
}

fn this_year() -> i64 {
    domain::local::date(time::OffsetDateTime::now_utc()).year() as i64
}

async fn sla_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    q: Result<Query<YearQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<axum::response::Html<String>, WebError> {
    let Ok(Query(q)) = q else {
        return Err(WebError::bad_request());
    };
    let year = q.yil.unwrap_or_else(this_year);
    let lines = s.app.sla_report(&u, year).await?;
    let t = l.t;
    let chart = sla_chart(
        &lines,
        t.s("requests.sla.chart"),
        |m| month_name(t, m),
        |x| l.pct1(&x),
    );
    let months = lines.iter().map(|x| month_name(t, &x.month)).collect();
    render(SlaPage {
        l,
        year,
        lines,
        chart,
        months,
    })
}

async fn sla_csv(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    q: Result<Query<YearQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Ok(Query(q)) = q else {
        return Err(WebError::bad_request());
    };
    let year = q.yil.unwrap_or_else(this_year);
    let lines = s.app.sla_report(&u, year).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"sla-{year}.csv\""),
            ),
        ],
        super::api::sla_csv(&lines),
    )
        .into_response())
}

async fn sla_svg(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    q: Result<Query<YearQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Ok(Query(q)) = q else {
        return Err(WebError::bad_request());
    };
    let year = q.yil.unwrap_or_else(this_year);
    let lines = s.app.sla_report(&u, year).await?;
    let t = l.t;
    let svg = sla_chart(
        &lines,
        t.s("requests.sla.chart"),
        |m| month_name(t, m),
        |x| l.pct1(&x),
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "image/svg+xml; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"sla-{year}.svg\""),
            ),
        ],
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}"),
    )
        .into_response())
}

/// Compliance per section and month as an SVG chart of horizontal bars,
/// each labelled with its section and month (no script; prints as shown;
/// readable on a phone in its scrolling box).
pub fn sla_chart(
    lines: &[SlaLine],
    title: &str,
    month: impl Fn(&str) -> String,
    pct: impl Fn(f64) -> String,
) -> String {
    let bars: Vec<crate::chart::Bar> = lines
        .iter()
        .map(|l| crate::chart::Bar {
            label: format!("{} · {}", l.section_name, month(&l.month)),
            value: Some(l.compliance),
            detail: format!("{}/{}", l.resolved_on_time, l.resolved),
            before: None,
        })
        .collect();
    crate::chart::bars(title, &bars, pct, 90.0, 70.0)
}

/// "2026-11" as "Kasım 2026".
pub fn month_name(t: crate::i18n::Tr, ym: &str) -> String {
    match ym.split_once('-') {
        Some((y, m)) => format!(
            "{} {y}",
            t.s(&format!("month.{}", m.trim_start_matches('0')))
        ),
        None => ym.to_owned(),
    }
}
