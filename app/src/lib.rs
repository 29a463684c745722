#![recursion_limit = "256"]
// A function a person can read in one go: clippy.toml sets the limit (80 lines).
#![warn(clippy::too_many_lines)]
//! Liaison Desk: the application (pages, components, server functions) and, behind the `ssr` feature,
//! the server-only domain code in `backend`.

// First: its `tr!` macro is used by the modules below.
#[macro_use]
pub mod i18n;
pub mod api;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod backend;

use components::layout::{CurrentUser, Header, HydrationMark};
use components::server_form::Flash;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document. On the server it also sets the Content-Security-Policy with this response's nonce,
/// so no inline script runs unless Leptos itself put it there.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy(&options);
    let locale = page_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.as_str()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="data:,"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[cfg(feature = "ssr")]
fn set_content_security_policy(options: &LeptosOptions) {
    use axum::http::{header, HeaderValue};
    let (Some(response), Some(nonce)) = (use_context::<leptos_axum::ResponseOptions>(), leptos::nonce::use_nonce()) else {
        return;
    };
    // The reload socket only under `cargo leptos watch` (which sets LEPTOS_WATCH, as `AutoReload` checks):
    // every other page connects to its own site only.
    let dev_reload = std::env::var("LEPTOS_WATCH").is_ok().then(|| options.reload_external_port.unwrap_or(options.reload_port));
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce.to_string(), dev_reload)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The pages' Content-Security-Policy: scripts only from this site or with this response's nonce.
#[cfg(feature = "ssr")]
pub fn content_security_policy(nonce: &str, dev_reload_port: Option<u32>) -> String {
    let reload = dev_reload_port.map(|p| format!(" ws://127.0.0.1:{p} ws://localhost:{p}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'{reload}; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(all(test, feature = "ssr"))]
mod csp_tests {
    #[test]
    fn production_pages_connect_only_to_their_own_site() {
        let production = super::content_security_policy("abc", None);
        assert!(production.contains("connect-src 'self';"));
        assert!(!production.contains("ws:"));
        assert!(super::content_security_policy("abc", Some(3001)).contains("ws://127.0.0.1:3001"));
        assert!(production.contains("'nonce-abc'"));
    }
}

/// The language this page is rendered in (the request's, on the server).
fn page_locale() -> i18n::Locale {
    #[cfg(feature = "ssr")]
    return i18n::request_locale();
    #[cfg(not(feature = "ssr"))]
    i18n::use_locale()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    CurrentUser::provide();
    let locale = page_locale();
    provide_context(locale);

    // Pages are rendered on the server only; the interactive parts are islands (forms, the bell, live
    // regions, uploads), so the browser downloads and runs only those.
    // Async: a page is sent once its data is known, so a refusal is a real 403/404 status, not a 200.
    view! {
        <Stylesheet id="leptos" href="/pkg/liaison-desk.css"/>
        // The Devanagari font (style/main.css) is asked for with the style sheet, not found later by the text:
        // words drawn before it arrived stay empty boxes in some browsers. Every page names हिन्दी in the
        // language switch (regular weight); a Hindi page needs the bold face too.
        <Link rel="preload" href="/pkg/fonts/NotoSansDevanagari-Regular.ttf" as_="font" type_="font/ttf" crossorigin="anonymous"/>
        {(locale == i18n::Locale::Hi).then(|| view! {
            <Link rel="preload" href="/pkg/fonts/NotoSansDevanagari-Bold.ttf" as_="font" type_="font/ttf" crossorigin="anonymous"/>
        })}
        <Title formatter=move |t: String| {
            let app = tr!(locale, "app-name");
            if t.is_empty() { app } else { format!("{t} · {app}") }
        }/>
        <Router>
            <a class="skip-link" href="#main">{tr!(locale, "skip-to-content")}</a>
            <Header/>
            <main id="main" tabindex="-1">
                <Flash/>
                <Routes fallback=pages::errors::NotFoundPage>
                    <Route path=path!("/login") view=pages::sign_in::SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/login/code") view=pages::sign_in::SignInCodePage ssr=SsrMode::Async/>
                    <Route path=path!("/") view=pages::home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/profile") view=pages::profile::ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=pages::admin_users::UsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users/new") view=pages::admin_users::NewUserPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users/:id") view=pages::admin_user_detail::UserDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/agencies") view=pages::admin_agencies::AgenciesPage ssr=SsrMode::Async/>
                    <Route path=path!("/audit") view=pages::audit::AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/confirmations") view=pages::confirmations::ConfirmationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases") view=pages::cases::CasesPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/new") view=pages::cases::NewCasePage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id") view=pages::case_detail::CaseDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id/history") view=pages::case_detail::CaseHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard") view=pages::dashboard::DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/retention") view=pages::retention::RetentionPage ssr=SsrMode::Async/>
                    <Route path=path!("/requests") view=pages::requests::RequestsPage ssr=SsrMode::Async/>
                    <Route path=path!("/notifications") view=pages::notifications::NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=pages::search::SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/requests/:id") view=pages::request_detail::RequestDetailPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <HydrationMark/>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
