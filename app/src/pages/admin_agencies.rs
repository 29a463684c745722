//! Admin: agencies of both countries, and adding one.

use crate::api::admin::{list_agencies, CreateAgency};
use crate::api::conditions::{legal_bases, AddLegalBasis, RetireLegalBasis};
use crate::api::retention::{retention_periods, SetRetentionPeriod};
use crate::components::forms::{Field, SelectField};
use crate::components::layout::Guard;
use crate::components::server_form::ServerForm;
use crate::i18n::{LabelIn, Locale};
use crate::model::permissions::Action;
use crate::model::{Country, RetentionPeriodView};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn AgenciesPage() -> impl IntoView {
    view! {
        <Title text=tr!(crate::i18n::use_locale(), "nav-agencies")/>
        <Agencies/>
    }
}

#[component]
fn Agencies() -> impl IntoView {
    let agencies = Resource::new(|| (), |_| list_agencies());
    let l = crate::i18n::use_locale();
    let countries: Vec<(String, String)> = std::iter::once((String::new(), tr!(l, "agy-choose-country")))
        .chain(Country::ALL.iter().map(|c| (c.as_str().to_string(), c.label_in(l))))
        .collect();
    let countries = StoredValue::new(countries);
    view! {
        <Guard action=Action::ManageAgencies>
            <h1>{tr!(l, "nav-agencies")}</h1>
            <div class="columns">
                <section class="panel wide">
                    <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                        {move || Suspend::new(async move {
                            match agencies.await {
                                Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(l)}</p> }.into_any(),
                                Ok(list) => view! {
                                    <div class="table-wrap">
                                        <table class="data">
                                            <caption class="visually-hidden">{tr!(l, "nav-agencies")}</caption>
                                            <thead><tr><th scope="col">{tr!(l, "agy-code")}</th><th scope="col">{tr!(l, "adm-name")}</th><th scope="col">{tr!(l, "agy-country")}</th><th scope="col" class="num">{tr!(l, "nav-users")}</th></tr></thead>
                                            <tbody>
                                                {list.into_iter().map(|a| view! {
                                                    <tr>
                                                        <td class="mono" translate="no">{a.code.clone()}</td>
                                                        <td translate="no">{a.name.clone()}</td>
                                                        <td>{a.country.label_in(l)}</td>
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
                    <h2>{tr!(l, "agy-add-title")}</h2>
                    <ServerForm action=CreateAgency::PATH done=tr!(l, "agy-added")>
                        <Field label=tr!(l, "agy-code") name="code" required=true hint=tr!(l, "agy-code-hint")/>
                        <Field label=tr!(l, "adm-name") name="name" required=true/>
                        <SelectField label=tr!(l, "agy-country") name="country" options=countries.get_value()/>
                        <button type="submit" class="button primary">{tr!(l, "agy-add")}</button>
                    </ServerForm>
                </section>
            </div>
            <LegalBases/>
            <RetentionPeriods/>
        </Guard>
    }
}

/// The admin's country's legal bases for requests: the list officers choose from, kept here.
#[component]
fn LegalBases() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let bases = Resource::new(|| (), |_| legal_bases());
    view! {
        <div class="columns">
            <section class="panel wide" aria-labelledby="lb-h">
                <h2 id="lb-h">{tr!(l, "lb-admin-title")}</h2>
                <p class="hint">{tr!(l, "lb-admin-hint")}</p>
                <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                    {move || Suspend::new(async move {
                        match bases.await {
                            Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(l)}</p> }.into_any(),
                            Ok(list) => view! {
                                <div class="table-wrap">
                                    <table class="data">
                                        <caption class="visually-hidden">{tr!(l, "lb-admin-title")}</caption>
                                        <thead><tr><th scope="col">{tr!(l, "lb-code")}</th><th scope="col">{tr!(l, "lb-basis")}</th><th scope="col">{tr!(l, "lb-state")}</th></tr></thead>
                                        <tbody>
                                            {list.into_iter().map(|b| view! {
                                                <tr>
                                                    <td class="mono" translate="no">{b.code.clone()}</td>
                                                    <td translate="no">{b.label.clone()} {b.formal_mla.then(|| view! { " " <span class="lb-formal">{tr!(l, "lb-formal")}</span> })}</td>
                                                    <td>{if b.retired {
                                                        view! { <span class="muted">{tr!(l, "lb-retired")}</span> }.into_any()
                                                    } else {
                                                        view! {
                                                            <ServerForm action=RetireLegalBasis::PATH class="inline" done=tr!(l, "lb-retire-done")>
                                                                <input type="hidden" name="id" value=b.id/>
                                                                <button type="submit" class="button secondary">{tr!(l, "lb-retire")}</button>
                                                            </ServerForm>
                                                        }.into_any()
                                                    }}</td>
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
            <section class="panel" aria-labelledby="lb-add-h">
                <h2 id="lb-add-h">{tr!(l, "lb-add")}</h2>
                <ServerForm action=AddLegalBasis::PATH done=tr!(l, "lb-add-done")>
                    <Field form="lb" label=tr!(l, "lb-code") name="code" required=true hint=tr!(l, "lb-code-hint")/>
                    <Field form="lb" label=tr!(l, "lb-basis") name="label" required=true/>
                    <div class="field checkbox">
                        <input type="checkbox" id="f-lb-formal_mla" name="formal_mla" value="true"/>
                        <label for="f-lb-formal_mla">{tr!(l, "lb-formal-field")}</label>
                    </div>
                    <button type="submit" class="button primary">{tr!(l, "lb-add")}</button>
                </ServerForm>
            </section>
        </div>
    }
}

/// How long the country's closed cases are kept before their retention review: a default, and any category's
/// own period. Cases closed from then on follow a change; those already closed keep their review date.
#[component]
fn RetentionPeriods() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let periods = Resource::new(|| (), |_| retention_periods());
    view! {
        <section class="panel" aria-labelledby="rp-h">
            <h2 id="rp-h">{tr!(l, "rp-title")}</h2>
            <p class="hint">{tr!(l, "rp-hint")}</p>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                {move || Suspend::new(async move {
                    match periods.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(l)}</p> }.into_any(),
                        Ok(list) => {
                            let default = list.iter().find(|p| p.category.is_none()).and_then(|p| p.years).unwrap_or_default();
                            view! {
                                <div class="table-wrap">
                                    <table class="data">
                                        <caption class="visually-hidden">{tr!(l, "rp-title")}</caption>
                                        <thead><tr><th scope="col">{tr!(l, "col-category")}</th><th scope="col">{tr!(l, "rp-years")}</th></tr></thead>
                                        <tbody>
                                            {list.into_iter().map(|p| period_row(p, default, l)).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

fn period_row(p: RetentionPeriodView, default: i64, l: Locale) -> impl IntoView {
    let (code, name) = match p.category {
        Some(c) => (c.as_str().to_string(), c.label_in(l)),
        None => ("*".to_string(), tr!(l, "rp-default")),
    };
    let id = format!("f-rp-{}", code.replace('*', "default"));
    // A category without its own period shows the default's years, greyed, and says that it follows it.
    let follows = p.category.is_some() && p.years.is_none();
    let placeholder = follows.then(|| default.to_string());
    let note = follows.then(|| view! { " " <span class="muted small">{tr!(l, "rp-follows", years = default)}</span> });
    view! {
        <tr>
            <th scope="row"><label for=id.clone()>{name}</label></th>
            <td>
                <ServerForm action=SetRetentionPeriod::PATH class="inline" done=tr!(l, "rp-saved")>
                    <input type="hidden" name="category" value=code/>
                    <input type="number" id=id name="years" min="1" max="100" inputmode="numeric" class="years"
                        value=p.years.map(|y| y.to_string()).unwrap_or_default() placeholder=placeholder/>
                    " "
                    <button type="submit" class="button secondary">{tr!(l, "rp-save")}</button>
                    {note}
                </ServerForm>
            </td>
        </tr>
    }
}
