//! An outgoing letter printed in the official layout of the Resmî
//! Yazışmalarda Uygulanacak Usul ve Esaslar Hakkında Yönetmelik (2020),
//! its geometry from `domain::layout::geometry`: A4 (m.6), Liberation
//! Serif 12 pt embedded, metric-compatible with Times New Roman (m.7),
//! writing area 1.5 cm from the edges (m.8), the heading T.C. / the
//! administration / the unit (m.10), Sayı and Konu with the date on the
//! right, the muhatap in capitals with its dative (m.14), the ilgi list,
//! the body with first lines indented 1.25 cm (m.16/4), the signature
//! block (m.17: "… V." for a deputy, "… a." and his own title for a
//! delegate), Ek and Dağıtım, the contact footer, and on a letter of more
//! than one page "n/N" at the bottom centre (m.27). A letter not yet
//! signed prints as a draft (TASLAK), without number or date.

use domain::layout::geometry::{
    cm_to_pt, MARGIN_LEFT_CM, MARGIN_RIGHT_CM, MARGIN_TOP_CM, PARAGRAPH_INDENT_CM,
};
use domain::local::format_date as date_tr;
use domain::outgoing::Letter;

use crate::pdf::{PdfWriter, A4};
use crate::{App, Result, User};

/// The writing area (m.8): 1.5 cm from the left, right and top edges.
fn left() -> f32 {
    cm_to_pt(MARGIN_LEFT_CM)
}
fn right() -> f32 {
    A4.0 - cm_to_pt(MARGIN_RIGHT_CM)
}
fn top() -> f32 {
    cm_to_pt(MARGIN_TOP_CM) + 12.0
}
/// Where the body stops for the footer (contact lines and the page number).
const BOTTOM: f32 = 760.0;
/// The text's size (m.7: Times New Roman 12 pt).
const TEXT: f32 = 12.0;
/// One line of text.
const LEAD: f32 = 14.0;

/// One thing to draw on a page (laid out first, drawn once the number of
/// pages is known).
enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        s: String,
    },
    Right {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        s: String,
    },
    Center {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        s: String,
    },
}

struct Layout {
    pages: Vec<Vec<Item>>,
    y: f32,
    measure: crate::pdf::Page,
}

impl Layout {
    fn width(&self, s: &str, size: f32, bold: bool) -> f32 {
        self.measure.width(s, size, bold)
    }

    /// Room for `h` more points on this page, or a new page.
    fn room(&mut self, h: f32) {
        if self.y + h > BOTTOM {
            self.pages.push(Vec::new());
            self.y = top() + 10.0;
        }
    }

    fn push(&mut self, item: Item) {
        self.pages.last_mut().expect("a page").push(item);
    }

    /// A line of text at `x`, advancing by `lead`.
    fn line(&mut self, x: f32, size: f32, bold: bool, s: &str, lead: f32) {
        self.room(lead);
        let y = self.y;
        self.push(Item::Text {
            x,
            y,
            size,
            bold,
            s: s.to_owned(),
        });
        self.y += lead;
    }

    /// Words wrapped between `x` and `right`, the first line indented by
    /// `indent`.
    fn paragraph(&mut self, x: f32, right: f32, indent: f32, size: f32, bold: bool, text: &str) {
        let lead = size * 1.45;
        let mut line = String::new();
        let mut first = true;
        // A word longer than a line (an address, a long number) is broken
        // between its characters: nothing runs past the margin.
        let room = right - x;
        let mut pieces: Vec<String> = Vec::new();
        for word in text.split_whitespace() {
            if self.width(word, size, bold) <= room {
                pieces.push(word.to_owned());
                continue;
            }
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if self.width(&piece, size, bold) > room {
                    piece.pop();
                    pieces.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            if !piece.is_empty() {
                pieces.push(piece);
            }
        }
        for word in pieces.iter().map(String::as_str) {
            let start = if first { x + indent } else { x };
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && start + self.width(&candidate, size, bold) > right {
                self.line(start, size, bold, &line, lead);
                first = false;
                line = word.to_owned();
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            let start = if first { x + indent } else { x };
            self.line(start, size, bold, &line, lead);
        }
    }
}

/// The lines of a text's paragraphs: blank lines (in any line-end
/// convention) separate paragraphs; a single line break inside one is a
/// space.
pub fn paragraphs(body: &str) -> Vec<String> {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    body.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The letter as PDF (A4).
pub fn render(l: &Letter, unit_name: &str) -> std::io::Result<Vec<u8>> {
    render_for(l, unit_name, None, "")
}

/// [`render`], with the post that will sign an unsigned letter by its name
/// in the profile ("(İmza: Bilgi İşlem Müdürü)"), not its id.
/// A signed letter's footer carries its verification code and the public
/// page's address under `verify_base` (`https://ebys.ornek.bel.tr`; empty:
/// the path alone), as text and as a QR code (issue 17 §4).
pub fn render_for(
    l: &Letter,
    unit_name: &str,
    signer_post: Option<&str>,
    verify_base: &str,
) -> std::io::Result<Vec<u8>> {
    let (left, right) = (left(), right());
    let indent = cm_to_pt(PARAGRAPH_INDENT_CM);
    let mut w = PdfWriter::new_embedded(Vec::new(), A4, l.number.as_deref().unwrap_or("Taslak"))?
        .dated(l.signed_at.unwrap_or(l.created_at));
    let mut lay = Layout {
        pages: vec![Vec::new()],
        y: top(),
        measure: w.page(),
    };
    let center = (left + right) / 2.0;
    // Heading (m.10): T.C. / THE ADMINISTRATION / the unit, centred.
    let heading = domain::layout::heading(&l.heading, "")
        .map(|h| h.lines)
        .unwrap_or_else(|_| l.heading.lines().map(str::to_owned).collect());
    for line in &heading {
        let y = lay.y;
        lay.push(Item::Center {
            x: center,
            y,
            size: TEXT,
            bold: true,
            s: line.clone(),
        });
        lay.y += LEAD;
    }
    lay.y += LEAD;
    // Sayı and Konu, the date on the right.
    let sayi = match &l.number {
        Some(n) => n.clone(),
        None => "(imzada verilecek)".into(),
    };
    let y = lay.y;
    lay.push(Item::Text {
        x: left,
        y,
        size: TEXT,
        bold: true,
        s: "Sayı".into(),
    });
    lay.push(Item::Text {
        x: left + 40.0,
        y,
        size: TEXT,
        bold: false,
        s: format!(": {sayi}"),
    });
    let date = l
        .signed_at
        .map(|t| date_tr(domain::local::date(t)))
        .unwrap_or_else(|| "TASLAK".into());
    lay.push(Item::Right {
        x: right,
        y,
        size: TEXT,
        bold: l.signed_at.is_none(),
        s: date,
    });
    lay.y += LEAD;
    let y = lay.y;
    lay.push(Item::Text {
        x: left,
        y,
        size: TEXT,
        bold: true,
        s: "Konu".into(),
    });
    lay.paragraph(
        left + 40.0,
        right - 90.0,
        0.0,
        TEXT,
        false,
        &format!(": {}", l.subject),
    );
    if l.confidentiality != "YOK" || l.urgency != "NRM" {
        let mut marks = Vec::new();
        if l.confidentiality != "YOK" {
            marks.push(
                domain::correspondence::Confidentiality::parse(&l.confidentiality)
                    .map_or(l.confidentiality.clone(), |c| {
                        domain::turkish::to_upper(c.name_tr())
                    }),
            );
        }
        if l.urgency != "NRM" {
            let mut u = domain::correspondence::Urgency::parse(&l.urgency)
                .map_or(l.urgency.clone(), |u| {
                    domain::turkish::to_upper(u.name_tr())
                });
            if let Some(d) = l.urgent_date {
                u.push_str(&format!(" ({})", date_tr(d)));
            }
            marks.push(u);
        }
        let y = lay.y;
        lay.push(Item::Right {
            x: right,
            y,
            size: TEXT,
            bold: true,
            s: marks.join(" · "),
        });
        lay.y += LEAD;
    }
    lay.y += LEAD * 2.0;
    // The addressees (m.14): in capitals with the dative, centred.
    for r in l.recipients.iter().filter(|r| r.role == "muhatap") {
        let line = if r.line.trim().is_empty() {
            crate::outgoing::muhatap_line(&r.kind, &r.name)
        } else {
            r.line.clone()
        };
        for part in line.lines() {
            lay.room(LEAD);
            let y = lay.y;
            lay.push(Item::Center {
                x: center,
                y,
                size: TEXT,
                bold: true,
                s: part.to_owned(),
            });
            lay.y += LEAD;
        }
        if !r.address.is_empty() {
            let y = lay.y;
            lay.push(Item::Center {
                x: center,
                y,
                size: TEXT,
                bold: false,
                s: r.address.clone(),
            });
            lay.y += LEAD;
        }
    }
    lay.y += LEAD;
    // İlgi: a) … b) …
    if !l.refs.is_empty() {
        for (i, r) in l.refs.iter().enumerate() {
            let label = if l.refs.len() == 1 {
                String::new()
            } else {
                format!("{}) ", (b'a' + (i % 26) as u8) as char)
            };
            let lead = if i == 0 {
                let y = lay.y;
                lay.push(Item::Text {
                    x: left,
                    y,
                    size: TEXT,
                    bold: true,
                    s: "İlgi".into(),
                });
                ": "
            } else {
                "  "
            };
            lay.paragraph(
                left + 40.0,
                right,
                0.0,
                TEXT,
                false,
                &format!("{lead}{label}{}", r.text),
            );
        }
        lay.y += LEAD / 2.0;
    }
    // The body, paragraph by paragraph, first lines indented 1.25 cm
    // (m.16/4), no blank line between paragraphs.
    for para in paragraphs(&l.body) {
        lay.paragraph(left, right, indent, TEXT, false, &para);
    }
    // The signature block (m.17), on the right: the name, then the title
    // lines (the office, "… V." or "… a." with the delegate's own title).
    lay.y += LEAD * 2.0;
    lay.room(LEAD * 4.0);
    let sig_x = right - 90.0;
    match (&l.signer_name, &l.signer_title) {
        (Some(name), Some(title)) => {
            let y = lay.y;
            lay.push(Item::Center {
                x: sig_x,
                y,
                size: TEXT,
                bold: true,
                s: name.clone(),
            });
            lay.y += LEAD;
            for t in title.lines().filter(|t| !t.trim().is_empty()) {
                let y = lay.y;
                lay.push(Item::Center {
                    x: sig_x,
                    y,
                    size: TEXT,
                    bold: false,
                    s: t.to_owned(),
                });
                lay.y += LEAD;
            }
        }
        _ => {
            let y = lay.y;
            let signer = signer_post
                .map(str::to_owned)
                .or_else(|| l.steps.last().map(|s| s.position.clone()))
                .unwrap_or_default();
            lay.push(Item::Center {
                x: sig_x,
                y,
                size: TEXT,
                bold: false,
                s: format!("(İmza: {signer})"),
            });
            lay.y += LEAD * 2.0;
        }
    }
    // Ek and Dağıtım.
    if !l.attachments.is_empty() {
        lay.y += LEAD / 2.0;
        lay.line(left, TEXT, true, "Ek:", LEAD);
        for (i, a) in l.attachments.iter().enumerate() {
            lay.paragraph(
                left,
                right,
                0.0,
                TEXT,
                false,
                &format!("{}- {}", i + 1, a.name),
            );
        }
    }
    let action: Vec<&str> = l
        .recipients
        .iter()
        .filter(|r| r.role == "action")
        .map(|r| r.name.as_str())
        .collect();
    let info: Vec<&str> = l
        .recipients
        .iter()
        .filter(|r| r.role == "info")
        .map(|r| r.name.as_str())
        .collect();
    if !action.is_empty() || !info.is_empty() {
        lay.y += LEAD / 2.0;
        lay.line(left, TEXT, true, "Dağıtım:", LEAD);
        let col = (left + right) / 2.0;
        let top = lay.y;
        if !action.is_empty() {
            lay.line(left, TEXT, true, "Gereği:", LEAD);
            for n in &action {
                lay.paragraph(left, col - 10.0, 0.0, TEXT, false, n);
            }
        }
        if !info.is_empty() {
            let left_end = lay.y;
            lay.y = if action.is_empty() {
                top
            } else {
                top.min(left_end)
            };
            let x = if action.is_empty() { left } else { col };
            lay.line(x, TEXT, true, "Bilgi:", LEAD);
            for n in &info {
                lay.paragraph(x, right, 0.0, TEXT, false, n);
            }
            lay.y = lay.y.max(left_end);
        }
    }
    // What an e-imza would sign: the content's hash, for verification (no
    // "signed" wording: the e-imza itself is outside this machine, m.17).
    if let Some(hash) = &l.content_sha256 {
        lay.y += LEAD / 2.0;
        lay.paragraph(
            left,
            right,
            0.0,
            8.0,
            false,
            &format!("Belge özeti (SHA-256): {hash}"),
        );
    }
    // Draw: each page with its footer (contact, unit) and, for more than
    // one page, "n/N" at the bottom centre (m.27).
    let total = lay.pages.len();
    for (i, items) in std::mem::take(&mut lay.pages).into_iter().enumerate() {
        let mut p = w.page();
        for it in items {
            match it {
                Item::Text {
                    x,
                    y,
                    size,
                    bold,
                    s,
                } => p.text(x, y, size, bold, &s),
                Item::Right {
                    x,
                    y,
                    size,
                    bold,
                    s,
                } => p.text_right(x, y, size, bold, &s),
                Item::Center {
                    x,
                    y,
                    size,
                    bold,
                    s,
                } => p.text_center(x, y, size, bold, &s),
            }
        }
        p.line(left, BOTTOM + 8.0, right, BOTTOM + 8.0, 0.5);
        let mut fy = BOTTOM + 20.0;
        let footer = if l.contact.is_empty() {
            unit_name.to_owned()
        } else {
            l.contact.clone()
        };
        for part in footer
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .take(3)
        {
            p.text(left, fy, 8.0, false, part);
            fy += 10.0;
        }
        if l.number.is_none() {
            p.text_center(center, BOTTOM, 9.0, true, "TASLAK — imzalanmamıştır");
        }
        if let Some(code) = &l.verification_code {
            let page = format!("{}/dogrula", verify_base.trim_end_matches('/'));
            let qr = 46.0;
            p.qr(right - qr, BOTTOM + 14.0, qr, &format!("{page}?kod={code}"));
            p.text_right(
                right - qr - 6.0,
                BOTTOM + 20.0,
                8.0,
                true,
                &format!("Doğrulama kodu: {}", domain::outgoing::code_display(code)),
            );
            p.text_right(right - qr - 6.0, BOTTOM + 30.0, 8.0, false, &page);
        }
        if let Some(n) = domain::layout::geometry::page_number(i as u32 + 1, total as u32) {
            p.text_center(center, fy + 4.0, 9.0, false, &n);
        }
        w.add(p)?;
    }
    w.finish()
}

impl App {
    /// The name of the post whose holder signs `l` (its chain's last step).
    pub(crate) fn signer_post(&self, l: &Letter) -> Option<String> {
        l.steps
            .last()
            .and_then(|s| self.profile.position(&s.position))
            .map(|p| p.name.clone())
    }

    /// The letter as PDF, if `reader` may see it.
    pub async fn letter_pdf(&self, reader: &User, id: i64) -> Result<(Letter, Vec<u8>)> {
        let l = self.letter(reader, id).await?.letter;
        let unit = self
            .profile
            .unit(&l.unit)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        let post = self.signer_post(&l);
        let letter = l.clone();
        let base = self.correspondence.public_url.clone().unwrap_or_default();
        let pdf =
            tokio::task::spawn_blocking(move || render_for(&letter, &unit, post.as_deref(), &base))
                .await
                .map_err(|e| crate::AppError::Internal(e.into()))?
                .map_err(|e| crate::AppError::Internal(e.into()))?;
        Ok((l, pdf))
    }
}

/// A signed letter to an outside body with every element filled in (tests
/// and the rendering benchmark).
#[doc(hidden)]
pub fn sample(body_paragraphs: usize) -> Letter {
    use domain::outgoing::{LetterAttachment, LetterRef, LetterState, LetterStep, Recipient};
    let at = time::macros::datetime!(2026-11-27 10:15 UTC);
    Letter {
        id: 7,
        kind: "external".into(),
        state: LetterState::Signed,
        version: 1,
        writer: "memur.kalem".into(),
        writer_name: "Ümit Koç".into(),
        writer_id: 11,
        writer_position: "personel_kalem".into(),
        unit: "mudurluk".into(),
        heading: "T.C.\nKüçükçekmece Belediye Başkanlığı\nBilgi İşlem Müdürlüğü".into(),
        subject: "Bilgi sistemleri envanteri hk.".into(),
        body: vec!["İlgi yazınız ile istenen bilgi sistemleri envanteri hazırlanmış olup ekte gönderilmiştir. Çalışmaların sürdürülmesi için gereğini bilgilerinize arz ederim."; body_paragraphs].join("\r\n\r\n"),
        file_code: "010.06".into(),
        confidentiality: "YOK".into(),
        urgency: "ACL".into(),
        urgent_date: None,
        personal_data: false,
        contact: "Merkez Mah. Atatürk Cad. No:1 34000 Küçükçekmece / İSTANBUL\nTel: (212) 000 00 00 · bilgiislem@ornek.bel.tr · KEP: ornek@hs01.kep.tr".into(),
        note: None,
        created_at: at,
        number: Some("E-87654321-010.06-42".into()),
        signed_at: Some(at),
        signed_by_id: Some(1),
        signer_name: Some("Mehmet ÖZTÜRK".into()),
        signer_title: Some("Belediye Başkanı a.\nBaşkan Yardımcısı".into()),
        sign_basis: None,
        content_sha256: Some("ab".repeat(32)),
        verification_code: None,
        returned_by_name: None,
        returned_at: None,
        dispatched_at: None,
        dispatched_by_name: None,
        dispatch_channel: None,
        dispatch_ref: None,
        recipients: vec![
            Recipient { role: "muhatap".into(), kind: "institution".into(), name: "Sağlık Bakanlığı".into(), detsis: Some("12345678".into()), address: "Ankara".into(), line: String::new() },
            Recipient { role: "action".into(), kind: "directorate".into(), name: "Destek Hizmetleri Müdürlüğü".into(), detsis: None, address: String::new(), line: String::new() },
            Recipient { role: "info".into(), kind: "directorate".into(), name: "Mali Hizmetler Müdürlüğü".into(), detsis: None, address: String::new(), line: String::new() },
        ],
        refs: vec![
            LetterRef { text: "24.04.2026 tarihli ve E-12345678-010.06-555 sayılı yazı.".into(), incoming_id: Some(3) },
            LetterRef { text: "Başkanlık Makamının 02.05.2026 tarihli Olur'u.".into(), incoming_id: None },
        ],
        steps: vec![LetterStep { ord: 0, position: "baskan".into(), action: "sign".into(), authority: "sign_external".into(), done_by: None, done_by_name: None, done_at: None, basis: None }],
        attachments: vec![LetterAttachment { sha256: "cd".repeat(32), name: "Envanter listesi (3 sayfa)".into(), size: 1, content_type: "application/pdf".into() }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paragraphs typed in a browser arrive with `\r\n` line ends: they
    /// stay paragraphs.
    #[test]
    fn paragraphs_survive_every_line_end() {
        assert_eq!(
            paragraphs("Bir.\r\n\r\nİki\r\nsatır.\r\n\r\n\r\nÜç."),
            ["Bir.", "İki satır.", "Üç."]
        );
        assert_eq!(paragraphs("Bir.\n\nİki."), ["Bir.", "İki."]);
        assert_eq!(paragraphs("Bir.\r\rİki."), ["Bir.", "İki."]);
    }

    #[test]
    fn a_long_letter_runs_over_pages_with_their_numbers() {
        let one = render(&sample(2), "Bilgi İşlem Müdürlüğü").unwrap();
        let long = render(&sample(40), "Bilgi İşlem Müdürlüğü").unwrap();
        // A page object, however the writer spaces it (not the /Pages tree).
        let pages = |pdf: &[u8]| {
            let raw = String::from_utf8_lossy(pdf).replace("/Type /Page", "/Type/Page");
            raw.matches("/Type/Page").count() - raw.matches("/Type/Pages").count()
        };
        assert_eq!(pages(&one), 1);
        assert!(pages(&long) >= 3, "{}", pages(&long));
        // Embedded, subset fonts: a few tens of kB, not the 400 kB files.
        assert!(one.len() < 120_000, "{} bytes", one.len());
        let raw = String::from_utf8_lossy(&one);
        assert!(
            raw.contains("/FontFile2") && raw.contains("LiberationSerif"),
            "Liberation Serif embedded (m.7)"
        );
        // m.27: a one-page letter carries no page number; a longer one
        // "n/N" (the text as pdftotext reads it: the glyphs are encoded).
        let text = |pdf: &[u8]| {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("l.pdf");
            std::fs::write(&file, pdf).unwrap();
            let out = std::process::Command::new("pdftotext")
                .arg(&file)
                .arg("-")
                .output()
                .expect("pdftotext (poppler-utils; scripts/test installs it)");
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        assert!(!text(&one).contains("1/1"), "{}", text(&one));
        let n = pages(&long);
        let long_text = text(&long);
        assert!(
            long_text.contains(&format!("1/{n}")) && long_text.contains(&format!("{n}/{n}")),
            "{long_text}"
        );
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tmp");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join("letter-sample.pdf"), &one);
        let _ = std::fs::write(dir.join("letter-long.pdf"), &long);
    }
}
