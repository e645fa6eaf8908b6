//! The input discipline at the boundary and the redirect check: cleaning
//! is idempotent and leaves no control or bidi character; a redirect target
//! is a path of this site.
#![no_main]
use libfuzzer_sys::fuzz_target;
use domain::text::{clean, local_path, Lines};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    for lines in [Lines::One, Lines::Many] {
        if let Ok(out) = clean(s, lines) {
            assert_eq!(clean(&out, lines), Ok(out.clone()));
            assert!(out.chars().all(|c| !domain::text::is_bidi_control(c)));
            assert!(out.chars().all(|c| !c.is_control() || (lines == Lines::Many && (c == '\t' || c == '\n'))));
        }
    }
    if let Some(p) = local_path(s) {
        assert!(p.starts_with('/') && !p.starts_with("//") && !p.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\'));
    }
});
