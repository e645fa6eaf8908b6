//! The KVKK processing inventory (issue 18 §2): the municipality's VERBİS
//! record, one line per processing activity with its data categories and
//! subjects, purpose, ground (6698 m.5, m.6/3), retention period,
//! recipients, transfer abroad (m.9) and measures (m.12); as JSON, XLSX
//! and PDF.

use time::OffsetDateTime;

use domain::authority::Authority;
use domain::code::Code;
use domain::kvkk as rules;
use domain::local::format_datetime as time_tr;
use store::Audit;

use crate::input::{lines, text};
use crate::pdf::{wrap, PdfWriter, A4_LANDSCAPE};
use crate::{now, App, AppError, Result, User};

/// A processing activity as recorded.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProcessInput {
    /// The activity ("Personel özlük dosyalarının tutulması").
    pub name: String,
    /// The unit that carries it out.
    pub unit: String,
    pub purpose: String,
    /// The categories of data (kimlik, iletişim, özlük, sağlık, …).
    pub data_categories: String,
    /// The groups of data subjects (çalışan, vatandaş, tedarikçi, …).
    pub subjects: String,
    /// The grounds, by the article's code: `5/1`, `5/2-a` … `5/2-f`,
    /// `6/3-a` … `6/3-g`.
    pub legal_basis: Vec<String>,
    /// How long it is kept, and from when ("Görev sona erdikten sonra 10 yıl").
    pub retention: String,
    /// Who it is given to.
    pub recipients: String,
    /// Whether it is transferred abroad (6698 m.9).
    pub transfer_abroad: bool,
    /// Where to and on what basis, when it is.
    pub transfer_note: String,
    /// The technical and administrative measures (m.12).
    pub measures: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct BasisView {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProcessView {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub purpose: String,
    pub data_categories: String,
    pub subjects: String,
    pub legal_basis: Vec<BasisView>,
    pub retention: String,
    pub recipients: String,
    pub transfer_abroad: bool,
    pub transfer_note: String,
    pub measures: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
}

/// `GET /kvkk/inventory`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct InventoryView {
    pub total: usize,
    pub items: Vec<ProcessView>,
}

fn view(p: store::kvkk::Process) -> ProcessView {
    let codes: Vec<String> = serde_json::from_str(&p.legal_basis).unwrap_or_default();
    ProcessView {
        id: p.id,
        name: p.name,
        unit: p.unit,
        purpose: p.purpose,
        data_categories: p.data_categories,
        subjects: p.subjects,
        legal_basis: codes
            .into_iter()
            .map(|c| BasisView {
                name: rules::basis_name(&c).to_owned(),
                code: c,
            })
            .collect(),
        retention: p.retention,
        recipients: p.recipients,
        transfer_abroad: p.transfer_abroad,
        transfer_note: p.transfer_note,
        measures: p.measures,
        recorded_at: p.recorded_at,
    }
}

/// The input checked: the fields trimmed and the grounds' codes as JSON.
struct Checked {
    name: String,
    unit: String,
    purpose: String,
    data_categories: String,
    subjects: String,
    basis: String,
    retention: String,
    recipients: String,
    transfer_note: String,
    measures: String,
}

fn check(input: &ProcessInput) -> Result<Checked> {
    let name = text("name", &input.name, 300, true)?;
    let unit = text("unit", &input.unit, 200, false)?;
    let purpose = lines("purpose", &input.purpose, 2000, true)?;
    let data_categories = lines("data_categories", &input.data_categories, 2000, true)?;
    let subjects = lines("subjects", &input.subjects, 1000, true)?;
    if input.legal_basis.is_empty() {
        return Err(AppError::invalid("legal_basis", Code::Required));
    }
    if input.legal_basis.len() > 16 {
        return Err(AppError::invalid("legal_basis", Code::TooMany));
    }
    let mut codes: Vec<&str> = Vec::new();
    for b in &input.legal_basis {
        let c = rules::basis(b).ok_or(AppError::invalid("legal_basis", Code::BadKvkkBasis))?;
        if !codes.contains(&c) {
            codes.push(c);
        }
    }
    let retention = text("retention", &input.retention, 500, true)?;
    let recipients = lines("recipients", &input.recipients, 2000, false)?;
    let transfer_note = lines("transfer_note", &input.transfer_note, 2000, false)?;
    // Transferred abroad: say where to and on what ground (m.9).
    if input.transfer_abroad && transfer_note.is_empty() {
        return Err(AppError::invalid("transfer_note", Code::Required));
    }
    let measures = lines("measures", &input.measures, 5000, false)?;
    Ok(Checked {
        name,
        unit,
        purpose,
        data_categories,
        subjects,
        basis: serde_json::to_string(&codes).map_err(|e| AppError::Internal(e.into()))?,
        retention,
        recipients,
        transfer_note,
        measures,
    })
}

impl Checked {
    fn new_process(&self, abroad: bool) -> store::kvkk::NewProcess<'_> {
        store::kvkk::NewProcess {
            name: &self.name,
            unit: &self.unit,
            purpose: &self.purpose,
            data_categories: &self.data_categories,
            subjects: &self.subjects,
            legal_basis: &self.basis,
            retention: &self.retention,
            recipients: &self.recipients,
            transfer_abroad: abroad,
            transfer_note: &self.transfer_note,
            measures: &self.measures,
        }
    }
}

impl App {
    /// Adds a processing activity to the inventory.
    pub async fn record_process(&self, actor: &User, input: &ProcessInput) -> Result<ProcessView> {
        let c = check(input)?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageKvkk).await?;
        let id =
            store::kvkk::insert_process(&mut w, &c.new_process(input.transfer_abroad), actor.id)
                .await?;
        w.commit(Audit::new(
            &grant,
            "kvkk.process_recorded",
            format!("kvkk_process:{id}"),
            serde_json::json!({"name": c.name, "legal_basis": c.basis, "transfer_abroad": input.transfer_abroad}),
        ))
        .await?;
        self.kvkk_process(actor, id).await
    }

    /// Replaces a process's record (the audit record keeps what it was
    /// changed to, and by whom).
    pub async fn update_process(
        &self,
        actor: &User,
        id: i64,
        input: &ProcessInput,
    ) -> Result<ProcessView> {
        let c = check(input)?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageKvkk).await?;
        if !store::kvkk::update_process(&mut w, id, &c.new_process(input.transfer_abroad), actor.id)
            .await?
        {
            return Err(AppError::NotFound);
        }
        w.commit(Audit::new(
            &grant,
            "kvkk.process_updated",
            format!("kvkk_process:{id}"),
            serde_json::json!({"name": c.name, "purpose": c.purpose, "data_categories": c.data_categories, "subjects": c.subjects,
                "legal_basis": c.basis, "retention": c.retention, "recipients": c.recipients,
                "transfer_abroad": input.transfer_abroad, "measures": c.measures}),
        ))
        .await?;
        self.kvkk_process(actor, id).await
    }

    /// Takes a process out of the inventory.
    pub async fn retire_process(&self, actor: &User, id: i64) -> Result<()> {
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageKvkk).await?;
        if !store::kvkk::retire_process(&mut w, id).await? {
            return Err(AppError::NotFound);
        }
        w.commit(Audit::new(
            &grant,
            "kvkk.process_retired",
            format!("kvkk_process:{id}"),
            serde_json::json!({}),
        ))
        .await?;
        Ok(())
    }

    pub async fn kvkk_process(&self, reader: &User, id: i64) -> Result<ProcessView> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::ManageKvkk)
            .await?;
        store::kvkk::process(&mut c, id)
            .await?
            .map(view)
            .ok_or(AppError::NotFound)
    }

    /// The inventory, by unit and activity.
    pub async fn kvkk_inventory(&self, reader: &User) -> Result<InventoryView> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::ManageKvkk)
            .await?;
        let items: Vec<ProcessView> = store::kvkk::processes(&mut c)
            .await?
            .into_iter()
            .map(view)
            .collect();
        Ok(InventoryView {
            total: items.len(),
            items,
        })
    }

    /// The inventory's columns, in VERBİS's order.
    fn inventory_table(v: &InventoryView) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let head = vec![
            "Birim",
            "İşleme faaliyeti",
            "Amaç",
            "Veri kategorileri",
            "İlgili kişi grubu",
            "Hukuki sebep",
            "Saklama süresi",
            "Alıcı grupları",
            "Yurt dışına aktarım",
            "Teknik ve idari tedbirler",
        ];
        let rows = v
            .items
            .iter()
            .map(|p| {
                vec![
                    p.unit.clone(),
                    p.name.clone(),
                    p.purpose.clone(),
                    p.data_categories.clone(),
                    p.subjects.clone(),
                    p.legal_basis
                        .iter()
                        .map(|b| b.name.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                    p.retention.clone(),
                    p.recipients.clone(),
                    if p.transfer_abroad {
                        format!("Var: {}", p.transfer_note)
                    } else {
                        "Yok".to_owned()
                    },
                    p.measures.clone(),
                ]
            })
            .collect();
        (head, rows)
    }

    /// The inventory as a spreadsheet.
    pub fn inventory_xlsx(&self, v: &InventoryView) -> Result<Vec<u8>> {
        let xe = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.into());
        let (head, rows) = Self::inventory_table(v);
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Envanter").map_err(xe)?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
        for (c, h) in head.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(xe)?;
            sheet.set_column_width(c as u16, 28).map_err(xe)?;
        }
        for (i, row) in rows.iter().enumerate() {
            for (c, t) in row.iter().enumerate() {
                sheet
                    .write_string_with_format(i as u32 + 1, c as u16, t, &wrap)
                    .map_err(xe)?;
            }
        }
        sheet.set_freeze_panes(1, 2).map_err(xe)?;
        book.save_to_buffer().map_err(xe)
    }

    /// The inventory as PDF: landscape A4, one block per activity.
    pub async fn inventory_pdf(&self, v: &InventoryView) -> Result<Vec<u8>> {
        let io = |e: std::io::Error| AppError::Internal(e.into());
        let heading = self.heading_lines().await?;
        let (head, rows) = Self::inventory_table(v);
        let (w, h) = A4_LANDSCAPE;
        let m = 40.0;
        let mut pdf = PdfWriter::new(Vec::new(), A4_LANDSCAPE, "Kişisel Veri İşleme Envanteri")
            .map_err(io)?;
        let mut p = pdf.page();
        let mut y = p.heading(w / 2.0, 40.0, &heading) + 10.0;
        p.text_center(w / 2.0, y, 13.0, true, "KİŞİSEL VERİ İŞLEME ENVANTERİ");
        y += 16.0;
        p.text_center(
            w / 2.0,
            y,
            9.0,
            false,
            &format!(
                "6698 sayılı Kanun m.16 (VERBİS) · {} faaliyet · {}",
                v.total,
                time_tr(now())
            ),
        );
        y += 24.0;
        if rows.is_empty() {
            p.text(m, y, 10.0, false, "Envantere kayıtlı işleme faaliyeti yok.");
        }
        for row in &rows {
            // A block: the activity's name, then each field on its own lines.
            let mut block: Vec<(bool, String)> = vec![(true, format!("{} — {}", row[1], row[0]))];
            for (k, label) in head.iter().enumerate().skip(2) {
                for (j, line) in wrap(&row[k], 8.5, w - 2.0 * m - 160.0)
                    .into_iter()
                    .enumerate()
                {
                    block.push((
                        false,
                        if j == 0 {
                            format!("{label}\u{0}{line}")
                        } else {
                            format!("\u{0}{line}")
                        },
                    ));
                }
            }
            // Keep the name with a few lines; a long block goes on over pages.
            let need = 12.0 * block.len().min(6) as f32 + 10.0;
            if y + need > h - 40.0 && y > 100.0 {
                pdf.add(std::mem::replace(&mut p, pdf.page())).map_err(io)?;
                y = 40.0;
            }
            for (bold, line) in block {
                if y > h - 40.0 {
                    pdf.add(std::mem::replace(&mut p, pdf.page())).map_err(io)?;
                    y = 40.0;
                }
                if bold {
                    p.shade(m - 4.0, y - 10.0, w - 2.0 * m + 8.0, 14.0, 0.9);
                    p.text(m, y, 9.5, true, &crate::pdf::fit(&line, 9.5, w - 2.0 * m));
                } else {
                    let (label, value) = line.split_once('\u{0}').unwrap_or(("", &line));
                    p.text(m, y, 8.5, true, label);
                    p.text(m + 160.0, y, 8.5, false, value);
                }
                y += 12.0;
            }
            y += 10.0;
        }
        pdf.add(p).map_err(io)?;
        pdf.finish().map_err(io)
    }
}
