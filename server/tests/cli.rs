//! The `liaison-desk` binary's operator commands, run as a process against a real database file.

mod support;

use std::process::Command;
use support::TestServer;

fn liaison_desk(db_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_liaison-desk"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run liaison-desk")
}

#[tokio::test]
async fn audit_verify_passes_then_names_the_event_an_intruder_altered() {
    let s = TestServer::start().await;
    // Some activity to chain: sign-ins, a failure.
    let mut c = s.signed_in("ncb.officer").await;
    c.sign_in("ncb.officer", "wrong password here").await;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(&s.db.pool).await.unwrap();

    let ok = liaison_desk(&s.db_url, &["audit", "verify"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(String::from_utf8_lossy(&ok.stdout).lines().next(), Some(format!("audit chain OK: {count} events").as_str()));

    // The triggers stop a plain UPDATE...
    let refused = sqlx::query("UPDATE audit_events SET outcome = 'failure' WHERE id = 3").execute(&s.db.pool).await;
    assert!(refused.unwrap_err().to_string().contains("append-only"));
    assert!(sqlx::query("DELETE FROM audit_events WHERE id = 3").execute(&s.db.pool).await.is_err());
    // ...so an intruder with the file drops the trigger first.
    sqlx::query("DROP TRIGGER audit_events_no_update").execute(&s.db.pool).await.unwrap();
    let original: Option<String> =
        sqlx::query_scalar("SELECT username FROM audit_events WHERE id = 3").fetch_one(&s.db.pool).await.unwrap();
    sqlx::query("UPDATE audit_events SET username = 'someone.else' WHERE id = 3").execute(&s.db.pool).await.unwrap();

    let bad = liaison_desk(&s.db_url, &["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("event 3"), "{err}");

    // Put it back; then remove an event near the end (verify checks slices of the chain in parallel, so
    // a fault in the last slice must be found too).
    sqlx::query("UPDATE audit_events SET username = ? WHERE id = 3").bind(original).execute(&s.db.pool).await.unwrap();
    assert!(liaison_desk(&s.db_url, &["audit", "verify"]).status.success());
    sqlx::query("DROP TRIGGER audit_events_no_delete").execute(&s.db.pool).await.unwrap();
    let victim = count - 1;
    sqlx::query("DELETE FROM audit_events WHERE id = ?").bind(victim).execute(&s.db.pool).await.unwrap();
    let bad = liaison_desk(&s.db_url, &["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains(&format!("event {victim}")) && err.contains("missing"), "{err}");
}

/// Verification reads the chain in chunks of ids on several tasks; a fault must be named wherever it falls
/// (first or last of a chunk, of a slice, of the chain).
#[tokio::test]
async fn audit_verify_names_a_fault_at_every_position_across_chunks() {
    use app::backend::platform::audit::{verify_in_chunks, ChainReport};
    let s = TestServer::start().await;
    for _ in 0..4 {
        let mut c = s.client();
        c.sign_in("ncb.officer", "wrong password here").await;
    }
    let pool = &s.db.pool;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(pool).await.unwrap();
    assert!(count >= 8, "only {count} events");
    assert_eq!(verify_in_chunks(pool, 3).await.unwrap(), ChainReport::Ok { events: count as u64 });
    sqlx::query("DROP TRIGGER audit_events_no_update").execute(pool).await.unwrap();
    sqlx::query("DROP TRIGGER audit_events_no_delete").execute(pool).await.unwrap();
    // Putting an event back in the middle does not extend the chain: the database would refuse it.
    sqlx::query("DROP TRIGGER audit_events_extend_chain").execute(pool).await.unwrap();
    sqlx::query("CREATE TABLE kept AS SELECT * FROM audit_events WHERE 0").execute(pool).await.unwrap();

    for victim in 1..=count {
        // Changed details.
        sqlx::query("UPDATE audit_events SET details = details || ' ' WHERE id = ?").bind(victim).execute(pool).await.unwrap();
        assert_eq!(
            verify_in_chunks(pool, 3).await.unwrap(),
            ChainReport::Broken { event_id: victim, reason: "content does not match its hash" }
        );
        sqlx::query("UPDATE audit_events SET details = rtrim(details, ' ') WHERE id = ?").bind(victim).execute(pool).await.unwrap();

        // A number stored where text belongs.
        sqlx::query("INSERT INTO kept SELECT * FROM audit_events WHERE id = ?").bind(victim).execute(pool).await.unwrap();
        sqlx::query("UPDATE audit_events SET action = 42 WHERE id = ?").bind(victim).execute(pool).await.unwrap();
        let report = verify_in_chunks(pool, 3).await.unwrap();
        assert!(matches!(report, ChainReport::Broken { event_id, .. } if event_id == victim), "{report:?}");

        // A missing event. Only the newest can go unnoticed: nothing after it links to it.
        sqlx::query("DELETE FROM audit_events WHERE id = ?").bind(victim).execute(pool).await.unwrap();
        let expected = if victim == count {
            ChainReport::Ok { events: count as u64 - 1 }
        } else {
            ChainReport::Broken { event_id: victim, reason: "event is missing" }
        };
        assert_eq!(verify_in_chunks(pool, 3).await.unwrap(), expected, "event {victim} of {count}");
        sqlx::query("INSERT INTO audit_events SELECT * FROM kept WHERE id = ?").bind(victim).execute(pool).await.unwrap();
    }
    assert_eq!(verify_in_chunks(pool, 3).await.unwrap(), ChainReport::Ok { events: count as u64 });
}

#[tokio::test]
async fn user_add_with_password_from_stdin_then_sign_in() {
    use std::io::Write;
    let s = TestServer::start().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_liaison-desk"))
        .args([
            "user",
            "add",
            "--username",
            "first.admin",
            "--display-name",
            "First Admin",
            "--role",
            "admin",
            "--agency",
            "PS",
            "--password-stdin",
        ])
        .env("DATABASE_URL", &s.db_url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"granite harbour lantern\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut c = s.client();
    assert_eq!(c.sign_in("first.admin", "granite harbour lantern").await.status(), 200);

    // A common password is refused with the reason.
    let weak = liaison_desk(
        &s.db_url,
        &["user", "add", "--username", "weak", "--display-name", "W", "--role", "officer", "--agency", "PS", "--password-stdin"],
    );
    assert!(!weak.status.success());

    // Without --password-stdin a temporary password is generated and printed once.
    let gen = liaison_desk(
        &s.db_url,
        &["user", "add", "--username", "second", "--display-name", "Second", "--role", "officer", "--agency", "RCMP"],
    );
    assert!(gen.status.success());
    let stdout = String::from_utf8_lossy(&gen.stdout).to_string();
    let temp = stdout.rsplit(": ").next().unwrap().trim().to_string();
    let res = c.sign_in("second", &temp).await;
    assert_eq!(res.status(), 200);
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(v["user"]["must_change_password"], true);
    assert_eq!(v["user"]["must_enrol_second_factor"], true, "only the demo's accounts go without a second factor");
}

/// `backup` while writes go on: one archive that restores elsewhere with the same cases, byte-identical
/// attachment files, no sessions, and an audit trail that verifies against the instance's public key; a
/// flipped byte or a cut-off archive is found, and a failed restore leaves nothing behind.
#[tokio::test]
async fn backup_makes_one_archive_that_restores_elsewhere_whole_and_damage_is_found() {
    let s = TestServer::start().await;
    let mut ncb = s.signed_in("ncb.officer").await;
    let case = support::own_case(&s, &mut ncb, "Archive case").await;
    let files: Vec<Vec<u8>> =
        (0..3u8).map(|i| (0..300_000u32).map(|b| (b.wrapping_mul(2_654_435_761) >> 13) as u8 ^ i).collect()).collect();
    for (i, bytes) in files.iter().enumerate() {
        assert_eq!(ncb.upload(&format!("case={case}"), &format!("f{i}.bin"), bytes.clone()).await.status(), 201);
    }
    let cases_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&s.db.pool).await.unwrap();
    // Writes go on while the backup is made.
    let writing = {
        let case = case.clone();
        tokio::spawn(async move {
            for i in 0..40 {
                let value = format!("during-backup-{i}.example");
                ncb.ok("add_indicator", &[("case_id", &case), ("kind", "domain"), ("value", &value), ("tlp", "amber")]).await;
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("ld.tar");
    let files_dir = s.files_dir();
    let live_sessions: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions").fetch_all(&s.db.pool).await.unwrap();
    assert!(!live_sessions.is_empty());
    let out = liaison_desk(&s.db_url, &["backup", archive.to_str().unwrap(), "--attachment-dir", files_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    writing.await.unwrap();
    assert!(!liaison_desk(&s.db_url, &["backup", archive.to_str().unwrap()]).status.success(), "an archive is never overwritten");
    let bytes = std::fs::read(&archive).unwrap();
    for id in &live_sessions {
        assert!(!bytes.windows(id.len()).any(|w| w == id.as_bytes()), "a session id can be read from the archive's bytes");
    }
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&archive).unwrap().permissions().mode() & 0o777, 0o600, "readable by its owner only");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {:?}", leftovers.iter().map(|e| e.file_name()).collect::<Vec<_>>());

    let unused_db = format!("sqlite://{}/never-made.db", dir.path().display());
    let out = liaison_desk(&unused_db, &["backup", "--verify", archive.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Archive OK"));

    let public = dir.path().join("instance.pub");
    std::fs::write(&public, liaison_desk(&s.db_url, &["audit", "public-key"]).stdout).unwrap();
    let to = dir.path().join("restored");
    let restore = |to: &std::path::Path, archive: &std::path::Path| {
        liaison_desk(
            &unused_db,
            &["restore", archive.to_str().unwrap(), "--to", to.to_str().unwrap(), "--public-key", public.to_str().unwrap()],
        )
    };
    let out = restore(&to, &archive);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("audit chain OK"), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(!dir.path().join("never-made.db").exists(), "restore and --verify do not touch a live database");

    let restored = sqlx::SqlitePool::connect(&format!("sqlite://{}", to.join("liaison-desk.db").display())).await.unwrap();
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&restored).await.unwrap();
    assert_eq!(cases, cases_before, "the same cases");
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&restored).await.unwrap();
    assert_eq!(sessions, 0, "a session id in a copy would sign its reader in");
    let hashes: Vec<String> =
        sqlx::query_scalar("SELECT sha256 FROM attachments WHERE case_id = ?").bind(&case).fetch_all(&restored).await.unwrap();
    assert_eq!(hashes.len(), 3);
    let mut found: Vec<Vec<u8>> = hashes.iter().map(|h| std::fs::read(to.join("attachments").join(&h[..2]).join(h)).unwrap()).collect();
    let mut expected = files.clone();
    found.sort();
    expected.sort();
    assert!(found == expected, "attachment files byte-identical");
    restored.close().await;
    assert!(!restore(&to, &archive).status.success(), "never into a directory that exists");
    // Another instance's key: the archive is not vouched for.
    let other = dir.path().join("other.pub");
    let other_key = app::backend::platform::identity::InstanceKey::load_or_create(&dir.path().join("other.key")).unwrap();
    std::fs::write(&other, other_key.public_hex()).unwrap();
    let out = liaison_desk(
        &unused_db,
        &["restore", archive.to_str().unwrap(), "--to", dir.path().join("r2").to_str().unwrap(), "--public-key", other.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not signed by the public key given"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.path().join("r2").exists());

    // A flipped byte anywhere in the archive, or a cut-off one, is found; nothing is left of the attempt.
    let bytes = std::fs::read(&archive).unwrap();
    for (name, damaged) in [
        ("flipped-db", {
            let mut b = bytes.clone();
            b[2048] ^= 0x01;
            b
        }),
        ("flipped-late", {
            let mut b = bytes.clone();
            let at = b.len() * 2 / 3;
            b[at] ^= 0x40;
            b
        }),
        ("cut-off", bytes[..bytes.len() / 2].to_vec()),
    ] {
        let bad = dir.path().join(format!("{name}.tar"));
        std::fs::write(&bad, damaged).unwrap();
        let out = liaison_desk(&unused_db, &["backup", "--verify", bad.to_str().unwrap()]);
        assert!(!out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stdout));
        let into = dir.path().join(format!("{name}-restored"));
        assert!(!restore(&into, &bad).status.success(), "{name}");
        assert!(!into.exists(), "{name}: a failed restore leaves nothing behind");
    }
}

/// `seed` at a small size: the same data for the same seed, every category and status, years of history,
/// searchable text, a chain that verifies, and the schema's indexes all back in place after the bulk load.
#[tokio::test]
async fn seed_makes_the_same_searchable_data_each_time_with_a_chain_that_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let url = |name: &str| format!("sqlite://{}/{name}.db", dir.path().display());
    let schema = |db: app::backend::platform::db::Db| async move {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('index', 'trigger') ORDER BY name")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        rows
    };
    let fresh = schema(server::cli::open_db(&url("fresh"), Default::default()).await.unwrap()).await;

    let args = ["seed", "--cases", "300", "--requests", "2000", "--audit-events", "5000", "--seed", "7"];
    for name in ["one", "two"] {
        let out = liaison_desk(&url(name), &args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("password: "));
    }
    let one = server::cli::open_db(&url("one"), Default::default()).await.unwrap();
    let two = server::cli::open_db(&url("two"), Default::default()).await.unwrap();
    assert_eq!(schema(one.clone()).await, fresh, "indexes and triggers as the migrations made them");

    let count = |sql: &'static str| {
        let pool = one.pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
    };
    assert_eq!(count("SELECT COUNT(*) FROM cases").await, 300);
    assert_eq!(count("SELECT COUNT(*) FROM requests").await, 2000);
    assert_eq!(count("SELECT COUNT(DISTINCT a.country) FROM cases c JOIN agencies a ON a.id = c.owner_agency_id").await, 2);
    assert_eq!(count("SELECT COUNT(DISTINCT category) FROM cases").await, 8);
    assert_eq!(count("SELECT COUNT(DISTINCT status) FROM cases").await, 4);
    assert_eq!(count("SELECT COUNT(DISTINCT status) FROM requests").await, 6);
    assert!(count("SELECT COUNT(*) FROM cases WHERE created_at < datetime('now', '-2 years')").await > 0);
    // Every case and request is in the search index, and a seeded word finds some.
    assert_eq!(count("SELECT COUNT(*) FROM search_index").await, 2300);
    assert!(count("SELECT COUNT(*) FROM search_index WHERE search_index MATCH 'container'").await > 100);
    // The indexes rebuilt after the load answer queries that use them.
    assert_eq!(count("SELECT COUNT(*) FROM requests INDEXED BY requests_case_status WHERE case_id > 0").await, 2000);

    let content = |db: app::backend::platform::db::Db| async move {
        let cases: Vec<(String, String, String, String, String)> =
            sqlx::query_as("SELECT reference, title, summary, category, status FROM cases ORDER BY id").fetch_all(&db.pool).await.unwrap();
        let requests: Vec<(i64, String, String, String)> =
            sqlx::query_as("SELECT case_id, subject, body, status FROM requests ORDER BY id").fetch_all(&db.pool).await.unwrap();
        (cases, requests)
    };
    assert_eq!(content(one.clone()).await, content(two.clone()).await, "same seed, same data");

    let verify = liaison_desk(&url("one"), &["audit", "verify"]);
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
    let events = count("SELECT COUNT(*) FROM audit_events").await;
    assert!(events >= 5000);
    assert_eq!(String::from_utf8_lossy(&verify.stdout).lines().next(), Some(format!("audit chain OK: {events} events").as_str()));
}

#[test]
fn serve_refuses_plain_http_on_a_network_address() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_liaison-desk"))
        .arg("serve")
        .env("DATABASE_URL", format!("sqlite://{}/t.db", dir.path().display()))
        .env("LEPTOS_SITE_ADDR", "0.0.0.0:0")
        .env("LEPTOS_OUTPUT_NAME", "liaison-desk")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run liaison-desk");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("refusing to serve plain HTTP on 0.0.0.0"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A database last used by a newer binary (a migration this one does not know) is refused with a clear
/// message, and left as it was.
#[tokio::test]
async fn a_database_of_a_newer_schema_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/newer.db", dir.path().display());
    let db = server::cli::open_db(&url, Default::default()).await.unwrap();
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) VALUES (99999, 'from the future', datetime('now'), 1, x'00', 0)")
        .execute(&db.pool)
        .await
        .unwrap();
    let applied = || async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let rows: Vec<(i64, bool)> =
            sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version").fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    };
    db.pool.close().await;
    let before = applied().await;
    let out = liaison_desk(&url, &["audit", "verify"]);
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("schema version 99999, newer than this binary knows"), "{message}");
    assert!(applied().await == before, "no migration was run or recorded");
}

/// The oldest schema that shipped (the first migration), with accounts and an audit trail written then,
/// opened by this binary: every later migration applies, the data is intact, the old password still
/// checks, the account now needs a second factor like any other, and the audit chain verifies once signed.
#[tokio::test]
async fn the_oldest_schema_with_data_upgrades_to_this_one() {
    use app::backend::platform::{db, passwords};
    use sqlx::migrate::Migrate;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/old.db", dir.path().display());
    std::fs::File::create(dir.path().join("old.db")).unwrap();
    let old = db::Db::open(&url, Default::default()).await.unwrap();
    {
        let mut conn = old.pool.acquire().await.unwrap();
        conn.ensure_migrations_table().await.unwrap();
        conn.apply(db::MIGRATOR.iter().next().expect("a first migration")).await.unwrap();
    }
    let hash = passwords::hash("monsoon harbour lantern 7".into()).await;
    sqlx::query("INSERT INTO agencies (id, code, name, country, created_at) VALUES (1, 'CBI', 'Central Bureau of Investigation', 'IN', '2026-01-05T09:00:00Z')")
        .execute(&old.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO users (id, username, display_name, role, agency_id, time_zone, password_hash, created_at, updated_at) \
         VALUES (1, 'old.officer', 'Old Officer', 'officer', 1, 'Asia/Kolkata', ?, '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z')",
    )
    .bind(hash.0.clone())
    .execute(&old.pool)
    .await
    .unwrap();
    // Events as the first release wrote them: the hash over the twelve columns it had.
    let mut prev = "0".repeat(64);
    for (id, action) in [(1i64, "sign_in"), (2, "password.change"), (3, "sign_out")] {
        let at = format!("2026-01-05T09:0{id}:00.000000Z");
        let content = serde_json::json!([id, at, 1, "old.officer", "CBI", "IN", "10.0.0.5", action, "user", "1", "success", "{}"]);
        let hash = {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            h.update(prev.as_bytes());
            h.update(content.to_string().as_bytes());
            hex::encode(h.finalize())
        };
        sqlx::query(
            "INSERT INTO audit_events (id, at, user_id, username, agency_code, country, client_ip, action, object_type, object_id, \
             outcome, details, prev_hash, hash) VALUES (?, ?, 1, 'old.officer', 'CBI', 'IN', '10.0.0.5', ?, 'user', '1', 'success', '{}', ?, ?)",
        )
        .bind(id)
        .bind(&at)
        .bind(action)
        .bind(&prev)
        .bind(&hash)
        .execute(&old.pool)
        .await
        .unwrap();
        prev = hash;
    }
    old.pool.close().await;

    // This binary on it: migrations run at open; the key is made and the tail signed as `serve` does at start.
    app::backend::platform::identity::InstanceKey::load_or_create(&app::backend::platform::identity::default_key_path(&url)).unwrap();
    let checkpoint = dir.path().join("cp.json");
    let out = liaison_desk(&url, &["audit", "checkpoint", "--out", checkpoint.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = liaison_desk(&url, &["audit", "verify"]);
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("audit chain OK: 3 events"));

    let new = sqlx::SqlitePool::connect(&url).await.unwrap();
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = 1").fetch_one(&new).await.unwrap();
    assert_eq!(applied as usize, db::MIGRATOR.iter().count(), "every migration applied");
    let (name, agency, stored, exempt): (String, String, String, bool) = sqlx::query_as(
        "SELECT u.display_name, a.name, u.password_hash, u.second_factor_exempt FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.username = 'old.officer'",
    )
    .fetch_one(&new)
    .await
    .unwrap();
    assert_eq!((name.as_str(), agency.as_str()), ("Old Officer", "Central Bureau of Investigation"));
    assert!(!exempt, "an account from before is not exempt from the second factor");
    assert!(
        passwords::verify("monsoon harbour lantern 7".into(), Some(passwords::PasswordHashString(stored))).await,
        "the old password still checks"
    );
    new.close().await;
}
