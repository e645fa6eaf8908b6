//! Signing in and out, and changing one's password.
//!
//! A failed sign-in never says whether the username or the password was
//! wrong, and takes as long either way (an unknown username is checked
//! against a dummy hash). After [`MAX_FAILURES`] failures in a row an
//! account is locked for [`LOCKOUT_MINUTES`] minutes; the refusal while
//! locked reads the same.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use domain::account::NewPassword;
use domain::authority::{Grant, SystemTask};
use domain::code::Code;
use store::accounts::{LoginCandidate, NewSession};
use store::Audit;
use time::{Duration, OffsetDateTime};

use crate::setup::{account_error, hash_password, SessionToken, SESSION_HOURS};
use crate::{new_token, token_hash, App, AppError, Result, User};

pub const MAX_FAILURES: i32 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;

pub use store::accounts::DIRECTORY_ACCOUNT;

/// Verifies off the async runtime (argon2id is slow on purpose).
async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A valid hash of nothing anyone knows, to spend the same time on an
/// unknown username.
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
    Audit::new(&Grant::own_account(user), action, format!("user:{}", user.username), details)
}

impl App {
    /// Signs in with a username and password; on success returns the user
    /// and a new session token.
    pub async fn login(&self, username: &str, password: &str) -> Result<(User, SessionToken)> {
        let refused = || AppError::invalid("credentials", Code::LoginFailed);
        // Account names are lower case ASCII; people type them as they like.
        let username = &username.trim().to_ascii_lowercase();
        let candidate = store::accounts::login_candidate(&mut self.read().await?, username).await?;
        let now = OffsetDateTime::now_utc();
        if let Some(dir) = &self.directory {
            // Unknown here, or an account the directory made: ask it.
            if candidate.as_ref().is_none_or(|c| c.password_hash == DIRECTORY_ACCOUNT) {
                return self.directory_login(dir, candidate, username, password, now).await;
            }
        }
        let Some(c) = candidate else {
            verify(password.to_owned(), dummy_hash()).await;
            return Err(refused());
        };
        if c.locked_until.is_some_and(|until| now < until) {
            verify(password.to_owned(), dummy_hash()).await;
            return Err(refused());
        }
        if !verify(password.to_owned(), c.password_hash.clone()).await {
            self.record_failure(&c, now).await?;
            return Err(refused());
        }
        self.start_session(c.user, serde_json::json!({}), now).await
    }

    async fn record_failure(&self, c: &LoginCandidate, now: OffsetDateTime) -> Result<()> {
        let lock = (c.failed_logins + 1 >= MAX_FAILURES).then(|| now + Duration::minutes(LOCKOUT_MINUTES));
        let mut w = self.write().await?;
        store::accounts::login_failed(&mut w, c.user.id, lock).await?;
        w.commit(audit(&c.user, "auth.login_failed", serde_json::json!({ "locked": lock.is_some() }))).await?;
        Ok(())
    }

    async fn start_session(&self, user: User, details: serde_json::Value, now: OffsetDateTime) -> Result<(User, SessionToken)> {
        let token = new_token();
        let session = NewSession { token_hash: token_hash(&token), expires_at: now + Duration::hours(SESSION_HOURS) };
        let mut w = self.write().await?;
        store::accounts::open_session(&mut w, user.id, &session).await?;
        w.commit(audit(&user, "auth.login", details)).await?;
        tracing::info!(user_id = user.id, "signed in");
        Ok((user, SessionToken(token)))
    }

    /// Sign-in through the directory: the same lockout as local accounts,
    /// then the account and its appointments provisioned from the groups.
    async fn directory_login(
        &self,
        dir: &crate::directory::DirectoryConfig,
        candidate: Option<LoginCandidate>,
        username: &str,
        password: &str,
        now: OffsetDateTime,
    ) -> Result<(User, SessionToken)> {
        let refused = || AppError::invalid("credentials", Code::LoginFailed);
        if candidate.as_ref().is_some_and(|c| c.locked_until.is_some_and(|until| now < until)) {
            return Err(refused());
        }
        let name = username;
        match crate::directory::authenticate(dir, &self.profile, name, password).await {
            Ok(Some(found)) => {
                let user = self.provision_directory_user(name, &found.display_name, &dir.staff_kind, &found.positions, domain::local::date(now)).await?;
                self.start_session(user, serde_json::json!({"source": "ldap", "groups": found.groups}), now).await
            }
            Ok(None) => {
                if let Some(c) = &candidate {
                    self.record_failure(c, now).await?;
                }
                Err(refused())
            }
            Err(e) => Err(AppError::DirectoryUnavailable(e.to_string())),
        }
    }

    /// Ends this session.
    pub async fn logout(&self, user: &User, session_token: &str) -> Result<()> {
        let mut w = self.write().await?;
        if store::accounts::end_session(&mut w, &token_hash(session_token)).await? {
            w.commit(audit(user, "auth.logout", serde_json::json!({}))).await?;
        }
        Ok(())
    }

    /// Ends every session of the user, on every device.
    pub async fn logout_everywhere(&self, user: &User) -> Result<u64> {
        let mut w = self.write().await?;
        let n = store::accounts::end_sessions_of(&mut w, user.id, "").await?;
        w.commit(audit(user, "auth.logout_everywhere", serde_json::json!({"sessions": n}))).await?;
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
        let c = store::accounts::login_candidate(&mut self.read().await?, &user.username).await?.ok_or(AppError::NotFound)?;
        if c.password_hash == DIRECTORY_ACCOUNT {
            return Err(AppError::invalid("current_password", Code::DirectoryAccount));
        }
        if !verify(current.to_owned(), c.password_hash).await {
            return Err(AppError::invalid("current_password", Code::CurrentPasswordWrong));
        }
        let p = NewPassword::parse(new).map_err(account_error)?;
        if new != confirm {
            return Err(AppError::invalid("password_confirm", Code::PasswordMismatch));
        }
        let hash = hash_password(p).await?;
        let mut w = self.write().await?;
        store::accounts::set_password(&mut w, user.id, &hash).await?;
        store::accounts::end_sessions_of(&mut w, user.id, &token_hash(session_token)).await?;
        w.commit(audit(user, "auth.password_changed", serde_json::json!({}))).await?;
        Ok(())
    }
}

impl App {
    /// Provisions a directory (LDAP) account on sign-in: creates it on
    /// first sign-in, and brings its appointments in line with the
    /// positions its directory groups map to, as the system's act.
    /// Audited when it changes anything.
    pub(crate) async fn provision_directory_user(&self, username: &str, display_name: &str, kind: &str, positions: &[String], today: time::Date) -> Result<User> {
        use store::accounts::NewUser;
        use store::staff::NewStaff;
        let mut w = self.write().await?;
        let mut changes = Vec::new();
        let user = match store::accounts::user_by_name(&mut w, username).await? {
            Some(u) => u,
            None => {
                changes.push(serde_json::json!({"account": "created"}));
                let u = NewUser { username: username.to_owned(), display_name: display_name.to_owned(), password_hash: DIRECTORY_ACCOUNT.into(), is_admin: false };
                store::accounts::insert_user(&mut w, &u, "ldap").await?
            }
        };
        let staff_id = match (store::staff::of_user(&mut w, user.id).await?, positions.first()) {
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
            for a in apps.iter().filter(|a| a.period().contains(now) && !positions.contains(&a.position)) {
                match today.previous_day().filter(|end| *end >= a.start_date) {
                    Some(end) => store::staff::end_appointment(&mut w, a.id, end).await?,
                    // Begun today and gone today: it never took effect.
                    None => store::staff::delete_appointment(&mut w, a.id).await?,
                }
                changes.push(serde_json::json!({"ended": a.position}));
            }
            for p in positions {
                if !apps.iter().any(|a| &a.position == p && a.period().contains(now)) && !changes.iter().any(|c| c["appointed"] == *p) {
                    store::staff::insert_appointment(&mut w, sid, p, today, None).await?;
                    changes.push(serde_json::json!({"appointed": p}));
                }
            }
        }
        if changes.is_empty() {
            // Nothing changed: nothing to record (dropping rolls back).
            return Ok(user);
        }
        w.commit(Audit::new(&Grant::system(SystemTask::DirectorySync), "directory.synced", format!("user:{username}"), serde_json::json!({"changes": changes})))
            .await?;
        Ok(user)
    }
}
