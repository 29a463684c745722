//! The sign-in page.

use crate::api::auth::Login;
use crate::components::forms::{action_error, ErrorSummary, Field};
use crate::components::layout::{load_page, CurrentUser};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn SignInPage() -> impl IntoView {
    let user = CurrentUser::resource();
    let login = ServerAction::<Login>::new();
    let error = action_error(login);
    Effect::new(move |_| {
        if let Some(Ok(u)) = login.value().get() {
            load_page(if u.must_change_password { "/profile" } else { "/" });
        }
    });
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
            <ActionForm action=login>
                <ErrorSummary error/>
                <Field label="Username" name="username" autocomplete="username" required=true error/>
                <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true error/>
                <button type="submit" class="button primary" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
        </section>
    }
}
