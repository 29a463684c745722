//! The audit trail: admins see every event, supervisors those of their own country's users.

use crate::api::audit::{audit_actions, list_audit};
use crate::components::forms::{Field, SelectField};
use crate::components::layout::Guard;
use crate::error::AppError;
use crate::model::permissions::Action;
use crate::model::AuditFilter;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <Title text=tr!(crate::i18n::use_locale(), "audit-title")/>
        <AuditTrail/>
    }
}

fn page_link(f: &AuditFilter, page: u32) -> String {
    let enc = |s: &str| s.replace('%', "%25").replace('&', "%26").replace('=', "%3D").replace('+', "%2B").replace(' ', "+");
    format!("/audit?user={}&action={}&from={}&to={}&page={page}", enc(&f.user), enc(&f.action), enc(&f.from), enc(&f.to))
}

#[component]
fn AuditTrail() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        AuditFilter {
            user: q.get("user").unwrap_or_default(),
            action: q.get("action").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
        }
    };
    let l = crate::i18n::use_locale();
    let events = Resource::new(filter, list_audit);
    let actions = Resource::new(|| (), |_| audit_actions());
    view! {
        <Guard action=Action::ReadAudit>
            <h1>{tr!(l, "audit-title")}</h1>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "audit-loading")}</p> }>
                {move || Suspend::new(async move {
                    let f = filter();
                    let error: Option<AppError> = events.await.err();
                    let error = Signal::derive(move || error.clone());
                    let options = std::iter::once((String::new(), tr!(l, "audit-any-action")))
                        .chain(actions.await.unwrap_or_default().into_iter().map(|a| (a.clone(), a)))
                        .collect();
                    view! {
                        <Form method="GET" action="" attr:class="filters" attr:aria-label=tr!(l, "audit-filter-label")>
                            <Field label=tr!(l, "audit-username") name="user" value=f.user.clone() error/>
                            <SelectField label=tr!(l, "audit-action") name="action" options selected=f.action.clone() error/>
                            <Field label=tr!(l, "audit-from") name="from" kind="date" value=f.from.clone() error/>
                            <Field label=tr!(l, "audit-to") name="to" kind="date" value=f.to.clone() error/>
                            <button type="submit" class="button secondary">{tr!(l, "audit-filter")}</button>
                        </Form>
                    }
                })}
            </Suspense>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "audit-loading-events")}</p> }>
                {move || Suspend::new(async move {
                    let f = filter();
                    match events.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(l)}</p> }.into_any(),
                        Ok(page) => {
                            let prev = (page.page > 0).then(|| page_link(&f, page.page - 1));
                            let next = page.has_more.then(|| page_link(&f, page.page + 1));
                            view! {
                                <p class="muted">{tr!(l, "audit-showing", scope = page.scope.clone(), page = page.page as i64 + 1)}</p>
                                {if page.events.is_empty() {
                                    view! { <p class="empty">{tr!(l, "audit-none")}</p> }.into_any()
                                } else {
                                    view! { <AuditTable events=page.events/> }.into_any()
                                }}
                                <nav class="pager" aria-label=tr!(l, "audit-pages")>
                                    {prev.map(|h| view! { <a class="button secondary" href=h>{tr!(l, "audit-newer")}</a> })}
                                    {next.map(|h| view! { <a class="button secondary" href=h>{tr!(l, "audit-older")}</a> })}
                                </nav>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// Each event as a sentence, with its code, object and account name beneath (for searching the trail by
/// them), and its details as labelled fields.
#[component]
fn AuditTable(events: Vec<crate::model::AuditEventView>) -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <div class="table-wrap">
            <table class="data audit">
                <caption class="visually-hidden">{tr!(l, "audit-caption")}</caption>
                <thead><tr>
                    <th scope="col">{tr!(l, "col-when")}</th><th scope="col">{tr!(l, "audit-col-event")}</th>
                    <th scope="col">{tr!(l, "audit-col-from")}</th><th scope="col">{tr!(l, "audit-col-details")}</th>
                </tr></thead>
                <tbody>
                    {events.into_iter().map(|e| {
                        let object = e.object_type.clone().map(|t| format!("{t} {}", e.object_id.clone().unwrap_or_default()));
                        let code = [Some(e.action.clone()), object, e.username.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                        view! {
                            <tr class=format!("outcome-{}", e.outcome)>
                                <td class="nowrap"><time datetime=e.at.to_rfc3339()>{e.at_display.clone()}</time></td>
                                <td>{e.said.clone()} <br/><span class="muted mono small" translate="no">{code}</span></td>
                                <td class="mono" translate="no">{e.client_ip.clone().unwrap_or_default()}</td>
                                <td class="details">
                                    {(!e.fields.is_empty()).then(|| view! {
                                        <dl class="fields">
                                            {e.fields.into_iter().map(|f| view! {
                                                <div>
                                                    <dt translate=if f.label_is_code { "no" } else { "yes" }>{f.label}</dt>
                                                    <dd translate="no">{f.value}</dd>
                                                </div>
                                            }).collect_view()}
                                        </dl>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
