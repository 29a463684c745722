//! What the server pushes: the unread count in the header, and parts of a page that follow it (the inbox,
//! the notification list). One event stream per page, opened by the bell; EventSource reconnects by
//! itself and every (re)connection starts with the count from the database, so a change made while the
//! connection was down is still noticed.

use leptos::prelude::*;

/// The browser event the bell raises when the count changed; live regions listen for it.
#[cfg(feature = "hydrate")]
const NEWS_EVENT: &str = "ld-news";

/// `unread`: the count when the page was rendered.
/// `l`: the reader's language (an island is given it; its words are looked up in the browser too).
#[island]
pub fn LiveBell(unread: Option<i64>, l: crate::i18n::Locale) -> impl IntoView {
    let unread = RwSignal::new(unread);
    // Runs once, in the browser: it reads no signal.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| connect(unread));
    view! {
        <a href="/notifications" class="bell" aria-label=move || match unread.get() {
            Some(n) if n > 0 => tr!(l, "bell-unread", count = n),
            _ => tr!(l, "notifications-title"),
        }>
            {tr!(l, "notifications-title")}
            {move || unread.get().filter(|n| *n > 0).map(|n| view! { <span class="bell-count" aria-hidden="true">{n}</span> })}
        </a>
    }
}

#[cfg(feature = "hydrate")]
fn connect(unread: RwSignal<Option<i64>>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Ok(source) = web_sys::EventSource::new("/events") else { return };
    let on_count = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let Some(n) = e.data().as_string().and_then(|d| d.trim().parse::<i64>().ok()) else { return };
        // A count other than the one shown means news: since the page was rendered (the first event on
        // each connection), or since the last event.
        let before = unread.get_untracked();
        unread.set(Some(n));
        if before.is_some_and(|b| b != n) {
            if let Ok(event) = web_sys::Event::new(NEWS_EVENT) {
                let _ = window().dispatch_event(&event);
            }
        }
    });
    let _ = source.add_event_listener_with_callback("notifications", on_count.as_ref().unchecked_ref());
    on_count.forget();
    // The page lives as long as the source: keep it from being dropped.
    std::mem::forget(source);
}

/// A part of the page that is fetched again from the server when the bell announces news, in place: the
/// rest of the page (and what the user typed there) stays.
#[island]
pub fn LiveRegion(#[prop(into)] id: String, children: Children) -> impl IntoView {
    // Runs once, in the browser: it reads no signal.
    #[cfg(feature = "hydrate")]
    Effect::new({
        let id = id.clone();
        move |_| follow(id.clone())
    });
    view! { <div id=id class="live-region">{children()}</div> }
}

#[cfg(feature = "hydrate")]
fn follow(id: String) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let on_news = Closure::<dyn FnMut()>::new(move || {
        let id = id.clone();
        leptos::task::spawn_local(refresh(id));
    });
    let _ = window().add_event_listener_with_callback(NEWS_EVENT, on_news.as_ref().unchecked_ref());
    on_news.forget();
}

/// Renders this page again on the server and swaps in the new content of element `id`; islands in it
/// (forms) are then made interactive like the rest of the page.
#[cfg(feature = "hydrate")]
pub async fn refresh(id: String) {
    let id = id.as_str();
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let Ok(href) = window().location().href() else { return };
    // The page asks by itself: this must not count as the user's activity.
    let init = web_sys::RequestInit::new();
    let Ok(headers) = web_sys::Headers::new() else { return };
    let _ = headers.set(crate::model::BACKGROUND_HEADER, "1");
    init.set_headers(&headers);
    let Ok(request) = web_sys::Request::new_with_str_and_init(&href, &init) else { return };
    let Ok(response) = JsFuture::from(window().fetch_with_request(&request)).await else { return };
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return;
    }
    let Ok(text) = response.text() else { return };
    let Some(html) = JsFuture::from(text).await.ok().and_then(|t| t.as_string()) else { return };
    let Ok(parser) = web_sys::DomParser::new() else { return };
    let Ok(fresh) = parser.parse_from_string(&html, web_sys::SupportedType::TextHtml) else { return };
    let (Some(new), Some(old)) = (fresh.get_element_by_id(id), document().get_element_by_id(id)) else { return };
    old.set_inner_html(&new.inner_html());
    hydrate_islands_in(&old);
}

/// Hands each island element under `root` to the hydration function Leptos's island script installed.
#[cfg(feature = "hydrate")]
fn hydrate_islands_in(root: &web_sys::Element) {
    use wasm_bindgen::{JsCast, JsValue};
    let Ok(hydrate) = js_sys::Reflect::get(&window(), &JsValue::from_str("__hydrateIsland")) else { return };
    let Ok(hydrate) = hydrate.dyn_into::<js_sys::Function>() else { return };
    let Ok(list) = root.query_selector_all("leptos-island") else { return };
    for i in 0..list.length() {
        if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
            let component = el.get_attribute("data-component").unwrap_or_default();
            let _ = hydrate.call2(&JsValue::NULL, &el, &JsValue::from_str(&component));
        }
    }
}
