//! Outgoing letters in the database (m.15/3, m.20/2-3, m.21/2): drafts and
//! their parts, the chain's steps as they are decided, the number and
//! date given at the signature, dispatch, the outgoing register book and
//! the e-imza files. The rules are `domain::outgoing`'s.

use domain::correspondence::Confidentiality;
use domain::outgoing::{
    Letter, LetterAttachment, LetterKind, LetterRef, LetterState, LetterStep, Recipient, Step,
};
use time::{Date, OffsetDateTime};

use crate::db::{on_constraint, query, Conn, Row};
use crate::{Result, StoreError, Write};

/// A letter as its writer gives it (checked by `app`).
#[derive(Debug, Clone)]
pub struct NewLetter {
    pub kind: LetterKind,
    pub heading: String,
    pub subject: String,
    pub body: String,
    pub file_code: String,
    pub confidentiality: Confidentiality,
    pub urgency: String,
    pub urgent_date: Option<Date>,
    pub personal_data: bool,
    pub contact: String,
    pub recipients: Vec<Recipient>,
    pub refs: Vec<LetterRef>,
    /// (SHA-256 of a stored blob, file name)
    pub attachments: Vec<(String, String)>,
}

/// A line of a letters list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LetterLine {
    pub id: i64,
    pub state: LetterState,
    pub kind: String,
    pub subject: String,
    pub number: Option<String>,
    /// The e-Yazışma confidentiality code (`YOK`, `HZO`, `GZL`…).
    pub confidentiality: String,
    pub writer: String,
    pub writer_name: String,
    /// The position whose holder acts next.
    pub waiting_for: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A row of the outgoing register book (giden evrak defteri).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterBookRow {
    pub id: i64,
    pub seq: i64,
    pub number: String,
    pub signed_at: OffsetDateTime,
    pub addressees: String,
    pub subject: String,
    pub attachments: i64,
    pub confidentiality: String,
    pub personal_data: bool,
    pub writer_id: i64,
    pub dispatch_channel: Option<String>,
    pub dispatch_ref: Option<String>,
    pub dispatched_at: Option<OffsetDateTime>,
}

impl LetterBookRow {
    pub fn is_restricted(&self) -> bool {
        domain::incoming::is_restricted(&self.confidentiality, self.personal_data)
    }
}

fn state_of(r: &Row) -> Result<LetterState> {
    let s: String = r.get("state")?;
    LetterState::parse(&s)
        .ok_or_else(|| StoreError::Internal(anyhow::anyhow!("unknown letter state {s}")))
}

/// The names of a letter's addressees, in order, as one text.
pub(crate) fn addressees_sql(c: &mut impl Conn) -> &'static str {
    match c.engine() {
        crate::Engine::Sqlite => {
            "(SELECT group_concat(name, ', ') FROM (SELECT name FROM outgoing_recipients WHERE outgoing_id = o.id AND role = 'muhatap' ORDER BY ord))"
        }
        crate::Engine::Postgres => "(SELECT string_agg(name, ', ' ORDER BY ord) FROM outgoing_recipients WHERE outgoing_id = o.id AND role = 'muhatap')",
    }
}

async fn write_parts(w: &mut Write, id: i64, n: &NewLetter, chain: &[Step]) -> Result<()> {
    for t in [
        "outgoing_recipients",
        "outgoing_refs",
        "outgoing_steps",
        "outgoing_attachments",
    ] {
        query(format!("DELETE FROM {t} WHERE outgoing_id = $1"))
            .bind(id)
            .execute(w)
            .await?;
    }
    for (i, r) in n.recipients.iter().enumerate() {
        query("INSERT INTO outgoing_recipients (outgoing_id, ord, role, kind, name, detsis, address, line) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id)
            .bind(i as i64)
            .bind(&r.role)
            .bind(&r.kind)
            .bind(&r.name)
            .bind(&r.detsis)
            .bind(&r.address)
            .bind(&r.line)
            .execute(w)
            .await?;
    }
    for (i, r) in n.refs.iter().enumerate() {
        query("INSERT INTO outgoing_refs (outgoing_id, ord, text, incoming_id) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(i as i64)
            .bind(&r.text)
            .bind(r.incoming_id)
            .execute(w)
            .await
            .map_err(on_constraint(None, Some("unknown_incoming")))?;
    }
    for (ord, s) in chain.iter().enumerate() {
        query("INSERT INTO outgoing_steps (outgoing_id, ord, position, action, authority) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(ord as i64)
            .bind(&s.position)
            .bind(s.action.code())
            .bind(&s.authority)
            .execute(w)
            .await?;
    }
    for (sha, name) in &n.attachments {
        query("INSERT INTO outgoing_attachments (outgoing_id, sha256, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(sha)
            .bind(name)
            .execute(w)
            .await
            .map_err(on_constraint(None, Some("unknown_attachment")))?;
    }
    crate::attachments::hold(
        w,
        &n.attachments
            .iter()
            .map(|(s, _)| s.as_str())
            .collect::<Vec<_>>(),
    )
    .await?;
    Ok(())
}

/// Inserts a draft with its chain; its id.
pub async fn insert(
    w: &mut Write,
    writer: i64,
    position: &str,
    unit: &str,
    n: &NewLetter,
    chain: &[Step],
) -> Result<i64> {
    let at = w.at();
    let id: i64 = query(
        "INSERT INTO outgoing (kind, state, writer, writer_position, unit, heading, subject, body, file_code, confidentiality,
            urgency, urgent_date, personal_data, contact, created_at, updated_at)
         VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
    )
    .bind(n.kind.code())
    .bind(writer)
    .bind(position)
    .bind(unit)
    .bind(&n.heading)
    .bind(&n.subject)
    .bind(&n.body)
    .bind(&n.file_code)
    .bind(n.confidentiality.code())
    .bind(&n.urgency)
    .bind(n.urgent_date)
    .bind(n.personal_data)
    .bind(&n.contact)
    .bind(at)
    .scalar(w)
    .await?;
    write_parts(w, id, n, chain).await?;
    Ok(id)
}

/// Replaces a letter's content and chain: a new version, back to draft.
pub async fn update(
    w: &mut Write,
    id: i64,
    position: &str,
    n: &NewLetter,
    chain: &[Step],
) -> Result<()> {
    let at = w.at();
    query(
        "UPDATE outgoing SET kind = $2, state = 'draft', version = version + 1, writer_position = $3, heading = $4, subject = $5,
            body = $6, file_code = $7, confidentiality = $8, urgency = $9, urgent_date = $10, personal_data = $11, contact = $12,
            updated_at = $13 WHERE id = $1",
    )
    .bind(id)
    .bind(n.kind.code())
    .bind(position)
    .bind(&n.heading)
    .bind(&n.subject)
    .bind(&n.body)
    .bind(&n.file_code)
    .bind(n.confidentiality.code())
    .bind(&n.urgency)
    .bind(n.urgent_date)
    .bind(n.personal_data)
    .bind(&n.contact)
    .bind(at)
    .execute(w)
    .await?;
    write_parts(w, id, n, chain).await
}

/// Records who did a step, when, on what basis; the letter is in approval.
pub async fn record_step(w: &mut Write, id: i64, ord: i64, by: i64, basis: &str) -> Result<()> {
    let at = w.at();
    query("UPDATE outgoing_steps SET done_by = $3, done_at = $4, basis = $5 WHERE outgoing_id = $1 AND ord = $2")
        .bind(id)
        .bind(ord)
        .bind(by)
        .bind(at)
        .bind(basis)
        .execute(w)
        .await?;
    query("UPDATE outgoing SET state = 'in_approval', note = NULL, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(w)
        .await?;
    Ok(())
}

/// Sends a letter back (returned or rejected) with a note; the initials
/// are dropped.
pub async fn send_back(
    w: &mut Write,
    id: i64,
    state: LetterState,
    note: &str,
    by: i64,
) -> Result<()> {
    let at = w.at();
    query("UPDATE outgoing_steps SET done_by = NULL, done_at = NULL, basis = NULL WHERE outgoing_id = $1").bind(id).execute(w).await?;
    query("UPDATE outgoing SET state = $2, note = $3, updated_at = $4, returned_by = $5, returned_at = $4 WHERE id = $1")
        .bind(id)
        .bind(state.code())
        .bind(note)
        .bind(at)
        .bind(by)
        .execute(w)
        .await?;
    Ok(())
}

/// Takes the next outgoing number of a period (gap-free, like the
/// registers').
pub async fn take_number(w: &mut Write, period: &str) -> Result<i64> {
    crate::incoming::register::take_numbers(w, "outgoing", period, 1).await
}

/// What the signature fixes on a letter.
#[derive(Debug, Clone)]
pub struct Signature<'a> {
    pub period: &'a str,
    pub seq: i64,
    pub number: &'a str,
    pub signer: i64,
    pub signer_name: &'a str,
    pub signer_title: &'a str,
    pub basis: &'a str,
    pub content_sha256: &'a str,
    pub verification_code: &'a str,
}

/// Numbers and dates the letter at its signature.
pub async fn sign(w: &mut Write, id: i64, s: &Signature<'_>) -> Result<()> {
    let at = w.at();
    query(
        "UPDATE outgoing SET state = 'signed', period = $2, seq = $3, number = $4, signed_at = $5, signed_by = $6,
            signer_name = $7, signer_title = $8, sign_basis = $9, content_sha256 = $10, verification_code = $11, updated_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(s.period)
    .bind(s.seq)
    .bind(s.number)
    .bind(at)
    .bind(s.signer)
    .bind(s.signer_name)
    .bind(s.signer_title)
    .bind(s.basis)
    .bind(s.content_sha256)
    .bind(s.verification_code)
    .execute(w)
    .await
    .map_err(on_constraint(Some("number_taken"), None))?;
    Ok(())
}

pub async fn get(c: &mut impl Conn, id: i64) -> Result<Letter> {
    let r = query(
        "SELECT o.*, w.username AS writer_username, w.display_name AS writer_name, rb.display_name AS returned_by_name, db.display_name AS dispatched_by_name
         FROM outgoing o JOIN users w ON w.id = o.writer LEFT JOIN users rb ON rb.id = o.returned_by LEFT JOIN users db ON db.id = o.dispatched_by WHERE o.id = $1",
    )
        .bind(id)
        .fetch_one(c)
        .await?;
    let mut l = Letter {
        id: r.get("id")?,
        kind: r.get("kind")?,
        state: state_of(&r)?,
        version: r.get("version")?,
        writer: r.get("writer_username")?,
        writer_name: r.get("writer_name")?,
        writer_id: r.get("writer")?,
        writer_position: r.get("writer_position")?,
        unit: r.get("unit")?,
        heading: r.get("heading")?,
        subject: r.get("subject")?,
        body: r.get("body")?,
        file_code: r.get("file_code")?,
        confidentiality: r.get("confidentiality")?,
        urgency: r.get("urgency")?,
        urgent_date: r.get("urgent_date")?,
        personal_data: r.get("personal_data")?,
        contact: r.get("contact")?,
        note: r.get("note")?,
        created_at: r.get("created_at")?,
        number: r.get("number")?,
        signed_at: r.get("signed_at")?,
        signed_by_id: r.get("signed_by")?,
        signer_name: r.get("signer_name")?,
        signer_title: r.get("signer_title")?,
        sign_basis: r.get("sign_basis")?,
        content_sha256: r.get("content_sha256")?,
        verification_code: r.get("verification_code")?,
        returned_by_name: r.get("returned_by_name")?,
        returned_at: r.get("returned_at")?,
        dispatched_at: r.get("dispatched_at")?,
        dispatched_by_name: r.get("dispatched_by_name")?,
        dispatch_channel: r.get("dispatch_channel")?,
        dispatch_ref: r.get("dispatch_ref")?,
        recipients: Vec::new(),
        refs: Vec::new(),
        steps: Vec::new(),
        attachments: Vec::new(),
    };
    for r in query("SELECT role, kind, name, detsis, address, line FROM outgoing_recipients WHERE outgoing_id = $1 ORDER BY ord").bind(id).fetch_all(c).await? {
        l.recipients.push(Recipient {
            role: r.get("role")?,
            kind: r.get("kind")?,
            name: r.get("name")?,
            detsis: r.get("detsis")?,
            address: r.get("address")?,
            line: r.get("line")?,
        });
    }
    for r in
        query("SELECT text, incoming_id FROM outgoing_refs WHERE outgoing_id = $1 ORDER BY ord")
            .bind(id)
            .fetch_all(c)
            .await?
    {
        l.refs.push(LetterRef {
            text: r.get("text")?,
            incoming_id: r.get("incoming_id")?,
        });
    }
    for r in query(
        "SELECT s.ord, s.position, s.action, s.authority, u.username AS done_by, u.display_name AS done_by_name, s.done_at, s.basis
         FROM outgoing_steps s LEFT JOIN users u ON u.id = s.done_by WHERE s.outgoing_id = $1 ORDER BY s.ord",
    )
    .bind(id)
    .fetch_all(c)
    .await?
    {
        l.steps.push(LetterStep {
            ord: r.get("ord")?,
            position: r.get("position")?,
            action: r.get("action")?,
            authority: r.get("authority")?,
            done_by: r.get("done_by")?,
            done_by_name: r.get("done_by_name")?,
            done_at: r.get("done_at")?,
            basis: r.get("basis")?,
        });
    }
    for r in query(
        "SELECT a.sha256, a.name, b.size, b.content_type FROM outgoing_attachments a JOIN blobs b ON b.sha256 = a.sha256
         WHERE a.outgoing_id = $1 ORDER BY a.name",
    )
    .bind(id)
    .fetch_all(c)
    .await?
    {
        l.attachments.push(LetterAttachment { sha256: r.get("sha256")?, name: r.get("name")?, size: r.get("size")?, content_type: r.get("content_type")? });
    }
    Ok(l)
}

/// Which letters a list shows: those `user` wrote or acted on, those
/// whose current step belongs to one of `positions`, and, for a
/// dispatcher (the Kalem), every signed letter (to send) and every sent
/// one; optionally of one state only.
#[derive(Debug, Clone, Default)]
pub struct LetterFilter {
    pub user: i64,
    pub positions: Vec<String>,
    pub dispatcher: bool,
    pub state: Option<LetterState>,
}

/// A letter anyone may see: neither classified nor holding personal data
/// (`domain::outgoing::Letter::is_restricted`).
const UNRESTRICTED: &str = "NOT o.personal_data AND o.confidentiality IN ('YOK', 'HZO')";

const CURRENT_STEP: &str = "(SELECT s.position FROM outgoing_steps s WHERE s.outgoing_id = o.id AND s.done_by IS NULL ORDER BY s.ord LIMIT 1)";

fn letters_where(q: &mut crate::db::Query, f: &LetterFilter) {
    q.push(" WHERE (o.writer = ");
    q.push_bind(f.user);
    if !f.positions.is_empty() {
        q.push(&format!(
            " OR (o.state IN ('draft', 'in_approval') AND {CURRENT_STEP} IN "
        ));
        q.push_list(f.positions.iter());
        q.push(")");
    }
    if f.dispatcher {
        // Not a classified one or one with personal data: the Kalem does not
        // see those (`outgoing::may_see`), so he is not shown their subject.
        q.push(&format!(
            " OR (o.state IN ('signed', 'dispatched') AND {UNRESTRICTED})"
        ));
    }
    // …and those he initialled or signed himself.
    q.push(
        " OR EXISTS (SELECT 1 FROM outgoing_steps d WHERE d.outgoing_id = o.id AND d.done_by = ",
    );
    q.push_bind(f.user);
    q.push("))");
    if let Some(state) = f.state {
        q.push(" AND o.state = ");
        q.push_bind(state.code());
    }
}

/// A page of the letters `f` selects, newest first, and how many there
/// are in all.
pub async fn lines(
    c: &mut impl Conn,
    f: &LetterFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<LetterLine>, i64)> {
    let mut count = query("SELECT COUNT(*) AS n FROM outgoing o");
    letters_where(&mut count, f);
    let total: i64 = count.fetch_one(c).await?.get("n")?;
    let mut q = query(format!(
        "SELECT o.id, o.state, o.kind, o.subject, o.number, o.confidentiality, w.username AS writer, w.display_name AS writer_name, o.updated_at,
            {CURRENT_STEP} AS waiting_for
         FROM outgoing o JOIN users w ON w.id = o.writer"
    ));
    letters_where(&mut q, f);
    q.push(" ORDER BY o.updated_at DESC, o.id DESC LIMIT ");
    q.push_bind(limit);
    q.push(" OFFSET ");
    q.push_bind(offset);
    let rows = q
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            let state = state_of(r)?;
            Ok(LetterLine {
                id: r.get("id")?,
                waiting_for: if state.in_chain() {
                    r.get("waiting_for")?
                } else {
                    None
                },
                state,
                kind: r.get("kind")?,
                subject: r.get("subject")?,
                number: r.get("number")?,
                confidentiality: r.get("confidentiality")?,
                writer: r.get("writer")?,
                writer_name: r.get("writer_name")?,
                updated_at: r.get("updated_at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((rows, total))
}

/// How many letters in the chain wait for one of `positions` to initial
/// (`initial`) and to sign (`sign`).
pub async fn waiting_steps(c: &mut impl Conn, positions: &[String]) -> Result<(i64, i64)> {
    if positions.is_empty() {
        return Ok((0, 0));
    }
    let mut q = query(
        "SELECT s.action, COUNT(*) AS n FROM outgoing o JOIN outgoing_steps s ON s.outgoing_id = o.id
         WHERE o.state IN ('draft', 'in_approval') AND s.done_by IS NULL
           AND s.ord = (SELECT MIN(x.ord) FROM outgoing_steps x WHERE x.outgoing_id = o.id AND x.done_by IS NULL) AND s.position IN ",
    );
    q.push_list(positions.iter());
    q.push(" GROUP BY s.action");
    let (mut initial, mut sign) = (0, 0);
    for r in q.fetch_all(c).await? {
        let action: String = r.get("action")?;
        let n: i64 = r.get("n")?;
        if action == "sign" {
            sign += n;
        } else {
            initial += n;
        }
    }
    Ok((initial, sign))
}

/// How many of `user`'s letters were sent back to him and wait for him.
pub async fn count_returned(c: &mut impl Conn, user: i64) -> Result<i64> {
    query("SELECT COUNT(*) AS n FROM outgoing WHERE writer = $1 AND state = 'returned'")
        .bind(user)
        .fetch_one(c)
        .await?
        .get("n")
}

/// How many signed letters the Kalem may see wait to be sent.
pub async fn count_signed(c: &mut impl Conn) -> Result<i64> {
    query(format!(
        "SELECT COUNT(*) AS n FROM outgoing o WHERE o.state = 'signed' AND {UNRESTRICTED}"
    ))
    .fetch_one(c)
    .await?
    .get("n")
}

/// Records that a signed letter was handed over (m.21/2).
pub async fn dispatch(
    w: &mut Write,
    id: i64,
    by: i64,
    channel: &str,
    reference: &str,
) -> Result<()> {
    let at = w.at();
    query(
        "UPDATE outgoing SET state = 'dispatched', dispatched_at = $2, dispatched_by = $3, dispatch_channel = $4, dispatch_ref = $5,
            updated_at = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(at)
    .bind(by)
    .bind(channel)
    .bind(reference)
    .execute(w)
    .await?;
    Ok(())
}

/// The outgoing register book: the letters signed in [from, until), in
/// number order; `hand_only` keeps those handed over by hand (the
/// courier's list), by their dispatch time instead.
pub async fn book(
    c: &mut impl Conn,
    from: OffsetDateTime,
    until: OffsetDateTime,
    hand_only: bool,
    mut each: impl FnMut(LetterBookRow) -> Result<()> + Send,
) -> Result<u64> {
    let filter = if hand_only {
        "o.dispatch_channel = 'hand' AND o.dispatched_at >= $1 AND o.dispatched_at < $2 ORDER BY o.dispatched_at, o.id"
    } else {
        "o.number IS NOT NULL AND o.signed_at >= $1 AND o.signed_at < $2 ORDER BY o.signed_at, o.id"
    };
    let addressees = addressees_sql(c);
    query(format!(
        "SELECT o.id, o.seq, o.number, o.signed_at, o.subject, o.confidentiality, o.personal_data, o.writer, o.dispatch_channel,
                o.dispatch_ref, o.dispatched_at, {addressees} AS addressees,
                (SELECT COUNT(*) FROM outgoing_attachments a WHERE a.outgoing_id = o.id) AS attachments
         FROM outgoing o WHERE {filter}"
    ))
    .bind(from)
    .bind(until)
    .for_each(c, |r| {
        each(LetterBookRow {
            id: r.get("id")?,
            seq: r.get("seq")?,
            number: r.get("number")?,
            signed_at: r.get("signed_at")?,
            addressees: r.get::<Option<String>>("addressees")?.unwrap_or_default(),
            subject: r.get("subject")?,
            attachments: r.get("attachments")?,
            confidentiality: r.get("confidentiality")?,
            personal_data: r.get("personal_data")?,
            writer_id: r.get("writer")?,
            dispatch_channel: r.get("dispatch_channel")?,
            dispatch_ref: r.get("dispatch_ref")?,
            dispatched_at: r.get("dispatched_at")?,
        })
    })
    .await
}

/// Keeps an e-imza signature file over the signed letter's hash.
pub async fn add_signature(
    w: &mut Write,
    id: i64,
    sha256: &str,
    format: &str,
    signed_hash: &str,
    by: i64,
) -> Result<()> {
    let at = w.at();
    query("INSERT INTO outgoing_signatures (outgoing_id, sha256, format, signed_hash, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(sha256)
        .bind(format)
        .bind(signed_hash)
        .bind(by)
        .bind(at)
        .execute(w)
        .await
        .map_err(on_constraint(None, Some("unknown_attachment")))?;
    Ok(())
}

/// The institutions written to or heard from, with their DETSİS numbers
/// (the letter form's address book): outgoing addressees and incoming
/// senders, most used first.
pub async fn institutions(c: &mut impl Conn, limit: i64) -> Result<Vec<(String, String)>> {
    let rows = query(
        "SELECT name, detsis, COUNT(*) AS n FROM (
            SELECT name, detsis FROM outgoing_recipients WHERE kind = 'institution' AND detsis IS NOT NULL AND detsis <> ''
            UNION ALL
            SELECT sender_name AS name, sender_id AS detsis FROM incoming WHERE sender_kind = 'institution' AND sender_id IS NOT NULL AND sender_id <> ''
         ) x GROUP BY name, detsis ORDER BY COUNT(*) DESC, name LIMIT $1",
    )
    .bind(limit)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| Ok((r.get("name")?, r.get("detsis")?)))
        .collect()
}

/// The letter whose printed copy carries `code`, if one does.
pub async fn by_verification_code(c: &mut impl Conn, code: &str) -> Result<Option<i64>> {
    query("SELECT id FROM outgoing WHERE verification_code = $1 AND state IN ('signed', 'dispatched')")
        .bind(code)
        .fetch_optional(c)
        .await?
        .map(|r| r.get(0))
        .transpose()
}

/// A dispatch's evidence file (KEP).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Evidence {
    pub sha256: String,
    /// `kep_sent` (the message as handed to the KEP provider) or
    /// `kep_delivery` (the provider's delivery evidence).
    pub kind: String,
    pub name: String,
    pub size: i64,
    pub added_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub added_at: OffsetDateTime,
}

/// Keeps a dispatch's evidence file for a letter.
pub async fn add_evidence(
    w: &mut Write,
    id: i64,
    sha256: &str,
    kind: &str,
    name: &str,
    by: i64,
) -> Result<()> {
    let at = w.at();
    query("INSERT INTO outgoing_evidence (outgoing_id, sha256, kind, name, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(sha256)
        .bind(kind)
        .bind(name)
        .bind(by)
        .bind(at)
        .execute(w)
        .await?;
    Ok(())
}

/// A letter's evidence files, oldest first.
pub async fn evidence(c: &mut impl Conn, id: i64) -> Result<Vec<Evidence>> {
    let mut out = Vec::new();
    for r in query(
        "SELECT e.sha256, e.kind, e.name, b.size, u.display_name AS added_by_name, e.added_at
         FROM outgoing_evidence e JOIN blobs b ON b.sha256 = e.sha256 JOIN users u ON u.id = e.added_by
         WHERE e.outgoing_id = $1 ORDER BY e.added_at, e.id",
    )
    .bind(id)
    .fetch_all(c)
    .await?
    {
        out.push(Evidence {
            sha256: r.get("sha256")?,
            kind: r.get("kind")?,
            name: r.get("name")?,
            size: r.get("size")?,
            added_by_name: r.get("added_by_name")?,
            added_at: r.get("added_at")?,
        });
    }
    Ok(out)
}

/// An e-imza file kept for a letter.
#[derive(Debug, Clone)]
pub struct KeptSignature {
    pub sha256: String,
    pub format: String,
    /// The SHA-256 (hex) of the content it was verified over.
    pub signed_hash: String,
    pub added_by_name: String,
    pub added_at: OffsetDateTime,
}

/// The e-imza files kept for a letter, latest first.
pub async fn signatures(c: &mut impl Conn, id: i64) -> Result<Vec<KeptSignature>> {
    let mut out = Vec::new();
    for r in query(
        "SELECT s.sha256, s.format, s.signed_hash, u.display_name AS added_by_name, s.added_at
         FROM outgoing_signatures s JOIN users u ON u.id = s.added_by WHERE s.outgoing_id = $1
         ORDER BY s.added_at DESC, s.id DESC",
    )
    .bind(id)
    .fetch_all(c)
    .await?
    {
        out.push(KeptSignature {
            sha256: r.get("sha256")?,
            format: r.get("format")?,
            signed_hash: r.get("signed_hash")?,
            added_by_name: r.get("added_by_name")?,
            added_at: r.get("added_at")?,
        });
    }
    Ok(out)
}

/// The latest e-imza file of a format (`CAdES`, `XAdES`) kept for a
/// letter over its signed content.
pub async fn latest_signature(c: &mut impl Conn, id: i64, format: &str) -> Result<Option<String>> {
    query("SELECT sha256 FROM outgoing_signatures WHERE outgoing_id = $1 AND format = $2 ORDER BY added_at DESC, sha256 LIMIT 1")
        .bind(id)
        .bind(format)
        .fetch_optional(c)
        .await?
        .map(|r| r.get(0))
        .transpose()
}

/// How many e-imza signature files are kept for a letter.
pub async fn signature_count(c: &mut impl Conn, id: i64) -> Result<i64> {
    query("SELECT COUNT(*) FROM outgoing_signatures WHERE outgoing_id = $1")
        .bind(id)
        .scalar(c)
        .await
}
