//! The request list behind the dashboard's figures: one direction or both, filtered by status, overdue,
//! due soon, counterpart, officer in charge, the timeliness window or a trend week.

use crate::api::requests::list_requests;
use crate::components::forms::{enum_options, SelectField};
use crate::components::layout::Guard;
use crate::components::lists::{Column, RequestTable};
use crate::i18n::{LabelIn, Locale};
use crate::model::permissions::Action;
use crate::model::{AgencyRef, Category, Direction, InboxFilter, Priority, RequestStatus, REQUESTS_OPEN};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RequestsPage() -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <Title text=tr!(l, "requests-title")/>
        <Requests/>
    }
}

#[component]
fn Requests() -> impl IntoView {
    let l = crate::i18n::use_locale();
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
            length: crate::model::PageLength::Screen,
        }
    };
    let data = Resource::new(filter, list_requests);
    view! {
        <Guard action=Action::WorkCases>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "requests-loading")}</p> }>
                {move || Suspend::new(async move {
                    let f = filter();
                    match data.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                        Ok(page) => {
                            let next = page.has_more.then(|| format!("/requests?{}", f.query(f.page + 1)));
                            let csv = format!("/export/requests.csv?{}", f.query(0));
                            let column = match f.direction {
                                Direction::Outgoing => Column::To,
                                Direction::Both => Column::Both,
                                Direction::Incoming => Column::From,
                            };
                            view! {
                                <h1>{title(l, &f, page.officer_name.as_deref())}</h1>
                                <Filters f=f.clone() counterparts=page.counterparts l/>
                                <p class="export-link"><a href=csv download="" rel="external">{tr!(l, "requests-csv")}</a></p>
                                <RequestTable requests=page.requests empty=tr!(l, "requests-none") label=tr!(l, "requests-title") direction=column/>
                                {next.map(|h| view! { <p><a class="button secondary" href=h>{tr!(l, "more")}</a></p> })}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// The list's heading: what the filters select, in words.
fn title(l: Locale, f: &InboxFilter, officer_name: Option<&str>) -> String {
    let mut parts = vec![match f.direction {
        Direction::Outgoing => tr!(l, "requests-heading-outgoing"),
        Direction::Both => tr!(l, "requests-heading-both"),
        Direction::Incoming => tr!(l, "requests-heading-incoming"),
    }];
    if let Some(days) = f.window {
        parts.push(tr!(l, "requests-part-window", days = days));
    }
    if let Some(week) = f.sent_week {
        parts.push(tr!(l, "requests-part-sent-week", week = week.to_string()));
    }
    if let Some(week) = f.answered_week {
        parts.push(tr!(l, "requests-part-answered-week", week = week.to_string()));
    }
    if f.overdue {
        parts.push(tr!(l, "requests-part-overdue"));
    }
    if f.due_soon {
        parts.push(tr!(l, "requests-part-due-soon"));
    }
    if f.status == REQUESTS_OPEN {
        parts.push(tr!(l, "requests-part-awaiting"));
    } else if let Ok(s) = f.status.parse::<RequestStatus>() {
        parts.push(s.label_in(l).to_lowercase());
    }
    if !f.counterpart.is_empty() {
        parts.push(f.counterpart.clone());
    }
    match f.officer {
        Some(0) => parts.push(tr!(l, "requests-part-not-taken")),
        Some(_) => {
            let name = officer_name.map(str::to_string).unwrap_or_else(|| tr!(l, "cases-another-officer"));
            parts.push(tr!(l, "requests-part-in-charge", name = name));
        }
        None => {}
    }
    parts.join(" · ")
}

/// The list's own filters. Those that only a dashboard link sets (officer, timeliness window, trend week) stay
/// as hidden fields, named in the heading, until "Clear filters".
#[component]
fn Filters(f: InboxFilter, counterparts: Vec<AgencyRef>, l: Locale) -> impl IntoView {
    let directions = vec![
        ("incoming".to_string(), tr!(l, "direction-incoming")),
        ("outgoing".to_string(), tr!(l, "direction-outgoing")),
        ("both".to_string(), tr!(l, "direction-both")),
    ];
    let mut statuses = enum_options(RequestStatus::ALL, RequestStatus::as_str, |s| s.label_in(l), Some(&tr!(l, "filter-any-status")));
    statuses.insert(1, (REQUESTS_OPEN.to_string(), tr!(l, "filter-awaiting")));
    let counterparts = std::iter::once((String::new(), tr!(l, "filter-any-counterpart")))
        .chain(counterparts.iter().map(|a| (a.code.clone(), format!("{} ({})", a.code, a.country.label_in(l)))))
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
        <Form method="GET" action="" attr:class="filters" attr:aria-label=tr!(l, "requests-filter")>
            <SelectField label=tr!(l, "filter-direction") name="direction" options=directions selected=direction/>
            <SelectField label=tr!(l, "filter-status") name="status" options=statuses selected=f.status.clone()/>
            <SelectField label=tr!(l, "filter-priority") name="priority" options=enum_options(Priority::ALL, Priority::as_str, |p| p.label_in(l), Some(&tr!(l, "filter-any-priority"))) selected=f.priority.map(|p| p.as_str()).unwrap_or_default()/>
            <SelectField label=tr!(l, "filter-category") name="category" options=enum_options(Category::ALL, Category::as_str, |c| c.label_in(l), Some(&tr!(l, "filter-any-category"))) selected=f.category.map(|c| c.as_str()).unwrap_or_default()/>
            <SelectField label=tr!(l, "filter-counterpart") name="counterpart" options=counterparts selected=f.counterpart.clone()/>
            <div class="filter-checks">
                <div class="field checkbox">
                    <input type="checkbox" id="f-overdue" name="overdue" value="1" checked=f.overdue/>
                    <label for="f-overdue">{tr!(l, "filter-overdue-only")}</label>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="f-due-soon" name="due_soon" value="1" checked=f.due_soon/>
                    <label for="f-due-soon">{tr!(l, "filter-due-soon")}</label>
                </div>
            </div>
            {hidden.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
            <div class="filter-actions">
                <button type="submit" class="button secondary">{tr!(l, "filter-apply")}</button>
                <a href=clear>{tr!(l, "filter-clear")}</a>
            </div>
        </Form>
    }
}
