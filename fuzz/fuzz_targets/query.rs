//! The search box's query reader and the snippet maker: any text a user
//! types must parse and highlight without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let (q, text) = s.split_once('\u{1}').unwrap_or((s, s));
    let clauses = domain::analysis::parse_query(q);
    let parts = domain::analysis::snippet(text, &clauses, 200);
    for (p, _) in &parts {
        assert!(p.chars().count() <= text.chars().count() + 2, "a snippet is cut from the text");
    }
});
