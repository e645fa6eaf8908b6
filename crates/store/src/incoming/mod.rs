//! Incoming correspondence in the database (m.16/1, m.20/1, m.21/1): the
//! document as registered with its next number ([`register`]), its
//! routings, delivery and closing ([`routing`]), and the trays, deadline
//! lists and register books ([`lists`]). The rules that decide each step
//! are `domain::incoming`'s.

pub mod lists;
pub mod register;
pub mod routing;

use domain::incoming::{Attachment, Document, Routing, State};

use crate::db::{query, Conn, Row};
use crate::{Result, StoreError};

const DOCUMENT_COLS: &str = "i.id, i.register, i.number, i.seq, i.period, i.registered_at, i.registered_by, ru.username AS registered_by_username,
    ru.display_name AS registered_by_name, i.channel, i.sender_kind, i.sender_name, i.sender_id, i.sender_foreign_id, i.sender_ref,
    i.sender_date, i.subject, i.file_code, i.secondary_codes, i.confidentiality, i.urgency, i.urgent_date, i.personal_data, i.received_on,
    i.legal_basis, i.due_date, i.target_date, i.delivered_by, i.received_by, i.received_at, i.state, i.closed_at,
    cu.username AS closed_by_username, cu.display_name AS closed_by_name, i.closing, i.closing_note, i.answer_ref, i.extension_ref,
    i.extension_reason, i.extension_notice_date";

pub(crate) fn state_of(r: &Row) -> Result<State> {
    let s: String = r.get("state")?;
    State::parse(&s)
        .ok_or_else(|| StoreError::Internal(anyhow::anyhow!("unknown document state {s}")))
}

fn document_from(r: &Row) -> Result<Document> {
    Ok(Document {
        id: r.get("id")?,
        register: r.get("register")?,
        number: r.get("number")?,
        seq: r.get("seq")?,
        period: r.get("period")?,
        registered_at: r.get("registered_at")?,
        registered_by: r.get("registered_by_username")?,
        registered_by_name: r.get("registered_by_name")?,
        registered_by_id: r.get("registered_by")?,
        channel: r.get("channel")?,
        sender_kind: r.get("sender_kind")?,
        sender_name: r.get("sender_name")?,
        sender_id: r.get("sender_id")?,
        sender_foreign_id: r.get("sender_foreign_id")?,
        sender_ref: r.get("sender_ref")?,
        sender_date: r.get("sender_date")?,
        subject: r.get("subject")?,
        file_code: r.get("file_code")?,
        secondary_codes: r.list("secondary_codes")?,
        confidentiality: r.get("confidentiality")?,
        urgency: r.get("urgency")?,
        urgent_date: r.get("urgent_date")?,
        personal_data: r.get("personal_data")?,
        received_on: r.get("received_on")?,
        legal_basis: r.get("legal_basis")?,
        due_date: r.get("due_date")?,
        target_date: r.get("target_date")?,
        delivered_by: r.get("delivered_by")?,
        received_by: r.get("received_by")?,
        received_at: r.get("received_at")?,
        state: state_of(r)?,
        closed_at: r.get("closed_at")?,
        closed_by: r.get("closed_by_username")?,
        closed_by_name: r.get("closed_by_name")?,
        closing: r.get("closing")?,
        closing_note: r.get("closing_note")?,
        answer_ref: r.get("answer_ref")?,
        extension_ref: r.get("extension_ref")?,
        extension_reason: r.get("extension_reason")?,
        extension_notice_date: r.get("extension_notice_date")?,
        attachments: Vec::new(),
        routings: Vec::new(),
    })
}

fn routing_from(r: &Row) -> Result<Routing> {
    Ok(Routing {
        id: r.get("id")?,
        parent_id: r.get("parent_id")?,
        routed_by: r.get("routed_by_username")?,
        routed_by_name: r.get("routed_by_name")?,
        routed_at: r.get("routed_at")?,
        basis: r.get("basis")?,
        to_unit: r.get("to_unit")?,
        to_user: r.get("to_user_username")?,
        to_user_name: r.get("to_user_name")?,
        to_user_id: r.get("to_user")?,
        purpose: r.get("purpose")?,
        note: r.get("note")?,
        internal_due: r.get("internal_due")?,
        delivered_at: r.get("delivered_at")?,
        delivered_by: r.get("delivered_by_username")?,
        delivered_by_name: r.get("delivered_by_name")?,
    })
}

/// One document with its attachments (and their text status) and routings.
pub async fn get(c: &mut impl Conn, id: i64) -> Result<Document> {
    let r = query(format!(
        "SELECT {DOCUMENT_COLS} FROM incoming i JOIN users ru ON ru.id = i.registered_by
         LEFT JOIN users cu ON cu.id = i.closed_by WHERE i.id = $1"
    ))
    .bind(id)
    .fetch_one(c)
    .await?;
    let mut doc = document_from(&r)?;
    for a in query(
        "SELECT a.sha256, a.name, b.size, b.content_type, t.state, t.reason FROM incoming_attachments a
         JOIN blobs b ON b.sha256 = a.sha256 LEFT JOIN blob_texts t ON t.sha256 = a.sha256
         WHERE a.incoming_id = $1 ORDER BY a.name",
    )
    .bind(id)
    .fetch_all(c)
    .await?
    {
        doc.attachments.push(Attachment {
            sha256: a.get("sha256")?,
            name: a.get("name")?,
            size: a.get("size")?,
            content_type: a.get("content_type")?,
            text_state: a.get("state")?,
            text_reason: a.get("reason")?,
        });
    }
    doc.routings = query(
        "SELECT r.id, r.parent_id, r.routed_at, r.basis, r.to_unit, r.to_user, r.purpose, r.note, r.internal_due, r.delivered_at,
            rb.username AS routed_by_username, rb.display_name AS routed_by_name, tu.username AS to_user_username,
            tu.display_name AS to_user_name, db.username AS delivered_by_username, db.display_name AS delivered_by_name
         FROM routings r JOIN users rb ON rb.id = r.routed_by LEFT JOIN users tu ON tu.id = r.to_user
         LEFT JOIN users db ON db.id = r.delivered_by WHERE r.incoming_id = $1 ORDER BY r.id",
    )
    .bind(id)
    .fetch_all(c)
    .await?
    .iter()
    .map(routing_from)
    .collect::<Result<_>>()?;
    Ok(doc)
}
