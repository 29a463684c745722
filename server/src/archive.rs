//! The backup archive: one tar file holding everything needed to bring an instance back — the database (a
//! consistent copy made while the server runs, without its sessions), the attachment files that copy
//! references, and last a manifest with each file's SHA-256 and size, the schema version, and the audit
//! trail's latest signed checkpoint. `backup` makes it, `backup --verify` checks it, `restore` brings it
//! back into a new directory and checks the audit trail there.
//!
//! The keys are not in it (the signing key and the sealing key of second factors): they are backed up
//! separately, so that a stolen archive alone neither forges audit checkpoints nor produces codes.

use app::backend::exchange::attachments::path_for;
use app::backend::platform::checkpoints::{self, Checkpoint, TrailReport};
use app::backend::platform::db::{self, Db, SqliteTuning};
use app::backend::platform::identity::{InstanceKey, PublicKey};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "liaison-desk-backup/1";
const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "database.sqlite";
/// A manifest lists one line per file: even a million attachments stay far below this.
const MAX_MANIFEST_BYTES: u64 = 256 << 20;

/// What went wrong, in words for the operator.
#[derive(Debug)]
pub struct Problem(pub String);

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<io::Error> for Problem {
    fn from(e: io::Error) -> Self {
        Problem(format!("i/o error: {e}"))
    }
}

impl From<sqlx::Error> for Problem {
    fn from(e: sqlx::Error) -> Self {
        Problem(format!("database error: {e}"))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub created_at: DateTime<Utc>,
    /// The newest migration applied to the database in the archive.
    pub schema_version: i64,
    pub audit_events: i64,
    /// The newest signed checkpoint of the copy's audit trail (signed to its last event).
    pub checkpoint: Option<Checkpoint>,
    pub files: Vec<Entry>,
    /// The instance key that signed this manifest (informative: trust comes from the key the restorer gives).
    pub public_key: String,
    /// Ed25519 over `signed_bytes` (every file's hash, so the database content too): absent while signing.
    pub signature: Option<String>,
}

impl Manifest {
    /// What the signature covers: the manifest without its signature, versioned.
    fn signed_bytes(&self) -> Vec<u8> {
        let unsigned = Manifest { signature: None, ..self.clone() };
        let mut bytes = b"liaison-desk backup manifest v1\n".to_vec();
        bytes.extend(serde_json::to_vec(&unsigned).expect("a manifest serialises"));
        bytes
    }

    fn signed_by(&self, key: &PublicKey) -> bool {
        self.signature.as_deref().is_some_and(|s| key.verifies(&self.signed_bytes(), s))
    }
}

/// A new file for an archive or a restore: never an existing one (nor through a link planted there), and
/// readable by its owner only (the database holds password hashes and case content).
fn create_private(path: &Path) -> io::Result<File> {
    std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

fn private_dirs(path: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(path)
}

/// The newest schema this binary knows.
pub fn known_schema() -> i64 {
    db::MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

async fn schema_version(pool: &sqlx::SqlitePool) -> Result<i64, Problem> {
    Ok(sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = 1").fetch_one(pool).await?)
}

/// Reads through `inner`, hashing and counting what passes.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R> Hashing<R> {
    fn new(inner: R) -> Self {
        Hashing { inner, hasher: Sha256::new(), bytes: 0 }
    }
    fn finish(self) -> (String, u64) {
        (hex::encode(self.hasher.finalize()), self.bytes)
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Adds one file under `name`, hashing it on the way; answers its entry.
fn append(tar: &mut tar::Builder<File>, name: &str, source: &Path) -> Result<Entry, Problem> {
    let file = File::open(source).map_err(|e| Problem(format!("{}: {e}", source.display())))?;
    let mut header = tar::Header::new_gnu();
    header.set_size(file.metadata()?.len());
    header.set_mode(0o600);
    header.set_mtime(Utc::now().timestamp().max(0) as u64);
    let mut reader = Hashing::new(file);
    tar.append_data(&mut header, name, &mut reader)?;
    let (sha256, bytes) = reader.finish();
    Ok(Entry { path: name.to_string(), sha256, bytes })
}

/// Writes the archive to `target` (refused if it exists): the database copied while the server may run,
/// then the attachment files that copy references (each checked against its hash), then the manifest.
/// Written beside `target` and renamed into place only when complete.
pub async fn backup(db: &Db, key: &InstanceKey, attachment_dir: &Path, target: &Path) -> Result<Manifest, Problem> {
    if target.exists() {
        return Err(Problem(format!("{} exists; choose a new file name", target.display())));
    }
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let stem = target.file_name().and_then(|n| n.to_str()).unwrap_or("backup");
    // Names of this run alone: two backups at once, or one killed earlier, never share a temporary file.
    let unique = format!("{}.{}", std::process::id(), Utc::now().timestamp_nanos_opt().unwrap_or_default());
    let copy_path = dir.join(format!(".{stem}.{unique}.database.tmp"));
    let partial = dir.join(format!(".{stem}.{unique}.partial"));
    sweep_abandoned(dir);
    let result = write_archive(db, key, attachment_dir, &copy_path, &partial).await;
    for leftover in [copy_path.clone(), copy_path.with_extension("tmp-wal"), copy_path.with_extension("tmp-shm")] {
        let _ = std::fs::remove_file(leftover);
    }
    match result {
        Ok(manifest) => {
            // A link, not a rename: it fails if the name was taken meanwhile, instead of replacing that file.
            let placed = std::fs::hard_link(&partial, target);
            let _ = std::fs::remove_file(&partial);
            placed.map_err(|e| Problem(format!("{}: {e}", target.display())))?;
            Ok(manifest)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// Removes what backups killed midway left in `dir` (their temporary copies and partial archives), once an
/// hour old: a running backup's files are younger.
fn sweep_abandoned(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let ours = name.starts_with('.') && (name.ends_with(".partial") || name.contains(".database.tmp"));
        let old = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age.as_secs() > 3600);
        if ours && old && std::fs::remove_file(entry.path()).is_ok() {
            tracing::warn!(file = %entry.path().display(), "removed what an interrupted backup left");
        }
    }
}

async fn write_archive(db: &Db, key: &InstanceKey, attachment_dir: &Path, copy_path: &Path, partial: &Path) -> Result<Manifest, Problem> {
    checkpoints::sign_tail(db, key).await.map_err(|e| Problem(format!("signing the audit trail's tail: {e}")))?;
    db::backup(db, copy_path).await?;
    // Events written between the signature above and the copy are signed in the copy.
    let copy = Db::open(&format!("sqlite://{}", copy_path.display()), SqliteTuning::default()).await?;
    checkpoints::sign_tail(&copy, key).await.map_err(|e| Problem(format!("signing the copy's audit trail: {e}")))?;
    let schema_version = schema_version(&copy.pool).await?;
    let audit_events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(&copy.pool).await?;
    let checkpoint = checkpoints::latest(&copy.pool).await?;
    let hashes: Vec<String> = sqlx::query_scalar("SELECT DISTINCT sha256 FROM attachments ORDER BY sha256").fetch_all(&copy.pool).await?;
    // The checkpoint just signed is in the copy's write-ahead log: into the file that is archived.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&copy.pool).await?;
    copy.pool.close().await;
    drop(copy);

    let attachment_dir = attachment_dir.to_path_buf();
    let (copy_path, partial) = (copy_path.to_path_buf(), partial.to_path_buf());
    // The file work is blocking: off the async threads.
    let files = tokio::task::spawn_blocking(move || -> Result<(Vec<Entry>, tar::Builder<File>), Problem> {
        let mut tar = tar::Builder::new(create_private(&partial)?);
        let mut files = vec![append(&mut tar, DATABASE, &copy_path)?];
        for sha in hashes {
            let source = path_for(&attachment_dir, &sha);
            let entry = append(&mut tar, &attachment_name(&sha), &source)
                .map_err(|e| Problem(format!("attachment {sha} is referenced by the database but cannot be read: {e}")))?;
            if entry.sha256 != sha {
                return Err(Problem(format!("attachment file {} does not match its hash: the file on disk is damaged", source.display())));
            }
            files.push(entry);
        }
        Ok((files, tar))
    })
    .await
    .map_err(|e| Problem(format!("backup task failed: {e}")))??;
    let (files, mut tar) = files;
    let mut manifest = Manifest {
        format: FORMAT.to_string(),
        created_at: Utc::now(),
        schema_version,
        audit_events,
        checkpoint,
        files,
        public_key: key.public_hex(),
        signature: None,
    };
    manifest.signature = Some(key.sign(&manifest.signed_bytes()));
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Problem(e.to_string()))?;
    let mut header = tar::Header::new_gnu();
    header.set_size(json.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(Utc::now().timestamp().max(0) as u64);
    tar.append_data(&mut header, MANIFEST, json.as_slice())?;
    let file = tar.into_inner()?;
    file.sync_all()?;
    Ok(manifest)
}

fn attachment_name(sha: &str) -> String {
    format!("attachments/{}/{sha}", &sha[..2])
}

/// Where an archive member goes (relative to the restore directory), or why it is not one of ours: the
/// manifest, the database, or an attachment named by its own hash — nothing else, and no path that could
/// leave the directory.
fn member_target(name: &str) -> Result<PathBuf, Problem> {
    match name {
        MANIFEST => Ok(PathBuf::from(MANIFEST)),
        DATABASE => Ok(PathBuf::from("liaison-desk.db")),
        _ => {
            let parts: Vec<&str> = name.split('/').collect();
            let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
            match parts.as_slice() {
                ["attachments", ab, sha] if sha.len() == 64 && hex(sha) && sha.starts_with(ab) && ab.len() == 2 => Ok(PathBuf::from(name)),
                _ => Err(Problem(format!("the archive holds {name:?}, which a Liaison Desk backup never does: refused"))),
            }
        }
    }
}

/// Reads an archive member by member, hashing each; writes each into `into` when restoring. Checks the
/// manifest against what was read: format, schema, every file present with its hash and size, nothing more.
fn read_archive(archive: &Path, into: Option<&Path>) -> Result<Manifest, Problem> {
    let file = File::open(archive).map_err(|e| Problem(format!("{}: {e}", archive.display())))?;
    let mut tar = tar::Archive::new(file);
    let mut seen: BTreeMap<String, (String, u64)> = BTreeMap::new();
    let mut manifest: Option<Manifest> = None;
    let damaged = |e: io::Error| Problem(format!("the archive is damaged or not a backup: {e}"));
    for member in tar.entries().map_err(damaged)? {
        let mut member = member.map_err(damaged)?;
        let name = member.path().map_err(damaged)?.to_string_lossy().to_string();
        let target = member_target(&name)?;
        // Plain files only: no links, devices or sparse entries (a few bytes that expand to terabytes).
        if member.header().entry_type() != tar::EntryType::Regular {
            return Err(Problem(format!("{name} is not a plain file in the archive: refused")));
        }
        if seen.contains_key(&name) || (name == MANIFEST && manifest.is_some()) {
            return Err(Problem(format!("the archive holds {name} twice: refused")));
        }
        if name == MANIFEST {
            if member.header().size().map_err(damaged)? > MAX_MANIFEST_BYTES {
                return Err(Problem("the archive's manifest is too large to be ours".into()));
            }
            let mut text = Vec::new();
            member.read_to_end(&mut text).map_err(damaged)?;
            if let Some(dir) = into {
                create_private(&dir.join(&target))?.write_all(&text)?;
            }
            manifest = Some(serde_json::from_slice(&text).map_err(|e| Problem(format!("the archive's manifest does not read: {e}")))?);
            continue;
        }
        let mut reader = Hashing::new(&mut member);
        match into {
            Some(dir) => {
                let path = dir.join(&target);
                if let Some(parent) = path.parent() {
                    private_dirs(parent)?;
                }
                let mut out = create_private(&path)?;
                io::copy(&mut reader, &mut out).map_err(damaged)?;
                out.sync_all()?;
            }
            None => {
                io::copy(&mut reader, &mut io::sink()).map_err(damaged)?;
            }
        }
        seen.insert(name, reader.finish());
    }
    let manifest = manifest.ok_or_else(|| Problem("the archive has no manifest: it is incomplete (cut off?) or not a backup".into()))?;
    check_manifest(&manifest, &seen)?;
    Ok(manifest)
}

fn check_manifest(manifest: &Manifest, seen: &BTreeMap<String, (String, u64)>) -> Result<(), Problem> {
    if manifest.format != FORMAT {
        return Err(Problem(format!("the archive's format is {:?}; this binary reads {FORMAT:?}", manifest.format)));
    }
    if manifest.schema_version > known_schema() {
        return Err(Problem(format!(
            "the archive was made by a newer Liaison Desk (schema {}; this binary knows up to {}): restore it with that version or newer",
            manifest.schema_version,
            known_schema()
        )));
    }
    if !manifest.files.iter().any(|f| f.path == DATABASE) {
        return Err(Problem("the archive's manifest names no database".into()));
    }
    for f in &manifest.files {
        match seen.get(&f.path) {
            None => return Err(Problem(format!("{} is listed in the manifest but missing from the archive", f.path))),
            Some((sha, bytes)) if *sha != f.sha256 || *bytes != f.bytes => {
                return Err(Problem(format!("{} is damaged: its content does not match the manifest's SHA-256", f.path)));
            }
            Some(_) => {}
        }
        if let Some(sha) = f.path.strip_prefix("attachments/").and_then(|p| p.get(3..)) {
            if sha != f.sha256 {
                return Err(Problem(format!("{} does not hold the content its name says", f.path)));
            }
        }
    }
    if let Some(extra) = seen.keys().find(|k| !manifest.files.iter().any(|f| &f.path == *k)) {
        return Err(Problem(format!("{extra} is in the archive but not in its manifest")));
    }
    Ok(())
}

/// Checks an archive without restoring it.
pub fn verify(archive: &Path) -> Result<Manifest, Problem> {
    read_archive(archive, None)
}

/// What a restore brought back.
pub struct Restored {
    pub manifest: Manifest,
    pub database: PathBuf,
    pub attachments: PathBuf,
    pub audit_events: u64,
    /// The audit trail was checked against this key given by the operator (else the one the archive names).
    pub key_given: bool,
}

/// Restores `archive` into `to` (new or empty), checks it, and verifies the restored audit trail against
/// the archive's checkpoint — with `trusted` when given (the instance's public key, kept elsewhere), else
/// the key the checkpoint names (integrity only). On any failure, nothing restored is left behind.
pub async fn restore(archive: &Path, to: &Path, trusted: Option<PublicKey>) -> Result<Restored, Problem> {
    // A new directory, made here with owner-only access: nothing planted in it beforehand is followed.
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(to)
        .map_err(|e| Problem(format!("{}: {e} (restore makes a new directory; its parent must exist)", to.display())))?;
    match restore_into(archive, to, trusted).await {
        Ok(done) => Ok(done),
        Err(e) => {
            let _ = std::fs::remove_dir_all(to);
            Err(e)
        }
    }
}

async fn restore_into(archive: &Path, to: &Path, trusted: Option<PublicKey>) -> Result<Restored, Problem> {
    let (archive_path, into) = (archive.to_path_buf(), to.to_path_buf());
    let manifest = tokio::task::spawn_blocking(move || read_archive(&archive_path, Some(&into)))
        .await
        .map_err(|e| Problem(format!("restore task failed: {e}")))??;
    // Who vouches for the archive: the key given (kept apart from the backups), else the one it names, which
    // shows damage but not forgery.
    let key_given = trusted.is_some();
    let key = match trusted {
        Some(k) => k,
        None => PublicKey::from_hex(&manifest.public_key).map_err(|e| Problem(format!("the archive names no usable key: {e}")))?,
    };
    if !manifest.signed_by(&key) {
        return Err(Problem(if key_given {
            "the archive's manifest is not signed by the public key given: it was made by another instance, or altered".into()
        } else {
            "the archive's manifest signature does not verify: it was altered".into()
        }));
    }
    let database = to.join("liaison-desk.db");
    let restored = Db::open(&format!("sqlite://{}", database.display()), SqliteTuning::default()).await?;
    let checked = check_restored(&restored.pool, &manifest, &key).await;
    restored.pool.close().await;
    drop(restored);
    let audit_events = checked?;
    Ok(Restored { manifest, database, attachments: to.join("attachments"), audit_events, key_given })
}

/// The restored database is this binary's schema (each recorded migration byte for byte: a dropped or added
/// trigger is not ours), holds the events the manifest counts, and its audit trail verifies up to its last
/// event against the archive's checkpoint — nothing unsigned, however old.
async fn check_restored(pool: &sqlx::SqlitePool, manifest: &Manifest, key: &PublicKey) -> Result<u64, Problem> {
    let applied: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success = 1").fetch_all(pool).await?;
    for (version, checksum) in applied {
        if !db::MIGRATOR.iter().any(|m| m.version == version && m.checksum.as_ref() == checksum.as_slice()) {
            return Err(Problem(format!("the archive's database records migration {version} differently from this binary: refused")));
        }
    }
    let (count, newest): (i64, Option<i64>) = sqlx::query_as("SELECT COUNT(*), MAX(id) FROM audit_events").fetch_one(pool).await?;
    if count != manifest.audit_events {
        return Err(Problem(format!("the archive's database holds {count} audit events, its manifest {}", manifest.audit_events)));
    }
    let Some(newest) = newest else { return Ok(0) };
    let checkpoint = manifest
        .checkpoint
        .as_ref()
        .filter(|c| c.last_id == newest)
        .ok_or_else(|| Problem("the archive's checkpoint does not reach its last audit event: it cannot be verified".into()))?;
    match checkpoints::verify(pool, key, Some(checkpoint), std::time::Duration::ZERO, Utc::now()).await? {
        TrailReport::Ok { events, .. } => Ok(events),
        TrailReport::Broken { event_id, reason } => {
            Err(Problem(format!("the restored audit trail does not verify: event {event_id}: {reason}")))
        }
    }
}

/// Writes a finished manifest to stdout-friendly lines (for `backup` and `--verify`).
pub fn describe(manifest: &Manifest, out: &mut impl Write) -> io::Result<()> {
    let bytes: u64 = manifest.files.iter().map(|f| f.bytes).sum();
    writeln!(
        out,
        "{} files ({} attachments), {:.1} MB; schema {}; {} audit events{}; made {}",
        manifest.files.len(),
        manifest.files.len().saturating_sub(1),
        bytes as f64 / 1e6,
        manifest.schema_version,
        manifest.audit_events,
        manifest.checkpoint.as_ref().map(|c| format!(", signed to event {}", c.last_id)).unwrap_or_default(),
        manifest.created_at.to_rfc3339(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(schema_version: i64) -> Manifest {
        let db = Entry { path: DATABASE.into(), sha256: "0".repeat(64), bytes: 1 };
        Manifest {
            format: FORMAT.into(),
            created_at: Utc::now(),
            schema_version,
            audit_events: 0,
            checkpoint: None,
            files: vec![db],
            public_key: String::new(),
            signature: None,
        }
    }

    #[test]
    fn an_archive_of_a_newer_schema_or_with_missing_or_changed_files_is_refused() {
        let seen: BTreeMap<String, (String, u64)> = [(DATABASE.to_string(), ("0".repeat(64), 1))].into();
        assert!(check_manifest(&manifest(known_schema()), &seen).is_ok());
        assert!(check_manifest(&manifest(known_schema() + 1), &seen).unwrap_err().0.contains("newer"));
        assert!(check_manifest(&manifest(1), &BTreeMap::new()).unwrap_err().0.contains("missing"));
        let changed: BTreeMap<String, (String, u64)> = [(DATABASE.to_string(), ("1".repeat(64), 1))].into();
        assert!(check_manifest(&manifest(1), &changed).unwrap_err().0.contains("damaged"));
        let mut extra = seen.clone();
        extra.insert("attachments/ab/x".into(), ("0".repeat(64), 1));
        assert!(check_manifest(&manifest(1), &extra).unwrap_err().0.contains("not in its manifest"));
    }

    #[test]
    fn only_our_members_are_accepted() {
        assert_eq!(member_target("database.sqlite").unwrap(), PathBuf::from("liaison-desk.db"));
        let sha = "ab".to_string() + &"0".repeat(62);
        assert!(member_target(&format!("attachments/ab/{sha}")).is_ok());
        for bad in ["../etc/passwd", "attachments/ab/../../x", &format!("attachments/cd/{sha}"), "/etc/shadow", "attachments/ab/ABC"] {
            assert!(member_target(bad).is_err(), "{bad}");
        }
    }
}
