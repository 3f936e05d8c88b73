//! `newsline export`: every stored event as JSON (the objects of `list`)
//! or CSV (one row per event).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::list::ListFormat;
use crate::store::{EventRecord, StoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,
    /// The same filters as `list` (--country, --official, --from, --to, --kind, --search, --limit).
    #[command(flatten)]
    pub filters: super::list::Filters,
    /// Write here instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    if let Some(q) = &args.filters.search {
        super::list::check_search(q).map_err(super::Usage)?;
    }
    let store = super::open_read_only(store)?;
    let filter = super::list::build_filter(Some(&store), &args.filters).map_err(super::Usage)?;
    let format = match args.format {
        ExportFormat::Json => ListFormat::Json,
        ExportFormat::Csv => ListFormat::Csv,
    };
    // The events are written as they are read back, as `list` writes
    // them: a whole store never sits in memory.
    let mut failed: Option<StoreError> = None;
    let store_failed = |e: StoreError| Err(e).with_context(|| super::shown(store.path()));
    let Some(path) = args.output else {
        super::with_stdout(|out| {
            super::list::write_events(out, &store, &filter, format, None, &mut failed).map(|_| ())
        })?;
        return failed.map_or(Ok(()), store_failed);
    };
    // Written beside the target and renamed, so a failed export never
    // leaves a half-written file where a good one was.
    let tmp = path.with_extension("newsline-tmp");
    let res = std::fs::File::create(&tmp).and_then(|f| {
        let mut w = std::io::BufWriter::new(f);
        let n = super::list::write_events(&mut w, &store, &filter, format, None, &mut failed)?;
        w.flush()?;
        w.get_ref().sync_all()?;
        Ok(n)
    });
    if let Some(e) = failed {
        let _ = std::fs::remove_file(&tmp);
        return store_failed(e);
    }
    match res.and_then(|n| std::fs::rename(&tmp, &path).map(|()| n)) {
        Ok(n) => {
            eprintln!("exported {n} events to {}", super::shown(&path));
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e).with_context(|| super::shown(&path))
        }
    }
}

pub const CSV_HEADER: [&str; 17] = [
    "id",
    "date",
    "approximate",
    "kind",
    "summary",
    "countries",
    "officials",
    "location",
    "quotes",
    "article_id",
    "article_title",
    "article_source",
    "article_published",
    "article_path",
    "article_url",
    "story_id",
    "story_sources",
];

pub fn write_csv(out: &mut dyn Write, events: &[EventRecord]) -> std::io::Result<()> {
    write_csv_with_stories(out, events, &Default::default())
}

/// The CSV with each event's story: `story_id`, `story_sources` (empty for
/// an event in no story yet) after the columns of `CSV_HEADER`.
pub fn write_csv_with_stories(
    out: &mut dyn Write,
    events: &[EventRecord],
    stories: &std::collections::HashMap<String, crate::store::StoryRef>,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for e in events {
        csv_record(&mut w, e, stories.get(&e.id))?;
    }
    w.flush()
}

/// One event as a CSV row (the columns of `CSV_HEADER`; the story columns
/// are empty for an event in no story yet).
pub fn csv_record<W: Write>(
    w: &mut csv::Writer<W>,
    e: &EventRecord,
    story: Option<&crate::store::StoryRef>,
) -> csv::Result<()> {
    let quotes: Vec<String> = e
        .quotes
        .iter()
        .map(|q| match &q.speaker {
            Some(s) => format!("{} ({s})", q.text),
            None => q.text.clone(),
        })
        .collect();
    let a = &e.article;
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    w.write_record([
        e.id.clone(),
        e.date.value.clone(),
        e.date.approximate.to_string(),
        e.kind.as_str().to_string(),
        e.summary.clone(),
        e.countries.join(";"),
        e.officials.join(";"),
        opt(&e.location),
        quotes.join(" | "),
        a.id.clone(),
        opt(&a.title),
        opt(&a.source),
        opt(&a.published),
        opt(&a.path),
        opt(&a.url),
        story.map(|s| s.id.clone()).unwrap_or_default(),
        story.map(|s| s.sources.to_string()).unwrap_or_default(),
    ])
}
