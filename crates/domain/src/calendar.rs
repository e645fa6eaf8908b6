//! The Turkish working calendar and the legal answer periods computed on
//! it. Official holidays 2024–2032 are shipped (`data/`); an
//! administrator's edits (idari izin days, corrections) are layered on top
//! as [`DayOverride`]s.
//!
//! Rules (issue 4, 3071, 4982, KVKK m.13):
//! - the day of receipt is not counted;
//! - working days exclude Saturdays, Sundays, official holidays and
//!   administrative-leave days;
//! - an arife half-day is a working day unless configured otherwise;
//! - a deadline that falls on a non-working day moves to the next working
//!   day.

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
    /// Administrative leave (idari izin) declared for public servants.
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

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

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
            let (Some(date), Some(category), Some(name)) = (fields.first(), fields.get(2), fields.get(5)) else { continue };
            let Ok(date) = Date::parse(date, fmt) else { continue };
            let kind = if category == "half_day" { DayKind::HalfDay } else { DayKind::Holiday };
            let day = SpecialDay { date, kind, name: name.clone() };
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

/// A line of simple CSV with optional double-quoted fields.
fn split_csv(line: &str) -> Vec<String> {
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

/// The working calendar: shipped holidays with overrides applied.
#[derive(Debug, Clone)]
pub struct Calendar {
    days: BTreeMap<Date, DayKind>,
    /// Count arife half-days as holidays (default: working days).
    pub arife_is_holiday: bool,
}

impl Calendar {
    /// The shipped holidays with `overrides` on top (a later override of
    /// the same date wins).
    pub fn new(overrides: &[DayOverride], arife_is_holiday: bool) -> Calendar {
        let mut days: BTreeMap<Date, DayKind> = shipped_holidays().iter().map(|d| (d.date, d.kind)).collect();
        for o in overrides {
            days.insert(o.date, o.kind);
        }
        Calendar { days, arife_is_holiday }
    }

    /// What the calendar says of `d` beyond its weekday.
    pub fn special(&self, d: Date) -> Option<DayKind> {
        self.days.get(&d).copied()
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        match self.days.get(&d) {
            Some(DayKind::Working) => true,
            Some(DayKind::Holiday | DayKind::AdminLeave) => false,
            Some(DayKind::HalfDay) if self.arife_is_holiday => false,
            _ => !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday),
        }
    }

    /// `d` itself if it is a working day, else the next one.
    pub fn on_or_after_working(&self, mut d: Date) -> Date {
        // A year has at most ~130 non-working days in a row only in
        // absurd configurations; 400 days bounds the loop regardless.
        for _ in 0..400 {
            if self.is_working_day(d) {
                return d;
            }
            match d.next_day() {
                Some(n) => d = n,
                None => return d,
            }
        }
        d
    }

    /// The answer deadline of a document received on `received`.
    pub fn due(&self, received: Date, basis: &LegalBasis) -> Date {
        match *basis {
            LegalBasis::Petition | LegalBasis::Kvkk => self.after_days(received, 30),
            LegalBasis::InformationRequest => self.after_working_days(received, 15),
            LegalBasis::InformationRequestExtended => self.after_working_days(received, 30),
            LegalBasis::Days(n) => self.after_days(received, n),
            LegalBasis::WorkDays(n) => self.after_working_days(received, n),
            LegalBasis::Fixed(d) => self.on_or_after_working(d),
        }
    }

    fn after_days(&self, received: Date, n: u16) -> Date {
        self.on_or_after_working(received.saturating_add(Duration::days(i64::from(n))))
    }

    fn after_working_days(&self, received: Date, n: u16) -> Date {
        let mut d = received;
        let mut counted = 0;
        while counted < n {
            match d.next_day() {
                Some(next) => d = next,
                None => break,
            }
            if self.is_working_day(d) {
                counted += 1;
            }
        }
        d
    }
}

/// The legal basis of an answer period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalBasis {
    /// 3071 Dilekçe Hakkının Kullanılmasına Dair Kanun: 30 days.
    Petition,
    /// 4982 Bilgi Edinme Hakkı Kanunu m.11: 15 working days.
    InformationRequest,
    /// 4982 m.11/2: extended once to 30 working days, with written notice.
    InformationRequestExtended,
    /// KVKK m.13: a data subject's application, 30 days.
    Kvkk,
    /// A custom period in days.
    Days(u16),
    /// A custom period in working days.
    WorkDays(u16),
    /// "Günlü": a fixed date set by the sender.
    Fixed(Date),
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
    /// `dilekce`, `bilgi_edinme`, `bilgi_edinme_uzatma`, `kvkk`, `days:N`,
    /// `workdays:N`, `gunlu:YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<LegalBasis, BasisError> {
        let s = s.trim();
        let count = |n: &str| n.trim().parse::<u16>().ok().filter(|n| (1..=3650).contains(n)).ok_or(BasisError::BadCount);
        Ok(match s {
            "dilekce" => LegalBasis::Petition,
            "bilgi_edinme" => LegalBasis::InformationRequest,
            "bilgi_edinme_uzatma" => LegalBasis::InformationRequestExtended,
            "kvkk" => LegalBasis::Kvkk,
            _ => match s.split_once(':') {
                Some(("days", n)) => LegalBasis::Days(count(n)?),
                Some(("workdays", n)) => LegalBasis::WorkDays(count(n)?),
                Some(("gunlu", d)) => LegalBasis::Fixed(
                    Date::parse(d.trim(), time::macros::format_description!("[year]-[month]-[day]")).map_err(|_| BasisError::BadDate)?,
                ),
                _ => return Err(BasisError::Unknown),
            },
        })
    }

    /// The stored form, which [`LegalBasis::parse`] reads back.
    pub fn code(&self) -> String {
        match self {
            LegalBasis::Petition => "dilekce".into(),
            LegalBasis::InformationRequest => "bilgi_edinme".into(),
            LegalBasis::InformationRequestExtended => "bilgi_edinme_uzatma".into(),
            LegalBasis::Kvkk => "kvkk".into(),
            LegalBasis::Days(n) => format!("days:{n}"),
            LegalBasis::WorkDays(n) => format!("workdays:{n}"),
            LegalBasis::Fixed(d) => format!("gunlu:{d}"),
        }
    }

    /// The law and article, for people.
    pub fn description_tr(&self) -> String {
        match self {
            LegalBasis::Petition => "3071 sayılı Dilekçe Kanunu: 30 gün".into(),
            LegalBasis::InformationRequest => "4982 sayılı Bilgi Edinme Kanunu m.11: 15 iş günü".into(),
            LegalBasis::InformationRequestExtended => "4982 m.11/2: süre uzatımı, 30 iş günü".into(),
            LegalBasis::Kvkk => "6698 sayılı KVKK m.13: 30 gün".into(),
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
            (date!(2026 - 03 - 16), "bilgi_edinme_uzatma", date!(2026 - 04 - 29)),
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
            // Günlü on Sun 30 Aug 2026 (Zafer Bayramı and a Sunday) -> Mon 31 August.
            (date!(2026 - 08 - 01), "gunlu:2026-08-30", date!(2026 - 08 - 31)),
            // Bayram in the middle of working days: Mon 8 Mar 2027 (arife) counts; 9–11 Ramazan
            // Bayramı; from Fri 5 Mar: 8th = 1, 12th = 2, 15th = 3.
            (date!(2027 - 03 - 05), "workdays:3", date!(2027 - 03 - 15)),
        ];
        for (received, basis, expected) in cases {
            assert_eq!(due(received, basis), expected, "{basis} from {received}");
        }
    }

    #[test]
    fn arife_can_count_as_a_holiday_and_leave_days_move_deadlines() {
        let strict = Calendar::new(&[], true);
        // Tue 26 May 2026 is arife: now a holiday, and the bayram follows -> Mon 1 June.
        assert_eq!(strict.due(date!(2026 - 04 - 26), &LegalBasis::Kvkk), date!(2026 - 06 - 01));
        // Thu 19 Mar 2026 no longer counts: one working day later than 7 April.
        assert_eq!(strict.due(date!(2026 - 03 - 16), &LegalBasis::InformationRequest), date!(2026 - 04 - 08));

        // Idari izin on Mon 1 June 2026 pushes the Kurban case one day further.
        let leave = SpecialDay { date: date!(2026 - 06 - 01), kind: DayKind::AdminLeave, name: "İdari izin".into() };
        let cal = Calendar::new(&[leave], false);
        assert_eq!(cal.due(date!(2026 - 04 - 27), &LegalBasis::Petition), date!(2026 - 06 - 02));
        // A shipped holiday declared a working day counts again.
        let working = SpecialDay { date: date!(2026 - 05 - 27), kind: DayKind::Working, name: "düzeltme".into() };
        let cal = Calendar::new(&[working], false);
        assert_eq!(cal.due(date!(2026 - 04 - 27), &LegalBasis::Petition), date!(2026 - 05 - 27));
    }

    #[test]
    fn shipped_holidays_are_read_whole() {
        let days = shipped_holidays();
        // 153 rows; two dates carry two holidays (2027-05-19, 2029-04-23).
        assert_eq!(days.len(), 151);
        // 27 arife rows, but the Kurban arife of 2029 falls on 23 Nisan,
        // a whole-day holiday, which wins.
        assert_eq!(days.iter().filter(|d| d.kind == DayKind::HalfDay).count(), 26);
        let apr23 = days.iter().find(|d| d.date == date!(2029 - 04 - 23)).unwrap();
        assert_eq!((apr23.kind, apr23.name.as_str()), (DayKind::Holiday, "Ulusal Egemenlik ve Çocuk Bayramı"));
        assert!(days.iter().any(|d| d.name == "Atatürk'ü Anma, Gençlik ve Spor Bayramı"));
    }

    #[test]
    fn bases_parse_and_print_back() {
        for s in ["dilekce", "bilgi_edinme", "bilgi_edinme_uzatma", "kvkk", "days:10", "workdays:7", "gunlu:2026-12-31"] {
            assert_eq!(LegalBasis::parse(s).unwrap().code(), s);
        }
        assert_eq!(LegalBasis::parse("days:0"), Err(BasisError::BadCount));
        assert_eq!(LegalBasis::parse("days:x"), Err(BasisError::BadCount));
        assert_eq!(LegalBasis::parse("gunlu:31.12.2026"), Err(BasisError::BadDate));
        assert_eq!(LegalBasis::parse("3 ay"), Err(BasisError::Unknown));
    }
}
