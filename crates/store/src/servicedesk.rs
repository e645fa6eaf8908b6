//! The service desk's requests, their timelines and attachments, the mail
//! read from the desk's mailbox (issue 15). The rules are
//! `domain::servicedesk`'s.

use domain::servicedesk::RequestState;
use time::OffsetDateTime;

use crate::db::{on_constraint, query, Conn, Row};
use crate::{Result, StoreError, Write};

/// A request as it is filed (checked by `app`).
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub title: String,
    pub description: String,
    pub category: String,
    pub section: String,
    pub priority: String,
    pub channel: String,
    pub requester: i64,
    pub requester_department: String,
    pub filed_by: i64,
    pub asset_tag: Option<String>,
    pub respond_by: OffsetDateTime,
    pub resolve_by: OffsetDateTime,
    pub email_from: Option<String>,
    /// The names, for the record answered without reading it back.
    pub requester_name: String,
    pub filed_by_name: String,
}

/// A request whole.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Request {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub section: String,
    pub priority: String,
    pub channel: String,
    pub state: RequestState,
    pub requester_id: i64,
    pub requester_name: String,
    pub requester_department: String,
    pub filed_by: i64,
    pub filed_by_name: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub asset_tag: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub respond_by: OffsetDateTime,
    pub resolve_by: OffsetDateTime,
    pub responded_at: Option<OffsetDateTime>,
    pub resolved_at: Option<OffsetDateTime>,
    pub closed_at: Option<OffsetDateTime>,
    pub waiting_since: Option<OffsetDateTime>,
    pub paused_seconds: i64,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub merged_into: Option<i64>,
    pub task_id: Option<i64>,
    pub email_from: Option<String>,
}

impl Request {
    pub fn facts(&self) -> domain::servicedesk::RequestFacts {
        domain::servicedesk::RequestFacts {
            id: self.id,
            state: self.state,
            section: self.section.clone(),
            requester: self.requester_id,
            assignee: self.assignee_id,
        }
    }
}

const COLUMNS: &str = "r.id, r.number, r.title, r.description, r.category, r.section, r.priority, r.channel, r.state,
    r.requester_id, q.display_name AS requester_name, r.requester_department, r.filed_by, f.display_name AS filed_by_name,
    r.assignee_id, a.display_name AS assignee_name, r.asset_tag, r.created_at, r.updated_at, r.respond_by, r.resolve_by,
    r.responded_at, r.resolved_at, r.closed_at, r.waiting_since, r.paused_seconds, r.rating, r.rating_comment,
    r.merged_into, r.task_id, r.email_from";
const FROM: &str = "FROM requests r JOIN users q ON q.id = r.requester_id JOIN users f ON f.id = r.filed_by LEFT JOIN users a ON a.id = r.assignee_id";

fn state(r: &Row) -> Result<RequestState> {
    let s: String = r.get("state")?;
    RequestState::parse(&s)
        .ok_or_else(|| StoreError::Internal(anyhow::anyhow!("unknown request state {s}")))
}

fn request(r: Row) -> Result<Request> {
    Ok(Request {
        id: r.get("id")?,
        number: r.get("number")?,
        title: r.get("title")?,
        description: r.get("description")?,
        category: r.get("category")?,
        section: r.get("section")?,
        priority: r.get("priority")?,
        channel: r.get("channel")?,
        state: state(&r)?,
        requester_id: r.get("requester_id")?,
        requester_name: r.get("requester_name")?,
        requester_department: r.get("requester_department")?,
        filed_by: r.get("filed_by")?,
        filed_by_name: r.get("filed_by_name")?,
        assignee_id: r.get("assignee_id")?,
        assignee_name: r.get("assignee_name")?,
        asset_tag: r.get("asset_tag")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
        respond_by: r.get("respond_by")?,
        resolve_by: r.get("resolve_by")?,
        responded_at: r.get("responded_at")?,
        resolved_at: r.get("resolved_at")?,
        closed_at: r.get("closed_at")?,
        waiting_since: r.get("waiting_since")?,
        paused_seconds: r.get("paused_seconds")?,
        rating: r.get("rating")?,
        rating_comment: r.get("rating_comment")?,
        merged_into: r.get("merged_into")?,
        task_id: r.get("task_id")?,
        email_from: r.get("email_from")?,
    })
}

/// Files a request: its number is the year's next (`2026-000042`).
pub async fn insert(w: &mut Write, n: &NewRequest) -> Result<Request> {
    let at = w.at();
    let year = domain::local::date(at).year() as i64;
    let seq: i64 = query(
        "INSERT INTO request_counters (year, last_seq) VALUES ($1, 1)
         ON CONFLICT (year) DO UPDATE SET last_seq = request_counters.last_seq + 1 RETURNING last_seq",
    )
    .bind(year)
    .scalar(&mut *w)
    .await?;
    let number = format!("{year}-{seq:06}");
    let id: i64 = query(
        "INSERT INTO requests (year, seq, number, title, description, category, section, priority, channel, state, requester_id,
             requester_department, filed_by, asset_tag, created_at, updated_at, respond_by, resolve_by, email_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'new', $10, $11, $12, $13, $14, $14, $15, $16, $17) RETURNING id",
    )
    .bind(year)
    .bind(seq)
    .bind(&number)
    .bind(&n.title)
    .bind(&n.description)
    .bind(&n.category)
    .bind(&n.section)
    .bind(&n.priority)
    .bind(&n.channel)
    .bind(n.requester)
    .bind(&n.requester_department)
    .bind(n.filed_by)
    .bind(n.asset_tag.clone())
    .bind(at)
    .bind(utc(n.respond_by))
    .bind(utc(n.resolve_by))
    .bind(n.email_from.clone())
    .scalar(&mut *w)
    .await?;
    event(
        w,
        id,
        Some(n.filed_by),
        "filed",
        true,
        "",
        None,
        (None, Some(RequestState::New)),
        None,
    )
    .await?;
    // The record as written (no read back inside the writers' lock).
    Ok(Request {
        id,
        number,
        title: n.title.clone(),
        description: n.description.clone(),
        category: n.category.clone(),
        section: n.section.clone(),
        priority: n.priority.clone(),
        channel: n.channel.clone(),
        state: RequestState::New,
        requester_id: n.requester,
        requester_name: n.requester_name.clone(),
        requester_department: n.requester_department.clone(),
        filed_by: n.filed_by,
        filed_by_name: n.filed_by_name.clone(),
        assignee_id: None,
        assignee_name: None,
        asset_tag: n.asset_tag.clone(),
        created_at: at,
        updated_at: at,
        respond_by: utc(n.respond_by),
        resolve_by: utc(n.resolve_by),
        responded_at: None,
        resolved_at: None,
        closed_at: None,
        waiting_since: None,
        paused_seconds: 0,
        rating: None,
        rating_comment: None,
        merged_into: None,
        task_id: None,
        email_from: n.email_from.clone(),
    })
}

/// Times are kept in UTC, so that both engines compare them as instants
/// (SQLite compares their text).
fn utc(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(time::UtcOffset::UTC)
}

pub async fn get(c: &mut impl Conn, id: i64) -> Result<Option<Request>> {
    query(format!("SELECT {COLUMNS} {FROM} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(request)
        .transpose()
}

pub async fn by_number(c: &mut impl Conn, number: &str) -> Result<Option<Request>> {
    query(format!("SELECT {COLUMNS} {FROM} WHERE r.number = $1"))
        .bind(number)
        .fetch_optional(c)
        .await?
        .map(request)
        .transpose()
}

/// Writes one line of a request's timeline.
#[allow(clippy::too_many_arguments)]
pub async fn event(
    w: &mut Write,
    request_id: i64,
    actor: Option<i64>,
    kind: &str,
    public: bool,
    body: &str,
    minutes: Option<i64>,
    states: (Option<RequestState>, Option<RequestState>),
    assignee: Option<i64>,
) -> Result<i64> {
    let at = w.at();
    query(
        "INSERT INTO request_events (request_id, at, actor_id, kind, public, body, minutes, from_state, to_state, assignee_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(request_id)
    .bind(at)
    .bind(actor)
    .bind(kind)
    .bind(public)
    .bind(body)
    .bind(minutes)
    .bind(states.0.map(|s| s.code()))
    .bind(states.1.map(|s| s.code()))
    .bind(assignee)
    .scalar(w)
    .await
}

/// What changes with an assignment or a state change.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub state: Option<RequestState>,
    pub assignee: Option<i64>,
    pub responded: bool,
    pub resolved_at: Option<Option<OffsetDateTime>>,
    pub closed_at: Option<OffsetDateTime>,
    pub waiting_since: Option<Option<OffsetDateTime>>,
    /// New deadlines and pause total, after a pause ends.
    pub deadlines: Option<(OffsetDateTime, OffsetDateTime, i64)>,
    pub merged_into: Option<i64>,
    pub task_id: Option<i64>,
    pub rating: Option<(i64, String)>,
}

pub async fn update(w: &mut Write, id: i64, ch: &Change) -> Result<()> {
    let at = w.at();
    let mut q = query("UPDATE requests SET updated_at = ");
    q.push_bind(at);
    if let Some(s) = ch.state {
        q.push(", state = ").push_bind(s.code());
    }
    if let Some(a) = ch.assignee {
        q.push(", assignee_id = ").push_bind(a);
    }
    if ch.responded {
        q.push(", responded_at = COALESCE(responded_at, ")
            .push_bind(at)
            .push(")");
    }
    if let Some(r) = ch.resolved_at {
        q.push(", resolved_at = ").push_bind(r);
    }
    if let Some(c) = ch.closed_at {
        q.push(", closed_at = ").push_bind(c);
    }
    if let Some(ws) = ch.waiting_since {
        q.push(", waiting_since = ").push_bind(ws);
    }
    if let Some((respond, resolve, paused)) = ch.deadlines {
        q.push(", respond_by = ")
            .push_bind(utc(respond))
            .push(", resolve_by = ")
            .push_bind(utc(resolve))
            .push(", paused_seconds = ")
            .push_bind(paused);
    }
    if let Some(m) = ch.merged_into {
        q.push(", merged_into = ").push_bind(m);
    }
    if let Some(t) = ch.task_id {
        q.push(", task_id = ").push_bind(t);
    }
    if let Some((score, comment)) = &ch.rating {
        q.push(", rating = ")
            .push_bind(*score)
            .push(", rating_comment = ")
            .push_bind(comment.clone());
    }
    q.push(" WHERE id = ").push_bind(id);
    q.execute(w).await?;
    Ok(())
}

/// One line of a request's timeline.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Event {
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub kind: String,
    pub public: bool,
    pub body: String,
    pub minutes: Option<i64>,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
}

/// A request's timeline, oldest first; the internal lines only when asked.
pub async fn events(c: &mut impl Conn, request_id: i64, internal: bool) -> Result<Vec<Event>> {
    let rows = query(
        "SELECT e.id, e.at, e.actor_id, u.display_name AS actor_name, e.kind, e.public, e.body, e.minutes, e.from_state, e.to_state,
                e.assignee_id, a.display_name AS assignee_name
         FROM request_events e LEFT JOIN users u ON u.id = e.actor_id LEFT JOIN users a ON a.id = e.assignee_id
         WHERE e.request_id = $1 AND (e.public OR $2) ORDER BY e.id",
    )
    .bind(request_id)
    .bind(internal)
    .fetch_all(c)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Event {
                id: r.get("id")?,
                at: r.get("at")?,
                actor_id: r.get("actor_id")?,
                actor_name: r.get("actor_name")?,
                kind: r.get("kind")?,
                public: r.get("public")?,
                body: r.get("body")?,
                minutes: r.get("minutes")?,
                from_state: r.get("from_state")?,
                to_state: r.get("to_state")?,
                assignee_id: r.get("assignee_id")?,
                assignee_name: r.get("assignee_name")?,
            })
        })
        .collect()
}

/// The minutes of work logged on a request.
pub async fn minutes_logged(c: &mut impl Conn, request_id: i64) -> Result<i64> {
    query("SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) FROM request_events WHERE request_id = $1 AND kind = 'worklog'").bind(request_id).scalar(c).await
}

pub async fn attach(w: &mut Write, request_id: i64, sha256: &str, name: &str) -> Result<()> {
    query("INSERT INTO request_attachments (request_id, sha256, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(request_id)
        .bind(sha256)
        .bind(name)
        .execute(w)
        .await
        .map_err(on_constraint(None, Some("unknown_attachment")))?;
    Ok(())
}

/// A request's files: SHA-256 and name.
pub async fn attachments(c: &mut impl Conn, request_id: i64) -> Result<Vec<(String, String)>> {
    let rows =
        query("SELECT sha256, name FROM request_attachments WHERE request_id = $1 ORDER BY name")
            .bind(request_id)
            .fetch_all(c)
            .await?;
    rows.into_iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?)))
        .collect()
}

/// Who may see which requests: the directorate's staff see all; anyone
/// else his own and his unit's.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    Requester { user: i64, department: String },
}

/// A list's filter (`/requests?mine=1|section=…|breached=1`).
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Assigned to or filed by this user.
    pub mine: Option<i64>,
    /// Assigned to this user and open (not waiting).
    pub assigned: Option<i64>,
    pub section: Option<String>,
    pub state: Option<RequestState>,
    /// Open and past a deadline at this instant (the clock stopped while
    /// waiting does not count).
    pub breached_at: Option<OffsetDateTime>,
    /// Only open ones (not resolved or closed).
    pub open: bool,
    pub category: Option<String>,
    /// Newest first (default) or most urgent first.
    pub by_due: bool,
    pub limit: i64,
    pub offset: i64,
}

/// A line of a requests list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RequestLine {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub category: String,
    pub section: String,
    pub priority: String,
    pub state: RequestState,
    pub requester_name: String,
    pub requester_department: String,
    pub assignee_name: Option<String>,
    pub created_at: OffsetDateTime,
    pub respond_by: OffsetDateTime,
    pub resolve_by: OffsetDateTime,
    pub responded_at: Option<OffsetDateTime>,
}

/// One equality a list may be an OR of (someone's own requests, his
/// unit's, those assigned to him): each is read through its own index and
/// the results merged, so an OR never scans the table.
#[derive(Clone)]
enum Branch {
    Requester(i64),
    Department(String),
    Assignee(i64),
}

impl Branch {
    fn push(&self, q: &mut crate::db::Query) {
        match self {
            Branch::Requester(u) => q.push("r.requester_id = ").push_bind(*u),
            Branch::Department(d) => q.push("r.requester_department = ").push_bind(d.clone()),
            Branch::Assignee(u) => q.push("r.assignee_id = ").push_bind(*u),
        };
    }
}

/// The branches of a list: none (one plain query), or the ORs its scope and
/// "mine" make.
fn branches(f: &ListFilter, scope: &Scope) -> Vec<Branch> {
    match (scope, f.mine) {
        // A requester's own: his and his unit's (and, with "mine", his).
        (Scope::Requester { user, department }, mine) => {
            let mut b = vec![Branch::Requester(*user)];
            if mine.is_none() && !department.is_empty() {
                b.push(Branch::Department(department.clone()));
            }
            b
        }
        (Scope::All, Some(u)) => vec![Branch::Assignee(u), Branch::Requester(u)],
        (Scope::All, None) => Vec::new(),
    }
}

/// The filter's other terms, each as ` AND …`.
fn push_terms(q: &mut crate::db::Query, f: &ListFilter) {
    if let Some(u) = f.assigned {
        q.push(" AND r.assignee_id = ")
            .push_bind(u)
            .push(" AND r.state IN ('assigned', 'in_progress')");
    }
    if let Some(s) = &f.section {
        q.push(" AND r.section = ").push_bind(s.clone());
    }
    if let Some(s) = f.state {
        q.push(" AND r.state = ").push_bind(s.code());
    }
    if let Some(c) = &f.category {
        q.push(" AND r.category = ").push_bind(c.clone());
    }
    if let Some(at) = f.breached_at {
        // Walks the open requests by their resolution deadline (a partial
        // index); the clock stopped while waiting does not count.
        q.push(" AND r.state IN ('new', 'assigned', 'in_progress') AND (r.resolve_by < ")
            .push_bind(at)
            .push(" OR (r.responded_at IS NULL AND r.respond_by < ")
            .push_bind(at)
            .push("))");
    } else if f.open {
        q.push(" AND r.state IN ('new', 'assigned', 'in_progress', 'waiting')");
    }
}

fn order(f: &ListFilter) -> &'static str {
    if f.by_due {
        " ORDER BY r.resolve_by, r.id"
    } else {
        " ORDER BY r.id DESC"
    }
}

/// `WHERE r.id IN (the top `k` ids of each branch)`, or the plain terms.
fn push_where(q: &mut crate::db::Query, f: &ListFilter, scope: &Scope, k: i64, ordered: bool) {
    let bs = branches(f, scope);
    if bs.is_empty() {
        q.push(" WHERE 1 = 1");
        push_terms(q, f);
        return;
    }
    q.push(" WHERE r.id IN (");
    for (i, b) in bs.iter().enumerate() {
        if i > 0 {
            q.push(" UNION ");
        }
        q.push("SELECT id FROM (SELECT r.id FROM requests r WHERE ");
        b.push(q);
        push_terms(q, f);
        if ordered {
            q.push(order(f));
        }
        q.push(" LIMIT ").push_bind(k).push(&format!(") b{i}"));
    }
    q.push(")");
}

/// One page of the requests `scope` may see, under `f`.
pub async fn list(c: &mut impl Conn, f: &ListFilter, scope: &Scope) -> Result<Vec<RequestLine>> {
    let mut q = query(
        "SELECT r.id, r.number, r.title, r.category, r.section, r.priority, r.state, q.display_name AS requester_name, r.requester_department,
                a.display_name AS assignee_name, r.created_at, r.respond_by, r.resolve_by, r.responded_at
         FROM requests r JOIN users q ON q.id = r.requester_id LEFT JOIN users a ON a.id = r.assignee_id",
    );
    push_where(&mut q, f, scope, f.offset + f.limit, true);
    q.push(order(f));
    q.push(" LIMIT ")
        .push_bind(f.limit)
        .push(" OFFSET ")
        .push_bind(f.offset);
    let rows = q.fetch_all(c).await?;
    rows.into_iter()
        .map(|r| {
            Ok(RequestLine {
                id: r.get("id")?,
                number: r.get("number")?,
                title: r.get("title")?,
                category: r.get("category")?,
                section: r.get("section")?,
                priority: r.get("priority")?,
                state: state(&r)?,
                requester_name: r.get("requester_name")?,
                requester_department: r.get("requester_department")?,
                assignee_name: r.get("assignee_name")?,
                created_at: r.get("created_at")?,
                respond_by: r.get("respond_by")?,
                resolve_by: r.get("resolve_by")?,
                responded_at: r.get("responded_at")?,
            })
        })
        .collect()
}

/// How many requests match, counted up to `cap` (the lists say "1000+";
/// a list of branches may count up to twice that, still "1000+").
pub async fn count(c: &mut impl Conn, f: &ListFilter, scope: &Scope, cap: i64) -> Result<i64> {
    let mut q = query("SELECT COUNT(*) FROM (SELECT r.id FROM requests r");
    push_where(&mut q, f, scope, cap, false);
    q.push(" LIMIT ").push_bind(cap).push(") x");
    q.scalar(c).await
}

/// Resolved requests whose resolution is older than `before` (to close by
/// themselves), at most `limit`.
pub async fn resolved_before(
    c: &mut impl Conn,
    before: OffsetDateTime,
    limit: i64,
) -> Result<Vec<i64>> {
    query("SELECT id FROM requests WHERE state = 'resolved' AND resolved_at < $1 ORDER BY resolved_at LIMIT $2").bind(utc(before)).bind(limit).scalars(c).await
}

/// Whether a mail message was already taken.
pub async fn mail_seen(c: &mut impl Conn, message_id: &str) -> Result<bool> {
    Ok(query("SELECT 1 FROM request_mail WHERE message_id = $1")
        .bind(message_id)
        .fetch_optional(c)
        .await?
        .is_some())
}

pub async fn record_mail(
    w: &mut Write,
    message_id: &str,
    request_id: Option<i64>,
    outcome: &str,
) -> Result<()> {
    let at = w.at();
    query("INSERT INTO request_mail (message_id, request_id, outcome, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .bind(message_id)
        .bind(request_id)
        .bind(outcome)
        .bind(at)
        .execute(w)
        .await?;
    Ok(())
}

/// SLA compliance per section and month of resolution, in `year`.
pub async fn sla_report(
    c: &mut impl Conn,
    from: OffsetDateTime,
    until: OffsetDateTime,
) -> Result<Vec<(String, OffsetDateTime, bool, bool)>> {
    let rows = query(
        "SELECT section, resolved_at, resolved_at <= resolve_by AS on_time, COALESCE(responded_at <= respond_by, FALSE) AS answered
         FROM requests WHERE resolved_at IS NOT NULL AND resolved_at >= $1 AND resolved_at < $2",
    )
    .bind(utc(from))
    .bind(utc(until))
    .fetch_all(c)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.get("section")?,
                r.get("resolved_at")?,
                r.get("on_time")?,
                r.get("answered")?,
            ))
        })
        .collect()
}

/// Open requests assigned to `user` (not waiting), counted up to `cap`.
pub async fn count_assigned_open(c: &mut impl Conn, user: i64, cap: i64) -> Result<i64> {
    query("SELECT COUNT(*) FROM (SELECT 1 FROM requests WHERE assignee_id = $1 AND state IN ('assigned', 'in_progress') LIMIT $2) x").bind(user).bind(cap).scalar(c).await
}

/// New (unassigned) requests of these sections, counted up to `cap`.
pub async fn count_new_in(c: &mut impl Conn, sections: &[String], cap: i64) -> Result<i64> {
    if sections.is_empty() {
        return Ok(0);
    }
    let mut q =
        query("SELECT COUNT(*) FROM (SELECT 1 FROM requests WHERE state = 'new' AND section IN ");
    q.push_list(sections.iter().cloned());
    q.push(" LIMIT ").push_bind(cap).push(") x");
    q.scalar(c).await
}
