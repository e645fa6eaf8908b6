//! The count (sayım) pages: the counts and the form that opens one, and
//! the count itself, made for a phone: one box the scanner types into
//! (or a QR code's address pasted), the last result large, the
//! differences below.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use app::asset_count::{CountInput, CountSummary, CountView, ScanInput};
use app::User;

use super::pages::{enc, Err};
use crate::error::WebError;
use crate::{id_of, render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/demirbas/sayim", get(counts_page).post(open_submit))
        .route("/demirbas/sayim/{id}", get(count_page).post(scan_submit))
        .route("/demirbas/sayim/{id}/kapat", post(close_submit))
}

#[derive(Default, Clone)]
struct OpenForm {
    place: String,
    year: String,
    board: Vec<String>,
    note: String,
}

#[derive(Template)]
#[template(path = "asset_counts.html")]
struct CountsPage {
    l: Layout,
    counts: Vec<CountSummary>,
    places: Vec<String>,
    people: Vec<(String, String)>,
    caps: app::Capabilities,
    f: OpenForm,
    error: Err,
}

async fn counts_view(
    s: &AppState,
    l: Layout,
    u: &User,
    f: OpenForm,
    error: Err,
) -> Result<Html<String>, WebError> {
    render(CountsPage {
        l,
        counts: s.app.asset_counts(u).await?,
        places: s.app.asset_places(u).await?,
        people: s.app.directorate_staff().await?,
        caps: s.app.capabilities(u).await?,
        f,
        error,
    })
}

async fn counts_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    let year = domain::local::date(time::OffsetDateTime::now_utc())
        .year()
        .to_string();
    counts_view(
        &s,
        l,
        &u,
        OpenForm {
            year,
            ..Default::default()
        },
        None,
    )
    .await
}

async fn open_submit(
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
    let f = OpenForm {
        place: get("place"),
        year: get("year"),
        board: pairs
            .iter()
            .filter(|(n, v)| n == "board" && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect(),
        note: get("note"),
    };
    let year = match f.year.trim() {
        "" => Ok(None),
        y => y
            .parse::<i64>()
            .map(Some)
            .map_err(|_| app::AppError::invalid("year", domain::code::Code::OutOfRange)),
    };
    let r = match year {
        Ok(year) => {
            s.app
                .open_count(
                    &u,
                    &CountInput {
                        place: f.place.clone(),
                        year,
                        board: f.board.clone(),
                        note: f.note.clone(),
                    },
                )
                .await
        }
        Err(e) => Err(e),
    };
    match r {
        Ok(n) => Ok(Redirect::to(&format!("/demirbas/sayim/{}", n.id)).into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => {
                Ok((status, counts_view(&s, l, &u, f, Some(err)).await?).into_response())
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "asset_count.html")]
struct CountPage {
    l: Layout,
    n: CountView,
    /// The last scan: its message, whether all is well, and the asset's
    /// tag and name.
    last: Option<(&'static str, bool, String, String)>,
    /// The lists: title, element id, lines.
    sections: Vec<(
        &'static str,
        &'static str,
        Vec<app::asset_count::CountLineView>,
    )>,
    typed: String,
    error: Err,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LastQuery {
    sonuc: Option<String>,
    etiket: Option<String>,
}

async fn count_view(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    last: Option<(&'static str, bool, String, String)>,
    typed: String,
    error: Err,
) -> Result<Html<String>, WebError> {
    let n = s.app.asset_count(u, id).await?;
    let sections = vec![
        ("counts.missing_list", "missing", n.missing.clone()),
        ("counts.surplus_list", "surplus", n.surplus.clone()),
        ("counts.found_list", "found", n.found.clone()),
    ];
    render(CountPage {
        l,
        n,
        last,
        sections,
        typed,
        error,
    })
}

async fn count_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<LastQuery>,
) -> Result<Html<String>, WebError> {
    let id = id_of(&id)?;
    // The last scan, from the redirect after it; only results we know.
    // The result as the count has it (the address only says whether it
    // was a second scan).
    let last = match (q.sonuc.as_deref(), q.etiket) {
        (Some(said), Some(tag)) => {
            let n = s.app.asset_count(&u, id).await?;
            let found = n
                .found
                .iter()
                .find(|l| l.asset.tag == tag)
                .map(|l| (l, "counts.result_found", true));
            let surplus = n
                .surplus
                .iter()
                .find(|l| l.asset.tag == tag)
                .map(|l| (l, "counts.result_surplus", false));
            found.or(surplus).map(|(l, key, ok)| {
                let (key, ok) = if said == "again" {
                    ("counts.result_again", false)
                } else {
                    (key, ok)
                };
                (key, ok, tag, l.asset.name.clone())
            })
        }
        _ => None,
    };
    count_view(&s, l, &u, id, last, String::new(), None).await
}

async fn scan_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let tag = url::form_urlencoded::parse(&body)
        .into_owned()
        .find(|(n, _)| n == "tag")
        .map(|(_, v)| v)
        .unwrap_or_default();
    match s
        .app
        .scan_count(&u, id, &ScanInput { tag: tag.clone() })
        .await
    {
        Ok(r) => {
            let result = serde_json::to_value(r.result)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            Ok(Redirect::to(&format!(
                "/demirbas/sayim/{id}?sonuc={result}&etiket={}",
                enc(&r.asset.tag)
            ))
            .into_response())
        }
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => Ok((
                status,
                count_view(&s, l, &u, id, None, tag, Some(err)).await?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}

async fn close_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    match s.app.close_count(&u, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/demirbas/sayim/{id}")).into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => Ok((
                status,
                count_view(&s, l, &u, id, None, String::new(), Some(err)).await?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}
