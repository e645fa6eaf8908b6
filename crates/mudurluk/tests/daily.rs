//! Daily work through the API and the pages, on both engines: what waits
//! for each person (`GET /api/v1/me/inbox` and the dashboard) follows a
//! document from registration to dispatch; the letters list gives the
//! Kalem the signed letters to send; a letter's page offers the decision
//! only to the person whose turn it is; the tray pages instead of cutting;
//! error pages keep the signed-in layout.

mod common;

use common::{page_client, spawn_demo_with_config, ApiUser, Db};
use serde_json::{json, Value};

const CONFIG: &str = "[correspondence]\ndetsis = \"87654321\"\n";

fn document(subject: &str) -> Value {
    json!({
        "channel": "eyazisma",
        "sender_kind": "institution", "sender_name": "Çevre, Şehircilik ve İklim Değişikliği Bakanlığı", "sender_id": "12345678",
        "sender_ref": "E-12345678-010.06-1", "subject": subject, "file_code": "010.06", "legal_basis": "dilekce",
    })
}

async fn inbox(u: &ApiUser) -> Value {
    let (status, v) = u.get("/me/inbox").await;
    assert_eq!(status, 200, "{v}");
    v
}

fn n(v: &Value, key: &str) -> i64 {
    v[key].as_i64().unwrap_or_else(|| panic!("{key} in {v}"))
}

async fn decide(u: &ApiUser, id: i64) {
    let (status, body) = u
        .post(
            &format!("/outgoing/{id}/decision"),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// register → route → take into custody → reply → initial → initial →
/// sign → dispatch, each step moving one count from one person's inbox
/// to the next one's.
async fn the_inbox_follows_the_work(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let kalem = app.as_user("memur.kalem").await;
    let mudur = app.as_user("mudur").await;
    let sef = app.as_user("sef.bt").await;
    let memur = app.as_user("memur.bt").await;
    let teknik = app.as_user("memur.teknik").await;

    let (k0, m0, s0, w0) = (
        inbox(&kalem).await,
        inbox(&mudur).await,
        inbox(&sef).await,
        inbox(&memur).await,
    );
    for key in [
        "route", "deliver", "initial", "sign", "dispatch", "due_soon", "overdue",
    ] {
        assert!(m0[key].is_i64(), "the inbox names {key}: {m0}");
    }
    let (status, doc) = kalem
        .post("/incoming", document("Ağ bağlantısı talebi"))
        .await;
    assert_eq!(status, 201, "{doc}");
    let id = doc["id"].as_i64().unwrap();
    assert_eq!(
        n(&inbox(&mudur).await, "route"),
        n(&m0, "route") + 1,
        "the Müdür has one more to route"
    );
    assert_eq!(
        n(&inbox(&kalem).await, "registered_today"),
        n(&k0, "registered_today") + 1
    );
    assert_eq!(
        n(&inbox(&sef).await, "route"),
        0,
        "a Şef routes nothing at the door"
    );

    let (status, body) = mudur
        .post(
            &format!("/incoming/{id}/routings"),
            json!({"targets": [{"unit": "bt", "purpose": "action"}]}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(n(&inbox(&mudur).await, "route"), n(&m0, "route"));
    assert_eq!(
        n(&inbox(&sef).await, "deliver"),
        n(&s0, "deliver") + 1,
        "the section has one to take"
    );
    let (status, _) = sef
        .post(&format!("/incoming/{id}/delivery"), json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(n(&inbox(&sef).await, "deliver"), n(&s0, "deliver"));

    // The reply, up its chain: memur.bt initials, sef.bt initials, the Müdür signs.
    let (_, mut reply) = memur.get(&format!("/incoming/{id}/reply")).await;
    reply["body"] = json!("Talebiniz karşılanmıştır.\r\n\r\nBilgilerinize rica ederim.");
    reply["recipients"] =
        json!([{"role": "muhatap", "kind": "directorate", "name": "İmar ve Şehircilik Müdürlüğü"}]);
    let (status, letter) = memur.post("/outgoing", reply).await;
    assert_eq!(status, 201, "{letter}");
    let lid = letter["id"].as_i64().unwrap();
    assert_eq!(
        n(&inbox(&memur).await, "initial"),
        n(&w0, "initial") + 1,
        "the writer initials first"
    );
    decide(&memur, lid).await;
    assert_eq!(n(&inbox(&memur).await, "initial"), n(&w0, "initial"));
    assert_eq!(n(&inbox(&sef).await, "initial"), n(&s0, "initial") + 1);
    decide(&sef, lid).await;
    assert_eq!(
        n(&inbox(&mudur).await, "sign"),
        n(&m0, "sign") + 1,
        "the Müdür signs a letter to another directorate (m.20/2-a)"
    );
    decide(&mudur, lid).await;
    assert_eq!(n(&inbox(&mudur).await, "sign"), n(&m0, "sign"));
    assert_eq!(
        n(&inbox(&kalem).await, "dispatch"),
        n(&k0, "dispatch") + 1,
        "the Kalem has a signed letter to send"
    );
    assert_eq!(
        n(&inbox(&teknik).await, "dispatch"),
        0,
        "only the Kalem dispatches (m.21/2)"
    );

    // The Kalem finds it among the signed letters; someone else does not.
    let r = kalem
        .req(reqwest::Method::GET, "/outgoing?state=signed")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let total: i64 = r.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let signed: Value = r.json().await.unwrap();
    assert!(
        signed
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["id"] == lid && l["state"] == "signed"),
        "{signed}"
    );
    assert_eq!(total, signed.as_array().unwrap().len() as i64);
    let (_, theirs) = teknik.get("/outgoing?state=signed").await;
    assert!(
        !theirs.as_array().unwrap().iter().any(|l| l["id"] == lid),
        "{theirs}"
    );
    let (status, err) = kalem.get("/outgoing?state=imzali").await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("state"))
    );

    // Sent from the list, ticked with the others waiting (the Kalem's bulk send).
    let (c, csrf) = page_client(&app, "memur.kalem").await;
    let list = c
        .get(app.url("/yazi?durum=signed"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("id=\"bulk-form\"")
            && list.contains(&format!("value=\"{lid}\" form=\"bulk-form\"")),
        "{list}"
    );
    let lid_s = lid.to_string();
    let r = c
        .post(app.url("/yazi/toplu-gonder"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("channel", "hand"),
            ("reference", "Teslim alan: Ali Veli"),
            ("id", lid_s.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .contains("yapildi=1&reddedildi=0"),
        "{:?}",
        r.headers()
    );
    let sent = c
        .get(app.url("/yazi?durum=dispatched"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        sent.contains(&format!("href=\"/yazi/{lid}\"")),
        "the Kalem finds it among the sent letters"
    );
    assert_eq!(n(&inbox(&kalem).await, "dispatch"), n(&k0, "dispatch"));
    let (_, signed) = kalem.get("/outgoing?state=signed").await;
    assert!(
        !signed.as_array().unwrap().iter().any(|l| l["id"] == lid),
        "sent, no longer to send"
    );

    // An unchanged inbox answers 304 to its ETag.
    let r = kalem
        .req(reqwest::Method::GET, "/me/inbox")
        .send()
        .await
        .unwrap();
    let tag = r.headers()["etag"].to_str().unwrap().to_owned();
    let again = kalem
        .req(reqwest::Method::GET, "/me/inbox")
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}
on_both_engines!(the_inbox_follows_the_work);

/// The letter's page offers the decision only to the person whose turn it
/// is; the writer does not see "return to the writer" on his own letter;
/// the dashboard shows the counts with their links.
async fn only_the_turn_holder_sees_the_decision(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let memur = app.as_user("memur.bt").await;
    let letter = json!({
        "subject": "Sunucu odası hk.", "body": "Bir.\r\n\r\nİki.", "file_code": "010.06",
        "recipients": [{"role": "muhatap", "kind": "directorate", "name": "İmar ve Şehircilik Müdürlüğü"}],
    });
    let (status, l) = memur.post("/outgoing", letter).await;
    assert_eq!(status, 201, "{l}");
    let id = l["id"].as_i64().unwrap();
    decide(&memur, id).await;
    // Now it is sef.bt's turn.
    for (user, turn) in [
        ("sef.bt", true),
        ("memur.bt", false),
        ("mudur", false),
        ("memur.kalem", false),
    ] {
        let (c, _) = page_client(&app, user).await;
        let r = c.get(app.url(&format!("/yazi/{id}"))).send().await.unwrap();
        let status = r.status();
        let html = r.text().await.unwrap();
        if status == 404 {
            assert!(!turn, "{user} must see the letter");
            continue;
        }
        assert_eq!(status, 200, "{user}");
        assert_eq!(
            html.contains("id=\"decision-form\""),
            turn,
            "{user}: decision form only on his turn"
        );
        assert_eq!(
            html.contains("id=\"send-back-form\""),
            turn,
            "{user}: return/reject only on his turn"
        );
    }
    let (c, csrf) = page_client(&app, "sef.bt").await;
    // Reddet without the confirmation tick: refused, nothing changes.
    let r = c
        .post(app.url(&format!("/yazi/{id}/karar")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("decision", "reject"),
            ("note", "Uygun değil"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Onay kutusunu işaretleyin"));
    let (_, l) = memur.get(&format!("/outgoing/{id}")).await;
    assert_eq!(l["state"], "in_approval", "{l}");
    // In English, the profile's posts by their English names.
    c.get(app.url("/dil/en?next=/")).send().await.unwrap();
    let en = c
        .get(app.url(&format!("/yazi/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        en.contains("Head of Information Technology") && en.contains("IT Director"),
        "{en}"
    );
    assert!(
        !en.contains("Bilgi Teknolojileri Şefi"),
        "no Turkish post names on the English page"
    );
    c.get(app.url("/dil/tr?next=/")).send().await.unwrap();
    let home = c
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("id=\"dashboard\""),
        "the home page is the dashboard"
    );
    assert!(home.contains("data-inbox=\"initial\""), "{home}");
    assert!(
        home.contains("href=\"/yazi?durum=in_approval\""),
        "the count links to its list"
    );
}
on_both_engines!(only_the_turn_holder_sees_the_decision);

/// The tray pages with a count instead of stopping silently at 300, and
/// an error page keeps the signed-in menu.
async fn the_tray_pages_and_errors_keep_the_layout(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let kalem = app.as_user("memur.kalem").await;
    let mudur = app.as_user("mudur").await;
    let before: i64 = mudur
        .req(reqwest::Method::GET, "/tray?awaiting=route")
        .send()
        .await
        .unwrap()
        .headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    for i in 0..130 {
        let (status, body) = kalem
            .post("/incoming", document(&format!("Sayfalama denemesi {i}")))
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let r = mudur
        .req(
            reqwest::Method::GET,
            "/tray?awaiting=route&per_page=100&page=2",
        )
        .send()
        .await
        .unwrap();
    let total: i64 = r.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(total, before + 130);
    let page2: Value = r.json().await.unwrap();
    assert_eq!(
        page2.as_array().unwrap().len() as i64,
        total - 100,
        "the second page holds the rest"
    );
    let (status, err) = mudur.get("/tray?awaiting=hepsi").await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("awaiting"))
    );

    let (c, _) = page_client(&app, "mudur").await;
    let html = c
        .get(app.url("/evrak?bekleyen=route"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("<tr data-id=").count(), 100, "one page of 100");
    assert!(
        html.contains(&format!("{total} kayıttan 1–100 arası")),
        "the page says how many in all"
    );
    assert!(html.contains("sayfa=2"), "a link to the next page");
    let page2 = c
        .get(app.url("/evrak?bekleyen=route&sayfa=2"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(page2.matches("<tr data-id=").count() as i64, total - 100);

    // An error page keeps the signed-in layout: the name and "Çıkış".
    let r = c.get(app.url("/evrak/999999")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("class=\"who\"") && html.contains("/cikis"),
        "signed-in menu on the error page: {html}"
    );
    assert!(
        !html.contains("href=\"/giris\""),
        "no sign-in link for someone signed in"
    );
}
on_both_engines!(the_tray_pages_and_errors_keep_the_layout);

/// A letter form refused for a wrong field comes back with its
/// attachments kept (no file chosen twice), and the kept file goes on the
/// letter when the form is sent again.
async fn a_refused_letter_form_keeps_its_attachments(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let (c, csrf) = page_client(&app, "memur.bt").await;
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let fields = |code: &str| {
        reqwest::multipart::Form::new()
            .text("subject", "Ekli yazı")
            .text("file_code", code.to_owned())
            .text("confidentiality", "YOK")
            .text("urgency", "NRM")
            .text("r_role_0", "muhatap")
            .text("r_kind_0", "directorate")
            .text("r_name_0", "İmar ve Şehircilik Müdürlüğü")
            .text("body", "Bir.\r\n\r\nİki.")
    };
    let form = fields("999.99").part(
        "ek",
        reqwest::multipart::Part::bytes(pdf)
            .file_name("ek-liste.pdf")
            .mime_str("application/pdf")
            .unwrap(),
    );
    let r = c
        .post(app.url(&format!("/yazi/yeni?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"form-errors\""), "the form says why");
    assert!(
        html.contains("ek-liste.pdf") && html.contains("name=\"kept_sha_0\""),
        "the attachment is kept: {html}"
    );
    let sha = html
        .split("name=\"kept_sha_0\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    // While it is an unclaimed upload, no one else can put that file on
    // his letter by its hash.
    let (c2, csrf2) = page_client(&app, "memur.teknik").await;
    let theirs = fields("010.06")
        .text("kept_sha_0", sha.clone())
        .text("kept_name_0", "ek-liste.pdf");
    let r = c2
        .post(app.url(&format!("/yazi/yeni?_csrf={csrf2}")))
        .multipart(theirs)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let again = fields("010.06")
        .text("kept_sha_0", sha.clone())
        .text("kept_name_0", "ek-liste.pdf");
    let r = c
        .post(app.url(&format!("/yazi/yeni?_csrf={csrf}")))
        .multipart(again)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let id: i64 = r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/yazi/")
        .parse()
        .unwrap();
    let (_, l) = app
        .as_user("memur.bt")
        .await
        .get(&format!("/outgoing/{id}"))
        .await;
    assert_eq!(l["attachments"][0]["sha256"], sha.as_str(), "{l}");
}
on_both_engines!(a_refused_letter_form_keeps_its_attachments);

/// A register book is complete: a long sender, a long reference and the
/// time wrap inside their cells, nothing is cut with "…".
async fn the_register_book_wraps_instead_of_cutting(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let kalem = app.as_user("memur.kalem").await;
    let sender = "T.C. Çevre, Şehircilik ve İklim Değişikliği Bakanlığı Bilgi Teknolojileri Genel Müdürlüğü Coğrafi Bilgi Sistemleri Daire Başkanlığı";
    let reference = "E-12345678-010.06.02-1234567890123";
    let mut doc = document(
        "Kent bilgi sistemi veri paylaşım protokolünün yenilenmesi hakkında uzun bir konu satırı",
    );
    doc["sender_name"] = json!(sender);
    doc["sender_ref"] = json!(reference);
    let (status, body) = kalem.post("/incoming", doc).await;
    assert_eq!(status, 201, "{body}");
    let today = time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+3))
        .date();
    let r = kalem
        .req(
            reqwest::Method::GET,
            &format!("/incoming/book?from={today}&to={today}&format=pdf"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let pdf = r.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("defter.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils; scripts/test installs it)");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('…'), "nothing is cut: {text}");
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let all = squeeze(&text);
    for whole in [
        sender,
        reference,
        "Kent bilgi sistemi veri paylaşım protokolünün yenilenmesi hakkında uzun bir konu satırı",
    ] {
        assert!(
            all.contains(&squeeze(whole)),
            "{whole} whole in the book: {text}"
        );
    }
}
on_both_engines!(the_register_book_wraps_instead_of_cutting);

/// The letter form prints itself before anything is saved: the page's
/// preview and the API's, both TASLAK with the paragraphs apart; a wrong
/// field says why instead; no letter is made.
async fn the_letter_previews_before_it_is_saved(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let memur = app.as_user("memur.bt").await;
    let (_, before) = memur.get("/outgoing").await;
    let (c, csrf) = page_client(&app, "memur.bt").await;
    let form = [
        ("_csrf", csrf.as_str()),
        ("subject", "Önizleme denemesi"),
        ("file_code", "010.06"),
        ("confidentiality", "YOK"),
        ("urgency", "NRM"),
        ("r_role_0", "muhatap"),
        ("r_kind_0", "directorate"),
        ("r_name_0", "İmar ve Şehircilik Müdürlüğü"),
        (
            "body",
            "Birinci paragraf burada biter.\r\n\r\nİkinci paragraf burada başlar.",
        ),
    ];
    let r = c
        .post(app.url("/yazi/onizleme"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(
        r.headers()["x-frame-options"],
        "SAMEORIGIN",
        "the page frames it"
    );
    let pdf = r.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("o.pdf"), &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(dir.path().join("o.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("TASLAK"), "{text}");
    assert!(
        text.contains("(İmza: Bilgi İşlem Müdürü)"),
        "the signing post by its name, not its id: {text}"
    );
    let (first, second) = (
        text.find("Birinci paragraf burada biter.").expect("first"),
        text.find("İkinci paragraf burada başlar.").expect("second"),
    );
    assert!(
        first < second && !text.contains("biter. İkinci"),
        "the paragraphs stay apart: {text}"
    );
    // A wrong field: the frame says which, as a page.
    let mut bad = form.to_vec();
    bad[2] = ("file_code", "999.99");
    let r = c
        .post(app.url("/yazi/onizleme"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Önizleme için eksik ya da hatalı alan var"),
        "{html}"
    );
    // The API's preview; a word longer than a line (an address) breaks
    // inside the margins instead of running off the page.
    let url = format!(
        "https://www.ornek.bel.tr/duyurular/{}",
        "kablosuz-erisim-noktalari-".repeat(8)
    );
    let r = memur.req(reqwest::Method::POST, "/outgoing/preview").json(&json!({
        "subject": "Önizleme", "body": format!("Bir.\n\nAyrıntılar {url} adresindedir."), "file_code": "010.06",
        "recipients": [{"role": "muhatap", "kind": "directorate", "name": "İmar ve Şehircilik Müdürlüğü"}]})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    std::fs::write(dir.path().join("u.pdf"), &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(dir.path().join("u.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext");
    let squeezed: String = String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(
        squeezed.contains(&url),
        "the whole address is on the page: {squeezed}"
    );
    let (_, after) = memur.get("/outgoing").await;
    assert_eq!(before, after, "a preview saves nothing");
}
on_both_engines!(the_letter_previews_before_it_is_saved);

/// Bulk havale and zimmet from the tray: each ticked document goes
/// through its own use-case; someone without the authority changes nothing.
async fn the_tray_routes_and_takes_in_bulk(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let kalem = app.as_user("memur.kalem").await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let (_, d) = kalem
            .post("/incoming", document(&format!("Toplu havale {i}")))
            .await;
        ids.push(d["id"].as_i64().unwrap().to_string());
    }
    // A Şef cannot route at the door: refused, nothing changes.
    let (c, csrf) = page_client(&app, "sef.bt").await;
    let mut form: Vec<(&str, &str)> = vec![
        ("_csrf", &csrf),
        ("action", "route"),
        ("target", "unit:bt"),
        ("purpose", "action"),
    ];
    form.extend(ids.iter().map(|i| ("id", i.as_str())));
    let r = c
        .post(app.url("/evrak/toplu"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .contains("yapildi=0&reddedildi=3"));

    let (c, csrf) = page_client(&app, "mudur").await;
    let tray = c
        .get(app.url("/evrak?bekleyen=route"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        tray.contains("id=\"bulk-form\"") && tray.contains("form=\"bulk-form\""),
        "ticks and the bulk form"
    );
    form[0] = ("_csrf", &csrf);
    let r = c
        .post(app.url("/evrak/toplu"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.contains("yapildi=3&reddedildi=0"), "{back}");
    let page = c
        .get(app.url(&back))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("3 evrak için işlem yapıldı"),
        "the tray says what was done"
    );

    let (c, csrf) = page_client(&app, "sef.bt").await;
    let mut take: Vec<(&str, &str)> = vec![("_csrf", &csrf), ("action", "deliver")];
    take.extend(ids.iter().map(|i| ("id", i.as_str())));
    let r = c
        .post(app.url("/evrak/toplu"))
        .form(&take)
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .contains("yapildi=3&reddedildi=0"));
    let sef = app.as_user("sef.bt").await;
    for id in &ids {
        let (_, d) = sef.get(&format!("/incoming/{id}")).await;
        assert!(d["routings"][0]["delivered_at"].is_string(), "{d}");
    }
}
on_both_engines!(the_tray_routes_and_takes_in_bulk);

/// A returned letter says who returned it, when and why, and goes up its
/// chain again once corrected; a sent one says when, how and by whom.
async fn a_returned_letter_says_who_and_why(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let memur = app.as_user("memur.bt").await;
    let sef = app.as_user("sef.bt").await;
    let letter = json!({
        "subject": "Ağ dolabı hk.", "body": "Bir.\n\nİki.", "file_code": "010.06",
        "recipients": [{"role": "muhatap", "kind": "directorate", "name": "İmar ve Şehircilik Müdürlüğü"}],
    });
    let (_, l) = memur.post("/outgoing", letter.clone()).await;
    let id = l["id"].as_i64().unwrap();
    decide(&memur, id).await;
    let (status, body) = sef
        .post(
            &format!("/outgoing/{id}/decision"),
            json!({"decision": "return", "note": "Ek listesi eksik"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, l) = memur.get(&format!("/outgoing/{id}")).await;
    assert_eq!(
        (
            l["state"].as_str(),
            l["returned_by_name"].as_str(),
            l["note"].as_str()
        ),
        (
            Some("returned"),
            Some("Gülşen Aydın"),
            Some("Ek listesi eksik")
        )
    );
    assert!(l["returned_at"].is_string(), "{l}");
    let (c, _) = page_client(&app, "memur.bt").await;
    let html = c
        .get(app.url(&format!("/yazi/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("İade eden:</strong> Gülşen Aydın") && html.contains("Ek listesi eksik"),
        "{html}"
    );
    // Corrected and sent up again.
    let mut fixed = letter.clone();
    fixed["version"] = l["version"].clone();
    fixed["body"] = json!("Bir.\n\nİki.\n\nEk listesi eklenmiştir.");
    let (status, body) = memur
        .req(reqwest::Method::PUT, &format!("/outgoing/{id}"))
        .json(&fixed)
        .send()
        .await
        .map(|r| r.status().as_u16())
        .map(|s| (s, ()))
        .unwrap();
    assert_eq!(status, 200, "{body:?}");
    decide(&memur, id).await;
    let (_, l) = memur.get(&format!("/outgoing/{id}")).await;
    assert_eq!(l["state"], "in_approval", "up the chain again: {l}");
}
on_both_engines!(a_returned_letter_says_who_and_why);

/// The letter form offers templates for common letters and an address
/// book of the institutions already written to or heard from, with their
/// DETSİS numbers.
async fn the_letter_form_has_templates_and_an_address_book(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let kalem = app.as_user("memur.kalem").await;
    let (status, _) = kalem
        .post("/incoming", document("Adres defteri denemesi"))
        .await;
    assert_eq!(status, 201);
    let (c, _) = page_client(&app, "memur.bt").await;
    let html = c
        .get(app.url("/yazi/yeni"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<option value=\"Çevre, Şehircilik ve İklim Değişikliği Bakanlığı\" data-detsis=\"12345678\">"), "the sender is in the address book");
    assert!(
        html.contains("name=\"sablon\"") && html.contains("Toplantıya davet"),
        "templates are offered"
    );
    let html = c
        .get(app.url("/yazi/yeni?sablon=toplanti"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("bir toplantı yapılacaktır"),
        "the template fills the text"
    );
}
on_both_engines!(the_letter_form_has_templates_and_an_address_book);

/// A classified signed letter is not shown to the Kalem (he may not open
/// it, so he is not told its subject or counted it); pages past the end
/// of a list are empty, never an error.
async fn lists_keep_secrets_and_bounds(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let memur = app.as_user("memur.bt").await;
    let kalem = app.as_user("memur.kalem").await;
    let before = n(&inbox(&kalem).await, "dispatch");
    let (_, l) = memur
        .post("/outgoing", json!({"subject": "GIZLIYAZI disiplin", "body": "Bir.", "file_code": "010.06", "confidentiality": "GZL",
            "recipients": [{"role": "muhatap", "kind": "directorate", "name": "İnsan Kaynakları Müdürlüğü"}]}))
        .await;
    let id = l["id"].as_i64().unwrap();
    for u in ["memur.bt", "sef.bt", "mudur"] {
        decide(&app.as_user(u).await, id).await;
    }
    let (_, signed) = kalem.get("/outgoing?state=signed").await;
    assert!(!signed.to_string().contains("GIZLIYAZI"), "{signed}");
    assert_eq!(
        n(&inbox(&kalem).await, "dispatch"),
        before,
        "not counted for the Kalem either"
    );
    let (c, _) = page_client(&app, "memur.kalem").await;
    let page = c
        .get(app.url("/yazi?durum=signed"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("GIZLIYAZI"));
    for path in [
        "/yazi?sayfa=9223372036854775807",
        "/yazi?sayfa=184467440737095518",
        "/evrak?sayfa=9223372036854775807",
    ] {
        assert_eq!(
            c.get(app.url(path)).send().await.unwrap().status(),
            200,
            "{path}"
        );
    }
    let (status, page) = kalem.get("/tray?page=500").await;
    assert_eq!(
        (status, page.as_array().map(Vec::len)),
        (200, Some(0)),
        "past the end: empty"
    );
}
on_both_engines!(lists_keep_secrets_and_bounds);

/// The Kalem's list of every registration: newest first, filtered by
/// register and state, paged with its count; a restricted document is
/// listed by number without its subject for a clerk who may not see it;
/// only the Kalem opens the list.
async fn the_kalem_lists_every_registration(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let kalem = app.as_user("memur.kalem").await;
    for i in 0..3 {
        let (status, _) = kalem
            .post("/incoming", document(&format!("Kayıt listesi {i}")))
            .await;
        assert_eq!(status, 201);
    }
    let mut petition = document("Vatandaş dilekçesi");
    petition["register"] = json!("petition");
    petition["channel"] = json!("hand");
    petition["delivered_by"] = json!("Kendisi");
    petition["sender_kind"] = json!("person");
    petition["sender_id"] = json!("");
    petition["sender_ref"] = json!("");
    let (status, body) = kalem.post("/incoming", petition).await;
    assert_eq!(status, 201, "{body}");
    let (c, _) = page_client(&app, "memur.kalem").await;
    let html = c
        .get(app.url("/evrak/kayitlar"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("<tr data-id=").count(), 4, "{html}");
    assert!(html.contains("4 kayıttan 1–4 arası"));
    let first = html.find("Vatandaş dilekçesi").unwrap();
    assert!(
        first < html.find("Kayıt listesi 0").unwrap(),
        "newest first"
    );
    let petitions = c
        .get(app.url("/evrak/kayitlar?defter=petition"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(petitions.matches("<tr data-id=").count(), 1);
    let (other, _) = page_client(&app, "memur.teknik").await;
    assert_eq!(
        other
            .get(app.url("/evrak/kayitlar"))
            .send()
            .await
            .unwrap()
            .status(),
        403,
        "the Kalem's list"
    );
    let bad = c
        .get(app.url("/evrak/kayitlar?baslangic=2026-13-45"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422, "a date that is not one says so");
}
on_both_engines!(the_kalem_lists_every_registration);
