//! Outgoing letters: who initials and who signs (the approval chain, from
//! the regulation profile), and the official number.
//!
//! - m.15/3: staff write what their superiors ask for; a Memur initials it
//!   (`initial_document`).
//! - m.20/2-a: a letter to another directorate is signed by the Müdür
//!   (`sign_internal`).
//! - m.20/3: a letter to an outside body is initialled by the Müdür and the
//!   Deputy Mayor (`initial_external`) and signed by the Mayor, or by the
//!   Deputy Mayor he authorises (`sign_external`, delegable).
//!
//! The chain walks up the writer's reporting line: each superior initials
//! with the first of the kind's initialling authorities he holds, until
//! one holds the kind's signing authority and signs.

use crate::profile::Profile;

/// Whom a letter goes to, which decides its chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterKind {
    /// To another directorate of the municipality.
    Internal,
    /// To an outside body (an institution with a DETSİS number, a person,
    /// a company).
    External,
}

impl LetterKind {
    pub fn code(self) -> &'static str {
        match self {
            LetterKind::Internal => "internal",
            LetterKind::External => "external",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "internal" => Some(LetterKind::Internal),
            "external" => Some(LetterKind::External),
            _ => None,
        }
    }

    /// The authority that signs, and those that initial on the way up,
    /// best first.
    fn authorities(self) -> (&'static str, &'static [&'static str]) {
        match self {
            LetterKind::Internal => ("sign_internal", &["initial_document"]),
            LetterKind::External => ("sign_external", &["initial_external", "initial_document"]),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepAction {
    /// Paraf.
    Initial,
    /// İmza.
    Sign,
}

impl StepAction {
    pub fn code(self) -> &'static str {
        match self {
            StepAction::Initial => "initial",
            StepAction::Sign => "sign",
        }
    }
}

/// One step of the chain: the position whose holder (or deputy, or
/// delegate) acts, what he does and on which authority.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    pub position: String,
    pub action: StepAction,
    pub authority: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("unknown position `{0}`")]
    UnknownPosition(String),
    #[error("no one up the reporting line from `{0}` signs this kind of letter")]
    NoSigner(String),
}

/// Whether `position` (held by someone of `staff_kind`) holds `authority`
/// by the profile.
fn holds(profile: &Profile, position: &str, staff_kind: Option<&str>, authority: &str) -> bool {
    profile.authority(authority).is_some_and(|a| {
        a.holders.iter().any(|h| h == position)
            && (a.staff_kinds.is_empty()
                || staff_kind.is_none_or(|k| a.staff_kinds.iter().any(|s| s == k)))
    })
}

/// The approval chain of a letter written by the holder of
/// `writer_position` (of `staff_kind`). The writer initials first when
/// his position and kind hold an initialling authority (m.15/3: a
/// Memur); a writer who signs this kind himself has a chain of one step.
pub fn approval_chain(
    profile: &Profile,
    writer_position: &str,
    staff_kind: &str,
    kind: LetterKind,
) -> Result<Vec<Step>, ChainError> {
    let (sign, initials) = kind.authorities();
    let mut steps = Vec::new();
    let mut position = profile
        .position(writer_position)
        .ok_or_else(|| ChainError::UnknownPosition(writer_position.into()))?;
    let mut first = true;
    for _ in 0..32 {
        let kind_of = if first { Some(staff_kind) } else { None };
        if holds(profile, &position.id, kind_of, sign) {
            steps.push(Step {
                position: position.id.clone(),
                action: StepAction::Sign,
                authority: sign.into(),
            });
            return Ok(steps);
        }
        if let Some(a) = initials
            .iter()
            .find(|a| holds(profile, &position.id, kind_of, a))
        {
            steps.push(Step {
                position: position.id.clone(),
                action: StepAction::Initial,
                authority: (*a).into(),
            });
        }
        first = false;
        let Some(up) = position.reports_to.as_deref() else {
            break;
        };
        position = profile
            .position(up)
            .ok_or_else(|| ChainError::UnknownPosition(up.into()))?;
    }
    Err(ChainError::NoSigner(writer_position.into()))
}

/// The official number of a signed letter:
/// `E-<8-digit DETSİS number of the unit>-<SDP code>-<sequence>`.
pub fn letter_number(detsis: &str, file_code: &str, seq: i64) -> String {
    format!("E-{detsis}-{file_code}-{seq}")
}

/// Whether `s` is a DETSİS number (8 digits).
pub fn is_detsis(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------
// The letter and its life (m.15/3, m.20/2-3, m.21/2).

use time::{Date, OffsetDateTime};

use crate::account::User;
use crate::authority::{self, Basis, Facts, Grant};
use crate::code::{Code, Refusal};
use crate::correspondence::Confidentiality;

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// Where a letter is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LetterState {
    Draft,
    InApproval,
    /// Sent back to the writer, with a note.
    Returned,
    /// Refused for good.
    Rejected,
    /// Numbered and dated at the signature.
    Signed,
    /// Handed over by the Kalem (m.21/2).
    Dispatched,
}

impl LetterState {
    pub fn code(self) -> &'static str {
        match self {
            LetterState::Draft => "draft",
            LetterState::InApproval => "in_approval",
            LetterState::Returned => "returned",
            LetterState::Rejected => "rejected",
            LetterState::Signed => "signed",
            LetterState::Dispatched => "dispatched",
        }
    }
    pub fn parse(s: &str) -> Option<LetterState> {
        [
            LetterState::Draft,
            LetterState::InApproval,
            LetterState::Returned,
            LetterState::Rejected,
            LetterState::Signed,
            LetterState::Dispatched,
        ]
        .into_iter()
        .find(|st| st.code() == s)
    }
    /// Going up its chain.
    pub fn in_chain(self) -> bool {
        matches!(self, LetterState::Draft | LetterState::InApproval)
    }
    pub fn is_signed(self) -> bool {
        matches!(self, LetterState::Signed | LetterState::Dispatched)
    }
}

/// A recipient: addressed (`muhatap`) or on the distribution list
/// (`action`: gereği, `info`: bilgi).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Recipient {
    pub role: String,
    /// institution (with DETSİS), directorate, person, company
    pub kind: String,
    pub name: String,
    pub detsis: Option<String>,
    pub address: String,
    /// The muhatap line as printed ("FEN İŞLERİ MÜDÜRLÜĞÜNE"): suggested
    /// from the name by `domain::muhatap`, correctable by the writer.
    pub line: String,
}

/// A reference (ilgi): an earlier letter, or an incoming document this
/// letter answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct LetterRef {
    pub text: String,
    pub incoming_id: Option<i64>,
}

/// One step of a letter's chain, with who acted and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct LetterStep {
    pub ord: i64,
    pub position: String,
    /// initial (paraf) or sign (imza)
    pub action: String,
    pub authority: String,
    pub done_by: Option<String>,
    pub done_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub done_at: Option<OffsetDateTime>,
    pub basis: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct LetterAttachment {
    pub sha256: String,
    pub name: String,
    pub size: i64,
    pub content_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Letter {
    pub id: i64,
    /// internal or external
    pub kind: String,
    pub state: LetterState,
    pub version: i64,
    pub writer: String,
    pub writer_name: String,
    #[serde(skip)]
    pub writer_id: i64,
    pub writer_position: String,
    pub unit: String,
    pub heading: String,
    pub subject: String,
    pub body: String,
    pub file_code: String,
    pub confidentiality: String,
    pub urgency: String,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub urgent_date: Option<Date>,
    pub personal_data: bool,
    pub contact: String,
    /// Why it was returned or rejected.
    pub note: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub number: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub signed_at: Option<OffsetDateTime>,
    #[serde(skip)]
    pub signed_by_id: Option<i64>,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub sign_basis: Option<String>,
    /// SHA-256 of the content as signed: what an e-imza signs.
    pub content_sha256: Option<String>,
    /// The code its printed copy carries, which `/dogrula` answers
    /// (belge doğrulama); given at the signature.
    pub verification_code: Option<String>,
    /// Who sent it back (iade or ret), and when; the reason is `note`.
    pub returned_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub returned_at: Option<OffsetDateTime>,
    /// When and how the Kalem sent it (m.21/2), by whom, and the receipt
    /// or courier reference.
    #[serde(with = "time::serde::rfc3339::option")]
    pub dispatched_at: Option<OffsetDateTime>,
    pub dispatched_by_name: Option<String>,
    pub dispatch_channel: Option<String>,
    pub dispatch_ref: Option<String>,
    pub recipients: Vec<Recipient>,
    pub refs: Vec<LetterRef>,
    pub steps: Vec<LetterStep>,
    pub attachments: Vec<LetterAttachment>,
}

impl Letter {
    /// The step waiting for its holder, while the letter is in its chain.
    pub fn current_step(&self) -> Option<&LetterStep> {
        if !self.state.in_chain() {
            return None;
        }
        self.steps.iter().find(|s| s.done_by.is_none())
    }

    pub fn is_restricted(&self) -> bool {
        self.personal_data
            || Confidentiality::parse(&self.confidentiality).is_none_or(|c| c.is_restricted())
    }

    pub fn kind(&self) -> LetterKind {
        LetterKind::parse(&self.kind).unwrap_or(LetterKind::External)
    }
}

/// What the holder of the current step decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepDecision {
    Approve,
    /// Back to the writer, with a note; the initials are dropped.
    Return(String),
    /// Refused for good, with a note.
    Reject(String),
}

/// The writer's appointment now: (position, staff kind); a writer without
/// one cannot write for the directorate.
pub fn writer_holding(
    facts: &dyn Facts,
    writer: i64,
    at: OffsetDateTime,
) -> Result<(String, String), Refusal> {
    facts
        .holdings(writer)
        .iter()
        .find(|h| h.period.contains(at))
        .map(|h| (h.position.clone(), h.staff_kind.clone()))
        .ok_or(Refusal::Conflict(Code::NoPosition))
}

/// A new letter's chain and its writer's grant (m.15/3: staff write what
/// their superiors ask for).
pub fn draft(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    kind: LetterKind,
    at: OffsetDateTime,
) -> Result<(Grant, String, Vec<Step>), Refusal> {
    let (position, staff_kind) = writer_holding(facts, actor.id, at)?;
    let chain = approval_chain(profile, &position, &staff_kind, kind)
        .map_err(|_| Refusal::Conflict(Code::NoSigner))?;
    Ok((Grant::rule(actor, "m.15/3", &position), position, chain))
}

/// The writer edits his letter (before it is signed): the initials so far
/// are dropped and it starts its chain again. `version` is the one he
/// edited; a stale edit is refused.
pub fn edit(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    l: &Letter,
    version: i64,
    kind: LetterKind,
    at: OffsetDateTime,
) -> Result<(Grant, String, Vec<Step>), Refusal> {
    if l.writer_id != actor.id {
        return Err(Refusal::Forbidden("writer".into()));
    }
    if !matches!(
        l.state,
        LetterState::Draft | LetterState::InApproval | LetterState::Returned
    ) {
        return Err(Refusal::Conflict(Code::NotEditable));
    }
    if l.version != version {
        return Err(Refusal::Conflict(Code::LetterChanged));
    }
    draft(profile, facts, actor, kind, at)
}

/// Whether `basis` lets its holder act on `step` (of a letter written by
/// `writer`): by the step's position, as its deputy, or (a signature) as
/// the signer's delegate. The writer's own initial is his alone.
fn basis_fits(
    step: &LetterStep,
    basis: &Basis,
    actor: i64,
    writer: i64,
    writer_position: &str,
) -> bool {
    if step.ord == 0
        && step.position == writer_position
        && step.action == StepAction::Initial.code()
    {
        return actor == writer;
    }
    match basis {
        Basis::Position { position, .. } | Basis::Deputyship { position, .. } => {
            position == &step.position
        }
        Basis::Delegation { .. } => step.action == StepAction::Sign.code(),
    }
}

/// The grant with which `actor` acts on `step`, if he may.
fn grant_for_step(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    l: &Letter,
    step: &LetterStep,
    at: OffsetDateTime,
) -> Option<Grant> {
    let g = authority::grant_id(profile, facts, actor, &step.authority, at).ok()?;
    let basis = g.authority_basis()?;
    basis_fits(step, basis, actor.id, l.writer_id, &l.writer_position).then_some(g)
}

/// What a decision on the current step came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub grant: Grant,
    /// The step decided on.
    pub step: LetterStep,
    pub state: LetterState,
    /// `outgoing.initialled`, `outgoing.signed`, `outgoing.returned`, `outgoing.rejected`.
    pub action: &'static str,
}

/// The holder of the current step (or his deputy or delegate) approves,
/// returns or rejects (m.15/3, m.20/2-a, m.20/3). Out of turn: a later
/// signer is told the initials are missing, a later initialler that it is
/// not his turn; a stranger is refused the step's authority.
pub fn decide(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    l: &Letter,
    version: Option<i64>,
    decision: &StepDecision,
    at: OffsetDateTime,
) -> Result<Decided, Refusal> {
    if version.is_some_and(|v| v != l.version) {
        return Err(Refusal::Conflict(Code::LetterChanged));
    }
    let Some(step) = l.current_step().cloned() else {
        return Err(Refusal::Conflict(if l.state.is_signed() {
            Code::AlreadySigned
        } else {
            Code::NotInApproval
        }));
    };
    let Some(grant) = grant_for_step(profile, facts, actor, l, &step, at) else {
        for later in l.steps.iter().filter(|s| s.ord > step.ord) {
            if grant_for_step(profile, facts, actor, l, later, at).is_some() {
                return Err(Refusal::Conflict(
                    if later.action == StepAction::Sign.code() {
                        Code::InitialsMissing
                    } else {
                        Code::NotYourTurn
                    },
                ));
            }
        }
        return Err(Refusal::Forbidden(step.authority.clone()));
    };
    let (state, action) = match decision {
        StepDecision::Return(_) | StepDecision::Reject(_) if step.ord == 0 => {
            return Err(Refusal::Conflict(Code::OwnStep))
        }
        StepDecision::Return(_) => (LetterState::Returned, "outgoing.returned"),
        StepDecision::Reject(_) => (LetterState::Rejected, "outgoing.rejected"),
        StepDecision::Approve if step.action == StepAction::Sign.code() => {
            (LetterState::Signed, "outgoing.signed")
        }
        StepDecision::Approve => (LetterState::InApproval, "outgoing.initialled"),
    };
    Ok(Decided {
        grant,
        step,
        state,
        action,
    })
}

/// The signature block of a letter signed now on `grant` (Resmî Yazışma
/// Yönetmeliği m.17/2, /9, /10, through `domain::signature`): the signer's
/// name, then the title of the step's office, "… V." for a deputy
/// (vekâleten, m.12/2 of our regulation), "… a." with the delegate's own
/// title under it for a delegate (yetki devri, m.10/4, m.20/3).
pub fn signature_block(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    step: &LetterStep,
    grant: &Grant,
    at: OffsetDateTime,
) -> Vec<String> {
    use crate::signature::{block, Capacity, Signer};
    let office = profile
        .position(&step.position)
        .map_or(step.position.clone(), |p| p.name.clone());
    let own = facts
        .holdings(actor.id)
        .iter()
        .find(|h| h.period.contains(at))
        .and_then(|h| profile.position(&h.position))
        .map_or_else(|| office.clone(), |p| p.name.clone());
    let capacity = match grant.authority_basis() {
        Some(Basis::Deputyship { .. }) => Capacity::Deputy {
            for_title: office.clone(),
        },
        Some(Basis::Delegation { .. }) => Capacity::Delegate {
            for_title: office.clone(),
        },
        _ => Capacity::Holder,
    };
    let title = if matches!(capacity, Capacity::Holder) {
        office.clone()
    } else {
        own
    };
    let signer = Signer {
        name: crate::muhatap::PersonName::from_full(&actor.display_name),
        title,
        prefix: String::new(),
    };
    // The "… a." line is always written: a signature under delegation
    // says so, inside the municipality too (the safe reading of m.17/9).
    block(&signer, &capacity, false)
        .map(|b| b.lines)
        .unwrap_or_else(|_| vec![actor.display_name.clone(), office])
}

/// The Kalem hands a signed letter over (m.21/2, m.16/1), by a channel
/// its confidentiality allows.
pub fn dispatch(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    l: &Letter,
    channel: &str,
    policy: &crate::correspondence::DispatchPolicy,
    at: OffsetDateTime,
) -> Result<Grant, Refusal> {
    let grant = authority::grant(
        profile,
        facts,
        actor,
        authority::Authority::RegisterCorrespondence,
        at,
    )?;
    match l.state {
        LetterState::Signed => {}
        LetterState::Dispatched => return Err(Refusal::Conflict(Code::AlreadyDispatched)),
        _ => return Err(Refusal::Conflict(Code::NotSigned)),
    }
    // Resmî Yazışma Yönetmeliği m.25/1, m.31/3: a classified letter does
    // not leave by e-mail or KEP (`correspondence::may_dispatch`).
    let level = Confidentiality::parse(&l.confidentiality).unwrap_or(Confidentiality::Secret);
    let ch = crate::correspondence::Channel::parse(channel).ok_or(Refusal::Invalid {
        field: "channel",
        code: Code::BadChannel,
    })?;
    crate::correspondence::may_dispatch(level, ch, policy).map_err(|r| Refusal::Invalid {
        field: "channel",
        code: Code::of(r.code),
    })?;
    Ok(grant)
}

/// Only the signer keeps his e-imza over the signed letter.
pub fn add_signature(actor: &User, l: &Letter) -> Result<Grant, Refusal> {
    if l.content_sha256.is_none() {
        return Err(Refusal::Conflict(Code::NotSigned));
    }
    if l.signed_by_id != Some(actor.id) {
        return Err(Refusal::Forbidden("signer".into()));
    }
    Ok(Grant::rule(actor, "m.20", "signer"))
}

/// Who may see a letter: anyone, unless it is classified (GZL/CGZ) or
/// holds personal data; then its writer, whoever acted on its chain or
/// holds a step's position now (or stands in for its signer), and the
/// acting Müdür.
pub fn may_see(
    profile: &Profile,
    facts: &dyn Facts,
    reader: &User,
    routes: bool,
    l: &Letter,
    at: OffsetDateTime,
) -> bool {
    let positions: Vec<&str> = facts
        .holdings(reader.id)
        .iter()
        .filter(|h| h.period.contains(at))
        .map(|h| h.position.as_str())
        .collect();
    // The directorate's correspondence is for its people (someone holding a
    // post of the profile now) and the administrator; an account of
    // another unit (a service desk requester) sees only what it wrote.
    let member = reader.is_admin || !positions.is_empty();
    if l.writer_id == reader.id || (member && (!l.is_restricted() || routes)) {
        return true;
    }
    if !member {
        return false;
    }
    l.steps.iter().any(|s| {
        s.done_by.as_deref() == Some(reader.username.as_str())
            || positions.contains(&s.position.as_str())
            || (s.action == StepAction::Sign.code()
                && authority::authorize(profile, facts, reader.id, &s.authority, at).allowed())
    })
}

/// What the reader may do with a letter now: the buttons a page shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct LetterActions {
    /// Initial or sign the current step.
    pub approve: bool,
    /// Return it to the writer, or reject it (not on one's own step).
    pub send_back: bool,
    pub edit: bool,
    pub dispatch: bool,
    /// Keep an e-imza file.
    pub esign: bool,
}

pub fn actions(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    l: &Letter,
    at: OffsetDateTime,
) -> LetterActions {
    let approve = decide(profile, facts, actor, l, None, &StepDecision::Approve, at).is_ok();
    let send_back = decide(
        profile,
        facts,
        actor,
        l,
        None,
        &StepDecision::Return(String::new()),
        at,
    )
    .is_ok();
    let edit = l.writer_id == actor.id
        && matches!(
            l.state,
            LetterState::Draft | LetterState::InApproval | LetterState::Returned
        );
    let dispatch = dispatch(profile, facts, actor, l, "hand", &Default::default(), at).is_ok();
    let esign = add_signature(actor, l).is_ok();
    LetterActions {
        approve,
        send_back,
        edit,
        dispatch,
        esign,
    }
}

/// Belge doğrulama (issue 17 §4): the code a signed letter's printed copy
/// carries. Twelve characters of an alphabet without the look-alikes
/// (0/O, 1/I): 60 bits of chance, so codes are not guessed, and the
/// public page counts wrong tries against the address besides.
pub const VERIFICATION_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A verification code from eight random bytes.
pub fn verification_code(random: [u8; 8]) -> String {
    let mut n = u64::from_le_bytes(random);
    (0..12)
        .map(|_| {
            let c = VERIFICATION_ALPHABET[(n & 31) as usize] as char;
            n >>= 5;
            c
        })
        .collect()
}

/// A code as typed ("abcd-efgh 2345", with o for 0 and i/l for 1 mapped
/// to what the alphabet has none of), or `None` when it cannot be one.
pub fn normalise_code(s: &str) -> Option<String> {
    let code: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == 12 && code.bytes().all(|b| VERIFICATION_ALPHABET.contains(&b))).then_some(code)
}

/// The code as printed: three groups of four.
pub fn code_display(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(writer: &str, kind: &str, letter: LetterKind) -> Vec<(String, &'static str)> {
        let p = Profile::builtin().unwrap();
        approval_chain(&p, writer, kind, letter)
            .unwrap()
            .into_iter()
            .map(|s| (s.position, s.action.code()))
            .collect()
    }

    fn steps(v: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        v.iter().map(|(p, a)| (p.to_string(), *a)).collect()
    }

    /// The chains as a table, from m.15/3, m.20/2-a and m.20/3.
    #[test]
    fn chains_follow_the_articles() {
        // To another directorate: writer (paraf) → Şef (paraf) → Müdür (imza).
        assert_eq!(
            chain("personel_bt", "memur", LetterKind::Internal),
            steps(&[
                ("personel_bt", "initial"),
                ("sef_bt", "initial"),
                ("mudur", "sign")
            ])
        );
        assert_eq!(
            chain("personel_kalem", "memur", LetterKind::Internal),
            steps(&[
                ("personel_kalem", "initial"),
                ("sef_kalem", "initial"),
                ("mudur", "sign")
            ])
        );
        // To an outside body: … → Müdür (paraf) → Başkan Yardımcısı (paraf) → Başkan (imza).
        assert_eq!(
            chain("personel_bt", "memur", LetterKind::External),
            steps(&[
                ("personel_bt", "initial"),
                ("sef_bt", "initial"),
                ("mudur", "initial"),
                ("baskan_yardimcisi", "initial"),
                ("baskan", "sign")
            ])
        );
        // A Şef who writes initials it himself.
        assert_eq!(
            chain("sef_cbs", "memur", LetterKind::Internal),
            steps(&[("sef_cbs", "initial"), ("mudur", "sign")])
        );
        // The Müdür signs his own letter to another directorate.
        assert_eq!(
            chain("mudur", "memur", LetterKind::Internal),
            steps(&[("mudur", "sign")])
        );
        assert_eq!(
            chain("mudur", "memur", LetterKind::External),
            steps(&[
                ("mudur", "initial"),
                ("baskan_yardimcisi", "initial"),
                ("baskan", "sign")
            ])
        );
        // m.15/3: an İşçi writes, but a Memur initials: his own step is left out.
        assert_eq!(
            chain("personel_teknik", "isci", LetterKind::Internal),
            steps(&[("sef_teknik", "initial"), ("mudur", "sign")])
        );
    }

    #[test]
    fn numbers_and_detsis() {
        assert_eq!(
            letter_number("12345678", "010.06", 42),
            "E-12345678-010.06-42"
        );
        assert!(is_detsis("12345678"));
        assert!(!is_detsis("1234567") && !is_detsis("1234567a") && !is_detsis("123456789"));
        let p = Profile::builtin().unwrap();
        assert_eq!(
            approval_chain(&p, "yok", "memur", LetterKind::Internal),
            Err(ChainError::UnknownPosition("yok".into()))
        );
    }

    /// The decisions along the chain, as a table (m.15/3, m.20/2-a,
    /// m.20/3): who may act on which step, and what a stranger or someone
    /// out of turn is told.
    #[test]
    fn decisions_follow_the_chain() {
        use crate::authority::{Delegation, Deputyship, FactSet, Holding, Period};
        use time::macros::datetime;
        let p = Profile::builtin().unwrap();
        let at = datetime!(2026-03-10 09:00 UTC);
        let forever = Period {
            from: datetime!(2020-01-01 00:00 UTC),
            until: datetime!(2100-01-01 00:00 UTC),
        };
        let people = [
            (1, "baskan"),
            (2, "baskan_yardimcisi"),
            (3, "mudur"),
            (5, "sef_bt"),
            (10, "personel_bt"),
            (7, "sef_cbs"),
        ];
        let mut f = FactSet::default();
        for (u, pos) in people {
            f.hold(Holding {
                user: u,
                position: pos.into(),
                staff_kind: "memur".into(),
                period: forever,
            });
        }
        let user = |id: i64| User {
            id,
            username: format!("u{id}"),
            display_name: format!("U{id}"),
            is_admin: false,
        };
        let letter = |kind: LetterKind, done: usize| {
            let chain = approval_chain(&p, "personel_bt", "memur", kind).unwrap();
            Letter {
                id: 1,
                kind: kind.code().into(),
                state: if done == 0 {
                    LetterState::Draft
                } else {
                    LetterState::InApproval
                },
                version: 1,
                writer: "u10".into(),
                writer_name: "U10".into(),
                writer_id: 10,
                writer_position: "personel_bt".into(),
                unit: "bt".into(),
                heading: String::new(),
                subject: "Konu".into(),
                body: "Metin".into(),
                file_code: "010.06".into(),
                confidentiality: "YOK".into(),
                urgency: "NRM".into(),
                urgent_date: None,
                personal_data: false,
                contact: String::new(),
                note: None,
                created_at: at,
                number: None,
                signed_at: None,
                signed_by_id: None,
                signer_name: None,
                signer_title: None,
                sign_basis: None,
                content_sha256: None,
                verification_code: None,
                returned_by_name: None,
                returned_at: None,
                dispatched_at: None,
                dispatched_by_name: None,
                dispatch_channel: None,
                dispatch_ref: None,
                recipients: vec![],
                refs: vec![],
                attachments: vec![],
                steps: chain
                    .iter()
                    .enumerate()
                    .map(|(i, s)| LetterStep {
                        ord: i as i64,
                        position: s.position.clone(),
                        action: s.action.code().into(),
                        authority: s.authority.clone(),
                        done_by: (i < done).then(|| "x".into()),
                        done_by_name: None,
                        done_at: None,
                        basis: None,
                    })
                    .collect(),
            }
        };
        let internal = |done| letter(LetterKind::Internal, done);
        let external = |done| letter(LetterKind::External, done);
        let ok = |state, action| Ok::<_, Refusal>((state, action));
        let cases: Vec<(
            &str,
            Letter,
            i64,
            StepDecision,
            Result<(LetterState, &str), Refusal>,
        )> = vec![
            (
                "m.15/3: the writer initials first",
                internal(0),
                10,
                StepDecision::Approve,
                ok(LetterState::InApproval, "outgoing.initialled"),
            ),
            (
                "m.15/3: nobody else initials the writer's own step",
                internal(0),
                5,
                StepDecision::Approve,
                Err(Refusal::Conflict(Code::NotYourTurn)),
            ),
            (
                "the writer cannot return his own step",
                internal(0),
                10,
                StepDecision::Return("x".into()),
                Err(Refusal::Conflict(Code::OwnStep)),
            ),
            (
                "m.20/2-a: the Müdür cannot sign before the Şef's initial",
                internal(1),
                3,
                StepDecision::Approve,
                Err(Refusal::Conflict(Code::InitialsMissing)),
            ),
            (
                "the Şef initials next",
                internal(1),
                5,
                StepDecision::Approve,
                ok(LetterState::InApproval, "outgoing.initialled"),
            ),
            (
                "the Şef may return it to the writer",
                internal(1),
                5,
                StepDecision::Return("eksik".into()),
                ok(LetterState::Returned, "outgoing.returned"),
            ),
            (
                "another Şef is a stranger to it",
                internal(1),
                7,
                StepDecision::Approve,
                Err(Refusal::Forbidden("initial_document".into())),
            ),
            (
                "m.20/2-a: the Müdür signs an internal letter",
                internal(2),
                3,
                StepDecision::Approve,
                ok(LetterState::Signed, "outgoing.signed"),
            ),
            (
                "the Müdür may reject it",
                internal(2),
                3,
                StepDecision::Reject("hayır".into()),
                ok(LetterState::Rejected, "outgoing.rejected"),
            ),
            (
                "m.20/3: the Müdür initials an external letter",
                external(2),
                3,
                StepDecision::Approve,
                ok(LetterState::InApproval, "outgoing.initialled"),
            ),
            (
                "m.20/3: the Mayor cannot sign before the Deputy Mayor's initial",
                external(3),
                1,
                StepDecision::Approve,
                Err(Refusal::Conflict(Code::InitialsMissing)),
            ),
            (
                "m.20/3: the Deputy Mayor initials",
                external(3),
                2,
                StepDecision::Approve,
                ok(LetterState::InApproval, "outgoing.initialled"),
            ),
            (
                "m.20/3: the Mayor signs",
                external(4),
                1,
                StepDecision::Approve,
                ok(LetterState::Signed, "outgoing.signed"),
            ),
        ];
        for (rule, l, actor, d, expected) in cases {
            let got = decide(&p, &f, &user(actor), &l, None, &d, at).map(|x| (x.state, x.action));
            assert_eq!(got, expected, "{rule}");
        }
        // m.12/2: the Müdür's deputy signs as "… V."; m.20/3 with m.10/4:
        // the Deputy Mayor the Mayor authorised signs as "… a.".
        let mut f2 = f.clone();
        f2.deputise(Deputyship {
            id: 4,
            deputy: 5,
            for_user: 3,
            period: forever,
            approval_ref: "Olur".into(),
            revoked_at: None,
        });
        let named = |id: i64, name: &str| User {
            id,
            username: format!("u{id}"),
            display_name: name.into(),
            is_admin: false,
        };
        let d = decide(
            &p,
            &f2,
            &user(5),
            &internal(2),
            None,
            &StepDecision::Approve,
            at,
        )
        .unwrap();
        assert_eq!(
            signature_block(&p, &f2, &named(5, "Gülşen Aydın"), &d.step, &d.grant, at),
            ["Gülşen AYDIN", "Bilgi İşlem Müdürü V."],
            "m.17/10"
        );
        f2.delegate(Delegation {
            id: 6,
            from_user: 1,
            to_user: 2,
            authority: "sign_external".into(),
            period: forever,
            approval_ref: "Yetki".into(),
            revoked_at: None,
        });
        let d = decide(
            &p,
            &f2,
            &user(2),
            &external(4),
            None,
            &StepDecision::Approve,
            at,
        )
        .unwrap();
        assert_eq!(
            signature_block(&p, &f2, &named(2, "Mehmet Öztürk"), &d.step, &d.grant, at),
            ["Mehmet ÖZTÜRK", "Belediye Başkanı a.", "Başkan Yardımcısı"],
            "m.17/9"
        );
        // The holder signs in his own name: name and title.
        let d = decide(
            &p,
            &f,
            &user(3),
            &internal(2),
            None,
            &StepDecision::Approve,
            at,
        )
        .unwrap();
        assert_eq!(
            signature_block(&p, &f, &named(3, "Hülya Çelik"), &d.step, &d.grant, at),
            ["Hülya ÇELİK", "Bilgi İşlem Müdürü"],
            "m.17/2"
        );
        // A stale version is refused.
        assert_eq!(
            decide(
                &p,
                &f,
                &user(10),
                &internal(0),
                Some(7),
                &StepDecision::Approve,
                at
            )
            .map(|_| ()),
            Err(Refusal::Conflict(Code::LetterChanged))
        );
    }

    /// A verification code is twelve characters of the alphabet; typed
    /// back in any case, with dashes or spaces, it is the same code; a
    /// code of other letters or length is none.
    #[test]
    fn verification_codes() {
        let c = verification_code([7, 1, 2, 3, 4, 5, 6, 200]);
        assert_eq!(c.len(), 12);
        assert!(c.bytes().all(|b| VERIFICATION_ALPHABET.contains(&b)));
        assert_ne!(c, verification_code([8, 1, 2, 3, 4, 5, 6, 200]));
        let shown = code_display(&c);
        assert_eq!(shown.len(), 14);
        assert_eq!(normalise_code(&shown.to_lowercase()), Some(c.clone()));
        assert_eq!(
            normalise_code(&format!(" {} ", shown.replace('-', " "))),
            Some(c)
        );
        assert_eq!(
            normalise_code("ABCD-EFGH-JKL0"),
            None,
            "0 is not in the alphabet"
        );
        assert_eq!(normalise_code("ABCD"), None);
        assert_eq!(normalise_code("ABCD-EFGH-JKLMN"), None);
    }
}
