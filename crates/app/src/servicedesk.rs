//! The IT service desk (issue 15): filing requests (web, API, phone, mail),
//! assigning them inside the handling section, working on them, their
//! timelines, SLAs on Turkish working time, and the SLA report. The rules
//! are `domain::servicedesk`'s; working time is `domain::worktime`'s.

use domain::authority::Grant;
use domain::code::Code;
use domain::profile::Named;
use domain::servicedesk::{self as rules, RequestState};
use domain::worktime::WorkingHours;
use store::servicedesk::{Change, ListFilter, NewRequest, Request, Scope};
use store::Audit;
use time::OffsetDateTime;

use crate::input::{lines, text};
use crate::{now, App, AppError, Result, User};

/// `[servicedesk]`: the office's hours for SLAs and the closing of
/// resolved requests.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeskSettings {
    /// The working day, "HH:MM" (default 08:30–17:30).
    pub day_starts: String,
    pub day_ends: String,
    /// The lunch break, not counted (default 12:30–13:30; empty for none).
    pub lunch_starts: String,
    pub lunch_ends: String,
    /// Working weekdays (default mon–fri).
    pub working_days: Vec<String>,
    /// A resolved request closes by itself after this many working days
    /// unless its requester reopens it (default 3).
    pub auto_close_working_days: u16,
    /// The desk's mailbox, read over IMAP (none by default).
    pub mailbox: Option<crate::mail::MailboxConfig>,
}

impl Default for DeskSettings {
    fn default() -> Self {
        DeskSettings {
            day_starts: "08:30".into(),
            day_ends: "17:30".into(),
            lunch_starts: "12:30".into(),
            lunch_ends: "13:30".into(),
            working_days: ["mon", "tue", "wed", "thu", "fri"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            auto_close_working_days: 3,
            mailbox: None,
        }
    }
}

impl DeskSettings {
    /// The working hours these settings give, or why they are wrong.
    pub fn hours(&self) -> std::result::Result<WorkingHours, domain::worktime::HoursError> {
        let lunch = if self.lunch_starts.trim().is_empty() && self.lunch_ends.trim().is_empty() {
            None
        } else {
            Some((self.lunch_starts.as_str(), self.lunch_ends.as_str()))
        };
        WorkingHours::from_settings(&self.day_starts, &self.day_ends, lunch, &self.working_days)
    }
}

/// The settings in force, with the hours parsed.
#[derive(Debug, Clone)]
pub struct Desk {
    pub settings: DeskSettings,
    pub hours: WorkingHours,
}

impl Desk {
    /// The response and resolution deadlines of a request of `class`
    /// opened at `at`.
    pub fn deadlines(
        &self,
        cal: &domain::calendar::Calendar,
        at: OffsetDateTime,
        class: &domain::profile::SlaClass,
    ) -> Result<(OffsetDateTime, OffsetDateTime)> {
        let respond_by = self
            .hours
            .add(cal, at, class.respond_hours)
            .ok_or(AppError::invalid("priority", Code::OutOfRange))?;
        let resolve_by = self
            .hours
            .add(cal, at, class.resolve_hours)
            .ok_or(AppError::invalid("priority", Code::OutOfRange))?;
        Ok((respond_by, resolve_by))
    }
}

impl Default for Desk {
    fn default() -> Self {
        Desk {
            settings: DeskSettings::default(),
            hours: WorkingHours::default(),
        }
    }
}

/// A request as it is filed.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewRequestInput {
    pub title: String,
    pub description: String,
    /// A category id (`GET /requests/categories`).
    pub category: String,
    /// An SLA class id (`acil`, `yuksek`, `normal`, `dusuk`); default: the
    /// category's.
    pub priority: Option<String>,
    /// The asset's tag, when the request is about one.
    pub asset_tag: Option<String>,
    /// Filing on someone's behalf (the Kalem taking a call): his username.
    pub requester: Option<String>,
    /// `web`, `api`, `phone` or `email` (set by the front end).
    pub channel: Option<String>,
}

/// A category, for the form and the API.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CategoryView {
    pub id: String,
    pub name: String,
    /// The handling unit's id.
    pub section: String,
    pub section_name: String,
    pub sla: String,
    pub sla_name: String,
    pub respond_hours: f64,
    pub resolve_hours: f64,
    pub article: String,
}

/// What a viewer may do with a request (the page's buttons).
#[derive(Debug, Clone, Copy, Default, serde::Serialize, utoipa::ToSchema)]
pub struct RequestActions {
    pub assign: bool,
    pub work: bool,
    pub close: bool,
    pub reopen: bool,
    pub rate: bool,
    pub internal: bool,
    pub comment: bool,
    pub make_task: bool,
}

/// A request, for its page and the API.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RequestView {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub category_name: String,
    /// The handling unit's id.
    pub section: String,
    pub section_name: String,
    pub priority: String,
    pub priority_name: String,
    pub channel: String,
    pub state: RequestState,
    pub requester_name: String,
    pub requester_department: String,
    pub filed_by_name: String,
    pub assignee_name: Option<String>,
    pub asset_tag: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// The response deadline, in working time (+03:00).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub respond_by: OffsetDateTime,
    /// The resolution deadline, in working time (+03:00).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub resolve_by: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub responded_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub resolved_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<OffsetDateTime>,
    /// Past a deadline (the clock stops while waiting).
    pub breached: bool,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub merged_into: Option<String>,
    pub task_id: Option<i64>,
    /// Minutes of work logged (desk staff only; 0 for others).
    pub minutes_logged: i64,
    pub actions: RequestActions,
}

/// A line of a request's timeline.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct EventView {
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    pub actor_name: Option<String>,
    /// filed, assigned, state, comment, worklog, rating, merged, mail, attachment, task
    pub kind: String,
    pub public: bool,
    pub body: String,
    pub minutes: Option<i64>,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub assignee_name: Option<String>,
}

/// A line of a requests list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RequestLineView {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub category_name: String,
    pub section: String,
    pub section_name: String,
    pub priority: String,
    pub priority_name: String,
    pub state: RequestState,
    pub requester_name: String,
    pub requester_department: String,
    pub assignee_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub respond_by: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub resolve_by: OffsetDateTime,
    pub breached: bool,
}

/// A list's query.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct RequestQuery {
    /// `1`: assigned to me or filed by me.
    pub mine: Option<String>,
    /// `1`: assigned to me and still open (my work queue).
    pub assigned: Option<String>,
    /// A section's unit id.
    pub section: Option<String>,
    /// `1`: open and past a deadline.
    pub breached: Option<String>,
    /// A state.
    pub state: Option<String>,
    /// `1`: only open ones.
    pub open: Option<String>,
    pub category: Option<String>,
    /// `due` (most urgent first) or `new` (newest first, default).
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A state change.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StateInput {
    pub state: String,
    pub note: String,
}

/// A comment on a request.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CommentInput {
    pub body: String,
    /// Seen only by the desk.
    pub internal: bool,
}

/// Work logged on a request.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WorklogInput {
    pub minutes: i64,
    pub note: String,
}

/// The requester's rating at resolution.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RatingInput {
    pub score: i64,
    pub comment: String,
}

/// One section's SLA figures for one month.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SlaLine {
    pub section: String,
    pub section_name: String,
    /// `YYYY-MM`
    pub month: String,
    pub resolved: i64,
    pub resolved_on_time: i64,
    pub responded_on_time: i64,
    /// Percentage resolved on time.
    pub compliance: f64,
}

/// Most lines a list page holds.
pub const MAX_PER_PAGE: i64 = 200;

/// Most filings written in one transaction (group commit, as registrations).
const FILING_BATCH: usize = 128;

/// One filing waiting for the filing writer: everything decided but the
/// number and the instant, which the batch's write gives.
pub struct FilingJob {
    grant: Grant,
    class: domain::profile::SlaClass,
    cal: std::sync::Arc<domain::calendar::Calendar>,
    n: NewRequest,
    details: serde_json::Value,
    mark: Option<store::idempotency::Mark>,
}

/// The filing writer of an [`App`], started at its first filing.
pub(crate) type Filings = std::sync::OnceLock<store::batch::Batcher<FilingJob, Result<Request>>>;

fn local(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(domain::local::OFFSET)
}

fn opt_local(t: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    t.map(local)
}

impl App {
    /// Files a batch in one transaction; if the transaction fails, each
    /// job is tried alone, so that one bad job never fails the others.
    async fn file_batch(&self, jobs: Vec<FilingJob>) -> Vec<Result<Request>> {
        match self.file_together(&jobs).await {
            Ok(done) => done.into_iter().map(Ok).collect(),
            Err(e) if jobs.len() == 1 => vec![Err(e)],
            Err(_) => {
                let mut out = Vec::with_capacity(jobs.len());
                for j in &jobs {
                    out.push(
                        self.file_together(std::slice::from_ref(j))
                            .await
                            .and_then(|mut v| v.pop().ok_or(AppError::NotFound)),
                    );
                }
                out
            }
        }
    }

    /// One transaction: each request numbered in turn, with its deadlines
    /// from the write's instant, its first timeline line and its audit
    /// record.
    async fn file_together(&self, jobs: &[FilingJob]) -> Result<Vec<Request>> {
        let mut w = self.write().await?;
        let at = w.at();
        let mut audits = Vec::with_capacity(jobs.len());
        let mut out = Vec::with_capacity(jobs.len());
        for j in jobs {
            let (respond_by, resolve_by) = self.desk.deadlines(&j.cal, at, &j.class)?;
            let n = NewRequest {
                respond_by,
                resolve_by,
                ..j.n.clone()
            };
            let req = store::servicedesk::insert(&mut w, &n).await?;
            let mut details = j.details.clone();
            details["number"] = serde_json::json!(req.number);
            details["respond_by"] = serde_json::json!(local(req.respond_by)
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default());
            details["resolve_by"] = serde_json::json!(local(req.resolve_by)
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default());
            audits.push(
                Audit::new(
                    &j.grant,
                    "request.filed",
                    format!("request:{}", req.id),
                    details,
                )
                .for_request(j.mark.clone()),
            );
            out.push(req);
        }
        let audits = store::Audits::of(audits)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("filings without audit records")))?;
        w.commit_all(audits).await?;
        Ok(out)
    }

    /// The desk's settings.
    pub fn with_desk(
        mut self,
        settings: DeskSettings,
    ) -> std::result::Result<Self, domain::worktime::HoursError> {
        let hours = settings.hours()?;
        self.desk = std::sync::Arc::new(Desk { settings, hours });
        Ok(self)
    }

    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    /// The moment `hours` working hours after `start` (the SLA clock;
    /// `GET /calendar/working-time`).
    pub async fn working_time(&self, start: &str, hours: &str) -> Result<OffsetDateTime> {
        let start = crate::input::instant("start", start)?;
        if !(1900..=2200).contains(&start.year()) {
            return Err(AppError::invalid("start", Code::OutOfRange));
        }
        let h: f64 = hours.trim().parse().map_err(|_| {
            AppError::invalid(
                "hours",
                if hours.trim().is_empty() {
                    Code::Required
                } else {
                    Code::BadFormat
                },
            )
        })?;
        let cal = self.calendar().await?;
        self.desk
            .hours
            .add(&cal, start, h)
            .ok_or(AppError::invalid("hours", Code::OutOfRange))
    }

    /// The kinds of request the desk takes.
    pub fn request_categories(&self) -> Vec<CategoryView> {
        let en = crate::english();
        self.profile
            .request_categories()
            .iter()
            .map(|c| {
                let sla = self.profile.sla_class(&c.sla);
                CategoryView {
                    id: c.id.clone(),
                    name: c.name_for(en).to_owned(),
                    section: c.section.clone(),
                    section_name: self
                        .profile
                        .unit(&c.section)
                        .map(|u| u.name_for(en).to_owned())
                        .unwrap_or_default(),
                    sla: c.sla.clone(),
                    sla_name: sla.map(|s| s.name_for(en).to_owned()).unwrap_or_default(),
                    respond_hours: sla.map_or(0.0, |s| s.respond_hours),
                    resolve_hours: sla.map_or(0.0, |s| s.resolve_hours),
                    article: c.article.clone(),
                }
            })
            .collect()
    }

    /// The SLA classes, as (id, name).
    pub fn sla_classes(&self) -> Vec<(String, String)> {
        self.profile
            .sla_classes()
            .iter()
            .map(|c| (c.id.clone(), c.name_for(crate::english()).to_owned()))
            .collect()
    }

    fn unit_name(&self, id: &str) -> String {
        self.profile
            .unit(id)
            .map(|u| u.name_for(crate::english()).to_owned())
            .unwrap_or_else(|| id.to_owned())
    }

    /// Whether `user` is one of the institution's people (holds a post of
    /// the profile now, or administers): he sees every request.
    async fn is_staff(&self, c: &mut impl store::Conn, user: &User) -> Result<bool> {
        if user.is_admin {
            return Ok(true);
        }
        let facts = store::authority::own_facts(c, user.id).await?;
        Ok(domain::authority::holds_post(&facts, user.id, now()))
    }

    async fn scope(&self, c: &mut impl store::Conn, user: &User) -> Result<Scope> {
        if self.is_staff(c, user).await? {
            return Ok(Scope::All);
        }
        Ok(Scope::Requester {
            user: user.id,
            department: store::accounts::department_of(c, user.id).await?,
        })
    }

    /// Files a request. Everyone may file his own; the directorate's staff
    /// file on someone's behalf (a phone call).
    pub async fn file_request(
        &self,
        actor: &User,
        input: &NewRequestInput,
        default_channel: &str,
    ) -> Result<RequestView> {
        let title = text("title", &input.title, 200, true)?;
        let description = lines("description", &input.description, 20_000, true)?;
        let category_id = input.category.trim();
        if category_id.is_empty() {
            return Err(AppError::invalid("category", Code::Required));
        }
        let category = self
            .profile
            .request_category(category_id)
            .ok_or(AppError::invalid("category", Code::UnknownCategory))?
            .clone();
        let priority = match input
            .priority
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => self
                .profile
                .sla_class(p)
                .ok_or(AppError::invalid("priority", Code::UnknownPriority))?
                .clone(),
            None => self
                .profile
                .sla_class(&category.sla)
                .ok_or(AppError::invalid("category", Code::UnknownCategory))?
                .clone(),
        };
        let asset_tag = match input.asset_tag.as_deref() {
            Some(t) => Some(text("asset_tag", t, 64, false)?).filter(|t| !t.is_empty()),
            None => None,
        };
        let channel = input
            .channel
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .unwrap_or(default_channel)
            .to_owned();
        if !rules::CHANNELS.contains(&channel.as_str()) {
            return Err(AppError::invalid("channel", Code::BadChannelForRequest));
        }
        let on_behalf = match input
            .requester
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            Some(r) => {
                let u = self.user_named("requester", r).await?;
                (u.id != actor.id).then_some(u)
            }
            None => None,
        };
        let cal = self.calendar().await?;
        let (facts, department) = {
            let mut c = self.read().await?;
            let requester_id = on_behalf.as_ref().map_or(actor.id, |u| u.id);
            (
                store::authority::own_facts(&mut c, actor.id).await?,
                store::accounts::department_of(&mut c, requester_id).await?,
            )
        };
        let staff = actor.is_admin || domain::authority::holds_post(&facts, actor.id, now());
        let (grant, requester) = match &on_behalf {
            Some(_) if !staff => return Err(AppError::forbidden("member")),
            Some(u) => (Grant::own_account(actor), u.clone()),
            None => (Grant::own_account(actor), actor.clone()),
        };
        let details = serde_json::json!({
            "category": category.id, "section": category.section, "priority": priority.id, "channel": channel,
            "requester": requester.username, "on_behalf": on_behalf.is_some(),
        });
        let job = FilingJob {
            grant,
            class: priority.clone(),
            cal: cal.clone(),
            n: NewRequest {
                title,
                description,
                category: category.id.clone(),
                section: category.section.clone(),
                priority: priority.id.clone(),
                channel: channel.clone(),
                requester: requester.id,
                requester_department: department,
                filed_by: actor.id,
                asset_tag,
                // Set at the write's instant.
                respond_by: now(),
                resolve_by: now(),
                email_from: None,
                requester_name: requester.display_name.clone(),
                filed_by_name: actor.display_name.clone(),
            },
            details,
            mark: store::idempotency::current(),
        };
        let writer = self.filings.get_or_init(|| {
            // The writer holds the app without its own queue, so that the
            // queue (and the task) end when the app is dropped.
            let mut app = self.clone();
            app.filings = std::sync::Arc::default();
            store::batch::Batcher::spawn(FILING_BATCH, move |jobs| {
                let app = app.clone();
                Box::pin(async move { app.file_batch(jobs).await })
            })
        });
        let req = writer.submit(job).await.unwrap_or_else(|| {
            Err(AppError::Internal(anyhow::anyhow!(
                "the filing writer stopped before answering"
            )))
        })?;
        self.notify_requester(req.id, "filed");
        // Answered from what was written and the filer's own facts (no
        // read back): a new request has no work logged and no merge.
        Ok(self.view_of(actor, req, staff, &facts, 0, None))
    }

    async fn request_view(&self, viewer: &User, r: Request, staff: bool) -> Result<RequestView> {
        let mut c = self.read().await?;
        let mut facts = store::authority::facts_about(&mut c, viewer.id).await?;
        let delegators: Vec<i64> = domain::authority::Facts::delegations_to(&facts, viewer.id)
            .iter()
            .map(|d| d.from_user)
            .collect();
        store::authority::add_holdings(&mut c, &mut facts, &delegators).await?;
        let minutes = if staff {
            store::servicedesk::minutes_logged(&mut c, r.id).await?
        } else {
            0
        };
        let merged_into = match r.merged_into {
            Some(m) => store::servicedesk::get(&mut c, m).await?.map(|x| x.number),
            None => None,
        };
        Ok(self.view_of(viewer, r, staff, &facts, minutes, merged_into))
    }

    /// A request as its viewer sees it, from facts already read.
    fn view_of(
        &self,
        viewer: &User,
        r: Request,
        staff: bool,
        facts: &domain::authority::FactSet,
        minutes: i64,
        merged_into: Option<String>,
    ) -> RequestView {
        let en = crate::english();
        let facts: &dyn domain::authority::Facts = facts;
        let at = now();
        let f = r.facts();
        let desk = rules::is_desk(&self.profile, facts, viewer, &f, at).is_some();
        let lead = rules::section_lead(&self.profile, facts, viewer, &r.section, at).is_ok();
        let requester = r.requester_id == viewer.id;
        let actions = RequestActions {
            assign: lead && r.state.is_open(),
            work: desk && r.state.is_open() && r.state != RequestState::New,
            close: (lead || requester) && r.state == RequestState::Resolved,
            reopen: (desk || requester) && r.state == RequestState::Resolved,
            rate: requester
                && matches!(r.state, RequestState::Resolved | RequestState::Closed)
                && r.rating.is_none(),
            internal: desk || staff,
            comment: r.state != RequestState::Closed,
            make_task: lead && r.task_id.is_none() && r.state.is_open(),
        };
        RequestView {
            id: r.id,
            number: r.number,
            title: r.title,
            description: r.description,
            category_name: self
                .profile
                .request_category(&r.category)
                .map(|c| c.name_for(en).to_owned())
                .unwrap_or_else(|| r.category.clone()),
            category: r.category,
            section_name: self.unit_name(&r.section),
            section: r.section,
            priority_name: self
                .profile
                .sla_class(&r.priority)
                .map(|c| c.name_for(en).to_owned())
                .unwrap_or_else(|| r.priority.clone()),
            priority: r.priority,
            channel: r.channel,
            state: r.state,
            requester_name: r.requester_name,
            requester_department: r.requester_department,
            filed_by_name: r.filed_by_name,
            assignee_name: r.assignee_name,
            asset_tag: r.asset_tag,
            created_at: local(r.created_at),
            breached: rules::breached(
                r.state,
                r.respond_by,
                r.resolve_by,
                r.responded_at.is_some(),
                at,
            ),
            respond_by: local(r.respond_by),
            resolve_by: local(r.resolve_by),
            responded_at: opt_local(r.responded_at),
            resolved_at: opt_local(r.resolved_at),
            closed_at: opt_local(r.closed_at),
            rating: r.rating,
            rating_comment: r.rating_comment,
            merged_into,
            task_id: r.task_id,
            minutes_logged: minutes,
            actions,
        }
    }

    /// Whether `viewer` may see `r`: the directorate's staff, its
    /// requester and whoever filed it, and the requester's unit.
    async fn may_see_request(
        &self,
        c: &mut impl store::Conn,
        viewer: &User,
        r: &Request,
    ) -> Result<bool> {
        if r.requester_id == viewer.id
            || r.filed_by == viewer.id
            || self.is_staff(&mut *c, viewer).await?
        {
            return Ok(true);
        }
        let dept = store::accounts::department_of(c, viewer.id).await?;
        Ok(!dept.is_empty() && dept == r.requester_department)
    }

    /// A request `viewer` may see (or `NotFound`), and whether he is the
    /// directorate's staff.
    async fn visible_request(&self, viewer: &User, id: i64) -> Result<(Request, bool)> {
        let mut c = self.read().await?;
        let r = store::servicedesk::get(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !self.may_see_request(&mut c, viewer, &r).await? {
            return Err(AppError::NotFound);
        }
        let staff = self.is_staff(&mut c, viewer).await?;
        Ok((r, staff))
    }

    /// A request, for its page or the API.
    /// A request's id from its number (`2026-000001`), if the viewer may
    /// see it; else `request`/`not_found`.
    pub async fn request_id_by_number(&self, viewer: &User, number: &str) -> Result<i64> {
        let r = store::servicedesk::by_number(&mut self.read().await?, number.trim())
            .await?
            .ok_or(AppError::invalid("request", Code::NotFound))?;
        self.request(viewer, r.id)
            .await
            .map(|v| v.id)
            .map_err(|_| AppError::invalid("request", Code::NotFound))
    }

    pub async fn request(&self, viewer: &User, id: i64) -> Result<RequestView> {
        let (r, staff) = self.visible_request(viewer, id).await?;
        self.request_view(viewer, r, staff).await
    }

    /// A request's timeline: the desk sees its internal lines too.
    pub async fn request_events(&self, viewer: &User, id: i64) -> Result<Vec<EventView>> {
        let (_, staff) = self.visible_request(viewer, id).await?;
        let events = store::servicedesk::events(&mut self.read().await?, id, staff).await?;
        Ok(events
            .into_iter()
            .map(|e| EventView {
                at: local(e.at),
                actor_name: e.actor_name,
                kind: e.kind,
                public: e.public,
                body: e.body,
                minutes: e.minutes,
                from_state: e.from_state,
                to_state: e.to_state,
                assignee_name: e.assignee_name,
            })
            .collect())
    }

    /// A request's files (SHA-256, name).
    pub async fn request_attachments(
        &self,
        viewer: &User,
        id: i64,
    ) -> Result<Vec<(String, String)>> {
        self.visible_request(viewer, id).await?;
        Ok(store::servicedesk::attachments(&mut self.read().await?, id).await?)
    }

    /// One page of the requests `viewer` may see, and how many there are
    /// (up to the cap).
    pub async fn requests(
        &self,
        viewer: &User,
        q: &RequestQuery,
    ) -> Result<(Vec<RequestLineView>, i64)> {
        let flag = |v: &Option<String>| {
            v.as_deref()
                .is_some_and(|s| matches!(s.trim(), "1" | "true" | "yes" | "evet"))
        };
        let per_page = q.per_page.unwrap_or(50);
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(AppError::invalid("per_page", Code::OutOfRange));
        }
        let page = q.page.unwrap_or(1);
        if !(1..=10_000).contains(&page) {
            return Err(AppError::invalid("page", Code::OutOfRange));
        }
        let section = match q
            .section
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) if self.profile.unit(s).is_some() => Some(s.to_owned()),
            Some(_) => return Err(AppError::invalid("section", Code::UnknownUnit)),
            None => None,
        };
        let state = match q.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => {
                Some(RequestState::parse(s).ok_or(AppError::invalid("state", Code::UnknownState))?)
            }
            None => None,
        };
        let category = match q
            .category
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(c) if self.profile.request_category(c).is_some() => Some(c.to_owned()),
            Some(_) => return Err(AppError::invalid("category", Code::UnknownCategory)),
            None => None,
        };
        let by_due = match q.sort.as_deref().map(str::trim).unwrap_or("") {
            "" | "new" => false,
            "due" => true,
            _ => return Err(AppError::invalid("sort", Code::BadRequestSort)),
        };
        let at = now();
        let f = ListFilter {
            mine: flag(&q.mine).then_some(viewer.id),
            assigned: flag(&q.assigned).then_some(viewer.id),
            section,
            state,
            breached_at: flag(&q.breached).then_some(at),
            open: flag(&q.open),
            category,
            by_due: by_due || flag(&q.breached),
            limit: per_page,
            offset: (page - 1) * per_page,
        };
        let mut c = self.read().await?;
        let scope = self.scope(&mut c, viewer).await?;
        let rows = store::servicedesk::list(&mut c, &f, &scope).await?;
        let total =
            store::servicedesk::count(&mut c, &f, &scope, crate::inbox::COUNT_CAP + 1).await?;
        let en = crate::english();
        let lines = rows
            .into_iter()
            .map(|r| RequestLineView {
                id: r.id,
                number: r.number,
                title: r.title,
                category_name: self
                    .profile
                    .request_category(&r.category)
                    .map(|c| c.name_for(en).to_owned())
                    .unwrap_or(r.category),
                section_name: self.unit_name(&r.section),
                section: r.section,
                priority_name: self
                    .profile
                    .sla_class(&r.priority)
                    .map(|c| c.name_for(en).to_owned())
                    .unwrap_or_else(|| r.priority.clone()),
                priority: r.priority,
                breached: rules::breached(
                    r.state,
                    r.respond_by,
                    r.resolve_by,
                    r.responded_at.is_some(),
                    at,
                ),
                state: r.state,
                requester_name: r.requester_name,
                requester_department: r.requester_department,
                assignee_name: r.assignee_name,
                created_at: local(r.created_at),
                respond_by: local(r.respond_by),
                resolve_by: local(r.resolve_by),
            })
            .collect();
        Ok((lines, total))
    }

    /// Loads a request and the facts of the actor (and of `others`) inside
    /// the write.
    async fn request_for_change(
        &self,
        w: &mut store::Write,
        actor: &User,
        id: i64,
        others: &[i64],
    ) -> Result<(Request, domain::authority::FactSet)> {
        let r = store::servicedesk::get(&mut *w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        // What the actor may not see does not exist for him (404, not 403).
        if !self.may_see_request(&mut *w, actor, &r).await? {
            return Err(AppError::NotFound);
        }
        let mut facts = store::authority::facts_about(&mut *w, actor.id).await?;
        store::authority::add_holdings(&mut *w, &mut facts, others).await?;
        // A delegate's reach is his delegator's post.
        let delegators: Vec<i64> = domain::authority::Facts::delegations_to(&facts, actor.id)
            .iter()
            .map(|d| d.from_user)
            .collect();
        store::authority::add_holdings(&mut *w, &mut facts, &delegators).await?;
        Ok((r, facts))
    }

    /// Assigns a request to a member of its section (its Şef, or whoever
    /// holds his authority today).
    pub async fn assign_request(&self, actor: &User, id: i64, to: &str) -> Result<RequestView> {
        let to = self.user_named("to", to).await?;
        let mut w = self.write().await?;
        let at = w.at();
        let (r, facts) = self.request_for_change(&mut w, actor, id, &[to.id]).await?;
        let grant = rules::assign(&self.profile, &facts, actor, &r.facts(), to.id, at)?;
        let next = if r.state == RequestState::New {
            Some(RequestState::Assigned)
        } else {
            None
        };
        store::servicedesk::update(
            &mut w,
            id,
            &Change {
                state: next,
                assignee: Some(to.id),
                responded: true,
                ..Default::default()
            },
        )
        .await?;
        store::servicedesk::event(
            &mut w,
            id,
            Some(actor.id),
            "assigned",
            true,
            "",
            None,
            (next.map(|_| r.state), next),
            Some(to.id),
        )
        .await?;
        let details = serde_json::json!({"number": r.number, "to": to.username, "section": r.section, "before": r.assignee_id});
        w.commit(Audit::new(
            &grant,
            "request.assigned",
            format!("request:{id}"),
            details,
        ))
        .await?;
        if next.is_some() {
            self.notify_requester(id, "assigned");
        }
        self.request(actor, id).await
    }

    /// Moves a request along its states.
    pub async fn change_request_state(
        &self,
        actor: &User,
        id: i64,
        input: &StateInput,
    ) -> Result<RequestView> {
        let to = match input.state.trim() {
            "" => return Err(AppError::invalid("state", Code::Required)),
            s => RequestState::parse(s).ok_or(AppError::invalid("state", Code::UnknownState))?,
        };
        let note = lines("note", &input.note, 5000, false)?;
        let cal = self.calendar().await?;
        let mut w = self.write().await?;
        let at = w.at();
        let (r, facts) = self.request_for_change(&mut w, actor, id, &[]).await?;
        let grant = rules::change_state(&self.profile, &facts, actor, &r.facts(), to, at)?;
        let mut ch = Change {
            state: Some(to),
            ..Default::default()
        };
        let by_desk = r.requester_id != actor.id || r.assignee_id == Some(actor.id);
        ch.responded = by_desk;
        // The clock stops while waiting: leaving the wait moves both
        // deadlines by the working time it took.
        if r.state == RequestState::Waiting {
            if let Some(since) = r.waiting_since {
                let paused = self.desk.hours.between(&cal, since, at);
                let total = r.paused_seconds + paused;
                let move_by = |t: OffsetDateTime| {
                    self.desk
                        .hours
                        .add(&cal, t, paused as f64 / 3600.0)
                        .unwrap_or(t)
                };
                ch.deadlines = Some((move_by(r.respond_by), move_by(r.resolve_by), total));
            }
            ch.waiting_since = Some(None);
        }
        match to {
            RequestState::Waiting => ch.waiting_since = Some(Some(at)),
            RequestState::Resolved => ch.resolved_at = Some(Some(at)),
            RequestState::Closed => ch.closed_at = Some(at),
            RequestState::InProgress if r.state == RequestState::Resolved => {
                ch.resolved_at = Some(None)
            }
            _ => {}
        }
        store::servicedesk::update(&mut w, id, &ch).await?;
        store::servicedesk::event(
            &mut w,
            id,
            Some(actor.id),
            "state",
            true,
            &note,
            None,
            (Some(r.state), Some(to)),
            None,
        )
        .await?;
        let details = serde_json::json!({"number": r.number, "from": r.state.code(), "to": to.code(), "note": note});
        w.commit(Audit::new(
            &grant,
            "request.state_changed",
            format!("request:{id}"),
            details,
        ))
        .await?;
        if to == RequestState::Resolved {
            self.notify_requester(id, "resolved");
        }
        self.request(actor, id).await
    }

    /// A comment: public (the requester sees it) or internal (the desk).
    pub async fn comment_request(&self, actor: &User, id: i64, input: &CommentInput) -> Result<()> {
        let body = lines("body", &input.body, 10_000, true)?;
        let (_, staff) = self.visible_request(actor, id).await?;
        let mut w = self.write().await?;
        let at = w.at();
        let (r, facts) = self.request_for_change(&mut w, actor, id, &[]).await?;
        if r.state == RequestState::Closed {
            return Err(AppError::Conflict(Code::RequestClosed));
        }
        let desk = rules::is_desk(&self.profile, &facts, actor, &r.facts(), at);
        if input.internal && !staff {
            return Err(AppError::forbidden("member"));
        }
        let grant = desk.clone().unwrap_or_else(|| Grant::own_account(actor));
        if desk.is_some() && !input.internal {
            store::servicedesk::update(
                &mut w,
                id,
                &Change {
                    responded: true,
                    ..Default::default()
                },
            )
            .await?;
        } else {
            store::servicedesk::update(&mut w, id, &Change::default()).await?;
        }
        store::servicedesk::event(
            &mut w,
            id,
            Some(actor.id),
            "comment",
            !input.internal,
            &body,
            None,
            (None, None),
            None,
        )
        .await?;
        let details = serde_json::json!({"number": r.number, "internal": input.internal, "length": body.chars().count()});
        w.commit(Audit::new(
            &grant,
            "request.commented",
            format!("request:{id}"),
            details,
        ))
        .await?;
        if desk.is_some() && !input.internal && r.requester_id != actor.id {
            self.notify_requester(id, "comment");
        }
        Ok(())
    }

    /// Work logged with the time spent (the desk only).
    pub async fn log_request_work(
        &self,
        actor: &User,
        id: i64,
        input: &WorklogInput,
    ) -> Result<i64> {
        if !(1..=24 * 60).contains(&input.minutes) {
            return Err(AppError::invalid("minutes", Code::OutOfRange));
        }
        let note = lines("note", &input.note, 5000, false)?;
        let mut w = self.write().await?;
        let at = w.at();
        let (r, facts) = self.request_for_change(&mut w, actor, id, &[]).await?;
        let grant =
            rules::is_desk(&self.profile, &facts, actor, &r.facts(), at).ok_or_else(|| {
                AppError::forbidden(domain::authority::Authority::AssignRequests.id())
            })?;
        if r.state == RequestState::Closed {
            return Err(AppError::Conflict(Code::RequestClosed));
        }
        store::servicedesk::event(
            &mut w,
            id,
            Some(actor.id),
            "worklog",
            false,
            &note,
            Some(input.minutes),
            (None, None),
            None,
        )
        .await?;
        let details = serde_json::json!({"number": r.number, "minutes": input.minutes});
        w.commit(Audit::new(
            &grant,
            "request.work_logged",
            format!("request:{id}"),
            details,
        ))
        .await?;
        Ok(store::servicedesk::minutes_logged(&mut self.read().await?, id).await?)
    }

    /// The requester's rating (1–5) once resolved.
    pub async fn rate_request(&self, actor: &User, id: i64, input: &RatingInput) -> Result<()> {
        let comment = lines("comment", &input.comment, 2000, false)?;
        let mut w = self.write().await?;
        let (r, _) = self.request_for_change(&mut w, actor, id, &[]).await?;
        let grant = rules::rate(actor, &r.facts(), input.score)?;
        if r.rating.is_some() {
            return Err(AppError::Conflict(Code::AlreadyRated));
        }
        store::servicedesk::update(
            &mut w,
            id,
            &Change {
                rating: Some((input.score, comment.clone())),
                ..Default::default()
            },
        )
        .await?;
        store::servicedesk::event(
            &mut w,
            id,
            Some(actor.id),
            "rating",
            true,
            &comment,
            Some(input.score),
            (None, None),
            None,
        )
        .await?;
        w.commit(Audit::new(
            &grant,
            "request.rated",
            format!("request:{id}"),
            serde_json::json!({"number": r.number, "score": input.score}),
        ))
        .await?;
        Ok(())
    }

    /// Merges a duplicate into another request of its section: the
    /// duplicate closes, pointing to the one kept.
    pub async fn merge_request(&self, actor: &User, id: i64, into: &str) -> Result<RequestView> {
        let into = into.trim();
        if into.is_empty() {
            return Err(AppError::invalid("into", Code::Required));
        }
        let mut w = self.write().await?;
        let at = w.at();
        let (dup, facts) = self.request_for_change(&mut w, actor, id, &[]).await?;
        let target = match into.parse::<i64>() {
            Ok(n) => store::servicedesk::get(&mut w, n).await?,
            Err(_) => store::servicedesk::by_number(&mut w, into).await?,
        }
        .ok_or(AppError::invalid("into", Code::UnknownRequest))?;
        let grant = rules::merge(
            &self.profile,
            &facts,
            actor,
            &dup.facts(),
            &target.facts(),
            at,
        )?;
        store::servicedesk::update(
            &mut w,
            id,
            &Change {
                state: Some(RequestState::Closed),
                closed_at: Some(at),
                merged_into: Some(target.id),
                ..Default::default()
            },
        )
        .await?;
        store::servicedesk::event(
            &mut w,
            id,
            Some(actor.id),
            "merged",
            true,
            &target.number,
            None,
            (Some(dup.state), Some(RequestState::Closed)),
            None,
        )
        .await?;
        store::servicedesk::event(
            &mut w,
            target.id,
            Some(actor.id),
            "merged",
            true,
            &dup.number,
            None,
            (None, None),
            None,
        )
        .await?;
        w.commit(Audit::new(
            &grant,
            "request.merged",
            format!("request:{id}"),
            serde_json::json!({"number": dup.number, "into": target.number}),
        ))
        .await?;
        self.request(actor, id).await
    }

    /// Attaches stored files (uploaded by the actor) to a request.
    pub async fn attach_to_request(
        &self,
        actor: &User,
        id: i64,
        files: &[(String, String)],
    ) -> Result<()> {
        self.visible_request(actor, id).await?;
        for (sha, _) in files {
            self.may_attach(actor, sha).await?;
        }
        let mut w = self.write().await?;
        let r = store::servicedesk::get(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if r.state == RequestState::Closed {
            return Err(AppError::Conflict(Code::RequestClosed));
        }
        let already: Vec<String> = store::servicedesk::attachments(&mut w, id)
            .await?
            .into_iter()
            .map(|(sha, _)| sha)
            .collect();
        for (sha, name) in files.iter().filter(|(sha, _)| !already.contains(sha)) {
            store::servicedesk::attach(&mut w, id, sha, name).await?;
            store::servicedesk::event(
                &mut w,
                id,
                Some(actor.id),
                "attachment",
                true,
                name,
                None,
                (None, None),
                None,
            )
            .await?;
        }
        w.commit(Audit::new(
            &Grant::own_account(actor),
            "request.attached",
            format!("request:{id}"),
            serde_json::json!({"files": files.len()}),
        ))
        .await?;
        Ok(())
    }

    /// Closes resolved requests left without a reopening for the
    /// configured working days (`auto_close_working_days`); how many.
    pub async fn close_resolved_requests(&self) -> Result<usize> {
        let cal = self.calendar().await?;
        let n = self.desk.settings.auto_close_working_days as f64;
        // The resolution moment N working days before now.
        let now = now();
        let mut before = now;
        // Walk back day by day until the working time between is N days.
        let day = self.desk.hours.day_hours() * 3600.0;
        for _ in 0..400 {
            if self.desk.hours.between(&cal, before, now) as f64 >= n * day {
                break;
            }
            before -= time::Duration::hours(6);
        }
        let ids = store::servicedesk::resolved_before(&mut self.read().await?, before, 500).await?;
        let mut closed = 0;
        for id in ids {
            let mut w = self.write().await?;
            let at = w.at();
            let Some(r) = store::servicedesk::get(&mut w, id).await? else {
                continue;
            };
            if r.state != RequestState::Resolved {
                continue;
            }
            store::servicedesk::update(
                &mut w,
                id,
                &Change {
                    state: Some(RequestState::Closed),
                    closed_at: Some(at),
                    ..Default::default()
                },
            )
            .await?;
            store::servicedesk::event(
                &mut w,
                id,
                None,
                "state",
                true,
                "",
                None,
                (Some(RequestState::Resolved), Some(RequestState::Closed)),
                None,
            )
            .await?;
            let grant = Grant::system(domain::authority::SystemTask::CloseResolvedRequests);
            w.commit(Audit::new(
                &grant,
                "request.closed_automatically",
                format!("request:{id}"),
                serde_json::json!({"number": r.number, "after_working_days": n}),
            ))
            .await?;
            closed += 1;
        }
        Ok(closed)
    }

    /// SLA compliance per section and month of resolution in `year`.
    pub async fn sla_report(&self, viewer: &User, year: i64) -> Result<Vec<SlaLine>> {
        let year = crate::input::year("year", year, 2200)? as i32;
        if !self.is_staff(&mut self.read().await?, viewer).await? {
            return Err(AppError::forbidden("member"));
        }
        let start = time::Date::from_calendar_date(year, time::Month::January, 1)
            .map_err(|_| AppError::invalid("year", Code::BadYear))?;
        let end = time::Date::from_calendar_date(year + 1, time::Month::January, 1)
            .map_err(|_| AppError::invalid("year", Code::BadYear))?;
        let (from, until) = (
            start.midnight().assume_offset(domain::local::OFFSET),
            end.midnight().assume_offset(domain::local::OFFSET),
        );
        let rows = store::servicedesk::sla_report(&mut self.read().await?, from, until).await?;
        let mut by: std::collections::BTreeMap<(String, String), (i64, i64, i64)> =
            std::collections::BTreeMap::new();
        for (section, resolved_at, on_time, answered) in rows {
            let d = domain::local::date(resolved_at);
            let e = by
                .entry((section, format!("{}-{:02}", d.year(), d.month() as u8)))
                .or_default();
            e.0 += 1;
            e.1 += on_time as i64;
            e.2 += answered as i64;
        }
        Ok(by
            .into_iter()
            .map(|((section, month), (n, ok, answered))| SlaLine {
                section_name: self.unit_name(&section),
                section,
                month,
                resolved: n,
                resolved_on_time: ok,
                responded_on_time: answered,
                compliance: if n == 0 {
                    0.0
                } else {
                    (ok as f64 * 1000.0 / n as f64).round() / 10.0
                },
            })
            .collect())
    }

    /// People of a section a request can be assigned to: (username, name).
    pub async fn section_members(&self, section: &str) -> Result<Vec<(String, String)>> {
        let staff = store::staff::list(&mut self.read().await?).await?;
        let at = now();
        Ok(staff
            .into_iter()
            .filter(|s| {
                s.current(at).any(|a| {
                    self.profile
                        .position(&a.position)
                        .is_some_and(|p| self.profile.unit_within(&p.unit, section))
                })
            })
            .filter_map(|s| s.username.map(|u| (u, s.full_name)))
            .collect())
    }
}

impl App {
    /// The section `user` works in now, if any (his queue's default).
    pub async fn own_section(&self, user: &User) -> Result<Option<String>> {
        let facts = store::authority::own_facts(&mut self.read().await?, user.id).await?;
        let at = now();
        Ok(domain::authority::Facts::holdings(&facts, user.id)
            .iter()
            .filter(|h| h.period.contains(at))
            .filter_map(|h| self.profile.position(&h.position).map(|p| p.unit.clone()))
            .find(|u| self.profile.unit(u).is_some_and(|x| x.kind == "section")))
    }

    /// Every account as (username, name), by name: whom the Kalem may file
    /// a request for.
    pub async fn account_names(&self) -> Result<Vec<(String, String)>> {
        Ok(store::accounts::names(&mut self.read().await?).await?)
    }
}

/// The desk's housekeeping, every ten minutes: closing resolved requests
/// nobody reopened in time, and making the tasks of maintenance plans that
/// are due. Each act is its own transaction, audited as the system's.
pub fn spawn_housekeeping(app: App) {
    tokio::spawn(async move {
        loop {
            match app.close_resolved_requests().await {
                Ok(n) if n > 0 => tracing::info!(closed = n, "closed resolved requests"),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "closing resolved requests failed; trying again at the next round")
                }
            }
            match app.run_maintenance_plans(domain::local::date(now())).await {
                Ok(n) if n > 0 => tracing::info!(made = n, "made the tasks of maintenance plans"),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "maintenance plans failed; trying again at the next round")
                }
            }
            tokio::time::sleep(std::time::Duration::from_secs(600)).await;
        }
    });
}

impl App {
    /// The directorate's staff now, as (username, "Name — post"), in Turkish
    /// alphabetical order (a working group's members).
    pub async fn directorate_staff(&self) -> Result<Vec<(String, String)>> {
        let staff = store::staff::list(&mut self.read().await?).await?;
        let at = now();
        let dir = self.profile.directorate().id.clone();
        let en = crate::english();
        let mut out: Vec<(String, String)> = staff
            .into_iter()
            .filter_map(|s| {
                let a = s.current(at).find(|a| {
                    self.profile
                        .position(&a.position)
                        .is_some_and(|p| self.profile.unit_within(&p.unit, &dir))
                })?;
                let title = self
                    .profile
                    .position(&a.position)
                    .map(|p| p.name_for(en).to_owned())
                    .unwrap_or_default();
                s.username
                    .clone()
                    .map(|u| (u, format!("{} — {title}", s.full_name)))
            })
            .collect();
        out.sort_by(|a, b| domain::turkish::compare(&a.1, &b.1));
        Ok(out)
    }
}

impl App {
    /// Tells the requester by e-mail what happened to his request (when an
    /// SMTP server is configured and an address is known: his account's,
    /// his staff record's, or the one his mail came from). The subject
    /// carries `[#number]`, so his reply is added to the request. Sent
    /// after the change committed, in the background: a mail server that
    /// is down loses the notice, never the change.
    pub(crate) fn notify_requester(&self, request_id: i64, what: &'static str) {
        let Some(smtp) = self.smtp.clone() else {
            return;
        };
        let app = self.clone();
        tokio::spawn(async move {
            if let Err(e) = app.send_notice(&smtp, request_id, what).await {
                tracing::warn!(request_id, error = %e, "could not tell the requester by e-mail");
            }
        });
    }

    async fn send_notice(
        &self,
        smtp: &crate::digest::SmtpConfig,
        request_id: i64,
        what: &'static str,
    ) -> Result<()> {
        let r = store::servicedesk::get(&mut self.read().await?, request_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let own = store::accounts::email_of(&mut self.read().await?, r.requester_id).await?;
        let address = if own.trim().is_empty() {
            r.email_from.clone().unwrap_or_default()
        } else {
            own
        };
        let Ok(to) = format!("{} <{}>", r.requester_name, address.trim())
            .parse::<lettre::message::Mailbox>()
        else {
            return Ok(());
        };
        let from: lettre::message::Mailbox = smtp
            .from
            .parse()
            .map_err(|_| AppError::Conflict(Code::SmtpNotConfigured))?;
        let section = self.unit_name(&r.section);
        let (subject, text) = match what {
            "filed" => (format!("[#{}] Talebiniz alındı: {}", r.number, r.title), format!("Talebiniz {} numarasıyla {section} birimine iletildi.", r.number)),
            "assigned" => (format!("[#{}] Talebiniz ele alındı: {}", r.number, r.title), format!("Talebiniz {} tarafından ele alınıyor.", r.assignee_name.clone().unwrap_or_default())),
            "resolved" => (
                format!("[#{}] Talebiniz çözüldü: {}", r.number, r.title),
                "Talebiniz çözüldü olarak işaretlendi. Sorun sürüyorsa bu iletiyi yanıtlayın; yanıtınız talebe eklenir. Mudurluk'ta talebi değerlendirip kapatabilirsiniz.".to_owned(),
            ),
            _ => (format!("[#{}] Talebinize yanıt: {}", r.number, r.title), "Talebinize yeni bir yanıt yazıldı; Mudurluk'ta okuyabilirsiniz.".to_owned()),
        };
        let body = format!(
            "Sayın {},\n\n{text}\n\nTalep: {} — {}\nBirim: {section}\n",
            r.requester_name, r.number, r.title
        );
        let message = lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            // RFC 3834: an automatic notice, not to be answered automatically.
            .header(AutoSubmitted)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| AppError::Internal(e.into()))?;
        let transport = smtp
            .transport()
            .map_err(|e| AppError::Unavailable(format!("smtp: {e}")))?;
        lettre::AsyncTransport::send(&transport, message)
            .await
            .map_err(|e| AppError::Unavailable(format!("smtp: {e}")))?;
        Ok(())
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834), so that an auto-responder
/// does not answer the desk's notices and start a loop.
#[derive(Clone)]
pub(crate) struct AutoSubmitted;

impl lettre::message::header::Header for AutoSubmitted {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }
    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), "auto-generated".into())
    }
}
