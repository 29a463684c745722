//! The officer's day: incoming requests by deadline (overdue first), outgoing requests, their cases.

use crate::api::requests::inbox_page;
use crate::components::live::LiveRegion;
use crate::error::AppError;
use crate::model::{InboxFilter, InboxHtml};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn current_filter() -> impl Fn() -> InboxFilter + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        InboxFilter {
            direction: Default::default(),
            overdue: false,
            due_soon: false,
            status: q.get("status").unwrap_or_default(),
            priority: q.get("priority").and_then(|v| v.parse().ok()),
            category: q.get("category").and_then(|v| v.parse().ok()),
            counterpart: q.get("counterpart").unwrap_or_default(),
            officer: None,
            window: None,
            sent_week: None,
            answered_week: None,
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
            length: crate::model::PageLength::Screen,
        }
    }
}

/// The inbox, loaded only while `enabled` (the home page of an admin has no inbox). Made by the page itself,
/// not inside its guard: a resource made inside a Suspense is made again on every render pass.
pub fn inbox_resource(enabled: impl Fn() -> bool + Copy + Send + Sync + 'static) -> Resource<Result<Option<InboxHtml>, AppError>> {
    let filter = current_filter();
    Resource::new(
        move || (enabled(), filter()),
        |(on, f)| async move {
            if on {
                inbox_page(f).await.map(Some)
            } else {
                Ok(None)
            }
        },
    )
}

#[component]
pub fn Inbox(data: Resource<Result<Option<InboxHtml>, AppError>>) -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <div class="page-head">
            <h1>{tr!(l, "inbox-title")}</h1>
            <a class="button primary" href="/cases/new">{tr!(l, "new-case")}</a>
        </div>
        <Transition fallback=move || view! { <p class="loading">{tr!(l, "inbox-loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                    Ok(None) => ().into_any(),
                    Ok(Some(html)) => view! {
                        <div inner_html=html.filters/>
                        // Fetched again in place whenever the server announces news for this user (a new
                        // request, say); the filters above keep whatever the user is choosing.
                        <LiveRegion id="inbox-lists"><div inner_html=html.lists/></LiveRegion>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}
