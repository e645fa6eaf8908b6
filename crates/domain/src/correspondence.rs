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
    /// Gizlilik derecesi, with the e-Yazışma codes (`EY-KodGuvenlik-2.xsd`:
    /// YOK "Yok", HZO "Hizmete Özel", OZL "Özel", GZL "Gizli", CGZ "Çok
    /// Gizli").
    ///
    /// The Gizlilik Dereceli Belgelerde Uygulanacak Usul ve Esaslar
    /// Hakkında Yönetmelik (Cumhurbaşkanı Kararı 5529, RG 26.04.2022,
    /// 31821) replaced the 1964 Esaslar and set three national levels:
    /// Çok Gizli, Gizli and Hizmete Özel. "Özel" (OZL) is gone: it is kept
    /// here only so that old records still read ([`Confidentiality::parse`]);
    /// a new document is classified with [`Confidentiality::parse_new`].
    /// OZL is not "Kişiye Özel": that is an envelope marking for a named
    /// recipient (Resmî Yazışma Yönetmeliği m.26/5), not a level.
    Confidentiality {
        None = "YOK", "Yok";
        Restricted = "HZO", "Hizmete Özel";
        /// Özel: the third level of the 1964 scale, retired in 2022.
        Private = "OZL", "Özel";
        Confidential = "GZL", "Gizli";
        Secret = "CGZ", "Çok Gizli";
    }
}

/// Why a confidentiality code was refused for a new document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConfidentialityError {
    #[error("not a confidentiality code (YOK, HZO, GZL, CGZ)")]
    Unknown,
    #[error("\"Özel\" (OZL) was retired in 2022; choose Hizmete Özel, Gizli or Çok Gizli")]
    Retired,
}

impl ConfidentialityError {
    pub fn code(self) -> &'static str {
        match self {
            ConfidentialityError::Unknown => "bad_confidentiality",
            ConfidentialityError::Retired => "retired_confidentiality",
        }
    }
}

impl Confidentiality {
    /// The levels a new document may carry (2022 Yönetmelik): none,
    /// Hizmete Özel, Gizli, Çok Gizli.
    pub const FOR_NEW: &'static [Confidentiality] = &[
        Confidentiality::None,
        Confidentiality::Restricted,
        Confidentiality::Confidential,
        Confidentiality::Secret,
    ];

    /// Parses the level of a *new* document: YOK, HZO, GZL or CGZ (any
    /// case, spaces trimmed). OZL is refused with `retired_confidentiality`.
    pub fn parse_new(s: &str) -> Result<Confidentiality, ConfidentialityError> {
        match Confidentiality::parse(&crate::turkish::to_upper(s.trim())) {
            Some(Confidentiality::Private) => Err(ConfidentialityError::Retired),
            Some(c) => Ok(c),
            None => Err(ConfidentialityError::Unknown),
        }
    }

    /// GZL and CGZ, and old OZL records: seen only by those it was routed
    /// to, the (acting) Müdür and the registrar. OZL counts as restricted
    /// because under the 1964 Esaslar it stood above Hizmete Özel and was
    /// handled like the classified levels ("Hizmete Özel" dışındakiler,
    /// Resmî Yazışma Yönetmeliği m.25/1, m.31/3).
    pub fn is_restricted(self) -> bool {
        matches!(
            self,
            Confidentiality::Private | Confidentiality::Confidential | Confidentiality::Secret
        )
    }
}

/// Settings that open channels the law closes by default for classified
/// documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DispatchPolicy {
    /// The administration is authorised to use a cryptographic system
    /// (kriptolu sistem): Resmî Yazışma Yönetmeliği m.31/3 lets it send
    /// classified documents electronically, i.e. by e-Yazışma here. Off:
    /// a municipality is normally not so authorised.
    pub crypto_authorized: bool,
    /// Allow classified documents by post (registered, sealed). The 2022
    /// Yönetmelik's article on carriage could not be read; off keeps them
    /// to delivery by hand against signature.
    pub classified_by_post: bool,
    /// Allow "Hizmete Özel" by hand or by post. Resmî Yazışma Yönetmeliği
    /// m.25/1 keeps its handling electronic; paper is for a zorunlu hâl
    /// (m.4/2). Off, the safe reading: e-Yazışma or KEP only.
    pub restricted_physical: bool,
}

/// Why a document may not go by a channel: a stable code and the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DispatchRefusal {
    pub code: &'static str,
    pub article: &'static str,
}

/// Whether a document of `level` may be sent by `channel`.
///
/// Resmî Yazışmalarda Uygulanacak Usul ve Esaslar Hakkında Yönetmelik
/// (2020): m.25/1 — everything about a "Hizmete Özel" document is done
/// electronically, the other classified levels physically; m.31/3 — the
/// classified levels other than Hizmete Özel are sent physically, and
/// electronically only by an administration authorised for cryptographic
/// systems. Hence:
/// - YOK: any channel;
/// - HZO: e-Yazışma, KEP, by hand or by post; not plain e-mail or fax,
///   which are not registered channels of the Yönetmelik and carry no
///   protection (safe reading);
/// - GZL, CGZ (and old OZL): by hand; never e-mail, KEP or fax; e-Yazışma
///   only with `crypto_authorized`; post only with `classified_by_post`.
pub fn may_dispatch(
    level: Confidentiality,
    channel: Channel,
    policy: &DispatchPolicy,
) -> Result<(), DispatchRefusal> {
    use Channel::*;
    let refuse = |code, article| Err(DispatchRefusal { code, article });
    match level {
        Confidentiality::None => Ok(()),
        Confidentiality::Restricted => match channel {
            Eyazisma | Kep => Ok(()),
            Hand | Post if policy.restricted_physical => Ok(()),
            Hand | Post => refuse(
                "restricted_electronic_only",
                "Resmî Yazışma Yönetmeliği m.25/1, m.4/2",
            ),
            Email | Fax => refuse(
                "restricted_needs_registered_channel",
                "Resmî Yazışma Yönetmeliği m.25/1",
            ),
        },
        Confidentiality::Private | Confidentiality::Confidential | Confidentiality::Secret => {
            match channel {
                Hand => Ok(()),
                Email | Kep | Fax => refuse(
                    "classified_not_electronic",
                    "Resmî Yazışma Yönetmeliği m.25/1, m.31/3",
                ),
                Eyazisma if policy.crypto_authorized => Ok(()),
                Eyazisma => refuse(
                    "classified_needs_crypto",
                    "Resmî Yazışma Yönetmeliği m.31/3",
                ),
                Post if policy.classified_by_post => Ok(()),
                Post => refuse(
                    "classified_by_hand_only",
                    "Resmî Yazışma Yönetmeliği m.31/3",
                ),
            }
        }
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
    Person {
        name: String,
        tckn: Option<String>,
        foreign_id: Option<String>,
    },
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
    pub fn parse(
        kind: &str,
        name: &str,
        id: &str,
        foreign_id: &str,
    ) -> Result<Sender, SenderError> {
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
                Ok(Sender::Institution {
                    name,
                    detsis: id.to_owned(),
                })
            }
            "person" => {
                let foreign = foreign_id.trim();
                let tckn = match id {
                    "" => None,
                    t => Some(
                        TcKimlikNo::parse(t)
                            .map_err(|_| err("sender_id", "bad_tckn"))?
                            .as_str()
                            .to_owned(),
                    ),
                };
                if foreign.chars().count() > 40 {
                    return Err(err("sender_foreign_id", "too_long"));
                }
                Ok(Sender::Person {
                    name,
                    tckn,
                    foreign_id: (!foreign.is_empty()).then(|| foreign.to_owned()),
                })
            }
            "company" => {
                if !valid_vkn(id) {
                    return Err(err("sender_id", "bad_vkn"));
                }
                Ok(Sender::Company {
                    name,
                    vkn: id.to_owned(),
                })
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
            Sender::Institution { name, .. }
            | Sender::Person { name, .. }
            | Sender::Company { name, .. } => name,
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
        assert!(
            Confidentiality::Secret.is_restricted() && !Confidentiality::Restricted.is_restricted()
        );
    }

    /// The names are the e-Yazışma `EY-KodGuvenlik` ones; OZL is "Özel".
    #[test]
    fn confidentiality_names_follow_the_eyazisma_code_list() {
        let names: Vec<(&str, &str)> = Confidentiality::ALL
            .iter()
            .map(|c| (c.code(), c.name_tr()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("YOK", "Yok"),
                ("HZO", "Hizmete Özel"),
                ("OZL", "Özel"),
                ("GZL", "Gizli"),
                ("CGZ", "Çok Gizli")
            ]
        );
        // Old records still read, OZL included.
        assert_eq!(
            Confidentiality::parse("OZL"),
            Some(Confidentiality::Private)
        );
        assert!(Confidentiality::Private.is_restricted());
    }

    /// New documents: the 2022 Yönetmelik's three levels or none.
    #[test]
    fn new_documents_take_only_the_2022_levels() {
        let rows: &[(&str, Result<Confidentiality, &str>)] = &[
            ("YOK", Ok(Confidentiality::None)),
            ("HZO", Ok(Confidentiality::Restricted)),
            ("GZL", Ok(Confidentiality::Confidential)),
            ("CGZ", Ok(Confidentiality::Secret)),
            (" hzo ", Ok(Confidentiality::Restricted)),
            ("cgz", Ok(Confidentiality::Secret)),
            ("OZL", Err("retired_confidentiality")),
            ("ozl", Err("retired_confidentiality")),
            ("Gizli", Err("bad_confidentiality")),
            ("", Err("bad_confidentiality")),
            ("KİŞİYE ÖZEL", Err("bad_confidentiality")),
        ];
        for (input, expected) in rows {
            assert_eq!(
                Confidentiality::parse_new(input).map_err(|e| e.code()),
                *expected,
                "{input:?}"
            );
        }
        assert!(Confidentiality::FOR_NEW
            .iter()
            .all(|c| Confidentiality::parse_new(c.code()) == Ok(*c)));
    }

    /// Every level × every channel, from m.25/1 and m.31/3 of the
    /// Resmî Yazışma Yönetmeliği.
    #[test]
    fn dispatch_channels_by_level() {
        use Channel::*;
        let strict = DispatchPolicy::default();
        let ok = "ok";
        // Columns: eyazisma, kep, hand, post, email, fax.
        let table: &[(Confidentiality, [&str; 6])] = &[
            (Confidentiality::None, [ok, ok, ok, ok, ok, ok]),
            (
                Confidentiality::Restricted,
                [
                    ok,
                    ok,
                    "restricted_electronic_only",
                    "restricted_electronic_only",
                    "restricted_needs_registered_channel",
                    "restricted_needs_registered_channel",
                ],
            ),
            (
                Confidentiality::Confidential,
                [
                    "classified_needs_crypto",
                    "classified_not_electronic",
                    ok,
                    "classified_by_hand_only",
                    "classified_not_electronic",
                    "classified_not_electronic",
                ],
            ),
            (
                Confidentiality::Secret,
                [
                    "classified_needs_crypto",
                    "classified_not_electronic",
                    ok,
                    "classified_by_hand_only",
                    "classified_not_electronic",
                    "classified_not_electronic",
                ],
            ),
            (
                Confidentiality::Private,
                [
                    "classified_needs_crypto",
                    "classified_not_electronic",
                    ok,
                    "classified_by_hand_only",
                    "classified_not_electronic",
                    "classified_not_electronic",
                ],
            ),
        ];
        let channels = [Eyazisma, Kep, Hand, Post, Email, Fax];
        assert_eq!(channels.len(), Channel::ALL.len());
        for (level, row) in table {
            for (channel, expected) in channels.iter().zip(row) {
                let got = may_dispatch(*level, *channel, &strict)
                    .map(|_| "ok")
                    .unwrap_or_else(|r| r.code);
                assert_eq!(got, *expected, "{level:?} by {channel:?}");
            }
        }
        // An administration authorised for crypto may use e-Yazışma; post
        // only when allowed; e-mail and KEP never.
        let open = DispatchPolicy {
            crypto_authorized: true,
            classified_by_post: true,
            restricted_physical: true,
        };
        // In a zorunlu hâl an installation may let Hizmete Özel go on paper.
        assert!(may_dispatch(Confidentiality::Restricted, Hand, &open).is_ok());
        assert!(may_dispatch(Confidentiality::Restricted, Post, &open).is_ok());
        assert_eq!(
            may_dispatch(Confidentiality::Restricted, Email, &open)
                .unwrap_err()
                .code,
            "restricted_needs_registered_channel"
        );
        for level in [Confidentiality::Confidential, Confidentiality::Secret] {
            assert!(may_dispatch(level, Eyazisma, &open).is_ok());
            assert!(may_dispatch(level, Post, &open).is_ok());
            assert_eq!(
                may_dispatch(level, Email, &open).unwrap_err().code,
                "classified_not_electronic"
            );
            assert_eq!(
                may_dispatch(level, Kep, &open).unwrap_err().code,
                "classified_not_electronic"
            );
        }
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
        assert_eq!(
            Sender::parse("institution", "X", "1234567", "").unwrap_err(),
            err("sender_id", "bad_detsis")
        );
        assert_eq!(
            Sender::parse("institution", "X", "1234567a", "").unwrap_err(),
            err("sender_id", "bad_detsis")
        );
        assert_eq!(
            Sender::parse("person", "Ali Veli", "10000000147", "").unwrap_err(),
            err("sender_id", "bad_tckn")
        );
        assert_eq!(
            Sender::parse("person", "Ali Veli", "10000000146", "")
                .unwrap()
                .id(),
            Some("10000000146")
        );
        let foreigner = Sender::parse("person", "John Smith", "", "P1234567").unwrap();
        assert_eq!(foreigner.foreign_id(), Some("P1234567"));
        assert_eq!(
            Sender::parse("company", "Örnek A.Ş.", "4540536921", "").unwrap_err(),
            err("sender_id", "bad_vkn")
        );
        assert_eq!(
            Sender::parse("company", " ", "4540536920", "").unwrap_err(),
            err("sender_name", "required")
        );
        assert_eq!(
            Sender::parse("robot", "X", "", "").unwrap_err(),
            err("sender_kind", "bad_sender_kind")
        );
    }
}
