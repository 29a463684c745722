//! HTTP integration tests: the real router on a real port, real SQLite, a plain HTTP client.

mod support;

use support::{user_id, Client, TestServer};

#[tokio::test]
async fn security_headers_on_pages_and_server_functions() {
    let s = TestServer::start().await;
    let mut c = s.client();
    let page = c.get("/login").await;
    assert_eq!(page.status(), 200);
    let h = page.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-store");
    // The nonce in the header is the one on the page's scripts.
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
    let body = page.text().await.unwrap();
    assert!(body.contains(&format!("nonce=\"{nonce}\"")));

    let api = c.call("current_user", &[]).await;
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
    assert_eq!(api.headers()["cache-control"], "no-store");
    assert!(api.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site_strict() {
    let s = TestServer::start().await;
    let mut c = s.client();
    let res = c.sign_in("rcmp.officer", &s.passwords["rcmp.officer"]).await;
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("ld_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP by default: {cookie}");
}

#[tokio::test]
async fn with_https_configured_the_cookie_is_secure_and_host_prefixed() {
    let args = server::config::ServeArgs { secure_cookies: true, ..Default::default() };
    let s = TestServer::start_with(args).await;
    let mut c = s.client();
    let res = c.sign_in("rcmp.officer", &s.passwords["rcmp.officer"]).await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-ld_session="), "{cookie}");
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(res.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
}

#[tokio::test]
async fn sign_in_issues_a_new_session_id_and_the_old_one_dies() {
    let s = TestServer::start().await;
    let mut c = s.signed_in("ncb.officer").await;
    let first = c.cookie.clone().unwrap();
    // Signing in again while holding a session (a fixation attempt would look like this).
    let res = c.sign_in("ncb.officer", &s.passwords["ncb.officer"]).await;
    assert_eq!(res.status(), 200);
    let second = c.cookie.clone().unwrap();
    assert_ne!(first, second, "the session id must change at sign-in");
    assert_eq!(c.whoami().await.as_deref(), Some("ncb.officer"));

    let mut stale = s.client();
    stale.cookie = Some(first);
    assert_eq!(stale.whoami().await, None, "the pre-sign-in id must not be usable");
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let s = TestServer::start().await;
    let mut c = s.signed_in("ncb.officer").await;
    let cookie = c.cookie.clone();
    assert_eq!(c.call("logout", &[]).await.status(), 200);
    let mut replay = s.client();
    replay.cookie = cookie;
    assert_eq!(replay.whoami().await, None);
}

#[tokio::test]
async fn a_disabled_users_session_stops_working_on_the_next_request() {
    let s = TestServer::start().await;
    let mut officer = s.signed_in("cbsa.officer").await;
    assert_eq!(officer.whoami().await.as_deref(), Some("cbsa.officer"));

    let mut admin = s.signed_in("admin").await;
    let id = user_id(&s.db, "cbsa.officer").await.to_string();
    let res = admin.call("set_user_enabled", &[("id", &id), ("enabled", "false")]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    assert_eq!(officer.whoami().await, None);
    // And signing in again is refused.
    let again = officer.sign_in("cbsa.officer", &s.passwords["cbsa.officer"]).await;
    assert_eq!(again.status(), 422);
}

#[tokio::test]
async fn changing_the_password_ends_the_users_other_sessions_but_keeps_this_one() {
    let s = TestServer::start().await;
    let mut laptop = s.signed_in("cbi.officer").await;
    let mut phone = s.signed_in("cbi.officer").await;
    let old = s.passwords["cbi.officer"].clone();
    let res = laptop
        .call("change_password", &[("current", &old), ("new_password", "monsoon ledger harbour"), ("confirm", "monsoon ledger harbour")])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(laptop.whoami().await.as_deref(), Some("cbi.officer"));
    assert_eq!(phone.whoami().await, None);
}

#[tokio::test]
async fn state_changing_requests_from_another_origin_are_refused() {
    let s = TestServer::start().await;
    let http = reqwest::Client::new();
    let login = format!("{}/api/login", s.base);
    let form = [("username", "admin"), ("password", s.passwords["admin"].as_str())];

    let evil = http.post(&login).header("origin", "http://evil.example").form(&form).send().await.unwrap();
    assert_eq!(evil.status(), 403);
    let cross = http.post(&login).header("sec-fetch-site", "cross-site").form(&form).send().await.unwrap();
    assert_eq!(cross.status(), 403);

    let host = s.base.trim_start_matches("http://").to_string();
    let same = http
        .post(&login)
        .header("origin", format!("http://{host}"))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 200);
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let s = TestServer::start().await;
    let big = "x".repeat(2 * 1024 * 1024);
    let res = reqwest::Client::new()
        .post(format!("{}/api/login", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("username=a&password={big}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn server_functions_check_authorisation_on_the_server() {
    let s = TestServer::start().await;
    let mut anonymous = s.client();
    assert_eq!(anonymous.call("list_users", &[("filter[q]", "")]).await.status(), 401);
    assert_eq!(anonymous.call("list_audit", &[("filter[page]", "0")]).await.status(), 401);

    let mut officer = s.signed_in("ncb.officer").await;
    let res = officer.call("list_users", &[("filter[q]", "")]).await;
    assert_eq!(res.status(), 403);
    assert!(!res.text().await.unwrap().contains("rcmp.officer"));
    assert_eq!(officer.call("list_audit", &[("filter[page]", "0")]).await.status(), 403);
    assert_eq!(officer.call("create_agency", &[("code", "EVIL"), ("name", "Evil"), ("country", "IN")]).await.status(), 403);
    let admin_id = user_id(&s.db, "admin").await.to_string();
    assert_eq!(officer.call("reset_user_password", &[("id", &admin_id)]).await.status(), 403);

    let mut supervisor = s.signed_in("ca.supervisor").await;
    assert_eq!(supervisor.call("list_users", &[("filter[q]", "")]).await.status(), 403);
    assert_eq!(supervisor.call("list_audit", &[("filter[page]", "0")]).await.status(), 200);

    let mut admin = s.signed_in("admin").await;
    let res = admin.call("list_users", &[("filter[q]", "")]).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("rcmp.officer"));
}

/// Admins cannot touch their own account (four_eyes.rs); the last active admin still cannot be demoted
/// by a confirmation that arrives after the other admin was disabled.
#[tokio::test]
async fn the_last_active_admin_cannot_be_disabled_or_demoted() {
    let s = TestServer::start().await;
    let mut admin = s.signed_in("admin").await;
    let second = user_id(&s.db, "second.admin").await.to_string();
    admin.ok("update_user", &[("id", &second), ("display_name", "Luc Bergeron"), ("role", "officer"), ("agency", "PS")]).await;
    let mut other = s.signed_in("second.admin").await;
    let me = user_id(&s.db, "admin").await.to_string();
    other.ok("set_user_enabled", &[("id", &me), ("enabled", "false")]).await;
    let mut canada = s.signed_in("ca.supervisor").await;
    let list = canada.ok("list_account_changes", &[]).await;
    let change = list.as_array().unwrap().iter().find(|c| c["username"] == "second.admin").unwrap()["id"].to_string();
    let res = canada.call("decide_account_change", &[("id", &change), ("confirm", "true"), ("grounds", "")]).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("last active admin"));
    assert_eq!(other.whoami().await.as_deref(), Some("second.admin"));
}

#[tokio::test]
async fn sign_in_attempts_are_throttled_per_client_address() {
    let args = server::config::ServeArgs { signin_per_ip_per_minute: 3, ..Default::default() };
    let s = TestServer::start_with(args).await;
    let mut c = s.client();
    for _ in 0..3 {
        assert_eq!(c.sign_in("nobody", "wrong password here").await.status(), 422);
    }
    let res = c.sign_in("admin", &s.passwords["admin"]).await;
    assert_eq!(res.status(), 429);
    // A flood of refused attempts writes one audit event a minute per address, not one each.
    for _ in 0..20 {
        assert_eq!(c.sign_in("admin", "another guess here").await.status(), 429);
    }
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_events WHERE action = 'sign_in.throttled'").fetch_all(&s.db.pool).await.unwrap();
    assert_eq!(actions.len(), 1);
}

#[tokio::test]
async fn five_failures_lock_the_account_until_an_admin_unlocks_it() {
    let s = TestServer::start().await;
    let mut c = s.client();
    for _ in 0..5 {
        assert_eq!(c.sign_in("rcmp.officer", "wrong password here").await.status(), 422);
    }
    assert_eq!(c.sign_in("rcmp.officer", &s.passwords["rcmp.officer"]).await.status(), 422, "locked");
    let mut admin = s.signed_in("admin").await;
    let id = user_id(&s.db, "rcmp.officer").await.to_string();
    assert_eq!(admin.call("unlock_user", &[("id", &id)]).await.status(), 200);
    assert_eq!(c.sign_in("rcmp.officer", &s.passwords["rcmp.officer"]).await.status(), 200);
}

#[tokio::test]
async fn healthz_answers() {
    let s = TestServer::start().await;
    let res = s.client().get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");
}

/// The idle timeout counts from the last request: a request after a quarter of the idle time has passed
/// moves the session's stored expiry on, and a session whose expiry has passed is signed out. Read from the
/// store rather than waited out in full: a 66 s wait compared two clocks, and this VM's wall clock can jump
/// past the idle time while the test's timer does not (one run failed so).
#[tokio::test]
async fn activity_keeps_a_session_alive_past_the_idle_time() {
    let args = server::config::ServeArgs { session_idle_minutes: 1, ..Default::default() };
    let s = TestServer::start_with(args).await;
    let mut c = s.signed_in("ncb.officer").await;
    // In seconds since 1970, as SQLite reads the stored time.
    let expiry = || async {
        sqlx::query_scalar::<_, i64>("SELECT MAX(CAST(strftime('%s', expiry_date) AS INTEGER)) FROM sessions")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
    };
    let at_sign_in = expiry().await;
    // Activity is noted at most every quarter of the idle time (15 s here).
    tokio::time::sleep(std::time::Duration::from_secs(16)).await;
    assert_eq!(c.whoami().await.as_deref(), Some("ncb.officer"));
    let after_activity = expiry().await;
    assert!(after_activity - at_sign_in >= 15, "{at_sign_in} then {after_activity}");
    // Once the expiry has passed, the session no longer signs anyone in.
    sqlx::query("UPDATE sessions SET expiry_date = ?").bind("2020-01-01T00:00:00Z").execute(&s.db.pool).await.unwrap();
    assert_eq!(c.whoami().await, None);
}

#[tokio::test]
async fn writes_cut_off_by_departing_clients_leave_every_connection_usable() {
    let s = TestServer::start().await;
    // A request future dropped mid-BEGIN or mid-COMMIT (the client went away) must not leave a pooled
    // connection inside a transaction.
    for i in 0..300u64 {
        let db = s.db.clone();
        let _ = tokio::time::timeout(std::time::Duration::from_micros(i % 40), async move {
            let tx = db.begin_write().await?;
            tx.commit().await
        })
        .await;
    }
    for _ in 0..40 {
        let tx = s.db.begin_write().await.expect("BEGIN on every pooled connection");
        tx.commit().await.expect("COMMIT");
    }
    let mut c = s.signed_in("ncb.officer").await;
    assert_eq!(c.get("/").await.status(), 200);
}

/// Writes are committed in groups: many at once, some failing midway. Each failed one takes back only its
/// own work; each committed one is visible to every other connection as soon as `commit` returns.
#[tokio::test]
async fn concurrent_writes_commit_together_and_a_failed_one_takes_back_only_its_own_work() {
    let s = TestServer::start_bare().await;
    let mut tasks = Vec::new();
    for i in 0..60 {
        let db = s.db.clone();
        tasks.push(tokio::spawn(async move {
            let code = format!("G{i}");
            let mut tx = db.begin_write().await.unwrap();
            sqlx::query("INSERT INTO agencies (code, name, country, created_at) VALUES (?, 'Group test', 'CA', '2026-01-01')")
                .bind(&code)
                .execute(&mut *tx)
                .await
                .unwrap();
            if i % 5 == 0 {
                // A second row that breaks a constraint: the handler gives up and its transaction is dropped.
                let dup = sqlx::query("INSERT INTO agencies (code, name, country, created_at) VALUES (?, 'Again', 'CA', '2026-01-01')")
                    .bind(&code)
                    .execute(&mut *tx)
                    .await;
                assert!(dup.is_err());
                return;
            }
            tx.commit().await.unwrap();
            let seen: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM agencies WHERE code = ?").bind(&code).fetch_one(&db.pool).await.unwrap();
            assert_eq!(seen, 1, "{code} committed but not visible");
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let kept: Vec<String> =
        sqlx::query_scalar("SELECT code FROM agencies WHERE name = 'Group test' ORDER BY CAST(substr(code, 2) AS INTEGER)")
            .fetch_all(&s.db.pool)
            .await
            .unwrap();
    let expected: Vec<String> = (0..60).filter(|i| i % 5 != 0).map(|i| format!("G{i}")).collect();
    assert_eq!(kept, expected);
}

/// The writer remembers the audit chain's tail instead of reading it for every event. Events from
/// concurrent writers, some rolled back after recording theirs, events of reads recorded alone (written
/// together in batches), and from a second process writing in between (as `liaison-desk user add` does
/// while the server runs) still form one unbroken chain.
#[tokio::test]
async fn audit_events_from_concurrent_failing_and_outside_writers_form_one_chain() {
    use app::backend::platform::audit::{self, verify, ChainReport, Event, Who};
    let s = TestServer::start_bare().await;
    let outsider = server::cli::open_db(&s.db_url, Default::default()).await.expect("second connection to the file");
    let who = Who { username: Some("chain.test".into()), ..Default::default() };
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(&s.db.pool).await.unwrap();
    let mut kept = 0;
    for round in 0..5 {
        let mut tasks = Vec::new();
        for i in 0..40 {
            let (db, who) = (s.db.clone(), who.clone());
            tasks.push(tokio::spawn(async move {
                let mut tx = db.begin_write().await.unwrap();
                let events = [Event::new("test.first").on("item", i), Event::new("test.second").on("item", i)];
                audit::record_all(&mut tx, &who, events).await.unwrap();
                if i % 4 == 1 {
                    return 0; // Given up after recording: its events go with it.
                }
                audit::record(&mut tx, &who, Event::new("test.third").on("item", i)).await.unwrap();
                tx.commit().await.unwrap();
                3
            }));
            let db = s.db.clone();
            tasks.push(tokio::spawn(async move {
                let reader = Who { username: Some(format!("reader.{round}.{i}")), ..Default::default() };
                audit::record_alone(&db, &reader, Event::new("test.read").on("item", i)).await.unwrap();
                // Durable when it returns, so visible on any connection, under its own reader's name.
                let seen: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE username = ? AND action = 'test.read' AND object_id = ?")
                        .bind(reader.username.as_deref())
                        .bind(i.to_string())
                        .fetch_one(&db.pool)
                        .await
                        .unwrap();
                assert_eq!(seen, 1, "the read of item {i} in round {round} was recorded once");
                1
            }));
        }
        for t in tasks {
            kept += t.await.unwrap();
        }
        let mut tx = outsider.begin_write().await.unwrap();
        audit::record(&mut tx, &who, Event::new("test.outside").on("round", round)).await.unwrap();
        tx.commit().await.unwrap();
        kept += 1;
    }
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(after - before, kept);
    assert_eq!(verify(&s.db.pool).await.unwrap(), ChainReport::Ok { events: after as u64 });
}

/// Sessions are written with every other write, in turn: a sign-in while others write back to back never
/// waits in SQLite's busy handler (which gives up after 10 s; it took 8 s in the benchmark when sessions were
/// written on a connection of their own). How long it takes is measured in the benchmark, not here.
#[tokio::test]
async fn signing_in_while_others_write_back_to_back_succeeds() {
    let s = TestServer::start().await;
    let busy = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let mut writers = Vec::new();
    for _ in 0..8 {
        let (db, busy) = (s.db.clone(), busy.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0u64;
            while busy.load(std::sync::atomic::Ordering::Relaxed) {
                let mut tx = db.begin_write().await.unwrap();
                sqlx::query("UPDATE agencies SET name = name WHERE id = 1").execute(&mut *tx).await.unwrap();
                tx.commit().await.unwrap();
                n += 1;
            }
            n
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    for _ in 0..3 {
        let started = std::time::Instant::now();
        let mut c = s.signed_in("ncb.officer").await;
        assert_eq!(c.whoami().await.as_deref(), Some("ncb.officer"));
        assert!(started.elapsed() < std::time::Duration::from_secs(9), "sign-in took {:?}", started.elapsed());
    }
    busy.store(false, std::sync::atomic::Ordering::Relaxed);
    let mut total = 0;
    for w in writers {
        total += w.await.unwrap();
    }
    assert!(total > 100, "the writers were not busy ({total} writes)");
}

#[tokio::test]
async fn a_write_abandoned_midway_is_rolled_back_and_frees_the_database_for_other_writers() {
    let s = TestServer::start().await;
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM agencies").fetch_one(&s.db.pool).await.unwrap();
    {
        let mut tx = s.db.begin_write().await.unwrap();
        sqlx::query("INSERT INTO agencies (code, name, country, created_at) VALUES ('GONE', 'Never saved', 'CA', '2026-01-01')")
            .execute(&mut *tx)
            .await
            .unwrap();
        // Dropped here without commit, as when a handler returns an error.
    }
    // Another connection (as another process or the session store would) gets SQLite's write lock at once.
    let mut other = s.db.pool.acquire().await.unwrap();
    let started = std::time::Instant::now();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *other).await.unwrap();
    sqlx::query("ROLLBACK").execute(&mut *other).await.unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "waited {:?} for the write lock", started.elapsed());
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM agencies").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(after, before);
    // And the next write through the writer works and lands.
    let mut tx = s.db.begin_write().await.unwrap();
    sqlx::query("INSERT INTO agencies (code, name, country, created_at) VALUES ('KEPT', 'Saved', 'CA', '2026-01-01')")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM agencies WHERE code = 'KEPT'").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(kept, 1);
}

/// Expired sessions are removed from the table (through the writer); live ones stay usable.
#[tokio::test]
async fn expired_sessions_are_removed_and_live_ones_kept() {
    let s = TestServer::start().await;
    let mut live = s.signed_in("ncb.officer").await;
    let mut old = s.signed_in("rcmp.officer").await;
    let rows = |pool: sqlx::SqlitePool| async move {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions").fetch_one(&pool).await.unwrap()
    };
    let before = rows(s.db.pool.clone()).await;
    assert!(before >= 2);
    // Age one session past its expiry, keeping the stored format.
    let stored: String =
        sqlx::query_scalar("SELECT expiry_date FROM sessions ORDER BY rowid DESC LIMIT 1").fetch_one(&s.db.pool).await.unwrap();
    sqlx::query("UPDATE sessions SET expiry_date = '2020' || substr(expiry_date, 5) WHERE rowid = (SELECT MAX(rowid) FROM sessions)")
        .execute(&s.db.pool)
        .await
        .unwrap();
    let sessions = server::sessions::Sessions::new(&s.db).await.unwrap();
    assert_eq!(sessions.delete_expired().await.unwrap(), 1, "expiry stored as {stored}");
    assert_eq!(rows(s.db.pool.clone()).await, before - 1);
    assert_eq!(live.whoami().await.as_deref(), Some("ncb.officer"));
    assert_eq!(old.whoami().await, None);
}

/// Arguments that cannot be read are the caller's mistake: 422 with a message saying what was wrong,
/// never a 500, and nothing is written.
#[tokio::test]
async fn unreadable_server_function_arguments_answer_422_with_a_message() {
    let s = TestServer::start().await;
    let mut c = s.signed_in("ncb.officer").await;
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&s.db.pool).await.unwrap();
    for (endpoint, form) in [
        ("get_case", vec![("id", "abc")]),
        ("get_case", vec![]),
        ("list_cases", vec![("filter[page]", "-1")]),
        ("update_case", vec![("id", "1"), ("version", "one")]),
        ("list_requests", vec![("filter[priority]", "highest")]),
    ] {
        let res = c.call(endpoint, &form).await;
        let status = res.status().as_u16();
        let body = res.text().await.unwrap();
        assert_eq!(status, 422, "{endpoint} {form:?}: {body}");
        let error: app::error::AppError = serde_json::from_str(&body).unwrap();
        assert!(error.field_message("form").is_some_and(|m| m.starts_with("The form could not be read")), "{body}");
    }
    // A JSON body where a form is expected.
    let res = c
        .with_cookie(c.http.post(format!("{}/api/get_case", s.base)).header("content-type", "application/json").body(r#"{"id":1}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 422);
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(before, after);
}

/// A sign-in with a huge username or password is refused before anything is looked up or written.
#[tokio::test]
async fn an_oversized_sign_in_is_refused_without_writing_to_the_audit_trail() {
    let s = TestServer::start().await;
    let events = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_events").fetch_one(&s.db.pool).await.unwrap() };
    let before = events().await;
    let mut c = s.client();
    let res = c.sign_in(&"a".repeat(100_000), "whatever password").await;
    assert_eq!(res.status().as_u16(), 422);
    assert!(res.text().await.unwrap().contains("at most 64 characters"));
    let res = c.sign_in("ncb.officer", &"p".repeat(5_000)).await;
    assert_eq!(res.status().as_u16(), 422);
    assert_eq!(events().await, before, "nothing written");
    // A name of 64 characters is an ordinary failed sign-in (and audited).
    assert_eq!(c.sign_in(&"b".repeat(64), "whatever password").await.status().as_u16(), 422);
    assert_eq!(events().await, before + 1);
}

/// X-Forwarded-For is believed only from the proxies named in LD_TRUSTED_PROXIES: for the audit trail and
/// for the per-address sign-in limit alike.
#[tokio::test]
async fn the_client_address_comes_from_forwarded_for_only_behind_a_trusted_proxy() {
    async fn sign_in_from(s: &TestServer, forwarded: &str) -> u16 {
        let c = s.client();
        let res = c
            .http
            .post(format!("{}/api/login", s.base))
            .header("accept", "application/json")
            .header("x-forwarded-for", forwarded)
            .form(&[("username", "nobody.at.all"), ("password", "wrong password here")])
            .send()
            .await
            .unwrap();
        res.status().as_u16()
    }
    async fn last_ip(s: &TestServer) -> String {
        sqlx::query_scalar("SELECT client_ip FROM audit_events WHERE action = 'sign_in' ORDER BY id DESC LIMIT 1")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
    }
    // Not configured: the header is the client's own claim, and ignored.
    let s = TestServer::start_bare().await;
    assert_eq!(sign_in_from(&s, "198.51.100.7").await, 422);
    assert_eq!(last_ip(&s).await, "127.0.0.1");

    // Behind our proxy (loopback here): the address it forwarded for, each with its own allowance.
    let args = server::config::ServeArgs { trusted_proxies: "127.0.0.1/32".into(), signin_per_ip_per_minute: 2, ..Default::default() };
    let s = TestServer::start_bare_with(args).await;
    assert_eq!(sign_in_from(&s, "1.2.3.4, 198.51.100.7").await, 422);
    assert_eq!(last_ip(&s).await, "198.51.100.7", "the forged entry on the left is not believed");
    assert_eq!(sign_in_from(&s, "198.51.100.7").await, 422);
    assert_eq!(sign_in_from(&s, "198.51.100.7").await, 429, "that client has used its allowance");
    assert_eq!(sign_in_from(&s, "203.0.113.20").await, 422, "another client behind the same proxy has its own");
    // A proxy that adds a header line of its own rather than extending the client's: the last line counts.
    let c = s.client();
    let res = c
        .http
        .post(format!("{}/api/login", s.base))
        .header("x-forwarded-for", "1.2.3.4")
        .header("x-forwarded-for", "192.0.2.44")
        .form(&[("username", "nobody.at.all"), ("password", "wrong password here")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(last_ip(&s).await, "192.0.2.44");
}

/// A search refused for its length says so on the page, beside what was typed.
#[tokio::test]
async fn an_overlong_search_from_the_url_says_what_is_wrong_on_the_page() {
    let s = TestServer::start_bare().await;
    let mut c = s.signed_in("ncb.officer").await;
    let q = "fentanyl ".repeat(30);
    let page = c.get(&format!("/search?q={}", q.trim().replace(' ', "+"))).await.text().await.unwrap();
    assert!(page.contains("Search for at most 200 characters."), "the limit is named on the page");
    assert!(page.contains("fentanyl fentanyl"), "what was typed stays in the box");
}

/// Searches, cross-checks and exports cost far more than a page: past the per-user allowance, 429 with
/// Retry-After and a message, for that user only.
#[tokio::test]
async fn expensive_reads_are_limited_per_user_with_retry_after() {
    let args = server::config::ServeArgs { expensive_reads_per_minute: 3, ..Default::default() };
    let s = TestServer::start_with(args).await;
    let mut officer = s.signed_in("ncb.officer").await;
    for _ in 0..2 {
        assert_eq!(officer.call("search", &[("q", "fentanyl")]).await.status(), 200);
    }
    assert_eq!(officer.get("/export/cases.csv").await.status(), 200, "exports count too");
    let res = officer.call("search", &[("q", "fentanyl")]).await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    assert!(res.text().await.unwrap().contains("SlowDown"), "the browser shows it as \"Try again in N seconds\"");
    let res = officer.get("/export/requests.csv").await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let page = officer.get("/search?q=fentanyl").await.text().await.unwrap();
    assert!(page.contains("many searches or exports in a short time"), "the page says why");
    // Another user is not held back by this one.
    let mut other = s.signed_in("rcmp.officer").await;
    assert_eq!(other.call("search", &[("q", "fentanyl")]).await.status(), 200);
}

/// A served page's policy names no development reload socket: pages connect to their own site only.
#[tokio::test]
async fn pages_connect_only_to_their_own_site() {
    let s = TestServer::start_bare().await;
    let res = s.client().get("/login").await;
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("connect-src 'self';"), "{csp}");
    assert!(!csp.contains("ws:"), "{csp}");
}

/// The live event stream ends within seconds of its session ending: signed out, or the password changed
/// in another session.
#[tokio::test]
async fn the_event_stream_ends_with_its_session() {
    async fn open_stream(c: &support::Client) -> reqwest::Response {
        let mut res = c.with_cookie(c.http.get(format!("{}/events", c.base))).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let first = res.chunk().await.unwrap().unwrap();
        assert!(String::from_utf8_lossy(&first).contains("notifications"));
        res
    }
    async fn ends_within(mut res: reqwest::Response, seconds: u64) -> bool {
        let read_to_end = async { while let Ok(Some(_)) = res.chunk().await {} };
        tokio::time::timeout(std::time::Duration::from_secs(seconds), read_to_end).await.is_ok()
    }
    let s = TestServer::start_bare().await;
    let mut c = s.signed_in("ncb.officer").await;
    let stream = open_stream(&c).await;
    c.ok("logout", &[]).await;
    assert!(ends_within(stream, 6).await, "the stream outlived its sign-out");

    let mut a = s.signed_in("rcmp.officer").await;
    let b = s.signed_in("rcmp.officer").await;
    let stream = open_stream(&b).await;
    let new = "quiet harbour lantern 88";
    a.ok("change_password", &[("current", &s.passwords["rcmp.officer"]), ("new_password", new), ("confirm", new)]).await;
    assert!(ends_within(stream, 6).await, "the other session's stream outlived the password change");
}

/// What the page asks by itself (the live refresh, marked with a header) does not keep the session alive;
/// what the user does, does.
#[tokio::test]
async fn background_refreshes_do_not_count_as_activity() {
    let s = TestServer::start_bare().await;
    let mut c = s.signed_in("ncb.officer").await;
    let expiry = || async { sqlx::query_scalar::<_, String>("SELECT expiry_date FROM sessions").fetch_all(&s.db.pool).await.unwrap() };
    let before = expiry().await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let res = c.with_cookie(c.http.get(format!("{}/", c.base)).header(app::model::BACKGROUND_HEADER, "1")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(expiry().await, before, "a background refresh extended the session");
    assert_eq!(c.get("/").await.status(), 200);
    assert_ne!(expiry().await, before, "the user's own request extends it");
}

/// Fields without a limit of their own until now get one, refused with a message on the field (README,
/// "Field limits").
#[tokio::test]
async fn every_field_has_a_limit_with_a_message_on_it() {
    async fn refused_on(res: reqwest::Response, field: &str) -> String {
        assert_eq!(res.status(), 422);
        let error: app::error::AppError = res.json().await.unwrap();
        error.field_message(field).unwrap_or_else(|| panic!("no message on {field}: {error:?}"))
    }
    let s = TestServer::start().await;
    let long = "x".repeat(201);
    let mut officer = s.signed_in("ncb.officer").await;
    assert!(refused_on(officer.call("list_cases", &[("filter[q]", &long)]).await, "q").await.contains("200 characters"));
    let me = user_id(&s.db, "ncb.officer").await.to_string();
    let parties = (0..51).map(|i| format!("A{i}")).collect::<Vec<_>>().join(",");
    let form = [
        ("title", "Many parties"),
        ("summary", ""),
        ("category", "fraud"),
        ("priority", "normal"),
        ("tlp", "amber"),
        ("lead", &me),
        ("parties", &parties),
        ("links", ""),
    ];
    assert!(refused_on(officer.call("create_case", &form).await, "parties").await.contains("at most 50"));
    let current = "p".repeat(2000);
    let res = officer
        .call(
            "change_password",
            &[("current", &current), ("new_password", "lantern quiet harbour 7"), ("confirm", "lantern quiet harbour 7")],
        )
        .await;
    refused_on(res, "current").await;

    let mut rcmp = s.signed_in("rcmp.officer").await;
    let request: i64 =
        sqlx::query_scalar("SELECT id FROM requests WHERE subject LIKE 'Discreet observation%'").fetch_one(&s.db.pool).await.unwrap();
    let files = (1..=21).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let res = rcmp
        .call(
            "respond_to_request",
            &[("id", &request.to_string()), ("kind", "interim"), ("body", "Files"), ("tlp", "amber"), ("attachments", &files)],
        )
        .await;
    assert!(refused_on(res, "attachments").await.contains("at most 20 files"));

    let mut admin = s.signed_in("admin").await;
    refused_on(admin.call("list_users", &[("filter[q]", &long)]).await, "q").await;
    refused_on(admin.call("list_audit", &[("filter[user]", &long)]).await, "user").await;
}

/// A non-party's upload is refused as not found (files::upload checks before reading the body). Each
/// agency's storage has a quota, with a message; nothing half-written stays in the store.
#[tokio::test]
async fn uploads_are_checked_before_reading_and_held_to_the_agencys_quota() {
    let args = server::config::ServeArgs { agency_quota_mb: 1, ..Default::default() };
    let s = TestServer::start_with(args).await;
    let case: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE title LIKE 'Fentanyl precursor%'").fetch_one(&s.db.pool).await.unwrap();
    let mut outsider = s.signed_in("cccs.officer").await;
    let res = outsider.upload(&format!("case={case}"), "big.bin", vec![7u8; 20 * 1024 * 1024]).await;
    assert_eq!(res.status(), 404, "a non-party's upload is refused as for a missing case");
    let mut ncb = s.signed_in("ncb.officer").await;
    assert_eq!(ncb.upload(&format!("case={case}"), "a.bin", vec![1u8; 700 * 1024]).await.status(), 201);
    let res = ncb.upload(&format!("case={case}"), "b.bin", vec![2u8; 700 * 1024]).await;
    assert_eq!(res.status(), 413);
    let error: app::error::AppError = res.json().await.unwrap();
    assert!(error.field_message("file").is_some_and(|m| m.contains("storage is full")), "{error:?}");
    // Once the agency holds its whole quota, the next upload is refused before its file is read: the answer
    // comes while the 2 MB the request announces have not been sent at all.
    assert_eq!(ncb.upload(&format!("case={case}"), "c.bin", vec![3u8; 1024 * 1024 - 700 * 1024]).await.status(), 201);
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = s.base.trim_start_matches("http://").to_string();
        let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST /attachments?case={case} HTTP/1.1\r\nHost: {addr}\r\nCookie: {}\r\n\
             Content-Type: multipart/form-data; boundary=X\r\nContent-Length: 2097152\r\n\r\n",
            ncb.cookie.clone().unwrap()
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        let mut chunk = [0u8; 4096];
        while !String::from_utf8_lossy(&answer).contains("storage is full") {
            let n = tokio::time::timeout(std::time::Duration::from_secs(10), tcp.read(&mut chunk))
                .await
                .expect("answered before the file was sent")
                .unwrap();
            assert!(n > 0, "closed without the message: {}", String::from_utf8_lossy(&answer));
            answer.extend_from_slice(&chunk[..n]);
        }
        assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 413"), "{}", String::from_utf8_lossy(&answer));
    }
    // Another agency's quota is its own.
    let mut rcmp = s.signed_in("rcmp.officer").await;
    assert_eq!(rcmp.upload(&format!("case={case}"), "c.bin", vec![3u8; 700 * 1024]).await.status(), 201);
    // Too large for the per-file limit: refused while streaming, and no temporary file is left behind.
    let res = rcmp.upload(&format!("case={case}"), "huge.bin", vec![4u8; 26 * 1024 * 1024]).await;
    assert_eq!(res.status(), 413);
    let files = std::fs::read_dir(s.files_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".incoming"))
        .count();
    assert_eq!(files, 0);
}

/// The cross-check runs once per version of what it looks for: viewing the request again answers the kept
/// result and spends none of the allowance; a new indicator on the case makes the next view run it again.
#[tokio::test]
async fn the_cross_check_runs_once_per_version_of_what_it_looks_for() {
    let args = server::config::ServeArgs { expensive_reads_per_minute: 2, ..Default::default() };
    let s = TestServer::start_with(args).await;
    let (request, case): (i64, i64) =
        sqlx::query_as("SELECT id, case_id FROM requests WHERE subject LIKE 'Import records of the consignee%'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
    let (request, case) = (request.to_string(), case.to_string());
    let mut cbsa = s.signed_in("cbsa.officer").await;
    let first = cbsa.ok("cross_check", &[("id", &request)]).await;
    for _ in 0..4 {
        assert_eq!(cbsa.ok("cross_check", &[("id", &request)]).await, first, "the kept result, not counted");
    }
    let mut ncb = s.signed_in("ncb.officer").await;
    ncb.ok("add_indicator", &[("case_id", &case), ("kind", "domain"), ("value", "kept-or-not.example"), ("tlp", "amber")]).await;
    let second = cbsa.ok("cross_check", &[("id", &request)]).await;
    assert!(second["looked_for"].to_string().contains("kept-or-not.example"), "the new indicator is looked for: {second}");
    // Two runs spent the allowance of two: the next expensive read waits.
    assert_eq!(cbsa.call("search", &[("q", "fentanyl")]).await.status(), 429);
    assert_eq!(cbsa.ok("cross_check", &[("id", &request)]).await, second, "a kept result is still shown");
    let kept: Vec<bool> = sqlx::query_scalar(
        "SELECT json_extract(details, '$.kept') FROM audit_events WHERE action = 'request.cross_check' AND outcome = 'success' ORDER BY id",
    )
    .fetch_all(&s.db.pool)
    .await
    .unwrap();
    assert_eq!(kept, [false, true, true, true, true, false, true], "every view is audited, saying whether it ran");
}

/// /metrics: from this machine, Prometheus text with the requests per route and their latency, the
/// writer's group sizes, sign-in failures, sessions and overdue requests per country; for an outside client
/// (relayed by the trusted proxy), only with the token. /readyz says ready.
#[tokio::test]
async fn metrics_answer_this_machine_or_the_token_and_readyz_says_ready() {
    let args = server::config::ServeArgs {
        trusted_proxies: "127.0.0.1/32".into(),
        metrics_token: Some("s3cret-token".into()),
        ..Default::default()
    };
    let s = TestServer::start_with(args).await;
    let mut c = s.client();
    assert_eq!(c.call("login", &[("username", "ncb.officer"), ("password", "not the password at all")]).await.status(), 422);
    let mut officer = s.signed_in("ncb.officer").await;
    assert_eq!(officer.get("/cases").await.status(), 200);
    let http = reqwest::Client::new();
    let res = http.get(format!("{}/metrics", s.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    for needle in [
        "http_requests_total{",
        "route=\"/cases\"",
        "http_request_duration_seconds_bucket{",
        "db_group_commit_size_bucket",
        "sign_in_failures_total{reason=\"wrong password\"}",
        "requests_overdue{country=\"IN\"}",
        "sessions_active",
        "db_writer_queue_length",
        "audit_queue_length",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{}", &text[..text.len().min(3000)]);
    }
    let outside = |auth: Option<&'static str>| {
        let mut rb = http.get(format!("{}/metrics", s.base)).header("x-forwarded-for", "203.0.113.9");
        if let Some(a) = auth {
            rb = rb.header("authorization", a);
        }
        rb.send()
    };
    assert_eq!(outside(None).await.unwrap().status(), 403, "relayed for an outside client: not this machine");
    assert_eq!(outside(Some("Bearer s3cret-toke")).await.unwrap().status(), 403);
    assert_eq!(outside(Some("Bearer s3cret-token")).await.unwrap().status(), 200);
    let ready = http.get(format!("{}/readyz", s.base)).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");
}

async fn choose_language(c: &Client, lang: &str, back: &str) -> reqwest::Response {
    let rb = c.http.post(format!("{}/language", c.base)).form(&[("lang", lang), ("back", back)]);
    c.with_cookie(rb).send().await.unwrap()
}

async fn login_page(c: &Client, header: (&str, &str)) -> String {
    c.http.get(format!("{}/login", c.base)).header(header.0, header.1).send().await.unwrap().text().await.unwrap()
}

/// The language switch: the cookie for anyone, the account's saved choice for a signed-in user (given back at
/// its next sign-in, audited), and back only to a page of this site.
#[tokio::test]
async fn the_language_switch_sets_the_cookie_keeps_the_accounts_choice_and_stays_on_this_site() {
    let s = TestServer::start().await;
    let anon = s.client();
    let res = choose_language(&anon, "fr-CA", "/login?next=%2Fcases").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login?next=%2Fcases");
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("ld_lang=fr-CA;") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");

    // The cookie decides, else the browser's Accept-Language, else English.
    let french = login_page(&anon, ("cookie", "ld_lang=fr-CA")).await;
    assert!(french.contains("<html lang=\"fr-CA\"") && french.contains("Mot de passe"));
    let hindi = login_page(&anon, ("accept-language", "hi-IN,hi;q=0.9,en;q=0.5")).await;
    assert!(hindi.contains("<html lang=\"hi\"") && hindi.contains("पासवर्ड"));
    let other = login_page(&anon, ("accept-language", "de-DE")).await;
    assert!(other.contains("<html lang=\"en\"") && other.contains("Password"));
    let garbage = login_page(&anon, ("cookie", "ld_lang=<script>")).await;
    assert!(garbage.contains("<html lang=\"en\""));

    // Never to another site, and nothing but a known language.
    for hostile in ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"] {
        let res = choose_language(&anon, "hi", hostile).await;
        assert_eq!(res.headers()["location"], "/", "{hostile}");
    }
    for unknown in ["de", "en-XA", ""] {
        let refused = choose_language(&anon, unknown, "/").await;
        assert_eq!(refused.status(), 400, "{unknown:?}");
        assert!(refused.headers().get("set-cookie").is_none());
    }
    let rb = anon.http.post(format!("{}/language", s.base)).header("origin", "https://evil.example").form(&[("lang", "hi")]);
    assert_eq!(rb.send().await.unwrap().status(), 403, "another site cannot switch the reader's language");

    // Signed in: saved with the account and audited; the next sign-in, in any browser, brings it back.
    let officer = s.signed_in("ncb.officer").await;
    assert_eq!(choose_language(&officer, "hi", "/cases").await.status(), 303);
    // The same choice again (a double click, a loop) adds nothing to the trail.
    assert_eq!(choose_language(&officer, "hi", "/cases").await.status(), 303);
    let id = user_id(&s.db, "ncb.officer").await;
    let saved: Option<String> = sqlx::query_scalar("SELECT locale FROM users WHERE id = ?").bind(id).fetch_one(&s.db.pool).await.unwrap();
    assert_eq!(saved.as_deref(), Some("hi"));
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'profile.language' AND object_id = ?")
        .bind(id.to_string())
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    assert_eq!(events, 1);
    let mut elsewhere = s.client();
    let res = elsewhere.sign_in("ncb.officer", &s.passwords["ncb.officer"]).await;
    assert_eq!(res.status(), 200);
    let cookies: Vec<_> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert!(cookies.iter().any(|c| c.starts_with("ld_lang=hi;")), "{cookies:?}");
    // Another account's sign-in sets no language: the browser's own stands.
    let res = s.client().sign_in("rcmp.officer", &s.passwords["rcmp.officer"]).await;
    assert!(res.headers().get_all("set-cookie").iter().all(|v| !v.to_str().unwrap().starts_with("ld_lang=")));
}

/// What the server writes itself (a field's message, a refusal) is in the reader's language too: the two sides
/// of one exchange each read their own.
#[tokio::test]
async fn the_servers_own_messages_follow_the_readers_language() {
    use app::i18n::Locale;
    let s = TestServer::start().await;
    let with_lang = |c: &support::Client, endpoint: &str, lang: &str, form: &[(&str, &str)]| {
        let cookie = match &c.cookie {
            Some(session) => format!("{session}; ld_lang={lang}"),
            None => format!("ld_lang={lang}"),
        };
        c.http.post(format!("{}/api/{endpoint}", c.base)).header("accept", "application/json").header("cookie", cookie).form(form).send()
    };
    let message = |v: &serde_json::Value| v.pointer("/Validation/0/message").and_then(|m| m.as_str()).unwrap_or_default().to_string();

    // A failed sign-in, in Hindi and in French: the same refusal, with the lockout's figures in it.
    let anon = s.client();
    for locale in [Locale::Hi, Locale::FrCa] {
        let res = with_lang(&anon, "login", locale.as_str(), &[("username", "ncb.officer"), ("password", "wrong password")]).await.unwrap();
        assert_eq!(res.status(), 422);
        let said = message(&res.json().await.unwrap());
        assert_eq!(said, app::tr!(locale, "err-sign-in-failed", attempts = 5, minutes = 15));
        assert!(!said.starts_with("Sign-in failed"), "{said}");
    }

    // A case form with a bad title and category: every field's message in French, none in English.
    let officer = s.signed_in("rcmp.officer").await;
    let res =
        with_lang(&officer, "create_case", "fr-CA", &[("title", "x"), ("category", "weather"), ("priority", "normal"), ("tlp", "amber")])
            .await
            .unwrap();
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    let said: Vec<&str> = body["Validation"].as_array().unwrap().iter().filter_map(|e| e["message"].as_str()).collect();
    assert!(said.contains(&app::tr!(Locale::FrCa, "err-give-case-title-3-200").as_str()), "{said:?}");
    assert!(said.contains(&app::tr!(Locale::FrCa, "err-choose-category").as_str()), "{said:?}");
    assert!(!said.contains(&"Choose a category."), "{said:?}");
}
