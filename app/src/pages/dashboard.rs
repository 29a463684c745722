//! The supervisor dashboard: backlog, overdue and soon-due requests, timeliness by counterpart, a 26-week
//! trend and the workload per officer. Every figure links to the list behind it.

use crate::api::dashboard::dashboard_page;
use crate::components::layout::Guard;
use crate::model::permissions::Action;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Title text=tr!(crate::i18n::use_locale(), "nav-dashboard")/>
        <Dashboard/>
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    let data = Resource::new(|| (), |_| dashboard_page());
    view! {
        <Guard action=Action::ViewDashboard>
            <Suspense fallback=|| view! { <p class="loading">{tr!(crate::i18n::use_locale(), "dash-computing")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                        Ok(d) => view! {
                            <Title text=d.title/>
                            <div inner_html=d.html/>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}
