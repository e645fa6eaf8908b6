//! KVKK (Law 6698) duties of the directorate (issue 18 §2; m.8/23-31):
//! data breaches with the Board's 72-hour clock, and periodic destruction
//! at most every six months, each with its record.

use time::{Date, OffsetDateTime};

use domain::authority::Authority;
use domain::code::Code;
use domain::kvkk as rules;
use store::Audit;

use crate::input::{date, instant, lines, text};
use crate::{now, App, AppError, Result, User};

time::serde::format_description!(iso, Date, "[year]-[month]-[day]");

/// A breach as recorded (the fields of the Board's notification form).
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct BreachInput {
    /// When it was discovered (RFC 3339): the 72 hours run from here.
    pub discovered_at: String,
    pub summary: String,
    /// When it happened, if known.
    #[serde(default)]
    pub occurred_at: Option<String>,
    /// The categories of personal data concerned.
    #[serde(default)]
    pub data_categories: Option<String>,
    /// The groups of data subjects concerned.
    #[serde(default)]
    pub subjects: Option<String>,
    /// How many people, if known.
    #[serde(default)]
    pub affected_count: Option<i64>,
    /// What was done to contain it and to prevent it again.
    #[serde(default)]
    pub measures: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct BreachView {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub discovered_at: OffsetDateTime,
    /// The Board must be told by then (6698 m.12/5; the Board's decision
    /// 2019/10: 72 clock hours from the discovery).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub notify_board_by: OffsetDateTime,
    /// Whole hours left on the clock; negative once past.
    pub hours_left: i64,
    /// The clock has run out with the Board not told.
    pub overdue: bool,
    pub summary: String,
    pub data_categories: String,
    pub subjects: String,
    pub affected_count: Option<i64>,
    pub measures: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub board_notified_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub subjects_notified_at: Option<OffsetDateTime>,
    pub recorded_by_name: String,
}

/// A notice given.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct NoticeInput {
    /// `board` (the KVKK Board) or `subjects` (the people concerned).
    pub to: String,
    /// When (RFC 3339; default now).
    #[serde(default)]
    pub at: Option<String>,
}

/// A periodic destruction.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct DestructionInput {
    /// The day it was done (YYYY-MM-DD; default today).
    #[serde(default)]
    pub done_on: Option<String>,
    /// `delete`, `destroy` or `anonymise`.
    pub method: String,
    /// What was destroyed: each record, file or data set.
    pub items: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DestructionView {
    pub id: i64,
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub done_on: Date,
    pub method: String,
    pub method_name: String,
    pub items: Vec<String>,
    pub note: String,
    pub recorded_by_name: String,
}

/// `GET /kvkk/destruction-schedule`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DestructionSchedule {
    /// The last periodic destruction, if any.
    #[serde(with = "iso::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub last: Option<Date>,
    /// The next is due by then: six months after the last at most (the
    /// regulation's m.11/2), or now when none is recorded.
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub next_due: Date,
    pub overdue: bool,
}

fn breach_view(b: store::kvkk::Breach, at: OffsetDateTime) -> BreachView {
    let by = rules::notify_board_by(b.discovered_at);
    BreachView {
        id: b.id,
        discovered_at: b.discovered_at,
        notify_board_by: by,
        hours_left: (by - at).whole_hours(),
        overdue: b.board_notified_at.is_none() && at > by,
        summary: b.summary,
        data_categories: b.data_categories,
        subjects: b.subjects,
        affected_count: b.affected_count,
        measures: b.measures,
        board_notified_at: b.board_notified_at,
        subjects_notified_at: b.subjects_notified_at,
        recorded_by_name: b.recorded_by_name,
    }
}

impl App {
    /// Records a breach: its 72-hour clock starts at the discovery.
    pub async fn record_breach(&self, actor: &User, input: &BreachInput) -> Result<BreachView> {
        let discovered_at = instant("discovered_at", &input.discovered_at)?;
        let occurred_at = match input.occurred_at.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(instant("occurred_at", s)?),
        };
        let summary = lines("summary", &input.summary, 5000, true)?;
        let data_categories = lines(
            "data_categories",
            input.data_categories.as_deref().unwrap_or(""),
            2000,
            false,
        )?;
        let subjects = lines(
            "subjects",
            input.subjects.as_deref().unwrap_or(""),
            2000,
            false,
        )?;
        let measures = lines(
            "measures",
            input.measures.as_deref().unwrap_or(""),
            5000,
            false,
        )?;
        if let Some(n) = input.affected_count {
            if !(0..=100_000_000).contains(&n) {
                return Err(AppError::invalid("affected_count", Code::OutOfRange));
            }
        }
        let mut w = self.write().await?;
        let at = w.at();
        // A minute's grace for clocks that differ.
        if discovered_at > at + time::Duration::minutes(1) {
            return Err(AppError::invalid("discovered_at", Code::DateInFuture));
        }
        // Law 6698 was published on 07.04.2016: no breach under it before.
        if discovered_at < domain::local::day_start(time::macros::date!(2016 - 04 - 07)) {
            return Err(AppError::invalid("discovered_at", Code::BeforeTheLaw));
        }
        if occurred_at.is_some_and(|o| o > discovered_at) {
            return Err(AppError::invalid("occurred_at", Code::AfterDiscovery));
        }
        let grant = self.grant(&mut w, actor, Authority::ManageKvkk).await?;
        let id = store::kvkk::insert_breach(
            &mut w,
            &store::kvkk::NewBreach {
                discovered_at,
                occurred_at,
                summary: summary.clone(),
                data_categories,
                subjects,
                affected_count: input.affected_count,
                measures,
            },
            actor.id,
        )
        .await?;
        w.commit(Audit::new(
            &grant,
            "kvkk.breach_recorded",
            format!("kvkk_breach:{id}"),
            serde_json::json!({"discovered_at": discovered_at.to_string(), "notify_board_by": rules::notify_board_by(discovered_at).to_string()}),
        ))
        .await?;
        let b = store::kvkk::breach(&mut self.read().await?, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(breach_view(b, now()))
    }

    /// Records that the Board or the people concerned were told.
    pub async fn breach_notified(
        &self,
        actor: &User,
        id: i64,
        input: &NoticeInput,
    ) -> Result<BreachView> {
        let board = match input.to.trim() {
            "board" => true,
            "subjects" => false,
            _ => return Err(AppError::invalid("to", Code::OutOfRange)),
        };
        let mut w = self.write().await?;
        let at = match input.at.as_deref().map(str::trim) {
            None | Some("") => w.at(),
            Some(s) => instant("at", s)?,
        };
        if at > w.at() + time::Duration::minutes(1) {
            return Err(AppError::invalid("at", Code::DateInFuture));
        }
        let grant = self.grant(&mut w, actor, Authority::ManageKvkk).await?;
        let b = store::kvkk::breach(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if at < b.discovered_at {
            return Err(AppError::invalid("at", Code::BeforeFrom));
        }
        if !store::kvkk::notified(&mut w, id, board, at).await? {
            return Err(AppError::Conflict(Code::AlreadyNotified));
        }
        w.commit(Audit::new(
            &grant,
            if board { "kvkk.board_notified" } else { "kvkk.subjects_notified" },
            format!("kvkk_breach:{id}"),
            serde_json::json!({"at": at.to_string(), "late": board && at > rules::notify_board_by(b.discovered_at)}),
        ))
        .await?;
        let b = store::kvkk::breach(&mut self.read().await?, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(breach_view(b, now()))
    }

    /// The breaches, the newest first, with their clocks.
    pub async fn breaches(&self, reader: &User) -> Result<Vec<BreachView>> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::ManageKvkk)
            .await?;
        let at = now();
        Ok(store::kvkk::breaches(&mut c, 500)
            .await?
            .into_iter()
            .map(|b| breach_view(b, at))
            .collect())
    }

    /// Breaches whose Board notice is still to give, for whoever keeps the
    /// KVKK records (empty for others): the home page and the digest.
    pub async fn open_breach_clocks(&self, reader: &User) -> Result<Vec<BreachView>> {
        let mut c = self.read().await?;
        match self
            .may_read_as(&mut c, reader, Authority::ManageKvkk)
            .await
        {
            Ok(()) => {}
            Err(AppError::Forbidden { .. }) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        }
        let at = now();
        Ok(store::kvkk::unnotified(&mut c)
            .await?
            .into_iter()
            .map(|b| breach_view(b, at))
            .collect())
    }

    /// Records a periodic destruction with what, how and by whom.
    pub async fn record_destruction(
        &self,
        actor: &User,
        input: &DestructionInput,
    ) -> Result<DestructionView> {
        let method = rules::Method::parse(input.method.trim())
            .ok_or(AppError::invalid("method", Code::OutOfRange))?;
        if input.items.is_empty() {
            return Err(AppError::invalid("items", Code::Required));
        }
        if input.items.len() > 10_000 {
            return Err(AppError::invalid("items", Code::TooMany));
        }
        let mut items = Vec::new();
        for i in &input.items {
            let t = text("items", i, 500, true)?;
            items.push(t);
        }
        let note = lines("note", input.note.as_deref().unwrap_or(""), 2000, false)?;
        let today = domain::local::date(now());
        let done_on = date("done_on", input.done_on.as_deref().unwrap_or(""))?.unwrap_or(today);
        if done_on > today {
            return Err(AppError::invalid("done_on", Code::DateInFuture));
        }
        // The destruction regulation (RG 28.10.2017) is in force from
        // 01.01.2018, by its own yürürlük article.
        if done_on < time::macros::date!(2018 - 01 - 01) {
            return Err(AppError::invalid("done_on", Code::BeforeTheLaw));
        }
        let items_json = serde_json::to_string(&items).map_err(|e| AppError::Internal(e.into()))?;
        let mut w = self.write().await?;
        let grant = self.grant(&mut w, actor, Authority::ManageKvkk).await?;
        let id = store::kvkk::insert_destruction(
            &mut w,
            done_on,
            method.code(),
            &items_json,
            &note,
            actor.id,
        )
        .await?;
        w.commit(Audit::new(
            &grant,
            "kvkk.destruction_recorded",
            format!("kvkk_destruction:{id}"),
            serde_json::json!({"done_on": done_on.to_string(), "method": method.code(), "items": items.len()}),
        ))
        .await?;
        Ok(DestructionView {
            id,
            done_on,
            method: method.code().to_owned(),
            method_name: method.name_tr().to_owned(),
            items,
            note,
            recorded_by_name: actor.display_name.clone(),
        })
    }

    /// When the last periodic destruction was, and when the next is due.
    pub async fn destruction_schedule(&self, reader: &User) -> Result<DestructionSchedule> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::ManageKvkk)
            .await?;
        let today = domain::local::date(now());
        let last = store::kvkk::last_destruction(&mut c).await?;
        let next_due = rules::next_destruction(last, today);
        Ok(DestructionSchedule {
            last,
            next_due,
            overdue: last.is_some() && next_due < today,
        })
    }

    /// The destructions, the newest first (their tutanak).
    pub async fn destructions(&self, reader: &User) -> Result<Vec<DestructionView>> {
        let mut c = self.read().await?;
        self.may_read_as(&mut c, reader, Authority::ManageKvkk)
            .await?;
        Ok(store::kvkk::destructions(&mut c, 500)
            .await?
            .into_iter()
            .map(|d| {
                let m = rules::Method::parse(&d.method);
                DestructionView {
                    id: d.id,
                    done_on: d.done_on,
                    method_name: m.map(|m| m.name_tr().to_owned()).unwrap_or_default(),
                    method: d.method,
                    items: serde_json::from_str(&d.items).unwrap_or_default(),
                    note: d.note,
                    recorded_by_name: d.recorded_by_name,
                }
            })
            .collect())
    }

    /// The data subjects' applications (6698 m.13), registered as
    /// incoming documents on the `kvkk` basis with their 30-day period,
    /// as far as the reader may see each.
    pub async fn subject_requests(&self, reader: &User) -> Result<Vec<SubjectRequest>> {
        let ids = {
            let mut c = self.read().await?;
            self.may_read_as(&mut c, reader, Authority::ManageKvkk)
                .await?;
            store::kvkk::subject_requests(&mut c, 200).await?
        };
        let today = domain::local::date(now());
        let mut out = Vec::new();
        for id in ids {
            let Ok(v) = self.incoming(reader, id).await else {
                continue;
            };
            let d = v.document;
            out.push(SubjectRequest {
                id: d.id,
                number: d.number,
                sender_name: d.sender_name,
                subject: d.subject,
                received_on: d.received_on,
                due_date: d.due_date,
                closed: d.closed_at.is_some(),
                overdue: d.closed_at.is_none() && d.due_date.is_some_and(|x| x < today),
            });
        }
        Ok(out)
    }
}

/// A data subject's application.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SubjectRequest {
    /// The incoming document's id.
    pub id: i64,
    pub number: String,
    pub sender_name: String,
    pub subject: String,
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub received_on: Date,
    #[serde(with = "iso::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    pub closed: bool,
    pub overdue: bool,
}
