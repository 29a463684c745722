//! The sign-in page.

use crate::api::auth::{demo_without_second_factor, Login, LoginCode};
use crate::api::passkeys::pending_second_factors;
use crate::components::forms::Field;
use crate::components::layout::CurrentUser;
use crate::components::passkey::PasskeySignIn;
use crate::components::server_form::ServerForm;
use crate::model::PendingFactors;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn SignInPage() -> impl IntoView {
    let user = CurrentUser::resource();
    let demo = Resource::new(|| (), |_| demo_without_second_factor());
    view! {
        <Title text="Sign in"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(_)) => view! { <Redirect path="/"/> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
        <section class="panel narrow sign-in">
            <h1>"Sign in"</h1>
            <p class="lead">"Liaison Desk is for authorised liaison officers, supervisors and administrators. Every action is recorded."</p>
            // A new account's temporary password is replaced first: the home page sends it to its profile.
            // With a second factor, the answer says to go on to the code (`next`).
            <ServerForm action=Login::PATH then="/">
                <Field label="Username" name="username" autocomplete="username" required=true/>
                <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true/>
                <button type="submit" class="button primary">"Sign in"</button>
            </ServerForm>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    demo.await.unwrap_or(false).then(|| view! {
                        <p class="notice demo-note" data-testid="demo-note">"Demo: second factor not required for the demo accounts. \
                            Every other account sets up an authenticator app at its first sign-in."</p>
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
    let factors = Resource::new(|| (), |_| pending_second_factors());
    view! {
        <Title text="Sign in: second factor"/>
        <section class="panel narrow sign-in">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match factors.await {
                        Ok(Some(f)) => view! { <SecondStep f/> }.into_any(),
                        _ => view! {
                            <h1>"Sign in"</h1>
                            <p class="notice" role="status">"Your sign-in has expired, or was not started in this browser."</p>
                            <p><a class="button primary" href="/login">"Start again"</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SecondStep(f: PendingFactors) -> impl IntoView {
    let (title, lead) = match (f.passkeys, f.totp) {
        (true, false) => {
            ("Use your passkey", "Choose \"Use a passkey\" and confirm with your fingerprint, face, device PIN or security key.")
        }
        (true, true) => ("Second factor", "Use your passkey, or type the six-digit code your authenticator app shows for Liaison Desk."),
        _ => ("Enter your code", "Open your authenticator app and type the six-digit code it shows for Liaison Desk."),
    };
    view! {
        <h1>{title}</h1>
        <p class="lead">{lead}</p>
        {f.passkeys.then(|| view! { <PasskeySignIn origin=f.passkey_origin.clone()/> })}
        <ServerForm action=LoginCode::PATH then="/" class="code-step">
            {(f.passkeys && !f.totp).then(|| view! { <p class="hint">"Lost your passkey? Type one of your recovery codes; each works once."</p> })}
            {f.totp.then(|| view! { <p class="hint">"Lost the app? Type one of your recovery codes instead; each works once."</p> })}
            {if f.totp {
                view! { <Field label="Code" name="code" autocomplete="one-time-code" required=true hint="Six digits, or a recovery code such as abcd-efgh-jkmn."/> }
            } else {
                view! { <Field label="Recovery code" name="code" autocomplete="one-time-code" required=true hint="Such as abcd-efgh-jkmn."/> }
            }}
            <button type="submit" class=if f.passkeys { "button secondary" } else { "button primary" }>"Continue with the code"</button>
        </ServerForm>
        <p><a href="/login">"Start again"</a></p>
    }
}
