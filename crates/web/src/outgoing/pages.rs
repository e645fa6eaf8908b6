//! Outgoing letters' pages (/yazi): the list, the letter form (new, edit,
//! "cevap yaz"), a letter with its chain and only the decisions its reader
//! may take now, dispatch and filing.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use app::outgoing::{DecisionInput, LetterInput, LetterLine, RecipientInput, RefInput};
use app::{AppError, User};
use domain::code::Code;
use domain::outgoing::Letter;

use crate::error::WebError;
use crate::multipart::{self, Form as Multi};
use crate::{id_of, render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/yazi", get(list_page))
        .route(
            "/yazi/yeni",
            get(new_page)
                .post(new_submit)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/yazi/{id}", get(letter_page))
        .route(
            "/yazi/{id}/duzenle",
            get(edit_page)
                .post(edit_submit)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/yazi/onizleme", post(preview_submit))
        .route("/yazi/toplu-gonder", post(bulk_dispatch_submit))
        .route("/yazi/{id}/karar", post(decide_submit))
        .route("/yazi/{id}/gonder", post(dispatch_submit))
        .route("/yazi/{id}/dosyala", post(file_submit))
        .route(
            "/yazi/{id}/imza",
            post(esignature_submit).layer(axum::extract::DefaultBodyLimit::max(10 << 20)),
        )
        .route("/yazi/{id}/kep", post(kep_submit))
        .route(
            "/yazi/{id}/kep-delili",
            post(kep_delivery_submit).layer(axum::extract::DefaultBodyLimit::max(10 << 20)),
        )
        .route("/yazi/{id}/imzalanacak.json", get(signed_content))
        .route("/yazi/{id}/paket-ozeti.xml", get(package_summary))
}

#[derive(Template)]
#[template(path = "letters.html")]
struct ListPage {
    l: Layout,
    /// Each letter with the name of the position it waits for and when it
    /// last changed.
    lines: Vec<(LetterLine, String, String)>,
    /// The state shown (`""` for all) and the tabs: (state, label key).
    state: String,
    tabs: Vec<(&'static str, &'static str)>,
    pager: crate::pager::Pager,
    /// The Kalem on the "to send" tab: tick letters and send them at once.
    bulk_dispatch: bool,
    /// Done, refused, and why the first was refused.
    bulk_done: Option<(usize, usize, Option<&'static str>)>,
}

#[derive(serde::Deserialize)]
struct ListQuery {
    durum: Option<String>,
    sayfa: Option<i64>,
    /// After a bulk dispatch: what it came to.
    yapildi: Option<usize>,
    reddedildi: Option<usize>,
    neden: Option<String>,
}

const LETTERS_PER_PAGE: i64 = 50;

async fn list_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    let p = s.app.profile();
    let state = super::api::state_filter(q.durum.as_deref())?;
    let code = state.map_or("", |s| s.code());
    let base = if code.is_empty() {
        "/yazi".to_owned()
    } else {
        format!("/yazi?durum={code}")
    };
    let page = q.sayfa.unwrap_or(1).clamp(1, 1_000_000);
    let (mut lines, total) = s
        .app
        .letters(&u, state, LETTERS_PER_PAGE, (page - 1) * LETTERS_PER_PAGE)
        .await?;
    let pager = crate::pager::Pager::new(Some(page), LETTERS_PER_PAGE, total, base);
    if lines.is_empty() && total > 0 {
        lines = s
            .app
            .letters(&u, state, LETTERS_PER_PAGE, pager.offset())
            .await?
            .0;
    }
    let lines: Vec<(LetterLine, String, String)> = lines
        .into_iter()
        .map(|x| {
            let waiting = x
                .waiting_for
                .as_deref()
                .map(|w| {
                    p.position(w).map_or(w.to_owned(), |x| {
                        domain::profile::Named::name_for(x, crate::i18n::english()).to_owned()
                    })
                })
                .unwrap_or_else(|| "—".to_owned());
            let when = domain::local::format_datetime(x.updated_at);
            (x, waiting, when)
        })
        .collect();
    let tabs = vec![
        ("", "letters.all"),
        ("in_approval", "letters.state.in_approval"),
        ("returned", "letters.state.returned"),
        ("signed", "letters.to_dispatch"),
        ("dispatched", "letters.state.dispatched"),
        ("draft", "letters.state.draft"),
        ("rejected", "letters.state.rejected"),
    ];
    let bulk_dispatch =
        code == "signed" && !lines.is_empty() && s.app.capabilities(&u).await?.register;
    let bulk_done = crate::bulk::shown(q.yapildi, q.reddedildi, q.neden.as_deref());
    render(ListPage {
        l,
        lines,
        state: code.to_owned(),
        tabs,
        pager,
        bulk_dispatch,
        bulk_done,
    })
}

/// Rows of the form: at least two references.
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
    /// (code, name): the levels a new letter may carry, the urgencies.
    confidentiality: Vec<(&'static str, &'static str)>,
    urgencies: Vec<(&'static str, &'static str)>,
    /// The Standard File Plan's codes a letter may take: (code, name).
    file_codes: &'static [(String, String)],
    /// The incoming document a reply answers, shown beside the form.
    reply_to: Option<ReplyTo>,
    /// Templates (id, name key) and the address book (name, DETSİS).
    templates: Vec<(&'static str, &'static str)>,
    institutions: Vec<(String, String)>,
}

/// Templates for common letters: (id, name key, body). The body is the
/// official text (Turkish, as the letter itself); the writer completes it.
const TEMPLATES: &[(&str, &str, &str)] = &[
    ("bilgi", "template.bilgi", "İlgi yazı ile talep edilen bilgiler aşağıda sunulmuştur.\n\n[Bilgiler]\n\nBilgilerinize arz/rica ederim."),
    ("gorus", "template.gorus", "İlgi yazı ile Müdürlüğümüzün görüşü istenen konu incelenmiştir.\n\n[Görüş]\n\nBilgilerinize arz/rica ederim."),
    ("talep_karsilandi", "template.talep_karsilandi", "İlgi yazı ile talep edilen [iş] tamamlanmıştır.\n\nBilgilerinize arz/rica ederim."),
    ("ek_gonderme", "template.ek_gonderme", "İlgi yazı ile istenen belgeler ekte gönderilmiştir.\n\nBilgilerinize arz/rica ederim."),
    ("toplanti", "template.toplanti", "[Konu] hakkında [tarih] günü saat [saat]'de [yer]'de bir toplantı yapılacaktır.\n\nToplantıya Müdürlüğünüzü temsilen bir yetkilinin katılımını rica ederim."),
];

/// The document a reply answers, as the writer needs it beside him.
struct ReplyTo {
    id: i64,
    number: String,
    subject: String,
    sender: String,
    received_on: String,
    /// (SHA-256, is a PDF) of the first file a browser shows.
    preview: Option<(String, bool)>,
}

fn file_codes() -> &'static [(String, String)] {
    static CODES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| {
        domain::fileplan::FilePlan::builtin()
            .iter()
            .filter(|c| !c.is_group())
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect()
    })
}

async fn reply_to(s: &AppState, u: &User, f: &LetterInput) -> Option<ReplyTo> {
    let id = f.refs.iter().find_map(|r| r.incoming_id)?;
    let d = s.app.incoming(u, id).await.ok()?.document;
    let preview = d
        .attachments
        .iter()
        .find(|a| crate::attachments::api::previewable(&a.content_type))
        .map(|a| (a.sha256.clone(), a.content_type == "application/pdf"));
    Some(ReplyTo {
        id: d.id,
        number: d.number.clone(),
        subject: d.subject.clone(),
        sender: d.sender_name.clone(),
        received_on: domain::local::format_date(d.received_on),
        preview,
    })
}

fn form(
    l: Layout,
    f: LetterInput,
    action: String,
    error: Option<(&'static str, &'static str)>,
) -> Result<Html<String>, WebError> {
    form_beside(l, f, action, error, None, Vec::new())
}

fn form_beside(
    l: Layout,
    f: LetterInput,
    action: String,
    error: Option<(&'static str, &'static str)>,
    reply_to: Option<ReplyTo>,
    institutions: Vec<(String, String)>,
) -> Result<Html<String>, WebError> {
    let templates = TEMPLATES.iter().map(|(id, key, _)| (*id, *key)).collect();
    // The rows it has and one empty one (the page's button adds more).
    let mut recipients = f.recipients.clone();
    recipients.push(RecipientInput::default());
    let mut refs = f.refs.clone();
    refs.resize(refs.len().max(REF_ROWS), RefInput::default());
    use domain::correspondence::{Confidentiality, Urgency};
    let confidentiality = Confidentiality::FOR_NEW
        .iter()
        .map(|c| (c.code(), l.t.code("confidentiality", c.code())))
        .collect();
    let urgencies = Urgency::ALL
        .iter()
        .map(|c| (c.code(), l.t.code("urgency", c.code())))
        .collect();
    render(FormPage {
        l,
        f,
        recipients,
        refs,
        action,
        error,
        confidentiality,
        urgencies,
        file_codes: file_codes(),
        reply_to,
        templates,
        institutions,
    })
}

/// The form's fields, back into a letter: rows left empty are dropped.
fn from_form(m: &multipart::Fields, files: &[(String, String)]) -> LetterInput {
    let get = |k: &str| m.get(k);
    let mut f = LetterInput {
        subject: get("subject"),
        body: get("body"),
        file_code: get("file_code"),
        confidentiality: get("confidentiality"),
        urgency: get("urgency"),
        urgent_date: get("urgent_date"),
        personal_data: m.has("personal_data"),
        contact: get("contact"),
        version: get("version").parse().ok(),
        ..Default::default()
    };
    let all = crate::incoming::pages::kept_and_new(m, files);
    f.attachments = all.iter().map(|(sha, _)| sha.clone()).collect();
    f.attachment_names = all.iter().map(|(_, n)| n.clone()).collect();
    for i in 0..50 {
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
            line: get(&format!("r_line_{i}")),
        });
    }
    for i in 0..50 {
        let text = get(&format!("ref_text_{i}"));
        if text.trim().is_empty() {
            continue;
        }
        f.refs.push(RefInput {
            text,
            incoming_id: get(&format!("ref_incoming_{i}")).parse().ok(),
        });
    }
    f
}

#[derive(serde::Deserialize)]
struct NewQuery {
    cevap: Option<String>,
    sablon: Option<String>,
}

async fn new_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<NewQuery>,
) -> Result<Html<String>, WebError> {
    let mut f = match q.cevap.as_deref().and_then(|c| c.parse().ok()) {
        Some(id) => s.app.reply_draft(&u, id).await?,
        None => LetterInput::default(),
    };
    if let Some((_, _, body)) = TEMPLATES
        .iter()
        .find(|(id, _, _)| Some(*id) == q.sablon.as_deref())
    {
        f.body = (*body).to_owned();
    }
    let beside = reply_to(&s, &u, &f).await;
    form_beside(
        l,
        f,
        "/yazi/yeni".into(),
        None,
        beside,
        s.app.address_book().await?,
    )
}

/// The form's fields and its attachments (those it has, `keep`, and the
/// new ones): the fields come first in the form, so the letter is checked
/// before any file is kept. A refusal keeps what was typed and uploaded.
async fn read_form(
    s: &AppState,
    u: &User,
    mp: Multipart,
    keep: &[(String, String)],
) -> Result<Result<LetterInput, (LetterInput, &'static str, &'static str)>, WebError> {
    let check =
        |f: multipart::Fields| async move { s.app.check_letter(u, &from_form(&f, keep)).await };
    Ok(match multipart::read(s, u, mp, "ek", check).await? {
        Multi::Read { fields, files } => Ok(from_form(&fields, &[keep, &files].concat())),
        Multi::Refused {
            fields,
            files,
            field,
            code,
        } => Err((
            from_form(&fields, &[keep, &files].concat()),
            if field == "file" { "ek" } else { field },
            code.as_str(),
        )),
    })
}

async fn new_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    mp: Multipart,
) -> Result<Response, WebError> {
    let f = match read_form(&s, &u, mp, &[]).await? {
        Ok(f) => f,
        Err((f, field, code)) => {
            let beside = reply_to(&s, &u, &f).await;
            let book = s.app.address_book().await?;
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_beside(l, f, "/yazi/yeni".into(), Some((field, code)), beside, book)?,
            )
                .into_response());
        }
    };
    match s.app.draft_letter(&u, &f).await {
        Ok(letter) => Ok(Redirect::to(&format!("/yazi/{}", letter.letter.id)).into_response()),
        Err(AppError::Invalid { field, code }) => {
            let beside = reply_to(&s, &u, &f).await;
            let book = s.app.address_book().await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_beside(
                    l,
                    f,
                    "/yazi/yeni".into(),
                    Some((field, code.as_str())),
                    beside,
                    book,
                )?,
            )
                .into_response())
        }
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
        urgent_date: letter
            .urgent_date
            .map(|d| d.to_string())
            .unwrap_or_default(),
        personal_data: letter.personal_data,
        contact: letter.contact.clone(),
        recipients: letter
            .recipients
            .iter()
            .map(|r| RecipientInput {
                role: r.role.clone(),
                kind: r.kind.clone(),
                name: r.name.clone(),
                detsis: r.detsis.clone().unwrap_or_default(),
                address: r.address.clone(),
                line: r.line.clone(),
            })
            .collect(),
        refs: letter
            .refs
            .iter()
            .map(|r| RefInput {
                text: r.text.clone(),
                incoming_id: r.incoming_id,
            })
            .collect(),
        attachments: letter
            .attachments
            .iter()
            .map(|a| a.sha256.clone())
            .collect(),
        attachment_names: letter.attachments.iter().map(|a| a.name.clone()).collect(),
        version: Some(letter.version),
    }
}

async fn edit_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let id = id_of(&id)?;
    let letter = s.app.letter(&u, id).await?.letter;
    form(
        l,
        letter_input(&letter),
        format!("/yazi/{id}/duzenle"),
        None,
    )
}

async fn edit_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    mp: Multipart,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    // The attachments it has stay; new ones are added.
    let before = s.app.letter(&u, id).await?.letter;
    let keep: Vec<(String, String)> = before
        .attachments
        .iter()
        .map(|a| (a.sha256.clone(), a.name.clone()))
        .collect();
    let f = match read_form(&s, &u, mp, &keep).await? {
        Ok(f) => f,
        Err((f, field, code)) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form(l, f, format!("/yazi/{id}/duzenle"), Some((field, code)))?,
            )
                .into_response())
        }
    };
    match s.app.edit_letter(&u, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/yazi/{id}?tamam=1")).into_response()),
        Err(AppError::Invalid { field, code }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form(
                l,
                f,
                format!("/yazi/{id}/duzenle"),
                Some((field, code.as_str())),
            )?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Sends the ticked signed letters at once by one channel (the Kalem,
/// m.21/2): each through the same use-case as on its own page; the list
/// then says how many were sent and how many refused (a classified letter
/// does not go by e-mail or KEP, say).
async fn bulk_dispatch_submit(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (channel, reference) = (get("channel"), get("reference"));
    let mut tally = crate::bulk::Tally::default();
    for id in crate::bulk::ids(&pairs) {
        tally.add(s.app.dispatch_letter(&u, id, &channel, &reference).await)?;
    }
    Ok(Redirect::to(&format!("/yazi?durum=signed&{}", tally.query())).into_response())
}

/// The form, printed as it stands (nothing saved), into the preview frame
/// beside it: the PDF, or the reason it cannot be printed yet.
async fn preview_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = from_form(&multipart::Fields::from_pairs(pairs), &[]);
    let mut resp = match s.app.preview_letter(&u, &f).await {
        Ok(pdf) => ([(axum::http::header::CONTENT_TYPE, "application/pdf")], pdf).into_response(),
        Err(
            e @ (AppError::Invalid { .. }
            | AppError::Conflict(_)
            | AppError::Forbidden { .. }
            | AppError::TooLarge { .. }),
        ) => {
            let msg = match &e {
                AppError::Invalid { field, code } => {
                    let label = l.t.field(field);
                    if label.is_empty() {
                        l.t.s(code.as_str()).to_owned()
                    } else {
                        format!("{label}: {}", l.t.s(code.as_str()))
                    }
                }
                AppError::Conflict(code) => l.t.s(code.as_str()).to_owned(),
                AppError::TooLarge { .. } => l.t.s(Code::TooLarge.as_str()).to_owned(),
                _ => l.t.s(Code::Forbidden.as_str()).to_owned(),
            };
            let html = format!(
                "<!doctype html><html lang=\"{}\"><meta charset=\"utf-8\"><title>{}</title><body style=\"font-family:sans-serif;padding:1rem\"><p><strong>{}</strong></p><p>{}</p></body></html>",
                l.lang.code(),
                l.t.s("letter.preview"),
                l.t.s("letter.preview_not_yet"),
                askama_escape(&msg)
            );
            (
                StatusCode::OK,
                [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html,
            )
                .into_response()
        }
        Err(e) => return Err(e.into()),
    };
    resp.extensions_mut().insert(crate::security::FramedBySelf);
    Ok(resp)
}

fn askama_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterPage {
    l: Layout,
    d: Letter,
    notice: bool,
    error: Option<&'static str>,
    state: &'static str,
    /// (position name, action key, done by and when, basis, is the current step)
    steps: Vec<(String, &'static str, String, String, bool)>,
    /// Only whoever's turn it is (or his deputy or delegate) decides.
    may_decide: bool,
    may_send_back: bool,
    may_edit: bool,
    may_dispatch: bool,
    may_file: bool,
    /// The body's paragraphs.
    paragraphs: Vec<String>,
    /// The Standard File Plan code with its name.
    file_code: String,
    /// When it was sent back, and when it was sent, for people.
    returned_at: Option<String>,
    dispatched_at: Option<String>,
    filed: Option<String>,
    /// The e-imza files kept, as verified now.
    signatures: Vec<SignatureLine>,
    /// The signer may upload his e-imza file.
    may_add_signature: bool,
    /// A signed external letter: it leaves as an e-Yazışma package.
    packaged: bool,
    /// The Kalem may send it by KEP from here (a provider is configured).
    kep_ready: bool,
    /// A valid e-imza over its e-Yazışma package is kept (it goes into the
    /// package).
    package_signed: bool,
    /// The dispatch's evidence files: (name, sha256, kind key, when, by).
    evidence: Vec<(String, String, &'static str, String, String)>,
    /// Sent by KEP, and the reader keeps the registers: the provider's
    /// delivery evidence may be added.
    may_add_delivery: bool,
}

/// An e-imza file kept for a letter, for people.
struct SignatureLine {
    signer: String,
    issuer: String,
    when: String,
    /// `letter.esign_covers_content` or `letter.esign_covers_package`.
    covers: &'static str,
    valid: bool,
    /// The failed check's message key.
    reason: Option<String>,
    format: String,
}

#[derive(serde::Deserialize)]
struct LetterQuery {
    tamam: Option<String>,
}

async fn letter_view(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    notice: bool,
    error: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let view = s.app.letter(u, id).await?;
    let (d, actions) = (view.letter, view.actions);
    let p = s.app.profile();
    let current = d.current_step().map(|st| st.ord);
    let steps = d
        .steps
        .iter()
        .map(|st| {
            (
                p.position(&st.position).map_or(st.position.clone(), |x| {
                    domain::profile::Named::name_for(x, crate::i18n::english()).to_owned()
                }),
                if st.action == "sign" {
                    "letter.step.sign"
                } else {
                    "letter.step.initial"
                },
                match (&st.done_by_name, st.done_at) {
                    (Some(n), Some(at)) => format!("{n}, {}", domain::local::format_datetime(at)),
                    (Some(n), None) => n.clone(),
                    _ => String::new(),
                },
                st.basis
                    .as_deref()
                    .map(|b| crate::basis_for_people(l.t, p, b))
                    .unwrap_or_default(),
                current == Some(st.ord),
            )
        })
        .collect();
    let filed = s
        .app
        .file_of_document(u, &format!("outgoing:{id}"))
        .await?
        .map(|f| format!("{} {} / {}", f.file.file_code, f.file.title, f.file.year));
    let may_file = d.number.is_some() && filed.is_none() && s.app.capabilities(u).await?.register;
    let file_code = domain::fileplan::FilePlan::builtin()
        .get(&d.file_code)
        .map(|c| format!("{} {}", c.code, c.name))
        .unwrap_or_else(|| d.file_code.clone());
    // "Dosyala" only once the letter has left (m.21/2, then m.22).
    let may_file = may_file && d.state == domain::outgoing::LetterState::Dispatched;
    let returned_at = d.returned_at.map(domain::local::format_datetime);
    let dispatched_at = d.dispatched_at.map(domain::local::format_datetime);
    let signatures = if d.state.is_signed() {
        s.app
            .letter_signatures(u, id)
            .await?
            .into_iter()
            .map(|k| {
                let v = k.verification.as_ref();
                SignatureLine {
                    signer: v
                        .and_then(|v| v.signer_name.clone())
                        .unwrap_or_else(|| k.added_by_name.clone()),
                    issuer: v.and_then(|v| v.issuer.clone()).unwrap_or_default(),
                    when: domain::local::format_datetime(
                        v.and_then(|v| v.signing_time).unwrap_or(k.added_at),
                    ),
                    covers: if k.covers == "package" {
                        "letter.esign_covers_package"
                    } else {
                        "letter.esign_covers_content"
                    },
                    valid: v.is_some_and(|v| v.valid),
                    reason: v.and_then(|v| v.refusal()).map(|c| c.as_str().to_owned()),
                    format: k.format,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let may_add_signature = domain::outgoing::add_signature(u, &d).is_ok();
    let package_signed = signatures
        .iter()
        .any(|g| g.valid && g.covers == "letter.esign_covers_package");
    let kep_ready = actions.dispatch && s.app.kep_configured();
    let evidence = s
        .app
        .letter_evidence(u, id)
        .await?
        .into_iter()
        .map(|e| {
            (
                e.name,
                e.sha256,
                if e.kind == "kep_sent" {
                    "letter.kep_sent"
                } else {
                    "letter.kep_delivery"
                },
                domain::local::format_datetime(e.added_at),
                e.added_by_name,
            )
        })
        .collect();
    let may_add_delivery =
        d.dispatch_channel.as_deref() == Some("kep") && s.app.capabilities(u).await?.register;
    let packaged = d.state.is_signed() && d.kind() == domain::outgoing::LetterKind::External;
    render(LetterPage {
        kep_ready,
        package_signed,
        evidence,
        may_add_delivery,
        signatures,
        may_add_signature,
        packaged,
        l,
        file_code,
        returned_at,
        dispatched_at,
        state: d.state.code(),
        may_decide: actions.approve,
        may_send_back: actions.send_back,
        may_edit: actions.edit,
        may_dispatch: actions.dispatch,
        paragraphs: app::letter::paragraphs(&d.body),
        steps,
        may_file,
        filed,
        d,
        notice,
        error,
    })
}

async fn letter_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<LetterQuery>,
) -> Result<Html<String>, WebError> {
    letter_view(&s, l, &u, id_of(&id)?, q.tamam.is_some(), None).await
}

#[derive(serde::Deserialize)]
struct DecisionForm {
    decision: String,
    #[serde(default)]
    note: String,
    version: Option<i64>,
    /// The tick "I return or reject this letter" (the page's own check;
    /// the API's callers say what they mean in `decision`).
    #[serde(default)]
    confirm: String,
}

async fn decide_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    if matches!(f.decision.as_str(), "return" | "reject") && f.confirm != "1" {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            letter_view(&s, l, &u, id, false, Some(Code::ConfirmRequired.as_str())).await?,
        )
            .into_response());
    }
    match s
        .app
        .decide_letter(
            &u,
            id,
            &DecisionInput {
                decision: f.decision,
                note: f.note,
                version: f.version,
            },
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/yazi/{id}?tamam=1")).into_response()),
        Err(AppError::Invalid { code, .. } | AppError::Conflict(code)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            letter_view(&s, l, &u, id, false, Some(code.as_str())).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn file_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    match s.app.file_into_archive(&u, &format!("outgoing:{id}")).await {
        Ok(_) => Ok(Redirect::to(&format!("/yazi/{id}?tamam=1")).into_response()),
        Err(AppError::Invalid { code, .. } | AppError::Conflict(code)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            letter_view(&s, l, &u, id, false, Some(code.as_str())).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
struct DispatchForm {
    channel: String,
    #[serde(default)]
    reference: String,
}

/// A letter form's answer: back to the letter with its notice, or the
/// page again (422) with what was refused.
async fn answer(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    done: Result<(), AppError>,
) -> Result<Response, WebError> {
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/yazi/{id}?tamam=1")).into_response()),
        Err(AppError::Invalid { code, .. } | AppError::Conflict(code)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            letter_view(s, l, u, id, false, Some(code.as_str())).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// The letter again (413): a file over the form's limit.
async fn too_large(s: &AppState, l: Layout, u: &User, id: i64) -> Result<Response, WebError> {
    Ok((
        StatusCode::PAYLOAD_TOO_LARGE,
        letter_view(s, l, u, id, false, Some(Code::TooLarge.as_str())).await?,
    )
        .into_response())
}

/// A small multipart form with one file (field `file`): its text fields,
/// the file's name and bytes; `None` when the file passes the route's
/// limit.
async fn file_form(
    mp: &mut Multipart,
) -> Result<Option<(Vec<(String, String)>, String, Vec<u8>)>, WebError> {
    let (mut fields, mut name, mut bytes) = (Vec::new(), String::new(), Vec::new());
    while let Some(f) = mp.next_field().await.map_err(|_| WebError::bad_request())? {
        let key = f.name().unwrap_or("").to_owned();
        if key == "file" {
            name = f.file_name().unwrap_or("").to_owned();
            match f.bytes().await {
                Ok(b) => bytes = b.to_vec(),
                Err(_) => return Ok(None),
            }
        } else {
            fields.push((key, f.text().await.unwrap_or_default()));
        }
    }
    Ok(Some((fields, name, bytes)))
}

/// The signer's e-imza file (multipart: `file`, `format`), verified
/// before it is kept (`App::add_letter_signature`).
async fn esignature_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let Some((fields, _, bytes)) = file_form(&mut mp).await? else {
        return too_large(&s, l, &u, id).await;
    };
    let format = fields
        .into_iter()
        .find(|(k, _)| k == "format")
        .map_or_else(|| "cades".to_owned(), |(_, v)| v);
    let done = s
        .app
        .add_letter_signature(&u, id, &format, bytes)
        .await
        .map(|_| ());
    answer(&s, l, &u, id, done).await
}

#[derive(serde::Deserialize)]
struct KepForm {
    #[serde(default)]
    address: String,
    #[serde(default)]
    attach: String,
}

/// Sends the letter by KEP (`App::dispatch_by_kep`).
async fn kep_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<KepForm>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let input = app::kep::KepInput {
        address: f.address,
        attach: f.attach,
    };
    let done = s.app.dispatch_by_kep(&u, id, &input).await.map(|_| ());
    answer(&s, l, &u, id, done).await
}

/// Adds the KEP provider's delivery evidence (multipart: `file`).
async fn kep_delivery_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let Some((_, name, bytes)) = file_form(&mut mp).await? else {
        return too_large(&s, l, &u, id).await;
    };
    let name = if name.is_empty() {
        "kep-delili".to_owned()
    } else {
        name
    };
    let done = s
        .app
        .add_kep_delivery(&u, id, &name, bytes)
        .await
        .map(|_| ());
    answer(&s, l, &u, id, done).await
}

/// The canonical content an e-imza over the letter signs, as a file for
/// the signing tool.
async fn signed_content(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let l = s.app.letter(&u, id).await?.letter;
    let Some(number) = l.number.clone() else {
        return Err(AppError::Conflict(Code::NotSigned).into());
    };
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{number}-icerik.json\""),
            ),
        ],
        app::outgoing::signed_content(&l),
    )
        .into_response())
}

/// The package summary (PaketOzeti.xml) an e-imza over the e-Yazışma
/// package signs, as a file for the signing tool.
async fn package_summary(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let number = s
        .app
        .letter(&u, id)
        .await?
        .letter
        .number
        .unwrap_or_default();
    let summary = s.app.package_summary(&u, id).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/xml".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{number}-PaketOzeti.xml\""),
            ),
        ],
        summary,
    )
        .into_response())
}

async fn dispatch_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<DispatchForm>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let done = s
        .app
        .dispatch_letter(&u, id, &f.channel, &f.reference)
        .await
        .map(|_| ());
    answer(&s, l, &u, id, done).await
}
