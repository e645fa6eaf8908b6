//! The monthly timesheet (puantaj, m.16/1-b): what each day of a person's
//! month was, its totals for payroll, and the sick report's effect on an
//! annual leave it falls into.
//!
//! A day is, in this order of precedence:
//! 1. what a correction record says (a closed month changes only so);
//! 2. an unpaid leave's day (every calendar day: no salary is paid for
//!    any of them, 657 m.108); a report within it gives no sick days (the
//!    Devlet Personel Başkanlığı's opinion of 23.06.1992);
//! 3. a sick report's day (every calendar day of the report: the rest it
//!    prescribes runs over weekends too);
//! 4. an annual, excuse or idari izin leave's day, where the day weighs
//!    in a leave (a working day, an arife's morning);
//! 5. the calendar: a weekend, an official holiday, an idari izin day;
//! 6. otherwise worked (an arife: the morning worked, the afternoon off).

use std::collections::BTreeMap;

use time::{Date, Month, Weekday};

use crate::calendar::{Calendar, DayKind};
use crate::leave::{day_weight, Halves};

/// What a day of the timesheet was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Worked,
    Weekend,
    Holiday,
    /// Idari izin declared for public servants (a legal working day, off).
    AdminLeave,
    Annual,
    Excuse,
    Unpaid,
    Sick,
    /// Not on this sheet that day (before or after the person's post in
    /// the unit): counted nowhere here.
    NotHere,
    /// A working day still to come: not worked yet, counted nowhere.
    Upcoming,
}

impl Mark {
    pub const ALL: [Mark; 10] = [
        Mark::Worked,
        Mark::Weekend,
        Mark::Holiday,
        Mark::AdminLeave,
        Mark::Annual,
        Mark::Excuse,
        Mark::Unpaid,
        Mark::Sick,
        Mark::NotHere,
        Mark::Upcoming,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Mark::Worked => "worked",
            Mark::Weekend => "weekend",
            Mark::Holiday => "holiday",
            Mark::AdminLeave => "admin_leave",
            Mark::Annual => "annual",
            Mark::Excuse => "excuse",
            Mark::Unpaid => "unpaid",
            Mark::Sick => "sick",
            Mark::NotHere => "not_here",
            Mark::Upcoming => "upcoming",
        }
    }

    pub fn parse(s: &str) -> Option<Mark> {
        Mark::ALL.into_iter().find(|m| m.code() == s)
    }

    /// The letter printed in the day's cell (the usual puantaj legend).
    pub fn letter(self) -> &'static str {
        match self {
            Mark::Worked => "X",
            Mark::Weekend => "H",
            Mark::Holiday => "T",
            Mark::AdminLeave => "İ",
            Mark::Annual => "Y",
            Mark::Excuse => "M",
            Mark::Unpaid => "Ü",
            Mark::Sick => "R",
            Mark::NotHere => "·",
            Mark::Upcoming => "",
        }
    }

    /// The Turkish name, as the printed sheet gives it.
    pub fn name_tr(self) -> &'static str {
        match self {
            Mark::Worked => "Çalıştı",
            Mark::Weekend => "Hafta tatili",
            Mark::Holiday => "Resmî tatil",
            Mark::AdminLeave => "İdari izin",
            Mark::Annual => "Yıllık izin",
            Mark::Excuse => "Mazeret izni",
            Mark::Unpaid => "Ücretsiz izin",
            Mark::Sick => "Raporlu",
            Mark::NotHere => "Birimde değil",
            Mark::Upcoming => "Henüz gelmedi",
        }
    }
}

/// A span of days away: a leave or a sick report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Away {
    pub from: Date,
    pub to: Date,
    /// `Annual`, `Excuse`, `Unpaid`, `AdminLeave` (idari izin given to
    /// the person) or `Sick`.
    pub mark: Mark,
}

/// One day of a person's month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Day {
    pub date: Date,
    pub mark: Mark,
    /// An arife: half of the day is the holiday's, whatever the other half.
    pub half: bool,
    /// Set by a correction record.
    pub corrected: bool,
}

/// A month's totals, in halves of a day.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    pub worked: Halves,
    pub annual: Halves,
    pub excuse: Halves,
    pub unpaid: Halves,
    pub sick: Halves,
    /// Weekends, official holidays (an arife's afternoon) and idari izin.
    pub off: Halves,
}

/// The days of `year`-`month`.
pub fn days_of(year: i32, month: Month) -> Vec<Date> {
    let mut out = Vec::with_capacity(31);
    let Ok(mut d) = Date::from_calendar_date(year, month, 1) else {
        return out;
    };
    while d.month() == month {
        out.push(d);
        match d.next_day() {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

/// What the calendar alone makes of a day.
fn calendar_mark(cal: &Calendar, d: Date) -> (Mark, bool) {
    let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
    match cal.special(d) {
        Some(DayKind::Working) => (Mark::Worked, false),
        Some(DayKind::Holiday) => (Mark::Holiday, false),
        Some(DayKind::AdminLeave) if !weekend => (Mark::AdminLeave, false),
        Some(DayKind::HalfDay) if !weekend => (Mark::Worked, true),
        _ if weekend => (Mark::Weekend, false),
        _ => (Mark::Worked, false),
    }
}

/// The person's month, day by day (see the module's order), and its
/// totals. `serving` holds the spans the person is on this sheet (empty:
/// the whole month); `corrections` the last correction of each corrected
/// day. A day after `today` that would be worked is `Upcoming` (leave,
/// reports and holidays ahead show as they are).
#[allow(clippy::too_many_arguments)]
pub fn month(
    cal: &Calendar,
    year: i32,
    month: Month,
    today: Date,
    serving: &[(Date, Date)],
    away: &[Away],
    corrections: &BTreeMap<Date, Mark>,
) -> (Vec<Day>, Totals) {
    let mut days = Vec::with_capacity(31);
    let mut t = Totals::default();
    for d in days_of(year, month) {
        if !serving.is_empty() && !serving.iter().any(|(f, l)| *f <= d && d <= *l) {
            days.push(Day {
                date: d,
                mark: Mark::NotHere,
                half: false,
                corrected: false,
            });
            continue;
        }
        let (base, half) = calendar_mark(cal, d);
        let covering = |m: Mark| away.iter().any(|a| a.mark == m && a.from <= d && d <= a.to);
        let mut corrected = false;
        let mark = if let Some(m) = corrections.get(&d) {
            corrected = true;
            *m
        } else if covering(Mark::Unpaid) {
            // A report within unpaid leave gives no sick days: the Devlet
            // Personel Başkanlığı's opinion of 23.06.1992 on 657 m.105 and
            // m.108 ("aylıksız izin süresi içinde başlayıp biten hastalık
            // raporlarına dayanılarak hastalık izni verilmesi mümkün
            // değildir"); unpaid leave wins for an İşçi too, whose contract
            // is suspended.
            Mark::Unpaid
        } else if covering(Mark::Sick) {
            Mark::Sick
        } else if day_weight(cal, d) > 0 && covering(Mark::Annual) {
            Mark::Annual
        } else if day_weight(cal, d) > 0 && covering(Mark::Excuse) {
            Mark::Excuse
        } else if day_weight(cal, d) > 0 && covering(Mark::AdminLeave) {
            // Idari izin given to the person.
            Mark::AdminLeave
        } else if base == Mark::Worked && d > today {
            Mark::Upcoming
        } else {
            base
        };
        // An arife's afternoon is off whatever its morning was, unless the
        // whole day is a report's or an unpaid leave's.
        let half = half && !matches!(mark, Mark::Sick | Mark::Unpaid);
        let (on, off) = if half { (1, 1) } else { (2, 0) };
        let mut nowhere = Halves(0);
        let slot = match mark {
            Mark::Worked => &mut t.worked,
            Mark::Annual => &mut t.annual,
            Mark::Excuse => &mut t.excuse,
            Mark::Unpaid => &mut t.unpaid,
            Mark::Sick => &mut t.sick,
            Mark::Weekend | Mark::Holiday | Mark::AdminLeave => &mut t.off,
            Mark::NotHere | Mark::Upcoming => &mut nowhere,
        };
        *slot += Halves(on);
        t.off += Halves(off);
        days.push(Day {
            date: d,
            mark,
            half,
            corrected,
        });
    }
    (days, t)
}

/// The days of an annual leave `leave` that a sick report `report` takes
/// over, in halves per year: what the leave no longer uses.
///
/// Devlet Memurlarına Verilecek Hastalık Raporları ile Hastalık ve Refakat
/// İznine İlişkin Usul ve Esaslar Hakkında Yönetmelik (RG 29.10.2011,
/// 28099) m.8: a report given during annual leave interrupts it; the
/// Memur goes on with the rest of the leave if the report ends first
/// (m.8/1), or returns to work when the report ends (m.8/2); the days the
/// report took are used later under 657 m.103 (m.8/4). The leave is not
/// lengthened by the report (DMK Genel Tebliği No. 140).
///
/// The leave's days are counted as they were charged
/// (`leave::leave_day_weights`: with `weekends_inside`, a weekend within
/// the leave that the report covers comes back too).
pub fn interrupted(
    cal: &Calendar,
    leave: (Date, Date),
    report: (Date, Date),
    weekends_inside: bool,
) -> BTreeMap<i32, Halves> {
    let mut out: BTreeMap<i32, Halves> = BTreeMap::new();
    for (d, w) in crate::leave::leave_day_weights(cal, leave.0, leave.1, weekends_inside) {
        if w > 0 && report.0 <= d && d <= report.1 {
            *out.entry(d.year()).or_default() += Halves(w);
        }
    }
    out
}

/// A month as `YYYY-MM`.
pub fn parse_month(s: &str) -> Option<(i32, Month)> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    let m: u8 = m.parse().ok()?;
    Some((y, Month::try_from(m).ok()?))
}

pub fn month_key(year: i32, month: Month) -> String {
    format!("{year:04}-{:02}", u8::from(month))
}

/// The first closed month that the days `from..=to` touch, of the closed
/// months `closed` (`YYYY-MM`).
pub fn touches_closed(from: Date, to: Date, closed: &[String]) -> Option<&str> {
    closed
        .iter()
        .filter_map(|k| parse_month(k).map(|(y, m)| (k, y, m)))
        .filter(|(_, y, m)| {
            let first = Date::from_calendar_date(*y, *m, 1).ok();
            let last = days_of(*y, *m).last().copied();
            matches!((first, last), (Some(f), Some(l)) if from <= l && f <= to)
        })
        .map(|(k, _, _)| k.as_str())
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn cal() -> Calendar {
        Calendar::new(&[], false)
    }

    /// A today after every month tested.
    const FAR: Date = date!(2030 - 01 - 01);

    fn marks(days: &[Day]) -> String {
        days.iter().map(|d| d.mark.letter()).collect()
    }

    #[test]
    fn a_month_without_absence_is_worked_days_weekends_and_holidays() {
        // November 2026: 30 days, 21 weekdays, 9 weekend days, no holiday.
        let (days, t) = month(
            &cal(),
            2026,
            Month::November,
            FAR,
            &[],
            &[],
            &BTreeMap::new(),
        );
        assert_eq!(days.len(), 30);
        assert_eq!(t.worked, Halves::days(21));
        assert_eq!(t.off, Halves::days(9));
        assert_eq!(&marks(&days)[..8], "HXXXXXHH", "1 Nov 2026 is a Sunday");
        // October 2026: 29 October (Cumhuriyet Bayramı) is a holiday, 28
        // October its arife from 13:00 (Law 2429 m.1).
        let (days, t) = month(
            &cal(),
            2026,
            Month::October,
            FAR,
            &[],
            &[],
            &BTreeMap::new(),
        );
        let d28 = days[27];
        assert!(d28.half && d28.mark == Mark::Worked);
        assert_eq!(days[28].mark, Mark::Holiday);
        assert_eq!(t.worked, Halves(2 * 20 + 1), "20 full days and a morning");
    }

    #[test]
    fn leave_takes_working_days_and_a_report_takes_every_day() {
        let away = [
            Away {
                from: date!(2026 - 11 - 02),
                to: date!(2026 - 11 - 10),
                mark: Mark::Annual,
            },
            Away {
                from: date!(2026 - 11 - 19),
                to: date!(2026 - 11 - 23),
                mark: Mark::Sick,
            },
        ];
        let (days, t) = month(
            &cal(),
            2026,
            Month::November,
            FAR,
            &[],
            &away,
            &BTreeMap::new(),
        );
        // 2-6 and 9-10 November: seven working days; 7-8 stay weekend.
        assert_eq!(t.annual, Halves::days(7));
        assert_eq!(days[6].mark, Mark::Weekend);
        // 19-23 November: five calendar days, the weekend among them.
        assert_eq!(t.sick, Halves::days(5));
        assert_eq!(days[20].mark, Mark::Sick, "21 Nov, a Saturday");
        assert_eq!(t.worked, Halves::days(21 - 7 - 3));
    }

    /// A report within unpaid leave gives no sick days: the Devlet Personel
    /// Başkanlığı's opinion of 23.06.1992 (657 m.105, m.108). The part of a
    /// report after the unpaid leave ends is sick leave. Idari izin given
    /// to the person takes working days only, paid, never worked.
    #[test]
    fn unpaid_leave_wins_over_a_report_and_idari_izin_takes_working_days() {
        let away = [
            Away {
                from: date!(2026 - 11 - 02),
                to: date!(2026 - 11 - 13),
                mark: Mark::Unpaid,
            },
            Away {
                from: date!(2026 - 11 - 09),
                to: date!(2026 - 11 - 17),
                mark: Mark::Sick,
            },
            Away {
                from: date!(2026 - 11 - 26),
                to: date!(2026 - 11 - 30),
                mark: Mark::AdminLeave,
            },
        ];
        let (days, t) = month(
            &cal(),
            2026,
            Month::November,
            FAR,
            &[],
            &away,
            &BTreeMap::new(),
        );
        // 2-13 November: twelve calendar days unpaid, the report's first
        // five days among them.
        assert_eq!(t.unpaid, Halves::days(12));
        assert_eq!(days[9].mark, Mark::Unpaid, "10 Nov: report and unpaid");
        // 14-17 November: the report's days after the unpaid leave.
        assert_eq!(t.sick, Halves::days(4));
        // 26, 27 and 30 November are idari izin; 28-29 stay weekend.
        assert_eq!(days[25].mark, Mark::AdminLeave);
        assert_eq!(days[27].mark, Mark::Weekend);
        assert_eq!(days[29].mark, Mark::AdminLeave);
        assert_eq!(t.worked, Halves::days(21 - 10 - 2 - 3));
        assert_eq!(
            t.off,
            Halves::days(9 - 2 - 2 + 3),
            "weekends outside, idari izin inside"
        );
    }

    /// Hastalık Raporları Yönetmeliği (RG 29.10.2011, 28099) m.8: a report
    /// during annual leave interrupts it, and the days it takes are not
    /// annual leave (used later, 657 m.103).
    #[test]
    fn a_report_during_annual_leave_takes_its_days_back() {
        let leave = (date!(2026 - 11 - 02), date!(2026 - 11 - 13));
        // m.8/1: a report ending before the leave: the three working days
        // it covers (4-6 November) return; the leave goes on to the 13th.
        let back = interrupted(
            &cal(),
            leave,
            (date!(2026 - 11 - 04), date!(2026 - 11 - 06)),
            false,
        );
        assert_eq!(back.get(&2026), Some(&Halves::days(3)));
        // m.8/2: a report running past the leave: from the 11th to the
        // 13th (three working days) return; work resumes after the report.
        let back = interrupted(
            &cal(),
            leave,
            (date!(2026 - 11 - 11), date!(2026 - 11 - 20)),
            false,
        );
        assert_eq!(back.get(&2026), Some(&Halves::days(3)));
        // A report over a weekend inside the leave takes nothing back.
        let back = interrupted(
            &cal(),
            leave,
            (date!(2026 - 11 - 07), date!(2026 - 11 - 08)),
            false,
        );
        assert!(back.is_empty());
        // Unless the weekend inside the leave was charged as leave
        // (`[leave] memur_weekends_inside`): then it comes back.
        let back = interrupted(
            &cal(),
            leave,
            (date!(2026 - 11 - 07), date!(2026 - 11 - 08)),
            true,
        );
        assert_eq!(back.get(&2026), Some(&Halves::days(2)));
        // No overlap, nothing.
        assert!(interrupted(
            &cal(),
            leave,
            (date!(2026 - 12 - 01), date!(2026 - 12 - 02)),
            false
        )
        .is_empty());
        // And the timesheet shows the report over the leave.
        let away = [
            Away {
                from: leave.0,
                to: leave.1,
                mark: Mark::Annual,
            },
            Away {
                from: date!(2026 - 11 - 04),
                to: date!(2026 - 11 - 06),
                mark: Mark::Sick,
            },
        ];
        let (_, t) = month(
            &cal(),
            2026,
            Month::November,
            FAR,
            &[],
            &away,
            &BTreeMap::new(),
        );
        assert_eq!(t.annual, Halves::days(10 - 3));
        assert_eq!(t.sick, Halves::days(3));
    }

    #[test]
    fn a_correction_wins_over_everything() {
        let mut c = BTreeMap::new();
        c.insert(date!(2026 - 11 - 03), Mark::Excuse);
        let away = [Away {
            from: date!(2026 - 11 - 03),
            to: date!(2026 - 11 - 03),
            mark: Mark::Sick,
        }];
        let (days, t) = month(&cal(), 2026, Month::November, FAR, &[], &away, &c);
        assert_eq!(days[2].mark, Mark::Excuse);
        assert!(days[2].corrected);
        assert_eq!(t.excuse, Halves::days(1));
        assert_eq!(t.sick, Halves(0));
    }

    #[test]
    fn days_before_the_post_in_the_unit_are_not_on_its_sheet() {
        // Appointed on Monday 16 November 2026.
        let serving = [(date!(2026 - 11 - 16), date!(2026 - 11 - 30))];
        let (days, t) = month(
            &cal(),
            2026,
            Month::November,
            FAR,
            &serving,
            &[],
            &BTreeMap::new(),
        );
        assert_eq!(days[14].mark, Mark::NotHere);
        assert_eq!(days[15].mark, Mark::Worked);
        assert_eq!(t.worked, Halves::days(11), "16-20, 23-27 and 30 November");
        assert_eq!(t.off, Halves::days(4), "two weekends after the 16th");
    }

    #[test]
    fn days_still_to_come_are_not_worked_yet() {
        let away = [Away {
            from: date!(2026 - 11 - 23),
            to: date!(2026 - 11 - 24),
            mark: Mark::Annual,
        }];
        let (days, t) = month(
            &cal(),
            2026,
            Month::November,
            date!(2026 - 11 - 18),
            &[],
            &away,
            &BTreeMap::new(),
        );
        assert_eq!(days[17].mark, Mark::Worked, "today, the 18th");
        assert_eq!(days[18].mark, Mark::Upcoming);
        assert_eq!(days[22].mark, Mark::Annual, "approved leave ahead shows");
        assert_eq!(days[20].mark, Mark::Weekend);
        assert_eq!(t.worked, Halves::days(13), "2-6, 9-13, 16-18 November");
        assert_eq!(t.annual, Halves::days(2));
    }

    #[test]
    fn months_parse_and_closed_months_are_found() {
        assert_eq!(parse_month("2026-11"), Some((2026, Month::November)));
        for bad in [
            "2026-13", "2026-1", "26-11", "2026/11", "", "2026-00", "abcd-ef",
        ] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
        let closed = vec!["2026-10".to_owned(), "2026-09".to_owned()];
        assert_eq!(
            touches_closed(date!(2026 - 10 - 30), date!(2026 - 11 - 03), &closed),
            Some("2026-10")
        );
        assert_eq!(
            touches_closed(date!(2026 - 08 - 30), date!(2026 - 10 - 03), &closed),
            Some("2026-09")
        );
        assert_eq!(
            touches_closed(date!(2026 - 11 - 01), date!(2026 - 11 - 03), &closed),
            None
        );
    }
}
