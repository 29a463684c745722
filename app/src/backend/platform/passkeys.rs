//! Passkeys (WebAuthn, through `webauthn-rs`) as the phishing-resistant second factor: the browser proves
//! it holds a key bound to this server's address, with the user's fingerprint, face or PIN (user
//! verification required). Stored: the public key and its counter (public material; a database copy alone
//! signs nobody in). The challenge state of an unfinished ceremony lives in the server-side session only.

use crate::backend::platform::db::Tx;
use crate::backend::platform::time::shown;
use crate::error::AppError;
use crate::model::PasskeyInfo;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use webauthn_rs::prelude::{
    CreationChallengeResponse, Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, Url, Uuid, Webauthn, WebauthnBuilder,
};

/// What authenticators show the account as.
const RP_NAME: &str = "Liaison Desk";
/// The longest name a user gives a passkey.
pub const MAX_NAME_CHARS: usize = 60;

/// A passkey's name as kept: without control or bidirectional-formatting characters (which could make an
/// audit line or the profile read other than it is), trimmed; "Passkey" when nothing is left.
pub fn clean_name(name: &str) -> String {
    match crate::i18n::plain_line(name) {
        t if t.is_empty() => "Passkey".to_string(),
        t => t,
    }
}
/// The most passkeys one account keeps (each sign-in offers them all to the browser).
pub const MAX_PER_ACCOUNT: i64 = 10;
/// Namespace of the stable, non-identifying user handle authenticators keep (derived from the account id).
const USER_HANDLE_NAMESPACE: Uuid = Uuid::from_u128(0x6c64_7061_7373_6b65_7973_2d75_7365_7231);

/// This server as a WebAuthn relying party: passkeys work only at this address (its origin) and are
/// bound to its host name.
pub struct RelyingParty {
    webauthn: Webauthn,
    /// `https://desk.example.gc.ca` — where users must open Liaison Desk for passkeys to work.
    pub origin: String,
}

impl std::fmt::Debug for RelyingParty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelyingParty").field("origin", &self.origin).finish()
    }
}

impl RelyingParty {
    /// From the address users reach the server at (`LD_PUBLIC_URL`). Browsers allow passkeys only for a
    /// host name (not an IP address), over HTTPS or on `localhost`.
    pub fn new(public_url: &str) -> Result<Self, String> {
        let url = Url::parse(public_url).map_err(|e| format!("LD_PUBLIC_URL {public_url:?} is not an address: {e}"))?;
        let host = url.domain().ok_or_else(|| {
            format!(
                "LD_PUBLIC_URL {public_url:?} must name the server by its host name (browsers refuse passkeys for an IP address); \
                 on this machine use http://localhost:PORT"
            )
        })?;
        let local = host == "localhost" || host.ends_with(".localhost");
        if !(url.scheme() == "https" || (url.scheme() == "http" && local)) {
            return Err(format!(
                "LD_PUBLIC_URL {public_url:?} must be https:// (browsers allow passkeys over plain HTTP only on localhost)"
            ));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(format!("LD_PUBLIC_URL {public_url:?} must be the site's address alone, without a path"));
        }
        let webauthn = WebauthnBuilder::new(host, &url)
            .and_then(|b| b.rp_name(RP_NAME).build())
            .map_err(|e| format!("LD_PUBLIC_URL {public_url:?}: {e}"))?;
        Ok(RelyingParty { webauthn, origin: url.origin().ascii_serialization() })
    }
}

/// Why a passkey was not accepted (the browser's answer did not verify).
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not signed by a passkey of this account for this challenge (or the challenge is spent).
    NotVerified,
    /// The authenticator's credential is registered already (to this or another account).
    AlreadyRegistered,
    /// The signature counter did not go up from the stored one: a cloned authenticator, or a replay.
    CounterNotAdvanced,
}

fn user_handle(user_id: i64) -> Uuid {
    Uuid::new_v5(&USER_HANDLE_NAMESPACE, &user_id.to_be_bytes())
}

async fn stored(conn: &mut SqliteConnection, user_id: i64) -> Result<Vec<(i64, Passkey)>, AppError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, passkey FROM passkeys WHERE user_id = ? ORDER BY id").bind(user_id).fetch_all(conn).await?;
    rows.into_iter()
        .map(|(id, json)| {
            serde_json::from_str(&json).map(|p| (id, p)).map_err(|e| {
                tracing::error!(error = %e, id, "a stored passkey does not read");
                AppError::Internal
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct Listed {
    id: i64,
    name: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
}

/// The account's passkeys, as its profile lists them (times in the user's `zone`).
pub async fn list(conn: &mut SqliteConnection, user_id: i64, zone: &str) -> Result<Vec<PasskeyInfo>, AppError> {
    let rows: Vec<Listed> = sqlx::query_as("SELECT id, name, created_at, last_used_at FROM passkeys WHERE user_id = ? ORDER BY id")
        .bind(user_id)
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| PasskeyInfo {
            id: r.id,
            name: r.name,
            created_at: shown(r.created_at, zone),
            last_used_at: r.last_used_at.map(|t| shown(t, zone)),
        })
        .collect())
}

pub async fn count(conn: &mut SqliteConnection, user_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM passkeys WHERE user_id = ?").bind(user_id).fetch_one(conn).await?)
}

/// The options the browser needs to make a new passkey (its existing ones excluded, so one authenticator
/// is not registered twice), and the state to keep in the session until it answers.
pub async fn begin_registration(
    conn: &mut SqliteConnection,
    rp: &RelyingParty,
    user_id: i64,
    username: &str,
    display_name: &str,
) -> Result<(CreationChallengeResponse, PasskeyRegistration), AppError> {
    if count(conn, user_id).await? >= MAX_PER_ACCOUNT {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-too-many-passkeys", max = MAX_PER_ACCOUNT)));
    }
    let existing = stored(conn, user_id).await?.into_iter().map(|(_, p)| p.cred_id().clone()).collect::<Vec<_>>();
    rp.webauthn.start_passkey_registration(user_handle(user_id), username, display_name, Some(existing)).map_err(|e| {
        tracing::error!(error = %e, "passkey registration could not start");
        AppError::Internal
    })
}

/// Checks the browser's new credential against the kept state and stores it under `name`.
pub async fn finish_registration(
    tx: &mut Tx,
    rp: &RelyingParty,
    user_id: i64,
    name: &str,
    credential: &RegisterPublicKeyCredential,
    state: &PasskeyRegistration,
) -> Result<Result<(), Refused>, AppError> {
    let passkey = match rp.webauthn.finish_passkey_registration(credential, state) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, user_id, "a passkey registration did not verify");
            return Ok(Err(Refused::NotVerified));
        }
    };
    let json = serde_json::to_string(&passkey).map_err(|_| AppError::Internal)?;
    // The credential id is unique across accounts (WebAuthn §7.1 step 22): the constraint decides.
    let done = sqlx::query(
        "INSERT INTO passkeys (user_id, credential_id, name, passkey, created_at) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT(credential_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(hex::encode(passkey.cred_id()))
    .bind(name)
    .bind(json)
    .bind(Utc::now())
    .execute(&mut **tx)
    .await?;
    Ok(if done.rows_affected() == 1 { Ok(()) } else { Err(Refused::AlreadyRegistered) })
}

/// The challenge for signing in with one of the account's passkeys, or None when it has none.
pub async fn begin_authentication(
    conn: &mut SqliteConnection,
    rp: &RelyingParty,
    user_id: i64,
) -> Result<Option<(RequestChallengeResponse, PasskeyAuthentication)>, AppError> {
    let keys: Vec<Passkey> = stored(conn, user_id).await?.into_iter().map(|(_, p)| p).collect();
    if keys.is_empty() {
        return Ok(None);
    }
    rp.webauthn.start_passkey_authentication(&keys).map(Some).map_err(|e| {
        tracing::error!(error = %e, "passkey sign-in could not start");
        AppError::Internal
    })
}

/// Checks the browser's signature against the kept challenge (spent by the caller before this), and
/// records the passkey's new counter and time of use.
pub async fn finish_authentication(
    tx: &mut Tx,
    rp: &RelyingParty,
    user_id: i64,
    credential: &PublicKeyCredential,
    state: &PasskeyAuthentication,
) -> Result<Result<(), Refused>, AppError> {
    let result = match rp.webauthn.finish_passkey_authentication(credential, state) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, user_id, "a passkey sign-in did not verify");
            return Ok(Err(Refused::NotVerified));
        }
    };
    // The challenge listed only this account's credentials; the row is looked up by both all the same.
    let Some((id, mut passkey)) = stored(&mut *tx, user_id).await?.into_iter().find(|(_, p)| p.cred_id() == result.cred_id()) else {
        return Ok(Err(Refused::NotVerified));
    };
    passkey.update_credential(&result);
    let json = serde_json::to_string(&passkey).map_err(|_| AppError::Internal)?;
    // An authenticator that counts must count up from what this database last saw (not only from the copy
    // the challenge carried): a lower or equal count is a cloned key, or one answer used twice.
    let counter = i64::from(result.counter());
    let done = sqlx::query(
        "UPDATE passkeys SET passkey = ?, last_used_at = ?, sign_count = MAX(sign_count, ?) \
         WHERE id = ? AND user_id = ? AND (? = 0 OR sign_count < ?)",
    )
    .bind(json)
    .bind(Utc::now())
    .bind(counter)
    .bind(id)
    .bind(user_id)
    .bind(counter)
    .bind(counter)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        tracing::warn!(user_id, id, counter, "a passkey's signature counter did not go up: a cloned key or an answer used twice");
        return Ok(Err(Refused::CounterNotAdvanced));
    }
    Ok(Ok(()))
}

/// Removes one of the account's own passkeys; false when it has no such passkey.
pub async fn remove(tx: &mut Tx, user_id: i64, passkey_id: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("DELETE FROM passkeys WHERE id = ? AND user_id = ? RETURNING name")
        .bind(passkey_id)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?)
}

/// Removes every passkey of the account (a confirmed four-eyes reset of its second factor).
pub async fn remove_all(tx: &mut Tx, user_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM passkeys WHERE user_id = ?").bind(user_id).execute(&mut **tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passkeys_need_a_host_name_and_https_except_on_localhost() {
        assert_eq!(RelyingParty::new("http://localhost:3000").unwrap().origin, "http://localhost:3000");
        assert_eq!(RelyingParty::new("https://desk.example.gc.ca/").unwrap().origin, "https://desk.example.gc.ca");
        assert!(RelyingParty::new("http://127.0.0.1:3000").unwrap_err().contains("host name"));
        assert!(RelyingParty::new("http://desk.example.gc.ca").unwrap_err().contains("https"));
        assert!(RelyingParty::new("not a url").is_err());
        assert!(RelyingParty::new("ftp://localhost:3000").is_err());
        assert!(RelyingParty::new("https://desk.example.gc.ca/liaison").unwrap_err().contains("path"));
        assert!(RelyingParty::new("http://desk.localhost:3000").is_ok());
    }

    #[test]
    fn names_lose_control_and_direction_characters() {
        assert_eq!(clean_name("  work\u{202e}pot\nlaptop "), "workpotlaptop");
        assert_eq!(clean_name("\u{7}\t"), "Passkey");
        assert_eq!(clean_name("सुरक्षा कुंजी"), "सुरक्षा कुंजी", "any script is kept");
    }

    #[test]
    fn the_user_handle_is_stable_and_differs_per_account() {
        assert_eq!(user_handle(7), user_handle(7));
        assert_ne!(user_handle(7), user_handle(8));
    }
}
