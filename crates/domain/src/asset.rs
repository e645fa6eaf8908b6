//! Movable assets (taşınır) under the Taşınır Mal Yönetmeliği, as the
//! regulation puts them on the directorate (m.8/8, m.10/11): the code list,
//! custody (zimmet) and its return, disposal by a commission's decision,
//! licence seats, the restore tests of the systems' backups, and what
//! blocks a departure until it is handed over (m.20/1-ç).
//!
//! Pure rules: the store loads the facts, these decide.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use time::Date;

/// The shipped Taşınır Kod Listesi (HMB), `tam_kod,hesap_kodu,duzey,ad`.
const CODE_LIST: &str = include_str!("../data/tasinir_kod_listesi.csv");

/// One line of the code list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TasinirCode {
    /// The full code, e.g. `255.02.01.01.02`.
    pub code: String,
    /// The account: 150, 253, 254 or 255.
    pub account: u16,
    /// The number of dots (0 = the account itself).
    pub level: u8,
    pub name: String,
    /// A leaf has no sub-codes: only a leaf is given to an asset.
    pub leaf: bool,
}

/// The code list, read once.
pub struct CodeList {
    codes: Vec<TasinirCode>,
    by_code: HashMap<String, usize>,
}

/// Why a code is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefusal {
    Unknown,
    /// A group (it has sub-codes): the asset takes one of them.
    Group,
}

impl CodeRefusal {
    pub fn code(self) -> &'static str {
        match self {
            CodeRefusal::Unknown => "unknown_tasinir_code",
            CodeRefusal::Group => "tasinir_group_code",
        }
    }
}

impl CodeList {
    /// The shipped list.
    pub fn shipped() -> &'static CodeList {
        static LIST: OnceLock<CodeList> = OnceLock::new();
        LIST.get_or_init(|| CodeList::parse(CODE_LIST))
    }

    fn parse(text: &str) -> CodeList {
        let mut codes: Vec<TasinirCode> = text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| {
                let f = crate::calendar::split_csv(l);
                let [code, account, level, name] = f.as_slice() else {
                    return None;
                };
                Some(TasinirCode {
                    code: code.trim().to_owned(),
                    account: account.trim().parse().ok()?,
                    level: level.trim().parse().ok()?,
                    name: name.trim().to_owned(),
                    leaf: true,
                })
            })
            .collect();
        let parents: HashSet<String> = codes
            .iter()
            .filter_map(|c| c.code.rsplit_once('.').map(|(p, _)| p.to_owned()))
            .collect();
        for c in &mut codes {
            c.leaf = !parents.contains(&c.code);
        }
        let by_code = codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i))
            .collect();
        CodeList { codes, by_code }
    }

    pub fn get(&self, code: &str) -> Option<&TasinirCode> {
        self.by_code.get(code.trim()).map(|i| &self.codes[*i])
    }

    /// The code an asset may take: a known leaf.
    pub fn for_asset(&self, code: &str) -> Result<&TasinirCode, CodeRefusal> {
        match self.get(code) {
            None => Err(CodeRefusal::Unknown),
            Some(c) if !c.leaf => Err(CodeRefusal::Group),
            Some(c) => Ok(c),
        }
    }

    /// The leaf codes whose code or name contains `q` (Turkish case
    /// folding), at most `limit`: the code picker.
    pub fn search(&self, q: &str, limit: usize) -> Vec<&TasinirCode> {
        let q = crate::turkish::to_lower(q.trim());
        self.codes
            .iter()
            .filter(|c| {
                c.leaf
                    && (q.is_empty()
                        || c.code.starts_with(&q)
                        || crate::turkish::to_lower(&c.name).contains(&q))
            })
            .take(limit)
            .collect()
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// An amount in kuruş from what people type: `25000`, `25000.50`,
/// `25.000,50` (Turkish), `25,000.50`. Negative, more than two decimals,
/// or over a trillion lira is refused.
pub fn parse_money(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches("TL").trim_end_matches('₺').trim();
    if s.is_empty() || s.starts_with('-') || s.starts_with('+') {
        return None;
    }
    // The decimal mark is the last of `,` and `.` when two or fewer digits
    // follow it; the other one groups thousands.
    let last = s.rfind([',', '.']);
    let (int, frac) = match last {
        Some(i) if s.len() - i - 1 <= 2 && s.len() - i - 1 >= 1 => (&s[..i], &s[i + 1..]),
        _ => (s, ""),
    };
    // Thousands groups: one separator kind, not the decimal mark, groups of
    // three after the first (`1,2,3` is a typing error, not 123).
    let decimal_mark = last
        .filter(|_| !frac.is_empty())
        .map(|i| s.as_bytes()[i] as char);
    let seps: HashSet<char> = int
        .chars()
        .filter(|c| matches!(c, '.' | ',' | ' '))
        .collect();
    if seps.len() > 1 || decimal_mark.is_some_and(|d| seps.contains(&d)) {
        return None;
    }
    if let Some(sep) = seps.into_iter().next() {
        let groups: Vec<&str> = int.split(sep).collect();
        if groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    let int: String = int
        .chars()
        .filter(|c| *c != '.' && *c != ',' && *c != ' ')
        .collect();
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || int.len() > 13
    {
        return None;
    }
    let lira: i64 = int.parse().ok()?;
    let kurus: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    lira.checked_mul(100)?.checked_add(kurus)
}

/// Kuruş as Turkish money text: `25.000,50`.
pub fn format_money(kurus: i64) -> String {
    let lira = kurus / 100;
    let digits = lira.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{grouped},{:02}", kurus % 100)
}

/// Where an asset is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AssetState {
    /// In the warehouse (ambar), held by nobody (m.8/8: unused assets are
    /// kept in the warehouse).
    InStock,
    /// In someone's custody (zimmet), a person's or a place's.
    InCustody,
    /// Written off (kayıttan düşme) by a commission's decision; the record
    /// stays.
    Disposed,
}

impl AssetState {
    pub fn code(self) -> &'static str {
        match self {
            AssetState::InStock => "in_stock",
            AssetState::InCustody => "in_custody",
            AssetState::Disposed => "disposed",
        }
    }
    pub fn parse(s: &str) -> Option<AssetState> {
        match s {
            "in_stock" => Some(AssetState::InStock),
            "in_custody" => Some(AssetState::InCustody),
            "disposed" => Some(AssetState::Disposed),
            _ => None,
        }
    }
}

/// Who holds an asset in custody.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    Person(i64),
    Place(String),
}

/// Why a custody step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustodyRefusal {
    /// It is already in someone's custody: return or transfer it first.
    AlreadyHeld,
    /// Not in custody: nothing to return or transfer.
    NotHeld,
    Disposed,
    /// Only its holder returns it (a place's asset: the officer).
    NotHolder,
    /// A transfer to whoever already holds it.
    SameHolder,
}

impl CustodyRefusal {
    pub fn code(self) -> &'static str {
        match self {
            CustodyRefusal::AlreadyHeld => "asset_already_held",
            CustodyRefusal::NotHeld => "asset_not_held",
            CustodyRefusal::Disposed => "asset_disposed",
            CustodyRefusal::NotHolder => "not_holder",
            CustodyRefusal::SameHolder => "same_holder",
        }
    }
}

/// Giving an asset into custody (Zimmet Fişi): only from the warehouse.
pub fn give(state: AssetState) -> Result<(), CustodyRefusal> {
    match state {
        AssetState::InStock => Ok(()),
        AssetState::InCustody => Err(CustodyRefusal::AlreadyHeld),
        AssetState::Disposed => Err(CustodyRefusal::Disposed),
    }
}

/// Returning it to the warehouse. The Taşınır Kayıt Yetkilisi takes back
/// what is returned (Taşınır Mal Yönetmeliği, RG 10.10.2024 no. 32688,
/// m.18/3: he signs the Taşınır Teslim Belgesi's "geri alındı" part;
/// m.6/4-a: he receives into the warehouse), so he records any return; the
/// holder may record his own. Anyone else is refused.
pub fn return_by(
    state: AssetState,
    holder: Option<&Holder>,
    actor: i64,
    actor_is_officer: bool,
) -> Result<(), CustodyRefusal> {
    match (state, holder) {
        (AssetState::Disposed, _) => Err(CustodyRefusal::Disposed),
        (AssetState::InStock, _) | (_, None) => Err(CustodyRefusal::NotHeld),
        (AssetState::InCustody, Some(Holder::Person(p))) if *p == actor => Ok(()),
        (AssetState::InCustody, Some(_)) if actor_is_officer => Ok(()),
        (AssetState::InCustody, Some(_)) => Err(CustodyRefusal::NotHolder),
    }
}

/// Passing it from one holder to another (the officer, with a new Zimmet
/// Fişi): it must be held, and by someone else.
pub fn transfer(
    state: AssetState,
    holder: Option<&Holder>,
    to: &Holder,
) -> Result<(), CustodyRefusal> {
    match (state, holder) {
        (AssetState::Disposed, _) => Err(CustodyRefusal::Disposed),
        (AssetState::InStock, _) | (_, None) => Err(CustodyRefusal::NotHeld),
        (AssetState::InCustody, Some(h)) if h == to => Err(CustodyRefusal::SameHolder),
        (AssetState::InCustody, Some(_)) => Ok(()),
    }
}

/// The commission that decides a disposal (hurdaya ayırma, kayıttan
/// düşme): at least three distinct members, a decision number and date.
pub const DISPOSAL_COMMISSION_MIN: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisposalRefusal {
    /// In custody: it comes back to the warehouse first.
    Held,
    AlreadyDisposed,
    CommissionTooSmall,
    DecisionRequired,
}

impl DisposalRefusal {
    pub fn code(self) -> &'static str {
        match self {
            DisposalRefusal::Held => "asset_in_custody",
            DisposalRefusal::AlreadyDisposed => "asset_disposed",
            DisposalRefusal::CommissionTooSmall => "commission_too_small",
            DisposalRefusal::DecisionRequired => "decision_required",
        }
    }
}

/// Whether an asset may be written off on this decision.
pub fn dispose(
    state: AssetState,
    commission: &[i64],
    decision_ref: &str,
) -> Result<(), DisposalRefusal> {
    match state {
        AssetState::Disposed => return Err(DisposalRefusal::AlreadyDisposed),
        AssetState::InCustody => return Err(DisposalRefusal::Held),
        AssetState::InStock => {}
    }
    let distinct: HashSet<i64> = commission.iter().copied().collect();
    if distinct.len() < DISPOSAL_COMMISSION_MIN {
        return Err(DisposalRefusal::CommissionTooSmall);
    }
    if decision_ref.trim().is_empty() {
        return Err(DisposalRefusal::DecisionRequired);
    }
    Ok(())
}

/// A licence's kind.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LicenceKind {
    PerSeat,
    PerDevice,
    Site,
    Subscription,
}

impl LicenceKind {
    pub fn code(self) -> &'static str {
        match self {
            LicenceKind::PerSeat => "per_seat",
            LicenceKind::PerDevice => "per_device",
            LicenceKind::Site => "site",
            LicenceKind::Subscription => "subscription",
        }
    }
    pub fn parse(s: &str) -> Option<LicenceKind> {
        match s.trim() {
            "per_seat" => Some(LicenceKind::PerSeat),
            "per_device" => Some(LicenceKind::PerDevice),
            "site" => Some(LicenceKind::Site),
            "subscription" => Some(LicenceKind::Subscription),
            _ => None,
        }
    }
}

/// Whether one more seat may be assigned: a site licence has no count;
/// the others not beyond their seats.
pub fn seat_available(kind: LicenceKind, seats: i64, assigned: i64) -> bool {
    kind == LicenceKind::Site || assigned < seats
}

/// The days before an end date on which it is announced (defaults).
pub const ALERT_DAYS: [i64; 3] = [60, 30, 7];

/// Whether an end date is to be announced on `today`: within the widest
/// window and not yet past more than a month (then it is simply expired,
/// and listed as such).
pub fn ends_soon(end: Date, today: Date, windows: &[i64]) -> Option<i64> {
    let left = (end - today).whole_days();
    let widest = windows.iter().copied().max().unwrap_or(0);
    (left <= widest && left >= -30).then_some(left)
}

/// Whether a system's restore tests are overdue: the last successful one
/// is older than its policy allows, or there was none (security guide:
/// a backup counts only when it is shown to restore).
pub fn restore_overdue(last_ok: Option<Date>, every_days: i64, today: Date) -> bool {
    match last_ok {
        None => true,
        Some(d) => (today - d).whole_days() > every_days,
    }
}

/// What somebody holds that a departure must first hand over (m.20/1-ç).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum HoldingKind {
    /// An asset in his custody.
    Asset,
    /// A document routed to him, in his tray or not yet taken delivery of.
    Document,
    /// A letter he wrote that is in draft, or waits on his initial or signature.
    Letter,
    /// A service request assigned to him and open.
    Request,
    /// A task given to him and open.
    Task,
    /// A licence seat assigned to him.
    LicenceSeat,
    /// A delegation or deputyship he holds or gave, still in force.
    Delegation,
}

impl HoldingKind {
    pub const ALL: [HoldingKind; 7] = [
        HoldingKind::Asset,
        HoldingKind::Document,
        HoldingKind::Letter,
        HoldingKind::Request,
        HoldingKind::Task,
        HoldingKind::LicenceSeat,
        HoldingKind::Delegation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HoldingKind::Asset => "asset",
            HoldingKind::Document => "document",
            HoldingKind::Letter => "letter",
            HoldingKind::Request => "request",
            HoldingKind::Task => "task",
            HoldingKind::LicenceSeat => "licence_seat",
            HoldingKind::Delegation => "delegation",
        }
    }
    pub fn parse(s: &str) -> Option<HoldingKind> {
        HoldingKind::ALL.into_iter().find(|k| k.code() == s.trim())
    }
    /// What a handover moves to the successor itself; the others are dealt
    /// with where they live (a document is routed or delivered, a letter
    /// withdrawn or passed on, a delegation revoked).
    pub fn moves_in_handover(self) -> bool {
        matches!(
            self,
            HoldingKind::Asset
                | HoldingKind::Request
                | HoldingKind::Task
                | HoldingKind::LicenceSeat
                | HoldingKind::Delegation
        )
    }
}

/// Why a departure is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepartureRefusal {
    /// He still holds these (kind, count): hand them over first.
    Holds(Vec<(HoldingKind, usize)>),
    /// The successor is the person leaving.
    SuccessorIsLeaver,
    /// On a death the list is closed by a commission of three (m.20/1-d).
    CommissionRequired,
}

impl DepartureRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            DepartureRefusal::Holds(_) => "holdings_remain",
            DepartureRefusal::SuccessorIsLeaver => "successor_is_leaver",
            DepartureRefusal::CommissionRequired => "commission_too_small",
        }
    }
}

/// Why someone leaves.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LeavingReason {
    /// Transfer to another post or institution (nakil, görev değişikliği).
    Transfer,
    Retirement,
    Resignation,
    /// End of contract or dismissal.
    Termination,
    /// m.20/1-d: the record is made by a commission.
    Death,
    Other,
}

impl LeavingReason {
    pub fn code(self) -> &'static str {
        match self {
            LeavingReason::Transfer => "transfer",
            LeavingReason::Retirement => "retirement",
            LeavingReason::Resignation => "resignation",
            LeavingReason::Termination => "termination",
            LeavingReason::Death => "death",
            LeavingReason::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<LeavingReason> {
        [
            LeavingReason::Transfer,
            LeavingReason::Retirement,
            LeavingReason::Resignation,
            LeavingReason::Termination,
            LeavingReason::Death,
            LeavingReason::Other,
        ]
        .into_iter()
        .find(|r| r.code() == s.trim())
    }
}

/// m.20/1-ç: whoever leaves a post hands over his documents, equipment and
/// work against a list; the departure is recorded only once nothing is
/// left in his name. m.20/1-d: on a death, a commission of three closes
/// the list in his place.
pub fn depart(
    leaver: i64,
    successor: Option<i64>,
    reason: LeavingReason,
    commission: &[i64],
    holdings: &[(HoldingKind, usize)],
) -> Result<(), DepartureRefusal> {
    if successor == Some(leaver) {
        return Err(DepartureRefusal::SuccessorIsLeaver);
    }
    if reason == LeavingReason::Death {
        let distinct: HashSet<i64> = commission
            .iter()
            .copied()
            .filter(|c| *c != leaver)
            .collect();
        if distinct.len() < 3 {
            return Err(DepartureRefusal::CommissionRequired);
        }
    }
    let left: Vec<(HoldingKind, usize)> =
        holdings.iter().copied().filter(|(_, n)| *n > 0).collect();
    if !left.is_empty() {
        return Err(DepartureRefusal::Holds(left));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_code_list_gives_leaves_to_assets() {
        let l = CodeList::shipped();
        assert_eq!(l.len(), 3260);
        // A laptop: 255.02.01.01.02 Dizüstü Bilgisayarlar, a leaf.
        let c = l.for_asset("255.02.01.01.02").unwrap();
        assert_eq!(
            (c.account, c.level, c.name.as_str()),
            (255, 4, "Dizüstü Bilgisayarlar")
        );
        // A desktop is a group: its sub-code (kasa) is what an asset takes.
        assert_eq!(l.for_asset("255.02.01.01.01"), Err(CodeRefusal::Group));
        assert!(l.for_asset("255.02.01.01.01.01").is_ok());
        assert_eq!(l.for_asset("255"), Err(CodeRefusal::Group));
        assert_eq!(l.for_asset("999.01"), Err(CodeRefusal::Unknown));
        assert_eq!(l.for_asset(""), Err(CodeRefusal::Unknown));
        // Every account of the list is there.
        for a in ["150", "253", "254", "255"] {
            assert!(l.get(a).is_some(), "{a}");
        }
        assert!(l
            .search("dizüstü", 10)
            .iter()
            .any(|c| c.code == "255.02.01.01.02"));
        assert!(l
            .search("DİZÜSTÜ", 10)
            .iter()
            .any(|c| c.code == "255.02.01.01.02"));
    }

    #[test]
    fn money_as_people_type_it() {
        for (s, k) in [
            ("25000", Some(2_500_000)),
            ("25000.50", Some(2_500_050)),
            ("25.000,50", Some(2_500_050)),
            ("25,000.50", Some(2_500_050)),
            ("25.000", Some(2_500_000)),
            ("0,5", Some(50)),
            ("1.234.567,89 TL", Some(123_456_789)),
            ("12₺", Some(1200)),
            ("-5", None),
            ("abc", None),
            ("", None),
            ("1,2,3,4", None),
            ("1.000.00", None),
            ("1.000,000", None),
            ("99999999999999", None),
        ] {
            assert_eq!(parse_money(s), k, "{s}");
        }
        assert_eq!(format_money(2_500_050), "25.000,50");
        assert_eq!(format_money(5), "0,05");
        assert_eq!(format_money(123_456_789), "1.234.567,89");
    }

    /// Taşınır Mal Yönetmeliği (RG 10.10.2024, 32688): an asset is issued
    /// from the warehouse (m.23/1) against a Taşınır Teslim Belgesi (a
    /// place's against the Dayanıklı Taşınırlar Listesi, m.23/6), taken back
    /// by the officer (m.18/3); custody of an asset already held is refused.
    #[test]
    fn custody_steps() {
        use AssetState::{Disposed, InCustody, InStock};
        use CustodyRefusal::{AlreadyHeld, NotHeld, NotHolder, SameHolder};
        let ali = Holder::Person(7);
        let room = Holder::Place("Sunucu odası".into());
        let rows: [(&str, Result<(), CustodyRefusal>); 3] = [
            ("from the warehouse", give(InStock)),
            ("already held", give(InCustody)),
            ("disposed", give(Disposed)),
        ];
        assert_eq!(
            rows.iter().map(|r| r.1).collect::<Vec<_>>(),
            vec![Ok(()), Err(AlreadyHeld), Err(CustodyRefusal::Disposed)],
            "{rows:?}"
        );
        // (state, holder, actor, actor is the officer) → outcome
        let returns = [
            (
                InCustody,
                Some(&ali),
                7,
                false,
                Ok(()),
                "the holder returns it",
            ),
            (
                InCustody,
                Some(&ali),
                9,
                false,
                Err(NotHolder),
                "someone else may not",
            ),
            (
                InCustody,
                Some(&ali),
                9,
                true,
                Ok(()),
                "TMY m.18/3: the officer takes it back",
            ),
            (
                InCustody,
                Some(&room),
                9,
                true,
                Ok(()),
                "a place's asset: the officer records its return",
            ),
            (
                InCustody,
                Some(&room),
                7,
                false,
                Err(NotHolder),
                "but nobody else",
            ),
            (InStock, None, 7, true, Err(NotHeld), "nothing to return"),
            (
                Disposed,
                None,
                7,
                true,
                Err(CustodyRefusal::Disposed),
                "written off",
            ),
        ];
        for (state, holder, actor, officer, want, why) in returns {
            assert_eq!(return_by(state, holder, actor, officer), want, "{why}");
        }
        assert_eq!(transfer(InCustody, Some(&ali), &room), Ok(()));
        assert_eq!(
            transfer(InCustody, Some(&ali), &Holder::Person(7)),
            Err(SameHolder)
        );
        assert_eq!(transfer(InStock, None, &ali), Err(NotHeld));
    }

    /// Taşınır Mal Yönetmeliği (kayıttan düşme): a commission decides; the
    /// asset is in the warehouse; nothing is deleted.
    #[test]
    fn disposal_needs_a_commission() {
        use AssetState::*;
        assert_eq!(dispose(InStock, &[1, 2, 3], "2026/4"), Ok(()));
        assert_eq!(
            dispose(InStock, &[1, 2, 2], "2026/4"),
            Err(DisposalRefusal::CommissionTooSmall)
        );
        assert_eq!(
            dispose(InStock, &[1, 2, 3], " "),
            Err(DisposalRefusal::DecisionRequired)
        );
        assert_eq!(
            dispose(InCustody, &[1, 2, 3], "2026/4"),
            Err(DisposalRefusal::Held)
        );
        assert_eq!(
            dispose(Disposed, &[1, 2, 3], "2026/4"),
            Err(DisposalRefusal::AlreadyDisposed)
        );
    }

    #[test]
    fn seats_and_dates() {
        assert!(seat_available(LicenceKind::PerSeat, 2, 1));
        assert!(!seat_available(LicenceKind::PerSeat, 2, 2));
        assert!(!seat_available(LicenceKind::PerDevice, 0, 0));
        assert!(seat_available(LicenceKind::Site, 0, 500));
        let today = date!(2026 - 11 - 30);
        assert_eq!(
            ends_soon(date!(2027 - 01 - 29), today, &ALERT_DAYS),
            Some(60)
        );
        assert_eq!(ends_soon(date!(2027 - 01 - 30), today, &ALERT_DAYS), None);
        assert_eq!(
            ends_soon(date!(2026 - 11 - 20), today, &ALERT_DAYS),
            Some(-10)
        );
        assert!(restore_overdue(None, 90, today));
        assert!(!restore_overdue(Some(date!(2026 - 09 - 01)), 90, today));
        assert!(restore_overdue(Some(date!(2026 - 08 - 31)), 90, today));
    }

    /// m.20/1-ç: no departure while anything is held; m.20/1-d: on a death,
    /// a commission of three.
    #[test]
    fn departure_waits_for_the_handover() {
        use HoldingKind::*;
        assert_eq!(
            depart(
                7,
                Some(8),
                LeavingReason::Transfer,
                &[],
                &[(Asset, 0), (Task, 0)]
            ),
            Ok(())
        );
        assert_eq!(
            depart(
                7,
                Some(8),
                LeavingReason::Transfer,
                &[],
                &[(Asset, 1), (Task, 0), (Letter, 2)]
            ),
            Err(DepartureRefusal::Holds(vec![(Asset, 1), (Letter, 2)]))
        );
        assert_eq!(
            depart(7, Some(7), LeavingReason::Transfer, &[], &[]),
            Err(DepartureRefusal::SuccessorIsLeaver)
        );
        assert_eq!(
            depart(7, Some(8), LeavingReason::Death, &[1, 2], &[]),
            Err(DepartureRefusal::CommissionRequired)
        );
        assert_eq!(
            depart(7, Some(8), LeavingReason::Death, &[1, 2, 7], &[]),
            Err(DepartureRefusal::CommissionRequired),
            "not the deceased himself"
        );
        assert_eq!(
            depart(7, Some(8), LeavingReason::Death, &[1, 2, 3], &[]),
            Ok(())
        );
        assert_eq!(LeavingReason::parse("death"), Some(LeavingReason::Death));
        assert_eq!(HoldingKind::parse("licence_seat"), Some(LicenceSeat));
    }
}

// ---- Counting (sayım) --------------------------------------------------------------

/// The article the count follows: the Taşınır Mal Yönetmeliği (RG
/// 10.10.2024, 32688) has the assets counted by a board the harcama
/// yetkilisi forms of at least three, the Taşınır Kayıt Yetkilisi among
/// them, and the result written in a Sayım Tutanağı they sign.
pub const COUNT_ARTICLE: &str = "Taşınır Mal Yönetmeliği m.32";

/// Why a count's board was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardRefusal {
    /// Fewer than `min` different people.
    TooFew,
    /// No Taşınır Kayıt Yetkilisi among them.
    NoOfficer,
}

/// A count's board: at least `min` different people (three by default,
/// configurable upwards only by the caller's choice), one of them an
/// officer. `members` are (user id, is an officer).
pub fn count_board(members: &[(i64, bool)], min: usize) -> Result<(), BoardRefusal> {
    let distinct: HashSet<i64> = members.iter().map(|m| m.0).collect();
    if distinct.len() < min.max(3) {
        return Err(BoardRefusal::TooFew);
    }
    if !members.iter().any(|m| m.1) {
        return Err(BoardRefusal::NoOfficer);
    }
    Ok(())
}

/// What a scanned tag means on a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScanResult {
    /// Expected at the place, and now counted.
    Found,
    /// Found at the place, but registered elsewhere (or written off): a
    /// difference.
    Surplus,
    /// Counted before.
    Again,
}

/// Scanning a tag on a count: `line` is whether the asset is on the count
/// (expected, counted). A closed count takes nothing.
pub fn scan(line: Option<(bool, bool)>) -> ScanResult {
    match line {
        Some((_, true)) => ScanResult::Again,
        Some((true, false)) => ScanResult::Found,
        // Added as found on a first scan; never expected-uncounted.
        Some((false, false)) | None => ScanResult::Surplus,
    }
}

/// Who counts: a member of the board (on the rule of the article), or
/// else only the officer (on his authority, which the caller checks).
pub fn count_member(
    actor: &crate::account::User,
    members: &[i64],
) -> Option<crate::authority::Grant> {
    members
        .contains(&actor.id)
        .then(|| crate::authority::Grant::rule(actor, COUNT_ARTICLE, "sayım kurulu üyesi"))
}

/// The tag in what a scanner typed: the tag itself, or the address a
/// label's QR code carries (`…/demirbas/etiket/{tag}`).
pub fn scanned_tag(s: &str) -> &str {
    let s = s.trim();
    match s.rfind("/demirbas/etiket/") {
        Some(i) => s[i + "/demirbas/etiket/".len()..].trim_end_matches('/'),
        None => s,
    }
}

#[cfg(test)]
mod count_tests {
    use super::*;

    /// Taşınır Mal Yönetmeliği m.32: a board of at least three, the
    /// Taşınır Kayıt Yetkilisi among them; a larger minimum may be set,
    /// never a smaller one.
    #[test]
    fn the_board_is_three_with_the_officer() {
        assert_eq!(
            count_board(&[(1, true), (2, false)], 3),
            Err(BoardRefusal::TooFew)
        );
        assert_eq!(
            count_board(&[(1, true), (2, false), (2, false)], 3),
            Err(BoardRefusal::TooFew)
        );
        assert_eq!(
            count_board(&[(1, false), (2, false), (3, false)], 3),
            Err(BoardRefusal::NoOfficer)
        );
        assert_eq!(count_board(&[(1, false), (2, true), (3, false)], 3), Ok(()));
        assert_eq!(count_board(&[(1, false), (2, true), (3, false)], 1), Ok(()));
        assert_eq!(
            count_board(&[(1, false), (2, true), (3, false)], 5),
            Err(BoardRefusal::TooFew)
        );
    }

    #[test]
    fn a_scan_is_found_surplus_or_again() {
        assert_eq!(scan(Some((true, false))), ScanResult::Found);
        assert_eq!(scan(Some((true, true))), ScanResult::Again);
        assert_eq!(scan(Some((false, true))), ScanResult::Again);
        assert_eq!(scan(None), ScanResult::Surplus);
    }

    #[test]
    fn a_label_address_scans_as_its_tag() {
        assert_eq!(scanned_tag(" 255.02.01.01.02-17 "), "255.02.01.01.02-17");
        assert_eq!(
            scanned_tag("https://bilgiislem.ornek.bel.tr/demirbas/etiket/255.02.01.01.02-17"),
            "255.02.01.01.02-17"
        );
        assert_eq!(
            scanned_tag("http://10.0.0.5:8080/demirbas/etiket/255.02.01.01.02-3/"),
            "255.02.01.01.02-3"
        );
    }
}
