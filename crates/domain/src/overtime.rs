//! Overtime (fazla mesai, fazla çalışma) ordered by the Müdür (m.10/14:
//! "bütçe kanunu ile belirlenen esaslar dahilinde") within the limits of
//! the law and the budget.
//!
//! - İşçi, Law 4857 m.41: "Fazla çalışma süresinin toplamı bir yılda
//!   ikiyüzyetmiş saatten fazla olamaz"; m.63 and the Çalışma Süreleri
//!   Yönetmeliği: a day's work, overtime included, at most eleven hours.
//! - Memur, Law 657 m.178: the hours and the hourly pay are set by the
//!   Presidency and the yearly budget law (its K cetveli), not by the
//!   Kanun; the monthly hours a Memur may be ordered are kept as data
//!   (`[overtime] memur_monthly_hours`), and 657 m.178/B gives time off
//!   for overtime beyond it.
//! - A monthly budget of hours for the directorate may be set
//!   (`[overtime] monthly_budget_hours`).
//!
//! Overtime is work outside the office's hours: an order that overlaps
//! them is refused. Durations are in minutes.

use time::OffsetDateTime;

use crate::account::User;
use crate::authority::{self, Authority, Facts, Grant, UserId};
use crate::code::{Code, Refusal};
use crate::leave::Law;
use crate::profile::Profile;

/// 4857 m.41: at most 270 hours of overtime a year.
pub const ISCI_YEAR_MINUTES: i64 = 270 * 60;
/// 4857 m.63, Çalışma Süreleri Yönetmeliği: a day's work, overtime
/// included, at most eleven hours.
pub const DAY_WORK_MINUTES: i64 = 11 * 60;
/// The longest single order.
pub const MAX_ORDER_MINUTES: i64 = 16 * 60;

/// Who orders overtime for `person`: the holder of `order_overtime`
/// (m.10/14), from a post above the person's, never for himself.
pub fn order(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    person: UserId,
    at: OffsetDateTime,
) -> Result<Grant, Refusal> {
    if actor.id == person {
        return Err(Refusal::Invalid {
            field: "person",
            code: Code::OwnOvertime,
        });
    }
    // Held at all, or the refusal names it …
    authority::grant(profile, facts, actor, Authority::OrderOvertime, at)?;
    // … then from a post above the person's.
    authority::grant_over(profile, facts, actor, Authority::OrderOvertime, person, at).map_err(
        |_| Refusal::Invalid {
            field: "person",
            code: Code::NotSuperior,
        },
    )
}

/// What the limits are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    /// The person's ordered overtime in the order's year, month and day
    /// (before this order), in minutes.
    pub year: i64,
    pub month: i64,
    pub day: i64,
    /// The office's normal working minutes on the order's day.
    pub normal_day: i64,
    /// Every person's ordered overtime in the order's month.
    pub all_month: i64,
}

/// The configured limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// A Memur's monthly hours (the budget law); `None`: no limit here.
    pub memur_month_minutes: Option<i64>,
    /// The directorate's monthly budget of hours; `None`: none set.
    pub budget_month_minutes: Option<i64>,
}

/// Which limit an order would pass, with the figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitPassed {
    /// 4857 m.41: 270 hours a year; what remains.
    IsciYear { remaining: i64 },
    /// 4857 m.63: eleven hours' work a day; what remains that day.
    IsciDay { remaining: i64 },
    /// The budget law's monthly hours for a Memur; what remains.
    MemurMonth { limit: i64, remaining: i64 },
    /// The directorate's monthly budget; what remains.
    Budget { limit: i64, remaining: i64 },
}

/// Checks an order of `minutes` for a person under `law`.
pub fn check(law: Law, minutes: i64, load: &Load, limits: &Limits) -> Result<(), LimitPassed> {
    match law {
        Law::Isci => {
            if load.year + minutes > ISCI_YEAR_MINUTES {
                return Err(LimitPassed::IsciYear {
                    remaining: (ISCI_YEAR_MINUTES - load.year).max(0),
                });
            }
            let day_room = DAY_WORK_MINUTES - load.normal_day - load.day;
            if minutes > day_room {
                return Err(LimitPassed::IsciDay {
                    remaining: day_room.max(0),
                });
            }
        }
        Law::Memur => {
            if let Some(limit) = limits.memur_month_minutes {
                if load.month + minutes > limit {
                    return Err(LimitPassed::MemurMonth {
                        limit,
                        remaining: (limit - load.month).max(0),
                    });
                }
            }
        }
    }
    if let Some(limit) = limits.budget_month_minutes {
        if load.all_month + minutes > limit {
            return Err(LimitPassed::Budget {
                limit,
                remaining: (limit - load.all_month).max(0),
            });
        }
    }
    Ok(())
}

/// What remains of each limit for a person, in minutes (`None`: no such
/// limit for them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Remaining {
    pub year: Option<i64>,
    pub month: Option<i64>,
    pub budget: Option<i64>,
}

pub fn remaining(law: Law, load: &Load, limits: &Limits) -> Remaining {
    Remaining {
        year: (law == Law::Isci).then(|| (ISCI_YEAR_MINUTES - load.year).max(0)),
        month: match law {
            Law::Memur => limits.memur_month_minutes.map(|l| (l - load.month).max(0)),
            Law::Isci => None,
        },
        budget: limits
            .budget_month_minutes
            .map(|l| (l - load.all_month).max(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// m.10/14: the Müdür orders overtime for staff below him; a Şef
    /// does not hold it; nobody for himself; the Müdür not for his
    /// superior.
    #[test]
    fn who_orders() {
        use crate::authority::{FactSet, Holding, Period};
        let p = crate::profile::Profile::builtin().unwrap();
        let mut f = FactSet::default();
        let always = Period {
            from: time::macros::datetime!(2020-01-01 0:00 UTC),
            until: time::macros::datetime!(2099-01-01 0:00 UTC),
        };
        for (user, position) in [
            (2, "baskan_yardimcisi"),
            (3, "mudur"),
            (6, "sef_teknik"),
            (12, "personel_teknik"),
        ] {
            f.hold(Holding {
                user,
                position: position.into(),
                staff_kind: "memur".into(),
                period: always,
            });
        }
        let at = time::macros::datetime!(2026-11-30 10:00 UTC);
        let u = |id| User {
            id,
            username: format!("u{id}"),
            display_name: format!("U {id}"),
            is_admin: false,
        };
        assert!(order(&p, &f, &u(3), 12, at).is_ok());
        assert_eq!(
            order(&p, &f, &u(6), 12, at),
            Err(Refusal::Forbidden("order_overtime".into()))
        );
        assert_eq!(
            order(&p, &f, &u(3), 3, at),
            Err(Refusal::Invalid {
                field: "person",
                code: Code::OwnOvertime
            })
        );
        assert_eq!(
            order(&p, &f, &u(3), 2, at),
            Err(Refusal::Invalid {
                field: "person",
                code: Code::NotSuperior
            })
        );
    }

    fn load(year: i64, month: i64, day: i64, normal_day: i64, all_month: i64) -> Load {
        Load {
            year,
            month,
            day,
            normal_day,
            all_month,
        }
    }

    /// 4857 m.41 ("bir yılda ikiyüzyetmiş saatten fazla olamaz"), m.63
    /// (eleven hours a day, overtime included), the budget law's monthly
    /// hours for a Memur (657 m.178), and the directorate's budget.
    #[test]
    fn the_limits() {
        let none = Limits::default();
        let memur50 = Limits {
            memur_month_minutes: Some(50 * 60),
            budget_month_minutes: None,
        };
        let budget = Limits {
            memur_month_minutes: None,
            budget_month_minutes: Some(100 * 60),
        };
        let rows: &[(Law, i64, Load, Limits, Result<(), LimitPassed>)] = &[
            // An İşçi after an 8-hour day: 3 hours fit, 3.5 do not.
            (Law::Isci, 180, load(0, 0, 0, 480, 0), none, Ok(())),
            (
                Law::Isci,
                210,
                load(0, 0, 0, 480, 0),
                none,
                Err(LimitPassed::IsciDay { remaining: 180 }),
            ),
            // A Saturday: eleven hours.
            (Law::Isci, 660, load(0, 0, 0, 0, 0), none, Ok(())),
            // 268 hours done this year: 2 more fit, 3 do not.
            (Law::Isci, 120, load(268 * 60, 0, 0, 0, 0), none, Ok(())),
            (
                Law::Isci,
                180,
                load(268 * 60, 0, 0, 0, 0),
                none,
                Err(LimitPassed::IsciYear { remaining: 120 }),
            ),
            // A Memur: no statutory hour cap (657 m.178); the budget law's
            // monthly hours where set.
            (
                Law::Memur,
                600,
                load(300 * 60, 300 * 60, 0, 480, 0),
                none,
                Ok(()),
            ),
            (
                Law::Memur,
                180,
                load(0, 48 * 60, 0, 480, 0),
                memur50,
                Err(LimitPassed::MemurMonth {
                    limit: 3000,
                    remaining: 120,
                }),
            ),
            // The directorate's monthly budget, for everyone.
            (
                Law::Memur,
                180,
                load(0, 0, 0, 480, 99 * 60),
                budget,
                Err(LimitPassed::Budget {
                    limit: 6000,
                    remaining: 60,
                }),
            ),
            (Law::Isci, 60, load(0, 0, 0, 480, 99 * 60), budget, Ok(())),
        ];
        for (law, minutes, load, limits, want) in rows {
            assert_eq!(
                &check(*law, *minutes, load, limits),
                want,
                "{law:?} {minutes} {load:?}"
            );
        }
    }
}
