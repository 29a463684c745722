//! The browser's half of passkeys: asks the server for the ceremony's options, hands them to the browser's
//! WebAuthn API (`navigator.credentials`), and sends the signed answer back. The conversions between the
//! protocol's JSON and the browser's objects are `webauthn-rs-proto`'s.

use super::forms::{ErrorSummary, Field};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
mod browser {
    use crate::api::passkeys::{begin_passkey, begin_passkey_sign_in, finish_passkey, finish_passkey_sign_in};
    use crate::error::AppError;
    use leptos::prelude::window;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use webauthn_rs_proto::{PublicKeyCredential, RegisterPublicKeyCredential};

    fn form_error(message: String) -> AppError {
        AppError::field("form", message)
    }

    /// Passkeys are bound to the server's public address: elsewhere (another host name, an IP address)
    /// the browser refuses them, so say where they work instead.
    fn ensure_here(origin: &str) -> Result<(), AppError> {
        let here = window().location().origin().unwrap_or_default();
        let supported = js_sys::Reflect::has(&window(), &JsValue::from_str("PublicKeyCredential")).unwrap_or(false);
        if here != origin {
            return Err(form_error(tr!(crate::i18n::reader(), "err-passkeys-work-only-open-liaison", origin = origin.to_string())));
        }
        if !supported {
            return Err(form_error(tr!(crate::i18n::reader(), "err-browser-does-not-support-passkeys")));
        }
        Ok(())
    }

    /// The browser's refusal, in words (WebAuthn names its errors; the user only sees this).
    fn refused(e: JsValue) -> AppError {
        let name = e.dyn_ref::<web_sys::DomException>().map(|d| d.name()).unwrap_or_default();
        form_error(match name.as_str() {
            "NotAllowedError" => tr!(crate::i18n::reader(), "err-passkey-cancelled"),
            "InvalidStateError" => tr!(crate::i18n::reader(), "err-passkey-already-here"),
            "SecurityError" => tr!(crate::i18n::reader(), "err-passkey-address-refused"),
            _ => tr!(crate::i18n::reader(), "err-passkey-failed"),
        })
    }

    fn unreadable() -> AppError {
        form_error(tr!(crate::i18n::reader(), "err-browser-s-answer-could-not"))
    }

    /// Makes a passkey for the signed-in user; answers the recovery codes when it is their first factor.
    /// Where passkeys cannot work, says so before the password is sent.
    pub async fn add(origin: String, name: String, password: String) -> Result<Vec<String>, AppError> {
        ensure_here(&origin)?;
        let creation = begin_passkey(name, password).await?;
        ensure_here(&creation.origin)?;
        let options: web_sys::CredentialCreationOptions = creation.options.into();
        let promise = window().navigator().credentials().create_with_options(&options).map_err(refused)?;
        let made = JsFuture::from(promise).await.map_err(refused)?;
        let made: web_sys::PublicKeyCredential = made.dyn_into().map_err(|_| unreadable())?;
        let answer = serde_json::to_string(&RegisterPublicKeyCredential::from(made)).map_err(|_| unreadable())?;
        finish_passkey(answer).await
    }

    /// Signs in the pending sign-in (password given) with one of the account's passkeys.
    pub async fn sign_in(origin: String) -> Result<(), AppError> {
        ensure_here(&origin)?;
        let request = begin_passkey_sign_in().await?;
        ensure_here(&request.origin)?;
        let options: web_sys::CredentialRequestOptions = request.options.into();
        let promise = window().navigator().credentials().get_with_options(&options).map_err(refused)?;
        let signed = JsFuture::from(promise).await.map_err(refused)?;
        let signed: web_sys::PublicKeyCredential = signed.dyn_into().map_err(|_| unreadable())?;
        let answer = serde_json::to_string(&PublicKeyCredential::from(signed)).map_err(|_| unreadable())?;
        finish_passkey_sign_in(answer).await.map(|_| ())
    }
}

/// The recovery codes, shown once after the account's first second factor is set up.
#[component]
pub fn RecoveryCodes(codes: Vec<String>, #[prop(into)] what: String, l: crate::i18n::Locale) -> impl IntoView {
    view! {
        <div class="issued" role="status">
            <p><strong>{what}</strong> " " {tr!(l, "codes-keep")}</p>
            <ol class="recovery-codes mono" data-testid="recovery-codes" translate="no">
                {codes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
            </ol>
            <p><a class="button primary" href="/">{tr!(l, "continue")}</a></p>
        </div>
    }
}

/// Adding a passkey: a name to tell it apart, the password again, then the browser's own dialog.
#[island]
pub fn AddPasskey(
    /// Where passkeys work (the server's public address).
    origin: String,
    /// The reader's language.
    l: crate::i18n::Locale,
) -> impl IntoView {
    // Copyable, so the handler can be used again each time the form is drawn.
    let origin = StoredValue::new(origin);
    #[cfg(not(feature = "hydrate"))]
    let _ = origin;
    let error = RwSignal::new(None::<AppError>);
    let codes = RwSignal::new(None::<Vec<String>>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(data) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
                .and_then(|f| web_sys::FormData::new_with_form(&f).ok())
            else {
                return;
            };
            let field = |k: &str| data.get(k).as_string().unwrap_or_default();
            let (name, password, origin) = (field("name"), field("password"), origin.get_value());
            busy.set(true);
            error.set(None);
            leptos::task::spawn_local(async move {
                match browser::add(origin, name, password).await {
                    Ok(issued) if issued.is_empty() => {
                        super::server_form::set_flash(&tr!(l, "pk-added"));
                        let _ = window().location().reload();
                    }
                    Ok(issued) => codes.set(Some(issued)),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let error = Signal::from(error);
    view! {
        {move || match codes.get() {
            Some(codes) => view! { <RecoveryCodes codes what=tr!(l, "pk-done") l/> }.into_any(),
            None => view! {
                <form class="add-passkey" on:submit=on_submit>
                    <ErrorSummary error/>
                    <Field label=tr!(l, "pk-name") name="name" form="passkey" error hint=tr!(l, "pk-name-hint")/>
                    <Field label=tr!(l, "field-your-password") name="password" form="passkey" kind="password" autocomplete="current-password" required=true error
                        hint=tr!(l, "pk-password-hint")/>
                    <button type="submit" class="button primary" disabled=move || busy.get()>{tr!(l, "pk-add")}</button>
                </form>
            }.into_any(),
        }}
    }
}

/// The passkey choice of the sign-in's second step.
#[island]
pub fn PasskeySignIn(
    /// Where passkeys work (the server's public address).
    origin: String,
    /// The reader's language.
    l: crate::i18n::Locale,
) -> impl IntoView {
    let origin = StoredValue::new(origin);
    #[cfg(not(feature = "hydrate"))]
    let _ = origin;
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        {
            busy.set(true);
            error.set(None);
            let origin = origin.get_value();
            leptos::task::spawn_local(async move {
                match browser::sign_in(origin).await {
                    Ok(()) => {
                        let _ = window().location().set_href("/");
                    }
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                    }
                }
            });
        }
    };
    view! {
        <div class="passkey-sign-in">
            <ErrorSummary error=error.into()/>
            <button type="button" class="button primary" on:click=on_click disabled=move || busy.get()>{tr!(l, "pk-use")}</button>
        </div>
    }
}
