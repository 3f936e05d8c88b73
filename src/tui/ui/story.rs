//! The detail pane of a story: what happened and when, then every source
//! with its outlet, title, the sentence it reports the happening in, the
//! date it gives (and the words it was read from) and its own quotes; the
//! quotes several sources carry are listed once after them.

use ratatui::style::Style;
use ratatui::text::Line;

use super::wrap::Wrapper;
use crate::tui::app::{App, Pane};
use crate::tui::keymap::Action;
use crate::tui::stories::StoryDetail;

/// Source blocks are indented under their heading.
const INDENT: usize = 4;

/// The lines of story detail `d` at `width`, each with the source it
/// belongs to (j/k scroll the chosen one into view; a click opens it).
pub fn lines(app: &App, d: &StoryDetail, width: usize) -> Vec<(Line<'static>, Option<usize>)> {
    let t = &app.cfg.theme;
    let width = width.max(1);
    let mut out: Vec<(Line<'static>, Option<usize>)> = Vec::new();
    // The search's matches are marked as in the event's detail.
    let wrap = Wrapper::new(app, width, d.index);
    let wrapped = |s: &str, style: Style, indent: usize, tag: Option<usize>, out: &mut Vec<_>| {
        out.extend(wrap.text(s, style, indent).into_iter().map(|l| (l, tag)));
    };
    let field = |label: &str, value: &str, style: Style, out: &mut Vec<_>| {
        out.extend(
            wrap.field(label, value, style)
                .into_iter()
                .map(|l| (l, None)),
        );
    };
    let st = &d.story;
    wrapped(&st.summary, t.label, 0, None, &mut out);
    out.push((Line::raw(""), None));
    let mut date = crate::tui::dates::human(&st.date);
    if st.date_disagreement {
        date.push_str("  ≠ the sources disagree on the date");
    }
    field(
        "Date",
        &date,
        if st.date_disagreement {
            t.approx
        } else {
            t.row
        },
        &mut out,
    );
    field("Kind", st.kind.as_str(), t.kind, &mut out);
    let counted = |v: &[crate::store::stories::Counted], country: bool| {
        v.iter()
            .map(|c| {
                let name = if country {
                    match crate::extract::countries::name(&c.name) {
                        Some(n) => format!("{} {n}", c.name),
                        None => c.name.clone(),
                    }
                } else {
                    c.name.clone()
                };
                if c.sources > 1 {
                    format!("{name} ({})", c.sources)
                } else {
                    name
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !st.officials.is_empty() {
        field("Officials", &counted(&st.officials, false), t.row, &mut out);
    }
    if !st.countries.is_empty() {
        field(
            "Countries",
            &counted(&st.countries, true),
            t.countries,
            &mut out,
        );
    }
    out.push((Line::raw(""), None));
    if let Some(n) = d.too_many {
        wrapped(
            &format!("{n} sources: too many to list here (v shows the single events)"),
            t.hint,
            0,
            None,
            &mut out,
        );
        return out;
    }
    let k = &app.cfg.keymap;
    let n = d.sources.len();
    wrapped(
        &format!(
            "Sources ({n}; {}/{} choose, {} opens the article there)",
            k.first_key(Action::Down),
            k.first_key(Action::Up),
            k.first_key(Action::OpenSource)
        ),
        t.label,
        0,
        None,
        &mut out,
    );
    let in_detail = app.focus == Pane::Detail;
    for (i, s) in d.sources.iter().enumerate() {
        let src = &s.source;
        let chosen = i == app.story_source();
        let marker = match (chosen, in_detail) {
            (true, true) => "▶ ",
            (true, false) => "› ",
            _ => "  ",
        };
        let outlet = src.outlet.as_deref().unwrap_or("(unknown outlet)");
        let mut head = format!("{marker}{}. {outlet}", i + 1);
        if let Some(p) = &src.published {
            head.push_str(&format!(" · {}", p.get(..10).unwrap_or(p)));
        }
        let head_style = if chosen && in_detail {
            t.quote_current
        } else {
            t.label
        };
        wrapped(&head, head_style, 0, Some(i), &mut out);
        if let Some(title) = &src.title {
            wrapped(title, t.row, INDENT, Some(i), &mut out);
        }
        let mut when = crate::tui::dates::human(&src.date);
        if let Some(p) = &src.date_phrase {
            when.push_str(&format!(", from “{p}”"));
        }
        if s.differs {
            when.insert_str(0, "≠ ");
        }
        wrapped(
            &when,
            if s.differs { t.approx } else { t.hint },
            INDENT,
            Some(i),
            &mut out,
        );
        wrapped(&src.evidence, t.evidence, INDENT, Some(i), &mut out);
        for &q in &s.own_quotes {
            if let Some(q) = src.quotes.get(q) {
                let who = q
                    .speaker
                    .as_deref()
                    .map(|s| format!(" — {s}"))
                    .unwrap_or_default();
                wrapped(
                    &format!("“{}”{who}", q.text),
                    t.quote,
                    INDENT,
                    Some(i),
                    &mut out,
                );
            }
        }
    }
    if !d.shared.is_empty() {
        out.push((Line::raw(""), None));
        out.push((Line::styled("Quoted by several sources", t.label), None));
        for q in &d.shared {
            let who = q
                .speaker
                .as_deref()
                .map(|s| format!(" — {s}"))
                .unwrap_or_default();
            wrapped(
                &format!("“{}”{who} (quoted by {} sources)", q.text, q.sources),
                t.quote,
                0,
                None,
                &mut out,
            );
        }
    }
    out
}
