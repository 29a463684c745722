//! Hostile input over the whole HTTP surface (proptest): random, oversized, malformed and wrongly typed
//! fields for every server function, as nobody, an officer and an admin. Never a 5xx (nor a panic, which
//! would be one), and a refusal writes nothing but its audit event.

mod support;

use proptest::prelude::*;
use std::sync::OnceLock;
use support::{fingerprint, Client, TestServer};

/// Field names the server functions read, and some they do not.
const NAMES: &[&str] = &[
    "id",
    "case_id",
    "q",
    "filter[q]",
    "filter[page]",
    "filter[direction]",
    "filter[status]",
    "filter[priority]",
    "title",
    "summary",
    "category",
    "priority",
    "tlp",
    "lead",
    "parties",
    "links",
    "version",
    "status",
    "kind",
    "value",
    "first_seen",
    "name",
    "text",
    "subject",
    "body",
    "to_agency",
    "due",
    "intent",
    "directly_available",
    "source_grade",
    "info_grade",
    "attachments",
    "reason",
    "username",
    "password",
    "display_name",
    "role",
    "agency",
    "enabled",
    "time_zone",
    "code",
    "country",
    "confirm",
    "grounds",
    "user",
    "current",
    "new_password",
    "min_priority",
    "before",
    "filter",
    "filter[user]",
    "legal_basis",
    "legal_basis_note",
    "mla_reference",
    "h2",
    "h3",
    "response_id",
    "request_id",
    "purpose",
    "pass_to",
    "decision",
    "answer",
    "x",
    "",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("abc".to_string()),
        Just("-1".to_string()),
        Just("9223372036854775807".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("maybe".to_string()),
        Just("1.5".to_string()),
        Just("{\"id\":1}".to_string()),
        Just("' OR 1=1 --".to_string()),
        Just("\u{0}\u{202e}\u{feff}".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "\\PC{0,40}",
        (1usize..200_000).prop_map(|n| "x".repeat(n)),
    ]
}

fn form() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((prop::sample::select(NAMES).prop_map(str::to_string), value()), 0..6)
}

struct World {
    rt: tokio::runtime::Runtime,
    server: TestServer,
    endpoints: Vec<String>,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        // Every case signs in afresh: the per-address sign-in limit would otherwise stop the test itself.
        let args = server::config::ServeArgs { signin_per_ip_per_minute: 1_000_000, ..Default::default() };
        let server = rt.block_on(TestServer::start_with(args));
        let endpoints = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.trim_start_matches("/api/").to_string())
            // Signing out would end the sessions the other cases use; it takes no input anyway.
            .filter(|e| e != "logout")
            .collect();
        World { rt, server, endpoints }
    })
}

async fn client(s: &TestServer, who: usize) -> Client {
    match who {
        0 => s.client(),
        1 => s.signed_in("ncb.officer").await,
        _ => s.signed_in("admin").await,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_input_makes_a_server_function_fail_on_the_server(endpoint in 0usize..1000, who in 0usize..3, form in form(), json in any::<bool>()) {
        let w = world();
        let endpoint = w.endpoints[endpoint % w.endpoints.len()].clone();
        let (status, text, changed) = w.rt.block_on(async {
            let c = client(&w.server, who).await;
            let before = fingerprint(&w.server).await;
            let url = format!("{}/api/{endpoint}", w.server.base);
            let rb = if json {
                // A body of the wrong kind entirely.
                let body: serde_json::Map<String, serde_json::Value> = form.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
                c.http.post(url).header("accept", "application/json").json(&body)
            } else {
                c.http.post(url).header("accept", "application/json").form(&form)
            };
            let res = c.with_cookie(rb).send().await.unwrap();
            let status = res.status().as_u16();
            let text: String = res.text().await.unwrap_or_default().chars().take(300).collect();
            let changed = fingerprint(&w.server).await != before;
            (status, text, changed)
        });
        prop_assert!(status < 500, "{endpoint} answered {status} to {form:?} (json: {json}): {text}");
        if status >= 400 {
            prop_assert!(!changed, "{endpoint} refused ({status}) but changed data: {form:?}");
            prop_assert!(!text.is_empty() || status == 413, "{endpoint} refused ({status}) without saying why");
        }
    }
}

/// A request list's filter that no page offers (an unknown status, a counterpart that is no agency code, a
/// week at the calendar's end) is refused in words before it is looked up: it would otherwise be kept as a
/// list's key, or overflow the week after it.
#[tokio::test]
async fn a_request_list_filter_no_page_offers_is_refused_in_words() {
    let s = TestServer::start().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let long = "A".repeat(10_000);
    for (field, value, named) in [
        ("filter[status]", "not-a-status", "status"),
        ("filter[counterpart]", long.as_str(), "counterpart"),
        ("filter[sent_week]", "+262142-12-30", "week"),
        ("filter[answered_week]", "+262142-12-30", "week"),
    ] {
        let res = ncb.call("list_requests", &[("filter[direction]", "both"), (field, value)]).await;
        assert_eq!(res.status(), 422, "{field}");
        let body = res.text().await.unwrap();
        assert!(body.contains(named) && body.contains("not one the list offers"), "{field}: {body}");
    }
    // What the pages offer still lists.
    let open = ncb.ok("list_requests", &[("filter[direction]", "both"), ("filter[status]", "open"), ("filter[counterpart]", "RCMP")]).await;
    assert!(!open["requests"].as_array().unwrap().is_empty());
}
