//! What waits for someone, as counts: the dashboard's badges and
//! `GET /api/v1/me/inbox`. Each count is what the list behind its link
//! shows, counted by the same rules (the tray, the letters list).

use serde::Serialize;
use utoipa::ToSchema;

use crate::{now, App, Result, User};

/// A count stops here; the page shows "1000+" (counting 700,000 waiting
/// documents on every page load would cost more than the page: with the
/// cap, the Müdür's counts read at most a few thousand index entries).
pub const COUNT_CAP: i64 = 1_000;

/// The counts of what waits for the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Inbox {
    /// Registered documents to route (havale), for the Müdür or whoever
    /// routes in his place.
    pub route: i64,
    /// Documents routed to the caller or a unit he heads, not yet taken
    /// into custody (zimmet).
    pub deliver: i64,
    /// Letters whose current step is the caller's initial (paraf).
    pub initial: i64,
    /// Letters whose current step is the caller's signature (imza).
    pub sign: i64,
    /// Signed letters waiting to be sent, for the Kalem.
    pub dispatch: i64,
    /// Open documents to act on, due from today within the "due soon" days
    /// (by the nearest of the legal deadline, the target and the routing's
    /// date).
    pub due_soon: i64,
    /// Open documents to act on past that date.
    pub overdue: i64,
    /// Of the overdue, those past the legal deadline itself (3071, 4982…).
    pub legal_overdue: i64,
    /// The caller's letters sent back to him (iade), to correct and send up again.
    pub returned: i64,
    /// Documents registered today (for the Kalem).
    pub registered_today: i64,
    /// Service desk requests assigned to the caller and still open.
    pub requests: i64,
    /// New requests of the sections the caller distributes, not yet assigned.
    pub requests_to_assign: i64,
    /// Tasks given to the caller, waiting for his acceptance.
    pub tasks_to_accept: i64,
    /// The caller's open tasks past their due date.
    pub tasks_overdue: i64,
    /// Leave requests waiting for the caller's initials or approval.
    pub leave: i64,
    /// The "due soon" window, in days.
    pub due_soon_days: i64,
    /// Counts stop at this number.
    pub cap: i64,
}

impl App {
    /// What waits for `user`, counted.
    pub async fn inbox(&self, user: &User) -> Result<Inbox> {
        let mut c = self.read().await?;
        let at = now();
        let today = domain::local::date(at);
        let facts = self.facts(&mut c, user.id).await?;
        let mut v = domain::incoming::Viewer::of(&self.profile, &facts, user.id, at);
        v.member |= user.is_admin;
        let soon_days = i64::from(self.correspondence.due_soon_days);
        let soon = today + time::Duration::days(soon_days);
        let tray = store::incoming::lists::tray_counts(&mut c, &v, today, soon, COUNT_CAP).await?;
        let positions = self.acting_positions(&facts, user, at);
        let (initial, sign) = store::outgoing::waiting_steps(&mut c, &positions).await?;
        let kalem = domain::authority::grant(
            &self.profile,
            &facts,
            user,
            domain::authority::Authority::RegisterCorrespondence,
            at,
        )
        .is_ok();
        let dispatch = if kalem {
            store::outgoing::count_signed(&mut c).await?
        } else {
            0
        };
        let registered_today = if kalem {
            let midnight = today
                .with_time(time::Time::MIDNIGHT)
                .assume_offset(domain::local::OFFSET);
            store::incoming::lists::registered_since(&mut c, midnight, COUNT_CAP).await?
        } else {
            0
        };
        let returned = store::outgoing::count_returned(&mut c, user.id).await?;
        let requests = store::servicedesk::count_assigned_open(&mut c, user.id, COUNT_CAP).await?;
        let led: Vec<String> = self
            .profile
            .request_categories()
            .iter()
            .map(|x| x.section.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .filter(|sec| {
                domain::servicedesk::section_lead(&self.profile, &facts, user, sec, at).is_ok()
            })
            .collect();
        let requests_to_assign = store::servicedesk::count_new_in(&mut c, &led, COUNT_CAP).await?;
        let tasks_to_accept = store::tasks::to_accept_count(&mut c, user.id, COUNT_CAP).await?;
        let tasks_overdue = store::tasks::overdue_count(&mut c, user.id, today, COUNT_CAP).await?;
        let leave = self.leave_waiting(&mut c, user).await?.len() as i64;
        Ok(Inbox {
            leave,
            route: tray.route,
            deliver: tray.deliver,
            initial,
            sign,
            dispatch,
            due_soon: tray.due_soon,
            overdue: tray.overdue,
            legal_overdue: tray.legal_overdue,
            returned,
            registered_today,
            requests,
            requests_to_assign,
            tasks_to_accept,
            tasks_overdue,
            due_soon_days: soon_days,
            cap: COUNT_CAP,
        })
    }
}
