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
    let mut lines: Vec<Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // The look-ups by id: the object's own URL gives it alone, unchanged, with its one version; match[id] too.
    let looked_up = lines.pop().unwrap();
    let id = looked_up["looked_up"].as_str().unwrap();
    assert_eq!(looked_up["again"], serde_json::json!([id]), "{looked_up}");
    assert_eq!(looked_up["same"], true, "{looked_up}");
    assert_eq!(looked_up["versions"].as_array().unwrap().len(), 1, "{looked_up}");
    assert_eq!(looked_up["matched"], serde_json::json!([id]), "{looked_up}");
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
    // An indicator under H2, so the feed holds a statement marking too.
    let mut officer = s.signed_in("cccs.officer").await;
    let case_id = officer.ok("list_cases", &[("filter[status]", "")]).await["cases"][0]["id"].to_string();
    officer
        .ok("add_indicator", &[("case_id", &case_id), ("kind", "domain"), ("value", "h2.example"), ("tlp", "amber"), ("h2", "on")])
        .await;
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
    let (_, theirs) = get(objects.clone(), ncb.clone()).await;
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
    // Filters the server does not support are refused, not ignored; so is an id that is not a STIX id.
    let (status, _) = get(format!("{objects}?match[created_by_ref]=identity--00000000-0000-0000-0000-000000000000"), cccs.clone()).await;
    assert_eq!(status, 400);
    let (status, _) = get(format!("{objects}?match[id]=indicator--1%27%20OR%201=1"), cccs.clone()).await;
    assert_eq!(status, 400);
    let (status, _) = get(format!("{objects}?match[version]=yesterday"), cccs.clone()).await;
    assert_eq!(status, 400);
    let hundred_and_one: Vec<String> = (0..101).map(|n| format!("indicator--00000000-0000-0000-0000-{n:012}")).collect();
    let (status, _) = get(format!("{objects}?match[id]={}", hundred_and_one.join(",")), cccs.clone()).await;
    assert_eq!(status, 400);

    // By id: one of the CCCS's indicators, with the statement markings of its handling conditions.
    let indicator = all.iter().rev().find(|o| o["type"] == "indicator").unwrap();
    let (iid, version) = (indicator["id"].as_str().unwrap(), indicator["modified"].as_str().unwrap());
    let marking = all.iter().find(|o| o["type"] == "marking-definition").unwrap()["id"].as_str().unwrap();
    // Paged by one: each page holds the one row's objects asked for, and `next` goes on to the other.
    let (mut paged, mut next, mut pages) = (BTreeSet::new(), String::new(), 0);
    loop {
        let (status, page) = get(format!("{objects}?match[id]={iid},{marking}&limit=1{next}"), cccs.clone()).await;
        assert_eq!(status, 200);
        pages += 1;
        paged.extend(page["objects"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().to_string()));
        match page["next"].as_str() {
            Some(n) => next = format!("&next={n}"),
            None => break,
        }
        assert!(pages < 5, "{page}");
    }
    assert_eq!(paged, BTreeSet::from([iid.to_string(), marking.to_string()]));
    let (_, both) = get(format!("{objects}?match[id]={iid},{marking}"), cccs.clone()).await;
    let ids: BTreeSet<&str> = both["objects"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(ids, BTreeSet::from([iid, marking]), "exactly the two asked for: {both}");
    assert_eq!(both["more"], false);
    let (status, one) = get(format!("{objects}{iid}/"), cccs.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(one["objects"].as_array().unwrap(), &vec![indicator.clone()]);
    let (_, at) = get(format!("{objects}{iid}/?match[version]={version}"), cccs.clone()).await;
    assert_eq!(at["objects"][0]["id"], iid);
    let (status, _) = get(format!("{objects}{iid}/?match[version]=2020-01-01T00:00:00Z"), cccs.clone()).await;
    assert_eq!(status, 404, "no object of that version");
    let (status, versions) = get(format!("{objects}{iid}/versions/"), cccs.clone()).await;
    assert_eq!((status.as_u16(), &versions["versions"]), (200, &serde_json::json!([version])));
    let (status, _) = get(format!("{objects}{iid}/?match[id]={iid}"), cccs.clone()).await;
    assert_eq!(status, 400);
    // Unknown, malformed and another agency's: all 404 alike.
    for path in [
        format!("{objects}indicator--00000000-0000-0000-0000-000000000000/"),
        format!("{objects}not-an-id/"),
        format!("{objects}indicator--00000000-0000-0000-0000-000000000000/versions/"),
        // Types the feed does not hold are not looked for; an object's URL names one object.
        format!("{objects}identity--00000000-0000-0000-0000-000000000000/"),
        format!("{objects}{iid},{marking}/"),
    ] {
        let (status, err) = get(path.clone(), cccs.clone()).await;
        assert_eq!((status.as_u16(), err["http_status"].as_str()), (404, Some("404")), "{path}");
    }
    let (_, ncb_feed) = get(objects.clone(), ncb.clone()).await;
    let ncb_sees: BTreeSet<&str> =
        ncb_feed["objects"].as_array().map(|a| a.iter().map(|o| o["id"].as_str().unwrap()).collect()).unwrap_or_default();
    let hidden = all.iter().filter(|o| o["type"] == "indicator").map(|o| o["id"].as_str().unwrap()).find(|id| !ncb_sees.contains(id));
    let hidden = hidden.expect("an indicator of the CCCS's that the NCB may not see");
    for path in [format!("{objects}{hidden}/"), format!("{objects}{hidden}/versions/")] {
        let (status, _) = get(path.clone(), ncb.clone()).await;
        assert_eq!(status, 404, "{path}");
    }
    let (status, none) = get(format!("{objects}?match[id]={hidden}"), ncb.clone()).await;
    assert_eq!(status, 200);
    assert!(none.get("objects").is_none(), "{none}");
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

/// Ids are not stored, so a look-up reads the caller's share in chunks: one added after the first chunk
/// is still found, by its URL and by `match[id]`, and an unknown one reads to the end and finds nothing.
#[tokio::test]
async fn an_object_past_the_first_chunk_is_found_by_id() {
    let s = TestServer::start().await;
    let mut officer = s.signed_in("cccs.officer").await;
    let case_id = officer.ok("list_cases", &[("filter[status]", "")]).await["cases"][0]["id"].to_string();
    let lines: Vec<String> = (0..650).map(|n| format!("host-{n}.scan.example")).collect();
    officer.ok("bulk_add_indicators", &[("case_id", &case_id), ("text", &lines.join("\n")), ("tlp", "green")]).await;
    officer.ok("add_indicator", &[("case_id", &case_id), ("kind", "domain"), ("value", "last.scan.example"), ("tlp", "green")]).await;
    let secret = token(&s, "cccs.officer").await;
    let http = reqwest::Client::new();
    let objects = format!("{}/taxii2/api1/collections/5f3c0e7a-9d1b-4a5e-8c2f-6b7d1e0a4c93/objects/", s.base);
    let get = |url: String| {
        let (http, secret) = (http.clone(), secret.clone());
        async move {
            let res = http.get(url).bearer_auth(secret).send().await.unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap())
        }
    };
    // The newest indicator is the last of the feed: its id, read from the last page.
    let (_, last_page) = get(format!("{objects}?added_after=2000-01-01T00:00:00Z&limit=1000")).await;
    assert_eq!(last_page["more"], false);
    let all = last_page["objects"].as_array().unwrap();
    assert!(all.len() > 650, "{}", all.len());
    let last = all.last().unwrap();
    assert!(last["pattern"].as_str().unwrap().contains("last.scan.example"), "{last}");
    let id = last["id"].as_str().unwrap();
    let (status, one) = get(format!("{objects}{id}/")).await;
    assert_eq!(status, 200);
    assert_eq!(one["objects"], serde_json::json!([last]));
    let (_, matched) = get(format!("{objects}?match[id]={id}")).await;
    assert_eq!((&matched["objects"][0]["id"], &matched["more"]), (&serde_json::json!(id), &serde_json::json!(false)));
    let (status, _) = get(format!("{objects}indicator--00000000-0000-0000-0000-000000000000/")).await;
    assert_eq!(status, 404);
}
