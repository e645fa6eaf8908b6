//! The IT service desk (issue 15; m.16/2-5, m.18): the API and the pages.

pub mod api;
pub mod pages;
