//! `/api/v1/security/…`: the guide's measures, audit campaigns and their
//! assessments.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use app::security::{
    ActionCloseInput, AssessmentInput, AuditInput, AuditMeasureView, AuditSummary, AuditView,
    EvidenceView, GapActionInput, GapActionView, MeasuresView,
};
use app::AppError;

use crate::error::{ErrorBody as E, WebError};
use crate::extract::{ApiJson, ApiQuery};
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(measures))
        .routes(routes!(open_audit, audits))
        .routes(routes!(audit))
        .routes(routes!(assess, audit_measure))
        .routes(routes!(report_pdf))
        .routes(routes!(add_evidence).layer(axum::extract::DefaultBodyLimit::disable()))
        .routes(routes!(add_action))
        .routes(routes!(open_actions))
        .routes(routes!(close_action))
        .routes(routes!(action_task))
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

#[utoipa::path(get, path = "/security/audits", tag = "security",
    responses((status = 200, body = Vec<AuditSummary>, description = "The audit campaigns, newest first, with their compliance"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (audit_security)")))]
pub async fn audits(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<AuditSummary>>, WebError> {
    Ok(Json(s.app.security_audits(&u).await?))
}

#[utoipa::path(get, path = "/security/audits/{id}/measures/{tedbir_no}", tag = "security",
    params(("id" = i64, Path), ("tedbir_no" = String, Path)),
    responses((status = 200, body = AuditMeasureView, description = "The measure as the guide gives it, each asset's assessment, the evidence files and the actions on its gap"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E), (status = 422, body = E, description = "A measure the guide does not have")))]
pub async fn audit_measure(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path((id, no)): Path<(i64, String)>,
) -> Result<Json<AuditMeasureView>, WebError> {
    Ok(Json(s.app.audit_measure(&u, id, &no).await?))
}

#[utoipa::path(get, path = "/security/audits/{id}/report.pdf", tag = "security", params(("id" = i64, Path)),
    responses((status = 200, description = "The Uyum Denetim Raporu: compliance by section, group and asset, progress since the audit before, the gaps and their actions, the signatures", content_type = "application/pdf"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (audit_security)"), (status = 404, body = E)))]
pub async fn report_pdf(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let bytes = s.app.audit_report_pdf(&u, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"uyum-denetim-raporu-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(serde::Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct EvidenceQuery {
    /// The file's name as the auditor knows it.
    pub name: Option<String>,
}

#[utoipa::path(post, path = "/security/audits/{id}/measures/{tedbir_no}/evidence", tag = "security",
    params(("id" = i64, Path), ("tedbir_no" = String, Path), EvidenceQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The evidence file's bytes (PDF, image, office document, text); what it is comes from its content"),
    responses((status = 201, body = EvidenceView, description = "Kept and put on the measure"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (audit_security); nothing is kept"), (status = 404, body = E),
              (status = 413, body = E, description = "Over the upload limit; nothing is kept"),
              (status = 422, body = E, description = "A measure the guide does not have, or a kind of file not kept")))]
pub async fn add_evidence(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path((id, no)): Path<(i64, String)>,
    ApiQuery(q): ApiQuery<EvidenceQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<EvidenceView>), WebError> {
    // Who may not add evidence, or to no such audit, has nothing kept.
    s.app
        .may_add_evidence(&u, id, &no, q.name.as_deref())
        .await?;
    let limit = s.app.max_upload_bytes();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(AppError::TooLarge { limit }.into());
    }
    let rec = s.app.store_attachment(&u, body.into_data_stream()).await?;
    let name = q.name.unwrap_or_default();
    Ok((
        StatusCode::CREATED,
        Json(
            s.app
                .add_security_evidence(&u, id, &no, &rec.sha256, &name)
                .await?,
        ),
    ))
}

#[utoipa::path(post, path = "/security/audits/{id}/actions", tag = "security", params(("id" = i64, Path)), request_body = GapActionInput,
    responses((status = 201, body = GapActionView, description = "The gap made an action with its owner and due date"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 422, body = E, description = "A measure the guide does not have, an unknown owner, a due date missing or past")))]
pub async fn add_action(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<GapActionInput>,
) -> Result<(StatusCode, Json<GapActionView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.add_security_action(&u, id, &input).await?),
    ))
}

#[utoipa::path(get, path = "/security/actions", tag = "security",
    responses((status = 200, body = Vec<GapActionView>, description = "The open actions of every audit, soonest due first"),
              (status = 401, body = E), (status = 403, body = E)))]
pub async fn open_actions(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<GapActionView>>, WebError> {
    Ok(Json(s.app.open_security_actions(&u).await?))
}

#[utoipa::path(post, path = "/security/actions/{id}/close", tag = "security", params(("id" = i64, Path)), request_body = ActionCloseInput,
    responses((status = 200, body = GapActionView), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 409, body = E, description = "Already closed"), (status = 422, body = E, description = "A state other than done or cancelled; a cancellation without a note")))]
pub async fn close_action(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ActionCloseInput>,
) -> Result<Json<GapActionView>, WebError> {
    Ok(Json(s.app.close_security_action(&u, id, &input).await?))
}

#[utoipa::path(post, path = "/security/actions/{id}/task", tag = "security", params(("id" = i64, Path)),
    responses((status = 200, body = GapActionView, description = "A task given to the action's owner (m.18/1: only a superior of the owner gives it); its id is the action's task_id"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 409, body = E, description = "Already a task, or closed")))]
pub async fn action_task(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<GapActionView>, WebError> {
    Ok(Json(s.app.security_action_task(&u, id).await?))
}
