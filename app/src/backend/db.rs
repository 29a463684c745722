//! Opening the SQLite database the way the product needs it: WAL, foreign keys, durable commits, and one
//! writer at a time via BEGIN IMMEDIATE (so a read-then-write never fails with SQLITE_BUSY mid-transaction).

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqliteConnection, SqlitePool};
use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// The one connection that writes. SQLite allows one writer at a time anyway; keeping that writer on a
/// connection of its own keeps its page cache warm (a commit from any other connection empties a
/// connection's cache, so pooled writers started every transaction reading index pages back from the OS)
/// and its prepared statements ready.
struct Writer {
    conn: SqliteConnection,
    /// A transaction is open (one whose Tx was dropped without commit is rolled back before the next).
    open: bool,
}

impl Writer {
    async fn rollback(&mut self) {
        if self.open {
            if let Err(e) = sqlx::query("ROLLBACK").execute(&mut self.conn).await {
                tracing::warn!(error = %e, "rolling back an abandoned write transaction failed");
            }
            self.open = false;
        }
    }
}

/// A write transaction on the writer connection, holding this process's turn to write. Writers queue for
/// the turn in the process: waiting in SQLite's busy handler instead sleeps up to 100 ms between tries,
/// which under load makes every page slow. Dropped without `commit`, it rolls back.
pub struct Tx {
    writer: Option<OwnedMutexGuard<Writer>>,
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
    /// Finishes even if the caller is dropped meanwhile, and only then lets the next writer in.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let mut writer = self.writer.take().expect("a live transaction");
        tokio::spawn(async move {
            let done = sqlx::query("COMMIT").execute(&mut writer.conn).await;
            match done {
                Ok(_) => writer.open = false,
                Err(_) => writer.rollback().await,
            }
            done.map(|_| ())
        })
        .await
        .map_err(task_failed)?
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if let Some(mut writer) = self.writer.take() {
            // Roll back now, so SQLite's write lock is not held until the next writer comes along (other
            // processes, and the session store, write too). Without a runtime the next `begin_write` does it.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move { writer.rollback().await });
            }
        }
    }
}

fn task_failed(e: tokio::task::JoinError) -> sqlx::Error {
    sqlx::Error::Protocol(format!("database task failed: {e}"))
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
        SqliteTuning { cache_kb: 4096, connections: 8, mmap_mb: 0 }
    }
}

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

#[derive(Clone)]
pub struct Db {
    pub pool: SqlitePool,
    writer: Arc<Mutex<Writer>>,
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
        let pool = SqlitePoolOptions::new().max_connections(tuning.connections).connect_with(options.clone()).await?;
        // The writer touches every table's indexes: a larger cache than a reader's.
        let conn = options.pragma("cache_size", format!("-{}", tuning.cache_kb * 4)).connect().await?;
        Ok(Db { pool, writer: Arc::new(Mutex::new(Writer { conn, open: false })) })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        MIGRATOR.run(&self.pool).await
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    /// Starts a write transaction holding SQLite's single write lock from the start.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        let mut writer = self.writer.clone().lock_owned().await;
        // In a task of its own: when a client goes away mid-BEGIN its request future is dropped, and a
        // BEGIN cut off there could leave the connection inside a transaction nobody owns.
        let writer = tokio::spawn(async move {
            writer.rollback().await;
            sqlx::query("BEGIN IMMEDIATE").execute(&mut writer.conn).await?;
            writer.open = true;
            Ok::<_, sqlx::Error>(writer)
        })
        .await
        .map_err(task_failed)??;
        Ok(Tx { writer: Some(writer) })
    }
}

/// A consistent copy of the live database (readers and writers carry on meanwhile).
pub async fn backup(db: &Db, target: &std::path::Path) -> Result<(), sqlx::Error> {
    sqlx::query("VACUUM INTO ?").bind(target.to_string_lossy().to_string()).execute(&db.pool).await?;
    Ok(())
}
