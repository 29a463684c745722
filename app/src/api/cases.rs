//! Cases: list (need-to-know in SQL), read (audited), create, edit (optimistic), status, indicators.

use crate::error::AppError;
use crate::model::{
    BulkLine, CaseChoice, CaseFilter, CaseForm, CaseHistoryView, CasePage, CaseView, ChangesPage, Created, EntityForm, FormOptions,
    IndicatorForm, OpenedCase,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod load {
    use crate::backend::exchange::cases::{self, CaseAccess};
    use crate::backend::exchange::policy::CaseOp;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{Actor, AppState};
    use crate::error::AppError;
    use sqlx::SqliteConnection;

    pub async fn case(conn: &mut SqliteConnection, actor: &Actor, id: i64, op: CaseOp) -> Result<CaseAccess, AppError> {
        cases::checked(conn, &actor.user, id, op).await
    }

    /// Records that `actor` read the case, or was refused it: attempts on cases one is not party to are
    /// worth knowing about.
    pub async fn record_read<T>(app: &AppState, actor: &Actor, id: i64, result: &Result<T, AppError>) -> Result<(), AppError> {
        let event = Event::new("case.read").on("case", id);
        match result {
            Ok(_) => audit::record_alone(&app.db, &actor.who, event.case(id)).await,
            Err(_) => audit::record_refusal(&app.db, &actor.who, event).await,
        }
    }
}

#[server(endpoint = "list_cases")]
pub async fn list_cases(filter: CaseFilter) -> Result<CasePage, AppError> {
    use crate::backend::{exchange::cases, exchange::policy, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let vis = policy::visibility(&actor.user)?;
            crate::error::check_search_text("q", &filter.q)?;
            let mut conn = app.db.pool.acquire().await?;
            let (cases, has_more) = cases::list(&mut conn, vis, &filter, &actor.user.time_zone).await?;
            let lead_name = match filter.lead {
                Some(id) => crate::backend::platform::users::name_in_country(&mut conn, id, actor.user.country).await?,
                None => None,
            };
            Ok(CasePage { cases, has_more, lead_name })
        }
        .await,
    )
}

/// The case alone (for API clients; the page uses `open_case`). Audited like opening the page.
#[server(endpoint = "get_case")]
pub async fn get_case(id: i64) -> Result<CaseView, AppError> {
    use crate::backend::exchange::policy::CaseOp;
    use crate::backend::state;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let mut conn = app.db.pool.acquire().await?;
            let result = match load::case(&mut conn, &actor, id, CaseOp::View).await {
                Ok(access) => crate::backend::exchange::case_page::case(&mut conn, &access, &actor.user).await,
                Err(e) => Err(e),
            };
            drop(conn);
            load::record_read(&app, &actor, id, &result).await?;
            result
        }
        .await,
    )
}

/// The case page's content: the case, its recent history and the form choices, checked once and read in
/// one transaction, so the parts agree with each other.
#[server(endpoint = "open_case")]
pub async fn open_case(id: i64) -> Result<OpenedCase, AppError> {
    use crate::backend::exchange::policy::CaseOp;
    use crate::backend::{exchange::cases, state};
    use sqlx::Connection;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let mut conn = app.db.pool.acquire().await?;
            let result = async {
                let mut tx = conn.begin().await?;
                let access = load::case(&mut tx, &actor, id, CaseOp::View).await?;
                let opened = OpenedCase {
                    case: crate::backend::exchange::case_page::case(&mut tx, &access, &actor.user).await?,
                    history: cases::history(&mut tx, id, &actor.user, &actor.user.time_zone, crate::i18n::request_locale()).await?,
                    options: (*app
                        .form_options
                        .get_or_render(&app.db, actor.user.id, (), || cases::form_options(&mut tx, &actor.user))
                        .await?)
                        .clone(),
                };
                tx.commit().await?;
                Ok(opened)
            }
            .await;
            drop(conn);
            load::record_read(&app, &actor, id, &result).await?;
            result
        }
        .await,
    )
}

#[server(endpoint = "case_history")]
pub async fn case_history(id: i64) -> Result<CaseHistoryView, AppError> {
    use crate::backend::exchange::policy::CaseOp;
    use crate::backend::{exchange::cases, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let mut conn = app.db.pool.acquire().await?;
            let result = match load::case(&mut conn, &actor, id, CaseOp::View).await {
                Ok(_) => cases::history(&mut conn, id, &actor.user, &actor.user.time_zone, crate::i18n::request_locale()).await,
                Err(e) => Err(e),
            };
            drop(conn);
            // The history is case content: reading it is a read of the case, refused attempts too.
            load::record_read(&app, &actor, id, &result).await?;
            result
        }
        .await,
    )
}

/// Every change to a case, a page at a time, newest first (`before`: where the page starts, from the
/// previous page's `older`). Audited as a read of the case.
#[server(endpoint = "case_changes")]
pub async fn case_changes(id: i64, #[server(default)] before: Option<i64>) -> Result<ChangesPage, AppError> {
    use crate::backend::exchange::policy::CaseOp;
    use crate::backend::{exchange::cases, state};
    use crate::model::HISTORY_PAGE_SIZE;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let mut conn = app.db.pool.acquire().await?;
            let result = match load::case(&mut conn, &actor, id, CaseOp::View).await {
                Ok(access) => {
                    cases::changes_page(
                        &mut conn,
                        access,
                        &actor.user,
                        before,
                        HISTORY_PAGE_SIZE,
                        &actor.user.time_zone,
                        crate::i18n::request_locale(),
                    )
                    .await
                }
                Err(e) => Err(e),
            };
            drop(conn);
            load::record_read(&app, &actor, id, &result).await?;
            result
        }
        .await,
    )
}

/// The related-cases look-up of the case forms: the cases the user may see whose reference or title holds
/// `q` (two characters at least; fewer answer nothing). As cheap as the case list's own filter, and like it
/// not counted against the reading allowance (the island asks once typing pauses).
#[server(endpoint = "case_lookup")]
pub async fn case_lookup(q: String) -> Result<Vec<CaseChoice>, AppError> {
    use crate::backend::{exchange::cases, exchange::policy, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let vis = policy::visibility(&actor.user)?;
            crate::error::check_search_text("q", &q)?;
            if q.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            cases::lookup(&mut *app.db.pool.acquire().await?, vis, q.trim()).await
        }
        .await,
    )
}

#[server(endpoint = "case_form_options")]
pub async fn case_form_options() -> Result<FormOptions, AppError> {
    use crate::backend::{exchange::cases, exchange::policy, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::visibility(&actor.user)?;
            let options = app
                .form_options
                .get_or_render(&app.db, actor.user.id, (), || async {
                    cases::form_options(&mut *app.db.pool.acquire().await?, &actor.user).await
                })
                .await?;
            Ok((*options).clone())
        }
        .await,
    )
}

#[server(endpoint = "create_case")]
pub async fn create_case(#[server(flatten)] form: CaseForm) -> Result<Created, AppError> {
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::cases, exchange::policy, state};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let vis = policy::visibility(&actor.user)?;
            let input = cases::CaseInput::parse(&form)?;
            let mut tx = app.db.begin_write().await?;
            let (id, reference) = cases::create(&mut tx, &actor.user, vis, &input).await?;
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("case.create").on("case", id).case(id).details(json!({
                    "reference": reference, "category": input.category.as_str(), "priority": input.priority.as_str(),
                    "tlp": input.tlp.as_str(), "parties": input.party_codes,
                })),
            )
            .await?;
            tx.commit().await?;
            Ok(Created { id, reference })
        }
        .await,
    )
}

#[server(endpoint = "update_case")]
pub async fn update_case(id: i64, version: i64, #[server(flatten)] form: CaseForm) -> Result<(), AppError> {
    use crate::backend::exchange::policy::{self, CaseOp};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::cases, state};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let vis = policy::visibility(&actor.user)?;
            let input = cases::CaseInput::parse(&form)?;
            let mut tx = app.db.begin_write().await?;
            load::case(&mut tx, &actor, id, CaseOp::Edit).await?;
            cases::update(&mut tx, &actor.user, vis, id, version, &input, &actor.user.time_zone).await?;
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("case.update").on("case", id).case(id).details(json!({
                    "from_version": version, "priority": input.priority.as_str(), "tlp": input.tlp.as_str(), "parties": input.party_codes,
                })),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "change_case_status")]
pub async fn change_case_status(id: i64, status: String) -> Result<(), AppError> {
    use crate::backend::exchange::policy::CaseOp;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::cases, exchange::lifecycle, state};
    use crate::model::CaseStatus;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let to: CaseStatus = status.parse().map_err(|_| AppError::field("status", tr!(crate::i18n::reader(), "err-choose-status")))?;
            let mut tx = app.db.begin_write().await?;
            let access = load::case(&mut tx, &actor, id, CaseOp::Edit).await?;
            lifecycle::check_case_transition(access.status, to)?;
            cases::set_status(&mut tx, &actor.user, id, to).await?;
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("case.status").on("case", id).case(id).details(json!({
                    "from": access.status.as_str(), "to": to.as_str()
                })),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "add_indicator")]
pub async fn add_indicator(case_id: i64, #[server(flatten)] form: IndicatorForm) -> Result<(), AppError> {
    use crate::backend::exchange::indicators::{self, NewIndicator};
    use crate::backend::exchange::policy::CaseOp;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let n = NewIndicator::parse(&form)?;
            let mut tx = app.db.begin_write().await?;
            load::case(&mut tx, &actor, case_id, CaseOp::AddRecord).await?;
            let id = indicators::insert(&mut tx, case_id, &actor.user, &n).await?;
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("indicator.add").on("indicator", id).case(case_id).details(json!({"kind": n.kind.as_str()})),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "add_entity")]
pub async fn add_entity(case_id: i64, #[server(flatten)] form: EntityForm) -> Result<(), AppError> {
    use crate::backend::exchange::entities::{self, NewEntity};
    use crate::backend::exchange::policy::CaseOp;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let n = NewEntity::parse(&form)?;
            let mut tx = app.db.begin_write().await?;
            load::case(&mut tx, &actor, case_id, CaseOp::AddRecord).await?;
            let id = entities::insert(&mut tx, case_id, &actor.user, &n).await?;
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("entity.add").on("entity", id).case(case_id).details(json!({"kind": n.kind.as_str()})),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Every line gets the same TLP and handling conditions (`h0`..`h3` as on the single form; none if absent).
#[server(endpoint = "bulk_add_indicators")]
pub async fn bulk_add_indicators(
    case_id: i64,
    text: String,
    tlp: String,
    #[server(default)] h0: String,
    #[server(default)] h1: String,
    #[server(default)] h2: String,
    #[server(default)] h3: String,
) -> Result<Vec<BulkLine>, AppError> {
    use crate::backend::exchange::indicators::{self, BulkMarks};
    use crate::backend::exchange::policy::CaseOp;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    use crate::model::Tlp;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let tlp: Tlp = tlp.parse().map_err(|_| AppError::field("tlp", tr!(crate::i18n::reader(), "err-choose-handling-code")))?;
            let mut p = crate::error::Problems::default();
            let conditions = crate::backend::exchange::requests::parse_conditions(&mut p, &h0, &h1, &h2, &h3);
            let marks = p.finish(Some(BulkMarks { tlp, conditions }))?;
            if text.trim().is_empty() {
                return Err(AppError::field("text", tr!(crate::i18n::reader(), "err-paste-indicator-per-line")));
            }
            if text.lines().count() > 5_000 {
                return Err(AppError::field("text", tr!(crate::i18n::reader(), "err-paste-most-5-000-lines")));
            }
            let mut tx = app.db.begin_write().await?;
            load::case(&mut tx, &actor, case_id, CaseOp::AddRecord).await?;
            let report = indicators::bulk_add(&mut tx, case_id, &actor.user, &text, &marks).await?;
            let added = report.iter().filter(|l| l.added).count();
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("indicator.bulk_add").on("case", case_id).case(case_id).details(json!({
                    "lines": report.len(), "added": added
                })),
            )
            .await?;
            tx.commit().await?;
            Ok(report)
        }
        .await,
    )
}

#[server(endpoint = "set_time_zone")]
pub async fn set_time_zone(time_zone: String) -> Result<(), AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{platform::time, platform::users, state};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ManageOwnProfile)?;
            let tz = time_zone.trim();
            if !time::is_known_zone(tz) {
                return Err(AppError::field("time_zone", tr!(crate::i18n::reader(), "err-use-zone-name-like-america")));
            }
            let mut tx = app.db.begin_write().await?;
            users::set_time_zone(&mut tx, actor.id(), tz).await?;
            audit::record(&mut tx, &actor.who, Event::new("profile.time_zone").on("user", actor.id()).details(json!({"time_zone": tz})))
                .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Who the bulk panel may hand cases to (supervisors only).
#[server(endpoint = "bulk_case_options")]
pub async fn bulk_case_options() -> Result<crate::model::BulkOptions, AppError> {
    use crate::backend::{exchange::bulk, exchange::policy, state};
    use crate::model::permissions::Action;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ChangeCasesInBulk)?;
            let leads = bulk::leads(&mut *app.db.pool.acquire().await?, actor.user.country).await?;
            Ok(crate::model::BulkOptions { leads })
        }
        .await,
    )
}

/// Reassigns or closes many cases: the ticked ones (`ids`, "1,2,3"), or with `all_matching` every case the
/// list's `filter` (its query string) matches. Each case is checked, changed and audited on its own; the
/// answer says which were changed and why the others were not.
#[server(endpoint = "change_cases_in_bulk")]
pub async fn change_cases_in_bulk(
    action: String,
    #[server(default)] ids: String,
    #[server(default)] all_matching: String,
    #[server(default)] filter: String,
    #[server(default)] lead: String,
    #[server(default)] reason: String,
) -> Result<crate::model::BulkReport, AppError> {
    use crate::backend::{exchange::bulk, exchange::policy, state};
    use crate::model::permissions::Action;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ChangeCasesInBulk)?;
            let vis = policy::visibility(&actor.user)?;
            let lead = match lead.trim() {
                "" => None,
                id => Some(id.parse::<i64>().map_err(|_| AppError::field("lead", tr!(crate::i18n::reader(), "err-choose-new-lead")))?),
            };
            let change = bulk::BulkChange::parse(&action, lead, &reason)?;
            let ticked = crate::model::id_list::parse(&ids)
                .map_err(|e| AppError::field("ids", tr!(crate::i18n::reader(), "err-ticked-cases-could-not-read", e = e.to_string())))?;
            let mut conn = app.db.pool.acquire().await?;
            bulk::check_lead_offered(&mut conn, actor.user.country, &change).await?;
            let filter = match all_matching.as_str() {
                "1" => {
                    // A search over every case's text, like the search page's: counted the same way.
                    state::ensure_within_read_limit(&app, actor.user.id)?;
                    let f: CaseFilter = serde_urlencoded::from_str(&filter)
                        .map_err(|_| AppError::field("ids", tr!(crate::i18n::reader(), "err-list-s-filter-could-not")))?;
                    crate::error::check_search_text("q", &f.q)?;
                    Some(f)
                }
                _ => None,
            };
            let chosen = bulk::chosen(&mut conn, vis, ticked, filter.as_ref()).await?;
            drop(conn);
            bulk::apply(&app.db, &actor, vis, &chosen, &change).await
        }
        .await,
    )
}
