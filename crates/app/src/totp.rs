//! Two-factor sign-in (issue 18 §5; the Bilgi ve İletişim Güvenliği
//! Rehberi's measures on strong authentication): a person turns on codes
//! from an authenticator app (RFC 6238) and receives ten one-time
//! recovery codes; the `[security]` settings make it compulsory for
//! administrators and for the posts named. Someone who must use it and has
//! not turned it on yet begins it with their password before signing in,
//! and the first code they type both confirms it and signs them in.

use std::net::IpAddr;

use time::OffsetDateTime;

use domain::authority::Grant;
use domain::code::Code;
use domain::totp as rules;
use store::Audit;

use crate::{now, App, AppError, Result, User};

/// `[security]` in `mudurluk.toml`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecuritySettings {
    /// Administrators must sign in with a second factor.
    pub totp_for_administrators: bool,
    /// The posts (profile position ids, e.g. `mudur`) whose holders must.
    pub totp_for_positions: Vec<String>,
    /// A session unused this many minutes is over (the guide's 3.1.12.6,
    /// "İşlem Yapılmayan Oturumların Sonlandırılması"); 0 turns the idle
    /// timeout off, leaving the session's fixed life. Default 30.
    pub session_idle_minutes: u32,
    /// Months between periodic access reviews (default 6).
    pub access_review_months: u32,
    /// The working group that is the incident response team (SOME): the
    /// active group whose name contains this (default "SOME").
    pub some_group: String,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        SecuritySettings {
            totp_for_administrators: false,
            totp_for_positions: Vec::new(),
            session_idle_minutes: 30,
            access_review_months: 6,
            some_group: "SOME".to_owned(),
        }
    }
}

/// The second factor typed at sign-in.
#[derive(Debug, Clone)]
pub enum SecondFactor {
    /// Six digits from the authenticator app.
    Code(String),
    /// One of the recovery codes.
    Recovery(String),
}

/// What a sign-in spends of the second factor, in its transaction.
#[derive(Debug, Clone)]
pub enum Factor {
    None,
    /// An app's code: its step becomes the last used.
    Step(i64),
    /// A recovery code, by its digest.
    Recovery(String),
    /// The first code of a secret begun before signing in: it is
    /// confirmed, with these recovery codes (shown once).
    Confirm {
        step: i64,
        codes: Vec<String>,
    },
}

impl Factor {
    pub(crate) async fn spend(&self, w: &mut store::Write, user: i64) -> Result<()> {
        match self {
            Factor::None => Ok(()),
            Factor::Step(step) => {
                if store::totp::used_step(w, user, *step).await? {
                    Ok(())
                } else {
                    Err(AppError::Conflict(Code::TotpUsed))
                }
            }
            Factor::Recovery(digest) => {
                if store::totp::use_recovery(w, user, digest).await? {
                    Ok(())
                } else {
                    Err(AppError::Conflict(Code::TotpInvalid))
                }
            }
            Factor::Confirm { step, codes } => {
                let digests: Vec<String> =
                    codes.iter().map(|c| rules::recovery_digest(c)).collect();
                store::totp::confirm(w, user, *step, &digests).await?;
                Ok(())
            }
        }
    }

    /// What the audit records of the sign-in's second factor.
    pub(crate) fn kind(&self) -> Option<&'static str> {
        match self {
            Factor::None => None,
            Factor::Step(_) => Some("totp"),
            Factor::Recovery(_) => Some("recovery_code"),
            Factor::Confirm { .. } => Some("totp_enrolled"),
        }
    }

    pub(crate) fn recovery_codes(&self) -> Vec<String> {
        match self {
            Factor::Confirm { codes, .. } => codes.clone(),
            _ => Vec::new(),
        }
    }
}

/// A secret begun: what the authenticator app reads.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TotpEnrolment {
    /// Base32, to type into the app by hand.
    pub secret: String,
    /// The `otpauth://` link the QR code carries.
    pub otpauth_uri: String,
    /// The QR code as SVG.
    pub qr_svg: String,
}

/// The recovery codes, shown once.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// Where one stands with the second factor.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TotpStatus {
    /// Codes are asked at sign-in.
    pub enabled: bool,
    /// The settings make it compulsory for this person.
    pub required: bool,
    /// A secret is begun and waits for its first code.
    pub pending: bool,
    /// Recovery codes not used yet.
    pub recovery_left: i64,
}

/// The QR code of `data` as an SVG drawing (dark modules as one path,
/// four modules of quiet zone).
pub fn qr_svg(data: &str) -> String {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M) else {
        return String::new();
    };
    let n = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for row in 0..n {
        for col in 0..n {
            if colors[row * n + col] == qrcode::Color::Dark {
                path.push_str(&format!("M{},{}h1v1h-1z", col + 4, row + 4));
            }
        }
    }
    let size = n + 8;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"240\" height=\"240\" shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    )
}

fn code_refusal(r: rules::CodeRefusal) -> AppError {
    match r {
        rules::CodeRefusal::Wrong => AppError::Conflict(Code::TotpInvalid),
        rules::CodeRefusal::Used => AppError::Conflict(Code::TotpUsed),
    }
}

fn unix(at: OffsetDateTime) -> u64 {
    u64::try_from(at.unix_timestamp()).unwrap_or(0)
}

fn stored_secret(t: &store::totp::Totp) -> Result<Vec<u8>> {
    rules::decode(&t.secret)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a stored TOTP secret does not decode")))
}

impl App {
    /// Whether the settings make a second factor compulsory for `user`:
    /// an administrator, or the holder of a post named.
    pub async fn totp_required(&self, user: &User) -> Result<bool> {
        if user.is_admin && self.security.totp_for_administrators {
            return Ok(true);
        }
        if self.security.totp_for_positions.is_empty() {
            return Ok(false);
        }
        let at = now();
        Ok(
            store::authority::holdings_of(&mut self.read().await?, user.id)
                .await?
                .into_iter()
                .any(|h| {
                    h.period.contains(at) && self.security.totp_for_positions.contains(&h.position)
                }),
        )
    }

    /// What a sign-in whose password was right still needs.
    pub(crate) async fn second_factor(
        &self,
        user: &User,
        second: Option<&SecondFactor>,
        at: OffsetDateTime,
    ) -> Result<Factor> {
        let stored = store::totp::get(&mut self.read().await?, user.id).await?;
        let confirmed = stored.as_ref().is_some_and(|t| t.confirmed_at.is_some());
        if !confirmed && !self.totp_required(user).await? {
            return Ok(Factor::None);
        }
        let Some(t) = stored else {
            return Err(AppError::Conflict(Code::TotpEnrolmentRequired));
        };
        let secret = stored_secret(&t)?;
        match (confirmed, second) {
            (true, None) => Err(AppError::Conflict(Code::TotpRequired)),
            (true, Some(SecondFactor::Code(code))) => {
                let last = t.last_step.and_then(|s| u64::try_from(s).ok());
                let step = rules::accept(&secret, code, unix(at), last).map_err(code_refusal)?;
                Ok(Factor::Step(step as i64))
            }
            (true, Some(SecondFactor::Recovery(code))) => {
                Ok(Factor::Recovery(rules::recovery_digest(code)))
            }
            // Begun before signing in, not confirmed: its first code.
            (false, Some(SecondFactor::Code(code))) => {
                let step = rules::accept(&secret, code, unix(at), None).map_err(code_refusal)?;
                Ok(Factor::Confirm {
                    step: step as i64,
                    codes: new_recovery_codes(),
                })
            }
            (false, _) => Err(AppError::Conflict(Code::TotpEnrolmentRequired)),
        }
    }

    /// Where `user` stands.
    pub async fn totp_status(&self, user: &User) -> Result<TotpStatus> {
        let mut c = self.read().await?;
        let t = store::totp::get(&mut c, user.id).await?;
        Ok(TotpStatus {
            enabled: t.as_ref().is_some_and(|t| t.confirmed_at.is_some()),
            pending: t.as_ref().is_some_and(|t| t.confirmed_at.is_none()),
            required: self.totp_required(user).await?,
            recovery_left: store::totp::recovery_left(&mut c, user.id).await?,
        })
    }

    /// Begins a secret for a signed-in person (an unconfirmed one is
    /// replaced); refused while one is on.
    pub async fn begin_totp(&self, user: &User) -> Result<TotpEnrolment> {
        let mut w = self.write().await?;
        if store::totp::get(&mut w, user.id)
            .await?
            .is_some_and(|t| t.confirmed_at.is_some())
        {
            return Err(AppError::Conflict(Code::TotpAlreadyOn));
        }
        let secret: [u8; rules::SECRET_BYTES] = rand::random();
        let b32 = rules::encode(&secret);
        store::totp::begin(&mut w, user.id, &b32).await?;
        // The secret itself is never written to the audit trail.
        w.commit(Audit::new(
            &Grant::own_account(user),
            "auth.totp_begun",
            format!("user:{}", user.username),
            serde_json::json!({}),
        ))
        .await?;
        self.enrolment(user, &secret).await
    }

    /// The secret begun and not confirmed yet, to show its QR code again.
    pub async fn pending_totp(&self, user: &User) -> Result<Option<TotpEnrolment>> {
        let Some(t) = store::totp::get(&mut self.read().await?, user.id)
            .await?
            .filter(|t| t.confirmed_at.is_none())
        else {
            return Ok(None);
        };
        let secret = stored_secret(&t)?;
        Ok(Some(self.enrolment(user, &secret).await?))
    }

    async fn enrolment(&self, user: &User, secret: &[u8]) -> Result<TotpEnrolment> {
        let issuer = self.settings().await?.institution_name;
        let issuer = if issuer.trim().is_empty() {
            "Mudurluk".to_owned()
        } else {
            format!("{issuer} Mudurluk")
        };
        let uri = rules::otpauth_uri(&issuer, &user.username, secret);
        Ok(TotpEnrolment {
            secret: rules::encode(secret),
            qr_svg: qr_svg(&uri),
            otpauth_uri: uri,
        })
    }

    /// Begins a secret before signing in, for one who must use a second
    /// factor and has none yet: the password, checked under the throttle
    /// as a sign-in is.
    pub async fn begin_totp_before_sign_in(
        &self,
        username: &str,
        password: &str,
        from: IpAddr,
    ) -> Result<TotpEnrolment> {
        let (user, _, _) = self.check_password(username, password, from).await?;
        if !self.totp_required(&user).await? {
            return Err(AppError::Conflict(Code::TotpNotRequired));
        }
        self.begin_totp(&user).await
    }

    /// The first code of a begun secret turns the second factor on: the
    /// recovery codes come back once.
    pub async fn confirm_totp(&self, user: &User, code: &str) -> Result<RecoveryCodes> {
        let mut w = self.write().await?;
        let t = store::totp::get(&mut w, user.id)
            .await?
            .ok_or(AppError::Conflict(Code::TotpNotBegun))?;
        if t.confirmed_at.is_some() {
            return Err(AppError::Conflict(Code::TotpAlreadyOn));
        }
        let secret = stored_secret(&t)?;
        let step = rules::accept(&secret, code, unix(w.at()), None)
            .map_err(|_| AppError::invalid("code", Code::TotpInvalid))?;
        let codes = new_recovery_codes();
        let digests: Vec<String> = codes.iter().map(|c| rules::recovery_digest(c)).collect();
        store::totp::confirm(&mut w, user.id, step as i64, &digests).await?;
        w.commit(Audit::new(
            &Grant::own_account(user),
            "auth.totp_enabled",
            format!("user:{}", user.username),
            serde_json::json!({"recovery_codes": codes.len()}),
        ))
        .await?;
        Ok(RecoveryCodes {
            recovery_codes: codes,
        })
    }

    /// Turns the second factor off, with a current code; refused where the
    /// settings make it compulsory.
    pub async fn disable_totp(&self, user: &User, code: &str) -> Result<TotpStatus> {
        if self.totp_required(user).await? {
            return Err(AppError::Conflict(Code::TotpCompulsory));
        }
        let mut w = self.write().await?;
        let t = store::totp::get(&mut w, user.id)
            .await?
            .filter(|t| t.confirmed_at.is_some())
            .ok_or(AppError::Conflict(Code::TotpNotBegun))?;
        let secret = stored_secret(&t)?;
        let last = t.last_step.and_then(|s| u64::try_from(s).ok());
        rules::accept(&secret, code, unix(w.at()), last).map_err(|r| match r {
            rules::CodeRefusal::Wrong => AppError::invalid("code", Code::TotpInvalid),
            rules::CodeRefusal::Used => AppError::invalid("code", Code::TotpUsed),
        })?;
        store::totp::remove(&mut w, user.id).await?;
        w.commit(Audit::new(
            &Grant::own_account(user),
            "auth.totp_disabled",
            format!("user:{}", user.username),
            serde_json::json!({}),
        ))
        .await?;
        self.totp_status(user).await
    }
}

fn new_recovery_codes() -> Vec<String> {
    (0..rules::RECOVERY_CODES)
        .map(|_| rules::recovery_code(rand::random()))
        .collect()
}
