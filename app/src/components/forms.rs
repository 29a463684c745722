//! Form pieces that show the server's per-field messages next to the field and in a summary, and keep
//! what the user typed (inputs are never cleared on an error).

use crate::error::AppError;
use leptos::prelude::*;

/// The error of the last submission of a server action, if it failed.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// The message list at the top of a form: every problem at once, announced to screen readers.
#[component]
pub fn ErrorSummary(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let items = e.field_errors().iter().filter(|f| f.field != "form").map(|f| f.message.clone()).collect::<Vec<_>>();
            let headline = match &e {
                AppError::Validation(errs) if errs.len() == 1 && errs[0].field == "form" => errs[0].message.clone(),
                other => other.message_in(crate::i18n::use_locale()),
            };
            view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <p class="error-headline">{headline}</p>
                    {(!items.is_empty()).then(|| view! { <ul>{items.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> })}
                </div>
            }
        })
    }
}

/// Element ids must be unique on a page that holds several forms: `form` tells them apart.
fn field_id(form: &str, name: &str) -> String {
    let name = name.replace(['[', ']'], "-");
    let name = name.trim_end_matches('-');
    if form.is_empty() {
        format!("f-{name}")
    } else {
        format!("f-{form}-{name}")
    }
}

/// What every labelled control derives the same way: its id, its live error message, and the ids that
/// describe it (hint and error) for screen readers.
struct FieldParts {
    key: &'static str,
    id: String,
    message: Signal<Option<String>>,
    described: String,
}

fn field_parts(
    form: &str,
    name: &'static str,
    field: Option<&'static str>,
    hint: Option<&str>,
    error: Option<Signal<Option<AppError>>>,
) -> FieldParts {
    let key = field.unwrap_or(name);
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    let id = field_id(form, name);
    let message = Signal::derive(move || error.get().and_then(|e| e.field_message(key)));
    let described = if hint.is_some() { format!("{id}-hint {id}-error") } else { format!("{id}-error") };
    FieldParts { key, id, message, described }
}

/// A labelled input with its own error message. `field` is the key the server reports it under.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    name: &'static str,
    #[prop(optional)] field: Option<&'static str>,
    /// Distinguishes this form's element ids from other forms' on the same page.
    #[prop(default = "")]
    form: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<String>,
    /// The form's last refusal, in an island that submits by itself; forms wrapped in a
    /// `ServerForm` get their messages written in by it (see `data-field`).
    #[prop(optional, into)]
    error: Option<Signal<Option<AppError>>>,
) -> impl IntoView {
    let FieldParts { key, id, message, described } = field_parts(form, name, field, hint.as_deref(), error);
    view! {
        <div class="field" data-field=key class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                required=required
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described
            />
            <p class="field-error" id=format!("{id}-error")>{move || message.get()}</p>
        </div>
    }
}

/// A labelled drop-down. `options` are (value, label).
#[component]
pub fn SelectField(
    #[prop(into)] label: String,
    name: &'static str,
    #[prop(optional)] field: Option<&'static str>,
    /// Distinguishes this form's element ids from other forms' on the same page.
    #[prop(default = "")]
    form: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: Option<String>,
    /// The form's last refusal, in an island that submits by itself; forms wrapped in a
    /// `ServerForm` get their messages written in by it (see `data-field`).
    #[prop(optional, into)]
    error: Option<Signal<Option<AppError>>>,
) -> impl IntoView {
    let FieldParts { key, id, message, described } = field_parts(form, name, field, None, error);
    let selected = selected.unwrap_or_default();
    view! {
        <div class="field" data-field=key class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=name aria-invalid=move || message.get().is_some().to_string() aria-describedby=described>
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let is_selected = v == selected;
                        view! { <option value=v selected=is_selected>{l}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=format!("{id}-error")>{move || message.get()}</p>
        </div>
    }
}

/// A labelled multi-line text field with its own error message.
#[component]
pub fn TextArea(
    #[prop(into)] label: String,
    name: &'static str,
    #[prop(optional)] field: Option<&'static str>,
    /// Distinguishes this form's element ids from other forms' on the same page.
    #[prop(default = "")]
    form: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = 6)] rows: u32,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<String>,
    /// The form's last refusal, in an island that submits by itself; forms wrapped in a
    /// `ServerForm` get their messages written in by it (see `data-field`).
    #[prop(optional, into)]
    error: Option<Signal<Option<AppError>>>,
) -> impl IntoView {
    let FieldParts { key, id, message, described } = field_parts(form, name, field, hint.as_deref(), error);
    view! {
        <div class="field" data-field=key class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            <textarea id=id.clone() name=name rows=rows required=required aria-invalid=move || message.get().is_some().to_string() aria-describedby=described>
                {value.unwrap_or_default()}
            </textarea>
            <p class="field-error" id=format!("{id}-error")>{move || message.get()}</p>
        </div>
    }
}

/// (value, label) pairs for a closed set, optionally preceded by an "any"/"choose" entry.
pub fn enum_options<T: Copy, L: Into<String>>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: impl Fn(T) -> L,
    first: Option<&str>,
) -> Vec<(String, String)> {
    first.map(|f| (String::new(), f.to_string())).into_iter().chain(all.iter().map(|t| (value(*t).to_string(), label(*t).into()))).collect()
}

/// The handling conditions H0-H3 as a form sets them (fields `h0`, `h1`, `h2` ticked, `h3` in words),
/// ticked already where `floor` (the request's conditions, which an answer keeps) sets them. Errors about
/// the set as a whole come back under `conditions`.
#[component]
pub fn ConditionsFields(#[prop(default = "")] form: &'static str, #[prop(optional)] floor: crate::model::Conditions) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let boxes = [("h0", floor.h0, tr!(l, "cond-h0")), ("h1", floor.h1, tr!(l, "cond-h1")), ("h2", floor.h2, tr!(l, "cond-h2"))];
    view! {
        <fieldset class="conditions-fields" data-field="conditions">
            <legend>{tr!(l, "cond-legend")}</legend>
            // First in the fieldset: `ServerForm` writes the set's message into its first `.field-error`.
            <p class="field-error" id=format!("{}-error", field_id(form, "conditions"))></p>
            {boxes.into_iter().map(|(name, on, label)| {
                let id = field_id(form, name);
                view! {
                    <div class="field checkbox">
                        <input type="checkbox" id=id.clone() name=name value="true" checked=on/>
                        <label for=id>{label}</label>
                    </div>
                }
            }).collect_view()}
            <TextArea form=form label=tr!(l, "cond-h3") name="h3" rows=2 value=floor.h3.clone().unwrap_or_default() hint=tr!(l, "cond-h3-hint")/>
        </fieldset>
    }
}
