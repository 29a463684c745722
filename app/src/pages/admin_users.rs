//! Admin: the list of accounts, and creating one (its temporary password is shown once).

use crate::api::admin::{list_agencies, list_users, CreateUser};
use crate::components::forms::{action_error, ErrorSummary, Field, SelectField};
use crate::components::layout::Guard;
use crate::model::permissions::Action;
use crate::model::{AgencyView, Role, UserFilter, UserStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

pub fn role_options(with_any: bool) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = if with_any { vec![(String::new(), "Any role".into())] } else { vec![] };
    v.extend(Role::ALL.iter().map(|r| (r.as_str().to_string(), r.label().to_string())));
    v
}

pub fn agency_options(agencies: &[AgencyView], first: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), first.to_string()))
        .chain(agencies.iter().map(|a| (a.code.clone(), format!("{} — {} ({})", a.code, a.name, a.country.label()))))
        .collect()
}

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <Title text="Users"/>
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
    view! {
        <Guard action=Action::ManageAccounts>
            <div class="page-head">
                <h1>"Users"</h1>
                <a class="button primary" href="/admin/users/new">"New user"</a>
            </div>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let f = filter();
                    let agencies = agencies.await.unwrap_or_default();
                    let statuses = std::iter::once((String::new(), "Any status".to_string()))
                        .chain(UserStatus::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string())))
                        .collect();
                    view! {
                        <Form method="GET" action="" attr:class="filters" attr:aria-label="Filter users">
                            <Field label="Name or username" name="q" value=f.q.clone()/>
                            <SelectField label="Role" name="role" options=role_options(true) selected=f.role.clone()/>
                            <SelectField label="Agency" name="agency" options=agency_options(&agencies, "Any agency") selected=f.agency.clone()/>
                            <SelectField label="Status" name="status" options=statuses selected=f.status.clone()/>
                            <button type="submit" class="button secondary">"Filter"</button>
                        </Form>
                    }
                })}
            </Suspense>
            <Suspense fallback=|| view! { <p class="loading">"Loading users…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No user matches these filters."</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="data">
                                    <caption class="visually-hidden">"User accounts"</caption>
                                    <thead>
                                        <tr><th scope="col">"Name"</th><th scope="col">"Username"</th><th scope="col">"Role"</th><th scope="col">"Agency"</th><th scope="col">"Status"</th></tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|u| {
                                            let locked = u.locked_until.is_some();
                                            view! {
                                                <tr>
                                                    <td><a href=format!("/admin/users/{}", u.id)>{u.display_name.clone()}</a></td>
                                                    <td class="mono">{u.username.clone()}</td>
                                                    <td>{u.role.label()}</td>
                                                    <td>{u.agency_code.clone()} <span class="muted">" · " {u.country.label()}</span></td>
                                                    <td>
                                                        <span class=format!("status status-{}", u.status.as_str())>{u.status.label()}</span>
                                                        {locked.then(|| view! { " " <span class="status status-locked">"Locked"</span> })}
                                                        {u.must_change_password.then(|| view! { " " <span class="status status-pending">"Temporary password"</span> })}
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
        <Title text="New user"/>
        <NewUserForm/>
    }
}

#[component]
fn NewUserForm() -> impl IntoView {
    let agencies = Resource::new(|| (), |_| list_agencies());
    view! {
        <Guard action=Action::ManageAccounts>
            <section class="panel narrow">
                <p><a href="/admin/users">"← Users"</a></p>
                <h1>"New user"</h1>
                <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        let agencies = agencies.await.unwrap_or_default();
                        view! { <CreateUserForm agencies=agency_options(&agencies, "Choose an agency")/> }
                    })}
                </Suspense>
            </section>
        </Guard>
    }
}

/// An island of its own: the answer (who must confirm) is shown here.
#[island]
fn CreateUserForm(agencies: Vec<(String, String)>) -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let error = action_error(create);
    view! {
        {move || create.value().get().and_then(|r| r.ok()).map(|created| view! {
            <div class="issued" role="status">
                <h2>"Account created, waiting for confirmation"</h2>
                <p><strong>{created.user.display_name.clone()}</strong> " (" <span class="mono">{created.user.username.clone()}</span> ") can sign in once "
                   <span data-testid="awaiting">{created.confirmer.clone()}</span>
                   " confirms the account on their confirmations page. They receive its temporary password then, to hand over by a secure channel."</p>
                <p><a href=format!("/admin/users/{}", created.user.id)>"Open the account"</a></p>
            </div>
        })}
        <ActionForm action=create>
            <ErrorSummary error/>
            <Field label="Username" name="username" autocomplete="off" required=true hint="3 to 40 letters, digits, dots, hyphens or underscores." error/>
            <Field label="Full name" name="display_name" autocomplete="off" required=true error/>
            <SelectField label="Role" name="role" options=role_options(false) selected="officer" error/>
            <SelectField label="Agency" name="agency" options=agencies error/>
            <Field label="Time zone" name="time_zone" hint="Leave empty for the agency country's zone (America/Toronto or Asia/Kolkata)." error/>
            <button type="submit" class="button primary" disabled=move || create.pending().get()>"Create user"</button>
        </ActionForm>
    }
}
