//! Turkish text: case conversion, diacritic folding and collation.
//!
//! Rust's `to_lowercase()` maps `I` to `i` and `İ` to `i̇` (i + combining dot),
//! both wrong in Turkish, where `I` ↔ `ı` and `İ` ↔ `i`. Everything in
//! Mudurluk that compares, sorts or folds text goes through this module.

use std::cmp::Ordering;

/// Lowercases one character the Turkish way.
fn lower_char(c: char, out: &mut String) {
    match c {
        'I' => out.push('ı'),
        'İ' => out.push('i'),
        c => out.extend(c.to_lowercase()),
    }
}

/// Uppercases one character the Turkish way.
fn upper_char(c: char, out: &mut String) {
    match c {
        'i' => out.push('İ'),
        'ı' => out.push('I'),
        c => out.extend(c.to_uppercase()),
    }
}

/// Turkish lowercase: `"IŞIK İZMİR"` → `"ışık izmir"`.
pub fn to_lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // A decomposed `İ` (I + U+0307) is the same letter as `İ`.
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == 'I' && chars.peek() == Some(&'\u{307}') {
            chars.next();
            out.push('i');
        } else {
            lower_char(c, &mut out);
        }
    }
    out
}

/// Turkish uppercase: `"ışık izmir"` → `"IŞIK İZMİR"`.
pub fn to_upper(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        upper_char(c, &mut out);
    }
    out
}

/// Turkish title case of each word: `"istanbul ılıca"` → `"İstanbul Ilıca"`.
pub fn to_title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_word_start = true;
    for c in to_lower(s).chars() {
        if at_word_start && c.is_alphabetic() {
            upper_char(c, &mut out);
            at_word_start = false;
        } else {
            out.push(c);
            if !c.is_alphanumeric() && c != '\'' && c != '’' {
                at_word_start = true;
            }
        }
    }
    out
}

/// Conjunctions that stay lowercase inside a name written in initial
/// capitals ("İmar ve Şehircilik Müdürlüğü"): the Yönetmelik (m.16/8)
/// requires the TDK Yazım Kılavuzu, where a conjunction follows the case
/// of the line it stands in.
const LOWER_WORDS: &[&str] = &["ve", "ile", "veya", "ya", "da", "de", "ki"];

/// A name in initial capitals the official way: each word capitalised
/// (Turkish İ/I), conjunctions lowercase unless first, whitespace
/// collapsed: `"İMAR VE ŞEHİRCİLİK MÜDÜRLÜĞÜ"` → `"İmar ve Şehircilik
/// Müdürlüğü"`.
pub fn to_title_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = to_lower(word);
        if i > 0 && LOWER_WORDS.contains(&lower.as_str()) {
            out.push_str(&lower);
        } else {
            out.push_str(&to_title(word));
        }
    }
    out
}

/// Whitespace collapsed to single spaces and trimmed.
pub fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds a Turkish-lowercased character to ASCII for matching.
fn ascii_fold_char(c: char) -> char {
    match c {
        'ç' => 'c',
        'ğ' => 'g',
        'ı' => 'i',
        'ö' => 'o',
        'ş' => 's',
        'ü' => 'u',
        'â' | 'à' | 'á' | 'ä' => 'a',
        'î' | 'ì' | 'í' | 'ï' => 'i',
        'û' | 'ù' | 'ú' => 'u',
        'ô' | 'ò' | 'ó' => 'o',
        'ê' | 'è' | 'é' | 'ë' => 'e',
        c => c,
    }
}

/// Case- and diacritic-insensitive form for matching what people type
/// without Turkish letters: `"ŞİFRE"`, `"şifre"` and `"sifre"` all give
/// `"sifre"`; `"YAZICI"` and `"yazıcı"` give `"yazici"`.
pub fn fold(s: &str) -> String {
    to_lower(s)
        .chars()
        .filter(|c| *c != '\u{307}')
        .map(ascii_fold_char)
        .collect()
}

/// Equality ignoring Turkish case: `eq_ignore_case("IŞIK", "ışık")`.
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    to_lower(a) == to_lower(b)
}

/// Whether `haystack` contains `needle`, ignoring case and diacritics.
pub fn contains_folded(haystack: &str, needle: &str) -> bool {
    fold(haystack).contains(&fold(needle))
}

/// The Turkish alphabet in order; q, w, x follow the usual placement
/// (after p, v, w).
const ALPHABET: &str = "abcçdefgğhıijklmnoöpqrsştuüvwxyz";

/// Primary weight of a lowercased character: letters of the Turkish
/// alphabet sort in Turkish order, accented vowels (â, î, û) sort with their
/// base letter, everything else after letters by code point.
fn primary(c: char) -> (u32, u32) {
    let base = match c {
        'â' => 'a',
        'î' => 'i',
        'û' => 'u',
        c => c,
    };
    if let Some(pos) = ALPHABET.chars().position(|a| a == base) {
        // Digits and punctuation (below 0x80 and not letters) sort first.
        (1, pos as u32)
    } else if c.is_ascii_digit() {
        (0, c as u32)
    } else if c.is_alphabetic() {
        (2, c as u32)
    } else {
        (0, c as u32)
    }
}

/// Compares two strings in Turkish dictionary order: first by letters
/// ignoring case and circumflex, then lowercase before uppercase, then by
/// code point so that the order is total.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (la, lb) = (to_lower(a), to_lower(b));
    let pa = la.chars().map(primary);
    let pb = lb.chars().map(primary);
    pa.cmp(pb)
        .then_with(|| la.cmp(&lb))
        .then_with(|| {
            // Lowercase before uppercase at the first difference.
            for (ca, cb) in a.chars().zip(b.chars()) {
                if ca != cb {
                    return cb.is_lowercase().cmp(&ca.is_lowercase());
                }
            }
            Ordering::Equal
        })
        .then_with(|| a.cmp(b))
}

/// Sorts strings in Turkish order.
pub fn sort<S: AsRef<str>>(items: &mut [S]) {
    items.sort_by(|a, b| compare(a.as_ref(), b.as_ref()));
}

/// A key that sorts bytewise in Turkish order (primary level only), for
/// storing beside a column that the database must order by.
pub fn sort_key(s: &str) -> String {
    to_lower(s)
        .chars()
        .map(|c| {
            let (class, w) = primary(c);
            // Fixed-width base-36-ish encoding keeps the bytewise order.
            char::from_u32(0x4E00 + class * 0x1000 + w.min(0xFFF)).unwrap_or('\u{FFFD}')
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_and_dotless_i() {
        assert_eq!(to_lower("IĞDIR"), "ığdır");
        assert_eq!(to_lower("İSTANBUL"), "istanbul");
        assert_eq!(to_upper("istanbul"), "İSTANBUL");
        assert_eq!(to_upper("ılık"), "ILIK");
        assert_eq!(to_lower("BİLGİ İŞLEM MÜDÜRLÜĞÜ"), "bilgi işlem müdürlüğü");
        assert_eq!(to_upper("bilgi işlem müdürlüğü"), "BİLGİ İŞLEM MÜDÜRLÜĞÜ");
        // Decomposed İ (I + combining dot above) is the same letter.
        assert_eq!(to_lower("I\u{307}ŞLEM"), "işlem");
        // Rust's own lowercase is what we must not use.
        assert_ne!("I".to_lowercase(), to_lower("I"));
    }

    #[test]
    fn title_case() {
        assert_eq!(to_title("istanbul ılıca"), "İstanbul Ilıca");
        assert_eq!(to_title("BİLGİ İŞLEM"), "Bilgi İşlem");
    }

    #[test]
    fn official_names_in_initial_capitals() {
        for (input, expected) in [
            ("BİLGİ İŞLEM MÜDÜRLÜĞÜ", "Bilgi İşlem Müdürlüğü"),
            (
                "imar ve şehircilik müdürlüğü",
                "İmar ve Şehircilik Müdürlüğü",
            ),
            (
                "DESTEK HİZMETLERİ VE SATIN ALMA  MÜDÜRLÜĞÜ",
                "Destek Hizmetleri ve Satın Alma Müdürlüğü",
            ),
            ("ve ile başlayan", "Ve ile Başlayan"),
            ("ıĞDIR iL özel İDARESİ", "Iğdır İl Özel İdaresi"),
            ("  ", ""),
        ] {
            assert_eq!(to_title_name(input), expected, "{input}");
        }
        assert_eq!(collapse_spaces("  a \n b\t c "), "a b c");
    }

    #[test]
    fn folding_matches_what_people_type() {
        assert_eq!(fold("YAZICI"), fold("yazıcı"));
        assert_eq!(fold("Şifre"), "sifre");
        assert_eq!(fold("ŞİFRE"), "sifre");
        assert_eq!(fold("Müdürlüğü"), "mudurlugu");
        assert!(contains_folded("Yazıcı arızası", "YAZICI"));
        assert!(eq_ignore_case("IŞIK", "ışık"));
        assert!(!eq_ignore_case("ISIK", "ışık"));
    }

    #[test]
    fn turkish_alphabetical_order() {
        let mut words = vec![
            "şube", "zabıta", "çevre", "ılıca", "iklim", "ödeme", "ürün", "ulaşım", "ğ", "cadde",
            "sağlık", "gelir", "hukuk", "ok",
        ];
        sort(&mut words);
        assert_eq!(
            words,
            vec![
                "cadde", "çevre", "gelir", "ğ", "hukuk", "ılıca", "iklim", "ok", "ödeme", "sağlık",
                "şube", "ulaşım", "ürün", "zabıta"
            ]
        );
        // Case does not change the letter order: "Çınar" sorts after "Cami".
        assert_eq!(compare("Çınar", "cami"), Ordering::Greater);
        assert_eq!(compare("IRMAK", "inci"), Ordering::Less); // ı before i
        assert_eq!(compare("İnci", "ırmak"), Ordering::Greater);
        // Lowercase first on a tie, and the order is total.
        assert_eq!(compare("ankara", "Ankara"), Ordering::Less);
        assert_eq!(compare("Ankara", "Ankara"), Ordering::Equal);
    }

    #[test]
    fn sort_key_agrees_with_compare_on_primary_order() {
        let mut words = vec![
            "Üsküdar",
            "Ortaköy",
            "Şişli",
            "Çankaya",
            "Iğdır",
            "İzmir",
            "Ödemiş",
            "Bağcılar",
        ];
        sort(&mut words);
        let mut by_key = words.clone();
        by_key.sort_by_key(|w| sort_key(w));
        assert_eq!(words, by_key);
        assert_eq!(words[0], "Bağcılar");
        assert_eq!(words[1], "Çankaya");
    }

    proptest::proptest! {
        #[test]
        fn lower_is_idempotent_and_upper_roundtrips_turkish_letters(s in "[a-zçğıöşüA-ZÇĞİÖŞÜ ]{0,40}") {
            let l = to_lower(&s);
            proptest::prop_assert_eq!(to_lower(&l), l.clone());
            proptest::prop_assert_eq!(to_lower(&to_upper(&l)), l);
        }

        #[test]
        fn compare_is_antisymmetric(a in "\\PC{0,12}", b in "\\PC{0,12}") {
            proptest::prop_assert_eq!(compare(&a, &b), compare(&b, &a).reverse());
        }
    }
}
