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
        <Title text="Audit trail"/>
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
    let events = Resource::new(filter, list_audit);
    let actions = Resource::new(|| (), |_| audit_actions());
    view! {
        <Guard action=Action::ReadAudit>
            <h1>"Audit trail"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let f = filter();
                    let error: Option<AppError> = events.await.err();
                    let error = Signal::derive(move || error.clone());
                    let options = std::iter::once((String::new(), "Any action".to_string()))
                        .chain(actions.await.unwrap_or_default().into_iter().map(|a| (a.clone(), a)))
                        .collect();
                    view! {
                        <Form method="GET" action="" attr:class="filters" attr:aria-label="Filter events">
                            <Field label="Username" name="user" value=f.user.clone() error/>
                            <SelectField label="Action" name="action" options selected=f.action.clone() error/>
                            <Field label="From (UTC date)" name="from" kind="date" value=f.from.clone() error/>
                            <Field label="To (UTC date)" name="to" kind="date" value=f.to.clone() error/>
                            <button type="submit" class="button secondary">"Filter"</button>
                        </Form>
                    }
                })}
            </Suspense>
            <Suspense fallback=|| view! { <p class="loading">"Loading events…"</p> }>
                {move || Suspend::new(async move {
                    let f = filter();
                    match events.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                        Ok(page) => {
                            let prev = (page.page > 0).then(|| page_link(&f, page.page - 1));
                            let next = page.has_more.then(|| page_link(&f, page.page + 1));
                            view! {
                                <p class="muted">"Showing " {page.scope.clone()} ", newest first. Page " {page.page + 1} "."</p>
                                {if page.events.is_empty() {
                                    view! { <p class="empty">"No event matches these filters."</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap">
                                            <table class="data audit">
                                                <caption class="visually-hidden">"Audit events"</caption>
                                                <thead><tr>
                                                    <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Action"</th>
                                                    <th scope="col">"Object"</th><th scope="col">"Outcome"</th><th scope="col">"From"</th><th scope="col">"Details"</th>
                                                </tr></thead>
                                                <tbody>
                                                    {page.events.into_iter().map(|e| view! {
                                                        <tr>
                                                            <td class="nowrap"><time datetime=e.at.to_rfc3339()>{e.at_display.clone()}</time></td>
                                                            <td>{e.username.clone().unwrap_or_default()} <span class="muted">" " {e.agency_code.clone().unwrap_or_default()}</span></td>
                                                            <td class="mono">{e.action.clone()}</td>
                                                            <td class="mono">{e.object_type.clone().map(|t| format!("{t} {}", e.object_id.clone().unwrap_or_default())).unwrap_or_default()}</td>
                                                            <td><span class=format!("outcome outcome-{}", e.outcome)>{e.outcome.clone()}</span></td>
                                                            <td class="mono">{e.client_ip.clone().unwrap_or_default()}</td>
                                                            <td class="details mono">{e.details.clone()}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }.into_any()
                                }}
                                <nav class="pager" aria-label="Pages">
                                    {prev.map(|h| view! { <a class="button secondary" href=h>"← Newer"</a> })}
                                    {next.map(|h| view! { <a class="button secondary" href=h>"Older →"</a> })}
                                </nav>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Guard>
    }
}
