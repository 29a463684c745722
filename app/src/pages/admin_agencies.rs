//! Admin: agencies of both countries, and adding one.

use crate::api::admin::{list_agencies, CreateAgency};
use crate::components::forms::{action_error, ErrorSummary, Field, SelectField};
use crate::components::layout::Guard;
use crate::model::permissions::Action;
use crate::model::Country;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AgenciesPage() -> impl IntoView {
    view! {
        <Title text="Agencies"/>
        <Agencies/>
    }
}

#[component]
fn Agencies() -> impl IntoView {
    let create = ServerAction::<CreateAgency>::new();
    let error = action_error(create);
    let agencies = Resource::new(move || create.version().get(), |_| list_agencies());
    let countries: Vec<(String, String)> = std::iter::once((String::new(), "Choose a country".to_string()))
        .chain(Country::ALL.iter().map(|c| (c.as_str().to_string(), c.label().to_string())))
        .collect();
    let countries = StoredValue::new(countries);
    view! {
        <Guard action=Action::ManageAgencies>
            <h1>"Agencies"</h1>
            <div class="columns">
                <section class="panel wide">
                    <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                        {move || Suspend::new(async move {
                            match agencies.await {
                                Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
                                Ok(list) => view! {
                                    <div class="table-wrap">
                                        <table class="data">
                                            <caption class="visually-hidden">"Agencies"</caption>
                                            <thead><tr><th scope="col">"Code"</th><th scope="col">"Name"</th><th scope="col">"Country"</th><th scope="col" class="num">"Users"</th></tr></thead>
                                            <tbody>
                                                {list.into_iter().map(|a| view! {
                                                    <tr>
                                                        <td class="mono">{a.code.clone()}</td>
                                                        <td>{a.name.clone()}</td>
                                                        <td>{a.country.label()}</td>
                                                        <td class="num"><a href=format!("/admin/users?agency={}", a.code)>{a.user_count}</a></td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any(),
                            }
                        })}
                    </Suspense>
                </section>
                <section class="panel">
                    <h2>"Add an agency"</h2>
                    <ActionForm action=create>
                        <ErrorSummary error/>
                        <Field label="Code" name="code" required=true hint="Short code, e.g. RCMP or CERT-IN." error/>
                        <Field label="Name" name="name" required=true error/>
                        <SelectField label="Country" name="country" options=countries.get_value() error/>
                        <button type="submit" class="button primary" disabled=move || create.pending().get()>"Add agency"</button>
                    </ActionForm>
                    <Show when=move || matches!(create.value().get(), Some(Ok(_)))>
                        <p class="success" role="status">"Agency added."</p>
                    </Show>
                </section>
            </div>
        </Guard>
    }
}
