//! The Turkish working calendar and the legal answer periods computed on
//! it. Official holidays 2024–2032 are shipped (`data/`); an
//! administrator's edits (idari izin days, corrections) are layered on top
//! as [`DayOverride`]s.
//!
//! Two notions of a working day:
//! - **legal** ([`Calendar::is_legal_working_day`]), for legal periods:
//!   Saturdays, Sundays and the official holidays of Law 2429 (Ulusal
//!   Bayram ve Genel Tatiller Hakkında Kanun) are off; an arife half-day
//!   is a working day unless configured otherwise. An **idari izin** day
//!   is a legal working day: it is leave granted to civil servants by a
//!   Presidential circular, not a holiday under Law 2429 or Law 394, and
//!   periods keep running through it (Yargıtay 8. CD, 2021/9287 E.,
//!   2021/20409 K.; "bir çalışma günü ancak kanunla tatil ilan
//!   edilebilir");
//! - **planning** ([`Calendar::is_planning_working_day`]), for the office:
//!   idari izin days are off as well.
//!
//! Rules (3071, 4982 m.11, KVKK m.13, Resmî Yazışma Yönetmeliği m.26, m.33):
//! - the day of receipt is not counted;
//! - working-day periods count legal working days;
//! - a calendar-day period whose last day is not a legal working day ends
//!   on the next legal working day, or (configured, [`HolidayPeriodEnd`])
//!   on the previous one;
//! - a legal deadline falling on an idari izin day does not move later;
//!   by default it stays on that day, and [`AdminLeaveDeadline`] can pull
//!   it back to the last planning working day before it;
//! - a dated ("günlü") answer whose date is not a planning working day is
//!   due on the previous planning working day, never the next;
//! - a document with no legal basis has no legal deadline (`None`); an
//!   [`InternalTarget`] is a separate, labelled thing.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use time::{Date, Duration, Weekday};

/// What a date is, when it is not an ordinary weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// An official holiday (resmî tatil), the whole day.
    Holiday,
    /// Arife: a half-day from 13:00.
    HalfDay,
    /// Administrative leave (idari izin) declared for public servants: off
    /// for planning, but a legal working day (it is not a holiday under
    /// Law 2429).
    AdminLeave,
    /// Declared a working day (overrides a shipped holiday).
    Working,
}

impl DayKind {
    pub fn parse(s: &str) -> Option<DayKind> {
        match s {
            "holiday" | "public" => Some(DayKind::Holiday),
            "half_day" => Some(DayKind::HalfDay),
            "admin_leave" => Some(DayKind::AdminLeave),
            "working" => Some(DayKind::Working),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::HalfDay => "half_day",
            DayKind::AdminLeave => "admin_leave",
            DayKind::Working => "working",
        }
    }
}

/// One special day.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SpecialDay {
    #[serde(with = "crate::calendar::iso_date")]
    pub date: Date,
    pub kind: DayKind,
    pub name: String,
}

time::serde::format_description!(pub(crate) iso_date, Date, "[year]-[month]-[day]");

/// An administrator's edit of one date, layered over the shipped holidays.
pub type DayOverride = SpecialDay;

const SHIPPED: &str = include_str!("../data/tr_resmi_tatiller_2024_2032.csv");

/// The first and last year the shipped holidays cover.
pub const SHIPPED_YEARS: (i32, i32) = (2024, 2032);

/// The shipped official holidays, parsed once. Where two holidays share a
/// date (2027-05-19, 2029-04-23), the whole-day one wins.
pub fn shipped_holidays() -> &'static [SpecialDay] {
    static DAYS: OnceLock<Vec<SpecialDay>> = OnceLock::new();
    DAYS.get_or_init(|| {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let mut by_date: BTreeMap<Date, SpecialDay> = BTreeMap::new();
        for line in SHIPPED.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let fields = split_csv(line);
            let (Some(date), Some(category), Some(name)) =
                (fields.first(), fields.get(2), fields.get(5))
            else {
                continue;
            };
            let Ok(date) = Date::parse(date, fmt) else {
                continue;
            };
            let kind = if category == "half_day" {
                DayKind::HalfDay
            } else {
                DayKind::Holiday
            };
            let day = SpecialDay {
                date,
                kind,
                name: name.clone(),
            };
            match by_date.get(&date) {
                Some(d) if d.kind == DayKind::Holiday => {}
                _ => {
                    by_date.insert(date, day);
                }
            }
        }
        by_date.into_values().collect()
    })
}

/// A line of simple CSV with optional double-quoted fields (the shipped
/// reference data: holidays, the taşınır code list).
pub(crate) fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// What happens to a legal deadline that falls on an idari izin day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminLeaveDeadline {
    /// It stays on the idari izin day (default): the day is a legal
    /// working day (Law 2429), so the period ends there and never later.
    #[default]
    Stays,
    /// It is pulled back to the last planning working day before it, for
    /// an office that is closed on idari izin days (stricter, earlier).
    PreviousWorkingDay,
}

/// Where a calendar-day period (3071, KVKK: 30 days) ends when its last
/// day is not a legal working day. No answer law says; the courts' rule
/// for litigation periods (İYUK m.8/3, HMK m.93) moves it to the next
/// working day, which is the default the registry has always applied.
/// An office that wants to be safe whatever a court holds pulls it back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayPeriodEnd {
    /// The next legal working day (default).
    #[default]
    NextWorkingDay,
    /// The previous legal working day: earlier, never later.
    PreviousWorkingDay,
}

/// A date the office sets itself, labelled so that nobody mistakes it for
/// a legal deadline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InternalTarget {
    #[serde(with = "crate::calendar::iso_date")]
    pub date: Date,
    pub label_tr: &'static str,
}

/// The label every internal target carries.
pub const INTERNAL_TARGET_LABEL: &str = "İç hedef tarih (yasal süre değildir)";

/// No run of non-working days is longer than this; bounds every walk.
const MAX_WALK_DAYS: u32 = 400;

/// The working calendar: shipped holidays with overrides applied.
#[derive(Debug, Clone)]
pub struct Calendar {
    days: BTreeMap<Date, DayKind>,
    /// Count arife half-days as holidays (default: working days).
    pub arife_is_holiday: bool,
    /// A legal deadline on an idari izin day (default: it stays).
    pub admin_leave_deadline: AdminLeaveDeadline,
    /// A calendar-day period ending on a holiday (default: the next
    /// working day).
    pub holiday_period_end: HolidayPeriodEnd,
}

impl Calendar {
    /// The shipped holidays with `overrides` on top (a later override of
    /// the same date wins).
    pub fn new(overrides: &[DayOverride], arife_is_holiday: bool) -> Calendar {
        let mut days: BTreeMap<Date, DayKind> = shipped_holidays()
            .iter()
            .map(|d| (d.date, d.kind))
            .collect();
        for o in overrides {
            days.insert(o.date, o.kind);
        }
        Calendar {
            days,
            arife_is_holiday,
            admin_leave_deadline: AdminLeaveDeadline::default(),
            holiday_period_end: HolidayPeriodEnd::default(),
        }
    }

    /// The same calendar with another setting for periods ending on a holiday.
    pub fn with_holiday_period_end(mut self, setting: HolidayPeriodEnd) -> Calendar {
        self.holiday_period_end = setting;
        self
    }

    /// The same calendar with another idari izin setting.
    pub fn with_admin_leave_deadline(mut self, setting: AdminLeaveDeadline) -> Calendar {
        self.admin_leave_deadline = setting;
        self
    }

    /// What the calendar says of `d` beyond its weekday.
    pub fn special(&self, d: Date) -> Option<DayKind> {
        self.days.get(&d).copied()
    }

    fn weekday(d: Date) -> bool {
        !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    /// A working day for legal periods: not a weekend, not an official
    /// holiday (Law 2429), not an arife if arife counts as a holiday. An
    /// idari izin weekday **is** a legal working day.
    pub fn is_legal_working_day(&self, d: Date) -> bool {
        match self.days.get(&d) {
            Some(DayKind::Working) => true,
            Some(DayKind::Holiday) => false,
            Some(DayKind::HalfDay) if self.arife_is_holiday => false,
            _ => Self::weekday(d),
        }
    }

    /// A working day for the office's planning: a legal working day that
    /// is not an idari izin day either.
    pub fn is_planning_working_day(&self, d: Date) -> bool {
        self.days.get(&d) != Some(&DayKind::AdminLeave) && self.is_legal_working_day(d)
    }

    /// The planning notion (idari izin days off), as before the split;
    /// legal periods use [`Calendar::is_legal_working_day`].
    pub fn is_working_day(&self, d: Date) -> bool {
        self.is_planning_working_day(d)
    }

    /// `d` itself if it is a legal working day, else the next one.
    pub fn on_or_after_legal_working(&self, mut d: Date) -> Date {
        for _ in 0..MAX_WALK_DAYS {
            if self.is_legal_working_day(d) {
                return d;
            }
            match d.next_day() {
                Some(n) => d = n,
                None => return d,
            }
        }
        d
    }

    /// `d` itself if it is a planning working day, else the previous one.
    pub fn on_or_before_planning_working(&self, mut d: Date) -> Date {
        for _ in 0..MAX_WALK_DAYS {
            if self.is_planning_working_day(d) {
                return d;
            }
            match d.previous_day() {
                Some(p) => d = p,
                None => return d,
            }
        }
        d
    }

    /// A legal deadline as the idari izin setting leaves it.
    fn settle(&self, d: Date) -> Date {
        match (self.days.get(&d), self.admin_leave_deadline) {
            (Some(DayKind::AdminLeave), AdminLeaveDeadline::PreviousWorkingDay) => {
                self.on_or_before_planning_working(d)
            }
            _ => d,
        }
    }

    /// The answer deadline of a document received on `received`, for a
    /// basis that sets one (every [`LegalBasis`] does).
    pub fn due(&self, received: Date, basis: &LegalBasis) -> Date {
        match *basis {
            LegalBasis::Petition | LegalBasis::Kvkk => self.after_days(received, 30),
            LegalBasis::InformationRequest => self.after_working_days(received, 15),
            LegalBasis::InformationRequestExtended => self.after_working_days(received, 30),
            LegalBasis::InterAgency(kind) => self.after_working_days(received, kind.working_days()),
            LegalBasis::Days(n) => self.after_days(received, n),
            LegalBasis::WorkDays(n) => self.after_working_days(received, n),
            LegalBasis::Fixed(d) => self.dated_due(d),
        }
    }

    /// The legal deadline, if there is a legal basis: a document with none
    /// has none (no default period is invented).
    pub fn legal_due(&self, received: Date, basis: Option<&LegalBasis>) -> Option<Date> {
        basis.map(|b| self.due(received, b))
    }

    /// A dated ("günlü") answer: due on the date the sender set, or on the
    /// previous planning working day when that date is a weekend, a
    /// holiday or an idari izin day. Never later than the sender's date
    /// (Resmî Yazışma Yönetmeliği m.26: answered within the period given).
    pub fn dated_due(&self, date: Date) -> Date {
        self.on_or_before_planning_working(date)
    }

    /// An internal target `working_days` planning working days after
    /// `received`, labelled as not a legal deadline.
    pub fn internal_target(&self, received: Date, working_days: u16) -> InternalTarget {
        let mut d = received;
        let mut counted = 0;
        let mut walked = 0u32;
        while counted < working_days && walked < u32::from(working_days) * 7 + MAX_WALK_DAYS {
            match d.next_day() {
                Some(next) => d = next,
                None => break,
            }
            walked += 1;
            if self.is_planning_working_day(d) {
                counted += 1;
            }
        }
        InternalTarget {
            date: d,
            label_tr: INTERNAL_TARGET_LABEL,
        }
    }

    fn after_days(&self, received: Date, n: u16) -> Date {
        let last = received.saturating_add(Duration::days(i64::from(n)));
        let end = match self.holiday_period_end {
            HolidayPeriodEnd::NextWorkingDay => self.on_or_after_legal_working(last),
            HolidayPeriodEnd::PreviousWorkingDay => self.on_or_before_legal_working(last),
        };
        self.settle(end)
    }

    /// `d` itself if it is a legal working day, else the previous one.
    pub fn on_or_before_legal_working(&self, mut d: Date) -> Date {
        for _ in 0..MAX_WALK_DAYS {
            if self.is_legal_working_day(d) {
                return d;
            }
            match d.previous_day() {
                Some(p) => d = p,
                None => return d,
            }
        }
        d
    }

    /// `n` legal working days after `received` (the day of receipt not
    /// counted).
    pub fn after_working_days(&self, received: Date, n: u16) -> Date {
        let mut d = received;
        let mut counted = 0;
        let mut walked = 0u32;
        while counted < n && walked < u32::from(n) * 7 + MAX_WALK_DAYS {
            match d.next_day() {
                Some(next) => d = next,
                None => break,
            }
            walked += 1;
            if self.is_legal_working_day(d) {
                counted += 1;
            }
        }
        self.settle(d)
    }
}

/// What another administration asks for in a request letter
/// (Resmî Yazışma Yönetmeliği m.33).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Documents (belge talebi): at most 5 working days.
    Documents,
    /// Information (bilgi talebi): at most 15 working days. m.33 reads
    /// "belge talepleri en geç beş iş günü, bilgi ve görüş talepleri en
    /// geç on beş iş günü içinde yerine getirilir" (as public summaries of
    /// the 2020 text quote it); an office that wants it sooner sets an
    /// internal target date, never a shorter legal deadline.
    Information,
    /// An opinion (görüş talebi): at most 15 working days.
    Opinion,
}

/// Working days for an information request between administrations (see
/// [`RequestKind::Information`]).
pub const INTER_AGENCY_INFORMATION_DAYS: u16 = 15;

impl RequestKind {
    /// Resmî Yazışma Yönetmeliği m.33 (special provisions of other
    /// legislation prevail): documents 5 working days, information and
    /// opinions 15.
    pub fn working_days(self) -> u16 {
        match self {
            RequestKind::Documents => 5,
            RequestKind::Information => INTER_AGENCY_INFORMATION_DAYS,
            RequestKind::Opinion => 15,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            RequestKind::Documents => "belge",
            RequestKind::Information => "bilgi",
            RequestKind::Opinion => "gorus",
        }
    }

    pub fn parse(s: &str) -> Option<RequestKind> {
        match s.trim() {
            "belge" => Some(RequestKind::Documents),
            "bilgi" => Some(RequestKind::Information),
            "gorus" => Some(RequestKind::Opinion),
            _ => None,
        }
    }

    pub fn name_tr(self) -> &'static str {
        match self {
            RequestKind::Documents => "belge talebi",
            RequestKind::Information => "bilgi talebi",
            RequestKind::Opinion => "görüş talebi",
        }
    }
}

/// The legal basis of an answer period. "No legal basis" is not a
/// variant: it is `Option::None` wherever a basis is optional, and it
/// gives no legal deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalBasis {
    /// 3071 Dilekçe Hakkının Kullanılmasına Dair Kanun m.7: 30 days.
    Petition,
    /// 4982 Bilgi Edinme Hakkı Kanunu m.11/1: 15 working days.
    InformationRequest,
    /// 4982 m.11/1: extended once to 30 working days, with written notice
    /// before the 15 run out (see `information_request::extend`).
    InformationRequestExtended,
    /// KVKK m.13: a data subject's application, 30 days.
    Kvkk,
    /// A request from another administration with no date of its own
    /// (Resmî Yazışma Yönetmeliği m.33).
    InterAgency(RequestKind),
    /// A custom period in days.
    Days(u16),
    /// A custom period in working days.
    WorkDays(u16),
    /// "Günlü": a fixed date set by the sender (m.26, m.33/1).
    Fixed(Date),
}

/// The basis a newly registered document gets when the registrar names
/// none: the sender's date if the letter is dated; 3071 for the petition
/// register; m.33 for a request from another administration whose kind
/// the registrar gave; otherwise **none** — no invented "30 days".
pub fn default_basis(
    register: crate::correspondence::Register,
    dated: Option<Date>,
    inter_agency: Option<RequestKind>,
) -> Option<LegalBasis> {
    match (dated, register, inter_agency) {
        (Some(d), _, _) => Some(LegalBasis::Fixed(d)),
        (None, crate::correspondence::Register::Petition, _) => Some(LegalBasis::Petition),
        (None, _, Some(kind)) => Some(LegalBasis::InterAgency(kind)),
        (None, _, None) => None,
    }
}

/// Why a legal basis could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BasisError {
    #[error("unknown legal basis")]
    Unknown,
    #[error("the number of days must be 1–3650")]
    BadCount,
    #[error("the date must be YYYY-MM-DD")]
    BadDate,
}

impl LegalBasis {
    /// `dilekce`, `bilgi_edinme`, `bilgi_edinme_uzatma`, `kvkk`,
    /// `kurum_belge`, `kurum_bilgi`, `kurum_gorus`, `days:N`, `workdays:N`,
    /// `gunlu:YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<LegalBasis, BasisError> {
        let s = s.trim();
        let count = |n: &str| {
            n.trim()
                .parse::<u16>()
                .ok()
                .filter(|n| (1..=3650).contains(n))
                .ok_or(BasisError::BadCount)
        };
        Ok(match s {
            "dilekce" => LegalBasis::Petition,
            "bilgi_edinme" => LegalBasis::InformationRequest,
            "bilgi_edinme_uzatma" => LegalBasis::InformationRequestExtended,
            "kvkk" => LegalBasis::Kvkk,
            "kurum_belge" => LegalBasis::InterAgency(RequestKind::Documents),
            "kurum_bilgi" => LegalBasis::InterAgency(RequestKind::Information),
            "kurum_gorus" => LegalBasis::InterAgency(RequestKind::Opinion),
            _ => match s.split_once(':') {
                Some(("days", n)) => LegalBasis::Days(count(n)?),
                Some(("workdays", n)) => LegalBasis::WorkDays(count(n)?),
                Some(("gunlu", d)) => LegalBasis::Fixed(
                    Date::parse(
                        d.trim(),
                        time::macros::format_description!("[year]-[month]-[day]"),
                    )
                    .ok()
                    .filter(|d| (1900..=2200).contains(&d.year()))
                    .ok_or(BasisError::BadDate)?,
                ),
                _ => return Err(BasisError::Unknown),
            },
        })
    }

    /// An optional basis: empty or `yok` is no legal basis (`None`).
    pub fn parse_optional(s: &str) -> Result<Option<LegalBasis>, BasisError> {
        match s.trim() {
            "" | "yok" => Ok(None),
            s => LegalBasis::parse(s).map(Some),
        }
    }

    /// The stored form, which [`LegalBasis::parse`] reads back.
    pub fn code(&self) -> String {
        match self {
            LegalBasis::Petition => "dilekce".into(),
            LegalBasis::InformationRequest => "bilgi_edinme".into(),
            LegalBasis::InformationRequestExtended => "bilgi_edinme_uzatma".into(),
            LegalBasis::Kvkk => "kvkk".into(),
            LegalBasis::InterAgency(k) => format!("kurum_{}", k.code()),
            LegalBasis::Days(n) => format!("days:{n}"),
            LegalBasis::WorkDays(n) => format!("workdays:{n}"),
            LegalBasis::Fixed(d) => format!("gunlu:{d}"),
        }
    }

    /// The law and article, for people.
    pub fn description_tr(&self) -> String {
        match self {
            LegalBasis::Petition => "3071 sayılı Dilekçe Kanunu: 30 gün".into(),
            LegalBasis::InformationRequest => {
                "4982 sayılı Bilgi Edinme Kanunu m.11: 15 iş günü".into()
            }
            LegalBasis::InformationRequestExtended => {
                "4982 m.11/1: süre uzatımı, 30 iş günü".into()
            }
            LegalBasis::Kvkk => "6698 sayılı KVKK m.13: 30 gün".into(),
            LegalBasis::InterAgency(k) => format!(
                "Resmî Yazışma Yönetmeliği m.33: {}, {} iş günü",
                k.name_tr(),
                k.working_days()
            ),
            LegalBasis::Days(n) => format!("{n} gün"),
            LegalBasis::WorkDays(n) => format!("{n} iş günü"),
            LegalBasis::Fixed(d) => format!("günlü: {d}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn due(received: Date, basis: &str) -> Date {
        Calendar::new(&[], false).due(received, &LegalBasis::parse(basis).unwrap())
    }

    /// Expected dates worked out by hand from the 2025–2027 calendar
    /// (weekday and holiday of each date written in the comment).
    #[test]
    fn deadlines_across_bayrams_weekends_and_the_new_year() {
        let cases = [
            // Thu 21 May 2026: an ordinary Thursday (19 May is a Tuesday holiday, not in the way).
            (date!(2026 - 04 - 21), "dilekce", date!(2026 - 05 - 21)),
            // +30 = Wed 27 May 2026, Kurban Bayramı 1; 28–30 bayram, 31 Sunday -> Mon 1 June.
            (date!(2026 - 04 - 27), "dilekce", date!(2026 - 06 - 01)),
            // Received on a Sunday; +30 = Tue 26 May 2026, arife half-day: a working day.
            (date!(2026 - 04 - 26), "kvkk", date!(2026 - 05 - 26)),
            // 15 working days from Mon 16 Mar 2026: Ramazan arife Thu 19th counts, Fri 20th
            // holiday, weekend; day 15 is Tue 7 April.
            (date!(2026 - 03 - 16), "bilgi_edinme", date!(2026 - 04 - 07)),
            // Extended to 30 working days: Thu 23 April is a holiday -> Wed 29 April.
            (
                date!(2026 - 03 - 16),
                "bilgi_edinme_uzatma",
                date!(2026 - 04 - 29),
            ),
            // From Thu 27 Mar 2025: Fri 28th = 1; Ramazan Bayramı Mon 31st–Tue 1st; day 15 = Mon 21 April.
            (date!(2025 - 03 - 27), "bilgi_edinme", date!(2025 - 04 - 21)),
            // +30 = Sat 7 June 2025 (Kurban Bayramı), Sun 8th, Mon 9th bayram -> Tue 10 June.
            (date!(2025 - 05 - 08), "dilekce", date!(2025 - 06 - 10)),
            // Turn of the year: Tue 29 Dec 2026; 30th, 31st; Fri 1 Jan 2027 holiday; weekend;
            // Mon 4th, Tue 5th, Wed 6th.
            (date!(2026 - 12 - 29), "workdays:5", date!(2027 - 01 - 06)),
            // +3 = Fri 1 Jan 2027 (Yılbaşı), weekend -> Mon 4 January.
            (date!(2026 - 12 - 29), "days:3", date!(2027 - 01 - 04)),
            // Received on arife of Cumhuriyet Bayramı (Wed 28 Oct 2026); +1 = Thu 29th, holiday -> Fri 30th.
            (date!(2026 - 10 - 28), "days:1", date!(2026 - 10 - 30)),
            // Günlü on Sun 30 Aug 2026 (Zafer Bayramı and a Sunday): back to the
            // previous working day, Fri 28 August, never forward (correction 8 of
            // the legal review; Resmî Yazışma Yönetmeliği m.26: within the date set).
            (
                date!(2026 - 08 - 01),
                "gunlu:2026-08-30",
                date!(2026 - 08 - 28),
            ),
            // Bayram in the middle of working days: Mon 8 Mar 2027 (arife) counts; 9–11 Ramazan
            // Bayramı; from Fri 5 Mar: 8th = 1, 12th = 2, 15th = 3.
            (date!(2027 - 03 - 05), "workdays:3", date!(2027 - 03 - 15)),
        ];
        for (received, basis, expected) in cases {
            assert_eq!(due(received, basis), expected, "{basis} from {received}");
        }
    }

    #[test]
    fn arife_can_count_as_a_holiday() {
        let strict = Calendar::new(&[], true);
        // Tue 26 May 2026 is arife: now a holiday, and the bayram follows -> Mon 1 June.
        assert_eq!(
            strict.due(date!(2026 - 04 - 26), &LegalBasis::Kvkk),
            date!(2026 - 06 - 01)
        );
        // Thu 19 Mar 2026 no longer counts: one working day later than 7 April.
        assert_eq!(
            strict.due(date!(2026 - 03 - 16), &LegalBasis::InformationRequest),
            date!(2026 - 04 - 08)
        );
        // A shipped holiday declared a working day counts again.
        let working = SpecialDay {
            date: date!(2026 - 05 - 27),
            kind: DayKind::Working,
            name: "düzeltme".into(),
        };
        let cal = Calendar::new(&[working], false);
        assert_eq!(
            cal.due(date!(2026 - 04 - 27), &LegalBasis::Petition),
            date!(2026 - 05 - 27)
        );
    }

    /// A 30-day period (3071 m.7, KVKK m.13/2) whose last day is a holiday
    /// ends on the next working day (issue 4), or, configured, on the one
    /// before (no answer law grants the extra days; İYUK m.8/3 does so for
    /// litigation periods only).
    #[test]
    fn holiday_period_end_is_configurable() {
        // Mon 27 Apr 2026 + 30 = Wed 27 May, Kurban Bayramı (27–30 May).
        let cal = Calendar::new(&[], false);
        assert_eq!(
            cal.due(date!(2026 - 04 - 27), &LegalBasis::Petition),
            date!(2026 - 06 - 01)
        );
        let safe = cal
            .clone()
            .with_holiday_period_end(HolidayPeriodEnd::PreviousWorkingDay);
        // Tue 26 May, the arife, is a (half) working day.
        assert_eq!(
            safe.due(date!(2026 - 04 - 27), &LegalBasis::Petition),
            date!(2026 - 05 - 26)
        );
        // A period ending on a working day is the same either way.
        assert_eq!(
            safe.due(date!(2026 - 05 - 20), &LegalBasis::Petition),
            date!(2026 - 06 - 19)
        );
        // Working-day periods never end on a holiday: unaffected.
        assert_eq!(
            safe.due(date!(2026 - 05 - 20), &LegalBasis::InformationRequest),
            date!(2026 - 06 - 15)
        );
    }

    fn leave(d: Date) -> SpecialDay {
        SpecialDay {
            date: d,
            kind: DayKind::AdminLeave,
            name: "İdari izin".into(),
        }
    }

    /// Idari izin is not an official holiday under Law 2429: legal periods
    /// run through it and a deadline on it does not move later. This
    /// replaces the earlier test in which an idari izin day pushed the
    /// Kurban case to 2 June.
    #[test]
    fn admin_leave_does_not_lengthen_legal_periods() {
        // Mon 1 June 2026 declared idari izin.
        let cal = Calendar::new(&[leave(date!(2026 - 06 - 01))], false);
        // +30 = Wed 27 May (Kurban Bayramı); 28–30 bayram, 31 Sunday; Mon 1 June is
        // idari izin but a legal working day: the deadline stays on 1 June.
        assert_eq!(
            cal.due(date!(2026 - 04 - 27), &LegalBasis::Petition),
            date!(2026 - 06 - 01)
        );
        // The same with the stricter setting: the last planning day before it is
        // Tue 26 May (arife, a working day by default).
        let pull = cal
            .clone()
            .with_admin_leave_deadline(AdminLeaveDeadline::PreviousWorkingDay);
        assert_eq!(
            pull.due(date!(2026 - 04 - 27), &LegalBasis::Petition),
            date!(2026 - 05 - 26)
        );
        // For planning the day is off, for the law it is not.
        assert!(cal.is_legal_working_day(date!(2026 - 06 - 01)));
        assert!(!cal.is_planning_working_day(date!(2026 - 06 - 01)));
        assert!(!cal.is_working_day(date!(2026 - 06 - 01)));

        // Working-day periods count the idari izin day. Bridge day Mon 25 May 2026
        // before the Kurban arife: 15 working days from Wed 20 May are still due
        // Mon 15 June (21, 22, 25, 26, 1–5, 8–12, 15 June).
        let bridge = Calendar::new(&[leave(date!(2026 - 05 - 25))], false);
        assert_eq!(
            bridge.due(date!(2026 - 05 - 20), &LegalBasis::InformationRequest),
            date!(2026 - 06 - 15)
        );
        assert_eq!(
            Calendar::new(&[], false).due(date!(2026 - 05 - 20), &LegalBasis::InformationRequest),
            date!(2026 - 06 - 15)
        );
        // An idari izin day on the last working day: stays, or is pulled back.
        let last = Calendar::new(&[leave(date!(2026 - 06 - 15))], false);
        assert_eq!(
            last.due(date!(2026 - 05 - 20), &LegalBasis::InformationRequest),
            date!(2026 - 06 - 15)
        );
        let last = last.with_admin_leave_deadline(AdminLeaveDeadline::PreviousWorkingDay);
        assert_eq!(
            last.due(date!(2026 - 05 - 20), &LegalBasis::InformationRequest),
            date!(2026 - 06 - 12)
        );
        // An idari izin day on a Saturday is still a weekend.
        let sat = Calendar::new(&[leave(date!(2026 - 06 - 06))], false);
        assert!(!sat.is_legal_working_day(date!(2026 - 06 - 06)));
    }

    /// A dated answer goes back to the previous planning working day,
    /// never forward (correction 8; Resmî Yazışma Yönetmeliği m.26).
    #[test]
    fn dated_answers_move_back() {
        let cal = Calendar::new(&[leave(date!(2026 - 06 - 01))], false);
        let rows = [
            // An ordinary Wednesday: unchanged.
            (date!(2026 - 06 - 03), date!(2026 - 06 - 03)),
            // Sat 6 June -> Fri 5 June.
            (date!(2026 - 06 - 06), date!(2026 - 06 - 05)),
            // Sun 7 June -> Fri 5 June.
            (date!(2026 - 06 - 07), date!(2026 - 06 - 05)),
            // Kurban Bayramı Thu 28 May -> arife Tue 26 May (a working day by default).
            (date!(2026 - 05 - 28), date!(2026 - 05 - 26)),
            // Idari izin Mon 1 June: the office is closed -> Tue 26 May, before the bayram.
            (date!(2026 - 06 - 01), date!(2026 - 05 - 26)),
            // Fri 1 Jan 2027 (Yılbaşı) -> Thu 31 Dec 2026.
            (date!(2027 - 01 - 01), date!(2026 - 12 - 31)),
            // Sun 30 Aug 2026 (Zafer Bayramı) -> Fri 28 Aug.
            (date!(2026 - 08 - 30), date!(2026 - 08 - 28)),
        ];
        for (dated, expected) in rows {
            assert_eq!(cal.dated_due(dated), expected, "günlü {dated}");
            assert_eq!(
                cal.due(date!(2026 - 05 - 04), &LegalBasis::Fixed(dated)),
                expected,
                "günlü {dated} via due"
            );
        }
        // With arife counted as a holiday, 28 May goes back to Mon 25 May.
        let strict = Calendar::new(&[], true);
        assert_eq!(
            strict.dated_due(date!(2026 - 05 - 28)),
            date!(2026 - 05 - 25)
        );
    }

    /// No legal basis, no legal deadline: nothing is invented. Requests
    /// from other administrations get m.33's periods; a dated letter its
    /// own date.
    #[test]
    fn no_invented_periods() {
        use crate::correspondence::Register;
        let cal = Calendar::new(&[], false);
        let received = date!(2026 - 05 - 20); // Wed
                                              // (register, sender's date, request kind, basis code, legal deadline)
        type Row = (
            Register,
            Option<Date>,
            Option<RequestKind>,
            Option<&'static str>,
            Option<Date>,
        );
        let rows: Vec<Row> = vec![
            // An ordinary incoming letter: no basis, no deadline (was "30 days").
            (Register::Incoming, None, None, None, None),
            // A petition: 3071, 30 days: Fri 19 June.
            (
                Register::Petition,
                None,
                None,
                Some("dilekce"),
                Some(date!(2026 - 06 - 19)),
            ),
            // Another administration asks for documents: 5 working days (m.33):
            // 21, 22, 25, 26 May (arife), 1 June.
            (
                Register::Incoming,
                None,
                Some(RequestKind::Documents),
                Some("kurum_belge"),
                Some(date!(2026 - 06 - 01)),
            ),
            // ... for information: 15 working days (m.33: "bilgi ve görüş
            // talepleri en geç on beş iş günü"): Mon 15 June.
            (
                Register::Incoming,
                None,
                Some(RequestKind::Information),
                Some("kurum_bilgi"),
                Some(date!(2026 - 06 - 15)),
            ),
            // ... for an opinion: 15 working days: Mon 15 June.
            (
                Register::Incoming,
                None,
                Some(RequestKind::Opinion),
                Some("kurum_gorus"),
                Some(date!(2026 - 06 - 15)),
            ),
            // A request dated by its sender: that date wins (m.33/1: talep yazıları günlü yazılır).
            (
                Register::Incoming,
                Some(date!(2026 - 05 - 29)),
                Some(RequestKind::Opinion),
                Some("gunlu:2026-05-29"),
                Some(date!(2026 - 05 - 26)),
            ),
            (
                Register::Incoming,
                Some(date!(2026 - 06 - 10)),
                None,
                Some("gunlu:2026-06-10"),
                Some(date!(2026 - 06 - 10)),
            ),
        ];
        for (register, dated, kind, code, due) in rows {
            let basis = default_basis(register, dated, kind);
            assert_eq!(
                basis.map(|b| b.code()).as_deref(),
                code,
                "{register:?} {dated:?} {kind:?}"
            );
            assert_eq!(
                cal.legal_due(received, basis.as_ref()),
                due,
                "{register:?} {dated:?} {kind:?}"
            );
        }
        // An internal target is labelled and separate; it uses the planning calendar.
        let cal = Calendar::new(&[leave(date!(2026 - 05 - 25))], false);
        let t = cal.internal_target(received, 3);
        assert_eq!(
            (t.date, t.label_tr),
            (
                date!(2026 - 05 - 26),
                "İç hedef tarih (yasal süre değildir)"
            )
        );
        assert_eq!(LegalBasis::parse_optional(""), Ok(None));
        assert_eq!(LegalBasis::parse_optional(" yok "), Ok(None));
        assert_eq!(
            LegalBasis::parse_optional("kurum_gorus"),
            Ok(Some(LegalBasis::InterAgency(RequestKind::Opinion)))
        );
        assert_eq!(
            LegalBasis::InterAgency(RequestKind::Opinion).description_tr(),
            "Resmî Yazışma Yönetmeliği m.33: görüş talebi, 15 iş günü"
        );
    }

    #[test]
    fn shipped_holidays_are_read_whole() {
        let days = shipped_holidays();
        // 153 rows; two dates carry two holidays (2027-05-19, 2029-04-23).
        assert_eq!(days.len(), 151);
        // 27 arife rows, but the Kurban arife of 2029 falls on 23 Nisan,
        // a whole-day holiday, which wins.
        assert_eq!(
            days.iter().filter(|d| d.kind == DayKind::HalfDay).count(),
            26
        );
        let apr23 = days
            .iter()
            .find(|d| d.date == date!(2029 - 04 - 23))
            .unwrap();
        assert_eq!(
            (apr23.kind, apr23.name.as_str()),
            (DayKind::Holiday, "Ulusal Egemenlik ve Çocuk Bayramı")
        );
        assert!(days
            .iter()
            .any(|d| d.name == "Atatürk'ü Anma, Gençlik ve Spor Bayramı"));
    }

    #[test]
    fn bases_parse_and_print_back() {
        for s in [
            "dilekce",
            "bilgi_edinme",
            "bilgi_edinme_uzatma",
            "kvkk",
            "kurum_belge",
            "kurum_bilgi",
            "kurum_gorus",
            "days:10",
            "workdays:7",
            "gunlu:2026-12-31",
        ] {
            assert_eq!(LegalBasis::parse(s).unwrap().code(), s);
        }
        assert_eq!(LegalBasis::parse("days:0"), Err(BasisError::BadCount));
        assert_eq!(LegalBasis::parse("days:x"), Err(BasisError::BadCount));
        assert_eq!(
            LegalBasis::parse("gunlu:31.12.2026"),
            Err(BasisError::BadDate)
        );
        assert_eq!(LegalBasis::parse("3 ay"), Err(BasisError::Unknown));
    }
}
