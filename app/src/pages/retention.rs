//! Retention review (supervisors): the country's closed cases whose review date has come, each kept until
//! a date with a reason, or purged with a reason; and the person-centred report for a data-protection
//! request.

use crate::api::retention::{find_person, retention_due, DecideRetention};
use crate::components::badges::{ConditionsBadges, TlpBadge};
use crate::components::forms::{Field, SelectField, TextArea};
use crate::components::layout::Guard;
use crate::components::server_form::ServerForm;
use crate::i18n::LabelIn;
use crate::model::permissions::Action;
use crate::model::{PersonReport, RetentionItem};
use crate::pages::search::split_marks;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RetentionPage() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let due = Resource::new(|| (), |_| retention_due());
    let query = use_query_map();
    let name = move || query.read().get("name").unwrap_or_default();
    let report = Resource::new(name, |n: String| async move {
        if n.trim().is_empty() {
            Ok(None)
        } else {
            find_person(n).await.map(Some)
        }
    });
    view! {
        <Title text=tr!(l, "ret-title")/>
        <Guard action=Action::ReviewRetention>
            <h1>{tr!(l, "ret-title")}</h1>
            <p class="muted">{tr!(l, "ret-intro")}</p>
            <section class="panel" aria-labelledby="ret-due-h">
                <h2 id="ret-due-h">{tr!(l, "ret-due")}</h2>
                <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                    {move || Suspend::new(async move {
                        match due.await {
                            Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(l)}</p> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="empty">{tr!(l, "ret-none")}</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="plain retention-list">
                                    {list.into_iter().map(|item| view! { <DueCase item/> }).collect_view()}
                                </ul>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <section class="panel" aria-labelledby="person-h">
                <h2 id="person-h">{tr!(l, "person-title")}</h2>
                <p class="muted">{tr!(l, "person-intro")}</p>
                <form method="GET" action="/retention" class="filters" aria-label=tr!(l, "person-title")>
                    <div class="field">
                        <label for="person-name">{tr!(l, "person-name")}</label>
                        <input id="person-name" name="name" type="search" value=name/>
                    </div>
                    <button type="submit" class="button primary">{tr!(l, "person-run")}</button>
                </form>
                <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                    {move || Suspend::new(async move {
                        match report.await {
                            Err(e) => {
                                let message = e.field_message("name").unwrap_or_else(|| e.message_in(l));
                                view! { <p class="error-summary" role="alert">{message}</p> }.into_any()
                            }
                            Ok(None) => ().into_any(),
                            Ok(Some(r)) => view! { <PersonRecords report=r/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </Guard>
    }
}

/// One case due for review, with what it holds and the decision's form.
#[component]
fn DueCase(item: RetentionItem) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let decisions =
        vec![(String::new(), tr!(l, "choose")), ("keep".to_string(), tr!(l, "ret-keep")), ("purge".to_string(), tr!(l, "ret-purge"))];
    view! {
        <li class="retention-item">
            <p>
                <a href=format!("/cases/{}", item.case_id) translate="no"><span class="mono">{item.reference.clone()}</span> " " {item.title.clone()}</a>
                " " <span class="muted">{item.category.label_in(l)} " · " {item.owner.clone()}</span>
            </p>
            <p class="muted small">
                {tr!(l, "ret-facts", closed = item.closed.as_ref().map(|c| c.text.clone()).unwrap_or_default(), review = item.review.text.clone(),
                    requests = item.requests, named = item.named, files = item.files)}
            </p>
            {item.last_reason.clone().map(|r| view! { <p class="small">{tr!(l, "ret-last-kept")} " " <span translate="no">{r}</span></p> })}
            <details>
                <summary class="button secondary">{tr!(l, "ret-decide")}</summary>
                <ServerForm action=DecideRetention::PATH done=tr!(l, "ret-done")>
                    <input type="hidden" name="case_id" value=item.case_id/>
                    <SelectField form="ret" label=tr!(l, "ret-decision") name="decision" options=decisions/>
                    <Field form="ret" label=tr!(l, "ret-keep-until") name="keep_until" kind="date" hint=tr!(l, "ret-keep-hint")/>
                    <TextArea form="ret" label=tr!(l, "ret-reason") name="reason" rows=3 required=true hint=tr!(l, "ret-reason-hint")/>
                    <button type="submit" class="button primary">{tr!(l, "ret-submit")}</button>
                </ServerForm>
            </details>
        </li>
    }
}

#[component]
fn PersonRecords(report: PersonReport) -> impl IntoView {
    let l = crate::i18n::use_locale();
    if report.records.is_empty() {
        return view! { <p class="empty">{tr!(l, "person-none", name = report.name.clone())}</p> }.into_any();
    }
    view! {
        <p class="muted">{tr!(l, "person-count", count = report.records.len() as i64, name = report.name.clone())}</p>
        {report.capped.then(|| view! { <p class="muted small">{tr!(l, "search-many")}</p> })}
        <div class="table-wrap">
            <table class="data stack">
                <caption class="visually-hidden">{tr!(l, "person-title")}</caption>
                <thead><tr>
                    <th scope="col">{tr!(l, "col-case")}</th>
                    <th scope="col">{tr!(l, "person-record")}</th>
                    <th scope="col">{tr!(l, "person-source")}</th>
                    <th scope="col">{tr!(l, "person-conditions")}</th>
                </tr></thead>
                <tbody>
                    {report.records.into_iter().map(|r| {
                        let kind = match r.kind.as_str() {
                            "entity" => tr!(l, "person-kind-entity"),
                            "request" => tr!(l, "person-kind-request"),
                            _ => tr!(l, "person-kind-response"),
                        };
                        view! {
                            <tr>
                                <td translate="no"><a href=r.link.clone() class="mono">{r.case_reference.clone()}</a></td>
                                <td>
                                    <span class="muted small">{kind}</span> " "
                                    <span translate="no">{split_marks(&r.text).into_iter().map(|(text, hit)| if hit {
                                        view! { <mark>{text}</mark> }.into_any()
                                    } else {
                                        view! { <span>{text}</span> }.into_any()
                                    }).collect_view()}</span>
                                    {(!r.identifier.is_empty()).then(|| view! { " " <span class="mono small" translate="no">{r.identifier.clone()}</span> })}
                                </td>
                                <td translate="no">{r.source_agency.clone()}</td>
                                <td><TlpBadge tlp=r.tlp/> " " <ConditionsBadges conditions=r.conditions.clone()/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}
