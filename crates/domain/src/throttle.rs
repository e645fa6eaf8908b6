//! How sign-in failures slow further tries, without letting anyone lock
//! another person out.
//!
//! Failures are counted under three keys, each with its own policy:
//! - the **source address** (every account tried from it): one address
//!   cannot go through many usernames;
//! - the **account from that address**: guessing one person's password from
//!   one place slows quickly;
//! - the **account from everywhere**: many addresses together slow, but the
//!   delay stays short, so the real person still gets in.
//!
//! Past a policy's free attempts, each failure doubles the wait before the
//! next try is heard, up to its ceiling. A key's count is forgotten once
//! it has been quiet for [`FORGET_AFTER_SECS`]; a successful sign-in clears
//! the account's keys (never the address's: a valid account of one's own
//! must not buy more guesses at another's).

use time::{Duration, OffsetDateTime};

/// A throttle policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures heard at once before the waits begin.
    pub free: u32,
    /// The first wait, in seconds; each further failure doubles it.
    pub first_wait_secs: i64,
    /// The longest wait, in seconds.
    pub max_wait_secs: i64,
}

/// One source address, every account.
pub const PER_ADDRESS: Policy = Policy {
    free: 20,
    first_wait_secs: 1,
    max_wait_secs: 15 * 60,
};
/// One account from one address.
pub const PER_ACCOUNT_AT_ADDRESS: Policy = Policy {
    free: 5,
    first_wait_secs: 2,
    max_wait_secs: 15 * 60,
};
/// One account from every address: a short ceiling, so that attackers
/// spread over many addresses slow the person down but never lock her out.
pub const PER_ACCOUNT: Policy = Policy {
    free: 50,
    first_wait_secs: 1,
    max_wait_secs: 30,
};

/// A key quiet this long starts again from zero.
pub const FORGET_AFTER_SECS: i64 = 24 * 3600;

/// A key's record: failures so far and the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub last: OffsetDateTime,
}

/// The failures that still count at `now`.
pub fn current(f: Option<Failures>, now: OffsetDateTime) -> u32 {
    match f {
        Some(f) if now - f.last < Duration::seconds(FORGET_AFTER_SECS) => f.count,
        _ => 0,
    }
}

/// The wait after `count` failures under `p`, if any.
pub fn wait_after(p: Policy, count: u32) -> Option<Duration> {
    if count < p.free {
        return None;
    }
    let doublings = (count - p.free).min(30);
    let secs = p
        .first_wait_secs
        .saturating_mul(1i64 << doublings)
        .min(p.max_wait_secs);
    Some(Duration::seconds(secs))
}

/// How long a try must still wait under `p` at `now`; `None` when it may
/// be heard.
pub fn must_wait(p: Policy, f: Option<Failures>, now: OffsetDateTime) -> Option<Duration> {
    let f = f?;
    let wait = wait_after(p, current(Some(f), now))?;
    let until = f.last + wait;
    (now < until).then(|| until - now)
}

/// The keys of a sign-in attempt: address, account at address, account.
pub fn keys(username: &str, address: &str) -> [(String, Policy); 3] {
    [
        (format!("addr:{address}"), PER_ADDRESS),
        (format!("acct:{username}@{address}"), PER_ACCOUNT_AT_ADDRESS),
        (format!("acct:{username}"), PER_ACCOUNT),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn waits_double_from_the_free_attempts_up_to_the_ceiling() {
        let p = PER_ACCOUNT_AT_ADDRESS;
        let table: &[(u32, Option<i64>)] = &[
            (0, None),
            (4, None),
            (5, Some(2)),
            (6, Some(4)),
            (7, Some(8)),
            (13, Some(512)),
            (14, Some(900)),
            (99, Some(900)),
        ];
        for (count, secs) in table {
            assert_eq!(
                wait_after(p, *count),
                secs.map(Duration::seconds),
                "{count} failures"
            );
        }
        assert_eq!(
            wait_after(PER_ACCOUNT, 10_000),
            Some(Duration::seconds(30)),
            "the account-wide wait never becomes a lock-out"
        );
    }

    #[test]
    fn a_wait_runs_from_the_last_failure_and_quiet_keys_are_forgotten() {
        let last = datetime!(2026-11-30 10:00 UTC);
        let f = Some(Failures { count: 6, last });
        assert_eq!(
            must_wait(PER_ACCOUNT_AT_ADDRESS, f, last + Duration::seconds(1)),
            Some(Duration::seconds(3))
        );
        assert_eq!(
            must_wait(PER_ACCOUNT_AT_ADDRESS, f, last + Duration::seconds(4)),
            None
        );
        assert_eq!(must_wait(PER_ACCOUNT_AT_ADDRESS, None, last), None);
        assert_eq!(current(f, last + Duration::hours(25)), 0);
        assert_eq!(
            must_wait(
                PER_ACCOUNT_AT_ADDRESS,
                Some(Failures { count: 50, last }),
                last + Duration::hours(25)
            ),
            None
        );
    }

    #[test]
    fn the_keys_separate_address_account_and_both() {
        let k = keys("mudur", "127.0.0.2");
        assert_eq!(k[0].0, "addr:127.0.0.2");
        assert_eq!(k[1].0, "acct:mudur@127.0.0.2");
        assert_eq!(k[2].0, "acct:mudur");
        // Another address shares only the account-wide key, whose ceiling
        // is short: an attacker at .2 cannot lock the Müdür out at .1.
        let other = keys("mudur", "127.0.0.1");
        assert_ne!(k[1].0, other[1].0);
        assert!(PER_ACCOUNT.max_wait_secs <= 30);
    }
}
