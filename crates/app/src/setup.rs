//! First run: with no account in the database, the server issues a one-time
//! setup link; whoever opens it creates the first administrator. There is
//! no default password anywhere.

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use domain::account::{AccountError, DisplayName, NewPassword, Username};
use store::{NewAudit, NewSession, NewUser, User};
use time::{Duration, OffsetDateTime};

use crate::{new_token, token_hash, App, AppError, Result};

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 10;

/// The form for the first administrator.
pub struct SetupInput<'a> {
    pub token: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub password_confirm: &'a str,
}

/// A signed-in session: the cookie value, shown to the client once.
pub struct SessionToken(pub String);

/// The field and message code of a refused account value.
pub(crate) fn account_error(e: AccountError) -> AppError {
    match e {
        AccountError::BadUsername => AppError::invalid("username", "bad_username"),
        AccountError::BadDisplayName => AppError::invalid("display_name", "bad_display_name"),
        AccountError::PasswordTooShort => AppError::invalid("password", "password_too_short"),
        AccountError::PasswordTooLong => AppError::invalid("password", "password_too_long"),
    }
}

/// Hashes a password with argon2id off the async runtime (it is slow on
/// purpose).
pub async fn hash_password(p: NewPassword) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default()
            .hash_password(p.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(anyhow::anyhow!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
}

impl App {
    /// At start-up: when there is no account yet, issues a new one-time setup
    /// token and returns it (to be printed as a link). `None` once set up.
    pub async fn bootstrap(&self) -> Result<Option<String>> {
        if self.store.user_count().await? > 0 {
            return Ok(None);
        }
        let token = new_token();
        let audit = NewAudit {
            actor: None,
            action: "setup.token_issued",
            subject: "setup".into(),
            basis: "system: no account exists".into(),
            details: serde_json::json!({}),
        };
        match self.store.issue_setup_token(&token_hash(&token), audit).await {
            Ok(()) => Ok(Some(token)),
            // Another process finished setup meanwhile.
            Err(store::StoreError::Conflict(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn setup_token_valid(&self, token: &str) -> Result<bool> {
        Ok(self.store.setup_token_valid(&token_hash(token)).await?)
    }

    /// Creates the first administrator from a valid setup token and signs
    /// them in. The token works once.
    pub async fn complete_setup(&self, input: SetupInput<'_>) -> Result<(User, SessionToken)> {
        // Check the token first so that a stranger learns nothing else.
        if !self.setup_token_valid(input.token).await? {
            return Err(AppError::invalid("token", "setup_token_invalid"));
        }
        let username = Username::parse(input.username).map_err(account_error)?;
        let display_name = DisplayName::parse(input.display_name).map_err(account_error)?;
        let password = NewPassword::parse(input.password).map_err(account_error)?;
        if input.password != input.password_confirm {
            return Err(AppError::invalid("password_confirm", "password_mismatch"));
        }
        let password_hash = hash_password(password).await?;
        let session = new_token();
        let user = NewUser {
            username: username.as_str().to_owned(),
            display_name: display_name.as_str().to_owned(),
            password_hash,
            is_admin: true,
        };
        let audit = NewAudit {
            actor: Some(username.as_str().to_owned()),
            action: "setup.completed",
            subject: format!("user:{username}"),
            basis: "one-time setup link".into(),
            details: serde_json::json!({ "is_admin": true }),
        };
        let s = NewSession {
            token_hash: token_hash(&session),
            expires_at: OffsetDateTime::now_utc() + Duration::hours(SESSION_HOURS),
        };
        let created = self.store.complete_setup(&token_hash(input.token), user, s, audit).await;
        match created {
            Ok(u) => {
                tracing::info!(user_id = u.id, "first administrator created");
                Ok((u, SessionToken(session)))
            }
            Err(store::StoreError::NotFound) => Err(AppError::invalid("token", "setup_token_invalid")),
            Err(store::StoreError::Conflict(_)) => Err(AppError::Conflict("already_set_up")),
            Err(e) => Err(e.into()),
        }
    }
}
