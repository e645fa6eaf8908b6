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
            && (a.staff_kinds.is_empty() || staff_kind.is_none_or(|k| a.staff_kinds.iter().any(|s| s == k)))
    })
}

/// The approval chain of a letter written by the holder of
/// `writer_position` (of `staff_kind`). The writer initials first when
/// his position and kind hold an initialling authority (m.15/3: a
/// Memur); a writer who signs this kind himself has a chain of one step.
pub fn approval_chain(profile: &Profile, writer_position: &str, staff_kind: &str, kind: LetterKind) -> Result<Vec<Step>, ChainError> {
    let (sign, initials) = kind.authorities();
    let mut steps = Vec::new();
    let mut position = profile.position(writer_position).ok_or_else(|| ChainError::UnknownPosition(writer_position.into()))?;
    let mut first = true;
    for _ in 0..32 {
        let kind_of = if first { Some(staff_kind) } else { None };
        if holds(profile, &position.id, kind_of, sign) {
            steps.push(Step { position: position.id.clone(), action: StepAction::Sign, authority: sign.into() });
            return Ok(steps);
        }
        if let Some(a) = initials.iter().find(|a| holds(profile, &position.id, kind_of, a)) {
            steps.push(Step { position: position.id.clone(), action: StepAction::Initial, authority: (*a).into() });
        }
        first = false;
        let Some(up) = position.reports_to.as_deref() else { break };
        position = profile.position(up).ok_or_else(|| ChainError::UnknownPosition(up.into()))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(writer: &str, kind: &str, letter: LetterKind) -> Vec<(String, &'static str)> {
        let p = Profile::builtin().unwrap();
        approval_chain(&p, writer, kind, letter).unwrap().into_iter().map(|s| (s.position, s.action.code())).collect()
    }

    fn steps(v: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        v.iter().map(|(p, a)| (p.to_string(), *a)).collect()
    }

    /// The chains as a table, from m.15/3, m.20/2-a and m.20/3.
    #[test]
    fn chains_follow_the_articles() {
        // To another directorate: writer (paraf) → Şef (paraf) → Müdür (imza).
        assert_eq!(chain("personel_bt", "memur", LetterKind::Internal), steps(&[("personel_bt", "initial"), ("sef_bt", "initial"), ("mudur", "sign")]));
        assert_eq!(chain("personel_kalem", "memur", LetterKind::Internal), steps(&[("personel_kalem", "initial"), ("sef_kalem", "initial"), ("mudur", "sign")]));
        // To an outside body: … → Müdür (paraf) → Başkan Yardımcısı (paraf) → Başkan (imza).
        assert_eq!(
            chain("personel_bt", "memur", LetterKind::External),
            steps(&[("personel_bt", "initial"), ("sef_bt", "initial"), ("mudur", "initial"), ("baskan_yardimcisi", "initial"), ("baskan", "sign")])
        );
        // A Şef who writes initials it himself.
        assert_eq!(chain("sef_cbs", "memur", LetterKind::Internal), steps(&[("sef_cbs", "initial"), ("mudur", "sign")]));
        // The Müdür signs his own letter to another directorate.
        assert_eq!(chain("mudur", "memur", LetterKind::Internal), steps(&[("mudur", "sign")]));
        assert_eq!(chain("mudur", "memur", LetterKind::External), steps(&[("mudur", "initial"), ("baskan_yardimcisi", "initial"), ("baskan", "sign")]));
        // m.15/3: an İşçi writes, but a Memur initials: his own step is left out.
        assert_eq!(chain("personel_teknik", "isci", LetterKind::Internal), steps(&[("sef_teknik", "initial"), ("mudur", "sign")]));
    }

    #[test]
    fn numbers_and_detsis() {
        assert_eq!(letter_number("12345678", "010.06", 42), "E-12345678-010.06-42");
        assert!(is_detsis("12345678"));
        assert!(!is_detsis("1234567") && !is_detsis("1234567a") && !is_detsis("123456789"));
        let p = Profile::builtin().unwrap();
        assert_eq!(approval_chain(&p, "yok", "memur", LetterKind::Internal), Err(ChainError::UnknownPosition("yok".into())));
    }
}
