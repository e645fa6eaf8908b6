//! The front door: the home page, signing in and out, the password and
//! sessions, the first-run setup, the language switch; over the API the
//! instance, setup and sign-in.

pub mod api;
pub mod pages;
