//! Opening the SQLite database the way the product needs it: WAL, foreign keys, durable commits, and one
//! writer at a time via BEGIN IMMEDIATE (so a read-then-write never fails with SQLITE_BUSY mid-transaction).
//!
//! Writes are committed in groups. Each write transaction is a savepoint inside one SQLite transaction;
//! its `commit` releases the savepoint and waits until the group is durably committed — one fsync for
//! every writer that was queued meanwhile, instead of one each. A transaction that fails rolls back its
//! savepoint only; the others in its group are unaffected. Nobody hears "committed" before the fsync.

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqliteConnection, SqlitePool};
use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::{watch, Mutex, Notify, OwnedMutexGuard};

/// How a group ended: `None` while open.
type GroupOutcome = Option<Result<(), Arc<sqlx::Error>>>;

/// The one connection that writes. SQLite allows one writer at a time anyway; keeping that writer on a
/// connection of its own keeps its page cache warm (a commit from any other connection empties a
/// connection's cache, so pooled writers started every transaction reading index pages back from the OS)
/// and its prepared statements ready.
struct Writer {
    conn: SqliteConnection,
    /// The open SQLite transaction, if any, and how its members learn of its end.
    group: Option<watch::Sender<GroupOutcome>>,
    /// A member's savepoint is open (one whose Tx was dropped without a runtime is rolled back next time).
    member: bool,
    /// The audit chain's last event (id, hash) as this group has written it, so appending an event does
    /// not read it back each time. Forgotten when a member rolls back (its events go with it) and when a
    /// group begins (another process may have appended since the last one).
    audit_tail: Option<(i64, String)>,
    /// Counts committed groups with a tracked change: see `Db::generation`.
    generation: Arc<AtomicU64>,
    /// A member of the open group committed with `commit` (not `commit_untracked`).
    changed: bool,
    /// Members of the open group that committed (its commit's size, for `/metrics`).
    members: u64,
}

impl Writer {
    /// Undoes the open member's work, leaving the rest of its group as it was.
    async fn roll_back_member(&mut self) {
        if !self.member {
            return;
        }
        self.member = false;
        self.audit_tail = None;
        let undone = sqlx::query("ROLLBACK TO member").execute(&mut self.conn).await;
        let released = match undone {
            Ok(_) => sqlx::query("RELEASE member").execute(&mut self.conn).await.map(|_| ()),
            Err(e) => Err(e),
        };
        if let Err(e) = released {
            // SQLite rolled the whole transaction back itself (disk full, I/O error): the group is lost.
            self.abort_group(e).await;
        }
    }

    async fn abort_group(&mut self, cause: sqlx::Error) {
        tracing::error!(error = %cause, "a group of write transactions was rolled back");
        let _ = sqlx::query("ROLLBACK").execute(&mut self.conn).await;
        if let Some(group) = self.group.take() {
            group.send_replace(Some(Err(Arc::new(cause))));
        }
    }

    /// Commits the open group, if any, and tells its members.
    async fn commit_group(&mut self) {
        self.roll_back_member().await;
        let Some(group) = self.group.take() else { return };
        match sqlx::query("COMMIT").execute(&mut self.conn).await {
            Ok(_) => {
                // Groups whose members all rolled back commit nothing: not counted.
                let members = std::mem::take(&mut self.members);
                if members > 0 {
                    metrics::histogram!("db_group_commit_size").record(members as f64);
                }
                // Before the members hear "committed": whoever reads after a write returns sees the new number.
                if std::mem::take(&mut self.changed) {
                    self.generation.fetch_add(1, Ordering::SeqCst);
                }
                group.send_replace(Some(Ok(())));
            }
            Err(e) => {
                self.group = Some(group);
                self.abort_group(e).await;
            }
        }
    }
}

/// A write transaction on the writer connection, holding this process's turn to write. Writers queue for
/// the turn in the process: waiting in SQLite's busy handler instead sleeps up to 100 ms between tries,
/// which under load makes every page slow. Dropped without `commit`, it rolls back.
pub struct Tx {
    writer: Option<OwnedMutexGuard<Writer>>,
    group: watch::Receiver<GroupOutcome>,
    queued: Arc<AtomicUsize>,
}

impl Deref for Tx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.writer.as_ref().expect("a live transaction").conn
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.writer.as_mut().expect("a live transaction").conn
    }
}

impl Tx {
    /// The audit chain's tail as known in this group (see `Writer::audit_tail`); the audit module keeps it.
    pub(crate) fn audit_tail(&mut self) -> &mut Option<(i64, String)> {
        &mut self.writer.as_mut().expect("a live transaction").audit_tail
    }

    /// Returns once the work is durably committed. Finishes even if the caller is dropped meanwhile.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.finish(true).await
    }

    /// `commit` for writes that no kept render shows (render_cache): the audit events of reads and searches,
    /// session records. `Db::generation` does not move, so pages kept for everyone stay usable.
    pub async fn commit_untracked(self) -> Result<(), sqlx::Error> {
        self.finish(false).await
    }

    async fn finish(mut self, changed: bool) -> Result<(), sqlx::Error> {
        let mut writer = self.writer.take().expect("a live transaction");
        let mut group = self.group.clone();
        let queued = self.queued.clone();
        tokio::spawn(async move {
            if let Err(e) = sqlx::query("RELEASE member").execute(&mut writer.conn).await {
                writer.roll_back_member().await;
                return Err(e);
            }
            writer.member = false;
            writer.changed |= changed;
            writer.members += 1;
            if queued.load(Ordering::SeqCst) == 0 {
                // Nobody to share the fsync with: commit now rather than hand over to the committer.
                writer.commit_group().await;
            }
            // Otherwise the next writer joins the group while this one waits for it to be committed.
            drop(writer);
            match group.wait_for(Option::is_some).await.map(|o| o.clone()) {
                Ok(Some(Ok(()))) => Ok(()),
                // A full disk stays recognisable as such (the user is told, not "something went wrong").
                Ok(Some(Err(e))) if crate::error::is_disk_full(&e) => {
                    Err(sqlx::Error::Io(std::io::Error::new(std::io::ErrorKind::StorageFull, format!("the write was rolled back: {e}"))))
                }
                Ok(Some(Err(e))) => Err(sqlx::Error::Protocol(format!("the write was rolled back: {e}"))),
                _ => Err(sqlx::Error::Protocol("the database writer stopped".into())),
            }
        })
        .await
        .map_err(task_failed)?
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if let Some(mut writer) = self.writer.take() {
            // Roll back now rather than when the next writer comes. Without a runtime, the next
            // `begin_write` does it.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move { writer.roll_back_member().await });
            }
        }
    }
}

/// Counts a writer as queued until it has its turn or gives up waiting (its future dropped).
struct InQueue<'a>(&'a AtomicUsize);

impl<'a> InQueue<'a> {
    fn join(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        InQueue(count)
    }
}

impl Drop for InQueue<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn task_failed(e: tokio::task::JoinError) -> sqlx::Error {
    sqlx::Error::Protocol(format!("database task failed: {e}"))
}

/// Commits each group once the writers queued when it began have had their turn: it queues for the turn
/// like a writer (the lock is first come, first served), so a group holds everyone who was waiting.
async fn commit_groups(writer: Weak<Mutex<Writer>>, wake: Arc<Notify>) {
    loop {
        wake.notified().await;
        let Some(writer) = writer.upgrade() else { return };
        writer.lock().await.commit_group().await;
    }
}

/// SQLite memory settings (from the command line or environment; see server/src/config.rs).
#[derive(Clone, Copy, Debug)]
pub struct SqliteTuning {
    /// Page cache per pooled connection, in KiB.
    pub cache_kb: u64,
    pub connections: u32,
    pub mmap_mb: u64,
}

impl Default for SqliteTuning {
    fn default() -> Self {
        SqliteTuning { cache_kb: 4096, connections: 4, mmap_mb: 0 }
    }
}

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

#[derive(Clone)]
pub struct Db {
    pub pool: SqlitePool,
    writer: Arc<Mutex<Writer>>,
    /// Tells the group committer that a group has begun.
    group_begun: Arc<Notify>,
    /// Writers waiting for their turn (the group committer does not count).
    queued: Arc<AtomicUsize>,
    generation: Arc<AtomicU64>,
    /// Work another module keeps with the database, shared by every clone of it: the audit trail's queue of
    /// events written together (`audit::record_alone`). Held as `Any` so that this module need not know
    /// the audit module's types: audit uses the database, not the other way round.
    attached: Arc<std::sync::OnceLock<Arc<dyn std::any::Any + Send + Sync>>>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("pool", &self.pool).finish_non_exhaustive()
    }
}

impl Db {
    pub async fn open(url: &str, tuning: SqliteTuning) -> Result<Db, sqlx::Error> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an acknowledged write survives power loss, which an audit trail needs.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", format!("-{}", tuning.cache_kb))
            .pragma("mmap_size", (tuning.mmap_mb * 1024 * 1024).to_string());
        // No ping before each checkout: a connection to a local file does not go stale, and every ping is a
        // round trip to the connection's thread (sqlx pings again on every return regardless).
        let pool =
            SqlitePoolOptions::new().max_connections(tuning.connections).test_before_acquire(false).connect_with(options.clone()).await?;
        // The writer touches every table's indexes: a larger cache than a reader's. It also overwrites what it
        // deletes (secure_delete): a purged case's texts do not linger in the file's free pages. Deletes are
        // rare here (expired sessions, purges), so the extra writes cost little.
        let conn = options.pragma("cache_size", format!("-{}", tuning.cache_kb * 4)).pragma("secure_delete", "ON").connect().await?;
        let generation = Arc::new(AtomicU64::new(0));
        let writer = Arc::new(Mutex::new(Writer {
            conn,
            group: None,
            member: false,
            audit_tail: None,
            generation: generation.clone(),
            changed: false,
            members: 0,
        }));
        let group_begun = Arc::new(Notify::new());
        tokio::spawn(commit_groups(Arc::downgrade(&writer), group_begun.clone()));
        Ok(Db { pool, writer, group_begun, queued: Arc::new(AtomicUsize::new(0)), generation, attached: Default::default() })
    }

    /// Goes up with every commit this process makes, except `commit_untracked` ones. Read it
    /// before reading the data: what was read under a number is at least as new as that number's writes (see
    /// render_cache). Writes by another process (the command line) do not count.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The work attached to this database (see `Db::attached`), made on first use. One kind only: asking
    /// for another is a programming error.
    pub(crate) fn attached<T: std::any::Any + Send + Sync + Default>(&self) -> Arc<T> {
        let any = self.attached.get_or_init(|| Arc::new(T::default())).clone();
        any.downcast::<T>().unwrap_or_else(|_| panic!("one kind of work is attached to a database"))
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        MIGRATOR.run(&self.pool).await
    }

    /// Writers waiting for their turn now.
    pub fn queued(&self) -> usize {
        self.queued.load(Ordering::SeqCst)
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    /// Starts a write transaction: a savepoint in the open group, or a new group (BEGIN IMMEDIATE, which
    /// takes SQLite's write lock at once).
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        let mut writer = {
            let _queued = InQueue::join(&self.queued);
            self.writer.clone().lock_owned().await
        };
        let group_begun = self.group_begun.clone();
        // In a task of its own: a request future dropped mid-statement (the client went away) must not
        // leave the connection in a state nobody knows about.
        let (writer, group) = tokio::spawn(async move {
            writer.roll_back_member().await;
            if writer.group.is_none() {
                writer.audit_tail = None;
                writer.changed = false;
                writer.members = 0;
                sqlx::query("BEGIN IMMEDIATE").execute(&mut writer.conn).await?;
                writer.group = Some(watch::channel(None).0);
                group_begun.notify_one();
            }
            let group = writer.group.as_ref().expect("a group is open").subscribe();
            sqlx::query("SAVEPOINT member").execute(&mut writer.conn).await?;
            writer.member = true;
            Ok::<_, sqlx::Error>((writer, group))
        })
        .await
        .map_err(task_failed)??;
        Ok(Tx { writer: Some(writer), group, queued: self.queued.clone() })
    }
}

/// A consistent copy of the live database (readers and writers carry on meanwhile).
/// A consistent copy of the database, without the sessions (a session id in a copy would sign its reader
/// in as the user while the session lives).
pub async fn backup(db: &Db, target: &std::path::Path) -> Result<(), sqlx::Error> {
    sqlx::query("VACUUM INTO ?").bind(target.to_string_lossy().to_string()).execute(&db.pool).await?;
    let copy = sqlx::SqlitePool::connect(&format!("sqlite://{}", target.display())).await?;
    let has_sessions: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sessions')")
        .fetch_one(&copy)
        .await?;
    if has_sessions {
        // Deleted rows stay readable in free pages: zeroed (secure_delete) and the file rebuilt without them,
        // so no session id can be read from the copy's bytes either.
        let mut conn = copy.acquire().await?;
        sqlx::query("PRAGMA secure_delete = ON").execute(&mut *conn).await?;
        sqlx::query("DELETE FROM sessions").execute(&mut *conn).await?;
        sqlx::query("VACUUM").execute(&mut *conn).await?;
    }
    copy.close().await;
    Ok(())
}

/// A stored closed-set value back into its enum; anything else is a corrupt row, logged.
/// A `LIKE ? ESCAPE '\\'` pattern matching `text` anywhere: its own `\\`, `%` and `_` match themselves.
pub fn like_pattern(text: &str) -> String {
    format!("%{}%", text.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

pub fn parse<T: std::str::FromStr>(s: &str) -> Result<T, crate::error::AppError> {
    s.parse().map_err(|_| {
        tracing::error!(value = s, "unexpected stored value");
        crate::error::AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    /// In SQLite itself: the user's `\`, `%` and `_` are plain characters, never wildcards or escapes.
    #[tokio::test]
    async fn a_like_pattern_takes_backslash_percent_and_underscore_literally() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        let cases = [
            ("C:\\temp\\x", "\\temp", true),
            ("ab", "\\b", false),
            ("a%b", "%", true),
            ("ab", "%", false),
            ("a_b", "_", true),
            ("ab", "_", false),
            ("Société", "Soc", true),
        ];
        for (text, q, expected) in cases {
            let got: bool =
                sqlx::query_scalar("SELECT ? LIKE ? ESCAPE '\\'").bind(text).bind(super::like_pattern(q)).fetch_one(&pool).await.unwrap();
            assert_eq!(got, expected, "{text:?} against {q:?}");
        }
    }
}
