//! Snapshots of the screens at three sizes (TestBackend + insta), style
//! checks where colour or emphasis carries meaning, and no panic at any
//! size.

mod tui_common;

use newsline::tui::app::{App, Msg};
use newsline::tui::search::search_all;
use newsline::tui::ui::render;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Modifier;
use ratatui::Terminal;
use tui_common::*;

const SIZES: [(u16, u16); 3] = [(140, 36), (90, 30), (44, 14)];

fn draw(a: &App) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(a.size.0, a.size.1)).unwrap();
    t.draw(|f| render(a, f)).unwrap();
    t.backend().buffer().clone()
}

fn text(b: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..b.area.height {
        let mut skip = 0;
        for x in 0..b.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = b[(x, y)].symbol();
            skip = newsline::tui::text::width(sym).saturating_sub(1);
            s.push_str(sym);
        }
        s.push('\n');
    }
    s
}

fn search(a: &mut App, q: &str) {
    a.update(key('/'));
    let mut last = Vec::new();
    for m in typed(q) {
        last = a.update(m);
    }
    for e in last {
        if let newsline::tui::app::Effect::Search(q) = e {
            let h = search_all(a.data.as_ref().unwrap(), &q);
            a.update(Msg::Searched(h));
        }
    }
}

fn snap(name: &str, build: impl Fn(u16, u16) -> App) {
    for (w, h) in SIZES {
        let a = build(w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text(&draw(&a)));
    }
}

#[test]
fn main_screen() {
    snap("main", app);
}

#[test]
fn search_with_highlighted_matches() {
    snap("search", |w, h| {
        let mut a = app(w, h);
        search(&mut a, "iwaya");
        a
    });
}

#[test]
fn country_picker() {
    snap("countries", |w, h| {
        let mut a = app(w, h);
        a.update(key('c'));
        a.update(code(KeyCode::Enter));
        a
    });
}

#[test]
fn official_picker() {
    snap("officials", |w, h| {
        let mut a = app(w, h);
        a.update(key('o'));
        a.update(key('i'));
        a
    });
}

#[test]
fn source_view_with_quote() {
    snap("source", |w, h| {
        let mut a = app(w, h);
        a.update(Msg::Source(Box::new(source(0, Some(0)))));
        a
    });
}

#[test]
fn help_screen() {
    snap("help", |w, h| {
        let mut a = app(w, h);
        a.update(key('?'));
        a
    });
}

#[test]
fn too_small_notice() {
    for (w, h) in [(20, 5), (10, 3), (23, 10)] {
        let a = app(w, h);
        insta::assert_snapshot!(format!("too_small_{w}x{h}"), text(&draw(&a)));
    }
}

#[test]
fn empty_store_says_how_to_ingest() {
    let mut a = App::new(
        Default::default(),
        (90, 20),
        "my.db".into(),
        Default::default(),
    );
    a.update(Msg::Loaded(Ok(Default::default())));
    let s = text(&draw(&a));
    assert!(
        s.contains("newsline ingest") && s.contains("newsline demo"),
        "{s}"
    );
}

#[test]
fn loading_shows_progress_and_first_frame() {
    let mut a = App::new(
        Default::default(),
        (90, 20),
        "my.db".into(),
        Default::default(),
    );
    a.update(Msg::Progress(1, 4));
    let s = text(&draw(&a));
    assert!(s.contains("Loading events… 25%"), "{s}");
}

/// Cells whose symbol is `ch` in row `y`.
fn cells_with<'a>(b: &'a Buffer, y: u16, ch: &str) -> Vec<&'a ratatui::buffer::Cell> {
    (0..b.area.width)
        .map(|x| &b[(x, y)])
        .filter(|c| c.symbol() == ch)
        .collect()
}

#[test]
fn styles_mark_selection_matches_and_quotes() {
    let mut a = app(140, 36);
    let b = draw(&a);
    // The selected row (e1, line 4: strip 2 + border + heading) is reversed.
    let y = 4;
    assert!(
        b[(3, y)].modifier.contains(Modifier::REVERSED),
        "{:?}",
        b[(3, y)]
    );
    assert!(!b[(3, y + 1)].modifier.contains(Modifier::REVERSED));
    // Approximate dates are marked `~`.
    assert!(text(&b).contains("~2024-11-24"));

    search(&mut a, "iwaya");
    let b = draw(&a);
    let s = text(&b);
    let row = s.lines().position(|l| l.contains("Iwaya said")).unwrap() as u16;
    let hl: Vec<_> = (0..b.area.width)
        .map(|x| &b[(x, row)])
        .filter(|c| c.modifier.contains(Modifier::BOLD | Modifier::UNDERLINED))
        .map(|c| c.symbol().to_string())
        .collect();
    assert_eq!(hl.concat(), "Iwaya");

    // NO_COLOR: no colours anywhere, the emphasis stays.
    let mut cfg = newsline::tui::keymap::Config::default();
    cfg.theme = cfg.theme.without_color();
    a.cfg = cfg;
    let b = draw(&a);
    for c in b.content() {
        assert_eq!(c.fg, ratatui::style::Color::Reset);
        assert_eq!(c.bg, ratatui::style::Color::Reset);
    }
    let hl = (0..b.area.width)
        .filter(|&x| {
            b[(x, row)]
                .modifier
                .contains(Modifier::BOLD | Modifier::UNDERLINED)
        })
        .count();
    assert_eq!(hl, 5);

    // Source view: the current quote on a yellow ground, the evidence underlined.
    let mut a = app(140, 36);
    a.update(Msg::Source(Box::new(source(0, Some(0)))));
    let b = draw(&a);
    let s = text(&b);
    let qrow = s.lines().position(|l| l.contains("We made real")).unwrap() as u16;
    let w: Vec<_> = cells_with(&b, qrow, "W");
    assert!(w[0].bg == ratatui::style::Color::Yellow && w[0].modifier.contains(Modifier::BOLD));
    assert!(w[1].modifier.contains(Modifier::BOLD) && w[1].bg != ratatui::style::Color::Yellow);
    let erow = s.lines().position(|l| l.contains("OSLO (Example")).unwrap() as u16;
    assert!(cells_with(&b, erow, "O")[0]
        .modifier
        .contains(Modifier::UNDERLINED));
}

#[test]
fn every_size_from_1x1_to_200x60_renders() {
    let base = app(80, 24);
    let mut search_app = app(80, 24);
    search(&mut search_app, "wa");
    let mut t = Terminal::new(TestBackend::new(1, 1)).unwrap();
    for w in 1..=200u16 {
        for h in 1..=60u16 {
            // The main screen and, on a sample of sizes, each overlay.
            let mut states: Vec<App> = Vec::new();
            let mut a = app(w, h);
            a.search = search_app.search.clone();
            a.strip = base.strip.clone();
            a.update(Msg::Resize(w, h));
            states.push(a);
            if (w * 7 + h) % 11 == 0 {
                for k in ['?', 'c', 'o'] {
                    let mut o = app(w, h);
                    o.update(key(k));
                    states.push(o);
                }
                let mut s = app(w, h);
                s.update(Msg::Source(Box::new(source(0, Some(1)))));
                s.update(code(KeyCode::Tab));
                states.push(s);
            }
            t.backend_mut().resize(w, h);
            for a in &states {
                t.draw(|f| render(a, f)).unwrap();
            }
        }
    }
}
