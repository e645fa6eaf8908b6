//! Hardening (issue 13), on both engines: disposal destroys the files'
//! bytes and texts and nobody reads them after; an upload no record holds
//! is its uploader's alone until collected; one input discipline at the
//! boundary (NUL, controls, bidi, invisible text) answered alike by both
//! engines; redirects only to this site; CSRF that no `Authorization`
//! header switches off; sign-in throttled per address and account without
//! locking the real person out; `/metrics` behind a token;
//! `Idempotency-Key`; the audit chain's anchor.

mod common;

use common::{spawn_demo, spawn_demo_with_config, ApiUser, Db};
use serde_json::{json, Value};

/// Where the local blob store keeps a file's bytes.
fn blob_path(app: &common::TestApp, sha: &str) -> std::path::PathBuf {
    app.data_dir
        .join("attachments")
        .join("sha256")
        .join(&sha[..2])
        .join(&sha[2..4])
        .join(sha)
}

async fn upload(u: &ApiUser, bytes: Vec<u8>) -> String {
    let r = u
        .req(reqwest::Method::POST, "/attachments")
        .header("content-type", "application/pdf")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Today's page of the incoming register, as CSV.
async fn book_csv(u: &ApiUser) -> String {
    let today = common::today();
    let r = u
        .req(
            reqwest::Method::GET,
            &format!("/incoming/book?format=csv&from={today}&to={today}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

/// A backup of the running instance (`mudurluk backup`), as bytes.
fn backup(app: &common::TestApp, name: &str) -> Vec<u8> {
    let to = app.data_dir.with_file_name(name);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mudurluk"))
        .args(["backup", "--to"])
        .arg(&to)
        .arg("--data-dir")
        .arg(&app.data_dir)
        .args(["--database-url", &app.database_url])
        .env_remove("MUDURLUK_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(to).unwrap()
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

async fn download(u: &ApiUser, sha: &str) -> u16 {
    u.req(reqwest::Method::GET, &format!("/attachments/{sha}"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Devlet Arşiv Hizmetleri Hakkında Yönetmelik: a disposed (imha) record
/// is destroyed, not hidden. After the Mayor's approval the scan's bytes
/// are gone from the store, its text from the database, and its download
/// answers 404 to everyone, the uploader included; the tombstone stays.
async fn disposal_destroys_the_files(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let mudur = app.as_user("mudur").await;
    let baskan = app.as_user("baskan").await;
    let admin = app.as_user("admin").await;

    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend_from_slice("memnuniyet anketi 2015, imha edilecek".as_bytes());
    let r = kalem
        .req(
            reqwest::Method::POST,
            "/archive/scans?sdp=044&year=2015&name=anket-2015",
        )
        .body(pdf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let item: Value = r.json().await.unwrap();
    let (_, item) = kalem.get(&format!("/archive/{}", item["id"])).await;
    let sha = item["sha256"].as_str().unwrap().to_owned();
    assert_eq!(download(&kalem, &sha).await, 200);
    assert_eq!(
        download(&mudur, &sha).await,
        200,
        "a member reads the digital archive"
    );
    assert!(blob_path(&app, &sha).exists());

    assert!(
        holds(
            &backup(&app, "before.tar"),
            "memnuniyet anketi 2015, imha edilecek"
        ),
        "a backup holds the scan before its disposal"
    );

    let (status, file) = kalem
        .post("/archive/files", json!({"file_code": "044", "year": 2015}))
        .await;
    assert_eq!(status, 201, "{file}");
    let fid = file["id"].as_i64().unwrap();
    assert_eq!(
        kalem
            .post(
                &format!("/archive/files/{fid}/documents"),
                json!({"doc": format!("archive:{}", item["id"])})
            )
            .await
            .0,
        204
    );
    assert_eq!(
        kalem
            .post(&format!("/archive/files/{fid}/close"), json!({}))
            .await
            .0,
        204
    );
    let (status, d) = mudur
        .post("/archive/disposals", json!({"decision_ref": "Ayıklama-İmha Komisyonu Kararı 2026/9", "decision_date": common::today(),
            "members": ["Ayşe Kara", "Mehmet Demir", "Zeynep Ak"], "files": [fid]}))
        .await;
    assert_eq!(status, 201, "{d}");
    let (status, r) = baskan
        .post(&format!("/archive/disposals/{}/approval", d["id"]), json!({"state_archives_opinion": "Devlet Arşivleri Başkanlığının 20.11.2026 tarihli ve E-41 sayılı yazısı"}))
        .await;
    assert_eq!((status, r["state"].as_str()), (200, Some("done")), "{r}");

    assert_eq!(
        download(&kalem, &sha).await,
        404,
        "the uploader no longer reads a destroyed file"
    );
    assert_eq!(download(&mudur, &sha).await, 404);
    assert_eq!(download(&admin, &sha).await, 404);
    assert!(
        !blob_path(&app, &sha).exists(),
        "the bytes are gone from the store"
    );
    let after = backup(&app, "after.tar");
    // (Its title stays in the audit trail, as it stays on the disposal list.)
    assert!(
        !holds(&after, "memnuniyet anketi 2015, imha edilecek"),
        "a backup taken after the disposal does not hold what was disposed"
    );
    let (_, destroyed) = admin
        .get(&format!("/audit?action=blob.destroyed&subject=blob:{sha}"))
        .await;
    assert_eq!(
        destroyed.as_array().map(Vec::len),
        Some(1),
        "the destruction is on the record: {destroyed}"
    );
    // Nothing can put it on a record again by its hash.
    let (status, r) = kalem
        .post("/incoming", json!({"channel": "hand", "delivered_by": "Ayşe Kara", "sender_kind": "person", "sender_name": "Ayşe Kara",
            "subject": "Eski anket", "file_code": "044", "legal_basis": "dilekce", "attachments": [sha], "attachment_names": ["anket.pdf"]}))
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (422, Some("unknown_attachment")),
        "{r}"
    );
}
on_both_engines!(disposal_destroys_the_files);

/// An upload no record holds is its uploader's: another user cannot read
/// it by its hash, nor put it on his own record; after the retention of
/// unclaimed uploads it is collected.
async fn an_unregistered_upload_is_only_its_uploaders(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let other = app.as_user("sef.kalem").await;
    let sha = upload(&kalem, b"%PDF-1.4\nyalnizca yukleyenin".to_vec()).await;
    assert_eq!(download(&kalem, &sha).await, 200);
    assert_eq!(
        download(&other, &sha).await,
        404,
        "knowing the hash opens nothing"
    );
    let (status, r) = other
        .post("/incoming", json!({"channel": "hand", "delivered_by": "Ali Veli", "sender_kind": "person", "sender_name": "Ali Veli",
            "subject": "Başkasının dosyası", "file_code": "044", "legal_basis": "dilekce", "attachments": [sha], "attachment_names": ["x.pdf"]}))
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (422, Some("unknown_attachment")),
        "{r}"
    );
    // The same content uploaded by the other makes it his too.
    assert_eq!(
        upload(&other, b"%PDF-1.4\nyalnizca yukleyenin".to_vec()).await,
        sha
    );
    assert_eq!(download(&other, &sha).await, 200);

    // Kept for `unreferenced_upload_hours`; a round with no hours left
    // collects it.
    assert_eq!(
        app.app.collect(24).await.unwrap().unclaimed,
        0,
        "a fresh upload is kept"
    );
    let c = app.app.collect(0).await.unwrap();
    assert!(c.unclaimed >= 1 && c.destroyed >= 1, "{c:?}");
    assert_eq!(download(&kalem, &sha).await, 404);
    assert!(!blob_path(&app, &sha).exists());
}
on_both_engines!(an_unregistered_upload_is_only_its_uploaders);

/// The same input gets the same answer on both engines: NUL and other
/// control characters are refused with 422 naming the field (PostgreSQL
/// would otherwise fail with 500), bidi overrides and zero-width
/// characters in a subject too, and a subject of invisible characters
/// only is empty.
async fn one_input_discipline(db: Db) {
    let app = spawn_demo(db).await;
    let anon = common::client();
    let r = anon
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "mu\u{0}dur", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (
            body["error"]["code"].as_str(),
            body["error"]["field"].as_str()
        ),
        (Some("control_character"), Some("username")),
        "{body}"
    );

    let kalem = app.as_user("memur.kalem").await;
    let doc = |subject: &str| {
        json!({"channel": "hand", "delivered_by": "Ayşe Kara", "sender_kind": "person", "sender_name": "Ayşe Kara",
            "subject": subject, "file_code": "044", "legal_basis": "dilekce"})
    };
    for (subject, code) in [
        ("konu\u{0}", "control_character"),
        ("konu\u{7}zil", "control_character"),
        ("konu\u{85}", "control_character"),
        ("fatura\u{202E}fdp.exe", "bidi_character"),
        ("ko\u{200B}nu", "invisible_character"),
        ("\u{200B}\u{200C}\u{FEFF}", "required"),
    ] {
        let (status, r) = kalem.post("/incoming", doc(subject)).await;
        assert_eq!(
            (
                status,
                r["error"]["code"].as_str(),
                r["error"]["field"].as_str()
            ),
            (422, Some(code), Some("subject")),
            "{subject:?}: {r}"
        );
    }
    // Decomposed İ (I + combining dot) is stored precomposed (NFC).
    let (status, r) = kalem.post("/incoming", doc("I\u{307}STANBUL")).await;
    assert_eq!(
        (status, r["subject"].as_str()),
        (201, Some("İSTANBUL")),
        "{r}"
    );
    // In a query string and a form, too.
    let (status, r) = kalem.get("/incoming/due?unit=bt%00").await;
    assert_eq!(
        (status, r["error"]["field"].as_str()),
        (422, Some("unit")),
        "{r}"
    );
    let r = anon
        .post(app.url("/giris"))
        .header("cookie", format!("mudurluk_csrf={}", app.csrf))
        .form(&[
            ("_csrf", app.csrf.as_str()),
            ("username", "a\u{0}"),
            ("password", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    // A long address gets the error shape, not a bare status.
    let r = anon
        .get(app.url(&format!("/api/v1/tray?x={}", "a".repeat(20_000))))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 414);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["code"].as_str(),
        Some("uri_too_long")
    );
    // Over 64 KB hyper answers before any handler runs; the listener puts
    // the same shape in its place.
    // (HTTP clients refuse such an address themselves: written by hand.)
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let host = app
            .url("")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let mut tcp = tokio::net::TcpStream::connect(&host).await.unwrap();
        let target = format!("/api/v1/tray?x={}", "a".repeat(100_000));
        tcp.write_all(format!("GET {target} HTTP/1.1\r\nhost: {host}\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut answer = Vec::new();
        tcp.read_to_end(&mut answer).await.unwrap();
        let answer = String::from_utf8_lossy(&answer);
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        assert!(
            head.starts_with("HTTP/1.1 414") && head.contains("content-type: application/json"),
            "{head}"
        );
        assert_eq!(
            serde_json::from_str::<Value>(body).unwrap()["error"]["code"].as_str(),
            Some("uri_too_long"),
            "{body}"
        );
    }
}
on_both_engines!(one_input_discipline);

/// The language switch goes back only to a page of this site: a browser
/// drops a tab or newline from `/\t/evil.com`, which would make it
/// `//evil.com`.
#[tokio::test]
async fn language_switch_never_redirects_off_site() {
    let app = spawn_demo(Db::Sqlite).await;
    for (next, want) in [
        ("/gelen", "/gelen"),
        ("/%09/evil.com", "/"),
        ("/%0a/evil.com", "/"),
        ("/%0d%0a/evil.com", "/"),
        ("//evil.com", "/"),
        ("/%5cevil.com", "/"),
        ("%5c%5cevil.com", "/"),
        ("https://evil.com", "/"),
        ("/%00", "/"),
        ("/%20/evil.com", "/"),
        ("/%E2%80%8B/evil.com", "/"),
    ] {
        let r = common::client()
            .get(app.url(&format!("/dil/en?next={next}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{next}");
        assert_eq!(r.headers()["location"], want, "{next}");
    }
}

/// A request signed in by the session cookie needs the CSRF token; an
/// `Authorization` header that is not a Bearer token changes nothing, and
/// with a Bearer token the cookie is not read.
#[tokio::test]
async fn no_authorization_header_switches_csrf_off() {
    let app = spawn_demo(Db::Sqlite).await;
    let (browser, _csrf) = common::page_client(&app, "memur.kalem").await;
    let body = json!({"channel": "hand", "delivered_by": "Ayşe Kara", "sender_kind": "person", "sender_name": "Ayşe Kara",
        "subject": "Sahte istek", "file_code": "044", "legal_basis": "dilekce"});
    for auth in [
        "Basic eDp5",
        "Bearer ",
        "Bearer",
        "bearer",
        "Digest x",
        "Bearer  ",
    ] {
        let r = browser
            .post(app.url("/api/v1/incoming"))
            .header("authorization", auth)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{auth:?}");
        assert_eq!(
            r.json::<Value>().await.unwrap()["error"]["code"].as_str(),
            Some("csrf"),
            "{auth:?}"
        );
    }
    // A wrong Bearer token is a failed sign-in, whatever the cookie says.
    let r = browser
        .post(app.url("/api/v1/incoming"))
        .header("authorization", "Bearer yanlis")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let kalem = app.as_user("memur.kalem").await;
    assert!(
        !book_csv(&kalem).await.contains("Sahte istek"),
        "nothing was registered"
    );
}

/// Five wrong passwords from one address slow that address for that
/// account (429 with Retry-After); the real person signing in from another
/// address gets in at once: nobody can lock the Müdür out.
async fn sign_in_throttle_cannot_lock_anyone_out(db: Db) {
    let app = spawn_demo(db).await;
    let from = |ip: &str| {
        reqwest::Client::builder()
            .local_address(ip.parse::<std::net::IpAddr>().unwrap())
            .build()
            .unwrap()
    };
    let attacker = from("127.0.0.2");
    let login = |c: &reqwest::Client, user: &str, pass: &str| {
        c.post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": user, "password": pass}))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(
            login(&attacker, "mudur", "yanlış").await.unwrap().status(),
            401
        );
    }
    let r = login(&attacker, "mudur", common::DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        429,
        "the attacker's address waits, even with the right password"
    );
    assert!(r.headers().get("retry-after").is_some());
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["code"].as_str(),
        Some("too_many_attempts")
    );
    // The Müdür, at her own desk.
    let r = login(&from("127.0.0.1"), "mudur", common::DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the real person is not locked out");

    // Going through many usernames from one address slows it too.
    let sprayer = from("127.0.0.3");
    let mut statuses = Vec::new();
    for i in 0..25 {
        statuses.push(
            login(&sprayer, &format!("kullanici{i}"), "parola")
                .await
                .unwrap()
                .status()
                .as_u16(),
        );
    }
    assert!(
        statuses[..20].iter().all(|s| *s == 401) && statuses[20..].iter().all(|s| *s == 429),
        "{statuses:?}"
    );

    // The administrator sees the failures, with their address.
    let admin = app.as_user("admin").await;
    let (status, failures) = admin.get("/auth/failed-sign-ins").await;
    assert_eq!(status, 200, "{failures}");
    let rows = failures.as_array().unwrap();
    assert!(
        rows.iter()
            .any(|f| f["username"] == "mudur" && f["address"] == "127.0.0.2" && f["known"] == true),
        "{failures}"
    );
    assert!(
        rows.iter()
            .any(|f| f["username"] == "kullanici3" && f["known"] == false),
        "{failures}"
    );
    let (status, _) = app
        .as_user("mudur")
        .await
        .get("/auth/failed-sign-ins")
        .await;
    assert_eq!(status, 403, "for the administrator only");

    // Their page names the account holder, not only what was typed, and
    // counts the tries per address.
    let (c, _) = common::page_client(&app, "admin").await;
    let page = c
        .get(app.url("/yonetim/basarisiz-girisler"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Başarısız girişler")
            && html.contains("127.0.0.2")
            && html.contains("127.0.0.3"),
        "{html}"
    );
    assert!(
        html.contains("<td>Hülya Çelik</td>"),
        "the Müdür's name is shown: {html}"
    );
    assert!(
        html.contains("böyle bir hesap yok"),
        "an unknown name is said to be unknown"
    );
    let by_address = html
        .split("id=\"by-address\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    // The sprayer's 20 wrong passwords; the 5 tries it made while made to
    // wait were refused before any password was checked.
    assert!(
        by_address.contains("<code>127.0.0.3</code></td><td>20</td>"),
        "20 failures from the sprayer: {by_address}"
    );
    let (c, _) = common::page_client(&app, "mudur").await;
    assert_eq!(
        c.get(app.url("/yonetim/basarisiz-girisler"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}
on_both_engines!(sign_in_throttle_cannot_lock_anyone_out);

/// `/metrics` answers only with its token; `metrics_listen` serves it on
/// an address of its own.
#[tokio::test]
async fn metrics_need_their_token() {
    let app = spawn_demo_with_config(
        Db::Sqlite,
        "metrics_token = \"olcum-belirteci-0123456789\"\n",
    )
    .await;
    let r = common::client()
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().get("www-authenticate").is_some());
    let r = common::client()
        .get(app.url("/metrics"))
        .bearer_auth("yanlis-belirtec-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = common::client()
        .get(app.url("/metrics"))
        .bearer_auth("olcum-belirteci-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("db_pool_connections"));
    // Without a token configured, never on the main listener.
    let plain = spawn_demo(Db::Sqlite).await;
    assert_eq!(
        common::client()
            .get(plain.url("/metrics"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

/// The CSRF cookie is `Secure` with `cookie_secure`.
#[tokio::test]
async fn the_csrf_cookie_is_secure_when_asked() {
    let app = spawn_demo_with_config(Db::Sqlite, "cookie_secure = true\n").await;
    let r = common::client()
        .get(app.url("/giris"))
        .send()
        .await
        .unwrap();
    let cookies: Vec<&str> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("mudurluk_csrf=") && c.contains("; Secure")),
        "{cookies:?}"
    );
}

/// `Idempotency-Key`: the same key and body answer the first result and
/// register once; another body with the key is refused; another user's
/// same key is his own.
async fn idempotency_key_registers_once(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let body = json!({"channel": "hand", "delivered_by": "Ayşe Kara", "sender_kind": "person", "sender_name": "Ayşe Kara",
        "subject": "Bir kez kaydedilecek", "file_code": "044", "legal_basis": "dilekce"});
    let send = |u: &ApiUser, key: &str, body: &Value| {
        u.req(reqwest::Method::POST, "/incoming")
            .header("idempotency-key", key)
            .json(body)
            .send()
    };
    let first = send(&kalem, "kayit-0001", &body).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send(&kalem, "kayit-0001", &body).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(
        again
            .headers()
            .get("idempotent-replayed")
            .map(|v| v.to_str().unwrap()),
        Some("true")
    );
    let again: Value = again.json().await.unwrap();
    assert_eq!(
        (again["id"].clone(), again["number"].clone()),
        (first["id"].clone(), first["number"].clone())
    );
    let mut other = body.clone();
    other["subject"] = json!("Başka bir konu");
    let r = send(&kalem, "kayit-0001", &other).await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["code"].as_str(),
        Some("idempotency_key_reused")
    );
    let sef = app.as_user("sef.kalem").await;
    let r = send(&sef, "kayit-0001", &body).await.unwrap();
    assert_eq!(r.status(), 201, "another user's key is his own");
    let r = send(&kalem, "", &body).await.unwrap();
    assert_eq!(r.status(), 422);
    // Two registrations in all with that subject: the Kalem's and the Şef's.
    let book = book_csv(&kalem).await;
    assert_eq!(book.matches("Bir kez kaydedilecek").count(), 2, "{book}");
    // A letter, a routing: any creating POST.
    let mudur = app.as_user("mudur").await;
    let route = json!({"targets": [{"unit": "kalem", "purpose": "action"}]});
    let path = format!("/incoming/{}/routings", first["id"]);
    let a = mudur
        .req(reqwest::Method::POST, &path)
        .header("idempotency-key", "havale-1")
        .json(&route)
        .send()
        .await
        .unwrap();
    let b = mudur
        .req(reqwest::Method::POST, &path)
        .header("idempotency-key", "havale-1")
        .json(&route)
        .send()
        .await
        .unwrap();
    assert!(a.status().is_success(), "{}", a.text().await.unwrap());
    assert_eq!(
        b.status().as_u16(),
        a.status().as_u16(),
        "the retry answers as the first did (not already_routed)"
    );
}
on_both_engines!(idempotency_key_registers_once);

/// Waits out the last seconds of a thirty-second step, so that a code
/// computed here is checked by the server within the same step or the
/// next (one step of drift is accepted).
async fn settle() -> u64 {
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    let r = now() % 30;
    if r >= 25 {
        tokio::time::sleep(std::time::Duration::from_secs(31 - r)).await;
    }
    now()
}

async fn login(app: &common::TestApp, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Two-factor sign-in (issue 18 §5; RFC 6238): a person turns it on with
/// the first code of the secret and gets ten recovery codes; sign-in then
/// asks for a code (401 `totp_required`), refuses a wrong one
/// (`totp_invalid`) and one already used (`totp_used`), takes a recovery
/// code once; `[security] totp_for_positions` makes it compulsory for the
/// Müdür, who begins it with the password and signs in with its first
/// code, and cannot turn it off.
async fn two_factor_sign_in(db: Db) {
    use domain::totp::{code_at, decode};
    let app = spawn_demo_with_config(db, "[security]\ntotp_for_positions = [\"mudur\"]\n").await;
    let pass = common::DEMO_PASSWORD;
    let memur = app.as_user("memur.bt").await;
    let (s, st) = memur.get("/me/totp").await;
    assert_eq!(
        (s, &st["enabled"], &st["required"]),
        (200, &json!(false), &json!(false)),
        "{st}"
    );
    let (s, e) = memur.post("/me/totp", json!({})).await;
    assert_eq!(s, 200, "{e}");
    assert!(
        e["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/"),
        "{e}"
    );
    assert!(e["qr_svg"].as_str().unwrap().starts_with("<svg"), "{e}");
    let secret = decode(e["secret"].as_str().unwrap()).unwrap();
    // Until confirmed, sign-in asks nothing more.
    assert_eq!(
        login(&app, json!({"username": "memur.bt", "password": pass}))
            .await
            .0,
        200
    );
    for bad in ["000000", "12345", "abcdef"] {
        let (s, v) = memur.post("/me/totp/confirm", json!({"code": bad})).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (422, Some("totp_invalid")),
            "{bad}: {v}"
        );
    }
    let t = settle().await;
    let (s, v) = memur
        .post(
            "/me/totp/confirm",
            json!({"code": code_at(&secret, t - 30)}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    let recovery: Vec<String> = v["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(recovery.len(), 10);
    let (s, v) = memur.post("/me/totp", json!({})).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("totp_already_on")),
        "{v}"
    );

    // Sign-in: the code is asked, a wrong one refused, a good one once.
    let (s, v) = login(&app, json!({"username": "memur.bt", "password": pass})).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (401, Some("totp_required")),
        "{v}"
    );
    let (s, v) = login(
        &app,
        json!({"username": "memur.bt", "password": pass, "totp": "123456"}),
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (
            401,
            Some(if code_at(&secret, t) == "123456" {
                "totp_used"
            } else {
                "totp_invalid"
            })
        ),
        "{v}"
    );
    // The wrong password with a good code is still the password's refusal.
    let t = settle().await;
    let code = code_at(&secret, t);
    let (s, v) = login(
        &app,
        json!({"username": "memur.bt", "password": "yanlış parola", "totp": code}),
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (401, Some("login_failed")),
        "{v}"
    );
    let (s, v) = login(
        &app,
        json!({"username": "memur.bt", "password": pass, "totp": code}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert!(v.get("recovery_codes").is_none(), "{v}");
    let (s, v) = login(
        &app,
        json!({"username": "memur.bt", "password": pass, "totp": code}),
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (401, Some("totp_used")),
        "{v}"
    );
    // A recovery code, once, typed as one likes.
    let typed = recovery[3].to_ascii_lowercase().replace('-', " ");
    let (s, v) = login(
        &app,
        json!({"username": "memur.bt", "password": pass, "recovery_code": typed}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = login(
        &app,
        json!({"username": "memur.bt", "password": pass, "recovery_code": recovery[3]}),
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (401, Some("totp_invalid")),
        "{v}"
    );
    let (_, st) = memur.get("/me/totp").await;
    assert_eq!(
        (&st["enabled"], &st["recovery_left"]),
        (&json!(true), &json!(9)),
        "{st}"
    );
    // Turned off with a fresh code.
    let t = settle().await;
    let (s, v) = memur
        .post("/me/totp/disable", json!({"code": "000000"}))
        .await;
    assert_eq!(s, 422, "{v}");
    let (s, v) = memur
        .post(
            "/me/totp/disable",
            json!({"code": code_at(&secret, t + 30)}),
        )
        .await;
    assert_eq!((s, &v["enabled"]), (200, &json!(false)), "{v}");
    assert_eq!(
        login(&app, json!({"username": "memur.bt", "password": pass}))
            .await
            .0,
        200
    );

    // Compulsory for the Müdür's post: begun with the password before
    // signing in, turned on by the first code.
    let (s, v) = login(&app, json!({"username": "mudur", "password": pass})).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (401, Some("totp_enrolment_required")),
        "{v}"
    );
    let begin = |password: &str| {
        reqwest::Client::new()
            .post(app.url("/api/v1/auth/totp"))
            .json(&json!({"username": "mudur", "password": password}))
            .send()
    };
    assert_eq!(begin("yanlış parola").await.unwrap().status(), 401);
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/totp"))
        .json(&json!({"username": "memur.bt", "password": pass}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "not compulsory for memur.bt");
    let e: Value = begin(pass).await.unwrap().json().await.unwrap();
    let secret = decode(e["secret"].as_str().unwrap()).unwrap();
    let t = settle().await;
    let (s, v) = login(
        &app,
        json!({"username": "mudur", "password": pass, "totp": code_at(&secret, t)}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        v["recovery_codes"].as_array().map(Vec::len),
        Some(10),
        "{v}"
    );
    let mudur = ApiUser {
        base: app.base.clone(),
        token: v["token"].as_str().unwrap().to_owned(),
        client: reqwest::Client::new(),
    };
    let (_, st) = mudur.get("/me/totp").await;
    assert_eq!(
        (&st["enabled"], &st["required"]),
        (&json!(true), &json!(true)),
        "{st}"
    );
    let (s, v) = mudur
        .post(
            "/me/totp/disable",
            json!({"code": code_at(&secret, t + 30)}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("totp_compulsory")),
        "{v}"
    );
    // Every step is in the audit trail, the secret never.
    let (_, audit) = app
        .as_user("admin")
        .await
        .get("/audit?action=auth.totp_enabled")
        .await;
    assert_eq!(audit.as_array().map(Vec::len), Some(2), "{audit}");
    assert!(!audit.to_string().contains(e["secret"].as_str().unwrap()));
}
on_both_engines!(two_factor_sign_in);

/// One sees one's open sessions (when, which browser, from where) and ends
/// any of them, not another's (the guide's measure 3.2.2.5).
async fn one_sees_and_ends_ones_sessions(db: Db) {
    let app = spawn_demo(db).await;
    let pass = common::DEMO_PASSWORD;
    let open = |agent: &'static str| {
        let url = app.url("/api/v1/auth/login");
        async move {
            let v: Value = reqwest::Client::new()
                .post(url)
                .header("user-agent", agent)
                .json(&json!({"username": "memur.bt", "password": pass}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v["token"].as_str().unwrap().to_owned()
        }
    };
    let office = open("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36").await;
    let phone = open("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0").await;
    let as_token = |token: &str| ApiUser {
        base: app.base.clone(),
        token: token.to_owned(),
        client: reqwest::Client::new(),
    };
    let (s, list) = as_token(&office).get("/me/sessions").await;
    assert_eq!(s, 200, "{list}");
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 2, "{list:?}");
    let mine = list.iter().find(|x| x["current"] == true).unwrap();
    assert_eq!(mine["browser"], "Chrome, Windows");
    assert_eq!(mine["address"], "127.0.0.1");
    let other = list.iter().find(|x| x["current"] == false).unwrap();
    assert_eq!(other["browser"], "Firefox, Android");
    assert!(
        !json!(list).to_string().contains(&phone),
        "no token is shown"
    );
    // Another person cannot end it; an unknown id is not found.
    let kalem = app.as_user("memur.kalem").await;
    let id = other["id"].as_str().unwrap();
    let (s, _) = kalem
        .post(&format!("/me/sessions/{id}/end"), json!({}))
        .await;
    assert_eq!(s, 404);
    let (s, _) = as_token(&office)
        .post("/me/sessions/000000000000/end", json!({}))
        .await;
    assert_eq!(s, 404);
    assert_eq!(as_token(&phone).get("/me/totp").await.0, 200);
    let (s, v) = as_token(&office)
        .post(&format!("/me/sessions/{id}/end"), json!({}))
        .await;
    assert_eq!(s, 204, "{v}");
    assert_eq!(
        as_token(&phone).get("/me/totp").await.0,
        401,
        "the phone's session has ended"
    );
    assert_eq!(as_token(&office).get("/me/totp").await.0, 200);
    let (_, audit) = app
        .as_user("admin")
        .await
        .get("/audit?action=auth.session_ended")
        .await;
    assert_eq!(audit.as_array().map(Vec::len), Some(1), "{audit}");
}
on_both_engines!(one_sees_and_ends_ones_sessions);

async fn put(u: &ApiUser, path: &str, body: Value) -> (u16, Value) {
    let r = u
        .req(reqwest::Method::PUT, path)
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// The security guide as an audit (issue 18 §1; m.8/23-31, m.16/5-c): the
/// guide's 660 measures, 411 for a level-1 asset and 559 for level 2
/// (Bilgi ve İletişim Güvenliği Rehberi 2020/1.0); a campaign over graded
/// assets, opened by the Bilgi Teknolojileri Şefi; a measure assessed for
/// the assets its level reaches; compliance as applied plus half of partly
/// applied over what applies; a measure the guide does not have refused.
async fn the_security_guide_as_an_audit(db: Db) {
    let app = spawn_demo(db).await;
    let memur = app.as_user("memur.bt").await;
    let sef = app.as_user("sef.bt").await;
    for (q, total) in [
        ("", 660),
        ("?max_level=1", 411),
        ("?max_level=2", 559),
        ("?max_level=3&section=5", 99),
    ] {
        let (s, v) = memur.get(&format!("/security/measures{q}")).await;
        assert_eq!((s, v["total"].as_u64()), (200, Some(total)), "{q}");
        assert_eq!(v["items"].as_array().unwrap().len(), total as usize);
    }
    let (_, v) = memur
        .get("/security/measures?section=3.1.12&max_level=2")
        .await;
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["no"] == "3.1.12.15" && m["level"] == 2),
        "{v}"
    );
    for (q, code) in [
        ("?max_level=4", "out_of_range"),
        ("?max_level=x", "bad_number"),
        ("?section=9", "unknown_measure"),
        ("?section=3.1.1.", "unknown_measure"),
    ] {
        let (s, v) = memur.get(&format!("/security/measures{q}")).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (422, Some(code)),
            "{q}: {v}"
        );
    }

    let body = json!({"title": "2026 yılı uyum denetimi", "period_from": "2026-11-01", "period_to": "2026-12-31",
        "assets": [{"name": "EBYS", "criticality": 3}, {"name": "Kurumsal web sitesi", "criticality": 1}]});
    let (s, v) = memur.post("/security/audits", body.clone()).await;
    assert_eq!(
        (s, v["error"]["authority"].as_str()),
        (403, Some("audit_security")),
        "{v}"
    );
    for (bad, code) in [
        (
            json!({"assets": [{"name": "EBYS", "criticality": 4}]}),
            "bad_criticality",
        ),
        (json!({"assets": []}), "required"),
        (
            json!({"assets": [{"name": "EBYS", "criticality": 3}, {"name": "ebys", "criticality": 1}]}),
            "duplicate_audit_asset",
        ),
        (json!({"period_to": "2026-10-01"}), "before_from"),
    ] {
        let mut b = body.clone();
        for (k, x) in bad.as_object().unwrap() {
            b[k] = x.clone();
        }
        let (s, v) = sef.post("/security/audits", b).await;
        assert_eq!((s, v["error"]["code"].as_str()), (422, Some(code)), "{v}");
    }
    let (s, a) = sef.post("/security/audits", body).await;
    assert_eq!(s, 201, "{a}");
    let id = a["id"].as_i64().unwrap();
    assert_eq!(a["tally"]["applicable"], 660 + 411);
    assert_eq!(a["compliance"], 0.0, "nothing assessed yet: {a}");
    assert_eq!(a["auditor_name"], "Gülşen Aydın");
    let ebys = a["assets"][0]["id"].as_i64().unwrap();
    let site = a["assets"][1]["id"].as_i64().unwrap();

    // A measure the guide does not have, and bad states: nothing changes.
    let path = |no: &str| format!("/security/audits/{id}/measures/{no}");
    for (no, b, field, code) in [
        (
            "9.9.9.9",
            json!({"state": "applied"}),
            "measure",
            "unknown_measure",
        ),
        (
            "3.1.1.1",
            json!({"state": "bitti"}),
            "state",
            "bad_assessment_state",
        ),
        (
            "3.1.1.1",
            json!({"state": "not_applicable"}),
            "reason",
            "required",
        ),
        (
            "3.1.12.15",
            json!({"state": "applied", "assets": [site]}),
            "assets",
            "measure_not_applicable",
        ),
        (
            "3.1.1.1",
            json!({"state": "applied", "assets": [999_999]}),
            "assets",
            "unknown_audit_asset",
        ),
    ] {
        let (s, v) = put(&sef, &path(no), b).await;
        assert_eq!(
            (s, v["error"]["field"].as_str(), v["error"]["code"].as_str()),
            (422, Some(field), Some(code)),
            "{no}: {v}"
        );
    }
    let (_, same) = sef.get(&format!("/security/audits/{id}")).await;
    assert_eq!(same["tally"]["unassessed"], 660 + 411);

    // 3.1.12.15 (multi-factor authentication) is level 2: the level-3 EBYS
    // only. 3.1.1.1 and 3.1.1.2 (level 1): both assets.
    let (s, v) = put(&sef, &path("3.1.12.15"), json!({"state": "applied", "evidence": "Mudurluk: iki aşamalı giriş zorunlu (docs/SECURITY.md)"})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["tally"]["applied"], 1);
    let (_, v) = put(
        &sef,
        &path("3.1.1.1"),
        json!({"state": "not_applicable", "reason": "Envanter taşınır kayıtlarında tutuluyor"}),
    )
    .await;
    assert_eq!(v["tally"]["not_applicable"], 2);
    let (_, v) = put(
        &sef,
        &path("3.1.1.2"),
        json!({"state": "partly", "answers": "Yazılım envanteri kısmen tutuluyor."}),
    )
    .await;
    assert_eq!(v["tally"]["partly"], 2);
    // 1 + 2 × ½ over 1,071 − 2 pairs: 0.19 %, to one decimal.
    assert_eq!(v["compliance"], 0.2, "{v}");
    let by_asset = |v: &Value, asset: i64| {
        v["assets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == asset)
            .unwrap()["tally"]
            .clone()
    };
    assert_eq!(by_asset(&v, ebys)["applied"], 1);
    assert_eq!(by_asset(&v, site)["applied"], 0);
    assert_eq!(by_asset(&v, site)["applicable"], 411);
    let group = v["by_group"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["no"] == "3.1")
        .unwrap()
        .clone();
    assert_eq!(group["name"], "Ağ ve Sistem Güvenliği");
    assert_eq!(group["tally"]["partly"], 2);
    // Assessed again: replaced, not added.
    let (_, v) = put(&sef, &path("3.1.1.2"), json!({"state": "applied"})).await;
    assert_eq!(
        (
            v["tally"]["partly"].as_i64(),
            v["tally"]["applied"].as_i64()
        ),
        (Some(0), Some(3))
    );
    // The Müdür reads it; a memur does not; every assessment is audited.
    assert_eq!(
        app.as_user("mudur")
            .await
            .get(&format!("/security/audits/{id}"))
            .await
            .0,
        200
    );
    let (s, v) = memur.get(&format!("/security/audits/{id}")).await;
    assert_eq!(
        (s, v["error"]["authority"].as_str()),
        (403, Some("audit_security"))
    );
    let (_, audit) = app
        .as_user("admin")
        .await
        .get("/audit?action=security.measure_assessed")
        .await;
    assert_eq!(audit.as_array().map(Vec::len), Some(4), "{audit}");
}
on_both_engines!(the_security_guide_as_an_audit);

/// The audit's evidence, its gaps made actions, and its report (issue 18
/// §1, §8): an evidence file is kept only for whoever audits (m.8/23-31),
/// and one over the upload limit is refused with nothing kept; a gap
/// becomes an action with an owner and a due date, then a task the owner
/// sees (m.18/1); the Uyum Denetim Raporu prints the compliance, the
/// progress since the audit before, the gaps and the actions, with the
/// auditor's and the Müdür's signature blocks.
async fn audit_evidence_actions_and_report(db: Db) {
    let app = spawn_demo_with_config(db, "max_upload_mb = 1\n").await;
    let memur = app.as_user("memur.bt").await;
    let sef = app.as_user("sef.bt").await;
    let mudur = app.as_user("mudur").await;
    let open = |title: &str, from: &str, to: &str| {
        json!({"title": title, "period_from": from, "period_to": to,
            "assets": [{"name": "EBYS", "criticality": 2}]})
    };
    let (s, first) = sef
        .post(
            "/security/audits",
            open("2025 uyum denetimi", "2025-01-01", "2025-12-31"),
        )
        .await;
    assert_eq!(s, 201, "{first}");
    let first_id = first["id"].as_i64().unwrap();
    assert!(first["previous"].is_null(), "{first}");
    put(
        &sef,
        &format!("/security/audits/{first_id}/measures/3.1.1.1"),
        json!({"state": "not_applied"}),
    )
    .await;
    let (_, second) = sef
        .post(
            "/security/audits",
            open("2026 uyum denetimi", "2026-01-01", "2026-12-31"),
        )
        .await;
    let id = second["id"].as_i64().unwrap();
    for no in ["3.1.1.1", "3.1.1.2", "3.1.1.3"] {
        let (s, v) = put(
            &sef,
            &format!("/security/audits/{id}/measures/{no}"),
            json!({"state": "applied"}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
    }
    let (_, v) = sef.get(&format!("/security/audits/{id}")).await;
    assert_eq!(v["previous"]["id"], first_id, "{v}");
    assert_eq!(v["previous"]["compliance"], 0.0);
    // 3 of 559 applied: 0.5 %; the audit before had none.
    assert_eq!(
        (v["compliance"].as_f64(), v["previous"]["change"].as_f64()),
        (Some(0.5), Some(0.5)),
        "{v}"
    );

    // Evidence: refused before a byte is kept for one who does not audit,
    // for a measure the guide does not have, and over the limit.
    let evidence = |u: &ApiUser, no: &str, body: Vec<u8>| {
        u.req(
            reqwest::Method::POST,
            &format!("/security/audits/{id}/measures/{no}/evidence?name=yedekleme-proseduru.txt"),
        )
        .header("content-type", "application/octet-stream")
        .body(body)
    };
    let text = "Yedekleme prosedürü: her gece tam yedek, haftada bir geri dönüş testi.\n"
        .as_bytes()
        .to_vec();
    let r = evidence(&memur, "3.1.1.1", text.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["authority"], "audit_security");
    let r = evidence(&sef, "9.9.9.9", text.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    // A level-3 measure: the audit's one asset is graded 2, so it does not
    // apply; neither evidence nor an action for it.
    let (_, all) = sef.get("/security/measures?max_level=3&section=3.1").await;
    let level3 = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["level"] == 3)
        .unwrap()["no"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = evidence(&sef, &level3, text.clone()).send().await.unwrap();
    assert_eq!(
        r.status().as_u16(),
        422,
        "evidence for a measure that applies to nothing here"
    );
    let (s, v) = sef
        .post(
            &format!("/security/audits/{id}/actions"),
            json!({"measure": level3, "owner": "memur.bt", "due": "2099-01-31"}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("measure_not_applicable")),
        "{v}"
    );
    // A file name with a right-to-left override is refused before a byte is kept.
    let r = sef
        .req(
            reqwest::Method::POST,
            &format!("/security/audits/{id}/measures/3.1.1.1/evidence?name=a%E2%80%AEtxt.exe"),
        )
        .body(text.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    // The auditor named must hold the authority.
    let (s, v) = sef
        .post("/security/audits", json!({"title": "x", "period_from": "2026-01-01", "period_to": "2026-01-31", "auditor": "memur.kalem", "assets": [{"name": "EBYS", "criticality": 1}]}))
        .await;
    assert_eq!(
        (s, v["error"]["field"].as_str(), v["error"]["code"].as_str()),
        (422, Some("auditor"), Some("auditor_without_authority")),
        "{v}"
    );
    let r = evidence(&sef, "3.1.1.1", vec![b'a'; 1_500_000])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 413, "over the 1 MB limit");
    let (_, m) = sef
        .get(&format!("/security/audits/{id}/measures/3.1.1.1"))
        .await;
    assert_eq!(
        m["files"].as_array().map(Vec::len),
        Some(0),
        "nothing kept: {m}"
    );
    let r = evidence(&sef, "3.1.1.1", text.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let file: Value = r.json().await.unwrap();
    assert_eq!(
        (file["name"].as_str(), file["added_by_name"].as_str()),
        (Some("yedekleme-proseduru.txt"), Some("Gülşen Aydın")),
        "{file}"
    );
    let (_, m) = sef
        .get(&format!("/security/audits/{id}/measures/3.1.1.1"))
        .await;
    assert_eq!(m["files"][0]["sha256"], file["sha256"]);
    assert_eq!(m["assets"][0]["state"], "applied");
    assert!(!m["measure"]["audit_questions"].as_str().unwrap().is_empty());
    // The Müdür (who audits) reads the file; a memur does not learn it exists.
    let sha = file["sha256"].as_str().unwrap();
    let r = mudur
        .req(reqwest::Method::GET, &format!("/attachments/{sha}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.bytes().await.unwrap().to_vec(), text);
    let r = memur
        .req(reqwest::Method::GET, &format!("/attachments/{sha}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);

    // A gap made an action, then a task for its owner.
    let actions = format!("/security/audits/{id}/actions");
    for (b, field, code) in [
        (
            json!({"measure": "3.1.1.4", "owner": "memur.bt", "due": "2020-01-01"}),
            "due",
            "date_in_past",
        ),
        (
            json!({"measure": "3.1.1.4", "owner": "yok.boyle", "due": "2099-01-31"}),
            "owner",
            "unknown_user",
        ),
        (
            json!({"measure": "3.1.1.", "owner": "memur.bt", "due": "2099-01-31"}),
            "measure",
            "unknown_measure",
        ),
    ] {
        let (s, v) = sef.post(&actions, b).await;
        assert_eq!(
            (s, v["error"]["field"].as_str(), v["error"]["code"].as_str()),
            (422, Some(field), Some(code)),
            "{v}"
        );
    }
    let (s, a) = sef
        .post(
            &actions,
            json!({"measure": "3.1.1.4", "owner": "memur.bt", "due": "2099-01-31"}),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(
        (a["owner_name"].as_str(), a["state"].as_str()),
        (Some("Irmak Polat"), Some("open"))
    );
    assert!(
        a["title"].as_str().unwrap().starts_with("3.1.1.4 "),
        "named after the measure: {a}"
    );
    let aid = a["id"].as_i64().unwrap();
    let (_, open_list) = mudur.get("/security/actions").await;
    assert!(open_list.as_array().unwrap().iter().any(|x| x["id"] == aid));
    let (s, t) = sef
        .post(&format!("/security/actions/{aid}/task"), json!({}))
        .await;
    assert_eq!(s, 200, "{t}");
    let task = t["task_id"].as_i64().expect("a task");
    let (s, again) = sef
        .post(&format!("/security/actions/{aid}/task"), json!({}))
        .await;
    assert_eq!(
        (s, again["error"]["code"].as_str()),
        (409, Some("already_tasked"))
    );
    let (s, tv) = memur.get(&format!("/tasks/{task}")).await;
    assert_eq!(s, 200, "the owner sees his task: {tv}");
    let (s, v) = sef
        .post(
            &format!("/security/actions/{aid}/close"),
            json!({"state": "cancelled"}),
        )
        .await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("note")));
    let (s, v) = sef
        .post(
            &format!("/security/actions/{aid}/close"),
            json!({"state": "done", "note": "Envanter tamamlandı"}),
        )
        .await;
    assert_eq!((s, v["state"].as_str()), (200, Some("done")), "{v}");
    let (s, v) = sef
        .post(
            &format!("/security/actions/{aid}/close"),
            json!({"state": "done"}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("action_closed"))
    );
    let (s, _) = sef.post(&actions, json!({"measure": "3.1.2.1", "owner": "memur.bt", "due": "2099-02-28", "title": "Kablosuz ağ politikası yazılacak"})).await;
    assert_eq!(s, 201);

    // The report.
    let r = memur
        .req(
            reqwest::Method::GET,
            &format!("/security/audits/{id}/report.pdf"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = mudur
        .req(
            reqwest::Method::GET,
            &format!("/security/audits/{id}/report.pdf"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    let text = common::pdf_text(&pdf);
    for want in [
        "UYUM DENETİM RAPORU",
        "2026 uyum denetimi",
        "Gülşen Aydın",
        "Hülya Çelik",
        "%0,5",
        "2025 uyum denetimi",
        "+0,5 puan",
        "EBYS (kritiklik 2)",
        "3.1.1.4",
        "Kablosuz ağ politikası yazılacak",
        "Tamamlandı",
    ] {
        assert!(text.contains(want), "{want:?} not in the report:\n{text}");
    }
    let (_, audit) = app
        .as_user("admin")
        .await
        .get(&format!("/audit?subject=security_audit:{id}"))
        .await;
    let kinds: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for k in [
        "security.evidence_added",
        "security.action_opened",
        "security.action_tasked",
        "security.action_closed",
    ] {
        assert!(kinds.contains(&k), "{k} not audited: {kinds:?}");
    }
}
on_both_engines!(audit_evidence_actions_and_report);

/// The KVKK processing inventory (VERBİS; 6698 m.16): each activity with
/// its ground from m.5 or m.6/3 (as Law 7499 rewrote it), retention and
/// transfer abroad (m.9); a ground the law does not have is refused, and
/// so is a transfer abroad without where to; the inventory comes as JSON,
/// XLSX and PDF, to those who keep the KVKK records.
async fn kvkk_inventory(db: Db) {
    let app = spawn_demo(db).await;
    let sef = app.as_user("sef.bt").await;
    let memur = app.as_user("memur.bt").await;
    let body = json!({"name": "Personel özlük dosyalarının tutulması", "unit": "Bilgi İşlem Müdürlüğü",
        "purpose": "657 sayılı Kanun m.97 uyarınca özlük işlemlerinin yürütülmesi",
        "data_categories": "Kimlik, iletişim, özlük, sağlık raporları", "subjects": "Çalışanlar",
        "legal_basis": ["5/2-a", "m.5/2-ç", "6/3-f"], "retention": "Görevden ayrılıştan sonra 10 yıl",
        "recipients": "SGK, Kamu Görevlileri Bilgi Sistemi", "transfer_abroad": false,
        "measures": "Yetki matrisi, erişim kayıtları, kilitli dolap"});
    let (s, v) = memur.post("/kvkk/inventory", body.clone()).await;
    assert_eq!(
        (s, v["error"]["authority"].as_str()),
        (403, Some("manage_kvkk"))
    );
    for (bad, field, code) in [
        (
            json!({"legal_basis": ["6/2"]}),
            "legal_basis",
            "bad_kvkk_basis",
        ),
        (json!({"legal_basis": []}), "legal_basis", "required"),
        (json!({"purpose": "  "}), "purpose", "required"),
        (
            json!({"transfer_abroad": true}),
            "transfer_note",
            "required",
        ),
    ] {
        let mut b = body.clone();
        for (k, x) in bad.as_object().unwrap() {
            b[k] = x.clone();
        }
        let (s, v) = sef.post("/kvkk/inventory", b).await;
        assert_eq!(
            (s, v["error"]["field"].as_str(), v["error"]["code"].as_str()),
            (422, Some(field), Some(code)),
            "{v}"
        );
    }
    let (_, before) = sef.get("/kvkk/inventory").await;
    let n = before["total"].as_u64().unwrap();
    let (s, p) = sef.post("/kvkk/inventory", body.clone()).await;
    assert_eq!(s, 201, "{p}");
    let codes: Vec<&str> = p["legal_basis"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["code"].as_str())
        .collect();
    assert_eq!(codes, ["5/2-a", "5/2-ç", "6/3-f"]);
    assert!(p["legal_basis"][1]["name"]
        .as_str()
        .unwrap()
        .contains("hukuki yükümlülüğü"));
    let (_, inv) = app.as_user("mudur").await.get("/kvkk/inventory").await;
    assert_eq!(inv["total"].as_u64(), Some(n + 1));
    let pid = p["id"].as_i64().unwrap();
    let mut changed = body.clone();
    changed["transfer_abroad"] = json!(true);
    changed["transfer_note"] = json!("Yedekler AB'deki veri merkezinde; m.9/4 standart sözleşme");
    let (s, v) = put(&sef, &format!("/kvkk/inventory/{pid}"), changed).await;
    assert_eq!(
        (s, v["transfer_abroad"].as_bool()),
        (200, Some(true)),
        "{v}"
    );
    let r = sef
        .req(reqwest::Method::GET, "/kvkk/inventory?format=xlsx")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let xlsx = r.bytes().await.unwrap();
    assert!(xlsx.starts_with(b"PK"), "an XLSX is a zip");
    let r = sef
        .req(reqwest::Method::GET, "/kvkk/inventory?format=pdf")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let text = common::pdf_text(&r.bytes().await.unwrap());
    for want in [
        "KİŞİSEL VERİ İŞLEME ENVANTERİ",
        "Personel özlük dosyalarının tutulması",
        "m.6/3-f",
        "AB'deki veri merkezinde",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    let (s, v) = sef.get("/kvkk/inventory?format=docx").await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("format")));
    let (s, _) = sef.delete(&format!("/kvkk/inventory/{pid}")).await;
    assert_eq!(s, 204);
    let (_, inv) = sef.get("/kvkk/inventory").await;
    assert_eq!(inv["total"].as_u64(), Some(n));
    let (s, _) = sef.delete(&format!("/kvkk/inventory/{pid}")).await;
    assert_eq!(s, 404);
    // Before Law 6698 (07.04.2016) there was no breach under it, and no
    // periodic destruction before its regulation (in force 01.01.2018).
    let (s, v) = sef
        .post(
            "/kvkk/breaches",
            json!({"discovered_at": "1900-01-01T00:00:00Z", "summary": "eski"}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("before_the_law")),
        "{v}"
    );
    let (s, v) = sef
        .post(
            "/kvkk/destructions",
            json!({"method": "delete", "items": ["x"], "done_on": "2017-06-01"}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("before_the_law")),
        "{v}"
    );
}
on_both_engines!(kvkk_inventory);

/// KVKK (Law 6698): a breach opens the Board's clock, 72 clock hours from
/// the discovery (m.12/5; the Board's decision 2019/10), shown as overdue
/// once past until the notice is recorded; a breach "discovered" in the
/// future is refused. Periodic destruction comes at most every six months
/// (Kişisel Verilerin Silinmesi … Yönetmeliği m.11/2): the schedule names
/// the last and the next; a destruction with no items is refused.
async fn kvkk_breaches_and_destructions(db: Db) {
    use time::{Duration, OffsetDateTime};
    let app = spawn_demo(db).await;
    let memur = app.as_user("memur.bt").await;
    let sef = app.as_user("sef.bt").await;
    let rfc = |t: OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let now = OffsetDateTime::now_utc();
    let breach = |hours_ago: i64| {
        json!({"discovered_at": rfc(now - Duration::hours(hours_ago)), "summary": "Bir dizüstü bilgisayar kayboldu; içinde başvuru dilekçeleri vardı.",
            "data_categories": "Kimlik, iletişim", "subjects": "Başvuru sahipleri", "affected_count": 120})
    };
    let (s, v) = memur.post("/kvkk/breaches", breach(2)).await;
    assert_eq!(
        (s, v["error"]["authority"].as_str()),
        (403, Some("manage_kvkk")),
        "{v}"
    );
    let mut future = breach(0);
    future["discovered_at"] = json!(rfc(now + Duration::days(1)));
    let (s, v) = sef.post("/kvkk/breaches", future).await;
    assert_eq!(
        (s, v["error"]["field"].as_str(), v["error"]["code"].as_str()),
        (422, Some("discovered_at"), Some("date_in_future")),
        "{v}"
    );
    let mut none = breach(1);
    none["summary"] = json!("  ");
    assert_eq!(sef.post("/kvkk/breaches", none).await.0, 422);
    let (_, list) = sef.get("/kvkk/breaches").await;
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(0),
        "nothing written: {list}"
    );

    // Eighty hours ago: past the 72; two hours ago: about seventy left.
    let (s, old) = sef.post("/kvkk/breaches", breach(80)).await;
    assert_eq!(s, 201, "{old}");
    assert_eq!(
        (&old["overdue"], old["hours_left"].as_i64()),
        (&json!(true), Some(-8)),
        "{old}"
    );
    let discovered = OffsetDateTime::parse(
        old["discovered_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let by = OffsetDateTime::parse(
        old["notify_board_by"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(by - discovered, Duration::hours(72));
    let (_, fresh) = sef.post("/kvkk/breaches", breach(2)).await;
    assert_eq!(fresh["overdue"], false);
    assert!(
        (69..=70).contains(&fresh["hours_left"].as_i64().unwrap()),
        "{fresh}"
    );
    // The Board told: the clock stops; told twice is refused.
    let id = old["id"].as_i64().unwrap();
    let (s, v) = sef
        .post(
            &format!("/kvkk/breaches/{id}/notices"),
            json!({"to": "board"}),
        )
        .await;
    assert_eq!((s, &v["overdue"]), (200, &json!(false)), "{v}");
    assert!(v["board_notified_at"].is_string());
    let (s, v) = sef
        .post(
            &format!("/kvkk/breaches/{id}/notices"),
            json!({"to": "board"}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("already_notified"))
    );
    let (s, _) = sef
        .post(
            &format!("/kvkk/breaches/{id}/notices"),
            json!({"to": "basın"}),
        )
        .await;
    assert_eq!(s, 422);

    // Destructions.
    let (s, sch) = sef.get("/kvkk/destruction-schedule").await;
    assert_eq!((s, &sch["last"]), (200, &Value::Null), "{sch}");
    let today = time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+3))
        .date();
    assert_eq!(
        sch["next_due"],
        today.to_string(),
        "with none recorded, due now"
    );
    for (b, field) in [
        (json!({"method": "destroy", "items": []}), "items"),
        (
            json!({"method": "yakma", "items": ["2019 dilekçe arşivi"]}),
            "method",
        ),
        (
            json!({"method": "destroy", "items": ["2019 dilekçe arşivi"], "done_on": (today + Duration::days(3)).to_string()}),
            "done_on",
        ),
    ] {
        let (s, v) = sef.post("/kvkk/destructions", b).await;
        assert_eq!((s, v["error"]["field"].as_str()), (422, Some(field)), "{v}");
    }
    let last = today - Duration::days(10);
    let (s, d) = sef
        .post(
            "/kvkk/destructions",
            json!({"method": "destroy", "done_on": last.to_string(), "items": ["2019 yılı başvuru dilekçeleri (kağıt)", "Eski kamera kayıtları"], "note": "İmha komisyonu tutanağı ile"}),
        )
        .await;
    assert_eq!(
        (s, d["method_name"].as_str()),
        (201, Some("Yok etme")),
        "{d}"
    );
    let (_, sch) = sef.get("/kvkk/destruction-schedule").await;
    assert_eq!(sch["last"], last.to_string());
    assert_eq!(
        sch["next_due"],
        domain::leave::add_months(last, 6).to_string()
    );
    assert_eq!(sch["overdue"], false);
    let (_, list) = sef.get("/kvkk/destructions").await;
    assert_eq!(list[0]["items"].as_array().map(Vec::len), Some(2), "{list}");
    let (_, audit) = app
        .as_user("admin")
        .await
        .get("/audit?action=kvkk.breach_recorded")
        .await;
    assert_eq!(audit.as_array().map(Vec::len), Some(2), "{audit}");
    // The Şef's pages: the home card of the breach still open, the KVKK
    // page with both clocks and the schedule; a memur is refused.
    let (web, _) = common::page_client(&app, "sef.bt").await;
    let home = web
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("href=\"/kvkk\"")
            && (home.contains("Kurul&#39;a bildirilmemiş veri ihlali")
                || home.contains("Kurul'a bildirilmemiş veri ihlali")),
        "{home}"
    );
    let r = web.get(app.url("/kvkk")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Bildirildi:") && page.contains("saat kaldı"),
        "{page}"
    );
    assert!(
        page.contains("Yok etme") && page.contains("Eski kamera kayıtları"),
        "{page}"
    );
    assert!(
        page.contains(&domain::local::format_date(domain::leave::add_months(
            last, 6
        ))),
        "{page}"
    );
    let (web, _) = common::page_client(&app, "memur.bt").await;
    assert_eq!(
        web.get(app.url("/kvkk")).send().await.unwrap().status(),
        403
    );
}
on_both_engines!(kvkk_breaches_and_destructions);

/// Incidents (issue 18 §3; m.8/23-31, the SOME): the response team
/// records one with its severity and the systems hit; with personal data a
/// KVKK breach comes with it, its 72-hour clock from the detection; the
/// timeline takes containment and the notices m.8 asks for (USOM, the KVKK
/// Board, whose notice stops the breach's clock); closed with its lessons,
/// nothing more is added.
async fn an_incident_from_detection_to_its_lessons(db: Db) {
    use time::{Duration, OffsetDateTime};
    let app = spawn_demo(db).await;
    let rfc = |t: OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let now = OffsetDateTime::now_utc();
    let bt = app.as_user("memur.bt").await;
    let teknik = app.as_user("memur.teknik").await;
    let body = json!({"title": "Fidye yazılımı: dosya sunucusu", "detected_at": rfc(now - Duration::hours(3)), "severity": "critical",
        "source": "Antivirüs uyarısı", "systems": ["Dosya sunucusu", "EBYS"], "personal_data": true,
        "summary": "Paylaşılan klasörlerdeki dosyalar şifrelendi."});
    let (s, v) = teknik.post("/security/incidents", body.clone()).await;
    assert_eq!(
        (s, v["error"]["authority"].as_str()),
        (403, Some("respond_incidents")),
        "{v}"
    );
    for (k, bad, field) in [
        ("severity", json!("felaket"), "severity"),
        (
            "detected_at",
            json!(rfc(now + Duration::hours(5))),
            "detected_at",
        ),
        ("title", json!(" "), "title"),
    ] {
        let mut b = body.clone();
        b[k] = bad;
        let (s, v) = bt.post("/security/incidents", b).await;
        assert_eq!((s, v["error"]["field"].as_str()), (422, Some(field)), "{v}");
    }
    let (s, i) = bt.post("/security/incidents", body).await;
    assert_eq!(s, 201, "{i}");
    let id = i["id"].as_i64().unwrap();
    assert_eq!(i["systems"], json!(["Dosya sunucusu", "EBYS"]));
    let breach = i["breach_id"].as_i64().expect("a KVKK breach with it");
    let sef = app.as_user("sef.bt").await;
    let (_, breaches) = sef.get("/kvkk/breaches").await;
    let b = breaches
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == breach)
        .unwrap()
        .clone();
    assert!(
        (68..=69).contains(&b["hours_left"].as_i64().unwrap()),
        "{b}"
    );

    let step = |b: Value| {
        let bt = &bt;
        async move {
            bt.post(&format!("/security/incidents/{id}/actions"), b)
                .await
        }
    };
    let (s, v) = step(json!({"kind": "notice", "text": "Bildirildi"})).await;
    assert_eq!(
        (s, v["error"]["field"].as_str()),
        (422, Some("notified")),
        "{v}"
    );
    let (s, v) = step(json!({"kind": "containment", "text": "Sunucu ağdan ayrıldı", "at": rfc(now - Duration::hours(5))})).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("before_from")),
        "before the detection: {v}"
    );
    assert_eq!(
        step(json!({"kind": "containment", "text": "Sunucu ağdan ayrıldı"}))
            .await
            .0,
        200
    );
    assert_eq!(step(json!({"kind": "notice", "notified": "usom", "text": "USOM'a olay bildirim formu gönderildi"})).await.0, 200);
    // The Board's notice stops the breach's clock: a responder without
    // manage_kvkk does not record it; the BT Şefi (who keeps KVKK) does.
    let (s, v) = step(json!({"kind": "notice", "notified": "kvkk", "text": "Kurul'a veri ihlali bildirimi yapıldı"})).await;
    assert_eq!(
        (s, v["error"]["authority"].as_str()),
        (403, Some("manage_kvkk")),
        "{v}"
    );
    let (s, v) = sef
        .post(&format!("/security/incidents/{id}/actions"), json!({"kind": "notice", "notified": "kvkk", "text": "Kurul'a veri ihlali bildirimi yapıldı"}))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["timeline"].as_array().map(Vec::len), Some(3), "{v}");
    let (_, breaches) = sef.get("/kvkk/breaches").await;
    let b = breaches
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == breach)
        .unwrap()
        .clone();
    assert!(
        b["board_notified_at"].is_string(),
        "the Board's notice stops the clock: {b}"
    );

    let (s, v) = bt
        .post(
            &format!("/security/incidents/{id}/close"),
            json!({"lessons": " "}),
        )
        .await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("lessons")));
    let (s, v) = bt
        .post(
            &format!("/security/incidents/{id}/close"),
            json!({"lessons": "Yedekler ayrı ağda tutulacak; makrolar kapatılacak."}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert!(v["closed_at"].is_string());
    let (s, v) = step(json!({"kind": "note", "text": "Sonradan not"})).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("incident_closed"))
    );
    let (_, audit) = app
        .as_user("admin")
        .await
        .get(&format!("/audit?subject=security_incident:{id}"))
        .await;
    // Recorded, three steps, closed.
    assert_eq!(audit.as_array().map(Vec::len), Some(5), "{audit}");
}
on_both_engines!(an_incident_from_detection_to_its_lessons);

/// Policies and acknowledgements (issue 18 §4; m.8/23-31): the BT Şefi
/// publishes the password policy; everyone holding a post must
/// acknowledge it, and he sees who has not; a new version asks again; the
/// retention policy is KVKK's (manage_kvkk); a memur publishes none.
async fn policies_and_acknowledgements(db: Db) {
    let app = spawn_demo(db).await;
    let sef = app.as_user("sef.bt").await;
    let memur = app.as_user("memur.bt").await;
    let body = json!({"kind": "password", "summary": "İlk sürüm",
        "body": "Parolalar en az 12 karakter olur; iki aşamalı doğrulama yöneticiler için zorunludur."});
    let (s, v) = memur.post("/policies", body.clone()).await;
    assert_eq!(
        (s, v["error"]["authority"].as_str()),
        (403, Some("audit_security"))
    );
    let (_, before) = sef.get("/policies").await;
    for (bad, field, code) in [
        (
            json!({"kind": "gizli", "body": "metin"}),
            "kind",
            "bad_policy_kind",
        ),
        (
            json!({"kind": "password", "body": " "}),
            "body",
            "policy_needs_text",
        ),
        (
            json!({"kind": "password", "body": "metin", "file": "00".repeat(32)}),
            "file",
            "unknown_attachment",
        ),
    ] {
        let (s, v) = sef.post("/policies", bad).await;
        assert_eq!(
            (s, v["error"]["field"].as_str(), v["error"]["code"].as_str()),
            (422, Some(field), Some(code)),
            "{v}"
        );
    }
    let (_, after) = sef.get("/policies").await;
    assert_eq!(after, before, "nothing written");
    let (s, p) = sef.post("/policies", body).await;
    assert_eq!(s, 201, "{p}");
    let id = p["id"].as_i64().unwrap();
    assert_eq!(
        (p["title"].as_str(), p["version"].as_i64()),
        (Some("Parola Politikası"), Some(1))
    );
    let readers = p["readers"].as_i64().unwrap();
    assert!(readers >= 5, "everyone holding a post reads it: {p}");
    assert_eq!(p["acknowledged"], 0);
    assert!(
        p["not_acknowledged"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "Irmak Polat"),
        "{p}"
    );

    let (_, mine) = memur.get(&format!("/policies/{id}")).await;
    assert_eq!(mine["to_acknowledge"], true);
    assert_eq!(
        mine["not_acknowledged"].as_array().map(Vec::len),
        Some(0),
        "a memur is not shown the others"
    );
    let (s, mine) = memur
        .post(&format!("/policies/{id}/acknowledge"), json!({}))
        .await;
    assert_eq!(
        (s, mine["to_acknowledge"].as_bool()),
        (200, Some(false)),
        "{mine}"
    );
    assert!(mine["acknowledged_at"].is_string());
    let (_, again) = memur
        .post(&format!("/policies/{id}/acknowledge"), json!({}))
        .await;
    assert_eq!(
        again["acknowledged_at"], mine["acknowledged_at"],
        "acknowledged once"
    );
    let (_, p) = sef.get(&format!("/policies/{id}")).await;
    assert_eq!(p["acknowledged"], 1);
    assert!(!p["not_acknowledged"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n == "Irmak Polat"));

    // A new version: a summary of the change is required; all read again.
    let (s, v) = sef
        .post(
            &format!("/policies/{id}/versions"),
            json!({"body": "16 karakter"}),
        )
        .await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("summary")));
    let (s, v) = sef
        .post(
            &format!("/policies/{id}/versions"),
            json!({"summary": "geri", "body": "x", "effective_on": "2020-01-01"}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("before_current_version")),
        "a version does not take effect before the one in force"
    );
    let (s, p) = sef
        .post(
            &format!("/policies/{id}/versions"),
            json!({"summary": "En az uzunluk 16", "body": "Parolalar en az 16 karakter olur."}),
        )
        .await;
    assert_eq!(
        (s, p["version"].as_i64(), p["acknowledged"].as_i64()),
        (201, Some(2), Some(0)),
        "{p}"
    );
    assert_eq!(p["versions"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        p["versions"][1]["acknowledgements"], 1,
        "the first version keeps its one"
    );
    let (_, list) = memur.get("/policies").await;
    assert_eq!(
        list.as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap()["to_acknowledge"],
        true
    );

    // The retention policy: manage_kvkk (the Müdür and the BT Şefi).
    let (s, r) = app.as_user("mudur").await.post("/policies", json!({"kind": "retention", "summary": "İlk sürüm", "body": "Periyodik imha süresi 6 aydır (Yönetmelik m.11/2)."})).await;
    assert_eq!(
        (s, r["title"].as_str()),
        (201, Some("Kişisel Veri Saklama ve İmha Politikası")),
        "{r}"
    );
    let (_, audit) = app
        .as_user("admin")
        .await
        .get(&format!("/audit?subject=policy:{id}"))
        .await;
    let kinds: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "policy.published").count(),
        2,
        "{kinds:?}"
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "policy.acknowledged")
            .count(),
        1,
        "{kinds:?}"
    );
}
on_both_engines!(policies_and_acknowledgements);

/// The security pages, as the staff use them (issue 18 §7): the BT Şefi
/// opens an audit from /guvenlik (a bad grade comes back with what was
/// typed), assesses a measure with an evidence file, the memur cannot see
/// the audit but reads and acknowledges a policy, a breach discovered in
/// the future is refused on /kvkk and a real one starts its clock, and an
/// incident is recorded from /guvenlik/olaylar.
async fn security_pages_for_people(db: Db) {
    let app = spawn_demo(db).await;
    let (sef, csrf) = common::page_client(&app, "sef.bt").await;
    let text = |r: reqwest::Response| async move { (r.status().as_u16(), r.text().await.unwrap()) };
    let post = |path: &str, form: Vec<(&str, &str)>| {
        let mut f: Vec<(String, String)> = form
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        f.push(("_csrf".into(), csrf.clone()));
        sef.post(app.url(path)).form(&f).send()
    };
    let (s, page) = text(sef.get(app.url("/guvenlik")).send().await.unwrap()).await;
    assert_eq!(s, 200);
    assert!(page.contains("Henüz uyum denetimi yok"), "{page}");
    let (s, page) = text(
        post(
            "/guvenlik/denetimler",
            vec![
                ("title", "Kasım denetimi"),
                ("period_from", "2026-11-01"),
                ("period_to", "2026-11-30"),
                ("assets", "EBYS; 3\nWeb sitesi; yüksek"),
            ],
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(s, 422);
    assert!(
        page.contains("value=\"Kasım denetimi\"") && page.contains("form-errors"),
        "typed values come back"
    );
    let r = post(
        "/guvenlik/denetimler",
        vec![
            ("title", "Kasım denetimi"),
            ("period_from", "2026-11-01"),
            ("period_to", "2026-11-30"),
            ("assets", "EBYS; 3\nWeb sitesi; 1"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 303);
    let audit = r.headers()["location"].to_str().unwrap().to_owned();
    let (s, page) = text(sef.get(app.url(&audit)).send().await.unwrap()).await;
    assert_eq!(s, 200);
    assert!(
        page.contains("Kasım denetimi") && page.contains("Genel uyum") && page.contains("3.1.1.1"),
        "{page}"
    );
    assert!(
        page.contains("<svg") && page.contains("role=\"img\""),
        "the chart"
    );

    let form = reqwest::multipart::Form::new()
        .text("asset", "1")
        .text("state", "applied")
        .text("evidence", "Envanter yazılımı kuruldu")
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"Envanter raporu\n".to_vec())
                .file_name("envanter-raporu.txt")
                .mime_str("text/plain")
                .unwrap(),
        );
    let r = sef
        .post(app.url(&format!("{audit}/tedbir/3.1.1.1?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, page) = text(
        sef.get(app.url(&format!("{audit}/tedbir/3.1.1.1")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        page.contains("envanter-raporu.txt")
            && page.contains("Uygulanıyor")
            && page.contains("Envanter yazılımı kuruldu"),
        "{page}"
    );

    let (memur, mcsrf) = common::page_client(&app, "memur.bt").await;
    assert_eq!(
        memur.get(app.url(&audit)).send().await.unwrap().status(),
        403
    );
    // The gap given to her: she cannot read the audit, but her dashboard
    // lists what is hers to do.
    let audit_id = audit.rsplit('/').next().unwrap();
    let (st, a) = app
        .as_user("sef.bt")
        .await
        .post(&format!("/security/audits/{audit_id}/actions"), json!({"measure": "3.1.1.2", "owner": "memur.bt", "due": "2099-01-31", "title": "Yazılım envanteri tamamlanacak"}))
        .await;
    assert_eq!(st, 201, "{a}");
    let (_, page) = text(memur.get(app.url("/guvenlik")).send().await.unwrap()).await;
    assert!(
        page.contains("Bana verilen güvenlik eylemleri")
            && page.contains("Yazılım envanteri tamamlanacak"),
        "{page}"
    );
    let (_, p) = app
        .as_user("sef.bt")
        .await
        .post(
            "/policies",
            json!({"kind": "acceptable_use", "body": "İnternet yalnızca iş için kullanılır."}),
        )
        .await;
    let pid = p["id"].as_i64().unwrap();
    let (_, page) = text(memur.get(app.url("/politikalar")).send().await.unwrap()).await;
    assert!(
        page.contains("Kabul Edilebilir Kullanım Politikası") && page.contains("Okunacak"),
        "{page}"
    );
    let r = memur
        .post(app.url(&format!("/politikalar/{pid}/okudum")))
        .form(&[("_csrf", mcsrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, page) = text(
        memur
            .get(app.url(&format!("/politikalar/{pid}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(page.contains("Okundu:"), "{page}");

    let (s, page) = text(
        post(
            "/kvkk/ihlal",
            vec![
                ("discovered_at", "2099-01-01T10:00"),
                ("summary", "Yanlış adrese giden e-posta"),
            ],
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(s, 422);
    assert!(
        page.contains("Yanlış adrese giden e-posta"),
        "typed values come back"
    );
    let r = post(
        "/kvkk/ihlal",
        vec![
            ("discovered_at", "2026-11-30T09:00"),
            ("summary", "Yanlış adrese giden e-posta"),
            ("affected_count", "3"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 303);
    let (_, page) = text(sef.get(app.url("/kvkk")).send().await.unwrap()).await;
    assert!(
        page.contains("Yanlış adrese giden e-posta") && page.contains("03.12.2026 09:00"),
        "72 hours on: {page}"
    );

    let r = post(
        "/guvenlik/olaylar",
        vec![
            ("title", "Sunucuya kaba kuvvet denemesi"),
            ("detected_at", "2026-11-30T08:00"),
            ("severity", "medium"),
            ("systems", "Web sunucusu, VPN"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 303);
    let incident = r.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = text(sef.get(app.url(&incident)).send().await.unwrap()).await;
    assert!(
        page.contains("Sunucuya kaba kuvvet denemesi")
            && page.contains("Web sunucusu, VPN")
            && page.contains("Orta"),
        "{page}"
    );
}
on_both_engines!(security_pages_for_people);

/// The guide's 3.1.12.6 ("İşlem yapılmayan oturumlar belirli bir süre
/// sonra sonlandırılmalıdır"): a session not used for
/// `[security] session_idle_minutes` is refused like an expired one;
/// one in use lives on.
async fn idle_sessions_end(db: Db) {
    let app = spawn_demo_with_config(db, "[security]\nsession_idle_minutes = 15\n").await;
    let login = || async {
        let v: Value = reqwest::Client::new()
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": "memur.bt", "password": common::DEMO_PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["token"].as_str().unwrap().to_owned()
    };
    let (idle, busy) = (login().await, login().await);
    let url = app.url("/api/v1/me/sessions");
    let me = |t: String| {
        let url = url.clone();
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!((me(idle.clone()).await, me(busy.clone()).await), (200, 200));
    let store = store::connect(&app.database_url).await.unwrap();
    let now = time::OffsetDateTime::now_utc();
    store::accounts::touch_session(
        &store,
        &app::token_hash(&idle),
        now - time::Duration::minutes(16),
    )
    .await
    .unwrap();
    store::accounts::touch_session(
        &store,
        &app::token_hash(&busy),
        now - time::Duration::minutes(14),
    )
    .await
    .unwrap();
    assert_eq!(me(idle).await, 401, "16 minutes unused: over");
    assert_eq!(
        me(busy.clone()).await,
        200,
        "14 minutes: still on, and used again now"
    );
    assert_eq!(me(busy).await, 200);
}
on_both_engines!(idle_sessions_end);

/// The periodic access review (issue 18 §4; m.8/23-31; the guide's
/// 3.1.12): the security office opens it, a snapshot of every account's
/// posts, authorities (and how each is held) and system roles; the BT Şefi
/// decides his staff's lines, not his own and not another section's; a
/// line flagged needs its reason; it is signed off only once every line is
/// decided, and then nothing changes. An incident links to a request and a
/// task the responder can see.
async fn access_review_and_incident_links(db: Db) {
    let app = spawn_demo(db).await;
    let sef = app.as_user("sef.bt").await;
    let mudur = app.as_user("mudur").await;
    let memur = app.as_user("memur.bt").await;
    let (s, v) = memur.post("/security/access-reviews", json!({})).await;
    assert_eq!(
        (s, v["error"]["authority"].as_str()),
        (403, Some("audit_security"))
    );
    let (_, due) = sef.get("/security/access-reviews").await;
    assert_eq!(due["items"].as_array().map(Vec::len), Some(0));
    let (s, r) = mudur
        .post(
            "/security/access-reviews",
            json!({"title": "2026 ikinci yarı erişim gözden geçirmesi"}),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    let line = |v: &Value, name: &str| {
        v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["holding"]["name"] == name)
            .cloned()
    };
    let irmak = line(&r, "Irmak Polat").expect("every account is in it");
    assert!(
        irmak["holding"]["posts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().contains("Bilgi Teknolojileri")),
        "{irmak}"
    );
    assert!(
        irmak["holding"]["authorities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a.as_str().unwrap().contains("görevi gereği")),
        "{irmak}"
    );
    let irmak_id = irmak["user"].as_i64().unwrap();
    let gulsen_id = line(&r, "Gülşen Aydın").unwrap()["user"].as_i64().unwrap();
    let (_, theirs) = sef.get(&format!("/security/access-reviews/{id}")).await;
    assert_eq!(line(&theirs, "Irmak Polat").unwrap()["may_decide"], true);
    assert_eq!(
        line(&theirs, "Gülşen Aydın").unwrap()["may_decide"],
        false,
        "not his own line"
    );
    let path = |u: i64| format!("/security/access-reviews/{id}/lines/{u}");
    let (s, v) = sef
        .post(&path(gulsen_id), json!({"decision": "keep"}))
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("own_access_line")),
        "{v}"
    );
    let (s, v) = memur
        .post(&path(gulsen_id), json!({"decision": "keep"}))
        .await;
    assert_eq!(s, 403, "{v}");
    let (s, v) = sef
        .post(&path(irmak_id), json!({"decision": "revoke"}))
        .await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("remark")));
    let (s, v) = sef.post(&path(irmak_id), json!({"decision": "sil"})).await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("decision")));
    let (s, v) = sef
        .post(
            &path(irmak_id),
            json!({"decision": "revoke", "remark": "Yönetici yetkisi artık gerekmiyor"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = mudur
        .post(
            &format!("/security/access-reviews/{id}/sign-off"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("review_undecided"))
    );
    let (_, all) = mudur.get(&format!("/security/access-reviews/{id}")).await;
    for l in all["lines"].as_array().unwrap() {
        let u = l["user"].as_i64().unwrap();
        if l["decision"].is_null() && l["may_decide"] == true {
            let (s, v) = mudur.post(&path(u), json!({"decision": "keep"})).await;
            assert_eq!(s, 200, "{v}");
        }
    }
    // Left: the Müdür's own line and his superior's, the Başkan
    // Yardımcısı's. Not the BT Şefi (a subordinate): each one's superior.
    let (_, all) = mudur.get(&format!("/security/access-reviews/{id}")).await;
    let left = |v: &Value| -> Vec<(String, i64)> {
        v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["decision"].is_null())
            .map(|l| {
                (
                    l["holding"]["name"].as_str().unwrap().to_owned(),
                    l["user"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let names: Vec<String> = left(&all).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["Hülya Çelik", "Mehmet Öztürk"],
        "the Mayor's line is the security office's: {all}"
    );
    let mudur_line = path(left(&all)[0].1);
    let (s, _) = sef.post(&mudur_line, json!({"decision": "keep"})).await;
    assert_eq!(s, 403, "a Şef does not pass on his Müdür's access");
    let (s, v) = app
        .as_user("baskan.yardimcisi")
        .await
        .post(&mudur_line, json!({"decision": "keep"}))
        .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = app
        .as_user("baskan")
        .await
        .post(&path(left(&all)[1].1), json!({"decision": "keep"}))
        .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = mudur
        .post(
            &format!("/security/access-reviews/{id}/sign-off"),
            json!({"note": "Bir kaldırma kararı yöneticiye iletildi."}),
        )
        .await;
    assert_eq!(
        (s, v["flagged"].as_i64(), v["undecided"].as_i64()),
        (200, Some(1), Some(0)),
        "{v}"
    );
    assert_eq!(v["signed_off_by_name"], "Hülya Çelik");
    let (s, v) = sef.post(&path(irmak_id), json!({"decision": "keep"})).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("review_signed_off")),
        "signed off: nothing changes"
    );
    let (_, due) = sef.get("/security/access-reviews").await;
    assert_eq!(due["overdue"], false);
    assert!(
        due["next_due"].as_str().unwrap() > "2027-05-01",
        "six months on: {due}"
    );

    // Links.
    let (_, i) = memur.post("/security/incidents", json!({"title": "Şüpheli oturum", "detected_at": "2026-11-30T09:00:00+03:00", "severity": "low"})).await;
    let iid = i["id"].as_i64().unwrap();
    let (_, t) = sef.post("/tasks", json!({"title": "Oturum kayıtlarını inceleyin", "assignees": ["memur.bt"], "due": "2099-01-31"})).await;
    let tid = t["id"].as_i64().expect("a task");
    for (b, field) in [
        (json!({}), "request"),
        (json!({"task": 999_999}), "task"),
        (json!({"request": 1, "task": tid}), "task"),
    ] {
        let (s, v) = memur
            .post(&format!("/security/incidents/{iid}/links"), b)
            .await;
        assert_eq!((s, v["error"]["field"].as_str()), (422, Some(field)), "{v}");
    }
    let (s, v) = memur
        .post(
            &format!("/security/incidents/{iid}/links"),
            json!({"task": tid}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["links"][0]["title"], "Oturum kayıtlarını inceleyin");
    let (_, again) = memur
        .post(
            &format!("/security/incidents/{iid}/links"),
            json!({"task": tid}),
        )
        .await;
    assert_eq!(
        again["links"].as_array().map(Vec::len),
        Some(1),
        "linked once"
    );
    let (s, v) = memur
        .post(
            &format!("/security/incidents/{iid}/links"),
            json!({"request": 1, "task": tid}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("one_link_at_a_time")),
        "{v}"
    );
    let (s, _) = memur
        .post(
            &format!("/security/incidents/{iid}/close"),
            json!({"lessons": "Oturum süresi kısaltıldı."}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, v) = memur
        .post(
            &format!("/security/incidents/{iid}/links"),
            json!({"task": tid}),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("incident_closed")),
        "a closed incident takes no more links"
    );
}
on_both_engines!(access_review_and_incident_links);
