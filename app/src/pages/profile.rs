//! The user's own profile: changing the password (required after a temporary one), the time zone, and
//! for supervisors the approval policy.

use crate::api::auth::ChangePassword;
use crate::api::cases::SetTimeZone;
use crate::api::requests::{approval_policy, SetApprovalPolicy};
use crate::components::forms::{Field, SelectField};
use crate::components::layout::{CurrentUser, Guard};
use crate::components::server_form::ServerForm;
use crate::model::permissions::{allows, Action};
use crate::model::Priority;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let user = CurrentUser::resource();
    view! {
        <Title text="Profile"/>
        <Guard action=Action::ManageOwnProfile allow_pending_password=true>
            {move || {
                // The guard shows this only once the user is known.
                let Some(Ok(Some(u))) = user.get() else { return ().into_any() };
                let must_change = u.must_change_password;
                view! {
                    <section class="panel narrow">
                        <h1>"Change your password"</h1>
                        {must_change.then(|| view! {
                            <p class="notice" role="status">"Your account has a temporary password. Choose your own password to continue."</p>
                        })}
                        <ServerForm
                            action=ChangePassword::PATH
                            then=if must_change { "/" } else { "" }
                            done="Your password has been changed. Your other sessions have been signed out."
                        >
                            // For password managers: which account this password belongs to.
                            <input type="text" name="username" autocomplete="username" value=u.username.clone() hidden readonly/>
                            <Field label="Current password" name="current" kind="password" autocomplete="current-password" required=true/>
                            <Field
                                label="New password"
                                name="new_password"
                                kind="password"
                                autocomplete="new-password"
                                required=true
                                hint="12 to 128 characters. A passphrase of several words is good. Common passwords are refused."
                            />
                            <Field label="New password again" name="confirm" kind="password" autocomplete="new-password" required=true/>
                            <button type="submit" class="button primary">"Change password"</button>
                        </ServerForm>
                    </section>
                    {(!must_change).then(|| view! {
                        <section class="panel narrow">
                            <h2>"Time zone"</h2>
                            <p>"Times are shown in your zone, with the zone named. Currently: " <strong>{u.time_zone.clone()}</strong></p>
                            <ServerForm action=SetTimeZone::PATH done="Time zone saved.">
                                <Field label="Time zone" name="time_zone" hint="An IANA zone name, e.g. America/Toronto, Asia/Kolkata, Europe/London."/>
                                <button type="submit" class="button secondary">"Save time zone"</button>
                            </ServerForm>
                        </section>
                    })}
                    {(allows(u.role, Action::SetApprovalPolicy) && !must_change).then(|| view! { <ApprovalPolicy/> })}
                }
                .into_any()
            }}
        </Guard>
    }
}

/// Supervisors: which outgoing requests of their agency wait for their approval before they are sent.
#[component]
fn ApprovalPolicy() -> impl IntoView {
    let current = Resource::new(|| (), |_| approval_policy());
    view! {
        <section class="panel narrow">
            <h2>"Approval of outgoing requests"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let now = current.await.unwrap_or_default();
                    let options = std::iter::once((String::new(), "No approval needed".to_string()))
                        .chain(Priority::ALL.iter().map(|p| (p.as_str().to_string(), format!("{} and more pressing", p.label()))))
                        .collect();
                    view! {
                        <ServerForm action=SetApprovalPolicy::PATH done="Approval policy saved.">
                            <SelectField label="Requests of my agency that need a supervisor's approval" name="min_priority" options selected=now/>
                            <button type="submit" class="button secondary">"Save"</button>
                        </ServerForm>
                    }
                })}
            </Suspense>
        </section>
    }
}
