//! The tables of requests and cases, and the inbox rendered as HTML once per viewer, filter and data
//! version (see `api::requests::inbox_page`).

use crate::components::badges::{CaseStatusBadge, DeadlineText, PriorityBadge, RequestStatusBadge, TlpBadge};
use crate::components::forms::{enum_options, SelectField};
use crate::i18n::{LabelIn, Locale};
use crate::model::{CaseSummary, Category, ConsentView, InboxFilter, InboxHtml, InboxView, Priority, RequestStatus, RequestSummary};
use leptos::prelude::*;

/// Renders the inbox for `inbox_page`, which keeps the result until the data changes (backend::render_cache).
/// Compiled for the browser too, where nothing calls it, so the components it uses are not dead code there.
/// Rendered in the reader's language `l` (and cached per language).
pub fn render_inbox(inbox: InboxView, f: &InboxFilter, l: Locale) -> InboxHtml {
    // The components below read the language from the context, as on a page.
    Owner::new().with(|| {
        provide_context(l);
        inbox_html(inbox, f, l)
    })
}

fn inbox_html(inbox: InboxView, f: &InboxFilter, l: Locale) -> InboxHtml {
    use leptos::tachys::view::RenderHtml;
    let counterparts = std::iter::once((String::new(), tr!(l, "filter-any-counterpart")))
        .chain(inbox.counterparts.iter().map(|a| (a.code.clone(), format!("{} ({})", a.code, a.country.label_in(l)))))
        .collect();
    let next = inbox.incoming_has_more.then(|| {
        let (priority, category) = (f.priority.map(|p| p.as_str()).unwrap_or_default(), f.category.map(|c| c.as_str()).unwrap_or_default());
        format!("/?status={}&priority={priority}&category={category}&counterpart={}&page={}", f.status, f.counterpart, f.page + 1)
    });
    let filters = view! {
        <form method="get" action="" class="filters" aria-label=tr!(l, "inbox-filter")>
            <SelectField label=tr!(l, "filter-status") name="status" options=enum_options(RequestStatus::ALL, RequestStatus::as_str, |s| s.label_in(l), Some(&tr!(l, "filter-status-open"))) selected=f.status.clone()/>
            <SelectField label=tr!(l, "filter-priority") name="priority" options=enum_options(Priority::ALL, Priority::as_str, |p| p.label_in(l), Some(&tr!(l, "filter-any-priority"))) selected=f.priority.map(|p| p.as_str()).unwrap_or_default()/>
            <SelectField label=tr!(l, "filter-category") name="category" options=enum_options(Category::ALL, Category::as_str, |c| c.label_in(l), Some(&tr!(l, "filter-any-category"))) selected=f.category.map(|c| c.as_str()).unwrap_or_default()/>
            <SelectField label=tr!(l, "filter-counterpart") name="counterpart" options=counterparts selected=f.counterpart.clone()/>
            <button type="submit" class="button secondary">{tr!(l, "filter-apply")}</button>
        </form>
    }
    .to_html();
    let lists = view! {
        <section aria-labelledby="incoming-h">
            <h2 id="incoming-h">{tr!(l, "inbox-incoming")} " " <span class="muted small">{tr!(l, "inbox-times-in", zone = inbox.time_zone.clone())}</span></h2>
            <RequestTable requests=inbox.incoming empty=tr!(l, "inbox-incoming-none") label=tr!(l, "inbox-incoming") direction=Column::From/>
            {next.map(|h| view! { <p><a class="button secondary" href=h>{tr!(l, "inbox-more-incoming")}</a></p> })}
        </section>
        {(!inbox.consents.is_empty()).then(|| view! {
            <section aria-labelledby="consents-h">
                <h2 id="consents-h">{tr!(l, "inbox-consents")}</h2>
                <ConsentTable consents=inbox.consents.clone()/>
            </section>
        })}
        <section aria-labelledby="outgoing-h">
            <h2 id="outgoing-h">{tr!(l, "inbox-outgoing")}</h2>
            <RequestTable requests=inbox.outgoing empty=tr!(l, "inbox-outgoing-none") label=tr!(l, "inbox-outgoing") direction=Column::To/>
        </section>
        <section aria-labelledby="cases-h">
            <h2 id="cases-h">{tr!(l, "inbox-my-cases")}</h2>
            <CaseTable cases=inbox.my_cases empty=tr!(l, "inbox-my-cases-none")/>
        </section>
    }
    .to_html();
    InboxHtml { filters, lists }
}

/// Which agency the counterpart column of a request table shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Incoming: who sent it.
    From,
    /// Outgoing: to whom.
    To,
    /// Both directions: sender → recipient.
    Both,
}

#[component]
pub fn RequestTable(
    requests: Vec<RequestSummary>,
    #[prop(into)] empty: String,
    #[prop(into)] label: String,
    direction: Column,
) -> impl IntoView {
    let l = crate::i18n::use_locale();
    if requests.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    let counterpart_label = match direction {
        Column::From => tr!(l, "col-from"),
        Column::To => tr!(l, "col-to"),
        Column::Both => tr!(l, "col-from-to"),
    };
    // `stack`: on a phone each row is a card (subject first, then due, counterpart, priority, status,
    // case), the cells named by `data-label` (style/main.css), so no column falls off the screen.
    let (due, case) = (tr!(l, "col-due"), tr!(l, "col-case"));
    view! {
        <div class="table-wrap">
            <table class="data requests stack">
                <caption class="visually-hidden">{label}</caption>
                <thead>
                    <tr>
                        <th scope="col">{due.clone()}</th>
                        <th scope="col">{tr!(l, "col-subject")}</th>
                        <th scope="col">{counterpart_label.clone()}</th>
                        <th scope="col">{tr!(l, "col-priority")}</th>
                        <th scope="col">{tr!(l, "col-status")}</th>
                        <th scope="col">{tr!(l, "col-case")}</th>
                    </tr>
                </thead>
                <tbody>
                    {requests
                        .into_iter()
                        .map(|r| {
                            let overdue = r.deadline.as_ref().is_some_and(|d| d.overdue);
                            let counterpart = match direction {
                                Column::From => r.from_agency.clone(),
                                Column::To => r.to_agency.clone(),
                                Column::Both => format!("{} → {}", r.from_agency, r.to_agency),
                            };
                            view! {
                                <tr class:overdue-row=overdue>
                                    <td class="card-wide" data-label=due.clone()><DeadlineText deadline=r.deadline.clone()/></td>
                                    <td class="card-main">
                                        <a href=format!("/requests/{}", r.id) translate="no">{r.subject.clone()}</a>
                                        <div class="muted small">{r.kind.label_in(l)} " · " <TlpBadge tlp=r.tlp/></div>
                                    </td>
                                    <td translate="no" data-label=counterpart_label.clone()>{counterpart}</td>
                                    <td><PriorityBadge priority=r.priority/></td>
                                    <td><RequestStatusBadge status=r.status/></td>
                                    <td translate="no" data-label=case.clone()><a href=format!("/cases/{}", r.case_id) class="mono">{r.case_reference.clone()}</a></td>
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

/// Consent asked of the viewer's side, earliest due first: what for, by whom, on which case, by when.
#[component]
pub fn ConsentTable(consents: Vec<ConsentView>) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let (due, case, from) = (tr!(l, "col-due"), tr!(l, "col-case"), tr!(l, "col-from"));
    view! {
        <div class="table-wrap">
            <table class="data requests stack">
                <caption class="visually-hidden">{tr!(l, "inbox-consents")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{due.clone()}</th>
                        <th scope="col">{tr!(l, "consent-col-asked")}</th>
                        <th scope="col">{from.clone()}</th>
                        <th scope="col">{case.clone()}</th>
                    </tr>
                </thead>
                <tbody>
                    {consents.into_iter().map(|k| {
                        let overdue = k.deadline.overdue;
                        let what = match &k.pass_to {
                            Some(to) => tr!(l, "consent-pass-to", agency = to.clone()),
                            None => k.purpose.label_in(l),
                        };
                        view! {
                            <tr class:overdue-row=overdue>
                                <td class="card-wide" data-label=due.clone()><DeadlineText deadline=Some(k.deadline.clone())/></td>
                                <td class="card-main"><a href=format!("/requests/{}#response-{}", k.request_id, k.response_id)>{what}</a></td>
                                <td translate="no" data-label=from.clone()>{k.asked_by_agency.clone()}</td>
                                <td translate="no" data-label=case.clone()><span class="mono">{k.case_reference.clone()}</span></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn CaseTable(
    cases: Vec<CaseSummary>,
    #[prop(into)] empty: String,
    /// A tick box per case, for the bulk panel (`components::bulk`).
    #[prop(optional)]
    selectable: bool,
) -> impl IntoView {
    let l = crate::i18n::use_locale();
    if cases.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    // On a phone, a card per case (see RequestTable).
    let (category, lead, open, updated) = (tr!(l, "col-category"), tr!(l, "col-lead"), tr!(l, "col-open-requests"), tr!(l, "col-updated"));
    view! {
        <div class="table-wrap">
            <table class="data stack">
                <caption class="visually-hidden">{tr!(l, "cases-caption")}</caption>
                <thead>
                    <tr>
                        {selectable.then(|| view! { <th scope="col"><span class="visually-hidden">{tr!(l, "col-selected")}</span></th> })}
                        <th scope="col">{tr!(l, "col-reference")}</th><th scope="col">{tr!(l, "col-title")}</th><th scope="col">{tr!(l, "col-category")}</th>
                        <th scope="col">{tr!(l, "col-priority")}</th><th scope="col">{tr!(l, "col-status")}</th><th scope="col">{tr!(l, "col-lead")}</th>
                        <th scope="col" class="num">{tr!(l, "col-open-requests")}</th><th scope="col">{tr!(l, "col-updated")}</th>
                    </tr>
                </thead>
                <tbody>
                    {cases.into_iter().map(|c| view! {
                        <tr>
                            {selectable.then(|| view! {
                                <td><input type="checkbox" name="case" value=c.id.to_string() aria-label=tr!(l, "select-case", reference = c.reference.clone())/></td>
                            })}
                            <td class="mono nowrap card-ref" translate="no"><a href=format!("/cases/{}", c.id)>{c.reference.clone()}</a></td>
                            <td class="card-main"><span translate="no">{c.title.clone()}</span> <div><TlpBadge tlp=c.tlp/></div></td>
                            <td data-label=category.clone()>{c.category.label_in(l)}</td>
                            <td><PriorityBadge priority=c.priority/></td>
                            <td><CaseStatusBadge status=c.status/></td>
                            <td translate="no" data-label=lead.clone()>{c.lead_name.clone()} <span class="muted">" " {c.owner_agency.clone()}</span></td>
                            <td class="num" data-label=open.clone()>{c.open_requests}</td>
                            <td class="nowrap" data-label=updated.clone()><time datetime=c.updated.at.to_rfc3339()>{c.updated.text.clone()}</time></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
