//! Tasks (m.18), working groups (m.10/9) and maintenance plans: the API
//! and the pages.

pub mod api;
pub mod pages;
