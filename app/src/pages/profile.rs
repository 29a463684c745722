//! The user's own profile: changing the password (required after a temporary one), the second factor
//! (required before anything else where the instance requires one), the time zone, and for supervisors
//! the approval policy.

use crate::api::auth::{my_second_factor, BeginTotp, ChangePassword, ConfirmTotp};
use crate::api::cases::SetTimeZone;
use crate::api::notifications::{email_alerts, SetEmailAlerts};
use crate::api::passkeys::RemovePasskey;
use crate::api::requests::{approval_policy, SetApprovalPolicy};
use crate::api::tokens::{my_tokens, CreateToken, RevokeToken};
use crate::components::forms::{action_error, ErrorSummary};
use crate::components::forms::{Field, SelectField};
use crate::components::layout::{CurrentUser, Guard};
use crate::components::passkey::{AddPasskey, RecoveryCodes};
use crate::components::server_form::ServerForm;
use crate::i18n::{LabelIn, Locale};
use crate::model::permissions::{allows, Action};
use crate::model::{EmailAlerts, Priority, SecondFactorStatus, TokenScope, TokenView, TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let user = CurrentUser::resource();
    view! {
        <Title text=tr!(l, "nav-profile")/>
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
                        <h1>{tr!(l, "pw-title")}</h1>
                        {must_change.then(|| view! {
                            <p class="notice" role="status">{tr!(l, "pw-temporary")}</p>
                        })}
                        <ServerForm
                            action=ChangePassword::PATH
                            then=if must_change { "/" } else { "" }
                            done=tr!(l, "pw-changed")
                        >
                            // For password managers: which account this password belongs to.
                            <input type="text" name="username" autocomplete="username" value=u.username.clone() hidden readonly/>
                            <Field label=tr!(l, "pw-current") name="current" kind="password" autocomplete="current-password" required=true/>
                            <Field
                                label=tr!(l, "pw-new")
                                name="new_password"
                                kind="password"
                                autocomplete="new-password"
                                required=true
                                hint=tr!(l, "pw-new-hint")
                            />
                            <Field label=tr!(l, "pw-again") name="confirm" kind="password" autocomplete="new-password" required=true/>
                            <button type="submit" class="button primary">{tr!(l, "pw-submit")}</button>
                        </ServerForm>
                    </section>
                    {(!must_change && !must_enrol).then(|| view! {
                        <section class="panel narrow">
                            <h2>{tr!(l, "tz-title")}</h2>
                            <p>{tr!(l, "tz-current")} " " <strong translate="no">{u.time_zone.clone()}</strong></p>
                            <ServerForm action=SetTimeZone::PATH done=tr!(l, "tz-saved")>
                                <Field label=tr!(l, "tz-title") name="time_zone" hint=tr!(l, "tz-hint")/>
                                <button type="submit" class="button secondary">{tr!(l, "tz-save")}</button>
                            </ServerForm>
                        </section>
                    })}
                    {(!restricted).then(|| view! { <SecondFactor must_enrol=false/> })}
                    {(allows(u.role, Action::SetApprovalPolicy) && !restricted).then(|| view! { <ApprovalPolicy/> })}
                    {(!restricted).then(|| view! { <EmailAlertsPanel/> })}
                    {(allows(u.role, Action::UseApi) && !restricted).then(|| view! { <ApiTokens/> })}
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
    let l = crate::i18n::use_locale();
    let status = Resource::new(|| (), |_| my_second_factor());
    view! {
        <section class="panel narrow" id="second-factor">
            <h2>{tr!(l, "sf-title")}</h2>
            {must_enrol.then(|| view! {
                <p class="notice" role="status">{tr!(l, "sf-must-enrol")}</p>
            })}
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) => view! { <Factors s/> }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Factors(s: SecondFactorStatus) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let any = s.any();
    let origin = s.passkey_origin.clone();
    let options: Vec<(String, String)> = s.passkeys.iter().map(|p| (p.id.to_string(), p.name.clone())).collect();
    view! {
        {any.then(|| view! {
            <p data-testid="second-factor-status">{tr!(l, "sf-codes-left", count = s.recovery_codes_left)}</p>
        })}
        <h3>{tr!(l, "sf-passkeys")}</h3>
        <p class="hint factor-intro">{tr!(l, "sf-passkey-intro", origin = origin)}</p>
        {(!s.passkeys.is_empty()).then(|| view! {
            <ul class="passkeys" data-testid="passkeys">
                {s.passkeys.iter().map(|p| view! {
                    <li><strong translate="no">{p.name.clone()}</strong> " — " {tr!(l, "sf-passkey-added", when = p.created_at.text.clone())}
                        {p.last_used_at.as_ref().map(|t| format!(", {}", tr!(l, "sf-passkey-used", when = t.text.clone())))}</li>
                }).collect_view()}
            </ul>
        })}
        <AddPasskey origin=s.passkey_origin.clone() l/>
        {(!options.is_empty()).then(|| view! {
            <details class="remove-passkey">
                <summary>{tr!(l, "sf-remove-open")}</summary>
                <ServerForm action=RemovePasskey::PATH done=tr!(l, "sf-removed")>
                    <SelectField label=tr!(l, "sf-passkey") name="id" options/>
                    <Field label=tr!(l, "field-your-password") name="password" form="remove-passkey" kind="password" autocomplete="current-password" required=true/>
                    <button type="submit" class="button danger">{tr!(l, "sf-remove")}</button>
                </ServerForm>
            </details>
        })}
        <h3>{tr!(l, "sf-app")}</h3>
        {if s.totp {
            view! { <p data-testid="totp-status">{tr!(l, "sf-app-set")}</p> }.into_any()
        } else {
            view! { <TotpSetupIsland l/> }.into_any()
        }}
    }
}

/// An island of its own: the QR code, the secret and the recovery codes are shown here once, and never
/// travel in a URL or survive a reload.
#[island]
fn TotpSetupIsland(l: Locale) -> impl IntoView {
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
                    <p><strong>{tr!(l, "totp-done")}</strong> " " {tr!(l, "totp-codes-unchanged")}</p>
                    <p><a class="button primary" href="/profile">{tr!(l, "done")}</a></p>
                </div>
            }.into_any(),
            (_, Some(codes)) => view! { <RecoveryCodes codes what=tr!(l, "totp-done") l/> }.into_any(),
            (Some(setup), None) => view! {
                <ol class="steps">
                    <li>{tr!(l, "totp-step-scan")}</li>
                    <li>{tr!(l, "totp-step-type")}</li>
                </ol>
                <div class="qr" role="img" aria-label=tr!(l, "totp-qr") inner_html=setup.qr_svg.clone()></div>
                <p>{tr!(l, "totp-secret")} " " <code class="secret" data-testid="totp-secret" translate="no">{setup.secret.clone()}</code></p>
                <ActionForm action=confirm>
                    <ErrorSummary error/>
                    <Field label=tr!(l, "totp-code") name="code" autocomplete="one-time-code" required=true error/>
                    <button type="submit" class="button primary">{tr!(l, "confirm")}</button>
                </ActionForm>
            }.into_any(),
            (None, None) => view! {
                <p>{tr!(l, "totp-intro")}</p>
                <ActionForm action=begin>
                    <ErrorSummary error=begin_error/>
                    <Field label=tr!(l, "field-your-password") name="password" form="totp" kind="password" autocomplete="current-password" required=true
                        hint=tr!(l, "totp-password-hint") error=begin_error/>
                    <button type="submit" class="button primary">{tr!(l, "totp-begin")}</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}

/// Supervisors: which outgoing requests of their agency wait for their approval before they are sent.
#[component]
fn ApprovalPolicy() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let current = Resource::new(|| (), |_| approval_policy());
    view! {
        <section class="panel narrow">
            <h2>{tr!(l, "ap-title")}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let now = current.await.unwrap_or_default();
                    let options = std::iter::once((String::new(), tr!(l, "ap-none")))
                        .chain(Priority::ALL.iter().map(|p| (p.as_str().to_string(), tr!(l, "ap-at-least", priority = p.label_in(l)))))
                        .collect();
                    view! {
                        <ServerForm action=SetApprovalPolicy::PATH done=tr!(l, "ap-saved")>
                            <SelectField label=tr!(l, "ap-label") name="min_priority" options selected=now/>
                            <button type="submit" class="button secondary">{tr!(l, "save")}</button>
                        </ServerForm>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The user's API tokens: what each may do, until when, when it was last used; making one (its secret shown
/// once) and revoking one.
#[component]
fn ApiTokens() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let tokens = Resource::new(|| (), |_| my_tokens());
    view! {
        <section class="panel narrow" id="api-tokens">
            <h2>{tr!(l, "tok-title")}</h2>
            <p class="hint">{tr!(l, "tok-intro")} " " <a href="/api/v1/docs">{tr!(l, "tok-docs")}</a></p>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) => view! { <TokenList list l revoke=RevokeToken::PATH owner=None empty=tr!(l, "tok-none")/> }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(l)}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <h3>{tr!(l, "tok-new")}</h3>
            <NewTokenIsland l/>
        </section>
    }
}

/// Tokens as their owner or an admin sees them (`empty` said when there are none); revoking posts to
/// `revoke` (with `owner`, a service account's id, when an admin revokes one of its tokens).
#[component]
pub fn TokenList(list: Vec<TokenView>, l: Locale, revoke: &'static str, owner: Option<i64>, empty: String) -> impl IntoView {
    let live: Vec<(String, String)> =
        list.iter().filter(|t| !t.revoked && !t.expired && !t.stale).map(|t| (t.id.to_string(), t.name.clone())).collect();
    let state = move |t: &TokenView| {
        if t.revoked {
            tr!(l, "tok-revoked")
        } else if t.stale {
            tr!(l, "tok-stale")
        } else if t.expired {
            tr!(l, "tok-expired")
        } else {
            tr!(l, "tok-expires", when = t.expires.text.clone())
        }
    };
    view! {
        {if list.is_empty() {
            view! { <p>{empty}</p> }.into_any()
        } else {
            view! {
                <ul class="tokens" data-testid="tokens">
                    {list.iter().map(|t| {
                        let scopes = t.scopes.iter().map(|s| s.label_in(l)).collect::<Vec<_>>().join(", ");
                        let used = match &t.last_used {
                            Some(at) => tr!(l, "tok-last-used", when = at.text.clone()),
                            None => tr!(l, "tok-never-used"),
                        };
                        view! {
                            <li class:gone=t.revoked || t.expired || t.stale>
                                <strong translate="no">{t.name.clone()}</strong> " — " {state(t)} ", " {used}
                                <br/><span class="hint">{scopes}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(!live.is_empty()).then(|| view! {
            <details class="revoke-token">
                <summary>{tr!(l, "tok-revoke-open")}</summary>
                <ServerForm action=revoke done=tr!(l, "tok-revoke-done")>
                    {owner.map(|id| view! { <input type="hidden" name="user" value=id/> })}
                    <SelectField label=tr!(l, "tok-token") name="id" form="revoke-token" options=live/>
                    <button type="submit" class="button danger">{tr!(l, "tok-revoke")}</button>
                </ServerForm>
            </details>
        })}
    }
}

/// An island of its own: the secret is shown here once, and never travels in a URL or survives a reload.
#[island]
fn NewTokenIsland(l: Locale) -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let error = action_error(create);
    let issued = move || create.value().get().and_then(|r| r.ok());
    view! {
        {move || match issued() {
            Some(token) => view! {
                <div class="issued" role="status">
                    <p><strong>{tr!(l, "tok-created")}</strong></p>
                    <p>{tr!(l, "tok-secret")} " " <code class="secret" data-testid="token-secret" translate="no">{token.secret.clone()}</code></p>
                    <p><a class="button primary" href="/profile#api-tokens">{tr!(l, "done")}</a></p>
                </div>
            }.into_any(),
            None => view! {
                <ActionForm action=create>
                    <ErrorSummary error/>
                    <Field label=tr!(l, "tok-name") name="name" form="token" required=true hint=tr!(l, "tok-name-hint") error/>
                    <fieldset class="grading-fields" data-field="read">
                        <legend>{tr!(l, "tok-scopes")}</legend>
                        <ScopeChoices l/>
                        <p class="field-error">{move || error.get().and_then(|e| e.field_message("read"))}</p>
                    </fieldset>
                    <Field label=tr!(l, "tok-days") name="days" form="token" kind="number" value=TOKEN_DEFAULT_DAYS.to_string()
                        hint=tr!(l, "tok-days-hint", max = TOKEN_MAX_DAYS, default = TOKEN_DEFAULT_DAYS) error/>
                    <Field label=tr!(l, "field-your-password") name="password" form="token" kind="password" autocomplete="current-password" required=true
                        hint=tr!(l, "tok-password-hint") error/>
                    <button type="submit" class="button primary">{tr!(l, "tok-create")}</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}

/// A token's scopes as checkboxes named after each (`TokenForm`), reading ticked.
#[component]
pub fn ScopeChoices(l: Locale) -> impl IntoView {
    TokenScope::ALL
        .iter()
        .map(|s| {
            let id = format!("f-token-{}", s.as_str());
            view! {
                <div class="field checkbox">
                    <input type="checkbox" id=id.clone() name=s.as_str() value="on" checked=*s == TokenScope::Read/>
                    <label for=id>{s.label_in(l)}</label>
                </div>
            }
        })
        .collect_view()
}

/// E-mail alerts: the address and how often. Alerts name references only, never what a case holds.
#[component]
fn EmailAlertsPanel() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let current = Resource::new(|| (), |_| email_alerts());
    view! {
        <section class="panel narrow" id="email-alerts">
            <h2>{tr!(l, "mailpref-title")}</h2>
            <p class="hint">{tr!(l, "mailpref-intro")}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let Ok(p) = current.await else { return ().into_any() };
                    let options = EmailAlerts::ALL.iter().map(|m| (m.as_str().to_string(), m.label_in(l))).collect();
                    view! {
                        {(!p.enabled).then(|| view! { <p class="notice" role="status">{tr!(l, "mailpref-off-here")}</p> })}
                        <ServerForm action=SetEmailAlerts::PATH done=tr!(l, "mailpref-saved")>
                            <Field label=tr!(l, "mailpref-address") name="email" form="mail" kind="email" autocomplete="email" value=p.email.clone()/>
                            <SelectField label=tr!(l, "mailpref-mode") name="mode" form="mail" options selected=p.mode.as_str().to_string()/>
                            <Field label=tr!(l, "field-your-password") name="password" form="mail" kind="password" autocomplete="current-password" required=true/>
                            <button type="submit" class="button secondary">{tr!(l, "save")}</button>
                        </ServerForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </section>
    }
}
