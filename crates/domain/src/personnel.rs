//! The personnel file (özlük dosyası, m.16/1-a): a person's documents
//! filed under the Standard File Plan's personnel codes (903.xx), the
//! certificates that expire, and the trainings attended.

use time::Date;

/// What a document in the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// Appointment, transfer, promotion decisions.
    Appointment,
    /// Diplomas and the documents of entry (işe giriş belgeleri).
    Diploma,
    /// A certificate or authorisation that may expire (a technician's
    /// electrical authorisation, a driving licence, a security clearance).
    Certificate,
    /// A training's certificate of attendance.
    Training,
    Other,
}

impl DocKind {
    pub const ALL: [DocKind; 5] = [
        DocKind::Appointment,
        DocKind::Diploma,
        DocKind::Certificate,
        DocKind::Training,
        DocKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocKind::Appointment => "appointment",
            DocKind::Diploma => "diploma",
            DocKind::Certificate => "certificate",
            DocKind::Training => "training",
            DocKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The file plan code a document of this kind is filed under unless
    /// another 903 code is chosen: 903.02 Atama İşleri, 903.01 İşe Giriş
    /// Belgeleri, 903.99 Diğer (certificates and trainings are the
    /// person's own papers, not the training unit's 774 records).
    pub fn default_code(self) -> &'static str {
        match self {
            DocKind::Appointment => "903.02",
            DocKind::Diploma => "903.01",
            DocKind::Certificate | DocKind::Training | DocKind::Other => "903.99",
        }
    }
}

/// Whether `code` is one of the personnel codes a file may use: 903
/// itself or under it.
pub fn is_personnel_code(code: &str) -> bool {
    code == "903" || code.starts_with("903.")
}

/// Where a dated document stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// No end date.
    Open,
    Valid,
    /// Ends within the warning window: renew it.
    Expiring,
    Expired,
}

/// A document's validity on `today`, warning `warn_days` ahead.
pub fn validity(expires_on: Option<Date>, today: Date, warn_days: i64) -> Validity {
    match expires_on {
        None => Validity::Open,
        Some(e) if e < today => Validity::Expired,
        Some(e) if (e - today).whole_days() <= warn_days => Validity::Expiring,
        Some(_) => Validity::Valid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn documents_are_filed_under_903() {
        assert_eq!(DocKind::Appointment.default_code(), "903.02");
        assert_eq!(DocKind::Diploma.default_code(), "903.01");
        assert!(DocKind::ALL
            .iter()
            .all(|k| is_personnel_code(k.default_code())));
        assert!(is_personnel_code("903.08.01"));
        assert!(!is_personnel_code("9031"));
        assert!(!is_personnel_code("774.06"));
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.code()), Some(k));
        }
    }

    #[test]
    fn a_certificate_warns_before_it_ends() {
        let today = date!(2026 - 12 - 01);
        assert_eq!(validity(None, today, 60), Validity::Open);
        assert_eq!(
            validity(Some(date!(2026 - 11 - 30)), today, 60),
            Validity::Expired
        );
        assert_eq!(validity(Some(today), today, 60), Validity::Expiring);
        assert_eq!(
            validity(Some(date!(2027 - 01 - 30)), today, 60),
            Validity::Expiring
        );
        assert_eq!(
            validity(Some(date!(2027 - 01 - 31)), today, 60),
            Validity::Valid
        );
    }
}
