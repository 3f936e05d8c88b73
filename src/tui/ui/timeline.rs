//! The timeline pane: day headings, one row per event (date, kind,
//! summary, country codes), approximate dates marked `~`, search matches
//! highlighted char by char.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{fit, pad, pane_block};
use crate::model::EventKind;
use crate::source::sanitize;
use crate::tui::app::{App, Pane, TLine};
use crate::tui::layout::Layout;
use crate::tui::text;

pub fn render(app: &App, f: &mut Frame, l: &Layout) {
    let area = l.timeline;
    let inner = l.timeline_inner();
    if l.bordered() {
        f.render_widget(
            pane_block(app, "Timeline", app.focus == Pane::Timeline),
            area,
        );
    }
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let t = &app.cfg.theme;
    let noun = app.unit();
    let width = inner.width as usize;
    let Some(data) = &app.data else {
        let msg = match (&app.error, app.loading) {
            (Some(e), _) => vec![Line::styled(e.clone(), t.error)],
            (None, Some((d, n))) => vec![Line::styled(
                format!("Loading events… {}%", d * 100 / n.max(1)),
                t.label,
            )],
            _ => Vec::new(),
        };
        f.render_widget(Paragraph::new(msg), inner);
        return;
    };
    if data.is_empty() {
        let msg = vec![
            Line::styled(format!("No events in {}.", app.store_label), t.label),
            Line::raw(""),
            Line::raw("Add articles with:  newsline ingest FILE_OR_FOLDER"),
            Line::raw("Or try the demo:    newsline demo"),
        ];
        f.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return;
    }
    if app.view.is_empty() {
        let msg = format!(
            "No {noun} match the filters ({} clears them).",
            app.cfg
                .keymap
                .first_key(crate::tui::keymap::Action::ClearFilters)
        );
        f.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return;
    }
    let query = app.search.query.trim();
    let matcher = crate::store::search::Matcher::new(query);
    let lines: Vec<Line> = app
        .timeline_lines(inner.height as usize)
        .into_iter()
        .map(|tl| match tl {
            TLine::Heading(p) => {
                let label = app
                    .view
                    .get(p)
                    .and_then(|&i| data.rows.get(i as usize))
                    .map_or_else(String::new, |r| {
                        if r.date.is_empty() {
                            "Undated".to_string()
                        } else {
                            crate::tui::dates::human(crate::tui::dates::heading_key(&r.value))
                        }
                    });
                heading(&label, width, t.heading)
            }
            TLine::Event(p) => {
                let Some(r) = app.view.get(p).and_then(|&i| data.rows.get(i as usize)) else {
                    return Line::raw("");
                };
                let selected = p == app.cursor;
                let (read, starred) = app.mark(app.view[p]);
                // Read rows are dimmed, as a mail or feed reader does.
                let row_style = if read { t.row.patch(t.hint) } else { t.row };
                let base = if selected { t.selected } else { row_style };
                let is_hit = !query.is_empty()
                    && app
                        .search
                        .hits
                        .as_ref()
                        .is_some_and(|h| h.contains(app.view[p]));
                let mut spans: Vec<Span<'static>> = Vec::new();
                let story = app.story_info(app.view[p]);
                // A story's mark is where its sources disagree on the date.
                let approx = match story {
                    Some(s) if s.disagreement => "≠",
                    _ if r.approximate => "~",
                    _ => " ",
                };
                spans.push(Span::styled(approx, base.patch(t.approx)));
                if width >= 60 {
                    let d = crate::tui::dates::heading_key(&r.value);
                    let d = text::truncate(&sanitize::clean(d), 10);
                    spans.push(Span::styled(format!("{d:<10} "), base));
                }
                let kind = if width >= 80 {
                    format!("{:<9} ", r.kind.as_str())
                } else {
                    format!("{} ", short_kind(r.kind))
                };
                spans.push(Span::styled(kind, base.patch(t.kind)));
                let codes = codes(data, &r.countries);
                let cw = if width >= 40 {
                    text::width(&codes) + 1
                } else {
                    0
                };
                let badge = story.map(|s| badge(s.sources, width));
                let bw = badge.as_deref().map_or(0, text::width);
                let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
                let room = width.saturating_sub(used + cw + bw);
                let mut summary = sanitize::clean(&r.summary).replace('\n', " ");
                if starred {
                    summary.insert_str(0, "★ ");
                }
                let summary = text::truncate(&summary, room);
                let ranges = match (&matcher, is_hit) {
                    (Some(m), true) => m.spans(&summary),
                    _ => Vec::new(),
                };
                spans.extend(highlight_ranges(
                    &summary,
                    &ranges,
                    base,
                    base.patch(t.matched),
                ));
                pad(&mut spans, width.saturating_sub(cw + bw), base);
                if let Some(b) = badge {
                    spans.push(Span::styled(b, base.patch(t.label)));
                }
                if cw > 0 {
                    spans.push(Span::styled(format!(" {codes}"), base.patch(t.countries)));
                }
                Line::from(fit(spans, width))
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

/// A story's source count ("3 src"), blank for a single source so the
/// many-source rows stand out; short in a narrow pane.
fn badge(sources: u32, width: usize) -> String {
    let n = sources.min(999);
    match (n > 1, width >= 60) {
        (true, true) => format!(" {n:>3} src"),
        (false, true) => " ".repeat(8),
        (true, false) => format!(" {n:>3}"),
        (false, false) => " ".repeat(4),
    }
}

fn heading(label: &str, width: usize, style: Style) -> Line<'static> {
    let s = format!("── {} ", sanitize::clean(label));
    let rest = width.saturating_sub(text::width(&s));
    Line::from(fit(
        vec![Span::styled(format!("{s}{}", "─".repeat(rest)), style)],
        width,
    ))
}

/// Up to three codes, then "+n".
fn codes(data: &crate::tui::data::Data, cs: &[u16]) -> String {
    let mut s: Vec<&str> = cs.iter().take(3).map(|&c| data.country_code(c)).collect();
    let more = format!("+{}", cs.len().saturating_sub(3));
    if cs.len() > 3 {
        s.push(&more);
    }
    s.join(" ")
}

pub fn short_kind(k: EventKind) -> &'static str {
    match k {
        EventKind::Statement => "STM",
        EventKind::Appeal => "APL",
        EventKind::Demand => "DEM",
        EventKind::Intent => "INT",
        EventKind::Meet => "MET",
        EventKind::Visit => "VIS",
        EventKind::Agree => "AGR",
        EventKind::Cooperate => "COP",
        EventKind::Aid => "AID",
        EventKind::Criticize => "CRT",
        EventKind::Reject => "REJ",
        EventKind::Threaten => "THR",
        EventKind::Protest => "PRO",
        EventKind::Sanction => "SAN",
        EventKind::Appoint => "APT",
        EventKind::Resign => "RES",
        EventKind::Elect => "ELE",
        EventKind::Attack => "ATK",
        EventKind::Other => "OTH",
    }
}

/// `s` as spans, the byte ranges `ranges` (sorted, on char boundaries)
/// in `hl`.
pub fn highlight_ranges(
    s: &str,
    ranges: &[(usize, usize)],
    base: Style,
    hl: Style,
) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(a, b) in ranges {
        let (a, b) = (a.max(at).min(s.len()), b.min(s.len()));
        if a >= b || !s.is_char_boundary(a) || !s.is_char_boundary(b) {
            continue;
        }
        if a > at {
            out.push(Span::styled(s[at..a].to_string(), base));
        }
        out.push(Span::styled(s[a..b].to_string(), hl));
        at = b;
    }
    if at < s.len() || out.is_empty() {
        out.push(Span::styled(s[at..].to_string(), base));
    }
    out
}
