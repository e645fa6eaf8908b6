//! Archive rules over a file's facts: where a document may be filed, how
//! long a file is kept, what happens when its retention ends, who may
//! decide a disposal.
//!
//! Sources:
//! - Devlet Arşiv Hizmetleri Hakkında Yönetmelik (RG 18.10.2019, 30922;
//!   official text at devletarsivleri.gov.tr/varliklar/dosyalar/mevzuat/
//!   arsivhizmetleri.pdf). Articles as verified by a public
//!   article-binding list: m.10/1 and m.11 (documents are filed by the
//!   Standard File Plan), m.12/1 (folder labels: unit, code, subject,
//!   year), m.19/1-2 (the ayıklama ve imha komisyonu), m.21/2 (the
//!   disposal list is signed by the commission's chair and members),
//!   m.21/7 (lists and minutes kept 10 years). Institutions applying m.19
//!   add that documents still in current use, within their retention, or
//!   subject of any lawsuit are not weeded until the retention ends and
//!   the case is over (e.g. Çankaya Üniversitesi's commission rules).
//! - The Standard File Plan (Saklama Süreli Standart Dosya Planı V.4,
//!   2024, and the municipal plan of 2018) gives each code a retention
//!   (years, or `B`) and a disposal code (`A`, `A1`, `A2`, `A3`, `C`,
//!   `D`). The plan's own legend could not be retrieved; the meanings
//!   below are the safe reading (see [`DisposalCode`]).
//!
//! What could not be confirmed, and the safe choice made:
//! - the exact composition rule of m.19: at least three distinct members
//!   (the 1988 Yönetmelik had five, three at the least when staff are
//!   short);
//! - who approves the disposal list under the 2019 text: the 1988 text
//!   (m.38, as amended 2001) required the State Archives' favourable
//!   opinion and then the approval of the institution's highest superior.
//!   Both are kept: [`disposal_approval`].

use crate::turkish::{collapse_spaces, fold};

/// How a file's span is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileSpan {
    /// A file of one code and one calendar year (the usual yearly file).
    Yearly,
    /// A file of one matter (a tender, a building permit) that may run
    /// over several years and is closed when the matter ends.
    Matter,
}

/// A file's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FileState {
    Open,
    /// Closed; the year of closing is recorded with it.
    Closed {
        closed_year: i32,
    },
    Disposed,
}

/// Why a file may not be disposed of whatever its retention.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LegalHold {
    /// The file is subject of a lawsuit.
    Litigation,
    /// An administrative or criminal investigation.
    Investigation,
    /// An audit (Sayıştay, İç Denetim) has asked for it.
    Audit,
}

impl LegalHold {
    pub fn code(self) -> &'static str {
        match self {
            LegalHold::Litigation => "litigation",
            LegalHold::Investigation => "investigation",
            LegalHold::Audit => "audit",
        }
    }
}

/// Retention as the plan writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Retention {
    /// Kept this many years after the end of the year the matter ended.
    Years(u16),
    /// `B`: kept at the institution until the matter ends (e.g. a law
    /// while it is in force, a building while it stands); then the
    /// disposal code applies.
    UntilMatterEnds,
}

impl Retention {
    /// `"10"`, `"05"`, `"B"`; anything else is `None`.
    pub fn parse(s: &str) -> Option<Retention> {
        match s.trim() {
            "B" | "b" => Some(Retention::UntilMatterEnds),
            n => n
                .parse::<u16>()
                .ok()
                .filter(|n| (1..=200).contains(n))
                .map(Retention::Years),
        }
    }
}

/// What happens when the retention ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisposalCode {
    /// `A`, `A1`, `A2`, `A3`: archival material. Never destroyed by the
    /// institution; listed for transfer to the State Archives (Devlet
    /// Arşivleri Başkanlığı), which decides what it takes. Whether `A3`
    /// means transfer after evaluation or keeping at the institution
    /// could not be confirmed; both mean it is never destroyed.
    StateArchives,
    /// `C`: evaluated by the ayıklama ve imha komisyonu file by file; it
    /// may keep or dispose. (Read from the plan's use of `C` for
    /// "Diğer"/miscellaneous codes; not confirmed from the legend.)
    CommissionReview,
    /// `D`: destroyed at the end of the retention, on the commission's
    /// decision.
    Destroy,
}

impl DisposalCode {
    pub fn parse(s: &str) -> Option<DisposalCode> {
        match s.trim() {
            "A" | "A1" | "A2" | "A3" => Some(DisposalCode::StateArchives),
            "C" => Some(DisposalCode::CommissionReview),
            "D" => Some(DisposalCode::Destroy),
            _ => None,
        }
    }
}

/// The facts of a file the rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts<'a> {
    pub code: &'a str,
    /// The file's year (yearly) or the year it was opened (matter).
    pub year: i32,
    pub span: FileSpan,
    pub state: FileState,
    /// As the plan writes it ("10", "B").
    pub retention: &'a str,
    /// As the plan writes it ("A", "D").
    pub disposal_code: &'a str,
    /// For `B`: the year the matter ended (a law repealed, a building
    /// demolished), recorded by the unit; `None` while it goes on.
    pub matter_ended_year: Option<i32>,
    pub hold: Option<LegalHold>,
}

/// What may happen to a file this year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Disposition {
    /// Not closed yet.
    OpenStill,
    /// Already disposed of.
    Disposed,
    /// Under a legal hold: nothing happens to it.
    Held { reason: LegalHold },
    /// `B` and the matter goes on.
    KeptUntilMatterEnds,
    /// Within its retention; `until` is the last year of it.
    Retained { until: i32 },
    /// Retention over, archival code: onto the transfer list.
    TransferToStateArchives,
    /// Retention over, `C`: the commission decides file by file.
    CommissionReview,
    /// Retention over, `D`: may be disposed of on the commission's decision.
    Disposable,
    /// The retention or disposal code is not one the plan uses: kept, and
    /// shown for correction.
    BadCodes,
}

impl Disposition {
    /// Whether a commission may put the file on a disposal list.
    pub fn may_be_disposed(self) -> bool {
        matches!(
            self,
            Disposition::Disposable | Disposition::CommissionReview
        )
    }
}

/// The year whose end the retention counts from: the file's year for a
/// yearly file, the closing year for a matter file (never earlier than
/// the opening year), the year the matter ended for `B`.
fn end_year(f: &FileFacts) -> Option<i32> {
    let closed = match f.state {
        FileState::Closed { closed_year } => Some(closed_year.max(f.year)),
        _ => None,
    };
    match f.span {
        FileSpan::Yearly => Some(f.year),
        FileSpan::Matter => closed,
    }
}

/// The first year the disposal code may be applied (retention counted
/// from the end of the year the matter ended: a yearly file of 2020 kept
/// 10 years may be acted on from 2031); `None` while that cannot be known
/// (open matter file, `B` with the matter going on, bad codes).
pub fn first_action_year(f: &FileFacts) -> Option<i32> {
    let retention = Retention::parse(f.retention)?;
    DisposalCode::parse(f.disposal_code)?;
    match retention {
        Retention::Years(n) => end_year(f)?.checked_add(i32::from(n))?.checked_add(1),
        Retention::UntilMatterEnds => {
            let ended = f.matter_ended_year?;
            // The matter cannot end before the file's own end year.
            ended.max(end_year(f).unwrap_or(ended)).checked_add(1)
        }
    }
}

/// What may happen to the file in `this_year`.
pub fn disposition(f: &FileFacts, this_year: i32) -> Disposition {
    if f.state == FileState::Disposed {
        return Disposition::Disposed;
    }
    if let Some(reason) = f.hold {
        return Disposition::Held { reason };
    }
    if f.state == FileState::Open {
        return Disposition::OpenStill;
    }
    let (Some(retention), Some(code)) = (
        Retention::parse(f.retention),
        DisposalCode::parse(f.disposal_code),
    ) else {
        return Disposition::BadCodes;
    };
    if retention == Retention::UntilMatterEnds && f.matter_ended_year.is_none() {
        return Disposition::KeptUntilMatterEnds;
    }
    let Some(first) = first_action_year(f) else {
        return Disposition::BadCodes;
    };
    if this_year < first {
        return Disposition::Retained { until: first - 1 };
    }
    match code {
        DisposalCode::StateArchives => Disposition::TransferToStateArchives,
        DisposalCode::CommissionReview => Disposition::CommissionReview,
        DisposalCode::Destroy => Disposition::Disposable,
    }
}

/// A document about to be filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFacts<'a> {
    pub code: &'a str,
    /// The year the document belongs to (registered or signed).
    pub year: i32,
    /// Its matter is completed (an incoming document closed, a letter
    /// signed).
    pub completed: bool,
}

/// Why a document may not go into a file; `code()` is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FilingError {
    #[error("the document is not completed")]
    NotCompleted,
    #[error("the file is not open")]
    FileNotOpen,
    #[error("the file is of another code")]
    CodeMismatch,
    #[error("the file is of another year")]
    YearMismatch,
}

impl FilingError {
    pub fn code(self) -> &'static str {
        match self {
            FilingError::NotCompleted => "not_completed",
            FilingError::FileNotOpen => "file_not_open",
            FilingError::CodeMismatch => "file_code_mismatch",
            FilingError::YearMismatch => "file_year_mismatch",
        }
    }
}

/// Whether `doc` may be filed into `file` (Devlet Arşiv Hizmetleri
/// Yönetmeliği m.10–12; our regulation m.22: *completed* documents are
/// filed): only once completed, only into an open file of its own code,
/// and of its own year (a yearly file), or of a matter opened no later
/// than the document (a matter file).
pub fn may_file(doc: &DocumentFacts, file: &FileFacts) -> Result<(), FilingError> {
    if !doc.completed {
        return Err(FilingError::NotCompleted);
    }
    if file.state != FileState::Open {
        return Err(FilingError::FileNotOpen);
    }
    if doc.code.trim() != file.code.trim() {
        return Err(FilingError::CodeMismatch);
    }
    let year_ok = match file.span {
        FileSpan::Yearly => doc.year == file.year,
        FileSpan::Matter => doc.year >= file.year,
    };
    if !year_ok {
        return Err(FilingError::YearMismatch);
    }
    Ok(())
}

/// The fewest distinct members of an ayıklama ve imha komisyonu.
pub const MIN_COMMISSION_MEMBERS: usize = 3;

/// Why a commission is refused; `code()` is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CommissionError {
    #[error("the commission needs at least three distinct members")]
    TooSmall { distinct: usize },
}

impl CommissionError {
    pub fn code(self) -> &'static str {
        "commission_too_small"
    }
}

/// The commission's members as recorded: whitespace collapsed, empty
/// entries dropped, and the same person entered twice ("Ayşe Işık",
/// "AYŞE IŞIK", "ayse isik") counted once, compared with Turkish case
/// and diacritic folding. At least [`MIN_COMMISSION_MEMBERS`] must remain
/// (m.19). The first spelling of each member is kept.
pub fn commission<S: AsRef<str>>(members: &[S]) -> Result<Vec<String>, CommissionError> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for m in members {
        let name = collapse_spaces(m.as_ref());
        if name.is_empty() {
            continue;
        }
        if seen.insert(fold(&name)) {
            out.push(name);
        }
    }
    if out.len() < MIN_COMMISSION_MEMBERS {
        return Err(CommissionError::TooSmall {
            distinct: out.len(),
        });
    }
    Ok(out)
}

/// The profile authority that approves a disposal list.
pub const APPROVE_DISPOSAL: &str = "approve_disposal";

/// Who approves a disposal list, and what comes before the approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DisposalApproval {
    /// The authority id the profile must define.
    pub authority: &'static str,
    /// The position that holds it in a municipality: the Mayor, the
    /// institution's highest superior (5393 m.38).
    pub holder: &'static str,
    /// The State Archives' favourable opinion is obtained first.
    pub state_archives_opinion: bool,
    pub article: &'static str,
}

/// The approval a disposal list needs: signed by the commission's chair
/// and members (m.21/2), then, safe reading, the State Archives'
/// favourable opinion and the approval of the institution's highest
/// superior — in a municipality the Mayor (held as `approve_disposal`;
/// delegable by him in writing like any other of his powers).
pub fn disposal_approval() -> DisposalApproval {
    DisposalApproval {
        authority: APPROVE_DISPOSAL,
        holder: "baskan",
        state_archives_opinion: true,
        article: "Devlet Arşiv Hizmetleri Hakkında Yönetmelik m.19, m.21; 5393 sayılı Belediye Kanunu m.38",
    }
}

/// Why a disposal list may not be approved now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalRefusal {
    /// Only a list awaiting approval is approved.
    #[error("the list is not awaiting approval")]
    NotAwaiting,
    /// Whoever recorded the commission's list does not approve it too:
    /// the approval is a second pair of eyes (safe reading of m.19–21's
    /// two steps, the commission's decision and the superior's approval).
    #[error("the proposer does not approve his own list")]
    OwnProposal,
    /// The State Archives' favourable opinion (its date and number) must
    /// be recorded first, when the installation requires it.
    #[error("the State Archives' opinion is not recorded")]
    OpinionRequired,
}

impl ApprovalRefusal {
    pub fn code(self) -> &'static str {
        match self {
            ApprovalRefusal::NotAwaiting => "not_awaiting_approval",
            ApprovalRefusal::OwnProposal => "own_proposal",
            ApprovalRefusal::OpinionRequired => "state_archives_opinion_required",
        }
    }
}

/// A disposal list as its approval sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalFacts<'a> {
    pub awaiting: bool,
    pub proposed_by: i64,
    pub approver: i64,
    /// The reference of the State Archives' opinion, as typed (trimmed).
    pub opinion: &'a str,
    /// `[archive] state_archives_opinion` (default: required).
    pub opinion_required: bool,
}

/// Whether the list may be approved (the approver's authority,
/// `approve_disposal`, is the engine's to decide).
pub fn may_approve(f: &ApprovalFacts<'_>) -> Result<(), ApprovalRefusal> {
    if !f.awaiting {
        return Err(ApprovalRefusal::NotAwaiting);
    }
    if f.proposed_by == f.approver {
        return Err(ApprovalRefusal::OwnProposal);
    }
    if f.opinion_required && f.opinion.trim().is_empty() {
        return Err(ApprovalRefusal::OpinionRequired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file<'a>(
        year: i32,
        span: FileSpan,
        state: FileState,
        retention: &'a str,
        code: &'a str,
    ) -> FileFacts<'a> {
        FileFacts {
            code: "010.06",
            year,
            span,
            state,
            retention,
            disposal_code: code,
            matter_ended_year: None,
            hold: None,
        }
    }

    const CLOSED_2020: FileState = FileState::Closed { closed_year: 2020 };

    /// Dispositions in 2031 and around it, each row with its rule.
    #[test]
    fn dispositions() {
        use Disposition::*;
        use FileSpan::*;
        let rows: Vec<(&str, FileFacts, i32, Disposition)> = vec![
            // A yearly file of 2020 kept 10 years: its retention counts from
            // the end of 2020 and runs through 2030; from 2031 the code applies.
            (
                "yearly D, last retained year",
                file(2020, Yearly, CLOSED_2020, "10", "D"),
                2030,
                Retained { until: 2030 },
            ),
            (
                "yearly D, first year after",
                file(2020, Yearly, CLOSED_2020, "10", "D"),
                2031,
                Disposable,
            ),
            (
                "yearly C",
                file(2020, Yearly, CLOSED_2020, "10", "C"),
                2031,
                CommissionReview,
            ),
            // A-coded files go to the State Archives, never to disposal.
            (
                "yearly A",
                file(2020, Yearly, CLOSED_2020, "15", "A"),
                2036,
                TransferToStateArchives,
            ),
            (
                "yearly A3",
                file(2020, Yearly, CLOSED_2020, "15", "A3"),
                2040,
                TransferToStateArchives,
            ),
            (
                "yearly A2, within",
                file(2020, Yearly, CLOSED_2020, "15", "A2"),
                2035,
                Retained { until: 2035 },
            ),
            // A yearly file closed late still counts from its own year.
            (
                "yearly closed late",
                file(
                    2020,
                    Yearly,
                    FileState::Closed { closed_year: 2022 },
                    "5",
                    "D",
                ),
                2026,
                Disposable,
            ),
            // A matter file counts from the year it was closed.
            (
                "matter closed 2023",
                file(
                    2020,
                    Matter,
                    FileState::Closed { closed_year: 2023 },
                    "10",
                    "D",
                ),
                2033,
                Retained { until: 2033 },
            ),
            (
                "matter closed 2023, after",
                file(
                    2020,
                    Matter,
                    FileState::Closed { closed_year: 2023 },
                    "10",
                    "D",
                ),
                2034,
                Disposable,
            ),
            // A closing year before the opening year is read as the opening year.
            (
                "matter bad closing year",
                file(
                    2020,
                    Matter,
                    FileState::Closed { closed_year: 2019 },
                    "10",
                    "D",
                ),
                2030,
                Retained { until: 2030 },
            ),
            // Open files stay, whatever their age.
            (
                "open",
                file(2000, Yearly, FileState::Open, "5", "D"),
                2031,
                OpenStill,
            ),
            (
                "open matter",
                file(2000, Matter, FileState::Open, "5", "D"),
                2031,
                OpenStill,
            ),
            // B: kept until the matter ends, then the code applies from the next year.
            (
                "B, matter goes on",
                file(
                    2015,
                    Yearly,
                    FileState::Closed { closed_year: 2015 },
                    "B",
                    "A3",
                ),
                2040,
                KeptUntilMatterEnds,
            ),
            (
                "B, ended 2025, same year",
                FileFacts {
                    matter_ended_year: Some(2025),
                    ..file(
                        2015,
                        Yearly,
                        FileState::Closed { closed_year: 2015 },
                        "B",
                        "D",
                    )
                },
                2025,
                Retained { until: 2025 },
            ),
            (
                "B, ended 2025, D",
                FileFacts {
                    matter_ended_year: Some(2025),
                    ..file(
                        2015,
                        Yearly,
                        FileState::Closed { closed_year: 2015 },
                        "B",
                        "D",
                    )
                },
                2026,
                Disposable,
            ),
            (
                "B, ended 2025, A3",
                FileFacts {
                    matter_ended_year: Some(2025),
                    ..file(
                        2015,
                        Yearly,
                        FileState::Closed { closed_year: 2015 },
                        "B",
                        "A3",
                    )
                },
                2026,
                TransferToStateArchives,
            ),
            // Legal holds win over everything but a past disposal.
            (
                "held for a lawsuit",
                FileFacts {
                    hold: Some(LegalHold::Litigation),
                    ..file(
                        2000,
                        Yearly,
                        FileState::Closed { closed_year: 2000 },
                        "5",
                        "D",
                    )
                },
                2031,
                Held {
                    reason: LegalHold::Litigation,
                },
            ),
            (
                "held, investigation",
                FileFacts {
                    hold: Some(LegalHold::Investigation),
                    ..file(2000, Yearly, FileState::Open, "5", "D")
                },
                2031,
                Held {
                    reason: LegalHold::Investigation,
                },
            ),
            (
                "disposed",
                FileFacts {
                    hold: Some(LegalHold::Audit),
                    ..file(2000, Yearly, FileState::Disposed, "5", "D")
                },
                2031,
                Disposed,
            ),
            // Unknown codes keep the file.
            (
                "bad retention",
                file(2000, Yearly, CLOSED_2020, "x", "D"),
                2031,
                BadCodes,
            ),
            (
                "bad disposal code",
                file(2000, Yearly, CLOSED_2020, "5", "E"),
                2031,
                BadCodes,
            ),
            (
                "empty codes",
                file(2000, Yearly, CLOSED_2020, "", ""),
                2031,
                BadCodes,
            ),
            // "05" as the plan writes it.
            (
                "zero-padded",
                file(2020, Yearly, CLOSED_2020, "05", "D"),
                2026,
                Disposable,
            ),
        ];
        for (what, facts, year, expected) in rows {
            assert_eq!(disposition(&facts, year), expected, "{what}");
        }
        assert!(Disposable.may_be_disposed() && CommissionReview.may_be_disposed());
        for d in [
            OpenStill,
            Disposed,
            KeptUntilMatterEnds,
            Retained { until: 2030 },
            TransferToStateArchives,
            BadCodes,
            Held {
                reason: LegalHold::Audit,
            },
        ] {
            assert!(!d.may_be_disposed(), "{d:?}");
        }
    }

    #[test]
    fn first_action_years() {
        assert_eq!(
            first_action_year(&file(2020, FileSpan::Yearly, CLOSED_2020, "10", "D")),
            Some(2031)
        );
        assert_eq!(
            first_action_year(&file(2020, FileSpan::Matter, FileState::Open, "10", "D")),
            None
        );
        assert_eq!(
            first_action_year(&file(2020, FileSpan::Yearly, CLOSED_2020, "B", "D")),
            None
        );
        assert_eq!(
            first_action_year(&file(
                i32::MAX - 3,
                FileSpan::Yearly,
                FileState::Closed {
                    closed_year: i32::MAX
                },
                "10",
                "D"
            )),
            None
        );
    }

    /// Every code the shipped plan uses has a meaning: no shipped leaf
    /// code falls into `BadCodes`.
    #[test]
    fn the_shipped_plan_has_no_unknown_codes() {
        for c in crate::fileplan::FilePlan::builtin()
            .iter()
            .filter(|c| !c.is_group())
        {
            let r = c.retention.as_deref().unwrap_or("");
            let d = c.disposal.as_deref().unwrap_or("");
            assert!(Retention::parse(r).is_some(), "{} retention {r:?}", c.code);
            assert!(
                DisposalCode::parse(d).is_some(),
                "{} disposal {d:?}",
                c.code
            );
        }
    }

    /// Filing: completed, open, own code, own year (m.10–12; our m.22).
    #[test]
    fn filing() {
        let yearly = file(2025, FileSpan::Yearly, FileState::Open, "15", "A");
        let matter = file(2023, FileSpan::Matter, FileState::Open, "15", "A");
        let closed = file(
            2025,
            FileSpan::Yearly,
            FileState::Closed { closed_year: 2025 },
            "15",
            "A",
        );
        let doc = |code, year, completed| DocumentFacts {
            code,
            year,
            completed,
        };
        let rows: Vec<(&str, DocumentFacts, &FileFacts, Result<(), &str>)> = vec![
            (
                "own code and year",
                doc("010.06", 2025, true),
                &yearly,
                Ok(()),
            ),
            (
                "code with spaces",
                doc(" 010.06 ", 2025, true),
                &yearly,
                Ok(()),
            ),
            (
                "not completed",
                doc("010.06", 2025, false),
                &yearly,
                Err("not_completed"),
            ),
            (
                "other code",
                doc("010.07", 2025, true),
                &yearly,
                Err("file_code_mismatch"),
            ),
            (
                "other year",
                doc("010.06", 2024, true),
                &yearly,
                Err("file_year_mismatch"),
            ),
            (
                "next year",
                doc("010.06", 2026, true),
                &yearly,
                Err("file_year_mismatch"),
            ),
            (
                "closed file",
                doc("010.06", 2025, true),
                &closed,
                Err("file_not_open"),
            ),
            (
                "matter file, later year",
                doc("010.06", 2025, true),
                &matter,
                Ok(()),
            ),
            (
                "matter file, before it opened",
                doc("010.06", 2022, true),
                &matter,
                Err("file_year_mismatch"),
            ),
        ];
        for (what, d, f, expected) in rows {
            assert_eq!(may_file(&d, f).map_err(|e| e.code()), expected, "{what}");
        }
    }

    /// At least three distinct members after trimming and Turkish folding (m.19).
    #[test]
    fn commission_members() {
        let rows: &[(&[&str], Result<usize, &str>)] = &[
            (&["Ayşe Işık", "Mehmet Öz", "Can Ak"], Ok(3)),
            (&["Ayşe Işık", " AYŞE  IŞIK ", "Mehmet Öz", "Can Ak"], Ok(3)),
            (
                &["Ayşe Işık", "ayse isik", "Mehmet Öz"],
                Err("commission_too_small"),
            ),
            (
                &["İsmail İnce", "ISMAIL INCE", "ismail ince"],
                Err("commission_too_small"),
            ),
            (&["A", "B", "", "  "], Err("commission_too_small")),
            (&[], Err("commission_too_small")),
            (&["Ali", "Veli", "Ayşe", "Fatma", "Ali "], Ok(4)),
        ];
        for (members, expected) in rows {
            assert_eq!(
                commission(members).map(|m| m.len()).map_err(|e| e.code()),
                *expected,
                "{members:?}"
            );
        }
        assert_eq!(
            commission(&["Ayşe  Işık", "AYŞE IŞIK", "Can", "Ece"]).unwrap(),
            vec!["Ayşe Işık", "Can", "Ece"]
        );
    }

    /// The two steps of a disposal (Devlet Arşiv Hizmetleri Hakkında
    /// Yönetmelik: the commission's list, then the approval of the
    /// institution's highest superior; the 1988 text, m.38 as amended in
    /// 2001: "Devlet Arşivleri Genel Müdürlüğü'nün uygun görüşü alındıktan
    /// sonra … en üst amirinin onayını müteakip kesinlik kazanır").
    #[test]
    fn a_disposal_list_is_approved_by_another_after_the_state_archives() {
        let base = ApprovalFacts {
            awaiting: true,
            proposed_by: 1,
            approver: 2,
            opinion: "DAB 2026/41",
            opinion_required: true,
        };
        let rows: &[(&str, ApprovalFacts, Result<(), &str>)] = &[
            (
                "approved by the Mayor after the opinion",
                base.clone(),
                Ok(()),
            ),
            (
                "done already",
                ApprovalFacts {
                    awaiting: false,
                    ..base.clone()
                },
                Err("not_awaiting_approval"),
            ),
            (
                "the proposer approving his own list",
                ApprovalFacts {
                    approver: 1,
                    ..base.clone()
                },
                Err("own_proposal"),
            ),
            (
                "no State Archives opinion",
                ApprovalFacts {
                    opinion: "  ",
                    ..base.clone()
                },
                Err("state_archives_opinion_required"),
            ),
            (
                "opinion not required by this installation",
                ApprovalFacts {
                    opinion: "",
                    opinion_required: false,
                    ..base.clone()
                },
                Ok(()),
            ),
        ];
        for (what, f, expected) in rows {
            assert_eq!(may_approve(f).map_err(|e| e.code()), *expected, "{what}");
        }
    }

    #[test]
    fn approval_is_the_mayors() {
        let a = disposal_approval();
        assert_eq!(
            (a.authority, a.holder, a.state_archives_opinion),
            ("approve_disposal", "baskan", true)
        );
    }
}
