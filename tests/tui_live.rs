//! The open browser kept current (issue 10, item 5) and the small
//! browser items of issue 12: rows arriving from the store keep the
//! selection where it is, `R` and the feed status line, the search inside
//! the source view, the help's hanging indent, the detail's whole summary
//! and its search marks.

mod tui_common;

use std::sync::Arc;

use newsline::model::EventKind;
use newsline::tui::app::{find_all, App, Effect, FeedsProgress, Msg, Overlay, Reload, TLine};
use newsline::tui::data::Data;
use newsline::tui::search::search_all;
use newsline::tui::ui::render;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::Terminal;
use tui_common::*;

fn draw(a: &App) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(a.size.0, a.size.1)).unwrap();
    t.draw(|f| render(a, f)).unwrap();
    let b = t.backend().buffer().clone();
    (0..b.area.height)
        .map(|y| {
            let mut s = String::new();
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
            s
        })
        .collect()
}

/// Performs the search effects the way the loop would.
fn settle(a: &mut App, fx: Vec<Effect>) {
    for e in fx {
        if let Effect::Search(q) = e {
            let h = search_all(a.data.as_ref().unwrap(), &q);
            let more = a.update(Msg::Searched(h));
            settle(a, more);
        }
    }
}

fn send(a: &mut App, m: Msg) {
    let fx = a.update(m);
    settle(a, fx);
}

/// Invented events, one a day from 2025-03-01 on: `n` of them, ids
/// `r0`..; every fifth is about elections.
fn rows(n: usize) -> Vec<newsline::store::TimelineRow> {
    (0..n)
        .map(|i| {
            let date = (chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
                + chrono::Days::new(i as u64))
            .to_string();
            let summary = if i % 5 == 0 {
                format!("Council {i} debated the date of early elections")
            } else {
                format!("Delegation {i} signed a harbour agreement")
            };
            row(
                &format!("r{i}"),
                &date,
                false,
                EventKind::Agree,
                &summary,
                &["NO"],
                &[],
            )
        })
        .collect()
}

fn app_on(rows: Vec<newsline::store::TimelineRow>, w: u16, h: u16) -> App {
    let mut a = App::new(
        newsline::tui::keymap::Config::default(),
        (w, h),
        "test store".into(),
        newsline::tui::app::Prefilter::default(),
    );
    send(
        &mut a,
        Msg::Loaded(Ok(Arc::new(Data::from_rows(rows, &[])))),
    );
    a
}

fn current_id(a: &App) -> String {
    let i = a.current().unwrap();
    a.data.as_ref().unwrap().rows[i as usize].id.to_string()
}

fn cursor_line(a: &App) -> usize {
    let h = a.layout().timeline_inner().height as usize;
    a.timeline_lines(h)
        .iter()
        .position(|l| *l == TLine::Event(a.cursor))
        .expect("the cursor's row is on screen")
}

/// The store read again with `extra` rows added (as another process
/// would commit them), matched to what `a` shows.
fn reload(
    a: &App,
    base_rows: Vec<newsline::store::TimelineRow>,
    extra: Vec<newsline::store::TimelineRow>,
) -> Msg {
    let mut all = base_rows;
    all.extend(extra);
    let new = Arc::new(Data::from_rows(all, &[]));
    Msg::Reloaded(Box::new(Reload::between(a.data.clone().unwrap(), new)))
}

fn newer(id: &str, date: &str, summary: &str) -> newsline::store::TimelineRow {
    row(id, date, false, EventKind::Visit, summary, &["JP"], &[])
}

#[test]
fn new_rows_keep_the_selected_row_on_its_line_and_are_counted_above() {
    let mut a = app_on(rows(60), 120, 30);
    for _ in 0..12 {
        send(&mut a, key('j'));
    }
    send(&mut a, key('m'));
    let (id, line, top_before) = (current_id(&a), cursor_line(&a), a.top);
    assert!(
        top_before > 0,
        "scrolled: the test needs rows above the screen"
    );
    let screen_before = draw(&a);
    // Three newer events (above, in newest-first order) and an older one.
    let msg = reload(
        &a,
        rows(60),
        vec![
            newer(
                "n1",
                "2025-06-01",
                "Envoys arrived in Lima for fisheries talks",
            ),
            newer("n2", "2025-06-02", "Envoys left Lima"),
            newer("n3", "2025-06-03", "A ferry link reopened"),
            newer("n4", "2024-01-05", "An older report surfaced"),
        ],
    );
    send(&mut a, msg);
    assert_eq!(current_id(&a), id, "the same event stays selected");
    assert_eq!(cursor_line(&a), line, "on the same line of the screen");
    assert_eq!(a.new_above(), 3);
    // Its mark followed it to its new index.
    assert_eq!(a.mark(a.current().unwrap()), (true, false));
    let screen = draw(&a);
    // The timeline's rows on screen are the same rows as before.
    let body = |s: &[String]| {
        s[3..20]
            .iter()
            .map(|l| l.chars().take(60).collect::<String>())
            .collect::<Vec<_>>()
    };
    assert_eq!(body(&screen), body(&screen_before));
    let status = screen.last().unwrap();
    assert!(status.contains("64 of 64 events"), "{status}");
    assert!(status.contains("+3 new above (g shows)"), "{status}");
    // g: the newest, and nothing is hidden above any more.
    send(&mut a, key('g'));
    assert_eq!(a.cursor, 0);
    assert_eq!(current_id(&a), "n3");
    assert_eq!(a.new_above(), 0);
    assert!(!draw(&a).last().unwrap().contains("new above"));
}

#[test]
fn a_kept_search_and_filters_stay_and_rerun_over_the_new_rows() {
    let mut a = app_on(rows(40), 120, 30);
    send(&mut a, key('/'));
    for m in typed("elections") {
        send(&mut a, m);
    }
    send(&mut a, code(KeyCode::Enter));
    // By date, newest first, then the second result.
    send(&mut a, key('S'));
    send(&mut a, key('j'));
    let before: Vec<u32> = a.view.to_vec();
    assert_eq!(before.len(), 8);
    let (id, line) = (current_id(&a), cursor_line(&a));
    let msg = reload(
        &a,
        rows(40),
        vec![
            newer(
                "n1",
                "2025-07-01",
                "Parliament set a date for early elections",
            ),
            newer("n2", "2025-07-02", "A harbour crane collapsed"),
        ],
    );
    send(&mut a, msg);
    assert!(a.kept.is_some(), "the search is still a filter");
    assert_eq!(a.search.query, "elections");
    assert_eq!(current_id(&a), id);
    assert_eq!(cursor_line(&a), line);
    let d = a.data.clone().unwrap();
    let shown: Vec<&str> = a.view.iter().map(|&i| &*d.rows[i as usize].id).collect();
    assert_eq!(shown.len(), 9, "{shown:?}");
    assert!(shown.contains(&"n1") && !shown.contains(&"n2"), "{shown:?}");
    let status = draw(&a).last().unwrap().clone();
    assert!(status.contains("[search: elections]"), "{status}");
    assert!(status.contains("9 of 42 events"), "{status}");
    // The new match is in the view, above the selection (newest first).
    assert!(
        a.pos_of(d.rows.iter().position(|r| &*r.id == "n1").unwrap() as u32)
            .unwrap()
            < a.cursor
    );
}

#[test]
fn a_reload_against_other_data_is_a_plain_load() {
    let mut a = app_on(rows(10), 120, 30);
    let other = Arc::new(Data::from_rows(rows(3), &[]));
    let new = Arc::new(Data::from_rows(rows(12), &[]));
    send(&mut a, Msg::Reloaded(Box::new(Reload::between(other, new))));
    assert_eq!(a.data.as_ref().unwrap().len(), 12);
    assert_eq!(a.view.len(), 12);
}

#[test]
fn capital_r_refreshes_once_at_a_time_and_the_status_line_follows() {
    let mut a = app_default(120, 30);
    assert_eq!(a.update(key('R')), vec![Effect::RefreshFeeds]);
    // A second press while it runs asks for nothing more.
    assert_eq!(a.update(key('R')), vec![]);
    assert!(a.note.as_deref().unwrap().contains("being updated"));
    a.update(Msg::Feeds(FeedsProgress::Updating {
        done: 3,
        total: 12,
        failed: 1,
    }));
    let status = draw(&a).last().unwrap().clone();
    assert!(status.contains("updating 3/12 · 1 failed"), "{status}");
    a.update(Msg::Feeds(FeedsProgress::Updated {
        total: 12,
        failed: 1,
        new_events: 17,
    }));
    let status = draw(&a).last().unwrap().clone();
    assert!(status.contains("+17 events · 1 failed"), "{status}");
    assert!(!status.contains("updating"), "{status}");
    // Done: R asks again.
    assert_eq!(a.update(key('R')), vec![Effect::RefreshFeeds]);
    assert_eq!(
        FeedsProgress::Updated {
            total: 2,
            failed: 0,
            new_events: 1
        }
        .text(),
        "+1 event"
    );
    assert_eq!(
        FeedsProgress::Updated {
            total: 0,
            failed: 0,
            new_events: 0
        }
        .text(),
        "feeds: none to fetch now"
    );
}

#[test]
fn find_all_is_plain_and_case_blind_on_char_boundaries() {
    let t = "Oslo talks. OSLO again; Ōsaka and oslo.";
    let hits = find_all(t, "oslo");
    assert_eq!(hits.len(), 3);
    for (a, b) in &hits {
        assert_eq!(t[*a..*b].to_lowercase(), "oslo");
    }
    assert_eq!(find_all(t, "ōsaka"), vec![(24, 30)]);
    assert!(find_all(t, "  ").is_empty());
    assert!(find_all(t, "lima").is_empty());
}

fn open_source(a: &mut App) {
    let i = a.current().unwrap();
    a.update(Msg::Detail(Box::new(detail(i))));
    a.update(Msg::Source(Box::new(source(i, Some(0)))));
    assert!(matches!(a.overlays.last(), Some(Overlay::Source(_))));
}

fn source_view(a: &App) -> &newsline::tui::app::SourceView {
    match a.overlays.last() {
        Some(Overlay::Source(v)) => v,
        _ => panic!("no source view"),
    }
}

#[test]
fn slash_searches_inside_the_source_view_and_esc_gives_n_back_to_quotes() {
    let mut a = app(120, 30);
    open_source(&mut a);
    send(&mut a, key('/'));
    for m in typed("we") {
        send(&mut a, m);
    }
    // The invented article says "We made ..." and "We will ...".
    let want = find_all(ARTICLE, "we");
    assert!(want.len() >= 2);
    let f = source_view(&a).find.clone().unwrap();
    assert!(f.editing);
    assert_eq!(f.hits, want);
    // Typing n in the line types n.
    send(&mut a, key('n'));
    assert_eq!(source_view(&a).find.as_ref().unwrap().line.text, "wen");
    send(&mut a, code(KeyCode::Backspace));
    send(&mut a, code(KeyCode::Enter));
    let f = source_view(&a).find.clone().unwrap();
    assert!(!f.editing);
    let at = f.current;
    // n and N step through the hits, wrapping.
    send(&mut a, key('n'));
    assert_eq!(
        source_view(&a).find.as_ref().unwrap().current,
        (at + 1) % want.len()
    );
    send(&mut a, key('N'));
    assert_eq!(source_view(&a).find.as_ref().unwrap().current, at);
    // The status line shows the search and where we are.
    let status = draw(&a).last().unwrap().clone();
    assert!(status.starts_with("/we"), "{status}");
    assert!(
        status.contains(&format!("{} of {}", at + 1, want.len())),
        "{status}"
    );
    // Esc clears the search (the article stays open); n steps quotes again.
    send(&mut a, code(KeyCode::Esc));
    assert!(source_view(&a).find.is_none());
    let q = source_view(&a).current;
    send(&mut a, key('n'));
    assert_eq!(source_view(&a).current, (q + 1) % 2);
    // Esc again closes the article.
    send(&mut a, code(KeyCode::Esc));
    assert!(a.overlays.is_empty());
}

#[test]
fn source_search_hits_are_marked_on_screen() {
    let mut a = app(120, 30);
    open_source(&mut a);
    send(&mut a, key('/'));
    for m in typed("denmark") {
        send(&mut a, m);
    }
    let mut t = Terminal::new(TestBackend::new(120, 30)).unwrap();
    t.draw(|f| render(&a, f)).unwrap();
    let b = t.backend().buffer().clone();
    let theme = &a.cfg.theme;
    let mut found = false;
    for y in 0..30 {
        let line: String = (0..120).map(|x| b[(x, y)].symbol().to_string()).collect();
        if let Some(x) = line.find("Denmark") {
            let cell = &b[(x as u16, y)];
            assert_eq!(cell.fg, theme.selected.fg.unwrap_or(cell.fg));
            assert!(
                cell.modifier.contains(theme.selected.add_modifier),
                "{:?}",
                cell
            );
            found = true;
        }
    }
    assert!(found, "the hit is on screen");
}

#[test]
fn help_wraps_with_a_hanging_indent_and_says_it_scrolls() {
    let a = app(60, 30);
    let lines = newsline::tui::ui::overlays::help_wrapped(&a, 56);
    let plain: Vec<String> = lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    assert!(plain[0].contains("scrolls"), "{}", plain[0]);
    // The search key's description is long: its second line starts under
    // the description column, not at the left edge.
    let at = plain
        .iter()
        .position(|l| l.trim_start().starts_with("/ ") && l.contains("search words"))
        .unwrap();
    let col = plain[at].find("search words").unwrap();
    let next = &plain[at + 1];
    assert!(next.len() > col, "{next:?}");
    assert!(next[..col].trim().is_empty(), "{next:?}");
    assert!(!next[col..].starts_with(' '), "{next:?}");
    for l in &plain {
        assert!(newsline::tui::text::width(l) <= 56, "{l:?}");
    }
    // R is listed.
    assert!(plain
        .iter()
        .any(|l| l.trim_start().starts_with("R ") && l.contains("feeds")));
    let mut a = app(60, 20);
    a.update(key('?'));
    let screen = draw(&a).join("\n");
    assert!(screen.contains("scrolls"), "{screen}");
    assert!(screen.contains("more"), "{screen}");
}

#[test]
fn the_detail_shows_a_cut_summary_whole_and_marks_the_search() {
    let mut a = app(120, 30);
    let mut d = detail(0);
    d.rec.summary = "Foreign ministers met in Oslo…".into();
    d.full_summary = Some(
        "Foreign ministers met in Oslo on Saturday to discuss fishing quotas, whaling limits and a joint coast guard exercise planned for the northern spring"
            .into(),
    );
    a.update(Msg::Detail(Box::new(d)));
    let screen = draw(&a).join("\n");
    assert!(!screen.contains("Oslo…"), "{screen}");
    assert!(screen.contains("northern"), "{screen}");
    // A search that matches the selected event marks the words in the
    // detail pane as in the row.
    send(&mut a, key('/'));
    for m in typed("quotas") {
        send(&mut a, m);
    }
    let i = a.current().unwrap();
    let mut d = detail(i);
    d.full_summary = None;
    a.update(Msg::Detail(Box::new(d)));
    let mut t = Terminal::new(TestBackend::new(120, 30)).unwrap();
    t.draw(|f| render(&a, f)).unwrap();
    let b = t.backend().buffer().clone();
    let l = a.layout();
    let pane = l.detail.unwrap();
    let marked = marked_lines(&b, pane, "quotas", a.cfg.theme.matched);
    assert!(marked >= 1, "the match is marked in the detail pane");
}

#[test]
fn each_keystroke_lands_on_the_best_match_of_the_longer_query() {
    let mut a = app_on(rows(40), 120, 30);
    send(&mut a, key('/'));
    for m in typed("council") {
        send(&mut a, m);
    }
    assert_eq!(current_id(&a), "r35", "the newest council row first");
    // Results of each keystroke are in before the next: the cursor must
    // follow the longer query, not stay on the shorter one's match.
    for m in typed(" 10") {
        send(&mut a, m);
    }
    assert_eq!(current_id(&a), "r10");
}

#[test]
fn a_country_filter_follows_its_country_when_the_values_are_numbered_anew() {
    // Peru first, then Norway: the country list is numbered in that order.
    let base_rows = vec![
        row(
            "p1",
            "2025-01-01",
            false,
            EventKind::Meet,
            "Lima talks",
            &["PE"],
            &[],
        ),
        row(
            "n1",
            "2025-01-02",
            false,
            EventKind::Meet,
            "Oslo talks",
            &["NO"],
            &[],
        ),
    ];
    let mut a = app_on(base_rows.clone(), 120, 30);
    send(&mut a, key('c'));
    for m in typed("NO") {
        send(&mut a, m);
    }
    send(&mut a, code(KeyCode::Enter));
    send(&mut a, code(KeyCode::Esc));
    assert_eq!(a.view.len(), 1);
    // The new load meets Chile first: every index moves.
    let mut all = vec![row(
        "c1",
        "2024-12-01",
        false,
        EventKind::Meet,
        "Santiago talks",
        &["CL"],
        &[],
    )];
    all.extend(base_rows.clone());
    all.push(row(
        "n2",
        "2025-02-01",
        false,
        EventKind::Meet,
        "Bergen talks",
        &["NO"],
        &[],
    ));
    let new = Arc::new(Data::from_rows(all, &[]));
    let msg = Msg::Reloaded(Box::new(Reload::between(a.data.clone().unwrap(), new)));
    send(&mut a, msg);
    let d = a.data.clone().unwrap();
    let shown: Vec<&str> = a.view.iter().map(|&i| &*d.rows[i as usize].id).collect();
    assert_eq!(shown, vec!["n2", "n1"]);
    let status = draw(&a).last().unwrap().clone();
    assert!(status.contains("[country: NO]"), "{status}");
}
