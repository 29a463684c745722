//! The rules about requests and cases that single objects, lists, counts and reminders all apply. Each rule
//! is one item here that gives both its Rust predicate (`holds`) and its SQL (a fragment over the aliases
//! `r` for `requests` and `c` for `cases`, or a `push` onto a QueryBuilder), and the tests below check on
//! the same rows that the two agree. Nobody else writes a status list: callers name the rule.
//!
//! Who may see what (need-to-know) is the policy module's; when a request is due is the deadlines module's.

use crate::model::{CaseStatus, Country, RequestKind, RequestStatus};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::{QueryBuilder, Sqlite};

/// Not yet sent: a draft, or one awaiting its sending side's approval. Only the sending side sees it, and
/// no deadline runs.
pub struct Unsent;

impl Unsent {
    pub const SQL: &'static str = "r.status IN ('draft', 'awaiting_approval')";
    pub const NOT_SQL: &'static str = "r.status NOT IN ('draft', 'awaiting_approval')";

    pub fn holds(status: RequestStatus) -> bool {
        matches!(status, RequestStatus::Draft | RequestStatus::AwaitingApproval)
    }
}

/// Has left its sender: sent at some time, whatever became of it since. A draft, a request awaiting
/// approval and one withdrawn before it was sent have not: they exist for their sending side only (a
/// withdrawn draft is still `Withdrawn` by status, so the status alone cannot tell).
pub struct HasBeenSent;

impl HasBeenSent {
    /// The status first: on an index of (agency, status) only withdrawn requests need their row read.
    pub const SQL: &'static str = "(r.status NOT IN ('draft', 'awaiting_approval') AND (r.status != 'withdrawn' OR r.sent_at IS NOT NULL))";

    pub fn holds(status: RequestStatus, sent_at: Option<chrono::DateTime<chrono::Utc>>) -> bool {
        !Unsent::holds(status) && (status != RequestStatus::Withdrawn || sent_at.is_some())
    }
}

/// Still being worked, so information may be passed on with it: not closed, declined or withdrawn.
pub struct TakesPassedOn;

impl TakesPassedOn {
    pub const SQL: &'static str = "r.status NOT IN ('closed', 'declined', 'withdrawn')";

    pub fn holds(status: RequestStatus) -> bool {
        !matches!(status, RequestStatus::Closed | RequestStatus::Declined | RequestStatus::Withdrawn)
    }
}

/// A draft: the author's own work, not yet even submitted for approval. The dashboard does not count drafts
/// as sent requests (requests awaiting approval it does).
pub struct Draft;

impl Draft {
    pub const NOT_SQL: &'static str = "r.status != 'draft'";

    pub fn holds(status: RequestStatus) -> bool {
        status == RequestStatus::Draft
    }
}

/// Awaiting an answer: sent, and not yet answered, closed, declined or withdrawn. The deadline runs only
/// while a request is open; the list's status filter `REQUESTS_OPEN` and the dashboard's "open" are this.
pub struct Open;

impl Open {
    pub const SQL: &'static str = "r.status IN ('sent', 'acknowledged', 'in_progress')";

    pub fn holds(status: RequestStatus) -> bool {
        matches!(status, RequestStatus::Sent | RequestStatus::Acknowledged | RequestStatus::InProgress)
    }
}

/// Overdue: open, and its due time has passed (strictly: at the due instant it is not yet overdue).
pub struct Overdue;

impl Overdue {
    pub fn holds(status: RequestStatus, due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        Open::holds(status) && due.is_some_and(|d| now > d)
    }

    /// The SQL with `now` the expression of the current time (a parameter such as `?1`).
    pub fn sql(now: &str) -> String {
        format!("({} AND r.due_at < {now})", Open::SQL)
    }

    pub fn push(q: &mut QueryBuilder<'_, Sqlite>, now: DateTime<Utc>) {
        q.push(" AND ").push(Open::SQL).push(" AND r.due_at < ").push_bind(now);
    }
}

/// Due soon: open, not yet overdue, and due within the next 24 hours (the reminder, the dashboard's
/// figure and the list's filter).
pub struct DueSoon;

impl DueSoon {
    pub fn within() -> Duration {
        Duration::hours(24)
    }

    pub fn holds(status: RequestStatus, due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        Open::holds(status) && due.is_some_and(|d| d >= now && d < now + Self::within())
    }

    /// The SQL with `now` and `until` (`now + within()`) as expressions (parameters such as `?1`, `?2`).
    pub fn sql(now: &str, until: &str) -> String {
        format!("({} AND r.due_at >= {now} AND r.due_at < {until})", Open::SQL)
    }

    pub fn push(q: &mut QueryBuilder<'_, Sqlite>, now: DateTime<Utc>) {
        q.push(" AND ").push(Open::SQL).push(" AND r.due_at >= ").push_bind(now);
        q.push(" AND r.due_at < ").push_bind(now + Self::within());
    }
}

/// Expects an answer: everything but an intelligence share, which is a notification. Only these have a
/// deadline and count in the timeliness figures.
pub struct ExpectsAnswer;

impl ExpectsAnswer {
    pub const SQL: &'static str = "r.kind != 'intelligence_share'";

    pub fn holds(kind: RequestKind) -> bool {
        kind != RequestKind::IntelligenceShare
    }
}

/// A case still being worked: open or active. The dashboard's "open cases", the list's `CASES_CURRENT`, and
/// the cases on which new requests may be made.
pub struct CaseCurrent;

impl CaseCurrent {
    pub const SQL: &'static str = "c.status IN ('open', 'active')";

    pub fn holds(status: CaseStatus) -> bool {
        matches!(status, CaseStatus::Open | CaseStatus::Active)
    }
}

/// Who is in charge of a request on `side`'s side: the case's lead if the case is that side's own;
/// otherwise whoever sent the request (theirs, on the other side's case) or took it in (acknowledged it).
/// NULL: a received request nobody has taken yet. SQL over `r`, `c` and `fa` (the sending agency); the
/// country, a closed set, is written in as a literal.
pub fn in_charge_sql(side: Country) -> String {
    let s = side.as_str();
    format!(
        "(CASE WHEN (SELECT oa.country FROM agencies oa WHERE oa.id = c.owner_agency_id) = '{s}' THEN c.lead_user_id \
         WHEN fa.country = '{s}' THEN r.created_by ELSE r.acknowledged_by END)"
    )
}

/// The dashboard's trend covers 26 weeks (Monday-based, UTC): the requests sent since the Monday this returns.
pub fn trend_start(now: DateTime<Utc>) -> NaiveDate {
    use chrono::Datelike;
    let monday = now.date_naive() - Duration::days(now.weekday().num_days_from_monday() as i64);
    monday - Duration::weeks(25)
}

/// Midnight (UTC) starting a day: where a week of the trend begins.
pub fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use sqlx::sqlite::SqlitePoolOptions;
    use sqlx::SqlitePool;

    async fn memory() -> SqlitePool {
        SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await.expect("in-memory SQLite")
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 8, 30, 0).unwrap()
    }

    /// One row per status × kind × due time around `t0`, as `r(id, status, kind, due_at)`; the ids selected
    /// by `condition` (SQL, with `?1` = now and `?2` = now + 24 h).
    async fn request_rows_where(condition: &str) -> (Vec<(i64, RequestStatus, RequestKind, Option<DateTime<Utc>>)>, Vec<i64>) {
        let pool = memory().await;
        sqlx::query("CREATE TABLE requests (id INTEGER PRIMARY KEY, status TEXT NOT NULL, kind TEXT NOT NULL, due_at TEXT)")
            .execute(&pool)
            .await
            .unwrap();
        let dues = [
            None,
            Some(t0() - Duration::days(2)),
            Some(t0() - Duration::seconds(1)),
            Some(t0()),
            Some(t0() + Duration::seconds(1)),
            Some(t0() + Duration::hours(24) - Duration::seconds(1)),
            Some(t0() + Duration::hours(24)),
            Some(t0() + Duration::days(3)),
        ];
        let mut rows = Vec::new();
        for &status in RequestStatus::ALL {
            for &kind in RequestKind::ALL {
                for due in dues {
                    let id = rows.len() as i64 + 1;
                    sqlx::query("INSERT INTO requests (id, status, kind, due_at) VALUES (?, ?, ?, ?)")
                        .bind(id)
                        .bind(status)
                        .bind(kind)
                        .bind(due)
                        .execute(&pool)
                        .await
                        .unwrap();
                    rows.push((id, status, kind, due));
                }
            }
        }
        let selected: Vec<i64> = sqlx::query_scalar(&format!("SELECT r.id FROM requests r WHERE {condition} ORDER BY r.id"))
            .bind(t0())
            .bind(t0() + DueSoon::within())
            .fetch_all(&pool)
            .await
            .unwrap();
        (rows, selected)
    }

    async fn agree(condition: &str, holds: impl Fn(RequestStatus, RequestKind, Option<DateTime<Utc>>) -> bool) {
        let (rows, selected) = request_rows_where(condition).await;
        let expected: Vec<i64> = rows.iter().filter(|(_, s, k, d)| holds(*s, *k, *d)).map(|r| r.0).collect();
        assert!(!expected.is_empty() && expected.len() < rows.len(), "the fixture separates the rows for {condition}");
        assert_eq!(selected, expected, "SQL and Rust disagree on {condition}");
    }

    #[tokio::test]
    async fn unsent_sql_and_rust_agree() {
        agree(Unsent::SQL, |s, _, _| Unsent::holds(s)).await;
        agree(Unsent::NOT_SQL, |s, _, _| !Unsent::holds(s)).await;
    }

    #[tokio::test]
    async fn draft_sql_and_rust_agree() {
        agree(Draft::NOT_SQL, |s, _, _| !Draft::holds(s)).await;
    }

    #[tokio::test]
    async fn open_sql_and_rust_agree() {
        agree(Open::SQL, |s, _, _| Open::holds(s)).await;
    }

    #[tokio::test]
    async fn overdue_sql_and_rust_agree() {
        agree(&Overdue::sql("?1"), |s, _, d| Overdue::holds(s, d, t0())).await;
    }

    #[tokio::test]
    async fn due_soon_sql_and_rust_agree() {
        agree(&DueSoon::sql("?1", "?2"), |s, _, d| DueSoon::holds(s, d, t0())).await;
    }

    #[tokio::test]
    async fn expects_answer_sql_and_rust_agree() {
        agree(ExpectsAnswer::SQL, |_, k, _| ExpectsAnswer::holds(k)).await;
    }

    #[tokio::test]
    async fn pushed_filters_select_what_the_sql_does() {
        let pool = memory().await;
        sqlx::query("CREATE TABLE requests (id INTEGER PRIMARY KEY, status TEXT NOT NULL, due_at TEXT)").execute(&pool).await.unwrap();
        let rows = [
            (1, RequestStatus::Sent, t0() - Duration::hours(1)),
            (2, RequestStatus::Acknowledged, t0() + Duration::hours(1)),
            (3, RequestStatus::Answered, t0() - Duration::hours(1)),
            (4, RequestStatus::InProgress, t0() + Duration::hours(30)),
        ];
        for (id, status, due) in rows {
            sqlx::query("INSERT INTO requests VALUES (?, ?, ?)").bind(id).bind(status).bind(due).execute(&pool).await.unwrap();
        }
        let ids = |push: fn(&mut QueryBuilder<'_, Sqlite>, DateTime<Utc>)| {
            let pool = pool.clone();
            async move {
                let mut q = QueryBuilder::new("SELECT r.id FROM requests r WHERE 1=1");
                push(&mut q, t0());
                q.push(" ORDER BY r.id");
                q.build_query_scalar::<i64>().fetch_all(&pool).await.unwrap()
            }
        };
        assert_eq!(ids(Overdue::push).await, vec![1]);
        assert_eq!(ids(DueSoon::push).await, vec![2]);
        for (id, status, due) in rows {
            assert_eq!(Overdue::holds(status, Some(due), t0()), id == 1);
            assert_eq!(DueSoon::holds(status, Some(due), t0()), id == 2);
        }
    }

    #[tokio::test]
    async fn case_current_sql_and_rust_agree() {
        let pool = memory().await;
        sqlx::query("CREATE TABLE cases (id INTEGER PRIMARY KEY, status TEXT NOT NULL)").execute(&pool).await.unwrap();
        for (i, &status) in CaseStatus::ALL.iter().enumerate() {
            sqlx::query("INSERT INTO cases VALUES (?, ?)").bind(i as i64).bind(status).execute(&pool).await.unwrap();
        }
        let selected: Vec<i64> = sqlx::query_scalar(&format!("SELECT c.id FROM cases c WHERE {} ORDER BY c.id", CaseCurrent::SQL))
            .fetch_all(&pool)
            .await
            .unwrap();
        let expected: Vec<i64> =
            CaseStatus::ALL.iter().enumerate().filter(|(_, s)| CaseCurrent::holds(**s)).map(|(i, _)| i as i64).collect();
        assert_eq!(selected, expected);
        assert_eq!(expected.len(), 2);
    }

    #[test]
    fn overdue_exactly_after_the_due_time() {
        let due = t0();
        assert!(!Overdue::holds(RequestStatus::Sent, Some(due), due), "at the due instant: not yet overdue");
        assert!(Overdue::holds(RequestStatus::Sent, Some(due), due + Duration::seconds(1)));
        for s in [RequestStatus::Answered, RequestStatus::Declined, RequestStatus::Withdrawn, RequestStatus::Closed, RequestStatus::Draft] {
            assert!(!Overdue::holds(s, Some(due), due + Duration::days(30)), "{s:?}");
        }
        assert!(!Overdue::holds(RequestStatus::Sent, None, due + Duration::days(30)));
    }

    #[test]
    fn the_trend_starts_on_a_monday_25_weeks_before_this_one() {
        use chrono::Datelike;
        // 2026-11-25 is a Wednesday: this week's Monday is 2026-11-23.
        let start = trend_start(t0());
        assert_eq!(start.weekday(), chrono::Weekday::Mon);
        assert_eq!(start, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap() - Duration::weeks(25));
        // On a Monday itself, that Monday's week is the last of the 26.
        let monday = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
        assert_eq!(trend_start(monday), start);
        let sunday = Utc.with_ymd_and_hms(2026, 11, 29, 23, 59, 59).unwrap();
        assert_eq!(trend_start(sunday), start);
    }
}
