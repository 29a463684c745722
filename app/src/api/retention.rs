//! Retention review and the person-centred report: supervisors, for their country's cases.

use crate::error::AppError;
use crate::model::{PersonReport, RetentionForm, RetentionItem, RetentionPeriodForm, RetentionPeriodView};
use leptos::prelude::*;

/// How long closed cases are kept before review in the admin's country, category by category.
#[server(endpoint = "retention_periods")]
pub async fn retention_periods() -> Result<Vec<RetentionPeriodView>, AppError> {
    use crate::backend::exchange::{policy, retention};
    use crate::backend::state;
    use crate::model::permissions::Action;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ManageCountryLists)?;
            let mut conn = app.db.pool.acquire().await?;
            retention::periods(&mut conn, actor.user.country).await
        }
        .await,
    )
}

/// Sets one category's period (or the default) for the admin's own country, audited with the years it replaces.
#[server(endpoint = "set_retention_period")]
pub async fn set_retention_period(#[server(flatten)] form: RetentionPeriodForm) -> Result<(), AppError> {
    use crate::backend::exchange::{policy, retention};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    use crate::model::permissions::Action;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ManageCountryLists)?;
            let new = retention::NewPeriod::parse(&form)?;
            let mut tx = app.db.begin_write().await?;
            let previous = retention::set_period(&mut tx, actor.user.country, &new).await?;
            let details = json!({
                "category": new.category.map_or("*", |c| c.as_str()), "country": actor.user.country.as_str(),
                "from": previous, "to": new.years
            });
            audit::record(&mut tx, &actor.who, Event::new("retention.period").details(details)).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// The cases of the supervisor's country due for review, the longest overdue first.
#[server(endpoint = "retention_due")]
pub async fn retention_due() -> Result<Vec<RetentionItem>, AppError> {
    use crate::backend::exchange::{policy, retention};
    use crate::backend::state;
    use crate::model::permissions::Action;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ReviewRetention)?;
            let mut conn = app.db.pool.acquire().await?;
            retention::due(&mut conn, actor.user.country, &actor.user.time_zone, chrono::Utc::now()).await
        }
        .await,
    )
}

/// Keeps a case due for review until a date, or purges it; both with the reason, both audited.
#[server(endpoint = "decide_retention")]
pub async fn decide_retention(#[server(flatten)] form: RetentionForm) -> Result<(), AppError> {
    use crate::backend::exchange::cases;
    use crate::backend::exchange::policy::{self, CaseOp};
    use crate::backend::exchange::retention::{self, Decision, ReviewDue};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    use crate::model::permissions::Action;
    use chrono::{DateTime, Utc};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ReviewRetention)?;
            let now = Utc::now();
            let (case_id, decision) = Decision::parse(&form, now)?;
            let mut tx = app.db.begin_write().await?;
            let access = cases::access(&mut tx, case_id).await?.ok_or(AppError::NotFound)?;
            policy::ensure_case(&actor.user, access.owner, &access.parties, CaseOp::View)?;
            policy::ensure_retention(&actor.user, access.owner)?;
            let review_at: Option<DateTime<Utc>> =
                sqlx::query_scalar("SELECT review_at FROM cases WHERE id = ?").bind(case_id).fetch_one(&mut *tx).await?;
            if !ReviewDue::holds(review_at, access.purged, now) {
                return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-case-not-due-retention-review")));
            }
            let hashes = match &decision {
                Decision::Keep { until, reason } => {
                    retention::keep(&mut tx, case_id, *until, reason, &actor.user).await?;
                    let details = json!({"keep_until": until.to_rfc3339(), "reason": reason});
                    audit::record(
                        &mut tx,
                        &actor.who,
                        Event::new("case.retention_keep").on("case", case_id).case(case_id).details(details),
                    )
                    .await?;
                    Vec::new()
                }
                Decision::Purge { reason } => {
                    let purged = retention::purge(&mut tx, case_id, reason, &actor.user).await?;
                    let details = json!({"reason": reason, "requests": purged.requests, "responses": purged.responses,
                        "files": purged.files, "indicators": purged.indicators, "entities": purged.entities});
                    audit::record(&mut tx, &actor.who, Event::new("case.purge").on("case", case_id).case(case_id).details(details)).await?;
                    purged.file_hashes
                }
            };
            tx.commit().await?;
            // Files go once the purge is committed (a failed purge leaves every file in place). The purge
            // stands whatever happens here: a file left behind is logged, and holds no row.
            if !hashes.is_empty() {
                let deleted = async {
                    let mut tx = app.db.begin_write().await?;
                    crate::backend::exchange::attachments::delete_unreferenced(&mut tx, &app.settings.attachment_dir, &hashes).await?;
                    tx.commit().await?;
                    Ok::<(), AppError>(())
                }
                .await;
                if let Err(e) = deleted {
                    tracing::warn!(case_id, error = %e, "purged files could not all be deleted");
                }
            }
            Ok(())
        }
        .await,
    )
}

/// The longest name the person report takes.
pub const MAX_NAME_CHARS: usize = 200;

/// Every record naming a person across the cases the supervisor's country may see. Audited with the
/// number of records and a keyed hash of the name (the trail keeps no personal data it could never purge).
#[server(endpoint = "person_report")]
pub async fn find_person(name: String) -> Result<PersonReport, AppError> {
    use crate::backend::exchange::policy;
    use crate::backend::oversight::person_report;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::platform::secrets::Purpose;
    use crate::backend::state;
    use crate::model::permissions::Action;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ReviewRetention)?;
            let name = crate::i18n::plain_line(&name);
            if name.chars().count() < 2 || name.chars().count() > MAX_NAME_CHARS {
                return Err(AppError::field(
                    "name",
                    tr!(crate::i18n::reader(), "err-give-person-s-name-2", max_name_chars = MAX_NAME_CHARS as i64),
                ));
            }
            state::ensure_within_read_limit(&app, actor.id())?;
            let vis = policy::visibility(&actor.user)?;
            let report = person_report::report(&app.db.pool, &actor.user, vis, &name).await?;
            // A keyed hash (the instance's sealing key): who looked for whom can be checked with the key, and
            // a list of names tried against the trail reveals nothing.
            let tag = app.settings.sealing_key.tag(Purpose::PersonReport, 0, name.to_lowercase().as_bytes());
            let event = Event::new("person.report").details(json!({"name_tag": tag, "records": report.records.len()}));
            audit::record_alone(&app.db, &actor.who, event).await?;
            Ok(report)
        }
        .await,
    )
}
