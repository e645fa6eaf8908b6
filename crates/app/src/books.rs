//! The printed side of correspondence: the register books (gelen evrak
//! defteri, dilekçe defteri, giden evrak defteri) for a date range as PDF
//! or CSV, the receipt (alındı belgesi) handed to whoever delivered a
//! document by hand, and the courier's list (zimmet listesi) of letters
//! handed over by hand.
//!
//! A book row of a document the reader may not see (GZL/CGZ, personal
//! data) keeps its number and date but not its sender and subject.

use std::io::Write;

use store::correspondence::{BookRow, Incoming};
use store::User;
use time::{Date, OffsetDateTime};

use crate::correspondence::may_see;
use crate::pdf::{fit, wrap, PdfWriter, A4, A4_LANDSCAPE};
use crate::{App, AppError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookFormat {
    Pdf,
    Csv,
}

impl BookFormat {
    pub fn parse(s: &str) -> Option<BookFormat> {
        match s.trim() {
            "pdf" | "" => Some(BookFormat::Pdf),
            "csv" => Some(BookFormat::Csv),
            _ => None,
        }
    }
}

const HIDDEN: &str = "(gizli / kişisel veri)";

fn date_tr(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

fn time_tr(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::macros::offset!(+3));
    format!("{} {:02}:{:02}", date_tr(t.date()), t.hour(), t.minute())
}

/// A dispatch channel in Turkish.
fn channel_tr(code: &str) -> &'static str {
    match code {
        "hand" => "Elden",
        "kep" => "KEP",
        "email" => "E-posta",
        "post" => "Posta",
        "eyazisma" => "e-Yazışma",
        _ => "?",
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A book's columns: title and width in points (landscape A4, 782 wide).
type Columns = &'static [(&'static str, f32)];

/// The incoming and petition books' columns.
const COLUMNS: Columns = &[
    ("Sıra No", 42.0),
    ("Kayıt Tarihi", 62.0),
    ("Gönderen", 140.0),
    ("Sayısı", 96.0),
    ("Tarihi", 52.0),
    ("Konusu", 180.0),
    ("Ek", 22.0),
    ("Havale Edildiği Yer", 110.0),
    ("Teslim Alan", 78.0),
];

/// The outgoing register book's columns (giden evrak defteri).
const OUTGOING_COLUMNS: Columns = &[
    ("Sıra No", 42.0),
    ("Tarih", 58.0),
    ("Sayı", 150.0),
    ("Gönderildiği Yer", 150.0),
    ("Konusu", 170.0),
    ("Ek", 22.0),
    ("Gönderim", 50.0),
    ("Teslim / Alındı", 140.0),
];

/// The courier's list: who took each letter, with room for a signature.
const COURIER_COLUMNS: Columns = &[
    ("Sıra", 30.0),
    ("Sayı", 150.0),
    ("Tarih", 58.0),
    ("Gönderildiği Yer", 200.0),
    ("Konusu", 184.0),
    ("Teslim Alan", 80.0),
    ("İmza", 80.0),
];
struct BookPdf<W: Write> {
    pdf: PdfWriter<W>,
    page: Option<crate::pdf::Page>,
    y: f32,
    title: String,
    range: String,
    columns: Columns,
    /// Row height (the courier's list leaves room to sign).
    row: f32,
}

const MARGIN: f32 = 30.0;
const ROW: f32 = 11.0;
const SIZE: f32 = 7.5;

impl<W: Write> BookPdf<W> {
    fn start_page(&mut self) -> std::io::Result<()> {
        if let Some(p) = self.page.take() {
            self.pdf.add(p)?;
        }
        let mut p = self.pdf.page();
        let n = self.pdf.page_count() + 1;
        p.text(MARGIN, 32.0, 12.0, true, &self.title);
        p.text(MARGIN, 46.0, 8.0, false, &self.range);
        p.text_right(A4_LANDSCAPE.0 - MARGIN, 46.0, 8.0, false, &format!("Sayfa {n}"));
        p.shade(MARGIN, 54.0, A4_LANDSCAPE.0 - 2.0 * MARGIN, 14.0, 0.88);
        let mut x = MARGIN;
        for (title, w) in self.columns {
            p.text(x + 2.0, 64.0, SIZE, true, title);
            x += w;
        }
        p.line(MARGIN, 68.0, A4_LANDSCAPE.0 - MARGIN, 68.0, 0.6);
        self.page = Some(p);
        self.y = 68.0;
        Ok(())
    }

    fn row(&mut self, cells: &[String]) -> std::io::Result<()> {
        if self.page.is_none() || self.y + self.row > A4_LANDSCAPE.1 - MARGIN {
            self.start_page()?;
        }
        self.y += self.row;
        let y = self.y;
        if let Some(p) = self.page.as_mut() {
            let mut x = MARGIN;
            for ((_, w), cell) in self.columns.iter().zip(cells.iter()) {
                p.text(x + 2.0, y - 3.0, SIZE, false, &fit(cell, SIZE, w - 4.0));
                x += w;
            }
            p.line(MARGIN, y, A4_LANDSCAPE.0 - MARGIN, y, 0.2);
        }
        Ok(())
    }
}

/// Where a book's rows go: CSV or PDF, written as they come.
enum BookSink<'a> {
    Csv(&'a mut (dyn Write + Send)),
    Pdf(BookPdf<&'a mut (dyn Write + Send)>),
}

impl<'a> BookSink<'a> {
    fn start(format: BookFormat, out: &'a mut (dyn Write + Send), title: String, range: String, columns: Columns, row: f32) -> std::io::Result<Self> {
        Ok(match format {
            BookFormat::Csv => {
                // UTF-8 with BOM and `;`: what Excel in Turkish opens as it is.
                out.write_all("\u{feff}".as_bytes())?;
                let header: Vec<&str> = columns.iter().map(|c| c.0).collect();
                writeln!(out, "{}\r", header.join(";"))?;
                BookSink::Csv(out)
            }
            BookFormat::Pdf => {
                let pdf = PdfWriter::new(out, A4_LANDSCAPE, &title)?;
                BookSink::Pdf(BookPdf { pdf, page: None, y: 0.0, title, range, columns, row })
            }
        })
    }

    fn row(&mut self, cells: &[String]) -> std::io::Result<()> {
        match self {
            BookSink::Csv(out) => {
                let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
                writeln!(out, "{}\r", line.join(";"))
            }
            BookSink::Pdf(book) => book.row(cells),
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            BookSink::Csv(out) => out.flush(),
            BookSink::Pdf(mut book) => {
                if book.page.is_none() {
                    book.start_page()?;
                    if let Some(p) = book.page.as_mut() {
                        p.text(MARGIN, 90.0, 9.0, false, "Bu tarih aralığında kayıt yok.");
                    }
                }
                if let Some(p) = book.page.take() {
                    book.pdf.add(p)?;
                }
                book.pdf.finish()?;
                Ok(())
            }
        }
    }
}

fn day_range(from: &str, to: &str) -> Result<(Date, Date, OffsetDateTime, OffsetDateTime)> {
    let parse = |field: &'static str, s: &str| {
        Date::parse(s.trim(), time::macros::format_description!("[year]-[month]-[day]")).map_err(|_| AppError::invalid(field, "bad_date"))
    };
    let (from, to) = (parse("from", from)?, parse("to", to)?);
    if to < from {
        return Err(AppError::invalid("to", "period_empty"));
    }
    let tz = time::macros::offset!(+3);
    Ok((from, to, from.midnight().assume_offset(tz), to.next_day().unwrap_or(to).midnight().assume_offset(tz)))
}

impl App {
    /// Writes the outgoing register book (giden evrak defteri, m.21/2) for
    /// the dates `from`–`to`, or with `courier` the list of letters handed
    /// over by hand in those days, to be signed by whoever took them.
    /// Kept by the Kalem (m.16/1); the Müdür may print it too. A letter
    /// the reader may not see keeps its number and date only.
    pub async fn letter_book(&self, actor: &User, from: &str, to: &str, courier: bool, format: BookFormat, out: &mut (dyn Write + Send)) -> Result<u64> {
        let (from, to, start, end) = day_range(from, to)?;
        if !self.holds(actor, "register_correspondence").await? && !self.holds(actor, "route_incoming").await? {
            return Err(AppError::forbidden("register_correspondence"));
        }
        let viewer = self.viewer(actor).await?;
        let institution = self.settings().await?;
        let range = format!("{} — {} · {} – {}", institution.institution_name, institution.directorate_name, date_tr(from), date_tr(to));
        let (title, columns, row) = if courier {
            ("ZİMMET LİSTESİ (ELDEN TESLİM)", COURIER_COLUMNS, 20.0)
        } else {
            ("GİDEN EVRAK DEFTERİ", OUTGOING_COLUMNS, ROW)
        };
        let io = |e: std::io::Error| AppError::Internal(e.into());
        let mut sink = BookSink::start(format, out, title.to_owned(), range, columns, row).map_err(io)?;
        let mut n_row = 0u64;
        let mut write = |r: store::outgoing::LetterBookRow| -> store::Result<()> {
            n_row += 1;
            let visible = !r.is_restricted() || viewer.routes || r.writer_id == viewer.user_id;
            let (to, subject) = if visible { (r.addressees.clone(), r.subject.clone()) } else { (HIDDEN.to_owned(), HIDDEN.to_owned()) };
            let cells: Vec<String> = if courier {
                vec![n_row.to_string(), r.number.clone(), date_tr(crate::correspondence::local_date(r.signed_at)), to, subject,
                    r.dispatch_ref.clone().unwrap_or_default(), String::new()]
            } else {
                vec![r.seq.to_string(), date_tr(crate::correspondence::local_date(r.signed_at)), r.number.clone(), to, subject,
                    r.attachments.to_string(), r.dispatch_channel.clone().map(|c| channel_tr(&c).to_owned()).unwrap_or_default(),
                    match (r.dispatch_ref.as_deref(), r.dispatched_at) {
                        (Some(reference), Some(at)) => format!("{reference} ({})", time_tr(at)),
                        _ => String::new(),
                    }]
            };
            sink.row(&cells).map_err(|e| store::StoreError::Internal(e.into()))
        };
        let n = self.store.letter_book(start, end, courier, &mut write).await?;
        sink.finish().map_err(io)?;
        Ok(n)
    }

    /// Writes the register book of `register` (`incoming` or `petition`)
    /// for the dates `from`–`to` (inclusive, Türkiye time) to `out`.
    /// Kept by the Kalem (m.16/1); the Müdür may print it too.
    #[allow(clippy::too_many_arguments)]
    pub async fn register_book(
        &self,
        actor: &User,
        register: &str,
        from: &str,
        to: &str,
        format: BookFormat,
        out: &mut (dyn Write + Send),
    ) -> Result<u64> {
        let register = match register.trim() {
            "" | "incoming" => domain::correspondence::Register::Incoming,
            "petition" => domain::correspondence::Register::Petition,
            _ => return Err(AppError::invalid("register", "bad_register")),
        };
        let (from, to, start, end) = day_range(from, to)?;
        if !self.holds(actor, "register_correspondence").await? && !self.holds(actor, "route_incoming").await? {
            return Err(AppError::forbidden("register_correspondence"));
        }
        let viewer = self.viewer(actor).await?;
        let title = format!("{} DEFTERİ", if register == domain::correspondence::Register::Petition { "DİLEKÇE" } else { "GELEN EVRAK" });
        let institution = self.settings().await?;
        let range = format!("{} — {} · {} – {}", institution.institution_name, institution.directorate_name, date_tr(from), date_tr(to));
        let units = self.profile.units().to_vec();
        let unit_name = move |id: &str| units.iter().find(|u| u.id == id).map(|u| u.name.clone()).unwrap_or_else(|| id.to_owned());
        let cells = move |r: &BookRow| -> [String; 9] {
            let visible = may_see(r.is_restricted(), r.registered_by_id, &[], &viewer) || r.viewer_is_recipient;
            let (sender, subject) = if visible { (r.sender_name.clone(), r.subject.clone()) } else { (HIDDEN.to_owned(), HIDDEN.to_owned()) };
            [
                r.seq.to_string(),
                time_tr(r.registered_at),
                sender,
                if visible { r.sender_ref.clone() } else { String::new() },
                r.sender_date.map(date_tr).unwrap_or_default(),
                subject,
                r.attachments.to_string(),
                r.routed_to.as_deref().map(&unit_name).unwrap_or_default(),
                r.delivered_to.clone().unwrap_or_default(),
            ]
        };
        let io = |e: std::io::Error| AppError::Internal(e.into());
        let mut sink = BookSink::start(format, out, title, range, COLUMNS, ROW).map_err(io)?;
        let mut write = |r: BookRow| -> store::Result<()> { sink.row(&cells(&r)).map_err(|e| store::StoreError::Internal(e.into())) };
        let n = self.store.register_book(register.code(), start, end, &self.viewer(actor).await?, &mut write).await?;
        sink.finish().map_err(io)?;
        Ok(n)
    }

    /// The receipt (alındı belgesi) of a document delivered by hand: one
    /// A4 page with the number, time, sender, subject, attachments and the
    /// two signatures. Whoever may see the document may print it.
    pub async fn receipt(&self, actor: &User, id: i64) -> Result<(Incoming, Vec<u8>)> {
        let d = self.incoming(actor, id).await?;
        let settings = self.settings().await?;
        let io = |e: std::io::Error| AppError::Internal(e.into());
        let mut pdf = PdfWriter::new(Vec::new(), A4, &format!("Alındı belgesi {}", d.number)).map_err(io)?;
        let mut p = pdf.page();
        let (w, m) = (A4.0, 60.0);
        p.text(m, 70.0, 11.0, true, "T.C.");
        p.text(m, 86.0, 11.0, true, &settings.institution_name);
        p.text(m, 102.0, 11.0, false, &settings.directorate_name);
        p.text(m, 150.0, 16.0, true, "ALINDI BELGESİ");
        p.line(m, 158.0, w - m, 158.0, 0.8);
        let rows = [
            ("Kayıt no", d.number.clone()),
            ("Kayıt tarihi ve saati", time_tr(d.registered_at)),
            ("Gönderen", d.sender_name.clone()),
            ("Gönderenin sayısı", d.sender_ref.clone()),
            ("Gönderenin tarihi", d.sender_date.map(date_tr).unwrap_or_default()),
            ("Konu", d.subject.clone()),
            ("Ek sayısı", d.attachments.len().to_string()),
            ("Cevap süresi", format!("{} ({})", date_tr(d.due_date), domain::calendar::LegalBasis::parse(&d.legal_basis).map(|b| b.description_tr()).unwrap_or_default())),
        ];
        let mut y = 185.0;
        for (label, value) in rows {
            p.text(m, y, 10.0, true, label);
            for line in wrap(&value, 10.0, w - m - 200.0) {
                p.text(m + 140.0, y, 10.0, false, &line);
                y += 14.0;
            }
            y += 6.0;
        }
        y += 30.0;
        p.text(m, y, 10.0, true, "Teslim eden");
        p.text(w / 2.0 + 10.0, y, 10.0, true, "Teslim alan");
        p.text(m, y + 16.0, 10.0, false, &d.delivered_by);
        p.text(w / 2.0 + 10.0, y + 16.0, 10.0, false, &d.received_by);
        p.text(m, y + 60.0, 9.0, false, "İmza:");
        p.text(w / 2.0 + 10.0, y + 60.0, 9.0, false, "İmza:");
        p.line(m + 30.0, y + 62.0, w / 2.0 - 20.0, y + 62.0, 0.4);
        p.line(w / 2.0 + 40.0, y + 62.0, w - m, y + 62.0, 0.4);
        p.text(m, A4.1 - 50.0, 8.0, false, "Bu belge, evrakın kurumumuza teslim edildiğini gösterir (Bilgi İşlem Müdürlüğü Yönetmeliği m.21/1).");
        pdf.add(p).map_err(io)?;
        let bytes = pdf.finish().map_err(io)?;
        Ok((d, bytes))
    }
}
