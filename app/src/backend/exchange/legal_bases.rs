//! The legal bases a request may rest on: one list per country, kept by that country's admins. A request
//! names one from its sender's country's list; a basis is retired, never deleted, so old requests keep it.

use crate::backend::platform::db::Tx;
use crate::error::AppError;
use crate::model::{Country, LegalBasisForm, LegalBasisView};
use chrono::Utc;
use sqlx::SqliteConnection;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    code: String,
    label: String,
    formal_mla: bool,
    retired: bool,
}

impl From<Row> for LegalBasisView {
    fn from(r: Row) -> Self {
        LegalBasisView { id: r.id, code: r.code, label: r.label, formal_mla: r.formal_mla, retired: r.retired }
    }
}

const SELECT: &str = "SELECT id, code, label, formal_mla, retired_at IS NOT NULL AS retired FROM legal_bases";

/// A country's list: current ones first (as the request form offers them), then retired ones.
pub async fn of_country(conn: &mut SqliteConnection, country: Country, with_retired: bool) -> Result<Vec<LegalBasisView>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE country = ? AND (? OR retired_at IS NULL) ORDER BY retired_at IS NOT NULL, formal_mla DESC, id"
    ))
    .bind(country.as_str())
    .bind(with_retired)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The current basis of `country` with this code, or the field's message for the request form.
pub async fn current(conn: &mut SqliteConnection, country: Country, code: &str) -> Result<LegalBasisView, AppError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE country = ? AND code = ? AND retired_at IS NULL"))
        .bind(country.as_str())
        .bind(code)
        .fetch_optional(conn)
        .await?;
    row.map(Into::into).ok_or_else(|| AppError::field("legal_basis", tr!(crate::i18n::reader(), "err-choose-legal-basis-request-from")))
}

pub async fn by_id(conn: &mut SqliteConnection, id: i64) -> Result<Option<LegalBasisView>, AppError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE id = ?")).bind(id).fetch_optional(conn).await?;
    Ok(row.map(Into::into))
}

/// A new basis as the admin's form gives it: a short code (lower-case letters, digits, `_`) and a label.
#[derive(Debug)]
pub struct NewBasis {
    pub code: String,
    pub label: String,
    pub formal_mla: bool,
}

impl NewBasis {
    pub fn parse(form: &LegalBasisForm) -> Result<Self, AppError> {
        let mut p = crate::error::Problems::default();
        let code = form.code.trim().to_lowercase();
        let good_code = (2..=40).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        p.check(good_code, "code", tr!(crate::i18n::reader(), "err-give-short-code-2-40"));
        let label = crate::i18n::plain_line(&form.label);
        p.check((3..=200).contains(&label.chars().count()), "label", tr!(crate::i18n::reader(), "err-give-name-3-200-characters"));
        let formal_mla = matches!(form.formal_mla.as_str(), "true" | "on" | "yes");
        p.finish(Some(NewBasis { code, label, formal_mla }))
    }
}

pub async fn add(tx: &mut Tx, country: Country, basis: &NewBasis) -> Result<i64, AppError> {
    let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM legal_bases WHERE country = ? AND code = ?)")
        .bind(country.as_str())
        .bind(&basis.code)
        .fetch_one(&mut **tx)
        .await?;
    if taken {
        return Err(AppError::field("code", tr!(crate::i18n::reader(), "err-country-s-list-already-has")));
    }
    Ok(sqlx::query_scalar("INSERT INTO legal_bases (country, code, label, formal_mla, created_at) VALUES (?,?,?,?,?) RETURNING id")
        .bind(country.as_str())
        .bind(&basis.code)
        .bind(&basis.label)
        .bind(basis.formal_mla)
        .bind(Utc::now())
        .fetch_one(&mut **tx)
        .await?)
}

/// Retires a basis of `country` (requests made under it keep it); NotFound for another country's.
pub async fn retire(tx: &mut Tx, country: Country, id: i64) -> Result<String, AppError> {
    let code: Option<String> =
        sqlx::query_scalar("UPDATE legal_bases SET retired_at = ? WHERE id = ? AND country = ? AND retired_at IS NULL RETURNING code")
            .bind(Utc::now())
            .bind(id)
            .bind(country.as_str())
            .fetch_optional(&mut **tx)
            .await?;
    code.ok_or(AppError::NotFound)
}
