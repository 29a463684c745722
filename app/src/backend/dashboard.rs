//! The supervisor dashboard, computed in SQL (grouping, window functions for percentiles) over the
//! indexes, never by loading rows into memory. Scope: what the supervisor's country is party to.

use crate::error::AppError;
use crate::model::*;
use chrono::{DateTime, Duration, Utc};
use sqlx::SqlitePool;

const OPEN: &str = "('sent', 'acknowledged', 'in_progress')";

/// Nearest-rank percentiles per group, in hours, of `end - start` over the rows `filter` selects.
/// Returns (group, count, median, p90).
async fn percentiles(pool: &SqlitePool, group_expr: &str, start: &str, end: &str, filter: &str, binds: &[String]) -> Result<Vec<(String, i64, Option<f64>, Option<f64>)>, AppError> {
    let sql = format!(
        "WITH d AS (SELECT {group_expr} AS g, (julianday({end}) - julianday({start})) * 24.0 AS h FROM requests r INDEXED BY requests_sent \
           JOIN agencies fa ON fa.id = r.from_agency_id JOIN agencies ta ON ta.id = r.to_agency_id WHERE {filter} AND {end} IS NOT NULL), \
         all_groups AS (SELECT g, h FROM d UNION ALL SELECT 'All', h FROM d), \
         ranked AS (SELECT g, h, ROW_NUMBER() OVER (PARTITION BY g ORDER BY h) AS rn, COUNT(*) OVER (PARTITION BY g) AS n FROM all_groups) \
         SELECT g, MAX(n), MAX(CASE WHEN rn = CAST((n + 1) / 2 AS INTEGER) THEN h END), \
                MAX(CASE WHEN rn = MAX(1, CAST(0.9 * n + 0.9999999 AS INTEGER)) THEN h END) FROM ranked GROUP BY g"
    );
    let mut q = sqlx::query_as::<_, (String, i64, Option<f64>, Option<f64>)>(&sql);
    for b in binds {
        q = q.bind(b);
    }
    Ok(q.fetch_all(pool).await?)
}

pub async fn compute(pool: &SqlitePool, country: Country, now: DateTime<Utc>) -> Result<DashboardView, AppError> {
    let c = country.as_str().to_string();
    // Cases open, visible to the country.
    let visible = "EXISTS (SELECT 1 FROM case_parties p JOIN agencies a ON a.id = p.agency_id WHERE p.case_id = c.id AND a.country = ?)";
    let by_cat: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT c.category, COUNT(*) FROM cases c WHERE c.status IN ('open', 'active') AND {visible} GROUP BY c.category ORDER BY 2 DESC"
    ))
    .bind(&c)
    .fetch_all(pool)
    .await?;
    let by_pri: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT c.priority, COUNT(*) FROM cases c WHERE c.status IN ('open', 'active') AND {visible} GROUP BY c.priority"
    ))
    .bind(&c)
    .fetch_all(pool)
    .await?;
    let label = |s: &str, f: fn(&str) -> Option<&'static str>| f(s).unwrap_or("?").to_string();
    let open_cases_by_category = by_cat
        .into_iter()
        .map(|(k, n)| Figure { label: label(&k, |s| s.parse::<Category>().ok().map(|x| x.label())), value: n, link: format!("/cases?category={k}") })
        .collect();
    let mut open_cases_by_priority: Vec<Figure> = Priority::ALL
        .iter()
        .map(|p| Figure { label: p.label().into(), value: by_pri.iter().find(|(k, _)| k == p.as_str()).map(|x| x.1).unwrap_or(0), link: format!("/cases?priority={}", p.as_str()) })
        .collect();
    open_cases_by_priority.retain(|f| f.value > 0 || f.label == "Urgent");

    let by_status = |side: &'static str| {
        let c = c.clone();
        async move {
            // By agency id, so the count reads only the (agency, status) index, not every request.
            let col = if side == "in" { "r.to_agency_id" } else { "r.from_agency_id" };
            let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
                "SELECT r.status, COUNT(*) FROM requests r WHERE {col} IN (SELECT id FROM agencies WHERE country = ?) \
                 AND r.status NOT IN ('draft') GROUP BY r.status"
            ))
            .bind(&c)
            .fetch_all(pool)
            .await?;
            let dir = if side == "in" { "incoming" } else { "outgoing" };
            Ok::<Vec<Figure>, AppError>(
                RequestStatus::ALL
                    .iter()
                    .filter_map(|s| {
                        let n = rows.iter().find(|(k, _)| k == s.as_str()).map(|x| x.1)?;
                        Some(Figure { label: s.label().into(), value: n, link: format!("/requests?direction={dir}&status={}", s.as_str()) })
                    })
                    .collect(),
            )
        }
    };
    let incoming_by_status = by_status("in").await?;
    let outgoing_by_status = by_status("out").await?;

    let count = |sql: String, binds: Vec<String>| async move {
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for b in binds {
            q = q.bind(b);
        }
        Ok::<i64, AppError>(q.fetch_one(pool).await?)
    };
    let now_s = now;
    let overdue_in: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM requests r JOIN agencies ta ON ta.id = r.to_agency_id WHERE ta.country = ? AND r.status IN {OPEN} AND r.due_at < ?"
    ))
    .bind(&c)
    .bind(now_s)
    .fetch_one(pool)
    .await?;
    let overdue_out: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM requests r JOIN agencies fa ON fa.id = r.from_agency_id WHERE fa.country = ? AND r.status IN {OPEN} AND r.due_at < ?"
    ))
    .bind(&c)
    .bind(now_s)
    .fetch_one(pool)
    .await?;
    let due_24h: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM requests r JOIN agencies ta ON ta.id = r.to_agency_id WHERE ta.country = ? AND r.status IN {OPEN} \
         AND r.due_at >= ? AND r.due_at < ?"
    ))
    .bind(&c)
    .bind(now_s)
    .bind(now_s + Duration::hours(24))
    .fetch_one(pool)
    .await?;
    let _ = count;

    // Timeliness by window, direction and counterpart.
    let mut timeliness = Vec::new();
    for days in [30i64, 90] {
        let since = (now - Duration::days(days)).to_rfc3339();
        for (direction, ours, theirs) in [("received", "ta", "fa"), ("sent", "fa", "ta")] {
            let filter = format!("{ours}.country = ? AND r.sent_at >= ? AND r.kind != 'intelligence_share'");
            let binds = vec![c.clone(), since.clone()];
            let ack = percentiles(pool, &format!("{theirs}.code"), "r.sent_at", "r.acknowledged_at", &filter, &binds).await?;
            let ans = percentiles(pool, &format!("{theirs}.code"), "r.sent_at", "r.answered_at", &filter, &binds).await?;
            let share: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
                "WITH d AS (SELECT {theirs}.code AS g, CASE WHEN julianday(r.answered_at) <= julianday(r.due_at) THEN 1 ELSE 0 END AS ok \
                 FROM requests r INDEXED BY requests_sent JOIN agencies fa ON fa.id = r.from_agency_id JOIN agencies ta ON ta.id = r.to_agency_id \
                 WHERE {filter} AND r.answered_at IS NOT NULL AND r.due_at IS NOT NULL) \
                 SELECT g, SUM(ok), COUNT(*) FROM d GROUP BY g UNION ALL SELECT 'All', COALESCE(SUM(ok), 0), COUNT(*) FROM d"
            ))
            .bind(&c)
            .bind(&since)
            .fetch_all(pool)
            .await?;
            let totals: Vec<(String, i64)> = sqlx::query_as(&format!(
                "SELECT {theirs}.code, COUNT(*) FROM requests r INDEXED BY requests_sent JOIN agencies fa ON fa.id = r.from_agency_id \
                 JOIN agencies ta ON ta.id = r.to_agency_id WHERE {filter} GROUP BY 1 \
                 UNION ALL SELECT 'All', COUNT(*) FROM requests r INDEXED BY requests_sent JOIN agencies fa ON fa.id = r.from_agency_id \
                 JOIN agencies ta ON ta.id = r.to_agency_id WHERE {filter}"
            ))
            .bind(&c)
            .bind(&since)
            .bind(&c)
            .bind(&since)
            .fetch_all(pool)
            .await?;
            let mut groups: Vec<String> = totals.iter().filter(|(_, n)| *n > 0).map(|(g, _)| g.clone()).collect();
            groups.sort_by_key(|g| (g != "All", g.clone()));
            for g in groups {
                let a = ack.iter().find(|x| x.0 == g);
                let b = ans.iter().find(|x| x.0 == g);
                let sh = share.iter().find(|x| x.0 == g && x.2 > 0);
                timeliness.push(TimelinessRow {
                    window_days: days,
                    direction: direction.into(),
                    counterpart: g.clone(),
                    requests: totals.iter().find(|x| x.0 == g).map(|x| x.1).unwrap_or(0),
                    ack_median_hours: a.and_then(|x| x.2),
                    ack_p90_hours: a.and_then(|x| x.3),
                    answer_median_hours: b.and_then(|x| x.2),
                    answer_p90_hours: b.and_then(|x| x.3),
                    within_deadline: sh.map(|x| x.1 as f64 / x.2 as f64),
                });
            }
        }
    }

    // 26 weeks, Monday-based, oldest first.
    let monday = (now - Duration::days(now.format("%u").to_string().parse::<i64>().unwrap_or(1) - 1)).date_naive();
    let first = monday - Duration::weeks(25);
    let weekly: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "WITH w AS (SELECT date(r.sent_at, 'weekday 0', '-6 days') AS sent_week, \
                           date(r.answered_at, 'weekday 0', '-6 days') AS answered_week, fa.country AS fc, ta.country AS tc \
                    FROM requests r INDEXED BY requests_sent JOIN agencies fa ON fa.id = r.from_agency_id JOIN agencies ta ON ta.id = r.to_agency_id \
                    WHERE r.sent_at >= ? AND (fa.country = ? OR ta.country = ?)) \
         SELECT wk, SUM(sent), SUM(received), SUM(answered) FROM ( \
            SELECT sent_week AS wk, CASE WHEN fc = ? THEN 1 ELSE 0 END AS sent, CASE WHEN tc = ? THEN 1 ELSE 0 END AS received, 0 AS answered FROM w \
            UNION ALL SELECT answered_week, 0, 0, CASE WHEN tc = ? THEN 1 ELSE 0 END FROM w WHERE answered_week IS NOT NULL) GROUP BY wk",
    )
    .bind(first.to_string())
    .bind(&c)
    .bind(&c)
    .bind(&c)
    .bind(&c)
    .bind(&c)
    .fetch_all(pool)
    .await?;
    let trend = (0..26)
        .map(|i| {
            let week = (first + Duration::weeks(i)).to_string();
            let row = weekly.iter().find(|w| w.0 == week);
            WeekPoint { week, sent: row.map(|r| r.1).unwrap_or(0), received: row.map(|r| r.2).unwrap_or(0), answered: row.map(|r| r.3).unwrap_or(0) }
        })
        .collect();

    // Open requests are grouped by lead once, instead of being searched again for every officer.
    let workload: Vec<(i64, String, String, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT u.id, u.display_name, a.code, \
           (SELECT COUNT(*) FROM cases c WHERE c.lead_user_id = u.id AND c.status IN ('open', 'active')), \
           COALESCE(o.open, 0), COALESCE(o.overdue, 0) \
         FROM users u JOIN agencies a ON a.id = u.agency_id \
         LEFT JOIN (SELECT c.lead_user_id AS uid, COUNT(*) AS open, SUM(r.due_at < ?) AS overdue \
                    FROM requests r JOIN cases c ON c.id = r.case_id WHERE r.status IN {OPEN} GROUP BY c.lead_user_id) o ON o.uid = u.id \
         WHERE a.country = ? AND u.role = 'officer' AND u.status = 'active' \
         ORDER BY 6 DESC, 5 DESC, u.display_name"
    ))
    .bind(now_s)
    .bind(&c)
    .fetch_all(pool)
    .await?;

    Ok(DashboardView {
        country: country.label().into(),
        open_cases_by_category,
        open_cases_by_priority,
        incoming_by_status,
        outgoing_by_status,
        overdue_incoming: Figure { label: "Overdue, received by us".into(), value: overdue_in, link: "/requests?direction=incoming&overdue=1".into() },
        overdue_outgoing: Figure { label: "Overdue, sent by us".into(), value: overdue_out, link: "/requests?direction=outgoing&overdue=1".into() },
        due_within_24h: Figure { label: "Due within 24 hours".into(), value: due_24h, link: "/requests?direction=incoming&due_soon=1".into() },
        timeliness,
        trend,
        workload: workload
            .into_iter()
            .map(|(user_id, name, agency, open_cases_led, open_requests, overdue)| OfficerLoad { user_id, name, agency, open_cases_led, open_requests, overdue })
            .collect(),
    })
}
