//! Printing parse results: JSON for scripts, text for people.

use std::io::Write;

use crate::model::ParsedArticle;

/// One pretty JSON object for a single article; JSON Lines for a feed.
pub fn write_json(out: &mut dyn Write, docs: &[ParsedArticle], lines: bool) -> std::io::Result<()> {
    if lines {
        for d in docs {
            serde_json::to_writer(&mut *out, d)?;
            writeln!(out)?;
        }
    } else if let Some(d) = docs.first() {
        serde_json::to_writer_pretty(&mut *out, d)?;
        writeln!(out)?;
    }
    Ok(())
}

/// A readable summary: the article's header, then its events by date,
/// each with its actors and the quotes it rests on.
pub fn write_text(out: &mut dyn Write, docs: &[ParsedArticle]) -> std::io::Result<()> {
    for (n, d) in docs.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let a = &d.article;
        writeln!(out, "{}", a.title.as_deref().unwrap_or("(untitled)"))?;
        let mut meta = Vec::new();
        if let Some(s) = &a.source {
            meta.push(s.clone());
        }
        match &a.published {
            Some(p) => meta.push(format!("published {p} ({})", a.published_from.as_str())),
            None => meta.push("publication date unknown".to_string()),
        }
        if let Some(u) = &a.url {
            meta.push(u.clone());
        }
        writeln!(out, "{}", meta.join(" · "))?;
        let codes: Vec<&str> = d.countries.iter().map(|c| c.code.as_str()).collect();
        if !codes.is_empty() {
            writeln!(out, "countries: {}", codes.join(" "))?;
        }
        for o in &d.officials {
            let mut line = format!("official: {}", o.name);
            if let Some(t) = &o.title {
                line.push_str(&format!(", {t}"));
            }
            if let Some(c) = &o.country {
                line.push_str(&format!(" ({c})"));
            }
            writeln!(out, "{line}")?;
        }
        let mut order: Vec<usize> = (0..d.events.len()).collect();
        order.sort_by(|&x, &y| {
            d.events[x]
                .date
                .value
                .cmp(&d.events[y].date.value)
                .then(x.cmp(&y))
        });
        if order.is_empty() {
            writeln!(out, "no events found")?;
        }
        let mut last_date = String::new();
        for i in order {
            let e = &d.events[i];
            if e.date.value != last_date {
                writeln!(out)?;
                let approx = if e.date.approximate {
                    " (approximate)"
                } else {
                    ""
                };
                writeln!(out, "{}{approx}", e.date.value)?;
                last_date = e.date.value.clone();
            }
            let mut tags = e.countries.join(" ");
            if let Some(l) = &e.location {
                tags.push_str(&format!(" @ {l}"));
            }
            writeln!(
                out,
                "  [{}] {}  {}",
                e.kind.as_str(),
                e.summary,
                tags.trim()
            )?;
            if !e.officials.is_empty() {
                writeln!(out, "      officials: {}", e.officials.join(", "))?;
            }
            for &q in &e.quotes {
                if let Some(q) = d.quotes.get(q) {
                    let who = q.speaker.as_deref().unwrap_or("unattributed");
                    writeln!(out, "      \u{201c}{}\u{201d} ({who})", q.text)?;
                }
            }
        }
    }
    Ok(())
}
