//! API tokens. The signed-in user's own (profile): list, make one (its secret answered once), revoke. A
//! service account's (admin, on its page): list, ask for one (issued when its confirmer confirms, who
//! receives the secret), revoke. Only on the pages, with a session: a token cannot make or revoke tokens
//! (`/api/v1` has no route to these).

use crate::error::AppError;
use crate::model::{AwaitingConfirmation, IssuedToken, TokenForm, TokenView};
use leptos::prelude::*;

/// A session's caller, never a token's: were a token's context ever present here, refuse rather than let a
/// token mint tokens.
#[cfg(feature = "ssr")]
async fn signed_in() -> Result<(crate::backend::Actor, crate::backend::AppState), AppError> {
    use crate::backend::state;
    if use_context::<state::ApiCaller>().is_some() {
        return Err(AppError::Forbidden);
    }
    state::context().await
}

#[cfg(feature = "ssr")]
async fn session_only() -> Result<(crate::backend::Actor, crate::backend::AppState), AppError> {
    use crate::backend::exchange::policy::{self, Action};
    let (actor, app) = signed_in().await?;
    policy::ensure(&actor.user, Action::UseApi)?;
    Ok((actor, app))
}

/// The service account `id`, for an admin who may manage its tokens (`policy::ensure_may_manage_tokens_of`).
#[cfg(feature = "ssr")]
async fn service_account(
    conn: &mut sqlx::SqliteConnection,
    actor: &crate::backend::Actor,
    id: i64,
) -> Result<crate::backend::platform::users::UserRow, AppError> {
    use crate::backend::exchange::policy::{self, Action};
    policy::ensure(&actor.user, Action::ManageAccounts)?;
    let target = crate::backend::platform::users::by_id(conn, id).await?.ok_or(AppError::NotFound)?;
    policy::ensure_may_manage_tokens_of(&actor.user, &target)?;
    Ok(target)
}

#[server(endpoint = "my_tokens")]
pub async fn my_tokens() -> Result<Vec<TokenView>, AppError> {
    use crate::backend::{platform::tokens, state};
    state::reply(
        async {
            let (actor, app) = session_only().await?;
            let mut conn = app.db.pool.acquire().await?;
            let owner = crate::backend::platform::users::by_id(&mut conn, actor.id()).await?.ok_or(AppError::Unauthorized)?;
            tokens::list(&mut conn, &owner, &actor.user.time_zone).await
        }
        .await,
    )
}

/// Makes a token. Asks for the password again (and, once the account has a second factor, a recent
/// sign-in), as changing a factor does: the token outlives this session.
#[server(endpoint = "create_token")]
pub async fn create_token(password: String, #[server(flatten)] form: TokenForm) -> Result<IssuedToken, AppError> {
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{platform::tokens, state};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = session_only().await?;
            let new = tokens::NewToken::parse(&form)?;
            let session = state::auth_session().await?;
            let owner = crate::backend::own_factors::reconfirm(&app, &session, &actor, password, "token.create").await?;
            let mut tx = app.db.begin_write().await?;
            let issued = tokens::create(&mut tx, &owner, &new, chrono::Utc::now()).await?;
            let scopes: Vec<&str> = new.scopes.iter().map(|s| s.as_str()).collect();
            let event = Event::new("token.create").on("api_token", issued.id).details(json!({
                "name": new.name, "scopes": scopes, "days": new.days
            }));
            audit::record(&mut tx, &actor.who, event).await?;
            tx.commit_untracked().await?;
            Ok(issued)
        }
        .await,
    )
}

#[server(endpoint = "revoke_token")]
pub async fn revoke_token(id: i64) -> Result<(), AppError> {
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{platform::tokens, state};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = session_only().await?;
            let mut tx = app.db.begin_write().await?;
            let row = tokens::revoke(&mut tx, actor.id(), id, chrono::Utc::now()).await?;
            if row.revoked_at.is_none() {
                audit::record(&mut tx, &actor.who, Event::new("token.revoke").on("api_token", id).details(json!({"name": row.name})))
                    .await?;
            }
            tx.commit_untracked().await?;
            Ok(())
        }
        .await,
    )
}

/// A service account's tokens, for an admin (revoked and expired ones too, so what happened shows).
#[server(endpoint = "service_tokens")]
pub async fn service_tokens(user: i64) -> Result<Vec<TokenView>, AppError> {
    use crate::backend::{platform::tokens, state};
    state::reply(
        async {
            let (actor, app) = signed_in().await?;
            let mut conn = app.db.pool.acquire().await?;
            let owner = service_account(&mut conn, &actor, user).await?;
            tokens::list(&mut conn, &owner, &actor.user.time_zone).await
        }
        .await,
    )
}

/// Asks for a token for a service account: stored as an account change that its confirmer applies (and
/// receives the secret); the admin who asks never holds it. Asks for the admin's password again (and a
/// recent sign-in), as making a personal token does: a session left open must not set one going.
#[server(endpoint = "ask_for_service_token")]
pub async fn ask_for_service_token(
    user: i64,
    #[server(default)] password: String,
    #[server(flatten)] form: TokenForm,
) -> Result<AwaitingConfirmation, AppError> {
    use crate::backend::exchange::policy;
    use crate::backend::platform::account_changes::{self, Proposal};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{platform::tokens, state};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = signed_in().await?;
            policy::ensure(&actor.user, policy::Action::ManageAccounts)?;
            let new = tokens::NewToken::parse(&form)?;
            let session = state::auth_session().await?;
            crate::backend::own_factors::reconfirm(&app, &session, &actor, password, "token.ask").await?;
            let mut tx = app.db.begin_write().await?;
            let target = service_account(&mut tx, &actor, user).await?;
            if !target.is_active() {
                return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-token-account-not-active-service")));
            }
            let scopes: Vec<&str> = new.scopes.iter().map(|s| s.as_str()).collect();
            let details = json!({"username": target.username, "name": new.name, "scopes": scopes, "days": new.days});
            let change = account_changes::propose(&mut tx, &target, Proposal::token(new), actor.id()).await?;
            let details = json!({"awaiting_confirmation": change.id, "token": details});
            audit::record(&mut tx, &actor.who, Event::new("token.ask").on("user", target.id).details(details)).await?;
            tx.commit().await?;
            Ok(AwaitingConfirmation { user: target.view(), confirmer: policy::confirmer(&change).label_in(crate::i18n::request_locale()) })
        }
        .await,
    )
}

/// Revokes a service account's token at once (closing access needs no second person).
#[server(endpoint = "revoke_service_token")]
pub async fn revoke_service_token(user: i64, id: i64) -> Result<(), AppError> {
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{platform::tokens, state};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = signed_in().await?;
            crate::backend::exchange::policy::ensure(&actor.user, crate::backend::exchange::policy::Action::ManageAccounts)?;
            let mut tx = app.db.begin_write().await?;
            let owner = service_account(&mut tx, &actor, user).await?;
            let row = tokens::revoke(&mut tx, owner.id, id, chrono::Utc::now()).await?;
            if row.revoked_at.is_none() {
                let details = json!({"name": row.name, "owner": owner.username});
                audit::record(&mut tx, &actor.who, Event::new("token.revoke").on("api_token", id).details(details)).await?;
            }
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}
