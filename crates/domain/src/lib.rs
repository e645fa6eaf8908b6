//! Pure types and rules of Mudurluk. No async, no IO: a value of a domain
//! type is valid by construction ("parse, don't validate").

pub mod analysis;
pub mod account;
pub mod audit;
pub mod calendar;
pub mod correspondence;
pub mod fileplan;
pub mod filetype;
pub mod authority;
pub mod outgoing;
pub mod profile;
pub mod tckn;
pub mod turkish;
pub mod muhatap;
pub mod signature;
pub mod layout;
pub mod information_request;
pub mod archive;
