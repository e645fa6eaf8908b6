//! Security audit benchmark (issue 18, section 9), on SQLite and on
//! PostgreSQL (a throwaway cluster), against the real server in this
//! process over HTTP: an audit of 200 assets of grade 3 with every one of
//! the guide's 660 measures assessed for each (132,000 assessments, seeded
//! by SQL), and its compliance report (`GET /api/v1/security/audits/{id}`:
//! overall, by section, group and asset; target < 1 s), p50 and p99 of 20
//! sequential reads after 3; and its Uyum Denetim Raporu as PDF
//! (`report.pdf`; target < 5 s), p50 and the slowest of 5 after 1.
//!
//! Run: `cargo bench -p mudurluk --bench security` (scripts/bench);
//! `-- sqlite` or `-- postgres` for one engine only.

use std::time::Instant;

use serde_json::{json, Value};

mod common;

use common::{execute, pct, start, token};

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
        let sef = token(&c, &r.base, "sef.bt").await;
        let assets: Vec<Value> = (1..=200)
            .map(|i| json!({"name": format!("Sunucu {i:03}"), "criticality": 3}))
            .collect();
        let a: Value = c
            .post(format!("{}/api/v1/security/audits", r.base))
            .bearer_auth(&sef)
            .json(&json!({"title": "Yıllık uyum denetimi", "period_from": "2026-11-01", "period_to": "2026-12-31", "assets": assets}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = a["id"].as_i64().unwrap();
        let ids: Vec<i64> = a["assets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_i64().unwrap())
            .collect();
        // Every measure for every asset, in batches of 1,000 rows.
        let states = ["applied", "partly", "not_applied", "not_applicable"];
        let measures = domain::security_guide::measures();
        let at = if pg {
            "NOW()"
        } else {
            "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
        };
        let mut rows = Vec::new();
        for (k, asset) in ids.iter().enumerate() {
            for (j, m) in measures.iter().enumerate() {
                rows.push(format!(
                    "({id}, {asset}, '{}', '{}', 'ölçüm', 'kanıt', '', (SELECT id FROM users WHERE username = 'sef.bt'), {at})",
                    m.no,
                    states[(k + j) % 4]
                ));
            }
        }
        let sql: Vec<String> = rows
            .chunks(1000)
            .map(|ch| {
                format!(
                    "INSERT INTO security_assessments (audit_id, asset_id, measure_no, state, reason, evidence, answers, assessed_by, assessed_at) VALUES {}",
                    ch.join(", ")
                )
            })
            .collect();
        let t = Instant::now();
        execute(&r, pg, &sql).await;
        println!(
            "{engine:10} seeded {} assessments in {:.1} s",
            rows.len(),
            t.elapsed().as_secs_f64()
        );
        let url = format!("{}/api/v1/security/audits/{id}", r.base);
        let mut times = Vec::new();
        let mut last = Value::Null;
        for i in 0..23 {
            let t = Instant::now();
            let resp = c.get(&url).bearer_auth(&sef).send().await.unwrap();
            assert_eq!(resp.status(), 200);
            last = resp.json().await.unwrap();
            if i >= 3 {
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        assert_eq!(last["tally"]["applicable"], 132_000);
        println!(
            "{engine:10} compliance report of 200 assets × 660 measures: p50 {:6.1} ms  p99 {:6.1} ms  (compliance {} %; target < 1 s)",
            pct(&mut times, 0.5),
            pct(&mut times, 0.99),
            last["compliance"]
        );
        let url = format!("{}/api/v1/security/audits/{id}/report.pdf", r.base);
        let mut times = Vec::new();
        let mut size = 0;
        for i in 0..6 {
            let t = Instant::now();
            let resp = c.get(&url).bearer_auth(&sef).send().await.unwrap();
            assert_eq!(resp.status(), 200);
            let bytes = resp.bytes().await.unwrap();
            assert!(bytes.starts_with(b"%PDF"));
            size = bytes.len();
            if i >= 1 {
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        println!(
            "{engine:10} audit report PDF ({} KiB): p50 {:6.1} ms  slowest {:6.1} ms  (target < 5 s)",
            size / 1024,
            pct(&mut times, 0.5),
            pct(&mut times, 1.0)
        );
    }
}
