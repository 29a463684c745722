//! Cases: need-to-know filtered lists, the case page, edits with optimistic concurrency, status changes.

use crate::backend::exchange::policy::{self, Party, Visibility};
use crate::backend::exchange::rules::{CaseCurrent, Open};
use crate::backend::platform::db::parse;
use crate::backend::platform::db::Tx;
use crate::backend::platform::time::shown;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::*;
use chrono::{DateTime, Datelike, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;

/// What the policy needs to decide about one case.
#[derive(Clone, Debug)]
pub struct CaseAccess {
    pub id: i64,
    pub owner: Party,
    pub parties: Vec<Party>,
    pub status: CaseStatus,
    pub version: i64,
    pub tlp: Tlp,
    pub reference: String,
    /// Purged on retention review: a skeleton, read only.
    pub purged: bool,
}

pub async fn access(conn: &mut SqliteConnection, case_id: i64) -> Result<Option<CaseAccess>, AppError> {
    // One statement, one row per party (at least the owner is one): writers check a case under the write
    // lock, where every round trip counts.
    let rows: Vec<AccessRow> = sqlx::query_as(
        "SELECT c.owner_agency_id, a.country AS owner_country, c.status, c.version, c.tlp, c.id, c.reference, \
         c.purged_at IS NOT NULL AS purged, p.agency_id AS party_id, pa.country AS party_country \
         FROM cases c JOIN agencies a ON a.id = c.owner_agency_id \
         LEFT JOIN case_parties p ON p.case_id = c.id LEFT JOIN agencies pa ON pa.id = p.agency_id WHERE c.id = ?",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let mut parties = Vec::with_capacity(rows.len());
    for r in &rows {
        if let (Some(agency_id), Some(country)) = (r.party_id, &r.party_country) {
            parties.push(Party { agency_id, country: parse(country)? });
        }
    }
    Ok(Some(CaseAccess {
        id: first.id,
        owner: Party { agency_id: first.owner_agency_id, country: parse(&first.owner_country)? },
        parties,
        status: parse(&first.status)?,
        version: first.version,
        tlp: parse(&first.tlp)?,
        reference: first.reference.clone(),
        purged: first.purged,
    }))
}

#[derive(sqlx::FromRow)]
struct AccessRow {
    owner_agency_id: i64,
    owner_country: String,
    status: String,
    version: i64,
    tlp: String,
    id: i64,
    reference: String,
    purged: bool,
    party_id: Option<i64>,
    party_country: Option<String>,
}

/// The case if `user` may do `op` on it; a case they are not party to is NotFound, like a missing one.
pub async fn checked(
    conn: &mut SqliteConnection,
    user: &SessionUser,
    id: i64,
    op: crate::backend::exchange::policy::CaseOp,
) -> Result<CaseAccess, AppError> {
    let access = access(conn, id).await?.ok_or(AppError::NotFound)?;
    crate::backend::exchange::policy::ensure_case(user, access.owner, &access.parties, op)?;
    crate::backend::exchange::retention::refuse_if_purged(access.purged && op != crate::backend::exchange::policy::CaseOp::View)?;
    Ok(access)
}

#[derive(Debug)]
pub struct CaseInput {
    pub title: String,
    pub summary: String,
    pub category: Category,
    pub priority: Priority,
    pub tlp: Tlp,
    pub lead_user_id: i64,
    pub party_codes: Vec<String>,
    pub link_references: Vec<String>,
}

/// At most this many agencies party, and linked cases, in one form.
pub const MAX_LISTED: usize = 50;

impl CaseInput {
    /// Parses and checks the case form; every problem is reported at once.
    pub fn parse(form: &CaseForm) -> Result<Self, AppError> {
        let mut p = crate::error::Problems::default();
        let title = form.title.trim().to_string();
        p.check((3..=200).contains(&title.chars().count()), "title", tr!(crate::i18n::reader(), "err-give-case-title-3-200"));
        p.check(form.summary.chars().count() <= 20_000, "summary", tr!(crate::i18n::reader(), "err-summary-limited-20-000-characters"));
        let category = p.parsed(&form.category, "category", tr!(crate::i18n::reader(), "err-choose-category"));
        let priority = p.parsed(&form.priority, "priority", tr!(crate::i18n::reader(), "err-choose-priority"));
        let tlp = p.parsed(&form.tlp, "tlp", tr!(crate::i18n::reader(), "err-choose-handling-code"));
        let lead = p.parsed(&form.lead, "lead", tr!(crate::i18n::reader(), "err-choose-lead-officer"));
        let split = |s: &str| s.split([',', ' ', '\n']).map(|x| x.trim().to_uppercase()).filter(|x| !x.is_empty()).collect::<Vec<_>>();
        let (parties, links) = (split(&form.parties), split(&form.links));
        p.check(
            parties.len() <= MAX_LISTED,
            "parties",
            &tr!(crate::i18n::reader(), "err-name-most-agencies", max_listed = MAX_LISTED as i64),
        );
        p.check(links.len() <= MAX_LISTED, "links", &tr!(crate::i18n::reader(), "err-link-most-cases", max_listed = MAX_LISTED as i64));
        let input = (|| {
            Some(CaseInput {
                title,
                summary: form.summary.trim().to_string(),
                category: category?,
                priority: priority?,
                tlp: tlp?,
                lead_user_id: lead?,
                party_codes: parties,
                link_references: links,
            })
        })();
        p.finish(input)
    }
}

async fn next_reference(tx: &mut Tx, now: DateTime<Utc>) -> Result<String, AppError> {
    let year = now.year();
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO reference_counters (year, last) VALUES (?, 1) \
         ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut **tx)
    .await?;
    Ok(format!("LD-{year}-{n:06}"))
}

/// Resolves agency codes to ids, reporting unknown ones against `field`.
pub async fn agency_ids(conn: &mut SqliteConnection, codes: &[String], field: &str) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::new();
    for code in codes {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM agencies WHERE code = ?").bind(code).fetch_optional(&mut *conn).await?;
        ids.push(id.ok_or_else(|| AppError::field(field, tr!(crate::i18n::reader(), "err-no-agency-code", code = code.to_string())))?);
    }
    Ok(ids)
}

/// The lead must be an active officer or supervisor of the owning agency.
async fn check_lead(tx: &mut Tx, lead: i64, owner_agency: i64) -> Result<(), AppError> {
    let ok: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE id = ? AND agency_id = ? AND status = 'active' AND role != 'admin'")
            .bind(lead)
            .bind(owner_agency)
            .fetch_optional(&mut **tx)
            .await?;
    ok.map(|_| ()).ok_or_else(|| AppError::field("lead", tr!(crate::i18n::reader(), "err-lead-must-active-officer-owning")))
}

/// Makes agencies parties of the case by the owning side's word, in one statement. Those that already are
/// stay as they were: the edit form lists every party, and saving it must not make a party that joined
/// through a thread known to everyone.
pub async fn add_parties(tx: &mut Tx, case_id: i64, agency_ids: &[i64]) -> Result<(), AppError> {
    if agency_ids.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT OR IGNORE INTO case_parties (case_id, agency_id, added_at) ");
    q.push_values(agency_ids, |mut b, a| {
        b.push_bind(case_id).push_bind(*a).push_bind(now);
    });
    q.build().execute(&mut **tx).await?;
    Ok(())
}

/// Makes a request's two ends parties when it is sent; an agency new to the case joins through that thread
/// (`via_request`), and those that already are stay as they were.
pub async fn add_thread_parties(tx: &mut Tx, case_id: i64, request_id: i64, agency_ids: &[i64]) -> Result<(), AppError> {
    let now = Utc::now();
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT OR IGNORE INTO case_parties (case_id, agency_id, added_at, via_request) ");
    q.push_values(agency_ids, |mut b, a| {
        b.push_bind(case_id).push_bind(*a).push_bind(now).push_bind(request_id);
    });
    q.build().execute(&mut **tx).await?;
    Ok(())
}

/// The parties `viewer` is shown: those the owning side named, their own side, and those that joined
/// through a thread that exists for the viewer (`policy::push_request_exists_for`).
pub async fn shown_parties(conn: &mut SqliteConnection, case_id: i64, viewer: &SessionUser) -> Result<Vec<i64>, AppError> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT p.agency_id FROM case_parties p WHERE p.case_id = ");
    q.push_bind(case_id).push(" AND ");
    push_party_shown(&mut q, viewer, "p");
    Ok(q.build_query_scalar().fetch_all(conn).await?)
}

/// `<party row alias is shown to viewer>`: named by the owning side, the viewer's own side, or joined
/// through a thread that exists for the viewer. The party list and the case history both ask this.
fn push_party_shown(q: &mut QueryBuilder<'_, Sqlite>, viewer: &SessionUser, alias: &str) {
    q.push(format!("({alias}.via_request IS NULL OR "));
    policy::push_on_side(q, viewer, &format!("{alias}.agency_id"), &format!("(SELECT country FROM agencies WHERE id = {alias}.agency_id)"));
    q.push(format!(" OR EXISTS (SELECT 1 FROM requests r WHERE r.id = {alias}.via_request"));
    policy::push_request_exists_for(q, viewer);
    q.push("))");
}

/// Links to cases the user can see, by reference; both directions are stored.
async fn set_links(tx: &mut Tx, case_id: i64, references: &[String], vis: Visibility) -> Result<(), AppError> {
    sqlx::query("DELETE FROM case_links WHERE case_id = ? OR other_case_id = ?").bind(case_id).bind(case_id).execute(&mut **tx).await?;
    for r in references {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT c.id FROM cases c WHERE c.reference = ");
        q.push_bind(r.clone());
        vis.push_sql(&mut q, "c.id");
        let other: Option<i64> = q.build_query_scalar().fetch_optional(&mut **tx).await?;
        let other =
            other.ok_or_else(|| AppError::field("links", tr!(crate::i18n::reader(), "err-no-case-you-can-see", r = r.to_string())))?;
        if other == case_id {
            return Err(AppError::field("links", tr!(crate::i18n::reader(), "err-case-cannot-linked-itself")));
        }
        for (a, b) in [(case_id, other), (other, case_id)] {
            sqlx::query("INSERT OR IGNORE INTO case_links (case_id, other_case_id, created_at) VALUES (?, ?, ?)")
                .bind(a)
                .bind(b)
                .bind(Utc::now())
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

pub async fn create(tx: &mut Tx, user: &SessionUser, vis: Visibility, input: &CaseInput) -> Result<(i64, String), AppError> {
    check_lead(tx, input.lead_user_id, user.agency_id).await?;
    let parties = agency_ids(tx, &input.party_codes, "parties").await?;
    let now = Utc::now();
    let reference = next_reference(tx, now).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cases (reference, title, summary, category, priority, status, tlp, owner_agency_id, lead_user_id, \
         created_by, created_at, updated_by, updated_at) VALUES (?,?,?,?,?,'open',?,?,?,?,?,?,?) RETURNING id",
    )
    .bind(&reference)
    .bind(&input.title)
    .bind(&input.summary)
    .bind(input.category.as_str())
    .bind(input.priority.as_str())
    .bind(input.tlp.as_str())
    .bind(user.agency_id)
    .bind(input.lead_user_id)
    .bind(user.id)
    .bind(now)
    .bind(user.id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let mut all = vec![user.agency_id];
    all.extend(parties);
    add_parties(tx, id, &all).await?;
    set_links(tx, id, &input.link_references, vis).await?;
    Ok((id, reference))
}

/// Saves an edit only if nobody saved since the editor loaded `expected_version`.
pub async fn update(
    tx: &mut Tx,
    user: &SessionUser,
    vis: Visibility,
    id: i64,
    expected_version: i64,
    input: &CaseInput,
    zone: &str,
) -> Result<(), AppError> {
    let owner: i64 = sqlx::query_scalar("SELECT owner_agency_id FROM cases WHERE id = ?").bind(id).fetch_one(&mut **tx).await?;
    check_lead(tx, input.lead_user_id, owner).await?;
    let parties = agency_ids(tx, &input.party_codes, "parties").await?;
    let done = sqlx::query(
        "UPDATE cases SET title = ?, summary = ?, category = ?, priority = ?, tlp = ?, lead_user_id = ?, \
         version = version + 1, updated_by = ?, updated_at = ? WHERE id = ? AND version = ?",
    )
    .bind(&input.title)
    .bind(&input.summary)
    .bind(input.category.as_str())
    .bind(input.priority.as_str())
    .bind(input.tlp.as_str())
    .bind(input.lead_user_id)
    .bind(user.id)
    .bind(Utc::now())
    .bind(id)
    .bind(expected_version)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        let (name, at): (String, DateTime<Utc>) =
            sqlx::query_as("SELECT u.display_name, c.updated_at FROM cases c JOIN users u ON u.id = c.updated_by WHERE c.id = ?")
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
        return Err(AppError::Conflict(tr!(
            crate::i18n::reader(),
            "err-case-changed-meanwhile",
            name = name,
            at = crate::backend::platform::time::display(at, zone)
        )));
    }
    // Parties are only ever added by an edit: removing one would silently cut off an agency mid-exchange.
    add_parties(tx, id, &parties).await?;
    set_links(tx, id, &input.link_references, vis).await?;
    Ok(())
}

pub async fn set_status(tx: &mut Tx, user: &SessionUser, id: i64, to: CaseStatus) -> Result<(), AppError> {
    let now = Utc::now();
    sqlx::query("UPDATE cases SET status = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?")
        .bind(to.as_str())
        .bind(user.id)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    // Closing starts the retention clock, reopening stops it.
    crate::backend::exchange::retention::on_status_change(tx, id, to, now).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    reference: String,
    title: String,
    category: String,
    priority: String,
    status: String,
    tlp: String,
    owner_code: String,
    lead_name: String,
    updated_at: DateTime<Utc>,
    open_requests: i64,
}

/// The case list's query up to its filters: each case with its count of open requests the viewer may know
/// of (a thread between other parties is not counted: `policy::push_request_visible`).
fn summary_select(vis: Visibility) -> QueryBuilder<'static, Sqlite> {
    let mut q = QueryBuilder::new(format!(
        "SELECT c.id, c.reference, c.title, c.category, c.priority, c.status, c.tlp, \
         a.code AS owner_code, u.display_name AS lead_name, c.updated_at, \
         (SELECT COUNT(*) FROM requests r WHERE r.case_id = c.id AND {}",
        Open::SQL
    ));
    crate::backend::exchange::policy::push_request_visible(&mut q, vis);
    q.push(") AS open_requests FROM cases c JOIN agencies a ON a.id = c.owner_agency_id JOIN users u ON u.id = c.lead_user_id WHERE 1=1");
    q
}

fn summary(r: SummaryRow, zone: &str) -> Result<CaseSummary, AppError> {
    Ok(CaseSummary {
        id: r.id,
        reference: r.reference,
        title: r.title,
        category: parse(&r.category)?,
        priority: parse(&r.priority)?,
        status: parse(&r.status)?,
        tlp: parse(&r.tlp)?,
        owner_agency: r.owner_code,
        lead_name: r.lead_name,
        updated: shown(r.updated_at, zone),
        open_requests: r.open_requests,
    })
}

pub async fn list(conn: &mut SqliteConnection, vis: Visibility, f: &CaseFilter, zone: &str) -> Result<(Vec<CaseSummary>, bool), AppError> {
    let mut q = summary_select(vis);
    push_filter(&mut q, vis, f);
    let size = f.length.rows();
    q.push(" ORDER BY c.updated_at DESC LIMIT ").push_bind(size + 1).push(" OFFSET ").push_bind(f.page as i64 * size);
    let mut rows: Vec<SummaryRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let more = rows.len() as i64 > size;
    rows.truncate(size as usize);
    Ok((rows.into_iter().map(|r| summary(r, zone)).collect::<Result<_, _>>()?, more))
}

/// The ids of every case the list shows for `f` (all its pages), newest change first, at most `limit`:
/// "select all matching this filter".
pub async fn matching_ids(conn: &mut SqliteConnection, vis: Visibility, f: &CaseFilter, limit: usize) -> Result<Vec<i64>, AppError> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT c.id FROM cases c WHERE 1=1");
    push_filter(&mut q, vis, f);
    q.push(" ORDER BY c.updated_at DESC LIMIT ").push_bind(limit as i64);
    Ok(q.build_query_scalar().fetch_all(&mut *conn).await?)
}

/// The most cases one look-up answers.
pub const LOOKUP_LIMIT: i64 = 8;

/// The related-cases look-up: the cases `vis` may see whose reference or title holds `text` (references
/// first, then the most recently changed), at most `LOOKUP_LIMIT`, archived ones too (a link may name one).
pub async fn lookup(conn: &mut SqliteConnection, vis: Visibility, text: &str) -> Result<Vec<CaseChoice>, AppError> {
    let like = crate::backend::platform::db::like_pattern(text);
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT c.reference, c.title FROM cases c WHERE (c.reference LIKE ");
    q.push_bind(like.clone()).push(" ESCAPE '\\' OR c.title LIKE ").push_bind(like.clone()).push(" ESCAPE '\\')");
    vis.push_sql(&mut q, "c.id");
    q.push(" ORDER BY c.reference LIKE ").push_bind(like).push(" ESCAPE '\\' DESC, c.updated_at DESC, c.id DESC LIMIT ");
    q.push_bind(LOOKUP_LIMIT);
    let rows: Vec<(String, String)> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(reference, title)| CaseChoice { reference, title }).collect())
}

/// The references of those of `ids` that `vis` may see (the others are not named back to the user).
pub async fn visible_references(conn: &mut SqliteConnection, vis: Visibility, ids: &[i64]) -> Result<HashMap<i64, String>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT c.id, c.reference FROM cases c WHERE c.id IN (");
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(")");
    vis.push_sql(&mut q, "c.id");
    let rows: Vec<(i64, String)> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().collect())
}

/// `AND` the case list's filters on `c`, need-to-know first: what the list, its CSV and "select all" share.
fn push_filter(q: &mut QueryBuilder<'_, Sqlite>, vis: Visibility, f: &CaseFilter) {
    vis.push_sql(q, "c.id");
    if !f.q.trim().is_empty() {
        let like = crate::backend::platform::db::like_pattern(&f.q);
        q.push(" AND (c.title LIKE ").push_bind(like.clone()).push(" ESCAPE '\\' OR c.reference LIKE ");
        q.push_bind(like.clone()).push(" ESCAPE '\\' OR c.summary LIKE ").push_bind(like).push(" ESCAPE '\\')");
    }
    if f.status == crate::model::CASES_CURRENT {
        q.push(" AND ").push(CaseCurrent::SQL);
    } else if !f.status.is_empty() {
        q.push(" AND c.status = ").push_bind(f.status.clone());
    } else {
        q.push(" AND c.status != 'archived'");
    }
    if let Some(category) = f.category {
        q.push(" AND c.category = ").push_bind(category.as_str());
    }
    if let Some(priority) = f.priority {
        q.push(" AND c.priority = ").push_bind(priority.as_str());
    }
    if let Some(lead) = f.lead {
        q.push(" AND c.lead_user_id = ").push_bind(lead);
    }
    if !f.ids.is_empty() {
        q.push(" AND c.id IN (");
        let mut list = q.separated(", ");
        for id in &f.ids {
            list.push_bind(*id);
        }
        q.push(")");
    }
}

/// Makes `lead` the case's lead; None when they already lead it.
pub async fn set_lead(tx: &mut Tx, user: &SessionUser, case: &CaseAccess, lead: i64) -> Result<Option<i64>, AppError> {
    check_lead(tx, lead, case.owner.agency_id).await?;
    let previous: i64 = sqlx::query_scalar("SELECT lead_user_id FROM cases WHERE id = ?").bind(case.id).fetch_one(&mut **tx).await?;
    if previous == lead {
        return Ok(None);
    }
    sqlx::query("UPDATE cases SET lead_user_id = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?")
        .bind(lead)
        .bind(user.id)
        .bind(Utc::now())
        .bind(case.id)
        .execute(&mut **tx)
        .await?;
    Ok(Some(previous))
}

/// The agency with this code, or an error on `field` saying there is none.
pub async fn agency_by_code(conn: &mut SqliteConnection, code: &str, field: &str) -> Result<AgencyRef, AppError> {
    let row: Option<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, code, name, country FROM agencies WHERE code = ?").bind(code).fetch_optional(&mut *conn).await?;
    let (id, code, name, country) =
        row.ok_or_else(|| AppError::field(field, tr!(crate::i18n::reader(), "err-no-agency-code", code = code.to_string())))?;
    Ok(AgencyRef { id, code, name, country: parse(&country)? })
}

pub async fn agency_ref(conn: &mut SqliteConnection, id: i64) -> Result<AgencyRef, AppError> {
    let mut found = agency_refs(conn, &[id]).await?;
    found.remove(&id).ok_or(AppError::Internal)
}

/// Several agencies in one query, by id (a missing id is a database error, as for one).
pub async fn agency_refs(conn: &mut SqliteConnection, ids: &[i64]) -> Result<HashMap<i64, AgencyRef>, AppError> {
    let list = serde_json::to_string(ids).map_err(|_| AppError::Internal)?;
    let rows: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, code, name, country FROM agencies WHERE id IN (SELECT value FROM json_each(?))")
            .bind(list)
            .fetch_all(&mut *conn)
            .await?;
    let found = rows
        .into_iter()
        .map(|(id, code, name, country)| Ok((id, AgencyRef { id, code, name, country: parse(&country)? })))
        .collect::<Result<HashMap<_, _>, AppError>>()?;
    if ids.iter().any(|id| !found.contains_key(id)) {
        return Err(sqlx::Error::RowNotFound.into());
    }
    Ok(found)
}

/// Audit actions that only look at a case (opening it or one of its requests, a cross-check, opening or
/// downloading a file). Written out word for word in the partial index `audit_events_case_changes`
/// (migrations/0031): SQLite uses a partial index only for a query that states its condition the same way,
/// and without it, finding the changes of a much-read case would step over every view.
pub const VIEW_ACTIONS: &str = "('case.read', 'request.read', 'request.cross_check', 'attachment.read', 'attachment.download')";

/// What the history names an event's object by, for a reader the event is shown to: a request (or its
/// answer, a consent asked about it, what was passed on with it) by its subject, the case by its title, a
/// person, company or vessel by its name. Files and indicators only by number: a file waiting in another
/// side's answer, or an indicator under TLP:AMBER+STRICT or RED, is not the reader's to know by name.
/// Empty (and said by number) once purged.
const OBJECT_LABEL: &str = "CASE object_type \
    WHEN 'request' THEN (SELECT subject FROM requests WHERE id = CAST(object_id AS INTEGER)) \
    WHEN 'response' THEN (SELECT r.subject FROM responses o JOIN requests r ON r.id = o.request_id WHERE o.id = CAST(object_id AS INTEGER)) \
    WHEN 'consent' THEN (SELECT r.subject FROM consents k JOIN requests r ON r.id = k.request_id WHERE k.id = CAST(object_id AS INTEGER)) \
    WHEN 'passed_on' THEN (SELECT r.subject FROM passed_on p JOIN requests r ON r.id = p.request_id WHERE p.id = CAST(object_id AS INTEGER)) \
    WHEN 'case' THEN (SELECT title FROM cases WHERE id = CAST(object_id AS INTEGER)) \
    WHEN 'entity' THEN (SELECT name FROM entities WHERE id = CAST(object_id AS INTEGER)) \
    END";

/// The case's history, from the audit trail: its latest changes, and apart from them its latest views
/// (one statement: each is a hand-over to the connection's thread).
pub async fn history(
    conn: &mut SqliteConnection,
    case_id: i64,
    viewer: &SessionUser,
    zone: &str,
    l: Locale,
) -> Result<CaseHistoryView, AppError> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT *, FALSE AS is_view FROM (");
    push_history(&mut q, case_id, viewer, false, None, HISTORY_CHANGES_SHOWN + 1);
    q.push(") UNION ALL SELECT *, TRUE FROM (");
    push_history(&mut q, case_id, viewer, true, None, HISTORY_VIEWS_SHOWN);
    q.push(")");
    let rows: Vec<HistoryRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let (views, mut changes): (Vec<HistoryRow>, Vec<HistoryRow>) = rows.into_iter().partition(|r| r.is_view);
    let more_changes = changes.len() > HISTORY_CHANGES_SHOWN;
    changes.truncate(HISTORY_CHANGES_SHOWN);
    Ok(CaseHistoryView { changes: entries(changes, zone, l), more_changes, views: entries(views, zone, l) })
}

/// The case's events of one kind (views or changes), newest first, older than `before`, that `viewer` may
/// know of: an event about a request, a response, a request's file, a consent or a passing on belongs to
/// that request's thread,
/// shown only to those the thread exists for (`policy::push_request_exists_for`); how a request was drafted
/// (written, submitted for approval) only to its sending side. People appear by their display name, never
/// their sign-in name.
fn push_history(q: &mut QueryBuilder<'_, Sqlite>, case_id: i64, viewer: &SessionUser, views: bool, before: Option<i64>, limit: usize) {
    use crate::backend::exchange::policy::{push_on_sending_side, push_request_exists_for};
    q.push(
        "SELECT id, at, COALESCE((SELECT display_name FROM users WHERE id = audit_events.user_id), username) AS username, \
         agency_code, action, object_type, object_id, outcome, ",
    );
    q.push(OBJECT_LABEL);
    q.push(" AS object_label FROM audit_events WHERE case_id = ");
    q.push_bind(case_id).push(format!(" AND action {} {VIEW_ACTIONS} AND id < ", if views { "IN" } else { "NOT IN" }));
    q.push_bind(before.unwrap_or(i64::MAX));
    q.push(
        " AND (object_type IS NULL OR object_type NOT IN ('request', 'response', 'attachment', 'consent', 'passed_on') \
         OR (object_type = 'request' AND EXISTS (SELECT 1 FROM requests r WHERE r.id = CAST(object_id AS INTEGER)",
    );
    push_request_exists_for(q, viewer);
    // Consent asked about a response, and information passed on with a request, belong to those threads.
    q.push(")) OR (object_type = 'consent' AND EXISTS (SELECT 1 FROM consents k JOIN requests r ON r.id = k.request_id WHERE k.id = CAST(object_id AS INTEGER)");
    push_request_exists_for(q, viewer);
    q.push(")) OR (object_type = 'passed_on' AND EXISTS (SELECT 1 FROM passed_on p JOIN requests r ON r.id = p.request_id WHERE p.id = CAST(object_id AS INTEGER)");
    push_request_exists_for(q, viewer);
    q.push(")) OR (object_type = 'response' AND EXISTS (SELECT 1 FROM responses o JOIN requests r ON r.id = o.request_id WHERE o.id = CAST(object_id AS INTEGER)");
    push_request_exists_for(q, viewer);
    q.push(
        ")) OR (object_type = 'attachment' AND EXISTS (SELECT 1 FROM attachments t LEFT JOIN requests r ON r.id = t.request_id \
         WHERE t.id = CAST(object_id AS INTEGER) AND (t.request_id IS NULL OR (1",
    );
    push_request_exists_for(q, viewer);
    // A file waiting in an answer not yet sent is its uploader's side's own (`policy::pending_file_visible`):
    // its upload, and its reads, show to the other side only once the answer has gone.
    q.push(
        " AND (t.response_id IS NOT NULL OR t.source_response_id IS NOT NULL OR EXISTS (SELECT 1 FROM users pu \
         JOIN agencies pa ON pa.id = pu.agency_id WHERE pu.id = t.uploaded_by",
    );
    crate::backend::exchange::policy::push_pending_file_visible(q, viewer, "pu.agency_id", "pa.country");
    q.push(")))))))");
    q.push(
        " AND (action NOT IN ('request.create', 'request.submit_for_approval') OR EXISTS (SELECT 1 FROM requests r \
         WHERE r.id = CAST(object_id AS INTEGER)",
    );
    push_on_sending_side(q, viewer);
    q.push("))");
    // What an agency did that the viewer is not shown as a party (it joined through a thread they cannot
    // see) would name it: left out.
    q.push(" AND NOT EXISTS (SELECT 1 FROM case_parties hp JOIN agencies ha ON ha.id = hp.agency_id WHERE hp.case_id = ");
    q.push_bind(case_id).push(" AND ha.code = audit_events.agency_code AND NOT ");
    push_party_shown(q, viewer, "hp");
    q.push(")");
    q.push(" ORDER BY id DESC LIMIT ").push_bind(limit as i64);
}

/// Up to `limit` changes older than the event `before` (the newest when None), newest first, and where the
/// next page starts if there are more.
async fn changes(
    conn: &mut SqliteConnection,
    case_id: i64,
    viewer: &SessionUser,
    before: Option<i64>,
    limit: usize,
    zone: &str,
    l: Locale,
) -> Result<(Vec<HistoryEntry>, Option<i64>), AppError> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("");
    push_history(&mut q, case_id, viewer, false, before, limit + 1);
    let mut rows: Vec<HistoryRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let older = if more { rows.last().map(|r| r.id) } else { None };
    Ok((entries(rows, zone, l), older))
}

/// A page of the case's changes with the case's reference and title, for the history page.
pub async fn changes_page(
    conn: &mut SqliteConnection,
    access: CaseAccess,
    viewer: &SessionUser,
    before: Option<i64>,
    limit: usize,
    zone: &str,
    l: Locale,
) -> Result<ChangesPage, AppError> {
    let title: String = sqlx::query_scalar("SELECT title FROM cases WHERE id = ?").bind(access.id).fetch_one(&mut *conn).await?;
    let (changes, older) = changes(conn, access.id, viewer, before, limit, zone, l).await?;
    Ok(ChangesPage { case_id: access.id, reference: access.reference, title, changes, older })
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    /// Set by `history`, which reads changes and views together.
    #[sqlx(default)]
    is_view: bool,
    id: i64,
    at: String,
    username: Option<String>,
    agency_code: Option<String>,
    action: String,
    object_type: Option<String>,
    object_id: Option<String>,
    outcome: String,
    object_label: Option<String>,
}

fn entries(rows: Vec<HistoryRow>, zone: &str, l: Locale) -> Vec<HistoryEntry> {
    use crate::backend::platform::event_words::{numbered, quoted, sentence, Told};
    rows.into_iter()
        .map(|r| {
            let at = DateTime::parse_from_rfc3339(&r.at).map(|d| d.with_timezone(&Utc)).unwrap_or_default();
            let object = match (r.object_label.as_deref().filter(|t| !t.is_empty()), r.object_id.as_deref()) {
                (Some(label), _) => quoted(l, label),
                (None, Some(id)) => numbered(l, id),
                (None, None) => String::new(),
            };
            let (who, agency) = (r.username.clone().unwrap_or_default(), r.agency_code.clone().unwrap_or_default());
            let said = sentence(l, &r.action, &Told { who: &who, agency: &agency, object: &object, outcome: &r.outcome });
            HistoryEntry {
                said,
                id: r.id,
                at: shown(at, zone),
                who: r.username.unwrap_or_default(),
                agency: r.agency_code.unwrap_or_default(),
                action: r.action,
                object: r.object_type.map(|t| format!("{t} {}", r.object_id.unwrap_or_default())).unwrap_or_default(),
                outcome: r.outcome,
            }
        })
        .collect()
}

/// What the case forms offer this user: every agency, and the leads they may choose (their agency's).
pub async fn form_options(conn: &mut SqliteConnection, user: &SessionUser) -> Result<FormOptions, AppError> {
    let agencies = all_agencies(conn).await?;
    let my_agency = agencies.iter().find(|a| a.id == user.agency_id).cloned().ok_or(AppError::Internal)?;
    let legal_bases = crate::backend::exchange::legal_bases::of_country(conn, user.country, false).await?;
    Ok(FormOptions {
        leads: officers_of(conn, user.agency_id).await?,
        agencies,
        legal_bases,
        my_agency,
        me: user.id,
        time_zone: user.time_zone.clone(),
    })
}

/// Officers and supervisors of an agency, for choosing a lead.
async fn officers_of(conn: &mut SqliteConnection, agency_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, display_name FROM users WHERE agency_id = ? AND status = 'active' AND role != 'admin' ORDER BY display_name",
    )
    .bind(agency_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn all_agencies(conn: &mut SqliteConnection) -> Result<Vec<AgencyRef>, AppError> {
    let rows: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, code, name, country FROM agencies ORDER BY country DESC, code").fetch_all(&mut *conn).await?;
    rows.into_iter().map(|(id, code, name, c)| Ok(AgencyRef { id, code, name, country: parse(&c)? })).collect()
}

#[cfg(test)]
mod form_tests {
    use super::*;

    #[test]
    fn a_case_form_becomes_typed_input_or_reports_every_bad_field() {
        let form = CaseForm {
            title: " Precursor shipments ".into(),
            summary: "Brokers ship ephedrine.".into(),
            category: "drug_precursors".into(),
            priority: "urgent".into(),
            tlp: "amber".into(),
            lead: " 12 ".into(),
            parties: "rcmp, cbsa\nNIA".into(),
            links: "".into(),
        };
        let input = CaseInput::parse(&form).unwrap();
        assert_eq!((input.title.as_str(), input.category, input.lead_user_id), ("Precursor shipments", Category::DrugPrecursors, 12));
        assert_eq!(input.party_codes, ["RCMP", "CBSA", "NIA"]);
        let bad = CaseForm { title: "ab".into(), category: "".into(), priority: "soon".into(), tlp: "".into(), lead: "me".into(), ..form };
        let fields: Vec<String> = CaseInput::parse(&bad).unwrap_err().field_errors().iter().map(|f| f.field.clone()).collect();
        assert_eq!(fields, ["title", "category", "priority", "tlp", "lead"]);
    }
}
