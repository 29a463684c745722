//! The request list behind the dashboard's figures: one direction or both, filtered by status, overdue,
//! due soon, counterpart, case lead or the timeliness window.

use super::inbox::RequestTable;
use crate::api::requests::list_requests;
use crate::components::layout::Guard;
use crate::model::permissions::Action;
use crate::model::{InboxFilter, RequestStatus, REQUESTS_OPEN};
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
            lead: q.get("lead").and_then(|v| v.parse().ok()),
            window: q.get("window").and_then(|v| v.parse().ok()),
            sent_week: q.get("sent_week").and_then(|v| v.parse().ok()),
            answered_week: q.get("answered_week").and_then(|v| v.parse().ok()),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
        }
    };
    let data = Resource::new(filter, list_requests);
    view! {
        <Guard action=Action::WorkCases>
            <Suspense fallback=|| view! { <p class="loading">"Loading requests…"</p> }>
                {move || Suspend::new(async move {
                    let f = filter();
                    match data.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(page) => {
                            let next = page.has_more.then(|| format!("/requests?{}", f.query(f.page + 1)));
                            let csv = format!("/export/requests.csv?{}", f.query(0));
                            let column = match f.direction.as_str() {
                                "outgoing" => "To",
                                "both" => "From → to",
                                _ => "From",
                            };
                            view! {
                                <h1>{title(&f, page.lead_name.as_deref())}</h1>
                                <p class="export-link"><a href=csv download="" rel="external">"Download these requests as CSV"</a></p>
                                <RequestTable requests=page.requests empty="No request matches." label="Requests" direction=column/>
                                {next.map(|h| view! { <p><a class="button secondary" href=h>"More →"</a></p> })}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// The list's heading: what the filters select, in words.
fn title(f: &InboxFilter, lead_name: Option<&str>) -> String {
    let mut title = String::from(match f.direction.as_str() {
        "outgoing" => "Requests sent by us",
        "both" => "Requests sent and received",
        _ => "Requests received by us",
    });
    if let Some(days) = f.window {
        title.push_str(&format!(" · sent in the last {days} days, answer expected"));
    }
    if let Some(week) = f.sent_week {
        title.push_str(&format!(" · sent in the week of {week}"));
    }
    if let Some(week) = f.answered_week {
        title.push_str(&format!(" · answered in the week of {week}"));
    }
    if f.overdue == "1" {
        title.push_str(" · overdue");
    }
    if f.due_soon == "1" {
        title.push_str(" · due within 24 hours");
    }
    if f.status == REQUESTS_OPEN {
        title.push_str(" · awaiting an answer");
    } else if let Ok(s) = f.status.parse::<RequestStatus>() {
        title.push_str(&format!(" · {}", s.label().to_lowercase()));
    }
    if !f.counterpart.is_empty() {
        title.push_str(&format!(" · {}", f.counterpart));
    }
    if f.lead.is_some() {
        title.push_str(&format!(" · on cases led by {}", lead_name.unwrap_or("another officer")));
    }
    title
}
