//! Benchmark of the authority engine (not part of the tests; run by
//! `scripts/bench` or `cargo bench -p mudurluk-domain --bench authorize`):
//! the built-in profile, 10,000 staff, 1,000 active delegations, one thread.

use std::hint::black_box;
use std::time::{Duration, Instant};

use mudurluk_domain::authority::*;
use mudurluk_domain::profile::Profile;
use time::macros::datetime;

fn main() {
    let p = Profile::builtin().expect("built-in profile");
    let forever = Period {
        from: datetime!(2020-01-01 00:00 UTC),
        until: datetime!(2100-01-01 00:00 UTC),
    };
    let positions: Vec<&str> = p.positions().iter().map(|x| x.id.as_str()).collect();
    let kinds = ["memur", "isci", "sirket"];
    let mut f = FactSet::default();
    const STAFF: i64 = 10_000;
    for user in 1..=STAFF {
        // One Müdür (user 1); the rest spread over the other positions.
        let position = if user == 1 {
            "mudur"
        } else {
            positions[(user as usize) % positions.len()]
        };
        let position = if position == "mudur" && user != 1 {
            "personel_bt"
        } else {
            position
        };
        f.hold(Holding {
            user,
            position: position.into(),
            staff_kind: kinds[(user as usize) % 3].into(),
            period: forever,
        });
    }
    let delegable: Vec<&str> = p
        .authorities()
        .iter()
        .filter(|a| a.delegable && a.holders.iter().any(|h| h == "mudur"))
        .map(|a| a.id.as_str())
        .collect();
    for i in 0..1_000i64 {
        f.delegate(Delegation {
            id: i,
            from_user: 1,
            to_user: 2 + (i * 7) % (STAFF - 1),
            authority: delegable[i as usize % delegable.len()].into(),
            period: Period {
                from: datetime!(2026-01-01 00:00 UTC),
                until: datetime!(2027-01-01 00:00 UTC),
            },
            approval_ref: format!("2026/{i}"),
            revoked_at: None,
        });
    }
    let authorities: Vec<&str> = p.authorities().iter().map(|a| a.id.as_str()).collect();
    let at = datetime!(2026-06-15 10:00 UTC);

    let mut medians = Vec::new();
    for _round in 0..5 {
        let mut n: u64 = 0;
        let mut allowed: u64 = 0;
        let start = Instant::now();
        let mut user: i64 = 1;
        while start.elapsed() < Duration::from_millis(600) {
            for k in 0..1000 {
                user = (user * 48271) % STAFF + 1;
                let a = authorities[(k + user as usize) % authorities.len()];
                if black_box(authorize(&p, &f, user, a, at)).allowed() {
                    allowed += 1;
                }
                n += 1;
            }
        }
        let rate = n as f64 / start.elapsed().as_secs_f64();
        println!(
            "authorize: {:.0} decisions/s ({} decisions, {} allowed)",
            rate, n, allowed
        );
        medians.push(rate);
    }
    medians.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "authorize median: {:.2} M decisions/s on one thread (target ≥ 1 M)",
        medians[2] / 1e6
    );
}
