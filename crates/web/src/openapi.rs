//! The JSON API under `/api/v1`: each capability's `api::routes()`,
//! gathered with their OpenAPI descriptions (utoipa-axum), behind the API's
//! CSRF rule and body limit. `/api/v1/openapi.json` serves the document.

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::security::{csrf_api, FORM_LIMIT};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Mudurluk API", description = "JSON API of Mudurluk, the operations platform of a municipal directorate. Errors always have the shape {\"error\": {\"code\", \"message\"}}; the code is stable, the message is in the caller's language (Accept-Language: tr, en)."),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    tags((name = "instance"), (name = "setup"), (name = "auth"), (name = "audit", description = "The audit trail: every state change, hash-chained, in the transaction that made it"),
        (name = "attachments"),
        (name = "authority", description = "Who may do what, on which article's basis: delegations (m.10/4) and deputyships (m.12/2)"),
        (name = "people", description = "Staff records and the organisation chart; reading a record is audited (KVKK)"),
        (name = "calendar", description = "The Turkish working calendar: public holidays, half days and administrative leave"),
        (name = "incoming", description = "Incoming correspondence: register, route (havale), take delivery (zimmet), close; legal deadlines on the Turkish working calendar"),
        (name = "outgoing", description = "Outgoing letters: draft, initial (paraf), sign (imza) along the chain of m.15/3 and m.20/2-3; number and date at the signature (m.21/2); the e-imza slot"),
        (name = "archive", description = "The archive (m.22): files per Standard File Plan code, unit and year; retention from the plan; the transfer and expired lists; disposal proposed by the commission and approved by the Mayor, leaving tombstones"),
        (name = "search", description = "Turkish-aware, OCR-tolerant search over what the searcher may see; the digital archive of scanned paper (m.8/19, m.16/2-a)"),
        (name = "requests", description = "The IT service desk (m.16/2-5, m.18): requests from every directorate, handled by the section m.16 gives their kind to, with SLAs in Turkish working time"),
        (name = "tasks", description = "Tasks (m.18) given by superiors, accepted, reported and approved; working groups (m.10/9); recurring maintenance plans"),
        (name = "assets", description = "Movable assets under the Taşınır rules (m.8/8, m.10/11): receipt (Taşınır İşlem Fişi), custody (Zimmet Fişi), return, transfer, disposal; licences, contracts (m.8/11); the systems catalogue and its backups (m.8/20, m.16/5); holdings, handover and departure (m.20/1-ç, m.20/1-d)"),
        (name = "security", description = "Information security (m.8/23-31, m.16/5-c): the Bilgi ve İletişim Güvenliği Rehberi's 660 measures, and audit campaigns that assess them per graded asset"),
        (name = "personnel", description = "Personnel (m.16/1): annual leave under 657 m.102-103 and 4857 m.53 on the Turkish working calendar, requested, initialled by the Şef and approved by the disciplinary superior (m.9/4); the İzin Onay Formu; balances"))
)]
pub struct ApiDoc;

/// Every capability's API with its OpenAPI description.
pub fn api() -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::new()
        .merge(crate::home::api::routes())
        .merge(crate::people::api::routes())
        .merge(crate::calendar::api::routes())
        .merge(crate::attachments::api::routes())
        .merge(crate::incoming::api::routes())
        .merge(crate::outgoing::api::routes())
        .merge(crate::outgoing::verify::routes())
        .merge(crate::archive::api::routes())
        .merge(crate::search::api::routes())
        .merge(crate::servicedesk::api::routes())
        .merge(crate::tasks::api::routes())
        .merge(crate::assets::api::routes())
        .merge(crate::leave::api::routes())
        .merge(crate::leave::overtime::routes())
        .merge(crate::leave::timesheet::routes())
        .merge(crate::leave::ozluk::routes())
        .merge(crate::infosec::api::routes())
        .merge(crate::infosec::kvkk::routes())
        .merge(crate::infosec::incidents::routes())
        .merge(crate::infosec::policies::routes())
        .merge(crate::infosec::access::routes());
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", routes)
}

/// Operations anyone may call without signing in.
const PUBLIC: &[&str] = &["/api/v1/instance", "/api/v1/auth/login", "/api/v1/setup"];

/// Makes the document say what every request may get besides its own
/// answers, so that a client (and a fuzzer checking the document against
/// the server) is never surprised: the errors any request can meet, in the
/// one error shape, and the Bearer authentication.
pub fn document_common_answers(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::content::Content;
    use utoipa::openapi::response::{Response, ResponseBuilder};
    use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
    use utoipa::openapi::{Ref, RefOr};
    let error = |desc: &str| -> RefOr<Response> {
        RefOr::T(
            ResponseBuilder::new()
                .description(desc)
                .content(
                    "application/json",
                    Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                )
                .build(),
        )
    };
    let common: &[(&str, &str)] = &[
        ("400", "The request cannot be read: a path or query value of the wrong type, or a body that is not JSON (bad_request, invalid_query, invalid_json)"),
        ("401", "Not signed in, or the token is not valid (unauthenticated)"),
        ("403", "The caller lacks the authority, or the CSRF token of a cookie session (forbidden, csrf)"),
        ("404", "No such record, or none the caller may see (not_found)"),
        ("413", "The body exceeds the limit (too_large, body_too_large)"),
        ("414", "The address is too long (uri_too_long)"),
        ("422", "A value is wrong: `code` says what and `field` which. Every text refuses NUL and other control characters (control_character); one-line fields also bidi overrides and zero-width characters"),
    ];
    for (path, item) in doc.paths.paths.iter_mut() {
        let public = PUBLIC.contains(&path.as_str());
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            for (code, desc) in common {
                if public && matches!(*code, "401" | "403") {
                    continue;
                }
                op.responses
                    .responses
                    .entry((*code).to_owned())
                    .or_insert_with(|| error(desc));
            }
            if op.request_body.is_some() {
                op.responses
                    .responses
                    .entry("415".to_owned())
                    .or_insert_with(|| {
                        error("The body is not of the declared type (invalid_json)")
                    });
            }
            if public {
                op.security = Some(vec![SecurityRequirement::default()]);
            }
        }
    }
    // A stored file is served with the type its content showed
    // (`domain::filetype`).
    if let Some(RefOr::T(ok)) = doc
        .paths
        .paths
        .get_mut("/api/v1/attachments/{sha256}")
        .and_then(|p| p.get.as_mut())
        .and_then(|op| op.responses.responses.get_mut("200"))
    {
        if let Some(binary) = ok.content.get("application/octet-stream").cloned() {
            for t in domain::filetype::TYPES {
                ok.content.insert((*t).to_owned(), binary.clone());
            }
        }
    }
    let components = doc.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        "bearer".into(),
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    doc.security = Some(vec![SecurityRequirement::new(
        "bearer",
        Vec::<String>::new(),
    )]);
}

/// The API router, mounted at the root (its paths carry `/api/v1`).
pub fn api_router() -> Router<AppState> {
    let (router, mut doc) = api().split_for_parts();
    document_common_answers(&mut doc);
    let doc = std::sync::Arc::new(doc);
    router
        .route(
            "/api/v1/openapi.json",
            get(move || async move { Json(doc.as_ref().clone()) }),
        )
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .layer(axum::middleware::from_fn(csrf_api))
}

#[cfg(test)]
mod tests {
    /// Any request may meet the usual error (a bad query, a control
    /// character, an unreadable body), so a 4xx answer documented with a
    /// richer body must still accept the usual one: its `error` may require
    /// nothing beyond `code` and `message`. (CI's API fuzzer found the
    /// import's 422 requiring `report` when a NUL in the body drew the
    /// usual error.)
    #[test]
    fn every_error_answer_accepts_the_usual_error() {
        let (_, mut doc) = super::api().split_for_parts();
        super::document_common_answers(&mut doc);
        let doc = serde_json::to_value(&doc).unwrap();
        let schemas = &doc["components"]["schemas"];
        let resolve = |v: &serde_json::Value| -> serde_json::Value {
            match v["$ref"].as_str() {
                Some(r) => schemas[r.rsplit('/').next().unwrap()].clone(),
                None => v.clone(),
            }
        };
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let Some(responses) = op["responses"].as_object() else {
                    continue;
                };
                for (status, resp) in responses {
                    if !status.starts_with('4') && !status.starts_with('5') {
                        continue;
                    }
                    let schema = resp["content"]["application/json"]["schema"].clone();
                    if schema.is_null() {
                        continue;
                    }
                    let body = resolve(&schema);
                    let required: Vec<&str> = body["required"]
                        .as_array()
                        .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
                        .unwrap_or_default();
                    assert_eq!(
                        required,
                        ["error"],
                        "{method} {path} {status}: the body must require only `error`"
                    );
                    let detail = resolve(&body["properties"]["error"]);
                    for r in detail["required"].as_array().unwrap() {
                        assert!(matches!(r.as_str(), Some("code" | "message")), "{method} {path} {status}: `error` requires {r}, which the usual error does not carry");
                    }
                    checked += 1;
                }
            }
        }
        assert!(
            checked > 500,
            "only {checked} error answers were found: the walk is broken"
        );
    }
}
