//! The Turkish analysis: case mapping, folding, sorting, word splitting,
//! the OCR-tolerant skeleton and the stem key.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let _ = domain::turkish::to_lower(s);
    let _ = domain::turkish::to_upper(s);
    let _ = domain::turkish::to_title_name(s);
    let folded = domain::turkish::fold(s);
    assert_eq!(domain::turkish::fold(&folded), folded, "folding is idempotent");
    let _ = domain::turkish::sort_key(s);
    for w in domain::analysis::words(s) {
        let sk = domain::analysis::skeleton(w.text);
        let _ = domain::analysis::fuzziness(&sk);
        let _ = domain::analysis::stem_key(w.text);
    }
});
