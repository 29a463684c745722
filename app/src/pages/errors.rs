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
    let l = crate::i18n::use_locale();
    view! {
        <Title text=tr!(l, "forbidden-title")/>
        <section class="panel narrow error-page">
            <p class="error-code">"403"</p>
            <h1>{tr!(l, "forbidden-title")}</h1>
            <p>{tr!(l, "forbidden-text")}</p>
            <p><a href="/" class="button">{tr!(l, "back-home")}</a></p>
        </section>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    let l = crate::i18n::use_locale();
    view! {
        <Title text=tr!(l, "not-found-title")/>
        <section class="panel narrow error-page">
            <p class="error-code">"404"</p>
            <h1>{tr!(l, "not-found-title")}</h1>
            <p>{tr!(l, "not-found-text")}</p>
            <p><a href="/" class="button">{tr!(l, "back-home")}</a></p>
        </section>
    }
}
