//! CSV exports of the case and request lists with the user's filters (RFC 4180, UTF-8). Cells that a
//! spreadsheet would run as a formula are neutralised. Every export is audited by the caller.

use crate::backend::exchange::policy::Visibility;
use crate::error::AppError;
use crate::model::{CaseFilter, InboxFilter, SessionUser};
use sqlx::SqlitePool;

/// A leading = + - @ (or tab / carriage return) makes spreadsheets evaluate a cell: prefix a quote.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn write(header: &[&str], rows: Vec<Vec<String>>) -> Result<String, AppError> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let fail = |e: csv::Error| {
        tracing::error!(error = %e, "csv");
        AppError::Internal
    };
    w.write_record(header).map_err(fail)?;
    for r in rows {
        w.write_record(r.iter().map(|c| neutralise(c))).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|_| AppError::Internal)?;
    String::from_utf8(bytes).map_err(|_| AppError::Internal)
}

const MAX_PAGES: u32 = 400;

pub async fn cases_csv(pool: &SqlitePool, vis: Visibility, filter: &CaseFilter, zone: &str) -> Result<(String, usize), AppError> {
    let mut rows = Vec::new();
    let mut f = filter.clone();
    let mut conn = pool.acquire().await?;
    for page in 0..MAX_PAGES {
        f.page = page;
        let (cases, more) = crate::backend::exchange::cases::list(&mut conn, vis, &f, zone).await?;
        rows.extend(cases.into_iter().map(|c| {
            vec![
                c.reference,
                c.title,
                c.category.label().into(),
                c.priority.label().into(),
                c.status.label().into(),
                c.tlp.label().into(),
                c.owner_agency,
                c.lead_name,
                c.open_requests.to_string(),
                c.updated.text,
            ]
        }));
        if !more {
            break;
        }
    }
    let n = rows.len();
    Ok((write(&["Reference", "Title", "Category", "Priority", "Status", "TLP", "Owner", "Lead", "Open requests", "Updated"], rows)?, n))
}

pub async fn requests_csv(
    pool: &SqlitePool,
    viewer: &SessionUser,
    vis: Visibility,
    filter: &InboxFilter,
) -> Result<(String, usize), AppError> {
    let mut rows = Vec::new();
    let mut f = filter.clone();
    for page in 0..MAX_PAGES {
        f.page = page;
        let p = crate::backend::exchange::requests::list(pool, viewer, vis, &f).await?;
        rows.extend(p.requests.into_iter().map(|r| {
            let (due, overdue) = r.deadline.map(|d| (d.due.text, if d.overdue { "yes" } else { "no" })).unwrap_or_default();
            vec![
                r.case_reference,
                r.subject,
                r.kind.label().into(),
                r.priority.label().into(),
                r.status.label().into(),
                r.tlp.label().into(),
                r.from_agency,
                r.to_agency,
                due,
                overdue.into(),
                r.legal_basis.unwrap_or_default(),
                r.conditions.codes().join(" "),
            ]
        }));
        if !p.has_more {
            break;
        }
    }
    let n = rows.len();
    Ok((
        write(
            &["Case", "Subject", "Type", "Priority", "Status", "TLP", "From", "To", "Due", "Overdue", "Legal basis", "Conditions"],
            rows,
        )?,
        n,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quoting_follows_rfc_4180() {
        assert_eq!(neutralise("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("LD-2026-000001"), "LD-2026-000001");
        let out = write(&["a", "b"], vec![vec!["x, \"y\"".into(), "=1+1".into()], vec!["line\nbreak".into(), "ü".into()]]).unwrap();
        assert_eq!(out, "a,b\r\n\"x, \"\"y\"\"\",'=1+1\r\n\"line\nbreak\",ü\r\n");
    }
}
