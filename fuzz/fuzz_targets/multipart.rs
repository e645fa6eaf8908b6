//! Multipart forms (a registration with its scans, a letter with its
//! attachments): the one reader of the web crate, on arbitrary bodies. The
//! fields go through the input discipline; the files are streamed and
//! sniffed as the blob store would, and their bytes thrown away.
#![no_main]
use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use futures_util::StreamExt;
use libfuzzer_sys::fuzz_target;

struct Sniff;

impl web::multipart::Keep for Sniff {
    async fn keep(&mut self, mut field: axum::extract::multipart::Field<'_>) -> Result<String, app::AppError> {
        let mut head = Vec::new();
        let mut len = 0usize;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| app::AppError::invalid("file", domain::code::Code::BadRequest))?;
            len += chunk.len();
            if head.len() < domain::filetype::SNIFF_LEN {
                head.extend_from_slice(&chunk[..chunk.len().min(domain::filetype::SNIFF_LEN - head.len())]);
            }
        }
        let _ = domain::filetype::sniff(&head, len <= domain::filetype::SNIFF_LEN);
        Ok(format!("{len}"))
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Builder::new_current_thread().build().expect("runtime"))
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the boundary's length (1..=70, as RFC 2046
    // allows); the rest is the body.
    let Some((&n, body)) = data.split_first() else { return };
    let boundary: String = "x-Mudurluk-7MA4YWxkTrZu0gW-boundary-0123456789abcdefghijklmnopqrstuvwxyz".chars().take(1 + n as usize % 70).collect();
    let req = axum::http::Request::builder()
        .method("POST")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body.to_vec()))
        .expect("request");
    runtime().block_on(async {
        let Ok(mp) = Multipart::from_request(req, &()).await else { return };
        let check = |f: web::multipart::Fields| async move {
            if f.get("subject").is_empty() { Err(app::AppError::invalid("subject", domain::code::Code::Required)) } else { Ok(()) }
        };
        let _ = web::multipart::read_with(mp, "scan", check, &mut Sniff).await;
    });
});
