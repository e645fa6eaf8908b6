//! The leave page (`/personel/izin`): the reader's balance and requests,
//! the request form with the working days counted as the dates are
//! picked, and the requests waiting on the reader with their buttons.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use app::leave::{LeaveDecisionInput, LeaveInput, MyLeave};
use app::User;
use domain::leave::Decision;

use crate::error::WebError;
use crate::{id_of, render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/personel/izin", get(leave_page).post(request_submit))
        .route("/personel/izin/{id}/karar", post(decision_submit))
}

type Err = Option<(&'static str, &'static str)>;

#[derive(Default, Clone)]
struct RequestForm {
    /// `annual` or `excuse:<reason>`.
    kind: String,
    from: String,
    to: String,
    address: String,
    note: String,
    /// An administrative leave's basis (the genelge or decision).
    basis: String,
}

#[derive(Template)]
#[template(path = "leave.html")]
struct LeavePage {
    l: Layout,
    m: MyLeave,
    f: RequestForm,
    error: Err,
    /// Which request the error is about (a decision), if any.
    error_on: Option<i64>,
    done: Option<&'static str>,
    /// The last year whose balance may be shown (next year).
    last_year: i32,
    /// The form of the request just approved.
    form_link: Option<String>,
}

impl LeavePage {
    fn error_for(&self, id: &i64) -> bool {
        self.error_on == Some(*id)
    }

    /// Days in the page's language: `9,5` in Turkish, `9.5` in English.
    fn days(&self, h: &domain::leave::Halves) -> String {
        let tr = h.to_tr();
        if self.l.t.s("leave.decimal") == "." {
            tr.replace(',', ".")
        } else {
            tr
        }
    }

    /// Why the reader has no balance, said to the reader.
    fn why_key(&self, code: &str) -> &'static str {
        match code {
            "no_service_start" => "leave.why_no_service_start",
            _ => "leave.why_no_leave_here",
        }
    }

    /// What a request is, beyond annual leave: the excuse's reason, the
    /// unpaid leave's ground, the administrative leave's basis.
    fn kind_label(&self, r: &app::leave::LeaveView) -> String {
        match r.kind.as_str() {
            "excuse" | "unpaid" => self
                .l
                .t
                .s(&format!("leave.kind_{}_{}", r.kind, r.reason))
                .to_string(),
            "administrative" => {
                format!("{}: {}", self.l.t.s("leave.kind_administrative"), r.reason)
            }
            _ => String::new(),
        }
    }

    /// Whether a kind of the form counts calendar days (unpaid leave;
    /// marriage, death and paternity leave).
    fn calendar_kind(&self, k: &str) -> bool {
        k.starts_with("unpaid:") || (k.starts_with("excuse:") && k != "excuse:discretionary")
    }

    fn counts_calendar(&self, r: &app::leave::LeaveView) -> bool {
        self.calendar_kind(&format!("{}:{}", r.kind, r.reason))
    }

    fn state_key(&self, s: &domain::leave::State) -> &'static str {
        match s {
            domain::leave::State::Requested => "leave.state_requested",
            domain::leave::State::Initialled => "leave.state_initialled",
            domain::leave::State::Approved => "leave.state_approved",
            domain::leave::State::Returned => "leave.state_returned",
            domain::leave::State::Rejected => "leave.state_rejected",
        }
    }
}

/// The page's content, not rendered yet.
#[allow(clippy::too_many_arguments)]
async fn page(
    s: &AppState,
    l: Layout,
    u: &User,
    year: Option<i64>,
    f: RequestForm,
    error: Err,
    error_on: Option<i64>,
    done: Option<&'static str>,
) -> Result<LeavePage, WebError> {
    Ok(LeavePage {
        l,
        m: s.app.my_leave(u, year).await?,
        f,
        error,
        error_on,
        done,
        last_year: domain::local::date(time::OffsetDateTime::now_utc()).year() + 1,
        form_link: None,
    })
}

#[allow(clippy::too_many_arguments)]
async fn view(
    s: &AppState,
    l: Layout,
    u: &User,
    year: Option<i64>,
    f: RequestForm,
    error: Err,
    error_on: Option<i64>,
    done: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    render(page(s, l, u, year, f, error, error_on, done).await?)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct DoneQuery {
    tamam: Option<String>,
    /// The balance of another year (this or next).
    yil: Option<String>,
    /// The request just approved (its form's link).
    form: Option<String>,
}

async fn leave_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    // Only messages we know.
    let done = match q.tamam.as_deref() {
        Some("talep") => Some("leave.done_requested"),
        Some("paraf") => Some("leave.done_initialled"),
        Some("onay") => Some("leave.done_approved"),
        Some("iade") => Some("leave.done_returned"),
        Some("ret") => Some("leave.done_rejected"),
        _ => None,
    };
    let this_year = i64::from(domain::local::date(time::OffsetDateTime::now_utc()).year());
    // A year we can show, or this one.
    let year = q
        .yil
        .and_then(|y| y.trim().parse::<i64>().ok())
        .filter(|y| (this_year - 5..=this_year + 1).contains(y));
    // The form just approved, for the one who approved it.
    let form = q
        .form
        .as_deref()
        .and_then(|f| f.trim().parse::<i64>().ok())
        .filter(|_| done == Some("leave.done_approved"))
        .map(|id| format!("/api/v1/leave-requests/{id}/form.pdf"));
    let mut p = page(&s, l, &u, year, RequestForm::default(), None, None, done).await?;
    p.form_link = form;
    render(p)
}

pub(super) fn form_pairs(body: &[u8]) -> impl Fn(&str) -> String {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    move |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

async fn request_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let get = form_pairs(&body);
    let f = RequestForm {
        kind: get("kind"),
        from: get("from"),
        to: get("to"),
        address: get("address"),
        note: get("note"),
        basis: get("basis"),
    };
    let r = s
        .app
        .request_leave(
            &u,
            &LeaveInput {
                kind: match f.kind.split_once(':') {
                    Some((k, _)) => k.to_owned(),
                    None if f.kind.is_empty() => "annual".into(),
                    None => f.kind.clone(),
                },
                reason: match f.kind.split_once(':') {
                    Some((_, r)) => Some(r.to_owned()),
                    None if f.kind == "administrative" => Some(f.basis.clone()),
                    None => None,
                },
                from: f.from.clone(),
                to: f.to.clone(),
                address: Some(f.address.clone()),
                note: Some(f.note.clone()),
            },
        )
        .await;
    match r {
        Ok(_) => Ok(Redirect::to("/personel/izin?tamam=talep").into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, (field, code))) => {
                // The form's own names: the kind of leave, and an
                // administrative leave's basis (the API's `reason`).
                let field = match field {
                    "kind" => "leave_kind",
                    "reason" if f.kind == "administrative" => "basis",
                    other => other,
                };
                Ok((
                    status,
                    view(&s, l, &u, None, f, Some((field, code)), None, None).await?,
                )
                    .into_response())
            }
            None => Err(e.into()),
        },
    }
}

async fn decision_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let get = form_pairs(&body);
    let decision = match get("decision").as_str() {
        "approve" => Decision::Approve,
        "return" => Decision::Return,
        "reject" => Decision::Reject,
        _ => {
            let err = ("decision", domain::code::Code::BadDecision.as_str());
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                view(
                    &s,
                    l,
                    &u,
                    None,
                    RequestForm::default(),
                    Some(err),
                    Some(id),
                    None,
                )
                .await?,
            )
                .into_response());
        }
    };
    let r = s
        .app
        .decide_leave(
            &u,
            id,
            &LeaveDecisionInput {
                decision,
                note: Some(get("note")),
            },
        )
        .await;
    match r {
        Ok(v) => {
            let done = match v.state {
                domain::leave::State::Initialled => "paraf",
                domain::leave::State::Approved => "onay",
                domain::leave::State::Returned => "iade",
                _ => "ret",
            };
            let form = if done == "onay" {
                format!("&form={}", v.id)
            } else {
                String::new()
            };
            Ok(Redirect::to(&format!("/personel/izin?tamam={done}{form}")).into_response())
        }
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => Ok((
                status,
                view(
                    &s,
                    l,
                    &u,
                    None,
                    RequestForm::default(),
                    Some(err),
                    Some(id),
                    None,
                )
                .await?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}
