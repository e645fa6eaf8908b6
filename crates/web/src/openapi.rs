//! The JSON API under `/api/v1`: each capability's `api::routes()`,
//! gathered with their OpenAPI descriptions (utoipa-axum), behind the API's
//! CSRF rule and body limit. `/api/v1/openapi.json` serves the document.

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::security::{csrf_api, FORM_LIMIT};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Mudurluk API", description = "JSON API of Mudurluk, the operations platform of a municipal directorate. Errors always have the shape {\"error\": {\"code\", \"message\"}}; the code is stable, the message is in the caller's language (Accept-Language: tr, en)."),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    tags((name = "instance"), (name = "setup"), (name = "auth"), (name = "audit", description = "The audit trail: every state change, hash-chained, in the transaction that made it"),
        (name = "attachments"),
        (name = "authority", description = "Who may do what, on which article's basis: delegations (m.10/4) and deputyships (m.12/2)"),
        (name = "people", description = "Staff records and the organisation chart; reading a record is audited (KVKK)"),
        (name = "calendar", description = "The Turkish working calendar: public holidays, half days and administrative leave"),
        (name = "incoming", description = "Incoming correspondence: register, route (havale), take delivery (zimmet), close; legal deadlines on the Turkish working calendar"),
        (name = "outgoing", description = "Outgoing letters: draft, initial (paraf), sign (imza) along the chain of m.15/3 and m.20/2-3; number and date at the signature (m.21/2); the e-imza slot"),
        (name = "archive", description = "The archive (m.22): files per Standard File Plan code, unit and year; retention from the plan; the transfer and expired lists; disposal proposed by the commission and approved by the Mayor, leaving tombstones"),
        (name = "search", description = "Turkish-aware, OCR-tolerant search over what the searcher may see; the digital archive of scanned paper (m.8/19, m.16/2-a)"))
)]
pub struct ApiDoc;

/// Every capability's API with its OpenAPI description.
pub fn api() -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::new()
        .merge(crate::home::api::routes())
        .merge(crate::people::api::routes())
        .merge(crate::calendar::api::routes())
        .merge(crate::attachments::api::routes())
        .merge(crate::incoming::api::routes())
        .merge(crate::outgoing::api::routes())
        .merge(crate::archive::api::routes())
        .merge(crate::search::api::routes());
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", routes)
}

/// The API router, mounted at the root (its paths carry `/api/v1`).
pub fn api_router() -> Router<AppState> {
    let (router, doc) = api().split_for_parts();
    let doc = std::sync::Arc::new(doc);
    router
        .route("/api/v1/openapi.json", get(move || async move { Json(doc.as_ref().clone()) }))
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .layer(axum::middleware::from_fn(csrf_api))
}
