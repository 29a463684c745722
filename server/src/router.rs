//! The axum application: Leptos pages and server functions, sessions and sign-in state, security layers.

use crate::config::ServeArgs;
use crate::sessions::Sessions;
use crate::{files, security};
use app::backend::platform::auth::AuthBackend;
use app::backend::platform::db::Db;
use app::backend::AppState;
use app::{shell, App};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use axum_login::AuthManagerLayerBuilder;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::{time::Duration, SameSite};
use tower_sessions::{Expiry, SessionManagerLayer};

pub const SESSION_COOKIE: &str = "ld_session";
/// With HTTPS the cookie is bound to this exact host and path (`__Host-` needs Secure and Path=/).
pub const SECURE_SESSION_COOKIE: &str = "__Host-ld_session";

/// For tests and tools that never shut down gracefully: a shutdown signal that never fires.
pub fn no_shutdown() -> tokio::sync::watch::Receiver<bool> {
    let (tx, rx) = tokio::sync::watch::channel(false);
    std::mem::forget(tx);
    rx
}

pub async fn build(
    leptos_options: LeptosOptions,
    db: Db,
    args: &ServeArgs,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> Result<Router, sqlx::Error> {
    Ok(build_parts(leptos_options, db, args, shutdown).await?.0)
}

/// The router, the notification hub it announces on, its session store and its dashboards (the reminder
/// task needs the same hub, the expired-session clean-up the same store, the start-up warm-up the same
/// dashboards).
pub async fn build_parts(
    leptos_options: LeptosOptions,
    db: Db,
    args: &ServeArgs,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> Result<(Router, app::backend::oversight::notifications::Hub, Sessions, app::backend::oversight::dashboard::Snapshots), sqlx::Error> {
    let settings = args.settings(leptos_options.site_addr).map_err(|e| sqlx::Error::Configuration(e.into()))?;
    let secure = settings.secure_cookies;
    let store = Sessions::new(&db).await?;
    let sessions = SessionManagerLayer::new(store.clone())
        .with_name(if secure { SECURE_SESSION_COOKIE } else { SESSION_COOKIE })
        .with_secure(secure)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(Duration::seconds(settings.session_idle.as_secs() as i64)));
    let auth = AuthManagerLayerBuilder::new(AuthBackend { db: db.clone() }, sessions).build();

    crate::metrics::recorder();
    let state = AppState::new(leptos_options.clone(), db, settings, shutdown);
    state.spawn_forgetting_idle_addresses(std::time::Duration::from_secs(60));
    let swept =
        app::backend::exchange::attachments::sweep_unfinished(&state.settings.attachment_dir, std::time::Duration::from_secs(3600)).await;
    if swept > 0 {
        tracing::warn!(files = swept, "removed files of uploads cut off by an earlier stop");
    }
    let routes = generate_route_list(App);
    let upload_limit = state.settings.attachment_max_bytes as usize + 1024 * 1024;
    let pages = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(crate::metrics::readyz))
        .route("/language", post(crate::language::choose))
        .route(
            "/metrics",
            get(crate::metrics::serve)
                .layer(axum::Extension(crate::metrics::MetricsToken(std::sync::Arc::new(args.metrics_token.clone())))),
        )
        .leptos_routes_with_context(&state, routes, || {}, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .route_layer(axum::middleware::from_fn(crate::metrics::track))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(security::server_fn_status))
        .layer(RequestBodyLimitLayer::new(args.max_body_bytes));
    let files = Router::new()
        .route("/attachments", post(files::upload))
        .route("/attachments/{id}", get(files::download))
        .route("/cases/{id}/indicators.stix.json", get(files::stix_export))
        .route("/cases/{id}/report.pdf", get(files::case_report))
        .route("/events", get(crate::events::stream))
        .route("/export/cases.csv", get(files::cases_csv))
        .route("/export/requests.csv", get(files::requests_csv))
        .route_layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(upload_limit));
    // Each part of the API sets its own body limits: a file may be as large as on the pages.
    let limits = crate::rest::BodyLimits { any: args.max_body_bytes, file: upload_limit };
    let api = Router::new()
        .nest("/api/v1", crate::rest::router(&state, limits))
        .merge(crate::rest::taxii_router(&state).layer(RequestBodyLimitLayer::new(args.max_body_bytes)))
        .route_layer(axum::middleware::from_fn(crate::metrics::track));
    let (hub, dashboards) = (state.hub.clone(), state.dashboards.clone());
    let router = pages
        .merge(files)
        .merge(api)
        .layer(auth)
        .layer(axum::middleware::from_fn(crate::language::with_reader))
        .layer(axum::middleware::from_fn(security::refuse_cross_origin))
        .layer(axum::middleware::from_fn({
            let trusted = std::sync::Arc::new(state.settings.trusted_proxies.clone());
            move |req, next| security::client_addr(trusted.clone(), req, next)
        }))
        .layer(axum::middleware::from_fn(move |req, next| security::security_headers(secure, req, next)))
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    Ok((router, hub, store, dashboards))
}

/// Liveness and database reachability, for monitoring.
async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}
