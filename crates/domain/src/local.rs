//! Türkiye's local time, the one place that knows it: instants are stored
//! in UTC and shown, dated and counted in Europe/Istanbul, which has kept
//! UTC+3 all year since 2016 (no daylight saving). Dates are written the
//! Turkish way, `dd.mm.yyyy`.

use time::{Date, OffsetDateTime, UtcOffset};

/// Europe/Istanbul's offset (UTC+3, all year since 2016).
pub const OFFSET: UtcOffset = time::macros::offset!(+3);

/// An instant in local time; an instant so far in the future (or past)
/// that the offset would overflow stays in UTC.
fn local(t: OffsetDateTime) -> OffsetDateTime {
    t.checked_to_offset(OFFSET).unwrap_or(t)
}

/// The local date of an instant.
pub fn date(t: OffsetDateTime) -> Date {
    local(t).date()
}

/// The instant a local day begins, in UTC.
pub fn day_start(d: Date) -> OffsetDateTime {
    d.midnight().assume_offset(OFFSET).to_offset(UtcOffset::UTC)
}

/// A local wall-clock time (`datetime-local` of a form) as an instant.
pub fn assume_local(t: time::PrimitiveDateTime) -> OffsetDateTime {
    t.assume_offset(OFFSET).to_offset(UtcOffset::UTC)
}

/// `dd.mm.yyyy`.
pub fn format_date(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

/// `dd.mm.yyyy HH:MM`, local time; "—" for the far future that stands
/// for "until further notice".
pub fn format_datetime(t: OffsetDateTime) -> String {
    let t = local(t);
    if t.year() >= 9999 {
        return "—".into();
    }
    format!(
        "{} {:02}:{:02}",
        format_date(t.date()),
        t.hour(),
        t.minute()
    )
}

/// `HH:MM`, local time.
pub fn format_time(t: OffsetDateTime) -> String {
    let t = local(t);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

const MONTHS_TR: [&str; 12] = [
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
    "Kasım", "Aralık",
];

/// `30 Kasım 2026`.
pub fn format_date_long(d: Date) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTHS_TR[usize::from(u8::from(d.month())) - 1],
        d.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn local_dates_and_formats() {
        // 21:30 UTC on 31 December is already the new year in Türkiye.
        assert_eq!(date(datetime!(2026-12-31 21:30 UTC)), date!(2027 - 01 - 01));
        assert_eq!(date(datetime!(2026-12-31 20:59 UTC)), date!(2026 - 12 - 31));
        assert_eq!(
            day_start(date!(2026 - 11 - 30)),
            datetime!(2026-11-29 21:00 UTC)
        );
        assert_eq!(format_date(date!(2026 - 03 - 05)), "05.03.2026");
        assert_eq!(
            format_datetime(datetime!(2026-03-05 06:07 UTC)),
            "05.03.2026 09:07"
        );
        assert_eq!(format_datetime(datetime!(9999-01-01 0:00 UTC)), "—");
        // The last instant there is: no overflow, no panic.
        assert_eq!(format_datetime(datetime!(9999-12-31 23:59:59 UTC)), "—");
        assert_eq!(
            date(datetime!(9999-12-31 23:59:59 UTC)),
            date!(9999 - 12 - 31)
        );
        assert_eq!(format_date_long(date!(2026 - 11 - 30)), "30 Kasım 2026");
        assert_eq!(format_time(datetime!(2026-03-05 21:15 UTC)), "00:15");
    }
}
