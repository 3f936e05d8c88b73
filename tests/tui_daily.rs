//! The browser for daily use: newest first, the order key, clearing
//! filters and search together, landing on the first result, the search
//! bar's editing keys, date jumps and ranges, kinds, links.

mod tui_common;

use newsline::tui::app::{parse_period, Effect, Msg, Order, Overlay};
use newsline::tui::search::search_all;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_common::*;

fn settle(app: &mut newsline::tui::app::App, fx: Vec<Effect>) {
    for e in fx {
        if let Effect::Search(q) = e {
            let h = search_all(app.data.as_ref().unwrap(), &q);
            let more = app.update(Msg::Searched(h));
            settle(app, more);
        }
    }
}

fn type_in(a: &mut newsline::tui::app::App, s: &str) {
    for m in typed(s) {
        let fx = a.update(m);
        settle(a, fx);
    }
}

fn ids(a: &newsline::tui::app::App) -> Vec<String> {
    let d = a.data.as_ref().unwrap();
    a.view
        .iter()
        .map(|&i| d.rows[i as usize].id.to_string())
        .collect()
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

#[test]
fn newest_first_is_the_default_and_s_cycles_the_order() {
    let mut a = app_default(120, 40);
    assert_eq!(a.order, Order::Newest);
    assert_eq!(ids(&a)[0], "e7");
    assert_eq!(a.cursor, 0);
    a.update(key('S'));
    assert_eq!(a.order, Order::Oldest);
    assert_eq!(ids(&a)[0], "e1");
    // Without a kept search there is no ranked order: back to newest.
    a.update(key('S'));
    assert_eq!(a.order, Order::Newest);
}

#[test]
fn enter_keeps_the_ranking_and_s_switches_to_dates_and_back() {
    let mut a = app_default(120, 40);
    a.update(key('/'));
    type_in(&mut a, "elections");
    let fx = a.update(code(KeyCode::Enter));
    settle(&mut a, fx);
    assert_eq!(a.order, Order::Ranked);
    assert_eq!(a.view.len(), 2);
    assert_eq!(a.cursor, 0);
    a.update(key('S'));
    assert_eq!(a.order, Order::Newest);
    a.update(key('S'));
    assert_eq!(a.order, Order::Oldest);
    a.update(key('S'));
    assert_eq!(a.order, Order::Ranked);
}

#[test]
fn x_clears_filters_and_the_search_text() {
    let mut a = app_default(120, 40);
    a.update(key('/'));
    type_in(&mut a, "talks");
    let fx = a.update(code(KeyCode::Enter));
    settle(&mut a, fx);
    assert!(a.view.len() < 7);
    let fx = a.update(key('x'));
    settle(&mut a, fx);
    assert_eq!(a.view.len(), 7);
    assert!(a.search.query.is_empty());
    // The next search starts afresh.
    a.update(key('/'));
    type_in(&mut a, "hotline");
    assert_eq!(a.search.query, "hotline");
    let h = a.search.hits.as_ref().unwrap();
    assert_eq!(h.ranked.len(), 1);
}

#[test]
fn a_filter_lands_on_the_first_result_with_the_list_at_the_top() {
    let mut a = app_default(120, 12);
    a.update(key('G'));
    assert_eq!(a.cursor, 6);
    a.update(key('K'));
    assert!(matches!(a.overlays.last(), Some(Overlay::Picker(_))));
    for m in typed("statement") {
        a.update(m);
    }
    a.update(code(KeyCode::Enter));
    a.update(code(KeyCode::Esc));
    assert_eq!(ids(&a), vec!["e5", "e2"]);
    assert_eq!((a.cursor, a.top), (0, 0));
}

#[test]
fn the_search_bar_edits_in_place() {
    let mut a = app_default(120, 40);
    a.update(key('/'));
    type_in(&mut a, "tlaks");
    a.update(code(KeyCode::Home));
    a.update(code(KeyCode::Right));
    a.update(code(KeyCode::Delete));
    a.update(code(KeyCode::Right));
    type_in(&mut a, "l");
    // "n" types n: it is not "next match" while typing.
    a.update(code(KeyCode::End));
    type_in(&mut a, " n");
    assert_eq!(a.search.query, "talks n");
    a.update(ctrl('w'));
    assert_eq!(a.search.query, "talks ");
    a.update(ctrl('u'));
    assert_eq!(a.search.query, "");
}

#[test]
fn scattered_letters_do_not_match_in_the_browser() {
    let mut a = app_default(120, 40);
    a.update(key('/'));
    // Every letter of "oslo" appears in order in several summaries, but
    // only one event names Oslo.
    type_in(&mut a, "oslo");
    let h = a.search.hits.as_ref().unwrap();
    assert_eq!(h.ranked.len(), 1);
}

#[test]
fn jump_to_a_date_and_filter_a_range() {
    let mut a = app_default(120, 40);
    a.update(key('t'));
    for m in typed("2024-12") {
        a.update(m);
    }
    a.update(code(KeyCode::Enter));
    assert_eq!(ids(&a)[a.cursor], "e5");
    a.update(key('d'));
    for m in typed("2024-11..2024-11") {
        a.update(m);
    }
    a.update(code(KeyCode::Enter));
    assert_eq!(ids(&a), vec!["e3", "e2", "e1"]);
    // An empty range clears it.
    a.update(key('d'));
    a.update(ctrl('u'));
    a.update(code(KeyCode::Enter));
    assert_eq!(a.view.len(), 7);
}

#[test]
fn periods_people_type() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let p = |s: &str| parse_period(s, today);
    assert_eq!(p("2019-05"), Ok(("2019-05".into(), "2019-05".into())));
    assert_eq!(
        p("2019-05-08"),
        Ok(("2019-05-08".into(), "2019-05-08".into()))
    );
    assert_eq!(
        p("last week"),
        Ok(("2026-11-23".into(), "2026-11-29".into()))
    );
    assert_eq!(
        p("yesterday"),
        Ok(("2026-12-01".into(), "2026-12-01".into()))
    );
    assert_eq!(p("last month"), Ok(("2026-11".into(), "2026-11".into())));
    assert_eq!(p("2019..2020-02"), Ok(("2019".into(), "2020-02".into())));
    assert!(p("2020..2019").is_err());
    assert!(p("soon").is_err());
}

#[test]
fn links_open_and_copy_only_when_there_is_a_web_address() {
    let mut a = app(120, 40);
    a.update(key('b'));
    assert_eq!(a.error.as_deref(), Some("this article has no link"));
    let mut d = detail(0);
    d.rec.article.url = Some("https://example.org/a".into());
    a.update(Msg::Detail(Box::new(d.clone())));
    assert_eq!(
        a.update(key('b')),
        vec![Effect::OpenLink("https://example.org/a".into())]
    );
    assert_eq!(
        a.update(key('y')),
        vec![Effect::CopyLink("https://example.org/a".into())]
    );
    d.rec.article.url = Some("https://example.org/\u{1b}]52;c;x\u{7}".into());
    a.update(Msg::Detail(Box::new(d)));
    assert_eq!(a.update(key('y')), vec![]);
    assert!(a.error.is_some());
}

#[test]
fn osc52_encodes_the_link() {
    let mut out = Vec::new();
    newsline::tui::osc52(&mut out, "https://example.org/a").unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "\u{1b}]52;c;aHR0cHM6Ly9leGFtcGxlLm9yZy9h\u{7}"
    );
}

#[test]
fn the_footer_shows_the_keys_of_the_mode() {
    let mut a = app_default(120, 40);
    assert!(newsline::tui::ui::hint(&a).contains("order"));
    a.update(key('/'));
    let h = newsline::tui::ui::hint(&a);
    assert!(
        h.contains("Enter keeps") && !h.contains("Tab detail"),
        "{h}"
    );
}

#[test]
fn undated_events_come_last_in_either_order() {
    use newsline::model::EventKind;
    use newsline::tui::data::Data;
    let rows = vec![
        tui_common::row("u", "", false, EventKind::Meet, "No date here", &[], &[]),
        tui_common::row("a", "2020-01-01", false, EventKind::Meet, "Old", &[], &[]),
        tui_common::row("b", "2021-01-01", false, EventKind::Meet, "New", &[], &[]),
    ];
    let mut a = newsline::tui::app::App::new(
        Default::default(),
        (120, 40),
        "s".into(),
        Default::default(),
    );
    a.update(Msg::Loaded(Ok(std::sync::Arc::new(Data::from_rows(
        rows,
        &[],
    )))));
    assert_eq!(ids(&a), vec!["b", "a", "u"]);
    a.update(key('S'));
    assert_eq!(ids(&a), vec!["a", "b", "u"]);
}

#[test]
fn esc_then_q_quickly_quits() {
    let mut a = app_default(120, 40);
    a.update(key('/'));
    type_in(&mut a, "talks");
    // What a terminal sends for Esc and q typed together.
    a.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('q'),
        KeyModifiers::ALT,
    )));
    assert!(a.quit);
}

#[test]
fn the_country_picker_knows_what_people_call_countries() {
    use newsline::model::EventKind;
    use newsline::tui::data::Data;
    let rows = vec![
        tui_common::row("a", "2020-01-01", false, EventKind::Meet, "x", &["UA"], &[]),
        tui_common::row("b", "2020-01-02", false, EventKind::Meet, "y", &["GB"], &[]),
        tui_common::row("c", "2020-01-03", false, EventKind::Meet, "z", &["US"], &[]),
    ];
    let mut a = newsline::tui::app::App::new(
        Default::default(),
        (120, 40),
        "s".into(),
        Default::default(),
    );
    a.update(Msg::Loaded(Ok(std::sync::Arc::new(Data::from_rows(
        rows,
        &[],
    )))));
    let first = |a: &mut newsline::tui::app::App, q: &str| {
        a.update(key('c'));
        for m in typed(q) {
            a.update(m);
        }
        let Some(Overlay::Picker(p)) = a.overlays.last() else {
            panic!("no picker")
        };
        let label = p
            .shown
            .first()
            .map(|&k| a.picker_label(p.kind, p.items[k].0))
            .unwrap_or_default();
        a.update(code(KeyCode::Esc));
        label
    };
    assert!(first(&mut a, "uk").starts_with("GB"));
    assert!(first(&mut a, "Britain").starts_with("GB"));
    assert!(first(&mut a, "America").starts_with("US"));
    assert!(first(&mut a, "US").starts_with("US"));
}

#[test]
fn read_and_star_marks_are_saved_and_filter() {
    let mut a = app_default(120, 40);
    let first = a.current().unwrap();
    let fx = a.update(key('f'));
    assert!(matches!(
        &fx[..],
        [Effect::SaveMark {
            starred: true,
            read: false,
            ..
        }]
    ));
    let fx = a.update(key('m'));
    assert!(matches!(
        &fx[..],
        [Effect::SaveMark {
            starred: true,
            read: true,
            ..
        }]
    ));
    a.update(key('F'));
    assert_eq!(a.view.as_slice(), &[first]);
    a.update(key('F'));
    a.update(key('U'));
    assert_eq!(a.view.len(), 6);
    assert!(!a.view.contains(&first));
    // Marks loaded from the store arrive after the data.
    a.update(key('x'));
    a.update(Msg::Marks(vec![(2, true, false)]));
    assert_eq!(a.mark(2), (true, false));
}

#[test]
fn the_density_strip_spends_its_width_where_the_events_are() {
    use newsline::model::EventKind;
    use newsline::tui::data::{day_number, Data};
    let mut rows = vec![tui_common::row(
        "old",
        "1968-05-01",
        false,
        EventKind::Meet,
        "x",
        &[],
        &[],
    )];
    for k in 0..198 {
        let date = format!("2024-{:02}-{:02}", 1 + k % 12, 1 + k % 28);
        rows.push(tui_common::row(
            &format!("e{k}"),
            &date,
            false,
            EventKind::Meet,
            "x",
            &[],
            &[],
        ));
    }
    rows.push(tui_common::row(
        "new",
        "2031-01-01",
        false,
        EventKind::Meet,
        "x",
        &[],
        &[],
    ));
    let mut a = newsline::tui::app::App::new(
        Default::default(),
        (120, 40),
        "s".into(),
        Default::default(),
    );
    a.update(Msg::Loaded(Ok(std::sync::Arc::new(Data::from_rows(
        rows,
        &[],
    )))));
    assert!(a.strip.first >= day_number("2024-01-01"));
    assert!(a.strip.last <= day_number("2024-12-31"));
    assert!(a.strip.before >= 1 && a.strip.after >= 1);
    // Most columns between the ends hold events.
    let used = a.strip.counts.iter().filter(|&&n| n > 0).count();
    assert!(
        used * 3 > a.strip.counts.len(),
        "{used} of {}",
        a.strip.counts.len()
    );
}
