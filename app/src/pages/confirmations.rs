//! Account changes that wait for a second person (four-eyes): supervisors confirm or refuse those of their
//! country, admins those that make someone an admin; admins see all and may withdraw them.

use crate::api::confirmations::{list_account_changes, DecideAccountChange, WithdrawAccountChange};
use crate::components::forms::{action_error, ErrorSummary};
use crate::components::layout::Guard;
use crate::components::server_form::ServerForm;
use crate::model::permissions::Action;
use crate::model::AccountChangeView;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn ConfirmationsPage() -> impl IntoView {
    let changes = Resource::new(|| (), |_| list_account_changes(None));
    view! {
        <Title text="Confirmations"/>
        <Guard action=Action::ConfirmAccountChanges>
            <h1>"Account changes to confirm"</h1>
            <p class="lead">"An admin's change that lets someone read case content — a new account, a role, another agency, \
                re-enabling — takes effect only once a supervisor of that agency's country confirms it. \
                Making someone an admin takes a second admin."</p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match changes.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                        Ok(list) => {
                            let (open, decided): (Vec<_>, Vec<_>) = list.into_iter().partition(|c| c.decision.is_none());
                            view! {
                                <section class="panel wide">
                                    <h2>"Waiting"</h2>
                                    {if open.is_empty() {
                                        view! { <p class="empty">"Nothing waits for a confirmation."</p> }.into_any()
                                    } else {
                                        view! { <ul class="changes">{open.into_iter().map(|c| view! { <OpenChange change=c/> }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                                <section class="panel wide">
                                    <h2>"Decided recently"</h2>
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
    view! {
        <li class="change" data-testid="account-change">
            <p>
                <strong>{change.display_name.clone()}</strong> " " <span class="muted mono">{change.username.clone()}</span>
                ": " {change.description.clone()}
            </p>
            <p class="muted">
                "Asked by " {change.requested_by.clone()} " on " {change.requested_at.text.clone()}
                "; to be confirmed by " {change.confirmer.label()} "."
            </p>
            {change.may_decide.then(|| view! {
                <div class="actions">
                    <ConfirmChange id=id/>
                    <ServerForm action=DecideAccountChange::PATH class="refuse" done="Refused: nothing changed.">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="confirm" value="false"/>
                        <div class="field" data-field="grounds">
                            <label for=grounds_id.clone()>"Grounds for refusing"</label>
                            <textarea id=grounds_id.clone() name="grounds" rows="2" maxlength="2000" aria-describedby=format!("{grounds_id}-error")></textarea>
                            <p class="field-error" id=format!("{grounds_id}-error")></p>
                        </div>
                        <button type="submit" class="button danger">"Refuse"</button>
                    </ServerForm>
                </div>
            })}
            {change.may_withdraw.then(|| view! {
                <ServerForm action=WithdrawAccountChange::PATH class="inline" done="Withdrawn: nothing changed.">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="button secondary">"Withdraw"</button>
                </ServerForm>
            })}
        </li>
    }
}

/// An island of its own: confirming a new account or a password reset answers its temporary password,
/// shown here once (never in a URL, gone on reload); other confirmations reload the page.
#[island]
fn ConfirmChange(id: i64) -> impl IntoView {
    let decide = ServerAction::<DecideAccountChange>::new();
    let error = action_error(decide);
    Effect::new(move |_| {
        if let Some(Ok(None)) = decide.value().get() {
            #[cfg(feature = "hydrate")]
            {
                crate::components::server_form::set_flash("Confirmed: the change is in effect.");
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
                <button type="submit" class="button primary">"Confirm"</button>
                <ErrorSummary error/>
            </ActionForm>
        </Show>
        {move || issued().map(|issued| view! {
            <div class="issued" role="status">
                <p>"Confirmed. Temporary password for " <strong>{issued.user.display_name.clone()}</strong>
                   " (" <span class="mono">{issued.user.username.clone()}</span> "): give it to them by a secure channel. \
                   It is shown only once, works for one sign-in, and must then be changed."</p>
                <p class="secret"><code data-testid="temporary-password">{issued.temporary_password.clone()}</code></p>
            </div>
        })}
    }
}

#[component]
fn DecidedTable(changes: Vec<AccountChangeView>) -> impl IntoView {
    if changes.is_empty() {
        return view! { <p class="empty">"No decisions yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption class="visually-hidden">"Decided account changes"</caption>
                <thead><tr>
                    <th scope="col">"Account"</th><th scope="col">"Change"</th><th scope="col">"Asked by"</th>
                    <th scope="col">"Decision"</th><th scope="col">"By"</th><th scope="col">"When"</th>
                </tr></thead>
                <tbody>
                    {changes.into_iter().map(|c| view! {
                        <tr>
                            <td>{c.display_name.clone()} " " <span class="muted mono">{c.username.clone()}</span></td>
                            <td>{c.description.clone()}</td>
                            <td>{c.requested_by.clone()}</td>
                            <td>
                                {c.decision.map(|d| d.label())}
                                {c.grounds.clone().map(|g| view! { <br/><span class="muted">{g}</span> })}
                            </td>
                            <td>{c.decided_by.clone()}</td>
                            <td>{c.decided_at.map(|t| t.text)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
