//! Keeping the open browser current: the store watcher, which reads the
//! store again when another connection commits and matches the new rows
//! to the ones shown, and the feed refresher, which fetches the feeds on
//! their schedule and when `R` asks. Both run on threads of their own and
//! talk to the loop only through its queue.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::app::{FeedsProgress, Msg, Reload};
use super::data::{self, Data};
use crate::fetch::update::{self, Status, AUTO_UPDATE_ENV};
use crate::fetch::{stamp, Settings};
use crate::source::sanitize::clean_line;
use crate::store::feeds::{FeedRow, FeedSelection};
use crate::store::Store;

/// The data the browser shows, as the loop last received it: the watcher
/// matches new rows against it.
pub type Shown = Arc<Mutex<Option<Arc<Data>>>>;

/// How often the watcher asks the store whether another connection
/// committed: rows appear within about this long.
const WATCH_EVERY: Duration = Duration::from_millis(500);

/// Reloads the store when another connection commits (an `update` from
/// cron, an `ingest`, the browser's own refresher): `PRAGMA data_version`
/// is checked twice a second, and the new data goes through the queue.
/// With `shown`, the new rows are matched to the shown ones on this thread
/// (`Msg::Reloaded`), so the browser keeps its place; without, a plain
/// `Msg::Loaded`.
pub fn spawn_watcher(path: PathBuf, tx: Sender<Msg>, shown: Option<Shown>) {
    std::thread::spawn(move || {
        let mut store: Option<Store> = None;
        let mut last: Option<i64> = None;
        // A store made after the browser opened is loaded when it appears.
        let mut missed = false;
        for round in 0u64.. {
            // The first look is at once: commits made while the first load
            // runs are not missed.
            if round > 0 {
                std::thread::sleep(WATCH_EVERY);
            }
            if store.is_none() {
                store = Store::open_existing(&path).ok();
                missed |= store.is_none();
            }
            let Some(s) = &store else { continue };
            let Ok(v) = s.data_version() else { continue };
            if last.is_some_and(|l| l != v) || (last.is_none() && missed) {
                // Stories first: the stories view is the default screen.
                let (_, stories_save) = super::send_stories(s, &tx, false);
                let (loaded, save) = match data::load_cached(s, |_, _| {}) {
                    Ok((data, save)) => (Ok(Arc::new(data)), save),
                    Err(e) => (Err(e), None),
                };
                // Saved for the next start once the browser has it.
                let saving = save.zip(loaded.as_ref().ok().cloned());
                let base = shown
                    .as_ref()
                    .and_then(|m| m.lock().ok().and_then(|g| g.clone()));
                let msg = match (loaded, base) {
                    (Ok(data), Some(base)) => {
                        remember(shown.as_ref(), &data);
                        Msg::Reloaded(Box::new(Reload::between(base, data)))
                    }
                    (Ok(data), None) => {
                        remember(shown.as_ref(), &data);
                        Msg::Loaded(Ok(data))
                    }
                    (Err(e), _) => Msg::Loaded(Err(format!("{}: {e}", path.display()))),
                };
                if tx.send(msg).is_err() {
                    return;
                }
                if let Some((save, data)) = saving {
                    save.write(&data, None);
                }
                if let Some(save) = stories_save {
                    save.write();
                }
            }
            last = Some(v);
        }
    });
}

/// Notes `data` as what the browser shows (it is on its way there).
pub fn remember(shown: Option<&Shown>, data: &Arc<Data>) {
    if let Some(m) = shown {
        if let Ok(mut g) = m.lock() {
            *g = Some(data.clone());
        }
    }
}

/// The handle `R` pulls: asks the refresher thread to fetch now.
pub struct Refresher {
    tx: Sender<()>,
}

impl Refresher {
    /// False when the refresher is gone.
    pub fn now(&self) -> bool {
        self.tx.send(()).is_ok()
    }
}

/// The longest the refresher sleeps: feeds added by another process are
/// noticed within this long.
const IDLE: Duration = Duration::from_secs(60);

/// Whether the browser fetches due feeds by itself: `auto_update` in
/// config.toml, and `NEWSLINE_AUTO_UPDATE=0` turns it off.
pub fn auto_update(config: bool) -> bool {
    config && !std::env::var(AUTO_UPDATE_ENV).is_ok_and(|v| v.trim() == "0")
}

/// Starts the feed refresher for the store at `path`. With `auto`, the
/// feeds are fetched as they fall due (claimed in the store, so a cron
/// `update` at the same time fetches none twice); `R` fetches every feed
/// now (still conditionally, never against a server's Retry-After or a
/// paused feed). Progress and results go into the queue as
/// `Msg::Feeds`; the new rows reach the screen through the watcher.
pub fn spawn_refresher(path: PathBuf, auto: bool, tx: Sender<Msg>) -> Refresher {
    let (ask, asked) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        // The first look is at once: what fell due while the browser was
        // closed is fetched as it opens.
        let mut wait = Duration::ZERO;
        loop {
            let force = if auto {
                match asked.recv_timeout(wait) {
                    Ok(()) => true,
                    Err(RecvTimeoutError::Timeout) => false,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            } else {
                match asked.recv() {
                    Ok(()) => true,
                    Err(_) => return,
                }
            };
            // Several presses while one refresh ran count as one.
            while asked.try_recv().is_ok() {}
            match refresh_once(&path, force, &tx) {
                Ok(next) => wait = next,
                Err(Gone) => return,
            }
        }
    });
    Refresher { tx: ask }
}

/// The loop's queue is closed: the browser has quit.
struct Gone;

/// One refresh: claims the feeds that are due (all of them with `force`),
/// fetches them with `fetch::update`, and reports. Returns how long to
/// wait before the next look.
fn refresh_once(path: &Path, force: bool, tx: &Sender<Msg>) -> Result<Duration, Gone> {
    let send = |m: Msg| tx.send(m).map_err(|_| Gone);
    let now = crate::fetch::now().unwrap_or_else(|_| Utc::now());
    let failed_to = |why: String| {
        // Only a refresh the user asked for says why nothing happened (a
        // note: the feeds failing is not the browser failing).
        if force {
            send(Msg::Note(format!("refreshing the feeds: {why}")))?;
            send(Msg::Feeds(FeedsProgress::Updated {
                total: 0,
                failed: 0,
                new_events: 0,
            }))?;
        }
        Ok(IDLE)
    };
    let mut store = match Store::open_existing(path) {
        Ok(s) => s,
        Err(e) => return failed_to(e.to_string()),
    };
    if store.is_read_only() {
        return failed_to("the store is read-only".into());
    }
    // A store without feeds is not written to at all.
    match store.feeds(&FeedSelection::default()) {
        Ok(f) if f.is_empty() => {
            if force {
                send(Msg::Note(
                    "no feeds to refresh: add one with `newsline feeds add URL`".into(),
                ))?;
                send(Msg::Feeds(FeedsProgress::Updated {
                    total: 0,
                    failed: 0,
                    new_events: 0,
                }))?;
            }
            return Ok(IDLE);
        }
        Ok(_) => {}
        Err(e) => return failed_to(e.to_string()),
    }
    let lease = stamp(now + chrono::Duration::minutes(15));
    let (feeds, waiting) =
        match store.claim_due(&FeedSelection::default(), force, &stamp(now), &lease) {
            Ok(x) => x,
            Err(e) => return failed_to(e.to_string()),
        };
    drop(store);
    if feeds.is_empty() {
        if force {
            send(Msg::Feeds(FeedsProgress::Updated {
                total: 0,
                failed: 0,
                new_events: 0,
            }))?;
        }
        return Ok(next_look(waiting.iter().filter_map(due_of), now));
    }
    let total = feeds.len();
    send(Msg::Feeds(FeedsProgress::Updating {
        done: 0,
        total,
        failed: 0,
    }))?;
    let (mut done, mut failed, mut new_events) = (0, 0, 0);
    let mut gone = false;
    let reports = update::run(path, feeds, &Settings::from_env(), now, |r| {
        done += 1;
        failed += usize::from(r.status == Status::Failed);
        new_events += r.new_events;
        gone |= tx
            .send(Msg::Feeds(FeedsProgress::Updating {
                done,
                total,
                failed,
            }))
            .is_err();
    });
    if gone {
        return Err(Gone);
    }
    send(Msg::Feeds(FeedsProgress::Updated {
        total,
        failed,
        new_events,
    }))?;
    // Which feed failed and why, as `update` would say it (the first one;
    // `newsline feeds list` has them all).
    if let Some(r) = reports.iter().find(|r| r.status == Status::Failed) {
        let line = format!("{}: {}", r.url, r.detail);
        send(Msg::Note(clean_line(&line).into_owned()))?;
    }
    let dues = reports
        .iter()
        .map(|r| r.next_due.clone())
        .chain(waiting.iter().filter_map(due_of));
    Ok(next_look(dues, now))
}

/// When a waiting feed may be asked again: its next due time, or later
/// when a server's Retry-After holds it back; none while paused.
fn due_of(f: &FeedRow) -> Option<String> {
    if f.paused {
        return None;
    }
    match (&f.next_due, &f.not_before) {
        (Some(d), Some(n)) => Some(d.max(n).clone()),
        (d, n) => d.clone().or(n.clone()),
    }
}

/// The wait until the earliest of `dues` (RFC 3339 times), between one
/// second and `IDLE`.
fn next_look(dues: impl Iterator<Item = String>, now: DateTime<Utc>) -> Duration {
    dues.filter_map(|d| DateTime::parse_from_rfc3339(&d).ok())
        .map(|d| {
            (d.with_timezone(&Utc) - now)
                .to_std()
                .unwrap_or(Duration::ZERO)
        })
        .min()
        .unwrap_or(IDLE)
        .clamp(Duration::from_secs(1), IDLE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_next_look_is_at_the_earliest_due_feed_within_bounds() {
        let now = at("2026-03-02T12:00:00Z");
        let dues = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            next_look(
                dues(&["2026-03-02T12:00:30Z", "2026-03-02T12:00:10Z"]).into_iter(),
                now
            ),
            Duration::from_secs(10)
        );
        // Overdue: at once, but never in a tight loop.
        assert_eq!(
            next_look(dues(&["2026-03-02T11:00:00Z"]).into_iter(), now),
            Duration::from_secs(1)
        );
        // Far away or nothing: look again within a minute (a feed may be
        // added by another process).
        assert_eq!(
            next_look(dues(&["2026-03-03T12:00:00Z"]).into_iter(), now),
            IDLE
        );
        assert_eq!(next_look(std::iter::empty(), now), IDLE);
        assert_eq!(next_look(dues(&["garbage"]).into_iter(), now), IDLE);
    }
}
