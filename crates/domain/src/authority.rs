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

use crate::account::User;
use crate::profile::{AuthorityDef, Profile};

pub type UserId = i64;

macro_rules! authorities {
    ($($(#[$m:meta])* $name:ident = $id:literal,)+) => {
        /// The authorities the program relies on, by the id the profile
        /// gives them. A profile that lacks one is refused at load
        /// ([`crate::profile::ProfileError::MissingAuthority`]); a profile
        /// may define more (delegations and "my authorities" list them by
        /// id).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Authority { $($(#[$m])* $name,)+ }

        impl Authority {
            pub const ALL: &'static [Authority] = &[$(Authority::$name,)+];
            /// The id of the profile entry.
            pub fn id(self) -> &'static str {
                match self { $(Authority::$name => $id,)+ }
            }
            pub fn parse(id: &str) -> Option<Authority> {
                match id { $($id => Some(Authority::$name),)+ _ => None }
            }
        }
    };
}

authorities! {
    /// m.20/1-c, m.21/1: the Müdür routes every incoming document.
    RouteIncoming = "route_incoming",
    /// m.13, m.21/1: a Şef routes what reached his section within it.
    RouteWithinSection = "route_within_section",
    /// m.16/1: the Kalem keeps the registers and the files.
    RegisterCorrespondence = "register_correspondence",
    /// m.15/3: a Memur initials what he writes.
    InitialDocument = "initial_document",
    /// m.20/2-a: letters to other directorates.
    SignInternal = "sign_internal",
    /// m.20/3: letters to outside bodies, initialled on the way up …
    InitialExternal = "initial_external",
    /// … and signed by the Mayor or whom he authorises.
    SignExternal = "sign_external",
    /// m.9/4, m.10/12: the disciplinary superior (sees staff records whole).
    Discipline = "discipline",
    /// m.10/4: delegating to subordinates and taking it back.
    DelegateAuthority = "delegate_authority",
    /// m.12/2: the Mayor's approval of a deputy for the Müdür.
    ApproveDeputyship = "approve_deputyship",
    /// m.9/4 (the disciplinary superior), 657 m.102, 4857 m.53: approving
    /// leave of the staff below.
    ApproveLeave = "approve_leave",
    /// m.10/14: the Müdür orders overtime within the budget law.
    OrderOvertime = "order_overtime",
    /// m.16/1: the Kalem keeps leave, sick reports, timesheets, overtime
    /// and the personnel files.
    KeepPersonnelRecords = "keep_personnel_records",
    /// m.11, m.8/28: the audit trail.
    ViewAuditTrail = "view_audit_trail",
    /// m.22: proposing the disposal of files past their retention (the
    /// commission's list) and placing legal holds.
    DisposeArchive = "dispose_archive",
    /// Devlet Arşiv Hizmetleri Hakkında Yönetmelik: approving a disposal
    /// list, at the institution's highest level (the Mayor, or whom he
    /// authorises).
    ApproveDisposal = "approve_disposal",
    /// m.8/19, m.16/2-a: digitising the paper archive.
    DigitiseArchive = "digitise_archive",
    /// m.13, m.16, m.18/2: distributing a section's service requests.
    AssignRequests = "assign_requests",
    /// m.18/1-b, m.12, m.15: giving tasks to subordinates.
    AssignTasks = "assign_tasks",
    /// m.10/9: forming working groups.
    FormWorkingGroups = "form_working_groups",
    /// m.8/8, m.10/11: the Müdür appoints the Taşınır Kayıt Yetkilisi.
    AppointAssetOfficer = "appoint_asset_officer",
    /// m.8/8, m.8/11: the Taşınır Kayıt Yetkilisi keeps the assets,
    /// licences, contracts and the systems' records.
    ManageAssets = "manage_assets",
    /// m.20/1-ç, m.20/1-d: recording a handover and a departure.
    RecordDepartures = "record_departures",
    /// m.8/23-31, m.16/5-c: auditing the institution against the security
    /// guide and following up its gaps.
    AuditSecurity = "audit_security",
    /// m.8/23-31, Law 6698: keeping the KVKK records (breaches and their
    /// notices, periodic destructions).
    ManageKvkk = "manage_kvkk",
    /// m.8/23-31 (the incident response team, SOME), m.16/5-c: recording
    /// and handling security incidents.
    RespondIncidents = "respond_incidents",
}

impl std::fmt::Display for Authority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

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
    Position {
        position: String,
        article: String,
    },
    Delegation {
        id: i64,
        from_user: UserId,
        period: Period,
        approval_ref: String,
        article: String,
    },
    Deputyship {
        id: i64,
        for_user: UserId,
        position: String,
        period: Period,
        approval_ref: String,
        article: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow(Basis),
    /// Refused; names the authority that is missing.
    Deny {
        missing: String,
    },
}

impl Decision {
    pub fn allowed(&self) -> bool {
        matches!(self, Decision::Allow(_))
    }
}

/// Whether `user` holds a post of the profile at `at`: one of the
/// institution's people, who read its shared records (the registry, the
/// archive, the service desk's queues); an account without one is a
/// requester of another unit.
pub fn holds_post(facts: &dyn Facts, user: UserId, at: OffsetDateTime) -> bool {
    facts.holdings(user).iter().any(|h| h.period.contains(at))
}

/// The posts `user` holds at `at`.
pub fn posts_at(facts: &dyn Facts, user: UserId, at: OffsetDateTime) -> Vec<&str> {
    facts
        .holdings(user)
        .iter()
        .filter(|h| h.period.contains(at))
        .map(|h| h.position.as_str())
        .collect()
}

/// The posts a basis speaks from: the holder's own, the one a deputy
/// stands in for (m.12/2), or the delegator's (m.10/4).
pub fn basis_posts(facts: &dyn Facts, basis: &Basis, at: OffsetDateTime) -> Vec<String> {
    match basis {
        Basis::Position { position, .. } | Basis::Deputyship { position, .. } => {
            vec![position.clone()]
        }
        Basis::Delegation { from_user, .. } => posts_at(facts, *from_user, at)
            .into_iter()
            .map(str::to_owned)
            .collect(),
    }
}

/// Whether `boss` is above one of `subject`'s posts at `at`.
pub fn above(
    profile: &Profile,
    facts: &dyn Facts,
    boss: &str,
    subject: UserId,
    at: OffsetDateTime,
) -> bool {
    posts_at(facts, subject, at)
        .into_iter()
        .any(|p| p != boss && profile.reports_up_to(p, boss))
}

/// `authority` held by `actor` on a basis that speaks from a post above
/// `subject`'s (a superior's authority over his staff: leave, overtime).
pub fn grant_over(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    authority: Authority,
    subject: UserId,
    at: OffsetDateTime,
) -> Result<Grant, Denied> {
    grant_fitting(profile, facts, actor, authority, at, |b| {
        basis_posts(facts, b, at)
            .iter()
            .any(|boss| above(profile, facts, boss, subject, at))
    })
}

/// Whether `reader` holds, himself, a post above one of `subject`'s.
pub fn is_superior(
    profile: &Profile,
    facts: &dyn Facts,
    reader: UserId,
    subject: UserId,
    at: OffsetDateTime,
) -> bool {
    posts_at(facts, reader, at)
        .into_iter()
        .any(|boss| above(profile, facts, boss, subject, at))
}

/// Who reviews a person's access in a periodic access review (m.8/23-31;
/// the guide's 3.1.12): a superior of one of his posts (the Şef for his
/// staff, the Müdür for the Şefs), or whoever holds `audit_security` (the
/// security office: accounts without a post, and the top of the
/// organisation, whom nobody is above); never the person himself, and
/// never one's own superior otherwise (a Şef does not pass on his Müdür's
/// access).
pub fn review_access(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    subject: UserId,
    at: OffsetDateTime,
) -> Result<Grant, Denied> {
    if actor.id == subject {
        return Err(Denied::new(Authority::AuditSecurity.id()));
    }
    if is_superior(profile, facts, actor.id, subject, at) {
        return Ok(Grant::rule(
            actor,
            "m.8/23-31",
            "the superior reviews his staff's access",
        ));
    }
    // At the top of the organisation (the Mayor): nobody is above him, so
    // the security office reviews his access.
    let posts = posts_at(facts, subject, at);
    let top = !posts.is_empty()
        && posts
            .iter()
            .all(|p| profile.position(p).is_none_or(|x| x.reports_to.is_none()));
    if !top && is_superior(profile, facts, subject, actor.id, at) {
        return Err(Denied::new(Authority::AuditSecurity.id()));
    }
    grant(profile, facts, actor, Authority::AuditSecurity, at)
}

/// The authority the delegation article itself rests on.
pub const DELEGATION_ARTICLE: &str = "m.10/4";

/// The holding that gives `user` the authority `a` by position at `at`.
/// A signature authority (paraf, imza) is held only by staff who may sign
/// (m.4: the Memur is the staff "with signature authority"), whatever
/// post they are put in.
fn by_position<'a>(
    profile: &Profile,
    a: &AuthorityDef,
    facts: &'a dyn Facts,
    user: UserId,
    at: OffsetDateTime,
) -> Option<&'a Holding> {
    facts.holdings(user).iter().find(|h| {
        h.period.contains(at)
            && a.holders.contains(&h.position)
            && (a.staff_kinds.is_empty() || a.staff_kinds.contains(&h.staff_kind))
            && (!a.signature
                || profile
                    .staff_kinds()
                    .iter()
                    .any(|k| k.id == h.staff_kind && k.may_sign))
    })
}

/// Decides whether `actor` holds `authority` at `at`. Bases are tried in a
/// fixed order (position, deputyship, delegation; lowest id first), so the
/// same facts always give the same basis.
pub fn authorize(
    profile: &Profile,
    facts: &dyn Facts,
    actor: UserId,
    authority: &str,
    at: OffsetDateTime,
) -> Decision {
    match bases(profile, facts, actor, authority, at, true)
        .into_iter()
        .next()
    {
        Some(b) => Decision::Allow(b),
        None => Decision::Deny {
            missing: authority.to_owned(),
        },
    }
}

/// Every basis on which `actor` holds `authority` at `at`, in the engine's
/// order; with `first_only`, stops at the first.
fn bases(
    profile: &Profile,
    facts: &dyn Facts,
    actor: UserId,
    authority: &str,
    at: OffsetDateTime,
    first_only: bool,
) -> Vec<Basis> {
    let mut out = Vec::new();
    let Some(a) = profile.authority(authority) else {
        return out;
    };

    for h in facts.holdings(actor).iter().filter(|h| {
        h.period.contains(at)
            && a.holders.contains(&h.position)
            && (a.staff_kinds.is_empty() || a.staff_kinds.contains(&h.staff_kind))
            && (!a.signature
                || profile
                    .staff_kinds()
                    .iter()
                    .any(|k| k.id == h.staff_kind && k.may_sign))
    }) {
        out.push(Basis::Position {
            position: h.position.clone(),
            article: a.article.clone(),
        });
        if first_only {
            return out;
        }
    }

    let mut deps: Vec<&Deputyship> = facts
        .deputyships_of(actor)
        .iter()
        .filter(|d| live(&d.period, d.revoked_at, at))
        .collect();
    deps.sort_by_key(|d| d.id);
    for d in deps {
        for rule in profile.deputyships() {
            // The deputy must hold an eligible position, and the absent
            // person the position stood in for, both at `at`.
            let deputy_ok = facts
                .holdings(actor)
                .iter()
                .any(|h| h.period.contains(at) && rule.eligible.contains(&h.position));
            let stood_for = facts.holdings(d.for_user).iter().find(|h| {
                h.period.contains(at)
                    && h.position == rule.for_position
                    && a.holders.contains(&h.position)
            });
            if let (true, Some(h)) = (deputy_ok, stood_for) {
                out.push(Basis::Deputyship {
                    id: d.id,
                    for_user: d.for_user,
                    position: h.position.clone(),
                    period: d.period,
                    approval_ref: d.approval_ref.clone(),
                    article: rule.article.clone(),
                });
                if first_only {
                    return out;
                }
                break;
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
            if by_position(profile, a, facts, d.from_user, at).is_some() {
                out.push(Basis::Delegation {
                    id: d.id,
                    from_user: d.from_user,
                    period: d.period,
                    approval_ref: d.approval_ref.clone(),
                    article: a.delegation_article().to_owned(),
                });
                if first_only {
                    return out;
                }
            }
        }
    }
    out
}

/// The first basis, in the engine's order, on which `user` holds
/// `authority` at `at` and that `fits` (an authority whose reach depends
/// on the post it is held from, e.g. a Şef's over his own section): a
/// Şef standing in for the Müdür assigns in every section by the
/// deputyship even though his own post reaches only his section.
pub fn grant_fitting(
    profile: &Profile,
    facts: &dyn Facts,
    user: &User,
    authority: Authority,
    at: OffsetDateTime,
    fits: impl Fn(&Basis) -> bool,
) -> Result<Grant, Denied> {
    bases(profile, facts, user.id, authority.id(), at, false)
        .into_iter()
        .find(|b| fits(b))
        .map(|b| Grant::authority(user, authority.id(), b))
        .ok_or_else(|| Denied {
            missing: authority.id().to_owned(),
        })
}

/// Every authority `actor` holds at `at`, with its basis, in profile order
/// ("my authorities").
pub fn authorities_of<'p>(
    profile: &'p Profile,
    facts: &dyn Facts,
    actor: UserId,
    at: OffsetDateTime,
) -> Vec<(&'p AuthorityDef, Basis)> {
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
    /// m.10/4: only the holder of `delegate_authority` delegates.
    #[error("you do not hold `delegate_authority` (m.10/4)")]
    NoDelegationPower,
    /// m.10/4 "astlarına": the recipient must work under the delegator,
    /// in the delegator's own line (not above, not beside).
    #[error("the recipient is not your subordinate")]
    NotSubordinate,
    /// The authority is limited to staff kinds the recipient is not of.
    #[error("the recipient's staff kind cannot hold `{0}`")]
    RecipientCannotHold(String),
    /// m.4: only a Memur has signature authority; İşçi and contractor
    /// staff cannot be given a signature.
    #[error("`{0}` is a signature authority: only staff who may sign (Memur, m.4) can receive it")]
    SignatureNeedsSigner(String),
}

impl DelegationError {
    /// A stable code for the front ends.
    pub fn code(&self) -> &'static str {
        match self {
            DelegationError::UnknownAuthority(_) => "unknown_authority",
            DelegationError::NotDelegable(_) => "not_delegable",
            DelegationError::NotHeld(_) | DelegationError::NoDelegationPower => "forbidden",
            DelegationError::EmptyPeriod => "period_empty",
            DelegationError::ToSelf => "delegate_to_self",
            DelegationError::NotSubordinate => "not_subordinate",
            DelegationError::RecipientCannotHold(_) => "recipient_cannot_hold",
            DelegationError::SignatureNeedsSigner(_) => "signature_needs_memur",
        }
    }
}

/// Checks that `from` may delegate `authority` to `to` for `period`, as of
/// `at` (m.10/4: "Alt birimlerindeki personellere yetki devretmeye ve gerektiğinde devrettiği yetkiyi geri almaya"):
/// - only what is delegable, and only by its holder by position;
/// - only by the holder of `delegate_authority` (the profile's entry for
///   m.10/4 is enforced);
/// - only to a subordinate: someone whose position reports, directly or
///   through others, to the position the delegator holds it by — never
///   upwards or sideways;
/// - only to someone who may hold it: of a staff kind the authority allows,
///   and for a signature authority of a kind that may sign (m.4: the Memur
///   is the staff member "with signature authority").
///
/// The recipient's standing is judged when the delegation starts (or now,
/// if it has started).
pub fn may_delegate(
    profile: &Profile,
    facts: &dyn Facts,
    from: UserId,
    to: UserId,
    authority: &str,
    period: Period,
    at: OffsetDateTime,
) -> Result<(), DelegationError> {
    let a = profile
        .authority(authority)
        .ok_or_else(|| DelegationError::UnknownAuthority(authority.to_owned()))?;
    if !a.delegable {
        return Err(DelegationError::NotDelegable(authority.to_owned()));
    }
    if from == to {
        return Err(DelegationError::ToSelf);
    }
    if period.until <= period.from {
        return Err(DelegationError::EmptyPeriod);
    }
    let Some(source) = by_position(profile, a, facts, from, at) else {
        return Err(DelegationError::NotHeld(authority.to_owned()));
    };
    if by_position(
        profile,
        profile.def(Authority::DelegateAuthority),
        facts,
        from,
        at,
    )
    .is_none()
    {
        return Err(DelegationError::NoDelegationPower);
    }
    let when = period.from.max(at);
    let held: Vec<&Holding> = facts
        .holdings(to)
        .iter()
        .filter(|h| h.period.contains(when))
        .collect();
    let below: Vec<&&Holding> = held
        .iter()
        .filter(|h| profile.reports_up_to(&h.position, &source.position))
        .collect();
    if below.is_empty() {
        return Err(DelegationError::NotSubordinate);
    }
    let below: Vec<&&Holding> = below
        .into_iter()
        .filter(|h| a.delegable_to.is_empty() || a.delegable_to.contains(&h.position))
        .collect();
    if below.is_empty() {
        return Err(DelegationError::RecipientCannotHold(authority.to_owned()));
    }
    if !a.staff_kinds.is_empty() && !below.iter().any(|h| a.staff_kinds.contains(&h.staff_kind)) {
        return Err(DelegationError::RecipientCannotHold(authority.to_owned()));
    }
    let may_sign = |kind: &str| {
        profile
            .staff_kinds()
            .iter()
            .any(|k| k.id == kind && k.may_sign)
    };
    if a.signature && !below.iter().any(|h| may_sign(&h.staff_kind)) {
        return Err(DelegationError::SignatureNeedsSigner(authority.to_owned()));
    }
    Ok(())
}

/// Why something was refused for want of a power: the authority (or
/// `administrator`, or a rule's name) that is missing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("missing authority `{missing}`")]
pub struct Denied {
    pub missing: String,
}

impl Denied {
    pub fn new(missing: impl Into<String>) -> Denied {
        Denied {
            missing: missing.into(),
        }
    }
}

/// Work the system does on its own, named in the audit trail as its basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemTask {
    /// Start-up with no account: the one-time setup link.
    FirstRun,
    /// `serve --demo`: the demonstration staff.
    DemoSeed,
    /// Signing in through the directory brings the account in line.
    DirectorySync,
    /// The background workers record what they extracted from files.
    TextExtraction,
    /// The operator's command line on the server (`mudurluk import scans`,
    /// `mudurluk digest`): whoever has a shell there runs the service.
    Command,
    /// A sign-in attempt that failed (the person is not known until it
    /// succeeds).
    SignIn,
    /// Destroying the files of a disposal and collecting uploads no record
    /// holds.
    Collection,
    /// Closing resolved requests the requester did not reopen in time.
    CloseResolvedRequests,
    /// Reading the service desk's mailbox.
    MailIntake,
    /// Making the tasks of recurring maintenance plans.
    MaintenancePlans,
    /// A code tried on the public verification page that answers nothing
    /// (counted against the address, like a failed sign-in).
    DocumentVerification,
}

impl SystemTask {
    pub fn describe(self) -> &'static str {
        match self {
            SystemTask::FirstRun => "no account exists",
            SystemTask::DemoSeed => "serve --demo",
            SystemTask::DirectorySync => "directory groups",
            SystemTask::TextExtraction => "text extraction",
            SystemTask::Command => "the operator's command line on the server",
            SystemTask::SignIn => "a sign-in attempt",
            SystemTask::Collection => "destroying disposed and unclaimed files",
            SystemTask::CloseResolvedRequests => {
                "closing resolved requests after the configured working days"
            }
            SystemTask::MailIntake => "the service desk's mailbox",
            SystemTask::MaintenancePlans => "recurring maintenance plans",
            SystemTask::DocumentVerification => "the public document verification page",
        }
    }
}

/// On what an act rests.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GrantBasis {
    /// An authority of the profile, held by position, deputyship or
    /// delegation.
    Authority { authority: String, basis: Basis },
    /// A rule of the domain that is not a profile authority (the writer of
    /// a letter edits it; the recipient of a routing takes delivery).
    Rule { article: String, rule: String },
    /// The installation's administrator (accounts, the calendar).
    Administrator,
    /// A person acting on their own account (sign-in, password, tokens).
    OwnAccount,
    /// A read of personal data, logged (KVKK m.12).
    AccessLog,
    /// The system itself, for a named task.
    System { task: SystemTask },
    /// The one-time setup link of the first run.
    SetupLink,
}

/// Proof that an act is allowed now, who does it and on what basis: the
/// only thing an audit record is made from (`store::Audit::new`). The
/// authority engine and the domain's rules make the grants that rest on
/// the regulation; the other constructors are explicit about what they
/// are (administrator, own account, the system's task).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    user: Option<UserId>,
    actor: Option<String>,
    basis: GrantBasis,
}

impl Grant {
    pub(crate) fn authority(user: &User, authority: &str, basis: Basis) -> Grant {
        Grant {
            user: Some(user.id),
            actor: Some(user.username.clone()),
            basis: GrantBasis::Authority {
                authority: authority.to_owned(),
                basis,
            },
        }
    }

    pub(crate) fn rule(user: &User, article: &str, rule: &str) -> Grant {
        Grant {
            user: Some(user.id),
            actor: Some(user.username.clone()),
            basis: GrantBasis::Rule {
                article: article.into(),
                rule: rule.into(),
            },
        }
    }

    /// The administrator's act; refused to anyone else.
    pub fn administrator(user: &User) -> Result<Grant, Denied> {
        if !user.is_admin {
            return Err(Denied::new("administrator"));
        }
        Ok(Grant {
            user: Some(user.id),
            actor: Some(user.username.clone()),
            basis: GrantBasis::Administrator,
        })
    }

    /// A person acting on their own account.
    pub fn own_account(user: &User) -> Grant {
        Grant {
            user: Some(user.id),
            actor: Some(user.username.clone()),
            basis: GrantBasis::OwnAccount,
        }
    }

    /// A logged read of personal data (KVKK m.12).
    pub fn access_log(user: &User) -> Grant {
        Grant {
            user: Some(user.id),
            actor: Some(user.username.clone()),
            basis: GrantBasis::AccessLog,
        }
    }

    /// The system acting on its own for `task`.
    pub fn system(task: SystemTask) -> Grant {
        Grant {
            user: None,
            actor: None,
            basis: GrantBasis::System { task },
        }
    }

    /// The first administrator, created through the one-time setup link.
    pub fn setup_link(username: &str) -> Grant {
        Grant {
            user: None,
            actor: Some(username.to_owned()),
            basis: GrantBasis::SetupLink,
        }
    }

    pub fn user(&self) -> Option<UserId> {
        self.user
    }
    /// The actor's username, as the audit trail names them; `None` for the
    /// system.
    pub fn actor(&self) -> Option<&str> {
        self.actor.as_deref()
    }
    pub fn basis(&self) -> &GrantBasis {
        &self.basis
    }
    /// The engine's basis, when the grant rests on an authority.
    pub fn authority_basis(&self) -> Option<&Basis> {
        match &self.basis {
            GrantBasis::Authority { basis, .. } => Some(basis),
            _ => None,
        }
    }
    /// Whether it rests on a deputyship or a delegation (the signature
    /// block says so).
    pub fn is_deputy(&self) -> bool {
        matches!(self.authority_basis(), Some(Basis::Deputyship { .. }))
    }

    /// The basis as the audit trail writes it.
    pub fn basis_text(&self) -> String {
        match &self.basis {
            GrantBasis::Authority { basis, .. } => basis_text(basis),
            GrantBasis::Rule { article, rule } => format!("{article} ({rule})"),
            GrantBasis::Administrator => "administrator".into(),
            GrantBasis::OwnAccount => "own account".into(),
            GrantBasis::AccessLog => "KVKK m.12 (access log)".into(),
            GrantBasis::System { task } => format!("system ({})", task.describe()),
            GrantBasis::SetupLink => "one-time setup link".into(),
        }
    }
}

/// An engine basis as the audit trail writes it: the article, and for a
/// delegation or deputyship its id.
pub fn basis_text(b: &Basis) -> String {
    match b {
        Basis::Position { position, article } => format!("{article} ({position})"),
        Basis::Delegation { id, article, .. } => format!("{article} (delegation:{id})"),
        Basis::Deputyship {
            id,
            article,
            position,
            ..
        } => format!("{article} (deputyship:{id}, {position})"),
    }
}

/// Decides whether `user` holds `authority` at `at`, and if so grants it.
pub fn grant(
    profile: &Profile,
    facts: &dyn Facts,
    user: &User,
    authority: Authority,
    at: OffsetDateTime,
) -> Result<Grant, Denied> {
    grant_id(profile, facts, user, authority.id(), at)
}

/// [`grant`] for an authority named by its profile id (one the program
/// does not name itself, e.g. a delegated one).
pub fn grant_id(
    profile: &Profile,
    facts: &dyn Facts,
    user: &User,
    authority: &str,
    at: OffsetDateTime,
) -> Result<Grant, Denied> {
    match authorize(profile, facts, user.id, authority, at) {
        Decision::Allow(b) => Ok(Grant::authority(user, authority, b)),
        Decision::Deny { missing } => Err(Denied { missing }),
    }
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
