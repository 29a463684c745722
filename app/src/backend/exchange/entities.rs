//! Named entities on a case (persons, companies, vessels): stored with a folded name key so that the
//! same name written another way ("SHARMA, Rajesh", "Rajesh Sharma", "Rajésh  sharma") is one match.

use crate::backend::platform::db::Tx;
use crate::error::AppError;
use crate::model::{EntityForm, EntityKind, EntityView, SessionUser};
use chrono::Utc;
use sqlx::SqliteConnection;
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Words that say what a company is, not which one: "Acme Shipping Ltd" is "Acme Shipping Limited".
const COMPANY_FORMS: &[&str] =
    &["ltd", "limited", "llc", "inc", "incorporated", "corp", "corporation", "co", "pvt", "private", "plc", "gmbh", "llp"];

/// The matching key of a name: accents and punctuation dropped, lower case, words sorted (word order
/// differs between countries' registers), and legal forms dropped for companies.
pub fn name_key(kind: EntityKind, name: &str) -> String {
    let folded: String = name
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' })
        .collect();
    let mut words: Vec<&str> = folded
        .split_whitespace()
        .filter(|w| kind != EntityKind::Company || !COMPANY_FORMS.contains(w))
        .filter(|w| kind != EntityKind::Vessel || !matches!(*w, "mv" | "mt" | "ms" | "ss"))
        .collect();
    words.sort_unstable();
    words.dedup();
    words.join(" ")
}

/// An identifier compared as written without spaces, dashes or case: "IMO 9321483" = "imo9321483".
pub fn identifier_key(identifier: &str) -> String {
    identifier.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

pub struct NewEntity {
    pub kind: EntityKind,
    pub name: String,
    pub identifier: String,
    pub note: String,
}

impl NewEntity {
    /// Parses and checks the entity form; every problem is reported at once.
    pub fn parse(form: &EntityForm) -> Result<Self, AppError> {
        let mut p = crate::error::Problems::default();
        let kind = p.parsed(&form.kind, "kind", tr!(crate::i18n::reader(), "err-choose-person-company-vessel"));
        let (name, identifier, note) = (form.name.trim(), form.identifier.trim(), form.note.trim());
        p.check(!name.is_empty(), "name", tr!(crate::i18n::reader(), "err-enter-name"));
        p.check(name.chars().count() <= 200, "name", tr!(crate::i18n::reader(), "err-keep-name-200-characters"));
        p.check(identifier.chars().count() <= 100, "identifier", tr!(crate::i18n::reader(), "err-keep-identifier-100-characters"));
        p.check(note.chars().count() <= 1000, "note", tr!(crate::i18n::reader(), "err-keep-note-1-000-characters"));
        let input = kind.map(|kind| NewEntity { kind, name: name.into(), identifier: identifier.into(), note: note.into() });
        p.finish(input)
    }
}

/// Adds one entity; the same entity twice on a case is refused with the field's message.
pub async fn insert(tx: &mut Tx, case_id: i64, user: &SessionUser, n: &NewEntity) -> Result<i64, AppError> {
    let key = name_key(n.kind, &n.name);
    if key.is_empty() {
        return Err(AppError::field("name", tr!(crate::i18n::reader(), "err-enter-name-least-letter-digit")));
    }
    let id_key = identifier_key(&n.identifier);
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM entities WHERE case_id = ? AND kind = ? AND name_key = ? AND identifier_key = ?")
            .bind(case_id)
            .bind(n.kind.as_str())
            .bind(&key)
            .bind(&id_key)
            .fetch_optional(&mut **tx)
            .await?;
    if exists.is_some() {
        return Err(AppError::field("name", format!("{} is already on this case.", n.name.trim())));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO entities (case_id, kind, name, name_key, identifier, identifier_key, note, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
    )
    .bind(case_id)
    .bind(n.kind.as_str())
    .bind(n.name.trim())
    .bind(&key)
    .bind(n.identifier.trim())
    .bind(&id_key)
    .bind(n.note.trim())
    .bind(user.id)
    .bind(Utc::now())
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn for_case(conn: &mut SqliteConnection, case_id: i64) -> Result<Vec<EntityView>, AppError> {
    let rows: Vec<(i64, String, String, String, String)> =
        sqlx::query_as("SELECT id, kind, name, identifier, note FROM entities WHERE case_id = ? ORDER BY kind, name_key")
            .bind(case_id)
            .fetch_all(conn)
            .await?;
    rows.into_iter()
        .map(|(id, kind, name, identifier, note)| {
            Ok(EntityView { id, kind: crate::backend::platform::db::parse(&kind)?, name, identifier, note })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::*;

    #[test]
    fn the_same_name_written_differently_is_one_key() {
        assert_eq!(name_key(Person, "SHARMA, Rajesh"), name_key(Person, "Rajesh  Sharma"));
        assert_eq!(name_key(Person, "Rajésh Sharma"), "rajesh sharma");
        assert_ne!(name_key(Person, "Rajesh Sharma"), name_key(Person, "Rakesh Sharma"));
        assert_eq!(name_key(Company, "Northern Lights Trading Pvt. Ltd."), name_key(Company, "northern lights trading"));
        assert_eq!(name_key(Vessel, "MV Sea Falcon"), name_key(Vessel, "SEA FALCON"));
        assert_eq!(name_key(Person, " ,. "), "");
        assert_eq!(identifier_key("IMO 932-1483"), "imo9321483");
    }
}
