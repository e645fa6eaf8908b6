//! The pages of the front door: home, sign-in and sign-out, password and
//! sessions, first-time setup, the language switch. Every page works
//! without JavaScript.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;

use app::setup::SetupInput;
use app::{AppError, InstanceSettings};
use domain::code::Code;

use crate::error::WebError;
use crate::i18n::Lang;
use crate::security::{session_cookie, session_cookie_cleared};
use crate::{render, AppState, CurrentSession, Layout};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/giris", get(login).post(login_submit))
        .route("/cikis", post(logout))
        .route("/cikis/her-yerde", post(logout_everywhere))
        .route("/parola", get(password_form).post(password_submit))
        .route("/iki-asamali", get(totp_page).post(totp_submit))
        .route("/oturumlar/{id}/kapat", post(end_session))
        .route("/kurulum", get(setup_form).post(setup_submit))
        .route("/dil/{code}", get(switch_language))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Layout,
    settings: InstanceSettings,
    needs_setup: bool,
    just_set_up: bool,
    /// The signed-in person's dashboard: (inbox key, label key, link,
    /// count, shown as a warning), only the counts that apply to him.
    cards: Vec<(&'static str, &'static str, String, i64, bool)>,
    cap: i64,
    /// Holds a post in the directorate (else: a requester of another unit).
    member: bool,
    /// For the Taşınır Kayıt Yetkilisi: licences, contracts, warranties and
    /// domains ending soon or just ended.
    endings: Vec<app::assets::Ending>,
}

#[derive(Deserialize)]
struct HomeQuery {
    kurulum: Option<String>,
}

async fn home(
    State(s): State<AppState>,
    l: Layout,
    Query(q): Query<HomeQuery>,
) -> Result<Html<String>, WebError> {
    let o = s.app.overview().await?;
    let just_set_up = q.kurulum.as_deref() == Some("tamam") && l.user.is_some();
    let mut cards = Vec::new();
    let mut member = false;
    let mut endings = Vec::new();
    if let Some(u) = &l.user {
        let i = s.app.inbox(u).await?;
        let c = s.app.capabilities(u).await?;
        let today = domain::local::date(time::OffsetDateTime::now_utc()).to_string();
        if c.member {
            if c.route {
                cards.push((
                    "route",
                    "dash.route",
                    "/evrak?bekleyen=route".to_owned(),
                    i.route,
                    false,
                ));
            }
            cards.push((
                "deliver",
                "dash.deliver",
                "/evrak?bekleyen=deliver".to_owned(),
                i.deliver,
                false,
            ));
            cards.push((
                "initial",
                "dash.initial",
                "/yazi?durum=in_approval".to_owned(),
                i.initial,
                false,
            ));
            if c.sign || i.sign > 0 {
                cards.push((
                    "sign",
                    "dash.sign",
                    "/yazi?durum=in_approval".to_owned(),
                    i.sign,
                    false,
                ));
            }
            if c.register {
                cards.push((
                    "dispatch",
                    "dash.dispatch",
                    "/yazi?durum=signed".to_owned(),
                    i.dispatch,
                    false,
                ));
                cards.push((
                    "registered_today",
                    "dash.registered_today",
                    format!("/evrak/kayitlar?baslangic={today}"),
                    i.registered_today,
                    false,
                ));
            }
            cards.push((
                "returned",
                "dash.returned",
                "/yazi?durum=returned".to_owned(),
                i.returned,
                i.returned > 0,
            ));
            cards.push((
                "due_soon",
                "dash.due_soon",
                "/evrak/sureler".to_owned(),
                i.due_soon,
                false,
            ));
            cards.push((
                "overdue",
                "dash.overdue",
                "/evrak/sureler".to_owned(),
                i.overdue,
                i.overdue > 0,
            ));
            cards.push((
                "legal_overdue",
                "dash.legal_overdue",
                "/evrak/sureler".to_owned(),
                i.legal_overdue,
                i.legal_overdue > 0,
            ));
        }
        if i.requests_to_assign > 0 || s.app.own_section(u).await?.is_some() && c.member {
            cards.push((
                "requests_to_assign",
                "dash.requests_to_assign",
                "/talepler?liste=section&durum=new".to_owned(),
                i.requests_to_assign,
                false,
            ));
        }
        if c.member {
            cards.push((
                "requests",
                "dash.requests",
                "/talepler?liste=assigned".to_owned(),
                i.requests,
                false,
            ));
        }
        cards.push((
            "tasks_to_accept",
            "dash.tasks_to_accept",
            "/gorevler".to_owned(),
            i.tasks_to_accept,
            false,
        ));
        cards.push((
            "tasks_overdue",
            "dash.tasks_overdue",
            "/gorevler".to_owned(),
            i.tasks_overdue,
            i.tasks_overdue > 0,
        ));
        if i.leave > 0 {
            cards.push((
                "leave",
                "dash.leave",
                "/personel/izin#waiting".to_owned(),
                i.leave,
                false,
            ));
        }
        if c.timesheets {
            let n = s.app.expiring_count(u).await?;
            if n > 0 {
                cards.push((
                    "certificates",
                    "dash.certificates",
                    "/personel/ozluk".to_owned(),
                    n as i64,
                    true,
                ));
            }
        }
        // Breaches the Board has not been told of (6698 m.12/5: 72 hours),
        // for whoever keeps the KVKK records.
        let clocks = if c.kvkk {
            s.app.open_breach_clocks(u).await?
        } else {
            Vec::new()
        };
        if !clocks.is_empty() {
            cards.push((
                "kvkk",
                "dash.kvkk",
                "/kvkk".to_owned(),
                clocks.len() as i64,
                clocks.iter().any(|b| b.overdue),
            ));
        }
        if c.manage_assets {
            endings = s.app.endings(u).await?;
            let near = endings.iter().filter(|e| e.days_left <= 7).count();
            cards.push((
                "endings",
                "dash.endings",
                "/demirbas#endings".to_owned(),
                endings.len() as i64,
                near > 0,
            ));
        }
        member = c.member;
    }
    render(HomePage {
        l,
        settings: o.settings,
        needs_setup: o.needs_setup,
        just_set_up,
        cards,
        cap: app::inbox::COUNT_CAP,
        member,
        endings,
    })
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    failed: bool,
    signed_out: bool,
    username: String,
    /// Why the second factor was refused (`totp_required`, …).
    totp_error: Option<&'static str>,
    /// A secret begun for one who must use two factors.
    enrol: Option<app::totp::TotpEnrolment>,
    /// Where to go after signing in (a page of ours), e.g. the asset a
    /// label's QR code opened while signed out.
    then: String,
}

#[derive(Deserialize)]
struct LoginQuery {
    cikis: Option<String>,
    sonra: Option<String>,
}

/// A path on this server to return to after signing in: one of our pages,
/// never another site (`//host`, `/\\host`) nor the API.
pub(crate) fn return_path(s: Option<&str>) -> String {
    match s {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/api/")
                && p.len() <= 500
                && p.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            p.to_owned()
        }
        _ => String::new(),
    }
}

async fn login(l: Layout, Query(q): Query<LoginQuery>) -> Result<Response, WebError> {
    if l.user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let signed_out = q.cikis.is_some();
    Ok(render(LoginPage {
        l,
        failed: false,
        signed_out,
        username: String::new(),
        totp_error: None,
        enrol: None,
        then: return_path(q.sonra.as_deref()),
    })?
    .into_response())
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    /// The authenticator app's code, or a recovery code.
    #[serde(default)]
    code: String,
    #[serde(default)]
    sonra: String,
}

async fn login_submit(
    State(s): State<AppState>,
    l: Layout,
    crate::extract::ClientAddr(from): crate::extract::ClientAddr,
    headers: axum::http::HeaderMap,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request());
    };
    // Six digits are the app's code; anything else typed, a recovery code.
    let code = f.code.trim();
    let second = if code.is_empty() {
        None
    } else if code
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|c| c.is_ascii_digit())
    {
        Some(app::totp::SecondFactor::Code(code.to_owned()))
    } else {
        Some(app::totp::SecondFactor::Recovery(code.to_owned()))
    };
    match s
        .app
        .login_with(&f.username, &f.password, second.as_ref(), from, agent)
        .await
    {
        Ok((user, session, recovery_codes)) => {
            let then = return_path(Some(&f.sonra));
            let mut resp = if recovery_codes.is_empty() {
                Redirect::to(if then.is_empty() { "/" } else { &then }).into_response()
            } else {
                // Two-factor sign-in just turned on: its recovery codes,
                // this once.
                let mut l = l;
                l.user = Some(user);
                render(TotpPage {
                    l,
                    status: None,
                    enrol: None,
                    recovery_codes,
                    error: None,
                    done: None,
                })?
                .into_response()
            };
            resp.headers_mut().append(
                header::SET_COOKIE,
                session_cookie(&session.0, s.cfg.cookie_secure),
            );
            Ok(resp)
        }
        Err(AppError::Invalid { .. }) => {
            let page = LoginPage {
                l,
                failed: true,
                signed_out: false,
                then: return_path(Some(&f.sonra)),
                username: f.username,
                totp_error: None,
                enrol: None,
            };
            Ok((StatusCode::UNAUTHORIZED, render(page)?).into_response())
        }
        Err(e) => match crate::home::api::second_factor_refusal(&e) {
            Some(code) => {
                // One who must use two factors and has none: a secret is
                // begun here (the password was right), to read into the
                // app and sign in with its first code.
                let enrol = if code == Code::TotpEnrolmentRequired {
                    Some(
                        s.app
                            .begin_totp_before_sign_in(&f.username, &f.password, from)
                            .await?,
                    )
                } else {
                    None
                };
                let page = LoginPage {
                    l,
                    failed: false,
                    signed_out: false,
                    then: return_path(Some(&f.sonra)),
                    username: f.username,
                    totp_error: Some(code.as_str()),
                    enrol,
                };
                Ok((StatusCode::UNAUTHORIZED, render(page)?).into_response())
            }
            None => Err(e.into()),
        },
    }
}

fn signed_out_redirect() -> Response {
    let mut resp = Redirect::to("/giris?cikis=1").into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, session_cookie_cleared());
    resp
}

async fn logout(
    State(s): State<AppState>,
    session: Result<CurrentSession, WebError>,
) -> Result<Response, WebError> {
    // Signing out of a session that has already ended just confirms it.
    match session {
        Ok(c) => s.app.logout(&c.user, &c.token).await?,
        Err(e) if e.0 == StatusCode::UNAUTHORIZED => {}
        Err(e) => return Err(e),
    }
    Ok(signed_out_redirect())
}

async fn logout_everywhere(
    State(s): State<AppState>,
    c: CurrentSession,
) -> Result<Response, WebError> {
    s.app.logout_everywhere(&c.user).await?;
    Ok(signed_out_redirect())
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    l: Layout,
    done: bool,
    error_code: Option<&'static str>,
    sessions: Vec<app::accounts::SessionView>,
    /// A session was just ended.
    ended: bool,
}

#[derive(Deserialize)]
struct DoneQuery {
    tamam: Option<String>,
    #[serde(default)]
    oturum: Option<String>,
}

async fn password_form(
    State(s): State<AppState>,
    l: Layout,
    c: CurrentSession,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    render(PasswordPage {
        l,
        done: q.tamam.is_some(),
        error_code: None,
        sessions: s.app.my_sessions(&c.user, &c.token).await?,
        ended: q.oturum.is_some(),
    })
}

/// Ends one of one's sessions (another browser, a lost phone).
async fn end_session(
    State(s): State<AppState>,
    c: CurrentSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    s.app.end_my_session(&c.user, &id).await?;
    Ok(Redirect::to("/parola?oturum=kapatildi").into_response())
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

async fn password_submit(
    State(s): State<AppState>,
    l: Layout,
    c: CurrentSession,
    form: Result<Form<PasswordForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request());
    };
    match s
        .app
        .change_password(
            &c.user,
            &c.token,
            &f.current_password,
            &f.password,
            &f.password_confirm,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to("/parola?tamam=1").into_response()),
        Err(AppError::Invalid { code, .. }) => {
            let page = PasswordPage {
                l,
                done: false,
                error_code: Some(code.as_str()),
                sessions: s.app.my_sessions(&c.user, &c.token).await?,
                ended: false,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    l: Layout,
    valid: bool,
    token: String,
    username: String,
    display_name: String,
    institution_name: String,
    detsis: String,
    error_field: Option<String>,
    error_code: Option<String>,
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

async fn setup_form(
    State(s): State<AppState>,
    l: Layout,
    Query(q): Query<TokenQuery>,
) -> Result<Response, WebError> {
    let token = q.token.unwrap_or_default();
    let valid = !token.is_empty() && s.app.setup_token_valid(&token).await?;
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let institution_name = s.app.settings().await?.institution_name;
    let page = SetupPage {
        l,
        valid,
        token,
        username: String::new(),
        display_name: String::new(),
        institution_name,
        detsis: String::new(),
        error_field: None,
        error_code: None,
    };
    Ok((status, render(page)?).into_response())
}

#[derive(Deserialize)]
struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
    #[serde(default)]
    institution_name: String,
    #[serde(default)]
    detsis: String,
}

async fn setup_submit(
    State(s): State<AppState>,
    l: Layout,
    form: Result<Form<SetupForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request());
    };
    let input = SetupInput {
        token: &f.token,
        username: &f.username,
        display_name: &f.display_name,
        password: &f.password,
        password_confirm: &f.password_confirm,
        institution_name: &f.institution_name,
        detsis: &f.detsis,
    };
    match s.app.complete_setup(input).await {
        Ok((_, session)) => {
            let mut resp = Redirect::to("/?kurulum=tamam").into_response();
            resp.headers_mut().append(
                header::SET_COOKIE,
                session_cookie(&session.0, s.cfg.cookie_secure),
            );
            Ok(resp)
        }
        Err(AppError::Invalid { field: "token", .. }) | Err(AppError::Conflict(_)) => {
            let page = SetupPage {
                l,
                valid: false,
                token: String::new(),
                username: String::new(),
                display_name: String::new(),
                institution_name: String::new(),
                detsis: String::new(),
                error_field: None,
                error_code: None,
            };
            Ok((StatusCode::NOT_FOUND, render(page)?).into_response())
        }
        Err(AppError::Invalid { field, code }) => {
            let page = SetupPage {
                l,
                valid: true,
                token: f.token,
                username: f.username,
                display_name: f.display_name,
                institution_name: f.institution_name,
                detsis: f.detsis,
                error_field: Some(field.to_owned()),
                error_code: Some(code.as_str().to_owned()),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Sets the language cookie and goes back to the page the user was on.
async fn switch_language(
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let lang =
        Lang::parse(&code).ok_or_else(|| WebError::new(StatusCode::NOT_FOUND, Code::NotFound))?;
    // Only a local path: never an open redirect.
    let next = q
        .next
        .as_deref()
        .and_then(domain::text::local_path)
        .unwrap_or("/")
        .to_owned();
    let mut resp = Redirect::to(&next).into_response();
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::return_path;

    /// After signing in, only a page of ours: never another site, the API
    /// or anything odd.
    #[test]
    fn the_return_path_stays_on_our_pages() {
        assert_eq!(
            return_path(Some("/demirbas/etiket/255.02.01.01.02-1")),
            "/demirbas/etiket/255.02.01.01.02-1"
        );
        for bad in [
            "//evil.example/x",
            "/\\evil.example",
            "https://evil.example/",
            "/api/v1/assets",
            "demirbas",
            "/a b",
            "/a\nb",
            "",
        ] {
            assert_eq!(return_path(Some(bad)), "", "{bad:?}");
        }
        assert_eq!(return_path(None), "");
    }
}

#[derive(Template)]
#[template(path = "totp.html")]
struct TotpPage {
    l: Layout,
    status: Option<app::totp::TotpStatus>,
    /// A secret just begun: its QR code and the form for the first code.
    enrol: Option<app::totp::TotpEnrolment>,
    /// Shown once, when it has just been turned on.
    recovery_codes: Vec<String>,
    error: Option<&'static str>,
    done: Option<&'static str>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TotpQuery {
    tamam: Option<String>,
}

/// `/iki-asamali`: two-factor sign-in for oneself.
async fn totp_page(
    State(s): State<AppState>,
    l: Layout,
    c: CurrentSession,
    Query(q): Query<TotpQuery>,
) -> Result<Html<String>, WebError> {
    render(TotpPage {
        status: Some(s.app.totp_status(&c.user).await?),
        l,
        enrol: None,
        recovery_codes: Vec::new(),
        error: None,
        done: match q.tamam.as_deref() {
            Some("kapali") => Some("totp.done_off"),
            _ => None,
        },
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TotpForm {
    /// `begin`, `confirm` or `disable`.
    action: String,
    code: String,
}

async fn totp_submit(
    State(s): State<AppState>,
    l: Layout,
    c: CurrentSession,
    form: Result<Form<TotpForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request());
    };
    let refused = |e: AppError| crate::form_refusal(&e).map(|(status, (_, code))| (status, code));
    match f.action.as_str() {
        "begin" => {
            let enrol = s.app.begin_totp(&c.user).await?;
            Ok(render(TotpPage {
                status: Some(s.app.totp_status(&c.user).await?),
                l,
                enrol: Some(enrol),
                recovery_codes: Vec::new(),
                error: None,
                done: None,
            })?
            .into_response())
        }
        "confirm" => match s.app.confirm_totp(&c.user, &f.code).await {
            Ok(r) => Ok(render(TotpPage {
                status: Some(s.app.totp_status(&c.user).await?),
                l,
                enrol: None,
                recovery_codes: r.recovery_codes,
                error: None,
                done: Some("totp.done_on"),
            })?
            .into_response()),
            Err(e) => match refused(e) {
                Some((status, code)) => {
                    // The same secret stays begun: its QR code again.
                    let enrol = s.app.pending_totp(&c.user).await?;
                    Ok((
                        status,
                        render(TotpPage {
                            status: Some(s.app.totp_status(&c.user).await?),
                            l,
                            enrol,
                            recovery_codes: Vec::new(),
                            error: Some(code),
                            done: None,
                        })?,
                    )
                        .into_response())
                }
                None => Err(WebError::bad_request()),
            },
        },
        "disable" => match s.app.disable_totp(&c.user, &f.code).await {
            Ok(_) => Ok(Redirect::to("/iki-asamali?tamam=kapali").into_response()),
            Err(e) => match refused(e) {
                Some((status, code)) => Ok((
                    status,
                    render(TotpPage {
                        status: Some(s.app.totp_status(&c.user).await?),
                        l,
                        enrol: None,
                        recovery_codes: Vec::new(),
                        error: Some(code),
                        done: None,
                    })?,
                )
                    .into_response()),
                None => Err(WebError::bad_request()),
            },
        },
        _ => Err(WebError::bad_request()),
    }
}
