//! CSV exports of the case and request lists with the user's filters (RFC 4180, UTF-8). Cells that a
//! spreadsheet would run as a formula are neutralised. Every export is audited by the caller. Column headers
//! and labels (category, status…) are in the reader's language; what users wrote and codes are not, and times
//! are written one way for every reader ("2026-11-25 14:00 IST": spreadsheets and scripts read them).

use crate::backend::exchange::policy::Visibility;
use crate::error::AppError;
use crate::i18n::{LabelIn, Locale};
use crate::model::{CaseFilter, InboxFilter, SessionUser};
use sqlx::SqlitePool;

/// A leading = + - @ (or tab / carriage return) makes spreadsheets evaluate a cell: prefix a quote.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn write(header: &[String], rows: Vec<Vec<String>>) -> Result<String, AppError> {
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

/// A time as every export writes it, whatever the reader's language.
fn machine_time(t: &crate::model::ShownTime, zone: &str) -> String {
    crate::backend::platform::time::display_in(Locale::En, t.at, zone)
}

pub async fn cases_csv(
    pool: &SqlitePool,
    vis: Visibility,
    filter: &CaseFilter,
    zone: &str,
    l: Locale,
) -> Result<(String, usize), AppError> {
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
                c.category.label_in(l),
                c.priority.label_in(l),
                c.status.label_in(l),
                c.tlp.label().into(),
                c.owner_agency,
                c.lead_name,
                c.open_requests.to_string(),
                machine_time(&c.updated, zone),
            ]
        }));
        if !more {
            break;
        }
    }
    let n = rows.len();
    let header = [
        tr!(l, "col-reference"),
        tr!(l, "col-title"),
        tr!(l, "col-category"),
        tr!(l, "col-priority"),
        tr!(l, "col-status"),
        tr!(l, "col-tlp"),
        tr!(l, "csv-owner"),
        tr!(l, "col-lead"),
        tr!(l, "col-open-requests"),
        tr!(l, "col-updated"),
    ];
    Ok((write(&header, rows)?, n))
}

pub async fn requests_csv(
    pool: &SqlitePool,
    viewer: &SessionUser,
    vis: Visibility,
    filter: &InboxFilter,
    l: Locale,
) -> Result<(String, usize), AppError> {
    let mut rows = Vec::new();
    let mut f = filter.clone();
    for page in 0..MAX_PAGES {
        f.page = page;
        let p = crate::backend::exchange::requests::list(pool, viewer, vis, &f).await?;
        rows.extend(p.requests.into_iter().map(|r| {
            let (due, overdue) = r
                .deadline
                .map(|d| (machine_time(&d.due, &viewer.time_zone), if d.overdue { tr!(l, "csv-yes") } else { tr!(l, "csv-no") }))
                .unwrap_or_default();
            vec![
                r.case_reference,
                r.subject,
                r.kind.label_in(l),
                r.priority.label_in(l),
                r.status.label_in(l),
                r.tlp.label().into(),
                r.from_agency,
                r.to_agency,
                due,
                overdue,
                r.legal_basis.unwrap_or_default(),
                r.conditions.codes().join(" "),
            ]
        }));
        if !p.has_more {
            break;
        }
    }
    let n = rows.len();
    let header = [
        tr!(l, "col-case"),
        tr!(l, "col-subject"),
        tr!(l, "col-type"),
        tr!(l, "col-priority"),
        tr!(l, "col-status"),
        tr!(l, "col-tlp"),
        tr!(l, "col-from"),
        tr!(l, "col-to"),
        tr!(l, "col-due"),
        tr!(l, "csv-overdue"),
        tr!(l, "csv-legal-basis"),
        tr!(l, "csv-conditions"),
    ];
    Ok((write(&header, rows)?, n))
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
        let out =
            write(&["a".into(), "b".into()], vec![vec!["x, \"y\"".into(), "=1+1".into()], vec!["line\nbreak".into(), "ü".into()]]).unwrap();
        assert_eq!(out, "a,b\r\n\"x, \"\"y\"\"\",'=1+1\r\n\"line\nbreak\",ü\r\n");
    }
}
