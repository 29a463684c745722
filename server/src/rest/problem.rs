//! Refusals as RFC 9457 problem details (`application/problem+json`): a stable `type` per kind of error,
//! the reader's message as `detail`, and one entry per bad field. The `type` addresses point into the API's
//! reference page, where each is explained.

use app::error::AppError;
use app::i18n::Locale;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// A refusal: what went wrong, for a program (`type`, `status`) and for a person (`title`, `detail`).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Stable per kind of error, e.g. `/api/v1/docs#problem-not-found`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// One message per bad field (422), keyed by the field's name in the request body.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// Seconds to wait before trying again (429).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// Every kind of problem the API answers, with its `type` slug and title: the reference page lists them.
pub const KINDS: &[(&str, &str, &str)] = &[
    ("unauthorized", "Token missing, unknown, revoked or expired", "Send `Authorization: Bearer <token>` with a live token."),
    ("forbidden", "Not allowed", "The token lacks the scope for this operation, or its owner's role may not do it."),
    ("not-found", "Not found", "No such object, or it is not shared with the token owner's agency (the two are not told apart)."),
    ("validation", "Invalid fields", "`errors` names each bad field with a message; nothing was changed."),
    ("bad-request", "Unreadable request", "The body is not JSON of the documented shape, or a parameter is malformed."),
    (
        "conflict",
        "Refused by a rule",
        "The object's state does not allow this (already answered, changed by someone else since the version you sent, …).",
    ),
    (
        "consent-needed",
        "Consent needed",
        "The information carries H2 (not to be passed on without its provider's permission): ask the provider for consent first.",
    ),
    ("precondition-required", "If-Match required", "Updates need `If-Match` with the version (the `ETag`) you read."),
    ("idempotency-key-reused", "Idempotency-Key reused", "This key was used with a different request; use a new key for a new request."),
    ("idempotency-key-in-use", "Same request in progress", "A request with this Idempotency-Key is still being processed; retry shortly."),
    ("method-not-allowed", "Method not allowed", "The path exists with another method."),
    ("too-many-requests", "Too many calls", "Wait `retry_after` seconds (also in `Retry-After`)."),
    ("too-large", "Too large", "A field or the body is over its limit."),
    ("no-space", "Storage full", "The server could not store the change; nothing was saved. Retry later."),
    ("internal", "Server error", "Logged on the server; retry later."),
];

/// A kind's title in the reader's language (the reference page lists the English ones, `KINDS`).
fn title(slug: &str, l: Locale) -> String {
    match slug {
        "unauthorized" => app::tr!(l, "problem-title-unauthorized"),
        "forbidden" => app::tr!(l, "problem-title-forbidden"),
        "not-found" => app::tr!(l, "problem-title-not-found"),
        "validation" => app::tr!(l, "problem-title-validation"),
        "bad-request" => app::tr!(l, "problem-title-bad-request"),
        "conflict" => app::tr!(l, "problem-title-conflict"),
        "consent-needed" => app::tr!(l, "problem-title-consent-needed"),
        "precondition-required" => app::tr!(l, "problem-title-precondition-required"),
        "idempotency-key-reused" => app::tr!(l, "problem-title-idempotency-key-reused"),
        "idempotency-key-in-use" => app::tr!(l, "problem-title-idempotency-key-in-use"),
        "method-not-allowed" => app::tr!(l, "problem-title-method-not-allowed"),
        "too-many-requests" => app::tr!(l, "problem-title-too-many-requests"),
        "too-large" => app::tr!(l, "problem-title-too-large"),
        "no-space" => app::tr!(l, "problem-title-no-space"),
        _ => app::tr!(l, "problem-title-internal"),
    }
}

impl Problem {
    /// A problem of kind `slug`, titled in the reader's language (`detail` already is).
    pub fn new(slug: &str, status: StatusCode, detail: impl Into<String>) -> Self {
        Problem {
            kind: format!("/api/v1/docs#problem-{slug}"),
            title: title(slug, app::i18n::reader()),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Problem::new("bad-request", StatusCode::BAD_REQUEST, detail)
    }

    /// The API's reading of the product's one error type (messages in the caller's Accept-Language).
    pub fn from_app(error: &AppError, locale: Locale) -> Self {
        let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let slug = match error {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not-found",
            AppError::Validation(_) => "validation",
            AppError::Conflict(_) => "conflict",
            AppError::TooManyRequests | AppError::SlowDown(_) => "too-many-requests",
            AppError::TooLarge(_) => "too-large",
            AppError::NoSpace => "no-space",
            AppError::ConsentNeeded => "consent-needed",
            AppError::Internal | AppError::Transport(_) => "internal",
        };
        let detail = match error {
            // The pages' "Please sign in." means nothing to a program.
            AppError::Unauthorized => app::tr!(locale, "problem-detail-unauthorized"),
            AppError::SlowDown(s) => app::tr!(locale, "problem-detail-slow-down", seconds = *s as i64),
            other => other.message_in(locale),
        };
        let mut p = Problem::new(slug, status, detail);
        p.errors = error.field_errors().iter().map(|e| FieldProblem { field: e.field.clone(), message: e.message.clone() }).collect();
        if let AppError::SlowDown(s) = error {
            p.retry_after = Some(*s);
        }
        p
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"liaison-desk\""));
        }
        if let Some(s) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        res
    }
}
