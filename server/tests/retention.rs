//! Retention review over real HTTP: a closed case comes up for review; its owning country's supervisor keeps
//! it (with a reason) or purges it; a purge leaves the skeleton and the audit trail (which still verifies),
//! removes the files from disk and the texts from search; the parties read who purged it and why. And the
//! person-centred report finds a person under either name order.

mod support;

use app::backend::exchange::retention::ReviewDue;
use app::backend::platform::audit::{verify, ChainReport};
use support::TestServer;

#[tokio::test]
async fn a_purge_leaves_the_skeleton_and_the_audit_chain_and_takes_the_content_and_files() {
    let s = TestServer::start().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let case = support::own_case(&s, &mut ncb, "Rajesh Sharma's shell companies").await;
    ncb.ok("add_entity", &[("case_id", &case), ("kind", "person"), ("name", "Rajesh Sharma"), ("identifier", "1971-03-02"), ("note", "")])
        .await;
    let asked = ncb
        .ok(
            "create_request",
            &[
                ("case_id", &case),
                ("kind", "information"),
                ("subject", "Accounts of Rajesh Sharma"),
                ("body", "Which accounts does Rajesh Sharma hold?"),
                ("priority", "normal"),
                ("tlp", "amber"),
                ("to_agency", "RCMP"),
                ("legal_basis", "police"),
                ("intent", "send"),
            ],
        )
        .await["id"]
        .to_string();
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let up = rcmp.upload(&format!("case={case}&request={asked}"), "accounts.csv", b"Rajesh Sharma,TD 0042\n".to_vec()).await;
    let file: serde_json::Value = up.json().await.unwrap();
    let file_id = file["id"].to_string();
    let sha = file["sha256"].as_str().unwrap().to_string();
    rcmp.ok(
        "respond_to_request",
        &[
            ("id", &asked),
            ("kind", "final_answer"),
            ("body", "Rajesh Sharma holds two accounts at TD."),
            ("source_grade", "B"),
            ("info_grade", "2"),
            ("tlp", "amber"),
            ("attachments", &file_id),
        ],
    )
    .await;
    let stored = s.files_dir().join(&sha[..2]).join(&sha);
    assert!(stored.exists(), "the file is stored at {stored:?}");

    // Closing starts the clock: due in five years, so not in the review list now.
    ncb.ok("change_case_status", &[("id", &case), ("status", "closed")]).await;
    let review: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT review_at FROM cases WHERE id = ?").bind(&case).fetch_one(&s.db.pool).await.unwrap();
    let days = (review - chrono::Utc::now()).num_days();
    assert!((5 * 365 - 1..=5 * 365 + 2).contains(&days), "five years on: {review}");
    let mut india = s.signed_in("in.supervisor").await;
    let due = india.ok("retention_due", &[]).await;
    assert!(due.as_array().unwrap().iter().all(|c| c["case_id"].as_i64() != case.parse().ok()));
    let purge = [("case_id", case.as_str()), ("decision", "purge"), ("reason", "Retention period over; no proceedings pending.")];
    assert_eq!(india.call("decide_retention", &purge).await.status(), 409, "not due yet");

    // Five years later (the review date moved, as time would).
    sqlx::query("UPDATE cases SET review_at = ? WHERE id = ?")
        .bind(chrono::Utc::now() - chrono::Duration::days(1))
        .bind(&case)
        .execute(&s.db.pool)
        .await
        .unwrap();
    let due = india.ok("retention_due", &[]).await;
    let item = due.as_array().unwrap().iter().find(|c| c["case_id"].as_i64() == case.parse().ok()).expect("due for review");
    assert_eq!((item["requests"].as_i64(), item["named"].as_i64(), item["files"].as_i64()), (Some(1), Some(1), Some(1)));
    // Canada's supervisor (a party) does not decide India's case; an officer does not review at all.
    let mut canada = s.signed_in("ca.supervisor").await;
    assert_eq!(canada.call("decide_retention", &purge).await.status(), 403);
    assert_eq!(ncb.call("decide_retention", &purge).await.status(), 403);
    // A keep needs a future date and a reason.
    let bad = india
        .call("decide_retention", &[("case_id", case.as_str()), ("decision", "keep"), ("keep_until", "2001-01-01"), ("reason", "")])
        .await;
    assert_eq!(bad.status(), 422);
    india.ok("decide_retention", &purge).await;

    // The skeleton: reference, parties, dates, counts; no text, no file, no person.
    let (title, summary, purged_by): (String, String, Option<i64>) =
        sqlx::query_as("SELECT title, summary, purged_by FROM cases WHERE id = ?").bind(&case).fetch_one(&s.db.pool).await.unwrap();
    assert_eq!((title.as_str(), summary.as_str()), ("Purged case", ""));
    assert!(purged_by.is_some());
    let texts: Vec<String> = sqlx::query_scalar(
        "SELECT subject || body FROM requests WHERE case_id = ?1 UNION ALL SELECT s.body FROM responses s JOIN requests r ON r.id = s.request_id WHERE r.case_id = ?1",
    )
    .bind(&case)
    .fetch_all(&s.db.pool)
    .await
    .unwrap();
    assert_eq!(texts, ["Purged", ""], "the request and response are kept, emptied");
    for table in ["attachments", "entities", "indicators"] {
        let n: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE case_id = ?")).bind(&case).fetch_one(&s.db.pool).await.unwrap();
        assert_eq!(n, 0, "{table}");
    }
    assert!(!stored.exists(), "the file is gone from disk");
    let titles: Vec<String> =
        sqlx::query_scalar("SELECT title || ' ' || COALESCE(subject, '') FROM notifications").fetch_all(&s.db.pool).await.unwrap();
    assert!(titles.iter().all(|t| !t.contains("Rajesh")), "{titles:?}");
    let found = india.ok("search", &[("q", "Rajesh Sharma")]).await;
    assert!(found["hits"].as_array().unwrap().iter().all(|h| h["case_id"].as_i64() != case.parse().ok()), "{found}");
    match verify(&s.db.pool).await.unwrap() {
        ChainReport::Ok { events } => assert!(events > 10),
        broken => panic!("the audit chain broke: {broken:?}"),
    }
    let purged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'case.purge' AND object_id = ?")
        .bind(&case)
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(purged, 1);

    // The parties read who purged it and why; nothing more is done on it.
    let seen = rcmp.ok("get_case", &[("id", &case)]).await;
    assert_eq!(seen["purged"]["reason"], "Retention period over; no proceedings pending.");
    let supervisor: String =
        sqlx::query_scalar("SELECT display_name FROM users WHERE username = 'in.supervisor'").fetch_one(&s.db.pool).await.unwrap();
    assert!(seen["purged"]["by"].as_str().unwrap().starts_with(&supervisor), "{seen}");
    let answer = [("id", asked.as_str()), ("kind", "clarification_request"), ("body", "More?"), ("tlp", "amber")];
    let refused = rcmp.call("respond_to_request", &answer).await;
    assert_eq!(refused.status(), 409);
    assert!(refused.text().await.unwrap().contains("purged"));
    let refused = ncb.call("add_entity", &[("case_id", &case), ("kind", "person"), ("name", "Someone Else")]).await;
    assert_eq!(refused.status(), 409);
    assert!(refused.text().await.unwrap().contains("purged"));
}

#[tokio::test]
async fn the_person_report_finds_a_person_whichever_order_the_name_is_written_in() {
    let s = TestServer::start().await;
    let mut india = s.signed_in("in.supervisor").await;
    for name in ["Vikram Joshi", "JOSHI Vikram", "joshi, vikram"] {
        let report = india.ok("person_report", &[("name", name)]).await;
        let records = report["records"].as_array().unwrap();
        let person = records.iter().find(|r| r["kind"] == "entity").unwrap_or_else(|| panic!("{name}: {report}"));
        assert_eq!(person["text"], "Vikram Joshi");
        assert_eq!((person["identifier"].as_str(), person["source_agency"].as_str()), (Some("1979-04-12"), Some("NCB")));
    }
    let none = india.ok("person_report", &[("name", "Nobody Atall")]).await;
    assert_eq!(none["records"].as_array().unwrap().len(), 0);
    assert_eq!(india.call("person_report", &[("name", "x")]).await.status(), 422);
    // Each report is in the audit trail, without the name itself.
    let details: Vec<String> =
        sqlx::query_scalar("SELECT details FROM audit_events WHERE action = 'person.report'").fetch_all(&s.db.pool).await.unwrap();
    assert_eq!(details.len(), 4);
    assert!(details.iter().all(|d| !d.to_lowercase().contains("joshi") && d.contains("name_tag")), "{details:?}");
}

#[tokio::test]
async fn review_due_agrees_with_its_sql() {
    let s = TestServer::start().await;
    let now = chrono::Utc::now();
    let rows: Vec<(i64, Option<chrono::DateTime<chrono::Utc>>, bool)> =
        sqlx::query_as("SELECT id, review_at, purged_at IS NOT NULL FROM cases ORDER BY id").fetch_all(&s.db.pool).await.unwrap();
    let rust: Vec<i64> = rows.iter().filter(|(_, r, p)| ReviewDue::holds(*r, *p, now)).map(|r| r.0).collect();
    let sql: Vec<i64> = sqlx::query_scalar(&format!("SELECT c.id FROM cases c WHERE {} ORDER BY c.id", ReviewDue::sql("?1")))
        .bind(now)
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(rust, sql);
    assert_eq!(sql.len(), 1, "the demo's hawala case");
}

/// Each country's admin sets how long its closed cases are kept before review, by category: cases of that
/// country closed afterwards follow it, the other country's do not; only an admin may, with whole years.
#[tokio::test]
async fn a_countrys_admin_sets_how_long_closed_cases_wait_for_review() {
    let s = TestServer::start_bare().await;
    let mut admin = s.signed_in("admin").await; // Public Safety Canada's
    let mut rcmp = s.signed_in("rcmp.officer").await;
    assert_eq!(rcmp.call("set_retention_period", &[("category", "fraud"), ("years", "7")]).await.status(), 403);
    let refused = admin.call("set_retention_period", &[("category", "fraud"), ("years", "0")]).await;
    assert_eq!(refused.status(), 422);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "years");
    admin.ok("set_retention_period", &[("category", "fraud"), ("years", "7")]).await;
    let shown = admin.ok("retention_periods", &[]).await;
    let fraud = shown.as_array().unwrap().iter().find(|p| p["category"] == "fraud").unwrap();
    assert_eq!(fraud["years"], 7);

    let review_years = |case: String| {
        let pool = s.db.pool.clone();
        async move {
            let review: chrono::DateTime<chrono::Utc> =
                sqlx::query_scalar("SELECT review_at FROM cases WHERE id = ?").bind(&case).fetch_one(&pool).await.unwrap();
            ((review - chrono::Utc::now()).num_days() as f64 / 365.25).round() as i64
        }
    };
    let canadian = support::own_case(&s, &mut rcmp, "Cheque kiting ring").await;
    rcmp.ok("change_case_status", &[("id", &canadian), ("status", "closed")]).await;
    assert_eq!(review_years(canadian).await, 7, "Canada's fraud cases now wait seven years");
    let mut ncb = s.signed_in("ncb.officer").await;
    let indian = support::own_case(&s, &mut ncb, "Hawala ledger").await;
    ncb.ok("change_case_status", &[("id", &indian), ("status", "closed")]).await;
    assert_eq!(review_years(indian).await, 5, "India's default stands");

    // Back to the default: the category follows it again; the default itself cannot be emptied.
    admin.ok("set_retention_period", &[("category", "fraud"), ("years", "")]).await;
    assert_eq!(admin.call("set_retention_period", &[("category", "*"), ("years", "")]).await.status(), 422);
    let events: Vec<String> = sqlx::query_scalar("SELECT details FROM audit_events WHERE action = 'retention.period' ORDER BY id")
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events[0].contains("\"to\":7") && events[0].contains("\"country\":\"CA\""), "{}", events[0]);
    assert!(events[1].contains("\"from\":7") && events[1].contains("\"to\":null"), "{}", events[1]);
}
