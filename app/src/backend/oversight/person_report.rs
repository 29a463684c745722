//! The person-centred report for a data-protection request: every record naming a person across the
//! cases the supervisor's country may see (persons named on cases, requests and responses that name them),
//! whichever order the name is written in, with where each came from and the conditions it carries. Found
//! through the search index, so its need-to-know filter is the search's; the search's limits apply (the
//! newest matches of each kind, when a name is very common).

use crate::backend::exchange::policy::Visibility;
use crate::backend::oversight::search;
use crate::error::AppError;
use crate::model::*;
use sqlx::SqlitePool;

#[derive(sqlx::FromRow)]
struct Source {
    agency: String,
    tlp: Tlp,
    identifier: String,
    h0: bool,
    h1: bool,
    h2: bool,
    h3: Option<String>,
}

/// Who recorded or gave the record, under what: per kind of record.
const SOURCE_SQL: [(&str, &str); 3] = [
    (
        "entity",
        "SELECT a.code AS agency, c.tlp, e.identifier, 0 AS h0, 0 AS h1, 0 AS h2, NULL AS h3 FROM entities e \
         JOIN users u ON u.id = e.created_by JOIN agencies a ON a.id = u.agency_id JOIN cases c ON c.id = e.case_id WHERE e.id = ?",
    ),
    (
        "request",
        "SELECT a.code AS agency, r.tlp, '' AS identifier, r.h0, r.h1, r.h2, r.h3 FROM requests r \
         JOIN agencies a ON a.id = r.from_agency_id WHERE r.id = ?",
    ),
    (
        "response",
        "SELECT a.code AS agency, s.tlp, '' AS identifier, s.h0, s.h1, s.h2, s.h3 FROM responses s \
         JOIN agencies a ON a.id = s.agency_id WHERE s.id = ?",
    ),
];

pub async fn report(pool: &SqlitePool, viewer: &SessionUser, vis: Visibility, name: &str) -> Result<PersonReport, AppError> {
    let found = search::search(pool, viewer, vis, name).await?;
    let capped = found.capped.iter().any(|kind| SOURCE_SQL.iter().any(|(k, _)| k == kind));
    let mut records = Vec::new();
    for hit in found.hits {
        let Some((_, sql)) = SOURCE_SQL.iter().find(|(kind, _)| *kind == hit.kind) else { continue };
        let Some(source): Option<Source> = sqlx::query_as(sql).bind(hit.object_id).fetch_optional(pool).await? else { continue };
        let text = if hit.kind == "entity" { hit.title.clone() } else { hit.snippet.clone() };
        records.push(PersonRecord {
            kind: hit.kind,
            case_id: hit.case_id,
            case_reference: hit.case_reference,
            text,
            identifier: source.identifier,
            source_agency: source.agency,
            tlp: source.tlp,
            conditions: Conditions { h0: source.h0, h1: source.h1, h2: source.h2, h3: source.h3 },
            link: hit.link,
        });
    }
    Ok(PersonReport { name: name.to_string(), records, capped })
}
