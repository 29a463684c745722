//! Admin: one account. Change the name; ask for a new role or agency, re-enabling or a password reset
//! (each waits for its confirmer); disable or unlock at once.

use super::admin_users::{agency_options, role_options};
use crate::api::admin::{get_user, list_agencies, ResetSecondFactor, ResetUserPassword, SetUserEnabled, UnlockUser, UpdateUser};
use crate::api::confirmations::list_account_changes;
use crate::components::forms::{Field, SelectField};
use crate::components::layout::Guard;
use crate::components::server_form::ServerForm;
use crate::error::AppError;
use crate::model::permissions::Action;
use crate::model::UserStatus;
use crate::pages::confirmations::OpenChange;
use crate::pages::errors::NotFoundPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn UserDetailPage() -> impl IntoView {
    view! {
        <Title text="User"/>
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

    view! {
        <Guard action=Action::ManageAccounts>
            <p><a href="/admin/users">"← Users"</a></p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let agencies = agencies.await.unwrap_or_default();
                    let open: Vec<_> = changes.await.unwrap_or_default().into_iter().filter(|c| c.decision.is_none()).collect();
                    match user.await {
                        Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                        Ok(u) => {
                            let active = u.status == UserStatus::Active;
                            let locked = u.locked_until;
                            view! {
                                <div class="page-head">
                                    <h1>{u.display_name.clone()} <span class="muted mono">" " {u.username.clone()}</span></h1>
                                    <span class=format!("status status-{}", u.status.as_str())>{u.status.label()}</span>
                                </div>
                                {(!open.is_empty()).then(|| view! {
                                    <section class="panel wide notice">
                                        <h2>"Waiting for confirmation"</h2>
                                        <ul class="changes">{open.into_iter().map(|c| view! { <OpenChange change=c/> }).collect_view()}</ul>
                                    </section>
                                })}
                                <div class="columns">
                                    <section class="panel">
                                        <h2>"Role and agency"</h2>
                                        <p class="hint">"A new role or agency takes effect once a supervisor of the agency's country (for an admin: another admin) confirms it."</p>
                                        <ServerForm action=UpdateUser::PATH done="Saved. A new role or agency waits for confirmation.">
                                            <input type="hidden" name="id" value=u.id/>
                                            <Field label="Full name" name="display_name" value=u.display_name.clone() required=true/>
                                            <SelectField label="Role" name="role" options=role_options(false) selected=u.role.as_str().to_string()/>
                                            <SelectField label="Agency" name="agency" options=agency_options(&agencies, "Choose an agency") selected=u.agency_code.clone()/>
                                            <button type="submit" class="button primary">"Save changes"</button>
                                        </ServerForm>
                                    </section>
                                    <section class="panel">
                                        <h2>"Access"</h2>
                                        <dl class="facts">
                                            <dt>"Time zone"</dt><dd>{u.time_zone.clone()}</dd>
                                            <dt>"Failed sign-ins"</dt><dd>{u.failed_attempts}</dd>
                                            <dt>"Locked"</dt>
                                            <dd>{match locked { Some(t) => format!("until {} UTC", t.format("%Y-%m-%d %H:%M")), None => "No".into() }}</dd>
                                            <dt>"Second factor"</dt><dd>{if u.second_factor { "Authenticator app" } else { "None yet" }}</dd>
                                            <dt>"Password"</dt><dd>{if u.must_change_password { "Temporary (must be changed)" } else { "Chosen by the user" }}</dd>
                                        </dl>
                                        <div class="actions">
                                            {locked.is_some().then(|| view! {
                                                <ServerForm action=UnlockUser::PATH class="inline" done="Account unlocked.">
                                                    <input type="hidden" name="id" value=u.id/>
                                                    <button type="submit" class="button primary">"Unlock account"</button>
                                                </ServerForm>
                                            })}
                                            <ServerForm action=ResetUserPassword::PATH class="inline" done="Asked: the confirmer receives the new temporary password by confirming.">
                                                <input type="hidden" name="id" value=u.id/>
                                                <button type="submit" class="button secondary">"Reset password"</button>
                                            </ServerForm>
                                            {u.second_factor.then(|| view! {
                                                <ServerForm action=ResetSecondFactor::PATH class="inline" done="Asked: the authenticator app is removed once confirmed.">
                                                    <input type="hidden" name="id" value=u.id/>
                                                    <button type="submit" class="button secondary">"Reset second factor"</button>
                                                </ServerForm>
                                            })}
                                            <ServerForm action=SetUserEnabled::PATH class="inline" done=if active { "Account disabled." } else { "Asked: the account is enabled once confirmed." }>
                                                <input type="hidden" name="id" value=u.id/>
                                                <input type="hidden" name="enabled" value=(!active).to_string()/>
                                                <button type="submit" class=if active { "button danger" } else { "button primary" }>
                                                    {if active { "Disable account" } else { "Enable account" }}
                                                </button>
                                            </ServerForm>
                                        </div>
                                    </section>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Guard>
    }
}
