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

/// Whether cookies are marked `Secure` (`cookie_secure`).
#[derive(Clone, Copy, Debug)]
pub struct CookieSecure(pub bool);

/// The CSRF token of this request, for templates to put in forms.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// A stored file shown inside our own pages (a PDF or image preview): it
/// may be framed by this origin only, and runs nothing of its own.
const PREVIEW_CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/// Marks a response that our pages frame (an attachment's preview).
#[derive(Debug, Clone, Copy)]
pub struct FramedBySelf;

/// Adds the security headers to every response.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let framed = resp.extensions().get::<FramedBySelf>().is_some();
    let h = resp.headers_mut();
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(if framed { PREVIEW_CSP } else { CSP }),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        "x-frame-options",
        HeaderValue::from_static(if framed { "SAMEORIGIN" } else { "DENY" }),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    resp
}

/// The longest request target (path and query) read; a longer one is
/// refused with our error shape rather than a bare status.
pub const URI_LIMIT: usize = 8 * 1024;

/// The input discipline at the door, for every request: the path and the
/// query, percent-decoded, may not hold NUL or another control character
/// (422 naming the query field, or `path`), and the target has a length
/// limit (414).
pub async fn boundary(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let len = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    if len > URI_LIMIT {
        return WebError::new(StatusCode::URI_TOO_LONG, domain::code::Code::UriTooLong)
            .into_response();
    }
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy();
    if domain::text::first_forbidden(&path).is_some() {
        return WebError::from(app::AppError::invalid(
            "path",
            domain::code::Code::ControlCharacter,
        ))
        .into_response();
    }
    if let Some(q) = uri.query() {
        // `next` (where to go back to) is never stored: anything odd in it
        // sends the user to `/` (`domain::text::local_path`), not to an
        // error page.
        let pairs = url::form_urlencoded::parse(q.as_bytes()).filter(|(k, _)| k != "next");
        if let Some(field) = crate::extract::forbidden_in_pairs(pairs) {
            return WebError::from(app::AppError::invalid(
                field,
                domain::code::Code::ControlCharacter,
            ))
            .into_response();
        }
    }
    next.run(req).await
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn valid_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Compares without leaking where the first difference is.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn refused() -> Response {
    WebError::new(StatusCode::FORBIDDEN, domain::code::Code::Csrf).into_response()
}

/// CSRF for the HTML pages: issues the cookie, and checks every unsafe
/// request's `_csrf` form field (or `X-CSRF-Token` header) against it.
pub async fn csrf_pages(
    axum::extract::State(secure): axum::extract::State<CookieSecure>,
    req: Request,
    next: Next,
) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE)
        .filter(|t| valid_token(t))
        .map(str::to_owned);
    let mut req = req;
    if !is_safe(req.method()) {
        let Some(expected) = existing.as_deref() else {
            return refused();
        };
        let header_token = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
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
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "_csrf")
                .is_some_and(|(_, v)| same(&v, expected))
        } else {
            let (parts, body) = req.into_parts();
            let bytes = match axum::body::to_bytes(body, FORM_LIMIT).await {
                Ok(b) => b,
                Err(_) => {
                    return WebError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        domain::code::Code::TooLarge,
                    )
                    .into_response()
                }
            };
            if let Some(bad) =
                crate::extract::forbidden_in_pairs(url::form_urlencoded::parse(&bytes))
            {
                return WebError::from(app::AppError::invalid(
                    bad,
                    domain::code::Code::ControlCharacter,
                ))
                .into_response();
            }
            let field = url::form_urlencoded::parse(&bytes)
                .find(|(k, _)| k == "_csrf")
                .map(|(_, v)| v.into_owned());
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
        let secure = if secure.0 { "; Secure" } else { "" };
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"
        )) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// CSRF for the API: a request signed in by the session cookie must
/// repeat the CSRF cookie in `X-CSRF-Token`. Only a Bearer token (which a
/// browser never sends by itself) takes the cookie's place: with one, the
/// cookie is not read at all (`extract::session_token`), so there is
/// nothing to forge. Any other `Authorization` header (`Basic …`, an empty
/// `Bearer `) changes nothing.
pub async fn csrf_api(req: Request, next: Next) -> Response {
    if !is_safe(req.method())
        && crate::extract::bearer_token(req.headers()).is_none()
        && cookie(req.headers(), SESSION_COOKIE).is_some()
    {
        let expected = cookie(req.headers(), CSRF_COOKIE).filter(|t| valid_token(t));
        let given = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok());
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
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}
