//! The working calendar: the deadline calculator and the administrator's
//! edits of it (idari izin days, corrections of the shipped holidays).

pub mod api;
pub mod pages;
