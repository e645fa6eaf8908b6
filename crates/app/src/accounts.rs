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
use store::{NewAudit, NewSession, User};
use time::{Duration, OffsetDateTime};

use crate::setup::{account_error, hash_password, SessionToken, SESSION_HOURS};
use crate::{new_token, token_hash, App, AppError, Result};

pub const MAX_FAILURES: i32 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;

pub use store::people::DIRECTORY_ACCOUNT;

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

fn audit(actor: &str, action: &'static str, details: serde_json::Value) -> NewAudit {
    NewAudit {
        actor: Some(actor.to_owned()),
        action,
        subject: format!("user:{actor}"),
        basis: "own account".into(),
        details,
    }
}

impl App {
    /// Signs in with a username and password; on success returns the user
    /// and a new session token.
    pub async fn login(&self, username: &str, password: &str) -> Result<(User, SessionToken)> {
        let refused = || AppError::invalid("credentials", "login_failed");
        // Account names are lower case; people type them as they like.
        let username = &username.trim().to_lowercase();
        let candidate = self.store.login_candidate(username).await?;
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

    async fn record_failure(&self, c: &store::LoginCandidate, now: OffsetDateTime) -> Result<()> {
        let lock = (c.failed_logins + 1 >= MAX_FAILURES).then(|| now + Duration::minutes(LOCKOUT_MINUTES));
        let details = serde_json::json!({ "locked": lock.is_some() });
        self.store.login_failed(c.user.id, lock, audit(&c.user.username, "auth.login_failed", details)).await?;
        Ok(())
    }

    async fn start_session(&self, user: User, details: serde_json::Value, now: OffsetDateTime) -> Result<(User, SessionToken)> {
        let token = new_token();
        let session = NewSession { token_hash: token_hash(&token), expires_at: now + Duration::hours(SESSION_HOURS) };
        self.store.login_succeeded(user.id, session, audit(&user.username, "auth.login", details)).await?;
        tracing::info!(user_id = user.id, "signed in");
        Ok((user, SessionToken(token)))
    }

    /// Sign-in through the directory: the same lockout as local accounts,
    /// then the account and its appointments provisioned from the groups.
    async fn directory_login(
        &self,
        dir: &crate::directory::DirectoryConfig,
        candidate: Option<store::LoginCandidate>,
        username: &str,
        password: &str,
        now: OffsetDateTime,
    ) -> Result<(User, SessionToken)> {
        let refused = || AppError::invalid("credentials", "login_failed");
        if candidate.as_ref().is_some_and(|c| c.locked_until.is_some_and(|until| now < until)) {
            return Err(refused());
        }
        let name = username;
        match crate::directory::authenticate(dir, &self.profile, name, password).await {
            Ok(Some(found)) => {
                let user = self
                    .store
                    .provision_directory_user(name, &found.display_name, &dir.staff_kind, &found.positions, now.to_offset(time::macros::offset!(+3)).date())
                    .await?;
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
        self.store
            .end_session(&token_hash(session_token), audit(&user.username, "auth.logout", serde_json::json!({})))
            .await?;
        Ok(())
    }

    /// Ends every session of the user, on every device.
    pub async fn logout_everywhere(&self, user: &User) -> Result<u64> {
        Ok(self
            .store
            .end_all_sessions(user.id, audit(&user.username, "auth.logout_everywhere", serde_json::json!({})))
            .await?)
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
        let c = self.store.login_candidate(&user.username).await?.ok_or(AppError::NotFound)?;
        if c.password_hash == DIRECTORY_ACCOUNT {
            return Err(AppError::invalid("current_password", "directory_account"));
        }
        if !verify(current.to_owned(), c.password_hash).await {
            return Err(AppError::invalid("current_password", "current_password_wrong"));
        }
        let p = NewPassword::parse(new).map_err(account_error)?;
        if new != confirm {
            return Err(AppError::invalid("password_confirm", "password_mismatch"));
        }
        let hash = hash_password(p).await?;
        self.store
            .set_password(
                user.id,
                &hash,
                &token_hash(session_token),
                audit(&user.username, "auth.password_changed", serde_json::json!({})),
            )
            .await?;
        Ok(())
    }
}
