//! What keeping the open browser current costs when rows arrive: matching
//! the new load to the rows shown (`Reload::between`, on the watcher's
//! thread) and taking it in (`App::update(Msg::Reloaded)`, on the UI
//! thread: marks, results and filters follow their events, the view is
//! rebuilt, the selected row stays on its line). 100 rows are added to
//! stores of 100k and 1M invented events. Medians of 5 runs.
//!
//! `cargo bench --bench live`

use std::sync::Arc;
use std::time::{Duration, Instant};

use newsline::model::EventKind;
use newsline::store::TimelineRow;
use newsline::tui::app::{App, Msg, Prefilter, Reload};
use newsline::tui::data::Data;
use newsline::tui::keymap::Config;

fn rows(n: usize, from: usize) -> Vec<TimelineRow> {
    let codes = ["NO", "PE", "JP", "KE", "BR", "PL"];
    (from..from + n)
        .map(|i| TimelineRow {
            id: format!("ev{i:08}"),
            date_key: format!("{}-{:02}-{:02}", 2000 + i % 25, 1 + i % 12, 1 + i % 28),
            date_value: String::new(),
            approximate: false,
            kind: EventKind::Meet,
            summary: format!("Delegation {i} met counterparts to discuss a harbour agreement"),
            countries: vec![codes[i % codes.len()].to_string()],
            officials: vec![format!("Official {}", i % 5000)],
        })
        .map(|mut r| {
            r.date_value = r.date_key.clone();
            r
        })
        .collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    for n in [100_000usize, 1_000_000] {
        let base = Arc::new(Data::from_rows(rows(n, 0), &[]));
        let mut all = rows(n, 0);
        all.extend(rows(100, n));
        let new = Arc::new(Data::from_rows(all, &[]));
        let (mut matching, mut taking) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            let mut app = App::new(
                Config::default(),
                (120, 40),
                "bench".into(),
                Prefilter::default(),
            );
            app.update(Msg::Loaded(Ok(base.clone())));
            for _ in 0..30 {
                app.update(Msg::Key(ratatui::crossterm::event::KeyEvent::from(
                    ratatui::crossterm::event::KeyCode::Char('j'),
                )));
            }
            let t = Instant::now();
            let r = Reload::between(base.clone(), new.clone());
            matching.push(t.elapsed());
            let t = Instant::now();
            app.update(Msg::Reloaded(Box::new(r)));
            taking.push(t.elapsed());
            assert_eq!(app.view.len(), n + 100);
        }
        println!(
            "{n} events + 100: match on the watcher thread {:?}, take in on the UI thread {:?} (medians of 5)",
            median(matching),
            median(taking)
        );
    }
}
