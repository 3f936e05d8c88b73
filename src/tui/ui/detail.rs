//! The detail pane: everything about the selected event, its quotes
//! selectable (Enter or a click opens the article at the quote).

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::pane_block;
use super::wrap::Wrapper;
use crate::tui::app::{App, Pane};
use crate::tui::layout::inner;

/// The pane's lines at `width`, each with the quote it shows (if any).
pub fn lines(app: &App, width: usize) -> Vec<(Line<'static>, Option<usize>)> {
    let t = &app.cfg.theme;
    let mut out: Vec<(Line<'static>, Option<usize>)> = Vec::new();
    if app.stories_shown() {
        match app.story_detail() {
            Some(d) => return super::story::lines(app, d, width),
            None if app.current().is_some() => {
                out.push((Line::styled("Loading…", t.hint), None));
            }
            None => {}
        }
        return out;
    }
    let Some(d) = &app.detail else {
        if app.current().is_some() {
            out.push((Line::styled("Loading…", t.hint), None));
        }
        return out;
    };
    let e = &d.rec;
    let width = width.max(1);
    // The search's matches are marked here as in the timeline's rows.
    let wrap = Wrapper::new(app, width, d.index);
    let wrapped = |s: &str, style: Style, indent: usize, out: &mut Vec<_>, q: Option<usize>| {
        out.extend(wrap.text(s, style, indent).into_iter().map(|l| (l, q)));
    };
    let field = |label: &str, value: String, style: Style, out: &mut Vec<_>| {
        out.extend(
            wrap.field(label, &value, style)
                .into_iter()
                .map(|l| (l, None)),
        );
    };
    // All of the summary, wrapped; when the stored one was cut short
    // ("…"), the whole evidence sentence it came from.
    wrapped(
        d.full_summary.as_deref().unwrap_or(&e.summary),
        t.label,
        0,
        &mut out,
        None,
    );
    out.push((Line::raw(""), None));
    let approx = if e.date.approximate {
        " (approximate ~)"
    } else {
        ""
    };
    field(
        "Date",
        format!("{}{approx}", crate::tui::dates::human(&e.date.value)),
        t.row,
        &mut out,
    );
    let published = e
        .article
        .published
        .clone()
        .unwrap_or_else(|| "unknown".into());
    let from = d
        .published_from
        .as_deref()
        .map(|f| format!(" (from the {f})"))
        .unwrap_or_default();
    let words = d
        .phrase
        .as_deref()
        .map(|p| format!("from “{p}” "))
        .unwrap_or_default();
    field(
        "",
        format!("{words}resolved against publication date {published}{from}"),
        t.hint,
        &mut out,
    );
    field("Kind", e.kind.as_str().to_string(), t.kind, &mut out);
    if let Some(url) = e.article.url.as_deref().filter(|u| !u.trim().is_empty()) {
        let k = &app.cfg.keymap;
        field(
            "Link",
            format!(
                "{}  ({} opens, {} copies)",
                crate::source::sanitize::clean(url),
                k.first_key(crate::tui::keymap::Action::OpenLink),
                k.first_key(crate::tui::keymap::Action::CopyLink)
            ),
            t.hint,
            &mut out,
        );
    }
    if !d.officials.is_empty() {
        for (k, o) in d.officials.iter().enumerate() {
            let mut s = o.name.clone();
            if let Some(title) = &o.title {
                s.push_str(&format!(", {title}"));
            }
            if let Some(c) = o.country.as_deref().filter(|c| !c.is_empty()) {
                s.push_str(&format!(" ({c})"));
            }
            field(if k == 0 { "Officials" } else { "" }, s, t.row, &mut out);
        }
    }
    if !e.countries.is_empty() {
        let names: Vec<String> = e
            .countries
            .iter()
            .map(|c| match crate::extract::countries::name(c) {
                Some(n) => format!("{c} {n}"),
                None => c.clone(),
            })
            .collect();
        field("Countries", names.join(", "), t.countries, &mut out);
    }
    if let Some(loc) = &e.location {
        field("Location", loc.clone(), t.row, &mut out);
    }
    if !d.quotes.is_empty() {
        out.push((Line::raw(""), None));
        out.push((
            Line::styled(
                format!("Quotes ({}; Enter opens the article there)", d.quotes.len()),
                t.label,
            ),
            None,
        ));
        for (k, q) in d.quotes.iter().enumerate() {
            let chosen = app.focus == Pane::Detail && k == app.quote_sel;
            let style = if chosen { t.quote_current } else { t.quote };
            let who = q
                .speaker
                .as_deref()
                .map(|s| format!(" — {s}"))
                .unwrap_or_default();
            let marker = if chosen { "▶ " } else { "  " };
            let s = format!("{marker}“{}”{who}", q.text);
            wrapped(&s, style, 0, &mut out, Some(k));
        }
    }
    out.push((Line::raw(""), None));
    let title = e
        .article
        .title
        .clone()
        .unwrap_or_else(|| "(untitled)".into());
    field("Article", title, t.row, &mut out);
    let mut by = Vec::new();
    if let Some(s) = &e.article.source {
        by.push(s.clone());
    }
    if let Some(p) = &e.article.published {
        by.push(p.clone());
    }
    if !by.is_empty() {
        field("", by.join(" · "), t.hint, &mut out);
    }
    out
}

pub fn render(app: &App, f: &mut Frame, area: Rect, bordered: bool) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let inside = if bordered {
        let title = if app.stories_shown() {
            "Story"
        } else {
            "Detail"
        };
        f.render_widget(pane_block(app, title, app.focus == Pane::Detail), area);
        inner(area)
    } else {
        area
    };
    if inside.width == 0 || inside.height == 0 {
        return;
    }
    let all = lines(app, inside.width as usize);
    let shown: Vec<Line> = all
        .into_iter()
        .skip(app.detail_scroll)
        .take(inside.height as usize)
        .map(|(l, _)| l)
        .collect();
    f.render_widget(Paragraph::new(shown), inside);
}
