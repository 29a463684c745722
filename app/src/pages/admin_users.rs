//! Admin: the list of accounts, and creating one (its temporary password is shown once).

use crate::api::admin::{list_agencies, list_users, CreateUser};
use crate::components::forms::{action_error, ErrorSummary, Field, SelectField};
use crate::components::layout::Guard;
use crate::i18n::{LabelIn, Locale};
use crate::model::permissions::Action;
use crate::model::{AgencyView, Role, UserFilter, UserStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

pub fn role_options(with_any: bool, l: Locale) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = if with_any { vec![(String::new(), tr!(l, "adm-any-role"))] } else { vec![] };
    v.extend(Role::ALL.iter().map(|r| (r.as_str().to_string(), r.label_in(l))));
    v
}

pub fn agency_options(agencies: &[AgencyView], first: &str, l: Locale) -> Vec<(String, String)> {
    std::iter::once((String::new(), first.to_string()))
        .chain(agencies.iter().map(|a| (a.code.clone(), format!("{} — {} ({})", a.code, a.name, a.country.label_in(l)))))
        .collect()
}

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <Title text=tr!(crate::i18n::use_locale(), "nav-users")/>
        <UsersList/>
    }
}

#[component]
fn UsersList() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        UserFilter {
            q: q.get("q").unwrap_or_default(),
            role: q.get("role").unwrap_or_default(),
            agency: q.get("agency").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
        }
    };
    let users = Resource::new(filter, list_users);
    let agencies = Resource::new(|| (), |_| list_agencies());
    let l = crate::i18n::use_locale();
    view! {
        <Guard action=Action::ManageAccounts>
            <div class="page-head">
                <h1>{tr!(l, "nav-users")}</h1>
                <a class="button primary" href="/admin/users/new">{tr!(l, "adm-new-user")}</a>
            </div>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                {move || Suspend::new(async move {
                    let f = filter();
                    let agencies = agencies.await.unwrap_or_default();
                    let statuses = std::iter::once((String::new(), tr!(l, "adm-any-status")))
                        .chain(UserStatus::ALL.iter().map(|s| (s.as_str().to_string(), s.label_in(l))))
                        .collect();
                    view! {
                        <Form method="GET" action="" attr:class="filters" attr:aria-label=tr!(l, "adm-filter-users")>
                            <Field label=tr!(l, "adm-name-or-username") name="q" value=f.q.clone()/>
                            <SelectField label=tr!(l, "adm-role") name="role" options=role_options(true, l) selected=f.role.clone()/>
                            <SelectField label=tr!(l, "adm-agency") name="agency" options=agency_options(&agencies, &tr!(l, "adm-any-agency"), l) selected=f.agency.clone()/>
                            <SelectField label=tr!(l, "adm-status") name="status" options=statuses selected=f.status.clone()/>
                            <button type="submit" class="button secondary">{tr!(l, "filter-apply")}</button>
                        </Form>
                    }
                })}
            </Suspense>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "adm-loading-users")}</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(l)}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">{tr!(l, "adm-no-user")}</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="data">
                                    <caption class="visually-hidden">{tr!(l, "adm-accounts")}</caption>
                                    <thead>
                                        <tr><th scope="col">{tr!(l, "adm-name")}</th><th scope="col">{tr!(l, "adm-username")}</th><th scope="col">{tr!(l, "adm-role")}</th><th scope="col">{tr!(l, "adm-agency")}</th><th scope="col">{tr!(l, "adm-status")}</th></tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|u| {
                                            let locked = u.locked_until.is_some();
                                            view! {
                                                <tr>
                                                    <td><a href=format!("/admin/users/{}", u.id) translate="no">{u.display_name.clone()}</a></td>
                                                    <td class="mono" translate="no">{u.username.clone()}</td>
                                                    <td>{u.role.label_in(l)}</td>
                                                    <td><span translate="no">{u.agency_code.clone()}</span> <span class="muted">" · " {u.country.label_in(l)}</span></td>
                                                    <td>
                                                        <span class=format!("status status-{}", u.status.as_str())>{u.status.label_in(l)}</span>
                                                        {locked.then(|| view! { " " <span class="status status-locked">{tr!(l, "adm-locked")}</span> })}
                                                        {(u.must_change_password && !u.service).then(|| view! { " " <span class="status status-pending">{tr!(l, "adm-temporary-password")}</span> })}
                                                        {u.service.then(|| view! { " " <span class="status status-service">{tr!(l, "adm-service-account")}</span> })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}

#[component]
pub fn NewUserPage() -> impl IntoView {
    view! {
        <Title text=tr!(crate::i18n::use_locale(), "adm-new-user")/>
        <NewUserForm/>
    }
}

#[component]
fn NewUserForm() -> impl IntoView {
    let agencies = Resource::new(|| (), |_| list_agencies());
    let l = crate::i18n::use_locale();
    view! {
        <Guard action=Action::ManageAccounts>
            <section class="panel narrow">
                <p><a href="/admin/users">{tr!(l, "adm-back-to-users")}</a></p>
                <h1>{tr!(l, "adm-new-user")}</h1>
                <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                    {move || Suspend::new(async move {
                        let agencies = agencies.await.unwrap_or_default();
                        view! { <CreateUserForm agencies=agency_options(&agencies, &tr!(l, "adm-choose-agency"), l) roles=role_options(false, l)/> }
                    })}
                </Suspense>
            </section>
        </Guard>
    }
}

/// An island of its own: the answer (who must confirm) is shown here.
#[island]
fn CreateUserForm(agencies: Vec<(String, String)>, roles: Vec<(String, String)>) -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let error = action_error(create);
    let l = crate::i18n::use_locale();
    view! {
        {move || create.value().get().and_then(|r| r.ok()).map(|created| view! {
            <div class="issued" role="status">
                <h2>{tr!(l, "adm-created-title")}</h2>
                <p><strong translate="no">{created.user.display_name.clone()}</strong> " (" <span class="mono" translate="no">{created.user.username.clone()}</span> ") "
                   {tr!(l, "adm-created-before")} " " <span data-testid="awaiting">{created.confirmer.clone()}</span> " "
                   {tr!(l, "adm-created-after")}</p>
                <p><a href=format!("/admin/users/{}", created.user.id)>{tr!(l, "adm-open-account")}</a></p>
            </div>
        })}
        <ActionForm action=create>
            <ErrorSummary error/>
            <Field label=tr!(l, "adm-username") name="username" autocomplete="off" required=true hint=tr!(l, "adm-username-hint") error/>
            <Field label=tr!(l, "adm-full-name") name="display_name" autocomplete="off" required=true error/>
            <SelectField label=tr!(l, "adm-role") name="role" options=roles selected="officer" error/>
            <SelectField label=tr!(l, "adm-agency") name="agency" options=agencies error/>
            <Field label=tr!(l, "adm-time-zone") name="time_zone" hint=tr!(l, "adm-time-zone-hint") error/>
            <div class="field checkbox" data-field="service">
                <input type="checkbox" id="f-service" name="service" value="on" aria-describedby="f-service-hint"/>
                <label for="f-service">{tr!(l, "adm-service-account")}</label>
                <p class="hint" id="f-service-hint">{tr!(l, "adm-service-new-hint")}</p>
            </div>
            <button type="submit" class="button primary" disabled=move || create.pending().get()>{tr!(l, "adm-create-user")}</button>
        </ActionForm>
    }
}
