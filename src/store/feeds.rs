//! Feed subscriptions in the store: the feeds, their tags, their HTTP state
//! and schedule (`feeds`), and the items each feed delivered (`feed_items`).
//!
//! Articles from feeds are stored by the same code as files
//! (`ingest::insert_article`); what is added here is knowing which item an
//! article came from, so the next fetch recognises it, and replacing an
//! article whose item changed while keeping its id.

use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::ingest::insert_article;
use super::{IngestStats, Store, StoreError};
use crate::model::ParsedArticle;

/// One subscription as stored, with its counts.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct FeedRow {
    pub id: i64,
    pub url: String,
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub every_secs: i64,
    pub full_text: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_fetch: Option<String>,
    pub last_status: Option<i64>,
    pub next_due: Option<String>,
    pub not_before: Option<String>,
    pub paused: bool,
    pub error: Option<String>,
    pub failures: i64,
    pub items: i64,
    pub events: i64,
}

/// A feed to subscribe to.
#[derive(Clone, Debug, Default)]
pub struct NewFeed {
    pub url: String,
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub every_secs: i64,
    pub full_text: String,
}

/// Which feeds an `update` or `feeds list` is about.
#[derive(Clone, Debug, Default)]
pub struct FeedSelection {
    /// Feed URLs or ids; empty means all.
    pub feeds: Vec<String>,
    pub tag: Option<String>,
}

/// What the last fetch of a feed changes in its row.
#[derive(Clone, Debug, Default)]
pub struct FetchRecord {
    pub status: Option<i64>,
    /// New validators; `None` keeps the stored ones (a 304 may omit them).
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// A 200 without validators: the stored ones are dropped.
    pub clear_validators: bool,
    pub next_due: String,
    pub not_before: Option<String>,
    pub error: Option<String>,
    pub failures: i64,
    pub paused: bool,
    /// A permanent redirect: the feed's new address.
    pub moved_to: Option<String>,
    /// The feed's own title, kept when the subscription has none.
    pub title: Option<String>,
}

/// An item already stored for a feed.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownItem {
    pub article_id: String,
    pub hash: String,
    pub page: Option<String>,
}

/// What to do with one item of a fetched feed.
#[derive(Clone, Debug)]
pub enum ItemWrite {
    /// A new item: its article is stored (or found stored) and linked.
    New {
        key: String,
        hash: String,
        link: Option<String>,
        page: Option<String>,
        article: Box<ParsedArticle>,
    },
    /// A known item whose content changed: its article is replaced in place
    /// (the article's id is already the stored one).
    Changed {
        key: String,
        hash: String,
        article: Box<ParsedArticle>,
    },
    /// A known item whose content changed but is not replaced (its stored
    /// article holds the fetched page): only the new hash is kept.
    Rehash { key: String, hash: String },
}

/// What storing a feed's items did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FeedStats {
    pub stored: IngestStats,
    pub replaced: usize,
}

const FEED_COLUMNS: &str = "f.id, f.url, f.title, f.every_secs, f.full_text, f.etag, \
     f.last_modified, f.last_fetch, f.last_status, f.next_due, f.not_before, f.paused, \
     f.error, f.failures";

fn feed_from_row(r: &rusqlite::Row) -> rusqlite::Result<FeedRow> {
    Ok(FeedRow {
        id: r.get(0)?,
        url: r.get(1)?,
        title: r.get(2)?,
        every_secs: r.get(3)?,
        full_text: r.get(4)?,
        etag: r.get(5)?,
        last_modified: r.get(6)?,
        last_fetch: r.get(7)?,
        last_status: r.get(8)?,
        next_due: r.get(9)?,
        not_before: r.get(10)?,
        paused: r.get(11)?,
        error: r.get(12)?,
        failures: r.get(13)?,
        ..FeedRow::default()
    })
}

impl Store {
    /// Subscribes to a feed. Returns its id and whether it is new; a feed
    /// already subscribed gets the new tags added and is otherwise kept.
    pub fn add_feed(&mut self, feed: &NewFeed, now: &str) -> Result<(i64, bool), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: Option<i64> = tx
            .query_row("SELECT id FROM feeds WHERE url = ?1", [&feed.url], |r| {
                r.get(0)
            })
            .optional()?;
        let (id, new) = match found {
            Some(id) => (id, false),
            None => {
                tx.execute(
                    "INSERT INTO feeds (url, title, every_secs, full_text, added_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![feed.url, feed.title, feed.every_secs, feed.full_text, now],
                )?;
                (tx.last_insert_rowid(), true)
            }
        };
        for t in &feed.tags {
            tx.execute(
                "INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?1, ?2)",
                params![id, t],
            )?;
        }
        tx.commit()?;
        Ok((id, new))
    }

    /// A feed by its id (all digits) or URL.
    pub fn find_feed(&self, url_or_id: &str) -> Result<Option<FeedRow>, StoreError> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds f WHERE f.url = ?1 OR f.id = ?2");
        let id: i64 = url_or_id.parse().unwrap_or(-1);
        let row = self
            .conn
            .query_row(&sql, params![url_or_id, id], feed_from_row)
            .optional()?;
        match row {
            Some(mut f) => {
                self.fill_counts(&mut f)?;
                Ok(Some(f))
            }
            None => Ok(None),
        }
    }

    /// True when some feed has tag `tag` (a store from before feeds has
    /// none).
    pub fn has_feed_tag(&self, tag: &str) -> Result<bool, StoreError> {
        let found = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM feed_tags WHERE tag = ?1)",
            [tag],
            |r| r.get::<_, bool>(0),
        );
        match found {
            Ok(b) => Ok(b),
            Err(rusqlite::Error::SqliteFailure(_, Some(m))) if m.contains("no such table") => {
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The subscriptions, in the order they were added, with tags and counts.
    pub fn feeds(&self, sel: &FeedSelection) -> Result<Vec<FeedRow>, StoreError> {
        let mut out = Vec::new();
        {
            let sql = format!(
                "SELECT {FEED_COLUMNS} FROM feeds f WHERE ?1 IS NULL OR EXISTS \
                 (SELECT 1 FROM feed_tags t WHERE t.feed_id = f.id AND t.tag = ?1) ORDER BY f.id"
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map([&sel.tag], feed_from_row)?;
            for r in rows {
                let f = r?;
                let named = sel.feeds.is_empty()
                    || sel
                        .feeds
                        .iter()
                        .any(|s| *s == f.url || s.parse::<i64>().ok() == Some(f.id));
                if named {
                    out.push(f);
                }
            }
        }
        for f in &mut out {
            self.fill_counts(f)?;
        }
        Ok(out)
    }

    fn fill_counts(&self, f: &mut FeedRow) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT tag FROM feed_tags WHERE feed_id = ?1 ORDER BY tag")?;
        f.tags = stmt
            .query_map([f.id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        f.items = self
            .conn
            .prepare_cached("SELECT count(*) FROM feed_items WHERE feed_id = ?1")?
            .query_row([f.id], |r| r.get(0))?;
        f.events = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM events WHERE article_id IN \
                 (SELECT article_id FROM feed_items WHERE feed_id = ?1)",
            )?
            .query_row([f.id], |r| r.get(0))?;
        Ok(())
    }

    /// Ends a subscription. With `purge`, the articles only this feed
    /// delivered are deleted too (their events with them). Returns the
    /// number of articles deleted.
    pub fn remove_feed(&mut self, id: i64, purge: bool) -> Result<usize, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut purged = 0;
        if purge {
            let only_here: Vec<String> = tx
                .prepare(
                    "SELECT DISTINCT article_id FROM feed_items WHERE feed_id = ?1 \
                     AND article_id NOT IN (SELECT article_id FROM feed_items WHERE feed_id != ?1)",
                )?
                .query_map([id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let mut delete = tx.prepare("DELETE FROM articles WHERE id = ?1")?;
            for article in &only_here {
                // Out of its stories first: they are summed up again
                // without it (and vanish when it was their only source);
                // the delete alone would leave their rows counting it.
                crate::story::merge::forget_article(&tx, article)?;
                purged += delete.execute([article])?;
            }
        }
        tx.execute("DELETE FROM feeds WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(purged)
    }

    /// Claims the selected feeds that may be fetched now, so that a second
    /// `update` running at the same time leaves them alone: not paused, not
    /// held back by a server's `Retry-After`, not claimed by another run,
    /// and due (or any of those with `force`). Returns the claimed feeds
    /// and the selected ones that are not due.
    pub fn claim_due(
        &mut self,
        sel: &FeedSelection,
        force: bool,
        now: &str,
        lease_until: &str,
    ) -> Result<(Vec<FeedRow>, Vec<FeedRow>), StoreError> {
        let all = self.feeds(sel)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut claimed = Vec::new();
        let mut waiting = Vec::new();
        for f in all {
            // Read again inside the write lock: another run may have just
            // claimed or fetched it.
            let (lease, due, not_before, paused): (
                Option<String>,
                Option<String>,
                Option<String>,
                bool,
            ) = tx.query_row(
                "SELECT lease_until, next_due, not_before, paused FROM feeds WHERE id = ?1",
                [f.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
            let leased = lease.as_deref().is_some_and(|l| l > now);
            let held = not_before.as_deref().is_some_and(|n| n > now);
            let is_due = force || due.as_deref().is_none_or(|d| d <= now);
            if paused || leased || held || !is_due {
                waiting.push(FeedRow {
                    next_due: due,
                    not_before,
                    paused,
                    ..f
                });
                continue;
            }
            tx.execute(
                "UPDATE feeds SET lease_until = ?2 WHERE id = ?1",
                params![f.id, lease_until],
            )?;
            claimed.push(f);
        }
        tx.commit()?;
        Ok((claimed, waiting))
    }

    /// Writes the outcome of one fetch and releases the claim.
    pub fn record_fetch(
        &mut self,
        id: i64,
        rec: &FetchRecord,
        now: &str,
    ) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if rec.clear_validators {
            tx.execute(
                "UPDATE feeds SET etag = NULL, last_modified = NULL WHERE id = ?1",
                [id],
            )?;
        }
        if rec.etag.is_some() {
            tx.execute(
                "UPDATE feeds SET etag = ?2 WHERE id = ?1",
                params![id, rec.etag],
            )?;
        }
        if rec.last_modified.is_some() {
            tx.execute(
                "UPDATE feeds SET last_modified = ?2 WHERE id = ?1",
                params![id, rec.last_modified],
            )?;
        }
        tx.execute(
            "UPDATE feeds SET last_fetch = ?2, last_status = ?3, next_due = ?4, not_before = ?5, \
             error = ?6, failures = ?7, paused = paused OR ?8, lease_until = NULL, \
             title = coalesce(title, ?9) WHERE id = ?1",
            params![
                id,
                now,
                rec.status,
                rec.next_due,
                rec.not_before,
                rec.error,
                rec.failures,
                rec.paused,
                rec.title
            ],
        )?;
        if let Some(to) = &rec.moved_to {
            // Another subscription may already have the new address; then
            // this one keeps its old one rather than failing.
            tx.execute(
                "UPDATE OR IGNORE feeds SET url = ?2 WHERE id = ?1",
                params![id, to],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Releases a claim without recording a fetch (the run stopped early).
    pub fn release_feed(&self, id: i64) -> Result<(), StoreError> {
        self.conn
            .execute("UPDATE feeds SET lease_until = NULL WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Sets or clears a feed's pause (a 410 sets it; `feeds add` again clears).
    pub fn set_feed_paused(&self, id: i64, paused: bool) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE feeds SET paused = ?2 WHERE id = ?1",
            params![id, paused],
        )?;
        Ok(())
    }

    /// The item of a feed stored under `key`, if any.
    pub fn feed_item(&self, feed_id: i64, key: &str) -> Result<Option<KnownItem>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT article_id, hash, page FROM feed_items WHERE feed_id = ?1 AND key = ?2",
            )?
            .query_row(params![feed_id, key], |r| {
                Ok(KnownItem {
                    article_id: r.get(0)?,
                    hash: r.get(1)?,
                    page: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// How an earlier fetch of this page went, by any feed (a page is
    /// fetched once, whichever feeds link to it).
    pub fn page_outcome(&self, link: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT page FROM feed_items WHERE link = ?1 AND page IS NOT NULL LIMIT 1",
            )?
            .query_row([link], |r| r.get(0))
            .optional()?)
    }

    /// Stores one fetch's items in one transaction.
    pub fn store_feed_items(
        &mut self,
        feed_id: i64,
        items: &[ItemWrite],
        now: &str,
    ) -> Result<FeedStats, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut stats = FeedStats::default();
        let path = format!("feed:{feed_id}");
        for item in items {
            match item {
                ItemWrite::New {
                    key,
                    hash,
                    link,
                    page,
                    article,
                } => {
                    // A second `update` may have stored it meanwhile.
                    let known: bool = tx
                        .prepare_cached(
                            "SELECT count(*) FROM feed_items WHERE feed_id = ?1 AND key = ?2",
                        )?
                        .query_row(params![feed_id, key], |r| r.get::<_, i64>(0))?
                        > 0;
                    if known {
                        stats.stored.articles_unchanged += 1;
                        continue;
                    }
                    let id = &article.article.id;
                    if insert_article(&tx, article, id, Some(&path), now)? {
                        crate::story::merge::assign_article(&tx, id)?;
                        stats.stored.articles_new += 1;
                        stats.stored.events_added += article.events.len();
                    } else {
                        stats.stored.articles_unchanged += 1;
                    }
                    tx.prepare_cached(
                        "INSERT INTO feed_items (feed_id, key, article_id, hash, link, page, seen_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?
                    .execute(params![feed_id, key, article.article.id, hash, link, page, now])?;
                }
                ItemWrite::Changed { key, hash, article } => {
                    let current: Option<String> = tx
                        .prepare_cached(
                            "SELECT hash FROM feed_items WHERE feed_id = ?1 AND key = ?2",
                        )?
                        .query_row(params![feed_id, key], |r| r.get(0))
                        .optional()?;
                    if current.as_deref() == Some(hash.as_str()) {
                        continue;
                    }
                    // The article's rows cascade away and come back with
                    // the new content under the same id.
                    crate::story::merge::forget_article(&tx, &article.article.id)?;
                    tx.prepare_cached("DELETE FROM articles WHERE id = ?1")?
                        .execute([&article.article.id])?;
                    insert_article(&tx, article, &article.article.id, Some(&path), now)?;
                    crate::story::merge::assign_article(&tx, &article.article.id)?;
                    stats.replaced += 1;
                    stats.stored.events_added += article.events.len();
                    tx.prepare_cached(
                        "UPDATE feed_items SET hash = ?3, seen_at = ?4 WHERE feed_id = ?1 AND key = ?2",
                    )?
                    .execute(params![feed_id, key, hash, now])?;
                }
                ItemWrite::Rehash { key, hash } => {
                    tx.prepare_cached(
                        "UPDATE feed_items SET hash = ?3, seen_at = ?4 WHERE feed_id = ?1 AND key = ?2",
                    )?
                    .execute(params![feed_id, key, hash, now])?;
                }
            }
        }
        tx.commit()?;
        Ok(stats)
    }
}

impl Store {
    /// SQLite's `PRAGMA data_version`: it changes when another connection
    /// commits, so a reader can tell cheaply that the store has new rows.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }
}
