//! The request list behind the dashboard's figures: one direction or both, filtered by status, overdue,
//! due soon, counterpart, officer in charge, the timeliness window or a trend week.

use crate::api::requests::list_requests;
use crate::components::forms::{enum_options, SelectField};
use crate::components::layout::Guard;
use crate::components::lists::RequestTable;
use crate::model::permissions::Action;
use crate::model::{AgencyRef, Category, Direction, InboxFilter, Priority, RequestStatus, REQUESTS_OPEN};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
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
            direction: Direction::from_query(q.get("direction").as_deref()),
            overdue: q.get("overdue").is_some_and(|v| v == "1"),
            due_soon: q.get("due_soon").is_some_and(|v| v == "1"),
            status: q.get("status").unwrap_or_default(),
            priority: q.get("priority").and_then(|v| v.parse().ok()),
            category: q.get("category").and_then(|v| v.parse().ok()),
            counterpart: q.get("counterpart").unwrap_or_default(),
            officer: q.get("officer").and_then(|v| v.parse().ok()),
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
                            let column = match f.direction {
                                Direction::Outgoing => "To",
                                Direction::Both => "From → to",
                                Direction::Incoming => "From",
                            };
                            view! {
                                <h1>{title(&f, page.officer_name.as_deref())}</h1>
                                <Filters f=f.clone() counterparts=page.counterparts/>
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
fn title(f: &InboxFilter, officer_name: Option<&str>) -> String {
    let mut title = String::from(match f.direction {
        Direction::Outgoing => "Requests sent by us",
        Direction::Both => "Requests sent and received",
        Direction::Incoming => "Requests received by us",
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
    if f.overdue {
        title.push_str(" · overdue");
    }
    if f.due_soon {
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
    match f.officer {
        Some(0) => title.push_str(" · not yet taken"),
        Some(_) => title.push_str(&format!(" · in the charge of {}", officer_name.unwrap_or("another officer"))),
        None => {}
    }
    title
}

/// The list's own filters. Those that only a dashboard link sets (officer, timeliness window, trend week) stay
/// as hidden fields, named in the heading, until "Clear filters".
#[component]
fn Filters(f: InboxFilter, counterparts: Vec<AgencyRef>) -> impl IntoView {
    let directions = vec![
        ("incoming".to_string(), "Received by us".to_string()),
        ("outgoing".to_string(), "Sent by us".to_string()),
        ("both".to_string(), "Sent and received".to_string()),
    ];
    let mut statuses = enum_options(RequestStatus::ALL, RequestStatus::as_str, RequestStatus::label, Some("Any status"));
    statuses.insert(1, (REQUESTS_OPEN.to_string(), "Awaiting an answer".to_string()));
    let counterparts = std::iter::once((String::new(), "Any counterpart".to_string()))
        .chain(counterparts.iter().map(|a| (a.code.clone(), format!("{} ({})", a.code, a.country.label()))))
        .collect();
    let direction = f.direction.as_str().to_string();
    let hidden: Vec<(&'static str, String)> = [
        ("officer", f.officer.map(|v| v.to_string())),
        ("window", f.window.map(|v| v.to_string())),
        ("sent_week", f.sent_week.map(|v| v.to_string())),
        ("answered_week", f.answered_week.map(|v| v.to_string())),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let clear = format!("/requests?direction={direction}");
    view! {
        <Form method="GET" action="" attr:class="filters" attr:aria-label="Filter requests">
            <SelectField label="Direction" name="direction" options=directions selected=direction/>
            <SelectField label="Status" name="status" options=statuses selected=f.status.clone()/>
            <SelectField label="Priority" name="priority" options=enum_options(Priority::ALL, Priority::as_str, Priority::label, Some("Any priority")) selected=f.priority.map(|p| p.as_str()).unwrap_or_default()/>
            <SelectField label="Category" name="category" options=enum_options(Category::ALL, Category::as_str, Category::label, Some("Any category")) selected=f.category.map(|c| c.as_str()).unwrap_or_default()/>
            <SelectField label="Counterpart agency" name="counterpart" options=counterparts selected=f.counterpart.clone()/>
            <div class="filter-checks">
                <div class="field checkbox">
                    <input type="checkbox" id="f-overdue" name="overdue" value="1" checked=f.overdue/>
                    <label for="f-overdue">"Overdue only"</label>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="f-due-soon" name="due_soon" value="1" checked=f.due_soon/>
                    <label for="f-due-soon">"Due within 24 hours"</label>
                </div>
            </div>
            {hidden.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
            <div class="filter-actions">
                <button type="submit" class="button secondary">"Filter"</button>
                <a href=clear>"Clear filters"</a>
            </div>
        </Form>
    }
}
