//! The one error type of the use-cases. Each variant says what the user can
//! do about it; the web layer maps it to a status and a message once.

use store::blob::BlobError;
use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A field of the input is wrong. `code` is a stable key the front ends
    /// translate (e.g. `bad_username`).
    #[error("invalid {field}: {code}")]
    Invalid { field: &'static str, code: &'static str },
    #[error("not signed in")]
    Unauthenticated,
    /// The actor lacks an authority; `missing` names it (a profile
    /// authority id, or `administrator`).
    #[error("not allowed: missing {missing}")]
    Forbidden { missing: String },
    #[error("not found")]
    NotFound,
    /// The request clashes with the current state; `code` is a stable key.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// The directory (LDAP) server cannot be reached; local accounts still
    /// sign in.
    #[error("directory unavailable: {0}")]
    DirectoryUnavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn forbidden(missing: &str) -> Self {
        AppError::Forbidden { missing: missing.to_owned() }
    }

    pub fn invalid(field: &'static str, code: &'static str) -> Self {
        AppError::Invalid { field, code }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(c) => AppError::Conflict(c),
            StoreError::Forbidden(missing) => AppError::Forbidden { missing },
            StoreError::Unavailable(m) => AppError::Unavailable(m),
            StoreError::Internal(e) => AppError::Internal(e),
        }
    }
}

impl From<BlobError> for AppError {
    fn from(e: BlobError) -> Self {
        match e {
            BlobError::TooLarge { limit } => AppError::TooLarge { limit },
            BlobError::NotFound | BlobError::BadHash => AppError::NotFound,
            BlobError::Interrupted(m) => AppError::Internal(anyhow::anyhow!("upload interrupted: {m}")),
            BlobError::Storage(e) => AppError::Internal(e),
        }
    }
}
