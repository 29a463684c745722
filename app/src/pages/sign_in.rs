//! The sign-in page.

use crate::api::auth::{demo_without_second_factor, Login, LoginCode};
use crate::api::passkeys::pending_second_factors;
use crate::components::forms::Field;
use crate::components::layout::CurrentUser;
use crate::components::passkey::PasskeySignIn;
use crate::components::server_form::ServerForm;
use crate::i18n::Locale;
use crate::model::PendingFactors;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn SignInPage() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let user = CurrentUser::resource();
    let demo = Resource::new(|| (), |_| demo_without_second_factor());
    view! {
        <Title text=tr!(l, "sign-in-title")/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(_)) => view! { <Redirect path="/"/> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
        <section class="panel narrow sign-in">
            <h1>{tr!(l, "sign-in-title")}</h1>
            <p class="lead">{tr!(l, "sign-in-lead")}</p>
            // A new account's temporary password is replaced first: the home page sends it to its profile.
            // With a second factor, the answer says to go on to the code (`next`).
            <ServerForm action=Login::PATH then="/">
                <Field label=tr!(l, "field-username") name="username" autocomplete="username" required=true/>
                <Field label=tr!(l, "field-password") name="password" kind="password" autocomplete="current-password" required=true/>
                <button type="submit" class="button primary">{tr!(l, "sign-in-title")}</button>
            </ServerForm>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    demo.await.unwrap_or(false).then(|| view! {
                        <p class="notice demo-note" data-testid="demo-note">{tr!(l, "sign-in-demo")}</p>
                    })
                })}
            </Suspense>
        </section>
    }
}

/// The second step of signing in: a passkey, the code from the authenticator app, or a recovery code —
/// whichever the account has.
#[component]
pub fn SignInCodePage() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let factors = Resource::new(|| (), |_| pending_second_factors());
    view! {
        <Title text=tr!(l, "sign-in-second-title")/>
        <section class="panel narrow sign-in">
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                {move || Suspend::new(async move {
                    match factors.await {
                        Ok(Some(f)) => view! { <SecondStep f l/> }.into_any(),
                        _ => view! {
                            <h1>{tr!(l, "sign-in-title")}</h1>
                            <p class="notice" role="status">{tr!(l, "sign-in-expired")}</p>
                            <p><a class="button primary" href="/login">{tr!(l, "sign-in-start-again")}</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SecondStep(f: PendingFactors, l: Locale) -> impl IntoView {
    let (title, lead) = match (f.passkeys, f.totp) {
        (true, false) => (tr!(l, "sign-in-passkey-title"), tr!(l, "sign-in-passkey-lead")),
        (true, true) => (tr!(l, "sign-in-both-title"), tr!(l, "sign-in-both-lead")),
        _ => (tr!(l, "sign-in-code-title"), tr!(l, "sign-in-code-lead")),
    };
    view! {
        <h1>{title}</h1>
        <p class="lead">{lead}</p>
        {f.passkeys.then(|| view! { <PasskeySignIn origin=f.passkey_origin.clone() l/> })}
        <ServerForm action=LoginCode::PATH then="/" class="code-step">
            {(f.passkeys && !f.totp).then(|| view! { <p class="hint">{tr!(l, "sign-in-lost-passkey")}</p> })}
            {f.totp.then(|| view! { <p class="hint">{tr!(l, "sign-in-lost-app")}</p> })}
            {if f.totp {
                view! { <Field label=tr!(l, "field-code") name="code" autocomplete="one-time-code" required=true hint=tr!(l, "field-code-hint")/> }
            } else {
                view! { <Field label=tr!(l, "field-recovery-code") name="code" autocomplete="one-time-code" required=true hint=tr!(l, "field-recovery-code-hint")/> }
            }}
            <button type="submit" class=if f.passkeys { "button secondary" } else { "button primary" }>{tr!(l, "sign-in-continue-code")}</button>
        </ServerForm>
        <p><a href="/login">{tr!(l, "sign-in-start-again")}</a></p>
    }
}
