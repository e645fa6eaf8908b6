//! What a file really is, from its first bytes: the declared type and the
//! file name are not trusted. Only the document and scan formats the
//! directorate files are recognised.

/// How many leading bytes [`sniff`] wants (fewer is fine for short files).
pub const SNIFF_LEN: usize = 1024;

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

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_documents_by_their_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n...", true), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", true), Some("image/png"));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF", true), Some("image/jpeg"));
        assert_eq!(sniff(b"II*\0\x08\0\0\0", true), Some("image/tiff"));
        assert_eq!(sniff(b"PK\x03\x04\x14\0\0\0\0\0mimetypeapplication/vnd.oasis.opendocument.text", true),
            Some("application/vnd.oasis.opendocument.text"));
        assert_eq!(sniff(b"PK\x03\x04\x14\0\x06\0[Content_Types].xml", true),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
        assert_eq!(sniff("Sayın Müdürlüğe, gereğini arz ederim.".as_bytes(), true), Some("text/plain"));
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0", true), None, "a Windows program");
        assert_eq!(sniff(b"PK\x03\x04\x14\0\0\0evil.exe", true), None, "a zip that is not a document");
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0", true), None);
        assert_eq!(sniff(b"", true), None);
        assert_eq!(sniff(&[0xC3], true), None, "not UTF-8");
        assert_eq!(sniff(&[b'a', 0xC3], false), Some("text/plain"), "cut in the middle of ç");
    }
}
