//! `/api/v1/security/…`: the guide's measures, audit campaigns and their
//! assessments.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::security::{AssessmentInput, AuditInput, AuditView, MeasuresView};

use crate::error::{ErrorBody as E, WebError};
use crate::extract::{ApiJson, ApiQuery};
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(measures))
        .routes(routes!(open_audit))
        .routes(routes!(audit))
        .routes(routes!(assess))
}

#[derive(serde::Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct MeasuresQuery {
    /// The asset's grade, 1–3 (default 3): every measure of a level up to
    /// it (411, 559, 660 over the whole guide).
    pub max_level: Option<String>,
    /// A part of the guide: a section (`3`), a group (`3.1`) or a heading
    /// (`3.1.12`).
    pub section: Option<String>,
}

#[utoipa::path(get, path = "/security/measures", tag = "security", params(MeasuresQuery),
    responses((status = 200, body = MeasuresView, description = "The Bilgi ve İletişim Güvenliği Rehberi's measures that apply, with their audit method and questions"),
              (status = 401, body = E), (status = 422, body = E, description = "A level other than 1–3, or a part the guide does not have (`unknown_measure`)")))]
pub async fn measures(
    State(s): State<AppState>,
    SignedIn(_u): SignedIn,
    ApiQuery(q): ApiQuery<MeasuresQuery>,
) -> Result<Json<MeasuresView>, WebError> {
    Ok(Json(s.app.security_measures(
        q.max_level.as_deref(),
        q.section.as_deref(),
    )?))
}

#[utoipa::path(post, path = "/security/audits", tag = "security", request_body = AuditInput,
    responses((status = 201, body = AuditView, description = "The campaign, its assets and the measures that apply to them, none assessed yet"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (audit_security)"),
              (status = 422, body = E, description = "A missing title, a bad period, no assets, a grade other than 1–3, two assets of one name")))]
pub async fn open_audit(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(input): ApiJson<AuditInput>,
) -> Result<(StatusCode, Json<AuditView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.open_security_audit(&u, &input).await?),
    ))
}

#[utoipa::path(get, path = "/security/audits/{id}", tag = "security", params(("id" = i64, Path)),
    responses((status = 200, body = AuditView, description = "The campaign with its compliance overall, by section, group and asset"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (audit_security)"), (status = 404, body = E)))]
pub async fn audit(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<AuditView>, WebError> {
    Ok(Json(s.app.security_audit(&u, id).await?))
}

#[utoipa::path(put, path = "/security/audits/{id}/measures/{tedbir_no}", tag = "security", request_body = AssessmentInput,
    params(("id" = i64, Path), ("tedbir_no" = String, Path, description = "The guide's measure number, e.g. 3.1.12.15")),
    responses((status = 200, body = AuditView, description = "Recorded for the audit's assets the measure applies to (or those named); the campaign with its compliance"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (audit_security)"), (status = 404, body = E),
              (status = 422, body = E, description = "A measure the guide does not have (`unknown_measure`), a bad state, `not_applicable` without a reason, an asset not in the audit or whose grade the measure does not reach")))]
pub async fn assess(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path((id, no)): Path<(i64, String)>,
    ApiJson(input): ApiJson<AssessmentInput>,
) -> Result<Json<AuditView>, WebError> {
    Ok(Json(s.app.assess_measure(&u, id, &no, &input).await?))
}
