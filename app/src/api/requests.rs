//! Requests between agencies and the responses in their threads.

use crate::error::AppError;
use crate::model::{Created, CrossCheckView, InboxFilter, InboxHtml, InboxView, RequestForm, RequestPage, RequestView, ResponseForm};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod load {
    use crate::backend::exchange::cases::CaseAccess;
    use crate::backend::exchange::policy::{self, RequestOp};
    use crate::backend::exchange::requests::{self, RequestRow};
    use crate::backend::platform::db::Tx;
    use crate::backend::{state, Actor, AppState};
    use crate::error::AppError;

    /// Opens a write transaction on the request if the actor may do `op`; NotFound for non-parties.
    pub async fn request(id: i64, op: RequestOp) -> Result<(Actor, AppState, Tx, RequestRow, CaseAccess), AppError> {
        let (actor, app) = state::context().await?;
        let mut tx = app.db.begin_write().await?;
        let (row, access) = requests::load(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        policy::ensure_request(&actor.user, &access.parties, row.sides(), op)?;
        crate::backend::exchange::retention::refuse_if_purged(access.purged && op != RequestOp::View)?;
        Ok((actor, app, tx, row, access))
    }
}

#[cfg(feature = "ssr")]
async fn announce_sent(
    tx: &mut crate::backend::platform::db::Tx,
    id: i64,
    to_agency_id: i64,
    subject: &str,
    priority: crate::model::Priority,
    actor: &crate::backend::Actor,
) -> Result<std::collections::BTreeSet<i64>, AppError> {
    use crate::backend::oversight::notifications::{self, Audience};
    notifications::notify(
        tx,
        Audience::AgencyOfficers(to_agency_id),
        Some(actor.id()),
        "new_request",
        &notifications::Said {
            agency: &actor.user.agency_code,
            detail: if priority == crate::model::Priority::Urgent { "urgent" } else { "" },
            subject,
        },
        &format!("/requests/{id}"),
        &format!("new:{id}"),
    )
    .await
}

#[cfg(feature = "ssr")]
async fn announce_approval_needed(
    tx: &mut crate::backend::platform::db::Tx,
    id: i64,
    from_agency: i64,
    subject: &str,
    actor: &crate::backend::Actor,
) -> Result<std::collections::BTreeSet<i64>, AppError> {
    use crate::backend::oversight::notifications::{self, Audience};
    notifications::notify(
        tx,
        Audience::CountrySupervisorsOf(from_agency),
        Some(actor.id()),
        "approval_needed",
        &notifications::Said { agency: &actor.user.agency_code, detail: "", subject },
        &format!("/requests/{id}"),
        &format!("approve:{id}"),
    )
    .await
}

/// The inbox, with the consent asked of the viewer's side and awaiting its answer.
#[cfg(feature = "ssr")]
async fn inbox_with_consents(
    conn: &mut sqlx::SqliteConnection,
    viewer: &crate::model::SessionUser,
    vis: crate::backend::exchange::policy::Visibility,
    filter: &InboxFilter,
) -> Result<InboxView, AppError> {
    use crate::backend::exchange::{consents, requests};
    let mut view = requests::inbox(conn, viewer, vis, filter).await?;
    view.consents = consents::awaiting_answer(conn, viewer, crate::model::PAGE_SIZE as i64).await?;
    Ok(view)
}

#[server(endpoint = "inbox")]
pub async fn inbox(filter: InboxFilter) -> Result<InboxView, AppError> {
    use crate::backend::{exchange::policy, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let vis = policy::visibility(&actor.user)?;
            // One connection for the five queries: each pool checkout costs round trips to its thread.
            inbox_with_consents(&mut *app.db.pool.acquire().await?, &actor.user, vis, &filter).await
        }
        .await,
    )
}

/// The inbox as its page shows it, rendered once per viewer, filter, data version and minute
/// (backend::render_cache). `inbox` above is the same data as JSON.
#[server(endpoint = "inbox_page")]
pub async fn inbox_page(filter: InboxFilter) -> Result<InboxHtml, AppError> {
    use crate::backend::{exchange::policy, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let vis = policy::visibility(&actor.user)?;
            // Cached per language too: two readers of one inbox may read it in two languages.
            let locale = crate::i18n::request_locale();
            let html = app
                .inbox_html
                .get_or_render(&app.db, actor.user.id, (filter.clone(), locale), || async {
                    let view = inbox_with_consents(&mut *app.db.pool.acquire().await?, &actor.user, vis, &filter).await?;
                    Ok(crate::components::lists::render_inbox(view, &filter, locale))
                })
                .await?;
            Ok((*html).clone())
        }
        .await,
    )
}

#[server(endpoint = "create_request")]
pub async fn create_request(case_id: i64, #[server(flatten)] form: RequestForm) -> Result<Created, AppError> {
    use crate::api::cases::load;
    use crate::backend::exchange::lifecycle::{next_request_status, RequestEvent};
    use crate::backend::exchange::policy::CaseOp;
    use crate::backend::exchange::rules::{CaseCurrent, ExpectsAnswer};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::cases, exchange::requests, state};
    use crate::model::RequestStatus;
    use chrono::Utc;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let input = requests::RequestInput::parse(&form, &actor.user.time_zone)?;
            // Agencies and their approval setting are read before queueing for the write lock, so every
            // writer holds it for less; the case is checked under the lock, where it cannot change.
            let mut conn = app.db.pool.acquire().await?;
            let to_ref = cases::agency_by_code(&mut conn, &input.to_agency_code, "to_agency").await?;
            let to = to_ref.id;
            if to_ref.country == actor.user.country {
                return Err(AppError::field("to_agency", tr!(crate::i18n::reader(), "err-request-goes-agency-other-country")));
            }
            let needs_approval = !input.draft && requests::needs_approval(&mut conn, actor.user.agency_id, input.priority).await?;
            // The legal basis is checked here too, so a bad one is reported before queueing for the lock.
            requests::legal_basis(&mut conn, &input, actor.user.country).await?;
            drop(conn);
            let mut tx = app.db.begin_write().await?;
            let access = load::case(&mut tx, &actor, case_id, CaseOp::CreateRequest).await?;
            let shown = cases::shown_parties(&mut tx, case_id, &actor.user).await?;
            crate::backend::exchange::policy::ensure_may_send_to(&actor.user, access.owner, &shown, to)?;
            if !CaseCurrent::holds(access.status) {
                return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-requests-can-only-made-open")));
            }
            let now = Utc::now();
            // Check the requested deadline now, so the sender hears about it before anything is saved.
            let due =
                app.settings.deadlines.effective_due(input.kind, input.priority, input.directly_available, now, input.requested_due)?;
            let next = if input.draft {
                RequestStatus::Draft
            } else {
                next_request_status(RequestStatus::Draft, RequestEvent::Send { needs_approval }, ExpectsAnswer::holds(input.kind))?
            };
            let route = requests::Route { case_id, from_agency: actor.user.agency_id, to_agency: to };
            let id = if next == RequestStatus::Sent {
                requests::create_sent(&mut tx, route, &input, &actor.user, due, now).await?
            } else {
                requests::create_draft(&mut tx, route, &input, &actor.user).await?
            };
            let created = Event::new("request.create").on("request", id).case(case_id).details(json!({
                "kind": input.kind.as_str(), "priority": input.priority.as_str(), "to": to_ref.code, "tlp": input.tlp.as_str(),
                "legal_basis": input.legal_basis_code, "for_court": input.for_court, "conditions": input.conditions.codes()
            }));
            let notified = match next {
                RequestStatus::Draft => {
                    audit::record(&mut tx, &actor.who, created).await?;
                    Default::default()
                }
                RequestStatus::Sent => {
                    let sent = Event::new("request.send").on("request", id).case(case_id).details(json!({
                        "due": due.map(|d| d.to_rfc3339()), "to": to_ref.code
                    }));
                    audit::record_all(&mut tx, &actor.who, [created, sent]).await?;
                    announce_sent(&mut tx, id, to, &input.subject, input.priority, &actor).await?
                }
                _ => {
                    requests::set_status(&mut tx, id, next).await?;
                    let submitted = Event::new("request.submit_for_approval").on("request", id).case(case_id);
                    audit::record_all(&mut tx, &actor.who, [created, submitted]).await?;
                    announce_approval_needed(&mut tx, id, actor.user.agency_id, &input.subject, &actor).await?
                }
            };
            tx.commit().await?;
            app.hub.announce(notified);
            Ok(Created { id, reference: format!("{}/R{id}", access.reference) })
        }
        .await,
    )
}

#[server(endpoint = "get_request")]
pub async fn get_request(id: i64) -> Result<RequestView, AppError> {
    use crate::backend::exchange::policy::{self, RequestOp};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::requests, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            // Read on a pooled connection; only the audit event takes SQLite's write lock, briefly.
            let mut conn = app.db.pool.acquire().await?;
            let (result, case_id) = match requests::load(&mut conn, id).await? {
                None => (Err(AppError::NotFound), None),
                Some((row, access)) => match policy::ensure_request(&actor.user, &access.parties, row.sides(), RequestOp::View) {
                    Err(e) => (Err(e), None),
                    Ok(()) => {
                        (crate::backend::exchange::request_page::request(&mut conn, &row, &access, &actor.user).await, Some(row.case_id))
                    }
                },
            };
            drop(conn);
            let event = Event::new("request.read").on("request", id);
            match (&result, case_id) {
                (Ok(_), Some(case)) => audit::record_alone(&app.db, &actor.who, event.case(case)).await?,
                _ => audit::record_refusal(&app.db, &actor.who, event).await?,
            }
            result
        }
        .await,
    )
}

/// Cross-check of a request the viewer's side received, against the records the viewer may see.
#[server(endpoint = "cross_check")]
pub async fn cross_check(id: i64) -> Result<CrossCheckView, AppError> {
    use crate::backend::exchange::policy::{self, RequestOp};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::requests, oversight::crosscheck, state};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let vis = policy::visibility(&actor.user)?;
            let mut conn = app.db.pool.acquire().await?;
            let (row, access) = requests::load(&mut conn, id).await?.ok_or(AppError::NotFound)?;
            drop(conn);
            policy::ensure_request(&actor.user, &access.parties, row.sides(), RequestOp::ActAsRecipient)?;
            let allowance = || state::ensure_within_read_limit(&app, actor.id());
            let (result, ran) =
                crosscheck::kept_or_run(&app.crosscheck, &app.db.pool, &actor.user, vis, &row, crate::i18n::request_locale(), allowance)
                    .await?;
            audit::record_alone(
                &app.db,
                &actor.who,
                Event::new("request.cross_check").on("request", id).case(row.case_id).details(json!({
                    "looked_for": result.looked_for.len(), "matches": result.matches.len(), "kept": !ran
                })),
            )
            .await?;
            Ok(CrossCheckView::clone(&result))
        }
        .await,
    )
}

/// Sends a draft (or submits it for approval when the agency's supervisors asked for that).
#[server(endpoint = "send_request")]
pub async fn send_request(id: i64) -> Result<(), AppError> {
    use crate::backend::exchange::lifecycle::{next_request_status, RequestEvent};
    use crate::backend::exchange::policy::RequestOp;
    use crate::backend::exchange::rules::ExpectsAnswer;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::requests, state};
    use crate::model::RequestStatus;
    use chrono::Utc;
    state::reply(
        async {
            let (actor, app, mut tx, row, access) = load::request(id, RequestOp::ActAsSender).await?;
            // The case's parties may have changed since the draft was written.
            let shown = crate::backend::exchange::cases::shown_parties(&mut tx, row.case_id, &actor.user).await?;
            crate::backend::exchange::policy::ensure_may_send_to(&actor.user, access.owner, &shown, row.to_agency_id)?;
            let priority = row.priority;
            let needs_approval = requests::needs_approval(&mut tx, row.from_agency_id, priority).await?;
            let next = next_request_status(row.status, RequestEvent::Send { needs_approval }, ExpectsAnswer::holds(row.kind))?;
            if next == RequestStatus::Sent {
                let now = Utc::now();
                let due = app.settings.deadlines.due_on_sending(row.kind, priority, row.directly_available, now, row.due_at);
                requests::mark_sent(&mut tx, id, row.route(), due, now).await?;
                audit::record(&mut tx, &actor.who, Event::new("request.send").on("request", id).case(row.case_id)).await?;
                let notified = announce_sent(&mut tx, id, row.to_agency_id, &row.subject, priority, &actor).await?;
                tx.commit().await?;
                app.hub.announce(notified);
            } else {
                requests::set_status(&mut tx, id, next).await?;
                audit::record(&mut tx, &actor.who, Event::new("request.submit_for_approval").on("request", id).case(row.case_id)).await?;
                let notified = announce_approval_needed(&mut tx, id, row.from_agency_id, &row.subject, &actor).await?;
                tx.commit().await?;
                app.hub.announce(notified);
            }
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "approve_request")]
pub async fn approve_request(id: i64) -> Result<(), AppError> {
    use crate::backend::exchange::lifecycle::{next_request_status, RequestEvent};
    use crate::backend::exchange::policy::RequestOp;
    use crate::backend::exchange::rules::ExpectsAnswer;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::requests, state};
    use chrono::Utc;
    state::reply(
        async {
            let (actor, app, mut tx, row, access) = load::request(id, RequestOp::Approve).await?;
            let shown = crate::backend::exchange::cases::shown_parties(&mut tx, row.case_id, &actor.user).await?;
            crate::backend::exchange::policy::ensure_may_send_to(&actor.user, access.owner, &shown, row.to_agency_id)?;
            next_request_status(row.status, RequestEvent::Approve, ExpectsAnswer::holds(row.kind))?;
            let priority = row.priority;
            let now = Utc::now();
            let due = app.settings.deadlines.due_on_sending(row.kind, priority, row.directly_available, now, row.due_at);
            requests::mark_sent(&mut tx, id, row.route(), due, now).await?;
            audit::record(&mut tx, &actor.who, Event::new("request.approve").on("request", id).case(row.case_id)).await?;
            let notified = announce_sent(&mut tx, id, row.to_agency_id, &row.subject, priority, &actor).await?;
            tx.commit().await?;
            app.hub.announce(notified);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "acknowledge_request")]
pub async fn acknowledge_request(id: i64) -> Result<(), AppError> {
    use crate::backend::exchange::lifecycle::{next_request_status, RequestEvent};
    use crate::backend::exchange::policy::RequestOp;
    use crate::backend::exchange::rules::ExpectsAnswer;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::requests, state};
    state::reply(
        async {
            use crate::backend::oversight::notifications::{self, Audience};
            let (actor, app, mut tx, row, _) = load::request(id, RequestOp::ActAsRecipient).await?;
            next_request_status(row.status, RequestEvent::Acknowledge, ExpectsAnswer::holds(row.kind))?;
            requests::mark_acknowledged(&mut tx, id, &actor.user).await?;
            audit::record(&mut tx, &actor.who, Event::new("request.acknowledge").on("request", id).case(row.case_id)).await?;
            let notified = notifications::notify(
                &mut tx,
                Audience::AgencyOfficers(row.from_agency_id),
                Some(actor.id()),
                "acknowledged",
                &notifications::Said { agency: &actor.user.agency_code, detail: "", subject: &row.subject },
                &format!("/requests/{id}"),
                &format!("ack:{id}"),
            )
            .await?;
            tx.commit().await?;
            app.hub.announce(notified);
            Ok(())
        }
        .await,
    )
}

/// Adds a response to the thread, with the files this user uploaded to the request for it.
#[server(endpoint = "respond_to_request")]
pub async fn respond_to_request(id: i64, #[server(flatten)] form: ResponseForm) -> Result<(), AppError> {
    use crate::backend::exchange::lifecycle::{next_request_status, RequestEvent};
    use crate::backend::exchange::policy::RequestOp;
    use crate::backend::exchange::rules::ExpectsAnswer;
    use crate::backend::oversight::notifications::{self, Audience};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::attachments as files, exchange::requests, state};
    use crate::model::ResponseKind;
    use serde_json::json;
    state::reply(
        async {
            // The sender answers a clarification request; everything else comes from the recipient.
            let op = if form.kind == ResponseKind::Clarification.as_str() { RequestOp::ActAsSender } else { RequestOp::ActAsRecipient };
            let (actor, app, mut tx, row, _) = load::request(id, op).await?;
            let input = requests::ResponseInput::parse(&form, row.tlp, &row.conditions())?;
            let next = next_request_status(row.status, RequestEvent::Respond(input.kind), ExpectsAnswer::holds(row.kind))?;
            let response_id = requests::insert_response(&mut tx, id, &actor.user, &input).await?;
            files::attach_to_response(&mut tx, &input.attachments, id, response_id, &actor.user).await?;
            if next != row.status {
                requests::mark(&mut tx, id, next).await?;
            }
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("response.create").on("response", response_id).case(row.case_id).details(json!({
                    "request": id, "kind": input.kind.as_str(), "grading": format!("{}{}",
                        input.source_grade.map(|g| g.as_str()).unwrap_or(""), input.info_grade.map(|g| g.as_str()).unwrap_or("")),
                    "tlp": input.tlp.as_str(), "attachments": input.attachments, "status": next.as_str(),
                    "conditions": input.conditions.codes(),
                })),
            )
            .await?;
            let audience = if op == RequestOp::ActAsSender {
                Audience::AgencyOfficers(row.to_agency_id)
            } else {
                Audience::AgencyOfficers(row.from_agency_id)
            };
            let notified = notifications::notify(
                &mut tx,
                audience,
                Some(actor.id()),
                "response",
                &notifications::Said { agency: &actor.user.agency_code, detail: input.kind.as_str(), subject: &row.subject },
                &format!("/requests/{id}"),
                &format!("response:{response_id}"),
            )
            .await?;
            tx.commit().await?;
            app.hub.announce(notified);
            Ok(())
        }
        .await,
    )
}

/// The longest grounds for declining accepted.
pub const MAX_DECLINE_REASON_CHARS: usize = 5_000;

#[server(endpoint = "decline_request")]
pub async fn decline_request(id: i64, reason: String) -> Result<(), AppError> {
    use crate::backend::exchange::lifecycle::{next_request_status, RequestEvent};
    use crate::backend::exchange::policy::RequestOp;
    use crate::backend::exchange::rules::ExpectsAnswer;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::requests, state};
    use serde_json::json;
    state::reply(
        async {
            if reason.trim().chars().count() < 5 {
                return Err(AppError::field("reason", tr!(crate::i18n::reader(), "err-give-grounds-declining-least-few")));
            }
            if reason.trim().chars().count() > MAX_DECLINE_REASON_CHARS {
                return Err(AppError::field(
                    "reason",
                    tr!(crate::i18n::reader(), "err-keep-grounds-characters", max_decline_reason_chars = MAX_DECLINE_REASON_CHARS as i64),
                ));
            }
            let (actor, _, mut tx, row, _) = load::request(id, RequestOp::ActAsRecipient).await?;
            next_request_status(row.status, RequestEvent::Decline, ExpectsAnswer::holds(row.kind))?;
            requests::mark_declined(&mut tx, id, reason.trim()).await?;
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("request.decline").on("request", id).case(row.case_id).details(json!({"reason_length": reason.trim().len()})),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "withdraw_request")]
pub async fn withdraw_request(id: i64) -> Result<(), AppError> {
    use crate::backend::exchange::lifecycle::{next_request_status, RequestEvent};
    use crate::backend::exchange::policy::RequestOp;
    use crate::backend::exchange::rules::ExpectsAnswer;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::requests, state};
    use crate::model::RequestStatus;
    state::reply(
        async {
            let (actor, _, mut tx, row, _) = load::request(id, RequestOp::ActAsSender).await?;
            next_request_status(row.status, RequestEvent::Withdraw, ExpectsAnswer::holds(row.kind))?;
            requests::mark(&mut tx, id, RequestStatus::Withdrawn).await?;
            audit::record(&mut tx, &actor.who, Event::new("request.withdraw").on("request", id).case(row.case_id)).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "close_request")]
pub async fn close_request(id: i64) -> Result<(), AppError> {
    use crate::backend::exchange::lifecycle::{next_request_status, RequestEvent};
    use crate::backend::exchange::policy::RequestOp;
    use crate::backend::exchange::rules::ExpectsAnswer;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::requests, state};
    use crate::model::RequestStatus;
    state::reply(
        async {
            let (actor, _, mut tx, row, _) = load::request(id, RequestOp::ActAsSender).await?;
            next_request_status(row.status, RequestEvent::Close, ExpectsAnswer::holds(row.kind))?;
            requests::mark(&mut tx, id, RequestStatus::Closed).await?;
            audit::record(&mut tx, &actor.who, Event::new("request.close").on("request", id).case(row.case_id)).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// The sending agency's approval rule, as its supervisors set it ("" when no approval is needed).
#[server(endpoint = "approval_policy")]
pub async fn approval_policy() -> Result<String, AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::{exchange::requests, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::SetApprovalPolicy)?;
            Ok(requests::approval_policy(&app.db.pool, actor.user.agency_id).await?.map(|p| p.as_str().to_string()).unwrap_or_default())
        }
        .await,
    )
}

#[server(endpoint = "set_approval_policy")]
pub async fn set_approval_policy(#[server(default)] min_priority: String) -> Result<(), AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::requests, state};
    use crate::model::Priority;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::SetApprovalPolicy)?;
            let min = if min_priority.is_empty() {
                None
            } else {
                Some(
                    min_priority
                        .parse::<Priority>()
                        .map_err(|_| AppError::field("min_priority", tr!(crate::i18n::reader(), "err-choose-priority")))?,
                )
            };
            let mut tx = app.db.begin_write().await?;
            requests::set_approval_policy(&mut tx, actor.user.agency_id, min).await?;
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("agency.approval_policy").on("agency", actor.user.agency_id).details(json!({
                    "min_priority": min.map(|p| p.as_str())
                })),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "list_requests")]
pub async fn list_requests(filter: InboxFilter) -> Result<RequestPage, AppError> {
    use crate::backend::{exchange::policy, exchange::requests, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let vis = policy::visibility(&actor.user)?;
            // Kept as the inbox is (render_cache): the same list asked again within the minute, with nothing
            // written since, is not queried again. Its words are the reader's, so the language is in the key.
            let locale = crate::i18n::request_locale();
            let page = app
                .request_lists
                .get_or_render(&app.db, actor.user.id, (filter.clone(), locale), || requests::list(&app.db.pool, &actor.user, vis, &filter))
                .await?;
            Ok((*page).clone())
        }
        .await,
    )
}
