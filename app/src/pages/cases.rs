//! The case list (only cases the viewer's agency or country is party to) and the new-case form.

use crate::api::cases::{bulk_case_options, case_form_options, list_cases, ChangeCasesInBulk, CreateCase};
use crate::components::bulk::BulkCases;
use crate::components::case_links::CaseLinksPicker;
use crate::components::forms::{enum_options, Field, SelectField, TextArea};
use crate::components::layout::{CurrentUser, Guard};
use crate::components::lists::CaseTable;
use crate::components::server_form::ServerForm;
use crate::i18n::{LabelIn, Locale};
use crate::model::permissions::{allows, Action};
use crate::model::{CaseChoice, CaseFilter, CaseStatus, Category, Country, FormOptions, Priority, Tlp, CASES_CURRENT};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CasesPage() -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <Title text=tr!(l, "cases-title")/>
        <CaseList/>
    }
}

#[component]
fn CaseList() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        CaseFilter {
            q: q.get("q").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            category: q.get("category").and_then(|v| v.parse().ok()),
            priority: q.get("priority").and_then(|v| v.parse().ok()),
            lead: q.get("lead").and_then(|v| v.parse().ok()),
            ids: Vec::new(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
            length: crate::model::PageLength::Screen,
        }
    };
    let cases = Resource::new(filter, list_cases);
    // The bulk panel's choices, asked for only by those it is for (a refused call would make the page a 403).
    let user = CurrentUser::resource();
    let bulk = Resource::new(
        || (),
        move |_| async move {
            match user.await {
                Ok(Some(u)) if allows(u.role, Action::ChangeCasesInBulk) => bulk_case_options().await.ok(),
                _ => None,
            }
        },
    );
    view! {
        <Guard action=Action::WorkCases>
            <div class="page-head">
                <h1>{tr!(l, "cases-title")}</h1>
                <a class="button primary" href="/cases/new">{tr!(l, "new-case")}</a>
            </div>
            {move || {
                let f = filter();
                view! {
                    <Form method="GET" action="" attr:class="filters" attr:aria-label=tr!(l, "cases-filter")>
                        <Field label=tr!(l, "cases-search") name="q" value=f.q.clone()/>
                        <SelectField label=tr!(l, "filter-status") name="status" options=status_options(l) selected=f.status.clone()/>
                        <SelectField label=tr!(l, "filter-category") name="category" options=enum_options(Category::ALL, Category::as_str, |c| c.label_in(l), Some(&tr!(l, "filter-any-category"))) selected=f.category.map(|c| c.as_str()).unwrap_or_default()/>
                        <SelectField label=tr!(l, "filter-priority") name="priority" options=enum_options(Priority::ALL, Priority::as_str, |p| p.label_in(l), Some(&tr!(l, "filter-any-priority"))) selected=f.priority.map(|p| p.as_str()).unwrap_or_default()/>
                        // Kept when the other filters change; "Led by …" above the list says it applies.
                        {f.lead.map(|lead| view! { <input type="hidden" name="lead" value=lead/> })}
                        <button type="submit" class="button secondary">{tr!(l, "filter-search")}</button>
                    </Form>
                }
            }}
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "cases-loading")}</p> }>
                {move || Suspend::new(async move {
                    let f = filter();
                    match cases.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                        Ok(page) => {
                            let more = page.has_more.then(|| format!("/cases?{}", f.query(f.page + 1)));
                            let csv = format!("/export/cases.csv?{}", f.query(0));
                            let led_by = f.lead.map(|_| {
                                let name = page.lead_name.clone().unwrap_or_else(|| tr!(l, "cases-another-officer"));
                                let all = format!("/cases?{}", CaseFilter { lead: None, ..f.clone() }.query(0));
                                view! { <p class="filter-note">{tr!(l, "cases-led-by", name = name)} " · " <a href=all>{tr!(l, "cases-every-lead")}</a></p> }
                            });
                            let bulk = bulk.await.map(|options| {
                                let filter = CaseFilter { page: 0, ids: Vec::new(), ..f.clone() }.query(0);
                                view! { <BulkCases leads=options.leads filter action=ChangeCasesInBulk::PATH.to_string()/> }
                            });
                            let selectable = bulk.is_some();
                            view! {
                                {led_by}
                                <p class="export-link"><a href=csv download="" rel="external">{tr!(l, "cases-csv")}</a></p>
                                {bulk}
                                <CaseTable cases=page.cases empty=tr!(l, "cases-none") selectable/>
                                {more.map(|h| view! { <p><a class="button secondary" href=h>{tr!(l, "cases-more")}</a></p> })}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// The status filter's choices: each status, and the cases still being worked (what the dashboard counts
/// as open).
fn status_options(l: Locale) -> Vec<(String, String)> {
    let mut options = enum_options(CaseStatus::ALL, CaseStatus::as_str, |s| s.label_in(l), Some(&tr!(l, "cases-not-archived")));
    options.insert(1, (CASES_CURRENT.to_string(), tr!(l, "cases-open-or-active")));
    options
}

#[component]
pub fn NewCasePage() -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <Title text=tr!(l, "new-case")/>
        <NewCase/>
    }
}

/// The fields shared by the new-case and edit-case forms.
#[component]
pub fn CaseFields(
    options: FormOptions,
    #[prop(default = "")] form: &'static str,
    #[prop(optional)] title: String,
    #[prop(optional)] summary: String,
    #[prop(optional)] category: String,
    #[prop(optional)] priority: String,
    #[prop(optional)] tlp: String,
    #[prop(optional)] lead: String,
    /// The agencies already party (besides the owner): shown ticked, as they stay party.
    #[prop(optional)]
    parties: Vec<String>,
    /// The cases linked now.
    #[prop(optional)]
    links: Vec<CaseChoice>,
) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let leads = std::iter::once((String::new(), tr!(l, "choose-lead")))
        .chain(options.leads.iter().map(|(id, name)| (id.to_string(), name.clone())))
        .collect();
    view! {
        <Field form=form label=tr!(l, "field-title") name="title" value=title required=true/>
        <TextArea form=form label=tr!(l, "field-summary") name="summary" value=summary rows=6/>
        <div class="field-row">
            <SelectField form=form label=tr!(l, "filter-category") name="category" options=enum_options(Category::ALL, Category::as_str, |c| c.label_in(l), Some(&tr!(l, "choose-category"))) selected=category/>
            <SelectField form=form label=tr!(l, "filter-priority") name="priority" options=enum_options(Priority::ALL, Priority::as_str, |p| p.label_in(l), None) selected=if priority.is_empty() { "normal".to_string() } else { priority }/>
            <SelectField form=form label=tr!(l, "field-tlp") name="tlp" options=enum_options(Tlp::ALL, Tlp::as_str, Tlp::label, None) selected=if tlp.is_empty() { "amber".to_string() } else { tlp }/>
        </div>
        <SelectField form=form label=tr!(l, "field-lead") name="lead" options=leads selected=lead/>
        <AgencyPicker form options=options.clone() parties/>
        <CaseLinksPicker form=form.to_string() chosen=links/>
    }
}

/// The agencies party to the case, picked by ticking them, each country's together. Ones already party stay
/// so (an agency is never taken out of a case mid-exchange): shown ticked, not to be unticked.
#[component]
fn AgencyPicker(form: &'static str, options: FormOptions, parties: Vec<String>) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let groups = Country::ALL
        .iter()
        .map(|country| {
            let boxes = options
                .agencies
                .iter()
                .filter(|a| a.country == *country && a.id != options.my_agency.id)
                .map(|a| {
                    let id = format!("f-{form}-party-{}", a.code);
                    let party = parties.contains(&a.code);
                    let label_for = id.clone();
                    view! {
                        <label class="check" for=label_for>
                            <input type="checkbox" id=id name="parties[]" value=a.code.clone() checked=party disabled=party/>
                            <span><span class="mono" translate="no">{a.code.clone()}</span> " " <span class="muted small" translate="no">{a.name.clone()}</span></span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <div class="check-group" role="group" aria-label=country.label_in(l)>
                    <p class="check-group-title">{country.label_in(l)}</p>
                    {boxes}
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="pick-agencies" id=format!("f-{form}-parties")>
            <legend>{tr!(l, "field-parties")}</legend>
            <p class="hint">{tr!(l, "field-parties-hint")}</p>
            <div class="check-groups">{groups}</div>
        </fieldset>
    }
}

#[component]
fn NewCase() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let options = Resource::new(|| (), |_| case_form_options());
    view! {
        <Guard action=Action::WorkCases>
            <section class="panel narrow wide-form">
                <p><a href="/cases">{tr!(l, "new-case-back")}</a></p>
                <h1>{tr!(l, "new-case")}</h1>
                <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                    {move || Suspend::new(async move {
                        match options.await {
                            Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                            Ok(options) => {
                                let me = options.me.to_string();
                                view! {
                                    <ServerForm action=CreateCase::PATH then="/cases/{id}">
                                        <CaseFields options lead=me/>
                                        <button type="submit" class="button primary">{tr!(l, "case-open")}</button>
                                    </ServerForm>
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </section>
        </Guard>
    }
}
