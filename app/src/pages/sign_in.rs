//! The sign-in page.

use crate::api::auth::Login;
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
            <ServerForm action=Login::PATH then="/">
                <Field label="Username" name="username" autocomplete="username" required=true/>
                <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true/>
                <button type="submit" class="button primary">"Sign in"</button>
            </ServerForm>
        </section>
    }
}
