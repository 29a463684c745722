//! Signing in: the password check, the account lockout, the per-address throttle, a new session id, and
//! the audit of every attempt.

use crate::backend::platform::audit::{self, Event, Outcome, Who};
use crate::backend::platform::auth::{AuthSession, AuthedUser, SIGNED_IN_AT};
use crate::backend::platform::{passwords, users};
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::SessionUser;
use chrono::Utc;
use serde_json::json;
use std::net::IpAddr;

/// The one answer to a failed sign-in, whatever failed (so it tells nobody which accounts exist), with the
/// lockout as configured.
fn failed(state: &AppState) -> AppError {
    let minutes = state.settings.lockout_duration.as_secs().div_ceil(60);
    AppError::field(
        "form",
        format!(
            "Sign-in failed. Check your username and password. After {} failed attempts an account is locked for {minutes} minutes.",
            state.settings.lockout_threshold
        ),
    )
}

fn temporary_spent() -> AppError {
    AppError::field("form", "This temporary password has been used already or has expired. Ask an administrator for a new one.")
}

/// The longest username accepted at sign-in (accounts are made with shorter ones).
pub const MAX_USERNAME: usize = 64;
/// The longest password accepted at sign-in, in bytes (hashing cost grows with it).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Checks the password and, on success, starts a new session (new id: no session fixation).
pub async fn sign_in(
    state: &AppState,
    session: &mut AuthSession,
    ip: Option<String>,
    username: &str,
    password: String,
) -> Result<SessionUser, AppError> {
    let username = username.trim();
    // Refused before anything is looked up or written: a huge name would otherwise reach the audit trail.
    if username.chars().count() > MAX_USERNAME || password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::field(
            "form",
            format!("A username has at most {MAX_USERNAME} characters, a password at most {MAX_PASSWORD_BYTES} bytes."),
        ));
    }
    let mut who = Who { username: Some(username.to_string()), client_ip: ip.clone(), ..Who::default() };

    if let Some(addr) = ip.as_deref().and_then(|s| s.parse::<IpAddr>().ok()) {
        if state.signin_limiter.check_key(&addr).is_err() {
            if state.throttled_audit.check_key(&addr).is_ok() {
                audit::record_refusal(&state.db, &who, Event::new("sign_in.throttled")).await?;
            }
            return Err(AppError::TooManyRequests);
        }
    }

    let row = {
        let mut conn = state.db.pool.acquire().await?;
        users::by_username(&mut conn, username).await?
    };
    let ok = passwords::verify(password, row.as_ref().map(|r| r.password_hash.0.clone())).await;

    let mut tx = state.db.begin_write().await?;
    let Some(row) = row else {
        audit::record(&mut tx, &who, Event::new("sign_in").outcome(Outcome::Failure).details(json!({"reason": "unknown user"}))).await?;
        tx.commit().await?;
        return Err(failed(state));
    };
    who.user_id = Some(row.id);
    who.agency_code = Some(row.agency_code.clone());
    who.country = Some(row.country);
    let now = Utc::now();

    let refusal = if row.is_locked(now) {
        Some("account locked")
    } else if !row.is_active() {
        Some("account disabled")
    } else if !ok {
        Some("wrong password")
    } else if row.temporary_spent(now) {
        Some("temporary password used or expired")
    } else {
        None
    };
    if let Some(reason) = refusal {
        audit::record(&mut tx, &who, Event::new("sign_in").on("user", row.id).outcome(Outcome::Failure).details(json!({"reason": reason})))
            .await?;
        if reason == "wrong password" {
            let lock_for = chrono::Duration::from_std(state.settings.lockout_duration).unwrap_or(chrono::Duration::minutes(15));
            if users::record_failure(&mut tx, row.id, state.settings.lockout_threshold, lock_for).await? {
                let minutes = lock_for.num_minutes();
                audit::record(
                    &mut tx,
                    &who,
                    Event::new("account.locked").on("user", row.id).outcome(Outcome::Denied).details(json!({"minutes": minutes})),
                )
                .await?;
            }
        }
        tx.commit().await?;
        // Only someone who knows the password learns this: no account is revealed by it.
        if reason == "temporary password used or expired" {
            return Err(temporary_spent());
        }
        return Err(failed(state));
    }

    // A temporary password opens one session: the one that replaces it (of two racing sign-ins, one).
    if row.must_change_password && !users::mark_temporary_used(&mut tx, row.id).await? {
        let details = json!({"reason": "temporary password used or expired"});
        audit::record(&mut tx, &who, Event::new("sign_in").on("user", row.id).outcome(Outcome::Failure).details(details)).await?;
        tx.commit().await?;
        return Err(temporary_spent());
    }
    users::record_success(&mut tx, row.id).await?;
    audit::record(&mut tx, &who, Event::new("sign_in").on("user", row.id)).await?;
    tx.commit().await?;

    start_session(session, AuthedUser { row }).await
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
