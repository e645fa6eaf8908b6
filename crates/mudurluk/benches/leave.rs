//! Leave benchmarks (issue 19, section 10), on SQLite and on PostgreSQL (a
//! throwaway cluster), against the real server in this process over HTTP:
//! a person's balance (`GET /api/v1/people/{username}/leave-balance`,
//! target < 5 ms) for a Memur of thirty years with eight approved leaves
//! a year, among 100,000 leave requests of the rest of the staff; read by
//! the person (no write) and by the Müdür (the read is audited: one write).
//! p50 and p99 of 500 sequential reads each, after 50 to warm up; then
//! again after `ANALYZE`.
//!
//!
//! Then a unit's monthly timesheet (`GET /api/v1/timesheets?unit=bt&
//! month=2026-11`, as JSON, PDF and CSV; target < 200 ms) with 500 more
//! people in the unit, each with a year of leave (eight five-day leaves),
//! three sick reports and two overtime orders a month; p50 and p99 of 50
//! sequential reads each (the read is audited: one write), after 5.
//!
//! Run: `cargo bench -p mudurluk --bench leave` (scripts/bench);
//! `-- sqlite` or `-- postgres` for one engine only.

use std::time::Instant;

use serde_json::{json, Value};

mod common;

use common::{execute, pct, start, token};

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

/// 500 people in the BT unit (personel_bt) since 2020, each with eight
/// approved five-day leaves, three sick reports of three days and two
/// Saturday overtime orders a month in 2026.
fn unit_of_500() -> Vec<String> {
    let kalem = "(SELECT id FROM users WHERE username = 'memur.kalem')";
    let mudur = "(SELECT id FROM users WHERE username = 'mudur')";
    let at = "'2020-01-01 00:00:00.000000000+00:00'";
    let (mut users, mut staff, mut posts, mut leaves, mut years, mut reports, mut overtime) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    let jan = time::Date::from_calendar_date(2026, time::Month::January, 5).unwrap();
    let mut leave_id = 5_000_000;
    let mut ot_id = 5_000_000;
    for i in 0..500i64 {
        let id = 500_000 + i;
        users.push(format!("({id}, 'personel.{i}', 'Personel {i}', '!', {at})"));
        staff.push(format!(
            "({id}, {id}, 'Personel {i}', 'memur', {at}, '2010-01-04')"
        ));
        posts.push(format!("({id}, {id}, 'personel_bt', '2020-01-01', {at})"));
        for k in 0..8i64 {
            let from = jan + time::Duration::days(i % 7 + k * 42);
            let to = from + time::Duration::days(4);
            leaves.push(format!("({leave_id}, {id}, {id}, 'annual', '{from}', '{to}', 10, '', '', 'approved', {at})"));
            years.push(format!("({leave_id}, 2026, 10)"));
            leave_id += 1;
        }
        for k in 0..3i64 {
            let from = jan + time::Duration::days(20 + i % 5 + k * 110);
            let to = from + time::Duration::days(2);
            reports.push(format!(
                "({}, {id}, '{from}', '{to}', 'Devlet Hastanesi', 'R-{i}-{k}', '', {kalem}, {at})",
                500_000 + i * 3 + k
            ));
        }
        for m in 1..=12u8 {
            let first =
                time::Date::from_calendar_date(2026, time::Month::try_from(m).unwrap(), 1).unwrap();
            for w in 0..2i64 {
                let day = first.next_occurrence(time::Weekday::Saturday) + time::Duration::weeks(w);
                overtime.push(format!("({ot_id}, {id}, {id}, '{day} 06:00:00.000000000+00:00', '{day} 10:00:00.000000000+00:00', 240, 'Bakım', {mudur}, {at}, '')"));
                ot_id += 1;
            }
        }
    }
    let mut out = Vec::new();
    let chunked = |out: &mut Vec<String>, head: &str, rows: &[String]| {
        for c in rows.chunks(500) {
            out.push(format!("{head} VALUES {}", c.join(", ")));
        }
    };
    chunked(
        &mut out,
        "INSERT INTO users (id, username, display_name, password_hash, created_at)",
        &users,
    );
    chunked(
        &mut out,
        "INSERT INTO staff (id, user_id, full_name, kind, created_at, service_start)",
        &staff,
    );
    chunked(
        &mut out,
        "INSERT INTO appointments (id, staff_id, position, start_date, created_at)",
        &posts,
    );
    chunked(&mut out, "INSERT INTO leave_requests (id, staff_id, user_id, kind, start_date, end_date, halves, address, note, state, created_at)", &leaves);
    chunked(
        &mut out,
        "INSERT INTO leave_request_years (request_id, year, halves)",
        &years,
    );
    chunked(&mut out, "INSERT INTO sick_reports (id, staff_id, start_date, end_date, institution, number, note, recorded_by, recorded_at)", &reports);
    chunked(&mut out, "INSERT INTO overtime_orders (id, staff_id, user_id, start_at, end_at, minutes, reason, ordered_by, ordered_at, basis)", &overtime);
    out
}

async fn measure_sheet(c: &reqwest::Client, base: &str, token: &str, engine: &str) {
    for format in ["json", "pdf", "csv"] {
        let url = format!("{base}/api/v1/timesheets?unit=bt&month=2026-11&format={format}");
        let mut times = Vec::new();
        let mut size = 0;
        for i in 0..55 {
            let t = Instant::now();
            let r = c.get(&url).bearer_auth(token).send().await.unwrap();
            assert_eq!(r.status(), 200, "{url}");
            size = r.bytes().await.unwrap().len();
            if i >= 5 {
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        println!(
            "{engine:10} timesheet of 502 people, November 2026, {format:4}: p50 {:6.1} ms  p99 {:6.1} ms  ({} KB; target < 200 ms)",
            pct(&mut times, 0.5),
            pct(&mut times, 0.99),
            size / 1024
        );
    }
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
        let t = Instant::now();
        execute(&r, pg, &unit_of_500()).await;
        execute(&r, pg, &["ANALYZE".to_owned()]).await;
        println!(
            "{engine:10} seeded 500 people with a year of leave, reports and overtime in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        measure_sheet(&c, &r.base, &kalem, engine).await;
    }
}
