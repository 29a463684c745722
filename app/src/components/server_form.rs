//! The one island behind almost every form: the fields are rendered on the server, and this posts them to
//! their server function without leaving the page. A refusal is shown in place (summary and per-field
//! messages, nothing the user typed is touched); an acceptance reloads the page, or goes where the form
//! says. Without JavaScript the same form still posts, as plain HTML (an accepted one brings the page back;
//! a refused one shows the server's raw answer).

use super::forms::ErrorSummary;
use crate::error::AppError;
use leptos::prelude::*;

/// Where a page keeps the message to show after its own reload ("Saved.").
#[cfg(feature = "hydrate")]
const FLASH_KEY: &str = "ld-flash";

#[island]
pub fn ServerForm(
    /// The server function's URL (`<F as ServerFn>::PATH`).
    #[prop(into)]
    action: String,
    /// After success: empty to reload this page, or a path to go to, in which `{id}` is the answer's `id`.
    #[prop(optional, into)]
    then: Option<String>,
    /// Shown (as a toast) by the page that comes next, once it has loaded.
    #[prop(optional, into)]
    done: Option<String>,
    #[prop(optional, into)] class: Option<String>,
    children: Children,
) -> impl IntoView {
    let error = RwSignal::new(None::<AppError>);
    let (then, done) = (then.unwrap_or_default(), done.unwrap_or_default());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) {
                submit(form, then.clone(), done.clone(), error);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&then, &done);
    };
    view! {
        <form action=action method="post" class=class on:submit=on_submit>
            <ErrorSummary error=error.into()/>
            {children()}
        </form>
    }
}

/// The message a previous page left for this one, if any (read once).
#[island]
pub fn Flash() -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(storage) = window().session_storage().ok().flatten() {
            if let Ok(Some(text)) = storage.get_item(FLASH_KEY) {
                let _ = storage.remove_item(FLASH_KEY);
                message.set(Some(text));
            }
        }
    });
    // The status region exists from the start, so screen readers announce what appears in it.
    view! { <div class="flash" role="status">{move || message.get().map(|m| view! { <p class="success">{m}</p> })}</div> }
}

/// Leaves `message` for the next page of this tab.
#[cfg(feature = "hydrate")]
pub fn set_flash(message: &str) {
    if message.is_empty() {
        return;
    }
    if let Some(storage) = window().session_storage().ok().flatten() {
        let _ = storage.set_item(FLASH_KEY, message);
    }
}

#[cfg(feature = "hydrate")]
fn submit(form: web_sys::HtmlFormElement, then: String, done: String, error: RwSignal<Option<AppError>>) {
    let Some(body) = web_sys::FormData::new_with_form(&form)
        .ok()
        .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok())
        .map(|p| String::from(p.to_string()))
    else {
        return;
    };
    let url = form.action();
    set_busy(&form, true);
    leptos::task::spawn_local(async move {
        match post_form(&url, &body).await {
            Ok(answer) => {
                set_flash(&done);
                if let Some(next) = answer_next(&answer) {
                    let _ = window().location().set_href(&next);
                } else if then.is_empty() {
                    let _ = window().location().reload();
                } else {
                    let _ = window().location().set_href(&then.replace("{id}", &answer_id(&answer)));
                }
            }
            Err(e) => {
                set_busy(&form, false);
                mark_fields(&form, &e);
                error.set(Some(e));
                // Keyboard and screen-reader users land on the list of what to correct.
                request_animation_frame(move || {
                    use wasm_bindgen::JsCast;
                    if let Some(summary) =
                        form.query_selector(".error-summary").ok().flatten().and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        let _ = summary.focus();
                    }
                });
            }
        }
    });
}

/// Where the server says to go next (`next`: a path on this site), e.g. the sign-in's second step.
#[cfg(feature = "hydrate")]
fn answer_next(answer: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Next {
        next: String,
    }
    let next = serde_json::from_str::<Next>(answer).ok()?.next;
    // A path of this site only: no scheme, host, backslash or other character a browser might read as one.
    let plain = next.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-_".contains(&b));
    (next.starts_with('/') && !next.starts_with("//") && plain).then_some(next)
}

/// The `id` of what the server function created.
#[cfg(feature = "hydrate")]
fn answer_id(answer: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Created {
        id: i64,
    }
    serde_json::from_str::<Created>(answer).map(|c| c.id.to_string()).unwrap_or_default()
}

/// Posts a urlencoded body as a server function expects it, and reads its JSON answer or refusal.
#[cfg(feature = "hydrate")]
pub async fn post_form(url: &str, body: &str) -> Result<String, AppError> {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    let lost = |_| AppError::Transport("the connection was lost. Nothing was saved; try again.".into());
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    let headers = web_sys::Headers::new().map_err(lost)?;
    headers.set("Content-Type", "application/x-www-form-urlencoded").map_err(lost)?;
    headers.set("Accept", "application/json").map_err(lost)?;
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(lost)?;
    let response: web_sys::Response = JsFuture::from(window().fetch_with_request(&request)).await.map_err(lost)?.unchecked_into();
    let text = JsFuture::from(response.text().map_err(lost)?).await.map_err(lost)?.as_string().unwrap_or_default();
    if response.ok() {
        Ok(text)
    } else {
        Err(serde_json::from_str::<AppError>(&text).unwrap_or_else(|_| AppError::Transport(format!("HTTP {}", response.status()))))
    }
}

/// While a submission is under way its buttons are disabled, so a double click sends once.
#[cfg(feature = "hydrate")]
fn set_busy(form: &web_sys::HtmlFormElement, busy: bool) {
    let _ = form.set_attribute("aria-busy", if busy { "true" } else { "false" });
    for_each(form, "button[type=submit]", |b| {
        let _ = if busy { b.set_attribute("disabled", "") } else { b.remove_attribute("disabled") };
    });
}

/// Writes each field's message next to it (fields carry `data-field`, the key the server reports under).
#[cfg(feature = "hydrate")]
fn mark_fields(form: &web_sys::HtmlFormElement, error: &AppError) {
    for_each(form, "[data-field]", |field| {
        let message = field.get_attribute("data-field").and_then(|key| error.field_message(&key));
        let _ = field.class_list().toggle_with_force("has-error", message.is_some());
        if let Ok(Some(p)) = field.query_selector(".field-error") {
            p.set_text_content(message.as_deref());
        }
        if let Ok(Some(control)) = field.query_selector("input, select, textarea") {
            let _ = control.set_attribute("aria-invalid", if message.is_some() { "true" } else { "false" });
        }
    });
}

#[cfg(feature = "hydrate")]
fn for_each(root: &web_sys::Element, selector: &str, mut f: impl FnMut(web_sys::Element)) {
    use wasm_bindgen::JsCast;
    if let Ok(list) = root.query_selector_all(selector) {
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                f(el);
            }
        }
    }
}
