//! The tamper-evident audit trail. Every event is written in the transaction of the change it records, and
//! chained: hash = SHA-256(previous hash || canonical encoding). The table's triggers refuse UPDATE and
//! DELETE; `verify` finds any row altered behind the triggers' back.

use crate::backend::platform::db::Tx;
use crate::error::AppError;
use crate::model::{AuditEventView, AuditFilter, AuditPage, Country, DetailField, AUDIT_PAGE_SIZE};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// Who did it: the signed-in user, or what is known of an anonymous caller.
#[derive(Clone, Debug, Default)]
pub struct Who {
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub agency_code: Option<String>,
    pub country: Option<Country>,
    pub client_ip: Option<String>,
    /// The API token the call came with, if any: recorded in the event's details as `api_token`, so the
    /// trail shows the owner and which of their tokens acted (the details are in the hash like the rest).
    pub api_token: Option<i64>,
}

impl Who {
    /// A signed-in user, calling from `client_ip`.
    pub fn of(user: &crate::model::SessionUser, client_ip: Option<String>) -> Who {
        Who {
            user_id: Some(user.id),
            username: Some(user.username.clone()),
            agency_code: Some(user.agency_code.clone()),
            country: Some(user.country),
            client_ip,
            api_token: None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Event {
    pub action: &'static str,
    pub object_type: Option<&'static str>,
    pub object_id: Option<String>,
    pub outcome: Outcome,
    /// The case this event concerns, so the case page can show its history.
    pub case_id: Option<i64>,
    /// Never secrets: no passwords, no hashes, no session ids.
    pub details: Value,
}

impl Event {
    pub fn new(action: &'static str) -> Self {
        Event {
            action,
            object_type: None,
            object_id: None,
            outcome: Outcome::Success,
            case_id: None,
            details: Value::Object(Default::default()),
        }
    }
    pub fn on(mut self, object_type: &'static str, id: impl ToString) -> Self {
        self.object_type = Some(object_type);
        self.object_id = Some(id.to_string());
        self
    }
    pub fn case(mut self, case_id: i64) -> Self {
        self.case_id = Some(case_id);
        self
    }
    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }
    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

/// The columns that the hash covers, in their stored text form.
#[derive(Clone, Debug, sqlx::FromRow, serde::Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub agency_code: Option<String>,
    pub country: Option<String>,
    pub client_ip: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub outcome: String,
    pub details: String,
    pub case_id: Option<i64>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    /// Sets `hash` from `prev_hash` and the content.
    pub fn seal(&mut self) {
        self.hash = self.compute_hash(&self.prev_hash);
    }

    fn compute_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        // The content as a JSON array in fixed column order (unambiguous, stable across serde versions),
        // written straight into the hasher: verify hashes millions.
        let fields = (
            self.id,
            &self.at,
            self.user_id,
            &self.username,
            &self.agency_code,
            &self.country,
            &self.client_ip,
            &self.action,
            &self.object_type,
            &self.object_id,
            &self.outcome,
            &self.details,
            self.case_id,
        );
        serde_json::to_writer(&mut h, &fields).expect("writing to a hasher cannot fail");
        hex::encode(h.finalize())
    }

    /// The first schema's form, before events named their case: the same array without `case_id`. Events
    /// written by the first release are in this form, and stay valid after an upgrade.
    fn compute_legacy_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        let fields = (
            self.id,
            &self.at,
            self.user_id,
            &self.username,
            &self.agency_code,
            &self.country,
            &self.client_ip,
            &self.action,
            &self.object_type,
            &self.object_id,
            &self.outcome,
            &self.details,
        );
        serde_json::to_writer(&mut h, &fields).expect("writing to a hasher cannot fail");
        hex::encode(h.finalize())
    }

    /// Whether the stored hash commits to this content: in today's form, or (an event without a case) in
    /// the first release's. Both are commitments to the same values; the legacy form is computed only when
    /// today's does not match, so verifying stays one hash per event.
    fn hash_matches(&self) -> bool {
        self.compute_hash(&self.prev_hash) == self.hash
            || (self.case_id.is_none() && self.compute_legacy_hash(&self.prev_hash) == self.hash)
    }
}

pub fn format_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Appends one event. Call inside the write transaction of the change it records, so the chain's tail
/// cannot move under us and the event commits or rolls back with the change.
pub async fn record(tx: &mut Tx, who: &Who, event: Event) -> Result<(), AppError> {
    record_all(tx, who, [event]).await
}

/// Appends events by the same caller, in order, in one statement: a change that is two events (a request
/// created and sent) goes through SQLite's write lock once.
pub async fn record_all(tx: &mut Tx, who: &Who, events: impl IntoIterator<Item = Event>) -> Result<(), AppError> {
    append(tx, events.into_iter().map(|e| (who, e))).await
}

async fn append<'w>(tx: &mut Tx, events: impl IntoIterator<Item = (&'w Who, Event)>) -> Result<(), AppError> {
    let (mut last_id, mut prev_hash) = match tx.audit_tail().take() {
        Some(tail) => tail,
        None => sqlx::query_as("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?
            .unwrap_or((0, GENESIS.to_string())),
    };
    let at = format_time(Utc::now());
    let mut rows = Vec::new();
    for (who, event) in events {
        let mut row = AuditRow {
            id: last_id + 1,
            at: at.clone(),
            user_id: who.user_id,
            username: who.username.clone(),
            agency_code: who.agency_code.clone(),
            country: who.country.map(|c| c.as_str().to_string()),
            client_ip: who.client_ip.clone(),
            action: event.action.to_string(),
            object_type: event.object_type.map(str::to_string),
            object_id: event.object_id,
            outcome: event.outcome.as_str().to_string(),
            details: with_token(event.details, who.api_token).to_string(),
            case_id: event.case_id,
            prev_hash,
            hash: String::new(),
        };
        row.seal();
        (last_id, prev_hash) = (row.id, row.hash.clone());
        rows.push(row);
    }
    // The tail is taken out above, so a failed insert leaves it unknown (read again next time).
    insert_rows(tx, &mut rows).await?;
    *tx.audit_tail() = Some((last_id, prev_hash));
    Ok(())
}

/// The event's details with the token that acted, if one did.
fn with_token(details: Value, token: Option<i64>) -> Value {
    match (token, details) {
        (None, details) => details,
        (Some(id), Value::Object(mut map)) => {
            map.insert("api_token".into(), Value::from(id));
            Value::Object(map)
        }
        (Some(id), Value::Null) => serde_json::json!({ "api_token": id }),
        (Some(id), other) => serde_json::json!({ "api_token": id, "details": other }),
    }
}

/// Records one event in a transaction of its own (for reads and refusals: nothing else to commit with it),
/// and returns once it is durably committed. Such events from concurrent requests are written together:
/// each one alone cost the writer three statements (savepoint, insert, release), and every page view
/// and search has one.
pub async fn record_alone(db: &crate::backend::platform::db::Db, who: &Who, event: Event) -> Result<(), AppError> {
    let (done, outcome) = tokio::sync::oneshot::channel();
    let alone = db.attached::<Alone>();
    let start = {
        let mut queue = alone.lock();
        queue.events.push((who.clone(), event, done));
        !std::mem::replace(&mut queue.writing, true)
    };
    if start {
        // In a task of its own: the batch holds other requests' events, which must not be lost if this
        // request goes away.
        tokio::spawn(write_alone(db.clone()));
    }
    match outcome.await {
        Ok(result) => result,
        Err(_) => Err(AppError::Internal),
    }
}

/// Events waiting to be written by `record_alone` now (for `/metrics`).
pub fn queued(db: &crate::backend::platform::db::Db) -> usize {
    db.attached::<Alone>().lock().events.len()
}

/// Records that `who` was refused what `event` describes (its outcome becomes Denied), on its own: nothing
/// of a refused call is committed with it. The one way a refusal is audited, wherever it happens.
pub async fn record_refusal(db: &crate::backend::platform::db::Db, who: &Who, event: Event) -> Result<(), AppError> {
    record_alone(db, who, event.outcome(Outcome::Denied)).await
}

type Done = tokio::sync::oneshot::Sender<Result<(), AppError>>;

/// Events waiting for `record_alone`'s writer task, and whether that task is at work.
#[derive(Default)]
pub struct Alone(std::sync::Mutex<AloneQueue>);

#[derive(Default)]
pub struct AloneQueue {
    events: Vec<(Who, Event, Done)>,
    writing: bool,
}

impl Alone {
    fn lock(&self) -> std::sync::MutexGuard<'_, AloneQueue> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Writes what has queued up, in one transaction, until nothing is left; meanwhile the next events queue.
async fn write_alone(db: crate::backend::platform::db::Db) {
    let alone = db.attached::<Alone>();
    loop {
        let batch = {
            let mut queue = alone.lock();
            if queue.events.is_empty() {
                queue.writing = false;
                return;
            }
            // One INSERT binds 15 values a row, and SQLite takes at most 32,766 in a statement.
            let n = queue.events.len().min(1000);
            queue.events.drain(..n).collect::<Vec<_>>()
        };
        let count = batch.len();
        let mut whos = Vec::with_capacity(count);
        let mut events = Vec::with_capacity(count);
        let mut done = Vec::with_capacity(count);
        for (who, event, d) in batch {
            whos.push(who);
            events.push(event);
            done.push(d);
        }
        let result = async {
            let mut tx = db.begin_write().await?;
            append(&mut tx, whos.iter().zip(events)).await?;
            tx.commit_untracked().await?;
            Ok::<_, AppError>(())
        }
        .await;
        if let Err(e) = &result {
            tracing::error!(error = %e, events = count, "audit events of reads could not be written");
        }
        for done in done {
            let _ = done.send(result.clone());
        }
    }
}

/// Appends rows sealed elsewhere (the seeder's bulk path), continuing the chain; empties `rows`.
pub async fn append_sealed(tx: &mut Tx, rows: &mut Vec<AuditRow>) -> Result<(), AppError> {
    // The writer's remembered tail no longer is one.
    *tx.audit_tail() = None;
    insert_rows(tx, rows).await
}

/// Inserts rows in one statement; empties `rows`.
async fn insert_rows(conn: &mut SqliteConnection, rows: &mut Vec<AuditRow>) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT INTO audit_events (id, at, user_id, username, agency_code, country, client_ip, action, \
         object_type, object_id, outcome, details, case_id, prev_hash, hash) ",
    );
    q.push_values(rows.iter(), |mut b, r| {
        b.push_bind(r.id)
            .push_bind(&r.at)
            .push_bind(r.user_id)
            .push_bind(&r.username)
            .push_bind(&r.agency_code)
            .push_bind(&r.country)
            .push_bind(&r.client_ip)
            .push_bind(&r.action)
            .push_bind(&r.object_type)
            .push_bind(&r.object_id)
            .push_bind(&r.outcome)
            .push_bind(&r.details)
            .push_bind(r.case_id)
            .push_bind(&r.prev_hash)
            .push_bind(&r.hash);
    });
    q.build().execute(&mut *conn).await?;
    rows.clear();
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
pub enum ChainReport {
    Ok { events: u64 },
    Broken { event_id: i64, reason: &'static str },
}

/// What one slice of the chain looked like: its ends (to link slices together) and its first fault.
struct Slice {
    first_prev: Option<String>,
    last_hash: Option<String>,
    events: u64,
    broken: Option<(i64, &'static str)>,
}

/// Ids fetched per query when verifying. Each query returns its events as one JSON array built by SQLite:
/// streaming rows one by one costs a thread hand-off per row in sqlx, which took more time than hashing.
pub const VERIFY_CHUNK: i64 = 2_000;

/// `id BETWEEN ? AND ?` as one JSON array of rows, each in `AuditRow`'s field order. The JSON is only the
/// transport: the hash is recomputed from the decoded values, exactly as for a row read column by column.
const CHUNK_AS_JSON: &str = "SELECT json_group_array(json_array(id, at, user_id, username, agency_code, country, client_ip, \
     action, object_type, object_id, outcome, details, case_id, prev_hash, hash) ORDER BY id) \
     FROM audit_events WHERE id BETWEEN ? AND ?";

/// Decodes a chunk; a row whose stored values have the wrong types (a number where text belongs) is a
/// fault of that event, not an error of the check.
fn decode_chunk(json: &str) -> Result<Vec<AuditRow>, (i64, &'static str)> {
    serde_json::from_str(json).map_err(|_| {
        let values: Vec<Value> = serde_json::from_str(json).unwrap_or_default();
        let bad = values.into_iter().find(|v| serde_json::from_value::<AuditRow>(v.clone()).is_err());
        let id = bad.and_then(|v| v.get(0).and_then(Value::as_i64)).unwrap_or(0);
        (id, "event has a value of the wrong type")
    })
}

/// Checks ids `lo..=hi` on their own: contiguous ids, each previous-hash link inside the slice, and each
/// event's content against its hash. Stops at the first fault.
async fn verify_slice(pool: SqlitePool, lo: i64, hi: i64, chunk: i64) -> Result<Slice, sqlx::Error> {
    let mut slice = Slice { first_prev: None, last_hash: None, events: 0, broken: None };
    let mut expected_id = lo;
    let mut from = lo;
    while from <= hi {
        let to = (from + chunk - 1).min(hi);
        let json: String = sqlx::query_scalar(CHUNK_AS_JSON).bind(from).bind(to).fetch_one(&pool).await?;
        // Hashing is CPU work: off the async workers, so the other slice's queries keep flowing.
        let checked = tokio::task::spawn_blocking(move || {
            let rows = match decode_chunk(&json) {
                Ok(rows) => rows,
                Err(fault) => return (Slice { broken: Some(fault), ..slice }, expected_id),
            };
            for row in rows {
                let fault = if row.id != expected_id {
                    Some((expected_id, "event is missing"))
                } else if slice.last_hash.as_ref().is_some_and(|prev| *prev != row.prev_hash) {
                    Some((row.id, "previous-hash link does not match"))
                } else if !row.hash_matches() {
                    Some((row.id, "content does not match its hash"))
                } else {
                    None
                };
                if fault.is_some() {
                    slice.broken = fault;
                    return (slice, expected_id);
                }
                if slice.first_prev.is_none() {
                    slice.first_prev = Some(row.prev_hash);
                }
                slice.last_hash = Some(row.hash);
                slice.events += 1;
                expected_id += 1;
            }
            (slice, expected_id)
        })
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        (slice, expected_id) = checked;
        if slice.broken.is_some() {
            return Ok(slice);
        }
        if expected_id <= to {
            slice.broken = Some((expected_id, "event is missing"));
            return Ok(slice);
        }
        from = to + 1;
    }
    Ok(slice)
}

/// Recomputes the whole chain: every id from 1 to the newest present, each event's hash over its previous
/// hash and content, each link to the event before. The id range is checked in slices on all cores and the
/// slices' ends linked afterwards; the earliest fault is reported. Memory stays constant (chunks of ids).
pub async fn verify(pool: &SqlitePool) -> Result<ChainReport, sqlx::Error> {
    verify_in_chunks(pool, VERIFY_CHUNK).await
}

/// `verify` with a chosen chunk size (tests use small ones to cross chunk boundaries).
pub async fn verify_in_chunks(pool: &SqlitePool, chunk: i64) -> Result<ChainReport, sqlx::Error> {
    let (min, max, count): (Option<i64>, Option<i64>, i64) =
        sqlx::query_as("SELECT MIN(id), MAX(id), COUNT(*) FROM audit_events").fetch_one(pool).await?;
    let (Some(min), Some(max)) = (min, max) else { return Ok(ChainReport::Ok { events: 0 }) };
    // Ids are 1, 2, ... without a gap. Checked before slicing: an id outside that (below 1, or far above
    // the count) would otherwise escape the slices, or make their arithmetic overflow.
    if min < 1 {
        return Ok(ChainReport::Broken { event_id: min, reason: "event has an id below 1" });
    }
    if min > 1 {
        return Ok(ChainReport::Broken { event_id: 1, reason: "event is missing" });
    }
    if max != count {
        let gap: i64 = sqlx::query_scalar(
            "SELECT MIN(a.id) + 1 FROM audit_events a WHERE a.id < ? AND NOT EXISTS (SELECT 1 FROM audit_events b WHERE b.id = a.id + 1)",
        )
        .bind(max)
        .fetch_one(pool)
        .await?;
        return Ok(ChainReport::Broken { event_id: gap, reason: "event is missing" });
    }
    let parts = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(1, 8) as i64;
    let per = (max + parts - 1) / parts;
    let mut tasks = Vec::new();
    for k in 0..parts {
        let (lo, hi) = (1 + k * per, ((k + 1) * per).min(max));
        if lo <= hi {
            tasks.push((lo, tokio::spawn(verify_slice(pool.clone(), lo, hi, chunk.max(1)))));
        }
    }
    let mut expected_prev = GENESIS.to_string();
    let mut events = 0;
    for (lo, task) in tasks {
        let slice = task.await.map_err(|e| sqlx::Error::Protocol(e.to_string()))??;
        if slice.first_prev.as_ref().is_some_and(|p| *p != expected_prev) {
            return Ok(ChainReport::Broken { event_id: lo, reason: "previous-hash link does not match" });
        }
        if let Some((event_id, reason)) = slice.broken {
            return Ok(ChainReport::Broken { event_id, reason });
        }
        expected_prev = slice.last_hash.unwrap_or(expected_prev);
        events += slice.events;
    }
    Ok(ChainReport::Ok { events })
}

/// Which events a viewer may read (decided by `policy::audit_scope`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditScope {
    /// Every event, without case content (an admin's: admins never read case content).
    All,
    /// The events of users of one country, in full (a supervisor's).
    Country(Country),
}

/// Details that are case content, per action: what a user searched for says what they work on; which
/// agencies a case involves and whom a request went to say who works with whom (the threads' need-to-know);
/// a file's hash and a response's grading describe what was given. Shown to supervisors of the user's
/// country; withheld from the `All` scope (admins), which sees that the event happened.
const CONTENT_DETAILS: &[(&str, &str)] = &[
    ("search", "query"),
    ("case.create", "parties"),
    ("case.update", "parties"),
    ("case.status", "reason"),
    ("request.create", "to"),
    ("request.send", "to"),
    ("response.create", "grading"),
    ("attachment.upload", "sha256"),
    ("consent.ask", "pass_to"),
    ("case.retention_keep", "reason"),
    ("case.purge", "reason"),
];

/// What a detail withheld from admins reads (`shown_details`).
const WITHHELD: &str = "(withheld: case content)";

/// The event's details as `scope` may read them.
fn shown_details(scope: AuditScope, action: &str, details: String) -> String {
    let withheld: Vec<&str> = CONTENT_DETAILS.iter().filter(|(a, _)| *a == action).map(|(_, key)| *key).collect();
    if scope != AuditScope::All || withheld.is_empty() {
        return details;
    }
    let mut value: Value = serde_json::from_str(&details).unwrap_or(Value::Null);
    if let Some(map) = value.as_object_mut() {
        for key in withheld {
            if map.contains_key(key) {
                map.insert(key.to_string(), Value::String(WITHHELD.into()));
            }
        }
        value.to_string()
    } else {
        "{}".into()
    }
}

/// The details (a JSON object) as labelled fields in `l`: a field the catalogue has no label for keeps its
/// code as its label; text shows as written, anything else as JSON.
fn fields(details: &str, l: crate::i18n::Locale) -> Vec<DetailField> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(details) else { return Vec::new() };
    map.into_iter()
        .map(|(key, value)| {
            let label_key = format!("audit-field-{}", key.replace('_', "-"));
            let known = crate::i18n::has(crate::i18n::Locale::En, &label_key);
            let value = match value {
                Value::String(s) if s == WITHHELD => tr!(l, "audit-withheld"),
                Value::String(s) => s,
                Value::Bool(b) => {
                    if b {
                        tr!(l, "yes")
                    } else {
                        tr!(l, "no")
                    }
                }
                other => other.to_string(),
            };
            DetailField { label: if known { crate::i18n::t(l, &label_key, None) } else { key }, label_is_code: !known, value }
        })
        .collect()
}

/// A row of the list: the event and the name of who acted.
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    row: AuditRow,
    display_name: Option<String>,
}

pub async fn list(
    pool: &SqlitePool,
    scope: AuditScope,
    filter: &AuditFilter,
    zone: &str,
    l: crate::i18n::Locale,
) -> Result<AuditPage, AppError> {
    let mut problems = crate::error::Problems::default();
    let parse_date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let from = if filter.from.trim().is_empty() { None } else { parse_date(&filter.from) };
    let to = if filter.to.trim().is_empty() { None } else { parse_date(&filter.to) };
    problems.check(filter.from.trim().is_empty() || from.is_some(), "from", tr!(crate::i18n::reader(), "err-use-date-like-2026-11"));
    problems.check(filter.to.trim().is_empty() || to.is_some(), "to", tr!(crate::i18n::reader(), "err-use-date-like-2026-11"));
    if let (Some(f), Some(t)) = (from, to) {
        problems.check(f <= t, "to", tr!(crate::i18n::reader(), "err-end-date-before-start-date"));
    }
    problems.into_result()?;

    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT *, (SELECT display_name FROM users WHERE id = audit_events.user_id) AS display_name FROM audit_events WHERE 1=1",
    );
    if let AuditScope::Country(c) = scope {
        q.push(" AND country = ").push_bind(c.as_str());
    }
    if !filter.user.trim().is_empty() {
        q.push(" AND username = ").push_bind(filter.user.trim().to_string());
    }
    if !filter.action.trim().is_empty() {
        q.push(" AND action = ").push_bind(filter.action.trim().to_string());
    }
    if let Some(f) = from {
        q.push(" AND at >= ").push_bind(format!("{f}T00:00:00"));
    }
    if let Some(t) = to {
        q.push(" AND at < ").push_bind(format!("{}T00:00:00", t.succ_opt().unwrap_or(t)));
    }
    let size = AUDIT_PAGE_SIZE as i64;
    q.push(" ORDER BY id DESC LIMIT ").push_bind(size + 1).push(" OFFSET ").push_bind(filter.page as i64 * size);
    let mut rows: Vec<ListedRow> = q.build_query_as().fetch_all(pool).await?;
    let has_more = rows.len() as i64 > size;
    rows.truncate(size as usize);
    let events = rows.into_iter().map(|r| listed(r, scope, zone, l)).collect();
    let scope = match scope {
        AuditScope::All => tr!(l, "audit-scope-all"),
        AuditScope::Country(c) => tr!(l, "audit-scope-country", country = crate::i18n::LabelIn::label_in(c, l)),
    };
    Ok(AuditPage { events, page: filter.page, has_more, scope })
}

/// One event as the audit page shows it to `scope`, in `l`.
fn listed(listed: ListedRow, scope: AuditScope, zone: &str, l: crate::i18n::Locale) -> AuditEventView {
    use crate::backend::platform::event_words::{numbered, sentence, Told};
    let r = listed.row;
    let at = DateTime::parse_from_rfc3339(&r.at).map(|d| d.with_timezone(&Utc)).unwrap_or_default();
    let who = listed.display_name.or_else(|| r.username.clone()).unwrap_or_default();
    // Admins see no case content: objects by number only.
    let object = r.object_id.as_deref().map(|id| numbered(l, id)).unwrap_or_default();
    let agency = r.agency_code.clone().unwrap_or_default();
    let said = sentence(l, &r.action, &Told { who: &who, agency: &agency, object: &object, outcome: &r.outcome });
    let details = shown_details(scope, &r.action, r.details);
    AuditEventView {
        id: r.id,
        at,
        at_display: crate::backend::platform::time::display_in(l, at, zone),
        username: r.username,
        agency_code: r.agency_code,
        client_ip: r.client_ip,
        action: r.action,
        object_type: r.object_type,
        object_id: r.object_id,
        outcome: r.outcome,
        said,
        fields: fields(&details, l),
        details,
    }
}

/// The distinct actions recorded, for the filter's drop-down.
pub async fn actions(pool: &SqlitePool) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT DISTINCT action FROM audit_events ORDER BY action").fetch_all(pool).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, details: &str, username: Option<&str>) -> AuditRow {
        AuditRow {
            id,
            at: "2026-11-25T10:00:00.000000Z".into(),
            user_id: username.map(|_| 7),
            username: username.map(str::to_string),
            agency_code: Some("RCMP".into()),
            country: Some("CA".into()),
            client_ip: None,
            action: "case.read".into(),
            object_type: Some("case".into()),
            object_id: Some("12".into()),
            outcome: "success".into(),
            details: details.into(),
            case_id: Some(12),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn the_hash_covers_the_canonical_encoding() {
        for r in [row(1, "{}", Some("d.tremblay")), row(2, r#"{"q":"\"quoted\" ü €"}"#, None)] {
            let mut h = Sha256::new();
            h.update(r.prev_hash.as_bytes());
            let canonical = serde_json::json!([
                r.id,
                r.at,
                r.user_id,
                r.username,
                r.agency_code,
                r.country,
                r.client_ip,
                r.action,
                r.object_type,
                r.object_id,
                r.outcome,
                r.details,
                r.case_id
            ]);
            h.update(canonical.to_string().as_bytes());
            assert_eq!(r.compute_hash(&r.prev_hash), hex::encode(h.finalize()));
        }
    }

    #[test]
    fn events_of_the_first_release_verify_only_in_their_own_form() {
        let mut r = row(1, "{}", Some("d.tremblay"));
        r.case_id = None;
        r.hash = r.compute_legacy_hash(&r.prev_hash);
        assert!(r.hash_matches(), "an event hashed as the first release did still verifies");
        let mut with_case = r.clone();
        with_case.case_id = Some(7);
        assert!(!with_case.hash_matches(), "an event naming a case has only today's form");
        let mut changed = r.clone();
        changed.action = "sign_out".into();
        assert!(!changed.hash_matches());
        r.seal();
        assert!(r.hash_matches());
    }
}
