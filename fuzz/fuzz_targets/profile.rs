//! The regulation profile loader: any file given with --profile is either
//! a profile or a clear error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let _ = domain::profile::Profile::from_toml(s);
});
