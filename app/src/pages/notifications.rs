//! The notification centre: newest first, each linking to its object, marked read one by one or all.

use crate::api::notifications::{list_notifications, MarkNotificationsRead};
use crate::components::layout::Guard;
use crate::components::live::LiveRegion;
use crate::components::server_form::ServerForm;
use crate::model::permissions::Action;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <Title text=tr!(l, "notifications-title")/>
        <Notifications/>
    }
}

#[component]
fn Notifications() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let items = Resource::new(|| (), |_| list_notifications());
    view! {
        <Guard action=Action::ManageOwnProfile>
            <div class="page-head">
                <h1>{tr!(l, "notifications-title")}</h1>
                <ServerForm action=MarkNotificationsRead::PATH class="inline">
                    <input type="hidden" name="id" value="0"/>
                    <button type="submit" class="button secondary">{tr!(l, "notifications-mark-all")}</button>
                </ServerForm>
            </div>
            <LiveRegion id="notification-list">
                <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                    {move || Suspend::new(async move {
                        match items.await {
                            Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="empty">{tr!(l, "notifications-none")}</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="plain notifications">
                                    {list.into_iter().map(|n| view! {
                                        <li class:unread=!n.read>
                                            <a href=n.link.clone()>{n.title.clone()}</a>
                                            <span class="muted small">" · " <time datetime=n.created.at.to_rfc3339()>{n.created.text.clone()}</time></span>
                                            {(!n.read).then(|| view! {
                                                <ServerForm action=MarkNotificationsRead::PATH class="inline">
                                                    <input type="hidden" name="id" value=n.id/>
                                                    <button type="submit" class="link-button">{tr!(l, "notifications-mark-one")}</button>
                                                </ServerForm>
                                            })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </LiveRegion>
        </Guard>
    }
}
