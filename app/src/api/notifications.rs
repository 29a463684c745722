//! The notification centre.

use crate::error::AppError;
use crate::model::NotificationView;
use leptos::prelude::*;

#[server(endpoint = "list_notifications")]
pub async fn list_notifications() -> Result<Vec<NotificationView>, AppError> {
    use crate::backend::{oversight::notifications, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            notifications::list(&app.db.pool, actor.id(), &actor.user.time_zone, crate::i18n::request_locale()).await
        }
        .await,
    )
}

/// Marks one notification (id > 0) or all of the user's notifications (id = 0) read.
#[server(endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read(id: i64) -> Result<(), AppError> {
    use crate::backend::{oversight::notifications, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            let mut tx = app.db.begin_write().await?;
            notifications::mark_read(&mut tx, actor.id(), (id > 0).then_some(id)).await?;
            tx.commit().await?;
            app.hub.announce([actor.id()]);
            Ok(())
        }
        .await,
    )
}

/// The unread count the header starts with (the event stream then keeps it current).
#[server(endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    use crate::backend::state;
    state::reply(
        async {
            // Read with the user at the start of this request (backend::users), not counted again.
            let (actor, _) = state::context().await?;
            Ok(actor.unread)
        }
        .await,
    )
}

/// The account's e-mail alert setting.
#[server(endpoint = "email_alerts")]
pub async fn email_alerts() -> Result<crate::model::EmailPreference, AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::{oversight::alerts, state};
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ManageOwnProfile)?;
            let (email, mode) = alerts::preference(&mut *app.db.pool.acquire().await?, actor.id()).await?;
            Ok(crate::model::EmailPreference { email: email.unwrap_or_default(), mode, enabled: app.settings.email_enabled })
        }
        .await,
    )
}

/// Sets the address and the choice (none, each event, daily digest). Alerts need an address; the password
/// is asked again.
#[server(endpoint = "set_email_alerts")]
pub async fn set_email_alerts(#[server(default)] email: String, mode: String, password: String) -> Result<(), AppError> {
    use crate::backend::exchange::policy::{self, Action};
    use crate::backend::platform::audit::{self, Event};
    use crate::backend::{oversight::alerts, state};
    use crate::model::EmailAlerts;
    use serde_json::json;
    state::reply(
        async {
            let (actor, app) = state::context().await?;
            policy::ensure(&actor.user, Action::ManageOwnProfile)?;
            let mode: EmailAlerts =
                mode.parse().map_err(|_| AppError::field("mode", tr!(crate::i18n::reader(), "err-choose-how-you-want-alerts")))?;
            let address = alerts::parse_address(&email)?;
            if mode != EmailAlerts::Off && address.is_none() {
                return Err(AppError::field("email", tr!(crate::i18n::reader(), "err-give-address-alerts-go")));
            }
            // A session left open must not send the alerts elsewhere: the password again, as for a token.
            let session = state::auth_session().await?;
            crate::backend::own_factors::reconfirm(&app, &session, &actor, password, "profile.email_alerts").await?;
            let mut tx = app.db.begin_write().await?;
            alerts::set_preference(&mut tx, actor.id(), address.as_deref(), mode).await?;
            // The address is personal data: the trail notes that one was set, not which.
            let event = Event::new("profile.email_alerts").on("user", actor.id()).details(json!({
                "mode": mode.as_str(), "address": address.is_some()
            }));
            audit::record(&mut tx, &actor.who, event).await?;
            tx.commit_untracked().await?;
            Ok(())
        }
        .await,
    )
}
