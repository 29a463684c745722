//! The case list's bulk panel (supervisors): hand the ticked cases — or every case matching the filter — to
//! another lead, close them with one reason, or download them as CSV; then say, case by case, what was done
//! and what was refused and why. The ticks are the list's own checkboxes (`name="case"`), read at submit.

use super::forms::{ErrorSummary, SelectField, TextArea};
use crate::error::AppError;
use crate::model::{BulkReport, BULK_MAX_CASES};
use leptos::prelude::*;

#[island]
pub fn BulkCases(
    /// Who the cases may go to: (user id, "Name (AGENCY)").
    leads: Vec<(i64, String)>,
    /// The list's filter as a query string: "every case matching" and the CSV use it.
    filter: String,
    /// The server function's URL.
    action: String,
) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let error = RwSignal::new(None::<AppError>);
    let report = RwSignal::new(None::<BulkReport>);
    let busy = RwSignal::new(false);
    let lead_options = std::iter::once((String::new(), tr!(l, "bulk-choose-lead")))
        .chain(leads.into_iter().map(|(id, name)| (id.to_string(), name)))
        .collect::<Vec<_>>();
    let (filter_for_submit, filter_for_csv) = (filter.clone(), filter);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        browser::submit(ev, &filter_for_submit, error, report, busy);
        #[cfg(not(feature = "hydrate"))]
        let _ = &filter_for_submit;
    };
    let on_csv = move |_| {
        #[cfg(feature = "hydrate")]
        browser::download_csv(&filter_for_csv, error);
        #[cfg(not(feature = "hydrate"))]
        let _ = &filter_for_csv;
    };
    let on_tick_page = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        browser::tick_page(event_target_checked(&_ev));
    };
    view! {
        <section class="panel bulk" aria-labelledby="bulk-title">
            <h2 id="bulk-title">{tr!(l, "bulk-title")}</h2>
            <form action=action method="post" on:submit=on_submit aria-busy=move || busy.get().to_string()>
                <ErrorSummary error=error.into()/>
                <div class="bulk-choose">
                    <label class="check"><input type="checkbox" on:change=on_tick_page/> " " {tr!(l, "bulk-tick-page")}</label>
                    <label class="check">
                        <input type="checkbox" name="all_matching" value="1"/>
                        " " {tr!(l, "bulk-all-matching", max = BULK_MAX_CASES as i64)}
                    </label>
                </div>
                <div class="field-row">
                    <div>
                        <SelectField label=tr!(l, "bulk-hand-to") name="lead" form="bulk" options=lead_options error=error/>
                        <button type="submit" class="button secondary" value="reassign" disabled=move || busy.get()>{tr!(l, "bulk-reassign")}</button>
                    </div>
                    <div>
                        <TextArea label=tr!(l, "bulk-reason") name="reason" form="bulk" rows=2 error=error
                            hint=tr!(l, "bulk-reason-hint")/>
                        <button type="submit" class="button secondary" value="close" disabled=move || busy.get()>{tr!(l, "bulk-close")}</button>
                    </div>
                </div>
                <p><button type="button" class="button secondary" on:click=on_csv>{tr!(l, "bulk-csv")}</button></p>
            </form>
            <div role="status">{move || report.get().map(|r| view! { <Report report=r/> })}</div>
        </section>
    }
}

#[component]
fn Report(report: BulkReport) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let changed = report.changed.len();
    let refused = report.not_changed.len();
    view! {
        <div class="bulk-report">
            <p><strong>{tr!(l, "bulk-cases-report", changed = changed as i64, refused = refused as i64)}</strong> " " <a href="">{tr!(l, "bulk-reload")}</a></p>
            <ul>
                {report.changed.into_iter().map(|r| view! { <li class="ok"><span translate="no">{r}</span> " — " {tr!(l, "bulk-cases-done")}</li> }).collect_view()}
                {report.not_changed.into_iter().map(|r| view! { <li class="refused">{r.reference} " — " {r.reason}</li> }).collect_view()}
            </ul>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::components::server_form::post_form;
    use crate::error::AppError;
    use crate::model::BulkReport;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    /// The ids of the ticked cases of the list, "1,2,3".
    fn ticked() -> String {
        let mut ids = Vec::new();
        if let Ok(list) = document().query_selector_all("input[name=case]:checked") {
            for i in 0..list.length() {
                if let Some(input) = list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                    ids.push(input.value());
                }
            }
        }
        ids.join(",")
    }

    pub fn tick_page(on: bool) {
        if let Ok(list) = document().query_selector_all("input[name=case]") {
            for i in 0..list.length() {
                if let Some(input) = list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                    input.set_checked(on);
                }
            }
        }
    }

    pub fn download_csv(filter: &str, error: RwSignal<Option<AppError>>) {
        let ids = ticked();
        if ids.is_empty() {
            error.set(Some(AppError::field("ids", tr!(crate::i18n::use_locale(), "bulk-tick-first"))));
            return;
        }
        error.set(None);
        let _ = window().location().set_href(&format!("/export/cases.csv?{filter}&ids={ids}"));
    }

    pub fn submit(
        ev: leptos::ev::SubmitEvent,
        filter: &str,
        error: RwSignal<Option<AppError>>,
        report: RwSignal<Option<BulkReport>>,
        busy: RwSignal<bool>,
    ) {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
        // Which button: its value. (The buttons carry no name: a control named "action" would hide the form's
        // own `action` property from scripts.)
        let action = ev.submitter().and_then(|b| b.get_attribute("value")).unwrap_or_default();
        let Some(params) = web_sys::FormData::new_with_form(&form)
            .ok()
            .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok())
        else {
            return;
        };
        params.set("action", &action);
        params.set("ids", &ticked());
        params.set("filter", filter);
        let body = String::from(params.to_string());
        let url = form.action();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match post_form(&url, &body).await.and_then(|text| {
                serde_json::from_str::<BulkReport>(&text).map_err(|_| AppError::Transport("the answer could not be read".into()))
            }) {
                Ok(r) => {
                    error.set(None);
                    report.set(Some(r));
                }
                Err(e) => {
                    report.set(None);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    }
}
