//! Pure types and rules of Mudurluk. No async, no IO: a value of a domain
//! type is valid by construction ("parse, don't validate").

pub mod account;
pub mod analysis;
pub mod archive;
pub mod asset;
pub mod audit;
pub mod authority;
pub mod calendar;
pub mod code;
pub mod correspondence;
pub mod fileplan;
pub mod filetype;
pub mod incoming;
pub mod information_request;
pub mod kvkk;
pub mod layout;
pub mod leave;
pub mod local;
pub mod muhatap;
pub mod outgoing;
pub mod overtime;
pub mod personnel;
pub mod profile;
pub mod security_guide;
pub mod servicedesk;
pub mod signature;
pub mod task;
pub mod tckn;
pub mod text;
pub mod throttle;
pub mod timesheet;
pub mod totp;
pub mod turkish;
pub mod worktime;
