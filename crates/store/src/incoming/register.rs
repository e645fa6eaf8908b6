//! Registering documents: numbers taken gap-free from the register's
//! counter, the documents and their attachment links inserted many at a
//! time (the group commit of `app::incoming` writes a whole batch in one
//! [`Write`]).

use std::collections::HashMap;

use domain::correspondence::{Confidentiality, Register, Sender};
use time::{Date, OffsetDateTime};

use crate::db::{query, Conn};
use crate::{Result, Write};

/// A document as the registrar entered it, checked, numbered and dated.
#[derive(Debug, Clone)]
pub struct NewIncoming {
    pub register: Register,
    /// The numbering period, e.g. `2026` (see the reset setting).
    pub period: String,
    pub seq: i64,
    pub number: String,
    pub registered_by: i64,
    pub registered_at: OffsetDateTime,
    pub channel: String,
    pub sender: Sender,
    pub sender_ref: String,
    pub sender_date: Option<Date>,
    pub subject: String,
    pub file_code: String,
    pub secondary_codes: Vec<String>,
    pub confidentiality: Confidentiality,
    pub urgency: String,
    pub urgent_date: Option<Date>,
    pub personal_data: bool,
    pub received_on: Date,
    /// Empty when no law sets a period.
    pub legal_basis: String,
    pub due_date: Option<Date>,
    pub target_date: Option<Date>,
    pub delivered_by: String,
    pub received_by: String,
    pub received_at: Option<OffsetDateTime>,
    /// (SHA-256 of a stored file, its name)
    pub attachments: Vec<(String, String)>,
}

/// Takes `n` numbers of a register and period at once: the first of them
/// (the counter moves by `n`, so numbers are never skipped nor given twice).
pub async fn take_numbers(w: &mut Write, register: &str, period: &str, n: i64) -> Result<i64> {
    let last: i64 = query(
        "INSERT INTO register_counters (register, period, last_seq) VALUES ($1, $2, $3)
         ON CONFLICT (register, period) DO UPDATE SET last_seq = register_counters.last_seq + excluded.last_seq
         RETURNING last_seq",
    )
    .bind(register)
    .bind(period)
    .bind(n)
    .scalar(w)
    .await?;
    Ok(last - n + 1)
}

/// What the database knows of stored files: size, type and text status.
#[derive(Debug, Clone)]
pub struct FileFacts {
    pub size: i64,
    pub content_type: String,
    pub text_state: Option<String>,
    pub text_reason: Option<String>,
}

/// The facts of the stored files among `shas` (unknown ones are absent).
///
/// A destroyed file is not found (see also [`crate::attachments::hold`],
/// checked once the links are written).
pub async fn file_facts(c: &mut impl Conn, shas: &[&str]) -> Result<HashMap<String, FileFacts>> {
    let mut out = HashMap::new();
    for chunk in shas.chunks(500) {
        let mut q = query(
            "SELECT b.sha256, b.size, b.content_type, t.state, t.reason FROM blobs b LEFT JOIN blob_texts t ON t.sha256 = b.sha256
             WHERE b.destroyed_at IS NULL AND b.sha256 IN ",
        );
        q.push_list(chunk.iter().copied());
        for r in q.fetch_all(c).await? {
            out.insert(
                r.get("sha256")?,
                FileFacts {
                    size: r.get("size")?,
                    content_type: r.get("content_type")?,
                    text_state: r.get("state")?,
                    text_reason: r.get("reason")?,
                },
            );
        }
    }
    Ok(out)
}

/// Inserts the documents and their attachment links; their ids, in order.
pub async fn insert(w: &mut Write, docs: &[&NewIncoming]) -> Result<Vec<i64>> {
    if docs.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = query(
        "INSERT INTO incoming (register, period, seq, number, registered_at, registered_by, channel, sender_kind, sender_name,
            sender_id, sender_foreign_id, sender_ref, sender_date, subject, file_code, secondary_codes, confidentiality, urgency,
            urgent_date, personal_data, received_on, legal_basis, due_date, target_date, sort_due, delivered_by, received_by,
            received_at, state) ",
    );
    q.push_values(docs.iter(), |row, n| {
        row.bind(n.register.code())
            .bind(&n.period)
            .bind(n.seq)
            .bind(&n.number)
            .bind(n.registered_at)
            .bind(n.registered_by)
            .bind(&n.channel)
            .bind(n.sender.kind())
            .bind(n.sender.name())
            .bind(n.sender.id())
            .bind(n.sender.foreign_id())
            .bind(&n.sender_ref)
            .bind(n.sender_date)
            .bind(&n.subject)
            .bind(&n.file_code)
            .bind(n.secondary_codes.join(","))
            .bind(n.confidentiality.code())
            .bind(&n.urgency)
            .bind(n.urgent_date)
            .bind(n.personal_data)
            .bind(n.received_on)
            .bind(&n.legal_basis)
            .bind(n.due_date)
            .bind(n.target_date)
            .bind(domain::incoming::sort_due(n.due_date, n.target_date))
            .bind(&n.delivered_by)
            .bind(&n.received_by)
            .bind(n.received_at)
            .bind(domain::incoming::State::Registered.code());
    });
    q.push(" RETURNING id, number");
    let mut ids: HashMap<String, i64> = HashMap::new();
    for r in q.fetch_all(w).await? {
        ids.insert(r.get("number")?, r.get("id")?);
    }
    let ids: Vec<i64> = docs
        .iter()
        .map(|d| {
            ids.get(&d.number)
                .copied()
                .ok_or_else(|| anyhow::anyhow!("registration {} was not inserted", d.number).into())
        })
        .collect::<Result<_>>()?;
    let links: Vec<(i64, &str, &str)> = docs
        .iter()
        .zip(&ids)
        .flat_map(|(d, id)| {
            d.attachments
                .iter()
                .map(move |(sha, name)| (*id, sha.as_str(), name.as_str()))
        })
        .collect();
    if !links.is_empty() {
        let mut shas: Vec<&str> = links.iter().map(|(_, sha, _)| *sha).collect();
        shas.sort_unstable();
        shas.dedup();
        let mut q = query("INSERT INTO incoming_attachments (incoming_id, sha256, name) ");
        q.push_values(links, |row, (id, sha, name)| {
            row.bind(id).bind(sha).bind(name);
        });
        q.execute(&mut *w).await?;
        crate::attachments::hold(w, &shas).await?;
    }
    Ok(ids)
}
