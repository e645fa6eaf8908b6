//! Extending an information request (bilgi edinme başvurusu).
//!
//! 4982 sayılı Bilgi Edinme Hakkı Kanunu m.11 (first paragraph): access is
//! given within 15 working days. It is 30 working days when the
//! information or document
//! - is to be obtained from another unit of the institution applied to
//!   ("başvurulan kurum ve kuruluş içindeki başka bir birimden
//!   sağlanması"),
//! - needs the opinion of another institution ("bir başka kurum ve
//!   kuruluşun görüşünün alınmasının gerekmesi"), or
//! - the application concerns more than one institution ("başvuru
//!   içeriğinin birden fazla kurum ve kuruluşu ilgilendirmesi");
//!
//! and then the extension and its reason are notified to the applicant in
//! writing **before the 15 working days end**. The wording was confirmed
//! from institutions' restatements of the article (e.g. Çukurova
//! Üniversitesi's bilgi edinme page); the issue cited "m.11/2", but the
//! extension is in the article's first paragraph (the second is about the
//! cost notice that stops the periods).
//!
//! The 30 working days count from the receipt, like the 15. Only once:
//! the law gives one longer period, not a chain.

use time::Date;

use crate::calendar::{Calendar, LegalBasis};

/// The law's three cases for the longer period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionReason {
    /// From another unit of the institution.
    OtherUnit,
    /// Another institution's opinion is needed.
    OtherInstitutionOpinion,
    /// The application concerns more than one institution.
    SeveralInstitutions,
}

impl ExtensionReason {
    pub const ALL: &'static [ExtensionReason] = &[
        ExtensionReason::OtherUnit,
        ExtensionReason::OtherInstitutionOpinion,
        ExtensionReason::SeveralInstitutions,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ExtensionReason::OtherUnit => "baska_birim",
            ExtensionReason::OtherInstitutionOpinion => "baska_kurum_gorusu",
            ExtensionReason::SeveralInstitutions => "birden_fazla_kurum",
        }
    }

    pub fn parse(s: &str) -> Option<ExtensionReason> {
        ExtensionReason::ALL
            .iter()
            .copied()
            .find(|r| r.code() == s.trim())
    }

    /// The law's words, for the notice and the page.
    pub fn description_tr(self) -> &'static str {
        match self {
            ExtensionReason::OtherUnit => "İstenen bilgi veya belgenin kurum içindeki başka bir birimden sağlanması",
            ExtensionReason::OtherInstitutionOpinion => "Başvuruya ilişkin olarak bir başka kurum ve kuruluşun görüşünün alınmasının gerekmesi",
            ExtensionReason::SeveralInstitutions => "Başvuru içeriğinin birden fazla kurum ve kuruluşu ilgilendirmesi",
        }
    }
}

/// What the clerk records to extend a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionInput<'a> {
    /// The document's current basis (it must be an unextended 4982 request).
    pub basis: LegalBasis,
    pub received: Date,
    /// A reason code ([`ExtensionReason::code`]).
    pub reason: &'a str,
    /// The reference of the written notice to the applicant.
    pub notice_ref: &'a str,
    /// The day the notice was given.
    pub notice_date: Date,
    /// Today, when the extension is recorded.
    pub today: Date,
}

/// An accepted extension.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Extension {
    #[serde(with = "crate::calendar::iso_date")]
    pub first_due: Date,
    #[serde(with = "crate::calendar::iso_date")]
    pub due: Date,
    pub reason: ExtensionReason,
    pub notice_ref: String,
}

/// Why an extension is refused; `code()` is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ExtensionRefusal {
    #[error("not an information request under 4982")]
    NotAnInformationRequest,
    #[error("already extended once")]
    AlreadyExtended,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the reason is not one of the law's cases")]
    BadReason,
    #[error("the notice's reference is required")]
    NoticeRefRequired,
    #[error("the notice's reference is too long")]
    NoticeRefTooLong,
    #[error("the notice is dated before the application was received")]
    NoticeBeforeReceipt,
    #[error("the notice is dated in the future")]
    NoticeInFuture,
    #[error("the notice was given after the first 15 working days")]
    NoticeTooLate,
    #[error("the first 15 working days are over")]
    FirstPeriodOver,
}

impl ExtensionRefusal {
    pub fn code(self) -> &'static str {
        match self {
            ExtensionRefusal::NotAnInformationRequest => "not_an_information_request",
            ExtensionRefusal::AlreadyExtended => "already_extended",
            ExtensionRefusal::ReasonRequired => "extension_reason_required",
            ExtensionRefusal::BadReason => "bad_extension_reason",
            ExtensionRefusal::NoticeRefRequired => "notice_ref_required",
            ExtensionRefusal::NoticeRefTooLong => "notice_ref_too_long",
            ExtensionRefusal::NoticeBeforeReceipt => "notice_before_receipt",
            ExtensionRefusal::NoticeInFuture => "notice_in_future",
            ExtensionRefusal::NoticeTooLate => "notice_after_first_period",
            ExtensionRefusal::FirstPeriodOver => "first_period_over",
        }
    }
}

/// Decides an extension under 4982 m.11 on the legal calendar: once, for
/// one of the law's reasons, with a written notice given within the first
/// 15 working days, and recorded while those days last (so a notice
/// cannot be back-dated into a period that is already over). Returns the
/// new due date, 30 working days from receipt.
pub fn extend(cal: &Calendar, input: &ExtensionInput) -> Result<Extension, ExtensionRefusal> {
    match input.basis {
        LegalBasis::InformationRequest => {}
        LegalBasis::InformationRequestExtended => return Err(ExtensionRefusal::AlreadyExtended),
        _ => return Err(ExtensionRefusal::NotAnInformationRequest),
    }
    let reason = match input.reason.trim() {
        "" => return Err(ExtensionRefusal::ReasonRequired),
        r => ExtensionReason::parse(r).ok_or(ExtensionRefusal::BadReason)?,
    };
    let notice_ref = crate::turkish::collapse_spaces(input.notice_ref);
    if notice_ref.is_empty() {
        return Err(ExtensionRefusal::NoticeRefRequired);
    }
    if notice_ref.chars().count() > 200 {
        return Err(ExtensionRefusal::NoticeRefTooLong);
    }
    if input.notice_date < input.received {
        return Err(ExtensionRefusal::NoticeBeforeReceipt);
    }
    if input.notice_date > input.today {
        return Err(ExtensionRefusal::NoticeInFuture);
    }
    let first_due = cal.due(input.received, &LegalBasis::InformationRequest);
    if input.notice_date > first_due {
        return Err(ExtensionRefusal::NoticeTooLate);
    }
    if input.today > first_due {
        return Err(ExtensionRefusal::FirstPeriodOver);
    }
    let due = cal.due(input.received, &LegalBasis::InformationRequestExtended);
    Ok(Extension {
        first_due,
        due,
        reason,
        notice_ref,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{DayKind, SpecialDay};
    use time::macros::date;

    /// Received Wed 20 May 2026, before Kurban Bayramı (arife Tue 26 May,
    /// bayram 27–30 May). The first 15 working days end Mon 15 June; 30
    /// end Mon 6 July.
    #[test]
    fn extension_across_kurban_bayrami() {
        let cal = Calendar::new(&[], false);
        let received = date!(2026 - 05 - 20);
        let base = ExtensionInput {
            basis: LegalBasis::InformationRequest,
            received,
            reason: "baska_birim",
            notice_ref: "E-12345678-604.99-77",
            notice_date: date!(2026 - 06 - 10),
            today: date!(2026 - 06 - 10),
        };
        type Row<'a> = (&'a str, ExtensionInput<'a>, Result<Date, &'a str>);
        let rows: Vec<Row> = vec![
            (
                "in time, another unit",
                base.clone(),
                Ok(date!(2026 - 07 - 06)),
            ),
            (
                "another institution's opinion",
                ExtensionInput {
                    reason: "baska_kurum_gorusu",
                    ..base.clone()
                },
                Ok(date!(2026 - 07 - 06)),
            ),
            (
                "several institutions",
                ExtensionInput {
                    reason: " birden_fazla_kurum ",
                    ..base.clone()
                },
                Ok(date!(2026 - 07 - 06)),
            ),
            // Notice and record on the last day of the 15 (Mon 15 June): still in time.
            (
                "on the last day",
                ExtensionInput {
                    notice_date: date!(2026 - 06 - 15),
                    today: date!(2026 - 06 - 15),
                    ..base.clone()
                },
                Ok(date!(2026 - 07 - 06)),
            ),
            // Notice on the day of receipt.
            (
                "notice on receipt",
                ExtensionInput {
                    notice_date: received,
                    ..base.clone()
                },
                Ok(date!(2026 - 07 - 06)),
            ),
            // The day after: too late, however the notice is dated.
            (
                "recorded a day late",
                ExtensionInput {
                    notice_date: date!(2026 - 06 - 15),
                    today: date!(2026 - 06 - 16),
                    ..base.clone()
                },
                Err("first_period_over"),
            ),
            (
                "notice a day late",
                ExtensionInput {
                    notice_date: date!(2026 - 06 - 16),
                    today: date!(2026 - 06 - 16),
                    ..base.clone()
                },
                Err("notice_after_first_period"),
            ),
            (
                "only once",
                ExtensionInput {
                    basis: LegalBasis::InformationRequestExtended,
                    ..base.clone()
                },
                Err("already_extended"),
            ),
            (
                "a petition is not extended",
                ExtensionInput {
                    basis: LegalBasis::Petition,
                    ..base.clone()
                },
                Err("not_an_information_request"),
            ),
            (
                "no reason",
                ExtensionInput {
                    reason: " ",
                    ..base.clone()
                },
                Err("extension_reason_required"),
            ),
            (
                "not the law's reason",
                ExtensionInput {
                    reason: "yogunluk",
                    ..base.clone()
                },
                Err("bad_extension_reason"),
            ),
            (
                "no notice reference",
                ExtensionInput {
                    notice_ref: "  ",
                    ..base.clone()
                },
                Err("notice_ref_required"),
            ),
            (
                "notice before receipt",
                ExtensionInput {
                    notice_date: date!(2026 - 05 - 19),
                    ..base.clone()
                },
                Err("notice_before_receipt"),
            ),
            (
                "notice in the future",
                ExtensionInput {
                    notice_date: date!(2026 - 06 - 11),
                    ..base.clone()
                },
                Err("notice_in_future"),
            ),
        ];
        for (what, input, expected) in rows {
            let got = extend(&cal, &input).map(|e| e.due).map_err(|e| e.code());
            assert_eq!(got, expected, "{what}");
        }
        let e = extend(&cal, &base).unwrap();
        assert_eq!(
            (e.first_due, e.reason, e.notice_ref.as_str()),
            (
                date!(2026 - 06 - 15),
                ExtensionReason::OtherUnit,
                "E-12345678-604.99-77"
            )
        );
        let long = "x".repeat(201);
        assert_eq!(
            extend(
                &cal,
                &ExtensionInput {
                    notice_ref: &long,
                    ..base.clone()
                }
            )
            .unwrap_err()
            .code(),
            "notice_ref_too_long"
        );
    }

    /// An idari izin bridge day (Mon 25 May 2026) does not lengthen either
    /// period (Law 2429): the same dates as without it.
    #[test]
    fn idari_izin_does_not_move_the_extension() {
        let leave = SpecialDay {
            date: date!(2026 - 05 - 25),
            kind: DayKind::AdminLeave,
            name: "İdari izin".into(),
        };
        let cal = Calendar::new(&[leave], false);
        let input = ExtensionInput {
            basis: LegalBasis::InformationRequest,
            received: date!(2026 - 05 - 20),
            reason: "baska_kurum_gorusu",
            notice_ref: "E-1",
            notice_date: date!(2026 - 06 - 15),
            today: date!(2026 - 06 - 15),
        };
        let e = extend(&cal, &input).unwrap();
        assert_eq!(
            (e.first_due, e.due),
            (date!(2026 - 06 - 15), date!(2026 - 07 - 06))
        );
    }

    #[test]
    fn reasons_round_trip() {
        for r in ExtensionReason::ALL {
            assert_eq!(ExtensionReason::parse(r.code()), Some(*r));
            assert!(!r.description_tr().is_empty());
        }
    }
}
