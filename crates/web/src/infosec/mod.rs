//! Information security and KVKK (issue 18; m.8/23-31, m.16/5-c; the
//! cookies and CSRF are `crate::security`): the
//! security guide's measures and its audits over the API.

pub mod access;
pub mod api;
pub mod incidents;
pub mod kvkk;
pub mod pages;
pub mod policies;
pub mod policy_pages;
pub mod security_pages;
