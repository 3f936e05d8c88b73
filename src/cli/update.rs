//! `newsline update [--feed URL|ID]... [--tag T] [--jobs N] [--force]`:
//! fetch the feeds that are due and store what is new.
//!
//! Exit 0 when every feed was fetched, not modified, not due, deferred by
//! the server (429/503) or paused (410); 1 when one failed.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::fetch::update::{FeedReport, Status};
use crate::fetch::{self, Settings};
use crate::store::feeds::FeedSelection;
use crate::store::Store;

/// How long a run holds its claim on a feed: longer than any fetch with
/// its pages; a run that dies frees its feeds after this.
const LEASE_SECS: i64 = 15 * 60;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this feed (its URL or id). Repeatable.
    #[arg(long = "feed", value_name = "URL|ID")]
    pub feeds: Vec<String>,
    /// Only feeds with this tag.
    #[arg(long, value_name = "T")]
    pub tag: Option<String>,
    /// Feeds fetched at once (never two at once from one host).
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub jobs: usize,
    /// Fetch the named feeds now whatever their interval (still
    /// conditional, and never before a server's Retry-After or when paused).
    #[arg(long)]
    pub force: bool,
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    let path = super::store_path(store)?;
    let sel = FeedSelection {
        feeds: args.feeds,
        tag: args.tag,
    };
    update(&path, &sel, args.force, args.jobs)
}

/// Runs one update over the selected feeds and reports it (also used by
/// `feeds add` to fetch a new feed at once).
pub fn update(path: &Path, sel: &FeedSelection, force: bool, jobs: usize) -> anyhow::Result<()> {
    let now = fetch::now().map_err(|e| anyhow::anyhow!("clock: {e}"))?;
    let at = || super::shown(path);
    let mut store = Store::open(path)
        .and_then(|s| s.check_writable().map(|()| s))
        .with_context(at)?;
    for name in &sel.feeds {
        if store.find_feed(name).with_context(at)?.is_none() {
            anyhow::bail!("{}: no such feed (see `newsline feeds list`)", clean(name));
        }
    }
    let lease = fetch::stamp(now + chrono::Duration::seconds(LEASE_SECS));
    let (claimed, waiting) = store
        .claim_due(sel, force, &fetch::stamp(now), &lease)
        .with_context(at)?;
    drop(store);

    let mut settings = Settings::from_env();
    settings.jobs = jobs.max(1);
    let terminal = std::io::stderr().is_terminal();
    let bar = if terminal && !claimed.is_empty() {
        let bar =
            ProgressBar::with_draw_target(Some(claimed.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} feeds  {msg}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut failed = 0usize;
    let reports = fetch::update::run(path, claimed, &settings, now, |r| {
        bar.inc(1);
        if r.status == Status::Failed {
            failed += 1;
        }
        let line = report_line(r);
        if terminal {
            bar.println(line);
        } else {
            println!("{line}");
        }
        bar.set_message(if failed > 0 {
            format!("{failed} failed")
        } else {
            String::new()
        });
    });
    bar.finish_and_clear();

    // Feeds named on the command line that were not fetched say why.
    if !sel.feeds.is_empty() {
        for f in &waiting {
            let why = if f.paused {
                "paused (gone); `newsline feeds add URL` resumes it".to_string()
            } else if let Some(nb) = f
                .not_before
                .as_deref()
                .filter(|n| *n > fetch::stamp(now).as_str())
            {
                format!("the server asked not to be asked before {nb}")
            } else {
                format!("not due until {}", f.next_due.as_deref().unwrap_or("?"))
            };
            println!("skipped   {}  {why}", clean(&f.url));
        }
    }
    let count = |s: Status| reports.iter().filter(|r| r.status == s).count();
    let articles: usize = reports.iter().map(|r| r.new_articles).sum();
    let events: usize = reports.iter().map(|r| r.new_events).sum();
    let paused_before = waiting.iter().filter(|f| f.paused).count();
    eprintln!(
        "{} feed{} fetched, {} not modified, {} failed, {} deferred, {} paused, {} not due; \
         {articles} new article{}, {events} new event{}",
        count(Status::Fetched),
        plural(count(Status::Fetched)),
        count(Status::NotModified),
        count(Status::Failed),
        count(Status::Deferred),
        count(Status::Gone) + paused_before,
        waiting.len() - paused_before,
        plural(articles),
        plural(events),
    );
    for r in reports.iter().filter(|r| r.status == Status::Failed) {
        super::note(&r.url, &r.detail);
    }
    let failed = count(Status::Failed);
    if failed > 0 {
        return Err(super::Partial(format!("{failed} feed{} failed", plural(failed))).into());
    }
    Ok(())
}

/// One line per feed: what happened and what arrived.
pub fn report_line(r: &FeedReport) -> String {
    let url = clean(&r.url);
    let mut notes = Vec::new();
    if r.pages_fetched > 0 {
        notes.push(format!(
            "{} page{} fetched{}",
            r.pages_fetched,
            plural(r.pages_fetched),
            if r.pages_failed > 0 {
                format!(", {} failed (item text kept)", r.pages_failed)
            } else {
                String::new()
            }
        ));
    }
    if r.replaced > 0 {
        notes.push(format!("{} updated", r.replaced));
    }
    if !r.detail.is_empty() && r.status != Status::Failed {
        notes.push(clean(&r.detail));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    };
    match r.status {
        Status::Fetched => format!(
            "fetched   {url}  +{} article{}, +{} event{}{notes}",
            r.new_articles,
            plural(r.new_articles),
            r.new_events,
            plural(r.new_events)
        ),
        Status::NotModified => format!("unchanged {url}  not modified{notes}"),
        Status::Deferred => format!("deferred  {url}{notes}"),
        Status::Gone => format!("paused    {url}{notes}"),
        Status::Failed => format!("FAILED    {url}  {}", clean(&r.detail)),
    }
}

/// Untrusted text (URLs, server messages) without control characters.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
