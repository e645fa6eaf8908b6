//! Outgoing letters (m.15/3, m.20/2-3, m.21/2): the API and the pages.

pub mod api;
pub mod pages;
pub mod verify;
