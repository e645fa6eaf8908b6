//! Leave over the JSON API (issue 19): the entitlement by law, the working
//! days of a leave, requests with the Şef's initials and the approval, the
//! İzin Onay Formu, a person's balance and the employment facts it is
//! reckoned from.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::leave::{
    BalanceView, EmploymentInput, EntitlementView, LeaveDecisionInput, LeaveInput, LeaveView,
    MyLeave, WorkingDaysView,
};

use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::{AppState, SignedIn};

type E = crate::error::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(entitlement))
        .routes(routes!(working_days))
        .routes(routes!(my_leave, request_leave))
        .routes(routes!(get_request))
        .routes(routes!(decide))
        .routes(routes!(form))
        .routes(routes!(balance))
        .routes(routes!(set_employment))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntitlementQuery {
    /// `memur` (657) or `isci` (4857).
    pub kind: Option<String>,
    /// Whole years of service.
    pub service_years: Option<String>,
    /// Age in years (İşçi: at 18 or younger, 50 or older, at least 20 days).
    pub age: Option<String>,
}

#[utoipa::path(get, path = "/leave/entitlement", tag = "personnel", params(EntitlementQuery),
    responses((status = 200, body = EntitlementView, description = "The annual leave the law gives: 657 m.102 (Memur) or 4857 m.53 (İşçi)"),
              (status = 401, body = E), (status = 422, body = E, description = "An unknown kind, a missing or out-of-range number")))]
pub async fn entitlement(
    SignedIn(_u): SignedIn,
    ApiQuery(q): ApiQuery<EntitlementQuery>,
) -> Result<Json<EntitlementView>, WebError> {
    Ok(Json(app::leave::leave_entitlement(
        q.kind.as_deref().unwrap_or(""),
        q.service_years.as_deref().unwrap_or(""),
        q.age.as_deref().unwrap_or(""),
    )?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkingDaysQuery {
    /// The first day, YYYY-MM-DD.
    pub from: Option<String>,
    /// The last day, YYYY-MM-DD (included).
    pub to: Option<String>,
}

#[utoipa::path(get, path = "/leave/working-days", tag = "personnel", params(WorkingDaysQuery),
    responses((status = 200, body = WorkingDaysView, description = "Working days on the Turkish calendar: weekends, official holidays and idari izin days are not counted; an arife counts half"),
              (status = 401, body = E), (status = 422, body = E, description = "A bad date, or an end before the start")))]
pub async fn working_days(
    State(s): State<AppState>,
    SignedIn(_u): SignedIn,
    ApiQuery(q): ApiQuery<WorkingDaysQuery>,
) -> Result<Json<WorkingDaysView>, WebError> {
    Ok(Json(
        s.app
            .leave_working_days(
                q.from.as_deref().unwrap_or(""),
                q.to.as_deref().unwrap_or(""),
            )
            .await?,
    ))
}

#[utoipa::path(get, path = "/leave-requests", tag = "personnel", params(BalanceQuery),
    responses((status = 200, body = MyLeave, description = "The caller's balance (of `year`, default this year) and requests, and the requests waiting on the caller"),
              (status = 401, body = E), (status = 422, body = E)))]
pub async fn my_leave(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<BalanceQuery>,
) -> Result<Json<MyLeave>, WebError> {
    Ok(Json(s.app.my_leave(&u, q.year).await?))
}

#[utoipa::path(post, path = "/leave-requests", tag = "personnel", request_body = LeaveInput,
    responses((status = 201, body = LeaveView, description = "Asked: it waits for the Şef's initials, then the approval (approve_leave)"),
              (status = 401, body = E),
              (status = 409, body = E, description = "It overlaps another request (leave_overlap); no staff record, a contractor (no_leave_here), no service start recorded (no_service_start), no post"),
              (status = 422, body = E, description = "An end before the start, no working day, before the first year of service, more days than the balance (over_balance), a kind not taken yet")))]
pub async fn request_leave(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<LeaveInput>,
) -> Result<(StatusCode, Json<LeaveView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.request_leave(&u, &r).await?),
    ))
}

#[utoipa::path(get, path = "/leave-requests/{id}", tag = "personnel", params(("id" = i64, Path)),
    responses((status = 200, body = LeaveView), (status = 401, body = E),
              (status = 404, body = E, description = "No such request, or not one the caller may see")))]
pub async fn get_request(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LeaveView>, WebError> {
    Ok(Json(s.app.leave_request(&u, id).await?))
}

#[utoipa::path(post, path = "/leave-requests/{id}/decision", tag = "personnel", params(("id" = i64, Path)), request_body = LeaveDecisionInput,
    responses((status = 200, body = LeaveView, description = "Initialled by the Şef, or approved, returned or rejected by the approver"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (approve_leave)"),
              (status = 404, body = E), (status = 409, body = E, description = "Already decided (leave_decided), or one's own request (leave_own)"),
              (status = 422, body = E, description = "Not the person's superior (leave_not_superior); a return or rejection without a note")))]
pub async fn decide(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<LeaveDecisionInput>,
) -> Result<Json<LeaveView>, WebError> {
    Ok(Json(s.app.decide_leave(&u, id, &r).await?))
}

#[utoipa::path(get, path = "/leave-requests/{id}/form.pdf", tag = "personnel", params(("id" = i64, Path)),
    responses((status = 200, description = "The İzin Onay Formu", content_type = "application/pdf"),
              (status = 401, body = E), (status = 404, body = E),
              (status = 409, body = E, description = "Not approved (leave_not_approved)")))]
pub async fn form(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, WebError> {
    let bytes = s.app.leave_form(&u, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"izin-onay-formu-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BalanceQuery {
    /// The year (default this year).
    pub year: Option<i64>,
}

#[utoipa::path(get, path = "/people/{id}/leave-balance", tag = "personnel",
    params(("id" = String, Path, description = "The person's username"), BalanceQuery),
    responses((status = 200, body = BalanceView, description = "The year's entitlement, what carried over, what is used and pending, what remains. Another's is shown to the Kalem, a superior and an administrator, and the read is audited."),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 409, body = E, description = "No leave here (a contractor, no staff record) or no service start recorded"),
              (status = 422, body = E)))]
pub async fn balance(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(username): ApiPath<String>,
    ApiQuery(q): ApiQuery<BalanceQuery>,
) -> Result<Json<BalanceView>, WebError> {
    Ok(Json(s.app.leave_balance(&u, &username, q.year).await?))
}

#[utoipa::path(put, path = "/people/{id}/employment", tag = "personnel",
    params(("id" = String, Path, description = "The person's username")), request_body = EmploymentInput,
    responses((status = 200, body = BalanceView, description = "Recorded (the Kalem, keep_personnel_records, or an administrator); this year's balance from it"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 409, body = E, description = "No leave here (a contractor, no staff record)"),
              (status = 422, body = E)))]
pub async fn set_employment(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(username): ApiPath<String>,
    ApiJson(r): ApiJson<EmploymentInput>,
) -> Result<Json<BalanceView>, WebError> {
    Ok(Json(s.app.set_employment(&u, &username, &r).await?))
}
