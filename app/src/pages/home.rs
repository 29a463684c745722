//! The landing page: officers and supervisors get their inbox; admins a summary of their tools.

use crate::components::layout::{CurrentUser, Guard};
use crate::i18n::LabelIn;
use crate::model::permissions::{allows, Action};
use crate::model::Role;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let user = CurrentUser::resource();
    // The guard renders its children only once the user is known, so reading the resource here is safe.
    let works_cases = move || matches!(user.get(), Some(Ok(Some(u))) if allows(u.role, Action::WorkCases));
    let inbox = super::inbox::inbox_resource(works_cases);
    view! {
        <Title text=tr!(l, "home-title")/>
        <Guard action=Action::ManageOwnProfile>
            {move || if works_cases() { view! { <super::inbox::Inbox data=inbox/> }.into_any() } else { view! { <AdminHome/> }.into_any() }}
        </Guard>
    }
}

#[component]
fn AdminHome() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let user = CurrentUser::resource();
    move || {
        let Some(Ok(Some(u))) = user.get() else { return ().into_any() };
        let duties = match u.role {
            Role::Officer => tr!(l, "home-duties-officer"),
            Role::Supervisor => tr!(l, "home-duties-supervisor"),
            Role::Admin => tr!(l, "home-duties-admin"),
        };
        let links = [
            ("/admin/users", tr!(l, "nav-users"), tr!(l, "home-users-text"), Action::ManageAccounts),
            ("/admin/agencies", tr!(l, "nav-agencies"), tr!(l, "home-agencies-text"), Action::ManageAgencies),
            ("/audit", tr!(l, "nav-audit"), tr!(l, "home-audit-text"), Action::ReadAudit),
            ("/profile", tr!(l, "nav-profile"), tr!(l, "home-profile-text"), Action::ManageOwnProfile),
        ];
        let role_at = tr!(l, "home-role-at", role = u.role.label_in(l), agency = u.agency_name.clone(), country = u.country.label_in(l));
        view! {
            <section class="panel">
                <h1>{tr!(l, "home-welcome", name = u.display_name.clone())}</h1>
                <p class="lead">{role_at} " " {duties}</p>
                <p class="muted">{tr!(l, "home-zone", zone = u.time_zone.clone())}</p>
            </section>
            <ul class="cards">
                {links
                    .into_iter()
                    .filter(|link| allows(u.role, link.3))
                    .map(|(href, title, text, _)| view! {
                        <li class="card"><a href=href><strong>{title}</strong><span>{text}</span></a></li>
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    }
}
