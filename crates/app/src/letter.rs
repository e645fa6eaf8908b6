//! An outgoing letter printed in the official layout of the Resmî
//! Yazışmalarda Uygulanacak Usul ve Esaslar Hakkında Yönetmelik: the
//! heading block (T.C. / institution / unit), the Sayı and Konu lines with
//! the date on the right, the addressee, the ilgi list, the body, the
//! signature block, the Ek and Dağıtım lists, the contact footer and page
//! numbers as "1/2". Fonts are embedded (DejaVu Sans), so Turkish text
//! prints the same everywhere. A letter not yet signed prints as a draft
//! (TASLAK), without number or date.

use store::outgoing::Letter;

use crate::pdf::{PdfWriter, A4};
use crate::{App, Result};

const LEFT: f32 = 70.0;
const RIGHT: f32 = 525.0;
const TOP: f32 = 56.0;
/// Where the body stops for the footer.
const BOTTOM: f32 = 742.0;

/// One thing to draw on a page (laid out first, drawn once the number of
/// pages is known).
enum Item {
    Text { x: f32, y: f32, size: f32, bold: bool, s: String },
    Right { x: f32, y: f32, size: f32, bold: bool, s: String },
    Center { x: f32, y: f32, size: f32, bold: bool, s: String },
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
            self.y = TOP + 10.0;
        }
    }

    fn push(&mut self, item: Item) {
        self.pages.last_mut().expect("a page").push(item);
    }

    /// A line of text at `x`, advancing by `lead`.
    fn line(&mut self, x: f32, size: f32, bold: bool, s: &str, lead: f32) {
        self.room(lead);
        let y = self.y;
        self.push(Item::Text { x, y, size, bold, s: s.to_owned() });
        self.y += lead;
    }

    /// Words wrapped between `x` and `right`, the first line indented by
    /// `indent`.
    fn paragraph(&mut self, x: f32, right: f32, indent: f32, size: f32, bold: bool, text: &str) {
        let lead = size * 1.45;
        let mut line = String::new();
        let mut first = true;
        for word in text.split_whitespace() {
            let start = if first { x + indent } else { x };
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
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

fn date_tr(d: time::Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

/// The letter as PDF (A4).
pub fn render(l: &Letter, unit_name: &str) -> std::io::Result<Vec<u8>> {
    let mut w = PdfWriter::new_embedded(Vec::new(), A4, l.number.as_deref().unwrap_or("Taslak"))?;
    let mut lay = Layout { pages: vec![Vec::new()], y: TOP, measure: w.page() };
    let center = (LEFT + RIGHT) / 2.0;
    // Heading block: T.C. / the institution / the unit, centred, bold.
    for (i, line) in l.heading.lines().map(str::trim).filter(|s| !s.is_empty()).enumerate() {
        let y = lay.y;
        lay.push(Item::Center { x: center, y, size: 11.0, bold: true, s: domain::turkish::to_upper(line) });
        lay.y += if i == 0 { 15.0 } else { 14.0 };
    }
    lay.y += 18.0;
    // Sayı and Konu, the date on the right.
    let sayi = match &l.number {
        Some(n) => n.clone(),
        None => "(imzada verilecek)".into(),
    };
    let y = lay.y;
    lay.push(Item::Text { x: LEFT, y, size: 10.0, bold: true, s: "Sayı".into() });
    lay.push(Item::Text { x: LEFT + 38.0, y, size: 10.0, bold: false, s: format!(": {sayi}") });
    let date = l.signed_at.map(|t| date_tr(crate::correspondence::local_date(t))).unwrap_or_else(|| "TASLAK".into());
    lay.push(Item::Right { x: RIGHT, y, size: 10.0, bold: l.signed_at.is_none(), s: date });
    lay.y += 14.0;
    let y = lay.y;
    lay.push(Item::Text { x: LEFT, y, size: 10.0, bold: true, s: "Konu".into() });
    lay.paragraph(LEFT + 38.0, RIGHT - 80.0, 0.0, 10.0, false, &format!(": {}", l.subject));
    if l.confidentiality != "YOK" || l.urgency != "NRM" {
        let mut marks = Vec::new();
        if l.confidentiality != "YOK" {
            marks.push(domain::correspondence::Confidentiality::parse(&l.confidentiality).map_or(l.confidentiality.clone(), |c| domain::turkish::to_upper(c.name_tr())));
        }
        if l.urgency != "NRM" {
            let mut u = domain::correspondence::Urgency::parse(&l.urgency).map_or(l.urgency.clone(), |u| domain::turkish::to_upper(u.name_tr()));
            if let Some(d) = l.urgent_date {
                u.push_str(&format!(" ({})", date_tr(d)));
            }
            marks.push(u);
        }
        let y = lay.y;
        lay.push(Item::Right { x: RIGHT, y, size: 10.0, bold: true, s: marks.join(" · ") });
        lay.y += 14.0;
    }
    lay.y += 22.0;
    // The addressees, centred, in capitals.
    for r in l.recipients.iter().filter(|r| r.role == "muhatap") {
        lay.room(14.0);
        let y = lay.y;
        lay.push(Item::Center { x: center, y, size: 11.0, bold: true, s: domain::turkish::to_upper(&r.name) });
        lay.y += 14.0;
        if !r.address.is_empty() {
            let y = lay.y;
            lay.push(Item::Center { x: center, y, size: 10.0, bold: false, s: r.address.clone() });
            lay.y += 14.0;
        }
    }
    lay.y += 14.0;
    // İlgi: a) … b) …
    if !l.refs.is_empty() {
        for (i, r) in l.refs.iter().enumerate() {
            let label = if l.refs.len() == 1 { String::new() } else { format!("{}) ", (b'a' + (i % 26) as u8) as char) };
            let lead = if i == 0 {
                let y = lay.y;
                lay.push(Item::Text { x: LEFT, y, size: 10.0, bold: true, s: "İlgi".into() });
                ": "
            } else {
                "  "
            };
            lay.paragraph(LEFT + 38.0, RIGHT, 0.0, 10.0, false, &format!("{lead}{label}{}", r.text));
        }
        lay.y += 10.0;
    }
    // The body, paragraph by paragraph, first lines indented.
    for para in l.body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        lay.paragraph(LEFT, RIGHT, 36.0, 10.5, false, &para.replace('\n', " "));
        lay.y += 6.0;
    }
    // The signature block, on the right.
    lay.y += 26.0;
    lay.room(60.0);
    let sig_x = RIGHT - 80.0;
    match (&l.signer_name, &l.signer_title) {
        (Some(name), Some(title)) => {
            let y = lay.y;
            lay.push(Item::Center { x: sig_x, y, size: 10.5, bold: true, s: name.clone() });
            lay.push(Item::Center { x: sig_x, y: y + 14.0, size: 10.0, bold: false, s: title.clone() });
            lay.y += 30.0;
        }
        _ => {
            let y = lay.y;
            let signer = l.steps.last().map(|s| s.position.clone()).unwrap_or_default();
            lay.push(Item::Center { x: sig_x, y, size: 10.0, bold: false, s: format!("(İmza: {signer})") });
            lay.y += 30.0;
        }
    }
    // Ek and Dağıtım.
    if !l.attachments.is_empty() {
        lay.y += 8.0;
        lay.line(LEFT, 10.0, true, "Ek:", 13.0);
        for (i, a) in l.attachments.iter().enumerate() {
            lay.paragraph(LEFT, RIGHT, 0.0, 10.0, false, &format!("{}- {}", i + 1, a.name));
        }
    }
    let action: Vec<&str> = l.recipients.iter().filter(|r| r.role == "action").map(|r| r.name.as_str()).collect();
    let info: Vec<&str> = l.recipients.iter().filter(|r| r.role == "info").map(|r| r.name.as_str()).collect();
    if !action.is_empty() || !info.is_empty() {
        lay.y += 8.0;
        lay.line(LEFT, 10.0, true, "Dağıtım:", 13.0);
        let col = (LEFT + RIGHT) / 2.0;
        let top = lay.y;
        if !action.is_empty() {
            lay.line(LEFT, 10.0, true, "Gereği:", 13.0);
            for n in &action {
                lay.paragraph(LEFT, col - 10.0, 0.0, 10.0, false, n);
            }
        }
        if !info.is_empty() {
            let left_end = lay.y;
            lay.y = if action.is_empty() { top } else { top.min(left_end) };
            let x = if action.is_empty() { LEFT } else { col };
            lay.line(x, 10.0, true, "Bilgi:", 13.0);
            for n in &info {
                lay.paragraph(x, RIGHT, 0.0, 10.0, false, n);
            }
            lay.y = lay.y.max(left_end);
        }
    }
    // Signed in the system (the e-imza itself is outside this machine).
    if let (Some(name), Some(at)) = (&l.signer_name, l.signed_at) {
        lay.y += 10.0;
        lay.paragraph(LEFT, RIGHT, 0.0, 7.5, false, &format!(
            "Bu belge {name} tarafından {} tarihinde Mudurluk'ta imzalanmıştır. Belge özeti (SHA-256): {}",
            date_tr(crate::correspondence::local_date(at)),
            l.content_sha256.as_deref().unwrap_or("")
        ));
    }
    // Draw: each page with its footer (contact, unit) and "n/N".
    let total = lay.pages.len();
    for (i, items) in std::mem::take(&mut lay.pages).into_iter().enumerate() {
        let mut p = w.page();
        for it in items {
            match it {
                Item::Text { x, y, size, bold, s } => p.text(x, y, size, bold, &s),
                Item::Right { x, y, size, bold, s } => p.text_right(x, y, size, bold, &s),
                Item::Center { x, y, size, bold, s } => p.text_center(x, y, size, bold, &s),
            }
        }
        p.line(LEFT, BOTTOM + 14.0, RIGHT, BOTTOM + 14.0, 0.5);
        let mut fy = BOTTOM + 26.0;
        let footer = if l.contact.is_empty() { unit_name.to_owned() } else { l.contact.clone() };
        for part in footer.lines().map(str::trim).filter(|s| !s.is_empty()).take(4) {
            p.text(LEFT, fy, 7.5, false, part);
            fy += 10.0;
        }
        if l.number.is_none() {
            p.text_center((LEFT + RIGHT) / 2.0, BOTTOM + 6.0, 8.0, true, "TASLAK — imzalanmamıştır");
        }
        p.text_right(RIGHT, BOTTOM + 26.0, 8.0, false, &format!("{}/{}", i + 1, total));
        w.add(p)?;
    }
    w.finish()
}

impl App {
    /// The letter as PDF, if `reader` may see it.
    pub async fn letter_pdf(&self, reader: &store::User, id: i64) -> Result<(Letter, Vec<u8>)> {
        let l = self.letter(reader, id).await?;
        let unit = self.profile.unit(&l.unit).map(|u| u.name.clone()).unwrap_or_default();
        let letter = l.clone();
        let pdf = tokio::task::spawn_blocking(move || render(&letter, &unit)).await.map_err(|e| crate::AppError::Internal(e.into()))?.map_err(|e| crate::AppError::Internal(e.into()))?;
        Ok((l, pdf))
    }
}


/// A signed letter to an outside body with every element filled in (tests
/// and the rendering benchmark).
#[doc(hidden)]
pub fn sample(body_paragraphs: usize) -> Letter {
use store::outgoing::{LetterAttachment, LetterRef, LetterStep, Recipient};
    let at = time::macros::datetime!(2026-11-27 10:15 UTC);
    Letter {
        id: 7,
        kind: "external".into(),
        state: "signed".into(),
        version: 1,
        writer: "memur.kalem".into(),
        writer_id: 11,
        writer_position: "personel_kalem".into(),
        unit: "mudurluk".into(),
        heading: "T.C.\nKüçükçekmece Belediye Başkanlığı\nBilgi İşlem Müdürlüğü".into(),
        subject: "Bilgi sistemleri envanteri hk.".into(),
        body: vec!["İlgi yazınız ile istenen bilgi sistemleri envanteri hazırlanmış olup ekte gönderilmiştir. Çalışmaların sürdürülmesi için gereğini bilgilerinize arz ederim."; body_paragraphs].join("\n\n"),
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
        signer_name: Some("Mehmet Öztürk".into()),
        signer_title: Some("Belediye Başkanı".into()),
        sign_basis: None,
        content_sha256: Some("ab".repeat(32)),
        recipients: vec![
            Recipient { role: "muhatap".into(), kind: "institution".into(), name: "Sağlık Bakanlığı".into(), detsis: Some("12345678".into()), address: "Ankara".into() },
            Recipient { role: "action".into(), kind: "directorate".into(), name: "Destek Hizmetleri Müdürlüğü".into(), detsis: None, address: String::new() },
            Recipient { role: "info".into(), kind: "directorate".into(), name: "Mali Hizmetler Müdürlüğü".into(), detsis: None, address: String::new() },
        ],
        refs: vec![
            LetterRef { text: "24.04.2026 tarihli ve E-12345678-010.06-555 sayılı yazı.".into(), incoming_id: Some(3) },
            LetterRef { text: "Başkanlık Makamının 02.05.2026 tarihli Olur'u.".into(), incoming_id: None },
        ],
        steps: vec![LetterStep { ord: 0, position: "baskan".into(), action: "sign".into(), authority: "sign_external".into(), done_by: None, done_at: None, basis: None }],
        attachments: vec![LetterAttachment { sha256: "cd".repeat(32), name: "Envanter listesi (3 sayfa)".into(), size: 1, content_type: "application/pdf".into() }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_letter_runs_over_pages_with_their_numbers() {
        let one = render(&sample(2), "Bilgi İşlem Müdürlüğü").unwrap();
        let long = render(&sample(40), "Bilgi İşlem Müdürlüğü").unwrap();
        let pages = |pdf: &[u8]| String::from_utf8_lossy(pdf).matches("/Type /Page ").count();
        assert_eq!(pages(&one), 1);
        assert!(pages(&long) >= 3, "{}", pages(&long));
        // Embedded, subset fonts: a few tens of kB, not the 700 kB files.
        assert!(one.len() < 120_000, "{} bytes", one.len());
        assert!(String::from_utf8_lossy(&one).contains("/FontFile2"));
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tmp");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join("letter-sample.pdf"), &one);
        let _ = std::fs::write(dir.join("letter-long.pdf"), &long);
    }
}
