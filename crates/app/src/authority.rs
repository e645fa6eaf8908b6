//! Authority in use: "my authorities", delegations (m.10/4) and
//! deputyships (m.12/2). Every decision is the authority engine's, taken
//! inside the write that records it.

use domain::authority::{self, Authority, Basis, Grant, Period};
use domain::code::Code;
use domain::profile::AuthorityDef;
use store::Audit;

use crate::input::{instant, text};
use crate::{now, App, AppError, Result, User};

pub use store::authority::{DelegationRow, DeputyshipRow};

/// An authority the user holds now, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HeldAuthority {
    pub authority: String,
    pub name: String,
    pub article: String,
    pub basis: Basis,
}

/// Input of a delegation, as typed or posted.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct DelegationInput {
    /// Username of the person receiving the authority (a subordinate).
    pub to: String,
    /// The authority's id in the profile, e.g. `route_incoming`.
    pub authority: String,
    /// RFC 3339 instant, or a form's `YYYY-MM-DDTHH:MM` in Türkiye time.
    pub from: String,
    /// RFC 3339 instant (exclusive).
    pub until: String,
    /// Reference of the approving document.
    pub approval_ref: String,
}

/// Input of a deputyship, as typed or posted.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct DeputyshipInput {
    /// Username of the deputy (a Şef, m.12/2).
    pub deputy: String,
    /// Username of the person stood in for (the Müdür).
    #[serde(rename = "for")]
    pub for_user: String,
    pub from: String,
    pub until: String,
    /// Reference of the Mayor's approval (olur).
    pub approval_ref: String,
}

fn period(from: &str, until: &str) -> Result<Period> {
    let p = Period {
        from: instant("from", from)?,
        until: instant("until", until)?,
    };
    if p.until <= p.from {
        return Err(AppError::invalid("until", Code::PeriodEmpty));
    }
    Ok(p)
}

fn approval_ref(s: &str) -> Result<String> {
    text("approval_ref", s, 200, true)
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl App {
    pub(crate) async fn user_named(&self, field: &'static str, username: &str) -> Result<User> {
        let name = username.trim();
        if name.is_empty() {
            return Err(AppError::invalid(field, Code::Required));
        }
        store::accounts::user_by_name(&mut self.read().await?, name)
            .await?
            .ok_or(AppError::invalid(field, Code::UnknownUser))
    }

    /// Every authority `user` holds now, with its basis, in profile order.
    pub async fn my_authorities(&self, user: &User) -> Result<Vec<HeldAuthority>> {
        let facts = self.facts(&mut self.read().await?, user.id).await?;
        Ok(
            authority::authorities_of(&self.profile, &facts, user.id, now())
                .into_iter()
                .map(|(a, basis): (&AuthorityDef, Basis)| HeldAuthority {
                    authority: a.id.clone(),
                    name: a.name.clone(),
                    article: a.article.clone(),
                    basis,
                })
                .collect(),
        )
    }

    /// `actor` delegates one of his authorities to a subordinate (m.10/4);
    /// decided by `domain::authority::may_delegate` inside the write.
    pub async fn create_delegation(&self, actor: &User, input: &DelegationInput) -> Result<i64> {
        let a = self
            .profile
            .authority(input.authority.trim())
            .ok_or(AppError::invalid("authority", Code::UnknownAuthority))?;
        if !a.delegable {
            return Err(AppError::invalid("authority", Code::NotDelegable));
        }
        let to = self.user_named("to", &input.to).await?;
        if to.id == actor.id {
            return Err(AppError::invalid("to", Code::DelegateToSelf));
        }
        let p = period(&input.from, &input.until)?;
        let r = approval_ref(&input.approval_ref)?;
        let mut w = self.write().await?;
        let at = w.at();
        let mut facts = self.facts(&mut w, actor.id).await?;
        store::authority::add_holdings(&mut w, &mut facts, &[to.id]).await?;
        // The delegator holds it by position (the basis is his position).
        let held = authority::grant_id(&self.profile, &facts, actor, &a.id, at)?;
        if !matches!(held.authority_basis(), Some(Basis::Position { .. })) {
            return Err(AppError::forbidden(a.id.clone()));
        }
        use authority::DelegationError as E;
        authority::may_delegate(&self.profile, &facts, actor.id, to.id, &a.id, p, at).map_err(
            |e| match e {
                E::NotHeld(missing) => AppError::forbidden(missing),
                E::NoDelegationPower => AppError::forbidden(Authority::DelegateAuthority.id()),
                E::NotSubordinate => AppError::invalid("to", Code::NotSubordinate),
                E::RecipientCannotHold(_) => AppError::invalid("to", Code::RecipientCannotHold),
                E::SignatureNeedsSigner(_) => AppError::invalid("to", Code::SignatureNeedsMemur),
                E::UnknownAuthority(_) => AppError::invalid("authority", Code::UnknownAuthority),
                E::NotDelegable(_) => AppError::invalid("authority", Code::NotDelegable),
                E::EmptyPeriod => AppError::invalid("until", Code::PeriodEmpty),
                E::ToSelf => AppError::invalid("to", Code::DelegateToSelf),
            },
        )?;
        let id = store::authority::insert_delegation(&mut w, actor.id, to.id, &a.id, p, &r).await?;
        let audit = Audit::new(
            &held,
            "delegation.created",
            format!("delegation:{id}"),
            serde_json::json!({"after": {"from": actor.username, "to": to.username, "authority": a.id, "period": p, "approval_ref": r}}),
        )
        .with_basis_prefix(a.delegation_article());
        w.commit(audit).await?;
        Ok(id)
    }

    /// Revokes a delegation from now on: its giver, or an administrator.
    pub async fn revoke_delegation(&self, actor: &User, id: i64) -> Result<()> {
        let mut w = self.write().await?;
        let d = store::authority::delegation(&mut w, id).await?;
        let grant = if d.delegation.from_user == actor.id {
            Grant::own_account(actor)
        } else {
            Grant::administrator(actor)
                .map_err(|_| AppError::forbidden(d.delegation.authority.clone()))?
        };
        if d.delegation.revoked_at.is_some() {
            return Err(AppError::Conflict(Code::AlreadyRevoked));
        }
        let at = store::authority::revoke_delegation(&mut w, id, actor.id).await?;
        let audit = Audit::new(&grant, "delegation.revoked", format!("delegation:{id}"), serde_json::json!({"before": {"revoked_at": null}, "after": {"revoked_at": rfc3339(at)}}))
            .with_basis_prefix(authority::DELEGATION_ARTICLE);
        w.commit(audit).await?;
        Ok(())
    }

    pub async fn delegations(&self) -> Result<Vec<DelegationRow>> {
        Ok(store::authority::delegations(&mut self.read().await?).await?)
    }

    /// The basis of an act on deputyships: the holder of
    /// `approve_deputyship` (the Mayor), or an administrator registering
    /// his approval.
    async fn deputyship_grant(&self, w: &mut store::Write, actor: &User) -> Result<Grant> {
        match self.grant(w, actor, Authority::ApproveDeputyship).await {
            Ok(g) => Ok(g),
            Err(AppError::Forbidden { missing }) => {
                Grant::administrator(actor).map_err(|_| AppError::Forbidden { missing })
            }
            Err(e) => Err(e),
        }
    }

    /// Records a deputyship for the Müdür's absence (m.12/2): the deputy
    /// must hold a position eligible to stand in for the position the
    /// other holds, when it starts; two live deputyships for one person
    /// may not overlap.
    pub async fn create_deputyship(&self, actor: &User, input: &DeputyshipInput) -> Result<i64> {
        let deputy = self.user_named("deputy", &input.deputy).await?;
        let for_user = self.user_named("for", &input.for_user).await?;
        if deputy.id == for_user.id {
            return Err(AppError::invalid("deputy", Code::DeputyIsSelf));
        }
        let p = period(&input.from, &input.until)?;
        let r = approval_ref(&input.approval_ref)?;
        let mut w = self.write().await?;
        let grant = self.deputyship_grant(&mut w, actor).await?;
        let when = p.from.max(w.at());
        let deputy_holds = store::authority::holdings_of(&mut w, deputy.id).await?;
        let for_holds = store::authority::holdings_of(&mut w, for_user.id).await?;
        let rule = self.profile.deputyships().iter().find(|r| {
            for_holds
                .iter()
                .any(|h| h.period.contains(when) && h.position == r.for_position)
        });
        let Some(rule) = rule else {
            return Err(AppError::Conflict(Code::NotDeputisable));
        };
        if !deputy_holds
            .iter()
            .any(|h| h.period.contains(when) && rule.eligible.contains(&h.position))
        {
            return Err(AppError::Conflict(Code::DeputyNotEligible));
        }
        for d in store::authority::deputyships_for(&mut w, for_user.id).await? {
            let end = d
                .revoked_at
                .map_or(d.period.until, |v| v.min(d.period.until));
            if d.period.from < p.until && p.from < end {
                return Err(AppError::Conflict(Code::OverlappingDeputyship));
            }
        }
        let id =
            store::authority::insert_deputyship(&mut w, deputy.id, for_user.id, p, &r, actor.id)
                .await?;
        let audit = Audit::new(
            &grant,
            "deputyship.created",
            format!("deputyship:{id}"),
            serde_json::json!({"after": {"deputy": deputy.username, "for": for_user.username, "period": p, "approval_ref": r, "article": rule.article}}),
        );
        w.commit(audit).await?;
        Ok(id)
    }

    /// Revokes a deputyship from now on: an administrator or the holder of
    /// `approve_deputyship`.
    pub async fn revoke_deputyship(&self, actor: &User, id: i64) -> Result<()> {
        let mut w = self.write().await?;
        let grant = self.deputyship_grant(&mut w, actor).await?;
        let d = store::authority::deputyship(&mut w, id).await?;
        if d.deputyship.revoked_at.is_some() {
            return Err(AppError::Conflict(Code::AlreadyRevoked));
        }
        let at = store::authority::revoke_deputyship(&mut w, id, actor.id).await?;
        w.commit(Audit::new(&grant, "deputyship.revoked", format!("deputyship:{id}"), serde_json::json!({"before": {"revoked_at": null}, "after": {"revoked_at": rfc3339(at)}})))
            .await?;
        Ok(())
    }

    pub async fn deputyships(&self) -> Result<Vec<DeputyshipRow>> {
        Ok(store::authority::deputyships(&mut self.read().await?).await?)
    }
}
