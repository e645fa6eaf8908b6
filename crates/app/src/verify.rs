//! Belge doğrulama (issue 17 §4): anyone holding a signed letter's printed
//! copy checks it on a public page with the code in its footer
//! (`/dogrula?kod=`, `GET /api/v1/verify/{code}`), without signing in.
//! A restricted letter (Gizli, Çok Gizli, old Özel) shows only that a
//! document of that number exists; one carrying personal data shows what
//! it is but not its text. A code that answers nothing gets the same "not
//! found" as any other, and wrong tries are counted against the address
//! (the sign-in throttle's per-address policy) and audited.

use std::net::IpAddr;

use time::OffsetDateTime;

use domain::authority::{Grant, SystemTask};
use domain::correspondence::Confidentiality;
use domain::throttle;
use store::Audit;

use crate::{App, AppError, Result};

/// What the verification page shows.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct VerifiedDocument {
    /// The letter's number (sayı).
    pub number: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub signed_at: OffsetDateTime,
    /// The administration and unit that sent it.
    pub sender: String,
    /// Only the number and date are shown: the letter is classified.
    pub restricted: bool,
    /// The subject, unless restricted.
    pub subject: Option<String>,
    /// Who signed it and as what, unless restricted.
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    /// How many e-imza signature files are kept for it.
    pub esignatures: i64,
    /// SHA-256 of the content as signed, unless restricted.
    pub content_sha256: Option<String>,
    /// Its PDF may be had from the page (not for a restricted letter or
    /// one carrying personal data).
    pub pdf: bool,
}

impl App {
    /// The signed letter a verification code answers, as the public sees
    /// it; `NotFound` for anything else, and a wrong try counted.
    pub async fn verify_document(
        &self,
        code: &str,
        from: IpAddr,
    ) -> Result<(i64, VerifiedDocument)> {
        let key = format!("verify:{from}");
        let now = OffsetDateTime::now_utc();
        let mut c = self.read().await?;
        let state = store::accounts::throttle_state(&mut c, std::slice::from_ref(&key)).await?;
        let failures = state.first().map(|(_, f)| *f);
        if let Some(wait) = throttle::must_wait(throttle::PER_ADDRESS, failures, now) {
            return Err(AppError::Throttled {
                wait_secs: wait.whole_seconds().max(1),
            });
        }
        let found = match domain::outgoing::normalise_code(code) {
            Some(code) => store::outgoing::by_verification_code(&mut c, &code).await?,
            None => None,
        };
        let Some(id) = found else {
            drop(c);
            let mut w = self.write().await?;
            store::accounts::throttle_failed(
                &mut w,
                &[(key, throttle::current(failures, now) + 1)],
            )
            .await?;
            w.commit(Audit::new(
                &Grant::system(SystemTask::DocumentVerification),
                "document.verify_failed",
                "verify".to_owned(),
                serde_json::json!({"address": from.to_string()}),
            ))
            .await?;
            return Err(AppError::NotFound);
        };
        let l = store::outgoing::get(&mut c, id).await?;
        let esignatures = store::outgoing::signature_count(&mut c, id).await?;
        let restricted =
            Confidentiality::parse(&l.confidentiality).is_none_or(|c| c.is_restricted());
        let sender = l
            .heading
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "T.C.")
            .collect::<Vec<_>>()
            .join(" — ");
        let (Some(number), Some(signed_at)) = (l.number.clone(), l.signed_at) else {
            return Err(AppError::NotFound);
        };
        Ok((
            id,
            VerifiedDocument {
                number,
                signed_at,
                sender,
                restricted,
                subject: (!restricted).then(|| l.subject.clone()),
                signer_name: if restricted {
                    None
                } else {
                    l.signer_name.clone()
                },
                signer_title: if restricted {
                    None
                } else {
                    l.signer_title.clone()
                },
                esignatures,
                content_sha256: if restricted {
                    None
                } else {
                    l.content_sha256.clone()
                },
                pdf: !restricted && !l.personal_data,
            },
        ))
    }

    /// The verified letter's PDF, when the page may give it.
    pub async fn verified_pdf(
        &self,
        code: &str,
        from: IpAddr,
    ) -> Result<(VerifiedDocument, Vec<u8>)> {
        let (id, v) = self.verify_document(code, from).await?;
        if !v.pdf {
            return Err(AppError::NotFound);
        }
        let l = store::outgoing::get(&mut self.read().await?, id).await?;
        let unit = self
            .profile
            .unit(&l.unit)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        let post = self.signer_post(&l);
        let base = self.correspondence.public_url.clone().unwrap_or_default();
        let pdf = tokio::task::spawn_blocking(move || {
            crate::letter::render_for(&l, &unit, post.as_deref(), &base)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))?;
        Ok((v, pdf))
    }
}
