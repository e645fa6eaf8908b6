//! The one error type of the use-cases. Each variant says what the user can
//! do about it; the web layer maps it to a status and a message once. Codes
//! are `domain::code::Code`s, so every one has its texts.

use domain::authority::Denied;
use domain::code::{Code, Refusal};
use store::blob::BlobError;
use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A field of the input is wrong.
    #[error("invalid {field}: {code}")]
    Invalid { field: &'static str, code: Code },
    #[error("not signed in")]
    Unauthenticated,
    /// The actor lacks an authority; `missing` names it (a profile
    /// authority id, `administrator`, or a rule such as `writer`).
    #[error("not allowed: missing {missing}")]
    Forbidden { missing: String },
    #[error("not found")]
    NotFound,
    /// Too many failed sign-ins: wait this long before trying again.
    #[error("too many attempts; wait {wait_secs} s")]
    Throttled { wait_secs: i64 },
    /// The request clashes with the current state.
    #[error("conflict: {0}")]
    Conflict(Code),
    #[error("larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// The directory (LDAP) server cannot be reached; local accounts still
    /// sign in.
    #[error("directory unavailable: {0}")]
    DirectoryUnavailable(String),
    /// A field's value passes a limit: the code names the limit, `left`
    /// says how much of it remains (the figure the refusal shows).
    #[error("invalid {field}: {code} ({left:?} left)")]
    Beyond {
        field: &'static str,
        code: Code,
        left: Left,
    },
    /// An e-Yazışma package is refused; `part` names its part at fault.
    #[error("package refused: {code} ({part:?})")]
    Package { code: Code, part: Option<String> },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// What remains of a limit a refusal names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Left {
    pub amount: f64,
    pub unit: LeftUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftUnit {
    Hours,
    Days,
}

impl LeftUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            LeftUnit::Hours => "hours",
            LeftUnit::Days => "days",
        }
    }
}

impl AppError {
    pub fn forbidden(missing: impl Into<String>) -> Self {
        AppError::Forbidden {
            missing: missing.into(),
        }
    }

    pub fn invalid(field: &'static str, code: Code) -> Self {
        AppError::Invalid { field, code }
    }

    /// A limit passed, with what remains of it.
    pub fn beyond(field: &'static str, code: Code, amount: f64, unit: LeftUnit) -> Self {
        AppError::Beyond {
            field,
            code,
            left: Left { amount, unit },
        }
    }

    /// Turns a conflict the store names into a field's refusal (a file
    /// never uploaded is the `attachments` field's fault, say).
    pub fn on_field(self, code: Code, field: &'static str) -> Self {
        match self {
            AppError::Conflict(c) if c == code => AppError::Invalid { field, code },
            e => e,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(c) => match Code::parse(c) {
                Some(code) => AppError::Conflict(code),
                None => {
                    AppError::Internal(anyhow::anyhow!("the store named an unknown conflict `{c}`"))
                }
            },
            StoreError::Unavailable(m) => AppError::Unavailable(m),
            StoreError::BadText => AppError::invalid("text", Code::ControlCharacter),
            StoreError::Sql(e) => AppError::Internal(e.into()),
            StoreError::Internal(e) => AppError::Internal(e),
        }
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Forbidden(missing) => AppError::Forbidden { missing },
            Refusal::Invalid { field, code } => AppError::Invalid { field, code },
            Refusal::Conflict(code) => AppError::Conflict(code),
        }
    }
}

impl From<Denied> for AppError {
    fn from(d: Denied) -> Self {
        AppError::Forbidden { missing: d.missing }
    }
}

impl From<BlobError> for AppError {
    fn from(e: BlobError) -> Self {
        match e {
            BlobError::TooLarge { limit } => AppError::TooLarge { limit },
            BlobError::NotFound | BlobError::BadHash => AppError::NotFound,
            BlobError::Interrupted(m) => {
                AppError::Internal(anyhow::anyhow!("upload interrupted: {m}"))
            }
            BlobError::Storage(e) => AppError::Internal(e),
        }
    }
}
