//! Upgrading: a data folder (SQLite) and a PostgreSQL database written by
//! the version before (the fixture `tests/fixtures/upgrade-v0`, made by
//! `scripts/make-upgrade-fixture` with commit 450a831's binary) open under
//! this one and migrate forward with every record intact, and the audit
//! chain still verifies. `expect.json` says what a user finds in them; the
//! server is started on the old data as an operator would, and everything
//! is checked through the API and the `mudurluk` binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::ApiUser;
use mudurluk::{Config, Overrides};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_mudurluk");

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade-v0")
}

fn expectations() -> Value {
    let text = std::fs::read_to_string(fixture().join("expect.json"))
        .expect("tests/fixtures/upgrade-v0/expect.json");
    serde_json::from_str(&text).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// `psql` of the PostgreSQL installation the throwaway clusters come from.
fn psql() -> PathBuf {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("psql");
        if p.exists() {
            return p;
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            Some((
                e.file_name().to_str()?.parse().ok()?,
                e.path().join("bin/psql"),
            ))
        })
        .filter(|(_, p)| p.exists())
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, p)| p)
        .unwrap_or_else(|| PathBuf::from("psql"))
}

/// The old data, copied into a temporary place; the server started on it.
struct Upgraded {
    base: String,
    data_dir: PathBuf,
    database_url: Option<String>,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Upgraded {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

async fn open_old_data(engine: Engine, detsis: &str) -> Upgraded {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let database_url = match engine {
        Engine::Sqlite => {
            copy_dir(&fixture().join("sqlite"), &data_dir);
            None
        }
        Engine::Postgres => {
            let url = testkit::fresh_pg_database().await;
            let out = Command::new(psql())
                .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &url, "-f"])
                .arg(fixture().join("postgres.sql"))
                .stdin(Stdio::null())
                .output()
                .expect("psql (PostgreSQL's client) loads the old dump");
            assert!(
                out.status.success(),
                "loading postgres.sql: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            copy_dir(
                &fixture().join("postgres-attachments"),
                &data_dir.join("attachments"),
            );
            Some(url)
        }
    };
    let config = dir.path().join("mudurluk.toml");
    std::fs::write(
        &config,
        format!("[correspondence]\ndetsis = \"{detsis}\"\n"),
    )
    .unwrap();
    let cfg = Config::resolve(Overrides {
        config: Some(config),
        data_dir: Some(data_dir.clone()),
        listen: Some("127.0.0.1:0".into()),
        database_url: database_url.clone(),
        ..Default::default()
    })
    .unwrap();
    let server = mudurluk::Server::build(&cfg)
        .await
        .expect("the server opens and migrates the old data");
    assert!(
        server.setup_token.is_none(),
        "the old accounts are there: no first-run setup is offered"
    );
    let base = format!("http://{}", server.addr);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async move {
        let _ = rx.await;
    }));
    Upgraded {
        base,
        data_dir,
        database_url,
        _dir: dir,
        shutdown: Some(tx),
    }
}

async fn sign_in(base: &str, username: &str, password: &str) -> Result<ApiUser, u16> {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap();
    if r.status() != 200 {
        return Err(r.status().as_u16());
    }
    let v: Value = r.json().await.unwrap();
    Ok(ApiUser {
        base: base.to_owned(),
        token: v["token"].as_str().unwrap().to_owned(),
        client: reqwest::Client::new(),
    })
}

async fn user(app: &Upgraded, username: &str, password: &str) -> ApiUser {
    sign_in(&app.base, username, password)
        .await
        .unwrap_or_else(|s| panic!("{username} signs in with the old password: {s}"))
}

/// Every field of `expected` (an object) is in `actual` with the same
/// value, except the `skip`ped ones, which the caller checks itself.
fn same_fields(what: &str, expected: &Value, actual: &Value, skip: &[&str]) {
    for (k, v) in expected.as_object().unwrap() {
        if !skip.contains(&k.as_str()) {
            assert_eq!(&actual[k], v, "{what}: `{k}` changed; now {actual}");
        }
    }
}

async fn get_ok(u: &ApiUser, path: &str) -> Value {
    let (status, v) = u.get(path).await;
    assert_eq!(status, 200, "GET {path}: {v}");
    v
}

async fn upgrade(engine: Engine) {
    let all = expectations();
    let e = &all["engines"][engine.name()];
    let password = all["demo_password"].as_str().unwrap();
    let app = open_old_data(engine, all["detsis"].as_str().unwrap()).await;

    let anon = reqwest::Client::new();
    let instance: Value = anon
        .get(format!("{}/api/v1/instance", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            instance["engine"].as_str(),
            instance["needs_setup"].as_bool()
        ),
        (Some(engine.name()), Some(false)),
        "{instance}"
    );

    // The accounts: everyone signs in with the password they had; the one
    // who changed his with the new one only; a failed sign-in locked no one.
    let changed = &all["changed_password"];
    let changed_user = changed["user"].as_str().unwrap();
    for username in e["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .chain(["admin"])
    {
        if username == changed_user {
            assert_eq!(
                sign_in(&app.base, username, password).await.err(),
                Some(401),
                "{username}'s old password no longer works"
            );
            user(&app, username, changed["password"].as_str().unwrap()).await;
        } else {
            user(&app, username, password).await;
        }
    }
    let mudur = user(&app, "mudur", password).await;
    let kalem = user(&app, "memur.kalem", password).await;
    let admin = user(&app, "admin", password).await;
    let people = get_ok(&admin, "/people").await;
    let mut usernames: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["username"].as_str())
        .collect();
    usernames.sort();
    let expected_people: Vec<&str> = e["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(usernames, expected_people, "the staff records");

    // Incoming documents: number, subject, state, deadline, routings, attachments.
    for want in e["incoming"].as_array().unwrap() {
        let id = want["id"].as_i64().unwrap();
        let d = get_ok(&mudur, &format!("/incoming/{id}")).await;
        let what = format!("incoming {id} ({})", want["number"]);
        same_fields(
            &what,
            want,
            &d,
            &["routings", "delivered_routings", "attachments"],
        );
        let routings = d["routings"].as_array().unwrap();
        assert_eq!(
            routings.len() as i64,
            want["routings"].as_i64().unwrap(),
            "{what}: routings"
        );
        let delivered = routings
            .iter()
            .filter(|r| !r["delivered_at"].is_null())
            .count() as i64;
        assert_eq!(
            delivered,
            want["delivered_routings"].as_i64().unwrap(),
            "{what}: deliveries"
        );
        let attachments: Vec<Value> = d["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| json!({"sha256": a["sha256"], "name": a["name"]}))
            .collect();
        assert_eq!(
            &Value::from(attachments),
            &want["attachments"],
            "{what}: attachments"
        );
    }

    // Letters: state, number, the chain's steps, recipients, references.
    for want in e["letters"].as_array().unwrap() {
        let id = want["id"].as_i64().unwrap();
        let l = get_ok(&mudur, &format!("/outgoing/{id}")).await;
        let what = format!("letter {id} ({})", want["subject"]);
        same_fields(
            &what,
            want,
            &l,
            &["steps", "recipients", "refs", "attachments"],
        );
        let steps: Vec<Value> = l["steps"].as_array().unwrap().iter().map(|s| json!({"position": s["position"], "action": s["action"], "done_by": s["done_by"]})).collect();
        assert_eq!(&Value::from(steps), &want["steps"], "{what}: steps");
        let recipients: Vec<Value> = l["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].clone())
            .collect();
        assert_eq!(
            &Value::from(recipients),
            &want["recipients"],
            "{what}: recipients"
        );
        let refs: Vec<Value> = l["refs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["incoming_id"].clone())
            .collect();
        assert_eq!(&Value::from(refs), &want["refs"], "{what}: references");
        let attachments: Vec<Value> = l["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["sha256"].clone())
            .collect();
        assert_eq!(
            &Value::from(attachments),
            &want["attachments"],
            "{what}: attachments"
        );
    }

    // The archive: files with their state, the disposal and its tombstones,
    // the scanned items.
    for want in e["archive_files"].as_array().unwrap() {
        let f = get_ok(&kalem, &format!("/archive/files/{}", want["id"])).await;
        same_fields(&format!("archive file {}", want["id"]), want, &f, &[]);
    }
    for want in e["disposals"].as_array().unwrap() {
        let d = get_ok(&kalem, &format!("/archive/disposals/{}", want["id"])).await;
        let what = format!("disposal {}", want["id"]);
        same_fields(&what, want, &d, &["tombstones"]);
        let tombstones = d["tombstones"].as_array().unwrap();
        let wanted = want["tombstones"].as_array().unwrap();
        assert_eq!(tombstones.len(), wanted.len(), "{what}: tombstones {d}");
        for (t, w) in tombstones.iter().zip(wanted) {
            same_fields(&format!("{what}: tombstone"), w, t, &[]);
        }
    }
    for want in e["archive_items"].as_array().unwrap() {
        let a = get_ok(&kalem, &format!("/archive/{}", want["id"])).await;
        same_fields(&format!("archive item {}", want["id"]), want, &a, &[]);
    }

    // An attachment downloads with the same bytes.
    let att = &e["attachment"];
    let r = mudur
        .req(
            reqwest::Method::GET,
            &format!("/attachments/{}", att["sha256"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let original = std::fs::read(fixture().join(att["file"].as_str().unwrap())).unwrap();
    assert!(
        r.bytes().await.unwrap().as_ref() == original.as_slice(),
        "the attachment's bytes changed"
    );

    // Authority and the calendar: delegations, deputyships, the idari izin day.
    let by_id = |list: &Value, id: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|x| &x["id"] == id)
            .cloned()
    };
    for (path, key) in [
        ("/delegations", "delegations"),
        ("/deputyships", "deputyships"),
    ] {
        let list = get_ok(&mudur, path).await;
        assert_eq!(
            list.as_array().unwrap().len(),
            e[key].as_array().unwrap().len(),
            "{path}: {list}"
        );
        for want in e[key].as_array().unwrap() {
            let got = by_id(&list, &want["id"])
                .unwrap_or_else(|| panic!("{path}: {} is gone: {list}", want["id"]));
            same_fields(path, want, &got, &[]);
        }
    }
    let days = get_ok(&kalem, "/calendar/days").await;
    let days: Vec<Value> = days
        .as_array()
        .unwrap()
        .iter()
        .map(|d| json!({"date": d["date"], "kind": d["kind"], "name": d["name"]}))
        .collect();
    assert_eq!(
        &Value::from(days),
        &e["calendar_days"],
        "the calendar's edits"
    );

    // API tokens: the kept one still signs in, the revoked one does not.
    let tokens = &e["api_tokens"];
    let as_token = |t: &Value| ApiUser {
        base: app.base.clone(),
        token: t["token"].as_str().unwrap().to_owned(),
        client: reqwest::Client::new(),
    };
    let (status, list) = as_token(&tokens["kept"]).get("/tokens").await;
    assert_eq!(status, 200, "the kept API token works: {list}");
    let list: Vec<Value> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| json!({"id": t["id"], "name": t["name"], "revoked": !t["revoked_at"].is_null()}))
        .collect();
    assert_eq!(&Value::from(list), &tokens["list"], "the tokens");
    assert_eq!(
        as_token(&tokens["revoked"]).get("/tokens").await.0,
        401,
        "the revoked API token stays revoked"
    );

    // Search finds a word of a document's subject once the index has caught up.
    let search = &e["search"];
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let r = mudur
            .req(reqwest::Method::GET, "/search")
            .query(&[("q", search["word"].as_str().unwrap())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let r: Value = r.json().await.unwrap();
        if r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["number"] == search["number"])
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "search for {} did not find {} within 15 s: {r}",
            search["word"],
            search["number"]
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The audit trail: the old records are there with their actions, the
    // chain's old head is unchanged, and the whole chain verifies.
    let audit = &e["audit"];
    let last_id = audit["last_id"].as_i64().unwrap();
    let (status, trail) = mudur.get("/audit?limit=500").await;
    assert_eq!(status, 200, "{trail}");
    let mut actions = serde_json::Map::new();
    for r in trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"].as_i64().unwrap() <= last_id)
    {
        let n = actions
            .entry(r["action"].as_str().unwrap())
            .or_insert(json!(0));
        *n = json!(n.as_i64().unwrap() + 1);
    }
    assert_eq!(
        Value::Object(actions),
        audit["actions"],
        "the old audit records, by action"
    );
    let head: Option<i64> = match &app.database_url {
        None => {
            use sqlx::Connection;
            let url = format!("sqlite://{}", app.data_dir.join("mudurluk.db").display());
            let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
            let id = sqlx::query_scalar("SELECT id FROM audit_log WHERE hash = $1")
                .bind(audit["last_hash"].as_str())
                .fetch_optional(&mut c)
                .await
                .unwrap();
            c.close().await.unwrap();
            id
        }
        Some(url) => {
            use sqlx::Connection;
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            let id = sqlx::query_scalar("SELECT id FROM audit_log WHERE hash = $1")
                .bind(audit["last_hash"].as_str())
                .fetch_optional(&mut c)
                .await
                .unwrap();
            c.close().await.unwrap();
            id
        }
    };
    assert_eq!(
        head,
        Some(last_id),
        "the old chain's head (its last record's hash) is still there, at its place"
    );
    let mut verify = Command::new(BIN);
    verify
        .env_remove("MUDURLUK_DATABASE_URL")
        .env_remove("MUDURLUK_CONFIG")
        .env("NO_COLOR", "1");
    verify
        .current_dir(app._dir.path())
        .args(["audit", "verify", "--data-dir"])
        .arg(&app.data_dir);
    if let Some(url) = &app.database_url {
        verify.args(["--database-url", url]);
    }
    let out = verify.stdin(Stdio::null()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "audit verify: {err}");
    let checked: i64 = err
        .split("audit trail intact: ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("audit verify says how many records it checked: {err}"));
    assert!(
        checked >= audit["count"].as_i64().unwrap(),
        "{checked} records verified, the old trail had {}",
        audit["count"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_data_folder_of_the_version_before() {
    upgrade(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_database_of_the_version_before() {
    upgrade(Engine::Postgres).await;
}
