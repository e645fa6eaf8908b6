//! Incoming correspondence (m.16/1, m.20/1, m.21/1): the API and the pages.

pub mod api;
pub mod pages;
