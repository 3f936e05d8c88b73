//! `newsline list`: stored events in date order (or by search score), as a
//! table that fits the terminal, JSON or JSON Lines.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::model::EventKind;
use crate::store::query::{check_date_bound, resolve_country};
use crate::store::{EventRecord, Filter, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Jsonl,
}

#[derive(Debug, clap::Args)]
pub struct Args {
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
    /// Rank events by a fuzzy match over summary, officials, countries and quotes.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// At most this many events.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// One row per story (a happening with all the sources that report it)
    /// instead of one per event.
    #[arg(long)]
    pub stories: bool,
}

/// Turns the command-line filters into a store `Filter`; the error is a
/// one-line message.
pub fn build_filter(store: Option<&Store>, args: &Args) -> Result<Filter, String> {
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
    if let Some(d) = &args.from {
        f.from = Some(check_date_bound(d).map_err(|e| format!("--from {e}"))?);
    }
    if let Some(d) = &args.to {
        f.to = Some(check_date_bound(d).map_err(|e| format!("--to {e}"))?);
    }
    Ok(f)
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    if let Some(q) = &args.search {
        check_search(q).map_err(super::Usage)?;
    }
    let store = super::open_read_only(store)?;
    let filter = build_filter(Some(&store), &args).map_err(super::Usage)?;
    if args.stories {
        return super::stories::list(&store, filter, args.format);
    }
    let mut events = store
        .events(&filter)
        .with_context(|| super::shown(store.path()))?;
    events.iter_mut().for_each(super::clean_event);
    let refs = match args.format {
        ListFormat::Table => Default::default(),
        _ => store
            .story_refs(&events)
            .with_context(|| super::shown(store.path()))?,
    };
    super::with_stdout(|out| match args.format {
        ListFormat::Table => write_table(out, &events, super::table_width()),
        ListFormat::Json => super::stories::write_events_json(out, &events, &refs),
        ListFormat::Jsonl => super::stories::write_events_jsonl(out, &events, &refs),
    })
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

/// One line per event, cut to `width` display columns.
pub fn write_table(
    out: &mut dyn Write,
    events: &[EventRecord],
    width: usize,
) -> std::io::Result<()> {
    use super::fit;
    let (date_w, kind_w, country_w, official_w) = (11, 9, 10, 22);
    let fixed = date_w + kind_w + country_w + official_w + 8;
    let summary_w = width.saturating_sub(fixed).max(10);
    writeln!(
        out,
        "{}  {}  {}  {}  {}",
        fit("DATE", date_w, true),
        fit("KIND", kind_w, true),
        fit("COUNTRIES", country_w, true),
        fit("OFFICIALS", official_w, true),
        fit("SUMMARY", summary_w, false)
    )?;
    for e in events {
        writeln!(
            out,
            "{}  {}  {}  {}  {}",
            fit(&date_label(e), date_w, true),
            fit(e.kind.as_str(), kind_w, true),
            fit(&e.countries.join(","), country_w, true),
            fit(&e.officials.join(", "), official_w, true),
            fit(&e.summary, summary_w, false)
        )?;
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
