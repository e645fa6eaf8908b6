//! Task pages (/gorevler): my tasks, tasks I gave, the working groups'
//! tasks; giving a task (from an order, an incoming document or a
//! request); a task with its history and the steps its reader may take;
//! working groups (m.10/9) and maintenance plans.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use app::tasks::{
    ApproveInput, GroupView, MilestoneInput, NewGroupInput, NewPlanInput, NewTaskInput,
    ParticipantInput, PlanView, SourceInput, TaskEventView, TaskNoteInput, TaskView,
};
use app::{AppError, User};
use domain::task::AssigneeStep;

use crate::error::WebError;
use crate::{id_of, render, AppState, Layout, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/gorevler", get(list_page))
        .route("/gorevler/yeni", get(new_page).post(new_submit))
        .route("/gorevler/calisma-grubu", post(group_submit))
        .route("/gorevler/bakim-plani", post(plan_submit))
        .route("/gorevler/{id}", get(task_page))
        .route("/gorevler/{id}/{step}", post(step_submit))
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct ListPage {
    l: Layout,
    tab: String,
    tasks: Vec<(TaskView, String)>,
    groups: Vec<GroupView>,
    plans: Vec<PlanView>,
    caps: app::Capabilities,
    /// The directorate's staff, for a working group: (username, "Name — post").
    staff: Vec<(String, String)>,
    /// Whom the reader may give tasks (a plan's assignee).
    subordinates: Vec<(String, String)>,
    error: Option<(&'static str, &'static str)>,
    g: NewGroupForm,
    p: NewPlanInput,
    done: bool,
    today: time::Date,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    liste: String,
    tamam: Option<String>,
}

async fn list_view(
    s: &AppState,
    l: Layout,
    u: &User,
    tab: &str,
    error: Option<(&'static str, &'static str)>,
    g: NewGroupForm,
    p: NewPlanInput,
    done: bool,
) -> Result<Html<String>, WebError> {
    let tab = match tab {
        "" | "mine" => "mine",
        "given" => "given",
        "groups" => "groups",
        _ => return Err(WebError::bad_request()),
    };
    let tasks = s
        .app
        .tasks(u, tab)
        .await?
        .into_iter()
        .map(|t| {
            let due = domain::local::format_date(t.due);
            (t, due)
        })
        .collect();
    let caps = s.app.capabilities(u).await?;
    let (groups, plans) = if caps.member {
        (
            s.app.working_groups(u).await?,
            s.app.maintenance_plans(u).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let staff = if caps.form_groups {
        s.app.directorate_staff().await?
    } else {
        Vec::new()
    };
    let subordinates = if caps.give_tasks {
        s.app.subordinates(u).await?
    } else {
        Vec::new()
    };
    let today = domain::local::date(time::OffsetDateTime::now_utc());
    render(ListPage {
        l,
        tab: tab.to_owned(),
        tasks,
        groups,
        plans,
        caps,
        staff,
        subordinates,
        error,
        g,
        p,
        done,
        today,
    })
}

async fn list_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Html<String>, WebError> {
    let Ok(Query(q)) = q else {
        return Err(WebError::bad_request());
    };
    list_view(
        &s,
        l,
        &u,
        &q.liste,
        None,
        NewGroupForm::default(),
        NewPlanInput::default(),
        q.tamam.is_some(),
    )
    .await
}

#[derive(Template)]
#[template(path = "task_form.html")]
struct NewPage {
    l: Layout,
    f: TaskForm,
    people: Vec<(String, String)>,
    /// What the task comes from, in words.
    source_text: String,
    error: Option<(&'static str, &'static str)>,
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
struct TaskForm {
    title: String,
    description: String,
    assignees: Vec<String>,
    due: String,
    kaynak: String,
    id: String,
    milestone_title: String,
    milestone_due: String,
}

async fn source_text(s: &AppState, u: &User, f: &TaskForm) -> String {
    let id = f.id.trim().parse::<i64>().ok();
    match (f.kaynak.as_str(), id) {
        ("incoming", Some(id)) => s
            .app
            .incoming(u, id)
            .await
            .map(|d| format!("{} — {}", d.document.number, d.document.subject))
            .unwrap_or_default(),
        ("request", Some(id)) => s
            .app
            .request(u, id)
            .await
            .map(|r| format!("{} — {}", r.number, r.title))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

async fn new_form(
    s: &AppState,
    l: Layout,
    u: &User,
    f: TaskForm,
    error: Option<(&'static str, &'static str)>,
) -> Result<Html<String>, WebError> {
    let people = s.app.subordinates(u).await?;
    let source_text = source_text(s, u, &f).await;
    render(NewPage {
        l,
        f,
        people,
        source_text,
        error,
    })
}

async fn new_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    q: Result<Query<TaskForm>, axum::extract::rejection::QueryRejection>,
) -> Result<Html<String>, WebError> {
    let Ok(Query(f)) = q else {
        return Err(WebError::bad_request());
    };
    new_form(&s, l, &u, f, None).await
}

async fn new_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    // The assignees repeat: a form read as pairs.
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let f = TaskForm {
        title: get("title"),
        description: get("description"),
        assignees: pairs
            .iter()
            .filter(|(n, v)| n == "assignees" && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect(),
        due: get("due"),
        kaynak: get("kaynak"),
        id: get("id"),
        milestone_title: get("milestone_title"),
        milestone_due: get("milestone_due"),
    };
    let milestones = if f.milestone_title.trim().is_empty() && f.milestone_due.trim().is_empty() {
        Vec::new()
    } else {
        vec![MilestoneInput {
            title: f.milestone_title.clone(),
            due: f.milestone_due.clone(),
        }]
    };
    let input = NewTaskInput {
        title: f.title.clone(),
        description: f.description.clone(),
        assignees: f.assignees.clone(),
        due: f.due.clone(),
        source: SourceInput {
            kind: if f.kaynak.is_empty() {
                "order".into()
            } else {
                f.kaynak.clone()
            },
            id: f.id.trim().parse().ok(),
        },
        group: None,
        milestones,
    };
    match s.app.give_task(&u, &input).await {
        Ok(t) => Ok(Redirect::to(&format!("/gorevler/{}?tamam=1", t.id)).into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => {
                Ok((status, new_form(&s, l, &u, f, Some(err)).await?).into_response())
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "task.html")]
struct TaskPage {
    l: Layout,
    /// The basis of the giving, in words.
    basis: String,
    t: TaskView,
    due: String,
    events: Vec<(TaskEventView, String)>,
    source_text: String,
    error: Option<(&'static str, &'static str)>,
    done: bool,
}

async fn task_view(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    error: Option<(&'static str, &'static str)>,
    done: bool,
) -> Result<Html<String>, WebError> {
    let t = s.app.task(u, id).await?;
    let events = s
        .app
        .task_events(u, id)
        .await?
        .into_iter()
        .map(|e| {
            let at = domain::local::format_datetime(e.at);
            (e, at)
        })
        .collect();
    let f = TaskForm {
        kaynak: t.source.code().into(),
        id: t.source_id.map(|i| i.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    let source_text = source_text(s, u, &f).await;
    let due = domain::local::format_date(t.due);
    let basis = crate::basis_for_people(l.t, s.app.profile(), &t.basis);
    render(TaskPage {
        l,
        basis,
        t,
        due,
        events,
        source_text,
        error,
        done,
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct DoneQuery {
    tamam: Option<String>,
}

async fn task_page(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    task_view(&s, l, &u, id_of(&id)?, None, q.tamam.is_some()).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct StepForm {
    note: String,
    percent: String,
    approved: String,
}

async fn step_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Path((id, step)): Path<(String, String)>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let percent = match f.percent.trim() {
        "" => None,
        p => match p.parse::<i64>() {
            Ok(p) => Some(p),
            Err(_) => {
                return after(
                    &s,
                    l,
                    &u,
                    id,
                    Err(AppError::invalid("percent", domain::code::Code::OutOfRange)),
                )
                .await
            }
        },
    };
    let note = TaskNoteInput {
        note: f.note.clone(),
        percent,
    };
    let r = match step.as_str() {
        "kabul" => s.app.task_step(&u, id, AssigneeStep::Accept, &note).await,
        "iade" => s.app.task_step(&u, id, AssigneeStep::GiveBack, &note).await,
        "ilerleme" => s.app.task_step(&u, id, AssigneeStep::Progress, &note).await,
        "bitti" => s.app.task_step(&u, id, AssigneeStep::Done, &note).await,
        "onay" => {
            s.app
                .approve_task(
                    &u,
                    id,
                    &ApproveInput {
                        approved: f.approved != "0",
                        note: f.note,
                    },
                )
                .await
        }
        _ => {
            return Err(WebError::new(
                StatusCode::NOT_FOUND,
                domain::code::Code::NotFound,
            ))
        }
    };
    after(&s, l, &u, id, r.map(|_| ())).await
}

async fn after(
    s: &AppState,
    l: Layout,
    u: &User,
    id: i64,
    r: Result<(), AppError>,
) -> Result<Response, WebError> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/gorevler/{id}?tamam=1")).into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => {
                Ok((status, task_view(s, l, u, id, Some(err), false).await?).into_response())
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Default, Clone)]
struct NewGroupForm {
    name: String,
    mandate: String,
    chair: String,
    /// Usernames chosen in the list.
    members: Vec<String>,
    participants: String,
    starts_on: String,
    ends_on: String,
    approval_ref: String,
}

async fn group_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    // The members repeat: a form read as pairs. Participants "Name, Unit" per line.
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let g = NewGroupForm {
        name: get("name"),
        mandate: get("mandate"),
        chair: get("chair"),
        members: pairs
            .iter()
            .filter(|(n, v)| n == "members" && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect(),
        participants: get("participants"),
        starts_on: get("starts_on"),
        ends_on: get("ends_on"),
        approval_ref: get("approval_ref"),
    };
    let members = g.members.clone();
    let participants = g
        .participants
        .lines()
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|line| {
            let (name, unit) = line.split_once(',').unwrap_or((line, ""));
            ParticipantInput {
                name: name.trim().to_owned(),
                unit: unit.trim().to_owned(),
            }
        })
        .collect();
    let input = NewGroupInput {
        name: g.name.clone(),
        mandate: g.mandate.clone(),
        chair: g.chair.clone(),
        members,
        participants,
        starts_on: g.starts_on.clone(),
        ends_on: g.ends_on.clone(),
        approval_ref: g.approval_ref.clone(),
    };
    match s.app.form_working_group(&u, &input).await {
        Ok(_) => Ok(Redirect::to("/gorevler?liste=groups&tamam=1").into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => Ok((
                status,
                list_view(
                    &s,
                    l,
                    &u,
                    "groups",
                    Some(err),
                    g,
                    NewPlanInput::default(),
                    false,
                )
                .await?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}

async fn plan_submit(
    State(s): State<AppState>,
    l: Layout,
    SignedIn(u): SignedIn,
    Form(p): Form<NewPlanInput>,
) -> Result<Response, WebError> {
    match s.app.add_maintenance_plan(&u, &p).await {
        Ok(_) => Ok(Redirect::to("/gorevler?liste=given&tamam=1").into_response()),
        Err(e) => match crate::form_refusal(&e) {
            Some((status, err)) => Ok((
                status,
                list_view(
                    &s,
                    l,
                    &u,
                    "given",
                    Some(err),
                    NewGroupForm::default(),
                    p,
                    false,
                )
                .await?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}
