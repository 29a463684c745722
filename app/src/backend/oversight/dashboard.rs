//! The supervisor dashboard, computed in SQL (grouping, window functions for percentiles) over the
//! indexes, never by loading rows into memory. Scope: what the supervisor's country is party to.

use crate::backend::exchange::policy::Visibility;
use crate::backend::exchange::rules::{self, CaseCurrent, Draft, DueSoon, ExpectsAnswer, HasBeenSent, Open, Overdue};
use crate::error::AppError;
use crate::i18n::{LabelIn, Locale};
use crate::model::*;
use chrono::{DateTime, Duration, Utc};
use sqlx::SqlitePool;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Mutex;

/// The last computed dashboard of each country. Over years of data a computation takes seconds (the
/// percentiles sort every request of the last 90 days), and every supervisor of a country sees the same
/// figures, so views share one computation. Once it is older than `max_age`, a view still gets it at once
/// (its "as of" time says how old it is) and starts one recomputation in the background; only the very
/// first view of a country waits, and concurrent first views wait for the same computation.
#[derive(Clone, Default)]
pub struct Snapshots {
    by_country: Arc<std::sync::Mutex<HashMap<Country, Arc<Slot>>>>,
}

#[derive(Default)]
struct Slot {
    current: std::sync::Mutex<Option<Arc<DashboardView>>>,
    computing: Arc<Mutex<()>>,
}

impl Slot {
    fn current(&self) -> Option<Arc<DashboardView>> {
        self.current.lock().expect("not poisoned").clone()
    }
    fn store(&self, view: DashboardView) -> Arc<DashboardView> {
        let view = Arc::new(view);
        *self.current.lock().expect("not poisoned") = Some(view.clone());
        view
    }
}

impl Snapshots {
    fn slot(&self, country: Country) -> Arc<Slot> {
        self.by_country.lock().expect("not poisoned").entry(country).or_default().clone()
    }

    /// Computes every country's figures once, one country after the other, in the background: started with
    /// the server, so that no supervisor's first view waits seconds for them. A first view that comes
    /// meanwhile waits for the computation under way rather than start another.
    pub fn warm_up(&self, pool: SqlitePool) {
        let snapshots = self.clone();
        tokio::spawn(async move {
            for &country in Country::ALL {
                let slot = snapshots.slot(country);
                let _turn = slot.computing.lock().await;
                if slot.current().is_some() {
                    continue;
                }
                let started = std::time::Instant::now();
                match compute(&pool, country, Utc::now()).await {
                    Ok(view) => {
                        slot.store(view);
                        tracing::info!(
                            country = country.as_str(),
                            ms = started.elapsed().as_millis() as u64,
                            "dashboard figures computed at start-up"
                        );
                    }
                    Err(e) => tracing::warn!(error = %e, "dashboard figures could not be computed at start-up; the first view will"),
                }
            }
        });
    }

    /// The country's figures as computed (their time in UTC; `shown_in` for a viewer), shared by every
    /// view (see the type's doc for when they are computed again).
    pub async fn get(&self, pool: &SqlitePool, country: Country, max_age: std::time::Duration) -> Result<Arc<DashboardView>, AppError> {
        let slot = self.slot(country);
        let view = match slot.current() {
            Some(view) => {
                let aged = (Utc::now() - view.as_of.at).to_std().map(|age| age > max_age).unwrap_or(false);
                if let (true, Ok(turn)) = (aged, slot.computing.clone().try_lock_owned()) {
                    let (pool, slot) = (pool.clone(), slot.clone());
                    tokio::spawn(async move {
                        match compute(&pool, country, Utc::now()).await {
                            Ok(fresh) => drop(slot.store(fresh)),
                            Err(e) => tracing::warn!(error = %e, "dashboard recomputation failed; the previous figures stay"),
                        }
                        drop(turn);
                    });
                }
                view
            }
            None => {
                let _turn = slot.computing.lock().await;
                match slot.current() {
                    Some(view) => view,
                    None => slot.store(compute(pool, country, Utc::now()).await?),
                }
            }
        };
        Ok(view)
    }
}

/// The figures with their time shown in `zone`.
pub fn shown_in(figures: &DashboardView, zone: &str, l: Locale) -> DashboardView {
    let mut view = figures.clone();
    view.as_of.text = crate::backend::platform::time::display_in(l, view.as_of.at, zone);
    // Computed once for every reader, the figures hold codes: each is said here in the reader's language.
    view.country = view.country.parse::<Country>().map(|c| c.label_in(l)).unwrap_or_default();
    let said = |figures: &mut Vec<Figure>, say: &dyn Fn(&str) -> Option<String>| {
        for f in figures.iter_mut() {
            f.label = say(&f.label).unwrap_or_else(|| f.label.clone());
        }
    };
    said(&mut view.open_cases_by_category, &|code| code.parse::<Category>().ok().map(|c| c.label_in(l)));
    said(&mut view.open_cases_by_priority, &|code| code.parse::<Priority>().ok().map(|p| p.label_in(l)));
    said(&mut view.incoming_by_status, &|code| code.parse::<RequestStatus>().ok().map(|s| s.label_in(l)));
    said(&mut view.outgoing_by_status, &|code| code.parse::<RequestStatus>().ok().map(|s| s.label_in(l)));
    for f in [
        &mut view.overdue_incoming,
        &mut view.overdue_outgoing,
        &mut view.due_within_24h,
        &mut view.untaken,
        &mut view.untaken_overdue,
        &mut view.consents_awaited,
        &mut view.consents_overdue,
    ] {
        f.label = crate::i18n::t(l, &f.label, None);
    }
    view
}

/// Current cases the country is party to, counted by `column` (category or priority).
async fn current_cases_by(pool: &SqlitePool, country: Country, column: &str) -> Result<Vec<(String, i64)>, AppError> {
    let mut q = sqlx::QueryBuilder::new(format!("SELECT c.{column}, COUNT(*) FROM cases c WHERE "));
    q.push(CaseCurrent::SQL);
    Visibility::Country(country).push_sql(&mut q, "c.id");
    q.push(format!(" GROUP BY c.{column} ORDER BY 2 DESC"));
    Ok(q.build_query_as().fetch_all(pool).await?)
}

pub async fn compute(pool: &SqlitePool, country: Country, now: DateTime<Utc>) -> Result<DashboardView, AppError> {
    let (open_cases_by_category, open_cases_by_priority) = case_figures(pool, country).await?;
    let (overdue_in, overdue_out, due_24h) = deadline_counts(pool, country, now).await?;
    let (workload, untaken) = workload(pool, country, now).await?;
    let (consents_awaited, consents_overdue) =
        crate::backend::exchange::consents::country_figures(&mut *pool.acquire().await?, country, now).await?;
    Ok(DashboardView {
        country: country.as_str().into(),
        as_of: ShownTime { at: now, text: String::new() },
        open_cases_by_category,
        open_cases_by_priority,
        incoming_by_status: status_figures(pool, country, Side::Received).await?,
        outgoing_by_status: status_figures(pool, country, Side::Sent).await?,
        overdue_incoming: Figure {
            label: "dash-overdue-received".into(),
            value: overdue_in,
            link: "/requests?direction=incoming&overdue=1".into(),
        },
        overdue_outgoing: Figure {
            label: "dash-overdue-sent".into(),
            value: overdue_out,
            link: "/requests?direction=outgoing&overdue=1".into(),
        },
        due_within_24h: Figure { label: "dash-due-24h".into(), value: due_24h, link: "/requests?direction=incoming&due_soon=1".into() },
        timeliness: timeliness(pool, country, now).await?,
        trend: trend(pool, country, now).await?,
        untaken: Figure {
            label: "dash-untaken".into(),
            value: untaken.0,
            link: format!("/requests?direction=incoming&status={REQUESTS_OPEN}&officer=0"),
        },
        untaken_overdue: Figure {
            label: "dash-untaken-overdue".into(),
            value: untaken.1,
            link: "/requests?direction=incoming&overdue=1&officer=0".into(),
        },
        consents_awaited: Figure { label: "dash-consents-awaited".into(), value: consents_awaited, link: "/#consents-h".into() },
        consents_overdue: Figure { label: "dash-consents-overdue".into(), value: consents_overdue, link: "/#consents-h".into() },
        workload,
    })
}

/// Current cases by category (largest first) and by priority (every priority that has one, and Urgent always).
async fn case_figures(pool: &SqlitePool, country: Country) -> Result<(Vec<Figure>, Vec<Figure>), AppError> {
    let by_cat = current_cases_by(pool, country, "category").await?;
    let by_pri = current_cases_by(pool, country, "priority").await?;
    let by_category = by_cat
        .into_iter()
        .map(|(k, n)| Figure { label: k.clone(), value: n, link: format!("/cases?category={k}&status={CASES_CURRENT}") })
        .collect();
    let mut by_priority: Vec<Figure> = Priority::ALL
        .iter()
        .map(|p| Figure {
            label: p.as_str().into(),
            value: by_pri.iter().find(|(k, _)| k == p.as_str()).map(|x| x.1).unwrap_or(0),
            link: format!("/cases?priority={}&status={CASES_CURRENT}", p.as_str()),
        })
        .collect();
    by_priority.retain(|f| f.value > 0 || f.label == Priority::Urgent.as_str());
    Ok((by_category, by_priority))
}

/// Which side of the exchange a count is about: requests the country received, or sent.
#[derive(Clone, Copy)]
enum Side {
    Received,
    Sent,
}

/// Requests of one side by status, each status that has any.
async fn status_figures(pool: &SqlitePool, country: Country, side: Side) -> Result<Vec<Figure>, AppError> {
    // By agency id, so the count reads only the (agency, status) index, not every request.
    // A request awaiting its sender's approval has not reached the recipient yet.
    let (col, shown, dir) = match side {
        Side::Received => ("r.to_agency_id", HasBeenSent::SQL, "incoming"),
        Side::Sent => ("r.from_agency_id", Draft::NOT_SQL, "outgoing"),
    };
    let rows: Vec<(RequestStatus, i64)> = sqlx::query_as(&format!(
        "SELECT r.status, COUNT(*) FROM requests r WHERE {col} IN (SELECT id FROM agencies WHERE country = ?) \
         AND {shown} GROUP BY r.status"
    ))
    .bind(country.as_str())
    .fetch_all(pool)
    .await?;
    Ok(RequestStatus::ALL
        .iter()
        .filter_map(|s| {
            let n = rows.iter().find(|(k, _)| k == s).map(|x| x.1)?;
            Some(Figure { label: s.as_str().into(), value: n, link: format!("/requests?direction={dir}&status={}", s.as_str()) })
        })
        .collect())
}

/// (overdue received, overdue sent, received and due within 24 hours)
async fn deadline_counts(pool: &SqlitePool, country: Country, now: DateTime<Utc>) -> Result<(i64, i64, i64), AppError> {
    let count = |agency_col: &'static str, rule: String, until: Option<DateTime<Utc>>| async move {
        let q = format!("SELECT COUNT(*) FROM requests r JOIN agencies a ON a.id = r.{agency_col} WHERE a.country = ?1 AND {rule}");
        let mut q = sqlx::query_scalar::<_, i64>(&q).bind(country.as_str()).bind(now);
        if let Some(until) = until {
            q = q.bind(until);
        }
        q.fetch_one(pool).await
    };
    Ok((
        count("to_agency_id", Overdue::sql("?2"), None).await?,
        count("from_agency_id", Overdue::sql("?2"), None).await?,
        count("to_agency_id", DueSoon::sql("?2", "?3"), Some(now + DueSoon::within())).await?,
    ))
}

/// (window, direction, counterpart, requests, ack p50, ack p90, answer p50, answer p90, answered in time, answered with a deadline)
type TimelinessSql = (i64, String, String, i64, Option<f64>, Option<f64>, Option<f64>, Option<f64>, i64, i64);

/// Acknowledgement and answer times (median, 90th percentile) and the share answered in time, over 30 and
/// 90 days, for each direction, in all and per counterpart.
async fn timeliness(pool: &SqlitePool, country: Country, now: DateTime<Utc>) -> Result<Vec<TimelinessRow>, AppError> {
    // Each of the query's sorts may hold as much memory as the connection's page cache before spilling to
    // a temporary file, so this one query runs with a small cache (same speed; BENCHMARKS.md).
    let mut conn = pool.acquire().await?;
    let cache_size: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut *conn).await?;
    sqlx::query("PRAGMA cache_size = -1024").execute(&mut *conn).await?;
    let rows: Result<Vec<TimelinessSql>, sqlx::Error> = sqlx::query_as(&timeliness_sql())
        .bind(country.as_str())
        .bind((now - Duration::days(90)).to_rfc3339())
        .bind((now - Duration::days(30)).to_rfc3339())
        .fetch_all(&mut *conn)
        .await;
    // Restored whether or not the query succeeded: the connection goes back to the pool.
    sqlx::query(&format!("PRAGMA cache_size = {cache_size}")).execute(&mut *conn).await?;
    Ok(rows?
        .into_iter()
        .map(|r| TimelinessRow {
            window_days: r.0,
            direction: r.1,
            counterpart: r.2,
            requests: r.3,
            ack_median_hours: r.4,
            ack_p90_hours: r.5,
            answer_median_hours: r.6,
            answer_p90_hours: r.7,
            within_deadline: (r.9 > 0).then(|| r.8 as f64 / r.9 as f64),
        })
        .collect())
}

/// The timeliness query (?1 country, ?2 start of the 90 days, ?3 start of the 30 days): one pass over the
/// last 90 days (the 30-day rows are the recent part of the same scan), read from a covering index so no
/// request row is opened. Percentiles are nearest-rank: the median is the ceil(n/2)-th value, the 90th
/// percentile the ceil(0.9 n)-th.
///
/// The hours are sorted twice, once per country side and kind ("All") and once per counterpart; the
/// 30-day ranks are running counts of the recent rows in the same sorted order, so the 30-day window
/// costs no sort of its own. Only the rows at a wanted rank are kept ("picks"). Directions and
/// counterparts travel as integers (0 = received, 1 = sent; agency id, 0 = All): narrower rows sort faster.
fn timeliness_sql() -> String {
    let median = |n: &str| format!("({n} + 1) / 2");
    let p90 = |n: &str| format!("MAX(1, CAST(0.9 * {n} + 0.9999999 AS INTEGER))");
    // (window, group, its GROUP BY, rank, count, only recent rows)
    let branches = [
        ("90", "0", "dir, k", "r90a", "n90a", "1"),
        ("30", "0", "dir, k", "r30a", "n30a", "in30"),
        ("90", "cp", "dir, cp, k", "r90c", "n90c", "1"),
        ("30", "cp", "dir, cp, k", "r30c", "n30c", "in30"),
    ];
    let wanted = branches
        .iter()
        .map(|(_, _, _, r, n, only)| format!("({only} AND {r} IN ({}, {}))", median(n), p90(n)))
        .collect::<Vec<_>>()
        .join(" OR ");
    let pct = branches
        .iter()
        .map(|(w, g, group_by, r, n, only)| {
            format!(
                "SELECT {w} AS w, dir, {g} AS g, k, MAX(CASE WHEN {only} AND {r} = {} THEN h END) AS p50, \
                 MAX(CASE WHEN {only} AND {r} = {} THEN h END) AS p90 FROM picks GROUP BY {group_by}",
                median(n),
                p90(n)
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    format!(
        "WITH d AS MATERIALIZED ( \
            SELECT (ta.country != ?1) AS dir, \
                   CASE WHEN ta.country = ?1 THEN r.from_agency_id ELSE r.to_agency_id END AS cp, \
                   r.sent_at >= ?3 AS in30, \
                   (julianday(r.acknowledged_at) - julianday(r.sent_at)) * 24.0 AS ack_h, \
                   (julianday(r.answered_at) - julianday(r.sent_at)) * 24.0 AS ans_h, \
                   CASE WHEN r.answered_at IS NOT NULL AND r.due_at IS NOT NULL \
                        THEN julianday(r.answered_at) <= julianday(r.due_at) END AS ok \
            FROM requests r INDEXED BY requests_timing \
            JOIN agencies fa ON fa.id = r.from_agency_id JOIN agencies ta ON ta.id = r.to_agency_id \
            WHERE r.sent_at >= ?2 AND {expects} AND (fa.country = ?1 OR ta.country = ?1)), \
         m AS (SELECT dir, cp, in30, 0 AS k, ack_h AS h FROM d WHERE ack_h IS NOT NULL \
               UNION ALL SELECT dir, cp, in30, 1, ans_h FROM d WHERE ans_h IS NOT NULL), \
         ranked AS MATERIALIZED (SELECT dir, cp, in30, k, h, \
               ROW_NUMBER() OVER by_side AS r90a, COUNT(*) FILTER (WHERE in30) OVER by_side AS r30a, \
               COUNT(*) OVER by_side_all AS n90a, COUNT(*) FILTER (WHERE in30) OVER by_side_all AS n30a, \
               ROW_NUMBER() OVER by_cp AS r90c, COUNT(*) FILTER (WHERE in30) OVER by_cp AS r30c, \
               COUNT(*) OVER by_cp_all AS n90c, COUNT(*) FILTER (WHERE in30) OVER by_cp_all AS n30c \
             FROM m WINDOW \
               by_side AS (PARTITION BY dir, k ORDER BY h ROWS UNBOUNDED PRECEDING), \
               by_side_all AS (PARTITION BY dir, k ORDER BY h ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), \
               by_cp AS (PARTITION BY dir, cp, k ORDER BY h ROWS UNBOUNDED PRECEDING), \
               by_cp_all AS (PARTITION BY dir, cp, k ORDER BY h ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)), \
         picks AS MATERIALIZED (SELECT * FROM ranked WHERE {wanted}), \
         pct AS ({pct}), \
         tot AS (SELECT 90 AS w, dir, cp AS g, COUNT(*) AS n, COALESCE(SUM(ok), 0) AS ok, COUNT(ok) AS judged FROM d GROUP BY dir, cp \
            UNION ALL SELECT 90, dir, 0, COUNT(*), COALESCE(SUM(ok), 0), COUNT(ok) FROM d GROUP BY dir \
            UNION ALL SELECT 30, dir, cp, COUNT(*), COALESCE(SUM(ok), 0), COUNT(ok) FROM d WHERE in30 GROUP BY dir, cp \
            UNION ALL SELECT 30, dir, 0, COUNT(*), COALESCE(SUM(ok), 0), COUNT(ok) FROM d WHERE in30 GROUP BY dir) \
         SELECT t.w, CASE t.dir WHEN 0 THEN 'received' ELSE 'sent' END, COALESCE(ag.code, 'All'), t.n, \
                a.p50, a.p90, b.p50, b.p90, t.ok, t.judged FROM tot t \
         LEFT JOIN pct a ON a.w = t.w AND a.dir = t.dir AND a.g = t.g AND a.k = 0 \
         LEFT JOIN pct b ON b.w = t.w AND b.dir = t.dir AND b.g = t.g AND b.k = 1 \
         LEFT JOIN agencies ag ON ag.id = t.g \
         ORDER BY t.w, t.dir, t.g != 0, ag.code",
        expects = ExpectsAnswer::SQL
    )
}

/// Requests sent, received and answered per week: 26 weeks, Monday-based, oldest first.
async fn trend(pool: &SqlitePool, country: Country, now: DateTime<Utc>) -> Result<Vec<WeekPoint>, AppError> {
    let first = rules::trend_start(now);
    let weekly: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "WITH w AS (SELECT date(r.sent_at, 'weekday 0', '-6 days') AS sent_week, \
                           date(r.answered_at, 'weekday 0', '-6 days') AS answered_week, fa.country AS fc, ta.country AS tc \
                    FROM requests r INDEXED BY requests_timing JOIN agencies fa ON fa.id = r.from_agency_id JOIN agencies ta ON ta.id = r.to_agency_id \
                    WHERE r.sent_at >= ?1 AND (fa.country = ?2 OR ta.country = ?2)) \
         SELECT wk, SUM(sent), SUM(received), SUM(answered) FROM ( \
            SELECT sent_week AS wk, CASE WHEN fc = ?2 THEN 1 ELSE 0 END AS sent, CASE WHEN tc = ?2 THEN 1 ELSE 0 END AS received, 0 AS answered FROM w \
            UNION ALL SELECT answered_week, 0, 0, CASE WHEN tc = ?2 THEN 1 ELSE 0 END FROM w WHERE answered_week IS NOT NULL) GROUP BY wk",
    )
    .bind(first.to_string())
    .bind(country.as_str())
    .fetch_all(pool)
    .await?;
    Ok((0..26)
        .map(|i| {
            let week = (first + Duration::weeks(i)).to_string();
            let row = weekly.iter().find(|w| w.0 == week);
            WeekPoint {
                week,
                sent: row.map(|r| r.1).unwrap_or(0),
                received: row.map(|r| r.2).unwrap_or(0),
                answered: row.map(|r| r.3).unwrap_or(0),
            }
        })
        .collect())
}

/// Each active officer's current cases led, open requests in their charge and how many are overdue (most
/// overdue first), and (open, overdue) of the received requests nobody has taken yet.
async fn workload(pool: &SqlitePool, country: Country, now: DateTime<Utc>) -> Result<(Vec<OfficerLoad>, (i64, i64)), AppError> {
    // Open requests are grouped by the officer in charge on this side once, instead of being searched
    // again for every officer. The row with id 0 holds the requests no one is in charge of.
    // An account no longer active (disabled) is listed while it still leads a current case or is in charge of
    // an open request, first: that work waits for a supervisor to hand it over (the links lead to the lists,
    // where the case list's bulk panel reassigns it).
    let rows: Vec<(i64, String, String, i64, i64, i64, bool)> = sqlx::query_as(&format!(
        "WITH o AS MATERIALIZED (SELECT {in_charge} AS uid, COUNT(*) AS open, COALESCE(SUM({overdue}), 0) AS overdue \
                    FROM requests r JOIN cases c ON c.id = r.case_id \
                    JOIN agencies fa ON fa.id = r.from_agency_id JOIN agencies ta ON ta.id = r.to_agency_id \
                    WHERE {open} AND ?2 IN (fa.country, ta.country) GROUP BY uid) \
         SELECT u.id, u.display_name, a.code, \
           (SELECT COUNT(*) FROM cases c WHERE c.lead_user_id = u.id AND {current}) AS led, \
           COALESCE(o.open, 0), COALESCE(o.overdue, 0), u.status != 'active' \
         FROM users u JOIN agencies a ON a.id = u.agency_id LEFT JOIN o ON o.uid = u.id \
         WHERE a.country = ?2 AND u.role != 'admin' \
           AND ((u.role = 'officer' AND u.status = 'active') OR (u.status != 'active' AND (o.open > 0 OR \
                EXISTS (SELECT 1 FROM cases c WHERE c.lead_user_id = u.id AND {current})))) \
         UNION ALL SELECT 0, '', '', 0, COALESCE(SUM(open), 0), COALESCE(SUM(overdue), 0), 0 FROM o WHERE uid IS NULL \
         ORDER BY 7 DESC, 6 DESC, 5 DESC, 2",
        in_charge = rules::in_charge_sql(country),
        overdue = Overdue::sql("?1"),
        open = Open::SQL,
        current = CaseCurrent::SQL
    ))
    .bind(now)
    .bind(country.as_str())
    .fetch_all(pool)
    .await?;
    let untaken = rows.iter().find(|w| w.0 == 0).map(|w| (w.4, w.5)).unwrap_or((0, 0));
    let loads = rows
        .into_iter()
        .filter(|w| w.0 != 0)
        .map(|(user_id, name, agency, open_cases_led, open_requests, overdue, inactive)| OfficerLoad {
            user_id,
            inactive,
            name,
            agency,
            open_cases_led,
            open_requests,
            overdue,
        })
        .collect();
    Ok((loads, untaken))
}
