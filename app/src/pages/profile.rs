//! The user's own profile: changing the password (required after a temporary one).

use crate::api::auth::ChangePassword;
use crate::api::cases::SetTimeZone;
use crate::api::requests::{approval_policy, SetApprovalPolicy};
use crate::components::forms::SelectField;
use crate::model::permissions::allows;
use crate::model::Priority;
use crate::components::forms::{action_error, ErrorSummary, Field};
use crate::components::layout::{load_page, CurrentUser, Guard};
use crate::model::permissions::Action;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let user = CurrentUser::resource();
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change);
    let set_zone = ServerAction::<SetTimeZone>::new();
    let zone_error = action_error(set_zone);
    Effect::new(move |_| {
        if let Some(Ok(())) = set_zone.value().get() {
            load_page("/profile");
        }
    });
    let must_change = Signal::derive(move || matches!(user.get(), Some(Ok(Some(u))) if u.must_change_password));
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            if must_change.get_untracked() {
                load_page("/");
            }
        }
    });
    view! {
        <Title text="Profile"/>
        <Guard action=Action::ManageOwnProfile allow_pending_password=true>
            <section class="panel narrow">
                <h1>"Change your password"</h1>
                <Show when=move || must_change.get()>
                    <p class="notice" role="status">"Your account has a temporary password. Choose your own password to continue."</p>
                </Show>
                <Show when=move || matches!(change.value().get(), Some(Ok(())))>
                    <p class="success" role="status">"Your password has been changed. Your other sessions have been signed out."</p>
                </Show>
                <ActionForm action=change>
                    <ErrorSummary error/>
                    <Field label="Current password" name="current" kind="password" autocomplete="current-password" required=true error/>
                    <Field
                        label="New password"
                        name="new_password"
                        kind="password"
                        autocomplete="new-password"
                        required=true
                        hint="12 to 128 characters. A passphrase of several words is good. Common passwords are refused."
                        error
                    />
                    <Field label="New password again" name="confirm" kind="password" autocomplete="new-password" required=true error/>
                    <button type="submit" class="button primary" disabled=move || change.pending().get()>"Change password"</button>
                </ActionForm>
            </section>
            <Show when=move || !must_change.get()>
                <section class="panel narrow">
                    <h2>"Time zone"</h2>
                    <p>"Times are shown in your zone, with the zone named. Currently: "
                        <strong>{move || user.get().and_then(|r| r.ok()).flatten().map(|u| u.time_zone).unwrap_or_default()}</strong></p>
                    <ActionForm action=set_zone>
                        <ErrorSummary error=zone_error/>
                        <Field label="Time zone" name="time_zone" hint="An IANA zone name, e.g. America/Toronto, Asia/Kolkata, Europe/London." error=zone_error/>
                        <button type="submit" class="button secondary">"Save time zone"</button>
                    </ActionForm>
                </section>
            </Show>
            <Show when=move || matches!(user.get(), Some(Ok(Some(u))) if allows(u.role, Action::SetApprovalPolicy) && !u.must_change_password)>
                <ApprovalPolicy/>
            </Show>
        </Guard>
    }
}

/// Supervisors: which outgoing requests of their agency wait for their approval before they are sent.
#[component]
fn ApprovalPolicy() -> impl IntoView {
    let save = ServerAction::<SetApprovalPolicy>::new();
    let error = action_error(save);
    let current = Resource::new(move || save.version().get(), |_| approval_policy());
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
                        <ActionForm action=save>
                            <ErrorSummary error/>
                            <SelectField label="Requests of my agency that need a supervisor's approval" name="min_priority" options selected=now error/>
                            <button type="submit" class="button secondary">"Save"</button>
                        </ActionForm>
                    }
                })}
            </Suspense>
            <Show when=move || matches!(save.value().get(), Some(Ok(())))>
                <p class="success" role="status">"Saved."</p>
            </Show>
        </section>
    }
}
