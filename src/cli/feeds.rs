//! `newsline feeds add|list|remove|import|export`: the subscriptions.

use anyhow::Context;
use std::path::{Path, PathBuf};

use crate::fetch::{self, opml, schedule};
use crate::store::feeds::{FeedRow, FeedSelection, NewFeed};
use crate::store::Store;

use super::update::clean;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: FeedsCommand,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FullText {
    /// Fetch the page of items under 80 words.
    Auto,
    Always,
    Never,
}

impl FullText {
    pub fn as_str(self) -> &'static str {
        match self {
            FullText::Auto => "auto",
            FullText::Always => "always",
            FullText::Never => "never",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Subcommand)]
pub enum FeedsCommand {
    /// Subscribe to a feed (RSS, Atom or JSON Feed) and fetch it at once.
    Add {
        url: String,
        #[arg(long, value_name = "T")]
        title: Option<String>,
        /// A tag for the feed. Repeatable.
        #[arg(long = "tag", value_name = "T")]
        tags: Vec<String>,
        /// How often to fetch it: 30m, 2h, 1d (at least 10m for remote hosts).
        #[arg(long, value_name = "INTERVAL", default_value = "60m")]
        every: String,
        /// Fetch the linked page of items: auto (items under 80 words), always, never.
        #[arg(long, value_enum, default_value_t = FullText::Auto)]
        full_text: FullText,
        /// Subscribe only; the next `newsline update` fetches it.
        #[arg(long)]
        no_fetch: bool,
    },
    /// The subscriptions with their state.
    List {
        #[arg(long, value_name = "T")]
        tag: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// End a subscription; what it stored stays unless --purge.
    Remove {
        #[arg(value_name = "URL|ID")]
        feed: String,
        /// Also delete the articles only this feed delivered.
        #[arg(long)]
        purge: bool,
    },
    /// Subscribe to every feed of an OPML file or a newsboat `urls` file.
    Import {
        file: PathBuf,
        /// Fetch them now (by default the next `newsline update` does).
        #[arg(long)]
        fetch: bool,
    },
    /// Write the subscriptions as OPML 2.0 to standard output.
    Export {
        #[arg(long, value_name = "T")]
        tag: Option<String>,
    },
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    let path = super::store_path(store)?;
    match args.command {
        FeedsCommand::Add {
            url,
            title,
            tags,
            every,
            full_text,
            no_fetch,
        } => add(&path, url, title, tags, &every, full_text, no_fetch),
        FeedsCommand::List { tag, format } => list(&path, tag, format),
        FeedsCommand::Remove { feed, purge } => remove(&path, &feed, purge),
        FeedsCommand::Import { file, fetch } => import(&path, &file, fetch),
        FeedsCommand::Export { tag } => export(&path, tag),
    }
}

fn open(path: &Path) -> anyhow::Result<Store> {
    Store::open(path)
        .and_then(|s| s.check_writable().map(|()| s))
        .with_context(|| super::shown(path))
}

fn now_stamp() -> anyhow::Result<String> {
    Ok(fetch::stamp(
        fetch::now().map_err(|e| anyhow::anyhow!("clock: {e}"))?,
    ))
}

fn add(
    path: &Path,
    url: String,
    title: Option<String>,
    tags: Vec<String>,
    every: &str,
    full_text: FullText,
    no_fetch: bool,
) -> anyhow::Result<()> {
    if !fetch::is_url(&url) {
        return Err(super::Usage(format!("{}: not an http(s) URL", clean(&url))).into());
    }
    let every_secs =
        schedule::parse_every(every).map_err(|e| super::Usage(format!("--every: {e}")))?;
    let (mut store, now) = (open(path)?, now_stamp()?);
    let feed = NewFeed {
        url: url.clone(),
        title,
        tags,
        every_secs,
        full_text: full_text.as_str().into(),
    };
    let at = || super::shown(path);
    let id = match store.add_feed(&feed, &now).with_context(at)? {
        (id, true) => {
            println!("subscribed to {} (feed {id})", clean(&url));
            id
        }
        (id, false) => {
            // Adding again resumes a feed a 410 paused.
            store.set_feed_paused(id, false).with_context(at)?;
            println!(
                "already subscribed to {} (feed {id}; tags added, resumed)",
                clean(&url)
            );
            id
        }
    };
    let floor = schedule::effective_every(
        every_secs,
        fetch::http::host_name(&fetch::http::host_of(&url)),
    );
    if floor > every_secs {
        eprintln!(
            "newsline: note: remote feeds are fetched at most every {}",
            schedule::format_every(floor)
        );
    }
    drop(store);
    if no_fetch {
        return Ok(());
    }
    let sel = FeedSelection {
        feeds: vec![id.to_string()],
        tag: None,
    };
    super::update::update(path, &sel, false, 1)
}

#[derive(serde::Serialize)]
struct FeedJson<'a> {
    id: i64,
    url: &'a str,
    title: Option<&'a str>,
    tags: &'a [String],
    every: String,
    full_text: &'a str,
    last_fetch: Option<&'a str>,
    last_status: Option<i64>,
    next_due: Option<&'a str>,
    paused: bool,
    items: i64,
    events: i64,
    error: Option<&'a str>,
}

fn list(path: &Path, tag: Option<String>, format: ListFormat) -> anyhow::Result<()> {
    let store = super::open_read_only(Some(path))?;
    let feeds = store
        .feeds(&FeedSelection { feeds: vec![], tag })
        .with_context(|| super::shown(path))?;
    super::with_stdout(|out| match format {
        ListFormat::Json => {
            let rows: Vec<FeedJson> = feeds.iter().map(feed_json).collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)
        }
        ListFormat::Text => {
            if feeds.is_empty() {
                return writeln!(out, "no feeds yet: newsline feeds add URL");
            }
            let width = super::table_width();
            for f in &feeds {
                let state = if f.paused {
                    "paused".to_string()
                } else if let Some(e) = &f.error {
                    format!("error: {e}")
                } else {
                    match f.last_status {
                        Some(s) => format!("HTTP {s}"),
                        None => "never fetched".into(),
                    }
                };
                let name = f.title.clone().unwrap_or_default();
                writeln!(
                    out,
                    "{:>4}  {}",
                    f.id,
                    super::fit(
                        &format!("{}  {}", f.url, name),
                        width.saturating_sub(6),
                        false
                    )
                )?;
                writeln!(
                    out,
                    "      {}",
                    super::fit(
                        &format!(
                            "every {} · {} items, {} events · {} · next {}{}",
                            schedule::format_every(f.every_secs),
                            f.items,
                            f.events,
                            state,
                            f.next_due.as_deref().unwrap_or("now"),
                            if f.tags.is_empty() {
                                String::new()
                            } else {
                                format!(" · tags {}", f.tags.join(", "))
                            }
                        ),
                        width.saturating_sub(6),
                        false
                    )
                )?;
            }
            Ok(())
        }
    })
}

fn feed_json(f: &FeedRow) -> FeedJson<'_> {
    FeedJson {
        id: f.id,
        url: &f.url,
        title: f.title.as_deref(),
        tags: &f.tags,
        every: schedule::format_every(f.every_secs),
        full_text: &f.full_text,
        last_fetch: f.last_fetch.as_deref(),
        last_status: f.last_status,
        next_due: f.next_due.as_deref(),
        paused: f.paused,
        items: f.items,
        events: f.events,
        error: f.error.as_deref(),
    }
}

fn remove(path: &Path, which: &str, purge: bool) -> anyhow::Result<()> {
    let mut store = open(path)?;
    let Some(feed) = store.find_feed(which).with_context(|| super::shown(path))? else {
        anyhow::bail!("{}: no such feed (see `newsline feeds list`)", clean(which));
    };
    let n = store
        .remove_feed(feed.id, purge)
        .with_context(|| super::shown(path))?;
    {
        {
            if purge {
                println!(
                    "unsubscribed from {}; {n} article{} deleted",
                    clean(&feed.url),
                    if n == 1 { "" } else { "s" }
                );
            } else {
                println!(
                    "unsubscribed from {}; its {} articles stay (--purge deletes them)",
                    clean(&feed.url),
                    feed.items
                );
            }
        }
    }
    Ok(())
}

fn import(path: &Path, file: &Path, fetch_now: bool) -> anyhow::Result<()> {
    let text = String::from_utf8_lossy(&std::fs::read(file).with_context(|| super::shown(file))?)
        .into_owned();
    let entries =
        opml::read_list(&text).map_err(|e| anyhow::anyhow!("{}: {e}", super::shown(file)))?;
    let (mut store, now) = (open(path)?, now_stamp()?);
    let (mut added, mut known, mut skipped) = (0, 0, 0);
    for e in entries {
        if !fetch::is_url(&e.url) {
            super::note(&e.url, "skipped, not an http(s) URL");
            skipped += 1;
            continue;
        }
        let feed = NewFeed {
            url: e.url,
            title: e.title,
            tags: e.tags,
            every_secs: schedule::DEFAULT_EVERY_SECS,
            full_text: "auto".into(),
        };
        match store
            .add_feed(&feed, &now)
            .with_context(|| super::shown(path))?
        {
            (_, true) => added += 1,
            (_, false) => known += 1,
        }
    }
    println!(
        "imported {added} new feed{}, {known} already subscribed, {skipped} skipped",
        if added == 1 { "" } else { "s" }
    );
    drop(store);
    if fetch_now && added > 0 {
        return super::update::update(path, &FeedSelection::default(), false, 4);
    }
    Ok(())
}

fn export(path: &Path, tag: Option<String>) -> anyhow::Result<()> {
    let store = super::open_read_only(Some(path))?;
    let feeds = store
        .feeds(&FeedSelection { feeds: vec![], tag })
        .with_context(|| super::shown(path))?;
    let now = now_stamp()?;
    let text = opml::write_opml(&feeds, &now);
    super::with_stdout(|out| out.write_all(text.as_bytes()))
}
