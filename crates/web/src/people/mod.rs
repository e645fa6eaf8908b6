//! People, the organisation and authority: the org chart, staff records,
//! "my authorities" and what one may do, delegations (m.10/4) and
//! deputyships (m.12/2), accounts, personal API tokens and the audit trail.

pub mod api;
pub mod pages;
