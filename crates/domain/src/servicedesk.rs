//! The IT service desk (issue 15): requests (talepler) from every member of
//! the municipality, handled by the section m.16 gives their kind to.
//!
//! - **States** (`RequestState`): new → assigned → in progress → waiting
//!   (for the requester or a supplier; the SLA clock stops) → resolved →
//!   closed. A resolved request closes by itself after N working days
//!   unless its requester reopens it.
//! - **Assignment** (m.13, m.16, m.18/2): the handling section's Şef, or
//!   whoever holds his authority today (a deputy under m.12/2 or a delegate
//!   under m.10/4), or the Müdür over every section, gives the request to a
//!   member of that section. A Şef of another section is refused, naming
//!   the authority.
//! - **Work on it**: the assignee, or whoever may assign it; the requester
//!   confirms (closes) or reopens a resolved request.

use time::OffsetDateTime;

use crate::account::User;
use crate::authority::{self, Authority, Basis, Facts, Grant};
use crate::code::{Code, Refusal};
use crate::profile::Profile;

/// Where a request is in its life.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    New,
    Assigned,
    InProgress,
    Waiting,
    Resolved,
    Closed,
}

impl RequestState {
    pub const ALL: [RequestState; 6] = [
        RequestState::New,
        RequestState::Assigned,
        RequestState::InProgress,
        RequestState::Waiting,
        RequestState::Resolved,
        RequestState::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequestState::New => "new",
            RequestState::Assigned => "assigned",
            RequestState::InProgress => "in_progress",
            RequestState::Waiting => "waiting",
            RequestState::Resolved => "resolved",
            RequestState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<RequestState> {
        RequestState::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Still the desk's to work on (the SLA clock may run).
    pub fn is_open(self) -> bool {
        !matches!(self, RequestState::Resolved | RequestState::Closed)
    }
}

/// Whether a request is past a deadline at `at`: open and past its
/// resolution deadline, or not yet answered and past its response one.
/// The clock stops while it waits (issue 15 §2), so a waiting request is
/// never breached; the deadlines move by the pause when it resumes.
pub fn breached(
    state: RequestState,
    respond_by: OffsetDateTime,
    resolve_by: OffsetDateTime,
    responded: bool,
    at: OffsetDateTime,
) -> bool {
    matches!(
        state,
        RequestState::New | RequestState::Assigned | RequestState::InProgress
    ) && (at > resolve_by || (!responded && at > respond_by))
}

/// The channel a request came by.
pub const CHANNELS: [&str; 4] = ["web", "api", "phone", "email"];

/// What the rules need to know of a request.
#[derive(Debug, Clone)]
pub struct RequestFacts {
    pub id: i64,
    pub state: RequestState,
    /// The handling unit (a section).
    pub section: String,
    pub requester: i64,
    pub assignee: Option<i64>,
}

/// The one state machine. `Err` is the refusal code: closing what is not
/// resolved is `not_resolved`; any other jump the machine forbids is
/// `bad_transition`; a request still new must be assigned first.
pub fn transition(from: RequestState, to: RequestState) -> Result<(), Code> {
    use RequestState::*;
    let ok = matches!(
        (from, to),
        (Assigned, InProgress)
            | (Assigned, Waiting)
            | (Assigned, Resolved)
            | (InProgress, Waiting)
            | (InProgress, Resolved)
            | (Waiting, InProgress)
            | (Waiting, Resolved)
            | (Resolved, Closed)
            | (Resolved, InProgress)
    );
    if ok {
        return Ok(());
    }
    Err(match (from, to) {
        (_, Closed) if from != Closed => Code::NotResolved,
        (New, InProgress | Waiting | Resolved) => Code::NotAssigned,
        (Closed, _) => Code::RequestClosed,
        _ => Code::BadTransition,
    })
}

/// The unit a basis of `assign_requests` reaches: the one its holder's
/// post heads (a Şef his Şeflik, the Müdür the Müdürlük); for a deputy,
/// the post he stands in for; for a delegate, the delegator's.
fn reach(
    profile: &Profile,
    facts: &dyn Facts,
    basis: &Basis,
    at: OffsetDateTime,
) -> Option<String> {
    let a = profile.def(Authority::AssignRequests);
    match basis {
        Basis::Position { position, .. } | Basis::Deputyship { position, .. } => {
            profile.headed_unit(position).map(str::to_owned)
        }
        Basis::Delegation { from_user, .. } => facts
            .holdings(*from_user)
            .iter()
            .filter(|h| h.period.contains(at) && a.holders.contains(&h.position))
            .find_map(|h| profile.headed_unit(&h.position))
            .map(str::to_owned),
    }
}

/// Whether `user` holds a post in `unit` (or under it) at `at`.
pub fn member_of(
    profile: &Profile,
    facts: &dyn Facts,
    user: i64,
    unit: &str,
    at: OffsetDateTime,
) -> bool {
    facts.holdings(user).iter().any(|h| {
        h.period.contains(at)
            && profile
                .position(&h.position)
                .is_some_and(|p| profile.unit_within(&p.unit, unit))
    })
}

/// The grant to distribute the requests of `section`: `assign_requests`
/// held for that section (or a unit above it). Someone holding it for
/// another section is refused as lacking it.
pub fn section_lead(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    section: &str,
    at: OffsetDateTime,
) -> Result<Grant, Refusal> {
    Ok(authority::grant_fitting(
        profile,
        facts,
        actor,
        Authority::AssignRequests,
        at,
        |b| reach(profile, facts, b, at).is_some_and(|unit| profile.unit_within(section, &unit)),
    )?)
}

/// Assigns (or reassigns) a request to `to`, a member of its section.
pub fn assign(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    req: &RequestFacts,
    to: i64,
    at: OffsetDateTime,
) -> Result<Grant, Refusal> {
    let grant = section_lead(profile, facts, actor, &req.section, at)?;
    if !req.state.is_open() {
        return Err(Refusal::Conflict(if req.state == RequestState::Closed {
            Code::RequestClosed
        } else {
            Code::RequestResolved
        }));
    }
    if !member_of(profile, facts, to, &req.section, at) {
        return Err(Refusal::Invalid {
            field: "to",
            code: Code::AssigneeOutsideSection,
        });
    }
    if req.assignee == Some(to) && req.state != RequestState::New {
        return Err(Refusal::Conflict(Code::AlreadyAssigned));
    }
    Ok(grant)
}

/// The article a desk member's own work on a request rests on.
pub const WORK_ARTICLE: &str = "m.18/3";

/// Moves a request to `to`. The assignee and whoever may assign it work on
/// it; the requester closes (confirms) or reopens a resolved one.
pub fn change_state(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    req: &RequestFacts,
    to: RequestState,
    at: OffsetDateTime,
) -> Result<Grant, Refusal> {
    let requester_may = req.state == RequestState::Resolved
        && matches!(to, RequestState::Closed | RequestState::InProgress);
    // Closing confirms the resolution: the requester does (or the section's
    // Şef for him, or the clock after N working days), not the one who
    // resolved it.
    let grant = if to == RequestState::Closed
        && req.state == RequestState::Resolved
        && req.requester != actor.id
    {
        section_lead(profile, facts, actor, &req.section, at)?
    } else if req.assignee == Some(actor.id) {
        Grant::rule(actor, WORK_ARTICLE, "assignee")
    } else if requester_may && req.requester == actor.id {
        Grant::rule(actor, WORK_ARTICLE, "requester")
    } else {
        section_lead(profile, facts, actor, &req.section, at)?
    };
    transition(req.state, to).map_err(Refusal::Conflict)?;
    Ok(grant)
}

/// Whether `actor` works on the request's side (its assignee, or whoever
/// may assign it): the one who may log work and write internal notes.
pub fn is_desk(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    req: &RequestFacts,
    at: OffsetDateTime,
) -> Option<Grant> {
    if req.assignee == Some(actor.id) {
        return Some(Grant::rule(actor, WORK_ARTICLE, "assignee"));
    }
    section_lead(profile, facts, actor, &req.section, at).ok()
}

/// A rating at resolution: only the requester, only once resolved, 1–5.
pub fn rate(actor: &User, req: &RequestFacts, score: i64) -> Result<Grant, Refusal> {
    if req.requester != actor.id {
        return Err(Refusal::Forbidden("requester".into()));
    }
    if !matches!(req.state, RequestState::Resolved | RequestState::Closed) {
        return Err(Refusal::Conflict(Code::RequestNotResolved));
    }
    if !(1..=5).contains(&score) {
        return Err(Refusal::Invalid {
            field: "score",
            code: Code::OutOfRange,
        });
    }
    Ok(Grant::rule(actor, WORK_ARTICLE, "requester's rating"))
}

/// Merging `dup` into `into`: both of one section, whoever may assign
/// them; the duplicate closes.
pub fn merge(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    dup: &RequestFacts,
    into: &RequestFacts,
    at: OffsetDateTime,
) -> Result<Grant, Refusal> {
    let grant = section_lead(profile, facts, actor, &dup.section, at)?;
    if dup.id == into.id {
        return Err(Refusal::Invalid {
            field: "into",
            code: Code::MergeIntoItself,
        });
    }
    if dup.state == RequestState::Closed || into.state == RequestState::Closed {
        return Err(Refusal::Conflict(Code::RequestClosed));
    }
    // A duplicate is of the same section's work, kept open in the other.
    if dup.section != into.section {
        return Err(Refusal::Invalid {
            field: "into",
            code: Code::MergeAcrossSections,
        });
    }
    if !into.state.is_open() {
        return Err(Refusal::Conflict(Code::RequestResolved));
    }
    Ok(grant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authority::{Delegation, Deputyship, FactSet, Holding, Period};
    use time::macros::datetime;

    const AT: OffsetDateTime = datetime!(2026-11-30 10:00 UTC);

    fn period() -> Period {
        Period {
            from: datetime!(2020-01-01 00:00 UTC),
            until: datetime!(2100-01-01 00:00 UTC),
        }
    }

    fn user(id: i64) -> User {
        User {
            id,
            username: format!("u{id}"),
            display_name: format!("U {id}"),
            is_admin: false,
        }
    }

    /// 1 Müdür, 2 Şef BT, 3 Şef Teknik, 4 Teknik Bakım memuru, 5 BT memuru,
    /// 6 a requester of another directorate (no post).
    fn facts() -> FactSet {
        let mut f = FactSet::default();
        for (u, p) in [
            (1, "mudur"),
            (2, "sef_bt"),
            (3, "sef_teknik"),
            (4, "personel_teknik"),
            (5, "personel_bt"),
        ] {
            f.hold(Holding {
                user: u,
                position: p.into(),
                staff_kind: "memur".into(),
                period: period(),
            });
        }
        f
    }

    fn req(state: RequestState, assignee: Option<i64>) -> RequestFacts {
        RequestFacts {
            id: 9,
            state,
            section: "teknik".into(),
            requester: 6,
            assignee,
        }
    }

    #[test]
    fn breaches() {
        use RequestState::*;
        let (respond, resolve) = (
            datetime!(2026-11-30 12:00 UTC),
            datetime!(2026-12-01 12:00 UTC),
        );
        let before = datetime!(2026-11-30 11:00 UTC);
        let between = datetime!(2026-11-30 15:00 UTC);
        let after = datetime!(2026-12-02 09:00 UTC);
        // (state, answered, at, breached)
        for (state, answered, at, expect) in [
            (New, false, before, false),
            (New, false, between, true),      // not answered in time
            (Assigned, true, between, false), // answered in time, not yet due
            (InProgress, true, after, true),  // past its resolution
            (Waiting, false, after, false),   // the clock stops while waiting
            (Resolved, true, after, false),
            (Closed, true, after, false),
        ] {
            assert_eq!(
                breached(state, respond, resolve, answered, at),
                expect,
                "{state:?} answered={answered} at {at}"
            );
        }
    }

    #[test]
    fn the_state_machine() {
        use RequestState::*;
        // Issue 15 §1: new → assigned → in progress → waiting → resolved → closed.
        for (from, to) in [
            (Assigned, InProgress),
            (InProgress, Waiting),
            (Waiting, InProgress),
            (InProgress, Resolved),
            (Resolved, Closed),
            (Resolved, InProgress),
            (Assigned, Resolved),
        ] {
            assert_eq!(transition(from, to), Ok(()), "{from:?} → {to:?}");
        }
        // Closing without resolving, and jumps the machine forbids.
        assert_eq!(transition(InProgress, Closed), Err(Code::NotResolved));
        assert_eq!(transition(New, Closed), Err(Code::NotResolved));
        assert_eq!(transition(New, Resolved), Err(Code::NotAssigned));
        assert_eq!(transition(Closed, InProgress), Err(Code::RequestClosed));
        assert_eq!(transition(InProgress, New), Err(Code::BadTransition));
        assert_eq!(transition(Resolved, Waiting), Err(Code::BadTransition));
        assert_eq!(transition(InProgress, InProgress), Err(Code::BadTransition));
    }

    #[test]
    fn the_sections_sef_assigns_inside_his_section() {
        let p = Profile::builtin().unwrap();
        let f = facts();
        // m.13, m.18/2: the Teknik Bakım Şefi gives it to his memur.
        let g = assign(&p, &f, &user(3), &req(RequestState::New, None), 4, AT).unwrap();
        assert!(g.basis_text().contains("sef_teknik"), "{}", g.basis_text());
        // The Müdür over every section (m.10).
        assert!(assign(&p, &f, &user(1), &req(RequestState::New, None), 4, AT).is_ok());
        // Another section's Şef lacks the authority for this section.
        assert_eq!(
            assign(&p, &f, &user(2), &req(RequestState::New, None), 4, AT),
            Err(Refusal::Forbidden("assign_requests".into()))
        );
        // A memur has no authority to assign.
        assert_eq!(
            assign(&p, &f, &user(4), &req(RequestState::New, None), 4, AT),
            Err(Refusal::Forbidden("assign_requests".into()))
        );
        // Outside the section.
        assert_eq!(
            assign(&p, &f, &user(3), &req(RequestState::New, None), 5, AT),
            Err(Refusal::Invalid {
                field: "to",
                code: Code::AssigneeOutsideSection
            })
        );
        // A closed request is not assigned.
        assert_eq!(
            assign(&p, &f, &user(3), &req(RequestState::Closed, Some(4)), 4, AT),
            Err(Refusal::Conflict(Code::RequestClosed))
        );
    }

    #[test]
    fn a_deputy_or_delegate_of_the_sef_assigns_too() {
        let p = Profile::builtin().unwrap();
        let mut f = facts();
        // m.10/4: the Müdür delegates assign_requests to memur 4, whose
        // reach is then the Müdür's.
        f.delegate(Delegation {
            id: 1,
            from_user: 1,
            to_user: 4,
            authority: "assign_requests".into(),
            period: period(),
            approval_ref: "Olur 1".into(),
            revoked_at: None,
        });
        let g = assign(&p, &f, &user(4), &req(RequestState::New, None), 4, AT).unwrap();
        assert!(g.basis_text().contains("delegation:1"));
        // m.12/2: a Şef standing in for the Müdür reaches every section.
        let mut f = facts();
        f.deputise(Deputyship {
            id: 2,
            deputy: 2,
            for_user: 1,
            period: period(),
            approval_ref: "Olur 2".into(),
            revoked_at: None,
        });
        let g = assign(&p, &f, &user(2), &req(RequestState::New, None), 4, AT).unwrap();
        assert!(
            g.basis_text().contains("deputyship:2"),
            "{}",
            g.basis_text()
        );
    }

    #[test]
    fn who_works_on_a_request() {
        let p = Profile::builtin().unwrap();
        let f = facts();
        let r = req(RequestState::Assigned, Some(4));
        assert!(
            change_state(&p, &f, &user(4), &r, RequestState::InProgress, AT).is_ok(),
            "the assignee"
        );
        assert!(
            change_state(&p, &f, &user(3), &r, RequestState::InProgress, AT).is_ok(),
            "his Şef"
        );
        assert_eq!(
            change_state(&p, &f, &user(6), &r, RequestState::InProgress, AT),
            Err(Refusal::Forbidden("assign_requests".into())),
            "not the requester"
        );
        assert_eq!(
            change_state(&p, &f, &user(2), &r, RequestState::Resolved, AT),
            Err(Refusal::Forbidden("assign_requests".into())),
            "not another Şef"
        );
        let resolved = req(RequestState::Resolved, Some(4));
        assert!(
            change_state(&p, &f, &user(6), &resolved, RequestState::Closed, AT).is_ok(),
            "the requester confirms"
        );
        assert!(
            change_state(&p, &f, &user(6), &resolved, RequestState::InProgress, AT).is_ok(),
            "or reopens"
        );
        assert_eq!(
            change_state(&p, &f, &user(4), &resolved, RequestState::Closed, AT),
            Err(Refusal::Forbidden("assign_requests".into())),
            "the one who resolved it does not confirm it"
        );
        assert!(
            change_state(&p, &f, &user(3), &resolved, RequestState::Closed, AT).is_ok(),
            "his Şef may close it for the requester"
        );
        assert_eq!(
            change_state(&p, &f, &user(4), &r, RequestState::Closed, AT),
            Err(Refusal::Conflict(Code::NotResolved))
        );
        // Ratings: the requester, once resolved, 1–5.
        assert!(rate(&user(6), &resolved, 5).is_ok());
        assert_eq!(
            rate(&user(6), &resolved, 6),
            Err(Refusal::Invalid {
                field: "score",
                code: Code::OutOfRange
            })
        );
        assert_eq!(
            rate(&user(6), &r, 4),
            Err(Refusal::Conflict(Code::RequestNotResolved))
        );
        assert_eq!(
            rate(&user(4), &resolved, 4),
            Err(Refusal::Forbidden("requester".into()))
        );
    }
}
