//! Text wrapped into a detail pane's lines, an event's or a story's: an
//! indent or a label column, control characters and line breaks removed,
//! and the search's matches marked as in the timeline's rows. One place,
//! so both panes wrap and mark alike.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::fit;
use super::timeline::highlight_ranges;
use crate::source::sanitize;
use crate::store::search::Matcher;
use crate::tui::app::App;
use crate::tui::text;

/// The width of the label column ("Officials  ").
pub const LABEL: usize = 11;

pub struct Wrapper {
    width: usize,
    label: Style,
    matched: Style,
    /// Set when a search is active and holds the row shown.
    matcher: Option<Matcher>,
}

impl Wrapper {
    /// For row `index` of the view at `width` columns.
    pub fn new(app: &App, width: usize, index: u32) -> Wrapper {
        let query = app.search.query.trim();
        let matcher = app
            .search
            .hits
            .as_ref()
            .filter(|h| !query.is_empty() && h.contains(index))
            .and_then(|_| Matcher::new(query));
        Wrapper {
            width: width.max(1),
            label: app.cfg.theme.label,
            matched: app.cfg.theme.matched,
            matcher,
        }
    }

    fn marked(&self, s: &str, style: Style) -> Vec<Span<'static>> {
        match &self.matcher {
            Some(m) => highlight_ranges(s, &m.spans(s), style, style.patch(self.matched)),
            None => vec![Span::styled(s.to_string(), style)],
        }
    }

    /// `s` wrapped to the pane's width less `indent`, each line indented.
    pub fn text(&self, s: &str, style: Style, indent: usize) -> Vec<Line<'static>> {
        let s = sanitize::clean(s).replace('\n', " ");
        let w = self.width.saturating_sub(indent).max(1);
        text::wrap(&s, w)
            .into_iter()
            .map(|(a, b)| {
                let mut spans = vec![Span::raw(" ".repeat(indent))];
                spans.extend(self.marked(&s[a..b], style));
                Line::from(fit(spans, self.width))
            })
            .collect()
    }

    /// `value` beside `label`: the label on the first line, the rest of
    /// the value hanging under its start.
    pub fn field(&self, label: &str, value: &str, style: Style) -> Vec<Line<'static>> {
        let s = sanitize::clean(value).replace('\n', " ");
        let w = self.width.saturating_sub(LABEL).max(1);
        text::wrap(&s, w)
            .into_iter()
            .enumerate()
            .map(|(k, (a, b))| {
                let head = if k == 0 {
                    format!("{label:<LABEL$}")
                } else {
                    " ".repeat(LABEL)
                };
                let mut spans = vec![Span::styled(head, self.label)];
                spans.extend(self.marked(&s[a..b], style));
                Line::from(fit(spans, self.width))
            })
            .collect()
    }
}
