//! Signing outgoing letters with numbering through the API, on SQLite and
//! PostgreSQL: the Müdür signs 4,000 of his letters to other directorates
//! (a chain of one step), 16 connections at a time (wrk, each request
//! another letter); letters signed per second, median of 3 runs. Each
//! signature authorises, numbers gap-free, hashes the content and writes
//! its audit record in one transaction.
//!
//! Run: `cargo bench -p mudurluk --bench outgoing` (scripts/bench).

use serde_json::{json, Value};

const PASSWORD: &str = "bench-demo-parolasi";

async fn run(pg: bool) -> Vec<f64> {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mudurluk.toml");
    std::fs::write(&config, "[correspondence]\ndetsis = \"87654321\"\n").unwrap();
    let database_url = if pg { Some(testkit::fresh_pg_database().await) } else { None };
    let cfg = mudurluk::Config::resolve(mudurluk::Overrides {
        config: Some(config),
        data_dir: Some(dir.path().join("data")),
        listen: Some("127.0.0.1:0".into()),
        database_url,
        ..Default::default()
    })
    .unwrap();
    let server = mudurluk::Server::build(&cfg).await.unwrap();
    server.app.seed_demo(PASSWORD).await.unwrap();
    let base = format!("http://{}", server.addr);
    tokio::spawn(server.run(std::future::pending()));
    let c = reqwest::Client::new();
    let r: Value = c.post(format!("{base}/api/v1/auth/login")).json(&json!({"username": "mudur", "password": PASSWORD})).send().await.unwrap().json().await.unwrap();
    let token = r["token"].as_str().unwrap().to_owned();
    let letter = json!({"subject": "Duyuru", "body": "Bilgilerinize rica ederim.", "file_code": "010.06",
        "recipients": [{"role": "muhatap", "kind": "directorate", "name": "Fen İşleri Müdürlüğü"}]});
    let per_run = 4000;
    let mut rates = Vec::new();
    for _ in 0..3 {
        // Drafts first (not measured), 8 at a time.
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (c, base, token, letter) = (c.clone(), base.clone(), token.clone(), letter.clone());
            tasks.push(tokio::spawn(async move {
                let mut ids = Vec::new();
                for _ in 0..per_run / 8 {
                    let r: Value = c.post(format!("{base}/api/v1/outgoing")).bearer_auth(&token).json(&letter).send().await.unwrap().json().await.unwrap();
                    ids.push(r["id"].as_i64().unwrap());
                }
                ids
            }));
        }
        let mut ids = Vec::new();
        for t in tasks {
            ids.extend(t.await.unwrap());
        }
        ids.sort();
        let start = ids[0];
        assert_eq!(ids.last().unwrap() - start + 1, per_run as i64, "contiguous ids");
        // wrk: 2 threads, 8 connections each; each thread signs its half.
        let script = dir.path().join("sign.lua");
        std::fs::write(&script, format!(r#"
counter = 0
function setup(thread)
  thread:set("base_id", {start} + counter * {half})
  counter = counter + 1
end
local n = 0
request = function()
  local id = base_id + n
  n = n + 1
  if n > {half} then id = base_id end
  return wrk.format("POST", "/api/v1/outgoing/" .. id .. "/decision",
    {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer {token}"}}, '{{"decision":"approve"}}')
end
"#, half = per_run / 2)).unwrap();
        let out = std::process::Command::new("wrk")
            .args(["-t2", "-c16", "-d8s", "-s"])
            .arg(&script)
            .arg(format!("{base}/"))
            .output()
            .expect("wrk is needed (scripts/bench installs it)");
        assert!(out.status.success(), "wrk: {}", String::from_utf8_lossy(&out.stderr));
        // wrk runs for its duration (signing again what is signed once its
        // share is done); the rate comes from the letters' own signing
        // times, first to last.
        let mut signed = Vec::new();
        for id in start..start + per_run as i64 {
            let r: Value = c.get(format!("{base}/api/v1/outgoing/{id}")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
            if let Some(t) = r["signed_at"].as_str() {
                signed.push(time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).unwrap());
            }
        }
        signed.sort();
        assert_eq!(signed.len(), per_run, "every letter signed once");
        let secs = (*signed.last().unwrap() - signed[0]).as_seconds_f64();
        rates.push(per_run as f64 / secs);
    }
    rates
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    for pg in [false, true] {
        let mut rates = run(pg).await;
        rates.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let runs: Vec<String> = rates.iter().map(|r| format!("{r:.0}")).collect();
        println!("{}: signing with numbering through the API: median {:.0} letters/s of 3 runs ({}; 16 connections; target ≥ 1,000 on SQLite)",
            if pg { "PostgreSQL" } else { "SQLite" }, rates[1], runs.join(", "));
    }
}
