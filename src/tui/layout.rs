//! Where each pane goes at a given terminal size. Render and the mouse
//! handler both ask this, so a click always maps to what was drawn.

use ratatui::layout::{Constraint, Direction, Layout as Split, Rect};

use super::app::Pane;

/// Below this the browser only says the window is too small.
pub const MIN_WIDTH: u16 = 24;
pub const MIN_HEIGHT: u16 = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// Timeline and detail side by side.
    Wide,
    /// Timeline above detail.
    Narrow,
    /// One pane at a time, no borders.
    Tiny,
    TooSmall,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub tier: Tier,
    pub area: Rect,
    pub strip: Rect,
    pub timeline: Rect,
    pub detail: Option<Rect>,
    pub search: Rect,
    pub status: Rect,
    /// Where the source view, help and pickers draw.
    pub overlay: Rect,
}

/// A bordered block's inside.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1),
        r.y.saturating_add(1),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

impl Layout {
    pub fn bordered(&self) -> bool {
        matches!(self.tier, Tier::Wide | Tier::Narrow)
    }

    pub fn timeline_inner(&self) -> Rect {
        if self.bordered() {
            inner(self.timeline)
        } else {
            self.timeline
        }
    }

    pub fn overlay_inner(&self) -> Rect {
        if self.tier == Tier::Tiny {
            self.overlay
        } else {
            inner(self.overlay)
        }
    }
}

pub fn layout(area: Rect, focus: Pane) -> Layout {
    let empty = Rect::new(area.x, area.y, 0, 0);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return Layout {
            tier: Tier::TooSmall,
            area,
            strip: empty,
            timeline: empty,
            detail: None,
            search: empty,
            status: empty,
            overlay: empty,
        };
    }
    let tier = if area.width < 60 || area.height < 16 {
        Tier::Tiny
    } else if area.width < 110 {
        Tier::Narrow
    } else {
        Tier::Wide
    };
    let strip_h = if tier == Tier::Tiny { 1 } else { 2 };
    let rows = Split::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(strip_h),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .split(area);
    let (strip, body, search, status) = (rows[0], rows[1], rows[2], rows[3]);
    let overlay = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
    let (timeline, detail) = match tier {
        Tier::Wide => {
            let cols = Split::default()
                .direction(Direction::Horizontal)
                .constraints([Constraint::Percentage(58), Constraint::Percentage(42)])
                .split(body);
            (cols[0], Some(cols[1]))
        }
        Tier::Narrow => {
            let parts = Split::default()
                .direction(Direction::Vertical)
                .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
                .split(body);
            (parts[0], Some(parts[1]))
        }
        _ => match focus {
            Pane::Timeline => (body, None),
            Pane::Detail => (Rect::new(body.x, body.y, 0, 0), Some(body)),
        },
    };
    Layout {
        tier,
        area,
        strip,
        timeline,
        detail,
        search,
        status,
        overlay,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_by_size() {
        let t = |w, h| layout(Rect::new(0, 0, w, h), Pane::Timeline).tier;
        assert_eq!(t(160, 50), Tier::Wide);
        assert_eq!(t(90, 30), Tier::Narrow);
        assert_eq!(t(40, 12), Tier::Tiny);
        assert_eq!(t(10, 3), Tier::TooSmall);
        for w in 0..200 {
            for h in 0..60 {
                let l = layout(Rect::new(0, 0, w, h), Pane::Detail);
                for r in [l.strip, l.timeline, l.search, l.status, l.overlay] {
                    assert!(r.right() <= w && r.bottom() <= h);
                }
            }
        }
    }
}
