//! The regulation profile: the organisation and its authorities as data.
//!
//! A profile is a TOML file (see `profiles/bilgi-islem.toml`, the default,
//! which encodes the IT directorate's regulation). It is checked whole at
//! load: a profile that contradicts itself is refused with a message naming
//! the offending entry, so a loaded [`Profile`] is consistent by
//! construction: every unit, position, staff kind and authority it refers
//! to exists, and neither the unit tree nor the reporting lines have cycles.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

/// The default profile, shipped with the product.
pub const BUILTIN: &str = include_str!("../profiles/bilgi-islem.toml");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("profile is not valid TOML: {0}")]
    Parse(String),
    #[error("{kind} `{id}` is defined twice")]
    Duplicate { kind: &'static str, id: String },
    #[error("{entry}: {field} must not be empty")]
    Empty { entry: String, field: &'static str },
    #[error("{entry}: unknown unit `{unit}`")]
    UnknownUnit { entry: String, unit: String },
    #[error("{entry}: unknown position `{position}`")]
    UnknownPosition { entry: String, position: String },
    #[error("{entry}: unknown staff kind `{kind}`")]
    UnknownStaffKind { entry: String, kind: String },
    #[error("unit `{unit}`: kind must be institution, directorate or section, not `{kind}`")]
    BadUnitKind { unit: String, kind: String },
    #[error("{what} form a cycle: {}", path.join(" → "))]
    Cycle {
        what: &'static str,
        path: Vec<String>,
    },
    #[error("unit `{unit}`: only the root unit may have no parent (root is `{root}`)")]
    SecondRoot { unit: String, root: String },
    #[error("the profile lacks the authority `{0}`, which the program relies on; add it with its holders and article")]
    MissingAuthority(&'static str),
    #[error("{entry}: unknown authority `{authority}`")]
    UnknownAuthority { entry: String, authority: String },
    #[error("the profile has no unit of kind `directorate`")]
    NoDirectorate,
    #[error("{entry}: unknown SLA class `{sla}`")]
    UnknownSla { entry: String, sla: String },
    #[error("{entry}: respond_hours and resolve_hours must be positive working hours, respond before resolve")]
    BadSla { entry: String },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileMeta {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub decision: String,
    pub version: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    Institution,
    Directorate,
    Section,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub id: String,
    pub name: String,
    /// The name in English (the pages in English show it; empty: `name`).
    #[serde(default)]
    pub name_en: String,
    pub kind: String,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub article: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct StaffKind {
    pub id: String,
    pub name: String,
    /// The name in English (the pages in English show it; empty: `name`).
    #[serde(default)]
    pub name_en: String,
    pub law: String,
    pub may_sign: bool,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub id: String,
    pub name: String,
    /// The name in English (the pages in English show it; empty: `name`).
    #[serde(default)]
    pub name_en: String,
    pub unit: String,
    #[serde(default)]
    pub reports_to: Option<String>,
    #[serde(default)]
    pub article: String,
    /// A role given in the program beside one's post (the Taşınır Kayıt
    /// Yetkilisi), by whoever holds this authority; the directory's groups
    /// neither give nor end it.
    #[serde(default)]
    pub appointed_by: Option<String>,
}

/// An authority as the profile defines it: who holds it, on which
/// article. The code names the ones it relies on with
/// [`crate::authority::Authority`]; a profile must define each of those.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityDef {
    pub id: String,
    pub name: String,
    /// The name in English (the pages in English show it; empty: `name`).
    #[serde(default)]
    pub name_en: String,
    pub holders: Vec<String>,
    /// When not empty, only people of these staff kinds hold it.
    #[serde(default)]
    pub staff_kinds: Vec<String>,
    /// The article it rests on, e.g. `m.20/1-c`.
    pub article: String,
    /// Whether a holder may delegate it (m.10/4).
    #[serde(default)]
    pub delegable: bool,
    /// A signature authority (imza or paraf): delegated only to staff of a
    /// kind that may sign (m.4: the Memur "with signature authority").
    #[serde(default)]
    pub signature: bool,
    /// When not empty, a delegation of it goes only to holders of these
    /// positions (m.20/3: the Mayor's signature "or that of the Deputy
    /// Mayor he authorises").
    #[serde(default)]
    pub delegable_to: Vec<String>,
    /// The article a delegation of it rests on, when another than the
    /// directorate's m.10/4 (the Mayor's delegation of his signature:
    /// m.20/3).
    #[serde(default)]
    pub delegation_article: Option<String>,
}

impl AuthorityDef {
    /// The article a delegation of this authority rests on.
    pub fn delegation_article(&self) -> &str {
        self.delegation_article
            .as_deref()
            .unwrap_or(crate::authority::DELEGATION_ARTICLE)
    }
}

/// Who may stand in for a position, approved by whom (m.12/2).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeputyshipRule {
    #[serde(rename = "for")]
    pub for_position: String,
    pub eligible: Vec<String>,
    pub approved_by: String,
    pub article: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    profile: ProfileMeta,
    units: Vec<Unit>,
    staff_kinds: Vec<StaffKind>,
    positions: Vec<Position>,
    authorities: Vec<AuthorityDef>,
    #[serde(default)]
    deputyships: Vec<DeputyshipRule>,
    #[serde(default)]
    sla_classes: Vec<SlaClass>,
    #[serde(default)]
    request_categories: Vec<RequestCategory>,
}

/// A service level (issue 15): how many working hours the desk has to
/// respond to a request and to resolve it.
#[derive(Debug, Clone, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaClass {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    pub respond_hours: f64,
    pub resolve_hours: f64,
}

/// A kind of request the desk takes (m.16/2-5): the section that handles
/// it and its service level.
#[derive(Debug, Clone, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestCategory {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    /// The unit (a section) that handles it.
    pub section: String,
    /// The SLA class (an `sla_classes` id).
    pub sla: String,
    /// The article behind it.
    #[serde(default)]
    pub article: String,
}

/// A consistent regulation profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub meta: ProfileMeta,
    units: Vec<Unit>,
    staff_kinds: Vec<StaffKind>,
    positions: Vec<Position>,
    authorities: Vec<AuthorityDef>,
    deputyships: Vec<DeputyshipRule>,
    sla_classes: Vec<SlaClass>,
    request_categories: Vec<RequestCategory>,
    unit_ix: HashMap<String, usize>,
    position_ix: HashMap<String, usize>,
    authority_ix: HashMap<String, usize>,
}

fn index<T>(
    kind: &'static str,
    items: &[T],
    id: impl Fn(&T) -> &str,
) -> Result<HashMap<String, usize>, ProfileError> {
    let mut ix = HashMap::new();
    for (i, it) in items.iter().enumerate() {
        let id = id(it);
        if id.trim().is_empty() {
            return Err(ProfileError::Empty {
                entry: format!("{kind} #{}", i + 1),
                field: "id",
            });
        }
        if ix.insert(id.to_owned(), i).is_some() {
            return Err(ProfileError::Duplicate {
                kind,
                id: id.to_owned(),
            });
        }
    }
    Ok(ix)
}

/// Follows `next` from every node; reports the first cycle found.
fn find_cycle<'a>(
    what: &'static str,
    ids: impl Iterator<Item = &'a str>,
    next: impl Fn(&str) -> Option<&'a str>,
) -> Result<(), ProfileError> {
    for start in ids {
        let mut path = vec![start.to_owned()];
        let mut seen = HashSet::from([start]);
        let mut cur = start;
        while let Some(n) = next(cur) {
            path.push(n.to_owned());
            if !seen.insert(n) {
                // Trim the lead-in so the message shows just the loop.
                let first = path.iter().position(|p| p == n).unwrap_or(0);
                return Err(ProfileError::Cycle {
                    what,
                    path: path[first..].to_vec(),
                });
            }
            cur = n;
        }
    }
    Ok(())
}

impl Profile {
    /// The default profile shipped with the product.
    pub fn builtin() -> Result<Profile, ProfileError> {
        Profile::from_toml(BUILTIN)
    }

    pub fn from_toml(text: &str) -> Result<Profile, ProfileError> {
        let raw: RawProfile = toml::from_str(text)
            .map_err(|e| ProfileError::Parse(e.message().replace('\n', " ")))?;
        Profile::check(raw)
    }

    fn check(raw: RawProfile) -> Result<Profile, ProfileError> {
        let unit_ix = index("unit", &raw.units, |u| &u.id)?;
        let kind_ix = index("staff kind", &raw.staff_kinds, |k| &k.id)?;
        let position_ix = index("position", &raw.positions, |p| &p.id)?;
        let authority_ix = index("authority", &raw.authorities, |a| &a.id)?;

        let mut root: Option<&str> = None;
        for u in &raw.units {
            let entry = format!("unit `{}`", u.id);
            if u.name.trim().is_empty() {
                return Err(ProfileError::Empty {
                    entry,
                    field: "name",
                });
            }
            if !matches!(u.kind.as_str(), "institution" | "directorate" | "section") {
                return Err(ProfileError::BadUnitKind {
                    unit: u.id.clone(),
                    kind: u.kind.clone(),
                });
            }
            match &u.parent {
                Some(p) if !unit_ix.contains_key(p) => {
                    return Err(ProfileError::UnknownUnit {
                        entry,
                        unit: p.clone(),
                    })
                }
                Some(_) => {}
                None => match root {
                    Some(r) => {
                        return Err(ProfileError::SecondRoot {
                            unit: u.id.clone(),
                            root: r.to_owned(),
                        })
                    }
                    None => root = Some(&u.id),
                },
            }
        }
        find_cycle("units", raw.units.iter().map(|u| u.id.as_str()), |id| {
            raw.units[unit_ix[id]].parent.as_deref()
        })?;

        for k in &raw.staff_kinds {
            if k.name.trim().is_empty() {
                return Err(ProfileError::Empty {
                    entry: format!("staff kind `{}`", k.id),
                    field: "name",
                });
            }
        }

        for p in &raw.positions {
            let entry = format!("position `{}`", p.id);
            if p.name.trim().is_empty() {
                return Err(ProfileError::Empty {
                    entry,
                    field: "name",
                });
            }
            if !unit_ix.contains_key(&p.unit) {
                return Err(ProfileError::UnknownUnit {
                    entry,
                    unit: p.unit.clone(),
                });
            }
            if let Some(r) = &p.reports_to {
                if !position_ix.contains_key(r) {
                    return Err(ProfileError::UnknownPosition {
                        entry,
                        position: r.clone(),
                    });
                }
            }
        }
        find_cycle(
            "reporting lines",
            raw.positions.iter().map(|p| p.id.as_str()),
            |id| raw.positions[position_ix[id]].reports_to.as_deref(),
        )?;

        for a in &raw.authorities {
            let entry = format!("authority `{}`", a.id);
            if a.name.trim().is_empty() {
                return Err(ProfileError::Empty {
                    entry,
                    field: "name",
                });
            }
            if a.article.trim().is_empty() {
                return Err(ProfileError::Empty {
                    entry,
                    field: "article",
                });
            }
            if a.holders.is_empty() {
                return Err(ProfileError::Empty {
                    entry,
                    field: "holders",
                });
            }
            if let Some(h) = a
                .holders
                .iter()
                .chain(&a.delegable_to)
                .find(|h| !position_ix.contains_key(*h))
            {
                return Err(ProfileError::UnknownPosition {
                    entry,
                    position: h.clone(),
                });
            }
            if let Some(k) = a.staff_kinds.iter().find(|k| !kind_ix.contains_key(*k)) {
                return Err(ProfileError::UnknownStaffKind {
                    entry,
                    kind: k.clone(),
                });
            }
        }

        for p in &raw.positions {
            if let Some(a) = p
                .appointed_by
                .as_ref()
                .filter(|a| !authority_ix.contains_key(a.as_str()))
            {
                return Err(ProfileError::UnknownAuthority {
                    entry: format!("position `{}`", p.id),
                    authority: a.clone(),
                });
            }
        }
        if let Some(missing) = crate::authority::Authority::ALL
            .iter()
            .find(|a| !authority_ix.contains_key(a.id()))
        {
            return Err(ProfileError::MissingAuthority(missing.id()));
        }
        if !raw.units.iter().any(|u| u.kind == "directorate") {
            return Err(ProfileError::NoDirectorate);
        }

        for d in &raw.deputyships {
            let entry = format!("deputyship for `{}`", d.for_position);
            for p in std::iter::once(&d.for_position)
                .chain(&d.eligible)
                .chain(std::iter::once(&d.approved_by))
            {
                if !position_ix.contains_key(p) {
                    return Err(ProfileError::UnknownPosition {
                        entry,
                        position: p.clone(),
                    });
                }
            }
            if d.article.trim().is_empty() {
                return Err(ProfileError::Empty {
                    entry,
                    field: "article",
                });
            }
        }

        let sla_ix = index("SLA class", &raw.sla_classes, |c| &c.id)?;
        for c in &raw.sla_classes {
            let entry = format!("SLA class `{}`", c.id);
            if c.name.trim().is_empty() {
                return Err(ProfileError::Empty {
                    entry,
                    field: "name",
                });
            }
            let ok = |h: f64| h.is_finite() && h > 0.0 && h <= crate::worktime::MAX_HOURS;
            if !ok(c.respond_hours) || !ok(c.resolve_hours) || c.respond_hours > c.resolve_hours {
                return Err(ProfileError::BadSla { entry });
            }
        }
        index("request category", &raw.request_categories, |c| &c.id)?;
        for c in &raw.request_categories {
            let entry = format!("request category `{}`", c.id);
            if c.name.trim().is_empty() {
                return Err(ProfileError::Empty {
                    entry,
                    field: "name",
                });
            }
            if !unit_ix.contains_key(&c.section) {
                return Err(ProfileError::UnknownUnit {
                    entry,
                    unit: c.section.clone(),
                });
            }
            if !sla_ix.contains_key(&c.sla) {
                return Err(ProfileError::UnknownSla {
                    entry,
                    sla: c.sla.clone(),
                });
            }
        }

        Ok(Profile {
            meta: raw.profile,
            sla_classes: raw.sla_classes,
            request_categories: raw.request_categories,
            units: raw.units,
            staff_kinds: raw.staff_kinds,
            positions: raw.positions,
            authorities: raw.authorities,
            deputyships: raw.deputyships,
            unit_ix,
            position_ix,
            authority_ix,
        })
    }

    pub fn units(&self) -> &[Unit] {
        &self.units
    }
    pub fn staff_kinds(&self) -> &[StaffKind] {
        &self.staff_kinds
    }
    pub fn positions(&self) -> &[Position] {
        &self.positions
    }
    pub fn authorities(&self) -> &[AuthorityDef] {
        &self.authorities
    }
    pub fn deputyships(&self) -> &[DeputyshipRule] {
        &self.deputyships
    }
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.unit_ix.get(id).map(|&i| &self.units[i])
    }
    pub fn position(&self, id: &str) -> Option<&Position> {
        self.position_ix.get(id).map(|&i| &self.positions[i])
    }
    pub fn authority(&self, id: &str) -> Option<&AuthorityDef> {
        self.authority_ix.get(id).map(|&i| &self.authorities[i])
    }
    /// The authorities a position holds, in profile order.
    pub fn authorities_of<'a>(
        &'a self,
        position: &'a str,
    ) -> impl Iterator<Item = &'a AuthorityDef> + 'a {
        self.authorities
            .iter()
            .filter(move |a| a.holders.iter().any(|h| h == position))
    }
    /// The unit a position heads: its own, when it reports to a position
    /// of another unit (a Şef heads his Şeflik, the Müdür the Müdürlük).
    pub fn headed_unit(&self, position: &str) -> Option<&str> {
        let p = self.position(position)?;
        let boss_unit = p
            .reports_to
            .as_deref()
            .and_then(|b| self.position(b))
            .map(|b| b.unit.as_str());
        (boss_unit != Some(p.unit.as_str())).then_some(p.unit.as_str())
    }
    /// The positions of a unit.
    pub fn positions_in<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a Position> + 'a {
        self.positions.iter().filter(move |p| p.unit == unit)
    }
    /// The directorate this profile is the regulation of (every profile has
    /// one: checked at load).
    pub fn directorate(&self) -> &Unit {
        self.units
            .iter()
            .find(|u| u.kind == "directorate")
            .unwrap_or(&self.units[0])
    }
    /// The definition of an authority the code relies on (present in every
    /// loaded profile: checked at load).
    pub fn def(&self, a: crate::authority::Authority) -> &AuthorityDef {
        self.authority(a.id()).unwrap_or(&self.authorities[0])
    }
    /// Whether `unit` is `ancestor` or lies under it.
    pub fn unit_within(&self, unit: &str, ancestor: &str) -> bool {
        let mut cur = Some(unit);
        for _ in 0..=self.units.len() {
            match cur {
                Some(u) if u == ancestor => return true,
                Some(u) => cur = self.unit(u).and_then(|x| x.parent.as_deref()),
                None => return false,
            }
        }
        false
    }

    /// Whether `position` reports to `boss`, directly or through others.
    pub fn reports_up_to(&self, position: &str, boss: &str) -> bool {
        let mut cur = self
            .position(position)
            .and_then(|p| p.reports_to.as_deref());
        for _ in 0..self.positions.len() {
            match cur {
                Some(p) if p == boss => return true,
                Some(p) => cur = self.position(p).and_then(|p| p.reports_to.as_deref()),
                None => return false,
            }
        }
        false
    }
    /// The service desk's SLA classes.
    pub fn sla_classes(&self) -> &[SlaClass] {
        &self.sla_classes
    }
    pub fn sla_class(&self, id: &str) -> Option<&SlaClass> {
        self.sla_classes.iter().find(|c| c.id == id)
    }
    /// The kinds of request the desk takes.
    pub fn request_categories(&self) -> &[RequestCategory] {
        &self.request_categories
    }
    pub fn request_category(&self, id: &str) -> Option<&RequestCategory> {
        self.request_categories.iter().find(|c| c.id == id)
    }
    /// The position that heads `unit` (its Şef), if any.
    pub fn head_of(&self, unit: &str) -> Option<&Position> {
        self.positions
            .iter()
            .find(|p| p.unit == unit && self.headed_unit(&p.id) == Some(unit))
    }

    /// The units under `unit`, direct children first.
    pub fn children<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a Unit> + 'a {
        self.units
            .iter()
            .filter(move |u| u.parent.as_deref() == Some(unit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chiefs_head_their_sections() {
        let p = Profile::builtin().unwrap();
        assert_eq!(p.headed_unit("sef_bt"), Some("bt"));
        assert_eq!(p.headed_unit("mudur"), Some("mudurluk"));
        assert_eq!(p.headed_unit("personel_bt"), None);
        assert_eq!(
            p.positions_in("bt")
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>(),
            ["sef_bt", "personel_bt"]
        );
    }

    #[test]
    fn the_builtin_profile_encodes_the_regulation() {
        let p = Profile::builtin().unwrap();
        // Belediye → Başkan → Başkan Yardımcısı → Bilgi İşlem Müdürlüğü (m.5–7).
        assert_eq!(
            p.position("mudur").unwrap().reports_to.as_deref(),
            Some("baskan_yardimcisi")
        );
        assert_eq!(
            p.position("baskan_yardimcisi")
                .unwrap()
                .reports_to
                .as_deref(),
            Some("baskan")
        );
        // The five sections (m.4, m.16).
        let sections: Vec<_> = p.children("mudurluk").map(|u| u.name.as_str()).collect();
        assert_eq!(
            sections,
            [
                "Kalem Şefliği",
                "Bilgi Teknolojileri Şefliği",
                "Teknik Bakım Şefliği",
                "Coğrafi Bilgi Sistemleri Şefliği",
                "Elektronik Sistemler Şefliği"
            ]
        );
        // Staff kinds: only the Memur may sign (m.4).
        let signers: Vec<_> = p
            .staff_kinds()
            .iter()
            .filter(|k| k.may_sign)
            .map(|k| k.law.as_str())
            .collect();
        assert_eq!(signers, ["657"]);
        // Authorities with their articles.
        let route = p.authority("route_incoming").unwrap();
        assert_eq!(
            (route.holders.as_slice(), route.article.as_str()),
            (&["mudur".to_string()][..], "m.20/1-c, m.21/1")
        );
        assert_eq!(p.authority("delegate_authority").unwrap().article, "m.10/4");
        assert_eq!(
            p.authority("initial_document").unwrap().staff_kinds,
            ["memur"]
        );
        assert!(p.authorities_of("mudur").any(|a| a.id == "sign_internal"));
        assert!(!p.authorities_of("sef_bt").any(|a| a.id == "sign_internal"));
        // m.12/2: a Şef stands in for the Müdür with the Mayor's approval.
        let d = &p.deputyships()[0];
        assert_eq!(
            (
                d.for_position.as_str(),
                d.approved_by.as_str(),
                d.eligible.len()
            ),
            ("mudur", "baskan", 5)
        );
    }

    /// The builtin profile with one text replaced, for breaking it.
    fn broken(from: &str, to: &str) -> ProfileError {
        assert!(
            BUILTIN.contains(from),
            "test setup: {from:?} not in the profile"
        );
        Profile::from_toml(&BUILTIN.replacen(from, to, 1)).unwrap_err()
    }

    #[test]
    fn a_contradictory_profile_is_refused_naming_the_entry() {
        let e = broken(
            "unit = \"kalem\"\nreports_to = \"mudur\"",
            "unit = \"muhasebe\"\nreports_to = \"mudur\"",
        );
        assert_eq!(
            e.to_string(),
            "position `sef_kalem`: unknown unit `muhasebe`"
        );

        let e = broken(
            "holders = [\"mudur\"]\narticle = \"m.20/1-c, m.21/1\"",
            "holders = [\"genel_sekreter\"]\narticle = \"m.20/1-c, m.21/1\"",
        );
        assert_eq!(
            e.to_string(),
            "authority `route_incoming`: unknown position `genel_sekreter`"
        );

        // The Mayor reporting to the Müdür closes a loop.
        let e = broken(
            "name_en = \"Mayor\"\nunit = \"belediye\"",
            "name_en = \"Mayor\"\nunit = \"belediye\"\nreports_to = \"mudur\"",
        );
        assert!(
            matches!(&e, ProfileError::Cycle { what: "reporting lines", path } if path.first() == path.last() && path.contains(&"mudur".to_string())),
            "{e}"
        );
        assert_eq!(
            e.to_string(),
            "reporting lines form a cycle: baskan → mudur → baskan_yardimcisi → baskan"
        );

        let e = broken("id = \"belediye\"\nname = \"Belediye\"\nname_en = \"Municipality\"\nkind = \"institution\"", "id = \"belediye\"\nname = \"Belediye\"\nname_en = \"Municipality\"\nkind = \"institution\"\nparent = \"kalem\"");
        assert!(
            matches!(e, ProfileError::Cycle { what: "units", .. }),
            "{e}"
        );

        let e = broken("id = \"sef_bt\"", "id = \"sef_kalem\"");
        assert_eq!(e.to_string(), "position `sef_kalem` is defined twice");

        let e = broken(
            "staff_kinds = [\"memur\"]",
            "staff_kinds = [\"memur\", \"stajyer\"]",
        );
        assert_eq!(
            e.to_string(),
            "authority `initial_document`: unknown staff kind `stajyer`"
        );

        let e = broken("approved_by = \"baskan\"", "approved_by = \"vali\"");
        assert_eq!(
            e.to_string(),
            "deputyship for `mudur`: unknown position `vali`"
        );

        let e = broken("article = \"m.10/4\"", "article = \"\"");
        assert_eq!(
            e.to_string(),
            "authority `delegate_authority`: article must not be empty"
        );

        let e = broken("kind = \"section\"", "kind = \"daire\"");
        assert!(
            e.to_string().starts_with("unit `kalem`: kind must be"),
            "{e}"
        );

        let e = broken("[profile]", "[profil]");
        assert!(matches!(e, ProfileError::Parse(_)), "{e}");
    }

    #[test]
    fn another_directorate_is_just_another_file() {
        let text = r#"
            [profile]
            id = "fen-isleri"
            name = "Fen İşleri Müdürlüğü Yönetmeliği"
            version = 1
            [[units]]
            id = "belediye"
            name = "Belediye"
            kind = "institution"
            [[units]]
            id = "fen"
            name = "Fen İşleri Müdürlüğü"
            kind = "directorate"
            parent = "belediye"
            [[staff_kinds]]
            id = "memur"
            name = "Memur"
            law = "657"
            may_sign = true
            [[positions]]
            id = "mudur"
            name = "Fen İşleri Müdürü"
            unit = "fen"
            [[authorities]]
            id = "route_incoming"
            name = "Gelen evrakı havale etmek"
            holders = ["mudur"]
            article = "m.9/2"
        "#;
        // Every authority the program relies on must be defined; the
        // refusal names the first one missing.
        let e = Profile::from_toml(text).unwrap_err();
        assert_eq!(e, ProfileError::MissingAuthority("route_within_section"));
        assert!(e.to_string().contains("`route_within_section`"), "{e}");
        let mut text = text.to_owned();
        for a in crate::authority::Authority::ALL
            .iter()
            .filter(|a| a.id() != "route_incoming")
        {
            text.push_str(&format!("[[authorities]]\nid = \"{}\"\nname = \"x\"\nholders = [\"mudur\"]\narticle = \"m.9\"\n", a.id()));
        }
        let p = Profile::from_toml(&text).unwrap();
        assert_eq!(p.unit("fen").unwrap().name, "Fen İşleri Müdürlüğü");
        assert_eq!(p.directorate().id, "fen");
        assert!(p.deputyships().is_empty());
    }
}

/// A profile entry's name in the reader's language.
pub trait Named {
    fn names(&self) -> (&str, &str);
    /// The English name when asked for and given, else the Turkish one.
    fn name_for(&self, english: bool) -> &str {
        let (tr, en) = self.names();
        if english && !en.is_empty() {
            en
        } else {
            tr
        }
    }
}

impl Named for Unit {
    fn names(&self) -> (&str, &str) {
        (&self.name, &self.name_en)
    }
}
impl Named for StaffKind {
    fn names(&self) -> (&str, &str) {
        (&self.name, &self.name_en)
    }
}
impl Named for Position {
    fn names(&self) -> (&str, &str) {
        (&self.name, &self.name_en)
    }
}
impl Named for AuthorityDef {
    fn names(&self) -> (&str, &str) {
        (&self.name, &self.name_en)
    }
}
impl Named for SlaClass {
    fn names(&self) -> (&str, &str) {
        (&self.name, &self.name_en)
    }
}
impl Named for RequestCategory {
    fn names(&self) -> (&str, &str) {
        (&self.name, &self.name_en)
    }
}
