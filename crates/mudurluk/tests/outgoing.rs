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
    // A real CAdES over the content (the checks are the e-imza test's).
    let pki = Pki::new();
    pki.signer("mudur", "kok", "365", "nonRepudiation");
    pki.trust("kok", &app.data_dir.join("trust"));
    let cades = pki.sign("mudur", hash["content"].as_str().unwrap().as_bytes());
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

/// The parts of a zip, by name.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.insert(f.name().to_owned(), b);
    }
    out
}

/// A zip of these parts, in this order.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/eyazisma/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Checks parts against the official 2.x XSDs (xmlschema, through
/// `tests/fixtures/eyazisma/validate.py`); the validator's complaints.
fn xsd_errors(parts: &std::collections::BTreeMap<String, Vec<u8>>) -> String {
    let python = std::env::var("MUDURLUK_TEST_PYTHON").expect(
        "MUDURLUK_TEST_PYTHON (a Python with xmlschema): run the tests through scripts/test",
    );
    let dir = tempfile::tempdir().unwrap();
    let fixtures = format!("{}/tests/fixtures/eyazisma", env!("CARGO_MANIFEST_DIR"));
    let mut args = vec![format!("{fixtures}/validate.py"), format!("{fixtures}/xsd")];
    for (root, part) in [
        ("Ustveri", "Ustveri/Ustveri.xml"),
        ("NihaiUstveri", "NihaiUstveri/NihaiUstveri.xml"),
        ("PaketOzeti", "PaketOzeti/PaketOzeti.xml"),
        ("NihaiOzet", "NihaiOzet/NihaiOzet.xml"),
    ] {
        let file = dir.path().join(format!("{root}.xml"));
        std::fs::write(
            &file,
            parts.get(part).unwrap_or_else(|| panic!("no {part}")),
        )
        .unwrap();
        args.push(format!("{root}={}", file.display()));
    }
    let out = std::process::Command::new(python)
        .args(&args)
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        if out.status.success() {
            String::new()
        } else {
            format!(
                "(exit {:?}) {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            )
        }
    )
}

/// Posts a package to the registry; status and answer.
async fn import(u: &ApiUser, bytes: Vec<u8>) -> (u16, Value) {
    let r = u
        .req(reqwest::Method::POST, "/incoming/eyazisma")
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Issue 17 §2, the Resmî Yazışma Yönetmeliği's e-Yazışma packages: a
/// signed external letter leaves as a 2.x package whose parts pass the
/// official XSDs (Ustveri, NihaiUstveri, PaketOzeti, NihaiOzet) and whose
/// summary digests match; another Mudurluk, the recipient, registers it
/// with every field as sent (sender by DETSİS, subject, number and date,
/// confidentiality, urgency, file code, the üst yazı and attachment
/// byte for byte, the package kept as received).
async fn a_letter_leaves_as_an_eyazisma_package_and_arrives_whole(db: Db) {
    let a = spawn_demo_with_config(
        db,
        "[correspondence]\ndetsis = \"87654321\"\npublic_url = \"https://ebys.ornek.bel.tr\"\n",
    )
    .await;
    let writer = a.as_user("memur.bt").await;
    let chain = [
        a.as_user("sef.bt").await,
        a.as_user("mudur").await,
        a.as_user("baskan.yardimcisi").await,
        a.as_user("baskan").await,
    ];
    let attachment = b"%PDF-1.4\n% Envanter listesi\n1 0 obj << >> endobj\n".to_vec();
    let r = writer
        .req(reqwest::Method::POST, "/attachments")
        .header("content-type", "application/pdf")
        .body(attachment.clone())
        .send()
        .await
        .unwrap();
    let sha = r.json::<Value>().await.unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    let (s, l) = writer
        .post(
            "/outgoing",
            json!({
                "subject": "Bilgi sistemleri envanteri hk.",
                "body": "İlgi yazınız ile istenen envanter ekte gönderilmiştir.\n\nBilgilerinize rica ederim.",
                "file_code": "010.06",
                "confidentiality": "HZO",
                "urgency": "ACL",
                "recipients": [
                    {"role": "muhatap", "kind": "institution", "name": "Sağlık Bakanlığı", "detsis": "12345678"},
                    {"role": "info", "kind": "institution", "name": "İçişleri Bakanlığı", "detsis": "61648174"}
                ],
                "refs": [{"text": "24.04.2026 tarihli ve E-12345678-010.06-555 sayılı yazı."}],
                "attachments": [sha],
                "attachment_names": ["Envanter listesi"],
            }),
        )
        .await;
    assert_eq!(s, 201, "{l}");
    let id = l["id"].as_i64().unwrap();
    let eyp = |u: &ApiUser, id: i64| {
        u.req(
            reqwest::Method::GET,
            &format!("/outgoing/{id}/eyazisma.eyp"),
        )
        .send()
    };
    let r = eyp(&writer, id).await.unwrap();
    assert_eq!(r.status(), 409, "a draft does not leave");
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["code"].as_str(),
        Some("not_signed")
    );
    assert_eq!(decide(&writer, id, "approve", "").await.0, 200);
    for u in &chain {
        let (s, l) = decide(u, id, "approve", "").await;
        assert_eq!(s, 200, "{l}");
    }
    let (_, l) = writer.get(&format!("/outgoing/{id}")).await;
    let number = l["number"].as_str().expect("signed").to_owned();
    let signed_on = l["signed_at"].as_str().unwrap()[..10].to_owned();
    // The Mayor signs the package summary on his card (§3): the file
    // goes into the package as Imzalar/ImzaCades.imz.
    let unsigned = unzip(&eyp(&writer, id).await.unwrap().bytes().await.unwrap());
    assert!(!unsigned.contains_key("Imzalar/ImzaCades.imz"));
    let summary = unsigned["PaketOzeti/PaketOzeti.xml"].clone();
    let (_, hash) = chain[3].get(&format!("/outgoing/{id}/hash")).await;
    use sha2::Digest;
    assert_eq!(
        hash["package_summary_sha256"].as_str(),
        Some(hex::encode(sha2::Sha256::digest(&summary)).as_str()),
        "the package is made the same way every time: {hash}"
    );
    let pki = Pki::new();
    pki.signer("baskan", "kok", "365", "nonRepudiation");
    pki.trust("kok", &a.data_dir.join("trust"));
    let cades = pki.sign("baskan", &summary);
    let r = chain[3]
        .req(
            reqwest::Method::POST,
            &format!("/outgoing/{id}/esignature?format=cades"),
        )
        .body(cades.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204, "{:?}", r.text().await);
    let r = eyp(&writer, id).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .contains(&format!("{number}.eyp")));
    let package = r.bytes().await.unwrap().to_vec();
    let parts = unzip(&package);
    for p in [
        "[Content_Types].xml",
        "_rels/.rels",
        "Ustveri/Ustveri.xml",
        "NihaiUstveri/NihaiUstveri.xml",
        "PaketOzeti/PaketOzeti.xml",
        "NihaiOzet/NihaiOzet.xml",
        &format!("UstYazi/{number}.pdf"),
        "Ekler/Envanter listesi.pdf",
    ] {
        assert!(parts.contains_key(p), "{p} in {:?}", parts.keys());
    }
    assert_eq!(parts["Ekler/Envanter listesi.pdf"], attachment);
    assert_eq!(parts["Imzalar/ImzaCades.imz"], cades);
    let (_, pdf) = {
        let r = writer
            .req(reqwest::Method::GET, &format!("/outgoing/{id}/pdf"))
            .send()
            .await
            .unwrap();
        ((), r.bytes().await.unwrap().to_vec())
    };
    assert_eq!(
        parts[&format!("UstYazi/{number}.pdf")],
        pdf,
        "the üst yazı is the letter's PDF"
    );
    let errors = xsd_errors(&parts);
    assert!(errors.is_empty(), "the official XSDs refuse it: {errors}");
    let ustveri = String::from_utf8(parts["Ustveri/Ustveri.xml"].clone()).unwrap();
    for expected in [
        "<tipler:KKK>87654321</tipler:KKK>",
        "<tipler:KKK>12345678</tipler:KKK>",
        "<tipler:GuvenlikKodu>HZO</tipler:GuvenlikKodu>",
        "<tipler:Ivedilik>ACL</tipler:Ivedilik>",
        "<tipler:DagitimTuru>GRG</tipler:DagitimTuru>",
        "<tipler:DagitimTuru>BLG</tipler:DagitimTuru>",
        "<tipler:Kod>010.06</tipler:Kod>",
        "https://ebys.ornek.bel.tr/dogrula?kod=",
    ] {
        assert!(ustveri.contains(expected), "{expected} in {ustveri}");
    }
    let nihai = String::from_utf8(parts["NihaiUstveri/NihaiUstveri.xml"].clone()).unwrap();
    assert!(
        nihai.contains(&format!("<tipler:BelgeNo>{number}</tipler:BelgeNo>")),
        "{nihai}"
    );
    // The same letter packs the same way: one BelgeId.
    let again = unzip(&eyp(&writer, id).await.unwrap().bytes().await.unwrap());
    assert_eq!(again["Ustveri/Ustveri.xml"], parts["Ustveri/Ustveri.xml"]);

    // The recipient registers it: every field as sent.
    let b = spawn_demo_with_config(db, "[correspondence]\ndetsis = \"12345678\"\n").await;
    pki.trust("kok", &b.data_dir.join("trust"));
    let kalem = b.as_user("memur.kalem").await;
    let (s, r) = import(&b.as_user("memur.bt").await, package.clone()).await;
    assert_eq!(
        (s, r["error"]["authority"].as_str()),
        (403, Some("register_correspondence")),
        "{r}"
    );
    let (s, doc) = import(&kalem, package.clone()).await;
    assert_eq!(s, 201, "{doc}");
    let field = |k: &str| doc[k].as_str().map(str::to_owned);
    assert_eq!(
        [
            field("channel"),
            field("sender_kind"),
            field("sender_id"),
            field("sender_name"),
            field("sender_ref"),
            field("sender_date"),
            field("subject"),
            field("file_code"),
            field("confidentiality"),
            field("urgency"),
        ],
        [
            "eyazisma",
            "institution",
            "87654321",
            "T.C. Örnek Belediyesi",
            number.as_str(),
            signed_on.as_str(),
            "Bilgi sistemleri envanteri hk.",
            "010.06",
            "HZO",
            "ACL"
        ]
        .map(|s| Some(s.to_owned())),
        "{doc}"
    );
    assert_eq!(doc["eyazisma"]["version"], 2);
    assert_eq!(doc["eyazisma"]["file_code_source"], "package");
    let sig = &doc["eyazisma"]["signatures"][0];
    assert_eq!(
        (
            sig["part"].as_str(),
            sig["covers"].as_str(),
            sig["status"].as_str(),
            sig["verification"]["signer_name"].as_str()
        ),
        (
            Some("Imzalar/ImzaCades.imz"),
            Some("PaketOzeti/PaketOzeti.xml"),
            Some("valid"),
            Some("Ayşe Yıldırım")
        ),
        "the recipient verifies the signature over the package summary: {doc}"
    );
    assert_eq!(
        doc["eyazisma"]["signers"].as_array().map(Vec::len),
        Some(1),
        "{doc}"
    );
    let mut names: Vec<(&str, &str)> = doc["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap(),
                a["content_type"].as_str().unwrap(),
            )
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            (format!("{number}.eyp").as_str(), "application/octet-stream"),
            (format!("{number}.pdf").as_str(), "application/pdf"),
            ("Envanter listesi.pdf", "application/pdf")
        ],
        "{doc}"
    );
    let bytes_of = |name: String| {
        let sha = doc["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"].as_str() == Some(name.as_str()))
            .unwrap()["sha256"]
            .as_str()
            .unwrap()
            .to_owned();
        let kalem = &kalem;
        async move {
            kalem
                .req(reqwest::Method::GET, &format!("/attachments/{sha}"))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
                .to_vec()
        }
    };
    assert_eq!(bytes_of(format!("{number}.pdf")).await, pdf);
    assert_eq!(bytes_of("Envanter listesi.pdf".into()).await, attachment);
    assert_eq!(
        bytes_of(format!("{number}.eyp")).await,
        package,
        "the package is kept as received"
    );
    // The Müdür finds it in his tray, like any registration.
    let (_, tray) = b.as_user("mudur").await.get("/tray").await;
    assert!(
        tray.to_string().contains("Bilgi sistemleri envanteri"),
        "{tray}"
    );
}
on_both_engines!(a_letter_leaves_as_an_eyazisma_package_and_arrives_whole);

/// Issue 17 §2: the official samples register (CBDDO's API 2025 package,
/// and the 1.x and 2.x packages of eyazisma.online.api), their placeholder
/// signatures recorded as present but unverifiable; encrypted packages and
/// every kind of bad package are refused with 422 naming what is wrong,
/// and nothing is registered (the numbers stay gap-free).
async fn received_eyazisma_packages_are_read_or_refused_whole(db: Db) {
    let app = spawn_demo_with_config(db, "[correspondence]\ndetsis = \"24301050\"\n").await;
    let kalem = app.as_user("memur.kalem").await;

    let (s, d) = import(&kalem, fixture("samples/cbddo-api-2025/20250512142310.eyp")).await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(
        (
            d["subject"].as_str(),
            d["sender_id"].as_str(),
            d["sender_ref"].as_str(),
            d["sender_date"].as_str(),
            d["confidentiality"].as_str(),
            d["urgency"].as_str(),
            d["file_code"].as_str(),
            d["personal_data"].as_bool(),
        ),
        (
            Some("e-Yazışma Test Paketi"),
            Some("82223362"),
            Some("1234"),
            Some("2025-05-12"),
            Some("HZO"),
            Some("ACL"),
            Some("010.06"),
            Some(true)
        ),
        "the line addressed to us (24301050) is 'acele'; 010.06.01 files under 010.06; \
         the İlgili list names a person: {d}"
    );
    let signatures: Vec<(&str, &str)> = d["eyazisma"]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["part"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        signatures,
        [
            ("Imzalar/ImzaCades.imz", "unverifiable"),
            ("Muhur/MuhurCades.imz", "unverifiable"),
            ("Paraflar/ParafImzaCades.imz", "unverifiable")
        ]
    );
    assert_eq!(
        d["attachments"].as_array().map(Vec::len),
        Some(5),
        "üst yazı, three files and the package: {d}"
    );
    let first = d["seq"].as_i64().unwrap();

    for (file, subject, number) in [
        (
            "samples/eyazisma.online.api/paketv1x.eyp",
            "Olustur Versiyon 1X",
            "E-24312041-702.03-1",
        ),
        (
            "samples/eyazisma.online.api/paketv2x.eyp",
            "Olustur Versiyon 2X",
            "E-24312041-702.03-1",
        ),
    ] {
        let (s, d) = import(&kalem, fixture(file)).await;
        assert_eq!(s, 201, "{file}: {d}");
        assert_eq!(
            (
                d["subject"].as_str(),
                d["sender_ref"].as_str(),
                d["file_code"].as_str(),
                d["confidentiality"].as_str()
            ),
            (Some(subject), Some(number), Some("702"), Some("YOK")),
            "{file}: {d}"
        );
    }

    // Refused, each with what is wrong.
    let good = fixture("samples/eyazisma.online.api/paketv2x.eyp");
    let parts = unzip(&good);
    let rebuilt = |change: &dyn Fn(&str, &[u8]) -> Option<Vec<u8>>| {
        let owned: Vec<(String, Vec<u8>)> = parts
            .iter()
            .filter_map(|(n, b)| change(n, b).map(|b| (n.clone(), b)))
            .collect();
        zip_of(
            &owned
                .iter()
                .map(|(n, b)| (n.as_str(), b.as_slice()))
                .collect::<Vec<_>>(),
        )
    };
    let tampered = rebuilt(&|n, b| {
        Some(if n == "Ekler/ek1.pdf" {
            let mut b = b.to_vec();
            b[200] ^= 1;
            b
        } else {
            b.to_vec()
        })
    });
    let no_ustveri = rebuilt(&|n, b| (!n.starts_with("Ustveri/")).then(|| b.to_vec()));
    let lol = br#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><UstVeri>&c;</UstVeri>"#;
    let xxe = br#"<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]><UstVeri>&x;</UstVeri>"#;
    let laughs = rebuilt(&|n, b| {
        Some(if n == "Ustveri/Ustveri.xml" {
            lol.to_vec()
        } else {
            b.to_vec()
        })
    });
    let external = rebuilt(&|n, b| {
        Some(if n == "Ustveri/Ustveri.xml" {
            xxe.to_vec()
        } else {
            b.to_vec()
        })
    });
    let escape = zip_of(&[
        ("Ustveri/Ustveri.xml", &parts["Ustveri/Ustveri.xml"]),
        ("../../etc/cron.d/x", b"* * * * * root true"),
    ]);
    let bomb = zip_of(&[("Ekler/bomb.pdf", &vec![0u8; 300 << 20])]);
    let encrypted = fixture("samples/cbddo-api-2025/20250512142310.eyps");
    for (what, bytes, code, part) in [
        (
            "not a zip",
            b"%PDF-1.4 bu bir paket degil".to_vec(),
            "package_not_zip",
            None,
        ),
        ("encrypted", encrypted, "package_encrypted", None),
        (
            "encrypted 1.x",
            fixture("samples/eyazisma.online.api/sifrelipaketv1x.eyps"),
            "package_encrypted",
            None,
        ),
        ("no Üstveri", no_ustveri, "package_no_ustveri", None),
        (
            "a changed attachment",
            tampered,
            "package_digest_mismatch",
            Some("Ekler/ek1.pdf"),
        ),
        (
            "a path leaving the package",
            escape,
            "package_unsafe_path",
            Some("../../etc/cron.d/x"),
        ),
        (
            "a zip bomb",
            bomb,
            "package_too_large",
            Some("Ekler/bomb.pdf"),
        ),
        ("billion laughs", laughs, "package_dtd", None),
        ("an external entity", external, "package_dtd", None),
    ] {
        let (s, r) = import(&kalem, bytes).await;
        assert_eq!(
            (s, r["error"]["code"].as_str(), r["error"]["field"].as_str()),
            (422, Some(code), Some("package")),
            "{what}: {r}"
        );
        if let Some(part) = part {
            assert_eq!(r["error"]["part"].as_str(), Some(part), "{what}: {r}");
            assert!(
                r["error"]["message"].as_str().unwrap().contains(part),
                "{what}: {r}"
            );
        }
    }
    // Two entries of one name (the reader would keep one of them).
    let mut twice = zip_of(&[
        ("Ustveri/Ustveri.xml", &parts["Ustveri/Ustveri.xml"]),
        ("Ustveri/Ustveri.xmX", b"<UstVeri/>"),
    ]);
    for i in 0..twice.len() - 19 {
        if &twice[i..i + 19] == b"Ustveri/Ustveri.xmX" {
            twice[i + 18] = b'l';
        }
    }
    // A signed attachment the summaries do not vouch for.
    let mut unvouched = parts.clone();
    unvouched.insert("Ekler/sahte.pdf".into(), b"%PDF-1.4 sahte".to_vec());
    let unvouched = zip_of(
        &unvouched
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect::<Vec<_>>(),
    );
    for (what, bytes, code, part) in [
        ("one name twice", twice, "package_duplicate_part", None),
        (
            "an unvouched attachment",
            unvouched,
            "package_uncovered_part",
            Some("Ekler/sahte.pdf"),
        ),
    ] {
        let (s, r) = import(&kalem, bytes).await;
        assert_eq!(
            (s, r["error"]["code"].as_str()),
            (422, Some(code)),
            "{what}: {r}"
        );
        if let Some(part) = part {
            assert_eq!(r["error"]["part"].as_str(), Some(part), "{what}: {r}");
        }
    }
    // The same package again is the same document.
    let (s, r) = import(&kalem, good.clone()).await;
    assert_eq!(
        (s, r["error"]["code"].as_str()),
        (409, Some("package_already_registered")),
        "{r}"
    );
    // Nothing was numbered in between: the next registration follows on
    // (the same package with a part nobody reads is another file).
    let mut other = parts.clone();
    other.insert("Notlar/okundu.txt".into(), b"okundu".to_vec());
    let other = zip_of(
        &other
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect::<Vec<_>>(),
    );
    let (s, d) = import(&kalem, other).await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(d["seq"].as_i64(), Some(first + 3), "{d}");
}
on_both_engines!(received_eyazisma_packages_are_read_or_refused_whole);

/// A throwaway PKI made with `openssl` during the run: a root CA, and
/// signer certificates issued by it.
struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    fn openssl(&self, args: &[&str]) {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("openssl (scripts/test installs it)");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A root CA named `name` (its key in `name.key`, its certificate in
    /// `name.pem`).
    fn new() -> Pki {
        let p = Pki {
            dir: tempfile::tempdir().unwrap(),
        };
        for ca in ["kok", "yabanci"] {
            p.openssl(&[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                &format!("{ca}.key"),
                "-out",
                &format!("{ca}.pem"),
                "-days",
                "3650",
                "-subj",
                &format!("/C=TR/O=Deneme/CN=Deneme {ca} SM"),
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ]);
        }
        p
    }

    /// A signer certificate `name.pem` issued by `ca`, valid `days` (a
    /// negative number: never valid), with this key usage.
    fn signer(&self, name: &str, ca: &str, days: &str, key_usage: &str) {
        std::fs::write(
            self.dir.path().join(format!("{name}.ext")),
            format!("keyUsage=critical,{key_usage}\n"),
        )
        .unwrap();
        self.openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-utf8",
            "-subj",
            "/C=TR/serialNumber=10000000146/CN=Ayşe Yıldırım",
        ]);
        self.openssl(&[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            &format!("{ca}.pem"),
            "-CAkey",
            &format!("{ca}.key"),
            "-CAcreateserial",
            "-out",
            &format!("{name}.pem"),
            "-days",
            days,
            "-extfile",
            &format!("{name}.ext"),
        ]);
    }

    /// A detached CAdES-BES signature of `content` by `signer`.
    fn sign(&self, signer: &str, content: &[u8]) -> Vec<u8> {
        std::fs::write(self.dir.path().join("icerik"), content).unwrap();
        self.openssl(&[
            "cms",
            "-sign",
            "-binary",
            "-cades",
            "-md",
            "sha256",
            "-in",
            "icerik",
            "-signer",
            &format!("{signer}.pem"),
            "-inkey",
            &format!("{signer}.key"),
            "-outform",
            "DER",
            "-out",
            "imza.imz",
        ]);
        std::fs::read(self.dir.path().join("imza.imz")).unwrap()
    }

    /// Puts the root `ca` in a trust folder.
    fn trust(&self, ca: &str, folder: &std::path::Path) {
        std::fs::create_dir_all(folder).unwrap();
        std::fs::copy(
            self.dir.path().join(format!("{ca}.pem")),
            folder.join(format!("{ca}.pem")),
        )
        .unwrap();
    }
}

/// Issue 17 §3: a CAdES signature uploaded to the e-imza slot is verified
/// over the letter's canonical content (what `/hash` gives): its
/// signature, the chain to the trust store (`DATA_DIR/trust`), the
/// certificate's validity at the signing time and its non-repudiation key
/// usage. A güvenli elektronik imza rests on a qualified certificate and
/// has the effect of a handwritten signature (5070 sayılı Elektronik İmza
/// Kanunu m.4, m.5); a certificate whose key is not for non-repudiation is
/// not one to sign official letters with, the safe reading.
/// A valid one is kept and reported with the signer's name, TC kimlik
/// number, serial, issuer and signing time; each invalid kind is refused
/// with its reason, and nothing is kept.
async fn a_cades_signature_is_verified_on_upload(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let writer = app.as_user("memur.bt").await;
    let sef = app.as_user("sef.bt").await;
    let mudur = app.as_user("mudur").await;
    let (s, l) = writer
        .post("/outgoing", internal_letter("İmzalı yazı hk."))
        .await;
    assert_eq!(s, 201, "{l}");
    let id = l["id"].as_i64().unwrap();
    for u in [&writer, &sef, &mudur] {
        assert_eq!(decide(u, id, "approve", "").await.0, 200);
    }
    let (_, hash) = mudur.get(&format!("/outgoing/{id}/hash")).await;
    let content = hash["content"]
        .as_str()
        .expect("the content to sign")
        .to_owned();
    use sha2::Digest;
    assert_eq!(
        hash["sha256"].as_str(),
        Some(hex::encode(sha2::Sha256::digest(content.as_bytes())).as_str()),
        "the hash is the content's"
    );

    let pki = Pki::new();
    pki.signer("imzaci", "kok", "365", "nonRepudiation");
    pki.signer("suresi_dolmus", "kok", "-1", "nonRepudiation");
    pki.signer(
        "sifreleme",
        "kok",
        "365",
        "digitalSignature,keyEncipherment",
    );
    pki.signer("yabanci_imzaci", "yabanci", "365", "nonRepudiation");
    pki.trust("kok", &app.data_dir.join("trust"));
    let upload = |bytes: Vec<u8>| {
        let mudur = &mudur;
        async move {
            let r = mudur
                .req(
                    reqwest::Method::POST,
                    &format!("/outgoing/{id}/esignature?format=cades"),
                )
                .body(bytes)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let mut tampered_sig = pki.sign("imzaci", content.as_bytes());
    let n = tampered_sig.len();
    tampered_sig[n - 20] ^= 0xff;
    for (what, bytes, code) in [
        (
            "not a signature",
            b"0\x82\x01\x00 CAdES-BES imza (deneme)".to_vec(),
            "signature_malformed",
        ),
        (
            "another content",
            pki.sign("imzaci", b"{\"number\":\"baska\"}"),
            "signature_content_mismatch",
        ),
        (
            "a changed signature value",
            tampered_sig,
            "signature_invalid",
        ),
        (
            "an expired certificate",
            pki.sign("suresi_dolmus", content.as_bytes()),
            "signature_expired",
        ),
        (
            "an untrusted issuer",
            pki.sign("yabanci_imzaci", content.as_bytes()),
            "signature_untrusted",
        ),
        (
            "no non-repudiation",
            pki.sign("sifreleme", content.as_bytes()),
            "signature_key_usage",
        ),
    ] {
        let (s, r) = upload(bytes).await;
        assert_eq!(
            (s, r["error"]["code"].as_str(), r["error"]["field"].as_str()),
            (422, Some(code), Some("file")),
            "{what}: {r}"
        );
    }
    // An XAdES file is kept unverified, but only an XML signature is one.
    for junk in [b"bir imza".to_vec(), b"<imza>yok</imza>".to_vec()] {
        let r = mudur
            .req(
                reqwest::Method::POST,
                &format!("/outgoing/{id}/esignature?format=xades"),
            )
            .body(junk)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert_eq!(
            r.json::<Value>().await.unwrap()["error"]["code"].as_str(),
            Some("signature_malformed")
        );
    }
    let (_, kept) = mudur.get(&format!("/outgoing/{id}/esignatures")).await;
    assert_eq!(kept, json!([]), "nothing refused was kept");

    let (s, r) = upload(pki.sign("imzaci", content.as_bytes())).await;
    assert_eq!(s, 204, "{r}");
    let (_, kept) = mudur.get(&format!("/outgoing/{id}/esignatures")).await;
    let v = &kept[0]["verification"];
    assert_eq!(
        (
            kept[0]["covers"].as_str(),
            v["valid"].as_bool(),
            v["signer_name"].as_str(),
            v["tckn"].as_str(),
            v["issuer"].as_str(),
        ),
        (
            Some("content"),
            Some(true),
            Some("Ayşe Yıldırım"),
            Some("10000000146"),
            Some("Deneme kok SM")
        ),
        "{kept}"
    );
    assert!(v["serial"].as_str().is_some_and(|s| !s.is_empty()), "{v}");
    let utc_today = OffsetDateTime::now_utc().date().to_string();
    assert!(
        v["signing_time"]
            .as_str()
            .is_some_and(|t| t.starts_with(&utc_today)),
        "{v}"
    );
    let checks: Vec<(&str, bool)> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["check"].as_str().unwrap(), c["ok"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        checks,
        [
            ("structure", true),
            ("content", true),
            ("signature", true),
            ("chain", true),
            ("validity", true),
            ("key_usage", true)
        ]
    );
    // Without the root in the trust store, the same file no longer passes.
    std::fs::remove_dir_all(app.data_dir.join("trust")).unwrap();
    let (_, kept) = mudur.get(&format!("/outgoing/{id}/esignatures")).await;
    assert_eq!(
        kept[0]["verification"]["valid"].as_bool(),
        Some(false),
        "{kept}"
    );
}
on_both_engines!(a_cades_signature_is_verified_on_upload);

/// A signed external letter from the Kalem to Sağlık Bakanlığı (the chain
/// of m.20/3 up to the Mayor); its id.
async fn signed_external(app: &common::TestApp, subject: &str) -> i64 {
    let kalem = app.as_user("memur.kalem").await;
    let (s, l) = kalem
        .post(
            "/outgoing",
            json!({"subject": subject, "file_code": "010.06",
                "body": "İlgi yazınız ile istenen bilgiler ekte sunulmuştur.\n\nBilgilerinize arz ederim.",
                "recipients": [{"role": "muhatap", "kind": "institution", "name": "Sağlık Bakanlığı", "detsis": "12345678"}]}),
        )
        .await;
    assert_eq!(s, 201, "{l}");
    let id = l["id"].as_i64().unwrap();
    for u in [
        "memur.kalem",
        "sef.kalem",
        "mudur",
        "baskan.yardimcisi",
        "baskan",
    ] {
        let (s, r) = decide(&app.as_user(u).await, id, "approve", "").await;
        assert_eq!(s, 200, "{u}: {r}");
    }
    id
}

/// The attachments of the messages a Maildir received: (To, file name,
/// SHA-256 of its bytes), decoded by Python's `email` package.
fn mail_attachments(maildir: &std::path::Path) -> Vec<(String, String, String)> {
    let python =
        std::env::var("MUDURLUK_TEST_PYTHON").expect("MUDURLUK_TEST_PYTHON: run scripts/test");
    let script = "import email, hashlib, os, sys\n\
        d = os.path.join(sys.argv[1], 'new')\n\
        for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:\n\
        \x20   m = email.message_from_binary_file(open(os.path.join(d, f), 'rb'))\n\
        \x20   for p in m.walk():\n\
        \x20       if p.get_filename():\n\
        \x20           print(m['To'], p.get_filename(), hashlib.sha256(p.get_payload(decode=True)).hexdigest(), sep='\\t')\n";
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(maildir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut f = l.split('\t').map(str::to_owned);
            (f.next().unwrap(), f.next().unwrap(), f.next().unwrap())
        })
        .collect()
}

/// Issue 17 §5: a signed letter goes by KEP through the institution's
/// provider (`[kep]`, a real SMTP server on loopback here) to the
/// recipient's KEP address with its e-Yazışma package; it is recorded as
/// dispatched, the message as sent is kept as evidence, and the provider's
/// delivery evidence is added later. Only the Kalem dispatches (m.16/1,
/// m.21/2); only a KEP address (…@….kep.tr) is taken; a provider that
/// does not answer leaves the letter signed and undispatched.
async fn a_letter_goes_by_kep_with_its_evidence(db: Db) {
    let smtp = testkit::SmtpServer::start();
    let app = spawn_demo_with_config(
        db,
        &format!("{CONFIG}[kep]\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"ornekbelediye@hs01.kep.tr\"\nsecurity = \"none\"\n", smtp.port),
    )
    .await;
    let id = signed_external(&app, "Bilgi sistemleri envanteri hk.").await;
    let kalem = app.as_user("memur.kalem").await;
    let to = json!({"address": "saglikbakanligi@hs01.kep.tr"});
    let (s, r) = app
        .as_user("memur.bt")
        .await
        .post(&format!("/outgoing/{id}/kep"), to.clone())
        .await;
    assert_eq!(
        (s, r["error"]["authority"].as_str()),
        (403, Some("register_correspondence")),
        "{r}"
    );
    let (s, r) = kalem
        .post(
            &format!("/outgoing/{id}/kep"),
            json!({"address": "saglik@saglik.gov.tr"}),
        )
        .await;
    assert_eq!(
        (s, r["error"]["code"].as_str()),
        (422, Some("bad_kep_address")),
        "{r}"
    );
    assert!(mail_attachments(&smtp.maildir).is_empty(), "nothing sent");
    let (_, l) = kalem.get(&format!("/outgoing/{id}")).await;
    assert_eq!(l["state"], "signed");

    let (s, receipt) = kalem.post(&format!("/outgoing/{id}/kep"), to.clone()).await;
    assert_eq!(s, 200, "{receipt}");
    let number = l["number"].as_str().unwrap();
    assert_eq!(
        receipt["attached"].as_str(),
        Some(format!("{number}.eyp").as_str())
    );
    assert!(
        receipt["provider_answer"]
            .as_str()
            .unwrap()
            .starts_with("250"),
        "{receipt}"
    );
    let package = kalem
        .req(
            reqwest::Method::GET,
            &format!("/outgoing/{id}/eyazisma.eyp"),
        )
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    use sha2::Digest;
    assert_eq!(
        mail_attachments(&smtp.maildir),
        [(
            "saglikbakanligi@hs01.kep.tr".to_owned(),
            format!("{number}.eyp"),
            hex::encode(sha2::Sha256::digest(&package))
        )],
        "the provider got the package, addressed to the KEP address"
    );
    let (_, l) = kalem.get(&format!("/outgoing/{id}")).await;
    assert_eq!(
        (l["state"].as_str(), l["dispatch_channel"].as_str()),
        (Some("dispatched"), Some("kep"))
    );
    let reference = l["dispatch_ref"].as_str().unwrap();
    assert!(
        reference.contains("saglikbakanligi@hs01.kep.tr")
            && reference.contains(receipt["message_id"].as_str().unwrap()),
        "{reference}"
    );
    let (s, r) = kalem.post(&format!("/outgoing/{id}/kep"), to.clone()).await;
    assert_eq!(
        (s, r["error"]["code"].as_str()),
        (409, Some("already_dispatched")),
        "{r}"
    );
    assert_eq!(mail_attachments(&smtp.maildir).len(), 1, "sent once");

    // The message as sent is the evidence; the provider's delivery
    // evidence is added by the Kalem.
    let sent = receipt["evidence"]["sha256"].as_str().unwrap();
    let eml = kalem
        .req(reqwest::Method::GET, &format!("/attachments/{sent}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        eml.contains(receipt["message_id"].as_str().unwrap())
            && eml.contains("saglikbakanligi@hs01.kep.tr"),
        "{eml}"
    );
    let r = kalem
        .req(
            reqwest::Method::POST,
            &format!("/outgoing/{id}/evidence?name=kep-delili.eml"),
        )
        .body(
            "X-KEP-Delil: teslim edildi\r\n\r\nDelil"
                .as_bytes()
                .to_vec(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let (_, ev) = kalem.get(&format!("/outgoing/{id}/evidence")).await;
    let kinds: Vec<(&str, &str)> = ev
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("kep_sent", format!("{number}-kep.eml").as_str()),
            ("kep_delivery", "kep-delili.eml")
        ]
    );
    let r = app
        .as_user("memur.bt")
        .await
        .req(
            reqwest::Method::POST,
            &format!("/outgoing/{id}/evidence?name=x.eml"),
        )
        .body(b"x".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "only the Kalem adds evidence");

    // A provider that does not answer: nothing recorded, the letter waits.
    drop(smtp);
    let other = signed_external(&app, "İkinci yazı hk.").await;
    let (s, r) = kalem.post(&format!("/outgoing/{other}/kep"), to).await;
    assert_eq!(
        (s, r["error"]["code"].as_str()),
        (409, Some("kep_send_failed")),
        "{r}"
    );
    let (_, l) = kalem.get(&format!("/outgoing/{other}")).await;
    assert_eq!(l["state"], "signed");
    let (_, ev) = kalem.get(&format!("/outgoing/{other}/evidence")).await;
    assert_eq!(ev, json!([]));
}
on_both_engines!(a_letter_goes_by_kep_with_its_evidence);

/// Issue 17 §1: every document we print is PDF/A-2b — the letter, the
/// receipt, the register books and the courier list, the forms (Zimmet
/// Fişi, leave form), the KVKK inventory and the security audit report:
/// its fonts are embedded (pdffonts), its XMP says pdfaid:part 2 and
/// conformance B, and its text reads back (pdftotext), Turkish letters and
/// all.
async fn every_printed_document_is_pdf_a_2b(db: Db) {
    let app = spawn_demo_with_config(db, CONFIG).await;
    let mudur = app.as_user("mudur").await;
    let day = common::today();
    let kalem = app.as_user("memur.kalem").await;
    let (s, doc) = kalem
        .post(
            "/incoming",
            json!({"channel": "hand", "delivered_by": "Kurye", "sender_kind": "institution",
                "sender_name": "Çevre, Şehircilik ve İklim Değişikliği Bakanlığı", "sender_id": "12345678",
                "sender_ref": "E-12345678-010.06-998877", "sender_date": day,
                "subject": "Coğrafi bilgi sistemleri veri paylaşımı hk.", "file_code": "010.06"}),
        )
        .await;
    assert_eq!(s, 201, "{doc}");
    let letter = signed_external(&app, "Kablosuz ağ envanteri hk.").await;
    let (s, r) = kalem
        .post(
            &format!("/outgoing/{letter}/dispatch"),
            json!({"channel": "hand", "reference": "Teslim alan: Sağlık Bakanlığı kalemi"}),
        )
        .await;
    assert_eq!(s, 204, "{r}");
    let mut docs: Vec<(String, String, &str)> = vec![
        (
            "letter".into(),
            format!("/outgoing/{letter}/pdf"),
            "Bilgilerinize",
        ),
        (
            "receipt".into(),
            format!("/incoming/{}/receipt.pdf", doc["id"]),
            "Coğrafi",
        ),
        (
            "incoming book".into(),
            format!("/incoming/book?from={day}&to={day}"),
            "Şehircilik",
        ),
        (
            "outgoing book".into(),
            format!("/outgoing/book?from={day}&to={day}"),
            "Kablosuz",
        ),
        (
            "courier list".into(),
            format!("/outgoing/courier-list?from={day}&to={day}"),
            "Kablosuz",
        ),
        (
            "KVKK inventory".into(),
            "/kvkk/inventory?format=pdf".into(),
            "Envanter",
        ),
    ];
    let (_, leave) = mudur.get("/leave-requests").await;
    if let Some(id) = leave
        .as_array()
        .and_then(|a| a.first())
        .and_then(|r| r["id"].as_i64())
    {
        docs.push((
            "leave form".into(),
            format!("/leave-requests/{id}/form.pdf"),
            "İzin",
        ));
    }
    let (_, audits) = mudur.get("/security/audits").await;
    if let Some(id) = audits
        .as_array()
        .and_then(|a| a.first())
        .and_then(|r| r["id"].as_i64())
    {
        docs.push((
            "audit report".into(),
            format!("/security/audits/{id}/report.pdf"),
            "Uyum",
        ));
    }
    assert!(docs.len() >= 6, "{docs:?}");
    for (what, path, word) in docs {
        let r = mudur.req(reqwest::Method::GET, &path).send().await.unwrap();
        assert_eq!(r.status(), 200, "{what}: {path}");
        let pdf = r.bytes().await.unwrap().to_vec();
        let raw = String::from_utf8_lossy(&pdf);
        assert!(
            raw.contains("<pdfaid:part>2</pdfaid:part>")
                && raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
            "{what}: no PDF/A-2b identification in its XMP"
        );
        let fonts = run_tool("pdffonts", &pdf, &[]);
        let lines: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(
            !lines.is_empty()
                && lines
                    .iter()
                    .all(|l| l.split_whitespace().rev().nth(4) == Some("yes")),
            "{what}: every font embedded:\n{fonts}"
        );
        let text = run_tool("pdftotext", &pdf, &[]);
        assert!(
            text.contains(word),
            "{what}: '{word}' reads back from:\n{text}"
        );
    }
}
on_both_engines!(every_printed_document_is_pdf_a_2b);
