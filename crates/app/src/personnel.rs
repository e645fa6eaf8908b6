//! The personnel file (özlük, m.16/1-a: the Kalem keeps it): a person's
//! documents filed under the file plan's personnel codes (903.xx), the
//! certificates that expire and warn ahead, and the trainings the
//! directorate gives or its staff attend, with attendance. Reading
//! another's file is logged, as staff records are (KVKK m.12); only the
//! person, the Kalem, their superiors and an administrator read it.

use domain::code::Code;
use domain::personnel::{self as rules, DocKind, Validity};
use domain::profile::Named;
use store::Audit;
use time::{Date, OffsetDateTime};

use crate::input::{date, lines, text};
use crate::timesheet::ReportView;
use crate::{now, App, AppError, Result, User};

time::serde::format_description!(iso, Date, "[year]-[month]-[day]");

/// How many days ahead an expiring certificate warns.
pub const WARN_DAYS: i64 = 60;

/// A document to file.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct DocumentInput {
    /// appointment, diploma, certificate, training or other.
    pub kind: String,
    pub title: String,
    /// A file plan code under 903 (default by kind: 903.02 appointment,
    /// 903.01 diploma, 903.99 the rest).
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub issued_on: Option<String>,
    /// When a certificate or authorisation ends.
    #[serde(default)]
    pub expires_on: Option<String>,
    /// The SHA-256 of an uploaded scan (`POST /api/v1/uploads`).
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DocumentView {
    pub id: i64,
    pub person_name: String,
    /// The person's username (for the file's link).
    pub username: String,
    /// appointment, diploma, certificate, training, other.
    pub kind: String,
    pub code: String,
    /// The file plan's name of the code.
    pub code_name: String,
    pub title: String,
    #[serde(with = "iso::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub issued_on: Option<Date>,
    #[serde(with = "iso::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
    /// open, valid, expiring (within 60 days) or expired.
    #[schema(value_type = String)]
    pub validity: Validity,
    /// Where the scan is read, if there is one.
    pub file: Option<String>,
    pub note: String,
    pub recorded_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AttendedView {
    pub id: i64,
    pub title: String,
    pub provider: String,
    /// Given by the directorate.
    pub ours: bool,
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    pub hours: i64,
    pub attended: bool,
}

/// A person's file.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PersonnelFile {
    pub username: String,
    pub person_name: String,
    /// The post now.
    pub title: String,
    /// Memur, İşçi.
    pub kind_name: String,
    #[serde(with = "iso::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub service_start: Option<Date>,
    pub documents: Vec<DocumentView>,
    pub trainings: Vec<AttendedView>,
    /// Sick reports (health data), the latest first.
    pub reports: Vec<ReportView>,
    /// Documents expiring within 60 days or expired.
    pub alerts: usize,
    /// The reader files documents here (the Kalem, not for himself).
    pub may_file: bool,
}

/// A training to record.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct TrainingInput {
    pub title: String,
    /// Who gives it (the directorate, a ministry, a company).
    #[serde(default)]
    pub provider: String,
    /// Given by the directorate itself.
    #[serde(default)]
    pub ours: bool,
    pub from: String,
    pub to: String,
    pub hours: i64,
    /// The usernames of those enrolled.
    #[serde(default)]
    pub attendees: Vec<String>,
    /// The materials: uploaded files (`POST /attachments`) with their names.
    #[serde(default)]
    pub materials: Vec<MaterialInput>,
}

/// A training's material: an uploaded file and its name.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct MaterialInput {
    /// The file's SHA-256.
    pub file: String,
    #[serde(default)]
    pub name: String,
}

/// Marks a person's attendance.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct AttendanceInput {
    pub person: String,
    pub attended: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AttendeeView {
    pub person_name: String,
    pub attended: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TrainingView {
    pub id: i64,
    pub title: String,
    pub provider: String,
    pub ours: bool,
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    pub hours: i64,
    pub attendees: Vec<AttendeeView>,
    /// The materials, as the files' SHA-256 (`/api/v1/attachments/{sha256}`)
    /// and names.
    pub materials: Vec<MaterialInput>,
}

fn document_view(d: store::personnel::Document, today: Date) -> DocumentView {
    DocumentView {
        id: d.id,
        person_name: d.full_name,
        username: d.username.unwrap_or_default(),
        code_name: domain::fileplan::FilePlan::builtin()
            .get(&d.code)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        validity: rules::validity(d.expires_on, today, WARN_DAYS),
        file: d.sha256.map(|s| format!("/api/v1/attachments/{s}")),
        kind: d.kind,
        code: d.code,
        title: d.title,
        issued_on: d.issued_on,
        expires_on: d.expires_on,
        note: d.note,
        recorded_by_name: d.recorded_by_name,
        recorded_at: d.recorded_at,
    }
}

impl App {
    /// A person's file. Reading another's is logged.
    pub async fn personnel_file(&self, reader: &User, username: &str) -> Result<PersonnelFile> {
        let person = self
            .user_named("username", username)
            .await
            .map_err(|_| AppError::NotFound)?;
        let en = crate::english();
        let mut w = self.write().await?;
        let grant = self
            .may_see_personnel(&mut w, reader, Some(person.id))
            .await?;
        let staff_id = store::staff::of_user(&mut w, person.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let staff = store::staff::get(&mut w, staff_id).await?;
        let employment = store::leave::employment(&mut w, staff_id).await?;
        let today = domain::local::date(now());
        let documents: Vec<DocumentView> = store::personnel::documents_of(&mut w, staff_id)
            .await?
            .into_iter()
            .map(|d| document_view(d, today))
            .collect();
        let trainings = store::personnel::trainings_of(&mut w, staff_id)
            .await?
            .into_iter()
            .map(|(t, attended)| AttendedView {
                id: t.id,
                title: t.title,
                provider: t.provider,
                ours: t.ours,
                from: t.starts_on,
                to: t.ends_on,
                hours: t.hours,
                attended,
            })
            .collect();
        let mut reports = Vec::new();
        for r in store::timesheet::reports_of(&mut w, staff_id, 50).await? {
            let back = store::timesheet::interrupted_by_report(&mut w, r.id).await?;
            reports.push(crate::timesheet::report_view(
                person.display_name.clone(),
                r,
                domain::leave::Halves(u32::try_from(back).unwrap_or(0)),
            ));
        }
        let may_file =
            person.id != reader.id && self.personnel_keeper(&mut w, reader).await.is_ok();
        let at = now();
        let title = staff
            .current(at)
            .next()
            .and_then(|a| self.profile.position(&a.position))
            .map(|p| p.name_for(en).to_owned())
            .unwrap_or_default();
        let kind_name = self
            .profile
            .staff_kinds()
            .iter()
            .find(|k| k.id == staff.kind)
            .map(|k| k.name_for(en).to_owned())
            .unwrap_or_default();
        if reader.id != person.id {
            w.commit(Audit::new(
                &grant,
                "staff.file_viewed",
                format!("staff:{staff_id}"),
                serde_json::json!({}),
            ))
            .await?;
        }
        Ok(PersonnelFile {
            username: person.username,
            person_name: staff.full_name,
            title,
            kind_name,
            service_start: employment.service_start,
            alerts: documents
                .iter()
                .filter(|d| matches!(d.validity, Validity::Expiring | Validity::Expired))
                .count(),
            documents,
            trainings,
            reports,
            may_file,
        })
    }

    /// The Kalem files a document in a person's file.
    pub async fn file_personnel_document(
        &self,
        actor: &User,
        username: &str,
        input: &DocumentInput,
    ) -> Result<DocumentView> {
        // The Kalem's, and not his own, before anything else is looked at.
        self.may_file_for(actor, username).await?;
        let person = self
            .user_named("username", username)
            .await
            .map_err(|_| AppError::NotFound)?;
        let kind = DocKind::parse(input.kind.trim())
            .ok_or(AppError::invalid("kind", Code::BadDocumentKind))?;
        let title = text("title", &input.title, 200, true)?;
        let code = match input
            .code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            None => kind.default_code().to_owned(),
            Some(c) => {
                if !rules::is_personnel_code(c)
                    || domain::fileplan::FilePlan::builtin().get(c).is_none()
                {
                    return Err(AppError::invalid("code", Code::NotPersonnelCode));
                }
                c.to_owned()
            }
        };
        let issued_on = date("issued_on", input.issued_on.as_deref().unwrap_or(""))?;
        let expires_on = date("expires_on", input.expires_on.as_deref().unwrap_or(""))?;
        let today = domain::local::date(now());
        if issued_on.is_some_and(|d| d > today) {
            return Err(AppError::invalid("issued_on", Code::DateInFuture));
        }
        if issued_on.is_some_and(|d| d.year() < 1950) {
            return Err(AppError::invalid("issued_on", Code::OutOfRange));
        }
        if let (Some(i), Some(e)) = (issued_on, expires_on) {
            if e < i {
                return Err(AppError::invalid("expires_on", Code::BeforeFrom));
            }
        }
        if expires_on.is_some_and(|e| e.year() > today.year() + 50) {
            return Err(AppError::invalid("expires_on", Code::OutOfRange));
        }
        let note = lines("note", input.note.as_deref().unwrap_or(""), 1000, false)?;
        let file = match input
            .file
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(h) if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                let h = h.to_ascii_lowercase();
                // Only a file the Kalem may read: knowing a hash opens
                // nothing.
                if !self.may_read_blob(actor, &h).await? {
                    return Err(AppError::invalid("file", Code::UnknownAttachment));
                }
                Some(h)
            }
            Some(_) => return Err(AppError::invalid("file", Code::UnknownAttachment)),
            None => None,
        };
        let mut w = self.write().await?;
        let grant = self.personnel_keeper(&mut w, actor).await?;
        if person.id == actor.id && !actor.is_admin {
            return Err(AppError::Conflict(Code::OwnRecord));
        }
        let staff_id = store::staff::of_user(&mut w, person.id)
            .await?
            .ok_or(AppError::invalid("username", Code::NotOurStaff))?;
        let id = store::personnel::insert_document(
            &mut w,
            &store::personnel::NewDocument {
                staff_id,
                kind: kind.code().to_owned(),
                code: code.clone(),
                title: title.clone(),
                issued_on,
                expires_on,
                sha256: file.clone(),
                note,
            },
            actor.id,
        )
        .await?;
        w.commit(Audit::new(
            &grant,
            "staff.document_filed",
            format!("staff:{staff_id}"),
            serde_json::json!({"document": id, "kind": kind.code(), "code": code, "title": title, "expires_on": expires_on.map(|d| d.to_string()), "file": file}),
        ))
        .await?;
        let d = store::personnel::documents_of(&mut self.read().await?, staff_id)
            .await?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or(AppError::NotFound)?;
        Ok(document_view(d, today))
    }

    /// Certificates ending within 60 days or ended, the soonest first: the
    /// Kalem's list to renew.
    pub async fn expiring_documents(&self, reader: &User) -> Result<Vec<DocumentView>> {
        let mut c = self.read().await?;
        self.keeps_personnel(&mut c, reader).await?;
        let today = domain::local::date(now());
        Ok(
            store::personnel::expiring(&mut c, today + time::Duration::days(WARN_DAYS), 500)
                .await?
                .into_iter()
                .map(|d| document_view(d, today))
                .collect(),
        )
    }

    /// The count for the Kalem's home page.
    pub async fn expiring_count(&self, reader: &User) -> Result<usize> {
        match self.expiring_documents(reader).await {
            Ok(v) => Ok(v.len()),
            Err(AppError::Forbidden { .. }) => Ok(0),
            Err(e) => Err(e),
        }
    }

    /// The Kalem records a training with those enrolled.
    pub async fn record_training(
        &self,
        actor: &User,
        input: &TrainingInput,
    ) -> Result<TrainingView> {
        let title = text("title", &input.title, 200, true)?;
        let provider = text("provider", &input.provider, 200, false)?;
        let from = date("from", &input.from)?.ok_or(AppError::invalid("from", Code::Required))?;
        let to = date("to", &input.to)?.ok_or(AppError::invalid("to", Code::Required))?;
        if to < from {
            return Err(AppError::invalid("to", Code::BeforeFrom));
        }
        if (to - from).whole_days() > 366 || from.year() < 2000 {
            return Err(AppError::invalid("to", Code::OutOfRange));
        }
        if !(1..=2000).contains(&input.hours) {
            return Err(AppError::invalid("hours", Code::OutOfRange));
        }
        if input.attendees.len() > 500 {
            return Err(AppError::invalid("attendees", Code::TooMany));
        }
        let mut people = Vec::new();
        for u in &input.attendees {
            let p = self.user_named("attendees", u).await?;
            if !people.iter().any(|(q, _): &(i64, String)| *q == p.id) {
                people.push((p.id, p.username));
            }
        }
        if input.materials.len() > 50 {
            return Err(AppError::invalid("materials", Code::TooMany));
        }
        let mut materials = Vec::new();
        for m in &input.materials {
            let name = text("materials", &m.name, 200, false)?;
            self.may_attach(actor, m.file.trim()).await?;
            materials.push((
                m.file.trim().to_owned(),
                if name.is_empty() {
                    "Eğitim materyali".to_owned()
                } else {
                    name
                },
            ));
        }
        let mut w = self.write().await?;
        let grant = self.personnel_keeper(&mut w, actor).await?;
        let mut staff = Vec::new();
        for (uid, _) in &people {
            staff.push(
                store::staff::of_user(&mut w, *uid)
                    .await?
                    .ok_or(AppError::invalid("attendees", Code::NotOurStaff))?,
            );
        }
        let id = store::personnel::insert_training(
            &mut w,
            &store::personnel::NewTraining {
                title: title.clone(),
                provider,
                ours: input.ours,
                starts_on: from,
                ends_on: to,
                hours: input.hours,
            },
            actor.id,
        )
        .await?;
        // Enrolled; attended once the training is over and marked so.
        for s in &staff {
            store::personnel::set_attendance(&mut w, id, *s, false).await?;
        }
        for (sha, name) in &materials {
            store::personnel::add_material(&mut w, id, sha, name, actor.id).await?;
        }
        w.commit(Audit::new(
            &grant,
            "training.recorded",
            format!("training:{id}"),
            serde_json::json!({"title": title, "attendees": people.iter().map(|p| p.1.clone()).collect::<Vec<_>>(), "materials": materials.len()}),
        ))
        .await?;
        self.training(actor, id).await
    }

    /// Marks whether a person attended.
    pub async fn mark_attendance(
        &self,
        actor: &User,
        id: i64,
        input: &AttendanceInput,
    ) -> Result<TrainingView> {
        let person = self.user_named("person", &input.person).await?;
        let mut w = self.write().await?;
        let grant = self.personnel_keeper(&mut w, actor).await?;
        let t = store::personnel::training(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if input.attended && t.starts_on > domain::local::date(now()) {
            return Err(AppError::invalid("attended", Code::DateInFuture));
        }
        let staff_id = store::staff::of_user(&mut w, person.id)
            .await?
            .ok_or(AppError::invalid("person", Code::NotOurStaff))?;
        store::personnel::set_attendance(&mut w, id, staff_id, input.attended).await?;
        w.commit(Audit::new(
            &grant,
            "training.attendance",
            format!("training:{id}"),
            serde_json::json!({"person": person.username, "attended": input.attended}),
        ))
        .await?;
        self.training(actor, id).await
    }

    /// A training with its list (the Kalem's).
    pub async fn training(&self, reader: &User, id: i64) -> Result<TrainingView> {
        let mut c = self.read().await?;
        self.keeps_personnel(&mut c, reader).await?;
        let t = store::personnel::training(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        training_view(&mut c, t).await
    }

    /// The trainings, the latest first (the Kalem's).
    pub async fn trainings(&self, reader: &User) -> Result<Vec<TrainingView>> {
        let mut c = self.read().await?;
        self.keeps_personnel(&mut c, reader).await?;
        let mut out = Vec::new();
        for t in store::personnel::trainings(&mut c, 200).await? {
            out.push(training_view(&mut c, t).await?);
        }
        Ok(out)
    }
}

async fn training_view(
    c: &mut impl store::Conn,
    t: store::personnel::Training,
) -> Result<TrainingView> {
    let attendees = store::personnel::attendance(c, t.id)
        .await?
        .into_iter()
        .map(|(_, name, attended)| AttendeeView {
            person_name: name,
            attended,
        })
        .collect();
    let materials = store::personnel::materials(c, t.id)
        .await?
        .into_iter()
        .map(|(file, name)| MaterialInput { file, name })
        .collect();
    Ok(TrainingView {
        id: t.id,
        title: t.title,
        provider: t.provider,
        ours: t.ours,
        from: t.starts_on,
        to: t.ends_on,
        hours: t.hours,
        attendees,
        materials,
    })
}

impl App {
    /// Whether `actor` may file documents in `username`'s file: the Kalem
    /// (or the administrator), never in his own. Checked before any byte
    /// of a scan is kept.
    pub async fn may_file_for(&self, actor: &User, username: &str) -> Result<()> {
        let person = self
            .user_named("username", username)
            .await
            .map_err(|_| AppError::NotFound)?;
        self.keeps_personnel(&mut self.read().await?, actor).await?;
        if person.id == actor.id && !actor.is_admin {
            return Err(AppError::Conflict(Code::OwnRecord));
        }
        Ok(())
    }
}
