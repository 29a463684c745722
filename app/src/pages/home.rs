//! The landing page: officers and supervisors get their inbox; admins a summary of their tools.

use crate::components::layout::{CurrentUser, Guard};
use crate::model::permissions::{allows, Action};
use crate::model::Role;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let user = CurrentUser::resource();
    // The guard renders its children only once the user is known, so reading the resource here is safe.
    let works_cases = move || matches!(user.get(), Some(Ok(Some(u))) if allows(u.role, Action::WorkCases));
    let inbox = super::inbox::inbox_resource(works_cases);
    view! {
        <Title text="Home"/>
        <Guard action=Action::ManageOwnProfile>
            {move || if works_cases() { view! { <super::inbox::Inbox data=inbox/> }.into_any() } else { view! { <AdminHome/> }.into_any() }}
        </Guard>
    }
}

#[component]
fn AdminHome() -> impl IntoView {
    let user = CurrentUser::resource();
    move || {
        let Some(Ok(Some(u))) = user.get() else { return ().into_any() };
        let duties = match u.role {
            Role::Officer => "You open cases, send requests to your counterparts and answer theirs.",
            Role::Supervisor => {
                "You review your country's backlog and timeliness, approve outgoing requests and read your side's audit trail."
            }
            Role::Admin => "You manage accounts and agencies and read the audit trail. Case contents are not visible to administrators.",
        };
        let links = [
            ("/admin/users", "Users", "Create accounts, change roles, unlock and disable.", Action::ManageAccounts),
            ("/admin/agencies", "Agencies", "The agencies of both countries.", Action::ManageAgencies),
            ("/audit", "Audit trail", "Who did what, when, from where.", Action::ReadAudit),
            ("/profile", "Profile", "Your password and time zone.", Action::ManageOwnProfile),
        ];
        view! {
            <section class="panel">
                <h1>"Welcome, " {u.display_name.clone()}</h1>
                <p class="lead">{u.role.label()} " at " {u.agency_name.clone()} " (" {u.country.label()} "). " {duties}</p>
                <p class="muted">"Times are shown in your zone: " {u.time_zone.clone()} "."</p>
            </section>
            <ul class="cards">
                {links
                    .into_iter()
                    .filter(|l| allows(u.role, l.3))
                    .map(|(href, title, text, _)| view! {
                        <li class="card"><a href=href><strong>{title}</strong><span>{text}</span></a></li>
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    }
}
