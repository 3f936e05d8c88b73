//! Shared fixtures for the TUI tests (included with `mod`): invented
//! events, a detail and an article, no store needed.

#![allow(dead_code)]

use std::sync::Arc;

use newsline::model::EventKind;
use newsline::span::Span;
use newsline::store::query::{ArticleRef, DateRecord, QuoteRecord};
use newsline::store::{EventRecord, TimelineRow};
use newsline::tui::app::{App, Detail, Msg, OfficialInfo, Prefilter, QuoteInfo, SourceDoc};
use newsline::tui::data::Data;
use newsline::tui::keymap::Config;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub fn row(
    id: &str,
    date: &str,
    approx: bool,
    kind: EventKind,
    summary: &str,
    c: &[&str],
    o: &[&str],
) -> TimelineRow {
    TimelineRow {
        id: id.into(),
        date_key: date.into(),
        date_value: date.into(),
        approximate: approx,
        kind,
        summary: summary.into(),
        countries: c.iter().map(|s| s.to_string()).collect(),
        officials: o.iter().map(|s| s.to_string()).collect(),
    }
}

pub fn data() -> Arc<Data> {
    use EventKind::*;
    Arc::new(Data::from_rows(
        vec![
            row(
                "e1",
                "2024-11-23",
                false,
                Meet,
                "Foreign ministers met in Oslo to discuss fishing quotas",
                &["NO", "IS"],
                &["Eide Barth", "Thora Gylfa"],
            ),
            row(
                "e2",
                "2024-11-23",
                false,
                Statement,
                "Eide said talks would resume in January",
                &["NO"],
                &["Eide Barth"],
            ),
            row(
                "e3",
                "2024-11-24",
                true,
                Criticize,
                "Denmark criticised the plan, saying it left out the islands",
                &["DK"],
                &[],
            ),
            row(
                "e4",
                "2024-12-02",
                false,
                Visit,
                "王毅 arrived in Tokyo for trilateral talks 🙂",
                &["CN", "JP", "KR"],
                &["王毅", "Iwaya Takeshi"],
            ),
            row(
                "e5",
                "2024-12-02",
                false,
                Statement,
                "Iwaya said Japan would press for a new hotline",
                &["JP"],
                &["Iwaya Takeshi"],
            ),
            row(
                "e6",
                "2025-01-14",
                false,
                Protest,
                "Thousands rallied outside parliament demanding early elections",
                &["PE"],
                &[],
            ),
            row(
                "e7",
                "2025-01-20",
                true,
                Reject,
                "The prime minister rejected calls for early elections",
                &["PE"],
                &["Adrian Gustavo"],
            ),
        ],
        &[
            vec!["We made real progress".into()],
            vec![],
            vec![],
            vec!["Dialogue is the only path".into()],
            vec!["We must avoid accidents at sea".into()],
            vec![],
            vec![],
        ],
    ))
}

pub const ARTICLE: &str = "OSLO (Example Wire) - Foreign ministers met in Oslo on Saturday to discuss fishing quotas.\n\n\"We made real progress today,\" Eide told reporters. \"We will meet again,\" he added.\n\nDenmark criticised the plan.";

pub fn detail(index: u32) -> Detail {
    let q1 = ARTICLE.find("\"We made").unwrap();
    let q1e = q1 + "\"We made real progress today,\"".len();
    let q2 = ARTICLE.find("\"We will").unwrap();
    let q2e = q2 + "\"We will meet again,\"".len();
    Detail {
        index,
        rec: EventRecord {
            id: "e1".into(),
            kind: EventKind::Meet,
            date: DateRecord {
                value: "2024-11-23".into(),
                approximate: false,
            },
            date_key: "2024-11-23".into(),
            summary: "Foreign ministers met in Oslo to discuss fishing quotas".into(),
            countries: vec!["NO".into(), "IS".into()],
            officials: vec!["Eide Barth".into(), "Thora Gylfa".into()],
            location: Some("Oslo".into()),
            quotes: vec![
                QuoteRecord {
                    text: "We made real progress today,".into(),
                    speaker: Some("Eide Barth".into()),
                },
                QuoteRecord {
                    text: "We will meet again,".into(),
                    speaker: Some("Eide Barth".into()),
                },
            ],
            article: ArticleRef {
                id: "a1".into(),
                title: Some("Ministers meet on fishing".into()),
                source: Some("Example Wire".into()),
                published: Some("2024-11-25".into()),
                path: None,
                url: None,
            },
            evidence: Span { start: 0, end: 89 },
        },
        officials: vec![
            OfficialInfo {
                name: "Eide Barth".into(),
                title: Some("Foreign Minister".into()),
                country: Some("NO".into()),
            },
            OfficialInfo {
                name: "Thora Gylfa".into(),
                title: None,
                country: Some("IS".into()),
            },
        ],
        quotes: vec![
            QuoteInfo {
                text: "We made real progress today,".into(),
                speaker: Some("Eide Barth".into()),
                span: Span {
                    start: q1,
                    end: q1e,
                },
            },
            QuoteInfo {
                text: "We will meet again,".into(),
                speaker: Some("Eide Barth".into()),
                span: Span {
                    start: q2,
                    end: q2e,
                },
            },
        ],
        published_from: Some("dateline".into()),
        phrase: Some("on Saturday".into()),
        full_summary: None,
    }
}

pub fn source(index: u32, quote: Option<usize>) -> SourceDoc {
    let d = detail(index);
    SourceDoc {
        index,
        title: "Ministers meet on fishing".into(),
        byline: "Example Wire · 2024-11-25".into(),
        url: None,
        text: ARTICLE.into(),
        evidence: d.rec.evidence,
        quotes: d.quotes.iter().map(|q| q.span).collect(),
        start_quote: quote,
    }
}

/// An app with the fixture loaded, oldest first (the order these tests
/// were written for), and the first event's detail in.
pub fn app(w: u16, h: u16) -> App {
    let mut a = App::new(
        Config::default(),
        (w, h),
        "test store".into(),
        Prefilter::default(),
    );
    a.order = newsline::tui::app::Order::Oldest;
    a.update(Msg::Loaded(Ok(data())));
    a.update(Msg::Detail(Box::new(detail(0))));
    a
}

pub fn key(c: char) -> Msg {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Msg::Key(KeyEvent::new_with_kind(
        KeyCode::Char(c),
        m,
        KeyEventKind::Press,
    ))
}

pub fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new_with_kind(
        c,
        KeyModifiers::NONE,
        KeyEventKind::Press,
    ))
}

pub fn typed(s: &str) -> Vec<Msg> {
    s.chars().map(key).collect()
}

/// An app as a user gets it: the default order (newest first).
pub fn app_default(w: u16, h: u16) -> App {
    let mut a = App::new(
        Config::default(),
        (w, h),
        "test store".into(),
        Prefilter::default(),
    );
    a.update(Msg::Loaded(Ok(data())));
    a
}

/// How many lines of `pane` in `buf` hold `word` with its first cell drawn
/// in the search's match style (`style`): what a reader sees marked.
pub fn marked_lines(
    buf: &ratatui::buffer::Buffer,
    pane: ratatui::layout::Rect,
    word: &str,
    style: ratatui::style::Style,
) -> usize {
    (pane.y..pane.bottom())
        .filter(|&y| {
            let line: String = (pane.x..pane.right())
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            line.find(word).is_some_and(|at| {
                let cell = &buf[(pane.x + line[..at].chars().count() as u16, y)];
                cell.modifier.contains(style.add_modifier) && cell.fg == style.fg.unwrap_or(cell.fg)
            })
        })
        .count()
}
