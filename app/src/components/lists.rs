//! The tables of requests and cases, and the inbox rendered as HTML once per viewer, filter and data
//! version (see `api::requests::inbox_page`).

use crate::components::badges::{CaseStatusBadge, DeadlineText, PriorityBadge, RequestStatusBadge, TlpBadge};
use crate::components::forms::{enum_options, SelectField};
use crate::model::{CaseSummary, Category, InboxFilter, InboxHtml, InboxView, Priority, RequestStatus, RequestSummary};
use leptos::prelude::*;

/// Renders the inbox for `inbox_page`, which keeps the result until the data changes (backend::render_cache).
/// Compiled for the browser too, where nothing calls it, so the components it uses are not dead code there.
pub fn render_inbox(inbox: InboxView, f: &InboxFilter) -> InboxHtml {
    use leptos::tachys::view::RenderHtml;
    let counterparts = std::iter::once((String::new(), "Any counterpart".to_string()))
        .chain(inbox.counterparts.iter().map(|a| (a.code.clone(), format!("{} ({})", a.code, a.country.label()))))
        .collect();
    let next = inbox.incoming_has_more.then(|| {
        let (priority, category) = (f.priority.map(|p| p.as_str()).unwrap_or_default(), f.category.map(|c| c.as_str()).unwrap_or_default());
        format!("/?status={}&priority={priority}&category={category}&counterpart={}&page={}", f.status, f.counterpart, f.page + 1)
    });
    let filters = view! {
        <form method="get" action="" class="filters" aria-label="Filter the inbox">
            <SelectField label="Status" name="status" options=enum_options(RequestStatus::ALL, RequestStatus::as_str, RequestStatus::label, Some("Open (sent, acknowledged, in progress)")) selected=f.status.clone()/>
            <SelectField label="Priority" name="priority" options=enum_options(Priority::ALL, Priority::as_str, Priority::label, Some("Any priority")) selected=f.priority.map(|p| p.as_str()).unwrap_or_default()/>
            <SelectField label="Category" name="category" options=enum_options(Category::ALL, Category::as_str, Category::label, Some("Any category")) selected=f.category.map(|c| c.as_str()).unwrap_or_default()/>
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
            <CaseTable cases=inbox.my_cases empty="You lead no open case."/>
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

#[component]
pub fn CaseTable(
    cases: Vec<CaseSummary>,
    empty: &'static str,
    /// A tick box per case, for the bulk panel (`components::bulk`).
    #[prop(optional)]
    selectable: bool,
) -> impl IntoView {
    if cases.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption class="visually-hidden">"Cases"</caption>
                <thead>
                    <tr>
                        {selectable.then(|| view! { <th scope="col"><span class="visually-hidden">"Selected"</span></th> })}
                        <th scope="col">"Reference"</th><th scope="col">"Title"</th><th scope="col">"Category"</th>
                        <th scope="col">"Priority"</th><th scope="col">"Status"</th><th scope="col">"Lead"</th>
                        <th scope="col" class="num">"Open requests"</th><th scope="col">"Updated"</th>
                    </tr>
                </thead>
                <tbody>
                    {cases.into_iter().map(|c| view! {
                        <tr>
                            {selectable.then(|| view! {
                                <td><input type="checkbox" name="case" value=c.id.to_string() aria-label=format!("Select {}", c.reference)/></td>
                            })}
                            <td class="mono nowrap"><a href=format!("/cases/{}", c.id)>{c.reference.clone()}</a></td>
                            <td>{c.title.clone()} <div><TlpBadge tlp=c.tlp/></div></td>
                            <td>{c.category.label()}</td>
                            <td><PriorityBadge priority=c.priority/></td>
                            <td><CaseStatusBadge status=c.status/></td>
                            <td>{c.lead_name.clone()} <span class="muted">" " {c.owner_agency.clone()}</span></td>
                            <td class="num">{c.open_requests}</td>
                            <td class="nowrap"><time datetime=c.updated.at.to_rfc3339()>{c.updated.text.clone()}</time></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
