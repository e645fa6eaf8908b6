//! Movable assets, licences, systems and the handover on leaving (issue 16)
//! through the front door, on both engines, as the demo staff: the
//! Taşınır Kayıt Yetkilisi the Müdür appointed (m.8/8, m.10/11; the demo
//! appoints the Kalem's clerk) receives, gives into custody and takes back
//! under the Taşınır Mal Yönetmeliği; a departure waits until everything
//! in the leaver's name is handed over (m.20/1-ç), and on a death a
//! commission of three closes the list (m.20/1-d).

mod common;

use common::{pdf_text, qr_codes, spawn_demo, ApiUser, Db};
use serde_json::{json, Value};

const LAPTOP: &str = "255.02.01.01.02";

async fn receive_two_laptops(officer: &ApiUser) -> Value {
    let (status, r) = officer
        .post(
            "/asset-receipts",
            json!({"supplier": "Örnek Bilişim A.Ş.", "invoice_no": "ABC2026000123", "invoice_date": "2026-11-02", "received_on": "2026-11-03",
                "lines": [
                    {"tasinir_code": LAPTOP, "name": "Dizüstü bilgisayar", "brand": "Lenovo", "model": "ThinkPad T14", "serial": "PF-1", "price": "42.500,00", "warranty_until": "2029-11-03"},
                    {"tasinir_code": LAPTOP, "name": "Dizüstü bilgisayar", "brand": "Lenovo", "model": "ThinkPad T14", "serial": "PF-2", "price": 42500}
                ]}),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    r
}

/// Taşınır Mal Yönetmeliği: a leaf code of the list, a receipt that brings
/// assets in with their tags, custody by a Zimmet Fişi, return by the
/// holder; the codes and inputs that are refused write nothing.
async fn receipt_custody_and_return(db: Db) {
    let app = spawn_demo(db).await;
    let officer = app.as_user("memur.kalem").await;
    let (_, o) = officer.get("/asset-officer").await;
    assert_eq!(o["username"], "memur.kalem", "{o}");

    let r = receive_two_laptops(&officer).await;
    let assets = r["assets"].as_array().unwrap();
    assert_eq!(assets.len(), 2);
    assert!(r["number"].as_str().unwrap().starts_with("2026/"), "{r}");
    let (a, b) = (assets[0].clone(), assets[1].clone());
    assert_eq!(
        (a["tag"].as_str(), b["tag"].as_str()),
        (Some("255.02.01.01.02-1"), Some("255.02.01.01.02-2")),
        "tags are numbered per code"
    );
    assert_eq!(
        (a["price"].as_i64(), b["price"].as_i64()),
        (Some(4_250_000), Some(4_250_000)),
        "42.500,00 TL and 42500 are the same kuruş"
    );
    assert_eq!(a["code_name"], "Dizüstü Bilgisayarlar");
    assert_eq!(a["state"], "in_stock");
    // The receipt prints.
    let pdf = officer
        .req(
            reqwest::Method::GET,
            r["form"].as_str().unwrap().trim_start_matches("/api/v1"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));

    // Custody to a person, with its Zimmet Fişi.
    let id = a["id"].as_i64().unwrap();
    let (status, k) = officer
        .post(&format!("/assets/{id}/custody"), json!({"to": "memur.bt"}))
        .await;
    assert_eq!(status, 201, "{k}");
    assert_eq!(k["holder"]["name"], "Irmak Polat");
    let form = officer
        .req(
            reqwest::Method::GET,
            &format!("/assets/{id}/custody/{}/form.pdf", k["id"]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    assert!(form.bytes().await.unwrap().starts_with(b"%PDF"));
    // Custody of an asset already held: refused.
    let (status, e) = officer
        .post(
            &format!("/assets/{id}/custody"),
            json!({"to": "memur.teknik"}),
        )
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("asset_already_held")),
        "{e}"
    );
    // The holder's holdings list it.
    let (status, h) = officer.get("/people/memur.bt/holdings").await;
    assert_eq!(status, 200, "{h}");
    assert!(
        h["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "asset" && i["id"] == id),
        "{h}"
    );
    // Return by someone who does not hold it: refused, nothing changes.
    let other = app.as_user("memur.teknik").await;
    let (status, e) = other
        .post(&format!("/assets/{id}/return"), json!({"note": "geri"}))
        .await;
    assert_eq!(
        (status, e["error"]["authority"].as_str()),
        (403, Some("holder")),
        "{e}"
    );
    let (_, still) = officer.get(&format!("/assets/{id}")).await;
    assert_eq!(
        (still["state"].as_str(), still["holder"]["name"].as_str()),
        (Some("in_custody"), Some("Irmak Polat"))
    );
    // The holder returns it (the officer could take it back too: TMY
    // m.18/3).
    let holder = app.as_user("memur.bt").await;
    let (status, back) = holder
        .post(
            &format!("/assets/{id}/return"),
            json!({"note": "Görev değişikliği"}),
        )
        .await;
    assert_eq!(
        (status, back["state"].as_str()),
        (200, Some("in_stock")),
        "{back}"
    );
    let (_, history) = officer.get(&format!("/assets/{id}/custody")).await;
    assert_eq!(history[0]["ended_kind"], "returned", "{history}");

    // A place's asset: the officer takes it back.
    let (status, _) = officer
        .post(
            &format!("/assets/{id}/custody"),
            json!({"place": "Sunucu odası"}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, back) = officer
        .post(&format!("/assets/{id}/return"), json!({}))
        .await;
    assert_eq!(
        (status, back["state"].as_str()),
        (200, Some("in_stock")),
        "{back}"
    );
    // Received before its invoice: refused.
    let (status, e) = officer.post("/asset-receipts", json!({"supplier": "X", "invoice_date": "2026-11-05", "received_on": "2026-11-01", "lines": [{"tasinir_code": LAPTOP, "name": "A"}]})).await;
    assert_eq!(
        (status, e["error"]["field"].as_str()),
        (422, Some("received_on")),
        "{e}"
    );

    // Bad input: each refused naming the field, nothing written.
    let (_, before) = officer.get("/assets?limit=200").await;
    let n = before.as_array().unwrap().len();
    for (body, field, code) in [
        (
            json!({"tasinir_code": "255.02.01.01", "name": "Grup"}),
            "tasinir_code",
            "tasinir_group_code",
        ),
        (
            json!({"tasinir_code": "999.99", "name": "Yok"}),
            "tasinir_code",
            "unknown_tasinir_code",
        ),
        (
            json!({"tasinir_code": LAPTOP, "name": "X", "price": "on bin"}),
            "price",
            "bad_money",
        ),
        (
            json!({"tasinir_code": LAPTOP, "name": "X", "price": -5}),
            "price",
            "bad_money",
        ),
        (
            json!({"tasinir_code": LAPTOP, "name": "X", "acquired_on": "2026-13-01"}),
            "acquired_on",
            "bad_date",
        ),
        (
            json!({"tasinir_code": LAPTOP, "name": "X", "serial": "PF-1"}),
            "serial",
            "duplicate_serial",
        ),
        (
            json!({"tasinir_code": LAPTOP, "name": "  "}),
            "name",
            "required",
        ),
    ] {
        let (status, e) = officer.post("/assets", body.clone()).await;
        assert_eq!(
            (
                status,
                e["error"]["field"].as_str(),
                e["error"]["code"].as_str()
            ),
            (422, Some(field), Some(code)),
            "{body}: {e}"
        );
    }
    // A duplicate serial inside one receipt: the whole receipt is refused.
    let (status, e) = officer
        .post("/asset-receipts", json!({"supplier": "X", "lines": [{"tasinir_code": LAPTOP, "name": "A", "serial": "S-9"}, {"tasinir_code": LAPTOP, "name": "B", "serial": "S-9"}]}))
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("duplicate_serial")),
        "{e}"
    );
    let (status, e) = officer
        .post("/asset-receipts", json!({"supplier": "X", "lines": [{"tasinir_code": LAPTOP, "name": "A"}, {"tasinir_code": "255.02", "name": "B"}]}))
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("tasinir_group_code")),
        "{e}"
    );
    let (_, after) = officer.get("/assets?limit=200").await;
    assert_eq!(after.as_array().unwrap().len(), n, "nothing half-written");
    // Someone who is not the officer: 403 naming the authority.
    let (status, e) = other
        .post("/assets", json!({"tasinir_code": LAPTOP, "name": "X"}))
        .await;
    assert_eq!(
        (status, e["error"]["authority"].as_str()),
        (403, Some("manage_assets")),
        "{e}"
    );
    let (status, e) = app
        .as_user("mudur")
        .await
        .post("/assets", json!({"tasinir_code": LAPTOP, "name": "X"}))
        .await;
    assert_eq!(
        status, 403,
        "the Müdür appoints the officer; he does not keep the records himself {e}"
    );

    // The list filters by code group, person and state.
    let (_, by_group) = officer.get("/assets?code=255.02").await;
    assert_eq!(by_group.as_array().unwrap().len(), 2);
    let (_, by_state) = officer.get("/assets?state=in_custody").await;
    assert_eq!(by_state.as_array().unwrap().len(), 0);
    let (status, e) = officer.get("/assets?state=kayip").await;
    assert_eq!((status, e["error"]["field"].as_str()), (422, Some("state")));

    // Disposal needs a commission of three and a decision; the record stays.
    let bid = b["id"].as_i64().unwrap();
    let (status, e) = officer.post("/asset-disposals", json!({"assets": [bid], "decision_ref": "2026/7", "decided_on": "2026-11-20", "reason": "Ekran kırık", "commission": ["sef.kalem", "sef.bt"]})).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("too_few_members")),
        "{e}"
    );
    let (status, d) = officer
        .post("/asset-disposals", json!({"assets": [bid], "decision_ref": "2026/7", "decided_on": "2026-11-20", "reason": "Ekran kırık", "commission": ["sef.kalem", "sef.bt", "sef.teknik"]}))
        .await;
    assert_eq!(
        (status, d[0]["state"].as_str()),
        (201, Some("disposed")),
        "{d}"
    );
    let (status, e) = officer
        .post(&format!("/assets/{bid}/custody"), json!({"to": "memur.bt"}))
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("asset_disposed"))
    );

    // Custody only to the institution's people (a requester of another
    // directorate holds no post).
    let (status, e) = officer
        .post(&format!("/assets/{id}/custody"), json!({"to": "talep.fen"}))
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("not_staff")),
        "{e}"
    );

    // The Müdür appoints another officer (m.10/11); the first is relieved.
    let mudur = app.as_user("mudur").await;
    let (status, e) = mudur
        .post("/asset-officer", json!({"username": "mudur"}))
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("self_appointment")),
        "TMY m.6: {e}"
    );
    assert_eq!(
        other
            .post("/asset-officer", json!({"username": "memur.teknik"}))
            .await
            .0,
        403
    );
    let (status, o) = mudur
        .post("/asset-officer", json!({"username": "memur.teknik"}))
        .await;
    assert_eq!(
        (status, o["name"].as_str()),
        (200, Some("Selçuk Güneş")),
        "{o}"
    );
    assert_eq!(
        other
            .post("/assets", json!({"tasinir_code": LAPTOP, "name": "Yeni"}))
            .await
            .0,
        201
    );
    assert_eq!(
        officer
            .post("/assets", json!({"tasinir_code": LAPTOP, "name": "Eski"}))
            .await
            .0,
        403
    );

    let (_, audit) = mudur.get("/audit?action=asset.").await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for a in [
        "asset.received",
        "asset.custody_given",
        "asset.returned",
        "asset.disposed",
        "asset.officer_appointed",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    let verdict = store::connect(&app.database_url)
        .await
        .unwrap()
        .verify_audit()
        .await
        .unwrap();
    assert!(verdict.broken.is_none());
}
on_both_engines!(receipt_custody_and_return);

/// m.8/11: licence seats are not over-assigned; m.8/20, m.16/5-b: a
/// system whose last good restore test is older than its policy is
/// flagged until one is recorded.
async fn licences_and_systems(db: Db) {
    let app = spawn_demo(db).await;
    let officer = app.as_user("memur.kalem").await;
    let (status, l) = officer.post("/licences", json!({"product": "Ofis paketi", "kind": "per_seat", "seats": 2, "cost": "12.000", "ends_on": "2027-01-15"})).await;
    assert_eq!(status, 201, "{l}");
    let id = l["id"].as_i64().unwrap();
    for who in ["memur.bt", "memur.teknik"] {
        assert_eq!(
            officer
                .post(&format!("/licences/{id}/seats"), json!({"to": who}))
                .await
                .0,
            201
        );
    }
    let (status, e) = officer
        .post(&format!("/licences/{id}/seats"), json!({"to": "sef.bt"}))
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("seats_exhausted")),
        "{e}"
    );
    let (_, big) = officer
        .post(
            "/licences",
            json!({"product": "Harita", "kind": "per_seat", "seats": 9}),
        )
        .await;
    assert_eq!(
        officer
            .post(
                &format!("/licences/{}/seats", big["id"]),
                json!({"to": "memur.bt"})
            )
            .await
            .0,
        201
    );
    let (status, e) = officer
        .post(
            &format!("/licences/{}/seats", big["id"]),
            json!({"to": "memur.bt"}),
        )
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("seat_already_assigned")),
        "{e}"
    );
    assert_eq!(
        officer
            .post(
                "/licences",
                json!({"product": "Y", "kind": "per_seat", "seats": 0})
            )
            .await
            .1["error"]["field"],
        "seats"
    );
    let (_, l) = officer.get(&format!("/licences/{id}")).await;
    assert_eq!(
        (l["assigned"].as_i64(), l["seats"].as_i64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        officer
            .post("/licences", json!({"product": "X", "kind": "forever"}))
            .await
            .1["error"]["field"],
        "kind"
    );

    let (status, s) = officer
        .post("/systems", json!({"name": "EBYS", "kind": "ebys", "criticality": 3, "backup_what": "Veritabanı ve dosyalar", "backup_every_days": 1, "backup_where": "Felaket kurtarma merkezi", "restore_every_days": 90,
            "domains": [{"domain": "ebys.ornek.bel.tr", "expires_on": "2027-01-10"}]}))
        .await;
    assert_eq!(status, 201, "{s}");
    assert_eq!(s["restore_overdue"], true, "no restore test yet: flagged");
    let sid = s["id"].as_i64().unwrap();
    let (status, run) = officer
        .post(
            &format!("/systems/{sid}/backup-runs"),
            json!({"result": "success", "duration_minutes": 42}),
        )
        .await;
    assert_eq!(
        (status, run["kind"].as_str()),
        (201, Some("backup")),
        "{run}"
    );
    let (_, s) = officer.get(&format!("/systems/{sid}")).await;
    assert_eq!(
        s["restore_overdue"], true,
        "a backup alone is not a restore test"
    );
    let old = (time::OffsetDateTime::now_utc().date() - time::Duration::days(120)).to_string();
    assert_eq!(
        officer
            .post(
                &format!("/systems/{sid}/restore-tests"),
                json!({"result": "success", "date": old})
            )
            .await
            .0,
        201
    );
    let (_, s) = officer.get(&format!("/systems/{sid}")).await;
    assert_eq!(s["restore_overdue"], true, "120 days ago, policy 90");
    assert_eq!(
        officer
            .post(
                &format!("/systems/{sid}/restore-tests"),
                json!({"result": "failure"})
            )
            .await
            .0,
        201
    );
    let (_, s) = officer.get(&format!("/systems/{sid}")).await;
    assert_eq!(s["restore_overdue"], true, "a failed test does not count");
    assert_eq!(
        officer
            .post(
                &format!("/systems/{sid}/restore-tests"),
                json!({"result": "success"})
            )
            .await
            .0,
        201
    );
    let (_, s) = officer.get(&format!("/systems/{sid}")).await;
    assert_eq!(s["restore_overdue"], false, "{s}");
    assert_eq!(s["runs"].as_array().unwrap().len(), 4);
    for (body, field) in [
        (
            json!({"name": "X", "kind": "ebys", "criticality": 4}),
            "criticality",
        ),
        (
            json!({"name": "Y", "kind": "uzay", "criticality": 1}),
            "kind",
        ),
        (
            json!({"name": "EBYS", "kind": "ebys", "criticality": 1}),
            "name",
        ),
    ] {
        let (status, e) = officer.post("/systems", body.clone()).await;
        assert_eq!(
            (status, e["error"]["field"].as_str()),
            (422, Some(field)),
            "{body}: {e}"
        );
    }
    assert_eq!(
        officer
            .post(
                &format!("/systems/{sid}/backup-runs"),
                json!({"result": "maybe"})
            )
            .await
            .1["error"]["code"],
        "unknown_result"
    );
    // The same host twice is the same host.
    let (_, host) = officer
        .post(
            "/assets",
            json!({"tasinir_code": "255.02.01.02.03", "name": "Raf sunucu"}),
        )
        .await;
    let (status, s2) = officer.post("/systems", json!({"name": "Dosya sunucusu", "kind": "dosya_sunucusu", "criticality": 2, "hosts": [host["id"], host["id"]]})).await;
    assert_eq!(
        (status, s2["hosts"].as_array().map(|h| h.len())),
        (201, Some(1)),
        "{s2}"
    );
    // What ends within 60 days is announced: the licence and the domain.
    let (_, endings) = officer.get("/endings").await;
    let kinds: Vec<&str> = endings
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"licence") && kinds.contains(&"domain"),
        "{endings}"
    );
}
on_both_engines!(licences_and_systems);

/// m.20/1-ç: a departure is refused while the leaver still holds
/// anything, naming each thing; the handover moves them to the successor
/// in one transaction with its record; then the departure goes through,
/// his account closes after the leaving day, and what he did stays his.
async fn departure_waits_for_the_handover(db: Db) {
    let app = spawn_demo(db).await;
    let officer = app.as_user("memur.kalem").await;
    let mudur = app.as_user("mudur").await;
    let r = receive_two_laptops(&officer).await;
    let id = r["assets"][0]["id"].as_i64().unwrap();
    assert_eq!(
        officer
            .post(&format!("/assets/{id}/custody"), json!({"to": "memur.bt"}))
            .await
            .0,
        201
    );
    let (_, l) = officer
        .post(
            "/licences",
            json!({"product": "CAD", "kind": "per_seat", "seats": 5}),
        )
        .await;
    assert_eq!(
        officer
            .post(
                &format!("/licences/{}/seats", l["id"]),
                json!({"to": "memur.bt"})
            )
            .await
            .0,
        201
    );

    let leave =
        json!({"leaving_on": common::today(), "reason": "transfer", "successor": "memur.teknik"});
    let (status, e) = mudur
        .post("/people/memur.bt/departure", leave.clone())
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("holdings_remain")),
        "{e}"
    );
    let blockers = e["error"]["blockers"].as_array().unwrap();
    assert!(
        blockers
            .iter()
            .any(|b| b["kind"] == "asset" && b["id"] == id),
        "{e}"
    );
    assert!(blockers.iter().any(|b| b["kind"] == "licence_seat"), "{e}");
    // The demo's reply draft is Irmak Polat's: a letter in his name.
    assert!(
        blockers.iter().any(|b| b["kind"] == "letter") || blockers.len() >= 2,
        "{e}"
    );
    // Only who records departures.
    let (status, e) = officer
        .post("/people/memur.bt/departure", leave.clone())
        .await;
    assert_eq!(
        (status, e["error"]["authority"].as_str()),
        (403, Some("record_departures")),
        "{e}"
    );
    // A handover of something that is not his: refused, nothing moves.
    let (status, e) = mudur.post("/handovers", json!({"from": "memur.bt", "to": "memur.teknik", "items": [{"kind": "asset", "id": r["assets"][1]["id"]}]})).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("not_theirs")),
        "{e}"
    );
    let (status, e) = mudur
        .post("/handovers", json!({"from": "memur.bt", "to": "memur.bt"}))
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("successor_is_leaver")),
        "{e}"
    );

    // Everything to the successor, in one transaction.
    let (status, h) = mudur
        .post(
            "/handovers",
            json!({"from": "memur.bt", "to": "memur.teknik"}),
        )
        .await;
    assert_eq!(status, 201, "{h}");
    assert!(
        h["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "asset"),
        "{h}"
    );
    let form = mudur
        .req(
            reqwest::Method::GET,
            h["form"].as_str().unwrap().trim_start_matches("/api/v1"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(form.headers()["content-type"], "application/pdf");
    let (_, a) = officer.get(&format!("/assets/{id}")).await;
    assert_eq!(
        a["holder"]["name"], "Selçuk Güneş",
        "the asset passed to the successor {a}"
    );
    let (_, left) = mudur.get("/people/memur.bt/holdings").await;
    assert_eq!(left["items"].as_array().unwrap().len(), 0, "{left}");

    // Now the departure goes through.
    let (status, d) = mudur
        .post("/people/memur.bt/departure", leave.clone())
        .await;
    assert_eq!(
        (status, d["reason"].as_str()),
        (201, Some("transfer")),
        "{d}"
    );
    let (status, e) = mudur.post("/people/memur.bt/departure", leave).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("already_departed"))
    );
    // What he did stays his: the receipt and audit records name him.
    let (_, audit) = mudur.get("/audit?subject=user:memur.bt").await;
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "person.departed"),
        "{audit}"
    );
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "person.handed_over"),
        "{audit}"
    );

    // On a death (m.20/1-d): a commission of three.
    let (status, e) = mudur.post("/people/isci.teknik/departure", json!({"leaving_on": common::today(), "reason": "death", "commission": ["sef.teknik", "sef.bt"]})).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("too_few_members")),
        "{e}"
    );
    let (status, d) = mudur
        .post("/people/isci.teknik/departure", json!({"leaving_on": common::today(), "reason": "death", "commission": ["sef.teknik", "sef.bt", "sef.kalem"]}))
        .await;
    assert_eq!(status, 201, "{d}");
    let verdict = store::connect(&app.database_url)
        .await
        .unwrap()
        .verify_audit()
        .await
        .unwrap();
    assert!(verdict.broken.is_none());
}
on_both_engines!(departure_waits_for_the_handover);

/// An account closes after its leaving day: a departure recorded with a
/// past leaving day ends its sessions and its sign-in.
async fn a_departed_account_signs_in_no_more(db: Db) {
    let app = spawn_demo(db).await;
    let mudur = app.as_user("mudur").await;
    let leaver = app.as_user("memur.teknik").await;
    assert_eq!(leaver.get("/tasks").await.0, 200);
    let yesterday = (time::OffsetDateTime::now_utc().date() - time::Duration::days(1)).to_string();
    let (status, d) = mudur
        .post(
            "/people/memur.teknik/departure",
            json!({"leaving_on": yesterday, "reason": "retirement"}),
        )
        .await;
    assert_eq!(status, 201, "{d}");
    assert_eq!(leaver.get("/tasks").await.0, 401, "his session ended");
    let r = common::client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "memur.teknik", "password": common::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "no sign-in after the leaving day");
}
on_both_engines!(a_departed_account_signs_in_no_more);

fn workbook(rows: &[Vec<Value>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v {
                Value::Number(n) => sheet
                    .write_number(r as u32, c as u16, n.as_f64().unwrap())
                    .map(|_| ()),
                Value::String(s) => sheet.write_string(r as u32, c as u16, s).map(|_| ()),
                _ => Ok(()),
            }
            .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

async fn import(u: &ApiUser, query: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let r = u
        .req(reqwest::Method::POST, &format!("/assets/import{query}"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Import from XLSX and CSV: a dry run lists each bad row and why; the
/// real run with a bad row writes none of the file; a good file goes in
/// whole, with Excel's date cells and Turkish CSV (`;`, 03.11.2026).
async fn import_and_export(db: Db) {
    let app = spawn_demo(db).await;
    let officer = app.as_user("memur.kalem").await;
    let header = vec![
        json!("Taşınır kodu"),
        json!("Adı"),
        json!("Seri no"),
        json!("Edinme tarihi"),
        json!("Değer"),
        json!("Yer"),
    ];
    let bad = workbook(&[
        header.clone(),
        vec![
            json!(LAPTOP),
            json!("Dizüstü"),
            json!("X-1"),
            json!("2026-01-05"),
            json!(30000),
            json!("Depo"),
        ],
        vec![
            json!(LAPTOP),
            json!("Dizüstü"),
            json!("X-2"),
            json!("2026-02-30"),
            json!(30000),
            json!("Depo"),
        ],
        vec![
            json!(LAPTOP),
            json!("Dizüstü"),
            json!("X-3"),
            json!("2026-01-05"),
            json!("otuz bin"),
            json!("Depo"),
        ],
        vec![
            json!("255.02"),
            json!("Grup"),
            json!(""),
            json!(""),
            json!(""),
            json!(""),
        ],
    ]);
    let (status, report) = import(&officer, "?dry_run=true", XLSX, bad.clone()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (
            report["rows"].as_i64(),
            report["valid"].as_i64(),
            report["imported"].as_i64()
        ),
        (Some(4), Some(1), Some(0)),
        "{report}"
    );
    let errors: Vec<(i64, &str, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["field"].as_str().unwrap(),
                e["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (3, "acquired_on", "bad_date"),
            (4, "price", "bad_money"),
            (5, "tasinir_code", "tasinir_group_code")
        ]
    );
    let (status, e) = import(&officer, "", XLSX, bad).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("import_rows_invalid")),
        "{e}"
    );
    assert_eq!(e["error"]["report"]["errors"].as_array().unwrap().len(), 3);
    let (_, none) = officer.get("/assets").await;
    assert_eq!(
        none.as_array().unwrap().len(),
        0,
        "none of the file was written"
    );

    // A good workbook: an Excel date cell (serial 46000 = 09.12.2025).
    let good = workbook(&[
        header.clone(),
        vec![
            json!(LAPTOP),
            json!("Dizüstü"),
            json!("X-1"),
            json!(46000),
            json!(30000.5),
            json!("Depo"),
        ],
        vec![
            json!(LAPTOP),
            json!("Dizüstü"),
            json!("X-2"),
            json!("2026-01-05"),
            json!("30.000,50"),
            json!("Depo"),
        ],
    ]);
    let (status, report) = import(&officer, "", XLSX, good).await;
    assert_eq!(
        (status, report["imported"].as_i64()),
        (200, Some(2)),
        "{report}"
    );
    let (_, a) = officer.get("/assets?place=Depo").await;
    let a = a.as_array().unwrap();
    assert_eq!(a.len(), 2);
    assert!(
        a.iter()
            .any(|x| x["acquired_on"] == "2025-12-09" && x["price"] == 3_000_050),
        "{a:?}"
    );
    // Again: the serials are taken now.
    let again = workbook(&[
        header.clone(),
        vec![json!(LAPTOP), json!("Dizüstü"), json!("X-1")],
    ]);
    let (status, e) = import(&officer, "", XLSX, again).await;
    assert_eq!(
        (status, e["error"]["report"]["errors"][0]["code"].as_str()),
        (422, Some("duplicate_serial")),
        "{e}"
    );

    // CSV as Excel in Turkish writes it.
    let csv = "Taşınır kodu;Adı;Seri no;Edinme tarihi;Değer\n255.02.01.01.02;Dizüstü;C-1;03.11.2026;\"42.500,00\"\n".as_bytes().to_vec();
    let (status, report) = import(&officer, "", "text/csv", csv).await;
    assert_eq!(
        (status, report["imported"].as_i64()),
        (200, Some(1)),
        "{report}"
    );
    // Not a sheet, not a known type, no needed columns: clear refusals.
    assert_eq!(
        import(&officer, "", XLSX, b"not a zip".to_vec()).await.0,
        422
    );
    assert_eq!(
        import(&officer, "", "application/pdf", b"%PDF".to_vec())
            .await
            .0,
        415
    );
    let (status, e) = import(&officer, "", "text/csv", b"a;b\n1;2\n".to_vec()).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("missing_columns")),
        "{e}"
    );
    assert_eq!(
        import(
            &app.as_user("memur.bt").await,
            "",
            "text/csv",
            b"x".to_vec()
        )
        .await
        .0,
        403
    );

    // A sheet that names a far cell, or is a zip but no workbook: refused
    // as unreadable, the server unharmed.
    let far = {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Taşınır kodu").unwrap();
        sheet.write_string(0, 1, "Adı").unwrap();
        sheet.write_string(1_048_575, 1, "uzak").unwrap();
        book.save_to_buffer().unwrap()
    };
    assert_eq!(import(&officer, "?dry_run=true", XLSX, far).await.0, 422);
    // A name a spreadsheet would run as a formula is exported as text.
    assert_eq!(
        officer
            .post(
                "/assets",
                json!({"tasinir_code": LAPTOP, "name": "=HYPERLINK(\"http://x\";\"y\")"})
            )
            .await
            .0,
        201
    );

    // The export reads back.
    let csv = officer
        .req(reqwest::Method::GET, "/assets/export?format=csv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("Sicil no;Taşınır kodu") && csv.contains("255.02.01.01.02-3"),
        "{csv}"
    );
    assert!(
        csv.contains("'=HYPERLINK") && !csv.contains(";=HYPERLINK"),
        "{csv}"
    );
    let xlsx = officer
        .req(reqwest::Method::GET, "/assets/export?format=xlsx")
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.headers()["content-type"], XLSX);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
}
on_both_engines!(import_and_export);

/// m.8/11: a licence's end is announced in the daily digest to the
/// Taşınır Kayıt Yetkilisi on the alert days (60, 30, 7 days before),
/// through a real SMTP server on loopback.
async fn endings_reach_the_officer_by_email(db: Db) {
    let smtp = testkit::SmtpServer::start();
    let config = format!("[smtp]\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"Bilgi İşlem Müdürlüğü <bilgiislem@ornek.bel.tr>\"\nsecurity = \"none\"\n", smtp.port);
    let app = common::spawn_demo_with_config(db, &config).await;
    let officer = app.as_user("memur.kalem").await;
    let in_30 = (time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+3))
        .date()
        + time::Duration::days(30))
    .to_string();
    let in_31 = (time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+3))
        .date()
        + time::Duration::days(31))
    .to_string();
    assert_eq!(officer.post("/licences", json!({"product": "Güvenlik duvarı aboneliği", "kind": "subscription", "seats": 1, "ends_on": in_30})).await.0, 201);
    assert_eq!(
        officer
            .post(
                "/contracts",
                json!({"supplier": "Örnek Ltd.", "scope": "Yazıcı bakımı", "ends_on": in_31})
            )
            .await
            .0,
        201
    );
    let (status, report) = app.as_user("admin").await.post("/digest", json!({})).await;
    assert_eq!(
        (status, report["sent"].as_i64()),
        (200, Some(1)),
        "{report}"
    );
    let mails = smtp.messages();
    let m = mails
        .iter()
        .find(|m| m.to.contains("memur.kalem@ornek.bel.tr"))
        .expect("the officer's digest");
    assert!(
        m.body.contains("Güvenlik duvarı aboneliği") && m.body.contains("30 gün kaldı"),
        "{}",
        m.body
    );
    assert!(
        !m.body.contains("Yazıcı bakımı"),
        "31 days is no alert day: {}",
        m.body
    );
}
on_both_engines!(endings_reach_the_officer_by_email);

async fn get_pdf(u: &ApiUser, path: &str) -> (u16, Vec<u8>) {
    let r = u.req(reqwest::Method::GET, path).send().await.unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

/// Labels: an A4 sheet of QR labels whose codes a phone reads as the
/// asset's page on this server; asking for none is a clear 422.
/// The count (Taşınır Mal Yönetmeliği m.32: a board of at least three the
/// officer sits on): the expected list, scans found / surplus / again, an
/// unknown tag that changes nothing, only the board or the officer
/// scanning, only the officer closing, nothing after, and the Sayım
/// Tutanağı listing each difference and the board.
async fn labels_and_the_yearly_count(db: Db) {
    let app = spawn_demo(db).await;
    let officer = app.as_user("memur.kalem").await;
    let r = receive_two_laptops(&officer).await;
    let tags: Vec<String> = r["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["tag"].as_str().unwrap().to_owned())
        .collect();
    let (status, sheet) =
        get_pdf(&officer, &format!("/assets/labels.pdf?receipt={}", r["id"])).await;
    assert_eq!(status, 200);
    let mut codes = qr_codes(&sheet);
    codes.sort();
    let expect: Vec<String> = tags
        .iter()
        .map(|t| {
            format!(
                "{}/demirbas/etiket/{t}",
                officer
                    .base
                    .trim_end_matches('/')
                    .trim_end_matches("/api/v1")
            )
        })
        .collect();
    assert_eq!(
        codes, expect,
        "each label's QR code opens its asset on this server"
    );
    let text = pdf_text(&sheet);
    assert!(
        tags.iter().all(|t| text.contains(t.as_str())) && text.contains(LAPTOP),
        "{text}"
    );
    // One label per asset, however often it is named.
    let (status, twice) = get_pdf(
        &officer,
        &format!("/assets/labels.pdf?ids={0},{0}", r["assets"][0]["id"]),
    )
    .await;
    assert_eq!((status, qr_codes(&twice).len()), (200, 1));
    // Anyone of the directorate may print an asset's label.
    let page = app.as_user("memur.bt").await;
    let (status, _) = get_pdf(
        &page,
        &format!("/assets/labels.pdf?ids={}", r["assets"][0]["id"]),
    )
    .await;
    assert_eq!(status, 200);
    let (status, e) = officer
        .get("/assets/labels.pdf?state=disposed&code=150.01")
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("nothing_to_print")),
        "{e}"
    );
    let (status, e) = officer.get("/assets/labels.pdf?ids=1,x").await;
    assert_eq!(
        (status, e["error"]["field"].as_str()),
        (422, Some("ids")),
        "{e}"
    );

    // What stands in the room: one laptop given to the room, a printer
    // entered there; the other laptop stays in the warehouse.
    const ROOM: &str = "Sayım Odası 204";
    let (a, b) = (r["assets"][0]["id"].as_i64().unwrap(), &tags[1]);
    let (status, k) = officer
        .post(&format!("/assets/{a}/custody"), json!({"place": ROOM}))
        .await;
    assert_eq!(status, 201, "{k}");
    let (status, printer) = officer
        .post(
            "/assets",
            json!({"tasinir_code": "255.02.02.01.03", "name": "Lazer yazıcı", "location": ROOM}),
        )
        .await;
    assert_eq!(status, 201, "{printer}");

    let board = |names: &[&str]| json!({"place": ROOM, "board": names});
    let (status, e) = officer
        .post("/asset-counts", board(&["memur.kalem", "memur.bt"]))
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("too_few_members")),
        "m.32: three at least: {e}"
    );
    let (status, e) = officer
        .post(
            "/asset-counts",
            board(&["memur.kalem", "memur.bt", "memur.bt"]),
        )
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("too_few_members")),
        "the same person twice is one member: {e}"
    );
    let (status, e) = officer
        .post(
            "/asset-counts",
            board(&["sef.bt", "memur.bt", "memur.teknik"]),
        )
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("board_needs_officer")),
        "m.32: the officer sits on the board: {e}"
    );
    let (status, e) = page
        .post(
            "/asset-counts",
            board(&["memur.kalem", "memur.bt", "memur.teknik"]),
        )
        .await;
    assert_eq!(
        (status, e["error"]["authority"].as_str()),
        (403, Some("manage_assets")),
        "{e}"
    );
    let (status, _) = page
        .post("/asset-counts", board(&["memur.kalem", "nobody"]))
        .await;
    assert_eq!(
        status, 403,
        "whether he may comes before what is wrong with the board"
    );
    let (status, e) = officer
        .post("/asset-counts", json!({"place": ROOM, "year": 1999, "board": ["memur.kalem", "memur.bt", "memur.teknik"]}))
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("out_of_range")),
        "{e}"
    );
    let (_, before) = officer.get("/asset-counts").await;
    assert_eq!(
        before.as_array().unwrap().len(),
        0,
        "no refused count was written: {before}"
    );

    let (status, n) = officer
        .post(
            "/asset-counts",
            board(&["memur.kalem", "memur.bt", "memur.teknik"]),
        )
        .await;
    assert_eq!(status, 201, "{n}");
    let id = n["id"].as_i64().unwrap();
    assert_eq!(
        (
            n["expected"].as_i64(),
            n["missing"].as_array().unwrap().len()
        ),
        (Some(2), 2),
        "{n}"
    );
    let (status, e) = officer
        .post(
            "/asset-counts",
            board(&["memur.kalem", "memur.bt", "memur.teknik"]),
        )
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("count_open")),
        "{e}"
    );

    let scan = |u: &ApiUser, tag: String| {
        let u = u.clone();
        async move {
            u.post(&format!("/asset-counts/{id}/scans"), json!({"tag": tag}))
                .await
        }
    };
    // A board member scans the label's address; the room's laptop is found.
    let (status, s) = scan(&page, expect[0].clone()).await;
    assert_eq!((status, s["result"].as_str()), (200, Some("found")), "{s}");
    let (_, s) = scan(&page, tags[0].clone()).await;
    assert_eq!(s["result"], "again");
    // The warehouse laptop is found in the room: a difference.
    let (_, s) = scan(&officer, b.clone()).await;
    assert_eq!(s["result"], "surplus");
    // A tag nobody has: refused, nothing changes.
    let (status, e) = scan(&officer, "255.02.01.01.02-99999".into()).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (422, Some("unknown_tag")),
        "{e}"
    );
    // Someone neither on the board nor the officer.
    let (status, _) = scan(&app.as_user("sef.kalem").await, tags[0].clone()).await;
    assert_eq!(status, 403);
    // The phone page: a board member scans through the form; the label's
    // address opens the asset's page.
    let (web, csrf) = common::page_client(&app, "memur.teknik").await;
    let r = web
        .post(app.url(&format!("/demirbas/sayim/{id}")))
        .form(&[("_csrf", csrf.as_str()), ("tag", expect[0].as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.contains("sonuc=again"), "{back}");
    let html = web
        .get(app.url(&back))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Bu taşınır zaten sayıldı") && html.contains(&tags[0]),
        "{html}"
    );
    let r = web.get(&expect[0]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let asset_page = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(asset_page, format!("/demirbas/{a}"));
    assert!(web
        .get(app.url(&asset_page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains(&tags[0]));
    // A phone not signed in: the sign-in first, then the asset.
    let phone = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let r = phone.get(&expect[0]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let to_login = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to_login.starts_with("/giris?sonra=%2Fdemirbas%2Fetiket%2F"),
        "{to_login}"
    );
    let login = phone.get(app.url(&to_login)).send().await.unwrap();
    let form = login.text().await.unwrap();
    let csrf = form
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let then = format!("/demirbas/etiket/{}", tags[0]);
    assert!(
        form.contains(&format!("name=\"sonra\" value=\"{then}\"")),
        "{form}"
    );
    let r = phone
        .post(app.url("/giris"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "memur.teknik"),
            ("password", common::DEMO_PASSWORD),
            ("sonra", then.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers()["location"].to_str().unwrap()
        ),
        (303, then.as_str())
    );
    // The officer's home page counts what ends soon; a technician's does not.
    let home = common::page_client(&app, "memur.kalem")
        .await
        .0
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("id=\"dash-endings\""), "{home}");
    assert!(!web
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("dash-endings"));

    let (status, e) = page
        .post(&format!("/asset-counts/{id}/close"), json!({}))
        .await;
    assert_eq!(
        (status, e["error"]["authority"].as_str()),
        (403, Some("manage_assets")),
        "only the officer closes: {e}"
    );

    let (status, n) = officer
        .post(&format!("/asset-counts/{id}/close"), json!({}))
        .await;
    assert_eq!(status, 200, "{n}");
    let tagged = |k: &str| {
        n[k].as_array()
            .unwrap()
            .iter()
            .map(|l| l["asset"]["tag"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(tagged("found"), vec![tags[0].clone()]);
    assert_eq!(tagged("surplus"), vec![b.clone()]);
    assert_eq!(
        tagged("missing"),
        vec![printer["tag"].as_str().unwrap().to_owned()]
    );
    let (status, e) = scan(&officer, printer["tag"].as_str().unwrap().to_owned()).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("count_closed")),
        "{e}"
    );
    let (_, n2) = officer.get(&format!("/asset-counts/{id}")).await;
    assert_eq!(
        n2["missing"].as_array().unwrap().len(),
        1,
        "a closed count stays as it closed"
    );

    let (status, report) = get_pdf(&officer, &format!("/asset-counts/{id}/report.pdf")).await;
    assert_eq!(status, 200);
    let text = pdf_text(&report);
    for want in [
        "SAYIM TUTANAĞI",
        ROOM,
        "Bulunamayanlar (eksik): 1",
        printer["tag"].as_str().unwrap(),
        "burada bulunanlar (fazla): 1",
        b,
        "Ümit Koç",
        "Irmak Polat",
        "Selçuk Güneş",
        "Taşınır Mal Yönetmeliği m.32",
    ] {
        assert!(
            text.contains(want),
            "{want} missing from the Sayım Tutanağı:\n{text}"
        );
    }
    assert!(!text.contains("TASLAK"), "a closed count is no draft");
}
on_both_engines!(labels_and_the_yearly_count);
