//! Signing in and out, and changing one's password.
//!
//! A failed sign-in never says whether the username or the password was
//! wrong, and costs the same either way: an unknown username is checked
//! against a dummy hash, and every failure writes the same records (the
//! throttle's counts and an audit record the administrator reads). Failures
//! slow further tries by source address, by account from that address and
//! by account (`domain::throttle`): an attacker slows himself down, and
//! cannot lock the real person out from elsewhere.

use std::net::IpAddr;
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use domain::account::NewPassword;
use domain::authority::{Grant, SystemTask};
use domain::code::Code;
use domain::throttle;
use store::accounts::{LoginCandidate, NewSession};
use store::Audit;
use time::{Duration, OffsetDateTime};

use crate::setup::{account_error, hash_password, SessionToken, SESSION_HOURS};
use crate::{new_token, token_hash, App, AppError, Result, User};

pub use store::accounts::DIRECTORY_ACCOUNT;

/// The longest username read; anything longer cannot be an account.
const USERNAME_MAX: usize = 64;

/// Verifies off the async runtime (argon2id is slow on purpose).
async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// A valid hash of nothing anyone knows, made with the same parameters as
/// every account's, to spend the same time on an unknown username.
fn dummy_hash() -> String {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default()
            .hash_password(crate::new_token().as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
    .clone()
}

/// The record of an act on one's own account.
fn audit(user: &User, action: &'static str, details: serde_json::Value) -> Audit {
    Audit::new(
        &Grant::own_account(user),
        action,
        format!("user:{}", user.username),
        details,
    )
}

/// A sign-in being tried: what a failure of it counts against.
pub(crate) struct Attempt {
    names: Vec<String>,
    counts: Vec<(String, u32)>,
    typed: String,
    address: String,
    known: bool,
}

/// A session as its owner sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// Names the session (not its token).
    pub id: String,
    /// The session this request came with.
    pub current: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
    /// The address it was opened from.
    pub address: String,
    /// The browser and system, as far as its name says (e.g. "Chrome,
    /// Windows"); empty for a program.
    pub browser: String,
}

/// A browser's name from its User-Agent, as people know it.
pub fn browser_name(agent: &str) -> String {
    let browser = if agent.contains("Edg/") {
        "Edge"
    } else if agent.contains("OPR/") {
        "Opera"
    } else if agent.contains("Firefox/") {
        "Firefox"
    } else if agent.contains("Chrome/") || agent.contains("Chromium/") {
        "Chrome"
    } else if agent.contains("Safari/") {
        "Safari"
    } else {
        ""
    };
    let system = if agent.contains("Android") {
        "Android"
    } else if agent.contains("iPhone") || agent.contains("iPad") {
        "iOS"
    } else if agent.contains("Windows") {
        "Windows"
    } else if agent.contains("Mac OS") {
        "macOS"
    } else if agent.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    match (browser, system) {
        ("", "") => agent.chars().take(40).collect(),
        (b, "") => b.to_owned(),
        ("", s) => s.to_owned(),
        (b, s) => format!("{b}, {s}"),
    }
}

/// A recent failed sign-in, for the administrator.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FailedSignIn {
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    /// The username as typed.
    pub username: String,
    /// The source address.
    pub address: String,
    /// Whether an account of that name exists.
    pub known: bool,
    /// The account holder's name, when the account exists.
    pub name: Option<String>,
}

impl App {
    /// Signs in with a username and password from the source address
    /// `from`; on success returns the user and a new session token. Too
    /// many failures: `Throttled` with the seconds to wait.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        from: IpAddr,
    ) -> Result<(User, SessionToken)> {
        self.login_with(username, password, None, from, "")
            .await
            .map(|(u, t, _)| (u, t))
    }

    /// Signs in with the password and, where the person has turned it on or
    /// must use it (`[security]`), the second factor: a code from the
    /// authenticator app or a recovery code. The first code of a secret
    /// begun before signing in confirms it and returns the recovery codes.
    /// A missing code is `totp_required` (the password was right: it is not
    /// counted as a failure); a wrong or used code counts as a failed
    /// sign-in, so guessing codes is slowed like guessing passwords.
    pub async fn login_with(
        &self,
        username: &str,
        password: &str,
        second: Option<&crate::totp::SecondFactor>,
        from: IpAddr,
        agent: &str,
    ) -> Result<(User, SessionToken, Vec<String>)> {
        let (user, details, attempt) = self.check_password(username, password, from).await?;
        let now = OffsetDateTime::now_utc();
        let signed = async {
            let factor = self.second_factor(&user, second, now).await?;
            let codes = factor.recovery_codes();
            let (user, token) = self
                .start_session(user, details, now, &attempt, agent, &factor)
                .await?;
            Ok((user, token, codes))
        };
        match signed.await {
            // A wrong or used code is a failed sign-in.
            Err(AppError::Conflict(code @ (Code::TotpInvalid | Code::TotpUsed))) => {
                self.login_failed(&attempt).await?;
                Err(AppError::Conflict(code))
            }
            r => r,
        }
    }

    /// The password, checked under the throttle: the user, what the audit
    /// records of the sign-in, and the attempt (to count a failure of the
    /// second factor against).
    pub(crate) async fn check_password(
        &self,
        username: &str,
        password: &str,
        from: IpAddr,
    ) -> Result<(User, serde_json::Value, Attempt)> {
        // Account names are lower case ASCII; people type them as they like.
        let username: String = username
            .trim()
            .to_ascii_lowercase()
            .chars()
            .take(USERNAME_MAX + 1)
            .collect();
        let address = from.to_string();
        let keys = throttle::keys(&username, &address);
        let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
        let now = OffsetDateTime::now_utc();
        let mut c = self.read().await?;
        let state = store::accounts::throttle_state(&mut c, &names).await?;
        let failures = |k: &str| state.iter().find(|(n, _)| n == k).map(|(_, f)| *f);
        if let Some(wait) = keys
            .iter()
            .filter_map(|(k, p)| throttle::must_wait(*p, failures(k), now))
            .max()
        {
            return Err(AppError::Throttled {
                wait_secs: wait.whole_seconds().max(1),
            });
        }
        let candidate = if username.len() > USERNAME_MAX {
            None
        } else {
            store::accounts::login_candidate(&mut c, &username).await?
        };
        drop(c);
        let known = candidate.is_some();
        let counts: Vec<(String, u32)> = keys
            .iter()
            .map(|(k, _)| (k.clone(), throttle::current(failures(k), now) + 1))
            .collect();
        let attempt = Attempt {
            names,
            counts,
            typed: username.chars().take(USERNAME_MAX).collect(),
            address: address.clone(),
            known,
        };
        let signed_in = match &self.directory {
            // Unknown here, or an account the directory made: ask it.
            Some(dir)
                if candidate
                    .as_ref()
                    .is_none_or(|c| c.password_hash == DIRECTORY_ACCOUNT) =>
            {
                self.directory_login(dir, &username, password, now).await?
            }
            _ => {
                let hash = candidate
                    .as_ref()
                    .map(|c| c.password_hash.clone())
                    .unwrap_or_else(dummy_hash);
                let good = verify(password.to_owned(), hash).await;
                match candidate {
                    Some(LoginCandidate { user, .. }) if good => {
                        Some((user, serde_json::json!({"address": address})))
                    }
                    _ => None,
                }
            }
        };
        match signed_in {
            Some((user, details)) => Ok((user, details, attempt)),
            None => {
                self.login_failed(&attempt).await?;
                Err(AppError::invalid("credentials", Code::LoginFailed))
            }
        }
    }

    /// A failed sign-in: the throttle's counts and the audit record.
    async fn login_failed(&self, a: &Attempt) -> Result<()> {
        let mut w = self.write().await?;
        store::accounts::throttle_failed(&mut w, &a.counts).await?;
        w.commit(Audit::new(
            &Grant::system(SystemTask::SignIn),
            "auth.login_failed",
            format!("user:{}", a.typed),
            serde_json::json!({"address": a.address, "known": a.known}),
        ))
        .await?;
        Ok(())
    }

    async fn start_session(
        &self,
        user: User,
        mut details: serde_json::Value,
        now: OffsetDateTime,
        attempt: &Attempt,
        agent: &str,
        factor: &crate::totp::Factor,
    ) -> Result<(User, SessionToken)> {
        let token = new_token();
        let clear = &attempt.names[1..];
        let session = NewSession {
            token_hash: token_hash(&token),
            expires_at: now + Duration::hours(SESSION_HOURS),
            address: attempt.address.clone(),
            // A browser's name, shortened: what its owner recognises it by.
            agent: agent
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect(),
        };
        let mut w = self.write().await?;
        // The second factor is spent in the same transaction as the session
        // opens: a code raced by two sign-ins passes once.
        factor.spend(&mut w, user.id).await?;
        if let Some(o) = details.as_object_mut() {
            if let Some(k) = factor.kind() {
                o.insert("second_factor".into(), k.into());
            }
        }
        store::accounts::open_session(&mut w, user.id, &session).await?;
        store::accounts::throttle_clear(&mut w, clear).await?;
        let mut audits = store::Audits::from(audit(&user, "auth.login", details));
        if let crate::totp::Factor::Confirm { codes, .. } = factor {
            audits.push(audit(
                &user,
                "auth.totp_enabled",
                serde_json::json!({"recovery_codes": codes.len(), "at_sign_in": true}),
            ));
        }
        w.commit_all(audits).await?;
        tracing::info!(user_id = user.id, "signed in");
        Ok((user, SessionToken(token)))
    }

    /// Sign-in through the directory: the account and its appointments
    /// provisioned from the groups; `None` when the directory refuses.
    async fn directory_login(
        &self,
        dir: &crate::directory::DirectoryConfig,
        username: &str,
        password: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(User, serde_json::Value)>> {
        match crate::directory::authenticate(dir, &self.profile, username, password).await {
            Ok(Some(found)) => {
                let user = self
                    .provision_directory_user(
                        username,
                        &found.display_name,
                        &dir.staff_kind,
                        &found.positions,
                        domain::local::date(now),
                    )
                    .await?;
                self.sync_directory_contact(&user, &found.email, &found.department)
                    .await?;
                Ok(Some((
                    user,
                    serde_json::json!({"source": "ldap", "groups": found.groups}),
                )))
            }
            Ok(None) => Ok(None),
            Err(e) => Err(AppError::DirectoryUnavailable(e.to_string())),
        }
    }

    /// The recent failed sign-ins, newest first: for an administrator.
    pub async fn failed_sign_ins(&self, actor: &User, limit: i64) -> Result<Vec<FailedSignIn>> {
        if !actor.is_admin {
            return Err(AppError::forbidden("administrator"));
        }
        let filter = store::audit::AuditFilter {
            action: Some("auth.login_failed".into()),
            limit: limit.clamp(1, 1000),
            ..Default::default()
        };
        let mut r = self.read().await?;
        let rows = store::audit::search(&mut r, &filter).await?;
        let mut names: std::collections::HashMap<String, Option<String>> =
            std::collections::HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for e in rows {
            let username = e
                .subject
                .strip_prefix("user:")
                .unwrap_or(&e.subject)
                .to_owned();
            let known = e
                .details
                .get("known")
                .and_then(|v| v.as_bool())
                .unwrap_or(true);
            let name = match names.get(&username) {
                Some(n) => n.clone(),
                None => {
                    let n = if known {
                        store::accounts::user_by_name(&mut r, &username)
                            .await?
                            .map(|u| u.display_name.to_string())
                    } else {
                        None
                    };
                    names.insert(username.clone(), n.clone());
                    n
                }
            };
            out.push(FailedSignIn {
                at: e.at,
                address: e
                    .details
                    .get("address")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned(),
                username,
                known,
                name,
            });
        }
        Ok(out)
    }

    /// Ends this session.
    pub async fn logout(&self, user: &User, session_token: &str) -> Result<()> {
        let mut w = self.write().await?;
        if store::accounts::end_session(&mut w, &token_hash(session_token)).await? {
            w.commit(audit(user, "auth.logout", serde_json::json!({})))
                .await?;
        }
        Ok(())
    }

    /// Ends every session of the user, on every device.
    /// One's sessions still open, this one marked (the guide's measure
    /// 3.2.2.5: see the active sessions and end any).
    pub async fn my_sessions(&self, user: &User, current_token: &str) -> Result<Vec<SessionView>> {
        let current = token_hash(current_token);
        Ok(store::accounts::sessions_of(
            &mut self.read().await?,
            user.id,
            OffsetDateTime::now_utc(),
        )
        .await?
        .into_iter()
        .map(|s| SessionView {
            current: s.token_hash == current,
            id: s.id,
            created_at: s.created_at,
            expires_at: s.expires_at,
            address: s.address,
            browser: browser_name(&s.agent),
        })
        .collect())
    }

    /// Ends one of one's sessions, named by its id.
    pub async fn end_my_session(&self, user: &User, id: &str) -> Result<()> {
        let mut w = self.write().await?;
        let at = w.at();
        let found = store::accounts::sessions_of(&mut w, user.id, at)
            .await?
            .into_iter()
            .find(|s| s.id == id && id.len() == 12)
            .ok_or(AppError::NotFound)?;
        store::accounts::end_session(&mut w, &found.token_hash).await?;
        w.commit(audit(
            user,
            "auth.session_ended",
            serde_json::json!({"session": id, "address": found.address}),
        ))
        .await?;
        Ok(())
    }

    pub async fn logout_everywhere(&self, user: &User) -> Result<u64> {
        let mut w = self.write().await?;
        let n = store::accounts::end_sessions_of(&mut w, user.id, "").await?;
        w.commit(audit(
            user,
            "auth.logout_everywhere",
            serde_json::json!({"sessions": n}),
        ))
        .await?;
        Ok(n)
    }

    /// Changes the password after checking the current one; the user's
    /// other sessions end, this one stays.
    pub async fn change_password(
        &self,
        user: &User,
        session_token: &str,
        current: &str,
        new: &str,
        confirm: &str,
    ) -> Result<()> {
        let c = store::accounts::login_candidate(&mut self.read().await?, &user.username)
            .await?
            .ok_or(AppError::NotFound)?;
        if c.password_hash == DIRECTORY_ACCOUNT {
            return Err(AppError::invalid(
                "current_password",
                Code::DirectoryAccount,
            ));
        }
        if !verify(current.to_owned(), c.password_hash).await {
            return Err(AppError::invalid(
                "current_password",
                Code::CurrentPasswordWrong,
            ));
        }
        let p = NewPassword::parse(new).map_err(account_error)?;
        if new != confirm {
            return Err(AppError::invalid(
                "password_confirm",
                Code::PasswordMismatch,
            ));
        }
        let hash = hash_password(p).await?;
        let mut w = self.write().await?;
        store::accounts::set_password(&mut w, user.id, &hash).await?;
        store::accounts::end_sessions_of(&mut w, user.id, &token_hash(session_token)).await?;
        w.commit(audit(user, "auth.password_changed", serde_json::json!({})))
            .await?;
        Ok(())
    }
}

impl App {
    /// Provisions a directory (LDAP) account on sign-in: creates it on
    /// first sign-in, and brings its appointments in line with the
    /// positions its directory groups map to, as the system's act.
    /// Audited when it changes anything.
    /// Keeps a directory account's address and unit as the directory has
    /// them (the service desk's requester of another directorate).
    async fn sync_directory_contact(
        &self,
        user: &User,
        email: &str,
        department: &str,
    ) -> Result<()> {
        let email = crate::input::text("mail", email, 254, false)
            .unwrap_or_default()
            .to_lowercase();
        let department =
            crate::input::text("department", department, 200, false).unwrap_or_default();
        let mut c = self.read().await?;
        let same = store::accounts::department_of(&mut c, user.id).await? == department
            && store::accounts::email_of(&mut c, user.id)
                .await?
                .to_lowercase()
                == email;
        drop(c);
        if same {
            return Ok(());
        }
        let mut w = self.write().await?;
        store::accounts::set_department(&mut w, user.id, &department).await?;
        store::accounts::set_email(&mut w, user.id, &email).await?;
        w.commit(Audit::new(
            &Grant::system(SystemTask::DirectorySync),
            "directory.synced",
            format!("user:{}", user.username),
            serde_json::json!({"changes": [{"department": department, "email": email}]}),
        ))
        .await?;
        Ok(())
    }

    pub(crate) async fn provision_directory_user(
        &self,
        username: &str,
        display_name: &str,
        kind: &str,
        positions: &[String],
        today: time::Date,
    ) -> Result<User> {
        use store::accounts::NewUser;
        use store::staff::NewStaff;
        let mut w = self.write().await?;
        let mut changes = Vec::new();
        let user = match store::accounts::user_by_name(&mut w, username).await? {
            Some(u) => u,
            None => {
                changes.push(serde_json::json!({"account": "created"}));
                let u = NewUser {
                    username: username.to_owned(),
                    display_name: display_name.to_owned(),
                    password_hash: DIRECTORY_ACCOUNT.into(),
                    is_admin: false,
                };
                store::accounts::insert_user(&mut w, &u, "ldap").await?
            }
        };
        let staff_id = match (
            store::staff::of_user(&mut w, user.id).await?,
            positions.first(),
        ) {
            (Some(id), _) => Some(id),
            (None, Some(p)) => {
                changes.push(serde_json::json!({"appointed": p}));
                let s = NewStaff {
                    user_id: Some(user.id),
                    full_name: display_name.to_owned(),
                    tckn: None,
                    kind: kind.to_owned(),
                    phone_ext: String::new(),
                    email: String::new(),
                    position: p.clone(),
                    start_date: today,
                    end_date: None,
                };
                Some(store::staff::insert(&mut w, &s).await?)
            }
            (None, None) => None,
        };
        if let Some(sid) = staff_id {
            let apps = store::staff::appointments(&mut w, sid).await?;
            let now = domain::local::day_start(today);
            // A role given in the program (the Taşınır Kayıt Yetkilisi,
            // `appointed_by`) is not the directory's to end.
            let given_here = |p: &str| {
                self.profile
                    .position(p)
                    .is_some_and(|p| p.appointed_by.is_some())
            };
            for a in apps.iter().filter(|a| {
                a.period().contains(now)
                    && !positions.contains(&a.position)
                    && !given_here(&a.position)
            }) {
                match today.previous_day().filter(|end| *end >= a.start_date) {
                    Some(end) => store::staff::end_appointment(&mut w, a.id, end).await?,
                    // Begun today and gone today: it never took effect.
                    None => store::staff::delete_appointment(&mut w, a.id).await?,
                }
                changes.push(serde_json::json!({"ended": a.position}));
            }
            for p in positions {
                if !apps
                    .iter()
                    .any(|a| &a.position == p && a.period().contains(now))
                    && !changes.iter().any(|c| c["appointed"] == *p)
                {
                    store::staff::insert_appointment(&mut w, sid, p, today, None).await?;
                    changes.push(serde_json::json!({"appointed": p}));
                }
            }
        }
        if changes.is_empty() {
            // Nothing changed: nothing to record (dropping rolls back).
            return Ok(user);
        }
        w.commit(Audit::new(
            &Grant::system(SystemTask::DirectorySync),
            "directory.synced",
            format!("user:{username}"),
            serde_json::json!({"changes": changes}),
        ))
        .await?;
        Ok(user)
    }
}
