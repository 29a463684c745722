//! Rendered HTML of the busiest pages' data-heavy parts (the inbox; the dashboard, which is the same for
//! every supervisor of a country and keyed on that instead of the viewer), and data every case page shows
//! (the forms' choices), kept per viewer and reused until this process commits a tracked write (anything
//! but the audit events of reads and session records; see `Tx::commit_untracked`), or the minute turns.
//!
//! Rendering an inbox reads four queries' rows and renders them: ~3.5 ms of CPU, most of a page's cost, for
//! HTML that changes only when something is written ("in 5 h 20 min" changes with the minute). Keyed on the
//! viewer, so what one user may see is never shown to another; on `Db::generation`, read before the data,
//! so nothing written before a render began is missing from what it keeps; and on the minute. Writes made by
//! another process (the command line) are seen within the minute. Any tracked write makes every kept part
//! stale: simple to get right, and enough while reads far outnumber writes.
//!
//! Tried on the case page too, and taken out: 35–45 KB per viewer and case, so the bench's 2,000 pairs
//! missed nearly always within a memory budget, and a page is usually opened again right after a write.

use crate::backend::platform::db::Db;
use crate::error::AppError;
use quick_cache::sync::Cache;
use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;

/// Cached values say how many bytes they hold, so the cache is bounded in memory, not in entries.
pub trait Weight {
    fn bytes(&self) -> u64;
}

#[derive(Clone, Copy)]
struct ByBytes;

impl<A, V: Weight> quick_cache::Weighter<Key<A>, Arc<V>> for ByBytes {
    fn weight(&self, _key: &Key<A>, value: &Arc<V>) -> u64 {
        value.bytes().max(1)
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key<A> {
    user_id: i64,
    args: A,
    generation: u64,
    minute: i64,
}

/// One page part's cache: `A` is what the part depends on besides its viewer (the filters, say).
pub struct RenderCache<A, V> {
    entries: Cache<Key<A>, Arc<V>, ByBytes>,
}

impl<A: Clone + Eq + Hash, V: Weight> RenderCache<A, V> {
    /// Holds up to `bytes` of rendered HTML; when full, quick_cache's eviction drops entries little used.
    pub fn new(bytes: u64) -> Self {
        RenderCache { entries: Cache::with_weighter(256, bytes, ByBytes) }
    }

    /// The part as `render` makes it for this viewer now: made once per data version, minute and `args`;
    /// the viewer's other requests that arrive while it is being made wait for it rather than make it again.
    /// `user_id` 0 is for parts that are the same for everyone whose `args` match (what they may see is in
    /// `args`, as the country is for the dashboard).
    pub async fn get_or_render<F, Fut>(&self, db: &Db, user_id: i64, args: A, render: F) -> Result<Arc<V>, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, AppError>>,
    {
        // Each viewer's minute starts at their own second, so the renders a turning minute needs are spread
        // over it rather than all due at once.
        let offset = user_id.rem_euclid(60);
        let minute = (chrono::Utc::now().timestamp() + offset).div_euclid(60);
        let key = Key { user_id, args, generation: db.generation(), minute };
        self.entries.get_or_insert_async(&key, async { render().await.map(Arc::new) }).await
    }
}

impl Weight for crate::model::DashboardHtml {
    fn bytes(&self) -> u64 {
        (self.title.len() + self.html.len()) as u64
    }
}

impl Weight for crate::model::InboxHtml {
    fn bytes(&self) -> u64 {
        (self.filters.len() + self.lists.len()) as u64
    }
}

impl Weight for crate::model::RequestPage {
    fn bytes(&self) -> u64 {
        // The strings plus a rough allowance for each summary's fixed fields and deadline texts.
        let requests: usize = self
            .requests
            .iter()
            .map(|r| 160 + r.subject.len() + r.case_reference.len() + r.legal_basis.as_ref().map_or(0, String::len))
            .sum();
        let counterparts: usize = self.counterparts.iter().map(|a| 16 + a.code.len() + a.name.len()).sum();
        (requests + counterparts + self.officer_name.as_ref().map_or(0, String::len) + 64) as u64
    }
}

impl Weight for crate::model::FormOptions {
    fn bytes(&self) -> u64 {
        let agencies: usize = self.agencies.iter().map(|a| 16 + a.code.len() + a.name.len()).sum();
        let leads: usize = self.leads.iter().map(|(_, name)| 8 + name.len()).sum();
        let bases: usize = self.legal_bases.iter().map(|b| 24 + b.code.len() + b.label.len()).sum();
        (agencies + leads + bases + self.time_zone.len() + 64) as u64
    }
}
