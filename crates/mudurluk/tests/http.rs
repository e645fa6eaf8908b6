//! Black-box tests: the real server on port 0, spoken to over HTTP, on
//! SQLite and on PostgreSQL.

mod common;

use common::{count_files, hidden, spawn, spawn_with, Db};

async fn home_is_turkish_by_default_and_english_on_request(db: Db) {
    let app = spawn(db).await;
    let r = app.get("/").await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"tr\">"));
    assert!(
        html.contains("Bilgi İşlem Müdürlüğü"),
        "the page reads the directorate's name from the database"
    );
    assert!(html.contains("Ana içeriğe geç"));
    assert!(
        html.contains("Kurulum bekleniyor"),
        "a fresh install says setup is pending"
    );

    // Accept-Language picks English for a client without the cookie.
    let r = common::client()
        .get(app.url("/"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Skip to main content"));

    // The switch sets a cookie and goes back to the page.
    let r = app.get("/dil/en?next=/giris").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/giris");
    assert!(app
        .get("/giris")
        .await
        .text()
        .await
        .unwrap()
        .contains("Sign in"));
    // Never an open redirect.
    let r = app.get("/dil/tr?next=//evil.example/").await;
    assert_eq!(r.headers()["location"], "/");
    assert!(app
        .get("/")
        .await
        .text()
        .await
        .unwrap()
        .contains("Ana sayfa"));
}
on_both_engines!(home_is_turkish_by_default_and_english_on_request);

#[tokio::test]
async fn pages_are_self_contained_and_carry_the_security_headers() {
    let app = spawn(Db::Sqlite).await;
    for path in [
        "/",
        "/giris",
        "/yok-boyle-sayfa",
        "/api/v1/instance",
        "/healthz",
    ] {
        let r = app.get(path).await;
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
    }
    let html = app.get("/").await.text().await.unwrap();
    // Every asset comes from the binary: no external URL in src/href.
    for attr in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
        assert!(!html.contains(attr), "external asset: {attr}");
    }
    assert!(
        !html.contains("style=") && !html.contains("<script>"),
        "no inline style or script (CSP)"
    );
    let css = app.get("/static/app.css").await;
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert!(css.text().await.unwrap().contains(":focus-visible"));
    assert_eq!(app.get("/static/app.js").await.status(), 200);
}

#[tokio::test]
async fn not_found_is_a_page_for_people_and_json_for_the_api() {
    let app = spawn(Db::Sqlite).await;
    let r = app.get("/olmayan/sayfa").await;
    assert_eq!(r.status(), 404);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = r.text().await.unwrap();
    assert!(html.contains("Sayfa bulunamadı") && html.contains("Ana sayfaya dön"));

    let r = app.get("/api/v1/olmayan").await;
    assert_eq!(r.status(), 404);
    let j: serde_json::Value = r.json().await.unwrap();
    assert_eq!(j["error"]["code"], "not_found");
    assert!(j["error"]["message"].is_string());
}

async fn setup_form_creates_the_first_administrator_once(db: Db) {
    let app = spawn(db).await;
    let token = app
        .setup_token
        .clone()
        .expect("a fresh install issues a setup token");
    let form = app
        .get(&format!("/kurulum?token={token}"))
        .await
        .text()
        .await
        .unwrap();
    let csrf = hidden(&form, "_csrf").expect("the form carries a CSRF token");
    assert!(form.contains("<label for=\"f-username\">Kullanıcı adı</label>"));

    // A wrong token shows no form.
    let r = app.get("/kurulum?token=yanlis").await;
    assert_eq!(r.status(), 404);
    assert!(!r.text().await.unwrap().contains("name=\"password\""));

    let post = |fields: Vec<(&'static str, String)>| {
        let c = app.client.clone();
        let url = app.url("/kurulum");
        async move { c.post(url).form(&fields).send().await.unwrap() }
    };
    let good = |csrf: &str| {
        vec![
            ("_csrf", csrf.to_string()),
            ("token", token.clone()),
            ("username", "ayse.yilmaz".to_string()),
            ("display_name", "Ayşe Yılmaz".to_string()),
            ("password", "İzmir'de güçlü parola".to_string()),
            ("password_confirm", "İzmir'de güçlü parola".to_string()),
        ]
    };

    // Without the CSRF token: refused, nothing created.
    let mut no_csrf = good("");
    no_csrf.remove(0);
    assert_eq!(post(no_csrf).await.status(), 403);
    assert_eq!(post(good("0".repeat(64).as_str())).await.status(), 403);

    // A bad username: the form comes back with the field marked, nothing created.
    let mut bad = good(&csrf);
    bad[2].1 = "Ayşe".into();
    let r = post(bad).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("Kullanıcı adı 3–32 karakter olmalı"));
    assert!(
        html.contains("value=\"Ayşe Yılmaz\""),
        "what was typed is kept"
    );
    let mut mismatch = good(&csrf);
    mismatch[5].1 = "başka bir parola 123".into();
    assert!(post(mismatch)
        .await
        .text()
        .await
        .unwrap()
        .contains("İki parola birbirini tutmuyor"));
    let j: serde_json::Value = app.get("/api/v1/instance").await.json().await.unwrap();
    assert_eq!(j["needs_setup"], true, "no account after refused attempts");

    // The real thing: signed in, welcomed, and the link is spent.
    let r = post(good(&csrf)).await;
    assert_eq!(r.status(), 303);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let home = app
        .get(r.headers()["location"].to_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(home.contains("Hoş geldiniz, Ayşe Yılmaz"));
    assert!(!home.contains("Kurulum bekleniyor"));
    assert_eq!(
        post(good(&csrf)).await.status(),
        404,
        "the setup link works once"
    );

    // The audit trail has it, with the basis.
    let audit: serde_json::Value = app.get("/api/v1/audit?limit=5").await.json().await.unwrap();
    assert_eq!(audit[0]["action"], "setup.completed");
    assert_eq!(audit[0]["actor"], "ayse.yilmaz");
    assert_eq!(audit[0]["basis"], "one-time setup link");
}
on_both_engines!(setup_form_creates_the_first_administrator_once);

async fn api_answers_bad_input_with_a_json_4xx(db: Db) {
    let app = spawn(db).await;
    let c = common::client();
    let setup = app.url("/api/v1/setup");
    let cases: Vec<(reqwest::RequestBuilder, u16, &str)> = vec![
        (c.post(&setup).header("content-type", "application/json").body("{bozuk"), 400, "invalid_json"),
        (c.post(&setup).header("content-type", "application/json").body("{\"token\": 5}"), 422, "invalid_json"),
        (c.post(&setup).body("token=x"), 415, "invalid_json"),
        (c.post(&setup).json(&serde_json::json!({"token": "x", "username": "a", "display_name": "b", "password": "c"})), 422, "setup_token_invalid"),
        (c.post(&setup).header("content-type", "application/json").body(vec![b' '; 100_000]), 413, "too_large"),
        (c.get(app.url("/api/v1/audit")), 401, "unauthenticated"),
        (c.delete(app.url("/api/v1/instance")), 405, "method_not_allowed"),
    ];
    for (req, status, code) in cases {
        let r = req.send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{code}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        let j: serde_json::Value = r.json().await.unwrap();
        assert_eq!(j["error"]["code"], code);
        let msg = j["error"]["message"].as_str().unwrap();
        assert!(
            !msg.is_empty() && !msg.contains("sqlx") && !msg.contains("/src/"),
            "{msg}"
        );
    }
    app.set_up_admin().await;
    let r = app.get("/api/v1/audit?limit=abc").await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        "invalid_query"
    );
    let r = app.get("/api/v1/audit?limit=100000").await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["field"],
        "limit"
    );
    // English messages on request.
    let r = common::client()
        .get(app.url("/api/v1/audit"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["message"],
        "You must be signed in for this."
    );
}
on_both_engines!(api_answers_bad_input_with_a_json_4xx);

#[tokio::test]
async fn openapi_document_describes_the_api() {
    let app = spawn(Db::Sqlite).await;
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/instance",
        "/api/v1/setup",
        "/api/v1/audit",
        "/api/v1/attachments",
        "/api/v1/attachments/{sha256}",
    ] {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["paths"]["/api/v1/attachments"]["post"]["responses"]["413"].is_object());
    // Every capability's routes are there (generated from the routes), and
    // no response body is an untyped object: each names its schema, and
    // each schema it names is described.
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/incoming",
        "/api/v1/outgoing",
        "/api/v1/archive/files",
        "/api/v1/search",
        "/api/v1/people",
        "/api/v1/calendar/deadline",
        "/api/v1/archive/disposals/{id}/approval",
        "/api/v1/me/capabilities",
    ] {
        assert!(paths.contains_key(p), "missing {p}");
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut untyped = Vec::new();
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            for (status, resp) in op["responses"].as_object().into_iter().flatten() {
                for (ctype, media) in resp["content"].as_object().into_iter().flatten() {
                    if !ctype.contains("json") {
                        continue;
                    }
                    let schema = &media["schema"];
                    let inner = if schema["type"] == "array" {
                        &schema["items"]
                    } else {
                        schema
                    };
                    match inner["$ref"].as_str() {
                        Some(r) => assert!(
                            schemas.contains_key(r.trim_start_matches("#/components/schemas/")),
                            "{method} {path} {status}: {r} undescribed"
                        ),
                        None if inner["properties"].is_object()
                            || inner["type"].is_string() && inner["type"] != "object" => {}
                        None => untyped.push(format!("{method} {path} {status}: {inner}")),
                    }
                }
            }
        }
    }
    assert!(
        untyped.is_empty(),
        "untyped responses:\n{}",
        untyped.join("\n")
    );
    // A path parameter is one the path names; the filters are query parameters.
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                if p["in"] == "path" {
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: {name} is not in the path"
                    );
                }
            }
        }
    }
    let search = &paths["/api/v1/search"]["get"]["parameters"];
    assert!(
        search
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "q" && p["in"] == "query"),
        "{search}"
    );
}

async fn attachments_stream_in_and_out_within_the_limit(db: Db) {
    let app = spawn_with(db, Some(1)).await;
    app.set_up_admin().await;
    let attachments = app.data_dir.join("attachments");
    // A scan: PDF bytes (what it is comes from its content, not its name).
    let mut scan: Vec<u8> = b"%PDF-1.4\n".to_vec();
    scan.extend((0..300_000u32 - 9).map(|i| (i % 251) as u8));
    let post = |body: reqwest::Body, csrf: Option<&str>| {
        let mut r = app
            .client
            .post(app.url("/api/v1/attachments"))
            .header("content-type", "application/pdf");
        if let Some(c) = csrf {
            r = r.header("x-csrf-token", c);
        }
        r.body(body).send()
    };

    // Cookie authentication without the CSRF header is refused.
    assert_eq!(post(scan.clone().into(), None).await.unwrap().status(), 403);

    let r = post(scan.clone().into(), Some(&app.csrf)).await.unwrap();
    assert_eq!(r.status(), 201);
    let j: serde_json::Value = r.json().await.unwrap();
    let sha = j["sha256"].as_str().unwrap().to_string();
    assert_eq!(j["size"], 300_000);
    let back = app.get(&format!("/api/v1/attachments/{sha}")).await;
    assert_eq!(back.headers()["content-type"], "application/pdf");
    assert_eq!(back.bytes().await.unwrap().as_ref(), scan.as_slice());
    let files = count_files(&attachments);

    // Over the limit, declared up front: 413 and nothing behind.
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(1024 * 1024 + 1, 7u8);
    let r = post(big.clone().into(), Some(&app.csrf)).await.unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        "too_large"
    );
    // Over the limit without a length (chunked): caught while streaming.
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = big
        .chunks(64 * 1024)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect();
    let r = post(
        reqwest::Body::wrap_stream(futures::stream::iter(chunks)),
        Some(&app.csrf),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(
        count_files(&attachments),
        files,
        "a refused upload leaves no file, not even a temporary one"
    );

    let r = app
        .client
        .post(app.url("/api/v1/attachments"))
        .header("x-csrf-token", &app.csrf)
        .header("content-type", "application/x-msdownload")
        .body(b"MZ\x90\0\x03\0\0\0".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    // A program calling itself a PDF is still a program: refused, nothing stored.
    let r = app
        .client
        .post(app.url("/api/v1/attachments"))
        .header("x-csrf-token", &app.csrf)
        .header("content-type", "application/pdf")
        .body(b"MZ\x90\0\x03\0\0\0\x04\0".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        "unsupported_type"
    );
    assert_eq!(count_files(&attachments), files);
    assert_eq!(
        app.get(&format!("/api/v1/attachments/{}", "0".repeat(64)))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get("/api/v1/attachments/..%2F..%2Fetc%2Fpasswd")
            .await
            .status(),
        404
    );
    let audit: serde_json::Value = app.get("/api/v1/audit?limit=1").await.json().await.unwrap();
    assert_eq!(audit[0]["action"], "attachment.stored");
    assert_eq!(audit[0]["subject"], format!("blob:{sha}"));
}
on_both_engines!(attachments_stream_in_and_out_within_the_limit);

#[tokio::test]
async fn health_and_metrics() {
    let app = common::spawn_demo_with_config(
        Db::Sqlite,
        "metrics_token = \"olcum-belirteci-0123456789\"\n",
    )
    .await;
    assert_eq!(app.get("/healthz").await.text().await.unwrap(), "ok");
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.get("/").await;
    let m = common::client()
        .get(app.url("/metrics"))
        .bearer_auth("olcum-belirteci-0123456789")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        m.contains("http_requests_total{method=\"GET\",route=\"/\",status=\"200\"}"),
        "{m}"
    );
    assert!(
        m.contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/\",le=\"0.005\"}")
    );
    assert!(m.contains("db_pool_connections{engine=\"sqlite\",state=\"idle\"}"));
    // Raw paths never become labels.
    app.get("/api/v1/attachments/abc").await;
    let m = common::client()
        .get(app.url("/metrics"))
        .bearer_auth("olcum-belirteci-0123456789")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains("route=\"/api/v1/attachments/{sha256}\"") && !m.contains("attachments/abc"));
}

#[tokio::test]
async fn readiness_fails_when_the_database_goes_away() {
    let app = spawn(Db::Postgres).await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    // Drop the database under the running server.
    let (admin, name) = app.database_url.rsplit_once('/').unwrap();
    let mut conn =
        <sqlx_conn::PgConnection as sqlx_conn::Connection>::connect(&format!("{admin}/postgres"))
            .await
            .unwrap();
    sqlx_conn::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await
        .unwrap();
    let r = app.get("/readyz").await;
    assert_eq!(r.status(), 503);
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the process itself is up"
    );
    let r = app.get("/").await;
    assert_eq!(r.status(), 503);
    let html = r.text().await.unwrap();
    assert!(html.contains("Hizmet şu anda kullanılamıyor"));
    assert!(
        !html.contains("postgres") && !html.contains("sqlx"),
        "no internals in the page"
    );
}

use sqlx as sqlx_conn;

async fn sign_in_out_and_password_change(db: Db) {
    let app = spawn(db).await;
    app.set_up_admin().await; // admin / "uzun ve güçlü bir parola"
    let login = |user: &str, pass: &str| {
        common::client()
            .post(app.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": user, "password": pass}))
            .send()
    };

    // Wrong password and unknown user read the same.
    let wrong = login("admin", "yanlış parola 123").await.unwrap();
    assert_eq!(wrong.status(), 401);
    let wrong: serde_json::Value = wrong.json().await.unwrap();
    let unknown: serde_json::Value = login("kimse", "yanlış parola 123")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        wrong, unknown,
        "a failed login does not reveal which part was wrong"
    );
    assert_eq!(wrong["error"]["code"], "login_failed");

    // A Bearer token from the API works for the API.
    let r = login("admin", "uzun ve güçlü bir parola").await.unwrap();
    assert_eq!(r.status(), 200);
    let token = r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let bearer = |path: &str| {
        common::client()
            .get(app.url(path))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(bearer("/api/v1/audit?limit=1").await.unwrap().status(), 200);

    // Through the form, with the page's CSRF token.
    let browser = common::client();
    let page = browser
        .get(app.url("/giris"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&page, "_csrf").unwrap();
    let bad = browser
        .post(app.url("/giris"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "admin"),
            ("password", "yanlış"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    let html = bad.text().await.unwrap();
    assert!(html.contains("Kullanıcı adı veya parola hatalı") && html.contains("value=\"admin\""));
    let ok = browser
        .post(app.url("/giris"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "admin"),
            ("password", "uzun ve güçlü bir parola"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    assert!(browser
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("Hoş geldiniz, Ayşe Yılmaz"));

    // Changing the password ends the other sessions (the Bearer one) but
    // keeps this one.
    let r = browser
        .post(app.url("/parola"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("current_password", "yanlış"),
            ("password", "yeni ve uzun parola"),
            ("password_confirm", "yeni ve uzun parola"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Şu anki parola hatalı"));
    let r = browser
        .post(app.url("/parola"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("current_password", "uzun ve güçlü bir parola"),
            ("password", "yeni ve uzun parola"),
            ("password_confirm", "yeni ve uzun parola"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        bearer("/api/v1/audit?limit=1").await.unwrap().status(),
        401,
        "other sessions end with a password change"
    );
    assert!(browser
        .get(app.url("/parola?tamam=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("Parolanız değiştirildi"));
    assert_eq!(
        login("admin", "uzun ve güçlü bir parola")
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        login("admin", "yeni ve uzun parola")
            .await
            .unwrap()
            .status(),
        200
    );

    // Log out everywhere ends every session, this one included.
    let r = browser
        .post(app.url("/cikis/her-yerde"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/giris?cikis=1");
    assert!(!browser
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("Hoş geldiniz"));

    // Every step is in the audit trail.
    let t = login("admin", "yeni ve uzun parola")
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let audit: serde_json::Value = common::client()
        .get(app.url("/api/v1/audit?limit=20"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "auth.login_failed",
        "auth.login",
        "auth.password_changed",
        "auth.logout_everywhere",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
}
on_both_engines!(sign_in_out_and_password_change);

/// Failures from one address slow that address (429), with the same
/// answer whether or not the password was right; see tests/hardening.rs
/// for the real person signing in from elsewhere.
async fn repeated_failures_slow_the_address(db: Db) {
    let app = spawn(db).await;
    app.set_up_admin().await;
    let login = |pass: &'static str| {
        common::client()
            .post(app.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": "admin", "password": pass}))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(login("yanlış parola").await.unwrap().status(), 401);
    }
    // Throttled: even the right password waits, with the same answer.
    let r = login("uzun ve güçlü bir parola").await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        "too_many_attempts"
    );
    let r = login("yanlış parola").await.unwrap();
    assert_eq!(r.status(), 429, "a wrong one too: the answer tells nothing");
    // Signing out of a session that has already ended just confirms it.
    let r = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", &app.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        app.client
            .post(app.url("/api/v1/auth/logout"))
            .header("x-csrf-token", &app.csrf)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}
on_both_engines!(repeated_failures_slow_the_address);
