//! The operations of `/api/v1`. Each handler reads its input, checks the token's scope, and calls the
//! server function the page calls (`as_caller`); nothing here decides who may do what to which object.

use super::problem::Problem;
use super::{Answer, Call};
use app::api;
use app::backend::AppState;
use app::model::{
    BulkLine, CaseFilter, CaseForm, CaseStatus, CaseSummary, CaseView, Category, ConsentAnswerForm, ConsentForm, ConsentPurpose,
    ConsentStatus, Direction, EntityForm, EntityView, InboxFilter, IndicatorForm, IndicatorView, NotificationView, PageLength, Priority,
    RequestForm, RequestSummary, RequestView, ResponseForm, ResponseView, SessionUser, TokenScope,
};
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/cases", get(list_cases).post(create_case))
        .route("/cases/{id}", get(get_case).put(update_case))
        .route("/cases/{id}/status", post(change_case_status))
        .route("/cases/{id}/indicators", get(list_indicators).post(add_indicator))
        .route("/cases/{id}/indicators/bulk", post(bulk_add_indicators))
        .route("/cases/{id}/entities", get(list_entities).post(add_entity))
        .route("/cases/{id}/requests", post(create_request))
        .route("/requests", get(list_requests))
        .route("/requests/{id}", get(get_request))
        .route("/requests/{id}/send", post(send_request))
        .route("/requests/{id}/acknowledge", post(acknowledge_request))
        .route("/requests/{id}/decline", post(decline_request))
        .route("/requests/{id}/withdraw", post(withdraw_request))
        .route("/requests/{id}/close", post(close_request))
        .route("/responses/{id}/consents", post(ask_consent))
        .route("/responses/{id}/pass-on", post(pass_on_response))
        .route("/consents/{id}/answer", post(answer_consent))
        .route("/requests/{id}/responses", get(list_responses).post(respond))
        .route("/notifications", get(list_notifications))
        .route("/notifications/{id}/read", post(mark_notification_read))
        .route("/notifications/read-all", post(mark_all_notifications_read))
}

/// The request body, read whole (within the body limit); too large or cut off is a problem, not plain text.
pub struct RawBody(Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for RawBody {
    type Rejection = Problem;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Problem> {
        Bytes::from_request(req, state).await.map(RawBody).map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::new("too-large", StatusCode::PAYLOAD_TOO_LARGE, app::tr!(app::i18n::reader(), "problem-detail-body-too-large"))
            } else {
                Problem::bad_request(e.body_text())
            }
        })
    }
}

fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, Problem> {
    serde_json::from_slice(bytes).map_err(|e| {
        // The parser's message may quote the input: a huge field must not come back whole.
        let msg: String = e.to_string().chars().take(300).collect();
        Problem::bad_request(app::tr!(app::i18n::reader(), "problem-detail-not-json", reason = msg))
    })
}

/// A path id; anything but a positive number is no object at all.
pub(super) fn id_of(raw: &str) -> Result<i64, Problem> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| Problem::new("not-found", StatusCode::NOT_FOUND, app::error::AppError::NotFound.message_in(app::i18n::reader())))
}

fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    (status, Json(value)).into_response()
}

/// A page's cursor: opaque to clients (today the page number).
fn page_of(cursor: &Option<String>) -> Result<u32, Problem> {
    match cursor.as_deref() {
        None | Some("") => Ok(0),
        Some(c) => c
            .parse::<u32>()
            .ok()
            .filter(|p| *p <= 100_000)
            .ok_or_else(|| Problem::bad_request(app::tr!(app::i18n::reader(), "problem-detail-bad-cursor"))),
    }
}

fn next_cursor(page: u32, has_more: bool) -> Option<String> {
    has_more.then(|| (page + 1).to_string())
}

/// The token's owner, as the API sees them.
#[utoipa::path(get, path = "/api/v1/me", tag = "identity", security(("token" = [])),
    responses((status = 200, body = SessionUser), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn me(call: Call) -> Json<SessionUser> {
    Json(call.caller.actor.user)
}

/// Filters of the case list (all optional).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CaseQuery {
    /// Words to look for in titles and summaries.
    q: String,
    /// `open`, `active`, `closed`, `archived`, or `current` (open or active); empty: any but archived.
    status: String,
    category: Option<Category>,
    priority: Option<Priority>,
    /// Only cases led by this user id.
    lead: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseList {
    items: Vec<CaseSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    next_cursor: Option<String>,
}

/// Cases the token's agency may see, most recently changed first, 50 a page (`API_PAGE_SIZE`).
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseQuery), security(("token" = [])),
    responses((status = 200, body = CaseList), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn list_cases(call: Call) -> Answer {
    call.need(TokenScope::Read).await?;
    let q: CaseQuery = call.query()?;
    let page = page_of(&q.cursor)?;
    if !q.q.trim().is_empty() {
        // Words to look for make this a search: counted against the owner's searches, as the page's are.
        app::backend::state::ensure_within_read_limit(&call.state, call.caller.actor.id()).map_err(|e| call.fail(e))?;
    }
    let filter = CaseFilter {
        q: q.q,
        status: q.status,
        category: q.category,
        priority: q.priority,
        lead: q.lead,
        ids: Vec::new(),
        page,
        length: PageLength::Api,
    };
    let found = call.run(|| api::cases::list_cases(filter)).await?;
    Ok(json(StatusCode::OK, &CaseList { items: found.cases, next_cursor: next_cursor(page, found.has_more) }))
}

/// What creating a case or a request answers: `Created` on the wire, described under two names so that a
/// client (and the description's links, `docs::LINKS`) knows whose id it holds.
#[derive(ToSchema)]
#[allow(dead_code)] // A description only: the handlers answer `Created`.
pub struct CaseCreated {
    /// The case's id.
    id: i64,
    reference: String,
}

#[derive(ToSchema)]
#[allow(dead_code)] // A description only: the handlers answer `Created`.
pub struct RequestCreated {
    /// The request's id.
    id: i64,
    reference: String,
}

/// Opens a case (the owner agency is the token's); 201 with its id and reference.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = CaseForm, security(("token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "A retried create with the same key answers the first result")),
    responses((status = 201, body = CaseCreated), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn create_case(call: Call, raw: Bytes) -> Answer {
    call.need(TokenScope::Write).await?;
    let form: CaseForm = body(&raw)?;
    call.create_once(&raw, move || api::cases::create_case(form)).await
}

/// A case with its requests, indicators, persons/companies/vessels and attachments. Reading it is audited
/// as opening its page is. The `ETag` is its version, for `If-Match` on an update.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = CaseView), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn get_case(call: Call, Path(id): Path<String>) -> Answer {
    call.need(TokenScope::Read).await?;
    let id = id_of(&id)?;
    let case = call.run(|| api::cases::get_case(id)).await?;
    let mut res = json(StatusCode::OK, &case);
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{}\"", case.version)) {
        res.headers_mut().insert(header::ETAG, tag);
    }
    Ok(res)
}

/// The version an `If-Match` names: `"7"`, `W/"7"` or `7`.
fn if_match(parts: &Parts) -> Result<i64, Problem> {
    let Some(v) = parts.headers.get(header::IF_MATCH) else {
        return Err(Problem::new(
            "precondition-required",
            StatusCode::PRECONDITION_REQUIRED,
            app::tr!(app::i18n::reader(), "problem-detail-if-match-needed"),
        ));
    };
    v.to_str()
        .ok()
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"').to_string())
        .and_then(|t| t.parse::<i64>().ok())
        .ok_or_else(|| Problem::bad_request(app::tr!(app::i18n::reader(), "problem-detail-if-match-bad")))
}

/// Replaces a case's fields. Needs `If-Match` with the version read: a case changed since answers 409.
#[utoipa::path(put, path = "/api/v1/cases/{id}", tag = "cases", request_body = CaseForm,
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "The case's ETag as read")), security(("token" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn update_case(call: Call, Path(id): Path<String>, RawBody(raw): RawBody) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    let version = if_match(&call.parts)?;
    let form: CaseForm = body(&raw)?;
    call.act(|| api::cases::update_case(id, version, form)).await
}

#[derive(Deserialize, ToSchema)]
pub struct StatusChange {
    status: CaseStatus,
}

/// Moves a case to another status (open → active → closed → archived, as the case page allows).
#[utoipa::path(post, path = "/api/v1/cases/{id}/status", tag = "cases", request_body = StatusChange, params(("id" = i64, Path)),
    security(("token" = [])), responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn change_case_status(call: Call, Path(id): Path<String>, RawBody(raw): RawBody) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    let change: StatusChange = body(&raw)?;
    call.act(|| api::cases::change_case_status(id, change.status.as_str().to_string())).await
}

/// The persons, companies and vessels named in the case (a read of the case, audited as such).
#[utoipa::path(get, path = "/api/v1/cases/{id}/entities", tag = "cases", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = Vec<EntityView>), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn list_entities(call: Call, Path(id): Path<String>) -> Answer {
    call.need(TokenScope::Read).await?;
    let id = id_of(&id)?;
    let case = call.run(|| api::cases::get_case(id)).await?;
    Ok(json(StatusCode::OK, &case.entities))
}

/// Names a person (name, identifier such as a passport number), company (registration number) or vessel
/// (IMO number) in the case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/entities", tag = "cases", request_body = EntityForm, params(("id" = i64, Path)),
    security(("token" = [])), responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn add_entity(call: Call, Path(id): Path<String>, RawBody(raw): RawBody) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    let form: EntityForm = body(&raw)?;
    call.act(|| api::cases::add_entity(id, form)).await
}

/// The case's indicators (a read of the case, audited as such).
#[utoipa::path(get, path = "/api/v1/cases/{id}/indicators", tag = "indicators", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = Vec<IndicatorView>), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn list_indicators(call: Call, Path(id): Path<String>) -> Answer {
    call.need(TokenScope::Read).await?;
    let id = id_of(&id)?;
    let case = call.run(|| api::cases::get_case(id)).await?;
    Ok(json(StatusCode::OK, &case.indicators))
}

/// Adds one indicator to the case. Needs the `indicators` scope.
#[utoipa::path(post, path = "/api/v1/cases/{id}/indicators", tag = "indicators", request_body = IndicatorForm, params(("id" = i64, Path)),
    security(("token" = [])), responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn add_indicator(call: Call, Path(id): Path<String>, RawBody(raw): RawBody) -> Answer {
    call.need(TokenScope::Indicators).await?;
    let id = id_of(&id)?;
    let form: IndicatorForm = body(&raw)?;
    call.act(|| api::cases::add_indicator(id, form)).await
}

#[derive(Deserialize, ToSchema)]
pub struct BulkIndicators {
    /// One indicator per line; its kind is recognised.
    text: String,
    /// `clear`, `green`, `amber`, `amber_strict` or `red`, for every line.
    tlp: String,
    /// Handling conditions for every line: `"on"` sets H0, H1, H2; H3 is its words (empty: none).
    #[serde(default)]
    h0: String,
    #[serde(default)]
    h1: String,
    #[serde(default)]
    h2: String,
    #[serde(default)]
    h3: String,
}

/// Adds many indicators at once and reports each line: added, or why not.
#[utoipa::path(post, path = "/api/v1/cases/{id}/indicators/bulk", tag = "indicators", request_body = BulkIndicators,
    params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = Vec<BulkLine>), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn bulk_add_indicators(call: Call, Path(id): Path<String>, RawBody(raw): RawBody) -> Answer {
    call.need(TokenScope::Indicators).await?;
    let id = id_of(&id)?;
    let bulk: BulkIndicators = body(&raw)?;
    let report = call.run(|| api::cases::bulk_add_indicators(id, bulk.text, bulk.tlp, bulk.h0, bulk.h1, bulk.h2, bulk.h3)).await?;
    Ok(json(StatusCode::OK, &report))
}

/// Makes a request on the case to an agency of the other country: sent at once (or held for a supervisor's
/// approval where the agency requires it), or saved as a draft with `"intent": "draft"`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/requests", tag = "requests", request_body = RequestForm,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "A retried create with the same key answers the first result")),
    security(("token" = [])), responses((status = 201, body = RequestCreated), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn create_request(call: Call, Path(id): Path<String>, RawBody(raw): RawBody) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    let form: RequestForm = body(&raw)?;
    call.create_once(&raw, move || api::requests::create_request(id, form)).await
}

/// Filters of the request list, as the inbox has them (all optional).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct RequestQuery {
    /// `incoming` (default), `outgoing` or `both`, seen from the token's agency.
    direction: Direction,
    /// A request status, or `open` (awaiting an answer); empty: any.
    status: String,
    priority: Option<Priority>,
    category: Option<Category>,
    /// The other side's agency code.
    counterpart: String,
    /// Only overdue requests.
    overdue: bool,
    /// Only open requests due within 24 hours.
    due_soon: bool,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RequestList {
    items: Vec<RequestSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    next_cursor: Option<String>,
}

/// Requests of the token's agency, as its inbox lists them, 50 a page (`API_PAGE_SIZE`).
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests", params(RequestQuery), security(("token" = [])),
    responses((status = 200, body = RequestList), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn list_requests(call: Call) -> Answer {
    call.need(TokenScope::Read).await?;
    let q: RequestQuery = call.query()?;
    let page = page_of(&q.cursor)?;
    let filter = InboxFilter {
        direction: q.direction,
        overdue: q.overdue,
        due_soon: q.due_soon,
        status: q.status,
        priority: q.priority,
        category: q.category,
        counterpart: q.counterpart,
        page,
        length: PageLength::Api,
        ..InboxFilter::default()
    };
    let found = call.run(|| api::requests::list_requests(filter)).await?;
    Ok(json(StatusCode::OK, &RequestList { items: found.requests, next_cursor: next_cursor(page, found.has_more) }))
}

/// A request with its thread of responses and its attachments (audited as a read, as on its page).
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = RequestView), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn get_request(call: Call, Path(id): Path<String>) -> Answer {
    call.need(TokenScope::Read).await?;
    let id = id_of(&id)?;
    let request = call.run(|| api::requests::get_request(id)).await?;
    Ok(json(StatusCode::OK, &request))
}

/// The request's responses, oldest first.
#[utoipa::path(get, path = "/api/v1/requests/{id}/responses", tag = "requests", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = Vec<ResponseView>), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn list_responses(call: Call, Path(id): Path<String>) -> Answer {
    call.need(TokenScope::Read).await?;
    let id = id_of(&id)?;
    let request = call.run(|| api::requests::get_request(id)).await?;
    Ok(json(StatusCode::OK, &request.responses))
}

/// Answers in the request's thread: an answer with its grading (source A–F, information 1–6) and TLP, a
/// partial answer, a question back, or a clarification.
#[utoipa::path(post, path = "/api/v1/requests/{id}/responses", tag = "requests", request_body = ResponseForm,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "A retried create with the same key answers the first result")),
    security(("token" = [])), responses((status = 201, body = Responded), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn respond(call: Call, Path(id): Path<String>, RawBody(raw): RawBody) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    let form: ResponseForm = body(&raw)?;
    call.create_once(&raw, move || async move { api::requests::respond_to_request(id, form).await.map(|()| Responded { request: id }) })
        .await
}

/// What a response's creation answers: the request it joined.
#[derive(Serialize, ToSchema)]
pub struct Responded {
    request: i64,
}

/// Sends a draft (or submits it for approval where the agency requires one).
#[utoipa::path(post, path = "/api/v1/requests/{id}/send", tag = "requests", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn send_request(call: Call, Path(id): Path<String>) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    call.act(|| api::requests::send_request(id)).await
}

/// Acknowledges receipt of a request sent to the token's agency.
#[utoipa::path(post, path = "/api/v1/requests/{id}/acknowledge", tag = "requests", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn acknowledge_request(call: Call, Path(id): Path<String>) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    call.act(|| api::requests::acknowledge_request(id)).await
}

/// Withdraws a request the token's agency sent.
#[utoipa::path(post, path = "/api/v1/requests/{id}/withdraw", tag = "requests", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn withdraw_request(call: Call, Path(id): Path<String>) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    call.act(|| api::requests::withdraw_request(id)).await
}

/// Closes an answered request.
#[utoipa::path(post, path = "/api/v1/requests/{id}/close", tag = "requests", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn close_request(call: Call, Path(id): Path<String>) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    call.act(|| api::requests::close_request(id)).await
}

#[derive(Deserialize, ToSchema)]
pub struct Decline {
    /// Why the request cannot be answered (the sender reads it).
    reason: String,
}

/// Declines a request sent to the token's agency, with the reason.
#[utoipa::path(post, path = "/api/v1/requests/{id}/decline", tag = "requests", request_body = Decline, params(("id" = i64, Path)),
    security(("token" = [])), responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn decline_request(call: Call, Path(id): Path<String>, RawBody(raw): RawBody) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    let decline: Decline = body(&raw)?;
    call.act(|| api::requests::decline_request(id, decline.reason)).await
}

/// Consent asked of a response's provider.
#[derive(Deserialize, ToSchema)]
pub struct ConsentAsk {
    /// What the consent would lift: `judicial` (H1), `pass_on` (H2, with `pass_to`) or `other` (H3).
    purpose: ConsentPurpose,
    /// For `pass_on`: the code of the agency it would go to.
    #[serde(default)]
    pass_to: String,
    /// Why it is asked: what it would be used for, and by whom.
    reason: String,
}

/// Asks the provider of a response given to the token's agency (or on a case it owns: all but passing it
/// on) for consent to use it in court, pass it on to a named agency, or use it as its H3 words allow. The provider has `LD_CONSENT_DAYS` (5) days to answer.
#[utoipa::path(post, path = "/api/v1/responses/{id}/consents", tag = "conditions", request_body = ConsentAsk, params(("id" = i64, Path)),
    security(("token" = [])), responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn ask_consent(call: Call, Path(id): Path<String>, RawBody(raw): RawBody) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    let ask: ConsentAsk = body(&raw)?;
    let form = ConsentForm { response_id: id.to_string(), purpose: ask.purpose.as_str().into(), pass_to: ask.pass_to, reason: ask.reason };
    call.act(|| api::conditions::ask_consent(form)).await
}

/// The provider's answer to a consent request.
#[derive(Deserialize, ToSchema)]
pub struct ConsentDecision {
    /// `granted`, `partly_granted` or `refused`.
    decision: ConsentStatus,
    /// The conditions of a grant, or the grounds of a refusal (required for those two).
    #[serde(default)]
    answer: String,
}

/// Answers a consent request asked of the token's agency.
#[utoipa::path(post, path = "/api/v1/consents/{id}/answer", tag = "conditions", request_body = ConsentDecision, params(("id" = i64, Path)),
    security(("token" = [])), responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn answer_consent(call: Call, Path(id): Path<String>, RawBody(raw): RawBody) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    let d: ConsentDecision = body(&raw)?;
    let form = ConsentAnswerForm { id: id.to_string(), decision: d.decision.as_str().into(), answer: d.answer };
    call.act(|| api::conditions::answer_consent(form)).await
}

#[derive(Deserialize, ToSchema)]
pub struct PassOn {
    /// One of the token agency's requests still being worked, on a case of one of its two ends.
    request_id: i64,
}

/// Passes a response's information (text, grading, conditions, files) on with another request. Refused
/// with `consent-needed` while H2 holds it back from that request's recipient.
#[utoipa::path(post, path = "/api/v1/responses/{id}/pass-on", tag = "conditions", request_body = PassOn, params(("id" = i64, Path)),
    security(("token" = [])), responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn pass_on_response(call: Call, Path(id): Path<String>, RawBody(raw): RawBody) -> Answer {
    call.need(TokenScope::Write).await?;
    let id = id_of(&id)?;
    let p: PassOn = body(&raw)?;
    call.act(|| api::conditions::pass_on_response(id, p.request_id)).await
}

/// The token owner's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", security(("token" = [])),
    responses((status = 200, body = Vec<NotificationView>), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn list_notifications(call: Call) -> Answer {
    call.need(TokenScope::Notifications).await?;
    let list = call.run(api::notifications::list_notifications).await?;
    Ok(json(StatusCode::OK, &list))
}

/// Marks one of the token owner's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn mark_notification_read(call: Call, Path(id): Path<String>) -> Answer {
    call.need(TokenScope::Notifications).await?;
    let id = id_of(&id)?;
    call.act(|| api::notifications::mark_notifications_read(id)).await
}

/// Marks all of the token owner's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications", security(("token" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn mark_all_notifications_read(call: Call) -> Answer {
    call.need(TokenScope::Notifications).await?;
    call.act(|| api::notifications::mark_notifications_read(0)).await
}

/// The operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        me,
        list_cases,
        create_case,
        get_case,
        update_case,
        change_case_status,
        list_entities,
        add_entity,
        list_indicators,
        add_indicator,
        bulk_add_indicators,
        create_request,
        list_requests,
        get_request,
        list_responses,
        respond,
        send_request,
        acknowledge_request,
        decline_request,
        withdraw_request,
        close_request,
        ask_consent,
        answer_consent,
        pass_on_response,
        list_notifications,
        mark_notification_read,
        mark_all_notifications_read,
        super::attachments::upload_attachment,
        super::attachments::get_attachment,
        super::attachments::download_attachment
    ),
    components(schemas(Problem, super::problem::FieldProblem, Direction))
)]
pub struct Operations;
