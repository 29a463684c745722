//! The related cases of a case form, picked by looking them up (reference or words of the title) rather
//! than typed as references. The form still posts `links` as comma-separated references (the server's one
//! parser, `CaseForm::links`), kept in a hidden field this island writes; without JavaScript, the cases
//! already linked stay linked.

use crate::api::cases::case_lookup;
use crate::model::CaseChoice;
use leptos::prelude::*;

/// How long typing must pause before the look-up asks the server.
#[cfg(feature = "hydrate")]
const PAUSE_MS: u64 = 250;

#[island]
pub fn CaseLinksPicker(
    /// Distinguishes this form's element ids from other forms' on the same page.
    form: String,
    /// The cases linked now.
    chosen: Vec<CaseChoice>,
) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let chosen = RwSignal::new(chosen);
    let typed = RwSignal::new(String::new());
    let lookup = Action::new(|q: &String| {
        let q = q.clone();
        async move { case_lookup(q).await }
    });
    let found = move || lookup.value().get().and_then(|r| r.ok()).unwrap_or_default();
    let add = move |c: CaseChoice| {
        chosen.update(|list| {
            if !list.iter().any(|x| x.reference == c.reference) {
                list.push(c);
            }
        });
        typed.set(String::new());
        lookup.value().set(None);
    };
    let pending = StoredValue::new(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        typed.set(text.clone());
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        if text.trim().chars().count() < 2 {
            lookup.value().set(None);
        } else {
            #[cfg(feature = "hydrate")]
            {
                let ask = move || {
                    lookup.dispatch(text.clone());
                };
                let handle = leptos::leptos_dom::helpers::set_timeout_with_handle(ask, std::time::Duration::from_millis(PAUSE_MS));
                pending.set_value(handle.ok());
            }
        }
    };
    // Enter picks the first case found instead of sending the whole form half-filled.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            if let Some(first) = found().into_iter().next() {
                add(first);
            }
        }
    };
    // What the form sends: the references, comma-separated, as the server reads them.
    let references = move || chosen.with(|list| list.iter().map(|c| c.reference.as_str()).collect::<Vec<_>>().join(", "));
    let id = if form.is_empty() { "f-links".to_string() } else { format!("f-{form}-links") };
    let (hint_id, error_id, results_id) = (format!("{id}-hint"), format!("{id}-error"), format!("{id}-results"));
    view! {
        <div class="field case-links" data-field="links">
            <label for=id.clone()>{tr!(l, "field-links")}</label>
            <p class="hint" id=hint_id.clone()>{tr!(l, "field-links-pick-hint")}</p>
            <Chips chosen l/>
            <input id=id type="search" autocomplete="off" prop:value=move || typed.get() on:input=on_input on:keydown=on_key
                aria-describedby=format!("{hint_id} {error_id}") aria-controls=results_id.clone()/>
            <input type="hidden" name="links" prop:value=references value=references()/>
            <ul class="lookup-results" id=results_id>{move || found().into_iter().map(|c| view! { <Found c add/> }).collect_view()}</ul>
            <p class="visually-hidden" role="status">
                {move || match lookup.value().get() {
                    Some(Ok(list)) => tr!(l, "field-links-found", count = list.len() as i64),
                    Some(Err(e)) => e.message_in(l),
                    None => String::new(),
                }}
            </p>
            <p class="field-error" id=error_id></p>
        </div>
    }
}

/// The cases linked now, each with its button to take it out.
#[component]
fn Chips(chosen: RwSignal<Vec<CaseChoice>>, l: crate::i18n::Locale) -> impl IntoView {
    view! {
        <ul class="chips" aria-label=tr!(l, "field-links-chosen")>
            {move || chosen.get().into_iter().map(|c| {
                let reference = c.reference.clone();
                let label = tr!(l, "field-links-remove", reference = c.reference.clone());
                view! {
                    <li class="chip">
                        <span class="mono" translate="no">{c.reference.clone()}</span>
                        " " <span class="muted" translate="no">{c.title.clone()}</span>
                        <button type="button" class="chip-remove" aria-label=label
                            on:click=move |_| chosen.update(|list| list.retain(|x| x.reference != reference))>"×"</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// One case found: picking it links it.
#[component]
fn Found(c: CaseChoice, add: impl Fn(CaseChoice) + Copy + 'static) -> impl IntoView {
    let pick = c.clone();
    view! {
        <li>
            <button type="button" class="lookup-result" on:click=move |_| add(pick.clone())>
                <span class="mono" translate="no">{c.reference.clone()}</span> " " <span translate="no">{c.title.clone()}</span>
            </button>
        </li>
    }
}
