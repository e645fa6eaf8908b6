//! The registry of stored files (the bytes are in `blob.rs`'s object
//! store, named by their SHA-256), and which records hold each file: what
//! decides who may read it.

use crate::db::{query, Conn};
use crate::{Result, Write};

/// A stored file's registry row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlobRecord {
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
}

/// Registers a stored file and who uploaded it: the same content again
/// adds its uploader (each may use it), and brings back a file destroyed
/// before (its bytes were stored anew).
pub async fn record(w: &mut Write, b: &BlobRecord, by: Option<i64>) -> Result<()> {
    let at = w.at();
    query(
        "INSERT INTO blobs (sha256, size, content_type, created_at, created_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (sha256) DO UPDATE SET destroyed_at = NULL",
    )
    .bind(&b.sha256)
    .bind(b.size)
    .bind(&b.content_type)
    .bind(at)
    .bind(by)
    .execute(&mut *w)
    .await?;
    if let Some(by) = by {
        query(
            "INSERT INTO blob_uploads (sha256, user_id, uploaded_at) VALUES ($1, $2, $3)
             ON CONFLICT (sha256, user_id) DO UPDATE SET uploaded_at = excluded.uploaded_at",
        )
        .bind(&b.sha256)
        .bind(by)
        .bind(at)
        .execute(w)
        .await?;
    }
    Ok(())
}

/// Checks, once a record's links to these files are written in `w`, that
/// none was destroyed meanwhile: `unknown_attachment` otherwise (and the
/// transaction rolls back). Writing a link takes the foreign key's share
/// lock on the file's row, which a collection deciding its destruction
/// (`FOR UPDATE`) waits for or makes us wait for; either way one of the
/// two sees the other.
pub(crate) async fn hold(w: &mut Write, shas: &[&str]) -> Result<()> {
    for sha in shas {
        let alive = query("SELECT sha256 FROM blobs WHERE sha256 = $1 AND destroyed_at IS NULL")
            .bind(*sha)
            .scalar_opt::<String>(&mut *w)
            .await?;
        if alive.is_none() {
            return Err(crate::StoreError::Conflict("unknown_attachment"));
        }
    }
    Ok(())
}

pub async fn get(c: &mut impl Conn, sha256: &str) -> Result<Option<BlobRecord>> {
    query("SELECT sha256, size, content_type FROM blobs WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(c)
        .await?
        .map(|r| {
            Ok(BlobRecord {
                sha256: r.get(0)?,
                size: r.get(1)?,
                content_type: r.get(2)?,
            })
        })
        .transpose()
}

/// Who holds a file: the incoming documents, the letters and the archive
/// items it is attached to, and who uploaded it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holders {
    pub incoming: Vec<i64>,
    pub letters: Vec<i64>,
    pub archive_items: Vec<i64>,
    /// Service desk requests.
    pub requests: Vec<i64>,
    /// Systems whose backup or restore test it is the evidence of.
    pub systems: Vec<i64>,
    /// The users whose personnel file holds it (personal data).
    pub personnel: Vec<i64>,
    /// Security audits it is the evidence of.
    pub security_audits: Vec<i64>,
    /// Policies one of whose versions it is (every member of staff reads
    /// them).
    pub policies: Vec<i64>,
    /// Trainings it is the material of (the staff's shared records).
    pub trainings: Vec<i64>,
}

impl Holders {
    pub fn is_empty(&self) -> bool {
        self.incoming.is_empty()
            && self.letters.is_empty()
            && self.archive_items.is_empty()
            && self.requests.is_empty()
            && self.systems.is_empty()
            && self.personnel.is_empty()
            && self.security_audits.is_empty()
            && self.policies.is_empty()
            && self.trainings.is_empty()
    }
}

/// A registered file not destroyed, and whether `user` uploaded it.
pub async fn get_for(
    c: &mut impl Conn,
    sha256: &str,
    user: i64,
) -> Result<Option<(BlobRecord, bool)>> {
    query(
        "SELECT b.sha256, b.size, b.content_type,
                EXISTS (SELECT 1 FROM blob_uploads u WHERE u.sha256 = b.sha256 AND u.user_id = $2)
         FROM blobs b WHERE b.sha256 = $1 AND b.destroyed_at IS NULL",
    )
    .bind(sha256)
    .bind(user)
    .fetch_optional(c)
    .await?
    .map(|r| {
        Ok((
            BlobRecord {
                sha256: r.get(0)?,
                size: r.get(1)?,
                content_type: r.get(2)?,
            },
            r.get::<bool>(3)?,
        ))
    })
    .transpose()
}

/// The files among `shas` that nothing surviving holds: no incoming
/// document, letter, signature or archive item not disposed.
const UNHELD: &str = "NOT EXISTS (SELECT 1 FROM incoming_attachments x WHERE x.sha256 = b.sha256)
     AND NOT EXISTS (SELECT 1 FROM outgoing_attachments x WHERE x.sha256 = b.sha256)
     AND NOT EXISTS (SELECT 1 FROM outgoing_signatures x WHERE x.sha256 = b.sha256)
     AND NOT EXISTS (SELECT 1 FROM outgoing_evidence x WHERE x.sha256 = b.sha256)
     AND NOT EXISTS (SELECT 1 FROM archive_items x WHERE x.sha256 = b.sha256 AND x.disposed_at IS NULL)
     AND NOT EXISTS (SELECT 1 FROM request_attachments x WHERE x.sha256 = b.sha256)
     AND NOT EXISTS (SELECT 1 FROM backup_runs x WHERE x.evidence_sha256 = b.sha256)
     AND NOT EXISTS (SELECT 1 FROM personnel_documents x WHERE x.sha256 = b.sha256)
     AND NOT EXISTS (SELECT 1 FROM security_evidence x WHERE x.sha256 = b.sha256)
     AND NOT EXISTS (SELECT 1 FROM policy_versions x WHERE x.sha256 = b.sha256)
     AND NOT EXISTS (SELECT 1 FROM training_materials x WHERE x.sha256 = b.sha256)";

/// Why a file is destroyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DestructionReason {
    /// Its records were disposed (`disposal_id`).
    Disposal(i64),
    /// Uploaded and never put on a record in time.
    Unclaimed,
}

/// Decides, inside `w`, the destruction of each of these files that
/// nothing surviving holds any more: the registry row says it is
/// destroyed, its extracted text and uploaders go, and its tombstone
/// (`blob_destructions`) waits for the bytes to be removed from the store
/// ([`pending_destructions`], [`bytes_destroyed`]). The files decided.
pub async fn decide_destruction(
    w: &mut Write,
    shas: &[String],
    reason: DestructionReason,
) -> Result<Vec<String>> {
    let at = w.at();
    let postgres = w.engine() == crate::Engine::Postgres;
    let mut decided = Vec::new();
    for sha in shas {
        if postgres {
            // A record being made with this file waits for us (or we for
            // it), so that the check below sees its link.
            query("SELECT sha256 FROM blobs WHERE sha256 = $1 FOR UPDATE")
                .bind(sha)
                .execute(&mut *w)
                .await?;
        }
        let sql = format!("UPDATE blobs AS b SET destroyed_at = $2 WHERE b.sha256 = $1 AND b.destroyed_at IS NULL AND {UNHELD}");
        if query(&sql).bind(sha).bind(at).execute(&mut *w).await? == 0 {
            continue;
        }
        query("DELETE FROM blob_texts WHERE sha256 = $1")
            .bind(sha)
            .execute(&mut *w)
            .await?;
        query("DELETE FROM blob_uploads WHERE sha256 = $1")
            .bind(sha)
            .execute(&mut *w)
            .await?;
        let (why, disposal) = match reason {
            DestructionReason::Disposal(id) => ("disposal", Some(id)),
            DestructionReason::Unclaimed => ("unclaimed", None),
        };
        query(
            "INSERT INTO blob_destructions (sha256, reason, disposal_id, decided_at, destroyed_at) VALUES ($1, $2, $3, $4, NULL)
             ON CONFLICT (sha256) DO UPDATE SET reason = excluded.reason, disposal_id = excluded.disposal_id,
                 decided_at = excluded.decided_at, destroyed_at = NULL",
        )
        .bind(sha)
        .bind(why)
        .bind(disposal)
        .bind(at)
        .execute(&mut *w)
        .await?;
        decided.push(sha.clone());
    }
    Ok(decided)
}

/// Files whose destruction is decided and whose bytes are still to go.
pub async fn pending_destructions(c: &mut impl Conn, limit: i64) -> Result<Vec<String>> {
    query(
        "SELECT d.sha256 FROM blob_destructions d JOIN blobs b ON b.sha256 = d.sha256
         WHERE d.destroyed_at IS NULL AND b.destroyed_at IS NOT NULL ORDER BY d.decided_at LIMIT $1",
    )
    .bind(limit)
    .scalars(c)
    .await
}

/// The tombstone of a file whose bytes are gone. False when the file came
/// back meanwhile (uploaded again) or was already done.
pub async fn bytes_destroyed(w: &mut Write, sha256: &str) -> Result<bool> {
    let at = w.at();
    let n = query(
        "UPDATE blob_destructions SET destroyed_at = $2 WHERE sha256 = $1 AND destroyed_at IS NULL
           AND EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = $1 AND b.destroyed_at IS NOT NULL)",
    )
    .bind(sha256)
    .bind(at)
    .execute(w)
    .await?;
    Ok(n > 0)
}

/// Whether a file's destruction is decided and its bytes may go now.
pub async fn destruction_decided(c: &mut impl Conn, sha256: &str) -> Result<bool> {
    Ok(
        query("SELECT sha256 FROM blobs WHERE sha256 = $1 AND destroyed_at IS NOT NULL")
            .bind(sha256)
            .scalar_opt::<String>(c)
            .await?
            .is_some(),
    )
}

/// Uploads no record holds whose last upload is before `before`.
pub async fn unclaimed(
    c: &mut impl Conn,
    before: time::OffsetDateTime,
    limit: i64,
) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT b.sha256 FROM blobs b WHERE b.destroyed_at IS NULL AND b.created_at < $1
           AND NOT EXISTS (SELECT 1 FROM blob_uploads u WHERE u.sha256 = b.sha256 AND u.uploaded_at >= $1)
           AND {UNHELD} ORDER BY b.created_at LIMIT $2"
    );
    query(&sql).bind(before).bind(limit).scalars(c).await
}

/// The files the records `docs` (`incoming:7`, `outgoing:3`, `archive:9`)
/// hold, before they are disposed.
pub async fn files_of(c: &mut impl Conn, docs: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for doc in docs {
        let Some((kind, id)) = doc.split_once(':') else {
            continue;
        };
        let Ok(id) = id.parse::<i64>() else { continue };
        let sql = match kind {
            "incoming" => "SELECT sha256 FROM incoming_attachments WHERE incoming_id = $1",
            "outgoing" => "SELECT sha256 FROM outgoing_attachments WHERE outgoing_id = $1",
            "archive" => "SELECT sha256 FROM archive_items WHERE id = $1",
            _ => continue,
        };
        out.extend(query(sql).bind(id).scalars::<String>(&mut *c).await?);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The records holding a file, at most [`HOLDERS_SEEN`] of each kind (a
/// reader needs one he may see; a file on a thousand documents is not
/// read a thousand times).
pub async fn holders(c: &mut impl Conn, sha256: &str) -> Result<Holders> {
    Ok(Holders {
        incoming: query("SELECT incoming_id FROM incoming_attachments WHERE sha256 = $1 ORDER BY incoming_id LIMIT $2")
            .bind(sha256)
            .bind(HOLDERS_SEEN)
            .scalars(c)
            .await?,
        letters: {
            let mut ids: Vec<i64> = query("SELECT outgoing_id FROM outgoing_attachments WHERE sha256 = $1 ORDER BY outgoing_id LIMIT $2")
                .bind(sha256)
                .bind(HOLDERS_SEEN)
                .scalars(&mut *c)
                .await?;
            ids.extend(
                query("SELECT outgoing_id FROM outgoing_signatures WHERE sha256 = $1 ORDER BY outgoing_id LIMIT $2")
                    .bind(sha256)
                    .bind(HOLDERS_SEEN)
                    .scalars::<i64>(&mut *c)
                    .await?,
            );
            ids.extend(
                query("SELECT outgoing_id FROM outgoing_evidence WHERE sha256 = $1 ORDER BY outgoing_id LIMIT $2")
                    .bind(sha256)
                    .bind(HOLDERS_SEEN)
                    .scalars::<i64>(&mut *c)
                    .await?,
            );
            ids.sort_unstable();
            ids.dedup();
            ids.truncate(HOLDERS_SEEN as usize);
            ids
        },
        archive_items: query("SELECT id FROM archive_items WHERE sha256 = $1 AND disposed_at IS NULL ORDER BY id LIMIT $2")
            .bind(sha256)
            .bind(HOLDERS_SEEN)
            .scalars(&mut *c)
            .await?,
        requests: query("SELECT request_id FROM request_attachments WHERE sha256 = $1 ORDER BY request_id LIMIT $2").bind(sha256).bind(HOLDERS_SEEN).scalars(&mut *c).await?,
        systems: query("SELECT DISTINCT system_id FROM backup_runs WHERE evidence_sha256 = $1 ORDER BY system_id LIMIT $2").bind(sha256).bind(HOLDERS_SEEN).scalars(&mut *c).await?,
        personnel: query("SELECT DISTINCT s.user_id FROM personnel_documents d JOIN staff s ON s.id = d.staff_id WHERE d.sha256 = $1 AND s.user_id IS NOT NULL ORDER BY s.user_id LIMIT $2").bind(sha256).bind(HOLDERS_SEEN).scalars(&mut *c).await?,
        security_audits: query("SELECT DISTINCT audit_id FROM security_evidence WHERE sha256 = $1 ORDER BY audit_id LIMIT $2").bind(sha256).bind(HOLDERS_SEEN).scalars(&mut *c).await?,
        policies: query("SELECT DISTINCT policy_id FROM policy_versions WHERE sha256 = $1 ORDER BY policy_id LIMIT $2").bind(sha256).bind(HOLDERS_SEEN).scalars(&mut *c).await?,
        trainings: query("SELECT training_id FROM training_materials WHERE sha256 = $1 ORDER BY training_id LIMIT $2").bind(sha256).bind(HOLDERS_SEEN).scalars(c).await?,
    })
}

/// How many holders of each kind a visibility check looks at.
pub const HOLDERS_SEEN: i64 = 20;
