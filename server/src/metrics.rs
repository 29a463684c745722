//! `/metrics` in Prometheus text format (the `metrics` facade and `metrics-exporter-prometheus`'s recorder,
//! no listener of its own), and `/readyz`. What is counted where it happens: requests and their latency
//! per route (`track`), sign-in failures and lockouts (`sign_in`), group-commit sizes (`db`). What is read
//! when scraped: the writer and audit queues, live sessions, overdue requests per country.
//!
//! Without a token only a direct connection from this machine reads it: a loopback peer with no forwarding
//! header, and only while the server is not behind a TLS proxy (`LD_SECURE_COOKIES` off) — a proxy on the
//! same machine would otherwise relay the whole world as loopback. Otherwise `Authorization: Bearer
//! LD_METRICS_TOKEN`.

use app::backend::state::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

static RECORDER: OnceLock<PrometheusHandle> = OnceLock::new();

/// Latency buckets, in seconds: pages answer in milliseconds, searches and sign-ins in up to seconds.
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The process's recorder, installed on first use (one per process: servers started by tests share it).
pub fn recorder() -> PrometheusHandle {
    RECORDER
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("http_request_duration_seconds".into()), BUCKETS)
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full("db_group_commit_size".into()), &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0])
                })
                .and_then(|b| b.install_recorder())
                .expect("the metrics recorder is installed once")
        })
        .clone()
}

/// Counts each request and its latency under its route's pattern (`/cases/{id}`, never the id: bounded
/// labels). Only matched routes: unmatched paths are counted as `unmatched`.
pub async fn track(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    // The standard methods only: any other word a client sends would otherwise become a series of its own.
    let method = match req.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "OTHER",
    };
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "route" => route.clone(), "method" => method, "status" => status).increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route).record(started.elapsed().as_secs_f64());
    response
}

/// Whether the caller may read the metrics: a direct connection from this machine when not behind a proxy,
/// or the token.
fn allowed(peer: Option<SocketAddr>, headers: &HeaderMap, token: Option<&str>, behind_proxy: bool) -> bool {
    let forwarded = ["x-forwarded-for", "forwarded", "x-real-ip"].iter().any(|h| headers.contains_key(*h));
    if !behind_proxy && !forwarded && peer.is_some_and(|p| p.ip().to_canonical().is_loopback()) {
        return true;
    }
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    // Compared as digests: equal-length values, so the comparison's time says nothing about the token.
    match (token.filter(|t| !t.is_empty()), given) {
        (Some(token), Some(given)) => Sha256::digest(token.as_bytes()) == Sha256::digest(given.as_bytes()),
        _ => false,
    }
}

pub async fn serve(State(state): State<AppState>, Extension(token): Extension<MetricsToken>, req: Request) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(p)| *p);
    if !allowed(peer, req.headers(), token.0.as_deref(), state.settings.secure_cookies) {
        return (StatusCode::FORBIDDEN, "Metrics are readable with the metrics token (or directly from this machine).").into_response();
    }
    if let Err(e) = read_gauges(&state).await {
        tracing::warn!(error = %e, "metrics: a gauge could not be read");
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], recorder().render()).into_response()
}

/// `LD_METRICS_TOKEN`, for the handler.
#[derive(Clone)]
pub struct MetricsToken(pub Arc<Option<String>>);

impl std::ops::Deref for MetricsToken {
    type Target = Option<String>;
    fn deref(&self) -> &Option<String> {
        &self.0
    }
}

async fn read_gauges(state: &AppState) -> Result<(), sqlx::Error> {
    metrics::gauge!("db_writer_queue_length").set(state.db.queued() as f64);
    metrics::gauge!("audit_queue_length").set(app::backend::platform::audit::queued(&state.db) as f64);
    metrics::gauge!("sessions_active").set(crate::sessions::live(&state.db).await? as f64);
    for (country, overdue) in app::backend::exchange::deadlines::overdue_by_country(&state.db.pool, chrono::Utc::now()).await? {
        metrics::gauge!("requests_overdue", "country" => country.as_str()).set(overdue as f64);
    }
    Ok(())
}

/// The last readiness answer and when it was found: probes (and anyone else) get it for `READY_FOR`, and
/// only one check runs at a time, so calling `/readyz` in a loop does not queue with the real writes.
static READY: tokio::sync::Mutex<Option<(Instant, bool)>> = tokio::sync::Mutex::const_new(None);
const READY_FOR: Duration = Duration::from_secs(2);

/// Ready to serve: the database takes a write (the writer's turn and SQLite's write lock) and its schema
/// is the one this binary knows (migrations done). Apart from `/healthz`, which says the process is alive.
/// The reason for "not ready" goes to the log, not to the caller.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let mut last = READY.lock().await;
    let ready = match *last {
        Some((at, ready)) if at.elapsed() < READY_FOR => ready,
        _ => {
            let ready = check_ready(&state).await;
            *last = Some((Instant::now(), ready));
            ready
        }
    };
    if ready {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready")
    }
}

async fn check_ready(state: &AppState) -> bool {
    match tokio::time::timeout(Duration::from_secs(5), state.db.begin_write()).await {
        Ok(Ok(tx)) => drop(tx),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readyz: the database does not take a write");
            return false;
        }
        Err(_) => {
            tracing::warn!("readyz: no turn to write within 5 s");
            return false;
        }
    }
    let schema: Result<i64, sqlx::Error> =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = 1").fetch_one(&state.db.pool).await;
    match schema {
        Ok(v) if v == crate::archive::known_schema() => true,
        Ok(v) => {
            tracing::warn!(schema = v, expected = crate::archive::known_schema(), "readyz: the database's schema is not this binary's");
            false
        }
        Err(e) => {
            tracing::warn!(error = %e, "readyz: the schema could not be read");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_direct_local_connection_or_the_token_and_nothing_else() {
        let local: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:50000".parse().unwrap();
        let outside: SocketAddr = "203.0.113.9:50000".parse().unwrap();
        let none = HeaderMap::new();
        let mut with = HeaderMap::new();
        with.insert(header::AUTHORIZATION, "Bearer s3cret-token".parse().unwrap());
        let mut wrong = HeaderMap::new();
        wrong.insert(header::AUTHORIZATION, "Bearer s3cret-toke".parse().unwrap());
        let mut relayed = HeaderMap::new();
        relayed.insert("x-forwarded-for", "127.0.0.1".parse().unwrap());
        assert!(allowed(Some(local), &none, None, false));
        assert!(allowed(Some(mapped), &none, None, false));
        assert!(!allowed(Some(local), &relayed, None, false), "relayed by a proxy on this machine: not local");
        assert!(!allowed(Some(local), &none, None, true), "behind a TLS proxy: the token only");
        assert!(!allowed(Some(outside), &none, Some("s3cret-token"), false));
        assert!(allowed(Some(outside), &with, Some("s3cret-token"), true));
        assert!(!allowed(Some(outside), &wrong, Some("s3cret-token"), false));
        assert!(!allowed(Some(outside), &with, None, false), "no token configured: no token works");
        assert!(!allowed(None, &with, Some(""), false), "an empty token is no token");
    }
}
