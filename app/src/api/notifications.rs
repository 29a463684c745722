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
            notifications::list(&app.db.pool, actor.id(), &actor.user.time_zone).await
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
