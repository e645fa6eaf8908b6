//! Personnel: leave (issue 19; m.16/1, m.9/4; 657 m.102-103, 4857 m.53):
//! the API and the pages.

pub mod api;
pub mod overtime;
pub mod ozluk;
pub mod pages;
pub mod timesheet;
