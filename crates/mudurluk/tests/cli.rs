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
    c.current_dir(dir)
        .env_remove("MUDURLUK_DATABASE_URL")
        .env_remove("MUDURLUK_CONFIG")
        .env("NO_COLOR", "1");
    c
}

/// Runs to completion; returns (success, stderr).
fn run(c: &mut Command) -> (bool, String) {
    let out = c.stdin(Stdio::null()).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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
    serve_env(dir, data, extra, &[])
}

fn serve_env(
    dir: &std::path::Path,
    data: &std::path::Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> Running {
    let port = testkit::free_port();
    let mut child = mudurluk(dir)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data)
        .args(extra)
        .envs(env.iter().copied())
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
    Running {
        child,
        base: format!("http://127.0.0.1:{port}"),
        setup_link,
        lines: rx,
        seen,
    }
}

#[test]
fn invalid_configuration_stops_with_one_line_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, err) = run(mudurluk(dir.path()).args(["serve", "--listen", "her yerde"]));
    assert!(!ok);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("`listen`") && err.contains("127.0.0.1:8080"),
        "{err}"
    );

    std::fs::write(
        dir.path().join("mudurluk.toml"),
        "max_upload_mb = \"çok\"\n",
    )
    .unwrap();
    let (ok, err) = run(mudurluk(dir.path()).arg("serve"));
    assert!(!ok);
    assert!(
        err.contains("mudurluk.toml") && err.contains("max_upload_mb"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    // The environment overrides the file; flags override the environment.
    std::fs::write(dir.path().join("mudurluk.toml"), "log_format = \"xml\"\n").unwrap();
    let (ok, err) = run(mudurluk(dir.path())
        .arg("migrate")
        .env("MUDURLUK_LOG_FORMAT", "yaml"));
    assert!(!ok && err.contains("\"yaml\""), "{err}");
    let (ok, err) = run(mudurluk(dir.path())
        .args(["migrate", "--log-format", "json"])
        .env("MUDURLUK_LOG_FORMAT", "yaml"));
    assert!(ok, "{err}");
    assert!(
        dir.path().join("data/mudurluk.db").exists(),
        "migrate creates the default data folder"
    );
}

#[test]
fn a_contradictory_regulation_profile_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = domain::profile::BUILTIN;
    let bad = builtin.replacen(
        "holders = [\"baskan\"]\narticle = \"m.20/3\"",
        "holders = [\"vali\"]\narticle = \"m.20/3\"",
        1,
    );
    assert_ne!(bad, builtin);
    let file = dir.path().join("profil.toml");
    std::fs::write(&file, bad).unwrap();
    let (ok, err) = run(mudurluk(dir.path()).args(["serve", "--profile"]).arg(&file));
    assert!(!ok);
    assert_eq!(
        err.trim(),
        format!(
            "error: regulation profile {}: authority `sign_external`: unknown position `vali`",
            file.display()
        )
    );
    assert!(
        !dir.path().join("data").exists(),
        "nothing is created when the profile is refused"
    );
}

#[test]
fn an_unreachable_database_is_a_clear_message_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let port = testkit::free_port();
    let (ok, err) = run(mudurluk(dir.path()).args([
        "serve",
        "--database-url",
        &format!("postgres://nobody@127.0.0.1:{port}/yok"),
    ]));
    assert!(!ok);
    assert!(
        err.starts_with("error: ")
            && err.contains("cannot connect to PostgreSQL")
            && err.contains("refused"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

#[test]
fn first_run_prints_the_setup_link_and_a_busy_port_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("veri");
    let s = serve(dir.path(), &data);
    let link = s
        .setup_link
        .clone()
        .expect("first run prints a one-time setup link");
    assert!(link.starts_with(&s.base));
    assert!(data.join("mudurluk.db").exists() && data.join("attachments").is_dir());
    // WAL mode: the write-ahead log sits beside the database while it runs.
    assert!(
        data.join("mudurluk.db-wal").exists(),
        "the SQLite database runs in WAL mode"
    );

    let addr = s.base.trim_start_matches("http://").to_string();
    let (ok, err) = run(mudurluk(dir.path())
        .args(["serve", "--listen", &addr, "--data-dir"])
        .arg(dir.path().join("other")));
    assert!(!ok);
    assert!(
        err.contains("already in use") && err.contains(&addr),
        "{err}"
    );
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let s = serve(dir.path(), &dir.path().join("data"));
    let token = s
        .setup_link
        .clone()
        .unwrap()
        .split("token=")
        .nth(1)
        .unwrap()
        .to_string();
    let c = common::client();
    c.post(format!("{}/api/v1/setup", s.base))
        .json(&serde_json::json!({"token": token, "username": "admin", "display_name": "Admin", "password": "uzun ve güçlü parola"}))
        .send()
        .await
        .unwrap();
    // An upload token-free over the API would need the CSRF header: take
    // the session and CSRF cookies the way a browser would.
    let csrf =
        common::csrf_cookie(&c.get(format!("{}/giris", s.base)).send().await.unwrap()).unwrap();
    // A slow upload: half now, SIGTERM, the rest after.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<bytes::Bytes, std::io::Error>>(4);
    let body = reqwest::Body::wrap_stream(tokio_stream(rx));
    let req = c
        .post(format!("{}/api/v1/attachments", s.base))
        .header("content-type", "text/plain")
        .header("x-csrf-token", csrf)
        .body(body)
        .send();
    let pending = tokio::spawn(req);
    tx.send(Ok(bytes::Bytes::from_static(b"gelen evrak, ")))
        .await
        .unwrap();
    // Give the request time to reach the server (generous on a busy machine).
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let pid = s.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    tx.send(Ok(bytes::Bytes::from_static(b"ikinci parca")))
        .await
        .unwrap();
    drop(tx);
    let r = pending.await.unwrap().unwrap();
    assert_eq!(r.status(), 201, "the request in flight completes");
    let mut s = s;
    let status = s.child.wait().unwrap();
    assert!(
        status.success(),
        "the server exits cleanly after SIGTERM: {status:?}"
    );
}

fn tokio_stream<T: Send + 'static>(
    mut rx: tokio::sync::mpsc::Receiver<T>,
) -> impl futures::Stream<Item = T> {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

#[tokio::test]
async fn backup_of_a_running_instance_restores_into_an_empty_place() {
    let dir = tempfile::tempdir().unwrap();
    let s = serve(dir.path(), &dir.path().join("data"));
    let token = s
        .setup_link
        .clone()
        .unwrap()
        .split("token=")
        .nth(1)
        .unwrap()
        .to_string();
    let c = common::client();
    let csrf = common::csrf_cookie(&c.get(format!("{}/", s.base)).send().await.unwrap()).unwrap();
    let r = c.post(format!("{}/api/v1/setup", s.base))
        .json(&serde_json::json!({"token": token, "username": "admin", "display_name": "Şule Çağlar", "password": "uzun ve güçlü parola"}))
        .send().await.unwrap();
    assert_eq!(r.status(), 201);
    let r = c
        .post(format!("{}/api/v1/attachments", s.base))
        .header("content-type", "image/png")
        .header("x-csrf-token", &csrf)
        .body(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec())
        .send()
        .await
        .unwrap();
    let sha = r.json::<serde_json::Value>().await.unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_string();

    let file = dir.path().join("yedek.tar");
    let (ok, err) = run(mudurluk(dir.path())
        .args(["backup", "--data-dir"])
        .arg(dir.path().join("data"))
        .arg("--to")
        .arg(&file));
    assert!(ok, "{err}");
    assert!(err.contains("1 attachments"), "{err}");
    // The running server keeps serving while and after the backup is taken.
    assert_eq!(
        c.get(format!("{}/readyz", s.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    drop(s);

    // Not into a place that holds anything.
    let (ok, err) = run(mudurluk(dir.path())
        .args(["restore", "--from"])
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path().join("data")));
    assert!(!ok && err.contains("not empty"), "{err}");
    let (ok, err) = run(mudurluk(dir.path())
        .args(["restore", "--from"])
        .arg(dir.path().join("yok.tar"))
        .arg("--data-dir")
        .arg(dir.path().join("r0")));
    assert!(!ok && err.contains("cannot open"), "{err}");

    let restored = dir.path().join("geri");
    let (ok, err) = run(mudurluk(dir.path())
        .args(["restore", "--from"])
        .arg(&file)
        .arg("--data-dir")
        .arg(&restored));
    assert!(ok, "{err}");
    let s2 = serve(dir.path(), &restored);
    assert!(
        s2.setup_link.is_none(),
        "the restored instance is already set up"
    );
    // The same session and the same attachment work on the restored copy.
    let got = c
        .get(format!("{}/api/v1/attachments/{sha}", s2.base))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(
        got.bytes().await.unwrap().as_ref(),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
    );
    let home = c
        .get(format!("{}/", s2.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Hoş geldiniz, Şule Çağlar"));
}

#[tokio::test]
async fn logs_are_json_on_request_and_never_carry_secrets_or_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = serve_with(
        dir.path(),
        &dir.path().join("data"),
        &["--log-format", "json"],
    );
    let token = s
        .setup_link
        .clone()
        .unwrap()
        .split("token=")
        .nth(1)
        .unwrap()
        .to_string();
    let c = common::client();
    let r = c
        .post(format!("{}/api/v1/setup", s.base))
        .json(&serde_json::json!({"token": token, "username": "kvkk.test", "display_name": "Gizli Kişi Adı", "password": "bu parola loga düşmemeli"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let session = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("mudurluk_session=")
        .to_string();
    c.get(format!("{}/olmayan?tc=12345678901", s.base))
        .send()
        .await
        .unwrap();
    let log = s.log();
    // Every line that is a log record is one JSON object.
    let records: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    assert!(
        records.iter().any(|r| r["message"]
            .as_str()
            .is_some_and(|m| m.contains("first administrator created"))),
        "{log}"
    );
    for secret in [
        "bu parola loga düşmemeli",
        "Gizli Kişi Adı",
        "kvkk.test",
        session.as_str(),
        "12345678901",
    ] {
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
    let (ok, err) = run(mudurluk(dir.path())
        .args(["audit", "verify", "--data-dir"])
        .arg(&data));
    assert!(ok, "{err}");
    assert!(err.contains("audit trail intact: 2 records"), "{err}");

    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&format!(
        "sqlite://{}",
        data.join("mudurluk.db").display()
    ))
    .await
    .unwrap();
    sqlx::query("UPDATE audit_log SET basis = 'değiştirildi' WHERE id = 2")
        .execute(&mut c)
        .await
        .unwrap();
    c.close().await.unwrap();
    let (ok, err) = run(mudurluk(dir.path())
        .args(["audit", "verify", "--data-dir"])
        .arg(&data));
    assert!(!ok);
    assert_eq!(
        err.trim(),
        "error: audit trail broken at record #2: its content does not match its hash (it was edited); the 1 records before it are intact"
    );
}

/// Deleting the newest audit records leaves a valid, shorter chain; the
/// signed checkpoint kept in another folder shows the cut (issue 13), and
/// an edited checkpoint is told apart from a true one.
#[tokio::test]
async fn audit_verify_sees_a_cut_since_the_last_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let anchors = dir.path().join("denetim");
    // Each checkpoint is also e-mailed to an auditor (a real SMTP server).
    let smtp = testkit::SmtpServer::start();
    std::fs::write(
        dir.path().join("mudurluk.toml"),
        format!(
            "[smtp]\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"Bilgi İşlem <bilgiislem@ornek.bel.tr>\"\nsecurity = \"none\"\n\n[audit_anchor]\ndir = \"{}\"\nemail_to = \"Teftiş Kurulu <teftis@ornek.bel.tr>\"\n",
            smtp.port,
            anchors.display()
        ),
    )
    .unwrap();
    // Each server anchors as it starts and mails the checkpoint on its way;
    // it is stopped once its mail has arrived (a server killed at once may
    // not have sent it yet, which is not what this test is about).
    for n in 1..=2 {
        let server = serve(dir.path(), &data);
        let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while smtp.messages().len() < n && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        drop(server);
    }
    let (ok, err) = run(mudurluk(dir.path())
        .args(["audit", "anchor", "--data-dir"])
        .arg(&data));
    assert!(
        ok && err.contains("anchored record #2 (2 records)"),
        "{err}"
    );
    // Every checkpoint (the servers anchor as they start, then on demand).
    let files = std::fs::read_dir(&anchors)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .count();
    // Every checkpoint is mailed (one written twice in the same second for
    // the same record keeps one file, so mails may outnumber files).
    let mails = smtp.messages();
    assert!(mails.len() >= files, "{files} checkpoints: {mails:?}");
    let newest = mails
        .iter()
        .find(|m| m.subject.contains("#2 (2 kayıt)"))
        .expect("the newest checkpoint mailed");
    assert!(
        newest.to.contains("teftis@ornek.bel.tr") && newest.body.contains("\"mac\""),
        "{newest:?}"
    );
    let (ok, err) = run(mudurluk(dir.path())
        .args(["audit", "verify", "--data-dir"])
        .arg(&data));
    assert!(ok && err.contains("holds"), "{err}");
    assert!(
        data.join("anchor.key").exists(),
        "the key is kept apart from the database"
    );

    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&format!(
        "sqlite://{}",
        data.join("mudurluk.db").display()
    ))
    .await
    .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE id >= 2")
        .execute(&mut c)
        .await
        .unwrap();
    c.close().await.unwrap();
    let (ok, err) = run(mudurluk(dir.path())
        .args(["audit", "verify", "--data-dir"])
        .arg(&data));
    assert!(!ok, "{err}");
    assert!(
        err.contains("audit trail intact: 1 records")
            && err.contains("cut or rolled back since the last checkpoint: record #2"),
        "{err}"
    );

    // A checkpoint edited to match the shorter trail does not verify.
    let newest = std::fs::read_dir(&anchors)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .max()
        .unwrap();
    let text = std::fs::read_to_string(&newest)
        .unwrap()
        .replace("\"id\": 2", "\"id\": 1")
        .replace("\"records\": 2", "\"records\": 1");
    std::fs::write(&newest, text).unwrap();
    let (ok, err) = run(mudurluk(dir.path())
        .args(["audit", "verify", "--data-dir"])
        .arg(&data));
    assert!(
        !ok && err.contains("does not carry a valid signature"),
        "{err}"
    );
}

/// `import scans` as an operator runs it: a progress bar, a summary naming
/// each file that failed and why, nothing twice when run again; and the
/// server's search index catching up with imports made while it was down,
/// and `index rebuild`.
#[tokio::test(flavor = "multi_thread")]
async fn scans_import_resumes_and_the_index_catches_up() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let scans = dir.path().join("taramalar");
    std::fs::create_dir_all(scans.join("1990/kutu-1")).unwrap();
    let png = |n: u8| {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10".to_vec();
        b.push(n);
        b
    };
    std::fs::write(scans.join("1990/kutu-1/imar-yazisi.png"), png(1)).unwrap();
    std::fs::write(scans.join("1990/ruhsat.png"), png(2)).unwrap();
    std::fs::write(scans.join("1990/bos.png"), b"").unwrap();
    std::fs::write(scans.join("notlar.txt"), "bu bir tarama değil").unwrap();
    let import = |sdp: &str, year: &str| {
        run(mudurluk(dir.path())
            .args(["import", "scans"])
            .arg(&scans)
            .args(["--sdp", sdp, "--year", year, "--data-dir"])
            .arg(&data))
    };

    let (ok, err) = import("010.06", "1990");
    assert!(!ok, "two files failed, so the exit status says so");
    assert!(
        err.contains("imported: 2") && err.contains("failed: 2"),
        "{err}"
    );
    assert!(err.contains("bos.png: boş dosya (0 bayt)"), "{err}");
    assert!(err.contains("notlar.txt: taranmış belge değil"), "{err}");
    // Run again (an interrupted import resumed): nothing is added twice.
    let (_, err) = import("010.06", "1990");
    assert!(
        err.contains("imported: 0") && err.contains("already there: 2"),
        "{err}"
    );
    // A classification that cannot be right stops before anything is read.
    let (ok, err) = import("010", "1990");
    assert!(
        !ok && err.contains("--sdp 010") && err.contains("group_file_code"),
        "{err}"
    );
    let (ok, err) = import("010.06", "3000");
    assert!(!ok && err.contains("--year 3000"), "{err}");

    // The server finds what was imported while it was not running…
    let password = "arşiv-parolası-2026";
    let s = serve_env(
        dir.path(),
        &data,
        &["--demo"],
        &[("MUDURLUK_DEMO_PASSWORD", password)],
    );
    let c = common::client();
    let login = |base: String| {
        let c = c.clone();
        async move {
            let r: serde_json::Value = c
                .post(format!("{base}/api/v1/auth/login"))
                .json(&serde_json::json!({"username": "mudur", "password": password}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            r["token"].as_str().unwrap().to_owned()
        }
    };
    let archived = |base: String, token: String| {
        let c = c.clone();
        async move {
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                let r: serde_json::Value = c
                    .get(format!("{base}/api/v1/search?kind=archive&sort=date"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let total = r["total"].as_u64().unwrap();
                if total > 0 || Instant::now() > deadline {
                    return (total, r);
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    let token = login(s.base.clone()).await;
    let (total, r) = archived(s.base.clone(), token.clone()).await;
    assert_eq!(total, 2, "{r}");
    let titles: Vec<&str> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"imar yazisi") && titles.contains(&"ruhsat"),
        "{titles:?}"
    );
    drop(s);

    // …and catches up on restart with what was imported while it was down.
    std::fs::write(scans.join("1990/kutu-1/ek.png"), png(3)).unwrap();
    let (_, err) = import("010.06", "1990");
    assert!(
        err.contains("imported: 1") && err.contains("already there: 2"),
        "{err}"
    );
    let s = serve_env(dir.path(), &data, &[], &[]);
    let deadline = Instant::now() + Duration::from_secs(20);
    let (total, r) = loop {
        let (t, r) = archived(s.base.clone(), token.clone()).await;
        if t == 3 || Instant::now() > deadline {
            break (t, r);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(total, 3, "{r}");
    // The index is in use while the server runs: rebuilding says so.
    let (ok, err) = run(mudurluk(dir.path())
        .args(["index", "rebuild", "--data-dir"])
        .arg(&data));
    assert!(!ok && err.contains("in use"), "{err}");
    drop(s);
    let (ok, err) = run(mudurluk(dir.path())
        .args(["index", "rebuild", "--data-dir"])
        .arg(&data));
    assert!(ok, "{err}");
    // The 3 scans, and the demo's sample correspondence (4 documents
    // registered, 3 letters signed: what the index holds of outgoing mail).
    assert!(err.contains("search index rebuilt: 10 documents"), "{err}");
}

/// `serve --demo` on a new data folder loads sample correspondence, made
/// through the use-cases, so that every person's dashboard has work on it.
#[tokio::test]
async fn serve_demo_gives_every_dashboard_something_to_show() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let password = "örnek-parola-2026";
    let s = serve_env(
        dir.path(),
        &data,
        &["--demo"],
        &[("MUDURLUK_DEMO_PASSWORD", password)],
    );
    let inbox = |user: &'static str| {
        // A client each: a signed-in cookie would make the next sign-in a
        // browser's, which needs the CSRF token.
        let (c, base) = (common::client(), s.base.clone());
        async move {
            let r: serde_json::Value = c
                .post(format!("{base}/api/v1/auth/login"))
                .json(&serde_json::json!({"username": user, "password": password}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let token = r["token"]
                .as_str()
                .unwrap_or_else(|| panic!("{user}: {r}"))
                .to_owned();
            c.get(format!("{base}/api/v1/me/inbox"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let mudur = inbox("mudur").await;
    assert_eq!(mudur["route"], 2, "two petitions wait for havale: {mudur}");
    let sef = inbox("sef.bt").await;
    assert_eq!(
        (sef["deliver"].as_i64(), sef["initial"].as_i64()),
        (Some(1), Some(1)),
        "one to take, one reply to initial: {sef}"
    );
    let kalem = inbox("memur.kalem").await;
    assert_eq!(
        kalem["dispatch"], 2,
        "signed letters to send, one to another directorate and one to a ministry (by KEP or e-Yazışma): {kalem}"
    );
    assert_eq!(kalem["registered_today"], 4, "{kalem}");
    drop(s);
    // A second start with --demo loads nothing again.
    let s = serve_env(
        dir.path(),
        &data,
        &["--demo"],
        &[("MUDURLUK_DEMO_PASSWORD", password)],
    );
    let c2 = common::client();
    let r: serde_json::Value = c2
        .post(format!("{}/api/v1/auth/login", s.base))
        .json(&serde_json::json!({"username": "memur.kalem", "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = r["token"].as_str().unwrap();
    let i: serde_json::Value = c2
        .get(format!("{}/api/v1/me/inbox", s.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(i["registered_today"], 4, "nothing twice: {i}");
}
