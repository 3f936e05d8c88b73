//! `App::update`, action by action: no terminal, no I/O.

mod tui_common;

use newsline::tui::app::{Effect, Msg, Overlay, Pane, PickKind};
use newsline::tui::search::{search_all, Query};
use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use tui_common::*;

/// Runs a search effect to completion and feeds the result back.
fn settle(app: &mut newsline::tui::app::App, fx: Vec<Effect>) {
    for e in fx {
        if let Effect::Search(q) = e {
            let h = search_all(app.data.as_ref().unwrap(), &q);
            let more = app.update(Msg::Searched(h));
            settle(app, more);
        }
    }
}

#[test]
fn loading_then_loaded_selects_the_first_event() {
    let mut a = newsline::tui::app::App::new(
        Default::default(),
        (120, 40),
        "s".into(),
        Default::default(),
    );
    assert!(a.loading.is_some());
    a.update(Msg::Progress(5, 10));
    assert_eq!(a.loading, Some((5, 10)));
    let fx = a.update(Msg::Loaded(Ok(data())));
    assert_eq!(a.loading, None);
    assert_eq!(a.view.len(), 7);
    // Newest first: the cursor is on the last event in date order.
    assert_eq!(fx, vec![Effect::LoadDetail(6)]);
}

#[test]
fn load_error_is_shown() {
    let mut a = newsline::tui::app::App::new(
        Default::default(),
        (120, 40),
        "s".into(),
        Default::default(),
    );
    a.update(Msg::Loaded(Err("broken".into())));
    assert_eq!(a.error.as_deref(), Some("broken"));
}

#[test]
fn moving_with_vim_keys_arrows_pages_and_ends() {
    let mut a = app(120, 40);
    assert_eq!(a.update(key('j')), vec![Effect::LoadDetail(1)]);
    assert_eq!(a.cursor, 1);
    a.update(code(KeyCode::Down));
    assert_eq!(a.cursor, 2);
    a.update(key('k'));
    a.update(code(KeyCode::Up));
    assert_eq!(a.cursor, 0);
    a.update(key('G'));
    assert_eq!(a.cursor, 6);
    a.update(key('g'));
    assert_eq!(a.cursor, 0);
    a.update(code(KeyCode::PageDown));
    assert_eq!(a.cursor, 6);
    a.update(code(KeyCode::PageUp));
    assert_eq!(a.cursor, 0);
    a.update(code(KeyCode::Up));
    assert_eq!(a.cursor, 0);
}

#[test]
fn small_window_scrolls_to_keep_the_cursor_visible() {
    let mut a = app(40, 8);
    for _ in 0..6 {
        a.update(key('j'));
    }
    let h = a.layout().timeline_inner().height as usize;
    let lines = a.timeline_lines(h);
    assert!(
        lines.contains(&newsline::tui::app::TLine::Event(6)),
        "{lines:?}"
    );
}

#[test]
fn tab_switches_panes_and_quotes_are_chosen_in_detail() {
    let mut a = app(120, 40);
    a.update(code(KeyCode::Tab));
    assert_eq!(a.focus, Pane::Detail);
    a.update(key('j'));
    assert_eq!(a.quote_sel, 1);
    let fx = a.update(code(KeyCode::Enter));
    assert_eq!(
        fx[0],
        Effect::OpenSource {
            index: 0,
            quote: Some(1)
        }
    );
    // Opening the article marks the event read.
    assert!(matches!(fx[1], Effect::SaveMark { read: true, .. }));
    a.update(code(KeyCode::Esc));
    assert_eq!(a.focus, Pane::Timeline);
}

#[test]
fn search_types_ranks_jumps_steps_and_keeps_as_filter() {
    let mut a = app(120, 40);
    a.update(key('/'));
    assert!(a.search.editing);
    // `j` and `n` are letters while typing.
    let mut fx = Vec::new();
    for m in typed("iwaya") {
        fx = a.update(m);
    }
    assert_eq!(a.cursor, 0);
    assert!(matches!(fx.as_slice(), [Effect::Search(Query { text, .. })] if text == "iwaya"));
    settle(&mut a, fx);
    let h = a.search.hits.clone().unwrap();
    assert_eq!(h.ranked.len(), 2);
    assert!(a.cursor == 3 || a.cursor == 4);
    let first = a.cursor;
    a.update(code(KeyCode::Down));
    assert_ne!(a.cursor, first);
    a.update(code(KeyCode::Enter));
    assert!(!a.search.editing);
    assert_eq!(a.view.len(), 2);
    assert_eq!(a.kept.as_ref().map(|k| k.query.as_str()), Some("iwaya"));
    a.update(key('n'));
    a.update(key('N'));
    a.update(code(KeyCode::Esc));
    assert!(a.kept.is_none());
    assert_eq!(a.view.len(), 7);
    assert!(a.search.query.is_empty());
}

#[test]
fn stale_search_results_are_dropped() {
    let mut a = app(120, 40);
    a.update(key('/'));
    let fx1 = a.update(key('e'));
    let _fx2 = a.update(key('i'));
    let Effect::Search(q1) = &fx1[0] else {
        panic!()
    };
    let h = search_all(a.data.as_ref().unwrap(), q1);
    a.update(Msg::Searched(h));
    assert!(a.search.hits.is_none());
}

#[test]
fn esc_in_search_bar_clears() {
    let mut a = app(120, 40);
    a.update(key('/'));
    let fx = a.update(key('x'));
    settle(&mut a, fx);
    a.update(code(KeyCode::Backspace));
    assert!(a.search.query.is_empty());
    a.update(key('w'));
    a.update(code(KeyCode::Esc));
    assert!(!a.search.editing && a.search.query.is_empty() && a.search.hits.is_none());
}

#[test]
fn country_picker_counts_narrows_and_toggles() {
    let mut a = app(120, 40);
    a.update(key('c'));
    let Some(Overlay::Picker(p)) = a.overlays.last() else {
        panic!()
    };
    assert_eq!(p.kind, PickKind::Country);
    let data = a.data.clone().unwrap();
    let first = p.items[0];
    assert!(["NO", "JP", "PE"].contains(&data.country_code(first.0 as u16)));
    assert_eq!(first.1, 2);
    for m in typed("peru") {
        a.update(m);
    }
    let Some(Overlay::Picker(p)) = a.overlays.last() else {
        panic!()
    };
    assert_eq!(data.country_code(p.items[p.shown[0]].0 as u16), "PE");
    a.update(code(KeyCode::Enter));
    assert_eq!(a.view.len(), 2);
    // OR within a picker.
    a.update(code(KeyCode::Backspace));
    a.update(code(KeyCode::Backspace));
    a.update(code(KeyCode::Backspace));
    a.update(code(KeyCode::Backspace));
    for m in typed("DK") {
        a.update(m);
    }
    a.update(code(KeyCode::Tab));
    assert_eq!(a.view.len(), 3);
    a.update(code(KeyCode::Esc));
    assert!(a.overlays.is_empty());
    assert_eq!(a.countries.len(), 2);
    a.update(key('x'));
    assert!(a.countries.is_empty());
    assert_eq!(a.view.len(), 7);
}

#[test]
fn official_picker_counts_under_other_filters_and_ands_kinds() {
    let mut a = app(120, 40);
    let data = a.data.clone().unwrap();
    let jp = data.countries.iter().position(|c| c == "JP").unwrap() as u16;
    a.countries.insert(jp);
    a.update(key('o'));
    let Some(Overlay::Picker(p)) = a.overlays.last() else {
        panic!()
    };
    // Under country JP only 王毅 (1) and Iwaya (2) have events.
    assert_eq!(p.items.len(), 2);
    assert_eq!(data.official_name(p.items[0].0), "Iwaya Takeshi");
    assert_eq!(p.items[0].1, 2);
    a.update(code(KeyCode::Down));
    a.update(code(KeyCode::Enter));
    a.update(code(KeyCode::Esc));
    // AND: JP and 王毅.
    a.update(key('c'));
    a.update(code(KeyCode::Esc));
    assert_eq!(a.view.len(), 1);
}

#[test]
fn prefilter_from_the_command_line() {
    let mut a = newsline::tui::app::App::new(
        Default::default(),
        (120, 40),
        "s".into(),
        newsline::tui::app::Prefilter {
            countries: vec!["Japan".into()],
            officials: vec!["iwaya".into()],
        },
    );
    a.update(Msg::Loaded(Ok(data())));
    assert_eq!(a.view.len(), 2);
}

#[test]
fn source_view_lands_on_quotes_steps_and_returns() {
    let mut a = app(120, 12);
    a.update(key('j'));
    a.update(key('k'));
    let fx = a.update(key('s'));
    assert_eq!(
        fx[0],
        Effect::OpenSource {
            index: 0,
            quote: None
        }
    );
    a.update(Msg::Source(Box::new(source(0, Some(1)))));
    let Some(Overlay::Source(v)) = a.overlays.last() else {
        panic!()
    };
    assert_eq!(v.current, 1);
    a.update(key('n'));
    let Some(Overlay::Source(v)) = a.overlays.last() else {
        panic!()
    };
    assert_eq!(v.current, 0);
    a.update(key('N'));
    a.update(key('j'));
    a.update(key('G'));
    a.update(key('g'));
    a.update(code(KeyCode::PageDown));
    a.update(Msg::Resize(50, 20));
    a.update(code(KeyCode::Esc));
    assert!(a.overlays.is_empty());
    assert_eq!(a.cursor, 0);
}

#[test]
fn source_for_another_event_is_ignored() {
    let mut a = app(120, 40);
    a.update(Msg::Source(Box::new(source(5, None))));
    assert!(a.overlays.is_empty());
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut a = app(120, 40);
    a.update(key('?'));
    assert!(matches!(a.overlays.last(), Some(Overlay::Help { .. })));
    a.update(key('j'));
    assert!(matches!(
        a.overlays.last(),
        Some(Overlay::Help { scroll: 1 })
    ));
    a.update(code(KeyCode::Esc));
    assert!(a.overlays.is_empty());
}

#[test]
fn quit_and_ctrl_c() {
    let mut a = app(120, 40);
    a.update(key('q'));
    assert!(a.quit);
    let mut a = app(120, 40);
    a.update(key('/'));
    a.update(Msg::Key(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(a.quit);
}

#[test]
fn mouse_wheel_click_and_strip_jump() {
    let mut a = app(120, 40);
    let l = a.layout();
    let m = |kind, x, y| {
        Msg::Mouse(MouseEvent {
            kind,
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    let t = l.timeline_inner();
    a.update(m(MouseEventKind::ScrollDown, t.x + 1, t.y + 1));
    assert_eq!(a.cursor, 3);
    a.update(m(MouseEventKind::ScrollUp, t.x + 1, t.y + 1));
    assert_eq!(a.cursor, 0);
    // Line 0 is a heading, 1 is e1, 2 is e2.
    a.update(m(MouseEventKind::Down(MouseButton::Left), t.x + 3, t.y + 2));
    assert_eq!(a.cursor, 1);
    // The strip's right end is the last date.
    a.update(m(
        MouseEventKind::Down(MouseButton::Left),
        l.strip.right() - 1,
        l.strip.y,
    ));
    assert_eq!(a.cursor, 6);
    a.update(m(
        MouseEventKind::Down(MouseButton::Left),
        l.strip.x,
        l.strip.y,
    ));
    assert_eq!(a.cursor, 0);
    // A click on a quote in the detail pane opens the article there.
    a.update(Msg::Detail(Box::new(detail(0))));
    let d = l.detail.unwrap();
    let lines = newsline::tui::ui::detail::lines(&a, d.width as usize - 2);
    let row = lines.iter().position(|(_, q)| *q == Some(1)).unwrap() as u16;
    let fx = a.update(m(
        MouseEventKind::Down(MouseButton::Left),
        d.x + 2,
        d.y + 1 + row,
    ));
    assert_eq!(
        fx,
        vec![Effect::OpenSource {
            index: 0,
            quote: Some(1)
        }]
    );
}

#[test]
fn resize_changes_layout_tier() {
    let mut a = app(120, 40);
    a.update(Msg::Resize(30, 8));
    assert_eq!(a.layout().tier, newsline::tui::layout::Tier::Tiny);
    a.update(Msg::Resize(5, 2));
    assert_eq!(a.layout().tier, newsline::tui::layout::Tier::TooSmall);
    a.update(key('j'));
    assert_eq!(a.cursor, 1);
}
