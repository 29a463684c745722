//! Account changes that wait for a second person (four-eyes): supervisors confirm or refuse those of their
//! country, admins those that make someone an admin; admins see all and may withdraw them.

use crate::api::confirmations::{list_account_changes, DecideAccountChange, WithdrawAccountChange};
use crate::components::forms::{action_error, ErrorSummary};
use crate::components::layout::Guard;
use crate::components::server_form::ServerForm;
use crate::i18n::LabelIn;
use crate::model::permissions::Action;
use crate::model::AccountChangeView;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn ConfirmationsPage() -> impl IntoView {
    let changes = Resource::new(|| (), |_| list_account_changes(None));
    let l = crate::i18n::use_locale();
    view! {
        <Title text=tr!(l, "conf-page-title")/>
        <Guard action=Action::ConfirmAccountChanges>
            <h1>{tr!(l, "conf-title")}</h1>
            <p class="lead">{tr!(l, "conf-lead")}</p>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "loading")}</p> }>
                {move || Suspend::new(async move {
                    match changes.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(l)}</p> }.into_any(),
                        Ok(list) => {
                            let (open, decided): (Vec<_>, Vec<_>) = list.into_iter().partition(|c| c.decision.is_none());
                            view! {
                                <section class="panel wide">
                                    <h2>{tr!(l, "conf-waiting")}</h2>
                                    {if open.is_empty() {
                                        view! { <p class="empty">{tr!(l, "conf-nothing")}</p> }.into_any()
                                    } else {
                                        view! { <ul class="changes">{open.into_iter().map(|c| view! { <OpenChange change=c/> }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                                <section class="panel wide">
                                    <h2>{tr!(l, "conf-decided")}</h2>
                                    <DecidedTable changes=decided/>
                                </section>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// Who asked for what, when, who must decide; and the viewer's buttons.
#[component]
pub fn OpenChange(change: AccountChangeView) -> impl IntoView {
    let id = change.id;
    let grounds_id = format!("grounds-{id}");
    let l = crate::i18n::use_locale();
    view! {
        <li class="change" data-testid="account-change">
            <p>
                <strong translate="no">{change.display_name.clone()}</strong> " " <span class="muted mono" translate="no">{change.username.clone()}</span>
                ": " {change.description.clone()}
            </p>
            <p class="muted">
                {tr!(l, "conf-asked", who = change.requested_by.clone(), when = change.requested_at.text.clone(), confirmer = change.confirmer.label_in(l))}
            </p>
            {change.may_decide.then(|| view! {
                <div class="actions">
                    <ConfirmChange id=id needs_password=change.needs_password/>
                    <ServerForm action=DecideAccountChange::PATH class="refuse" done=tr!(l, "conf-refused")>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="confirm" value="false"/>
                        <div class="field" data-field="grounds">
                            <label for=grounds_id.clone()>{tr!(l, "conf-grounds")}</label>
                            <textarea id=grounds_id.clone() name="grounds" rows="2" maxlength="2000" aria-describedby=format!("{grounds_id}-error")></textarea>
                            <p class="field-error" id=format!("{grounds_id}-error")></p>
                        </div>
                        <button type="submit" class="button danger">{tr!(l, "conf-refuse")}</button>
                    </ServerForm>
                </div>
            })}
            {change.may_withdraw.then(|| view! {
                <ServerForm action=WithdrawAccountChange::PATH class="inline" done=tr!(l, "conf-withdrawn")>
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="button secondary">{tr!(l, "conf-withdraw")}</button>
                </ServerForm>
            })}
        </li>
    }
}

/// An island of its own: confirming a new account or a password reset answers its temporary password, a
/// service account's token its secret, shown here once (never in a URL, gone on reload); other confirmations reload the page.
#[island]
fn ConfirmChange(id: i64, needs_password: bool) -> impl IntoView {
    let decide = ServerAction::<DecideAccountChange>::new();
    let error = action_error(decide);
    let l = crate::i18n::use_locale();
    Effect::new(move |_| {
        if let Some(Ok(None)) = decide.value().get() {
            #[cfg(feature = "hydrate")]
            {
                crate::components::server_form::set_flash(&tr!(l, "conf-confirmed"));
                let _ = window().location().reload();
            }
        }
    });
    let issued = move || decide.value().get().and_then(|r| r.ok()).flatten();
    view! {
        <Show when=move || issued().is_none()>
            <ActionForm action=decide attr:class="inline">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="confirm" value="true"/>
                <input type="hidden" name="grounds" value=""/>
                {needs_password.then(|| {
                    let field = format!("confirm-password-{id}");
                    view! {
                        <div class="field" data-field="password">
                            <label for=field.clone()>{tr!(l, "field-your-password")}</label>
                            <p class="hint" id=format!("{field}-hint")>{tr!(l, "conf-token-password-hint")}</p>
                            <input id=field.clone() type="password" name="password" autocomplete="current-password" required
                                aria-describedby=format!("{field}-hint {field}-error")/>
                            <p class="field-error" id=format!("{field}-error")>{move || error.get().and_then(|e| e.field_message("password"))}</p>
                        </div>
                    }
                })}
                <button type="submit" class="button primary">{tr!(l, "conf-confirm")}</button>
                <ErrorSummary error/>
            </ActionForm>
        </Show>
        {move || issued().map(|issued| {
            let (before, after, testid, secret) = match (issued.temporary_password, issued.token) {
                (Some(password), _) => (tr!(l, "conf-temporary-before"), tr!(l, "conf-temporary-after"), "temporary-password", password),
                (None, Some(token)) => (tr!(l, "conf-token-before"), tr!(l, "conf-token-after"), "token-secret", token.secret),
                (None, None) => return ().into_any(),
            };
            view! {
                <div class="issued" role="status">
                    <p>{before} " " <strong translate="no">{issued.user.display_name.clone()}</strong>
                       " (" <span class="mono" translate="no">{issued.user.username.clone()}</span> "): " {after}</p>
                    <p class="secret"><code data-testid=testid translate="no">{secret}</code></p>
                </div>
            }.into_any()
        })}
    }
}

#[component]
fn DecidedTable(changes: Vec<AccountChangeView>) -> impl IntoView {
    let l = crate::i18n::use_locale();
    if changes.is_empty() {
        return view! { <p class="empty">{tr!(l, "conf-no-decisions")}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption class="visually-hidden">{tr!(l, "conf-decided-caption")}</caption>
                <thead><tr>
                    <th scope="col">{tr!(l, "conf-col-account")}</th><th scope="col">{tr!(l, "conf-col-change")}</th><th scope="col">{tr!(l, "conf-col-asked-by")}</th>
                    <th scope="col">{tr!(l, "conf-col-decision")}</th><th scope="col">{tr!(l, "conf-col-by")}</th><th scope="col">{tr!(l, "col-when")}</th>
                </tr></thead>
                <tbody>
                    {changes.into_iter().map(|c| view! {
                        <tr>
                            <td><span translate="no">{c.display_name.clone()}</span> " " <span class="muted mono" translate="no">{c.username.clone()}</span></td>
                            <td>{c.description.clone()}</td>
                            <td translate="no">{c.requested_by.clone()}</td>
                            <td>
                                {c.decision.map(|d| d.label_in(l))}
                                {c.grounds.clone().map(|g| view! { <br/><span class="muted">{g}</span> })}
                            </td>
                            <td translate="no">{c.decided_by.clone()}</td>
                            <td>{c.decided_at.map(|t| t.text)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
