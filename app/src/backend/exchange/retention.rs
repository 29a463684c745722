//! Retention review: a closed case comes up for review some years after it was closed (per country and
//! category, `retention_periods`); its owning country's supervisors keep it until a date, with a reason, or
//! purge it. A purge empties the content (texts, files, indicators, persons, companies and vessels) and
//! keeps a skeleton (reference, dates, parties, counts) and the audit trail, whose events never held the
//! content, so the chain still verifies. Who may review is decided in `policy::ensure_retention`.

use crate::backend::platform::db::Tx;
use crate::backend::platform::time::shown;
use crate::error::{AppError, Problems};
use crate::model::*;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

/// Due for review: a review date has come, and the case has not been purged.
pub struct ReviewDue;

impl ReviewDue {
    /// With `now` the expression of the current time (a parameter such as `?1`).
    pub fn sql(now: &str) -> String {
        format!("(c.review_at IS NOT NULL AND c.purged_at IS NULL AND c.review_at <= {now})")
    }
    pub fn holds(review_at: Option<DateTime<Utc>>, purged: bool, now: DateTime<Utc>) -> bool {
        !purged && review_at.is_some_and(|r| r <= now)
    }
}

/// Nothing more is done on a purged case: the one refusal every write path gives.
pub fn refuse_if_purged(purged: bool) -> Result<(), AppError> {
    if purged {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-case-was-purged-retention-review")));
    }
    Ok(())
}

/// The case's review date when closed at `closed`: its owning country's period for its category, or that
/// country's default.
pub async fn review_date(conn: &mut SqliteConnection, case_id: i64, closed: DateTime<Utc>) -> Result<DateTime<Utc>, AppError> {
    let years: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT p.years FROM retention_periods p WHERE p.country = a.country AND p.category = c.category), \
         (SELECT p.years FROM retention_periods p WHERE p.country = a.country AND p.category = '*'), 5) \
         FROM cases c JOIN agencies a ON a.id = c.owner_agency_id WHERE c.id = ?",
    )
    .bind(case_id)
    .fetch_one(conn)
    .await?;
    Ok(closed.checked_add_months(chrono::Months::new(12 * years.clamp(1, 100) as u32)).unwrap_or(closed))
}

/// The longest period a country may set, in years (the table's CHECK says the same).
pub const MAX_PERIOD_YEARS: i64 = 100;

/// A period as its country's admin sets it: for one category (None: the default of every category without
/// its own), whole years, or None for a category to follow the default again.
#[derive(Debug, PartialEq, Eq)]
pub struct NewPeriod {
    pub category: Option<Category>,
    pub years: Option<i64>,
}

impl NewPeriod {
    pub fn parse(form: &RetentionPeriodForm) -> Result<Self, AppError> {
        let mut p = Problems::default();
        let category = match form.category.trim() {
            "*" => Some(None),
            code => p.parsed::<Category>(code, "category", tr!(crate::i18n::reader(), "err-choose-category")).map(Some),
        };
        let years = match form.years.trim() {
            "" => Some(None),
            text => {
                let years = text.parse::<i64>().ok().filter(|y| (1..=MAX_PERIOD_YEARS).contains(y));
                p.check(years.is_some(), "years", tr!(crate::i18n::reader(), "err-retention-years", max = MAX_PERIOD_YEARS));
                years.map(Some)
            }
        };
        // The default is what every other category follows: it cannot be emptied.
        if category == Some(None) && years == Some(None) {
            p.add("years", tr!(crate::i18n::reader(), "err-retention-years", max = MAX_PERIOD_YEARS));
        }
        let parsed = (|| Some(NewPeriod { category: category?, years: years? }))();
        p.finish(parsed)
    }
}

/// Each category's period in `country` (the default first), as its admin sees and sets them.
pub async fn periods(conn: &mut SqliteConnection, country: Country) -> Result<Vec<RetentionPeriodView>, AppError> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT category, years FROM retention_periods WHERE country = ?").bind(country.as_str()).fetch_all(conn).await?;
    let years_of = |code: &str| rows.iter().find(|(c, _)| c == code).map(|(_, y)| *y);
    let default = RetentionPeriodView { category: None, years: years_of("*") };
    Ok(std::iter::once(default)
        .chain(Category::ALL.iter().map(|c| RetentionPeriodView { category: Some(*c), years: years_of(c.as_str()) }))
        .collect())
}

/// Sets one period of `country`, answering the years it replaces. Cases closed from now on come up for review
/// by it; a case already closed keeps the review date it was given (a supervisor may keep it longer).
pub async fn set_period(tx: &mut Tx, country: Country, new: &NewPeriod) -> Result<Option<i64>, AppError> {
    let code = new.category.map_or("*", |c| c.as_str());
    let previous: Option<i64> = sqlx::query_scalar("SELECT years FROM retention_periods WHERE country = ? AND category = ?")
        .bind(country.as_str())
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?;
    match new.years {
        Some(years) => {
            sqlx::query(
                "INSERT INTO retention_periods (country, category, years) VALUES (?, ?, ?) \
                 ON CONFLICT (country, category) DO UPDATE SET years = excluded.years",
            )
            .bind(country.as_str())
            .bind(code)
            .bind(years)
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM retention_periods WHERE country = ? AND category = ?")
                .bind(country.as_str())
                .bind(code)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(previous)
}

/// Closing starts the retention clock; reopening stops it (a case being worked is not reviewed).
pub async fn on_status_change(tx: &mut Tx, case_id: i64, to: CaseStatus, now: DateTime<Utc>) -> Result<(), AppError> {
    match to {
        CaseStatus::Closed => {
            let review = review_date(tx, case_id, now).await?;
            sqlx::query("UPDATE cases SET closed_at = ?, review_at = ? WHERE id = ?")
                .bind(now)
                .bind(review)
                .bind(case_id)
                .execute(&mut **tx)
                .await?;
        }
        CaseStatus::Open | CaseStatus::Active => {
            sqlx::query("UPDATE cases SET closed_at = NULL, review_at = NULL WHERE id = ?").bind(case_id).execute(&mut **tx).await?;
        }
        CaseStatus::Archived => {}
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct DueRow {
    id: i64,
    reference: String,
    title: String,
    category: Category,
    owner: String,
    closed_at: Option<DateTime<Utc>>,
    review_at: DateTime<Utc>,
    requests: i64,
    persons: i64,
    files: i64,
    last_reason: Option<String>,
}

/// Cases of the supervisor's country due for review, the longest overdue first.
pub async fn due(conn: &mut SqliteConnection, country: Country, zone: &str, now: DateTime<Utc>) -> Result<Vec<RetentionItem>, AppError> {
    let rows: Vec<DueRow> = sqlx::query_as(&format!(
        "SELECT c.id, c.reference, c.title, c.category, a.code AS owner, c.closed_at, c.review_at, \
         (SELECT COUNT(*) FROM requests q WHERE q.case_id = c.id) AS requests, \
         (SELECT COUNT(*) FROM entities e WHERE e.case_id = c.id) AS persons, \
         (SELECT COUNT(*) FROM attachments f WHERE f.case_id = c.id) AS files, \
         (SELECT d.reason FROM retention_decisions d WHERE d.case_id = c.id ORDER BY d.id DESC LIMIT 1) AS last_reason \
         FROM cases c JOIN agencies a ON a.id = c.owner_agency_id WHERE a.country = ?2 AND {} ORDER BY c.review_at, c.id LIMIT 200",
        ReviewDue::sql("?1")
    ))
    .bind(now)
    .bind(country.as_str())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RetentionItem {
            case_id: r.id,
            reference: r.reference,
            title: r.title,
            category: r.category,
            owner: r.owner,
            closed: r.closed_at.map(|t| shown(t, zone)),
            review: shown(r.review_at, zone),
            requests: r.requests,
            named: r.persons,
            files: r.files,
            last_reason: r.last_reason,
        })
        .collect())
}

/// A review's decision as the form gives it.
#[derive(Debug)]
pub enum Decision {
    Keep { until: DateTime<Utc>, reason: String },
    Purge { reason: String },
}

impl Decision {
    pub fn parse(form: &RetentionForm, now: DateTime<Utc>) -> Result<(i64, Self), AppError> {
        let mut p = Problems::default();
        let case_id: Option<i64> = p.parsed(&form.case_id, "case_id", tr!(crate::i18n::reader(), "err-choose-case-you-review"));
        let reason = crate::i18n::plain_text(&form.reason);
        p.check((3..=2000).contains(&reason.chars().count()), "reason", tr!(crate::i18n::reader(), "err-give-reason-3-2-000"));
        let decision = match form.decision.as_str() {
            "keep" => {
                let until = NaiveDate::parse_from_str(form.keep_until.trim(), "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|t| t.and_utc());
                let later = until.filter(|u| *u > now && *u <= now + chrono::Duration::days(366 * 25));
                p.check(later.is_some(), "keep_until", tr!(crate::i18n::reader(), "err-give-date-future-most-25"));
                later.map(|until| Decision::Keep { until, reason: reason.clone() })
            }
            "purge" => Some(Decision::Purge { reason: reason.clone() }),
            _ => {
                p.add("decision", tr!(crate::i18n::reader(), "err-choose-keep-case-purge"));
                None
            }
        };
        let parsed = (|| Some((case_id?, decision?)))();
        p.finish(parsed)
    }
}

async fn record(
    tx: &mut Tx,
    case_id: i64,
    decision: &str,
    until: Option<DateTime<Utc>>,
    reason: &str,
    user: &SessionUser,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO retention_decisions (case_id, decision, keep_until, reason, decided_by, decided_at) VALUES (?,?,?,?,?,?)")
        .bind(case_id)
        .bind(decision)
        .bind(until)
        .bind(reason)
        .bind(user.id)
        .bind(Utc::now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Keeps the case until `until`: it comes up for review again then.
pub async fn keep(tx: &mut Tx, case_id: i64, until: DateTime<Utc>, reason: &str, user: &SessionUser) -> Result<(), AppError> {
    record(tx, case_id, "keep", Some(until), reason, user).await?;
    sqlx::query("UPDATE cases SET review_at = ? WHERE id = ?").bind(until).bind(case_id).execute(&mut **tx).await?;
    Ok(())
}

/// What a purge removed, for its audit event, and the stored files that may now be unreferenced.
#[derive(Debug, Default)]
pub struct Purged {
    pub requests: i64,
    pub responses: i64,
    pub files: i64,
    pub indicators: i64,
    pub entities: i64,
    pub file_hashes: Vec<String>,
}

/// Empties the case's content and keeps its skeleton. The case is marked purged first: the responses'
/// append-only trigger lets a purged case's responses be emptied, and nothing else.
pub async fn purge(tx: &mut Tx, case_id: i64, reason: &str, user: &SessionUser) -> Result<Purged, AppError> {
    let now = Utc::now();
    record(tx, case_id, "purge", None, reason, user).await?;
    sqlx::query(
        "UPDATE cases SET purged_at = ?, purged_by = ?, purge_reason = ?, title = 'Purged case', summary = '', review_at = NULL, \
         status = 'archived', version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?",
    )
    .bind(now)
    .bind(user.id)
    .bind(reason)
    .bind(user.id)
    .bind(now)
    .bind(case_id)
    .execute(&mut **tx)
    .await?;
    let requests = sqlx::query(
        "UPDATE requests SET subject = 'Purged', body = '', legal_basis_note = '', mla_reference = '', h3 = NULL, \
         decline_reason = CASE WHEN decline_reason IS NULL THEN NULL ELSE '' END WHERE case_id = ?",
    )
    .bind(case_id)
    .execute(&mut **tx)
    .await?
    .rows_affected() as i64;
    let responses = sqlx::query("UPDATE responses SET body = '', h3 = NULL WHERE request_id IN (SELECT id FROM requests WHERE case_id = ?)")
        .bind(case_id)
        .execute(&mut **tx)
        .await?
        .rows_affected() as i64;
    // Consent still awaited can no longer be answered: it is withdrawn with the content.
    sqlx::query("UPDATE consents SET reason = 'Purged', answer = '', status = CASE WHEN status = 'asked' THEN 'withdrawn' ELSE status END WHERE case_id = ?")
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    // Information passed on into this case goes with it; what this case gave others was passed on as a view of
    // its responses (now empty), and the files that went with it go too.
    sqlx::query("DELETE FROM passed_on WHERE request_id IN (SELECT id FROM requests WHERE case_id = ?)")
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    // The search index held the texts: none of the case's rows remain findable. By rowid (the kinds' ranges
    // of migration 0011): the index's case column is not indexed, and a scan of it would hold the write lock.
    sqlx::query(
        "DELETE FROM search_index WHERE rowid IN (SELECT (1 << 40) + ?1 \
         UNION ALL SELECT (2 << 40) + id FROM requests WHERE case_id = ?1 \
         UNION ALL SELECT (3 << 40) + s.id FROM responses s JOIN requests q ON q.id = s.request_id WHERE q.case_id = ?1 \
         UNION ALL SELECT (4 << 40) + id FROM indicators WHERE case_id = ?1 \
         UNION ALL SELECT (5 << 40) + id FROM entities WHERE case_id = ?1)",
    )
    .bind(case_id)
    .execute(&mut **tx)
    .await?;
    const FILES: &str = "FROM attachments WHERE case_id = ?1 OR source_response_id IN \
        (SELECT s.id FROM responses s JOIN requests q ON q.id = s.request_id WHERE q.case_id = ?1)";
    let file_hashes: Vec<String> =
        sqlx::query_scalar(&format!("SELECT DISTINCT sha256 {FILES}")).bind(case_id).fetch_all(&mut **tx).await?;
    let files = sqlx::query(&format!("DELETE {FILES}")).bind(case_id).execute(&mut **tx).await?.rows_affected() as i64;
    let indicators = sqlx::query("DELETE FROM indicators WHERE case_id = ?").bind(case_id).execute(&mut **tx).await?.rows_affected() as i64;
    let entities = sqlx::query("DELETE FROM entities WHERE case_id = ?").bind(case_id).execute(&mut **tx).await?.rows_affected() as i64;
    // Notification titles name subjects: they go too (the links stay, and lead to the skeleton).
    sqlx::query(
        "UPDATE notifications SET title = 'Purged', subject = NULL, agency = '', detail = '' WHERE link = '/cases/' || ?1 OR link LIKE '/cases/' || ?1 || '#%' \
         OR EXISTS (SELECT 1 FROM requests q WHERE q.case_id = ?1 \
                    AND (notifications.link = '/requests/' || q.id OR notifications.link LIKE '/requests/' || q.id || '#%'))",
    )
    .bind(case_id)
    .execute(&mut **tx)
    .await?;
    Ok(Purged { requests, responses, files, indicators, entities, file_hashes })
}

/// When and by whom a case was purged, and why: what its parties read in place of its content.
pub async fn purge_note(conn: &mut SqliteConnection, case_id: i64, zone: &str) -> Result<Option<PurgeNote>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        purged_at: Option<DateTime<Utc>>,
        display_name: Option<String>,
        code: Option<String>,
        purge_reason: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT c.purged_at, u.display_name, a.code, c.purge_reason FROM cases c LEFT JOIN users u ON u.id = c.purged_by \
         LEFT JOIN agencies a ON a.id = u.agency_id WHERE c.id = ?",
    )
    .bind(case_id)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some(Row { purged_at: Some(at), display_name, code, purge_reason }) => Some(PurgeNote {
            at: shown(at, zone),
            by: format!("{} ({})", display_name.unwrap_or_default(), code.unwrap_or_default()),
            reason: purge_reason.unwrap_or_default(),
        }),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(decision: &str, until: &str, reason: &str) -> RetentionForm {
        RetentionForm { case_id: "4".into(), decision: decision.into(), keep_until: until.into(), reason: reason.into() }
    }

    #[test]
    fn a_period_is_whole_years_for_a_category_or_the_default_which_cannot_be_emptied() {
        let period =
            |category: &str, years: &str| NewPeriod::parse(&RetentionPeriodForm { category: category.into(), years: years.into() });
        assert_eq!(period("fraud", " 7 ").unwrap(), NewPeriod { category: Some(Category::Fraud), years: Some(7) });
        assert_eq!(period("*", "5").unwrap(), NewPeriod { category: None, years: Some(5) });
        assert_eq!(period("fraud", "").unwrap(), NewPeriod { category: Some(Category::Fraud), years: None }, "follows the default");
        for (category, years, field) in [
            ("*", "", "years"),
            ("fraud", "0", "years"),
            ("fraud", "101", "years"),
            ("fraud", "2.5", "years"),
            ("weather", "5", "category"),
        ] {
            let refused = period(category, years).unwrap_err();
            assert!(refused.field_message(field).is_some(), "{category} {years}: {refused:?}");
        }
    }

    #[test]
    fn a_review_keeps_until_a_future_date_or_purges_and_always_says_why() {
        let now = "2026-12-02T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let (id, d) = Decision::parse(&form("keep", "2031-12-31", "Trial pending in Mumbai."), now).unwrap();
        assert!(matches!(d, Decision::Keep { until, .. } if until.to_rfc3339() == "2031-12-31T00:00:00+00:00") && id == 4);
        assert!(matches!(Decision::parse(&form("purge", "", "Period over."), now).unwrap().1, Decision::Purge { .. }));
        let err = Decision::parse(&form("keep", "2020-01-01", "x"), now).unwrap_err();
        assert!(err.field_message("keep_until").is_some() && err.field_message("reason").is_some());
        assert!(Decision::parse(&form("shred", "", "Period over."), now).unwrap_err().field_message("decision").is_some());
    }

    #[test]
    fn due_means_a_date_come_and_not_purged() {
        let now = Utc::now();
        assert!(ReviewDue::holds(Some(now - chrono::Duration::days(1)), false, now));
        assert!(ReviewDue::holds(Some(now), false, now));
        assert!(!ReviewDue::holds(Some(now + chrono::Duration::days(1)), false, now));
        assert!(!ReviewDue::holds(Some(now - chrono::Duration::days(1)), true, now));
        assert!(!ReviewDue::holds(None, false, now));
    }
}
