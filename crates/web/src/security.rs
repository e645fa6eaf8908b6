//! The security baseline: response headers on everything, and CSRF
//! protection on every state-changing request that carries a cookie.
//!
//! CSRF uses a double-submit token: a random `mudurluk_csrf` cookie
//! (SameSite=Strict, HttpOnly) whose value every HTML form repeats in a
//! hidden `_csrf` field (or a script in the `X-CSRF-Token` header). Another
//! site can make a browser send the cookie but cannot read it to repeat it.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::WebError;
use crate::i18n::cookie;

pub const CSRF_COOKIE: &str = "mudurluk_csrf";
pub const SESSION_COOKIE: &str = "mudurluk_session";
/// The largest HTML form body read for the CSRF check.
pub const FORM_LIMIT: usize = 64 * 1024;

/// The CSRF token of this request, for templates to put in forms.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Adds the security headers to every response.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert("content-security-policy", HeaderValue::from_static(CSP));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    resp
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn valid_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Compares without leaking where the first difference is.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn refused() -> Response {
    WebError::new(StatusCode::FORBIDDEN, domain::code::Code::Csrf).into_response()
}

/// CSRF for the HTML pages: issues the cookie, and checks every unsafe
/// request's `_csrf` form field (or `X-CSRF-Token` header) against it.
pub async fn csrf_pages(req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE).filter(|t| valid_token(t)).map(str::to_owned);
    let mut req = req;
    if !is_safe(req.method()) {
        let Some(expected) = existing.as_deref() else { return refused() };
        let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let ok = if let Some(h) = header_token {
            same(&h, expected)
        } else if multipart {
            // A file upload is streamed, not buffered here: its form names
            // the token in its action URL (`?_csrf=…`) instead.
            let q = req.uri().query().unwrap_or("");
            url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "_csrf").is_some_and(|(_, v)| same(&v, expected))
        } else {
            let (parts, body) = req.into_parts();
            let bytes = match axum::body::to_bytes(body, FORM_LIMIT).await {
                Ok(b) => b,
                Err(_) => return WebError::new(StatusCode::PAYLOAD_TOO_LARGE, domain::code::Code::TooLarge).into_response(),
            };
            let field = url::form_urlencoded::parse(&bytes).find(|(k, _)| k == "_csrf").map(|(_, v)| v.into_owned());
            req = Request::from_parts(parts, Body::from(bytes));
            field.is_some_and(|f| same(&f, expected))
        };
        if !ok {
            return refused();
        }
    }
    let token = existing.clone().unwrap_or_else(app::new_token);
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut resp = next.run(req).await;
    if existing.is_none() {
        if let Ok(v) = HeaderValue::from_str(&format!("{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict")) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// CSRF for the API: a request that relies on the session cookie (no
/// `Authorization` header) must repeat the CSRF cookie in `X-CSRF-Token`.
/// Requests without ambient credentials have nothing to forge.
pub async fn csrf_api(req: Request, next: Next) -> Response {
    if !is_safe(req.method())
        && req.headers().get(header::AUTHORIZATION).is_none()
        && cookie(req.headers(), SESSION_COOKIE).is_some()
    {
        let expected = cookie(req.headers(), CSRF_COOKIE).filter(|t| valid_token(t));
        let given = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok());
        match (expected, given) {
            (Some(e), Some(g)) if same(e, g) => {}
            _ => return refused(),
        }
    }
    next.run(req).await
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn session_cookie_cleared() -> HeaderValue {
    HeaderValue::from_static("mudurluk_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The `Set-Cookie` value of a new session.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let max_age = app::setup::SESSION_HOURS * 3600;
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"))
        .unwrap_or(HeaderValue::from_static(""))
}
