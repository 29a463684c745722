//! The user's own profile: changing the password (required after a temporary one), the second factor
//! (required before anything else where the instance requires one), the time zone, and for supervisors
//! the approval policy.

use crate::api::auth::{my_second_factor, BeginTotp, ChangePassword, ConfirmTotp};
use crate::api::cases::SetTimeZone;
use crate::api::passkeys::RemovePasskey;
use crate::api::requests::{approval_policy, SetApprovalPolicy};
use crate::components::forms::{action_error, ErrorSummary};
use crate::components::forms::{Field, SelectField};
use crate::components::layout::{CurrentUser, Guard};
use crate::components::passkey::{AddPasskey, RecoveryCodes};
use crate::components::server_form::ServerForm;
use crate::model::permissions::{allows, Action};
use crate::model::{Priority, SecondFactorStatus};
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
                let must_enrol = u.must_enrol_second_factor;
                let restricted = u.restricted();
                view! {
                    {(!must_change && must_enrol).then(|| view! { <SecondFactor must_enrol/> })}
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
                    {(!must_change && !must_enrol).then(|| view! {
                        <section class="panel narrow">
                            <h2>"Time zone"</h2>
                            <p>"Times are shown in your zone, with the zone named. Currently: " <strong>{u.time_zone.clone()}</strong></p>
                            <ServerForm action=SetTimeZone::PATH done="Time zone saved.">
                                <Field label="Time zone" name="time_zone" hint="An IANA zone name, e.g. America/Toronto, Asia/Kolkata, Europe/London."/>
                                <button type="submit" class="button secondary">"Save time zone"</button>
                            </ServerForm>
                        </section>
                    })}
                    {(!restricted).then(|| view! { <SecondFactor must_enrol=false/> })}
                    {(allows(u.role, Action::SetApprovalPolicy) && !restricted).then(|| view! { <ApprovalPolicy/> })}
                }
                .into_any()
            }}
        </Guard>
    }
}

/// The second factors: passkeys and the authenticator app, their state, setting one up (first, when the
/// account must have one), and removing a passkey.
#[component]
fn SecondFactor(must_enrol: bool) -> impl IntoView {
    let status = Resource::new(|| (), |_| my_second_factor());
    view! {
        <section class="panel narrow" id="second-factor">
            <h2>"Second factor"</h2>
            {must_enrol.then(|| view! {
                <p class="notice" role="status">"Your account needs a second factor before you can continue: add a passkey (your \
                    computer's fingerprint or face sign-in, or a security key), or set up an authenticator app on your work phone. \
                    Every sign-in then asks for it."</p>
            })}
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) => view! { <Factors s/> }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Factors(s: SecondFactorStatus) -> impl IntoView {
    let any = s.any();
    let origin = s.passkey_origin.clone();
    let options: Vec<(String, String)> = s.passkeys.iter().map(|p| (p.id.to_string(), p.name.clone())).collect();
    view! {
        {any.then(|| view! {
            <p data-testid="second-factor-status">"Recovery codes left: " {s.recovery_codes_left} ". \
                If you lose all your second factors, an administrator can reset them (a supervisor confirms)."</p>
        })}
        <h3>"Passkeys"</h3>
        <p class="hint factor-intro">"A passkey signs you in with your computer's fingerprint or face sign-in, your device PIN or a security key. \
            It works only at " <code>{origin}</code> ", so a look-alike site cannot use it."</p>
        {(!s.passkeys.is_empty()).then(|| view! {
            <ul class="passkeys" data-testid="passkeys">
                {s.passkeys.iter().map(|p| view! {
                    <li><strong>{p.name.clone()}</strong> " — added " {p.created_at.text.clone()}
                        {p.last_used_at.as_ref().map(|t| format!(", last used {}", t.text))}</li>
                }).collect_view()}
            </ul>
        })}
        <AddPasskey origin=s.passkey_origin.clone()/>
        {(!options.is_empty()).then(|| view! {
            <details class="remove-passkey">
                <summary>"Remove a passkey"</summary>
                <ServerForm action=RemovePasskey::PATH done="Passkey removed.">
                    <SelectField label="Passkey" name="id" options/>
                    <Field label="Your password" name="password" form="remove-passkey" kind="password" autocomplete="current-password" required=true/>
                    <button type="submit" class="button danger">"Remove passkey"</button>
                </ServerForm>
            </details>
        })}
        <h3>"Authenticator app"</h3>
        {if s.totp {
            view! { <p data-testid="totp-status">"An authenticator app is set up. To replace it, ask an administrator to reset it \
                (a supervisor confirms)."</p> }.into_any()
        } else {
            view! { <TotpSetupIsland/> }.into_any()
        }}
    }
}

/// An island of its own: the QR code, the secret and the recovery codes are shown here once, and never
/// travel in a URL or survive a reload.
#[island]
fn TotpSetupIsland() -> impl IntoView {
    let begin = ServerAction::<BeginTotp>::new();
    let confirm = ServerAction::<ConfirmTotp>::new();
    let begin_error = action_error(begin);
    let error = action_error(confirm);
    let setup = move || begin.value().get().and_then(|r| r.ok());
    let codes = move || confirm.value().get().and_then(|r| r.ok());
    view! {
        {move || match (setup(), codes()) {
            (_, Some(codes)) if codes.is_empty() => view! {
                <div class="issued" role="status">
                    <p><strong>"Your authenticator app is set up."</strong> " Your recovery codes are unchanged."</p>
                    <p><a class="button primary" href="/profile">"Done"</a></p>
                </div>
            }.into_any(),
            (_, Some(codes)) => view! { <RecoveryCodes codes what="Your authenticator app is set up."/> }.into_any(),
            (Some(setup), None) => view! {
                <ol class="steps">
                    <li>"Scan this code with your authenticator app (or type the secret below into it)."</li>
                    <li>"Type the six-digit code the app shows, to confirm."</li>
                </ol>
                <div class="qr" role="img" aria-label="QR code for your authenticator app" inner_html=setup.qr_svg.clone()></div>
                <p>"Secret: " <code class="secret" data-testid="totp-secret">{setup.secret.clone()}</code></p>
                <ActionForm action=confirm>
                    <ErrorSummary error/>
                    <Field label="Code from the app" name="code" autocomplete="one-time-code" required=true error/>
                    <button type="submit" class="button primary">"Confirm"</button>
                </ActionForm>
            }.into_any(),
            (None, None) => view! {
                <p>"Use an authenticator app (for example FreeOTP, Google Authenticator, Microsoft Authenticator or 1Password)."</p>
                <ActionForm action=begin>
                    <ErrorSummary error=begin_error/>
                    <Field label="Your password" name="password" form="totp" kind="password" autocomplete="current-password" required=true
                        hint="Asked again, so that an unattended session cannot tie its own app to your account." error=begin_error/>
                    <button type="submit" class="button primary">"Set up an authenticator app"</button>
                </ActionForm>
            }.into_any(),
        }}
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
