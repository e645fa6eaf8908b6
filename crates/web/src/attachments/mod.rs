//! Attachments: files streamed into the content-addressed store and read
//! back by those who may see a record holding them. API only; the pages
//! upload through the form of the record they belong to.

pub mod api;
