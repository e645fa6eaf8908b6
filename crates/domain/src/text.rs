//! The one input discipline for text, the same on both engines: what a
//! person may type into a field, decided before anything reaches a
//! database (PostgreSQL refuses a NUL byte that SQLite would store, so the
//! engines would otherwise accept different input).
//!
//! - Text is Unicode-normalised to NFC, so `İ` typed as `I` + combining dot
//!   and `İ` typed precomposed are one name.
//! - NUL and the other C0 and C1 control characters are refused; a field
//!   that allows several lines keeps tab and newline (a browser's `\r\n`
//!   becomes `\n`).
//! - Bidi overrides and isolates (U+202A–202E, U+2066–2069), which make a
//!   subject read differently from what it is, are refused everywhere;
//!   zero-width characters and other invisible formatting are refused in a
//!   one-line field (identifiers, names, subjects).
//! - A text made only of invisible characters and spaces counts as empty.

use unicode_normalization::UnicodeNormalization;

use crate::code::Code;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line: an identifier, a name, a subject.
    One,
    /// Several lines: a letter's body, a note.
    Many,
}

/// Why a text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// NUL or another control character.
    Control,
    /// A bidi override or isolate.
    Bidi,
    /// A zero-width or other invisible character in a one-line field.
    Invisible,
}

impl Refusal {
    pub fn code(self) -> Code {
        match self {
            Refusal::Control => Code::ControlCharacter,
            Refusal::Bidi => Code::BidiCharacter,
            Refusal::Invisible => Code::InvisibleCharacter,
        }
    }
}

/// Bidi embedding, override and isolate controls.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room and show nothing: zero-width space and
/// joiners, word joiner, the byte-order mark, marks of direction, soft
/// hyphen, and the other invisible operators.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{206A}'..='\u{206F}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// Only control characters: NUL, C0 and DEL, C1.
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// Whether the character is allowed at all in any text that reaches us
/// (the check at the HTTP boundary, for every string of every request).
pub fn allowed_anywhere(c: char) -> bool {
    !is_control(c) || matches!(c, '\t' | '\n' | '\r')
}

/// The first character of `s` no request may carry, if any.
pub fn first_forbidden(s: &str) -> Option<Refusal> {
    s.chars()
        .find(|c| !allowed_anywhere(*c))
        .map(|_| Refusal::Control)
}

/// NFC, with `\r\n` and lone `\r` as `\n`.
pub fn normalise(s: &str) -> String {
    let s: String = if s.is_ascii() {
        s.to_owned()
    } else {
        s.nfc().collect()
    };
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s
    }
}

/// Whether a text shows nothing: only spaces and invisible characters.
pub fn is_blank(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || is_invisible(c) || is_bidi_control(c))
}

/// A field's text, normalised and checked; trimmed. An invisible-only text
/// comes back empty.
pub fn clean(s: &str, lines: Lines) -> Result<String, Refusal> {
    let s = normalise(s);
    for c in s.chars() {
        if is_bidi_control(c) {
            return Err(Refusal::Bidi);
        }
        let control_ok = lines == Lines::Many && matches!(c, '\t' | '\n');
        if is_control(c) && !control_ok {
            return Err(Refusal::Control);
        }
    }
    if is_blank(&s) {
        return Ok(String::new());
    }
    if lines == Lines::One && s.chars().any(is_invisible) {
        return Err(Refusal::Invisible);
    }
    Ok(s.trim().to_owned())
}

/// A redirect target the user gave (`?next=`), if it is a path of this
/// site: it starts with one `/`, and holds no backslash, no control
/// character and no space of any kind (a browser drops tabs and newlines,
/// so `/\t/evil.com` would become `//evil.com`, another site).
pub fn local_path(next: &str) -> Option<&str> {
    let mut chars = next.chars();
    let ok = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/') | Some('\\'))
        && next.chars().all(|c| {
            !c.is_control()
                && !c.is_whitespace()
                && c != '\\'
                && !is_invisible(c)
                && !is_bidi_control(c)
        });
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_redirect_targets() {
        let table: &[(&str, bool)] = &[
            ("/", true),
            ("/gelen?sayfa=2", true),
            ("/arama?q=%C3%A7", true),
            ("//evil.com", false),
            ("/\t/evil.com", false),
            ("/\n/evil.com", false),
            ("/\r//evil.com", false),
            ("/\\evil.com", false),
            ("\\/evil.com", false),
            ("/ /evil.com", false),
            ("https://evil.com", false),
            ("evil.com", false),
            ("", false),
            ("/\u{200B}/evil.com", false),
            ("/%09/evil.com", true),
        ];
        for (next, ok) in table {
            assert_eq!(local_path(next).is_some(), *ok, "{next:?}");
        }
    }

    #[test]
    fn the_discipline_as_a_table() {
        use Lines::*;
        let cases: &[(&str, Lines, Result<&str, Refusal>)] = &[
            ("  Yazı konusu ", One, Ok("Yazı konusu")),
            // I + combining dot above is İ (NFC).
            ("I\u{0307}STANBUL", One, Ok("İSTANBUL")),
            ("mu\u{0}dur", One, Err(Refusal::Control)),
            ("mu\u{0}dur", Many, Err(Refusal::Control)),
            ("a\u{7}b", One, Err(Refusal::Control)),
            ("a\u{85}b", Many, Err(Refusal::Control)),
            ("a\u{9b}b", One, Err(Refusal::Control)),
            ("a\u{7f}b", One, Err(Refusal::Control)),
            ("satır\tsekme", One, Err(Refusal::Control)),
            ("bir\nsatır", One, Err(Refusal::Control)),
            ("bir\r\n\r\niki", Many, Ok("bir\n\niki")),
            ("sekme\tiçinde", Many, Ok("sekme\tiçinde")),
            ("fatura\u{202E}fdp.exe", One, Err(Refusal::Bidi)),
            ("fatura\u{2067}x", Many, Err(Refusal::Bidi)),
            ("ad\u{200B}soyad", One, Err(Refusal::Invisible)),
            ("\u{200B}\u{200C}\u{FEFF}", One, Ok("")),
            ("  \u{200D} \u{2060} ", Many, Ok("")),
            ("\u{202E}", One, Err(Refusal::Bidi)),
        ];
        for (input, lines, want) in cases {
            assert_eq!(
                clean(input, *lines).as_deref().map_err(|e| *e),
                *want,
                "{input:?} {lines:?}"
            );
        }
    }

    #[test]
    fn the_boundary_refuses_only_controls() {
        assert_eq!(first_forbidden("mu\u{0}dur"), Some(Refusal::Control));
        assert_eq!(first_forbidden("satır\r\nsatır\tsekme"), None);
        assert_eq!(
            first_forbidden("fatura\u{202E}"),
            None,
            "bidi is the field's concern, not the boundary's"
        );
    }

    proptest::proptest! {
        /// Whatever comes in, what comes out is NFC, free of controls
        /// other than tab and newline, and stable when cleaned again.
        #[test]
        fn clean_is_idempotent(s in "\\PC*|[\\x00-\\x20\\u{200B}-\\u{202E}a-zİıŞşĞğ]*", many in proptest::bool::ANY) {
            let lines = if many { Lines::Many } else { Lines::One };
            if let Ok(out) = clean(&s, lines) {
                proptest::prop_assert_eq!(clean(&out, lines), Ok(out.clone()));
                proptest::prop_assert!(out.chars().all(|c| !is_control(c) || (many && matches!(c, '\t' | '\n'))));
                proptest::prop_assert!(out.chars().all(|c| !is_bidi_control(c)));
            }
        }
    }
}
