//! Exchange over real HTTP: need-to-know (IDOR) on every server function and file URL, attachments,
//! STIX export, optimistic concurrency, and who becomes a party when.

mod support;

use support::{Client, TestServer};

struct Story {
    case_id: String,
    request_id: String,
    attachment_id: String,
}

const TITLE: &str = "Methamphetamine precursor brokers in Hyderabad";

/// NCB opens a case and sends an urgent request to RCMP, which acknowledges and uploads a file.
async fn story(s: &TestServer) -> (Story, Client, Client) {
    let mut ncb = s.signed_in("ncb.officer").await;
    let me = support::user_id(&s.db, "ncb.officer").await.to_string();
    let created = ncb
        .ok(
            "create_case",
            &[
                ("title", TITLE),
                ("summary", "Brokers ship ephedrine to Canadian buyers."),
                ("category", "drug_precursors"),
                ("priority", "urgent"),
                ("tlp", "amber"),
                ("lead", &me),
                ("parties", ""),
                ("links", ""),
            ],
        )
        .await;
    let case_id = created["id"].to_string();
    assert!(created["reference"].as_str().unwrap().starts_with("LD-20"));
    let req = ncb
        .ok(
            "create_request",
            &[
                ("case_id", &case_id),
                ("kind", "information"),
                ("subject", "Buyers' company records"),
                ("body", "Which companies bought ephedrine?"),
                ("priority", "urgent"),
                ("tlp", "amber"),
                ("directly_available", "true"),
                ("to_agency", "RCMP"),
                ("legal_basis", "police"),
                ("due", ""),
                ("intent", "send"),
            ],
        )
        .await;
    let request_id = req["id"].to_string();
    let mut rcmp = s.signed_in("rcmp.officer").await;
    rcmp.ok("acknowledge_request", &[("id", &request_id)]).await;
    let up = rcmp.upload(&format!("case={case_id}&request={request_id}"), "companies.csv", b"name\nNorthern Chem\n".to_vec()).await;
    assert_eq!(up.status(), 201);
    let att: serde_json::Value = up.json().await.unwrap();
    (Story { case_id, request_id, attachment_id: att["id"].to_string() }, ncb, rcmp)
}

/// An officer of a non-party agency gets, for every object of the case, exactly what they get for an id
/// that does not exist: same status, same body, and nothing of the case.
#[tokio::test]
async fn a_non_party_gets_the_same_answer_as_for_a_missing_id() {
    let s = TestServer::start().await;
    let (st, _, _) = story(&s).await;
    let mut cbsa = s.signed_in("cbsa.officer").await;
    let missing = "987654";

    let case_calls: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("get_case", vec![("id", "{case}".into())]),
        ("open_case", vec![("id", "{case}".into())]),
        ("case_history", vec![("id", "{case}".into())]),
        ("case_changes", vec![("id", "{case}".into())]),
        ("change_case_status", vec![("id", "{case}".into()), ("status", "closed".into())]),
        (
            "update_case",
            vec![
                ("id", "{case}".into()),
                ("version", "1".into()),
                ("title", "Hijacked".into()),
                ("summary", "".into()),
                ("category", "other".into()),
                ("priority", "low".into()),
                ("tlp", "clear".into()),
                ("lead", "1".into()),
                ("parties", "".into()),
                ("links", "".into()),
            ],
        ),
        (
            "add_indicator",
            vec![
                ("case_id", "{case}".into()),
                ("kind", "ipv4".into()),
                ("value", "203.0.113.9".into()),
                ("tlp", "amber".into()),
                ("first_seen", "".into()),
                ("last_seen", "".into()),
                ("note", "".into()),
            ],
        ),
        ("bulk_add_indicators", vec![("case_id", "{case}".into()), ("text", "203.0.113.9".into()), ("tlp", "amber".into())]),
        (
            "create_request",
            vec![
                ("case_id", "{case}".into()),
                ("kind", "information".into()),
                ("subject", "Sneaky".into()),
                ("body", "x".into()),
                ("priority", "normal".into()),
                ("tlp", "amber".into()),
                ("to_agency", "NCB".into()),
                ("legal_basis", "police".into()),
                ("due", "".into()),
            ],
        ),
        ("get_request", vec![("id", "{request}".into())]),
        ("acknowledge_request", vec![("id", "{request}".into())]),
        (
            "respond_to_request",
            vec![
                ("id", "{request}".into()),
                ("kind", "final_answer".into()),
                ("body", "x".into()),
                ("source_grade", "A".into()),
                ("info_grade", "1".into()),
                ("tlp", "amber".into()),
            ],
        ),
        ("decline_request", vec![("id", "{request}".into()), ("reason", "no reason at all".into())]),
        ("withdraw_request", vec![("id", "{request}".into())]),
        ("close_request", vec![("id", "{request}".into())]),
        ("send_request", vec![("id", "{request}".into())]),
        ("approve_request", vec![("id", "{request}".into())]),
    ];
    for (endpoint, form) in &case_calls {
        let fill = |id_case: &str, id_req: &str| -> Vec<(String, String)> {
            form.iter().map(|(k, v)| (k.to_string(), v.replace("{case}", id_case).replace("{request}", id_req))).collect()
        };
        let real = fill(&st.case_id, &st.request_id);
        let fake = fill(missing, missing);
        let real: Vec<(&str, &str)> = real.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let fake: Vec<(&str, &str)> = fake.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let a = cbsa.call(endpoint, &real).await;
        let (a_status, a_body) = (a.status(), a.text().await.unwrap());
        let b = cbsa.call(endpoint, &fake).await;
        let (b_status, b_body) = (b.status(), b.text().await.unwrap());
        assert_eq!(a_status, 404, "{endpoint} on a real id: {a_body}");
        assert_eq!((a_status, &a_body), (b_status, &b_body), "{endpoint}: real and missing ids must look the same");
        assert!(!a_body.contains("Methamphetamine") && !a_body.contains("Buyers"), "{endpoint} leaked: {a_body}");
    }
    for path in [format!("/attachments/{}", st.attachment_id), format!("/cases/{}/indicators.stix.json", st.case_id)] {
        let real = cbsa.get(&path).await;
        let (rs, rb) = (real.status(), real.text().await.unwrap());
        let fake_path = path.replace(&st.attachment_id, missing).replace(&st.case_id, missing);
        let fake = cbsa.get(&fake_path).await;
        assert_eq!(rs, 404, "{path}");
        assert_eq!((rs, rb), (fake.status(), fake.text().await.unwrap()), "{path}");
    }
    let up = cbsa.upload(&format!("case={}", st.case_id), "x.txt", b"x".to_vec()).await;
    assert_eq!(up.status(), 404);
    // Lists and the inbox leave the case out.
    let list = cbsa.ok("list_cases", &[("filter[q]", "Methamphetamine")]).await;
    assert_eq!(list["cases"].as_array().unwrap().len(), 0);
    let inbox = cbsa.call("inbox", &[("filter[status]", "")]).await.text().await.unwrap();
    assert!(!inbox.contains("Buyers"));
    // The refused reads are in the audit trail.
    let denied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE username = 'cbsa.officer' AND outcome = 'denied'")
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    assert!(denied >= 3, "denied reads audited: {denied}");
    let refused_upload: Option<String> = sqlx::query_scalar(
        "SELECT object_id FROM audit_events WHERE username = 'cbsa.officer' AND action = 'attachment.upload' AND outcome = 'denied'",
    )
    .fetch_optional(&s.db.pool)
    .await
    .unwrap();
    assert_eq!(refused_upload, Some(st.case_id.clone()), "the refused upload is on the record, against the case it aimed at");
}

#[tokio::test]
async fn admins_see_no_case_content_and_other_country_supervisors_see_only_shared_cases() {
    let s = TestServer::start().await;
    let (st, _, _) = story(&s).await;
    let mut admin = s.signed_in("admin").await;
    // Existence itself is sensitive: an admin is told "not found", as a non-party officer is.
    assert_eq!(admin.call("get_case", &[("id", &st.case_id)]).await.status(), 404);
    assert_eq!(admin.call("list_cases", &[("filter[q]", "")]).await.status(), 403);
    assert_eq!(admin.get(&format!("/attachments/{}", st.attachment_id)).await.status(), 404);
    // The Canadian supervisor sees the case because RCMP became a party when the request was sent.
    let mut ca = s.signed_in("ca.supervisor").await;
    assert_eq!(ca.call("get_case", &[("id", &st.case_id)]).await.status(), 200);
    // A case with Indian parties only is invisible to them.
    let mut cbi = s.signed_in("cbi.officer").await;
    let me = support::user_id(&s.db, "cbi.officer").await.to_string();
    let private = cbi
        .ok(
            "create_case",
            &[
                ("title", "Internal Indian matter"),
                ("summary", ""),
                ("category", "fraud"),
                ("priority", "normal"),
                ("tlp", "red"),
                ("lead", &me),
                ("parties", "NIA"),
                ("links", ""),
            ],
        )
        .await;
    let res = ca.call("get_case", &[("id", &private["id"].to_string())]).await;
    assert_eq!(res.status(), 404);
    let list = ca.ok("list_cases", &[("filter[q]", "Internal")]).await;
    assert_eq!(list["cases"].as_array().unwrap().len(), 0);
    let mut india = s.signed_in("in.supervisor").await;
    assert_eq!(india.call("get_case", &[("id", &private["id"].to_string())]).await.status(), 200);
}

#[tokio::test]
async fn a_draft_stays_with_the_sender_and_sending_makes_the_recipient_a_party() {
    let s = TestServer::start().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let case_id = support::own_case(&s, &mut ncb, "Draft test case").await;
    let r = ncb
        .ok(
            "create_request",
            &[
                ("case_id", &case_id),
                ("kind", "assistance"),
                ("subject", "Draft ask"),
                ("body", "b"),
                ("priority", "normal"),
                ("tlp", "amber"),
                ("to_agency", "RCMP"),
                ("legal_basis", "police"),
                ("due", ""),
                ("intent", "draft"),
            ],
        )
        .await;
    let rid = r["id"].to_string();
    let mut rcmp = s.signed_in("rcmp.officer").await;
    assert_eq!(rcmp.call("get_request", &[("id", &rid)]).await.status(), 404);
    assert_eq!(rcmp.call("get_case", &[("id", &case_id)]).await.status(), 404);
    ncb.ok("send_request", &[("id", &rid)]).await;
    assert_eq!(rcmp.call("get_request", &[("id", &rid)]).await.status(), 200);
    assert_eq!(rcmp.call("get_case", &[("id", &case_id)]).await.status(), 200);
    // A request must go to the other country.
    let res = ncb
        .call(
            "create_request",
            &[
                ("case_id", &case_id),
                ("kind", "information"),
                ("subject", "Wrong side"),
                ("body", "b"),
                ("priority", "normal"),
                ("tlp", "amber"),
                ("to_agency", "CBI"),
                ("legal_basis", "police"),
                ("due", ""),
                ("intent", "send"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("other country"));
}

/// A supervisor may write on any case of their country; the agency they send for becomes a party, so its
/// officers can follow up on what was sent in its name.
#[tokio::test]
async fn a_request_sent_by_a_supervisor_makes_their_agency_a_party() {
    let s = TestServer::start().await;
    let mut cbsa = s.signed_in("cbsa.officer").await;
    let case_id = support::own_case(&s, &mut cbsa, "Container seals tampered at Halifax").await;
    let mut rcmp = s.signed_in("rcmp.officer").await;
    assert_eq!(rcmp.call("get_case", &[("id", &case_id)]).await.status(), 404, "RCMP is not a party yet");
    let mut ca = s.signed_in("ca.supervisor").await;
    let r = ca
        .ok(
            "create_request",
            &[
                ("case_id", &case_id),
                ("kind", "information"),
                ("subject", "Seal numbers"),
                ("body", "Which seals were issued?"),
                ("priority", "normal"),
                ("tlp", "amber"),
                ("to_agency", "CBI"),
                ("legal_basis", "police"),
                ("due", ""),
                ("intent", "send"),
            ],
        )
        .await;
    let rid = r["id"].to_string();
    assert_eq!(rcmp.call("get_request", &[("id", &rid)]).await.status(), 200);
    assert_eq!(rcmp.call("get_case", &[("id", &case_id)]).await.status(), 200);
}

/// Views do not push changes out of the case's history: they are listed apart, the latest ones only.
#[tokio::test]
async fn the_case_history_keeps_changes_apart_from_views() {
    let s = TestServer::start().await;
    let (story, mut ncb, mut rcmp) = story(&s).await;
    for _ in 0..30 {
        ncb.ok("get_case", &[("id", &story.case_id)]).await;
        rcmp.ok("get_request", &[("id", &story.request_id)]).await;
    }
    let h = ncb.ok("case_history", &[("id", &story.case_id)]).await;
    let actions = |k: &str| h[k].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    // RCMP's file waits in its unsent answer: not NCB's to know of yet.
    assert_eq!(actions("changes"), ["request.acknowledge", "request.send", "request.create", "case.create"]);
    assert_eq!(h["more_changes"], false);
    // Each said as a sentence, with the request and case by their titles and a file by its number only.
    let said = |i: usize| h["changes"][i]["said"].as_str().unwrap().to_string();
    assert_eq!(said(0), "Daniel Tremblay (RCMP) acknowledged the request “Buyers' company records”");
    assert_eq!(said(3), format!("Priya Sharma (NCB) opened the case “{TITLE}”"));
    let views = actions("views");
    assert_eq!(views.len(), 10, "only the latest views");
    assert!(views.iter().all(|a| a == "case.read" || a == "request.read"), "{views:?}");
    // People by display name, never sign-in name.
    assert_eq!((h["views"][0]["who"].as_str(), views[0].as_str()), (Some("Daniel Tremblay"), "request.read"), "newest first");
    // Reading the history is itself a read of the case, on the record.
    let last: (String, Option<String>, Option<i64>) =
        sqlx::query_as("SELECT action, username, case_id FROM audit_events ORDER BY id DESC LIMIT 1").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(last, ("case.read".to_string(), Some("ncb.officer".to_string()), story.case_id.parse().ok()));
    // The other side sees that the request was sent, not how it was drafted.
    let seen_by_rcmp = rcmp.ok("case_history", &[("id", &story.case_id)]).await;
    let rcmp_actions: Vec<&str> = seen_by_rcmp["changes"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(rcmp_actions, ["attachment.upload", "request.acknowledge", "request.send", "case.create"]);
    let rcmp_said = seen_by_rcmp["changes"][0]["said"].as_str().unwrap();
    assert!(rcmp_said.starts_with("Daniel Tremblay (RCMP) uploaded the file no. "), "{rcmp_said}");
}

/// The case page shows the latest changes and links to the rest; the history pages list every change
/// once, newest first, whatever the views in between.
#[tokio::test]
async fn every_change_to_a_case_can_be_paged_through() {
    let s = TestServer::start().await;
    let (st, mut ncb, mut rcmp) = story(&s).await;
    // The story made 5 changes, 4 of them NCB's to see (RCMP's file waits in its unsent answer); 120 more
    // indicators make 124, over the page's 20 and a history page's 100.
    for i in 0..120 {
        ncb.ok(
            "add_indicator",
            &[
                ("case_id", &st.case_id),
                ("kind", "domain"),
                ("value", &format!("host-{i}.example")),
                ("tlp", "amber"),
                ("first_seen", ""),
                ("last_seen", ""),
                ("note", ""),
            ],
        )
        .await;
        if i % 10 == 0 {
            rcmp.ok("get_case", &[("id", &st.case_id)]).await;
        }
    }
    let opened = ncb.ok("open_case", &[("id", &st.case_id)]).await;
    assert_eq!(opened["case"]["indicators"].as_array().unwrap().len(), 120);
    assert_eq!(opened["history"]["changes"].as_array().unwrap().len(), 20);
    assert_eq!(opened["history"]["more_changes"], true);
    assert_eq!(opened["options"]["my_agency"]["code"], "NCB");
    let page_html = ncb.get(&format!("/cases/{}", st.case_id)).await.text().await.unwrap();
    assert!(page_html.contains(&format!("href=\"/cases/{}/history\"", st.case_id)), "the case page links to the full history");

    let first = ncb.ok("case_changes", &[("id", &st.case_id)]).await;
    assert_eq!(first["reference"], opened["case"]["reference"]);
    let mut ids: Vec<i64> = first["changes"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 100);
    let before = first["older"].as_i64().expect("a second page");
    let second = ncb.ok("case_changes", &[("id", &st.case_id), ("before", &before.to_string())]).await;
    assert_eq!(second["older"], serde_json::Value::Null, "no third page");
    ids.extend(second["changes"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()));
    assert_eq!(ids.len(), 124, "every change once");
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first, no repeats");
    let actions: Vec<&str> = second["changes"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(&actions[actions.len() - 2..], ["request.create", "case.create"], "the oldest change last");
    assert!(first["changes"].as_array().unwrap().iter().chain(second["changes"].as_array().unwrap()).all(|e| e["action"] != "case.read"));
    // The history page is rendered on the server, links to the older changes, and reading it is a read.
    let reads = async || -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'case.read' AND username = 'ncb.officer'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
    };
    let n = reads().await;
    let html = ncb.get(&format!("/cases/{}/history", st.case_id)).await.text().await.unwrap();
    assert!(html.contains("indicator.add") && html.contains("Changes to this case"), "{}", &html[..html.len().min(400)]);
    assert!(html.contains(&format!("/cases/{}/history?before={before}", st.case_id)), "links to the older changes");
    assert_eq!(reads().await, n + 1);
}

#[tokio::test]
async fn a_stale_edit_is_refused_naming_who_changed_the_case() {
    let s = TestServer::start().await;
    let (st, mut ncb, _) = story(&s).await;
    let me = support::user_id(&s.db, "ncb.officer").await.to_string();
    let edit = |title: &'static str| {
        vec![
            ("id", st.case_id.clone()),
            ("version", "1".to_string()),
            ("title", title.to_string()),
            ("summary", "s".to_string()),
            ("category", "drug_precursors".to_string()),
            ("priority", "urgent".to_string()),
            ("tlp", "amber".to_string()),
            ("lead", me.clone()),
            ("parties", "".to_string()),
            ("links", "".to_string()),
        ]
    };
    let first = edit("First edit");
    let first: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(ncb.call("update_case", &first).await.status(), 200);
    let second = edit("Second edit from an old page");
    let second: Vec<(&str, &str)> = second.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = ncb.call("update_case", &second).await;
    assert_eq!(res.status(), 409);
    let text = res.text().await.unwrap();
    assert!(text.contains("changed by Priya Sharma at") && text.contains("since you opened it"), "{text}");
    let case = ncb.ok("get_case", &[("id", &st.case_id)]).await;
    assert_eq!(case["title"], "First edit");
}

#[tokio::test]
async fn an_html_file_named_with_a_path_is_stored_safely_and_downloaded_as_an_attachment() {
    let s = TestServer::start().await;
    let (st, mut ncb, _) = story(&s).await;
    let html = b"<html><script>alert(document.cookie)</script></html>".to_vec();
    let res = ncb.upload(&format!("case={}", st.case_id), "../../x.html", html.clone()).await;
    assert_eq!(res.status(), 201);
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(v["file_name"], "x.html");
    assert_eq!(v["size"], html.len());
    let expected = app::backend::exchange::attachments::sha256_hex(&html);
    assert_eq!(v["sha256"], expected);
    // On disk under its hash, not its name; nothing escaped the attachment directory.
    let stored: String =
        sqlx::query_scalar("SELECT sha256 FROM attachments WHERE id = ?").bind(v["id"].as_i64()).fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(stored, expected);

    let dl = ncb.get(&format!("/attachments/{}", v["id"])).await;
    assert_eq!(dl.status(), 200);
    let h = dl.headers().clone();
    assert_eq!(h["content-type"], "application/octet-stream");
    assert!(h["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"x.html\""));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert_eq!(dl.bytes().await.unwrap().to_vec(), html);
}

#[tokio::test]
async fn an_attachment_over_the_limit_is_refused_with_a_clear_message() {
    let args = server::config::ServeArgs { attachment_max_mb: 1, ..Default::default() };
    let s = TestServer::start_with(args).await;
    let (st, mut ncb, _) = story(&s).await;
    let res = ncb.upload(&format!("case={}", st.case_id), "big.bin", vec![7u8; 1024 * 1024 + 10]).await;
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("larger than the 1 MB limit"));
    let files: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE file_name = 'big.bin'").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(files, 0);
}

#[tokio::test]
async fn the_recipient_answers_with_a_graded_response_and_the_sender_closes() {
    let s = TestServer::start().await;
    let (st, mut ncb, mut rcmp) = story(&s).await;
    // RCMP's file waits in its response form: until the response is sent it is RCMP's own, and NCB gets the
    // same answer as for a missing file.
    let files = |v: &serde_json::Value| v["attachments"].as_array().unwrap().iter().map(|f| f["file_name"].to_string()).collect::<Vec<_>>();
    assert!(files(&ncb.ok("get_request", &[("id", &st.request_id)]).await).is_empty());
    assert_eq!(files(&rcmp.ok("get_request", &[("id", &st.request_id)]).await), ["\"companies.csv\""]);
    let (early, missing) = (ncb.get(&format!("/attachments/{}", st.attachment_id)).await, ncb.get("/attachments/987654").await);
    assert_eq!((early.status().as_u16(), missing.status().as_u16()), (404, 404));
    assert_eq!(early.text().await.unwrap(), missing.text().await.unwrap());
    assert_eq!(rcmp.get(&format!("/attachments/{}", st.attachment_id)).await.status(), 200);
    // Nor does the case history tell NCB of the file (its upload, RCMP's reading it) before the answer goes.
    let file_events = |h: serde_json::Value| {
        ["changes", "views"]
            .iter()
            .flat_map(|k| h[k].as_array().unwrap().clone())
            .filter(|e| e["action"].as_str().unwrap().starts_with("attachment."))
            .count()
    };
    assert_eq!(file_events(ncb.ok("case_history", &[("id", &st.case_id)]).await), 0);
    assert_eq!(file_events(rcmp.ok("case_history", &[("id", &st.case_id)]).await), 2, "RCMP's own upload and read");
    // A response less strict than the request is refused.
    let res = rcmp
        .call(
            "respond_to_request",
            &[
                ("id", &st.request_id),
                ("kind", "final_answer"),
                ("body", "Answer"),
                ("source_grade", "B"),
                ("info_grade", "2"),
                ("tlp", "green"),
                ("attachments", &st.attachment_id),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("TLP:AMBER or stricter"));
    rcmp.ok(
        "respond_to_request",
        &[
            ("id", &st.request_id),
            ("kind", "final_answer"),
            ("body", "Answer"),
            ("source_grade", "B"),
            ("info_grade", "2"),
            ("tlp", "amber"),
            ("attachments", &st.attachment_id),
        ],
    )
    .await;
    assert_eq!(file_events(ncb.ok("case_history", &[("id", &st.case_id)]).await), 2, "sent: the file's story is NCB's to see");
    // The sender cannot answer its own request; the recipient cannot close it.
    assert_eq!(ncb.call("acknowledge_request", &[("id", &st.request_id)]).await.status(), 403);
    assert_eq!(rcmp.call("close_request", &[("id", &st.request_id)]).await.status(), 403);
    let view = ncb.ok("get_request", &[("id", &st.request_id)]).await;
    assert_eq!(view["summary"]["status"], "answered");
    assert_eq!(view["responses"][0]["source_grade"], "B");
    assert_eq!(view["responses"][0]["info_grade"], "2");
    assert_eq!(view["responses"][0]["attachments"][0]["file_name"], "companies.csv");
    assert_eq!(ncb.get(&format!("/attachments/{}", st.attachment_id)).await.status(), 200, "sent with the response");
    ncb.ok("close_request", &[("id", &st.request_id)]).await;
    let res = ncb.call("close_request", &[("id", &st.request_id)]).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("A request that is closed cannot be closed."));
    // Responses are append-only in the database itself.
    let err = sqlx::query("UPDATE responses SET body = 'rewritten'").execute(&s.db.pool).await.unwrap_err();
    assert!(err.to_string().contains("append-only"));
}

#[tokio::test]
async fn indicators_are_validated_deduplicated_and_exported_as_stix() {
    let s = TestServer::start().await;
    let (st, mut ncb, _) = story(&s).await;
    let add = |value: &'static str| {
        vec![
            ("case_id", st.case_id.clone()),
            ("kind", "domain".to_string()),
            ("value", value.to_string()),
            ("tlp", "amber".to_string()),
            ("first_seen", "2026-11-01".to_string()),
            ("last_seen", "".to_string()),
            ("note", "".to_string()),
            ("h1", "on".to_string()),
            ("h3", "Not for the domain's registrar".to_string()),
        ]
    };
    let ok = add("Evil-Broker.EXAMPLE");
    let ok: Vec<(&str, &str)> = ok.iter().map(|(k, v)| (*k, v.as_str())).collect();
    ncb.ok("add_indicator", &ok).await;
    let dup = add("evil-broker.example.");
    let dup: Vec<(&str, &str)> = dup.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = ncb.call("add_indicator", &dup).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("already on this case"));
    let bad = add("not a domain");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert!(ncb.call("add_indicator", &bad).await.text().await.unwrap().contains("is not a domain name"));
    let report = ncb
        .ok(
            "bulk_add_indicators",
            &[("case_id", &st.case_id), ("text", "198.51.100.7\nsha256 zzz\nhxxp://x[.]example/a\nevil-broker.example"), ("tlp", "green")],
        )
        .await;
    let lines = report.as_array().unwrap();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines.iter().filter(|l| l["added"] == true).count(), 2);
    assert!(lines[1]["outcome"].as_str().unwrap().contains("64 hexadecimal"));
    assert!(lines[3]["outcome"].as_str().unwrap().contains("already on this case"));

    let res = ncb.get(&format!("/cases/{}/indicators.stix.json", st.case_id)).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/stix+json"));
    let bundle: serde_json::Value = res.json().await.unwrap();
    assert_eq!(bundle["type"], "bundle");
    let patterns: Vec<&str> = bundle["objects"].as_array().unwrap().iter().filter_map(|o| o["pattern"].as_str()).collect();
    assert!(patterns.contains(&"[domain-name:value = 'evil-broker.example']"));
    assert!(patterns.contains(&"[ipv4-addr:value = '198.51.100.7']"));
    assert!(patterns.contains(&"[url:value = 'http://x.example/a']"));
    // Its handling conditions travel with it as statement markings that resolve in the bundle.
    let objects = bundle["objects"].as_array().unwrap();
    let broker = objects.iter().find(|o| o["pattern"] == "[domain-name:value = 'evil-broker.example']").unwrap();
    let refs: Vec<&str> = broker["object_marking_refs"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    let statements: Vec<&str> = refs
        .iter()
        .filter_map(|id| objects.iter().find(|o| o["id"] == *id))
        .filter_map(|m| m["definition"]["statement"].as_str())
        .collect();
    assert_eq!(refs.len(), 3, "TLP, H1 and H3: {refs:?}");
    assert!(statements[0].starts_with("H1: not to be disclosed in judicial proceedings"), "{statements:?}");
    assert_eq!(statements[1], "H3: Not for the domain's registrar");
    let case = ncb.ok("get_case", &[("id", &st.case_id)]).await;
    let shown = case["indicators"].as_array().unwrap().iter().find(|i| i["value"] == "evil-broker.example").unwrap();
    assert_eq!((shown["conditions"]["h1"].as_bool(), shown["conditions"]["h2"].as_bool()), (Some(true), Some(false)));
}

/// The inbox is rendered once and then reused until something is written (backend::render_cache): it must
/// still be each viewer's own, and show a new request at once.
#[tokio::test]
async fn the_inbox_page_is_each_viewers_own_and_shows_a_new_request_at_once() {
    let s = TestServer::start().await;
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let mut cbi = s.signed_in("cbi.officer").await;
    let case_id = support::own_case(&s, &mut rcmp, "Seal ledger case").await;
    let subject = "Ledger of container seals";
    let before = ncb.get("/").await.text().await.unwrap();
    assert!(before.contains("Incoming requests") && !before.contains(subject));
    rcmp.ok(
        "create_request",
        &[
            ("case_id", &case_id),
            ("kind", "information"),
            ("subject", subject),
            ("body", "Please share the ledger."),
            ("priority", "normal"),
            ("tlp", "amber"),
            ("to_agency", "NCB"),
            ("legal_basis", "police"),
            ("due", ""),
            ("intent", "send"),
        ],
    )
    .await;
    let after = ncb.get("/").await.text().await.unwrap();
    assert!(after.contains(subject), "NCB's inbox shows the new request without waiting");
    // The same page, filters, data and minute, for an officer of another agency: their own inbox.
    let other = cbi.get("/").await.text().await.unwrap();
    assert!(other.contains("Incoming requests") && !other.contains(subject), "CBI must not be shown NCB's inbox");
}

/// The case page over HTTP: every view is in the audit trail without moving the data version (which would
/// make every kept inbox stale), a change shows on the next view, and a non-party is refused (and recorded).
#[tokio::test]
async fn the_case_page_records_every_view_shows_a_change_at_once_and_is_refused_to_non_parties() {
    let s = TestServer::start().await;
    let (st, mut ncb, mut rcmp) = story(&s).await;
    let path = format!("/cases/{}", st.case_id);
    let views = async |username: &str, outcome: &str| -> i64 {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'case.read' AND object_id = ? AND username = ? AND outcome = ?",
        )
        .bind(&st.case_id)
        .bind(username)
        .bind(outcome)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
    };
    let mut cbsa = s.signed_in("cbsa.officer").await;
    let before = views("rcmp.officer", "success").await;
    let version = s.db.generation();
    for _ in 0..3 {
        let page = rcmp.get(&path).await;
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains(TITLE));
    }
    assert_eq!(views("rcmp.officer", "success").await, before + 3, "each view is recorded");
    // Recording a read changes nothing a kept page shows: pages kept for reuse (the inbox) stay valid.
    assert_eq!(s.db.generation(), version, "reads leave the data version alone");
    ncb.ok(
        "add_indicator",
        &[
            ("case_id", &st.case_id),
            ("kind", "domain"),
            ("value", "seal-ledger.example"),
            ("tlp", "amber"),
            ("first_seen", ""),
            ("last_seen", ""),
            ("note", ""),
        ],
    )
    .await;
    assert!(s.db.generation() > version, "a change moves it");
    assert!(rcmp.get(&path).await.text().await.unwrap().contains("seal-ledger.example"), "the new indicator shows at once");
    let refused = cbsa.get(&path).await;
    assert_eq!(refused.status(), 404);
    assert!(!refused.text().await.unwrap().contains(TITLE));
    assert_eq!(views("cbsa.officer", "denied").await, 1);
}

/// A request's thread is need-to-know within its case. On NCB's precursor case, CBSA is a party only because
/// NCB asked it for import records: it must not learn of NCB's request to the RCMP for discreet observation
/// of a warehouse, anywhere (the request, the case page, lists, counts, search, the case's history), and gets
/// the same answer as for a request that does not exist. The RCMP (asked) and NCB (asker, owner) see it.
#[tokio::test]
async fn another_party_to_the_case_does_not_learn_of_a_thread_between_others() {
    let s = TestServer::start().await;
    let (id, case_id): (i64, i64) =
        sqlx::query_as("SELECT id, case_id FROM requests WHERE subject LIKE 'Discreet observation%'").fetch_one(&s.db.pool).await.unwrap();
    let (id, case) = (id.to_string(), case_id.to_string());
    let mut cbsa = s.signed_in("cbsa.officer").await;

    let hidden = cbsa.call("get_request", &[("id", &id)]).await;
    let missing = cbsa.call("get_request", &[("id", "987654")]).await;
    assert_eq!((hidden.status(), missing.status()), (missing.status(), reqwest::StatusCode::NOT_FOUND));
    assert_eq!(hidden.text().await.unwrap(), missing.text().await.unwrap());

    let subjects =
        |v: &serde_json::Value| v.as_array().unwrap().iter().map(|r| r["subject"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let opened = cbsa.ok("open_case", &[("id", &case)]).await;
    let on_case = subjects(&opened["case"]["requests"]);
    assert!(on_case.iter().any(|s| s.starts_with("Import records")), "CBSA's own thread stays: {on_case:?}");
    assert!(!on_case.iter().any(|s| s.starts_with("Discreet observation")), "{on_case:?}");
    let history = opened["history"]["changes"].as_array().unwrap().iter().chain(opened["history"]["views"].as_array().unwrap());
    let objects: Vec<String> = history.map(|e| e["object"].as_str().unwrap().to_string()).collect();
    assert!(!objects.contains(&format!("request {id}")), "the history names the hidden request: {objects:?}");
    let listed = cbsa.ok("list_requests", &[("filter[direction]", "both")]).await;
    assert!(!subjects(&listed["requests"]).iter().any(|s| s.starts_with("Discreet observation")));
    let finds_it = |found: &serde_json::Value| {
        found["hits"].as_array().unwrap().iter().any(|h| h["kind"] == "request" && h["object_id"].as_i64() == id.parse().ok())
    };
    assert!(!finds_it(&cbsa.ok("search", &[("q", "warehouse")]).await));
    // The case list counts only the open requests CBSA may know of (the import records, sent).
    let cases = cbsa.ok("list_cases", &[("filter[q]", "Fentanyl")]).await;
    assert_eq!(cases["cases"][0]["open_requests"], 1, "{cases}");

    // The two ends and the owner see it.
    for user in ["rcmp.officer", "ncb.officer", "ca.supervisor", "in.supervisor"] {
        let mut c = s.signed_in(user).await;
        assert_eq!(c.call("get_request", &[("id", &id)]).await.status(), 200, "{user}");
    }
    let mut ncb = s.signed_in("ncb.officer").await;
    assert!(finds_it(&ncb.ok("search", &[("q", "warehouse")]).await), "the same search finds it for its sender");

    // A draft to the RCMP, withdrawn before it was sent, never existed for the RCMP.
    let draft = ncb
        .ok(
            "create_request",
            &[
                ("case_id", &case),
                ("kind", "information"),
                ("subject", "Second thoughts about the consignee"),
                ("body", "Never sent."),
                ("priority", "normal"),
                ("tlp", "amber"),
                ("to_agency", "RCMP"),
                ("legal_basis", "police"),
                ("intent", "draft"),
            ],
        )
        .await;
    let draft_id = draft["id"].to_string();
    ncb.ok("withdraw_request", &[("id", &draft_id)]).await;
    let mut rcmp = s.signed_in("rcmp.officer").await;
    assert_eq!(rcmp.call("get_request", &[("id", &draft_id)]).await.status(), 404);
    let withdrawn = rcmp.ok("list_requests", &[("filter[direction]", "both"), ("filter[status]", "withdrawn")]).await;
    assert!(!subjects(&withdrawn["requests"]).iter().any(|s| s.starts_with("Second thoughts")), "{withdrawn}");
    let inbox = rcmp.ok("inbox", &[("filter[status]", "withdrawn")]).await;
    assert!(!subjects(&inbox["incoming"]).iter().any(|s| s.starts_with("Second thoughts")), "{inbox}");
    let all = ncb.ok("list_cases", &[("filter[q]", "Fentanyl")]).await;
    assert!(all["cases"][0]["open_requests"].as_i64().unwrap() >= 2, "{all}");
}

/// The case's owner reads every thread on its case but adds files only to its own: on NCB's case, a request
/// from the RCMP to the CBI is read by NCB, and only its two ends may attach to it.
#[tokio::test]
async fn only_the_two_ends_of_a_thread_add_files_to_it() {
    let s = TestServer::start().await;
    let case: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE title LIKE 'Fentanyl precursor%'").fetch_one(&s.db.pool).await.unwrap();
    let case = case.to_string();
    // NCB, the owner, brought the CBI into its case earlier (the RCMP could not have: see
    // `only_the_owning_side_brings_a_new_agency_into_a_case`).
    sqlx::query("INSERT INTO case_parties (case_id, agency_id, added_at) SELECT ?, id, datetime('now') FROM agencies WHERE code = 'CBI'")
        .bind(&case)
        .execute(&s.db.pool)
        .await
        .unwrap();
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let req = rcmp
        .ok(
            "create_request",
            &[
                ("case_id", &case),
                ("kind", "information"),
                ("subject", "Earlier seizures of the same precursor"),
                ("body", "Has the CBI seized 4-AP from this consignor?"),
                ("priority", "normal"),
                ("tlp", "amber"),
                ("to_agency", "CBI"),
                ("legal_basis", "police"),
            ],
        )
        .await;
    let id = req["id"].to_string();
    let query = format!("case={case}&request={id}");
    let mut ncb = s.signed_in("ncb.officer").await;
    assert_eq!(ncb.call("get_request", &[("id", &id)]).await.status(), 200, "the owner reads it");
    assert_eq!(ncb.upload(&query, "note.txt", b"owner's note".to_vec()).await.status(), 403, "but does not write in it");
    let mut cbsa = s.signed_in("cbsa.officer").await;
    assert_eq!(cbsa.upload(&query, "note.txt", b"x".to_vec()).await.status(), 404, "a party that is neither end nor owner");
    assert_eq!(rcmp.upload(&query, "scan.txt", b"sender's file".to_vec()).await.status(), 201);
    let mut cbi = s.signed_in("cbi.officer").await;
    assert_eq!(cbi.upload(&query, "answer.txt", b"recipient's file".to_vec()).await.status(), 201);
    let files: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE request_id = ?").bind(&id).fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(files, 2);
}

/// Sending a request makes its recipient a party; only the owning side may bring in an agency not yet party,
/// and a saved draft makes nobody a party.
#[tokio::test]
async fn only_the_owning_side_brings_a_new_agency_into_a_case() {
    let s = TestServer::start().await;
    let case: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE title LIKE 'Fentanyl precursor%'").fetch_one(&s.db.pool).await.unwrap();
    let case = case.to_string();
    let parties = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT a.code FROM case_parties p JOIN agencies a ON a.id = p.agency_id WHERE p.case_id = ? ORDER BY a.code",
        )
        .bind(&case)
        .fetch_all(&s.db.pool)
        .await
        .unwrap()
    };
    let before = parties().await;
    // The RCMP, a party from the other side, may not bring the CBI in...
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let refused = ask(&mut rcmp, &case, "CBI", "send").await;
    assert_eq!(refused.status(), 422);
    let error: app::error::AppError = refused.json().await.unwrap();
    assert!(error.field_message("to_agency").is_some_and(|m| m.contains("owning agency")), "{error:?}");
    // ...but may ask NCB, already party.
    assert_eq!(ask(&mut rcmp, &case, "NCB", "send").await.status(), 200);
    assert_eq!(parties().await, before);
    // NCB, the owner, may: its draft to the CCCS makes nobody a party; sending it does.
    let mut ncb = s.signed_in("ncb.officer").await;
    let draft: serde_json::Value = ask(&mut ncb, &case, "CCCS", "draft").await.json().await.unwrap();
    assert_eq!(parties().await, before, "a draft makes nobody a party");
    ncb.ok("send_request", &[("id", &draft["id"].to_string())]).await;
    assert!(parties().await.contains(&"CCCS".to_string()));
    // The CCCS joined through that thread: the party list shows it to those the thread exists for (the
    // owner, the CCCS itself, Canada's supervisors), not to the RCMP, which would learn of the thread.
    let shown = |v: serde_json::Value| -> Vec<String> {
        v["case"]["parties"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap().to_string()).collect()
    };
    assert!(!shown(rcmp.ok("open_case", &[("id", &case)]).await).contains(&"CCCS".to_string()));
    assert!(shown(ncb.ok("open_case", &[("id", &case)]).await).contains(&"CCCS".to_string()));
    let mut cccs = s.signed_in("cccs.officer").await;
    assert!(shown(cccs.ok("open_case", &[("id", &case)]).await).contains(&"CCCS".to_string()));
    // Nor does the case's history name it to the RCMP (the CCCS officer's reading of the case is an event).
    let history = rcmp.ok("case_history", &[("id", &case)]).await.to_string();
    assert!(!history.contains("CCCS"), "{history}");
    assert!(ncb.ok("case_history", &[("id", &case)]).await.to_string().contains("CCCS"));
    let mut canada = s.signed_in("ca.supervisor").await;
    assert!(shown(canada.ok("open_case", &[("id", &case)]).await).contains(&"CCCS".to_string()));
    // Saving the case form (which lists every party) does not make it known to all.
    let (version, title): (i64, String) =
        sqlx::query_as("SELECT version, title FROM cases WHERE id = ?").bind(&case).fetch_one(&s.db.pool).await.unwrap();
    let lead = support::user_id(&s.db, "ncb.officer").await.to_string();
    let version = version.to_string();
    let form = [
        ("id", case.as_str()),
        ("version", version.as_str()),
        ("title", title.as_str()),
        ("summary", "Updated."),
        ("category", "drug_precursors"),
        ("priority", "urgent"),
        ("tlp", "amber"),
        ("lead", lead.as_str()),
        ("parties", "RCMP,CBSA,CCCS"),
        ("links", ""),
    ];
    ncb.ok("update_case", &form).await;
    assert!(!shown(rcmp.ok("open_case", &[("id", &case)]).await).contains(&"CCCS".to_string()));
}

/// Writes a request on `case` to `to`, sent or saved as a draft (`intent`).
async fn ask(c: &mut support::Client, case: &str, to: &str, intent: &str) -> reqwest::Response {
    let subject = format!("Question for {to}");
    let form = [
        ("case_id", case),
        ("kind", "information"),
        ("subject", &subject),
        ("body", "Please check your records."),
        ("priority", "normal"),
        ("tlp", "amber"),
        ("to_agency", to),
        ("legal_basis", "police"),
        ("intent", intent),
    ];
    c.call("create_request", &form).await
}

/// Indicators go to every party of their case, except those under TLP:AMBER+STRICT or TLP:RED: those only
/// to the agency that added them and the case's owner (case page, STIX export, search).
#[tokio::test]
async fn restricted_indicators_stay_with_their_author_and_the_owner() {
    let s = TestServer::start().await;
    let case: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE title LIKE 'Fentanyl precursor%'").fetch_one(&s.db.pool).await.unwrap();
    let case = case.to_string();
    let mut ncb = s.signed_in("ncb.officer").await;
    let mut cbsa = s.signed_in("cbsa.officer").await;
    add_domain(&mut ncb, &case, "red-by-owner.example", "red").await;
    add_domain(&mut ncb, &case, "amber-by-owner.example", "amber").await;
    add_domain(&mut cbsa, &case, "strict-by-cbsa.example", "amber_strict").await;
    let seen = |v: &serde_json::Value| -> Vec<String> {
        let mut out: Vec<String> =
            v["case"]["indicators"].as_array().unwrap().iter().map(|i| i["value"].as_str().unwrap().to_string()).collect();
        out.retain(|x| x.ends_with("-by-owner.example") || x.ends_with("-by-cbsa.example"));
        out.sort();
        out
    };
    let mut rcmp = s.signed_in("rcmp.officer").await;
    assert_eq!(
        seen(&ncb.ok("open_case", &[("id", &case)]).await),
        ["amber-by-owner.example", "red-by-owner.example", "strict-by-cbsa.example"]
    );
    assert_eq!(seen(&cbsa.ok("open_case", &[("id", &case)]).await), ["amber-by-owner.example", "strict-by-cbsa.example"]);
    assert_eq!(seen(&rcmp.ok("open_case", &[("id", &case)]).await), ["amber-by-owner.example"]);
    // The STIX export and search follow the same rule.
    let stix = rcmp.get(&format!("/cases/{case}/indicators.stix.json")).await.text().await.unwrap();
    assert!(stix.contains("amber-by-owner.example") && !stix.contains("red-by-owner") && !stix.contains("strict-by-cbsa"), "{stix}");
    let found = rcmp.ok("search", &[("q", "red-by-owner.example")]).await;
    assert!(found["hits"].as_array().unwrap().iter().all(|h| h["kind"] != "indicator"), "{found}");
    let found = ncb.ok("search", &[("q", "strict-by-cbsa.example")]).await;
    assert!(found["hits"].as_array().unwrap().iter().any(|h| h["kind"] == "indicator"), "the owner finds it: {found}");
    // Adding an indicator another agency holds under a restriction reveals nothing: the RCMP adds its own.
    let res =
        rcmp.call("add_indicator", &[("case_id", &case), ("kind", "domain"), ("value", "red-by-owner.example"), ("tlp", "amber")]).await;
    assert_eq!(res.status(), 200, "no 'already on this case' for one the RCMP cannot see");
    assert_eq!(seen(&rcmp.ok("open_case", &[("id", &case)]).await), ["amber-by-owner.example", "red-by-owner.example"]);
    // A duplicate the user can see is still refused.
    let res =
        rcmp.call("add_indicator", &[("case_id", &case), ("kind", "domain"), ("value", "amber-by-owner.example"), ("tlp", "amber")]).await;
    assert_eq!(res.status(), 422);
}

async fn add_domain(c: &mut support::Client, case: &str, value: &str, tlp: &str) {
    c.ok("add_indicator", &[("case_id", case), ("kind", "domain"), ("value", value), ("tlp", tlp)]).await;
}

/// The grounds for declining are bounded, with a message on the field; nothing changes.
#[tokio::test]
async fn grounds_for_declining_over_the_limit_are_refused_with_a_message() {
    let s = TestServer::start().await;
    let (st, _, mut rcmp) = story(&s).await;
    let long = "x".repeat(app::api::requests::MAX_DECLINE_REASON_CHARS + 1);
    let res = rcmp.call("decline_request", &[("id", &st.request_id), ("reason", &long)]).await;
    assert_eq!(res.status(), 422);
    let error: app::error::AppError = res.json().await.unwrap();
    assert!(error.field_message("reason").is_some_and(|m| m.contains("5000 characters")), "{error:?}");
    let status: String =
        sqlx::query_scalar("SELECT status FROM requests WHERE id = ?").bind(&st.request_id).fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(status, "acknowledged");
}

/// Asking an agency that joined only through a thread the asker cannot see is refused exactly as asking an
/// agency that is no party at all: the refusal does not reveal the thread.
#[tokio::test]
async fn a_request_to_an_agency_hidden_in_a_thread_is_refused_like_one_to_a_stranger() {
    let s = TestServer::start().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let lead = support::user_id(&s.db, "ncb.officer").await.to_string();
    let form = [
        ("title", "Shared precursor broker"),
        ("summary", ""),
        ("category", "drug_precursors"),
        ("priority", "normal"),
        ("tlp", "amber"),
        ("lead", lead.as_str()),
        ("parties", "CBI,RCMP"),
        ("links", ""),
    ];
    let case = ncb.ok("create_case", &form).await["id"].to_string();
    assert_eq!(ask(&mut ncb, &case, "CCCS", "send").await.status(), 200, "the owner brings the CCCS in through a thread");
    let mut cbi = s.signed_in("cbi.officer").await;
    let hidden = ask(&mut cbi, &case, "CCCS", "draft").await;
    let stranger = ask(&mut cbi, &case, "CBSA", "draft").await;
    assert_eq!(hidden.status(), 422);
    assert_eq!(stranger.status(), 422);
    assert_eq!(hidden.text().await.unwrap(), stranger.text().await.unwrap());
    // The RCMP, named openly, is still asked as before.
    assert_eq!(ask(&mut cbi, &case, "RCMP", "draft").await.status(), 200);
}

/// The agencies party to a case are picked by ticking them (the page posts `parties[]` once per ticked
/// box), as well as typed as codes by the API; an unknown code ticked by hand is refused on its field.
#[tokio::test]
async fn agencies_are_brought_into_a_case_by_ticking_them() {
    let s = TestServer::start_bare().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let me = support::user_id(&s.db, "ncb.officer").await.to_string();
    let case = |parties: &[&'static str]| {
        let mut form: Vec<(&str, String)> = vec![
            ("title", "Picked parties".into()),
            ("summary", String::new()),
            ("category", "fraud".into()),
            ("priority", "normal".into()),
            ("tlp", "amber".into()),
            ("lead", me.clone()),
            ("links", String::new()),
        ];
        form.extend(parties.iter().map(|p| ("parties[]", p.to_string())));
        form
    };
    let form = case(&["CBI", "RCMP"]);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = ncb.ok("create_case", &pairs).await;
    let opened = ncb.ok("open_case", &[("id", &created["id"].to_string())]).await;
    let mut codes: Vec<&str> = opened["case"]["parties"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    codes.sort();
    assert_eq!(codes, ["CBI", "NCB", "RCMP"]);

    let form = case(&["CBI", "NOPE"]);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = ncb.call("create_case", &pairs).await;
    assert_eq!(refused.status(), 422);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "parties", "{body}");
}

/// Opening or downloading a file only looks at the case: the history lists it with the views. The changes are
/// found through their partial index, whose condition must stay the query's word for word.
#[tokio::test]
async fn reading_a_file_is_a_view_and_the_changes_keep_their_index() {
    let s = TestServer::start().await;
    let (st, _ncb, mut rcmp) = story(&s).await;
    assert_eq!(rcmp.get(&format!("/attachments/{}", st.attachment_id)).await.status(), 200);
    let h = rcmp.ok("case_history", &[("id", &st.case_id)]).await;
    let actions = |k: &str| h[k].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert!(actions("views").contains(&"attachment.download".to_string()), "{:?}", actions("views"));
    assert!(!actions("changes").contains(&"attachment.download".to_string()), "{:?}", actions("changes"));
    assert!(actions("changes").contains(&"attachment.upload".to_string()), "an upload is a change");

    let query = format!(
        "EXPLAIN QUERY PLAN SELECT id FROM audit_events WHERE case_id = 1 AND action NOT IN {} AND id < 99 ORDER BY id DESC LIMIT 5",
        app::backend::exchange::cases::VIEW_ACTIONS
    );
    let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(&query).fetch_all(&s.db.pool).await.unwrap();
    assert!(plan.iter().any(|step| step.3.contains("audit_events_case_changes")), "{plan:?}");
}

/// The related-cases look-up names only cases the user may see: the owner finds its case by words of the
/// title and by reference; an officer of another agency not party finds nothing, though the words match.
#[tokio::test]
async fn the_related_cases_look_up_finds_only_what_the_user_may_see() {
    let s = TestServer::start_bare().await;
    let (story, mut ncb, mut rcmp) = story(&s).await;
    let reference: String = sqlx::query_scalar("SELECT reference FROM cases WHERE id = ?")
        .bind(story.case_id.parse::<i64>().unwrap())
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    let found = ncb.ok("case_lookup", &[("q", "precursor brok")]).await;
    assert_eq!(found[0]["reference"], reference.as_str(), "{found}");
    assert_eq!(found[0]["title"], TITLE);
    let by_reference = ncb.ok("case_lookup", &[("q", &reference[3..])]).await;
    assert_eq!(by_reference.as_array().unwrap().len(), 1, "{by_reference}");
    // RCMP became a party when the request reached it.
    assert_eq!(rcmp.ok("case_lookup", &[("q", "precursor")]).await[0]["reference"], reference.as_str());
    let mut cbi = s.signed_in("cbi.officer").await;
    assert_eq!(cbi.ok("case_lookup", &[("q", "precursor")]).await, serde_json::json!([]));
    assert_eq!(cbi.ok("case_lookup", &[("q", &reference)]).await, serde_json::json!([]));
    // A wildcard is a character like any other, and one letter asks nothing.
    assert_eq!(ncb.ok("case_lookup", &[("q", "%%")]).await, serde_json::json!([]));
    assert_eq!(ncb.ok("case_lookup", &[("q", "p")]).await, serde_json::json!([]));
    assert_eq!(ncb.call("case_lookup", &[("q", &"x".repeat(10_000))]).await.status(), 422);
}
