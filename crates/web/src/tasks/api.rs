//! Tasks (m.18), working groups (m.10/9) and maintenance plans over the
//! JSON API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::tasks::{
    ApproveInput, GroupView, NewGroupInput, NewPlanInput, NewTaskInput, PlanView, TaskEventView,
    TaskNoteInput, TaskView,
};
use domain::task::AssigneeStep;

use crate::error::WebError;
use crate::extract::{ApiJson, ApiJsonOr, ApiPath, ApiQuery};
use crate::{AppState, SignedIn};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, give))
        .routes(routes!(get_task))
        .routes(routes!(events))
        .routes(routes!(accept))
        .routes(routes!(give_back))
        .routes(routes!(progress))
        .routes(routes!(done))
        .routes(routes!(approve))
        .routes(routes!(groups, form_group))
        .routes(routes!(plans, add_plan))
}

#[utoipa::path(post, path = "/tasks", tag = "tasks", request_body = NewTaskInput,
    responses((status = 201, body = TaskView, description = "Given: by a superior of every assignee (m.18/1, m.12, m.15), or a working group's chair to its members (m.10/9)"),
              (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "The caller gives no tasks (names the missing authority)"),
              (status = 422, body = crate::error::ErrorBody, description = "An assignee who is not the caller's subordinate, an unknown user or source, a bad date")))]
pub async fn give(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<NewTaskInput>,
) -> Result<(StatusCode, Json<TaskView>), WebError> {
    Ok((StatusCode::CREATED, Json(s.app.give_task(&u, &r).await?)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TasksQuery {
    /// `mine` (default), `given` or `groups`.
    pub list: Option<String>,
}

#[utoipa::path(get, path = "/tasks", tag = "tasks", params(TasksQuery),
    responses((status = 200, body = [TaskView], description = "Open tasks first, by due date"), (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiQuery(q): ApiQuery<TasksQuery>,
) -> Result<Json<Vec<TaskView>>, WebError> {
    Ok(Json(
        s.app
            .tasks(&u, q.list.as_deref().unwrap_or("").trim())
            .await?,
    ))
}

#[utoipa::path(get, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = TaskView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_task(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TaskView>, WebError> {
    Ok(Json(s.app.task(&u, id).await?))
}

#[utoipa::path(get, path = "/tasks/{id}/events", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = [TaskEventView]), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn events(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<TaskEventView>>, WebError> {
    Ok(Json(s.app.task_events(&u, id).await?))
}

async fn step(
    s: &AppState,
    u: &app::User,
    id: i64,
    st: AssigneeStep,
    r: Option<TaskNoteInput>,
) -> Result<Json<TaskView>, WebError> {
    Ok(Json(
        s.app.task_step(u, id, st, &r.unwrap_or_default()).await?,
    ))
}

#[utoipa::path(post, path = "/tasks/{id}/accept", tag = "tasks", params(("id" = i64, Path)), request_body(content = Option<TaskNoteInput>),
    responses((status = 200, body = TaskView, description = "Accepted (kabul, m.18/1-a)"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody, description = "Not an assignee"),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn accept(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJsonOr(r): ApiJsonOr<TaskNoteInput>,
) -> Result<Json<TaskView>, WebError> {
    step(&s, &u, id, AssigneeStep::Accept, Some(r)).await
}

#[utoipa::path(post, path = "/tasks/{id}/give-back", tag = "tasks", params(("id" = i64, Path)), request_body = TaskNoteInput,
    responses((status = 200, body = TaskView, description = "Given back with the reason"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody, description = "The reason is required")))]
pub async fn give_back(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<TaskNoteInput>,
) -> Result<Json<TaskView>, WebError> {
    step(&s, &u, id, AssigneeStep::GiveBack, Some(r)).await
}

#[utoipa::path(post, path = "/tasks/{id}/progress", tag = "tasks", params(("id" = i64, Path)), request_body = TaskNoteInput,
    responses((status = 200, body = TaskView, description = "Progress noted"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody, description = "Not accepted yet"), (status = 422, body = crate::error::ErrorBody)))]
pub async fn progress(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<TaskNoteInput>,
) -> Result<Json<TaskView>, WebError> {
    step(&s, &u, id, AssigneeStep::Progress, Some(r)).await
}

#[utoipa::path(post, path = "/tasks/{id}/done", tag = "tasks", params(("id" = i64, Path)), request_body = TaskNoteInput,
    responses((status = 200, body = TaskView, description = "Reported done with the result; waits for the giver's approval"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody, description = "Not accepted yet"), (status = 422, body = crate::error::ErrorBody, description = "The result report is required")))]
pub async fn done(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<TaskNoteInput>,
) -> Result<Json<TaskView>, WebError> {
    step(&s, &u, id, AssigneeStep::Done, Some(r)).await
}

#[utoipa::path(post, path = "/tasks/{id}/approve", tag = "tasks", params(("id" = i64, Path)), request_body(content = Option<ApproveInput>),
    responses((status = 200, body = TaskView, description = "Approved (or sent back with `approved: false` and a note)"), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "Only whoever gave the task"), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "Not reported done"), (status = 422, body = crate::error::ErrorBody)))]
pub async fn approve(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJsonOr(r): ApiJsonOr<ApproveInput>,
) -> Result<Json<TaskView>, WebError> {
    Ok(Json(s.app.approve_task(&u, id, &r).await?))
}

#[utoipa::path(post, path = "/working-groups", tag = "tasks", request_body = NewGroupInput,
    responses((status = 201, body = GroupView, description = "Formed by the Müdür (m.10/9) or whom he delegated it to"), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody, description = "Names the missing authority (form_working_groups)"), (status = 422, body = crate::error::ErrorBody)))]
pub async fn form_group(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<NewGroupInput>,
) -> Result<(StatusCode, Json<GroupView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.form_working_group(&u, &r).await?),
    ))
}

#[utoipa::path(get, path = "/working-groups", tag = "tasks",
    responses((status = 200, body = [GroupView]), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn groups(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<GroupView>>, WebError> {
    Ok(Json(s.app.working_groups(&u).await?))
}

#[utoipa::path(post, path = "/maintenance-plans", tag = "tasks", request_body = NewPlanInput,
    responses((status = 201, body = PlanView, description = "Its tasks are made on schedule, given by the plan's maker"), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_plan(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
    ApiJson(r): ApiJson<NewPlanInput>,
) -> Result<(StatusCode, Json<PlanView>), WebError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.add_maintenance_plan(&u, &r).await?),
    ))
}

#[utoipa::path(get, path = "/maintenance-plans", tag = "tasks",
    responses((status = 200, body = [PlanView]), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn plans(
    State(s): State<AppState>,
    SignedIn(u): SignedIn,
) -> Result<Json<Vec<PlanView>>, WebError> {
    Ok(Json(s.app.maintenance_plans(&u).await?))
}
