//! The printed layout of an official document: its heading (başlık,
//! antet) and the page geometry the Yönetmelik sets.
//!
//! Resmî Yazışmalarda Uygulanacak Usul ve Esaslar Hakkında Yönetmelik
//! (RG 10.06.2020, 31151). Article numbers below were read from a public
//! article-by-article summary that quotes the first and last words of each
//! paragraph; where only the article (not the paragraph) is certain, only
//! the article is cited.
//!
//! Heading (m.10): "T.C." on the first line; the administration's name on
//! the second, in capitals; the unit's name on the third, first letters
//! capital, the rest small; all centred. The names are written as DETSİS
//! records them (m.10/6). A municipality is not the provincial
//! organisation of a ministry, so no province or governorship line
//! (m.10/3) goes above it; the Türkiye Belediyeler Birliği's guide
//! ("Resmi Yazışma Kuralları", 3rd ed., p.18) lists "T.C. / … İLİ / …
//! BELEDİYE BAŞKANLIĞI", the unit in capitals and the unit in parentheses
//! as the common mistakes.

use crate::muhatap::strip_tc;
use crate::turkish::{collapse_spaces, fold, to_title_name, to_upper};

/// The heading lines, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub lines: Vec<String>,
}

/// Why no heading can be made; `code()` is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HeadingError {
    #[error("the administration's name is empty")]
    InstitutionRequired,
    #[error("a heading line is too long")]
    TooLong,
}

impl HeadingError {
    pub fn code(self) -> &'static str {
        match self {
            HeadingError::InstitutionRequired => "institution_required",
            HeadingError::TooLong => "heading_too_long",
        }
    }
}

const MAX_LINE: usize = 200;

/// Writes a municipality as DETSİS registers it: "… Belediyesi" becomes
/// "… Belediye Başkanlığı" (DETSİS names municipal administrations
/// "Küçükçekmece Belediye Başkanlığı"); anything else is left as given.
fn detsis_style(institution: &str) -> String {
    match institution.rsplit_once(' ') {
        Some((head, last)) if fold(last) == "belediyesi" => format!("{head} Belediye Başkanlığı"),
        None if fold(institution) == "belediyesi" => "Belediye Başkanlığı".to_owned(),
        _ => institution.to_owned(),
    }
}

/// The heading of every printed document (m.10): "T.C." once, the
/// administration in capitals, the unit in initial capitals.
///
/// `institution` may be typed in any case, with or without a leading
/// "T.C.", and may even be the whole old three-line heading
/// ("T.C.\nX Belediye Başkanlığı\nBilgi İşlem Müdürlüğü"): lines that are
/// only "T.C." are dropped, the first remaining line is the
/// administration, and the next one is the unit when `unit` is empty.
pub fn heading(institution: &str, unit: &str) -> Result<Heading, HeadingError> {
    let mut given: Vec<String> = institution
        .lines()
        .map(|l| collapse_spaces(strip_tc(l)))
        .filter(|l| !l.is_empty())
        .collect();
    if given.is_empty() {
        return Err(HeadingError::InstitutionRequired);
    }
    let name = given.remove(0);
    let unit = match collapse_spaces(strip_tc(unit)) {
        u if u.is_empty() => given.into_iter().next().unwrap_or_default(),
        u => u,
    };
    let mut lines = vec!["T.C.".to_owned(), to_upper(&detsis_style(&name))];
    let unit = to_title_name(&unit);
    if !unit.is_empty() && fold(&unit) != fold(&lines[1]) {
        lines.push(unit);
    }
    if lines.iter().any(|l| l.chars().count() > MAX_LINE) {
        return Err(HeadingError::TooLong);
    }
    Ok(Heading { lines })
}

/// Page geometry. Lengths in centimetres and points as the Yönetmelik
/// writes them; `cm_to_pt` converts for a PDF writer.
pub mod geometry {
    /// Points in one centimetre (72 pt per inch, 2.54 cm per inch).
    pub const PT_PER_CM: f32 = 72.0 / 2.54;

    pub fn cm_to_pt(cm: f32) -> f32 {
        cm * PT_PER_CM
    }

    /// m.6/1: documents are prepared for A4 (210 × 297 mm); attachments
    /// may have other sizes (m.6/2).
    pub const PAPER_MM: (f32, f32) = (210.0, 297.0);

    /// A typeface the Yönetmelik allows, with its base size in points.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
    pub struct Typeface {
        pub name: &'static str,
        pub size_pt: u8,
    }

    /// m.7/1: "Times New Roman" (12 pt) or "Arial" (11 pt), normal style.
    /// A PDF may embed a metric-compatible free face (Liberation Serif /
    /// Liberation Sans) under these names' metrics.
    pub const TYPEFACES: [Typeface; 2] = [
        Typeface {
            name: "Times New Roman",
            size_pt: 12,
        },
        Typeface {
            name: "Arial",
            size_pt: 11,
        },
    ];

    /// m.7: where needed the text may go down to 9 pt …
    pub const MIN_TEXT_PT: u8 = 9;
    /// … and the contact information to 8 pt.
    pub const MIN_CONTACT_PT: u8 = 8;

    /// m.8/1: the writing area leaves 1.5 cm at the top, left and right of
    /// the page.
    pub const MARGIN_TOP_CM: f32 = 1.5;
    pub const MARGIN_LEFT_CM: f32 = 1.5;
    pub const MARGIN_RIGHT_CM: f32 = 1.5;
    /// m.8/1: with a logo the top margin is 0.5 cm.
    pub const MARGIN_TOP_WITH_LOGO_CM: f32 = 0.5;
    /// Not set by the text we could read (m.8/1 names top, left and right;
    /// the bottom of the page holds the contact information, m.24, and the
    /// page number, m.27). Our choice: the same 1.5 cm.
    pub const MARGIN_BOTTOM_CM: f32 = 1.5;

    /// m.16/4: paragraphs start 1.25 cm in, with no blank line between
    /// them; the text is justified.
    pub const PARAGRAPH_INDENT_CM: f32 = 1.25;
    pub const BLANK_LINES_BETWEEN_PARAGRAPHS: u8 = 0;

    /// m.11/2: "Sayı" two lines below the heading's last line.
    pub const LINES_HEADING_TO_SAYI: u8 = 2;
    /// m.14/1: the muhatap two lines below the Konu, centred.
    pub const LINES_KONU_TO_MUHATAP: u8 = 2;
    /// m.15/2: "İlgi" two lines below the muhatap.
    pub const LINES_MUHATAP_TO_ILGI: u8 = 2;
    /// m.16/2: the text one line below the İlgi, or two below the muhatap
    /// when there is no İlgi.
    pub const LINES_ILGI_TO_TEXT: u8 = 1;
    pub const LINES_MUHATAP_TO_TEXT: u8 = 2;
    /// m.17/1: the signature two to four lines below the text, at the
    /// right of the writing area.
    pub const LINES_TEXT_TO_SIGNATURE: (u8, u8) = (2, 4);

    /// Where the page number goes.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PagePosition {
        /// Centred below the contact information.
        BottomCentreBelowContact,
    }

    /// m.27/1: a document of more than one page is numbered below the
    /// contact information, in the middle, showing the page and the total
    /// ("1/3").
    pub const PAGE_NUMBER: PagePosition = PagePosition::BottomCentreBelowContact;

    /// The page number as m.27/1 writes it; `None` for a one-page document
    /// (only documents of more than one page are numbered).
    pub fn page_number(page: u32, total: u32) -> Option<String> {
        (total > 1 && (1..=total).contains(&page)).then(|| format!("{page}/{total}"))
    }
}

#[cfg(test)]
mod tests {
    use super::geometry::*;
    use super::*;

    /// m.10: T.C. once, the administration in capitals (DETSİS style for
    /// a municipality), the unit in initial capitals.
    #[test]
    fn headings_for_every_input_shape() {
        let three = |b: &str| {
            vec![
                "T.C.".to_owned(),
                b.to_owned(),
                "Bilgi İşlem Müdürlüğü".to_owned(),
            ]
        };
        let rows: &[(&str, &str, Vec<String>)] = &[
            (
                "Küçükçekmece Belediye Başkanlığı",
                "Bilgi İşlem Müdürlüğü",
                three("KÜÇÜKÇEKMECE BELEDİYE BAŞKANLIĞI"),
            ),
            // Lowercase, and already carrying T.C. in several spellings.
            (
                "küçükçekmece belediye başkanlığı",
                "bilgi işlem müdürlüğü",
                three("KÜÇÜKÇEKMECE BELEDİYE BAŞKANLIĞI"),
            ),
            (
                "T.C. Küçükçekmece Belediye Başkanlığı",
                "BİLGİ İŞLEM MÜDÜRLÜĞÜ",
                three("KÜÇÜKÇEKMECE BELEDİYE BAŞKANLIĞI"),
            ),
            (
                "t.c. küçükçekmece belediye başkanlığı",
                "Bilgi İşlem Müdürlüğü",
                three("KÜÇÜKÇEKMECE BELEDİYE BAŞKANLIĞI"),
            ),
            (
                "TC Küçükçekmece Belediye Başkanlığı",
                "Bilgi İşlem Müdürlüğü",
                three("KÜÇÜKÇEKMECE BELEDİYE BAŞKANLIĞI"),
            ),
            (
                "T. C.  T.C. Küçükçekmece  Belediye Başkanlığı ",
                " Bilgi  İşlem Müdürlüğü ",
                three("KÜÇÜKÇEKMECE BELEDİYE BAŞKANLIĞI"),
            ),
            // The old three-line heading as one setting.
            (
                "T.C.\nKüçükçekmece Belediye Başkanlığı\nBilgi İşlem Müdürlüğü",
                "",
                three("KÜÇÜKÇEKMECE BELEDİYE BAŞKANLIĞI"),
            ),
            // "… Belediyesi" as DETSİS writes it.
            (
                "Küçükçekmece Belediyesi",
                "Bilgi İşlem Müdürlüğü",
                three("KÜÇÜKÇEKMECE BELEDİYE BAŞKANLIĞI"),
            ),
            (
                "İstanbul Büyükşehir Belediyesi",
                "Bilgi İşlem Müdürlüğü",
                three("İSTANBUL BÜYÜKŞEHİR BELEDİYE BAŞKANLIĞI"),
            ),
            (
                "Iğdır Belediye Başkanlığı",
                "Bilgi İşlem Müdürlüğü",
                three("IĞDIR BELEDİYE BAŞKANLIĞI"),
            ),
            // "Türkiye Cumhuriyet…" is part of a name, not a T.C.
            (
                "Türkiye Cumhuriyet Merkez Bankası",
                "Bilgi İşlem Müdürlüğü",
                three("TÜRKİYE CUMHURİYET MERKEZ BANKASI"),
            ),
            // Conjunctions stay lowercase in the unit line.
            (
                "Küçükçekmece Belediye Başkanlığı",
                "DESTEK HİZMETLERİ VE SATIN ALMA MÜDÜRLÜĞÜ",
                vec![
                    "T.C.".into(),
                    "KÜÇÜKÇEKMECE BELEDİYE BAŞKANLIĞI".into(),
                    "Destek Hizmetleri ve Satın Alma Müdürlüğü".into(),
                ],
            ),
            // No unit: two lines; a unit equal to the administration is not repeated.
            (
                "Küçükçekmece Belediye Başkanlığı",
                "",
                vec!["T.C.".into(), "KÜÇÜKÇEKMECE BELEDİYE BAŞKANLIĞI".into()],
            ),
            (
                "Küçükçekmece Belediye Başkanlığı",
                "küçükçekmece belediye başkanlığı",
                vec!["T.C.".into(), "KÜÇÜKÇEKMECE BELEDİYE BAŞKANLIĞI".into()],
            ),
        ];
        for (institution, unit, expected) in rows {
            assert_eq!(
                &heading(institution, unit).unwrap().lines,
                expected,
                "{institution:?} / {unit:?}"
            );
        }
        for bad in ["", "  ", "T.C.", "T.C.\n\nTC"] {
            assert_eq!(
                heading(bad, "Bilgi İşlem Müdürlüğü").unwrap_err().code(),
                "institution_required",
                "{bad:?}"
            );
        }
        assert_eq!(
            heading(&"A ".repeat(150), "").unwrap_err().code(),
            "heading_too_long"
        );
    }

    /// The geometry constants, each with its article.
    #[test]
    fn geometry_is_the_yonetmeliks() {
        assert_eq!(PAPER_MM, (210.0, 297.0)); // m.6/1
        assert_eq!(
            TYPEFACES.map(|t| (t.name, t.size_pt)),
            [("Times New Roman", 12), ("Arial", 11)]
        ); // m.7/1
        assert_eq!((MIN_TEXT_PT, MIN_CONTACT_PT), (9, 8)); // m.7
        assert_eq!(
            (
                MARGIN_TOP_CM,
                MARGIN_LEFT_CM,
                MARGIN_RIGHT_CM,
                MARGIN_TOP_WITH_LOGO_CM
            ),
            (1.5, 1.5, 1.5, 0.5)
        ); // m.8/1
        assert_eq!(
            (PARAGRAPH_INDENT_CM, BLANK_LINES_BETWEEN_PARAGRAPHS),
            (1.25, 0)
        ); // m.16/4
        assert!((cm_to_pt(2.54) - 72.0).abs() < 1e-3);
        assert!((cm_to_pt(PARAGRAPH_INDENT_CM) - 35.43).abs() < 0.01);
        // m.27/1: "page/total", only for more than one page.
        assert_eq!(PAGE_NUMBER, PagePosition::BottomCentreBelowContact);
        assert_eq!(page_number(1, 3).as_deref(), Some("1/3"));
        assert_eq!(page_number(3, 3).as_deref(), Some("3/3"));
        assert_eq!(page_number(1, 1), None);
        assert_eq!(page_number(4, 3), None);
        assert_eq!(page_number(0, 3), None);
    }
}
