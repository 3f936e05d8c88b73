//! The browser's stories view without a terminal: invented stories (one
//! reported by three outlets that disagree on the day), the switch to
//! single events and back, the sources in the detail pane, and snapshots
//! of the story timeline and the detail pane.

mod tui_common;

use std::collections::HashMap;
use std::sync::Arc;

use newsline::model::EventKind;
use newsline::store::query::QuoteRecord;
use newsline::store::stories::{Counted, StoryQuote, StoryRecord, StoryRow, StorySource};
use newsline::tui::app::{App, Effect, Msg, Pane};
use newsline::tui::keymap::Config;
use newsline::tui::search::search_all;
use newsline::tui::stories::{Stories, StoryDetail};
use newsline::tui::ui::render;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::Terminal;
use tui_common::*;

/// A story row; `badge` is (sources, whether their dates disagree).
fn srow(
    id: &str,
    date: &str,
    (sources, disagree): (usize, bool),
    kind: EventKind,
    summary: &str,
    c: &[&str],
    o: &[&str],
) -> StoryRow {
    StoryRow {
        id: id.into(),
        date_key: date.into(),
        date_value: date.into(),
        disagreement: disagree,
        kind,
        summary: summary.into(),
        sources,
        events: sources,
        officials: o.iter().map(|s| s.to_string()).collect(),
        countries: c.iter().map(|s| s.to_string()).collect(),
    }
}

/// Four stories; `s-oslo` is told by three outlets, one a day late.
fn stories() -> Arc<Stories> {
    use EventKind::*;
    let mut quotes = HashMap::new();
    quotes.insert(
        "s-oslo".to_string(),
        vec!["We made real progress".to_string()],
    );
    Arc::new(Stories::from_rows(
        vec![
            srow(
                "s-oslo",
                "2024-11-23",
                (3, true),
                Meet,
                "Foreign ministers met in Oslo to discuss fishing quotas",
                &["NO", "IS"],
                &["Eide Barth", "Thora Gylfa"],
            ),
            srow(
                "s-dk",
                "2024-11-24",
                (1, false),
                Criticize,
                "Denmark criticised the plan, saying it left out the islands",
                &["DK"],
                &[],
            ),
            srow(
                "s-tokyo",
                "2024-12-02",
                (2, false),
                Visit,
                "Wang arrived in Tokyo for trilateral talks",
                &["CN", "JP", "KR"],
                &["Iwaya Takeshi"],
            ),
            srow(
                "s-lima",
                "2025-01-14",
                (1, false),
                Protest,
                "Thousands rallied outside parliament demanding early elections",
                &["PE"],
                &[],
            ),
        ],
        quotes,
    ))
}

fn source(
    outlet: &str,
    published: &str,
    event: &str,
    date: &str,
    phrase: &str,
    evidence: &str,
    quotes: &[&str],
) -> StorySource {
    StorySource {
        outlet: Some(outlet.into()),
        title: Some(format!("{outlet}: ministers meet on fishing")),
        published: Some(published.into()),
        url: Some(format!(
            "https://example.org/{}",
            outlet.to_lowercase().replace(' ', "-")
        )),
        article_id: format!("a-{event}"),
        event_id: event.into(),
        evidence: evidence.into(),
        date: date.into(),
        date_phrase: Some(phrase.into()),
        quotes: quotes
            .iter()
            .map(|q| QuoteRecord {
                text: (*q).into(),
                speaker: Some("Eide Barth".into()),
            })
            .collect(),
        evidence_start: 0,
    }
}

/// The Oslo story: three outlets, the third a day late.
fn oslo(index: u32) -> StoryDetail {
    let record = StoryRecord {
        id: "s-oslo".into(),
        date: "2024-11-23".into(),
        date_disagreement: true,
        kind: EventKind::Meet,
        summary: "Foreign ministers met in Oslo to discuss fishing quotas".into(),
        sources: vec![
            source(
                "Example Wire",
                "2024-11-23",
                "e1",
                "2024-11-23",
                "on Saturday",
                "Foreign ministers met in Oslo on Saturday to discuss fishing quotas.",
                &["We made real progress today,"],
            ),
            source(
                "Fjord Times",
                "2024-11-24",
                "e8",
                "2024-11-23",
                "yesterday",
                "The two ministers sat down in Oslo yesterday over the quota dispute.",
                &[
                    "We made real progress today",
                    "The islands are not forgotten",
                ],
            ),
            source(
                "Harbour Post",
                "2024-11-25",
                "e9",
                "2024-11-24",
                "on Sunday",
                "Talks on fishing quotas took place in the Norwegian capital on Sunday.",
                &[],
            ),
        ],
        officials: vec![
            Counted {
                name: "Eide Barth".into(),
                sources: 3,
            },
            Counted {
                name: "Thora Gylfa".into(),
                sources: 1,
            },
        ],
        countries: vec![
            Counted {
                name: "NO".into(),
                sources: 3,
            },
            Counted {
                name: "IS".into(),
                sources: 2,
            },
        ],
        quotes: vec![
            StoryQuote {
                text: "We made real progress today,".into(),
                speaker: Some("Eide Barth".into()),
                sources: 2,
            },
            StoryQuote {
                text: "The islands are not forgotten".into(),
                speaker: Some("Eide Barth".into()),
                sources: 1,
            },
        ],
        events: vec!["e1".into(), "e8".into(), "e9".into()],
        date_key: "2024-11-23".into(),
    };
    StoryDetail::new(index, record)
}

/// Index of story `id` in the stories' rows.
fn at(s: &Stories, id: &str) -> u32 {
    s.data.rows.iter().position(|r| &*r.id == id).unwrap() as u32
}

/// An app as the loader fills it: the stories, then the events (which
/// wait), oldest first, the cursor on the Oslo story with its detail in.
fn story_app(w: u16, h: u16) -> App {
    let mut a = App::new(
        Config::default(),
        (w, h),
        "test store".into(),
        Default::default(),
    );
    a.order = newsline::tui::app::Order::Oldest;
    let s = stories();
    a.update(Msg::Stories {
        stories: s.clone(),
        preview: false,
    });
    a.update(Msg::Loaded(Ok(data())));
    a.update(Msg::StoryDetail(Box::new(oslo(at(&s, "s-oslo")))));
    a
}

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

fn status(a: &App) -> String {
    let s = text(&draw(a));
    s.lines().last().unwrap_or("").to_string()
}

/// Runs the searches an update asked for.
fn settle(a: &mut App, fx: Vec<Effect>) {
    for e in fx {
        if let Effect::Search(q) = e {
            let h = search_all(a.data.as_ref().unwrap(), &q);
            let more = a.update(Msg::Searched(h));
            settle(a, more);
        }
    }
}

#[test]
fn stories_are_shown_first_and_the_events_wait() {
    let a = story_app(140, 36);
    assert!(a.stories_shown());
    assert_eq!(a.data.as_ref().map(|d| d.len()), Some(4));
    assert!(status(&a).starts_with("4 of 4 stories"), "{}", status(&a));
}

#[test]
fn a_store_without_stories_shows_its_events() {
    let mut a = App::new(
        Config::default(),
        (120, 30),
        "test store".into(),
        Default::default(),
    );
    a.update(Msg::Stories {
        stories: Arc::new(Stories::default()),
        preview: false,
    });
    a.update(Msg::Loaded(Ok(data())));
    assert!(!a.stories_shown());
    assert!(status(&a).starts_with("7 of 7 events"), "{}", status(&a));
    // v says why it cannot switch.
    a.update(key('v'));
    assert!(!a.stories_shown());
    assert!(a.note.as_deref().unwrap_or("").contains("restory"));
}

#[test]
fn v_switches_to_events_and_back_keeping_the_filters() {
    let mut a = story_app(140, 36);
    // Pick Norway among the stories' countries.
    a.update(key('c'));
    for m in typed("Norway") {
        a.update(m);
    }
    a.update(code(KeyCode::Enter));
    a.update(code(KeyCode::Esc));
    assert_eq!(a.view.len(), 1);
    let fx = a.update(key('v'));
    assert!(!a.stories_shown());
    // Norway's events: e1 and e2; the cursor is asked for the detail.
    assert_eq!(a.view.len(), 2);
    assert!(status(&a).starts_with("2 of 7 events [country: NO]"));
    assert!(fx.iter().any(|f| matches!(f, Effect::LoadDetail(_))));
    // The Oslo story's first source was event e1: the cursor is on it.
    let d = a.data.clone().unwrap();
    assert_eq!(&*d.rows[a.current().unwrap() as usize].id, "e1");
    // Back to stories: the story of the event is looked up.
    let fx = a.update(key('v'));
    assert!(a.stories_shown());
    assert!(status(&a).starts_with("1 of 4 stories [country: NO]"));
    assert!(fx.contains(&Effect::FindStory("e1".into())));
    a.update(Msg::StoryOf("s-oslo".into()));
    let d = a.data.clone().unwrap();
    assert_eq!(&*d.rows[a.current().unwrap() as usize].id, "s-oslo");
}

/// The count the open picker shows for `name`.
fn picked_count(a: &App, name: &str) -> Option<usize> {
    let s = text(&draw(a));
    let re = regex::Regex::new(&format!(r"\[ \] {name}\s+(\d+)│")).ok()?;
    re.captures(&s)?[1].parse().ok()
}

#[test]
fn search_and_pickers_count_what_is_shown() {
    let mut a = story_app(140, 36);
    // A quote of the story is searched with it.
    a.update(key('/'));
    let mut fx = Vec::new();
    for m in typed("real progress") {
        fx = a.update(m);
    }
    settle(&mut a, fx);
    let hits = a.search.hits.clone().unwrap();
    assert_eq!(hits.ranked.len(), 1);
    a.update(code(KeyCode::Esc));
    // The official picker counts stories: Eide Barth is in one story
    // (and in two events).
    a.update(key('o'));
    assert_eq!(picked_count(&a, "Eide Barth"), Some(1));
    a.update(code(KeyCode::Esc));
    a.update(key('v'));
    a.update(key('o'));
    assert_eq!(picked_count(&a, "Eide Barth"), Some(2));
}

#[test]
fn a_search_marks_its_words_in_the_story_detail() {
    let mut a = story_app(140, 36);
    a.update(key('/'));
    let mut fx = Vec::new();
    for m in typed("quotas") {
        fx = a.update(m);
    }
    settle(&mut a, fx);
    a.update(code(KeyCode::Enter));
    // The cursor is on the Oslo story; its detail is shown again.
    let i = at(&stories(), "s-oslo");
    assert_eq!(a.current(), Some(i));
    a.update(Msg::StoryDetail(Box::new(oslo(i))));
    let b = draw(&a);
    let pane = a.layout().detail.unwrap();
    let marked = marked_lines(&b, pane, "quotas", a.cfg.theme.matched);
    // The summary, and the evidence of two sources.
    assert!(marked >= 2, "the matches are marked in the story's detail");
}

#[test]
fn j_and_k_choose_a_source_and_enter_opens_it_at_the_evidence() {
    let mut a = story_app(140, 36);
    let story = a.current().unwrap();
    // On the timeline j moves between stories; in the detail between sources.
    a.update(code(KeyCode::Tab));
    assert_eq!(a.focus, Pane::Detail);
    a.update(key('j'));
    a.update(key('j'));
    a.update(key('j'));
    assert_eq!(a.story_source(), 2);
    a.update(key('k'));
    assert_eq!(a.story_source(), 1);
    assert_eq!(a.current(), Some(story));
    let fx = a.update(code(KeyCode::Enter));
    assert!(fx.contains(&Effect::OpenStorySource {
        index: story,
        event_id: "e8".into(),
    }));
    // Opening a source reads the story (all its events are marked).
    assert!(fx
        .iter()
        .any(|f| matches!(f, Effect::SaveStoryMark { id, read: true, .. } if &**id == "s-oslo")));
    // The article arrives: the view lands on the evidence sentence.
    let mut doc = tui_common::source(story, None);
    let long = format!("{}{}", "Earlier paragraph.\n\n".repeat(60), doc.text);
    let shift = long.len() - doc.text.len();
    doc.text = long;
    doc.evidence.start += shift;
    doc.evidence.end += shift;
    for q in &mut doc.quotes {
        q.start += shift;
        q.end += shift;
    }
    a.update(Msg::StorySource(Box::new(doc)));
    let s = text(&draw(&a));
    assert!(
        s.contains("OSLO (Example Wire) - Foreign ministers met"),
        "{s}"
    );
    // b opens the chosen source's link.
    let fx = a.update(key('b'));
    assert_eq!(
        fx,
        vec![Effect::OpenLink("https://example.org/fjord-times".into())]
    );
}

#[test]
fn the_story_timeline_marks_sources_and_disagreement() {
    let a = story_app(140, 36);
    let s = text(&draw(&a));
    let row = s
        .lines()
        .find(|l| l.contains("Foreign ministers met") && l.contains("2024-11-23"))
        .unwrap();
    assert!(
        row.contains("≠2024-11-23") && row.contains("3 src"),
        "{row}"
    );
    let single = s
        .lines()
        .find(|l| l.contains("Denmark criticised"))
        .unwrap();
    assert!(!single.contains("src"), "{single}");
}

#[test]
fn story_snapshots() {
    for (w, h) in [(140, 36), (90, 30), (44, 14)] {
        let a = story_app(w, h);
        insta::assert_snapshot!(format!("story_timeline_{w}x{h}"), text(&draw(&a)));
        let mut d = story_app(w, h);
        d.update(code(KeyCode::Tab));
        d.update(key('j'));
        insta::assert_snapshot!(format!("story_detail_{w}x{h}"), text(&draw(&d)));
    }
}

#[test]
fn every_size_renders_stories() {
    let mut t = Terminal::new(TestBackend::new(1, 1)).unwrap();
    for w in 1..=120u16 {
        for h in 1..=40u16 {
            let mut a = story_app(w, h);
            if (w + h) % 3 == 0 {
                a.update(code(KeyCode::Tab));
                a.update(key('j'));
                a.update(key('j'));
            }
            t.backend_mut().resize(w, h);
            t.draw(|f| render(&a, f)).unwrap();
        }
    }
}

/// The demo's stories in a store of their own, with the browser's runtime.
#[test]
fn on_the_demo_store_marks_export_and_lookups_go_by_story() {
    use newsline::store::Store;
    use newsline::tui::Runtime;
    let dir = tempfile::tempdir().unwrap();
    let (path, _) =
        newsline::tui::demo::build_store(dir.path(), newsline::tui::demo::FILES).unwrap();
    let store = Store::open_existing(&path).unwrap();
    let s = Arc::new(newsline::tui::stories::load(&store).unwrap());
    assert!(!s.data.is_empty());
    // The story with the most sources: three or more, dates disputed.
    let (i, info) = s
        .info
        .iter()
        .enumerate()
        .max_by_key(|(_, x)| x.sources)
        .unwrap();
    assert!(info.sources >= 3, "{info:?}");
    let id = s.data.rows[i].id.to_string();
    let events = store.story_event_ids(&id).unwrap();
    assert!(events.len() >= 3);
    assert_eq!(store.story_of_event(&events[0]).unwrap(), Some(id.clone()));
    // Its detail lists its sources, one per article.
    let d = newsline::tui::stories::load_detail(&store, i as u32, &id)
        .unwrap()
        .unwrap();
    assert_eq!(d.sources.len(), info.sources as usize);

    // The browser on these stories: m marks the story, which the store
    // keeps on every one of its events.
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut rt = Runtime::new(path.clone(), tx);
    let mut a = App::new(
        Config::default(),
        (120, 40),
        "demo".into(),
        Default::default(),
    );
    a.update(Msg::Stories {
        stories: s.clone(),
        preview: false,
    });
    let at = a.view.iter().position(|&x| x as usize == i).unwrap();
    a.cursor = at;
    let fx = a.update(key('m'));
    assert_eq!(
        fx,
        vec![Effect::SaveStoryMark {
            id: id.clone().into(),
            read: true,
            starred: false
        }]
    );
    for f in fx {
        assert!(rt.perform(&a, f).is_none());
    }
    let marked: Vec<String> = store.marks().unwrap().into_iter().map(|m| m.0).collect();
    assert!(events.iter().all(|e| marked.contains(e)), "{marked:?}");
    assert_eq!(
        store.story_marks().unwrap(),
        vec![(id.clone(), true, false)]
    );
    // A reload reads the mark back by story.
    let again = newsline::tui::stories::load(&store).unwrap();
    assert_eq!(again.marks, vec![(i as u32, true, false)]);

    // Exporting a view of stories writes their events.
    let out = dir.path().join("view.csv");
    let back = rt.perform(
        &a,
        Effect::Export {
            path: out.display().to_string(),
            events: Arc::new(vec![i as u32]),
        },
    );
    let note = format!("{back:?}");
    assert!(
        note.contains(&format!("wrote {} events", events.len())),
        "{note}"
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(events.iter().all(|e| csv.contains(e.as_str())), "{csv}");
}

#[test]
fn a_story_with_too_many_sources_shows_its_row_only() {
    let s = Arc::new(Stories::from_rows(
        vec![srow(
            "s-huge",
            "2024-11-23",
            (100_000, false),
            EventKind::Meet,
            "Ministers met",
            &["NO"],
            &["Eide Barth"],
        )],
        HashMap::new(),
    ));
    let d = StoryDetail::from_row(&s.data, 0, s.info(0).unwrap()).unwrap();
    assert_eq!(d.too_many, Some(100_000));
    let mut a = App::new(Config::default(), (120, 30), "t".into(), Default::default());
    a.update(Msg::Stories {
        stories: s,
        preview: false,
    });
    a.update(Msg::StoryDetail(Box::new(d)));
    let t = text(&draw(&a));
    assert!(t.contains("100000 sources: too many to list"), "{t}");
    assert!(t.contains("Eide Barth"), "{t}");
}

#[test]
fn the_loader_sends_stories_first_and_says_when_events_are_in_none() {
    use newsline::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let (path, _) =
        newsline::tui::demo::build_store(dir.path(), newsline::tui::demo::FILES).unwrap();
    let collect = |path: &std::path::Path| {
        let (tx, rx) = std::sync::mpsc::channel();
        newsline::tui::spawn_loader(path.to_path_buf(), tx);
        let mut got = Vec::new();
        while let Ok(m) = rx.recv_timeout(std::time::Duration::from_secs(20)) {
            let done = matches!(m, Msg::Loaded(_));
            got.push(m);
            if done {
                break;
            }
        }
        got
    };
    let got = collect(&path);
    let kinds: Vec<&str> = got
        .iter()
        .map(|m| match m {
            Msg::Stories { preview: true, .. } => "preview",
            Msg::Stories { preview: false, .. } => "stories",
            Msg::Loaded(_) => "events",
            Msg::Note(_) => "note",
            _ => "other",
        })
        .filter(|k| *k != "other")
        .collect();
    assert_eq!(kinds, ["preview", "stories", "events"]);
    // One event taken out of its story: the loader says so.
    let s = Store::open_existing(&path).unwrap();
    s.connection()
        .execute(
            "DELETE FROM story_events WHERE event_seq = (SELECT min(event_seq) FROM story_events)",
            [],
        )
        .unwrap();
    drop(s);
    let got = collect(&path);
    assert!(got
        .iter()
        .any(|m| matches!(m, Msg::Note(n) if n == newsline::tui::LOOSE_NOTICE)));
}
