//! `newsline show ID`: one event with its quotes, evidence and article.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use serde::Serialize;

use crate::source::sanitize::clean_line;
use crate::store::{ArticleRecord, EventRecord};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The event's or story's id, or the start of it.
    pub id: String,
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

#[derive(Serialize)]
struct Evidence<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    event: &'a EventRecord,
    evidence: Evidence<'a>,
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    let store = super::open_read_only(store)?;
    let at = || super::shown(store.path());
    let id = args.id.trim();
    // Story ids start with `s`, which no parser event id does.
    if id.starts_with('s') {
        if let Some(story) = store.story(id).with_context(at)? {
            return super::stories::show(&story, args.format);
        }
    }
    let mut event = match store.event(id).with_context(at)? {
        Some(e) => e,
        None => {
            let many = store.event_ids_with_prefix(id, 6).unwrap_or_default();
            if many.len() > 1 {
                let more = if many.len() > 5 { ", ..." } else { "" };
                let shown = many[..many.len().min(5)].join(", ");
                anyhow::bail!("{id}: ambiguous id prefix, matching {shown}{more}");
            }
            anyhow::bail!("{id}: no such event");
        }
    };
    let mut article = store.article(&event.article.id).with_context(at)?;
    let evidence_text = article
        .as_ref()
        .and_then(|a| a.text.get(event.evidence.start..event.evidence.end))
        .map(|t| clean_line(t).into_owned())
        .unwrap_or_default();
    let evidence_text = evidence_text.as_str();
    super::clean_event(&mut event);
    if let Some(a) = &mut article {
        a.published_from = clean_line(&a.published_from).into_owned();
    }
    super::with_stdout(|out| match args.format {
        ShowFormat::Json => {
            let shown = Shown {
                event: &event,
                evidence: Evidence {
                    start: event.evidence.start,
                    end: event.evidence.end,
                    text: evidence_text,
                },
            };
            serde_json::to_writer_pretty(&mut *out, &shown)?;
            writeln!(out)
        }
        ShowFormat::Text => write_text(out, &event, evidence_text, article.as_ref()),
    })
}

/// The text `show` prints (for the fuzz harness as well as `run`).
pub fn write_text(
    out: &mut dyn Write,
    e: &EventRecord,
    evidence: &str,
    article: Option<&ArticleRecord>,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{}  {}  {}",
        super::list::date_label(e),
        e.kind.as_str(),
        e.id
    )?;
    writeln!(out, "{}", e.summary)?;
    writeln!(out)?;
    if !e.countries.is_empty() {
        writeln!(out, "Countries: {}", e.countries.join(", "))?;
    }
    if !e.officials.is_empty() {
        writeln!(out, "Officials: {}", e.officials.join(", "))?;
    }
    if let Some(l) = &e.location {
        writeln!(out, "Location:  {l}")?;
    }
    if !evidence.is_empty() {
        writeln!(
            out,
            "Evidence:  {}",
            evidence.split_whitespace().collect::<Vec<_>>().join(" ")
        )?;
    }
    if !e.quotes.is_empty() {
        writeln!(out, "Quotes:")?;
        for q in &e.quotes {
            match &q.speaker {
                Some(s) => writeln!(out, "  \u{201c}{}\u{201d} ({s})", q.text)?,
                None => writeln!(out, "  \u{201c}{}\u{201d}", q.text)?,
            }
        }
    }
    writeln!(out)?;
    let a = &e.article;
    writeln!(
        out,
        "Article:   {}",
        a.title.as_deref().unwrap_or("(untitled)")
    )?;
    if let Some(s) = &a.source {
        writeln!(out, "Source:    {s}")?;
    }
    if let Some(p) = &a.published {
        let from = article.map(|a| a.published_from.as_str()).unwrap_or("");
        writeln!(out, "Published: {p} ({from})")?;
    }
    if let Some(u) = &a.url {
        writeln!(out, "URL:       {u}")?;
    }
    if let Some(p) = &a.path {
        writeln!(out, "File:      {p}")?;
    }
    writeln!(out, "Article id: {}", a.id)
}
