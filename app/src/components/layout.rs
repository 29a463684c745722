//! The frame around every page: who is signed in, the navigation their role allows, and the guard that
//! sends a page's visitor to sign-in, to the password change, or to the 403 page.

use super::live::LiveBell;
use super::server_form::ServerForm;
use crate::api::auth::{current_user, Logout};
use crate::api::notifications::unread_notifications;
use crate::error::AppError;
use crate::i18n::{LabelIn, Locale};
use crate::model::permissions::{allows, Action};
use crate::model::SessionUser;
use crate::pages::errors::ForbiddenPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::{Redirect, A};

#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<SessionUser>, AppError>>);

impl CurrentUser {
    pub fn provide() {
        provide_context(CurrentUser(Resource::new(|| (), |_| current_user())));
    }
    pub fn resource() -> Resource<Result<Option<SessionUser>, AppError>> {
        expect_context::<CurrentUser>().0
    }
}

/// Navigation entries and the permission each needs (the same table the server enforces).
fn nav(l: Locale) -> [(&'static str, String, Action); 10] {
    [
        ("/", tr!(l, "nav-inbox"), Action::WorkCases),
        ("/", tr!(l, "nav-home"), Action::ManageAccounts),
        ("/dashboard", tr!(l, "nav-dashboard"), Action::ViewDashboard),
        ("/retention", tr!(l, "nav-retention"), Action::ReviewRetention),
        ("/cases", tr!(l, "nav-cases"), Action::WorkCases),
        ("/admin/users", tr!(l, "nav-users"), Action::ManageAccounts),
        ("/admin/agencies", tr!(l, "nav-agencies"), Action::ManageAgencies),
        ("/confirmations", tr!(l, "nav-confirmations"), Action::ConfirmAccountChanges),
        ("/audit", tr!(l, "nav-audit"), Action::ReadAudit),
        ("/profile", tr!(l, "nav-profile"), Action::ManageOwnProfile),
    ]
}

/// Marks the page interactive once every island before it has been hydrated (islands are hydrated in
/// document order, and this one comes last). End-to-end tests wait for it.
#[island]
pub fn HydrationMark() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if let Some(main) = document().get_element_by_id("main") {
        let _ = main.set_attribute("data-hydrated", "true");
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let user = CurrentUser::resource();
    // Read with the page, so news arriving before the event stream connects is still noticed as news.
    let unread = Resource::new(
        || (),
        move |_| async move {
            match user.await {
                Ok(Some(u)) if !u.restricted() => unread_notifications().await.ok(),
                _ => None,
            }
        },
    );
    view! {
        <header class="app-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true" translate="no">"LD"</span>
                {tr!(l, "app-name")}
            </a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let unread = unread.await;
                    match user.await {
                        Ok(Some(u)) => {
                            let items: Vec<_> = if u.restricted() {
                                vec![]
                            } else {
                                nav(l).into_iter().filter(|(_, _, a)| allows(u.role, *a)).collect()
                            };
                            view! {
                                <nav aria-label=tr!(l, "nav-main") class="main-nav">
                                    <ul>
                                        {items
                                            .into_iter()
                                            .map(|(href, label, _)| view! { <li><A href=href exact=true>{label}</A></li> })
                                            .collect_view()}
                                    </ul>
                                </nav>
                                {(!u.restricted() && allows(u.role, Action::WorkCases)).then(|| view! {
                                    <form method="GET" action="/search" role="search" class="header-search">
                                        <label for="header-q" class="visually-hidden">{tr!(l, "search-label")}</label>
                                        <input id="header-q" name="q" type="search" placeholder=tr!(l, "search-placeholder")/>
                                    </form>
                                })}
                                {(!u.restricted()).then(|| view! { <LiveBell unread l/> })}
                                <div class="who">
                                    <span class="who-name" translate="no">{u.display_name.clone()}</span>
                                    <span class="who-meta">
                                        {u.role.label_in(l)} " · " <span translate="no">{u.agency_code.clone()}</span> " · " {u.country.label_in(l)}
                                    </span>
                                    <ServerForm action=Logout::PATH then="/login" class="inline">
                                        <button type="submit" class="button secondary">{tr!(l, "sign-out")}</button>
                                    </ServerForm>
                                </div>
                            }
                                .into_any()
                        }
                        _ => ().into_any(),
                    }
                })}
            </Transition>
            <LanguageSwitch l/>
        </header>
    }
}

/// The language switch, on every page (the sign-in page too). A plain form: it works before the page's
/// script has loaded, and the server (`/language`) sets the cookie, saves the choice for a signed-in
/// account, and sends the reader back to the page they were on. Each language is named in itself.
#[component]
fn LanguageSwitch(l: Locale) -> impl IntoView {
    let back = current_path();
    view! {
        <form method="POST" action="/language" class="lang-switch" aria-label=tr!(l, "language-switch")>
            <input type="hidden" name="back" value=back/>
            {Locale::OFFERED
                .into_iter()
                .map(|option| {
                    if option == l {
                        view! {
                            <span class="lang-current" aria-current="true" lang=option.as_str() translate="no"
                                title=tr!(l, "language-current", language = option.label())>
                                {option.label()}
                            </span>
                        }
                            .into_any()
                    } else {
                        view! {
                            <button type="submit" name="lang" value=option.as_str() lang=option.as_str() class="link-button" translate="no">
                                {option.label()}
                            </button>
                        }
                            .into_any()
                    }
                })
                .collect_view()}
        </form>
    }
}

/// The path and query of the page being rendered (where the switch sends the reader back to).
fn current_path() -> String {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<axum::http::request::Parts>() {
        return parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    }
    "/".to_string()
}

/// Shows `children` only to a signed-in user whose role allows `action`; otherwise redirects to sign-in
/// (or to the profile, where a new account replaces its temporary password and sets up its second factor
/// first), or shows the 403 page. The server functions
/// behind the page check again: this only spares the user a page of errors.
#[component]
pub fn Guard(
    action: Action,
    /// Only the profile page, where a temporary password is replaced and a second factor set up.
    #[prop(optional)]
    allow_pending_password: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let user = CurrentUser::resource();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr!(crate::i18n::use_locale(), "loading")}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) if u.restricted() && !allow_pending_password => {
                        view! { <Redirect path="/profile"/> }.into_any()
                    }
                    Ok(Some(u)) if allows(u.role, action) => children.with_value(|c| c()).into_any(),
                    Ok(Some(_)) => view! { <ForbiddenPage/> }.into_any(),
                    _ => view! { <Redirect path="/login"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
