//! `/taxii2/`: a read-only TAXII 2.1 server (discovery, one API root, one collection, its objects, each
//! object and its versions, and the manifest) for the cyber agencies' platforms. The collection holds what the token's owner sees on the
//! case pages as indicators, TLP:RED excepted (`backend::exchange::taxii`). Tokens as for `/api/v1` (Bearer,
//! or HTTP Basic with the token as the password, which TAXII clients send), with the `read` scope.

use super::Call;
use app::backend::exchange::{policy, stix, taxii};
use app::backend::platform::audit::{self, Event};
use app::backend::state;
use app::error::AppError;
use app::model::TokenScope;
use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const MEDIA_TYPE: &str = "application/taxii+json;version=2.1";
const STIX_MEDIA_TYPE: &str = "application/stix+json;version=2.1";
/// The one collection: the indicators shared with the caller.
pub const COLLECTION_ID: &str = "5f3c0e7a-9d1b-4a5e-8c2f-6b7d1e0a4c93";

pub fn router() -> Router<app::backend::AppState> {
    Router::new()
        // Full paths, each ending in a slash as TAXII's do (a nested "/" would not match "/taxii2/").
        .route("/taxii2/", get(discovery))
        .route("/taxii2/api1/", get(api_root))
        .route("/taxii2/api1/collections/", get(collections))
        .route("/taxii2/api1/collections/{id}/", get(collection))
        .route("/taxii2/api1/collections/{id}/objects/", get(objects))
        .route("/taxii2/api1/collections/{id}/objects/{object}/", get(object))
        .route("/taxii2/api1/collections/{id}/objects/{object}/versions/", get(versions))
        .route("/taxii2/api1/collections/{id}/manifest/", get(manifest))
        .route("/taxii2/{*rest}", get(|| async { error(StatusCode::NOT_FOUND, "Not found", "No such TAXII resource.") }))
        .method_not_allowed_fallback(|| async {
            error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed", "This TAXII server is read-only: GET only.")
        })
}

/// A TAXII answer: its media type and the body.
fn taxii(status: StatusCode, body: Value) -> Response {
    let mut res = (status, body.to_string()).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE));
    res
}

/// A TAXII error message (section 3.6.1).
pub struct TaxiiError {
    status: StatusCode,
    title: String,
    description: String,
}

fn error(status: StatusCode, title: &str, description: &str) -> TaxiiError {
    TaxiiError { status, title: title.to_string(), description: description.to_string() }
}

impl IntoResponse for TaxiiError {
    fn into_response(self) -> Response {
        taxii(self.status, json!({ "title": self.title, "description": self.description, "http_status": self.status.as_u16().to_string() }))
    }
}

impl From<super::problem::Problem> for TaxiiError {
    fn from(p: super::problem::Problem) -> Self {
        error(StatusCode::from_u16(p.status).unwrap_or(StatusCode::BAD_REQUEST), &p.title, &p.detail)
    }
}

fn refused(e: &AppError) -> TaxiiError {
    let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error(status, status.canonical_reason().unwrap_or("Error"), &e.message_in(Default::default()))
}

type Answer = Result<Response, TaxiiError>;

/// Refusals made before a handler runs (no token, a refused token, too many calls) come from the API's
/// layer as problem details: here they become TAXII error messages, and a 401 also names Basic, which TAXII
/// clients answer with the token as the password.
pub async fn as_taxii_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let res = next.run(req).await;
    let is_problem = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !is_problem {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return error(parts.status, "Error", "").into_response();
    };
    let problem: Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let mut out =
        error(parts.status, problem["title"].as_str().unwrap_or("Error"), problem["detail"].as_str().unwrap_or_default()).into_response();
    for name in [header::RETRY_AFTER] {
        if let Some(v) = parts.headers.get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    if parts.status == StatusCode::UNAUTHORIZED {
        out.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"liaison-desk\", Bearer realm=\"liaison-desk\""));
    }
    out
}

/// 406 unless the client takes TAXII 2.1 (or anything).
fn acceptable(headers: &HeaderMap) -> Result<(), TaxiiError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("*/*").replace(' ', "");
    let taxii_21 = accept.split(',').any(|a| a.starts_with("application/taxii+json") && !a.contains("version=2.0"));
    if taxii_21 || accept.contains("*/*") {
        Ok(())
    } else {
        Err(error(StatusCode::NOT_ACCEPTABLE, "Not acceptable", "This server answers application/taxii+json;version=2.1."))
    }
}

async fn checked(call: &Call) -> Result<(), TaxiiError> {
    acceptable(&call.parts.headers)?;
    call.need(TokenScope::Read).await?;
    policy::visibility(&call.caller.actor.user).map(|_| ()).map_err(|e| refused(&e))
}

async fn discovery(call: Call) -> Answer {
    checked(&call).await?;
    Ok(taxii(
        StatusCode::OK,
        json!({
            "title": "Liaison Desk",
            "description": "Indicators shared between liaison agencies, as each token's agency sees them on its cases.",
            "default": "/taxii2/api1/",
            "api_roots": ["/taxii2/api1/"],
        }),
    ))
}

async fn api_root(call: Call) -> Answer {
    checked(&call).await?;
    Ok(taxii(
        StatusCode::OK,
        json!({
            "title": "Liaison Desk indicators",
            "versions": [MEDIA_TYPE],
            "max_content_length": call.state.settings.attachment_max_bytes,
        }),
    ))
}

fn collection_info(call: &Call) -> Value {
    json!({
        "id": COLLECTION_ID,
        "title": format!("Indicators shared with {}", call.caller.actor.user.agency_code),
        "description": "Indicators of the cases this agency may see, with their TLP 2.0 markings. TLP:RED never leaves by TAXII.",
        "can_read": true,
        "can_write": false,
        "media_types": [STIX_MEDIA_TYPE],
    })
}

async fn collections(call: Call) -> Answer {
    checked(&call).await?;
    Ok(taxii(StatusCode::OK, json!({ "collections": [collection_info(&call)] })))
}

async fn collection(call: Call, Path(id): Path<String>) -> Answer {
    checked(&call).await?;
    if id != COLLECTION_ID {
        return Err(error(StatusCode::NOT_FOUND, "Not found", "No such collection."));
    }
    Ok(taxii(StatusCode::OK, collection_info(&call)))
}

/// The filters a client may send. Any other parameter is refused rather than ignored: a client must not
/// believe it filtered.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Filters {
    added_after: Option<String>,
    limit: Option<String>,
    next: Option<String>,
    #[serde(rename = "match[id]")]
    match_id: Option<String>,
    #[serde(rename = "match[type]")]
    match_type: Option<String>,
    #[serde(rename = "match[version]")]
    match_version: Option<String>,
    #[serde(rename = "match[spec_version]")]
    match_spec_version: Option<String>,
}

/// The types of object the feed holds, as their ids begin.
const HELD_TYPES: [&str; 2] = ["indicator--", "marking-definition--"];

/// The most ids one `match[id]` may name.
const MAX_IDS: usize = 100;

fn bad(what: &str) -> TaxiiError {
    error(StatusCode::BAD_REQUEST, "Bad request", what)
}

/// A STIX id: `type--uuid`.
fn stix_id(id: &str) -> Option<String> {
    let (kind, uuid) = id.split_once("--")?;
    let kind_ok = !kind.is_empty() && kind.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    (kind_ok && uuid::Uuid::parse_str(uuid).is_ok()).then(|| id.to_string())
}

fn parse_ids(list: &str) -> Result<BTreeSet<String>, TaxiiError> {
    let ids: Option<BTreeSet<String>> = list.split(',').map(stix_id).collect();
    let ids = ids.ok_or_else(|| bad("match[id] takes STIX ids (type--uuid), separated by commas."))?;
    if ids.len() > MAX_IDS {
        return Err(bad(&format!("match[id] names at most {MAX_IDS} ids.")));
    }
    Ok(ids)
}

/// `match[version]`: every object here has one version, so "first", "last" and "all" each keep it; a
/// timestamp keeps the objects of that version.
enum Versions {
    Any,
    At(Vec<DateTime<Utc>>),
}

impl Versions {
    fn parse(list: Option<&str>) -> Result<Versions, TaxiiError> {
        let Some(list) = list.filter(|l| !l.is_empty()) else { return Ok(Versions::Any) };
        let mut at = Vec::new();
        for v in list.split(',') {
            match v {
                "first" | "last" | "all" => return Ok(Versions::Any),
                t => at.push(timestamp(t).ok_or_else(|| bad("match[version] takes first, last, all or RFC 3339 timestamps."))?),
            }
        }
        Ok(Versions::At(at))
    }

    fn keeps(&self, object: &Value) -> bool {
        match self {
            Versions::Any => true,
            Versions::At(at) => stix::version(object).as_str().and_then(timestamp).is_some_and(|v| at.contains(&v)),
        }
    }
}

fn timestamp(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t).ok().map(|t| t.with_timezone(&Utc))
}

/// The filters as the backend takes them (`ids` holds what `match[id]` or the object's URL named).
fn ask<'a>(f: &Filters, ids: Option<&'a BTreeSet<String>>) -> Result<taxii::Ask<'a>, TaxiiError> {
    let added_after = match f.added_after.as_deref() {
        None | Some("") => None,
        Some(t) => Some(timestamp(t).ok_or_else(|| bad("added_after must be an RFC 3339 timestamp."))?),
    };
    let limit = match f.limit.as_deref() {
        None | Some("") => taxii::DEFAULT_LIMIT,
        Some(l) => {
            l.parse::<u64>().ok().filter(|n| *n >= 1).ok_or_else(|| bad("limit must be a positive number."))?.min(taxii::MAX_LIMIT as u64)
                as u32
        }
    };
    let after = match f.next.as_deref() {
        None | Some("") => None,
        Some(n) => Some(taxii::After::parse(n).ok_or_else(|| bad("next is not one this server gave."))?),
    };
    Ok(taxii::Ask { added_after, after, limit, ids })
}

/// One page of the collection (or of one object, named by its URL), read as the caller, and audited as a
/// read of what it held.
async fn read_page(call: &Call, id: &str, object: Option<&str>) -> Result<taxii::Page, TaxiiError> {
    checked(call).await?;
    if id != COLLECTION_ID {
        return Err(error(StatusCode::NOT_FOUND, "Not found", "No such collection."));
    }
    let f: Filters = call.query()?;
    let mut ids = match (object, f.match_id.as_deref()) {
        (Some(_), Some(_)) => return Err(bad("An object's own URL takes no match[id].")),
        (Some(o), None) => Some(stix_id(o).map(|id| BTreeSet::from([id])).ok_or_else(not_found)?),
        (None, Some(list)) if !list.is_empty() => Some(parse_ids(list)?),
        (None, _) => None,
    };
    if let Some(ids) = ids.as_mut() {
        // The feed holds indicators and their statement markings only: another type is not looked for.
        ids.retain(|id| HELD_TYPES.iter().any(|t| id.starts_with(t)));
        if ids.is_empty() {
            return Ok(taxii::Page::default());
        }
        // A look-up by id reads the caller's share until it finds them (ids are not stored): it counts
        // against the same allowance as searches and exports.
        state::ensure_within_read_limit(&call.state, call.caller.actor.id()).map_err(|e| refused(&e))?;
    }
    let versions = Versions::parse(f.match_version.as_deref())?;
    let ask = ask(&f, ids.as_ref())?;
    let only_indicators = f.match_type.as_deref().is_none_or(|t| t.split(',').any(|t| t == "indicator"));
    if f.match_spec_version.as_deref().is_some_and(|v| !v.split(',').any(|v| v == "2.1")) || !only_indicators {
        // Nothing else is held: an empty page, as the spec asks for filters that match nothing.
        return Ok(taxii::Page::default());
    }
    let actor = &call.caller.actor;
    let vis = policy::visibility(&actor.user).map_err(|e| refused(&e))?;
    let mut page = async {
        let mut conn = call.state.db.pool.acquire().await?;
        taxii::page(&mut conn, &actor.user, vis, &ask).await
    }
    .await
    .map_err(|e| refused(&e))?;
    page.objects.retain(|o| versions.keeps(&o.object));
    // What left, and from which cases (an empty poll takes nothing: no event).
    if !page.objects.is_empty() {
        let ids: Vec<&Value> = page.objects.iter().map(|o| &o.object["id"]).collect();
        let event = Event::new("taxii.read").details(json!({
            "collection": COLLECTION_ID, "cases": page.case_ids(), "objects": ids, "added_after": ask.added_after.map(taxii::shown)
        }));
        audit::record_alone(&call.state.db, &actor.who, event).await.map_err(|e| refused(&e))?;
    }
    Ok(page)
}

fn not_found() -> TaxiiError {
    error(StatusCode::NOT_FOUND, "Not found", "No such object in this collection, or not one you may see.")
}

fn with_dates(mut res: Response, page: &taxii::Page) -> Response {
    for (name, t) in [("x-taxii-date-added-first", page.first_added), ("x-taxii-date-added-last", page.last_added)] {
        if let Some(v) = t.and_then(|t| HeaderValue::from_str(&taxii::shown(t)).ok()) {
            res.headers_mut().insert(name, v);
        }
    }
    res
}

fn envelope(page: &taxii::Page, items: (&str, Vec<Value>)) -> Value {
    let mut body = json!({ "more": page.next.is_some() });
    if let Some(next) = &page.next {
        body["next"] = json!(next.token());
    }
    if !items.1.is_empty() {
        body[items.0] = json!(items.1);
    }
    body
}

async fn objects(call: Call, Path(id): Path<String>) -> Answer {
    let page = read_page(&call, &id, None).await?;
    let body = envelope(&page, ("objects", page.objects.iter().map(|o| o.object.clone()).collect()));
    Ok(with_dates(taxii(StatusCode::OK, body), &page))
}

/// The page of one object named by its URL: 404 when the caller may not see it, as for one that does not
/// exist.
async fn read_object(call: &Call, id: &str, object: &str) -> Result<taxii::Page, TaxiiError> {
    let page = read_page(call, id, Some(object)).await?;
    if page.objects.is_empty() {
        return Err(not_found());
    }
    Ok(page)
}

/// One object by its id (TAXII 5.5).
async fn object(call: Call, Path((id, object)): Path<(String, String)>) -> Answer {
    let page = read_object(&call, &id, &object).await?;
    let body = envelope(&page, ("objects", page.objects.iter().map(|o| o.object.clone()).collect()));
    Ok(with_dates(taxii(StatusCode::OK, body), &page))
}

/// An object's versions (TAXII 5.7): one each here, as nothing in the feed is ever modified in place.
async fn versions(call: Call, Path((id, object)): Path<(String, String)>) -> Answer {
    let page = read_object(&call, &id, &object).await?;
    let versions: Vec<&Value> = page.objects.iter().map(|o| stix::version(&o.object)).collect();
    Ok(with_dates(taxii(StatusCode::OK, json!({ "more": false, "versions": versions })), &page))
}

async fn manifest(call: Call, Path(id): Path<String>) -> Answer {
    let page = read_page(&call, &id, None).await?;
    let records = page
        .objects
        .iter()
        .map(
            |s| json!({ "id": s.object["id"], "date_added": taxii::shown(s.added), "version": stix::version(&s.object), "media_type": STIX_MEDIA_TYPE }),
        )
        .collect();
    let body = envelope(&page, ("objects", records));
    Ok(with_dates(taxii(StatusCode::OK, body), &page))
}
