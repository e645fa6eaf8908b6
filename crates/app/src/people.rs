//! People and the organisation: the org chart, the staff directory, one
//! staff record (personal data: the read is audited, the TC number masked
//! unless the reader may see it), and accounts made by the administrator.

use domain::authority::{Authority, Grant};
use domain::code::Code;
use domain::profile::{Position, Unit};
use domain::tckn::TcKimlikNo;
use store::accounts::NewUser;
use store::authority::{DelegationRow, DeputyshipRow};
use store::staff::NewStaff;
use store::Audit;

use crate::{now, App, AppError, Result, User};

pub use store::staff::{Appointment, Staff};

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
    /// Live deputyships in which this person is stood in for: the deputy's
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
    /// For an account without a post: the unit (another directorate) it
    /// belongs to; its requests are seen by its unit.
    #[serde(default)]
    pub department: String,
}

impl App {
    pub async fn org_chart(&self) -> Result<OrgChart> {
        let now = now();
        let mut c = self.read().await?;
        let staff = store::staff::list(&mut c).await?;
        let deputyships: Vec<DeputyshipRow> = store::authority::deputyships(&mut c)
            .await?
            .into_iter()
            .filter(|d| d.deputyship.period.until > now && d.deputyship.revoked_at.is_none())
            .collect();
        let delegations: Vec<DelegationRow> = store::authority::delegations(&mut c)
            .await?
            .into_iter()
            .filter(|d| d.delegation.period.until > now && d.delegation.revoked_at.is_none())
            .collect();
        let mut units = Vec::new();
        let mut stack: Vec<(&Unit, usize)> = self
            .profile
            .units()
            .iter()
            .filter(|u| u.parent.is_none())
            .map(|u| (u, 0))
            .collect();
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
                                .filter(|d| {
                                    Some(d.deputyship.for_user) == s.user_id
                                        && d.deputyship.period.contains(now)
                                })
                                .map(|d| (d.deputy_name.clone(), d.deputyship.approval_ref.clone()))
                                .collect(),
                        })
                        .collect(),
                })
                .collect();
            units.push(ChartUnit {
                unit: u.clone(),
                depth,
                positions,
            });
            let mut children: Vec<&Unit> = self.profile.children(&u.id).collect();
            children.reverse();
            stack.extend(children.into_iter().map(|c| (c, depth + 1)));
        }
        Ok(OrgChart {
            units,
            deputyships,
            delegations,
        })
    }

    /// The staff directory (names, positions, extensions; the TC number is
    /// left out of the list).
    pub async fn people(&self, reader: &User) -> Result<Vec<Staff>> {
        self.may_read_shared(reader).await?;
        let mut list = store::staff::list(&mut self.read().await?).await?;
        for s in &mut list {
            s.tckn = None;
        }
        Ok(list)
    }

    /// One staff record. The read is audited (KVKK m.12) in the same
    /// transaction that reads it; the TC number is shown to the person
    /// themself, an administrator, or the holder of `discipline` (the
    /// disciplinary superior, m.9/4), masked to others.
    pub async fn person(&self, reader: &User, staff_id: i64) -> Result<StaffView> {
        let mut w = self.write().await?;
        let mut staff = store::staff::get(&mut w, staff_id).await?;
        let full = reader.is_admin
            || staff.user_id == Some(reader.id)
            || self
                .grant(&mut w, reader, Authority::Discipline)
                .await
                .is_ok();
        w.commit(Audit::new(
            &Grant::access_log(reader),
            "staff.viewed",
            format!("staff:{staff_id}"),
            serde_json::json!({"fields": ["tckn", "phone_ext", "email"]}),
        ))
        .await?;
        if !full {
            staff.tckn = staff
                .tckn
                .as_deref()
                .and_then(|t| TcKimlikNo::parse(t).ok())
                .map(|t| t.masked());
        }
        Ok(StaffView {
            staff,
            tckn_masked: !full,
        })
    }

    /// An administrator creates an account, with a staff record when a
    /// position is given.
    pub async fn create_account(&self, actor: &User, input: &AccountInput) -> Result<User> {
        use domain::account::{DisplayName, NewPassword, Username};
        let grant = Grant::administrator(actor)?;
        let username = Username::parse(&input.username).map_err(crate::setup::account_error)?;
        let display =
            DisplayName::parse(&input.display_name).map_err(crate::setup::account_error)?;
        let password = NewPassword::parse(&input.password).map_err(crate::setup::account_error)?;
        let staff = if input.position.trim().is_empty() {
            None
        } else {
            let position = input.position.trim();
            if self.profile.position(position).is_none() {
                return Err(AppError::invalid("position", Code::UnknownPosition));
            }
            let kind = input.kind.trim();
            let Some(staff_kind) = self.profile.staff_kinds().iter().find(|k| k.id == kind) else {
                return Err(AppError::invalid("kind", Code::UnknownStaffKind));
            };
            // m.4: only a Memur has signature authority; a post that signs
            // letters (the Müdür's, the Mayor's) is not given to İşçi or
            // company staff, who could never sign in it (the engine holds
            // signature authorities only for staff who may sign).
            let signs = |a: &domain::profile::AuthorityDef| {
                a.id == Authority::SignInternal.id() || a.id == Authority::SignExternal.id()
            };
            if !staff_kind.may_sign && self.profile.authorities_of(position).any(signs) {
                return Err(AppError::invalid("kind", Code::SignatureNeedsMemur));
            }
            let tckn = match input.tckn.trim() {
                "" => None,
                t => Some(
                    TcKimlikNo::parse(t)
                        .map_err(|_| AppError::invalid("tckn", Code::BadTckn))?
                        .as_str()
                        .to_owned(),
                ),
            };
            let email = input.email.trim();
            if !email.is_empty()
                && !(email.contains('@') && !email.starts_with('@') && !email.ends_with('@'))
            {
                return Err(AppError::invalid("email", Code::BadEmail));
            }
            let phone = input.phone_ext.trim();
            if phone.chars().count() > 16
                || !phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ' ' || c == '-' || c == '+')
            {
                return Err(AppError::invalid("phone_ext", Code::BadPhone));
            }
            Some(NewStaff {
                user_id: None,
                full_name: display.as_str().to_owned(),
                tckn,
                kind: kind.to_owned(),
                phone_ext: phone.to_owned(),
                email: email.to_owned(),
                position: position.to_owned(),
                start_date: crate::input::required_date("start_date", &input.start_date)?,
                end_date: None,
            })
        };
        let department = crate::input::text("department", &input.department, 200, false)?;
        let email = input.email.trim().to_lowercase();
        if !email.is_empty()
            && !(email.contains('@') && !email.starts_with('@') && !email.ends_with('@'))
        {
            return Err(AppError::invalid("email", Code::BadEmail));
        }
        let hash = crate::setup::hash_password(password).await?;
        let u = NewUser {
            username: username.as_str().to_owned(),
            display_name: display.as_str().to_owned(),
            password_hash: hash,
            is_admin: input.is_admin,
        };
        let mut w = self.write().await?;
        let user = store::accounts::insert_user(&mut w, &u, "local").await?;
        let mut details = serde_json::json!({"after": {"username": user.username, "display_name": user.display_name, "is_admin": user.is_admin}});
        if staff.is_none() {
            // An account of another unit: its unit and address (mail from
            // it opens requests in its name).
            store::accounts::set_department(&mut w, user.id, &department).await?;
            store::accounts::set_email(&mut w, user.id, &email).await?;
            details["after"]["department"] = serde_json::json!(department);
        }
        if let Some(mut s) = staff {
            s.user_id = Some(user.id);
            let id = store::staff::insert(&mut w, &s).await?;
            details["after"]["staff"] = serde_json::json!({"id": id, "kind": s.kind, "position": s.position, "start_date": s.start_date.to_string()});
        }
        w.commit(Audit::new(
            &grant,
            "account.created",
            format!("user:{}", user.username),
            details,
        ))
        .await?;
        Ok(user)
    }
}
