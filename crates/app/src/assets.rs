//! Movable assets under the Taşınır rules (m.8/8, m.10/11): receipt by a
//! Taşınır İşlem Fişi, custody by a Zimmet Fişi, return and transfer,
//! disposal by a commission; licences and their seats, contracts (m.8/11);
//! the systems catalogue with its backups and restore tests (m.8/20,
//! m.16/2-b, m.16/5); what a person holds, the handover and the departure
//! (m.20/1-ç, m.20/1-d). The rules are `domain::asset`'s.

use domain::asset::{
    self as rules, AssetState, CodeList, Holder, HoldingKind, LeavingReason, LicenceKind,
};
use domain::authority::{Authority, Grant};
use domain::code::Code;
use domain::local::{format_date as date_tr, format_datetime as time_tr};
use domain::profile::Named;
use store::assets::{
    Asset, Held, NewAsset, NewContract, NewLicence, NewReceipt, NewRun, NewSystem,
};
use store::Audit;
use time::Date;

use crate::input::{date, lines, text};
use crate::pdf::{fit, wrap, PdfWriter, A4};
use crate::{now, App, AppError, Result, User};

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// An amount as a client sends it: a JSON number (lira) or text
/// (`25.000,50`).
fn money(field: &'static str, v: &Option<serde_json::Value>) -> Result<Option<i64>> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(serde_json::Value::String(s)) => rules::parse_money(s)
            .map(Some)
            .ok_or(AppError::invalid(field, Code::BadMoney)),
        Some(serde_json::Value::Number(n)) => {
            let f = n.as_f64().ok_or(AppError::invalid(field, Code::BadMoney))?;
            let k = (f * 100.0).round();
            if !(0.0..1e14).contains(&k) || ((f * 100.0) - k).abs() > 1e-6 {
                return Err(AppError::invalid(field, Code::BadMoney));
            }
            Ok(Some(k as i64))
        }
        Some(_) => Err(AppError::invalid(field, Code::BadMoney)),
    }
}

/// An asset as it is entered (alone, or as a line of a receipt).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewAssetInput {
    /// A leaf code of the Taşınır Kod Listesi, e.g. `255.02.01.01.02`.
    pub tasinir_code: String,
    pub name: String,
    pub serial: Option<String>,
    pub brand: Option<String>,
    pub model: Option<String>,
    /// `YYYY-MM-DD`
    pub acquired_on: Option<String>,
    /// Lira: a number (`25000.5`) or text (`25.000,50`).
    #[schema(value_type = Option<String>)]
    pub price: Option<serde_json::Value>,
    /// `YYYY-MM-DD`
    pub warranty_until: Option<String>,
    /// Where it stands: a room, a cabinet.
    pub location: Option<String>,
    /// On a receipt: how many alike (without serial numbers); default 1.
    pub quantity: Option<i64>,
}

/// A Taşınır İşlem Fişi (giriş) with its lines.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReceiptInput {
    pub supplier: String,
    pub invoice_no: String,
    /// `YYYY-MM-DD`
    pub invoice_date: Option<String>,
    /// `YYYY-MM-DD`; default today.
    pub received_on: Option<String>,
    pub note: String,
    pub lines: Vec<NewAssetInput>,
}

/// Custody to a person (`to`, a username) or to a place (`place`).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CustodyInput {
    pub to: Option<String>,
    pub place: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NoteInput {
    pub note: String,
}

/// A commission's decision to write assets off.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssetDisposalInput {
    pub assets: Vec<i64>,
    /// The decision's number.
    pub decision_ref: String,
    /// `YYYY-MM-DD`
    pub decided_on: String,
    /// Hurdaya ayırma, kayıttan düşme, the reason.
    pub reason: String,
    /// The members, by username (three or more).
    pub commission: Vec<String>,
}

/// Who holds an asset.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct HolderView {
    pub username: Option<String>,
    pub name: Option<String>,
    pub place: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize, utoipa::ToSchema)]
pub struct AssetActions {
    pub give: bool,
    #[serde(rename = "return")]
    pub return_: bool,
    pub transfer: bool,
    pub dispose: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AssetView {
    pub id: i64,
    pub tag: String,
    pub tasinir_code: String,
    /// The code's name in the list.
    pub code_name: String,
    pub account: u16,
    pub name: String,
    pub serial: String,
    pub brand: String,
    pub model: String,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "iso_date::option")]
    pub acquired_on: Option<Date>,
    /// In kuruş.
    pub price: Option<i64>,
    /// As Turkish money text, `25.000,50`.
    pub price_text: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "iso_date::option")]
    pub warranty_until: Option<Date>,
    pub location: String,
    pub state: AssetState,
    pub holder: Option<HolderView>,
    pub custody_id: Option<i64>,
    pub receipt_id: Option<i64>,
    pub receipt_number: Option<String>,
    pub actions: AssetActions,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CustodyView {
    pub id: i64,
    pub asset_id: i64,
    pub holder: HolderView,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub given_at: time::OffsetDateTime,
    pub given_by_name: String,
    pub note: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub ended_at: Option<time::OffsetDateTime>,
    pub ended_by_name: Option<String>,
    /// returned, transferred or handed_over
    pub ended_kind: Option<String>,
    pub end_note: String,
    /// The Zimmet Fişi.
    pub form: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReceiptView {
    pub id: i64,
    pub number: String,
    pub supplier: String,
    pub invoice_no: String,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "iso_date::option")]
    pub invoice_date: Option<Date>,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso_date")]
    pub received_on: Date,
    pub assets: Vec<AssetView>,
    /// The Taşınır İşlem Fişi.
    pub form: String,
}

/// The list's filters.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AssetQuery {
    /// A code or a group (`255.02`).
    pub code: Option<String>,
    /// Where it stands or the place that holds it.
    pub place: Option<String>,
    /// A holder's username.
    pub person: Option<String>,
    /// in_stock, in_custody or disposed
    pub state: Option<String>,
    /// The next page: assets before this id.
    pub before: Option<i64>,
    /// At most 200 (default 50).
    pub limit: Option<i64>,
}

/// The most labels one sheet run prints (42 A4 pages).
pub const MAX_LABELS: usize = 1000;

/// Which assets get labels: a receipt's, the listed ids, or the list's
/// filters.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct LabelQuery {
    /// A receipt (TİF): its assets.
    pub receipt: Option<i64>,
    /// Asset ids, comma-separated.
    pub ids: Option<String>,
    /// Else the list's filters: a code or a group,
    pub code: Option<String>,
    /// a place,
    pub place: Option<String>,
    /// a holder's username,
    pub person: Option<String>,
    /// in_stock, in_custody or disposed.
    pub state: Option<String>,
}

fn holder_of(a: &Asset) -> Option<HolderView> {
    match (&a.holder_user_id, &a.holder_place) {
        (None, None) => None,
        _ => Some(HolderView {
            username: a.holder_username.clone(),
            name: a.holder_name.clone(),
            place: a.holder_place.clone(),
        }),
    }
}

fn holder_rule(a: &Asset) -> Option<Holder> {
    a.holder_user_id
        .map(Holder::Person)
        .or_else(|| a.holder_place.clone().map(Holder::Place))
}

impl App {
    pub(crate) fn asset_view(&self, a: Asset, viewer: Option<&User>, officer: bool) -> AssetView {
        let code = CodeList::shipped().get(&a.tasinir_code);
        let me = viewer.map_or(0, |v| v.id);
        let holder = holder_rule(&a);
        let actions = AssetActions {
            give: officer && rules::give(a.state).is_ok(),
            return_: rules::return_by(a.state, holder.as_ref(), me, officer).is_ok(),
            transfer: officer && a.state == AssetState::InCustody,
            dispose: officer && a.state == AssetState::InStock,
        };
        AssetView {
            id: a.id,
            code_name: code.map(|c| c.name.clone()).unwrap_or_default(),
            account: code.map_or(0, |c| c.account),
            holder: holder_of(&a),
            tag: a.tag,
            tasinir_code: a.tasinir_code,
            name: a.name,
            serial: a.serial,
            brand: a.brand,
            model: a.model,
            acquired_on: a.acquired_on,
            price_text: a.price.map(rules::format_money),
            price: a.price,
            warranty_until: a.warranty_until,
            location: a.location,
            state: a.state,
            custody_id: a.custody_id,
            receipt_id: a.receipt_id,
            receipt_number: a.receipt_number,
            actions,
        }
    }

    /// Whether `user` is the Taşınır Kayıt Yetkilisi now.
    pub async fn is_asset_officer(&self, user: &User) -> Result<bool> {
        let facts = self.facts(&mut self.read().await?, user.id).await?;
        Ok(
            domain::authority::grant(&self.profile, &facts, user, Authority::ManageAssets, now())
                .is_ok(),
        )
    }

    /// The asset records are the institution's: people holding a post.
    async fn may_read_assets(&self, reader: &User) -> Result<()> {
        self.may_read_shared(reader).await
    }

    fn check_asset(&self, a: &NewAssetInput, field_prefix: bool) -> Result<NewAsset> {
        let _ = field_prefix;
        let code = a.tasinir_code.trim();
        CodeList::shipped().for_asset(code).map_err(|e| {
            AppError::invalid(
                "tasinir_code",
                match e {
                    rules::CodeRefusal::Unknown => Code::UnknownTasinirCode,
                    rules::CodeRefusal::Group => Code::TasinirGroupCode,
                },
            )
        })?;
        let opt = |field: &'static str, v: &Option<String>, max: usize| {
            text(field, v.as_deref().unwrap_or(""), max, false)
        };
        let acquired_on = date("acquired_on", a.acquired_on.as_deref().unwrap_or(""))?;
        if acquired_on.is_some_and(|d| d > domain::local::date(now())) {
            return Err(AppError::invalid("acquired_on", Code::DateInFuture));
        }
        let warranty_until = date("warranty_until", a.warranty_until.as_deref().unwrap_or(""))?;
        if let (Some(acq), Some(w)) = (acquired_on, warranty_until) {
            if w < acq {
                return Err(AppError::invalid("warranty_until", Code::BeforeFrom));
            }
        }
        Ok(NewAsset {
            tasinir_code: code.to_owned(),
            name: text("name", &a.name, 200, true)?,
            serial: opt("serial", &a.serial, 100)?,
            brand: opt("brand", &a.brand, 100)?,
            model: opt("model", &a.model, 100)?,
            acquired_on,
            price: money("price", &a.price)?,
            warranty_until,
            location: opt("location", &a.location, 200)?,
            receipt_id: None,
        })
    }

    /// Enters one asset into the warehouse (the Taşınır Kayıt Yetkilisi).
    pub async fn create_asset(&self, actor: &User, input: &NewAssetInput) -> Result<AssetView> {
        let n = self.check_asset(input, false)?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        if !n.serial.is_empty() && store::assets::serial_taken(&mut w, &n.serial).await? {
            return Err(AppError::invalid("serial", Code::DuplicateSerial));
        }
        let (id, tag) = store::assets::insert(&mut w, &n, actor.id).await?;
        w.commit(Audit::new(&grant, "asset.created", format!("asset:{id}"), serde_json::json!({"tag": tag, "code": n.tasinir_code, "name": n.name, "serial": n.serial})))
            .await?;
        self.asset(actor, id).await
    }

    /// Receives assets by a Taşınır İşlem Fişi: one transaction for the
    /// receipt and all its assets (a bad line writes nothing).
    pub async fn receive_assets(&self, actor: &User, input: &ReceiptInput) -> Result<ReceiptView> {
        let supplier = text("supplier", &input.supplier, 200, true)?;
        let invoice_no = text("invoice_no", &input.invoice_no, 100, false)?;
        let invoice_date = date("invoice_date", input.invoice_date.as_deref().unwrap_or(""))?;
        if invoice_date.is_some_and(|d| d > domain::local::date(now())) {
            return Err(AppError::invalid("invoice_date", Code::DateInFuture));
        }
        let today = domain::local::date(now());
        let received_on =
            date("received_on", input.received_on.as_deref().unwrap_or(""))?.unwrap_or(today);
        if received_on > today {
            return Err(AppError::invalid("received_on", Code::DateInFuture));
        }
        // TMY m.10: the fişi is not dated before the document it rests on.
        if invoice_date.is_some_and(|d| received_on < d) {
            return Err(AppError::invalid("received_on", Code::BeforeFrom));
        }
        let note = lines("note", &input.note, 2000, false)?;
        if input.lines.is_empty() {
            return Err(AppError::invalid("lines", Code::Required));
        }
        let mut assets = Vec::new();
        let mut serials = std::collections::HashSet::new();
        for l in &input.lines {
            let mut n = self.check_asset(l, true)?;
            if n.acquired_on.is_none() {
                n.acquired_on = Some(received_on);
            }
            let qty = l.quantity.unwrap_or(1);
            if !(1..=500).contains(&qty) || (qty > 1 && !n.serial.is_empty()) {
                return Err(AppError::invalid("quantity", Code::OutOfRange));
            }
            if !n.serial.is_empty() && !serials.insert(n.serial.clone()) {
                return Err(AppError::invalid("serial", Code::DuplicateSerial));
            }
            for _ in 0..qty {
                assets.push(n.clone());
            }
        }
        if assets.len() > 1000 {
            return Err(AppError::invalid("lines", Code::TooMany));
        }
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        for n in assets.iter().filter(|n| !n.serial.is_empty()) {
            if store::assets::serial_taken(&mut w, &n.serial).await? {
                return Err(AppError::invalid("serial", Code::DuplicateSerial));
            }
        }
        let (rid, number) = store::assets::insert_receipt(
            &mut w,
            &NewReceipt {
                supplier,
                invoice_no,
                invoice_date,
                received_on,
                note,
            },
            actor.id,
        )
        .await?;
        let mut tags = Vec::new();
        for mut n in assets {
            n.receipt_id = Some(rid);
            tags.push(store::assets::insert(&mut w, &n, actor.id).await?.1);
        }
        w.commit(Audit::new(
            &grant,
            "asset.received",
            format!("receipt:{rid}"),
            serde_json::json!({"number": number, "tags": tags}),
        ))
        .await?;
        self.asset_receipt(actor, rid).await
    }

    pub async fn asset_receipt(&self, reader: &User, id: i64) -> Result<ReceiptView> {
        self.may_read_assets(reader).await?;
        let officer = self.is_asset_officer(reader).await?;
        let (r, assets) = store::assets::receipt(&mut self.read().await?, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(ReceiptView {
            id: r.id,
            form: format!("/api/v1/asset-receipts/{}/form.pdf", r.id),
            number: r.number,
            supplier: r.supplier,
            invoice_no: r.invoice_no,
            invoice_date: r.invoice_date,
            received_on: r.received_on,
            assets: assets
                .into_iter()
                .map(|a| self.asset_view(a, Some(reader), officer))
                .collect(),
        })
    }

    pub async fn asset(&self, reader: &User, id: i64) -> Result<AssetView> {
        self.may_read_assets(reader).await?;
        let officer = self.is_asset_officer(reader).await?;
        let a = store::assets::get(&mut self.read().await?, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(self.asset_view(a, Some(reader), officer))
    }

    pub async fn asset_by_tag(&self, reader: &User, tag: &str) -> Result<AssetView> {
        self.may_read_assets(reader).await?;
        let officer = self.is_asset_officer(reader).await?;
        let a = store::assets::by_tag(&mut self.read().await?, tag)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(self.asset_view(a, Some(reader), officer))
    }

    pub async fn assets(&self, reader: &User, q: &AssetQuery) -> Result<Vec<AssetView>> {
        self.may_read_assets(reader).await?;
        let officer = self.is_asset_officer(reader).await?;
        let limit = q.limit.unwrap_or(50);
        if !(1..=200).contains(&limit) {
            return Err(AppError::invalid("limit", Code::TooMany));
        }
        let nonempty = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let mut c = self.read().await?;
        let holder = match nonempty(&q.person) {
            Some(u) => Some(
                store::accounts::user_by_name(&mut c, &u)
                    .await?
                    .ok_or(AppError::invalid("person", Code::UnknownUser))?
                    .id,
            ),
            None => None,
        };
        let state = match nonempty(&q.state) {
            Some(s) => {
                Some(AssetState::parse(&s).ok_or(AppError::invalid("state", Code::UnknownState))?)
            }
            None => None,
        };
        let code = nonempty(&q.code);
        if code
            .as_deref()
            .is_some_and(|c| c.len() > 40 || !c.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
        {
            return Err(AppError::invalid("code", Code::UnknownTasinirCode));
        }
        let place = nonempty(&q.place);
        // A place is where it stands or the place holding it: two ranges.
        let mut rows = Vec::new();
        let base = store::assets::AssetFilter {
            code_is_leaf: code
                .as_deref()
                .is_some_and(|c| CodeList::shipped().get(c).is_some_and(|k| k.leaf)),
            code: code.clone(),
            holder,
            state,
            before: q.before,
            ..Default::default()
        };
        match &place {
            None => rows = store::assets::list(&mut c, &base, limit).await?,
            Some(p) => {
                let mut seen = std::collections::HashSet::new();
                for f in [
                    store::assets::AssetFilter {
                        location: Some(p.clone()),
                        ..base.clone()
                    },
                    store::assets::AssetFilter {
                        place: Some(p.clone()),
                        ..base.clone()
                    },
                ] {
                    for a in store::assets::list(&mut c, &f, limit).await? {
                        if seen.insert(a.id) {
                            rows.push(a);
                        }
                    }
                }
                rows.sort_by_key(|a| std::cmp::Reverse(a.id));
                rows.truncate(limit as usize);
            }
        }
        Ok(rows
            .into_iter()
            .map(|a| self.asset_view(a, Some(reader), officer))
            .collect())
    }

    pub async fn asset_places(&self, reader: &User) -> Result<Vec<String>> {
        self.may_read_assets(reader).await?;
        Ok(store::assets::places(&mut self.read().await?).await?)
    }

    /// Who or where custody goes to.
    async fn custody_target(&self, input: &CustodyInput) -> Result<(Option<User>, Option<String>)> {
        let to = input.to.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let place = text("place", input.place.as_deref().unwrap_or(""), 200, false)?;
        match (to, place.is_empty()) {
            (Some(_), false) => Err(AppError::invalid("to", Code::HolderOrPlace)),
            (None, true) => Err(AppError::invalid("to", Code::Required)),
            (Some(u), true) => {
                let user = self.user_named("to", u).await?;
                self.staff_member("to", &user).await?;
                Ok((Some(user), None))
            }
            (None, false) => Ok((None, Some(place))),
        }
    }

    /// Someone who may hold the institution's things: holding a post now,
    /// not departed.
    pub(crate) async fn staff_member(&self, field: &'static str, user: &User) -> Result<()> {
        let mut c = self.read().await?;
        if store::assets::departed(&mut c, user.id).await?.is_some() {
            return Err(AppError::invalid(field, Code::AlreadyDeparted));
        }
        if self.positions_now(&mut c, user.id).await?.is_empty() {
            return Err(AppError::invalid(field, Code::NotStaff));
        }
        Ok(())
    }

    /// Gives an asset from the warehouse into custody (Zimmet Fişi).
    pub async fn give_custody(
        &self,
        actor: &User,
        asset: i64,
        input: &CustodyInput,
    ) -> Result<CustodyView> {
        let note = lines("note", &input.note, 2000, false)?;
        let (user, place) = self.custody_target(input).await?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        let a = store::assets::get(&mut w, asset)
            .await?
            .ok_or(AppError::NotFound)?;
        rules::give(a.state).map_err(|r| custody_error(r))?;
        let id = store::assets::give(
            &mut w,
            asset,
            user.as_ref().map(|u| u.id),
            place.as_deref(),
            actor.id,
            &note,
        )
        .await?;
        w.commit(Audit::new(
            &grant,
            "asset.custody_given",
            format!("asset:{asset}"),
            serde_json::json!({"tag": a.tag, "custody": id, "to": user.as_ref().map(|u| u.username.clone()), "place": place}),
        ))
        .await?;
        self.custody(actor, asset, id).await
    }

    /// Passes an asset from its holder to another (the officer; a new
    /// Zimmet Fişi, the old one ended as `transferred`).
    pub async fn transfer_custody(
        &self,
        actor: &User,
        asset: i64,
        input: &CustodyInput,
    ) -> Result<CustodyView> {
        let note = lines("note", &input.note, 2000, false)?;
        let (user, place) = self.custody_target(input).await?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        let a = store::assets::get(&mut w, asset)
            .await?
            .ok_or(AppError::NotFound)?;
        let to = user
            .as_ref()
            .map(|u| Holder::Person(u.id))
            .or_else(|| place.clone().map(Holder::Place))
            .ok_or(AppError::invalid("to", Code::Required))?;
        rules::transfer(a.state, holder_rule(&a).as_ref(), &to).map_err(custody_error)?;
        store::assets::end_custody(&mut w, asset, actor.id, "transferred", &note).await?;
        let id = store::assets::give(
            &mut w,
            asset,
            user.as_ref().map(|u| u.id),
            place.as_deref(),
            actor.id,
            &note,
        )
        .await?;
        w.commit(Audit::new(
            &grant,
            "asset.custody_transferred",
            format!("asset:{asset}"),
            serde_json::json!({"tag": a.tag, "custody": id, "from": a.holder_username, "from_place": a.holder_place, "to": user.as_ref().map(|u| u.username.clone()), "place": place}),
        ))
        .await?;
        self.custody(actor, asset, id).await
    }

    /// Returns an asset to the warehouse: by its holder (or, for a place's
    /// asset, by the officer).
    pub async fn return_asset(
        &self,
        actor: &User,
        asset: i64,
        input: &NoteInput,
    ) -> Result<AssetView> {
        let note = lines("note", &input.note, 2000, false)?;
        let mut w = self.write().await?;
        let a = store::assets::get(&mut w, asset)
            .await?
            .ok_or(AppError::NotFound)?;
        let officer = self
            .grant(&mut w, actor, Authority::ManageAssets)
            .await
            .ok();
        rules::return_by(
            a.state,
            holder_rule(&a).as_ref(),
            actor.id,
            officer.is_some(),
        )
        .map_err(custody_error)?;
        let grant = match (&a.holder_user_id, officer) {
            (_, Some(g)) => g,
            (Some(h), _) if *h == actor.id => Grant::own_account(actor),
            _ => return Err(AppError::Conflict(Code::NotHolder)),
        };
        let officer = matches!(
            grant.basis(),
            domain::authority::GrantBasis::Authority { .. }
        );
        store::assets::end_custody(&mut w, asset, actor.id, "returned", &note).await?;
        w.commit(Audit::new(
            &grant,
            "asset.returned",
            format!("asset:{asset}"),
            serde_json::json!({"tag": a.tag, "custody": a.custody_id, "note": note}),
        ))
        .await?;
        // What he returned, as it stands now (whoever may return may see it).
        let a = store::assets::get(&mut self.read().await?, asset)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(self.asset_view(a, Some(actor), officer))
    }

    /// Writes assets off on a commission's decision; the records stay.
    pub async fn dispose_assets(
        &self,
        actor: &User,
        input: &AssetDisposalInput,
    ) -> Result<Vec<AssetView>> {
        let decision_ref = text("decision_ref", &input.decision_ref, 100, false)?;
        let decided_on = date("decided_on", &input.decided_on)?
            .ok_or(AppError::invalid("decided_on", Code::Required))?;
        if decided_on > domain::local::date(now()) {
            return Err(AppError::invalid("decided_on", Code::DateInFuture));
        }
        let reason = lines("reason", &input.reason, 2000, true)?;
        if input.assets.is_empty() || input.assets.len() > 1000 {
            return Err(AppError::invalid("assets", Code::Required));
        }
        let mut commission = Vec::new();
        for u in &input.commission {
            commission.push(self.user_named("commission", u).await?);
        }
        let ids: Vec<i64> = commission.iter().map(|u| u.id).collect();
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        let mut tags = Vec::new();
        for id in &input.assets {
            let a = store::assets::get(&mut w, *id)
                .await?
                .ok_or(AppError::invalid("assets", Code::UnknownAsset))?;
            rules::dispose(a.state, &ids, &decision_ref).map_err(|r| match r {
                rules::DisposalRefusal::CommissionTooSmall => {
                    AppError::invalid("commission", Code::TooFewMembers)
                }
                rules::DisposalRefusal::DecisionRequired => {
                    AppError::invalid("decision_ref", Code::DecisionRequired)
                }
                rules::DisposalRefusal::Held => AppError::Conflict(Code::AssetInCustody),
                rules::DisposalRefusal::AlreadyDisposed => AppError::Conflict(Code::AssetDisposed),
            })?;
            tags.push(a.tag);
        }
        let names = commission
            .iter()
            .map(|u| u.display_name.clone())
            .collect::<Vec<_>>()
            .join("; ");
        let id = store::assets::dispose(
            &mut w,
            &input.assets,
            &decision_ref,
            decided_on,
            &reason,
            &names,
            actor.id,
        )
        .await?;
        w.commit(Audit::new(
            &grant,
            "asset.disposed",
            format!("disposal:{id}"),
            serde_json::json!({"tags": tags, "decision_ref": decision_ref, "commission": commission.iter().map(|u| u.username.clone()).collect::<Vec<_>>()}),
        ))
        .await?;
        let mut out = Vec::new();
        for a in &input.assets {
            out.push(self.asset(actor, *a).await?);
        }
        Ok(out)
    }

    pub async fn custody(&self, reader: &User, asset: i64, custody: i64) -> Result<CustodyView> {
        self.may_read_assets(reader).await?;
        let k = store::assets::custody(&mut self.read().await?, custody)
            .await?
            .filter(|k| k.asset_id == asset)
            .ok_or(AppError::NotFound)?;
        Ok(custody_view(k))
    }

    /// An asset's custody history, newest first, in one query.
    pub async fn custody_history(&self, reader: &User, asset: i64) -> Result<Vec<CustodyView>> {
        self.may_read_assets(reader).await?;
        Ok(
            store::assets::custody_history(&mut self.read().await?, asset)
                .await?
                .into_iter()
                .map(custody_view)
                .collect(),
        )
    }

    /// The Zimmet Fişi of a custody, as PDF.
    pub async fn custody_form(&self, reader: &User, asset: i64, custody: i64) -> Result<Vec<u8>> {
        let k = self.custody(reader, asset, custody).await?;
        let a = self.asset(reader, asset).await?;
        let heading = self.heading_lines().await?;
        let io = |e: std::io::Error| AppError::Internal(e.into());
        // TMY (RG 10.10.2024, 32688) m.10/1-b, m.23: a person signs a
        // Taşınır Teslim Belgesi; a place's assets are on the Dayanıklı
        // Taşınırlar Listesi (m.10/1-ç, m.23/6), signed by whoever is
        // responsible for the place.
        let to_place = k.holder.name.is_none();
        let form_name = if to_place {
            "DAYANIKLI TAŞINIRLAR LİSTESİ"
        } else {
            "TAŞINIR TESLİM BELGESİ (ZİMMET FİŞİ)"
        };
        let mut pdf =
            PdfWriter::new(Vec::new(), A4, &format!("{form_name} {}", a.tag)).map_err(io)?;
        let mut p = pdf.page();
        let (w, m) = (A4.0, 50.0);
        let mut y = p.heading(w / 2.0, 60.0, &heading) + 20.0;
        p.text_center(w / 2.0, y, 14.0, true, form_name);
        y += 14.0;
        p.text_right(
            w - m,
            y,
            9.0,
            false,
            &format!("Fiş no: Z-{:06}   Tarih: {}", k.id, time_tr(k.given_at)),
        );
        y += 24.0;
        let holder = match (&k.holder.name, &k.holder.place) {
            (Some(n), _) => n.clone(),
            (None, Some(pl)) => format!("{pl} (yer)"),
            _ => "—".into(),
        };
        let rows = [
            ("Zimmet alan", holder.clone()),
            ("Teslim eden", k.given_by_name.clone()),
            (
                "Açıklama",
                if k.note.is_empty() {
                    "—".into()
                } else {
                    k.note.clone()
                },
            ),
        ];
        for (label, value) in rows {
            p.text(m, y, 10.0, true, label);
            for line in wrap(&value, 10.0, w - m - 180.0) {
                p.text(m + 130.0, y, 10.0, false, &line);
                y += 13.0;
            }
            y += 4.0;
        }
        y += 10.0;
        // The item table.
        p.table_header(
            m,
            w - m,
            y,
            &[
                (m, "Sıra"),
                (m + 30.0, "Taşınır kodu"),
                (m + 130.0, "Sicil no"),
                (m + 250.0, "Adı, marka, model, seri no"),
                (w - m - 70.0, "Değeri (TL)"),
            ],
        );
        y += 16.0;
        let what = [
            a.name.clone(),
            a.brand.clone(),
            a.model.clone(),
            if a.serial.is_empty() {
                String::new()
            } else {
                format!("SN {}", a.serial)
            },
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        p.text(m, y, 9.0, false, "1");
        p.text(m + 30.0, y, 9.0, false, &a.tasinir_code);
        p.text(m + 130.0, y, 9.0, false, &fit(&a.tag, 9.0, 115.0));
        let desc = wrap(&what, 9.0, w - m - 70.0 - (m + 250.0) - 8.0);
        p.text_right(w - m, y, 9.0, false, a.price_text.as_deref().unwrap_or("—"));
        for line in &desc {
            p.text(m + 250.0, y, 9.0, false, line);
            y += 12.0;
        }
        p.text(m + 30.0, y, 8.0, false, &fit(&a.code_name, 8.0, 210.0));
        y += 8.0;
        p.line(m - 4.0, y, w - m + 4.0, y, 0.5);
        y += 20.0;
        for line in wrap(
            "Yukarıda yazılı taşınırı sağlam ve eksiksiz olarak teslim aldım. Kullanımımda bulunduğu sürece korumak ve görevimden ayrılırken devir teslim etmek (Bilgi İşlem Müdürlüğü Yönetmeliği m.20/1-ç) benim sorumluluğumdadır.",
            9.0,
            w - 2.0 * m,
        ) {
            p.text(m, y, 9.0, false, &line);
            y += 12.0;
        }
        y += 30.0;
        let giver = format!("{} (Taşınır Kayıt Yetkilisi)", k.given_by_name);
        let taker = if to_place {
            ("Yerin sorumlusu / birim yetkilisi", "Adı soyadı:")
        } else {
            ("Teslim alan", holder.as_str())
        };
        p.signatures(m, w / 2.0 + 10.0, w - m, y, ("Teslim eden", &giver), taker);
        if let Some(end) = k.ended_at {
            let kind = match k.ended_kind.as_deref() {
                Some("returned") => "iade edildi",
                Some("transferred") => "devredildi",
                Some("handed_over") => "devir teslimle devredildi",
                _ => "sona erdi",
            };
            p.text(
                m,
                y + 95.0,
                9.0,
                true,
                &format!(
                    "Bu zimmet {} tarihinde {} ({}).",
                    time_tr(end),
                    kind,
                    k.ended_by_name.clone().unwrap_or_default()
                ),
            );
        }
        p.text(m, A4.1 - 40.0, 7.5, false, "Taşınır Mal Yönetmeliği (RG 10.10.2024, 32688) m.10, m.23 uyarınca düzenlenmiştir. Mudurluk.");
        pdf.add(p).map_err(io)?;
        pdf.finish().map_err(io)
    }

    /// A sheet of QR labels (A4, 3 × 8 labels of 70 × 37 mm, the common
    /// self-adhesive sheet), one per asset: the QR code opens
    /// `{base_url}/demirbas/etiket/{tag}` (the asset's phone page, from
    /// which a technician opens a request), beside the institution, the
    /// tag, the code and the name. The assets are a receipt's, the listed
    /// `ids`, or the list's filters; at most [`MAX_LABELS`].
    pub async fn asset_labels(
        &self,
        reader: &User,
        q: &LabelQuery,
        base_url: &str,
    ) -> Result<Vec<u8>> {
        self.may_read_assets(reader).await?;
        let assets: Vec<AssetView> = if let Some(r) = q.receipt {
            self.asset_receipt(reader, r).await?.assets
        } else if let Some(ids) = q.ids.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let ids = ids
                .split(',')
                .map(|i| {
                    i.trim()
                        .parse::<i64>()
                        .map_err(|_| AppError::invalid("ids", Code::InvalidQuery))
                })
                .collect::<Result<Vec<_>>>()?;
            if ids.len() > MAX_LABELS {
                return Err(AppError::invalid("ids", Code::TooMany));
            }
            // One label per asset, however often it is named.
            let mut seen = std::collections::HashSet::new();
            let ids: Vec<i64> = ids.into_iter().filter(|i| seen.insert(*i)).collect();
            let found = store::assets::by_ids(&mut self.read().await?, &ids).await?;
            if found.len() != ids.len() {
                return Err(AppError::invalid("ids", Code::NotFound));
            }
            let officer = self.is_asset_officer(reader).await?;
            let out: Vec<AssetView> = found
                .into_iter()
                .map(|a| self.asset_view(a, Some(reader), officer))
                .collect();
            out
        } else {
            let mut out = Vec::new();
            let mut page = AssetQuery {
                code: q.code.clone(),
                place: q.place.clone(),
                person: q.person.clone(),
                state: q.state.clone(),
                before: None,
                limit: Some(200),
            };
            loop {
                let got = self.assets(reader, &page).await?;
                let last = got.last().map(|a| a.id);
                let full = got.len() == 200;
                out.extend(got);
                if out.len() > MAX_LABELS {
                    return Err(AppError::invalid("filter", Code::TooMany));
                }
                match last {
                    Some(l) if full => page.before = Some(l),
                    _ => break,
                }
            }
            // Printed in the order of their numbers, as a sheet is stuck.
            out.reverse();
            out
        };
        if assets.is_empty() {
            let field = match (q.receipt, &q.ids) {
                (Some(_), _) => "receipt",
                (None, Some(_)) => "ids",
                _ => "filter",
            };
            return Err(AppError::invalid(field, Code::NothingToPrint));
        }
        let settings = self.settings().await?;
        let base = base_url.trim_end_matches('/').to_owned();
        // Drawing a thousand QR codes takes a while: off the async workers.
        tokio::task::spawn_blocking(move || {
            label_sheets(
                &assets,
                &settings.institution_name,
                &settings.directorate_name,
                &base,
            )
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
    }
}

/// The label sheets of `assets`, their QR codes opening `{base}/demirbas/etiket/{tag}`.
fn label_sheets(
    assets: &[AssetView],
    institution: &str,
    directorate: &str,
    base: &str,
) -> Result<Vec<u8>> {
    let io = |e: std::io::Error| AppError::Internal(e.into());
    let mut pdf = PdfWriter::new(Vec::new(), A4, "Demirbaş etiketleri").map_err(io)?;
    // 70 × 37 mm in points; the sheet's top margin centres the 8 rows.
    let (lw, lh) = (70.0 * 72.0 / 25.4, 37.0 * 72.0 / 25.4);
    let top = (A4.1 - 8.0 * lh) / 2.0;
    let left = (A4.0 - 3.0 * lw) / 2.0;
    for sheet in assets.chunks(24) {
        let mut p = pdf.page();
        for (i, a) in sheet.iter().enumerate() {
            let (x, y) = (left + (i % 3) as f32 * lw, top + (i / 3) as f32 * lh);
            let qr = 72.0;
            let pad = (lh - qr) / 2.0;
            let url = format!("{base}/demirbas/etiket/{}", a.tag);
            if !p.qr(x + pad, y + pad, qr, &url) {
                return Err(AppError::invalid("base_url", Code::TooLong));
            }
            // The QR code's quiet zone is 4 modules (about 9 pt here).
            let tx = x + pad + qr + 10.0;
            let tw = x + lw - 6.0 - tx;
            let mut ty = y + pad + 8.0;
            p.text(tx, ty, 6.5, false, &fit(institution, 6.5, tw));
            ty += 8.0;
            p.text(tx, ty, 6.5, false, &fit(directorate, 6.5, tw));
            ty += 13.0;
            p.text(tx, ty, 9.5, true, &fit(&a.tag, 9.5, tw));
            ty += 11.0;
            p.text(tx, ty, 7.0, false, &fit(&a.tasinir_code, 7.0, tw));
            ty += 10.0;
            let lines = wrap(&a.name, 7.0, tw);
            for (k, line) in lines.iter().enumerate().take(3) {
                let line = if k == 2 && lines.len() > 3 {
                    fit(&format!("{line}…"), 7.0, tw)
                } else {
                    line.clone()
                };
                p.text(tx, ty, 7.0, false, &line);
                ty += 8.5;
            }
        }
        pdf.add(p).map_err(io)?;
    }
    pdf.finish().map_err(io)
}

impl App {
    /// The Taşınır İşlem Fişi (giriş) of a receipt, as PDF.
    pub async fn receipt_form(&self, reader: &User, id: i64) -> Result<Vec<u8>> {
        let r = self.asset_receipt(reader, id).await?;
        let heading = self.heading_lines().await?;
        let io = |e: std::io::Error| AppError::Internal(e.into());
        let mut pdf = PdfWriter::new(Vec::new(), A4, &format!("Varlık İşlem Fişi {}", r.number))
            .map_err(io)?;
        let (w, m) = (A4.0, 40.0);
        let mut p = pdf.page();
        let mut y = p.heading(w / 2.0, 50.0, &heading) + 10.0;
        // TMY (RG 10.10.2024) m.10/1-a, m.41/2: the Taşınır İşlem Fişi is
        // now the Varlık İşlem Fişi.
        p.text_center(w / 2.0, y, 14.0, true, "VARLIK İŞLEM FİŞİ (GİRİŞ)");
        y += 14.0;
        p.text_center(w / 2.0, y, 9.0, false, "(eski adıyla Taşınır İşlem Fişi)");
        y += 22.0;
        let rows: [(&str, String); 5] = [
            ("Fiş no", r.number.clone()),
            ("Giriş tarihi", date_tr(r.received_on)),
            ("İşlem çeşidi", "Satın alma".to_owned()),
            ("Satıcı", r.supplier.clone()),
            (
                "Fatura no / tarihi",
                format!(
                    "{} / {}",
                    if r.invoice_no.is_empty() {
                        "—"
                    } else {
                        r.invoice_no.as_str()
                    },
                    r.invoice_date.map(date_tr).unwrap_or_else(|| "—".into())
                ),
            ),
        ];
        for (label, value) in rows {
            p.text(m, y, 10.0, true, label);
            p.text(m + 130.0, y, 10.0, false, &value);
            y += 15.0;
        }
        y += 10.0;
        let cols = [
            (m, "Sıra"),
            (m + 28.0, "Taşınır kodu"),
            (m + 120.0, "Sicil no"),
            (m + 240.0, "Adı, marka, model, seri no"),
            (w - m - 60.0, "Tutar (TL)"),
        ];
        p.table_header(m, w - m, y, &cols);
        y += 16.0;
        let mut total = 0i64;
        for (i, a) in r.assets.iter().enumerate() {
            if y > A4.1 - 170.0 {
                pdf.add(p).map_err(io)?;
                p = pdf.page();
                y = 60.0;
                p.table_header(m, w - m, y, &cols);
                y += 16.0;
            }
            total += a.price.unwrap_or(0);
            let what = [
                a.name.clone(),
                a.brand.clone(),
                a.model.clone(),
                if a.serial.is_empty() {
                    String::new()
                } else {
                    format!("SN {}", a.serial)
                },
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
            p.text(m, y, 9.0, false, &(i + 1).to_string());
            p.text(m + 28.0, y, 9.0, false, &a.tasinir_code);
            p.text(m + 120.0, y, 9.0, false, &fit(&a.tag, 9.0, 115.0));
            p.text_right(w - m, y, 9.0, false, a.price_text.as_deref().unwrap_or("—"));
            for line in wrap(&what, 9.0, w - m - 60.0 - (m + 240.0) - 8.0) {
                p.text(m + 240.0, y, 9.0, false, &line);
                y += 12.0;
            }
            y += 3.0;
        }
        p.line(m - 4.0, y, w - m + 4.0, y, 0.5);
        y += 14.0;
        p.text(
            m + 240.0,
            y,
            10.0,
            true,
            &format!("Toplam ({} kalem)", r.assets.len()),
        );
        p.text_right(w - m, y, 10.0, true, &rules::format_money(total));
        y += 40.0;
        p.signatures(
            m,
            w / 2.0 + 10.0,
            w - m,
            y,
            ("Teslim eden", &r.supplier),
            ("Teslim alan (Taşınır Kayıt Yetkilisi)", ""),
        );
        y += 90.0;
        p.text(
            w / 2.0 + 10.0,
            y,
            10.0,
            true,
            "Onaylayan (Harcama Yetkilisi)",
        );
        p.text(w / 2.0 + 10.0, y + 40.0, 9.0, false, "İmza:");
        p.line(w / 2.0 + 40.0, y + 42.0, w - m, y + 42.0, 0.4);
        p.text(m, A4.1 - 40.0, 7.5, false, "Taşınır Mal Yönetmeliği (RG 10.10.2024, 32688) m.10/1-a uyarınca düzenlenmiştir (Bilgi İşlem Müdürlüğü Yönetmeliği m.8/8). Mudurluk.");
        pdf.add(p).map_err(io)?;
        pdf.finish().map_err(io)
    }

    /// Appoints the Taşınır Kayıt Yetkilisi (m.10/11): the Müdür. The one
    /// appointed before is relieved the same day.
    pub async fn appoint_asset_officer(&self, actor: &User, username: &str) -> Result<OfficerView> {
        let person = self.user_named("username", username).await?;
        let position = self.asset_officer_position();
        let mut w = self.write().await?;
        let grant = self
            .grant(&mut w, actor, Authority::AppointAssetOfficer)
            .await?;
        // TMY m.6: the harcama yetkilisi names the officer; he does not keep
        // the records himself.
        if person.id == actor.id {
            return Err(AppError::invalid("username", Code::SelfAppointment));
        }
        self.staff_member("username", &person).await?;
        let staff = store::staff::of_user(&mut w, person.id)
            .await?
            .ok_or(AppError::invalid("username", Code::UnknownUser))?;
        let today = domain::local::date(w.at());
        let mut relieved = Vec::new();
        for s in store::staff::list(&mut w).await? {
            for a in store::staff::appointments(&mut w, s.id).await? {
                if a.position == position && a.period().contains(w.at()) {
                    if s.id == staff {
                        return Ok(OfficerView {
                            username: Some(person.username.clone()),
                            name: Some(person.display_name.clone()),
                        });
                    }
                    match today.previous_day().filter(|end| *end >= a.start_date) {
                        Some(end) => store::staff::end_appointment(&mut w, a.id, end).await?,
                        None => store::staff::delete_appointment(&mut w, a.id).await?,
                    }
                    relieved.push(s.username.clone());
                }
            }
        }
        store::staff::insert_appointment(&mut w, staff, &position, today, None).await?;
        w.commit(Audit::new(
            &grant,
            "asset.officer_appointed",
            format!("user:{}", person.username),
            serde_json::json!({"position": position, "relieved": relieved}),
        ))
        .await?;
        Ok(OfficerView {
            username: Some(person.username),
            name: Some(person.display_name),
        })
    }

    /// The position the Taşınır Kayıt Yetkilisi holds: the one the profile
    /// has `appointed_by = "appoint_asset_officer"` for.
    pub(crate) fn asset_officer_position(&self) -> String {
        self.profile
            .positions()
            .iter()
            .find(|p| p.appointed_by.as_deref() == Some(Authority::AppointAssetOfficer.id()))
            .map(|p| p.id.clone())
            .unwrap_or_else(|| "tasinir_kayit_yetkilisi".into())
    }

    pub async fn asset_officer(&self, reader: &User) -> Result<OfficerView> {
        self.may_read_assets(reader).await?;
        let position = self.asset_officer_position();
        let at = now();
        for s in store::staff::list(&mut self.read().await?).await? {
            if s.current(at).any(|a| a.position == position) {
                return Ok(OfficerView {
                    username: s.username,
                    name: Some(s.full_name),
                });
            }
        }
        Ok(OfficerView {
            username: None,
            name: None,
        })
    }
}

/// The Taşınır Kayıt Yetkilisi, or nobody.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OfficerView {
    pub username: Option<String>,
    pub name: Option<String>,
}

fn custody_error(r: rules::CustodyRefusal) -> AppError {
    use rules::CustodyRefusal as R;
    match r {
        R::AlreadyHeld => AppError::Conflict(Code::AssetAlreadyHeld),
        R::NotHeld => AppError::Conflict(Code::AssetNotHeld),
        R::Disposed => AppError::Conflict(Code::AssetDisposed),
        R::NotHolder => AppError::Forbidden {
            missing: "holder".into(),
        },
        R::SameHolder => AppError::invalid("to", Code::SameHolder),
    }
}

// ---- Licences, contracts, systems ------------------------------------------------

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LicenceInput {
    pub product: String,
    /// per_seat, per_device, site or subscription
    pub kind: String,
    pub seats: Option<i64>,
    #[schema(value_type = Option<String>)]
    pub cost: Option<serde_json::Value>,
    /// `YYYY-MM-DD`
    pub starts_on: Option<String>,
    /// `YYYY-MM-DD`
    pub ends_on: Option<String>,
    pub supplier: String,
    pub note: String,
}

/// A seat to a person (`to`) or a device (`asset`, its id).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SeatInput {
    pub to: Option<String>,
    pub asset: Option<i64>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SeatView {
    pub id: i64,
    pub licence_id: i64,
    pub product: String,
    pub user_name: Option<String>,
    pub asset_tag: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LicenceView {
    pub id: i64,
    pub product: String,
    pub kind: LicenceKind,
    pub seats: i64,
    pub assigned: i64,
    pub cost: Option<i64>,
    pub cost_text: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "iso_date::option")]
    pub starts_on: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "iso_date::option")]
    pub ends_on: Option<Date>,
    /// Days left to the end (negative: ended).
    pub days_left: Option<i64>,
    pub supplier: String,
    pub note: String,
    pub assignments: Vec<SeatView>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ContractInput {
    pub supplier: String,
    pub scope: String,
    pub starts_on: Option<String>,
    pub ends_on: String,
    #[schema(value_type = Option<String>)]
    pub cost: Option<serde_json::Value>,
    pub note: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ContractView {
    pub id: i64,
    pub supplier: String,
    pub scope: String,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "iso_date::option")]
    pub starts_on: Option<Date>,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso_date")]
    pub ends_on: Date,
    pub days_left: i64,
    pub cost_text: Option<String>,
    pub note: String,
}

/// The system kinds of m.16/2-b and m.16/5.
pub const SYSTEM_KINDS: &[(&str, &str, &str)] = &[
    (
        "ebys",
        "Elektronik Belge Yönetim Sistemi",
        "Electronic document management",
    ),
    (
        "ybs",
        "Yönetim Bilgi Sistemi",
        "Management information system",
    ),
    (
        "cbs",
        "Coğrafi / Kent Bilgi Sistemi",
        "GIS / urban information system",
    ),
    ("cad", "CAD", "CAD"),
    ("ip_santral", "IP telefon santrali", "IP phone exchange"),
    ("cagri_merkezi", "Çağrı merkezi", "Call centre"),
    ("web", "Web sitesi ve alan adları", "Web sites and domains"),
    ("intranet", "İntranet", "Intranet"),
    ("mobil", "Mobil uygulama", "Mobile app"),
    ("kartli_gecis", "Kartlı geçiş", "Access control"),
    ("dosya_sunucusu", "Dosya sunucusu", "File server"),
    ("eposta", "E-posta", "E-mail"),
    ("diger", "Diğer", "Other"),
];

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DomainInput {
    pub domain: String,
    /// `YYYY-MM-DD`
    pub expires_on: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SystemInput {
    pub name: String,
    /// ebys, ybs, cbs, cad, ip_santral, cagri_merkezi, web, intranet, mobil, kartli_gecis, dosya_sunucusu, eposta, diger
    pub kind: String,
    /// The owning unit's id in the profile (default: the directorate).
    pub owner_unit: Option<String>,
    /// The technical owner's username.
    pub technical_owner: Option<String>,
    pub supplier: String,
    pub contract_id: Option<i64>,
    /// 1–3, as the security guide grades assets (3 = most critical).
    pub criticality: i64,
    pub backup_what: String,
    pub backup_every_days: Option<i64>,
    pub backup_where: String,
    pub restore_every_days: Option<i64>,
    pub note: String,
    /// Asset ids of its hosts.
    pub hosts: Vec<i64>,
    pub domains: Vec<DomainInput>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RunInput {
    /// `YYYY-MM-DD`; default today.
    pub date: Option<String>,
    /// success or failure
    pub result: String,
    pub duration_minutes: Option<i64>,
    pub note: String,
    /// The SHA-256 of an uploaded evidence file (a log, a screenshot).
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RunView {
    pub id: i64,
    /// backup or restore_test
    pub kind: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso_date")]
    pub date: Date,
    pub by_name: String,
    pub result: String,
    pub duration_minutes: Option<i64>,
    pub note: String,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SystemView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub kind_name: String,
    pub owner_unit: String,
    pub owner_unit_name: String,
    pub technical_owner_name: Option<String>,
    pub supplier: String,
    pub contract_id: Option<i64>,
    pub criticality: i64,
    pub backup_what: String,
    pub backup_every_days: Option<i64>,
    pub backup_where: String,
    pub restore_every_days: Option<i64>,
    pub note: String,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "iso_date::option")]
    pub last_backup: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "iso_date::option")]
    pub last_restore_ok: Option<Date>,
    /// The last successful restore test is older than the policy allows
    /// (or there was none).
    pub restore_overdue: bool,
}

/// A system with what hangs on it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SystemDetail {
    #[serde(flatten)]
    pub system: SystemView,
    pub hosts: Vec<AssetView>,
    pub domains: Vec<DomainView>,
    pub contract: Option<ContractView>,
    pub runs: Vec<RunView>,
    /// Open requests naming it: (id, number, title, state).
    pub requests: Vec<SystemRequest>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DomainView {
    pub domain: String,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "iso_date::option")]
    pub expires_on: Option<Date>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SystemRequest {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub state: String,
}

/// An end date coming (licences, contracts, warranties, domains).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Ending {
    /// licence, contract, warranty or domain
    pub kind: String,
    pub id: i64,
    pub what: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso_date")]
    pub ends_on: Date,
    pub days_left: i64,
}

impl App {
    fn licence_view(
        &self,
        l: store::assets::Licence,
        seats: Vec<store::assets::Seat>,
        today: Date,
    ) -> LicenceView {
        LicenceView {
            id: l.id,
            kind: LicenceKind::parse(&l.kind).unwrap_or(LicenceKind::PerSeat),
            product: l.product,
            seats: l.seats,
            assigned: l.assigned,
            cost_text: l.cost.map(rules::format_money),
            cost: l.cost,
            starts_on: l.starts_on,
            ends_on: l.ends_on,
            days_left: l.ends_on.map(|e| (e - today).whole_days()),
            supplier: l.supplier,
            note: l.note,
            assignments: seats
                .into_iter()
                .map(|s| SeatView {
                    id: s.id,
                    licence_id: s.licence_id,
                    product: s.product,
                    user_name: s.user_name,
                    asset_tag: s.asset_tag,
                })
                .collect(),
        }
    }

    pub async fn add_licence(&self, actor: &User, input: &LicenceInput) -> Result<LicenceView> {
        let product = text("product", &input.product, 200, true)?;
        let kind = LicenceKind::parse(&input.kind)
            .ok_or(AppError::invalid("kind", Code::UnknownLicenceKind))?;
        let seats = match kind {
            LicenceKind::Site => input.seats.unwrap_or(0),
            _ => input
                .seats
                .ok_or(AppError::invalid("seats", Code::Required))?,
        };
        let least = if kind == LicenceKind::Site { 0 } else { 1 };
        if !(least..=1_000_000).contains(&seats) {
            return Err(AppError::invalid("seats", Code::OutOfRange));
        }
        let starts_on = date("starts_on", input.starts_on.as_deref().unwrap_or(""))?;
        let ends_on = date("ends_on", input.ends_on.as_deref().unwrap_or(""))?;
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                return Err(AppError::invalid("ends_on", Code::BeforeFrom));
            }
        }
        let n = NewLicence {
            product,
            kind: kind.code().into(),
            seats,
            cost: money("cost", &input.cost)?,
            starts_on,
            ends_on,
            supplier: text("supplier", &input.supplier, 200, false)?,
            note: lines("note", &input.note, 2000, false)?,
        };
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        let id = store::assets::insert_licence(&mut w, &n, actor.id).await?;
        w.commit(Audit::new(
            &grant,
            "licence.created",
            format!("licence:{id}"),
            serde_json::json!({"product": n.product, "kind": n.kind, "seats": n.seats}),
        ))
        .await?;
        self.licence(actor, id).await
    }

    pub async fn licence(&self, reader: &User, id: i64) -> Result<LicenceView> {
        self.may_read_assets(reader).await?;
        let mut c = self.read().await?;
        let l = store::assets::licence(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let seats = store::assets::seats_of_licence(&mut c, id).await?;
        Ok(self.licence_view(l, seats, domain::local::date(now())))
    }

    pub async fn licences(&self, reader: &User) -> Result<Vec<LicenceView>> {
        self.may_read_assets(reader).await?;
        let mut c = self.read().await?;
        let today = domain::local::date(now());
        let mut out = Vec::new();
        for l in store::assets::licences(&mut c).await? {
            let seats = store::assets::seats_of_licence(&mut c, l.id).await?;
            out.push(self.licence_view(l, seats, today));
        }
        Ok(out)
    }

    /// Assigns a seat; over-assignment is refused (409 `seats_exhausted`).
    pub async fn assign_seat(
        &self,
        actor: &User,
        licence: i64,
        input: &SeatInput,
    ) -> Result<LicenceView> {
        let to = input.to.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let user = match to {
            Some(u) => Some(self.user_named("to", u).await?),
            None => None,
        };
        if user.is_none() == input.asset.is_none() {
            return Err(AppError::invalid("to", Code::HolderOrPlace));
        }
        if let Some(u) = &user {
            self.staff_member("to", u).await?;
        }
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        let l = store::assets::licence(&mut w, licence)
            .await?
            .ok_or(AppError::NotFound)?;
        if let Some(a) = input.asset {
            let a = store::assets::get(&mut w, a)
                .await?
                .ok_or(AppError::invalid("asset", Code::UnknownAsset))?;
            if a.state == AssetState::Disposed {
                return Err(AppError::Conflict(Code::AssetDisposed));
            }
        }
        let seats = store::assets::seats_of_licence(&mut w, licence).await?;
        if seats.iter().any(|s| {
            (user.is_some() && s.user_id == user.as_ref().map(|u| u.id))
                || (input.asset.is_some() && s.asset_id == input.asset)
        }) {
            return Err(AppError::Conflict(Code::SeatAlreadyAssigned));
        }
        let kind = LicenceKind::parse(&l.kind).unwrap_or(LicenceKind::PerSeat);
        if !rules::seat_available(kind, l.seats, l.assigned) {
            return Err(AppError::Conflict(Code::SeatsExhausted));
        }
        let seat = store::assets::assign_seat(
            &mut w,
            licence,
            user.as_ref().map(|u| u.id),
            input.asset,
            actor.id,
        )
        .await?;
        w.commit(Audit::new(
            &grant,
            "licence.seat_assigned",
            format!("licence:{licence}"),
            serde_json::json!({"seat": seat, "to": user.as_ref().map(|u| u.username.clone()), "asset": input.asset}),
        ))
        .await?;
        self.licence(actor, licence).await
    }

    pub async fn release_seat(&self, actor: &User, licence: i64, seat: i64) -> Result<LicenceView> {
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        let s = store::assets::seat(&mut w, seat)
            .await?
            .filter(|s| s.licence_id == licence)
            .ok_or(AppError::NotFound)?;
        store::assets::release_seat(&mut w, seat).await?;
        w.commit(Audit::new(
            &grant,
            "licence.seat_released",
            format!("licence:{licence}"),
            serde_json::json!({"seat": seat, "user": s.user_name, "asset": s.asset_tag}),
        ))
        .await?;
        self.licence(actor, licence).await
    }

    fn contract_view(c: store::assets::Contract, today: Date) -> ContractView {
        ContractView {
            id: c.id,
            days_left: (c.ends_on - today).whole_days(),
            supplier: c.supplier,
            scope: c.scope,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            cost_text: c.cost.map(rules::format_money),
            note: c.note,
        }
    }

    pub async fn add_contract(&self, actor: &User, input: &ContractInput) -> Result<ContractView> {
        let n = NewContract {
            supplier: text("supplier", &input.supplier, 200, true)?,
            scope: text("scope", &input.scope, 500, true)?,
            starts_on: date("starts_on", input.starts_on.as_deref().unwrap_or(""))?,
            ends_on: date("ends_on", &input.ends_on)?
                .ok_or(AppError::invalid("ends_on", Code::Required))?,
            cost: money("cost", &input.cost)?,
            note: lines("note", &input.note, 2000, false)?,
        };
        if n.starts_on.is_some_and(|s| n.ends_on < s) {
            return Err(AppError::invalid("ends_on", Code::BeforeFrom));
        }
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        let id = store::assets::insert_contract(&mut w, &n, actor.id).await?;
        w.commit(Audit::new(
            &grant,
            "contract.created",
            format!("contract:{id}"),
            serde_json::json!({"supplier": n.supplier, "ends_on": date_tr(n.ends_on)}),
        ))
        .await?;
        let c = store::assets::contract(&mut self.read().await?, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Self::contract_view(c, domain::local::date(now())))
    }

    pub async fn contracts(&self, reader: &User) -> Result<Vec<ContractView>> {
        self.may_read_assets(reader).await?;
        let today = domain::local::date(now());
        Ok(store::assets::contracts(&mut self.read().await?)
            .await?
            .into_iter()
            .map(|c| Self::contract_view(c, today))
            .collect())
    }

    /// End dates within the widest alert window (60 days), and those passed
    /// in the last 30: the home page and the digest.
    pub async fn endings(&self, reader: &User) -> Result<Vec<Ending>> {
        self.may_read_assets(reader).await?;
        self.endings_now().await
    }

    pub(crate) async fn endings_now(&self) -> Result<Vec<Ending>> {
        let today = domain::local::date(now());
        let widest = rules::ALERT_DAYS.iter().copied().max().unwrap_or(60);
        let rows = store::assets::ending(
            &mut self.read().await?,
            today - time::Duration::days(30),
            today + time::Duration::days(widest),
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|(kind, id, what, ends_on)| Ending {
                kind,
                id,
                what,
                ends_on,
                days_left: (ends_on - today).whole_days(),
            })
            .collect())
    }

    fn system_view(&self, s: store::assets::System, today: Date) -> SystemView {
        let en = crate::english();
        let kind_name = SYSTEM_KINDS
            .iter()
            .find(|k| k.0 == s.kind)
            .map(|k| if en { k.2 } else { k.1 })
            .unwrap_or("")
            .to_owned();
        SystemView {
            restore_overdue: s
                .restore_every_days
                .is_some_and(|every| rules::restore_overdue(s.last_restore_ok, every, today)),
            id: s.id,
            kind_name,
            owner_unit_name: self
                .profile
                .unit(&s.owner_unit)
                .map(|u| u.name_for(en).to_owned())
                .unwrap_or_else(|| s.owner_unit.clone()),
            name: s.name,
            kind: s.kind,
            owner_unit: s.owner_unit,
            technical_owner_name: s.technical_owner_name,
            supplier: s.supplier,
            contract_id: s.contract_id,
            criticality: s.criticality,
            backup_what: s.backup_what,
            backup_every_days: s.backup_every_days,
            backup_where: s.backup_where,
            restore_every_days: s.restore_every_days,
            note: s.note,
            last_backup: s.last_backup,
            last_restore_ok: s.last_restore_ok,
        }
    }

    pub async fn add_system(&self, actor: &User, input: &SystemInput) -> Result<SystemDetail> {
        let name = text("name", &input.name, 200, true)?;
        let kind = input.kind.trim();
        if !SYSTEM_KINDS.iter().any(|k| k.0 == kind) {
            return Err(AppError::invalid("kind", Code::UnknownSystemKind));
        }
        let owner_unit = match input
            .owner_unit
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(u) => self
                .profile
                .unit(u)
                .map(|u| u.id.clone())
                .ok_or(AppError::invalid("owner_unit", Code::UnknownUnit))?,
            None => self.profile.directorate().id.clone(),
        };
        if !(1..=3).contains(&input.criticality) {
            return Err(AppError::invalid("criticality", Code::BadCriticality));
        }
        let days = |field: &'static str, v: Option<i64>| -> Result<Option<i64>> {
            match v {
                Some(d) if !(1..=3660).contains(&d) => {
                    Err(AppError::invalid(field, Code::OutOfRange))
                }
                other => Ok(other),
            }
        };
        let technical_owner = match input
            .technical_owner
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(u) => Some(self.user_named("technical_owner", u).await?.id),
            None => None,
        };
        let mut domains = Vec::new();
        if input.domains.len() > 100 {
            return Err(AppError::invalid("domains", Code::TooMany));
        }
        for d in &input.domains {
            let name = text("domains", &d.domain, 253, true)?.to_lowercase();
            if !name.contains('.')
                || name
                    .chars()
                    .any(|c| !(c.is_alphanumeric() || c == '.' || c == '-'))
            {
                return Err(AppError::invalid("domains", Code::BadRequest));
            }
            domains.push((
                name,
                date("domains", d.expires_on.as_deref().unwrap_or(""))?,
            ));
        }
        if input.hosts.len() > 100 {
            return Err(AppError::invalid("hosts", Code::TooMany));
        }
        if domains.len() > 100 {
            return Err(AppError::invalid("domains", Code::TooMany));
        }
        let mut hosts = input.hosts.clone();
        hosts.sort_unstable();
        hosts.dedup();
        domains.sort();
        domains.dedup_by(|a, b| a.0 == b.0);
        let n = NewSystem {
            name,
            kind: kind.to_owned(),
            owner_unit,
            technical_owner,
            supplier: text("supplier", &input.supplier, 200, false)?,
            contract_id: input.contract_id,
            criticality: input.criticality,
            backup_what: lines("backup_what", &input.backup_what, 2000, false)?,
            backup_every_days: days("backup_every_days", input.backup_every_days)?,
            backup_where: text("backup_where", &input.backup_where, 500, false)?,
            restore_every_days: days("restore_every_days", input.restore_every_days)?,
            note: lines("note", &input.note, 4000, false)?,
            hosts,
            domains,
        };
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        if store::assets::system_name_taken(&mut w, &n.name).await? {
            return Err(AppError::invalid("name", Code::NameTaken));
        }
        if let Some(c) = n.contract_id {
            store::assets::contract(&mut w, c)
                .await?
                .ok_or(AppError::invalid("contract_id", Code::NotFound))?;
        }
        for h in &n.hosts {
            store::assets::get(&mut w, *h)
                .await?
                .ok_or(AppError::invalid("hosts", Code::UnknownAsset))?;
        }
        let id = store::assets::insert_system(&mut w, &n, actor.id).await?;
        w.commit(Audit::new(
            &grant,
            "system.created",
            format!("system:{id}"),
            serde_json::json!({"name": n.name, "kind": n.kind, "criticality": n.criticality}),
        ))
        .await?;
        self.system(actor, id).await
    }

    pub async fn systems(&self, reader: &User) -> Result<Vec<SystemView>> {
        self.may_read_assets(reader).await?;
        let today = domain::local::date(now());
        Ok(store::assets::systems(&mut self.read().await?)
            .await?
            .into_iter()
            .map(|s| self.system_view(s, today))
            .collect())
    }

    pub async fn system(&self, reader: &User, id: i64) -> Result<SystemDetail> {
        self.may_read_assets(reader).await?;
        let officer = self.is_asset_officer(reader).await?;
        let today = domain::local::date(now());
        let mut c = self.read().await?;
        let s = store::assets::system(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let contract = match s.contract_id {
            Some(k) => store::assets::contract(&mut c, k)
                .await?
                .map(|k| Self::contract_view(k, today)),
            None => None,
        };
        let hosts = store::assets::system_hosts(&mut c, id)
            .await?
            .into_iter()
            .map(|a| self.asset_view(a, Some(reader), officer))
            .collect();
        let domains = store::assets::system_domains(&mut c, id)
            .await?
            .into_iter()
            .map(|(domain, expires_on)| DomainView { domain, expires_on })
            .collect();
        let runs = store::assets::runs(&mut c, id)
            .await?
            .into_iter()
            .map(|r| RunView {
                id: r.id,
                kind: r.kind,
                date: r.ran_on,
                by_name: r.by_name,
                result: r.result,
                duration_minutes: r.duration_minutes,
                note: r.note,
                evidence: r.evidence_sha256,
            })
            .collect();
        let requests = store::assets::system_requests(&mut c, id)
            .await?
            .into_iter()
            .map(|(id, number, title, state)| SystemRequest {
                id,
                number,
                title,
                state,
            })
            .collect();
        Ok(SystemDetail {
            system: self.system_view(s, today),
            hosts,
            domains,
            contract,
            runs,
            requests,
        })
    }

    /// Records a backup run or a restore test (`kind`: backup or
    /// restore_test): the officer, or the system's technical owner.
    pub async fn record_run(
        &self,
        actor: &User,
        system: i64,
        kind: &'static str,
        input: &RunInput,
    ) -> Result<RunView> {
        let today = domain::local::date(now());
        let ran_on = date("date", input.date.as_deref().unwrap_or(""))?.unwrap_or(today);
        if ran_on > today {
            return Err(AppError::invalid("date", Code::DateInFuture));
        }
        let result = match input.result.trim() {
            r @ ("success" | "failure") => r.to_owned(),
            _ => return Err(AppError::invalid("result", Code::UnknownResult)),
        };
        if input
            .duration_minutes
            .is_some_and(|d| !(0..=100_000).contains(&d))
        {
            return Err(AppError::invalid("duration_minutes", Code::TooMany));
        }
        let evidence = match input
            .evidence
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(h) if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Some(h.to_ascii_lowercase())
            }
            Some(_) => return Err(AppError::invalid("evidence", Code::UnknownAttachment)),
            None => None,
        };
        let note = lines("note", &input.note, 4000, false)?;
        if let Some(h) = &evidence {
            // Only a file the recorder may read (his own upload or one on a
            // record he sees): knowing a hash opens nothing.
            if !self.may_read_blob(actor, h).await? {
                return Err(AppError::invalid("evidence", Code::UnknownAttachment));
            }
        }
        let mut w = self.write().await?;
        let s = store::assets::system(&mut w, system)
            .await?
            .ok_or(AppError::NotFound)?;
        let grant = match self.grant(&mut w, actor, Authority::ManageAssets).await {
            Ok(g) => g,
            // The system's technical owner records its backups himself.
            Err(_) if s.technical_owner_id == Some(actor.id) => Grant::own_account(actor),
            Err(e) => return Err(e),
        };
        let id = store::assets::insert_run(
            &mut w,
            system,
            &NewRun {
                kind,
                ran_on,
                result: result.clone(),
                duration_minutes: input.duration_minutes,
                note: note.clone(),
                evidence_sha256: evidence.clone(),
            },
            actor.id,
        )
        .await?;
        w.commit(Audit::new(
            &grant,
            if kind == "backup" {
                "system.backup_recorded"
            } else {
                "system.restore_tested"
            },
            format!("system:{system}"),
            serde_json::json!({"run": id, "date": date_tr(ran_on), "result": result}),
        ))
        .await?;
        Ok(RunView {
            id,
            kind: kind.into(),
            date: ran_on,
            by_name: actor.display_name.clone(),
            result,
            duration_minutes: input.duration_minutes,
            note,
            evidence,
        })
    }
}

// ---- Holdings, handover, departure (m.20/1-ç, m.20/1-d) --------------------------

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct HeldView {
    pub kind: HoldingKind,
    pub id: i64,
    pub reference: String,
    pub title: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct HoldingsView {
    pub username: String,
    pub name: String,
    pub items: Vec<HeldView>,
    /// How many of each kind.
    pub counts: std::collections::BTreeMap<String, usize>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "iso_date::option")]
    pub departed_on: Option<Date>,
    /// The handovers made from this person (their Devir Teslim Tutanağı).
    pub handovers: Vec<i64>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ItemInput {
    /// asset, document, letter, request, task, licence_seat, delegation
    pub kind: String,
    pub id: i64,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct HandoverInput {
    /// The leaver's username.
    pub from: String,
    /// The successor's username.
    pub to: String,
    /// What passes; empty: everything he holds.
    pub items: Vec<ItemInput>,
    /// On a death (m.20/1-d): the commission of three, by username, who
    /// sign in his place.
    pub commission: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct HandoverView {
    pub id: i64,
    pub from_name: String,
    pub to_name: String,
    pub commission: String,
    pub items: Vec<HeldView>,
    pub recorded_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: time::OffsetDateTime,
    /// The Devir Teslim Tutanağı.
    pub form: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DepartureInput {
    /// `YYYY-MM-DD`: the last day; the account closes after it.
    pub leaving_on: String,
    /// transfer, retirement, resignation, termination, death, other
    pub reason: String,
    /// The successor's username.
    pub successor: Option<String>,
    /// On a death: the commission of three, by username.
    pub commission: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DepartureView {
    pub id: i64,
    pub username: String,
    pub name: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso_date")]
    pub leaving_on: Date,
    pub reason: LeavingReason,
    pub successor_name: Option<String>,
}

/// A departure refused: what still blocks it, item by item.
#[derive(Debug, Clone)]
pub struct Blocked {
    pub items: Vec<HeldView>,
}

fn held_view(h: Held) -> HeldView {
    HeldView {
        kind: h.kind,
        id: h.id,
        reference: h.reference,
        title: h.title,
    }
}

impl App {
    async fn positions_now(&self, c: &mut impl store::Conn, user: i64) -> Result<Vec<String>> {
        let at = now();
        Ok(store::authority::holdings_of(c, user)
            .await?
            .into_iter()
            .filter(|h| h.period.contains(at))
            .map(|h| h.position)
            .collect())
    }

    /// Who may read a person's holdings: himself, the administrator, the
    /// Taşınır Kayıt Yetkilisi, and whoever records departures.
    async fn may_read_holdings(&self, reader: &User, of: &User) -> Result<()> {
        if reader.id == of.id || reader.is_admin {
            return Ok(());
        }
        let facts = self.facts(&mut self.read().await?, reader.id).await?;
        let at = now();
        let holds =
            |a: Authority| domain::authority::grant(&self.profile, &facts, reader, a, at).is_ok();
        if holds(Authority::ManageAssets) || holds(Authority::RecordDepartures) {
            Ok(())
        } else {
            Err(AppError::forbidden(Authority::RecordDepartures.id()))
        }
    }

    /// What `username` holds: what a departure waits for (m.20/1-ç).
    pub async fn holdings(&self, reader: &User, username: &str) -> Result<HoldingsView> {
        let person = self
            .user_named("username", username)
            .await
            .map_err(|_| AppError::NotFound)?;
        self.may_read_holdings(reader, &person).await?;
        let mut c = self.read().await?;
        let items: Vec<HeldView> = store::assets::holdings(&mut c, person.id, now())
            .await?
            .into_iter()
            .map(held_view)
            .collect();
        let mut counts = std::collections::BTreeMap::new();
        for k in HoldingKind::ALL {
            counts.insert(
                k.code().to_owned(),
                items.iter().filter(|i| i.kind == k).count(),
            );
        }
        Ok(HoldingsView {
            departed_on: store::assets::departed(&mut c, person.id).await?,
            handovers: store::assets::handovers_from(&mut c, person.id).await?,
            username: person.username,
            name: person.display_name,
            items,
            counts,
        })
    }

    async fn commission(&self, names: &[String], leaver: i64) -> Result<(Vec<i64>, String)> {
        let mut ids = Vec::new();
        let mut shown = Vec::new();
        for u in names {
            let user = self.user_named("commission", u).await?;
            if user.id != leaver && !ids.contains(&user.id) {
                ids.push(user.id);
                shown.push(user.display_name);
            }
        }
        Ok((ids, shown.join("; ")))
    }

    /// Hands over what the leaver holds to the successor, in one
    /// transaction, with its Devir Teslim Tutanağı.
    pub async fn hand_over(&self, actor: &User, input: &HandoverInput) -> Result<HandoverView> {
        let from = self.user_named("from", &input.from).await?;
        let to = self.user_named("to", &input.to).await?;
        if from.id == to.id {
            return Err(AppError::invalid("to", Code::SuccessorIsLeaver));
        }
        let mut wanted = Vec::new();
        for i in &input.items {
            let kind = HoldingKind::parse(&i.kind)
                .ok_or(AppError::invalid("items", Code::UnknownHoldingKind))?;
            wanted.push((kind, i.id));
        }
        let (commission_ids, commission) = self.commission(&input.commission, from.id).await?;
        if !input.commission.is_empty() && commission_ids.len() < 3 {
            return Err(AppError::invalid("commission", Code::TooFewMembers));
        }
        let mut w = self.write().await?;
        let grant = self
            .grant(&mut w, actor, Authority::RecordDepartures)
            .await?;
        if store::assets::departed(&mut w, to.id).await?.is_some() {
            return Err(AppError::invalid("to", Code::AlreadyDeparted));
        }
        // The successor must be one of the institution's people.
        if self.positions_now(&mut w, to.id).await?.is_empty() {
            return Err(AppError::invalid("to", Code::NotStaff));
        }
        let at = w.at();
        let held = store::assets::holdings(&mut w, from.id, at).await?;
        let chosen: Vec<Held> = if wanted.is_empty() {
            held
        } else {
            let mut out = Vec::new();
            for (kind, id) in &wanted {
                let h = held
                    .iter()
                    .find(|h| h.kind == *kind && h.id == *id)
                    .ok_or(AppError::invalid("items", Code::NotTheirs))?;
                if !out.contains(h) {
                    out.push(h.clone());
                }
            }
            out
        };
        if chosen.is_empty() {
            return Err(AppError::invalid("items", Code::Required));
        }
        for h in &chosen {
            match h.kind {
                HoldingKind::Asset => {
                    store::assets::end_custody(&mut w, h.id, actor.id, "handed_over", "").await?;
                    store::assets::give(&mut w, h.id, Some(to.id), None, actor.id, "Devir teslim")
                        .await?;
                }
                HoldingKind::Document => store::assets::move_routing(&mut w, h.id, to.id).await?,
                HoldingKind::Letter => {
                    store::assets::move_letter(&mut w, h.id, from.id, to.id).await?
                }
                HoldingKind::Request => store::assets::move_request(&mut w, h.id, to.id).await?,
                HoldingKind::Task => store::assets::move_task(&mut w, h.id, from.id, to.id).await?,
                HoldingKind::LicenceSeat => store::assets::move_seat(&mut w, h.id, to.id).await?,
                HoldingKind::Delegation => {
                    store::assets::revoke_delegation(&mut w, h.id, actor.id).await?
                }
            }
        }
        let id =
            store::assets::insert_handover(&mut w, from.id, to.id, &commission, &chosen, actor.id)
                .await?;
        w.commit(Audit::new(
            &grant,
            "person.handed_over",
            format!("user:{}", from.username),
            serde_json::json!({"handover": id, "to": to.username, "items": chosen.iter().map(|h| format!("{}:{}", h.kind.code(), h.reference)).collect::<Vec<_>>(), "commission": commission}),
        ))
        .await?;
        self.handover(actor, id).await
    }

    pub async fn handover(&self, reader: &User, id: i64) -> Result<HandoverView> {
        let h = store::assets::handover(&mut self.read().await?, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let from = store::accounts::user_by_id(&mut self.read().await?, h.from_user).await?;
        let to = store::accounts::user_by_id(&mut self.read().await?, h.to_user).await?;
        if reader.id != to.id {
            self.may_read_holdings(reader, &from).await?;
        }
        Ok(HandoverView {
            id: h.id,
            form: format!("/api/v1/handovers/{}/form.pdf", h.id),
            from_name: h.from_name,
            to_name: h.to_name,
            commission: h.commission,
            items: h.items.into_iter().map(held_view).collect(),
            recorded_by_name: h.recorded_by_name,
            recorded_at: h.recorded_at,
        })
    }

    /// The Devir Teslim Tutanağı, as PDF.
    pub async fn handover_form(&self, reader: &User, id: i64) -> Result<Vec<u8>> {
        let h = self.handover(reader, id).await?;
        let heading = self.heading_lines().await?;
        let io = |e: std::io::Error| AppError::Internal(e.into());
        let mut pdf = PdfWriter::new(Vec::new(), A4, &format!("Devir Teslim Tutanağı {}", h.id))
            .map_err(io)?;
        let (w, m) = (A4.0, 50.0);
        let mut p = pdf.page();
        let mut y = p.heading(w / 2.0, 55.0, &heading) + 10.0;
        p.text_center(w / 2.0, y, 14.0, true, "DEVİR TESLİM TUTANAĞI");
        y += 22.0;
        let intro = format!(
            "Bilgi İşlem Müdürlüğü Yönetmeliği m.20/1-ç uyarınca, {} üzerinde bulunan ve aşağıda sayılan evrak, taşınır ve işler {} tarihinde {} adlı personele devredilmiştir.",
            h.from_name,
            time_tr(h.recorded_at),
            h.to_name
        );
        for line in wrap(&intro, 10.0, w - 2.0 * m) {
            p.text(m, y, 10.0, false, &line);
            y += 13.0;
        }
        y += 12.0;
        let kind_tr = |k: HoldingKind| match k {
            HoldingKind::Asset => "Taşınır",
            HoldingKind::Document => "Evrak",
            HoldingKind::Letter => "Yazı",
            HoldingKind::Request => "Talep",
            HoldingKind::Task => "Görev",
            HoldingKind::LicenceSeat => "Lisans",
            HoldingKind::Delegation => "Yetki devri / vekalet (sona erdirildi)",
        };
        let cols = [
            (m, "Sıra"),
            (m + 30.0, "Türü"),
            (m + 150.0, "Numarası"),
            (m + 270.0, "Açıklama"),
        ];
        p.table_header(m, w - m, y, &cols);
        y += 16.0;
        for (i, it) in h.items.iter().enumerate() {
            if y > A4.1 - 180.0 {
                pdf.add(p).map_err(io)?;
                p = pdf.page();
                y = 60.0;
                p.table_header(m, w - m, y, &cols);
                y += 16.0;
            }
            p.text(m, y, 9.0, false, &(i + 1).to_string());
            p.text(m + 30.0, y, 9.0, false, &fit(kind_tr(it.kind), 9.0, 115.0));
            p.text(m + 150.0, y, 9.0, false, &fit(&it.reference, 9.0, 115.0));
            for line in wrap(&it.title, 9.0, w - m - (m + 270.0)) {
                p.text(m + 270.0, y, 9.0, false, &line);
                y += 12.0;
            }
            y += 2.0;
        }
        p.line(m - 4.0, y, w - m + 4.0, y, 0.5);
        y += 36.0;
        if h.commission.is_empty() {
            p.signatures(
                m,
                w / 2.0 + 10.0,
                w - m,
                y,
                ("Devreden", &h.from_name),
                ("Devralan", &h.to_name),
            );
        } else {
            // m.20/1-d: on a death, the commission signs in his place.
            p.text(m, y, 10.0, true, "Komisyon (m.20/1-d)");
            p.text(w / 2.0 + 10.0, y, 10.0, true, "Devralan");
            let mut yy = y + 15.0;
            for member in h.commission.split("; ") {
                p.text(m, yy, 10.0, false, member);
                p.text(m, yy + 28.0, 9.0, false, "İmza:");
                p.line(m + 30.0, yy + 30.0, w / 2.0 - 20.0, yy + 30.0, 0.4);
                yy += 45.0;
            }
            p.text(w / 2.0 + 10.0, y + 15.0, 10.0, false, &h.to_name);
            p.text(w / 2.0 + 10.0, y + 55.0, 9.0, false, "İmza:");
            p.line(w / 2.0 + 40.0, y + 57.0, w - m, y + 57.0, 0.4);
        }
        p.text(
            m,
            A4.1 - 40.0,
            7.5,
            false,
            &format!(
                "Tutanak no: DT-{:06}. Kaydeden: {}. Mudurluk.",
                h.id, h.recorded_by_name
            ),
        );
        pdf.add(p).map_err(io)?;
        pdf.finish().map_err(io)
    }

    /// Records a departure (m.20/1-ç): refused while anything is held,
    /// with the list of what blocks it.
    pub async fn depart(
        &self,
        actor: &User,
        username: &str,
        input: &DepartureInput,
    ) -> std::result::Result<DepartureView, DepartureError> {
        let person = self
            .user_named("username", username)
            .await
            .map_err(|_| AppError::NotFound)?;
        let leaving_on = date("leaving_on", &input.leaving_on)?
            .ok_or(AppError::invalid("leaving_on", Code::Required))?;
        let today = domain::local::date(now());
        // A late record of an old departure, or one planned within a year.
        if (today - leaving_on).whole_days() > 3660 || (leaving_on - today).whole_days() > 366 {
            return Err(AppError::invalid("leaving_on", Code::OutOfRange).into());
        }
        let reason = LeavingReason::parse(&input.reason)
            .ok_or(AppError::invalid("reason", Code::UnknownLeavingReason))?;
        let successor = match input
            .successor
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(u) => Some(self.user_named("successor", u).await?),
            None => None,
        };
        let (commission_ids, commission) = self.commission(&input.commission, person.id).await?;
        let mut w = self.write().await?;
        let grant = self
            .grant(&mut w, actor, Authority::RecordDepartures)
            .await?;
        if store::assets::departed(&mut w, person.id).await?.is_some() {
            return Err(AppError::Conflict(Code::AlreadyDeparted).into());
        }
        let at = w.at();
        let held = store::assets::holdings(&mut w, person.id, at).await?;
        let counts: Vec<(HoldingKind, usize)> = HoldingKind::ALL
            .iter()
            .map(|k| (*k, held.iter().filter(|h| h.kind == *k).count()))
            .collect();
        match rules::depart(
            person.id,
            successor.as_ref().map(|s| s.id),
            reason,
            &commission_ids,
            &counts,
        ) {
            Ok(()) => {}
            Err(rules::DepartureRefusal::Holds(_)) => {
                return Err(DepartureError::Blocked(Blocked {
                    items: held.into_iter().map(held_view).collect(),
                }))
            }
            Err(rules::DepartureRefusal::SuccessorIsLeaver) => {
                return Err(AppError::invalid("successor", Code::SuccessorIsLeaver).into())
            }
            Err(rules::DepartureRefusal::CommissionRequired) => {
                return Err(AppError::invalid("commission", Code::TooFewMembers).into())
            }
        }
        let id = store::assets::insert_departure(
            &mut w,
            person.id,
            leaving_on,
            reason.code(),
            successor.as_ref().map(|s| s.id),
            &commission,
            actor.id,
        )
        .await?;
        // His appointments end on the leaving day; what he did stays his.
        if let Some(staff) = store::staff::of_user(&mut w, person.id).await? {
            for a in store::staff::appointments(&mut w, staff).await? {
                if a.end_date.is_none_or(|e| e > leaving_on) {
                    if leaving_on >= a.start_date {
                        store::staff::end_appointment(&mut w, a.id, leaving_on).await?;
                    } else {
                        store::staff::delete_appointment(&mut w, a.id).await?;
                    }
                }
            }
        }
        if leaving_on < domain::local::date(w.at()) {
            store::accounts::end_sessions_of(&mut w, person.id, "").await?;
        }
        w.commit(Audit::new(
            &grant,
            "person.departed",
            format!("user:{}", person.username),
            serde_json::json!({"leaving_on": date_tr(leaving_on), "reason": reason.code(), "successor": successor.as_ref().map(|s| s.username.clone()), "commission": commission}),
        ))
        .await?;
        Ok(DepartureView {
            id,
            username: person.username,
            name: person.display_name,
            leaving_on,
            reason,
            successor_name: successor.map(|s| s.display_name),
        })
    }
}

/// A departure refused by its rule (with what blocks it) or as any use-case is.
#[derive(Debug)]
pub enum DepartureError {
    Blocked(Blocked),
    App(AppError),
}

impl From<AppError> for DepartureError {
    fn from(e: AppError) -> Self {
        DepartureError::App(e)
    }
}

impl From<store::StoreError> for DepartureError {
    fn from(e: store::StoreError) -> Self {
        DepartureError::App(e.into())
    }
}

// ---- Import and export (CSV, XLSX) ---------------------------------------------------

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    Csv,
    Xlsx,
}

/// A row refused, as a spreadsheet numbers it (the header is row 1).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub row: usize,
    pub field: String,
    pub code: String,
}

/// What an import found and did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Data rows read.
    pub rows: usize,
    /// Rows without a fault.
    pub valid: usize,
    /// Each fault, row by row; a real run with any writes nothing.
    pub errors: Vec<RowError>,
    /// Assets entered (0 on a dry run or with errors).
    pub imported: usize,
    pub first_tag: Option<String>,
    pub last_tag: Option<String>,
}

/// The columns a sheet may have, by their Turkish or English heading.
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "tasinir_code",
        &[
            "tasinir_code",
            "taşınır kodu",
            "tasinir kodu",
            "kod",
            "code",
        ],
    ),
    ("name", &["name", "adı", "adi", "ad", "taşınır adı"]),
    (
        "serial",
        &["serial", "seri no", "seri numarası", "serial no"],
    ),
    ("brand", &["brand", "marka"]),
    ("model", &["model"]),
    (
        "acquired_on",
        &[
            "acquired_on",
            "edinme tarihi",
            "giriş tarihi",
            "acquired on",
        ],
    ),
    (
        "price",
        &["price", "değer", "değeri", "bedel", "tutar", "value"],
    ),
    (
        "warranty_until",
        &["warranty_until", "garanti bitişi", "garanti", "warranty"],
    ),
    ("location", &["location", "yer", "bulunduğu yer", "konum"]),
];

/// Up to this many rows in one file.
pub const IMPORT_MAX_ROWS: usize = 100_000;

/// Columns read; any to the right are ignored.
const SHEET_MAX_COLUMNS: usize = 64;

/// An Excel serial day number (1900 system) as a date.
fn excel_date(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = time::Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
    base.checked_add(time::Duration::days(serial.floor() as i64))
}

/// A cell as text for its column: dates become `YYYY-MM-DD` (a text
/// `03.11.2026` too), numbers plain.
fn cell_text(column: &str, c: &calamine::Data) -> String {
    use calamine::Data;
    let date_column = matches!(column, "acquired_on" | "warranty_until");
    match c {
        Data::Empty => String::new(),
        Data::String(s) => {
            let s = s.trim();
            // 03.11.2026 as people type it.
            if date_column {
                let parts: Vec<&str> = s.split('.').collect();
                if let [d, m, y] = parts.as_slice() {
                    if y.len() == 4 && d.len() <= 2 && m.len() <= 2 {
                        return format!("{y}-{m:0>2}-{d:0>2}");
                    }
                }
            }
            s.to_owned()
        }
        Data::Float(f) if date_column => excel_date(*f)
            .map(|d| d.to_string())
            .unwrap_or_else(|| f.to_string()),
        Data::Int(i) if date_column => excel_date(*i as f64)
            .map(|d| d.to_string())
            .unwrap_or_else(|| i.to_string()),
        Data::DateTime(d) => excel_date(d.as_f64())
            .map(|d| d.to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) => "#HATA".into(),
    }
}

/// The rows of a sheet as (column, text) pairs, by the header's names.
fn sheet_rows(kind: SheetKind, bytes: &[u8]) -> Result<Vec<Vec<(&'static str, String)>>> {
    let bad = || AppError::invalid("file", Code::BadRequest);
    let table: Vec<Vec<calamine::Data>> = match kind {
        SheetKind::Xlsx => {
            use calamine::Reader;
            let mut wb: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|_| bad())?;
            let name = wb.sheet_names().first().cloned().ok_or_else(bad)?;
            // Cell by cell: a sheet naming a far cell (XFD1048576) would
            // otherwise be built as a dense range of billions of cells.
            let mut cells = wb.worksheet_cells_reader(&name).map_err(|_| bad())?;
            let mut table: Vec<Vec<calamine::Data>> = Vec::new();
            while let Some(cell) = cells.next_cell().map_err(|_| bad())? {
                let (r, c) = cell.get_position();
                let (r, c) = (r as usize, c as usize);
                if c >= SHEET_MAX_COLUMNS {
                    continue;
                }
                if r > IMPORT_MAX_ROWS + 1 {
                    return Err(AppError::invalid("file", Code::TooMany));
                }
                if table.len() <= r {
                    table.resize_with(r + 1, Vec::new);
                }
                let row = &mut table[r];
                if row.len() <= c {
                    row.resize(c + 1, calamine::Data::Empty);
                }
                row[c] = cell.get_value().clone().into();
            }
            table
        }
        SheetKind::Csv => {
            let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
                .map_err(|_| bad())?;
            // Excel in Turkish writes `;`.
            let first = text.lines().next().unwrap_or("");
            let delim = if first.matches(';').count() > first.matches(',').count() {
                b';'
            } else {
                b','
            };
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .delimiter(delim)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut out = Vec::new();
            for rec in r.records() {
                let rec = rec.map_err(|_| bad())?;
                out.push(
                    rec.iter()
                        .map(|c| calamine::Data::String(c.to_owned()))
                        .collect(),
                );
            }
            out
        }
    };
    let mut rows = table.into_iter();
    let header = rows
        .next()
        .ok_or_else(|| AppError::invalid("file", Code::Required))?;
    let mut map = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let name = domain::turkish::to_lower(cell_text("", h).trim());
        if let Some((col, _)) = COLUMNS
            .iter()
            .find(|(_, names)| names.iter().any(|n| *n == name))
        {
            map.push((i, *col));
        }
    }
    if !map.iter().any(|(_, c)| *c == "tasinir_code") || !map.iter().any(|(_, c)| *c == "name") {
        return Err(AppError::invalid("file", Code::MissingColumns));
    }
    let mut out = Vec::new();
    for r in rows {
        let cells: Vec<(&'static str, String)> = map
            .iter()
            .map(|(i, col)| {
                (
                    *col,
                    r.get(*i).map(|c| cell_text(col, c)).unwrap_or_default(),
                )
            })
            .collect();
        if cells.iter().all(|(_, v)| v.trim().is_empty()) {
            continue;
        }
        out.push(cells);
        if out.len() > IMPORT_MAX_ROWS {
            return Err(AppError::invalid("file", Code::TooMany));
        }
    }
    Ok(out)
}

impl App {
    /// Imports assets from a sheet (the Taşınır Kayıt Yetkilisi): every row
    /// is checked; a dry run reports each bad row and why; a real run with
    /// any bad row writes nothing, and without one writes all in one
    /// transaction.
    pub async fn import_assets(
        &self,
        actor: &User,
        kind: SheetKind,
        bytes: &[u8],
        dry_run: bool,
    ) -> Result<ImportReport> {
        // Who may not import learns it before the file is read.
        if !self.is_asset_officer(actor).await? {
            return Err(AppError::forbidden(Authority::ManageAssets.id()));
        }
        // Read off the runtime's threads; a sheet that makes the reader
        // panic is an unreadable file, not a failure of the server.
        let owned = bytes.to_vec();
        let rows = match tokio::task::spawn_blocking(move || {
            std::panic::catch_unwind(|| sheet_rows(kind, &owned))
        })
        .await
        {
            Ok(Ok(r)) => r?,
            _ => return Err(AppError::invalid("file", Code::BadRequest)),
        };
        let mut errors = Vec::new();
        let mut assets = Vec::with_capacity(rows.len());
        let mut rows_of = Vec::with_capacity(rows.len());
        let mut serials: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        for (i, cells) in rows.iter().enumerate() {
            let row = i + 2;
            let get = |c: &str| cells.iter().find(|(k, _)| *k == c).map(|(_, v)| v.clone());
            let input = NewAssetInput {
                tasinir_code: get("tasinir_code").unwrap_or_default(),
                name: get("name").unwrap_or_default(),
                serial: get("serial"),
                brand: get("brand"),
                model: get("model"),
                acquired_on: get("acquired_on"),
                price: get("price").map(serde_json::Value::String),
                warranty_until: get("warranty_until"),
                location: get("location"),
                quantity: None,
            };
            match self.check_asset(&input, false) {
                Ok(n) => {
                    if !n.serial.is_empty() {
                        if let Some(first) = serials.insert(n.serial.clone(), row) {
                            let _ = first;
                            errors.push(RowError {
                                row,
                                field: "serial".into(),
                                code: Code::DuplicateSerial.as_str().into(),
                            });
                            continue;
                        }
                    }
                    assets.push(n);
                    rows_of.push(row);
                }
                Err(AppError::Invalid { field, code }) => errors.push(RowError {
                    row,
                    field: field.into(),
                    code: code.as_str().into(),
                }),
                Err(e) => return Err(e),
            }
        }
        let all: Vec<String> = assets
            .iter()
            .filter(|a| !a.serial.is_empty())
            .map(|a| a.serial.clone())
            .collect();
        let taken = store::assets::serials_taken(&mut self.read().await?, &all).await?;
        if !taken.is_empty() {
            let taken: std::collections::HashSet<String> = taken.into_iter().collect();
            for (a, row) in assets.iter().zip(&rows_of) {
                if taken.contains(&a.serial) {
                    errors.push(RowError {
                        row: *row,
                        field: "serial".into(),
                        code: Code::DuplicateSerial.as_str().into(),
                    });
                }
            }
        }
        errors.sort_by_key(|e| e.row);
        let valid = rows.len()
            - errors
                .iter()
                .map(|e| e.row)
                .collect::<std::collections::HashSet<_>>()
                .len();
        let mut report = ImportReport {
            dry_run,
            rows: rows.len(),
            valid,
            errors,
            imported: 0,
            first_tag: None,
            last_tag: None,
        };
        if dry_run || !report.errors.is_empty() || assets.is_empty() {
            return Ok(report);
        }
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        // Checked again under the lock: an asset entered meanwhile.
        if !store::assets::serials_taken(&mut w, &all).await?.is_empty() {
            return Err(AppError::invalid("serial", Code::DuplicateSerial));
        }
        let tags = store::assets::insert_many(&mut w, &assets, actor.id).await?;
        w.commit(Audit::new(
            &grant,
            "asset.imported",
            "assets",
            serde_json::json!({"rows": tags.len(), "first": tags.first(), "last": tags.last()}),
        ))
        .await?;
        report.imported = tags.len();
        report.first_tag = tags.first().cloned();
        report.last_tag = tags.last().cloned();
        Ok(report)
    }

    /// Every asset as CSV (`;`-separated, as Excel in Turkish reads it) or
    /// XLSX, with the import's headings.
    pub async fn export_assets(&self, reader: &User, kind: SheetKind) -> Result<Vec<u8>> {
        self.may_read_assets(reader).await?;
        let mut rows: Vec<[String; 12]> = Vec::new();
        let list = CodeList::shipped();
        store::assets::each(&mut self.read().await?, |a| {
            let holder = a
                .holder_name
                .clone()
                .or(a.holder_place.clone())
                .unwrap_or_default();
            rows.push([
                a.tag,
                a.tasinir_code.clone(),
                list.get(&a.tasinir_code)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                a.name,
                a.serial,
                a.brand,
                a.model,
                a.acquired_on.map(|d| d.to_string()).unwrap_or_default(),
                a.price
                    .map(|p| format!("{}.{:02}", p / 100, p % 100))
                    .unwrap_or_default(),
                a.warranty_until.map(|d| d.to_string()).unwrap_or_default(),
                a.location,
                format!("{} {holder}", a.state.code()).trim().to_owned(),
            ]);
            Ok(())
        })
        .await?;
        let header = [
            "Sicil no",
            "Taşınır kodu",
            "Kod adı",
            "Adı",
            "Seri no",
            "Marka",
            "Model",
            "Edinme tarihi",
            "Değer",
            "Garanti bitişi",
            "Yer",
            "Durum / zimmetli",
        ];
        match kind {
            SheetKind::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .delimiter(b';')
                    .from_writer(b"\xEF\xBB\xBF".to_vec());
                w.write_record(header)
                    .map_err(|e| AppError::Internal(e.into()))?;
                // A cell a spreadsheet would take for a formula is written
                // as text (OWASP CSV injection): a leading apostrophe.
                let safe = |v: &String| {
                    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                        format!("'{v}")
                    } else {
                        v.clone()
                    }
                };
                for r in &rows {
                    w.write_record(r.iter().map(safe))
                        .map_err(|e| AppError::Internal(e.into()))?;
                }
                w.into_inner()
                    .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))
            }
            SheetKind::Xlsx => {
                let mut book = rust_xlsxwriter::Workbook::new();
                let sheet = book.add_worksheet();
                let xe = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.into());
                sheet.set_name("Taşınırlar").map_err(xe)?;
                let bold = rust_xlsxwriter::Format::new().set_bold();
                for (c, h) in header.iter().enumerate() {
                    sheet
                        .write_string_with_format(0, c as u16, *h, &bold)
                        .map_err(xe)?;
                }
                for (i, r) in rows.iter().enumerate() {
                    for (c, v) in r.iter().enumerate() {
                        sheet.write_string(i as u32 + 1, c as u16, v).map_err(xe)?;
                    }
                }
                book.save_to_buffer().map_err(xe)
            }
        }
    }
}

fn custody_view(k: store::assets::Custody) -> CustodyView {
    CustodyView {
        id: k.id,
        asset_id: k.asset_id,
        holder: HolderView {
            username: k.holder_username,
            name: k.holder_name,
            place: k.holder_place,
        },
        given_at: k.given_at,
        given_by_name: k.given_by_name,
        note: k.note,
        ended_at: k.ended_at,
        ended_by_name: k.ended_by_name,
        ended_kind: k.ended_kind,
        end_note: k.end_note,
        form: format!("/api/v1/assets/{}/custody/{}/form.pdf", k.asset_id, k.id),
    }
}
