//! What stacks over the main screen: help, the pickers, the source view.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::{fit, pad};
use crate::source::sanitize;
use crate::tui::app::{App, PickKind, Picker, SourceView};
use crate::tui::layout::{inner, Layout, Tier};
use crate::tui::text;

fn boxed(app: &App, title: String) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.cfg.theme.border_focus)
        .title(Span::styled(title, app.cfg.theme.border_focus))
}

/// A centred box of at most `w`x`h` inside `area`.
fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The help text, generated from the keymap.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.cfg.theme;
    let rows = app.cfg.keymap.help_rows();
    let kw = rows.iter().map(|r| text::width(&r.1)).max().unwrap_or(0) + 2;
    let mut out = vec![Line::styled(
        "Keys (this help scrolls: j/k, the wheel; Esc closes)",
        t.heading,
    )];
    for (_, keys, what) in rows {
        out.push(Line::from(vec![
            Span::styled(format!("  {keys:<kw$}"), t.label),
            Span::raw(what),
        ]));
    }
    for (head, body) in [
        (
            "Search bar",
            "type to search summaries, officials, countries and quotes; ↑/↓ step through matches; Enter keeps the query as a filter; Esc clears",
        ),
        (
            "Pickers",
            "type to narrow; ↑/↓ move; Enter or Tab toggles a value (several may be on); Esc closes. Values within one picker are OR-ed, pickers are AND-ed",
        ),
        (
            "Stories",
            "the timeline shows one row per happening: \"3 src\" counts the articles that report it, ≠ marks sources that give different dates. Tab to the story: j/k choose a source, Enter opens its article at the sentence; v shows single events instead (and back)",
        ),
        (
            "Source view",
            "the evidence sentence is underlined, quotes highlighted; n/N step through quotes; / searches the article (n/N then step through its hits; Esc clears the search, then returns)",
        ),
        (
            "Mouse",
            "wheel scrolls; click selects an event or a quote; click the strip at the top to jump to a date",
        ),
        (
            "Config",
            "keys and colours from config.toml in the newsline config folder; NO_COLOR turns colour off; auto_update = false stops fetching feeds in the background (R still fetches)",
        ),
    ] {
        out.push(Line::raw(""));
        out.push(Line::styled(head, t.heading));
        out.push(Line::raw(format!("  {body}")));
    }
    out
}

pub fn help(app: &App, f: &mut Frame, l: &Layout, scroll: usize) {
    let area = if l.tier == Tier::Tiny {
        l.overlay
    } else {
        centred(l.overlay, 90, 40)
    };
    if area.width < 3 || area.height < 3 {
        return;
    }
    f.render_widget(Clear, area);
    f.render_widget(
        boxed(app, " Help (scrolls: j/k, wheel; Esc closes) ".into()),
        area,
    );
    let inside = inner(area);
    let w = inside.width as usize;
    let lines = help_wrapped(app, w);
    let h = inside.height as usize;
    let scroll = scroll.min(lines.len().saturating_sub(h));
    let more = lines.len() > scroll + h;
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(h).collect();
    f.render_widget(Paragraph::new(shown), inside);
    // Says there is more below, on the box's bottom edge.
    if more && area.width > 20 {
        let note = " ↓ more: j/k scroll ";
        let x = area.x + area.width.saturating_sub(text::width(note) as u16 + 2);
        f.render_widget(
            Line::styled(note, app.cfg.theme.border_focus),
            Rect::new(x, area.bottom() - 1, text::width(note) as u16, 1),
        );
    }
}

/// The help lines wrapped to `width` with a hanging indent: a key's
/// description goes on under the description column, a paragraph under
/// its first word.
pub fn help_wrapped(app: &App, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for line in help_lines(app) {
        let plain: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        if text::width(&plain) <= width {
            lines.push(line);
            continue;
        }
        // The head is the keys column (two spans) or the leading spaces.
        let (head, head_style, body, body_style) = match &line.spans[..] {
            [k, d] => (
                k.content.to_string(),
                k.style,
                d.content.to_string(),
                d.style,
            ),
            spans => {
                let style = spans.first().map(|s| s.style).unwrap_or_default();
                let lead = plain.len() - plain.trim_start().len();
                (
                    plain[..lead].to_string(),
                    style,
                    plain[lead..].to_string(),
                    style,
                )
            }
        };
        let mut indent = text::width(&head);
        let mut head = head;
        // Too narrow for the keys column: the keys on a line of their own,
        // the description under them, indented a little more.
        if indent * 2 > width {
            let keys = head.trim_end().to_string();
            indent = (keys.len() - keys.trim_start().len() + 2).min(width / 2);
            lines.push(Line::styled(keys, head_style));
            head = " ".repeat(indent);
        }
        for (k, (a, b)) in text::wrap(&body, width - indent).into_iter().enumerate() {
            let lead = if k == 0 {
                head.clone()
            } else {
                " ".repeat(indent)
            };
            lines.push(Line::from(vec![
                Span::styled(lead, head_style),
                Span::styled(body[a..b].trim_end().to_string(), body_style),
            ]));
        }
    }
    lines
}

pub fn picker(app: &App, f: &mut Frame, l: &Layout, p: &Picker) {
    let area = if l.tier == Tier::Tiny {
        l.overlay
    } else {
        centred(l.overlay, 60, 22)
    };
    if area.width < 3 || area.height < 4 {
        return;
    }
    let t = &app.cfg.theme;
    let what = match p.kind {
        PickKind::Country => "Countries",
        PickKind::Official => "Officials",
        PickKind::Kind => "Kinds",
    };
    f.render_widget(Clear, area);
    f.render_widget(
        boxed(app, format!(" {what} (Enter toggles, Esc closes) ")),
        area,
    );
    let inside = inner(area);
    let w = inside.width as usize;
    let mut lines = vec![Line::from(fit(
        vec![
            Span::styled("> ", t.label),
            Span::raw(p.query.clone()),
            Span::styled(format!("  {} of {}", p.shown.len(), p.items.len()), t.hint),
        ],
        w,
    ))];
    let rows = (inside.height as usize).saturating_sub(1);
    let top = (p.sel + 1).saturating_sub(rows);
    for (k, &item) in p.shown.iter().enumerate().skip(top).take(rows) {
        let Some(&(i, count)) = p.items.get(item) else {
            continue;
        };
        let on = app.is_picked(p.kind, i);
        let base = if k == p.sel { t.selected } else { t.row };
        let mark = if on { "[x] " } else { "[ ] " };
        let count = format!(" {count}");
        let label = text::truncate(
            &app.picker_label(p.kind, i),
            w.saturating_sub(4 + count.len()),
        );
        let mut spans = vec![
            Span::styled(mark, if on { base.patch(t.chip) } else { base }),
            Span::styled(label, base),
        ];
        pad(&mut spans, w.saturating_sub(count.len()), base);
        spans.push(Span::styled(count, base.patch(t.hint)));
        lines.push(Line::from(fit(spans, w)));
    }
    f.render_widget(Paragraph::new(lines), inside);
    let cx = inside.x + 2 + text::width(&p.query) as u16;
    if cx < inside.right() {
        f.set_cursor_position((cx, inside.y));
    }
}

pub fn source(app: &App, f: &mut Frame, l: &Layout, v: &SourceView) {
    let area = l.overlay;
    if area.width == 0 || area.height == 0 {
        return;
    }
    let t = &app.cfg.theme;
    f.render_widget(Clear, area);
    let inside = if l.tier == Tier::Tiny {
        area
    } else {
        let nq = v.doc.quotes.len();
        let pos = if nq > 0 {
            format!(" · quote {} of {nq}", v.current + 1)
        } else {
            String::new()
        };
        let title = sanitize::clean(&format!(" {} — {}{pos} ", v.doc.title, v.doc.byline))
            .replace('\n', " ");
        f.render_widget(boxed(app, title), area);
        inner(area)
    };
    if inside.width == 0 || inside.height == 0 {
        return;
    }
    let doc = &v.doc;
    let (hits, current_hit) = match &v.find {
        Some(f) => (&f.hits[..], f.hits.get(f.current).copied()),
        None => (&[][..], None),
    };
    let style_at = |b: usize| -> Style {
        let mut s = t.row;
        if doc.evidence.start <= b && b < doc.evidence.end {
            s = s.patch(t.evidence);
        }
        for (k, q) in doc.quotes.iter().enumerate() {
            if q.start <= b && b < q.end {
                s = s.patch(if k == v.current {
                    t.quote_current
                } else {
                    t.quote
                });
            }
        }
        // Hits of the search inside the article, the current one marked
        // as the selection is.
        let h = hits.partition_point(|&(_, end)| end <= b);
        if let Some(&(start, end)) = hits.get(h).filter(|&&(a, _)| a <= b) {
            s = s.patch(if current_hit == Some((start, end)) {
                t.selected
            } else {
                t.matched
            });
        }
        s
    };
    let mut lines = Vec::new();
    for &(a, b) in v.lines.iter().skip(v.scroll).take(inside.height as usize) {
        let Some(seg) = doc.text.get(a..b) else {
            lines.push(Line::raw(""));
            continue;
        };
        // Runs of equal style; each run sanitised on its own so the byte
        // offsets of the spans stay those of the stored text.
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut run_start = 0;
        let mut run_style = None;
        for (k, _) in seg.char_indices() {
            let s = style_at(a + k);
            if run_style != Some(s) {
                if let Some(rs) = run_style {
                    spans.push(Span::styled(
                        sanitize::clean(&seg[run_start..k]).replace('\n', ""),
                        rs,
                    ));
                }
                run_start = k;
                run_style = Some(s);
            }
        }
        if let Some(rs) = run_style {
            spans.push(Span::styled(
                sanitize::clean(&seg[run_start..]).replace('\n', ""),
                rs,
            ));
        }
        lines.push(Line::from(fit(spans, inside.width as usize)));
    }
    f.render_widget(Paragraph::new(lines), inside);
}
