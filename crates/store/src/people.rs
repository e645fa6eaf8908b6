//! People and authority: staff records and their appointments, delegations
//! (m.10/4), deputyships (m.12/2), personal API tokens, and the facts the
//! authority engine decides on.
//!
//! Every write here authorises inside its own transaction (see
//! [`authorize_in`](sqlite::authorize_in)): the facts are read after the
//! write lock is taken, so a revocation that has committed is always seen,
//! and one that has not yet committed waits for the use to finish.

use domain::authority::{Delegation, Deputyship, FactSet, Period};
use time::{Date, OffsetDateTime};

use crate::{AuditEntry, NewUser, Result, Store, User};

/// Local midnight of the regulation's time zone (Türkiye, UTC+3 all year
/// since 2016): appointments run from the start of their first day to the
/// end of their last.
pub fn day_start(d: Date) -> OffsetDateTime {
    d.midnight().assume_offset(time::macros::offset!(+3)).to_offset(time::UtcOffset::UTC)
}

/// The password hash of an account the directory made: it matches no
/// password, so the account signs in only through the directory.
pub const DIRECTORY_ACCOUNT: &str = "!directory";

/// "Until further notice": the end of an open appointment.
pub const OPEN_END: OffsetDateTime = time::macros::datetime!(9999-01-01 0:00 UTC);

/// A new staff record with its first appointment.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub user_id: Option<i64>,
    pub full_name: String,
    pub tckn: Option<String>,
    pub kind: String,
    pub phone_ext: String,
    pub email: String,
    pub position: String,
    pub start_date: Date,
    pub end_date: Option<Date>,
}

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// A person holding a position, from the first to the last day (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Appointment {
    pub id: i64,
    pub position: String,
    #[serde(with = "iso_date")]
    pub start_date: Date,
    #[serde(with = "iso_date::option")]
    pub end_date: Option<Date>,
}

impl Appointment {
    pub fn period(&self) -> Period {
        Period {
            from: day_start(self.start_date),
            until: self.end_date.and_then(|d| d.next_day()).map(day_start).unwrap_or(OPEN_END),
        }
    }
}

/// A staff record (personal data: reading one is audited).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Staff {
    pub id: i64,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub full_name: String,
    pub tckn: Option<String>,
    pub kind: String,
    pub phone_ext: String,
    pub email: String,
    pub appointments: Vec<Appointment>,
}

impl Staff {
    /// The appointments in force at `at`.
    pub fn current(&self, at: OffsetDateTime) -> impl Iterator<Item = &Appointment> {
        self.appointments.iter().filter(move |a| a.period().contains(at))
    }
}

/// A delegation with the usernames of the people it joins.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DelegationRow {
    #[serde(flatten)]
    pub delegation: Delegation,
    pub from: String,
    pub to: String,
}

/// A deputyship with the usernames of the people it joins.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeputyshipRow {
    #[serde(flatten)]
    pub deputyship: Deputyship,
    pub deputy_username: String,
    pub for_username: String,
}

/// A personal API token as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

/// Filters of the audit page; every one optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// Matches the action's start, e.g. `delegation.` for all of them.
    pub action: Option<String>,
    /// Matches anywhere in the subject, e.g. `user:mudur`.
    pub subject: Option<String>,
    pub from: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    pub limit: i64,
}

for_each_engine! {
    use domain::authority::{self, Basis, Decision, Delegation, Deputyship, FactSet, Holding, Period};
    use domain::profile::Profile;
    use sqlx::Row;
    use time::{Date, OffsetDateTime};
    use crate::people::*;
    use crate::{AuditEntry, NewAudit, NewUser, Result, StoreError, User};

    pub async fn holdings_of(c: &mut Conn, user: i64) -> Result<Vec<Holding>> {
        let rows = sqlx::query(
            "SELECT a.id, a.position, a.start_date, a.end_date, s.kind FROM appointments a
             JOIN staff s ON s.id = a.staff_id WHERE s.user_id = $1 ORDER BY a.id",
        )
        .bind(user)
        .fetch_all(c)
        .await?;
        rows.iter()
            .map(|r| {
                let a = appointment_from(r)?;
                Ok(Holding { user, position: a.position.clone(), staff_kind: r.try_get("kind")?, period: a.period() })
            })
            .collect()
    }

    fn appointment_from(r: &DbRow) -> Result<Appointment> {
        Ok(Appointment {
            id: r.try_get("id")?,
            position: r.try_get("position")?,
            start_date: r.try_get("start_date")?,
            end_date: r.try_get("end_date")?,
        })
    }

    fn delegation_from(r: &DbRow) -> Result<Delegation> {
        Ok(Delegation {
            id: r.try_get("id")?,
            from_user: r.try_get("from_user")?,
            to_user: r.try_get("to_user")?,
            authority: r.try_get("authority")?,
            period: Period { from: r.try_get("valid_from")?, until: r.try_get("valid_until")? },
            approval_ref: r.try_get("approval_ref")?,
            revoked_at: r.try_get("revoked_at")?,
        })
    }

    fn deputyship_from(r: &DbRow) -> Result<Deputyship> {
        Ok(Deputyship {
            id: r.try_get("id")?,
            deputy: r.try_get("deputy")?,
            for_user: r.try_get("for_user")?,
            period: Period { from: r.try_get("valid_from")?, until: r.try_get("valid_until")? },
            approval_ref: r.try_get("approval_ref")?,
            revoked_at: r.try_get("revoked_at")?,
        })
    }

    const DELEGATION_COLS: &str = "d.id, d.from_user, d.to_user, d.authority, d.valid_from, d.valid_until, d.approval_ref, d.revoked_at";
    const DEPUTYSHIP_COLS: &str = "d.id, d.deputy, d.for_user, d.valid_from, d.valid_until, d.approval_ref, d.revoked_at";

    /// Everything the engine needs to decide for `user`: their holdings,
    /// the delegations and deputyships they received, and the holdings of
    /// the people those came from.
    pub async fn facts_about(c: &mut Conn, user: i64) -> Result<FactSet> {
        let mut facts = FactSet::default();
        for h in holdings_of(&mut *c, user).await? {
            facts.hold(h);
        }
        let dels = sqlx::query(&format!("SELECT {DELEGATION_COLS} FROM delegations d WHERE d.to_user = $1"))
            .bind(user)
            .fetch_all(&mut *c)
            .await?;
        let deps = sqlx::query(&format!("SELECT {DEPUTYSHIP_COLS} FROM deputyships d WHERE d.deputy = $1"))
            .bind(user)
            .fetch_all(&mut *c)
            .await?;
        let mut others = Vec::new();
        for r in &dels {
            let d = delegation_from(r)?;
            others.push(d.from_user);
            facts.delegate(d);
        }
        for r in &deps {
            let d = deputyship_from(r)?;
            others.push(d.for_user);
            facts.deputise(d);
        }
        others.sort_unstable();
        others.dedup();
        for o in others.into_iter().filter(|o| *o != user) {
            for h in holdings_of(&mut *c, o).await? {
                facts.hold(h);
            }
        }
        Ok(facts)
    }

    /// Decides inside the caller's transaction; a refusal is
    /// `StoreError::Forbidden` naming the missing authority.
    pub async fn authorize_in(c: &mut Conn, profile: &Profile, user: i64, authority: &str, at: OffsetDateTime) -> Result<Basis> {
        // The engine tries the position first, and that basis depends on the
        // person's own appointments only: one query decides most writes.
        let mut own = FactSet::default();
        for h in holdings_of(&mut *c, user).await? {
            own.hold(h);
        }
        if let Decision::Allow(b @ Basis::Position { .. }) = authority::authorize(profile, &own, user, authority, at) {
            return Ok(b);
        }
        let facts = facts_about(c, user).await?;
        match authority::authorize(profile, &facts, user, authority, at) {
            Decision::Allow(b) => Ok(b),
            Decision::Deny { missing } => Err(StoreError::Forbidden(missing)),
        }
    }

    /// The basis as the audit trail writes it: the article, and for a
    /// delegation or deputyship its id.
    pub fn basis_text(b: &Basis) -> String {
        match b {
            Basis::Position { position, article } => format!("{article} ({position})"),
            Basis::Delegation { id, article, .. } => format!("{article} (delegation:{id})"),
            Basis::Deputyship { id, article, position, .. } => format!("{article} (deputyship:{id}, {position})"),
        }
    }

    pub async fn facts(db: &Db, user: i64) -> Result<FactSet> {
        facts_about(&mut *read(db).await?, user).await
    }

    pub async fn user_by_name(c: &mut Conn, username: &str) -> Result<Option<User>> {
        let row = sqlx::query("SELECT id, username, display_name, is_admin FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(c)
            .await?;
        row.map(|r| {
            Ok(User {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                is_admin: r.try_get("is_admin")?,
            })
        })
        .transpose()
    }

    pub async fn find_user(db: &Db, username: &str) -> Result<Option<User>> {
        user_by_name(&mut *read(db).await?, username).await
    }

    async fn insert_staff(c: &mut Conn, s: &NewStaff) -> Result<i64> {
        if let Some(t) = &s.tckn {
            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE tckn = $1").bind(t).fetch_one(&mut *c).await?;
            if taken > 0 {
                return Err(StoreError::Conflict("tckn_taken"));
            }
        }
        if let Some(u) = s.user_id {
            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE user_id = $1").bind(u).fetch_one(&mut *c).await?;
            if taken > 0 {
                return Err(StoreError::Conflict("account_has_staff"));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO staff (user_id, full_name, tckn, kind, phone_ext, email, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(s.user_id)
        .bind(&s.full_name)
        .bind(&s.tckn)
        .bind(&s.kind)
        .bind(&s.phone_ext)
        .bind(&s.email)
        .bind(crate::now())
        .fetch_one(&mut *c)
        .await?;
        insert_appointment(c, id, &s.position, s.start_date, s.end_date).await?;
        Ok(id)
    }

    async fn insert_appointment(c: &mut Conn, staff: i64, position: &str, start: Date, end: Option<Date>) -> Result<()> {
        sqlx::query("INSERT INTO appointments (staff_id, position, start_date, end_date, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(staff)
            .bind(position)
            .bind(start)
            .bind(end)
            .bind(crate::now())
            .execute(c)
            .await?;
        Ok(())
    }

    async fn insert_user(c: &mut Conn, u: &NewUser, source: &str) -> Result<User> {
        if user_by_name(&mut *c, &u.username).await?.is_some() {
            return Err(StoreError::Conflict("username_taken"));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, password_hash, is_admin, created_at, auth_source)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&u.username)
        .bind(&u.display_name)
        .bind(&u.password_hash)
        .bind(u.is_admin)
        .bind(crate::now())
        .bind(source)
        .fetch_one(c)
        .await?;
        Ok(User { id, username: u.username.clone(), display_name: u.display_name.clone(), is_admin: u.is_admin })
    }

    /// Creates an account, with a staff record when one is given, as an
    /// administrator's act. `Conflict` when the username or TC number is
    /// taken.
    pub async fn create_account(db: &Db, actor: &User, u: NewUser, staff: Option<NewStaff>) -> Result<User> {
        if !actor.is_admin {
            return Err(StoreError::Forbidden("administrator".into()));
        }
        let mut tx = begin(db).await?;
        let user = insert_user(&mut tx, &u, "local").await?;
        let mut details = serde_json::json!({"after": {"username": user.username, "display_name": user.display_name, "is_admin": user.is_admin}});
        if let Some(mut s) = staff {
            s.user_id = Some(user.id);
            let id = insert_staff(&mut tx, &s).await?;
            details["after"]["staff"] = serde_json::json!({"id": id, "kind": s.kind, "position": s.position, "start_date": s.start_date.to_string()});
        }
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "account.created",
            subject: format!("user:{}", user.username),
            basis: "administrator".into(),
            details,
        })
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Seeds the demonstration staff, all or nothing; false (and nothing
    /// written) when the demo people are there already.
    pub async fn seed_demo(db: &Db, people: Vec<(NewUser, Option<NewStaff>)>) -> Result<bool> {
        let mut tx = begin(db).await?;
        let first = people.first().map(|p| p.0.username.clone()).unwrap_or_default();
        if user_by_name(&mut tx, &first).await?.is_some() {
            return Ok(false);
        }
        let mut names = Vec::new();
        for (u, s) in people {
            let user = insert_user(&mut tx, &u, "local").await?;
            if let Some(mut s) = s {
                s.user_id = Some(user.id);
                insert_staff(&mut tx, &s).await?;
            }
            names.push(user.username);
        }
        base::chain(&mut tx, &NewAudit {
            actor: None,
            action: "demo.seeded",
            subject: "demo".into(),
            basis: "system (serve --demo)".into(),
            details: serde_json::json!({"accounts": names}),
        })
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Every staff record with its appointments, by name.
    pub async fn staff_list(db: &Db) -> Result<Vec<Staff>> {
        let mut c = read(db).await?;
        let rows = sqlx::query(
            "SELECT s.id, s.user_id, u.username, s.full_name, s.tckn, s.kind, s.phone_ext, s.email
             FROM staff s LEFT JOIN users u ON u.id = s.user_id ORDER BY s.id",
        )
        .fetch_all(&mut *c)
        .await?;
        let apps = sqlx::query("SELECT id, staff_id, position, start_date, end_date FROM appointments ORDER BY id")
            .fetch_all(&mut *c)
            .await?;
        let mut by_staff: std::collections::HashMap<i64, Vec<Appointment>> = Default::default();
        for r in &apps {
            by_staff.entry(r.try_get("staff_id")?).or_default().push(appointment_from(r)?);
        }
        let mut list = rows
            .iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                Ok(Staff {
                    id,
                    user_id: r.try_get("user_id")?,
                    username: r.try_get("username")?,
                    full_name: r.try_get("full_name")?,
                    tckn: r.try_get("tckn")?,
                    kind: r.try_get("kind")?,
                    phone_ext: r.try_get("phone_ext")?,
                    email: r.try_get("email")?,
                    appointments: by_staff.remove(&id).unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        list.sort_by(|a, b| domain::turkish::compare(&a.full_name, &b.full_name));
        Ok(list)
    }

    /// One staff record, read on behalf of `reader`; the read of personal
    /// data is audited (KVKK) in the same transaction that reads it.
    pub async fn staff_read(db: &Db, reader: &User, id: i64) -> Result<Staff> {
        let mut tx = begin(db).await?;
        let row = sqlx::query(
            "SELECT s.id, s.user_id, u.username, s.full_name, s.tckn, s.kind, s.phone_ext, s.email
             FROM staff s LEFT JOIN users u ON u.id = s.user_id WHERE s.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let apps = sqlx::query("SELECT id, position, start_date, end_date FROM appointments WHERE staff_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let staff = Staff {
            id,
            user_id: row.try_get("user_id")?,
            username: row.try_get("username")?,
            full_name: row.try_get("full_name")?,
            tckn: row.try_get("tckn")?,
            kind: row.try_get("kind")?,
            phone_ext: row.try_get("phone_ext")?,
            email: row.try_get("email")?,
            appointments: apps.iter().map(appointment_from).collect::<Result<_>>()?,
        };
        base::chain(&mut tx, &NewAudit {
            actor: Some(reader.username.clone()),
            action: "staff.viewed",
            subject: format!("staff:{id}"),
            basis: "KVKK m.12 (access log)".into(),
            details: serde_json::json!({"fields": ["tckn", "phone_ext", "email"]}),
        })
        .await?;
        tx.commit().await?;
        Ok(staff)
    }

    /// Records a delegation of `authority` from `actor` to `to` (m.10/4).
    /// The actor must hold it by position at `at`; checked under the
    /// write lock.
    pub async fn create_delegation(
        db: &Db,
        profile: &Profile,
        actor: &User,
        to: &User,
        authority: &str,
        period: Period,
        approval_ref: &str,
        at: OffsetDateTime,
    ) -> Result<i64> {
        let mut tx = begin(db).await?;
        // The instant is taken once the writers' lock is held, so instants
        // follow commit order: a use before a revocation is dated before it.
        let at = at.max(crate::now());
        let facts = facts_about(&mut tx, actor.id).await?;
        let held = match authority::authorize(profile, &facts, actor.id, authority, at) {
            Decision::Allow(b @ Basis::Position { .. }) => b,
            _ => return Err(StoreError::Forbidden(authority.to_owned())),
        };
        authority::may_delegate(profile, &facts, actor.id, to.id, authority, period, at)
            .map_err(|_| StoreError::Forbidden(authority.to_owned()))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO delegations (from_user, to_user, authority, valid_from, valid_until, approval_ref, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $1, $7) RETURNING id",
        )
        .bind(actor.id)
        .bind(to.id)
        .bind(authority)
        .bind(period.from)
        .bind(period.until)
        .bind(approval_ref)
        .bind(crate::now())
        .fetch_one(&mut *tx)
        .await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "delegation.created",
            subject: format!("delegation:{id}"),
            basis: format!("{} — {}", authority::DELEGATION_ARTICLE, basis_text(&held)),
            details: serde_json::json!({"after": {
                "from": actor.username, "to": to.username, "authority": authority,
                "period": period, "approval_ref": approval_ref,
            }}),
        })
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn delegation_by_id(c: &mut Conn, id: i64) -> Result<DelegationRow> {
        let r = sqlx::query(&format!(
            "SELECT {DELEGATION_COLS}, f.username AS from_name, t.username AS to_name FROM delegations d
             JOIN users f ON f.id = d.from_user JOIN users t ON t.id = d.to_user WHERE d.id = $1"
        ))
        .bind(id)
        .fetch_optional(c)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(DelegationRow { delegation: delegation_from(&r)?, from: r.try_get("from_name")?, to: r.try_get("to_name")? })
    }

    /// Revokes a delegation from `at` on. Its giver or an administrator
    /// may; a revoked one cannot be revoked again.
    pub async fn revoke_delegation(db: &Db, actor: &User, id: i64, at: OffsetDateTime) -> Result<()> {
        let mut tx = begin(db).await?;
        // The instant is taken once the writers' lock is held, so instants
        // follow commit order: a use before a revocation is dated before it.
        let at = at.max(crate::now());
        let d = delegation_by_id(&mut tx, id).await?;
        if d.delegation.from_user != actor.id && !actor.is_admin {
            return Err(StoreError::Forbidden(d.delegation.authority.clone()));
        }
        if d.delegation.revoked_at.is_some() {
            return Err(StoreError::Conflict("already_revoked"));
        }
        sqlx::query("UPDATE delegations SET revoked_at = $2, revoked_by = $3 WHERE id = $1")
            .bind(id)
            .bind(at)
            .bind(actor.id)
            .execute(&mut *tx)
            .await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "delegation.revoked",
            subject: format!("delegation:{id}"),
            basis: if d.delegation.from_user == actor.id { format!("{} (giver)", authority::DELEGATION_ARTICLE) } else { "administrator".into() },
            details: serde_json::json!({
                "before": {"revoked_at": null},
                "after": {"revoked_at": at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()},
            }),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delegations(db: &Db) -> Result<Vec<DelegationRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {DELEGATION_COLS}, f.username AS from_name, t.username AS to_name FROM delegations d
             JOIN users f ON f.id = d.from_user JOIN users t ON t.id = d.to_user ORDER BY d.id DESC"
        ))
        .fetch_all(&mut *read(db).await?)
        .await?;
        rows.iter()
            .map(|r| Ok(DelegationRow { delegation: delegation_from(r)?, from: r.try_get("from_name")?, to: r.try_get("to_name")? }))
            .collect()
    }

    /// Records a deputyship (m.12/2). An administrator registers the
    /// Mayor's approval, or the holder of `approve_deputyship` gives it.
    /// The deputy must hold a position eligible to stand in for the
    /// position `for_user` holds, when the deputyship starts; two live
    /// deputyships for one person may not overlap.
    pub async fn create_deputyship(
        db: &Db,
        profile: &Profile,
        actor: &User,
        deputy: &User,
        for_user: &User,
        period: Period,
        approval_ref: &str,
        at: OffsetDateTime,
    ) -> Result<i64> {
        let mut tx = begin(db).await?;
        // The instant is taken once the writers' lock is held, so instants
        // follow commit order: a use before a revocation is dated before it.
        let at = at.max(crate::now());
        let basis = match authorize_in(&mut tx, profile, actor.id, "approve_deputyship", at).await {
            Ok(b) => basis_text(&b),
            Err(StoreError::Forbidden(_)) if actor.is_admin => "administrator (registers the approval)".to_owned(),
            Err(e) => return Err(e),
        };
        let when = period.from.max(at);
        let deputy_holds = holdings_of(&mut tx, deputy.id).await?;
        let for_holds = holdings_of(&mut tx, for_user.id).await?;
        let rule = profile.deputyships().iter().find(|r| for_holds.iter().any(|h| h.period.contains(when) && h.position == r.for_position));
        let Some(rule) = rule else { return Err(StoreError::Conflict("not_deputisable")) };
        if !deputy_holds.iter().any(|h| h.period.contains(when) && rule.eligible.contains(&h.position)) {
            return Err(StoreError::Conflict("deputy_not_eligible"));
        }
        let existing = sqlx::query(&format!("SELECT {DEPUTYSHIP_COLS} FROM deputyships d WHERE d.for_user = $1"))
            .bind(for_user.id)
            .fetch_all(&mut *tx)
            .await?;
        for r in &existing {
            let d = deputyship_from(r)?;
            let end = d.revoked_at.map_or(d.period.until, |v| v.min(d.period.until));
            if d.period.from < period.until && period.from < end {
                return Err(StoreError::Conflict("overlapping_deputyship"));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO deputyships (deputy, for_user, valid_from, valid_until, approval_ref, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(deputy.id)
        .bind(for_user.id)
        .bind(period.from)
        .bind(period.until)
        .bind(approval_ref)
        .bind(actor.id)
        .bind(crate::now())
        .fetch_one(&mut *tx)
        .await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "deputyship.created",
            subject: format!("deputyship:{id}"),
            basis,
            details: serde_json::json!({"after": {
                "deputy": deputy.username, "for": for_user.username, "period": period,
                "approval_ref": approval_ref, "article": rule.article,
            }}),
        })
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Revokes a deputyship from `at` on: an administrator or the holder
    /// of `approve_deputyship`.
    pub async fn revoke_deputyship(db: &Db, profile: &Profile, actor: &User, id: i64, at: OffsetDateTime) -> Result<()> {
        let mut tx = begin(db).await?;
        // The instant is taken once the writers' lock is held, so instants
        // follow commit order: a use before a revocation is dated before it.
        let at = at.max(crate::now());
        let basis = match authorize_in(&mut tx, profile, actor.id, "approve_deputyship", at).await {
            Ok(b) => basis_text(&b),
            Err(StoreError::Forbidden(_)) if actor.is_admin => "administrator".to_owned(),
            Err(e) => return Err(e),
        };
        let r = sqlx::query(&format!("SELECT {DEPUTYSHIP_COLS} FROM deputyships d WHERE d.id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if deputyship_from(&r)?.revoked_at.is_some() {
            return Err(StoreError::Conflict("already_revoked"));
        }
        sqlx::query("UPDATE deputyships SET revoked_at = $2, revoked_by = $3 WHERE id = $1")
            .bind(id)
            .bind(at)
            .bind(actor.id)
            .execute(&mut *tx)
            .await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(actor.username.clone()),
            action: "deputyship.revoked",
            subject: format!("deputyship:{id}"),
            basis,
            details: serde_json::json!({
                "before": {"revoked_at": null},
                "after": {"revoked_at": at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()},
            }),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn deputyships(db: &Db) -> Result<Vec<DeputyshipRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {DEPUTYSHIP_COLS}, a.username AS deputy_name, b.username AS for_name FROM deputyships d
             JOIN users a ON a.id = d.deputy JOIN users b ON b.id = d.for_user ORDER BY d.id DESC"
        ))
        .fetch_all(&mut *read(db).await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DeputyshipRow {
                    deputyship: deputyship_from(r)?,
                    deputy_username: r.try_get("deputy_name")?,
                    for_username: r.try_get("for_name")?,
                })
            })
            .collect()
    }

    /// Stores a personal API token (its hash) for `user`.
    pub async fn create_api_token(db: &Db, user: &User, name: &str, token_hash: &str) -> Result<i64> {
        let mut tx = begin(db).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user.id)
        .bind(name)
        .bind(token_hash)
        .bind(crate::now())
        .fetch_one(&mut *tx)
        .await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(user.username.clone()),
            action: "api_token.created",
            subject: format!("api_token:{id}"),
            basis: "own account".into(),
            details: serde_json::json!({"after": {"name": name}}),
        })
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn api_tokens(db: &Db, user: &User) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query("SELECT id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id")
            .bind(user.id)
            .fetch_all(&mut *read(db).await?)
            .await?;
        rows.iter()
            .map(|r| Ok(ApiToken { id: r.try_get("id")?, name: r.try_get("name")?, created_at: r.try_get("created_at")?, revoked_at: r.try_get("revoked_at")? }))
            .collect()
    }

    /// Revokes one of the user's own tokens; `NotFound` for someone
    /// else's, `Conflict` when revoked already.
    pub async fn revoke_api_token(db: &Db, user: &User, id: i64) -> Result<()> {
        let mut tx = begin(db).await?;
        let row = sqlx::query("SELECT revoked_at FROM api_tokens WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user.id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let revoked: Option<OffsetDateTime> = row.try_get("revoked_at")?;
        if revoked.is_some() {
            return Err(StoreError::Conflict("already_revoked"));
        }
        sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1").bind(id).bind(crate::now()).execute(&mut *tx).await?;
        base::chain(&mut tx, &NewAudit {
            actor: Some(user.username.clone()),
            action: "api_token.revoked",
            subject: format!("api_token:{id}"),
            basis: "own account".into(),
            details: serde_json::json!({"before": {"revoked": false}, "after": {"revoked": true}}),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Audit records matching every filter given, newest first.
    pub async fn search_audit(db: &Db, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, subject, basis, details FROM audit_log
             WHERE ($1 IS NULL OR actor = $1)
               AND ($2 IS NULL OR action LIKE $2 ESCAPE '\\')
               AND ($3 IS NULL OR subject LIKE $3 ESCAPE '\\')
               AND ($4 IS NULL OR at >= $4)
               AND ($5 IS NULL OR at < $5)
             ORDER BY id DESC LIMIT $6",
        )
        .bind(&f.actor)
        .bind(f.action.as_ref().map(|a| format!("{}%", like_escape(a))))
        .bind(f.subject.as_ref().map(|s| format!("%{}%", like_escape(s))))
        .bind(f.from.map(domain::audit::chain_instant))
        .bind(f.until.map(domain::audit::chain_instant))
        .bind(f.limit)
        .fetch_all(&mut *read(db).await?)
        .await?;
        rows.iter().map(base::audit_entry_from).collect()
    }

    /// Provisions a directory (LDAP) account on sign-in: creates it on
    /// first sign-in, and brings its appointments in line with the
    /// positions its directory groups map to. Audited when it changes
    /// anything.
    pub async fn provision_directory_user(
        db: &Db,
        username: &str,
        display_name: &str,
        kind: &str,
        positions: &[String],
        today: Date,
    ) -> Result<User> {
        let mut tx = begin(db).await?;
        let mut changes = Vec::new();
        let user = match user_by_name(&mut tx, username).await? {
            Some(u) => u,
            None => {
                let u = NewUser { username: username.to_owned(), display_name: display_name.to_owned(), password_hash: DIRECTORY_ACCOUNT.into(), is_admin: false };
                changes.push(serde_json::json!({"account": "created"}));
                insert_user(&mut tx, &u, "ldap").await?
            }
        };
        let staff_id: Option<i64> = sqlx::query_scalar("SELECT id FROM staff WHERE user_id = $1").bind(user.id).fetch_optional(&mut *tx).await?;
        let staff_id = match (staff_id, positions.first()) {
            (Some(id), _) => Some(id),
            (None, Some(p)) => {
                let s = NewStaff { user_id: Some(user.id), full_name: display_name.to_owned(), tckn: None, kind: kind.to_owned(), phone_ext: String::new(), email: String::new(), position: p.clone(), start_date: today, end_date: None };
                changes.push(serde_json::json!({"appointed": p}));
                Some(insert_staff(&mut tx, &s).await?)
            }
            (None, None) => None,
        };
        if let Some(sid) = staff_id {
            let apps = sqlx::query("SELECT id, position, start_date, end_date FROM appointments WHERE staff_id = $1")
                .bind(sid)
                .fetch_all(&mut *tx)
                .await?;
            let apps = apps.iter().map(appointment_from).collect::<Result<Vec<_>>>()?;
            let now = day_start(today);
            for a in apps.iter().filter(|a| a.period().contains(now) && !positions.contains(&a.position)) {
                match today.previous_day().filter(|end| *end >= a.start_date) {
                    Some(end) => {
                        sqlx::query("UPDATE appointments SET end_date = $2 WHERE id = $1").bind(a.id).bind(end).execute(&mut *tx).await?;
                    }
                    // Begun today and gone today: it never took effect.
                    None => {
                        sqlx::query("DELETE FROM appointments WHERE id = $1").bind(a.id).execute(&mut *tx).await?;
                    }
                }
                changes.push(serde_json::json!({"ended": a.position}));
            }
            for p in positions {
                if !apps.iter().any(|a| &a.position == p && a.period().contains(now)) && !changes.iter().any(|c| c["appointed"] == *p) {
                    insert_appointment(&mut tx, sid, p, today, None).await?;
                    changes.push(serde_json::json!({"appointed": p}));
                }
            }
        }
        if !changes.is_empty() {
            base::chain(&mut tx, &NewAudit {
                actor: None,
                action: "directory.synced",
                subject: format!("user:{username}"),
                basis: "system (directory groups)".into(),
                details: serde_json::json!({"changes": changes}),
            })
            .await?;
        }
        tx.commit().await?;
        Ok(user)
    }
}

/// User input inside a LIKE pattern matches itself: `%`, `_` and the
/// escape character are escaped (the queries say `ESCAPE '\'`).
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The use-cases of this module, written once above and dispatched to the
/// store's engine.
impl dyn Store {
    pub async fn facts(&self, user: i64) -> Result<FactSet> {
        dispatch!(self, people::facts(user))
    }
    pub async fn find_user(&self, username: &str) -> Result<Option<User>> {
        dispatch!(self, people::find_user(username))
    }
    pub async fn create_account(&self, actor: &User, u: NewUser, staff: Option<NewStaff>) -> Result<User> {
        dispatch!(self, people::create_account(actor, u, staff))
    }
    pub async fn seed_demo(&self, people: Vec<(NewUser, Option<NewStaff>)>) -> Result<bool> {
        dispatch!(self, people::seed_demo(people))
    }
    pub async fn staff_list(&self) -> Result<Vec<Staff>> {
        dispatch!(self, people::staff_list())
    }
    pub async fn staff_read(&self, reader: &User, id: i64) -> Result<Staff> {
        dispatch!(self, people::staff_read(reader, id))
    }
    #[allow(clippy::too_many_arguments)]
    pub async fn create_delegation(
        &self,
        profile: &domain::profile::Profile,
        actor: &User,
        to: &User,
        authority: &str,
        period: Period,
        approval_ref: &str,
        at: OffsetDateTime,
    ) -> Result<i64> {
        dispatch!(self, people::create_delegation(profile, actor, to, authority, period, approval_ref, at))
    }
    pub async fn revoke_delegation(&self, actor: &User, id: i64, at: OffsetDateTime) -> Result<()> {
        dispatch!(self, people::revoke_delegation(actor, id, at))
    }
    pub async fn delegations(&self) -> Result<Vec<DelegationRow>> {
        dispatch!(self, people::delegations())
    }
    #[allow(clippy::too_many_arguments)]
    pub async fn create_deputyship(
        &self,
        profile: &domain::profile::Profile,
        actor: &User,
        deputy: &User,
        for_user: &User,
        period: Period,
        approval_ref: &str,
        at: OffsetDateTime,
    ) -> Result<i64> {
        dispatch!(self, people::create_deputyship(profile, actor, deputy, for_user, period, approval_ref, at))
    }
    pub async fn revoke_deputyship(&self, profile: &domain::profile::Profile, actor: &User, id: i64, at: OffsetDateTime) -> Result<()> {
        dispatch!(self, people::revoke_deputyship(profile, actor, id, at))
    }
    pub async fn deputyships(&self) -> Result<Vec<DeputyshipRow>> {
        dispatch!(self, people::deputyships())
    }
    pub async fn create_api_token(&self, user: &User, name: &str, token_hash: &str) -> Result<i64> {
        dispatch!(self, people::create_api_token(user, name, token_hash))
    }
    pub async fn api_tokens(&self, user: &User) -> Result<Vec<ApiToken>> {
        dispatch!(self, people::api_tokens(user))
    }
    pub async fn revoke_api_token(&self, user: &User, id: i64) -> Result<()> {
        dispatch!(self, people::revoke_api_token(user, id))
    }
    pub async fn search_audit(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        dispatch!(self, people::search_audit(f))
    }
    pub async fn provision_directory_user(&self, username: &str, display_name: &str, kind: &str, positions: &[String], today: Date) -> Result<User> {
        dispatch!(self, people::provision_directory_user(username, display_name, kind, positions, today))
    }
}
