//! Printing parse results: JSON for scripts, text for people.

use std::io::Write;

use crate::model::ParsedArticle;

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

pub fn write_text(out: &mut dyn Write, docs: &[ParsedArticle]) -> std::io::Result<()> {
    for d in docs {
        writeln!(
            out,
            "{}",
            d.article.title.as_deref().unwrap_or("(untitled)")
        )?;
    }
    Ok(())
}
