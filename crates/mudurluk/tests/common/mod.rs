//! Helpers for the black-box tests: start the real server on port 0 over a
//! fresh database (SQLite in a temp folder, or PostgreSQL on a throwaway
//! cluster) and talk HTTP to it.
#![allow(dead_code)]

use std::path::PathBuf;

use mudurluk::{Config, Overrides};

pub struct TestApp {
    pub base: String,
    pub setup_token: Option<String>,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub client: reqwest::Client,
    /// The server's application, for what a test runs as the server would
    /// (a collection round).
    pub app: app::App,
    /// The CSRF cookie the pages issued to `client`.
    pub csrf: String,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

#[derive(Clone, Copy, Debug)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub async fn spawn(db: Db) -> TestApp {
    spawn_with(db, None).await
}

/// Starts the server in this process on a free port; `max_upload_mb`
/// overrides the attachment limit.
pub async fn spawn_with(db: Db, max_upload_mb: Option<u64>) -> TestApp {
    start(db, max_upload_mb, false, None).await
}

/// The password of every demo account in [`spawn_demo`].
pub const DEMO_PASSWORD: &str = "örnek-parola-2026";

/// Starts the server with the demo staff of `serve --demo` (one person per
/// position of the default profile, and `admin`).
pub async fn spawn_demo(db: Db) -> TestApp {
    start(db, None, true, None).await
}

/// [`spawn_demo`] with these lines of `mudurluk.toml` (an `[ldap]`
/// section, say).
pub async fn spawn_demo_with_config(db: Db, config: &str) -> TestApp {
    start(db, None, true, Some(config)).await
}

async fn start(db: Db, max_upload_mb: Option<u64>, demo: bool, config: Option<&str>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let config = config.map(|text| {
        let p = dir.path().join("mudurluk.toml");
        std::fs::write(&p, text).unwrap();
        p
    });
    let data_dir = dir.path().join("data");
    let database_url = match db {
        Db::Sqlite => None,
        Db::Postgres => Some(testkit::fresh_pg_database().await),
    };
    let cfg = Config::resolve(Overrides {
        config,
        data_dir: Some(data_dir.clone()),
        listen: Some("127.0.0.1:0".into()),
        database_url,
        max_upload_mb: max_upload_mb.map(|m| m.to_string()),
        ..Default::default()
    })
    .unwrap();
    let server = mudurluk::Server::build(&cfg).await.unwrap();
    if demo {
        assert!(server.app.seed_demo(DEMO_PASSWORD).await.unwrap());
    }
    let base = format!("http://{}", server.addr);
    let setup_token = server.setup_token.clone();
    let application = server.app.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async move {
        let _ = rx.await;
    }));
    let client = client();
    let first = client.get(format!("{base}/giris")).send().await.unwrap();
    let csrf = csrf_cookie(&first).expect("the pages issue a CSRF cookie");
    TestApp {
        base,
        csrf,
        app: application,
        setup_token,
        data_dir,
        database_url: cfg.database_url.clone(),
        client,
        _dir: dir,
        shutdown: Some(tx),
    }
}

/// A second server on the same database as `app` (another process would
/// do the same): for the numbering-under-concurrency test.
pub async fn spawn_sibling(app: &TestApp) -> TestApp {
    spawn_sibling_with_config(app, None).await
}

/// [`spawn_sibling`] with these lines of `mudurluk.toml`.
pub async fn spawn_sibling_with_config(app: &TestApp, config: Option<&str>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let config = config.map(|text| {
        let p = dir.path().join("mudurluk.toml");
        std::fs::write(&p, text).unwrap();
        p
    });
    let cfg = Config::resolve(Overrides {
        config,
        data_dir: Some(data_dir.clone()),
        listen: Some("127.0.0.1:0".into()),
        database_url: Some(app.database_url.clone()),
        ..Default::default()
    })
    .unwrap();
    let server = mudurluk::Server::build(&cfg).await.unwrap();
    let base = format!("http://{}", server.addr);
    let application = server.app.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async move {
        let _ = rx.await;
    }));
    TestApp {
        base,
        app: application,
        csrf: String::new(),
        setup_token: None,
        data_dir,
        database_url: cfg.database_url.clone(),
        client: client(),
        _dir: dir,
        shutdown: Some(tx),
    }
}

/// A client that keeps cookies and does not follow redirects (tests look
/// at them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Signs `username` in through the API; returns a client that sends
    /// its Bearer token (and keeps no cookies).
    pub async fn as_user(&self, username: &str) -> ApiUser {
        self.as_user_with(username, DEMO_PASSWORD).await
    }

    pub async fn as_user_with(&self, username: &str, password: &str) -> ApiUser {
        let r = reqwest::Client::new()
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{username} signs in");
        let v: serde_json::Value = r.json().await.unwrap();
        ApiUser {
            base: self.base.clone(),
            token: v["token"].as_str().unwrap().to_owned(),
            client: reqwest::Client::new(),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// Creates the first administrator through the API and keeps its
    /// session cookie in this client.
    pub async fn set_up_admin(&self) -> serde_json::Value {
        let r = self
            .client
            .post(self.url("/api/v1/setup"))
            .json(&serde_json::json!({
                "token": self.setup_token.as_deref().unwrap(),
                "username": "admin",
                "display_name": "Ayşe Yılmaz",
                "password": "uzun ve güçlü bir parola",
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        r.json().await.unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The value of a hidden form field.
pub fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

pub fn count_files(p: &std::path::Path) -> usize {
    std::fs::read_dir(p)
        .map(|it| {
            it.flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        count_files(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// One test per engine from one async story taking a `Db`.
#[macro_export]
macro_rules! on_both_engines {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(super::common::Db::Sqlite).await;
            }
            #[tokio::test]
            async fn postgres() {
                super::$name(super::common::Db::Postgres).await;
            }
        }
    };
}

/// A browser-like client signed in through the sign-in form, with the CSRF
/// token its forms must carry.
pub async fn page_client(app: &TestApp, user: &str) -> (reqwest::Client, String) {
    let c = client();
    let first = c.get(app.url("/giris")).send().await.unwrap();
    let csrf = csrf_cookie(&first).unwrap_or_else(|| app.csrf.clone());
    let r = c
        .post(app.url("/giris"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", user),
            ("password", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{user} signs in");
    (c, csrf)
}

/// The CSRF cookie a response sets, if any.
pub fn csrf_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("mudurluk_csrf="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

/// A signed-in API caller.
#[derive(Clone)]
pub struct ApiUser {
    pub base: String,
    pub token: String,
    pub client: reqwest::Client,
}

impl ApiUser {
    pub fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token)
    }

    /// GET, answering (status, JSON body).
    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self.req(reqwest::Method::GET, path).send().await.unwrap();
        (
            r.status().as_u16(),
            r.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let r = self
            .req(reqwest::Method::POST, path)
            .json(&body)
            .send()
            .await
            .unwrap();
        (
            r.status().as_u16(),
            r.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    pub async fn delete(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self
            .req(reqwest::Method::DELETE, path)
            .send()
            .await
            .unwrap();
        (
            r.status().as_u16(),
            r.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    /// The ids of the authorities this caller holds now, with each basis.
    pub async fn authorities(&self) -> Vec<(String, serde_json::Value)> {
        let (status, v) = self.get("/me/authorities").await;
        assert_eq!(status, 200);
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["authority"].as_str().unwrap().to_owned(),
                    a["basis"].clone(),
                )
            })
            .collect()
    }

    pub async fn holds(&self, authority: &str) -> Option<serde_json::Value> {
        self.authorities()
            .await
            .into_iter()
            .find(|(a, _)| a == authority)
            .map(|(_, b)| b)
    }
}

/// Today in Türkiye, YYYY-MM-DD.
pub fn today() -> String {
    time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+3))
        .date()
        .to_string()
}

/// Text of a PDF as a real reader (poppler's pdftotext) extracts it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: scripts/test installs it");
    assert!(
        out.status.success(),
        "pdftotext refused the PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What the QR codes on a PDF's pages say, as a phone's camera would read
/// them: each page rendered by poppler's pdftoppm at 150 dpi, decoded by
/// zbar's zbarimg.
pub fn qr_codes(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("l.pdf"), pdf).unwrap();
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-gray", "-png"])
        .arg(dir.path().join("l.pdf"))
        .arg(dir.path().join("p"))
        .status()
        .expect("pdftoppm (poppler-utils) is needed: scripts/test installs it");
    assert!(ok.success());
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pages.sort();
    let out = std::process::Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .args(&pages)
        .output()
        .expect("zbarimg (zbar-tools) is needed: scripts/test installs it");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}
