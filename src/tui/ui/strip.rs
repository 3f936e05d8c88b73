//! The density strip: events over time as bar heights, search matches
//! marked, the cursor's date marked below.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::tui::app::App;

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let t = &app.cfg.theme;
    let s = &app.strip;
    let max = s.counts.iter().copied().max().unwrap_or(0).max(1);
    let cursor_col = app
        .current()
        .and_then(|i| app.data.as_ref()?.rows.get(i as usize))
        .and_then(|r| s.column(r.day));
    let bars: Vec<Span<'static>> = s
        .counts
        .iter()
        .enumerate()
        .take(area.width as usize)
        .map(|(c, &n)| {
            let ch = if n == 0 {
                ' '
            } else {
                BARS[((n as usize * 7) / max as usize).min(7)]
            };
            let mut style = if s.hits.get(c).copied().unwrap_or(false) {
                t.density_match
            } else {
                t.density
            };
            if area.height == 1 && Some(c) == cursor_col {
                style = style.patch(t.density_cursor);
            }
            Span::styled(ch.to_string(), style)
        })
        .collect();
    f.render_widget(Line::from(bars), Rect { height: 1, ..area });
    if area.height >= 2 {
        let mut marks: Vec<Span<'static>> = Vec::new();
        // "◂" and "▸" say that events lie beyond the shown range.
        let first = app.data.as_ref().map(|_| {
            let d = date_of(s.first);
            if s.before > 0 {
                format!("◂{d}")
            } else {
                d
            }
        });
        let last = if s.after > 0 {
            format!("{}▸", date_of(s.last))
        } else {
            date_of(s.last)
        };
        let w = area.width as usize;
        let mut line = vec![' '; w];
        // Date labels at both ends, left out where the cursor mark would
        // cut into them.
        let clear = |a: usize, b: usize| cursor_col.is_none_or(|c| c < a || c >= b);
        // No events, no dates to show.
        if let Some(first) = first.filter(|_| s.counts.iter().any(|&n| n > 0)) {
            let fw = first.chars().count();
            if fw <= w && clear(0, fw) {
                for (k, ch) in first.chars().enumerate() {
                    line[k] = ch;
                }
            }
            let lw = last.chars().count();
            if w > fw + lw + 2 && clear(w - lw, w) {
                for (k, ch) in last.chars().enumerate() {
                    line[w - lw + k] = ch;
                }
            }
        }
        for (c, ch) in line.into_iter().enumerate() {
            if Some(c) == cursor_col {
                marks.push(Span::styled("▲", t.density_cursor));
            } else {
                marks.push(Span::styled(ch.to_string(), t.hint));
            }
        }
        f.render_widget(
            Line::from(marks),
            Rect {
                y: area.y + 1,
                height: 1,
                ..area
            },
        );
    }
}

fn date_of(day: i32) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    epoch
        .checked_add_signed(chrono::TimeDelta::days(day as i64))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}
