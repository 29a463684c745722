//! Sessions on axum-login, and the actor of a call. axum-login reloads the user on every request, so a
//! disabled account or a changed password ends existing sessions at once. Signing in (lockout, throttle,
//! audit of every attempt) is `backend::sign_in`.

use crate::backend::platform::audit::Who;
use crate::backend::platform::db::Db;
use crate::backend::platform::users::{self, UserRow};
use crate::model::SessionUser;
use axum_login::{AuthUser, AuthnBackend, UserId};

pub const SIGNED_IN_AT: &str = "ld.signed_in_at";
/// What the session's sign-in used as its second factor ("passkey", "totp", "recovery code", "none").
pub const SIGNED_IN_WITH: &str = "ld.signed_in_with";

#[derive(Clone, Debug)]
pub struct AuthedUser {
    pub row: UserRow,
    /// What a session is bound to: the password hash and the account's `auth_epoch`.
    auth_hash: String,
}

impl AuthedUser {
    pub fn new(row: UserRow) -> Self {
        let auth_hash = format!("{}#{}", row.password_hash.0 .0, row.auth_epoch);
        AuthedUser { row, auth_hash }
    }

    /// What its sessions are bound to.
    pub fn auth_hash(&self) -> &str {
        &self.auth_hash
    }
}

impl AuthUser for AuthedUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.row.id
    }

    /// Sessions are bound to the password hash and the second-factor epoch: changing or resetting the
    /// password, or setting up or resetting the second factor, ends every other session.
    fn session_auth_hash(&self) -> &[u8] {
        self.auth_hash.as_bytes()
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
        Ok(row.filter(UserRow::may_sign_in).map(AuthedUser::new))
    }
}

pub type AuthSession = axum_login::AuthSession<AuthBackend>;

/// When this session signed in (seconds since the epoch); None for a session that never did. A session
/// store that cannot be read is an error, not a sign-out: a busy database must not end anyone's session.
pub async fn signed_in_at(session: &AuthSession) -> Result<Option<i64>, crate::error::AppError> {
    session.session.get(SIGNED_IN_AT).await.map_err(|e| {
        tracing::error!(error = %e, "the session's sign-in time could not be read");
        crate::error::AppError::Internal
    })
}

/// The signed-in user making this request, with what the audit trail records about them.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user: SessionUser,
    pub who: Who,
    /// Unread notifications when this request began.
    pub unread: i64,
}

impl Actor {
    pub fn id(&self) -> i64 {
        self.user.id
    }
}
