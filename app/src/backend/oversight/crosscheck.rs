//! Cross-check of an incoming request against the recipient's own records: other cases holding the same
//! indicators or the same persons, companies and vessels, and requests or responses that name them. Only
//! records the viewer may see are read (the need-to-know filter is in every query), and the request's own
//! case is left out.
//!
//! It runs once per viewer and version of what is looked for (the request's text, its case's indicators
//! and entities): viewing the request again answers the kept result without counting as an expensive read.
//! Kept at most `KEEP_MINUTES`, so records added elsewhere show within that time.

use crate::backend::exchange::indicators;
use crate::backend::exchange::policy::Visibility;
use crate::backend::exchange::requests::RequestRow;
use crate::backend::oversight::search::push_thread_visible;
use crate::error::AppError;
use crate::i18n::{LabelIn, Locale};
use crate::model::Role;
use crate::model::{CrossCheckView, CrossMatch, EntityKind, IndicatorKind, SessionUser};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use std::collections::BTreeSet;
use std::sync::Arc;

/// How long a result is kept before the next view runs the cross-check again.
pub const KEEP_MINUTES: i64 = 10;
/// Results kept (a few KB each at most: `PER_TERM` matches per term).
const KEPT_RESULTS: usize = 4096;

/// What is looked for: a typed indicator value, or an entity by folded name and/or identifier.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Term {
    Indicator(IndicatorKind, String),
    Entity { kind: EntityKind, name: String, key: String, identifier: String },
}

impl Term {
    /// "Person: SHARMA, Rajesh", "Domain: pay-now.example": the kind in the reader's language, the value as
    /// recorded.
    fn label(&self, l: Locale) -> String {
        match self {
            Term::Indicator(k, v) => format!("{}: {v}", k.label_in(l)),
            Term::Entity { kind, name, .. } => format!("{}: {name}", kind.label_in(l)),
        }
    }

    /// An FTS5 query for the term in free text. A name's words may come in any order, close together.
    fn fts(&self) -> Option<String> {
        let text = match self {
            Term::Indicator(_, v) => return Some(format!("\"{}\"", v.replace('"', ""))),
            Term::Entity { key, .. } => key,
        };
        let words: Vec<String> = text.split_whitespace().map(|w| format!("\"{w}\"")).collect();
        match words.len() {
            0 => None,
            1 => Some(words[0].clone()),
            n => Some(format!("NEAR({}, {})", words.join(" "), n + 2)),
        }
    }
}

/// Indicator-like values written in the request's text (addresses, domains, hashes, wallets).
pub fn indicators_in_text(text: &str) -> Vec<(IndicatorKind, String)> {
    let mut found = BTreeSet::new();
    for token in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '\'' | '<' | '>')) {
        let token = token.trim_end_matches(['.', ':', '!', '?']);
        if token.len() < 4 {
            continue;
        }
        if let Some(kind) = indicators::detect(token) {
            if let Ok(v) = indicators::normalise(kind, token) {
                // A URL's host is looked for as a domain too: records usually hold the domain.
                if kind == IndicatorKind::Url {
                    if let Some(host) = url::Url::parse(&v).ok().and_then(|u| u.host_str().map(str::to_string)) {
                        if let Ok(d) = indicators::normalise(IndicatorKind::Domain, &host) {
                            found.insert((IndicatorKind::Domain, d));
                        }
                    }
                }
                found.insert((kind, v));
            }
        }
    }
    found.into_iter().collect()
}

#[derive(sqlx::FromRow)]
struct Hit {
    case_id: i64,
    reference: String,
    title: String,
    /// Where it was found, as a code `found_as` words: indicator, entity_name, entity_identifier, request or
    /// response.
    how: String,
    /// The name it is recorded under, or the subject of the request that names it.
    named: Option<String>,
    /// The handling conditions of that request or response (" H1 H2"), or empty.
    codes: String,
}

impl Hit {
    /// "on the case as Rajesh Sharma", "named in request Account holders (conditions H1)", in `l`.
    fn found_as(&self, l: Locale) -> String {
        let named = self.named.clone().unwrap_or_default();
        let found = match self.how.as_str() {
            "entity_name" => tr!(l, "xcheck-found-entity", name = named),
            "entity_identifier" => tr!(l, "xcheck-found-identifier", name = named),
            "request" => tr!(l, "xcheck-found-request", subject = named),
            "response" => tr!(l, "xcheck-found-response", subject = named),
            _ => tr!(l, "xcheck-found-indicator"),
        };
        match self.codes.trim() {
            "" => found,
            codes => tr!(l, "xcheck-found-conditions", found = found, codes = codes.to_string()),
        }
    }
}

const PER_TERM: i64 = 10;

/// Kept results, keyed on everything they depend on: the viewer (and what they may see: agency and role),
/// the request, what is looked for, and the time window.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    viewer: i64,
    agency: i64,
    role: Role,
    request: i64,
    terms: BTreeSet<Term>,
    window: i64,
    /// The words of a result are in its reader's language.
    locale: Locale,
}

pub struct Kept {
    results: quick_cache::sync::Cache<Key, Arc<CrossCheckView>>,
}

impl Default for Kept {
    fn default() -> Self {
        Kept { results: quick_cache::sync::Cache::new(KEPT_RESULTS) }
    }
}

/// The cross-check of `request` for `viewer`: the kept result when what is looked for has not changed, else
/// a new run, which first spends one of the viewer's expensive reads (`allowance`). Answers whether it ran.
pub async fn kept_or_run(
    kept: &Kept,
    pool: &SqlitePool,
    viewer: &SessionUser,
    vis: Visibility,
    request: &RequestRow,
    l: Locale,
    allowance: impl FnOnce() -> Result<(), AppError>,
) -> Result<(Arc<CrossCheckView>, bool), AppError> {
    let terms = terms(pool, viewer, request).await?;
    // Each viewer's window starts at their own second, so expiries are spread out.
    let window = (chrono::Utc::now().timestamp() + viewer.id.rem_euclid(60)).div_euclid(KEEP_MINUTES * 60);
    let key = Key { viewer: viewer.id, agency: viewer.agency_id, role: viewer.role, request: request.id, terms, window, locale: l };
    if let Some(result) = kept.results.get(&key) {
        return Ok((result, false));
    }
    allowance()?;
    let result = Arc::new(run(pool, viewer, vis, request, &key.terms, l).await?);
    kept.results.insert(key, result.clone());
    Ok((result, true))
}

/// What is looked for: the case's indicators the viewer may see, indicators written in the request, and
/// the case's persons, companies and vessels.
async fn terms(pool: &SqlitePool, viewer: &SessionUser, request: &RequestRow) -> Result<BTreeSet<Term>, AppError> {
    let case_id = request.case_id;
    let mut terms = BTreeSet::new();
    // Only the case's indicators the viewer may see are looked for: a match would name the value.
    let mut q = QueryBuilder::new("SELECT i.kind, i.value FROM indicators i WHERE i.case_id = ");
    q.push_bind(case_id);
    crate::backend::exchange::policy::push_indicator_visible(&mut q, viewer, "i");
    let case_indicators: Vec<(String, String)> = q.build_query_as().fetch_all(pool).await?;
    for (kind, value) in case_indicators {
        terms.insert(Term::Indicator(crate::backend::platform::db::parse(&kind)?, value));
    }
    for (kind, value) in indicators_in_text(&format!("{}\n{}", request.subject, request.body)) {
        terms.insert(Term::Indicator(kind, value));
    }
    let entities: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT kind, name, name_key, identifier_key FROM entities WHERE case_id = ?").bind(case_id).fetch_all(pool).await?;
    for (kind, name, key, identifier) in entities {
        terms.insert(Term::Entity { kind: crate::backend::platform::db::parse(&kind)?, name, key, identifier });
    }
    Ok(terms)
}

async fn run(
    pool: &SqlitePool,
    viewer: &SessionUser,
    vis: Visibility,
    request: &RequestRow,
    terms: &BTreeSet<Term>,
    l: Locale,
) -> Result<CrossCheckView, AppError> {
    let case_id = request.case_id;

    let mut matches = Vec::new();
    for term in terms {
        // Records of the same thing on other cases.
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("");
        match term {
            Term::Indicator(kind, value) => {
                q.push(
                    "SELECT c.id AS case_id, c.reference, c.title, 'indicator' AS how, NULL AS named, '' AS codes \
                     FROM indicators i JOIN cases c ON c.id = i.case_id WHERE i.value = ",
                )
                .push_bind(value.clone())
                .push(" AND i.kind = ")
                .push_bind(kind.as_str());
                q.push(" AND i.case_id != ").push_bind(case_id);
                crate::backend::exchange::policy::push_indicator_visible(&mut q, viewer, "i");
            }
            Term::Entity { kind, key, identifier, .. } => {
                q.push("SELECT c.id AS case_id, c.reference, c.title, ");
                q.push("CASE WHEN e.name_key = ").push_bind(key.clone());
                q.push(" THEN 'entity_name' ELSE 'entity_identifier' END AS how, e.name AS named, '' AS codes ");
                q.push("FROM entities e JOIN cases c ON c.id = e.case_id WHERE e.kind = ").push_bind(kind.as_str());
                q.push(" AND (e.name_key = ").push_bind(key.clone());
                if !identifier.is_empty() {
                    q.push(" OR e.identifier_key = ").push_bind(identifier.clone());
                }
                q.push(") AND e.case_id != ").push_bind(case_id);
            }
        }
        vis.push_sql(&mut q, "c.id");
        q.push(" ORDER BY c.id DESC LIMIT ").push_bind(PER_TERM);
        let mut hits: Vec<Hit> = q.build_query_as().fetch_all(pool).await?;

        // Requests and responses on other cases that name it in their text.
        if let Some(fts) = term.fts() {
            // The record's handling conditions go with it: information found again is still under them.
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
                "SELECT c.id AS case_id, c.reference, c.title, s.kind AS how, \
                 CASE s.kind WHEN 'request' THEN (SELECT subject FROM requests WHERE id = s.object_id) \
                 ELSE (SELECT rq.subject FROM responses rs JOIN requests rq ON rq.id = rs.request_id WHERE rs.id = s.object_id) END AS named, \
                 CASE s.kind WHEN 'request' THEN {} ELSE {} END AS codes \
                 FROM search_index s JOIN cases c ON c.id = s.case_id WHERE search_index MATCH ",
                conditions_codes("requests"),
                conditions_codes("responses")
            ));
            q.push_bind(fts);
            q.push(" AND s.kind IN ('request', 'response') AND s.case_id != ").push_bind(case_id);
            vis.push_sql(&mut q, "c.id");
            push_thread_visible(&mut q, viewer);
            q.push(" LIMIT ").push_bind(PER_TERM);
            hits.extend(q.build_query_as::<Hit>().fetch_all(pool).await?);
        }
        matches.extend(hits.into_iter().map(|h| CrossMatch {
            matched: term.label(l),
            found_as: h.found_as(l),
            case_id: h.case_id,
            link: format!("/cases/{}", h.case_id),
            case_reference: h.reference,
            case_title: h.title,
        }));
    }
    matches.sort_by(|a, b| (&a.matched, &a.case_reference, &a.found_as).cmp(&(&b.matched, &b.case_reference, &b.found_as)));
    matches.dedup();
    Ok(CrossCheckView { looked_for: terms.iter().map(|t| t.label(l)).collect(), matches })
}

/// SQL for the handling conditions (" H1 H2") of a record of `table` (requests or responses) whose id is
/// `s.object_id`, or "" when it carries none.
fn conditions_codes(table: &str) -> String {
    format!(
        "COALESCE((SELECT CASE WHEN h0 THEN ' H0' ELSE '' END || CASE WHEN h1 THEN ' H1' ELSE '' END \
         || CASE WHEN h2 THEN ' H2' ELSE '' END || CASE WHEN h3 IS NOT NULL THEN ' H3' ELSE '' END FROM {table} WHERE id = s.object_id), '')"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_indicators_written_in_a_request() {
        let found = indicators_in_text("Who controls 198.51.100.23 and hxxps://pay-now[.]example/x? Wallet (bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq). Thanks, e.g. soon.");
        assert!(found.contains(&(IndicatorKind::Ipv4, "198.51.100.23".into())));
        assert!(found.contains(&(IndicatorKind::Url, "https://pay-now.example/x".into())));
        assert!(found.contains(&(IndicatorKind::CryptoWallet, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq".into())));
        assert!(found.contains(&(IndicatorKind::Domain, "pay-now.example".into())), "the URL's host as a domain");
        assert_eq!(found.len(), 4, "{found:?}");
    }

    #[test]
    fn names_match_in_any_word_order() {
        let t = Term::Entity {
            kind: EntityKind::Person,
            name: "SHARMA, Rajesh".into(),
            key: "rajesh sharma".into(),
            identifier: String::new(),
        };
        assert_eq!(t.fts().as_deref(), Some("NEAR(\"rajesh\" \"sharma\", 4)"));
        assert_eq!(Term::Indicator(IndicatorKind::Ipv4, "203.0.113.7".into()).fts().as_deref(), Some("\"203.0.113.7\""));
    }
}
