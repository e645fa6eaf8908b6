//! The printed side of correspondence: the register books (gelen evrak
//! defteri, dilekçe defteri, giden evrak defteri) for a date range as PDF
//! or CSV, the receipt (alındı belgesi) handed to whoever delivered a
//! document by hand, and the courier's list (zimmet listesi) of letters
//! handed over by hand.
//!
//! A book row of a document the reader may not see (GZL/CGZ, personal
//! data) keeps its number and date but not its sender and subject.

use std::io::Write;

use domain::authority::Authority;
use domain::code::Code;
use domain::incoming::{may_see, Document};
use domain::local::{format_date as date_tr, format_datetime as time_tr};
use store::incoming::lists::BookRow;
use time::{Date, OffsetDateTime};

use crate::pdf::{wrap, wrap_whole, PdfWriter, A4, A4_LANDSCAPE};
use crate::{App, AppError, Result, User};

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
    /// "T.C.", the institution, the unit (Resmî Yazışma Yönetmeliği m.9).
    heading: Vec<String>,
    title: String,
    range: String,
    columns: Columns,
    /// Row height (the courier's list leaves room to sign).
    row: f32,
}

const MARGIN: f32 = 30.0;
const ROW: f32 = 11.0;
const SIZE: f32 = 7.5;
/// The height of one more line in a wrapped cell.
const LINE: f32 = 9.0;

impl<W: Write> BookPdf<W> {
    fn start_page(&mut self) -> std::io::Result<()> {
        if let Some(p) = self.page.take() {
            self.pdf.add(p)?;
        }
        let mut p = self.pdf.page();
        let n = self.pdf.page_count() + 1;
        for (i, line) in self.heading.iter().enumerate() {
            p.text_center(
                A4_LANDSCAPE.0 / 2.0,
                26.0 + 11.0 * i as f32,
                9.0,
                i < 2,
                line,
            );
        }
        let top = 26.0 + 11.0 * self.heading.len() as f32 + 8.0;
        p.text(MARGIN, top, 12.0, true, &self.title);
        p.text(MARGIN, top + 13.0, 8.0, false, &self.range);
        p.text_right(
            A4_LANDSCAPE.0 - MARGIN,
            top + 13.0,
            8.0,
            false,
            &format!("Sayfa {n}"),
        );
        p.shade(
            MARGIN,
            top + 20.0,
            A4_LANDSCAPE.0 - 2.0 * MARGIN,
            14.0,
            0.88,
        );
        let mut x = MARGIN;
        for (title, w) in self.columns {
            p.text(x + 2.0, top + 30.0, SIZE, true, title);
            x += w;
        }
        p.line(MARGIN, top + 34.0, A4_LANDSCAPE.0 - MARGIN, top + 34.0, 0.6);
        self.page = Some(p);
        self.y = top + 34.0;
        Ok(())
    }

    /// One row; each cell wraps onto as many lines as it needs (a
    /// register book is complete: nothing is cut), and the row is as tall
    /// as its tallest cell, at least `row` (room to sign).
    fn row(&mut self, cells: &[String]) -> std::io::Result<()> {
        let wrapped: Vec<Vec<String>> = self
            .columns
            .iter()
            .zip(cells.iter())
            .map(|((_, w), cell)| wrap_whole(cell, SIZE, w - 4.0))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = (LINE * lines as f32 + (ROW - LINE)).max(self.row);
        if self.page.is_none() || self.y + height > A4_LANDSCAPE.1 - MARGIN {
            self.start_page()?;
        }
        let top = self.y;
        self.y += height;
        if let Some(p) = self.page.as_mut() {
            let mut x = MARGIN;
            for ((_, w), cell) in self.columns.iter().zip(wrapped.iter()) {
                for (i, line) in cell.iter().enumerate() {
                    p.text(
                        x + 2.0,
                        top + ROW - 3.0 + LINE * i as f32,
                        SIZE,
                        false,
                        line,
                    );
                }
                x += w;
            }
            p.line(MARGIN, self.y, A4_LANDSCAPE.0 - MARGIN, self.y, 0.2);
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
    fn start(
        format: BookFormat,
        out: &'a mut (dyn Write + Send),
        heading: Vec<String>,
        title: String,
        range: String,
        columns: Columns,
        row: f32,
    ) -> std::io::Result<Self> {
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
                BookSink::Pdf(BookPdf {
                    pdf,
                    page: None,
                    y: 0.0,
                    heading,
                    title,
                    range,
                    columns,
                    row,
                })
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
                        let y = book.y + 20.0;
                        p.text(MARGIN, y, 9.0, false, "Bu tarih aralığında kayıt yok.");
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
    let (from, to) = (
        crate::input::required_date("from", from)?,
        crate::input::required_date("to", to)?,
    );
    if to < from {
        return Err(AppError::invalid("to", Code::PeriodEmpty));
    }
    Ok((
        from,
        to,
        domain::local::day_start(from),
        domain::local::day_start(to.next_day().unwrap_or(to)),
    ))
}

impl App {
    /// The books are the Kalem's (m.16/1); the Müdür may print them too.
    async fn may_print_books(&self, actor: &User) -> Result<()> {
        let can = self.capabilities(actor).await?;
        if can.register || can.route {
            Ok(())
        } else {
            Err(AppError::forbidden(Authority::RegisterCorrespondence.id()))
        }
    }

    /// The heading every printed document carries (Resmî Yazışma
    /// Yönetmeliği m.10): "T.C.", the administration in capitals, the unit.
    pub(crate) async fn heading_lines(&self) -> Result<Vec<String>> {
        let s = self.settings().await?;
        Ok(
            domain::layout::heading(&s.institution_name, &s.directorate_name)
                .map(|h| h.lines)
                .unwrap_or_else(|_| vec!["T.C.".into(), s.institution_name, s.directorate_name]),
        )
    }
}

impl App {
    /// Writes the outgoing register book (giden evrak defteri, m.21/2) for
    /// the dates `from`–`to`, or with `courier` the list of letters handed
    /// over by hand in those days, to be signed by whoever took them.
    /// Kept by the Kalem (m.16/1); the Müdür may print it too. A letter
    /// the reader may not see keeps its number and date only.
    pub async fn letter_book(
        &self,
        actor: &User,
        from: &str,
        to: &str,
        courier: bool,
        format: BookFormat,
        out: &mut (dyn Write + Send),
    ) -> Result<u64> {
        let (from, to, start, end) = day_range(from, to)?;
        self.may_print_books(actor).await?;
        let viewer = self.viewer(actor).await?;
        let heading = self.heading_lines().await?;
        let range = format!("{} – {}", date_tr(from), date_tr(to));
        let (title, columns, row) = if courier {
            ("ZİMMET LİSTESİ (ELDEN TESLİM)", COURIER_COLUMNS, 20.0)
        } else {
            ("GİDEN EVRAK DEFTERİ", OUTGOING_COLUMNS, ROW)
        };
        let io = |e: std::io::Error| AppError::Internal(e.into());
        let mut sink = BookSink::start(format, out, heading, title.to_owned(), range, columns, row)
            .map_err(io)?;
        let mut n_row = 0u64;
        let mut write = |r: store::outgoing::LetterBookRow| -> store::Result<()> {
            n_row += 1;
            let visible = !r.is_restricted() || viewer.routes || r.writer_id == viewer.user_id;
            let (to, subject) = if visible {
                (r.addressees.clone(), r.subject.clone())
            } else {
                (HIDDEN.to_owned(), HIDDEN.to_owned())
            };
            let cells: Vec<String> = if courier {
                vec![
                    n_row.to_string(),
                    r.number.clone(),
                    date_tr(domain::local::date(r.signed_at)),
                    to,
                    subject,
                    r.dispatch_ref.clone().unwrap_or_default(),
                    String::new(),
                ]
            } else {
                vec![
                    r.seq.to_string(),
                    date_tr(domain::local::date(r.signed_at)),
                    r.number.clone(),
                    to,
                    subject,
                    r.attachments.to_string(),
                    r.dispatch_channel
                        .clone()
                        .map(|c| channel_tr(&c).to_owned())
                        .unwrap_or_default(),
                    match (r.dispatch_ref.as_deref(), r.dispatched_at) {
                        (Some(reference), Some(at)) => format!("{reference} ({})", time_tr(at)),
                        _ => String::new(),
                    },
                ]
            };
            sink.row(&cells)
                .map_err(|e| store::StoreError::Internal(e.into()))
        };
        let n =
            store::outgoing::book(&mut self.read().await?, start, end, courier, &mut write).await?;
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
            _ => return Err(AppError::invalid("register", Code::BadRegister)),
        };
        let (from, to, start, end) = day_range(from, to)?;
        self.may_print_books(actor).await?;
        let viewer = self.viewer(actor).await?;
        let title = format!(
            "{} DEFTERİ",
            if register == domain::correspondence::Register::Petition {
                "DİLEKÇE"
            } else {
                "GELEN EVRAK"
            }
        );
        let heading = self.heading_lines().await?;
        let range = format!("{} – {}", date_tr(from), date_tr(to));
        let units = self.profile.units().to_vec();
        let unit_name = move |id: &str| {
            units
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.name.clone())
                .unwrap_or_else(|| id.to_owned())
        };
        let book_viewer = viewer.clone();
        let cells = move |r: &BookRow| -> [String; 9] {
            let viewer = &book_viewer;
            let visible = may_see(r.is_restricted(), r.registered_by_id, &[], viewer)
                || r.viewer_is_recipient;
            let (sender, subject) = if visible {
                (r.sender_name.clone(), r.subject.clone())
            } else {
                (HIDDEN.to_owned(), HIDDEN.to_owned())
            };
            [
                r.seq.to_string(),
                time_tr(r.registered_at),
                sender,
                if visible {
                    r.sender_ref.clone()
                } else {
                    String::new()
                },
                r.sender_date.map(date_tr).unwrap_or_default(),
                subject,
                r.attachments.to_string(),
                r.routed_to.as_deref().map(&unit_name).unwrap_or_default(),
                r.delivered_to.clone().unwrap_or_default(),
            ]
        };
        let io = |e: std::io::Error| AppError::Internal(e.into());
        let mut sink =
            BookSink::start(format, out, heading, title, range, COLUMNS, ROW).map_err(io)?;
        let mut write = |r: BookRow| -> store::Result<()> {
            sink.row(&cells(&r))
                .map_err(|e| store::StoreError::Internal(e.into()))
        };
        let n = store::incoming::lists::register_book(
            &mut self.read().await?,
            register.code(),
            start,
            end,
            &viewer,
            &mut write,
        )
        .await?;
        sink.finish().map_err(io)?;
        Ok(n)
    }

    /// The receipt (alındı belgesi) of a document delivered by hand: one
    /// A4 page with the number, time, sender, subject, attachments and the
    /// two signatures. Whoever may see the document may print it.
    pub async fn receipt(&self, actor: &User, id: i64) -> Result<(Document, Vec<u8>)> {
        let d = self.incoming(actor, id).await?.document;
        let heading = self.heading_lines().await?;
        let io = |e: std::io::Error| AppError::Internal(e.into());
        let mut pdf =
            PdfWriter::new(Vec::new(), A4, &format!("Alındı belgesi {}", d.number)).map_err(io)?;
        let mut p = pdf.page();
        let (w, m) = (A4.0, 60.0);
        for (i, line) in heading.iter().enumerate() {
            p.text_center(w / 2.0, 70.0 + 16.0 * i as f32, 11.0, i < 2, line);
        }
        p.text(m, 150.0, 16.0, true, "ALINDI BELGESİ");
        p.line(m, 158.0, w - m, 158.0, 0.8);
        let rows = [
            ("Kayıt no", d.number.clone()),
            ("Kayıt tarihi ve saati", time_tr(d.registered_at)),
            ("Gönderen", d.sender_name.clone()),
            ("Gönderenin sayısı", d.sender_ref.clone()),
            (
                "Gönderenin tarihi",
                d.sender_date.map(date_tr).unwrap_or_default(),
            ),
            ("Konu", d.subject.clone()),
            ("Ek sayısı", d.attachments.len().to_string()),
            (
                "Yasal cevap süresi",
                match (
                    d.due_date,
                    domain::calendar::LegalBasis::parse(&d.legal_basis),
                ) {
                    (Some(due), Ok(b)) => format!("{} ({})", date_tr(due), b.description_tr()),
                    (Some(due), Err(_)) => date_tr(due),
                    (None, _) => "Kanunla belirlenmiş bir süre yok".into(),
                },
            ),
        ];
        let mut rows = rows.to_vec();
        if let Some(t) = d.target_date {
            rows.push((
                "İç hedef tarih",
                format!(
                    "{} ({})",
                    date_tr(t),
                    domain::calendar::INTERNAL_TARGET_LABEL
                ),
            ));
        }
        let mut y = 185.0;
        for (label, value) in rows {
            p.text(m, y, 10.0, true, label);
            // An empty value still takes its line: a dash, never labels on
            // top of each other.
            let value = if value.trim().is_empty() {
                "—".to_owned()
            } else {
                value
            };
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
