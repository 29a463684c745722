//! Response headers every answer carries, and the refusal of state-changing requests from other origins.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Browsers tell us where a request comes from (Sec-Fetch-Site, Origin). A POST, PUT, PATCH or DELETE
/// from another site is refused: the SameSite=Strict cookie is the first line, this is the second.
pub async fn refuse_cross_origin(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_origin(&req) {
        tracing::warn!(method = %req.method(), uri = %req.uri(), "cross-origin state-changing request refused");
        return (StatusCode::FORBIDDEN, "Cross-origin request refused.").into_response();
    }
    next.run(req).await
}

fn is_cross_origin(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()), headers.get(header::HOST).and_then(|v| v.to_str().ok())) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, h)| h) != Some(host),
        (Some(_), None) => true,
        // No browser provenance headers: not a browser (CLI, monitoring), so no ambient cookie to abuse.
        (None, _) => false,
    }
}

/// Decides the client's address once per request (`platform::client_addr`), for the rate limits and the
/// audit trail alike.
pub async fn client_addr(trusted: std::sync::Arc<Vec<ipnet::IpNet>>, mut req: Request, next: Next) -> Response {
    use app::backend::platform::client_addr::{resolve, ClientAddr};
    let peer = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    if let Some(peer) = peer {
        // Every X-Forwarded-For line, in order (a proxy may add its own line rather than extend the last).
        let lines: Vec<String> =
            req.headers().get_all("x-forwarded-for").iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).collect();
        let forwarded = (!lines.is_empty()).then(|| lines.join(","));
        let addr = resolve(peer.to_canonical(), forwarded.as_deref(), &trusted);
        req.extensions_mut().insert(ClientAddr(addr));
    }
    next.run(req).await
}

const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

pub async fn security_headers(secure: bool, req: Request<Body>, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DEFAULT_CSP));
    }
    if !is_static {
        // Pages and API answers may hold case data: never stored, so the back button after sign-out
        // cannot show them.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if secure {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    res
}

/// A server function refused before its body ran (its arguments could not be read: a missing field, a word
/// where a number belongs, a JSON body) answers with the status of its error, as every other refusal does:
/// leptos gives such errors 500, which reads as a fault of the server. A real fault stays 500.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let server_fn = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !server_fn || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // An error answer is a short JSON object; anything longer is not one of ours.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status_code()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, Body::from(bytes))
}
