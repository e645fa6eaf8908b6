//! Outgoing letters through the API, as the demo staff would work them,
//! on both engines: the chain of initials and the signature (m.15/3,
//! m.20/2-3), edits dropping initials, returns, a deputy at the Müdür's
//! step, "cevap yaz" closing the incoming document it answers, the number
//! given at the signature and never twice, and the e-imza slot.

mod common;

use common::{pdf_text, spawn_demo_with_config, ApiUser, Db};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

const CONFIG: &str = "[correspondence]\ndetsis = \"87654321\"\n";

fn internal_letter(subject: &str) -> Value {
    json!({
        "subject": subject,
        "body": "İlgi yazı ile talep edilen ağ bağlantısı kurulmuştur.\n\nBilgilerinize rica ederim.",
        "file_code": "010.06",
        "recipients": [{"role": "muhatap", "kind": "directorate", "name": "İmar ve Şehircilik Müdürlüğü"},
                       {"role": "info", "kind": "directorate", "name": "Destek Hizmetleri Müdürlüğü"}],
        "contact": "Atatürk Cad. No:1 Küçükçekmece / İSTANBUL · Tel: (212) 000 00 00",
    })
}

/// Runs a poppler tool on a PDF; its output.
fn run_tool(tool: &str, pdf: &[u8], args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mektup.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new(tool)
        .args(args)
        .arg(&file)
        .args(if tool == "pdftotext" {
            vec!["-"]
        } else {
            vec![]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils; scripts/test installs it): {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The share of dark pixels of the first page, rendered by pdftoppm.
fn ink(pdf: &[u8]) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.pdf"), pdf).unwrap();
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "50", "-gray", "-singlefile", "-f", "1", "-l", "1"])
        .arg(dir.path().join("m.pdf"))
        .arg(dir.path().join("m"))
        .status()
        .unwrap();
    assert!(ok.success());
    let pgm = std::fs::read(dir.path().join("m.pgm")).unwrap();
    // P5 header: three whitespace-separated numbers after "P5".
    let mut fields = 0;
    let mut i = 2;
    while fields < 3 {
        while pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        while !pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields += 1;
    }
    let pixels = &pgm[i + 1..];
    pixels.iter().filter(|p| **p < 128).count() as f64 / pixels.len() as f64
}

fn steps(l: &Value) -> Vec<(String, String, bool)> {
    l["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["position"].as_str().unwrap().to_owned(),
                s["action"].as_str().unwrap().to_owned(),
                !s["done_by"].is_null(),
            )
        })
        .collect()
}

async fn decide(u: &ApiUser, id: i64, decision: &str, note: &str) -> (u16, Value) {
    u.post(
        &format!("/outgoing/{id}/decision"),
        json!({"decision": decision, "note": note}),
    )
    .await
}

async fn an_internal_letter_through_its_chain(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let writer = app.as_user("memur.bt").await;
    let sef = app.as_user("sef.bt").await;
    let mudur = app.as_user("mudur").await;
    let other = app.as_user("memur.teknik").await;

    let (status, l) = writer
        .post("/outgoing", internal_letter("Ağ bağlantısı hk."))
        .await;
    assert_eq!(status, 201, "{l}");
    let id = l["id"].as_i64().unwrap();
    assert_eq!(
        (
            l["kind"].as_str(),
            l["state"].as_str(),
            l["number"].as_str()
        ),
        (Some("internal"), Some("draft"), None),
        "no number before the signature"
    );
    assert_eq!(
        steps(&l),
        [
            ("personel_bt".into(), "initial".into(), false),
            ("sef_bt".into(), "initial".into(), false),
            ("mudur".into(), "sign".into(), false)
        ],
        "m.15/3 and m.20/2-a: writer, Şef, Müdür"
    );
    assert!(l["heading"].as_str().unwrap().starts_with("T.C."), "{l}");

    // Out of turn: the Müdür cannot sign before the initials; the Şef
    // waits for the writer; a stranger has no step at all.
    let (status, r) = decide(&mudur, id, "approve", "").await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("initials_missing")),
        "{r}"
    );
    let (status, r) = decide(&sef, id, "approve", "").await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("not_your_turn")),
        "{r}"
    );
    let (status, r) = decide(&other, id, "approve", "").await;
    assert_eq!(status, 403, "{r}");

    // Writer and Şef initial.
    assert_eq!(decide(&writer, id, "approve", "").await.0, 200);
    let (status, l) = decide(&sef, id, "approve", "").await;
    assert_eq!(status, 200, "{l}");
    assert_eq!(steps(&l).iter().filter(|s| s.2).count(), 2);
    assert!(
        l["steps"][1]["basis"].as_str().unwrap().contains("sef_bt"),
        "{l}"
    );

    // An edit throws the initials away and starts the chain again.
    let mut changed = internal_letter("Ağ bağlantısı hakkında");
    changed["version"] = l["version"].clone();
    let r = writer
        .req(reqwest::Method::PUT, &format!("/outgoing/{id}"))
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, l) = writer.get(&format!("/outgoing/{id}")).await;
    assert_eq!(
        (l["state"].as_str(), l["version"].as_i64()),
        (Some("draft"), Some(2))
    );
    assert!(steps(&l).iter().all(|s| !s.2), "initials dropped: {l}");
    // A stale edit (the old version) is refused and changes nothing.
    let mut stale = internal_letter("Eski sürüm");
    stale["version"] = json!(1);
    let r = writer
        .req(reqwest::Method::PUT, &format!("/outgoing/{id}"))
        .json(&stale)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    // Only the writer edits.
    let mut theirs = internal_letter("Başkasının değişikliği");
    theirs["version"] = json!(2);
    assert_eq!(
        sef.req(reqwest::Method::PUT, &format!("/outgoing/{id}"))
            .json(&theirs)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    // Returned with a note, edited, and through again.
    assert_eq!(decide(&writer, id, "approve", "").await.0, 200);
    let (status, r) = decide(&sef, id, "return", "").await;
    assert_eq!(
        (status, r["error"]["field"].as_str()),
        (422, Some("note")),
        "a return says why: {r}"
    );
    let (status, l) = decide(&sef, id, "return", "Son paragrafı kısaltın.").await;
    assert_eq!(
        (status, l["state"].as_str(), l["note"].as_str()),
        (200, Some("returned"), Some("Son paragrafı kısaltın.")),
        "{l}"
    );
    let mut again = internal_letter("Ağ bağlantısı hk.");
    again["version"] = l["version"].clone();
    assert_eq!(
        writer
            .req(reqwest::Method::PUT, &format!("/outgoing/{id}"))
            .json(&again)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(decide(&writer, id, "approve", "").await.0, 200);
    assert_eq!(decide(&sef, id, "approve", "").await.0, 200);
    let (_, hash) = mudur.get(&format!("/outgoing/{id}/hash")).await;
    assert_eq!(
        hash["error"]["code"].as_str(),
        Some("not_signed"),
        "no hash before the signature: {hash}"
    );

    // The Müdür signs: number and date now, never earlier (m.21/2).
    let (status, l) = decide(&mudur, id, "approve", "").await;
    assert_eq!(status, 200, "{l}");
    assert_eq!(
        (l["state"].as_str(), l["number"].as_str()),
        (Some("signed"), Some("E-87654321-010.06-1")),
        "{l}"
    );
    assert!(
        l["signed_at"].is_string() && l["signer_title"].as_str() == Some("Bilgi İşlem Müdürü"),
        "{l}"
    );
    let (status, r) = decide(&mudur, id, "approve", "").await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("already_signed"))
    );
    let mut late = internal_letter("İmzadan sonra");
    late["version"] = l["version"].clone();
    let r = writer
        .req(reqwest::Method::PUT, &format!("/outgoing/{id}"))
        .json(&late)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "a signed letter is not edited");

    // The signed letter in the official layout, fonts embedded, read back.
    let r = writer
        .req(reqwest::Method::GET, &format!("/outgoing/{id}/pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let pdf = r.bytes().await.unwrap().to_vec();
    let text = pdf_text(&pdf);
    for expected in [
        "Sayı",
        "E-87654321-010.06-1",
        "Konu",
        "Ağ bağlantısı hk.",
        "İlgi yazı ile talep edilen ağ bağlantısı kurulmuştur.",
        "Bilgi İşlem Müdürü",
        "Dağıtım",
        "Destek Hizmetleri Müdürlüğü",
        "Küçükçekmece",
    ] {
        assert!(
            text.contains(expected),
            "`{expected}` in the letter:\n{text}"
        );
    }
    // Resmî Yazışma Yönetmeliği (2020) m.9: "T.C." once, on its own first
    // line; the institution in capitals as DETSİS writes it; the unit in
    // initial capitals.
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        &lines[..3],
        ["T.C.", "ÖRNEK BELEDİYE BAŞKANLIĞI", "Bilgi İşlem Müdürlüğü"],
        "{text}"
    );
    assert_eq!(text.matches("T.C.").count(), 1, "{text}");
    // m.13: the muhatap in capitals, with the dative suffix.
    assert!(lines.contains(&"İMAR VE ŞEHİRCİLİK MÜDÜRLÜĞÜNE"), "{text}");
    // m.27: a one-page letter carries no page number.
    assert!(!text.contains("1/1"), "{text}");
    // m.7: Times New Roman 12 pt or a metric-compatible face, embedded.
    let fonts = run_tool("pdffonts", &pdf, &[]);
    assert!(
        fonts.contains("LiberationSerif")
            && fonts
                .lines()
                .skip(2)
                .all(|l| l.split_whitespace().nth(4) == Some("yes")),
        "fonts embedded:\n{fonts}"
    );
    let dark = ink(&pdf);
    assert!(dark > 0.003, "the page is not blank: {dark}");

    // e-imza: the hash to sign, and the signature file, from the signer only.
    let (_, hash) = writer.get(&format!("/outgoing/{id}/hash")).await;
    assert_eq!(hash["sha256"].as_str().map(str::len), Some(64), "{hash}");
    assert_eq!(hash["sha256"], l["content_sha256"]);
    let cades = b"0\x82\x01\x00 CAdES-BES imza (deneme)".to_vec();
    let r = sef
        .req(
            reqwest::Method::POST,
            &format!("/outgoing/{id}/esignature?format=cades"),
        )
        .body(cades.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = mudur
        .req(
            reqwest::Method::POST,
            &format!("/outgoing/{id}/esignature?format=pdf"),
        )
        .body(cades.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = mudur
        .req(
            reqwest::Method::POST,
            &format!("/outgoing/{id}/esignature?format=cades"),
        )
        .body(cades)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);

    // Signed, it is found in search, by its text and its number.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let (_, r) = writer
            .get("/search?q=ba%C4%9Flant%C4%B1s%C4%B1&kind=outgoing")
            .await;
        if r["total"].as_u64() == Some(1) || std::time::Instant::now() > deadline {
            assert_eq!(
                r["hits"][0]["number"].as_str(),
                Some("E-87654321-010.06-1"),
                "{r}"
            );
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }

    // Dispatch (m.21/2): the Kalem hands it over, by hand against signature.
    let kalem = app.as_user("memur.kalem").await;
    let (status, r) = writer
        .post(
            &format!("/outgoing/{id}/dispatch"),
            json!({"channel": "hand", "reference": "Kurye Ali Veli"}),
        )
        .await;
    assert_eq!(status, 403, "the Kalem dispatches (m.16/1): {r}");
    let (status, r) = kalem
        .post(
            &format!("/outgoing/{id}/dispatch"),
            json!({"channel": "hand"}),
        )
        .await;
    assert_eq!(
        (status, r["error"]["field"].as_str()),
        (422, Some("reference")),
        "by hand: who took it: {r}"
    );
    let (status, r) = kalem
        .post(
            &format!("/outgoing/{id}/dispatch"),
            json!({"channel": "hand", "reference": "Kurye Ali Veli"}),
        )
        .await;
    assert_eq!(status, 204, "{r}");
    let (status, r) = kalem
        .post(
            &format!("/outgoing/{id}/dispatch"),
            json!({"channel": "kep", "reference": "x"}),
        )
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("already_dispatched"))
    );
    // The outgoing register book and the courier's list, for today.
    let today = common::today();
    let book = kalem
        .req(
            reqwest::Method::GET,
            &format!("/outgoing/book?from={today}&to={today}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(book.status(), 200);
    let text = pdf_text(&book.bytes().await.unwrap());
    for expected in [
        "GİDEN EVRAK DEFTERİ",
        "E-87654321-010.06-1",
        "İmar ve Şehircilik Müdürlüğü",
        "Ağ bağlantısı hk.",
        "Elden",
        "Kurye Ali Veli",
    ] {
        assert!(text.contains(expected), "`{expected}` in the book:\n{text}");
    }
    let csv = kalem
        .req(
            reqwest::Method::GET,
            &format!("/outgoing/book?from={today}&to={today}&format=csv"),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("1;") && l.contains("E-87654321-010.06-1")),
        "{csv}"
    );
    let list = kalem
        .req(
            reqwest::Method::GET,
            &format!("/outgoing/courier-list?from={today}&to={today}"),
        )
        .send()
        .await
        .unwrap();
    let text = pdf_text(&list.bytes().await.unwrap());
    assert!(
        text.contains("ZİMMET LİSTESİ")
            && text.contains("Kurye Ali Veli")
            && text.contains("E-87654321-010.06-1"),
        "{text}"
    );

    // Each step is in the audit trail with its basis.
    let admin = app.as_user("admin").await;
    let (_, trail) = admin
        .get(&format!("/audit?subject=outgoing:{id}&limit=100"))
        .await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    for a in [
        "outgoing.drafted",
        "outgoing.edited",
        "outgoing.initialled",
        "outgoing.returned",
        "outgoing.signed",
        "outgoing.esignature_added",
        "outgoing.dispatched",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    // The lists: the writer sees his letter; the Müdür had it waiting.
    let (_, mine) = writer.get("/outgoing").await;
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"].as_i64() == Some(id)),
        "{mine}"
    );
}
on_both_engines!(an_internal_letter_through_its_chain);

async fn an_external_reply_with_a_deputy_closes_what_it_answers(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let kalem = app.as_user("memur.kalem").await;
    let mudur = app.as_user("mudur").await;
    let baskan = app.as_user("baskan").await;
    let by = app.as_user("baskan.yardimcisi").await;
    let sef_kalem = app.as_user("sef.kalem").await;

    // An incoming request, routed to the Kalem.
    let (status, doc) = kalem.post("/incoming", json!({"channel": "eyazisma", "sender_kind": "institution", "sender_name": "Sağlık Bakanlığı",
        "sender_id": "12345678", "sender_ref": "E-12345678-010.06-555", "sender_date": "2026-04-24",
        "subject": "Bilgi sistemleri envanteri", "file_code": "010.06", "legal_basis": "dilekce"})).await;
    assert_eq!(status, 201, "{doc}");
    let doc_id = doc["id"].as_i64().unwrap();
    mudur
        .post(
            &format!("/incoming/{doc_id}/routings"),
            json!({"targets": [{"unit": "kalem", "purpose": "action"}]}),
        )
        .await;

    // "Cevap yaz": the sender addressed, the document as the reference.
    let (status, reply) = kalem.get(&format!("/incoming/{doc_id}/reply")).await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["recipients"][0]["detsis"].as_str(), Some("12345678"));
    assert_eq!(reply["refs"][0]["incoming_id"].as_i64(), Some(doc_id));
    assert!(
        reply["refs"][0]["text"]
            .as_str()
            .unwrap()
            .contains("E-12345678-010.06-555"),
        "{reply}"
    );
    let mut letter = reply.clone();
    letter["body"] = json!("İlgi yazınız ile istenen envanter ekte gönderilmiştir.");

    // An institution needs its DETSİS number; nothing is saved without it.
    let mut no_detsis = letter.clone();
    no_detsis["recipients"][0]["detsis"] = json!("");
    let (status, r) = kalem.post("/outgoing", no_detsis).await;
    assert_eq!(
        (
            status,
            r["error"]["code"].as_str(),
            r["error"]["field"].as_str()
        ),
        (422, Some("detsis_required"), Some("detsis")),
        "{r}"
    );
    let mut bad_detsis = letter.clone();
    bad_detsis["recipients"][0]["detsis"] = json!("1234");
    assert_eq!(
        kalem.post("/outgoing", bad_detsis).await.1["error"]["code"].as_str(),
        Some("bad_detsis")
    );
    assert_eq!(
        kalem.get("/outgoing").await.1.as_array().map(Vec::len),
        Some(0),
        "nothing half-written"
    );

    // Classified, with an attachment: the attachment is as hidden as the letter.
    let r = kalem
        .req(reqwest::Method::POST, "/attachments")
        .header("content-type", "application/pdf")
        .body(b"%PDF-1.4\n% envanter listesi".to_vec())
        .send()
        .await
        .unwrap();
    let sha = r.json::<Value>().await.unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    letter["attachments"] = json!([sha]);
    letter["attachment_names"] = json!(["envanter.pdf"]);
    letter["confidentiality"] = json!("GZL");
    let (status, l) = kalem.post("/outgoing", letter).await;
    assert_eq!(status, 201, "{l}");
    let id = l["id"].as_i64().unwrap();
    assert_eq!(l["kind"].as_str(), Some("external"));
    let outsider = app.as_user("memur.teknik").await;
    assert_eq!(
        outsider
            .req(reqwest::Method::GET, &format!("/attachments/{sha}"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(outsider.get(&format!("/outgoing/{id}")).await.0, 404);
    assert_eq!(
        kalem
            .req(reqwest::Method::GET, &format!("/attachments/{sha}"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "the writer gets it"
    );
    assert_eq!(
        steps(&l)
            .into_iter()
            .map(|s| (s.0, s.1))
            .collect::<Vec<_>>(),
        [
            ("personel_kalem", "initial"),
            ("sef_kalem", "initial"),
            ("mudur", "initial"),
            ("baskan_yardimcisi", "initial"),
            ("baskan", "sign")
        ]
        .map(|(p, a)| (p.to_owned(), a.to_owned())),
        "m.20/3: Müdür and Deputy Mayor initial, the Mayor signs"
    );

    // The Müdür is away: the Mayor approves Kalem Şefi as his deputy (m.12/2).
    let at = |d: Duration| (OffsetDateTime::now_utc() + d).format(&Rfc3339).unwrap();
    let (status, dep) = baskan
        .post(
            "/deputyships",
            json!({"deputy": "sef.kalem", "for": "mudur", "from": at(Duration::hours(-1)),
        "until": at(Duration::days(3)), "approval_ref": "Başkanlık Olur 2026/77"}),
        )
        .await;
    assert_eq!(status, 201, "{dep}");

    assert_eq!(decide(&kalem, id, "approve", "").await.0, 200);
    assert_eq!(
        decide(&sef_kalem, id, "approve", "").await.0,
        200,
        "as Kalem Şefi"
    );
    let (status, l) = decide(&sef_kalem, id, "approve", "").await;
    assert_eq!(status, 200, "as the Müdür's deputy: {l}");
    assert!(
        l["steps"][2]["basis"]
            .as_str()
            .unwrap()
            .contains("deputyship"),
        "the deputyship is the basis: {l}"
    );
    let (status, r) = decide(&baskan, id, "approve", "").await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("initials_missing")),
        "{r}"
    );
    assert_eq!(decide(&by, id, "approve", "").await.0, 200);
    let (_, still_open) = kalem.get(&format!("/incoming/{doc_id}")).await;
    assert_ne!(still_open["state"].as_str(), Some("closed"));
    let (status, l) = decide(&baskan, id, "approve", "").await;
    assert_eq!(status, 200, "{l}");
    assert_eq!(l["number"].as_str(), Some("E-87654321-010.06-1"), "{l}");
    assert_eq!(l["signer_title"].as_str(), Some("Belediye Başkanı"));

    // Signing it closed the incoming document it answers, with its number.
    let (_, answered) = kalem.get(&format!("/incoming/{doc_id}")).await;
    assert_eq!(
        (
            answered["state"].as_str(),
            answered["closing"].as_str(),
            answered["answer_ref"].as_str()
        ),
        (
            Some("closed"),
            Some("answered"),
            Some("E-87654321-010.06-1")
        ),
        "{answered}"
    );
}
on_both_engines!(an_external_reply_with_a_deputy_closes_what_it_answers);

/// Letters signed at the same moment get numbers 1..N, each once,
/// including through a second server on the same PostgreSQL database.
async fn numbers_are_unique_and_gap_free_under_concurrency(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let mudur = app.as_user("mudur").await;
    let sibling = match db {
        Db::Postgres => Some(common::spawn_sibling_with_config(&app, Some(CONFIG)).await),
        Db::Sqlite => None,
    };
    let mut ids = Vec::new();
    for i in 0..24 {
        // The Müdür's own letters to other directorates: he alone signs.
        let (status, l) = mudur
            .post("/outgoing", internal_letter(&format!("Duyuru {i}")))
            .await;
        assert_eq!(status, 201, "{l}");
        assert_eq!(steps(&l).len(), 1);
        ids.push(l["id"].as_i64().unwrap());
    }
    let mut tasks = Vec::new();
    for (i, id) in ids.into_iter().enumerate() {
        let base = match (&sibling, i % 2) {
            (Some(s), 1) => s.base.clone(),
            _ => app.base.clone(),
        };
        let u = ApiUser {
            base,
            token: mudur.token.clone(),
            client: reqwest::Client::new(),
        };
        tasks.push(tokio::spawn(async move {
            let (status, l) = decide(&u, id, "approve", "").await;
            assert_eq!(status, 200, "{l}");
            l["number"]
                .as_str()
                .unwrap()
                .rsplit('-')
                .next()
                .unwrap()
                .parse::<u32>()
                .unwrap()
        }));
    }
    let mut seqs = Vec::new();
    for t in tasks {
        seqs.push(t.await.unwrap());
    }
    seqs.sort();
    assert_eq!(seqs, (1..=24).collect::<Vec<_>>());
}
on_both_engines!(numbers_are_unique_and_gap_free_under_concurrency);

/// The signature block (Resmî Yazışma Yönetmeliği m.17) as printed: a
/// deputy signs "… V." under his name (m.17/10; our m.12/2), a delegate
/// "… a." with his own title under it (m.17/9; our m.10/4). And a letter
/// longer than a page is numbered "1/2", "2/2" at the bottom (m.27).
#[tokio::test]
async fn deputy_and_delegate_sign_in_the_official_form() {
    let app = spawn_demo_with_config(Db::Sqlite, CONFIG).await;
    let baskan = app.as_user("baskan").await;
    let mudur = app.as_user("mudur").await;
    let at = |d: Duration| (OffsetDateTime::now_utc() + d).format(&Rfc3339).unwrap();
    let signed_pdf =
        |writer: &'static str, chief: &'static str, signer: &'static str, letter: Value| {
            let app = &app;
            async move {
                let (w, c, s) = (
                    app.as_user(writer).await,
                    app.as_user(chief).await,
                    app.as_user(signer).await,
                );
                let (status, l) = w.post("/outgoing", letter).await;
                assert_eq!(status, 201, "{l}");
                let id = l["id"].as_i64().unwrap();
                assert_eq!(decide(&w, id, "approve", "").await.0, 200);
                assert_eq!(decide(&c, id, "approve", "").await.0, 200);
                let (status, l) = decide(&s, id, "approve", "").await;
                assert_eq!((status, l["state"].as_str()), (200, Some("signed")), "{l}");
                let r = w
                    .req(reqwest::Method::GET, &format!("/outgoing/{id}/pdf"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                (l, r.bytes().await.unwrap().to_vec())
            }
        };
    let block = |text: &str| -> Vec<String> {
        let lines: Vec<String> = text
            .lines()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect();
        let end = lines
            .iter()
            .position(|l| l.starts_with("Dağıtım"))
            .unwrap_or(lines.len());
        lines[end.saturating_sub(3)..end].to_vec()
    };

    // The Mayor makes Kalem Şefi the Müdür's deputy: he signs "Müdür V.".
    let (status, dep) = baskan
        .post(
            "/deputyships",
            json!({"deputy": "sef.kalem", "for": "mudur", "from": at(Duration::hours(-1)),
        "until": at(Duration::hours(2)), "approval_ref": "Başkanlık Olur 2026/90"}),
        )
        .await;
    assert_eq!(status, 201, "{dep}");
    let (l, pdf) = signed_pdf(
        "memur.bt",
        "sef.bt",
        "sef.kalem",
        internal_letter("Vekaleten imza"),
    )
    .await;
    assert_eq!(l["signer_name"].as_str(), Some("İbrahim ŞAHİN"), "{l}");
    let text = pdf_text(&pdf);
    assert_eq!(
        block(&text)[1..],
        ["İbrahim ŞAHİN", "Bilgi İşlem Müdürü V."],
        "{text}"
    );
    assert!(
        !text.contains("Kalem Şefi"),
        "a deputy's own title is not written: {text}"
    );
    assert_eq!(
        baskan
            .delete(&format!("/deputyships/{}", dep["id"]))
            .await
            .0,
        204
    );

    // The Müdür delegates signing internal letters to the BT Şef (a Memur
    // under him): "Bilgi İşlem Müdürü a." and her own title below.
    let (status, del) = mudur
        .post(
            "/delegations",
            json!({"to": "sef.bt", "authority": "sign_internal", "from": at(Duration::hours(-1)),
        "until": at(Duration::hours(2)), "approval_ref": "Yetki Devri Onayı 2026/5"}),
        )
        .await;
    assert_eq!(status, 201, "{del}");
    let (_, pdf) = signed_pdf(
        "memur.kalem",
        "sef.kalem",
        "sef.bt",
        internal_letter("Yetki devriyle imza"),
    )
    .await;
    let text = pdf_text(&pdf);
    assert_eq!(
        block(&text),
        [
            "Gülşen AYDIN",
            "Bilgi İşlem Müdürü a.",
            "Bilgi Teknolojileri Şefi"
        ],
        "{text}"
    );

    // A long letter runs to a second page, numbered at the bottom.
    let mut long = internal_letter("Uzun yazı");
    long["body"] = json!(vec!["Bilgi İşlem Müdürlüğünün yıllık ağ altyapısı değerlendirmesi bu paragrafta ayrıntılarıyla anlatılmaktadır."; 40].join("\n\n"));
    let (_, pdf) = signed_pdf("memur.kalem", "sef.kalem", "sef.bt", long).await;
    let pages: Vec<String> = pdf_text(&pdf)
        .split('\u{c}')
        .map(str::to_owned)
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 2, "{} page(s)", pages.len());
    let n = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let last = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .last()
            .unwrap_or("");
        assert_eq!(
            last,
            format!("{}/{n}", i + 1),
            "page {} ends with its number:\n{page}",
            i + 1
        );
    }
}

/// Knowing a file's SHA-256 opens nothing: a letter (or a registration)
/// takes only files its writer uploaded or may read.
#[tokio::test]
async fn a_file_goes_on_a_letter_only_from_whom_may_read_it() {
    let app = spawn_demo_with_config(Db::Sqlite, CONFIG).await;
    let kalem = app.as_user("memur.kalem").await;
    let bt = app.as_user("memur.bt").await;
    let r = kalem
        .req(reqwest::Method::POST, "/attachments")
        .header("content-type", "application/pdf")
        .body(b"%PDF-1.4\nkalemin taramasi".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let sha = r.json::<Value>().await.unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        bt.req(reqwest::Method::GET, &format!("/attachments/{sha}"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let mut letter = internal_letter("Başkasının eki");
    letter["attachments"] = json!([sha]);
    let (status, err) = bt.post("/outgoing", letter.clone()).await;
    assert_eq!(
        (
            status,
            err["error"]["field"].as_str(),
            err["error"]["code"].as_str()
        ),
        (422, Some("attachments"), Some("unknown_attachment")),
        "{err}"
    );
    assert_eq!(
        bt.req(reqwest::Method::GET, &format!("/attachments/{sha}"))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "still closed to him"
    );
    // Its uploader may.
    let (status, l) = kalem.post("/outgoing", letter).await;
    assert_eq!(status, 201, "{l}");
}

/// Belge doğrulama (issue 17 §4): a signed letter carries a verification
/// code, printed in its footer as text and as a QR code with the public
/// page's address; anyone checks it on `/dogrula` or `GET /api/v1/verify`
/// without signing in, and gets its PDF; a classified letter shows only
/// that a document of that number exists; a wrong code is "not found" like
/// any other, and an address trying too many is made to wait.
async fn a_signed_letter_is_verified_by_its_code(db: Db) {
    let app = spawn_demo_with_config(
        db,
        "[correspondence]\ndetsis = \"87654321\"\npublic_url = \"https://ebys.ornek.bel.tr\"\n",
    )
    .await;
    let writer = app.as_user("memur.bt").await;
    let sef = app.as_user("sef.bt").await;
    let mudur = app.as_user("mudur").await;
    let sign = |body: Value| {
        let (writer, sef, mudur) = (&writer, &sef, &mudur);
        async move {
            let (s, l) = writer.post("/outgoing", body).await;
            assert_eq!(s, 201, "{l}");
            let id = l["id"].as_i64().unwrap();
            assert!(
                l["verification_code"].is_null(),
                "no code before the signature"
            );
            for u in [writer, sef, mudur] {
                let (s, l) = decide(u, id, "approve", "").await;
                assert_eq!(s, 200, "{l}");
            }
            let (_, l) = mudur.get(&format!("/outgoing/{id}")).await;
            l
        }
    };
    let l = sign(internal_letter("Ağ bağlantısı hk.")).await;
    let code = l["verification_code"]
        .as_str()
        .expect("a signed letter's code")
        .to_owned();
    assert_eq!(code.len(), 12, "{l}");
    let shown = format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]);
    let id = l["id"].as_i64().unwrap();
    let r = mudur
        .req(reqwest::Method::GET, &format!("/outgoing/{id}/pdf"))
        .send()
        .await
        .unwrap();
    let pdf = r.bytes().await.unwrap();
    let text = pdf_text(&pdf);
    assert!(
        text.contains(&format!("Doğrulama kodu: {shown}"))
            && text.contains("https://ebys.ornek.bel.tr/dogrula"),
        "{text}"
    );
    assert_eq!(
        common::qr_codes(&pdf),
        [format!("https://ebys.ornek.bel.tr/dogrula?kod={code}")],
        "the footer's QR code opens the page with the code"
    );

    // Anyone, signed in or not, with the code as printed (any case).
    let public = reqwest::Client::new();
    let v: Value = public
        .get(app.url(&format!("/api/v1/verify/{}", shown.to_lowercase())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            v["number"].as_str(),
            v["subject"].as_str(),
            v["restricted"].as_bool()
        ),
        (l["number"].as_str(), Some("Ağ bağlantısı hk."), Some(false)),
        "{v}"
    );
    assert_eq!(v["signer_name"], l["signer_name"]);
    let r = public
        .get(app.url(&format!("/dogrula?kod={shown}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(
        page.contains(l["number"].as_str().unwrap()) && page.contains("Ağ bağlantısı hk."),
        "{page}"
    );
    let r = public
        .get(app.url(&format!("/dogrula/pdf?kod={code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers()["content-type"].to_str().unwrap()
        ),
        (200, "application/pdf")
    );

    // A classified letter: only that a document of that number exists.
    let mut secret = internal_letter("Sızma testi bulguları");
    secret["confidentiality"] = json!("GZL");
    let g = sign(secret).await;
    let v: Value = public
        .get(app.url(&format!(
            "/api/v1/verify/{}",
            g["verification_code"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            v["restricted"].as_bool(),
            v["subject"].is_null(),
            v["pdf"].as_bool()
        ),
        (Some(true), true, Some(false)),
        "{v}"
    );
    assert_eq!(v["number"], g["number"]);
    let r = public
        .get(app.url(&format!(
            "/dogrula/pdf?kod={}",
            g["verification_code"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "a classified letter's text is not public");

    // Wrong codes: one answer for all; past the free tries, a wait.
    let wrong = |c: &'static str| public.get(app.url(&format!("/api/v1/verify/{c}"))).send();
    let r = wrong("ABCD-EFGH-JKLM").await.unwrap();
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    let r2: Value = wrong("nonsense").await.unwrap().json().await.unwrap();
    assert_eq!(
        body["error"]["code"], r2["error"]["code"],
        "a malformed code answers as a wrong one"
    );
    let mut last = 0;
    for _ in 0..25 {
        last = wrong("ABCD-EFGH-JKLM").await.unwrap().status().as_u16();
    }
    assert_eq!(last, 429, "an address trying codes is made to wait");
    let r = public
        .get(app.url(&format!("/dogrula?kod={shown}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        429,
        "even a right code waits out the address's wait"
    );
}
on_both_engines!(a_signed_letter_is_verified_by_its_code);
