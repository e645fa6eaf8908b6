//! The audit trail's hash chain (iz kayıt, m.8/28, m.11). Each record
//! carries the hash of the record before it and its own hash over its
//! content and that link, so an edited, deleted or reordered record breaks
//! the chain at a place [`check_chain`] names.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// The `prev_hash` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An instant as the chain hashes it. Both engines keep microseconds, so
/// instants are truncated to microseconds before they are stored.
pub fn chain_instant(at: OffsetDateTime) -> OffsetDateTime {
    let micros = at.nanosecond() / 1_000 * 1_000;
    at.replace_nanosecond(micros)
        .unwrap_or(at)
        .to_offset(time::UtcOffset::UTC)
}

/// The content of a record as the chain hashes it.
pub struct ChainedContent<'a> {
    pub at: OffsetDateTime,
    pub actor: Option<&'a str>,
    pub action: &'a str,
    pub subject: &'a str,
    pub basis: &'a str,
    pub details: &'a serde_json::Value,
}

/// SHA-256 over the record's fields, each length-prefixed so that no two
/// different records can run together into the same bytes, and the previous
/// record's hash.
pub fn record_hash(prev_hash: &str, c: &ChainedContent<'_>) -> String {
    let at = chain_instant(c.at);
    let fields: [&str; 7] = [
        prev_hash,
        &format!("{}.{:06}", at.unix_timestamp(), at.nanosecond() / 1_000),
        c.actor.unwrap_or("\u{0}"),
        c.action,
        c.subject,
        c.basis,
        // Keys sorted: the same JSON gives the same text whichever engine
        // stored it (JSONB reorders keys).
        &canonical_json(c.details),
    ];
    let mut h = Sha256::new();
    for f in fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    hex::encode(h.finalize())
}

/// JSON text with object keys sorted at every level, independent of how
/// the map type orders them.
pub fn canonical_json(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical_json(&m[k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical_json).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// Where a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    pub id: i64,
    pub reason: &'static str,
}

/// Walks records in id order: `(id, prev_hash, hash, content)`. Returns
/// how many were checked, or the first bad record.
pub struct ChainChecker {
    expected_prev: String,
    pub checked: u64,
}

impl Default for ChainChecker {
    fn default() -> Self {
        Self {
            expected_prev: GENESIS.to_owned(),
            checked: 0,
        }
    }
}

impl ChainChecker {
    pub fn next(
        &mut self,
        id: i64,
        prev_hash: &str,
        hash: &str,
        c: &ChainedContent<'_>,
    ) -> Result<(), ChainBreak> {
        if prev_hash != self.expected_prev {
            return Err(ChainBreak {
                id,
                reason:
                    "does not follow the record before it (a record was deleted, inserted or moved)",
            });
        }
        if record_hash(prev_hash, c) != hash {
            return Err(ChainBreak {
                id,
                reason: "its content does not match its hash (it was edited)",
            });
        }
        self.expected_prev = hash.to_owned();
        self.checked += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn content<'a>(details: &'a serde_json::Value, action: &'a str) -> ChainedContent<'a> {
        ChainedContent {
            at: datetime!(2026-11-28 09:15:00.123456789 UTC),
            actor: Some("mudur"),
            action,
            subject: "evrak:1",
            basis: "m.20/1",
            details,
        }
    }

    #[test]
    fn hashes_depend_on_every_field_and_the_link() {
        let d = serde_json::json!({"b": 1, "a": "İ"});
        let base = record_hash(GENESIS, &content(&d, "route"));
        assert_eq!(base.len(), 64);
        assert_ne!(base, record_hash(&"1".repeat(64), &content(&d, "route")));
        assert_ne!(base, record_hash(GENESIS, &content(&d, "routf")));
        let d2 = serde_json::json!({"a": "İ", "b": 2});
        assert_ne!(base, record_hash(GENESIS, &content(&d2, "route")));
        // Key order does not matter; microsecond truncation does not either.
        let same = serde_json::json!({"a": "İ", "b": 1});
        assert_eq!(base, record_hash(GENESIS, &content(&same, "route")));
        let mut c = content(&d, "route");
        c.at = datetime!(2026-11-28 09:15:00.123456 UTC);
        assert_eq!(base, record_hash(GENESIS, &c));
        // Fields cannot run into each other.
        let mut a = content(&d, "ab");
        a.subject = "c";
        let mut b = content(&d, "a");
        b.subject = "bc";
        assert_ne!(record_hash(GENESIS, &a), record_hash(GENESIS, &b));
    }

    #[test]
    fn the_checker_names_the_first_bad_record() {
        let d = serde_json::json!({});
        let h1 = record_hash(GENESIS, &content(&d, "a"));
        let h2 = record_hash(&h1, &content(&d, "b"));
        let mut ok = ChainChecker::default();
        ok.next(1, GENESIS, &h1, &content(&d, "a")).unwrap();
        ok.next(2, &h1, &h2, &content(&d, "b")).unwrap();
        assert_eq!(ok.checked, 2);

        let mut edited = ChainChecker::default();
        assert_eq!(
            edited
                .next(1, GENESIS, &h1, &content(&d, "x"))
                .unwrap_err()
                .id,
            1
        );
        let mut deleted = ChainChecker::default();
        assert_eq!(
            deleted.next(2, &h1, &h2, &content(&d, "b")).unwrap_err().id,
            2
        );
    }
}
