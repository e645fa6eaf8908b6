//! Leave benchmarks (issue 19, section 10), on SQLite and on PostgreSQL (a
//! throwaway cluster), against the real server in this process over HTTP:
//! a person's balance (`GET /api/v1/people/{username}/leave-balance`,
//! target < 5 ms) for a Memur of thirty years with eight approved leaves
//! a year, among 100,000 leave requests of the rest of the staff; read by
//! the person (no write) and by the Müdür (the read is audited: one write).
//! p50 and p99 of 500 sequential reads each, after 50 to warm up; then
//! again after `ANALYZE`.
//!
//! Run: `cargo bench -p mudurluk --bench leave` (scripts/bench);
//! `-- sqlite` or `-- postgres` for one engine only.

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

async fn execute(r: &Running, pg: bool, statements: &[String]) {
    use sqlx::Connection;
    if pg {
        let mut c = sqlx::PgConnection::connect(&r.database_url).await.unwrap();
        for s in statements {
            sqlx::query(s).execute(&mut c).await.unwrap();
        }
    } else {
        let opts: sqlx::sqlite::SqliteConnectOptions = r.database_url.parse().unwrap();
        let mut c =
            sqlx::SqliteConnection::connect_with(&opts.busy_timeout(Duration::from_secs(60)))
                .await
                .unwrap();
        for s in statements {
            sqlx::query(s).execute(&mut c).await.unwrap();
        }
    }
}

/// Approved annual leaves as SQL: `per_year` five-day leaves a year from
/// `first` to 2026 for the staff of `user`, ids from `id`.
fn leaves(id: &mut i64, user: &str, first: i32, per_year: i64) -> Vec<String> {
    let mut rows = Vec::new();
    let mut years = Vec::new();
    for y in first..=2026 {
        for k in 0..per_year {
            let day = time::Date::from_calendar_date(y, time::Month::January, 10).unwrap()
                + time::Duration::days(k * 40);
            let end = day + time::Duration::days(4);
            rows.push(format!(
                "({id}, (SELECT id FROM staff WHERE user_id = (SELECT id FROM users WHERE username = '{user}')), (SELECT id FROM users WHERE username = '{user}'), 'annual', '{day}', '{end}', 10, '', '', 'approved', '2020-01-01 00:00:00+00:00')"
            ));
            years.push(format!("({id}, {y}, 10)"));
            *id += 1;
        }
    }
    let mut out = Vec::new();
    for (r, y) in rows.chunks(500).zip(years.chunks(500)) {
        out.push(format!("INSERT INTO leave_requests (id, staff_id, user_id, kind, start_date, end_date, halves, address, note, state, created_at) VALUES {}", r.join(", ")));
        out.push(format!(
            "INSERT INTO leave_request_years (request_id, year, halves) VALUES {}",
            y.join(", ")
        ));
    }
    out
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() - 1) as f64 * p).round() as usize]
}

async fn measure(c: &reqwest::Client, base: &str, token: &str, label: &str, engine: &str) {
    let url = format!("{base}/api/v1/people/memur.bt/leave-balance?year=2026");
    for _ in 0..50 {
        let r = c.get(&url).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), 200);
        r.bytes().await.unwrap();
    }
    let mut times = Vec::new();
    let mut last = Value::Null;
    for _ in 0..500 {
        let t = Instant::now();
        let r = c.get(&url).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), 200);
        last = r.json().await.unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "{engine:10} balance read by {label:22} p50 {:6.2} ms  p99 {:6.2} ms  (remaining {} of {})",
        pct(&mut times, 0.5),
        pct(&mut times, 0.99),
        last["remaining"],
        last["entitlement"]
    );
}

#[tokio::main]
async fn main() {
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    for pg in [false, true] {
        let engine = if pg { "postgres" } else { "sqlite" };
        if !only.is_empty() && !only.iter().any(|o| o == engine) {
            continue;
        }
        let r = start(pg).await;
        let c = reqwest::Client::new();
        let kalem = token(&c, &r.base, "memur.kalem").await;
        // Thirty years of service for the person measured.
        let put = c
            .put(format!("{}/api/v1/people/memur.bt/employment", r.base))
            .bearer_auth(&kalem)
            .json(&json!({"service_start": "1996-09-16"}))
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), 200);
        let mut id = 1_000_000;
        let mut sql = leaves(&mut id, "memur.bt", 1997, 8);
        // The rest of the staff: 100,000 leaves in all.
        let others = [
            "baskan",
            "baskan.yardimcisi",
            "mudur",
            "sef.kalem",
            "sef.bt",
            "sef.teknik",
            "sef.cbs",
            "sef.elektronik",
            "memur.kalem",
            "memur.teknik",
            "isci.teknik",
        ];
        for u in others {
            sql.extend(leaves(
                &mut id,
                u,
                1997,
                100_000 / (others.len() as i64 * 30),
            ));
        }
        let t = Instant::now();
        execute(&r, pg, &sql).await;
        println!(
            "{engine:10} seeded {} leave requests in {:.1} s",
            id - 1_000_000,
            t.elapsed().as_secs_f64()
        );
        let own = token(&c, &r.base, "memur.bt").await;
        measure(&c, &r.base, &own, "the person", engine).await;
        let mudur = token(&c, &r.base, "mudur").await;
        measure(&c, &r.base, &mudur, "the Müdür (audited)", engine).await;
        // Right after a bulk load the planner has no statistics yet;
        // PostgreSQL's autovacuum gathers them in time, SQLite's are never
        // gathered by the server. Again with them:
        execute(&r, pg, &["ANALYZE".to_owned()]).await;
        measure(&c, &r.base, &own, "the person, ANALYZEd", engine).await;
        measure(&c, &r.base, &mudur, "the Müdür, ANALYZEd", engine).await;
    }
}
