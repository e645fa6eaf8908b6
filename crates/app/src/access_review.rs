//! The periodic access review (issue 18 §4; m.8/23-31; the guide's
//! 3.1.12 "Kimlik Doğrulama ve Erişim Yönetimi"): every
//! `[security] access_review_months` the security office opens a review,
//! a snapshot from the authority engine and the systems catalogue of who
//! holds which account, post, authority (by post, deputyship or
//! delegation) and system role; each person's superior (a Şef for his
//! staff) or the security office keeps or flags each line; when every line
//! is decided, the review is signed off.

use time::{Date, OffsetDateTime};

time::serde::format_description!(iso, Date, "[year]-[month]-[day]");

use domain::authority::{Authority, Basis};
use domain::code::Code;
use store::Audit;

use crate::input::text;
use crate::{now, App, AppError, Result, User};

/// What one person held when the review was opened.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Holding {
    pub name: String,
    /// The posts held, by name.
    pub posts: Vec<String>,
    pub administrator: bool,
    /// `local` or `ldap`.
    pub sign_in: String,
    pub two_factor: bool,
    /// The account is closed (left the institution).
    pub closed: bool,
    /// Each authority, with how it is held ("görevi gereği", "vekâleten",
    /// "yetki devriyle").
    pub authorities: Vec<String>,
    /// The systems whose technical owner the person is.
    pub systems: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LineView {
    /// The person's account id (the line's key).
    pub user: i64,
    pub holding: Holding,
    /// `keep` or `revoke`; `None` while undecided.
    pub decision: Option<String>,
    pub remark: String,
    pub decided_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<OffsetDateTime>,
    /// The reader may decide it.
    pub may_decide: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    pub id: i64,
    pub title: String,
    pub opened_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub opened_at: OffsetDateTime,
    pub signed_off_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub signed_off_at: Option<OffsetDateTime>,
    pub note: String,
    pub lines: Vec<LineView>,
    pub undecided: usize,
    pub flagged: usize,
}

/// The reviews and when the next is due.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewsView {
    pub items: Vec<ReviewSummary>,
    /// The next review is due by then (`access_review_months` after the
    /// last sign-off; today if there has been none).
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub next_due: Date,
    pub overdue: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewSummary {
    pub id: i64,
    pub title: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub opened_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub signed_off_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReviewInput {
    /// Default: "Erişim gözden geçirmesi <date>".
    pub title: String,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct AccessDecisionInput {
    /// `keep` (the access stays) or `revoke` (it is to be taken away).
    pub decision: String,
    /// Why (required to flag a line).
    #[serde(default)]
    pub remark: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SignOffInput {
    pub note: String,
}

fn basis_tr(b: &Basis) -> &'static str {
    match b {
        Basis::Position { .. } => "görevi gereği",
        Basis::Deputyship { .. } => "vekâleten",
        Basis::Delegation { .. } => "yetki devriyle",
    }
}

impl App {
    /// Opens a review: the snapshot of every account.
    pub async fn open_access_review(
        &self,
        actor: &User,
        input: &ReviewInput,
    ) -> Result<ReviewView> {
        let title = match text("title", &input.title, 200, false)? {
            t if t.is_empty() => format!(
                "Erişim gözden geçirmesi {}",
                domain::local::format_date(domain::local::date(now()))
            ),
            t => t,
        };
        // The snapshot, read before the write (the engine's facts per person).
        let (accounts, systems, two_factor) = {
            let mut c = self.read().await?;
            (
                store::access_review::accounts(&mut c).await?,
                store::access_review::system_roles(&mut c).await?,
                store::access_review::two_factor_users(&mut c).await?,
            )
        };
        let at = now();
        let today = domain::local::date(at);
        let mut lines = Vec::new();
        for (id, name, admin, source, closed_on) in accounts {
            let facts = self.facts(&mut self.read().await?, id).await?;
            let posts = domain::authority::posts_at(&facts, id, at)
                .into_iter()
                .filter_map(|p| self.profile.position(p).map(|p| p.name.clone()))
                .collect();
            let authorities = domain::authority::authorities_of(&self.profile, &facts, id, at)
                .into_iter()
                .map(|(a, b)| format!("{} ({})", a.name, basis_tr(&b)))
                .collect();
            let holding = Holding {
                name,
                posts,
                administrator: admin,
                sign_in: source,
                two_factor: two_factor.contains(&id),
                closed: closed_on.is_some_and(|d| d < today),
                authorities,
                systems: systems
                    .iter()
                    .filter(|(u, _)| *u == id)
                    .map(|(_, s)| s.clone())
                    .collect(),
            };
            lines.push((
                id,
                serde_json::to_string(&holding).map_err(|e| AppError::Internal(e.into()))?,
            ));
        }
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::AuditSecurity).await?;
        let id = store::access_review::insert(&mut w, &title, actor.id).await?;
        for (user, summary) in &lines {
            store::access_review::insert_line(&mut w, id, *user, summary).await?;
        }
        w.commit(Audit::new(
            &grant,
            "access_review.opened",
            format!("access_review:{id}"),
            serde_json::json!({"title": title, "accounts": lines.len()}),
        ))
        .await?;
        self.access_review(actor, id).await
    }

    /// Whether `actor` may decide `user`'s line
    /// (`domain::authority::review_access`), with the grant to record.
    async fn review_grant(
        &self,
        c: &mut store::Read,
        actor: &User,
        user: i64,
    ) -> Result<Option<domain::authority::Grant>> {
        let mut facts = self.facts(&mut *c, actor.id).await?;
        store::authority::add_holdings(&mut *c, &mut facts, &[user]).await?;
        Ok(domain::authority::review_access(&self.profile, &facts, actor, user, now()).ok())
    }

    /// A review with its lines; whoever may decide a line or holds
    /// `audit_security` reads it.
    pub async fn access_review(&self, reader: &User, id: i64) -> Result<ReviewView> {
        let mut c = self.read().await?;
        let r = store::access_review::get(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let lines = store::access_review::lines(&mut c, id).await?;
        let auditor = self
            .may_read_as(&mut c, reader, Authority::AuditSecurity)
            .await
            .is_ok();
        // The reader's facts and every person's posts, read once for all
        // the lines' decisions.
        let mut facts = self.facts(&mut c, reader.id).await?;
        let people: Vec<i64> = lines.iter().map(|l| l.user_id).collect();
        store::authority::add_holdings(&mut c, &mut facts, &people).await?;
        drop(c);
        let at = now();
        let mut out = Vec::new();
        for l in lines {
            let may = r.signed_off_at.is_none()
                && domain::authority::review_access(&self.profile, &facts, reader, l.user_id, at)
                    .is_ok();
            if !(auditor || may) {
                continue;
            }
            let mut holding: Holding = serde_json::from_str(&l.summary).unwrap_or_default();
            domain::turkish::sort(&mut holding.authorities);
            out.push(LineView {
                user: l.user_id,
                holding,
                decision: l.decision,
                remark: l.remark,
                decided_by_name: l.decided_by_name,
                decided_at: l.decided_at,
                may_decide: may,
            });
        }
        if out.is_empty() && !auditor {
            return Err(AppError::forbidden(Authority::AuditSecurity.id()));
        }
        out.sort_by(|a, b| domain::turkish::compare(&a.holding.name, &b.holding.name));
        Ok(ReviewView {
            id: r.id,
            title: r.title,
            opened_by_name: r.opened_by_name,
            opened_at: r.opened_at,
            signed_off_by_name: r.signed_off_by_name,
            signed_off_at: r.signed_off_at,
            note: r.note,
            undecided: out.iter().filter(|l| l.decision.is_none()).count(),
            flagged: out
                .iter()
                .filter(|l| l.decision.as_deref() == Some("revoke"))
                .count(),
            lines: out,
        })
    }

    /// Keeps or flags one person's access in an open review.
    pub async fn decide_access(
        &self,
        actor: &User,
        id: i64,
        user: i64,
        input: &AccessDecisionInput,
    ) -> Result<ReviewView> {
        let decision = match input.decision.trim() {
            d @ ("keep" | "revoke") => d,
            _ => return Err(AppError::invalid("decision", Code::OutOfRange)),
        };
        let remark = text("remark", &input.remark, 1000, false)?;
        if decision == "revoke" && remark.is_empty() {
            return Err(AppError::invalid("remark", Code::Required));
        }
        if actor.id == user {
            return Err(AppError::invalid("user", Code::OwnAccessLine));
        }
        let grant = self
            .review_grant(&mut self.read().await?, actor, user)
            .await?
            .ok_or(AppError::forbidden(Authority::AuditSecurity.id()))?;
        let mut w = self.write().await?;
        let r = store::access_review::get(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if r.signed_off_at.is_some() {
            return Err(AppError::Conflict(Code::ReviewSignedOff));
        }
        if !store::access_review::decide(&mut w, id, user, decision, &remark, actor.id).await? {
            return Err(AppError::NotFound);
        }
        w.commit(Audit::new(
            &grant,
            "access_review.decided",
            format!("access_review:{id}"),
            serde_json::json!({"user": user, "decision": decision, "remark": remark}),
        ))
        .await?;
        self.access_review(actor, id).await
    }

    /// Signs a review off once every line is decided.
    pub async fn sign_off_access_review(
        &self,
        actor: &User,
        id: i64,
        input: &SignOffInput,
    ) -> Result<ReviewView> {
        let note = text("note", &input.note, 2000, false)?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::AuditSecurity).await?;
        let r = store::access_review::get(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if r.signed_off_at.is_some() {
            return Err(AppError::Conflict(Code::ReviewSignedOff));
        }
        let lines = store::access_review::lines(&mut w, id).await?;
        if lines.iter().any(|l| l.decision.is_none()) {
            return Err(AppError::Conflict(Code::ReviewUndecided));
        }
        store::access_review::sign_off(&mut w, id, &note, actor.id).await?;
        w.commit(Audit::new(
            &grant,
            "access_review.signed_off",
            format!("access_review:{id}"),
            serde_json::json!({"note": note, "flagged": lines.iter().filter(|l| l.decision.as_deref() == Some("revoke")).count()}),
        ))
        .await?;
        self.access_review(actor, id).await
    }

    /// The reviews, newest first, and when the next is due.
    pub async fn access_reviews(&self, reader: &User) -> Result<ReviewsView> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::AuditSecurity)
            .await?;
        let last = store::access_review::last_signed_off(&mut c).await?;
        let today = domain::local::date(now());
        let next_due = match last {
            Some(t) => domain::leave::add_months(
                domain::local::date(t),
                self.security.access_review_months,
            ),
            None => today,
        };
        Ok(ReviewsView {
            items: store::access_review::list(&mut c, 50)
                .await?
                .into_iter()
                .map(|r| ReviewSummary {
                    id: r.id,
                    title: r.title,
                    opened_at: r.opened_at,
                    signed_off_at: r.signed_off_at,
                })
                .collect(),
            overdue: last.is_some() && next_due < today,
            next_due,
        })
    }
}
