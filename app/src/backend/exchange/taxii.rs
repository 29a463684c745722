//! TAXII 2.1 for the cyber agencies: the indicators a token's owner may see on the case pages, as STIX 2.1
//! objects with their TLP 2.0 markings, in the order they were added, a page at a time. TLP:RED never
//! leaves this way (`LeavesByFeed`), nor H2 from another side (`policy::push_indicator_leaves`). This module holds the query and the paging; the HTTP is the server's.

use crate::backend::exchange::indicators::IndicatorRow;
use crate::backend::exchange::policy::{push_indicator_leaves, push_indicator_visible, Visibility};
use crate::backend::exchange::stix;
use crate::error::AppError;
use crate::model::{SessionUser, Tlp};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::SqliteConnection;
use std::collections::{BTreeSet, HashSet};

/// Which indicators may leave by a feed: all but TLP:RED, which is for the people named when it was given,
/// never for a system that passes it on. (TLP:AMBER+STRICT leaves only to its own organisation's feed:
/// `push_strict_to_own_agency`.)
pub struct LeavesByFeed;

impl LeavesByFeed {
    pub const SQL: &'static str = "i.tlp <> 'red'";
    pub fn holds(tlp: Tlp) -> bool {
        tlp != Tlp::Red
    }
}

/// TLP:AMBER+STRICT is for the recipient organisation only. A supervisor sees their whole country's on the
/// pages, but a feed lands in their own agency's platform: there it goes only where the adding or the
/// owning agency is the viewer's own.
fn push_strict_to_own_agency(q: &mut sqlx::QueryBuilder<'_, sqlx::Sqlite>, viewer: &SessionUser) {
    q.push(" AND (i.tlp <> 'amber_strict' OR (SELECT agency_id FROM users WHERE id = i.created_by) = ");
    q.push_bind(viewer.agency_id);
    q.push(" OR (SELECT owner_agency_id FROM cases WHERE id = i.case_id) = ");
    q.push_bind(viewer.agency_id);
    q.push(")");
}

/// The identity every object of the feed is made by: the instance, not the agency that added it (the pages
/// do not say which agency added an indicator; nor does the feed).
pub fn feed_identity() -> String {
    stix::identity_id("liaison-desk")
}

/// Objects per page when the client names no limit, and the most it may ask for.
pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;

/// Where the next page starts: after the indicator added at `added` (as stored) with this id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct After {
    added: String,
    id: i64,
}

impl After {
    /// The opaque `next` a client sends back.
    pub fn token(&self) -> String {
        hex::encode(format!("{}|{}", self.added, self.id))
    }

    /// A `next` this server gave; anything else is None.
    pub fn parse(token: &str) -> Option<After> {
        let text = String::from_utf8(hex::decode(token).ok()?).ok()?;
        let (added, id) = text.rsplit_once('|')?;
        DateTime::parse_from_rfc3339(added).ok()?;
        Some(After { added: added.to_string(), id: id.parse().ok()? })
    }
}

/// One page of the collection.
#[derive(Debug, Default)]
pub struct Page {
    /// The objects: `limit` indicators at most, and the statement markings of their handling conditions.
    pub objects: Vec<Sent>,
    /// Set when more objects follow: the `next` to ask with.
    pub next: Option<After>,
    /// When the first and last objects of the page were added.
    pub first_added: Option<DateTime<Utc>>,
    pub last_added: Option<DateTime<Utc>>,
}

/// One object of a page, with when it was added and the case it comes from (for the audit trail).
#[derive(Debug)]
pub struct Sent {
    pub added: DateTime<Utc>,
    pub case_id: i64,
    pub object: Value,
}

impl Page {
    /// The cases the page's objects come from, each once (what the audit trail records as read).
    pub fn case_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.objects.iter().map(|o| o.case_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// A time as the feed shows it (headers, manifests): to the nanosecond, as stored.
pub fn shown(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    #[sqlx(flatten)]
    indicator: IndicatorRow,
    added: String,
    reference: String,
    case_id: i64,
}

/// What a client asked for, its filters parsed.
pub struct Ask<'a> {
    /// Only objects added after this time (exclusive).
    pub added_after: Option<DateTime<Utc>>,
    /// Where the page starts: the `next` of the page before.
    pub after: Option<After>,
    /// At most this many indicators (each with the markings it needs).
    pub limit: u32,
    /// `match[id]`, or an object's own URL: only objects with these STIX ids. None is every object.
    pub ids: Option<&'a BTreeSet<String>>,
}

/// Rows read at a time when looking objects up by id: STIX ids are not stored (they are derived from the
/// case reference and the indicator's id, `stix::indicator_id`), so a look-up reads the caller's share in
/// the feed's order until every id asked for was found.
const SCAN_CHUNK: u32 = 500;

/// The rows of the feed `viewer` may see (their visibility, the indicators' own restrictions, never RED),
/// added after `added_after` and after `after`, oldest first, `limit` at most.
async fn rows(
    conn: &mut SqliteConnection,
    viewer: &SessionUser,
    vis: Visibility,
    added_after: Option<DateTime<Utc>>,
    after: Option<&After>,
    limit: u32,
) -> Result<Vec<Row>, AppError> {
    let mut q = sqlx::QueryBuilder::new(format!(
        "SELECT {}, i.created_at AS added, c.reference, i.case_id FROM indicators i JOIN cases c ON c.id = i.case_id WHERE {}",
        IndicatorRow::COLUMNS,
        LeavesByFeed::SQL
    ));
    vis.push_sql(&mut q, "i.case_id");
    push_indicator_visible(&mut q, viewer, "i");
    push_indicator_leaves(&mut q, viewer, "i");
    push_strict_to_own_agency(&mut q, viewer);
    if let Some(t) = added_after {
        // Exclusive; the feed shows times to the nanosecond, as stored, so the last object of a page asked
        // for again by its own time is not sent twice, and none added in the same microsecond is missed.
        q.push(" AND i.created_at > ").push_bind(t);
    }
    if let Some(a) = after {
        // A row value: SQLite walks the (created_at, id) index from here instead of rescanning each page.
        q.push(" AND (i.created_at, i.id) > (").push_bind(a.added.clone()).push(", ").push_bind(a.id).push(")");
    }
    q.push(" ORDER BY i.created_at, i.id LIMIT ").push_bind(limit as i64);
    Ok(q.build_query_as().fetch_all(conn).await?)
}

/// The objects one row gives, in the order they are sent: the statement markings of its handling
/// conditions, then the indicator. None for a row outside its closed sets (never sent as a guess).
fn objects_of(r: Row, by: &str) -> Option<(DateTime<Utc>, Vec<Value>)> {
    let at = DateTime::parse_from_rfc3339(&r.added).ok()?.with_timezone(&Utc);
    let view = r.indicator.into_view()?;
    let mut objects = stix::handling_markings(&view.conditions);
    objects.push(stix::indicator(&r.reference, by, &view, at));
    Some((at, objects))
}

/// The page being filled.
#[derive(Default)]
struct Filling {
    page: Page,
    rows: u32,
    /// Markings already on this page: each goes once, before the first indicator it marks, so that every
    /// reference of the page resolves in it.
    marked: HashSet<String>,
    /// The ids asked for that were found.
    found: BTreeSet<String>,
}

impl Filling {
    /// Whether a row may give an object asked for by id, found without making its objects: its indicator's
    /// id, and (only when a marking was asked for) its conditions' markings' ids. A look-up by id reads many
    /// rows; most are passed over here.
    fn may_give(r: &Row, ids: &BTreeSet<String>, markings_asked: bool) -> bool {
        ids.contains(&stix::indicator_id(&r.reference, r.id))
            || (markings_asked && stix::handling_marking_ids(&r.indicator.conditions()).iter().any(|m| ids.contains(m)))
    }

    /// Of a row's objects, those asked for and not already on the page.
    fn wanted(&self, objects: Vec<Value>, ids: Option<&BTreeSet<String>>) -> Vec<Value> {
        objects
            .into_iter()
            .filter(|o| {
                let id = o["id"].as_str().unwrap_or_default();
                ids.is_none_or(|ids| ids.contains(id)) && !self.marked.contains(id)
            })
            .collect()
    }

    /// The page, with the `next` to ask with when more follows.
    fn finish(mut self, next: Option<After>) -> Page {
        self.page.next = next;
        self.page
    }

    fn take(&mut self, case_id: i64, at: DateTime<Utc>, objects: Vec<Value>) {
        self.rows += 1;
        self.page.first_added.get_or_insert(at);
        self.page.last_added = Some(at);
        for o in objects {
            let id = o["id"].as_str().unwrap_or_default().to_string();
            if o["type"] == "marking-definition" {
                self.marked.insert(id.clone());
            }
            self.found.insert(id);
            self.page.objects.push(Sent { added: at, case_id, object: o });
        }
    }
}

/// One page of the feed as `viewer` may see it, for what the client asked.
pub async fn page(conn: &mut SqliteConnection, viewer: &SessionUser, vis: Visibility, ask: &Ask<'_>) -> Result<Page, AppError> {
    // Ids asked for fit on one page: a marking asked for with indicators would otherwise come again on
    // every page, from the next row that carries it.
    let limit = ask.limit.max(ask.ids.map_or(0, |ids| ids.len() as u32)).clamp(1, MAX_LIMIT);
    let markings_asked = ask.ids.is_some_and(|ids| ids.iter().any(|id| id.starts_with("marking-definition--")));
    let by = feed_identity();
    let mut filling = Filling::default();
    // `scan` is where the next read starts; `end` is where this page ends (the last row taken).
    let (mut scan, mut end) = (ask.after.clone(), ask.after.clone());
    // Without ids every row gives objects, so one read of a row more than the page is the page; with ids,
    // rows are read a chunk at a time until the page is full, every id was found, or the rows ran out.
    let chunk = if ask.ids.is_some() { SCAN_CHUNK } else { limit + 1 };
    loop {
        let read = rows(conn, viewer, vis, ask.added_after, scan.as_ref(), chunk).await?;
        let exhausted = read.len() < chunk as usize;
        for r in read {
            let (here, case_id) = (After { added: r.added.clone(), id: r.id }, r.case_id);
            scan = Some(here.clone());
            if ask.ids.is_some_and(|ids| !Filling::may_give(&r, ids, markings_asked)) {
                continue;
            }
            let Some((at, objects)) = objects_of(r, &by) else { continue };
            let objects = filling.wanted(objects, ask.ids);
            if objects.is_empty() {
                continue;
            }
            if filling.rows == limit {
                // A row for the next page: this one ends where the last row taken did.
                return Ok(filling.finish(end));
            }
            filling.take(case_id, at, objects);
            end = Some(here);
            if ask.ids.is_some_and(|ids| filling.found.len() == ids.len()) {
                return Ok(filling.finish(None));
            }
        }
        if exhausted {
            return Ok(filling.finish(None));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_next_token_reads_back_and_a_forged_one_does_not() {
        let a = After { added: "2026-12-02T07:00:00.123456+00:00".into(), id: 42 };
        assert_eq!(After::parse(&a.token()), Some(a));
        assert_eq!(After::parse("zz"), None);
        assert_eq!(After::parse(&hex::encode("yesterday|1")), None);
        assert_eq!(After::parse(&hex::encode("2026-12-02T07:00:00+00:00|x")), None);
    }

    /// The rule and its SQL select the same TLPs.
    #[tokio::test]
    async fn the_feed_rule_and_its_sql_agree() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        for tlp in Tlp::ALL {
            let sql = format!("SELECT {} FROM (SELECT ? AS tlp) i", LeavesByFeed::SQL);
            let in_sql: bool = sqlx::query_scalar(&sql).bind(tlp.as_str()).fetch_one(&pool).await.unwrap();
            assert_eq!(in_sql, LeavesByFeed::holds(*tlp), "{tlp:?}");
        }
    }
}
