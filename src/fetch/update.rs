//! `update`: fetch the claimed feeds and store what is new.
//!
//! Workers (`Settings::jobs` threads) take feeds from one queue, never two
//! at once from the same host, and wait the per-host delay between two
//! requests to a host; a host that hangs holds only the worker that asked
//! it. Each worker has its own store connection and writes each feed's
//! items in one transaction, so a second `update` or the browser can run
//! beside it.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::http::{self, Client, FetchError, Request, Response};
use super::schedule::{self, Outcome};
use super::{stamp, Settings};
use crate::model::ParsedArticle;
use crate::parse::{self, Options};
use crate::source::{self, InputKind, SourceArticle, SourceError};
use crate::store::feeds::{FeedRow, FetchRecord, ItemWrite};
use crate::store::Store;

pub const ACCEPT_FEED: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";
pub const ACCEPT_PAGE: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";
pub const ACCEPT_ANY: &str = "text/html, application/rss+xml, application/atom+xml, \
     application/xml;q=0.9, text/plain;q=0.8, */*;q=0.5";

/// How a feed's fetch ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Fetched,
    NotModified,
    /// 429/503: asked to come back later.
    Deferred,
    /// 410: paused.
    Gone,
    Failed,
}

/// What happened to one feed, for the report.
#[derive(Clone, Debug)]
pub struct FeedReport {
    pub id: i64,
    pub url: String,
    pub status: Status,
    /// The reason for a failure, or notes (moved, pages that failed).
    pub detail: String,
    pub next_due: String,
    pub new_articles: usize,
    pub new_events: usize,
    pub replaced: usize,
    pub pages_fetched: usize,
    pub pages_failed: usize,
}

impl FeedReport {
    fn new(feed: &FeedRow) -> FeedReport {
        FeedReport {
            id: feed.id,
            url: feed.url.clone(),
            status: Status::Failed,
            detail: String::new(),
            next_due: String::new(),
            new_articles: 0,
            new_events: 0,
            replaced: 0,
            pages_fetched: 0,
            pages_failed: 0,
        }
    }
}

/// Fetches `feeds` (already claimed in the store) and stores their items.
/// `report` is called from the calling thread as each feed finishes.
pub fn run(
    store_path: &Path,
    feeds: Vec<FeedRow>,
    settings: &Settings,
    now: DateTime<Utc>,
    mut report: impl FnMut(&FeedReport),
) -> Vec<FeedReport> {
    let workers = settings.jobs.clamp(1, 64).min(feeds.len().max(1));
    let queue = Queue::new(feeds, settings.clone());
    let client = Client::new(settings);
    let (tx, rx) = std::sync::mpsc::channel::<FeedReport>();
    let mut out = Vec::new();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let queue = &queue;
            let client = &client;
            s.spawn(move || {
                let mut store = Store::open(store_path).map_err(|e| e.to_string());
                while let Some(feed) = queue.next_feed() {
                    let r = match &mut store {
                        Ok(store) => update_feed(store, client, queue, &feed, settings, now),
                        Err(e) => {
                            queue.release(&http::host_of(&feed.url));
                            FeedReport {
                                detail: format!("store: {e}"),
                                ..FeedReport::new(&feed)
                            }
                        }
                    };
                    if tx.send(r).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for r in rx {
            report(&r);
            out.push(r);
        }
    });
    out
}

/// The feeds still to fetch and which hosts are busy or resting.
struct Queue {
    inner: Mutex<QueueInner>,
    cv: Condvar,
    settings: Settings,
}

struct QueueInner {
    pending: VecDeque<FeedRow>,
    hosts: HashMap<String, HostState>,
}

#[derive(Clone, Copy)]
struct HostState {
    busy: bool,
    free_at: Instant,
}

impl Queue {
    fn new(feeds: Vec<FeedRow>, settings: Settings) -> Queue {
        Queue {
            inner: Mutex::new(QueueInner {
                pending: feeds.into(),
                hosts: HashMap::new(),
            }),
            cv: Condvar::new(),
            settings,
        }
    }

    /// The next feed whose host is free, its host claimed; None when all
    /// are taken. Waits while every remaining feed's host is busy.
    fn next_feed(&self) -> Option<FeedRow> {
        let Ok(mut g) = self.inner.lock() else {
            return None;
        };
        loop {
            if g.pending.is_empty() {
                return None;
            }
            let now = Instant::now();
            let mut wait = Duration::from_millis(200);
            let mut pick = None;
            for (i, f) in g.pending.iter().enumerate() {
                let host = http::host_of(&f.url);
                match g.hosts.get(&host) {
                    Some(h) if h.busy => {}
                    Some(h) if h.free_at > now => wait = wait.min(h.free_at - now),
                    _ => {
                        pick = Some((i, host));
                        break;
                    }
                }
            }
            if let Some((i, host)) = pick {
                g.hosts.insert(
                    host,
                    HostState {
                        busy: true,
                        free_at: now,
                    },
                );
                return g.pending.remove(i);
            }
            g = match self.cv.wait_timeout(g, wait) {
                Ok((g, _)) => g,
                Err(_) => return None,
            };
        }
    }

    /// Claims `host` for one request, waiting for it to be free and rested.
    fn claim(&self, host: &str) {
        let Ok(mut g) = self.inner.lock() else { return };
        loop {
            let now = Instant::now();
            let wait = match g.hosts.get(host) {
                Some(h) if h.busy => Duration::from_millis(200),
                Some(h) if h.free_at > now => h.free_at - now,
                _ => {
                    g.hosts.insert(
                        host.to_string(),
                        HostState {
                            busy: true,
                            free_at: now,
                        },
                    );
                    return;
                }
            };
            g = match self.cv.wait_timeout(g, wait) {
                Ok((g, _)) => g,
                Err(_) => return,
            };
        }
    }

    /// Frees `host`, which rests for the per-host delay.
    fn release(&self, host: &str) {
        if let Ok(mut g) = self.inner.lock() {
            g.hosts.insert(
                host.to_string(),
                HostState {
                    busy: false,
                    free_at: Instant::now() + self.settings.delay_for(host),
                },
            );
        }
        self.cv.notify_all();
    }

    /// One request to `req.url`'s host under the politeness rules.
    fn get(&self, client: &Client, req: &Request, held: bool) -> Result<Response, FetchError> {
        let host = http::host_of(req.url);
        if !held {
            self.claim(&host);
        }
        let res = client.get(req);
        self.release(&host);
        res
    }
}

/// Fetches one feed, stores its items and records the outcome.
fn update_feed(
    store: &mut Store,
    client: &Client,
    queue: &Queue,
    feed: &FeedRow,
    settings: &Settings,
    now: DateTime<Utc>,
) -> FeedReport {
    let mut rep = FeedReport::new(feed);
    let host = http::host_of(&feed.url);
    let host_name = http::host_name(&host).to_string();
    let req = Request {
        url: &feed.url,
        etag: feed.etag.as_deref(),
        last_modified: feed.last_modified.as_deref(),
        limit: settings.max_feed_bytes,
        accept: ACCEPT_FEED,
    };
    let res = queue.get(client, &req, true);
    let fail_count = feed.failures + 1;
    let due = |outcome, failures| {
        stamp(schedule::next_due(
            &feed.url,
            &host_name,
            feed.every_secs,
            outcome,
            failures,
            now,
        ))
    };
    let mut rec = FetchRecord::default();
    match res {
        Err(e) => {
            rep.detail = e.to_string();
            rec.failures = fail_count;
            rec.error = Some(rep.detail.clone());
            rec.next_due = due(Outcome::Failed, fail_count);
        }
        Ok(resp) => {
            rec.status = Some(i64::from(resp.status));
            rec.moved_to = resp.moved_to.clone();
            if let Some(to) = &resp.moved_to {
                rep.detail = format!("moved permanently to {to}");
            }
            let cache =
                schedule::cache_secs(resp.cache_control.as_deref(), resp.expires.as_deref(), now);
            match resp.status {
                200 => match read_feed(&resp.body) {
                    Ok(parsed) => {
                        rep.status = Status::Fetched;
                        rec.etag = resp.etag.clone();
                        rec.last_modified = resp.last_modified.clone();
                        // A server that stopped sending validators: forget
                        // the old ones rather than send stale ones.
                        rec.clear_validators = true;
                        rec.title = parsed.title.clone();
                        rec.next_due = due(Outcome::Fetched { cache_secs: cache }, 0);
                        if let Err(e) =
                            store_items(store, client, queue, feed, settings, parsed, now, &mut rep)
                        {
                            rep.status = Status::Failed;
                            rep.detail = format!("store: {e}");
                            rec.error = Some(rep.detail.clone());
                        }
                    }
                    Err(why) => {
                        rep.detail = why;
                        rec.failures = fail_count;
                        rec.error = Some(rep.detail.clone());
                        rec.next_due = due(Outcome::Failed, fail_count);
                    }
                },
                304 => {
                    rep.status = Status::NotModified;
                    rec.etag = resp.etag.clone();
                    rec.last_modified = resp.last_modified.clone();
                    rec.next_due = due(Outcome::Fetched { cache_secs: cache }, 0);
                }
                410 => {
                    rep.status = Status::Gone;
                    rep.detail = "gone (HTTP 410): paused; `newsline feeds add` resumes it".into();
                    rec.paused = true;
                    rec.error = Some("gone (HTTP 410)".into());
                    rec.next_due = due(Outcome::Failed, fail_count);
                    rec.failures = fail_count;
                }
                429 | 503 => {
                    rep.status = Status::Deferred;
                    let wait = resp
                        .retry_after
                        .as_deref()
                        .and_then(|v| schedule::retry_after_secs(v, now));
                    rec.failures = fail_count;
                    rec.next_due = due(
                        Outcome::Deferred {
                            retry_after_secs: wait,
                        },
                        fail_count,
                    );
                    if wait.is_some() {
                        rec.not_before = Some(rec.next_due.clone());
                    }
                    rep.detail = format!(
                        "HTTP {} (server busy): next try {}{}",
                        resp.status,
                        rec.next_due,
                        if wait.is_some() {
                            " as Retry-After asks"
                        } else {
                            ""
                        }
                    );
                    rec.error = Some(format!("HTTP {}", resp.status));
                }
                s => {
                    rep.detail = format!("HTTP {s}");
                    rec.failures = fail_count;
                    rec.error = Some(rep.detail.clone());
                    rec.next_due = due(Outcome::Failed, fail_count);
                }
            }
        }
    }
    rep.next_due = rec.next_due.clone();
    if let Err(e) = store.record_fetch(feed.id, &rec, &stamp(now)) {
        rep.status = Status::Failed;
        rep.detail = format!("store: {e}");
    }
    rep
}

/// A feed body read: its title and items, each with its entry's guid.
struct ReadFeed {
    title: Option<String>,
    items: Vec<(SourceArticle, Option<String>)>,
}

/// Reads a feed body, refusing what is not a feed.
fn read_feed(body: &[u8]) -> Result<ReadFeed, String> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty response".into());
    }
    let head = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    match source::detect(&head) {
        InputKind::Feed => {}
        InputKind::Html => return Err("not a feed: an HTML page".into()),
        InputKind::Text => return Err("not a feed: neither RSS, Atom nor JSON Feed".into()),
    }
    let items = match source::feed::read(body) {
        Ok(items) => items,
        // A valid feed with no items.
        Err(SourceError::NoText) => Vec::new(),
        Err(e) => return Err(format!("invalid feed: {e}")),
    };
    let entries = entry_ids(body);
    let title = entries.0;
    let mut used = vec![false; entries.1.len()];
    let items = items
        .into_iter()
        .map(|a| {
            // The entry this item came from: by link, else by title.
            let pos = entries.1.iter().enumerate().position(|(i, e)| {
                !used[i]
                    && ((a.url.is_some() && e.link == a.url)
                        || (a.url.is_none() && e.link.is_none() && e.title == a.title))
            });
            let guid = pos.and_then(|i| {
                used[i] = true;
                entries.1[i].guid.clone()
            });
            (a, guid)
        })
        .collect();
    Ok(ReadFeed { title, items })
}

struct EntryId {
    guid: Option<String>,
    link: Option<String>,
    title: Option<String>,
}

/// The feed's title and each entry's own id (guid / Atom id / JSON Feed
/// id), which the source layer does not keep. Entries without one get
/// none (feed-rs would make one up from the link and title).
fn entry_ids(body: &[u8]) -> (Option<String>, Vec<EntryId>) {
    let parser = feed_rs::parser::Builder::new()
        .sanitize_content(false)
        .id_generator(|_, _, _| String::new())
        .build();
    let Ok(feed) = parser.parse(body) else {
        return (None, Vec::new());
    };
    let clean = |s: &str| source::normalize_ws(&source::sanitize::clean(s));
    let title = feed
        .title
        .map(|t| clean(&t.content))
        .filter(|t| !t.is_empty());
    let entries = feed
        .entries
        .into_iter()
        .map(|e| EntryId {
            guid: Some(clean(&e.id)).filter(|g| !g.is_empty()),
            link: e
                .links
                .first()
                .map(|l| clean(&l.href))
                .filter(|l| !l.is_empty()),
            title: e.title.map(|t| clean(&t.content)).filter(|t| !t.is_empty()),
        })
        .collect();
    (title, entries)
}

/// The key an item is known by in its feed: guid, else link, else hash.
fn item_key(a: &SourceArticle, guid: Option<&str>) -> String {
    match (guid, &a.url) {
        (Some(g), _) => format!("guid:{g}"),
        (None, Some(u)) => format!("link:{u}"),
        (None, None) => format!("hash:{}", a.id),
    }
}

/// Works out which items are new or changed, fetches full pages where
/// wanted, and stores them in one transaction.
#[allow(clippy::too_many_arguments)]
fn store_items(
    store: &mut Store,
    client: &Client,
    queue: &Queue,
    feed: &FeedRow,
    settings: &Settings,
    parsed: ReadFeed,
    now: DateTime<Utc>,
    rep: &mut FeedReport,
) -> Result<(), crate::store::StoreError> {
    let opts = Options::default();
    let mut writes = Vec::new();
    for (mut item, guid) in parsed.items {
        let key = item_key(&item, guid.as_deref());
        let hash = item.id.clone();
        match store.feed_item(feed.id, &key)? {
            Some(k) if k.hash == hash => {}
            Some(k) if k.page.as_deref() == Some("ok") => {
                // Its stored article is the full page, which is not
                // fetched again; only the new hash is kept.
                writes.push(ItemWrite::Rehash { key, hash });
            }
            Some(k) => {
                item.id = k.article_id;
                writes.push(ItemWrite::Changed {
                    key,
                    hash,
                    article: Box::new(parse::parse_article(item, &opts)),
                });
            }
            None => {
                let link = item.url.clone();
                let page = full_text(store, client, queue, feed, settings, &mut item, rep)?;
                writes.push(ItemWrite::New {
                    key,
                    hash,
                    link,
                    page,
                    article: Box::new(parse::parse_article(item, &opts)),
                });
            }
        }
    }
    if writes.is_empty() {
        return Ok(());
    }
    let stats = store.store_feed_items(feed.id, &writes, &stamp(now))?;
    rep.new_articles += stats.stored.articles_new;
    rep.new_events += stats.stored.events_added;
    rep.replaced += stats.replaced;
    Ok(())
}

/// Fetches the page of a short item once (per `--full-text`) and puts its
/// text in the item, keeping the feed's title, date and link. Returns
/// what to record: None when no page was asked for, "ok", or the failure.
fn full_text(
    store: &Store,
    client: &Client,
    queue: &Queue,
    feed: &FeedRow,
    settings: &Settings,
    item: &mut SourceArticle,
    rep: &mut FeedReport,
) -> Result<Option<String>, crate::store::StoreError> {
    let wanted = match feed.full_text.as_str() {
        "always" => true,
        "never" => false,
        _ => item.text.split_whitespace().count() < settings.short_words,
    };
    let Some(link) = item.url.clone().filter(|u| wanted && super::is_url(u)) else {
        return Ok(None);
    };
    if store.page_outcome(&link)?.is_some() {
        return Ok(None);
    }
    let req = Request {
        url: &link,
        limit: settings.max_page_bytes,
        accept: ACCEPT_PAGE,
        ..Request::default()
    };
    let outcome = read_page(queue.get(client, &req, false));
    rep.pages_fetched += 1;
    match outcome {
        Ok(page) => {
            if page.text.split_whitespace().count() > item.text.split_whitespace().count() {
                merge_page(item, page);
            }
            Ok(Some("ok".into()))
        }
        Err(why) => {
            rep.pages_failed += 1;
            Ok(Some(format!("failed: {why}")))
        }
    }
}

/// An item's page as the HTML source reads it, or why not.
fn read_page(res: Result<Response, FetchError>) -> Result<SourceArticle, String> {
    match res {
        Err(e) => Err(e.to_string()),
        Ok(r) if r.status != 200 => Err(format!("HTTP {}", r.status)),
        Ok(r) => match source::read(&r.body) {
            Ok(mut pages) if !pages.is_empty() => Ok(pages.swap_remove(0)),
            Ok(_) => Err("no article text".into()),
            Err(e) => Err(e.to_string()),
        },
    }
}

/// `ingest --full-text auto|always` on a feed read from a file: fetches
/// the page of each item that wants it (`auto`: text under
/// `settings.short_words` words) and reads it into the item, by the same
/// rules as `update` (one request at a time, the per-host delay, the page
/// size cap; the item's title, date and link win). An item stored with
/// its page keeps the stored text and a page some feed already fetched is
/// not fetched again. Returns one note per page that failed (the item's
/// own text is kept).
pub fn fill_pages(
    store: Option<&Store>,
    items: &mut [SourceArticle],
    mode: &str,
    settings: &Settings,
) -> Vec<String> {
    let client = Client::new(settings);
    let mut last_at: HashMap<String, Instant> = HashMap::new();
    let mut notes = Vec::new();
    for item in items.iter_mut() {
        let wanted = match mode {
            "always" => true,
            "auto" => item.text.split_whitespace().count() < settings.short_words,
            _ => false,
        };
        let Some(link) = item.url.clone().filter(|u| wanted && super::is_url(u)) else {
            continue;
        };
        if let Some(s) = store {
            if let Ok(Some(stored)) = s.article(&item.id) {
                // Stored before with its page: read again, not fetched.
                if stored.text.len() > item.text.len() {
                    item.text = stored.text;
                    continue;
                }
            }
            if s.page_outcome(&link).ok().flatten().is_some() {
                continue;
            }
        }
        let host = http::host_of(&link);
        if let Some(t) = last_at.get(&host) {
            std::thread::sleep(settings.delay_for(&host).saturating_sub(t.elapsed()));
        }
        let req = Request {
            url: &link,
            limit: settings.max_page_bytes,
            accept: ACCEPT_PAGE,
            ..Request::default()
        };
        let outcome = read_page(client.get(&req));
        last_at.insert(host, Instant::now());
        match outcome {
            Ok(page) => {
                if page.text.split_whitespace().count() > item.text.split_whitespace().count() {
                    merge_page(item, page);
                }
            }
            Err(why) => notes.push(format!(
                "{}: page not fetched ({why}); the item's own text is kept",
                crate::cli::update::clean(&link)
            )),
        }
    }
    notes
}

/// The page's text under the feed item's title, date, link and source.
fn merge_page(item: &mut SourceArticle, page: SourceArticle) {
    item.text = page.text;
    if item.dateline.is_none() {
        item.dateline = page.dateline;
    }
    if item.authors.is_empty() {
        item.authors = page.authors;
    }
    if item.published.is_none() {
        item.published = page.published;
    }
}

/// Parses the articles of a page fetched by `ingest URL`.
pub fn parse_fetched(bytes: &[u8]) -> Result<Vec<ParsedArticle>, String> {
    crate::store::ingest::parse_input(bytes, &Options::default()).map_err(|e| e.to_string())
}

/// The environment variable that turns the browser's background updates
/// off (`0`); see `tui::live`.
pub const AUTO_UPDATE_ENV: &str = "NEWSLINE_AUTO_UPDATE";
