//! A user managing their own second factors: adding a passkey, removing one, setting up an authenticator
//! app. Each asks for the password again (wrong ones count toward the lockout), and once the account has
//! a factor, also a sign-in (with it) within the last ten minutes (`second_factor::ensure_recent_sign_in`),
//! checked when the change starts and again when it is made: a session left open, or a stolen cookie, must
//! not bind the thief's own factor. The ten recovery codes come with the account's first factor only.

use crate::backend::platform::audit::{self, Event, Outcome};
use crate::backend::platform::auth::{Actor, AuthSession, SIGNED_IN_WITH};
use crate::backend::platform::users::UserRow;
use crate::backend::platform::{passkeys, second_factor, users};
use crate::backend::sign_in::reconfirm_password;
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

fn session_failed(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "session write failed");
    AppError::Internal
}

/// Refuses a change to the factors of an account that has one unless this session signed in recently.
/// Checked before the password, so a stale stolen session learns nothing about it either.
async fn ensure_recent(app: &AppState, session: &AuthSession, actor: &Actor) -> Result<(), AppError> {
    let has_factor = {
        let mut conn = app.db.pool.acquire().await?;
        second_factor::has_any(&mut conn, actor.id()).await?
    };
    let signed_in_at = crate::backend::platform::auth::signed_in_at(session).await?;
    second_factor::ensure_recent_sign_in(has_factor, signed_in_at, Utc::now().timestamp())
}

/// The recent-sign-in rule, then the password again (also before an API token is made: a token outlives
/// the session, so a session left open must not mint one).
pub async fn reconfirm(
    app: &AppState,
    session: &AuthSession,
    actor: &Actor,
    password: String,
    action: &'static str,
) -> Result<UserRow, AppError> {
    ensure_recent(app, session, actor).await?;
    reconfirm_password(app, actor, password, "password", action).await
}

/// Every other session of the account ends after a change to its factors; this one is bound anew.
async fn end_other_sessions(mut tx: crate::backend::platform::db::Tx, user_id: i64) -> Result<(), AppError> {
    users::end_sessions(&mut tx, user_id).await?;
    let row = users::by_id(&mut tx, user_id).await?.ok_or(AppError::Internal)?;
    tx.commit().await?;
    crate::backend::state::rebind_session(row).await
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

/// Confirms the app being set up with its first code; answers the recovery codes when it is the account's
/// first factor (empty otherwise: the codes it has stay valid).
pub async fn confirm_totp(app: &AppState, session: &AuthSession, actor: &Actor, code: &str) -> Result<Vec<String>, AppError> {
    if code.chars().count() > 16 || code.trim().is_empty() {
        return Err(AppError::field("code", tr!(crate::i18n::reader(), "err-enter-six-digit-code-app")));
    }
    ensure_recent(app, session, actor).await?;
    let mut tx = app.db.begin_write().await?;
    let first = !second_factor::has_any(&mut tx, actor.id()).await?;
    let key = &app.settings.sealing_key;
    if let Err(refused) = second_factor::confirm(&mut tx, key, actor.id(), &actor.user.username, code.trim()).await? {
        audit::record(&mut tx, &actor.who, Event::new("second_factor.enrol").on("user", actor.id()).outcome(Outcome::Failure)).await?;
        tx.commit().await?;
        return Err(match refused {
            second_factor::Refused::Expired => AppError::field("code", tr!(crate::i18n::reader(), "err-setting-up-app-took-too")),
            _ => AppError::field("code", tr!(crate::i18n::reader(), "err-code-not-app-shows-now")),
        });
    }
    let codes = if first { second_factor::issue_recovery_codes(&mut tx, key, actor.id()).await? } else { Vec::new() };
    audit::record(&mut tx, &actor.who, Event::new("second_factor.enrol").on("user", actor.id())).await?;
    end_other_sessions(tx, actor.id()).await?;
    Ok(codes)
}

/// The browser's instructions for making a passkey for this account; the state waits in the session.
pub async fn begin_passkey(
    app: &AppState,
    session: &AuthSession,
    actor: &Actor,
    name: &str,
    password: String,
) -> Result<PasskeyCreation, AppError> {
    if name.chars().count() > passkeys::MAX_NAME_CHARS {
        return Err(AppError::field(
            "name",
            tr!(crate::i18n::reader(), "err-passkey-name-too-long", max = passkeys::MAX_NAME_CHARS as i64),
        ));
    }
    let name = passkeys::clean_name(name);
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
    let unreadable = || AppError::field("form", tr!(crate::i18n::reader(), "err-browser-s-answer-could-not"));
    if credential.len() > MAX_CREDENTIAL_BYTES {
        return Err(unreadable());
    }
    let credential: webauthn_rs::prelude::RegisterPublicKeyCredential = serde_json::from_str(credential).map_err(|_| unreadable())?;
    // Spent by this answer, whatever it is.
    let kept: Option<Registration> = session.session.remove(PASSKEY_REGISTRATION).await.ok().flatten();
    let Some(kept) = kept.filter(|k| k.user_id == actor.id() && Utc::now().timestamp() - k.at <= REGISTRATION_SECONDS) else {
        return Err(AppError::field("form", tr!(crate::i18n::reader(), "err-adding-passkey-took-too-long")));
    };
    ensure_recent(app, session, actor).await?;
    let mut tx = app.db.begin_write().await?;
    let first = !second_factor::has_any(&mut tx, actor.id()).await?;
    let event = |outcome| Event::new("passkey.add").on("user", actor.id()).outcome(outcome).details(json!({"name": kept.name}));
    if let Err(refused) =
        passkeys::finish_registration(&mut tx, &app.settings.passkeys, actor.id(), &kept.name, &credential, &kept.state).await?
    {
        audit::record(&mut tx, &actor.who, event(Outcome::Failure)).await?;
        tx.commit().await?;
        return Err(match refused {
            passkeys::Refused::AlreadyRegistered => {
                AppError::Conflict(tr!(crate::i18n::reader(), "err-authenticator-s-passkey-registered-already"))
            }
            _ => AppError::field("form", tr!(crate::i18n::reader(), "err-browser-s-answer-did-not")),
        });
    }
    let codes = if first { second_factor::issue_recovery_codes(&mut tx, &app.settings.sealing_key, actor.id()).await? } else { Vec::new() };
    audit::record(&mut tx, &actor.who, event(Outcome::Success)).await?;
    end_other_sessions(tx, actor.id()).await?;
    Ok(codes)
}

/// Removes one of the user's passkeys (a lost laptop or key: every other session ends too). Not after
/// signing in with a recovery code (someone holding a stolen code must not remove the owner's factors),
/// and not the only second factor where one is required: that takes an administrator's reset, confirmed by
/// a second person.
pub async fn remove_passkey(
    app: &AppState,
    session: &AuthSession,
    actor: &Actor,
    passkey_id: i64,
    password: String,
) -> Result<(), AppError> {
    let signed_in_with: Option<String> = session.session.get(SIGNED_IN_WITH).await.ok().flatten();
    if signed_in_with.as_deref() == Some("recovery code") {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-you-signed-recovery-code-you")));
    }
    let row = reconfirm(app, session, actor, password, "passkey.remove").await?;
    let mut tx = app.db.begin_write().await?;
    let name = passkeys::remove(&mut tx, actor.id(), passkey_id).await?.ok_or(AppError::NotFound)?;
    if !second_factor::has_any(&mut tx, actor.id()).await? && app.settings.require_second_factor && !row.second_factor_exempt {
        // Dropping the transaction keeps the passkey.
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-only-second-factor-add-another")));
    }
    audit::record(&mut tx, &actor.who, Event::new("passkey.remove").on("user", actor.id()).details(json!({"name": name}))).await?;
    end_other_sessions(tx, actor.id()).await
}
