//! Signing in and out, the current user, and changing one's own password.

use crate::error::AppError;
use crate::model::{SecondFactorStatus, SessionUser, SignInAnswer, TotpSetup};
use leptos::prelude::*;

/// The password step: signed in, or on to `/login/code` when the account has a second factor.
#[server(endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<SignInAnswer, AppError> {
    use crate::backend::{sign_in, state};
    use crate::error::Problems;
    state::reply(
        async {
            let mut p = Problems::default();
            p.check(!username.trim().is_empty(), "username", tr!(crate::i18n::reader(), "err-enter-username"));
            p.check(!password.is_empty(), "password", tr!(crate::i18n::reader(), "err-enter-password"));
            p.into_result()?;
            let app = state::state()?;
            let mut session = state::auth_session().await?;
            let ip = state::client_ip().await;
            sign_in::sign_in(&app, &mut session, ip, &username, password).await.map(SignInAnswer::from)
        }
        .await,
    )
}

/// The second step: a code from the authenticator app, or a recovery code.
#[server(endpoint = "login_code")]
pub async fn login_code(code: String) -> Result<SessionUser, AppError> {
    use crate::backend::{sign_in, state};
    use crate::error::Problems;
    state::reply(
        async {
            let mut p = Problems::default();
            p.check(!code.trim().is_empty(), "code", tr!(crate::i18n::reader(), "err-enter-six-digit-code-from"));
            p.into_result()?;
            let app = state::state()?;
            let mut session = state::auth_session().await?;
            let ip = state::client_ip().await;
            sign_in::second_factor(&app, &mut session, ip, &code).await
        }
        .await,
    )
}

/// Whether this instance lets its demo accounts sign in without a second factor (the sign-in page says so).
#[server(endpoint = "demo_without_second_factor")]
pub async fn demo_without_second_factor() -> Result<bool, AppError> {
    use crate::backend::state;
    let app = state::state()?;
    if !app.settings.require_second_factor {
        return Ok(false);
    }
    let exempt: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE second_factor_exempt = 1 AND status = 'active')")
        .fetch_one(&app.db.pool)
        .await?;
    Ok(exempt)
}

#[server(endpoint = "my_second_factor")]
pub async fn my_second_factor() -> Result<SecondFactorStatus, AppError> {
    use crate::backend::platform::{passkeys, second_factor};
    use crate::backend::state;
    state::reply(
        async {
            let (actor, app) = state::context_allowing_pending_password().await?;
            let mut conn = app.db.pool.acquire().await?;
            let totp = second_factor::is_confirmed(&mut conn, actor.id()).await?;
            let passkeys = passkeys::list(&mut conn, actor.id(), &actor.user.time_zone).await?;
            let recovery_codes_left = second_factor::recovery_codes_left(&mut conn, actor.id()).await?;
            let required = app.settings.require_second_factor && (totp || !passkeys.is_empty() || actor.user.must_enrol_second_factor);
            let passkey_origin = app.settings.passkeys.origin.clone();
            Ok(SecondFactorStatus { totp, passkeys, passkey_origin, recovery_codes_left, required })
        }
        .await,
    )
}

/// Starts setting up an authenticator app (again, if a previous attempt was not confirmed). Asks for the
/// password again: a session left open (or on a lost phone) alone must not bind a new factor.
#[server(endpoint = "begin_totp")]
pub async fn begin_totp(password: String) -> Result<TotpSetup, AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::{own_factors, state};
    state::reply(
        async {
            let (actor, app) = state::context_allowing_pending_password().await?;
            policy::ensure(&actor.user, Action::ManageOwnProfile)?;
            let session = state::auth_session().await?;
            let setup = own_factors::begin_totp(&app, &session, &actor, password).await?;
            Ok(TotpSetup { secret: setup.secret, qr_svg: setup.qr_svg })
        }
        .await,
    )
}

/// Confirms the app with its first code; answers the ten recovery codes (shown once) when it is the
/// account's first second factor.
#[server(endpoint = "confirm_totp")]
pub async fn confirm_totp(code: String) -> Result<Vec<String>, AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::{own_factors, state};
    state::reply(
        async {
            let (actor, app) = state::context_allowing_pending_password().await?;
            policy::ensure(&actor.user, Action::ManageOwnProfile)?;
            let session = state::auth_session().await?;
            own_factors::confirm_totp(&app, &session, &actor, &code).await
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
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{platform::passwords, platform::users, sign_in, state};
    use crate::error::Problems;
    state::reply(
        async {
            let (actor, app) = state::context_allowing_pending_password().await?;
            policy::ensure(&actor.user, Action::ManageOwnProfile)?;
            let mut p = Problems::default();
            p.check(!current.is_empty(), "current", tr!(crate::i18n::reader(), "err-enter-current-password"));
            p.check(
                current.len() <= crate::backend::sign_in::MAX_PASSWORD_BYTES,
                "current",
                tr!(crate::i18n::reader(), "err-current-password-not-right"),
            );
            if let Err(msg) = passwords::check_rules(&new_password, &actor.user.username) {
                p.add("new_password", msg);
            }
            p.check(new_password == confirm, "confirm", tr!(crate::i18n::reader(), "err-two-new-passwords-differ"));
            p.check(
                new_password != current || new_password.is_empty(),
                "new_password",
                tr!(crate::i18n::reader(), "err-choose-password-different-from-current"),
            );
            p.into_result()?;

            // A wrong current password counts toward the lockout: a session left open cannot guess it freely.
            sign_in::reconfirm_password(&app, &actor, current, "current", "password.change").await?;
            let hash = passwords::hash(new_password).await;
            let mut tx = app.db.begin_write().await?;
            users::set_password(&mut tx, actor.id(), &hash, users::PasswordKind::Chosen).await?;
            audit::record(&mut tx, &actor.who, Event::new("password.change").on("user", actor.id())).await?;
            let row = users::by_id(&mut tx, actor.id()).await?.ok_or(AppError::Internal)?;
            tx.commit().await?;
            // Re-binding this session to the new hash keeps it; every other session of the user ends.
            state::rebind_session(row).await?;
            Ok(())
        }
        .await,
    )
}
