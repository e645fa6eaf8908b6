//! Incoming correspondence (m.16/1, m.20/1, m.21/1): the registered
//! document, its routings (havale), and the rules of its life as pure
//! functions: who may route it, take delivery of it (zimmet), close it,
//! extend its period, and see it. The store persists what these decide;
//! pages ask [`actions`] which buttons to show.
//!
//! - m.20/1-c, m.21/1: every document goes to the Müdür, who routes it
//!   (`route_incoming`, delegable, or his deputy under m.12/2);
//! - m.13, m.21/1: a Şef routes what reached his section to its people
//!   (`route_within_section`);
//! - m.16/1, m.21/1: the unit a document is routed to takes delivery
//!   against signature (zimmet), acts, and answers it;
//! - visibility: a document classified GZL/CGZ or holding personal data is
//!   seen only by those it was routed to (a unit's head for a unit), the
//!   (acting) Müdür and whoever registered it.

use time::{Date, OffsetDateTime};

use crate::account::User;
use crate::authority::{self, Authority, Basis, Facts, Grant};
use crate::code::{Code, Refusal};
use crate::correspondence::{Confidentiality, Purpose};
use crate::profile::Profile;

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// Where a document is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// In the Müdür's tray, awaiting routing.
    Registered,
    Routed,
    Closed,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Registered => "registered",
            State::Routed => "routed",
            State::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<State> {
        match s {
            "registered" => Some(State::Registered),
            "routed" => Some(State::Routed),
            "closed" => Some(State::Closed),
            _ => None,
        }
    }
}

/// A registered document with its attachments and routings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Document {
    pub id: i64,
    /// `incoming` or `petition`.
    pub register: String,
    pub number: String,
    pub seq: i64,
    pub period: String,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
    /// The registrar's username, and name.
    pub registered_by: String,
    pub registered_by_name: String,
    #[serde(skip)]
    pub registered_by_id: i64,
    pub channel: String,
    pub sender_kind: String,
    pub sender_name: String,
    pub sender_id: Option<String>,
    pub sender_foreign_id: Option<String>,
    pub sender_ref: String,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub sender_date: Option<Date>,
    pub subject: String,
    pub file_code: String,
    pub secondary_codes: Vec<String>,
    pub confidentiality: String,
    pub urgency: String,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub urgent_date: Option<Date>,
    pub personal_data: bool,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub received_on: Date,
    /// The legal basis of the answer period (`dilekce`, `bilgi_edinme`,
    /// `kvkk`, `kurum_belge`, `gunlu:…`…); empty when no law sets one.
    pub legal_basis: String,
    /// The legal deadline; none when no law sets one (no period is
    /// invented).
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    /// An internal target date the registrar set: not a legal deadline.
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub target_date: Option<Date>,
    pub delivered_by: String,
    pub received_by: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub received_at: Option<OffsetDateTime>,
    pub state: State,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    pub closed_by: Option<String>,
    pub closed_by_name: Option<String>,
    /// `answered` or `filed`.
    pub closing: Option<String>,
    pub closing_note: Option<String>,
    pub answer_ref: Option<String>,
    /// The written notice of a 4982 extension, once extended.
    pub extension_ref: Option<String>,
    /// The law's case for the extension (`baska_birim`,
    /// `baska_kurum_gorusu`, `birden_fazla_kurum`).
    pub extension_reason: Option<String>,
    /// The day the applicant was told of the extension.
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub extension_notice_date: Option<Date>,
    pub attachments: Vec<Attachment>,
    pub routings: Vec<Routing>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub sha256: String,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    /// Its text for search: queued, running, done, partial or failed.
    pub text_state: Option<String>,
    /// Why partial or failed (`encrypted`, `corrupt`, `ocr_page_limit:200`…).
    pub text_reason: Option<String>,
}

/// One recipient of a routing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Routing {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub routed_by: String,
    pub routed_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub routed_at: OffsetDateTime,
    pub basis: String,
    pub to_unit: Option<String>,
    pub to_user: Option<String>,
    pub to_user_name: Option<String>,
    #[serde(skip)]
    pub to_user_id: Option<i64>,
    /// `action` (gereği için) or `info` (bilgi için).
    pub purpose: String,
    pub note: String,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub internal_due: Option<Date>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<OffsetDateTime>,
    pub delivered_by: Option<String>,
    pub delivered_by_name: Option<String>,
}

/// Whether a document with these marks is restricted: GZL/CGZ, or holding
/// personal data.
pub fn is_restricted(confidentiality: &str, personal_data: bool) -> bool {
    personal_data || Confidentiality::parse(confidentiality).is_none_or(|c| c.is_restricted())
}

impl Document {
    pub fn is_restricted(&self) -> bool {
        is_restricted(&self.confidentiality, self.personal_data)
    }

    /// The earliest date that matters for the document: its legal deadline,
    /// else its internal target.
    pub fn effective_due(&self) -> Option<Date> {
        self.due_date.or(self.target_date)
    }
}

/// Who is looking, today: the person, the units he heads, and whether he
/// holds `route_incoming` (the Müdür, or his deputy or delegate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: i64,
    pub units: Vec<String>,
    pub routes: bool,
    /// Holds a post of the profile now (or administers): the directorate's
    /// correspondence is for its people; an account of another unit (a
    /// service desk requester) sees only what it registered or was given.
    pub member: bool,
}

/// Units a person heads at `at`, from their holdings.
pub fn headed_units(
    profile: &Profile,
    facts: &dyn Facts,
    user: i64,
    at: OffsetDateTime,
) -> Vec<String> {
    let mut units: Vec<String> = facts
        .holdings(user)
        .iter()
        .filter(|h| h.period.contains(at))
        .filter_map(|h| profile.headed_unit(&h.position).map(str::to_owned))
        .collect();
    units.sort();
    units.dedup();
    units
}

impl Viewer {
    /// The viewer `user` is at `at`.
    pub fn of(profile: &Profile, facts: &dyn Facts, user: i64, at: OffsetDateTime) -> Viewer {
        Viewer {
            user_id: user,
            units: headed_units(profile, facts, user, at),
            routes: authority::authorize(profile, facts, user, Authority::RouteIncoming.id(), at)
                .allowed(),
            member: authority::holds_post(facts, user, at),
        }
    }

    fn addressed_by(&self, to_unit: Option<&str>, to_user: Option<i64>) -> bool {
        to_user == Some(self.user_id) || to_unit.is_some_and(|u| self.units.iter().any(|x| x == u))
    }
}

/// Whether `v` may see a document registered by `registered_by`, routed to
/// `recipients` (units and user ids), restricted or not.
pub fn may_see(
    restricted: bool,
    registered_by: i64,
    recipients: &[(Option<&str>, Option<i64>)],
    v: &Viewer,
) -> bool {
    (v.member && (!restricted || v.routes))
        || registered_by == v.user_id
        || recipients
            .iter()
            .any(|(unit, user)| v.addressed_by(*unit, *user))
}

/// [`may_see`] for a whole document.
pub fn may_see_document(doc: &Document, v: &Viewer) -> bool {
    let recipients: Vec<(Option<&str>, Option<i64>)> = doc
        .routings
        .iter()
        .map(|r| (r.to_unit.as_deref(), r.to_user_id))
        .collect();
    may_see(doc.is_restricted(), doc.registered_by_id, &recipients, v)
}

/// A recipient of a new routing, as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub to_unit: Option<String>,
    pub to_user: Option<i64>,
    pub purpose: Purpose,
    pub internal_due: Option<Date>,
}

/// What routing was decided: on which grant, and under which routing of
/// the Müdür (a Şef's re-routing within his section).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed {
    pub grant: Grant,
    pub parent: Option<i64>,
}

/// Routes `doc` to `targets` (m.20/1-c, m.21/1, m.13). The holder of
/// `route_incoming` routes anywhere; a Şef re-routes a document routed to
/// his section, to people of his section only. `facts` must hold the
/// actor's facts and the targets' holdings.
pub fn route(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    doc: &Document,
    targets: &[Target],
    at: OffsetDateTime,
) -> Result<Routed, Refusal> {
    if doc.state == State::Closed {
        return Err(Refusal::Conflict(Code::AlreadyClosed));
    }
    if targets.is_empty() {
        return Err(Refusal::Invalid {
            field: "targets",
            code: Code::Required,
        });
    }
    let directorate = &profile.directorate().id;
    for (i, t) in targets.iter().enumerate() {
        if t.to_unit.is_some() == t.to_user.is_some() {
            return Err(Refusal::Invalid {
                field: "unit",
                code: Code::UnitOrUser,
            });
        }
        // m.20/1-c: the Müdür distributes to the directorate's own staff
        // and units, never up or out of it.
        let inside = match (&t.to_unit, t.to_user) {
            (Some(u), _) => profile.unit_within(u, directorate),
            (None, Some(user)) => facts.holdings(user).iter().any(|h| {
                h.period.contains(at)
                    && profile
                        .position(&h.position)
                        .is_some_and(|p| profile.unit_within(&p.unit, directorate))
            }),
            _ => false,
        };
        if !inside {
            return Err(Refusal::Invalid {
                field: if t.to_unit.is_some() { "unit" } else { "user" },
                code: Code::OutsideDirectorate,
            });
        }
        if let (Some(internal), Some(legal)) = (t.internal_due, doc.due_date) {
            if internal > legal {
                return Err(Refusal::Invalid {
                    field: "internal_due",
                    code: Code::AfterLegalDue,
                });
            }
        }
        if t.internal_due.is_some_and(|d| d < doc.received_on) {
            return Err(Refusal::Invalid {
                field: "internal_due",
                code: Code::BeforeReceipt,
            });
        }
        let same = |u: &Option<String>, user: Option<i64>| *u == t.to_unit && user == t.to_user;
        if targets[..i].iter().any(|o| same(&o.to_unit, o.to_user)) {
            return Err(Refusal::Invalid {
                field: "targets",
                code: Code::DuplicateTarget,
            });
        }
        if doc
            .routings
            .iter()
            .any(|r| same(&r.to_unit, r.to_user_id) && r.purpose == t.purpose.code())
        {
            return Err(Refusal::Conflict(Code::AlreadyRouted));
        }
    }
    if let Ok(grant) = authority::grant(profile, facts, actor, Authority::RouteIncoming, at) {
        return Ok(Routed {
            grant,
            parent: None,
        });
    }
    let Ok(grant) = authority::grant(profile, facts, actor, Authority::RouteWithinSection, at)
    else {
        return Err(Refusal::Forbidden(Authority::RouteIncoming.id().into()));
    };
    let unit = match grant.authority_basis() {
        Some(Basis::Position { position, .. }) => profile.headed_unit(position).map(str::to_owned),
        _ => None,
    };
    let parent = doc
        .routings
        .iter()
        .find(|r| r.to_unit.is_some() && r.to_unit == unit)
        .ok_or_else(|| Refusal::Forbidden(Authority::RouteIncoming.id().into()))?;
    for t in targets {
        let inside = t.to_user.is_some_and(|u| {
            facts.holdings(u).iter().any(|h| {
                h.period.contains(at)
                    && profile
                        .position(&h.position)
                        .is_some_and(|p| Some(&p.unit) == unit.as_ref())
            })
        });
        if !inside {
            return Err(Refusal::Conflict(Code::TargetOutsideSection));
        }
    }
    Ok(Routed {
        grant,
        parent: Some(parent.id),
    })
}

/// The routings of `doc` addressed to the viewer: to him, or to a unit he
/// heads.
pub fn addressed<'d>(doc: &'d Document, v: &Viewer) -> Vec<&'d Routing> {
    doc.routings
        .iter()
        .filter(|r| v.addressed_by(r.to_unit.as_deref(), r.to_user_id))
        .collect()
}

/// Takes delivery (zimmet, m.16/1, m.21/1) of every routing addressed to
/// the actor not yet taken; the routings taken.
pub fn take_delivery(
    actor: &User,
    doc: &Document,
    v: &Viewer,
) -> Result<(Grant, Vec<i64>), Refusal> {
    let to_me = addressed(doc, v);
    let mine: Vec<i64> = to_me
        .iter()
        .filter(|r| r.delivered_at.is_none())
        .map(|r| r.id)
        .collect();
    if to_me.is_empty() {
        return Err(Refusal::Forbidden("incoming_recipient".into()));
    }
    if mine.is_empty() {
        return Err(Refusal::Conflict(Code::AlreadyDelivered));
    }
    Ok((Grant::rule(actor, "m.16/1, m.21/1", "zimmet"), mine))
}

/// On what the actor handles a document: `route_incoming` (the Müdür or
/// his deputy/delegate), else being its recipient for action who has
/// taken delivery. `undelivered` is the refusal for a recipient who has
/// not.
fn handler(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    doc: &Document,
    v: &Viewer,
    at: OffsetDateTime,
    undelivered: Refusal,
) -> Result<Grant, Refusal> {
    if let Ok(g) = authority::grant(profile, facts, actor, Authority::RouteIncoming, at) {
        return Ok(g);
    }
    let mine: Vec<&Routing> = addressed(doc, v)
        .into_iter()
        .filter(|r| r.purpose == Purpose::Action.code())
        .collect();
    if mine.is_empty() {
        return Err(Refusal::Forbidden("incoming_recipient".into()));
    }
    if mine.iter().all(|r| r.delivered_at.is_none()) {
        return Err(undelivered);
    }
    Ok(Grant::rule(
        actor,
        "m.21/1",
        "gereği için havale edilen birim",
    ))
}

/// How a document is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    Answered,
    Filed,
}

impl Closing {
    pub fn code(self) -> &'static str {
        match self {
            Closing::Answered => "answered",
            Closing::Filed => "filed",
        }
    }
}

/// Closes a routed document (m.21/1: the unit acts and answers): its
/// recipient for action who took delivery, or the holder of
/// `route_incoming`.
pub fn close(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    doc: &Document,
    v: &Viewer,
    at: OffsetDateTime,
) -> Result<Grant, Refusal> {
    if doc.state == State::Closed {
        return Err(Refusal::Conflict(Code::AlreadyClosed));
    }
    if doc.routings.is_empty() {
        return Err(Refusal::Conflict(Code::NotRouted));
    }
    handler(
        profile,
        facts,
        actor,
        doc,
        v,
        at,
        Refusal::Conflict(Code::NotDelivered),
    )
}

/// Who may extend an information request's period: whoever may close the
/// document, once it is in his hands (taking delivery first is not a step
/// of its own). The period rule itself is the calendar's.
pub fn extend(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    doc: &Document,
    v: &Viewer,
    at: OffsetDateTime,
) -> Result<Grant, Refusal> {
    if doc.state == State::Closed {
        return Err(Refusal::Conflict(Code::AlreadyClosed));
    }
    handler(
        profile,
        facts,
        actor,
        doc,
        v,
        at,
        Refusal::Forbidden("incoming_recipient".into()),
    )
}

/// What the viewer may do with a document now: the buttons a page shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Actions {
    pub route: bool,
    pub deliver: bool,
    pub close: bool,
    pub extend: bool,
    /// Write an answer ("cevap yaz").
    pub reply: bool,
}

/// The buttons for `actor` on `doc`, from the same rules the use-cases
/// apply. (Filing is the archive's rule.)
pub fn actions(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    doc: &Document,
    v: &Viewer,
    at: OffsetDateTime,
) -> Actions {
    let open = doc.state != State::Closed;
    // A Şef re-routes what was routed to the section he heads.
    let reroutes = || {
        doc.routings
            .iter()
            .any(|r| r.to_unit.as_ref().is_some_and(|u| v.units.contains(u)))
            && authority::grant(profile, facts, actor, Authority::RouteWithinSection, at).is_ok()
    };
    let route = open && (v.routes || reroutes());
    let deliver = open && take_delivery(actor, doc, v).is_ok();
    let close = close(profile, facts, actor, doc, v, at).is_ok();
    let extend = open
        && doc.legal_basis == crate::calendar::LegalBasis::InformationRequest.code()
        && extend(profile, facts, actor, doc, v, at).is_ok();
    Actions {
        route,
        deliver,
        close,
        extend,
        reply: close,
    }
}

/// The sort date of a document with neither a legal deadline nor a
/// target: last in every tray (both engines sort it the same way, which a
/// NULL would not).
pub const NO_DUE: Date = time::macros::date!(9999 - 12 - 31);

/// What trays sort a document by: its legal deadline, else its internal
/// target, else last.
pub fn sort_due(due: Option<Date>, target: Option<Date>) -> Date {
    due.or(target).unwrap_or(NO_DUE)
}

/// The number a register gives: `2026/15`, a petition `D-2026/15`.
pub fn number(register: crate::correspondence::Register, period: &str, seq: i64) -> String {
    let prefix = if register == crate::correspondence::Register::Petition {
        "D-"
    } else {
        ""
    };
    format!("{prefix}{period}/{seq}")
}

/// One line of a tray or a deadline list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Line {
    pub id: i64,
    pub number: String,
    pub register: String,
    pub subject: String,
    pub sender_name: String,
    pub confidentiality: String,
    pub personal_data: bool,
    pub urgency: String,
    /// The legal deadline, if a law sets one.
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    /// The registrar's internal target, if any (not a legal deadline).
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub target_date: Option<Date>,
    pub state: State,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
    #[serde(skip)]
    pub registered_by_id: i64,
    /// The routing this line is about (none: awaiting the Müdür's routing).
    pub routing_id: Option<i64>,
    pub purpose: Option<String>,
    pub to_unit: Option<String>,
    pub to_user: Option<String>,
    pub to_user_name: Option<String>,
    #[serde(skip)]
    pub to_user_id: Option<i64>,
    /// The routing's internal deadline (earlier than the legal one).
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub internal_due: Option<Date>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub routed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<OffsetDateTime>,
}

impl Line {
    pub fn is_restricted(&self) -> bool {
        is_restricted(&self.confidentiality, self.personal_data)
    }

    /// The earliest date that matters: the routing's internal deadline,
    /// the legal deadline, the registrar's target.
    pub fn effective_due(&self) -> Option<Date> {
        [self.internal_due, self.due_date, self.target_date]
            .into_iter()
            .flatten()
            .min()
    }

    pub fn sort_key(&self) -> (Date, i64, Option<i64>) {
        (
            self.effective_due().unwrap_or(NO_DUE),
            self.id,
            self.routing_id,
        )
    }

    /// Whether the viewer may see the line.
    pub fn visible_to(&self, v: &Viewer) -> bool {
        may_see(
            self.is_restricted(),
            self.registered_by_id,
            &[(self.to_unit.as_deref(), self.to_user_id)],
            v,
        )
    }
}

/// What a tray line waits for from its viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Awaiting {
    /// Routing by the Müdür.
    Route,
    /// Taking into custody.
    Deliver,
    /// Action.
    Act,
    /// Reading (routed for information).
    Info,
}

/// How late is late: the `[correspondence]` settings the tray uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alerts {
    /// A routing not taken into custody after this long is flagged.
    pub delivery_alert: time::Duration,
    /// "Due soon" means within this many days.
    pub due_soon_days: i64,
}

/// A line of a tray or list, with what its viewer should notice.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TrayLine {
    #[serde(flatten)]
    pub line: Line,
    pub awaiting: Awaiting,
    pub overdue: bool,
    pub due_soon: bool,
    /// Routed and not taken into custody for longer than allowed.
    pub delivery_late: bool,
    /// Which date the overdue and due-soon marks count from: `legal`,
    /// `internal` (the routing's) or `target` (the registrar's).
    pub due_kind: Option<&'static str>,
}

/// The marks of a line for its viewer, today.
pub fn tray_line(
    line: Line,
    v: &Viewer,
    alerts: Alerts,
    today: Date,
    now: OffsetDateTime,
) -> TrayLine {
    let mine = v.addressed_by(line.to_unit.as_deref(), line.to_user_id);
    let awaiting = match (&line.routing_id, &line.purpose, line.delivered_at) {
        (None, _, _) => Awaiting::Route,
        (Some(_), _, None) if mine => Awaiting::Deliver,
        (Some(_), Some(p), _) if p == Purpose::Action.code() => Awaiting::Act,
        _ => Awaiting::Info,
    };
    let due = line.effective_due();
    let due_kind = due.map(|d| {
        if line.internal_due == Some(d) && line.due_date != Some(d) {
            "internal"
        } else if line.due_date == Some(d) {
            "legal"
        } else {
            "target"
        }
    });
    TrayLine {
        overdue: due.is_some_and(|d| d < today),
        due_soon: due
            .is_some_and(|d| d >= today && d <= today + time::Duration::days(alerts.due_soon_days)),
        delivery_late: line.delivered_at.is_none()
            && line
                .routed_at
                .is_some_and(|t| now - t > alerts.delivery_alert),
        awaiting,
        due_kind,
        line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authority::{Deputyship, FactSet, Holding, Period};
    use time::macros::{date, datetime};

    const AT: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);
    const FOREVER: Period = Period {
        from: datetime!(2020-01-01 00:00 UTC),
        until: datetime!(2100-01-01 00:00 UTC),
    };

    /// id, username, position, staff kind
    const PEOPLE: &[(i64, &str, &str, &str)] = &[
        (1, "mudur", "mudur", "memur"),
        (2, "sef.bt", "sef_bt", "memur"),
        (3, "memur.bt", "personel_bt", "memur"),
        (4, "sef.teknik", "sef_teknik", "memur"),
        (5, "memur.kalem", "personel_kalem", "memur"),
        (6, "memur.teknik", "personel_teknik", "memur"),
        (7, "baskan", "baskan", "memur"),
    ];

    fn user(id: i64) -> User {
        let (_, name, _, _) = PEOPLE.iter().find(|p| p.0 == id).unwrap();
        User {
            id,
            username: (*name).into(),
            display_name: (*name).into(),
            is_admin: false,
        }
    }

    fn facts() -> FactSet {
        let mut f = FactSet::default();
        for (id, _, position, kind) in PEOPLE {
            f.hold(Holding {
                user: *id,
                position: (*position).into(),
                staff_kind: (*kind).into(),
                period: FOREVER,
            });
        }
        f
    }

    fn routing(
        id: i64,
        to_unit: Option<&str>,
        to_user: Option<i64>,
        purpose: &str,
        delivered: bool,
    ) -> Routing {
        Routing {
            id,
            parent_id: None,
            routed_by: "mudur".into(),
            routed_by_name: "Müdür".into(),
            routed_at: AT,
            basis: String::new(),
            to_unit: to_unit.map(str::to_owned),
            to_user: None,
            to_user_name: None,
            to_user_id: to_user,
            purpose: purpose.into(),
            note: String::new(),
            internal_due: None,
            delivered_at: delivered.then_some(AT),
            delivered_by: None,
            delivered_by_name: None,
        }
    }

    fn doc(state: State, routings: Vec<Routing>) -> Document {
        Document {
            id: 1,
            register: "incoming".into(),
            number: "2026/1".into(),
            seq: 1,
            period: "2026".into(),
            registered_at: AT,
            registered_by: "memur.kalem".into(),
            registered_by_name: "Ümit Koç".into(),
            registered_by_id: 5,
            channel: "hand".into(),
            sender_kind: "person".into(),
            sender_name: "Ali".into(),
            sender_id: None,
            sender_foreign_id: None,
            sender_ref: String::new(),
            sender_date: None,
            subject: "Yazıcı arızası".into(),
            file_code: "010.06".into(),
            secondary_codes: vec![],
            confidentiality: "YOK".into(),
            urgency: "NRM".into(),
            urgent_date: None,
            personal_data: false,
            received_on: date!(2026 - 03 - 10),
            legal_basis: "dilekce".into(),
            due_date: Some(date!(2026 - 04 - 09)),
            target_date: None,
            delivered_by: String::new(),
            received_by: String::new(),
            received_at: None,
            state,
            closed_at: None,
            closed_by: None,
            closed_by_name: None,
            closing: None,
            closing_note: None,
            answer_ref: None,
            extension_ref: None,
            extension_reason: None,
            extension_notice_date: None,
            attachments: vec![],
            routings,
        }
    }

    fn to_user(u: i64) -> Target {
        Target {
            to_unit: None,
            to_user: Some(u),
            purpose: Purpose::Action,
            internal_due: None,
        }
    }
    fn to_unit(u: &str) -> Target {
        Target {
            to_unit: Some(u.into()),
            to_user: None,
            purpose: Purpose::Action,
            internal_due: None,
        }
    }

    fn viewer(f: &FactSet, u: i64) -> Viewer {
        Viewer::of(&Profile::builtin().unwrap(), f, u, AT)
    }

    /// Who may route what, as a table (m.20/1-c, m.21/1, m.13).
    #[test]
    fn routing_follows_the_articles() {
        let p = Profile::builtin().unwrap();
        let f = facts();
        let fresh = doc(State::Registered, vec![]);
        let at_bt = doc(
            State::Routed,
            vec![routing(7, Some("bt"), None, "action", true)],
        );
        let closed = doc(
            State::Closed,
            vec![routing(7, Some("bt"), None, "action", true)],
        );
        let cases: &[(
            &str,
            i64,
            &Document,
            Vec<Target>,
            Result<Option<i64>, Refusal>,
        )] = &[
            (
                "m.20/1-c: the Müdür routes a new document to a section",
                1,
                &fresh,
                vec![to_unit("bt")],
                Ok(None),
            ),
            (
                "m.20/1-c: …or to a person anywhere",
                1,
                &fresh,
                vec![to_user(6)],
                Ok(None),
            ),
            (
                "m.20/1-c: a Şef cannot route what the Müdür has not",
                2,
                &fresh,
                vec![to_user(3)],
                Err(Refusal::Forbidden("route_incoming".into())),
            ),
            (
                "m.13: a Şef re-routes within his section, under the Müdür's routing",
                2,
                &at_bt,
                vec![to_user(3)],
                Ok(Some(7)),
            ),
            (
                "m.13: …but not outside it",
                2,
                &at_bt,
                vec![to_user(6)],
                Err(Refusal::Conflict(Code::TargetOutsideSection)),
            ),
            (
                "m.13: …nor to a unit",
                2,
                &at_bt,
                vec![to_unit("teknik")],
                Err(Refusal::Conflict(Code::TargetOutsideSection)),
            ),
            (
                "m.13: another section's Şef has nothing to re-route",
                4,
                &at_bt,
                vec![to_user(6)],
                Err(Refusal::Forbidden("route_incoming".into())),
            ),
            (
                "m.15: staff do not route",
                3,
                &at_bt,
                vec![to_user(3)],
                Err(Refusal::Forbidden("route_incoming".into())),
            ),
            (
                "a closed document is not routed again",
                1,
                &closed,
                vec![to_unit("bt")],
                Err(Refusal::Conflict(Code::AlreadyClosed)),
            ),
            (
                "m.20/1-c: never up to the Mayor",
                1,
                &fresh,
                vec![to_user(7)],
                Err(Refusal::Invalid {
                    field: "user",
                    code: Code::OutsideDirectorate,
                }),
            ),
            (
                "m.20/1-c: nor to a unit above the directorate",
                1,
                &fresh,
                vec![to_unit("belediye")],
                Err(Refusal::Invalid {
                    field: "unit",
                    code: Code::OutsideDirectorate,
                }),
            ),
            (
                "the same section twice in one routing",
                1,
                &fresh,
                vec![to_unit("bt"), to_unit("bt")],
                Err(Refusal::Invalid {
                    field: "targets",
                    code: Code::DuplicateTarget,
                }),
            ),
            (
                "routed there for action already",
                1,
                &at_bt,
                vec![to_unit("bt")],
                Err(Refusal::Conflict(Code::AlreadyRouted)),
            ),
        ];
        for (rule, actor, d, targets, expected) in cases {
            let got = route(&p, &f, &user(*actor), d, targets, AT).map(|r| r.parent);
            assert_eq!(&got, expected, "{rule}");
        }
        // m.12/2: the Müdür's deputy routes as the Müdür, on the deputyship.
        let mut f = facts();
        f.deputise(Deputyship {
            id: 9,
            deputy: 2,
            for_user: 1,
            period: FOREVER,
            approval_ref: "Olur".into(),
            revoked_at: None,
        });
        let r = route(&p, &f, &user(2), &fresh, &[to_unit("teknik")], AT).unwrap();
        assert!(matches!(
            r.grant.authority_basis(),
            Some(Basis::Deputyship { id: 9, .. })
        ));
    }

    /// Delivery, closing and extension (m.16/1, m.21/1): the recipient for
    /// action takes delivery, then acts; the Müdür may always close.
    #[test]
    fn delivery_and_closing() {
        let p = Profile::builtin().unwrap();
        let f = facts();
        let undelivered = doc(
            State::Routed,
            vec![routing(7, Some("bt"), None, "action", false)],
        );
        let delivered = doc(
            State::Routed,
            vec![routing(7, Some("bt"), None, "action", true)],
        );
        let for_info = doc(
            State::Routed,
            vec![routing(7, Some("bt"), None, "info", true)],
        );
        let to_person = doc(
            State::Routed,
            vec![routing(8, None, Some(3), "action", false)],
        );
        // (rule, actor, document, deliver, close)
        let cases: &[(
            &str,
            i64,
            &Document,
            Result<Vec<i64>, Refusal>,
            Result<(), Refusal>,
        )] = &[
            (
                "the Şef of the unit takes delivery; he may not close before it",
                2,
                &undelivered,
                Ok(vec![7]),
                Err(Refusal::Conflict(Code::NotDelivered)),
            ),
            (
                "once delivered, the unit's Şef closes it",
                2,
                &delivered,
                Err(Refusal::Conflict(Code::AlreadyDelivered)),
                Ok(()),
            ),
            (
                "a routing for information gives no right to close",
                2,
                &for_info,
                Err(Refusal::Conflict(Code::AlreadyDelivered)),
                Err(Refusal::Forbidden("incoming_recipient".into())),
            ),
            (
                "a stranger neither takes delivery nor closes",
                4,
                &delivered,
                Err(Refusal::Forbidden("incoming_recipient".into())),
                Err(Refusal::Forbidden("incoming_recipient".into())),
            ),
            (
                "a person routed to takes delivery himself",
                3,
                &to_person,
                Ok(vec![8]),
                Err(Refusal::Conflict(Code::NotDelivered)),
            ),
            (
                "m.20/1-c: the Müdür may close whatever is routed",
                1,
                &undelivered,
                Err(Refusal::Forbidden("incoming_recipient".into())),
                Ok(()),
            ),
        ];
        for (rule, actor, d, deliver, closing) in cases {
            let v = viewer(&f, *actor);
            assert_eq!(
                &take_delivery(&user(*actor), d, &v).map(|(_, ids)| ids),
                deliver,
                "{rule}: delivery"
            );
            assert_eq!(
                &close(&p, &f, &user(*actor), d, &v, AT).map(|_| ()),
                closing,
                "{rule}: closing"
            );
        }
        let v = viewer(&f, 1);
        assert_eq!(
            close(&p, &f, &user(1), &doc(State::Registered, vec![]), &v, AT),
            Err(Refusal::Conflict(Code::NotRouted))
        );
        assert_eq!(
            close(
                &p,
                &f,
                &user(1),
                &doc(
                    State::Closed,
                    vec![routing(7, Some("bt"), None, "action", true)]
                ),
                &v,
                AT
            ),
            Err(Refusal::Conflict(Code::AlreadyClosed))
        );
    }

    /// Visibility of restricted documents, as a matrix.
    #[test]
    fn restricted_documents_are_seen_by_their_recipients_the_mudur_and_the_registrar() {
        let f = facts();
        let mut d = doc(
            State::Routed,
            vec![routing(7, Some("bt"), None, "action", true)],
        );
        d.confidentiality = "GZL".into();
        // (user, sees)
        for (u, sees, who) in [
            (1, true, "the Müdür"),
            (2, true, "the Şef of the unit routed to"),
            (3, false, "staff of that unit"),
            (4, false, "another Şef"),
            (5, true, "the registrar"),
            (6, false, "anyone else"),
        ] {
            assert_eq!(may_see_document(&d, &viewer(&f, u)), sees, "{who}");
        }
        d.confidentiality = "YOK".into();
        assert!(
            may_see_document(&d, &viewer(&f, 6)),
            "an ordinary document is seen by all"
        );
        d.personal_data = true;
        assert!(
            !may_see_document(&d, &viewer(&f, 6)),
            "personal data restricts it"
        );
    }

    #[test]
    fn pages_offer_only_what_the_rules_allow() {
        let p = Profile::builtin().unwrap();
        let f = facts();
        let fresh = doc(State::Registered, vec![]);
        let a = actions(&p, &f, &user(1), &fresh, &viewer(&f, 1), AT);
        assert!(
            a.route && !a.deliver && !a.close,
            "the Müdür routes a new document: {a:?}"
        );
        let a = actions(&p, &f, &user(2), &fresh, &viewer(&f, 2), AT);
        assert_eq!(a, Actions::default(), "a Şef has nothing to do with it yet");
        let at_bt = doc(
            State::Routed,
            vec![routing(7, Some("bt"), None, "action", false)],
        );
        let a = actions(&p, &f, &user(2), &at_bt, &viewer(&f, 2), AT);
        assert!(
            a.route && a.deliver && !a.close,
            "the BT Şef takes delivery and may re-route: {a:?}"
        );
        let a = actions(&p, &f, &user(3), &at_bt, &viewer(&f, 3), AT);
        assert_eq!(a, Actions::default(), "BT staff see no button");
    }
}
