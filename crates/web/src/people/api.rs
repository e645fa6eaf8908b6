//! People, authority, accounts, tokens and the audit trail over the API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::audit::AuditFilter;
use app::authority::{DelegationInput, DeputyshipInput, HeldAuthority};
use app::authority::{DelegationRow, DeputyshipRow};
use app::people::AccountInput;
use app::{AppError, Capabilities};
use domain::authority::Basis;

use crate::error::{ErrorBody, WebError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::home::api::UserInfo;
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(audit))
        .routes(routes!(my_authorities))
        .routes(routes!(my_capabilities))
        .routes(routes!(list_delegations, create_delegation))
        .routes(routes!(revoke_delegation))
        .routes(routes!(list_deputyships, create_deputyship))
        .routes(routes!(revoke_deputyship))
        .routes(routes!(people))
        .routes(routes!(person))
        .routes(routes!(org))
        .routes(routes!(create_account))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(my_inbox))
}

#[utoipa::path(get, path = "/me/inbox", tag = "authority",
    params(("If-None-Match" = Option<String>, Header, description = "The ETag of the counts already shown: 304 while nothing changed")),
    responses((status = 200, body = app::inbox::Inbox, description = "What waits for the caller, counted: the dashboard's badges (with an ETag)"),
              (status = 304, description = "Nothing changed since the ETag given"),
              (status = 401, body = ErrorBody)))]
pub async fn my_inbox(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, WebError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let inbox = s.app.inbox(&u).await?;
    let body = serde_json::to_vec(&inbox)
        .map_err(|e| WebError::from(app::AppError::Internal(e.into())))?;
    let tag = format!(
        "\"{}\"",
        &app::token_hash(&String::from_utf8_lossy(&body))[..16]
    );
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim() == "*"
                || v.split(',')
                    .any(|t| t.trim() == tag || t.trim().strip_prefix("W/") == Some(tag.as_str()))
        });
    let cache = [
        (header::ETAG, tag),
        (header::CACHE_CONTROL, "private, no-cache".to_owned()),
    ];
    if unchanged {
        return Ok((axum::http::StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((
        cache,
        [(header::CONTENT_TYPE, "application/json".to_owned())],
        body,
    )
        .into_response())
}

#[utoipa::path(get, path = "/me/capabilities", tag = "authority",
    responses((status = 200, body = Capabilities, description = "What the caller may do now: the menus and buttons of the pages"),
              (status = 401, body = ErrorBody)))]
pub async fn my_capabilities(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Capabilities>, WebError> {
    Ok(Json(s.app.capabilities(&u).await?))
}

/// An appointment: a position held from a first to a last day.
#[derive(Serialize, ToSchema)]
pub struct AppointmentInfo {
    pub id: i64,
    pub position: String,
    /// YYYY-MM-DD
    pub start_date: String,
    /// YYYY-MM-DD; none while it lasts.
    pub end_date: Option<String>,
}

/// A staff record.
#[derive(Serialize, ToSchema)]
pub struct StaffInfo {
    pub id: i64,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub full_name: String,
    /// The TC kimlik no: left out of the directory, masked unless the
    /// caller may see it.
    pub tckn: Option<String>,
    /// True when `tckn` is masked for this caller.
    pub tckn_masked: bool,
    /// A staff kind of the profile (`memur`, `isci`, `sirket`).
    pub kind: String,
    pub phone_ext: String,
    pub email: String,
    pub appointments: Vec<AppointmentInfo>,
}

impl StaffInfo {
    fn new(st: app::people::Staff, tckn_masked: bool) -> Self {
        StaffInfo {
            id: st.id,
            user_id: st.user_id,
            username: st.username,
            full_name: st.full_name,
            tckn: st.tckn,
            tckn_masked,
            kind: st.kind,
            phone_ext: st.phone_ext,
            email: st.email,
            appointments: st
                .appointments
                .into_iter()
                .map(|a| AppointmentInfo {
                    id: a.id,
                    position: a.position,
                    start_date: a.start_date.to_string(),
                    end_date: a.end_date.map(|d| d.to_string()),
                })
                .collect(),
        }
    }
}

/// A person holding a position today.
#[derive(Serialize, ToSchema)]
pub struct HolderInfo {
    pub staff_id: i64,
    pub full_name: String,
    pub username: Option<String>,
    /// Who stands in for them now: (deputy's name, approval reference).
    pub deputised_by: Vec<(String, String)>,
}

/// A position of the profile with its holders.
#[derive(Serialize, ToSchema)]
pub struct PositionInfo {
    pub id: String,
    pub name: String,
    pub reports_to: Option<String>,
    pub holders: Vec<HolderInfo>,
}

/// A unit of the organisation, its depth in the tree and its positions.
#[derive(Serialize, ToSchema)]
pub struct UnitInfo {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub article: String,
    pub depth: usize,
    pub positions: Vec<PositionInfo>,
}

/// The organisation chart.
#[derive(Serialize, ToSchema)]
pub struct OrgInfo {
    pub units: Vec<UnitInfo>,
    pub deputyships: Vec<DeputyshipInfo>,
    pub delegations: Vec<DelegationInfo>,
}

impl From<app::people::OrgChart> for OrgInfo {
    fn from(c: app::people::OrgChart) -> Self {
        OrgInfo {
            units: c
                .units
                .into_iter()
                .map(|u| UnitInfo {
                    id: u.unit.id,
                    name: u.unit.name,
                    kind: u.unit.kind,
                    article: u.unit.article,
                    depth: u.depth,
                    positions: u
                        .positions
                        .into_iter()
                        .map(|p| PositionInfo {
                            id: p.position.id,
                            name: p.position.name,
                            reports_to: p.position.reports_to,
                            holders: p
                                .holders
                                .into_iter()
                                .map(|h| HolderInfo {
                                    staff_id: h.staff_id,
                                    full_name: h.full_name,
                                    username: h.username,
                                    deputised_by: h.deputised_by,
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            deputyships: c.deputyships.into_iter().map(Into::into).collect(),
            delegations: c.delegations.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// How many of the newest matching records (1–500, default 50).
    pub limit: Option<i64>,
    /// Username of the actor.
    pub actor: Option<String>,
    /// Start of the action, e.g. `delegation.` or `staff.viewed`.
    pub action: Option<String>,
    /// Text anywhere in the subject, e.g. `staff:3`.
    pub subject: Option<String>,
    /// RFC 3339 instant: records at or after it.
    pub from: Option<String>,
    /// RFC 3339 instant: records before it.
    pub until: Option<String>,
}

impl AuditQuery {
    pub fn filter(&self) -> Result<AuditFilter, AppError> {
        fn opt(s: &Option<String>) -> Option<String> {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        }
        let instant =
            |field, s: &Option<String>| opt(s).map(|v| app::input::instant(field, &v)).transpose();
        Ok(AuditFilter {
            actor: opt(&self.actor),
            action: opt(&self.action),
            subject: opt(&self.subject),
            from: instant("from", &self.from)?,
            until: instant("until", &self.until)?,
            limit: self.limit.unwrap_or(50),
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditRecord {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub subject: String,
    pub basis: String,
    pub details: serde_json::Value,
}

#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = [AuditRecord]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn audit(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditRecord>>, WebError> {
    let entries = s.app.audit_search(&u, q.filter()?).await?;
    let fmt = &time::format_description::well_known::Rfc3339;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditRecord {
                id: e.id,
                at: e.at.format(fmt).unwrap_or_default(),
                actor: e.actor,
                action: e.action,
                subject: e.subject,
                basis: e.basis,
                details: e.details,
            })
            .collect(),
    ))
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Why an authority is held.
#[derive(Serialize, ToSchema)]
pub struct BasisInfo {
    /// `position`, `delegation` or `deputyship`.
    pub kind: &'static str,
    /// The article it rests on, e.g. `m.20/1` (m.10/4 for a delegation,
    /// m.12/2 for a deputyship, after the authority's own article).
    pub article: String,
    /// The position held (or stood in for, in a deputyship).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// The delegation's or deputyship's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval_ref: Option<String>,
}

impl From<Basis> for BasisInfo {
    fn from(b: Basis) -> Self {
        match b {
            Basis::Position { position, article } => BasisInfo {
                kind: "position",
                article,
                position: Some(position),
                id: None,
                from: None,
                until: None,
                approval_ref: None,
            },
            Basis::Delegation {
                id,
                period,
                approval_ref,
                article,
                ..
            } => BasisInfo {
                kind: "delegation",
                article,
                position: None,
                id: Some(id),
                from: Some(rfc3339(period.from)),
                until: Some(rfc3339(period.until)),
                approval_ref: Some(approval_ref),
            },
            Basis::Deputyship {
                id,
                position,
                period,
                approval_ref,
                article,
                ..
            } => BasisInfo {
                kind: "deputyship",
                article,
                position: Some(position),
                id: Some(id),
                from: Some(rfc3339(period.from)),
                until: Some(rfc3339(period.until)),
                approval_ref: Some(approval_ref),
            },
        }
    }
}

/// An authority the caller holds now.
#[derive(Serialize, ToSchema)]
pub struct AuthorityHeld {
    /// The authority's id in the profile, e.g. `route_incoming`.
    pub authority: String,
    pub name: String,
    /// The article that defines it, e.g. `m.20/1-c, m.21/1`.
    pub article: String,
    pub basis: BasisInfo,
}

impl From<HeldAuthority> for AuthorityHeld {
    fn from(h: HeldAuthority) -> Self {
        AuthorityHeld {
            authority: h.authority,
            name: h.name,
            article: h.article,
            basis: h.basis.into(),
        }
    }
}

#[utoipa::path(get, path = "/me/authorities", tag = "authority",
    responses((status = 200, body = [AuthorityHeld], description = "Each authority the caller holds now, with its basis"),
              (status = 401, body = ErrorBody)))]
pub async fn my_authorities(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<AuthorityHeld>>, WebError> {
    Ok(Json(
        s.app
            .my_authorities(&u)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// The id of what was created.
#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// A delegation (m.10/4).
#[derive(Serialize, ToSchema)]
pub struct DelegationInfo {
    pub id: i64,
    /// Username of the giver.
    pub by: String,
    /// Username of the receiver.
    pub to: String,
    pub by_name: String,
    pub to_name: String,
    pub authority: String,
    pub from: String,
    pub until: String,
    pub approval_ref: String,
    pub revoked_at: Option<String>,
}

impl From<DelegationRow> for DelegationInfo {
    fn from(r: DelegationRow) -> Self {
        let d = r.delegation;
        DelegationInfo {
            id: d.id,
            by: r.from,
            to: r.to,
            by_name: r.from_name,
            to_name: r.to_name,
            authority: d.authority,
            from: rfc3339(d.period.from),
            until: rfc3339(d.period.until),
            approval_ref: d.approval_ref,
            revoked_at: d.revoked_at.map(rfc3339),
        }
    }
}

#[utoipa::path(get, path = "/delegations", tag = "authority",
    responses((status = 200, body = [DelegationInfo]), (status = 401, body = ErrorBody)))]
pub async fn list_delegations(
    State(s): State<AppState>,
    SignedIn(_u): SignedIn,
) -> Result<Json<Vec<DelegationInfo>>, WebError> {
    Ok(Json(
        s.app
            .delegations()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/delegations", tag = "authority", request_body = DelegationInput,
    responses((status = 201, body = Created), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "The caller does not hold the authority, or may not delegate"),
              (status = 422, body = ErrorBody)))]
pub async fn create_delegation(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<DelegationInput>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = s.app.create_delegation(&u, &r).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(delete, path = "/delegations/{id}", tag = "authority", params(("id" = i64, Path)),
    responses((status = 204, description = "Revoked: it stops granting at once"), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revoke_delegation(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, WebError> {
    s.app.revoke_delegation(&u, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A deputyship (vekalet, m.12/2).
#[derive(Serialize, ToSchema)]
pub struct DeputyshipInfo {
    pub id: i64,
    /// Username of the deputy.
    pub deputy: String,
    /// Username of the person stood in for.
    #[serde(rename = "for")]
    pub for_user: String,
    pub deputy_name: String,
    pub for_name: String,
    pub from: String,
    pub until: String,
    pub approval_ref: String,
    pub revoked_at: Option<String>,
}

impl From<DeputyshipRow> for DeputyshipInfo {
    fn from(r: DeputyshipRow) -> Self {
        let d = r.deputyship;
        DeputyshipInfo {
            id: d.id,
            deputy: r.deputy_username,
            for_user: r.for_username,
            deputy_name: r.deputy_name,
            for_name: r.for_name,
            from: rfc3339(d.period.from),
            until: rfc3339(d.period.until),
            approval_ref: d.approval_ref,
            revoked_at: d.revoked_at.map(rfc3339),
        }
    }
}

#[utoipa::path(get, path = "/deputyships", tag = "authority",
    responses((status = 200, body = [DeputyshipInfo]), (status = 401, body = ErrorBody)))]
pub async fn list_deputyships(
    State(s): State<AppState>,
    SignedIn(_u): SignedIn,
) -> Result<Json<Vec<DeputyshipInfo>>, WebError> {
    Ok(Json(
        s.app
            .deputyships()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/deputyships", tag = "authority", request_body = DeputyshipInput,
    responses((status = 201, body = Created), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "The caller may not approve deputyships (the Mayor's olur)"),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_deputyship(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<DeputyshipInput>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = s.app.create_deputyship(&u, &r).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(delete, path = "/deputyships/{id}", tag = "authority", params(("id" = i64, Path)),
    responses((status = 204, description = "Revoked: it stops granting at once"), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revoke_deputyship(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, WebError> {
    s.app.revoke_deputyship(&u, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/people", tag = "people",
    responses((status = 200, body = [StaffInfo], description = "The staff directory, without TC numbers"), (status = 401, body = ErrorBody)))]
pub async fn people(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<StaffInfo>>, WebError> {
    Ok(Json(
        s.app
            .people(&u)
            .await?
            .into_iter()
            .map(|st| StaffInfo::new(st, false))
            .collect(),
    ))
}

#[utoipa::path(get, path = "/people/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = StaffInfo, description = "One staff record; the TC number is masked unless the caller is the person, an administrator or the disciplinary superior. The read is audited."),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn person(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StaffInfo>, WebError> {
    let v = s.app.person(&u, id).await?;
    Ok(Json(StaffInfo::new(v.staff, v.tckn_masked)))
}

#[utoipa::path(get, path = "/org", tag = "people",
    responses((status = 200, body = OrgInfo, description = "The organisation chart from the profile, with today's holders, deputyships and delegations"),
              (status = 401, body = ErrorBody)))]
pub async fn org(
    State(s): State<AppState>,
    SignedIn(_u): SignedIn,
) -> Result<Json<OrgInfo>, WebError> {
    Ok(Json(OrgInfo::from(s.app.org_chart().await?)))
}

#[utoipa::path(post, path = "/accounts", tag = "people", request_body = AccountInput,
    responses((status = 201, body = UserInfo), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "Administrators only"), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_account(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<AccountInput>,
) -> Result<(StatusCode, Json<UserInfo>), WebError> {
    let user = s.app.create_account(&u, &r).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// What the token is for, e.g. `yedekleme betiği`.
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    pub id: i64,
    /// Shown this once; only its hash is kept. Send as `Authorization: Bearer <token>`.
    pub token: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

#[utoipa::path(get, path = "/tokens", tag = "auth",
    responses((status = 200, body = [TokenInfo], description = "The caller's personal API tokens (never the tokens themselves)"),
              (status = 401, body = ErrorBody)))]
pub async fn list_tokens(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<TokenInfo>>, WebError> {
    Ok(Json(
        s.app
            .api_tokens(&u)
            .await?
            .into_iter()
            .map(|t| TokenInfo {
                id: t.id,
                name: t.name,
                created_at: rfc3339(t.created_at),
                revoked_at: t.revoked_at.map(rfc3339),
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/tokens", tag = "auth", request_body = TokenRequest,
    responses((status = 201, body = TokenCreated), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<TokenCreated>), WebError> {
    let (id, token) = s.app.create_api_token(&u, &r.name).await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { id, token })))
}

#[utoipa::path(delete, path = "/tokens/{id}", tag = "auth", params(("id" = i64, Path)),
    responses((status = 204, description = "Revoked: the token no longer works"), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revoke_token(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, WebError> {
    s.app.revoke_api_token(&u, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
