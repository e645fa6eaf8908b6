//! The binary as an operator runs it: first run, bad configuration, an
//! unreachable database, a port in use, graceful shutdown, and a backup of
//! a running instance restored into a new place.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mudurluk");

fn mudurluk(dir: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir).env_remove("MUDURLUK_DATABASE_URL").env_remove("MUDURLUK_CONFIG").env("NO_COLOR", "1");
    c
}

/// Runs to completion; returns (success, stderr).
fn run(c: &mut Command) -> (bool, String) {
    let out = c.stdin(Stdio::null()).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

struct Running {
    child: Child,
    base: String,
    setup_link: Option<String>,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    /// Everything the server has written to stderr so far.
    fn log(&mut self) -> String {
        std::thread::sleep(Duration::from_millis(200));
        self.seen.extend(self.lines.try_iter());
        self.seen.join("\n")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `mudurluk serve` and waits for it to say where it listens.
fn serve(dir: &std::path::Path, data: &std::path::Path) -> Running {
    serve_with(dir, data, &[])
}

fn serve_with(dir: &std::path::Path, data: &std::path::Path, extra: &[&str]) -> Running {
    let port = testkit::free_port();
    let mut child = mudurluk(dir)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(data)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut listening = false;
    let mut setup_link = None;
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(300)) {
            Ok(line) => {
                seen.push(line.clone());
                if line.contains("is listening on") {
                    listening = true;
                }
                if let Some(i) = line.find("http://") {
                    if line.contains("/kurulum?token=") {
                        setup_link = Some(line[i..].trim().to_string());
                        break;
                    }
                }
            }
            Err(_) if listening => break,
            Err(_) => {}
        }
    }
    assert!(listening, "the server did not start");
    Running { child, base: format!("http://127.0.0.1:{port}"), setup_link, lines: rx, seen }
}

#[test]
fn invalid_configuration_stops_with_one_line_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, err) = run(mudurluk(dir.path()).args(["serve", "--listen", "her yerde"]));
    assert!(!ok);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("`listen`") && err.contains("127.0.0.1:8080"), "{err}");

    std::fs::write(dir.path().join("mudurluk.toml"), "max_upload_mb = \"çok\"\n").unwrap();
    let (ok, err) = run(mudurluk(dir.path()).arg("serve"));
    assert!(!ok);
    assert!(err.contains("mudurluk.toml") && err.contains("max_upload_mb"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    // The environment overrides the file; flags override the environment.
    std::fs::write(dir.path().join("mudurluk.toml"), "log_format = \"xml\"\n").unwrap();
    let (ok, err) = run(mudurluk(dir.path()).arg("migrate").env("MUDURLUK_LOG_FORMAT", "yaml"));
    assert!(!ok && err.contains("\"yaml\""), "{err}");
    let (ok, err) = run(mudurluk(dir.path()).args(["migrate", "--log-format", "json"]).env("MUDURLUK_LOG_FORMAT", "yaml"));
    assert!(ok, "{err}");
    assert!(dir.path().join("data/mudurluk.db").exists(), "migrate creates the default data folder");
}

#[test]
fn a_contradictory_regulation_profile_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = domain::profile::BUILTIN;
    let bad = builtin.replacen("holders = [\"baskan\"]\narticle = \"m.20/3\"", "holders = [\"vali\"]\narticle = \"m.20/3\"", 1);
    assert_ne!(bad, builtin);
    let file = dir.path().join("profil.toml");
    std::fs::write(&file, bad).unwrap();
    let (ok, err) = run(mudurluk(dir.path()).args(["serve", "--profile"]).arg(&file));
    assert!(!ok);
    assert_eq!(err.trim(), format!("error: regulation profile {}: authority `sign_external`: unknown position `vali`", file.display()));
    assert!(!dir.path().join("data").exists(), "nothing is created when the profile is refused");
}

#[test]
fn an_unreachable_database_is_a_clear_message_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let port = testkit::free_port();
    let (ok, err) = run(mudurluk(dir.path()).args(["serve", "--database-url", &format!("postgres://nobody@127.0.0.1:{port}/yok")]));
    assert!(!ok);
    assert!(err.starts_with("error: ") && err.contains("cannot connect to PostgreSQL") && err.contains("refused"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{err}");
}

#[test]
fn first_run_prints_the_setup_link_and_a_busy_port_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("veri");
    let s = serve(dir.path(), &data);
    let link = s.setup_link.clone().expect("first run prints a one-time setup link");
    assert!(link.starts_with(&s.base));
    assert!(data.join("mudurluk.db").exists() && data.join("attachments").is_dir());
    // WAL mode: the write-ahead log sits beside the database while it runs.
    assert!(data.join("mudurluk.db-wal").exists(), "the SQLite database runs in WAL mode");

    let addr = s.base.trim_start_matches("http://").to_string();
    let (ok, err) = run(mudurluk(dir.path()).args(["serve", "--listen", &addr, "--data-dir"]).arg(dir.path().join("other")));
    assert!(!ok);
    assert!(err.contains("already in use") && err.contains(&addr), "{err}");
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let s = serve(dir.path(), &dir.path().join("data"));
    let token = s.setup_link.clone().unwrap().split("token=").nth(1).unwrap().to_string();
    let c = common::client();
    c.post(format!("{}/api/v1/setup", s.base))
        .json(&serde_json::json!({"token": token, "username": "admin", "display_name": "Admin", "password": "uzun ve güçlü parola"}))
        .send()
        .await
        .unwrap();
    // An upload token-free over the API would need the CSRF header: take
    // the session and CSRF cookies the way a browser would.
    let csrf = common::csrf_cookie(&c.get(format!("{}/giris", s.base)).send().await.unwrap()).unwrap();
    // A slow upload: half now, SIGTERM, the rest after.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<bytes::Bytes, std::io::Error>>(4);
    let body = reqwest::Body::wrap_stream(tokio_stream(rx));
    let req = c.post(format!("{}/api/v1/attachments", s.base)).header("content-type", "text/plain").header("x-csrf-token", csrf).body(body).send();
    let pending = tokio::spawn(req);
    tx.send(Ok(bytes::Bytes::from_static(b"gelen evrak, "))).await.unwrap();
    // Give the request time to reach the server (generous on a busy machine).
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let pid = s.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    tx.send(Ok(bytes::Bytes::from_static(b"ikinci parca"))).await.unwrap();
    drop(tx);
    let r = pending.await.unwrap().unwrap();
    assert_eq!(r.status(), 201, "the request in flight completes");
    let mut s = s;
    let status = s.child.wait().unwrap();
    assert!(status.success(), "the server exits cleanly after SIGTERM: {status:?}");
}

fn tokio_stream<T: Send + 'static>(mut rx: tokio::sync::mpsc::Receiver<T>) -> impl futures::Stream<Item = T> {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

#[tokio::test]
async fn backup_of_a_running_instance_restores_into_an_empty_place() {
    let dir = tempfile::tempdir().unwrap();
    let s = serve(dir.path(), &dir.path().join("data"));
    let token = s.setup_link.clone().unwrap().split("token=").nth(1).unwrap().to_string();
    let c = common::client();
    let csrf = common::csrf_cookie(&c.get(format!("{}/", s.base)).send().await.unwrap()).unwrap();
    let r = c.post(format!("{}/api/v1/setup", s.base))
        .json(&serde_json::json!({"token": token, "username": "admin", "display_name": "Şule Çağlar", "password": "uzun ve güçlü parola"}))
        .send().await.unwrap();
    assert_eq!(r.status(), 201);
    let r = c.post(format!("{}/api/v1/attachments", s.base)).header("content-type", "image/png").header("x-csrf-token", &csrf)
        .body(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()).send().await.unwrap();
    let sha = r.json::<serde_json::Value>().await.unwrap()["sha256"].as_str().unwrap().to_string();

    let file = dir.path().join("yedek.tar");
    let (ok, err) = run(mudurluk(dir.path()).args(["backup", "--data-dir"]).arg(dir.path().join("data")).arg("--to").arg(&file));
    assert!(ok, "{err}");
    assert!(err.contains("1 attachments"), "{err}");
    // The running server keeps serving while and after the backup is taken.
    assert_eq!(c.get(format!("{}/readyz", s.base)).send().await.unwrap().status(), 200);
    drop(s);

    // Not into a place that holds anything.
    let (ok, err) = run(mudurluk(dir.path()).args(["restore", "--from"]).arg(&file).arg("--data-dir").arg(dir.path().join("data")));
    assert!(!ok && err.contains("not empty"), "{err}");
    let (ok, err) = run(mudurluk(dir.path()).args(["restore", "--from"]).arg(dir.path().join("yok.tar")).arg("--data-dir").arg(dir.path().join("r0")));
    assert!(!ok && err.contains("cannot open"), "{err}");

    let restored = dir.path().join("geri");
    let (ok, err) = run(mudurluk(dir.path()).args(["restore", "--from"]).arg(&file).arg("--data-dir").arg(&restored));
    assert!(ok, "{err}");
    let s2 = serve(dir.path(), &restored);
    assert!(s2.setup_link.is_none(), "the restored instance is already set up");
    // The same session and the same attachment work on the restored copy.
    let got = c.get(format!("{}/api/v1/attachments/{sha}", s2.base)).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().as_ref(), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let home = c.get(format!("{}/", s2.base)).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("Hoş geldiniz, Şule Çağlar"));
}

#[tokio::test]
async fn logs_are_json_on_request_and_never_carry_secrets_or_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = serve_with(dir.path(), &dir.path().join("data"), &["--log-format", "json"]);
    let token = s.setup_link.clone().unwrap().split("token=").nth(1).unwrap().to_string();
    let c = common::client();
    let r = c
        .post(format!("{}/api/v1/setup", s.base))
        .json(&serde_json::json!({"token": token, "username": "kvkk.test", "display_name": "Gizli Kişi Adı", "password": "bu parola loga düşmemeli"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let session = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().trim_start_matches("mudurluk_session=").to_string();
    c.get(format!("{}/olmayan?tc=12345678901", s.base)).send().await.unwrap();
    let log = s.log();
    // Every line that is a log record is one JSON object.
    let records: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    assert!(records.iter().any(|r| r["message"].as_str().is_some_and(|m| m.contains("first administrator created"))), "{log}");
    for secret in ["bu parola loga düşmemeli", "Gizli Kişi Adı", "kvkk.test", session.as_str(), "12345678901"] {
        assert!(!log.contains(secret), "the log contains {secret:?}:\n{log}");
    }
}

#[tokio::test]
async fn audit_verify_names_the_first_tampered_record() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // Two starts without setup: two chained records (setup token issued).
    drop(serve(dir.path(), &data));
    drop(serve(dir.path(), &data));
    let (ok, err) = run(mudurluk(dir.path()).args(["audit", "verify", "--data-dir"]).arg(&data));
    assert!(ok, "{err}");
    assert!(err.contains("audit trail intact: 2 records"), "{err}");

    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", data.join("mudurluk.db").display())).await.unwrap();
    sqlx::query("UPDATE audit_log SET basis = 'değiştirildi' WHERE id = 2").execute(&mut c).await.unwrap();
    c.close().await.unwrap();
    let (ok, err) = run(mudurluk(dir.path()).args(["audit", "verify", "--data-dir"]).arg(&data));
    assert!(!ok);
    assert_eq!(
        err.trim(),
        "error: audit trail broken at record #2: its content does not match its hash (it was edited); the 1 records before it are intact"
    );
}
