//! Belge doğrulama, public (no sign-in): the page `/dogrula?kod=` with the
//! letter's PDF at `/dogrula/pdf?kod=`, and `GET /api/v1/verify/{code}`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::verify::VerifiedDocument;
use app::AppError;

use crate::error::{ErrorBody as E, WebError};
use crate::extract::ClientAddr;
use crate::{render, AppState, Layout};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dogrula", get(page))
        .route("/dogrula/pdf", get(pdf))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(verify))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CodeQuery {
    kod: String,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    l: Layout,
    kod: String,
    found: Option<VerifiedDocument>,
    /// A code was typed and answers nothing (or the address waits).
    missing: bool,
    throttled: bool,
}

async fn page(
    State(s): State<AppState>,
    l: Layout,
    ClientAddr(from): ClientAddr,
    q: Result<Query<CodeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let kod = q.map(|Query(q)| q.kod).unwrap_or_default();
    let kod: String = kod.trim().chars().take(40).collect();
    if kod.is_empty() {
        return Ok(render(VerifyPage {
            l,
            kod,
            found: None,
            missing: false,
            throttled: false,
        })?
        .into_response());
    }
    let (found, missing, throttled, status) = match s.app.verify_document(&kod, from).await {
        Ok((_, v)) => (Some(v), false, false, StatusCode::OK),
        Err(AppError::NotFound) => (None, true, false, StatusCode::NOT_FOUND),
        Err(AppError::Throttled { .. }) => (None, false, true, StatusCode::TOO_MANY_REQUESTS),
        Err(e) => return Err(e.into()),
    };
    Ok((
        status,
        render(VerifyPage {
            l,
            kod,
            found,
            missing,
            throttled,
        })?,
    )
        .into_response())
}

async fn pdf(
    State(s): State<AppState>,
    ClientAddr(from): ClientAddr,
    Query(q): Query<CodeQuery>,
) -> Result<Response, WebError> {
    let (v, bytes) = s.app.verified_pdf(&q.kod, from).await?;
    let name: String = v
        .number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(get, path = "/verify/{code}", tag = "outgoing",
    params(("code" = String, Path, description = "The code in a signed letter's footer (12 characters; dashes and case do not matter)")),
    responses((status = 200, body = VerifiedDocument, description = "The signed letter the code answers; a classified one shows only its number and date"),
              (status = 404, body = E, description = "No letter answers the code (the same for any wrong code)"),
              (status = 429, body = E, description = "Too many wrong codes from this address; `Retry-After` says how long")),
    security(()))]
pub async fn verify(
    State(s): State<AppState>,
    ClientAddr(from): ClientAddr,
    Path(code): Path<String>,
) -> Result<Json<VerifiedDocument>, WebError> {
    Ok(Json(s.app.verify_document(&code, from).await?.1))
}
