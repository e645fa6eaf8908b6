//! Tasks (m.18), working groups (m.10/9) and recurring maintenance plans.
//! The rules are `domain::task`'s.

use domain::authority::{Grant, SystemTask};
use domain::code::Code;
use domain::task::{self as rules, AssigneeStep, TaskSource, TaskState};
use store::tasks::{NewGroup, NewPlan, NewTask, Task, TaskChange, TaskList};
use store::Audit;
use time::{Date, OffsetDateTime};

use crate::input::{lines, required_date, text};
use crate::{now, App, AppError, Result, User};

/// Where a task comes from.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SourceInput {
    /// `order`, `incoming` or `request`.
    pub kind: String,
    /// The incoming document's or the request's id.
    pub id: Option<i64>,
}

/// A task as it is given.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewTaskInput {
    pub title: String,
    pub description: String,
    /// Usernames.
    pub assignees: Vec<String>,
    /// `YYYY-MM-DD`
    pub due: String,
    pub source: SourceInput,
    /// A working group's id, when its chair gives the task to its members.
    pub group: Option<i64>,
    pub milestones: Vec<MilestoneInput>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MilestoneInput {
    pub title: String,
    pub due: String,
}

/// The assignee's note with a step.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TaskNoteInput {
    /// The reason (giving back), the note (progress) or the result report (done).
    pub note: String,
    /// Progress, 0–100.
    pub percent: Option<i64>,
}

/// The giver's decision on a result.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ApproveInput {
    /// `false` sends the task back to be carried on.
    pub approved: bool,
    pub note: String,
}

impl Default for ApproveInput {
    fn default() -> Self {
        ApproveInput {
            approved: true,
            note: String::new(),
        }
    }
}

/// A working group as it is formed (m.10/9).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewGroupInput {
    pub name: String,
    pub mandate: String,
    /// The chair's username.
    pub chair: String,
    /// Staff of the directorate, by username.
    pub members: Vec<String>,
    /// People of other directorates.
    pub participants: Vec<ParticipantInput>,
    /// `YYYY-MM-DD`
    pub starts_on: String,
    pub ends_on: String,
    /// The Müdür's approval (olur) reference.
    pub approval_ref: String,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ParticipantInput {
    pub name: String,
    pub unit: String,
}

/// A recurring maintenance plan.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewPlanInput {
    pub title: String,
    pub description: String,
    /// `weekly:1` (every Monday; 1–7) or `monthly:15` (each month on the 15th; 1–28).
    pub schedule: String,
    pub assignee: String,
    /// The first date a task is made.
    pub starts_on: String,
}

/// A task, for its page and the API.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TaskView {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub state: TaskState,
    pub giver_name: Option<String>,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso_date")]
    pub due: Date,
    pub overdue: bool,
    pub percent: i64,
    pub source: TaskSource,
    pub source_id: Option<i64>,
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
    pub result: Option<String>,
    /// The basis the giving rests on.
    pub basis: String,
    pub assignees: Vec<AssigneeView>,
    pub milestones: Vec<MilestoneView>,
    pub actions: TaskActions,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AssigneeView {
    pub name: String,
    pub accepted: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MilestoneView {
    pub title: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso_date")]
    pub due: Date,
    pub done: bool,
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize, utoipa::ToSchema)]
pub struct TaskActions {
    pub accept: bool,
    pub give_back: bool,
    pub progress: bool,
    pub done: bool,
    pub approve: bool,
}

/// A line of a task's history.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TaskEventView {
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    pub actor_name: Option<String>,
    pub kind: String,
    pub body: String,
    pub percent: Option<i64>,
}

/// A working group.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    pub mandate: String,
    pub chair_name: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso_date")]
    pub starts_on: Date,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "iso_date::option")]
    pub ends_on: Option<Date>,
    pub approval_ref: String,
    pub active: bool,
    pub members: Vec<MemberView>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MemberView {
    pub name: String,
    /// Empty for staff of the directorate; the unit of a participant.
    pub unit: String,
}

/// A maintenance plan.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PlanView {
    pub id: i64,
    pub title: String,
    pub schedule: String,
    pub assignee_name: String,
    pub giver_name: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "iso_date")]
    pub next_on: Date,
    pub active: bool,
}

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// A plan's schedule: every week on a weekday, or every month on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// 1 = Monday … 7 = Sunday.
    Weekly(u8),
    /// 1–28.
    Monthly(u8),
}

impl Schedule {
    pub fn parse(s: &str) -> Option<Schedule> {
        let (kind, n) = s.trim().split_once(':')?;
        if n.is_empty()
            || n.len() > 2
            || !n.bytes().all(|b| b.is_ascii_digit())
            || n.starts_with('0')
        {
            return None;
        }
        let n: u8 = n.parse().ok()?;
        match kind.trim() {
            "weekly" if (1..=7).contains(&n) => Some(Schedule::Weekly(n)),
            "monthly" if (1..=28).contains(&n) => Some(Schedule::Monthly(n)),
            _ => None,
        }
    }

    /// The first date on or after `from` the schedule falls on.
    pub fn on_or_after(self, from: Date) -> Date {
        let mut d = from;
        for _ in 0..40 {
            let hit = match self {
                Schedule::Weekly(w) => d.weekday().number_from_monday() == w,
                Schedule::Monthly(m) => d.day() == m,
            };
            if hit {
                return d;
            }
            d = d.next_day().unwrap_or(d);
        }
        d
    }
}

impl App {
    /// Whom `actor` may give a task to: the people whose posts report up to
    /// his (or to the post he stands in for), as (username, "Name — post"),
    /// in Turkish alphabetical order.
    pub async fn subordinates(&self, actor: &User) -> Result<Vec<(String, String)>> {
        let mut c = self.read().await?;
        let facts = store::authority::facts_about(&mut c, actor.id).await?;
        let staff = store::staff::list(&mut c).await?;
        let at = now();
        let mine: Vec<String> =
            domain::authority::authorities_of(&self.profile, &facts, actor.id, at)
                .into_iter()
                .filter(|(a, _)| a.id == domain::authority::Authority::AssignTasks.id())
                .filter_map(|(_, b)| match b {
                    domain::authority::Basis::Position { position, .. }
                    | domain::authority::Basis::Deputyship { position, .. } => Some(position),
                    _ => None,
                })
                .chain(
                    domain::authority::Facts::holdings(&facts, actor.id)
                        .iter()
                        .filter(|h| h.period.contains(at))
                        .map(|h| h.position.clone()),
                )
                .collect();
        let en = crate::english();
        let mut out: Vec<(String, String)> = staff
            .into_iter()
            .filter(|s| s.user_id != Some(actor.id))
            .filter_map(|s| {
                let post = s
                    .current(at)
                    .find(|a| {
                        mine.iter()
                            .any(|boss| self.profile.reports_up_to(&a.position, boss))
                    })?
                    .position
                    .clone();
                let title = self
                    .profile
                    .position(&post)
                    .map(|p| domain::profile::Named::name_for(p, en).to_owned())
                    .unwrap_or_default();
                s.username
                    .map(|u| (u, format!("{} — {title}", s.full_name)))
            })
            .collect();
        out.sort_by(|a, b| domain::turkish::compare(&a.1, &b.1));
        Ok(out)
    }

    fn task_view(&self, viewer: &User, t: Task, today: Date) -> TaskView {
        let f = t.facts();
        let mine = f.assignees.contains(&viewer.id);
        let actions = TaskActions {
            accept: mine && t.state == TaskState::Given,
            give_back: mine && matches!(t.state, TaskState::Given | TaskState::Accepted),
            progress: mine && t.state == TaskState::Accepted,
            done: mine && t.state == TaskState::Accepted,
            approve: t.giver_id == Some(viewer.id) && t.state == TaskState::Done,
        };
        TaskView {
            id: t.id,
            overdue: t.state.is_open() && t.due < today,
            title: t.title,
            description: t.description,
            state: t.state,
            giver_name: t.giver_name,
            due: t.due,
            percent: t.percent,
            source: t.source,
            source_id: t.source_id,
            group_id: t.group_id,
            group_name: t.group_name,
            result: t.result,
            basis: t.basis,
            assignees: t
                .assignees
                .into_iter()
                .map(|a| AssigneeView {
                    name: a.name,
                    accepted: a.accepted_at.is_some(),
                })
                .collect(),
            milestones: t
                .milestones
                .into_iter()
                .map(|m| MilestoneView {
                    title: m.title,
                    due: m.due,
                    done: m.done_at.is_some(),
                })
                .collect(),
            actions,
        }
    }

    /// Gives a task (m.18/1): only a superior of every assignee, or a
    /// working group's chair to its members.
    pub async fn give_task(&self, actor: &User, input: &NewTaskInput) -> Result<TaskView> {
        let title = text("title", &input.title, 200, true)?;
        let description = lines("description", &input.description, 20_000, false)?;
        let due = required_date("due", &input.due)?;
        if due < domain::local::date(now()) {
            return Err(AppError::invalid("due", Code::DateInPast));
        }
        if input.assignees.is_empty() {
            return Err(AppError::invalid("assignees", Code::Required));
        }
        if input.assignees.len() > 30 {
            return Err(AppError::invalid("assignees", Code::TooMany));
        }
        let mut assignees = Vec::new();
        for a in &input.assignees {
            let u = self.user_named("assignees", a).await?;
            if !assignees.contains(&u.id) {
                assignees.push(u.id);
            }
        }
        if input.milestones.len() > 20 {
            return Err(AppError::invalid("milestones", Code::TooMany));
        }
        let mut milestones = Vec::new();
        for m in &input.milestones {
            let title = text("milestones", &m.title, 200, true)?;
            let d = required_date("milestones", &m.due)?;
            if d > due {
                return Err(AppError::invalid("milestones", Code::AfterLegalDue));
            }
            milestones.push((title, d));
        }
        // Who gives no tasks at all is told so first (403 naming the
        // authority), before anything about the task is checked.
        if input.group.is_none() && !self.capabilities(actor).await?.give_tasks {
            return Err(AppError::forbidden(
                domain::authority::Authority::AssignTasks.id(),
            ));
        }
        let source = match input.source.kind.trim() {
            "" => TaskSource::Order,
            k => TaskSource::parse(k)
                .filter(|s| *s != TaskSource::Plan)
                .ok_or(AppError::invalid("source", Code::BadSource))?,
        };
        let source_id = match source {
            TaskSource::Order => None,
            TaskSource::Incoming => {
                let id = input
                    .source
                    .id
                    .ok_or(AppError::invalid("source", Code::Required))?;
                // m.18/1-c: the document reached the giver (routed to him or
                // his unit, or he routes): he details the task from it.
                let view = self.incoming(actor, id).await.map_err(|e| match e {
                    AppError::NotFound => AppError::invalid("source", Code::UnknownIncoming),
                    e => e,
                })?;
                if view.document.state == domain::incoming::State::Closed {
                    return Err(AppError::Conflict(Code::AlreadyClosed));
                }
                if !(view.actions.route
                    || view.actions.close
                    || view.actions.reply
                    || view.actions.deliver)
                {
                    return Err(AppError::invalid("source", Code::NotOnDocument));
                }
                Some(id)
            }
            TaskSource::Request => {
                let id = input
                    .source
                    .id
                    .ok_or(AppError::invalid("source", Code::Required))?;
                // A request becomes a task by whoever distributes its
                // section's requests, while it is open.
                let r = self.request(actor, id).await.map_err(|e| match e {
                    AppError::NotFound => AppError::invalid("source", Code::UnknownRequest),
                    e => e,
                })?;
                if !r.actions.make_task {
                    return Err(AppError::invalid("source", Code::NotOnDocument));
                }
                Some(id)
            }
            TaskSource::Plan => None,
        };
        let mut w = self.write().await?;
        let at = w.at();
        let mut facts = store::authority::facts_about(&mut w, actor.id).await?;
        store::authority::add_holdings(&mut w, &mut facts, &assignees).await?;
        let delegators: Vec<i64> = domain::authority::Facts::delegations_to(&facts, actor.id)
            .iter()
            .map(|d| d.from_user)
            .collect();
        store::authority::add_holdings(&mut w, &mut facts, &delegators).await?;
        let group = match input.group {
            Some(g) => Some(
                store::tasks::group(&mut w, g)
                    .await?
                    .ok_or(AppError::invalid("group", Code::NotFound))?
                    .facts(domain::local::date(at)),
            ),
            None => None,
        };
        let grant = rules::give(&self.profile, &facts, actor, &assignees, group.as_ref(), at)?;
        let id = store::tasks::insert(
            &mut w,
            &NewTask {
                title,
                description,
                giver: Some(actor.id),
                assignees: assignees.clone(),
                due,
                source,
                source_id,
                group_id: group.as_ref().map(|g| g.id),
                plan_id: None,
                basis: grant.basis_text(),
                milestones,
            },
        )
        .await?;
        if source == TaskSource::Request {
            if let Some(rid) = source_id {
                store::servicedesk::update(
                    &mut w,
                    rid,
                    &store::servicedesk::Change {
                        task_id: Some(id),
                        ..Default::default()
                    },
                )
                .await?;
                store::servicedesk::event(
                    &mut w,
                    rid,
                    Some(actor.id),
                    "task",
                    false,
                    &format!("#{id}"),
                    None,
                    (None, None),
                    None,
                )
                .await?;
            }
        }
        let details = serde_json::json!({"title": input.title.trim(), "assignees": input.assignees, "due": input.due, "source": source.code(), "source_id": source_id, "group": input.group});
        w.commit(Audit::new(
            &grant,
            "task.given",
            format!("task:{id}"),
            details,
        ))
        .await?;
        self.task(actor, id).await
    }

    /// Whether `viewer` may see the task: its giver, an assignee, a member
    /// or chair of its working group, a superior (holder of
    /// `assign_tasks`), or the administrator.
    async fn visible_task(&self, viewer: &User, id: i64) -> Result<Task> {
        let mut c = self.read().await?;
        let t = store::tasks::get(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if viewer.is_admin
            || t.giver_id == Some(viewer.id)
            || t.assignees.iter().any(|a| a.id == viewer.id)
        {
            return Ok(t);
        }
        if let Some(g) = t.group_id {
            if let Some(g) = store::tasks::group(&mut c, g).await? {
                if g.chair_id == viewer.id || g.members.iter().any(|m| m.user_id == Some(viewer.id))
                {
                    return Ok(t);
                }
            }
        }
        let facts = store::authority::facts_about(&mut c, viewer.id).await?;
        store_free_superior(&self.profile, &facts, viewer, &t, &mut c)
            .await?
            .then_some(t)
            .ok_or(AppError::NotFound)
    }

    pub async fn task(&self, viewer: &User, id: i64) -> Result<TaskView> {
        let t = self.visible_task(viewer, id).await?;
        Ok(self.task_view(viewer, t, domain::local::date(now())))
    }

    pub async fn task_events(&self, viewer: &User, id: i64) -> Result<Vec<TaskEventView>> {
        self.visible_task(viewer, id).await?;
        Ok(store::tasks::events(&mut self.read().await?, id)
            .await?
            .into_iter()
            .map(|e| TaskEventView {
                at: e.at.to_offset(domain::local::OFFSET),
                actor_name: e.actor_name,
                kind: e.kind,
                body: e.body,
                percent: e.percent,
            })
            .collect())
    }

    /// The tasks of one list.
    pub async fn tasks(&self, viewer: &User, which: &str) -> Result<Vec<TaskView>> {
        let list = match which {
            "" | "mine" => TaskList::Mine(viewer.id),
            "given" => TaskList::Given(viewer.id),
            "groups" => TaskList::Groups(viewer.id),
            _ => return Err(AppError::invalid("list", Code::BadTaskList)),
        };
        let today = domain::local::date(now());
        let tasks = store::tasks::list(&mut self.read().await?, list, 300).await?;
        Ok(tasks
            .into_iter()
            .map(|t| self.task_view(viewer, t, today))
            .collect())
    }

    /// The tasks made from one record (an incoming document, a request),
    /// for its page.
    pub async fn tasks_from(
        &self,
        viewer: &User,
        kind: TaskSource,
        id: i64,
    ) -> Result<Vec<TaskView>> {
        let today = domain::local::date(now());
        let tasks =
            store::tasks::list(&mut self.read().await?, TaskList::Source(kind, id), 50).await?;
        let mut out = Vec::new();
        for t in tasks {
            if self.visible_task(viewer, t.id).await.is_ok() {
                out.push(self.task_view(viewer, t, today));
            }
        }
        Ok(out)
    }

    /// The assignee's step: accept, give back (with a reason), report
    /// progress, report done (with the result).
    pub async fn task_step(
        &self,
        actor: &User,
        id: i64,
        step: AssigneeStep,
        input: &TaskNoteInput,
    ) -> Result<TaskView> {
        self.visible_task(actor, id).await?;
        let note = lines(
            "note",
            &input.note,
            10_000,
            matches!(step, AssigneeStep::GiveBack | AssigneeStep::Done),
        )?;
        let percent = match (step, input.percent) {
            (_, Some(p)) if !(0..=100).contains(&p) => {
                return Err(AppError::invalid("percent", Code::OutOfRange))
            }
            (AssigneeStep::Progress, None) if note.is_empty() => {
                return Err(AppError::invalid("note", Code::Required))
            }
            (AssigneeStep::Done, _) => Some(100),
            (_, p) => p,
        };
        let mut w = self.write().await?;
        let t = store::tasks::get(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (grant, next) = rules::assignee_step(actor, &t.facts(), step)?;
        if step == AssigneeStep::GiveBack && t.assignees.len() > 1 {
            store::tasks::remove_assignee(&mut w, id, actor.id).await?;
        }
        let ch = TaskChange {
            state: Some(next),
            percent,
            result: (step == AssigneeStep::Done).then(|| note.clone()),
            done: step == AssigneeStep::Done,
            accepted_by: (step == AssigneeStep::Accept).then_some(actor.id),
            ..Default::default()
        };
        store::tasks::update(&mut w, id, &ch).await?;
        let (kind, action) = match step {
            AssigneeStep::Accept => ("accepted", "task.accepted"),
            AssigneeStep::GiveBack => ("given_back", "task.given_back"),
            AssigneeStep::Progress => ("progress", "task.progress"),
            AssigneeStep::Done => ("done", "task.done"),
        };
        store::tasks::event(&mut w, id, Some(actor.id), kind, &note, percent).await?;
        w.commit(Audit::new(
            &grant,
            action,
            format!("task:{id}"),
            serde_json::json!({"percent": percent, "note": note}),
        ))
        .await?;
        let t = store::tasks::get(&mut self.read().await?, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(self.task_view(actor, t, domain::local::date(now())))
    }

    /// The giver approves the result, or sends it back.
    pub async fn approve_task(
        &self,
        actor: &User,
        id: i64,
        input: &ApproveInput,
    ) -> Result<TaskView> {
        self.visible_task(actor, id).await?;
        let note = lines("note", &input.note, 5000, !input.approved)?;
        let mut w = self.write().await?;
        let t = store::tasks::get(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (grant, next) = rules::approve(actor, &t.facts(), input.approved)?;
        store::tasks::update(
            &mut w,
            id,
            &TaskChange {
                state: Some(next),
                approved: input.approved,
                ..Default::default()
            },
        )
        .await?;
        let (kind, action) = if input.approved {
            ("approved", "task.approved")
        } else {
            ("sent_back", "task.sent_back")
        };
        store::tasks::event(&mut w, id, Some(actor.id), kind, &note, None).await?;
        w.commit(Audit::new(
            &grant,
            action,
            format!("task:{id}"),
            serde_json::json!({"note": note}),
        ))
        .await?;
        self.task(actor, id).await
    }

    /// The open tasks past their date of `user` (the home page, the digest).
    pub async fn overdue_tasks(&self, user: &User) -> Result<i64> {
        Ok(store::tasks::overdue_count(
            &mut self.read().await?,
            user.id,
            domain::local::date(now()),
            crate::inbox::COUNT_CAP,
        )
        .await?)
    }

    /// Forms a working group (m.10/9).
    pub async fn form_working_group(
        &self,
        actor: &User,
        input: &NewGroupInput,
    ) -> Result<GroupView> {
        let name = text("name", &input.name, 200, true)?;
        let mandate = lines("mandate", &input.mandate, 10_000, true)?;
        let approval_ref = text("approval_ref", &input.approval_ref, 200, true)?;
        let starts_on = required_date("starts_on", &input.starts_on)?;
        let ends_on = crate::input::date("ends_on", &input.ends_on)?;
        if ends_on.is_some_and(|e| e < starts_on) {
            return Err(AppError::invalid("ends_on", Code::BeforeFrom));
        }
        let chair = self.user_named("chair", &input.chair).await?;
        if input.members.len() + input.participants.len() > 100 {
            return Err(AppError::invalid("members", Code::TooMany));
        }
        let mut members = vec![chair.id];
        for m in &input.members {
            let u = self.user_named("members", m).await?;
            if !members.contains(&u.id) {
                members.push(u.id);
            }
        }
        let mut participants = Vec::new();
        for p in &input.participants {
            participants.push((
                text("participants", &p.name, 120, true)?,
                text("participants", &p.unit, 200, true)?,
            ));
        }
        let mut w = self.write().await?;
        let at = w.at();
        let facts = store::authority::facts_about(&mut w, actor.id).await?;
        let grant = rules::form_group(&self.profile, &facts, actor, at)?;
        // The members are the directorate's staff (m.10/9 "personel
        // görevlendirmek"); others join as named participants.
        let mut all = facts.clone();
        store::authority::add_holdings(&mut w, &mut all, &members).await?;
        let dir = self.profile.directorate().id.clone();
        if members
            .iter()
            .any(|m| !domain::servicedesk::member_of(&self.profile, &all, *m, &dir, at))
        {
            return Err(AppError::invalid("members", Code::MemberOutsideDirectorate));
        }
        let id = store::tasks::insert_group(
            &mut w,
            &NewGroup {
                name,
                mandate,
                chair: chair.id,
                starts_on,
                ends_on,
                approval_ref,
                created_by: actor.id,
                members: members.clone(),
                participants,
            },
        )
        .await?;
        let details = serde_json::json!({"name": input.name.trim(), "chair": chair.username, "members": input.members, "participants": input.participants.len(), "approval_ref": input.approval_ref.trim()});
        w.commit(Audit::new(
            &grant,
            "working_group.formed",
            format!("working_group:{id}"),
            details,
        ))
        .await?;
        let g = store::tasks::group(&mut self.read().await?, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(group_view(g, domain::local::date(now())))
    }

    /// Every working group (for the directorate's staff).
    pub async fn working_groups(&self, viewer: &User) -> Result<Vec<GroupView>> {
        self.may_read_shared(viewer).await?;
        let today = domain::local::date(now());
        Ok(store::tasks::groups(&mut self.read().await?)
            .await?
            .into_iter()
            .map(|g| group_view(g, today))
            .collect())
    }

    /// A recurring maintenance plan: its tasks are made on schedule, given
    /// by the plan's maker (who must be the assignee's superior).
    pub async fn add_maintenance_plan(
        &self,
        actor: &User,
        input: &NewPlanInput,
    ) -> Result<PlanView> {
        let title = text("title", &input.title, 200, true)?;
        let description = lines("description", &input.description, 5000, false)?;
        let schedule = Schedule::parse(&input.schedule)
            .ok_or(AppError::invalid("schedule", Code::BadSchedule))?;
        let canonical = match schedule {
            Schedule::Weekly(n) => format!("weekly:{n}"),
            Schedule::Monthly(n) => format!("monthly:{n}"),
        };
        let assignee = self.user_named("assignee", &input.assignee).await?;
        let today = domain::local::date(now());
        let starts = crate::input::date("starts_on", &input.starts_on)?.unwrap_or(today);
        if starts < today {
            return Err(AppError::invalid("starts_on", Code::DateInPast));
        }
        let mut w = self.write().await?;
        let at = w.at();
        let mut facts = store::authority::facts_about(&mut w, actor.id).await?;
        store::authority::add_holdings(&mut w, &mut facts, &[assignee.id]).await?;
        let grant = rules::give(&self.profile, &facts, actor, &[assignee.id], None, at)?;
        let next_on = schedule.on_or_after(starts);
        let id = store::tasks::insert_plan(
            &mut w,
            &NewPlan {
                title,
                description,
                schedule: canonical.clone(),
                assignee: assignee.id,
                giver: actor.id,
                next_on,
            },
        )
        .await?;
        w.commit(Audit::new(
            &grant,
            "maintenance_plan.added",
            format!("maintenance_plan:{id}"),
            serde_json::json!({"schedule": canonical, "assignee": assignee.username}),
        ))
        .await?;
        let p = store::tasks::plans(&mut self.read().await?)
            .await?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or(AppError::NotFound)?;
        Ok(plan_view(p))
    }

    pub async fn maintenance_plans(&self, viewer: &User) -> Result<Vec<PlanView>> {
        self.may_read_shared(viewer).await?;
        Ok(store::tasks::plans(&mut self.read().await?)
            .await?
            .into_iter()
            .map(plan_view)
            .collect())
    }

    /// Makes the tasks of the plans due on `today` (the background worker,
    /// once a day and at start); how many.
    pub async fn run_maintenance_plans(&self, today: Date) -> Result<usize> {
        let due = store::tasks::plans_due(&mut self.read().await?, today).await?;
        let mut made = 0;
        for p in due {
            let Some(schedule) = Schedule::parse(&p.schedule) else {
                continue;
            };
            let mut w = self.write().await?;
            // Another node may have made it already.
            let Some(fresh) = store::tasks::plans_due(&mut w, today)
                .await?
                .into_iter()
                .find(|x| x.id == p.id)
            else {
                continue;
            };
            let id = store::tasks::insert(
                &mut w,
                &NewTask {
                    title: fresh.title.clone(),
                    description: fresh.description.clone(),
                    giver: Some(fresh.giver_id),
                    assignees: vec![fresh.assignee_id],
                    due: fresh.next_on,
                    source: TaskSource::Plan,
                    source_id: Some(fresh.id),
                    group_id: None,
                    plan_id: Some(fresh.id),
                    basis: format!("m.18/2 (maintenance_plan:{})", fresh.id),
                    milestones: Vec::new(),
                },
            )
            .await?;
            let next = schedule.on_or_after(fresh.next_on.next_day().unwrap_or(fresh.next_on));
            store::tasks::set_plan_next(&mut w, fresh.id, next).await?;
            w.commit(Audit::new(
                &Grant::system(SystemTask::MaintenancePlans),
                "task.given",
                format!("task:{id}"),
                serde_json::json!({"plan": fresh.id, "due": fresh.next_on.to_string()}),
            ))
            .await?;
            made += 1;
        }
        Ok(made)
    }
}

/// Whether `viewer` stands above an assignee of `t` (a superior sees his
/// subordinates' tasks).
async fn store_free_superior(
    profile: &domain::profile::Profile,
    facts: &domain::authority::FactSet,
    viewer: &User,
    t: &Task,
    c: &mut store::Read,
) -> Result<bool> {
    let mut all = facts.clone();
    let ids: Vec<i64> = t.assignees.iter().map(|a| a.id).collect();
    store::authority::add_holdings(c, &mut all, &ids).await?;
    Ok(rules::give(profile, &all, viewer, &ids, None, now()).is_ok())
}

fn group_view(g: store::tasks::Group, today: Date) -> GroupView {
    let active = g.facts(today).active;
    GroupView {
        id: g.id,
        name: g.name,
        mandate: g.mandate,
        chair_name: g.chair_name,
        starts_on: g.starts_on,
        ends_on: g.ends_on,
        approval_ref: g.approval_ref,
        active,
        members: g
            .members
            .into_iter()
            .map(|m| MemberView {
                name: m.name,
                unit: m.unit,
            })
            .collect(),
    }
}

fn plan_view(p: store::tasks::Plan) -> PlanView {
    PlanView {
        id: p.id,
        title: p.title,
        schedule: p.schedule,
        assignee_name: p.assignee_name,
        giver_name: p.giver_name,
        next_on: p.next_on,
        active: p.active,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn schedules() {
        assert_eq!(Schedule::parse("weekly:1"), Some(Schedule::Weekly(1)));
        assert_eq!(Schedule::parse("monthly:15"), Some(Schedule::Monthly(15)));
        for bad in [
            "weekly:0",
            "weekly:8",
            "monthly:29",
            "daily:1",
            "weekly",
            "",
            "weekly:+1",
            "weekly:01",
            "weekly: 1",
        ] {
            assert_eq!(Schedule::parse(bad), None, "{bad}");
        }
        // Mon 30 Nov 2026: the Monday plan falls on it; the 15th-of-month on 15 Dec.
        assert_eq!(
            Schedule::Weekly(1).on_or_after(date!(2026 - 11 - 30)),
            date!(2026 - 11 - 30)
        );
        assert_eq!(
            Schedule::Weekly(1).on_or_after(date!(2026 - 12 - 01)),
            date!(2026 - 12 - 07)
        );
        assert_eq!(
            Schedule::Monthly(15).on_or_after(date!(2026 - 11 - 30)),
            date!(2026 - 12 - 15)
        );
    }
}
