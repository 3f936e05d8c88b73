//! Drawing: a pure function of the state. Only visible rows are built, so
//! a frame costs the same at a hundred events and at a million.

pub mod detail;
pub mod overlays;
pub mod story;
pub mod strip;
pub mod timeline;
pub mod wrap;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::app::{App, Overlay, Pane};
use super::keymap::Action;
use super::layout::{Tier, MIN_HEIGHT, MIN_WIDTH};
use super::text;

pub fn render(app: &App, f: &mut Frame) {
    let l = app.layout();
    let area = f.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    if l.tier == Tier::TooSmall {
        let msg = format!(
            "Window too small ({}x{}); newsline needs {}x{}.",
            area.width, area.height, MIN_WIDTH, MIN_HEIGHT
        );
        f.render_widget(
            Paragraph::new(msg)
                .style(app.cfg.theme.error)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    strip::render(app, f, l.strip);
    if l.timeline.width > 0 && l.timeline.height > 0 {
        timeline::render(app, f, &l);
    }
    if let Some(d) = l.detail {
        detail::render(app, f, d, l.bordered());
    }
    render_search_bar(app, f, l.search);
    render_status(app, f, l.status);
    for o in &app.overlays {
        match o {
            Overlay::Help { scroll } => overlays::help(app, f, &l, *scroll),
            Overlay::Picker(p) => overlays::picker(app, f, &l, p),
            Overlay::Source(v) => overlays::source(app, f, &l, v),
            // Drawn in the search bar's line.
            Overlay::Prompt(_) => {}
        }
    }
}

/// A bordered block titled `title`, highlighted when it has the focus.
pub fn pane_block(app: &App, title: &str, focused: bool) -> Block<'static> {
    let t = &app.cfg.theme;
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { t.border_focus } else { t.border })
        .title(Span::styled(
            format!(" {title} "),
            if focused { t.border_focus } else { t.label },
        ))
}

/// Cuts styled spans to `width` cells.
pub fn fit(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let mut out = Vec::with_capacity(spans.len());
    let mut left = width;
    for s in spans {
        if left == 0 {
            break;
        }
        let w = text::width(&s.content);
        if w <= left {
            left -= w;
            out.push(s);
        } else {
            let cut = text::fit_prefix(&s.content, left);
            out.push(Span::styled(s.content[..cut].to_string(), s.style));
            left = 0;
        }
    }
    out
}

/// Pads a line's spans with spaces up to `width` in `style` (for a
/// selection bar that spans the pane).
pub fn pad(spans: &mut Vec<Span<'static>>, width: usize, style: Style) {
    let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    if used < width {
        spans.push(Span::styled(" ".repeat(width - used), style));
    }
}

/// A one-line prompt (jump to date, date range, export path) in the
/// search bar's place, with the caret shown.
fn render_prompt(app: &App, f: &mut Frame, area: Rect, p: &crate::tui::app::Prompt) {
    let t = &app.cfg.theme;
    let w = area.width as usize;
    let title = p.kind.title();
    let tw = text::width(title);
    let room = w.saturating_sub(tw + 1).max(1);
    // Keep the caret in view: show the end of a long line.
    let before = &p.line.text[..p.line.caret.min(p.line.text.len())];
    let skip = text::width(before).saturating_sub(room);
    let shown: String = p.line.text.chars().skip(skip).collect();
    let shown = text::truncate(&shown, room);
    let spans = vec![Span::styled(title, t.label), Span::raw(shown)];
    f.render_widget(Line::from(fit(spans, w)), area);
    let x = area.x as usize + tw + text::width(before) - skip;
    if x < area.right() as usize {
        f.set_cursor_position((x as u16, area.y));
    }
}

fn render_search_bar(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.cfg.theme;
    let s = &app.search;
    let w = area.width as usize;
    if let Some(Overlay::Prompt(p)) = app.overlays.last() {
        render_prompt(app, f, area, p);
        return;
    }
    let mut right = String::new();
    if !s.query.is_empty() {
        right = match &s.hits {
            None => "searching…".to_string(),
            Some(h) if h.ranked.is_empty() && !h.partial => "no matches".to_string(),
            Some(h) => {
                let more = if h.partial { "+ (searching…)" } else { "" };
                format!("{} of {}{more}", s.pos + 1, h.ranked.len())
            }
        };
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    if s.editing || !s.query.is_empty() {
        spans.push(Span::styled("/", t.label));
        let q = text::truncate(&s.query, w.saturating_sub(text::width(&right) + 3).max(1));
        let qw = text::width(&q);
        spans.push(Span::raw(q));
        if s.editing {
            let caret = s.caret.min(s.query.len());
            let x = area.x + 1 + text::width(&s.query[..caret]).min(qw) as u16;
            if x < area.right() {
                f.set_cursor_position((x, area.y));
            }
        }
        let used = 1 + qw;
        let rw = text::width(&right);
        if used + rw < w {
            spans.push(Span::raw(" ".repeat(w - used - rw)));
            spans.push(Span::styled(right, t.label));
        }
    } else {
        let k = &app.cfg.keymap;
        spans.push(Span::styled(
            format!(
                "{} search  {} countries  {} officials  {} help  {} quit",
                k.first_key(Action::Search),
                k.first_key(Action::Countries),
                k.first_key(Action::Officials),
                k.first_key(Action::Help),
                k.first_key(Action::Quit),
            ),
            t.hint,
        ));
    }
    f.render_widget(Line::from(fit(spans, w)), area);
}

/// The keys of the mode the user is in, from the keymap.
pub fn hint(app: &App) -> String {
    let k = |a: Action| app.cfg.keymap.first_key(a);
    match (app.overlays.last(), app.focus) {
        (Some(Overlay::Source(v)), _) if v.find.as_ref().is_some_and(|f| f.editing) => {
            "Enter keeps  Esc clears  ←/→ Home/End".into()
        }
        (Some(Overlay::Source(v)), _) if v.find.is_some() => format!(
            "{}/{} hits  {} edits  {} clears",
            k(Action::NextMatch),
            k(Action::PrevMatch),
            k(Action::Search),
            k(Action::Back)
        ),
        (Some(Overlay::Source(_)), _) => format!(
            "{}/{} quotes  {} find  {} link  {} back",
            k(Action::NextMatch),
            k(Action::PrevMatch),
            k(Action::Search),
            k(Action::OpenLink),
            k(Action::Back)
        ),
        (Some(Overlay::Picker(_)), _) => "type to narrow  Enter toggles  Esc closes".into(),
        (Some(Overlay::Help { .. }), _) => "j/k scroll  Esc closes".into(),
        (Some(Overlay::Prompt(_)), _) => "Enter applies  Esc cancels  ←/→ Home/End move".into(),
        _ if app.search.editing => {
            "Enter keeps  Esc clears  ↑/↓ matches  ←/→ Home/End  ^W word  ^U line".into()
        }
        (None, Pane::Detail) if app.stories_shown() => format!(
            "j/k sources  Enter article  {} link  {} events  Tab timeline",
            k(Action::OpenLink),
            k(Action::Stories)
        ),
        (None, Pane::Detail) => format!(
            "j/k quotes  Enter article  {} link  {} copy  Tab timeline",
            k(Action::OpenLink),
            k(Action::CopyLink)
        ),
        (None, Pane::Timeline) if app.stories_shown() => format!(
            "Tab sources  {} events  {} order  {} date  ? help",
            k(Action::Stories),
            k(Action::Order),
            k(Action::JumpDate)
        ),
        (None, Pane::Timeline) => format!(
            "Enter article  {} link  {} order  {} date  ? help",
            k(Action::OpenLink),
            k(Action::Order),
            k(Action::JumpDate)
        ),
    }
}

fn render_status(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.cfg.theme;
    let w = area.width as usize;
    let mut spans: Vec<Span<'static>> = Vec::new();
    if let Some(e) = &app.error {
        spans.push(Span::styled(e.clone(), t.error));
        f.render_widget(Line::from(fit(spans, w)), area);
        return;
    }
    if let Some(Overlay::Source(v)) = app.overlays.last() {
        if let Some(find) = &v.find {
            render_find(app, f, area, find);
            return;
        }
        // The article's link, where the article is read.
        if let Some(url) = &v.doc.url {
            spans.push(Span::styled(crate::source::sanitize::clean(url), t.label));
        }
    } else {
        match (&app.data, app.loading) {
            (_, Some((done, total))) => {
                let pct = done * 100 / total.max(1);
                spans.push(Span::styled(format!("Loading events… {pct}%"), t.label));
            }
            (Some(d), None) => {
                spans.push(Span::styled(
                    format!("{} of {} {}", app.view.len(), d.len(), app.unit()),
                    t.label,
                ));
                let mut chips: Vec<String> = Vec::new();
                for &c in &app.countries {
                    chips.push(format!("country: {}", d.country_code(c)));
                }
                for &o in &app.officials {
                    chips.push(format!("official: {}", d.official_name(o)));
                }
                for &k in &app.kinds {
                    if let Some(kind) = crate::model::EventKind::ALL.get(k as usize) {
                        chips.push(format!("kind: {}", kind.as_str()));
                    }
                }
                if let Some((a, b)) = &app.range {
                    chips.push(if a == b {
                        format!("date: {a}")
                    } else {
                        format!("date: {a}..{b}")
                    });
                }
                if app.unread_only {
                    chips.push("unread".into());
                }
                if app.starred_only {
                    chips.push("starred".into());
                }
                if let Some(k) = &app.kept {
                    chips.push(format!("search: {}", k.query));
                }
                for c in chips {
                    spans.push(Span::raw(" "));
                    spans.push(Span::styled(format!("[{c}]"), t.chip));
                }
                spans.push(Span::styled(format!(" · {}", app.order.label()), t.label));
                let above = app.new_above();
                if above > 0 {
                    spans.push(Span::raw(" "));
                    spans.push(Span::styled(
                        format!(
                            "+{above} new above ({} shows)",
                            app.cfg.keymap.first_key(Action::Top)
                        ),
                        t.chip,
                    ));
                }
                if let Some(p) = app.feeds {
                    spans.push(Span::styled(format!("  {}", p.text()), t.label));
                }
                if let Some(n) = &app.note {
                    spans.push(Span::styled(format!("  {n}"), t.label));
                }
                if !app.countries.is_empty()
                    || !app.officials.is_empty()
                    || !app.kinds.is_empty()
                    || app.range.is_some()
                    || app.unread_only
                    || app.starred_only
                    || app.kept.is_some()
                {
                    spans.push(Span::styled(
                        format!(" {} clears", app.cfg.keymap.first_key(Action::ClearFilters)),
                        t.hint,
                    ));
                }
            }
            (None, None) => {}
        }
    }
    let hint = hint(app);
    let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    let hw = text::width(&hint);
    if used + hw + 2 <= w {
        spans.push(Span::raw(" ".repeat(w - used - hw)));
        spans.push(Span::styled(hint, t.hint));
    }
    f.render_widget(Line::from(fit(spans, w)).style(t.status), area);
}

/// The source view's search line, in the status line's place: the query
/// (with the caret while typing) and where the reader is among its hits.
fn render_find(app: &App, f: &mut Frame, area: Rect, find: &crate::tui::app::Find) {
    let t = &app.cfg.theme;
    let w = area.width as usize;
    let right = match find.hits.len() {
        _ if find.line.text.trim().is_empty() => String::new(),
        0 => "no matches".to_string(),
        n => format!("{} of {n}", find.current + 1),
    };
    let hint = if find.editing {
        String::new()
    } else {
        format!("  {}", hint(app))
    };
    let right = format!("{right}{hint}");
    let room = w.saturating_sub(text::width(&right) + 2).max(1);
    let q = clean_for_line(&find.line.text);
    let shown = text::truncate(&q, room);
    let sw = text::width(&shown);
    let mut spans = vec![Span::styled("/", t.label), Span::raw(shown)];
    if find.editing {
        let before = clean_for_line(&find.line.text[..find.line.caret.min(find.line.text.len())]);
        let x = area.x as usize + 1 + text::width(&before).min(sw);
        if x < area.right() as usize {
            f.set_cursor_position((x as u16, area.y));
        }
    }
    let used = 1 + sw;
    let rw = text::width(&right);
    if used + rw < w {
        spans.push(Span::raw(" ".repeat(w - used - rw)));
        spans.push(Span::styled(right, t.label));
    }
    f.render_widget(Line::from(fit(spans, w)).style(t.status), area);
}

/// What the user typed, safe on one line of the terminal.
fn clean_for_line(s: &str) -> String {
    crate::source::sanitize::clean_line(s).into_owned()
}
