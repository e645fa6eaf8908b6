//! The trays (what waits for someone), the deadline lists and the register
//! books, read in index order so that a million stored documents cost what
//! a thousand do.

use domain::incoming::{Line, Viewer};
use time::{Date, OffsetDateTime};

use crate::db::{query, Conn, Row};
use crate::Result;

const LINE_COLS: &str = "i.id, i.number, i.register, i.subject, i.sender_name, i.confidentiality, i.personal_data, i.urgency, i.due_date,
    i.target_date, i.state, i.registered_at, i.registered_by";

const ROUTING_LINE_COLS: &str =
    "r.id AS routing_id, r.purpose, r.to_unit, r.to_user, tu.username AS to_user_username,
    tu.display_name AS to_user_name, r.internal_due, r.routed_at, r.delivered_at";

fn line_from(r: &Row, with_routing: bool) -> Result<Line> {
    let mut l = Line {
        id: r.get("id")?,
        number: r.get("number")?,
        register: r.get("register")?,
        subject: r.get("subject")?,
        sender_name: r.get("sender_name")?,
        confidentiality: r.get("confidentiality")?,
        personal_data: r.get("personal_data")?,
        urgency: r.get("urgency")?,
        due_date: r.get("due_date")?,
        target_date: r.get("target_date")?,
        state: super::state_of(r)?,
        registered_at: r.get("registered_at")?,
        registered_by_id: r.get("registered_by")?,
        routing_id: None,
        purpose: None,
        to_unit: None,
        to_user: None,
        to_user_name: None,
        to_user_id: None,
        internal_due: None,
        routed_at: None,
        delivered_at: None,
    };
    if with_routing {
        l.routing_id = r.get("routing_id")?;
        l.purpose = r.get("purpose")?;
        l.to_unit = r.get("to_unit")?;
        l.to_user = r.get("to_user_username")?;
        l.to_user_name = r.get("to_user_name")?;
        l.to_user_id = r.get("to_user")?;
        l.internal_due = r.get("internal_due")?;
        l.routed_at = r.get("routed_at")?;
        l.delivered_at = r.get("delivered_at")?;
    }
    Ok(l)
}

/// What waits for the viewer: documents awaiting routing (for the holder
/// of `route_incoming`) and open routings to him or to a unit he heads,
/// most urgent first; at most `limit` of each.
pub async fn tray(c: &mut impl Conn, v: &Viewer, limit: i64) -> Result<Vec<Line>> {
    let mut out = Vec::new();
    if v.routes {
        for r in query(format!("SELECT {LINE_COLS} FROM incoming i WHERE i.state = 'registered' ORDER BY i.sort_due, i.id LIMIT $1"))
            .bind(limit)
            .fetch_all(c)
            .await?
        {
            out.push(line_from(&r, false)?);
        }
    }
    // One indexed range per recipient (the person, each unit he heads),
    // soonest first; merged below.
    let by = |filter: &str| {
        query(format!(
            "SELECT {LINE_COLS}, {ROUTING_LINE_COLS} FROM routings r JOIN incoming i ON i.id = r.incoming_id
             LEFT JOIN users tu ON tu.id = r.to_user WHERE r.open AND {filter} ORDER BY r.due, r.id LIMIT $2"
        ))
    };
    let mut mine = Vec::new();
    for r in by("r.to_user = $1")
        .bind(v.user_id)
        .bind(limit)
        .fetch_all(c)
        .await?
    {
        mine.push(line_from(&r, true)?);
    }
    for unit in &v.units {
        for r in by("r.to_unit = $1")
            .bind(unit)
            .bind(limit)
            .fetch_all(c)
            .await?
        {
            mine.push(line_from(&r, true)?);
        }
    }
    mine.sort_by_key(Line::sort_key);
    mine.truncate(limit as usize);
    out.extend(mine);
    Ok(out)
}

/// The counts of a viewer's tray, each stopping at `cap` (a count is
/// shown as "cap+" beyond it; counting 700,000 rows on every page would
/// cost more than the page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrayCounts {
    /// Registered, not yet routed (for the holder of `route_incoming`).
    pub route: i64,
    /// Routed to him or a unit he heads, not yet taken into custody.
    pub deliver: i64,
    /// Open, to act on, due from today to `soon`.
    pub due_soon: i64,
    /// Open, to act on, past its date.
    pub overdue: i64,
    /// Of those, past the legal deadline itself.
    pub legal_overdue: i64,
    /// Taken into custody, to act on.
    pub act: i64,
    /// Taken into custody, for information.
    pub info: i64,
}

async fn capped(
    c: &mut impl Conn,
    sql: &str,
    args: Vec<crate::db::Value>,
    cap: i64,
) -> Result<i64> {
    let mut q = query(format!("SELECT COUNT(*) AS n FROM ({sql} LIMIT {cap}) x"));
    for a in args {
        q = q.bind(a);
    }
    q.fetch_one(c).await?.get("n")
}

/// The marks of at most `cap` rows, most urgent first, counted in one
/// pass: each count is exact below the cap (the most urgent rows come
/// first, so "overdue" and "due soon" are counted before the rest).
async fn marks(
    c: &mut impl Conn,
    rows: &str,
    args: Vec<crate::db::Value>,
    cap: i64,
) -> Result<[i64; 7]> {
    let mut q = query(format!(
        "SELECT COUNT(*) AS n,
            COALESCE(SUM(CASE WHEN x.delivered THEN 0 ELSE 1 END), 0) AS deliver,
            COALESCE(SUM(CASE WHEN x.delivered AND x.action THEN 1 ELSE 0 END), 0) AS act,
            COALESCE(SUM(CASE WHEN x.delivered AND NOT x.action THEN 1 ELSE 0 END), 0) AS info,
            COALESCE(SUM(CASE WHEN x.action AND x.due < $1 THEN 1 ELSE 0 END), 0) AS overdue,
            COALESCE(SUM(CASE WHEN x.action AND x.due >= $1 AND x.due <= $2 THEN 1 ELSE 0 END), 0) AS soon,
            COALESCE(SUM(CASE WHEN x.action AND x.legal < $1 THEN 1 ELSE 0 END), 0) AS legal
         FROM ({rows} LIMIT {cap}) x"
    ));
    for a in args {
        q = q.bind(a);
    }
    let r = q.fetch_one(c).await?;
    Ok([
        r.get("n")?,
        r.get("deliver")?,
        r.get("act")?,
        r.get("info")?,
        r.get("overdue")?,
        r.get("soon")?,
        r.get("legal")?,
    ])
}

/// Counts what [`tray`] lists, and what of it is due soon or overdue: one
/// statement for the documents to route and one per recipient (the
/// person, each unit he heads), each reading at most `cap` index entries.
pub async fn tray_counts(
    c: &mut impl Conn,
    v: &Viewer,
    today: Date,
    soon: Date,
    cap: i64,
) -> Result<TrayCounts> {
    let mut n = TrayCounts::default();
    if v.routes {
        // Unrouted documents: all "to act on" and "delivered" in the sense of
        // the marks (nothing to take), their own dates.
        let [route, _, _, _, overdue, due_soon, legal] = marks(
            c,
            "SELECT (1 = 1) AS delivered, (1 = 1) AS action, i.sort_due AS due, i.due_date AS legal FROM incoming i
             WHERE i.state = 'registered' ORDER BY i.sort_due, i.id",
            vec![today.into(), soon.into()],
            cap,
        )
        .await?;
        n.route = route;
        n.overdue += overdue;
        n.due_soon += due_soon;
        n.legal_overdue += legal;
    }
    let mut recipients: Vec<(&str, crate::db::Value)> = vec![("r.to_user = $3", v.user_id.into())];
    for u in &v.units {
        recipients.push(("r.to_unit = $3", u.clone().into()));
    }
    for (filter, who) in recipients {
        let [_, deliver, act, info, overdue, due_soon, legal] = marks(
            c,
            &format!(
                "SELECT (r.delivered_at IS NOT NULL) AS delivered, (r.purpose = 'action') AS action, r.due AS due, i.due_date AS legal
                 FROM routings r JOIN incoming i ON i.id = r.incoming_id WHERE r.open AND {filter} ORDER BY r.due, r.id"
            ),
            vec![today.into(), soon.into(), who],
            cap,
        )
        .await?;
        n.deliver += deliver;
        n.act += act;
        n.info += info;
        n.overdue += overdue;
        n.due_soon += due_soon;
        n.legal_overdue += legal;
    }
    for x in [
        &mut n.route,
        &mut n.deliver,
        &mut n.due_soon,
        &mut n.overdue,
        &mut n.legal_overdue,
        &mut n.act,
        &mut n.info,
    ] {
        *x = (*x).min(cap);
    }
    Ok(n)
}

/// Which registrations a list shows (the Kalem's "all incoming").
#[derive(Debug, Clone, Default)]
pub struct RegistrationFilter {
    /// `incoming` or `petition`; both when none.
    pub register: Option<String>,
    /// Registered on or after / before this instant.
    pub from: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    /// `registered`, `routed`, `closed`…; any when none.
    pub state: Option<String>,
}

fn registrations_where(q: &mut crate::db::Query, f: &RegistrationFilter) {
    q.push(" WHERE 1 = 1");
    if let Some(r) = &f.register {
        q.push(" AND i.register = ");
        q.push_bind(r.clone());
    }
    if let Some(t) = f.from {
        q.push(" AND i.registered_at >= ");
        q.push_bind(t);
    }
    if let Some(t) = f.until {
        q.push(" AND i.registered_at < ");
        q.push_bind(t);
    }
    if let Some(s) = &f.state {
        q.push(" AND i.state = ");
        q.push_bind(s.clone());
    }
}

/// A page of registrations, newest first, and how many match (counting
/// stops at `cap`).
pub async fn registrations(
    c: &mut impl Conn,
    f: &RegistrationFilter,
    limit: i64,
    offset: i64,
    cap: i64,
) -> Result<(Vec<Line>, i64)> {
    let mut count = query("SELECT COUNT(*) AS n FROM (SELECT 1 FROM incoming i");
    registrations_where(&mut count, f);
    count.push(&format!(" LIMIT {cap}) x"));
    let total: i64 = count.fetch_one(c).await?.get("n")?;
    let mut q = query(format!("SELECT {LINE_COLS} FROM incoming i"));
    registrations_where(&mut q, f);
    q.push(" ORDER BY i.registered_at DESC, i.id DESC LIMIT ");
    q.push_bind(limit);
    q.push(" OFFSET ");
    q.push_bind(offset);
    let mut out = Vec::new();
    for r in q.fetch_all(c).await? {
        out.push(line_from(&r, false)?);
    }
    Ok((out, total))
}

/// How many documents were registered since `since` (the Kalem's "today").
pub async fn registered_since(c: &mut impl Conn, since: OffsetDateTime, cap: i64) -> Result<i64> {
    capped(
        c,
        "SELECT 1 FROM incoming i WHERE i.registered_at >= $1",
        vec![since.into()],
        cap,
    )
    .await
}

/// Which part of a tray a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrayKind {
    #[default]
    All,
    /// Registered, to route (havale).
    Route,
    /// Routed, not yet taken into custody (zimmet).
    Deliver,
    /// Taken, to act on (gereği).
    Act,
    /// Taken, for information (bilgi).
    Info,
}

impl TrayKind {
    fn routing_filter(self) -> &'static str {
        match self {
            TrayKind::Deliver => " AND r.delivered_at IS NULL",
            TrayKind::Act => " AND r.delivered_at IS NOT NULL AND r.purpose = 'action'",
            TrayKind::Info => " AND r.delivered_at IS NOT NULL AND r.purpose <> 'action'",
            _ => "",
        }
    }
}

/// One page of the tray: the documents to route first (for the holder of
/// `route_incoming`; `route_total` of them), then the open routings to
/// the viewer or a unit he heads, each part most urgent first. Each part
/// reads its own index range; a page reads at most `offset + limit` rows
/// of each.
pub async fn tray_page(
    c: &mut impl Conn,
    v: &Viewer,
    kind: TrayKind,
    offset: i64,
    limit: i64,
    route_total: i64,
) -> Result<Vec<Line>> {
    let mut out = Vec::new();
    let mut offset = offset;
    if v.routes && matches!(kind, TrayKind::All | TrayKind::Route) {
        for r in query(format!("SELECT {LINE_COLS} FROM incoming i WHERE i.state = 'registered' ORDER BY i.sort_due, i.id LIMIT $1 OFFSET $2"))
            .bind(limit)
            .bind(offset)
            .fetch_all(c)
            .await?
        {
            out.push(line_from(&r, false)?);
        }
        offset = (offset - route_total).max(0);
    }
    if kind == TrayKind::Route || out.len() as i64 >= limit {
        return Ok(out);
    }
    let want = limit - out.len() as i64;
    let filter = kind.routing_filter();
    let by = |who: &str| {
        query(format!(
            "SELECT {LINE_COLS}, {ROUTING_LINE_COLS} FROM routings r JOIN incoming i ON i.id = r.incoming_id
             LEFT JOIN users tu ON tu.id = r.to_user WHERE r.open AND {who}{filter} ORDER BY r.due, r.id LIMIT $2"
        ))
    };
    let mut mine = Vec::new();
    for r in by("r.to_user = $1")
        .bind(v.user_id)
        .bind(offset + want)
        .fetch_all(c)
        .await?
    {
        mine.push(line_from(&r, true)?);
    }
    for unit in &v.units {
        for r in by("r.to_unit = $1")
            .bind(unit)
            .bind(offset + want)
            .fetch_all(c)
            .await?
        {
            mine.push(line_from(&r, true)?);
        }
    }
    mine.sort_by_key(Line::sort_key);
    out.extend(mine.into_iter().skip(offset as usize).take(want as usize));
    Ok(out)
}

/// Which open routings a deadline list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueScope<'a> {
    /// The whole directorate (and the documents not yet routed).
    All,
    Unit(&'a str),
    User(i64),
}

/// Open action routings (and, for the whole directorate, unrouted
/// documents) due on or before `until`, soonest first.
pub async fn due_list(
    c: &mut impl Conn,
    until: Date,
    scope: DueScope<'_>,
    limit: i64,
) -> Result<Vec<Line>> {
    let mut out = Vec::new();
    if scope == DueScope::All {
        for r in query(format!(
            "SELECT {LINE_COLS} FROM incoming i WHERE i.state = 'registered' AND i.sort_due <= $1 ORDER BY i.sort_due, i.id LIMIT $2"
        ))
        .bind(until)
        .bind(limit)
        .fetch_all(c)
        .await?
        {
            out.push(line_from(&r, false)?);
        }
    }
    // One statement per scope, so each reads its own index range.
    let filter = match scope {
        DueScope::Unit(_) => "AND r.to_unit = $3",
        DueScope::User(_) => "AND r.to_user = $3",
        DueScope::All => "",
    };
    let q = query(format!(
        "SELECT {LINE_COLS}, {ROUTING_LINE_COLS} FROM routings r JOIN incoming i ON i.id = r.incoming_id
         LEFT JOIN users tu ON tu.id = r.to_user
         WHERE r.open AND r.purpose = 'action' AND r.due <= $1 {filter} ORDER BY r.due, r.id LIMIT $2"
    ))
    .bind(until)
    .bind(limit);
    let q = match scope {
        DueScope::Unit(u) => q.bind(u),
        DueScope::User(id) => q.bind(id),
        DueScope::All => q,
    };
    for r in q.fetch_all(c).await? {
        out.push(line_from(&r, true)?);
    }
    out.sort_by_key(Line::sort_key);
    Ok(out)
}

/// One line of a register book (gelen evrak / dilekçe defteri).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookRow {
    pub id: i64,
    pub seq: i64,
    pub number: String,
    pub registered_at: OffsetDateTime,
    pub sender_name: String,
    pub sender_ref: String,
    pub sender_date: Option<Date>,
    pub subject: String,
    pub attachments: i64,
    /// The first recipient of the Müdür's routing: a unit id, or a person's
    /// name.
    pub routed_to: Option<String>,
    /// The name of who took delivery of it.
    pub delivered_to: Option<String>,
    pub confidentiality: String,
    pub personal_data: bool,
    pub registered_by_id: i64,
    /// The viewer is among the document's recipients.
    pub viewer_is_recipient: bool,
}

impl BookRow {
    pub fn is_restricted(&self) -> bool {
        domain::incoming::is_restricted(&self.confidentiality, self.personal_data)
    }
}

/// The register book of `register` for `[from, until)`, in number order,
/// streamed row by row to `each` (memory stays flat however long the
/// book); how many rows.
pub async fn register_book(
    c: &mut impl Conn,
    register: &str,
    from: OffsetDateTime,
    until: OffsetDateTime,
    viewer: &Viewer,
    mut each: impl FnMut(BookRow) -> Result<()> + Send,
) -> Result<u64> {
    let mut q = query(
        "SELECT i.id, i.seq, i.number, i.registered_at, i.sender_name, i.sender_ref, i.sender_date, i.subject,
                i.confidentiality, i.personal_data, i.registered_by,
                (SELECT COUNT(*) FROM incoming_attachments a WHERE a.incoming_id = i.id) AS attachments,
                (SELECT COALESCE(r.to_unit, tu.display_name) FROM routings r LEFT JOIN users tu ON tu.id = r.to_user
                  WHERE r.incoming_id = i.id AND r.parent_id IS NULL ORDER BY r.id LIMIT 1) AS routed_to,
                (SELECT du.display_name FROM routings r JOIN users du ON du.id = r.delivered_by
                  WHERE r.incoming_id = i.id AND r.parent_id IS NULL ORDER BY r.id LIMIT 1) AS delivered_to,
                EXISTS (SELECT 1 FROM routings r WHERE r.incoming_id = i.id AND (r.to_user = $4",
    );
    q = q.bind(register).bind(from).bind(until).bind(viewer.user_id);
    if !viewer.units.is_empty() {
        q.push(" OR r.to_unit IN ").push_list(viewer.units.iter());
    }
    q.push(
        ")) AS viewer_is_recipient
         FROM incoming i WHERE i.register = $1 AND i.registered_at >= $2 AND i.registered_at < $3
         ORDER BY i.registered_at, i.id",
    );
    q.for_each(c, |r| {
        each(BookRow {
            id: r.get("id")?,
            seq: r.get("seq")?,
            number: r.get("number")?,
            registered_at: r.get("registered_at")?,
            sender_name: r.get("sender_name")?,
            sender_ref: r.get("sender_ref")?,
            sender_date: r.get("sender_date")?,
            subject: r.get("subject")?,
            attachments: r.get("attachments")?,
            routed_to: r.get("routed_to")?,
            delivered_to: r.get("delivered_to")?,
            confidentiality: r.get("confidentiality")?,
            personal_data: r.get("personal_data")?,
            registered_by_id: r.get("registered_by")?,
            viewer_is_recipient: r.get("viewer_is_recipient")?,
        })
    })
    .await
}
