//! Oversight over real HTTP: the dashboard against hand-computed figures, full-text search with
//! need-to-know, CSV exports.

mod support;

use chrono::{DateTime, Duration, Utc};
use support::TestServer;

async fn agency(s: &TestServer, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM agencies WHERE code = ?").bind(code).fetch_one(&s.db.pool).await.unwrap()
}

async fn case(s: &TestServer, owner: &str, lead: &str, category: &str, title: &str, parties: &[&str]) -> i64 {
    let now = Utc::now();
    let owner_id = agency(s, owner).await;
    let lead_id = support::user_id(&s.db, lead).await;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cases (reference, title, summary, category, priority, status, tlp, owner_agency_id, lead_user_id, created_by, created_at, updated_by, updated_at) \
         VALUES (?, ?, '', ?, 'normal', 'active', 'amber', ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(format!("LD-2026-9{:05}", sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM cases").fetch_one(&s.db.pool).await.unwrap() + 1))
    .bind(title)
    .bind(category)
    .bind(owner_id)
    .bind(lead_id)
    .bind(lead_id)
    .bind(now)
    .bind(lead_id)
    .bind(now)
    .fetch_one(&s.db.pool)
    .await
    .unwrap();
    for p in std::iter::once(&owner).chain(parties.iter()) {
        let a = agency(s, p).await;
        sqlx::query("INSERT INTO case_parties (case_id, agency_id, added_at) VALUES (?, ?, ?)")
            .bind(id)
            .bind(a)
            .bind(now)
            .execute(&s.db.pool)
            .await
            .unwrap();
    }
    id
}

/// A request with exact times: sent `sent_ago` before now, acknowledged / answered that many hours after.
#[allow(clippy::too_many_arguments)]
async fn request(
    s: &TestServer,
    case_id: i64,
    from: &str,
    to: &str,
    sent_ago: Duration,
    ack_h: Option<i64>,
    answer_h: Option<i64>,
    due_h: i64,
    status: &str,
) {
    let now = Utc::now();
    let sent: DateTime<Utc> = now - sent_ago;
    let creator = support::user_id(&s.db, "rcmp.officer").await;
    sqlx::query(
        "INSERT INTO requests (case_id, kind, subject, body, priority, tlp, from_agency_id, to_agency_id, status, due_at, sent_at, \
         acknowledged_at, answered_at, created_by, created_at, updated_at) VALUES (?, 'information', 'Fixture request', 'b', 'normal', 'amber', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(case_id)
    .bind(agency(s, from).await)
    .bind(agency(s, to).await)
    .bind(status)
    .bind(sent + Duration::hours(due_h))
    .bind(sent)
    .bind(ack_h.map(|h| sent + Duration::hours(h)))
    .bind(answer_h.map(|h| sent + Duration::hours(h)))
    .bind(creator)
    .bind(sent)
    .bind(now)
    .execute(&s.db.pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn dashboard_figures_match_hand_computed_values() {
    let s = TestServer::start_bare().await;
    let shared = case(&s, "NCB", "ncb.officer", "drug_precursors", "Shared precursor case", &["RCMP"]).await;
    // Received by India from RCMP in the last 30 days.
    request(&s, shared, "RCMP", "NCB", Duration::days(10), Some(2), Some(10), 8, "answered").await; // late
    request(&s, shared, "RCMP", "NCB", Duration::days(9), Some(4), Some(20), 72, "answered").await; // in time
    request(&s, shared, "RCMP", "NCB", Duration::days(8), Some(6), Some(30), 168, "answered").await; // in time
    request(&s, shared, "RCMP", "NCB", Duration::days(7), Some(8), None, 8, "acknowledged").await; // overdue
    request(&s, shared, "RCMP", "NCB", Duration::hours(1), None, None, 8, "sent").await; // due within 24 h
                                                                                         // Sent by India, old enough to fall outside 30 days but inside 90.
    request(&s, shared, "NCB", "RCMP", Duration::days(60), Some(1), Some(5), 168, "answered").await;
    // A Canadian-only case: India must never count it.
    case(&s, "RCMP", "rcmp.officer", "fraud", "Canadian private fraud case", &["CSIS"]).await;

    let mut sup = s.signed_in("in.supervisor").await;
    let d = sup.ok("dashboard", &[]).await;
    let cats: Vec<(String, i64)> = d["open_cases_by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["label"].as_str().unwrap().to_string(), f["value"].as_i64().unwrap()))
        .collect();
    assert_eq!(cats, vec![("Drug precursors".to_string(), 1)], "the Canadian-only fraud case is not counted");
    assert_eq!(d["overdue_incoming"]["value"], 1);
    assert_eq!(d["overdue_incoming"]["link"], "/requests?direction=incoming&overdue=1");
    assert_eq!(d["overdue_outgoing"]["value"], 0);
    assert_eq!(d["due_within_24h"]["value"], 1);

    let rows = d["timeliness"].as_array().unwrap();
    let row = |days: i64, dir: &str, cp: &str| {
        rows.iter().find(|r| r["window_days"] == days && r["direction"] == dir && r["counterpart"] == cp).cloned()
    };
    let r = row(30, "received", "All").expect("30-day received row");
    assert_eq!(r["requests"], 5);
    assert_eq!(r["ack_median_hours"].as_f64().unwrap().round(), 4.0); // ranks of [2,4,6,8]: 2nd
    assert_eq!(r["ack_p90_hours"].as_f64().unwrap().round(), 8.0); // ceil(0.9 × 4) = 4th
    assert_eq!(r["answer_median_hours"].as_f64().unwrap().round(), 20.0); // [10,20,30]: 2nd
    assert_eq!(r["answer_p90_hours"].as_f64().unwrap().round(), 30.0); // ceil(2.7) = 3rd
    assert!((r["within_deadline"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(row(30, "received", "RCMP").unwrap()["requests"], 5);
    assert!(row(30, "sent", "All").is_none(), "nothing sent by India in 30 days");
    let sent90 = row(90, "sent", "All").expect("90-day sent row");
    assert_eq!(sent90["requests"], 1);
    assert_eq!(sent90["answer_median_hours"].as_f64().unwrap().round(), 5.0);
    assert_eq!(sent90["within_deadline"].as_f64().unwrap(), 1.0);

    let trend = d["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 26);
    let sum = |k: &str| trend.iter().map(|w| w[k].as_i64().unwrap()).sum::<i64>();
    assert_eq!(sum("received"), 5);
    assert_eq!(sum("sent"), 1);
    assert_eq!(sum("answered"), 3, "answered by us: the three answered requests India received");

    let ncb = d["workload"].as_array().unwrap().iter().find(|o| o["name"] == "Priya Sharma").unwrap().clone();
    assert_eq!(ncb["open_cases_led"], 1);
    assert_eq!(ncb["open_requests"], 2);
    assert_eq!(ncb["overdue"], 1);

    // The Canadian supervisor's view of the same data: the private case counts there.
    let mut ca = s.signed_in("ca.supervisor").await;
    let d = ca.ok("dashboard", &[]).await;
    let total: i64 = d["open_cases_by_category"].as_array().unwrap().iter().map(|f| f["value"].as_i64().unwrap()).sum();
    assert_eq!(total, 2);
    assert_eq!(d["overdue_outgoing"]["value"], 1);
    // The page's render is kept and shared per country: each supervisor gets their own country's, the
    // India page first so a key without the country would hand it to Canada (in the same time zone, which
    // is part of the key too).
    sqlx::query("UPDATE users SET time_zone = 'Asia/Kolkata' WHERE username = 'ca.supervisor'").execute(&s.db.pool).await.unwrap();
    let india_page = sup.get("/dashboard").await.text().await.unwrap();
    let canada_page = ca.get("/dashboard").await.text().await.unwrap();
    assert!(india_page.contains("Dashboard · India") && india_page.contains("Priya Sharma"));
    assert!(canada_page.contains("Dashboard · Canada"), "Canada's page is Canada's");
    assert!(!canada_page.contains("Priya Sharma") && !canada_page.contains("Dashboard · India"), "nothing of India's page");
    let mut other = s.signed_in("in.supervisor").await;
    assert!(other.get("/dashboard").await.text().await.unwrap().contains("Priya Sharma"));
    // Officers and admins have no dashboard.
    let mut officer = s.signed_in("ncb.officer").await;
    assert_eq!(officer.call("dashboard", &[]).await.status(), 403);
    assert_eq!(officer.call("dashboard_page", &[]).await.status(), 403);
}

/// The rows a list link selects, counted through the list's own server function (as the page gets them).
async fn listed(client: &mut support::Client, link: &str) -> usize {
    let (path, query) = link.split_once('?').unwrap_or((link, ""));
    let (endpoint, key) = match path {
        "/cases" => ("list_cases", "cases"),
        "/requests" => ("list_requests", "requests"),
        other => panic!("a dashboard link to {other}"),
    };
    let params: Vec<(String, String)> =
        query.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (format!("filter[{k}]"), v.to_string())).collect();
    let form: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = client.ok(endpoint, &form).await;
    assert_eq!(page["has_more"], false, "{link}: one page holds the fixture");
    page[key].as_array().unwrap().len()
}

#[tokio::test]
async fn every_dashboard_figure_links_to_exactly_the_rows_it_counts() {
    let s = TestServer::start_bare().await;
    let shared = case(&s, "NCB", "ncb.officer", "drug_precursors", "Shared precursor case", &["RCMP"]).await;
    let closed = case(&s, "NCB", "ncb.officer", "fraud", "Closed fraud case", &[]).await;
    sqlx::query("UPDATE cases SET status = 'closed' WHERE id = ?").bind(closed).execute(&s.db.pool).await.unwrap();
    case(&s, "RCMP", "rcmp.officer", "fraud", "Canadian private fraud case", &["CSIS"]).await;
    request(&s, shared, "RCMP", "NCB", Duration::days(10), Some(2), Some(10), 8, "answered").await;
    request(&s, shared, "RCMP", "NCB", Duration::days(7), Some(8), None, 8, "acknowledged").await; // overdue
    request(&s, shared, "RCMP", "NCB", Duration::hours(1), None, None, 8, "sent").await; // due within 24 h
    request(&s, shared, "NCB", "RCMP", Duration::days(60), Some(1), Some(5), 168, "answered").await;
    request(&s, shared, "NCB", "RCMP", Duration::days(5), None, None, 168, "sent").await;
    // Shared for information: in the lists, but no answer is expected, so not in the timeliness rows.
    sqlx::query("UPDATE requests SET kind = 'intelligence_share' WHERE id = (SELECT MAX(id) FROM requests)")
        .execute(&s.db.pool)
        .await
        .unwrap();
    // Not yet approved by its sender: India has not received it.
    request(&s, shared, "RCMP", "NCB", Duration::hours(2), None, None, 72, "awaiting_approval").await;
    sqlx::query("UPDATE requests SET sent_at = NULL, due_at = NULL WHERE id = (SELECT MAX(id) FROM requests)")
        .execute(&s.db.pool)
        .await
        .unwrap();

    for supervisor in ["in.supervisor", "ca.supervisor"] {
        let mut sup = s.signed_in(supervisor).await;
        let d: app::model::DashboardView = serde_json::from_value(sup.ok("dashboard", &[]).await).unwrap();
        // In charge on each side: India's case lead for everything on her case; on Canada's side, the
        // RCMP officer who sent Canada's requests on India's case (the one received by Canada is untaken).
        let load = |name: &str| d.workload.iter().find(|o| o.name == name).map(|o| (o.open_requests, o.overdue));
        match supervisor {
            "in.supervisor" => assert_eq!(load("Priya Sharma"), Some((3, 1)), "India's workload"),
            _ => assert_eq!(load("Daniel Tremblay"), Some((2, 1)), "Canada's workload"),
        }
        // India's intelligence share to RCMP, on India's case, has not been acknowledged by anyone in Canada.
        let untaken = if supervisor == "in.supervisor" { 0 } else { 1 };
        assert_eq!((d.untaken.value, d.untaken_overdue.value), (untaken, 0), "{supervisor}: received, not yet taken");
        let mut figures: Vec<(String, String, i64)> = Vec::new();
        for f in d
            .open_cases_by_category
            .iter()
            .chain(&d.open_cases_by_priority)
            .chain(&d.incoming_by_status)
            .chain(&d.outgoing_by_status)
            .chain([&d.overdue_incoming, &d.overdue_outgoing, &d.due_within_24h, &d.untaken, &d.untaken_overdue])
        {
            figures.push((f.label.clone(), f.link.clone(), f.value));
        }
        for r in &d.timeliness {
            figures.push((format!("timeliness {} {} {}", r.window_days, r.direction, r.counterpart), r.link(), r.requests));
        }
        for w in &d.trend {
            figures.push((format!("week of {}: sent", w.week), w.sent_link(), w.sent));
            figures.push((format!("week of {}: received", w.week), w.received_link(), w.received));
            figures.push((format!("week of {}: answered", w.week), w.answered_link(), w.answered));
        }
        for o in &d.workload {
            figures.push((format!("{}: open cases led", o.name), o.cases_link(), o.open_cases_led));
            figures.push((format!("{}: open requests", o.name), o.open_requests_link(), o.open_requests));
            figures.push((format!("{}: overdue", o.name), o.overdue_link(), o.overdue));
        }
        assert!(figures.iter().filter(|f| f.2 > 0).count() >= 10, "{supervisor}: the fixture gives most figures something to count");
        for (label, link, value) in figures {
            assert_eq!(
                listed(&mut sup, &link).await as i64,
                value,
                "{supervisor}: “{label}” counts {value}, its link {link} lists otherwise"
            );
        }
    }
}

#[tokio::test]
async fn supervisors_share_one_dashboard_computation_until_it_ages() {
    let s = TestServer::start_bare_with(server::config::ServeArgs { dashboard_max_age_secs: 2, ..Default::default() }).await;
    let shared = case(&s, "NCB", "ncb.officer", "fraud", "Shared fraud case", &["RCMP"]).await;
    request(&s, shared, "RCMP", "NCB", Duration::hours(1), None, None, 8, "sent").await;
    let mut sup = s.signed_in("in.supervisor").await;
    let first = sup.ok("dashboard", &[]).await;
    assert_eq!(first["due_within_24h"]["value"], 1);
    assert!(first["as_of"]["text"].as_str().unwrap().contains("IST"), "as-of time in the viewer's zone: {}", first["as_of"]["text"]);

    request(&s, shared, "RCMP", "NCB", Duration::hours(2), None, None, 8, "sent").await;
    let mut others = Vec::new();
    for _ in 0..3 {
        others.push(s.signed_in("in.supervisor").await);
    }
    let views = futures_util::future::join_all(others.iter_mut().map(|c| c.ok("dashboard", &[]))).await;
    for v in &views {
        assert_eq!(v["as_of"]["at"], first["as_of"]["at"], "views within the lifetime share the first computation");
        assert_eq!(v["due_within_24h"]["value"], 1);
    }

    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    // Aged: views still get the previous figures at once, and one recomputation starts behind them.
    let views = futures_util::future::join_all(others.iter_mut().map(|c| c.ok("dashboard", &[]))).await;
    assert!(views.iter().all(|v| v["as_of"]["at"] == first["as_of"]["at"] && v["due_within_24h"]["value"] == 1));
    let mut fresh = None;
    for _ in 0..50 {
        let v = sup.ok("dashboard", &[]).await;
        if v["as_of"]["at"] != first["as_of"]["at"] {
            fresh = Some(v);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let fresh = fresh.expect("the recomputed figures arrive");
    assert_eq!(fresh["due_within_24h"]["value"], 2, "the recomputation counts the new request");
}

#[tokio::test]
async fn search_finds_each_kind_only_for_those_who_may_see_it_and_follows_updates() {
    let s = TestServer::start_bare().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let me = support::user_id(&s.db, "ncb.officer").await.to_string();
    let c = ncb
        .ok(
            "create_case",
            &[
                ("title", "Tramadol tablets hidden in textile bales"),
                ("summary", "Shipments via Mundra port"),
                ("category", "drug_precursors"),
                ("priority", "high"),
                ("tlp", "amber"),
                ("lead", &me),
                ("parties", ""),
                ("links", ""),
            ],
        )
        .await;
    let case_id = c["id"].to_string();
    let r = ncb
        .ok(
            "create_request",
            &[
                ("case_id", &case_id),
                ("kind", "information"),
                ("subject", "Importer of record"),
                ("body", "Which importer cleared the zebrafish consignment?"),
                ("priority", "normal"),
                ("tlp", "amber"),
                ("to_agency", "RCMP"),
                ("legal_basis", "police"),
                ("due", ""),
                ("intent", "send"),
            ],
        )
        .await;
    let rid = r["id"].to_string();
    let mut rcmp = s.signed_in("rcmp.officer").await;
    rcmp.ok(
        "respond_to_request",
        &[
            ("id", &rid),
            ("kind", "partial_answer"),
            ("body", "The importer is Maplewood Trading, Mississauga."),
            ("source_grade", "A"),
            ("info_grade", "1"),
            ("tlp", "amber"),
        ],
    )
    .await;
    ncb.ok(
        "add_indicator",
        &[
            ("case_id", &case_id),
            ("kind", "ipv4"),
            ("value", "192.0.2.45"),
            ("tlp", "amber"),
            ("first_seen", ""),
            ("last_seen", ""),
            ("note", "C2 server"),
        ],
    )
    .await;
    ncb.ok(
        "add_entity",
        &[("case_id", &case_id), ("kind", "company"), ("name", "Saltmarsh Logistics"), ("identifier", ""), ("note", "consignee")],
    )
    .await;

    let kinds =
        |v: &serde_json::Value| v["hits"].as_array().unwrap().iter().map(|h| h["kind"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(kinds(&ncb.ok("search", &[("q", "textile")]).await), vec!["case"]);
    assert_eq!(kinds(&ncb.ok("search", &[("q", "zebrafish")]).await), vec!["request"]);
    assert_eq!(kinds(&ncb.ok("search", &[("q", "Maplewood")]).await), vec!["response"]);
    assert_eq!(kinds(&ncb.ok("search", &[("q", "192.0.2.45")]).await), vec!["indicator"]);
    assert_eq!(kinds(&ncb.ok("search", &[("q", "Saltmarsh")]).await), vec!["entity"]);
    assert!(kinds(&ncb.ok("search", &[("q", "textil")]).await).is_empty(), "words match whole");
    let hit = ncb.ok("search", &[("q", "textil*")]).await;
    assert!(hit["hits"][0]["snippet"].as_str().unwrap().contains("\u{E000}textile\u{E001}"), "prefix match when asked, highlighted");
    assert_eq!(hit["capped"], serde_json::json!([]));
    // Query syntax typed by a user is just text.
    assert_eq!(ncb.call("search", &[("q", "\"OR NEAR(")]).await.status(), 200);

    // A non-party officer finds none of it.
    let mut cbsa = s.signed_in("cbsa.officer").await;
    for q in ["textile", "zebrafish", "Maplewood", "192.0.2.45", "Saltmarsh"] {
        assert!(kinds(&cbsa.ok("search", &[("q", q)]).await).is_empty(), "{q} leaked to a non-party");
    }
    // A draft exists only for its sender, even for the agency it is addressed to.
    ncb.ok(
        "create_request",
        &[
            ("case_id", &case_id),
            ("kind", "information"),
            ("subject", "Second importer"),
            ("body", "Draft about the quokka shipment"),
            ("priority", "normal"),
            ("tlp", "amber"),
            ("to_agency", "RCMP"),
            ("legal_basis", "police"),
            ("due", ""),
            ("intent", "draft"),
        ],
    )
    .await;
    assert_eq!(kinds(&ncb.ok("search", &[("q", "quokka")]).await), vec!["request"]);
    assert!(kinds(&rcmp.ok("search", &[("q", "quokka")]).await).is_empty(), "a draft leaked to its addressee");
    assert_eq!(kinds(&rcmp.ok("search", &[("q", "zebrafish")]).await), vec!["request"], "the sent one is theirs to find");
    // Updates are followed.
    let edit = [
        ("id", case_id.as_str()),
        ("version", "1"),
        ("title", "Tramadol tablets hidden in carpet rolls"),
        ("summary", "Shipments via Mundra port"),
        ("category", "drug_precursors"),
        ("priority", "high"),
        ("tlp", "amber"),
        ("lead", me.as_str()),
        ("parties", ""),
        ("links", ""),
    ];
    ncb.ok("update_case", &edit).await;
    assert!(kinds(&ncb.ok("search", &[("q", "textile")]).await).is_empty());
    assert_eq!(kinds(&ncb.ok("search", &[("q", "carpet")]).await), vec!["case"]);
    let searches: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'search'").fetch_one(&s.db.pool).await.unwrap();
    assert!(searches >= 10);
}

#[tokio::test]
async fn a_common_word_lists_the_most_recent_matches_and_says_so() {
    let s = TestServer::start_bare().await;
    let mut ids = Vec::new();
    for i in 0..205 {
        ids.push(case(&s, "NCB", "ncb.officer", "fraud", &format!("Harbour fraud number {i:03}"), &[]).await);
    }
    let mut ncb = s.signed_in("ncb.officer").await;
    let found = ncb.ok("search", &[("q", "harbour")]).await;
    let hits = found["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 20, "one page of the best matches");
    assert_eq!(found["capped"], serde_json::json!(["case"]));
    let shown: Vec<i64> = hits.iter().map(|h| h["case_id"].as_i64().unwrap()).collect();
    let newest: Vec<i64> = ids.iter().rev().take(20).copied().collect();
    assert_eq!(shown, newest, "a word matching more than the cap lists the most recent first");
    // A rarer word among them is still found whatever its age.
    let one = ncb.ok("search", &[("q", "harbour 002")]).await;
    assert_eq!(one["hits"].as_array().unwrap().len(), 1);
    assert_eq!(one["hits"][0]["case_id"].as_i64().unwrap(), ids[2]);
    assert_eq!(one["capped"], serde_json::json!([]));
}

#[tokio::test]
async fn csv_exports_follow_the_filters_neutralise_formulas_and_are_audited() {
    let s = TestServer::start_bare().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let me = support::user_id(&s.db, "ncb.officer").await.to_string();
    ncb.ok(
        "create_case",
        &[
            ("title", "=HYPERLINK(\"http://evil\")"),
            ("summary", ""),
            ("category", "fraud"),
            ("priority", "high"),
            ("tlp", "amber"),
            ("lead", &me),
            ("parties", ""),
            ("links", ""),
        ],
    )
    .await;
    ncb.ok(
        "create_case",
        &[
            ("title", "Unrelated ransomware case"),
            ("summary", ""),
            ("category", "ransomware"),
            ("priority", "low"),
            ("tlp", "amber"),
            ("lead", &me),
            ("parties", ""),
            ("links", ""),
        ],
    )
    .await;
    let res = ncb.get("/export/cases.csv?category=fraud").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("cases.csv"));
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 2, "{body}");
    assert!(lines[0].starts_with("Reference,Title,Category"));
    // In the reader's language: the headers and the labels, not what users wrote.
    let rb = ncb.http.get(format!("{}/export/cases.csv?category=fraud", s.base));
    let cookie = format!("{}; ld_lang=fr-CA", ncb.cookie.clone().unwrap());
    let french = rb.header("cookie", cookie).send().await.unwrap().text().await.unwrap();
    assert!(french.starts_with("Référence,Titre,Catégorie,"), "{french}");
    assert!(french.contains(&app::tr!(app::i18n::Locale::FrCa, "Category-fraud")), "{french}");
    // Times one way for every reader, as spreadsheets and scripts read them: 2026-11-25 14:00 IST.
    let row = french.split("\r\n").nth(1).unwrap();
    assert!(row.split(',').any(|c| c.len() >= 16 && c.as_bytes()[4] == b'-' && c.as_bytes()[7] == b'-' && c.ends_with(" IST")), "{row}");
    assert!(lines[1].contains("\"'=HYPERLINK(\"\"http://evil\"\")\""), "{}", lines[1]);
    let mut cbsa = s.signed_in("cbsa.officer").await;
    let other = cbsa.get("/export/cases.csv").await.text().await.unwrap();
    assert_eq!(other.split("\r\n").filter(|l| !l.is_empty()).count(), 1, "only the header for a non-party");
    let exports: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'export.csv'").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(exports, 3, "each export, in any language, is on the record");
    assert_eq!(s.client().get("/export/cases.csv").await.status(), 401);
}

#[tokio::test]
async fn cross_check_finds_the_recipients_own_records_and_nothing_it_may_not_see() {
    let s = TestServer::start_bare().await;
    // RCMP's own earlier case names the same man (written the other way round) and holds the domain.
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let r1 = support::own_case(&s, &mut rcmp, "Romance-scam ring in Brampton").await;
    rcmp.ok("add_entity", &[("case_id", &r1), ("kind", "person"), ("name", "Rajesh Sharma"), ("identifier", "1980-01-02"), ("note", "")])
        .await;
    rcmp.ok(
        "add_indicator",
        &[
            ("case_id", &r1),
            ("kind", "domain"),
            ("value", "pay-now.example"),
            ("tlp", "amber"),
            ("first_seen", ""),
            ("last_seen", ""),
            ("note", ""),
        ],
    )
    .await;
    // ...and a request on another RCMP case names him in its text.
    let r2 = support::own_case(&s, &mut rcmp, "Wire transfers to Surrey shell companies").await;
    rcmp.ok(
        "create_request",
        &[
            ("case_id", &r2),
            ("kind", "information"),
            ("subject", "Account holders"),
            ("body", "Accounts were opened by Rajesh Kumar Sharma in 2025."),
            ("priority", "normal"),
            ("tlp", "amber"),
            ("to_agency", "CBI"),
            ("legal_basis", "police"),
            ("due", ""),
            ("intent", "send"),
        ],
    )
    .await;

    // CBSA holds the same name on a case RCMP is not party to: it must not show.
    let mut cbsa = s.signed_in("cbsa.officer").await;
    let c1 = support::own_case(&s, &mut cbsa, "Border alert on a traveller").await;
    cbsa.ok("add_entity", &[("case_id", &c1), ("kind", "person"), ("name", "Rajesh Sharma"), ("identifier", ""), ("note", "")]).await;

    // NCB asks RCMP about the same man and a URL on that domain.
    let mut ncb = s.signed_in("ncb.officer").await;
    let n = support::own_case(&s, &mut ncb, "Cheating of Punjab investors").await;
    ncb.ok("add_entity", &[("case_id", &n), ("kind", "person"), ("name", "SHARMA, Rajesh"), ("identifier", ""), ("note", "")]).await;
    let req = ncb
        .ok(
            "create_request",
            &[
                ("case_id", &n),
                ("kind", "information"),
                ("subject", "Holder of a payment site"),
                ("body", "Who registered hxxps://pay-now[.]example/login ?"),
                ("priority", "normal"),
                ("tlp", "amber"),
                ("to_agency", "RCMP"),
                ("legal_basis", "police"),
                ("due", ""),
                ("intent", "send"),
            ],
        )
        .await["id"]
        .to_string();

    let x = rcmp.ok("cross_check", &[("id", &req)]).await;
    let matches: Vec<(String, i64, String)> = x["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["matched"].as_str().unwrap().to_string(), m["case_id"].as_i64().unwrap(), m["found_as"].as_str().unwrap().to_string()))
        .collect();
    let r1: i64 = r1.parse().unwrap();
    let r2: i64 = r2.parse().unwrap();
    assert!(matches.contains(&("Person: SHARMA, Rajesh".into(), r1, "on the case as Rajesh Sharma".into())), "{matches:?}");
    assert!(matches.contains(&("Person: SHARMA, Rajesh".into(), r2, "named in request Account holders".into())), "{matches:?}");
    assert!(matches.contains(&("Domain: pay-now.example".into(), r1, "indicator on the case".into())), "{matches:?}");
    let c1: i64 = c1.parse().unwrap();
    let n: i64 = n.parse().unwrap();
    assert!(matches.iter().all(|(_, case, _)| *case != c1 && *case != n), "CBSA's case or the request's own case shown: {matches:?}");
    assert_eq!(matches.len(), 3, "{matches:?}");
    let looked: Vec<&str> = x["looked_for"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(looked.contains(&"URL: https://pay-now.example/login"), "{looked:?}");

    // The sending side has nothing to cross-check here, and a non-party learns nothing.
    assert_eq!(ncb.call("cross_check", &[("id", &req)]).await.status(), 403);
    assert_eq!(cbsa.call("cross_check", &[("id", &req)]).await.status(), 404);
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'request.cross_check' AND outcome = 'success'")
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn the_case_report_pdf_marks_every_page_and_holds_requests_and_gradings() {
    let s = TestServer::start_bare().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let case = support::own_case(&s, &mut ncb, "Precursor consignments through Nhava Sheva").await;
    ncb.ok(
        "add_entity",
        &[("case_id", &case), ("kind", "vessel"), ("name", "MV Pacific Meridian"), ("identifier", "IMO 9321483"), ("note", "")],
    )
    .await;
    // Names as written in either script print as written (the fonts are embedded, Devanagari shaped).
    ncb.ok("add_entity", &[("case_id", &case), ("kind", "person"), ("name", "राजेश शर्मा"), ("identifier", ""), ("note", "")]).await;
    ncb.ok("add_entity", &[("case_id", &case), ("kind", "company"), ("name", "Société Générale"), ("identifier", ""), ("note", "")]).await;
    let mut rcmp = s.signed_in("rcmp.officer").await;
    // Enough requests and text to run over several pages.
    let long = "The consignee's warehouse received two containers declared as industrial solvents. ".repeat(12);
    for i in 0..12 {
        let subject = format!("Question {i} about the consignee");
        let r = ncb
            .ok(
                "create_request",
                &[
                    ("case_id", &case),
                    ("kind", "information"),
                    ("subject", &subject),
                    ("body", &long),
                    ("priority", "normal"),
                    ("tlp", "amber"),
                    ("to_agency", "RCMP"),
                    ("legal_basis", "police"),
                    ("due", ""),
                    ("intent", "send"),
                ],
            )
            .await["id"]
            .to_string();
        if i == 0 {
            rcmp.ok(
                "respond_to_request",
                &[
                    ("id", &r),
                    ("kind", "final_answer"),
                    ("body", "Confirmed by the port authority's records."),
                    ("source_grade", "B"),
                    ("info_grade", "2"),
                    ("tlp", "red"),
                ],
            )
            .await;
        }
    }
    let res = ncb.get(&format!("/cases/{case}/report.pdf")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment") && disposition.contains("-report.pdf"), "{disposition}");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let pages = support::pdf_pages(&bytes);
    let n = pages.len();
    assert!(n >= 3, "{n} pages");
    // The strictest code in the report (the RCMP answer is TLP:RED) heads and foots every page, numbered.
    for (i, page) in pages.iter().enumerate() {
        assert!(page.trim_start().starts_with("TLP:RED"), "page {}: {page}", i + 1);
        assert!(page.matches("TLP:RED").count() >= 2, "page {}: {page}", i + 1);
        assert!(page.contains(&format!("Page {} of {n}", i + 1)), "page {}: {page}", i + 1);
    }
    let text = pages.join("\n");
    let flowing = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Precursor consignments through Nhava Sheva"));
    assert!(text.contains("Question 11 about the consignee"));
    assert!(flowing.contains("Confirmed by the port authority's records."));
    assert!(flowing.contains("Final answer · Daniel Tremblay (RCMP)"), "author and agency of the answer");
    assert!(
        flowing.contains("grading B2 (source B: source mostly reliable; information 2: known personally to the source)"),
        "grading with its meaning"
    );
    assert!(flowing.contains("Person: राजेश शर्मा"), "{flowing}");
    assert!(flowing.contains("Company: Société Générale"), "{flowing}");
    assert!(flowing.contains("Vessel: MV Pacific Meridian (IMO 9321483)"));

    // A French reader gets the report's own words in French (what users wrote, codes and names as written).
    let cookie = format!("{}; ld_lang=fr-CA", ncb.cookie.clone().unwrap());
    let rb = ncb.http.get(format!("{}/cases/{case}/report.pdf", s.base)).header("cookie", cookie);
    let french = support::pdf_pages(&rb.send().await.unwrap().bytes().await.unwrap());
    let first = french[0].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(first.contains("Rapport de dossier · LD-"), "{first}");
    assert!(first.contains("Résumé") && !first.contains("Summary"), "{first}");
    assert!(first.contains("Personne: राजेश शर्मा"), "labels in French, names as written: {first}");
    assert!(first.contains(&format!("Page 1 de {}", french.len())), "{first}");
    assert!(french[0].trim_start().starts_with("TLP:RED"));

    // Not a party: the same 404 as a missing case; both attempts and the download are audited.
    let mut cbsa = s.signed_in("cbsa.officer").await;
    assert_eq!(cbsa.get(&format!("/cases/{case}/report.pdf")).await.status(), 404);
    assert_eq!(cbsa.get("/cases/99999/report.pdf").await.status(), 404);
    let events: Vec<String> = sqlx::query_scalar("SELECT outcome FROM audit_events WHERE action = 'case.export_pdf' ORDER BY id")
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(events, vec!["success", "success", "denied", "denied"]);
}

/// What an officer searched for says what they work on: their country's supervisors read it in the audit
/// trail, an admin sees only that a search happened.
#[tokio::test]
async fn search_terms_in_the_audit_trail_are_for_supervisors_not_admins() {
    let s = TestServer::start().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    ncb.ok("search", &[("q", "saffron courier network")]).await;
    let search_events = |page: serde_json::Value| -> Vec<String> {
        page["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "search")
            .map(|e| e["details"].as_str().unwrap().to_string())
            .collect()
    };
    let filter = [("filter[action]", "search"), ("filter[user]", "ncb.officer")];
    let mut supervisor = s.signed_in("in.supervisor").await;
    let seen = search_events(supervisor.ok("list_audit", &filter).await);
    assert_eq!(seen.len(), 1);
    assert!(seen[0].contains("saffron courier network"), "{seen:?}");
    let mut admin = s.signed_in("admin").await;
    let seen = search_events(admin.ok("list_audit", &filter).await);
    assert_eq!(seen.len(), 1, "the admin sees that it happened");
    assert!(!seen[0].contains("saffron"), "{seen:?}");
    assert!(seen[0].contains("withheld") && seen[0].contains("\"hits\""), "{seen:?}");
    // Whom a request went to says who works with whom: the admin sees that it was sent, not to whom.
    let sent = |page: serde_json::Value| -> Vec<String> {
        page["events"].as_array().unwrap().iter().filter(|e| e["action"] == "request.create").map(|e| e["details"].to_string()).collect()
    };
    let case: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE title LIKE 'Fentanyl precursor%'").fetch_one(&s.db.pool).await.unwrap();
    let form = [
        ("case_id", case.to_string()),
        ("kind", "information".into()),
        ("subject", "Shipping agent of the vessel".into()),
        ("body", "Who acts for the vessel in Vancouver?".into()),
        ("priority", "normal".into()),
        ("tlp", "amber".into()),
        ("to_agency", "RCMP".into()),
        ("legal_basis", "police".into()),
        ("intent", "send".into()),
    ];
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    ncb.ok("create_request", &pairs).await;
    let filter = [("filter[action]", "request.create"), ("filter[user]", "ncb.officer")];
    let seen = sent(admin.ok("list_audit", &filter).await);
    assert_eq!(seen.len(), 1);
    assert!(sent(supervisor.ok("list_audit", &filter).await)[0].contains("RCMP"), "India's supervisor sees whom it went to");
    assert!(seen.iter().all(|d| d.contains("withheld") && !d.contains("CBSA") && !d.contains("RCMP")), "{seen:?}");
}

/// Staff turnover: an officer leaves (account disabled); the dashboard lists what they still hold, and
/// India's supervisor hands it all to someone else and closes it in two bulk steps. Each case is checked on
/// its own — another agency's case refuses the lead, a Canadian case is "not found" and not named — and
/// each change is its own audit event.
#[tokio::test]
async fn a_supervisor_hands_over_and_closes_a_departed_officers_cases_in_bulk() {
    let args = server::config::ServeArgs { dashboard_max_age_secs: 0, ..Default::default() };
    let s = TestServer::start_bare_with(args).await;
    let ncb: Vec<i64> = vec![
        case(&s, "NCB", "ncb.officer", "fraud", "Hawala ledger one", &[]).await,
        case(&s, "NCB", "ncb.officer", "fraud", "Hawala ledger two", &[]).await,
        case(&s, "NCB", "ncb.officer", "cyber_incident", "Phishing kit seller", &[]).await,
    ];
    let cbi = case(&s, "CBI", "cbi.officer", "fraud", "Bank fraud ring", &[]).await;
    let canadian = case(&s, "RCMP", "rcmp.officer", "fraud", "Toronto mule accounts", &[]).await;
    sqlx::query("UPDATE users SET status = 'disabled' WHERE username = 'ncb.officer'").execute(&s.db.pool).await.unwrap();
    let departed = support::user_id(&s.db, "ncb.officer").await;
    let successor = support::user_id(&s.db, "in.supervisor").await;

    let mut sup = s.signed_in("in.supervisor").await;
    let first = |b: &serde_json::Value| {
        let w = &b["workload"][0];
        (w["user_id"].as_i64(), w["inactive"].as_bool(), w["open_cases_led"].as_i64())
    };
    let board = dashboard_until(&mut sup, |b| first(b) == (Some(departed), Some(true), Some(3))).await;
    assert!(board.is_some(), "the departed officer heads the workload table with the 3 cases they still lead");

    // Officers may not change cases in bulk, even their own agency's.
    let mut officer = s.signed_in("cbi.officer").await;
    let all: Vec<String> = ncb.iter().chain([&cbi, &canadian]).map(i64::to_string).collect();
    let ids = all.join(",");
    let lead = successor.to_string();
    let refused = officer.call("change_cases_in_bulk", &[("action", "reassign"), ("ids", &ids), ("lead", &lead)]).await;
    assert_eq!(refused.status(), 403);

    let report = sup.ok("change_cases_in_bulk", &[("action", "reassign"), ("ids", &ids), ("lead", &lead)]).await;
    assert_eq!(report["changed"].as_array().unwrap().len(), 3, "{report}");
    let not_changed = report["not_changed"].as_array().unwrap();
    assert_eq!(not_changed.len(), 2, "{report}");
    let cbi_ref: String = sqlx::query_scalar("SELECT reference FROM cases WHERE id = ?").bind(cbi).fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(not_changed[0]["reference"], cbi_ref.as_str());
    assert!(not_changed[0]["reason"].as_str().unwrap().contains("owning agency"), "{report}");
    // The Canadian case is not India's to see: not named, and told apart from nothing.
    assert_eq!(not_changed[1]["reference"], format!("#{canadian}").as_str());
    assert_eq!(not_changed[1]["reason"], "Not found.");
    let leads: Vec<i64> = sqlx::query_scalar("SELECT lead_user_id FROM cases ORDER BY id").fetch_all(&s.db.pool).await.unwrap();
    assert_eq!(leads[..3], [successor; 3]);
    assert_ne!(leads[3], successor);
    let events: Vec<i64> =
        sqlx::query_scalar("SELECT case_id FROM audit_events WHERE action = 'case.lead' ORDER BY id").fetch_all(&s.db.pool).await.unwrap();
    assert_eq!(events, ncb, "one event per case changed, none for the refused");

    // Closing needs a reason; then "every case matching the filter" closes what the successor now leads.
    let filter = format!("status=current&lead={successor}");
    let no_reason = sup.call("change_cases_in_bulk", &[("action", "close"), ("all_matching", "1"), ("filter", &filter)]).await;
    assert_eq!(no_reason.status(), 422);
    assert!(no_reason.text().await.unwrap().contains("Say why"));
    let reason = "Officer posted back to Delhi; the importer was charged";
    let closed =
        sup.ok("change_cases_in_bulk", &[("action", "close"), ("all_matching", "1"), ("filter", &filter), ("reason", reason)]).await;
    assert_eq!(closed["changed"].as_array().unwrap().len(), 3, "{closed}");
    let reasons: Vec<String> = sqlx::query_scalar(
        "SELECT json_extract(details, '$.reason') FROM audit_events WHERE action = 'case.status' AND json_extract(details, '$.to') = 'closed'",
    )
    .fetch_all(&s.db.pool)
    .await
    .unwrap();
    assert_eq!(reasons, vec![reason; 3]);
    let again = sup.ok("change_cases_in_bulk", &[("action", "close"), ("ids", &all[0]), ("reason", reason)]).await;
    assert_eq!(again["not_changed"][0]["reason"], "Already closed.");
    // A closed case keeps the lead it was closed under.
    let closed_case = sup.ok("change_cases_in_bulk", &[("action", "reassign"), ("ids", &all[0]), ("lead", &lead)]).await;
    assert!(closed_case["not_changed"][0]["reason"].as_str().unwrap().contains("only open and active"), "{closed_case}");
    // A lead from outside the list offered (the other country's officer) is refused before any case is tried.
    let rcmp = support::user_id(&s.db, "rcmp.officer").await.to_string();
    let foreign = sup.call("change_cases_in_bulk", &[("action", "reassign"), ("ids", &cbi.to_string()), ("lead", &rcmp)]).await;
    assert_eq!(foreign.status(), 422);
    // The closing reason is case content: India's supervisor reads it in the audit trail, an admin does not.
    let reasons_in = |page: serde_json::Value| -> Vec<String> {
        page["events"].as_array().unwrap().iter().filter(|e| e["action"] == "case.status").map(|e| e["details"].to_string()).collect()
    };
    let filter = [("filter[action]", "case.status")];
    assert!(reasons_in(sup.ok("list_audit", &filter).await).iter().all(|d| d.contains("posted back to Delhi")));
    let mut admin = s.signed_in("admin").await;
    let seen = reasons_in(admin.ok("list_audit", &filter).await);
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|d| d.contains("withheld") && !d.contains("Delhi")), "{seen:?}");
    // Besides each case's event, one for each bulk request: what was asked, and how it ended.
    let bulk_events: Vec<String> =
        sqlx::query_scalar("SELECT details FROM audit_events WHERE action = 'case.bulk' ORDER BY id").fetch_all(&s.db.pool).await.unwrap();
    assert!(bulk_events[0].contains(&format!("{canadian}")) && bulk_events[0].contains("\"not_changed\":2"), "{bulk_events:?}");

    // Nothing left to hand over: the departed officer leaves the dashboard (its figures are recomputed in the
    // background after a view finds them old).
    let board =
        dashboard_until(&mut sup, |b| b["workload"].as_array().unwrap().iter().all(|w| w["user_id"].as_i64() != Some(departed))).await;
    assert!(board.is_some(), "a disabled account with nothing open is not listed");

    // Hostile input: an id list that is not one, and one over the limit, are refused with a message.
    let bad = sup.call("change_cases_in_bulk", &[("action", "close"), ("ids", "1,2); DROP TABLE cases"), ("reason", "x")]).await;
    assert_eq!(bad.status(), 422);
    let many = (1..=501).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let too_many = sup.call("change_cases_in_bulk", &[("action", "close"), ("ids", &many), ("reason", "x")]).await;
    assert_eq!(too_many.status(), 422);
    assert!(too_many.text().await.unwrap().contains("more than 500"));
}

/// The dashboard once `holds` is true of it, within 5 s (a view that finds the figures old gets them and
/// has them recomputed in the background); None if it never is.
async fn dashboard_until(client: &mut support::Client, holds: impl Fn(&serde_json::Value) -> bool) -> Option<serde_json::Value> {
    for _ in 0..100 {
        let board = client.ok("dashboard", &[]).await;
        if holds(&board) {
            return Some(board);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    None
}

/// The ticked cases' CSV holds those cases only, and never one the reader may not see.
#[tokio::test]
async fn the_ticked_cases_download_as_csv_within_need_to_know() {
    let s = TestServer::start_bare().await;
    let a = case(&s, "NCB", "ncb.officer", "fraud", "Ticked one", &[]).await;
    let _b = case(&s, "NCB", "ncb.officer", "fraud", "Not ticked", &[]).await;
    let canadian = case(&s, "RCMP", "rcmp.officer", "fraud", "Canadian only", &[]).await;
    let mut sup = s.signed_in("in.supervisor").await;
    let res = sup.get(&format!("/export/cases.csv?ids={a},{canadian}")).await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert!(csv.contains("Ticked one"));
    assert!(!csv.contains("Not ticked") && !csv.contains("Canadian only"), "{csv}");
    assert_eq!(sup.get("/export/cases.csv?ids=1,x").await.status(), 400);
}

/// Search as officers of both countries write: accents folded either way ("societe" finds "Société", "Société"
/// finds "societe"), and Devanagari words found whole — not every word that shares a letter with the query.
#[tokio::test]
async fn search_folds_accents_and_finds_devanagari_words_whole() {
    let s = TestServer::start_bare().await;
    case(&s, "NCB", "ncb.officer", "fraud", "राजेश शर्मा of Société Générale", &[]).await;
    case(&s, "NCB", "ncb.officer", "fraud", "शरद पवार, societe anonyme", &[]).await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let titles = |v: serde_json::Value| -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["title"].as_str().unwrap_or_default().replace(['\u{E000}', '\u{E001}'], ""))
            .collect()
    };
    let found = titles(ncb.ok("search", &[("q", "शर्मा")]).await);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("राजेश शर्मा"), "{found:?}");
    assert!(titles(ncb.ok("search", &[("q", "श")]).await).is_empty(), "a single letter is not a word of either title");
    assert_eq!(titles(ncb.ok("search", &[("q", "राजेश शर्मा")]).await).len(), 1);
    assert_eq!(titles(ncb.ok("search", &[("q", "societe")]).await).len(), 2);
    assert_eq!(titles(ncb.ok("search", &[("q", "Générale")]).await).len(), 1);
}
