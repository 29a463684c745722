//! User accounts: queries and the rules that keep the system administrable.

use crate::backend::platform::db::Tx;
use crate::backend::platform::passwords::PasswordHashString;
use crate::error::{AppError, Problems};
use crate::model::{Country, Role, SessionUser, UserFilter, UserStatus, UserView};
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

/// A user row joined with its agency. The hash stays server-side (`PasswordHashString` is not Serialize).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    pub country: Country,
    pub time_zone: String,
    pub status: UserStatus,
    #[sqlx(try_from = "String")]
    pub password_hash: HashColumn,
    pub must_change_password: bool,
    /// A temporary password works until then, and for one sign-in.
    pub temporary_expires_at: Option<DateTime<Utc>>,
    pub temporary_used: bool,
    /// A confirmed authenticator is set up.
    pub has_second_factor: bool,
    /// Made by the demo data: may sign in without a second factor.
    pub second_factor_exempt: bool,
    /// Raised when the second factor is set up or reset: sessions are bound to it (`auth::AuthedUser`).
    pub auth_epoch: i64,
    pub failed_attempts: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Read with the user on every request, so the header's count costs no query of its own.
    pub unread_notifications: i64,
    /// The language chosen in the header's switch; None: the browser's decides.
    pub locale: Option<crate::model::Locale>,
    /// Another system's account: reaches `/api/v1` with tokens an admin issued, never signs in.
    pub service: bool,
}

#[derive(Clone)]
pub struct HashColumn(pub PasswordHashString);
impl From<String> for HashColumn {
    fn from(s: String) -> Self {
        HashColumn(PasswordHashString(s))
    }
}
impl std::fmt::Debug for HashColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl UserRow {
    pub fn is_active(&self) -> bool {
        self.status == UserStatus::Active
    }
    /// Whether the account may hold a session on the pages: active, and a person's (a service account's
    /// password is one nobody was ever given, and this holds even if someone set one).
    pub fn may_sign_in(&self) -> bool {
        self.is_active() && !self.service
    }
    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|t| t > now)
    }
    /// A temporary password that has been used for a sign-in already, or has expired, opens nothing.
    pub fn temporary_spent(&self, now: DateTime<Utc>) -> bool {
        self.must_change_password && (self.temporary_used || self.temporary_expires_at.is_some_and(|t| t <= now))
    }
    pub fn session_user(&self) -> SessionUser {
        SessionUser {
            id: self.id,
            agency_id: self.agency_id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            agency_code: self.agency_code.clone(),
            agency_name: self.agency_name.clone(),
            country: self.country,
            time_zone: self.time_zone.clone(),
            // A service account's password is one nobody holds, and it signs in nowhere: nothing to replace.
            must_change_password: self.must_change_password && !self.service,
            must_enrol_second_factor: self.must_enrol(true),
        }
    }
    /// Whether the account must set up a second factor before anything else, when the instance requires one.
    /// A service account has none to set up: its tokens are its only way in.
    pub fn must_enrol(&self, required: bool) -> bool {
        required && !self.service && !self.has_second_factor && !self.second_factor_exempt
    }
    pub fn view(&self) -> UserView {
        let now = Utc::now();
        UserView {
            id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            agency_code: self.agency_code.clone(),
            agency_name: self.agency_name.clone(),
            country: self.country,
            time_zone: self.time_zone.clone(),
            status: self.status,
            must_change_password: self.must_change_password,
            locked_until: self.locked_until.filter(|t| *t > now),
            failed_attempts: self.failed_attempts,
            created_at: self.created_at,
            second_factor: self.has_second_factor,
            service: self.service,
        }
    }
}

/// The account row as `UserRow` reads it; whether it has a second factor is `second_factor::HAS_ANY`.
fn select() -> String {
    format!(
        "SELECT u.id, u.username, u.display_name, u.role, u.agency_id, a.code AS agency_code, \
         a.name AS agency_name, a.country, u.time_zone, u.status, u.password_hash, u.must_change_password, \
         u.temporary_expires_at, u.temporary_used, {} AS has_second_factor, \
         u.second_factor_exempt, u.auth_epoch, u.failed_attempts, u.locked_until, u.created_at, u.locale, u.service, \
         COALESCE((SELECT unread FROM unread_counts WHERE user_id = u.id), 0) AS unread_notifications \
         FROM users u JOIN agencies a ON a.id = u.agency_id",
        crate::backend::platform::second_factor::HAS_ANY
    )
}

pub async fn by_id(conn: &mut SqliteConnection, id: i64) -> Result<Option<UserRow>, AppError> {
    Ok(sqlx::query_as(&format!("{} WHERE u.id = ?", select())).bind(id).fetch_optional(conn).await?)
}

/// The display name of user `id` if they belong to an agency of `country` (lists filtered by a lead
/// name them; a viewer learns no names from the other country this way).
pub async fn name_in_country(conn: &mut SqliteConnection, id: i64, country: Country) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT u.display_name FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.id = ? AND a.country = ?")
        .bind(id)
        .bind(country.as_str())
        .fetch_optional(conn)
        .await?)
}

pub async fn by_username(conn: &mut SqliteConnection, username: &str) -> Result<Option<UserRow>, AppError> {
    Ok(sqlx::query_as(&format!("{} WHERE u.username = ?", select())).bind(username.trim()).fetch_optional(conn).await?)
}

pub async fn list(pool: &SqlitePool, f: &UserFilter) -> Result<Vec<UserView>, AppError> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(select());
    q.push(" WHERE 1=1");
    if !f.q.trim().is_empty() {
        let like = crate::backend::platform::db::like_pattern(&f.q);
        q.push(" AND (u.username LIKE ").push_bind(like.clone()).push(" ESCAPE '\\' OR u.display_name LIKE ");
        q.push_bind(like).push(" ESCAPE '\\')");
    }
    if !f.role.is_empty() {
        q.push(" AND u.role = ").push_bind(f.role.clone());
    }
    if !f.agency.is_empty() {
        q.push(" AND a.code = ").push_bind(f.agency.clone());
    }
    if !f.status.is_empty() {
        q.push(" AND u.status = ").push_bind(f.status.clone());
    }
    q.push(" ORDER BY a.country DESC, a.code, u.username LIMIT 500");
    let rows: Vec<UserRow> = q.build_query_as().fetch_all(pool).await?;
    Ok(rows.iter().map(UserRow::view).collect())
}

pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub agency_code: String,
    pub time_zone: Option<String>,
    /// A service account (`UserRow::service`).
    pub service: bool,
}

/// A service account acts as a liaison officer of its agency: never a supervisor (every case of a country)
/// nor an admin (accounts), whoever asks for it.
pub fn check_service_role(service: bool, role: Role) -> Result<(), AppError> {
    if service && role != Role::Officer {
        return Err(AppError::field("role", tr!(crate::i18n::reader(), "err-service-account-is-officer")));
    }
    Ok(())
}

/// Checks a new or changed account's fields; reports every problem at once.
pub fn validate_fields(username: Option<&str>, display_name: &str, role: &str, time_zone: Option<&str>) -> Result<Role, AppError> {
    let mut p = Problems::default();
    if let Some(username) = username {
        let u = username.trim();
        p.check(
            (3..=40).contains(&u.len()) && u.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
            "username",
            tr!(crate::i18n::reader(), "err-use-3-40-letters-digits"),
        );
    }
    p.check(
        (1..=120).contains(&display_name.trim().chars().count()),
        "display_name",
        tr!(crate::i18n::reader(), "err-enter-person-s-name-up"),
    );
    let parsed = role.parse::<Role>();
    p.check(parsed.is_ok(), "role", tr!(crate::i18n::reader(), "err-choose-role"));
    if let Some(tz) = time_zone {
        p.check(
            tz.is_empty() || crate::backend::platform::time::is_known_zone(tz),
            "time_zone",
            tr!(crate::i18n::reader(), "err-choose-time-zone-from-list"),
        );
    }
    p.into_result()?;
    Ok(parsed.expect("checked above"))
}

/// A password as it is set: chosen by its user, or temporary (issued by an admin or the CLI) until a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordKind {
    Chosen,
    Temporary { until: DateTime<Utc> },
}

impl PasswordKind {
    fn columns(self) -> (bool, Option<DateTime<Utc>>) {
        match self {
            PasswordKind::Chosen => (false, None),
            PasswordKind::Temporary { until } => (true, Some(until)),
        }
    }
}

pub async fn insert(tx: &mut Tx, new: &NewUser, hash: &PasswordHashString, kind: PasswordKind) -> Result<UserRow, AppError> {
    let agency = crate::backend::platform::agencies::find_by_code(tx, &new.agency_code)
        .await?
        .ok_or_else(|| AppError::field("agency", tr!(crate::i18n::reader(), "err-choose-existing-agency")))?;
    if by_username(tx, &new.username).await?.is_some() {
        return Err(AppError::field(
            "username",
            tr!(crate::i18n::reader(), "err-username-taken", username = new.username.trim().to_string()),
        ));
    }
    let tz = new.time_zone.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| agency.country.default_time_zone().to_string());
    let now = Utc::now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, role, agency_id, time_zone, status, password_hash, \
         must_change_password, temporary_expires_at, created_at, updated_at, service) VALUES (?,?,?,?,?,'active',?,?,?,?,?,?) RETURNING id",
    )
    .bind(new.username.trim())
    .bind(new.display_name.trim())
    .bind(new.role.as_str())
    .bind(agency.id)
    .bind(tz)
    .bind(&hash.0)
    .bind(kind.columns().0)
    .bind(kind.columns().1)
    .bind(now)
    .bind(now)
    .bind(new.service)
    .fetch_one(&mut **tx)
    .await?;
    Ok(by_id(tx, id).await?.expect("just inserted"))
}

/// Refuses a change that would leave no active admin: somebody must always be able to manage accounts.
pub async fn ensure_admin_remains(tx: &mut Tx, target: &UserRow, still_active_admin: bool) -> Result<(), AppError> {
    if target.role == Role::Admin && target.is_active() && !still_active_admin {
        let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND status = 'active' AND id != ?")
            .bind(target.id)
            .fetch_one(&mut **tx)
            .await?;
        if others == 0 {
            return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-last-active-admin-account-create")));
        }
    }
    Ok(())
}

pub async fn update_profile(tx: &mut Tx, id: i64, display_name: &str, role: Role, agency_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET display_name = ?, role = ?, agency_id = ?, updated_at = ? WHERE id = ?")
        .bind(display_name.trim())
        .bind(role.as_str())
        .bind(agency_id)
        .bind(Utc::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_status(tx: &mut Tx, id: i64, status: UserStatus) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET status = ?, updated_at = ? WHERE id = ?")
        .bind(status.as_str())
        .bind(Utc::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_password(tx: &mut Tx, id: i64, hash: &PasswordHashString, kind: PasswordKind) -> Result<(), AppError> {
    let (must_change, expires) = kind.columns();
    sqlx::query(
        "UPDATE users SET password_hash = ?, must_change_password = ?, temporary_expires_at = ?, temporary_used = 0, \
         failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?",
    )
    .bind(&hash.0)
    .bind(must_change)
    .bind(expires)
    .bind(Utc::now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The temporary password has been used for a sign-in: it opens no second session. False when another
/// sign-in used it first (two racing sign-ins: only one wins).
pub async fn mark_temporary_used(tx: &mut Tx, id: i64) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE users SET temporary_used = 1 WHERE id = ? AND must_change_password = 1 AND temporary_used = 0")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Only the demo data calls this (and the seeded benchmark accounts are made exempt the same way).
pub async fn exempt_from_second_factor(tx: &mut Tx, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET second_factor_exempt = 1 WHERE id = ?").bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Ends every session of the account (they are bound to this number): after its second factor is set up
/// or reset.
pub async fn end_sessions(tx: &mut Tx, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET auth_epoch = auth_epoch + 1 WHERE id = ?").bind(id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn set_time_zone(tx: &mut Tx, id: i64, tz: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET time_zone = ?, updated_at = ? WHERE id = ?")
        .bind(tz)
        .bind(Utc::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Saves the language the account chose in the switch (the cookie carries it in this browser; this, to
/// the next one at sign-in).
pub async fn set_locale(tx: &mut Tx, id: i64, locale: crate::model::Locale) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET locale = ?, updated_at = ? WHERE id = ?")
        .bind(locale)
        .bind(Utc::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn unlock(tx: &mut Tx, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?")
        .bind(Utc::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Counts a failed sign-in; returns true when this failure locked the account.
pub async fn record_failure(tx: &mut Tx, id: i64, threshold: i64, lock_for: chrono::Duration) -> Result<bool, AppError> {
    let failures: i64 = sqlx::query_scalar("UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ? RETURNING failed_attempts")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    if failures >= threshold {
        metrics::counter!("account_lockouts_total").increment(1);
        sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = ? WHERE id = ?")
            .bind(Utc::now() + lock_for)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        return Ok(true);
    }
    Ok(false)
}

pub async fn record_success(tx: &mut Tx, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?").bind(id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn count(pool: &SqlitePool) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?)
}
