//! Separation of duties on accounts, as an attacker with an admin account would try it: grant yourself
//! something, open case content to an account alone, decide your own request, reuse a temporary password.

mod support;

use support::{user_id, TestServer};

async fn role_of(s: &TestServer, username: &str) -> String {
    sqlx::query_scalar("SELECT role FROM users WHERE username = ?").bind(username).fetch_one(&s.db.pool).await.unwrap()
}

async fn status_of(s: &TestServer, username: &str) -> String {
    sqlx::query_scalar("SELECT status FROM users WHERE username = ?").bind(username).fetch_one(&s.db.pool).await.unwrap()
}

/// The open change of the account, as the given client's confirmations list shows it (None: not shown).
async fn open_change_seen_by(client: &mut support::Client, username: &str) -> Option<serde_json::Value> {
    let list = client.ok("list_account_changes", &[]).await;
    list.as_array().unwrap().iter().find(|c| c["username"] == username && c["decision"].is_null()).cloned()
}

#[tokio::test]
async fn an_admin_cannot_change_their_own_account() {
    let s = TestServer::start_bare().await;
    let mut admin = s.signed_in("admin").await;
    let me = user_id(&s.db, "admin").await.to_string();
    let tries = [
        ("update_user", vec![("id", me.as_str()), ("display_name", "Meera"), ("role", "officer"), ("agency", "PS")]),
        ("update_user", vec![("id", me.as_str()), ("display_name", "Meera"), ("role", "admin"), ("agency", "NCB")]),
        ("set_user_enabled", vec![("id", me.as_str()), ("enabled", "false")]),
        ("reset_user_password", vec![("id", me.as_str())]),
    ];
    for (endpoint, form) in tries {
        let res = admin.call(endpoint, &form).await;
        assert_eq!(res.status(), 409, "{endpoint} {form:?}");
        assert!(res.text().await.unwrap().contains("your own"), "{endpoint} says why");
    }
    let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account_changes").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(open, 0, "nothing was even proposed");
    assert_eq!(role_of(&s, "admin").await, "admin");
    assert_eq!(admin.whoami().await.as_deref(), Some("admin"), "the password still works, the session too");
}

#[tokio::test]
async fn a_new_account_signs_in_only_after_a_supervisor_of_its_country_confirms() {
    let s = TestServer::start_bare().await;
    let mut admin = s.signed_in("admin").await;
    let form = [("username", "anita.desai"), ("display_name", "Anita Desai"), ("role", "officer"), ("agency", "NIA"), ("time_zone", "")];
    let asked = admin.ok("create_user", &form).await;
    assert_eq!(asked["confirmer"], "a supervisor in India");
    assert!(asked.get("temporary_password").is_none(), "the admin holds no credential of the new account");
    assert_eq!(status_of(&s, "anita.desai").await, "disabled");

    // The admin sees the change but may not decide it; the other country's supervisor does not see it;
    // an officer has no confirmations at all.
    let change = open_change_seen_by(&mut admin, "anita.desai").await.expect("the admin sees it");
    assert_eq!(change["may_decide"], false);
    let id = change["id"].to_string();
    assert_eq!(admin.call("decide_account_change", &[("id", &id), ("confirm", "true"), ("grounds", "")]).await.status(), 409);
    let mut canada = s.signed_in("ca.supervisor").await;
    assert!(open_change_seen_by(&mut canada, "anita.desai").await.is_none());
    assert_eq!(canada.call("decide_account_change", &[("id", &id), ("confirm", "true"), ("grounds", "")]).await.status(), 404);
    let mut officer = s.signed_in("ncb.officer").await;
    assert_eq!(officer.call("list_account_changes", &[]).await.status(), 403);
    assert_eq!(officer.call("decide_account_change", &[("id", &id), ("confirm", "true"), ("grounds", "")]).await.status(), 403);
    assert_eq!(status_of(&s, "anita.desai").await, "disabled");

    let mut india = s.signed_in("in.supervisor").await;
    let seen = open_change_seen_by(&mut india, "anita.desai").await.expect("India's supervisor sees it");
    assert_eq!(seen["may_decide"], true);
    assert_eq!(seen["requested_by"], "Meera Joshi (Admin)");
    let issued = india.ok("decide_account_change", &[("id", &id), ("confirm", "true"), ("grounds", "")]).await;
    let temporary = issued["temporary_password"].as_str().expect("the confirmer receives the password").to_string();
    assert_eq!(india.call("decide_account_change", &[("id", &id), ("confirm", "false"), ("grounds", "late")]).await.status(), 409);

    // The temporary password opens one session (to replace it), and only one: of two sign-ins racing
    // with it, exactly one gets in.
    let (mut a, mut b) = (s.client(), s.client());
    let (ra, rb) = tokio::join!(a.sign_in("anita.desai", &temporary), b.sign_in("anita.desai", &temporary));
    let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 422]);
    let res = s.client().sign_in("anita.desai", &temporary).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("used already or has expired"));

    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_events WHERE action LIKE 'account_change.%' OR action = 'user.create' ORDER BY id")
            .fetch_all(&s.db.pool)
            .await
            .unwrap();
    assert!(actions.ends_with(&["user.create".to_string(), "account_change.confirm".to_string()]), "{actions:?}");
}

#[tokio::test]
async fn a_new_role_waits_and_a_refusal_needs_grounds_and_changes_nothing() {
    let s = TestServer::start_bare().await;
    let mut admin = s.signed_in("admin").await;
    let id = user_id(&s.db, "cbi.officer").await.to_string();
    admin.ok("update_user", &[("id", &id), ("display_name", "Arjun K. Mehta"), ("role", "supervisor"), ("agency", "CBI")]).await;
    assert_eq!(role_of(&s, "cbi.officer").await, "officer", "the role waits");
    let name: String =
        sqlx::query_scalar("SELECT display_name FROM users WHERE username = 'cbi.officer'").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(name, "Arjun K. Mehta", "a name opens nothing and changes at once");
    // A second change of the same account waits for the first.
    let res = admin.call("update_user", &[("id", &id), ("display_name", "Arjun K. Mehta"), ("role", "officer"), ("agency", "NIA")]).await;
    assert_eq!(res.status(), 409);

    let mut india = s.signed_in("in.supervisor").await;
    let change = open_change_seen_by(&mut india, "cbi.officer").await.unwrap();
    assert_eq!(change["description"], "Role: Liaison officer → Supervisor");
    let cid = change["id"].to_string();
    let res = india.call("decide_account_change", &[("id", &cid), ("confirm", "false"), ("grounds", "  ")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Say why"));
    let long = "x".repeat(2001);
    assert_eq!(india.call("decide_account_change", &[("id", &cid), ("confirm", "false"), ("grounds", &long)]).await.status(), 422);
    india.ok("decide_account_change", &[("id", &cid), ("confirm", "false"), ("grounds", "Not a supervisor post at CBI.")]).await;
    assert_eq!(role_of(&s, "cbi.officer").await, "officer");
    let decided = admin.ok("list_account_changes", &[("user", &id)]).await;
    assert_eq!(decided[0]["decision"], "refused");
    assert_eq!(decided[0]["grounds"], "Not a supervisor post at CBI.");

    // Moving an Indian officer to a Canadian agency is Canada's supervisors' call; what was sent to them
    // at the CBI does not follow them to the RCMP.
    sqlx::query("INSERT INTO notifications (user_id, kind, title, link, dedupe_key, created_at) VALUES (?, 'new_request', 'CBI matter', '/requests/1', 'k', '2026-01-01T00:00:00Z')")
        .bind(id.parse::<i64>().unwrap())
        .execute(&s.db.pool)
        .await
        .unwrap();
    admin.ok("update_user", &[("id", &id), ("display_name", "Arjun K. Mehta"), ("role", "officer"), ("agency", "RCMP")]).await;
    assert!(open_change_seen_by(&mut india, "cbi.officer").await.is_none());
    let mut canada = s.signed_in("ca.supervisor").await;
    let change = open_change_seen_by(&mut canada, "cbi.officer").await.unwrap();
    canada.ok("decide_account_change", &[("id", &change["id"].to_string()), ("confirm", "true"), ("grounds", "")]).await;
    let agency: String =
        sqlx::query_scalar("SELECT a.code FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.username = 'cbi.officer'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
    assert_eq!(agency, "RCMP");
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ?")
        .bind(id.parse::<i64>().unwrap())
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    let unread: i64 = sqlx::query_scalar("SELECT COALESCE(SUM(unread), 0) FROM unread_counts WHERE user_id = ?")
        .bind(id.parse::<i64>().unwrap())
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(unread, 0);
}

#[tokio::test]
async fn making_an_admin_takes_a_second_admin() {
    let s = TestServer::start_bare().await;
    let mut admin = s.signed_in("admin").await;
    let id = user_id(&s.db, "ca.supervisor").await.to_string();
    admin.ok("update_user", &[("id", &id), ("display_name", "Sarah Thompson"), ("role", "admin"), ("agency", "RCMP")]).await;
    let change = open_change_seen_by(&mut admin, "ca.supervisor").await.unwrap();
    let cid = change["id"].to_string();
    // Neither the asking admin, nor the account itself (a supervisor, who would crown themselves), decides.
    assert_eq!(admin.call("decide_account_change", &[("id", &cid), ("confirm", "true"), ("grounds", "")]).await.status(), 409);
    let mut target = s.signed_in("ca.supervisor").await;
    assert_eq!(target.call("decide_account_change", &[("id", &cid), ("confirm", "true"), ("grounds", "")]).await.status(), 404);
    assert_eq!(role_of(&s, "ca.supervisor").await, "supervisor");

    let mut second = s.signed_in("second.admin").await;
    assert_eq!(open_change_seen_by(&mut second, "ca.supervisor").await.unwrap()["may_decide"], true);
    second.ok("decide_account_change", &[("id", &cid), ("confirm", "true"), ("grounds", "")]).await;
    assert_eq!(role_of(&s, "ca.supervisor").await, "admin");
}

#[tokio::test]
async fn disabling_is_immediate_and_enabling_again_waits() {
    let s = TestServer::start_bare().await;
    let mut officer = s.signed_in("rcmp.officer").await;
    let mut admin = s.signed_in("admin").await;
    let id = user_id(&s.db, "rcmp.officer").await.to_string();
    admin.ok("set_user_enabled", &[("id", &id), ("enabled", "false")]).await;
    assert_eq!(officer.whoami().await, None, "the session ended at once");
    admin.ok("set_user_enabled", &[("id", &id), ("enabled", "true")]).await;
    assert_eq!(status_of(&s, "rcmp.officer").await, "disabled");
    assert_eq!(s.client().sign_in("rcmp.officer", &s.passwords["rcmp.officer"]).await.status(), 422);

    // A withdrawn change leaves the account as it was.
    let change = open_change_seen_by(&mut admin, "rcmp.officer").await.unwrap();
    assert_eq!(change["may_withdraw"], true);
    admin.ok("withdraw_account_change", &[("id", &change["id"].to_string())]).await;
    assert_eq!(status_of(&s, "rcmp.officer").await, "disabled");

    admin.ok("set_user_enabled", &[("id", &id), ("enabled", "true")]).await;
    let mut canada = s.signed_in("ca.supervisor").await;
    let change = open_change_seen_by(&mut canada, "rcmp.officer").await.unwrap();
    assert_eq!(canada.call("withdraw_account_change", &[("id", &change["id"].to_string())]).await.status(), 403);
    canada.ok("decide_account_change", &[("id", &change["id"].to_string()), ("confirm", "true"), ("grounds", "")]).await;
    assert_eq!(s.client().sign_in("rcmp.officer", &s.passwords["rcmp.officer"]).await.status(), 200);
}

#[tokio::test]
async fn a_password_reset_waits_for_the_confirmer_who_alone_receives_the_password() {
    let s = TestServer::start_bare().await;
    let mut admin = s.signed_in("admin").await;
    let id = user_id(&s.db, "in.supervisor").await.to_string();
    // An admin who resets a supervisor's password must not be able to sign in as them (and confirm their
    // own requests in their name).
    let asked = admin.ok("reset_user_password", &[("id", &id)]).await;
    assert!(asked.get("temporary_password").is_none());
    assert_eq!(asked["confirmer"], "a supervisor in India");
    assert_eq!(s.client().sign_in("in.supervisor", &s.passwords["in.supervisor"]).await.status(), 200, "the old password works until then");
    // The account itself may not confirm its own reset; with no other supervisor in India it waits.
    let mut target = s.signed_in("in.supervisor").await;
    let change = open_change_seen_by(&mut target, "in.supervisor").await.unwrap();
    assert_eq!(change["may_decide"], false);

    let id = user_id(&s.db, "cccs.officer").await.to_string();
    admin.ok("reset_user_password", &[("id", &id)]).await;
    let mut canada = s.signed_in("ca.supervisor").await;
    let change = open_change_seen_by(&mut canada, "cccs.officer").await.unwrap();
    let issued = canada.ok("decide_account_change", &[("id", &change["id"].to_string()), ("confirm", "true"), ("grounds", "")]).await;
    let temporary = issued["temporary_password"].as_str().unwrap().to_string();
    assert_eq!(s.client().sign_in("cccs.officer", &s.passwords["cccs.officer"]).await.status(), 422, "the old password is gone");
    sqlx::query("UPDATE users SET temporary_expires_at = ? WHERE username = 'cccs.officer'")
        .bind(chrono::Utc::now() - chrono::Duration::minutes(1))
        .execute(&s.db.pool)
        .await
        .unwrap();
    let res = s.client().sign_in("cccs.officer", &temporary).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("has expired"));
}

#[tokio::test]
async fn disabling_withdraws_what_waited_for_a_confirmation() {
    let s = TestServer::start_bare().await;
    let mut admin = s.signed_in("admin").await;
    let form = [("username", "mole.account"), ("display_name", "Mole"), ("role", "officer"), ("agency", "CBI"), ("time_zone", "")];
    admin.ok("create_user", &form).await;
    let mut second = s.signed_in("second.admin").await;
    let id = user_id(&s.db, "mole.account").await.to_string();
    second.ok("set_user_enabled", &[("id", &id), ("enabled", "false")]).await;
    let mut india = s.signed_in("in.supervisor").await;
    assert!(open_change_seen_by(&mut india, "mole.account").await.is_none(), "nothing left to confirm");
    let decided = india.ok("list_account_changes", &[("user", &id)]).await;
    assert_eq!(decided[0]["decision"], "withdrawn");
    assert_eq!(status_of(&s, "mole.account").await, "disabled");
}

#[tokio::test]
async fn the_demo_has_one_account_waiting_for_india() {
    let s = TestServer::start().await;
    let mut india = s.signed_in("in.supervisor").await;
    let change = open_change_seen_by(&mut india, "nia.officer").await.expect("waiting");
    assert_eq!(change["kind"], "create");
    let mut canada = s.signed_in("ca.supervisor").await;
    assert!(canada.ok("list_account_changes", &[]).await.as_array().unwrap().is_empty());
    let issued = india.ok("decide_account_change", &[("id", &change["id"].to_string()), ("confirm", "true"), ("grounds", "")]).await;
    let temporary = issued["temporary_password"].as_str().unwrap();
    assert_eq!(s.client().sign_in("nia.officer", temporary).await.status(), 200);
}
