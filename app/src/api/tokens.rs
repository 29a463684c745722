//! The signed-in user's API tokens (profile): list, make one (its secret answered once), revoke. Only on the
//! pages, with a session: a token cannot make or revoke tokens (`/api/v1` has no route to these).

use crate::error::AppError;
use crate::model::{IssuedToken, TokenForm, TokenView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn session_only() -> Result<(crate::backend::Actor, crate::backend::AppState), AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::state;
    // Belt and braces: were a token's context ever present here, refuse rather than let a token mint tokens.
    if use_context::<state::ApiCaller>().is_some() {
        return Err(AppError::Forbidden);
    }
    let (actor, app) = state::context().await?;
    policy::ensure(&actor.user, Action::UseApi)?;
    Ok((actor, app))
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
