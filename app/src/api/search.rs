//! One search box over everything the user may see.

use crate::error::AppError;
use crate::model::SearchResults;
use leptos::prelude::*;

#[server(endpoint = "search")]
pub async fn search(q: String) -> Result<SearchResults, AppError> {
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{exchange::policy, oversight::search, state};
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let vis = policy::visibility(&actor.user)?;
            crate::error::check_search_text("q", &q)?;
            if !q.trim().is_empty() {
                state::ensure_within_read_limit(&app, actor.id())?;
            }
            let results = search::search(&app.db.pool, &actor.user, vis, &q).await?;
            audit::record_alone(&app.db, &actor.who, Event::new("search").details(json!({"query": q, "hits": results.hits.len()}))).await?;
            Ok(results)
        }
        .await,
    )
}
