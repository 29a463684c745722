//! Sessions in SQLite, written through the database's writer. tower-sessions-sqlx-store writes on a
//! pooled connection of its own, so a sign-in waited in SQLite's busy handler while the writer committed
//! groups of other writes back to back (an 8 s sign-in under load). Reading and the table stay the crate's;
//! creating, saving and deleting take their turn with every other write, in the crate's encoding
//! (MessagePack of the record, expiry bound as the same type). No page shows a session record, so these
//! writes leave pages kept for reuse valid (`Tx::commit_untracked`): every active session is saved once a
//! minute, which would otherwise make every kept inbox stale about once a second at 64 sessions.

use app::backend::platform::db::{Db, Tx};
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, Error};
use tower_sessions::SessionStore;
use tower_sessions_sqlx_store::SqliteStore;

#[derive(Clone, Debug)]
pub struct Sessions {
    reads: SqliteStore,
    db: Db,
}

impl Sessions {
    pub async fn new(db: &Db) -> Result<Self, sqlx::Error> {
        let reads = SqliteStore::new(db.pool.clone()).with_table_name("sessions").expect("valid table name");
        reads.migrate().await?;
        Ok(Sessions { reads, db: db.clone() })
    }

    /// Removes sessions past their expiry (they can no longer be used; the table would otherwise keep every
    /// session ever started). Returns how many went.
    pub async fn delete_expired(&self) -> Result<u64, sqlx::Error> {
        let mut tx = self.db.begin_write().await?;
        // The same comparison as the crate's own clean-up, on the stored text form of the expiry.
        let done = sqlx::query("DELETE FROM sessions WHERE datetime(expiry_date) < datetime('now')").execute(&mut *tx).await?;
        tx.commit_untracked().await?;
        Ok(done.rows_affected())
    }

    /// Runs `delete_expired` every `every`, for as long as the server runs.
    pub fn spawn_cleanup(self, every: std::time::Duration) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                match self.delete_expired().await {
                    Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions removed"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "removing expired sessions failed"),
                }
            }
        });
    }
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

fn encode(record: &Record) -> session_store::Result<Vec<u8>> {
    rmp_serde::to_vec(record).map_err(|e| Error::Encode(e.to_string()))
}

/// Runs `sql` with the record's id, encoded data and expiry bound, in that order; returns the rows written.
async fn write(tx: &mut Tx, sql: &str, record: &Record) -> session_store::Result<u64> {
    let done = sqlx::query(sql)
        .bind(record.id.to_string())
        .bind(encode(record)?)
        .bind(record.expiry_date)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(done.rows_affected())
}

impl Sessions {
    async fn upsert(&self, record: &Record) -> Result<(), sqlx::Error> {
        let mut tx = self.db.begin_write().await?;
        let data = encode(record).map_err(|e| sqlx::Error::Encode(e.to_string().into()))?;
        sqlx::query(
            "INSERT INTO sessions (id, data, expiry_date) VALUES (?, ?, ?) \
             ON CONFLICT(id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date",
        )
        .bind(record.id.to_string())
        .bind(data)
        .bind(record.expiry_date)
        .execute(&mut *tx)
        .await?;
        tx.commit_untracked().await
    }

    /// Whether `record` differs from the stored session only in its noted activity (and so its expiry).
    async fn only_touched(&self, record: &Record) -> bool {
        let Ok(Some(stored)) = self.reads.load(&record.id).await else { return false };
        let without_touch = |r: &Record| {
            let mut data = r.data.clone();
            data.remove(app::backend::state::LAST_SEEN);
            data
        };
        without_touch(&stored) == without_touch(record)
    }
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let mut tx = self.db.begin_write().await.map_err(backend)?;
        // A colliding id (vanishingly unlikely) gets a new one rather than someone else's session.
        loop {
            let inserted = write(&mut tx, "INSERT OR IGNORE INTO sessions (id, data, expiry_date) VALUES (?, ?, ?)", record).await?;
            if inserted == 1 {
                break;
            }
            record.id = Id::default();
        }
        tx.commit_untracked().await.map_err(backend)
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self.upsert(record).await {
            Err(e) if app::error::is_disk_full(&e) && self.only_touched(record).await => {
                // Reads go on while the disk is full: a save that only notes activity is skipped (the session
                // may then end up to a minute early). Any other change — sign-in, sign-out, a factor — fails.
                tracing::warn!("storage full: a session's last activity was not recorded");
                Ok(())
            }
            done => done.map_err(backend),
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        self.reads.load(id).await
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let mut tx = self.db.begin_write().await.map_err(backend)?;
        sqlx::query("DELETE FROM sessions WHERE id = ?").bind(id.to_string()).execute(&mut *tx).await.map_err(backend)?;
        tx.commit_untracked().await.map_err(backend)
    }
}

/// Sessions not yet expired (for `/metrics`).
pub async fn live(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE datetime(expiry_date) >= datetime('now')").fetch_one(&db.pool).await
}
