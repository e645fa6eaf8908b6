//! Outgoing letters over the JSON API: drafting (also "cevap yaz" from an
//! incoming document), editing, the chain's decisions, a letter, the
//! letters waiting for the caller, and the e-imza slot (the hash to sign,
//! and the signature file). Mounted under `/api/v1` by `api::router`.

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{extract::State, Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::outgoing::{DecisionInput, LetterInput};
use store::outgoing::{Letter, LetterLine};

use crate::api::{ApiJson, ApiPath, ApiQuery};
use crate::error::WebError;
use crate::{AppState, SignedIn};

pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/outgoing", get(letters).post(draft))
        .route("/outgoing/book", get(book))
        .route("/outgoing/courier-list", get(courier_list))
        .route("/outgoing/{id}", get(letter).put(edit))
        .route("/outgoing/{id}/dispatch", post(dispatch))
        .route("/outgoing/{id}/decision", post(decide))
        .route("/outgoing/{id}/hash", get(hash))
        .route("/outgoing/{id}/pdf", get(pdf))
        .route("/outgoing/{id}/esignature", post(add_signature).layer(axum::extract::DefaultBodyLimit::max(10 << 20)))
        .route("/incoming/{id}/reply", get(reply_draft))
}

#[utoipa::path(post, path = "/api/v1/outgoing", tag = "outgoing", request_body = LetterInput,
    responses((status = 201, body = Object, description = "The draft with its approval chain"), (status = 401, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "The writer holds no position (no_position)"),
              (status = 422, body = crate::error::ErrorBody, description = "A field is wrong; nothing was saved")))]
pub async fn draft(State(s): State<AppState>, SignedIn(u): SignedIn, ApiJson(r): ApiJson<LetterInput>) -> Result<(StatusCode, Json<Letter>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.draft_letter(&u, &r).await?)))
}

#[utoipa::path(get, path = "/api/v1/outgoing", tag = "outgoing",
    responses((status = 200, body = Object, description = "Letters the caller wrote, and those waiting for his step"), (status = 401, body = crate::error::ErrorBody)))]
pub async fn letters(State(s): State<AppState>, SignedIn(u): SignedIn) -> Result<Json<Vec<LetterLine>>, WebError> {
    Ok(Json(s.app.letters(&u).await?))
}

#[utoipa::path(get, path = "/api/v1/outgoing/{id}", tag = "outgoing", params(("id" = i64, Path)),
    responses((status = 200, body = Object), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn letter(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<Json<Letter>, WebError> {
    Ok(Json(s.app.letter(&u, id).await?))
}

#[utoipa::path(put, path = "/api/v1/outgoing/{id}", tag = "outgoing", params(("id" = i64, Path)), request_body = LetterInput,
    responses((status = 200, body = Object, description = "Edited: the initials collected so far are dropped"),
              (status = 403, body = crate::error::ErrorBody, description = "Only the writer edits"),
              (status = 409, body = crate::error::ErrorBody, description = "Signed already, or changed since the version given"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn edit(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>, ApiJson(r): ApiJson<LetterInput>) -> Result<Json<Letter>, WebError> {
    s.app.letter(&u, id).await?;
    Ok(Json(s.app.edit_letter(&u, id, &r).await?))
}

#[utoipa::path(post, path = "/api/v1/outgoing/{id}/decision", tag = "outgoing", params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = Object, description = "Initialled, signed (numbered and dated), returned or rejected"),
              (status = 403, body = crate::error::ErrorBody, description = "Not the current step's holder, deputy or delegate"),
              (status = 409, body = crate::error::ErrorBody, description = "initials_missing, already_signed, letter_changed, detsis_not_configured…"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn decide(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>, ApiJson(r): ApiJson<DecisionInput>) -> Result<Json<Letter>, WebError> {
    Ok(Json(s.app.decide_letter(&u, id, &r).await?))
}

#[derive(Serialize, ToSchema)]
pub struct HashAnswer {
    /// SHA-256 (hex) of the letter's content as signed: what an e-imza signs.
    pub sha256: String,
    pub number: String,
}

#[utoipa::path(get, path = "/api/v1/outgoing/{id}/hash", tag = "outgoing", params(("id" = i64, Path)),
    responses((status = 200, body = HashAnswer), (status = 409, body = crate::error::ErrorBody, description = "Not signed yet")))]
pub async fn hash(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<Json<HashAnswer>, WebError> {
    let l = s.app.letter(&u, id).await?;
    match (l.content_sha256, l.number) {
        (Some(sha256), Some(number)) => Ok(Json(HashAnswer { sha256, number })),
        _ => Err(app::AppError::Conflict("not_signed").into()),
    }
}

#[derive(Deserialize, IntoParams)]
pub struct SignatureQuery {
    /// `cades` or `xades`.
    pub format: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/outgoing/{id}/esignature", tag = "outgoing", params(("id" = i64, Path), SignatureQuery),
    request_body(content = Vec<u8>, description = "The CAdES or XAdES signature file over the hash"),
    responses((status = 204, description = "Kept for verification"), (status = 403, body = crate::error::ErrorBody, description = "Only the signer"),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_signature(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>, ApiQuery(q): ApiQuery<SignatureQuery>, body: Bytes) -> Result<StatusCode, WebError> {
    s.app.add_letter_signature(&u, id, q.format.as_deref().unwrap_or(""), body.to_vec()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/incoming/{id}/reply", tag = "outgoing", params(("id" = i64, Path)),
    responses((status = 200, body = LetterInput, description = "A draft answering the document: its sender addressed, the document as the reference"),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn reply_draft(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<Json<LetterInput>, WebError> {
    Ok(Json(s.app.reply_draft(&u, id).await?))
}

#[utoipa::path(get, path = "/api/v1/outgoing/{id}/pdf", tag = "outgoing", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", description = "The letter in the official layout (a draft prints as TASLAK, without number or date)"),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn pdf(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let (l, bytes) = s.app.letter_pdf(&u, id).await?;
    let name = l.number.clone().unwrap_or_else(|| format!("taslak-{id}"));
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}.pdf\"")),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct LetterBookQuery {
    /// YYYY-MM-DD
    pub from: Option<String>,
    /// YYYY-MM-DD
    pub to: Option<String>,
    /// `pdf` (default) or `csv`.
    pub format: Option<String>,
}

fn book_query(q: LetterBookQuery, register: &str) -> crate::correspondence::BookQuery {
    crate::correspondence::BookQuery { register: Some(register.into()), from: q.from, to: q.to, format: q.format }
}

#[utoipa::path(get, path = "/api/v1/outgoing/book", tag = "outgoing", params(LetterBookQuery),
    responses((status = 200, description = "The outgoing register book (giden evrak defteri): sıra no, tarih, sayı, gönderildiği yer, konusu, ek, gönderim, teslim", content_type = "application/pdf"),
              (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn book(State(s): State<AppState>, SignedIn(u): SignedIn, ApiQuery(q): ApiQuery<LetterBookQuery>) -> Result<axum::response::Response, WebError> {
    crate::correspondence::book_response(&s, &u, &book_query(q, "outgoing")).await
}

#[utoipa::path(get, path = "/api/v1/outgoing/courier-list", tag = "outgoing", params(LetterBookQuery),
    responses((status = 200, description = "The courier's zimmet list of letters handed over by hand, with room to sign", content_type = "application/pdf"),
              (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn courier_list(State(s): State<AppState>, SignedIn(u): SignedIn, ApiQuery(q): ApiQuery<LetterBookQuery>) -> Result<axum::response::Response, WebError> {
    crate::correspondence::book_response(&s, &u, &book_query(q, "courier")).await
}

#[derive(Deserialize, ToSchema)]
pub struct DispatchInput {
    /// `hand` (against signature), `kep`, `email`, `post`, `eyazisma`.
    pub channel: String,
    /// Who took it by hand, the KEP or post receipt, the e-mail address…
    #[serde(default)]
    pub reference: String,
}

#[utoipa::path(post, path = "/api/v1/outgoing/{id}/dispatch", tag = "outgoing", params(("id" = i64, Path)), request_body = DispatchInput,
    responses((status = 204, description = "Handed over and entered in the outgoing register (m.21/2)"),
              (status = 403, body = crate::error::ErrorBody, description = "The Kalem dispatches (register_correspondence, m.16/1)"),
              (status = 409, body = crate::error::ErrorBody, description = "not_signed or already_dispatched"), (status = 422, body = crate::error::ErrorBody)))]
pub async fn dispatch(State(s): State<AppState>, SignedIn(u): SignedIn, ApiPath(id): ApiPath<i64>, ApiJson(r): ApiJson<DispatchInput>) -> Result<StatusCode, WebError> {
    s.app.dispatch_letter(&u, id, &r.channel, &r.reference).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub use pages::router as page_routes;

mod pages {
    use std::collections::HashMap;

    use askama::Template;
    use axum::extract::{Multipart, Path, Query, State};
    use axum::http::StatusCode;
    use axum::response::{Html, IntoResponse, Redirect, Response};
    use axum::routing::{get, post};
    use axum::{Form, Router};

    use app::outgoing::{DecisionInput, LetterInput, RecipientInput, RefInput};
    use app::AppError;
    use store::outgoing::{Letter, LetterLine};

    use crate::error::WebError;
    use crate::pages::render;
    use crate::security::csrf_pages;
    use crate::{AppState, Layout, SignedIn};

    pub fn router() -> Router<AppState> {
        Router::new()
            .route("/yazi", get(list_page))
            .route("/yazi/yeni", get(new_page).post(new_submit).layer(axum::extract::DefaultBodyLimit::disable()))
            .route("/yazi/{id}", get(letter_page))
            .route("/yazi/{id}/duzenle", get(edit_page).post(edit_submit).layer(axum::extract::DefaultBodyLimit::disable()))
            .route("/yazi/{id}/karar", post(decide_submit))
            .route("/yazi/{id}/gonder", post(dispatch_submit))
            .route("/yazi/{id}/dosyala", post(file_submit))
            .layer(axum::middleware::from_fn(csrf_pages))
    }

    #[derive(Template)]
    #[template(path = "letters.html")]
    struct ListPage {
        l: Layout,
        lines: Vec<LetterLine>,
    }

    async fn list_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn) -> Result<Html<String>, WebError> {
        render(ListPage { l, lines: s.app.letters(&u).await? })
    }

    /// Rows of the form: three recipients and two references.
    const RECIPIENT_ROWS: usize = 3;
    const REF_ROWS: usize = 2;

    #[derive(Template)]
    #[template(path = "letter_form.html")]
    struct FormPage {
        l: Layout,
        f: LetterInput,
        recipients: Vec<RecipientInput>,
        refs: Vec<RefInput>,
        action: String,
        error: Option<(&'static str, &'static str)>,
    }

    fn form(l: Layout, f: LetterInput, action: String, error: Option<(&'static str, &'static str)>) -> Result<Html<String>, WebError> {
        let mut recipients = f.recipients.clone();
        recipients.resize(recipients.len().max(RECIPIENT_ROWS), RecipientInput::default());
        let mut refs = f.refs.clone();
        refs.resize(refs.len().max(REF_ROWS), RefInput::default());
        render(FormPage { l, f, recipients, refs, action, error })
    }

    /// The form's fields, back into a letter: rows left empty are dropped.
    fn from_form(m: &HashMap<String, String>) -> LetterInput {
        let get = |k: &str| m.get(k).cloned().unwrap_or_default();
        let mut f = LetterInput {
            subject: get("subject"),
            body: get("body"),
            file_code: get("file_code"),
            confidentiality: get("confidentiality"),
            urgency: get("urgency"),
            urgent_date: get("urgent_date"),
            personal_data: m.contains_key("personal_data"),
            contact: get("contact"),
            version: get("version").parse().ok(),
            ..Default::default()
        };
        for i in 0..20 {
            let name = get(&format!("r_name_{i}"));
            if name.trim().is_empty() {
                continue;
            }
            f.recipients.push(RecipientInput {
                role: get(&format!("r_role_{i}")),
                kind: get(&format!("r_kind_{i}")),
                name,
                detsis: get(&format!("r_detsis_{i}")),
                address: get(&format!("r_address_{i}")),
            });
        }
        for i in 0..20 {
            let text = get(&format!("ref_text_{i}"));
            if text.trim().is_empty() {
                continue;
            }
            f.refs.push(RefInput { text, incoming_id: get(&format!("ref_incoming_{i}")).parse().ok() });
        }
        f
    }

    #[derive(serde::Deserialize)]
    struct NewQuery {
        cevap: Option<String>,
    }

    async fn new_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Query(q): Query<NewQuery>) -> Result<Html<String>, WebError> {
        let f = match q.cevap.as_deref().and_then(|c| c.parse().ok()) {
            Some(id) => s.app.reply_draft(&u, id).await?,
            None => LetterInput::default(),
        };
        form(l, f, "/yazi/yeni".into(), None)
    }

    /// The form's fields and its attachments: the fields come first in the
    /// form, so the letter is checked before any file is kept.
    async fn read_form(s: &AppState, u: &store::User, mut mp: Multipart, keep: &[(String, String)]) -> Result<Result<LetterInput, (LetterInput, &'static str, &'static str)>, WebError> {
        let mut m: HashMap<String, String> = HashMap::new();
        let mut files: Vec<(String, String)> = keep.to_vec();
        let mut checked = false;
        loop {
            let field = match mp.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(_) => return Err(WebError::bad_request()),
            };
            let name = field.name().unwrap_or("").to_owned();
            if name == "ek" {
                let file_name = field.file_name().unwrap_or("").trim().to_owned();
                if file_name.is_empty() {
                    continue;
                }
                if !checked {
                    if let Err(AppError::Invalid { field, code }) = s.app.check_letter(u, &from_form(&m)).await {
                        return Ok(Err((from_form(&m), field, code)));
                    }
                    checked = true;
                }
                match s.app.store_attachment(u, "", field).await {
                    Ok(rec) => files.push((rec.sha256, file_name)),
                    Err(AppError::Invalid { code, .. }) => return Ok(Err((from_form(&m), "ek", code))),
                    Err(AppError::TooLarge { .. }) => return Ok(Err((from_form(&m), "ek", "too_large"))),
                    Err(e) => return Err(e.into()),
                }
                continue;
            }
            let value = field.text().await.map_err(|_| WebError::bad_request())?;
            m.insert(name, value);
        }
        let mut f = from_form(&m);
        f.attachments = files.iter().map(|(sha, _)| sha.clone()).collect();
        f.attachment_names = files.into_iter().map(|(_, n)| n).collect();
        Ok(Ok(f))
    }

    async fn new_submit(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, mp: Multipart) -> Result<Response, WebError> {
        let f = match read_form(&s, &u, mp, &[]).await? {
            Ok(f) => f,
            Err((f, field, code)) => return Ok((StatusCode::UNPROCESSABLE_ENTITY, form(l, f, "/yazi/yeni".into(), Some((field, code)))?).into_response()),
        };
        match s.app.draft_letter(&u, &f).await {
            Ok(letter) => Ok(Redirect::to(&format!("/yazi/{}", letter.id)).into_response()),
            Err(AppError::Invalid { field, code }) => Ok((StatusCode::UNPROCESSABLE_ENTITY, form(l, f, "/yazi/yeni".into(), Some((field, code)))?).into_response()),
            Err(e) => Err(e.into()),
        }
    }

    fn letter_input(letter: &Letter) -> LetterInput {
        LetterInput {
            heading: letter.heading.clone(),
            subject: letter.subject.clone(),
            body: letter.body.clone(),
            file_code: letter.file_code.clone(),
            confidentiality: letter.confidentiality.clone(),
            urgency: letter.urgency.clone(),
            urgent_date: letter.urgent_date.map(|d| d.to_string()).unwrap_or_default(),
            personal_data: letter.personal_data,
            contact: letter.contact.clone(),
            recipients: letter.recipients.iter().map(|r| RecipientInput { role: r.role.clone(), kind: r.kind.clone(), name: r.name.clone(),
                detsis: r.detsis.clone().unwrap_or_default(), address: r.address.clone() }).collect(),
            refs: letter.refs.iter().map(|r| RefInput { text: r.text.clone(), incoming_id: r.incoming_id }).collect(),
            attachments: letter.attachments.iter().map(|a| a.sha256.clone()).collect(),
            attachment_names: letter.attachments.iter().map(|a| a.name.clone()).collect(),
            version: Some(letter.version),
        }
    }

    fn id_of(id: &str) -> Result<i64, WebError> {
        id.parse().map_err(|_| WebError::new(StatusCode::NOT_FOUND, "not_found"))
    }

    async fn edit_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Path(id): Path<String>) -> Result<Html<String>, WebError> {
        let id = id_of(&id)?;
        let letter = s.app.letter(&u, id).await?;
        form(l, letter_input(&letter), format!("/yazi/{id}/duzenle"), None)
    }

    async fn edit_submit(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Path(id): Path<String>, mp: Multipart) -> Result<Response, WebError> {
        let id = id_of(&id)?;
        // The attachments it has stay; new ones are added.
        let before = s.app.letter(&u, id).await?;
        let keep: Vec<(String, String)> = before.attachments.iter().map(|a| (a.sha256.clone(), a.name.clone())).collect();
        let f = match read_form(&s, &u, mp, &keep).await? {
            Ok(f) => f,
            Err((f, field, code)) => return Ok((StatusCode::UNPROCESSABLE_ENTITY, form(l, f, format!("/yazi/{id}/duzenle"), Some((field, code)))?).into_response()),
        };
        match s.app.edit_letter(&u, id, &f).await {
            Ok(_) => Ok(Redirect::to(&format!("/yazi/{id}?tamam=1")).into_response()),
            Err(AppError::Invalid { field, code }) => Ok((StatusCode::UNPROCESSABLE_ENTITY, form(l, f, format!("/yazi/{id}/duzenle"), Some((field, code)))?).into_response()),
            Err(e) => Err(e.into()),
        }
    }

    #[derive(Template)]
    #[template(path = "letter.html")]
    struct LetterPage {
        l: Layout,
        d: Letter,
        notice: bool,
        error: Option<&'static str>,
        /// (position name, action key, done by, basis, is the current step)
        steps: Vec<(String, &'static str, String, String, bool)>,
        current: Option<i64>,
        is_writer: bool,
        may_dispatch: bool,
        may_file: bool,
        filed: Option<String>,
    }

    #[derive(serde::Deserialize)]
    struct LetterQuery {
        tamam: Option<String>,
    }

    async fn letter_view(s: &AppState, l: Layout, u: &store::User, id: i64, notice: bool, error: Option<&'static str>) -> Result<Html<String>, WebError> {
        let d = s.app.letter(u, id).await?;
        let p = s.app.profile();
        let current = d.current_step().map(|st| st.ord);
        let steps = d.steps.iter().map(|st| (
            p.position(&st.position).map_or(st.position.clone(), |x| x.name.clone()),
            if st.action == "sign" { "letter.step.sign" } else { "letter.step.initial" },
            st.done_by.clone().unwrap_or_default(),
            st.basis.clone().unwrap_or_default(),
            current == Some(st.ord),
        )).collect();
        let keeper = s.app.holds(u, "register_correspondence").await?;
        let may_dispatch = d.state == "signed" && keeper;
        let filed = s.app.file_of_document(&format!("outgoing:{id}")).await?.map(|f| format!("{} {} / {}", f.file_code, f.title, f.year));
        let may_file = d.number.is_some() && filed.is_none() && keeper;
        render(LetterPage { l, current: d.current_step().map(|st| st.ord), is_writer: d.writer_id == u.id, steps, may_dispatch, may_file, filed, d, notice, error })
    }

    async fn letter_page(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Path(id): Path<String>, Query(q): Query<LetterQuery>) -> Result<Html<String>, WebError> {
        letter_view(&s, l, &u, id_of(&id)?, q.tamam.is_some(), None).await
    }

    #[derive(serde::Deserialize)]
    struct DecisionForm {
        decision: String,
        #[serde(default)]
        note: String,
        version: Option<i64>,
    }

    async fn decide_submit(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Path(id): Path<String>, Form(f): Form<DecisionForm>) -> Result<Response, WebError> {
        let id = id_of(&id)?;
        match s.app.decide_letter(&u, id, &DecisionInput { decision: f.decision, note: f.note, version: f.version }).await {
            Ok(_) => Ok(Redirect::to(&format!("/yazi/{id}?tamam=1")).into_response()),
            Err(AppError::Invalid { code, .. } | AppError::Conflict(code)) => {
                Ok((StatusCode::UNPROCESSABLE_ENTITY, letter_view(&s, l, &u, id, false, Some(code)).await?).into_response())
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn file_submit(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Path(id): Path<String>) -> Result<Response, WebError> {
        let id = id_of(&id)?;
        match s.app.file_into_archive(&u, &format!("outgoing:{id}")).await {
            Ok(_) => Ok(Redirect::to(&format!("/yazi/{id}?tamam=1")).into_response()),
            Err(AppError::Invalid { code, .. } | AppError::Conflict(code)) => {
                Ok((StatusCode::UNPROCESSABLE_ENTITY, letter_view(&s, l, &u, id, false, Some(code)).await?).into_response())
            }
            Err(e) => Err(e.into()),
        }
    }

    #[derive(serde::Deserialize)]
    struct DispatchForm {
        channel: String,
        #[serde(default)]
        reference: String,
    }

    async fn dispatch_submit(State(s): State<AppState>, l: Layout, SignedIn(u): SignedIn, Path(id): Path<String>, Form(f): Form<DispatchForm>) -> Result<Response, WebError> {
        let id = id_of(&id)?;
        match s.app.dispatch_letter(&u, id, &f.channel, &f.reference).await {
            Ok(()) => Ok(Redirect::to(&format!("/yazi/{id}?tamam=1")).into_response()),
            Err(AppError::Invalid { code, .. } | AppError::Conflict(code)) => {
                Ok((StatusCode::UNPROCESSABLE_ENTITY, letter_view(&s, l, &u, id, false, Some(code)).await?).into_response())
            }
            Err(e) => Err(e.into()),
        }
    }
}
