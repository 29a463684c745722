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

    let responses = responses(conn, "r.request_id = ?", row.id, viewer, Some(row.sides())).await?;
    let passed_on = passed_on(conn, row, viewer).await?;
    let pass_on_targets = if responses.iter().any(|r| r.may_ask_pass_on) { pass_on_targets(conn, viewer, row).await? } else { Vec::new() };
    let legal_basis = match row.legal_basis_id {
        Some(id) => crate::backend::exchange::legal_bases::by_id(conn, id).await?,
        None => None,
    };
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
        legal_basis,
        legal_basis_note: row.legal_basis_note.clone(),
        for_court: row.for_court,
        mla_reference: row.mla_reference.clone(),
        may_set_mla_reference: row.for_court
            && !access.purged
            && crate::backend::exchange::policy::ensure_request(
                viewer,
                &access.parties,
                row.sides(),
                crate::backend::exchange::policy::RequestOp::ActAsSender,
            )
            .is_ok(),
        conditions: row.conditions(),
        responses,
        passed_on,
        pass_on_targets,
        attachments: attachments::for_request(conn, row.id, viewer, zone).await?,
        actions,
        viewer_is_recipient: recipient,
    })
}

/// Responses matching `filter` (bound to `arg`), oldest first, each with its files, conditions and the
/// consents asked about it. The caller has checked that `viewer` sees them.
/// `sides`: the request's, when the viewer may be offered to ask consent (not for information passed on).
async fn responses(
    conn: &mut SqliteConnection,
    filter: &str,
    arg: i64,
    viewer: &SessionUser,
    sides: Option<crate::backend::exchange::policy::RequestSides>,
) -> Result<Vec<ResponseView>, AppError> {
    #[derive(sqlx::FromRow)]
    struct RespRow {
        id: i64,
        kind: ResponseKind,
        body: String,
        author: String,
        agency: String,
        agency_id: i64,
        source_grade: Option<String>,
        info_grade: Option<String>,
        tlp: Tlp,
        created_at: DateTime<Utc>,
        h0: bool,
        h1: bool,
        h2: bool,
        h3: Option<String>,
    }
    let zone = viewer.time_zone.as_str();
    let rows: Vec<RespRow> = sqlx::query_as(&format!(
        "SELECT r.id, r.kind, r.body, u.display_name AS author, a.code AS agency, r.agency_id, r.source_grade, r.info_grade, r.tlp, \
         r.created_at, r.h0, r.h1, r.h2, r.h3 \
         FROM responses r JOIN users u ON u.id = r.author_id JOIN agencies a ON a.id = r.agency_id WHERE {filter} ORDER BY r.id"
    ))
    .bind(arg)
    .fetch_all(&mut *conn)
    .await?;
    let mut responses = Vec::new();
    for r in rows {
        let conditions = Conditions { h0: r.h0, h1: r.h1, h2: r.h2, h3: r.h3 };
        let asks = sides.map(|sides| may_ask_consent(viewer, sides, r.kind, &conditions)).unwrap_or_default();
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
            consents: crate::backend::exchange::consents::for_response(conn, r.id, viewer).await?,
            conditions,
            may_ask_consent: asks.0,
            may_ask_pass_on: asks.1,
            agency_id: r.agency_id,
        });
    }
    Ok(responses)
}

/// Whether the viewer's side holds this answer under a condition it could ask to lift
/// (`policy::consent_asker`), and whether the page offers it to pass it on (`policy::offers_pass_on`).
fn may_ask_consent(
    viewer: &SessionUser,
    sides: crate::backend::exchange::policy::RequestSides,
    kind: ResponseKind,
    conditions: &Conditions,
) -> (bool, bool) {
    use crate::backend::exchange::consents::restricts;
    use crate::backend::exchange::policy::{consent_asker, given_by, offers_pass_on};
    if !kind.carries_information() {
        return (false, false);
    }
    let given = given_by(kind, sides);
    let restricted = ConsentPurpose::ALL.iter().any(|p| restricts(conditions, *p));
    let asks = ConsentPurpose::ALL.iter().any(|p| restricts(conditions, *p) && consent_asker(viewer, given, &[sides.owner], *p).is_ok());
    (asks, restricted && offers_pass_on(viewer, given))
}

/// Responses of other threads passed on with this request (`row`), with where they came from.
async fn passed_on(conn: &mut SqliteConnection, row: &RequestRow, viewer: &SessionUser) -> Result<Vec<PassedOnView>, AppError> {
    let (request_id, sides) = (row.id, row.sides());
    #[derive(sqlx::FromRow)]
    struct Row {
        response_id: i64,
        passed_by: String,
        passed_at: DateTime<Utc>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.response_id, u.display_name AS passed_by, p.passed_at \
         FROM passed_on p JOIN users u ON u.id = p.passed_by WHERE p.request_id = ? ORDER BY p.id",
    )
    .bind(request_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let mut found = responses(conn, "r.id = ?", row.response_id, viewer, None).await?;
        let Some(mut response) = found.pop() else { continue };
        // A third agency asks for itself (court use, export, H3), as an end of this request; the agency it
        // was given to asks on its own thread. Each reads only its own asks here.
        response.may_ask_consent = third_may_ask(conn, viewer, &response, [sides.from, sides.to]).await?;
        response.consents.retain(|k| k.asked_by_my_side);
        // Read here, they name this request, not the thread (or case) they came from.
        for k in &mut response.consents {
            k.request_id = request_id;
            k.case_reference.clear();
        }
        response.may_ask_pass_on = false;
        // Its files came along as files of this request: listed there, under "passed on".
        response.attachments.clear();
        out.push(PassedOnView { response, passed_by: row.passed_by, passed: shown(row.passed_at, &viewer.time_zone) });
    }
    Ok(out)
}

/// Whether the viewer holds a response passed on with a request whose ends are `ends` as a third agency
/// that may ask its provider for consent (`policy::consent_asker`, as neither its provider nor its receiver).
async fn third_may_ask(
    conn: &mut SqliteConnection,
    viewer: &SessionUser,
    response: &ResponseView,
    ends: [crate::backend::exchange::policy::Party; 2],
) -> Result<bool, AppError> {
    use crate::backend::exchange::consents::restricts;
    use crate::backend::exchange::policy::consent_asker;
    if !response.kind.carries_information() {
        return Ok(false);
    }
    let Some((info, _, _)) = crate::backend::exchange::consents::given(conn, response.id).await? else { return Ok(false) };
    let given = (info.provider, info.receiver);
    Ok(ConsentPurpose::ALL
        .iter()
        .any(|p| restricts(&response.conditions, *p) && consent_asker(viewer, given, &ends, *p).is_ok_and(|asker| asker != info.receiver)))
}

/// The viewer's side's requests still being worked, on cases of one of their two ends, that a response may
/// be passed on with (the newest 50): "LD-…/R12 → CBSA: subject". Only requests of the two ends of `source`
/// (which hold what it gave) take it (`policy::ensure_may_pass_on`).
async fn pass_on_targets(conn: &mut SqliteConnection, viewer: &SessionUser, source: &RequestRow) -> Result<Vec<RequestChoice>, AppError> {
    use crate::backend::exchange::rules::TakesPassedOn;
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT r.id, c.reference || '/R' || r.id || ' → ' || ta.code || ': ' || r.subject FROM requests r \
         JOIN cases c ON c.id = r.case_id JOIN agencies fa ON fa.id = r.from_agency_id JOIN agencies ta ON ta.id = r.to_agency_id \
         WHERE c.purged_at IS NULL AND ",
    );
    q.push(crate::backend::exchange::policy::PassOnTarget::SQL)
        .push(" AND ")
        .push(TakesPassedOn::SQL)
        .push(" AND r.id != ")
        .push_bind(source.id)
        .push(" AND r.from_agency_id IN (")
        .push_bind(source.from_agency_id)
        .push(", ")
        .push_bind(source.to_agency_id)
        .push(") AND ");
    crate::backend::exchange::policy::push_on_side(&mut q, viewer, "r.from_agency_id", "fa.country");
    q.push(" ORDER BY r.id DESC LIMIT 50");
    let rows: Vec<(i64, String)> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(id, label)| RequestChoice { id, label }).collect())
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
