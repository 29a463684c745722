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
    use crate::backend::exchange::policy::{ensure_request, RequestOp};
    let zone = viewer.time_zone.as_str();
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(SUMMARY_SELECT);
    q.push(" AND r.id = ").push_bind(row.id);
    let s: SummaryRow = q.build_query_as().fetch_one(&mut *conn).await?;
    let summary = summary(s, viewer, Utc::now())?;
    let case_title: String = sqlx::query_scalar("SELECT title FROM cases WHERE id = ?").bind(row.case_id).fetch_one(&mut *conn).await?;

    #[derive(sqlx::FromRow)]
    struct RespRow {
        id: i64,
        kind: String,
        body: String,
        author: String,
        agency: String,
        source_grade: Option<String>,
        info_grade: Option<String>,
        tlp: String,
        created_at: DateTime<Utc>,
    }
    let rows: Vec<RespRow> = sqlx::query_as(
        "SELECT r.id, r.kind, r.body, u.display_name AS author, a.code AS agency, r.source_grade, r.info_grade, r.tlp, r.created_at \
         FROM responses r JOIN users u ON u.id = r.author_id JOIN agencies a ON a.id = r.agency_id WHERE r.request_id = ? ORDER BY r.id",
    )
    .bind(row.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut responses = Vec::new();
    for r in rows {
        responses.push(ResponseView {
            id: r.id,
            kind: parse(&r.kind)?,
            body: r.body,
            author: r.author,
            agency: r.agency,
            source_grade: r.source_grade.and_then(|g| g.parse().ok()),
            info_grade: r.info_grade.and_then(|g| g.parse().ok()),
            tlp: parse(&r.tlp)?,
            created: shown(r.created_at, zone),
            attachments: attachments::for_response(conn, r.id, zone).await?,
        });
    }
    let sides = row.sides();
    let sender = ensure_request(viewer, &access.parties, sides, RequestOp::ActAsSender).is_ok();
    let recipient = ensure_request(viewer, &access.parties, sides, RequestOp::ActAsRecipient).is_ok();
    let approver = ensure_request(viewer, &access.parties, sides, RequestOp::Approve).is_ok();
    let status = row.status;
    let expects = ExpectsAnswer::holds(row.kind);
    use crate::backend::exchange::lifecycle::{next_request_status as next, RequestEvent as E};
    let mut actions = Vec::new();
    let can = |e: E| next(status, e, expects).is_ok();
    if sender && can(E::Send { needs_approval: false }) {
        actions.push("send".to_string());
    }
    if approver && can(E::Approve) {
        actions.push("approve".into());
    }
    if recipient && can(E::Acknowledge) {
        actions.push("acknowledge".into());
    }
    if recipient && can(E::Respond(ResponseKind::PartialAnswer)) {
        actions.push("respond".into());
    }
    if sender && can(E::Respond(ResponseKind::Clarification)) {
        actions.push("clarify".into());
    }
    if recipient && can(E::Decline) {
        actions.push("decline".into());
    }
    if sender && can(E::Withdraw) {
        actions.push("withdraw".into());
    }
    if sender && can(E::Close) {
        actions.push("close".into());
    }
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
        attachments: attachments::for_request(conn, row.id, zone).await?,
        actions,
        viewer_is_recipient: recipient,
    })
}
