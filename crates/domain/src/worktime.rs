//! Working time for the service desk's SLAs (issue 15): the office's hours
//! on the planning calendar. An SLA of N working hours runs only while the
//! office works:
//!
//! - the configured hours (default 08:30–17:30 with lunch 12:30–13:30,
//!   Monday to Friday);
//! - not on official holidays (Law 2429, from the shipped holiday data);
//! - not on the afternoon of an arife, from the time the holiday data gives
//!   (13:00): arife is a half working day (Law 2429 m.2 gives "arife günü
//!   saat 13.00'ten itibaren" as holiday);
//! - not on idari izin days the administrator marked (they are off for the
//!   office's planning, unlike legal periods: see `calendar`);
//! - a date the administrator declared a working day counts in full.
//!
//! Everything is in Türkiye's time (+03:00). One function, [`WorkingHours::add`],
//! gives every request's `respond_by` and `resolve_by`; [`WorkingHours::between`]
//! measures the working time a pause took, so the deadlines move by it.

use time::{Date, Duration, OffsetDateTime, Time};

use crate::calendar::{Calendar, DayKind};

/// The arife afternoon starts at 13:00 (the shipped holiday data's
/// `starts_at` for every half-day; Law 2429 m.2).
pub const ARIFE_FROM: u32 = 13 * 3600;

/// The most working hours one computation may add (about two working
/// years); more is refused as a bad input.
pub const MAX_HOURS: f64 = 4000.0;

/// The office's working hours. Times are seconds after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingHours {
    pub start: u32,
    pub end: u32,
    /// The lunch break, not counted; `None` for none.
    pub lunch: Option<(u32, u32)>,
    /// Monday first.
    pub days: [bool; 7],
}

impl Default for WorkingHours {
    fn default() -> Self {
        WorkingHours {
            start: 8 * 3600 + 1800,
            end: 17 * 3600 + 1800,
            lunch: Some((12 * 3600 + 1800, 13 * 3600 + 1800)),
            days: [true, true, true, true, true, false, false],
        }
    }
}

/// Why a working-hours setting is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursError {
    BadTime(String),
    Order,
    NoDays,
    BadDay(String),
}

impl std::fmt::Display for HoursError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HoursError::BadTime(t) => write!(f, "{t:?} is not a time of day HH:MM"),
            HoursError::Order => f.write_str("the day must start before lunch, lunch must end after it starts, and the day must end after lunch"),
            HoursError::NoDays => f.write_str("at least one working weekday is needed"),
            HoursError::BadDay(d) => write!(f, "{d:?} is not a weekday (mon, tue, wed, thu, fri, sat, sun)"),
        }
    }
}

/// Parses "HH:MM" into seconds after midnight.
pub fn parse_time(s: &str) -> Result<u32, HoursError> {
    let bad = || HoursError::BadTime(s.to_owned());
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 24 || m > 59 || (h == 24 && m != 0) || s.trim().len() != 5 {
        return Err(bad());
    }
    Ok(h * 3600 + m * 60)
}

impl WorkingHours {
    /// Working hours from their settings ("08:30", "17:30", optional lunch,
    /// weekday names); refused when out of order.
    pub fn from_settings(
        start: &str,
        end: &str,
        lunch: Option<(&str, &str)>,
        days: &[String],
    ) -> Result<WorkingHours, HoursError> {
        let (start, end) = (parse_time(start)?, parse_time(end)?);
        let lunch = match lunch {
            Some((a, b)) => Some((parse_time(a)?, parse_time(b)?)),
            None => None,
        };
        let mut mask = [false; 7];
        for d in days {
            let i = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                .iter()
                .position(|x| x.eq_ignore_ascii_case(d.trim()))
                .ok_or_else(|| HoursError::BadDay(d.clone()))?;
            mask[i] = true;
        }
        if !mask.iter().any(|d| *d) {
            return Err(HoursError::NoDays);
        }
        let ordered = match lunch {
            Some((a, b)) => start < a && a < b && b < end,
            None => start < end,
        };
        if !ordered {
            return Err(HoursError::Order);
        }
        Ok(WorkingHours {
            start,
            end,
            lunch,
            days: mask,
        })
    }

    /// The working intervals of `d` (at most two), as seconds after
    /// midnight, written into `out`; returns how many.
    fn intervals(&self, cal: &Calendar, d: Date, out: &mut [(u32, u32); 2]) -> usize {
        let mut cutoff = self.end;
        match cal.special(d) {
            Some(DayKind::Holiday) | Some(DayKind::AdminLeave) => return 0,
            Some(DayKind::HalfDay) if cal.arife_is_holiday => return 0,
            Some(DayKind::HalfDay) => {
                if !self.days[d.weekday().number_days_from_monday() as usize] {
                    return 0;
                }
                cutoff = cutoff.min(ARIFE_FROM);
            }
            Some(DayKind::Working) => {}
            None => {
                if !self.days[d.weekday().number_days_from_monday() as usize] {
                    return 0;
                }
            }
        }
        let mut n = 0;
        let mut push = |a: u32, b: u32| {
            let b = b.min(cutoff);
            if a < b {
                out[n] = (a, b);
                n += 1;
            }
        };
        match self.lunch {
            Some((la, lb)) => {
                push(self.start, la);
                push(lb, self.end);
            }
            None => push(self.start, self.end),
        }
        n
    }

    /// The moment `hours` working hours after `start`, in +03:00. Zero
    /// hours is `start` itself. `None` when `hours` is negative, not a
    /// number or over [`MAX_HOURS`].
    pub fn add(&self, cal: &Calendar, start: OffsetDateTime, hours: f64) -> Option<OffsetDateTime> {
        if !hours.is_finite() || !(0.0..=MAX_HOURS).contains(&hours) {
            return None;
        }
        let start = start.to_offset(crate::local::OFFSET);
        if hours == 0.0 {
            return Some(start);
        }
        let mut remaining = (hours * 3600.0).round() as i64;
        let mut day = start.date();
        let (h, m, s) = start.time().as_hms();
        let mut cursor = h as u32 * 3600 + m as u32 * 60 + s as u32;
        let mut buf = [(0, 0); 2];
        // Bounded: MAX_HOURS of at least half an hour a week.
        for _ in 0..(MAX_HOURS as usize * 14 + 800) {
            let n = self.intervals(cal, day, &mut buf);
            for &(a, b) in &buf[..n] {
                if cursor >= b {
                    continue;
                }
                let from = cursor.max(a);
                let avail = (b - from) as i64;
                if remaining <= avail {
                    let at = from as i64 + remaining;
                    // Whole seconds: the due moment drops a start's fraction.
                    let t = Time::MIDNIGHT + Duration::seconds(at);
                    let d = if at >= 86400 { day.next_day()? } else { day };
                    return Some(d.with_time(t).assume_offset(crate::local::OFFSET));
                }
                remaining -= avail;
                cursor = b;
            }
            day = day.next_day()?;
            cursor = 0;
        }
        None
    }

    /// The working seconds between `from` and `until` (zero when `until`
    /// is not after `from`): how much a pause moves the deadlines.
    pub fn between(&self, cal: &Calendar, from: OffsetDateTime, until: OffsetDateTime) -> i64 {
        if until <= from {
            return 0;
        }
        let (from, until) = (
            from.to_offset(crate::local::OFFSET),
            until.to_offset(crate::local::OFFSET),
        );
        let secs = |t: Time| {
            let (h, m, s) = t.as_hms();
            h as u32 * 3600 + m as u32 * 60 + s as u32
        };
        let mut total = 0i64;
        let mut day = from.date();
        let mut buf = [(0, 0); 2];
        while day <= until.date() {
            let lo = if day == from.date() {
                secs(from.time())
            } else {
                0
            };
            let hi = if day == until.date() {
                secs(until.time())
            } else {
                86400
            };
            let n = self.intervals(cal, day, &mut buf);
            for &(a, b) in &buf[..n] {
                let (a, b) = (a.max(lo), b.min(hi));
                if a < b {
                    total += (b - a) as i64;
                }
            }
            match day.next_day() {
                Some(d) => day = d,
                None => break,
            }
        }
        total
    }

    /// Working hours on an ordinary day (for the pages' help text).
    pub fn day_hours(&self) -> f64 {
        let lunch = self.lunch.map_or(0, |(a, b)| b - a);
        (self.end - self.start - lunch) as f64 / 3600.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::SpecialDay;
    use time::macros::datetime;

    fn cal() -> Calendar {
        Calendar::new(&[], false)
    }

    /// Every row: start (+03:00), working hours, expected due (+03:00).
    /// The holiday rows rest on Law 2429 (official holidays; arife from
    /// 13:00) and the shipped 2026 data.
    #[test]
    fn adds_working_hours_on_the_turkish_calendar() {
        let h = WorkingHours::default();
        let rows = [
            // An ordinary Monday morning: 4 h = 12:30, lunch starts.
            (
                datetime!(2026-11-30 08:30 +3),
                4.0,
                datetime!(2026-11-30 12:30 +3),
            ),
            // Over lunch: 09:00 + 4 h = 13:00 + 0.5 h = 13:30.
            (
                datetime!(2026-11-30 09:00 +3),
                4.0,
                datetime!(2026-11-30 14:00 +3),
            ),
            // Filed at night: counts from 08:30 next morning.
            (
                datetime!(2026-11-30 22:10 +3),
                1.0,
                datetime!(2026-12-01 09:30 +3),
            ),
            // Friday 16:30 + 2 h: 1 h on Friday, 1 h on Monday.
            (
                datetime!(2026-12-04 16:30 +3),
                2.0,
                datetime!(2026-12-07 09:30 +3),
            ),
            // A full day is 8 h: Mon 08:30 + 8 h = Mon 17:30.
            (
                datetime!(2026-11-30 08:30 +3),
                8.0,
                datetime!(2026-11-30 17:30 +3),
            ),
            // Saturday: from Monday 08:30.
            (
                datetime!(2026-12-05 11:00 +3),
                0.5,
                datetime!(2026-12-07 09:00 +3),
            ),
            // 28 Oct 2026 is the arife of Cumhuriyet Bayramı, 29 Oct the
            // holiday: Wed 10:00–12:30 counts (2.5 h), lunch, and the arife
            // afternoon from 13:00 is off; 1.5 h more on Fri 30 Oct = 10:00.
            (
                datetime!(2026-10-28 10:00 +3),
                4.0,
                datetime!(2026-10-30 10:00 +3),
            ),
            // Kurban Bayramı 2026: arife Tue 26 May (morning works), 27–30 May off.
            (
                datetime!(2026-05-26 12:00 +3),
                1.0,
                datetime!(2026-06-01 09:00 +3),
            ),
            // A time given in UTC is read in Türkiye's time (05:30Z = 08:30).
            (
                datetime!(2026-11-30 05:30 UTC),
                1.0,
                datetime!(2026-11-30 09:30 +3),
            ),
            // Zero hours: the moment itself.
            (
                datetime!(2026-11-30 22:10 +3),
                0.0,
                datetime!(2026-11-30 22:10 +3),
            ),
        ];
        for (start, hours, due) in rows {
            assert_eq!(
                h.add(&cal(), start, hours),
                Some(due),
                "{start} + {hours} h"
            );
        }
    }

    #[test]
    fn idari_izin_is_not_working_time_for_the_desk() {
        // Idari izin on Tue 1 Dec 2026: an SLA skips it (planning), while
        // legal periods still count it (calendar.rs).
        let c = Calendar::new(
            &[SpecialDay {
                date: time::macros::date!(2026 - 12 - 01),
                kind: DayKind::AdminLeave,
                name: "İdari izin".into(),
            }],
            false,
        );
        let h = WorkingHours::default();
        assert_eq!(
            h.add(&c, datetime!(2026-11-30 17:00 +3), 1.0),
            Some(datetime!(2026-12-02 09:00 +3))
        );
        assert!(c.is_legal_working_day(time::macros::date!(2026 - 12 - 01)));
        // A Saturday declared a working day counts in full.
        let c = Calendar::new(
            &[SpecialDay {
                date: time::macros::date!(2026 - 12 - 05),
                kind: DayKind::Working,
                name: "Telafi".into(),
            }],
            false,
        );
        assert_eq!(
            h.add(&c, datetime!(2026-12-04 17:00 +3), 1.0),
            Some(datetime!(2026-12-05 09:00 +3))
        );
    }

    #[test]
    fn refuses_what_is_not_a_duration() {
        let h = WorkingHours::default();
        for bad in [-1.0, f64::NAN, f64::INFINITY, MAX_HOURS + 1.0] {
            assert_eq!(
                h.add(&cal(), datetime!(2026-11-30 08:30 +3), bad),
                None,
                "{bad}"
            );
        }
        assert!(h
            .add(&cal(), datetime!(2026-11-30 08:30 +3), MAX_HOURS)
            .is_some());
    }

    #[test]
    fn between_is_the_inverse_of_add() {
        let h = WorkingHours::default();
        let c = cal();
        let starts = [
            datetime!(2026-10-27 15:13 +3),
            datetime!(2026-05-25 07:00 +3),
            datetime!(2026-12-31 12:45 +3),
            datetime!(2026-11-30 22:10 +3),
        ];
        for start in starts {
            for tenths in [1, 5, 10, 37, 80, 123, 400, 1000] {
                let hours = tenths as f64 / 10.0;
                let due = h.add(&c, start, hours).unwrap();
                assert_eq!(
                    h.between(&c, start, due),
                    (hours * 3600.0).round() as i64,
                    "{start} + {hours} h = {due}"
                );
            }
        }
        assert_eq!(
            h.between(
                &c,
                datetime!(2026-11-30 12:00 +3),
                datetime!(2026-11-30 11:00 +3)
            ),
            0
        );
    }

    #[test]
    fn settings_are_checked() {
        let days: Vec<String> = ["mon", "tue", "wed", "thu", "fri"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            WorkingHours::from_settings("08:30", "17:30", Some(("12:30", "13:30")), &days),
            Ok(WorkingHours::default())
        );
        assert_eq!(
            WorkingHours::from_settings("8.30", "17:30", None, &days),
            Err(HoursError::BadTime("8.30".into()))
        );
        assert_eq!(
            WorkingHours::from_settings("17:30", "08:30", None, &days),
            Err(HoursError::Order)
        );
        assert_eq!(
            WorkingHours::from_settings("08:30", "17:30", Some(("13:30", "12:30")), &days),
            Err(HoursError::Order)
        );
        assert_eq!(
            WorkingHours::from_settings("08:30", "17:30", None, &[]),
            Err(HoursError::NoDays)
        );
        assert_eq!(
            WorkingHours::from_settings("08:30", "17:30", None, &["pzt".into()]),
            Err(HoursError::BadDay("pzt".into()))
        );
        assert_eq!(WorkingHours::default().day_hours(), 8.0);
    }
}
