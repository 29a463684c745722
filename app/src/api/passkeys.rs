//! Passkeys: adding and removing one's own (profile), and signing in with one (the second step of signing
//! in). The browser's answers travel as JSON text and are read into their types at the edge.

use crate::error::AppError;
use crate::model::{PasskeyCreation, PasskeyRequest, PendingFactors, SessionUser};
use leptos::prelude::*;

/// Starts adding a passkey: checks the password (and a recent sign-in once the account has a factor) and
/// answers the browser's instructions.
#[server(endpoint = "begin_passkey")]
pub async fn begin_passkey(name: String, password: String) -> Result<PasskeyCreation, AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::{own_factors, state};
    state::reply(
        async {
            let (actor, app) = state::context_allowing_pending_password().await?;
            policy::ensure(&actor.user, Action::ManageOwnProfile)?;
            let session = state::auth_session().await?;
            own_factors::begin_passkey(&app, &session, &actor, &name, password).await
        }
        .await,
    )
}

/// Stores the passkey the browser made; answers the recovery codes when it is the account's first factor.
#[server(endpoint = "finish_passkey")]
pub async fn finish_passkey(credential: String) -> Result<Vec<String>, AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::{own_factors, state};
    state::reply(
        async {
            let (actor, app) = state::context_allowing_pending_password().await?;
            policy::ensure(&actor.user, Action::ManageOwnProfile)?;
            let session = state::auth_session().await?;
            own_factors::finish_passkey(&app, &session, &actor, &credential).await
        }
        .await,
    )
}

#[server(endpoint = "remove_passkey")]
pub async fn remove_passkey(id: i64, password: String) -> Result<(), AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::{own_factors, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ManageOwnProfile)?;
            let session = state::auth_session().await?;
            own_factors::remove_passkey(&app, &session, &actor, id, password).await
        }
        .await,
    )
}

/// Which second factors the sign-in waiting in this session may use; None when none is waiting.
#[server(endpoint = "pending_second_factors")]
pub async fn pending_second_factors() -> Result<Option<PendingFactors>, AppError> {
    use crate::backend::{sign_in, state};
    let app = state::state()?;
    let session = state::auth_session().await?;
    state::reply(sign_in::pending_factors(&app, &session).await)
}

/// The challenge for signing in with a passkey (after the password).
#[server(endpoint = "begin_passkey_sign_in")]
pub async fn begin_passkey_sign_in() -> Result<PasskeyRequest, AppError> {
    use crate::backend::{sign_in, state};
    state::reply(
        async {
            let app = state::state()?;
            let mut session = state::auth_session().await?;
            let ip = state::client_ip().await;
            let options = sign_in::passkey_challenge(&app, &mut session, ip).await?;
            Ok(PasskeyRequest { options, origin: app.settings.passkeys.origin.clone() })
        }
        .await,
    )
}

/// The browser's passkey answer (JSON); signs in when it verifies.
#[server(endpoint = "finish_passkey_sign_in")]
pub async fn finish_passkey_sign_in(credential: String) -> Result<SessionUser, AppError> {
    use crate::backend::{own_factors::MAX_CREDENTIAL_BYTES, sign_in, state};
    state::reply(
        async {
            let unreadable = || AppError::field("form", tr!(crate::i18n::reader(), "err-browser-s-answer-could-not"));
            if credential.len() > MAX_CREDENTIAL_BYTES {
                return Err(unreadable());
            }
            let credential: webauthn_rs::prelude::PublicKeyCredential = serde_json::from_str(&credential).map_err(|_| unreadable())?;
            let app = state::state()?;
            let mut session = state::auth_session().await?;
            let ip = state::client_ip().await;
            sign_in::passkey(&app, &mut session, ip, &credential).await
        }
        .await,
    )
}
