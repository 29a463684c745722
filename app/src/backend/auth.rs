//! Sign-in and sessions on axum-login: the account lockout, the per-address throttle, the audit of every
//! attempt. axum-login reloads the user on every request, so a disabled account or a changed password
//! ends existing sessions at once.

use super::audit::{self, Event, Outcome, Who};
use super::db::Db;
use super::passwords;
use super::state::AppState;
use super::users::{self, UserRow};
use crate::error::AppError;
use crate::model::SessionUser;
use axum_login::{AuthUser, AuthnBackend, UserId};
use chrono::Utc;
use serde_json::json;
use std::net::IpAddr;

pub const SIGNED_IN_AT: &str = "ld.signed_in_at";

#[derive(Clone, Debug)]
pub struct AuthedUser {
    pub row: UserRow,
}

impl AuthUser for AuthedUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.row.id
    }

    /// Sessions are bound to the password hash: changing or resetting it invalidates every other session.
    fn session_auth_hash(&self) -> &[u8] {
        self.row.password_hash.0 .0.as_bytes()
    }
}

#[derive(Clone)]
pub struct AuthBackend {
    pub db: Db,
}

impl AuthnBackend for AuthBackend {
    type User = AuthedUser;
    /// Sign-in goes through `sign_in` below (lockout and audit need more than a yes/no).
    type Credentials = ();
    type Error = sqlx::Error;

    async fn authenticate(&self, _: ()) -> Result<Option<AuthedUser>, sqlx::Error> {
        Ok(None)
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<AuthedUser>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let row = users::by_id(&mut conn, *id).await.map_err(|_| sqlx::Error::RowNotFound)?;
        Ok(row.filter(UserRow::is_active).map(|row| AuthedUser { row }))
    }
}

pub type AuthSession = axum_login::AuthSession<AuthBackend>;

pub const SIGN_IN_FAILED: &str =
    "Sign-in failed. Check your username and password. After 5 failed attempts an account is locked for 15 minutes.";

/// Checks the password and, on success, starts a new session (new id: no session fixation).
pub async fn sign_in(
    state: &AppState,
    session: &mut AuthSession,
    ip: Option<String>,
    username: &str,
    password: String,
) -> Result<SessionUser, AppError> {
    let username = username.trim();
    let mut who = Who { username: Some(username.to_string()), client_ip: ip.clone(), ..Who::default() };

    if let Some(addr) = ip.as_deref().and_then(|s| s.parse::<IpAddr>().ok()) {
        if state.signin_limiter.check_key(&addr).is_err() {
            audit::record_refusal(&state.db, &who, Event::new("sign_in.throttled")).await?;
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
        return Err(AppError::field("form", SIGN_IN_FAILED));
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
    } else {
        None
    };
    if let Some(reason) = refusal {
        audit::record(&mut tx, &who, Event::new("sign_in").on("user", row.id).outcome(Outcome::Failure).details(json!({"reason": reason}))).await?;
        if reason == "wrong password" {
            let lock_for = chrono::Duration::from_std(state.settings.lockout_duration).unwrap_or(chrono::Duration::minutes(15));
            if users::record_failure(&mut tx, row.id, state.settings.lockout_threshold, lock_for).await? {
                let minutes = lock_for.num_minutes();
                audit::record(&mut tx, &who, Event::new("account.locked").on("user", row.id).outcome(Outcome::Denied).details(json!({"minutes": minutes}))).await?;
            }
        }
        tx.commit().await?;
        return Err(AppError::field("form", SIGN_IN_FAILED));
    }

    users::record_success(&mut tx, row.id).await?;
    audit::record(&mut tx, &who, Event::new("sign_in").on("user", row.id)).await?;
    tx.commit().await?;

    let user = AuthedUser { row };
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
