//! The 403 and 404 pages. On the server they also set the response status.

use leptos::prelude::*;
use leptos_meta::Title;

fn set_status(_code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::from_u16(_code).expect("valid status"));
    }
}

#[component]
pub fn ForbiddenPage() -> impl IntoView {
    set_status(403);
    view! {
        <Title text="Access denied"/>
        <section class="panel narrow error-page">
            <p class="error-code">"403"</p>
            <h1>"Access denied"</h1>
            <p>"Your role does not give access to this page. If you need it for your work, ask your supervisor or an administrator."</p>
            <p><a href="/" class="button">"Back to your home page"</a></p>
        </section>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Not found"/>
        <section class="panel narrow error-page">
            <p class="error-code">"404"</p>
            <h1>"Not found"</h1>
            <p>"There is nothing at this address, or you are not entitled to see it."</p>
            <p><a href="/" class="button">"Back to your home page"</a></p>
        </section>
    }
}
