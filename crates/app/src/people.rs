//! People, the organisation and authority: staff records, the org chart,
//! "my authorities", delegations (m.10/4), deputyships (m.12/2), personal
//! API tokens and the audit page.
//!
//! Every refusal for want of an authority is `AppError::Forbidden` naming
//! it; the checks that depend on who holds what run inside the store's
//! transaction (see `store::people`).

use domain::authority::{self, Basis, Period};
use domain::profile::{Authority, Position, Unit};
use domain::tckn::TcKimlikNo;
use store::people::{ApiToken, AuditFilter, DelegationRow, DeputyshipRow, NewStaff, Staff};
use store::{AuditEntry, User};
use time::{Date, OffsetDateTime};

use crate::{new_token, token_hash, App, AppError, Result};

/// An authority the user holds now, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HeldAuthority {
    pub authority: String,
    pub name: String,
    pub article: String,
    pub basis: Basis,
}

/// One box of the organisation chart: a position with its current
/// holders and whoever stands in for them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChartPosition {
    pub position: Position,
    pub holders: Vec<ChartPerson>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ChartPerson {
    pub staff_id: i64,
    pub full_name: String,
    pub username: Option<String>,
    /// Live deputyships in which this person is stood in for: deputy's
    /// name and the approval reference.
    pub deputised_by: Vec<(String, String)>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ChartUnit {
    pub unit: Unit,
    pub depth: usize,
    pub positions: Vec<ChartPosition>,
}

/// The organisation chart drawn from the profile, with the people who hold
/// each position today and the standing deputyships and delegations.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrgChart {
    pub units: Vec<ChartUnit>,
    pub deputyships: Vec<DeputyshipRow>,
    pub delegations: Vec<DelegationRow>,
}

/// A person as shown to a reader: the TC number masked unless the reader
/// may see it (themself, an administrator, the disciplinary superior).
#[derive(Debug, Clone, serde::Serialize)]
pub struct StaffView {
    #[serde(flatten)]
    pub staff: Staff,
    pub tckn_masked: bool,
}

/// Input of a delegation or deputyship, as typed or posted.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct DelegationInput {
    /// Username of the person receiving the authority.
    pub to: String,
    /// The authority's id in the profile, e.g. `route_incoming`.
    pub authority: String,
    /// RFC 3339 instant.
    pub from: String,
    /// RFC 3339 instant (exclusive).
    pub until: String,
    /// Reference of the approving document.
    pub approval_ref: String,
}

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

/// Input of a new account, with an optional staff record.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct AccountInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    #[serde(default)]
    pub is_admin: bool,
    /// Staff record: left empty for an account without one.
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub tckn: String,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub phone_ext: String,
    #[serde(default)]
    pub email: String,
}

/// Parses an RFC 3339 instant, or a `datetime-local` value from a form
/// (read as Türkiye time).
pub fn parse_instant(field: &'static str, s: &str) -> Result<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if s.is_empty() {
        return Err(AppError::invalid(field, "required"));
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t);
    }
    let local = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    time::PrimitiveDateTime::parse(s, &local)
        .map(|p| p.assume_offset(time::macros::offset!(+3)))
        .map_err(|_| AppError::invalid(field, "bad_instant"))
}

fn parse_date(field: &'static str, s: &str) -> Result<Date> {
    Date::parse(s.trim(), time::macros::format_description!("[year]-[month]-[day]")).map_err(|_| AppError::invalid(field, "bad_date"))
}

fn approval_ref(s: &str) -> Result<String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(AppError::invalid("approval_ref", "required"));
    }
    if s.chars().count() > 200 {
        return Err(AppError::invalid("approval_ref", "too_long"));
    }
    Ok(s.to_owned())
}

fn period(from: &str, until: &str) -> Result<Period> {
    let p = Period { from: parse_instant("from", from)?, until: parse_instant("until", until)? };
    if p.until <= p.from {
        return Err(AppError::invalid("until", "period_empty"));
    }
    Ok(p)
}

impl App {
    async fn user_named(&self, field: &'static str, username: &str) -> Result<User> {
        let name = username.trim();
        if name.is_empty() {
            return Err(AppError::invalid(field, "required"));
        }
        self.store.find_user(name).await?.ok_or(AppError::invalid(field, "unknown_user"))
    }

    /// Whether `user` holds `authority` now (for showing or hiding a form;
    /// the use-case itself decides again inside its transaction).
    pub async fn holds(&self, user: &User, authority: &str) -> Result<bool> {
        let facts = self.store.facts(user.id).await?;
        Ok(authority::authorize(&self.profile, &facts, user.id, authority, OffsetDateTime::now_utc()).allowed())
    }

    /// Every authority `user` holds now, with its basis, in profile order.
    pub async fn my_authorities(&self, user: &User) -> Result<Vec<HeldAuthority>> {
        let facts = self.store.facts(user.id).await?;
        Ok(authority::authorities_of(&self.profile, &facts, user.id, OffsetDateTime::now_utc())
            .into_iter()
            .map(|(a, basis): (&Authority, Basis)| HeldAuthority {
                authority: a.id.clone(),
                name: a.name.clone(),
                article: a.article.clone(),
                basis,
            })
            .collect())
    }

    pub async fn org_chart(&self) -> Result<OrgChart> {
        let now = OffsetDateTime::now_utc();
        let staff = self.store.staff_list().await?;
        let deputyships: Vec<DeputyshipRow> = self
            .store
            .deputyships()
            .await?
            .into_iter()
            .filter(|d| d.deputyship.period.until > now && d.deputyship.revoked_at.is_none())
            .collect();
        let delegations: Vec<DelegationRow> = self
            .store
            .delegations()
            .await?
            .into_iter()
            .filter(|d| d.delegation.period.until > now && d.delegation.revoked_at.is_none())
            .collect();
        let mut units = Vec::new();
        let mut stack: Vec<(&Unit, usize)> = self.profile.units().iter().filter(|u| u.parent.is_none()).map(|u| (u, 0)).collect();
        while let Some((u, depth)) = stack.pop() {
            let positions = self
                .profile
                .positions()
                .iter()
                .filter(|p| p.unit == u.id)
                .map(|p| ChartPosition {
                    position: p.clone(),
                    holders: staff
                        .iter()
                        .filter(|s| s.current(now).any(|a| a.position == p.id))
                        .map(|s| ChartPerson {
                            staff_id: s.id,
                            full_name: s.full_name.clone(),
                            username: s.username.clone(),
                            deputised_by: deputyships
                                .iter()
                                .filter(|d| Some(d.deputyship.for_user) == s.user_id && d.deputyship.period.contains(now))
                                .map(|d| (d.deputy_username.clone(), d.deputyship.approval_ref.clone()))
                                .collect(),
                        })
                        .collect(),
                })
                .collect();
            units.push(ChartUnit { unit: u.clone(), depth, positions });
            let mut children: Vec<&Unit> = self.profile.children(&u.id).collect();
            children.reverse();
            stack.extend(children.into_iter().map(|c| (c, depth + 1)));
        }
        Ok(OrgChart { units, deputyships, delegations })
    }

    /// The staff directory (names, positions, extensions; the TC number
    /// is left out of the list).
    pub async fn people(&self, _reader: &User) -> Result<Vec<Staff>> {
        let mut list = self.store.staff_list().await?;
        for s in &mut list {
            s.tckn = None;
        }
        Ok(list)
    }

    /// One staff record. The read is audited; the TC number is shown to
    /// the person themself, an administrator, or the holder of
    /// `discipline` (the disciplinary superior, m.9/4), masked to others.
    pub async fn person(&self, reader: &User, staff_id: i64) -> Result<StaffView> {
        let mut staff = self.store.staff_read(reader, staff_id).await?;
        let full = reader.is_admin || staff.user_id == Some(reader.id) || self.holds(reader, "discipline").await?;
        if !full {
            staff.tckn = staff.tckn.as_deref().and_then(|t| TcKimlikNo::parse(t).ok()).map(|t| t.masked());
        }
        Ok(StaffView { staff, tckn_masked: !full })
    }

    /// An administrator creates an account, with a staff record when a
    /// position is given.
    pub async fn create_account(&self, actor: &User, input: &AccountInput) -> Result<User> {
        use domain::account::{DisplayName, NewPassword, Username};
        if !actor.is_admin {
            return Err(AppError::forbidden("administrator"));
        }
        let username = Username::parse(&input.username).map_err(crate::setup::account_error)?;
        let display = DisplayName::parse(&input.display_name).map_err(crate::setup::account_error)?;
        let password = NewPassword::parse(&input.password).map_err(crate::setup::account_error)?;
        let staff = if input.position.trim().is_empty() {
            None
        } else {
            let position = input.position.trim();
            if self.profile.position(position).is_none() {
                return Err(AppError::invalid("position", "unknown_position"));
            }
            let kind = input.kind.trim();
            if !self.profile.staff_kinds().iter().any(|k| k.id == kind) {
                return Err(AppError::invalid("kind", "unknown_staff_kind"));
            }
            let tckn = match input.tckn.trim() {
                "" => None,
                t => Some(TcKimlikNo::parse(t).map_err(|_| AppError::invalid("tckn", "bad_tckn"))?.as_str().to_owned()),
            };
            let email = input.email.trim();
            if !email.is_empty() && !(email.contains('@') && !email.starts_with('@') && !email.ends_with('@')) {
                return Err(AppError::invalid("email", "bad_email"));
            }
            let phone = input.phone_ext.trim();
            if phone.chars().count() > 16 || !phone.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-' || c == '+') {
                return Err(AppError::invalid("phone_ext", "bad_phone"));
            }
            Some(NewStaff {
                user_id: None,
                full_name: display.as_str().to_owned(),
                tckn,
                kind: kind.to_owned(),
                phone_ext: phone.to_owned(),
                email: email.to_owned(),
                position: position.to_owned(),
                start_date: parse_date("start_date", &input.start_date)?,
                end_date: None,
            })
        };
        let hash = crate::setup::hash_password(password).await?;
        let u = store::NewUser { username: username.as_str().to_owned(), display_name: display.as_str().to_owned(), password_hash: hash, is_admin: input.is_admin };
        Ok(self.store.create_account(actor, u, staff).await?)
    }

    /// `actor` delegates one of their authorities (m.10/4).
    pub async fn create_delegation(&self, actor: &User, input: &DelegationInput) -> Result<i64> {
        let a = self.profile.authority(input.authority.trim()).ok_or(AppError::invalid("authority", "unknown_authority"))?;
        if !a.delegable {
            return Err(AppError::invalid("authority", "not_delegable"));
        }
        let to = self.user_named("to", &input.to).await?;
        if to.id == actor.id {
            return Err(AppError::invalid("to", "delegate_to_self"));
        }
        let p = period(&input.from, &input.until)?;
        let r = approval_ref(&input.approval_ref)?;
        Ok(self.store.create_delegation(&self.profile, actor, &to, &a.id, p, &r, OffsetDateTime::now_utc()).await?)
    }

    pub async fn revoke_delegation(&self, actor: &User, id: i64) -> Result<()> {
        Ok(self.store.revoke_delegation(actor, id, OffsetDateTime::now_utc()).await?)
    }

    pub async fn delegations(&self) -> Result<Vec<DelegationRow>> {
        Ok(self.store.delegations().await?)
    }

    /// Records a deputyship for the Müdür's absence (m.12/2).
    pub async fn create_deputyship(&self, actor: &User, input: &DeputyshipInput) -> Result<i64> {
        let deputy = self.user_named("deputy", &input.deputy).await?;
        let for_user = self.user_named("for", &input.for_user).await?;
        if deputy.id == for_user.id {
            return Err(AppError::invalid("deputy", "deputy_is_self"));
        }
        let p = period(&input.from, &input.until)?;
        let r = approval_ref(&input.approval_ref)?;
        Ok(self.store.create_deputyship(&self.profile, actor, &deputy, &for_user, p, &r, OffsetDateTime::now_utc()).await?)
    }

    pub async fn revoke_deputyship(&self, actor: &User, id: i64) -> Result<()> {
        Ok(self.store.revoke_deputyship(&self.profile, actor, id, OffsetDateTime::now_utc()).await?)
    }

    pub async fn deputyships(&self) -> Result<Vec<DeputyshipRow>> {
        Ok(self.store.deputyships().await?)
    }

    /// A new personal API token; the token is returned this once and only
    /// its hash is kept.
    pub async fn create_api_token(&self, user: &User, name: &str) -> Result<(i64, String)> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::invalid("name", "required"));
        }
        if name.chars().count() > 80 {
            return Err(AppError::invalid("name", "too_long"));
        }
        let token = format!("mdr_{}", new_token());
        let id = self.store.create_api_token(user, name, &token_hash(&token)).await?;
        Ok((id, token))
    }

    pub async fn api_tokens(&self, user: &User) -> Result<Vec<ApiToken>> {
        Ok(self.store.api_tokens(user).await?)
    }

    pub async fn revoke_api_token(&self, user: &User, id: i64) -> Result<()> {
        Ok(self.store.revoke_api_token(user, id).await?)
    }

    /// The audit trail, filtered; for the holder of `view_audit_trail`
    /// (the Müdür, m.11) and administrators.
    pub async fn audit_search(&self, actor: &User, filter: AuditFilter) -> Result<Vec<AuditEntry>> {
        if !actor.is_admin && !self.holds(actor, "view_audit_trail").await? {
            return Err(AppError::forbidden("view_audit_trail"));
        }
        if !(1..=500).contains(&filter.limit) {
            return Err(AppError::invalid("limit", "out_of_range"));
        }
        if let (Some(f), Some(u)) = (filter.from, filter.until) {
            if u <= f {
                return Err(AppError::invalid("until", "period_empty"));
            }
        }
        Ok(self.store.search_audit(&filter).await?)
    }
}
