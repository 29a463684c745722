//! The audit trail against someone who can write the database file: each attack is made on a copy of a
//! trail whose checkpoint was exported before, and `liaison-desk audit verify --checkpoint` must name it.

mod support;

use app::backend::platform::audit::AuditRow;
use app::backend::platform::db::{Db, SqliteTuning};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::TestServer;

fn liaison_desk(db_url: &str, key: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liaison-desk"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("LD_SIGNING_KEY_FILE", key)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run liaison-desk")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A trail with some activity, its checkpoint exported to a file, and the instance's key.
struct Anchored {
    s: TestServer,
    dir: tempfile::TempDir,
    key: PathBuf,
    checkpoint: PathBuf,
    /// The event the exported checkpoint covers (the server may have written more since).
    signed: i64,
}

async fn anchored() -> Anchored {
    let s = TestServer::start().await;
    let mut c = s.signed_in("ncb.officer").await;
    c.sign_in("ncb.officer", "wrong password here").await;
    let dir = tempfile::tempdir().unwrap();
    let key = app::backend::platform::identity::default_key_path(&s.db_url);
    let checkpoint = dir.path().join("checkpoint.json");
    let out = liaison_desk(&s.db_url, &key, &["audit", "checkpoint", "--out", checkpoint.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let exported: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&checkpoint).unwrap()).unwrap();
    let signed = exported["last_id"].as_i64().unwrap();
    assert!(signed > 3, "the checkpoint covers the activity");
    Anchored { s, dir, key, checkpoint, signed }
}

impl Anchored {
    /// A copy of the trail as it is now, for one attack; the copy's URL and an open database on it.
    async fn copy(&self, name: &str) -> (String, Db, i64) {
        let file = self.dir.path().join(format!("{name}.db"));
        app::backend::platform::db::backup(&self.s.db, &file).await.unwrap();
        let url = format!("sqlite://{}", file.display());
        let db = Db::open(&url, SqliteTuning::default()).await.unwrap();
        let newest = newest(&db).await;
        (url, db, newest)
    }

    fn verify(&self, url: &str) -> Output {
        liaison_desk(url, &self.key, &["audit", "verify", "--checkpoint", self.checkpoint.to_str().unwrap()])
    }
}

async fn newest(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT MAX(id) FROM audit_events").fetch_one(&db.pool).await.unwrap()
}

/// The intruder's first step: no trigger stands in the way.
async fn drop_triggers(db: &Db) {
    for t in ["audit_events_no_update", "audit_events_no_delete", "audit_events_extend_chain", "audit_checkpoints_no_delete"] {
        sqlx::query(&format!("DROP TRIGGER {t}")).execute(&db.pool).await.unwrap();
    }
}

fn assert_broken(out: &Output, at: i64, words: &str) {
    assert_eq!(out.status.code(), Some(1), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    let err = stderr(out);
    assert!(err.contains(&format!("BROKEN at event {at}:")) && err.contains(words), "{err}");
}

#[tokio::test]
async fn a_trail_anchored_by_an_exported_checkpoint_verifies_and_names_every_attack() {
    let a = anchored().await;
    let ok = a.verify(&a.s.db_url);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("audit chain OK:"));

    // A changed row: the chain itself shows it.
    let (url, db, _) = a.copy("changed").await;
    drop_triggers(&db).await;
    sqlx::query("UPDATE audit_events SET username = 'someone.else' WHERE id = 2").execute(&db.pool).await.unwrap();
    assert_broken(&a.verify(&url), 2, "content does not match");

    // The newest ten removed: the chain alone looks whole, the checkpoint says it went further.
    let (url, db, newest) = a.copy("truncated").await;
    drop_triggers(&db).await;
    sqlx::query("DELETE FROM audit_events WHERE id > ?").bind(newest - 10).execute(&db.pool).await.unwrap();
    assert_eq!(liaison_desk(&url, &a.key, &["audit", "verify"]).status.code(), Some(1), "the stored checkpoint sees it too");
    assert_broken(&a.verify(&url), newest - 9, "missing");

    // Every event removed (checkpoints too): an empty trail after a checkpoint is not "OK: 0 events".
    let (url, db, _) = a.copy("emptied").await;
    drop_triggers(&db).await;
    sqlx::query("DELETE FROM audit_events").execute(&db.pool).await.unwrap();
    sqlx::query("DELETE FROM audit_checkpoints").execute(&db.pool).await.unwrap();
    assert_broken(&a.verify(&url), 1, "missing");

    // One event changed and the whole chain recomputed, stored checkpoints deleted: only the exported
    // checkpoint, signed with a key outside the file, shows it.
    let (url, db, _) = a.copy("recomputed").await;
    drop_triggers(&db).await;
    sqlx::query("DELETE FROM audit_checkpoints").execute(&db.pool).await.unwrap();
    sqlx::query("UPDATE audit_events SET username = 'someone.else' WHERE id = 2").execute(&db.pool).await.unwrap();
    recompute_chain(&db).await;
    // Without stored checkpoints the trail says so; against the exported one, the rewrite is named.
    assert_broken(&liaison_desk(&url, &a.key, &["audit", "verify"]), 1, "no signed checkpoint");
    assert_broken(&a.verify(&url), a.signed, "rewritten");
}

/// Rewrites every hash from the first event on, as an intruder with the file can.
async fn recompute_chain(db: &Db) {
    let mut rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT id, at, user_id, username, agency_code, country, client_ip, action, object_type, object_id, outcome, details, \
         case_id, prev_hash, hash FROM audit_events ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let mut prev = app::backend::platform::audit::GENESIS.to_string();
    for row in &mut rows {
        row.prev_hash = prev.clone();
        row.seal();
        prev = row.hash.clone();
        sqlx::query("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?")
            .bind(&row.prev_hash)
            .bind(&row.hash)
            .bind(row.id)
            .execute(&db.pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn an_event_appended_behind_the_servers_back_and_forged_checkpoints_are_named() {
    let a = anchored().await;

    // An event appended with a correct link (the triggers allow it: it extends the chain), back-dated so
    // it looks old: no signature covers it, though the server signs at least every minute.
    let (url, db, newest) = a.copy("appended").await;
    let ten_minutes_ago = app::backend::platform::audit::format_time(chrono::Utc::now() - chrono::Duration::minutes(10));
    append_forged(&db, newest + 1, &ten_minutes_ago).await;
    assert_broken(&a.verify(&url), a.signed + 1, "not signing");

    // The same file, served again: the server says in the chain itself what it found unsigned.
    let key = app::backend::platform::identity::InstanceKey::load_or_create(&a.key).unwrap();
    app::backend::platform::checkpoints::sign_at_start(&db, &key).await.unwrap();
    let noted: String =
        sqlx::query_scalar("SELECT details FROM audit_events WHERE action = 'audit.unsigned_at_start'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(noted, format!("{{\"from\":{},\"to\":{}}}", a.signed + 1, newest + 1));

    // A checkpoint edited to claim more, or signed by another key, is refused.
    let mut claimed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&a.checkpoint).unwrap()).unwrap();
    claimed["last_id"] = serde_json::json!(1);
    let edited = a.dir.path().join("edited.json");
    std::fs::write(&edited, claimed.to_string()).unwrap();
    let out = liaison_desk(&a.s.db_url, &a.key, &["audit", "verify", "--checkpoint", edited.to_str().unwrap()]);
    assert_broken(&out, 1, "not signed by the trusted key");
    let other = a.dir.path().join("other.pub");
    let other_key = app::backend::platform::identity::InstanceKey::load_or_create(&a.dir.path().join("other.key")).unwrap();
    std::fs::write(&other, other_key.public_hex()).unwrap();
    let out = liaison_desk(&a.s.db_url, &a.key, &["audit", "verify", "--public-key", other.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("not signed by the trusted key"));
    // The right public key, printed by the instance and kept elsewhere, verifies.
    let public = a.dir.path().join("instance.pub");
    std::fs::write(&public, liaison_desk(&a.s.db_url, &a.key, &["audit", "public-key"]).stdout).unwrap();
    let out = liaison_desk(&a.s.db_url, &a.key, &["audit", "verify", "--public-key", public.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[tokio::test]
async fn the_database_refuses_events_that_do_not_extend_the_chain() {
    let a = anchored().await;
    let pool = &a.s.db.pool;
    // INSERT OR REPLACE would swap a row without firing the delete trigger.
    let replaced = sqlx::query("INSERT OR REPLACE INTO audit_events SELECT * FROM audit_events WHERE id = 2").execute(pool).await;
    assert!(replaced.unwrap_err().to_string().contains("must extend the chain"));
    // A next id with a forged link, and a gap, are refused too.
    let next = newest(&a.s.db).await + 1;
    for (id, prev) in [(next, "f".repeat(64)), (next + 4, String::new())] {
        let prev = if prev.is_empty() {
            sqlx::query_scalar::<_, String>("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1").fetch_one(pool).await.unwrap()
        } else {
            prev
        };
        let refused = sqlx::query(
            "INSERT INTO audit_events (id, at, action, outcome, details, prev_hash, hash) VALUES (?, 'x', 'x', 'success', '{}', ?, 'x')",
        )
        .bind(id)
        .bind(prev)
        .execute(pool)
        .await;
        assert!(refused.unwrap_err().to_string().contains("must extend the chain"), "event {id}");
    }
    // Stored checkpoints are append-only.
    assert!(sqlx::query("DELETE FROM audit_checkpoints").execute(pool).await.unwrap_err().to_string().contains("append-only"));
    assert!(liaison_desk(&a.s.db_url, &a.key, &["audit", "verify"]).status.success());
}

#[tokio::test]
async fn unsigned_events_with_odd_dates_or_ids_and_swapped_checkpoints_are_named() {
    let a = anchored().await;
    // A forged event dated in the future, or not dated at all (both pass the chain's own check).
    for (name, at, words) in [("future", "2999-01-01T00:00:00.000000Z", "in the future"), ("undated", "", "no valid date")] {
        let (url, db, newest) = a.copy(name).await;
        append_forged(&db, newest + 1, at).await;
        assert_broken(&a.verify(&url), if name == "undated" { newest + 1 } else { a.signed + 1 }, words);
    }
    // A row far beyond the last id, or below 1: named, not passed over (nor a crash).
    for (name, id, words) in [("far", i64::MAX, "missing"), ("negative", -5, "below 1")] {
        let (url, db, newest) = a.copy(name).await;
        drop_triggers(&db).await;
        sqlx::query(
            "INSERT INTO audit_events (id, at, action, outcome, details, prev_hash, hash) \
             SELECT ?, at, action, outcome, details, prev_hash, hash FROM audit_events WHERE id = ?",
        )
        .bind(id)
        .bind(newest)
        .execute(&db.pool)
        .await
        .unwrap();
        let out = a.verify(&url);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", String::from_utf8_lossy(&out.stdout));
        assert!(stderr(&out).contains(words), "{name}: {}", stderr(&out));
    }
    // An older checkpoint cannot be swapped in over a newer one.
    let pool = &a.s.db.pool;
    let replayed =
        sqlx::query("INSERT OR REPLACE INTO audit_checkpoints SELECT * FROM audit_checkpoints ORDER BY id LIMIT 1").execute(pool).await;
    assert!(replayed.unwrap_err().to_string().contains("must follow the newest"));
}

/// Appends an event that extends the chain correctly (the triggers allow it), dated `at`.
async fn append_forged(db: &Db, id: i64, at: &str) {
    let prev: String = sqlx::query_scalar("SELECT hash FROM audit_events WHERE id = ?").bind(id - 1).fetch_one(&db.pool).await.unwrap();
    let mut row = AuditRow {
        id,
        at: at.into(),
        user_id: None,
        username: Some("admin".into()),
        agency_code: None,
        country: None,
        client_ip: None,
        action: "user.update".into(),
        object_type: None,
        object_id: None,
        outcome: "success".into(),
        details: "{}".into(),
        case_id: None,
        prev_hash: prev,
        hash: String::new(),
    };
    row.seal();
    sqlx::query("INSERT INTO audit_events (id, at, username, action, outcome, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(row.id)
        .bind(&row.at)
        .bind(&row.username)
        .bind(&row.action)
        .bind(&row.outcome)
        .bind(&row.details)
        .bind(&row.prev_hash)
        .bind(&row.hash)
        .execute(&db.pool)
        .await
        .unwrap();
}
