//! Search and digitisation (m.8/19, m.16/2-a): the API and the pages.

pub mod api;
pub mod pages;
