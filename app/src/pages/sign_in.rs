//! The sign-in page.

use crate::api::auth::{demo_without_second_factor, Login, LoginCode};
use crate::components::forms::Field;
use crate::components::layout::CurrentUser;
use crate::components::server_form::ServerForm;
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

/// The second step of signing in: the code from the authenticator app, or a recovery code.
#[component]
pub fn SignInCodePage() -> impl IntoView {
    view! {
        <Title text="Sign in: code"/>
        <section class="panel narrow sign-in">
            <h1>"Enter your code"</h1>
            <p class="lead">"Open your authenticator app and type the six-digit code it shows for Liaison Desk. \
                Lost the app? Type one of your recovery codes instead; each works once."</p>
            <ServerForm action=LoginCode::PATH then="/">
                <Field label="Code" name="code" autocomplete="one-time-code" required=true hint="Six digits, or a recovery code such as abcd-efgh-jkmn."/>
                <button type="submit" class="button primary">"Continue"</button>
            </ServerForm>
            <p><a href="/login">"Start again"</a></p>
        </section>
    }
}
