//! Every refusal the program gives, as a stable code. The front ends show
//! each in Turkish or English from the message files (`web/locales`),
//! whose test checks every code here has both; the JSON API returns the
//! code itself (`{"error": {"code": "bad_tckn", …}}`), so a code, once
//! published, keeps its spelling.

macro_rules! codes {
    ($($name:ident = $code:literal,)+) => {
        /// A stable error code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        pub enum Code { $(#[serde(rename = $code)] $name,)+ }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$name,)+];
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $code,)+ }
            }
            pub fn parse(s: &str) -> Option<Code> {
                match s { $($code => Some(Code::$name),)+ _ => None }
            }
        }
    };
}

codes! {
    // The HTTP boundary.
    BadRequest = "bad_request",
    InvalidJson = "invalid_json",
    InvalidQuery = "invalid_query",
    MethodNotAllowed = "method_not_allowed",
    NotFound = "not_found",
    Forbidden = "forbidden",
    Unauthenticated = "unauthenticated",
    Csrf = "csrf",
    TooLarge = "too_large",
    Unavailable = "unavailable",
    DirectoryUnavailable = "directory_unavailable",
    Internal = "internal",
    BodyTooLarge = "body_too_large",
    UriTooLong = "uri_too_long",
    TooManyAttempts = "too_many_attempts",
    BadIdempotencyKey = "bad_idempotency_key",
    IdempotencyKeyReused = "idempotency_key_reused",
    IdempotencyInProgress = "idempotency_in_progress",
    MetricsToken = "metrics_token",
    // Any field.
    Required = "required",
    TooLong = "too_long",
    TooMany = "too_many",
    OutOfRange = "out_of_range",
    BadDate = "bad_date",
    BadInstant = "bad_instant",
    DateInFuture = "date_in_future",
    PeriodEmpty = "period_empty",
    BeforeFrom = "before_from",
    BadFormat = "bad_format",
    BadSort = "bad_sort",
    BadKind = "bad_kind",
    BadList = "bad_list",
    BadYear = "bad_year",
    ControlCharacter = "control_character",
    BidiCharacter = "bidi_character",
    InvisibleCharacter = "invisible_character",
    // Accounts and sign-in.
    BadUsername = "bad_username",
    BadDisplayName = "bad_display_name",
    PasswordTooShort = "password_too_short",
    PasswordTooLong = "password_too_long",
    PasswordMismatch = "password_mismatch",
    CurrentPasswordWrong = "current_password_wrong",
    DirectoryAccount = "directory_account",
    LoginFailed = "login_failed",
    TotpRequired = "totp_required",
    TotpInvalid = "totp_invalid",
    TotpUsed = "totp_used",
    TotpEnrolmentRequired = "totp_enrolment_required",
    TotpNotRequired = "totp_not_required",
    TotpAlreadyOn = "totp_already_on",
    TotpNotBegun = "totp_not_begun",
    TotpCompulsory = "totp_compulsory",
    UnknownMeasure = "unknown_measure",
    BadAssessmentState = "bad_assessment_state",
    MeasureNotApplicable = "measure_not_applicable",
    DuplicateAuditAsset = "duplicate_audit_asset",
    AfterDiscovery = "after_discovery",
    AlreadyNotified = "already_notified",
    IncidentClosed = "incident_closed",
    AlreadyTasked = "already_tasked",
    BadActionState = "bad_action_state",
    BadKvkkBasis = "bad_kvkk_basis",
    BadPolicyKind = "bad_policy_kind",
    PolicyNeedsText = "policy_needs_text",
    ReviewUndecided = "review_undecided",
    ReviewSignedOff = "review_signed_off",
    OwnAccessLine = "own_access_line",
    AuditorWithoutAuthority = "auditor_without_authority",
    UnknownAuditAsset = "unknown_audit_asset",
    ActionClosed = "action_closed",
    OneLinkAtATime = "one_link_at_a_time",
    BeforeCurrentVersion = "before_current_version",
    BeforeTheLaw = "before_the_law",
    UsernameTaken = "username_taken",
    SetupTokenInvalid = "setup_token_invalid",
    AlreadySetUp = "already_set_up",
    BadDetsis = "bad_detsis",
    DemoNeedsDefaultProfile = "demo_needs_default_profile",
    // People and authority.
    UnknownUser = "unknown_user",
    UnknownUnit = "unknown_unit",
    UnknownState = "unknown_state",
    ConfirmRequired = "confirm_required",
    UnknownPosition = "unknown_position",
    UnknownStaffKind = "unknown_staff_kind",
    UnknownAuthority = "unknown_authority",
    BadTckn = "bad_tckn",
    BadVkn = "bad_vkn",
    BadEmail = "bad_email",
    BadPhone = "bad_phone",
    TcknTaken = "tckn_taken",
    AccountHasStaff = "account_has_staff",
    NotDelegable = "not_delegable",
    DelegateToSelf = "delegate_to_self",
    NotSubordinate = "not_subordinate",
    RecipientCannotHold = "recipient_cannot_hold",
    SignatureNeedsMemur = "signature_needs_memur",
    DeputyIsSelf = "deputy_is_self",
    DeputyNotEligible = "deputy_not_eligible",
    NotDeputisable = "not_deputisable",
    OverlappingDeputyship = "overlapping_deputyship",
    AlreadyRevoked = "already_revoked",
    NoPosition = "no_position",
    // Files.
    EmptyFile = "empty_file",
    NotAScan = "not_a_scan",
    OutsideDirectorate = "outside_directorate",
    NoHold = "no_hold",
    BeforeReceipt = "before_receipt",
    DuplicateTarget = "duplicate_target",
    AlreadyRouted = "already_routed",
    UnsupportedType = "unsupported_type",
    UnknownAttachment = "unknown_attachment",
    BadSignatureFormat = "bad_signature_format",
    // Incoming correspondence.
    BadRegister = "bad_register",
    BadChannel = "bad_channel",
    BadSenderKind = "bad_sender_kind",
    BadConfidentiality = "bad_confidentiality",
    RetiredConfidentiality = "retired_confidentiality",
    BadUrgency = "bad_urgency",
    BadLegalBasis = "bad_legal_basis",
    BadPurpose = "bad_purpose",
    BadClosing = "bad_closing",
    BadDayKind = "bad_day_kind",
    AfterReceipt = "after_receipt",
    AfterLegalDue = "after_legal_due",
    UnitOrUser = "unit_or_user",
    UnknownFileCode = "unknown_file_code",
    GroupFileCode = "group_file_code",
    SecondaryFileCode = "secondary_file_code",
    ExtensionNeedsNotice = "extension_needs_notice",
    AlreadyClosed = "already_closed",
    AlreadyDelivered = "already_delivered",
    NotRouted = "not_routed",
    NotDelivered = "not_delivered",
    AlreadyExtended = "already_extended",
    NotExtendable = "not_extendable",
    BadExtensionReason = "bad_extension_reason",
    NoticeBeforeReceipt = "notice_before_receipt",
    NoticeAfterFirstPeriod = "notice_after_first_period",
    FirstPeriodOver = "first_period_over",
    BadRequestKind = "bad_request_kind",
    RestrictedNeedsRegisteredChannel = "restricted_needs_registered_channel",
    ClassifiedNotElectronic = "classified_not_electronic",
    TargetOutsideSection = "target_outside_section",
    SmtpNotConfigured = "smtp_not_configured",
    // Outgoing letters.
    BadRole = "bad_role",
    BadRecipientKind = "bad_recipient_kind",
    DetsisRequired = "detsis_required",
    MuhatapRequired = "muhatap_required",
    UnknownIncoming = "unknown_incoming",
    BadDecision = "bad_decision",
    NotEditable = "not_editable",
    LetterChanged = "letter_changed",
    NotInApproval = "not_in_approval",
    AlreadySigned = "already_signed",
    InitialsMissing = "initials_missing",
    NotYourTurn = "not_your_turn",
    OwnStep = "own_step",
    NoSigner = "no_signer",
    DetsisNotConfigured = "detsis_not_configured",
    NumberTaken = "number_taken",
    NotSigned = "not_signed",
    AlreadyDispatched = "already_dispatched",
    // e-Yazışma packages (issue 17).
    PackageNotZip = "package_not_zip",
    PackageEncrypted = "package_encrypted",
    PackageNoUstveri = "package_no_ustveri",
    PackageNoSummary = "package_no_summary",
    PackageNoUstYazi = "package_no_ustyazi",
    PackageMissingPart = "package_missing_part",
    PackageDigestMismatch = "package_digest_mismatch",
    PackageUnknownDigest = "package_unknown_digest",
    PackageUnsafePath = "package_unsafe_path",
    PackageDuplicatePart = "package_duplicate_part",
    PackageTooLarge = "package_too_large",
    PackageBadXml = "package_bad_xml",
    PackageDtd = "package_dtd",
    PackageBadSender = "package_bad_sender",
    PackageUncovered = "package_uncovered_part",
    PackageMissingElement = "package_missing_element",
    PackageAlreadyRegistered = "package_already_registered",
    BadAttachKind = "bad_attach_kind",
    BadFileName = "bad_file_name",
    NotExternal = "not_external",
    // KEP (issue 17 §5).
    KepNotConfigured = "kep_not_configured",
    BadKepAddress = "bad_kep_address",
    KepSendFailed = "kep_send_failed",
    NotSentByKep = "not_sent_by_kep",
    // e-imza verification (issue 17 §3).
    SignatureMalformed = "signature_malformed",
    SignatureContentMismatch = "signature_content_mismatch",
    SignatureInvalid = "signature_invalid",
    SignatureUntrusted = "signature_untrusted",
    SignatureExpired = "signature_expired",
    SignatureKeyUsage = "signature_key_usage",
    SignatureUnsupported = "signature_unsupported",
    // The service desk and tasks (issue 15).
    UnknownCategory = "unknown_category",
    UnknownPriority = "unknown_priority",
    BadChannelForRequest = "bad_request_channel",
    NotResolved = "not_resolved",
    NotAssigned = "not_assigned",
    RequestClosed = "request_closed",
    RequestResolved = "request_resolved",
    BadTransition = "bad_transition",
    AssigneeOutsideSection = "assignee_outside_section",
    AlreadyAssigned = "already_assigned",
    MergeIntoItself = "merge_into_itself",
    OwnTask = "own_task",
    GroupNotActive = "group_not_active",
    NotGroupMember = "not_group_member",
    TaskNotAccepted = "task_not_accepted",
    TaskNotDone = "task_not_done",
    BadSource = "bad_source",
    UnknownRequest = "unknown_request",
    AlreadyRated = "already_rated",
    RequestNotResolved = "request_not_resolved",
    TaskBadTransition = "task_bad_transition",
    NotSuperior = "not_superior",
    MemberOutsideDirectorate = "member_outside_directorate",
    DateInPast = "date_in_past",
    BadRequestSort = "bad_request_sort",
    BadTaskList = "bad_task_list",
    BadReportFormat = "bad_report_format",
    MergeAcrossSections = "merge_across_sections",
    NotOnDocument = "not_on_document",
    BadSchedule = "bad_schedule",
    // Personnel: leave (issue 19).
    LeaveDecided = "leave_decided",
    LeaveOverlap = "leave_overlap",
    OverBalance = "over_balance",
    NoWorkingDay = "no_working_day",
    BeforeFirstYear = "before_first_year",
    NoServiceStart = "no_service_start",
    NoLeaveHere = "no_leave_here",
    LeaveNotApproved = "leave_not_approved",
    LeaveOwn = "leave_own",
    LeaveNotSuperior = "leave_not_superior",
    LeaveNeedsInitials = "leave_needs_initials",
    LeaveNoApprover = "leave_no_approver",
    BadLeaveKind = "bad_leave_kind",
    OwnRecord = "own_record",
    BadNumber = "bad_number",
    OvertimeOneDay = "overtime_one_day",
    OwnOvertime = "own_overtime",
    OvertimeInHours = "overtime_in_hours",
    NotOurStaff = "not_our_staff",
    OvertimeOverlap = "overtime_overlap",
    OvertimeYearLimit = "overtime_year_limit",
    OvertimeDayLimit = "overtime_day_limit",
    OvertimeMonthLimit = "overtime_month_limit",
    OvertimeBudget = "overtime_budget",
    // Personnel: sick reports and timesheets (issue 19).
    ReportOverlap = "report_overlap",
    MonthClosed = "month_closed",
    MonthOpen = "month_open",
    MonthNotOver = "month_not_over",
    MonthAlreadyClosed = "month_already_closed",
    BadMonth = "bad_month",
    BadMark = "bad_mark",
    BadExcuse = "bad_excuse",
    BadDocumentKind = "bad_document_kind",
    NotPersonnelCode = "not_personnel_code",
    ExcuseNotUnderLaw = "excuse_not_under_law",
    ExcuseTooLong = "excuse_too_long",
    ExcuseYearSpent = "excuse_year_spent",
    BadUnpaidGround = "bad_unpaid_ground",
    UnpaidNotUnderLaw = "unpaid_not_under_law",
    UnpaidTooLittleService = "unpaid_too_little_service",
    UnpaidTooLong = "unpaid_too_long",
    UnpaidTooManyParts = "unpaid_too_many_parts",
    UnpaidSpent = "unpaid_spent",
    AdministrativeYearSpent = "administrative_year_spent",
    // The archive.
    BadDocument = "bad_document",
    UnknownDocument = "unknown_document",
    NotCompleted = "not_completed",
    FileExists = "file_exists",
    FileNotOpen = "file_not_open",
    FileNotClosed = "file_not_closed",
    FileCodeMismatch = "file_code_mismatch",
    FileYearMismatch = "file_year_mismatch",
    AlreadyFiled = "already_filed",
    AlreadyDisposed = "already_disposed",
    RetentionNotOver = "retention_not_over",
    KeptAtInstitution = "kept_at_institution",
    GoesToStateArchives = "goes_to_state_archives",
    LegalHold = "legal_hold",
    CommissionTooSmall = "commission_too_small",
    RestrictedElectronicOnly = "restricted_electronic_only",
    OwnProposal = "own_proposal",
    StateArchivesOpinionRequired = "state_archives_opinion_required",
    NotAwaitingApproval = "not_awaiting_approval",
    OnPendingList = "on_pending_list",
    BadHold = "bad_hold",
    BadSpan = "bad_span",
    // Search.
    // The rules' own refusals (`domain::information_request`,
    // `signature`, `layout`, `muhatap`, `correspondence`).
    NotAnInformationRequest = "not_an_information_request",
    ExtensionReasonRequired = "extension_reason_required",
    NoticeRefRequired = "notice_ref_required",
    NoticeRefTooLong = "notice_ref_too_long",
    NoticeInFuture = "notice_in_future",
    SignerNameRequired = "signer_name_required",
    SignerTitleRequired = "signer_title_required",
    PrincipalTitleRequired = "principal_title_required",
    SignatureLineTooLong = "signature_line_too_long",
    InstitutionRequired = "institution_required",
    HeadingTooLong = "heading_too_long",
    MuhatapTooLong = "muhatap_too_long",
    MuhatapNoLetters = "muhatap_no_letters",
    ClassifiedNeedsCrypto = "classified_needs_crypto",
    ClassifiedByHandOnly = "classified_by_hand_only",
    // Assets, licences, systems and handovers (issue 16).
    UnknownTasinirCode = "unknown_tasinir_code",
    TasinirGroupCode = "tasinir_group_code",
    AssetAlreadyHeld = "asset_already_held",
    AssetNotHeld = "asset_not_held",
    AssetDisposed = "asset_disposed",
    NotHolder = "not_holder",
    SameHolder = "same_holder",
    AssetInCustody = "asset_in_custody",
    DecisionRequired = "decision_required",
    HoldingsRemain = "holdings_remain",
    SuccessorIsLeaver = "successor_is_leaver",
    SeatsExhausted = "seats_exhausted",
    DuplicateSerial = "duplicate_serial",
    BadMoney = "bad_money",
    UnknownLicenceKind = "unknown_licence_kind",
    UnknownLeavingReason = "unknown_leaving_reason",
    UnknownAsset = "unknown_asset",
    UnknownLicence = "unknown_licence",
    UnknownSystem = "unknown_system",
    UnknownSystemKind = "unknown_system_kind",
    UnknownHoldingKind = "unknown_holding_kind",
    NotTheirs = "not_theirs",
    HolderOrPlace = "holder_or_place",
    AlreadyDeparted = "already_departed",
    UnknownResult = "unknown_result",
    BadCriticality = "bad_criticality",
    NameTaken = "name_taken",
    NotStaff = "not_staff",
    MissingColumns = "missing_columns",
    ImportRowsInvalid = "import_rows_invalid",
    NotASheet = "not_a_sheet",
    BadSheetFormat = "bad_sheet_format",
    TooFewMembers = "too_few_members",
    SeatAlreadyAssigned = "seat_already_assigned",
    SelfAppointment = "self_appointment",
    NothingToPrint = "nothing_to_print",
    CountOpen = "count_open",
    CountClosed = "count_closed",
    BoardNeedsOfficer = "board_needs_officer",
    UnknownTag = "unknown_tag",
}

impl Code {
    /// The code a rule of the domain named; every one is a [`Code`]
    /// (tested below), `internal` should one ever be missing.
    pub fn of(s: &str) -> Code {
        Code::parse(s).unwrap_or(Code::Internal)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a rule of the domain refused an act: the power that is missing, a
/// field of the input, or the state of the record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("missing authority `{0}`")]
    Forbidden(String),
    #[error("invalid {field}: {code}")]
    Invalid { field: &'static str, code: Code },
    #[error("conflict: {0}")]
    Conflict(Code),
}

impl From<crate::authority::Denied> for Refusal {
    fn from(d: crate::authority::Denied) -> Refusal {
        Refusal::Forbidden(d.missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_read_back() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{} twice", c.as_str());
            assert_eq!(Code::parse(c.as_str()), Some(*c));
            assert!(
                c.as_str()
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                "{c}"
            );
        }
    }

    /// Every refusal code the domain's rules give is a [`Code`], so the
    /// front ends have its texts.
    #[test]
    fn every_rule_code_is_a_code() {
        use crate::archive::{CommissionError, FilingError};
        use crate::correspondence::{
            may_dispatch, Channel, Confidentiality, ConfidentialityError, DispatchPolicy,
        };
        use crate::information_request::ExtensionRefusal as X;
        let mut all: Vec<&str> = vec![
            FilingError::NotCompleted.code(),
            FilingError::FileNotOpen.code(),
            FilingError::CodeMismatch.code(),
            FilingError::YearMismatch.code(),
            CommissionError::TooSmall { distinct: 0 }.code(),
            crate::archive::ApprovalRefusal::NotAwaiting.code(),
            crate::archive::ApprovalRefusal::OwnProposal.code(),
            crate::archive::ApprovalRefusal::OpinionRequired.code(),
            ConfidentialityError::Unknown.code(),
            ConfidentialityError::Retired.code(),
            crate::fileplan::FilePlanError::Unknown.code(),
            crate::fileplan::FilePlanError::GroupOnly.code(),
            crate::fileplan::FilePlanError::SecondaryOnly.code(),
        ];
        for x in [
            X::NotAnInformationRequest,
            X::AlreadyExtended,
            X::ReasonRequired,
            X::BadReason,
            X::NoticeRefRequired,
            X::NoticeRefTooLong,
            X::NoticeBeforeReceipt,
            X::NoticeInFuture,
            X::NoticeTooLate,
            X::FirstPeriodOver,
        ] {
            all.push(x.code());
        }
        for level in Confidentiality::ALL {
            for ch in Channel::ALL {
                if let Err(r) = may_dispatch(*level, *ch, &DispatchPolicy::default()) {
                    all.push(r.code);
                }
            }
        }
        for e in [
            crate::signature::SignatureError::NameRequired,
            crate::signature::SignatureError::TitleRequired,
            crate::signature::SignatureError::PrincipalTitleRequired,
            crate::signature::SignatureError::TooLong,
        ] {
            all.push(e.code());
        }
        {
            use crate::asset::*;
            all.extend([CodeRefusal::Unknown.code(), CodeRefusal::Group.code()]);
            for r in [
                CustodyRefusal::AlreadyHeld,
                CustodyRefusal::NotHeld,
                CustodyRefusal::Disposed,
                CustodyRefusal::NotHolder,
                CustodyRefusal::SameHolder,
            ] {
                all.push(r.code());
            }
            for r in [
                DisposalRefusal::Held,
                DisposalRefusal::AlreadyDisposed,
                DisposalRefusal::CommissionTooSmall,
                DisposalRefusal::DecisionRequired,
            ] {
                all.push(r.code());
            }
            for r in [
                DepartureRefusal::Holds(vec![]),
                DepartureRefusal::SuccessorIsLeaver,
                DepartureRefusal::CommissionRequired,
            ] {
                all.push(r.code());
            }
        }
        for e in [
            crate::layout::HeadingError::InstitutionRequired,
            crate::layout::HeadingError::TooLong,
        ] {
            all.push(e.code());
        }
        for e in [
            crate::muhatap::MuhatapError::Required,
            crate::muhatap::MuhatapError::TooLong,
            crate::muhatap::MuhatapError::NoLetters,
        ] {
            all.push(e.code());
        }
        for c in all {
            assert!(Code::parse(c).is_some(), "`{c}` is not a Code");
        }
    }
}
