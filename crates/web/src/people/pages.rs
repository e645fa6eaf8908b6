//! The pages of people, the organisation and authority: the organisation
//! chart, the staff directory and a person's record, "my authorities",
//! delegations and deputyships, accounts (administrators), personal API
//! tokens and the audit trail. Every page works without JavaScript; every
//! form answers bad input with the form again (422) and changes nothing.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use time::OffsetDateTime;

use app::authority::{DelegationInput, DelegationRow, DeputyshipInput, DeputyshipRow};
use app::people::AccountInput;
use app::{AppError, User};
use domain::authority::Basis;
use domain::code::Code;
use domain::local::{format_date as local_date, format_datetime as local_time};
use domain::profile::Profile;

use crate::error::WebError;
use crate::i18n::Tr;
use crate::{id_of, render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/teskilat", get(org_chart))
        .route("/personel", get(people))
        .route("/personel/{id}", get(person))
        .route("/yetkilerim", get(my_authorities))
        .route("/yetki", get(authority_page))
        .route("/yetki/devir", post(delegation_submit))
        .route("/yetki/devir/{id}/geri-al", post(delegation_revoke))
        .route("/yetki/vekalet", post(deputyship_submit))
        .route("/yetki/vekalet/{id}/geri-al", post(deputyship_revoke))
        .route("/yonetim/hesaplar", get(accounts_page).post(account_submit))
        .route("/yonetim/basarisiz-girisler", get(failed_sign_ins_page))
        .route("/belirtecler", get(tokens_page).post(token_submit))
        .route("/belirtecler/{id}/iptal", post(token_revoke))
        .route("/denetim", get(audit_page))
}

fn position_name(p: &Profile, id: &str) -> String {
    p.position(id)
        .map(|p| domain::profile::Named::name_for(p, crate::i18n::english()).to_owned())
        .unwrap_or_else(|| id.to_owned())
}

/// The basis of an authority in words, e.g. "Kadro: Bilgi İşlem Müdürü"
/// (its article has a column of its own).
fn basis_text(t: Tr, p: &Profile, b: &Basis) -> String {
    match b {
        Basis::Position { position, .. } => {
            format!("{}: {}", t.s("basis.position"), position_name(p, position))
        }
        Basis::Delegation {
            id,
            period,
            approval_ref,
            article,
            ..
        } => format!(
            "{} #{id} ({article}), {} – {}, {}: {approval_ref}",
            t.s("basis.delegation"),
            local_time(period.from),
            local_time(period.until),
            t.s("authority.approval_ref")
        ),
        Basis::Deputyship {
            id,
            position,
            period,
            approval_ref,
            article,
            ..
        } => format!(
            "{} #{id}: {} ({article}), {} – {}, {}: {approval_ref}",
            t.s("basis.deputyship"),
            position_name(p, position),
            local_time(period.from),
            local_time(period.until),
            t.s("authority.approval_ref")
        ),
    }
}

// ---------------------------------------------------------------- org chart

struct ChartRow {
    depth: usize,
    unit: String,
    article: String,
    positions: Vec<(String, Vec<(i64, String, Vec<String>)>)>,
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    l: Layout,
    rows: Vec<ChartRow>,
    deputyships: Vec<DeputyshipView>,
    delegations: Vec<DelegationView>,
}

async fn org_chart(
    State(s): State<AppState>,
    l: Layout,
    _u: SignedIn,
) -> Result<Html<String>, WebError> {
    let chart = s.app.org_chart().await?;
    let rows = chart
        .units
        .into_iter()
        .map(|u| ChartRow {
            depth: u.depth,
            unit: domain::profile::Named::name_for(&u.unit, crate::i18n::english()).to_owned(),
            article: u.unit.article,
            positions: u
                .positions
                .into_iter()
                .map(|p| {
                    let holders = p
                        .holders
                        .into_iter()
                        .map(|h| {
                            let deps = h
                                .deputised_by
                                .into_iter()
                                .map(|(who, r)| format!("{who} ({r})"))
                                .collect();
                            (h.staff_id, h.full_name, deps)
                        })
                        .collect();
                    (
                        domain::profile::Named::name_for(&p.position, crate::i18n::english())
                            .to_owned(),
                        holders,
                    )
                })
                .collect(),
        })
        .collect();
    let deputyships = chart
        .deputyships
        .into_iter()
        .map(DeputyshipView::from)
        .collect();
    let delegations = chart
        .delegations
        .into_iter()
        .map(|d| DelegationView::new(s.app.profile(), d))
        .collect();
    render(OrgPage {
        l,
        rows,
        deputyships,
        delegations,
    })
}

// ------------------------------------------------------------------- people

struct PersonRow {
    id: i64,
    name: String,
    kind: String,
    positions: String,
    phone_ext: String,
    email: String,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    l: Layout,
    people: Vec<PersonRow>,
}

fn kind_name(p: &Profile, id: &str) -> String {
    p.staff_kinds()
        .iter()
        .find(|k| k.id == id)
        .map(|k| domain::profile::Named::name_for(k, crate::i18n::english()).to_owned())
        .unwrap_or_else(|| id.to_owned())
}

async fn people(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    let now = OffsetDateTime::now_utc();
    let p = s.app.profile();
    let people = s
        .app
        .people(&u)
        .await?
        .into_iter()
        .map(|st| PersonRow {
            id: st.id,
            positions: st
                .current(now)
                .map(|a| position_name(p, &a.position))
                .collect::<Vec<_>>()
                .join(", "),
            kind: kind_name(p, &st.kind),
            name: st.full_name,
            phone_ext: st.phone_ext,
            email: st.email,
        })
        .collect();
    render(PeoplePage { l, people })
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    l: Layout,
    name: String,
    kind: String,
    tckn: String,
    tckn_masked: bool,
    phone_ext: String,
    email: String,
    appointments: Vec<(String, String, String)>,
    /// The holdings and handover page (an account's person only).
    holdings: Option<String>,
}

async fn person(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let v = s.app.person(&u, id_of(&id)?).await?;
    let p = s.app.profile();
    let st = v.staff;
    render(PersonPage {
        appointments: st
            .appointments
            .iter()
            .map(|a| {
                (
                    position_name(p, &a.position),
                    local_date(a.start_date),
                    a.end_date.map(local_date).unwrap_or_default(),
                )
            })
            .collect(),
        kind: kind_name(p, &st.kind),
        name: st.full_name,
        holdings: st.username.as_ref().map(|u| {
            format!(
                "/personel/{}/devir",
                url::form_urlencoded::byte_serialize(u.as_bytes()).collect::<String>()
            )
        }),
        tckn: st.tckn.unwrap_or_default(),
        tckn_masked: v.tckn_masked,
        phone_ext: st.phone_ext,
        email: st.email,
        l,
    })
}

// ---------------------------------------------------------- my authorities

#[derive(Template)]
#[template(path = "my_authorities.html")]
struct MyAuthoritiesPage {
    l: Layout,
    /// Authority name, id, article, basis in words, basis kind.
    held: Vec<(String, String, String, String, &'static str)>,
}

async fn my_authorities(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    let p = s.app.profile();
    let held = s
        .app
        .my_authorities(&u)
        .await?
        .into_iter()
        .map(|h| {
            let kind = match h.basis {
                Basis::Position { .. } => "position",
                Basis::Delegation { .. } => "delegation",
                Basis::Deputyship { .. } => "deputyship",
            };
            (
                p.authority(&h.authority)
                    .map(|a| domain::profile::Named::name_for(a, crate::i18n::english()).to_owned())
                    .unwrap_or(h.name),
                h.authority,
                h.article,
                basis_text(l.t, p, &h.basis),
                kind,
            )
        })
        .collect();
    render(MyAuthoritiesPage { l, held })
}

// ------------------------------------------- delegations and deputyships

struct DelegationView {
    id: i64,
    by: String,
    to: String,
    authority: String,
    from: String,
    until: String,
    approval_ref: String,
    revoked: String,
    live: bool,
}

impl DelegationView {
    fn new(p: &Profile, r: DelegationRow) -> Self {
        let d = r.delegation;
        let now = OffsetDateTime::now_utc();
        DelegationView {
            id: d.id,
            by: r.from_name,
            to: r.to_name,
            authority: p
                .authority(&d.authority)
                .map(|a| a.name.clone())
                .unwrap_or(d.authority),
            from: local_time(d.period.from),
            until: local_time(d.period.until),
            approval_ref: d.approval_ref,
            live: d.revoked_at.is_none() && d.period.until > now,
            revoked: d.revoked_at.map(local_time).unwrap_or_default(),
        }
    }
}

struct DeputyshipView {
    id: i64,
    deputy: String,
    for_user: String,
    from: String,
    until: String,
    approval_ref: String,
    revoked: String,
    live: bool,
}

impl From<DeputyshipRow> for DeputyshipView {
    fn from(r: DeputyshipRow) -> Self {
        let d = r.deputyship;
        DeputyshipView {
            id: d.id,
            deputy: r.deputy_name,
            for_user: r.for_name,
            from: local_time(d.period.from),
            until: local_time(d.period.until),
            approval_ref: d.approval_ref,
            live: d.revoked_at.is_none() && d.period.until > OffsetDateTime::now_utc(),
            revoked: d.revoked_at.map(local_time).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "authority.html")]
struct AuthorityPage {
    l: Layout,
    delegations: Vec<DelegationView>,
    deputyships: Vec<DeputyshipView>,
    /// Authorities the user may give: (id, name, article).
    delegable: Vec<(String, String, String)>,
    may_approve: bool,
    /// Whom the user may delegate to: the staff below him (m.10/4).
    users: Vec<(String, String)>,
    /// Holders of the positions that may have a deputy, and those eligible
    /// to stand in (the profile's deputyship rules, m.12/2).
    deputy_for: Vec<(String, String)>,
    deputies: Vec<(String, String)>,
    delegation: DelegationInput,
    deputyship: DeputyshipInput,
    /// Which form failed: `delegation` or `deputyship`, with field and code.
    error: Option<(&'static str, &'static str, &'static str)>,
    done: Option<&'static str>,
}

#[derive(Deserialize)]
struct DoneQuery {
    tamam: Option<String>,
}

async fn authority_form(
    s: &AppState,
    l: Layout,
    u: &User,
    delegation: DelegationInput,
    deputyship: DeputyshipInput,
    error: Option<(&'static str, &'static str, &'static str)>,
    done: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let p = s.app.profile();
    let can = s.app.capabilities(u).await?;
    let mut delegable = Vec::new();
    if can.delegate {
        for h in s.app.my_authorities(u).await? {
            if matches!(h.basis, Basis::Position { .. })
                && p.authority(&h.authority).is_some_and(|a| a.delegable)
            {
                delegable.push((
                    h.authority.clone(),
                    p.authority(&h.authority)
                        .map(|a| {
                            domain::profile::Named::name_for(a, crate::i18n::english()).to_owned()
                        })
                        .unwrap_or(h.name),
                    h.article,
                ));
            }
        }
    }
    let may_approve = can.approve_deputyship;
    let people = s.app.people(u).await?;
    // Each person with the positions he holds now, labelled as people know
    // each other: the name and the post.
    let holders: Vec<(String, String, Vec<String>)> = people
        .iter()
        .filter_map(|st| {
            let posts: Vec<String> = st
                .appointments
                .iter()
                .filter(|a| a.end_date.is_none())
                .map(|a| a.position.clone())
                .collect();
            let names: Vec<String> = posts
                .iter()
                .filter_map(|x| {
                    p.position(x).map(|x| {
                        domain::profile::Named::name_for(x, crate::i18n::english()).to_owned()
                    })
                })
                .collect();
            let label = if names.is_empty() {
                st.full_name.clone()
            } else {
                format!("{} — {}", st.full_name, names.join(", "))
            };
            st.username.clone().map(|n| (n, label, posts))
        })
        .collect();
    let mine: Vec<String> = people
        .iter()
        .filter(|st| st.user_id == Some(u.id))
        .flat_map(|st| {
            st.appointments
                .iter()
                .filter(|a| a.end_date.is_none())
                .map(|a| a.position.clone())
        })
        .collect();
    // Whether `position` reports, step by step, up to one of mine (m.10/4:
    // delegation goes down the line only).
    let below_me = |position: &str| {
        let mut at = p.position(position).and_then(|x| x.reports_to.clone());
        let mut steps = 0;
        while let Some(up) = at {
            if mine.contains(&up) {
                return true;
            }
            steps += 1;
            if steps > 20 {
                return false;
            }
            at = p.position(&up).and_then(|x| x.reports_to.clone());
        }
        false
    };
    let pick = |keep: &dyn Fn(&[String]) -> bool| -> Vec<(String, String)> {
        holders
            .iter()
            .filter(|(_, _, posts)| keep(posts))
            .map(|(n, l, _)| (n.clone(), l.clone()))
            .collect()
    };
    let subordinates = pick(&|posts: &[String]| posts.iter().any(|x| below_me(x)));
    // Deputyships (m.12/2): for the positions the profile allows one, from
    // the positions eligible to stand in.
    let rules = p.deputyships();
    let deputy_for = pick(&|posts: &[String]| {
        posts
            .iter()
            .any(|x| rules.iter().any(|r| &r.for_position == x))
    });
    let deputies = pick(&|posts: &[String]| {
        posts
            .iter()
            .any(|x| rules.iter().any(|r| r.eligible.contains(x)))
    });
    let users = subordinates;
    let delegations = s
        .app
        .delegations()
        .await?
        .into_iter()
        .map(|d| DelegationView::new(p, d))
        .collect();
    let deputyships = s
        .app
        .deputyships()
        .await?
        .into_iter()
        .map(DeputyshipView::from)
        .collect();
    render(AuthorityPage {
        l,
        delegations,
        deputyships,
        delegable,
        may_approve,
        users,
        deputy_for,
        deputies,
        delegation,
        deputyship,
        error,
        done,
    })
}

async fn authority_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    let done = match q.tamam.as_deref() {
        Some("devir") => Some("authority.done.devir"),
        Some("vekalet") => Some("authority.done.vekalet"),
        Some("geri-alindi") => Some("authority.done.geri-alindi"),
        _ => None,
    };
    authority_form(
        &s,
        l,
        &u,
        DelegationInput::default(),
        DeputyshipInput::default(),
        None,
        done,
    )
    .await
}

/// A form's failure shown on the form again, or the error page.
async fn form_failure(
    e: AppError,
    page: impl std::future::Future<Output = Result<Html<String>, WebError>>,
) -> Result<Response, WebError> {
    match e {
        AppError::Invalid { .. } | AppError::Conflict(_) | AppError::Forbidden { .. } => {
            let status = match e {
                AppError::Conflict(_) => StatusCode::CONFLICT,
                AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            Ok((status, page.await?).into_response())
        }
        e => Err(e.into()),
    }
}

fn error_parts(
    form: &'static str,
    e: &AppError,
) -> Option<(&'static str, &'static str, &'static str)> {
    match e {
        AppError::Invalid { field, code } => Some((form, field, code.as_str())),
        AppError::Conflict(code) => Some((form, "", code.as_str())),
        AppError::Forbidden { .. } => Some((form, "", Code::Forbidden.as_str())),
        _ => None,
    }
}

async fn delegation_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    form: Result<Form<DelegationInput>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request());
    };
    match s.app.create_delegation(&u, &f).await {
        Ok(_) => Ok(Redirect::to("/yetki?tamam=devir").into_response()),
        Err(e) => {
            let err = error_parts("delegation", &e);
            form_failure(
                e,
                authority_form(&s, l, &u, f, DeputyshipInput::default(), err, None),
            )
            .await
        }
    }
}

async fn deputyship_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    form: Result<Form<DeputyshipInput>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request());
    };
    match s.app.create_deputyship(&u, &f).await {
        Ok(_) => Ok(Redirect::to("/yetki?tamam=vekalet").into_response()),
        Err(e) => {
            let err = error_parts("deputyship", &e);
            form_failure(
                e,
                authority_form(&s, l, &u, DelegationInput::default(), f, err, None),
            )
            .await
        }
    }
}

async fn delegation_revoke(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    s.app.revoke_delegation(&u, id_of(&id)?).await?;
    Ok(Redirect::to("/yetki?tamam=geri-alindi").into_response())
}

async fn deputyship_revoke(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    s.app.revoke_deputyship(&u, id_of(&id)?).await?;
    Ok(Redirect::to("/yetki?tamam=geri-alindi").into_response())
}

// ----------------------------------------------------------------- failed sign-ins

#[derive(Template)]
#[template(path = "failed_sign_ins.html")]
struct FailedSignInsPage {
    l: Layout,
    rows: Vec<(String, app::accounts::FailedSignIn)>,
    /// Per source address: the address, its failures, the last one's time.
    by_address: Vec<(String, usize, String)>,
}

/// The administrator's view of recent failed sign-ins (issue 13): who was
/// tried, from where, and which addresses try most.
async fn failed_sign_ins_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Response, WebError> {
    let failures = s.app.failed_sign_ins(&u, 500).await?;
    let mut by_address: Vec<(String, usize, String)> = Vec::new();
    for f in &failures {
        match by_address.iter_mut().find(|(a, _, _)| *a == f.address) {
            Some(e) => e.1 += 1,
            None => by_address.push((f.address.clone(), 1, local_time(f.at))),
        }
    }
    by_address.sort_by(|a, b| b.1.cmp(&a.1));
    let rows = failures
        .into_iter()
        .map(|f| (local_time(f.at), f))
        .collect();
    Ok(render(FailedSignInsPage {
        l,
        rows,
        by_address,
    })?
    .into_response())
}

// ----------------------------------------------------------------- accounts

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    l: Layout,
    positions: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    form: AccountInput,
    error: Option<(&'static str, &'static str)>,
    done: bool,
}

fn accounts_form(
    s: &AppState,
    l: Layout,
    form: AccountInput,
    error: Option<(&'static str, &'static str)>,
    done: bool,
) -> Result<Html<String>, WebError> {
    let p = s.app.profile();
    render(AccountsPage {
        l,
        positions: p
            .positions()
            .iter()
            .map(|x| {
                (
                    x.id.clone(),
                    domain::profile::Named::name_for(x, crate::i18n::english()).to_owned(),
                )
            })
            .collect(),
        kinds: p
            .staff_kinds()
            .iter()
            .map(|k| {
                (
                    k.id.clone(),
                    domain::profile::Named::name_for(k, crate::i18n::english()).to_owned(),
                )
            })
            .collect(),
        form,
        error,
        done,
    })
}

async fn accounts_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    if !s.app.capabilities(&u).await?.administer {
        return Err(AppError::forbidden("administrator").into());
    }
    accounts_form(
        &s,
        l,
        AccountInput {
            kind: "memur".into(),
            ..Default::default()
        },
        None,
        q.tamam.is_some(),
    )
}

#[derive(Deserialize)]
struct AccountForm {
    #[serde(flatten)]
    input: AccountInput,
    /// A checkbox: present when ticked.
    admin: Option<String>,
}

async fn account_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    form: Result<Form<AccountForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request());
    };
    let mut input = f.input;
    input.is_admin = f.admin.is_some();
    match s.app.create_account(&u, &input).await {
        Ok(_) => Ok(Redirect::to("/yonetim/hesaplar?tamam=1").into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let err = match e {
                AppError::Invalid { field, code } => (field, code.as_str()),
                AppError::Conflict(code) => ("", code.as_str()),
                _ => ("", Code::BadRequest.as_str()),
            };
            input.password.clear();
            let status = if matches!(e, AppError::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((status, accounts_form(&s, l, input, Some(err), false)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// --------------------------------------------------------------- API tokens

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    l: Layout,
    tokens: Vec<(i64, String, String, String)>,
    new_token: Option<String>,
    error: Option<&'static str>,
}

async fn tokens_form(
    s: &AppState,
    l: Layout,
    u: &User,
    new_token: Option<String>,
    error: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let tokens = s
        .app
        .api_tokens(u)
        .await?
        .into_iter()
        .map(|t| {
            (
                t.id,
                t.name,
                local_time(t.created_at),
                t.revoked_at.map(local_time).unwrap_or_default(),
            )
        })
        .collect();
    render(TokensPage {
        l,
        tokens,
        new_token,
        error,
    })
}

async fn tokens_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
) -> Result<Html<String>, WebError> {
    tokens_form(&s, l, &u, None, None).await
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
}

async fn token_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    form: Result<Form<TokenForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request());
    };
    match s.app.create_api_token(&u, &f.name).await {
        // Shown on this response only: never in a redirect's URL.
        Ok((_, token)) => Ok((
            StatusCode::CREATED,
            tokens_form(&s, l, &u, Some(token), None).await?,
        )
            .into_response()),
        Err(AppError::Invalid { code, .. }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            tokens_form(&s, l, &u, None, Some(code.as_str())).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn token_revoke(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    s.app.revoke_api_token(&u, id_of(&id)?).await?;
    Ok(Redirect::to("/belirtecler").into_response())
}

// -------------------------------------------------------------- audit trail

struct AuditRow {
    id: i64,
    at: String,
    actor: String,
    action: String,
    subject: String,
    basis: String,
    details: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Layout,
    q: super::api::AuditQuery,
    rows: Vec<AuditRow>,
    error: Option<(&'static str, &'static str)>,
}

async fn audit_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    q: Result<Query<super::api::AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Ok(Query(mut q)) = q else {
        return Err(WebError::bad_request());
    };
    if q.limit.is_none() {
        q.limit = Some(100);
    }
    let result = match q.filter() {
        Ok(f) => s.app.audit_search(&u, f).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(entries) => {
            let rows = entries
                .into_iter()
                .map(|e| AuditRow {
                    id: e.id,
                    at: local_time(e.at),
                    actor: e.actor.unwrap_or_else(|| "—".into()),
                    action: e.action,
                    subject: e.subject,
                    basis: e.basis,
                    details: if e.details.is_null() {
                        String::new()
                    } else {
                        e.details.to_string()
                    },
                })
                .collect();
            Ok(render(AuditPage {
                l,
                q,
                rows,
                error: None,
            })?
            .into_response())
        }
        Err(AppError::Invalid { field, code }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(AuditPage {
                l,
                q,
                rows: Vec::new(),
                error: Some((field, code.as_str())),
            })?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
