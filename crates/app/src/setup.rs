//! First run: with no account in the database, the server issues a one-time
//! setup link; whoever opens it names the institution (its name as DETSİS
//! writes it, and its DETSİS number, which every outgoing number carries)
//! and creates the first administrator. There is no default password.

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use domain::account::{AccountError, DisplayName, NewPassword, Username};
use domain::authority::{Grant, SystemTask};
use domain::code::Code;
use store::accounts::{InstanceSettings, NewSession, NewUser};
use store::Audit;
use time::Duration;

use crate::{new_token, now, token_hash, App, AppError, Result, User};

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 10;

/// The setup form.
pub struct SetupInput<'a> {
    pub token: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub password_confirm: &'a str,
    /// The institution as DETSİS writes it (empty: keep the default).
    pub institution_name: &'a str,
    /// The institution's 8-digit DETSİS number (empty: set it later).
    pub detsis: &'a str,
}

/// A signed-in session: the cookie value, shown to the client once.
pub struct SessionToken(pub String);

/// The field and message code of a refused account value.
pub(crate) fn account_error(e: AccountError) -> AppError {
    match e {
        AccountError::BadUsername => AppError::invalid("username", Code::BadUsername),
        AccountError::BadDisplayName => AppError::invalid("display_name", Code::BadDisplayName),
        AccountError::PasswordTooShort => AppError::invalid("password", Code::PasswordTooShort),
        AccountError::PasswordTooLong => AppError::invalid("password", Code::PasswordTooLong),
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

/// A DETSİS number as typed: empty, or 8 digits.
pub(crate) fn detsis(field: &'static str, s: &str) -> Result<Option<String>> {
    match s.trim() {
        "" => Ok(None),
        d if domain::outgoing::is_detsis(d) => Ok(Some(d.to_owned())),
        _ => Err(AppError::invalid(field, Code::BadDetsis)),
    }
}

impl App {
    /// At start-up: when there is no account yet, issues a new one-time setup
    /// token and returns it (to be printed as a link). `None` once set up.
    pub async fn bootstrap(&self) -> Result<Option<String>> {
        if store::accounts::user_count(&mut self.read().await?).await? > 0 {
            return Ok(None);
        }
        let token = new_token();
        let mut w = self.write().await?;
        match store::accounts::replace_setup_token(&mut w, &token_hash(&token)).await {
            Ok(()) => {}
            // Another process finished setup meanwhile.
            Err(store::StoreError::Conflict(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        }
        w.commit(Audit::new(
            &Grant::system(SystemTask::FirstRun),
            "setup.token_issued",
            "setup",
            serde_json::json!({}),
        ))
        .await?;
        Ok(Some(token))
    }

    pub async fn setup_token_valid(&self, token: &str) -> Result<bool> {
        Ok(store::accounts::setup_token_valid(&mut self.read().await?, &token_hash(token)).await?)
    }

    /// Names the institution, creates the first administrator from a valid
    /// setup token and signs them in. The token works once.
    pub async fn complete_setup(&self, input: SetupInput<'_>) -> Result<(User, SessionToken)> {
        // Check the token first so that a stranger learns nothing else.
        if !self.setup_token_valid(input.token).await? {
            return Err(AppError::invalid("token", Code::SetupTokenInvalid));
        }
        let username = Username::parse(input.username).map_err(account_error)?;
        let display_name = DisplayName::parse(input.display_name).map_err(account_error)?;
        let password = NewPassword::parse(input.password).map_err(account_error)?;
        if input.password != input.password_confirm {
            return Err(AppError::invalid(
                "password_confirm",
                Code::PasswordMismatch,
            ));
        }
        let institution =
            crate::input::text("institution_name", input.institution_name, 200, false)?;
        let detsis = detsis("detsis", input.detsis)?;
        let password_hash = hash_password(password).await?;
        let session = new_token();
        let mut w = self.write().await?;
        match store::accounts::use_setup_token(&mut w, &token_hash(input.token)).await {
            Ok(()) => {}
            Err(store::StoreError::NotFound) => {
                return Err(AppError::invalid("token", Code::SetupTokenInvalid))
            }
            Err(e) => return Err(e.into()),
        }
        let mut settings = store::accounts::settings(&mut w).await?;
        if !institution.is_empty() {
            settings.institution_name = institution;
        }
        settings.detsis = detsis.or(settings.detsis);
        store::accounts::set_settings(&mut w, &settings).await?;
        let user = store::accounts::insert_user(
            &mut w,
            &NewUser {
                username: username.as_str().to_owned(),
                display_name: display_name.as_str().to_owned(),
                password_hash,
                is_admin: true,
            },
            "local",
        )
        .await?;
        store::accounts::open_session(
            &mut w,
            user.id,
            &NewSession {
                token_hash: token_hash(&session),
                expires_at: now() + Duration::hours(SESSION_HOURS),
                address: String::new(),
                agent: String::new(),
            },
        )
        .await?;
        let audit = Audit::new(
            &Grant::setup_link(&user.username),
            "setup.completed",
            format!("user:{}", user.username),
            serde_json::json!({"is_admin": true, "institution_name": settings.institution_name, "detsis": settings.detsis}),
        );
        w.commit(audit).await?;
        tracing::info!(user_id = user.id, "first administrator created");
        Ok((user, SessionToken(session)))
    }

    /// The administrator renames the institution or sets its DETSİS
    /// number.
    pub async fn set_institution(
        &self,
        actor: &User,
        institution_name: &str,
        directorate_name: &str,
        detsis_number: &str,
    ) -> Result<InstanceSettings> {
        let grant = Grant::administrator(actor)?;
        let institution_name = crate::input::text("institution_name", institution_name, 200, true)?;
        let directorate_name = crate::input::text("directorate_name", directorate_name, 200, true)?;
        let detsis = detsis("detsis", detsis_number)?;
        let mut w = self.write().await?;
        let before = store::accounts::settings(&mut w).await?;
        let after = InstanceSettings {
            institution_name,
            directorate_name,
            detsis,
        };
        store::accounts::set_settings(&mut w, &after).await?;
        w.commit(Audit::new(
            &grant,
            "settings.changed",
            "settings",
            serde_json::json!({"before": before, "after": after}),
        ))
        .await?;
        Ok(after)
    }
}
