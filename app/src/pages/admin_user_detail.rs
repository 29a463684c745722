//! Admin: one account. Change role/agency, disable or enable, unlock, reset the password.

use super::admin_users::{agency_options, role_options};
use crate::api::admin::{get_user, list_agencies, ResetUserPassword, SetUserEnabled, UnlockUser, UpdateUser};
use crate::components::forms::{action_error, ErrorSummary, Field, SelectField};
use crate::components::layout::Guard;
use crate::error::AppError;
use crate::model::permissions::Action;
use crate::model::UserStatus;
use crate::pages::errors::NotFoundPage;
use leptos::prelude::*;
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
    let update = ServerAction::<UpdateUser>::new();
    let enable = ServerAction::<SetUserEnabled>::new();
    let unlock = ServerAction::<UnlockUser>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let version = move || (update.version().get(), enable.version().get(), unlock.version().get(), reset.version().get());
    let user = Resource::new(move || (id(), version()), |(id, _)| get_user(id));
    let agencies = Resource::new(|| (), |_| list_agencies());
    let update_error = action_error(update);
    let other_error = Signal::derive(move || {
        enable.value().get().and_then(|r| r.err())
            .or_else(|| unlock.value().get().and_then(|r| r.err()))
            .or_else(|| reset.value().get().and_then(|r| r.err()))
    });

    view! {
        <Guard action=Action::ManageAccounts>
            <p><a href="/admin/users">"← Users"</a></p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let agencies = agencies.await.unwrap_or_default();
                    match user.await {
                        Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(u) => {
                            let active = u.status == UserStatus::Active;
                            let locked = u.locked_until;
                            view! {
                                <div class="page-head">
                                    <h1>{u.display_name.clone()} <span class="muted mono">" " {u.username.clone()}</span></h1>
                                    <span class=format!("status status-{}", u.status.as_str())>{u.status.label()}</span>
                                </div>
                                <ErrorSummary error=other_error/>
                                {move || reset.value().get().and_then(|r| r.ok()).map(|issued| view! {
                                    <div class="issued" role="status">
                                        <p>"New temporary password for " <strong>{issued.user.username.clone()}</strong> " (shown once; they must change it at next sign-in):"</p>
                                        <p class="secret"><code data-testid="temporary-password">{issued.temporary_password.clone()}</code></p>
                                    </div>
                                })}
                                <div class="columns">
                                    <section class="panel">
                                        <h2>"Role and agency"</h2>
                                        <ActionForm action=update>
                                            <input type="hidden" name="id" value=u.id/>
                                            <ErrorSummary error=update_error/>
                                            <Field label="Full name" name="display_name" value=u.display_name.clone() required=true error=update_error/>
                                            <SelectField label="Role" name="role" options=role_options(false) selected=u.role.as_str().to_string() error=update_error/>
                                            <SelectField label="Agency" name="agency" options=agency_options(&agencies, "Choose an agency") selected=u.agency_code.clone() error=update_error/>
                                            <button type="submit" class="button primary">"Save changes"</button>
                                        </ActionForm>
                                        <Show when=move || matches!(update.value().get(), Some(Ok(_)))>
                                            <p class="success" role="status">"Saved."</p>
                                        </Show>
                                    </section>
                                    <section class="panel">
                                        <h2>"Access"</h2>
                                        <dl class="facts">
                                            <dt>"Time zone"</dt><dd>{u.time_zone.clone()}</dd>
                                            <dt>"Failed sign-ins"</dt><dd>{u.failed_attempts}</dd>
                                            <dt>"Locked"</dt>
                                            <dd>{match locked { Some(t) => format!("until {} UTC", t.format("%Y-%m-%d %H:%M")), None => "No".into() }}</dd>
                                            <dt>"Password"</dt><dd>{if u.must_change_password { "Temporary (must be changed)" } else { "Chosen by the user" }}</dd>
                                        </dl>
                                        <div class="actions">
                                            {locked.is_some().then(|| view! {
                                                <ActionForm action=unlock attr:class="inline">
                                                    <input type="hidden" name="id" value=u.id/>
                                                    <button type="submit" class="button primary">"Unlock account"</button>
                                                </ActionForm>
                                            })}
                                            <ActionForm action=reset attr:class="inline">
                                                <input type="hidden" name="id" value=u.id/>
                                                <button type="submit" class="button secondary">"Reset password"</button>
                                            </ActionForm>
                                            <ActionForm action=enable attr:class="inline">
                                                <input type="hidden" name="id" value=u.id/>
                                                <input type="hidden" name="enabled" value=(!active).to_string()/>
                                                <button type="submit" class=if active { "button danger" } else { "button primary" }>
                                                    {if active { "Disable account" } else { "Enable account" }}
                                                </button>
                                            </ActionForm>
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
