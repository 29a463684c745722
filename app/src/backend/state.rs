//! What every server function starts with: the shared state, and the signed-in actor (or a refusal).

use crate::backend::platform::audit::Who;
pub use crate::backend::platform::auth::Actor;
use crate::backend::platform::auth::AuthSession;
use crate::backend::platform::db::Db;
use crate::backend::settings::Settings;
use crate::error::AppError;
use axum::extract::FromRef;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use leptos::config::LeptosOptions;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

/// The session key noting the user's last activity (see `require_actor`); the session store treats a save that
/// changes nothing else as a mere touch.
pub const LAST_SEEN: &str = "ld.last_seen";

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
    /// Sign-in attempts per client address, on top of the per-account lockout.
    pub signin_limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// At most one audit event a minute per address for sign-ins the limiter refuses: a flood of refused
    /// attempts must not flood the audit trail (or the disk) in turn.
    pub throttled_audit: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Searches, cross-checks and exports per user (each costs far more than a page).
    pub expensive_reads: Arc<DefaultKeyedRateLimiter<i64>>,
    /// Calls per API token (`LD_API_CALLS_PER_MINUTE`).
    pub api_calls: Arc<DefaultKeyedRateLimiter<i64>>,
    /// Live notification announcements for open browsers.
    pub hub: crate::backend::oversight::notifications::Hub,
    pub dashboards: crate::backend::oversight::dashboard::Snapshots,
    pub inbox_html: Arc<
        crate::backend::platform::render_cache::RenderCache<(crate::model::InboxFilter, crate::model::Locale), crate::model::InboxHtml>,
    >,
    /// Request lists (the /requests page's, the API's `GET /requests`) per viewer, filter and language.
    pub request_lists: Arc<
        crate::backend::platform::render_cache::RenderCache<(crate::model::InboxFilter, crate::model::Locale), crate::model::RequestPage>,
    >,
    /// The dashboard's HTML per country, figures and time zone: every supervisor of a country sees the same.
    pub dashboard_html: Arc<
        crate::backend::platform::render_cache::RenderCache<
            (crate::model::Country, i64, String, crate::model::Locale),
            crate::model::DashboardHtml,
        >,
    >,
    /// The case forms' choices (agencies, leads) per user: the same on every case page.
    pub form_options: Arc<crate::backend::platform::render_cache::RenderCache<(), crate::model::FormOptions>>,
    /// Cross-check results per viewer and version of what is looked for.
    pub crosscheck: Arc<crate::backend::oversight::crosscheck::Kept>,
    /// Flips to true at shutdown, so long-lived event streams end and in-flight requests can finish.
    pub shutdown: tokio::sync::watch::Receiver<bool>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: Db, settings: Settings, shutdown: tokio::sync::watch::Receiver<bool>) -> Self {
        let per_minute = NonZeroU32::new(settings.signin_per_ip_per_minute.max(1)).expect("max(1)");
        AppState {
            leptos_options,
            db,
            signin_limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            throttled_audit: Arc::new(RateLimiter::keyed(Quota::per_minute(std::num::NonZeroU32::MIN))),
            expensive_reads: Arc::new(RateLimiter::keyed(Quota::per_minute(
                NonZeroU32::new(settings.expensive_reads_per_minute.max(1)).expect("max(1)"),
            ))),
            api_calls: Arc::new(RateLimiter::keyed(Quota::per_minute(
                NonZeroU32::new(settings.api_calls_per_minute.max(1)).expect("max(1)"),
            ))),
            hub: Default::default(),
            dashboards: Default::default(),
            // An inbox is 10–60 KB of HTML: room for a couple of hundred viewers' current filters.
            inbox_html: Arc::new(crate::backend::platform::render_cache::RenderCache::new(8 << 20)),
            // A page of 25 requests (the pages') is 10–15 KB, of 50 (the API's) twice that.
            request_lists: Arc::new(crate::backend::platform::render_cache::RenderCache::new(8 << 20)),
            dashboard_html: Arc::new(crate::backend::platform::render_cache::RenderCache::new(2 << 20)),
            // A few KB each.
            form_options: Arc::new(crate::backend::platform::render_cache::RenderCache::new(1 << 20)),
            crosscheck: Arc::default(),
            shutdown,
            settings: Arc::new(settings),
        }
    }
}

/// Forgets the addresses a limiter holds that have been quiet long enough to have their whole allowance
/// back (they are indistinguishable from new ones): without this, every address ever seen stays in memory.
pub fn forget_idle_addresses<K: std::hash::Hash + Eq + Clone>(limiter: &DefaultKeyedRateLimiter<K>) {
    limiter.retain_recent();
    limiter.shrink_to_fit();
}

impl AppState {
    /// Forgets idle addresses in the sign-in limiters every `every`, for as long as the server runs.
    pub fn spawn_forgetting_idle_addresses(&self, every: std::time::Duration) {
        let (signin, throttled, reads, api) =
            (self.signin_limiter.clone(), self.throttled_audit.clone(), self.expensive_reads.clone(), self.api_calls.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                forget_idle_addresses(&signin);
                forget_idle_addresses(&throttled);
                forget_idle_addresses(&reads);
                forget_idle_addresses(&api);
            }
        });
    }
}

impl AppState {
    /// Where attachments are kept, as configured.
    pub fn files(&self) -> crate::backend::exchange::attachments::Store<'_> {
        crate::backend::exchange::attachments::Store {
            dir: &self.settings.attachment_dir,
            max_bytes: self.settings.attachment_max_bytes,
            agency_quota_bytes: self.settings.agency_quota_bytes,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server-function context");
        AppError::Internal
    })
}

/// The client's address as the server's middleware decided it (`platform::client_addr`).
pub async fn client_ip() -> Option<String> {
    use crate::backend::platform::client_addr::ClientAddr;
    leptos_axum::extract::<axum::Extension<ClientAddr>>().await.ok().map(|axum::Extension(ClientAddr(addr))| addr.to_string())
}

/// Binds this request's session anew to the account as it now is (a new password or second factor): this
/// session goes on, every other one of the account ends (`AuthedUser`'s binding changed).
pub async fn rebind_session(row: crate::backend::platform::users::UserRow) -> Result<(), AppError> {
    let mut session = auth_session().await?;
    session.login(&crate::backend::platform::auth::AuthedUser::new(row)).await.map_err(|e| {
        tracing::error!(error = %e, "session refresh failed");
        AppError::Internal
    })
}

pub async fn auth_session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>().await.map_err(|e| {
        tracing::error!(error = %e, "auth session missing");
        AppError::Internal
    })
}

/// The actor, or Unauthorized. Users who still have to replace a temporary password or set up a second
/// factor get Forbidden everywhere but their profile page.
/// Server functions and plain handlers (`require_actor`) decide the same way.
pub async fn context() -> Result<(Actor, AppState), AppError> {
    let state = state()?;
    if let Some(caller) = leptos::prelude::use_context::<ApiCaller>() {
        return Ok((caller.actor, state));
    }
    let mut session = auth_session().await?;
    let actor = actor_from_session(&state, &mut session, client_ip().await, activity().await).await?;
    ensure_unrestricted(actor).map(|actor| (actor, state))
}

pub async fn context_allowing_pending_password() -> Result<(Actor, AppState), AppError> {
    let state = state()?;
    if let Some(caller) = leptos::prelude::use_context::<ApiCaller>() {
        return Ok((caller.actor, state));
    }
    let mut session = auth_session().await?;
    let actor = actor_from_session(&state, &mut session, client_ip().await, activity().await).await?;
    Ok((actor, state))
}

pub use crate::model::BACKGROUND_HEADER;

/// Whether a request is the user's doing (it counts toward the idle timeout) or the page's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activity {
    User,
    Background,
}

async fn activity() -> Activity {
    match leptos_axum::extract::<axum::http::HeaderMap>().await {
        Ok(headers) if headers.contains_key(BACKGROUND_HEADER) => Activity::Background,
        _ => Activity::User,
    }
}

/// The actor behind a session, for plain axum handlers (downloads, uploads) as well as server functions.
/// Refuses a temporary-password session only via `context`/`require_actor`.
pub async fn actor_from_session(
    state: &AppState,
    session: &mut AuthSession,
    ip: Option<String>,
    activity: Activity,
) -> Result<Actor, AppError> {
    let Some(user) = session.user.clone() else {
        return Err(AppError::Unauthorized);
    };
    // The absolute lifetime: a session ends 12 h after sign-in however active it is.
    let signed_in_at = crate::backend::platform::auth::signed_in_at(session).await?;
    let limit = state.settings.session_absolute.as_secs() as i64;
    if signed_in_at.is_none_or(|t| chrono::Utc::now().timestamp() - t > limit) {
        let _ = session.logout().await;
        return Err(AppError::Unauthorized);
    }
    // The idle timeout counts from the last request, but the store only learns of activity when the session
    // is saved: note activity at most every quarter of the idle time (and at least every minute), so an
    // active user stays signed in without a database write on every request.
    let now = chrono::Utc::now().timestamp();
    let seen: Option<i64> = session.session.get(LAST_SEEN).await.ok().flatten();
    let touch_every = (state.settings.session_idle.as_secs() as i64 / 4).clamp(1, 60);
    if activity == Activity::User && seen.is_none_or(|t| now - t >= touch_every) {
        let _ = session.session.insert(LAST_SEEN, now).await;
    }
    let unread = user.row.unread_notifications;
    let mut user_view = user.row.session_user();
    user_view.must_enrol_second_factor = user.row.must_enrol(state.settings.require_second_factor);
    let user = user_view;
    let who = Who::of(&user, ip);
    Ok(Actor { user, who, unread })
}

/// A call to `/api/v1` with a live token: its owner as the actor (the audit trail also names the token),
/// and what the token may do. The API layer provides it as context to the server functions it calls, which
/// then take it instead of a session (`context`): the same functions, policy checks and audit events as
/// the pages. Nothing else provides it, so a token never works on a page.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub actor: Actor,
    pub token: crate::backend::platform::tokens::TokenRow,
}

impl ApiCaller {
    /// Forbidden unless the token carries `scope`.
    pub fn ensure_scope(&self, scope: crate::model::TokenScope) -> Result<(), AppError> {
        if self.token.has(scope) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The caller behind a presented token secret: Unauthorized when the token is malformed, unknown, revoked
/// or expired, or its owner's account is disabled; Forbidden while the owner must replace a temporary
/// password or set up a second factor, or holds a role that has no API (`Action::UseApi`).
pub async fn caller_from_token(state: &AppState, secret: &str, ip: Option<String>) -> Result<ApiCaller, AppError> {
    use crate::backend::platform::{tokens, users};
    let now = chrono::Utc::now();
    let mut conn = state.db.pool.acquire().await?;
    let token = tokens::find_live(&mut conn, secret, now).await?.ok_or(AppError::Unauthorized)?;
    // A disabled owner, or one whose password, second factor, role or agency changed since: refused.
    let row = users::by_id(&mut conn, token.user_id).await?.filter(|u| u.is_active() && token.bound_to(u)).ok_or(AppError::Unauthorized)?;
    drop(conn);
    let mut user = row.session_user();
    user.must_enrol_second_factor = row.must_enrol(state.settings.require_second_factor);
    crate::backend::exchange::policy::ensure(&user, crate::model::permissions::Action::UseApi)?;
    let who = Who { api_token: Some(token.id), ..Who::of(&user, ip) };
    let actor = ensure_unrestricted(Actor { user, who, unread: row.unread_notifications })?;
    if tokens::due_for_touch(&token, now) {
        let mut tx = state.db.begin_write().await?;
        tokens::touch(&mut tx, token.id, now).await?;
        tx.commit_untracked().await?;
    }
    Ok(ApiCaller { actor, token })
}

/// For handlers outside server functions: a fully signed-in actor (temporary password replaced, second
/// factor set up where required).
pub async fn require_actor(state: &AppState, session: &mut AuthSession, ip: Option<String>) -> Result<Actor, AppError> {
    ensure_unrestricted(actor_from_session(state, session, ip, Activity::User).await?)
}

/// `require_actor` for what the page does by itself (the event stream): not counted as activity.
pub async fn require_actor_in_background(state: &AppState, session: &mut AuthSession, ip: Option<String>) -> Result<Actor, AppError> {
    ensure_unrestricted(actor_from_session(state, session, ip, Activity::Background).await?)
}

fn ensure_unrestricted(actor: Actor) -> Result<Actor, AppError> {
    if actor.user.restricted() {
        return Err(AppError::Forbidden);
    }
    Ok(actor)
}

/// What a long-lived answer (the event stream) checks every few seconds: the session it was opened in
/// still exists and has not expired (sign-out, idle or absolute timeout), and the account is still active
/// with the same password and second factor.
pub struct SessionWatch {
    id: String,
    user_id: i64,
    auth_hash: String,
    signed_in_at: i64,
}

impl SessionWatch {
    pub async fn of(session: &AuthSession) -> Option<Self> {
        let user = session.user.as_ref()?;
        let signed_in_at = crate::backend::platform::auth::signed_in_at(session).await.ok()??;
        Some(SessionWatch {
            id: session.session.id()?.to_string(),
            user_id: user.row.id,
            auth_hash: user.auth_hash().to_string(),
            signed_in_at,
        })
    }

    pub async fn still_valid(&self, state: &AppState) -> bool {
        let absolute = state.settings.session_absolute.as_secs() as i64;
        if chrono::Utc::now().timestamp() - self.signed_in_at > absolute {
            return false;
        }
        let live: Result<bool, sqlx::Error> =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sessions WHERE id = ? AND datetime(expiry_date) >= datetime('now'))")
                .bind(&self.id)
                .fetch_one(&state.db.pool)
                .await;
        if !live.unwrap_or(false) {
            return false;
        }
        let Ok(mut conn) = state.db.pool.acquire().await else { return false };
        match crate::backend::platform::users::by_id(&mut conn, self.user_id).await {
            Ok(Some(row)) if row.may_sign_in() => crate::backend::platform::auth::AuthedUser::new(row).auth_hash() == self.auth_hash,
            _ => false,
        }
    }
}

/// Gives the HTTP response the error's status code (a 403 page is a 403, not a 200 with a message), and a
/// refusal for going too fast its `Retry-After`.
pub fn reply<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            opts.set_status(axum::http::StatusCode::from_u16(e.status_code()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR));
            if let AppError::SlowDown(seconds) = e {
                opts.insert_header(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(*seconds));
            }
        }
    }
    result
}

/// Counts one call against an API token's allowance (`LD_API_CALLS_PER_MINUTE`): past it, `SlowDown` with
/// the seconds to wait.
pub fn ensure_within_api_limit(state: &AppState, token_id: i64) -> Result<(), AppError> {
    use governor::clock::{Clock, DefaultClock};
    state.api_calls.check_key(&token_id).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        AppError::SlowDown(wait.as_secs().max(1))
    })
}

/// Counts one expensive read (search, cross-check, an export) against the user's allowance
/// (`LD_EXPENSIVE_READS_PER_MINUTE`): past it, `SlowDown` with the seconds to wait.
pub fn ensure_within_read_limit(state: &AppState, user_id: i64) -> Result<(), AppError> {
    use governor::clock::{Clock, DefaultClock};
    state.expensive_reads.check_key(&user_id).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        AppError::SlowDown(wait.as_secs().max(1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100,000 addresses each try once; once their allowance is back they are forgotten, and an address
    /// still held back is kept.
    #[test]
    fn the_limiter_forgets_idle_addresses() {
        let limiter: DefaultKeyedRateLimiter<IpAddr> = RateLimiter::keyed(Quota::per_second(NonZeroU32::new(1000).unwrap()));
        for i in 0..100_000u32 {
            let _ = limiter.check_key(&IpAddr::from(i.to_be_bytes()));
        }
        assert_eq!(limiter.len(), 100_000);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let busy = IpAddr::from([192, 0, 2, 1]);
        while limiter.check_key(&busy).is_ok() {}
        forget_idle_addresses(&limiter);
        assert_eq!(limiter.len(), 1, "only the address still held back is kept");
    }
}
