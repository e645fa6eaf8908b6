//! The archive (m.22; Devlet Arşiv Hizmetleri Hakkında Yönetmelik): the API
//! and the pages.

pub mod api;
pub mod pages;
