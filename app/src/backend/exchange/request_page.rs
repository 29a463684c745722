//! What the request page shows: the request, its responses and their attachments, and what the viewer
//! may do now. Kept apart from `requests` so that attachments can use requests without a loop.

use crate::backend::exchange::attachments;
use crate::backend::exchange::cases::{self, CaseAccess};
use crate::backend::exchange::requests::{summary, RequestRow, SummaryRow, SUMMARY_SELECT};
use crate::backend::exchange::rules::ExpectsAnswer;
use crate::backend::platform::db::parse;
use crate::backend::platform::time::shown;
use crate::error::AppError;
use crate::model::*;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// The request page. The caller has checked that `viewer` may see it.
pub async fn request(
    conn: &mut SqliteConnection,
    row: &RequestRow,
    access: &CaseAccess,
    viewer: &SessionUser,
) -> Result<RequestView, AppError> {
    let zone = viewer.time_zone.as_str();
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(SUMMARY_SELECT);
    q.push(" AND r.id = ").push_bind(row.id);
    let s: SummaryRow = q.build_query_as().fetch_one(&mut *conn).await?;
    let summary = summary(s, viewer, Utc::now())?;
    let case_title: String = sqlx::query_scalar("SELECT title FROM cases WHERE id = ?").bind(row.case_id).fetch_one(&mut *conn).await?;

    let responses = responses(conn, row.id, zone).await?;
    let (actions, recipient) = actions(viewer, access, row);
    let agencies = cases::agency_refs(conn, &[row.from_agency_id, row.to_agency_id]).await?;
    Ok(RequestView {
        summary,
        case_title,
        body: row.body.clone(),
        directly_available: row.directly_available,
        from_agency: agencies[&row.from_agency_id].clone(),
        to_agency: agencies[&row.to_agency_id].clone(),
        sent: row.sent_at.map(|t| shown(t, zone)),
        acknowledged: row.acknowledged_at.map(|t| shown(t, zone)),
        acknowledged_by: row.acknowledged_by_name.clone(),
        decline_reason: row.decline_reason.clone(),
        responses,
        attachments: attachments::for_request(conn, row.id, viewer, zone).await?,
        actions,
        viewer_is_recipient: recipient,
    })
}

/// The thread: every response to the request, oldest first, with its attachments.
async fn responses(conn: &mut SqliteConnection, request_id: i64, zone: &str) -> Result<Vec<ResponseView>, AppError> {
    #[derive(sqlx::FromRow)]
    struct RespRow {
        id: i64,
        kind: ResponseKind,
        body: String,
        author: String,
        agency: String,
        source_grade: Option<String>,
        info_grade: Option<String>,
        tlp: Tlp,
        created_at: DateTime<Utc>,
    }
    let rows: Vec<RespRow> = sqlx::query_as(
        "SELECT r.id, r.kind, r.body, u.display_name AS author, a.code AS agency, r.source_grade, r.info_grade, r.tlp, r.created_at \
         FROM responses r JOIN users u ON u.id = r.author_id JOIN agencies a ON a.id = r.agency_id WHERE r.request_id = ? ORDER BY r.id",
    )
    .bind(request_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut responses = Vec::new();
    for r in rows {
        responses.push(ResponseView {
            id: r.id,
            kind: r.kind,
            body: r.body,
            author: r.author,
            agency: r.agency,
            source_grade: r.source_grade.as_deref().map(parse).transpose()?,
            info_grade: r.info_grade.as_deref().map(parse).transpose()?,
            tlp: r.tlp,
            created: shown(r.created_at, zone),
            attachments: attachments::for_response(conn, r.id, zone).await?,
        });
    }
    Ok(responses)
}

/// What the viewer may do on the request now (the buttons the page shows), and whether they act for the
/// recipient.
fn actions(viewer: &SessionUser, access: &CaseAccess, row: &RequestRow) -> (Vec<String>, bool) {
    use crate::backend::exchange::lifecycle::{next_request_status as next, RequestEvent as E};
    use crate::backend::exchange::policy::{ensure_request, RequestOp};
    let may = |op| ensure_request(viewer, &access.parties, row.sides(), op).is_ok();
    let (sender, recipient, approver) = (may(RequestOp::ActAsSender), may(RequestOp::ActAsRecipient), may(RequestOp::Approve));
    let expects = ExpectsAnswer::holds(row.kind);
    let offered = [
        ("send", sender, E::Send { needs_approval: false }),
        ("approve", approver, E::Approve),
        ("acknowledge", recipient, E::Acknowledge),
        ("respond", recipient, E::Respond(ResponseKind::PartialAnswer)),
        ("clarify", sender, E::Respond(ResponseKind::Clarification)),
        ("decline", recipient, E::Decline),
        ("withdraw", sender, E::Withdraw),
        ("close", sender, E::Close),
    ];
    let actions = offered
        .into_iter()
        .filter(|(_, allowed, event)| *allowed && next(row.status, *event, expects).is_ok())
        .map(|(name, _, _)| name.to_string())
        .collect();
    (actions, recipient)
}
