//! Service desk benchmarks (issue 15), on SQLite and on PostgreSQL (a
//! throwaway cluster), against the real server in this process over HTTP:
//!
//! 1. working time on the Turkish calendar: computations per second on one
//!    thread (target ≥ 1,000,000/s);
//! 2. filing requests through the API with wrk, 16 connections, median of
//!    3 runs (targets ≥ 2,000/s on SQLite, ≥ 1,000/s on PostgreSQL);
//! 3. with 1,000,000 requests stored (seeded by SQL), p50/p99 of the queues
//!    under 4 concurrent readers: a section's open queue, the breached list,
//!    a technician's work, a requester's own, and the queue page (target
//!    p99 < 20 ms).
//!
//! Run: `cargo bench -p mudurluk --bench servicedesk` (scripts/bench);
//! `-- worktime` for the first only.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

const PASSWORD: &str = "bench-demo-parolasi";

struct Running {
    base: String,
    database_url: String,
    _dir: tempfile::TempDir,
}

async fn start(pg: bool) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let database_url = if pg {
        Some(testkit::fresh_pg_database().await)
    } else {
        None
    };
    let cfg = mudurluk::Config::resolve(mudurluk::Overrides {
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
    Running {
        base,
        database_url: cfg.database_url.clone(),
        _dir: dir,
    }
}

async fn token(c: &reqwest::Client, base: &str, user: &str) -> String {
    let r: Value = c
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": user, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["token"].as_str().unwrap().to_owned()
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// Working-time additions per second on one thread: starts spread over
/// 2026 (holidays and arife included), 1 to 40 working hours.
fn worktime() -> f64 {
    let cal = domain::calendar::Calendar::new(&[], false);
    let h = domain::worktime::WorkingHours::default();
    let base = time::macros::datetime!(2026-01-01 00:00 +3);
    let n = 1_000_000u64;
    let t0 = Instant::now();
    let mut sink = 0i64;
    for i in 0..n {
        let start = base + time::Duration::minutes(((i * 7919) % (365 * 24 * 60)) as i64);
        let hours = (1 + i % 40) as f64;
        sink ^= h.add(&cal, start, hours).map_or(0, |d| d.unix_timestamp());
    }
    let rate = n as f64 / t0.elapsed().as_secs_f64();
    std::hint::black_box(sink);
    rate
}

async fn filing(r: &Running) -> f64 {
    let c = reqwest::Client::new();
    let t = token(&c, &r.base, "talep.fen").await;
    let body = json!({"title": "Yazıcı kâğıt sıkıştırıyor", "description": "312 numaralı oda", "category": "yazici"});
    for _ in 0..200 {
        let s = c
            .post(format!("{}/api/v1/requests", r.base))
            .bearer_auth(&t)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(s, 201);
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("file.lua");
    let text = body.to_string().replace('\\', "\\\\").replace('\'', "\\'");
    std::fs::write(&script, format!("wrk.method = 'POST'\nwrk.body = '{text}'\nwrk.headers['Content-Type'] = 'application/json'\nwrk.headers['Authorization'] = 'Bearer {t}'\n")).unwrap();
    let out = std::process::Command::new("wrk")
        .args(["-t2", "-c16", "-d8s", "-s"])
        .arg(&script)
        .arg(format!("{}/api/v1/requests", r.base))
        .output()
        .expect("wrk is needed (scripts/bench installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Non-2xx"), "filing failed:\n{text}");
    text.lines()
        .find(|l| l.starts_with("Requests/sec:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// 1,000,000 requests over five years: 95% closed, 3% resolved, 2% open
/// (new, assigned, in progress, waiting), spread over the sections and the
/// demo requesters; the open ones mostly past their deadlines.
async fn seed(r: &Running, pg: bool) {
    let started = Instant::now();
    let id = |u: &str| format!("(SELECT id FROM users WHERE username = '{u}')");
    let state = "CASE WHEN n % 100 < 95 THEN 'closed' WHEN n % 100 < 98 THEN 'resolved' WHEN n % 100 = 98 THEN 'new' WHEN n % 200 = 99 THEN 'in_progress' ELSE 'assigned' END";
    let cat = "CASE n % 5 WHEN 0 THEN 'yazici' WHEN 1 THEN 'yazilim' WHEN 2 THEN 'harita' WHEN 3 THEN 'eposta' ELSE 'bilgisayar' END";
    let sec = "CASE n % 5 WHEN 0 THEN 'teknik' WHEN 1 THEN 'bt' WHEN 2 THEN 'cbs' WHEN 3 THEN 'elektronik' ELSE 'teknik' END";
    let requester = format!(
        "CASE n % 3 WHEN 0 THEN {} WHEN 1 THEN {} ELSE {} END",
        id("talep.zabita"),
        id("talep.fen2"),
        id("eposta")
    );
    let dept =
        "CASE n % 3 WHEN 0 THEN 'Zabıta Müdürlüğü' WHEN 1 THEN 'Fen İşleri Müdürlüğü' ELSE '' END";
    let assignee = format!(
        "CASE WHEN n % 100 = 98 THEN NULL WHEN n % 5 IN (0, 4) THEN {} ELSE {} END",
        id("memur.teknik"),
        id("memur.bt")
    );
    let cols = "year, seq, number, title, description, category, section, priority, channel, state, requester_id, requester_department, filed_by,
        assignee_id, created_at, updated_at, respond_by, resolve_by, responded_at, resolved_at, closed_at, paused_seconds";
    let values = |at: &str, plus4: &str, plus24: &str, year: &str| {
        format!(
            "CAST({year} AS BIGINT), n, {year} || '-' || CAST(n AS TEXT), 'Talep ' || CAST(n AS TEXT), 'Açıklama ' || CAST(n AS TEXT), {cat}, {sec}, 'normal', 'web', {state}, {requester}, {dept}, {requester},
             {assignee}, {at}, {at}, {plus4}, {plus24}, CASE WHEN n % 100 = 98 THEN NULL ELSE {plus4} END,
             CASE WHEN n % 100 < 98 THEN {plus24} ELSE NULL END, CASE WHEN n % 100 < 95 THEN {plus24} ELSE NULL END, 0"
        )
    };
    if pg {
        let pool = sqlx::PgPool::connect(&r.database_url).await.unwrap();
        let at = "(TIMESTAMPTZ '2022-01-01 08:00+03' + (n - 1) * INTERVAL '150 seconds')";
        let sql = format!(
            "INSERT INTO requests ({cols}) SELECT {} FROM generate_series(1, 1000000) AS n",
            values(
                at,
                &format!("({at} + INTERVAL '4 hours')"),
                &format!("({at} + INTERVAL '3 days')"),
                "CAST(2000 + n / 1000000 AS TEXT)"
            )
        );
        sqlx::query(&sql).execute(&pool).await.unwrap();
        // As autovacuum would soon: the visibility map lets counts read
        // the partial indexes alone.
        sqlx::query("VACUUM ANALYZE requests")
            .execute(&pool)
            .await
            .unwrap();
    } else {
        let opts: sqlx::sqlite::SqliteConnectOptions = r.database_url.parse().unwrap();
        let pool = sqlx::SqlitePool::connect_with(opts.busy_timeout(Duration::from_secs(60)))
            .await
            .unwrap();
        let t = |extra: &str| {
            format!("(strftime('%Y-%m-%d %H:%M:%S', '2022-01-01 05:00:00', '+' || ((n - 1) * 150) || ' seconds'{extra}) || '.000000000+00:00')")
        };
        let sql = format!(
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000) INSERT INTO requests ({cols}) SELECT {} FROM c",
            values(&t(""), &t(", '+4 hours'"), &t(", '+3 days'"), "CAST(2000 + n / 1000000 AS TEXT)")
        );
        sqlx::query(&sql).execute(&pool).await.unwrap();
        sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    }
    eprintln!(
        "  seeded 1,000,000 requests in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}

async fn queues(r: &Running, engine: &str) {
    let c = reqwest::Client::new();
    for (user, path) in [
        ("sef.teknik", "/api/v1/requests?section=teknik&open=1"),
        (
            "sef.teknik",
            "/api/v1/requests?section=teknik&open=1&sort=due",
        ),
        ("mudur", "/api/v1/requests?breached=1"),
        ("memur.teknik", "/api/v1/requests?assigned=1"),
        ("talep.fen2", "/api/v1/requests?mine=1"),
        ("talep.zabita", "/api/v1/requests"),
        ("sef.teknik", "/talepler"),
        ("mudur", "/api/v1/me/inbox"),
    ] {
        let t = token(&c, &r.base, user).await;
        let url = format!("{}{path}", r.base);
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let (c, url, t) = (c.clone(), url.clone(), t.clone());
            tasks.push(tokio::spawn(async move {
                let mut v = Vec::new();
                for i in 0..120 {
                    let t0 = Instant::now();
                    let resp = c.get(&url).bearer_auth(&t).send().await.unwrap();
                    assert_eq!(resp.status(), 200, "{url}");
                    resp.bytes().await.unwrap();
                    if i >= 20 {
                        v.push(t0.elapsed().as_secs_f64() * 1000.0);
                    }
                }
                v
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        println!("{engine}: GET {path} as {user}, 1,000,000 requests, 4 readers: p50 {:.1} ms, p99 {:.1} ms (target p99 < 20 ms)", pct(&mut all, 0.5), pct(&mut all, 0.99));
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut rates: Vec<f64> = (0..3).map(|_| worktime()).collect();
    println!(
        "working time: median {:.2} M computations/s on one thread of 3 runs (target ≥ 1 M/s)",
        pct(&mut rates, 0.5) / 1e6
    );
    if std::env::args().any(|a| a == "worktime") {
        return;
    }
    let only_filing = std::env::args().any(|a| a == "filing");
    for pg in [false, true] {
        let engine = if pg { "PostgreSQL" } else { "SQLite" };
        let r = start(pg).await;
        let mut rates = Vec::new();
        for _ in 0..3 {
            rates.push(filing(&r).await);
        }
        let runs = rates
            .iter()
            .map(|r| format!("{r:.0}"))
            .collect::<Vec<_>>()
            .join(", ");
        let target = if pg { "1,000" } else { "2,000" };
        println!("{engine}: filing requests through the API: median {:.0}/s of 3 runs ({runs}; wrk, 16 connections; target ≥ {target})", pct(&mut rates, 0.5));
        if only_filing {
            continue;
        }
        seed(&r, pg).await;
        queues(&r, engine).await;
    }
}
