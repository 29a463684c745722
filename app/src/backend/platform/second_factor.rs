//! The second factor at sign-in: TOTP (RFC 6238: SHA-1, 6 digits, 30 s, what every authenticator app
//! reads) with each code accepted once, and ten single-use recovery codes. Seeds are sealed and recovery
//! codes kept as keyed hashes with the instance's sealing key (`secrets`), outside the database.

use crate::backend::platform::db::Tx;
use crate::backend::platform::secrets::{Purpose, SealingKey};
use crate::error::AppError;
use chrono::Utc;
use sqlx::SqliteConnection;
use totp_rs::{Algorithm, Builder, Totp};

/// What the authenticator app shows the account as.
const ISSUER: &str = "Liaison Desk";
/// Codes one step either side of now are accepted (clocks drift; a code typed as it changes).
const SKEW: u16 = 1;
pub const RECOVERY_CODES: usize = 10;

/// Enrolment material, shown once while setting up.
pub struct Enrolment {
    /// Base32, for typing into an app by hand.
    pub secret: String,
    /// The QR code of the `otpauth://` URL, as SVG made here (no outside service sees the seed).
    pub qr_svg: String,
}

fn totp(seed: Vec<u8>, username: &str) -> Result<Totp, AppError> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(SKEW)
        .with_step_duration(30)
        .with_secret(seed)
        .with_account_name(username)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| {
            tracing::error!(error = %e, "TOTP setup failed");
            AppError::Internal
        })
}

/// Starts (or restarts) setting up an authenticator for `user_id`: a new seed, sealed, not yet confirmed.
/// Refused while a confirmed one exists (a reset is a four-eyes change).
pub async fn begin(tx: &mut Tx, key: &SealingKey, user_id: i64, username: &str) -> Result<Enrolment, AppError> {
    if is_confirmed(tx, user_id).await? {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-you-already-have-authenticator-app")));
    }
    let mut seed = vec![0u8; 20];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
    let sealed = key.seal(Purpose::TotpSeed, user_id, &seed);
    sqlx::query(
        "INSERT INTO totp_factors (user_id, sealed_seed, confirmed_at, last_step, created_at) VALUES (?, ?, NULL, 0, ?) \
         ON CONFLICT(user_id) DO UPDATE SET sealed_seed = excluded.sealed_seed, created_at = excluded.created_at",
    )
    .bind(user_id)
    .bind(sealed)
    .bind(Utc::now())
    .execute(&mut **tx)
    .await?;
    let totp = totp(seed, username)?;
    let url = totp.to_url().map_err(|_| AppError::Internal)?;
    let qr = qrcode::QrCode::new(url.as_bytes()).map_err(|_| AppError::Internal)?;
    let qr_svg = qr.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
    Ok(Enrolment { secret: totp.secret().to_base32(), qr_svg })
}

/// How recent a sign-in must be to add or remove a second factor on an account that has one: a session
/// left open (or a stolen cookie) with the password alone must not bind the thief's own factor.
pub const STEP_UP_SECONDS: i64 = 10 * 60;

/// Refuses binding or removing a factor of an account that has one unless this session signed in (with that
/// factor) within `STEP_UP_SECONDS`.
pub fn ensure_recent_sign_in(has_factor: bool, signed_in_at: Option<i64>, now: i64) -> Result<(), AppError> {
    if has_factor && signed_in_at.is_none_or(|t| now - t > STEP_UP_SECONDS) {
        return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-step-up-needed", minutes = STEP_UP_SECONDS / 60)));
    }
    Ok(())
}

/// What counts as a second factor, in SQL over the account `u`: a confirmed authenticator app or a passkey.
/// The account row (`users`) and `has_any` both read it from here.
pub const HAS_ANY: &str = "(EXISTS (SELECT 1 FROM totp_factors f WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL) \
     OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id))";

/// Whether the account has any second factor (`HAS_ANY`).
pub async fn has_any(conn: &mut SqliteConnection, user_id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(&format!("SELECT {HAS_ANY} FROM users u WHERE u.id = ?"))
        .bind(user_id)
        .fetch_optional(conn)
        .await?
        .unwrap_or(false))
}

pub async fn is_confirmed(conn: &mut SqliteConnection, user_id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM totp_factors WHERE user_id = ? AND confirmed_at IS NOT NULL)")
        .bind(user_id)
        .fetch_one(conn)
        .await?)
}

/// Why a code was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not a code of this authenticator now, nor an unused recovery code.
    Wrong,
    /// A code already accepted (or older than one accepted): a replay.
    Replayed,
    /// The seed does not open with this instance's sealing key (a database restored without its key file).
    Unreadable,
    /// An authenticator being set up waited too long for its first code.
    Expired,
}

/// Checks a TOTP code against the account's seed (`confirmed`: the set-up one, or the one being set up)
/// and records its step, so that it is never accepted again.
async fn check_totp(
    tx: &mut Tx,
    key: &SealingKey,
    user_id: i64,
    username: &str,
    code: &str,
    confirmed: bool,
) -> Result<Result<(), Refused>, AppError> {
    let row: Option<(Vec<u8>, i64)> = sqlx::query_as(&format!(
        "SELECT sealed_seed, last_step FROM totp_factors WHERE user_id = ? AND confirmed_at IS {} NULL",
        if confirmed { "NOT" } else { "" }
    ))
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((sealed, last_step)) = row else { return Ok(Err(Refused::Wrong)) };
    let Some(seed) = key.open(Purpose::TotpSeed, user_id, &sealed) else {
        tracing::error!(user_id, "a TOTP seed does not open with this instance's sealing key (LD_SECRETS_KEY_FILE)");
        return Ok(Err(Refused::Unreadable));
    };
    let now = Utc::now().timestamp().max(0) as u64;
    let Some(step) = totp(seed, username)?.check(code, now) else { return Ok(Err(Refused::Wrong)) };
    // Recorded with the condition in the same statement: of two sign-ins with one code, one wins.
    let done = sqlx::query("UPDATE totp_factors SET last_step = ? WHERE user_id = ? AND last_step < ?")
        .bind(step as i64)
        .bind(user_id)
        .bind(step as i64)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        tracing::warn!(user_id, step, last_step, "a TOTP code was offered again");
        return Ok(Err(Refused::Replayed));
    }
    Ok(Ok(()))
}

/// How long an authenticator being set up waits for its first code.
const SET_UP_MINUTES: i64 = 10;

/// Confirms the authenticator being set up (within `SET_UP_MINUTES` of its start) with its first code.
pub async fn confirm(tx: &mut Tx, key: &SealingKey, user_id: i64, username: &str, code: &str) -> Result<Result<(), Refused>, AppError> {
    let started: Option<chrono::DateTime<Utc>> =
        sqlx::query_scalar("SELECT created_at FROM totp_factors WHERE user_id = ? AND confirmed_at IS NULL")
            .bind(user_id)
            .fetch_optional(&mut **tx)
            .await?;
    if started.is_some_and(|t| Utc::now() - t > chrono::Duration::minutes(SET_UP_MINUTES)) {
        return Ok(Err(Refused::Expired));
    }
    if let Err(refused) = check_totp(tx, key, user_id, username, code, false).await? {
        return Ok(Err(refused));
    }
    sqlx::query("UPDATE totp_factors SET confirmed_at = ? WHERE user_id = ?").bind(Utc::now()).bind(user_id).execute(&mut **tx).await?;
    Ok(Ok(()))
}

/// Ten new recovery codes for the account (any earlier ones stop working), returned once.
pub async fn issue_recovery_codes(tx: &mut Tx, key: &SealingKey, user_id: i64) -> Result<Vec<String>, AppError> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = ?").bind(user_id).execute(&mut **tx).await?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
    for code in &codes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)")
            .bind(user_id)
            .bind(key.tag(Purpose::RecoveryCode, user_id, normalise(code).as_bytes()))
            .execute(&mut **tx)
            .await?;
    }
    Ok(codes)
}

/// What the code was, when accepted at sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accepted {
    Totp,
    RecoveryCode,
    Passkey,
}

/// Checks a sign-in's second factor: a TOTP code (six digits) or an unused recovery code.
pub async fn verify(
    tx: &mut Tx,
    key: &SealingKey,
    user_id: i64,
    username: &str,
    code: &str,
) -> Result<Result<Accepted, Refused>, AppError> {
    let code = normalise(code);
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(check_totp(tx, key, user_id, username, &code, true).await?.map(|_| Accepted::Totp));
    }
    let tag = key.tag(Purpose::RecoveryCode, user_id, code.as_bytes());
    let used = sqlx::query("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL")
        .bind(Utc::now())
        .bind(user_id)
        .bind(tag)
        .execute(&mut **tx)
        .await?;
    Ok(if used.rows_affected() == 1 { Ok(Accepted::RecoveryCode) } else { Err(Refused::Wrong) })
}

/// Removes the account's authenticator, passkeys and recovery codes (a confirmed four-eyes reset): the
/// next sign-in sets up a new second factor.
pub async fn remove(tx: &mut Tx, user_id: i64) -> Result<(), AppError> {
    crate::backend::platform::passkeys::remove_all(tx, user_id).await?;
    sqlx::query("DELETE FROM totp_factors WHERE user_id = ?").bind(user_id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = ?").bind(user_id).execute(&mut **tx).await?;
    Ok(())
}

/// Unused recovery codes left.
pub async fn recovery_codes_left(conn: &mut SqliteConnection, user_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(conn)
        .await?)
}

/// Spaces and hyphens are for reading; letters in either case.
fn normalise(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect()
}

/// Twelve characters from an alphabet without look-alikes (about 59 bits), shown as three groups of four.
fn recovery_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let chars: Vec<char> = (0..12).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changing_factors_needs_a_recent_sign_in_once_there_is_one() {
        let now = 1_000_000;
        assert!(ensure_recent_sign_in(false, None, now).is_ok(), "a first factor needs no earlier one");
        assert!(ensure_recent_sign_in(true, Some(now - 60), now).is_ok());
        assert!(ensure_recent_sign_in(true, Some(now - STEP_UP_SECONDS - 1), now).is_err());
        assert!(ensure_recent_sign_in(true, None, now).is_err());
    }

    #[test]
    fn recovery_codes_are_random_and_read_back_however_typed() {
        let a = recovery_code();
        assert_eq!(a.len(), 14);
        assert_ne!(a, recovery_code());
        assert_eq!(normalise(&a.to_uppercase().replace('-', " ")), a.replace('-', ""));
    }
}
