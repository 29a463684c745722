//! Signing in: the password, then the second factor where the account has one (a passkey, a TOTP code or a
//! recovery code);
//! the account lockout (wrong codes count like wrong passwords), the per-address throttle, a new session
//! id, and the audit of every attempt.

use crate::backend::platform::audit::{self, Event, Outcome, Who};
use crate::backend::platform::auth::{Actor, AuthSession, AuthedUser, SIGNED_IN_AT, SIGNED_IN_WITH};
use crate::backend::platform::client_addr::limiter_key;
use crate::backend::platform::db::Tx;
use crate::backend::platform::second_factor::{self, Accepted, Refused};
use crate::backend::platform::users::UserRow;
use crate::backend::platform::{passkeys, passwords, users};
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::{PendingFactors, SessionUser, SignInStep};
use chrono::Utc;
use serde_json::json;
use std::net::IpAddr;

/// The one answer to a failed sign-in, whatever failed (so it tells nobody which accounts exist), with the
/// lockout as configured.
fn failed(state: &AppState) -> AppError {
    let minutes = state.settings.lockout_duration.as_secs().div_ceil(60);
    AppError::field(
        "form",
        tr!(crate::i18n::reader(), "err-sign-in-failed", attempts = state.settings.lockout_threshold, minutes = minutes as i64),
    )
}

fn temporary_spent() -> AppError {
    AppError::field("form", tr!(crate::i18n::reader(), "err-temporary-password-has-been-used"))
}

/// The longest username accepted at sign-in (accounts are made with shorter ones).
pub const MAX_USERNAME: usize = 64;
/// The longest password accepted at sign-in, in bytes (hashing cost grows with it).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Between the password and the second factor, the session holds only this: whose password was right,
/// and when (the code must follow within `PENDING_SECONDS`).
const PENDING: &str = "ld.second_factor_pending";
const PENDING_SECONDS: i64 = 300;
/// The passkey challenge of the pending sign-in (spent by the first answer to it).
const PASSKEY_CHALLENGE: &str = "ld.passkey_challenge";
/// Longest second-factor code accepted (a recovery code with spaces is about 16).
const MAX_CODE_CHARS: usize = 64;

#[derive(serde::Serialize, serde::Deserialize)]
struct Pending {
    user_id: i64,
    at: i64,
    /// The password (hash) it was given for: changed or reset meanwhile, the code step starts again.
    password: String,
}

/// A short fingerprint of the stored password hash (the session need not hold the hash itself).
fn fingerprint(row: &UserRow) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(row.password_hash.0 .0.as_bytes())[..16])
}

/// Refuses the attempt if its address has made too many (one audit event a minute per address for it).
async fn throttle(state: &AppState, who: &Who) -> Result<(), AppError> {
    if let Some(addr) = who.client_ip.as_deref().and_then(|s| s.parse::<IpAddr>().ok()).map(limiter_key) {
        if state.signin_limiter.check_key(&addr).is_err() {
            if state.throttled_audit.check_key(&addr).is_ok() {
                audit::record_refusal(&state.db, who, Event::new("sign_in.throttled")).await?;
            }
            return Err(AppError::TooManyRequests);
        }
    }
    Ok(())
}

fn identify(who: &mut Who, row: &UserRow) {
    who.user_id = Some(row.id);
    who.agency_code = Some(row.agency_code.clone());
    who.country = Some(row.country);
}

/// Records a failed attempt on a known account (and the lock it causes), then commits.
async fn refuse(state: &AppState, mut tx: Tx, who: &Who, row: &UserRow, reason: &'static str, counts: bool) -> Result<(), AppError> {
    metrics::counter!("sign_in_failures_total", "reason" => reason).increment(1);
    audit::record(&mut tx, who, Event::new("sign_in").on("user", row.id).outcome(Outcome::Failure).details(json!({"reason": reason})))
        .await?;
    if counts {
        let lock_for = chrono::Duration::from_std(state.settings.lockout_duration).unwrap_or(chrono::Duration::minutes(15));
        if users::record_failure(&mut tx, row.id, state.settings.lockout_threshold, lock_for).await? {
            let details = json!({"minutes": lock_for.num_minutes()});
            audit::record(&mut tx, who, Event::new("account.locked").on("user", row.id).outcome(Outcome::Denied).details(details)).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Checks the password. With a second factor set up, the answer is to ask for the code (nothing is signed
/// in yet); without, a new session starts (new id: no session fixation).
pub async fn sign_in(
    state: &AppState,
    session: &mut AuthSession,
    ip: Option<String>,
    username: &str,
    password: String,
) -> Result<SignInStep, AppError> {
    let username = username.trim();
    // Refused before anything is looked up or written: a huge name would otherwise reach the audit trail.
    if username.chars().count() > MAX_USERNAME || password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::field(
            "form",
            tr!(
                crate::i18n::reader(),
                "err-username-has-most-characters-password",
                max_username = MAX_USERNAME as i64,
                max_password_bytes = MAX_PASSWORD_BYTES as i64
            ),
        ));
    }
    let mut who = Who { username: Some(username.to_string()), client_ip: ip.clone(), ..Who::default() };
    throttle(state, &who).await?;
    let row = {
        let mut conn = state.db.pool.acquire().await?;
        users::by_username(&mut conn, username).await?
    };
    let ok = passwords::verify(password, row.as_ref().map(|r| r.password_hash.0.clone())).await;

    let mut tx = state.db.begin_write().await?;
    let Some(row) = row else {
        metrics::counter!("sign_in_failures_total", "reason" => "unknown user").increment(1);
        audit::record(&mut tx, &who, Event::new("sign_in").outcome(Outcome::Failure).details(json!({"reason": "unknown user"}))).await?;
        tx.commit().await?;
        return Err(failed(state));
    };
    identify(&mut who, &row);
    let now = Utc::now();
    let refusal = if row.is_locked(now) {
        Some("account locked")
    } else if !row.is_active() {
        Some("account disabled")
    } else if !ok {
        Some("wrong password")
    } else if !row.may_sign_in() {
        Some("service account")
    } else if row.temporary_spent(now) {
        Some("temporary password used or expired")
    } else {
        None
    };
    if let Some(reason) = refusal {
        refuse(state, tx, &who, &row, reason, reason == "wrong password").await?;
        // Only someone who knows the password learns this: no account is revealed by it.
        if reason == "temporary password used or expired" {
            return Err(temporary_spent());
        }
        return Err(failed(state));
    }
    if row.has_second_factor {
        // The failure count is not reset here: a password alone must not buy more guesses at the code.
        audit::record(&mut tx, &who, Event::new("sign_in.password").on("user", row.id)).await?;
        tx.commit().await?;
        let pending = Pending { user_id: row.id, at: now.timestamp(), password: fingerprint(&row) };
        session.session.insert(PENDING, pending).await.map_err(|e| {
            tracing::error!(error = %e, "session write failed");
            AppError::Internal
        })?;
        return Ok(SignInStep::SecondFactor);
    }
    finish(state, session, tx, &who, row, None).await.map(SignInStep::SignedIn)
}

fn expired() -> AppError {
    AppError::field("form", tr!(crate::i18n::reader(), "err-sign-has-expired-start-again"))
}

async fn pending(session: &AuthSession) -> Result<Pending, AppError> {
    let pending: Option<Pending> = session.session.get(PENDING).await.ok().flatten();
    pending.filter(|p| Utc::now().timestamp() - p.at <= PENDING_SECONDS).ok_or_else(expired)
}

/// The account of this session's pending sign-in (password right, within the last five minutes, not
/// changed since), in a write transaction; refused and recorded when it has been locked or disabled since.
async fn pending_account(state: &AppState, session: &mut AuthSession, who: &mut Who) -> Result<(Tx, UserRow), AppError> {
    let pending = pending(session).await?;
    throttle(state, who).await?;
    let mut tx = state.db.begin_write().await?;
    let row = users::by_id(&mut tx, pending.user_id).await?.filter(|r| fingerprint(r) == pending.password).ok_or_else(expired)?;
    identify(who, &row);
    who.username = Some(row.username.clone());
    if row.is_locked(Utc::now()) || !row.may_sign_in() {
        refuse(state, tx, who, &row, if row.is_active() { "account locked" } else { "account disabled" }, false).await?;
        let _ = session.session.remove::<Pending>(PENDING).await;
        return Err(failed(state));
    }
    Ok((tx, row))
}

/// Which second factors the pending sign-in may use (the code page offers those); None without one.
pub async fn pending_factors(state: &AppState, session: &AuthSession) -> Result<Option<PendingFactors>, AppError> {
    let Ok(pending) = pending(session).await else { return Ok(None) };
    let mut conn = state.db.pool.acquire().await?;
    let passkeys = passkeys::count(&mut conn, pending.user_id).await? > 0;
    let totp = second_factor::is_confirmed(&mut conn, pending.user_id).await?;
    Ok(Some(PendingFactors { passkeys, totp, passkey_origin: state.settings.passkeys.origin.clone() }))
}

/// Checks the second factor of a sign-in whose password was right (within the last five minutes, in this
/// session), and starts the session.
pub async fn second_factor(state: &AppState, session: &mut AuthSession, ip: Option<String>, code: &str) -> Result<SessionUser, AppError> {
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(AppError::field("code", tr!(crate::i18n::reader(), "err-enter-six-digit-code-from-2")));
    }
    let mut who = Who { client_ip: ip, ..Who::default() };
    let (mut tx, row) = pending_account(state, session, &mut who).await?;
    match second_factor::verify(&mut tx, &state.settings.sealing_key, row.id, &row.username, code).await? {
        Ok(accepted) => {
            let _ = session.session.remove::<Pending>(PENDING).await;
            finish(state, session, tx, &who, row, Some(accepted)).await
        }
        Err(Refused::Unreadable) => {
            refuse(state, tx, &who, &row, "second factor unreadable with this server's key", false).await?;
            Err(AppError::field("code", tr!(crate::i18n::reader(), "err-authenticator-cannot-checked-server-key")))
        }
        Err(refused) => {
            let reason = if refused == Refused::Replayed { "second factor code replayed" } else { "wrong second factor code" };
            refuse(state, tx, &who, &row, reason, true).await?;
            Err(AppError::field("code", tr!(crate::i18n::reader(), "err-code-not-right", attempts = state.settings.lockout_threshold)))
        }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct PasskeyChallenge {
    user_id: i64,
    state: webauthn_rs::prelude::PasskeyAuthentication,
}

/// The challenge for the pending sign-in's passkeys (kept in this session until answered).
pub async fn passkey_challenge(
    state: &AppState,
    session: &mut AuthSession,
    ip: Option<String>,
) -> Result<webauthn_rs::prelude::RequestChallengeResponse, AppError> {
    let pending = pending(session).await?;
    throttle(state, &Who { client_ip: ip, ..Who::default() }).await?;
    let mut conn = state.db.pool.acquire().await?;
    // The same checks as the answer gets: the password unchanged since, the account neither locked nor disabled.
    let row = users::by_id(&mut conn, pending.user_id).await?.filter(|r| fingerprint(r) == pending.password).ok_or_else(expired)?;
    if row.is_locked(Utc::now()) || !row.may_sign_in() {
        return Err(failed(state));
    }
    let Some((options, challenge)) = passkeys::begin_authentication(&mut conn, &state.settings.passkeys, pending.user_id).await? else {
        return Err(AppError::field("form", tr!(crate::i18n::reader(), "err-account-has-no-passkey-enter")));
    };
    let kept = PasskeyChallenge { user_id: pending.user_id, state: challenge };
    session.session.insert(PASSKEY_CHALLENGE, kept).await.map_err(|e| {
        tracing::error!(error = %e, "session write failed");
        AppError::Internal
    })?;
    Ok(options)
}

/// Checks the browser's passkey answer to the kept challenge (spent now, whatever the outcome) and starts
/// the session; a wrong answer counts toward the lockout like a wrong code.
pub async fn passkey(
    state: &AppState,
    session: &mut AuthSession,
    ip: Option<String>,
    credential: &webauthn_rs::prelude::PublicKeyCredential,
) -> Result<SessionUser, AppError> {
    let challenge: Option<PasskeyChallenge> = session.session.remove(PASSKEY_CHALLENGE).await.ok().flatten();
    let mut who = Who { client_ip: ip, ..Who::default() };
    let (mut tx, row) = pending_account(state, session, &mut who).await?;
    let Some(challenge) = challenge.filter(|c| c.user_id == row.id) else {
        return Err(AppError::field("form", tr!(crate::i18n::reader(), "err-passkey-answer-out-date-choose")));
    };
    match passkeys::finish_authentication(&mut tx, &state.settings.passkeys, row.id, credential, &challenge.state).await? {
        Ok(()) => {
            let _ = session.session.remove::<Pending>(PENDING).await;
            finish(state, session, tx, &who, row, Some(Accepted::Passkey)).await
        }
        Err(_) => {
            refuse(state, tx, &who, &row, "passkey not verified", true).await?;
            Err(AppError::field(
                "form",
                tr!(crate::i18n::reader(), "err-passkey-not-registered", attempts = state.settings.lockout_threshold),
            ))
        }
    }
}

/// Checks a signed-in user's password again, before a change to their own credentials. A wrong one counts
/// toward the lockout as at sign-in, and a locked account is refused: a stolen session cannot guess it freely.
/// `field` names the form's password field for the message.
pub async fn reconfirm_password(
    state: &AppState,
    actor: &Actor,
    password: String,
    field: &'static str,
    action: &'static str,
) -> Result<UserRow, AppError> {
    let wrong = || AppError::field(field, tr!(crate::i18n::reader(), "err-password-not-right"));
    if password.is_empty() || password.len() > MAX_PASSWORD_BYTES {
        return Err(wrong());
    }
    let row = {
        let mut conn = state.db.pool.acquire().await?;
        users::by_id(&mut conn, actor.id()).await?.ok_or(AppError::Unauthorized)?
    };
    if row.is_locked(Utc::now()) {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-account-locked-after-too-many")));
    }
    if passwords::verify(password, Some(row.password_hash.0.clone())).await {
        return Ok(row);
    }
    let mut tx = state.db.begin_write().await?;
    audit::record(&mut tx, &actor.who, Event::new(action).on("user", actor.id()).outcome(Outcome::Failure)).await?;
    let lock_for = chrono::Duration::from_std(state.settings.lockout_duration).unwrap_or(chrono::Duration::minutes(15));
    if users::record_failure(&mut tx, row.id, state.settings.lockout_threshold, lock_for).await? {
        let details = json!({"minutes": lock_for.num_minutes()});
        audit::record(&mut tx, &actor.who, Event::new("account.locked").on("user", row.id).outcome(Outcome::Denied).details(details))
            .await?;
    }
    tx.commit().await?;
    Err(wrong())
}

/// The sign-in succeeded: the temporary password (if it was one) is spent, failures are forgotten, the
/// event is recorded, and a new session starts.
async fn finish(
    state: &AppState,
    session: &mut AuthSession,
    mut tx: Tx,
    who: &Who,
    row: UserRow,
    factor: Option<Accepted>,
) -> Result<SessionUser, AppError> {
    // A temporary password opens one session: the one that replaces it (of two racing sign-ins, one).
    if row.must_change_password && !users::mark_temporary_used(&mut tx, row.id).await? {
        let details = json!({"reason": "temporary password used or expired"});
        audit::record(&mut tx, who, Event::new("sign_in").on("user", row.id).outcome(Outcome::Failure).details(details)).await?;
        tx.commit().await?;
        return Err(temporary_spent());
    }
    users::record_success(&mut tx, row.id).await?;
    let factor = match factor {
        Some(Accepted::Totp) => "totp",
        Some(Accepted::RecoveryCode) => "recovery code",
        Some(Accepted::Passkey) => "passkey",
        None if row.second_factor_exempt => "none (demo account)",
        None => "none",
    };
    audit::record(&mut tx, who, Event::new("sign_in").on("user", row.id).details(json!({"second_factor": factor}))).await?;
    tx.commit().await?;
    let mut user = start_session(session, AuthedUser::new(row.clone())).await?;
    session.session.insert(SIGNED_IN_WITH, factor).await.map_err(|e| {
        tracing::error!(error = %e, "session write failed");
        AppError::Internal
    })?;
    user.must_enrol_second_factor = row.must_enrol(state.settings.require_second_factor);
    // The account's language follows the officer to this browser (else this browser's choice stands).
    if let Some(locale) = row.locale {
        crate::i18n::remember(locale, state.settings.secure_cookies);
    }
    Ok(user)
}

/// A new session for the signed-in user: a new id (no session fixation), the user, the time of sign-in.
async fn start_session(session: &mut AuthSession, user: AuthedUser) -> Result<SessionUser, AppError> {
    // axum-login cycles the id only for a session without auth data; always cycle at sign-in.
    session.session.cycle_id().await.map_err(|e| {
        tracing::error!(error = %e, "session cycle failed");
        AppError::Internal
    })?;
    session.login(&user).await.map_err(|e| {
        tracing::error!(error = %e, "session login failed");
        AppError::Internal
    })?;
    session.session.insert(SIGNED_IN_AT, Utc::now().timestamp()).await.map_err(|e| {
        tracing::error!(error = %e, "session write failed");
        AppError::Internal
    })?;
    Ok(user.row.session_user())
}
