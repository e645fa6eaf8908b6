//! Reading what people type: trimmed text within a length, dates, and
//! instants. Every refusal names its field and a code.

use domain::code::Code;
use domain::text::Lines;
use time::{Date, OffsetDateTime};

use crate::{AppError, Result};

/// One line of text (an identifier, a name, a subject) of at most `max`
/// characters, under the input discipline of `domain::text`: NFC, no
/// control, bidi or zero-width characters, trimmed; invisible-only text is
/// empty, and `required` refuses it empty.
pub fn text(field: &'static str, s: &str, max: usize, required: bool) -> Result<String> {
    checked(field, s, max, required, Lines::One)
}

/// Text of several lines (a letter's body, a note): as [`text`], but tab
/// and newline stay and zero-width characters are allowed.
pub fn lines(field: &'static str, s: &str, max: usize, required: bool) -> Result<String> {
    checked(field, s, max, required, Lines::Many)
}

fn checked(
    field: &'static str,
    s: &str,
    max: usize,
    required: bool,
    kind: Lines,
) -> Result<String> {
    let s = domain::text::clean(s, kind).map_err(|r| AppError::invalid(field, r.code()))?;
    if required && s.is_empty() {
        return Err(AppError::invalid(field, Code::Required));
    }
    if s.chars().count() > max {
        return Err(AppError::invalid(field, Code::TooLong));
    }
    Ok(s)
}

/// The years a date typed into the registry may have: a record of this
/// administration, not year 0 or 9999.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A `YYYY-MM-DD` date from 1900 to 2200; empty is `None`.
pub fn date(field: &'static str, s: &str) -> Result<Option<Date>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .ok()
        .filter(|d| YEARS.contains(&d.year()))
        .map(Some)
        .ok_or(AppError::invalid(field, Code::BadDate))
}

/// A date that must be given.
pub fn required_date(field: &'static str, s: &str) -> Result<Date> {
    date(field, s)?.ok_or(AppError::invalid(field, Code::Required))
}

/// An RFC 3339 instant, or a `datetime-local` value from a form (read as
/// Türkiye time).
pub fn instant(field: &'static str, s: &str) -> Result<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if s.is_empty() {
        return Err(AppError::invalid(field, Code::Required));
    }
    let local = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    OffsetDateTime::parse(s, &Rfc3339)
        .ok()
        .or_else(|| {
            time::PrimitiveDateTime::parse(s, &local)
                .ok()
                .map(domain::local::assume_local)
        })
        .filter(|t| YEARS.contains(&t.year()))
        .ok_or(AppError::invalid(field, Code::BadInstant))
}

/// A year between 1900 and `max`.
pub fn year(field: &'static str, y: i64, max: i64) -> Result<i64> {
    if (1900..=max).contains(&y) {
        Ok(y)
    } else {
        Err(AppError::invalid(field, Code::BadYear))
    }
}
