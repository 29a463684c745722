//! The frame around every page: who is signed in, the navigation their role allows, and the guard that
//! sends a page's visitor to sign-in, to the password change, or to the 403 page.

use crate::api::auth::{current_user, Logout};
use crate::error::AppError;
use crate::model::permissions::{allows, Action};
use crate::model::SessionUser;
use crate::pages::errors::ForbiddenPage;
use leptos::prelude::*;
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

/// Live state pushed by the server: the unread notification count, and a tick that pages showing
/// request lists watch to refetch.
#[derive(Clone, Copy)]
pub struct Live {
    pub unread: RwSignal<Option<i64>>,
    pub tick: RwSignal<u64>,
}

impl Live {
    pub fn provide() {
        provide_context(Live { unread: RwSignal::new(None), tick: RwSignal::new(0) });
    }
    pub fn get() -> Live {
        expect_context::<Live>()
    }
}

/// The bell in the header, and the one event stream per page that keeps it current. EventSource
/// reconnects by itself; each (re)connection starts with the count from the database.
#[component]
fn LiveBell() -> impl IntoView {
    let live = Live::get();
    Effect::new(move |started: Option<bool>| {
        if started != Some(true) {
            #[cfg(feature = "hydrate")]
            connect(live);
        }
        true
    });
    view! {
        <a href="/notifications" class="bell" aria-label=move || match live.unread.get() {
            Some(n) if n > 0 => format!("Notifications, {n} unread"),
            _ => "Notifications".to_string(),
        }>
            "Notifications"
            {move || live.unread.get().filter(|n| *n > 0).map(|n| view! { <span class="bell-count" aria-hidden="true">{n}</span> })}
        </a>
    }
}

#[cfg(feature = "hydrate")]
fn connect(live: Live) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Ok(source) = web_sys::EventSource::new("/events") else { return };
    let on_count = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        if let Some(n) = e.data().as_string().and_then(|d| d.trim().parse::<i64>().ok()) {
            live.unread.set(Some(n));
            live.tick.update(|t| *t += 1);
        }
    });
    let _ = source.add_event_listener_with_callback("notifications", on_count.as_ref().unchecked_ref());
    on_count.forget();
    // The page lives as long as the source: keep it from being dropped.
    std::mem::forget(source);
}

/// Navigation entries and the permission each needs (the same table the server enforces).
const NAV: &[(&str, &str, Action)] = &[
    ("/", "Inbox", Action::WorkCases),
    ("/", "Home", Action::ManageAccounts),
    ("/dashboard", "Dashboard", Action::ViewDashboard),
    ("/cases", "Cases", Action::WorkCases),
    ("/admin/users", "Users", Action::ManageAccounts),
    ("/admin/agencies", "Agencies", Action::ManageAgencies),
    ("/audit", "Audit trail", Action::ReadAudit),
    ("/profile", "Profile", Action::ManageOwnProfile),
];

/// A full page load: after sign-in/out every piece of state must come fresh from the server.
pub fn load_page(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

#[component]
pub fn Header() -> impl IntoView {
    let user = CurrentUser::resource();
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            load_page("/login");
        }
    });
    view! {
        <header class="app-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"LD"</span>
                "Liaison Desk"
            </a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(u)) => {
                            let items: Vec<_> = if u.must_change_password {
                                vec![]
                            } else {
                                NAV.iter().filter(|(_, _, a)| allows(u.role, *a)).collect()
                            };
                            view! {
                                <nav aria-label="Main" class="main-nav">
                                    <ul>
                                        {items
                                            .into_iter()
                                            .map(|(href, label, _)| view! { <li><A href=*href exact=true>{*label}</A></li> })
                                            .collect_view()}
                                    </ul>
                                </nav>
                                {(!u.must_change_password && allows(u.role, Action::WorkCases)).then(|| view! {
                                    <form method="GET" action="/search" role="search" class="header-search">
                                        <label for="header-q" class="visually-hidden">"Search"</label>
                                        <input id="header-q" name="q" type="search" placeholder="Cases, names, IPs…"/>
                                    </form>
                                })}
                                {(!u.must_change_password).then(|| view! { <LiveBell/> })}
                                <div class="who">
                                    <span class="who-name">{u.display_name.clone()}</span>
                                    <span class="who-meta">
                                        {u.role.label()} " · " {u.agency_code.clone()} " · " {u.country.label()}
                                    </span>
                                    <ActionForm action=logout attr:class="inline">
                                        <button type="submit" class="button secondary">"Sign out"</button>
                                    </ActionForm>
                                </div>
                            }
                                .into_any()
                        }
                        _ => ().into_any(),
                    }
                })}
            </Transition>
        </header>
    }
}

/// Shows `children` only to a signed-in user whose role allows `action`; otherwise redirects to sign-in
/// (or to the password change a new account must make first), or shows the 403 page. The server functions
/// behind the page check again: this only spares the user a page of errors.
#[component]
pub fn Guard(
    action: Action,
    /// Only the profile page, where a temporary password is replaced.
    #[prop(optional)]
    allow_pending_password: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let user = CurrentUser::resource();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) if u.must_change_password && !allow_pending_password => {
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
