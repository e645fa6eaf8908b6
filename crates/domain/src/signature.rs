//! The signature block (imza bölümü) of an official letter.
//!
//! Resmî Yazışmalarda Uygulanacak Usul ve Esaslar Hakkında Yönetmelik
//! (RG 10.06.2020, 31151), m.17:
//! - m.17/1: two to four lines below the text, at the right of the
//!   writing area, centred on itself;
//! - m.17/2: the signer's first name in initial capitals and SURNAME in
//!   capitals; the title below it in initial capitals; an academic title
//!   or rank may stand before the name (or a line below), abbreviated;
//! - m.17/9: signed under a delegation of signing authority (yetki
//!   devri): the delegating office followed by "a." on the **second**
//!   line ("Başkan a.", "Vali a."), the signer's own title on the third;
//!   the same paragraph ends "… yetki devredenin unvanı kullanılmaz" —
//!   read (from a public article-by-article summary; the full sentence
//!   could not be confirmed) as: inside the administration the delegating
//!   office's title is not written. That reading is the `within_institution`
//!   flag; it is off unless the caller sets it;
//! - m.17/10: signed by a deputy (vekâlet; our regulation's m.12/2): the
//!   office deputised for followed by "V." on the **second** line
//!   ("Müdür V.", "Başkan V."); the deputy's own title is not written.
//!
//! The layout "name, then 'X a.', then own title" is also the one the
//! 2015 Yönetmelik had (an exam question on it marks the reverse order as
//! wrong), and the one every EBYS prints.

use crate::muhatap::PersonName;
use crate::turkish::{collapse_spaces, to_title_name};

/// In what capacity the letter is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capacity {
    /// The holder of the office signs in his own name (asaleten).
    Holder,
    /// A deputy (vekil) signs for the office `for_title` (m.17/10).
    Deputy { for_title: String },
    /// A delegate signs under a delegation of signing authority from the
    /// office `for_title` (m.17/9).
    Delegate { for_title: String },
}

/// The signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub name: PersonName,
    /// The signer's own title ("Bilgi İşlem Müdürü", "Şef").
    pub title: String,
    /// An academic title or rank written before the name ("Prof. Dr.").
    pub prefix: String,
}

/// The lines of the block, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignatureBlock {
    pub lines: Vec<String>,
}

/// Why a block cannot be made; `code()` is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signer's name is empty")]
    NameRequired,
    #[error("the signer's title is empty")]
    TitleRequired,
    #[error("the title of the office signed for is empty")]
    PrincipalTitleRequired,
    #[error("a line of the signature block is too long")]
    TooLong,
}

impl SignatureError {
    pub fn code(self) -> &'static str {
        match self {
            SignatureError::NameRequired => "signer_name_required",
            SignatureError::TitleRequired => "signer_title_required",
            SignatureError::PrincipalTitleRequired => "principal_title_required",
            SignatureError::TooLong => "signature_line_too_long",
        }
    }
}

const MAX_LINE: usize = 200;

/// A title in initial capitals, without a trailing "V." or "a." the
/// writer may have typed already (so "Müdür V." never becomes "Müdür V.
/// V.").
fn clean_title(t: &str) -> String {
    let mut words: Vec<&str> = t.split_whitespace().collect();
    if words
        .last()
        .is_some_and(|w| matches!(*w, "V." | "v." | "a." | "A."))
    {
        words.pop();
    }
    to_title_name(&words.join(" "))
}

/// The lines of the signature block (m.17/2, /9, /10).
///
/// `within_institution`: the letter does not leave the administration;
/// under a delegation the "… a." line is then left out (m.17/9, last
/// sentence, as read above).
pub fn block(
    signer: &Signer,
    capacity: &Capacity,
    within_institution: bool,
) -> Result<SignatureBlock, SignatureError> {
    let name = signer.name.formatted();
    if name.is_empty() {
        return Err(SignatureError::NameRequired);
    }
    let prefix = collapse_spaces(&signer.prefix);
    let name = if prefix.is_empty() {
        name
    } else {
        format!("{prefix} {name}")
    };
    let own = clean_title(&signer.title);
    let principal = |t: &str| {
        let t = clean_title(t);
        if t.is_empty() {
            Err(SignatureError::PrincipalTitleRequired)
        } else {
            Ok(t)
        }
    };
    let lines = match capacity {
        Capacity::Holder => {
            if own.is_empty() {
                return Err(SignatureError::TitleRequired);
            }
            vec![name, own]
        }
        Capacity::Deputy { for_title } => vec![name, format!("{} V.", principal(for_title)?)],
        Capacity::Delegate { for_title } => {
            let p = principal(for_title)?;
            if own.is_empty() {
                return Err(SignatureError::TitleRequired);
            }
            if within_institution {
                vec![name, own]
            } else {
                vec![name, format!("{p} a."), own]
            }
        }
    };
    if lines.iter().any(|l| l.chars().count() > MAX_LINE) {
        return Err(SignatureError::TooLong);
    }
    Ok(SignatureBlock { lines })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(full: &str, title: &str) -> Signer {
        Signer {
            name: PersonName::from_full(full),
            title: title.into(),
            prefix: String::new(),
        }
    }

    fn lines(b: Result<SignatureBlock, SignatureError>) -> Vec<String> {
        b.unwrap().lines
    }

    /// The three layouts of m.17, one row each, plus odd spellings.
    #[test]
    fn blocks_follow_article_17() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let rows: Vec<(Signer, Capacity, bool, Vec<String>)> = vec![
            // m.17/2: the holder: Ad SOYAD / Unvan.
            (
                signer("ali veli", "bilgi işlem müdürü"),
                Capacity::Holder,
                false,
                v(&["Ali VELİ", "Bilgi İşlem Müdürü"]),
            ),
            (
                signer("Ayşe Nur Işık", "Belediye Başkanı"),
                Capacity::Holder,
                false,
                v(&["Ayşe Nur IŞIK", "Belediye Başkanı"]),
            ),
            // m.17/10 (our m.12/2): a Şef deputising for the Müdür: Ad SOYAD / Müdür V.
            (
                signer("Mehmet Öz", "Şef"),
                Capacity::Deputy {
                    for_title: "Müdür".into(),
                },
                false,
                v(&["Mehmet ÖZ", "Müdür V."]),
            ),
            (
                signer("Mehmet Öz", "Şef"),
                Capacity::Deputy {
                    for_title: "müdür v.".into(),
                },
                false,
                v(&["Mehmet ÖZ", "Müdür V."]),
            ),
            (
                signer("İsmail İnce", "Başkan Yardımcısı"),
                Capacity::Deputy {
                    for_title: "Belediye Başkanı".into(),
                },
                true,
                v(&["İsmail İNCE", "Belediye Başkanı V."]),
            ),
            // m.17/9: a Deputy Mayor signing under the Mayor's delegation:
            // Ad SOYAD / Başkan a. / own title.
            (
                signer("Zeynep Çelik", "Başkan Yardımcısı"),
                Capacity::Delegate {
                    for_title: "Belediye Başkanı".into(),
                },
                false,
                v(&["Zeynep ÇELİK", "Belediye Başkanı a.", "Başkan Yardımcısı"]),
            ),
            (
                signer("Zeynep Çelik", "başkan yardımcısı"),
                Capacity::Delegate {
                    for_title: "Başkan a.".into(),
                },
                false,
                v(&["Zeynep ÇELİK", "Başkan a.", "Başkan Yardımcısı"]),
            ),
            // Inside the administration the delegating title is not written.
            (
                signer("Zeynep Çelik", "Başkan Yardımcısı"),
                Capacity::Delegate {
                    for_title: "Başkan".into(),
                },
                true,
                v(&["Zeynep ÇELİK", "Başkan Yardımcısı"]),
            ),
        ];
        for (s, c, within, expected) in rows {
            assert_eq!(lines(block(&s, &c, within)), expected, "{c:?}");
        }
        // An academic title before the name (m.17/2).
        let mut s = signer("Can Ak", "Rektör");
        s.prefix = "Prof.  Dr.".into();
        assert_eq!(
            lines(block(&s, &Capacity::Holder, false)),
            vec!["Prof. Dr. Can AK".to_owned(), "Rektör".to_owned()]
        );
    }

    #[test]
    fn incomplete_blocks_are_refused_with_a_code() {
        let s = signer("Ali Veli", "");
        assert_eq!(
            block(&s, &Capacity::Holder, false).unwrap_err().code(),
            "signer_title_required"
        );
        assert_eq!(
            block(
                &s,
                &Capacity::Delegate {
                    for_title: "Başkan".into()
                },
                false
            )
            .unwrap_err()
            .code(),
            "signer_title_required"
        );
        // A deputy's own title is not printed, so it may be empty.
        assert!(block(
            &s,
            &Capacity::Deputy {
                for_title: "Müdür".into()
            },
            false
        )
        .is_ok());
        let s = signer(" ", "Şef");
        assert_eq!(
            block(&s, &Capacity::Holder, false).unwrap_err().code(),
            "signer_name_required"
        );
        let s = signer("Ali Veli", "Şef");
        assert_eq!(
            block(
                &s,
                &Capacity::Deputy {
                    for_title: " V.".into()
                },
                false
            )
            .unwrap_err()
            .code(),
            "principal_title_required"
        );
        let long = signer("Ali Veli", &"uzun ".repeat(60));
        assert_eq!(
            block(&long, &Capacity::Holder, false).unwrap_err().code(),
            "signature_line_too_long"
        );
    }
}
