//! `newsline stats`: what the store holds.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use serde::Serialize;

use crate::store::Stats;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = StatsFormat::Text)]
    pub format: StatsFormat,
    /// How many top countries and officials to show.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    store: String,
    schema: i64,
    #[serde(flatten)]
    stats: &'a Stats,
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    let store = super::open_read_only(store)?;
    let mut stats = store
        .stats(args.top)
        .with_context(|| super::shown(store.path()))?;
    clean_stats(&mut stats);
    let report = Report {
        store: super::shown(store.path()),
        schema: store.schema_version().unwrap_or(0),
        stats: &stats,
    };
    super::with_stdout(|out| match args.format {
        StatsFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)
        }
        StatsFormat::Text => write_text(out, &report),
    })
}

/// Names and codes as they may be printed (see `super::clean_event`).
fn clean_stats(s: &mut Stats) {
    use crate::source::sanitize::clean_line;
    let one = |s: &mut String| {
        if let std::borrow::Cow::Owned(c) = clean_line(s) {
            *s = c;
        }
    };
    for c in &mut s.top_countries {
        one(&mut c.code);
        if let Some(n) = &mut c.name {
            one(n);
        }
    }
    for o in &mut s.top_officials {
        one(&mut o.name);
        if let Some(c) = &mut o.country {
            one(c);
        }
    }
    for m in &mut s.events_per_month {
        one(&mut m.month);
    }
}

fn write_text(out: &mut dyn Write, r: &Report) -> std::io::Result<()> {
    let s = r.stats;
    writeln!(out, "store      {} (schema {})", r.store, r.schema)?;
    writeln!(out, "articles   {}", s.articles)?;
    writeln!(out, "events     {}", s.events)?;
    writeln!(out, "officials  {}", s.officials)?;
    writeln!(out, "countries  {}", s.countries)?;
    if !s.top_countries.is_empty() {
        writeln!(out, "\ntop countries")?;
        for c in &s.top_countries {
            let name = c.name.as_deref().unwrap_or("");
            writeln!(
                out,
                "  {:<4}{:<24}{:>8}",
                c.code,
                super::fit(name, 22, false),
                c.events
            )?;
        }
    }
    if !s.top_officials.is_empty() {
        writeln!(out, "\ntop officials")?;
        for o in &s.top_officials {
            let who = match &o.country {
                Some(c) => format!("{} ({c})", o.name),
                None => o.name.clone(),
            };
            writeln!(out, "  {}{:>8}", super::fit(&who, 28, true), o.events)?;
        }
    }
    if !s.events_per_month.is_empty() {
        writeln!(out, "\nevents per month")?;
        let max = s
            .events_per_month
            .iter()
            .map(|m| m.events)
            .max()
            .unwrap_or(1)
            .max(1);
        for m in &s.events_per_month {
            let bar = "#".repeat(((m.events * 40 + max - 1) / max) as usize);
            writeln!(out, "  {:<8}{:>8}  {bar}", m.month, m.events)?;
        }
    }
    Ok(())
}
