//! What handlers extract from a request: the page layout (language, CSRF
//! token, signed-in user), the signed-in user or 401, and JSON, query and
//! path values whose rejections are the API's one error shape.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};

use app::User;
use domain::code::Code;

use crate::error::WebError;
use crate::i18n::{cookie, Lang, Tr};
use crate::security::{CsrfToken, SESSION_COOKIE};
use crate::{AppState, VERSION};

/// `Json` whose rejection is our error shape, under the input discipline
/// (`domain::text`): a string anywhere in the body holding NUL or another
/// control character (tab and newline aside) is refused with 422 naming
/// its top-level field, before any handler or database sees it.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(v) = axum::Json::<serde_json::Value>::from_request(req, state).await?;
        if let Some(field) = forbidden_in_json(&v) {
            return Err(app::AppError::invalid(field, Code::ControlCharacter).into());
        }
        serde_path_to_error::deserialize(ObjectsAsObjects(v))
            .map(ApiJson)
            .map_err(|e| json_refusal(&e))
    }
}

/// A body that is JSON but not the request's shape: 422 naming the
/// top-level field at fault, `required` when it is missing (serde says
/// "missing field `x`"), `invalid_json` when it has the wrong type.
fn json_refusal(e: &serde_path_to_error::Error<serde_json::Error>) -> WebError {
    let path = e.path().to_string();
    let top = path
        .split(['.', '['])
        .find(|s| !s.is_empty())
        .filter(|s| *s != "?");
    let message = e.inner().to_string();
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next());
    match (top, missing) {
        (None, Some(m)) => app::AppError::invalid(field_name(m), Code::Required).into(),
        (Some(t), Some(_)) => app::AppError::invalid(field_name(t), Code::Required).into(),
        (Some(t), None) => app::AppError::invalid(field_name(t), Code::InvalidJson).into(),
        (None, None) => WebError::new(StatusCode::UNPROCESSABLE_ENTITY, Code::InvalidJson),
    }
}

/// A JSON body read as serde reads it, except that a struct is read only
/// from an object: serde would also fill one from an array of its fields
/// in order, and `["approve"]` is not a decision anyone wrote.
struct ObjectsAsObjects(serde_json::Value);

impl<'de> serde::Deserializer<'de> for ObjectsAsObjects {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        serde::Deserializer::deserialize_any(self.0, visitor)
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        serde::Deserializer::deserialize_option(self.0, visitor)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        if !self.0.is_object() {
            return Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Other("not an object"),
                &"a JSON object",
            ));
        }
        serde::Deserializer::deserialize_struct(self.0, name, fields, visitor)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        serde::Deserializer::deserialize_enum(self.0, name, variants, visitor)
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        serde::Deserializer::deserialize_newtype_struct(self.0, name, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// A JSON body that may be left out: an empty body is the type's default
/// (`POST /tasks/{id}/accept` with nothing to say).
pub struct ApiJsonOr<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Default> FromRequest<S> for ApiJsonOr<T> {
    type Rejection = WebError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let has_body = req
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .is_none_or(|v| v.as_bytes() != b"0")
            && req.headers().contains_key(axum::http::header::CONTENT_TYPE);
        if !has_body {
            let bytes = axum::body::Bytes::from_request(req, state)
                .await
                .map_err(|_| WebError::bad_request())?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(ApiJsonOr(T::default()));
            }
            return Err(WebError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                Code::InvalidJson,
            ));
        }
        let ApiJson(v) = ApiJson::<T>::from_request(req, state).await?;
        Ok(ApiJsonOr(v))
    }
}

/// The top-level field of a JSON body whose text (or key) holds a
/// character no request may carry.
pub(crate) fn forbidden_in_json(v: &serde_json::Value) -> Option<&'static str> {
    fn bad(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::String(s) => domain::text::first_forbidden(s).is_some(),
            serde_json::Value::Array(a) => a.iter().any(bad),
            serde_json::Value::Object(o) => o
                .iter()
                .any(|(k, v)| domain::text::first_forbidden(k).is_some() || bad(v)),
            _ => false,
        }
    }
    match v {
        serde_json::Value::Object(o) => o
            .iter()
            .find(|(k, v)| domain::text::first_forbidden(k).is_some() || bad(v))
            .map(|(k, _)| field_name(k)),
        v if bad(v) => Some("body"),
        _ => None,
    }
}

/// The first `(name, value)` pair of a form or query string whose name or
/// value holds a character no request may carry: its field name.
pub(crate) fn forbidden_in_pairs<'a>(
    mut pairs: impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
) -> Option<&'static str> {
    pairs
        .find(|(k, v)| {
            domain::text::first_forbidden(k).is_some() || domain::text::first_forbidden(v).is_some()
        })
        .map(|(k, _)| field_name(&k))
}

/// A request's field name as the error names it. Our fields are short
/// snake_case names, each kept once; anything else (or more names than any
/// form of ours has) is reported as `body`, so a client cannot make the
/// server keep its strings.
pub(crate) fn field_name(name: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let plain = !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !plain {
        return "body";
    }
    let mut set = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(s) = set.get(name) {
        return s;
    }
    if set.len() >= 512 {
        return "body";
    }
    let s: &'static str = Box::leak(name.to_owned().into_boxed_str());
    set.insert(s);
    s
}

/// `Query` whose rejection is our error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(WebError))]
pub struct ApiQuery<T>(pub T);

/// `Path` whose rejection is our error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(WebError))]
pub struct ApiPath<T>(pub T);

impl From<JsonRejection> for WebError {
    fn from(r: JsonRejection) -> Self {
        let status = match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => {
                return WebError::new(StatusCode::PAYLOAD_TOO_LARGE, Code::TooLarge)
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            s if s.is_client_error() => s,
            _ => StatusCode::BAD_REQUEST,
        };
        WebError::new(status, Code::InvalidJson)
    }
}

impl From<QueryRejection> for WebError {
    fn from(_: QueryRejection) -> Self {
        WebError::new(StatusCode::BAD_REQUEST, Code::InvalidQuery)
    }
}

impl From<PathRejection> for WebError {
    fn from(_: PathRejection) -> Self {
        WebError::bad_request()
    }
}

/// What every page's layout needs.
pub struct Layout {
    pub t: Tr,
    pub lang: Lang,
    pub csrf: String,
    pub user: Option<User>,
    pub path: String,
    pub version: &'static str,
    /// What the signed-in person may do (the menu shows only what opens
    /// for him); the default for nobody.
    pub caps: app::Capabilities,
}

impl Layout {
    /// A file's size for people: "850 B", "12 KB", "3,4 MB" (a decimal
    /// comma in Turkish).
    pub fn size(&self, bytes: &i64) -> String {
        let b = *bytes as f64;
        let (n, unit) = if b < 1024.0 {
            return format!("{bytes} B");
        } else if b < 1024.0 * 1024.0 {
            (b / 1024.0, "KB")
        } else {
            (b / (1024.0 * 1024.0), "MB")
        };
        let s = if n < 10.0 {
            format!("{n:.1}")
        } else {
            format!("{n:.0}")
        };
        let s = if self.lang == crate::i18n::Lang::Tr {
            s.replace('.', ",")
        } else {
            s
        };
        format!("{s} {unit}")
    }

    /// A percentage as the reader writes it: "%60" in Turkish, "60%" in English.
    pub fn pct(&self, n: &i64) -> String {
        if self.lang == crate::i18n::Lang::Tr {
            format!("%{n}")
        } else {
            format!("{n}%")
        }
    }

    /// A percentage with one decimal, comma or point by language.
    pub fn pct1(&self, x: &f64) -> String {
        let s = format!("{x:.1}");
        if self.lang == crate::i18n::Lang::Tr {
            format!("%{}", s.replace('.', ","))
        } else {
            format!("{s}%")
        }
    }

    /// A number with one decimal, comma or point by language.
    pub fn num1(&self, x: &f64) -> String {
        let s = format!("{x:.1}");
        if self.lang == crate::i18n::Lang::Tr {
            s.replace('.', ",")
        } else {
            s
        }
    }

    /// A date as people read it: 30.11.2026.
    pub fn date(&self, d: &time::Date) -> String {
        domain::local::format_date(*d)
    }

    /// An instant as people read it, in Turkish local time: 30.11.2026 14:05.
    /// `HH:MM`, local time.
    pub fn time(&self, t: &time::OffsetDateTime) -> String {
        domain::local::format_time(*t)
    }

    pub fn datetime(&self, t: &time::OffsetDateTime) -> String {
        domain::local::format_datetime(*t)
    }

    /// A layout without a user or a form, for error pages.
    pub fn bare(lang: Lang, path: String) -> Layout {
        Layout {
            t: lang.t(),
            lang,
            csrf: String::new(),
            user: None,
            path,
            version: VERSION,
            caps: app::Capabilities::default(),
        }
    }
}

/// Extracts the layout of a page: language, CSRF token, signed-in user.
impl FromRequestParts<AppState> for Layout {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = crate::i18n::negotiate(&parts.headers);
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let user = current_user(parts, state).await?;
        let caps = match &user {
            Some(u) => state.app.capabilities(u).await?,
            None => app::Capabilities::default(),
        };
        Ok(Layout {
            t: lang.t(),
            lang,
            csrf,
            user,
            path: parts.uri.path().to_owned(),
            version: VERSION,
            caps,
        })
    }
}

/// The session token a request carries: `Authorization: Bearer …` for API
/// clients, else the session cookie.
/// With a Bearer token, the cookie is not read: the token alone signs in
/// (or fails), so an API client's request is never the browser's.
pub fn session_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    match bearer_token(headers) {
        Some(t) => Some(t),
        None => cookie(headers, SESSION_COOKIE).filter(|t| !t.is_empty()),
    }
}

/// The non-empty token of an `Authorization: Bearer …` header.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.get(..7)
                .filter(|p| p.eq_ignore_ascii_case("bearer "))
                .map(|_| v[7..].trim())
        })
        .filter(|t| !t.is_empty())
}

/// The user behind the request's session, looked up once per request: the
/// page layout and the handler's own extractor share the answer.
async fn current_user(parts: &mut Parts, state: &AppState) -> Result<Option<User>, WebError> {
    #[derive(Clone)]
    struct Looked(Option<User>);
    if let Some(Looked(u)) = parts.extensions.get::<Looked>() {
        return Ok(u.clone());
    }
    let user = match session_token(&parts.headers) {
        Some(token) => state.app.session_user(token).await?,
        None => None,
    };
    parts.extensions.insert(Looked(user.clone()));
    Ok(user)
}

/// The signed-in user, or 401.
pub struct SignedIn(pub User);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        current_user(parts, state)
            .await?
            .map(SignedIn)
            .ok_or_else(|| app::AppError::Unauthenticated.into())
    }
}

/// The signed-in user with the session token they came with (for signing
/// out, or keeping this session while ending the others).
pub struct CurrentSession {
    pub user: User,
    pub token: String,
}

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthenticated = || WebError::from(app::AppError::Unauthenticated);
        let user = current_user(parts, state)
            .await?
            .ok_or_else(unauthenticated)?;
        let token = session_token(&parts.headers)
            .ok_or_else(unauthenticated)?
            .to_owned();
        Ok(CurrentSession { user, token })
    }
}

/// The client's address: the peer, or, when the peer is a trusted reverse
/// proxy (`trusted_proxies`), the nearest address in `X-Forwarded-For`
/// that is not one of them. Without a peer (a test calling the router
/// directly) it is the unspecified address.
pub struct ClientAddr(pub std::net::IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        use std::net::{IpAddr, Ipv4Addr};
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<crate::door::Peer>>()
            .map(|c| c.0 .0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(ClientAddr(client_address(
            peer,
            &parts.headers,
            &state.cfg.trusted_proxies,
        )))
    }
}

/// The client behind `peer` (see [`ClientAddr`]).
pub fn client_address(
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    hops.into_iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxy: std::net::IpAddr = "10.0.0.1".parse().unwrap();
        let mut h = axum::http::HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 192.0.2.7".parse().unwrap());
        // Not trusted: the header is the client's own claim and is ignored.
        assert_eq!(client_address(proxy, &h, &[]), proxy);
        // Trusted: the nearest hop the proxy saw (a client cannot prepend
        // its way past it).
        assert_eq!(
            client_address(proxy, &h, &[proxy]),
            "192.0.2.7".parse::<std::net::IpAddr>().unwrap()
        );
        h.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(client_address(proxy, &h, &[proxy]), proxy);
    }
}
