//! `Idempotency-Key` on creates: a create retried with the same key (a timeout, a lost answer) gets the
//! first answer again instead of making a second object. Keys belong to one token and live a day.
//!
//! The key is taken before the create runs, so two copies of one request sent at once cannot both create:
//! the second is told the first is in progress (409). A create that fails gives its key back, so the caller
//! can correct the request and retry with the same key.

use super::problem::Problem;
use app::backend::platform::db::Db;
use app::error::AppError;
use axum::http::{HeaderMap, StatusCode};
use chrono::{Duration, Utc};
use sha2::{Digest, Sha256};

/// The longest key accepted (a UUID is 36).
const MAX_KEY_LEN: usize = 255;

/// A key taken for one request.
pub struct Taken {
    token_id: i64,
    key: String,
}

/// What to do with a create that came with a key.
pub enum Claim {
    /// No key: create as usual.
    None,
    /// First time for this key: create, then `complete` (or `release` on failure).
    Fresh(Taken),
    /// Seen before with the same request: its first answer.
    Replay(StatusCode, String),
}

/// The request's key, if any; a malformed one is refused.
fn key_of(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(v) = headers.get("idempotency-key") else { return Ok(None) };
    match v.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= MAX_KEY_LEN && k.bytes().all(|b| b.is_ascii_graphic()) => Ok(Some(k.to_string())),
        _ => Err(Problem::bad_request(app::tr!(app::i18n::reader(), "problem-detail-key-shape", max = MAX_KEY_LEN as i64))),
    }
}

/// Takes the request's key for this token, or answers what was answered to it before.
pub async fn claim(db: &Db, token_id: i64, headers: &HeaderMap, what: &str, body: &[u8]) -> Result<Claim, Problem> {
    let Some(key) = key_of(headers)? else { return Ok(Claim::None) };
    let fingerprint = hex::encode(Sha256::new().chain_update(what.as_bytes()).chain_update([0]).chain_update(body).finalize());
    let now = Utc::now();
    let internal = |e: sqlx::Error| {
        tracing::error!(error = %e, "idempotency record");
        Problem::from_app(&AppError::Internal, Default::default())
    };
    let mut tx = db.begin_write().await.map_err(internal)?;
    // Every token's keys older than a day go (an index on the time keeps this cheap), so keys of tokens
    // no longer used do not pile up.
    sqlx::query("DELETE FROM api_idempotency WHERE created_at < ?")
        .bind(now - Duration::hours(24))
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    let existing: Option<(String, Option<i64>, Option<String>)> =
        sqlx::query_as("SELECT fingerprint, status, body FROM api_idempotency WHERE token_id = ? AND key = ?")
            .bind(token_id)
            .bind(&key)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal)?;
    let claim = match existing {
        Some((seen, _, _)) if seen != fingerprint => {
            return Err(Problem::new(
                "idempotency-key-reused",
                StatusCode::UNPROCESSABLE_ENTITY,
                app::tr!(app::i18n::reader(), "problem-detail-key-reused"),
            ))
        }
        Some((_, Some(status), Some(body))) => Claim::Replay(StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK), body),
        Some(_) => {
            return Err(Problem::new(
                "idempotency-key-in-use",
                StatusCode::CONFLICT,
                app::tr!(app::i18n::reader(), "problem-detail-key-in-use"),
            ))
        }
        None => {
            sqlx::query("INSERT INTO api_idempotency (token_id, key, fingerprint, created_at) VALUES (?, ?, ?, ?)")
                .bind(token_id)
                .bind(&key)
                .bind(&fingerprint)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
            Claim::Fresh(Taken { token_id, key })
        }
    };
    tx.commit_untracked().await.map_err(internal)?;
    Ok(claim)
}

/// Keeps the first answer for replays, or, when the create was refused (nothing was made), gives the key
/// back so a corrected retry may use it.
pub async fn finish(db: &Db, taken: Taken, answer: Option<(StatusCode, &str)>) {
    let done = async {
        let mut tx = db.begin_write().await?;
        let query = match answer {
            Some((status, body)) => sqlx::query("UPDATE api_idempotency SET status = ?, body = ? WHERE token_id = ? AND key = ?")
                .bind(status.as_u16() as i64)
                .bind(body),
            None => sqlx::query("DELETE FROM api_idempotency WHERE token_id = ? AND key = ?"),
        };
        query.bind(taken.token_id).bind(&taken.key).execute(&mut *tx).await?;
        tx.commit_untracked().await
    };
    if let Err(e) = done.await {
        // Kept: a retry is told the key is in use rather than create twice.
        tracing::error!(error = %e, "could not finish an idempotent create");
    }
}
