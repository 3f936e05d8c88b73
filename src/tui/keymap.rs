//! One keymap feeds both the key handler and the `?` help screen. Defaults
//! are embedded; a user `config.toml` overrides only the actions it names.

use std::collections::HashMap;
use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use super::theme::{self, Theme};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    NextPane,
    Search,
    NextMatch,
    PrevMatch,
    Countries,
    Officials,
    ClearFilters,
    OpenSource,
    Order,
    JumpDate,
    Kinds,
    DateRange,
    OpenLink,
    CopyLink,
    ToggleRead,
    ToggleStar,
    UnreadOnly,
    StarredOnly,
    Export,
    Refresh,
    Stories,
    Help,
    Back,
    Quit,
}

impl Action {
    /// In help-screen order.
    pub const ALL: [Action; 30] = [
        Action::Down,
        Action::Up,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::NextPane,
        Action::Search,
        Action::NextMatch,
        Action::PrevMatch,
        Action::Countries,
        Action::Officials,
        Action::ClearFilters,
        Action::OpenSource,
        Action::Order,
        Action::JumpDate,
        Action::Kinds,
        Action::DateRange,
        Action::OpenLink,
        Action::CopyLink,
        Action::ToggleRead,
        Action::ToggleStar,
        Action::UnreadOnly,
        Action::StarredOnly,
        Action::Export,
        Action::Refresh,
        Action::Stories,
        Action::Help,
        Action::Back,
        Action::Quit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Action::Down => "down",
            Action::Up => "up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::NextPane => "next_pane",
            Action::Search => "search",
            Action::NextMatch => "next_match",
            Action::PrevMatch => "prev_match",
            Action::Countries => "countries",
            Action::Officials => "officials",
            Action::ClearFilters => "clear_filters",
            Action::OpenSource => "open_source",
            Action::Order => "order",
            Action::JumpDate => "jump_to_date",
            Action::Kinds => "kinds",
            Action::DateRange => "date_range",
            Action::OpenLink => "open_link",
            Action::CopyLink => "copy_link",
            Action::ToggleRead => "toggle_read",
            Action::ToggleStar => "toggle_star",
            Action::UnreadOnly => "unread_only",
            Action::StarredOnly => "starred_only",
            Action::Export => "export",
            Action::Refresh => "refresh",
            Action::Stories => "stories",
            Action::Help => "help",
            Action::Back => "back",
            Action::Quit => "quit",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Action::Down => "next event / scroll down",
            Action::Up => "previous event / scroll up",
            Action::PageDown => "one page down",
            Action::PageUp => "one page up",
            Action::Top => "first event",
            Action::Bottom => "last event",
            Action::NextPane => "switch between timeline and detail",
            Action::Search => {
                "search words, names, places (typos forgiven; Enter keeps it as a filter in rank order, Esc clears)"
            }
            Action::NextMatch => "next search match / next quote",
            Action::PrevMatch => "previous search match / previous quote",
            Action::Countries => "filter by country",
            Action::Officials => "filter by official",
            Action::ClearFilters => "clear all filters and the search",
            Action::OpenSource => "open the source article at the quote",
            Action::Order => "order: newest first, oldest first, best match (while searching)",
            Action::JumpDate => "jump to a date (2019-05, 2019-05-08, last week)",
            Action::Kinds => "filter by kind of event",
            Action::DateRange => "filter by date range (2019, 2019-05..2019-06)",
            Action::OpenLink => "open the article's link in the browser ($BROWSER)",
            Action::CopyLink => "copy the article's link (OSC 52)",
            Action::ToggleRead => "mark read / unread",
            Action::ToggleStar => "star / unstar",
            Action::UnreadOnly => "show unread only (again: all)",
            Action::StarredOnly => "show starred only (again: all)",
            Action::Export => "export the view to CSV (or a typed path; .json gives JSON)",
            Action::Refresh => {
                "fetch the feeds now, in the background (progress in the status line)"
            }
            Action::Stories => "stories (one row per happening) / single events",
            Action::Help => "this help",
            Action::Back => "close / go back",
            Action::Quit => "quit",
        }
    }

    fn from_name(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == s)
    }

    fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::Down => &["j", "Down"],
            Action::Up => &["k", "Up"],
            Action::PageDown => &["PageDown", "ctrl-d", "ctrl-f"],
            Action::PageUp => &["PageUp", "ctrl-u", "ctrl-b"],
            Action::Top => &["g", "Home"],
            Action::Bottom => &["G", "End"],
            Action::NextPane => &["Tab", "BackTab"],
            Action::Search => &["/"],
            Action::NextMatch => &["n"],
            Action::PrevMatch => &["N"],
            Action::Countries => &["c"],
            Action::Officials => &["o"],
            Action::ClearFilters => &["x"],
            Action::OpenSource => &["Enter", "s"],
            Action::Order => &["S"],
            Action::JumpDate => &["t"],
            Action::Kinds => &["K"],
            Action::DateRange => &["d"],
            Action::OpenLink => &["b"],
            Action::CopyLink => &["y"],
            Action::ToggleRead => &["m"],
            Action::ToggleStar => &["f"],
            Action::UnreadOnly => &["U"],
            Action::StarredOnly => &["F"],
            Action::Export => &["e"],
            Action::Refresh => &["R"],
            Action::Stories => &["v"],
            Action::Help => &["?", "F1"],
            Action::Back => &["Esc"],
            Action::Quit => &["q", "ctrl-c"],
        }
    }
}

/// A key as the keymap sees it: shift is part of the char ('N'), so only
/// ctrl and alt are kept as modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn from_event(e: &KeyEvent) -> Key {
        let code = match e.code {
            KeyCode::Char(c) if e.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        Key {
            code,
            ctrl: e.modifiers.contains(KeyModifiers::CONTROL),
            alt: e.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// `j`, `G`, `ctrl-d`, `alt-x`, `Enter`, `PageDown`, `F1`, `Space`...
    pub fn parse(s: &str) -> Option<Key> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.len() > 1 && lower.starts_with("ctrl-") {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.len() > 1 && lower.starts_with("alt-") {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" => KeyCode::PageUp,
                "pagedown" => KeyCode::PageDown,
                "delete" => KeyCode::Delete,
                f if f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
                _ => return None,
            },
        };
        Some(Key { code, ctrl, alt })
    }
}

#[derive(Clone, Debug)]
pub struct Keymap {
    bindings: HashMap<Key, Action>,
    /// The key names per action, as written, for the help screen.
    names: Vec<(Action, Vec<String>)>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let mut names = Vec::new();
        for a in Action::ALL {
            names.push((a, a.default_keys().iter().map(|s| s.to_string()).collect()));
        }
        Keymap::build(names)
    }
}

impl Keymap {
    fn build(names: Vec<(Action, Vec<String>)>) -> Keymap {
        let mut bindings = HashMap::new();
        for (a, keys) in &names {
            for k in keys {
                if let Some(key) = Key::parse(k) {
                    bindings.insert(key, *a);
                }
            }
        }
        Keymap { bindings, names }
    }

    pub fn action(&self, e: &KeyEvent) -> Option<Action> {
        self.bindings.get(&Key::from_event(e)).copied()
    }

    /// (action, "j, Down", description) rows for the help screen.
    pub fn help_rows(&self) -> Vec<(Action, String, &'static str)> {
        self.names
            .iter()
            .map(|(a, k)| (*a, k.join(", "), a.describe()))
            .collect()
    }

    /// The first key bound to `a`, for the status line's hints.
    pub fn first_key(&self, a: Action) -> String {
        self.names
            .iter()
            .find(|(x, _)| *x == a)
            .and_then(|(_, k)| k.first().cloned())
            .unwrap_or_default()
    }
}

/// What the user's config file may hold.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// Fetch due feeds in the background while the browser is open.
    auto_update: Option<bool>,
    #[serde(default)]
    keys: HashMap<String, toml::Spanned<KeyList>>,
    #[serde(default)]
    theme: HashMap<String, toml::Spanned<StyleSpec>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    modifiers: Vec<String>,
}

/// The embedded defaults, as a commented file a user can copy.
pub const DEFAULT_CONFIG: &str = include_str!("default_config.toml");

#[derive(Clone, Debug)]
pub struct Config {
    pub keymap: Keymap,
    pub theme: Theme,
    /// Fetch the feeds that are due while the browser is open (on unless
    /// `auto_update = false`; a store without feeds fetches nothing).
    pub auto_update: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            keymap: Keymap::default(),
            theme: Theme::default(),
            auto_update: true,
        }
    }
}

/// Reads the user file when there is one; a missing file is no error.
pub fn load_config(path: Option<&Path>, no_color: bool) -> Result<Config, String> {
    let mut cfg = match path {
        Some(p) if p.exists() => {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            parse_config(&text).map_err(|e| format!("{}: {e}", p.display()))?
        }
        _ => Config::default(),
    };
    if no_color {
        cfg.theme = cfg.theme.without_color();
    }
    Ok(cfg)
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |t| t.matches('\n').count() + 1)
}

/// Defaults, overridden by what `text` names. Errors name the line.
pub fn parse_config(text: &str) -> Result<Config, String> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| line_of(text, s.start));
        format!("line {line}: {}", e.message())
    })?;
    let mut names: Vec<(Action, Vec<String>)> = Keymap::default().names;
    let mut keys: Vec<_> = file.keys.into_iter().collect();
    keys.sort_by_key(|(_, v)| v.span().start);
    for (name, list) in keys {
        let line = line_of(text, list.span().start);
        let action =
            Action::from_name(&name).ok_or(format!("line {line}: unknown action `{name}`"))?;
        let list = match list.into_inner() {
            KeyList::One(k) => vec![k],
            KeyList::Many(v) => v,
        };
        for k in &list {
            if Key::parse(k).is_none() {
                return Err(format!("line {line}: unknown key `{k}` for `{name}`"));
            }
        }
        // A key moved to this action leaves whichever action had it.
        for (_, ks) in names.iter_mut() {
            ks.retain(|k| !list.iter().any(|n| Key::parse(n) == Key::parse(k)));
        }
        if let Some(slot) = names.iter_mut().find(|(a, _)| *a == action) {
            slot.1 = list;
        }
    }
    let mut theme = Theme::default();
    for (name, spec) in file.theme {
        let line = line_of(text, spec.span().start);
        let spec = spec.into_inner();
        let slot = theme
            .slot(&name)
            .ok_or(format!("line {line}: unknown theme style `{name}`"))?;
        let mut style = ratatui::style::Style::default();
        if let Some(c) = &spec.fg {
            style.fg =
                Some(theme::parse_color(c).ok_or(format!("line {line}: unknown colour `{c}`"))?);
        }
        if let Some(c) = &spec.bg {
            style.bg =
                Some(theme::parse_color(c).ok_or(format!("line {line}: unknown colour `{c}`"))?);
        }
        for m in &spec.modifiers {
            style = style.add_modifier(
                theme::parse_modifier(m).ok_or(format!("line {line}: unknown modifier `{m}`"))?,
            );
        }
        *slot = style;
    }
    Ok(Config {
        keymap: Keymap::build(names),
        theme,
        auto_update: file.auto_update.unwrap_or(true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new_with_kind(code, m, KeyEventKind::Press)
    }

    #[test]
    fn defaults_bind_vim_and_arrows() {
        let k = Keymap::default();
        assert_eq!(
            k.action(&ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            k.action(&ev(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            k.action(&ev(KeyCode::Char('N'), KeyModifiers::SHIFT)),
            Some(Action::PrevMatch)
        );
        assert_eq!(
            k.action(&ev(KeyCode::Char('d'), KeyModifiers::CONTROL)),
            Some(Action::PageDown)
        );
        assert_eq!(k.help_rows().len(), Action::ALL.len());
    }

    #[test]
    fn defaults_do_not_clash_and_bind_the_view_keys() {
        let k = Keymap::default();
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            for name in a.default_keys() {
                let key = Key::parse(name).unwrap();
                assert!(seen.insert(key), "{name} bound twice");
            }
        }
        // `v` (stories) and `R` (refresh) were reserved for those views.
        for (name, action) in [("v", Action::Stories), ("R", Action::Refresh)] {
            let key = Key::parse(name).unwrap();
            assert_eq!(k.bindings.get(&key).copied(), Some(action), "{name}");
        }
        assert_eq!(
            k.action(&ev(KeyCode::Char('S'), KeyModifiers::SHIFT)),
            Some(Action::Order)
        );
        assert_eq!(
            k.action(&ev(KeyCode::Char('b'), KeyModifiers::NONE)),
            Some(Action::OpenLink)
        );
    }

    #[test]
    fn the_embedded_default_file_parses() {
        let c = parse_config(DEFAULT_CONFIG).unwrap();
        assert_eq!(c.theme, Theme::default());
        // It lists every action with its default keys.
        for a in Action::ALL {
            assert!(
                DEFAULT_CONFIG.contains(&format!("\n{} = ", a.name())),
                "{} missing from default_config.toml",
                a.name()
            );
        }
        assert_eq!(c.keymap.help_rows(), Keymap::default().help_rows());
    }

    #[test]
    fn user_file_overrides_only_what_it_names() {
        let c = parse_config("[keys]\ndown = [\"J\"]\n[theme]\nselected = { fg = \"red\", modifiers = [\"bold\"] }\n").unwrap();
        let k = &c.keymap;
        assert_eq!(
            k.action(&ev(KeyCode::Char('J'), KeyModifiers::SHIFT)),
            Some(Action::Down)
        );
        assert_eq!(k.action(&ev(KeyCode::Char('j'), KeyModifiers::NONE)), None);
        assert_eq!(
            k.action(&ev(KeyCode::Char('k'), KeyModifiers::NONE)),
            Some(Action::Up)
        );
        assert_eq!(c.theme.selected.fg, Some(ratatui::style::Color::Red));
        assert_eq!(c.theme.heading, Theme::default().heading);
    }

    #[test]
    fn refresh_is_on_capital_r_and_auto_update_can_be_turned_off() {
        let k = Keymap::default();
        assert_eq!(
            k.action(&ev(KeyCode::Char('R'), KeyModifiers::SHIFT)),
            Some(Action::Refresh)
        );
        assert!(k
            .help_rows()
            .iter()
            .any(|(a, keys, _)| *a == Action::Refresh && keys == "R"));
        assert!(Config::default().auto_update);
        assert!(parse_config("").unwrap().auto_update);
        let c = parse_config("auto_update = false\n[keys]\nrefresh = \"F5\"\n").unwrap();
        assert!(!c.auto_update);
        assert_eq!(
            c.keymap.action(&ev(KeyCode::F(5), KeyModifiers::NONE)),
            Some(Action::Refresh)
        );
        assert_eq!(
            c.keymap
                .action(&ev(KeyCode::Char('R'), KeyModifiers::SHIFT)),
            None
        );
        let e = parse_config("auto_update = \"sometimes\"\n").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse_config("[keys]\n\ndonw = \"j\"\n").unwrap_err();
        assert!(e.contains("line 3") && e.contains("donw"), "{e}");
        let e = parse_config("[keys]\ndown = \"nokey\"\n").unwrap_err();
        assert!(e.contains("line 2") && e.contains("nokey"), "{e}");
        let e = parse_config("[keys\n").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
        let e = parse_config("[theme]\n\nrow = { fg = \"plaid\" }\n").unwrap_err();
        assert!(e.contains("line 3") && e.contains("plaid"), "{e}");
    }
}
