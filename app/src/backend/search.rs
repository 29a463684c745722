//! Full-text search (SQLite FTS5) over cases, requests, responses and indicators. The need-to-know filter
//! is part of the SQL, so a result the user may not see is never even read.

use super::cases::push_visible;
use super::policy::Visibility;
use crate::error::AppError;
use crate::model::{SearchHit, SearchResults, SessionUser};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

/// Highlight markers: characters no one types, turned into <mark> by the view (never inner_html).
pub const MARK_START: char = '\u{E000}';
pub const MARK_END: char = '\u{E001}';

/// Turns what the user typed into a safe FTS5 query: every word quoted, the last one as a prefix, all
/// required. Operators and quotes the user typed are treated as text, never as query syntax.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric() && c != '.' && c != '@' && c != '-' && c != '_' && c != ':')
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect();
    if words.is_empty() {
        return None;
    }
    let mut q = words.join(" ");
    q.push('*');
    Some(q)
}

/// Adds `AND the index row s is not someone else's unsent request`: unsent requests exist only for the
/// sending side.
pub fn push_sent_or_own(q: &mut QueryBuilder<'_, Sqlite>, viewer: &SessionUser) {
    q.push(" AND (s.kind != 'request' OR EXISTS (SELECT 1 FROM requests r JOIN agencies fa ON fa.id = r.from_agency_id WHERE r.id = s.object_id");
    super::requests::push_unsent_filter(q, viewer);
    q.push("))");
}

#[derive(sqlx::FromRow)]
struct Row {
    kind: String,
    object_id: i64,
    case_id: i64,
    reference: String,
    title: String,
    snippet: String,
}

pub async fn search(pool: &SqlitePool, viewer: &SessionUser, vis: Visibility, input: &str) -> Result<SearchResults, AppError> {
    let Some(query) = fts_query(input) else {
        return Ok(SearchResults { query: input.to_string(), hits: vec![] });
    };
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
        "SELECT s.kind, CAST(s.object_id AS INTEGER) AS object_id, CAST(s.case_id AS INTEGER) AS case_id, c.reference, \
         CASE s.kind WHEN 'case' THEN c.title WHEN 'request' THEN s.title WHEN 'indicator' THEN s.title WHEN 'entity' THEN s.title \
              ELSE (SELECT rq.subject FROM responses rs JOIN requests rq ON rq.id = rs.request_id WHERE rs.id = s.object_id) END AS title, \
         snippet(search_index, -1, '{MARK_START}', '{MARK_END}', '…', 16) AS snippet \
         FROM search_index s JOIN cases c ON c.id = s.case_id WHERE search_index MATCH "
    ));
    q.push_bind(query);
    push_visible(&mut q, vis, "c.id");
    push_sent_or_own(&mut q, viewer);
    q.push(" ORDER BY rank LIMIT 60");
    let rows: Vec<Row> = q.build_query_as().fetch_all(pool).await?;
    let hits = rows
        .into_iter()
        .map(|r| {
            let link = match r.kind.as_str() {
                "request" => format!("/requests/{}", r.object_id),
                "response" => String::new(),
                _ => format!("/cases/{}", r.case_id),
            };
            SearchHit { kind: r.kind, object_id: r.object_id, case_id: r.case_id, case_reference: r.reference, title: r.title, snippet: r.snippet, link }
        })
        .collect::<Vec<_>>();
    // A response links to its request page.
    let mut out = Vec::with_capacity(hits.len());
    for mut h in hits {
        if h.kind == "response" {
            let rid: Option<i64> = sqlx::query_scalar("SELECT request_id FROM responses WHERE id = ?").bind(h.object_id).fetch_optional(pool).await?;
            h.link = rid.map(|r| format!("/requests/{r}")).unwrap_or_else(|| format!("/cases/{}", h.case_id));
        }
        out.push(h);
    }
    Ok(SearchResults { query: input.to_string(), hits: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_never_becomes_query_syntax() {
        assert_eq!(fts_query("fentanyl port").as_deref(), Some("\"fentanyl\" \"port\"*"));
        assert_eq!(fts_query("\"OR\" NEAR( x").as_deref(), Some("\"OR\" \"NEAR\" \"x\"*"));
        assert_eq!(fts_query("198.51.100.23").as_deref(), Some("\"198.51.100.23\"*"));
        assert_eq!(fts_query("  ()  "), None);
    }
}
