//! Movable assets, licences, contracts, systems and their backups, and the
//! handover on leaving, over the JSON API (issue 16; m.8/8, m.8/11,
//! m.8/20, m.10/11, m.16/2-b, m.16/5, m.20/1-ç, m.20/1-d).

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::assets::{
    AssetDisposalInput, AssetQuery, AssetView, ContractInput, ContractView, CustodyInput,
    CustodyView, DepartureError, DepartureInput, DepartureView, Ending, HandoverInput,
    HandoverView, HeldView, HoldingsView, LicenceInput, LicenceView, NewAssetInput, NoteInput,
    OfficerView, ReceiptInput, ReceiptView, RunInput, RunView, SeatInput, SystemDetail,
    SystemInput, SystemView,
};

use app::asset_count::{CountInput, CountSummary, CountView, ScanInput, ScanView};

use crate::error::WebError;
use crate::extract::{ApiJson, ApiJsonOr, ApiPath, ApiQuery};
use crate::{AppState, SignedIn};

type E = crate::error::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_asset))
        .routes(routes!(by_tag))
        .routes(routes!(custody_history, give_custody))
        .routes(routes!(custody_form))
        .routes(routes!(return_asset))
        .routes(routes!(transfer))
        .routes(routes!(dispose))
        .routes(routes!(receive))
        .routes(routes!(get_receipt))
        .routes(routes!(receipt_form))
        .routes(routes!(officer, appoint_officer))
        .routes(routes!(codes))
        .routes(routes!(holdings))
        .routes(routes!(departure))
        .routes(routes!(hand_over))
        .routes(routes!(get_handover))
        .routes(routes!(handover_form))
        .routes(routes!(licences, add_licence))
        .routes(routes!(get_licence))
        .routes(routes!(assign_seat))
        .routes(routes!(release_seat))
        .routes(routes!(contracts, add_contract))
        .routes(routes!(systems, add_system))
        .routes(routes!(get_system))
        .routes(routes!(backup_run))
        .routes(routes!(restore_test))
        .routes(routes!(endings))
        .routes(routes!(import))
        .routes(routes!(export))
        .routes(routes!(labels))
        .routes(routes!(counts, open_count))
        .routes(routes!(get_count))
        .routes(routes!(scan))
        .routes(routes!(close_count))
        .routes(routes!(count_report))
}

/// Where this server was reached, for the address a label's QR code
/// carries: the request's `Host` (as the browser named the server), over
/// HTTPS when cookies are marked secure or a proxy says so.
pub(crate) fn origin(s: &AppState, headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let https = s.cfg.cookie_secure
        || headers
            .get("x-forwarded-proto")
            .and_then(|h| h.to_str().ok())
            == Some("https");
    format!("{}://{host}", if https { "https" } else { "http" })
}

#[utoipa::path(get, path = "/assets/labels.pdf", tag = "assets", params(app::assets::LabelQuery),
    responses((status = 200, description = "A4 sheets of QR labels (3 × 8 of 70 × 37 mm): each QR code opens the asset's phone page", content_type = "application/pdf"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 422, body = E, description = "No asset to print (nothing_to_print), more than 1,000, or a bad filter")))]
pub async fn labels(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<app::assets::LabelQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    let bytes = s.app.asset_labels(&u, &q, &origin(&s, &headers)).await?;
    Ok(pdf("demirbas-etiketleri.pdf".into(), bytes))
}

#[utoipa::path(get, path = "/asset-counts", tag = "assets",
    responses((status = 200, body = Vec<CountSummary>, description = "The counts, newest first"), (status = 401, body = E), (status = 403, body = E)))]
pub async fn counts(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<CountSummary>>, WebError> {
    Ok(Json(s.app.asset_counts(&u).await?))
}

#[utoipa::path(post, path = "/asset-counts", tag = "assets", request_body = CountInput,
    responses((status = 201, body = CountView, description = "Opened, with every asset expected at the place (Taşınır Mal Yönetmeliği m.32)"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (manage_assets)"),
              (status = 409, body = E, description = "The place has an open count (count_open)"),
              (status = 422, body = E, description = "A board under three (too_few_members) or without the officer (board_needs_officer), an unknown person, a future year")))]
pub async fn open_count(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<CountInput>,
) -> Result<(StatusCode, Json<CountView>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.open_count(&u, &r).await?)))
}

#[utoipa::path(get, path = "/asset-counts/{id}", tag = "assets", params(("id" = i64, Path)),
    responses((status = 200, body = CountView, description = "The count: what was found, what is missing, what was found here but registered elsewhere"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn get_count(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CountView>, WebError> {
    Ok(Json(s.app.asset_count(&u, id).await?))
}

#[utoipa::path(post, path = "/asset-counts/{id}/scans", tag = "assets", params(("id" = i64, Path)), request_body = ScanInput,
    responses((status = 200, body = ScanView, description = "found, surplus (registered elsewhere) or again"),
              (status = 401, body = E), (status = 403, body = E, description = "Neither on the board nor the officer"), (status = 404, body = E),
              (status = 409, body = E, description = "The count is closed (count_closed)"),
              (status = 422, body = E, description = "No asset has this tag (unknown_tag)")))]
pub async fn scan(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<ScanInput>,
) -> Result<Json<ScanView>, WebError> {
    Ok(Json(s.app.scan_count(&u, id, &r).await?))
}

#[utoipa::path(post, path = "/asset-counts/{id}/close", tag = "assets", params(("id" = i64, Path)),
    responses((status = 200, body = CountView, description = "Closed: the result is fixed"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E), (status = 409, body = E, description = "Already closed (count_closed)")))]
pub async fn close_count(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CountView>, WebError> {
    Ok(Json(s.app.close_count(&u, id).await?))
}

#[utoipa::path(get, path = "/asset-counts/{id}/report.pdf", tag = "assets", params(("id" = i64, Path)),
    responses((status = 200, description = "The Sayım Tutanağı: the counts, each difference, the board's signatures (a draft while open)", content_type = "application/pdf"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn count_report(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, WebError> {
    let bytes = s.app.count_report(&u, id).await?;
    Ok(pdf(format!("sayim-tutanagi-{id}.pdf"), bytes))
}

fn pdf(name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[utoipa::path(post, path = "/assets", tag = "assets", request_body = NewAssetInput,
    responses((status = 201, body = AssetView, description = "Entered into the warehouse with its tag (the Taşınır Kayıt Yetkilisi, m.10/11)"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (manage_assets)"),
              (status = 422, body = E, description = "An unknown or group code, a bad date or price, a serial already recorded")))]
pub async fn create(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<NewAssetInput>,
) -> Result<(StatusCode, Json<AssetView>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.create_asset(&u, &r).await?)))
}

#[utoipa::path(get, path = "/assets", tag = "assets", params(AssetQuery),
    responses((status = 200, body = [AssetView], description = "Newest first; `before` pages on"), (status = 401, body = E), (status = 403, body = E), (status = 422, body = E)))]
pub async fn list(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<AssetQuery>,
) -> Result<Json<Vec<AssetView>>, WebError> {
    Ok(Json(s.app.assets(&u, &q).await?))
}

#[utoipa::path(get, path = "/assets/{id}", tag = "assets", params(("id" = i64, Path)),
    responses((status = 200, body = AssetView), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn get_asset(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AssetView>, WebError> {
    Ok(Json(s.app.asset(&u, id).await?))
}

#[utoipa::path(get, path = "/assets/by-tag/{tag}", tag = "assets", params(("tag" = String, Path)),
    responses((status = 200, body = AssetView, description = "The asset a label names"), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn by_tag(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(tag): ApiPath<String>,
) -> Result<Json<AssetView>, WebError> {
    Ok(Json(s.app.asset_by_tag(&u, &tag).await?))
}

#[utoipa::path(post, path = "/assets/{id}/custody", tag = "assets", params(("id" = i64, Path)), request_body = CustodyInput,
    responses((status = 201, body = CustodyView, description = "Given into custody by a Zimmet Fişi"), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E), (status = 409, body = E, description = "Already held (asset_already_held) or written off"), (status = 422, body = E)))]
pub async fn give_custody(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<CustodyInput>,
) -> Result<(StatusCode, Json<CustodyView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.give_custody(&u, id, &r).await?),
    ))
}

#[utoipa::path(get, path = "/assets/{id}/custody", tag = "assets", params(("id" = i64, Path)),
    responses((status = 200, body = [CustodyView], description = "Its custody history, newest first"), (status = 401, body = E), (status = 403, body = E)))]
pub async fn custody_history(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<CustodyView>>, WebError> {
    Ok(Json(s.app.custody_history(&u, id).await?))
}

#[utoipa::path(get, path = "/assets/{id}/custody/{custody_id}/form.pdf", tag = "assets", params(("id" = i64, Path), ("custody_id" = i64, Path)),
    responses((status = 200, description = "The Zimmet Fişi, with room for both signatures", content_type = "application/pdf"), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn custody_form(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath((id, custody)): ApiPath<(i64, i64)>,
) -> Result<Response, WebError> {
    let bytes = s.app.custody_form(&u, id, custody).await?;
    Ok(pdf(format!("zimmet-fisi-{custody}.pdf"), bytes))
}

#[utoipa::path(post, path = "/assets/{id}/return", tag = "assets", params(("id" = i64, Path)), request_body(content = Option<NoteInput>),
    responses((status = 200, body = AssetView, description = "Back in the warehouse"), (status = 401, body = E),
              (status = 403, body = E, description = "Not its holder (`holder`)"), (status = 404, body = E), (status = 409, body = E, description = "Not in custody"), (status = 422, body = E)))]
pub async fn return_asset(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJsonOr(r): ApiJsonOr<NoteInput>,
) -> Result<Json<AssetView>, WebError> {
    Ok(Json(s.app.return_asset(&u, id, &r).await?))
}

#[utoipa::path(post, path = "/assets/{id}/transfer", tag = "assets", params(("id" = i64, Path)), request_body = CustodyInput,
    responses((status = 201, body = CustodyView, description = "Passed to another holder by a new Zimmet Fişi"), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E), (status = 409, body = E), (status = 422, body = E)))]
pub async fn transfer(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<CustodyInput>,
) -> Result<(StatusCode, Json<CustodyView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.transfer_custody(&u, id, &r).await?),
    ))
}

#[utoipa::path(post, path = "/asset-disposals", tag = "assets", request_body = AssetDisposalInput,
    responses((status = 201, body = [AssetView], description = "Written off on the commission's decision; the records stay"), (status = 401, body = E), (status = 403, body = E),
              (status = 409, body = E, description = "In custody, or already written off"), (status = 422, body = E, description = "Fewer than three members, no decision number")))]
pub async fn dispose(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<AssetDisposalInput>,
) -> Result<(StatusCode, Json<Vec<AssetView>>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.dispose_assets(&u, &r).await?),
    ))
}

#[utoipa::path(post, path = "/asset-receipts", tag = "assets", request_body = ReceiptInput,
    responses((status = 201, body = ReceiptView, description = "A Taşınır İşlem Fişi (giriş) and its assets, in one transaction"), (status = 401, body = E), (status = 403, body = E),
              (status = 422, body = E, description = "A bad line (code, date, price) or a serial twice: nothing is written")))]
pub async fn receive(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<ReceiptInput>,
) -> Result<(StatusCode, Json<ReceiptView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.receive_assets(&u, &r).await?),
    ))
}

#[utoipa::path(get, path = "/asset-receipts/{id}", tag = "assets", params(("id" = i64, Path)),
    responses((status = 200, body = ReceiptView), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn get_receipt(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReceiptView>, WebError> {
    Ok(Json(s.app.asset_receipt(&u, id).await?))
}

#[utoipa::path(get, path = "/asset-receipts/{id}/form.pdf", tag = "assets", params(("id" = i64, Path)),
    responses((status = 200, description = "The Taşınır İşlem Fişi", content_type = "application/pdf"), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn receipt_form(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, WebError> {
    let bytes = s.app.receipt_form(&u, id).await?;
    Ok(pdf(format!("tasinir-islem-fisi-{id}.pdf"), bytes))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OfficerInput {
    /// The username of the person appointed.
    pub username: String,
}

#[utoipa::path(get, path = "/asset-officer", tag = "assets",
    responses((status = 200, body = OfficerView, description = "The Taşınır Kayıt Yetkilisi now (nulls: nobody)"), (status = 401, body = E), (status = 403, body = E)))]
pub async fn officer(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<OfficerView>, WebError> {
    Ok(Json(s.app.asset_officer(&u).await?))
}

#[utoipa::path(post, path = "/asset-officer", tag = "assets", request_body = OfficerInput,
    responses((status = 200, body = OfficerView, description = "Appointed by the Müdür (m.10/11); whoever held it before is relieved"), (status = 401, body = E),
              (status = 403, body = E, description = "Names the missing authority (appoint_asset_officer)"), (status = 422, body = E)))]
pub async fn appoint_officer(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<OfficerInput>,
) -> Result<Json<OfficerView>, WebError> {
    Ok(Json(s.app.appoint_asset_officer(&u, &r.username).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CodeQuery {
    /// A code's start or words of its name.
    pub q: Option<String>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CodeView {
    pub code: String,
    pub account: u16,
    pub name: String,
}

#[utoipa::path(get, path = "/tasinir-codes", tag = "assets", params(CodeQuery),
    responses((status = 200, body = [CodeView], description = "Leaf codes of the Taşınır Kod Listesi (at most 50)"), (status = 401, body = E)))]
pub async fn codes(
    SignedIn(_u): SignedIn,
    ApiQuery(q): ApiQuery<CodeQuery>,
) -> Result<Json<Vec<CodeView>>, WebError> {
    let q = q.q.unwrap_or_default();
    if q.chars().count() > 100 {
        return Err(app::AppError::invalid("q", domain::code::Code::TooLong).into());
    }
    Ok(Json(
        domain::asset::CodeList::shipped()
            .search(&q, 50)
            .into_iter()
            .map(|c| CodeView {
                code: c.code.clone(),
                account: c.account,
                name: c.name.clone(),
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/people/{username}/holdings", tag = "assets", params(("username" = String, Path)),
    responses((status = 200, body = HoldingsView, description = "Everything in the person's name: assets, documents, letters, requests, tasks, licence seats, delegations"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn holdings(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(username): ApiPath<String>,
) -> Result<Json<HoldingsView>, WebError> {
    Ok(Json(s.app.holdings(&u, &username).await?))
}

/// A departure refused: the error, and while things are held (`holdings_remain`) each blocker.
/// Any other conflict (already departed) is the API's usual error.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BlockedBody {
    pub error: BlockedDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BlockedDetail {
    /// `holdings_remain`, or the code of the usual error
    pub code: String,
    pub message: String,
    /// The usual error's field, when one is to blame
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With `holdings_remain`: what still is in the person's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blockers: Option<Vec<HeldView>>,
}

#[utoipa::path(post, path = "/people/{username}/departure", tag = "assets", params(("username" = String, Path)), request_body = DepartureInput,
    responses((status = 201, body = DepartureView, description = "Recorded; the account closes after `leaving_on`, his records stay his (m.20/1-ç)"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (record_departures)"), (status = 404, body = E),
              (status = 409, body = BlockedBody, description = "He still holds things: each one is listed (holdings_remain); or already departed"),
              (status = 422, body = E)))]
pub async fn departure(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(username): ApiPath<String>,
    ApiJson(r): ApiJson<DepartureInput>,
) -> Result<Response, WebError> {
    match s.app.depart(&u, &username, &r).await {
        Ok(d) => Ok((StatusCode::CREATED, Json(d)).into_response()),
        Err(DepartureError::App(e)) => Err(e.into()),
        Err(DepartureError::Blocked(b)) => {
            let lang = if app::english() {
                crate::i18n::Lang::En
            } else {
                crate::i18n::Lang::Tr
            };
            let body = BlockedBody {
                error: BlockedDetail {
                    code: "holdings_remain".into(),
                    message: lang.t().s("holdings_remain").to_owned(),
                    field: None,
                    blockers: Some(b.items),
                },
            };
            Ok((StatusCode::CONFLICT, Json(body)).into_response())
        }
    }
}

#[utoipa::path(post, path = "/handovers", tag = "assets", request_body = HandoverInput,
    responses((status = 201, body = HandoverView, description = "The chosen items (or all) passed to the successor in one transaction, with the Devir Teslim Tutanağı"),
              (status = 401, body = E), (status = 403, body = E), (status = 422, body = E, description = "An item that is not the leaver's, an unknown kind, a commission under three")))]
pub async fn hand_over(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<HandoverInput>,
) -> Result<(StatusCode, Json<HandoverView>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.hand_over(&u, &r).await?)))
}

#[utoipa::path(get, path = "/handovers/{id}", tag = "assets", params(("id" = i64, Path)),
    responses((status = 200, body = HandoverView), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn get_handover(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<HandoverView>, WebError> {
    Ok(Json(s.app.handover(&u, id).await?))
}

#[utoipa::path(get, path = "/handovers/{id}/form.pdf", tag = "assets", params(("id" = i64, Path)),
    responses((status = 200, description = "The Devir Teslim Tutanağı, every item listed, with room for both signatures (or the commission's)", content_type = "application/pdf"),
              (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn handover_form(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, WebError> {
    let bytes = s.app.handover_form(&u, id).await?;
    Ok(pdf(format!("devir-teslim-{id}.pdf"), bytes))
}

#[utoipa::path(post, path = "/licences", tag = "assets", request_body = LicenceInput,
    responses((status = 201, body = LicenceView, description = "Recorded (m.8/11)"), (status = 401, body = E), (status = 403, body = E), (status = 422, body = E)))]
pub async fn add_licence(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<LicenceInput>,
) -> Result<(StatusCode, Json<LicenceView>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.add_licence(&u, &r).await?)))
}

#[utoipa::path(get, path = "/licences", tag = "assets", responses((status = 200, body = [LicenceView], description = "Soonest end first"), (status = 401, body = E), (status = 403, body = E)))]
pub async fn licences(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<LicenceView>>, WebError> {
    Ok(Json(s.app.licences(&u).await?))
}

#[utoipa::path(get, path = "/licences/{id}", tag = "assets", params(("id" = i64, Path)),
    responses((status = 200, body = LicenceView), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn get_licence(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LicenceView>, WebError> {
    Ok(Json(s.app.licence(&u, id).await?))
}

#[utoipa::path(post, path = "/licences/{id}/seats", tag = "assets", params(("id" = i64, Path)), request_body = SeatInput,
    responses((status = 201, body = LicenceView, description = "A seat assigned to a person or a device"), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E),
              (status = 409, body = E, description = "Every seat is taken (seats_exhausted)"), (status = 422, body = E)))]
pub async fn assign_seat(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<SeatInput>,
) -> Result<(StatusCode, Json<LicenceView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.assign_seat(&u, id, &r).await?),
    ))
}

#[utoipa::path(delete, path = "/licences/{id}/seats/{seat}", tag = "assets", params(("id" = i64, Path), ("seat" = i64, Path)),
    responses((status = 200, body = LicenceView, description = "The seat is free again"), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn release_seat(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath((id, seat)): ApiPath<(i64, i64)>,
) -> Result<Json<LicenceView>, WebError> {
    Ok(Json(s.app.release_seat(&u, id, seat).await?))
}

#[utoipa::path(post, path = "/contracts", tag = "assets", request_body = ContractInput,
    responses((status = 201, body = ContractView, description = "A maintenance or support contract (m.8/11)"), (status = 401, body = E), (status = 403, body = E), (status = 422, body = E)))]
pub async fn add_contract(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<ContractInput>,
) -> Result<(StatusCode, Json<ContractView>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.add_contract(&u, &r).await?)))
}

#[utoipa::path(get, path = "/contracts", tag = "assets", responses((status = 200, body = [ContractView]), (status = 401, body = E), (status = 403, body = E)))]
pub async fn contracts(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<ContractView>>, WebError> {
    Ok(Json(s.app.contracts(&u).await?))
}

#[utoipa::path(post, path = "/systems", tag = "assets", request_body = SystemInput,
    responses((status = 201, body = SystemDetail, description = "A system of the catalogue (m.16/2-b, m.16/5) with its backup policy"), (status = 401, body = E), (status = 403, body = E), (status = 422, body = E)))]
pub async fn add_system(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<SystemInput>,
) -> Result<(StatusCode, Json<SystemDetail>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.add_system(&u, &r).await?)))
}

#[utoipa::path(get, path = "/systems", tag = "assets", responses((status = 200, body = [SystemView], description = "Most critical first; `restore_overdue` flags a restore test older than the policy allows"), (status = 401, body = E), (status = 403, body = E)))]
pub async fn systems(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<SystemView>>, WebError> {
    Ok(Json(s.app.systems(&u).await?))
}

#[utoipa::path(get, path = "/systems/{id}", tag = "assets", params(("id" = i64, Path)),
    responses((status = 200, body = SystemDetail, description = "With its hosts, domains, contract, backups and open requests"), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E)))]
pub async fn get_system(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SystemDetail>, WebError> {
    Ok(Json(s.app.system(&u, id).await?))
}

#[utoipa::path(post, path = "/systems/{id}/backup-runs", tag = "assets", params(("id" = i64, Path)), request_body = RunInput,
    responses((status = 201, body = RunView, description = "A backup run recorded (m.8/20)"), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E), (status = 422, body = E)))]
pub async fn backup_run(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<RunInput>,
) -> Result<(StatusCode, Json<RunView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.record_run(&u, id, "backup", &r).await?),
    ))
}

#[utoipa::path(post, path = "/systems/{id}/restore-tests", tag = "assets", params(("id" = i64, Path)), request_body = RunInput,
    responses((status = 201, body = RunView, description = "A restore test recorded: a backup counts when it is shown to restore (m.16/5-b)"), (status = 401, body = E), (status = 403, body = E), (status = 404, body = E), (status = 422, body = E)))]
pub async fn restore_test(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<RunInput>,
) -> Result<(StatusCode, Json<RunView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.record_run(&u, id, "restore_test", &r).await?),
    ))
}

#[utoipa::path(get, path = "/endings", tag = "assets",
    responses((status = 200, body = [Ending], description = "Licences, contracts, warranties and domains ending within 60 days (or ended in the last 30), soonest first"), (status = 401, body = E), (status = 403, body = E)))]
pub async fn endings(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<Ending>>, WebError> {
    Ok(Json(s.app.endings(&u).await?))
}

/// The largest sheet read.
pub const IMPORT_LIMIT: usize = 32 * 1024 * 1024;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true`: check every row and report, write nothing.
    pub dry_run: Option<bool>,
}

/// An import refused: the error, and for bad rows (`import_rows_invalid`) each one.
/// Any other refusal (an unreadable file, a bad query) is the API's usual error.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ImportRefusedBody {
    pub error: ImportRefusedDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ImportRefusedDetail {
    /// `import_rows_invalid`, or the code of the usual error
    pub code: String,
    pub message: String,
    /// The usual error's field, when one is to blame
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With `import_rows_invalid`: every bad row and why
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<app::assets::ImportReport>,
}

fn sheet_kind(headers: &axum::http::HeaderMap) -> Result<app::assets::SheetKind, WebError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match ct.as_str() {
        "text/csv" => Ok(app::assets::SheetKind::Csv),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
            Ok(app::assets::SheetKind::Xlsx)
        }
        _ => Err(WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            domain::code::Code::NotASheet,
        )),
    }
}

#[utoipa::path(post, path = "/assets/import", tag = "assets", params(ImportQuery),
    request_body(description = "CSV, or XLSX (its first sheet): a header row (taşınır kodu, adı, seri no, marka, model, edinme tarihi, değer, garanti bitişi, yer; Turkish or English names) and one asset per row",
        content((Vec<u8> = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = app::assets::ImportReport, description = "A dry run's report (each bad row and why), or the assets entered, all in one transaction"),
              (status = 401, body = E), (status = 403, body = E, description = "Names the missing authority (manage_assets)"),
              (status = 415, body = E, description = "Neither CSV nor XLSX"),
              (status = 422, body = ImportRefusedBody, description = "Bad rows: none written, each listed (import_rows_invalid); or an unreadable file")))]
pub async fn import(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<Response, WebError> {
    let kind = sheet_kind(&headers)?;
    // A sheet is bigger than a form: 100,000 rows fit in 32 MB.
    let Ok(body) = axum::body::to_bytes(body, IMPORT_LIMIT).await else {
        return Err(WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            domain::code::Code::TooLarge,
        ));
    };
    let dry_run = q.dry_run.unwrap_or(false);
    let report = s.app.import_assets(&u, kind, &body, dry_run).await?;
    if !dry_run && !report.errors.is_empty() {
        let lang = if app::english() {
            crate::i18n::Lang::En
        } else {
            crate::i18n::Lang::Tr
        };
        let body = ImportRefusedBody {
            error: ImportRefusedDetail {
                code: "import_rows_invalid".into(),
                message: lang.t().s("import_rows_invalid").to_owned(),
                field: None,
                report: Some(report),
            },
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
    }
    Ok(Json(report).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` (default) or `xlsx`.
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/assets/export", tag = "assets", params(ExportQuery),
    responses((status = 200, description = "Every asset, with the import's headings", content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 401, body = E), (status = 403, body = E), (status = 422, body = E)))]
pub async fn export(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, WebError> {
    let (kind, ct, ext) = match q.format.as_deref().unwrap_or("csv") {
        "csv" => (
            app::assets::SheetKind::Csv,
            "text/csv; charset=utf-8",
            "csv",
        ),
        "xlsx" => (
            app::assets::SheetKind::Xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        _ => {
            return Err(app::AppError::invalid("format", domain::code::Code::BadSheetFormat).into())
        }
    };
    let bytes = s.app.export_assets(&u, kind).await?;
    Ok((
        [
            (header::CONTENT_TYPE, ct.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"tasinirlar.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
