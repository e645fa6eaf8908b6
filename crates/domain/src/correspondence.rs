//! The vocabulary of official correspondence (resmî yazışma): registers,
//! channels, senders with their identifiers, confidentiality and urgency
//! with the e-Yazışma codes, routing purposes. Values are valid by
//! construction; each parse error has a stable code for the front ends.

use crate::tckn::TcKimlikNo;

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal, $tr:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $code)] $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            pub fn parse(s: &str) -> Option<$name> {
                match s.trim() { $($code => Some($name::$variant),)+ _ => None }
            }
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }
            /// The Turkish name, for pages and printed books.
            pub fn name_tr(self) -> &'static str {
                match self { $($name::$variant => $tr,)+ }
            }
        }
    };
}

code_enum! {
    /// Which register book a document is entered in, each numbered on its own.
    Register {
        /// Gelen evrak defteri.
        Incoming = "incoming", "Gelen evrak";
        /// Dilekçe defteri (3071).
        Petition = "petition", "Dilekçe";
    }
}

code_enum! {
    /// How the document arrived.
    Channel {
        Eyazisma = "eyazisma", "e-Yazışma / EBYS";
        Kep = "kep", "KEP";
        Hand = "hand", "Elden (imza karşılığı)";
        Post = "post", "Posta";
        Email = "email", "E-posta";
        Fax = "fax", "Faks";
    }
}

code_enum! {
    /// Gizlilik derecesi, with the e-Yazışma codes.
    Confidentiality {
        None = "YOK", "Yok";
        Restricted = "HZO", "Hizmete özel";
        Personal = "OZL", "Kişiye özel";
        Confidential = "GZL", "Gizli";
        Secret = "CGZ", "Çok gizli";
    }
}

impl Confidentiality {
    /// GZL and CGZ: seen only by those it was routed to, the (acting)
    /// Müdür and the registrar.
    pub fn is_restricted(self) -> bool {
        matches!(self, Confidentiality::Confidential | Confidentiality::Secret)
    }
}

code_enum! {
    /// İvedilik, with the e-Yazışma codes; "günlü" carries a date.
    Urgency {
        Normal = "NRM", "Normal";
        Urgent = "ACL", "Acele";
        Dated = "GNL", "Günlü";
    }
}

code_enum! {
    /// Havale: for action (gereği için) or for information (bilgi için).
    Purpose {
        Action = "action", "Gereği için";
        Information = "info", "Bilgi için";
    }
}

/// Who sent the document, with the identifier of their kind.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Sender {
    /// A public institution, with its 8-digit DETSİS number.
    Institution { name: String, detsis: String },
    /// A person, with a TC kimlik no or a foreign identity document number.
    Person { name: String, tckn: Option<String>, foreign_id: Option<String> },
    /// A company, with its 10-digit tax number (VKN).
    Company { name: String, vkn: String },
}

/// Why a sender was refused: the field and a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SenderError {
    pub field: &'static str,
    pub code: &'static str,
}

fn err(field: &'static str, code: &'static str) -> SenderError {
    SenderError { field, code }
}

/// A VKN: ten digits whose last is the check digit of the tax
/// administration's algorithm.
pub fn valid_vkn(s: &str) -> bool {
    let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 10 || s.len() != 10 {
        return false;
    }
    let mut sum = 0;
    for (i, digit) in d.iter().take(9).enumerate() {
        let x = (digit + 9 - i as u32) % 10;
        let mut y = (x * 2u32.pow(9 - i as u32)) % 9;
        if x != 0 && y == 0 {
            y = 9;
        }
        sum += y;
    }
    (10 - sum % 10) % 10 == d[9]
}

impl Sender {
    /// `kind` is `institution`, `person` or `company`; `id` the identifier
    /// its kind needs (a person may give a TC number or a foreign ID).
    pub fn parse(kind: &str, name: &str, id: &str, foreign_id: &str) -> Result<Sender, SenderError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(err("sender_name", "required"));
        }
        if name.chars().count() > 250 {
            return Err(err("sender_name", "too_long"));
        }
        let name = name.to_owned();
        let id = id.trim();
        match kind.trim() {
            "institution" => {
                if id.len() != 8 || !id.chars().all(|c| c.is_ascii_digit()) {
                    return Err(err("sender_id", "bad_detsis"));
                }
                Ok(Sender::Institution { name, detsis: id.to_owned() })
            }
            "person" => {
                let foreign = foreign_id.trim();
                let tckn = match id {
                    "" => None,
                    t => Some(TcKimlikNo::parse(t).map_err(|_| err("sender_id", "bad_tckn"))?.as_str().to_owned()),
                };
                if foreign.chars().count() > 40 {
                    return Err(err("sender_foreign_id", "too_long"));
                }
                Ok(Sender::Person { name, tckn, foreign_id: (!foreign.is_empty()).then(|| foreign.to_owned()) })
            }
            "company" => {
                if !valid_vkn(id) {
                    return Err(err("sender_id", "bad_vkn"));
                }
                Ok(Sender::Company { name, vkn: id.to_owned() })
            }
            "" => Err(err("sender_kind", "required")),
            _ => Err(err("sender_kind", "bad_sender_kind")),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Sender::Institution { .. } => "institution",
            Sender::Person { .. } => "person",
            Sender::Company { .. } => "company",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Sender::Institution { name, .. } | Sender::Person { name, .. } | Sender::Company { name, .. } => name,
        }
    }

    /// The identifier stored beside the name (DETSİS, TC, VKN).
    pub fn id(&self) -> Option<&str> {
        match self {
            Sender::Institution { detsis, .. } => Some(detsis),
            Sender::Person { tckn, .. } => tckn.as_deref(),
            Sender::Company { vkn, .. } => Some(vkn),
        }
    }

    pub fn foreign_id(&self) -> Option<&str> {
        match self {
            Sender::Person { foreign_id, .. } => foreign_id.as_deref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in Confidentiality::ALL {
            assert_eq!(Confidentiality::parse(c.code()), Some(*c));
        }
        assert_eq!(Urgency::parse("GNL"), Some(Urgency::Dated));
        assert_eq!(Channel::parse("kep"), Some(Channel::Kep));
        assert_eq!(Register::parse("petition"), Some(Register::Petition));
        assert_eq!(Confidentiality::parse("gizli"), None);
        assert!(Confidentiality::Secret.is_restricted() && !Confidentiality::Restricted.is_restricted());
    }

    #[test]
    fn vkn_check_digit() {
        // Numbers checked with python-stdnum's tr.vkn.
        for v in ["4540536920", "9029589240", "3721052062"] {
            assert!(valid_vkn(v), "{v}");
        }
        for v in ["4540536921", "454053692", "45405369200", "454053692a", ""] {
            assert!(!valid_vkn(v), "{v}");
        }
    }

    #[test]
    fn senders_need_the_identifier_of_their_kind() {
        let s = Sender::parse("institution", "Sağlık Bakanlığı", "12345678", "").unwrap();
        assert_eq!((s.kind(), s.id()), ("institution", Some("12345678")));
        assert_eq!(Sender::parse("institution", "X", "1234567", "").unwrap_err(), err("sender_id", "bad_detsis"));
        assert_eq!(Sender::parse("institution", "X", "1234567a", "").unwrap_err(), err("sender_id", "bad_detsis"));
        assert_eq!(Sender::parse("person", "Ali Veli", "10000000147", "").unwrap_err(), err("sender_id", "bad_tckn"));
        assert_eq!(Sender::parse("person", "Ali Veli", "10000000146", "").unwrap().id(), Some("10000000146"));
        let foreigner = Sender::parse("person", "John Smith", "", "P1234567").unwrap();
        assert_eq!(foreigner.foreign_id(), Some("P1234567"));
        assert_eq!(Sender::parse("company", "Örnek A.Ş.", "4540536921", "").unwrap_err(), err("sender_id", "bad_vkn"));
        assert_eq!(Sender::parse("company", " ", "4540536920", "").unwrap_err(), err("sender_name", "required"));
        assert_eq!(Sender::parse("robot", "X", "", "").unwrap_err(), err("sender_kind", "bad_sender_kind"));
    }
}
