//! `/metrics` in Prometheus text format (the `metrics` facade and `metrics-exporter-prometheus`'s recorder,
//! no listener of its own), and `/readyz`. What is counted where it happens: requests and their latency
//! per route (`track`), sign-in failures and lockouts (`sign_in`), group-commit sizes (`db`). What is read
//! when scraped: the writer and audit queues, live sessions, overdue requests per country.
//!
//! Reachable from the machine itself (the client address after `LD_TRUSTED_PROXIES`: a request relayed
//! by the proxy is the outside client's, not loopback), or with `Authorization: Bearer LD_METRICS_TOKEN`.

use app::backend::platform::client_addr::ClientAddr;
use app::backend::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

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
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "route" => route.clone(), "method" => method, "status" => status).increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route).record(started.elapsed().as_secs_f64());
    response
}

/// Whether the caller may read the metrics: from this machine, or with the token.
fn allowed(client: Option<&ClientAddr>, headers: &HeaderMap, token: Option<&str>) -> bool {
    if client.is_some_and(|ClientAddr(addr)| addr.is_loopback()) {
        return true;
    }
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    // Compared as digests: equal-length values, so the comparison's time says nothing about the token.
    match (token.filter(|t| !t.is_empty()), given) {
        (Some(token), Some(given)) => Sha256::digest(token.as_bytes()) == Sha256::digest(given.as_bytes()),
        _ => false,
    }
}

pub async fn serve(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddr>>,
    Extension(token): Extension<MetricsToken>,
    headers: HeaderMap,
) -> Response {
    if !allowed(client.as_ref().map(|Extension(c)| c), &headers, token.0.as_deref()) {
        return (StatusCode::FORBIDDEN, "Metrics are readable from this machine, or with the metrics token.").into_response();
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

/// Ready to serve: the database takes a write (the writer's turn and SQLite's write lock) and its schema
/// is the one this binary knows (migrations done). Apart from `/healthz`, which says the process is alive.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    let writable = match state.db.begin_write().await {
        Ok(tx) => {
            drop(tx);
            true
        }
        Err(e) => {
            tracing::warn!(error = %e, "readyz: the database does not take a write");
            false
        }
    };
    if !writable {
        return (StatusCode::SERVICE_UNAVAILABLE, "not ready: the database does not take writes".into());
    }
    let schema: Result<i64, sqlx::Error> =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = 1").fetch_one(&state.db.pool).await;
    match schema {
        Ok(v) if v == crate::archive::known_schema() => (StatusCode::OK, "ready".into()),
        Ok(v) => {
            (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: schema {v}, this binary expects {}", crate::archive::known_schema()))
        }
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_or_the_token_and_nothing_else() {
        let local = ClientAddr("127.0.0.1".parse().unwrap());
        let outside = ClientAddr("203.0.113.9".parse().unwrap());
        let mut with = HeaderMap::new();
        with.insert(header::AUTHORIZATION, "Bearer s3cret-token".parse().unwrap());
        let mut wrong = HeaderMap::new();
        wrong.insert(header::AUTHORIZATION, "Bearer s3cret-toke".parse().unwrap());
        assert!(allowed(Some(&local), &HeaderMap::new(), None));
        assert!(!allowed(Some(&outside), &HeaderMap::new(), Some("s3cret-token")));
        assert!(allowed(Some(&outside), &with, Some("s3cret-token")));
        assert!(!allowed(Some(&outside), &wrong, Some("s3cret-token")));
        assert!(!allowed(Some(&outside), &with, None), "no token configured: no token works");
        assert!(!allowed(None, &with, Some("")), "an empty token is no token");
    }
}
