//! What the case page shows, assembled from the modules that own each part (the case, its requests,
//! indicators, named entities and attachments). Kept apart from them so that they need not know each
//! other: each part is read by its own module, and only this one gathers them.

use crate::backend::exchange::cases::{self, agency_refs, CaseAccess};
use crate::backend::exchange::rules::CaseCurrent;
use crate::backend::exchange::{attachments, entities, indicators, lifecycle, policy, requests};
use crate::backend::platform::db::parse;
use crate::backend::platform::time::shown;
use crate::error::AppError;
use crate::model::*;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

/// The case page's content. The caller has checked that `viewer` may see the case.
pub async fn case(conn: &mut SqliteConnection, access: &CaseAccess, viewer: &SessionUser) -> Result<CaseView, AppError> {
    let zone = viewer.time_zone.as_str();
    #[derive(sqlx::FromRow)]
    struct Row {
        title: String,
        summary: String,
        category: String,
        priority: String,
        lead_user_id: i64,
        lead_name: String,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
        updated_by_name: String,
        review_at: Option<DateTime<Utc>>,
    }
    let r: Row = sqlx::query_as(
        "SELECT c.title, c.summary, c.category, c.priority, c.lead_user_id, l.display_name AS lead_name, c.created_at, \
         c.updated_at, ub.display_name AS updated_by_name, c.review_at FROM cases c JOIN users l ON l.id = c.lead_user_id \
         JOIN users ub ON ub.id = c.updated_by WHERE c.id = ?",
    )
    .bind(access.id)
    .fetch_one(&mut *conn)
    .await?;
    let ids: Vec<i64> = access.parties.iter().map(|p| p.agency_id).chain([access.owner.agency_id]).collect();
    let agencies = agency_refs(conn, &ids).await?;
    let shown_ids = cases::shown_parties(conn, access.id, viewer).await?;
    let mut parties: Vec<AgencyRef> = shown_ids.iter().filter_map(|id| agencies.get(id).cloned()).collect();
    parties.sort_by(|a, b| (b.country.as_str(), &a.code).cmp(&(a.country.as_str(), &b.code)));
    let links: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT c.id, c.reference, c.title FROM case_links l JOIN cases c ON c.id = l.other_case_id WHERE l.case_id = ? ORDER BY c.reference",
    )
    .bind(access.id)
    .fetch_all(&mut *conn)
    .await?;
    // A linked case the viewer is not party to shows only that a link exists, not its title.
    let mut link_views = Vec::new();
    for (id, reference, title) in links {
        let visible = match access_for_link(conn, id).await? {
            Some(a) => policy::can_see_case(viewer, &a.parties),
            None => false,
        };
        link_views.push(CaseLinkView { id, reference, title: if visible { title } else { "(not shared with your agency)".into() } });
    }
    // A purged case is a skeleton: nothing more is done on it.
    let purged = crate::backend::exchange::retention::purge_note(conn, access.id, zone).await?;
    let can_edit = purged.is_none() && policy::ensure_case(viewer, access.owner, &access.parties, policy::CaseOp::Edit).is_ok();
    Ok(CaseView {
        id: access.id,
        reference: access.reference.clone(),
        title: r.title,
        summary: r.summary,
        category: parse(&r.category)?,
        priority: parse(&r.priority)?,
        status: access.status,
        tlp: access.tlp,
        owner_agency: agencies[&access.owner.agency_id].clone(),
        lead_user_id: r.lead_user_id,
        lead_name: r.lead_name,
        parties,
        links: link_views,
        requests: requests::for_case(conn, access.id, viewer).await?,
        indicators: indicators::for_case(conn, access.id, viewer).await?,
        indicators_held: indicators::held_from_export(conn, access.id, viewer).await?,
        entities: entities::for_case(conn, access.id).await?,
        attachments: attachments::for_case(conn, access.id, zone).await?,
        version: access.version,
        created: shown(r.created_at, zone),
        updated: shown(r.updated_at, zone),
        updated_by: r.updated_by_name,
        can_edit,
        allowed_transitions: if can_edit { lifecycle::case_transitions(access.status).to_vec() } else { vec![] },
        accepts_requests: purged.is_none() && CaseCurrent::holds(access.status),
        review: r.review_at.map(|t| shown(t, zone)),
        export_held: crate::backend::exchange::consents::held_from_export(conn, access.id, viewer).await?,
        purged,
    })
}

async fn access_for_link(conn: &mut SqliteConnection, id: i64) -> Result<Option<CaseAccess>, AppError> {
    Box::pin(cases::access(conn, id)).await
}
