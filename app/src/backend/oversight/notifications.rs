//! In-app notifications: written in the transaction of the event that causes them, announced to open
//! browsers (server-sent events) after commit, and deadline reminders from a background task that is
//! idempotent across restarts (a unique key per user and reminder).

use crate::backend::exchange::consents::{ConsentDueSoon, ConsentOverdue};
use crate::backend::exchange::rules::{DueSoon, Overdue};
use crate::backend::platform::db::{Db, Tx};
use crate::error::AppError;
use crate::i18n::{LabelIn, Locale};
use crate::model::{ConsentPurpose, ConsentStatus, NotificationView, ResponseKind};
use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use std::collections::BTreeSet;
use tokio::sync::broadcast;

/// Who has news: user ids, sent after the transaction that wrote their notifications committed.
#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<i64>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub { tx: broadcast::channel(1024).0 }
    }
}

impl Hub {
    pub fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.tx.subscribe()
    }
    pub fn announce(&self, users: impl IntoIterator<Item = i64>) {
        for u in users {
            // No listener is fine: the count is read from the database on (re)connect.
            let _ = self.tx.send(u);
        }
    }
}

#[derive(Clone, Copy)]
pub enum Audience {
    /// Active officers of an agency.
    AgencyOfficers(i64),
    /// Active supervisors of an agency's country.
    CountrySupervisorsOf(i64),
    User(i64),
}

/// What a notification says, kept apart so that each reader reads it in their own language: the acting
/// agency's code, a code that depends on the kind (a response's kind, a consent's purpose or answer,
/// `urgent` for a new request), and the request's subject (its sender's words, never translated).
pub struct Said<'a> {
    pub agency: &'a str,
    pub detail: &'a str,
    pub subject: &'a str,
}

/// The notification's title in `l`.
pub fn title(kind: &str, said: &Said<'_>, l: Locale) -> String {
    let (agency, subject) = (said.agency.to_string(), said.subject.to_string());
    match kind {
        "new_request" if said.detail == "urgent" => tr!(l, "notif-new-request-urgent", agency = agency, subject = subject),
        "new_request" => tr!(l, "notif-new-request", agency = agency, subject = subject),
        "acknowledged" => tr!(l, "notif-acknowledged", agency = agency, subject = subject),
        "response" => {
            let what = said.detail.parse::<ResponseKind>().map(|k| k.label_in(l)).unwrap_or_default();
            tr!(l, "notif-response", what = what, agency = agency, subject = subject)
        }
        "due_soon" => tr!(l, "notif-due-soon", subject = subject),
        "overdue" => tr!(l, "notif-overdue", subject = subject),
        "approval_needed" => tr!(l, "notif-approval", subject = subject),
        "consent_asked" => {
            let what = said.detail.parse::<ConsentPurpose>().map(|p| p.label_in(l)).unwrap_or_default();
            tr!(l, "notif-consent-asked", what = what, agency = agency, subject = subject)
        }
        "consent_due_soon" => {
            let what = said.detail.parse::<ConsentPurpose>().map(|p| p.label_in(l)).unwrap_or_default();
            tr!(l, "notif-consent-due-soon", what = what, subject = subject)
        }
        "consent_overdue" => {
            let what = said.detail.parse::<ConsentPurpose>().map(|p| p.label_in(l)).unwrap_or_default();
            tr!(l, "notif-consent-overdue", what = what, subject = subject)
        }
        "consent_answered" => {
            let what = said.detail.parse::<ConsentStatus>().map(|s| s.label_in(l)).unwrap_or_default();
            tr!(l, "notif-consent-answered", what = what, agency = agency, subject = subject)
        }
        _ => subject,
    }
}

/// Writes one notification per recipient (skipping `except`, the person who acted) and returns who got one.
pub async fn notify(
    tx: &mut Tx,
    to: Audience,
    except: Option<i64>,
    kind: &str,
    said: &Said<'_>,
    link: &str,
    dedupe_key: &str,
) -> Result<BTreeSet<i64>, AppError> {
    // One statement for the whole audience: it runs under the write lock, where every round trip counts.
    let (audience, id) = match to {
        Audience::AgencyOfficers(a) => ("SELECT id AS id FROM users WHERE agency_id = ?1 AND role = 'officer' AND status = 'active'", a),
        Audience::CountrySupervisorsOf(a) => (
            "SELECT u.id AS id FROM users u JOIN agencies a ON a.id = u.agency_id WHERE a.country = (SELECT country FROM agencies WHERE id = ?1) \
             AND u.role = 'supervisor' AND u.status = 'active'",
            a,
        ),
        Audience::User(u) => ("SELECT ?1 AS id", u),
    };
    let got: Vec<i64> = sqlx::query_scalar(&format!(
        "INSERT OR IGNORE INTO notifications (user_id, kind, title, link, dedupe_key, created_at, agency, detail, subject) \
         SELECT id, ?2, ?3, ?4, ?5, ?6, ?8, ?9, ?10 FROM ({audience}) WHERE id IS NOT ?7 RETURNING user_id"
    ))
    .bind(id)
    .bind(kind)
    // In English too, for what reads the stored title alone.
    .bind(title(kind, said, Locale::En))
    .bind(link)
    .bind(dedupe_key)
    .bind(Utc::now())
    .bind(except)
    .bind(said.agency)
    .bind(said.detail)
    .bind(said.subject)
    .fetch_all(&mut **tx)
    .await?;
    Ok(got.into_iter().collect())
}

pub async fn unread_count(pool: &SqlitePool, user: i64) -> Result<i64, AppError> {
    // Kept by triggers (migration 0015): every page's header asks.
    Ok(sqlx::query_scalar("SELECT unread FROM unread_counts WHERE user_id = ?").bind(user).fetch_optional(pool).await?.unwrap_or(0))
}

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    kind: String,
    title: String,
    link: String,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
    agency: String,
    detail: String,
    subject: Option<String>,
}

/// The user's latest notifications, each title in `l` (those written before titles were kept in parts, as
/// they were written).
pub async fn list(pool: &SqlitePool, user: i64, zone: &str, l: Locale) -> Result<Vec<NotificationView>, AppError> {
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT id, kind, title, link, created_at, read_at, agency, detail, subject FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT 100",
    )
            .bind(user)
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| NotificationView {
            id: r.id,
            title: match &r.subject {
                Some(subject) => title(&r.kind, &Said { agency: &r.agency, detail: &r.detail, subject }, l),
                None => r.title,
            },
            kind: r.kind,
            link: r.link,
            created: crate::backend::platform::time::shown(r.created_at, zone),
            read: r.read_at.is_some(),
        })
        .collect())
}

/// Removes every notification of `user`: after a confirmed move to another agency or role, what was sent
/// to their former position (subjects of requests they may no longer see) must not stay in their list.
/// The audit trail keeps what happened.
pub async fn forget_all(tx: &mut Tx, user: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM notifications WHERE user_id = ?").bind(user).execute(&mut **tx).await?;
    // Nor may their e-mail alerts still go.
    crate::backend::oversight::alerts::drop_for_move(tx, user).await?;
    Ok(())
}

/// Marks the user's notifications read: one (`Some(id)`) or all.
pub async fn mark_read(tx: &mut Tx, user: i64, id: Option<i64>) -> Result<(), AppError> {
    let mut q = sqlx::QueryBuilder::new("UPDATE notifications SET read_at = ");
    q.push_bind(Utc::now()).push(" WHERE read_at IS NULL AND user_id = ").push_bind(user);
    if let Some(id) = id {
        q.push(" AND id = ").push_bind(id);
    }
    q.build().execute(&mut **tx).await?;
    Ok(())
}

/// One pass of the reminder task: due within 24 hours, and overdue, for the receiving agency's officers;
/// the same for consents awaited, for the officers of the agency asked. What was already reminded of is
/// skipped in SQL, so a pass costs what is new, not every open request (it held the write lock for seconds
/// at 100,000 requests).
pub async fn remind(db: &Db, now: DateTime<Utc>) -> Result<BTreeSet<i64>, AppError> {
    let mut tx = db.begin_write().await?;
    let mut got = BTreeSet::new();
    let requests = |kind: &str, rule: String| {
        format!(
            "SELECT '{kind}' AS kind, id AS key, id AS request_id, to_agency_id AS agency, subject, '' AS detail, '' AS anchor \
             FROM requests r WHERE {rule} AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = '{kind}:' || r.id)"
        )
    };
    let consents = |kind: &str, rule: String| {
        format!(
            "SELECT '{kind}' AS kind, k.id AS key, k.request_id, k.to_agency_id AS agency, r.subject, k.purpose AS detail, \
                    '#response-' || k.response_id AS anchor \
             FROM consents k JOIN requests r ON r.id = k.request_id \
             WHERE {rule} AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = '{kind}:' || k.id)"
        )
    };
    let due: Vec<Reminder> = sqlx::query_as(
        &[
            requests("due_soon", DueSoon::sql("?1", "?2")),
            requests("overdue", Overdue::sql("?1")),
            consents("consent_due_soon", ConsentDueSoon::sql("?1", "?2")),
            consents("consent_overdue", ConsentOverdue::sql("?1")),
        ]
        .join(" UNION ALL "),
    )
    .bind(now)
    .bind(now + DueSoon::within())
    .fetch_all(&mut *tx)
    .await?;
    for r in due {
        let said = Said { agency: "", detail: &r.detail, subject: &r.subject };
        let link = format!("/requests/{}{}", r.request_id, r.anchor);
        let dedupe = format!("{}:{}", r.kind, r.key);
        got.extend(notify(&mut tx, Audience::AgencyOfficers(r.agency), None, &r.kind, &said, &link, &dedupe).await?);
    }
    tx.commit().await?;
    Ok(got)
}

/// Something the reminder task tells an agency's officers about: a request or a consent (`key`).
#[derive(sqlx::FromRow)]
struct Reminder {
    kind: String,
    key: i64,
    request_id: i64,
    agency: i64,
    subject: String,
    detail: String,
    anchor: String,
}
