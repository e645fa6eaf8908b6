//! Asset pages (/demirbas): the list with its filters, a receipt (Taşınır
//! İşlem Fişi) form, an asset with its custody history and the steps its
//! reader may take (works on a phone: the page a label's QR code opens);
//! licences (/lisanslar), systems (/sistemler), and a person's holdings
//! with the handover and departure wizard (/personel/{username}/devir).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use app::assets::{
    AssetDisposalInput, AssetQuery, AssetView, ContractInput, ContractView, CustodyInput,
    CustodyView, DepartureError, DepartureInput, HandoverInput, HeldView, HoldingsView,
    LicenceInput, LicenceView, NewAssetInput, NoteInput, OfficerView, ReceiptInput, ReceiptView,
    RunInput, SeatInput, SystemDetail, SystemInput, SystemView,
};
use app::{AppError, User};

use crate::error::WebError;
use crate::{id_of, render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/demirbas", get(list_page))
        .route("/demirbas/fis", get(receipt_form_page).post(receipt_submit))
        .route("/demirbas/fis/{id}", get(receipt_page))
        .route("/demirbas/yetkili", post(officer_submit))
        .route("/demirbas/etiket/{tag}", get(label_page))
        .merge(super::counts::router())
        .route("/demirbas/{id}", get(asset_page))
        .route("/demirbas/{id}/{step}", post(asset_step))
        .route("/lisanslar", get(licences_page).post(licence_submit))
        .route("/lisanslar/sozlesme", post(contract_submit))
        .route("/lisanslar/{id}/atama", post(seat_submit))
        .route("/sistemler", get(systems_page).post(system_submit))
        .route("/sistemler/{id}", get(system_page))
        .route("/sistemler/{id}/{kind}", post(run_submit))
        .route("/personel/{username}/devir", get(holdings_page))
        .route("/personel/{username}/devir/teslim", post(handover_submit))
        .route("/personel/{username}/devir/ayrilis", post(departure_submit))
}

pub(super) type Err = Option<(&'static str, &'static str)>;

pub(super) fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

// ---- The list -------------------------------------------------------------------

#[derive(Template)]
#[template(path = "assets.html")]
struct ListPage {
    l: Layout,
    q: ListQuery,
    assets: Vec<AssetView>,
    states: [&'static str; 3],
    places: Vec<String>,
    people: Vec<(String, String)>,
    officer: OfficerView,
    caps: app::Capabilities,
    endings: Vec<app::assets::Ending>,
    next: Option<i64>,
    error: Err,
    done: bool,
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
struct ListQuery {
    kod: String,
    yer: String,
    kisi: String,
    durum: String,
    once: Option<i64>,
    tamam: Option<String>,
}

const PAGE: i64 = 50;

async fn list_view(
    s: &AppState,
    l: Layout,
    u: &User,
    q: ListQuery,
    error: Err,
) -> Result<Html<String>, WebError> {
    let filter = AssetQuery {
        code: Some(q.kod.clone()),
        place: Some(q.yer.clone()),
        person: Some(q.kisi.clone()),
        state: Some(q.durum.clone()),
        before: q.once,
        limit: Some(PAGE),
    };
    let (assets, error) = match s.app.assets(u, &filter).await {
        Ok(a) => (a, error),
        Err(e) => match crate::form_refusal(&e) {
            Some((_, err)) => (Vec::new(), Some(err)),
            None => return Err(e.into()),
        },
    };
    let next = (assets.len() as i64 == PAGE)
        .then(|| assets.last().map(|a| a.id))
        .flatten();
    let caps = s.app.capabilities(u).await?;
    let people = s.app.directorate_staff().await?;
    let done = q.tamam.is_some();
    render(ListPage {
        l,
        assets,
        states: ["in_stock", "in_custody", "disposed"],
        places: s.app.asset_places(u).await?,
        officer: s.app.asset_officer(u).await?,
        endings: s.app.endings(u).await?,
        people,
        caps,
        next,
        q,
        error,
        done,
    })
}

async fn list_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Html<String>, WebError> {
    let Ok(Query(q)) = q else {
        return Err(WebError::bad_request());
    };
    list_view(&s, l, &u, q, None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct OfficerForm {
    username: String,
}

async fn officer_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(f): Form<OfficerForm>,
) -> Result<Response, WebError> {
    match s.app.appoint_asset_officer(&u, &f.username).await {
        Ok(_) => Ok(Redirect::to("/demirbas?tamam=1").into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => Ok((
                status,
                list_view(&s, l, &u, ListQuery::default(), Some(err)).await?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}

// ---- The receipt (Taşınır İşlem Fişi) --------------------------------------------

/// Lines on the form.
const LINES: usize = 5;

#[derive(Template)]
#[template(path = "asset_receipt_form.html")]
struct ReceiptFormPage {
    l: Layout,
    f: ReceiptForm,
    error: Err,
}

#[derive(Default, Clone)]
struct ReceiptForm {
    supplier: String,
    invoice_no: String,
    invoice_date: String,
    received_on: String,
    note: String,
    /// (code, name, brand, model, serial, price, quantity, location)
    lines: Vec<[String; 8]>,
}

async fn receipt_form_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    if !s.app.capabilities(&u).await?.manage_assets {
        return Err(AppError::forbidden(domain::authority::Authority::ManageAssets.id()).into());
    }
    render(ReceiptFormPage {
        l,
        f: ReceiptForm {
            lines: vec![Default::default(); LINES],
            ..Default::default()
        },
        error: None,
    })
}

async fn receipt_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut f = ReceiptForm {
        supplier: get("supplier"),
        invoice_no: get("invoice_no"),
        invoice_date: get("invoice_date"),
        received_on: get("received_on"),
        note: get("note"),
        lines: Vec::new(),
    };
    for i in 0..LINES {
        let g = |k: &str| get(&format!("{k}_{i}"));
        f.lines.push([
            g("code"),
            g("name"),
            g("brand"),
            g("model"),
            g("serial"),
            g("price"),
            g("quantity"),
            g("location"),
        ]);
    }
    let mut input = ReceiptInput {
        supplier: f.supplier.clone(),
        invoice_no: f.invoice_no.clone(),
        invoice_date: Some(f.invoice_date.clone()),
        received_on: Some(f.received_on.clone()),
        note: f.note.clone(),
        lines: Vec::new(),
    };
    let mut bad_quantity = false;
    for line in f
        .lines
        .iter()
        .filter(|x| x.iter().any(|v| !v.trim().is_empty()))
    {
        let quantity = match line[6].trim() {
            "" => None,
            q => match q.parse::<i64>() {
                Ok(q) => Some(q),
                Err(_) => {
                    bad_quantity = true;
                    None
                }
            },
        };
        let opt = |v: &str| Some(v.to_owned()).filter(|v| !v.trim().is_empty());
        input.lines.push(NewAssetInput {
            tasinir_code: line[0].clone(),
            name: line[1].clone(),
            brand: opt(&line[2]),
            model: opt(&line[3]),
            serial: opt(&line[4]),
            price: opt(&line[5]).map(serde_json::Value::String),
            quantity,
            location: opt(&line[7]),
            acquired_on: None,
            warranty_until: None,
        });
    }
    let r = if bad_quantity {
        Err(AppError::invalid(
            "quantity",
            domain::code::Code::OutOfRange,
        ))
    } else {
        s.app.receive_assets(&u, &input).await
    };
    match r {
        Ok(r) => Ok(Redirect::to(&format!("/demirbas/fis/{}?tamam=1", r.id)).into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => Ok((
                status,
                render(ReceiptFormPage {
                    l,
                    f,
                    error: Some(err),
                })?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "asset_receipt.html")]
struct ReceiptPage {
    l: Layout,
    r: ReceiptView,
    done: bool,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct DoneQuery {
    tamam: Option<String>,
}

async fn receipt_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    let r = s.app.asset_receipt(&u, id_of(&id)?).await?;
    render(ReceiptPage {
        l,
        r,
        done: q.tamam.is_some(),
    })
}

// ---- An asset ---------------------------------------------------------------------

#[derive(Template)]
#[template(path = "asset.html")]
struct AssetPage {
    l: Layout,
    a: AssetView,
    history: Vec<CustodyView>,
    people: Vec<(String, String)>,
    error: Err,
    done: bool,
}

async fn asset_view(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    error: Err,
    done: bool,
) -> Result<Html<String>, WebError> {
    let a = s.app.asset(u, id).await?;
    let history = s.app.custody_history(u, id).await?;
    let people = if a.actions.give || a.actions.transfer || a.actions.dispose {
        s.app.directorate_staff().await?
    } else {
        Vec::new()
    };
    render(AssetPage {
        l,
        a,
        history,
        people,
        error,
        done,
    })
}

async fn asset_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    asset_view(&s, l, &u, id_of(&id)?, None, q.tamam.is_some()).await
}

/// A label's QR code opens this: the asset by its tag.
async fn label_page(
    State(s): State<AppState>,
    l: Layout,
    Path(tag): Path<String>,
) -> Result<Response, WebError> {
    // A phone that scans a label is often not signed in: sign in, then
    // come back here.
    let Some(u) = l.user else {
        return Ok(Redirect::to(&format!(
            "/giris?sonra={}",
            enc(&format!("/demirbas/etiket/{tag}"))
        ))
        .into_response());
    };
    let a = s.app.asset_by_tag(&u, &tag).await?;
    Ok(Redirect::to(&format!("/demirbas/{}", a.id)).into_response())
}

#[derive(Default)]
struct StepForm {
    to: String,
    place: String,
    note: String,
    decision_ref: String,
    decided_on: String,
    reason: String,
}

async fn asset_step(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path((id, step)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let f = StepForm {
        to: get("to"),
        place: get("place"),
        note: get("note"),
        decision_ref: get("decision_ref"),
        decided_on: get("decided_on"),
        reason: get("reason"),
    };
    let target = CustodyInput {
        to: Some(f.to.clone()).filter(|t| !t.is_empty()),
        place: Some(f.place.clone()).filter(|p| !p.trim().is_empty()),
        note: f.note.clone(),
    };
    let r = match step.as_str() {
        "zimmet" => s.app.give_custody(&u, id, &target).await.map(|_| ()),
        "devir" => s.app.transfer_custody(&u, id, &target).await.map(|_| ()),
        "iade" => s
            .app
            .return_asset(
                &u,
                id,
                &NoteInput {
                    note: f.note.clone(),
                },
            )
            .await
            .map(|_| ()),
        "dusum" => {
            let commission = pairs
                .iter()
                .filter(|(n, v)| n == "commission" && !v.is_empty())
                .map(|(_, v)| v.clone())
                .collect();
            let input = AssetDisposalInput {
                assets: vec![id],
                decision_ref: f.decision_ref.clone(),
                decided_on: f.decided_on.clone(),
                reason: f.reason.clone(),
                commission,
            };
            s.app.dispose_assets(&u, &input).await.map(|_| ())
        }
        _ => {
            return Err(WebError::new(
                StatusCode::NOT_FOUND,
                domain::code::Code::NotFound,
            ))
        }
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/demirbas/{id}?tamam=1")).into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => {
                Ok((status, asset_view(&s, l, &u, id, Some(err), false).await?).into_response())
            }
            None => Err(e.into()),
        },
    }
}

// ---- Licences and contracts -------------------------------------------------------

#[derive(Template)]
#[template(path = "licences.html")]
struct LicencesPage {
    l: Layout,
    licences: Vec<LicenceView>,
    contracts: Vec<ContractView>,
    people: Vec<(String, String)>,
    caps: app::Capabilities,
    f: LicenceForm,
    error: Err,
    done: bool,
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
struct LicenceForm {
    product: String,
    kind: String,
    seats: String,
    cost: String,
    starts_on: String,
    ends_on: String,
    supplier: String,
    note: String,
}

async fn licences_view(
    s: &AppState,
    l: Layout,
    u: &User,
    f: LicenceForm,
    error: Err,
    done: bool,
) -> Result<Html<String>, WebError> {
    let caps = s.app.capabilities(u).await?;
    render(LicencesPage {
        l,
        licences: s.app.licences(u).await?,
        contracts: s.app.contracts(u).await?,
        people: if caps.manage_assets {
            s.app.directorate_staff().await?
        } else {
            Vec::new()
        },
        caps,
        f,
        error,
        done,
    })
}

async fn licences_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    licences_view(&s, l, &u, LicenceForm::default(), None, q.tamam.is_some()).await
}

fn opt(v: &str) -> Option<String> {
    Some(v.to_owned()).filter(|v| !v.trim().is_empty())
}

async fn licence_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(f): Form<LicenceForm>,
) -> Result<Response, WebError> {
    let seats = match f.seats.trim() {
        "" => Ok(None),
        n => n
            .parse::<i64>()
            .map(Some)
            .map_err(|_| AppError::invalid("seats", domain::code::Code::OutOfRange)),
    };
    let r = match seats {
        Ok(seats) => {
            let input = LicenceInput {
                product: f.product.clone(),
                kind: f.kind.clone(),
                seats,
                cost: opt(&f.cost).map(serde_json::Value::String),
                starts_on: opt(&f.starts_on),
                ends_on: opt(&f.ends_on),
                supplier: f.supplier.clone(),
                note: f.note.clone(),
            };
            s.app.add_licence(&u, &input).await.map(|_| ())
        }
        Err(e) => Err(e),
    };
    match r {
        Ok(()) => Ok(Redirect::to("/lisanslar?tamam=1").into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => {
                Ok((status, licences_view(&s, l, &u, f, Some(err), false).await?).into_response())
            }
            None => Err(e.into()),
        },
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ContractForm {
    supplier: String,
    scope: String,
    starts_on: String,
    ends_on: String,
    cost: String,
    note: String,
}

async fn contract_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(f): Form<ContractForm>,
) -> Result<Response, WebError> {
    let input = ContractInput {
        supplier: f.supplier,
        scope: f.scope,
        starts_on: opt(&f.starts_on),
        ends_on: f.ends_on,
        cost: opt(&f.cost).map(serde_json::Value::String),
        note: f.note,
    };
    match s.app.add_contract(&u, &input).await {
        Ok(_) => Ok(Redirect::to("/lisanslar?tamam=1").into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => Ok((
                status,
                licences_view(&s, l, &u, LicenceForm::default(), Some(err), false).await?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct SeatForm {
    to: String,
}

async fn seat_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<SeatForm>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    match s
        .app
        .assign_seat(
            &u,
            id,
            &SeatInput {
                to: Some(f.to),
                asset: None,
            },
        )
        .await
    {
        Ok(_) => Ok(Redirect::to("/lisanslar?tamam=1").into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => Ok((
                status,
                licences_view(&s, l, &u, LicenceForm::default(), Some(err), false).await?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}

// ---- Systems ----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "systems.html")]
struct SystemsPage {
    l: Layout,
    systems: Vec<SystemView>,
    kinds: Vec<(&'static str, &'static str)>,
    caps: app::Capabilities,
    f: SystemForm,
    error: Err,
    done: bool,
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
struct SystemForm {
    name: String,
    kind: String,
    criticality: String,
    supplier: String,
    backup_what: String,
    backup_every_days: String,
    backup_where: String,
    restore_every_days: String,
    domain: String,
    domain_expires: String,
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    let en = app::english();
    app::assets::SYSTEM_KINDS
        .iter()
        .map(|k| (k.0, if en { k.2 } else { k.1 }))
        .collect()
}

async fn systems_view(
    s: &AppState,
    l: Layout,
    u: &User,
    f: SystemForm,
    error: Err,
    done: bool,
) -> Result<Html<String>, WebError> {
    render(SystemsPage {
        l,
        systems: s.app.systems(u).await?,
        kinds: kinds(),
        caps: s.app.capabilities(u).await?,
        f,
        error,
        done,
    })
}

async fn systems_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    systems_view(&s, l, &u, SystemForm::default(), None, q.tamam.is_some()).await
}

fn number(field: &'static str, v: &str) -> Result<Option<i64>, AppError> {
    match v.trim() {
        "" => Ok(None),
        n => n
            .parse::<i64>()
            .map(Some)
            .map_err(|_| AppError::invalid(field, domain::code::Code::OutOfRange)),
    }
}

async fn system_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(f): Form<SystemForm>,
) -> Result<Response, WebError> {
    let parsed = (|| -> Result<SystemInput, AppError> {
        Ok(SystemInput {
            name: f.name.clone(),
            kind: f.kind.clone(),
            criticality: number("criticality", &f.criticality)?.unwrap_or(0),
            supplier: f.supplier.clone(),
            backup_what: f.backup_what.clone(),
            backup_every_days: number("backup_every_days", &f.backup_every_days)?,
            backup_where: f.backup_where.clone(),
            restore_every_days: number("restore_every_days", &f.restore_every_days)?,
            domains: opt(&f.domain)
                .map(|d| {
                    vec![app::assets::DomainInput {
                        domain: d,
                        expires_on: opt(&f.domain_expires),
                    }]
                })
                .unwrap_or_default(),
            ..Default::default()
        })
    })();
    let r = match parsed {
        Ok(input) => s.app.add_system(&u, &input).await.map(|d| d.system.id),
        Err(e) => Err(e),
    };
    match r {
        Ok(id) => Ok(Redirect::to(&format!("/sistemler/{id}?tamam=1")).into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => {
                Ok((status, systems_view(&s, l, &u, f, Some(err), false).await?).into_response())
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "system.html")]
struct SystemPage {
    l: Layout,
    d: SystemDetail,
    caps: app::Capabilities,
    error: Err,
    done: bool,
}

async fn system_view(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    error: Err,
    done: bool,
) -> Result<Html<String>, WebError> {
    render(SystemPage {
        l,
        d: s.app.system(u, id).await?,
        caps: s.app.capabilities(u).await?,
        error,
        done,
    })
}

async fn system_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    system_view(&s, l, &u, id_of(&id)?, None, q.tamam.is_some()).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct RunForm {
    date: String,
    result: String,
    duration_minutes: String,
    note: String,
}

async fn run_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path((id, kind)): Path<(String, String)>,
    Form(f): Form<RunForm>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let kind = match kind.as_str() {
        "yedek" => "backup",
        "geri-yukleme" => "restore_test",
        _ => {
            return Err(WebError::new(
                StatusCode::NOT_FOUND,
                domain::code::Code::NotFound,
            ))
        }
    };
    let r = match number("duration_minutes", &f.duration_minutes) {
        Ok(duration_minutes) => s
            .app
            .record_run(
                &u,
                id,
                kind,
                &RunInput {
                    date: opt(&f.date),
                    result: f.result,
                    duration_minutes,
                    note: f.note,
                    evidence: None,
                },
            )
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/sistemler/{id}?tamam=1")).into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => {
                Ok((status, system_view(&s, l, &u, id, Some(err), false).await?).into_response())
            }
            None => Err(e.into()),
        },
    }
}

// ---- Holdings, handover, departure --------------------------------------------------

#[derive(Template)]
#[template(path = "holdings.html")]
struct HoldingsPage {
    l: Layout,
    h: HoldingsView,
    people: Vec<(String, String)>,
    caps: app::Capabilities,
    blockers: Vec<HeldView>,
    reasons: [&'static str; 6],
    error: Err,
    done: bool,
}

async fn holdings_view(
    s: &AppState,
    l: Layout,
    u: &User,
    username: &str,
    blockers: Vec<HeldView>,
    error: Err,
    done: bool,
) -> Result<Html<String>, WebError> {
    let h = s.app.holdings(u, username).await?;
    let caps = s.app.capabilities(u).await?;
    let people = if caps.record_departures {
        s.app
            .directorate_staff()
            .await?
            .into_iter()
            .filter(|(un, _)| un != &h.username)
            .collect()
    } else {
        Vec::new()
    };
    render(HoldingsPage {
        l,
        h,
        people,
        caps,
        blockers,
        reasons: [
            "transfer",
            "retirement",
            "resignation",
            "termination",
            "death",
            "other",
        ],
        error,
        done,
    })
}

async fn holdings_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(username): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    holdings_view(&s, l, &u, &username, Vec::new(), None, q.tamam.is_some()).await
}

fn commission_of(pairs: &[(String, String)]) -> Vec<String> {
    pairs
        .iter()
        .filter(|(n, v)| n == "commission" && !v.is_empty())
        .map(|(_, v)| v.clone())
        .collect()
}

async fn handover_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(username): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    // Items chosen as `kind:id`; none chosen: everything.
    let mut items = Vec::new();
    for (_, v) in pairs.iter().filter(|(n, _)| n == "item") {
        let Some((kind, id)) = v.split_once(':') else {
            return Err(WebError::bad_request());
        };
        let Ok(id) = id.parse() else {
            return Err(WebError::bad_request());
        };
        items.push(app::assets::ItemInput {
            kind: kind.to_owned(),
            id,
        });
    }
    let input = HandoverInput {
        from: username.clone(),
        to: get("to"),
        items,
        commission: commission_of(&pairs),
    };
    match s.app.hand_over(&u, &input).await {
        Ok(h) => Ok(Redirect::to(&format!(
            "/personel/{}/devir?tamam={}",
            enc(&username),
            h.id
        ))
        .into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => Ok((
                status,
                holdings_view(&s, l, &u, &username, Vec::new(), Some(err), false).await?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}

async fn departure_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(username): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let input = DepartureInput {
        leaving_on: get("leaving_on"),
        reason: get("reason"),
        successor: opt(&get("successor")),
        commission: commission_of(&pairs),
    };
    match s.app.depart(&u, &username, &input).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/personel/{}/devir?tamam=1", enc(&username))).into_response(),
        ),
        Err(DepartureError::Blocked(b)) => Ok((
            StatusCode::CONFLICT,
            holdings_view(
                &s,
                l,
                &u,
                &username,
                b.items,
                Some(("", "holdings_remain")),
                false,
            )
            .await?,
        )
            .into_response()),
        Err(DepartureError::App(e)) => match crate::form_refusal(&e) {
            Some((status, err)) => Ok((
                status,
                holdings_view(&s, l, &u, &username, Vec::new(), Some(err), false).await?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}
