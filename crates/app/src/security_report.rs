//! The security audit's report (issue 18 §1): the Uyum Denetim Raporu as
//! PDF, from the audit's view (its chart is `web::chart`).

use domain::local::{format_date as date_tr, format_datetime as time_tr};
use domain::security_guide::{self as guide, Tally};

use crate::pdf::{fit, Page, PdfWriter, A4};
use crate::{now, App, AppError, Result, User};

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("%{}", format!("{v:.1}").replace('.', ",")))
        .unwrap_or_else(|| "—".to_owned())
}

/// Lays out pages top to bottom, starting a new one when a line would
/// not fit.
struct Pages {
    pdf: PdfWriter<Vec<u8>>,
    page: Page,
    y: f32,
    title: String,
}

const MARGIN: f32 = 50.0;
const BOTTOM: f32 = A4.1 - 60.0;

impl Pages {
    fn room(&mut self, need: f32) -> Result<()> {
        if self.y + need > BOTTOM {
            let next = self.pdf.page();
            let done = std::mem::replace(&mut self.page, next);
            self.finish_page(done)?;
            self.y = 50.0;
        }
        Ok(())
    }

    fn finish_page(&mut self, mut p: Page) -> Result<()> {
        let n = self.pdf.page_count() + 1;
        p.text(MARGIN, A4.1 - 30.0, 8.0, false, &self.title);
        p.text_right(
            A4.0 - MARGIN,
            A4.1 - 30.0,
            8.0,
            false,
            &format!("Sayfa {n}"),
        );
        self.pdf.add(p).map_err(io)
    }

    fn heading(&mut self, s: &str) -> Result<()> {
        self.room(40.0)?;
        self.y += 12.0;
        self.page.text(MARGIN, self.y, 12.0, true, s);
        self.y += 18.0;
        Ok(())
    }
}

fn io(e: std::io::Error) -> AppError {
    AppError::Internal(e.into())
}

/// The columns of a tally table: applicable, applied, partly, not
/// applied, not applicable, unassessed, compliance.
const TALLY_COLS: [(f32, &str); 7] = [
    (300.0, "Uyg."),
    (335.0, "Var"),
    (370.0, "Kısmi"),
    (405.0, "Yok"),
    (440.0, "U.D."),
    (475.0, "Boş"),
    (510.0, "Uyum"),
];

fn tally_row(p: &mut Page, y: f32, t: &Tally, compliance: Option<f64>) {
    let nums = [
        t.applicable,
        t.applied,
        t.partly,
        t.not_applied,
        t.not_applicable,
        t.unassessed,
    ];
    for (i, n) in nums.iter().enumerate() {
        p.text_right(TALLY_COLS[i].0 + 25.0, y, 8.5, false, &n.to_string());
    }
    p.text_right(A4.0 - MARGIN, y, 8.5, true, &pct(compliance));
    // A small bar under the figures: the share that complies.
    if let Some(c) = compliance {
        p.shade(300.0, y + 3.0, 245.0 * (c as f32) / 100.0, 2.0, 0.35);
    }
}

impl App {
    /// The audit report (Uyum Denetim Raporu) as PDF: the campaign, its
    /// compliance overall and by section, group and asset, the progress
    /// since the audit before, every measure with a gap and the actions
    /// taken, and the signatures of the auditor and the Müdür.
    pub async fn audit_report_pdf(&self, reader: &User, id: i64) -> Result<Vec<u8>> {
        let (a, t) = self.audit_with_tallies(reader, id).await?;
        let actions = self.audit_actions(reader, id).await?;
        let heading = self.heading_lines().await?;
        let title = format!("Uyum Denetim Raporu — {}", a.title);
        let pdf = PdfWriter::new(Vec::new(), A4, &title).map_err(io)?;
        let page = pdf.page();
        let mut pp = Pages {
            pdf,
            page,
            y: 0.0,
            title: fit(&title, 8.0, 300.0),
        };
        let w = A4.0;
        pp.y = pp.page.heading(w / 2.0, 50.0, &heading) + 12.0;
        pp.page.text_center(
            w / 2.0,
            pp.y,
            13.0,
            true,
            "BİLGİ VE İLETİŞİM GÜVENLİĞİ REHBERİ UYUM DENETİM RAPORU",
        );
        pp.y += 28.0;
        let change = a
            .previous
            .as_ref()
            .map(|p| {
                format!(
                    "{} ({}); değişim {}",
                    pct(p.compliance),
                    p.title,
                    p.change
                        .map(
                            |c| format!("{}{:.1} puan", if c >= 0.0 { "+" } else { "" }, c)
                                .replace('.', ",")
                        )
                        .unwrap_or_else(|| "—".into())
                )
            })
            .unwrap_or_else(|| "Önceki denetim yok".to_owned());
        let rows = [
            ("Denetim", a.title.clone()),
            (
                "Dönem",
                format!("{} – {}", date_tr(a.period_from), date_tr(a.period_to)),
            ),
            ("Denetçi", a.auditor_name.clone()),
            ("Varlık sayısı", a.assets.len().to_string()),
            (
                "Değerlendirilen",
                format!(
                    "{} / {} tedbir–varlık eşleşmesi",
                    a.tally.applicable - a.tally.unassessed,
                    a.tally.applicable
                ),
            ),
            ("Genel uyum", pct(a.compliance)),
            ("Önceki denetim", change),
            ("Açık eylemler", a.open_actions.to_string()),
            ("Rapor tarihi", time_tr(now())),
        ];
        for (k, v) in rows {
            pp.page.text(MARGIN, pp.y, 10.0, true, k);
            pp.page
                .text(MARGIN + 120.0, pp.y, 10.0, false, &fit(&v, 10.0, 370.0));
            pp.y += 15.0;
        }
        pp.y += 6.0;
        pp.page.text(
            MARGIN,
            pp.y,
            8.0,
            false,
            "Uyum = (uygulanan + kısmen uygulananın yarısı) / (uygulanacak - uygulanamaz); değerlendirilmeyen, uygulanmıyor sayılır.",
        );
        pp.y += 10.0;

        let table = |pp: &mut Pages,
                     caption: &str,
                     rows: Vec<(String, Tally, Option<f64>)>|
         -> Result<()> {
            pp.heading(caption)?;
            let mut head = vec![(MARGIN, "Bölüm / grup / varlık")];
            head.extend(TALLY_COLS.iter().copied());
            pp.page.table_header(MARGIN, w - MARGIN, pp.y, &head);
            pp.y += 16.0;
            for (label, t, c) in rows {
                pp.room(14.0)?;
                pp.page
                    .text(MARGIN, pp.y, 8.5, false, &fit(&label, 8.5, 240.0));
                tally_row(&mut pp.page, pp.y, &t, c);
                pp.y += 14.0;
            }
            Ok(())
        };
        table(
            &mut pp,
            "1. Bölümlere göre uyum",
            a.by_section
                .iter()
                .map(|s| {
                    (
                        format!("{} {}", s.no, s.name),
                        s.tally.clone(),
                        s.compliance,
                    )
                })
                .collect(),
        )?;
        table(
            &mut pp,
            "2. Varlık gruplarına göre uyum",
            a.by_group
                .iter()
                .map(|g| {
                    (
                        format!("{} {}", g.no, g.name),
                        g.tally.clone(),
                        g.compliance,
                    )
                })
                .collect(),
        )?;
        table(
            &mut pp,
            "3. Varlıklara göre uyum",
            a.assets
                .iter()
                .map(|x| {
                    (
                        format!("{} (kritiklik {})", x.name, x.criticality),
                        x.tally.clone(),
                        x.compliance,
                    )
                })
                .collect(),
        )?;

        pp.heading("4. Açıklar: tam uygulanmayan tedbirler")?;
        let gap_cols = [
            (MARGIN, "Tedbir"),
            (110.0, "Sv."),
            (130.0, "Adı"),
            (405.0, "Yok"),
            (440.0, "Kısmi"),
            (475.0, "Boş"),
            (510.0, "Uyum"),
        ];
        pp.page.table_header(MARGIN, w - MARGIN, pp.y, &gap_cols);
        pp.y += 16.0;
        let mut gaps = 0;
        for m in guide::measures() {
            let Some(mt) = t.by_measure.get(m.no.as_str()) else {
                continue;
            };
            if mt.not_applied + mt.partly + mt.unassessed == 0 {
                continue;
            }
            gaps += 1;
            pp.room(13.0)?;
            let y = pp.y;
            let p = &mut pp.page;
            p.text(MARGIN, y, 8.0, false, &m.no);
            p.text(112.0, y, 8.0, false, &m.level.to_string());
            p.text(130.0, y, 8.0, false, &fit(&m.name, 8.0, 265.0));
            for (x, n) in [
                (405.0, mt.not_applied),
                (440.0, mt.partly),
                (475.0, mt.unassessed),
            ] {
                p.text_right(x + 25.0, y, 8.0, false, &n.to_string());
            }
            p.text_right(w - MARGIN, y, 8.0, true, &pct(mt.compliance()));
            pp.y += 13.0;
        }
        if gaps == 0 {
            pp.page.text(
                MARGIN,
                pp.y,
                9.0,
                false,
                "Açık yok: uygulanacak her tedbir uygulanıyor ya da uygulanamaz.",
            );
            pp.y += 14.0;
        }

        pp.heading("5. Eylemler")?;
        if actions.is_empty() {
            pp.page
                .text(MARGIN, pp.y, 9.0, false, "Açıklar için eylem açılmamış.");
            pp.y += 14.0;
        } else {
            let cols = [
                (MARGIN, "Tedbir"),
                (110.0, "Eylem"),
                (330.0, "Sorumlu"),
                (440.0, "Termin"),
                (495.0, "Durum"),
            ];
            pp.page.table_header(MARGIN, w - MARGIN, pp.y, &cols);
            pp.y += 16.0;
            for x in &actions {
                pp.room(13.0)?;
                let y = pp.y;
                let state = match x.state.as_str() {
                    "done" => "Tamamlandı",
                    "cancelled" => "İptal",
                    _ if x.overdue => "Gecikmiş",
                    _ => "Açık",
                };
                let p = &mut pp.page;
                p.text(MARGIN, y, 8.0, false, &x.measure_no);
                p.text(110.0, y, 8.0, false, &fit(&x.title, 8.0, 215.0));
                p.text(330.0, y, 8.0, false, &fit(&x.owner_name, 8.0, 105.0));
                p.text(440.0, y, 8.0, false, &date_tr(x.due_on));
                p.text(495.0, y, 8.0, false, state);
                pp.y += 13.0;
            }
        }

        pp.room(110.0)?;
        pp.y += 30.0;
        let mudur =
            store::staff::holder_name(&mut self.read().await?, "mudur", domain::local::date(now()))
                .await?
                .unwrap_or_default();
        let y = pp.y;
        pp.page.signatures(
            MARGIN,
            w / 2.0 + 10.0,
            w - MARGIN,
            y,
            ("Denetçi", &a.auditor_name),
            ("Bilgi İşlem Müdürü", &mudur),
        );
        let last = std::mem::replace(&mut pp.page, pp.pdf.page());
        pp.finish_page(last)?;
        pp.pdf.finish().map_err(io)
    }
}
