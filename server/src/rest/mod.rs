//! `/api/v1`: the REST API for other systems and scripts, with tokens (`backend::platform::tokens`).
//!
//! Each operation calls the very server function its page calls, with the token's owner as the actor
//! (`state::ApiCaller` provided as context): the same parsing, policy checks, audit events and
//! notifications, and no second set of rules. What this layer adds is only what an API needs on top:
//! bearer tokens and their scopes, a per-token rate limit, problem+json refusals, cursors, `If-Match` and
//! `Idempotency-Key`, and its OpenAPI description (`docs`). A token never works on a page and a session
//! cookie never works here: each side reads only its own credential.

mod attachments;
mod docs;
mod idempotency;
pub mod problem;
mod routes;
mod taxii;

use app::backend::state::{self, ApiCaller};
use app::backend::AppState;
use app::error::AppError;
use app::model::TokenScope;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use idempotency::Claim;
use leptos::prelude::provide_context;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;
use problem::Problem;
use serde::Serialize;
use std::future::Future;

/// The API, to be nested at `/api/v1`.
/// The largest bodies taken: any operation's, and a file's (`POST /cases/{id}/attachments`, streamed).
#[derive(Clone, Copy)]
pub struct BodyLimits {
    pub any: usize,
    pub file: usize,
}

pub fn router(state: &AppState, limits: BodyLimits) -> Router<AppState> {
    use tower_http::limit::RequestBodyLimitLayer;
    let files = attachments::router().layer(axum::extract::DefaultBodyLimit::disable()).layer(RequestBodyLimitLayer::new(limits.file));
    let authenticated = routes::router()
        .layer(RequestBodyLimitLayer::new(limits.any))
        .merge(files)
        .layer(axum::middleware::from_fn_with_state(state.clone(), authenticate));
    Router::new()
        .merge(docs::router().layer(RequestBodyLimitLayer::new(limits.any)))
        .merge(authenticated)
        .fallback(|| async {
            Problem::new("not-found", axum::http::StatusCode::NOT_FOUND, app::tr!(app::i18n::reader(), "problem-detail-no-operation"))
        })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                "method-not-allowed",
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                app::tr!(app::i18n::reader(), "problem-detail-other-method"),
            )
        })
}

/// `/taxii2/`: the TAXII 2.1 server, with the same tokens.
pub fn taxii_router(state: &AppState) -> Router<AppState> {
    taxii::router()
        .layer(axum::middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(axum::middleware::from_fn(taxii::as_taxii_errors))
}

/// The token a request carries: `Authorization: Bearer <token>`, or HTTP Basic with the token as the password
/// (what TAXII clients send; the user name is ignored).
fn presented_token(headers: &axum::http::HeaderMap) -> Option<String> {
    use base64::Engine;
    let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(rest.trim().to_string());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD.decode(rest.trim()).ok()?;
        let (_, password) = std::str::from_utf8(&decoded).ok()?.split_once(':')?;
        return Some(password.to_string());
    }
    None
}

/// Reads the bearer token, checks it and its owner, counts the call against the token's allowance, and
/// hands the caller to the handlers. A refused token counts, per client address, against the sign-in
/// allowance (guessing a token is guessing a credential), and is audited at most once a minute per address.
async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let locale = app::i18n::locale_of(req.headers());
    let addr = req.extensions().get::<app::backend::platform::client_addr::ClientAddr>().map(|c| c.0);
    let ip = addr.map(|a| a.to_string());
    let Some(secret) = presented_token(req.headers()) else {
        return Problem::from_app(&AppError::Unauthorized, locale).into_response();
    };
    let caller = match state::caller_from_token(&state, &secret, ip.clone()).await {
        Ok(caller) => caller,
        Err(AppError::Unauthorized) => return refused_token(&state, addr, ip, locale).await,
        Err(e) => return Problem::from_app(&e, locale).into_response(),
    };
    if let Err(e) = state::ensure_within_api_limit(&state, caller.token.id) {
        return Problem::from_app(&e, locale).into_response();
    }
    req.extensions_mut().insert(caller);
    next.run(req).await
}

async fn refused_token(state: &AppState, addr: Option<std::net::IpAddr>, ip: Option<String>, locale: app::i18n::Locale) -> Response {
    use app::backend::platform::audit::{self, Event, Who};
    use app::backend::platform::client_addr::limiter_key;
    let Some(key) = addr.map(limiter_key) else {
        return Problem::from_app(&AppError::Unauthorized, locale).into_response();
    };
    let over = state.signin_limiter.check_key(&key).is_err();
    if state.throttled_audit.check_key(&key).is_ok() {
        let who = Who { client_ip: ip, ..Who::default() };
        if let Err(e) = audit::record_refusal(&state.db, &who, Event::new("api.token_refused")).await {
            return Problem::from_app(&e, locale).into_response();
        }
    }
    let refusal = if over { AppError::TooManyRequests } else { AppError::Unauthorized };
    Problem::from_app(&refusal, locale).into_response()
}

/// Runs a server function as the token's owner: the context a page's call would have (the app state, the
/// request's parts for the client address and language), with the caller in place of a session.
async fn as_caller<T, Fut>(state: &AppState, parts: &Parts, caller: &ApiCaller, f: impl FnOnce() -> Fut) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    let (state, parts, caller) = (state.clone(), parts.clone(), caller.clone());
    let owner = Owner::new();
    owner
        .with(|| {
            ScopedFuture::new(async move {
                provide_context(state);
                provide_context(parts);
                provide_context(leptos_axum::ResponseOptions::default());
                provide_context(caller);
                f().await
            })
        })
        .await
}

type Answer = Result<Response, Problem>;

/// One call to an operation: the app, the token's caller (put there by `authenticate`) and the request's
/// parts. Its methods are what every operation does: check a scope, run the page's server function as the
/// caller, refuse in the caller's language.
pub(crate) struct Call {
    state: AppState,
    caller: ApiCaller,
    parts: Parts,
}

impl FromRequestParts<AppState> for Call {
    type Rejection = Problem;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let locale = app::i18n::locale_of(&parts.headers);
        let caller = parts.extensions.get::<ApiCaller>().cloned().ok_or_else(|| Problem::from_app(&AppError::Unauthorized, locale))?;
        Ok(Call { state: state.clone(), caller, parts: parts.clone() })
    }
}

impl Call {
    /// The refusal, in the caller's language (Accept-Language; English by default).
    fn fail(&self, e: AppError) -> Problem {
        Problem::from_app(&e, app::i18n::locale_of(&self.parts.headers))
    }

    /// Forbidden unless the token carries `scope`; a refusal is audited with what was asked, as a refused
    /// page is.
    async fn need(&self, scope: TokenScope) -> Result<(), Problem> {
        use app::backend::platform::audit::{self, Event};
        let Err(e) = self.caller.ensure_scope(scope) else { return Ok(()) };
        // The path as the client sent it (inside the API's router it is seen without `/api/v1`).
        let path = self.parts.extensions.get::<axum::extract::OriginalUri>().map_or(self.parts.uri.path(), |u| u.0.path());
        let event = Event::new("api.scope_refused")
            .details(serde_json::json!({"scope": scope.as_str(), "method": self.parts.method.as_str(), "path": path}));
        audit::record_refusal(&self.state.db, &self.caller.actor.who, event).await.map_err(|e| self.fail(e))?;
        Err(self.fail(e))
    }

    /// The query string as `T`; a malformed one is a 400 problem.
    fn query<T: serde::de::DeserializeOwned>(&self) -> Result<T, Problem> {
        axum::extract::Query::<T>::try_from_uri(&self.parts.uri).map(|q| q.0).map_err(|e| Problem::bad_request(e.body_text()))
    }

    /// Runs a server function as the caller.
    async fn run<T, Fut>(&self, f: impl FnOnce() -> Fut) -> Result<T, Problem>
    where
        Fut: Future<Output = Result<T, AppError>>,
    {
        as_caller(&self.state, &self.parts, &self.caller, f).await.map_err(|e| self.fail(e))
    }

    /// A change that answers nothing: 204.
    async fn act<Fut>(&self, f: impl FnOnce() -> Fut) -> Answer
    where
        Fut: Future<Output = Result<(), AppError>>,
    {
        self.run(f).await?;
        Ok(StatusCode::NO_CONTENT.into_response())
    }

    /// A create, made at most once per `Idempotency-Key`: 201 with what it made.
    ///
    /// The create and the keeping of its answer run as a task of their own: a client that goes away
    /// mid-call (a timeout) must not leave its key taken with no answer kept, or its retry could never learn
    /// the result.
    async fn create_once<T, Fut>(&self, raw: &Bytes, make: impl FnOnce() -> Fut + Send + 'static) -> Answer
    where
        T: Serialize + Send + 'static,
        Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        let what = format!("{} {}", self.parts.method, self.parts.uri.path());
        let created = |text: String| {
            let mut res = (StatusCode::CREATED, text).into_response();
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            res
        };
        match idempotency::claim(&self.state.db, self.caller.token.id, &self.parts.headers, &what, raw).await? {
            Claim::Replay(status, body) => {
                let mut res = created(body);
                *res.status_mut() = status;
                res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
                Ok(res)
            }
            Claim::None => Ok(created(serde_json::to_string(&self.run(make).await?).unwrap_or_default())),
            Claim::Fresh(taken) => {
                let (state, parts, caller) = (self.state.clone(), self.parts.clone(), self.caller.clone());
                let task = tokio::spawn(async move {
                    let made = as_caller(&state, &parts, &caller, make).await.map(|made| serde_json::to_string(&made).unwrap_or_default());
                    idempotency::finish(&state.db, taken, made.as_ref().ok().map(|text| (StatusCode::CREATED, text.as_str()))).await;
                    made
                });
                let text = task.await.map_err(|_| AppError::Internal).and_then(|r| r).map_err(|e| self.fail(e))?;
                Ok(created(text))
            }
        }
    }
}
