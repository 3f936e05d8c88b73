//! Named styles. Every highlight that carries meaning also carries a
//! modifier (bold, reversed, underlined), so it survives `NO_COLOR`.

use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub heading: Style,
    pub row: Style,
    pub selected: Style,
    pub approx: Style,
    pub kind: Style,
    pub countries: Style,
    pub matched: Style,
    pub density: Style,
    pub density_match: Style,
    pub density_cursor: Style,
    pub chip: Style,
    pub status: Style,
    pub hint: Style,
    pub border: Style,
    pub border_focus: Style,
    pub label: Style,
    pub evidence: Style,
    pub quote: Style,
    pub quote_current: Style,
    pub error: Style,
}

impl Default for Theme {
    fn default() -> Theme {
        let s = Style::default();
        Theme {
            heading: s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            row: s,
            selected: s.add_modifier(Modifier::REVERSED),
            approx: s.fg(Color::Yellow),
            kind: s.fg(Color::Magenta),
            countries: s.fg(Color::Green),
            matched: s
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            density: s.fg(Color::Blue),
            density_match: s.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            density_cursor: s.add_modifier(Modifier::REVERSED),
            chip: s
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            status: s,
            hint: s.fg(Color::DarkGray),
            border: s.fg(Color::DarkGray),
            border_focus: s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            label: s.add_modifier(Modifier::BOLD),
            evidence: s.add_modifier(Modifier::UNDERLINED),
            quote: s.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            quote_current: s
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            error: s.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }
}

impl Theme {
    /// The style slot a config name refers to.
    pub fn slot(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "heading" => &mut self.heading,
            "row" => &mut self.row,
            "selected" => &mut self.selected,
            "approx" => &mut self.approx,
            "kind" => &mut self.kind,
            "countries" => &mut self.countries,
            "matched" => &mut self.matched,
            "density" => &mut self.density,
            "density_match" => &mut self.density_match,
            "density_cursor" => &mut self.density_cursor,
            "chip" => &mut self.chip,
            "status" => &mut self.status,
            "hint" => &mut self.hint,
            "border" => &mut self.border,
            "border_focus" => &mut self.border_focus,
            "label" => &mut self.label,
            "evidence" => &mut self.evidence,
            "quote" => &mut self.quote,
            "quote_current" => &mut self.quote_current,
            "error" => &mut self.error,
            _ => return None,
        })
    }

    /// Drops every colour and keeps the modifiers (`NO_COLOR`).
    pub fn without_color(mut self) -> Theme {
        for name in NAMES {
            if let Some(s) = self.slot(name) {
                s.fg = None;
                s.bg = None;
            }
        }
        // Without colours the current quote must still stand out from the
        // other quotes (bold): reversed video does that.
        self.quote_current = self.quote_current.add_modifier(Modifier::REVERSED);
        self
    }
}

pub const NAMES: [&str; 20] = [
    "heading",
    "row",
    "selected",
    "approx",
    "kind",
    "countries",
    "matched",
    "density",
    "density_match",
    "density_cursor",
    "chip",
    "status",
    "hint",
    "border",
    "border_focus",
    "label",
    "evidence",
    "quote",
    "quote_current",
    "error",
];

/// `NO_COLOR` set to anything non-empty turns colour off (no-color.org).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

pub fn parse_color(s: &str) -> Option<Color> {
    s.parse::<Color>().ok()
}

pub fn parse_modifier(s: &str) -> Option<Modifier> {
    Some(match s.to_ascii_lowercase().as_str() {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" | "underline" => Modifier::UNDERLINED,
        "reversed" | "reverse" => Modifier::REVERSED,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_keeps_emphasis() {
        let t = Theme::default().without_color();
        assert_eq!(t.matched.fg, None);
        assert!(t.matched.add_modifier.contains(Modifier::BOLD));
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
        assert!(t.quote_current.add_modifier.contains(Modifier::REVERSED));
        let mut d = Theme::default();
        for n in NAMES {
            assert!(d.slot(n).is_some(), "{n}");
        }
    }
}
