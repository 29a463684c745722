//! Attachment files: stored under their SHA-256 (never the user's file name), recorded with name, size,
//! type, hash, uploader and time; served only through the policy-checked download handler.

use crate::backend::platform::auth::Actor;
use crate::backend::platform::db::{Db, Tx};
use crate::backend::platform::time::shown;
use crate::error::{AppError, FieldError};
use crate::model::{AttachmentView, Conditions, Country, SessionUser};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::path::{Path, PathBuf};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Where content with this hash lives: `<dir>/ab/abcdef…`. The hash is the only thing in the path.
pub fn path_for(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

/// A display name safe to show and to put in Content-Disposition: no path, no control characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    // Bidirectional controls go too: "invoice\u{202e}fdp.exe" must not read as "invoiceexe.pdf".
    let cleaned: String = crate::i18n::plain_line(base).chars().filter(|c| *c != '"').take(MAX_FILE_NAME_CHARS).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "attachment".into()
    } else {
        cleaned
    }
}

/// The longest file name kept (longer ones are cut).
pub const MAX_FILE_NAME_CHARS: usize = 200;

pub struct Target {
    pub case_id: i64,
    pub request_id: Option<i64>,
}

pub async fn insert(
    tx: &mut Tx,
    target: &Target,
    user: &SessionUser,
    file_name: &str,
    content_type: &str,
    size: i64,
    sha: &str,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO attachments (case_id, request_id, file_name, content_type, size, sha256, uploaded_by, created_at) \
         VALUES (?,?,?,?,?,?,?,?) RETURNING id",
    )
    .bind(target.case_id)
    .bind(target.request_id)
    .bind(file_name)
    .bind(content_type)
    .bind(size)
    .bind(sha)
    .bind(user.id)
    .bind(Utc::now())
    .fetch_one(&mut **tx)
    .await?)
}

/// Files uploaded to the request by this user while writing a response become part of that response.
pub async fn attach_to_response(tx: &mut Tx, ids: &[i64], request_id: i64, response_id: i64, user: &SessionUser) -> Result<(), AppError> {
    for id in ids {
        let done = sqlx::query(
            "UPDATE attachments SET response_id = ? WHERE id = ? AND request_id = ? AND response_id IS NULL AND source_response_id IS NULL AND uploaded_by = ?",
        )
        .bind(response_id)
        .bind(id)
        .bind(request_id)
        .bind(user.id)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::field("attachments", tr!(crate::i18n::reader(), "err-attached-file-could-not-found")));
        }
    }
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub case_id: i64,
    pub request_id: Option<i64>,
    /// Set once the response it was uploaded for is sent.
    pub response_id: Option<i64>,
    /// Set on a copy passed on with another request: the response it was given with.
    pub source_response_id: Option<i64>,
    /// The uploader's agency and its country.
    pub uploader_agency_id: i64,
    pub uploader_country: Country,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by_name: String,
    pub created_at: DateTime<Utc>,
    /// The handling conditions of the response it was given with (its own, or the one it was passed on from).
    pub h0: Option<bool>,
    pub h1: Option<bool>,
    pub h2: Option<bool>,
    pub h3: Option<String>,
}

impl AttachmentRow {
    pub fn conditions(&self) -> Conditions {
        let on = |v: Option<bool>| v.unwrap_or(false);
        Conditions { h0: on(self.h0), h1: on(self.h1), h2: on(self.h2), h3: self.h3.clone() }
    }

    /// The name a download is saved under: the conditions stay with the file ("report (H1 H2).pdf").
    pub fn download_name(&self) -> String {
        let codes = self.conditions().codes();
        if codes.is_empty() {
            return self.file_name.clone();
        }
        let tag = format!(" ({})", codes.join(" "));
        match self.file_name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => format!("{stem}{tag}.{ext}"),
            _ => format!("{}{tag}", self.file_name),
        }
    }
}

const SELECT: &str = "SELECT a.id, a.case_id, a.request_id, a.response_id, a.source_response_id, u.agency_id AS uploader_agency_id, \
    ua.country AS uploader_country, a.file_name, a.content_type, a.size, a.sha256, \
    u.display_name AS uploaded_by_name, a.created_at, g.h0, g.h1, g.h2, g.h3 FROM attachments a JOIN users u ON u.id = a.uploaded_by \
    JOIN agencies ua ON ua.id = u.agency_id LEFT JOIN responses g ON g.id = COALESCE(a.source_response_id, a.response_id)";

pub async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Option<AttachmentRow>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE a.id = ?")).bind(id).fetch_optional(conn).await?)
}

fn view(r: AttachmentRow, zone: &str) -> AttachmentView {
    let conditions = r.conditions();
    AttachmentView {
        conditions,
        id: r.id,
        // Cleaned again as shown: a name kept before bidirectional controls were refused reads as it is.
        file_name: clean_name(&r.file_name),
        content_type: r.content_type,
        size: r.size,
        sha256: r.sha256,
        uploaded_by: r.uploaded_by_name,
        created: shown(r.created_at, zone),
    }
}

async fn list(conn: &mut SqliteConnection, clause: &str, id: i64, zone: &str) -> Result<Vec<AttachmentView>, AppError> {
    let rows: Vec<AttachmentRow> = sqlx::query_as(&format!("{SELECT} WHERE {clause} ORDER BY a.id")).bind(id).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|r| view(r, zone)).collect())
}

/// Files on the case itself (not on one of its requests).
pub async fn for_case(conn: &mut SqliteConnection, case_id: i64, zone: &str) -> Result<Vec<AttachmentView>, AppError> {
    list(conn, "a.case_id = ? AND a.request_id IS NULL", case_id, zone).await
}

/// Files on the request waiting for their response to be sent: the uploader's side's own until then
/// (`policy::push_pending_file_visible`).
pub async fn for_request(
    conn: &mut SqliteConnection,
    request_id: i64,
    viewer: &SessionUser,
    zone: &str,
) -> Result<Vec<AttachmentView>, AppError> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!("{SELECT} WHERE a.request_id = "));
    q.push_bind(request_id).push(" AND a.response_id IS NULL");
    // Files passed on with the request are not waiting for anything: every end of the request sees them.
    q.push(" AND (a.source_response_id IS NOT NULL OR (1 = 1");
    crate::backend::exchange::policy::push_pending_file_visible(&mut q, viewer, "u.agency_id", "ua.country");
    q.push("))");
    q.push(" ORDER BY a.id");
    let rows: Vec<AttachmentRow> = q.build_query_as().fetch_all(conn).await?;
    Ok(rows.into_iter().map(|r| view(r, zone)).collect())
}

pub async fn for_response(conn: &mut SqliteConnection, response_id: i64, zone: &str) -> Result<Vec<AttachmentView>, AppError> {
    list(conn, "a.response_id = ?", response_id, zone).await
}

/// Where attachment contents are kept, the largest one accepted, and how much each agency may store (from
/// the settings).
pub struct Store<'a> {
    pub dir: &'a Path,
    pub max_bytes: u64,
    pub agency_quota_bytes: u64,
}

/// An uploaded file's name and type as the browser gave them.
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub content_type: &'a str,
}

/// Checks that `actor` may add a file to the target, before any of the file is read: a refused upload
/// costs the server nothing. An agency whose storage is full already is told so now, not after sending
/// the file (`upload` checks again with the file's size, under the write lock).
pub async fn authorize(db: &Db, store: &Store<'_>, actor: &Actor, target: &Target) -> Result<(), AppError> {
    let result = may_upload(db, actor, target).await;
    if let Err(AppError::NotFound | AppError::Forbidden) = &result {
        // An attempt to add to a case one may not is on the record, as refused reads are (not in the
        // case's history: the attempt is the auditor's to see, not the parties').
        let event = crate::backend::platform::audit::Event::new("attachment.upload")
            .on("case", target.case_id)
            .details(serde_json::json!({ "request": target.request_id }));
        crate::backend::platform::audit::record_refusal(db, &actor.who, event).await?;
    }
    result?;
    let used = agency_usage(&mut *db.pool.acquire().await?, actor.user.agency_id).await?.max(0) as u64;
    if used >= store.agency_quota_bytes {
        return Err(storage_full(used, store.agency_quota_bytes));
    }
    Ok(())
}

/// The agency's storage cannot take the file: how much it holds and may hold, and who can raise it.
fn storage_full(used: u64, quota: u64) -> AppError {
    AppError::TooLarge(FieldError {
        field: "file".into(),
        message: tr!(
            crate::i18n::reader(),
            "err-agency-storage-full",
            used = (used / (1024 * 1024)) as i64,
            quota = (quota / (1024 * 1024)) as i64
        ),
    })
}

async fn may_upload(db: &Db, actor: &Actor, target: &Target) -> Result<(), AppError> {
    use crate::backend::exchange::policy::{self, CaseOp};
    let mut conn = db.pool.acquire().await?;
    let access = crate::backend::exchange::cases::checked(&mut conn, &actor.user, target.case_id, CaseOp::Upload).await?;
    if let Some(rid) = target.request_id {
        let (row, _) = crate::backend::exchange::requests::load(&mut conn, rid).await?.ok_or(AppError::NotFound)?;
        if row.case_id != target.case_id {
            return Err(AppError::NotFound);
        }
        policy::ensure_request_end(&actor.user, &access.parties, row.sides())?;
    }
    Ok(())
}

fn too_large(limit: u64) -> AppError {
    AppError::TooLarge(FieldError {
        field: "file".into(),
        message: tr!(crate::i18n::reader(), "err-file-larger-than-limit", mb = (limit / (1024 * 1024)) as i64),
    })
}

fn store_failed(e: std::io::Error) -> AppError {
    tracing::error!(error = %e, "attachment store failed");
    if crate::error::is_io_full(&e) {
        AppError::NoSpace
    } else {
        AppError::Internal
    }
}

/// A file being received: written to a temporary file in the store as it arrives, hashed and counted on
/// the way, never held whole in memory. Dropped unfinished, its temporary file is removed.
pub struct Incoming {
    tmp: PathBuf,
    file: Option<tokio::fs::File>,
    hasher: Sha256,
    size: u64,
    limit: u64,
}

impl Incoming {
    pub async fn begin(store: &Store<'_>) -> Result<Self, AppError> {
        tokio::fs::create_dir_all(store.dir).await.map_err(store_failed)?;
        let tmp = store.dir.join(format!(".incoming-{}", uuid::Uuid::new_v4()));
        let file = tokio::fs::File::create(&tmp).await.map_err(store_failed)?;
        Ok(Incoming { tmp, file: Some(file), hasher: Sha256::new(), size: 0, limit: store.max_bytes })
    }

    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), AppError> {
        use tokio::io::AsyncWriteExt;
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(too_large(self.limit));
        }
        self.hasher.update(chunk);
        self.file.as_mut().ok_or(AppError::Internal)?.write_all(chunk).await.map_err(store_failed)
    }

    /// The SHA-256 of what has arrived so far (the whole file once the last chunk is written): for telling
    /// a retried upload from a new one before it is recorded.
    pub fn sha256_so_far(&self) -> String {
        hex::encode(self.hasher.clone().finalize())
    }

    /// The file is complete: flushed to disk, with its hash and size.
    async fn finish(&mut self) -> Result<(String, u64), AppError> {
        let file = self.file.take().ok_or(AppError::Internal)?;
        file.sync_all().await.map_err(store_failed)?;
        Ok((hex::encode(std::mem::take(&mut self.hasher).finalize()), self.size))
    }
}

impl Drop for Incoming {
    fn drop(&mut self) {
        // Moved into place on success (then this finds nothing); removed on every other way out.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// After a purge is committed (`retention::purge`): the stored files no attachment names any more are deleted (a file still
/// named by another case's attachment, the same content uploaded twice, stays). Under the write lock, where
/// an upload of the same content moves its file into place and records it: the two cannot interleave.
pub async fn delete_unreferenced(tx: &mut Tx, dir: &std::path::Path, hashes: &[String]) -> Result<usize, AppError> {
    let mut deleted = 0;
    for sha in hashes {
        let used: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM attachments WHERE sha256 = ?)").bind(sha).fetch_one(&mut **tx).await?;
        if !used {
            let path = path_for(dir, sha);
            if tokio::fs::remove_file(&path).await.is_ok() {
                deleted += 1;
            }
        }
    }
    Ok(deleted)
}

/// Removes what uploads cut off by a crash left behind (`.incoming-*` older than `age`): called at start.
/// Younger ones may belong to an upload still under way in another process on the same store.
pub async fn sweep_unfinished(dir: &Path, age: std::time::Duration) -> usize {
    let Ok(mut entries) = tokio::fs::read_dir(dir).await else { return 0 };
    let mut removed = 0;
    while let Ok(Some(entry)) = entries.next_entry().await {
        let stale = entry.metadata().await.ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok()).is_some_and(|e| e > age);
        if entry.file_name().to_string_lossy().starts_with(".incoming-") && stale && tokio::fs::remove_file(entry.path()).await.is_ok() {
            removed += 1;
        }
    }
    removed
}

/// How much the agency's users have stored, in bytes.
async fn agency_usage(conn: &mut SqliteConnection, agency_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COALESCE(SUM(a.size), 0) FROM attachments a JOIN users u ON u.id = a.uploaded_by WHERE u.agency_id = ? AND a.source_response_id IS NULL")
        .bind(agency_id)
        .fetch_one(conn)
        .await?)
}

/// Records a received file on its (authorised) target: within the agency's quota, stored under its hash,
/// and audited.
pub async fn upload(
    db: &Db,
    store: &Store<'_>,
    actor: &Actor,
    target: Target,
    file: Upload<'_>,
    mut incoming: Incoming,
) -> Result<AttachmentView, AppError> {
    use crate::backend::platform::audit::{self, Event};
    let Target { case_id, request_id } = target;
    let (sha, size) = incoming.finish().await?;
    if size == 0 {
        return Err(AppError::field("file", tr!(crate::i18n::reader(), "err-file-empty")));
    }
    let name = clean_name(file.file_name);
    let ctype = if file.content_type.is_empty() { "application/octet-stream" } else { file.content_type };
    // The quota is checked under the write lock, where concurrent uploads of one agency take turns.
    let mut tx = db.begin_write().await?;
    // A purge may have committed while the file arrived (`authorize` ran before): nothing more goes there.
    let purged: bool = sqlx::query_scalar("SELECT purged_at IS NOT NULL FROM cases WHERE id = ?").bind(case_id).fetch_one(&mut *tx).await?;
    crate::backend::exchange::retention::refuse_if_purged(purged)?;
    {
        let used = agency_usage(&mut tx, actor.user.agency_id).await?.max(0) as u64;
        if used + size > store.agency_quota_bytes {
            return Err(storage_full(used, store.agency_quota_bytes));
        }
    }
    // The content is already on disk (written while it arrived): moving it into place is a rename.
    let path = path_for(store.dir, &sha);
    tokio::fs::create_dir_all(path.parent().expect("has a parent")).await.map_err(store_failed)?;
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        tokio::fs::rename(&incoming.tmp, &path).await.map_err(store_failed)?;
    }
    let id = insert(&mut tx, &Target { case_id, request_id }, &actor.user, &name, ctype, size as i64, &sha).await?;
    audit::record(
        &mut tx,
        &actor.who,
        Event::new("attachment.upload").on("attachment", id).case(case_id).details(serde_json::json!({
            "request": request_id, "size": size, "sha256": sha, "type": ctype
        })),
    )
    .await?;
    let row = load(&mut tx, id).await?.ok_or(AppError::Internal)?;
    tx.commit().await?;
    Ok(view(row, &actor.user.time_zone))
}

/// The attachment, if `actor` may read it: a party to its case, and for a request's file an end of that
/// thread (a file waiting in the other side's unsent answer is not there for them). NotFound otherwise.
async fn readable(conn: &mut SqliteConnection, actor: &Actor, id: i64) -> Result<AttachmentRow, AppError> {
    use crate::backend::exchange::policy::{self, CaseOp, RequestOp};
    let r = load(&mut *conn, id).await?.ok_or(AppError::NotFound)?;
    let access = crate::backend::exchange::cases::access(&mut *conn, r.case_id).await?.ok_or(AppError::NotFound)?;
    policy::ensure_case(&actor.user, access.owner, &access.parties, CaseOp::View)?;
    if let Some(rid) = r.request_id {
        let (req, _) = crate::backend::exchange::requests::load(&mut *conn, rid).await?.ok_or(AppError::NotFound)?;
        policy::ensure_request(&actor.user, &access.parties, req.sides(), RequestOp::View)?;
        let uploader = policy::Party { agency_id: r.uploader_agency_id, country: r.uploader_country };
        let pending = r.response_id.is_none() && r.source_response_id.is_none();
        if pending && !policy::pending_file_visible(&actor.user, uploader) {
            return Err(AppError::NotFound);
        }
    }
    Ok(r)
}

/// `readable`, recorded as `action`: the read when allowed, the refusal (outside the transaction) when not.
async fn read_audited(db: &Db, actor: &Actor, id: i64, action: &'static str) -> Result<AttachmentRow, AppError> {
    use crate::backend::platform::audit::{self, Event};
    let mut tx = db.begin_write().await?;
    let row = match readable(&mut tx, actor, id).await {
        Ok(row) => row,
        Err(e) => {
            drop(tx);
            audit::record_refusal(db, &actor.who, Event::new(action).on("attachment", id)).await?;
            return Err(e);
        }
    };
    audit::record(&mut tx, &actor.who, Event::new(action).on("attachment", id).case(row.case_id)).await?;
    tx.commit().await?;
    Ok(row)
}

/// The file behind an attachment, if the actor may read it; every download is an audit event.
pub async fn download(db: &Db, store: &Store<'_>, actor: &Actor, id: i64) -> Result<(AttachmentRow, PathBuf), AppError> {
    let row = read_audited(db, actor, id, "attachment.download").await?;
    let path = path_for(store.dir, &row.sha256);
    Ok((row, path))
}

/// What is known of an attachment (name, type, size, SHA-256, conditions) without its content, if the actor
/// may read it; a read of case content, audited as one.
pub async fn metadata(db: &Db, actor: &Actor, id: i64) -> Result<AttachmentView, AppError> {
    let row = read_audited(db, actor, id, "attachment.read").await?;
    Ok(view(row, &actor.user.time_zone))
}

#[cfg(test)]
mod tests {

    #[tokio::test]
    async fn unfinished_uploads_left_by_a_crash_are_swept_and_others_kept() {
        let dir = std::env::temp_dir().join(format!("ld-sweep-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let old = dir.join(".incoming-old");
        std::fs::write(&old, b"half").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(7200))
            .unwrap();
        std::fs::write(dir.join(".incoming-new"), b"under way").unwrap();
        std::fs::write(dir.join("kept"), b"a stored file").unwrap();
        assert_eq!(sweep_unfinished(&dir, std::time::Duration::from_secs(3600)).await, 1);
        assert!(!old.exists() && dir.join(".incoming-new").exists() && dir.join("kept").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    use super::*;

    #[test]
    fn names_lose_their_paths_and_control_characters() {
        assert_eq!(clean_name("../../x.html"), "x.html");
        assert_eq!(clean_name("C:\\Users\\a\\report.pdf"), "report.pdf");
        assert_eq!(clean_name("evil\"\r\nname.txt"), "evilname.txt");
        assert_eq!(clean_name("../.."), "attachment");
        assert_eq!(clean_name(".htaccess"), "htaccess");
        assert_eq!(clean_name("invoice\u{202e}fdp.exe"), "invoicefdp.exe", "no right-to-left override");
        assert_eq!(clean_name("रिपोर्ट.pdf"), "रिपोर्ट.pdf", "any script is kept");
        assert_eq!(clean_name(&"a".repeat(300)).chars().count(), MAX_FILE_NAME_CHARS);
    }

    #[test]
    fn sha256_of_known_content() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let p = path_for(Path::new("/data"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(p, Path::new("/data/ba/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
}
