//! Admin: one account. Change the name; ask for a new role or agency, re-enabling or a password reset
//! (each waits for its confirmer); disable or unlock at once. A service account's page lists its API tokens
//! instead of its sign-in: ask for one (it waits for the confirmer, who receives the secret) or revoke one.

use super::admin_users::{agency_options, role_options};
use crate::api::admin::{get_user, list_agencies, ResetSecondFactor, ResetUserPassword, SetUserEnabled, UnlockUser, UpdateUser};
use crate::api::confirmations::list_account_changes;
use crate::api::tokens::{service_tokens, AskForServiceToken, RevokeServiceToken};
use crate::components::forms::{Field, SelectField};
use crate::components::layout::Guard;
use crate::components::server_form::ServerForm;
use crate::error::AppError;
use crate::i18n::LabelIn;
use crate::i18n::Locale;
use crate::model::permissions::Action;
use crate::model::{UserStatus, UserView, TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS};
use crate::pages::confirmations::OpenChange;
use crate::pages::errors::NotFoundPage;
use crate::pages::profile::{ScopeChoices, TokenList};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn UserDetailPage() -> impl IntoView {
    view! {
        <Title text=tr!(crate::i18n::use_locale(), "adm-user")/>
        <UserDetail/>
    }
}

#[component]
fn UserDetail() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let user = Resource::new(id, get_user);
    let agencies = Resource::new(|| (), |_| list_agencies());
    let changes = Resource::new(id, |id| list_account_changes(Some(id)));
    let l = crate::i18n::use_locale();

    view! {
        <Guard action=Action::ManageAccounts>
            <p><a href="/admin/users">{tr!(l, "adm-back-to-users")}</a></p>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                {move || Suspend::new(async move {
                    let agencies = agencies.await.unwrap_or_default();
                    let open: Vec<_> = changes.await.unwrap_or_default().into_iter().filter(|c| c.decision.is_none()).collect();
                    match user.await {
                        Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(l)}</p> }.into_any(),
                        Ok(u) => {
                            let access = if u.service {
                                view! { <ServiceAccess u=u.clone() l/> }.into_any()
                            } else {
                                view! { <PersonAccess u=u.clone() l/> }.into_any()
                            };
                            view! {
                                <div class="page-head">
                                    <h1><span translate="no">{u.display_name.clone()}</span> <span class="muted mono" translate="no">" " {u.username.clone()}</span></h1>
                                    <span class="badges">
                                        <span class=format!("status status-{}", u.status.as_str())>{u.status.label_in(l)}</span>
                                        {u.service.then(|| view! { " " <span class="status status-service">{tr!(l, "adm-service-account")}</span> })}
                                    </span>
                                </div>
                                {(!open.is_empty()).then(|| view! {
                                    <section class="panel wide notice">
                                        <h2>{tr!(l, "adm-waiting")}</h2>
                                        <ul class="changes">{open.into_iter().map(|c| view! { <OpenChange change=c/> }).collect_view()}</ul>
                                    </section>
                                })}
                                <div class="columns">
                                    <section class="panel">
                                        <h2>{tr!(l, "adm-role-and-agency")}</h2>
                                        <p class="hint">{tr!(l, "adm-role-hint")}</p>
                                        <ServerForm action=UpdateUser::PATH done=tr!(l, "adm-saved")>
                                            <input type="hidden" name="id" value=u.id/>
                                            <Field label=tr!(l, "adm-full-name") name="display_name" value=u.display_name.clone() required=true/>
                                            <SelectField label=tr!(l, "adm-role") name="role" options=role_options(false, l) selected=u.role.as_str().to_string()/>
                                            <SelectField label=tr!(l, "adm-agency") name="agency" options=agency_options(&agencies, &tr!(l, "adm-choose-agency"), l) selected=u.agency_code.clone()/>
                                            <button type="submit" class="button primary">{tr!(l, "adm-save")}</button>
                                        </ServerForm>
                                    </section>
                                    {access}
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// A person's sign-in: failures, lock, second factor, password; unlock, resets, disable or enable.
#[component]
fn PersonAccess(u: UserView, l: Locale) -> impl IntoView {
    let active = u.status == UserStatus::Active;
    let locked = u.locked_until;
    view! {
    <section class="panel">
        <h2>{tr!(l, "adm-access")}</h2>
        <dl class="facts">
            <dt>{tr!(l, "adm-time-zone")}</dt><dd translate="no">{u.time_zone.clone()}</dd>
            <dt>{tr!(l, "adm-failed-sign-ins")}</dt><dd>{u.failed_attempts}</dd>
            <dt>{tr!(l, "adm-locked")}</dt>
            <dd>{match locked {
                Some(t) => tr!(l, "adm-locked-until", when = l.date_time(t.date_naive(), t.time(), "UTC")),
                None => tr!(l, "no"),
            }}</dd>
            <dt>{tr!(l, "adm-second-factor")}</dt><dd>{if u.second_factor { tr!(l, "adm-factor-app") } else { tr!(l, "adm-factor-none") }}</dd>
            <dt>{tr!(l, "adm-password")}</dt><dd>{if u.must_change_password { tr!(l, "adm-password-temporary") } else { tr!(l, "adm-password-chosen") }}</dd>
        </dl>
        <div class="actions">
            {locked.is_some().then(|| view! {
                <ServerForm action=UnlockUser::PATH class="inline" done=tr!(l, "adm-unlocked")>
                    <input type="hidden" name="id" value=u.id/>
                    <button type="submit" class="button primary">{tr!(l, "adm-unlock")}</button>
                </ServerForm>
            })}
            <ServerForm action=ResetUserPassword::PATH class="inline" done=tr!(l, "adm-reset-asked")>
                <input type="hidden" name="id" value=u.id/>
                <button type="submit" class="button secondary">{tr!(l, "adm-reset-password")}</button>
            </ServerForm>
            {u.second_factor.then(|| view! {
                <ServerForm action=ResetSecondFactor::PATH class="inline" done=tr!(l, "adm-factor-reset-asked")>
                    <input type="hidden" name="id" value=u.id/>
                    <button type="submit" class="button secondary">{tr!(l, "adm-reset-factor")}</button>
                </ServerForm>
            })}
            <EnableForm id=u.id active l/>
        </div>
    </section>
    }
}

/// A service account signs in nowhere: what it is, its tokens, and disabling or enabling it.
#[component]
fn ServiceAccess(u: UserView, l: Locale) -> impl IntoView {
    let active = u.status == UserStatus::Active;
    let id = u.id;
    let tokens = Resource::new(move || id, service_tokens);
    view! {
        <section class="panel" id="service-tokens">
            <h2>{tr!(l, "adm-service-tokens")}</h2>
            <p class="hint">{tr!(l, "adm-service-hint")} " " <a href="/api/v1/docs">{tr!(l, "tok-docs")}</a></p>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) => view! { <TokenList list l revoke=RevokeServiceToken::PATH owner=Some(id) empty=tr!(l, "adm-service-no-tokens")/> }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(l)}</p> }.into_any(),
                    }
                })}
            </Suspense>
            {active.then(|| view! {
                <h3>{tr!(l, "adm-service-ask")}</h3>
                <p class="hint">{tr!(l, "adm-service-ask-hint")}</p>
                <ServerForm action=AskForServiceToken::PATH done=tr!(l, "adm-service-asked")>
                    <input type="hidden" name="user" value=id/>
                    <Field label=tr!(l, "tok-name") name="name" form="service-token" required=true hint=tr!(l, "tok-name-hint")/>
                    <fieldset class="grading-fields" data-field="read">
                        <legend>{tr!(l, "tok-scopes")}</legend>
                        <ScopeChoices l/>
                        <p class="field-error"></p>
                    </fieldset>
                    <Field label=tr!(l, "tok-days") name="days" form="service-token" kind="number" value=TOKEN_DEFAULT_DAYS.to_string()
                        hint=tr!(l, "tok-days-hint", max = TOKEN_MAX_DAYS, default = TOKEN_DEFAULT_DAYS)/>
                    <Field label=tr!(l, "field-your-password") name="password" form="service-token" kind="password" autocomplete="current-password" required=true
                        hint=tr!(l, "tok-password-hint")/>
                    <button type="submit" class="button primary">{tr!(l, "adm-service-ask-button")}</button>
                </ServerForm>
            })}
            <div class="actions account-state">
                <EnableForm id active l/>
            </div>
        </section>
    }
}

/// Disabling takes effect at once; enabling again waits for the confirmer.
#[component]
fn EnableForm(id: i64, active: bool, l: Locale) -> impl IntoView {
    view! {
        <ServerForm action=SetUserEnabled::PATH class="inline" done=if active { tr!(l, "adm-disabled") } else { tr!(l, "adm-enable-asked") }>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="enabled" value=(!active).to_string()/>
            <button type="submit" class=if active { "button danger" } else { "button primary" }>
                {if active { tr!(l, "adm-disable") } else { tr!(l, "adm-enable") }}
            </button>
        </ServerForm>
    }
}
