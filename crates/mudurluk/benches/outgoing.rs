//! Signing outgoing letters with numbering through the API, on SQLite and
//! PostgreSQL: the Müdür signs 4,000 of his letters to other directorates
//! (a chain of one step), 16 connections at a time (wrk, each request
//! another letter); letters signed per second, median of 3 runs. Each
//! signature authorises, numbers gap-free, hashes the content and writes
//! its audit record in one transaction.
//!
//! Then the archive lists (the yearly transfer list, the expired list, the
//! open files) with 1,000,000 documents filed in 20,000 files: p50/p99.
//!
//! Run: `cargo bench -p mudurluk --bench outgoing` (scripts/bench).

use serde_json::{json, Value};

const PASSWORD: &str = "bench-demo-parolasi";

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// 20,000 files (file-plan codes × units × 26 years), 50 documents each;
/// then the lists' latency.
async fn archive_lists(c: &reqwest::Client, base: &str, token: &str, database_url: &str, pg: bool) {
    let codes = [
        "044", "010.10", "010.06", "010.01", "040", "042", "050.03", "030.04",
    ];
    let units = ["mudurluk", "kalem", "bt", "teknik", "cbs", "elektronik"];
    let mut files = Vec::new();
    'outer: for year in 2000..2026 {
        for code in codes {
            let e = domain::fileplan::FilePlan::builtin().get(code).unwrap();
            for unit in units {
                for part in 0..20 {
                    files.push(format!("('{code}', '{unit}-{part}', {year}, '{}', CASE WHEN {year} >= 2019 THEN 'open' ELSE 'closed' END, '{}', '{}', {now}, NULL)",
                        e.name.replace('\'', "''"), e.retention.clone().unwrap(), e.disposal.clone().unwrap(),
                        now = if pg { "now()" } else { "'2026-01-01 00:00:00.000000000+00:00'" }));
                    if files.len() == 20_000 {
                        break 'outer;
                    }
                }
            }
        }
    }
    let insert_files = format!("INSERT INTO archive_files (file_code, unit, year, title, state, retention, disposal_code, opened_at, opened_by) VALUES {}", files.join(","));
    let docs = "INSERT INTO archive_file_documents (doc, file_id, filed_at) SELECT 'incoming:' || n, 1 + (n - 1) / 50, {now} FROM {series}";
    if pg {
        let pool = sqlx::PgPool::connect(database_url).await.unwrap();
        sqlx::query(&insert_files).execute(&pool).await.unwrap();
        sqlx::query(
            &docs
                .replace("{now}", "now()")
                .replace("{series}", "generate_series(1, 1000000) AS n"),
        )
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    } else {
        let opts: sqlx::sqlite::SqliteConnectOptions = database_url.parse().unwrap();
        let pool =
            sqlx::SqlitePool::connect_with(opts.busy_timeout(std::time::Duration::from_secs(60)))
                .await
                .unwrap();
        sqlx::query(&insert_files).execute(&pool).await.unwrap();
        let series = "(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000) SELECT n FROM c)";
        sqlx::query(
            &docs
                .replace("{now}", "'2026-01-01 00:00:00.000000000+00:00'")
                .replace("{series}", series),
        )
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    }
    for path in ["list=transfer&year=2015", "list=expired", "list=open"] {
        let mut times = Vec::new();
        let mut n = 0;
        for i in 0..220 {
            let t = std::time::Instant::now();
            let r: Value = c
                .get(format!("{base}/api/v1/archive/files?{path}"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if i >= 20 {
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            n = r.as_array().map_or(0, Vec::len);
        }
        println!("{}: GET /api/v1/archive/files?{path} with 1,000,000 filed documents: p50 {:.1} ms, p99 {:.1} ms ({n} files; target p99 < 50 ms)",
            if pg { "PostgreSQL" } else { "SQLite" }, pct(&mut times, 0.5), pct(&mut times, 0.99));
    }
}

async fn run(pg: bool) -> Vec<f64> {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mudurluk.toml");
    std::fs::write(&config, "[correspondence]\ndetsis = \"87654321\"\n").unwrap();
    let database_url = if pg {
        Some(testkit::fresh_pg_database().await)
    } else {
        None
    };
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
    let r: Value = c
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "mudur", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
                    let r: Value = c
                        .post(format!("{base}/api/v1/outgoing"))
                        .bearer_auth(&token)
                        .json(&letter)
                        .send()
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
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
        assert_eq!(
            ids.last().unwrap() - start + 1,
            per_run as i64,
            "contiguous ids"
        );
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
        assert!(
            out.status.success(),
            "wrk: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // wrk runs for its duration (signing again what is signed once its
        // share is done); the rate comes from the letters' own signing
        // times, first to last.
        let mut signed = Vec::new();
        for id in start..start + per_run as i64 {
            let r: Value = c
                .get(format!("{base}/api/v1/outgoing/{id}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if let Some(t) = r["signed_at"].as_str() {
                signed.push(
                    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                        .unwrap(),
                );
            }
        }
        signed.sort();
        // On a slow machine wrk's 8 s may end before every letter is
        // signed: the rate is of those signed, first to last.
        assert!(signed.len() >= 100, "only {} letters signed", signed.len());
        let secs = (*signed.last().unwrap() - signed[0]).as_seconds_f64();
        rates.push(signed.len() as f64 / secs);
    }
    let url = cfg.database_url.clone();
    archive_lists(&c, &base, &token, &url, pg).await;
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
