//! Leave (m.16/1: the Kalem keeps it; m.9/4: the Müdür, disciplinary
//! superior, approves it): the entitlement by law, the working days of a
//! leave, a person's balance, and a request's way from the person through
//! their Şef's initials to the approver, ending in the İzin Onay Formu.
//! The rules are `domain::leave`'s.

use std::collections::BTreeMap;

use domain::authority::{Authority, Facts, Grant};
use domain::code::Code;
use domain::leave::{
    self as rules, Decision, Halves, Law, Reckoning, Record, RequestRefusal, State, Step,
};
use domain::local::{format_date as date_tr, format_datetime as time_tr};
use store::Audit;
use time::Date;

use crate::input::{date, lines, text};
use crate::pdf::{wrap, PdfWriter, A4};
use crate::{now, App, AppError, Result, User};

/// The `[leave]` settings.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LeaveSettings {
    /// How the service that sets a year's annual leave is reckoned:
    /// `anniversary` (default: the year an anniversary falls in takes its
    /// band, as the Devlet Personel Başkanlığı applies 657 m.102) or
    /// `year_start` (the band of the service completed by 1 January).
    pub reckoning: Reckoning,
    /// An İşçi's paternity leave in days (4857 Ek m.2 gives five; set
    /// here should the law or the collective agreement give more).
    pub isci_paternity_days: Option<u32>,
    /// Count the weekends within a Memur's annual leave as leave (the
    /// Devlet Personel Başkanlığı's opinion of 01.02.2023); default false:
    /// only working days, as the leave's working-day count shows.
    pub memur_weekends_inside: bool,
    /// The days a year of unpaid leave an İşçi may agree with the
    /// institution (4857 sets no limit: such leave is by both sides'
    /// consent). Default 30; 0: none is agreed here.
    pub isci_unpaid_agreement_days: Option<u32>,
    /// The working days a year of administrative leave (idari izin) one
    /// person may be given. No law sets a general limit (each genelge its
    /// own, and 657 knows no such leave); default 10, a guard the Kalem
    /// raises when a genelge grants more.
    pub administrative_days_per_year: Option<u32>,
    /// Weeks of maternity leave for one child (657 m.104/A, 4857 m.74:
    /// sixteen; two more with a multiple pregnancy). A setting, should
    /// the law change it.
    pub maternity_weeks: Option<u32>,
}

impl LeaveSettings {
    pub fn isci_paternity_days(&self) -> u32 {
        self.isci_paternity_days.unwrap_or(5)
    }

    pub fn isci_unpaid_agreement_days(&self) -> u32 {
        self.isci_unpaid_agreement_days.unwrap_or(30)
    }

    pub fn administrative_days_per_year(&self) -> u32 {
        self.administrative_days_per_year.unwrap_or(10)
    }

    /// An excuse's limit under `law` with these settings.
    pub fn excuse_limit(
        &self,
        law: Law,
        e: rules::Excuse,
    ) -> Option<(u32, rules::Counting, &'static str)> {
        rules::excuse_limit_with(
            law,
            e,
            self.isci_paternity_days(),
            self.maternity_weeks.unwrap_or(rules::MATERNITY_WEEKS),
        )
    }
}

/// The kinds of leave a request may name.
const KINDS: &[&str] = &["annual", "excuse", "unpaid", "administrative"];

/// What a request asks for.
#[derive(Debug, Clone)]
enum Asked {
    Annual,
    Excuse(rules::Excuse),
    Unpaid(rules::Unpaid),
    /// Idari izin, with the genelge or decision it rests on.
    Administrative(String),
}

impl Asked {
    /// What is stored as the request's reason.
    fn reason(&self) -> String {
        match self {
            Asked::Annual => String::new(),
            Asked::Excuse(e) => e.code().to_owned(),
            Asked::Unpaid(g) => g.code().to_owned(),
            Asked::Administrative(basis) => basis.clone(),
        }
    }
}

/// `GET /leave/entitlement`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct EntitlementView {
    pub days: u32,
    /// The article: `657 m.102` or `4857 m.53`.
    pub basis: String,
}

/// `GET /leave/working-days`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct WorkingDaysView {
    /// Working days; an arife counts half (`.5`).
    #[schema(value_type = f64)]
    pub days: Halves,
    /// The same, written the Turkish way ("9,5").
    pub days_tr: String,
}

/// A new request.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct LeaveInput {
    /// `annual` (yıllık izin), `excuse` (mazeret izni), `unpaid`
    /// (aylıksız / ücretsiz izin) or `administrative` (idari izin).
    pub kind: String,
    /// For `excuse`: `marriage`, `death`, `paternity` or `discretionary`
    /// (657 m.104/B-C, 4857 Ek m.2). For `unpaid`: `care`, `birth`,
    /// `adoption`, `spouse_abroad`, `military`, `general` (657 m.108),
    /// `travel`, `agreement` (4857 m.56; by agreement). For
    /// `administrative`: the genelge or decision it rests on.
    #[serde(default)]
    pub reason: Option<String>,
    /// The first day (YYYY-MM-DD).
    pub from: String,
    /// The last day (YYYY-MM-DD).
    pub to: String,
    /// Where the person can be reached during the leave.
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A decision.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct LeaveDecisionInput {
    /// `approve` (the Şef's initials, or the approval), `return` or `reject`.
    pub decision: Decision,
    /// Required to return or reject.
    #[serde(default)]
    pub note: Option<String>,
}

/// A request as the pages and the API show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LeaveView {
    pub id: i64,
    pub person_name: String,
    /// `annual`, `excuse`, `unpaid` or `administrative`.
    pub kind: String,
    /// An excuse's reason (`marriage`, `death`, `paternity`,
    /// `discretionary`), an unpaid leave's ground, an administrative
    /// leave's basis; empty for annual leave.
    pub reason: String,
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    /// Working days; an arife counts half.
    #[schema(value_type = f64)]
    pub days: Halves,
    pub days_tr: String,
    /// `requested`, `initialled`, `approved`, `returned`, `rejected`.
    #[schema(value_type = String)]
    pub state: State,
    pub address: String,
    pub note: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: time::OffsetDateTime,
    pub initialled_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub initialled_at: Option<time::OffsetDateTime>,
    pub decided_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<time::OffsetDateTime>,
    pub decision_note: String,
    /// On a request waiting for the reader's decision: what the person's
    /// year will have left once it is approved (annual leave only).
    #[schema(value_type = Option<f64>)]
    pub remaining_if_approved: Option<Halves>,
    /// The step the reader may take now: `initial` or `approve`.
    #[schema(value_type = Option<String>)]
    pub my_step: Option<Step>,
    /// The İzin Onay Formu, once approved.
    pub form: Option<String>,
}

time::serde::format_description!(iso, Date, "[year]-[month]-[day]");

/// A year's balance, with whose it is.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct BalanceView {
    pub person_name: String,
    pub year: i32,
    /// Service on the reckoning day (`reckoned_on`): whole years and
    /// months beyond.
    pub service_years: u32,
    pub service_months: u32,
    #[serde(with = "iso")]
    #[schema(value_type = String, format = Date)]
    pub reckoned_on: Date,
    /// The year's own days.
    #[schema(value_type = f64)]
    pub entitlement: Halves,
    /// `657 m.102` or `4857 m.53`.
    pub basis: String,
    /// A collective agreement gives more than the law.
    pub by_agreement: bool,
    /// Unused days of earlier years still usable (657 m.103: the previous
    /// year's only; 4857: all).
    #[schema(value_type = f64)]
    pub carried_over: Halves,
    #[schema(value_type = f64)]
    pub used: Halves,
    /// Asked for, not yet decided.
    #[schema(value_type = f64)]
    pub pending: Halves,
    #[schema(value_type = f64)]
    pub remaining: Halves,
}

/// The leave page: the reader's balance and requests, and those waiting on
/// the reader.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MyLeave {
    /// `None` when the reader has no leave here (no staff record, a
    /// contractor, or no service start recorded): `why` says which.
    pub balance: Option<BalanceView>,
    pub why: Option<String>,
    pub requests: Vec<LeaveView>,
    pub waiting: Vec<LeaveView>,
    /// What the reader may ask for under their law, as the form offers
    /// it: `annual`, `excuse:<reason>`, `unpaid:<ground>`,
    /// `administrative`.
    pub kinds: Vec<String>,
}

/// The employment facts the Kalem records.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct EmploymentInput {
    /// The start of service counted for leave (YYYY-MM-DD).
    pub service_start: String,
    #[serde(default)]
    pub birth_date: Option<String>,
    /// The collective agreement (TİS), for an İşçi.
    #[serde(default)]
    pub agreement: Option<String>,
    /// The annual days the agreement gives.
    #[serde(default)]
    pub agreement_leave_days: Option<i64>,
    /// The opening balance from the paper records: the year the records
    /// begin here …
    #[serde(default)]
    pub opening_year: Option<i64>,
    /// … and the unused days carried into it (halves allowed: `6.5`).
    #[serde(default)]
    pub opening_days: Option<f64>,
}

/// The most requests a person's list shows.
const LIST_LIMIT: i64 = 200;

fn refusal(r: RequestRefusal) -> AppError {
    match r {
        RequestRefusal::EndsBeforeStart => AppError::invalid("to", Code::BeforeFrom),
        RequestRefusal::TooLong => AppError::invalid("to", Code::OutOfRange),
        RequestRefusal::NoWorkingDay => AppError::invalid("from", Code::NoWorkingDay),
        RequestRefusal::BeforeFirstYear => AppError::invalid("from", Code::BeforeFirstYear),
        RequestRefusal::OverBalance { remaining, .. } => AppError::beyond(
            "to",
            Code::OverBalance,
            remaining.as_f64(),
            crate::LeftUnit::Days,
        ),
    }
}

/// The entitlement of a kind of staff (`memur`, `isci`) for whole years of
/// service, at an age (the query's text, checked here).
pub fn leave_entitlement(kind: &str, service_years: &str, age: &str) -> Result<EntitlementView> {
    let kind = kind.trim();
    if kind.is_empty() {
        return Err(AppError::invalid("kind", Code::Required));
    }
    let law = Law::of_kind(kind).ok_or(AppError::invalid("kind", Code::BadLeaveKind))?;
    let number = |field: &'static str,
                  s: &str,
                  range: std::ops::RangeInclusive<i64>|
     -> Result<Option<u32>> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let n: i64 = s
            .parse()
            .map_err(|_| AppError::invalid(field, Code::BadNumber))?;
        if !range.contains(&n) {
            return Err(AppError::invalid(field, Code::OutOfRange));
        }
        Ok(u32::try_from(n).ok())
    };
    let years = number("service_years", service_years, 0..=70)?
        .ok_or(AppError::invalid("service_years", Code::Required))?;
    let age = number("age", age, 14..=100)?;
    let e = rules::entitlement(law, years, age, None);
    Ok(EntitlementView {
        days: e.days,
        basis: e.basis.to_owned(),
    })
}

impl App {
    /// Whether the weekends within a leave under `law` are leave.
    pub(crate) fn weekends_inside(&self, law: Law) -> bool {
        law == Law::Memur && self.leave.memur_weekends_inside
    }

    /// The working days of a leave from `from` to `to` on the calendar.
    pub async fn leave_working_days(&self, from: &str, to: &str) -> Result<WorkingDaysView> {
        let from = date("from", from)?.ok_or(AppError::invalid("from", Code::Required))?;
        let to = date("to", to)?.ok_or(AppError::invalid("to", Code::Required))?;
        if to < from {
            return Err(AppError::invalid("to", Code::BeforeFrom));
        }
        if (to - from).whole_days() >= rules::MAX_SPAN_DAYS {
            return Err(AppError::invalid("to", Code::OutOfRange));
        }
        let cal = self.calendar().await?;
        let days = rules::working_days(&cal, from, to);
        Ok(WorkingDaysView {
            days,
            days_tr: days.to_tr(),
        })
    }

    /// The person's record for leave, or why there is none.
    async fn leave_record(&self, c: &mut impl store::Conn, staff_id: i64) -> Result<Record> {
        Ok(self.leave_record_named(c, staff_id).await?.0)
    }

    /// The record and the person's name, in one query.
    async fn leave_record_named(
        &self,
        c: &mut impl store::Conn,
        staff_id: i64,
    ) -> Result<(Record, String)> {
        let e = store::leave::employment(c, staff_id).await?;
        let law = Law::of_kind(&e.kind).ok_or(AppError::Conflict(Code::NoLeaveHere))?;
        let record = Record {
            law,
            service_start: e
                .service_start
                .ok_or(AppError::Conflict(Code::NoServiceStart))?,
            birth_date: e.birth_date,
            agreement_days: e.agreement_leave_days.and_then(|d| u32::try_from(d).ok()),
            reckoning: self.leave.reckoning,
            opening: match (e.opening_year, e.opening_halves) {
                (Some(y), Some(h)) => Some((y as i32, Halves(u32::try_from(h).unwrap_or(0)))),
                _ => None,
            },
        };
        Ok((record, e.full_name))
    }

    async fn balance_of(
        &self,
        c: &mut impl store::Conn,
        staff_id: i64,
        year: i32,
    ) -> Result<rules::Balance> {
        Ok(self.balance_named(c, staff_id, year).await?.0)
    }

    async fn balance_named(
        &self,
        c: &mut impl store::Conn,
        staff_id: i64,
        year: i32,
    ) -> Result<(rules::Balance, String)> {
        let (r, name) = self.leave_record_named(c, staff_id).await?;
        let (used, pending) = store::leave::year_totals(c, staff_id).await?;
        Ok((
            rules::balance(&r, year, &halves(&used), &halves(&pending)),
            name,
        ))
    }

    /// The grant to keep personnel records (m.16/1: the Kalem,
    /// `keep_personnel_records`), or the administrator's, in the write.
    pub(crate) async fn personnel_keeper(
        &self,
        w: &mut store::Write,
        actor: &User,
    ) -> Result<Grant> {
        if actor.is_admin {
            Ok(Grant::administrator(actor)?)
        } else {
            self.grant(w, actor, Authority::KeepPersonnelRecords).await
        }
    }

    /// Whether `reader` keeps personnel records now (or administers), for
    /// a read that changes nothing.
    pub(crate) async fn keeps_personnel(
        &self,
        c: &mut impl store::Conn,
        reader: &User,
    ) -> Result<()> {
        self.may_read_as(c, reader, Authority::KeepPersonnelRecords)
            .await
    }

    /// Whether `reader` may see the leave and employment of the person
    /// `user_id`: themself, an administrator, the Kalem
    /// (`keep_personnel_records`), or a superior (a post theirs reports up
    /// to). Answers with the grant the read is logged under.
    pub(crate) async fn may_see_personnel(
        &self,
        c: &mut impl store::Conn,
        reader: &User,
        user_id: Option<i64>,
    ) -> Result<Grant> {
        if reader.is_admin || user_id == Some(reader.id) {
            return Ok(Grant::access_log(reader));
        }
        let at = now();
        let mut facts = self.facts(c, reader.id).await?;
        if domain::authority::grant(
            &self.profile,
            &facts,
            reader,
            Authority::KeepPersonnelRecords,
            at,
        )
        .is_ok()
        {
            return Ok(Grant::access_log(reader));
        }
        if let Some(u) = user_id {
            store::authority::add_holdings(c, &mut facts, &[u]).await?;
            if domain::authority::is_superior(&self.profile, &facts, reader.id, u, at) {
                return Ok(Grant::access_log(reader));
            }
        }
        Err(AppError::forbidden(Authority::KeepPersonnelRecords.id()))
    }

    /// A person's balance for a year. Reading another's is logged (KVKK
    /// m.12), in the transaction that reads it.
    pub async fn leave_balance(
        &self,
        reader: &User,
        username: &str,
        year: Option<i64>,
    ) -> Result<BalanceView> {
        let person = self
            .user_named("username", username)
            .await
            .map_err(|_| AppError::NotFound)?;
        let year = balance_year(year)?;
        // One's own is read without the writers' lock; another's is logged.
        if reader.id == person.id {
            let mut c = self.read().await?;
            let staff_id = store::staff::of_user(&mut c, person.id)
                .await?
                .ok_or(AppError::Conflict(Code::NoLeaveHere))?;
            let (b, name) = self.balance_named(&mut c, staff_id, year).await?;
            return Ok(balance_view(name, b));
        }
        let mut w = self.write().await?;
        let grant = self
            .may_see_personnel(&mut w, reader, Some(person.id))
            .await?;
        let staff_id = store::staff::of_user(&mut w, person.id)
            .await?
            .ok_or(AppError::Conflict(Code::NoLeaveHere))?;
        let (b, name) = self.balance_named(&mut w, staff_id, year).await?;
        w.commit(Audit::new(
            &grant,
            "staff.leave_viewed",
            format!("staff:{staff_id}"),
            serde_json::json!({"year": year}),
        ))
        .await?;
        Ok(balance_view(name, b))
    }

    /// The Kalem records the employment facts leave is reckoned from.
    pub async fn set_employment(
        &self,
        actor: &User,
        username: &str,
        input: &EmploymentInput,
    ) -> Result<BalanceView> {
        let person = self
            .user_named("username", username)
            .await
            .map_err(|_| AppError::NotFound)?;
        let today = domain::local::date(now());
        let service_start = date("service_start", &input.service_start)?
            .ok_or(AppError::invalid("service_start", Code::Required))?;
        if service_start > today {
            return Err(AppError::invalid("service_start", Code::DateInFuture));
        }
        if service_start.year() < 1950 {
            return Err(AppError::invalid("service_start", Code::OutOfRange));
        }
        let birth_date = date("birth_date", input.birth_date.as_deref().unwrap_or(""))?;
        if let Some(b) = birth_date {
            // At least 14 when the service began (4857 m.71: 14 for light
            // work, 15 otherwise).
            if rules::whole_years(b, service_start) < 14 {
                return Err(AppError::invalid("birth_date", Code::OutOfRange));
            }
        }
        let opening = match (input.opening_year, input.opening_days) {
            (None, None) => None,
            (Some(y), Some(d)) => {
                if !(i64::from(service_start.year())..=i64::from(today.year()) + 1).contains(&y) {
                    return Err(AppError::invalid("opening_year", Code::OutOfRange));
                }
                let halves = d * 2.0;
                if !(0.0..=730.0).contains(&halves) || halves.fract() != 0.0 {
                    return Err(AppError::invalid("opening_days", Code::OutOfRange));
                }
                Some((y, halves as i64))
            }
            (None, Some(_)) => return Err(AppError::invalid("opening_year", Code::Required)),
            (Some(_), None) => return Err(AppError::invalid("opening_days", Code::Required)),
        };
        // One's own record is kept by another (or the administrator).
        if person.id == actor.id && !actor.is_admin {
            return Err(AppError::Conflict(Code::OwnRecord));
        }
        let agreement = text(
            "agreement",
            input.agreement.as_deref().unwrap_or(""),
            200,
            false,
        )?;
        let days = match input.agreement_leave_days {
            Some(d) if !(0..=60).contains(&d) => {
                return Err(AppError::invalid("agreement_leave_days", Code::OutOfRange))
            }
            d => d,
        };
        let mut w = self.write().await?;
        let grant = self.personnel_keeper(&mut w, actor).await?;
        let staff_id = store::staff::of_user(&mut w, person.id)
            .await?
            .ok_or(AppError::Conflict(Code::NoLeaveHere))?;
        if Law::of_kind(&store::staff::get(&mut w, staff_id).await?.kind).is_none() {
            return Err(AppError::Conflict(Code::NoLeaveHere));
        }
        let e = store::leave::Employment {
            service_start: Some(service_start),
            birth_date,
            agreement,
            agreement_leave_days: days,
            opening_year: opening.map(|o| o.0),
            opening_halves: opening.map(|o| o.1),
            ..Default::default()
        };
        store::leave::set_employment(&mut w, staff_id, &e).await?;
        let year = today.year();
        let b = self.balance_of(&mut w, staff_id, year).await?;
        w.commit(Audit::new(
            &grant,
            "staff.employment_set",
            format!("staff:{staff_id}"),
            serde_json::json!({"service_start": service_start.to_string(), "birth_date": birth_date.map(|d| d.to_string()), "agreement": e.agreement, "agreement_leave_days": days}),
        ))
        .await?;
        let name = store::staff::get(&mut self.read().await?, staff_id)
            .await?
            .full_name;
        Ok(balance_view(name, b))
    }

    /// A person asks for leave for themself.
    pub async fn request_leave(&self, actor: &User, input: &LeaveInput) -> Result<LeaveView> {
        let kind = input.kind.trim();
        if !KINDS.contains(&kind) {
            return Err(AppError::invalid("kind", Code::BadLeaveKind));
        }
        let reason = input.reason.as_deref().map(str::trim).unwrap_or("");
        if kind != "annual" && reason.is_empty() {
            return Err(AppError::invalid("reason", Code::Required));
        }
        let asked = match kind {
            "annual" => Asked::Annual,
            "excuse" => Asked::Excuse(
                rules::Excuse::parse(reason).ok_or(AppError::invalid("reason", Code::BadExcuse))?,
            ),
            "unpaid" => Asked::Unpaid(
                rules::Unpaid::parse(reason)
                    .ok_or(AppError::invalid("reason", Code::BadUnpaidGround))?,
            ),
            // One line: a genelge's number and name.
            _ => Asked::Administrative(text("reason", reason, 300, true)?),
        };
        let from = date("from", &input.from)?.ok_or(AppError::invalid("from", Code::Required))?;
        let to = date("to", &input.to)?.ok_or(AppError::invalid("to", Code::Required))?;
        if to < from {
            return Err(AppError::invalid("to", Code::BeforeFrom));
        }
        // Unpaid leave may run for years (657 m.108/B: twenty-four months;
        // its own limits are checked below); other leave one year at most.
        let (span, years_ahead) = match asked {
            Asked::Unpaid(_) => (3 * rules::MAX_SPAN_DAYS, 3),
            _ => (rules::MAX_SPAN_DAYS, 1),
        };
        if (to - from).whole_days() >= span {
            return Err(AppError::invalid("to", Code::OutOfRange));
        }
        // Last year (a leave written down late) to next year (planned).
        let this_year = domain::local::date(now()).year();
        if from.year() < this_year - 1 {
            return Err(AppError::invalid("from", Code::OutOfRange));
        }
        if to.year() > this_year + years_ahead {
            return Err(AppError::invalid("to", Code::OutOfRange));
        }
        let address = lines(
            "address",
            input.address.as_deref().unwrap_or(""),
            500,
            false,
        )?;
        let note = lines("note", input.note.as_deref().unwrap_or(""), 1000, false)?;
        let cal = self.calendar().await?;
        let mut w = self.write().await?;
        let staff_id = store::staff::of_user(&mut w, actor.id)
            .await?
            .ok_or(AppError::Conflict(Code::NoLeaveHere))?;
        // Someone here must be able to approve it: the person holds a post
        // now, below one that approves leave.
        let own = store::authority::own_facts(&mut w, actor.id).await?;
        if !domain::authority::holds_post(&own, actor.id, w.at()) {
            return Err(AppError::Conflict(Code::NoPosition));
        }
        if !rules::has_approver(&self.profile, &own, actor.id, w.at()) {
            return Err(AppError::Conflict(Code::LeaveNoApprover));
        }
        self.refuse_closed(&mut w, "from", from, to).await?;
        let by_year = match &asked {
            Asked::Annual => {
                let record = self.leave_record(&mut w, staff_id).await?;
                let (used, pending) = store::leave::year_totals(&mut w, staff_id).await?;
                rules::check_request_counted(
                    &record,
                    &cal,
                    from,
                    to,
                    &halves(&used),
                    &halves(&pending),
                    self.weekends_inside(record.law),
                )
                .map_err(refusal)?
            }
            Asked::Unpaid(g) => {
                let e = store::leave::employment(&mut w, staff_id).await?;
                let law = Law::of_kind(&e.kind).ok_or(AppError::Conflict(Code::NoLeaveHere))?;
                let limit = rules::unpaid_limit(law, *g, self.leave.isci_unpaid_agreement_days());
                let service = match (limit, e.service_start) {
                    (Some(l), None) if l.min_service_years > 0 => {
                        return Err(AppError::Conflict(Code::NoServiceStart))
                    }
                    (_, Some(start)) => rules::whole_years(start, from),
                    (_, None) => 0,
                };
                let held = store::leave::spans_of(&mut w, staff_id, "unpaid", g.code()).await?;
                rules::check_unpaid(limit, service, from, to, &held).map_err(|r| match r {
                    rules::UnpaidRefusal::NotUnderLaw => {
                        AppError::invalid("reason", Code::UnpaidNotUnderLaw)
                    }
                    rules::UnpaidRefusal::TooLittleService { .. } => {
                        AppError::invalid("reason", Code::UnpaidTooLittleService)
                    }
                    rules::UnpaidRefusal::TooLong { .. } => {
                        AppError::invalid("to", Code::UnpaidTooLong)
                    }
                    rules::UnpaidRefusal::TooManyParts { .. } => {
                        AppError::invalid("reason", Code::UnpaidTooManyParts)
                    }
                    rules::UnpaidRefusal::Spent { remaining } => AppError::beyond(
                        "to",
                        Code::UnpaidSpent,
                        remaining as f64,
                        crate::LeftUnit::Days,
                    ),
                })?
            }
            Asked::Administrative(_) => {
                let held = store::leave::kind_year_totals(&mut w, staff_id, "administrative", None)
                    .await?;
                rules::check_administrative(
                    &cal,
                    from,
                    to,
                    self.leave.administrative_days_per_year(),
                    &halves(&held),
                )
                .map_err(|r| match r {
                    rules::ExcuseRefusal::NoWorkingDay => {
                        AppError::invalid("from", Code::NoWorkingDay)
                    }
                    rules::ExcuseRefusal::YearSpent { remaining } => AppError::beyond(
                        "to",
                        Code::AdministrativeYearSpent,
                        remaining.as_f64(),
                        crate::LeftUnit::Days,
                    ),
                    _ => AppError::invalid("to", Code::AdministrativeYearSpent),
                })?
            }
            Asked::Excuse(e) => {
                let e = *e;
                let law = Law::of_kind(&store::leave::employment(&mut w, staff_id).await?.kind)
                    .ok_or(AppError::Conflict(Code::NoLeaveHere))?;
                let held = store::leave::excuse_year_totals(&mut w, staff_id, e.code()).await?;
                rules::check_excuse_with(
                    self.leave.excuse_limit(law, e),
                    &cal,
                    from,
                    to,
                    &halves(&held),
                )
                .map_err(|r| match r {
                    rules::ExcuseRefusal::NotUnderLaw => {
                        AppError::invalid("reason", Code::ExcuseNotUnderLaw)
                    }
                    rules::ExcuseRefusal::TooLong { .. } => {
                        AppError::invalid("to", Code::ExcuseTooLong)
                    }
                    rules::ExcuseRefusal::YearSpent { remaining } => AppError::beyond(
                        "to",
                        Code::ExcuseYearSpent,
                        remaining.as_f64(),
                        crate::LeftUnit::Days,
                    ),
                    rules::ExcuseRefusal::NoWorkingDay => {
                        AppError::invalid("from", Code::NoWorkingDay)
                    }
                })?
            }
        };
        // What the law refuses is said first; then an overlap.
        if store::leave::overlapping(&mut w, staff_id, from, to)
            .await?
            .is_some()
        {
            return Err(AppError::Conflict(Code::LeaveOverlap));
        }
        let total = by_year.values().fold(Halves(0), |a, b| a + *b);
        let id = store::leave::insert(
            &mut w,
            &store::leave::NewLeave {
                staff_id,
                user_id: actor.id,
                kind: kind.to_owned(),
                reason: asked.reason(),
                start_date: from,
                end_date: to,
                halves: i64::from(total.0),
                address,
                note,
                years: by_year.iter().map(|(y, h)| (*y, i64::from(h.0))).collect(),
            },
        )
        .await?;
        w.commit(Audit::new(
            &Grant::own_account(actor),
            "leave.requested",
            format!("leave:{id}"),
            serde_json::json!({"kind": kind, "reason": asked.reason(), "from": from.to_string(), "to": to.to_string(), "days": total.as_f64()}),
        ))
        .await?;
        self.leave_request(actor, id).await
    }

    /// Whether the request of `requester` waits for a Şef's initials: a
    /// post directly above theirs initials, and someone (not themself)
    /// holds it today.
    async fn initials_expected(
        &self,
        c: &mut impl store::Conn,
        facts: &impl Facts,
        requester: i64,
    ) -> Result<bool> {
        let at = now();
        let posts = rules::initialling_posts(&self.profile, facts, requester, at);
        Ok(store::leave::holders_on(c, &posts, domain::local::date(at))
            .await?
            .into_iter()
            .any(|u| u != requester))
    }

    /// The Şef initials, or the approver decides.
    pub async fn decide_leave(
        &self,
        actor: &User,
        id: i64,
        input: &LeaveDecisionInput,
    ) -> Result<LeaveView> {
        let note = lines("note", input.note.as_deref().unwrap_or(""), 1000, false)?;
        if input.decision != Decision::Approve && note.is_empty() {
            return Err(AppError::invalid("note", Code::Required));
        }
        let mut w = self.write().await?;
        let l = store::leave::get(&mut w, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut facts = self.facts(&mut w, actor.id).await?;
        store::authority::add_holdings(&mut w, &mut facts, &[l.user_id]).await?;
        let expected = self.initials_expected(&mut w, &facts, l.user_id).await?;
        let state = state_of(&l)?;
        let at = w.at();
        // One who may not see it is told it is not there.
        if actor.id != l.user_id
            && rules::step_of(&self.profile, &facts, actor, l.user_id, state, expected, at)
                .is_none()
            && rules::step_of(
                &self.profile,
                &facts,
                actor,
                l.user_id,
                rules::State::Initialled,
                false,
                at,
            )
            .is_none()
            && self
                .may_see_personnel(&mut w, actor, Some(l.user_id))
                .await
                .is_err()
        {
            return Err(AppError::NotFound);
        }
        let (grant, to) = rules::decide(
            &self.profile,
            &facts,
            actor,
            l.user_id,
            state,
            expected,
            input.decision,
            at,
        )?;
        let action = match to {
            State::Initialled => {
                store::leave::initial(&mut w, id, actor.id).await?;
                "leave.initialled"
            }
            _ => {
                store::leave::decide(
                    &mut w,
                    id,
                    to.as_str(),
                    actor.id,
                    &note,
                    &grant.basis_text(),
                )
                .await?;
                if to == State::Approved {
                    // A closed month changes only by correction; a report
                    // already recorded takes its days back at once.
                    self.refuse_closed(&mut w, "to", l.start_date, l.end_date)
                        .await?;
                    if l.kind == "annual" {
                        self.interrupt_leave(&mut w, l.staff_id, Some(id), None)
                            .await?;
                        // What remained of the year, as the form prints it.
                        let year = l.start_date.year();
                        let b = self.balance_of(&mut w, l.staff_id, year).await?;
                        // What the year has, less what is approved (this
                        // leave included); what still waits is not decided.
                        let left = (b.entitlement + b.carried_over).saturating_sub(b.used);
                        store::leave::set_remaining_after(
                            &mut w,
                            id,
                            i64::from(year),
                            i64::from(left.0),
                        )
                        .await?;
                    }
                }
                match to {
                    State::Approved => "leave.approved",
                    State::Returned => "leave.returned",
                    _ => "leave.rejected",
                }
            }
        };
        w.commit(Audit::new(
            &grant,
            action,
            format!("leave:{id}"),
            serde_json::json!({"note": note}),
        ))
        .await?;
        self.leave_request(actor, id).await
    }

    /// One request: the person's, the deciders', the Kalem's, a superior's.
    /// Read by anyone but the person and those it waits on, the read is
    /// logged (KVKK m.12): it holds where the person is during the leave.
    pub async fn leave_request(&self, reader: &User, id: i64) -> Result<LeaveView> {
        let mut c = self.read().await?;
        let l = store::leave::get(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut facts = self.facts(&mut c, reader.id).await?;
        store::authority::add_holdings(&mut c, &mut facts, &[l.user_id]).await?;
        let state = state_of(&l)?;
        let expected = self.initials_expected(&mut c, &facts, l.user_id).await?;
        let step = rules::step_of(
            &self.profile,
            &facts,
            reader,
            l.user_id,
            state,
            expected,
            now(),
        )
        .map(|s| s.0);
        if step.is_none() && reader.id != l.user_id {
            drop(c);
            let mut w = self.write().await?;
            let grant = self
                .may_see_personnel(&mut w, reader, Some(l.user_id))
                .await
                .map_err(|_| AppError::NotFound)?;
            w.commit(Audit::new(
                &grant,
                "leave.viewed",
                format!("leave:{id}"),
                serde_json::json!({}),
            ))
            .await?;
        }
        view(l, step)
    }

    /// The leave page, with the balance of `year` (default this year;
    /// next year's may be looked at for planning).
    pub async fn my_leave(&self, reader: &User, year: Option<i64>) -> Result<MyLeave> {
        let year = balance_year(year)?;
        let mut c = self.read().await?;
        let staff_id = store::staff::of_user(&mut c, reader.id).await?;
        let mut kinds = Vec::new();
        let (balance, why, requests) = match staff_id {
            None => (None, Some(Code::NoLeaveHere), Vec::new()),
            Some(s) => {
                let name = store::staff::get(&mut c, s).await?.full_name;
                if let Some(law) = Law::of_kind(&store::leave::employment(&mut c, s).await?.kind) {
                    kinds.push("annual".to_owned());
                    for e in rules::Excuse::ALL {
                        if self.leave.excuse_limit(law, e).is_some() {
                            kinds.push(format!("excuse:{}", e.code()));
                        }
                    }
                    for g in rules::Unpaid::ALL {
                        if rules::unpaid_limit(law, g, self.leave.isci_unpaid_agreement_days())
                            .is_some()
                        {
                            kinds.push(format!("unpaid:{}", g.code()));
                        }
                    }
                    kinds.push("administrative".to_owned());
                }
                let (b, why) = match self.balance_of(&mut c, s, year).await {
                    Ok(b) => (Some(balance_view(name, b)), None),
                    Err(AppError::Conflict(code)) => (None, Some(code)),
                    Err(e) => return Err(e),
                };
                let list = store::leave::of_staff(&mut c, s, LIST_LIMIT)
                    .await?
                    .into_iter()
                    .map(|l| view(l, None))
                    .collect::<Result<Vec<_>>>()?;
                (b, why, list)
            }
        };
        Ok(MyLeave {
            balance,
            why: why.map(|c| c.as_str().to_owned()),
            requests,
            waiting: self.leave_waiting(&mut c, reader).await?,
            kinds,
        })
    }

    /// The undecided requests `reader` may initial or decide now.
    pub(crate) async fn leave_waiting(
        &self,
        c: &mut impl store::Conn,
        reader: &User,
    ) -> Result<Vec<LeaveView>> {
        let open = store::leave::open(c).await?;
        if open.is_empty() {
            return Ok(Vec::new());
        }
        let mut facts = self.facts(c, reader.id).await?;
        let mut people: Vec<i64> = open.iter().map(|l| l.user_id).collect();
        people.sort_unstable();
        people.dedup();
        store::authority::add_holdings(c, &mut facts, &people).await?;
        let at = now();
        let mut expected: BTreeMap<i64, bool> = BTreeMap::new();
        let mut out = Vec::new();
        for l in open {
            let state = state_of(&l)?;
            let e = match expected.get(&l.user_id) {
                Some(e) => *e,
                None => {
                    let e = self.initials_expected(c, &facts, l.user_id).await?;
                    expected.insert(l.user_id, e);
                    e
                }
            };
            if let Some((step, _)) =
                rules::step_of(&self.profile, &facts, reader, l.user_id, state, e, at)
            {
                // The decider sees what the year keeps: what it has less
                // what is approved and waits, this request included.
                let left = if l.kind == "annual" {
                    match self.balance_of(c, l.staff_id, l.start_date.year()).await {
                        Ok(b) => Some(b.remaining),
                        Err(AppError::Conflict(_)) => None,
                        Err(e) => return Err(e),
                    }
                } else {
                    None
                };
                let mut v = view(l, Some(step))?;
                v.remaining_if_approved = left;
                out.push(v);
            }
        }
        Ok(out)
    }

    /// How many requests wait on `reader` (the dashboard).
    pub async fn leave_waiting_count(&self, reader: &User) -> Result<usize> {
        let mut c = self.read().await?;
        Ok(self.leave_waiting(&mut c, reader).await?.len())
    }

    /// The İzin Onay Formu of an approved request, as PDF.
    pub async fn leave_form(&self, reader: &User, id: i64) -> Result<Vec<u8>> {
        let l = self.leave_request(reader, id).await?;
        if l.state != State::Approved {
            return Err(AppError::Conflict(Code::LeaveNotApproved));
        }
        let mut c = self.read().await?;
        let stored = store::leave::get(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let staff = store::staff::get(&mut c, stored.staff_id).await?;
        let at = l.decided_at.unwrap_or_else(now);
        let title = staff
            .current(at)
            .next()
            .or(staff.appointments.last())
            .and_then(|a| self.profile.position(&a.position))
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let kind_name = self
            .profile
            .staff_kinds()
            .iter()
            .find(|k| k.id == staff.kind)
            .map(|k| k.name.clone())
            .unwrap_or_default();
        let law = Law::of_kind(&staff.kind);
        let excuse = rules::Excuse::parse(&l.reason).filter(|_| l.kind == "excuse");
        let unpaid = rules::Unpaid::parse(&l.reason).filter(|_| l.kind == "unpaid");
        let (form_title, kind_line, unit) = match excuse {
            None if l.kind == "administrative" => (
                "İDARİ İZİN ONAY FORMU",
                format!("İdari izin — dayanağı: {}", l.reason),
                "iş günü",
            ),
            None if unpaid.is_some() => {
                let g = unpaid.unwrap_or(rules::Unpaid::General);
                let basis = law
                    .and_then(|law| {
                        rules::unpaid_limit(law, g, self.leave.isci_unpaid_agreement_days())
                    })
                    .map(|x| x.basis)
                    .unwrap_or("");
                (
                    if law == Some(Law::Isci) {
                        "ÜCRETSİZ İZİN ONAY FORMU"
                    } else {
                        "AYLIKSIZ İZİN ONAY FORMU"
                    },
                    format!("{} ({basis})", g.name_tr()),
                    "gün (hafta sonu ve tatiller dahil)",
                )
            }
            None => (
                "YILLIK İZİN ONAY FORMU",
                format!("Yıllık izin ({})", law.map(Law::basis).unwrap_or("")),
                "iş günü",
            ),
            Some(e) => {
                let limit = law.and_then(|law| self.leave.excuse_limit(law, e));
                let why = match e {
                    rules::Excuse::Marriage => "evlenme",
                    rules::Excuse::Death => "ölüm",
                    rules::Excuse::Paternity => "babalık izni (eşinin doğumu)",
                    rules::Excuse::Discretionary => "birim amirinin muvafakatiyle",
                    rules::Excuse::Maternity => "analık izni (doğum)",
                    rules::Excuse::MaternityMultiple => "analık izni (çoğul gebelik)",
                    rules::Excuse::Adoption => "evlat edinme (çocuğun teslimi)",
                    rules::Excuse::DisabledChild => "engelli veya süreğen hastalığı olan çocuk",
                };
                (
                    "MAZERET İZNİ ONAY FORMU",
                    format!(
                        "Mazeret izni — {why} ({})",
                        limit.map(|x| x.2).unwrap_or("")
                    ),
                    if matches!(
                        limit,
                        Some((
                            _,
                            rules::Counting::Calendar | rules::Counting::CalendarPerYear,
                            _
                        ))
                    ) {
                        "gün (hafta sonu ve tatiller dahil)"
                    } else {
                        "iş günü"
                    },
                )
            }
        };
        drop(c);
        let cal = self.calendar().await?;
        let heading = self.heading_lines().await?;
        let io = |e: std::io::Error| AppError::Internal(e.into());
        let mut pdf = PdfWriter::new(
            Vec::new(),
            A4,
            &format!("İzin Onay Formu {}", l.person_name),
        )
        .map_err(io)?;
        let (w, m) = (A4.0, 60.0);
        let mut p = pdf.page();
        let mut y = p.heading(w / 2.0, 55.0, &heading) + 14.0;
        p.text_center(w / 2.0, y, 14.0, true, form_title);
        y += 30.0;
        let mut rows: Vec<(&str, String)> = vec![
            ("Adı Soyadı", l.person_name.clone()),
            ("Unvanı", title),
            ("Statüsü", kind_name),
            ("İzin türü", kind_line),
            ("İzne başlama tarihi", date_tr(l.from)),
            ("İzin bitiş tarihi", date_tr(l.to)),
            ("İzin süresi", format!("{} {unit}", l.days_tr)),
            ("Göreve başlama tarihi", date_tr(back_at_work(&cal, l.to))),
            ("İzin adresi", l.address.clone()),
            ("Talep tarihi", time_tr(l.created_at)),
        ];
        if let (Some(year), Some(left)) = (stored.balance_year, stored.remaining_after) {
            rows.push((
                "Kalan izin",
                format!(
                    "{year} yılından {} gün (onay tarihinde, bu izin düşülmüştür)",
                    Halves(u32::try_from(left).unwrap_or(0)).to_tr()
                ),
            ));
        }
        for (label, value) in &rows {
            p.text(m, y, 10.5, true, label);
            let mut first = true;
            for line in wrap(value, 10.5, w - m - 200.0) {
                if !first {
                    y += 14.0;
                }
                p.text(m + 150.0, y, 10.5, false, &line);
                first = false;
            }
            y += 20.0;
        }
        y += 30.0;
        let initial = (
            "Paraf (birim amiri)",
            l.initialled_by_name
                .as_ref()
                .map(|n| format!("{n} — {}", l.initialled_at.map(time_tr).unwrap_or_default()))
                .unwrap_or_else(|| "—".to_owned()),
        );
        // The approver's title, from the post the approval was given from.
        let approver_title = stored
            .decision_basis
            .split(['(', ')', ',', ' '])
            .find_map(|w| self.profile.position(w))
            .map(|p| format!(" ({})", p.name))
            .unwrap_or_default();
        let approval = (
            "OLUR",
            format!(
                "{}{approver_title} — {}",
                l.decided_by_name.clone().unwrap_or_default(),
                l.decided_at.map(time_tr).unwrap_or_default()
            ),
        );
        p.signatures(
            m,
            w / 2.0 + 10.0,
            w - m,
            y,
            (initial.0, &initial.1),
            (approval.0, &approval.1),
        );
        p.text(
            m,
            A4.1 - 40.0,
            8.0,
            false,
            &format!("İzin talebi no {} · Mudurluk", l.id),
        );
        pdf.add(p).map_err(io)?;
        pdf.finish().map_err(io)
    }
}

/// The first working day after a leave (the office's calendar: idari
/// izin days are off too).
fn back_at_work(cal: &domain::calendar::Calendar, last: Date) -> Date {
    let mut d = last;
    for _ in 0..60 {
        match d.next_day() {
            Some(n) => d = n,
            None => break,
        }
        if cal.is_planning_working_day(d) {
            break;
        }
    }
    d
}

/// The year a balance is asked for: this year by default, from 2000 to
/// next year.
fn balance_year(year: Option<i64>) -> Result<i32> {
    let this_year = domain::local::date(now()).year();
    match year {
        None => Ok(this_year),
        Some(y) if (2000..=i64::from(this_year) + 1).contains(&y) => Ok(y as i32),
        Some(_) => Err(AppError::invalid("year", Code::OutOfRange)),
    }
}

fn halves(m: &BTreeMap<i32, i64>) -> BTreeMap<i32, Halves> {
    m.iter()
        .map(|(y, h)| (*y, Halves(u32::try_from(*h).unwrap_or(0))))
        .collect()
}

fn state_of(l: &store::leave::Leave) -> Result<State> {
    State::parse(&l.state).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!(
            "leave {} has an unknown state {:?}",
            l.id,
            l.state
        ))
    })
}

fn balance_view(person_name: String, b: rules::Balance) -> BalanceView {
    BalanceView {
        person_name,
        year: b.year,
        service_years: b.service_years,
        service_months: b.service_months,
        reckoned_on: b.reckoned_on,
        entitlement: b.entitlement,
        basis: b.basis.to_owned(),
        by_agreement: b.by_agreement,
        carried_over: b.carried_over,
        used: b.used,
        pending: b.pending,
        remaining: b.remaining,
    }
}

fn view(l: store::leave::Leave, my_step: Option<Step>) -> Result<LeaveView> {
    let state = state_of(&l)?;
    let days = Halves(u32::try_from(l.halves).unwrap_or(0));
    Ok(LeaveView {
        form: (state == State::Approved)
            .then(|| format!("/api/v1/leave-requests/{}/form.pdf", l.id)),
        id: l.id,
        person_name: l.person_name,
        kind: l.kind,
        reason: l.reason,
        from: l.start_date,
        to: l.end_date,
        days,
        days_tr: days.to_tr(),
        state,
        address: l.address,
        note: l.note,
        created_at: l.created_at,
        initialled_by_name: l.initialled_by_name,
        initialled_at: l.initialled_at,
        decided_by_name: l.decided_by_name,
        decided_at: l.decided_at,
        decision_note: l.decision_note,
        remaining_if_approved: None,
        my_step,
    })
}
