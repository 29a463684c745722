//! The second factor, as its user and an attacker with the password would meet it: an account made by an
//! admin must set up an authenticator before anything else; the password alone then opens nothing; a
//! code works once; wrong codes lock the account; recovery codes work once; a reset is four-eyes.

mod support;

use support::{user_id, Client, TestServer};

/// The six-digit code the app shows `steps_ahead` periods of 30 s from now.
fn code(secret: &str, steps_ahead: i64) -> String {
    let totp = totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).expect("base32"))
        .with_account_name("test")
        .build()
        .expect("totp");
    let now = chrono::Utc::now().timestamp() + 30 * steps_ahead;
    totp.generate(now as u64).to_string()
}

/// An officer account made by the admin and confirmed by Canada's supervisor, signed in with its
/// temporary password and with its own password chosen: what a new colleague has on day one.
async fn new_colleague(s: &TestServer) -> (Client, String) {
    let mut admin = s.signed_in("admin").await;
    let form = [("username", "jean.roy"), ("display_name", "Jean Roy"), ("role", "officer"), ("agency", "RCMP"), ("time_zone", "")];
    admin.ok("create_user", &form).await;
    let mut canada = s.signed_in("ca.supervisor").await;
    let id = user_id(&s.db, "jean.roy").await.to_string();
    let change = canada.ok("list_account_changes", &[("user", &id)]).await[0]["id"].to_string();
    let issued = canada.ok("decide_account_change", &[("id", &change), ("confirm", "true"), ("grounds", "")]).await;
    let temporary = issued["temporary_password"].as_str().unwrap().to_string();
    let mut c = s.client();
    assert_eq!(c.sign_in("jean.roy", &temporary).await.status(), 200);
    let password = "maple harbour ledger 27";
    c.ok("change_password", &[("current", &temporary), ("new_password", password), ("confirm", password)]).await;
    (c, password.to_string())
}

/// Sets up an authenticator; returns its secret, the code that confirmed it, and the recovery codes.
async fn enrol(c: &mut Client, password: &str) -> (String, String, Vec<String>) {
    // The password is asked again; a wrong one sets nothing up.
    assert_eq!(c.call("begin_totp", &[("password", "not the password")]).await.status(), 422);
    let setup = c.ok("begin_totp", &[("password", password)]).await;
    let secret = setup["secret"].as_str().unwrap().to_string();
    assert!(setup["qr_svg"].as_str().unwrap().starts_with("<?xml") || setup["qr_svg"].as_str().unwrap().contains("<svg"));
    assert_eq!(c.call("confirm_totp", &[("code", "000000")]).await.status(), 422);
    let first = code(&secret, 0);
    let codes = c.ok("confirm_totp", &[("code", &first)]).await;
    let codes: Vec<String> = codes.as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    (secret, first, codes)
}

#[tokio::test]
async fn a_new_account_sets_up_an_authenticator_before_anything_else_and_then_needs_it_at_every_sign_in() {
    let s = TestServer::start_bare().await;
    let (mut c, password) = new_colleague(&s).await;
    let me = c.ok("current_user", &[]).await;
    assert_eq!(me["must_enrol_second_factor"], true);
    assert_eq!(c.call("list_cases", &[("filter[q]", "")]).await.status(), 403, "nothing but the profile until then");
    // Someone else who has the password signs in too, before the factor exists...
    let mut early = s.client();
    assert_eq!(early.ok("login", &[("username", "jean.roy"), ("password", &password)]).await["next"], "/");

    let (secret, first, recovery) = enrol(&mut c, &password).await;
    assert_eq!(recovery.len(), 10);
    assert_eq!(c.call("list_cases", &[("filter[q]", "")]).await.status(), 200);
    // ...and that session ends when the factor is set up: it never passed the code.
    assert_eq!(early.whoami().await, None);
    assert_eq!(early.call("list_cases", &[("filter[q]", "")]).await.status(), 401);
    // The seed is not in the database in the clear.
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT sealed_seed FROM totp_factors").fetch_one(&s.db.pool).await.unwrap();
    let seed = totp_rs::Secret::try_from_base32(&secret).unwrap();
    assert!(!sealed.windows(seed.as_bytes().len()).any(|w| w == seed.as_bytes()));

    // The password alone signs nobody in.
    let mut d = s.client();
    let answer = d.ok("login", &[("username", "jean.roy"), ("password", &password)]).await;
    assert_eq!(answer["next"], "/login/code");
    assert!(answer["user"].is_null());
    assert_eq!(d.whoami().await, None);
    assert_eq!(d.call("list_cases", &[("filter[q]", "")]).await.status(), 401);
    // The code that confirmed the app was accepted once already; the next one signs in.
    assert_eq!(d.call("login_code", &[("code", &first)]).await.status(), 422);
    let next = code(&secret, 1);
    d.ok("login_code", &[("code", &next)]).await;
    assert_eq!(d.whoami().await.as_deref(), Some("jean.roy"));

    // That code is spent for everyone: an eavesdropper replaying it in a session of their own gets nowhere.
    let mut e = s.client();
    e.ok("login", &[("username", "jean.roy"), ("password", &password)]).await;
    let res = e.call("login_code", &[("code", &next)]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("used already"));
    // A recovery code works, once, however it is typed.
    e.ok("login_code", &[("code", &recovery[0].to_uppercase().replace('-', " "))]).await;
    assert_eq!(e.whoami().await.as_deref(), Some("jean.roy"));
    let mut f = s.client();
    f.ok("login", &[("username", "jean.roy"), ("password", &password)]).await;
    assert_eq!(f.call("login_code", &[("code", &recovery[0])]).await.status(), 422);
    let left = f.call("my_second_factor", &[]).await.status();
    assert_eq!(left, 401, "still not signed in");

    let events: Vec<String> = sqlx::query_scalar(
        "SELECT json_extract(details, '$.second_factor') FROM audit_events WHERE action = 'sign_in' AND username = 'jean.roy' AND outcome = 'success' ORDER BY id",
    )
    .fetch_all(&s.db.pool)
    .await
    .unwrap();
    assert_eq!(events, ["none", "none", "totp", "recovery code"]);
}

#[tokio::test]
async fn wrong_codes_lock_the_account_like_wrong_passwords() {
    let s = TestServer::start_bare().await;
    let (mut c, password) = new_colleague(&s).await;
    let (secret, _, _) = enrol(&mut c, &password).await;
    let mut attacker = s.client();
    attacker.ok("login", &[("username", "jean.roy"), ("password", &password)]).await;
    for guess in ["111111", "222222", "333333", "444444", "555555"] {
        assert_eq!(attacker.call("login_code", &[("code", guess)]).await.status(), 422);
    }
    let locked: Option<String> =
        sqlx::query_scalar("SELECT locked_until FROM users WHERE username = 'jean.roy'").fetch_one(&s.db.pool).await.unwrap();
    assert!(locked.is_some(), "five wrong codes lock the account");
    // Locked: even the right password and code open nothing, and a new password step does not reset it.
    let mut owner = s.client();
    assert_eq!(owner.call("login", &[("username", "jean.roy"), ("password", &password)]).await.status(), 422);
    assert_eq!(owner.call("login_code", &[("code", &code(&secret, 1))]).await.status(), 422);
    assert_eq!(owner.whoami().await, None);
}

#[tokio::test]
async fn a_code_without_a_password_first_is_refused_and_huge_codes_too() {
    let s = TestServer::start_bare().await;
    let mut c = s.client();
    let res = c.call("login_code", &[("code", "123456")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Start again"));
    let (mut c, password) = new_colleague(&s).await;
    enrol(&mut c, &password).await;
    let mut d = s.client();
    d.ok("login", &[("username", "jean.roy"), ("password", &password)]).await;
    assert_eq!(d.call("login_code", &[("code", &"9".repeat(10_000))]).await.status(), 422);
}

#[tokio::test]
async fn demo_accounts_are_exempt_and_the_sign_in_page_says_so_others_are_not() {
    let s = TestServer::start_bare().await;
    let mut c = s.client();
    assert_eq!(c.ok("demo_without_second_factor", &[]).await, true);
    let answer = c.ok("login", &[("username", "ncb.officer"), ("password", &s.passwords["ncb.officer"])]).await;
    assert_eq!(answer["next"], "/");
    assert_eq!(c.call("list_cases", &[("filter[q]", "")]).await.status(), 200);
    let page = c.get("/login").await.text().await.unwrap();
    assert!(page.contains("second factor not required"));
}

#[tokio::test]
async fn with_the_requirement_off_nobody_must_set_one_up() {
    let args = server::config::ServeArgs { require_second_factor: false, ..Default::default() };
    let s = TestServer::start_bare_with(args).await;
    let (mut c, _) = new_colleague(&s).await;
    assert_eq!(c.call("list_cases", &[("filter[q]", "")]).await.status(), 200);
    assert_eq!(s.client().ok("demo_without_second_factor", &[]).await, false);
}

#[tokio::test]
async fn resetting_a_second_factor_takes_a_supervisor_of_the_accounts_country() {
    let s = TestServer::start_bare().await;
    let (mut c, password) = new_colleague(&s).await;
    enrol(&mut c, &password).await;
    assert_eq!(c.whoami().await.as_deref(), Some("jean.roy"));
    let mut admin = s.signed_in("admin").await;
    let id = user_id(&s.db, "jean.roy").await.to_string();
    let asked = admin.ok("reset_second_factor", &[("id", &id)]).await;
    assert_eq!(asked["confirmer"], "a supervisor in Canada");
    // Not yet: the password alone still does not sign in.
    let mut d = s.client();
    assert_eq!(d.ok("login", &[("username", "jean.roy"), ("password", &password)]).await["next"], "/login/code");
    let mut india = s.signed_in("in.supervisor").await;
    let none = india.ok("list_account_changes", &[("user", &id)]).await;
    assert!(none.as_array().unwrap().is_empty(), "India does not see Canada's accounts");
    let mut canada = s.signed_in("ca.supervisor").await;
    let change = canada.ok("list_account_changes", &[("user", &id)]).await[0]["id"].to_string();
    canada.ok("decide_account_change", &[("id", &change), ("confirm", "true"), ("grounds", "")]).await;
    // The session on the lost phone ends with the reset.
    assert_eq!(c.whoami().await, None);
    // Now the password signs in, to a session that must set up a new app first.
    let mut e = s.client();
    assert_eq!(e.ok("login", &[("username", "jean.roy"), ("password", &password)]).await["next"], "/");
    assert_eq!(e.call("list_cases", &[("filter[q]", "")]).await.status(), 403);
    assert_eq!(e.ok("current_user", &[]).await["must_enrol_second_factor"], true);
}

#[tokio::test]
async fn a_passkey_is_bound_to_this_servers_host_name_and_a_forged_answer_adds_nothing() {
    let s = TestServer::start_bare().await;
    let (mut c, password) = new_colleague(&s).await;
    assert_eq!(c.call("begin_passkey", &[("name", "laptop"), ("password", "not the password")]).await.status(), 422);
    let long_name = "x".repeat(61);
    assert_eq!(c.call("begin_passkey", &[("name", &long_name), ("password", &password)]).await.status(), 422);
    let begun = c.ok("begin_passkey", &[("name", "laptop"), ("password", &password)]).await;
    let port = s.base.rsplit(':').next().unwrap();
    assert_eq!(begun["origin"], format!("http://localhost:{port}"), "passkeys work where the server is reached by name");
    let key = &begun["options"]["publicKey"];
    assert_eq!(key["rp"]["id"], "localhost");
    assert_eq!(key["user"]["name"], "jean.roy");
    assert_eq!(key["authenticatorSelection"]["userVerification"], "required", "a fingerprint, face or PIN, not a touch alone");
    assert!(key["challenge"].as_str().unwrap().len() >= 40, "a fresh random challenge");

    // A made-up answer (well formed, signed by nothing): refused, nothing stored, the challenge spent.
    let forged = serde_json::json!({
        "id": "AAAA", "rawId": "AAAA", "type": "public-key",
        "response": {"attestationObject": "o2NmbXRkbm9uZQ", "clientDataJSON": "e30"},
    });
    let res = c.call("finish_passkey", &[("credential", &forged.to_string())]).await;
    assert_eq!(res.status(), 422);
    let res = c.call("finish_passkey", &[("credential", &forged.to_string())]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Start again"), "one answer per challenge");
    assert_eq!(c.call("finish_passkey", &[("credential", &"{".repeat(100_000))]).await.status(), 422);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM passkeys").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(stored, 0);
    assert_eq!(c.ok("current_user", &[]).await["must_enrol_second_factor"], true, "still no second factor");
    let failed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'passkey.add' AND outcome = 'failure'")
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(failed, 1);
}

#[tokio::test]
async fn the_second_step_offers_what_the_account_has_and_a_passkey_answer_without_its_challenge_opens_nothing() {
    let s = TestServer::start_bare().await;
    let (mut c, password) = new_colleague(&s).await;
    enrol(&mut c, &password).await;
    let mut d = s.client();
    assert_eq!(d.ok("pending_second_factors", &[]).await, serde_json::Value::Null, "nothing is pending before the password");
    d.ok("login", &[("username", "jean.roy"), ("password", &password)]).await;
    let pending = d.ok("pending_second_factors", &[]).await;
    assert_eq!((pending["passkeys"].as_bool(), pending["totp"].as_bool()), (Some(false), Some(true)));
    let res = d.call("begin_passkey_sign_in", &[]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("no passkey"));
    let forged = serde_json::json!({
        "id": "AAAA", "rawId": "AAAA", "type": "public-key",
        "response": {"authenticatorData": "AAAA", "clientDataJSON": "e30", "signature": "AAAA", "userHandle": null},
    });
    let res = d.call("finish_passkey_sign_in", &[("credential", &forged.to_string())]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(d.whoami().await, None);
    // Without a pending password step, not even that.
    let mut e = s.client();
    assert_eq!(e.call("finish_passkey_sign_in", &[("credential", &forged.to_string())]).await.status(), 422);
    assert_eq!(e.call("begin_passkey_sign_in", &[]).await.status(), 422);
}

#[tokio::test]
async fn a_session_cannot_guess_the_password_freely_when_changing_factors() {
    let s = TestServer::start_bare().await;
    let (mut c, password) = new_colleague(&s).await;
    for _ in 0..5 {
        assert_eq!(c.call("begin_passkey", &[("name", "laptop"), ("password", "a wrong guess")]).await.status(), 422);
    }
    let locked: Option<String> =
        sqlx::query_scalar("SELECT locked_until FROM users WHERE username = 'jean.roy'").fetch_one(&s.db.pool).await.unwrap();
    assert!(locked.is_some(), "five wrong passwords lock the account, as at sign-in");
    let res = c.call("begin_passkey", &[("name", "laptop"), ("password", &password)]).await;
    assert_eq!(res.status(), 409, "locked: even the right password is refused now");
    assert!(res.text().await.unwrap().contains("locked"));
    assert_eq!(c.call("begin_totp", &[("password", &password)]).await.status(), 409);
}

#[tokio::test]
async fn after_a_recovery_code_sign_in_factors_can_be_added_not_removed_and_removal_names_only_ones_own() {
    let s = TestServer::start_bare().await;
    let (mut c, password) = new_colleague(&s).await;
    let (_, _, recovery) = enrol(&mut c, &password).await;
    // The owner, signed in with the app: a passkey that is not theirs is "not found".
    assert_eq!(c.call("remove_passkey", &[("id", "999999"), ("password", &password)]).await.status(), 404);
    // Someone with the password and a stolen recovery code.
    let mut thief = s.client();
    thief.ok("login", &[("username", "jean.roy"), ("password", &password)]).await;
    thief.ok("login_code", &[("code", &recovery[3])]).await;
    let res = thief.call("remove_passkey", &[("id", "1"), ("password", &password)]).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("recovery code"));
    assert_eq!(thief.call("begin_passkey", &[("name", "mine"), ("password", &password)]).await.status(), 200, "adding stays possible");
}
