//! The request list behind the dashboard's figures: one direction, filtered by status, overdue, due soon
//! or counterpart.

use super::inbox::RequestTable;
use crate::api::requests::list_requests;
use crate::components::layout::Guard;
use crate::model::permissions::Action;
use crate::model::InboxFilter;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RequestsPage() -> impl IntoView {
    view! {
        <Title text="Requests"/>
        <Requests/>
    }
}

#[component]
fn Requests() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        InboxFilter {
            direction: q.get("direction").unwrap_or_default(),
            overdue: q.get("overdue").unwrap_or_default(),
            due_soon: q.get("due_soon").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            priority: q.get("priority").unwrap_or_default(),
            category: q.get("category").unwrap_or_default(),
            counterpart: q.get("counterpart").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
        }
    };
    let data = Resource::new(filter, list_requests);
    view! {
        <Guard action=Action::WorkCases>
            <Suspense fallback=|| view! { <p class="loading">"Loading requests…"</p> }>
                {move || Suspend::new(async move {
                    let f = filter();
                    let outgoing = f.direction == "outgoing";
                    let mut title = String::from(if outgoing { "Requests sent by us" } else { "Requests received by us" });
                    if f.overdue == "1" { title.push_str(" · overdue"); }
                    if f.due_soon == "1" { title.push_str(" · due within 24 hours"); }
                    if !f.status.is_empty() { title.push_str(&format!(" · {}", f.status.replace('_', " "))); }
                    if !f.counterpart.is_empty() { title.push_str(&format!(" · {}", f.counterpart)); }
                    match data.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(page) => {
                            let next = page.has_more.then(|| format!("/requests?direction={}&overdue={}&due_soon={}&status={}&counterpart={}&page={}", f.direction, f.overdue, f.due_soon, f.status, f.counterpart, f.page + 1));
                            let csv = format!("/export/requests.csv?direction={}&overdue={}&due_soon={}&status={}&counterpart={}", f.direction, f.overdue, f.due_soon, f.status, f.counterpart);
                            view! {
                                <h1>{title}</h1>
                                <p class="export-link"><a href=csv download="" rel="external">"Download these requests as CSV"</a></p>
                                <RequestTable requests=page.requests empty="No request matches." label="Requests" direction=if outgoing { "To" } else { "From" }/>
                                {next.map(|h| view! { <p><a class="button secondary" href=h>"More →"</a></p> })}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Guard>
    }
}
