//! Full-text search (SQLite FTS5) over cases, requests, responses and indicators. The need-to-know filter
//! is part of the SQL, so a result the user may not see is never even read.

use crate::backend::exchange::policy::Visibility;
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
    // Combining marks belong to their word: Devanagari's vowel signs and virama (as the index's tokenizer has
    // it, migrations/0022) — "शर्मा" is one word, not "शर" and "म".
    let is_word_char =
        |c: char| c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) || matches!(c, '.' | '@' | '-' | '_' | ':');
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

/// Adds `AND the index row s, if a request or a response, belongs to a thread that exists for the viewer`
/// (`policy::push_request_exists_for`: its two ends and the case's owner; unsent, its sender only).
pub fn push_thread_visible(q: &mut QueryBuilder<'_, Sqlite>, viewer: &SessionUser) {
    q.push(
        " AND (s.kind NOT IN ('request', 'response') OR EXISTS (SELECT 1 FROM requests r WHERE r.id = \
         CASE s.kind WHEN 'request' THEN s.object_id ELSE (SELECT request_id FROM responses WHERE id = s.object_id) END",
    );
    crate::backend::exchange::policy::push_request_exists_for(q, viewer);
    q.push("))");
}

/// Rowid ranges of the search index (see migrations/0011_search_by_kind.sql), in the order shown, and
/// how to reach each kind's own row from the rowid (`s.rowid - range start` is the object id), with the
/// expression for its case. The walk over candidates reads only rowids: reading a column of the index
/// (its case id, say) would fetch the whole indexed text of every match, the skipped ones included.
struct Kind {
    name: &'static str,
    code: i64,
    /// Joins the object's row as `o` (and, for requests and responses, the request as `r`).
    join: &'static str,
    case_id: &'static str,
    /// Requests and responses: only the threads that exist for the viewer.
    thread_filter: bool,
}

const KINDS: [Kind; 5] = [
    Kind { name: "case", code: 1, join: "cases o ON o.id = s.rowid - (1 << 40)", case_id: "o.id", thread_filter: false },
    Kind { name: "request", code: 2, join: "requests r ON r.id = s.rowid - (2 << 40)", case_id: "r.case_id", thread_filter: true },
    Kind {
        name: "response",
        code: 3,
        join: "responses o ON o.id = s.rowid - (3 << 40) CROSS JOIN requests r ON r.id = o.request_id",
        case_id: "r.case_id",
        thread_filter: true,
    },
    Kind { name: "indicator", code: 4, join: "indicators o ON o.id = s.rowid - (4 << 40)", case_id: "o.case_id", thread_filter: false },
    Kind { name: "entity", code: 5, join: "entities o ON o.id = s.rowid - (5 << 40)", case_id: "o.case_id", thread_filter: false },
];

/// Per kind, at most this many of the newest matches the user may see are looked at. Fewer (a rare word)
/// are ranked by relevance; as many (a common word) are listed newest first and the page says so: bm25
/// counts every row holding the word for its weight, which for a word in most rows cost more than the
/// rest of the search together and told the rows apart by little.
const CANDIDATES: usize = 200;
const SHOWN: usize = 20;

#[derive(sqlx::FromRow)]
struct Row {
    object_id: i64,
    case_id: i64,
    reference: String,
    title: String,
    snippet: String,
    request_id: Option<i64>,
}

pub async fn search(pool: &SqlitePool, viewer: &SessionUser, vis: Visibility, input: &str) -> Result<SearchResults, AppError> {
    let Some(query) = fts_query(input) else {
        return Ok(SearchResults { query: input.to_string(), hits: vec![], capped: vec![] });
    };
    let mut hits = Vec::new();
    let mut capped = Vec::new();
    for Kind { name: kind, code, join, case_id, thread_filter } in KINDS {
        // Newest first: FTS5 walks the kind's rowid range backwards and stops at the limit. The CROSS
        // JOIN keeps that order (left to itself the planner may walk every match of the word).
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("SELECT s.rowid FROM search_index s CROSS JOIN {join} WHERE search_index MATCH "));
        q.push_bind(query.clone());
        q.push(" AND s.rowid > ").push_bind(code << 40).push(" AND s.rowid < ").push_bind((code + 1) << 40);
        vis.push_sql(&mut q, case_id);
        if thread_filter {
            crate::backend::exchange::policy::push_request_exists_for(&mut q, viewer);
        }
        if kind == "indicator" {
            crate::backend::exchange::policy::push_indicator_visible(&mut q, viewer, "o");
        }
        q.push(" ORDER BY s.rowid DESC LIMIT ").push_bind(CANDIDATES as i64);
        let candidates: Vec<i64> = q.build_query_scalar().fetch_all(pool).await?;
        if candidates.is_empty() {
            continue;
        }
        let shown: Vec<i64> = if candidates.len() >= CANDIDATES {
            capped.push(kind.to_string());
            candidates.into_iter().take(SHOWN).collect()
        } else {
            sqlx::query_scalar(
                "SELECT rowid FROM search_index WHERE search_index MATCH ? AND rowid IN (SELECT value FROM json_each(?)) \
                 ORDER BY bm25(search_index) LIMIT ?",
            )
            .bind(&query)
            .bind(serde_json::to_string(&candidates).map_err(|_| AppError::Internal)?)
            .bind(SHOWN as i64)
            .fetch_all(pool)
            .await?
        };
        // The snippet re-reads the whole text, so only for what is shown.
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "WITH top AS (SELECT CAST(value AS INTEGER) AS rid, key AS pos FROM json_each(?1)) \
             SELECT CAST(s.object_id AS INTEGER) AS object_id, CAST(s.case_id AS INTEGER) AS case_id, c.reference, \
               CASE s.kind WHEN 'case' THEN c.title \
                    WHEN 'response' THEN (SELECT rq.subject FROM responses rs JOIN requests rq ON rq.id = rs.request_id WHERE rs.id = s.object_id) \
                    ELSE s.title END AS title, \
               snippet(search_index, -1, '{MARK_START}', '{MARK_END}', '…', 16) AS snippet, \
               CASE s.kind WHEN 'response' THEN (SELECT request_id FROM responses WHERE id = s.object_id) END AS request_id \
             FROM top CROSS JOIN search_index s ON s.rowid = top.rid CROSS JOIN cases c ON c.id = s.case_id \
             WHERE search_index MATCH ?2 ORDER BY top.pos"
        ))
        .bind(serde_json::to_string(&shown).map_err(|_| AppError::Internal)?)
        .bind(&query)
        .fetch_all(pool)
        .await?;
        hits.extend(rows.into_iter().map(|r| {
            let link = match (kind, r.request_id) {
                ("request", _) => format!("/requests/{}", r.object_id),
                ("response", Some(request_id)) => format!("/requests/{request_id}"),
                _ => format!("/cases/{}", r.case_id),
            };
            SearchHit {
                kind: kind.to_string(),
                object_id: r.object_id,
                case_id: r.case_id,
                case_reference: r.reference,
                title: r.title,
                snippet: r.snippet,
                link,
            }
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

    #[test]
    fn devanagari_words_stay_whole() {
        assert_eq!(fts_query("राजेश शर्मा").as_deref(), Some("\"राजेश\" \"शर्मा\""));
        assert_eq!(fts_query("श्री*").as_deref(), Some("\"श्री\"*"));
    }
}
