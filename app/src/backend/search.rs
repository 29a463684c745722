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

/// Turns what the user typed into a safe FTS5 query: every word quoted and required, matched whole
/// unless the user ended it with `*` (then as a beginning). Operators and quotes the user typed are
/// treated as text, never as query syntax.
pub fn fts_query(input: &str) -> Option<String> {
    let is_word_char = |c: char| c.is_alphanumeric() || matches!(c, '.' | '@' | '-' | '_' | ':');
    let mut words = Vec::new();
    let mut rest = input;
    while words.len() < 12 {
        let Some(start) = rest.find(is_word_char) else { break };
        let tail = &rest[start..];
        let end = tail.find(|c: char| !is_word_char(c)).unwrap_or(tail.len());
        let prefix = tail[end..].starts_with('*');
        words.push(format!("\"{}\"{}", &tail[..end], if prefix { "*" } else { "" }));
        rest = &tail[end..];
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// Adds `AND the index row s is not someone else's unsent request`: unsent requests exist only for the
/// sending side.
pub fn push_sent_or_own(q: &mut QueryBuilder<'_, Sqlite>, viewer: &SessionUser) {
    q.push(" AND (s.kind != 'request' OR EXISTS (SELECT 1 FROM requests r JOIN agencies fa ON fa.id = r.from_agency_id WHERE r.id = s.object_id");
    super::requests::push_unsent_filter(q, viewer);
    q.push("))");
}

/// Rowid ranges of the search index (see migrations/0011_search_by_kind.sql), in the order shown.
const KINDS: [(&str, i64); 5] = [("case", 1), ("request", 2), ("response", 3), ("indicator", 4), ("entity", 5)];
/// Per kind, the newest matches the user may see are ranked by relevance; a common word's older
/// matches are left out (the page says so) rather than ranking every match on each search.
const CANDIDATES: i64 = 200;
const SHOWN: i64 = 20;

#[derive(sqlx::FromRow)]
struct Row {
    object_id: i64,
    case_id: i64,
    reference: String,
    title: String,
    snippet: String,
    request_id: Option<i64>,
    candidates: i64,
}

pub async fn search(pool: &SqlitePool, viewer: &SessionUser, vis: Visibility, input: &str) -> Result<SearchResults, AppError> {
    let Some(query) = fts_query(input) else {
        return Ok(SearchResults { query: input.to_string(), hits: vec![], capped: vec![] });
    };
    let mut hits = Vec::new();
    let mut capped = Vec::new();
    for (kind, code) in KINDS {
        // Candidates newest first (FTS5 walks the kind's rowid range backwards and stops at the limit),
        // the best of them by bm25, and only for those the snippet, which re-reads the whole text. The
        // CROSS JOINs keep that order: left to itself the planner may walk every match of the word.
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "WITH cand AS (SELECT s.rowid AS rid, CAST(s.object_id AS INTEGER) AS object_id, CAST(s.case_id AS INTEGER) AS case_id, \
                                  s.title, bm25(search_index) AS score \
                           FROM search_index s CROSS JOIN cases c ON c.id = s.case_id WHERE search_index MATCH ",
        );
        q.push_bind(query.clone());
        q.push(" AND s.rowid > ").push_bind(code << 40).push(" AND s.rowid < ").push_bind((code + 1) << 40);
        push_visible(&mut q, vis, "c.id");
        push_sent_or_own(&mut q, viewer);
        q.push(" ORDER BY s.rowid DESC LIMIT ").push_bind(CANDIDATES);
        q.push("), top AS (SELECT *, COUNT(*) OVER () AS candidates FROM cand ORDER BY score LIMIT ").push_bind(SHOWN);
        q.push(format!(
            ") SELECT top.object_id, top.case_id, c.reference, \
                 CASE s.kind WHEN 'case' THEN c.title \
                      WHEN 'response' THEN (SELECT rq.subject FROM responses rs JOIN requests rq ON rq.id = rs.request_id WHERE rs.id = top.object_id) \
                      ELSE top.title END AS title, \
                 snippet(search_index, -1, '{MARK_START}', '{MARK_END}', '…', 16) AS snippet, \
                 CASE s.kind WHEN 'response' THEN (SELECT request_id FROM responses WHERE id = top.object_id) END AS request_id, \
                 top.candidates \
               FROM top CROSS JOIN search_index s ON s.rowid = top.rid CROSS JOIN cases c ON c.id = top.case_id WHERE search_index MATCH "
        ));
        q.push_bind(query.clone());
        q.push(" ORDER BY top.score");
        let rows: Vec<Row> = q.build_query_as().fetch_all(pool).await?;
        if rows.first().is_some_and(|r| r.candidates >= CANDIDATES) {
            capped.push(kind.to_string());
        }
        hits.extend(rows.into_iter().map(|r| {
            let link = match (kind, r.request_id) {
                ("request", _) => format!("/requests/{}", r.object_id),
                ("response", Some(request_id)) => format!("/requests/{request_id}"),
                _ => format!("/cases/{}", r.case_id),
            };
            SearchHit { kind: kind.to_string(), object_id: r.object_id, case_id: r.case_id, case_reference: r.reference, title: r.title, snippet: r.snippet, link }
        }));
    }
    Ok(SearchResults { query: input.to_string(), hits, capped })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_never_becomes_query_syntax() {
        assert_eq!(fts_query("fentanyl port").as_deref(), Some("\"fentanyl\" \"port\""));
        assert_eq!(fts_query("\"OR\" NEAR( x").as_deref(), Some("\"OR\" \"NEAR\" \"x\""));
        assert_eq!(fts_query("198.51.100.23").as_deref(), Some("\"198.51.100.23\""));
        assert_eq!(fts_query("tramad* port").as_deref(), Some("\"tramad\"* \"port\""), "a trailing * asks for words beginning so");
        assert_eq!(fts_query("a*b").as_deref(), Some("\"a\"* \"b\""));
        assert_eq!(fts_query("  ()  "), None);
    }
}
