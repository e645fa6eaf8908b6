//! Overtime (m.10/14): the Müdür (`order_overtime`) orders it for named
//! staff below him, outside the office's hours, within 4857 m.41 and m.63
//! for İşçi, the budget law's monthly hours for Memur (657 m.178, kept as
//! data) and the directorate's monthly budget. The rules are
//! `domain::overtime`'s.

use domain::authority::Authority;
use domain::code::Code;
use domain::leave::Law;
use domain::overtime::{self as rules, LimitPassed, Limits, Load};
use store::Audit;
use time::{Date, OffsetDateTime};

use crate::input::{instant, text};
use crate::{now, App, AppError, Result, User};

/// The `[overtime]` settings.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OvertimeSettings {
    /// The hours a month a Memur may be ordered, as the year's budget law
    /// sets them for the municipality (657 m.178); unset: no limit here.
    pub memur_monthly_hours: Option<u32>,
    /// The directorate's monthly budget of overtime hours; unset: none.
    pub monthly_budget_hours: Option<u32>,
}

impl OvertimeSettings {
    fn limits(&self) -> Limits {
        Limits {
            memur_month_minutes: self.memur_monthly_hours.map(|h| i64::from(h) * 60),
            budget_month_minutes: self.monthly_budget_hours.map(|h| i64::from(h) * 60),
        }
    }
}

/// An order.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct OvertimeInput {
    /// The person's username.
    pub person: String,
    /// The start, RFC 3339 (or `YYYY-MM-DDTHH:MM`, local time).
    pub from: String,
    /// The end.
    pub until: String,
    pub reason: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OvertimeView {
    pub id: i64,
    pub person_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub until: OffsetDateTime,
    pub hours: f64,
    pub reason: String,
    pub ordered_by_name: String,
}

/// A person's overtime in a month and year, with what remains of each
/// limit (hours; `None`: no such limit for them).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OvertimeSummary {
    pub person_name: String,
    pub year: i32,
    pub month: u8,
    pub hours_year: f64,
    pub hours_month: f64,
    /// 4857 m.41 (İşçi): what remains of 270 hours this year.
    pub remaining_year: Option<f64>,
    /// The budget law's monthly hours (Memur), if set.
    pub remaining_month: Option<f64>,
    /// The directorate's monthly budget, if set.
    pub remaining_budget: Option<f64>,
    pub orders: Vec<OvertimeView>,
}

/// The overtime page: the reader's own, and for one who orders it the
/// month's orders and whom he may order.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OvertimePage {
    pub mine: Option<OvertimeSummary>,
    /// The month's orders (for one who orders overtime).
    pub month_orders: Vec<OvertimeView>,
    /// Whom the reader may order overtime for: username and name.
    pub may_order: Vec<(String, String)>,
}

fn hours(minutes: i64) -> f64 {
    (minutes as f64 / 60.0 * 100.0).round() / 100.0
}

fn view(o: store::overtime::Order) -> OvertimeView {
    OvertimeView {
        id: o.id,
        person_name: o.person_name,
        from: o.start_at,
        until: o.end_at,
        hours: hours(o.minutes),
        reason: o.reason,
        ordered_by_name: o.ordered_by_name,
    }
}

fn day_start(d: Date) -> OffsetDateTime {
    domain::local::day_start(d)
}

fn month_bounds(d: Date) -> (OffsetDateTime, OffsetDateTime) {
    let first = d.replace_day(1).unwrap_or(d);
    let next = if first.month() == time::Month::December {
        Date::from_calendar_date(first.year() + 1, time::Month::January, 1)
    } else {
        Date::from_calendar_date(first.year(), first.month().next(), 1)
    }
    .unwrap_or(first);
    (day_start(first), day_start(next))
}

fn year_bounds(y: i32) -> (OffsetDateTime, OffsetDateTime) {
    let a = Date::from_calendar_date(y, time::Month::January, 1).unwrap_or(Date::MIN);
    let b = Date::from_calendar_date(y + 1, time::Month::January, 1).unwrap_or(Date::MAX);
    (day_start(a), day_start(b))
}

impl App {
    async fn overtime_load(
        &self,
        c: &mut impl store::Conn,
        user_id: i64,
        from: OffsetDateTime,
    ) -> Result<Load> {
        let day = domain::local::date(from);
        let (y0, y1) = year_bounds(day.year());
        let (m0, m1) = month_bounds(day);
        let (d0, d1) = (day_start(day), day_start(day.next_day().unwrap_or(day)));
        let cal = self.calendar().await?;
        Ok(Load {
            year: store::overtime::minutes_in(c, Some(user_id), y0, y1).await?,
            month: store::overtime::minutes_in(c, Some(user_id), m0, m1).await?,
            day: store::overtime::minutes_in(c, Some(user_id), d0, d1).await?,
            normal_day: self.desk.hours.between(&cal, d0, d1) / 60,
            all_month: store::overtime::minutes_in(c, None, m0, m1).await?,
        })
    }

    /// The Müdür orders overtime for a person below him.
    pub async fn order_overtime(
        &self,
        actor: &User,
        input: &OvertimeInput,
    ) -> Result<OvertimeView> {
        let from = instant("from", &input.from)?;
        let until = instant("until", &input.until)?;
        let reason = text("reason", &input.reason, 500, true)?;
        if until <= from {
            return Err(AppError::invalid("until", Code::BeforeFrom));
        }
        let minutes = (until - from).whole_minutes();
        if minutes > rules::MAX_ORDER_MINUTES {
            return Err(AppError::invalid("until", Code::OutOfRange));
        }
        // One local day per order: the day's limit is the day's.
        let day = domain::local::date(from);
        if domain::local::date(until - time::Duration::seconds(1)) != day {
            return Err(AppError::invalid("until", Code::OvertimeOneDay));
        }
        let this_year = domain::local::date(now()).year();
        if !(this_year - 1..=this_year + 1).contains(&day.year()) {
            return Err(AppError::invalid("from", Code::OutOfRange));
        }
        let person = self.user_named("person", &input.person).await?;
        let cal = self.calendar().await?;
        if self.desk.hours.between(&cal, from, until) > 0 {
            return Err(AppError::invalid("from", Code::OvertimeInHours));
        }
        let mut w = self.write().await?;
        let at = w.at();
        let mut facts = self.facts(&mut w, actor.id).await?;
        store::authority::add_holdings(&mut w, &mut facts, &[person.id]).await?;
        let grant = rules::order(&self.profile, &facts, actor, person.id, at)?;
        let staff_id = store::staff::of_user(&mut w, person.id)
            .await?
            .ok_or(AppError::invalid("person", Code::NotOurStaff))?;
        self.refuse_closed(&mut w, "from", day, day).await?;
        let e = store::leave::employment(&mut w, staff_id).await?;
        let law = Law::of_kind(&e.kind).ok_or(AppError::invalid("person", Code::NotOurStaff))?;
        if store::overtime::overlaps(&mut w, person.id, from, until).await? {
            return Err(AppError::Conflict(Code::OvertimeOverlap));
        }
        let load = self.overtime_load(&mut w, person.id, from).await?;
        rules::check(law, minutes, &load, &self.overtime.limits()).map_err(|l| {
            // The refusal names the limit and what remains of it.
            let (code, remaining) = match l {
                LimitPassed::IsciYear { remaining } => (Code::OvertimeYearLimit, remaining),
                LimitPassed::IsciDay { remaining } => (Code::OvertimeDayLimit, remaining),
                LimitPassed::MemurMonth { remaining, .. } => (Code::OvertimeMonthLimit, remaining),
                LimitPassed::Budget { remaining, .. } => (Code::OvertimeBudget, remaining),
            };
            AppError::beyond(
                "until",
                code,
                remaining as f64 / 60.0,
                crate::LeftUnit::Hours,
            )
        })?;
        let id = store::overtime::insert(
            &mut w,
            &store::overtime::NewOrder {
                staff_id,
                user_id: person.id,
                start_at: from,
                end_at: until,
                minutes,
                reason: reason.clone(),
                ordered_by: actor.id,
                basis: grant.basis_text(),
            },
        )
        .await?;
        w.commit(Audit::new(
            &grant,
            "overtime.ordered",
            format!("overtime:{id}"),
            serde_json::json!({"person": person.username, "from": from.to_string(), "until": until.to_string(), "minutes": minutes, "reason": reason}),
        ))
        .await?;
        let o = store::overtime::get(&mut self.read().await?, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(view(o))
    }

    /// A person's overtime in the month of `day`, with the limits left.
    async fn overtime_summary(
        &self,
        c: &mut impl store::Conn,
        user_id: i64,
        staff_id: i64,
        day: Date,
    ) -> Result<Option<OvertimeSummary>> {
        let e = store::leave::employment(c, staff_id).await?;
        let Some(law) = Law::of_kind(&e.kind) else {
            return Ok(None);
        };
        let load = self.overtime_load(c, user_id, day_start(day)).await?;
        let left = rules::remaining(law, &load, &self.overtime.limits());
        let (m0, m1) = month_bounds(day);
        let orders = store::overtime::list(c, Some(user_id), m0, m1, 500)
            .await?
            .into_iter()
            .map(view)
            .collect();
        Ok(Some(OvertimeSummary {
            person_name: e.full_name,
            year: day.year(),
            month: u8::from(day.month()),
            hours_year: hours(load.year),
            hours_month: hours(load.month),
            remaining_year: left.year.map(hours),
            remaining_month: left.month.map(hours),
            remaining_budget: left.budget.map(hours),
            orders,
        }))
    }

    /// The overtime page for `reader`, for the month `month` (`YYYY-MM`,
    /// default this month).
    pub async fn overtime_page(&self, reader: &User, month: Option<&str>) -> Result<OvertimePage> {
        let today = domain::local::date(now());
        let day = match month.map(str::trim).filter(|m| !m.is_empty()) {
            None => today,
            Some(m) => Date::parse(
                &format!("{m}-01"),
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .ok()
            .filter(|d| (today.year() - 5..=today.year() + 1).contains(&d.year()))
            .ok_or(AppError::invalid("month", Code::BadDate))?,
        };
        let mut c = self.read().await?;
        let mine = match store::staff::of_user(&mut c, reader.id).await? {
            Some(s) => self.overtime_summary(&mut c, reader.id, s, day).await?,
            None => None,
        };
        let at = now();
        let mut facts = self.facts(&mut c, reader.id).await?;
        let orders =
            domain::authority::grant(&self.profile, &facts, reader, Authority::OrderOvertime, at)
                .is_ok();
        let (mut month_orders, mut may_order) = (Vec::new(), Vec::new());
        if orders {
            let (m0, m1) = month_bounds(day);
            month_orders = store::overtime::list(&mut c, None, m0, m1, 1000)
                .await?
                .into_iter()
                .map(view)
                .collect();
            let staff = store::staff::list(&mut c).await?;
            let ids: Vec<i64> = staff.iter().filter_map(|s| s.user_id).collect();
            store::authority::add_holdings(&mut c, &mut facts, &ids).await?;
            for s in staff {
                let (Some(u), Some(name)) = (s.user_id, s.username.clone()) else {
                    continue;
                };
                if u != reader.id
                    && Law::of_kind(&s.kind).is_some()
                    && rules::order(&self.profile, &facts, reader, u, at).is_ok()
                {
                    may_order.push((name, s.full_name));
                }
            }
        }
        Ok(OvertimePage {
            mine,
            month_orders,
            may_order,
        })
    }
}
