//! The addressee line (muhatap) of an official letter.
//!
//! Resmî Yazışmalarda Uygulanacak Usul ve Esaslar Hakkında Yönetmelik
//! (RG 10.06.2020, 31151), m.14:
//! - m.14/1: the muhatap is written two lines below the Konu, centred;
//! - m.14/2: an administration or a private legal person is written in
//!   capitals with the dative suffix (yönelme hâli eki): "ANKARA
//!   VALİLİĞİNE";
//! - further in m.14 (paragraph numbers could not be confirmed): a real
//!   person is written "Sayın", the first name in initial capitals and
//!   the SURNAME in capitals, with no suffix; a letter to several
//!   addressees is addressed "DAĞITIM YERLERİNE"; the unit of an
//!   administration may follow on the next line, in parentheses and in
//!   initial capitals, without a suffix.
//!
//! The Presidency's guide to the Yönetmelik (Kılavuz 11.4, as quoted by
//! public rule lists) adds: no "T.C." in the muhatap, no abbreviations of
//! administrations. Kurum names take their suffix without an apostrophe
//! (TDK: "Türkiye Büyük Millet Meclisine").
//!
//! Turkish morphology is regular but not fully predictable from spelling
//! (loanwords, acronyms), so this module only *suggests*: the writer sees
//! the line and may correct it. [`Muhatap::rule`] says which rule made it.

use crate::turkish::{collapse_spaces, to_lower, to_title_name, to_upper};

/// Which rule produced the line, for the page to show ("öneri").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MuhatapRule {
    /// The name already ended in a dative; left as written (in capitals).
    AlreadyDative,
    /// A compound with a possessive (…LIĞI, …Sİ): buffer `n`, then the
    /// dative ("MÜDÜRLÜĞÜNE").
    Possessive,
    /// A stem ending in a vowel: buffer `y` ("BELEDİYEYE").
    VowelStem,
    /// A stem ending in a consonant, softened where Turkish softens it
    /// ("KAYMAKAMLIĞA").
    ConsonantStem,
    /// An acronym or abbreviation: apostrophe and the suffix as it is read
    /// aloud ("SGK'YA", "A.Ş.'YE").
    Abbreviation,
    /// A real person: "Sayın Ad SOYAD", no suffix.
    Person,
    /// Several addressees: "DAĞITIM YERLERİNE".
    Distribution,
}

/// A suggested muhatap: its lines (the second, if any, is the unit in
/// parentheses) and the rule that made the first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Muhatap {
    pub lines: Vec<String>,
    pub rule: MuhatapRule,
}

impl Muhatap {
    /// The first line.
    pub fn line(&self) -> &str {
        self.lines.first().map(String::as_str).unwrap_or("")
    }
}

/// Why no muhatap could be suggested; `code()` is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MuhatapError {
    #[error("the addressee's name is empty")]
    Required,
    #[error("the addressee's name is too long")]
    TooLong,
    #[error("the addressee's name has no letters")]
    NoLetters,
}

impl MuhatapError {
    pub fn code(self) -> &'static str {
        match self {
            MuhatapError::Required => "muhatap_required",
            MuhatapError::TooLong => "muhatap_too_long",
            MuhatapError::NoLetters => "muhatap_no_letters",
        }
    }
}

/// Longest name accepted (DETSİS names are far shorter).
const MAX_CHARS: usize = 300;

/// The fixed muhatap of a letter to several addressees (m.14).
pub const DISTRIBUTION: &str = "DAĞITIM YERLERİNE";

/// Removes a leading "T.C." (in any of its usual spellings), repeatedly:
/// the muhatap never carries it (Kılavuz 11.4). "Türkiye Cumhuriyeti" is
/// kept: it is part of names such as "Türkiye Cumhuriyet Merkez Bankası".
pub(crate) fn strip_tc(s: &str) -> &str {
    let mut s = s.trim_start();
    'again: loop {
        for p in ["T.C.", "T. C.", "T.C", "TC"] {
            let Some(head) = s.get(..p.len()) else {
                continue;
            };
            if !head.eq_ignore_ascii_case(p) {
                continue;
            }
            let rest = &s[p.len()..];
            // "TC" and "T.C" only as a word of their own ("TCDD" stays).
            if p.ends_with('.') || rest.is_empty() || rest.starts_with(char::is_whitespace) {
                s = rest.trim_start();
                continue 'again;
            }
        }
        return s;
    }
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'A' | 'E' | 'I' | 'İ' | 'O' | 'Ö' | 'U' | 'Ü' | 'Â' | 'Î' | 'Û'
    )
}

fn is_high_vowel(c: char) -> bool {
    matches!(c, 'I' | 'İ' | 'U' | 'Ü' | 'Î' | 'Û')
}

fn is_front(c: char) -> bool {
    matches!(c, 'E' | 'İ' | 'Ö' | 'Ü' | 'Î')
}

/// Loanwords whose suffixes are front although their last vowel is back
/// ("KONTROLE", "SAATE").
const FRONT_EXCEPTIONS: &[&str] = &[
    "KONTROL",
    "PROTOKOL",
    "PETROL",
    "SAAT",
    "KABUL",
    "USUL",
    "İSTİKLAL",
    "HAL",
    "KALP",
    "HARP",
    "İDRAK",
    "SOSYAL",
];

/// The dative vowel of an uppercase word: `A` after a back last vowel,
/// `E` after a front one.
fn dative_vowel(word: &str) -> char {
    if FRONT_EXCEPTIONS.contains(&word) {
        return 'E';
    }
    match word.chars().rev().find(|c| is_vowel(*c)) {
        Some(v) if is_front(v) => 'E',
        Some(_) => 'A',
        // No vowel at all: read as letters, handled by the caller.
        None => 'E',
    }
}

/// Words that look like a dative but are not ("HAZİNE", "MAKİNE").
const NOMINATIVE_LOOKALIKES: &[&str] = &[
    "HAZİNE", "MAKİNE", "MAKİNA", "MEDİNE", "ÇİNE", "DEFİNE", "SİNE", "DOĞA", "AĞA", "YOĞA", "ÜYE",
];

/// Consonant-final nouns that are common muhatap heads, so that
/// "İLGİLİ MAKAMA" is recognised as already in the dative.
const CONSONANT_HEADS: &[&str] = &[
    "MAKAM",
    "KURUL",
    "MERKEZ",
    "ENCÜMEN",
    "MÜDÜR",
    "BAŞKAN",
    "KURUM",
    "DİVAN",
    "MECLİS",
    "KOMİSYON",
    "KOMUTAN",
    "HAKİM",
    "HÂKİM",
    "VALİ",
];

/// Whether an uppercase word already ends in the dative.
fn is_dative(word: &str) -> bool {
    if NOMINATIVE_LOOKALIKES.contains(&word) {
        return false;
    }
    let c: Vec<char> = word.chars().collect();
    let n = c.len();
    if n < 3 {
        return false;
    }
    let last = c[n - 1];
    if last != 'A' && last != 'E' {
        return false;
    }
    let stem: String = c[..n - 1].iter().collect();
    let harmonic = |stem: &str| dative_vowel(stem) == last;
    // …LIĞINA, …SİNE: possessive + buffer n + dative.
    if n >= 4 && c[n - 2] == 'N' && is_high_vowel(c[n - 3]) {
        let before: String = c[..n - 2].iter().collect();
        return harmonic(&before);
    }
    // BELEDİYEYE, BANKAYA: vowel stem + buffer y + dative (a stem ending in
    // -İYE/-IYA such as BELEDİYE itself is *not* a dative).
    if n >= 4 && c[n - 2] == 'Y' && is_vowel(c[n - 3]) && !matches!(c[n - 3], 'I' | 'İ') {
        let before: String = c[..n - 2].iter().collect();
        return harmonic(&before);
    }
    // KAYMAKAMLIĞA, BİRLİĞE: a softened k + dative.
    if c[n - 2] == 'Ğ' && is_vowel(c[n - 3]) {
        return harmonic(&stem);
    }
    // MAKAMLARA, YERLERE: plural + dative.
    if word.ends_with("LARA") || word.ends_with("LERE") {
        return true;
    }
    // İLGİLİ MAKAMA, ENCÜMENE.
    CONSONANT_HEADS.iter().any(|h| *h == stem) && harmonic(&stem)
}

/// The Turkish name of a letter as read in an acronym ("K" is "ka").
fn letter_reading_is_back(c: char) -> bool {
    matches!(c, 'K' | 'A' | 'I' | 'O' | 'U')
}

/// Dative of an acronym read letter by letter ("SGK" → "SGK'YA",
/// "TBMM" → "TBMM'YE") or as a word ("TÜBİTAK" → "TÜBİTAK'A").
fn acronym_dative(token: &str) -> String {
    let letters: Vec<char> = token.chars().filter(|c| c.is_alphabetic()).collect();
    let Some(&last) = letters.last() else {
        return format!("{token}'E");
    };
    let vowels = letters.iter().filter(|c| is_vowel(**c)).count();
    let two_final_consonants =
        letters.len() >= 2 && !is_vowel(last) && !is_vowel(letters[letters.len() - 2]);
    let spelled = vowels == 0 || two_final_consonants;
    let suffix = if spelled {
        // Every letter's name ends in a vowel: buffer y.
        if letter_reading_is_back(last) {
            "YA"
        } else {
            "YE"
        }
    } else if is_vowel(last) {
        if dative_vowel(&letters.iter().collect::<String>()) == 'A' {
            "YA"
        } else {
            "YE"
        }
    } else if dative_vowel(&letters.iter().collect::<String>()) == 'A' {
        "A"
    } else {
        "E"
    };
    format!("{token}'{suffix}")
}

/// Dative of an abbreviation ending in a full stop: "A.Ş." is read
/// "a-şe" → "A.Ş.'YE"; "ŞTİ." is read "şirketi" → "ŞTİ.'NE"; any other is
/// read letter by letter.
fn abbreviation_dative(token: &str) -> String {
    match token {
        "ŞTİ." => format!("{token}'NE"),
        _ => {
            let last = token.chars().rev().find(|c| c.is_alphabetic());
            match last {
                Some(c) if letter_reading_is_back(c) => format!("{token}'YA"),
                _ => format!("{token}'YE"),
            }
        }
    }
}

/// Softens a final k after a vowel in a word of two or more syllables
/// ("KAYMAKAMLIK" → "KAYMAKAMLIĞ", "DERNEK" → "DERNEĞ").
fn soften(word: &str) -> String {
    let c: Vec<char> = word.chars().collect();
    let vowels = c.iter().filter(|ch| is_vowel(**ch)).count();
    match c.as_slice() {
        [.., v, 'K'] if is_vowel(*v) && vowels >= 2 => {
            let mut s: String = c[..c.len() - 1].iter().collect();
            s.push('Ğ');
            s
        }
        _ => word.to_owned(),
    }
}

/// Adds the dative to one uppercase word, returning it and the rule.
fn dative_word(word: &str) -> (String, MuhatapRule) {
    if is_dative(word) {
        return (word.to_owned(), MuhatapRule::AlreadyDative);
    }
    let Some(last) = word.chars().last() else {
        return (word.to_owned(), MuhatapRule::AlreadyDative);
    };
    let v = dative_vowel(word);
    if is_vowel(last) {
        if is_high_vowel(last) {
            (format!("{word}N{v}"), MuhatapRule::Possessive)
        } else {
            (format!("{word}Y{v}"), MuhatapRule::VowelStem)
        }
    } else {
        (format!("{}{v}", soften(word)), MuhatapRule::ConsonantStem)
    }
}

/// Whether `original` (as typed) is an acronym: two to seven letters, all
/// capitals, in a name not typed all in capitals (or with no vowel at
/// all, "SGK"); a long capitalised word with a possessive ending
/// ("MECLİSİ") is a word typed in capitals, not an acronym. A name typed
/// all in capitals is an acronym only if it is one short word.
fn is_acronym(original: &str, whole_input_upper: bool, single_token: bool) -> bool {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if !(2..=7).contains(&letters.len()) || !original.chars().all(char::is_alphabetic) {
        return false;
    }
    if !letters.iter().all(|c| c.is_uppercase()) {
        return false;
    }
    let upper = to_upper(original);
    if !upper.chars().any(is_vowel) {
        return true;
    }
    let possessive = ["SI", "Sİ", "SU", "SÜ", "ĞI", "Ğİ", "ĞU", "ĞÜ"]
        .iter()
        .any(|e| upper.ends_with(e));
    if whole_input_upper {
        // Typed all in capitals: only a short name standing alone ("DSİ").
        return single_token && letters.len() <= 5 && !is_dative(&upper);
    }
    !(is_dative(&upper) || letters.len() >= 5 && possessive)
}

/// Suggests the muhatap line for an administration or a company
/// (m.14/2): capitals, dative on the last word.
pub fn institution(name: &str) -> Result<Muhatap, MuhatapError> {
    let name = collapse_spaces(strip_tc(name));
    if name.is_empty() {
        return Err(MuhatapError::Required);
    }
    if name.chars().count() > MAX_CHARS {
        return Err(MuhatapError::TooLong);
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err(MuhatapError::NoLetters);
    }
    let whole_upper = !name.chars().any(char::is_lowercase);
    let (head, last) = match name.rsplit_once(' ') {
        Some((h, l)) => (Some(h), l),
        None => (None, name.as_str()),
    };
    let last_upper = to_upper(last);
    let (word, rule) = if last_upper.ends_with('.') && last_upper.chars().any(char::is_alphabetic) {
        (abbreviation_dative(&last_upper), MuhatapRule::Abbreviation)
    } else if is_acronym(last, whole_upper, head.is_none()) {
        (acronym_dative(&last_upper), MuhatapRule::Abbreviation)
    } else if last_upper.chars().all(char::is_alphabetic) {
        dative_word(&last_upper)
    } else {
        // Digits or signs at the end ("…NO: 5"): add nothing; the writer
        // completes it.
        (last_upper.clone(), MuhatapRule::AlreadyDative)
    };
    let line = match head {
        Some(h) => format!("{} {word}", to_upper(h)),
        None => word,
    };
    Ok(Muhatap {
        lines: vec![line],
        rule,
    })
}

/// The same, with the unit of that administration on the next line in
/// parentheses, initial capitals, no suffix (m.14).
pub fn institution_with_unit(name: &str, unit: &str) -> Result<Muhatap, MuhatapError> {
    let mut m = institution(name)?;
    let unit = to_title_name(unit.trim().trim_start_matches('(').trim_end_matches(')'));
    if !unit.is_empty() {
        m.lines.push(format!("({unit})"));
    }
    Ok(m)
}

/// A real person's name: first name(s) and surname.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonName {
    pub given: String,
    pub surname: String,
}

impl PersonName {
    /// Splits a full name at its last space: "Ayşe Nur Işık" → given
    /// "Ayşe Nur", surname "Işık". A name of one word is a surname. A
    /// leading "Sayın" is dropped. The writer can correct the split.
    pub fn from_full(full: &str) -> PersonName {
        let full = collapse_spaces(full);
        let full = match full.split_once(' ') {
            Some((first, rest)) if to_lower(first) == "sayın" => rest.to_owned(),
            _ => full,
        };
        match full.rsplit_once(' ') {
            Some((g, s)) => PersonName {
                given: g.to_owned(),
                surname: s.to_owned(),
            },
            None => PersonName {
                given: String::new(),
                surname: full,
            },
        }
    }

    /// "Ad SOYAD": the given names in initial capitals, the surname in
    /// capitals (m.14 for the muhatap, m.17/2 for the signature).
    pub fn formatted(&self) -> String {
        let given = to_title_name(&self.given);
        let surname = to_upper(&collapse_spaces(&self.surname));
        match (given.is_empty(), surname.is_empty()) {
            (true, _) => surname,
            (_, true) => given,
            _ => format!("{given} {surname}"),
        }
    }
}

/// "Sayın Ad SOYAD", with no suffix (m.14).
pub fn person(name: &PersonName) -> Result<Muhatap, MuhatapError> {
    let formatted = name.formatted();
    if formatted.is_empty() {
        return Err(MuhatapError::Required);
    }
    if formatted.chars().count() > MAX_CHARS {
        return Err(MuhatapError::TooLong);
    }
    if !formatted.chars().any(char::is_alphabetic) {
        return Err(MuhatapError::NoLetters);
    }
    Ok(Muhatap {
        lines: vec![format!("Sayın {formatted}")],
        rule: MuhatapRule::Person,
    })
}

/// "DAĞITIM YERLERİNE" (m.14).
pub fn distribution() -> Muhatap {
    Muhatap {
        lines: vec![DISTRIBUTION.to_owned()],
        rule: MuhatapRule::Distribution,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real names as DETSİS and the courts write them, with the muhatap
    /// the Yönetmelik m.14/2 asks for (capitals and the dative).
    #[test]
    fn institutions_take_the_dative_in_capitals() {
        use MuhatapRule::*;
        let cases: &[(&str, &str, MuhatapRule)] = &[
            // The issue's own examples.
            ("Fen İşleri Müdürlüğü", "FEN İŞLERİ MÜDÜRLÜĞÜNE", Possessive),
            (
                "Tapu ve Kadastro Genel Müdürlüğü",
                "TAPU VE KADASTRO GENEL MÜDÜRLÜĞÜNE",
                Possessive,
            ),
            ("Ankara Valiliği", "ANKARA VALİLİĞİNE", Possessive),
            ("Sağlık Bakanlığı", "SAĞLIK BAKANLIĞINA", Possessive),
            (
                "Türkiye Büyük Millet Meclisi",
                "TÜRKİYE BÜYÜK MİLLET MECLİSİNE",
                Possessive,
            ),
            ("Kaymakamlık", "KAYMAKAMLIĞA", ConsonantStem),
            (
                "Küçükçekmece Kaymakamlığı",
                "KÜÇÜKÇEKMECE KAYMAKAMLIĞINA",
                Possessive,
            ),
            (
                "Büyükçekmece Kaymakamlığı",
                "BÜYÜKÇEKMECE KAYMAKAMLIĞINA",
                Possessive,
            ),
            ("Belediye", "BELEDİYEYE", VowelStem),
            // Ministries.
            ("İçişleri Bakanlığı", "İÇİŞLERİ BAKANLIĞINA", Possessive),
            (
                "Hazine ve Maliye Bakanlığı",
                "HAZİNE VE MALİYE BAKANLIĞINA",
                Possessive,
            ),
            (
                "Çevre, Şehircilik ve İklim Değişikliği Bakanlığı",
                "ÇEVRE, ŞEHİRCİLİK VE İKLİM DEĞİŞİKLİĞİ BAKANLIĞINA",
                Possessive,
            ),
            (
                "Kültür ve Turizm Bakanlığı",
                "KÜLTÜR VE TURİZM BAKANLIĞINA",
                Possessive,
            ),
            // Governorships and district governorships (dotless ı kept).
            ("Iğdır Valiliği", "IĞDIR VALİLİĞİNE", Possessive),
            ("İstanbul Valiliği", "İSTANBUL VALİLİĞİNE", Possessive),
            ("Kadıköy Kaymakamlığı", "KADIKÖY KAYMAKAMLIĞINA", Possessive),
            // Directorates, presidencies, agencies.
            (
                "İl Milli Eğitim Müdürlüğü",
                "İL MİLLİ EĞİTİM MÜDÜRLÜĞÜNE",
                Possessive,
            ),
            (
                "Emniyet Genel Müdürlüğü",
                "EMNİYET GENEL MÜDÜRLÜĞÜNE",
                Possessive,
            ),
            (
                "Devlet Arşivleri Başkanlığı",
                "DEVLET ARŞİVLERİ BAŞKANLIĞINA",
                Possessive,
            ),
            (
                "Cumhurbaşkanlığı İdari İşler Başkanlığı",
                "CUMHURBAŞKANLIĞI İDARİ İŞLER BAŞKANLIĞINA",
                Possessive,
            ),
            (
                "Jandarma Genel Komutanlığı",
                "JANDARMA GENEL KOMUTANLIĞINA",
                Possessive,
            ),
            (
                "Sosyal Güvenlik Kurumu",
                "SOSYAL GÜVENLİK KURUMUNA",
                Possessive,
            ),
            (
                "Türkiye İstatistik Kurumu",
                "TÜRKİYE İSTATİSTİK KURUMUNA",
                Possessive,
            ),
            // Municipalities.
            (
                "İstanbul Büyükşehir Belediye Başkanlığı",
                "İSTANBUL BÜYÜKŞEHİR BELEDİYE BAŞKANLIĞINA",
                Possessive,
            ),
            (
                "Küçükçekmece Belediyesi",
                "KÜÇÜKÇEKMECE BELEDİYESİNE",
                Possessive,
            ),
            ("Belediye Meclisi", "BELEDİYE MECLİSİNE", Possessive),
            ("Encümen", "ENCÜMENE", ConsonantStem),
            (
                "Kızılay Mahallesi Muhtarlığı",
                "KIZILAY MAHALLESİ MUHTARLIĞINA",
                Possessive,
            ),
            ("Muhtarlık", "MUHTARLIĞA", ConsonantStem),
            (
                "Türkiye Belediyeler Birliği",
                "TÜRKİYE BELEDİYELER BİRLİĞİNE",
                Possessive,
            ),
            // Banks and companies.
            (
                "Türkiye Cumhuriyet Merkez Bankası",
                "TÜRKİYE CUMHURİYET MERKEZ BANKASINA",
                Possessive,
            ),
            (
                "Ziraat Bankası Kızılay Şubesi",
                "ZİRAAT BANKASI KIZILAY ŞUBESİNE",
                Possessive,
            ),
            (
                "Türkiye İş Bankası A.Ş.",
                "TÜRKİYE İŞ BANKASI A.Ş.'YE",
                Abbreviation,
            ),
            ("İller Bankası A.Ş.", "İLLER BANKASI A.Ş.'YE", Abbreviation),
            (
                "Örnek Yazılım Ltd. Şti.",
                "ÖRNEK YAZILIM LTD. ŞTİ.'NE",
                Abbreviation,
            ),
            ("Ankara Ticaret Odası", "ANKARA TİCARET ODASINA", Possessive),
            // Universities.
            (
                "Ankara Üniversitesi Rektörlüğü",
                "ANKARA ÜNİVERSİTESİ REKTÖRLÜĞÜNE",
                Possessive,
            ),
            (
                "Orta Doğu Teknik Üniversitesi",
                "ORTA DOĞU TEKNİK ÜNİVERSİTESİNE",
                Possessive,
            ),
            (
                "Boğaziçi Üniversitesi",
                "BOĞAZİÇİ ÜNİVERSİTESİNE",
                Possessive,
            ),
            // Courts and prosecutors.
            (
                "Ankara Cumhuriyet Başsavcılığı",
                "ANKARA CUMHURİYET BAŞSAVCILIĞINA",
                Possessive,
            ),
            (
                "İstanbul 3. İdare Mahkemesi",
                "İSTANBUL 3. İDARE MAHKEMESİNE",
                Possessive,
            ),
            (
                "Kadıköy Sulh Hukuk Mahkemesi",
                "KADIKÖY SULH HUKUK MAHKEMESİNE",
                Possessive,
            ),
            ("Danıştay Başkanlığı", "DANIŞTAY BAŞKANLIĞINA", Possessive),
            ("Sayıştay Başkanlığı", "SAYIŞTAY BAŞKANLIĞINA", Possessive),
            ("Danıştay", "DANIŞTAYA", ConsonantStem),
            // Hospitals.
            (
                "Ankara Şehir Hastanesi",
                "ANKARA ŞEHİR HASTANESİNE",
                Possessive,
            ),
            // Already in the dative: left alone (in capitals).
            ("Ankara Valiliğine", "ANKARA VALİLİĞİNE", AlreadyDative),
            (
                "Tapu ve Kadastro Genel Müdürlüğüne",
                "TAPU VE KADASTRO GENEL MÜDÜRLÜĞÜNE",
                AlreadyDative,
            ),
            ("Belediyeye", "BELEDİYEYE", AlreadyDative),
            ("KAYMAKAMLIĞA", "KAYMAKAMLIĞA", AlreadyDative),
            ("Sağlık Bakanlığına", "SAĞLIK BAKANLIĞINA", AlreadyDative),
            ("İlgili Makama", "İLGİLİ MAKAMA", AlreadyDative),
            ("Dağıtım Yerlerine", "DAĞITIM YERLERİNE", AlreadyDative),
            ("İlgili makamlar", "İLGİLİ MAKAMLARA", ConsonantStem),
            // No T.C. in the muhatap (Kılavuz 11.4); lowercase input.
            ("T.C. Ankara Valiliği", "ANKARA VALİLİĞİNE", Possessive),
            ("t.c. sağlık bakanlığı", "SAĞLIK BAKANLIĞINA", Possessive),
            (
                "  küçükçekmece   kaymakamlığı ",
                "KÜÇÜKÇEKMECE KAYMAKAMLIĞINA",
                Possessive,
            ),
            // Acronyms (discouraged by the Kılavuz, but typed): as read aloud.
            ("SGK", "SGK'YA", Abbreviation),
            ("TBMM", "TBMM'YE", Abbreviation),
            ("Ankara SGK", "ANKARA SGK'YA", Abbreviation),
            ("Kurum: TÜBİTAK", "KURUM: TÜBİTAK'A", Abbreviation),
            ("İstanbul İETT", "İSTANBUL İETT'YE", Abbreviation),
            ("DSİ", "DSİ'YE", Abbreviation),
            ("Ankara VALİLİĞİ", "ANKARA VALİLİĞİNE", Possessive),
            // Nominatives that merely look like datives.
            ("Türkiye", "TÜRKİYEYE", VowelStem),
            ("Hazine", "HAZİNEYE", VowelStem),
        ];
        assert!(cases.len() >= 30);
        for (input, expected, rule) in cases {
            let m = institution(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!((m.line(), m.rule), (*expected, *rule), "{input}");
        }
    }

    #[test]
    fn units_go_below_in_parentheses_without_suffix() {
        // m.14: the unit below, in parentheses.
        let m = institution_with_unit("Ankara Valiliği", "İL YAZI İŞLERİ MÜDÜRLÜĞÜ").unwrap();
        assert_eq!(
            m.lines,
            vec![
                "ANKARA VALİLİĞİNE".to_owned(),
                "(İl Yazı İşleri Müdürlüğü)".to_owned()
            ]
        );
        let m = institution_with_unit("Ankara Valiliği", " ").unwrap();
        assert_eq!(m.lines.len(), 1);
    }

    #[test]
    fn persons_are_sayin_ad_soyad() {
        // m.14: "Sayın", first name in initial capitals, SURNAME in capitals, no suffix.
        for (full, expected) in [
            ("Ahmet Yılmaz", "Sayın Ahmet YILMAZ"),
            ("ayşe nur ışık", "Sayın Ayşe Nur IŞIK"),
            ("İSMAİL İNCE", "Sayın İsmail İNCE"),
            ("Sayın Mehmet Öztürk", "Sayın Mehmet ÖZTÜRK"),
            ("Çiçek", "Sayın ÇİÇEK"),
        ] {
            let m = person(&PersonName::from_full(full)).unwrap();
            assert_eq!(
                (m.line(), m.rule),
                (expected, MuhatapRule::Person),
                "{full}"
            );
        }
        assert_eq!(
            person(&PersonName::from_full("  ")).unwrap_err().code(),
            "muhatap_required"
        );
    }

    #[test]
    fn bad_input_is_refused_with_a_code_and_never_panics() {
        assert_eq!(institution("").unwrap_err().code(), "muhatap_required");
        assert_eq!(institution("T.C.").unwrap_err().code(), "muhatap_required");
        assert_eq!(
            institution("123 / 45").unwrap_err().code(),
            "muhatap_no_letters"
        );
        assert_eq!(
            institution(&"a".repeat(301)).unwrap_err().code(),
            "muhatap_too_long"
        );
        for odd in [
            "ğ",
            "A",
            "'",
            "x.",
            "Ş.",
            "İ",
            "ı ı",
            "—",
            "Ağa",
            "tc",
            "T. C. Sağlık Bakanlığı",
            "No: 5",
        ] {
            let _ = institution(odd);
        }
        assert_eq!(distribution().line(), "DAĞITIM YERLERİNE");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = institution(&s);
            let _ = person(&PersonName::from_full(&s));
        }
    }
}
