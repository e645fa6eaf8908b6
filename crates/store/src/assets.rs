//! Movable assets (taşınır), their receipts (Taşınır İşlem Fişi), custody
//! (Zimmet Fişi) and disposal; licences and their seats; contracts; the
//! systems catalogue with its backups; handovers and departures
//! (m.20/1-ç). The rules are `domain::asset`'s.

use domain::asset::{AssetState, HoldingKind};
use time::{Date, OffsetDateTime};

use crate::db::{query, Conn, Row};
use crate::{Result, StoreError, Write};

// ---- Assets ----------------------------------------------------------------

#[derive(Debug, Clone, Default)]
pub struct NewAsset {
    pub tasinir_code: String,
    pub name: String,
    pub serial: String,
    pub brand: String,
    pub model: String,
    pub acquired_on: Option<Date>,
    pub price: Option<i64>,
    pub warranty_until: Option<Date>,
    pub location: String,
    pub receipt_id: Option<i64>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Asset {
    pub id: i64,
    pub tag: String,
    pub tasinir_code: String,
    pub name: String,
    pub serial: String,
    pub brand: String,
    pub model: String,
    pub acquired_on: Option<Date>,
    pub price: Option<i64>,
    pub warranty_until: Option<Date>,
    pub location: String,
    pub state: AssetState,
    pub holder_user_id: Option<i64>,
    pub holder_username: Option<String>,
    pub holder_name: Option<String>,
    pub holder_place: Option<String>,
    pub custody_id: Option<i64>,
    pub receipt_id: Option<i64>,
    pub receipt_number: Option<String>,
    pub disposal_id: Option<i64>,
    pub created_at: OffsetDateTime,
}

const ASSET_COLS: &str = "a.id, a.tag, a.tasinir_code, a.name, a.serial, a.brand, a.model, a.acquired_on, a.price, a.warranty_until, a.location,
    a.state, a.holder_user_id, hu.username AS holder_username, hu.display_name AS holder_name, a.holder_place, a.custody_id, a.receipt_id,
    r.number AS receipt_number, a.disposal_id, a.created_at";
const ASSET_FROM: &str = "assets a LEFT JOIN users hu ON hu.id = a.holder_user_id LEFT JOIN asset_receipts r ON r.id = a.receipt_id";

fn asset_from(r: &Row) -> Result<Asset> {
    let state: String = r.get("state")?;
    Ok(Asset {
        id: r.get("id")?,
        tag: r.get("tag")?,
        tasinir_code: r.get("tasinir_code")?,
        name: r.get("name")?,
        serial: r.get("serial")?,
        brand: r.get("brand")?,
        model: r.get("model")?,
        acquired_on: r.get("acquired_on")?,
        price: r.get("price")?,
        warranty_until: r.get("warranty_until")?,
        location: r.get("location")?,
        state: AssetState::parse(&state)
            .ok_or_else(|| StoreError::Internal(anyhow::anyhow!("unknown asset state {state}")))?,
        holder_user_id: r.get("holder_user_id")?,
        holder_username: r.get("holder_username")?,
        holder_name: r.get("holder_name")?,
        holder_place: r.get("holder_place")?,
        custody_id: r.get("custody_id")?,
        receipt_id: r.get("receipt_id")?,
        receipt_number: r.get("receipt_number")?,
        disposal_id: r.get("disposal_id")?,
        created_at: r.get("created_at")?,
    })
}

/// Whether a serial number is already on an asset.
pub async fn serial_taken(c: &mut impl Conn, serial: &str) -> Result<bool> {
    Ok(
        query("SELECT id FROM assets WHERE serial = $1 AND serial <> ''")
            .bind(serial)
            .scalar_opt::<i64>(c)
            .await?
            .is_some(),
    )
}

/// Inserts an asset in the warehouse; its tag is the code and the code's
/// next number (`255.02.01.01.02-17`).
pub async fn insert(w: &mut Write, n: &NewAsset, by: i64) -> Result<(i64, String)> {
    let at = w.at();
    let seq: i64 = query(
        "INSERT INTO asset_counters (code, last) VALUES ($1, 1)
         ON CONFLICT (code) DO UPDATE SET last = asset_counters.last + 1 RETURNING last",
    )
    .bind(&n.tasinir_code)
    .scalar(&mut *w)
    .await?;
    let tag = format!("{}-{seq}", n.tasinir_code);
    let id: i64 = query(
        "INSERT INTO assets (tag, tasinir_code, name, serial, brand, model, acquired_on, price, warranty_until, location, state, receipt_id, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'in_stock', $11, $12, $13, $13) RETURNING id",
    )
    .bind(&tag)
    .bind(&n.tasinir_code)
    .bind(&n.name)
    .bind(&n.serial)
    .bind(&n.brand)
    .bind(&n.model)
    .bind(n.acquired_on)
    .bind(n.price)
    .bind(n.warranty_until)
    .bind(&n.location)
    .bind(n.receipt_id)
    .bind(by)
    .bind(at)
    .scalar(&mut *w)
    .await?;
    Ok((id, tag))
}

/// Of `serials`, those already on an asset.
pub async fn serials_taken(c: &mut impl Conn, serials: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for chunk in serials.chunks(500) {
        let mut q = query("SELECT serial FROM assets WHERE serial IN ");
        q.push_list(chunk.iter().cloned());
        out.extend(q.scalars::<String>(&mut *c).await?);
    }
    Ok(out)
}

/// Inserts many assets at once (an import): each code's numbers are taken
/// in one step, the rows written 200 at a time. Their tags, in order.
pub async fn insert_many(w: &mut Write, assets: &[NewAsset], by: i64) -> Result<Vec<String>> {
    let at = w.at();
    let mut counts: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    for a in assets {
        *counts.entry(a.tasinir_code.as_str()).or_default() += 1;
    }
    let mut next: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for (code, n) in counts {
        let last: i64 = query(
            "INSERT INTO asset_counters (code, last) VALUES ($1, $2)
             ON CONFLICT (code) DO UPDATE SET last = asset_counters.last + $2 RETURNING last",
        )
        .bind(code)
        .bind(n)
        .scalar(&mut *w)
        .await?;
        next.insert(code.to_owned(), last - n + 1);
    }
    let mut tags = Vec::with_capacity(assets.len());
    for a in assets {
        let seq = next.get_mut(&a.tasinir_code).expect("counted above");
        tags.push(format!("{}-{seq}", a.tasinir_code));
        *seq += 1;
    }
    for (chunk, chunk_tags) in assets.chunks(200).zip(tags.chunks(200)) {
        let mut q = query("INSERT INTO assets (tag, tasinir_code, name, serial, brand, model, acquired_on, price, warranty_until, location, state, receipt_id, created_by, created_at, updated_at) ");
        q.push_values(chunk.iter().zip(chunk_tags), |row, (a, tag)| {
            row.bind(tag.clone())
                .bind(a.tasinir_code.clone())
                .bind(a.name.clone())
                .bind(a.serial.clone())
                .bind(a.brand.clone())
                .bind(a.model.clone())
                .bind(a.acquired_on)
                .bind(a.price)
                .bind(a.warranty_until)
                .bind(a.location.clone())
                .bind("in_stock")
                .bind(a.receipt_id)
                .bind(by)
                .bind(at)
                .bind(at);
        });
        q.execute(&mut *w).await?;
    }
    Ok(tags)
}

/// Every asset (the export), in tag order of entry, row by row.
pub async fn each(c: &mut impl Conn, mut f: impl FnMut(Asset) -> Result<()> + Send) -> Result<u64> {
    query(format!(
        "SELECT {ASSET_COLS} FROM {ASSET_FROM} ORDER BY a.id"
    ))
    .for_each(c, |r| f(asset_from(&r)?))
    .await
}

pub async fn get(c: &mut impl Conn, id: i64) -> Result<Option<Asset>> {
    query(format!(
        "SELECT {ASSET_COLS} FROM {ASSET_FROM} WHERE a.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?
    .map(|r| asset_from(&r))
    .transpose()
}

pub async fn by_tag(c: &mut impl Conn, tag: &str) -> Result<Option<Asset>> {
    query(format!(
        "SELECT {ASSET_COLS} FROM {ASSET_FROM} WHERE a.tag = $1"
    ))
    .bind(tag.trim())
    .fetch_optional(c)
    .await?
    .map(|r| asset_from(&r))
    .transpose()
}

/// The filters of the asset list; each one an indexed range.
#[derive(Debug, Clone, Default)]
pub struct AssetFilter {
    /// A code or a group's prefix (`255.02` lists every computer).
    pub code: Option<String>,
    /// The code is a leaf of the code list: no asset has a code under it,
    /// so it is matched exactly (one index range, in id order).
    pub code_is_leaf: bool,
    /// Where it stands (exact).
    pub location: Option<String>,
    /// The place that holds it (exact).
    pub place: Option<String>,
    pub holder: Option<i64>,
    pub state: Option<AssetState>,
    /// Newest first, before this id (the next page).
    pub before: Option<i64>,
}

/// A page of assets, newest first.
pub async fn list(c: &mut impl Conn, f: &AssetFilter, limit: i64) -> Result<Vec<Asset>> {
    let sqlite = c.engine() == crate::Engine::Sqlite;
    // PostgreSQL, filters one index answers with the ids in order (a
    // state, a leaf code with or without a state, a holder, a place, a
    // location): the newest ids come off that index alone, then their
    // rows. Left to itself it walks the primary key back and reads every
    // row until enough match, as if each value were spread evenly over
    // time; after a receipt of thirty thousand assets, all in the
    // warehouse, that was thirty thousand rows read for a list of fifty.
    let set = [
        f.code.is_some(),
        f.location.is_some(),
        f.place.is_some(),
        f.holder.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    let indexed = !sqlite
        && ((set == 0 && f.state.is_some())
            || (set == 1 && f.code.is_some() && f.code_is_leaf)
            || (set == 1 && f.state.is_none() && (f.code.is_none() || f.code_is_leaf)));
    let mut q = query(format!("SELECT {ASSET_COLS} FROM {ASSET_FROM} WHERE 1 = 1"));
    let t = if indexed {
        q.push(" AND a.id IN (SELECT k.id FROM assets k WHERE 1 = 1");
        "k"
    } else {
        "a"
    };
    if let (Some(code), true) = (&f.code, f.code_is_leaf) {
        q.push(&format!(" AND {t}.tasinir_code = "))
            .push_bind(code.clone());
    } else if let Some(code) = &f.code {
        // The code itself and everything under it. On SQLite the range is
        // kept off the code index (`+`): sorting a whole group (every
        // computer) to list its newest fifty costs a hundred milliseconds,
        // walking the newest assets back until fifty match costs at most a
        // scan; the other filters' indexes stay usable. PostgreSQL plans
        // it well as it is.
        let col = if sqlite {
            "+a.tasinir_code"
        } else {
            "a.tasinir_code"
        };
        q.push(&format!(" AND {col} >= ")).push_bind(code.clone());
        q.push(&format!(" AND {col} < "))
            .push_bind(format!("{code}/"));
        q.push(&format!(" AND ({col} = "))
            .push_bind(code.clone())
            .push(&format!(" OR {col} LIKE "))
            .push_bind(format!("{code}.%"))
            .push(")");
    }
    if let Some(l) = &f.location {
        q.push(&format!(" AND {t}.location = "))
            .push_bind(l.clone());
    }
    if let Some(p) = &f.place {
        q.push(&format!(" AND {t}.holder_place = "))
            .push_bind(p.clone());
    }
    if let Some(h) = f.holder {
        q.push(&format!(" AND {t}.holder_user_id = ")).push_bind(h);
    }
    if let Some(s) = f.state {
        q.push(&format!(" AND {t}.state = ")).push_bind(s.code());
    }
    if let Some(b) = f.before {
        q.push(&format!(" AND {t}.id < ")).push_bind(b);
    }
    if indexed {
        q.push(" ORDER BY k.id DESC LIMIT ")
            .push_bind(limit)
            .push(")");
    }
    q.push(" ORDER BY a.id DESC LIMIT ").push_bind(limit);
    q.fetch_all(c).await?.iter().map(asset_from).collect()
}

/// What a person holds in custody, in order of entry: id, tag and name
/// only, off the holder's covering index. On SQLite as one JSON array
/// built by the engine (its driver hands rows over one by one, which made
/// a departure's list of a thousand cost 20 ms); PostgreSQL sends rows in
/// bulk, and its JSON was slower.
pub async fn held_by(c: &mut impl Conn, user: i64) -> Result<Vec<(i64, String, String)>> {
    if c.engine() == crate::Engine::Sqlite {
        let text: String = query(
            "SELECT COALESCE(json_group_array(json_array(id, tag, name)), '[]') FROM
               (SELECT id, tag, name FROM assets WHERE holder_user_id = $1 ORDER BY id)",
        )
        .bind(user)
        .scalar(c)
        .await?;
        let mut out: Vec<(i64, String, String)> = serde_json::from_str(&text)
            .map_err(|e| crate::StoreError::Internal(anyhow::anyhow!("holdings of {user}: {e}")))?;
        out.sort_by_key(|h| h.0);
        return Ok(out);
    }
    let mut out = Vec::new();
    query("SELECT id, tag, name FROM assets WHERE holder_user_id = $1 ORDER BY id")
        .bind(user)
        .for_each(c, |r| {
            out.push((r.get("id")?, r.get("tag")?, r.get("name")?));
            Ok(())
        })
        .await?;
    Ok(out)
}

/// The places that hold or house assets (the filter's choices).
pub async fn places(c: &mut impl Conn) -> Result<Vec<String>> {
    query("SELECT DISTINCT location AS p FROM assets WHERE location <> '' UNION SELECT DISTINCT holder_place AS p FROM assets WHERE holder_place IS NOT NULL ORDER BY p LIMIT 500")
        .scalars(c)
        .await
}

// ---- Receipts (Taşınır İşlem Fişi) -------------------------------------------

#[derive(Debug, Clone)]
pub struct NewReceipt {
    pub supplier: String,
    pub invoice_no: String,
    pub invoice_date: Option<Date>,
    pub received_on: Date,
    pub note: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Receipt {
    pub id: i64,
    pub number: String,
    pub supplier: String,
    pub invoice_no: String,
    pub invoice_date: Option<Date>,
    pub received_on: Date,
    pub note: String,
    pub created_by_name: String,
    pub created_at: OffsetDateTime,
}

pub async fn insert_receipt(w: &mut Write, n: &NewReceipt, by: i64) -> Result<(i64, String)> {
    let at = w.at();
    let year = n.received_on.year() as i64;
    let seq: i64 = query("SELECT COALESCE(MAX(seq), 0) + 1 FROM asset_receipts WHERE year = $1")
        .bind(year)
        .scalar(&mut *w)
        .await?;
    let number = format!("{year}/{seq:05}");
    let id: i64 = query(
        "INSERT INTO asset_receipts (year, seq, number, supplier, invoice_no, invoice_date, received_on, note, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(year)
    .bind(seq)
    .bind(&number)
    .bind(&n.supplier)
    .bind(&n.invoice_no)
    .bind(n.invoice_date)
    .bind(n.received_on)
    .bind(&n.note)
    .bind(by)
    .bind(at)
    .scalar(&mut *w)
    .await?;
    Ok((id, number))
}

pub async fn receipt(c: &mut impl Conn, id: i64) -> Result<Option<(Receipt, Vec<Asset>)>> {
    let Some(r) = query(
        "SELECT r.id, r.number, r.supplier, r.invoice_no, r.invoice_date, r.received_on, r.note, u.display_name AS created_by_name, r.created_at
         FROM asset_receipts r JOIN users u ON u.id = r.created_by WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await?
    else {
        return Ok(None);
    };
    let receipt = Receipt {
        id: r.get("id")?,
        number: r.get("number")?,
        supplier: r.get("supplier")?,
        invoice_no: r.get("invoice_no")?,
        invoice_date: r.get("invoice_date")?,
        received_on: r.get("received_on")?,
        note: r.get("note")?,
        created_by_name: r.get("created_by_name")?,
        created_at: r.get("created_at")?,
    };
    let assets = query(format!(
        "SELECT {ASSET_COLS} FROM {ASSET_FROM} WHERE a.receipt_id = $1 ORDER BY a.id"
    ))
    .bind(id)
    .fetch_all(c)
    .await?
    .iter()
    .map(asset_from)
    .collect::<Result<_>>()?;
    Ok(Some((receipt, assets)))
}

// ---- Custody (Zimmet Fişi) ---------------------------------------------------

#[derive(Debug, Clone, serde::Serialize)]
pub struct Custody {
    pub id: i64,
    pub asset_id: i64,
    pub holder_user_id: Option<i64>,
    pub holder_name: Option<String>,
    pub holder_username: Option<String>,
    pub holder_place: Option<String>,
    pub given_at: OffsetDateTime,
    pub given_by_name: String,
    pub note: String,
    pub ended_at: Option<OffsetDateTime>,
    pub ended_by_name: Option<String>,
    pub ended_kind: Option<String>,
    pub end_note: String,
}

const CUSTODY_COLS: &str = "k.id, k.asset_id, k.holder_user_id, hu.display_name AS holder_name, hu.username AS holder_username, k.holder_place, k.given_at, gb.display_name AS given_by_name,
    k.note, k.ended_at, eb.display_name AS ended_by_name, k.ended_kind, k.end_note";
const CUSTODY_FROM: &str =
    "asset_custody k LEFT JOIN users hu ON hu.id = k.holder_user_id JOIN users gb ON gb.id = k.given_by LEFT JOIN users eb ON eb.id = k.ended_by";

fn custody_from(r: &Row) -> Result<Custody> {
    Ok(Custody {
        id: r.get("id")?,
        asset_id: r.get("asset_id")?,
        holder_user_id: r.get("holder_user_id")?,
        holder_name: r.get("holder_name")?,
        holder_username: r.get("holder_username")?,
        holder_place: r.get("holder_place")?,
        given_at: r.get("given_at")?,
        given_by_name: r.get("given_by_name")?,
        note: r.get("note")?,
        ended_at: r.get("ended_at")?,
        ended_by_name: r.get("ended_by_name")?,
        ended_kind: r.get("ended_kind")?,
        end_note: r.get("end_note")?,
    })
}

/// Gives an asset into custody: a person's (`user`) or a place's.
pub async fn give(
    w: &mut Write,
    asset: i64,
    user: Option<i64>,
    place: Option<&str>,
    by: i64,
    note: &str,
) -> Result<i64> {
    let at = w.at();
    let id: i64 = query(
        "INSERT INTO asset_custody (asset_id, holder_user_id, holder_place, given_at, given_by, note) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(asset)
    .bind(user)
    .bind(place)
    .bind(at)
    .bind(by)
    .bind(note)
    .scalar(&mut *w)
    .await?;
    query("UPDATE assets SET state = 'in_custody', holder_user_id = $2, holder_place = $3, custody_id = $4, updated_at = $5 WHERE id = $1")
        .bind(asset)
        .bind(user)
        .bind(place)
        .bind(id)
        .bind(at)
        .execute(&mut *w)
        .await?;
    Ok(id)
}

/// Ends an asset's current custody (`returned`, `transferred`,
/// `handed_over`); a return puts it back in the warehouse.
pub async fn end_custody(w: &mut Write, asset: i64, by: i64, kind: &str, note: &str) -> Result<()> {
    let at = w.at();
    query("UPDATE asset_custody SET ended_at = $2, ended_by = $3, ended_kind = $4, end_note = $5 WHERE asset_id = $1 AND ended_at IS NULL")
        .bind(asset)
        .bind(at)
        .bind(by)
        .bind(kind)
        .bind(note)
        .execute(&mut *w)
        .await?;
    query("UPDATE assets SET state = 'in_stock', holder_user_id = NULL, holder_place = NULL, custody_id = NULL, updated_at = $2 WHERE id = $1")
        .bind(asset)
        .bind(at)
        .execute(&mut *w)
        .await?;
    Ok(())
}

pub async fn custody(c: &mut impl Conn, id: i64) -> Result<Option<Custody>> {
    query(format!(
        "SELECT {CUSTODY_COLS} FROM {CUSTODY_FROM} WHERE k.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?
    .map(|r| custody_from(&r))
    .transpose()
}

/// An asset's custody history, newest first.
pub async fn custody_history(c: &mut impl Conn, asset: i64) -> Result<Vec<Custody>> {
    query(format!("SELECT {CUSTODY_COLS} FROM {CUSTODY_FROM} WHERE k.asset_id = $1 ORDER BY k.id DESC LIMIT 200"))
        .bind(asset)
        .fetch_all(c)
        .await?
        .iter()
        .map(custody_from)
        .collect()
}

// ---- Disposal ------------------------------------------------------------------

pub async fn dispose(
    w: &mut Write,
    assets: &[i64],
    decision_ref: &str,
    decided_on: Date,
    reason: &str,
    commission: &str,
    by: i64,
) -> Result<i64> {
    let at = w.at();
    let id: i64 = query(
        "INSERT INTO asset_disposals (decision_ref, decided_on, reason, commission, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(decision_ref)
    .bind(decided_on)
    .bind(reason)
    .bind(commission)
    .bind(by)
    .bind(at)
    .scalar(&mut *w)
    .await?;
    for a in assets {
        query(
            "UPDATE assets SET state = 'disposed', disposal_id = $2, updated_at = $3 WHERE id = $1",
        )
        .bind(*a)
        .bind(id)
        .bind(at)
        .execute(&mut *w)
        .await?;
    }
    Ok(id)
}

// ---- Licences --------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NewLicence {
    pub product: String,
    pub kind: String,
    pub seats: i64,
    pub cost: Option<i64>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub supplier: String,
    pub note: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Licence {
    pub id: i64,
    pub product: String,
    pub kind: String,
    pub seats: i64,
    pub assigned: i64,
    pub cost: Option<i64>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub supplier: String,
    pub note: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Seat {
    pub id: i64,
    pub licence_id: i64,
    pub product: String,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub asset_id: Option<i64>,
    pub asset_tag: Option<String>,
    pub assigned_at: OffsetDateTime,
}

const LICENCE_COLS: &str = "l.id, l.product, l.kind, l.seats, l.cost, l.starts_on, l.ends_on, l.supplier, l.note,
    (SELECT COUNT(*) FROM licence_seats s WHERE s.licence_id = l.id AND s.released_at IS NULL) AS assigned";

fn licence_from(r: &Row) -> Result<Licence> {
    Ok(Licence {
        id: r.get("id")?,
        product: r.get("product")?,
        kind: r.get("kind")?,
        seats: r.get("seats")?,
        assigned: r.get("assigned")?,
        cost: r.get("cost")?,
        starts_on: r.get("starts_on")?,
        ends_on: r.get("ends_on")?,
        supplier: r.get("supplier")?,
        note: r.get("note")?,
    })
}

pub async fn insert_licence(w: &mut Write, n: &NewLicence, by: i64) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO licences (product, kind, seats, cost, starts_on, ends_on, supplier, note, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(&n.product)
    .bind(&n.kind)
    .bind(n.seats)
    .bind(n.cost)
    .bind(n.starts_on)
    .bind(n.ends_on)
    .bind(&n.supplier)
    .bind(&n.note)
    .bind(by)
    .bind(at)
    .scalar(w)
    .await
}

pub async fn licence(c: &mut impl Conn, id: i64) -> Result<Option<Licence>> {
    query(format!(
        "SELECT {LICENCE_COLS} FROM licences l WHERE l.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?
    .map(|r| licence_from(&r))
    .transpose()
}

pub async fn licences(c: &mut impl Conn) -> Result<Vec<Licence>> {
    query(format!("SELECT {LICENCE_COLS} FROM licences l ORDER BY l.ends_on IS NULL, l.ends_on, l.id LIMIT 2000")).fetch_all(c).await?.iter().map(licence_from).collect()
}

const SEAT_COLS: &str = "s.id, s.licence_id, l.product, s.user_id, u.display_name AS user_name, s.asset_id, a.tag AS asset_tag, s.assigned_at";
const SEAT_FROM: &str = "licence_seats s JOIN licences l ON l.id = s.licence_id LEFT JOIN users u ON u.id = s.user_id LEFT JOIN assets a ON a.id = s.asset_id";

fn seat_from(r: &Row) -> Result<Seat> {
    Ok(Seat {
        id: r.get("id")?,
        licence_id: r.get("licence_id")?,
        product: r.get("product")?,
        user_id: r.get("user_id")?,
        user_name: r.get("user_name")?,
        asset_id: r.get("asset_id")?,
        asset_tag: r.get("asset_tag")?,
        assigned_at: r.get("assigned_at")?,
    })
}

pub async fn assign_seat(
    w: &mut Write,
    licence: i64,
    user: Option<i64>,
    asset: Option<i64>,
    by: i64,
) -> Result<i64> {
    let at = w.at();
    query("INSERT INTO licence_seats (licence_id, user_id, asset_id, assigned_at, assigned_by) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(licence)
        .bind(user)
        .bind(asset)
        .bind(at)
        .bind(by)
        .scalar(w)
        .await
}

pub async fn release_seat(w: &mut Write, seat: i64) -> Result<u64> {
    let at = w.at();
    query("UPDATE licence_seats SET released_at = $2 WHERE id = $1 AND released_at IS NULL")
        .bind(seat)
        .bind(at)
        .execute(w)
        .await
}

pub async fn seats_of_licence(c: &mut impl Conn, licence: i64) -> Result<Vec<Seat>> {
    query(format!("SELECT {SEAT_COLS} FROM {SEAT_FROM} WHERE s.licence_id = $1 AND s.released_at IS NULL ORDER BY s.id"))
        .bind(licence)
        .fetch_all(c)
        .await?
        .iter()
        .map(seat_from)
        .collect()
}

pub async fn seats_of_user(c: &mut impl Conn, user: i64) -> Result<Vec<Seat>> {
    query(format!("SELECT {SEAT_COLS} FROM {SEAT_FROM} WHERE s.user_id = $1 AND s.released_at IS NULL ORDER BY s.id"))
        .bind(user)
        .fetch_all(c)
        .await?
        .iter()
        .map(seat_from)
        .collect()
}

pub async fn seat(c: &mut impl Conn, id: i64) -> Result<Option<Seat>> {
    query(format!(
        "SELECT {SEAT_COLS} FROM {SEAT_FROM} WHERE s.id = $1 AND s.released_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?
    .map(|r| seat_from(&r))
    .transpose()
}

/// Moves a seat to another person (a handover).
pub async fn move_seat(w: &mut Write, seat: i64, to: i64) -> Result<()> {
    query("UPDATE licence_seats SET user_id = $2 WHERE id = $1")
        .bind(seat)
        .bind(to)
        .execute(w)
        .await?;
    Ok(())
}

// ---- Contracts -------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NewContract {
    pub supplier: String,
    pub scope: String,
    pub starts_on: Option<Date>,
    pub ends_on: Date,
    pub cost: Option<i64>,
    pub note: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Contract {
    pub id: i64,
    pub supplier: String,
    pub scope: String,
    pub starts_on: Option<Date>,
    pub ends_on: Date,
    pub cost: Option<i64>,
    pub note: String,
}

fn contract_from(r: &Row) -> Result<Contract> {
    Ok(Contract {
        id: r.get("id")?,
        supplier: r.get("supplier")?,
        scope: r.get("scope")?,
        starts_on: r.get("starts_on")?,
        ends_on: r.get("ends_on")?,
        cost: r.get("cost")?,
        note: r.get("note")?,
    })
}

pub async fn insert_contract(w: &mut Write, n: &NewContract, by: i64) -> Result<i64> {
    let at = w.at();
    query("INSERT INTO contracts (supplier, scope, starts_on, ends_on, cost, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(&n.supplier)
        .bind(&n.scope)
        .bind(n.starts_on)
        .bind(n.ends_on)
        .bind(n.cost)
        .bind(&n.note)
        .bind(by)
        .bind(at)
        .scalar(w)
        .await
}

pub async fn contracts(c: &mut impl Conn) -> Result<Vec<Contract>> {
    query("SELECT id, supplier, scope, starts_on, ends_on, cost, note FROM contracts ORDER BY ends_on, id LIMIT 2000").fetch_all(c).await?.iter().map(contract_from).collect()
}

pub async fn contract(c: &mut impl Conn, id: i64) -> Result<Option<Contract>> {
    query("SELECT id, supplier, scope, starts_on, ends_on, cost, note FROM contracts WHERE id = $1")
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| contract_from(&r))
        .transpose()
}

/// End dates that fall on or before `until` and not before `since`: the
/// alerts (licences, contracts, warranties, domains), soonest first:
/// (kind, id, what, end).
pub async fn ending(
    c: &mut impl Conn,
    since: Date,
    until: Date,
) -> Result<Vec<(String, i64, String, Date)>> {
    let rows = query(
        "SELECT 'licence' AS kind, id, product AS what, ends_on AS ends FROM licences WHERE ends_on >= $1 AND ends_on <= $2
         UNION ALL SELECT 'contract', id, supplier || ' — ' || scope, ends_on FROM contracts WHERE ends_on >= $1 AND ends_on <= $2
         UNION ALL SELECT 'warranty', id, tag || ' ' || name, warranty_until FROM assets WHERE warranty_until >= $1 AND warranty_until <= $2 AND state <> 'disposed'
         UNION ALL SELECT 'domain', system_id, domain, expires_on FROM system_domains WHERE expires_on >= $1 AND expires_on <= $2
         ORDER BY ends LIMIT 500",
    )
    .bind(since)
    .bind(until)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| Ok((r.get("kind")?, r.get("id")?, r.get("what")?, r.get("ends")?)))
        .collect()
}

// ---- Systems and backups -------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NewSystem {
    pub name: String,
    pub kind: String,
    pub owner_unit: String,
    pub technical_owner: Option<i64>,
    pub supplier: String,
    pub contract_id: Option<i64>,
    pub criticality: i64,
    pub backup_what: String,
    pub backup_every_days: Option<i64>,
    pub backup_where: String,
    pub restore_every_days: Option<i64>,
    pub note: String,
    pub hosts: Vec<i64>,
    /// (domain, expires on)
    pub domains: Vec<(String, Option<Date>)>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct System {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub owner_unit: String,
    pub technical_owner_id: Option<i64>,
    pub technical_owner_name: Option<String>,
    pub supplier: String,
    pub contract_id: Option<i64>,
    pub criticality: i64,
    pub backup_what: String,
    pub backup_every_days: Option<i64>,
    pub backup_where: String,
    pub restore_every_days: Option<i64>,
    pub note: String,
    pub last_backup: Option<Date>,
    pub last_restore_ok: Option<Date>,
}

const SYSTEM_COLS: &str = "s.id, s.name, s.kind, s.owner_unit, s.technical_owner_id, u.display_name AS technical_owner_name, s.supplier, s.contract_id,
    s.criticality, s.backup_what, s.backup_every_days, s.backup_where, s.restore_every_days, s.note,
    (SELECT MAX(b.ran_on) FROM backup_runs b WHERE b.system_id = s.id AND b.kind = 'backup' AND b.result = 'success') AS last_backup,
    (SELECT MAX(b.ran_on) FROM backup_runs b WHERE b.system_id = s.id AND b.kind = 'restore_test' AND b.result = 'success') AS last_restore_ok";

fn system_from(r: &Row) -> Result<System> {
    Ok(System {
        id: r.get("id")?,
        name: r.get("name")?,
        kind: r.get("kind")?,
        owner_unit: r.get("owner_unit")?,
        technical_owner_id: r.get("technical_owner_id")?,
        technical_owner_name: r.get("technical_owner_name")?,
        supplier: r.get("supplier")?,
        contract_id: r.get("contract_id")?,
        criticality: r.get("criticality")?,
        backup_what: r.get("backup_what")?,
        backup_every_days: r.get("backup_every_days")?,
        backup_where: r.get("backup_where")?,
        restore_every_days: r.get("restore_every_days")?,
        note: r.get("note")?,
        last_backup: r.get("last_backup")?,
        last_restore_ok: r.get("last_restore_ok")?,
    })
}

pub async fn system_name_taken(c: &mut impl Conn, name: &str) -> Result<bool> {
    Ok(query("SELECT id FROM systems WHERE name = $1")
        .bind(name)
        .scalar_opt::<i64>(c)
        .await?
        .is_some())
}

pub async fn insert_system(w: &mut Write, n: &NewSystem, by: i64) -> Result<i64> {
    let at = w.at();
    let id: i64 = query(
        "INSERT INTO systems (name, kind, owner_unit, technical_owner_id, supplier, contract_id, criticality, backup_what, backup_every_days, backup_where,
             restore_every_days, note, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(&n.name)
    .bind(&n.kind)
    .bind(&n.owner_unit)
    .bind(n.technical_owner)
    .bind(&n.supplier)
    .bind(n.contract_id)
    .bind(n.criticality)
    .bind(&n.backup_what)
    .bind(n.backup_every_days)
    .bind(&n.backup_where)
    .bind(n.restore_every_days)
    .bind(&n.note)
    .bind(by)
    .bind(at)
    .scalar(&mut *w)
    .await?;
    for h in &n.hosts {
        query("INSERT INTO system_hosts (system_id, asset_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*h)
            .execute(&mut *w)
            .await?;
    }
    for (d, e) in &n.domains {
        query("INSERT INTO system_domains (system_id, domain, expires_on) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(d)
            .bind(*e)
            .execute(&mut *w)
            .await?;
    }
    Ok(id)
}

pub async fn system(c: &mut impl Conn, id: i64) -> Result<Option<System>> {
    query(format!("SELECT {SYSTEM_COLS} FROM systems s LEFT JOIN users u ON u.id = s.technical_owner_id WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| system_from(&r))
        .transpose()
}

pub async fn systems(c: &mut impl Conn) -> Result<Vec<System>> {
    query(format!("SELECT {SYSTEM_COLS} FROM systems s LEFT JOIN users u ON u.id = s.technical_owner_id ORDER BY s.criticality DESC, s.name LIMIT 1000"))
        .fetch_all(c)
        .await?
        .iter()
        .map(system_from)
        .collect()
}

pub async fn system_hosts(c: &mut impl Conn, system: i64) -> Result<Vec<Asset>> {
    query(format!("SELECT {ASSET_COLS} FROM {ASSET_FROM} JOIN system_hosts h ON h.asset_id = a.id WHERE h.system_id = $1 ORDER BY a.tag"))
        .bind(system)
        .fetch_all(c)
        .await?
        .iter()
        .map(asset_from)
        .collect()
}

pub async fn system_domains(c: &mut impl Conn, system: i64) -> Result<Vec<(String, Option<Date>)>> {
    let rows =
        query("SELECT domain, expires_on FROM system_domains WHERE system_id = $1 ORDER BY domain")
            .bind(system)
            .fetch_all(c)
            .await?;
    rows.iter()
        .map(|r| Ok((r.get("domain")?, r.get("expires_on")?)))
        .collect()
}

#[derive(Debug, Clone)]
pub struct NewRun {
    pub kind: &'static str,
    pub ran_on: Date,
    pub result: String,
    pub duration_minutes: Option<i64>,
    pub note: String,
    pub evidence_sha256: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Run {
    pub id: i64,
    pub kind: String,
    pub ran_on: Date,
    pub by_name: String,
    pub result: String,
    pub duration_minutes: Option<i64>,
    pub note: String,
    pub evidence_sha256: Option<String>,
}

pub async fn insert_run(w: &mut Write, system: i64, n: &NewRun, by: i64) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO backup_runs (system_id, kind, ran_on, by_user, result, duration_minutes, note, evidence_sha256, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(system)
    .bind(n.kind)
    .bind(n.ran_on)
    .bind(by)
    .bind(&n.result)
    .bind(n.duration_minutes)
    .bind(&n.note)
    .bind(n.evidence_sha256.clone())
    .bind(at)
    .scalar(w)
    .await
}

pub async fn runs(c: &mut impl Conn, system: i64) -> Result<Vec<Run>> {
    let rows = query(
        "SELECT b.id, b.kind, b.ran_on, u.display_name AS by_name, b.result, b.duration_minutes, b.note, b.evidence_sha256
         FROM backup_runs b JOIN users u ON u.id = b.by_user WHERE b.system_id = $1 ORDER BY b.ran_on DESC, b.id DESC LIMIT 100",
    )
    .bind(system)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Run {
                id: r.get("id")?,
                kind: r.get("kind")?,
                ran_on: r.get("ran_on")?,
                by_name: r.get("by_name")?,
                result: r.get("result")?,
                duration_minutes: r.get("duration_minutes")?,
                note: r.get("note")?,
                evidence_sha256: r.get("evidence_sha256")?,
            })
        })
        .collect()
}

/// Open requests that name a system: (id, number, title, state).
pub async fn system_requests(
    c: &mut impl Conn,
    system: i64,
) -> Result<Vec<(i64, String, String, String)>> {
    let rows = query("SELECT id, number, title, state FROM requests WHERE system_id = $1 AND state NOT IN ('resolved', 'closed') ORDER BY id DESC LIMIT 100")
        .bind(system)
        .fetch_all(c)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.get("id")?,
                r.get("number")?,
                r.get("title")?,
                r.get("state")?,
            ))
        })
        .collect()
}

// ---- What a person holds (m.20/1-ç) --------------------------------------------

/// One thing a person holds: its kind, its id, and what to call it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Held {
    pub kind: HoldingKind,
    pub id: i64,
    /// The tag, the number, the product…
    pub reference: String,
    pub title: String,
}

/// Everything that blocks `user`'s departure, by kind.
pub async fn holdings(c: &mut impl Conn, user: i64, at: OffsetDateTime) -> Result<Vec<Held>> {
    let mut out = Vec::new();
    for (id, tag, name) in held_by(&mut *c, user).await? {
        out.push(Held {
            kind: HoldingKind::Asset,
            id,
            reference: tag,
            title: name,
        });
    }
    // The rest in one round trip, each kind in its own branch:
    // 1. documents routed to him and still open (in his tray, taken into
    //    custody or not);
    // 2. his letters not finished (draft, in the chain, returned to him).
    //    A letter waiting on a post's initial or signature waits for the
    //    post, whoever holds it next: it does not stop him leaving;
    // 3. requests and 4. tasks assigned to him and not finished;
    // 5. licence seats;
    // 6. delegations and 7. deputyships he gave or holds, still in force.
    for r in query(
        "SELECT CAST(1 AS BIGINT) AS k, r.id AS id, i.number AS ref, i.subject AS title, CAST(NULL AS TEXT) AS a, CAST(NULL AS TEXT) AS b,
                i.confidentiality AS conf, CAST(CASE WHEN i.personal_data THEN 1 ELSE 0 END AS BIGINT) AS pd
           FROM routings r JOIN incoming i ON i.id = r.incoming_id WHERE r.open AND r.to_user = $1
         UNION ALL
         SELECT CAST(2 AS BIGINT), o.id, NULL, o.subject, NULL, NULL, NULL, NULL
           FROM outgoing o WHERE o.writer = $1 AND o.state IN ('draft', 'in_approval', 'returned')
         UNION ALL
         SELECT CAST(3 AS BIGINT), q.id, q.number, q.title, NULL, NULL, NULL, NULL
           FROM requests q WHERE q.assignee_id = $1 AND q.state NOT IN ('resolved', 'closed')
         UNION ALL
         SELECT CAST(4 AS BIGINT), t.id, NULL, t.title, NULL, NULL, NULL, NULL
           FROM tasks t JOIN task_assignees ta ON ta.task_id = t.id WHERE ta.user_id = $1 AND t.state IN ('given', 'accepted', 'done')
         UNION ALL
         SELECT CAST(5 AS BIGINT), s.id, CAST(s.licence_id AS TEXT), l.product, NULL, NULL, NULL, NULL
           FROM licence_seats s JOIN licences l ON l.id = s.licence_id WHERE s.user_id = $1 AND s.released_at IS NULL
         UNION ALL
         SELECT CAST(6 AS BIGINT), d.id, NULL, d.authority, f.display_name, u.display_name, NULL, NULL
           FROM delegations d JOIN users f ON f.id = d.from_user JOIN users u ON u.id = d.to_user
          WHERE (d.from_user = $1 OR d.to_user = $1) AND d.revoked_at IS NULL AND d.valid_until > $2
         UNION ALL
         SELECT CAST(7 AS BIGINT), d.id, NULL, NULL, f.display_name, u.display_name, NULL, NULL
           FROM deputyships d JOIN users f ON f.id = d.for_user JOIN users u ON u.id = d.deputy
          WHERE (d.for_user = $1 OR d.deputy = $1) AND d.revoked_at IS NULL AND d.valid_until > $2
         ORDER BY k, id",
    )
    .bind(user)
    .bind(at)
    .fetch_all(&mut *c)
    .await?
    {
        let id: i64 = r.get("id")?;
        let text = |col: &str| -> Result<String> { Ok(r.get::<Option<String>>(col)?.unwrap_or_default()) };
        let held = match r.get::<i64>("k")? {
            1 => {
                let restricted = domain::incoming::is_restricted(&text("conf")?, r.get::<i64>("pd")? != 0);
                Held {
                    kind: HoldingKind::Document,
                    id,
                    reference: text("ref")?,
                    title: if restricted { "(gizli / kişisel veri içeren evrak)".into() } else { text("title")? },
                }
            }
            2 => Held { kind: HoldingKind::Letter, id, reference: format!("#{id}"), title: text("title")? },
            3 => Held { kind: HoldingKind::Request, id, reference: text("ref")?, title: text("title")? },
            4 => Held { kind: HoldingKind::Task, id, reference: format!("#{id}"), title: text("title")? },
            5 => Held { kind: HoldingKind::LicenceSeat, id, reference: format!("#{}", text("ref")?), title: text("title")? },
            6 => Held {
                kind: HoldingKind::Delegation,
                id,
                reference: format!("D{id}"),
                title: format!("{}: {} → {}", text("title")?, text("a")?, text("b")?),
            },
            // Deputyships share the kind with delegations; their ids are
            // kept apart by a negative sign.
            _ => Held {
                kind: HoldingKind::Delegation,
                id: -id,
                reference: format!("V{id}"),
                title: format!("vekalet: {} ← {}", text("b")?, text("a")?),
            },
        };
        out.push(held);
    }
    Ok(out)
}

/// Moves an open routing to another person (a handover): he takes the
/// document into his custody himself.
pub async fn move_routing(w: &mut Write, routing: i64, to: i64) -> Result<()> {
    query(
        "UPDATE routings SET to_user = $2, delivered_at = NULL, delivered_by = NULL WHERE id = $1",
    )
    .bind(routing)
    .bind(to)
    .execute(w)
    .await?;
    Ok(())
}

/// Passes an unfinished letter to another writer (a handover).
pub async fn move_letter(w: &mut Write, letter: i64, from: i64, to: i64) -> Result<()> {
    let at = w.at();
    query("UPDATE outgoing SET writer = $3, updated_at = $4 WHERE id = $1 AND writer = $2")
        .bind(letter)
        .bind(from)
        .bind(to)
        .bind(at)
        .execute(w)
        .await?;
    Ok(())
}

/// Moves an open request to another assignee (a handover).
pub async fn move_request(w: &mut Write, request: i64, to: i64) -> Result<()> {
    let at = w.at();
    query("UPDATE requests SET assignee_id = $2, updated_at = $3 WHERE id = $1")
        .bind(request)
        .bind(to)
        .bind(at)
        .execute(w)
        .await?;
    Ok(())
}

/// Moves a task's assignment to another person (a handover); he has to
/// accept it again.
pub async fn move_task(w: &mut Write, task: i64, from: i64, to: i64) -> Result<()> {
    let already: Option<i64> =
        query("SELECT user_id FROM task_assignees WHERE task_id = $1 AND user_id = $2")
            .bind(task)
            .bind(to)
            .scalar_opt(&mut *w)
            .await?;
    if already.is_some() {
        query("DELETE FROM task_assignees WHERE task_id = $1 AND user_id = $2")
            .bind(task)
            .bind(from)
            .execute(&mut *w)
            .await?;
    } else {
        query("UPDATE task_assignees SET user_id = $3, accepted_at = NULL WHERE task_id = $1 AND user_id = $2").bind(task).bind(from).bind(to).execute(&mut *w).await?;
    }
    Ok(())
}

/// Revokes a delegation (positive id) or a deputyship (negative id).
pub async fn revoke_delegation(w: &mut Write, id: i64, by: i64) -> Result<()> {
    let at = w.at();
    let table = if id > 0 { "delegations" } else { "deputyships" };
    query(format!(
        "UPDATE {table} SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL"
    ))
    .bind(id.abs())
    .bind(at)
    .bind(by)
    .execute(w)
    .await?;
    Ok(())
}

// ---- Handovers and departures ---------------------------------------------------

#[derive(Debug, Clone, serde::Serialize)]
pub struct Handover {
    pub id: i64,
    pub from_user: i64,
    pub from_name: String,
    pub to_user: i64,
    pub to_name: String,
    pub commission: String,
    pub items: Vec<Held>,
    pub recorded_by_name: String,
    pub recorded_at: OffsetDateTime,
}

pub async fn insert_handover(
    w: &mut Write,
    from: i64,
    to: i64,
    commission: &str,
    items: &[Held],
    by: i64,
) -> Result<i64> {
    let at = w.at();
    let items = serde_json::to_string(items).map_err(|e| StoreError::Internal(e.into()))?;
    query("INSERT INTO handovers (from_user, to_user, commission, items, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(from)
        .bind(to)
        .bind(commission)
        .bind(items)
        .bind(by)
        .bind(at)
        .scalar(w)
        .await
}

#[derive(serde::Deserialize)]
struct HeldRow {
    kind: HoldingKind,
    id: i64,
    reference: String,
    title: String,
}

pub async fn handover(c: &mut impl Conn, id: i64) -> Result<Option<Handover>> {
    let Some(r) = query(
        "SELECT h.id, h.from_user, f.display_name AS from_name, h.to_user, t.display_name AS to_name, h.commission, h.items, rb.display_name AS recorded_by_name, h.recorded_at
         FROM handovers h JOIN users f ON f.id = h.from_user JOIN users t ON t.id = h.to_user JOIN users rb ON rb.id = h.recorded_by WHERE h.id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?
    else {
        return Ok(None);
    };
    let items: String = r.get("items")?;
    let items: Vec<HeldRow> =
        serde_json::from_str(&items).map_err(|e| StoreError::Internal(e.into()))?;
    Ok(Some(Handover {
        id: r.get("id")?,
        from_user: r.get("from_user")?,
        from_name: r.get("from_name")?,
        to_user: r.get("to_user")?,
        to_name: r.get("to_name")?,
        commission: r.get("commission")?,
        items: items
            .into_iter()
            .map(|h| Held {
                kind: h.kind,
                id: h.id,
                reference: h.reference,
                title: h.title,
            })
            .collect(),
        recorded_by_name: r.get("recorded_by_name")?,
        recorded_at: r.get("recorded_at")?,
    }))
}

pub async fn handovers_from(c: &mut impl Conn, user: i64) -> Result<Vec<i64>> {
    query("SELECT id FROM handovers WHERE from_user = $1 ORDER BY id")
        .bind(user)
        .scalars(c)
        .await
}

pub async fn departed(c: &mut impl Conn, user: i64) -> Result<Option<Date>> {
    query("SELECT leaving_on FROM departures WHERE user_id = $1")
        .bind(user)
        .scalar_opt(c)
        .await
}

pub async fn insert_departure(
    w: &mut Write,
    user: i64,
    leaving_on: Date,
    reason: &str,
    successor: Option<i64>,
    commission: &str,
    by: i64,
) -> Result<i64> {
    let at = w.at();
    let id: i64 = query(
        "INSERT INTO departures (user_id, leaving_on, reason, successor_id, commission, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(user)
    .bind(leaving_on)
    .bind(reason)
    .bind(successor)
    .bind(commission)
    .bind(by)
    .bind(at)
    .scalar(&mut *w)
    .await?;
    query("UPDATE users SET closed_on = $2 WHERE id = $1")
        .bind(user)
        .bind(leaving_on)
        .execute(&mut *w)
        .await?;
    Ok(id)
}

// ---- Counting (sayım, TMY m.32) ----------------------------------------------------

#[derive(Debug, Clone, serde::Serialize)]
pub struct Count {
    pub id: i64,
    pub place: String,
    pub year: i64,
    pub note: String,
    pub started_by_name: String,
    pub started_at: OffsetDateTime,
    pub closed_by_name: Option<String>,
    pub closed_at: Option<OffsetDateTime>,
}

const COUNT_COLS: &str = "n.id, n.place, n.year, n.note, su.display_name AS started_by_name, n.started_at, cu.display_name AS closed_by_name, n.closed_at";
const COUNT_FROM: &str =
    "asset_counts n JOIN users su ON su.id = n.started_by LEFT JOIN users cu ON cu.id = n.closed_by";

fn count_from(r: &Row) -> Result<Count> {
    Ok(Count {
        id: r.get("id")?,
        place: r.get("place")?,
        year: r.get("year")?,
        note: r.get("note")?,
        started_by_name: r.get("started_by_name")?,
        started_at: r.get("started_at")?,
        closed_by_name: r.get("closed_by_name")?,
        closed_at: r.get("closed_at")?,
    })
}

/// A line of a count: the asset as it stands, whether it was expected at
/// the place, and who counted it when.
#[derive(Debug, Clone)]
pub struct CountLine {
    pub asset: Asset,
    pub expected: bool,
    pub counted_by_name: Option<String>,
    pub counted_at: Option<OffsetDateTime>,
}

/// The open count of a place, if one is.
pub async fn open_count_at(c: &mut impl Conn, place: &str) -> Result<Option<i64>> {
    query("SELECT id FROM asset_counts WHERE place = $1 AND closed_at IS NULL")
        .bind(place)
        .scalar_opt(c)
        .await
}

/// Begins a count: the board, and as expected every asset not written off
/// that stands at the place or is held by it. Returns its id.
pub async fn insert_count(
    w: &mut Write,
    place: &str,
    year: i64,
    note: &str,
    members: &[i64],
    by: i64,
) -> Result<i64> {
    let at = w.at();
    let id: i64 = query("INSERT INTO asset_counts (place, year, note, started_by, started_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(place)
        .bind(year)
        .bind(note)
        .bind(by)
        .bind(at)
        .scalar(&mut *w)
        .await?;
    for m in members {
        query("INSERT INTO asset_count_members (count_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*m)
            .execute(&mut *w)
            .await?;
    }
    query("INSERT INTO asset_count_lines (count_id, asset_id, expected) SELECT $1, id, TRUE FROM assets WHERE state <> 'disposed' AND (location = $2 OR holder_place = $2)")
        .bind(id)
        .bind(place)
        .execute(&mut *w)
        .await?;
    Ok(id)
}

pub async fn count(c: &mut impl Conn, id: i64) -> Result<Option<Count>> {
    query(format!(
        "SELECT {COUNT_COLS} FROM {COUNT_FROM} WHERE n.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?
    .map(|r| count_from(&r))
    .transpose()
}

/// The counts, newest first.
pub async fn counts(c: &mut impl Conn) -> Result<Vec<Count>> {
    query(format!(
        "SELECT {COUNT_COLS} FROM {COUNT_FROM} ORDER BY n.id DESC LIMIT 200"
    ))
    .fetch_all(c)
    .await?
    .iter()
    .map(count_from)
    .collect()
}

/// The board: each member's id and name.
pub async fn count_members(c: &mut impl Conn, id: i64) -> Result<Vec<(i64, String)>> {
    query("SELECT u.id, u.display_name FROM asset_count_members m JOIN users u ON u.id = m.user_id WHERE m.count_id = $1 ORDER BY u.display_name")
        .bind(id)
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| Ok((r.get("id")?, r.get("display_name")?)))
        .collect()
}

/// Every line of a count, by tag.
pub async fn count_lines(c: &mut impl Conn, id: i64) -> Result<Vec<CountLine>> {
    query(format!("SELECT {ASSET_COLS}, l.expected, l.counted_at, ku.display_name AS counted_by_name FROM {ASSET_FROM} JOIN asset_count_lines l ON l.asset_id = a.id LEFT JOIN users ku ON ku.id = l.counted_by WHERE l.count_id = $1 ORDER BY a.tag"))
        .bind(id)
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            Ok(CountLine {
                asset: asset_from(r)?,
                expected: r.get("expected")?,
                counted_at: r.get("counted_at")?,
                counted_by_name: r.get("counted_by_name")?,
            })
        })
        .collect()
}

/// Whether the asset is on the count, and whether it was counted.
pub async fn count_line(c: &mut impl Conn, id: i64, asset: i64) -> Result<Option<(bool, bool)>> {
    query("SELECT expected, counted_at IS NOT NULL AS counted FROM asset_count_lines WHERE count_id = $1 AND asset_id = $2")
        .bind(id)
        .bind(asset)
        .fetch_optional(c)
        .await?
        .map(|r| Ok((r.get("expected")?, r.get("counted")?)))
        .transpose()
}

/// Marks an asset counted; one not expected is added as found.
pub async fn mark_counted(
    w: &mut Write,
    id: i64,
    asset: i64,
    expected: bool,
    by: i64,
) -> Result<()> {
    let at = w.at();
    if expected {
        query("UPDATE asset_count_lines SET counted_by = $3, counted_at = $4 WHERE count_id = $1 AND asset_id = $2")
    } else {
        query("INSERT INTO asset_count_lines (count_id, asset_id, expected, counted_by, counted_at) VALUES ($1, $2, FALSE, $3, $4)")
    }
    .bind(id)
    .bind(asset)
    .bind(by)
    .bind(at)
    .execute(&mut *w)
    .await?;
    Ok(())
}

pub async fn close_count(w: &mut Write, id: i64, by: i64) -> Result<()> {
    let at = w.at();
    query("UPDATE asset_counts SET closed_by = $2, closed_at = $3 WHERE id = $1 AND closed_at IS NULL")
        .bind(id)
        .bind(by)
        .bind(at)
        .execute(&mut *w)
        .await?;
    Ok(())
}

/// The assets with these ids (those that exist), in the order given.
pub async fn by_ids(c: &mut impl Conn, ids: &[i64]) -> Result<Vec<Asset>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(200) {
        let mut q = query(format!(
            "SELECT {ASSET_COLS} FROM {ASSET_FROM} WHERE a.id IN ("
        ));
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push_bind(*id);
        }
        q.push(")");
        let mut got: Vec<Asset> = q
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(asset_from)
            .collect::<Result<_>>()?;
        got.sort_by_key(|a| chunk.iter().position(|i| *i == a.id));
        out.extend(got);
    }
    Ok(out)
}
