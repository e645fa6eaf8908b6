//! The Standard File Plan (Saklama Süreli Standart Dosya Planı): the codes
//! every document is filed under, with their retention. Shipped as data:
//! the common codes 000–099 and 600–969 (V.4, 2024) and the municipal codes
//! 100–599 (`data/`).
//!
//! A document is filed under a leaf code (one with a retention period); a
//! group heading is refused. 020 (Olurlar) and 030.xx (agreements and
//! protocols) describe the kind of paper rather than its subject, so they
//! are accepted only as a secondary code beside a subject code.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// One code of the plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileCode {
    pub code: String,
    pub name: String,
    /// Retention as the plan writes it: years (`15`), or `B` (kept in the
    /// unit); `None` for a group heading.
    pub retention: Option<String>,
    /// Disposal code (`A`, `A2`, `A3`: to the State Archives; `C`: the
    /// commission decides; `D`: destroyed; see `archive::DisposalCode`);
    /// `None` for a group heading.
    pub disposal: Option<String>,
}

impl FileCode {
    /// A heading with children and no retention of its own.
    pub fn is_group(&self) -> bool {
        self.retention.is_none()
    }
}

/// Why a code cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FilePlanError {
    #[error("not a code of the Standard File Plan")]
    Unknown,
    #[error("a group heading: choose one of its codes")]
    GroupOnly,
    #[error("allowed only as a secondary code")]
    SecondaryOnly,
}

impl FilePlanError {
    /// The stable error code the front ends translate.
    pub fn code(self) -> &'static str {
        match self {
            FilePlanError::Unknown => "unknown_file_code",
            FilePlanError::GroupOnly => "group_file_code",
            FilePlanError::SecondaryOnly => "secondary_file_code",
        }
    }
}

pub struct FilePlan {
    codes: BTreeMap<String, FileCode>,
}

const COMMON: &str = include_str!("../data/official.json");
const MUNICIPAL: &str = include_str!("../data/kurumsal_belediye.json");

fn rows(v: &serde_json::Value) -> impl Iterator<Item = FileCode> + '_ {
    v.as_array().into_iter().flatten().filter_map(|r| {
        let f = |i: usize| {
            r.get(i)
                .and_then(|x| x.as_str())
                .map(str::trim)
                .unwrap_or("")
        };
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        (!f(0).is_empty()).then(|| FileCode {
            code: f(0).to_owned(),
            name: f(1).to_owned(),
            retention: opt(f(2)),
            disposal: opt(f(3)),
        })
    })
}

impl FilePlan {
    /// The shipped plan, parsed once.
    pub fn builtin() -> &'static FilePlan {
        static PLAN: OnceLock<FilePlan> = OnceLock::new();
        PLAN.get_or_init(|| {
            let common: serde_json::Value = serde_json::from_str(COMMON).unwrap_or_default();
            let municipal: serde_json::Value = serde_json::from_str(MUNICIPAL).unwrap_or_default();
            let codes = rows(&common)
                .chain(rows(&municipal["belediye"]))
                .map(|c| (c.code.clone(), c))
                .collect();
            FilePlan { codes }
        })
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    pub fn get(&self, code: &str) -> Option<&FileCode> {
        self.codes.get(code.trim())
    }

    /// Every code, in plan order.
    pub fn iter(&self) -> impl Iterator<Item = &FileCode> {
        self.codes.values()
    }

    /// The code a document is filed under.
    pub fn primary(&self, code: &str) -> Result<&FileCode, FilePlanError> {
        let c = self.get(code).ok_or(FilePlanError::Unknown)?;
        if c.is_group() {
            return Err(FilePlanError::GroupOnly);
        }
        if c.code == "020" || c.code.starts_with("030.") {
            return Err(FilePlanError::SecondaryOnly);
        }
        Ok(c)
    }

    /// A further code beside the primary one.
    pub fn secondary(&self, code: &str) -> Result<&FileCode, FilePlanError> {
        let c = self.get(code).ok_or(FilePlanError::Unknown)?;
        if c.is_group() {
            return Err(FilePlanError::GroupOnly);
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_plan_is_whole() {
        let p = FilePlan::builtin();
        // 718 common + 392 municipal records.
        assert_eq!(p.len(), 718 + 392);
        let c = p.get("010.06").unwrap();
        assert_eq!(
            (
                c.name.as_str(),
                c.retention.as_deref(),
                c.disposal.as_deref()
            ),
            ("Genelgeler", Some("15"), Some("A"))
        );
        assert_eq!(p.get("105.06.01").unwrap().name, "Toplantılar");
    }

    #[test]
    fn leaves_are_accepted_and_groups_and_kinds_are_not() {
        let p = FilePlan::builtin();
        assert_eq!(p.primary("010.01").unwrap().name, "Kanunlar");
        assert_eq!(p.primary(" 105.04 ").unwrap().name, "Meclis Kararları");
        assert_eq!(p.primary("010").unwrap_err(), FilePlanError::GroupOnly);
        assert_eq!(p.primary("105.06").unwrap_err(), FilePlanError::GroupOnly);
        assert_eq!(p.primary("999.99").unwrap_err(), FilePlanError::Unknown);
        assert_eq!(p.primary("").unwrap_err(), FilePlanError::Unknown);
        assert_eq!(p.primary("020").unwrap_err(), FilePlanError::SecondaryOnly);
        assert_eq!(
            p.primary("030.02").unwrap_err(),
            FilePlanError::SecondaryOnly
        );
        assert_eq!(p.secondary("020").unwrap().name, "Olurlar");
        assert_eq!(p.secondary("030.02").unwrap().name, "Sözleşmeler");
        assert_eq!(p.secondary("030").unwrap_err(), FilePlanError::GroupOnly);
    }
}
