//! Sick reports and monthly timesheets (m.16/1-a, 1-b: the Kalem keeps
//! them). A report is health data (KVKK m.6): only the person, the Kalem,
//! their superiors and an administrator read it, and reading another's is
//! logged. A report falling into approved annual leave takes the days it
//! covers back into the balance (Hastalık Raporları Yönetmeliği m.8). A
//! closed month changes only by a correction record. The rules are
//! `domain::timesheet`'s.

use std::collections::{BTreeMap, HashMap};

use domain::authority::{Authority, Grant};
use domain::code::Code;
use domain::leave::{Halves, Law};
use domain::local::{format_date as date_tr, format_datetime as time_tr};
use domain::profile::Named;
use domain::timesheet::{self as rules, Away, Mark};
use store::Audit;
use time::{Date, Month, OffsetDateTime};

use crate::input::{date, lines, text};
use crate::pdf::{fit, PdfWriter, A4_LANDSCAPE};
use crate::{now, App, AppError, Result, User};

time::serde::format_description!(iso, Date, "[year]-[month]-[day]");

/// The longest span one report may record, in calendar days.
const MAX_REPORT_DAYS: i64 = 366;

/// A sick report to record.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ReportInput {
    /// The person's username.
    pub person: String,
    /// First day (YYYY-MM-DD).
    pub from: String,
    /// Last day (YYYY-MM-DD).
    pub to: String,
    /// The issuing institution (hospital, family physician).
    #[serde(default)]
    pub institution: String,
    /// The report's number.
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReportView {
    pub id: i64,
    pub person_name: String,
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    /// Calendar days.
    pub days: i64,
    pub institution: String,
    pub number: String,
    pub note: String,
    pub recorded_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
    /// Annual leave days the report took back into the balance.
    #[schema(value_type = f64)]
    pub leave_days_returned: Halves,
}

/// A correction of a closed month's day.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct CorrectionInput {
    /// The person's username.
    pub person: String,
    /// The day (YYYY-MM-DD).
    pub day: String,
    /// worked, weekend, holiday, admin_leave, annual, excuse, unpaid or sick.
    pub mark: String,
    /// Why (the document it rests on).
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CorrectionView {
    pub id: i64,
    pub person_name: String,
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub day: Date,
    pub mark: String,
    pub note: String,
    pub made_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub made_at: OffsetDateTime,
}

/// A day's column head.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DayHead {
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub day: u8,
    /// Not a working day on the calendar (a weekend, a holiday, idari izin).
    pub off: bool,
}

/// A month's totals, in days (halves as .5).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TotalsView {
    pub worked: f64,
    pub annual: f64,
    pub excuse: f64,
    pub unpaid: f64,
    pub sick: f64,
    /// Weekends, holidays and idari izin.
    pub off: f64,
}

/// One person's line.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SheetRow {
    pub person_name: String,
    pub username: Option<String>,
    /// The post's name.
    pub title: String,
    /// The staff kind's name (Memur, İşçi).
    pub kind_name: String,
    /// Each day's mark code.
    pub marks: Vec<String>,
    /// Each day's letter (X worked, H weekend, T holiday, İ idari izin, Y
    /// annual, M excuse, Ü unpaid, R sick; a half day ends in ½).
    pub letters: Vec<String>,
    /// The days a correction set.
    pub corrected: Vec<u8>,
    pub totals: TotalsView,
    pub overtime_hours: f64,
}

/// Who signs the sheet.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Signer {
    /// Düzenleyen, Birim amiri, Müdür.
    pub role: String,
    pub title: String,
    pub name: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TimesheetView {
    pub unit: String,
    pub unit_name: String,
    /// YYYY-MM.
    pub month: String,
    /// "Kasım 2026".
    pub month_tr: String,
    pub closed: bool,
    pub closed_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<OffsetDateTime>,
    /// The month may be closed now by the reader.
    pub may_close: bool,
    /// The reader records reports and corrections (the Kalem).
    pub may_record: bool,
    pub days: Vec<DayHead>,
    pub rows: Vec<SheetRow>,
    pub corrections: Vec<CorrectionView>,
    pub signers: Vec<Signer>,
}

const MONTHS_TR: [&str; 12] = [
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
    "Kasım", "Aralık",
];

fn month_tr(year: i32, month: Month) -> String {
    format!("{} {year}", MONTHS_TR[usize::from(u8::from(month)) - 1])
}

fn month_bounds(year: i32, month: Month) -> (Date, Date) {
    let days = rules::days_of(year, month);
    (days[0], days[days.len() - 1])
}

/// A month's text, checked: `YYYY-MM` from 2000 to next year; empty: this
/// month.
fn month_of(s: Option<&str>) -> Result<(i32, Month)> {
    let today = domain::local::date(now());
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok((today.year(), today.month())),
        Some(s) => {
            let (y, m) = rules::parse_month(s).ok_or(AppError::invalid("month", Code::BadMonth))?;
            if !(2000..=today.year() + 1).contains(&y) {
                return Err(AppError::invalid("month", Code::OutOfRange));
            }
            Ok((y, m))
        }
    }
}

fn days_f(h: Halves) -> f64 {
    h.as_f64()
}

impl App {
    /// Whether a change to the days `from..=to` is refused: they touch a
    /// closed month.
    pub(crate) async fn refuse_closed(
        &self,
        c: &mut impl store::Conn,
        field: &'static str,
        from: Date,
        to: Date,
    ) -> Result<()> {
        let closed = store::timesheet::closed_months(c).await?;
        match rules::touches_closed(from, to, &closed) {
            Some(_) => Err(AppError::invalid(field, Code::MonthClosed)),
            None => Ok(()),
        }
    }

    /// Records what the approved annual leave `leave` loses to the reports
    /// overlapping it (Hastalık Raporları Yönetmeliği m.8), for a leave
    /// just approved or a report just recorded. The days taken back, in
    /// halves.
    pub(crate) async fn interrupt_leave(
        &self,
        w: &mut store::Write,
        staff_id: i64,
        leave: Option<i64>,
        report: Option<i64>,
    ) -> Result<Halves> {
        let cal = self.calendar().await?;
        let inside =
            domain::leave::Law::of_kind(&store::leave::employment(&mut *w, staff_id).await?.kind)
                .is_some_and(|law| self.weekends_inside(law));
        let mut back = Halves(0);
        let reports = match report {
            Some(r) => store::timesheet::report(&mut *w, r)
                .await?
                .into_iter()
                .collect(),
            None => store::timesheet::reports_of(&mut *w, staff_id, 10_000).await?,
        };
        for r in reports {
            for (id, from, to) in store::timesheet::approved_overlapping(
                &mut *w,
                staff_id,
                "annual",
                r.start_date,
                r.end_date,
            )
            .await?
            {
                if leave.is_some_and(|l| l != id) {
                    continue;
                }
                for (year, h) in
                    rules::interrupted(&cal, (from, to), (r.start_date, r.end_date), inside)
                {
                    store::timesheet::insert_interruption(
                        &mut *w,
                        staff_id,
                        id,
                        r.id,
                        year,
                        i64::from(h.0),
                    )
                    .await?;
                    back += h;
                }
            }
        }
        Ok(back)
    }

    /// The directorate's staff are the Kalem's to keep (m.16/1): a person
    /// holding no post in it now (the Başkan, another directorate's staff)
    /// is refused.
    async fn of_directorate(&self, c: &mut impl store::Conn, user: i64) -> Result<()> {
        let top = self.profile.directorate().id.clone();
        let facts = store::authority::own_facts(c, user).await?;
        let ours = domain::authority::posts_at(&facts, user, now())
            .into_iter()
            .filter_map(|p| self.profile.position(p))
            .any(|p| self.profile.unit_within(&p.unit, &top));
        if ours {
            Ok(())
        } else {
            Err(AppError::invalid("person", Code::NotOurStaff))
        }
    }

    /// The Kalem records a person's sick report.
    pub async fn record_report(&self, actor: &User, input: &ReportInput) -> Result<ReportView> {
        let person = self.user_named("person", &input.person).await?;
        let from = date("from", &input.from)?.ok_or(AppError::invalid("from", Code::Required))?;
        let to = date("to", &input.to)?.ok_or(AppError::invalid("to", Code::Required))?;
        if to < from {
            return Err(AppError::invalid("to", Code::BeforeFrom));
        }
        if (to - from).whole_days() >= MAX_REPORT_DAYS {
            return Err(AppError::invalid("to", Code::OutOfRange));
        }
        let today = domain::local::date(now());
        // A report is given for rest from its date on; it is not recorded
        // for a time far ahead, nor for one long past.
        if from > today + time::Duration::days(31) {
            return Err(AppError::invalid("from", Code::OutOfRange));
        }
        if from.year() < today.year() - 1 {
            return Err(AppError::invalid("from", Code::OutOfRange));
        }
        let institution = text("institution", &input.institution, 200, true)?;
        let number = text("number", &input.number, 60, true)?;
        let note = lines("note", input.note.as_deref().unwrap_or(""), 1000, false)?;
        let mut w = self.write().await?;
        let grant = self.personnel_keeper(&mut w, actor).await?;
        // One's own record is kept by another (or the administrator).
        if person.id == actor.id && !actor.is_admin {
            return Err(AppError::Conflict(Code::OwnRecord));
        }
        let staff_id = store::staff::of_user(&mut w, person.id)
            .await?
            .ok_or(AppError::invalid("person", Code::NotOurStaff))?;
        self.of_directorate(&mut w, person.id).await?;
        self.refuse_closed(&mut w, "from", from, to).await?;
        if store::timesheet::report_overlapping(&mut w, staff_id, from, to)
            .await?
            .is_some()
        {
            return Err(AppError::Conflict(Code::ReportOverlap));
        }
        let id = store::timesheet::insert_report(
            &mut w,
            &store::timesheet::NewReport {
                staff_id,
                start_date: from,
                end_date: to,
                institution,
                number: number.clone(),
                note,
            },
            actor.id,
        )
        .await?;
        let back = self
            .interrupt_leave(&mut w, staff_id, None, Some(id))
            .await?;
        w.commit(Audit::new(
            &grant,
            "staff.report_recorded",
            format!("staff:{staff_id}"),
            serde_json::json!({"report": id, "from": from.to_string(), "to": to.to_string(), "number": number, "leave_days_returned": back.as_f64()}),
        ))
        .await?;
        let r = store::timesheet::report(&mut self.read().await?, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(report_view(person.display_name, r, back))
    }

    /// A person's reports, the latest first. Reading another's is logged.
    pub async fn reports_of(&self, reader: &User, username: &str) -> Result<Vec<ReportView>> {
        let person = self
            .user_named("username", username)
            .await
            .map_err(|_| AppError::NotFound)?;
        let mut w = self.write().await?;
        let grant = self
            .may_see_personnel(&mut w, reader, Some(person.id))
            .await?;
        let Some(staff_id) = store::staff::of_user(&mut w, person.id).await? else {
            return Ok(Vec::new());
        };
        let reports = store::timesheet::reports_of(&mut w, staff_id, 200).await?;
        let mut out = Vec::new();
        for r in reports {
            let back: i64 = store::timesheet::interrupted_by_report(&mut w, r.id).await?;
            out.push(report_view(
                person.display_name.clone(),
                r,
                Halves(u32::try_from(back).unwrap_or(0)),
            ));
        }
        if reader.id != person.id {
            w.commit(Audit::new(
                &grant,
                "staff.reports_viewed",
                format!("staff:{staff_id}"),
                serde_json::json!({}),
            ))
            .await?;
        }
        Ok(out)
    }

    /// The unit a timesheet is asked for: the directorate or a unit in it
    /// (empty: the directorate).
    fn sheet_unit(&self, unit: Option<&str>) -> Result<&domain::profile::Unit> {
        let top = self.profile.directorate();
        match unit.map(str::trim).filter(|u| !u.is_empty()) {
            None => Ok(top),
            Some(u) => self
                .profile
                .unit(u)
                .filter(|x| self.profile.unit_within(&x.id, &top.id))
                .ok_or(AppError::invalid("unit", Code::UnknownUnit)),
        }
    }

    /// Who may read `unit`'s timesheet: an administrator, the Kalem
    /// (`keep_personnel_records`), or whoever heads the unit or one above
    /// it now. Answers with the grant the read is logged under.
    async fn may_read_sheet(
        &self,
        c: &mut impl store::Conn,
        reader: &User,
        unit: &str,
    ) -> Result<Grant> {
        if reader.is_admin {
            return Ok(Grant::access_log(reader));
        }
        let at = now();
        let facts = self.facts(c, reader.id).await?;
        if domain::authority::grant(
            &self.profile,
            &facts,
            reader,
            Authority::KeepPersonnelRecords,
            at,
        )
        .is_ok()
        {
            return Ok(Grant::access_log(reader));
        }
        // The head of the unit or of one above it, or a post the head
        // reports up to (the Başkan Yardımcısı over the Müdür).
        let head = self.profile.head_of(unit).map(|p| p.id.clone());
        let heads = domain::authority::posts_at(&facts, reader.id, at)
            .into_iter()
            .any(|p| {
                self.profile
                    .headed_unit(p)
                    .is_some_and(|h| self.profile.unit_within(unit, h))
                    || head
                        .as_deref()
                        .is_some_and(|h| self.profile.reports_up_to(h, p))
            });
        if heads {
            Ok(Grant::access_log(reader))
        } else {
            Err(AppError::forbidden(Authority::KeepPersonnelRecords.id()))
        }
    }

    /// The units whose sheet `reader` may read, the directorate first.
    pub async fn readable_units(&self, reader: &User) -> Result<Vec<domain::profile::Unit>> {
        let top = self.profile.directorate().id.clone();
        let mut c = self.read().await?;
        let mut out = Vec::new();
        for u in self.profile.units() {
            if self.profile.unit_within(&u.id, &top)
                && self.may_read_sheet(&mut c, reader, &u.id).await.is_ok()
            {
                out.push(u.clone());
            }
        }
        Ok(out)
    }

    /// A unit's timesheet for a month (the unit and everything under it).
    /// Reading it is logged: it holds sick days.
    pub async fn timesheet(
        &self,
        reader: &User,
        unit: Option<&str>,
        month: Option<&str>,
    ) -> Result<TimesheetView> {
        self.timesheet_in(reader, unit, month, crate::english())
            .await
    }

    /// The sheet with names in English or, for what is printed and what
    /// payroll reads (PDF, CSV), always in Turkish.
    pub async fn timesheet_in(
        &self,
        reader: &User,
        unit: Option<&str>,
        month: Option<&str>,
        en: bool,
    ) -> Result<TimesheetView> {
        let u = self.sheet_unit(unit)?.clone();
        let (year, m) = month_of(month)?;
        let key = rules::month_key(year, m);
        let mut w = self.write().await?;
        let grant = self.may_read_sheet(&mut w, reader, &u.id).await?;
        let keeper = self.personnel_keeper(&mut w, reader).await.is_ok();
        let view = self.sheet(&mut w, &u, year, m, keeper, en).await?;
        w.commit(Audit::new(
            &grant,
            "timesheet.viewed",
            format!("timesheet:{key}:{}", u.id),
            serde_json::json!({"people": view.rows.len()}),
        ))
        .await?;
        Ok(view)
    }

    /// Builds the sheet (no authority here: the callers check).
    async fn sheet(
        &self,
        c: &mut impl store::Conn,
        u: &domain::profile::Unit,
        year: i32,
        m: Month,
        keeper: bool,
        en: bool,
    ) -> Result<TimesheetView> {
        let (first, last) = month_bounds(year, m);
        let key = rules::month_key(year, m);
        let cal = self.calendar().await?;
        let positions: Vec<String> = self
            .profile
            .positions()
            .iter()
            .filter(|p| self.profile.unit_within(&p.unit, &u.id))
            .map(|p| p.id.clone())
            .collect();
        let on = store::timesheet::on_sheet(&mut *c, &positions, first, last).await?;
        let mut away: HashMap<i64, Vec<Away>> = HashMap::new();
        for a in store::timesheet::away_in(&mut *c, first, last).await? {
            let mark = match a.kind.as_str() {
                "annual" => Mark::Annual,
                "excuse" => Mark::Excuse,
                "unpaid" => Mark::Unpaid,
                "administrative" => Mark::AdminLeave,
                "sick" => Mark::Sick,
                _ => continue,
            };
            away.entry(a.staff_id).or_default().push(Away {
                from: a.from,
                to: a.to,
                mark,
            });
        }
        let mut fixes: HashMap<i64, BTreeMap<Date, Mark>> = HashMap::new();
        for (staff, day, mark) in store::timesheet::corrections_in(&mut *c, first, last).await? {
            if let Some(mk) = Mark::parse(&mark) {
                fixes.entry(staff).or_default().insert(day, mk);
            }
        }
        let month_start = domain::local::day_start(first);
        let month_end = domain::local::day_start(last.next_day().unwrap_or(last));
        let overtime =
            store::timesheet::overtime_minutes_in(&mut *c, month_start, month_end).await?;
        // One line per person: the spans of their posts in the unit.
        let mut people: Vec<(store::timesheet::OnSheet, Vec<(Date, Date)>)> = Vec::new();
        for p in on {
            if Law::of_kind(&p.kind).is_none() {
                continue;
            }
            let span = (
                p.start_date.max(first),
                p.end_date.map_or(last, |e| e.min(last)),
            );
            match people.iter_mut().find(|(q, _)| q.staff_id == p.staff_id) {
                Some((_, spans)) => spans.push(span),
                None => people.push((p, vec![span])),
            }
        }
        let none = Vec::new();
        let no_fix = BTreeMap::new();
        let today = domain::local::date(now());
        let on_sheet: std::collections::HashSet<i64> =
            people.iter().map(|(p, _)| p.staff_id).collect();
        people.sort_by_cached_key(|(p, _)| domain::turkish::sort_key(&p.full_name));
        let mut rows = Vec::with_capacity(people.len());
        for (p, spans) in people {
            let whole = spans.contains(&(first, last));
            let (days, t) = rules::month(
                &cal,
                year,
                m,
                today,
                if whole { &[] } else { &spans },
                away.get(&p.staff_id).unwrap_or(&none),
                fixes.get(&p.staff_id).unwrap_or(&no_fix),
            );
            let minutes = p
                .user_id
                .and_then(|u| overtime.get(&u))
                .copied()
                .unwrap_or(0);
            rows.push(SheetRow {
                person_name: p.full_name,
                username: p.username,
                title: self
                    .profile
                    .position(&p.position)
                    .map(|x| x.name_for(en).to_owned())
                    .unwrap_or_default(),
                kind_name: self
                    .profile
                    .staff_kinds()
                    .iter()
                    .find(|k| k.id == p.kind)
                    .map(|k| k.name_for(en).to_owned())
                    .unwrap_or(p.kind),
                marks: days.iter().map(|d| d.mark.code().to_owned()).collect(),
                letters: days
                    .iter()
                    .map(|d| {
                        if d.half {
                            format!("{}½", d.mark.letter())
                        } else {
                            d.mark.letter().to_owned()
                        }
                    })
                    .collect(),
                corrected: days
                    .iter()
                    .filter(|d| d.corrected)
                    .map(|d| d.date.day())
                    .collect(),
                totals: TotalsView {
                    worked: days_f(t.worked),
                    annual: days_f(t.annual),
                    excuse: days_f(t.excuse),
                    unpaid: days_f(t.unpaid),
                    sick: days_f(t.sick),
                    off: days_f(t.off),
                },
                overtime_hours: (minutes as f64 / 60.0 * 100.0).round() / 100.0,
            });
        }
        let closure = store::timesheet::closure(&mut *c, &key).await?;
        let closure_none = closure.is_none();
        let corrections = store::timesheet::corrections_listed(&mut *c, first, last)
            .await?
            .into_iter()
            .filter(|k| on_sheet.contains(&k.staff_id))
            .map(|k| CorrectionView {
                id: k.id,
                person_name: k.full_name,
                day: k.day,
                mark: k.mark,
                note: k.note,
                made_by_name: k.made_by_name,
                made_at: k.made_at,
            })
            .collect();
        let signers = self.sheet_signers(&mut *c, u, last).await?;
        Ok(TimesheetView {
            unit: u.id.clone(),
            unit_name: u.name_for(en).to_owned(),
            month: key,
            month_tr: if en {
                format!("{} {year}", m)
            } else {
                month_tr(year, m)
            },
            closed: closure.is_some(),
            closed_by_name: closure.as_ref().map(|c| c.0.clone()),
            closed_at: closure.map(|c| c.1),
            may_close: keeper && closure_none && domain::local::date(now()) >= last,
            may_record: keeper,
            days: rules::days_of(year, m)
                .into_iter()
                .map(|d| DayHead {
                    date: d,
                    day: d.day(),
                    off: domain::leave::day_weight(&cal, d) == 0,
                })
                .collect(),
            rows,
            corrections,
            signers,
        })
    }

    /// Who signs: the Kalem's Şef as the one who prepares it, the unit's
    /// head, and the Müdür; each who held the post on the month's last day.
    async fn sheet_signers(
        &self,
        c: &mut impl store::Conn,
        u: &domain::profile::Unit,
        last: Date,
    ) -> Result<Vec<Signer>> {
        let top = self.profile.directorate().id.clone();
        let mut wanted: Vec<(&str, String)> = Vec::new();
        if let Some(p) = self
            .profile
            .def(Authority::KeepPersonnelRecords)
            .holders
            .first()
        {
            wanted.push(("Düzenleyen", p.clone()));
        }
        if u.id != top {
            if let Some(h) = self.profile.head_of(&u.id) {
                wanted.push(("Birim amiri", h.id.clone()));
            }
        }
        if let Some(h) = self.profile.head_of(&top) {
            wanted.push(("Müdür", h.id.clone()));
        }
        let mut out: Vec<Signer> = Vec::new();
        for (role, post) in wanted {
            // The printed sheet is Turkish.
            let title = self
                .profile
                .position(&post)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            let name = match store::leave::holders_on(&mut *c, std::slice::from_ref(&post), last)
                .await?
                .first()
            {
                Some(uid) => {
                    store::accounts::user_by_id(&mut *c, *uid)
                        .await?
                        .display_name
                }
                None => String::new(),
            };
            if out.iter().any(|s| s.title == title) {
                continue;
            }
            out.push(Signer {
                role: role.to_owned(),
                title,
                name,
            });
        }
        Ok(out)
    }

    /// The Kalem closes a month: from then on its days change only by
    /// correction records.
    pub async fn close_month(&self, actor: &User, month: &str) -> Result<TimesheetView> {
        let mut w = self.write().await?;
        let grant = self.personnel_keeper(&mut w, actor).await?;
        if month.trim().is_empty() {
            return Err(AppError::invalid("month", Code::Required));
        }
        let (year, m) = month_of(Some(month))?;
        let (_, last) = month_bounds(year, m);
        if domain::local::date(now()) < last {
            return Err(AppError::invalid("month", Code::MonthNotOver));
        }
        let key = rules::month_key(year, m);
        if store::timesheet::closure(&mut w, &key).await?.is_some() {
            return Err(AppError::Conflict(Code::MonthAlreadyClosed));
        }
        store::timesheet::close_month(&mut w, &key, actor.id).await?;
        w.commit(Audit::new(
            &grant,
            "timesheet.closed",
            format!("timesheet:{key}"),
            serde_json::json!({}),
        ))
        .await?;
        self.timesheet(actor, None, Some(&key)).await
    }

    /// The Kalem corrects a day of a closed month.
    pub async fn correct_day(
        &self,
        actor: &User,
        input: &CorrectionInput,
    ) -> Result<CorrectionView> {
        let person = self.user_named("person", &input.person).await?;
        let day = date("day", &input.day)?.ok_or(AppError::invalid("day", Code::Required))?;
        let mark = Mark::parse(input.mark.trim())
            .filter(|m| *m != Mark::NotHere)
            .ok_or(AppError::invalid("mark", Code::BadMark))?;
        let note = lines("note", &input.note, 1000, true)?;
        let key = rules::month_key(day.year(), day.month());
        let mut w = self.write().await?;
        let grant = self.personnel_keeper(&mut w, actor).await?;
        // One's own record is kept by another (or the administrator).
        if person.id == actor.id && !actor.is_admin {
            return Err(AppError::Conflict(Code::OwnRecord));
        }
        let staff_id = store::staff::of_user(&mut w, person.id)
            .await?
            .ok_or(AppError::invalid("person", Code::NotOurStaff))?;
        self.of_directorate(&mut w, person.id).await?;
        if store::timesheet::closure(&mut w, &key).await?.is_none() {
            return Err(AppError::invalid("day", Code::MonthOpen));
        }
        let id = store::timesheet::insert_correction(
            &mut w,
            staff_id,
            day,
            mark.code(),
            &note,
            actor.id,
        )
        .await?;
        let at = w.at();
        w.commit(Audit::new(
            &grant,
            "timesheet.corrected",
            format!("staff:{staff_id}"),
            serde_json::json!({"correction": id, "day": day.to_string(), "mark": mark.code(), "note": note}),
        ))
        .await?;
        Ok(CorrectionView {
            id,
            person_name: person.display_name,
            day,
            mark: mark.code().to_owned(),
            note,
            made_by_name: actor.display_name.clone(),
            made_at: at,
        })
    }

    /// The sheet as CSV for payroll: `;`-separated with decimal commas and
    /// a byte-order mark, as Excel in Turkish opens it.
    /// The payroll table: the header, then per person the name, title and
    /// status, a letter per day, and the totals (days; overtime in hours).
    fn timesheet_table(v: &TimesheetView) -> (Vec<String>, Vec<(Vec<String>, [f64; 7])>) {
        let mut head: Vec<String> = vec!["Adı Soyadı".into(), "Unvanı".into(), "Statüsü".into()];
        head.extend(v.days.iter().map(|d| d.day.to_string()));
        head.extend(
            [
                "Çalışılan gün",
                "Yıllık izin",
                "Mazeret izni",
                "Ücretsiz izin",
                "Raporlu gün",
                "Tatil",
                "Fazla mesai (saat)",
            ]
            .map(String::from),
        );
        let rows = v
            .rows
            .iter()
            .map(|r| {
                let mut line = vec![r.person_name.clone(), r.title.clone(), r.kind_name.clone()];
                line.extend(r.letters.iter().cloned());
                let t = &r.totals;
                (
                    line,
                    [
                        t.worked,
                        t.annual,
                        t.excuse,
                        t.unpaid,
                        t.sick,
                        t.off,
                        r.overtime_hours,
                    ],
                )
            })
            .collect();
        (head, rows)
    }

    /// The sheet for payroll as CSV: semicolons and decimal commas, as a
    /// Turkish spreadsheet reads it, with a byte-order mark.
    pub fn timesheet_csv(&self, v: &TimesheetView) -> Vec<u8> {
        let field = |s: &str| {
            // A cell a spreadsheet would take for a formula is quoted as text.
            let s = if s.starts_with(['=', '+', '-', '@']) {
                format!("'{s}")
            } else {
                s.to_owned()
            };
            if s.contains([';', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s
            }
        };
        let num = |f: &f64| format!("{f}").replace('.', ",");
        let (head, rows) = Self::timesheet_table(v);
        let mut out = String::from("\u{feff}");
        out.push_str(&head.join(";"));
        out.push_str("\r\n");
        for (text, totals) in &rows {
            let mut line: Vec<String> = text.iter().map(|s| field(s)).collect();
            line.extend(totals.iter().map(num));
            out.push_str(&line.join(";"));
            out.push_str("\r\n");
        }
        out.into_bytes()
    }

    /// The sheet for payroll as XLSX: the same table, totals as numbers,
    /// the header and the names frozen in place.
    pub fn timesheet_xlsx(&self, v: &TimesheetView) -> Result<Vec<u8>> {
        let xe = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.into());
        let (head, rows) = Self::timesheet_table(v);
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(format!("Puantaj {}", v.month)).map_err(xe)?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, h) in head.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, h, &bold)
                .map_err(xe)?;
        }
        for (i, (text, totals)) in rows.iter().enumerate() {
            let row = i as u32 + 1;
            for (c, t) in text.iter().enumerate() {
                sheet.write_string(row, c as u16, t).map_err(xe)?;
            }
            for (k, n) in totals.iter().enumerate() {
                sheet
                    .write_number(row, (text.len() + k) as u16, *n)
                    .map_err(xe)?;
            }
        }
        sheet.set_column_width(0, 28).map_err(xe)?;
        sheet.set_column_width(1, 22).map_err(xe)?;
        sheet.set_freeze_panes(1, 1).map_err(xe)?;
        book.save_to_buffer().map_err(xe)
    }

    /// The sheet as PDF: landscape A4, the legend, the totals, the
    /// corrections, and the signature blocks.
    pub async fn timesheet_pdf(&self, v: &TimesheetView) -> Result<Vec<u8>> {
        let heading = self.heading_lines().await?;
        let io = |e: std::io::Error| AppError::Internal(e.into());
        let (w, h) = A4_LANDSCAPE;
        let mut pdf = PdfWriter::new_embedded(
            Vec::new(),
            A4_LANDSCAPE,
            &format!("Puantaj {} {}", v.unit_name, v.month_tr),
        )
        .map_err(io)?;
        let m = 24.0;
        let name_w = 150.0;
        let totals = ["Çal.", "Yıl.", "Maz.", "Ücr.", "Rap.", "Tat.", "F.M."];
        let tot_w = 26.0;
        let day_w = (w - 2.0 * m - name_w - tot_w * totals.len() as f32) / v.days.len() as f32;
        let rows_per_page = 24;
        let chunks: Vec<&[SheetRow]> = if v.rows.is_empty() {
            vec![&[]]
        } else {
            v.rows.chunks(rows_per_page).collect()
        };
        let pages = chunks.len();
        for (i, chunk) in chunks.into_iter().enumerate() {
            let mut p = pdf.page();
            let mut y = p.heading(w / 2.0, 30.0, &heading) + 6.0;
            p.text_center(
                w / 2.0,
                y,
                12.0,
                true,
                &format!(
                    "{} — {} AYLIK PUANTAJ CETVELİ{}",
                    v.unit_name,
                    domain::turkish::to_upper(&v.month_tr),
                    if v.closed {
                        ""
                    } else {
                        " (TASLAK: AY KAPATILMADI)"
                    }
                ),
            );
            y += 20.0;
            // Head.
            p.shade(m, y - 10.0, w - 2.0 * m, 14.0, 0.9);
            p.text(m + 2.0, y, 7.5, true, "Adı Soyadı / Unvanı");
            for (k, d) in v.days.iter().enumerate() {
                let x = m + name_w + day_w * k as f32;
                if d.off {
                    p.shade(x, y - 10.0, day_w, 14.0, 0.78);
                }
                p.text_center(x + day_w / 2.0, y, 7.0, true, &d.day.to_string());
            }
            for (k, t) in totals.iter().enumerate() {
                let x = m + name_w + day_w * v.days.len() as f32 + tot_w * k as f32;
                p.text_center(x + tot_w / 2.0, y, 7.0, true, t);
            }
            y += 6.0;
            for r in chunk {
                y += 18.0;
                p.text(
                    m + 2.0,
                    y - 4.0,
                    7.5,
                    true,
                    &fit(&r.person_name, 7.5, name_w - 4.0),
                );
                p.text(
                    m + 2.0,
                    y + 4.0,
                    6.0,
                    false,
                    &fit(&format!("{} ({})", r.title, r.kind_name), 6.0, name_w - 4.0),
                );
                for (k, l) in r.letters.iter().enumerate() {
                    let x = m + name_w + day_w * k as f32;
                    let fixed = v.days.get(k).is_some_and(|d| r.corrected.contains(&d.day));
                    let l = if fixed { format!("{l}*") } else { l.clone() };
                    p.text_center(x + day_w / 2.0, y, 7.0, fixed, &l);
                }
                let t = &r.totals;
                for (k, n) in [
                    t.worked,
                    t.annual,
                    t.excuse,
                    t.unpaid,
                    t.sick,
                    t.off,
                    r.overtime_hours,
                ]
                .iter()
                .enumerate()
                {
                    let x = m + name_w + day_w * v.days.len() as f32 + tot_w * k as f32;
                    p.text_center(
                        x + tot_w / 2.0,
                        y,
                        7.0,
                        false,
                        &format!("{n}").replace('.', ","),
                    );
                }
                p.line(m, y + 7.0, w - m, y + 7.0, 0.2);
            }
            if i + 1 == pages {
                y += 22.0;
                p.text(
                    m,
                    y,
                    7.0,
                    false,
                    "X: Çalıştı · H: Hafta tatili · T: Resmî tatil · İ: İdari izin · Y: Yıllık izin · M: Mazeret izni · Ü: Ücretsiz izin · R: Raporlu · ½: Yarım gün (arife) · ·: Birimde değil · *: Düzeltme kaydıyla",
                );
                y += 11.0;
                p.text(m, y, 7.0, false, "Çal.: Çalışılan gün · Yıl.: Yıllık izin · Maz.: Mazeret · Ücr.: Ücretsiz izin · Rap.: Raporlu · Tat.: Tatil · F.M.: Fazla mesai (saat)");
                for c in &v.corrections {
                    y += 11.0;
                    p.text(
                        m,
                        y,
                        7.0,
                        false,
                        &fit(
                            &format!(
                                "Düzeltme: {} — {}: {} ({}; {}, {})",
                                c.person_name,
                                date_tr(c.day),
                                Mark::parse(&c.mark)
                                    .map_or_else(|| c.mark.clone(), |m| m.name_tr().to_owned()),
                                c.note,
                                c.made_by_name,
                                time_tr(c.made_at)
                            ),
                            7.0,
                            w - 2.0 * m,
                        ),
                    );
                }
                if let (Some(by), Some(at)) = (&v.closed_by_name, v.closed_at) {
                    y += 11.0;
                    p.text(
                        m,
                        y,
                        7.0,
                        false,
                        &format!("Ay kapatıldı: {by}, {}", time_tr(at)),
                    );
                }
                let y = (y + 24.0).min(h - 80.0);
                let col = (w - 2.0 * m) / v.signers.len().max(1) as f32;
                for (k, s) in v.signers.iter().enumerate() {
                    let x = m + col * k as f32;
                    p.text(x, y, 9.0, true, &s.role);
                    p.text(x, y + 13.0, 9.0, false, &s.name);
                    p.text(x, y + 26.0, 8.0, false, &s.title);
                    p.text(x, y + 50.0, 8.0, false, "İmza:");
                    p.line(x + 28.0, y + 52.0, x + col - 20.0, y + 52.0, 0.4);
                }
            }
            p.text_right(
                w - m,
                h - 14.0,
                7.0,
                false,
                &format!("Sayfa {}/{} · Mudurluk", i + 1, pages),
            );
            pdf.add(p).map_err(io)?;
        }
        pdf.finish().map_err(io)
    }
}

pub(crate) fn report_view(
    person_name: String,
    r: store::timesheet::Report,
    back: Halves,
) -> ReportView {
    ReportView {
        id: r.id,
        person_name,
        from: r.start_date,
        to: r.end_date,
        days: (r.end_date - r.start_date).whole_days() + 1,
        institution: r.institution,
        number: r.number,
        note: r.note,
        recorded_by_name: r.recorded_by_name,
        recorded_at: r.recorded_at,
        leave_days_returned: back,
    }
}
