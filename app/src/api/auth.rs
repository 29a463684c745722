//! Signing in and out, the current user, and changing one's own password.

use crate::error::AppError;
use crate::model::SessionUser;
use leptos::prelude::*;

#[server(endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<SessionUser, AppError> {
    use crate::backend::{sign_in, state};
    use crate::error::Problems;
    state::reply(
        async {
            let mut p = Problems::default();
            p.check(!username.trim().is_empty(), "username", "Enter your username.");
            p.check(!password.is_empty(), "password", "Enter your password.");
            p.into_result()?;
            let app = state::state()?;
            let mut session = state::auth_session().await?;
            let ip = state::client_ip().await;
            sign_in::sign_in(&app, &mut session, ip, &username, password).await
        }
        .await,
    )
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    state::reply(
        async {
            let mut session = state::auth_session().await?;
            if let Ok((actor, app)) = state::context_allowing_pending_password().await {
                audit::record_alone(&app.db, &actor.who, Event::new("sign_out").on("user", actor.id())).await?;
            }
            session.logout().await.map_err(|e| {
                tracing::error!(error = %e, "logout failed");
                AppError::Internal
            })?;
            Ok(())
        }
        .await,
    )
}

/// The signed-in user, or None. Never an error for "not signed in": pages use it to choose what to show.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    use crate::backend::state;
    match state::context_allowing_pending_password().await {
        Ok((actor, _)) => Ok(Some(actor.user)),
        Err(AppError::Unauthorized) => Ok(None),
        Err(e) => Err(e),
    }
}

#[server(endpoint = "change_password")]
pub async fn change_password(current: String, new_password: String, confirm: String) -> Result<(), AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::platform::audit::{self, Event, Outcome};
    use crate::backend::platform::auth::AuthedUser;
    use crate::backend::{platform::passwords, platform::users, state};
    use crate::error::Problems;
    state::reply(
        async {
            let (actor, app) = state::context_allowing_pending_password().await?;
            policy::ensure(&actor.user, Action::ManageOwnProfile)?;
            let mut p = Problems::default();
            p.check(!current.is_empty(), "current", "Enter your current password.");
            if let Err(msg) = passwords::check_rules(&new_password, &actor.user.username) {
                p.add("new_password", msg);
            }
            p.check(new_password == confirm, "confirm", "The two new passwords differ.");
            p.check(
                new_password != current || new_password.is_empty(),
                "new_password",
                "Choose a password different from the current one.",
            );
            p.into_result()?;

            let row = {
                let mut conn = app.db.pool.acquire().await?;
                users::by_id(&mut conn, actor.id()).await?.ok_or(AppError::Unauthorized)?
            };
            if !passwords::verify(current, Some(row.password_hash.0.clone())).await {
                audit::record_alone(&app.db, &actor.who, Event::new("password.change").on("user", actor.id()).outcome(Outcome::Failure))
                    .await?;
                return Err(AppError::field("current", "The current password is not right."));
            }
            let hash = passwords::hash(new_password).await;
            let mut tx = app.db.begin_write().await?;
            users::set_password(&mut tx, actor.id(), &hash, users::PasswordKind::Chosen).await?;
            audit::record(&mut tx, &actor.who, Event::new("password.change").on("user", actor.id())).await?;
            let row = users::by_id(&mut tx, actor.id()).await?.ok_or(AppError::Internal)?;
            tx.commit().await?;
            // Re-binding this session to the new hash keeps it; every other session of the user ends.
            let mut session = state::auth_session().await?;
            session.login(&AuthedUser { row }).await.map_err(|e| {
                tracing::error!(error = %e, "session refresh failed");
                AppError::Internal
            })?;
            Ok(())
        }
        .await,
    )
}
