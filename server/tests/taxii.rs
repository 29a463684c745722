//! TAXII 2.1: a real TAXII client (the OASIS `taxii2-client`, with `stix2` parsing every object, from the
//! virtual environment `scripts/ensure-tools.sh --tests` makes) reads the collection page by page; it holds
//! exactly the indicators the token's owner sees on the case pages, never TLP:RED; paging and
//! `added_after` work; another agency sees only its own share.

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use support::TestServer;

async fn token(s: &TestServer, username: &str) -> String {
    let mut c = s.signed_in(username).await;
    let password = s.passwords[username].clone();
    let issued = c.ok("create_token", &[("name", "MISP"), ("read", "on"), ("password", &password)]).await;
    issued["secret"].as_str().unwrap().to_string()
}

/// The indicators `username` sees on the pages of every case they may see: (value, tlp).
async fn seen_on_pages(s: &TestServer, username: &str) -> BTreeSet<(String, String)> {
    let mut c = s.signed_in(username).await;
    let cases = c.ok("list_cases", &[("filter[status]", "")]).await;
    let mut seen = BTreeSet::new();
    for case in cases["cases"].as_array().unwrap() {
        let view = c.ok("get_case", &[("id", &case["id"].to_string())]).await;
        for i in view["indicators"].as_array().unwrap() {
            seen.insert((i["value"].as_str().unwrap().to_string(), i["tlp"].as_str().unwrap().to_string()));
        }
    }
    seen
}

fn python() -> std::path::PathBuf {
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv-tests/bin/python");
    assert!(venv.exists(), "{} is missing: `scripts/ensure-tools.sh --tests` (run by `make test`) makes it", venv.display());
    venv
}

#[tokio::test]
async fn a_taxii_client_reads_what_the_agency_sees_and_never_red() {
    let s = TestServer::start().await;
    // A RED indicator on a case the CCCS may see: it must not leave.
    let mut cccs = s.signed_in("cccs.officer").await;
    let cases = cccs.ok("list_cases", &[("filter[status]", "")]).await;
    let case_id = cases["cases"][0]["id"].to_string();
    cccs.ok("add_indicator", &[("case_id", &case_id), ("kind", "domain"), ("value", "red-only.example"), ("tlp", "red")]).await;
    cccs.ok("add_indicator", &[("case_id", &case_id), ("kind", "domain"), ("value", "shared.example"), ("tlp", "green")]).await;
    // Added at once (the same millisecond, most likely): paging must neither lose nor repeat any.
    let lines = "198.51.100.1\n198.51.100.2\nbotnet-c2.example\nhttps://drop.example/payload.bin";
    cccs.ok("bulk_add_indicators", &[("case_id", &case_id), ("text", lines), ("tlp", "amber"), ("h2", "on")]).await;

    let on_pages = seen_on_pages(&s, "cccs.officer").await;
    assert!(on_pages.contains(&("red-only.example".into(), "red".into())), "the page shows the RED one to its adder");
    let expected: BTreeSet<String> = on_pages.iter().filter(|(_, tlp)| tlp != "red").map(|(v, _)| v.clone()).collect();
    assert!(expected.len() >= 6, "the CCCS has several indicators to read: {expected:?}");

    let secret = token(&s, "cccs.officer").await;
    let (base, py) = (s.base.clone(), python());
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/taxii_check.py");
    let out = tokio::task::spawn_blocking(move || std::process::Command::new(py).arg(script).args([&base, &secret, "2"]).output())
        .await
        .unwrap()
        .unwrap();
    assert!(out.status.success(), "taxii client failed: {}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let objects: Vec<&Value> = lines.iter().filter(|l| l["type"] == "indicator").collect();
    // The handling conditions travel as statement markings, each sent before the indicators it marks.
    let statements: BTreeSet<(String, String)> = lines
        .iter()
        .filter(|l| l["type"] == "marking-definition")
        .map(|l| (l["id"].as_str().unwrap().to_string(), l["statement"].as_str().unwrap().to_string()))
        .collect();
    let h2 = statements.iter().find(|(_, s)| s.starts_with("H2: not to be passed on")).expect("the H2 statement").0.clone();
    let bulk = objects.iter().find(|o| o["pattern"].as_str().unwrap().contains("198.51.100.1'")).unwrap();
    assert_eq!(bulk["markings"].as_array().unwrap().iter().filter(|m| m.as_str() == Some(h2.as_str())).count(), 1);
    for o in &objects {
        for m in o["markings"].as_array().unwrap().iter().skip(1) {
            assert!(statements.iter().any(|(id, _)| Some(id.as_str()) == m.as_str()), "{m} is sent in the feed");
        }
    }
    let pages = lines.last().unwrap()["pages"].as_u64().unwrap();
    assert!(pages >= 2, "read in pages of 2: {pages}");
    let got: BTreeSet<String> = objects
        .iter()
        .map(|o| {
            let p = o["pattern"].as_str().unwrap();
            p[p.find('\'').unwrap() + 1..p.rfind('\'').unwrap()].to_string()
        })
        .collect();
    assert_eq!(got, expected, "the feed holds what the pages show, RED excepted");
    assert_eq!(objects.len(), expected.len(), "each once, across pages");
    let red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    assert!(objects.iter().all(|o| o["marking"] != red));
}

#[tokio::test]
async fn added_after_and_another_agency_see_only_their_share() {
    let s = TestServer::start().await;
    let http = reqwest::Client::new();
    let cccs = token(&s, "cccs.officer").await;
    let get = |path: String, t: String| {
        let http = http.clone();
        let base = s.base.clone();
        async move {
            let res = http
                .get(format!("{base}{path}"))
                .bearer_auth(t)
                .header("accept", "application/taxii+json;version=2.1")
                .send()
                .await
                .unwrap();
            let status = res.status();
            assert_eq!(res.headers()["content-type"], "application/taxii+json;version=2.1");
            (status, res.json::<Value>().await.unwrap())
        }
    };
    let objects = format!("/taxii2/api1/collections/{}/objects/", "5f3c0e7a-9d1b-4a5e-8c2f-6b7d1e0a4c93");
    let res = http.get(format!("{}{objects}", s.base)).bearer_auth(&cccs).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let last_added = res.headers()["x-taxii-date-added-last"].to_str().unwrap().to_string();
    let all = res.json::<Value>().await.unwrap()["objects"].as_array().cloned().unwrap_or_default();
    assert!(!all.is_empty());
    let (_, later) = get(format!("{objects}?added_after={last_added}"), cccs.clone()).await;
    assert!(later.get("objects").is_none(), "nothing added after the last one: {later}");
    assert_eq!(later["more"], false);

    // The NCB sees its own share: none of the CCCS's grid-attack indicators unless it is a party.
    let ncb = token(&s, "ncb.officer").await;
    let (_, theirs) = get(objects.clone(), ncb).await;
    let ncb_ids: BTreeSet<String> = theirs["objects"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .filter(|id| id.starts_with("indicator--"))
        .collect();
    let ncb_pages = seen_on_pages(&s, "ncb.officer").await;
    assert_eq!(ncb_ids.len(), ncb_pages.iter().filter(|(_, t)| t != "red").count());

    // A forged `next`, a bad timestamp: 400 in TAXII's own error format.
    let (status, err) = get(format!("{objects}?next=abcd"), cccs.clone()).await;
    assert_eq!((status.as_u16(), err["http_status"].as_str()), (400, Some("400")));
    let (status, _) = get(format!("{objects}?added_after=yesterday"), cccs.clone()).await;
    assert_eq!(status, 400);
    // Filters the server does not support are refused, not ignored.
    let (status, _) = get(format!("{objects}?match[id]=indicator--00000000-0000-0000-0000-000000000000"), cccs.clone()).await;
    assert_eq!(status, 400);
    // No token: refused in TAXII's format, with a Basic challenge TAXII clients answer.
    let res = http.get(format!("{}{objects}", s.base)).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["content-type"], "application/taxii+json;version=2.1");
    assert!(res.headers()["www-authenticate"].to_str().unwrap().contains("Basic"));

    // TLP:AMBER+STRICT is for the recipient organisation: Canada's supervisor (RCMP) reads the CCCS's on the
    // pages, but the RCMP's feed does not carry it.
    let mut cccs_officer = s.signed_in("cccs.officer").await;
    let cases = cccs_officer.ok("list_cases", &[("filter[status]", "")]).await;
    let case_id = cases["cases"][0]["id"].to_string();
    cccs_officer
        .ok("add_indicator", &[("case_id", &case_id), ("kind", "domain"), ("value", "strict-only.example"), ("tlp", "amber_strict")])
        .await;
    assert!(seen_on_pages(&s, "ca.supervisor").await.contains(&("strict-only.example".into(), "amber_strict".into())));
    let (_, sup_feed) = get(objects.clone(), token(&s, "ca.supervisor").await).await;
    let text = sup_feed.to_string();
    assert!(!text.contains("strict-only.example"), "{text}");
    let (_, own_feed) = get(objects.clone(), cccs.clone()).await;
    assert!(own_feed.to_string().contains("strict-only.example"), "the adding agency's own feed carries it");
    // The feed does not say which agency added an indicator (the pages do not either).
    let by: BTreeSet<&str> = own_feed["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["type"] == "indicator")
        .map(|o| o["created_by_ref"].as_str().unwrap())
        .collect();
    assert_eq!(by.len(), 1, "{by:?}");
}
