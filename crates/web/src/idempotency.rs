//! `Idempotency-Key` on the API's creating requests (POST): a request
//! sent again with the same key and the same body gets the first answer
//! and changes nothing; with another body, 422. The key is the caller's
//! (one user's keys never meet another's) and is recorded in the
//! transaction of the change it made (`store::idempotency`), so it holds
//! across a crash between the commit and the answer and across nodes.
//! When the change was committed but its answer could not be kept (the
//! node died in between), a retry is told so (409) instead of repeating it.
//!
//! Bodies read here are the API's JSON and forms (up to the API's body
//! limit). Uploads stream and are not replayed: a file is stored by its
//! content, so sending it again stores nothing twice.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::code::Code;
use sha2::{Digest, Sha256};

use crate::error::WebError;
use crate::security::FORM_LIMIT;
use crate::AppState;

pub const HEADER: &str = "idempotency-key";
/// The largest answer kept for a replay.
const ANSWER_LIMIT: usize = 8 * 1024 * 1024;

fn refusal(code: Code) -> Response {
    WebError::from(app::AppError::invalid("Idempotency-Key", code)).into_response()
}

/// A valid key: 1 to 255 visible ASCII characters.
pub fn valid_key(k: &str) -> bool {
    (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic())
}

pub async fn idempotency(State(s): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(raw) = req.headers().get(HEADER) else {
        return next.run(req).await;
    };
    let key = match raw.to_str() {
        Ok(k) if valid_key(k) => k.to_owned(),
        _ => return refusal(Code::BadIdempotencyKey),
    };
    let ctype = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let buffered = ctype.is_empty()
        || ctype.starts_with("application/json")
        || ctype.starts_with("application/x-www-form-urlencoded");
    if !buffered {
        return next.run(req).await;
    }
    // Whose key: a request that is not signed in changes nothing (the
    // handler answers it).
    let user = match crate::extract::session_token(req.headers()) {
        Some(t) => match s.app.session_user(t).await {
            Ok(u) => u,
            Err(e) => return WebError::from(e).into_response(),
        },
        None => None,
    };
    let Some(user) = user else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, FORM_LIMIT).await else {
        return WebError::new(StatusCode::PAYLOAD_TOO_LARGE, Code::BodyTooLarge).into_response();
    };
    let key_hash = hex::encode(Sha256::digest(format!("{}\n{key}", user.id)));
    let mut h = Sha256::new();
    h.update(parts.method.as_str());
    h.update(b"\n");
    h.update(parts.uri.path_and_query().map_or("", |p| p.as_str()));
    h.update(b"\n");
    h.update(&ctype);
    h.update(b"\n");
    h.update(&bytes);
    let fingerprint = hex::encode(h.finalize());
    match s.app.idempotency_record(&key_hash).await {
        Ok(Some(r)) if r.fingerprint != fingerprint || r.user_id != Some(user.id) => {
            return refusal(Code::IdempotencyKeyReused)
        }
        Ok(Some(r)) => {
            return match r.answer {
                Some((status, ctype, body)) => {
                    let mut resp = (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body)
                        .into_response();
                    if let Ok(v) = HeaderValue::from_str(&ctype) {
                        resp.headers_mut().insert(header::CONTENT_TYPE, v);
                    }
                    resp.headers_mut()
                        .insert("idempotent-replayed", HeaderValue::from_static("true"));
                    resp
                }
                None => {
                    WebError::new(StatusCode::CONFLICT, Code::IdempotencyInProgress).into_response()
                }
            };
        }
        Ok(None) => {}
        Err(e) => return WebError::from(e).into_response(),
    }
    let mark = app::idempotency::Mark {
        key_hash,
        fingerprint,
        user_id: Some(user.id),
        request_id: app::new_token(),
    };
    let resp = app::idempotency::scope(
        mark.clone(),
        next.run(Request::from_parts(parts, Body::from(bytes))),
    )
    .await;
    // An error answer is not kept: it changed nothing, and trying again
    // with the same key may succeed.
    if !resp.status().is_success() {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ANSWER_LIMIT).await else {
        return WebError::new(StatusCode::INTERNAL_SERVER_ERROR, Code::Internal).into_response();
    };
    let ctype = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Err(e) = s
        .app
        .keep_idempotent_answer(&mark, parts.status.as_u16(), ctype, &bytes)
        .await
    {
        tracing::warn!(error = %e, "the answer of an idempotent request could not be kept; a retry is told it was done");
    }
    Response::from_parts(parts, Body::from(bytes))
}
