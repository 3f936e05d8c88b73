//! `newsline list`: stored events in date order (or by search score), as a
//! table that fits the terminal, JSON or JSON Lines.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::model::EventKind;
use crate::store::query::{check_date_bound, resolve_country};
use crate::store::{EventRecord, Filter, Store, StoreError, StoryRef};
use crate::tui::data::snapshot;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filters: Filters,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// One row per story (a happening with all the sources that report it)
    /// instead of one per event.
    #[arg(long)]
    pub stories: bool,
}

/// The filters `list` and `export` share.
#[derive(Debug, Default, clap::Args)]
pub struct Filters {
    /// Only events involving this country: a code (KR) or a name (South Korea). Repeatable.
    #[arg(long = "country", value_name = "C")]
    pub countries: Vec<String>,
    /// Only events involving this official, matched fuzzily ("Kamikawa"). Repeatable.
    #[arg(long = "official", value_name = "NAME")]
    pub officials: Vec<String>,
    /// First date: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last date (the whole period): YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only events of this kind (meet, visit, agree, ...). Repeatable.
    #[arg(long = "kind", value_name = "K")]
    pub kinds: Vec<String>,
    /// Rank events by how well they match these words (whole words, word starts,
    /// typos of longer words) in officials, countries, summary and quotes.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// At most this many events.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Only events of articles from feeds with this tag (`feeds add --tag`,
    /// OPML categories, newsboat tags). Repeatable.
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
}

/// Turns the command-line filters into a store `Filter`; the error is a
/// one-line message.
pub fn build_filter(store: Option<&Store>, args: &Filters) -> Result<Filter, String> {
    let mut f = Filter {
        officials: args.officials.clone(),
        search: args.search.clone(),
        limit: args.limit,
        ..Filter::default()
    };
    for c in &args.countries {
        let code =
            resolve_country(store, c).ok_or_else(|| format!("--country {c:?}: unknown country"))?;
        f.countries.push(code);
    }
    for k in &args.kinds {
        let kind = EventKind::parse(&k.trim().to_ascii_lowercase()).ok_or_else(|| {
            let all: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
            format!("--kind {k:?}: expected one of {}", all.join(", "))
        })?;
        f.kinds.push(kind);
    }
    for t in &args.tags {
        let known = match store {
            Some(s) => s.has_feed_tag(t).map_err(|e| format!("--tag {t:?}: {e}"))?,
            None => false,
        };
        if !known {
            return Err(format!(
                "--tag {t:?}: no feed has this tag (see `newsline feeds list`)"
            ));
        }
        f.tags.push(t.clone());
    }
    if let Some(d) = &args.from {
        f.from = Some(check_date_bound(d).map_err(|e| format!("--from {e}"))?);
    }
    if let Some(d) = &args.to {
        f.to = Some(check_date_bound(d).map_err(|e| format!("--to {e}"))?);
    }
    if let (Some(from), Some(to)) = (&f.from, &f.to) {
        // "2019-05".."2019" is fine: the end is the whole period.
        if from.as_str() > format!("{to}~").as_str() {
            return Err(format!("--from {from} is after --to {to}"));
        }
    }
    Ok(f)
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    if let Some(q) = &args.filters.search {
        check_search(q).map_err(super::Usage)?;
    }
    let store = super::open_read_only(store)?;
    let filter = build_filter(Some(&store), &args.filters).map_err(super::Usage)?;
    if args.stories {
        return super::stories::list(&store, filter, args.format);
    }
    // A terminal gets a table as wide as it is; a pipe gets whole lines.
    let width =
        terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| (w.0 as usize).max(40));
    let mut failed: Option<StoreError> = None;
    super::with_stdout(|out| {
        write_events(out, &store, &filter, args.format, width, &mut failed).map(|_| ())
    })?;
    if let Some(e) = failed {
        return Err(e).with_context(|| super::shown(store.path()));
    }
    Ok(())
}

/// Writes the events passing `filter` in `format` as they are read back
/// (a long list never sits in memory) and returns how many it wrote. A
/// store error ends the list (still closed, for JSON) and is put in
/// `failed`; a write error is returned. `width` is the table's (None:
/// summaries whole).
pub fn write_events(
    out: &mut dyn Write,
    store: &Store,
    filter: &Filter,
    format: ListFormat,
    width: Option<usize>,
    failed: &mut Option<StoreError>,
) -> std::io::Result<usize> {
    let mut n = 0usize;
    if format == ListFormat::Csv {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(super::export::CSV_HEADER)?;
        let walked = walk(
            store,
            filter,
            ranked_from_copy(store, filter),
            |mut e, story| {
                super::clean_event(&mut e);
                n += 1;
                super::export::csv_record(&mut w, &e, story.as_ref())
                    .map_err(|e| StoreError::Io(e.into()))
            },
        );
        settle(walked, failed)?;
        w.flush()?;
        return Ok(n);
    }
    match format {
        ListFormat::Table => write_table_header(out, width)?,
        ListFormat::Json => write!(out, "[")?,
        _ => {}
    }
    let mut write = |e: &EventRecord, story: Option<StoryRef>| -> std::io::Result<()> {
        let item = super::stories::WithStory {
            event: e,
            story: story.as_ref(),
        };
        match format {
            ListFormat::Table => write_row(out, e, width)?,
            ListFormat::Json => {
                // The elements of a pretty-printed array, one by one.
                let sep = if n == 0 { "\n" } else { ",\n" };
                let j = serde_json::to_string_pretty(&item)?;
                write!(out, "{sep}")?;
                for (k, line) in j.lines().enumerate() {
                    if k > 0 {
                        writeln!(out)?;
                    }
                    write!(out, "  {line}")?;
                }
            }
            _ => {
                serde_json::to_writer(&mut *out, &item)?;
                writeln!(out)?;
            }
        }
        n += 1;
        Ok(())
    };
    // The table shows no story: it is not read (but for a search
    // ranked from the saved copy, which reads events with theirs).
    let table = format == ListFormat::Table;
    let ranked = ranked_from_copy(store, filter);
    let walked = if table && ranked.is_none() {
        store.each_event(filter, |mut e| {
            super::clean_event(&mut e);
            write(&e, None).map_err(StoreError::Io)
        })
    } else {
        walk(store, filter, ranked, |mut e, story| {
            super::clean_event(&mut e);
            write(&e, story.filter(|_| !table)).map_err(StoreError::Io)
        })
    };
    settle(walked, failed)?;
    match format {
        ListFormat::Table if n == 0 => writeln!(out, "(no events)")?,
        ListFormat::Json if n == 0 => writeln!(out, "]")?,
        // `[` then `]` for none, as serde writes an empty array.
        ListFormat::Json => writeln!(out, "\n]")?,
        _ => {}
    }
    Ok(n)
}

/// Walks the events of `filter` with their stories. A search and no
/// other filter takes its ranking (`ranked`, from `ranked_from_copy`)
/// from the browser's saved copy of the store when the copy is current
/// (`tui::data::snapshot::search`: the browser's own match and order,
/// read from the copy's search text instead of every event of the
/// store); else the store is scanned.
fn walk(
    store: &Store,
    filter: &Filter,
    ranked: Option<Vec<Box<str>>>,
    f: impl FnMut(EventRecord, Option<StoryRef>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    match ranked {
        Some(ids) => store.each_event_of_ids(&ids, f),
        None => store.each_event_with_story(filter, f),
    }
}

/// The ranked ids of a plain search from the saved copy, None when the
/// filter has more than a search or there is no current copy.
fn ranked_from_copy(store: &Store, filter: &Filter) -> Option<Vec<Box<str>>> {
    let query = filter.search.as_deref()?;
    if !filter.is_search_only() {
        return None;
    }
    let generation = store.browse_generation().ok()?;
    let copy = snapshot::path_for(store.path(), snapshot::Kind::Events);
    snapshot::search(&copy, generation, query, filter.limit.unwrap_or(usize::MAX)).ok()
}

/// A write error ends the output (a closed pipe); a store error is kept
/// for the exit status.
fn settle(walked: Result<(), StoreError>, failed: &mut Option<StoreError>) -> std::io::Result<()> {
    match walked {
        Ok(()) => Ok(()),
        Err(StoreError::Io(e)) => Err(e),
        Err(e) => {
            *failed = Some(e);
            Ok(())
        }
    }
}

/// The longest search query taken, in characters: a fuzzy match costs
/// time in proportion to the query's length for every event.
pub const MAX_SEARCH_CHARS: usize = 1000;

/// Refuses a search query longer than `MAX_SEARCH_CHARS`.
pub fn check_search(q: &str) -> Result<(), String> {
    let n = q.chars().count();
    if n > MAX_SEARCH_CHARS {
        return Err(format!(
            "--search: the query is {n} characters long; the limit is {MAX_SEARCH_CHARS}"
        ));
    }
    Ok(())
}

/// The date as a timeline shows it: the TIMEX value, `~` when approximate.
pub fn date_label(e: &EventRecord) -> String {
    let v = e.date.value.get(..16).unwrap_or(&e.date.value);
    if e.date.approximate {
        format!("{v}~")
    } else {
        v.to_string()
    }
}

/// Column widths of the table: id, date, kind, countries, officials.
const COLS: (usize, usize, usize, usize, usize) = (8, 11, 9, 10, 22);

/// The summary's width: what the terminal leaves, or None (never cut)
/// when the output is not a terminal.
fn summary_width(width: Option<usize>) -> Option<usize> {
    let (i, d, k, c, o) = COLS;
    width.map(|w| w.saturating_sub(i + d + k + c + o + 10).max(10))
}

fn write_table_header(out: &mut dyn Write, width: Option<usize>) -> std::io::Result<()> {
    use super::fit;
    let (i, d, k, c, o) = COLS;
    writeln!(
        out,
        "{}  {}  {}  {}  {}  SUMMARY",
        fit("ID", i, true),
        fit("DATE", d, true),
        fit("KIND", k, true),
        fit("COUNTRIES", c, true),
        fit("OFFICIALS", o, true),
    )
    .map(|_| {
        let _ = width;
    })
}

fn write_row(out: &mut dyn Write, e: &EventRecord, width: Option<usize>) -> std::io::Result<()> {
    use super::fit;
    let (i, d, k, c, o) = COLS;
    let summary = match summary_width(width) {
        Some(w) => fit(&e.summary, w, false),
        None => fit(&e.summary, usize::MAX, false),
    };
    writeln!(
        out,
        "{}  {}  {}  {}  {}  {}",
        fit(e.id.get(..i).unwrap_or(&e.id), i, true),
        fit(&date_label(e), d, true),
        fit(e.kind.as_str(), k, true),
        fit(&e.countries.join(","), c, true),
        fit(&e.officials.join(", "), o, true),
        summary
    )
}

/// One line per event; the summary cut to fit `width` columns (a
/// terminal) or whole (None: a pipe or a file).
pub fn write_table(
    out: &mut dyn Write,
    events: &[EventRecord],
    width: Option<usize>,
) -> std::io::Result<()> {
    write_table_header(out, width)?;
    for e in events {
        write_row(out, e, width)?;
    }
    if events.is_empty() {
        writeln!(out, "(no events)")?;
    }
    Ok(())
}

pub fn write_json(out: &mut dyn Write, events: &[EventRecord]) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, events)?;
    writeln!(out)
}

pub fn write_jsonl(out: &mut dyn Write, events: &[EventRecord]) -> std::io::Result<()> {
    for e in events {
        serde_json::to_writer(&mut *out, e)?;
        writeln!(out)?;
    }
    Ok(())
}
