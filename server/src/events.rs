//! Live updates: a server-sent event stream per signed-in browser carrying the unread notification count,
//! and the deadline-reminder task. A reconnect loses nothing: the first event on every connection is the
//! count read from the database, and the page refetches what it shows.

use app::backend::oversight::notifications::{self, Hub};
use app::backend::platform::auth::AuthSession;
use app::backend::{platform::db::Db, state, AppState};
use axum::extract::{Request, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

struct Listener {
    app: AppState,
    user: i64,
    rx: tokio::sync::broadcast::Receiver<i64>,
    first: bool,
    /// The stream ends within `WATCH_EVERY` of its session ending (one timer for the stream's life, so a
    /// busy stream is checked as often as a quiet one).
    watch: state::SessionWatch,
    timer: tokio::time::Interval,
}

/// How often an open stream checks that its session still holds.
const WATCH_EVERY: Duration = Duration::from_secs(4);

fn count_event(n: i64) -> Result<Event, Infallible> {
    Ok(Event::default().event("notifications").data(n.to_string()))
}

pub async fn stream(State(app): State<AppState>, mut session: AuthSession, req: Request) -> Response {
    let ip = req.extensions().get::<app::backend::platform::client_addr::ClientAddr>().map(|c| c.0.to_string());
    drop(req);
    // The stream is the page's doing, not the user's: it does not keep the session alive.
    let actor = match state::require_actor_in_background(&app, &mut session, ip).await {
        Ok(a) => a,
        Err(e) => return (axum::http::StatusCode::from_u16(e.status_code()).unwrap_or_default(), e.to_string()).into_response(),
    };
    let Some(watch) = state::SessionWatch::of(&session).await else {
        return (axum::http::StatusCode::UNAUTHORIZED, "Please sign in.").into_response();
    };
    let timer = tokio::time::interval_at(tokio::time::Instant::now() + WATCH_EVERY, WATCH_EVERY);
    let listener = Listener { rx: app.hub.subscribe(), app, user: actor.id(), first: true, watch, timer };
    let events: std::pin::Pin<Box<dyn Stream<Item = Result<Event, Infallible>> + Send>> = Box::pin(stream::unfold(listener, next_event));
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

async fn next_event(mut l: Listener) -> Option<(Result<Event, Infallible>, Listener)> {
    if l.first {
        l.first = false;
        let n = notifications::unread_count(&l.app.db.pool, l.user).await.ok()?;
        return Some((count_event(n), l));
    }
    let mut shutdown = l.app.shutdown.clone();
    loop {
        let msg = tokio::select! {
            _ = async { let _ = shutdown.wait_for(|stop| *stop).await; } => return None,
            _ = l.timer.tick() => {
                if l.watch.still_valid(&l.app).await { continue } else { return None }
            }
            msg = l.rx.recv() => msg,
        };
        match msg {
            Ok(user) if user != l.user => continue,
            // Missed messages (a slow reader): send the current count anyway.
            Ok(_) | Err(RecvError::Lagged(_)) => {
                if !l.watch.still_valid(&l.app).await {
                    return None;
                }
                let n = notifications::unread_count(&l.app.db.pool, l.user).await.ok()?;
                return Some((count_event(n), l));
            }
            Err(RecvError::Closed) => return None,
        }
    }
}

/// Every minute: notify about requests due within 24 hours and overdue ones. Each reminder has a unique
/// key per user, so a restart (or a second pass) never sends it twice.
pub fn spawn_reminders(db: Db, hub: Hub) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            match notifications::remind(&db, chrono::Utc::now()).await {
                Ok(users) => hub.announce(users),
                Err(e) => tracing::warn!(error = %e, "deadline reminders failed; will retry"),
            }
        }
    });
}
