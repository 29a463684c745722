//! Signed checkpoints of the audit trail. The hash chain shows that no event was changed *relative to the
//! events after it*; someone able to write the database file could still cut off its end or recompute it
//! whole. So the server signs the chain's tail (last id, last hash, time) with the instance's key
//! (`identity`), kept outside the database: at least every minute while events arrive and every 10,000
//! events, at start for any events it finds unsigned, and when it stops. A checkpoint exported and kept
//! elsewhere (`liaison-desk audit checkpoint --out FILE`) then proves the chain reached that event with that
//! hash, and `verify` reports a truncated, rewritten or extended trail against it.

use crate::backend::platform::audit::{self, ChainReport, Event, Who};
use crate::backend::platform::db::Db;
use crate::backend::platform::identity::{InstanceKey, PublicKey};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use std::time::Duration;

/// One signed statement: "the audit chain reached event `last_id`, whose hash was `last_hash`, at `at`".
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct Checkpoint {
    pub last_id: i64,
    pub last_hash: String,
    pub at: String,
    /// The signer's public key (informative: trust comes from the key the verifier is given).
    pub public_key: String,
    pub signature: String,
}

impl Checkpoint {
    /// The exact bytes signed; versioned, so that the statement cannot be read as another kind of record.
    fn message(last_id: i64, last_hash: &str, at: &str) -> Vec<u8> {
        format!("liaison-desk audit checkpoint v1\n{last_id}\n{last_hash}\n{at}\n").into_bytes()
    }

    fn new(key: &InstanceKey, last_id: i64, last_hash: String, at: DateTime<Utc>) -> Self {
        let at = audit::format_time(at);
        let signature = key.sign(&Self::message(last_id, &last_hash, &at));
        Checkpoint { last_id, last_hash, at, public_key: key.public_hex(), signature }
    }

    /// Whether `key` signed exactly this statement.
    pub fn signed_by(&self, key: &PublicKey) -> bool {
        key.verifies(&Self::message(self.last_id, &self.last_hash, &self.at), &self.signature)
    }

    fn time(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.at).ok().map(|t| t.with_timezone(&Utc))
    }
}

const COLUMNS: &str = "last_id, last_hash, at, public_key, signature";

/// The newest stored checkpoint.
pub async fn latest(pool: &SqlitePool) -> Result<Option<Checkpoint>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM audit_checkpoints ORDER BY id DESC LIMIT 1")).fetch_optional(pool).await
}

/// Signs the chain's tail if it moved since the newest checkpoint; the new checkpoint, if any.
pub async fn sign_tail(db: &Db, key: &InstanceKey) -> Result<Option<Checkpoint>, AppError> {
    // Under the write lock: no event can be appended between reading the tail and storing its checkpoint.
    let mut tx = db.begin_write().await?;
    let tail: Option<(i64, String)> =
        sqlx::query_as("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1").fetch_optional(&mut *tx).await?;
    let newest: Option<(i64, i64, String)> =
        sqlx::query_as("SELECT id, last_id, public_key FROM audit_checkpoints ORDER BY id DESC LIMIT 1").fetch_optional(&mut *tx).await?;
    if let Some((_, _, signer)) = newest.as_ref().filter(|(_, _, signer)| *signer != key.public_hex()) {
        return Err(wrong_key(signer));
    }
    let signed = newest.as_ref().map(|n| n.1).unwrap_or(0);
    let Some((last_id, last_hash)) = tail.filter(|(id, _)| *id > signed) else { return Ok(None) };
    let checkpoint = Checkpoint::new(key, last_id, last_hash, Utc::now());
    let id = newest.map(|n| n.0).unwrap_or(0) + 1;
    sqlx::query(&format!("INSERT INTO audit_checkpoints (id, {COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"))
        .bind(id)
        .bind(checkpoint.last_id)
        .bind(&checkpoint.last_hash)
        .bind(&checkpoint.at)
        .bind(&checkpoint.public_key)
        .bind(&checkpoint.signature)
        .execute(&mut *tx)
        .await?;
    // Nothing a page shows changed: kept renders stay valid.
    tx.commit_untracked().await?;
    Ok(Some(checkpoint))
}

/// Signing with another key than the trail's own would leave checkpoints no verifier accepts together: most
/// likely the process was given the wrong key file.
fn wrong_key(signer: &str) -> AppError {
    tracing::error!(
        signer,
        "the audit trail's checkpoints were signed with another key than the one loaded; check LD_SIGNING_KEY_FILE (nothing signed)"
    );
    AppError::Conflict(format!(
        "The audit trail is signed by the key {signer}, not by the key file given: check LD_SIGNING_KEY_FILE. Nothing was signed."
    ))
}

/// For the command line's writes (accounts, agencies, demo data, seeding): signs what it wrote, so that a
/// trail written while the server is stopped is not later taken for one written behind its back.
pub async fn sign_after_command(db: &Db, key_file: &std::path::Path) -> Result<(), AppError> {
    let key = crate::backend::platform::identity::InstanceKey::load_or_create(key_file).map_err(|e| {
        tracing::error!(error = %e, "no signing key");
        AppError::Conflict(e.to_string())
    })?;
    sign_tail(db, &key).await.map(drop)
}

/// At start: events after the newest checkpoint were written while no server was signing (a crash, or
/// someone else writing the file). Records that in the chain itself, naming them, then signs.
pub async fn sign_at_start(db: &Db, key: &InstanceKey) -> Result<(), AppError> {
    if let Some(last) = latest(&db.pool).await? {
        let tail: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM audit_events").fetch_one(&db.pool).await?;
        if let Some(tail) = tail.filter(|t| *t > last.last_id) {
            tracing::warn!(from = last.last_id + 1, to = tail, "audit events found unsigned at start");
            let system = Who { username: Some("system".into()), ..Who::default() };
            let event = Event::new("audit.unsigned_at_start")
                .outcome(audit::Outcome::Failure)
                .details(serde_json::json!({"from": last.last_id + 1, "to": tail}));
            let mut tx = db.begin_write().await?;
            audit::record(&mut tx, &system, event).await?;
            tx.commit_untracked().await?;
        }
    }
    sign_tail(db, key).await.map(drop)
}

/// How often the signer looks at the tail, and when it signs.
#[derive(Clone, Copy, Debug)]
pub struct Cadence {
    /// Sign once the newest checkpoint is this old and events came since.
    pub every: Duration,
    /// Sign once this many events came since the newest checkpoint, however recent it is.
    pub events: i64,
    pub look_every: Duration,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence { every: Duration::from_secs(60), events: 10_000, look_every: Duration::from_secs(5) }
    }
}

/// Signs in the background by `cadence` until `stop` turns true, then signs a last time.
pub fn spawn_signer(
    db: Db,
    key: InstanceKey,
    cadence: Cadence,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut signed_at = std::time::Instant::now();
        loop {
            tokio::select! {
                _ = tokio::time::sleep(cadence.look_every) => {}
                _ = stop.changed() => break,
            }
            match due(&db.pool, cadence, signed_at.elapsed()).await {
                Ok(true) => match sign_tail(&db, &key).await {
                    Ok(_) => signed_at = std::time::Instant::now(),
                    Err(e) => tracing::error!(error = %e, "could not sign an audit checkpoint"),
                },
                Ok(false) => {}
                Err(e) => tracing::error!(error = %e, "could not read the audit chain's tail"),
            }
        }
        if let Err(e) = sign_tail(&db, &key).await {
            tracing::error!(error = %e, "could not sign the last audit checkpoint at shutdown");
        }
    })
}

/// Whether a checkpoint is due: events came since the newest, and it is old enough or they are many.
async fn due(pool: &SqlitePool, cadence: Cadence, since_signed: Duration) -> Result<bool, sqlx::Error> {
    let (tail, signed): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT (SELECT MAX(id) FROM audit_events), (SELECT last_id FROM audit_checkpoints ORDER BY id DESC LIMIT 1)")
            .fetch_one(pool)
            .await?;
    let waiting = tail.unwrap_or(0) - signed.unwrap_or(0);
    Ok(waiting > 0 && (since_signed >= cadence.every || waiting >= cadence.events))
}

/// What `verify` found.
#[derive(Debug, PartialEq, Eq)]
pub enum TrailReport {
    Ok {
        events: u64,
        /// Signed checkpoints checked (stored, and the one given).
        checkpoints: u64,
        /// The newest event a valid signature covers (0: none).
        signed_to: i64,
        /// Times the server found events unsigned at its start (a crash, or writes behind its back): each
        /// is an `audit.unsigned_at_start` event naming them, for a person to look at.
        unsigned_at_start: u64,
    },
    Broken {
        event_id: i64,
        reason: String,
    },
}

/// Checks the chain (`audit::verify`), every stored checkpoint and `external` against `trusted`, and that the
/// chain still holds each one's event with its hash. A trail with events must have a checkpoint (every
/// writer signs). Events after the newest signed one are accepted only while young (`unsigned_grace`: the
/// server signs at least every minute) and dated no later than now; their dates are the writer's word, so
/// this part is a heuristic, and the exported checkpoint is the proof.
pub async fn verify(
    pool: &SqlitePool,
    trusted: &PublicKey,
    external: Option<&Checkpoint>,
    unsigned_grace: Duration,
    now: DateTime<Utc>,
) -> Result<TrailReport, sqlx::Error> {
    let events = match audit::verify(pool).await? {
        ChainReport::Ok { events } => events,
        ChainReport::Broken { event_id, reason } => return Ok(TrailReport::Broken { event_id, reason: reason.into() }),
    };
    let stored: Vec<Checkpoint> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM audit_checkpoints ORDER BY id")).fetch_all(pool).await?;
    let mut signed_to = 0;
    for (n, checkpoint) in stored.iter().chain(external).enumerate() {
        if let Some(fault) = check_one(pool, trusted, checkpoint, n >= stored.len()).await? {
            return Ok(fault);
        }
        signed_to = signed_to.max(checkpoint.last_id);
    }
    let checkpoints = stored.len() as u64 + external.is_some() as u64;
    if events > 0 && checkpoints == 0 {
        let reason = "the trail has events but no signed checkpoint: they were removed, or the trail was written without \
                      this version's server (start it once: it signs at start)";
        return Ok(TrailReport::Broken { event_id: 1, reason: reason.into() });
    }
    if let Some(fault) = check_unsigned(pool, signed_to, unsigned_grace, now).await? {
        return Ok(fault);
    }
    let unsigned_at_start: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'audit.unsigned_at_start'").fetch_one(pool).await?;
    Ok(TrailReport::Ok { events, checkpoints, signed_to, unsigned_at_start: unsigned_at_start as u64 })
}

/// The events no signature covers yet (ids after `signed_to`): each dated, none in the future, none older
/// than the grace.
async fn check_unsigned(
    pool: &SqlitePool,
    signed_to: i64,
    grace: Duration,
    now: DateTime<Utc>,
) -> Result<Option<TrailReport>, sqlx::Error> {
    let broken = |event_id, reason: String| Ok(Some(TrailReport::Broken { event_id, reason }));
    let undated: Option<i64> = sqlx::query_scalar("SELECT MIN(id) FROM audit_events WHERE id > ? AND julianday(at) IS NULL")
        .bind(signed_to)
        .fetch_one(pool)
        .await?;
    if let Some(id) = undated {
        return broken(id, "event is not signed and has no valid date".into());
    }
    // The oldest and newest dates, not the first event's: a forged event may be back- or forward-dated.
    let (oldest, newest): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT MIN(at), MAX(at) FROM audit_events WHERE id > ?").bind(signed_to).fetch_one(pool).await?;
    let parse = |at: Option<String>| at.and_then(|at| DateTime::parse_from_rfc3339(&at).ok()).map(|t| t.with_timezone(&Utc));
    let (Some(oldest), Some(newest)) = (parse(oldest), parse(newest)) else { return Ok(None) };
    let grace = chrono::Duration::from_std(grace).unwrap_or(chrono::Duration::MAX);
    if newest > now + chrono::Duration::minutes(5) {
        return broken(
            signed_to + 1,
            format!("events from here on are not signed and one is dated in the future ({})", audit::format_time(newest)),
        );
    }
    if now - oldest > grace {
        return broken(
            signed_to + 1,
            format!(
                "events from here on are covered by no signed checkpoint, though one is dated {} (more than {} s ago): they were \
                 added while the server was not signing",
                audit::format_time(oldest),
                grace.num_seconds()
            ),
        );
    }
    Ok(None)
}

/// One checkpoint: signed by the trusted key, and its event still in the chain with its hash.
async fn check_one(pool: &SqlitePool, trusted: &PublicKey, c: &Checkpoint, given: bool) -> Result<Option<TrailReport>, sqlx::Error> {
    let which = if given { "the given checkpoint" } else { "a stored checkpoint" };
    if !c.signed_by(trusted) || c.time().is_none() {
        let reason = format!("{which} (event {}) is not signed by the trusted key", c.last_id);
        return Ok(Some(TrailReport::Broken { event_id: c.last_id, reason }));
    }
    let hash: Option<String> =
        sqlx::query_scalar("SELECT hash FROM audit_events WHERE id = ?").bind(c.last_id).fetch_optional(pool).await?;
    let fault = match hash {
        None => {
            let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM audit_events").fetch_one(pool).await?;
            let first_missing = newest.unwrap_or(0) + 1;
            Some((
                first_missing,
                format!("events {first_missing} to {} are missing: {which} signed that the chain reached them", c.last_id),
            ))
        }
        Some(hash) if hash != c.last_hash => {
            Some((c.last_id, format!("the chain up to this event was rewritten: its hash differs from the one {which} signed")))
        }
        Some(_) => None,
    };
    Ok(fault.map(|(event_id, reason)| TrailReport::Broken { event_id, reason }))
}
