//! Four-eyes on accounts: the changes that wait for a second person, and their decisions. Admins see all of
//! them; supervisors those their country decides. Who may decide which is the policy module's answer.

use crate::error::AppError;
use crate::model::{AccountChangeView, Handover};
use leptos::prelude::*;

/// Open changes (oldest first) and the recently decided ones the viewer may see; with `user`, that
/// account's only.
#[server(endpoint = "list_account_changes")]
pub async fn list_account_changes(user: Option<i64>) -> Result<Vec<AccountChangeView>, AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::platform::account_changes;
    use crate::backend::state;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ConfirmAccountChanges)?;
            let mut conn = app.db.pool.acquire().await?;
            let rows = account_changes::recent(&mut conn).await?;
            Ok(rows
                .iter()
                .filter(|c| user.is_none_or(|id| c.user_id == id))
                .filter(|c| policy::may_see_account_change(&actor.user, c))
                .map(|c| {
                    let decide = policy::may_decide_account_change(&actor.user, c);
                    c.view(
                        policy::confirmer(c),
                        decide,
                        policy::may_withdraw_account_change(&actor.user, c),
                        &actor.user.time_zone,
                        crate::i18n::request_locale(),
                    )
                })
                .collect())
        }
        .await,
    )
}

/// Confirms (applies) or refuses (with grounds) an open change. A change the viewer may not see answers
/// 404, one they see but may not decide (asked by them, or of their own account) 409 with the reason.
/// Confirming a new account or a reset answers the temporary password, confirming a service account's token
/// its secret: shown to the confirmer once.
#[server(endpoint = "decide_account_change")]
pub async fn decide_account_change(
    id: i64,
    confirm: bool,
    grounds: String,
    /// The confirmer's password, when the change hands over a token (`AccountChange::needs_reconfirming`).
    #[server(default)]
    password: String,
) -> Result<Option<Handover>, AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::platform::account_changes::{self, MAX_GROUNDS_CHARS};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::platform::users;
    use crate::backend::state;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ConfirmAccountChanges)?;
            let grounds = grounds.trim();
            if !confirm && grounds.is_empty() {
                return Err(AppError::field("grounds", tr!(crate::i18n::reader(), "err-say-why-you-refuse-change")));
            }
            if grounds.chars().count() > MAX_GROUNDS_CHARS {
                return Err(AppError::field(
                    "grounds",
                    tr!(crate::i18n::reader(), "err-grounds-have-most-characters", max_grounds_chars = MAX_GROUNDS_CHARS as i64),
                ));
            }
            let (temporary, needs_reconfirming) = before_deciding(&app, &actor, id, confirm, password).await?;
            let mut tx = app.db.begin_write().await?;
            let change = account_changes::by_id(&mut tx, id).await?.filter(|c| policy::may_see_account_change(&actor.user, c));
            let change = change.ok_or(AppError::NotFound)?;
            if !policy::may_decide_account_change(&actor.user, &change) {
                return Err(match change.is_open() {
                    true => AppError::Conflict(tr!(crate::i18n::reader(), "err-someone-other-than-admin-who")),
                    false => AppError::Conflict(tr!(crate::i18n::reader(), "err-change-has-already-been-decided")),
                });
            }
            if confirm {
                if change.issues_password() != temporary.is_some() || change.needs_reconfirming() != needs_reconfirming {
                    return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-change-was-altered-meanwhile-reload")));
                }
                let details = json!({"username": change.username, "kind": change.kind.as_str(), "change": change.id});
                let token = account_changes::confirm(&mut tx, &change, actor.id(), temporary.as_ref().map(|(_, issued)| issued)).await?;
                if change.kind == crate::model::ChangeKind::Update {
                    crate::backend::oversight::notifications::forget_all(&mut tx, change.user_id).await?;
                }
                audit::record(&mut tx, &actor.who, Event::new("account_change.confirm").on("user", change.user_id).details(details))
                    .await?;
                if let (Some(token), Some(spec)) = (&token, change.token()) {
                    let scopes: Vec<&str> = spec.scopes.iter().map(|s| s.as_str()).collect();
                    let details =
                        json!({"owner": change.username, "name": spec.name, "scopes": scopes, "days": spec.days, "change": change.id});
                    audit::record(&mut tx, &actor.who, Event::new("token.create").on("api_token", token.id).details(details)).await?;
                }
                let user = users::by_id(&mut tx, change.user_id).await?.ok_or(AppError::Internal)?.view();
                tx.commit().await?;
                let temporary_password = temporary.map(|(password, _)| password);
                return Ok((temporary_password.is_some() || token.is_some()).then_some(Handover { user, temporary_password, token }));
            } else {
                account_changes::refuse(&mut tx, &change, actor.id(), grounds).await?;
                let details = json!({"username": change.username, "kind": change.kind.as_str(), "change": change.id, "grounds": grounds});
                audit::record(&mut tx, &actor.who, Event::new("account_change.refuse").on("user", change.user_id).details(details)).await?;
            }
            tx.commit().await?;
            Ok(None)
        }
        .await,
    )
}

/// What deciding needs before its write transaction: the temporary password a confirmation makes (hashed
/// here: hashing is slow), and, for a change that hands over a token, the confirmer's password checked again
/// (only of the one who may decide it: anyone else is told why not, not asked for a password). Also answers
/// whether the change needed that, so that the decision can tell a change altered meanwhile.
#[cfg(feature = "ssr")]
async fn before_deciding(
    app: &crate::backend::AppState,
    actor: &crate::backend::Actor,
    id: i64,
    confirm: bool,
    password: String,
) -> Result<(Option<(String, crate::backend::platform::account_changes::Issued)>, bool), AppError> {
    use crate::backend::exchange::policy;
    use crate::backend::platform::account_changes::{self, Issued};
    use crate::backend::platform::passwords;
    let (issues_password, needs_reconfirming, may_decide) = {
        let mut conn = app.db.pool.acquire().await?;
        let change = account_changes::by_id(&mut conn, id).await?.filter(|c| policy::may_see_account_change(&actor.user, c));
        change
            .map(|c| (c.issues_password(), c.needs_reconfirming(), policy::may_decide_account_change(&actor.user, &c)))
            .unwrap_or_default()
    };
    if confirm && needs_reconfirming && may_decide {
        let session = crate::backend::state::auth_session().await?;
        crate::backend::own_factors::reconfirm(app, &session, actor, password, "account_change.confirm").await?;
    }
    let temporary = match confirm && issues_password {
        true => {
            let password = passwords::generate();
            Some((password.clone(), Issued { hash: passwords::hash(password).await, until: app.settings.temporary_until() }))
        }
        false => None,
    };
    Ok((temporary, needs_reconfirming))
}

#[server(endpoint = "withdraw_account_change")]
pub async fn withdraw_account_change(id: i64) -> Result<(), AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::platform::account_changes;
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::state;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ManageAccounts)?;
            let mut tx = app.db.begin_write().await?;
            let change = account_changes::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
            if !policy::may_withdraw_account_change(&actor.user, &change) {
                return Err(AppError::Conflict(tr!(crate::i18n::reader(), "err-only-open-change-someone-else")));
            }
            account_changes::withdraw(&mut tx, &change, actor.id()).await?;
            let details = json!({"username": change.username, "kind": change.kind.as_str(), "change": change.id});
            audit::record(&mut tx, &actor.who, Event::new("account_change.withdraw").on("user", change.user_id).details(details)).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}
