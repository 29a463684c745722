//! Agencies: each belongs to one country; every user belongs to one agency.

use crate::backend::platform::db::Tx;
use crate::error::{AppError, Problems};
use crate::model::{AgencyView, Country};
use chrono::Utc;
use sqlx::SqlitePool;

#[derive(sqlx::FromRow)]
struct AgencyRow {
    id: i64,
    code: String,
    name: String,
    country: Country,
    user_count: i64,
}

impl From<AgencyRow> for AgencyView {
    fn from(r: AgencyRow) -> Self {
        AgencyView { id: r.id, code: r.code, name: r.name, country: r.country, user_count: r.user_count }
    }
}

const SELECT: &str = "SELECT a.id, a.code, a.name, a.country, \
     (SELECT COUNT(*) FROM users u WHERE u.agency_id = a.id) AS user_count FROM agencies a";

pub async fn list(pool: &SqlitePool) -> Result<Vec<AgencyView>, AppError> {
    let rows: Vec<AgencyRow> = sqlx::query_as(&format!("{SELECT} ORDER BY a.country DESC, a.code")).fetch_all(pool).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn find_by_code(tx: &mut Tx, code: &str) -> Result<Option<AgencyView>, AppError> {
    let row: Option<AgencyRow> = sqlx::query_as(&format!("{SELECT} WHERE a.code = ?")).bind(code.trim()).fetch_optional(&mut **tx).await?;
    Ok(row.map(Into::into))
}

pub fn validate(code: &str, name: &str, country: &str) -> Result<(String, String, Country), AppError> {
    let code = code.trim().to_uppercase();
    let name = name.trim().to_string();
    let mut p = Problems::default();
    p.check(
        (2..=16).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "code",
        tr!(crate::i18n::reader(), "err-use-2-16-letters-digits"),
    );
    p.check((2..=120).contains(&name.chars().count()), "name", tr!(crate::i18n::reader(), "err-enter-agency-s-full-name"));
    let parsed = country.parse::<Country>();
    p.check(parsed.is_ok(), "country", tr!(crate::i18n::reader(), "err-choose-india-canada"));
    p.into_result()?;
    Ok((code, name, parsed.expect("checked above")))
}

pub async fn insert(tx: &mut Tx, code: &str, name: &str, country: Country) -> Result<AgencyView, AppError> {
    if find_by_code(tx, code).await?.is_some() {
        return Err(AppError::field("code", tr!(crate::i18n::reader(), "err-agency-code-already-exists", code = code.to_string())));
    }
    let id: i64 = sqlx::query_scalar("INSERT INTO agencies (code, name, country, created_at) VALUES (?,?,?,?) RETURNING id")
        .bind(code)
        .bind(name)
        .bind(country.as_str())
        .bind(Utc::now())
        .fetch_one(&mut **tx)
        .await?;
    Ok(AgencyView { id, code: code.into(), name: name.into(), country, user_count: 0 })
}
