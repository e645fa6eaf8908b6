//! The archive (m.22) through the API, on both engines: files per code,
//! unit and year with the plan's retention; filing; the transfer and
//! expired lists; and disposal by the commission's decision, refused for
//! files still within their retention, kept at the institution (B) or bound
//! for the State Archives (A), leaving tombstones and an intact audit chain.

mod common;

use common::{spawn_demo, ApiUser, Db};
use serde_json::{json, Value};

async fn open(u: &ApiUser, code: &str, year: i64) -> Value {
    let (status, f) = u.post("/archive/files", json!({"file_code": code, "year": year})).await;
    assert_eq!(status, 201, "{f}");
    f
}

async fn files_and_disposal(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let mudur = app.as_user("mudur").await;

    // 044 Anketler: 5 years, then destroyed (D).
    let survey = open(&kalem, "044", 2015).await;
    assert_eq!((survey["retention"].as_str(), survey["disposal_code"].as_str(), survey["title"].as_str()), (Some("05"), Some("D"), Some("Anketler")), "{survey}");
    let recent = open(&kalem, "044", 2024).await;
    let circulars = open(&kalem, "010.06", 2000).await; // Genelgeler: 15 years, A (State Archives)
    let laws = open(&kalem, "010.01", 2000).await; // Kanunlar: B (kept at the institution)
    let (status, r) = kalem.post("/archive/files", json!({"file_code": "044", "year": 2015})).await;
    assert_eq!((status, r["error"]["code"].as_str()), (409, Some("file_exists")));
    let (status, r) = kalem.post("/archive/files", json!({"file_code": "040", "year": 2015})).await;
    assert_eq!(status, 201, "{r}");
    let (status, r) = kalem.post("/archive/files", json!({"file_code": "045", "year": 2015})).await;
    assert_eq!((status, r["error"]["code"].as_str()), (422, Some("group_file_code")), "a group heading is no file: {r}");
    let teknik = app.as_user("memur.teknik").await;
    assert_eq!(teknik.post("/archive/files", json!({"file_code": "044", "year": 2016})).await.0, 403);

    // A survey answered in an incoming document, filed into its file.
    let (status, doc) = kalem.post("/incoming", json!({"channel": "hand", "delivered_by": "Ayşe Kara", "sender_kind": "person",
        "sender_name": "Ayşe Kara", "subject": "Vatandaş memnuniyet anketi yanıtları", "file_code": "044", "legal_basis": "dilekce"})).await;
    assert_eq!(status, 201, "{doc}");
    let doc_key = format!("incoming:{}", doc["id"]);
    let sid = survey["id"].as_i64().unwrap();
    let (status, r) = kalem.post(&format!("/archive/files/{}/documents", circulars["id"]), json!({"doc": doc_key})).await;
    assert_eq!((status, r["error"]["code"].as_str()), (409, Some("file_code_mismatch")), "{r}");
    assert_eq!(kalem.post(&format!("/archive/files/{sid}/documents"), json!({"doc": doc_key})).await.0, 204);
    let (status, r) = kalem.post(&format!("/archive/files/{sid}/documents"), json!({"doc": doc_key})).await;
    assert_eq!((status, r["error"]["code"].as_str()), (409, Some("already_filed")));
    for f in [&survey, &recent, &circulars, &laws] {
        assert_eq!(kalem.post(&format!("/archive/files/{}/close", f["id"]), json!({})).await.0, 204);
    }
    let (status, r) = kalem.post(&format!("/archive/files/{sid}/documents"), json!({"doc": doc_key})).await;
    assert_eq!((status, r["error"]["code"].as_str()), (409, Some("file_not_open")));

    // The lists.
    let codes = |v: &Value| -> Vec<(String, i64)> { v.as_array().unwrap().iter().map(|f| (f["file_code"].as_str().unwrap().to_owned(), f["year"].as_i64().unwrap())).collect() };
    let (_, transfer) = kalem.get("/archive/files?list=transfer&year=2015").await;
    assert_eq!(codes(&transfer), [("044".to_owned(), 2015)], "the open 040 file is not transferred: {transfer}");
    assert_eq!(transfer[0]["documents"].as_i64(), Some(1));
    let (_, expired) = kalem.get("/archive/files?list=expired").await;
    assert_eq!(codes(&expired), [("010.06".to_owned(), 2000), ("044".to_owned(), 2015)], "B and recent files are not expired: {expired}");

    // Disposal needs the commission (≥ 3), the Müdür's authority, and only
    // files past retention and not bound for the State Archives: all or none.
    let decision = |files: Vec<&Value>, members: Vec<&str>| json!({"decision_ref": "Ayıklama-İmha Komisyonu Kararı 2026/3", "decision_date": common::today(),
        "members": members, "files": files.iter().map(|f| f["id"].clone()).collect::<Vec<_>>()});
    let three = vec!["Ayşe Kara (Başkan)", "Mehmet Demir", "Zeynep Şahin"];
    let (status, r) = mudur.post("/archive/disposals", decision(vec![&survey], vec!["Ayşe Kara", "Mehmet Demir"])).await;
    assert_eq!((status, r["error"]["code"].as_str()), (422, Some("commission_too_small")), "{r}");
    let (status, _) = kalem.post("/archive/disposals", decision(vec![&survey], three.clone())).await;
    assert_eq!(status, 403, "dispose_archive is the Müdür's (m.22)");
    for (file, code) in [(&circulars, "goes_to_state_archives"), (&recent, "retention_not_over"), (&laws, "retention_not_over")] {
        let (status, r) = mudur.post("/archive/disposals", decision(vec![&survey, file], three.clone())).await;
        assert_eq!((status, r["error"]["code"].as_str()), (409, Some(code)), "{r}");
    }
    let (_, still) = kalem.get(&format!("/archive/files/{sid}")).await;
    assert_eq!(still["state"].as_str(), Some("closed"), "a refused decision disposes of nothing");

    let (status, r) = mudur.post("/archive/disposals", decision(vec![&survey], three)).await;
    assert_eq!(status, 201, "{r}");
    let (_, gone) = kalem.get(&format!("/archive/files/{sid}")).await;
    assert_eq!((gone["state"].as_str(), gone["disposal_id"].as_i64()), (Some("disposed"), r["id"].as_i64()));
    let (_, d) = kalem.get(&format!("/incoming/{}", doc["id"])).await;
    assert_eq!(d["subject"].as_str(), Some("(imha edildi)"), "the content is destroyed; number and date stay: {d}");
    assert_eq!(d["number"], doc["number"]);
    // The tombstone: what was disposed, when, and by which decision.
    let (_, t) = kalem.get(&format!("/archive/disposals/{}", r["id"])).await;
    assert_eq!(t["decision_ref"].as_str(), Some("Ayıklama-İmha Komisyonu Kararı 2026/3"), "{t}");
    assert_eq!(t["members"].as_array().map(Vec::len), Some(3));
    assert_eq!((t["tombstones"][0]["file_code"].as_str(), t["tombstones"][0]["year"].as_i64()), (Some("044"), Some(2015)), "{t}");
    assert_eq!(t["tombstones"][0]["documents"][0].as_str(), Some(doc_key.as_str()));
    let (status, r) = mudur.post("/archive/disposals", decision(vec![&survey], vec!["A", "B", "C"])).await;
    assert_eq!((status, r["error"]["code"].as_str()), (409, Some("already_disposed")));
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
    let (_, trail) = admin.get("/audit?action=archive.file_disposed").await;
    assert_eq!(trail.as_array().map(Vec::len), Some(1));
    assert!(trail[0]["details"]["after"]["members"].as_array().is_some_and(|m| m.len() == 3), "{trail}");
    let verdict = store::connect(&app.database_url).await.unwrap().verify_audit().await.unwrap();
    assert!(verdict.broken.is_none(), "{:?}", verdict.broken);
}
on_both_engines!(files_and_disposal);

/// The archive page: lists, opening and closing a file, and the
/// commission's form for the Müdür, through the browser's forms.
async fn the_archive_page(db: Db) {
    let app = spawn_demo(db).await;
    let (kalem, csrf) = common::page_client(&app, "memur.kalem").await;
    let r = kalem.post(app.url("/arsiv/dosyalar")).form(&[("_csrf", csrf.as_str()), ("file_code", "045"), ("unit", "kalem"), ("year", "2010")]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("grup başlığı"), "the refusal says why");
    let r = kalem.post(app.url("/arsiv/dosyalar")).form(&[("_csrf", csrf.as_str()), ("file_code", "044"), ("unit", "kalem"), ("year", "2010")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let page = kalem.get(app.url("/arsiv/dosyalar")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Anketler") && page.contains("Dosyayı kapat"), "{page}");
    let id = page.split("<tr data-id=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_owned();
    let r = kalem.post(app.url("/arsiv/dosyalar/kapat")).form(&[("_csrf", csrf.as_str()), ("id", id.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let page = kalem.get(app.url("/arsiv/dosyalar?liste=expired")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Anketler") && !page.contains("dispose-form"), "the Kalem sees the list, not the commission's form");
    let (mudur, mcsrf) = common::page_client(&app, "mudur").await;
    let page = mudur.get(app.url("/arsiv/dosyalar?liste=expired")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("dispose-form"), "{page}");
    let r = mudur.post(app.url("/arsiv/imha")).form(&[("_csrf", mcsrf.as_str()), ("decision_ref", "Karar 1"), ("decision_date", "2026-01-05"),
        ("members", "Ayşe Kara\nMehmet Demir"), ("file", id.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("en az üç üye"));
    let r = mudur.post(app.url("/arsiv/imha")).form(&[("_csrf", mcsrf.as_str()), ("decision_ref", "Karar 1"), ("decision_date", "2026-01-05"),
        ("members", "Ayşe Kara\nMehmet Demir\nZeynep Şahin"), ("file", id.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let page = mudur.get(app.url("/arsiv/dosyalar?liste=expired")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Anketler"), "disposed: off the list");
    // The file's page, and the disposal's tombstone page.
    let page = mudur.get(app.url(&format!("/arsiv/dosyalar/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("İmha edildi"), "{page}");
    let disposal = page.split("/arsiv/imha/").nth(1).and_then(|s| s.split('"').next()).unwrap().to_owned();
    let page = kalem.get(app.url(&format!("/arsiv/imha/{disposal}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Karar 1") && page.contains("Zeynep Şahin") && page.contains("Anketler") && page.contains("044"), "{page}");

    // "Dosyala" from a closed document's page: into this year's directorate
    // file of its code, opened on the way.
    let api = app.as_user("memur.kalem").await;
    let boss = app.as_user("mudur").await;
    let (_, doc) = api.post("/incoming", json!({"channel": "eyazisma", "sender_kind": "institution", "sender_name": "Sağlık Bakanlığı",
        "sender_id": "12345678", "sender_ref": "E-9", "subject": "Faaliyet raporu istemi", "file_code": "040", "legal_basis": "dilekce"})).await;
    let id = doc["id"].as_i64().unwrap();
    let r = kalem.post(app.url(&format!("/evrak/{id}/dosyala"))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 409, "an open document is not filed yet");
    boss.post(&format!("/incoming/{id}/routings"), json!({"targets": [{"unit": "kalem", "purpose": "action"}]})).await;
    let (status, r) = boss.post(&format!("/incoming/{id}/close"), json!({"how": "filed", "note": "İşlem tamam, dosyalandı."})).await;
    assert_eq!(status, 204, "{r}");
    let r = kalem.post(app.url(&format!("/evrak/{id}/dosyala"))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let page = kalem.get(app.url(&format!("/evrak/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("doc-file") && page.contains("040 Faaliyet Raporları"), "{page}");
    assert!(!page.contains("file-form"), "filed once");
    let fid = page.split("/arsiv/dosyalar/").nth(1).and_then(|s| s.split('"').next()).unwrap().to_owned();
    let page = kalem.get(app.url(&format!("/arsiv/dosyalar/{fid}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("/evrak/{id}")) && page.contains(&format!("Gelen evrak #{id}")), "the file lists its documents: {page}");
    let (_, open) = api.get("/archive/files?list=open").await;
    assert!(open.as_array().unwrap().iter().any(|f| f["file_code"] == "040" && f["unit"] == "mudurluk" && f["documents"] == 1), "{open}");
}
on_both_engines!(the_archive_page);
