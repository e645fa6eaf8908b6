//! The archive (m.22) through the API, on both engines: files per code,
//! unit and year with the plan's retention; filing; the transfer and
//! expired lists; and disposal by the commission's decision, refused for
//! files still within their retention, kept at the institution (B) or bound
//! for the State Archives (A), leaving tombstones and an intact audit chain.

mod common;

use common::{spawn_demo, ApiUser, Db};
use serde_json::{json, Value};

async fn open(u: &ApiUser, code: &str, year: i64) -> Value {
    let (status, f) = u
        .post("/archive/files", json!({"file_code": code, "year": year}))
        .await;
    assert_eq!(status, 201, "{f}");
    f
}

/// A scanned page of the paper archive, imported under `code` and `year`.
async fn scan(u: &ApiUser, code: &str, year: i64, name: &str) -> String {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend_from_slice(name.as_bytes());
    let r = u
        .req(
            reqwest::Method::POST,
            &format!("/archive/scans?sdp={code}&year={year}&name={name}"),
        )
        .body(pdf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let j: Value = r.json().await.unwrap();
    format!("archive:{}", j["id"])
}

async fn files_and_disposal(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let mudur = app.as_user("mudur").await;
    let baskan = app.as_user("baskan").await;
    let this_year: i64 = common::today()[..4].parse().unwrap();

    // 044 Anketler: 5 years, then destroyed (D).
    let survey = open(&kalem, "044", 2015).await;
    assert_eq!(
        (
            survey["retention"].as_str(),
            survey["disposal_code"].as_str(),
            survey["title"].as_str()
        ),
        (Some("05"), Some("D"), Some("Anketler")),
        "{survey}"
    );
    assert_eq!(
        survey["disposition"]["kind"].as_str(),
        Some("open_still"),
        "{survey}"
    );
    let recent = open(&kalem, "044", 2024).await;
    let current = open(&kalem, "044", this_year).await;
    let circulars = open(&kalem, "010.06", 2000).await; // Genelgeler: 15 years, A (State Archives)
    let laws = open(&kalem, "010.01", 2000).await; // Kanunlar: B (kept at the institution)
    let (status, r) = kalem
        .post("/archive/files", json!({"file_code": "044", "year": 2015}))
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("file_exists"))
    );
    let (status, r) = kalem
        .post("/archive/files", json!({"file_code": "040", "year": 2015}))
        .await;
    assert_eq!(status, 201, "{r}");
    let (status, r) = kalem
        .post("/archive/files", json!({"file_code": "045", "year": 2015}))
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (422, Some("group_file_code")),
        "a group heading is no file: {r}"
    );
    let (status, r) = kalem
        .post(
            "/archive/files",
            json!({"file_code": "044", "year": 2015, "span": "forever"}),
        )
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (422, Some("bad_span")),
        "{r}"
    );
    let teknik = app.as_user("memur.teknik").await;
    assert_eq!(
        teknik
            .post("/archive/files", json!({"file_code": "044", "year": 2016}))
            .await
            .0,
        403
    );

    // A survey of 2015 from the paper archive goes into the 2015 file of
    // its code, and nowhere else (Devlet Arşiv Hizmetleri Yönetmeliği: a
    // file holds the documents of one code and one year).
    let doc_key = scan(&kalem, "044", 2015, "memnuniyet-anketi-2015").await;
    let sid = survey["id"].as_i64().unwrap();
    let file_into = |f: &Value, doc: &str| {
        let (u, path, body) = (
            &kalem,
            format!("/archive/files/{}/documents", f["id"]),
            json!({"doc": doc}),
        );
        async move { u.post(&path, body).await }
    };
    let (status, r) = file_into(&circulars, &doc_key).await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("file_code_mismatch")),
        "{r}"
    );
    let (status, r) = file_into(&recent, &doc_key).await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("file_year_mismatch")),
        "{r}"
    );
    assert_eq!(file_into(&survey, &doc_key).await.0, 204);
    let (status, r) = file_into(&survey, &doc_key).await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("already_filed"))
    );

    // A document of this year is filed once its matter is closed.
    let (status, doc) = kalem.post("/incoming", json!({"channel": "hand", "delivered_by": "Ayşe Kara", "sender_kind": "person",
        "sender_name": "Ayşe Kara", "subject": "Anket yanıtları", "file_code": "044", "legal_basis": "dilekce"})).await;
    assert_eq!(status, 201, "{doc}");
    let new_key = format!("incoming:{}", doc["id"]);
    let (status, r) = file_into(&current, &new_key).await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("not_completed")),
        "{r}"
    );
    mudur
        .post(
            &format!("/incoming/{}/routings", doc["id"]),
            json!({"targets": [{"unit": "kalem", "purpose": "action"}]}),
        )
        .await;
    assert_eq!(
        mudur
            .post(
                &format!("/incoming/{}/close", doc["id"]),
                json!({"how": "filed", "note": "Dosyalandı."})
            )
            .await
            .0,
        204
    );
    assert_eq!(file_into(&current, &new_key).await.0, 204);

    for f in [&survey, &recent, &circulars, &laws] {
        assert_eq!(
            kalem
                .post(&format!("/archive/files/{}/close", f["id"]), json!({}))
                .await
                .0,
            204
        );
    }
    let (status, r) = file_into(&survey, &scan(&kalem, "044", 2015, "ikinci-anket").await).await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("file_not_open"))
    );

    // What may happen to each this year.
    let kind = |f: &Value| {
        let (u, path) = (&kalem, format!("/archive/files/{}", f["id"]));
        async move { u.get(&path).await.1["disposition"].clone() }
    };
    assert_eq!(kind(&survey).await["kind"].as_str(), Some("disposable"));
    assert_eq!(
        kind(&recent).await,
        json!({"kind": "retained", "until": 2029}),
        "five years from the end of 2024"
    );
    assert_eq!(
        kind(&circulars).await["kind"].as_str(),
        Some("transfer_to_state_archives")
    );
    assert_eq!(
        kind(&laws).await["kind"].as_str(),
        Some("kept_until_matter_ends"),
        "B is kept while the matter goes on, not forever"
    );

    // The lists: expired A-coded files go to the State Archives, not to disposal.
    let codes = |v: &Value| -> Vec<(String, i64)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["file_code"].as_str().unwrap().to_owned(),
                    f["year"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let (_, transfer) = kalem.get("/archive/files?list=transfer&year=2015").await;
    assert_eq!(
        codes(&transfer),
        [("044".to_owned(), 2015)],
        "the open 040 file is not transferred: {transfer}"
    );
    assert_eq!(transfer[0]["documents"].as_i64(), Some(1));
    let (_, expired) = kalem.get("/archive/files?list=expired").await;
    assert_eq!(
        codes(&expired),
        [("044".to_owned(), 2015)],
        "A, B and recent files are not for disposal: {expired}"
    );
    let (_, state) = kalem.get("/archive/files?list=state_archives").await;
    assert_eq!(codes(&state), [("010.06".to_owned(), 2000)], "{state}");

    // Disposal: the commission (three distinct members), the Müdür's
    // proposal, and only files past retention, not held, not bound for
    // the State Archives, not B: all or none.
    let decision = |files: Vec<&Value>, members: Vec<&str>| {
        json!({"decision_ref": "Ayıklama-İmha Komisyonu Kararı 2026/3", "decision_date": common::today(),
        "members": members, "files": files.iter().map(|f| f["id"].clone()).collect::<Vec<_>>()})
    };
    let three = vec!["Ayşe Kara (Başkan)", "Mehmet Demir", "Zeynep Şahin"];
    let (status, r) = mudur
        .post(
            "/archive/disposals",
            decision(vec![&survey], vec!["Ayşe Kara", "Mehmet Demir"]),
        )
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (422, Some("commission_too_small")),
        "{r}"
    );
    let (status, r) = mudur
        .post(
            "/archive/disposals",
            decision(
                vec![&survey],
                vec!["Ayşe Kara", " AYŞE KARA ", "Mehmet Demir"],
            ),
        )
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (422, Some("commission_too_small")),
        "the same member twice is one member: {r}"
    );
    let (status, _) = kalem
        .post("/archive/disposals", decision(vec![&survey], three.clone()))
        .await;
    assert_eq!(status, 403, "dispose_archive is the Müdür's (m.22)");
    for (file, code) in [
        (&circulars, "goes_to_state_archives"),
        (&recent, "retention_not_over"),
        (&laws, "kept_at_institution"),
    ] {
        let (status, r) = mudur
            .post(
                "/archive/disposals",
                decision(vec![&survey, file], three.clone()),
            )
            .await;
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (409, Some(code)),
            "{r}"
        );
    }
    // A lawsuit holds the file whatever its retention.
    let (status, r) = mudur
        .post(
            &format!("/archive/files/{sid}/hold"),
            json!({"hold": "litigation", "note": "İstanbul 3. İdare Mahkemesi 2026/101 E."}),
        )
        .await;
    assert_eq!(
        (status, r["disposition"]["kind"].as_str()),
        (200, Some("held")),
        "{r}"
    );
    let (status, r) = mudur
        .post("/archive/disposals", decision(vec![&survey], three.clone()))
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("legal_hold")),
        "{r}"
    );
    let (status, r) = mudur
        .post(&format!("/archive/files/{sid}/hold"), json!({"hold": ""}))
        .await;
    assert_eq!(
        (status, r["disposition"]["kind"].as_str()),
        (200, Some("disposable")),
        "{r}"
    );
    let (status, r) = mudur
        .post(&format!("/archive/files/{sid}/hold"), json!({"hold": ""}))
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("no_hold")),
        "nothing to lift: {r}"
    );
    let (_, still) = kalem.get(&format!("/archive/files/{sid}")).await;
    assert_eq!(
        still["state"].as_str(),
        Some("closed"),
        "a refused decision disposes of nothing"
    );

    // The proposal waits for the Mayor's approval; nothing is destroyed before.
    let (status, r) = mudur
        .post("/archive/disposals", decision(vec![&survey], three.clone()))
        .await;
    assert_eq!(
        (status, r["state"].as_str()),
        (201, Some("awaiting_approval")),
        "{r}"
    );
    let did = r["id"].as_i64().unwrap();
    let (status, again) = mudur
        .post("/archive/disposals", decision(vec![&survey], three.clone()))
        .await;
    assert_eq!(
        (status, again["error"]["code"].as_str()),
        (409, Some("on_pending_list")),
        "{again}"
    );
    let (_, pending) = baskan.get("/archive/disposals").await;
    assert_eq!(
        pending
            .as_array()
            .map(|p| p.iter().map(|d| d["id"].as_i64()).collect::<Vec<_>>()),
        Some(vec![Some(did)]),
        "{pending}"
    );
    let (_, item) = kalem
        .get(&format!("/archive/{}", &doc_key["archive:".len()..]))
        .await;
    assert_ne!(
        item["title"].as_str(),
        Some("(imha edildi)"),
        "awaiting approval: {item}"
    );
    let opinion = json!({"state_archives_opinion": "Devlet Arşivleri Başkanlığının 20.11.2026 tarihli ve E-41 sayılı yazısı"});
    let (status, r) = mudur
        .post(
            &format!("/archive/disposals/{did}/approval"),
            opinion.clone(),
        )
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (403, Some("forbidden")),
        "approving the list is the Mayor's (Devlet Arşiv Hizmetleri Yönetmeliği m.19): {r}"
    );
    // Safe reading, configurable: the State Archives' favourable opinion
    // is recorded before the approval (1988 text, m.38 as amended in 2001).
    let (status, r) = baskan
        .post(&format!("/archive/disposals/{did}/approval"), json!({}))
        .await;
    assert_eq!(
        (status, r["error"]["field"].as_str()),
        (422, Some("state_archives_opinion")),
        "{r}"
    );

    let (status, r) = baskan
        .post(
            &format!("/archive/disposals/{did}/approval"),
            opinion.clone(),
        )
        .await;
    assert_eq!((status, r["state"].as_str()), (200, Some("done")), "{r}");
    assert_eq!(r["approved_by_name"].as_str(), Some("Ayşe Yıldırım"));
    assert_eq!(
        r["state_archives_opinion"],
        opinion["state_archives_opinion"]
    );
    let (_, gone) = kalem.get(&format!("/archive/files/{sid}")).await;
    assert_eq!(
        (gone["state"].as_str(), gone["disposal_id"].as_i64()),
        (Some("disposed"), Some(did))
    );
    let (_, item) = kalem
        .get(&format!("/archive/{}", &doc_key["archive:".len()..]))
        .await;
    assert_eq!(
        item["title"].as_str(),
        Some("(imha edildi)"),
        "the content is destroyed; the record stays: {item}"
    );
    // The tombstone: what was disposed, when, and by which decision.
    let (_, t) = kalem.get(&format!("/archive/disposals/{did}")).await;
    assert_eq!(
        t["decision_ref"].as_str(),
        Some("Ayıklama-İmha Komisyonu Kararı 2026/3"),
        "{t}"
    );
    assert_eq!(t["members"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        (
            t["tombstones"][0]["file_code"].as_str(),
            t["tombstones"][0]["year"].as_i64()
        ),
        (Some("044"), Some(2015)),
        "{t}"
    );
    assert_eq!(
        t["tombstones"][0]["documents"][0].as_str(),
        Some(doc_key.as_str())
    );
    let (status, r) = baskan
        .post(
            &format!("/archive/disposals/{did}/approval"),
            opinion.clone(),
        )
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("not_awaiting_approval"))
    );
    // Four eyes: when the Mayor delegates his approval to the Müdür, the
    // Müdür still cannot approve a list he recorded himself.
    let at = |h: i64| {
        (time::OffsetDateTime::now_utc() + time::Duration::hours(h))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let (status, d) = baskan.post("/delegations", json!({"to": "mudur", "authority": "approve_disposal", "from": at(-1), "until": at(2), "approval_ref": "Başkanlık Olur 2026/12"})).await;
    assert_eq!(status, 201, "{d}");
    let older = open(&kalem, "044", 2016).await;
    assert_eq!(
        kalem
            .post(&format!("/archive/files/{}/close", older["id"]), json!({}))
            .await
            .0,
        204
    );
    let (status, own) = mudur
        .post("/archive/disposals", decision(vec![&older], three.clone()))
        .await;
    assert_eq!(
        (status, own["state"].as_str()),
        (201, Some("awaiting_approval")),
        "a delegate's own list still waits: {own}"
    );
    let (status, r) = mudur
        .post(
            &format!("/archive/disposals/{}/approval", own["id"]),
            opinion.clone(),
        )
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("own_proposal")),
        "{r}"
    );
    let (status, r) = mudur
        .post(
            "/archive/disposals",
            decision(vec![&survey], vec!["A", "B", "C"]),
        )
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("already_disposed"))
    );
    // It leaves search, and the audit chain stays whole.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let (_, s) = kalem.get("/search?q=memnuniyet").await;
        if s["total"].as_u64() == Some(0) || std::time::Instant::now() > deadline {
            assert_eq!(s["total"].as_u64(), Some(0), "{s}");
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let admin = app.as_user("admin").await;
    let (_, trail) = admin.get("/audit?action=archive.").await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "archive.disposal_proposed",
        "archive.disposal_approved",
        "archive.file_disposed",
        "archive.hold_placed",
        "archive.hold_lifted",
    ] {
        assert!(actions.contains(&a), "{a} not in {actions:?}");
    }
    let (_, disposed) = admin.get("/audit?action=archive.file_disposed").await;
    assert!(
        disposed[0]["basis"]
            .as_str()
            .is_some_and(|b| b.contains("baskan")),
        "the Mayor's approval is the basis: {disposed}"
    );
    let verdict = store::connect(&app.database_url)
        .await
        .unwrap()
        .verify_audit()
        .await
        .unwrap();
    assert!(verdict.broken.is_none(), "{:?}", verdict.broken);
}
on_both_engines!(files_and_disposal);

/// The archive page: lists, opening and closing a file, and the
/// commission's form for the Müdür, through the browser's forms.
async fn the_archive_page(db: Db) {
    let app = spawn_demo(db).await;
    let (kalem, csrf) = common::page_client(&app, "memur.kalem").await;
    let r = kalem
        .post(app.url("/arsiv/dosyalar"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("file_code", "045"),
            ("unit", "kalem"),
            ("year", "2010"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(
        r.text().await.unwrap().contains("grup başlığı"),
        "the refusal says why"
    );
    let r = kalem
        .post(app.url("/arsiv/dosyalar"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("file_code", "044"),
            ("unit", "kalem"),
            ("year", "2010"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = kalem
        .get(app.url("/arsiv/dosyalar"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Anketler") && page.contains("Dosyayı kapat"),
        "{page}"
    );
    let id = page
        .split("<tr data-id=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let r = kalem
        .post(app.url("/arsiv/dosyalar/kapat"))
        .form(&[("_csrf", csrf.as_str()), ("id", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = kalem
        .get(app.url("/arsiv/dosyalar?liste=expired"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Anketler") && !page.contains("dispose-form"),
        "the Kalem sees the list, not the commission's form"
    );
    let (mudur, mcsrf) = common::page_client(&app, "mudur").await;
    let page = mudur
        .get(app.url("/arsiv/dosyalar?liste=expired"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("dispose-form"), "{page}");
    let r = mudur
        .post(app.url("/arsiv/imha"))
        .form(&[
            ("_csrf", mcsrf.as_str()),
            ("decision_ref", "Karar 1"),
            ("decision_date", "2026-01-05"),
            ("members", "Ayşe Kara\nMehmet Demir"),
            ("file", id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("en az üç üye"));
    let r = mudur
        .post(app.url("/arsiv/imha"))
        .form(&[
            ("_csrf", mcsrf.as_str()),
            ("decision_ref", "Karar 1"),
            ("decision_date", "2026-01-05"),
            ("members", "Ayşe Kara\nMehmet Demir\nZeynep Şahin"),
            ("file", id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let disposal = r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/arsiv/imha/")
        .to_owned();
    let page = mudur
        .get(app.url(&format!("/arsiv/imha/{disposal}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Onay bekliyor") && !page.contains("approve-form"),
        "the Müdür proposes; the Mayor approves: {page}"
    );
    let (baskan, bcsrf) = common::page_client(&app, "baskan").await;
    let page = baskan
        .get(app.url("/arsiv/dosyalar?liste=expired"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("pending-disposals") && page.contains(&format!("/arsiv/imha/{disposal}")),
        "the Mayor sees what awaits him: {page}"
    );
    let approve = app.url(&format!("/arsiv/imha/{disposal}/onay"));
    let r = baskan
        .post(&approve)
        .form(&[("_csrf", bcsrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "not without ticking the confirmation");
    let r = baskan
        .post(&approve)
        .form(&[("_csrf", bcsrf.as_str()), ("confirm", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "not without the State Archives' opinion");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Devlet Arşivleri Başkanlığının uygun görüşünün"),
        "the page says what is missing"
    );
    let r = baskan
        .post(&approve)
        .form(&[
            ("_csrf", bcsrf.as_str()),
            ("confirm", "1"),
            (
                "state_archives_opinion",
                "20.11.2026 tarihli, E-41 sayılı yazı",
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = mudur
        .get(app.url("/arsiv/dosyalar?liste=expired"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Anketler"), "disposed: off the list");
    // The file's page, and the disposal's tombstone page.
    let page = mudur
        .get(app.url(&format!("/arsiv/dosyalar/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("İmha edildi"), "{page}");
    assert!(page.contains(&format!("/arsiv/imha/{disposal}")), "{page}");
    let page = kalem
        .get(app.url(&format!("/arsiv/imha/{disposal}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Karar 1")
            && page.contains("Zeynep Şahin")
            && page.contains("Anketler")
            && page.contains("044"),
        "{page}"
    );

    // "Dosyala" from a closed document's page: into this year's directorate
    // file of its code, opened on the way.
    let api = app.as_user("memur.kalem").await;
    let boss = app.as_user("mudur").await;
    let (_, doc) = api.post("/incoming", json!({"channel": "eyazisma", "sender_kind": "institution", "sender_name": "Sağlık Bakanlığı",
        "sender_id": "12345678", "sender_ref": "E-9", "subject": "Faaliyet raporu istemi", "file_code": "040", "legal_basis": "dilekce"})).await;
    let id = doc["id"].as_i64().unwrap();
    let r = kalem
        .post(app.url(&format!("/evrak/{id}/dosyala")))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "an open document is not filed yet");
    boss.post(
        &format!("/incoming/{id}/routings"),
        json!({"targets": [{"unit": "kalem", "purpose": "action"}]}),
    )
    .await;
    let (status, r) = boss
        .post(
            &format!("/incoming/{id}/close"),
            json!({"how": "filed", "note": "İşlem tamam, dosyalandı."}),
        )
        .await;
    assert_eq!(status, 204, "{r}");
    let r = kalem
        .post(app.url(&format!("/evrak/{id}/dosyala")))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = kalem
        .get(app.url(&format!("/evrak/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("doc-file") && page.contains("040 Faaliyet Raporları"),
        "{page}"
    );
    assert!(!page.contains("file-form"), "filed once");
    let fid = page
        .split("/arsiv/dosyalar/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let page = kalem
        .get(app.url(&format!("/arsiv/dosyalar/{fid}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let number = doc["number"].as_str().unwrap();
    assert!(
        page.contains(&format!("/evrak/{id}")) && page.contains(&format!("Gelen evrak {number}")),
        "the file lists its documents by number: {page}"
    );
    let (_, open) = api.get("/archive/files?list=open").await;
    assert!(
        open.as_array()
            .unwrap()
            .iter()
            .any(|f| f["file_code"] == "040" && f["unit"] == "mudurluk" && f["documents"] == 1),
        "{open}"
    );
}
on_both_engines!(the_archive_page);
