//! Conditions of use over real HTTP: a request states its legal basis from its country's list; an answer
//! given under H2 does not reach a third agency until its provider consents, then does with its files and
//! conditions; consent asked goes overdue in the provider's inbox; the rules' SQL and Rust agree.

mod support;

use app::backend::exchange::consents::{ConsentOverdue, PassOnLifted};
use app::backend::exchange::rules::TakesPassedOn;
use app::model::{ConsentPurpose, ConsentStatus, RequestStatus};
use support::{Client, TestServer};

async fn send(c: &mut Client, case: &str, to: &str, subject: &str, extra: &[(&str, &str)]) -> String {
    let mut form = vec![
        ("case_id", case),
        ("kind", "information"),
        ("subject", subject),
        ("body", "Which companies bought ephedrine?"),
        ("priority", "normal"),
        ("tlp", "amber"),
        ("to_agency", to),
        ("legal_basis", "police"),
        ("intent", "send"),
    ];
    form.extend_from_slice(extra);
    c.ok("create_request", &form).await["id"].to_string()
}

#[tokio::test]
async fn an_h2_answer_reaches_a_third_agency_only_once_its_provider_consents() {
    let s = TestServer::start().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let case = support::own_case(&s, &mut ncb, "Ephedrine brokers in Hyderabad").await;
    let asked = send(&mut ncb, &case, "RCMP", "Buyers' company records", &[("for_court", "on"), ("h0", "on")]).await;

    // The recipient reads the legal basis and the request's conditions before answering.
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let view = rcmp.ok("get_request", &[("id", &asked)]).await;
    assert_eq!(view["legal_basis"]["code"], "police");
    assert_eq!(view["for_court"], true);
    assert_eq!(view["conditions"]["h0"], true);
    // An answer looser than the request (H0 dropped) is refused; with H0, H1 and H2 it is given.
    let up = rcmp.upload(&format!("case={case}&request={asked}"), "buyers.csv", b"name\nNorthern Chem\n".to_vec()).await;
    assert_eq!(up.status(), 201);
    let file: serde_json::Value = up.json().await.unwrap();
    let file = file["id"].to_string();
    let mut answer = vec![
        ("id", asked.as_str()),
        ("kind", "final_answer"),
        ("body", "Northern Chem Supply Ltd bought 40 t."),
        ("source_grade", "B"),
        ("info_grade", "2"),
        ("tlp", "amber"),
        ("attachments", file.as_str()),
        ("h2", "on"),
    ];
    let refused = rcmp.call("respond_to_request", &answer).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("H0"));
    answer.extend([("h0", "on"), ("h1", "on")]);
    rcmp.ok("respond_to_request", &answer).await;
    let given: i64 = sqlx::query_scalar("SELECT id FROM responses WHERE request_id = ?").bind(&asked).fetch_one(&s.db.pool).await.unwrap();
    let given = given.to_string();

    // NCB asks CBSA (a third agency) and tries to pass RCMP's answer on with it: refused, H2.
    let onward = send(&mut ncb, &case, "CBSA", "Flag the buyer's next import", &[]).await;
    let pass = [("response_id", given.as_str()), ("request_id", onward.as_str())];
    let refused = ncb.call("pass_on_response", &pass).await;
    assert_eq!(refused.status(), 409);
    assert!(refused.text().await.unwrap().contains("ConsentNeeded"));
    let mut cbsa = s.signed_in("cbsa.officer").await;
    let seen = cbsa.ok("get_request", &[("id", &onward)]).await;
    assert_eq!(seen["passed_on"].as_array().unwrap().len(), 0);
    assert_eq!(seen["attachments"].as_array().unwrap().len(), 0);

    // Consent asked of RCMP, for CBSA: in RCMP's inbox; CBSA (not in that thread) cannot answer it.
    ncb.ok("ask_consent", &[("response_id", &given), ("purpose", "pass_on"), ("pass_to", "CBSA"), ("reason", "Border alert.")]).await;
    let inbox = rcmp.ok("inbox", &[("filter[direction]", "incoming")]).await;
    // (After the demo's own, overdue: earliest due first.)
    let waiting =
        inbox["consents"].as_array().unwrap().iter().find(|k| k["response_id"].as_i64() == given.parse().ok()).expect("in RCMP's inbox");
    assert_eq!((waiting["purpose"].as_str(), waiting["pass_to"].as_str()), (Some("pass_on"), Some("CBSA")));
    assert_eq!(waiting["deadline"]["overdue"], false);
    let consent = waiting["id"].to_string();
    let grant = [("id", consent.as_str()), ("decision", "granted"), ("answer", "For the border alert only.")];
    assert_eq!(cbsa.call("answer_consent", &grant).await.status(), 404);
    assert_eq!(ncb.call("answer_consent", &grant).await.status(), 403, "the asker does not answer its own ask");
    // While it is awaited, passing on is still refused.
    assert_eq!(ncb.call("pass_on_response", &pass).await.status(), 409);
    rcmp.ok("answer_consent", &grant).await;

    // Now it goes, once, with its file and conditions; CBSA reads it and downloads the file under a name
    // that carries the conditions.
    ncb.ok("pass_on_response", &pass).await;
    assert_eq!(ncb.call("pass_on_response", &pass).await.status(), 409, "passed on once");
    let seen = cbsa.ok("get_request", &[("id", &onward)]).await;
    let passed = &seen["passed_on"][0]["response"];
    assert_eq!(passed["body"], "Northern Chem Supply Ltd bought 40 t.");
    assert_eq!((passed["conditions"]["h1"].as_bool(), passed["conditions"]["h2"].as_bool()), (Some(true), Some(true)));
    let files = seen["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["file_name"], "buyers.csv");
    let res = cbsa.get(&format!("/attachments/{}", files[0]["id"])).await;
    assert_eq!(res.status(), 200);
    let name = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(name.contains("buyers (H0 H1 H2).csv"), "{name}");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"name\nNorthern Chem\n");
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action IN ('consent.ask', 'consent.answer', 'response.pass_on')")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
    assert_eq!(audited, 3);

    // Consent to pass it on to CBSA is not consent for CBSA to export it: CBSA's report of the case would
    // carry the answer passed on to it, and is held back.
    let held = cbsa.get(&format!("/cases/{case}/report.pdf")).await;
    assert_eq!(held.status(), 409);
    assert!(held.text().await.unwrap().contains(&format!("R{onward} (RCMP)")));

    // Migration 0033 (consent to export) made again on a database where information was passed on with
    // consent: `passed_on` refers to the consents, and the table is made again under them.
    let m33 = app::backend::platform::db::MIGRATOR.iter().find(|m| m.version == 33).expect("migration 0033");
    let mut tx = s.db.pool.begin().await.unwrap();
    sqlx::raw_sql(m33.sql.as_ref()).execute(&mut *tx).await.unwrap();
    tx.commit().await.expect("the references from passed_on hold at the end");
    let kept: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM passed_on p JOIN consents k ON k.id = p.consent_id").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(kept, 1);
}

/// `asked` answered finally by `by`, under the one condition `condition` (`h1`, `h2`…): the answer's id.
/// The NCB's case with its request to the RCMP, answered under `condition` (`h1`, `h2`…).
struct Answered {
    s: TestServer,
    ncb: Client,
    rcmp: Client,
    case: String,
    given: String,
}

async fn answered_under(condition: &str) -> Answered {
    let s = TestServer::start().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let case = support::own_case(&s, &mut ncb, "Ephedrine brokers in Hyderabad").await;
    let asked = send(&mut ncb, &case, "RCMP", "Buyers' company records", &[]).await;
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let given = answer_under(&s, &mut rcmp, &asked, condition).await.to_string();
    Answered { s, ncb, rcmp, case, given }
}

async fn answer_under(s: &TestServer, by: &mut Client, asked: &str, condition: &str) -> i64 {
    let answer = [
        ("id", asked),
        ("kind", "final_answer"),
        ("body", "Northern Chem Supply Ltd bought 40 t."),
        ("source_grade", "B"),
        ("info_grade", "2"),
        ("tlp", "amber"),
        (condition, "on"),
    ];
    by.ok("respond_to_request", &answer).await;
    sqlx::query_scalar("SELECT id FROM responses WHERE request_id = ?").bind(asked).fetch_one(&s.db.pool).await.unwrap()
}

#[tokio::test]
async fn an_h2_answer_holds_the_case_report_back_from_the_side_it_was_given_to_until_its_provider_consents_to_export() {
    let s = TestServer::start().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let case = support::own_case(&s, &mut ncb, "Ephedrine brokers in Hyderabad").await;
    let asked = send(&mut ncb, &case, "RCMP", "Buyers' company records", &[]).await;
    let report = format!("/cases/{case}/report.pdf");
    assert_eq!(ncb.get(&report).await.status(), 200, "nothing under H2 yet");

    let mut rcmp = s.signed_in("rcmp.officer").await;
    let given = answer_under(&s, &mut rcmp, &asked, "h2").await;

    // NCB, given it under H2, may not take it out of Liaison Desk: the report is refused, naming the answer,
    // and the case page says so instead of offering the report.
    let refused = ncb.get(&report).await;
    assert_eq!(refused.status(), 409);
    let text = refused.text().await.unwrap();
    assert!(text.contains(&format!("R{asked} (RCMP)")) && text.contains("H2"), "{text}");
    let page = ncb.ok("open_case", &[("id", &case)]).await;
    assert_eq!(
        page["case"]["export_held"],
        serde_json::json!([{"response_id": given, "request_id": asked.parse::<i64>().unwrap(), "provider": "RCMP"}])
    );
    let html = ncb.get(&format!("/cases/{case}")).await.text().await.unwrap();
    assert!(html.contains("PDF report held back") && !html.contains(&format!("href=\"{report}\"")), "the page offers no report");
    // Its provider may (it gave it), and a third agency still learns nothing of the case.
    assert_eq!(rcmp.get(&report).await.status(), 200);
    assert_eq!(rcmp.ok("open_case", &[("id", &case)]).await["case"]["export_held"], serde_json::json!([]));
    let mut cbsa = s.signed_in("cbsa.officer").await;
    assert_eq!(cbsa.get(&report).await.status(), 404);

    // Consent to pass it on to another agency does not lift it for exports; asked to export, it stays held
    // until RCMP grants it.
    let given = given.to_string();
    ncb.ok("ask_consent", &[("response_id", &given), ("purpose", "export"), ("reason", "For the prosecutor's briefing file.")]).await;
    assert_eq!(ncb.get(&report).await.status(), 409, "asked is not granted");
    // Nor does passing it on with a draft of another case (to RCMP itself, which needs no consent) take it
    // out: that case's report is held back by it too.
    let other = support::own_case(&s, &mut ncb, "Second consignment").await;
    let draft = [
        ("case_id", other.as_str()),
        ("kind", "information"),
        ("subject", "Follow-up"),
        ("body", "Any later shipments?"),
        ("priority", "normal"),
        ("tlp", "amber"),
        ("to_agency", "RCMP"),
        ("legal_basis", "police"),
        ("intent", "draft"),
    ];
    let draft = ncb.ok("create_request", &draft).await["id"].to_string();
    ncb.ok("pass_on_response", &[("response_id", given.as_str()), ("request_id", draft.as_str())]).await;
    let other_report = format!("/cases/{other}/report.pdf");
    let held = ncb.get(&other_report).await;
    assert_eq!(held.status(), 409);
    assert!(held.text().await.unwrap().contains(&format!("R{draft} (RCMP)")));
    let consent: i64 = sqlx::query_scalar("SELECT id FROM consents WHERE response_id = ? AND purpose = 'export'")
        .bind(&given)
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    rcmp.ok("answer_consent", &[("id", &consent.to_string()), ("decision", "granted"), ("answer", "For the briefing file only.")]).await;
    let pdf = ncb.get(&report).await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    assert_eq!(ncb.get(&other_report).await.status(), 200, "granted to NCB's side, wherever it carries the answer");
    // Granted once is granted: asking again would only notify RCMP again.
    let again = ncb.call("ask_consent", &[("response_id", &given), ("purpose", "export"), ("reason", "Again.")]).await;
    assert_eq!(again.status(), 409);
    assert_eq!(ncb.ok("open_case", &[("id", &case)]).await["case"]["export_held"], serde_json::json!([]));

    // The refusals are in the audit trail with the answers that caused them.
    let denied: Vec<String> = sqlx::query_scalar(
        "SELECT details FROM audit_events WHERE action = 'case.export_pdf' AND outcome = 'denied' AND user_id = ? ORDER BY id",
    )
    .bind(support::user_id(&s.db, "ncb.officer").await)
    .fetch_all(&s.db.pool)
    .await
    .unwrap();
    assert_eq!(denied.len(), 3, "{denied:?}");
    assert!(denied.iter().all(|d| d.contains(&format!("\"held_back\":[{given}]"))), "{denied:?}");
}

/// The case's owner reads every thread on its case, so an answer under H2 between two other parties holds
/// its report back too: it asks the provider itself (not to pass it on, which is for the agency it was
/// given to), and a grant to it lifts it for it alone.
#[tokio::test]
async fn the_cases_owner_asks_for_itself_when_the_thread_is_between_two_other_parties() {
    let s = TestServer::start().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let case = support::case_with_parties(&s, &mut ncb, "Ephedrine brokers in Hyderabad", "CBI, RCMP").await;
    let mut cbi = s.signed_in("cbi.officer").await;
    let asked = send(&mut cbi, &case, "RCMP", "Directors of the broker", &[]).await;
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let given = answer_under(&s, &mut rcmp, &asked, "h2").await.to_string();
    let report = format!("/cases/{case}/report.pdf");
    assert_eq!(ncb.get(&report).await.status(), 409, "the owner holds it too");

    // The owner's page offers to ask, but not to pass it on.
    let thread = ncb.ok("get_request", &[("id", &asked)]).await;
    let answer = &thread["responses"][0];
    assert_eq!((&answer["may_ask_consent"], &answer["may_ask_pass_on"]), (&serde_json::json!(true), &serde_json::json!(false)), "{answer}");
    let theirs = cbi.ok("get_request", &[("id", &asked)]).await;
    assert_eq!(theirs["responses"][0]["may_ask_pass_on"], true, "the CBI, it was given to, may pass it on");
    let pass_on = [("response_id", given.as_str()), ("purpose", "pass_on"), ("pass_to", "CBSA"), ("reason", "Our customs.")];
    assert_eq!(ncb.call("ask_consent", &pass_on).await.status(), 403);
    ncb.ok("ask_consent", &[("response_id", &given), ("purpose", "export"), ("reason", "The prosecutor's file.")]).await;
    let (asker, to): (i64, i64) =
        sqlx::query_as("SELECT k.from_agency_id, k.to_agency_id FROM consents k WHERE k.response_id = ? AND k.purpose = 'export'")
            .bind(&given)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
    let pool = &s.db.pool;
    let agency = |code: &'static str| async move {
        sqlx::query_scalar::<_, i64>("SELECT id FROM agencies WHERE code = ?").bind(code).fetch_one(pool).await.unwrap()
    };
    assert_eq!((asker, to), (agency("NCB").await, agency("RCMP").await), "asked as the NCB, of the RCMP");
    // The CBI (it was given to) asks for itself too: the NCB's open ask does not stand in its way.
    cbi.ok("ask_consent", &[("response_id", &given), ("purpose", "export"), ("reason", "Our own file.")]).await;
    // The provider never asks itself.
    assert_eq!(rcmp.call("ask_consent", &[("response_id", &given), ("purpose", "export"), ("reason", "x")]).await.status(), 403);

    let consent: i64 = sqlx::query_scalar("SELECT id FROM consents WHERE response_id = ? AND from_agency_id = ?")
        .bind(&given)
        .bind(asker)
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    rcmp.ok("answer_consent", &[("id", &consent.to_string()), ("decision", "granted"), ("answer", "For the file only.")]).await;
    assert_eq!(ncb.get(&report).await.status(), 200, "granted to the owner");
    // The provider's notice named the NCB; the CBI's page reads that the NCB asked, not why, and shows
    // nothing lifted for itself.
    let said: String = sqlx::query_scalar("SELECT agency FROM notifications WHERE kind = 'consent_asked' ORDER BY id LIMIT 1")
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(said, "NCB");
    let theirs = cbi.ok("get_request", &[("id", &asked)]).await;
    let owner_ask = theirs["responses"][0]["consents"].as_array().unwrap().iter().find(|k| k["asked_by_agency"] == "NCB").cloned().unwrap();
    assert_eq!((&owner_ask["reason"], &owner_ask["asked_by_my_side"]), (&serde_json::json!(""), &serde_json::json!(false)));
    let html = cbi.get(&format!("/requests/{asked}")).await.text().await.unwrap();
    assert!(!html.contains("Lifted by the provider"), "nothing lifted for the CBI");
    let html = ncb.get(&format!("/requests/{asked}")).await.text().await.unwrap();
    assert!(html.contains("Lifted by the provider"), "lifted for the NCB");
    assert_eq!(cbi.get(&report).await.status(), 409, "a grant to one holder is not one to another");
    // The owner withdraws nothing it did not ask, and the CBI may withdraw its own.
    let cbi_ask: i64 = sqlx::query_scalar("SELECT id FROM consents WHERE response_id = ? AND status = 'asked'")
        .bind(&given)
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(ncb.call("withdraw_consent", &[("id", &cbi_ask.to_string())]).await.status(), 403);
    cbi.ok("withdraw_consent", &[("id", &cbi_ask.to_string())]).await;
}

/// An agency an H2 answer was passed on to holds it too: its report of the case is held back until it asks
/// the provider itself and is granted; it may not ask to pass it further on; the answer's alert links to
/// the request it reads it on.
#[tokio::test]
async fn a_third_agency_given_an_answer_passed_on_asks_for_itself() {
    let Answered { s, mut ncb, mut rcmp, case, given } = answered_under("h2").await;
    ncb.ok("ask_consent", &[("response_id", &given), ("purpose", "pass_on"), ("pass_to", "CBSA"), ("reason", "Customs.")]).await;
    let consent_id = |agency: &'static str| {
        let pool = s.db.pool.clone();
        let given = given.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT k.id FROM consents k JOIN agencies a ON a.id = k.from_agency_id WHERE k.response_id = ? AND a.code = ? \
                 AND k.status = 'asked'",
            )
            .bind(given)
            .bind(agency)
            .fetch_one(&pool)
            .await
            .unwrap()
            .to_string()
        }
    };
    rcmp.ok("answer_consent", &[("id", &consent_id("NCB").await), ("decision", "granted"), ("answer", "CBSA only.")]).await;
    let to_cbsa = send(&mut ncb, &case, "CBSA", "Shipping manifests", &[]).await;
    ncb.ok("pass_on_response", &[("response_id", &given), ("request_id", &to_cbsa)]).await;

    let mut cbsa = s.signed_in("cbsa.officer").await;
    let report = format!("/cases/{case}/report.pdf");
    assert_eq!(cbsa.get(&report).await.status(), 409, "held by the answer passed on to it");
    let thread = cbsa.ok("get_request", &[("id", &to_cbsa)]).await;
    let passed = &thread["passed_on"][0]["response"];
    assert_eq!((&passed["may_ask_consent"], &passed["may_ask_pass_on"]), (&serde_json::json!(true), &serde_json::json!(false)), "{passed}");
    assert_eq!(passed["consents"], serde_json::json!([]), "the NCB's own asks are not the CBSA's to read");
    // It may not pass it further on; it asks, withdraws, asks again, and is granted.
    let further = [("response_id", given.as_str()), ("purpose", "pass_on"), ("pass_to", "CBI"), ("reason", "x")];
    assert_eq!(cbsa.call("ask_consent", &further).await.status(), 403);
    let export = [("response_id", given.as_str()), ("purpose", "export"), ("reason", "Our seizure report.")];
    cbsa.ok("ask_consent", &export).await;
    cbsa.ok("withdraw_consent", &[("id", &consent_id("CBSA").await)]).await;
    cbsa.ok("ask_consent", &export).await;
    let thread = cbsa.ok("get_request", &[("id", &to_cbsa)]).await;
    let own = &thread["passed_on"][0]["response"]["consents"][0];
    assert_eq!(own["asked_by_agency"], "CBSA");
    assert_eq!((own["request_id"].to_string(), &own["case_reference"]), (to_cbsa.clone(), &serde_json::json!("")), "{own}");
    // Another agency's ask on it: not found for the CBSA, as if there were none.
    ncb.ok("ask_consent", &[("response_id", &given), ("purpose", "export"), ("reason", "Our file.")]).await;
    assert_eq!(cbsa.call("withdraw_consent", &[("id", &consent_id("NCB").await)]).await.status(), 404);
    assert_eq!(ncb.call("withdraw_consent", &[("id", &consent_id("CBSA").await)]).await.status(), 403, "not the NCB's ask");
    let mut cbi = s.signed_in("cbi.officer").await;
    assert_eq!(cbi.call("ask_consent", &export).await.status(), 404, "an agency that holds it nowhere");
    rcmp.ok("answer_consent", &[("id", &consent_id("CBSA").await), ("decision", "granted"), ("answer", "For the report.")]).await;
    assert_eq!(cbsa.get(&report).await.status(), 200, "granted to the CBSA");
    assert_eq!(ncb.get(&report).await.status(), 409, "the NCB's own export is its own to ask");
    let link: String = sqlx::query_scalar(
        "SELECT n.link FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'cbsa.officer' AND n.kind = 'consent_answered'",
    )
    .fetch_one(&s.db.pool)
    .await
    .unwrap();
    assert!(link.starts_with(&format!("/requests/{to_cbsa}#")), "{link}");
    let subject: String = sqlx::query_scalar(
        "SELECT n.subject FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'cbsa.officer' AND n.kind = 'consent_answered'",
    )
    .fetch_one(&s.db.pool)
    .await
    .unwrap();
    assert_eq!(subject, "Shipping manifests", "the request it reads it on, not the thread it came from");
}

#[tokio::test]
async fn consent_to_export_is_asked_only_of_an_answer_under_h2() {
    let Answered { s: _s, mut ncb, case, given, .. } = answered_under("h1").await;
    let refused = ncb.call("ask_consent", &[("response_id", &given), ("purpose", "export"), ("reason", "Briefing.")]).await;
    assert!(refused.status().is_client_error(), "{}", refused.status());
    assert_eq!(ncb.get(&format!("/cases/{case}/report.pdf")).await.status(), 200, "H1 alone does not hold a report back");
}

/// The whole TAXII collection as `user` reads it with a token of theirs, as text.
async fn taxii_feed(s: &TestServer, c: &mut Client, user: &str) -> String {
    let password = s.passwords[user].clone();
    let token = c.ok("create_token", &[("name", "MISP"), ("read", "on"), ("password", &password)]).await;
    let url = format!("{}/taxii2/api1/collections/5f3c0e7a-9d1b-4a5e-8c2f-6b7d1e0a4c93/objects/?limit=1000", s.base);
    c.http.get(url).bearer_auth(token["secret"].as_str().unwrap()).send().await.unwrap().text().await.unwrap()
}

/// An indicator under H2 leaves Liaison Desk only for its provider's side: the other parties read it on the
/// case page, which says it is left out, but their STIX export and TAXII feed do not carry it; the provider's
/// do, and a party's own H2 indicator goes into its own export.
#[tokio::test]
async fn an_h2_indicator_leaves_only_by_its_providers_exports() {
    let s = TestServer::start().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let case = support::own_case(&s, &mut ncb, "Ephedrine brokers in Hyderabad").await;
    send(&mut ncb, &case, "RCMP", "Buyers' company records", &[]).await;
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let add = |value: &'static str, h2: bool| {
        let mut form = vec![("case_id", case.clone()), ("kind", "domain".into()), ("value", value.into()), ("tlp", "amber".into())];
        if h2 {
            form.push(("h2", "on".into()));
        }
        form
    };
    for (by_ncb, value, h2) in [(false, "held.example", true), (false, "free.example", false), (true, "own-h2.example", true)] {
        let f = add(value, h2);
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        if by_ncb { &mut ncb } else { &mut rcmp }.ok("add_indicator", &pairs).await;
    }
    let values = |v: &serde_json::Value| v.to_string();
    // NCB (the owner): all three on the page, one said to be held; the export and the feed leave it out.
    let page = ncb.ok("get_case", &[("id", &case)]).await;
    assert!(values(&page["indicators"]).contains("held.example"));
    assert_eq!(page["indicators_held"], 1);
    let stix = ncb.get(&format!("/cases/{case}/indicators.stix.json")).await.text().await.unwrap();
    assert!(!stix.contains("held.example") && stix.contains("free.example") && stix.contains("own-h2.example"), "{stix}");
    let ncb_feed = taxii_feed(&s, &mut ncb, "ncb.officer").await;
    assert!(!ncb_feed.contains("held.example") && ncb_feed.contains("free.example") && ncb_feed.contains("own-h2.example"), "{ncb_feed}");
    // RCMP (the provider): its own H2 indicator goes into its export and feed; NCB's does not.
    let page = rcmp.ok("get_case", &[("id", &case)]).await;
    assert_eq!(page["indicators_held"], 1, "NCB's own H2 indicator is held from the RCMP");
    let stix = rcmp.get(&format!("/cases/{case}/indicators.stix.json")).await.text().await.unwrap();
    assert!(stix.contains("held.example") && !stix.contains("own-h2.example"), "{stix}");
    let rcmp_feed = taxii_feed(&s, &mut rcmp, "rcmp.officer").await;
    assert!(rcmp_feed.contains("held.example") && !rcmp_feed.contains("own-h2.example"), "{rcmp_feed}");

    // The PDF report leaves it out too, and says so.
    let pdf = ncb.get(&format!("/cases/{case}/report.pdf")).await;
    assert_eq!(pdf.status(), 200);
    let text = support::pdf_pages(&pdf.bytes().await.unwrap()).join("\n");
    assert!(text.contains("free.example") && text.contains("own-h2.example") && !text.contains("held.example"), "{text}");
    assert!(text.contains("1 indicator under H2 from another agency is left out of this report"), "{text}");

    // A supervisor sees their country's, but what they take out lands in their own agency: Canada's
    // supervisor (RCMP) does not export the CBSA's H2 indicator.
    send(&mut ncb, &case, "CBSA", "Shipping manifests", &[]).await;
    let mut cbsa = s.signed_in("cbsa.officer").await;
    let f = add("cbsa-h2.example", true);
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    cbsa.ok("add_indicator", &pairs).await;
    let mut sup = s.signed_in("ca.supervisor").await;
    assert!(values(&sup.ok("get_case", &[("id", &case)]).await["indicators"]).contains("cbsa-h2.example"));
    let stix = sup.get(&format!("/cases/{case}/indicators.stix.json")).await.text().await.unwrap();
    assert!(!stix.contains("cbsa-h2.example") && stix.contains("held.example"), "{stix}");
    let stix = cbsa.get(&format!("/cases/{case}/indicators.stix.json")).await.text().await.unwrap();
    assert!(stix.contains("cbsa-h2.example"), "{stix}");
}

/// Asking for consent alerts the provider's officers, so an officer who asks and withdraws in a loop is
/// stopped after the third ask of a day (`AskLimit`; its per-agency cap is unit-tested beside it).
#[tokio::test]
async fn the_same_consent_is_asked_at_most_three_times_a_day() {
    let Answered { s, mut ncb, given, .. } = answered_under("h1").await;
    let alerts = || async {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'consent_asked'").fetch_one(&s.db.pool).await.unwrap();
        n
    };
    let before = alerts().await;
    let ask = [("response_id", given.as_str()), ("purpose", "judicial"), ("reason", "The trial in Hyderabad.")];
    for _ in 0..3 {
        ncb.ok("ask_consent", &ask).await;
        let id: i64 = sqlx::query_scalar("SELECT id FROM consents WHERE response_id = ? AND status = 'asked'")
            .bind(&given)
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        ncb.ok("withdraw_consent", &[("id", &id.to_string())]).await;
    }
    let sent = alerts().await - before;
    assert!(sent >= 3, "each ask alerted the provider: {sent}");
    // Refused in the reader's language.
    let rb = ncb.http.post(format!("{}/api/ask_consent", s.base)).header("accept", "application/json").header("accept-language", "fr-CA");
    let fourth = ncb.with_cookie(rb.form(&ask)).send().await.unwrap();
    assert_eq!(fourth.status(), 409);
    let text = fourth.text().await.unwrap();
    assert!(text.contains("demandé 3 fois de votre côté"), "{text}");
    assert_eq!(alerts().await - before, sent, "the refused ask alerted nobody");
    let refused: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'consent.ask' AND outcome = 'denied'")
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(refused, 1, "the refused ask is in the audit trail");
    let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consents WHERE response_id = ? AND status = 'asked'")
        .bind(&given)
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(open, 0, "nothing recorded for the refused ask");
    // A day later, it may be asked again.
    sqlx::query("UPDATE consents SET asked_at = datetime('now', '-2 days') WHERE response_id = ?")
        .bind(&given)
        .execute(&s.db.pool)
        .await
        .unwrap();
    ncb.ok("ask_consent", &ask).await;
}

#[tokio::test]
async fn a_request_names_a_current_basis_of_its_own_country_and_admins_keep_the_list() {
    let s = TestServer::start().await;
    // The demo's admin is Canada's (Public Safety Canada): Canada's list, used by the RCMP.
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let case = support::own_case(&s, &mut rcmp, "Hawala transfers to Surrey").await;
    let form = |basis: &'static str| {
        vec![
            ("case_id", case.clone()),
            ("kind", "information".to_string()),
            ("subject", "Transfers".to_string()),
            ("body", "Please list the transfers.".to_string()),
            ("priority", "normal".to_string()),
            ("tlp", "amber".to_string()),
            ("to_agency", "NCB".to_string()),
            ("legal_basis", basis.to_string()),
        ]
    };
    for basis in ["", "treaty_of_westphalia"] {
        let f = form(basis);
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = rcmp.call("create_request", &pairs).await;
        assert_eq!(res.status(), 422, "basis {basis:?}");
        assert!(res.text().await.unwrap().contains("legal basis"));
    }
    // The admin retires Canada's INTERPOL basis: new requests cannot name it, the officers' form no longer
    // offers it; India's list is India's.
    let mut admin = s.signed_in("admin").await;
    let bases = admin.ok("legal_bases", &[]).await;
    let interpol = bases.as_array().unwrap().iter().find(|b| b["code"] == "interpol").unwrap()["id"].to_string();
    admin.ok("retire_legal_basis", &[("id", &interpol)]).await;
    let f = form("interpol");
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(rcmp.call("create_request", &pairs).await.status(), 422);
    let offered = rcmp.ok("case_form_options", &[]).await;
    assert!(offered["legal_bases"].as_array().unwrap().iter().all(|b| b["code"] != "interpol"));
    let mut ncb = s.signed_in("ncb.officer").await;
    let india = ncb.ok("case_form_options", &[]).await;
    assert!(india["legal_bases"].as_array().unwrap().iter().any(|b| b["code"] == "interpol"));
    // A new basis: a bad code is refused with its message; a good one is offered at once.
    let bad = admin.call("add_legal_basis", &[("code", "Bad Code!"), ("label", "Something")]).await;
    assert_eq!(bad.status(), 422);
    admin.ok("add_legal_basis", &[("code", "fiu_exchange"), ("label", "Financial intelligence unit exchange (Egmont)")]).await;
    let offered = rcmp.ok("case_form_options", &[]).await;
    assert!(offered["legal_bases"].as_array().unwrap().iter().any(|b| b["code"] == "fiu_exchange"));
    // Officers do not keep the list.
    assert_eq!(ncb.call("add_legal_basis", &[("code", "mine"), ("label", "My own basis")]).await.status(), 403);
}

#[tokio::test]
async fn consent_asked_goes_overdue_in_the_providers_inbox_and_the_rules_agree_with_their_sql() {
    let s = TestServer::start().await;
    // The demo's consent to pass RCMP's answer on to CBSA was asked six days ago with five to answer.
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let inbox = rcmp.ok("inbox", &[("filter[direction]", "incoming")]).await;
    let overdue = inbox["consents"].as_array().unwrap().iter().find(|k| k["pass_to"] == "CBSA").expect("the demo's consent");
    assert_eq!(overdue["deadline"]["overdue"], true);
    // Canada's supervisors see it on the dashboard; India has none asked of it.
    let now = chrono::Utc::now();
    let canada = app::backend::oversight::dashboard::compute(&s.db.pool, app::model::Country::Canada, now).await.unwrap();
    assert_eq!((canada.consents_awaited.value, canada.consents_overdue.value), (1, 1));
    let india = app::backend::oversight::dashboard::compute(&s.db.pool, app::model::Country::India, now).await.unwrap();
    assert_eq!((india.consents_awaited.value, india.consents_overdue.value), (0, 0));
    // Asking about a condition the answer does not carry (no H3) is refused.
    let mut ncb = s.signed_in("ncb.officer").await;
    let given = overdue["response_id"].to_string();
    let res = ncb.call("ask_consent", &[("response_id", &given), ("purpose", "other"), ("reason", "x")]).await;
    assert_eq!(res.status(), 409);

    // Each rule's SQL selects exactly the rows its Rust says hold.
    // (id, status, due, purpose, agency passed to, response)
    type ConsentRow = (i64, String, chrono::DateTime<chrono::Utc>, String, Option<i64>, i64);
    let rows: Vec<ConsentRow> = sqlx::query_as("SELECT id, status, due_at, purpose, pass_to_agency_id, response_id FROM consents")
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
    assert!(rows.len() >= 2);
    let overdue_sql: Vec<i64> =
        sqlx::query_scalar(&format!("SELECT k.id FROM consents k WHERE {} ORDER BY k.id", ConsentOverdue::sql("?1")))
            .bind(now)
            .fetch_all(&s.db.pool)
            .await
            .unwrap();
    let overdue_rust: Vec<i64> =
        rows.iter().filter(|(_, status, due, ..)| ConsentOverdue::holds(status.parse().unwrap(), *due, now)).map(|r| r.0).collect();
    assert_eq!(overdue_sql, overdue_rust);
    assert_eq!(overdue_sql.len(), 1);
    let agencies: Vec<i64> = sqlx::query_scalar("SELECT id FROM agencies").fetch_all(&s.db.pool).await.unwrap();
    for (_, _, _, _, _, response) in &rows {
        let held: Vec<(ConsentPurpose, Option<i64>, ConsentStatus)> =
            rows.iter().filter(|r| r.5 == *response).map(|r| (r.3.parse().unwrap(), r.4, r.1.parse().unwrap())).collect();
        for agency in &agencies {
            let sql: bool = sqlx::query_scalar(&format!("SELECT {}", PassOnLifted::SQL))
                .bind(response)
                .bind(agency)
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
            assert_eq!(sql, PassOnLifted::holds(&held, *agency), "response {response}, agency {agency}");
        }
    }
    let statuses: Vec<(i64, String)> = sqlx::query_as("SELECT id, status FROM requests ORDER BY id").fetch_all(&s.db.pool).await.unwrap();
    let taken: Vec<i64> = sqlx::query_scalar(&format!("SELECT r.id FROM requests r WHERE {} ORDER BY r.id", TakesPassedOn::SQL))
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
    let held: Vec<i64> =
        statuses.iter().filter(|(_, st)| TakesPassedOn::holds(st.parse::<RequestStatus>().unwrap())).map(|r| r.0).collect();
    assert_eq!(taken, held);
}

/// Notifications of `kind` to the user signed in as `login`: (title, link).
async fn notified(s: &TestServer, login: &str, kind: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT n.title, n.link FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = ? AND n.kind = ? ORDER BY n.id",
    )
    .bind(login)
    .bind(kind)
    .fetch_all(&s.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_consent_awaited_is_reminded_of_once_before_and_once_after_its_deadline_and_its_answer_is_emailed() {
    let s = TestServer::start().await;
    let now = chrono::Utc::now();
    // The demo's consent to pass RCMP's answer on to CBSA is overdue: RCMP's officers are told, once.
    app::backend::oversight::notifications::remind(&s.db, now).await.unwrap();
    app::backend::oversight::notifications::remind(&s.db, now).await.unwrap();
    let overdue = notified(&s, "rcmp.officer", "consent_overdue").await;
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert!(overdue[0].0.starts_with("Consent overdue (Pass on to another agency (H2)): Voyage history"), "{overdue:?}");
    assert!(overdue[0].1.starts_with("/requests/") && overdue[0].1.contains("#response-"));
    assert!(notified(&s, "ncb.officer", "consent_overdue").await.is_empty(), "the asking side is not reminded");

    // A new ask, due in five days: reminded of once within its last 24 hours, not before.
    let given: i64 = sqlx::query_scalar("SELECT response_id FROM consents WHERE purpose = 'pass_on'").fetch_one(&s.db.pool).await.unwrap();
    sqlx::query("UPDATE users SET email = 'priya@ncb.example.in', email_alerts = 'each' WHERE username = 'ncb.officer'")
        .execute(&s.db.pool)
        .await
        .unwrap();
    let mut ncb = s.signed_in("ncb.officer").await;
    let given = given.to_string();
    ncb.ok(
        "ask_consent",
        &[("response_id", &given), ("purpose", "pass_on"), ("pass_to", "CBI"), ("reason", "The CBI holds the fraud case.")],
    )
    .await;
    app::backend::oversight::notifications::remind(&s.db, now + chrono::Duration::days(3)).await.unwrap();
    assert!(notified(&s, "rcmp.officer", "consent_due_soon").await.is_empty(), "two days to go");
    let day_before = now + chrono::Duration::days(4) + chrono::Duration::hours(2);
    app::backend::oversight::notifications::remind(&s.db, day_before).await.unwrap();
    app::backend::oversight::notifications::remind(&s.db, day_before).await.unwrap();
    assert_eq!(notified(&s, "rcmp.officer", "consent_due_soon").await.len(), 1);

    // RCMP refuses; the asker is notified and e-mailed, the e-mail naming the reference only.
    let mut rcmp = s.signed_in("rcmp.officer").await;
    let asked: i64 = sqlx::query_scalar(
        "SELECT id FROM consents WHERE status = 'asked' AND pass_to_agency_id = (SELECT id FROM agencies WHERE code = 'CBI')",
    )
    .fetch_one(&s.db.pool)
    .await
    .unwrap();
    rcmp.ok(
        "answer_consent",
        &[("id", &asked.to_string()), ("decision", "refused"), ("answer", "The CBI is not party to the treaty channel.")],
    )
    .await;
    assert_eq!(notified(&s, "ncb.officer", "consent_answered").await.len(), 1);
    let mut conn = s.db.pool.acquire().await.unwrap();
    let alerts = app::backend::oversight::alerts::due(&mut conn, chrono::Utc::now(), 50).await.unwrap();
    let mine: Vec<_> = alerts.into_iter().filter(|a| a.email == "priya@ncb.example.in").collect();
    assert_eq!(mine.iter().map(|a| a.kind.as_str()).collect::<Vec<_>>(), ["consent_answered"]);
    let mail = app::backend::oversight::alerts::compose(&mine, "https://desk.example").unwrap();
    assert!(mail.subject.contains("Consent answered"), "{}", mail.subject);
    for content in ["Voyage", "treaty channel", "CBI"] {
        assert!(!mail.subject.contains(content) && !mail.body.contains(content), "{content} in {mail:?}");
    }
}
