//! Tasks (görevler) under m.18 and working groups under m.10/9.
//!
//! m.18/1: a task is taken from the plans, programmes and orders of the
//! Mayor, the Deputy Mayor and the Müdür, and detailed from the documents
//! that reach the directorate; m.18/2: it is planned and passed to the
//! section(s) responsible; m.18/3: it is carried out under the legislation.
//! So:
//! - only a superior gives a task: whoever holds `assign_tasks` and stands
//!   above every assignee in the reporting lines (m.12, m.15), or the chair
//!   of a working group to its members;
//! - the assignee accepts it (kabul) or gives it back with a reason;
//! - reports progress (notes and a percentage); reports it done with a
//!   result; whoever gave it approves the result or sends it back.
//!
//! m.10/9: the Müdür forms working groups (`form_working_groups`).

use time::OffsetDateTime;

use crate::account::User;
use crate::authority::{self, Authority, Facts, Grant};
use crate::code::{Code, Refusal};
use crate::profile::Profile;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// Given, waiting for the assignee's acceptance.
    Given,
    /// Accepted and being carried out.
    Accepted,
    /// Given back by the assignee with a reason.
    Returned,
    /// Reported done, waiting for the giver's approval.
    Done,
    /// The giver approved the result.
    Approved,
}

impl TaskState {
    pub const ALL: [TaskState; 5] = [
        TaskState::Given,
        TaskState::Accepted,
        TaskState::Returned,
        TaskState::Done,
        TaskState::Approved,
    ];
    pub fn code(self) -> &'static str {
        match self {
            TaskState::Given => "given",
            TaskState::Accepted => "accepted",
            TaskState::Returned => "returned",
            TaskState::Done => "done",
            TaskState::Approved => "approved",
        }
    }
    pub fn parse(s: &str) -> Option<TaskState> {
        TaskState::ALL.into_iter().find(|x| x.code() == s)
    }
    /// Still to be done (counts as overdue past its date).
    pub fn is_open(self) -> bool {
        matches!(self, TaskState::Given | TaskState::Accepted)
    }
}

/// Where a task came from (m.18/1).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TaskSource {
    /// An order (talimat, emir) of a superior.
    Order,
    /// An incoming document (m.18/1-c).
    Incoming,
    /// A service desk request.
    Request,
    /// A recurring maintenance plan.
    Plan,
}

impl TaskSource {
    pub fn code(self) -> &'static str {
        match self {
            TaskSource::Order => "order",
            TaskSource::Incoming => "incoming",
            TaskSource::Request => "request",
            TaskSource::Plan => "plan",
        }
    }
    pub fn parse(s: &str) -> Option<TaskSource> {
        [
            TaskSource::Order,
            TaskSource::Incoming,
            TaskSource::Request,
            TaskSource::Plan,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }
}

/// The positions `user` holds at `at`.
fn posts<'a>(
    facts: &'a dyn Facts,
    user: i64,
    at: OffsetDateTime,
) -> impl Iterator<Item = &'a str> + 'a {
    facts
        .holdings(user)
        .iter()
        .filter(move |h| h.period.contains(at))
        .map(|h| h.position.as_str())
}

/// A working group as the rules see it.
#[derive(Debug, Clone)]
pub struct GroupFacts {
    pub id: i64,
    pub chair: i64,
    pub members: Vec<i64>,
    pub active: bool,
}

/// Gives a task to `assignees`. A superior of every assignee (m.12, m.15,
/// m.18/1-b), or a working group's chair to its members (m.10/9).
pub fn give(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    assignees: &[i64],
    group: Option<&GroupFacts>,
    at: OffsetDateTime,
) -> Result<Grant, Refusal> {
    if assignees.is_empty() {
        return Err(Refusal::Invalid {
            field: "assignees",
            code: Code::Required,
        });
    }
    if let Some(g) = group {
        if !g.active {
            return Err(Refusal::Conflict(Code::GroupNotActive));
        }
        // A group's tasks go to its members only, given by its chair or by
        // whoever forms groups (the Müdür, m.10/9).
        let chair = g.chair == actor.id;
        let former = if chair {
            None
        } else {
            Some(authority::grant(
                profile,
                facts,
                actor,
                Authority::FormWorkingGroups,
                at,
            )?)
        };
        if assignees.contains(&actor.id) {
            return Err(Refusal::Invalid {
                field: "assignees",
                code: Code::OwnTask,
            });
        }
        if assignees.iter().any(|a| !g.members.contains(a)) {
            return Err(Refusal::Invalid {
                field: "assignees",
                code: Code::NotGroupMember,
            });
        }
        return Ok(former.unwrap_or_else(|| Grant::rule(actor, "m.10/9", "working group chair")));
    }
    // Held at all, or the refusal names it …
    authority::grant(profile, facts, actor, Authority::AssignTasks, at)?;
    if assignees.contains(&actor.id) {
        return Err(Refusal::Invalid {
            field: "assignees",
            code: Code::OwnTask,
        });
    }
    // … then from a post above every assignee (m.12, m.15).
    authority::grant_fitting(profile, facts, actor, Authority::AssignTasks, at, |b| {
        let from = authority::basis_posts(facts, b, at);
        assignees.iter().all(|a| {
            posts(facts, *a, at).any(|p| from.iter().any(|boss| profile.reports_up_to(p, boss)))
        })
    })
    .map_err(|_| Refusal::Invalid {
        field: "assignees",
        code: Code::NotSuperior,
    })
}

/// What the rules need to know of a task.
#[derive(Debug, Clone)]
pub struct TaskFacts {
    pub id: i64,
    pub state: TaskState,
    pub giver: i64,
    pub assignees: Vec<i64>,
}

/// The assignee's steps: accept, give back, report progress, report done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeStep {
    Accept,
    GiveBack,
    Progress,
    Done,
}

pub fn assignee_step(
    actor: &User,
    task: &TaskFacts,
    step: AssigneeStep,
) -> Result<(Grant, TaskState), Refusal> {
    if !task.assignees.contains(&actor.id) {
        return Err(Refusal::Forbidden("assignee".into()));
    }
    let next = match (step, task.state) {
        (AssigneeStep::Accept, TaskState::Given) => TaskState::Accepted,
        // One of several gives back only his part: he leaves the task, the
        // others carry on; the last one gives the task itself back.
        (AssigneeStep::GiveBack, st @ (TaskState::Given | TaskState::Accepted))
            if task.assignees.len() > 1 =>
        {
            st
        }
        (AssigneeStep::GiveBack, TaskState::Given | TaskState::Accepted) => TaskState::Returned,
        (AssigneeStep::Progress, TaskState::Accepted) => TaskState::Accepted,
        (AssigneeStep::Done, TaskState::Accepted) => TaskState::Done,
        (AssigneeStep::Progress | AssigneeStep::Done, TaskState::Given) => {
            return Err(Refusal::Conflict(Code::TaskNotAccepted))
        }
        _ => return Err(Refusal::Conflict(Code::TaskBadTransition)),
    };
    Ok((Grant::rule(actor, "m.18/3", "assignee"), next))
}

/// The giver approves the result (or sends it back to be carried on).
pub fn approve(
    actor: &User,
    task: &TaskFacts,
    approved: bool,
) -> Result<(Grant, TaskState), Refusal> {
    if task.giver != actor.id {
        return Err(Refusal::Forbidden("task_giver".into()));
    }
    match task.state {
        TaskState::Done => {}
        TaskState::Given | TaskState::Accepted => return Err(Refusal::Conflict(Code::TaskNotDone)),
        TaskState::Returned | TaskState::Approved => {
            return Err(Refusal::Conflict(Code::TaskBadTransition))
        }
    }
    Ok((
        Grant::rule(actor, "m.18/3", "giver's approval"),
        if approved {
            TaskState::Approved
        } else {
            TaskState::Accepted
        },
    ))
}

/// Forming a working group (m.10/9): the Müdür, or whom he delegated it to.
pub fn form_group(
    profile: &Profile,
    facts: &dyn Facts,
    actor: &User,
    at: OffsetDateTime,
) -> Result<Grant, Refusal> {
    Ok(authority::grant(
        profile,
        facts,
        actor,
        Authority::FormWorkingGroups,
        at,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authority::{FactSet, Holding, Period};
    use time::macros::datetime;

    const AT: OffsetDateTime = datetime!(2026-11-30 10:00 UTC);

    fn user(id: i64) -> User {
        User {
            id,
            username: format!("u{id}"),
            display_name: format!("U {id}"),
            is_admin: false,
        }
    }

    /// 1 Müdür, 2 Şef BT, 3 Şef Teknik, 4 Teknik memuru, 5 BT memuru, 6 none.
    fn facts() -> FactSet {
        let period = Period {
            from: datetime!(2020-01-01 00:00 UTC),
            until: datetime!(2100-01-01 00:00 UTC),
        };
        let mut f = FactSet::default();
        for (u, p) in [
            (1, "mudur"),
            (2, "sef_bt"),
            (3, "sef_teknik"),
            (4, "personel_teknik"),
            (5, "personel_bt"),
        ] {
            f.hold(Holding {
                user: u,
                position: p.into(),
                staff_kind: "memur".into(),
                period,
            });
        }
        f
    }

    #[test]
    fn only_a_superior_gives_a_task() {
        let p = Profile::builtin().unwrap();
        let f = facts();
        // m.18/1-b: the Müdür's order, to anyone below him.
        assert!(give(&p, &f, &user(1), &[4, 5], None, AT).is_ok());
        // m.12, m.15: a Şef to his own section's staff …
        assert!(give(&p, &f, &user(3), &[4], None, AT).is_ok());
        // … not to another section's.
        assert_eq!(
            give(&p, &f, &user(3), &[5], None, AT),
            Err(Refusal::Invalid {
                field: "assignees",
                code: Code::NotSuperior
            })
        );
        // Not upwards, not by a memur, not to oneself.
        assert_eq!(
            give(&p, &f, &user(3), &[1], None, AT),
            Err(Refusal::Invalid {
                field: "assignees",
                code: Code::NotSuperior
            })
        );
        assert_eq!(
            give(&p, &f, &user(4), &[5], None, AT),
            Err(Refusal::Forbidden("assign_tasks".into()))
        );
        assert_eq!(
            give(&p, &f, &user(1), &[1], None, AT),
            Err(Refusal::Invalid {
                field: "assignees",
                code: Code::OwnTask
            })
        );
        assert_eq!(
            give(&p, &f, &user(1), &[], None, AT),
            Err(Refusal::Invalid {
                field: "assignees",
                code: Code::Required
            })
        );
        // m.10/9: a working group's chair gives tasks to its members, even
        // of other sections, and to no one else.
        let g = GroupFacts {
            id: 1,
            chair: 4,
            members: vec![4, 5],
            active: true,
        };
        assert!(give(&p, &f, &user(4), &[5], Some(&g), AT).is_ok());
        // Someone else's group: only whoever forms groups (the Müdür) may use it.
        assert_eq!(
            give(&p, &f, &user(3), &[5], Some(&g), AT),
            Err(Refusal::Forbidden("form_working_groups".into()))
        );
        assert!(give(&p, &f, &user(1), &[5], Some(&g), AT).is_ok());
        assert_eq!(
            give(&p, &f, &user(1), &[2], Some(&g), AT),
            Err(Refusal::Invalid {
                field: "assignees",
                code: Code::NotGroupMember
            })
        );
        assert_eq!(
            give(&p, &f, &user(4), &[2], Some(&g), AT),
            Err(Refusal::Invalid {
                field: "assignees",
                code: Code::NotGroupMember
            })
        );
        let ended = GroupFacts { active: false, ..g };
        assert_eq!(
            give(&p, &f, &user(4), &[5], Some(&ended), AT),
            Err(Refusal::Conflict(Code::GroupNotActive))
        );
    }

    #[test]
    fn a_tasks_life() {
        let t = |state| TaskFacts {
            id: 1,
            state,
            giver: 1,
            assignees: vec![4],
        };
        assert_eq!(
            assignee_step(&user(4), &t(TaskState::Given), AssigneeStep::Accept)
                .unwrap()
                .1,
            TaskState::Accepted
        );
        assert_eq!(
            assignee_step(&user(4), &t(TaskState::Given), AssigneeStep::GiveBack)
                .unwrap()
                .1,
            TaskState::Returned
        );
        let shared = TaskFacts {
            id: 1,
            state: TaskState::Accepted,
            giver: 1,
            assignees: vec![4, 5],
        };
        assert_eq!(
            assignee_step(&user(4), &shared, AssigneeStep::GiveBack)
                .unwrap()
                .1,
            TaskState::Accepted,
            "the other assignee carries on"
        );
        assert_eq!(
            assignee_step(&user(4), &t(TaskState::Given), AssigneeStep::Done),
            Err(Refusal::Conflict(Code::TaskNotAccepted))
        );
        assert_eq!(
            assignee_step(&user(4), &t(TaskState::Accepted), AssigneeStep::Progress)
                .unwrap()
                .1,
            TaskState::Accepted
        );
        assert_eq!(
            assignee_step(&user(4), &t(TaskState::Accepted), AssigneeStep::Done)
                .unwrap()
                .1,
            TaskState::Done
        );
        assert_eq!(
            assignee_step(&user(5), &t(TaskState::Accepted), AssigneeStep::Done),
            Err(Refusal::Forbidden("assignee".into()))
        );
        assert_eq!(
            assignee_step(&user(4), &t(TaskState::Approved), AssigneeStep::Accept),
            Err(Refusal::Conflict(Code::TaskBadTransition))
        );
        assert_eq!(
            approve(&user(1), &t(TaskState::Approved), true),
            Err(Refusal::Conflict(Code::TaskBadTransition))
        );
        assert_eq!(
            approve(&user(1), &t(TaskState::Done), true).unwrap().1,
            TaskState::Approved
        );
        assert_eq!(
            approve(&user(1), &t(TaskState::Done), false).unwrap().1,
            TaskState::Accepted
        );
        assert_eq!(
            approve(&user(1), &t(TaskState::Accepted), true),
            Err(Refusal::Conflict(Code::TaskNotDone))
        );
        assert_eq!(
            approve(&user(3), &t(TaskState::Done), true),
            Err(Refusal::Forbidden("task_giver".into()))
        );
    }

    #[test]
    fn the_mudur_forms_working_groups() {
        let p = Profile::builtin().unwrap();
        let f = facts();
        assert!(form_group(&p, &f, &user(1), AT).is_ok());
        assert_eq!(
            form_group(&p, &f, &user(2), AT),
            Err(Refusal::Forbidden("form_working_groups".into()))
        );
    }
}
