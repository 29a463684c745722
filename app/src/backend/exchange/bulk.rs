//! Work on many cases at once (staff turnover, clean-ups): hand them to another lead, or close them with one
//! reason. Nothing here decides who may do what: each case goes through the same check (`policy`), the same
//! lifecycle rule and its own transaction and audit event as when it is changed on its own page, so a bulk
//! change is exactly the sum of single changes; what one case refuses is reported with the reason and the
//! others stand.

use crate::backend::exchange::cases::{self, CaseAccess};
use crate::backend::exchange::lifecycle;
use crate::backend::exchange::policy::{CaseOp, Visibility};
use crate::backend::exchange::rules::CaseCurrent;
use crate::backend::platform::audit::{self, Event};
use crate::backend::platform::auth::Actor;
use crate::backend::platform::db::Db;
use crate::error::AppError;
use crate::model::{BulkRefusal, BulkReport, CaseFilter, CaseStatus, Country, BULK_MAX_CASES};
use serde_json::json;
use sqlx::SqliteConnection;

/// The longest closing reason taken (it is kept in each case's audit event).
pub const MAX_REASON_CHARS: usize = 1000;

/// One change for every chosen case, parsed from the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkChange {
    /// Make this user the lead (they must be an active officer of each case's owning agency).
    Reassign { lead: i64 },
    /// Close each case that may be closed, recording why.
    Close { reason: String },
}

impl BulkChange {
    pub fn parse(action: &str, lead: Option<i64>, reason: &str) -> Result<Self, AppError> {
        match action {
            "reassign" => lead
                .map(|lead| BulkChange::Reassign { lead })
                .ok_or_else(|| AppError::field("lead", tr!(crate::i18n::reader(), "err-choose-new-lead"))),
            "close" => {
                let reason = reason.trim();
                if reason.is_empty() {
                    Err(AppError::field("reason", tr!(crate::i18n::reader(), "err-say-why-these-cases-are")))
                } else if reason.chars().count() > MAX_REASON_CHARS {
                    Err(AppError::field(
                        "reason",
                        tr!(crate::i18n::reader(), "err-most-characters", max_reason_chars = MAX_REASON_CHARS as i64),
                    ))
                } else {
                    Ok(BulkChange::Close { reason: reason.to_string() })
                }
            }
            _ => Err(AppError::field("action", tr!(crate::i18n::reader(), "err-choose-what-do-selected-cases"))),
        }
    }
}

/// The cases chosen: the ticked ones, or every case matching the list's filter ("select all"), never more
/// than `BULK_MAX_CASES` (more matching is refused rather than silently cut).
pub async fn chosen(
    conn: &mut SqliteConnection,
    vis: Visibility,
    ticked: Vec<i64>,
    all_matching: Option<&CaseFilter>,
) -> Result<Vec<i64>, AppError> {
    let ids = match all_matching {
        Some(filter) => {
            let ids =
                cases::matching_ids(conn, vis, &CaseFilter { ids: Vec::new(), page: 0, ..filter.clone() }, BULK_MAX_CASES + 1).await?;
            if ids.len() > BULK_MAX_CASES {
                return Err(AppError::field(
                    "ids",
                    tr!(crate::i18n::reader(), "err-more-than-cases-match-filter", bulk_max_cases = BULK_MAX_CASES as i64),
                ));
            }
            ids
        }
        None => ticked,
    };
    if ids.is_empty() {
        return Err(AppError::field("ids", tr!(crate::i18n::reader(), "err-tick-cases-change-choose-every")));
    }
    Ok(ids)
}

/// Applies `change` to each case, one transaction each, and says what happened to every one.
/// NotFound when the user may see none of them.
pub async fn apply(db: &Db, actor: &Actor, vis: Visibility, ids: &[i64], change: &BulkChange) -> Result<BulkReport, AppError> {
    let references = cases::visible_references(&mut *db.pool.acquire().await?, vis, ids).await?;
    // As for one case: when none of them exists for the user, the answer is the same as for a missing id.
    if references.is_empty() {
        return Err(AppError::NotFound);
    }
    let mut report = BulkReport::default();
    let mut stopped: Option<AppError> = None;
    for id in ids {
        let reference = references.get(id).cloned().unwrap_or_else(|| format!("#{id}"));
        // After a failure of the server itself (a full disk), the rest is not tried: each would fail alike.
        let outcome = match &stopped {
            Some(e) => Err(e.clone()),
            None => apply_one(db, actor, *id, change).await,
        };
        match outcome {
            Ok(()) => report.changed.push(reference),
            Err(refused) => {
                if matches!(refused, AppError::NoSpace | AppError::Internal) {
                    stopped = Some(refused.clone());
                }
                report.not_changed.push(BulkRefusal { reference, reason: reason(&refused) })
            }
        }
    }
    record_summary(db, actor, ids, change, &report).await?;
    Ok(report)
}

/// One event for the whole request besides each case's own: what was asked (the ids, whatever the user may
/// see of them) and how it ended, so that probing many ids at once leaves a trace.
async fn record_summary(db: &Db, actor: &Actor, ids: &[i64], change: &BulkChange, report: &BulkReport) -> Result<(), AppError> {
    let kind = match change {
        BulkChange::Reassign { .. } => "reassign",
        BulkChange::Close { .. } => "close",
    };
    let details = json!({ "change": kind, "asked": ids, "changed": report.changed.len(), "not_changed": report.not_changed.len() });
    audit::record_alone(db, &actor.who, Event::new("case.bulk").details(details)).await
}

async fn apply_one(db: &Db, actor: &Actor, id: i64, change: &BulkChange) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let case = cases::checked(&mut tx, &actor.user, id, CaseOp::Edit).await?;
    let event = match change {
        BulkChange::Reassign { lead } => reassign(&mut tx, actor, &case, *lead).await?,
        BulkChange::Close { reason } => close(&mut tx, actor, &case, reason).await?,
    };
    audit::record(&mut tx, &actor.who, event.on("case", id).case(id)).await?;
    tx.commit().await?;
    Ok(())
}

async fn reassign(tx: &mut crate::backend::platform::db::Tx, actor: &Actor, case: &CaseAccess, lead: i64) -> Result<Event, AppError> {
    // Work being handed over is current work: a closed case keeps the lead it was closed under.
    if !CaseCurrent::holds(case.status) {
        return Err(AppError::Conflict(tr!(
            crate::i18n::reader(),
            "err-case-not-current-lead",
            status = crate::i18n::LabelIn::label_in(case.status, crate::i18n::reader()).to_lowercase()
        )));
    }
    let previous = cases::set_lead(tx, &actor.user, case, lead)
        .await?
        .ok_or_else(|| AppError::Conflict(tr!(crate::i18n::reader(), "err-already-led-by-officer")))?;
    Ok(Event::new("case.lead").details(json!({ "from": previous, "to": lead, "bulk": true })))
}

async fn close(tx: &mut crate::backend::platform::db::Tx, actor: &Actor, case: &CaseAccess, reason: &str) -> Result<Event, AppError> {
    if case.status == CaseStatus::Closed {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-already-closed")));
    }
    lifecycle::check_case_transition(case.status, CaseStatus::Closed)?;
    cases::set_status(tx, &actor.user, case.id, CaseStatus::Closed).await?;
    Ok(Event::new("case.status").details(json!({ "from": case.status.as_str(), "to": "closed", "reason": reason, "bulk": true })))
}

/// Why one case was not changed, in words that make sense in a list of many.
fn reason(refused: &AppError) -> String {
    match refused {
        AppError::NotFound => AppError::NotFound.message_in(crate::i18n::reader()),
        AppError::Forbidden => tr!(crate::i18n::reader(), "err-bulk-owning-side-only"),
        AppError::Validation(fields) => fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" "),
        other => other.message_in(crate::i18n::reader()),
    }
}

/// Refuses at once a lead who is not among `leads` (rather than once per case, each under the write lock).
pub async fn check_lead_offered(conn: &mut SqliteConnection, country: Country, change: &BulkChange) -> Result<(), AppError> {
    if let BulkChange::Reassign { lead } = change {
        if !leads(conn, country).await?.iter().any(|(id, _)| id == lead) {
            return Err(AppError::field("lead", tr!(crate::i18n::reader(), "err-choose-new-lead-from-list")));
        }
    }
    Ok(())
}

/// Who a supervisor may hand cases to: the active officers and supervisors of their country's agencies.
pub async fn leads(conn: &mut SqliteConnection, country: Country) -> Result<Vec<(i64, String)>, AppError> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, a.code FROM users u JOIN agencies a ON a.id = u.agency_id \
         WHERE a.country = ? AND u.status = 'active' AND u.role != 'admin' ORDER BY a.code, u.display_name",
    )
    .bind(country.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id, name, code)| (id, format!("{name} ({code})"))).collect())
}
