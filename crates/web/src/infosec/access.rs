//! `/api/v1/security/access-reviews/…`: the periodic access review.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::access_review::{AccessDecisionInput, ReviewInput, ReviewView, ReviewsView, SignOffInput};

use crate::error::{ErrorBody as E, WebError};
use crate::extract::ApiJson;
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reviews, open))
        .routes(routes!(review))
        .routes(routes!(decide))
        .routes(routes!(sign_off))
}

#[utoipa::path(get, path = "/security/access-reviews", tag = "security",
    responses((status = 200, body = ReviewsView, description = "The reviews, newest first, and when the next is due (`[security] access_review_months` after the last sign-off)"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (audit_security)")))]
pub async fn reviews(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<ReviewsView>, WebError> {
    Ok(Json(s.app.access_reviews(&u).await?))
}

#[utoipa::path(post, path = "/security/access-reviews", tag = "security", request_body = ReviewInput,
    responses((status = 201, body = ReviewView, description = "Opened: every account with its posts, authorities (and how each is held), two-factor state and system roles, as of now"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (audit_security)")))]
pub async fn open(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(input): ApiJson<ReviewInput>,
) -> Result<(StatusCode, Json<ReviewView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.open_access_review(&u, &input).await?),
    ))
}

#[utoipa::path(get, path = "/security/access-reviews/{id}", tag = "security", params(("id" = i64, Path)),
    responses((status = 200, body = ReviewView, description = "The review: all of it for the security office, the lines he may decide for a superior"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn review(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<ReviewView>, WebError> {
    Ok(Json(s.app.access_review(&u, id).await?))
}

#[utoipa::path(post, path = "/security/access-reviews/{id}/lines/{user}", tag = "security", params(("id" = i64, Path), ("user" = i64, Path, description = "The line's account id")), request_body = AccessDecisionInput,
    responses((status = 200, body = ReviewView), (status = 401, body = E),
              (status = 403, body = E, description = "Neither a superior of the person nor the security office; nobody decides his own line"),
              (status = 404, body = E), (status = 409, body = E, description = "The review is signed off"),
              (status = 422, body = E, description = "A decision other than keep or revoke; revoke without a remark")))]
pub async fn decide(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path((id, user)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<AccessDecisionInput>,
) -> Result<Json<ReviewView>, WebError> {
    Ok(Json(s.app.decide_access(&u, id, user, &input).await?))
}

#[utoipa::path(post, path = "/security/access-reviews/{id}/sign-off", tag = "security", params(("id" = i64, Path)), request_body = SignOffInput,
    responses((status = 200, body = ReviewView), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 409, body = E, description = "Lines still undecided (`review_undecided`), or signed off already")))]
pub async fn sign_off(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SignOffInput>,
) -> Result<Json<ReviewView>, WebError> {
    Ok(Json(s.app.sign_off_access_review(&u, id, &input).await?))
}
