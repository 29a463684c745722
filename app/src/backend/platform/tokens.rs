//! API tokens: made on their owner's profile, shown once, kept as the SHA-256 of their secret, and checked
//! here on every `/api/v1` call (unknown, revoked or expired: refused at once). A token acts as its owner:
//! what the owner may do with a call is the policy module's to decide, as on the pages; what the token may
//! do on top of that is its scopes, which the API layer checks per operation. This module holds no HTTP.

use crate::backend::platform::db::Tx;
use crate::backend::platform::time::shown;
use crate::backend::platform::users::UserRow;
use crate::error::{AppError, FieldError};
use crate::model::{
    IssuedToken, TokenForm, TokenScope, TokenView, TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, TOKEN_MAX_NAME_CHARS, TOKEN_MAX_PER_ACCOUNT,
};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

/// Every secret starts so, which lets secret scanners (and people) recognise a leaked one.
pub const PREFIX: &str = "ldt_";
/// 32 random bytes, hex-encoded.
const SECRET_HEX_LEN: usize = 64;
/// How stale a token's "last used" may be before a call writes it again: not every call takes the write lock.
const TOUCH_EVERY_SECS: i64 = 60;

/// A new token's fields, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewToken {
    pub name: String,
    pub scopes: Vec<TokenScope>,
    pub days: i64,
}

impl NewToken {
    /// Every field's message at once.
    pub fn parse(form: &TokenForm) -> Result<Self, AppError> {
        let mut errors = Vec::new();
        let name = crate::i18n::plain_line(&form.name);
        if name.is_empty() {
            errors.push(FieldError { field: "name".into(), message: tr!(crate::i18n::reader(), "err-give-token-name-says-where") });
        } else if name.chars().count() > TOKEN_MAX_NAME_CHARS {
            errors.push(FieldError {
                field: "name".into(),
                message: tr!(crate::i18n::reader(), "err-use-most-characters-2", token_max_name_chars = TOKEN_MAX_NAME_CHARS as i64),
            });
        }
        let scopes = form.ticked();
        if scopes.is_empty() {
            errors.push(FieldError { field: "read".into(), message: tr!(crate::i18n::reader(), "err-tick-least-scope") });
        }
        let days = match form.days.trim() {
            "" => TOKEN_DEFAULT_DAYS,
            d => match d.parse::<i64>() {
                Ok(n) if (1..=TOKEN_MAX_DAYS).contains(&n) => n,
                _ => {
                    errors.push(FieldError {
                        field: "days".into(),
                        message: tr!(crate::i18n::reader(), "err-choose-1-days", token_max_days = TOKEN_MAX_DAYS),
                    });
                    0
                }
            },
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(NewToken { name, scopes, days })
    }

    /// As a waiting account change keeps it (`account_changes`): name, comma-separated scopes, days.
    pub fn columns(&self) -> (String, String, i64) {
        (self.name.clone(), scopes_text(&self.scopes), self.days)
    }

    /// Read back from those columns, checked when they were written; a scope this build does not know is
    /// dropped, never widened.
    pub fn stored(name: &str, scopes: &str, days: i64) -> Self {
        NewToken { name: name.to_string(), scopes: parse_scopes(scopes), days: days.clamp(1, TOKEN_MAX_DAYS) }
    }
}

fn scopes_text(scopes: &[TokenScope]) -> String {
    scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
}

fn parse_scopes(text: &str) -> Vec<TokenScope> {
    text.split(',').filter_map(|s| s.parse().ok()).collect()
}

/// A token as stored (never its secret).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    scopes: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    binding: String,
}

impl TokenRow {
    /// The stored scopes; one this build does not know is dropped, never widened.
    pub fn scopes(&self) -> Vec<TokenScope> {
        parse_scopes(&self.scopes)
    }
    pub fn has(&self, scope: TokenScope) -> bool {
        self.scopes().contains(&scope)
    }
    /// Neither revoked nor expired.
    pub fn live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
    /// Whether the owner is still as they were when the token was made (`binding`).
    pub fn bound_to(&self, owner: &UserRow) -> bool {
        self.binding == binding(owner)
    }
    fn view(&self, owner: &UserRow, zone: &str, now: DateTime<Utc>) -> TokenView {
        TokenView {
            id: self.id,
            name: self.name.clone(),
            scopes: self.scopes(),
            created: shown(self.created_at, zone),
            expires: shown(self.expires_at, zone),
            last_used: self.last_used_at.map(|t| shown(t, zone)),
            revoked: self.revoked_at.is_some(),
            expired: self.expires_at <= now,
            stale: !self.bound_to(owner),
        }
    }
}

const COLUMNS: &str = "id, user_id, name, scopes, created_at, expires_at, last_used_at, revoked_at, binding";

/// What a token is bound to (see the migration): the account's sign-in binding (password hash and second
/// factor epoch, as sessions are bound: `auth::AuthedUser`), its agency and its role.
fn binding(owner: &UserRow) -> String {
    let authed = crate::backend::platform::auth::AuthedUser::new(owner.clone());
    digest(&format!("{}|{}|{}", authed.auth_hash(), owner.agency_id, owner.role.as_str()))
}

fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Whether text has a secret's shape: anything else is refused without a database lookup.
fn well_formed(secret: &str) -> bool {
    secret.strip_prefix(PREFIX).is_some_and(|h| h.len() == SECRET_HEX_LEN && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Makes a token for `user_id` and answers its secret, the one time it is known.
pub async fn create(tx: &mut Tx, owner: &UserRow, new: &NewToken, now: DateTime<Utc>) -> Result<IssuedToken, AppError> {
    let user_id = owner.id;
    let live: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?")
        .bind(user_id)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
    if live >= TOKEN_MAX_PER_ACCOUNT {
        return Err(AppError::Conflict(tr!(
            crate::i18n::reader(),
            "err-account-keeps-most-live-tokens",
            token_max_per_account = TOKEN_MAX_PER_ACCOUNT
        )));
    }
    let secret = {
        use rand::RngCore;
        let mut bytes = [0u8; SECRET_HEX_LEN / 2];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        format!("{PREFIX}{}", hex::encode(bytes))
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, scopes, secret_hash, created_at, expires_at, binding) VALUES (?, ?, ?, ?, ?, ?, ?) \
         RETURNING id",
    )
    .bind(user_id)
    .bind(&new.name)
    .bind(scopes_text(&new.scopes))
    .bind(digest(&secret))
    .bind(now)
    .bind(now + Duration::days(new.days))
    .bind(binding(owner))
    .fetch_one(&mut **tx)
    .await?;
    Ok(IssuedToken { id, name: new.name.clone(), secret })
}

/// The user's tokens, newest first, revoked and expired ones included (so the owner sees what happened).
pub async fn list(conn: &mut SqliteConnection, owner: &UserRow, zone: &str) -> Result<Vec<TokenView>, AppError> {
    let rows: Vec<TokenRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM api_tokens WHERE user_id = ? ORDER BY id DESC LIMIT 200"))
        .bind(owner.id)
        .fetch_all(conn)
        .await?;
    let now = Utc::now();
    Ok(rows.iter().map(|r| r.view(owner, zone, now)).collect())
}

/// Revokes one of the user's own tokens (NotFound for anyone else's: ids are not confirmed to others).
/// Revoking a revoked token changes nothing and is no error.
pub async fn revoke(tx: &mut Tx, user_id: i64, id: i64, now: DateTime<Utc>) -> Result<TokenRow, AppError> {
    let row: TokenRow = sqlx::query_as(&format!("SELECT {COLUMNS} FROM api_tokens WHERE id = ? AND user_id = ?"))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").bind(now).bind(id).execute(&mut **tx).await?;
    Ok(row)
}

/// The live token a presented secret belongs to; None for anything else (malformed, unknown, revoked,
/// expired), so the caller cannot tell these apart.
pub async fn find_live(conn: &mut SqliteConnection, presented: &str, now: DateTime<Utc>) -> Result<Option<TokenRow>, AppError> {
    if !well_formed(presented) {
        return Ok(None);
    }
    let row: Option<TokenRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM api_tokens WHERE secret_hash = ?"))
        .bind(digest(presented))
        .fetch_optional(conn)
        .await?;
    Ok(row.filter(|r| r.live(now)))
}

/// Whether a call should note the token's use (at most once a minute per token).
pub fn due_for_touch(row: &TokenRow, now: DateTime<Utc>) -> bool {
    row.last_used_at.is_none_or(|t| (now - t).num_seconds() >= TOUCH_EVERY_SECS)
}

/// Notes that the token was used now.
pub async fn touch(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?").bind(now).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Revokes every token of an account (it was disabled): nothing it issued keeps working if it is enabled again.
pub async fn revoke_all_of(tx: &mut Tx, user_id: i64, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, days: &str, read: bool, write: bool) -> TokenForm {
        TokenForm {
            name: name.into(),
            days: days.into(),
            read: if read { "on".into() } else { String::new() },
            write: if write { "on".into() } else { String::new() },
            ..TokenForm::default()
        }
    }

    #[test]
    fn a_token_needs_a_name_a_scope_and_at_most_a_year() {
        let ok = NewToken::parse(&form("  RCMP case system\u{202e} ", "", true, true)).unwrap();
        assert_eq!(
            ok,
            NewToken { name: "RCMP case system".into(), scopes: vec![TokenScope::Read, TokenScope::Write], days: TOKEN_DEFAULT_DAYS }
        );
        let AppError::Validation(errors) = NewToken::parse(&form(" ", "366", false, false)).unwrap_err() else { panic!() };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "read", "days"], "every bad field at once");
        assert!(NewToken::parse(&form("x", "0", true, false)).is_err());
        assert!(NewToken::parse(&form("x", "-5", true, false)).is_err());
        assert!(NewToken::parse(&form("x", "abc", true, false)).is_err());
        assert_eq!(NewToken::parse(&form("x", "365", true, false)).unwrap().days, 365);
        assert!(NewToken::parse(&form(&"n".repeat(TOKEN_MAX_NAME_CHARS + 1), "", true, false)).is_err());
    }

    #[test]
    fn only_a_secret_of_the_right_shape_is_looked_up() {
        assert!(well_formed(&format!("{PREFIX}{}", "a".repeat(64))));
        assert!(!well_formed(&format!("{PREFIX}{}", "a".repeat(63))));
        assert!(!well_formed(&format!("{PREFIX}{}", "g".repeat(64))));
        assert!(!well_formed(&"a".repeat(68)));
        assert!(!well_formed(""));
    }
}
