//! Movable assets, licences and contracts, the systems catalogue with its
//! backups, and the handover on leaving (issue 16): the API and the pages.

pub mod api;
pub mod counts;
pub mod pages;
