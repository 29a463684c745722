//! Opening the SQLite database the way the product needs it: WAL, foreign keys, durable commits, and one
//! writer at a time via BEGIN IMMEDIATE (so a read-then-write never fails with SQLITE_BUSY mid-transaction).

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// A write transaction, holding this process's turn to write. Writers queue for the turn before taking a
/// pooled connection: waiting in SQLite's busy handler instead would hold connections readers need and
/// sleep up to 100 ms between tries, which under load makes every page slow.
pub struct Tx {
    inner: Transaction<'static, Sqlite>,
    _turn: OwnedMutexGuard<()>,
}

impl Deref for Tx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.inner
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.inner
    }
}

impl Tx {
    /// Finishes even if the caller is dropped meanwhile, and only then lets the next writer in.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let Tx { inner, _turn: turn } = self;
        tokio::spawn(async move {
            let done = inner.commit().await;
            drop(turn);
            done
        })
        .await
        .map_err(task_failed)?
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

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: SqlitePool,
    write_turn: Arc<Mutex<()>>,
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
            // Each connection's page cache is private; pages it misses come from the OS by a read
            // system call each, which dominated page time under load. Mapping the file instead
            // shares one copy of the hot pages between all connections.
            .pragma("cache_size", format!("-{}", tuning.cache_kb))
            .pragma("mmap_size", (tuning.mmap_mb * 1024 * 1024).to_string());
        let pool = SqlitePoolOptions::new().max_connections(tuning.connections).connect_with(options).await?;
        Ok(Db { pool, write_turn: Arc::new(Mutex::new(())) })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        MIGRATOR.run(&self.pool).await
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    /// Starts a write transaction holding SQLite's single write lock from the start.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        let turn = self.write_turn.clone().lock_owned().await;
        // In a task of its own: when a client goes away mid-BEGIN its request future is dropped, and a
        // BEGIN cut off there left the pooled connection inside a transaction (every later BEGIN on it
        // failed). The task always finishes, and drops an unwanted transaction properly.
        let pool = self.pool.clone();
        let inner = tokio::spawn(async move { pool.begin_with("BEGIN IMMEDIATE").await }).await.map_err(task_failed)??;
        Ok(Tx { inner, _turn: turn })
    }
}

/// A consistent copy of the live database (readers and writers carry on meanwhile).
pub async fn backup(db: &Db, target: &std::path::Path) -> Result<(), sqlx::Error> {
    sqlx::query("VACUUM INTO ?").bind(target.to_string_lossy().to_string()).execute(&db.pool).await?;
    Ok(())
}
