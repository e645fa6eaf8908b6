//! The authority engine: who may do what, at a given moment, and on what
//! basis. Every use-case asks [`authorize`]; the answer carries its basis so
//! that the audit record can say why an action was allowed.
//!
//! A person holds an authority in one of three ways:
//! - **position**: they hold, at that moment, a position the profile gives
//!   it to (narrowed to the authority's staff kinds, e.g. only a Memur
//!   initials, m.15/3);
//! - **deputyship** (m.12/2): they stand in, approved, for someone who holds
//!   a position the profile lets them deputise for; they get that person's
//!   authorities of that position;
//! - **delegation** (m.10/4): someone who holds a delegable authority by
//!   position gave it to them.
//!
//! A deputyship or delegation counts in `[from, until)` and not from its
//! revocation on. The decision depends only on the facts and `at`, so a past
//! action can be justified again later with the same answer.

use time::OffsetDateTime;

use crate::profile::{Authority, Profile};

pub type UserId = i64;

/// A half-open validity period `[from, until)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    #[serde(with = "time::serde::rfc3339")]
    pub from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub until: OffsetDateTime,
}

impl Period {
    pub fn contains(&self, at: OffsetDateTime) -> bool {
        self.from <= at && at < self.until
    }
}

/// A person holding a position (an appointment), with their staff kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    pub user: UserId,
    pub position: String,
    pub staff_kind: String,
    pub period: Period,
}

/// A delegation of one authority (m.10/4).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Delegation {
    pub id: i64,
    pub from_user: UserId,
    pub to_user: UserId,
    pub authority: String,
    pub period: Period,
    /// Reference of the approving document.
    pub approval_ref: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

/// A deputyship (vekalet, m.12/2).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deputyship {
    pub id: i64,
    pub deputy: UserId,
    pub for_user: UserId,
    pub period: Period,
    /// Reference of the Mayor's approval (olur).
    pub approval_ref: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

fn live(period: &Period, revoked_at: Option<OffsetDateTime>, at: OffsetDateTime) -> bool {
    period.contains(at) && revoked_at.is_none_or(|r| at < r)
}

/// What the engine needs to know about people. The store answers it for
/// the people one decision involves; tests and benchmarks use [`FactSet`].
pub trait Facts {
    fn holdings(&self, user: UserId) -> &[Holding];
    fn delegations_to(&self, user: UserId) -> &[Delegation];
    fn deputyships_of(&self, deputy: UserId) -> &[Deputyship];
}

/// Why an action is allowed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Basis {
    Position { position: String, article: String },
    Delegation { id: i64, from_user: UserId, period: Period, approval_ref: String, article: String },
    Deputyship { id: i64, for_user: UserId, position: String, period: Period, approval_ref: String, article: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow(Basis),
    /// Refused; names the authority that is missing.
    Deny { missing: String },
}

impl Decision {
    pub fn allowed(&self) -> bool {
        matches!(self, Decision::Allow(_))
    }
}

/// The authority the delegation article itself rests on.
pub const DELEGATION_ARTICLE: &str = "m.10/4";

fn by_position<'a>(a: &Authority, facts: &'a dyn Facts, user: UserId, at: OffsetDateTime) -> Option<&'a Holding> {
    facts.holdings(user).iter().find(|h| {
        h.period.contains(at)
            && a.holders.contains(&h.position)
            && (a.staff_kinds.is_empty() || a.staff_kinds.contains(&h.staff_kind))
    })
}

/// Decides whether `actor` holds `authority` at `at`. Bases are tried in a
/// fixed order (position, deputyship, delegation; lowest id first), so the
/// same facts always give the same basis.
pub fn authorize(profile: &Profile, facts: &dyn Facts, actor: UserId, authority: &str, at: OffsetDateTime) -> Decision {
    let deny = || Decision::Deny { missing: authority.to_owned() };
    let Some(a) = profile.authority(authority) else { return deny() };

    if let Some(h) = by_position(a, facts, actor, at) {
        return Decision::Allow(Basis::Position { position: h.position.clone(), article: a.article.clone() });
    }

    let mut deps: Vec<&Deputyship> = facts.deputyships_of(actor).iter().filter(|d| live(&d.period, d.revoked_at, at)).collect();
    deps.sort_by_key(|d| d.id);
    for d in deps {
        for rule in profile.deputyships() {
            // The deputy must hold an eligible position, and the absent
            // person the position stood in for, both at `at`.
            let deputy_ok = facts.holdings(actor).iter().any(|h| h.period.contains(at) && rule.eligible.contains(&h.position));
            let stood_for = facts
                .holdings(d.for_user)
                .iter()
                .find(|h| h.period.contains(at) && h.position == rule.for_position && a.holders.contains(&h.position));
            if let (true, Some(h)) = (deputy_ok, stood_for) {
                return Decision::Allow(Basis::Deputyship {
                    id: d.id,
                    for_user: d.for_user,
                    position: h.position.clone(),
                    period: d.period,
                    approval_ref: d.approval_ref.clone(),
                    article: rule.article.clone(),
                });
            }
        }
    }

    if a.delegable {
        let mut dels: Vec<&Delegation> = facts
            .delegations_to(actor)
            .iter()
            .filter(|d| d.authority == authority && live(&d.period, d.revoked_at, at))
            .collect();
        dels.sort_by_key(|d| d.id);
        for d in dels {
            // The delegator must still hold it by position: a delegation
            // cannot outlive its source.
            if by_position(a, facts, d.from_user, at).is_some() {
                return Decision::Allow(Basis::Delegation {
                    id: d.id,
                    from_user: d.from_user,
                    period: d.period,
                    approval_ref: d.approval_ref.clone(),
                    article: DELEGATION_ARTICLE.to_owned(),
                });
            }
        }
    }
    deny()
}

/// Every authority `actor` holds at `at`, with its basis, in profile order
/// ("my authorities").
pub fn authorities_of<'p>(profile: &'p Profile, facts: &dyn Facts, actor: UserId, at: OffsetDateTime) -> Vec<(&'p Authority, Basis)> {
    profile
        .authorities()
        .iter()
        .filter_map(|a| match authorize(profile, facts, actor, &a.id, at) {
            Decision::Allow(b) => Some((a, b)),
            Decision::Deny { .. } => None,
        })
        .collect()
}

/// Why a delegation cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DelegationError {
    #[error("unknown authority `{0}`")]
    UnknownAuthority(String),
    #[error("authority `{0}` cannot be delegated")]
    NotDelegable(String),
    #[error("you do not hold `{0}` by position, so you cannot delegate it")]
    NotHeld(String),
    #[error("the period must end after it starts")]
    EmptyPeriod,
    #[error("a delegation to oneself is meaningless")]
    ToSelf,
}

/// Checks that `from` may delegate `authority` to `to` for `period`, as of
/// `at` (m.10/4: only the holder delegates, only what is delegable).
pub fn may_delegate(
    profile: &Profile,
    facts: &dyn Facts,
    from: UserId,
    to: UserId,
    authority: &str,
    period: Period,
    at: OffsetDateTime,
) -> Result<(), DelegationError> {
    let a = profile.authority(authority).ok_or_else(|| DelegationError::UnknownAuthority(authority.to_owned()))?;
    if !a.delegable {
        return Err(DelegationError::NotDelegable(authority.to_owned()));
    }
    if from == to {
        return Err(DelegationError::ToSelf);
    }
    if period.until <= period.from {
        return Err(DelegationError::EmptyPeriod);
    }
    if by_position(a, facts, from, at).is_none() {
        return Err(DelegationError::NotHeld(authority.to_owned()));
    }
    Ok(())
}

/// An in-memory, indexed set of facts.
#[derive(Debug, Default, Clone)]
pub struct FactSet {
    holdings: std::collections::HashMap<UserId, Vec<Holding>>,
    delegations: std::collections::HashMap<UserId, Vec<Delegation>>,
    deputyships: std::collections::HashMap<UserId, Vec<Deputyship>>,
}

impl FactSet {
    pub fn hold(&mut self, h: Holding) -> &mut Self {
        self.holdings.entry(h.user).or_default().push(h);
        self
    }
    pub fn delegate(&mut self, d: Delegation) -> &mut Self {
        self.delegations.entry(d.to_user).or_default().push(d);
        self
    }
    pub fn deputise(&mut self, d: Deputyship) -> &mut Self {
        self.deputyships.entry(d.deputy).or_default().push(d);
        self
    }
}

impl Facts for FactSet {
    fn holdings(&self, user: UserId) -> &[Holding] {
        self.holdings.get(&user).map_or(&[], Vec::as_slice)
    }
    fn delegations_to(&self, user: UserId) -> &[Delegation] {
        self.delegations.get(&user).map_or(&[], Vec::as_slice)
    }
    fn deputyships_of(&self, deputy: UserId) -> &[Deputyship] {
        self.deputyships.get(&deputy).map_or(&[], Vec::as_slice)
    }
}
