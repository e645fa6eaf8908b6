//! The Bilgi ve İletişim Güvenliği Rehberi (CBDDO, 2020/1.0), binding on
//! public institutions by Presidential Circular 2019/12 (issue 18 §1; the
//! regulation's m.8/23–31): its 660 measures, shipped in the binary.
//!
//! The guide grades an asset's criticality 1–3 and applies to it every
//! measure of a level up to its grade: 411 measures at level 1, 559 up to
//! level 2, all 660 at level 3.

use std::sync::OnceLock;

const SHIPPED: &str = include_str!("../data/big_rehberi_2020_v1_tedbirler.csv");

/// One measure (tedbir) of the guide.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Measure {
    /// `3.1.12.15`.
    pub no: String,
    /// 1, 2 or 3.
    pub level: u8,
    /// The guide's section: 3 (asset groups), 4 (application and
    /// technology areas) or 5 (hardening).
    pub section: String,
    /// `3.1`, with its name.
    pub group_no: String,
    pub group_name: String,
    /// `3.1.12`, with its name.
    pub heading_no: String,
    pub heading_name: String,
    pub name: String,
    pub description: String,
    /// How the guide audits it ("Mülakat, Gözden Geçirme", …).
    pub audit_method: String,
    /// The guide's audit questions.
    pub audit_questions: String,
}

/// Every measure, in the guide's order.
pub fn measures() -> &'static [Measure] {
    static ALL: OnceLock<Vec<Measure>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut r = csv::Reader::from_reader(SHIPPED.as_bytes());
        r.records()
            .filter_map(Result::ok)
            .filter_map(|row| {
                let f = |i: usize| row.get(i).unwrap_or("").trim().to_owned();
                Some(Measure {
                    no: f(0),
                    level: f(1).parse().ok()?,
                    section: f(2),
                    group_no: f(3),
                    group_name: f(4),
                    heading_no: f(5),
                    heading_name: f(6),
                    name: f(7),
                    description: f(8),
                    audit_method: f(9),
                    audit_questions: f(10),
                })
            })
            .collect()
    })
}

/// The measure numbered `no`.
pub fn measure(no: &str) -> Option<&'static Measure> {
    measures().iter().find(|m| m.no == no)
}

/// Whether `prefix` names a part of the guide: a section (`3`), a group
/// (`3.1`), a heading (`3.1.12`) or a measure.
pub fn is_part(prefix: &str) -> bool {
    measures().iter().any(|m| within(&m.no, prefix))
}

fn within(no: &str, prefix: &str) -> bool {
    no == prefix || (no.starts_with(prefix) && no[prefix.len()..].starts_with('.'))
}

/// The measures that apply to an asset of criticality `max_level` (every
/// measure of a level up to it), within `part` if given.
pub fn applicable(max_level: u8, part: Option<&str>) -> Vec<&'static Measure> {
    measures()
        .iter()
        .filter(|m| m.level <= max_level)
        .filter(|m| part.is_none_or(|p| within(&m.no, p)))
        .collect()
}

/// A measure's state for an asset in an audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Applied,
    Partly,
    NotApplied,
    /// Needs a reason.
    NotApplicable,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Partly => "partly",
            State::NotApplied => "not_applied",
            State::NotApplicable => "not_applicable",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        [
            State::Applied,
            State::Partly,
            State::NotApplied,
            State::NotApplicable,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }
}

/// Counts of an audit's (asset, measure) pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Tally {
    /// Pairs the guide applies (the asset's grade covers the measure).
    pub applicable: u32,
    pub applied: u32,
    pub partly: u32,
    pub not_applied: u32,
    pub not_applicable: u32,
    pub unassessed: u32,
}

impl Tally {
    fn add(&mut self, s: Option<State>) {
        self.applicable += 1;
        match s {
            Some(State::Applied) => self.applied += 1,
            Some(State::Partly) => self.partly += 1,
            Some(State::NotApplied) => self.not_applied += 1,
            Some(State::NotApplicable) => self.not_applicable += 1,
            None => self.unassessed += 1,
        }
    }

    /// Compliance in percent: applied, and half of partly applied, over
    /// the pairs that apply (not-applicable ones left out); unassessed
    /// pairs count as not applied. `None` when nothing applies.
    pub fn compliance(&self) -> Option<f64> {
        let base = self.applicable - self.not_applicable;
        (base > 0).then(|| {
            let score = f64::from(self.applied) + f64::from(self.partly) / 2.0;
            (score * 1000.0 / f64::from(base)).round() / 10.0
        })
    }
}

/// An audit's tallies: overall, by section, by group, by asset.
#[derive(Debug, Clone, Default)]
pub struct Tallies {
    pub total: Tally,
    pub by_section: std::collections::BTreeMap<String, Tally>,
    pub by_group: std::collections::BTreeMap<String, Tally>,
    pub by_asset: std::collections::BTreeMap<i64, Tally>,
    /// Per measure, over the assets it applies to (the gaps' list).
    pub by_measure: std::collections::HashMap<&'static str, Tally>,
}

/// Tallies `assets` (id, criticality) against every measure that applies
/// to each, with the states recorded.
pub fn tally(
    assets: &[(i64, u8)],
    states: &std::collections::HashMap<(i64, &str), State>,
) -> Tallies {
    let mut t = Tallies::default();
    for &(asset, grade) in assets {
        let mut mine = Tally::default();
        for m in measures().iter().filter(|m| m.level <= grade) {
            let s = states.get(&(asset, m.no.as_str())).copied();
            t.total.add(s);
            mine.add(s);
            t.by_section.entry(m.section.clone()).or_default().add(s);
            t.by_group.entry(m.group_no.clone()).or_default().add(s);
            t.by_measure.entry(m.no.as_str()).or_default().add(s);
        }
        t.by_asset.insert(asset, mine);
    }
    t
}

/// An audit's overall tally from its assets' grades and how many
/// assessments it holds in each state: the audit list's figure, without
/// reading every assessment. Every assessment is of a pair the guide
/// applies (the assessment refuses the others), so what is not assessed is
/// what applies less what is.
pub fn total_tally(grades: &[u8], counts: &[(State, u32)]) -> Tally {
    let applicable: u32 = grades
        .iter()
        .map(|g| applicable(*g, None).len() as u32)
        .sum();
    let count = |s: State| {
        counts
            .iter()
            .filter(|(k, _)| *k == s)
            .map(|(_, n)| *n)
            .sum::<u32>()
    };
    let t = Tally {
        applicable,
        applied: count(State::Applied),
        partly: count(State::Partly),
        not_applied: count(State::NotApplied),
        not_applicable: count(State::NotApplicable),
        unassessed: 0,
    };
    let assessed = t.applied + t.partly + t.not_applied + t.not_applicable;
    Tally {
        unassessed: applicable.saturating_sub(assessed),
        ..t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guide's own counts: 411, 148 and 101 measures at levels 1, 2
    /// and 3, so 411 apply to a level-1 asset, 559 to level 2, 660 to 3.
    #[test]
    fn the_guide_has_its_660_measures() {
        assert_eq!(measures().len(), 660);
        assert_eq!(applicable(1, None).len(), 411);
        assert_eq!(applicable(2, None).len(), 559);
        assert_eq!(applicable(3, None).len(), 660);
        let m = measure("3.1.12.15").unwrap();
        assert_eq!((m.level, m.group_no.as_str()), (2, "3.1"));
        assert_eq!(m.name, "Çok Faktörlü Kimlik Doğrulama Yapılması");
        assert!(!m.audit_questions.is_empty());
        assert_eq!(measure("9.9.9.9"), None);
    }

    #[test]
    fn parts_of_the_guide() {
        assert!(is_part("3") && is_part("3.1") && is_part("3.1.12") && is_part("3.1.12.15"));
        assert!(!is_part("3.1.1.2.") && !is_part("31") && !is_part("9"));
        // "3.1.1" is its heading's, not "3.1.12"'s or "3.1.10"'s.
        assert!(applicable(3, Some("3.1.1"))
            .iter()
            .all(|m| m.heading_no == "3.1.1"));
        let hardening = applicable(3, Some("5"));
        assert_eq!(hardening.len(), 99);
        assert_eq!(
            applicable(1, Some("3.1.12")).len(),
            measures()
                .iter()
                .filter(|m| m.heading_no == "3.1.12" && m.level == 1)
                .count()
        );
    }

    #[test]
    fn an_audits_tallies_and_compliance() {
        use std::collections::HashMap;
        // A level-1 asset and a level-3 one: 411 + 660 pairs.
        let assets = [(1, 1u8), (2, 3u8)];
        let mut states = HashMap::new();
        states.insert((1, "3.1.1.1"), State::Applied);
        states.insert((2, "3.1.1.1"), State::Partly);
        states.insert((2, "3.1.12.15"), State::NotApplicable);
        states.insert((2, "5.1.1.5"), State::NotApplied);
        let t = tally(&assets, &states);
        assert_eq!(t.total.applicable, 411 + 660);
        assert_eq!(
            (
                t.total.applied,
                t.total.partly,
                t.total.not_applied,
                t.total.not_applicable
            ),
            (1, 1, 1, 1)
        );
        assert_eq!(t.total.unassessed, 411 + 660 - 4);
        assert_eq!(t.by_asset[&1].applicable, 411);
        assert_eq!(
            t.by_section["5"].applicable,
            applicable(1, Some("5")).len() as u32 + 99
        );
        // 1.5 points over 1,070 pairs that apply.
        assert_eq!(t.total.compliance(), Some(0.1));
        let mut all = Tally::default();
        for _ in 0..3 {
            all.add(Some(State::Applied));
        }
        all.add(Some(State::Partly));
        assert_eq!(all.compliance(), Some(87.5));
        assert_eq!(Tally::default().compliance(), None);
    }

    /// The list's tally from counts is the full tally's total.
    #[test]
    fn the_total_from_counts_is_the_full_tallys() {
        use std::collections::HashMap;
        let assets = [(1, 1u8), (2, 3u8)];
        let mut states = HashMap::new();
        states.insert((1, "3.1.1.1"), State::Applied);
        states.insert((2, "3.1.1.1"), State::Partly);
        states.insert((2, "3.1.12.15"), State::NotApplicable);
        states.insert((2, "5.1.1.5"), State::NotApplied);
        let full = tally(&assets, &states).total;
        let counts = [
            (State::Applied, 1),
            (State::Partly, 1),
            (State::NotApplicable, 1),
            (State::NotApplied, 1),
        ];
        assert_eq!(total_tally(&[1, 3], &counts), full);
        assert_eq!(total_tally(&[], &[]), Tally::default());
    }
}
