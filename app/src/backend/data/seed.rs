//! Deterministic synthetic data at scale, for benchmarks: both countries, every category and status,
//! three years of history, readable text for search, and an audit trail whose hash chain verifies.
//! The same seed always gives the same data.

use crate::backend::platform::audit::{self, AuditRow, GENESIS};
use crate::backend::platform::db::{Db, Tx};
use crate::backend::{data::demo, platform::passwords};
use crate::error::AppError;
use crate::model::{Priority, RequestKind};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{QueryBuilder, Sqlite};

pub struct SeedSize {
    pub cases: u64,
    pub requests: u64,
    pub audit_events: u64,
    pub officers_per_agency: u64,
    pub seed: u64,
}

pub struct SeedReport {
    pub rows: u64,
    pub seconds: f64,
    /// The password every seeded account shares (printed once; benchmark databases only).
    pub password: String,
    pub first_case: i64,
    /// A case open for new requests, owned by a Canadian agency (the create-request benchmark uses it).
    pub open_case: i64,
}

/// Rows per INSERT statement: one statement per few hundred rows instead of one per row is what makes
/// seeding fast (SQLite allows 32,766 bound values per statement; a request row binds 17).
const BATCH: usize = 500;

struct CaseRow {
    id: i64,
    reference: String,
    title: String,
    summary: String,
    category: &'static str,
    priority: &'static str,
    status: &'static str,
    tlp: &'static str,
    owner: i64,
    other: i64,
    lead: i64,
    created: DateTime<Utc>,
}

async fn insert_cases(tx: &mut Tx, batch: &mut Vec<CaseRow>) -> Result<(), AppError> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT INTO cases (id, reference, title, summary, category, priority, status, tlp, owner_agency_id, lead_user_id, version, \
         created_by, created_at, updated_by, updated_at) ",
    );
    q.push_values(batch.iter(), |mut b, c| {
        b.push_bind(c.id)
            .push_bind(&c.reference)
            .push_bind(&c.title)
            .push_bind(&c.summary)
            .push_bind(c.category)
            .push_bind(c.priority)
            .push_bind(c.status)
            .push_bind(c.tlp)
            .push_bind(c.owner)
            .push_bind(c.lead)
            .push_bind(1)
            .push_bind(c.lead)
            .push_bind(c.created)
            .push_bind(c.lead)
            .push_bind(c.created);
    });
    q.build().execute(&mut **tx).await?;
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT OR IGNORE INTO case_parties (case_id, agency_id, added_at) ");
    q.push_values(batch.iter().flat_map(|c| [(c.id, c.owner, c.created), (c.id, c.other, c.created)]), |mut b, (case, agency, at)| {
        b.push_bind(case).push_bind(agency).push_bind(at);
    });
    q.build().execute(&mut **tx).await?;
    batch.clear();
    Ok(())
}

struct RequestRow {
    case_id: i64,
    kind: &'static str,
    subject: String,
    body: String,
    priority: &'static str,
    from: i64,
    to: i64,
    status: &'static str,
    due: Option<DateTime<Utc>>,
    sent: DateTime<Utc>,
    ack: Option<DateTime<Utc>>,
    acknowledged_by: Option<i64>,
    answered: Option<DateTime<Utc>>,
    closed: Option<DateTime<Utc>>,
    creator: i64,
    updated: DateTime<Utc>,
}

async fn insert_requests(tx: &mut Tx, batch: &mut Vec<RequestRow>) -> Result<(), AppError> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT INTO requests (case_id, kind, subject, body, priority, directly_available, tlp, from_agency_id, to_agency_id, status, due_at, sent_at, \
         acknowledged_at, acknowledged_by, answered_at, closed_at, created_by, created_at, updated_at) ",
    );
    q.push_values(batch.iter(), |mut b, r| {
        b.push_bind(r.case_id)
            .push_bind(r.kind)
            .push_bind(&r.subject)
            .push_bind(&r.body)
            .push_bind(r.priority)
            .push_bind(0)
            .push_bind("amber")
            .push_bind(r.from)
            .push_bind(r.to)
            .push_bind(r.status)
            .push_bind(r.due)
            .push_bind(r.sent)
            .push_bind(r.ack)
            .push_bind(r.acknowledged_by)
            .push_bind(r.answered)
            .push_bind(r.closed)
            .push_bind(r.creator)
            .push_bind(r.sent)
            .push_bind(r.updated);
    });
    q.build().execute(&mut **tx).await?;
    batch.clear();
    Ok(())
}

const PLACES: &[&str] =
    &["Mumbai", "Vancouver", "Toronto", "Delhi", "Montreal", "Chennai", "Kolkata", "Calgary", "Pune", "Halifax", "Surrey", "Ludhiana"];
const THINGS: &[(&str, &[&str])] = &[
    ("cyber_incident", &["intrusion", "phishing campaign", "credential theft", "VPN exploitation", "DDoS attack"]),
    ("ransomware", &["ransomware attack", "data extortion", "encryptor sample", "ransom payment"]),
    ("drug_precursors", &["fentanyl precursor shipment", "4-AP consignment", "ephedrine diversion", "pill press import"]),
    ("organised_crime", &["hawala network", "extortion ring", "money laundering", "arms trafficking"]),
    ("fraud", &["investment fraud", "call-centre scam", "romance scam", "invoice fraud"]),
    ("immigration", &["visa fraud", "forged documents", "human smuggling", "study-permit fraud"]),
    ("violent_extremism", &["online radicalisation", "propaganda network", "financing of extremism"]),
    ("other", &["information exchange", "liaison meeting", "joint training"]),
];
const WORDS: &[&str] = &[
    "container",
    "port",
    "vessel",
    "warehouse",
    "wallet",
    "server",
    "domain",
    "account",
    "director",
    "company",
    "shipment",
    "invoice",
    "bank",
    "transfer",
    "courier",
    "passport",
    "hospital",
    "university",
    "consignee",
    "broker",
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn sentence(rng: &mut StdRng, n: usize) -> String {
    (0..n).map(|_| *pick(rng, WORDS)).collect::<Vec<_>>().join(" ")
}

pub async fn run(db: &Db, size: &SeedSize, now: DateTime<Utc>) -> Result<SeedReport, AppError> {
    let started = std::time::Instant::now();
    let rng = StdRng::seed_from_u64(size.seed);
    if crate::backend::platform::users::count(&db.pool).await? == 0 {
        demo::load_accounts(db).await?;
    }
    let password = passwords::generate();
    let hash = passwords::hash(password.clone()).await;
    let mut rows = 0u64;
    let mut tx = db.begin_write().await?;
    // One transaction of millions of rows: a large page cache keeps SQLite from spilling pages mid-way.
    sqlx::query("PRAGMA cache_size = -524288").execute(&mut *tx).await?;
    let deferred = drop_secondary_indexes(&mut tx).await?;

    let (agencies, officers) = seed_officers(&mut tx, size, &hash.0, now).await?;
    rows += officers.len() as u64;
    sqlx::query("UPDATE users SET password_hash = ? WHERE username IN ('in.supervisor', 'ca.supervisor', 'admin')")
        .bind(&hash.0)
        .execute(&mut *tx)
        .await?;
    let first_case: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM cases").fetch_one(&mut *tx).await?;
    let audit_tail: (i64, String) = sqlx::query_as("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or((0, GENESIS.to_string()));
    // Rows are made (text, hashes) on a thread of their own while SQLite inserts the previous batch: on
    // one thread, each waited for the other.
    let plan = Plan {
        rng,
        cases: size.cases,
        requests: size.requests,
        audit_events: size.audit_events,
        seed: size.seed,
        now,
        agencies,
        officers,
        first_case,
        audit_tail,
    };
    let (sender, mut batches) = tokio::sync::mpsc::channel(8);
    let generator = tokio::task::spawn_blocking(move || generate(plan, sender));
    while let Some(batch) = batches.recv().await {
        match batch {
            Batch::Cases(mut b) => insert_cases(&mut tx, &mut b).await?,
            Batch::Requests(mut b) => insert_requests(&mut tx, &mut b).await?,
            Batch::Audit(mut b) => audit::append_sealed(&mut tx, &mut b).await?,
        }
    }
    rows += generator.await.map_err(|e| {
        tracing::error!(error = %e, "the seed generator failed");
        AppError::Internal
    })?;
    // Both cores sort while the indexes are built.
    sqlx::query("PRAGMA threads = 2").execute(&mut *tx).await?;
    for (_, sql) in &deferred {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    // Owned in Canada: the benchmark's Canadian supervisors send from it to CBI, which only the owning side
    // may bring into a case.
    let open_case: i64 = sqlx::query_scalar(&format!(
        "SELECT COALESCE(MIN(id), 0) FROM cases c WHERE id >= ? AND c.owner_agency_id IN (SELECT id FROM agencies WHERE country = 'CA') AND {}",
        crate::backend::exchange::rules::CaseCurrent::SQL
    ))
    .bind(first_case)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    // Copy the write-ahead log into the database file now (and count it): otherwise the server's first
    // write after a seed would do it, holding the write lock for as long as the copy takes.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&db.pool).await?;
    Ok(SeedReport { rows, seconds: started.elapsed().as_secs_f64(), password, first_case, open_case })
}

/// Drops the secondary indexes of the big tables and gives their (name, definition) to build again.
async fn drop_secondary_indexes(tx: &mut Tx) -> Result<Vec<(String, String)>, AppError> {
    // Secondary indexes are dropped for the load and built again at the end: inserting millions of rows
    // into B-trees keyed by random values (case, object, user) touches a random page per row, while
    // CREATE INDEX sorts once. Unique indexes stay, so constraints hold throughout; the definitions come
    // from the schema itself, so migrations remain the one place they are written.
    let deferred: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' \
         AND tbl_name IN ('cases', 'case_parties', 'requests', 'audit_events')",
    )
    .fetch_all(&mut **tx)
    .await?;
    for (name, _) in &deferred {
        sqlx::query(&format!("DROP INDEX \"{name}\"")).execute(&mut **tx).await?;
    }

    Ok(deferred)
}

/// Officers for every agency: seed.<code>.<n>, all with the one printed password. Gives the agencies
/// (id, code, country) and the officers (user id, agency id).
async fn seed_officers(
    tx: &mut Tx,
    size: &SeedSize,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(Vec<(i64, String, String)>, Vec<(i64, i64)>), AppError> {
    let agencies: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, code, country FROM agencies ORDER BY id").fetch_all(&mut **tx).await?;
    let mut officers: Vec<(i64, i64)> = Vec::new(); // (user id, agency id)
    for (agency_id, code, country) in &agencies {
        for n in 1..=size.officers_per_agency {
            let tz = if country == "IN" { "Asia/Kolkata" } else { "America/Toronto" };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (username, display_name, role, agency_id, time_zone, status, password_hash, must_change_password, second_factor_exempt, created_at, updated_at) \
                 VALUES (?, ?, 'officer', ?, ?, 'active', ?, 0, 1, ?, ?) ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash RETURNING id",
            )
            .bind(format!("seed.{}.{n:02}", code.to_lowercase()))
            .bind(format!("Seed Officer {n} ({code})"))
            .bind(agency_id)
            .bind(tz)
            .bind(hash)
            .bind(now)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?;
            officers.push((id, *agency_id));
        }
    }
    Ok((agencies, officers))
}

enum Batch {
    Cases(Vec<CaseRow>),
    Requests(Vec<RequestRow>),
    Audit(Vec<AuditRow>),
}

/// What the generator needs to know of the database and the request.
struct Plan {
    rng: StdRng,
    cases: u64,
    requests: u64,
    audit_events: u64,
    seed: u64,
    now: DateTime<Utc>,
    /// (id, code, country)
    agencies: Vec<(i64, String, String)>,
    /// (user id, agency id)
    officers: Vec<(i64, i64)>,
    first_case: i64,
    /// The audit chain's last (id, hash), which the generated events continue.
    audit_tail: (i64, String),
}

/// Makes the rows in batches, in the order they are inserted; stops early if the inserting side has
/// given up. Returns how many rows it made (a case counts with its two party rows).
fn generate(plan: Plan, out: tokio::sync::mpsc::Sender<Batch>) -> u64 {
    let send = |batch: Batch| out.blocking_send(batch).is_ok();
    let mut g = Generator::new(plan);
    let Some(case_meta) = g.cases(&send) else { return g.rows };
    if g.requests(&case_meta, &send) {
        g.audit(&case_meta, &send);
    }
    g.rows
}

/// The generator's state: the plan, and how many rows it has made so far.
struct Generator {
    plan: Plan,
    /// Officers of each agency.
    by_agency: std::collections::HashMap<i64, Vec<i64>>,
    rows: u64,
}

/// A generated case: (id, owner agency, other agency, created).
type CaseMeta = (i64, i64, i64, DateTime<Utc>);

/// How far back the generated data reaches.
fn span() -> Duration {
    Duration::days(3 * 365)
}

impl Generator {
    fn new(plan: Plan) -> Self {
        let officers_of = |agency: i64| plan.officers.iter().filter(|o| o.1 == agency).map(|o| o.0).collect::<Vec<_>>();
        let by_agency = plan.agencies.iter().map(|a| (a.0, officers_of(a.0))).collect();
        Generator { plan, by_agency, rows: 0 }
    }

    /// The cases, sent in batches; None if the inserting side gave up.
    fn cases(&mut self, send: &dyn Fn(Batch) -> bool) -> Option<Vec<CaseMeta>> {
        let india: Vec<i64> = self.plan.agencies.iter().filter(|a| a.2 == "IN").map(|a| a.0).collect();
        let canada: Vec<i64> = self.plan.agencies.iter().filter(|a| a.2 == "CA").map(|a| a.0).collect();
        let Plan { rng, cases, seed, now, first_case, .. } = &mut self.plan;
        let (cases, seed, now, first_case) = (*cases, *seed, *now, *first_case);
        let by_agency = &self.by_agency;
        let span = span();
        let mut case_meta: Vec<CaseMeta> = Vec::with_capacity(cases as usize);
        let mut case_rows: Vec<CaseRow> = Vec::with_capacity(BATCH);
        for i in 0..cases {
            let id = first_case + i as i64;
            let (home, away) = if rng.gen_bool(0.5) { (&india, &canada) } else { (&canada, &india) };
            let owner = *pick(rng, home);
            let other = *pick(rng, away);
            let lead = *pick(rng, &by_agency[&owner]);
            let (cat, things) = pick(rng, THINGS);
            let created = now - Duration::seconds(rng.gen_range(0..span.num_seconds()));
            let age_days = (now - created).num_days();
            let status = if age_days > 365 {
                if rng.gen_bool(0.2) {
                    "archived"
                } else {
                    "closed"
                }
            } else if rng.gen_bool(0.3) {
                "open"
            } else {
                "active"
            };
            let title = format!("{} {} {}", pick(rng, things), pick(rng, &["in", "via", "through", "near"]), pick(rng, PLACES));
            let summary = format!("{} {}.", sentence(rng, 12), sentence(rng, 8));
            let priority = pick(rng, &["urgent", "high", "normal", "normal", "low"]);
            let tlp = pick(rng, &["green", "amber", "amber", "amber_strict", "red"]);
            case_rows.push(CaseRow {
                id,
                reference: format!("LD-S{}-{:07}", seed % 100, id),
                title,
                summary,
                category: cat,
                priority,
                status,
                tlp,
                owner,
                other,
                lead,
                created,
            });
            if case_rows.len() == BATCH && !send(Batch::Cases(std::mem::replace(&mut case_rows, Vec::with_capacity(BATCH)))) {
                return None;
            }
            case_meta.push((id, owner, other, created));
            self.rows += 3;
        }
        send(Batch::Cases(case_rows)).then_some(case_meta)
    }

    /// The requests on those cases, sent in batches; false if the inserting side gave up.
    fn requests(&mut self, case_meta: &[CaseMeta], send: &dyn Fn(Batch) -> bool) -> bool {
        let Plan { rng, requests, now, .. } = &mut self.plan;
        let (requests, now) = (*requests, *now);
        let by_agency = &self.by_agency;
        let kinds = [
            RequestKind::Information,
            RequestKind::Assistance,
            RequestKind::EvidencePreservation,
            RequestKind::IntelligenceShare,
            RequestKind::Clarification,
        ];
        let policy = crate::backend::exchange::deadlines::DeadlinePolicy::default();
        let mut request_rows: Vec<RequestRow> = Vec::with_capacity(BATCH);
        for _ in 0..requests {
            if case_meta.is_empty() {
                break;
            }
            let (case_id, owner, other, created) = *pick(rng, case_meta);
            let (from, to) = if rng.gen_bool(0.6) { (owner, other) } else { (other, owner) };
            let creator = *pick(rng, &by_agency[&from]);
            let kind = *pick(rng, &kinds);
            let priority = *pick(rng, &[Priority::Urgent, Priority::High, Priority::Normal, Priority::Normal, Priority::Low]);
            let lifetime = (now - created).num_seconds().max(1);
            let sent = created + Duration::seconds(rng.gen_range(0..lifetime));
            let due = policy.default_due(kind, priority, rng.gen_bool(0.5), sent);
            let age_h = (now - sent).num_hours();
            let ack = (age_h > 1).then(|| sent + Duration::minutes(rng.gen_range(10..(age_h.min(96) * 60).max(11))));
            let answered = (age_h > 12 && rng.gen_bool(0.85)).then(|| sent + Duration::hours(rng.gen_range(2..age_h.clamp(3, 24 * 20))));
            let status = match (ack, answered) {
                (_, Some(_)) if age_h > 24 * 30 => "closed",
                (_, Some(_)) => "answered",
                (Some(_), None) if rng.gen_bool(0.1) => "declined",
                (Some(_), None) => {
                    if rng.gen_bool(0.5) {
                        "in_progress"
                    } else {
                        "acknowledged"
                    }
                }
                (None, None) => "sent",
            };
            let subject = format!(
                "{} {}",
                pick(rng, &["Records of", "Subscriber data for", "Preserve logs of", "Identify", "Verify"]),
                sentence(rng, 4)
            );
            let body = sentence(rng, 25);
            let acknowledged_by = ack.map(|_| *pick(rng, &by_agency[&to]));
            request_rows.push(RequestRow {
                case_id,
                kind: kind.as_str(),
                subject,
                body,
                priority: priority.as_str(),
                from,
                to,
                status,
                due,
                sent,
                ack,
                acknowledged_by,
                answered,
                closed: (status == "closed").then_some(now),
                creator,
                updated: answered.or(ack).unwrap_or(sent),
            });
            if request_rows.len() == BATCH && !send(Batch::Requests(std::mem::replace(&mut request_rows, Vec::with_capacity(BATCH)))) {
                return false;
            }
            self.rows += 1;
        }
        send(Batch::Requests(request_rows))
    }

    /// The audit trail: events continuing the existing chain, in time order.
    fn audit(&mut self, case_meta: &[CaseMeta], send: &dyn Fn(Batch) -> bool) {
        let Plan { rng, audit_events, now, agencies, officers, audit_tail, .. } = &mut self.plan;
        let (audit_events, now) = (*audit_events, *now);
        let span = span();
        let (mut last_id, mut prev) = audit_tail.clone();
        let start = now - span;
        let step = span.num_milliseconds() / audit_events.max(1) as i64;
        let mut audit_rows: Vec<AuditRow> = Vec::with_capacity(BATCH);
        let actions = [
            "case.read",
            "request.read",
            "sign_in",
            "search",
            "case.update",
            "request.acknowledge",
            "response.create",
            "attachment.download",
        ];
        for i in 0..audit_events {
            let (uid, agency) = *pick(rng, officers);
            let action = *pick(rng, &actions);
            let case = case_meta.get(rng.gen_range(0..case_meta.len().max(1))).map(|c| c.0);
            let mut row = AuditRow {
                id: last_id + 1,
                at: audit::format_time(start + Duration::milliseconds(step * i as i64)),
                user_id: Some(uid),
                username: Some(format!("seed-user-{uid}")),
                agency_code: agencies.iter().find(|a| a.0 == agency).map(|a| a.1.clone()),
                country: agencies.iter().find(|a| a.0 == agency).map(|a| a.2.clone()),
                client_ip: Some(format!("10.{}.{}.{}", rng.gen_range(0..255), rng.gen_range(0..255), rng.gen_range(1..255))),
                action: action.to_string(),
                object_type: case.map(|_| "case".to_string()),
                object_id: case.map(|c| c.to_string()),
                outcome: "success".into(),
                details: "{}".into(),
                case_id: case,
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            row.seal();
            last_id = row.id;
            prev = row.hash.clone();
            audit_rows.push(row);
            if audit_rows.len() == BATCH && !send(Batch::Audit(std::mem::replace(&mut audit_rows, Vec::with_capacity(BATCH)))) {
                return;
            }
            self.rows += 1;
        }
        send(Batch::Audit(audit_rows));
    }
}
