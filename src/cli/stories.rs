//! Stories on the command line: `list --stories`, `show STORY_ID`, and the
//! `story` member every event carries in `list` and `export` JSON.

use anyhow::Context;
use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use super::list::ListFormat;
use super::show::ShowFormat;
use crate::store::{EventRecord, Filter, Store, StoryRecord, StoryRef};

/// An event as `list --format json` and `export` write it: the event's own
/// fields and `"story": {"id", "sources"}` (null when it is in no story).
#[derive(Serialize)]
pub struct WithStory<'a> {
    #[serde(flatten)]
    pub event: &'a EventRecord,
    pub story: Option<&'a StoryRef>,
}

fn with_story<'a>(e: &'a EventRecord, refs: &'a HashMap<String, StoryRef>) -> WithStory<'a> {
    WithStory {
        event: e,
        story: refs.get(&e.id),
    }
}

pub fn write_events_json(
    out: &mut dyn Write,
    events: &[EventRecord],
    refs: &HashMap<String, StoryRef>,
) -> std::io::Result<()> {
    let all: Vec<WithStory> = events.iter().map(|e| with_story(e, refs)).collect();
    serde_json::to_writer_pretty(&mut *out, &all)?;
    writeln!(out)
}

pub fn write_events_jsonl(
    out: &mut dyn Write,
    events: &[EventRecord],
    refs: &HashMap<String, StoryRef>,
) -> std::io::Result<()> {
    for e in events {
        serde_json::to_writer(&mut *out, &with_story(e, refs))?;
        writeln!(out)?;
    }
    Ok(())
}

/// `list --stories`: the stories of the events the filters select, one
/// row each. `--limit` counts stories.
pub fn list(store: &Store, mut filter: Filter, format: ListFormat) -> anyhow::Result<()> {
    let limit = filter.limit.take();
    let at = || super::shown(store.path());
    let events = store.events(&filter).with_context(at)?;
    let mut stories = store.stories_of(&events).with_context(at)?;
    if let Some(n) = limit {
        stories.truncate(n);
    }
    if stories.is_empty() && !events.is_empty() {
        super::note(
            "stories",
            "none yet for these events; run `newsline restory`",
        );
    }
    super::with_stdout(|out| match format {
        ListFormat::Table => write_table(out, &stories, super::table_width()),
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &stories)?;
            writeln!(out)
        }
        ListFormat::Jsonl => {
            for s in &stories {
                serde_json::to_writer(&mut *out, s)?;
                writeln!(out)?;
            }
            Ok(())
        }
        ListFormat::Csv => write_csv(out, &stories),
    })
}

/// One row per story: its date, whether the sources disagree on it, how
/// many sources, its kind and summary, and who and where (`;`-joined).
fn write_csv(out: &mut dyn Write, stories: &[StoryRecord]) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "story_id",
        "date",
        "date_disagreement",
        "sources",
        "kind",
        "summary",
        "officials",
        "countries",
    ])?;
    let names = |v: &[crate::store::stories::Counted]| {
        v.iter()
            .map(|c| clean(&c.name))
            .collect::<Vec<_>>()
            .join(";")
    };
    for s in stories {
        w.write_record([
            s.id.clone(),
            s.date.clone(),
            s.date_disagreement.to_string(),
            s.sources.len().to_string(),
            s.kind.as_str().to_string(),
            clean(&s.summary),
            names(&s.officials),
            names(&s.countries),
        ])?;
    }
    w.flush()
}

/// The date column: the value, `!` when the sources disagree on it.
fn date_label(s: &StoryRecord) -> String {
    let v = s.date.get(..10).unwrap_or(&s.date);
    if s.date_disagreement {
        format!("{v}!")
    } else {
        v.to_string()
    }
}

fn write_table(out: &mut dyn Write, stories: &[StoryRecord], width: usize) -> std::io::Result<()> {
    use super::fit;
    let (date_w, src_w, kind_w, country_w) = (11, 7, 9, 10);
    let fixed = date_w + src_w + kind_w + country_w + 8;
    let summary_w = width.saturating_sub(fixed).max(10);
    writeln!(
        out,
        "{}  {}  {}  {}  {}",
        fit("DATE", date_w, true),
        fit("SOURCES", src_w, true),
        fit("KIND", kind_w, true),
        fit("COUNTRIES", country_w, true),
        fit("SUMMARY", summary_w, false)
    )?;
    for s in stories {
        let countries: Vec<&str> = s.countries.iter().map(|c| c.name.as_str()).collect();
        writeln!(
            out,
            "{}  {}  {}  {}  {}",
            fit(&date_label(s), date_w, true),
            fit(&s.sources.len().to_string(), src_w, true),
            fit(s.kind.as_str(), kind_w, true),
            fit(&countries.join(","), country_w, true),
            fit(&s.summary, summary_w, false)
        )?;
    }
    if stories.is_empty() {
        writeln!(out, "(no stories)")?;
    }
    Ok(())
}

/// `show STORY_ID`: the story and its sources one after another.
pub fn show(story: &StoryRecord, format: ShowFormat) -> anyhow::Result<()> {
    super::with_stdout(|out| match format {
        ShowFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, story)?;
            writeln!(out)
        }
        ShowFormat::Text => write_text(out, story),
    })
}

/// Untrusted text on one line, control characters as spaces.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn write_text(out: &mut dyn Write, s: &StoryRecord) -> std::io::Result<()> {
    let n = s.sources.len();
    writeln!(
        out,
        "{}  {}  {}  ({} source{})",
        date_label(s),
        s.kind.as_str(),
        s.id,
        n,
        if n == 1 { "" } else { "s" }
    )?;
    writeln!(out, "{}", clean(&s.summary))?;
    if s.date_disagreement {
        writeln!(out, "The sources disagree on the date.")?;
    }
    writeln!(out)?;
    let counted = |v: &[crate::store::stories::Counted]| {
        v.iter()
            .map(|c| format!("{} ({})", clean(&c.name), c.sources))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !s.countries.is_empty() {
        writeln!(out, "Countries: {}", counted(&s.countries))?;
    }
    if !s.officials.is_empty() {
        writeln!(out, "Officials: {}", counted(&s.officials))?;
    }
    for (i, src) in s.sources.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "[{}] {} | {} | {}",
            i + 1,
            clean(src.outlet.as_deref().unwrap_or("(unknown outlet)")),
            clean(src.published.as_deref().unwrap_or("(undated)")),
            clean(src.title.as_deref().unwrap_or("(untitled)"))
        )?;
        match &src.date_phrase {
            Some(p) => writeln!(out, "    Date:     {} (\"{}\")", clean(&src.date), clean(p))?,
            None => writeln!(out, "    Date:     {}", clean(&src.date))?,
        }
        writeln!(out, "    Evidence: {}", clean(&src.evidence))?;
        if let Some(u) = &src.url {
            writeln!(out, "    URL:      {}", clean(u))?;
        }
    }
    if !s.quotes.is_empty() {
        writeln!(out)?;
        writeln!(out, "Quotes:")?;
        for q in &s.quotes {
            let by = q
                .speaker
                .as_deref()
                .map(|sp| format!(" ({})", clean(sp)))
                .unwrap_or_default();
            let many = if q.sources > 1 {
                format!(" - quoted by {} sources", q.sources)
            } else {
                String::new()
            };
            writeln!(out, "  \u{201c}{}\u{201d}{by}{many}", clean(&q.text))?;
        }
    }
    Ok(())
}
