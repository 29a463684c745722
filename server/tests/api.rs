//! `/api/v1` with tokens: a token acts as its owner under the same rules as the pages, within its scopes,
//! until revoked or expired; refusals are problem+json; creates are idempotent per key; the description
//! is served.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::TestServer;

/// A token made on the profile (the server function the page calls), as `username`, with these scopes.
async fn token(s: &TestServer, username: &str, scopes: &[&str]) -> (i64, String) {
    let mut c = s.signed_in(username).await;
    let password = s.passwords[username].clone();
    let mut form = vec![("name", "Test system"), ("password", password.as_str())];
    for scope in scopes {
        form.push((scope, "on"));
    }
    let issued = c.ok("create_token", &form).await;
    (issued["id"].as_i64().unwrap(), issued["secret"].as_str().unwrap().to_string())
}

struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

async fn call(s: &TestServer, method: Method, path: &str, token: Option<&str>, body: Option<Value>, headers: &[(&str, &str)]) -> Answer {
    let http = reqwest::Client::new();
    let mut rb = http.request(method, format!("{}{path}", s.base));
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    let res = rb.send().await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let text = res.text().await.unwrap();
    Answer { status, headers, body: serde_json::from_str(&text).unwrap_or(Value::String(text)) }
}

async fn get(s: &TestServer, path: &str, token: &str) -> Answer {
    call(s, Method::GET, path, Some(token), None, &[]).await
}

async fn post(s: &TestServer, path: &str, token: &str, body: Value) -> Answer {
    call(s, Method::POST, path, Some(token), Some(body), &[]).await
}

fn new_case(title: &str, lead: i64, parties: &str) -> Value {
    json!({"title": title, "summary": "Made by a script", "category": "fraud", "priority": "normal", "tlp": "amber",
           "lead": lead.to_string(), "parties": parties, "links": ""})
}

fn problem_type(a: &Answer) -> &str {
    assert_eq!(a.headers["content-type"], "application/problem+json", "{:?}", a.body);
    a.body["type"].as_str().unwrap_or_default()
}

/// Canada makes a case and a request by API; India finds it in its incoming list, reads, acknowledges and
/// answers it by API; each call is in the audit trail as the owner, with the token's id.
#[tokio::test]
async fn a_request_made_by_api_is_answered_by_api_on_the_other_side() {
    let s = TestServer::start_bare().await;
    let (rcmp_token_id, rcmp) = token(&s, "rcmp.officer", &["read", "write"]).await;
    let (_, ncb) = token(&s, "ncb.officer", &["read", "write"]).await;

    let me = get(&s, "/api/v1/me", &rcmp).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["username"], "rcmp.officer");
    let lead = me.body["id"].as_i64().unwrap();

    let case = post(&s, "/api/v1/cases", &rcmp, new_case("Smuggled vehicles", lead, "")).await;
    assert_eq!(case.status, 201, "{:?}", case.body);
    let case_id = case.body["id"].as_i64().unwrap();
    let request = post(
        &s,
        &format!("/api/v1/cases/{case_id}/requests"),
        &rcmp,
        json!({"kind": "information", "subject": "VINs of exported cars", "body": "Please check these VINs.", "priority": "high",
               "tlp": "amber", "to_agency": "NCB", "legal_basis": "police"}),
    )
    .await;
    assert_eq!(request.status, 201, "{:?}", request.body);
    let request_id = request.body["id"].as_i64().unwrap();

    // Both directions with one counterpart (a filter the request list also has; Schemathesis found it
    // answering 500).
    let both = get(&s, "/api/v1/requests?direction=both&counterpart=RCMP", &ncb).await;
    assert_eq!(both.status, 200, "{:?}", both.body);
    let found: Vec<i64> = both.body["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(found, [request_id]);
    assert!(get(&s, "/api/v1/requests?direction=both&counterpart=CBSA", &ncb).await.body["items"].as_array().unwrap().is_empty());

    let incoming = get(&s, "/api/v1/requests?direction=incoming", &ncb).await;
    assert_eq!(incoming.status, 200);
    let ids: Vec<i64> = incoming.body["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&request_id), "India's incoming list holds Canada's request: {ids:?}");

    let read = get(&s, &format!("/api/v1/requests/{request_id}"), &ncb).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["body"], "Please check these VINs.");
    assert_eq!(post(&s, &format!("/api/v1/requests/{request_id}/acknowledge"), &ncb, json!({})).await.status, 204);
    let answer = post(
        &s,
        &format!("/api/v1/requests/{request_id}/responses"),
        &ncb,
        json!({"kind": "final_answer", "body": "Two of the VINs were exported in May.", "source_grade": "B", "info_grade": "2", "tlp": "amber"}),
    )
    .await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    let thread = get(&s, &format!("/api/v1/requests/{request_id}/responses"), &rcmp).await;
    assert_eq!(thread.body[0]["body"], "Two of the VINs were exported in May.");
    assert_eq!(thread.body[0]["source_grade"], "B");

    // The trail names the owner and the token.
    let (username, details): (String, String) =
        sqlx::query_as("SELECT username, details FROM audit_events WHERE action = 'request.create' AND object_id = ? ORDER BY id LIMIT 1")
            .bind(request_id.to_string())
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
    assert_eq!(username, "rcmp.officer");
    let details: Value = serde_json::from_str(&details).unwrap();
    assert_eq!(details["api_token"], rcmp_token_id);
}

/// Need-to-know holds: an agency that is no party gets 404, the same answer as for no object at all.
#[tokio::test]
async fn a_non_party_cannot_tell_a_case_from_a_missing_one() {
    let s = TestServer::start_bare().await;
    let (_, ncb) = token(&s, "ncb.officer", &["read", "write"]).await;
    let (_, cbi) = token(&s, "cbi.officer", &["read", "write"]).await;
    let lead = get(&s, "/api/v1/me", &ncb).await.body["id"].as_i64().unwrap();
    let id = post(&s, "/api/v1/cases", &ncb, new_case("Hawala network", lead, "")).await.body["id"].as_i64().unwrap();

    // The owner names a person in the case; a non-party can neither read nor add one.
    let person = json!({"kind": "person", "name": "Ravi Menon", "identifier": "Passport Z1234567", "note": ""});
    assert_eq!(post(&s, &format!("/api/v1/cases/{id}/entities"), &ncb, person.clone()).await.status, 204);
    let named = get(&s, &format!("/api/v1/cases/{id}/entities"), &ncb).await;
    assert_eq!((named.body[0]["name"].as_str(), named.body[0]["kind"].as_str()), (Some("Ravi Menon"), Some("person")));
    assert_eq!(get(&s, &format!("/api/v1/cases/{id}/entities"), &cbi).await.status, 404);
    assert_eq!(post(&s, &format!("/api/v1/cases/{id}/entities"), &cbi, person).await.status, 404);

    let theirs = get(&s, &format!("/api/v1/cases/{id}"), &cbi).await;
    let none = get(&s, "/api/v1/cases/999999", &cbi).await;
    assert_eq!((theirs.status, none.status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(theirs.body, none.body);
    assert_eq!(problem_type(&theirs), "/api/v1/docs#problem-not-found");
    let listed = get(&s, "/api/v1/cases", &cbi).await;
    assert!(listed.body["items"].as_array().unwrap().iter().all(|c| c["id"].as_i64() != Some(id)));
    // Nor may it add to the case.
    let added = post(
        &s,
        &format!("/api/v1/cases/{id}/requests"),
        &cbi,
        json!({"kind": "information", "subject": "Account holders",
        "body": "Who holds these accounts?", "priority": "normal", "tlp": "amber", "to_agency": "RCMP", "legal_basis": "police"}),
    )
    .await;
    assert_eq!(added.status, 404, "{:?}", added.body);
}

/// A token does only what its scopes allow; a revoked, expired, unknown or missing token is refused with
/// 401 at once; a disabled owner's tokens stop working.
#[tokio::test]
async fn scopes_revocation_and_expiry_are_enforced_at_once() {
    let s = TestServer::start_bare().await;
    let (read_id, read_only) = token(&s, "rcmp.officer", &["read"]).await;
    let lead = get(&s, "/api/v1/me", &read_only).await.body["id"].as_i64().unwrap();
    let refused = post(&s, "/api/v1/cases", &read_only, new_case("Not allowed", lead, "")).await;
    assert_eq!(refused.status, 403);
    assert_eq!(problem_type(&refused), "/api/v1/docs#problem-forbidden");
    assert_eq!(get(&s, "/api/v1/notifications", &read_only).await.status, 403, "notifications need their own scope");
    let made: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE title = 'Not allowed'").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(made, 0);

    for bad in [None, Some("ldt_".to_string() + &"0".repeat(64)), Some("garbage".into())] {
        let a = call(&s, Method::GET, "/api/v1/me", bad.as_deref(), None, &[]).await;
        assert_eq!(a.status, 401);
        assert!(a.headers["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
        assert_eq!(problem_type(&a), "/api/v1/docs#problem-unauthorized");
    }

    let mut owner = s.signed_in("rcmp.officer").await;
    owner.ok("revoke_token", &[("id", &read_id.to_string())]).await;
    assert_eq!(get(&s, "/api/v1/me", &read_only).await.status, 401, "revoked: refused on the next call");

    let (expiring_id, expiring) = token(&s, "rcmp.officer", &["read"]).await;
    assert_eq!(get(&s, "/api/v1/me", &expiring).await.status, 200);
    sqlx::query("UPDATE api_tokens SET expires_at = ? WHERE id = ?")
        .bind(chrono::Utc::now() - chrono::Duration::seconds(1))
        .bind(expiring_id)
        .execute(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(get(&s, "/api/v1/me", &expiring).await.status, 401, "expired: refused");

    let (_, cbsa) = token(&s, "cbsa.officer", &["read"]).await;
    let cbsa_id = support::user_id(&s.db, "cbsa.officer").await.to_string();
    s.signed_in("admin").await.ok("set_user_enabled", &[("id", &cbsa_id), ("enabled", "false")]).await;
    assert_eq!(get(&s, "/api/v1/me", &cbsa).await.status, 401, "a disabled owner's tokens stop working");

    // An admin has no API: no token can be made for one.
    let mut admin = s.signed_in("admin").await;
    let admin_password = s.passwords["admin"].clone();
    assert_eq!(admin.call("create_token", &[("name", "x"), ("read", "on"), ("password", &admin_password)]).await.status(), 403);
    // A session left open does not mint a token: the password is asked again.
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let wrong = rcmp.call("create_token", &[("name", "x"), ("read", "on"), ("password", "not the password")]).await;
    assert_eq!(wrong.status(), 422);
}

/// A token is bound to its owner as they were: a new password (or second factor, role, agency) ends it,
/// as it ends the owner's other sessions; a scope refusal is audited with what was asked.
#[tokio::test]
async fn a_changed_password_ends_the_token_and_refusals_are_audited() {
    let s = TestServer::start_bare().await;
    let (id, t) = token(&s, "cccs.officer", &["read"]).await;
    assert_eq!(post(&s, "/api/v1/cases", &t, json!({})).await.status, 403);
    let (path, token_in_trail): (String, i64) = sqlx::query_as(
        "SELECT json_extract(details, '$.path'), json_extract(details, '$.api_token') FROM audit_events \
         WHERE action = 'api.scope_refused' AND outcome = 'denied' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&s.db.pool)
    .await
    .unwrap();
    assert_eq!((path.as_str(), token_in_trail), ("/api/v1/cases", id));

    let mut owner = s.signed_in("cccs.officer").await;
    let old = s.passwords["cccs.officer"].clone();
    owner
        .ok(
            "change_password",
            &[("current", &old), ("new_password", "harbour lantern orchid 42"), ("confirm", "harbour lantern orchid 42")],
        )
        .await;
    assert_eq!(get(&s, "/api/v1/me", &t).await.status, 401, "the token ended with the old password");
    let listed = owner.ok("my_tokens", &[]).await;
    assert_eq!(listed[0]["stale"], true, "the profile says why it no longer works");
}

/// A token never opens a page, and a session cookie never opens the API.
#[tokio::test]
async fn tokens_and_sessions_do_not_cross() {
    let s = TestServer::start_bare().await;
    let (_, secret) = token(&s, "rcmp.officer", &["read", "write"]).await;
    let page = reqwest::Client::new()
        .post(format!("{}/api/current_user", s.base))
        .bearer_auth(&secret)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(page.text().await.unwrap(), "null", "a server function with only a token sees nobody signed in");
    let signed_in = s.signed_in("rcmp.officer").await;
    let res = signed_in.with_cookie(signed_in.http.get(format!("{}/api/v1/me", s.base))).send().await.unwrap();
    assert_eq!(res.status(), 401, "the API ignores the session cookie");
    // Nor can a token make more tokens: there is no such operation, and the page's one wants a session.
    let minted = reqwest::Client::new()
        .post(format!("{}/api/create_token", s.base))
        .bearer_auth(&secret)
        .form(&[("name", "escalate"), ("write", "on"), ("password", "whatever")])
        .send()
        .await
        .unwrap();
    assert_eq!(minted.status(), 401);
}

/// The same create retried with its Idempotency-Key makes one case and answers the first result; the key
/// with a different body is refused.
#[tokio::test]
async fn a_retried_create_makes_one_object() {
    let s = TestServer::start_bare().await;
    let (_, t) = token(&s, "rcmp.officer", &["read", "write"]).await;
    let lead = get(&s, "/api/v1/me", &t).await.body["id"].as_i64().unwrap();
    let body = new_case("Retried once", lead, "");
    let key = [("idempotency-key", "5f0c6b9e-retry-1")];
    let first = call(&s, Method::POST, "/api/v1/cases", Some(&t), Some(body.clone()), &key).await;
    let again = call(&s, Method::POST, "/api/v1/cases", Some(&t), Some(body.clone()), &key).await;
    assert_eq!((first.status, again.status), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(first.body, again.body);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let made: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE title = 'Retried once'").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(made, 1);
    let other = call(&s, Method::POST, "/api/v1/cases", Some(&t), Some(new_case("Something else", lead, "")), &key).await;
    assert_eq!(other.status, 422);
    assert_eq!(problem_type(&other), "/api/v1/docs#problem-idempotency-key-reused");
    // A refused create gives its key back: corrected, the same key goes through.
    let key2 = [("idempotency-key", "retry-2")];
    let bad = call(&s, Method::POST, "/api/v1/cases", Some(&t), Some(new_case("", lead, "")), &key2).await;
    assert_eq!(bad.status, 422);
    let good = call(&s, Method::POST, "/api/v1/cases", Some(&t), Some(new_case("Corrected", lead, "")), &key2).await;
    assert_eq!(good.status, 201);
}

/// Bad input answers 422 with a message per field, or 400 for a body that is not the right JSON; an
/// update needs If-Match, and a stale version is refused.
#[tokio::test]
async fn bad_input_and_stale_updates_are_refused_clearly() {
    let s = TestServer::start_bare().await;
    let (_, t) = token(&s, "rcmp.officer", &["read", "write"]).await;
    let lead = get(&s, "/api/v1/me", &t).await.body["id"].as_i64().unwrap();
    let invalid = post(
        &s,
        "/api/v1/cases",
        &t,
        json!({"title": "", "category": "weather", "priority": "normal", "tlp": "amber", "lead": lead.to_string()}),
    )
    .await;
    assert_eq!(invalid.status, 422);
    assert_eq!(problem_type(&invalid), "/api/v1/docs#problem-validation");
    let fields: Vec<&str> = invalid.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"title") && fields.contains(&"category"), "{fields:?}");
    // The field's message is in the caller's language when it asks for one (Accept-Language), English otherwise.
    let untitled = json!({"title": "", "category": "fraud", "priority": "normal", "tlp": "amber", "lead": lead.to_string()});
    let message = |a: &Answer| a.body["errors"][0]["message"].as_str().unwrap_or_default().to_string();
    let english = post(&s, "/api/v1/cases", &t, untitled.clone()).await;
    let french = call(&s, Method::POST, "/api/v1/cases", Some(&t), Some(untitled), &[("accept-language", "fr-CA,fr;q=0.9")]).await;
    assert_eq!(message(&english), "Give the case a title of 3 to 200 characters.");
    assert_eq!(message(&french), app::tr!(app::i18n::Locale::FrCa, "err-give-case-title-3-200"));
    assert_ne!(message(&french), message(&english));
    // So are the problem's title, and the API's own refusals (a header it needs).
    assert_eq!((english.body["title"].as_str(), french.body["title"].as_str()), (Some("Invalid fields"), Some("Champs invalides")));
    let unversioned = json!({"title": "No version", "category": "fraud", "priority": "normal", "tlp": "amber", "lead": lead.to_string()});
    let hindi = call(&s, Method::PUT, "/api/v1/cases/1", Some(&t), Some(unversioned), &[("accept-language", "hi")]).await;
    assert_eq!(hindi.status, 428, "{}", hindi.body);
    assert_eq!(hindi.body["title"], "If-Match आवश्यक");
    assert_eq!(hindi.body["detail"], app::tr!(app::i18n::Locale::Hi, "problem-detail-if-match-needed").as_str());
    let garbled = call(&s, Method::POST, "/api/v1/cases", Some(&t), None, &[("content-type", "application/json")]).await;
    assert_eq!(garbled.status, 400);
    assert_eq!(get(&s, "/api/v1/cases?cursor=abc", &t).await.status, 400);
    assert_eq!(get(&s, "/api/v1/cases/abc", &t).await.status, 404);

    let id = post(&s, "/api/v1/cases", &t, new_case("Versioned", lead, "")).await.body["id"].as_i64().unwrap();
    let read = get(&s, &format!("/api/v1/cases/{id}"), &t).await;
    let etag = read.headers["etag"].to_str().unwrap().to_string();
    let path = format!("/api/v1/cases/{id}");
    let no_match = call(&s, Method::PUT, &path, Some(&t), Some(new_case("Renamed", lead, "")), &[]).await;
    assert_eq!(no_match.status, 428);
    let ok = call(&s, Method::PUT, &path, Some(&t), Some(new_case("Renamed", lead, "")), &[("if-match", &etag)]).await;
    assert_eq!(ok.status, 204, "{:?}", ok.body);
    let stale = call(&s, Method::PUT, &path, Some(&t), Some(new_case("Renamed again", lead, "")), &[("if-match", &etag)]).await;
    assert_eq!(stale.status, 409, "the case changed since that version");
    assert_eq!(get(&s, &path, &t).await.body["title"], "Renamed");
}

/// Past its allowance a token is told to wait, with Retry-After.
#[tokio::test]
async fn a_token_past_its_allowance_is_told_to_wait() {
    let args = server::config::ServeArgs { api_calls_per_minute: 3, ..Default::default() };
    let s = TestServer::start_bare_with(args).await;
    let (_, t) = token(&s, "rcmp.officer", &["read"]).await;
    for _ in 0..3 {
        assert_eq!(get(&s, "/api/v1/me", &t).await.status, 200);
    }
    let slow = get(&s, "/api/v1/me", &t).await;
    assert_eq!(slow.status, 429);
    assert!(slow.headers["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    assert_eq!(problem_type(&slow), "/api/v1/docs#problem-too-many-requests");
}

/// The description is OpenAPI 3.1 with every operation and the bearer scheme; the reference page is served
/// by the app itself.
#[tokio::test]
async fn the_description_and_reference_are_served() {
    let s = TestServer::start_bare().await;
    let doc = call(&s, Method::GET, "/api/v1/openapi.json", None, None, &[]).await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in ["/api/v1/cases", "/api/v1/cases/{id}/requests", "/api/v1/requests", "/api/v1/requests/{id}/responses", "/api/v1/me"] {
        assert!(doc.body["paths"].get(path).is_some(), "{path} described");
    }
    assert_eq!(doc.body["components"]["securitySchemes"]["token"]["scheme"], "bearer");
    let page = reqwest::get(format!("{}/api/v1/docs", s.base)).await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("default-src 'none'") && !csp.contains("http"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains("POST /api/v1/cases/{id}/requests") && html.contains("problem-not-found"));
}

/// Sends `bytes` as a file named `name` to `path` (a case's attachments, with `?request=` for a thread).
async fn upload(s: &TestServer, path: &str, token: &str, name: &str, bytes: Vec<u8>, key: Option<&str>) -> Answer {
    let http = reqwest::Client::new();
    let mut rb = http
        .post(format!("{}{path}", s.base))
        .query(&[("file_name", name)])
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(bytes);
    if let Some(k) = key {
        rb = rb.header("idempotency-key", k);
    }
    let res = rb.send().await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let text = res.text().await.unwrap();
    Answer { status, headers, body: serde_json::from_str(&text).unwrap_or(Value::String(text)) }
}

#[tokio::test]
async fn files_go_up_and_come_back_by_api_within_need_to_know_and_once_per_key() {
    let s = TestServer::start_bare().await;
    let (_, rcmp) = token(&s, "rcmp.officer", &["read", "write"]).await;
    let (_, rcmp_reader) = token(&s, "rcmp.officer", &["read"]).await;
    let (_, cbsa) = token(&s, "cbsa.officer", &["read", "write"]).await;
    let lead = get(&s, "/api/v1/me", &rcmp).await.body["id"].as_i64().unwrap();
    let case_id = post(&s, "/api/v1/cases", &rcmp, new_case("Seized ledgers", lead, "")).await.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{case_id}/attachments");
    let content = b"ledger,amount\nA-17,40000\n".to_vec();

    // Written once, even when the client retries with the same key; then read back byte for byte.
    let first = upload(&s, &path, &rcmp, "ledger (scan).csv", content.clone(), Some("upload-1")).await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    let again = upload(&s, &path, &rcmp, "ledger (scan).csv", content.clone(), Some("upload-1")).await;
    assert_eq!((again.status.as_u16(), &again.body["id"]), (201, &first.body["id"]));
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE case_id = ?").bind(case_id).fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(stored, 1);
    let id = first.body["id"].as_i64().unwrap();
    let sha = first.body["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha, app::backend::exchange::attachments::sha256_hex(&content));
    let meta = get(&s, &format!("/api/v1/attachments/{id}"), &rcmp_reader).await;
    assert_eq!(
        (meta.status.as_u16(), meta.body["sha256"].as_str(), meta.body["size"].as_i64()),
        (200, Some(sha.as_str()), Some(content.len() as i64))
    );
    let res =
        reqwest::Client::new().get(format!("{}/api/v1/attachments/{id}/content", s.base)).bearer_auth(&rcmp_reader).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/octet-stream", "never rendered, whatever was declared");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("ledger (scan).csv"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), content.as_slice());

    // A reading token does not write; an agency that is no party learns nothing, not even that it exists.
    assert_eq!(upload(&s, &path, &rcmp_reader, "x.csv", content.clone(), None).await.status, 403);
    assert_eq!(upload(&s, &path, &cbsa, "x.csv", content.clone(), None).await.status, 404);
    for p in [format!("/api/v1/attachments/{id}"), format!("/api/v1/attachments/{id}/content"), "/api/v1/attachments/999999".into()] {
        assert_eq!(get(&s, &p, &cbsa).await.status, 404, "{p}");
    }
    // An empty file or no name is refused with the field named; the trail has each read and the refusals.
    let empty = upload(&s, &path, &rcmp, "empty.csv", Vec::new(), None).await;
    assert_eq!((empty.status.as_u16(), problem_type(&empty)), (422, "/api/v1/docs#problem-validation"), "{:?}", empty.body);
    let unnamed = upload(&s, &path, &rcmp, " ", content.clone(), None).await;
    assert_eq!(unnamed.status, 422);
    assert!(unnamed.body.to_string().contains("file_name"), "{:?}", unnamed.body);
    let reads: Vec<(String, String)> =
        sqlx::query_as("SELECT action, outcome FROM audit_events WHERE action IN ('attachment.read', 'attachment.download') ORDER BY id")
            .fetch_all(&s.db.pool)
            .await
            .unwrap();
    assert_eq!(reads[..2], [("attachment.read".into(), "success".into()), ("attachment.download".into(), "success".into())]);
    assert!(reads[2..].iter().all(|(_, outcome)| outcome == "denied"), "{reads:?}");
}

/// Another system's account: made four-eyes like any account but with no password, it never signs in; its
/// token is asked for by an admin, made only when Canada's supervisor confirms (who alone receives the
/// secret), acts as an RCMP liaison officer and nothing more, shows in the audit trail, and dies at once
/// when an admin revokes it.
#[tokio::test]
async fn a_service_token_is_issued_four_eyes_and_acts_as_its_agency_only() {
    let s = TestServer::start_bare().await;
    let mut admin = s.signed_in("admin").await;
    let account = |role: &'static str| {
        [
            ("username", "rcmp.rms"),
            ("display_name", "RCMP records system"),
            ("role", role),
            ("agency", "RCMP"),
            ("time_zone", ""),
            ("service", "on"),
        ]
    };
    let mut odd = account("officer");
    odd[5] = ("service", "1");
    assert_eq!(admin.call("create_user", &odd).await.status(), 422, "an unreadable tick is refused, not read as a person");
    let res = admin.call("create_user", &account("supervisor")).await;
    assert_eq!(res.status(), 422, "a service account is a liaison officer, never more");
    assert!(res.text().await.unwrap().contains("liaison officer"));
    let asked = admin.ok("create_user", &account("officer")).await;
    assert_eq!(asked["confirmer"], "a supervisor in Canada");
    let id = asked["user"]["id"].as_i64().unwrap();
    let user = id.to_string();
    let mut canada = s.signed_in("ca.supervisor").await;
    let open = |c: serde_json::Value| c.as_array().unwrap().iter().find(|c| c["user_id"] == id && c["decision"].is_null()).cloned();
    let change = open(canada.ok("list_account_changes", &[]).await).unwrap();
    assert!(change["description"].as_str().unwrap().contains("service account"), "the confirmer sees what it is: {change}");
    let change = change["id"].to_string();
    let made = canada.ok("decide_account_change", &[("id", &change), ("confirm", "true"), ("grounds", "")]).await;
    assert!(made.is_null(), "no password is made for a service account: {made}");
    let res = admin.call("reset_user_password", &[("id", &user)]).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("has no password"));

    // The admin asks; nobody but Canada's supervisor may confirm; the admin never sees the secret.
    let admin_password = s.passwords["admin"].clone();
    let mut form = vec![("user", user.as_str()), ("name", "RCMP records system"), ("read", "on"), ("write", "on"), ("days", "30")];
    let res = admin.call("ask_for_service_token", &form).await;
    assert_eq!(res.status(), 422, "a session left open sets no token going: the password is asked again");
    form.push(("password", admin_password.as_str()));
    let asked = admin.ok("ask_for_service_token", &form).await;
    assert_eq!(asked["confirmer"], "a supervisor in Canada");
    assert!(asked.to_string().find("ldt_").is_none());
    assert_eq!(admin.call("ask_for_service_token", &form).await.status(), 409, "one change of an account at a time");
    let person = support::user_id(&s.db, "rcmp.officer").await.to_string();
    let mut personal = form.clone();
    personal[0] = ("user", person.as_str());
    assert_eq!(admin.call("ask_for_service_token", &personal).await.status(), 404, "a person's tokens are theirs alone");
    assert_eq!(admin.call("service_tokens", &[("user", &person)]).await.status(), 404);
    assert_eq!(s.signed_in("rcmp.officer").await.call("ask_for_service_token", &form).await.status(), 403);
    let change = open(admin.ok("list_account_changes", &[]).await).unwrap();
    assert_eq!(change["kind"], "issue_token");
    assert!(change["description"].as_str().unwrap().contains("RCMP records system"), "{change}");
    let change = change["id"].to_string();
    assert_eq!(admin.call("decide_account_change", &[("id", &change), ("confirm", "true"), ("grounds", "")]).await.status(), 409);
    let mut india = s.signed_in("in.supervisor").await;
    assert_eq!(india.call("decide_account_change", &[("id", &change), ("confirm", "true"), ("grounds", "")]).await.status(), 404);
    assert!(admin.ok("service_tokens", &[("user", &user)]).await.as_array().unwrap().is_empty(), "nothing issued yet");
    // The confirmer too gives their password again: the secret outlives the session.
    let res = canada.call("decide_account_change", &[("id", &change), ("confirm", "true"), ("grounds", "")]).await;
    assert_eq!(res.status(), 422);
    assert!(admin.ok("service_tokens", &[("user", &user)]).await.as_array().unwrap().is_empty(), "nothing issued on a refusal");
    let canada_password = s.passwords["ca.supervisor"].clone();
    let confirm = [("id", change.as_str()), ("confirm", "true"), ("grounds", ""), ("password", canada_password.as_str())];
    let issued = canada.ok("decide_account_change", &confirm).await;
    let secret = issued["token"]["secret"].as_str().expect("the confirmer receives the secret").to_string();
    let token_id = issued["token"]["id"].as_i64().unwrap();

    // It acts as the RCMP's officer: its own agency's cases, not India's.
    let me = get(&s, "/api/v1/me", &secret).await;
    assert_eq!((me.body["username"].as_str(), me.body["agency_code"].as_str()), (Some("rcmp.rms"), Some("RCMP")), "{}", me.body);
    let case = post(&s, "/api/v1/cases", &secret, new_case("Stolen vehicles export", id, "")).await;
    assert_eq!(case.status, StatusCode::CREATED, "{}", case.body);
    let (_, ncb) = token(&s, "ncb.officer", &["read", "write"]).await;
    let ncb_lead = get(&s, "/api/v1/me", &ncb).await.body["id"].as_i64().unwrap();
    let indian = post(&s, "/api/v1/cases", &ncb, new_case("Hawala ledger", ncb_lead, "")).await.body["id"].as_i64().unwrap();
    assert_eq!(get(&s, &format!("/api/v1/cases/{indian}"), &secret).await.status, StatusCode::NOT_FOUND);
    // It opens no page: no session comes of a sign-in, whatever password is tried.
    let res = s.client().sign_in("rcmp.rms", &secret).await;
    assert_eq!(res.status(), 422);

    // The trail: the confirmer made it, the system's calls are the account's with the token's id.
    let maker: String = sqlx::query_scalar("SELECT username FROM audit_events WHERE action = 'token.create' AND object_id = ?")
        .bind(token_id)
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(maker, "ca.supervisor");
    let calls: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE username = 'rcmp.rms' AND json_extract(details, '$.api_token') = ?")
            .bind(token_id)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
    assert!(calls >= 1, "the case made by the system is in the trail as the account, with the token's id");

    // An admin sees it and revokes it; it is refused at once.
    let listed = admin.ok("service_tokens", &[("user", &user)]).await;
    assert_eq!(listed[0]["name"], "RCMP records system");
    admin.ok("revoke_service_token", &[("user", &user), ("id", &token_id.to_string())]).await;
    assert_eq!(get(&s, "/api/v1/me", &secret).await.status, StatusCode::UNAUTHORIZED);
}

/// A system reads its incoming requests 50 a page (the pages show 25), following `next_cursor` to the end:
/// every request once, in the inbox's order, and no cursor after the last page.
#[tokio::test]
async fn the_request_list_pages_by_fifty_to_the_end() {
    let s = TestServer::start_bare().await;
    let (_, rcmp) = token(&s, "rcmp.officer", &["read", "write"]).await;
    let (_, ncb) = token(&s, "ncb.officer", &["read"]).await;
    let lead = get(&s, "/api/v1/me", &rcmp).await.body["id"].as_i64().unwrap();
    let case_id = post(&s, "/api/v1/cases", &rcmp, new_case("Many questions", lead, "NCB")).await.body["id"].as_i64().unwrap();
    let agency =
        |code: &'static str| sqlx::query_scalar::<_, i64>("SELECT id FROM agencies WHERE code = ?").bind(code).fetch_one(&s.db.pool);
    let (from, to) = (agency("RCMP").await.unwrap(), agency("NCB").await.unwrap());
    let now = chrono::Utc::now();
    for n in 0..61i64 {
        // Each due an hour after the one before: the inbox's order (earliest due first) is the insertion order.
        sqlx::query(
            "INSERT INTO requests (case_id, kind, subject, body, priority, tlp, from_agency_id, to_agency_id, status, due_at, sent_at, \
             created_by, created_at, updated_at) VALUES (?, 'information', ?, 'b', 'normal', 'amber', ?, ?, 'sent', ?, ?, ?, ?, ?)",
        )
        .bind(case_id)
        .bind(format!("Question {n}"))
        .bind(from)
        .bind(to)
        .bind(now + chrono::Duration::hours(n + 1))
        .bind(now)
        .bind(lead)
        .bind(now)
        .bind(now)
        .execute(&s.db.pool)
        .await
        .unwrap();
    }

    let mut subjects = Vec::new();
    let mut sizes = Vec::new();
    let mut path = "/api/v1/requests?direction=incoming".to_string();
    loop {
        let page = get(&s, &path, &ncb).await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        let items = page.body["items"].as_array().unwrap();
        sizes.push(items.len());
        subjects.extend(items.iter().map(|i| i["subject"].as_str().unwrap().to_string()));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/requests?direction=incoming&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(sizes, vec![50, 11]);
    assert_eq!(subjects, (0..61).map(|n| format!("Question {n}")).collect::<Vec<_>>());

    // The page the officer reads still shows a screen's worth.
    let mut officer = s.signed_in("ncb.officer").await;
    let listed = officer.ok("list_requests", &[("filter[direction]", "incoming")]).await;
    assert_eq!(listed["requests"].as_array().unwrap().len(), 25);
    assert_eq!(listed["has_more"], true);
}
