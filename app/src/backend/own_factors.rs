//! A user managing their own second factors: adding a passkey, removing one, starting an authenticator
//! app. Each asks for the password again, and once the account has a factor, also a sign-in (with it)
//! within the last ten minutes (`second_factor::ensure_recent_sign_in`): a session left open, or a stolen
//! cookie, must not bind the thief's own factor.

use crate::backend::platform::audit::{self, Event, Outcome};
use crate::backend::platform::auth::{Actor, AuthSession, SIGNED_IN_AT};
use crate::backend::platform::users::UserRow;
use crate::backend::platform::{passkeys, passwords, second_factor, users};
use crate::backend::sign_in::MAX_PASSWORD_BYTES;
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::PasskeyCreation;
use chrono::Utc;
use serde_json::json;

/// The registration state between the browser's two trips (kept in the server-side session only).
const PASSKEY_REGISTRATION: &str = "ld.passkey_registration";
/// How long the browser has to answer (the authenticator's own timeout is shorter).
const REGISTRATION_SECONDS: i64 = 600;
/// The largest browser answer read (a real one is 1–2 KB).
pub const MAX_CREDENTIAL_BYTES: usize = 64 * 1024;

#[derive(serde::Serialize, serde::Deserialize)]
struct Registration {
    user_id: i64,
    at: i64,
    name: String,
    state: webauthn_rs::prelude::PasskeyRegistration,
}

/// Checks the user's password again (recorded as a failure of `action` when wrong), and that this session
/// signed in recently enough to change factors; answers the account.
async fn reconfirm(
    app: &AppState,
    session: &AuthSession,
    actor: &Actor,
    password: String,
    action: &'static str,
) -> Result<UserRow, AppError> {
    if password.is_empty() || password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::field("password", "Enter your password."));
    }
    let (row, has_factor) = {
        let mut conn = app.db.pool.acquire().await?;
        let row = users::by_id(&mut conn, actor.id()).await?.ok_or(AppError::Unauthorized)?;
        (row, second_factor::has_any(&mut conn, actor.id()).await?)
    };
    if !passwords::verify(password, Some(row.password_hash.0.clone())).await {
        audit::record_alone(&app.db, &actor.who, Event::new(action).on("user", actor.id()).outcome(Outcome::Failure)).await?;
        return Err(AppError::field("password", "The password is not right."));
    }
    let signed_in_at: Option<i64> = session.session.get(SIGNED_IN_AT).await.ok().flatten();
    second_factor::ensure_recent_sign_in(has_factor, signed_in_at, Utc::now().timestamp())?;
    Ok(row)
}

fn session_failed(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "session write failed");
    AppError::Internal
}

/// Starts setting up an authenticator app (see `second_factor::begin`).
pub async fn begin_totp(
    app: &AppState,
    session: &AuthSession,
    actor: &Actor,
    password: String,
) -> Result<second_factor::Enrolment, AppError> {
    reconfirm(app, session, actor, password, "second_factor.begin").await?;
    let mut tx = app.db.begin_write().await?;
    let setup = second_factor::begin(&mut tx, &app.settings.sealing_key, actor.id(), &actor.user.username).await?;
    audit::record(&mut tx, &actor.who, Event::new("second_factor.begin").on("user", actor.id())).await?;
    tx.commit().await?;
    Ok(setup)
}

/// The longest passkey name, checked with the password before the browser is asked.
fn passkey_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.chars().count() > passkeys::MAX_NAME_CHARS {
        return Err(AppError::field("name", format!("A passkey's name has at most {} characters.", passkeys::MAX_NAME_CHARS)));
    }
    Ok(if name.is_empty() { "Passkey".to_string() } else { name.to_string() })
}

/// The browser's instructions for making a passkey for this account; the state waits in the session.
pub async fn begin_passkey(
    app: &AppState,
    session: &AuthSession,
    actor: &Actor,
    name: &str,
    password: String,
) -> Result<PasskeyCreation, AppError> {
    let name = passkey_name(name)?;
    reconfirm(app, session, actor, password, "passkey.begin").await?;
    let mut conn = app.db.pool.acquire().await?;
    let (options, state) =
        passkeys::begin_registration(&mut conn, &app.settings.passkeys, actor.id(), &actor.user.username, &actor.user.display_name).await?;
    let kept = Registration { user_id: actor.id(), at: Utc::now().timestamp(), name, state };
    session.session.insert(PASSKEY_REGISTRATION, kept).await.map_err(session_failed)?;
    Ok(PasskeyCreation { options, origin: app.settings.passkeys.origin.clone() })
}

/// Stores the passkey the browser made (its answer, as JSON). The account's first second factor also gets
/// its ten recovery codes (answered, shown once); every other session of the account ends.
pub async fn finish_passkey(app: &AppState, session: &AuthSession, actor: &Actor, credential: &str) -> Result<Vec<String>, AppError> {
    let unreadable = || AppError::field("form", "The browser's answer could not be read. Try again.");
    if credential.len() > MAX_CREDENTIAL_BYTES {
        return Err(unreadable());
    }
    let credential: webauthn_rs::prelude::RegisterPublicKeyCredential = serde_json::from_str(credential).map_err(|_| unreadable())?;
    // Spent by this answer, whatever it is.
    let kept: Option<Registration> = session.session.remove(PASSKEY_REGISTRATION).await.ok().flatten();
    let Some(kept) = kept.filter(|k| k.user_id == actor.id() && Utc::now().timestamp() - k.at <= REGISTRATION_SECONDS) else {
        return Err(AppError::field("form", "Adding the passkey took too long, or was started elsewhere. Start again."));
    };
    let mut tx = app.db.begin_write().await?;
    let first = !second_factor::has_any(&mut tx, actor.id()).await?;
    let event = |outcome| Event::new("passkey.add").on("user", actor.id()).outcome(outcome).details(json!({"name": kept.name}));
    match passkeys::finish_registration(&mut tx, &app.settings.passkeys, actor.id(), &kept.name, &credential, &kept.state).await? {
        Ok(()) => {}
        Err(refused) => {
            audit::record(&mut tx, &actor.who, event(Outcome::Failure)).await?;
            tx.commit().await?;
            return Err(match refused {
                passkeys::Refused::AlreadyRegistered => {
                    AppError::Conflict("This authenticator's passkey is registered already. Use another authenticator.".into())
                }
                passkeys::Refused::NotVerified => AppError::field("form", "The browser's answer did not verify. Try again."),
            });
        }
    }
    let codes = if first { second_factor::issue_recovery_codes(&mut tx, &app.settings.sealing_key, actor.id()).await? } else { Vec::new() };
    audit::record(&mut tx, &actor.who, event(Outcome::Success)).await?;
    users::end_sessions(&mut tx, actor.id()).await?;
    let row = users::by_id(&mut tx, actor.id()).await?.ok_or(AppError::Internal)?;
    tx.commit().await?;
    crate::backend::state::rebind_session(row).await?;
    Ok(codes)
}

/// Removes one of the user's passkeys. Not their only second factor where one is required: that takes an
/// administrator's reset, confirmed by a second person.
pub async fn remove_passkey(
    app: &AppState,
    session: &AuthSession,
    actor: &Actor,
    passkey_id: i64,
    password: String,
) -> Result<(), AppError> {
    let row = reconfirm(app, session, actor, password, "passkey.remove").await?;
    let mut tx = app.db.begin_write().await?;
    let others = passkeys::count(&mut tx, actor.id()).await? - 1 + i64::from(second_factor::is_confirmed(&mut tx, actor.id()).await?);
    if others < 1 && app.settings.require_second_factor && !row.second_factor_exempt {
        return Err(AppError::Conflict(
            "This is your only second factor. Add another (a passkey or an authenticator app) before removing it.".into(),
        ));
    }
    let name = passkeys::remove(&mut tx, actor.id(), passkey_id).await?.ok_or(AppError::NotFound)?;
    audit::record(&mut tx, &actor.who, Event::new("passkey.remove").on("user", actor.id()).details(json!({"name": name}))).await?;
    tx.commit().await?;
    Ok(())
}
