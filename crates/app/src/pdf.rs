//! The one PDF engine: every document we print (letters, receipts, the
//! register books, the courier list, the forms and tutanaklar) is PDF/A-2b
//! (ISO 19005-2, level B), written by krilla, a maintained Rust PDF library
//! chosen because it produces PDF/A with embedded, subsetted fonts and
//! consistent XMP metadata, checks its own output against the standard's
//! rules before it writes a byte, and can tag documents (PDF/A-2a, PDF/UA)
//! when we need that.
//!
//! The callers draw pages through a small API (text, lines, shades, QR
//! codes; top-left origin, points). Fonts: Liberation Serif for letters
//! (metric-compatible with Times New Roman, Resmî Yazışma Yönetmeliği
//! m.7) and Liberation Sans for the books and forms (metric-compatible with
//! Helvetica, whose widths the books' layout uses). Turkish needs no
//! shaping in these faces: each character is its glyph, which keeps a
//! year's register book fast.

use std::io::{self, Write};

/// A4 in points.
pub const A4: (f32, f32) = (595.0, 842.0);
pub const A4_LANDSCAPE: (f32, f32) = (842.0, 595.0);

/// Helvetica's advance widths for ASCII 32–126, in 1/1000 em (Adobe AFM).
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Width of `c` at size 1 (approximate outside ASCII: the Latin letters
/// have the width of their base letter).
fn width(c: char) -> f32 {
    let base = match c {
        'ı' | 'İ' => 'i',
        'ğ' => 'g',
        'Ğ' => 'G',
        'ş' | 'ç' => 's',
        'Ş' | 'Ç' => 'S',
        'ö' => 'o',
        'Ö' => 'O',
        'ü' => 'u',
        'Ü' => 'U',
        '…' => return 1.0,
        c => c,
    };
    let w = match base as u32 {
        n @ 32..=126 => HELVETICA[(n - 32) as usize],
        _ => 556,
    };
    f32::from(w) / 1000.0
}

/// The width of `s` at `size` points.
pub fn text_width(s: &str, size: f32) -> f32 {
    s.chars().map(width).sum::<f32>() * size
}

/// `s` cut to fit `max` points at `size`, with an ellipsis when cut.
pub fn fit(s: &str, size: f32, max: f32) -> String {
    if text_width(s, size) <= max {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut w = width('…') * size;
    for c in s.chars() {
        w += width(c) * size;
        if w > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` broken into lines of at most `max` points at `size`.
pub fn wrap(s: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| fit(&l, size, max)).collect()
}

/// `s` broken into lines of at most `max` points at `size`, losing
/// nothing: a word longer than a line (a number, an e-mail address) is
/// broken between its characters. What a register book needs: its cells
/// wrap, never truncate.
pub fn wrap_whole(s: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word alone: break it where it overflows.
        for c in word.chars() {
            let mut next = line.clone();
            next.push(c);
            if text_width(&next, size) > max && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line.push(c);
            } else {
                line = next;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Liberation Serif, metric-compatible with Times New Roman, the face the
/// Resmî Yazışma Yönetmeliği m.7 names for letters; Liberation Sans,
/// metric-compatible with Helvetica/Arial, for the books and forms
/// (`fonts/README.md`). Both are embedded, as subsets, in every document:
/// PDF/A allows no font that is not.
const SERIF_REGULAR: &[u8] = include_bytes!("../fonts/LiberationSerif-Regular.ttf");
const SERIF_BOLD: &[u8] = include_bytes!("../fonts/LiberationSerif-Bold.ttf");
const SANS_REGULAR: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");

/// A face: krilla's font (what is embedded) and its metrics (what lays
/// out), read once for the process.
struct Face {
    font: krilla::text::Font,
    metrics: ttf_parser::Face<'static>,
    upem: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Face {
        let metrics = ttf_parser::Face::parse(data, 0).expect("a shipped font parses");
        Face {
            font: krilla::text::Font::new(data.into(), 0).expect("a shipped font loads"),
            upem: f32::from(metrics.units_per_em()),
            metrics,
        }
    }

    /// The glyph of `c` and its advance (in ems).
    fn glyph(&self, c: char) -> (u16, f32) {
        let g = self.metrics.glyph_index(c).unwrap_or_default();
        (
            g.0,
            f32::from(self.metrics.glyph_hor_advance(g).unwrap_or(0)) / self.upem,
        )
    }

    fn width(&self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }

    /// The glyphs of a line of text, each to its character (no shaping is
    /// needed for Turkish in these faces: one character, one glyph).
    fn glyphs(&self, s: &str) -> Vec<krilla::text::KrillaGlyph> {
        s.char_indices()
            .map(|(i, c)| {
                let (g, advance) = self.glyph(c);
                krilla::text::KrillaGlyph::new(
                    krilla::text::GlyphId::new(u32::from(g)),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }
}

/// The four faces, loaded on first use.
fn faces() -> &'static [Face; 4] {
    static FACES: std::sync::OnceLock<[Face; 4]> = std::sync::OnceLock::new();
    FACES.get_or_init(|| {
        [
            Face::new(SANS_REGULAR),
            Face::new(SANS_BOLD),
            Face::new(SERIF_REGULAR),
            Face::new(SERIF_BOLD),
        ]
    })
}

/// The typeface of a document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fonts {
    /// Liberation Sans (books and forms).
    Sans,
    /// Liberation Serif (official letters).
    Serif,
}

impl Fonts {
    fn face(self, bold: bool) -> &'static Face {
        let f = faces();
        match (self, bold) {
            (Fonts::Sans, false) => &f[0],
            (Fonts::Sans, true) => &f[1],
            (Fonts::Serif, false) => &f[2],
            (Fonts::Serif, true) => &f[3],
        }
    }
}

/// What a page draws, in the order drawn.
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        s: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
    },
    /// Filled rectangles (x, y, w, h) in one grey (0 black, 1 white).
    Fill {
        grey: f32,
        rects: Vec<(f32, f32, f32, f32)>,
    },
}

/// One page being drawn, top-left origin, in points; nothing is written
/// until it is added to its document.
pub struct Page {
    ops: Vec<Op>,
    fonts: Fonts,
}

impl Page {
    /// Text with its baseline at (x, y from the top), regular or bold.
    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, s: &str) {
        if s.is_empty() {
            return;
        }
        self.ops.push(Op::Text {
            x,
            y,
            size,
            bold,
            s: s.to_owned(),
        });
    }

    /// The width of `s` at `size` points in this page's fonts (the books'
    /// and forms' layout keeps Helvetica's metrics, which Liberation Sans
    /// shares).
    pub fn width(&self, s: &str, size: f32, bold: bool) -> f32 {
        match self.fonts {
            Fonts::Sans => text_width(s, size),
            Fonts::Serif => self.fonts.face(bold).width(s, size),
        }
    }

    /// Text ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, size: f32, bold: bool, s: &str) {
        let w = self.width(s, size, bold);
        self.text(right - w, y, size, bold, s);
    }

    /// Text centred on `center`.
    pub fn text_center(&mut self, center: f32, y: f32, size: f32, bold: bool, s: &str) {
        let w = self.width(s, size, bold);
        self.text(center - w / 2.0, y, size, bold, s);
    }

    /// A straight line.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.ops.push(Op::Line {
            from: (x1, y1),
            to: (x2, y2),
            width,
        });
    }

    /// A filled grey rectangle (table headers).
    pub fn shade(&mut self, x: f32, y: f32, w: f32, h: f32, grey: f32) {
        self.ops.push(Op::Fill {
            grey,
            rects: vec![(x, y, w, h)],
        });
    }

    /// A QR code of `data` (error correction M: a label may be scuffed),
    /// `size` points square, its top left at (x, y), with no quiet zone
    /// (leave 4 modules' room around it). Each row's dark runs are one
    /// rectangle. False when `data` is too long for a QR code.
    pub fn qr(&mut self, x: f32, y: f32, size: f32, data: &str) -> bool {
        let Ok(code) = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M) else {
            return false;
        };
        let n = code.width();
        let colors = code.to_colors();
        let unit = size / n as f32;
        let mut rects = Vec::new();
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if colors[row * n + col] != qrcode::Color::Dark {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                rects.push((
                    x + start as f32 * unit,
                    y + row as f32 * unit,
                    (col - start) as f32 * unit,
                    unit,
                ));
            }
        }
        self.ops.push(Op::Fill { grey: 0.0, rects });
        true
    }

    /// The institution's heading lines centred on `center` from `y` (the
    /// first two bold, as the forms print them); where the next line goes.
    pub fn heading(&mut self, center: f32, y: f32, lines: &[String]) -> f32 {
        for (i, line) in lines.iter().enumerate() {
            self.text_center(center, y + 15.0 * i as f32, 10.0, i < 2, line);
        }
        y + 15.0 * lines.len() as f32
    }

    /// A form's table header: a grey band from `left` to `right` with the
    /// column titles at their x.
    pub fn table_header(&mut self, left: f32, right: f32, y: f32, cols: &[(f32, &str)]) {
        self.shade(left - 4.0, y - 11.0, right - left + 8.0, 16.0, 0.9);
        for (x, t) in cols {
            self.text(*x, y, 9.0, true, t);
        }
    }

    /// Two signature blocks side by side (title, name, a line to sign on):
    /// the left one from `left`, the right one from `middle`.
    pub fn signatures(
        &mut self,
        left: f32,
        middle: f32,
        right: f32,
        y: f32,
        a: (&str, &str),
        b: (&str, &str),
    ) {
        for ((title, name), (x, end)) in [(a, (left, middle - 30.0)), (b, (middle, right))] {
            self.text(x, y, 10.0, true, title);
            self.text(x, y + 15.0, 10.0, false, name);
            self.text(x, y + 55.0, 9.0, false, "İmza:");
            self.line(x + 30.0, y + 57.0, end, y + 57.0, 0.4);
        }
    }
}

/// The document being written: PDF/A-2b through krilla, fonts embedded as
/// subsets, with its title and date in the document information and the
/// XMP metadata. krilla's document is not `Send`, and the books are
/// written from async code: it lives on a thread of its own, which draws
/// each page as it is added (through a bounded queue, so a year's book
/// holds a few pages' drawing at a time, and the reading of rows and the
/// drawing of pages run side by side); the file goes to `out` at `finish`.
pub struct PdfWriter<W: Write> {
    out: W,
    fonts: Fonts,
    title: String,
    date: time::OffsetDateTime,
    pages: usize,
    queue: std::sync::mpsc::SyncSender<Page>,
    drawer: std::thread::JoinHandle<io::Result<Vec<u8>>>,
    metadata: std::sync::mpsc::SyncSender<krilla::metadata::Metadata>,
}

fn pdf_error(e: impl std::fmt::Debug) -> io::Error {
    io::Error::other(format!("PDF: {e:?}"))
}

/// Draws one page onto a krilla document.
fn draw(doc: &mut krilla::Document, size: (f32, f32), page: Page) -> io::Result<()> {
    use krilla::geom::{PathBuilder, Point, Rect};
    use krilla::paint::{Fill, Stroke};
    let settings = krilla::page::PageSettings::from_wh(size.0, size.1)
        .ok_or_else(|| io::Error::other("PDF: bad page size"))?;
    let mut p = doc.start_page_with(settings);
    let mut s = p.surface();
    let black = || krilla::color::luma::Color::new(0);
    let mut ops = page.ops.into_iter().peekable();
    while let Some(op) = ops.next() {
        match op {
            Op::Text {
                x,
                y,
                size,
                bold,
                s: text,
            } => {
                // The cells of a line (same baseline, size and weight, left
                // to right) go out as one run: the last glyph of each
                // advances to where the next cell starts.
                let face = page.fonts.face(bold);
                let mut glyphs = face.glyphs(&text);
                let mut line = text;
                let mut end = x + glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size;
                while let Some(Op::Text {
                    x: nx,
                    y: ny,
                    size: ns,
                    bold: nb,
                    ..
                }) = ops.peek()
                {
                    if *ny != y || *ns != size || *nb != bold || *nx < end {
                        break;
                    }
                    let next_x = *nx;
                    let Some(Op::Text { s: next, .. }) = ops.next() else {
                        break;
                    };
                    if let Some(last) = glyphs.last_mut() {
                        last.x_advance += (next_x - end) / size;
                    }
                    let base = line.len();
                    let more = face.glyphs(&next);
                    end = next_x + more.iter().map(|g| g.x_advance).sum::<f32>() * size;
                    glyphs.extend(more.into_iter().map(|mut g| {
                        g.text_range = g.text_range.start + base..g.text_range.end + base;
                        g
                    }));
                    line.push_str(&next);
                }
                s.set_fill(Some(Fill {
                    paint: black().into(),
                    ..Default::default()
                }));
                s.draw_glyphs(
                    Point::from_xy(x, y),
                    &glyphs,
                    face.font.clone(),
                    &line,
                    size,
                    false,
                );
            }
            Op::Line { from, to, width } => {
                let mut pb = PathBuilder::new();
                pb.move_to(from.0, from.1);
                pb.line_to(to.0, to.1);
                if let Some(path) = pb.finish() {
                    s.set_fill(None);
                    s.set_stroke(Some(Stroke {
                        paint: black().into(),
                        width,
                        ..Default::default()
                    }));
                    s.draw_path(&path);
                    s.set_stroke(None);
                }
            }
            Op::Fill { grey, rects } => {
                let mut pb = PathBuilder::new();
                for (x, y, w, h) in rects {
                    if let Some(r) = Rect::from_xywh(x, y, w, h) {
                        pb.push_rect(r);
                    }
                }
                if let Some(path) = pb.finish() {
                    let level = (grey.clamp(0.0, 1.0) * 255.0).round() as u8;
                    s.set_stroke(None);
                    s.set_fill(Some(Fill {
                        paint: krilla::color::luma::Color::new(level).into(),
                        ..Default::default()
                    }));
                    s.draw_path(&path);
                }
            }
        }
    }
    s.finish();
    p.finish();
    Ok(())
}

impl<W: Write> PdfWriter<W> {
    /// A book or form (Liberation Sans).
    pub fn new(out: W, size: (f32, f32), title: &str) -> io::Result<Self> {
        Self::start(out, size, title, Fonts::Sans)
    }

    /// An official letter (Liberation Serif).
    pub fn new_embedded(out: W, size: (f32, f32), title: &str) -> io::Result<Self> {
        Self::start(out, size, title, Fonts::Serif)
    }

    fn start(out: W, size: (f32, f32), title: &str, fonts: Fonts) -> io::Result<Self> {
        use krilla::configure::{Archival, ConfigurationBuilder};
        let configuration = ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_B)
            .finish()
            .map_err(pdf_error)?;
        let (queue, pages) = std::sync::mpsc::sync_channel::<Page>(16);
        let (metadata, last) = std::sync::mpsc::sync_channel::<krilla::metadata::Metadata>(1);
        let drawer = std::thread::Builder::new()
            .name("pdf".into())
            .spawn(move || {
                let mut doc = krilla::Document::new_with(krilla::SerializeSettings {
                    configuration,
                    ..Default::default()
                });
                let mut failed = None;
                for page in pages {
                    if failed.is_none() {
                        failed = draw(&mut doc, size, page).err();
                    }
                }
                if let Some(e) = failed {
                    return Err(e);
                }
                match last.recv() {
                    Ok(m) => doc.set_metadata(m),
                    Err(_) => return Err(io::Error::other("PDF: abandoned")),
                }
                doc.finish().map_err(pdf_error)
            })?;
        Ok(PdfWriter {
            out,
            fonts,
            title: title.to_owned(),
            date: time::OffsetDateTime::now_utc(),
            pages: 0,
            queue,
            drawer,
            metadata,
        })
    }

    /// The document's date (its metadata): a letter's is its signature's,
    /// so that the same letter always prints to the same bytes.
    pub fn dated(mut self, at: time::OffsetDateTime) -> Self {
        self.date = at;
        self
    }

    /// A blank page to draw on.
    pub fn page(&self) -> Page {
        Page {
            ops: Vec::with_capacity(256),
            fonts: self.fonts,
        }
    }

    /// Hands a finished page to the drawing thread.
    pub fn add(&mut self, page: Page) -> io::Result<()> {
        self.queue
            .send(page)
            .map_err(|_| io::Error::other("PDF: the drawing thread stopped"))?;
        self.pages += 1;
        Ok(())
    }

    pub fn page_count(&self) -> usize {
        self.pages
    }

    /// Finishes the document (PDF/A-2b, checked by krilla's validator) and
    /// writes it out.
    pub fn finish(mut self) -> io::Result<W> {
        use krilla::metadata::{DateTime, Metadata};
        if self.pages == 0 {
            let p = self.page();
            self.add(p)?;
        }
        let t = self
            .date
            .checked_to_offset(domain::local::OFFSET)
            .unwrap_or(self.date);
        let date = DateTime::new(t.year().clamp(0, 9999) as u16)
            .month(u8::from(t.month()))
            .day(t.day())
            .hour(t.hour())
            .minute(t.minute())
            .second(t.second())
            .utc_offset_hour(3)
            .utc_offset_minute(0);
        let PdfWriter {
            mut out,
            title,
            queue,
            drawer,
            metadata,
            ..
        } = self;
        drop(queue);
        let _ = metadata.send(
            Metadata::new()
                .title(title)
                .creator("Mudurluk".into())
                .producer("Mudurluk (krilla)".into())
                .language("tr".into())
                .creation_date(date),
        );
        let bytes = drawer
            .join()
            .map_err(|_| io::Error::other("PDF: the drawing thread panicked"))??;
        out.write_all(&bytes)?;
        out.flush()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_pdf_a_2b_with_its_fonts_embedded() {
        let mut w = PdfWriter::new(Vec::new(), A4, "Deneme (1)").unwrap();
        for i in 0..3 {
            let mut p = w.page();
            p.text(
                40.0,
                40.0,
                12.0,
                true,
                &format!("Sayfa {i}: İşlem (tamam) ğüşıöç"),
            );
            p.line(40.0, 50.0, 500.0, 50.0, 0.5);
            p.shade(40.0, 60.0, 100.0, 10.0, 0.9);
            assert!(p.qr(
                40.0,
                80.0,
                60.0,
                "https://ebys.ornek.bel.tr/dogrula?kod=ABCD"
            ));
            w.add(p).unwrap();
        }
        let pdf = w.finish().unwrap();
        let s = String::from_utf8_lossy(&pdf);
        assert!(s.starts_with("%PDF-1.7"), "{}", &s[..20]);
        assert!(
            s.contains("<pdfaid:part>2</pdfaid:part>")
                && s.contains("<pdfaid:conformance>B</pdfaid:conformance>")
        );
        assert!(s.contains("/FontFile2"), "the font travels with the file");
        assert!(!s.contains("/Helvetica"), "no font that is not embedded");
        assert!(s.contains("/OutputIntents"), "an output intent (sRGB)");
    }

    #[test]
    fn a_book_cell_wraps_without_losing_a_character() {
        let s = "T.C. Çevre, Şehircilik ve İklim Değişikliği Bakanlığı E-87654321-010.06.02-123456 RR123456789TR";
        let lines = wrap_whole(s, 7.5, 60.0);
        assert!(lines.len() > 3, "{lines:?}");
        assert!(
            lines.iter().all(|l| text_width(l, 7.5) <= 60.0 + 0.01),
            "{lines:?}"
        );
        let joined: String = lines
            .concat()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let want: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(joined, want, "nothing lost, nothing added");
        assert!(!lines.concat().contains('…'));
        assert_eq!(wrap_whole("", 7.5, 60.0), Vec::<String>::new());
    }

    #[test]
    fn long_text_is_cut_or_wrapped_to_fit() {
        let s = "Coğrafi bilgi sistemleri veri paylaşımı hakkında uzun bir konu";
        let cut = fit(s, 8.0, 100.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 8.0) <= 100.0 + 0.01,
            "{cut}"
        );
        assert_eq!(fit("kısa", 8.0, 100.0), "kısa");
        let lines = wrap(s, 10.0, 120.0);
        assert!(
            lines.len() > 1 && lines.iter().all(|l| text_width(l, 10.0) <= 120.0 + 0.01),
            "{lines:?}"
        );
    }
}
