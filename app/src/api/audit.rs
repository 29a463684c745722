//! Reading the audit trail.

use crate::error::AppError;
use crate::model::{AuditFilter, AuditPage};
use leptos::prelude::*;

#[server(endpoint = "list_audit")]
pub async fn list_audit(filter: AuditFilter) -> Result<AuditPage, AppError> {
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::policy, state};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let scope = policy::audit_scope(&actor.user)?;
            crate::error::check_search_text("user", &filter.user)?;
            crate::error::check_search_text("action", &filter.action)?;
            let page = audit::list(&app.db.pool, scope, &filter, &actor.user.time_zone, crate::i18n::request_locale()).await?;
            // Reading the trail is itself recorded: who looked at what, with which filter.
            audit::record_alone(
                &app.db,
                &actor.who,
                Event::new("audit.read").details(json!({
                    "user": filter.user, "action": filter.action, "from": filter.from, "to": filter.to, "page": filter.page
                })),
            )
            .await?;
            Ok(page)
        }
        .await,
    )
}

#[server(endpoint = "audit_actions")]
pub async fn audit_actions() -> Result<Vec<String>, AppError> {
    use crate::backend::{exchange::policy, platform::audit, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::audit_scope(&actor.user)?;
            audit::actions(&app.db.pool).await
        }
        .await,
    )
}
