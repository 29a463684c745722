//! Account administration: users and agencies. Admins only (policy `ManageAccounts`/`ManageAgencies`);
//! none of this gives access to case contents.

use crate::error::AppError;
use crate::model::{AgencyView, AwaitingConfirmation, UserFilter, UserView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod guard {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::{state, Actor, AppState};
    use crate::error::AppError;
    use crate::model::{AwaitingConfirmation, ChangeKind};

    pub async fn admin(action: Action) -> Result<(Actor, AppState), AppError> {
        let (actor, app) = state::context().await?;
        policy::ensure(&actor.user, action)?;
        Ok((actor, app))
    }

    /// An admin asks for a change of someone else's account that only its confirmer applies (a password or
    /// second-factor reset): stored, audited as `action`, answered with who must confirm.
    pub async fn ask_for(id: i64, kind: ChangeKind, action: &'static str) -> Result<AwaitingConfirmation, AppError> {
        use crate::backend::platform::account_changes::{self, Proposal};
        use crate::backend::platform::audit::{self, Event};
        use crate::backend::platform::users;
        let (actor, app) = admin(Action::ManageAccounts).await?;
        policy::ensure_not_own_account(&actor.user, id)?;
        let mut tx = app.db.begin_write().await?;
        let target = users::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if kind == ChangeKind::ResetSecondFactor && !target.has_second_factor {
            return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-account-has-no-second-factor")));
        }
        if kind == ChangeKind::ResetPassword && target.service {
            return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-service-account-no-password")));
        }
        let change = account_changes::propose(&mut tx, &target, Proposal::of(kind), actor.id()).await?;
        let details = serde_json::json!({"username": target.username, "awaiting_confirmation": change.id});
        audit::record(&mut tx, &actor.who, Event::new(action).on("user", id).details(details)).await?;
        tx.commit().await?;
        Ok(AwaitingConfirmation { user: target.view(), confirmer: policy::confirmer(&change).label_in(crate::i18n::request_locale()) })
    }
}

#[server(endpoint = "list_users")]
pub async fn list_users(filter: UserFilter) -> Result<Vec<UserView>, AppError> {
    use crate::backend::{exchange::policy::Action, platform::users, state};
    state::reply(
        async {
            let (_, app) = guard::admin(Action::ManageAccounts).await?;
            crate::error::check_search_text("q", &filter.q)?;
            users::list(&app.db.pool, &filter).await
        }
        .await,
    )
}

#[server(endpoint = "get_user")]
pub async fn get_user(id: i64) -> Result<UserView, AppError> {
    use crate::backend::{exchange::policy::Action, platform::users, state};
    state::reply(
        async {
            let (_, app) = guard::admin(Action::ManageAccounts).await?;
            let mut conn = app.db.pool.acquire().await?;
            Ok(users::by_id(&mut conn, id).await?.ok_or(AppError::NotFound)?.view())
        }
        .await,
    )
}

/// A new account starts disabled, with a change waiting for its confirmer (`policy::confirmer`), who
/// receives its temporary password on confirming: an admin alone never opens case content to anyone, nor
/// holds a credential that would. A service account (`service` ticked) gets no password at all: its tokens
/// are issued, four-eyes too, on its page.
#[server(endpoint = "create_user")]
pub async fn create_user(
    username: String,
    display_name: String,
    role: String,
    agency: String,
    time_zone: String,
    #[server(default)] service: Option<String>,
) -> Result<AwaitingConfirmation, AppError> {
    use crate::backend::exchange::policy;
    use crate::backend::platform::account_changes::{self, Proposal};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::policy::Action, platform::passwords, platform::users, state};
    use crate::model::{ChangeKind, UserStatus};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = guard::admin(Action::ManageAccounts).await?;
            let role = users::validate_fields(Some(&username), &display_name, &role, Some(&time_zone))?;
            // A checkbox: ticked sends "on"; anything else but nothing is refused, never read as "a person".
            let service = match service.as_deref().map(str::trim) {
                None | Some("") => false,
                Some("on" | "true") => true,
                Some(_) => return Err(AppError::field("service", tr!(crate::i18n::reader(), "err-service-tick-or-not"))),
            };
            users::check_service_role(service, role)?;
            if agency.trim().is_empty() {
                return Err(AppError::field("agency", tr!(crate::i18n::reader(), "err-choose-agency")));
            }
            // A password nobody knows until the confirmation replaces it (a service account's, never).
            let unknown = passwords::hash(passwords::generate()).await;
            let new = users::NewUser { username, display_name, role, agency_code: agency, time_zone: Some(time_zone), service };
            let mut tx = app.db.begin_write().await?;
            let row = users::insert(&mut tx, &new, &unknown, users::PasswordKind::Temporary { until: chrono::Utc::now() }).await?;
            users::set_status(&mut tx, row.id, UserStatus::Disabled).await?;
            let change = account_changes::propose(&mut tx, &row, Proposal::of(ChangeKind::Create), actor.id()).await?;
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("user.create").on("user", row.id).details(json!({
                    "username": row.username, "role": row.role, "agency": row.agency_code, "service": row.service,
                    "awaiting_confirmation": change.id
                })),
            )
            .await?;
            let row = users::by_id(&mut tx, row.id).await?.ok_or(AppError::Internal)?;
            tx.commit().await?;
            Ok(AwaitingConfirmation { user: row.view(), confirmer: policy::confirmer(&change).label_in(crate::i18n::request_locale()) })
        }
        .await,
    )
}

/// The name changes at once; a new role or agency waits for its confirmer (four-eyes).
#[server(endpoint = "update_user")]
pub async fn update_user(id: i64, display_name: String, role: String, agency: String) -> Result<UserView, AppError> {
    use crate::backend::exchange::policy;
    use crate::backend::platform::account_changes::{self, Proposal};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::policy::Action, platform::agencies, platform::users, state};
    use crate::model::{ChangeKind, Role};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = guard::admin(Action::ManageAccounts).await?;
            let role = users::validate_fields(None, &display_name, &role, None)?;
            let mut tx = app.db.begin_write().await?;
            let target = users::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
            users::check_service_role(target.service, role)?;
            let agency = agencies::find_by_code(&mut tx, &agency)
                .await?
                .ok_or_else(|| AppError::field("agency", tr!(crate::i18n::reader(), "err-choose-existing-agency")))?;
            let proposal = Proposal {
                kind: ChangeKind::Update,
                new_role: (role != target.role).then_some(role),
                new_agency_id: (agency.id != target.agency_id).then_some(agency.id),
                token: None,
            };
            let changes_access = proposal.new_role.is_some() || proposal.new_agency_id.is_some();
            if changes_access {
                policy::ensure_not_own_account(&actor.user, id)?;
                users::ensure_admin_remains(&mut tx, &target, role == Role::Admin).await?;
            }
            users::update_profile(&mut tx, id, &display_name, target.role, target.agency_id).await?;
            let change = match changes_access {
                true => Some(account_changes::propose(&mut tx, &target, proposal, actor.id()).await?.id),
                false => None,
            };
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("user.update").on("user", id).details(json!({
                    "username": target.username,
                    "role": {"from": target.role, "to": role.as_str()},
                    "agency": {"from": target.agency_code, "to": agency.code},
                    "display_name_changed": target.display_name != display_name.trim(),
                    "awaiting_confirmation": change,
                })),
            )
            .await?;
            let updated = users::by_id(&mut tx, id).await?.ok_or(AppError::Internal)?;
            tx.commit().await?;
            Ok(updated.view())
        }
        .await,
    )
}

/// Disabling takes effect at once and ends the user's sessions (every request reloads the account, and a
/// disabled one is treated as signed out). Enabling again waits for its confirmer (four-eyes).
#[server(endpoint = "set_user_enabled")]
pub async fn set_user_enabled(id: i64, enabled: bool) -> Result<UserView, AppError> {
    use crate::backend::exchange::policy;
    use crate::backend::platform::account_changes::{self, Proposal};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::policy::Action, platform::users, state};
    use crate::model::{ChangeKind, UserStatus};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = guard::admin(Action::ManageAccounts).await?;
            policy::ensure_not_own_account(&actor.user, id)?;
            let mut tx = app.db.begin_write().await?;
            let target = users::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
            let event = if enabled {
                if target.is_active() {
                    return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-account-enabled-already")));
                }
                let change = account_changes::propose(&mut tx, &target, Proposal::of(ChangeKind::Enable), actor.id()).await?;
                Event::new("user.enable").on("user", id).details(json!({"username": target.username, "awaiting_confirmation": change.id}))
            } else {
                users::ensure_admin_remains(&mut tx, &target, false).await?;
                users::set_status(&mut tx, id, UserStatus::Disabled).await?;
                // A disable is meant to stick: whatever waited for a confirmation is withdrawn with it.
                let withdrawn = match account_changes::open_for(&mut tx, id).await? {
                    Some(open) => account_changes::withdraw(&mut tx, &open, actor.id()).await.map(|_| Some(open.id))?,
                    None => None,
                };
                // And so are its API tokens: enabling the account again does not bring them back.
                let revoked_tokens = crate::backend::platform::tokens::revoke_all_of(&mut tx, id, chrono::Utc::now()).await?;
                Event::new("user.disable").on("user", id).details(json!({
                    "username": target.username, "withdrawn_change": withdrawn, "revoked_tokens": revoked_tokens
                }))
            };
            audit::record(&mut tx, &actor.who, event).await?;
            let updated = users::by_id(&mut tx, id).await?.ok_or(AppError::Internal)?;
            tx.commit().await?;
            Ok(updated.view())
        }
        .await,
    )
}

/// Asks for a new temporary password: the account's confirmer makes it by confirming, and hands it over.
/// The password in use keeps working until then.
#[server(endpoint = "reset_user_password")]
pub async fn reset_user_password(id: i64) -> Result<AwaitingConfirmation, AppError> {
    use crate::backend::state;
    use crate::model::ChangeKind;
    state::reply(guard::ask_for(id, ChangeKind::ResetPassword, "user.reset_password").await)
}

/// Asks for the account's authenticator app and recovery codes to be removed (a lost phone): its
/// confirmer decides, and the next sign-in sets up a new one.
#[server(endpoint = "reset_second_factor")]
pub async fn reset_second_factor(id: i64) -> Result<AwaitingConfirmation, AppError> {
    use crate::backend::state;
    use crate::model::ChangeKind;
    state::reply(guard::ask_for(id, ChangeKind::ResetSecondFactor, "user.reset_second_factor").await)
}

#[server(endpoint = "unlock_user")]
pub async fn unlock_user(id: i64) -> Result<UserView, AppError> {
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::policy::Action, platform::users, state};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = guard::admin(Action::ManageAccounts).await?;
            let mut tx = app.db.begin_write().await?;
            let target = users::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
            users::unlock(&mut tx, id).await?;
            audit::record(&mut tx, &actor.who, Event::new("user.unlock").on("user", id).details(json!({"username": target.username})))
                .await?;
            let updated = users::by_id(&mut tx, id).await?.ok_or(AppError::Internal)?;
            tx.commit().await?;
            Ok(updated.view())
        }
        .await,
    )
}

#[server(endpoint = "list_agencies")]
pub async fn list_agencies() -> Result<Vec<AgencyView>, AppError> {
    use crate::backend::{exchange::policy::Action, platform::agencies, state};
    state::reply(
        async {
            let (_, app) = guard::admin(Action::ManageAgencies).await?;
            agencies::list(&app.db.pool).await
        }
        .await,
    )
}

#[server(endpoint = "create_agency")]
pub async fn create_agency(code: String, name: String, country: String) -> Result<AgencyView, AppError> {
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::policy::Action, platform::agencies, state};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = guard::admin(Action::ManageAgencies).await?;
            let (code, name, country) = agencies::validate(&code, &name, &country)?;
            let mut tx = app.db.begin_write().await?;
            let agency = agencies::insert(&mut tx, &code, &name, country).await?;
            audit::record(
                &mut tx,
                &actor.who,
                Event::new("agency.create").on("agency", agency.id).details(json!({"code": code, "country": country.as_str()})),
            )
            .await?;
            tx.commit().await?;
            Ok(agency)
        }
        .await,
    )
}
