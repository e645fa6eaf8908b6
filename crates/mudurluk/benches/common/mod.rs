//! The harness the leave and security benchmarks share: a demo server in
//! this process on SQLite or a throwaway PostgreSQL, sign-in, raw SQL for
//! seeding, percentiles.

use std::time::Duration;

use serde_json::{json, Value};

pub const PASSWORD: &str = "bench-demo-parolasi";

pub struct Running {
    pub base: String,
    pub database_url: String,
    _dir: tempfile::TempDir,
}

pub async fn start(pg: bool) -> Running {
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

pub async fn token(c: &reqwest::Client, base: &str, user: &str) -> String {
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

pub async fn execute(r: &Running, pg: bool, statements: &[String]) {
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

pub fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() - 1) as f64 * p).round() as usize]
}
