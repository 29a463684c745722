//! Conditions of use: each country's list of legal bases (its admins keep it), consent asked of a
//! provider to use or pass on what a response gave, and passing a response on with another request.

use crate::error::AppError;
use crate::model::{ConsentAnswerForm, ConsentForm, LegalBasisForm, LegalBasisView};
use leptos::prelude::*;

/// The admin's country's legal bases, retired ones included.
#[server(endpoint = "legal_bases")]
pub async fn legal_bases() -> Result<Vec<LegalBasisView>, AppError> {
    use crate::backend::exchange::{legal_bases, policy};
    use crate::backend::state;
    use crate::model::permissions::Action;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ManageCountryLists)?;
            let mut conn = app.db.pool.acquire().await?;
            legal_bases::of_country(&mut conn, actor.user.country, true).await
        }
        .await,
    )
}

#[server(endpoint = "add_legal_basis")]
pub async fn add_legal_basis(#[server(flatten)] form: LegalBasisForm) -> Result<(), AppError> {
    use crate::backend::exchange::{legal_bases, policy};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    use crate::model::permissions::Action;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ManageCountryLists)?;
            let basis = legal_bases::NewBasis::parse(&form)?;
            let mut tx = app.db.begin_write().await?;
            let id = legal_bases::add(&mut tx, actor.user.country, &basis).await?;
            let details =
                json!({"code": basis.code, "label": basis.label, "formal_mla": basis.formal_mla, "country": actor.user.country.as_str()});
            audit::record(&mut tx, &actor.who, Event::new("legal_basis.add").on("legal_basis", id).details(details)).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "retire_legal_basis")]
pub async fn retire_legal_basis(id: i64) -> Result<(), AppError> {
    use crate::backend::exchange::{legal_bases, policy};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    use crate::model::permissions::Action;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ManageCountryLists)?;
            let mut tx = app.db.begin_write().await?;
            // Another country's basis is not found: each country's admins keep their own list.
            let code = legal_bases::retire(&mut tx, actor.user.country, id).await?;
            audit::record(&mut tx, &actor.who, Event::new("legal_basis.retire").on("legal_basis", id).details(json!({"code": code})))
                .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Asks a response's provider for consent to use it in court (H1), pass it on to a named agency (H2), or
/// as its other restrictions say (H3). The side it was given to asks, or the case's owner for all but
/// passing it on (`policy::consent_asker`); NotFound for anyone who does not see the response.
#[server(endpoint = "ask_consent")]
pub async fn ask_consent(#[server(flatten)] form: ConsentForm) -> Result<(), AppError> {
    use crate::backend::exchange::cases;
    use crate::backend::exchange::consents::{self, ConsentAsk};
    use crate::backend::exchange::policy;
    use crate::backend::oversight::notifications::{self, Audience};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    use chrono::Utc;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, crate::model::permissions::Action::WorkCases)?;
            let ask = ConsentAsk::parse(&form)?;
            let mut tx = app.db.begin_write().await?;
            let (info, row, access) = consents::given(&mut tx, ask.response_id).await?.ok_or(AppError::NotFound)?;
            let holding = consents::holding(&mut tx, &actor.user, &row, &access, info.response_id).await?;
            let asker = policy::consent_asker(&actor.user, (info.provider, info.receiver), &holding.holders, ask.purpose)?;
            crate::backend::exchange::retention::refuse_if_purged(access.purged)?;
            if !info.kind.carries_information() || !consents::restricts(&info.conditions, ask.purpose) {
                return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-response-does-not-carry-condition")));
            }
            let pass_to = match &ask.pass_to_code {
                Some(code) => {
                    let agency = cases::agency_by_code(&mut tx, code, "pass_to").await?;
                    if [info.provider.agency_id, info.receiver.agency_id, asker.agency_id].contains(&agency.id) {
                        return Err(AppError::field("pass_to", tr!(crate::i18n::reader(), "err-choose-third-agency-already-holds")));
                    }
                    Some(agency)
                }
                None => None,
            };
            let now = Utc::now();
            let due = consents::due(now, app.settings.consent_days);
            let asking = cases::agency_ref(&mut tx, asker.agency_id).await?;
            let asker = consents::Asker { party: asker, user_id: actor.id() };
            let id = match consents::ask(&mut tx, &info, &ask, pass_to.as_ref().map(|a| a.id), &asker, now, due).await {
                Ok(id) => id,
                // Asked already, granted already, or asked too often: refused by a rule, and audited as such
                // (after the write transaction ends: the refusal is recorded on its own).
                Err(e @ AppError::Conflict(_)) => {
                    drop(tx);
                    let event = Event::new("consent.ask").on("response", info.response_id).case(info.case_id);
                    audit::record_refusal(&app.db, &actor.who, event.details(json!({"purpose": ask.purpose.as_str()}))).await?;
                    return Err(e);
                }
                Err(e) => return Err(e),
            };
            let details = json!({"response": info.response_id, "request": info.request_id, "purpose": ask.purpose.as_str(), "as": asking.code,
                "pass_to": pass_to.as_ref().map(|a| a.code.clone()), "due": due.to_rfc3339()});
            audit::record(&mut tx, &actor.who, Event::new("consent.ask").on("consent", id).case(info.case_id).details(details)).await?;
            let notified = notifications::notify(
                &mut tx,
                Audience::AgencyOfficers(info.provider.agency_id),
                Some(actor.id()),
                "consent_asked",
                &notifications::Said { agency: &asking.code, detail: ask.purpose.as_str(), subject: &row.subject },
                &format!("/requests/{}#response-{}", info.request_id, info.response_id),
                &format!("consent:{id}"),
            )
            .await?;
            tx.commit().await?;
            app.hub.announce(notified);
            Ok(())
        }
        .await,
    )
}

/// The provider's answer: granted (with conditions), partly granted, or refused with grounds.
#[server(endpoint = "answer_consent")]
pub async fn answer_consent(#[server(flatten)] form: ConsentAnswerForm) -> Result<(), AppError> {
    use crate::backend::exchange::consents::{self, ConsentAnswer};
    use crate::backend::exchange::policy::{self, ConsentOp, RequestOp};
    use crate::backend::exchange::requests;
    use crate::backend::oversight::notifications::{self, Audience};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, crate::model::permissions::Action::WorkCases)?;
            let answer = ConsentAnswer::parse(&form)?;
            let mut tx = app.db.begin_write().await?;
            let consent = consents::load(&mut tx, answer.id).await?.ok_or(AppError::NotFound)?;
            let (row, access) = requests::load(&mut tx, consent.request_id).await?.ok_or(AppError::NotFound)?;
            policy::ensure_request(&actor.user, &access.parties, row.sides(), RequestOp::View)?;
            policy::ensure_consent(&actor.user, ConsentOp::Answer, consent.asker(), consent.provider())?;
            crate::backend::exchange::retention::refuse_if_purged(access.purged)?;
            consents::answer(&mut tx, &consent, &answer, &actor.user).await?;
            // The asker's alert names the request it reads the answer on, never a thread it does not see.
            let (link, subject) = match consents::asker_reads_on(&mut tx, &consent, &row, access.owner).await? {
                Some((id, subject)) => (format!("/requests/{id}#response-{}", consent.response_id), subject),
                None => ("/notifications".to_string(), String::new()),
            };
            let details =
                json!({"response": consent.response_id, "purpose": consent.purpose.as_str(), "decision": answer.decision.as_str()});
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("consent.answer").on("consent", consent.id).case(consent.case_id).details(details),
            )
            .await?;
            let notified = notifications::notify(
                &mut tx,
                Audience::AgencyOfficers(consent.from_agency_id),
                Some(actor.id()),
                "consent_answered",
                &notifications::Said { agency: &actor.user.agency_code, detail: answer.decision.as_str(), subject: &subject },
                &link,
                &format!("consent-answer:{}", consent.id),
            )
            .await?;
            tx.commit().await?;
            app.hub.announce(notified);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "withdraw_consent")]
pub async fn withdraw_consent(id: i64) -> Result<(), AppError> {
    use crate::backend::exchange::consents;
    use crate::backend::exchange::policy::{self, ConsentOp};
    use crate::backend::exchange::requests;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, crate::model::permissions::Action::WorkCases)?;
            let mut tx = app.db.begin_write().await?;
            let consent = consents::load(&mut tx, id).await?.ok_or(AppError::NotFound)?;
            let (row, access) = requests::load(&mut tx, consent.request_id).await?.ok_or(AppError::NotFound)?;
            // Its asker may read it passed on only (a third agency), and learns of no other agency's asks.
            let holding = consents::holding(&mut tx, &actor.user, &row, &access, consent.response_id).await?;
            policy::ensure_consent(&actor.user, ConsentOp::Withdraw, consent.asker(), consent.provider()).map_err(|e| {
                if holding.sees_thread {
                    e
                } else {
                    AppError::NotFound
                }
            })?;
            crate::backend::exchange::retention::refuse_if_purged(access.purged)?;
            consents::withdraw(&mut tx, &consent).await?;
            audit::record(&mut tx, &actor.who, Event::new("consent.withdraw").on("consent", id).case(consent.case_id)).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Passes a response's information (its text, grading, conditions and files) on with one of the viewer's
/// side's requests. Refused while H2 holds it back from that request's recipient.
#[server(endpoint = "pass_on_response")]
pub async fn pass_on_response(response_id: i64, request_id: i64) -> Result<(), AppError> {
    use crate::backend::exchange::consents;
    use crate::backend::exchange::policy::{self, RequestOp};
    use crate::backend::exchange::requests;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, crate::model::permissions::Action::WorkCases)?;
            let mut tx = app.db.begin_write().await?;
            let (info, source, source_access) = consents::given(&mut tx, response_id).await?.ok_or(AppError::NotFound)?;
            policy::ensure_request(&actor.user, &source_access.parties, source.sides(), RequestOp::View)?;
            let (target, target_access) = requests::load(&mut tx, request_id).await?.ok_or(AppError::NotFound)?;
            policy::ensure_request(&actor.user, &target_access.parties, target.sides(), RequestOp::ActAsSender)?;
            crate::backend::exchange::retention::refuse_if_purged(source_access.purged || target_access.purged)?;
            if target.id == source.id || !crate::backend::exchange::rules::TakesPassedOn::holds(target.status) {
                return Err(AppError::field("request_id", tr!(crate::i18n::reader(), "err-choose-another-request-still-being")));
            }
            let lifted = consents::pass_on_lifted(&mut tx, response_id, target.to_agency_id).await?;
            policy::ensure_may_pass_on(&actor.user, &info.as_policy(), target.sides(), lifted)?;
            let grant = consents::pass_on_grant(&mut tx, response_id, target.to_agency_id).await?;
            let id = consents::pass_on(&mut tx, response_id, target.id, grant, &actor.user).await?;
            let details = json!({"response": response_id, "from_request": source.id, "to_request": target.id,
                "conditions": info.conditions.codes(), "consent": grant});
            audit::record(&mut tx, &actor.who, Event::new("response.pass_on").on("passed_on", id).case(target.case_id).details(details))
                .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// The formal mutual-legal-assistance request's reference, once known, on a request meant as evidence for
/// court: set by the request's sending side.
#[server(endpoint = "set_mla_reference")]
pub async fn set_mla_reference(id: i64, reference: String) -> Result<(), AppError> {
    use crate::api::requests::load;
    use crate::backend::exchange::policy::RequestOp;
    use crate::backend::exchange::requests;
    use crate::backend::platform::audit::{self, Event};
    use serde_json::json;
    crate::backend::state::reply(
        async {
            let reference = crate::i18n::plain_line(&reference);
            if reference.chars().count() > requests::MAX_MLA_REFERENCE_CHARS {
                return Err(AppError::field("mla_reference", tr!(crate::i18n::reader(), "err-reference-limited-100-characters")));
            }
            let (actor, _app, mut tx, row, _) = load::request(id, RequestOp::ActAsSender).await?;
            if !row.for_court {
                return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-request-not-marked-as-evidence")));
            }
            requests::set_mla_reference(&mut tx, id, &reference).await?;
            // The reference is case content (a purge empties it): the trail records that it was set, not its text.
            let details = json!({"mla_reference_set": !reference.is_empty()});
            audit::record(&mut tx, &actor.who, Event::new("request.mla_reference").on("request", id).case(row.case_id).details(details))
                .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}
