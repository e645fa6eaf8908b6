//! What a file really is, from its first bytes: the declared type and the
//! file name are not trusted. Only the document and scan formats the
//! directorate files are recognised.

/// How many leading bytes [`sniff`] wants (fewer is fine for short files).
pub const SNIFF_LEN: usize = 1024;

/// Every content type [`sniff`] answers.
pub const TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/tiff",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "text/plain",
];

/// The content type of a file starting with `head`, or `None` when it is
/// none of the accepted kinds (PDF, PNG, JPEG, TIFF, DOCX, ODT, plain
/// UTF-8 text). `complete` says `head` is the whole file (so a text cut in
/// the middle of a character is not mistaken for binary).
pub fn sniff(head: &[u8], complete: bool) -> Option<&'static str> {
    if head.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if head.starts_with(b"\xFF\xD8\xFF") {
        return Some("image/jpeg");
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return Some("image/tiff");
    }
    if head.starts_with(b"PK\x03\x04") {
        // ODF puts an uncompressed `mimetype` entry first; OOXML has
        // `[Content_Types].xml` and `word/` parts.
        if contains(head, b"mimetypeapplication/vnd.oasis.opendocument.text") {
            return Some("application/vnd.oasis.opendocument.text");
        }
        if contains(head, b"[Content_Types].xml") || contains(head, b"word/") {
            return Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        }
        return None;
    }
    if head.is_empty() || head.contains(&0) {
        return None;
    }
    match std::str::from_utf8(head) {
        Ok(_) => Some("text/plain"),
        // A character cut at the end of the sniffed bytes is still text.
        Err(e) if !complete && e.error_len().is_none() => Some("text/plain"),
        Err(_) => None,
    }
}

/// The pixel size (width, height) an image declares in its header, read
/// without decoding it: an image bomb is refused before anything
/// allocates its pixels. PNG, JPEG and TIFF (its first page); `None` when
/// the header cannot be read.
pub fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let be16 = |b: &[u8], i: usize| -> Option<u32> {
        Some(u32::from(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?])))
    };
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let w = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
        let h = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
        return Some((w, h));
    }
    if bytes.starts_with(b"\xFF\xD8") {
        let mut i = 2;
        while i + 4 <= bytes.len() {
            if bytes[i] != 0xFF {
                return None;
            }
            let marker = bytes[i + 1];
            if marker == 0xFF {
                i += 1;
                continue;
            }
            let len = be16(bytes, i + 2)? as usize;
            // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
                return Some((be16(bytes, i + 7)?, be16(bytes, i + 5)?));
            }
            i += 2 + len;
        }
        return None;
    }
    let little = if bytes.starts_with(b"II*\0") {
        true
    } else if bytes.starts_with(b"MM\0*") {
        false
    } else {
        return None;
    };
    let u16_at = |i: usize| -> Option<u32> {
        let b = [*bytes.get(i)?, *bytes.get(i + 1)?];
        Some(u32::from(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }))
    };
    let u32_at = |i: usize| -> Option<u32> {
        let b: [u8; 4] = bytes.get(i..i + 4)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let ifd = u32_at(4)? as usize;
    let entries = u16_at(ifd)? as usize;
    let (mut w, mut h) = (None, None);
    for e in 0..entries.min(500) {
        let at = ifd + 2 + e * 12;
        let tag = u16_at(at)?;
        let value = match u16_at(at + 2)? {
            3 => u16_at(at + 8)?,
            4 => u32_at(at + 8)?,
            _ => continue,
        };
        match tag {
            256 => w = Some(value),
            257 => h = Some(value),
            _ => {}
        }
    }
    Some((w?, h?))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_documents_by_their_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n...", true), Some("application/pdf"));
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", true),
            Some("image/png")
        );
        assert_eq!(
            sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF", true),
            Some("image/jpeg")
        );
        assert_eq!(sniff(b"II*\0\x08\0\0\0", true), Some("image/tiff"));
        assert_eq!(
            sniff(
                b"PK\x03\x04\x14\0\0\0\0\0mimetypeapplication/vnd.oasis.opendocument.text",
                true
            ),
            Some("application/vnd.oasis.opendocument.text")
        );
        assert_eq!(
            sniff(b"PK\x03\x04\x14\0\x06\0[Content_Types].xml", true),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(
            sniff("Sayın Müdürlüğe, gereğini arz ederim.".as_bytes(), true),
            Some("text/plain")
        );
    }

    #[test]
    fn reads_image_sizes_without_decoding() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(100_000u32.to_be_bytes());
        png.extend(80_000u32.to_be_bytes());
        assert_eq!(image_size(&png), Some((100_000, 80_000)));
        // JPEG: APP0, then SOF0 with height 600 and width 800.
        let jpeg = b"\xFF\xD8\xFF\xE0\x00\x04ab\xFF\xC0\x00\x11\x08\x02\x58\x03\x20\x03";
        assert_eq!(image_size(jpeg), Some((800, 600)));
        // TIFF, little-endian: one IFD with width (SHORT) 640, height (LONG) 480.
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend(2u16.to_le_bytes());
        tiff.extend([0, 1, 3, 0, 1, 0, 0, 0, 0x80, 2, 0, 0]);
        tiff.extend([1, 1, 4, 0, 1, 0, 0, 0, 0xE0, 1, 0, 0]);
        assert_eq!(image_size(&tiff), Some((640, 480)));
        assert_eq!(image_size(b"\x89PNG\r\n\x1a\n"), None, "cut short");
        assert_eq!(image_size(b"%PDF-1.4"), None);
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        assert_eq!(
            sniff(b"MZ\x90\0\x03\0\0\0", true),
            None,
            "a Windows program"
        );
        assert_eq!(
            sniff(b"PK\x03\x04\x14\0\0\0evil.exe", true),
            None,
            "a zip that is not a document"
        );
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0", true), None);
        assert_eq!(sniff(b"", true), None);
        assert_eq!(sniff(&[0xC3], true), None, "not UTF-8");
        assert_eq!(
            sniff(&[b'a', 0xC3], false),
            Some("text/plain"),
            "cut in the middle of ç"
        );
    }
}
