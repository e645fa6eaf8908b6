//! `/kvkk`: the KVKK records for whoever keeps them: the data breaches
//! with the Board's clock, and the periodic destructions with the next
//! one due.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::Router;

use app::kvkk::{BreachView, DestructionSchedule, DestructionView};

use crate::error::WebError;
use crate::{render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new().route("/kvkk", get(kvkk_page))
}

#[derive(Template)]
#[template(path = "kvkk.html")]
struct KvkkPage {
    l: Layout,
    breaches: Vec<BreachView>,
    schedule: DestructionSchedule,
    destructions: Vec<DestructionView>,
}

async fn kvkk_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    render(KvkkPage {
        breaches: s.app.breaches(&u).await?,
        schedule: s.app.destruction_schedule(&u).await?,
        destructions: s.app.destructions(&u).await?,
        l,
    })
}
