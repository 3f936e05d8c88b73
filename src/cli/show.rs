//! `newsline show ID`: one event with its quotes, evidence and article.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

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

pub fn run(store: Option<&Path>, args: Args) -> ExitCode {
    let store = match super::open_existing(store) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let id = args.id.trim();
    // Story ids start with `s`, which no parser event id does.
    if id.starts_with('s') {
        match store.story(id) {
            Ok(Some(story)) => return super::stories::show(&story, args.format),
            Ok(None) => {}
            Err(e) => return super::fail(store.path().display(), e),
        }
    }
    let event = match store.event(id) {
        Ok(Some(e)) => e,
        Ok(None) => {
            let many = store.event_ids_with_prefix(id, 6).unwrap_or_default();
            return if many.len() > 1 {
                let more = if many.len() > 5 { ", ..." } else { "" };
                let shown = many[..many.len().min(5)].join(", ");
                super::fail(id, format!("ambiguous id prefix, matching {shown}{more}"))
            } else {
                super::fail(id, "no such event")
            };
        }
        Err(e) => return super::fail(store.path().display(), e),
    };
    let article = match store.article(&event.article.id) {
        Ok(a) => a,
        Err(e) => return super::fail(store.path().display(), e),
    };
    let evidence_text = article
        .as_ref()
        .and_then(|a| a.text.get(event.evidence.start..event.evidence.end))
        .unwrap_or("");
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

fn write_text(
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
