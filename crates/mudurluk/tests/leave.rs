//! Annual leave (issue 19) through the front door, on both engines, as the
//! demo staff: the entitlement of 657 m.102 and 4857 m.53, leave days as
//! working days on the Turkish calendar, a Memur's request initialled by
//! the Şef (m.13, m.15/3) and approved by the Müdür as disciplinary
//! superior (m.9/4), the Müdür's own approved by the Başkan Yardımcısı,
//! the İzin Onay Formu, and every refusal leaving nothing behind.

mod common;

use common::{pdf_text, spawn_demo, ApiUser, Db};
use serde_json::{json, Value};
use time::{Date, Duration, Weekday};

fn local_today() -> Date {
    time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+3))
        .date()
}

/// A Monday-to-Friday week at least `weeks` weeks on whose days fall in
/// one year (the demo's own requests take weeks 2 to 4).
fn week(weeks: i64) -> (Date, Date) {
    let mut monday = local_today().next_occurrence(Weekday::Monday) + Duration::weeks(weeks);
    loop {
        let friday = monday + Duration::days(4);
        if friday.year() == monday.year() {
            return (monday, friday);
        }
        monday += Duration::weeks(1);
    }
}

fn tr(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

async fn working_days(u: &ApiUser, from: Date, to: Date) -> f64 {
    let (s, v) = u
        .get(&format!("/leave/working-days?from={from}&to={to}"))
        .await;
    assert_eq!(s, 200, "{v}");
    v["days"].as_f64().unwrap()
}

async fn balance(u: &ApiUser, who: &str, year: i32) -> Value {
    let (s, v) = u
        .get(&format!("/people/{who}/leave-balance?year={year}"))
        .await;
    assert_eq!(s, 200, "{v}");
    v
}

async fn my_requests(u: &ApiUser) -> Vec<Value> {
    let (s, v) = u.get("/leave-requests").await;
    assert_eq!(s, 200, "{v}");
    v["requests"].as_array().unwrap().clone()
}

/// 657 m.102 and 4857 m.53 through the API, and leave days as working
/// days (Law 2429's holidays; the arife a half day).
async fn entitlement_and_working_days(db: Db) {
    let app = spawn_demo(db).await;
    let u = app.as_user("memur.bt").await;
    for (kind, years, age, days, basis) in [
        // 657 m.102: "1 yıldan on yıla kadar (On yıl dahil) … yirmi gün,
        // … on yıldan fazla olanlar için 30 gün".
        ("memur", 1, "", 20, "657 m.102"),
        ("memur", 10, "", 20, "657 m.102"),
        ("memur", 11, "", 30, "657 m.102"),
        ("memur", 0, "", 0, "657 m.102"),
        // 4857 m.53: 14 / 20 / 26; at 18 or younger and 50 or older, 20.
        ("isci", 5, "30", 14, "4857 m.53"),
        ("isci", 6, "30", 20, "4857 m.53"),
        ("isci", 14, "30", 20, "4857 m.53"),
        ("isci", 15, "30", 26, "4857 m.53"),
        ("isci", 3, "50", 20, "4857 m.53"),
        ("isci", 1, "18", 20, "4857 m.53"),
        ("isci", 1, "19", 14, "4857 m.53"),
    ] {
        let (s, v) = u
            .get(&format!(
                "/leave/entitlement?kind={kind}&service_years={years}&age={age}"
            ))
            .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(
            v,
            json!({"days": days, "basis": basis}),
            "{kind} {years} {age}"
        );
    }
    for (q, field) in [
        ("kind=sirket&service_years=3", "kind"),
        ("kind=memur", "service_years"),
        ("kind=memur&service_years=on", "service_years"),
        ("kind=memur&service_years=-1", "service_years"),
        ("kind=isci&service_years=3&age=7", "age"),
    ] {
        let (s, v) = u.get(&format!("/leave/entitlement?{q}")).await;
        assert_eq!(s, 422, "{q}: {v}");
        assert_eq!(v["error"]["field"], field, "{q}: {v}");
    }
    // Two working weeks of December 2026.
    let (s, v) = u
        .get("/leave/working-days?from=2026-12-07&to=2026-12-18")
        .await;
    assert_eq!((s, v["days"].clone()), (200, json!(10)), "{v}");
    // Kurban Bayramı 2026: Monday a full day, the arife (Tuesday) a half,
    // Wednesday to Friday the bayram: 1.5.
    let (_, v) = u
        .get("/leave/working-days?from=2026-05-25&to=2026-05-29")
        .await;
    assert_eq!(v["days"], json!(1.5), "{v}");
    assert_eq!(v["days_tr"], "1,5");
    let (s, v) = u
        .get("/leave/working-days?from=2026-12-18&to=2026-12-07")
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("before_from")),
        "{v}"
    );
    let r = common::client()
        .get(app.url("/api/v1/leave/working-days?from=2026-12-07&to=2026-12-18"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}
on_both_engines!(entitlement_and_working_days);

/// A Memur asks; his Şef initials (m.13, m.15/3); the Müdür, disciplinary
/// superior (m.9/4), approves; the balance follows and the İzin Onay
/// Formu prints. Bad requests and wrong hands change nothing.
async fn a_memur_asks_the_sef_initials_the_mudur_approves(db: Db) {
    let app = spawn_demo(db).await;
    let memur = app.as_user("memur.bt").await;
    let sef = app.as_user("sef.bt").await;
    let mudur = app.as_user("mudur").await;
    let (from, to) = week(6);
    let year = from.year();
    let days = working_days(&memur, from, to).await;
    assert!(days > 0.0);
    let before = balance(&memur, "memur.bt", year).await;
    // Service from 16.09.2019: 657 m.102, 20 days a year.
    assert_eq!(before["entitlement"], 20, "{before}");
    assert_eq!(before["basis"], "657 m.102");
    assert_eq!(before["person_name"], "Irmak Polat");

    let (s, r) = memur
        .post(
            "/leave-requests",
            json!({"kind": "annual", "from": from.to_string(), "to": to.to_string(), "address": "Antalya"}),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["state"], "requested");
    assert_eq!(r["days"].as_f64(), Some(days));
    let id = r["id"].as_i64().unwrap();
    let pending = balance(&memur, "memur.bt", year).await;
    assert_eq!(
        pending["remaining"].as_f64().unwrap(),
        before["remaining"].as_f64().unwrap() - days,
        "what waits for a decision is held: {pending}"
    );

    // Refused, and nothing written.
    let n = my_requests(&memur).await.len();
    let (w2from, w2to) = week(12);
    for (body, status, code) in [
        // The same days again.
        (
            json!({"kind": "annual", "from": from.to_string(), "to": to.to_string()}),
            409,
            "leave_overlap",
        ),
        // Ends before it starts.
        (
            json!({"kind": "annual", "from": w2to.to_string(), "to": w2from.to_string()}),
            422,
            "before_from",
        ),
        // A weekend only.
        (
            json!({"kind": "annual", "from": (w2to + Duration::days(1)).to_string(), "to": (w2to + Duration::days(2)).to_string()}),
            422,
            "no_working_day",
        ),
        // Forty weeks: more than any year's balance.
        (
            json!({"kind": "annual", "from": w2from.to_string(), "to": (w2from + Duration::weeks(40)).to_string()}),
            422,
            "over_balance",
        ),
        (
            json!({"kind": "annual", "from": "2026-02-30", "to": w2to.to_string()}),
            422,
            "bad_date",
        ),
        (
            json!({"kind": "sabbatical", "from": w2from.to_string(), "to": w2to.to_string()}),
            422,
            "bad_leave_kind",
        ),
        (
            json!({"kind": "unpaid", "from": w2from.to_string(), "to": w2to.to_string()}),
            422,
            "required",
        ),
        // The fields in order, as an array: serde would read it as the
        // struct; nobody wrote a request so.
        (
            json!(["annual", null, w2from.to_string(), w2to.to_string()]),
            422,
            "invalid_json",
        ),
        (
            json!({"kind": "annual", "from": w2from.to_string(), "to": w2to.to_string(), "address": "a\u{0}b"}),
            422,
            "control_character",
        ),
    ] {
        let (s, v) = memur.post("/leave-requests", body.clone()).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (status, Some(code)),
            "{body}: {v}"
        );
    }
    assert_eq!(my_requests(&memur).await.len(), n, "nothing written");

    // It waits on the Şef, to initial.
    let (_, waiting) = sef.get("/leave-requests").await;
    let mine = waiting["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == id)
        .unwrap_or_else(|| panic!("{waiting}"))
        .clone();
    assert_eq!(mine["my_step"], "initial");
    assert_eq!(mine["person_name"], "Irmak Polat");
    // The decider sees what the year keeps if it is approved.
    assert_eq!(
        mine["remaining_if_approved"], pending["remaining"],
        "{mine}"
    );
    // Not yet the Müdür's: it waits for the Şef's initials.
    let (_, waiting) = mudur.get("/leave-requests").await;
    assert!(
        !waiting["waiting"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["id"] == id),
        "{waiting}"
    );
    let (s, v) = mudur
        .post(
            &format!("/leave-requests/{id}/decision"),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("leave_needs_initials")),
        "{v}"
    );
    // Not on another section's Şef, nor on a colleague: for them it is not there.
    for who in ["sef.teknik", "memur.teknik"] {
        let other = app.as_user(who).await;
        let (s, _) = other.get(&format!("/leave-requests/{id}")).await;
        assert_eq!(s, 404, "{who}");
        let (s, _) = other
            .post(
                &format!("/leave-requests/{id}/decision"),
                json!({"decision": "approve"}),
            )
            .await;
        assert_eq!(s, 404, "{who}");
    }
    // One's own: no.
    let (s, v) = memur
        .post(
            &format!("/leave-requests/{id}/decision"),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("leave_own")),
        "{v}"
    );
    // The Şef may not reject (the approver's), nor return without a reason.
    let (s, v) = sef
        .post(
            &format!("/leave-requests/{id}/decision"),
            json!({"decision": "reject", "note": "Hayır"}),
        )
        .await;
    assert_eq!(s, 403, "{v}");
    assert!(
        v.to_string().contains("approve_leave") || v.to_string().contains("İzin onayı"),
        "names the authority: {v}"
    );
    let (s, v) = sef
        .post(
            &format!("/leave-requests/{id}/decision"),
            json!({"decision": "return"}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["field"].as_str()),
        (422, Some("note")),
        "{v}"
    );
    let (s, v) = sef
        .post(
            &format!("/leave-requests/{id}/decision"),
            json!({"decision": "maybe"}),
        )
        .await;
    assert!(s == 400 || s == 422, "{s} {v}");

    let (s, v) = sef
        .post(
            &format!("/leave-requests/{id}/decision"),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["state"], "initialled");
    assert_eq!(v["initialled_by_name"], "Gülşen Aydın");
    // Initialled once; what comes next is the approver's.
    let (s, v) = sef
        .post(
            &format!("/leave-requests/{id}/decision"),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(s, 403, "{v}");
    // The Müdür sees it waiting for approval.
    let (_, waiting) = mudur.get("/leave-requests").await;
    assert!(
        waiting["waiting"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["id"] == id && w["my_step"] == "approve"),
        "{waiting}"
    );
    let (s, v) = mudur
        .post(
            &format!("/leave-requests/{id}/decision"),
            json!({"decision": "approve", "note": "Uygundur."}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["state"], "approved");
    assert_eq!(v["decided_by_name"], "Hülya Çelik");
    let (s, again) = mudur
        .post(
            &format!("/leave-requests/{id}/decision"),
            json!({"decision": "reject", "note": "x"}),
        )
        .await;
    assert_eq!(
        (s, again["error"]["code"].as_str()),
        (409, Some("leave_decided"))
    );

    let after = balance(&memur, "memur.bt", year).await;
    assert_eq!(
        after["used"].as_f64().unwrap(),
        before["used"].as_f64().unwrap() + days,
        "{after}"
    );
    assert_eq!(after["remaining"], pending["remaining"], "{after}");

    // The İzin Onay Formu.
    let form = memur
        .req(
            reqwest::Method::GET,
            v["form"].as_str().unwrap().trim_start_matches("/api/v1"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(form.headers()["content-type"], "application/pdf");
    let text = pdf_text(&form.bytes().await.unwrap());
    for want in [
        "YILLIK İZİN ONAY FORMU",
        "Göreve başlama tarihi",
        "Kalan izin",
        "Irmak Polat",
        &tr(from),
        &tr(to),
        "657 m.102",
        "Gülşen Aydın",
        "Hülya Çelik",
        "Antalya",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }

    // Who may read the balance: the Kalem and a superior, logged; not a
    // Şef of another section.
    assert_eq!(
        app.as_user("memur.kalem")
            .await
            .get(&format!("/people/memur.bt/leave-balance?year={year}"))
            .await
            .0,
        200
    );
    assert_eq!(
        app.as_user("sef.teknik")
            .await
            .get("/people/memur.bt/leave-balance")
            .await
            .0,
        403
    );
    let (_, audit) = mudur.get("/audit?action=leave.").await;
    let actions: Vec<(&str, &str)> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject"] == format!("leave:{id}"))
        .map(|e| (e["action"].as_str().unwrap(), e["basis"].as_str().unwrap()))
        .collect();
    assert!(
        actions.iter().any(|(a, _)| *a == "leave.requested"),
        "{actions:?}"
    );
    assert!(
        actions
            .iter()
            .any(|(a, b)| *a == "leave.initialled" && b.contains("m.13")),
        "{actions:?}"
    );
    assert!(
        actions
            .iter()
            .any(|(a, b)| *a == "leave.approved" && b.contains("m.9/4")),
        "{actions:?}"
    );
    // The Kalem reads the request (where she is during the leave): logged.
    assert_eq!(
        app.as_user("sef.kalem")
            .await
            .get(&format!("/leave-requests/{id}"))
            .await
            .0,
        200
    );
    let (_, read) = mudur.get("/audit?action=leave.viewed").await;
    assert!(
        read.as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor"] == "sef.kalem"),
        "{read}"
    );
    let (_, viewed) = mudur.get("/audit?action=staff.leave_viewed").await;
    assert!(
        viewed
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor"] == "memur.kalem"),
        "{viewed}"
    );
    let verdict = store::connect(&app.database_url)
        .await
        .unwrap()
        .verify_audit()
        .await
        .unwrap();
    assert!(verdict.broken.is_none());
}
on_both_engines!(a_memur_asks_the_sef_initials_the_mudur_approves);

/// The Müdür's leave goes to the Başkan Yardımcısı (no Şef above her);
/// an İşçi's follows 4857; who has no leave here is told why; only the
/// Kalem records the service start.
async fn the_mudurs_leave_and_the_records(db: Db) {
    let app = spawn_demo(db).await;
    let mudur = app.as_user("mudur").await;
    let by = app.as_user("baskan.yardimcisi").await;
    let (from, to) = week(8);
    let (s, r) = mudur
        .post(
            "/leave-requests",
            json!({"kind": "annual", "from": from.to_string(), "to": to.to_string()}),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    let (_, waiting) = by.get("/leave-requests").await;
    assert!(
        waiting["waiting"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["id"] == id && w["my_step"] == "approve"),
        "straight to the approver: {waiting}"
    );
    let (s, v) = by
        .post(
            &format!("/leave-requests/{id}/decision"),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!((s, v["state"].as_str()), (200, Some("approved")), "{v}");
    assert!(v["initialled_by_name"].is_null());

    // İşçi from 03.05.2010: sixteen years, 4857 m.53, 26 days.
    let (_, b) = mudur.get("/people/isci.teknik/leave-balance").await;
    assert_eq!(
        (b["entitlement"].as_i64(), b["basis"].as_str()),
        (Some(26), Some("4857 m.53")),
        "{b}"
    );

    // Nobody here approves the Başkan's or his deputy's leave: not taken.
    for who in ["baskan", "baskan.yardimcisi"] {
        let (s, v) = app
            .as_user(who)
            .await
            .post(
                "/leave-requests",
                json!({"kind": "annual", "from": from.to_string(), "to": to.to_string()}),
            )
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (409, Some("leave_no_approver")),
            "{who}: {v}"
        );
    }

    // The administrator has no staff record.
    let admin = app.as_user("admin").await;
    let (s, v) = admin
        .post(
            "/leave-requests",
            json!({"kind": "annual", "from": from.to_string(), "to": to.to_string()}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("no_leave_here")),
        "{v}"
    );

    // The Kalem records the service start; nobody else.
    let body = json!({"service_start": "2021-03-01", "birth_date": "1990-01-01"});
    let memur = app.as_user("memur.bt").await;
    let r = memur
        .req(reqwest::Method::PUT, "/people/memur.teknik/employment")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let kalem = app.as_user("memur.kalem").await;
    for bad in [
        json!({"service_start": "2099-01-01"}),
        json!({"service_start": "1900-01-01"}),
        // Working at two.
        json!({"service_start": "1990-01-01", "birth_date": "1988-06-21"}),
        json!({"service_start": "2021-03-01", "opening_year": 2026}),
        json!({"service_start": "2021-03-01", "opening_year": 2026, "opening_days": 2.25}),
    ] {
        let r = kalem
            .req(reqwest::Method::PUT, "/people/memur.teknik/employment")
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{bad}");
    }
    // Not her own.
    let r = kalem
        .req(reqwest::Method::PUT, "/people/memur.kalem/employment")
        .json(&json!({"service_start": "1990-01-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = kalem
        .req(reqwest::Method::PUT, "/people/memur.teknik/employment")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["person_name"], "Selçuk Güneş");
    // The opening balance from the paper records: 7.5 days carried into
    // this year; earlier years are not reckoned again.
    let this_year = local_today().year();
    let r = kalem
        .req(reqwest::Method::PUT, "/people/memur.teknik/employment")
        .json(
            &json!({"service_start": "2021-03-01", "opening_year": this_year, "opening_days": 7.5}),
        )
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["carried_over"], json!(7.5), "{v}");
    let (_, audit) = mudur.get("/audit?action=staff.employment_set").await;
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor"] == "memur.kalem"),
        "{audit}"
    );
}
on_both_engines!(the_mudurs_leave_and_the_records);

/// The page a redirect leads to.
async fn follow(c: &reqwest::Client, app: &common::TestApp, r: &reqwest::Response) -> String {
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.starts_with("/personel/izin?tamam="), "{to}");
    c.get(app.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The page: the balance, the form counting working days, the Şef's
/// button, the Müdür's; a bad form comes back with what was typed.
async fn the_leave_page(db: Db) {
    let app = spawn_demo(db).await;
    let (web, csrf) = common::page_client(&app, "memur.bt").await;
    let page = web.get(app.url("/personel/izin")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Yıllık izin durumum"), "{html}");
    assert!(html.contains("data-working-days"), "{html}");
    // A leave that ends before it starts comes back with its dates.
    let (from, to) = week(10);
    let r = web
        .post(app.url("/personel/izin"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("from", &to.to_string()),
            ("to", &from.to_string()),
            ("address", "İzmir"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("İzmir") && html.contains(&to.to_string()),
        "{html}"
    );
    let r = web
        .post(app.url("/personel/izin"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("from", &from.to_string()),
            ("to", &to.to_string()),
            ("address", "İzmir"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = follow(&web, &app, &r).await;
    assert!(html.contains("İzin talebiniz gönderildi"), "{html}");
    assert!(html.contains("Şef parafı bekliyor"), "{html}");
    let memur = app.as_user("memur.bt").await;
    let id = my_requests(&memur)
        .await
        .iter()
        .find(|r| r["from"] == from.to_string())
        .unwrap()["id"]
        .as_i64()
        .unwrap();

    let (sef, sef_csrf) = common::page_client(&app, "sef.bt").await;
    let html = sef
        .get(app.url("/personel/izin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("waiting-{id}")) && html.contains("Parafla"),
        "{html}"
    );
    assert!(html.contains("Irmak Polat"));
    let r = sef
        .post(app.url(&format!("/personel/izin/{id}/karar")))
        .form(&[
            ("_csrf", sef_csrf.as_str()),
            ("decision", "approve"),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert!(follow(&sef, &app, &r).await.contains("Talep paraflandı"));
    let (mudur, mudur_csrf) = common::page_client(&app, "mudur").await;
    let home = mudur
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("/personel/izin#waiting"),
        "the dashboard card"
    );
    let r = mudur
        .post(app.url(&format!("/personel/izin/{id}/karar")))
        .form(&[
            ("_csrf", mudur_csrf.as_str()),
            ("decision", "approve"),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert!(follow(&mudur, &app, &r).await.contains("İzin onaylandı"));
    let html = web
        .get(app.url("/personel/izin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("/api/v1/leave-requests/{id}/form.pdf")),
        "{html}"
    );
    assert!(html.contains("Hülya Çelik"), "{html}");
}
on_both_engines!(the_leave_page);

/// Overtime (m.10/14) within the law: 4857 m.41 (270 hours a year) and
/// m.63 (eleven hours' work a day) for an İşçi, the budget law's monthly
/// hours for a Memur (657 m.178, set here to 10), outside office hours,
/// ordered by the Müdür for staff below him.
async fn overtime_within_the_law(db: Db) {
    let app = common::spawn_demo_with_config(db, "[overtime]\nmemur_monthly_hours = 10\n").await;
    let mudur = app.as_user("mudur").await;
    // Next year's weekends and Mondays, in one year.
    let next = local_today().year() + 1;
    let jan1 = Date::from_calendar_date(next, time::Month::January, 1).unwrap();
    let saturday = jan1.next_occurrence(Weekday::Saturday);
    let at = |d: Date, hm: &str| format!("{d}T{hm}:00+03:00");
    let order = |person: &str, d: Date, from: &str, until: &str| json!({"person": person, "from": at(d, from), "until": at(d, until), "reason": "Yıl sonu sunucu bakımı"});
    let (s, v) = mudur
        .post(
            "/overtime",
            order("isci.teknik", saturday, "09:00", "20:00"),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["hours"], json!(11.0));
    assert_eq!(v["person_name"], "Ramazan Erdoğan");
    // The same hours again.
    let (s, v) = mudur
        .post(
            "/overtime",
            order("isci.teknik", saturday, "12:00", "13:00"),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("overtime_overlap")),
        "{v}"
    );
    // A Monday: eight hours' work, three more at most (4857 m.63).
    let mut monday = saturday.next_occurrence(Weekday::Monday);
    while !common_working_day(&mudur, monday).await {
        monday += Duration::weeks(1);
    }
    let (s, v) = mudur
        .post("/overtime", order("isci.teknik", monday, "17:30", "21:00"))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str(), v["error"]["field"].as_str()),
        (422, Some("overtime_day_limit"), Some("until")),
        "{v}"
    );
    // Inside office hours, across midnight: refused.
    let (s, v) = mudur
        .post("/overtime", order("isci.teknik", monday, "10:00", "12:00"))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("overtime_in_hours")),
        "{v}"
    );
    let (s, v) = mudur
        .post(
            "/overtime",
            json!({"person": "isci.teknik", "from": at(saturday + Duration::weeks(1), "20:00"), "until": at(saturday + Duration::weeks(1) + Duration::days(1), "02:00"), "reason": "Gece"}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("overtime_one_day")),
        "{v}"
    );
    let (s, v) = mudur
        .post("/overtime", order("isci.teknik", monday, "17:30", "20:30"))
        .await;
    assert_eq!(s, 201, "{v}");
    // 4857 m.41: 270 hours a year. 11 + 3 so far; 23 Saturdays more of
    // 11 hours: 267; a Sunday of 3: 270; one hour more is refused.
    for w in 1..=23 {
        let (s, v) = mudur
            .post(
                "/overtime",
                order(
                    "isci.teknik",
                    saturday + Duration::weeks(w),
                    "09:00",
                    "20:00",
                ),
            )
            .await;
        assert_eq!(s, 201, "week {w}: {v}");
    }
    let sunday = saturday + Duration::days(1);
    let (s, v) = mudur
        .post("/overtime", order("isci.teknik", sunday, "09:00", "12:00"))
        .await;
    assert_eq!(s, 201, "{v}");
    let (s, v) = mudur
        .post(
            "/overtime",
            order("isci.teknik", sunday + Duration::weeks(1), "09:00", "10:00"),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("overtime_year_limit")),
        "{v}"
    );
    // A Memur: the budget law's hours, here 10 a month.
    let (s, v) = mudur
        .post("/overtime", order("memur.bt", saturday, "09:00", "15:00"))
        .await;
    assert_eq!(s, 201, "{v}");
    let (s, v) = mudur
        .post("/overtime", order("memur.bt", sunday, "09:00", "14:00"))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("overtime_month_limit")),
        "{v}"
    );
    // The refusal gives the figure: four of the ten hours remain.
    assert_eq!(
        (
            v["error"]["left"].as_f64(),
            v["error"]["left_unit"].as_str()
        ),
        (Some(4.0), Some("hours")),
        "{v}"
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .ends_with("Kalan: 4 saat."),
        "{v}"
    );
    // Only the Müdür orders, and not for himself.
    let (s, _) = app
        .as_user("sef.teknik")
        .await
        .post(
            "/overtime",
            order(
                "isci.teknik",
                saturday + Duration::weeks(30),
                "09:00",
                "10:00",
            ),
        )
        .await;
    assert_eq!(s, 403);
    let (s, v) = mudur
        .post(
            "/overtime",
            order("mudur", saturday + Duration::weeks(30), "09:00", "10:00"),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("own_overtime")),
        "{v}"
    );
    // What the person sees: hours and what remains.
    let isci = app.as_user("isci.teknik").await;
    let (s, v) = isci
        .get(&format!("/overtime?month={}", &saturday.to_string()[..7]))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["mine"]["hours_year"], json!(270.0), "{v}");
    assert_eq!(v["mine"]["remaining_year"], json!(0.0), "{v}");
    assert!(v["may_order"].as_array().unwrap().is_empty());
    let (_, v) = mudur
        .get(&format!("/overtime?month={}", &saturday.to_string()[..7]))
        .await;
    assert!(
        v["may_order"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p[1] == "Ramazan Erdoğan"),
        "{v}"
    );
    let (_, audit) = mudur.get("/audit?action=overtime.ordered").await;
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["basis"].as_str().unwrap().contains("m.10/14")),
        "{audit}"
    );
}
on_both_engines!(overtime_within_the_law);

/// Whether `d` is a working day (the working-days answer for one day).
async fn common_working_day(u: &ApiUser, d: Date) -> bool {
    working_days(u, d, d).await == 1.0
}

/// The overtime page: the Müdür's form lists only his staff by name, a
/// refused order comes back with what was typed and the limit named, an
/// ordered one shows on the person's page.
async fn the_overtime_page(db: Db) {
    let app = spawn_demo(db).await;
    let (web, csrf) = common::page_client(&app, "mudur").await;
    let html = web
        .get(app.url("/personel/mesai"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("overtime-form") && html.contains("Ramazan Erdoğan"),
        "{html}"
    );
    assert!(!html.contains(">mudur<") && !html.contains("isci.teknik</option>"));
    // A Monday evening of four hours after an eight-hour day: more than
    // 4857 m.63 allows an İşçi.
    let mut monday = local_today().next_occurrence(Weekday::Monday) + Duration::weeks(5);
    let u = app.as_user("mudur").await;
    while working_days(&u, monday, monday).await != 1.0 {
        monday += Duration::weeks(1);
    }
    let form = |until: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("person", "isci.teknik".to_owned()),
            ("day", monday.to_string()),
            ("from", "17:30".to_owned()),
            ("until", until.to_owned()),
            ("reason", "Yedekleme denemesi".to_owned()),
        ]
    };
    let r = web
        .post(app.url("/personel/mesai"))
        .form(&form("21:30"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("11 saati") && html.contains("Yedekleme denemesi"),
        "{html}"
    );
    let r = web
        .post(app.url("/personel/mesai"))
        .form(&form("19:30"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (isci, _) = common::page_client(&app, "isci.teknik").await;
    let html = isci
        .get(app.url(&format!(
            "/personel/mesai?month={}",
            &monday.to_string()[..7]
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("left-year") && html.contains("Hülya Çelik"),
        "{html}"
    );
    assert!(!html.contains("overtime-form"), "an İşçi orders nothing");
}
on_both_engines!(the_overtime_page);

/// A Monday-to-Friday week of five working days in the month before this
/// one (which may be closed: it is over).
async fn last_months_week(u: &ApiUser) -> (Date, Date) {
    let first = local_today().replace_day(1).unwrap();
    let prev = (first - Duration::days(1)).replace_day(1).unwrap();
    let mut monday = (prev - Duration::days(1)).next_occurrence(Weekday::Monday);
    loop {
        let friday = monday + Duration::days(4);
        assert_eq!(
            friday.month(),
            prev.month(),
            "no whole working week last month"
        );
        if working_days(u, monday, friday).await == 5.0 {
            return (monday, friday);
        }
        monday += Duration::weeks(1);
    }
}

/// A sick report during approved annual leave gives the days it covers
/// back (Hastalık Raporları Yönetmeliği, RG 29.10.2011 28099, m.8; the
/// lost days are used later under 657 m.103); the unit's timesheet shows
/// leave, report and holidays day by day, prints as PDF with the Şef's
/// and the Müdür's signature blocks and exports as CSV; a closed month
/// refuses changes but a correction record; every refusal changes nothing.
async fn sick_reports_and_the_timesheet(db: Db) {
    let app = spawn_demo(db).await;
    let memur = app.as_user("memur.bt").await;
    let sef = app.as_user("sef.bt").await;
    let mudur = app.as_user("mudur").await;
    let kalem = app.as_user("memur.kalem").await;
    let (monday, friday) = last_months_week(&memur).await;
    let month = format!("{}-{:02}", monday.year(), u8::from(monday.month()));
    let year = monday.year();
    let (s, r) = memur
        .post(
            "/leave-requests",
            json!({"kind": "annual", "from": monday.to_string(), "to": friday.to_string()}),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    let ok = json!({"decision": "approve", "note": ""});
    let (s, v) = sef
        .post(&format!("/leave-requests/{id}/decision"), ok.clone())
        .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = mudur
        .post(&format!("/leave-requests/{id}/decision"), ok)
        .await;
    assert_eq!((s, v["state"].as_str()), (200, Some("approved")), "{v}");
    let approved = balance(&memur, "memur.bt", year).await;

    // The report: Wednesday to the Sunday after the leave.
    let wednesday = monday + Duration::days(2);
    let sunday = friday + Duration::days(2);
    let report = json!({"person": "memur.bt", "from": wednesday.to_string(), "to": sunday.to_string(),
        "institution": "Ankara Şehir Hastanesi", "number": "R-2026-4471"});
    // Refused, and nothing written: no number, dates reversed, the person
    // himself, someone who does not keep the records.
    let mut bad = report.clone();
    bad["number"] = json!("  ");
    let (s, v) = kalem.post("/sick-reports", bad).await;
    assert_eq!(
        (s, v["error"]["field"].as_str()),
        (422, Some("number")),
        "{v}"
    );
    let mut bad = report.clone();
    bad["to"] = json!(monday.to_string());
    let (s, v) = kalem.post("/sick-reports", bad).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("before_from")),
        "{v}"
    );
    let (s, v) = memur.post("/sick-reports", report.clone()).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (403, Some("forbidden")),
        "{v}"
    );
    let mut own = report.clone();
    own["person"] = json!("memur.kalem");
    let (s, v) = kalem.post("/sick-reports", own).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("own_record")),
        "{v}"
    );
    let (s, v) = kalem.get("/people/memur.bt/sick-reports").await;
    assert_eq!((s, v.as_array().map(Vec::len)), (200, Some(0)), "{v}");

    let (s, v) = kalem.post("/sick-reports", report.clone()).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["days"], 5, "Wednesday to Sunday: {v}");
    assert_eq!(v["person_name"], "Irmak Polat");
    // Wednesday to Friday were annual leave: three days back (m.8/2).
    assert_eq!(v["leave_days_returned"].as_f64(), Some(3.0), "{v}");
    let after = balance(&memur, "memur.bt", year).await;
    assert_eq!(
        after["remaining"].as_f64().unwrap(),
        approved["remaining"].as_f64().unwrap() + 3.0,
        "{approved} → {after}"
    );
    let (s, v) = kalem.post("/sick-reports", report.clone()).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("report_overlap")),
        "{v}"
    );
    let (_, v) = memur.get("/people/memur.bt/sick-reports").await;
    assert_eq!(
        v.as_array().map(Vec::len),
        Some(1),
        "the person sees their own: {v}"
    );
    assert_eq!(v[0]["number"], "R-2026-4471");

    // The sheet: the Kalem, the unit's Şef and the Müdür read it; the
    // person and another unit's Şef do not.
    let path = format!("/timesheets?unit=bt&month={month}");
    for u in [&memur, &app.as_user("sef.teknik").await] {
        let (s, v) = u.get(&path).await;
        assert_eq!(s, 403, "{v}");
    }
    let (s, v) = sef.get(&path).await;
    assert_eq!(s, 200, "{v}");
    let (s, sheet) = kalem.get(&path).await;
    assert_eq!(s, 200, "{sheet}");
    assert_eq!(sheet["unit_name"], "Bilgi Teknolojileri Şefliği");
    let row = sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["person_name"] == "Irmak Polat")
        .unwrap_or_else(|| panic!("{sheet}"))
        .clone();
    let day = |d: Date| {
        row["letters"][usize::from(d.day()) - 1]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(day(monday), "Y");
    assert_eq!(day(monday + Duration::days(1)), "Y");
    assert_eq!(day(wednesday), "R");
    assert_eq!(
        day(friday + Duration::days(1)),
        "R",
        "the report's Saturday"
    );
    assert_eq!(row["totals"]["annual"].as_f64(), Some(2.0), "{row}");
    assert_eq!(row["totals"]["sick"].as_f64(), Some(5.0), "{row}");
    assert_eq!(row["title"], "Bilgi Teknolojileri Personeli");
    assert!(
        sheet["signers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["role"] == "Müdür" && s["name"] == "Hülya Çelik"),
        "{sheet}"
    );
    // PDF and CSV.
    let pdf = kalem
        .req(reqwest::Method::GET, &format!("{path}&format=pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let text = pdf_text(&pdf.bytes().await.unwrap());
    assert!(text.contains("AYLIK PUANTAJ CETVELİ"), "{text}");
    assert!(
        text.contains("Irmak Polat") && text.contains("Hülya Çelik"),
        "{text}"
    );
    let csv = kalem
        .req(reqwest::Method::GET, &format!("{path}&format=csv"))
        .send()
        .await
        .unwrap();
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    let line = csv
        .lines()
        .find(|l| l.contains("Irmak Polat"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(
        line.ends_with(";2;0;0;5;") || line.contains(";2;0;0;5;"),
        "{line}"
    );
    // The same table as XLSX for payroll: the totals are numbers.
    let xlsx = kalem
        .req(reqwest::Method::GET, &format!("{path}&format=xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        xlsx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = calamine::Reader::worksheet_range_at(&mut book, 0)
        .unwrap()
        .unwrap();
    let row = range
        .rows()
        .find(|r| r[0].to_string() == "Irmak Polat")
        .expect("her row in the XLSX");
    let from_csv: Vec<f64> = line
        .split(';')
        .rev()
        .take(7)
        .map(|f| f.replace(',', ".").parse().unwrap())
        .collect();
    let from_xlsx: Vec<f64> = row
        .iter()
        .rev()
        .take(7)
        .map(|c| match c {
            calamine::Data::Float(f) => *f,
            other => panic!("a total that is not a number: {other:?}"),
        })
        .collect();
    assert_eq!(from_xlsx, from_csv, "{line}");
    for bad in [
        "unit=belediye",
        "unit=yok",
        "month=2026-13",
        "month=dün",
        "format=docx",
    ] {
        let (s, v) = kalem.get(&format!("/timesheets?{bad}")).await;
        assert_eq!(s, 422, "{bad}: {v}");
    }

    // Closing: not this month (it is not over), last month once.
    let this_month = local_today().to_string()[..7].to_owned();
    let (s, v) = kalem
        .post(&format!("/timesheets/{this_month}/close"), json!({}))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("month_not_over")),
        "{v}"
    );
    let (s, v) = memur
        .post(&format!("/timesheets/{month}/close"), json!({}))
        .await;
    assert_eq!(s, 403, "{v}");
    let (s, v) = kalem
        .post(&format!("/timesheets/{month}/close"), json!({}))
        .await;
    assert_eq!((s, v["closed"].as_bool()), (200, Some(true)), "{v}");
    let (s, v) = kalem
        .post(&format!("/timesheets/{month}/close"), json!({}))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("month_already_closed")),
        "{v}"
    );
    // The closed month refuses leave and reports in it.
    let (s, v) = app
        .as_user("memur.teknik")
        .await
        .post(
            "/leave-requests",
            json!({"kind": "annual", "from": monday.to_string(), "to": monday.to_string()}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("month_closed")),
        "{v}"
    );
    let mut other = report.clone();
    other["person"] = json!("memur.teknik");
    let (s, v) = kalem.post("/sick-reports", other).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("month_closed")),
        "{v}"
    );
    // A correction changes a day of it, and shows.
    let fix = json!({"person": "memur.bt", "day": monday.to_string(), "mark": "excuse", "note": "Yazı 2026/118: mazeret izni olarak düzeltildi"});
    let (s, v) = memur.post("/timesheets/corrections", fix.clone()).await;
    assert_eq!(s, 403, "{v}");
    let (s, v) = kalem
        .post(
            "/timesheets/corrections",
            json!({"person": "memur.bt", "day": monday.to_string(), "mark": "tatil", "note": "x"}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["field"].as_str()),
        (422, Some("mark")),
        "{v}"
    );
    let (s, v) = kalem.post("/timesheets/corrections", json!({"person": "memur.bt", "day": local_today().to_string(), "mark": "sick", "note": "x"})).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("month_open")),
        "{v}"
    );
    let (s, v) = kalem.post("/timesheets/corrections", fix).await;
    assert_eq!(s, 201, "{v}");
    let (_, sheet) = kalem.get(&path).await;
    let row = sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["person_name"] == "Irmak Polat")
        .unwrap()
        .clone();
    assert_eq!(row["letters"][usize::from(monday.day()) - 1], "M", "{row}");
    assert_eq!(row["totals"]["annual"].as_f64(), Some(1.0), "{row}");
    assert_eq!(
        sheet["corrections"].as_array().map(Vec::len),
        Some(1),
        "{sheet}"
    );
}
on_both_engines!(sick_reports_and_the_timesheet);

/// Excuse leave (mazeret izni): 657 m.104/B gives a Memur seven days for
/// a marriage or a death and ten for paternity, m.104/C ten working days
/// a year with the unit head's consent; 4857 Ek m.2 gives an İşçi three
/// days for a marriage or a death and five for paternity, and no
/// discretionary leave. The days of m.104/B and Ek m.2 run over weekends
/// and holidays (the law says "gün"). Annual balances do not move.
async fn excuse_leave_under_each_law(db: Db) {
    let app = spawn_demo(db).await;
    let memur = app.as_user("memur.bt").await;
    let isci = app.as_user("isci.teknik").await;
    let (monday, _) = week(10);
    let friday = monday - Duration::days(3);
    let year = monday.year();
    let before = balance(&memur, "memur.bt", year).await;
    let ask = |kind: &str, reason: Option<&str>, from: Date, to: Date| {
        let mut b = json!({"kind": kind, "from": from.to_string(), "to": to.to_string()});
        if let Some(r) = reason {
            b["reason"] = json!(r);
        }
        b
    };
    // Refused first, and nothing written.
    for (who, body, status, field, code) in [
        (
            &memur,
            ask("excuse", None, friday, friday),
            422,
            "reason",
            "required",
        ),
        (
            &memur,
            ask("excuse", Some("tatil"), friday, friday),
            422,
            "reason",
            "bad_excuse",
        ),
        // Friday to the next Friday: eight days, one past 657 m.104/B.
        (
            &memur,
            ask(
                "excuse",
                Some("marriage"),
                friday,
                friday + Duration::days(7),
            ),
            422,
            "to",
            "excuse_too_long",
        ),
        (
            &isci,
            ask("excuse", Some("discretionary"), monday, monday),
            422,
            "reason",
            "excuse_not_under_law",
        ),
        // Four days: one past 4857 Ek m.2.
        (
            &isci,
            ask("excuse", Some("death"), monday, monday + Duration::days(3)),
            422,
            "to",
            "excuse_too_long",
        ),
        (
            &memur,
            ask("unpaid", None, monday, monday),
            422,
            "reason",
            "required",
        ),
    ] {
        let (s, v) = who.post("/leave-requests", body.clone()).await;
        assert_eq!(
            (s, v["error"]["field"].as_str(), v["error"]["code"].as_str()),
            (status, Some(field), Some(code)),
            "{body}: {v}"
        );
    }
    let n = my_requests(&memur).await.len();
    // Seven days from a Friday, the weekend in them.
    let (s, r) = memur
        .post(
            "/leave-requests",
            ask(
                "excuse",
                Some("marriage"),
                friday,
                friday + Duration::days(6),
            ),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(
        (r["kind"].as_str(), r["reason"].as_str()),
        (Some("excuse"), Some("marriage"))
    );
    assert_eq!(r["days"].as_f64(), Some(7.0), "{r}");
    assert_eq!(my_requests(&memur).await.len(), n + 1);
    // The İşçi's three days of bereavement.
    let (s, r2) = isci
        .post(
            "/leave-requests",
            ask(
                "excuse",
                Some("death"),
                monday + Duration::days(14),
                monday + Duration::days(16),
            ),
        )
        .await;
    assert_eq!((s, r2["days"].as_f64()), (201, Some(3.0)), "{r2}");
    // The Şef initials, the Müdür approves; the form names the article;
    // the annual balance is as it was.
    let id = r["id"].as_i64().unwrap();
    let ok = json!({"decision": "approve", "note": ""});
    let (s, v) = app
        .as_user("sef.bt")
        .await
        .post(&format!("/leave-requests/{id}/decision"), ok.clone())
        .await;
    assert_eq!(s, 200, "{v}");
    let mudur = app.as_user("mudur").await;
    let (s, v) = mudur
        .post(&format!("/leave-requests/{id}/decision"), ok)
        .await;
    assert_eq!((s, v["state"].as_str()), (200, Some("approved")), "{v}");
    let pdf = memur
        .req(
            reqwest::Method::GET,
            &format!("/leave-requests/{id}/form.pdf"),
        )
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = pdf_text(&pdf);
    assert!(
        text.contains("MAZERET İZNİ ONAY FORMU") && text.contains("657 m.104/B"),
        "{text}"
    );
    assert!(text.contains("hafta sonu ve tatiller dahil"), "{text}");
    let after = balance(&memur, "memur.bt", year).await;
    assert_eq!(
        after["remaining"], before["remaining"],
        "{before} → {after}"
    );

    // 657 m.104/C: ten working days a year, then no more.
    let teknik = app.as_user("memur.teknik").await;
    // Three weeks of next January and February: one year.
    let jan = Date::from_calendar_date(local_today().year() + 1, time::Month::January, 8).unwrap();
    let m2 = jan.next_occurrence(Weekday::Monday) + Duration::weeks(1);
    let f2 = m2 + Duration::days(4);
    let m3 = m2 + Duration::weeks(1);
    let (s, v) = teknik
        .post(
            "/leave-requests",
            ask("excuse", Some("discretionary"), m2, f2),
        )
        .await;
    assert_eq!(
        (s, v["days"].as_f64()),
        (201, Some(working_days(&teknik, m2, f2).await)),
        "{v}"
    );
    let (m4, f4) = (
        m2 + Duration::weeks(2),
        m2 + Duration::weeks(2) + Duration::days(4),
    );
    let (s, v) = teknik
        .post(
            "/leave-requests",
            ask("excuse", Some("discretionary"), m4, f4),
        )
        .await;
    if working_days(&teknik, m2, f2).await + working_days(&teknik, m4, f4).await <= 10.0 {
        assert_eq!(s, 201, "{v}");
        let (s, v) = teknik
            .post(
                "/leave-requests",
                ask("excuse", Some("discretionary"), m3, m3 + Duration::days(1)),
            )
            .await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (422, Some("excuse_year_spent")),
            "{v}"
        );
    } else {
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (422, Some("excuse_year_spent")),
            "{v}"
        );
    }
}
on_both_engines!(excuse_leave_under_each_law);

/// The personnel file (m.16/1-a): the Kalem files documents under the
/// file plan's 903 codes with their scans; a certificate near its end
/// warns; trainings with attendance; the person, a superior and the Kalem
/// read the file, nobody else; bad input changes nothing.
async fn the_personnel_file(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let teknik = app.as_user("isci.teknik").await;
    let memur_bt = app.as_user("memur.bt").await;
    let today = local_today();
    // A scan the Kalem uploads.
    let mut pdf = b"%PDF-1.4\n% yetki belgesi\n".to_vec();
    pdf.extend_from_slice(format!("{}\n%%EOF\n", today).as_bytes());
    let r = kalem
        .req(reqwest::Method::POST, "/attachments")
        .header("content-type", "application/pdf")
        .body(pdf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let scan = r.json::<Value>().await.unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    let cert = json!({"kind": "certificate", "title": "Elektrik tesisatı yetki belgesi",
        "issued_on": "2022-03-01", "expires_on": (today + Duration::days(30)).to_string(), "file": scan});
    let path = "/people/isci.teknik/file/documents";
    // Refused, and nothing filed.
    for (who, body, status, field) in [
        (
            &kalem,
            json!({"kind": "diploma", "title": "Lisans diploması", "code": "774.06"}),
            422,
            Some("code"),
        ),
        (
            &kalem,
            json!({"kind": "belge", "title": "x"}),
            422,
            Some("kind"),
        ),
        (
            &kalem,
            json!({"kind": "diploma", "title": "  "}),
            422,
            Some("title"),
        ),
        (
            &kalem,
            json!({"kind": "certificate", "title": "x", "issued_on": "2024-05-01", "expires_on": "2024-04-30"}),
            422,
            Some("expires_on"),
        ),
        (
            &kalem,
            json!({"kind": "certificate", "title": "x", "file": "ab".repeat(32)}),
            422,
            Some("file"),
        ),
        (&memur_bt, cert.clone(), 403, None),
    ] {
        let (s, v) = who.post(path, body.clone()).await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (status, field),
            "{body}: {v}"
        );
    }
    let (s, v) = kalem
        .post("/people/memur.kalem/file/documents", cert.clone())
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("own_record")),
        "{v}"
    );
    let (_, f) = teknik.get("/people/isci.teknik/file").await;
    assert_eq!(f["documents"].as_array().map(Vec::len), Some(0), "{f}");

    let (s, d) = kalem.post(path, cert).await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(
        (d["code"].as_str(), d["validity"].as_str()),
        (Some("903.99"), Some("expiring")),
        "{d}"
    );
    let (s, d2) = kalem
        .post(path, json!({"kind": "appointment", "title": "Atama onayı", "code": "903.02", "issued_on": "2018-09-03"}))
        .await;
    assert_eq!(
        (s, d2["code_name"].as_str()),
        (201, Some("Atama İşleri")),
        "{d2}"
    );
    // The person reads his file and the scan; a superior reads the file;
    // another clerk reads neither.
    let (s, f) = teknik.get("/people/isci.teknik/file").await;
    assert_eq!(s, 200, "{f}");
    assert_eq!(f["alerts"], 1, "{f}");
    assert_eq!(f["person_name"], "Ramazan Erdoğan");
    let href = f["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|d| d["file"].as_str())
        .unwrap()
        .to_owned();
    let get = |u: &ApiUser| {
        let href = href.trim_start_matches("/api/v1").to_owned();
        let u = u.clone();
        async move {
            u.req(reqwest::Method::GET, &href)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(get(&teknik).await, 200);
    assert_eq!(get(&memur_bt).await, 404);
    let (s, _) = app
        .as_user("sef.teknik")
        .await
        .get("/people/isci.teknik/file")
        .await;
    assert_eq!(s, 200);
    let (s, _) = memur_bt.get("/people/isci.teknik/file").await;
    assert_eq!(s, 403);
    // The Kalem's list to renew.
    let (s, list) = kalem.get("/personnel/expiring").await;
    assert_eq!(s, 200, "{list}");
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|d| d["title"] == "Elektrik tesisatı yetki belgesi"),
        "{list}"
    );
    let (s, _) = memur_bt.get("/personnel/expiring").await;
    assert_eq!(s, 403);

    // A training the directorate gives, its list, its attendance.
    let from = today - Duration::days(20);
    let t = json!({"title": "KVKK farkındalık eğitimi", "provider": "Bilgi İşlem Müdürlüğü", "ours": true,
        "from": from.to_string(), "to": from.to_string(), "hours": 4, "attendees": ["memur.teknik", "isci.teknik"]});
    for (bad, field) in [
        (json!({"hours": 0}), "hours"),
        (json!({"attendees": ["kimse.yok"]}), "attendees"),
        (json!({"to": (from - Duration::days(1)).to_string()}), "to"),
    ] {
        let mut b = t.clone();
        for (k, v) in bad.as_object().unwrap() {
            b[k] = v.clone();
        }
        let (s, v) = kalem.post("/trainings", b).await;
        assert_eq!((s, v["error"]["field"].as_str()), (422, Some(field)), "{v}");
    }
    let (s, v) = memur_bt.post("/trainings", t.clone()).await;
    assert_eq!(s, 403, "{v}");
    // Its material (issue 18 §4): a file the Kalem uploaded; one nobody
    // uploaded is refused and nothing is recorded.
    let slides = kalem
        .req(reqwest::Method::POST, "/attachments")
        .body("KVKK farkındalık eğitimi sunumu\n".as_bytes().to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(slides.status().as_u16(), 201);
    let slides: Value = slides.json().await.unwrap();
    let mut bad = t.clone();
    bad["materials"] = json!([{"file": "ab".repeat(32), "name": "Sunum"}]);
    let (s, v) = kalem.post("/trainings", bad).await;
    assert_eq!(
        (s, v["error"]["field"].as_str()),
        (422, Some("attachments")),
        "{v}"
    );
    let mut t = t;
    t["materials"] = json!([{"file": slides["sha256"], "name": "Sunum (metin)"}]);
    let (s, tr) = kalem.post("/trainings", t).await;
    assert_eq!(s, 201, "{tr}");
    assert_eq!(tr["attendees"].as_array().map(Vec::len), Some(2));
    assert_eq!(tr["materials"][0]["name"], "Sunum (metin)", "{tr}");
    // Staff read the material; the file is held (not collected as unclaimed).
    let r = teknik
        .req(
            reqwest::Method::GET,
            &format!("/attachments/{}", slides["sha256"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let id = tr["id"].as_i64().unwrap();
    let (s, tr) = kalem
        .post(
            &format!("/trainings/{id}/attendance"),
            json!({"person": "isci.teknik", "attended": true}),
        )
        .await;
    assert_eq!(s, 200, "{tr}");
    assert!(
        tr["attendees"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["person_name"] == "Ramazan Erdoğan" && a["attended"] == true),
        "{tr}"
    );
    let (_, f) = teknik.get("/people/isci.teknik/file").await;
    let ours = f["trainings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "KVKK farkındalık eğitimi")
        .unwrap_or_else(|| panic!("{f}"));
    assert_eq!(ours["attended"], true, "{f}");
}
on_both_engines!(the_personnel_file);

/// Unpaid leave under 657 m.108 and 4857 m.56 (calendar days, no pay, the
/// annual balance untouched), a report within it that gives no sick days
/// (the Devlet Personel Başkanlığı's opinion of 23.06.1992), and idari
/// izin resting on a named genelge within the institution's yearly cap.
async fn unpaid_and_administrative_leave(db: Db) {
    let app = spawn_demo(db).await;
    let memur = app.as_user("memur.bt").await;
    let isci = app.as_user("isci.teknik").await;
    let kalem = app.as_user("memur.kalem").await;
    let sef = app.as_user("sef.bt").await;
    let mudur = app.as_user("mudur").await;
    let ask = |kind: &str, reason: Option<&str>, from: Date, to: Date| {
        let mut b = json!({"kind": kind, "from": from.to_string(), "to": to.to_string()});
        if let Some(r) = reason {
            b["reason"] = json!(r);
        }
        b
    };
    // The form offers what each law gives.
    let (_, mine) = memur.get("/leave-requests").await;
    let kinds: Vec<&str> = mine["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k.as_str())
        .collect();
    assert!(
        kinds.contains(&"unpaid:general") && !kinds.contains(&"unpaid:travel"),
        "{kinds:?}"
    );
    let (_, theirs) = isci.get("/leave-requests").await;
    let kinds: Vec<&str> = theirs["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k.as_str())
        .collect();
    assert!(
        kinds.contains(&"unpaid:travel") && !kinds.contains(&"unpaid:general"),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"administrative"), "{kinds:?}");

    // memur.teknik with four years of service, as the Kalem records it.
    let today = local_today();
    let four_years = Date::from_calendar_date(today.year() - 4, today.month(), 1).unwrap();
    let r = kalem
        .req(reqwest::Method::PUT, "/people/memur.teknik/employment")
        .json(&json!({"service_start": four_years.to_string()}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let teknik = app.as_user("memur.teknik").await;
    let (monday, _) = week(3);
    let before = balance(&memur, "memur.bt", monday.year()).await;
    let n = my_requests(&memur).await.len();
    for (who, body, field, code) in [
        (
            &memur,
            ask("unpaid", Some("tatil"), monday, monday),
            "reason",
            "bad_unpaid_ground",
        ),
        // 657 m.108/E: five years of service.
        (
            &teknik,
            ask("unpaid", Some("general"), monday, monday),
            "reason",
            "unpaid_too_little_service",
        ),
        // 657 m.108/E: a year at most; a year and a day is too long.
        (
            &memur,
            ask(
                "unpaid",
                Some("general"),
                monday,
                domain::leave::add_months(monday, 12),
            ),
            "to",
            "unpaid_too_long",
        ),
        // 4857 knows no 108/E leave; 657 no travel days.
        (
            &isci,
            ask("unpaid", Some("general"), monday, monday),
            "reason",
            "unpaid_not_under_law",
        ),
        (
            &memur,
            ask("unpaid", Some("travel"), monday, monday),
            "reason",
            "unpaid_not_under_law",
        ),
        // 4857 m.56: four days at most.
        (
            &isci,
            ask("unpaid", Some("travel"), monday, monday + Duration::days(4)),
            "to",
            "unpaid_too_long",
        ),
        // Idari izin names what grants it.
        (
            &memur,
            ask("administrative", None, monday, monday),
            "reason",
            "required",
        ),
        (
            &memur,
            ask("administrative", Some("  "), monday, monday),
            "reason",
            "required",
        ),
    ] {
        let (s, v) = who.post("/leave-requests", body.clone()).await;
        assert_eq!(
            (s, v["error"]["field"].as_str(), v["error"]["code"].as_str()),
            (422, Some(field), Some(code)),
            "{body}: {v}"
        );
    }
    assert_eq!(my_requests(&memur).await.len(), n, "nothing written");

    // A week of 108/E leave last month, approved: five calendar days.
    let (lm, lf) = last_months_week(&memur).await;
    let (s, r) = memur
        .post("/leave-requests", ask("unpaid", Some("general"), lm, lf))
        .await;
    assert_eq!(
        (s, r["days"].as_f64(), r["reason"].as_str()),
        (201, Some(5.0), Some("general")),
        "{r}"
    );
    let id = r["id"].as_i64().unwrap();
    let ok = json!({"decision": "approve", "note": ""});
    let (s, v) = sef
        .post(&format!("/leave-requests/{id}/decision"), ok.clone())
        .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = mudur
        .post(&format!("/leave-requests/{id}/decision"), ok.clone())
        .await;
    assert_eq!((s, v["state"].as_str()), (200, Some("approved")), "{v}");
    let pdf = memur
        .req(
            reqwest::Method::GET,
            &format!("/leave-requests/{id}/form.pdf"),
        )
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = pdf_text(&pdf);
    assert!(
        text.contains("AYLIKSIZ İZİN ONAY FORMU") && text.contains("657 m.108/E"),
        "{text}"
    );
    // The annual balance does not move.
    let after = balance(&memur, "memur.bt", monday.year()).await;
    assert_eq!(
        after["remaining"], before["remaining"],
        "{before} → {after}"
    );
    // A report from Wednesday to the Saturday after: the days within the
    // unpaid leave stay unpaid, the Saturday is sick leave.
    let (s, v) = kalem
        .post(
            "/sick-reports",
            json!({"person": "memur.bt", "from": (lm + Duration::days(2)).to_string(), "to": (lf + Duration::days(1)).to_string(),
                "institution": "Ankara Şehir Hastanesi", "number": "R-2026-9120"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let month = format!("{}-{:02}", lm.year(), u8::from(lm.month()));
    let (s, sheet) = kalem
        .get(&format!("/timesheets?unit=bt&month={month}"))
        .await;
    assert_eq!(s, 200, "{sheet}");
    let row = sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["person_name"] == "Irmak Polat")
        .unwrap_or_else(|| panic!("{sheet}"))
        .clone();
    let letter = |d: Date| {
        row["letters"][usize::from(d.day()) - 1]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(letter(lm), "Ü");
    assert_eq!(
        letter(lm + Duration::days(3)),
        "Ü",
        "the report's Thursday, within the unpaid leave"
    );
    assert_eq!(row["totals"]["unpaid"].as_f64(), Some(5.0), "{row}");
    let saturday_here = (lf + Duration::days(1)).month() == lm.month();
    assert_eq!(
        row["totals"]["sick"].as_f64(),
        Some(if saturday_here { 1.0 } else { 0.0 }),
        "{row}"
    );
    // A second part, then a third is refused (657 m.108/E: two at most).
    let (s, v) = memur
        .post(
            "/leave-requests",
            ask("unpaid", Some("general"), monday, monday),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let (s, v) = memur
        .post(
            "/leave-requests",
            ask(
                "unpaid",
                Some("general"),
                monday + Duration::weeks(1),
                monday + Duration::weeks(1),
            ),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("unpaid_too_many_parts")),
        "{v}"
    );

    // 4857 m.56: an İşçi's four travel days a year, then no more.
    let (s, v) = isci
        .post(
            "/leave-requests",
            ask(
                "unpaid",
                Some("travel"),
                monday + Duration::days(1),
                monday + Duration::days(3),
            ),
        )
        .await;
    assert_eq!((s, v["days"].as_f64()), (201, Some(3.0)), "{v}");
    // Two more days the same year: one remains. (Across the new year the
    // days are new, and the leave is taken.)
    let two = monday + Duration::weeks(2);
    let (s, v) = isci
        .post(
            "/leave-requests",
            ask("unpaid", Some("travel"), two, two + Duration::days(1)),
        )
        .await;
    if (two + Duration::days(1)).year() == monday.year() {
        assert_eq!(
            (s, v["error"]["code"].as_str(), v["error"]["left"].as_f64()),
            (422, Some("unpaid_spent"), Some(1.0)),
            "{v}"
        );
    } else {
        assert_eq!(s, 201, "{v}");
    }

    // Idari izin on a genelge: working days, within the yearly cap (ten
    // by default), never off annual leave.
    let basis = "2002/58 sayılı Başbakanlık Genelgesi (Dünya Engelliler Günü)";
    let (w2, f2) = week(6);
    let (s, v) = memur
        .post(
            "/leave-requests",
            ask("administrative", Some(basis), w2, f2),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(
        v["days"].as_f64(),
        Some(working_days(&memur, w2, f2).await),
        "{v}"
    );
    assert_eq!(v["reason"], basis);
    let (w3, _) = week(8);
    let (s, v) = memur
        .post(
            "/leave-requests",
            ask("administrative", Some(basis), w3, w3 + Duration::days(11)),
        )
        .await;
    if w2.year() == w3.year() {
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (422, Some("administrative_year_spent")),
            "{v}"
        );
        let left = 10.0 - working_days(&memur, w2, f2).await;
        assert_eq!(v["error"]["left"].as_f64(), Some(left), "{v}");
    }
    let again = balance(&memur, "memur.bt", monday.year()).await;
    assert_eq!(again["remaining"], before["remaining"]);
}
on_both_engines!(unpaid_and_administrative_leave);

/// With `[leave] memur_weekends_inside = true`, a Memur's leave takes the
/// weekends within it too (the Devlet Personel Başkanlığı's opinion of
/// 01.02.2023 on 657 m.102), while the working-day count stays what it
/// says; an İşçi's is counted as before.
async fn weekends_inside_a_memurs_leave_when_so_set(db: Db) {
    let app = common::spawn_demo_with_config(db, "[leave]\nmemur_weekends_inside = true\n").await;
    let memur = app.as_user("memur.bt").await;
    let (monday, _) = week(8);
    let friday = monday + Duration::days(11);
    let working = working_days(&memur, monday, friday).await;
    let (s, r) = memur
        .post(
            "/leave-requests",
            json!({"kind": "annual", "from": monday.to_string(), "to": friday.to_string()}),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(
        r["days"].as_f64(),
        Some(working + 2.0),
        "the weekend inside: {r}"
    );
    let isci = app.as_user("isci.teknik").await;
    let (s, r) = isci
        .post(
            "/leave-requests",
            json!({"kind": "annual", "from": monday.to_string(), "to": friday.to_string()}),
        )
        .await;
    assert_eq!((s, r["days"].as_f64()), (201, Some(working)), "{r}");
}
on_both_engines!(weekends_inside_a_memurs_leave_when_so_set);

/// The daily digest, through a real SMTP server on loopback, tells the Şef
/// of a leave request waiting on their initials and the Kalem of a
/// certificate ending on an alert day (30 days ahead; 31 is none), as the
/// asset officer hears of licences (m.16/1-a).
async fn the_digest_tells_of_waiting_leave_and_ending_certificates(db: Db) {
    let smtp = testkit::SmtpServer::start();
    let config = format!("[smtp]\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"Bilgi İşlem Müdürlüğü <bilgiislem@ornek.bel.tr>\"\nsecurity = \"none\"\n", smtp.port);
    let app = common::spawn_demo_with_config(db, &config).await;
    let kalem = app.as_user("memur.kalem").await;
    let memur = app.as_user("memur.bt").await;
    let today = local_today();
    for (title, days) in [
        ("Elektrik tesisatı yetki belgesi", 30),
        ("Forklift operatör belgesi", 31),
    ] {
        let (s, v) = kalem
            .post(
                "/people/memur.teknik/file/documents",
                json!({"kind": "certificate", "title": title, "issued_on": "2021-12-20",
                    "expires_on": (today + Duration::days(days)).to_string()}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
    }
    let (monday, friday) = week(4);
    let (s, v) = memur
        .post(
            "/leave-requests",
            json!({"kind": "annual", "from": monday.to_string(), "to": friday.to_string()}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    // A data breach discovered eighty hours ago, the Board not told
    // (6698 m.12/5: 72 hours): the Şef who keeps the KVKK records hears
    // of it first.
    let discovered = (time::OffsetDateTime::now_utc() - Duration::hours(80))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (s, v) = app
        .as_user("sef.bt")
        .await
        .post(
            "/kvkk/breaches",
            json!({"discovered_at": discovered, "summary": "E-posta yanlış kişilere gitti"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let (status, report) = app.as_user("admin").await.post("/digest", json!({})).await;
    assert_eq!(status, 200, "{report}");
    let mails = smtp.messages();
    let to = |who: &str| {
        mails
            .iter()
            .find(|m| m.to.contains(&format!("{who}@ornek.bel.tr")))
            .unwrap_or_else(|| panic!("{who}'s digest: {report}"))
    };
    let sef = to("sef.bt");
    assert!(
        sef.body.contains("izin talepleri") && sef.body.contains("Irmak Polat"),
        "{}",
        sef.body
    );
    assert!(
        sef.subject.starts_with("KVKK: 1 veri ihlali")
            && sef.body.contains("E-posta yanlış kişilere gitti")
            && sef.body.contains("SÜRESİ 8 SAAT ÖNCE GEÇTİ"),
        "{}\n{}",
        sef.subject,
        sef.body
    );
    let k = to("memur.kalem");
    assert!(
        k.body.contains("Elektrik tesisatı yetki belgesi") && k.body.contains("30 gün kaldı"),
        "{}",
        k.body
    );
    assert!(
        !k.body.contains("Forklift"),
        "31 days is no alert day: {}",
        k.body
    );
    // The Müdür decides after the Şef's initials: nothing waits on him yet.
    assert!(
        mails
            .iter()
            .filter(|m| m.to.contains("mudur@ornek.bel.tr"))
            .all(|m| !m.body.contains("Irmak Polat")),
        "{mails:?}"
    );
}
on_both_engines!(the_digest_tells_of_waiting_leave_and_ending_certificates);
