//! File-type sniffing of uploads (their first bytes decide what they are)
//! and the image size reader.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let head = &data[..data.len().min(domain::filetype::SNIFF_LEN)];
    let _ = domain::filetype::sniff(head, data.len() <= domain::filetype::SNIFF_LEN);
    let _ = domain::filetype::sniff(head, false);
    let _ = domain::filetype::image_size(data);
});
