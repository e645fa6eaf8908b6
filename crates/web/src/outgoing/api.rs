//! Outgoing letters over the JSON API: drafting (also "cevap yaz" from an
//! incoming document), editing, the chain's decisions, a letter with what
//! the caller may do, the letters waiting for the caller, dispatch, the
//! outgoing book and courier list, and the e-imza slot (the hash to sign,
//! and the signature file).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use app::outgoing::{DecisionInput, LetterInput, LetterLine, LetterView};
use domain::code::Code;
use domain::outgoing::LetterState;

use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::incoming::api::{book_response, BookQuery};
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(letters, draft))
        .routes(routes!(book))
        .routes(routes!(courier_list))
        .routes(routes!(letter, edit))
        .routes(routes!(dispatch))
        .routes(routes!(decide))
        .routes(routes!(hash))
        .routes(routes!(esignatures))
        .routes(routes!(send_by_kep))
        .routes(
            routes!(evidence, add_evidence).layer(axum::extract::DefaultBodyLimit::max(10 << 20)),
        )
        .routes(routes!(pdf))
        .routes(routes!(eyazisma_package))
        .routes(routes!(add_signature).layer(axum::extract::DefaultBodyLimit::max(10 << 20)))
        .routes(routes!(reply_draft))
        .routes(routes!(preview))
        .routes(routes!(address_book))
}

/// An institution of the address book.
#[derive(Serialize, ToSchema)]
pub struct Institution {
    pub name: String,
    /// Its 8-digit DETSİS number.
    pub detsis: String,
}

#[utoipa::path(get, path = "/address-book", tag = "outgoing",
    responses((status = 200, body = [Institution], description = "Institutions written to or heard from, with their DETSİS numbers, most used first"),
              (status = 401, body = crate::error::ErrorBody)))]
pub async fn address_book(
    State(s): State<AppState>,
    SignedIn(_u): SignedIn,
) -> Result<Json<Vec<Institution>>, WebError> {
    Ok(Json(
        s.app
            .address_book()
            .await?
            .into_iter()
            .map(|(name, detsis)| Institution { name, detsis })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/outgoing/preview", tag = "outgoing", request_body = LetterInput,
    responses((status = 200, content_type = "application/pdf", description = "The letter as it would print, TASLAK, nothing saved"),
              (status = 401, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "The writer holds no position (no_position)"),
              (status = 422, body = crate::error::ErrorBody, description = "A field is wrong")))]
pub async fn preview(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<LetterInput>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let bytes = s.app.preview_letter(&u, &r).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "inline; filename=\"taslak-onizleme.pdf\"".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(post, path = "/outgoing", tag = "outgoing", request_body = LetterInput,
    responses((status = 201, body = LetterView, description = "The draft with its approval chain"), (status = 401, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "The writer holds no position (no_position)"),
              (status = 422, body = crate::error::ErrorBody, description = "A field is wrong; nothing was saved")))]
pub async fn draft(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<LetterInput>,
) -> Result<(StatusCode, Json<LetterView>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.draft_letter(&u, &r).await?)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LettersQuery {
    /// Only letters in this state: `draft`, `in_approval`, `returned`,
    /// `rejected`, `signed` (for the Kalem: every signed letter waiting to
    /// be sent) or `dispatched`.
    pub state: Option<String>,
    /// From 1 (default 1).
    pub page: Option<i64>,
    /// 1 to 500 (default 100).
    pub per_page: Option<i64>,
}

/// Parses a letters list's state filter (empty is none).
pub fn state_filter(state: Option<&str>) -> Result<Option<LetterState>, app::AppError> {
    match state.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => LetterState::parse(s)
            .map(Some)
            .ok_or(app::AppError::invalid("state", Code::UnknownState)),
    }
}

#[utoipa::path(get, path = "/outgoing", tag = "outgoing", params(LettersQuery),
    responses((status = 200, body = [LetterLineInfo], description = "Letters the caller wrote, those waiting for his step, and (for the Kalem) the signed letters to send; newest first, one page, the total in `X-Total-Count`",
                headers(("X-Total-Count" = i64, description = "How many letters match, over all pages"))),
              (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody, description = "An unknown state")))]
pub async fn letters(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<LettersQuery>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let state = state_filter(q.state.as_deref())?;
    let per_page = q.per_page.unwrap_or(100).clamp(1, 500);
    let page = q.page.unwrap_or(1).max(1);
    let (lines, total) = s
        .app
        .letters(&u, state, per_page, (page - 1).saturating_mul(per_page))
        .await?;
    let body: Vec<LetterLineInfo> = lines.into_iter().map(LetterLineInfo::from).collect();
    Ok(([("x-total-count", total.to_string())], Json(body)).into_response())
}

/// A line of the letters list.
#[derive(Serialize, ToSchema)]
pub struct LetterLineInfo {
    pub id: i64,
    pub state: LetterState,
    /// internal or external
    pub kind: String,
    pub subject: String,
    pub number: Option<String>,
    pub writer: String,
    pub writer_name: String,
    /// The position whose holder acts next.
    pub waiting_for: Option<String>,
    /// The e-Yazışma confidentiality code.
    pub confidentiality: String,
    /// RFC 3339
    pub updated_at: String,
}

impl From<LetterLine> for LetterLineInfo {
    fn from(l: LetterLine) -> Self {
        LetterLineInfo {
            id: l.id,
            state: l.state,
            kind: l.kind,
            subject: l.subject,
            number: l.number,
            writer: l.writer,
            writer_name: l.writer_name,
            waiting_for: l.waiting_for,
            confidentiality: l.confidentiality,
            updated_at: l
                .updated_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        }
    }
}

#[utoipa::path(get, path = "/outgoing/{id}", tag = "outgoing", params(("id" = i64, Path)),
    responses((status = 200, body = LetterView, description = "The letter, with what the caller may do with it"), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn letter(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LetterView>, WebError> {
    Ok(Json(s.app.letter(&u, id).await?))
}

#[utoipa::path(put, path = "/outgoing/{id}", tag = "outgoing", params(("id" = i64, Path)), request_body = LetterInput,
    responses((status = 200, body = LetterView, description = "Edited: the initials collected so far are dropped"),
              (status = 403, body = crate::error::ErrorBody, description = "Only the writer edits"),
              (status = 409, body = crate::error::ErrorBody, description = "Signed already, or changed since the version given"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn edit(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<LetterInput>,
) -> Result<Json<LetterView>, WebError> {
    s.app.letter(&u, id).await?;
    Ok(Json(s.app.edit_letter(&u, id, &r).await?))
}

#[utoipa::path(post, path = "/outgoing/{id}/decision", tag = "outgoing", params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = LetterView, description = "Initialled, signed (numbered and dated), returned or rejected"),
              (status = 403, body = crate::error::ErrorBody, description = "Not the current step's holder, deputy or delegate"),
              (status = 409, body = crate::error::ErrorBody, description = "initials_missing, already_signed, letter_changed, detsis_not_configured…"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn decide(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<DecisionInput>,
) -> Result<Json<LetterView>, WebError> {
    Ok(Json(s.app.decide_letter(&u, id, &r).await?))
}

#[derive(Serialize, ToSchema)]
pub struct HashAnswer {
    /// SHA-256 (hex) of the letter's canonical content as signed: what an
    /// e-imza over the letter signs.
    pub sha256: String,
    pub number: String,
    /// The canonical content itself (JSON, UTF-8), for a signing tool that
    /// signs a file: a detached CAdES over these bytes is accepted.
    pub content: String,
    /// For an external letter: SHA-256 (hex) of its e-Yazışma package
    /// summary (PaketOzeti), the other content a CAdES may sign; a
    /// signature over it goes into the package as `Imzalar/ImzaCades.imz`.
    pub package_summary_sha256: Option<String>,
}

#[utoipa::path(get, path = "/outgoing/{id}/hash", tag = "outgoing", params(("id" = i64, Path)),
    responses((status = 200, body = HashAnswer), (status = 409, body = crate::error::ErrorBody, description = "Not signed yet")))]
pub async fn hash(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<HashAnswer>, WebError> {
    use sha2::Digest;
    let l = s.app.letter(&u, id).await?.letter;
    let content = app::outgoing::signed_content(&l);
    let package_summary_sha256 = s
        .app
        .package_summary(&u, id)
        .await
        .ok()
        .map(|p| hex::encode(sha2::Sha256::digest(p)));
    match (l.content_sha256, l.number) {
        (Some(sha256), Some(number)) => Ok(Json(HashAnswer {
            sha256,
            number,
            content,
            package_summary_sha256,
        })),
        _ => Err(app::AppError::Conflict(Code::NotSigned).into()),
    }
}

#[utoipa::path(get, path = "/outgoing/{id}/esignatures", tag = "outgoing", params(("id" = i64, Path)),
    responses((status = 200, body = [app::outgoing::KeptSignatureView], description = "The e-imza files kept for the letter, newest first, each verified again now (the trust store may have changed)"),
              (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn esignatures(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<app::outgoing::KeptSignatureView>>, WebError> {
    Ok(Json(s.app.letter_signatures(&u, id).await?))
}

#[utoipa::path(post, path = "/outgoing/{id}/kep", tag = "outgoing", params(("id" = i64, Path)), request_body = app::kep::KepInput,
    responses((status = 200, body = app::kep::KepReceipt, description = "Handed to the institution's KEP provider (`[kep]`) and recorded as dispatched, the message as sent kept as evidence"),
              (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "Dispatch is the Kalem's (register_correspondence, m.16/1, m.21/2)"),
              (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "Not signed, already dispatched, no KEP provider configured, or the provider refused it (nothing recorded)"),
              (status = 422, body = crate::error::ErrorBody, description = "Not a KEP address (…@….kep.tr), or a classified letter (m.25/1)")))]
pub async fn send_by_kep(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<app::kep::KepInput>,
) -> Result<Json<app::kep::KepReceipt>, WebError> {
    Ok(Json(s.app.dispatch_by_kep(&u, id, &r).await?))
}

#[utoipa::path(get, path = "/outgoing/{id}/evidence", tag = "outgoing", params(("id" = i64, Path)),
    responses((status = 200, body = [app::kep::Evidence], description = "The dispatch's evidence files: the KEP message as sent, the provider's delivery evidence"),
              (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn evidence(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<app::kep::Evidence>>, WebError> {
    Ok(Json(s.app.letter_evidence(&u, id).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceQuery {
    /// The file's name, e.g. `kep-delili.eml`.
    pub name: Option<String>,
}

#[utoipa::path(post, path = "/outgoing/{id}/evidence", tag = "outgoing", params(("id" = i64, Path), EvidenceQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The KEP provider's delivery evidence (KEP delili) as received"),
    responses((status = 201, body = app::kep::Evidence, description = "Kept with the letter"),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "The letter was not sent by KEP"),
              (status = 413, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_evidence(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<EvidenceQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<app::kep::Evidence>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.app
                .add_kep_delivery(&u, id, q.name.as_deref().unwrap_or(""), body.to_vec())
                .await?,
        ),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SignatureQuery {
    /// `cades` or `xades`.
    pub format: Option<String>,
}

#[utoipa::path(post, path = "/outgoing/{id}/esignature", tag = "outgoing", params(("id" = i64, Path), SignatureQuery),
    request_body(content = Vec<u8>, description = "The CAdES or XAdES signature file over the hash"),
    responses((status = 204, description = "Kept for verification"), (status = 403, body = crate::error::ErrorBody, description = "Only the signer"),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_signature(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<SignatureQuery>,
    body: Bytes,
) -> Result<StatusCode, WebError> {
    s.app
        .add_letter_signature(&u, id, q.format.as_deref().unwrap_or(""), body.to_vec())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/incoming/{id}/reply", tag = "outgoing", params(("id" = i64, Path)),
    responses((status = 200, body = LetterInput, description = "A draft answering the document: its sender addressed, the document as the reference"),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn reply_draft(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LetterInput>, WebError> {
    Ok(Json(s.app.reply_draft(&u, id).await?))
}

#[utoipa::path(get, path = "/outgoing/{id}/pdf", tag = "outgoing", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", description = "The letter in the official layout (a draft prints as TASLAK, without number or date)"),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn pdf(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let (l, bytes) = s.app.letter_pdf(&u, id).await?;
    let name = l.number.clone().unwrap_or_else(|| format!("taslak-{id}"));
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(get, path = "/outgoing/{id}/eyazisma.eyp", tag = "outgoing", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", description = "The signed external letter as an e-Yazışma 2.x package (.eyp): Üstveri, NihaiÜstveri, the üst yazı as PDF, the attachments, the package summaries with SHA-256 and SHA-512 digests, and the CAdES signature when one is on file"),
              (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "Not signed yet, not an external letter, a classified letter without crypto authorisation (m.31/3), or no DETSİS number set")))]
pub async fn eyazisma_package(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let (l, bytes) = s.app.letter_package(&u, id).await?;
    let name: String = l
        .number
        .clone()
        .unwrap_or_else(|| id.to_string())
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
            (
                axum::http::header::CONTENT_TYPE,
                "application/octet-stream".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.eyp\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LetterBookQuery {
    /// YYYY-MM-DD
    pub from: Option<String>,
    /// YYYY-MM-DD
    pub to: Option<String>,
    /// `pdf` (default) or `csv`.
    pub format: Option<String>,
}

fn book_query(q: LetterBookQuery, register: &str) -> BookQuery {
    BookQuery {
        register: Some(register.into()),
        from: q.from,
        to: q.to,
        format: q.format,
    }
}

#[utoipa::path(get, path = "/outgoing/book", tag = "outgoing", params(LetterBookQuery),
    responses((status = 200, description = "The outgoing register book (giden evrak defteri): sıra no, tarih, sayı, gönderildiği yer, konusu, ek, gönderim, teslim", content_type = "application/pdf"),
              (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn book(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<LetterBookQuery>,
) -> Result<axum::response::Response, WebError> {
    book_response(&s, &u, &book_query(q, "outgoing")).await
}

#[utoipa::path(get, path = "/outgoing/courier-list", tag = "outgoing", params(LetterBookQuery),
    responses((status = 200, description = "The courier's zimmet list of letters handed over by hand, with room to sign", content_type = "application/pdf"),
              (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn courier_list(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<LetterBookQuery>,
) -> Result<axum::response::Response, WebError> {
    book_response(&s, &u, &book_query(q, "courier")).await
}

#[derive(Deserialize, ToSchema)]
pub struct DispatchInput {
    /// `hand` (against signature), `kep`, `email`, `post`, `eyazisma`.
    pub channel: String,
    /// Who took it by hand, the KEP or post receipt, the e-mail address…
    #[serde(default)]
    pub reference: String,
}

#[utoipa::path(post, path = "/outgoing/{id}/dispatch", tag = "outgoing", params(("id" = i64, Path)), request_body = DispatchInput,
    responses((status = 204, description = "Handed over and entered in the outgoing register (m.21/2)"),
              (status = 403, body = crate::error::ErrorBody, description = "The Kalem dispatches (register_correspondence, m.16/1)"),
              (status = 409, body = crate::error::ErrorBody, description = "not_signed or already_dispatched"), (status = 422, body = crate::error::ErrorBody)))]
pub async fn dispatch(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<DispatchInput>,
) -> Result<StatusCode, WebError> {
    s.app
        .dispatch_letter(&u, id, &r.channel, &r.reference)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
