//! Tasks (m.18), their assignees, milestones and notes; working groups
//! (m.10/9); recurring maintenance plans. The rules are `domain::task`'s.

use domain::task::{TaskSource, TaskState};
use time::{Date, OffsetDateTime};

use crate::db::{query, Conn, Row};
use crate::{Result, StoreError, Write};

#[derive(Debug, Clone)]
pub struct NewTask {
    pub title: String,
    pub description: String,
    pub giver: Option<i64>,
    pub assignees: Vec<i64>,
    pub due: Date,
    pub source: TaskSource,
    pub source_id: Option<i64>,
    pub group_id: Option<i64>,
    pub plan_id: Option<i64>,
    /// The basis the giving rests on, as the audit trail writes it.
    pub basis: String,
    /// (title, due)
    pub milestones: Vec<(String, Date)>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub accepted_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Milestone {
    pub ord: i64,
    pub title: String,
    pub due: Date,
    pub done_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Task {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub state: TaskState,
    pub giver_id: Option<i64>,
    pub giver_name: Option<String>,
    pub due: Date,
    pub percent: i64,
    pub source: TaskSource,
    pub source_id: Option<i64>,
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
    pub plan_id: Option<i64>,
    pub result: Option<String>,
    pub basis: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub done_at: Option<OffsetDateTime>,
    pub approved_at: Option<OffsetDateTime>,
    pub assignees: Vec<Person>,
    pub milestones: Vec<Milestone>,
}

impl Task {
    pub fn facts(&self) -> domain::task::TaskFacts {
        domain::task::TaskFacts {
            id: self.id,
            state: self.state,
            giver: self.giver_id.unwrap_or(0),
            assignees: self.assignees.iter().map(|a| a.id).collect(),
        }
    }
}

fn task_state(r: &Row) -> Result<TaskState> {
    let s: String = r.get("state")?;
    TaskState::parse(&s)
        .ok_or_else(|| StoreError::Internal(anyhow::anyhow!("unknown task state {s}")))
}

fn source(r: &Row) -> Result<TaskSource> {
    let s: String = r.get("source_kind")?;
    TaskSource::parse(&s)
        .ok_or_else(|| StoreError::Internal(anyhow::anyhow!("unknown task source {s}")))
}

pub async fn insert(w: &mut Write, n: &NewTask) -> Result<i64> {
    let at = w.at();
    let id: i64 = query(
        "INSERT INTO tasks (title, description, state, giver_id, due, percent, source_kind, source_id, group_id, plan_id, basis, created_at, updated_at)
         VALUES ($1, $2, 'given', $3, $4, 0, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(&n.title)
    .bind(&n.description)
    .bind(n.giver)
    .bind(n.due)
    .bind(n.source.code())
    .bind(n.source_id)
    .bind(n.group_id)
    .bind(n.plan_id)
    .bind(&n.basis)
    .bind(at)
    .scalar(&mut *w)
    .await?;
    for a in &n.assignees {
        query("INSERT INTO task_assignees (task_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*a)
            .execute(&mut *w)
            .await?;
    }
    for (i, (title, due)) in n.milestones.iter().enumerate() {
        query("INSERT INTO task_milestones (task_id, ord, title, due) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(i as i64)
            .bind(title)
            .bind(*due)
            .execute(&mut *w)
            .await?;
    }
    event(w, id, n.giver, "given", "", None).await?;
    Ok(id)
}

pub async fn event(
    w: &mut Write,
    task_id: i64,
    actor: Option<i64>,
    kind: &str,
    body: &str,
    percent: Option<i64>,
) -> Result<()> {
    let at = w.at();
    query("INSERT INTO task_events (task_id, at, actor_id, kind, body, percent) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(task_id)
        .bind(at)
        .bind(actor)
        .bind(kind)
        .bind(body)
        .bind(percent)
        .execute(w)
        .await?;
    Ok(())
}

const COLUMNS: &str = "t.id, t.title, t.description, t.state, t.giver_id, g.display_name AS giver_name, t.due, t.percent, t.source_kind, t.source_id,
    t.group_id, wg.name AS group_name, t.plan_id, t.result, t.basis, t.created_at, t.updated_at, t.done_at, t.approved_at";
const FROM: &str = "FROM tasks t LEFT JOIN users g ON g.id = t.giver_id LEFT JOIN working_groups wg ON wg.id = t.group_id";

fn task(r: &Row) -> Result<Task> {
    Ok(Task {
        id: r.get("id")?,
        title: r.get("title")?,
        description: r.get("description")?,
        state: task_state(r)?,
        giver_id: r.get("giver_id")?,
        giver_name: r.get("giver_name")?,
        due: r.get("due")?,
        percent: r.get("percent")?,
        source: source(r)?,
        source_id: r.get("source_id")?,
        group_id: r.get("group_id")?,
        group_name: r.get("group_name")?,
        plan_id: r.get("plan_id")?,
        result: r.get("result")?,
        basis: r.get("basis")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
        done_at: r.get("done_at")?,
        approved_at: r.get("approved_at")?,
        assignees: Vec::new(),
        milestones: Vec::new(),
    })
}

async fn fill(c: &mut impl Conn, tasks: &mut [Task]) -> Result<()> {
    for t in tasks.iter_mut() {
        let rows = query("SELECT a.user_id, u.display_name, a.accepted_at FROM task_assignees a JOIN users u ON u.id = a.user_id WHERE a.task_id = $1 ORDER BY u.display_name")
            .bind(t.id)
            .fetch_all(&mut *c)
            .await?;
        t.assignees = rows
            .into_iter()
            .map(|r| {
                Ok(Person {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    accepted_at: r.get(2)?,
                })
            })
            .collect::<Result<_>>()?;
        let rows = query(
            "SELECT ord, title, due, done_at FROM task_milestones WHERE task_id = $1 ORDER BY ord",
        )
        .bind(t.id)
        .fetch_all(&mut *c)
        .await?;
        t.milestones = rows
            .into_iter()
            .map(|r| {
                Ok(Milestone {
                    ord: r.get(0)?,
                    title: r.get(1)?,
                    due: r.get(2)?,
                    done_at: r.get(3)?,
                })
            })
            .collect::<Result<_>>()?;
    }
    Ok(())
}

pub async fn get(c: &mut impl Conn, id: i64) -> Result<Option<Task>> {
    let Some(r) = query(format!("SELECT {COLUMNS} {FROM} WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    else {
        return Ok(None);
    };
    let mut v = vec![task(&r)?];
    fill(c, &mut v).await?;
    Ok(v.pop())
}

/// Which tasks a list shows.
#[derive(Debug, Clone, Copy)]
pub enum TaskList {
    /// Given to the user.
    Mine(i64),
    /// Given by the user.
    Given(i64),
    /// Of the working groups the user sits in or chairs.
    Groups(i64),
    /// Of one source record (`incoming:7`, `request:3`).
    Source(TaskSource, i64),
}

/// A task list, open ones first by due date; at most `limit`.
pub async fn list(c: &mut impl Conn, which: TaskList, limit: i64) -> Result<Vec<Task>> {
    let mut q = query(format!("SELECT {COLUMNS} {FROM} WHERE "));
    match which {
        TaskList::Mine(u) => q
            .push("t.id IN (SELECT task_id FROM task_assignees WHERE user_id = ")
            .push_bind(u)
            .push(")"),
        TaskList::Given(u) => q.push("t.giver_id = ").push_bind(u),
        TaskList::Groups(u) => q
            .push("t.group_id IN (SELECT group_id FROM working_group_members WHERE user_id = ")
            .push_bind(u)
            .push(" UNION SELECT id FROM working_groups WHERE chair_id = ")
            .push_bind(u)
            .push(")"),
        TaskList::Source(kind, id) => q
            .push("t.source_kind = ")
            .push_bind(kind.code())
            .push(" AND t.source_id = ")
            .push_bind(id),
    };
    q.push(" ORDER BY CASE WHEN t.state IN ('given', 'accepted') THEN 0 ELSE 1 END, t.due, t.id LIMIT ").push_bind(limit);
    let rows = q.fetch_all(&mut *c).await?;
    let mut v = rows.iter().map(task).collect::<Result<Vec<_>>>()?;
    fill(c, &mut v).await?;
    Ok(v)
}

/// The open tasks of `user` past their due date on `today`, counted up to `cap`.
pub async fn overdue_count(c: &mut impl Conn, user: i64, today: Date, cap: i64) -> Result<i64> {
    query(
        "SELECT COUNT(*) FROM (SELECT 1 FROM tasks t JOIN task_assignees a ON a.task_id = t.id
         WHERE a.user_id = $1 AND t.state IN ('given', 'accepted') AND t.due < $2 LIMIT $3) x",
    )
    .bind(user)
    .bind(today)
    .bind(cap)
    .scalar(c)
    .await
}

/// A change of a task's state and its figures.
#[derive(Debug, Clone, Default)]
pub struct TaskChange {
    pub state: Option<TaskState>,
    pub percent: Option<i64>,
    pub result: Option<String>,
    pub done: bool,
    pub approved: bool,
    pub accepted_by: Option<i64>,
}

pub async fn update(w: &mut Write, id: i64, ch: &TaskChange) -> Result<()> {
    let at = w.at();
    let mut q = query("UPDATE tasks SET updated_at = ");
    q.push_bind(at);
    if let Some(s) = ch.state {
        q.push(", state = ").push_bind(s.code());
    }
    if let Some(p) = ch.percent {
        q.push(", percent = ").push_bind(p);
    }
    if let Some(r) = &ch.result {
        q.push(", result = ").push_bind(r.clone());
    }
    if ch.done {
        q.push(", done_at = ").push_bind(at);
    }
    if ch.approved {
        q.push(", approved_at = ").push_bind(at);
    }
    q.push(" WHERE id = ").push_bind(id);
    q.execute(&mut *w).await?;
    if let Some(u) = ch.accepted_by {
        query("UPDATE task_assignees SET accepted_at = $1 WHERE task_id = $2 AND user_id = $3 AND accepted_at IS NULL").bind(at).bind(id).bind(u).execute(w).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TaskEvent {
    pub at: OffsetDateTime,
    pub actor_name: Option<String>,
    pub kind: String,
    pub body: String,
    pub percent: Option<i64>,
}

pub async fn events(c: &mut impl Conn, task_id: i64) -> Result<Vec<TaskEvent>> {
    let rows = query("SELECT e.at, u.display_name, e.kind, e.body, e.percent FROM task_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.task_id = $1 ORDER BY e.id")
        .bind(task_id)
        .fetch_all(c)
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(TaskEvent {
                at: r.get(0)?,
                actor_name: r.get(1)?,
                kind: r.get(2)?,
                body: r.get(3)?,
                percent: r.get(4)?,
            })
        })
        .collect()
}

// ------------------------------------------------------------ working groups

#[derive(Debug, Clone)]
pub struct NewGroup {
    pub name: String,
    pub mandate: String,
    pub chair: i64,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub approval_ref: String,
    pub created_by: i64,
    /// Staff of the directorate.
    pub members: Vec<i64>,
    /// People of other directorates: name and unit.
    pub participants: Vec<(String, String)>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct GroupMember {
    pub user_id: Option<i64>,
    pub name: String,
    pub unit: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub mandate: String,
    pub chair_id: i64,
    pub chair_name: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub approval_ref: String,
    pub created_at: OffsetDateTime,
    pub members: Vec<GroupMember>,
}

impl Group {
    pub fn facts(&self, today: Date) -> domain::task::GroupFacts {
        domain::task::GroupFacts {
            id: self.id,
            chair: self.chair_id,
            members: self.members.iter().filter_map(|m| m.user_id).collect(),
            active: self.starts_on <= today && self.ends_on.is_none_or(|e| today <= e),
        }
    }
}

pub async fn insert_group(w: &mut Write, g: &NewGroup) -> Result<i64> {
    let at = w.at();
    let id: i64 = query(
        "INSERT INTO working_groups (name, mandate, chair_id, starts_on, ends_on, approval_ref, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&g.name)
    .bind(&g.mandate)
    .bind(g.chair)
    .bind(g.starts_on)
    .bind(g.ends_on)
    .bind(&g.approval_ref)
    .bind(g.created_by)
    .bind(at)
    .scalar(&mut *w)
    .await?;
    let mut ord = 0i64;
    for m in &g.members {
        query("INSERT INTO working_group_members (group_id, ord, user_id) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(ord)
            .bind(*m)
            .execute(&mut *w)
            .await?;
        ord += 1;
    }
    for (name, unit) in &g.participants {
        query(
            "INSERT INTO working_group_members (group_id, ord, name, unit) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(ord)
        .bind(name)
        .bind(unit)
        .execute(&mut *w)
        .await?;
        ord += 1;
    }
    Ok(id)
}

fn group_row(r: &Row) -> Result<Group> {
    Ok(Group {
        id: r.get("id")?,
        name: r.get("name")?,
        mandate: r.get("mandate")?,
        chair_id: r.get("chair_id")?,
        chair_name: r.get("chair_name")?,
        starts_on: r.get("starts_on")?,
        ends_on: r.get("ends_on")?,
        approval_ref: r.get("approval_ref")?,
        created_at: r.get("created_at")?,
        members: Vec::new(),
    })
}

async fn fill_members(c: &mut impl Conn, g: &mut Group) -> Result<()> {
    let rows = query(
        "SELECT m.user_id, COALESCE(u.display_name, m.name) AS name, m.unit FROM working_group_members m LEFT JOIN users u ON u.id = m.user_id
         WHERE m.group_id = $1 ORDER BY m.ord",
    )
    .bind(g.id)
    .fetch_all(c)
    .await?;
    g.members = rows
        .into_iter()
        .map(|r| {
            Ok(GroupMember {
                user_id: r.get(0)?,
                name: r.get(1)?,
                unit: r.get(2)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(())
}

const GROUP_SELECT: &str = "SELECT g.id, g.name, g.mandate, g.chair_id, u.display_name AS chair_name, g.starts_on, g.ends_on, g.approval_ref, g.created_at
    FROM working_groups g JOIN users u ON u.id = g.chair_id";

pub async fn group(c: &mut impl Conn, id: i64) -> Result<Option<Group>> {
    let Some(r) = query(format!("{GROUP_SELECT} WHERE g.id = $1"))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    else {
        return Ok(None);
    };
    let mut g = group_row(&r)?;
    fill_members(c, &mut g).await?;
    Ok(Some(g))
}

/// Every working group, newest first (at most 200).
pub async fn groups(c: &mut impl Conn) -> Result<Vec<Group>> {
    let rows = query(format!("{GROUP_SELECT} ORDER BY g.id DESC LIMIT 200"))
        .fetch_all(&mut *c)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut g = group_row(&r)?;
        fill_members(c, &mut g).await?;
        out.push(g);
    }
    Ok(out)
}

// ------------------------------------------------------------ maintenance plans

#[derive(Debug, Clone)]
pub struct NewPlan {
    pub title: String,
    pub description: String,
    pub schedule: String,
    pub assignee: i64,
    pub giver: i64,
    pub next_on: Date,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Plan {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub schedule: String,
    pub assignee_id: i64,
    pub assignee_name: String,
    pub giver_id: i64,
    pub giver_name: String,
    pub next_on: Date,
    pub active: bool,
}

pub async fn insert_plan(w: &mut Write, p: &NewPlan) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO maintenance_plans (title, description, schedule, assignee_id, giver_id, next_on, active, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7) RETURNING id",
    )
    .bind(&p.title)
    .bind(&p.description)
    .bind(&p.schedule)
    .bind(p.assignee)
    .bind(p.giver)
    .bind(p.next_on)
    .bind(at)
    .scalar(w)
    .await
}

const PLAN_SELECT: &str = "SELECT p.id, p.title, p.description, p.schedule, p.assignee_id, a.display_name, p.giver_id, g.display_name, p.next_on, p.active
    FROM maintenance_plans p JOIN users a ON a.id = p.assignee_id JOIN users g ON g.id = p.giver_id";

fn plan(r: Row) -> Result<Plan> {
    Ok(Plan {
        id: r.get(0)?,
        title: r.get(1)?,
        description: r.get(2)?,
        schedule: r.get(3)?,
        assignee_id: r.get(4)?,
        assignee_name: r.get(5)?,
        giver_id: r.get(6)?,
        giver_name: r.get(7)?,
        next_on: r.get(8)?,
        active: r.get(9)?,
    })
}

pub async fn plans(c: &mut impl Conn) -> Result<Vec<Plan>> {
    query(format!("{PLAN_SELECT} ORDER BY p.id"))
        .fetch_all(c)
        .await?
        .into_iter()
        .map(plan)
        .collect()
}

/// Active plans due on or before `today`.
pub async fn plans_due(c: &mut impl Conn, today: Date) -> Result<Vec<Plan>> {
    query(format!(
        "{PLAN_SELECT} WHERE p.active AND p.next_on <= $1 ORDER BY p.id"
    ))
    .bind(today)
    .fetch_all(c)
    .await?
    .into_iter()
    .map(plan)
    .collect()
}

pub async fn set_plan_next(w: &mut Write, id: i64, next_on: Date) -> Result<()> {
    query("UPDATE maintenance_plans SET next_on = $1 WHERE id = $2")
        .bind(next_on)
        .bind(id)
        .execute(w)
        .await?;
    Ok(())
}

/// Tasks given to `user` he has not accepted yet, counted up to `cap`.
pub async fn to_accept_count(c: &mut impl Conn, user: i64, cap: i64) -> Result<i64> {
    query(
        "SELECT COUNT(*) FROM (SELECT 1 FROM tasks t JOIN task_assignees a ON a.task_id = t.id
         WHERE a.user_id = $1 AND t.state = 'given' AND a.accepted_at IS NULL LIMIT $2) x",
    )
    .bind(user)
    .bind(cap)
    .scalar(c)
    .await
}

/// Takes `user` off a task (he gave his part back).
pub async fn remove_assignee(w: &mut Write, task: i64, user: i64) -> Result<()> {
    query("DELETE FROM task_assignees WHERE task_id = $1 AND user_id = $2")
        .bind(task)
        .bind(user)
        .execute(w)
        .await?;
    Ok(())
}
