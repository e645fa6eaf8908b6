//! The yearly count of a place's assets (sayım; Taşınır Mal Yönetmeliği
//! m.32): the officer opens it with its board and the list of what is
//! expected there; the board scans or types the tags it finds; the
//! differences are listed (missing, and found but registered elsewhere);
//! closing it fixes the result, and the Sayım Tutanağı prints as PDF for
//! the board to sign. A count changes no asset: a difference goes to the
//! harcama yetkilisi, who decides (a loss, a transfer, a write-off).

use domain::asset::{self as rules, BoardRefusal, ScanResult};
use domain::authority::Authority;
use domain::code::Code;
use domain::local::{format_date as date_tr, format_datetime as time_tr};
use store::Audit;

use crate::assets::AssetView;
use crate::input::{lines, text};
use crate::pdf::{fit, wrap, PdfWriter, A4};
use crate::{now, App, AppError, Result, User};

/// Opening a count.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct CountInput {
    /// The place counted (a room, a cabinet, the warehouse), as assets
    /// name it.
    pub place: String,
    /// The year counted (default this year).
    pub year: Option<i64>,
    /// The board's usernames: at least three, the Taşınır Kayıt Yetkilisi
    /// among them.
    pub board: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// A tag scanned or typed.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ScanInput {
    /// The tag, or the address a label's QR code carries.
    pub tag: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CountLineView {
    pub asset: AssetView,
    /// Whether it was expected at the place when the count began.
    pub expected: bool,
    pub counted: bool,
    pub counted_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub counted_at: Option<time::OffsetDateTime>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CountView {
    pub id: i64,
    pub place: String,
    pub year: i64,
    pub note: String,
    /// The board's names.
    pub board: Vec<String>,
    pub started_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub started_at: time::OffsetDateTime,
    pub closed_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<time::OffsetDateTime>,
    pub expected: usize,
    pub counted: usize,
    /// Expected and not (yet) found.
    pub missing: Vec<CountLineView>,
    /// Found here but registered elsewhere, or written off.
    pub surplus: Vec<CountLineView>,
    /// Expected and found.
    pub found: Vec<CountLineView>,
    /// The Sayım Tutanağı.
    pub form: String,
    /// Whether the reader may scan (a board member or the officer, while
    /// open) and close it (the officer).
    pub may_scan: bool,
    pub may_close: bool,
}

/// A count in the list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CountSummary {
    pub id: i64,
    pub place: String,
    pub year: i64,
    pub started_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub started_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<time::OffsetDateTime>,
}

/// What a scan did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ScanView {
    pub result: ScanResult,
    pub asset: AssetView,
    pub count: CountView,
}

/// The smallest board the article allows.
const BOARD_MIN: usize = 3;

impl App {
    /// Opens a count of a place (the officer): the board, and as expected
    /// every asset there not written off.
    pub async fn open_count(&self, actor: &User, input: &CountInput) -> Result<CountView> {
        // Whether he may, before anything about the board is told.
        if !self.is_asset_officer(actor).await? {
            return Err(AppError::forbidden(Authority::ManageAssets.id()));
        }
        let place = text("place", &input.place, 200, true)?;
        let note = lines("note", &input.note, 2000, false)?;
        let this_year = i64::from(domain::local::date(now()).year());
        let year = input.year.unwrap_or(this_year);
        if year > this_year {
            return Err(AppError::invalid("year", Code::DateInFuture));
        }
        if year < 2000 {
            return Err(AppError::invalid("year", Code::OutOfRange));
        }
        if input.board.len() > 20 {
            return Err(AppError::invalid("board", Code::TooMany));
        }
        let mut members = Vec::new();
        for u in &input.board {
            let user = self.user_named("board", u).await?;
            if members.iter().any(|(m, _): &(User, bool)| m.id == user.id) {
                continue;
            }
            self.staff_member("board", &user).await?;
            let officer = self.is_asset_officer(&user).await?;
            members.push((user, officer));
        }
        rules::count_board(
            &members.iter().map(|(u, o)| (u.id, *o)).collect::<Vec<_>>(),
            BOARD_MIN,
        )
        .map_err(|r| match r {
            BoardRefusal::TooFew => AppError::invalid("board", Code::TooFewMembers),
            BoardRefusal::NoOfficer => AppError::invalid("board", Code::BoardNeedsOfficer),
        })?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        if store::assets::open_count_at(&mut w, &place)
            .await?
            .is_some()
        {
            return Err(AppError::Conflict(Code::CountOpen));
        }
        let ids: Vec<i64> = members.iter().map(|(u, _)| u.id).collect();
        let id = store::assets::insert_count(&mut w, &place, year, &note, &ids, actor.id).await?;
        w.commit(Audit::new(
            &grant,
            "asset_count.opened",
            format!("asset_count:{id}"),
            serde_json::json!({"place": place, "year": year, "board": members.iter().map(|(u, _)| u.username.clone()).collect::<Vec<_>>()}),
        ))
        .await?;
        self.asset_count(actor, id).await
    }

    pub async fn asset_counts(&self, reader: &User) -> Result<Vec<CountSummary>> {
        self.may_read_shared(reader).await?;
        Ok(store::assets::counts(&mut self.read().await?)
            .await?
            .into_iter()
            .map(|n| CountSummary {
                id: n.id,
                place: n.place,
                year: n.year,
                started_by_name: n.started_by_name,
                started_at: n.started_at,
                closed_at: n.closed_at,
            })
            .collect())
    }

    pub async fn asset_count(&self, reader: &User, id: i64) -> Result<CountView> {
        self.may_read_shared(reader).await?;
        let mut c = self.read().await?;
        let n = store::assets::count(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let members = store::assets::count_members(&mut c, id).await?;
        let lines = store::assets::count_lines(&mut c, id).await?;
        drop(c);
        let officer = self.is_asset_officer(reader).await?;
        let open = n.closed_at.is_none();
        let (mut missing, mut surplus, mut found) = (Vec::new(), Vec::new(), Vec::new());
        let expected = lines.iter().filter(|l| l.expected).count();
        let counted = lines.iter().filter(|l| l.counted_at.is_some()).count();
        for l in lines {
            let v = CountLineView {
                asset: self.asset_view(l.asset, Some(reader), officer),
                expected: l.expected,
                counted: l.counted_at.is_some(),
                counted_by_name: l.counted_by_name,
                counted_at: l.counted_at,
            };
            match (v.expected, v.counted) {
                (true, true) => found.push(v),
                (true, false) => missing.push(v),
                (false, _) => surplus.push(v),
            }
        }
        Ok(CountView {
            id: n.id,
            form: format!("/api/v1/asset-counts/{}/report.pdf", n.id),
            place: n.place,
            year: n.year,
            note: n.note,
            may_scan: open && (officer || members.iter().any(|(m, _)| *m == reader.id)),
            may_close: open && officer,
            board: {
                let mut names: Vec<String> = members.into_iter().map(|(_, name)| name).collect();
                names.sort_by_cached_key(|n| domain::turkish::sort_key(n));
                names
            },
            started_by_name: n.started_by_name,
            started_at: n.started_at,
            closed_by_name: n.closed_by_name,
            closed_at: n.closed_at,
            expected,
            counted,
            missing,
            surplus,
            found,
        })
    }

    /// Records a tag found at the place: a board member or the officer,
    /// while the count is open. An unknown tag changes nothing.
    pub async fn scan_count(&self, actor: &User, id: i64, input: &ScanInput) -> Result<ScanView> {
        let mut w = self.write().await?;
        let n = store::assets::count(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let members: Vec<i64> = store::assets::count_members(&mut w, id)
            .await?
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        let grant = match rules::count_member(actor, &members) {
            Some(g) => g,
            None => self.grant(&mut w, actor, Authority::ManageAssets).await?,
        };
        if n.closed_at.is_some() {
            return Err(AppError::Conflict(Code::CountClosed));
        }
        let raw = text("tag", &input.tag, 500, true)?;
        let tag = rules::scanned_tag(&raw).to_owned();
        let a = store::assets::by_tag(&mut w, &tag)
            .await?
            .ok_or(AppError::invalid("tag", Code::UnknownTag))?;
        let line = store::assets::count_line(&mut w, id, a.id).await?;
        let result = rules::scan(line);
        if result != ScanResult::Again {
            store::assets::mark_counted(&mut w, id, a.id, line.is_some(), actor.id).await?;
            w.commit(Audit::new(
                &grant,
                "asset_count.scanned",
                format!("asset_count:{id}"),
                serde_json::json!({"tag": a.tag, "result": result}),
            ))
            .await?;
        } else {
            drop(w);
        }
        let officer = self.is_asset_officer(actor).await?;
        Ok(ScanView {
            result,
            asset: self.asset_view(a, Some(actor), officer),
            count: self.asset_count(actor, id).await?,
        })
    }

    /// Closes a count (the officer): its result is fixed.
    pub async fn close_count(&self, actor: &User, id: i64) -> Result<CountView> {
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageAssets).await?;
        let n = store::assets::count(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if n.closed_at.is_some() {
            return Err(AppError::Conflict(Code::CountClosed));
        }
        store::assets::close_count(&mut w, id, actor.id).await?;
        w.commit(Audit::new(
            &grant,
            "asset_count.closed",
            format!("asset_count:{id}"),
            serde_json::json!({"place": n.place}),
        ))
        .await?;
        self.asset_count(actor, id).await
    }

    /// The Sayım Tutanağı, as PDF: the counts, each difference, and the
    /// board's signatures. A count still open prints as a draft.
    pub async fn count_report(&self, reader: &User, id: i64) -> Result<Vec<u8>> {
        let n = self.asset_count(reader, id).await?;
        let heading = self.heading_lines().await?;
        let io = |e: std::io::Error| AppError::Internal(e.into());
        let mut pdf = PdfWriter::new(
            Vec::new(),
            A4,
            &format!("Sayım Tutanağı {} {}", n.place, n.year),
        )
        .map_err(io)?;
        let (w, m) = (A4.0, 50.0);
        let mut p = pdf.page();
        let mut y = p.heading(w / 2.0, 55.0, &heading) + 10.0;
        p.text_center(w / 2.0, y, 14.0, true, "SAYIM TUTANAĞI");
        y += 16.0;
        if n.closed_at.is_none() {
            p.text_center(w / 2.0, y, 10.0, true, "TASLAK — sayım sürüyor");
            y += 14.0;
        }
        y += 6.0;
        let intro = format!(
            "{} yılı sayımında {} yerinde bulunması gereken taşınırlar, sayım kurulunca {} tarihinde başlanan sayımla yerinde tek tek {}. Beklenen {} taşınırdan {} tanesi bulunmuş, {} tanesi bulunamamış; kayıtlarda başka yerde görünen {} taşınır bu yerde bulunmuştur.",
            n.year,
            n.place,
            date_tr(domain::local::date(n.started_at)),
            match n.closed_at {
                Some(c) => format!("sayılmış ve sayım {} tarihinde bitirilmiştir", date_tr(domain::local::date(c))),
                None => "sayılmaktadır (bu döküm sayım sürerken alınmıştır)".to_owned(),
            },
            n.expected,
            n.found.len(),
            n.missing.len(),
            n.surplus.len(),
        );
        for line in wrap(&intro, 10.0, w - 2.0 * m) {
            p.text(m, y, 10.0, false, &line);
            y += 13.0;
        }
        if !n.note.is_empty() {
            y += 4.0;
            for line in wrap(&format!("Açıklama: {}", n.note), 10.0, w - 2.0 * m) {
                p.text(m, y, 10.0, false, &line);
                y += 13.0;
            }
        }
        let cols = [
            (m, "Sıra"),
            (m + 30.0, "Sicil no"),
            (m + 160.0, "Adı"),
            (m + 330.0, "Kayıtlı yeri / zimmet"),
        ];
        let sections: [(&str, &Vec<CountLineView>); 3] = [
            ("Bulunamayanlar (eksik)", &n.missing),
            (
                "Kayıtta başka yerde görünüp burada bulunanlar (fazla)",
                &n.surplus,
            ),
            ("Bulunanlar", &n.found),
        ];
        for (title, list) in sections {
            if y > A4.1 - 200.0 {
                pdf.add(p).map_err(io)?;
                p = pdf.page();
                y = 60.0;
            }
            y += 14.0;
            p.text(m, y, 10.5, true, &format!("{title}: {}", list.len()));
            y += 18.0;
            if list.is_empty() {
                continue;
            }
            p.table_header(m, w - m, y, &cols);
            y += 16.0;
            for (i, l) in list.iter().enumerate() {
                if y > A4.1 - 80.0 {
                    pdf.add(p).map_err(io)?;
                    p = pdf.page();
                    y = 60.0;
                    p.table_header(m, w - m, y, &cols);
                    y += 16.0;
                }
                let a = &l.asset;
                let whereabouts = match (&a.holder, a.location.as_str()) {
                    (Some(h), _) => h
                        .name
                        .clone()
                        .or_else(|| h.place.clone())
                        .unwrap_or_default(),
                    (None, "") => "ambar".to_owned(),
                    (None, loc) => loc.to_owned(),
                };
                let whereabouts = if a.state == domain::asset::AssetState::Disposed {
                    "kayıttan düşülmüş".to_owned()
                } else {
                    whereabouts
                };
                p.text(m, y, 9.0, false, &(i + 1).to_string());
                p.text(m + 30.0, y, 9.0, false, &fit(&a.tag, 9.0, 125.0));
                p.text(m + 160.0, y, 9.0, false, &fit(&a.name, 9.0, 165.0));
                p.text(
                    m + 330.0,
                    y,
                    9.0,
                    false,
                    &fit(&whereabouts, 9.0, w - m - (m + 330.0)),
                );
                y += 13.0;
            }
        }
        // The board signs: three to a row.
        if y > A4.1 - 160.0 {
            pdf.add(p).map_err(io)?;
            p = pdf.page();
            y = 60.0;
        }
        y += 30.0;
        p.text(m, y, 10.0, true, "Sayım kurulu");
        y += 18.0;
        let col = (w - 2.0 * m) / 3.0;
        for (i, name) in n.board.iter().enumerate() {
            if i > 0 && i % 3 == 0 {
                y += 70.0;
            }
            let x = m + (i % 3) as f32 * col;
            p.text(x, y, 10.0, false, &fit(name, 10.0, col - 10.0));
            p.text(x, y + 15.0, 9.0, false, "Üye");
            p.text(x, y + 45.0, 9.0, false, "İmza:");
            p.line(x + 30.0, y + 47.0, x + col - 15.0, y + 47.0, 0.4);
        }
        p.text(
            m,
            A4.1 - 40.0,
            7.5,
            false,
            &format!(
                "{} uyarınca düzenlenmiştir. Düzenlendiği an: {}. Mudurluk.",
                rules::COUNT_ARTICLE,
                time_tr(now())
            ),
        );
        pdf.add(p).map_err(io)?;
        pdf.finish().map_err(io)
    }
}
