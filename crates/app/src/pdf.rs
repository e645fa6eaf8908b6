//! A small streaming PDF writer for the printed forms and books (the
//! receipt, the register books): pages of text and rules in Helvetica,
//! written object by object to any `Write`, so a book of 200,000 entries
//! needs memory for one page at a time, not for the book.
//!
//! Turkish letters, two ways:
//! - the books and forms use the standard Helvetica (not embedded): text
//!   is encoded in ISO-8859-9 (Latin-5) over WinAnsiEncoding, with a
//!   `/Differences` array naming the six letters Latin-5 adds (Ğ ğ İ ı Ş
//!   ş); characters outside Latin-5 print as `?`;
//! - official letters ([`PdfWriter::new_embedded`]) embed Liberation Serif,
//!   regular and bold, subset to the glyphs used (Type0 / CIDFontType2,
//!   Identity-H, with a ToUnicode map so the text can be copied and
//!   searched).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use flate2::write::ZlibEncoder;
use flate2::Compression;

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

/// The byte of `c` in the font's encoding.
fn encode(c: char) -> u8 {
    match c {
        'Ğ' => 0xD0,
        'İ' => 0xDD,
        'Ş' => 0xDE,
        'ğ' => 0xF0,
        'ı' => 0xFD,
        'ş' => 0xFE,
        '…' => 0x85,
        '–' => 0x96,
        '—' => 0x97,
        '\u{20}'..='\u{7e}' => c as u8,
        '\u{a0}'..='\u{ff}' if !matches!(c, 'Ð' | 'Ý' | 'Þ' | 'ð' | 'ý' | 'þ') => {
            c as u32 as u8
        }
        _ => b'?',
    }
}

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

/// An embedded font face: its file, and the glyphs used so far (numbered
/// in the subset's order) with the character each stands for and its
/// width.
/// Liberation Serif, metric-compatible with Times New Roman, the face the
/// Resmî Yazışma Yönetmeliği m.7 names for letters (`fonts/README.md`).
const LETTER_REGULAR: &[u8] = include_bytes!("../fonts/LiberationSerif-Regular.ttf");
const LETTER_BOLD: &[u8] = include_bytes!("../fonts/LiberationSerif-Bold.ttf");

struct EmbeddedFace {
    data: &'static [u8],
    face: ttf_parser::Face<'static>,
    remap: subsetter::GlyphRemapper,
    used: BTreeMap<u16, (char, u16)>,
}

impl EmbeddedFace {
    fn new(data: &'static [u8]) -> Self {
        let face = ttf_parser::Face::parse(data, 0).expect("the shipped Liberation Serif parses");
        EmbeddedFace {
            data,
            face,
            remap: subsetter::GlyphRemapper::new(),
            used: BTreeMap::new(),
        }
    }

    fn advance(&self, gid: ttf_parser::GlyphId) -> u16 {
        let upem = f32::from(self.face.units_per_em());
        (f32::from(self.face.glyph_hor_advance(gid).unwrap_or(0)) * 1000.0 / upem).round() as u16
    }

    fn width(&self, s: &str, size: f32) -> f32 {
        s.chars()
            .map(|c| f32::from(self.advance(self.face.glyph_index(c).unwrap_or_default())))
            .sum::<f32>()
            * size
            / 1000.0
    }

    /// The text as hex codes of the subset's glyphs (Identity-H).
    fn encode(&mut self, s: &str) -> String {
        let mut hex = String::with_capacity(s.len() * 4);
        for c in s.chars() {
            let gid = self.face.glyph_index(c).unwrap_or_default();
            let new = self.remap.remap(gid.0);
            let w = self.advance(gid);
            self.used.entry(new).or_insert((c, w));
            hex.push_str(&format!("{new:04X}"));
        }
        hex
    }
}

/// The fonts of a document.
#[derive(Clone)]
enum Fonts {
    /// Helvetica (regular, bold), not embedded.
    Standard,
    /// Liberation Serif (regular, bold), embedded as subsets at the end.
    Embedded(Arc<Mutex<[EmbeddedFace; 2]>>),
}

/// One page being drawn: PDF content operators, top-left origin.
pub struct Page {
    height: f32,
    ops: Vec<u8>,
    fonts: Fonts,
}

impl Page {
    /// Text at (x, y from the top), regular or bold.
    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, s: &str) {
        let font = if bold { "F2" } else { "F1" };
        let _ = write!(
            self.ops,
            "BT /{font} {size} Tf {x:.2} {:.2} Td ",
            self.height - y
        );
        match &self.fonts {
            Fonts::Standard => {
                self.ops.push(b'(');
                for c in s.chars() {
                    match encode(c) {
                        b'(' | b')' | b'\\' => {
                            self.ops.push(b'\\');
                            self.ops.push(encode(c));
                        }
                        b => self.ops.push(b),
                    }
                }
                self.ops.extend_from_slice(b") Tj ET\n");
            }
            Fonts::Embedded(faces) => {
                let hex = faces
                    .lock()
                    .map(|mut f| f[usize::from(bold)].encode(s))
                    .unwrap_or_default();
                let _ = writeln!(self.ops, "<{hex}> Tj ET");
            }
        }
    }

    /// The width of `s` at `size` points in this page's fonts.
    pub fn width(&self, s: &str, size: f32, bold: bool) -> f32 {
        match &self.fonts {
            Fonts::Standard => text_width(s, size),
            Fonts::Embedded(faces) => faces
                .lock()
                .map(|f| f[usize::from(bold)].width(s, size))
                .unwrap_or(0.0),
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
        let h = self.height;
        let _ = writeln!(
            self.ops,
            "{width} w {x1:.2} {:.2} m {x2:.2} {:.2} l S",
            h - y1,
            h - y2
        );
    }

    /// A filled grey rectangle (table headers).
    pub fn shade(&mut self, x: f32, y: f32, w: f32, h: f32, grey: f32) {
        let _ = writeln!(
            self.ops,
            "q {grey} g {x:.2} {:.2} {w:.2} {h:.2} re f Q",
            self.height - y - h
        );
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
        self.ops.extend_from_slice(b"q 0 g\n");
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
                let _ = writeln!(
                    self.ops,
                    "{:.3} {:.3} {:.3} {:.3} re",
                    x + start as f32 * unit,
                    self.height - y - (row + 1) as f32 * unit,
                    (col - start) as f32 * unit,
                    unit
                );
            }
        }
        self.ops.extend_from_slice(b"f Q\n");
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

/// The document being written.
pub struct PdfWriter<W: Write> {
    out: CountingWriter<W>,
    size: (f32, f32),
    fonts: Fonts,
    /// Byte offset of each object, by number (index 0 unused).
    offsets: Vec<u64>,
    pages: Vec<u32>,
}

struct CountingWriter<W: Write> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

// Fixed objects: 1 catalog, 2 page tree, 3 Helvetica, 4 Helvetica-Bold, 5 info.
const CATALOG: u32 = 1;
const PAGES: u32 = 2;
const FIRST_FREE: u32 = 6;

impl<W: Write> PdfWriter<W> {
    pub fn new(out: W, size: (f32, f32), title: &str) -> io::Result<Self> {
        Self::start(out, size, title, Fonts::Standard)
    }

    /// A document with Liberation Serif embedded (subset to what is printed):
    /// for official letters, whose fonts must travel with them.
    pub fn new_embedded(out: W, size: (f32, f32), title: &str) -> io::Result<Self> {
        let faces = [
            EmbeddedFace::new(LETTER_REGULAR),
            EmbeddedFace::new(LETTER_BOLD),
        ];
        Self::start(
            out,
            size,
            title,
            Fonts::Embedded(Arc::new(Mutex::new(faces))),
        )
    }

    fn start(out: W, size: (f32, f32), title: &str, fonts: Fonts) -> io::Result<Self> {
        let standard = matches!(fonts, Fonts::Standard);
        let mut w = PdfWriter {
            out: CountingWriter {
                inner: out,
                written: 0,
            },
            size,
            fonts,
            offsets: vec![0; FIRST_FREE as usize],
            pages: Vec::new(),
        };
        w.out.write_all(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")?;
        for (n, name) in [(3, "Helvetica"), (4, "Helvetica-Bold")]
            .into_iter()
            .filter(|_| standard)
        {
            w.object(n, format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding \
                 /Differences [208 /Gbreve 221 /Idotaccent /Scedilla 240 /gbreve 253 /dotlessi /scedilla] >> >>"
            ).as_bytes())?;
        }
        // A text string in UTF-16BE with its byte order mark: the title
        // the reader's window shows, Turkish letters and all.
        let mut info = b"<< /Producer (Mudurluk) /Title <FEFF".to_vec();
        for unit in title.encode_utf16() {
            info.extend_from_slice(format!("{unit:04X}").as_bytes());
        }
        info.extend_from_slice(b"> >>");
        w.object(5, &info)?;
        Ok(w)
    }

    fn object(&mut self, n: u32, body: &[u8]) -> io::Result<()> {
        if self.offsets.len() <= n as usize {
            self.offsets.resize(n as usize + 1, 0);
        }
        self.offsets[n as usize] = self.out.written;
        write!(self.out, "{n} 0 obj\n")?;
        self.out.write_all(body)?;
        self.out.write_all(b"\nendobj\n")
    }

    fn next_number(&self) -> u32 {
        self.offsets.len() as u32
    }

    /// A blank page to draw on.
    pub fn page(&self) -> Page {
        Page {
            height: self.size.1,
            ops: Vec::with_capacity(16 * 1024),
            fonts: self.fonts.clone(),
        }
    }

    /// Writes a finished page out (compressed); its memory is freed.
    pub fn add(&mut self, page: Page) -> io::Result<()> {
        let mut z = ZlibEncoder::new(Vec::with_capacity(page.ops.len() / 3), Compression::fast());
        z.write_all(&page.ops)?;
        let data = z.finish()?;
        let content = self.next_number();
        let mut body = format!(
            "<< /Length {} /Filter /FlateDecode >>\nstream\n",
            data.len()
        )
        .into_bytes();
        body.extend_from_slice(&data);
        body.extend_from_slice(b"\nendstream");
        self.object(content, &body)?;
        let page_no = self.next_number();
        self.object(
            page_no,
            format!(
                "<< /Type /Page /Parent {PAGES} 0 R /MediaBox [0 0 {} {}] /Contents {content} 0 R \
             /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>",
                self.size.0, self.size.1
            )
            .as_bytes(),
        )?;
        self.pages.push(page_no);
        Ok(())
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Writes an embedded face's subset and its dictionaries; the Type0
    /// font itself is object `number`.
    fn embed(&mut self, number: u32, face: &EmbeddedFace, name: &str) -> io::Result<()> {
        let subset = subsetter::subset(face.data, 0, &face.remap)
            .map_err(|e| io::Error::other(format!("font subset: {e}")))?;
        let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
        z.write_all(&subset)?;
        let data = z.finish()?;
        let file = self.next_number();
        let mut body = format!(
            "<< /Length {} /Length1 {} /Filter /FlateDecode >>\nstream\n",
            data.len(),
            subset.len()
        )
        .into_bytes();
        body.extend_from_slice(&data);
        body.extend_from_slice(b"\nendstream");
        self.object(file, &body)?;
        let f = &face.face;
        let scale = |v: i16| (f32::from(v) * 1000.0 / f32::from(f.units_per_em())).round() as i32;
        let bbox = f.global_bounding_box();
        let descriptor = self.next_number();
        self.object(descriptor, format!(
            "<< /Type /FontDescriptor /FontName /{name} /Flags 32 /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {} /Descent {} \
             /CapHeight {} /StemV 80 /FontFile2 {file} 0 R >>",
            scale(bbox.x_min), scale(bbox.y_min), scale(bbox.x_max), scale(bbox.y_max), scale(f.ascender()), scale(f.descender()),
            scale(f.capital_height().unwrap_or(f.ascender()))
        ).as_bytes())?;
        // Widths of the subset's glyphs, in their order (CID = glyph).
        let widths: Vec<String> = (0..face.remap.num_gids())
            .map(|g| face.used.get(&g).map_or(0, |u| u.1).to_string())
            .collect();
        let cid = self.next_number();
        self.object(cid, format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
             /FontDescriptor {descriptor} 0 R /W [0 [{}]] /CIDToGIDMap /Identity >>",
            widths.join(" ")
        ).as_bytes())?;
        // ToUnicode: each glyph back to its character.
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let pairs: Vec<(u16, char)> = face.used.iter().map(|(g, (c, _))| (*g, *c)).collect();
        for chunk in pairs.chunks(100) {
            cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
            for (g, c) in chunk {
                let mut units = [0u16; 2];
                let hex: String = c
                    .encode_utf16(&mut units)
                    .iter()
                    .map(|u| format!("{u:04X}"))
                    .collect();
                cmap.push_str(&format!("<{g:04X}> <{hex}>\n"));
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        let to_unicode = self.next_number();
        let mut body = format!("<< /Length {} >>\nstream\n", cmap.len()).into_bytes();
        body.extend_from_slice(cmap.as_bytes());
        body.extend_from_slice(b"\nendstream");
        self.object(to_unicode, &body)?;
        self.object(number, format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>"
        ).as_bytes())
    }

    /// Writes the page tree, catalog, cross-reference table and trailer.
    pub fn finish(mut self) -> io::Result<W> {
        if let Fonts::Embedded(faces) = self.fonts.clone() {
            let faces = faces
                .lock()
                .map_err(|_| io::Error::other("font state poisoned"))?;
            self.embed(3, &faces[0], "MUDRLA+LiberationSerif")?;
            self.embed(4, &faces[1], "MUDRLB+LiberationSerif-Bold")?;
        }
        let kids: Vec<String> = self.pages.iter().map(|p| format!("{p} 0 R")).collect();
        self.object(
            PAGES,
            format!(
                "<< /Type /Pages /Count {} /Kids [{}] >>",
                self.pages.len(),
                kids.join(" ")
            )
            .as_bytes(),
        )?;
        self.object(
            CATALOG,
            format!("<< /Type /Catalog /Pages {PAGES} 0 R >>").as_bytes(),
        )?;
        let xref = self.out.written;
        write!(
            self.out,
            "xref\n0 {}\n0000000000 65535 f \n",
            self.offsets.len()
        )?;
        for off in &self.offsets[1..] {
            write!(self.out, "{off:010} 00000 n \n")?;
        }
        write!(
            self.out,
            "trailer\n<< /Size {} /Root {CATALOG} 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len()
        )?;
        self.out.flush()?;
        Ok(self.out.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkish_letters_use_the_latin5_slots() {
        let bytes: Vec<u8> = "ĞğİıŞşÇçÖöÜü".chars().map(encode).collect();
        assert_eq!(
            bytes,
            [0xD0, 0xF0, 0xDD, 0xFD, 0xDE, 0xFE, 0xC7, 0xE7, 0xD6, 0xF6, 0xDC, 0xFC]
        );
        assert_eq!(encode('€'), b'?');
    }

    #[test]
    fn a_document_has_a_consistent_cross_reference_table() {
        let mut w = PdfWriter::new(Vec::new(), A4, "Deneme (1)").unwrap();
        for i in 0..3 {
            let mut p = w.page();
            p.text(40.0, 40.0, 12.0, true, &format!("Sayfa {i}: İşlem (tamam)"));
            p.line(40.0, 50.0, 500.0, 50.0, 0.5);
            w.add(p).unwrap();
        }
        let pdf = w.finish().unwrap();
        let s = String::from_utf8_lossy(&pdf);
        assert!(s.starts_with("%PDF-1.4"));
        assert!(s.contains("/Count 3"));
        // Every offset in the table points at its object.
        let start: usize = s
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        // (Offsets are bytes: read the table from the bytes, not the lossy text.)
        let table = String::from_utf8_lossy(&pdf[start..]).into_owned();
        let entries: Vec<&str> = table
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .collect();
        assert_eq!(entries.len(), 2 * 3 + 5);
        for (i, e) in entries.iter().enumerate() {
            let off: usize = e[..10].parse().unwrap();
            assert!(
                pdf[off..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
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
