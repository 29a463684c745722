//! The officer's day: incoming requests by deadline (overdue first), outgoing requests, their cases.

use crate::api::requests::inbox_page;
use crate::components::badges::{DeadlineText, PriorityBadge, RequestStatusBadge, TlpBadge};
use crate::components::forms::{enum_options, SelectField};
use crate::components::live::LiveRegion;
use crate::error::AppError;
use crate::model::{Category, InboxFilter, InboxHtml, InboxView, Priority, RequestStatus, RequestSummary};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn current_filter() -> impl Fn() -> InboxFilter + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        InboxFilter {
            direction: String::new(),
            overdue: String::new(),
            due_soon: String::new(),
            status: q.get("status").unwrap_or_default(),
            priority: q.get("priority").unwrap_or_default(),
            category: q.get("category").unwrap_or_default(),
            counterpart: q.get("counterpart").unwrap_or_default(),
            officer: None,
            window: None,
            sent_week: None,
            answered_week: None,
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
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
    view! {
        <div class="page-head">
            <h1>"Inbox"</h1>
            <a class="button primary" href="/cases/new">"New case"</a>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading your inbox…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
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

/// Renders the inbox for `inbox_page`, which keeps the result until the data changes (backend::render_cache).
/// Compiled for the browser too, where nothing calls it, so the components it uses are not dead code there.
pub fn render(inbox: InboxView, f: &InboxFilter) -> InboxHtml {
    use leptos::tachys::view::RenderHtml;
    let counterparts = std::iter::once((String::new(), "Any counterpart".to_string()))
        .chain(inbox.counterparts.iter().map(|a| (a.code.clone(), format!("{} ({})", a.code, a.country.label()))))
        .collect();
    let next = inbox.incoming_has_more.then(|| {
        format!("/?status={}&priority={}&category={}&counterpart={}&page={}", f.status, f.priority, f.category, f.counterpart, f.page + 1)
    });
    let filters = view! {
        <form method="get" action="" class="filters" aria-label="Filter the inbox">
            <SelectField label="Status" name="status" options=enum_options(RequestStatus::ALL, RequestStatus::as_str, RequestStatus::label, Some("Open (sent, acknowledged, in progress)")) selected=f.status.clone()/>
            <SelectField label="Priority" name="priority" options=enum_options(Priority::ALL, Priority::as_str, Priority::label, Some("Any priority")) selected=f.priority.clone()/>
            <SelectField label="Category" name="category" options=enum_options(Category::ALL, Category::as_str, Category::label, Some("Any category")) selected=f.category.clone()/>
            <SelectField label="Counterpart agency" name="counterpart" options=counterparts selected=f.counterpart.clone()/>
            <button type="submit" class="button secondary">"Filter"</button>
        </form>
    }
    .to_html();
    let lists = view! {
        <section aria-labelledby="incoming-h">
            <h2 id="incoming-h">"Incoming requests" <span class="muted small">" · times in " {inbox.time_zone.clone()}</span></h2>
            <RequestTable requests=inbox.incoming empty="No incoming request matches." label="Incoming requests" direction="From"/>
            {next.map(|h| view! { <p><a class="button secondary" href=h>"More incoming requests →"</a></p> })}
        </section>
        <section aria-labelledby="outgoing-h">
            <h2 id="outgoing-h">"Outgoing requests"</h2>
            <RequestTable requests=inbox.outgoing empty="No outgoing request is open." label="Outgoing requests" direction="To"/>
        </section>
        <section aria-labelledby="cases-h">
            <h2 id="cases-h">"My cases"</h2>
            <super::cases::CaseTable cases=inbox.my_cases empty="You lead no open case."/>
        </section>
    }
    .to_html();
    InboxHtml { filters, lists }
}

#[component]
pub fn RequestTable(requests: Vec<RequestSummary>, empty: &'static str, label: &'static str, direction: &'static str) -> impl IntoView {
    if requests.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data requests">
                <caption class="visually-hidden">{label}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Due"</th>
                        <th scope="col">"Subject"</th>
                        <th scope="col">{direction}</th>
                        <th scope="col">"Priority"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Case"</th>
                    </tr>
                </thead>
                <tbody>
                    {requests
                        .into_iter()
                        .map(|r| {
                            let overdue = r.deadline.as_ref().is_some_and(|d| d.overdue);
                            let counterpart = match direction {
                                "From" => r.from_agency.clone(),
                                "To" => r.to_agency.clone(),
                                _ => format!("{} → {}", r.from_agency, r.to_agency),
                            };
                            view! {
                                <tr class:overdue-row=overdue>
                                    <td><DeadlineText deadline=r.deadline.clone()/></td>
                                    <td>
                                        <a href=format!("/requests/{}", r.id)>{r.subject.clone()}</a>
                                        <div class="muted small">{r.kind.label()} " · " <TlpBadge tlp=r.tlp/></div>
                                    </td>
                                    <td>{counterpart}</td>
                                    <td><PriorityBadge priority=r.priority/></td>
                                    <td><RequestStatusBadge status=r.status/></td>
                                    <td><a href=format!("/cases/{}", r.case_id) class="mono">{r.case_reference.clone()}</a></td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
