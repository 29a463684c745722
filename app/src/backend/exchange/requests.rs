//! Requests between agencies and their append-only responses: queries, the inbox, status changes.

use crate::backend::exchange::cases::CaseAccess;
use crate::backend::exchange::deadlines;
use crate::backend::exchange::policy::{self, Party, RequestSides, Visibility};
use crate::backend::exchange::rules::{self, DueSoon, ExpectsAnswer, HasBeenSent, Open, Overdue, Unsent};
use crate::backend::platform::db::parse;
use crate::backend::platform::db::Tx;
use crate::error::AppError;
use crate::model::*;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: RequestKind,
    pub subject: String,
    pub body: String,
    pub priority: Priority,
    pub directly_available: bool,
    pub tlp: Tlp,
    pub from_agency_id: i64,
    pub from_country: Country,
    pub to_agency_id: i64,
    pub to_country: Country,
    pub status: RequestStatus,
    pub due_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by_name: Option<String>,
    pub decline_reason: Option<String>,
    pub legal_basis_id: Option<i64>,
    pub legal_basis_note: String,
    pub for_court: bool,
    pub mla_reference: String,
    pub h0: bool,
    pub h1: bool,
    pub h2: bool,
    pub h3: Option<String>,
    /// The case's owning agency and its country.
    pub owner_agency_id: i64,
    pub owner_country: Country,
}

impl RequestRow {
    /// The conditions on the request's own content: the least its answers carry.
    pub fn conditions(&self) -> Conditions {
        Conditions { h0: self.h0, h1: self.h1, h2: self.h2, h3: self.h3.clone() }
    }

    pub fn route(&self) -> Route {
        Route { case_id: self.case_id, from_agency: self.from_agency_id, to_agency: self.to_agency_id }
    }

    pub fn sides(&self) -> RequestSides {
        RequestSides {
            from: Party { agency_id: self.from_agency_id, country: self.from_country },
            to: Party { agency_id: self.to_agency_id, country: self.to_country },
            owner: Party { agency_id: self.owner_agency_id, country: self.owner_country },
            unsent: !HasBeenSent::holds(self.status, self.sent_at),
        }
    }
}

pub async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Option<(RequestRow, CaseAccess)>, AppError> {
    let row: Option<RequestRow> = sqlx::query_as(
        "SELECT r.id, r.case_id, r.kind, r.subject, r.body, r.priority, r.directly_available, r.tlp, r.from_agency_id, \
         fa.country AS from_country, r.to_agency_id, ta.country AS to_country, r.status, r.due_at, r.sent_at, \
         r.acknowledged_at, ab.display_name AS acknowledged_by_name, r.decline_reason, \
         r.legal_basis_id, r.legal_basis_note, r.for_court, r.mla_reference, r.h0, r.h1, r.h2, r.h3, \
         c.owner_agency_id, oa.country AS owner_country \
         FROM requests r JOIN agencies fa ON fa.id = r.from_agency_id JOIN agencies ta ON ta.id = r.to_agency_id \
         JOIN cases c ON c.id = r.case_id JOIN agencies oa ON oa.id = c.owner_agency_id \
         LEFT JOIN users ab ON ab.id = r.acknowledged_by WHERE r.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let access = crate::backend::exchange::cases::access(conn, row.case_id).await?.ok_or(AppError::Internal)?;
    Ok(Some((row, access)))
}

#[derive(Debug)]
pub struct RequestInput {
    pub kind: RequestKind,
    pub subject: String,
    pub body: String,
    pub priority: Priority,
    pub tlp: Tlp,
    pub directly_available: bool,
    pub to_agency_code: String,
    pub requested_due: Option<DateTime<Utc>>,
    /// Saved without sending (the form's "Save as draft").
    pub draft: bool,
    /// The legal basis's code in the sender's country's list (checked against it by `legal_bases::current`).
    pub legal_basis_code: String,
    pub legal_basis_note: String,
    pub for_court: bool,
    pub mla_reference: String,
    pub conditions: Conditions,
}

impl RequestInput {
    /// Parses and checks the request form; `zone` is the sender's, in which the asked due time is written.
    pub fn parse(form: &RequestForm, zone: &str) -> Result<Self, AppError> {
        let mut p = crate::error::Problems::default();
        let kind = p.parsed(&form.kind, "kind", tr!(crate::i18n::reader(), "err-choose-type-request"));
        let subject = form.subject.trim().to_string();
        p.check((3..=200).contains(&subject.chars().count()), "subject", tr!(crate::i18n::reader(), "err-give-subject-3-200-characters"));
        p.check(!form.body.trim().is_empty(), "body", tr!(crate::i18n::reader(), "err-say-what-you-are-asking"));
        p.check(form.body.chars().count() <= 50_000, "body", tr!(crate::i18n::reader(), "err-text-limited-50-000-characters"));
        let priority = p.parsed(&form.priority, "priority", tr!(crate::i18n::reader(), "err-choose-priority"));
        let tlp = p.parsed(&form.tlp, "tlp", tr!(crate::i18n::reader(), "err-choose-handling-code"));
        p.check(!form.to_agency.trim().is_empty(), "to_agency", tr!(crate::i18n::reader(), "err-choose-agency-you-are-asking"));
        let legal_basis_code = form.legal_basis.trim().to_lowercase();
        p.check(!legal_basis_code.is_empty(), "legal_basis", tr!(crate::i18n::reader(), "err-choose-legal-basis-request-from"));
        let legal_basis_note = crate::i18n::plain_text(&form.legal_basis_note);
        p.check(legal_basis_note.chars().count() <= 2000, "legal_basis_note", tr!(crate::i18n::reader(), "err-say-more-about-legal-basis"));
        let mla_reference = crate::i18n::plain_line(&form.mla_reference);
        p.check(
            mla_reference.chars().count() <= MAX_MLA_REFERENCE_CHARS,
            "mla_reference",
            tr!(crate::i18n::reader(), "err-reference-limited-100-characters"),
        );
        let conditions = parse_conditions(&mut p, &form.h0, &form.h1, &form.h2, &form.h3);
        let due = form.due.trim();
        let requested_due = if due.is_empty() {
            None
        } else {
            let parsed = chrono::NaiveDateTime::parse_from_str(due, "%Y-%m-%dT%H:%M")
                .ok()
                .and_then(|naive| zone.parse::<chrono_tz::Tz>().ok().and_then(|tz| naive.and_local_timezone(tz).single()))
                .map(|t| t.with_timezone(&Utc));
            p.check(parsed.is_some(), "due", tr!(crate::i18n::reader(), "err-use-date-time-like-2026"));
            parsed
        };
        let input = (|| {
            Some(RequestInput {
                kind: kind?,
                subject,
                body: form.body.trim().to_string(),
                priority: priority?,
                tlp: tlp?,
                directly_available: matches!(form.directly_available.as_str(), "true" | "on" | "yes"),
                to_agency_code: form.to_agency.trim().to_uppercase(),
                requested_due,
                draft: form.intent == "draft",
                legal_basis_code,
                legal_basis_note,
                for_court: matches!(form.for_court.trim(), "true" | "on" | "yes" | "1"),
                mla_reference,
                conditions,
            })
        })();
        p.finish(input)
    }
}

/// Reads the four condition fields of a form (ticked boxes, H3's words) into `Conditions`.
pub fn parse_conditions(p: &mut crate::error::Problems, h0: &str, h1: &str, h2: &str, h3: &str) -> Conditions {
    let ticked = |v: &str| matches!(v.trim(), "true" | "on" | "yes" | "1");
    let words = crate::i18n::plain_text(h3);
    p.check(words.chars().count() <= 2000, "h3", tr!(crate::i18n::reader(), "err-say-other-restrictions-most-2"));
    Conditions { h0: ticked(h0), h1: ticked(h1), h2: ticked(h2), h3: (!words.is_empty()).then_some(words) }
}

/// Where a new request goes: on which case, from which agency to which.
#[derive(Clone, Copy)]
pub struct Route {
    pub case_id: i64,
    pub from_agency: i64,
    pub to_agency: i64,
}

/// A draft: nothing reaches the other side until it is sent.
/// Makes nobody a party to the case: only sending does.
pub async fn create_draft(tx: &mut Tx, route: Route, input: &RequestInput, user: &SessionUser) -> Result<i64, AppError> {
    insert(tx, route, input, user, RequestStatus::Draft, None, input.requested_due).await
}

/// Checks the request's legal basis against the sender's country's list: its id, for `insert`.
pub async fn legal_basis(conn: &mut SqliteConnection, input: &RequestInput, sender: Country) -> Result<i64, AppError> {
    Ok(crate::backend::exchange::legal_bases::current(conn, sender, &input.legal_basis_code).await?.id)
}

/// Created and sent in one step (one row written instead of a draft then an update, under the write lock):
/// the deadline starts running and the recipient agency becomes a party, as in `mark_sent`.
pub async fn create_sent(
    tx: &mut Tx,
    route: Route,
    input: &RequestInput,
    user: &SessionUser,
    due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    // A supervisor may write on any case of their country; their agency then works on the case, and its
    // officers must see what it sent.
    let id = insert(tx, route, input, user, RequestStatus::Sent, Some(now), due).await?;
    crate::backend::exchange::cases::add_thread_parties(tx, route.case_id, id, &[route.from_agency, route.to_agency]).await?;
    Ok(id)
}

async fn insert(
    tx: &mut Tx,
    route: Route,
    input: &RequestInput,
    user: &SessionUser,
    status: RequestStatus,
    sent_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
) -> Result<i64, AppError> {
    let now = sent_at.unwrap_or_else(Utc::now);
    let basis = legal_basis(tx, input, user.country).await?;
    let c = &input.conditions;
    Ok(sqlx::query_scalar(
        "INSERT INTO requests (case_id, kind, subject, body, priority, directly_available, tlp, from_agency_id, to_agency_id, \
         status, sent_at, due_at, created_by, created_at, updated_at, legal_basis_id, legal_basis_note, for_court, mla_reference, \
         h0, h1, h2, h3) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
    )
    .bind(route.case_id)
    .bind(input.kind.as_str())
    .bind(&input.subject)
    .bind(&input.body)
    .bind(input.priority.as_str())
    .bind(input.directly_available)
    .bind(input.tlp.as_str())
    .bind(route.from_agency)
    .bind(route.to_agency)
    .bind(status.as_str())
    .bind(sent_at)
    .bind(due_at)
    .bind(user.id)
    .bind(now)
    .bind(now)
    .bind(basis)
    .bind(&input.legal_basis_note)
    .bind(input.for_court)
    .bind(&input.mla_reference)
    .bind(c.h0)
    .bind(c.h1)
    .bind(c.h2)
    .bind(&c.h3)
    .fetch_one(&mut **tx)
    .await?)
}

/// The longest mutual-legal-assistance reference kept.
pub const MAX_MLA_REFERENCE_CHARS: usize = 100;

pub async fn set_mla_reference(tx: &mut Tx, id: i64, reference: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE requests SET mla_reference = ?, updated_at = ? WHERE id = ?")
        .bind(reference)
        .bind(Utc::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether the sending agency's supervisors asked to approve requests of this priority.
pub async fn needs_approval(conn: &mut SqliteConnection, from_agency: i64, priority: Priority) -> Result<bool, AppError> {
    let min: Option<String> =
        sqlx::query_scalar("SELECT approval_min_priority FROM agencies WHERE id = ?").bind(from_agency).fetch_one(&mut *conn).await?;
    Ok(min.and_then(|m| m.parse::<Priority>().ok()).is_some_and(|m| priority <= m))
}

/// The supervisors' setting for their agency: requests of `min` priority or more pressing need approval.
pub async fn set_approval_policy(tx: &mut Tx, agency_id: i64, min: Option<Priority>) -> Result<(), AppError> {
    sqlx::query("UPDATE agencies SET approval_min_priority = ? WHERE id = ?")
        .bind(min.map(|p| p.as_str()))
        .bind(agency_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn approval_policy(pool: &SqlitePool, agency_id: i64) -> Result<Option<Priority>, AppError> {
    let min: Option<String> =
        sqlx::query_scalar("SELECT approval_min_priority FROM agencies WHERE id = ?").bind(agency_id).fetch_one(pool).await?;
    Ok(min.and_then(|m| m.parse().ok()))
}

pub async fn set_status(tx: &mut Tx, id: i64, to: RequestStatus) -> Result<(), AppError> {
    sqlx::query("UPDATE requests SET status = ?, updated_at = ? WHERE id = ?")
        .bind(to.as_str())
        .bind(Utc::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sent now: the deadline starts running and the recipient agency becomes a party.
/// The deadline starts running and both ends become parties to the case (why: `create_sent`).
pub async fn mark_sent(tx: &mut Tx, id: i64, route: Route, due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<(), AppError> {
    sqlx::query("UPDATE requests SET status = ?, sent_at = ?, due_at = ?, updated_at = ? WHERE id = ?")
        .bind(RequestStatus::Sent)
        .bind(now)
        .bind(due)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    crate::backend::exchange::cases::add_thread_parties(tx, route.case_id, id, &[route.from_agency, route.to_agency]).await?;
    Ok(())
}

pub async fn mark_acknowledged(tx: &mut Tx, id: i64, user: &SessionUser) -> Result<(), AppError> {
    let now = Utc::now();
    sqlx::query("UPDATE requests SET status = ?, acknowledged_at = ?, acknowledged_by = ?, updated_at = ? WHERE id = ?")
        .bind(RequestStatus::Acknowledged)
        .bind(now)
        .bind(user.id)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn mark_declined(tx: &mut Tx, id: i64, reason: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE requests SET status = ?, decline_reason = ?, updated_at = ? WHERE id = ?")
        .bind(RequestStatus::Declined)
        .bind(reason)
        .bind(Utc::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn mark(tx: &mut Tx, id: i64, to: RequestStatus) -> Result<(), AppError> {
    let now = Utc::now();
    let extra = match to {
        RequestStatus::Answered => ", answered_at = ?",
        RequestStatus::Closed => ", closed_at = ?",
        _ => ", updated_at = ?",
    };
    sqlx::query(&format!("UPDATE requests SET status = ?, updated_at = ?{extra} WHERE id = ?"))
        .bind(to.as_str())
        .bind(now)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug)]
pub struct ResponseInput {
    pub kind: ResponseKind,
    pub body: String,
    pub source_grade: Option<SourceGrade>,
    pub info_grade: Option<InfoGrade>,
    pub tlp: Tlp,
    /// Files this user uploaded to the request for this response.
    pub attachments: Vec<i64>,
    pub conditions: Conditions,
}

/// At most this many files go with one response.
pub const MAX_FILES_PER_RESPONSE: usize = 20;

impl ResponseInput {
    /// Parses and checks the response form. A response carrying information is graded (4x4) and handled
    /// at least as strictly as the request.
    pub fn parse(form: &ResponseForm, request_tlp: Tlp, floor: &Conditions) -> Result<Self, AppError> {
        let mut p = crate::error::Problems::default();
        let kind: Option<ResponseKind> = p.parsed(&form.kind, "kind", tr!(crate::i18n::reader(), "err-choose-what-kind-response"));
        p.check(!form.body.trim().is_empty(), "body", tr!(crate::i18n::reader(), "err-write-response"));
        p.check(form.body.chars().count() <= 50_000, "body", tr!(crate::i18n::reader(), "err-text-limited-50-000-characters"));
        let tlp: Option<Tlp> = p.parsed(&form.tlp, "tlp", tr!(crate::i18n::reader(), "err-choose-handling-code"));
        if let Some(t) = tlp {
            p.check(t >= request_tlp, "tlp", tr!(crate::i18n::reader(), "err-response-tlp-floor", tlp = request_tlp.label()));
        }
        let conditions = parse_conditions(&mut p, &form.h0, &form.h1, &form.h2, &form.h3);
        if !conditions.covers(floor) {
            p.add("conditions", tr!(crate::i18n::reader(), "err-response-conditions-floor", codes = floor.codes().join(", ")));
        }
        let graded = kind.is_some_and(|k| k.carries_information());
        let source = optional(&mut p, &form.source_grade, graded, "source_grade", tr!(crate::i18n::reader(), "err-grade-source"));
        let info = optional(&mut p, &form.info_grade, graded, "info_grade", tr!(crate::i18n::reader(), "err-grade-information"));
        let attachments: Result<Vec<i64>, _> =
            form.attachments.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::parse).collect();
        p.check(attachments.is_ok(), "attachments", tr!(crate::i18n::reader(), "err-attached-files-could-not-read"));
        let count = attachments.as_ref().map_or(0, Vec::len);
        p.check(
            count <= MAX_FILES_PER_RESPONSE,
            "attachments",
            &tr!(crate::i18n::reader(), "err-attach-most-files-response", max_files_per_response = MAX_FILES_PER_RESPONSE as i64),
        );
        let input = (|| {
            Some(ResponseInput {
                kind: kind?,
                body: form.body.trim().to_string(),
                source_grade: source,
                info_grade: info,
                tlp: tlp?,
                attachments: attachments.ok()?,
                conditions,
            })
        })();
        p.finish(input)
    }
}

/// A field that may be left empty unless `required`; a value given must be one of the choices.
fn optional<T: std::str::FromStr>(p: &mut crate::error::Problems, raw: &str, required: bool, field: &str, message: String) -> Option<T> {
    if raw.trim().is_empty() && !required {
        return None;
    }
    p.parsed(raw, field, message)
}

pub async fn insert_response(tx: &mut Tx, request_id: i64, user: &SessionUser, input: &ResponseInput) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO responses (request_id, author_id, agency_id, kind, body, source_grade, info_grade, tlp, created_at, h0, h1, h2, h3) \
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
    )
    .bind(request_id)
    .bind(user.id)
    .bind(user.agency_id)
    .bind(input.kind.as_str())
    .bind(&input.body)
    .bind(input.source_grade.map(|g| g.as_str()))
    .bind(input.info_grade.map(|g| g.as_str()))
    .bind(input.tlp.as_str())
    .bind(Utc::now())
    .bind(input.conditions.h0)
    .bind(input.conditions.h1)
    .bind(input.conditions.h2)
    .bind(&input.conditions.h3)
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn response_request_id(conn: &mut SqliteConnection, response_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT request_id FROM responses WHERE id = ?").bind(response_id).fetch_optional(conn).await?)
}

pub(crate) const SUMMARY_SELECT: &str = "SELECT r.id, r.case_id, c.reference AS case_reference, c.category, r.kind, r.subject, \
    r.priority, r.tlp, r.status, fa.code AS from_code, ta.code AS to_code, r.due_at, r.h0, r.h1, r.h2, r.h3, lb.label AS legal_basis \
    FROM requests r JOIN cases c ON c.id = r.case_id JOIN agencies fa ON fa.id = r.from_agency_id \
    JOIN agencies ta ON ta.id = r.to_agency_id LEFT JOIN legal_bases lb ON lb.id = r.legal_basis_id WHERE 1=1";

#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    id: i64,
    case_id: i64,
    case_reference: String,
    category: String,
    kind: String,
    subject: String,
    priority: String,
    tlp: String,
    status: String,
    from_code: String,
    to_code: String,
    due_at: Option<DateTime<Utc>>,
    h0: bool,
    h1: bool,
    h2: bool,
    h3: Option<String>,
    legal_basis: Option<String>,
}

pub(crate) fn summary(r: SummaryRow, viewer: &SessionUser, now: DateTime<Utc>) -> Result<RequestSummary, AppError> {
    let status: RequestStatus = parse(&r.status)?;
    Ok(RequestSummary {
        id: r.id,
        case_id: r.case_id,
        case_reference: r.case_reference,
        kind: parse(&r.kind)?,
        subject: r.subject,
        priority: parse(&r.priority)?,
        tlp: parse(&r.tlp)?,
        status,
        from_agency: r.from_code,
        to_agency: r.to_code,
        deadline: r
            .due_at
            .filter(|_| !Unsent::holds(status))
            .map(|d| deadlines::describe(status, d, now, &viewer.time_zone, viewer.country)),
        category: parse(&r.category)?,
        conditions: Conditions { h0: r.h0, h1: r.h1, h2: r.h2, h3: r.h3 },
        legal_basis: r.legal_basis,
    })
}

pub async fn for_case(conn: &mut SqliteConnection, case_id: i64, viewer: &SessionUser) -> Result<Vec<RequestSummary>, AppError> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(SUMMARY_SELECT);
    q.push(" AND r.case_id = ").push_bind(case_id);
    policy::push_request_exists_for(&mut q, viewer);
    q.push(" ORDER BY r.id DESC");
    let rows: Vec<SummaryRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let now = Utc::now();
    rows.into_iter().map(|r| summary(r, viewer, now)).collect()
}

/// Requests whose receiving end (incoming), sending end (outgoing) or either end is the viewer's side.
fn push_side(q: &mut QueryBuilder<'_, Sqlite>, viewer: &SessionUser, direction: Direction) {
    let ends: &[(&str, &str)] = match direction {
        Direction::Incoming => &[("r.to_agency_id", "ta.country")],
        Direction::Outgoing => &[("r.from_agency_id", "fa.country")],
        Direction::Both => &[("r.to_agency_id", "ta.country"), ("r.from_agency_id", "fa.country")],
    };
    q.push(" AND (");
    for (i, (agency_col, country_col)) in ends.iter().enumerate() {
        if i > 0 {
            q.push(" OR ");
        }
        policy::push_on_side(q, viewer, agency_col, country_col);
    }
    q.push(")");
}

fn push_filters(q: &mut QueryBuilder<'_, Sqlite>, f: &InboxFilter, direction: Direction) {
    if let Some(priority) = f.priority {
        q.push(" AND r.priority = ").push_bind(priority.as_str());
    }
    if let Some(category) = f.category {
        q.push(" AND c.category = ").push_bind(category.as_str());
    }
    if !f.counterpart.is_empty() {
        match direction {
            Direction::Incoming => q.push(" AND fa.code = ").push_bind(f.counterpart.clone()),
            Direction::Outgoing => q.push(" AND ta.code = ").push_bind(f.counterpart.clone()),
            // `push_bind` writes its own placeholder where it is called.
            Direction::Both => q.push(" AND ").push_bind(f.counterpart.clone()).push(" IN (fa.code, ta.code)"),
        };
    }
}

/// A list's filter as the pages and the API offer it: a status of the list's set (or `REQUESTS_OPEN`), an
/// agency code, weeks within the calendar. Anything else is refused before it is looked up: a filter is part
/// of a kept list's key (`render_cache`), and a week at the calendar's end would overflow the week after it.
pub fn check_filter(f: &InboxFilter) -> Result<(), AppError> {
    use chrono::Datelike;
    let mut p = crate::error::Problems::default();
    let offered = tr!(crate::i18n::reader(), "err-filter-not-offered");
    let status = f.status.is_empty() || f.status == REQUESTS_OPEN || f.status.parse::<RequestStatus>().is_ok();
    p.check(status, "status", offered.clone());
    let code = f.counterpart.len() <= 16 && f.counterpart.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    p.check(code, "counterpart", offered.clone());
    let in_calendar = |week: Option<chrono::NaiveDate>| week.is_none_or(|w| (1970..=9999).contains(&w.year()));
    p.check(in_calendar(f.sent_week) && in_calendar(f.answered_week), "week", offered);
    p.finish(Some(()))
}

/// The officer's day: incoming requests by due time (overdue first), outgoing ones, their cases.
pub async fn inbox(conn: &mut SqliteConnection, viewer: &SessionUser, vis: Visibility, f: &InboxFilter) -> Result<InboxView, AppError> {
    check_filter(f)?;
    let now = Utc::now();
    let zone = viewer.time_zone.as_str();
    let size = f.length.rows();

    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(SUMMARY_SELECT);
    vis.push_sql(&mut q, "r.case_id");
    push_side(&mut q, viewer, Direction::Incoming);
    q.push(" AND ").push(HasBeenSent::SQL);
    if f.status.is_empty() {
        q.push(" AND ").push(Open::SQL);
    } else {
        q.push(" AND r.status = ").push_bind(f.status.clone());
    }
    push_filters(&mut q, f, Direction::Incoming);
    // Earliest due first puts overdue ones at the top; requests without a deadline (notifications) last.
    // The order of the indexes of migration 0027: keep them the same, or every call sorts all of an agency's requests.
    q.push(" ORDER BY r.due_at IS NULL, r.due_at, r.id LIMIT ").push_bind(size + 1).push(" OFFSET ").push_bind(f.page as i64 * size);
    let mut rows: Vec<SummaryRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let incoming_has_more = rows.len() as i64 > size;
    rows.truncate(size as usize);
    let incoming = rows.into_iter().map(|r| summary(r, viewer, now)).collect::<Result<Vec<_>, _>>()?;

    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(SUMMARY_SELECT);
    vis.push_sql(&mut q, "r.case_id");
    push_side(&mut q, viewer, Direction::Outgoing);
    if !f.status.is_empty() {
        q.push(" AND r.status = ").push_bind(f.status.clone());
    } else {
        q.push(" AND r.status NOT IN ('closed', 'withdrawn')");
    }
    push_filters(&mut q, f, Direction::Outgoing);
    q.push(" ORDER BY r.updated_at DESC LIMIT ").push_bind(size);
    let rows: Vec<SummaryRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let outgoing = rows.into_iter().map(|r| summary(r, viewer, now)).collect::<Result<Vec<_>, _>>()?;

    let lead = if viewer.role == Role::Officer { Some(viewer.id) } else { None };
    let case_filter = CaseFilter { category: f.category, priority: f.priority, lead, ..CaseFilter::default() };
    let (my_cases, _) = crate::backend::exchange::cases::list(conn, vis, &case_filter, zone).await?;
    let counterparts =
        crate::backend::exchange::cases::all_agencies(conn).await?.into_iter().filter(|a| a.country != viewer.country).collect();
    // Consent asked of the viewer's side is added by the caller (`consents` builds on this module).
    Ok(InboxView {
        incoming,
        consents: Vec::new(),
        incoming_has_more,
        outgoing,
        my_cases,
        time_zone: viewer.time_zone.clone(),
        counterparts,
    })
}

/// The request list behind the dashboard's figures, filtered. Each dashboard figure's link selects
/// exactly the requests it counts (tested figure by figure).
pub async fn list(pool: &SqlitePool, viewer: &SessionUser, vis: Visibility, f: &InboxFilter) -> Result<RequestPage, AppError> {
    check_filter(f)?;
    let now = Utc::now();
    let direction = f.direction;
    let size = f.length.rows();
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(SUMMARY_SELECT);
    vis.push_sql(&mut q, "r.case_id");
    push_side(&mut q, viewer, direction);
    policy::push_request_exists_for(&mut q, viewer);
    if f.status == crate::model::REQUESTS_OPEN {
        q.push(" AND ").push(Open::SQL);
    } else if !f.status.is_empty() {
        q.push(" AND r.status = ").push_bind(f.status.clone());
    }
    if f.overdue {
        Overdue::push(&mut q, now);
    }
    if f.due_soon {
        DueSoon::push(&mut q, now);
    }
    match f.officer {
        Some(0) => {
            q.push(format!(" AND {} IS NULL", rules::in_charge_sql(viewer.country)));
        }
        Some(officer) => {
            q.push(format!(" AND {} = ", rules::in_charge_sql(viewer.country))).push_bind(officer);
        }
        None => {}
    }
    if let Some(days) = f.window {
        // As the dashboard's timeliness: sent within the window, and a kind that expects an answer.
        q.push(" AND ").push(ExpectsAnswer::SQL);
        q.push(" AND r.sent_at >= ").push_bind(now - chrono::Duration::days(days.min(3660) as i64));
    }
    let midnight = rules::midnight;
    if let Some(week) = f.sent_week {
        q.push(" AND r.sent_at >= ")
            .push_bind(midnight(week))
            .push(" AND r.sent_at < ")
            .push_bind(midnight(week + chrono::Duration::weeks(1)));
    }
    if let Some(week) = f.answered_week {
        // As the dashboard's trend: answers to the requests sent in its 26 weeks.
        q.push(" AND r.answered_at >= ")
            .push_bind(midnight(week))
            .push(" AND r.answered_at < ")
            .push_bind(midnight(week + chrono::Duration::weeks(1)));
        q.push(" AND r.sent_at >= ").push_bind(midnight(rules::trend_start(now)));
    }
    push_filters(&mut q, f, direction);
    // The order of the indexes of migration 0027: keep them the same, or every call sorts all of an agency's requests.
    q.push(" ORDER BY r.due_at IS NULL, r.due_at, r.id LIMIT ").push_bind(size + 1).push(" OFFSET ").push_bind(f.page as i64 * size);
    let mut conn = pool.acquire().await?;
    let mut rows: Vec<SummaryRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let has_more = rows.len() as i64 > size;
    rows.truncate(size as usize);
    let officer_name = match f.officer {
        Some(id) => crate::backend::platform::users::name_in_country(&mut conn, id, viewer.country).await?,
        None => None,
    };
    let counterparts = crate::backend::exchange::cases::all_agencies(&mut conn).await?;
    Ok(RequestPage {
        requests: rows.into_iter().map(|r| summary(r, viewer, now)).collect::<Result<_, _>>()?,
        has_more,
        officer_name,
        counterparts,
    })
}

#[cfg(test)]
mod form_tests {
    use super::*;

    fn request_form() -> RequestForm {
        RequestForm {
            kind: "information".into(),
            subject: "  Buyers' company records ".into(),
            body: "Which companies bought ephedrine?".into(),
            priority: "urgent".into(),
            tlp: "amber".into(),
            directly_available: "on".into(),
            to_agency: " rcmp ".into(),
            due: "2026-12-03T14:00".into(),
            intent: "draft".into(),
            legal_basis: "police".into(),
            h2: "on".into(),
            h3: " Not to be shown to the company ".into(),
            ..RequestForm::default()
        }
    }

    #[test]
    fn a_request_form_becomes_typed_input_with_the_due_time_in_the_senders_zone() {
        let input = RequestInput::parse(&request_form(), "Asia/Kolkata").unwrap();
        assert_eq!((input.kind, input.priority, input.tlp), (RequestKind::Information, Priority::Urgent, Tlp::Amber));
        assert_eq!((input.subject.as_str(), input.to_agency_code.as_str()), ("Buyers' company records", "RCMP"));
        assert!(input.directly_available && input.draft);
        assert_eq!(input.legal_basis_code, "police");
        assert_eq!(input.conditions.codes(), ["H2", "H3"]);
        assert_eq!(input.conditions.h3.as_deref(), Some("Not to be shown to the company"));
        // 14:00 in Delhi is 08:30 UTC.
        assert_eq!(input.requested_due.unwrap().to_rfc3339(), "2026-12-03T08:30:00+00:00");
    }

    #[test]
    fn every_bad_field_of_a_request_is_reported_at_once() {
        let form = RequestForm {
            kind: "gossip".into(),
            subject: "x".into(),
            body: " ".into(),
            priority: "".into(),
            tlp: "white".into(),
            to_agency: "".into(),
            due: "tomorrow".into(),
            legal_basis: " ".into(),
            ..request_form()
        };
        let err = RequestInput::parse(&form, "Asia/Kolkata").unwrap_err();
        let fields: Vec<&str> = err.field_errors().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kind", "subject", "body", "priority", "tlp", "to_agency", "legal_basis", "due"]);
    }

    #[test]
    fn a_response_is_graded_when_it_carries_information_and_its_files_are_ids() {
        let form = ResponseForm {
            kind: "final_answer".into(),
            body: "Two companies.".into(),
            tlp: "amber".into(),
            attachments: "4, 7".into(),
            ..ResponseForm::default()
        };
        let err = ResponseInput::parse(&form, Tlp::Amber, &Conditions::default()).unwrap_err();
        assert!(err.field_message("source_grade").is_some() && err.field_message("info_grade").is_some());
        let graded = ResponseForm { source_grade: "B".into(), info_grade: "2".into(), ..form.clone() };
        let input = ResponseInput::parse(&graded, Tlp::Amber, &Conditions::default()).unwrap();
        assert_eq!((input.source_grade, input.info_grade, input.attachments), (Some(SourceGrade::B), Some(InfoGrade::Two), vec![4, 7]));
        // Looser handling than the request's, a forged file list, a grade outside the scale: refused.
        let err =
            ResponseInput::parse(&ResponseForm { tlp: "green".into(), ..graded.clone() }, Tlp::Amber, &Conditions::default()).unwrap_err();
        assert!(err.field_message("tlp").is_some());
        let err =
            ResponseInput::parse(&ResponseForm { attachments: "4; DROP".into(), ..graded.clone() }, Tlp::Amber, &Conditions::default())
                .unwrap_err();
        assert!(err.field_message("attachments").is_some());
        let err = ResponseInput::parse(&ResponseForm { source_grade: "Z".into(), ..graded.clone() }, Tlp::Amber, &Conditions::default())
            .unwrap_err();
        assert!(err.field_message("source_grade").is_some());
        // Looser conditions than the request's: refused; the same or stricter: kept.
        let floor = Conditions { h2: true, ..Conditions::default() };
        let err = ResponseInput::parse(&ResponseForm { h1: "on".into(), ..graded.clone() }, Tlp::Amber, &floor).unwrap_err();
        assert!(err.field_message("conditions").is_some_and(|m| m.contains("H2")), "{err:?}");
        let kept = ResponseInput::parse(&ResponseForm { h1: "on".into(), h2: "on".into(), ..graded }, Tlp::Amber, &floor).unwrap();
        assert_eq!(kept.conditions.codes(), ["H1", "H2"]);
    }
}
