//! Routing (havale), delivery (zimmet), closing and the one extension of
//! a document, as `domain::incoming` decided them.

use domain::incoming::{Closing, State};
use time::Date;

use crate::db::query;
use crate::{Result, Write};

/// A recipient of a new routing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRouting {
    pub to_unit: Option<String>,
    pub to_user: Option<i64>,
    /// `action` or `info`.
    pub purpose: String,
    pub note: String,
    pub internal_due: Option<Date>,
    /// What trays sort it by: the earlier of the document's due date and
    /// this routing's internal one.
    pub due: Date,
}

/// Adds the routings of one decision and marks the document routed; their
/// ids, in order.
pub async fn route(
    w: &mut Write,
    incoming: i64,
    parent: Option<i64>,
    by: i64,
    basis: &str,
    targets: &[NewRouting],
) -> Result<Vec<i64>> {
    let at = w.at();
    let mut ids = Vec::with_capacity(targets.len());
    for t in targets {
        ids.push(
            query(
                "INSERT INTO routings (incoming_id, parent_id, routed_by, routed_at, basis, to_unit, to_user, purpose, note, internal_due, due)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(incoming)
            .bind(parent)
            .bind(by)
            .bind(at)
            .bind(basis)
            .bind(&t.to_unit)
            .bind(t.to_user)
            .bind(&t.purpose)
            .bind(&t.note)
            .bind(t.internal_due)
            .bind(t.due)
            .scalar::<i64>(w)
            .await?,
        );
    }
    query("UPDATE incoming SET state = $2 WHERE id = $1")
        .bind(incoming)
        .bind(State::Routed.code())
        .execute(w)
        .await?;
    Ok(ids)
}

/// Records that `by` took delivery of these routings now.
pub async fn deliver(w: &mut Write, routings: &[i64], by: i64) -> Result<()> {
    let at = w.at();
    let mut q = query("UPDATE routings SET delivered_at = ");
    q.push_bind(at)
        .push(", delivered_by = ")
        .push_bind(by)
        .push(" WHERE id IN ")
        .push_list(routings.iter().copied());
    q.execute(w).await?;
    Ok(())
}

/// Closes a document; its routings leave the trays.
pub async fn close(
    w: &mut Write,
    incoming: i64,
    by: i64,
    how: Closing,
    note: &str,
    answer_ref: Option<&str>,
) -> Result<()> {
    let at = w.at();
    query(
        "UPDATE incoming SET state = $7, closed_at = $2, closed_by = $3, closing = $4, closing_note = $5, answer_ref = $6
         WHERE id = $1",
    )
    .bind(incoming)
    .bind(at)
    .bind(by)
    .bind(how.code())
    .bind(note)
    .bind(answer_ref)
    .bind(State::Closed.code())
    .execute(w)
    .await?;
    query("UPDATE routings SET open = FALSE WHERE incoming_id = $1")
        .bind(incoming)
        .execute(w)
        .await?;
    Ok(())
}

/// The written notice of a 4982 m.11/2 extension: its reference, the
/// law's case and the day the applicant was told.
pub struct ExtensionNotice<'a> {
    pub notice_ref: &'a str,
    pub reason: &'a str,
    pub notice_date: Date,
}

/// Gives a document a new legal deadline under a new basis (4982
/// m.11/2's extension), with its notice; its routings' due dates follow.
pub async fn extend(
    w: &mut Write,
    incoming: i64,
    legal_basis: &str,
    due: Date,
    notice: &ExtensionNotice<'_>,
) -> Result<()> {
    query("UPDATE routings SET due = CASE WHEN internal_due IS NOT NULL AND internal_due < $2 THEN internal_due ELSE $2 END WHERE incoming_id = $1")
        .bind(incoming)
        .bind(due)
        .execute(w)
        .await?;
    query("UPDATE incoming SET legal_basis = $2, due_date = $3, sort_due = $3, extension_ref = $4, extension_reason = $5, extension_notice_date = $6 WHERE id = $1")
        .bind(incoming)
        .bind(legal_basis)
        .bind(due)
        .bind(notice.notice_ref)
        .bind(notice.reason)
        .bind(notice.notice_date)
        .execute(w)
        .await?;
    Ok(())
}
