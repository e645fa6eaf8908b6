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
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let database_url = match db {
        Db::Sqlite => None,
        Db::Postgres => Some(testkit::fresh_pg_database().await),
    };
    let cfg = Config::resolve(Overrides {
        config: None,
        data_dir: Some(data_dir.clone()),
        listen: Some("127.0.0.1:0".into()),
        database_url,
        max_upload_mb: max_upload_mb.map(|m| m.to_string()),
        ..Default::default()
    })
    .unwrap();
    let server = mudurluk::Server::build(&cfg).await.unwrap();
    let base = format!("http://{}", server.addr);
    let setup_token = server.setup_token.clone();
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
        setup_token,
        data_dir,
        database_url: cfg.database_url.clone(),
        client,
        _dir: dir,
        shutdown: Some(tx),
    }
}

/// A client that keeps cookies and does not follow redirects (tests look
/// at them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
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
            it.flatten().map(|e| if e.path().is_dir() { count_files(&e.path()) } else { 1 }).sum()
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
