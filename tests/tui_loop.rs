//! A scripted run of the real loop: messages through the same channel and
//! loop function the terminal uses, drawn on a TestBackend, with a real
//! store behind the effects (details, article, search worker).

mod tui_common;

use std::sync::mpsc;
use std::sync::Arc;

use newsline::store::Store;
use newsline::tui::app::{App, Msg, Overlay};
use newsline::tui::{data, run_loop, Runtime};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::Terminal;
use tui_common::*;

#[test]
fn scripted_session_over_a_generated_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path).unwrap();
    newsline::store::generate::generate(&mut store, 500, 3).unwrap();
    let loaded = Arc::new(data::load(&store, |_, _| {}).unwrap());
    drop(store);

    let (tx, rx) = mpsc::channel();
    let mut app = App::new(
        Default::default(),
        (120, 40),
        "s".into(),
        Default::default(),
    );
    let mut rt = Runtime::new(path.clone(), tx.clone());
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();

    // Keys before the data arrives work (nothing to move yet).
    tx.send(key('j')).unwrap();
    tx.send(Msg::Progress(1, 2)).unwrap();
    tx.send(Msg::Loaded(Ok(loaded.clone()))).unwrap();
    for m in [key('j'), key('j'), code(KeyCode::Tab), code(KeyCode::Enter)] {
        tx.send(m).unwrap();
    }
    // One pass of the loop handles everything queued; `q` on the source view
    // closes it, the second `q` quits.
    tx.send(key('q')).unwrap();
    tx.send(key('/')).unwrap();
    for m in typed("minister") {
        tx.send(m).unwrap();
    }
    run_loop_until_idle(&mut term, &mut app, &mut rt, &rx, &tx);
    assert!(
        app.detail.is_some(),
        "the detail was fetched from the store"
    );
    assert_eq!(app.detail.as_ref().unwrap().index, app.current().unwrap());
    assert!(app.overlays.is_empty());
    // The search worker answered through the same queue.
    let h = app.search.hits.clone().expect("search results");
    assert!(!h.ranked.is_empty());
    let screen = format!("{:?}", term.backend().buffer());
    assert!(screen.contains("/minister"));

    // Open the article from the detail pane: the real store's text.
    tx.send(code(KeyCode::Esc)).unwrap();
    tx.send(key('s')).unwrap();
    run_loop_until_idle(&mut term, &mut app, &mut rt, &rx, &tx);
    let Some(Overlay::Source(v)) = app.overlays.last() else {
        panic!("source view open: {:?}", app.error)
    };
    assert!(!v.doc.text.is_empty());
    tx.send(key('q')).unwrap();
    tx.send(key('q')).unwrap();
    run_loop(&mut term, &mut app, &mut rt, &rx).unwrap();
    assert!(app.quit);
}

/// Runs the loop until the queue stays empty for a moment (search results
/// come from a worker thread), by queueing a marker and a quit that the
/// test then undoes.
fn run_loop_until_idle(
    term: &mut Terminal<TestBackend>,
    app: &mut App,
    rt: &mut Runtime,
    rx: &mpsc::Receiver<Msg>,
    tx: &mpsc::Sender<Msg>,
) {
    for _ in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(300));
        // Ctrl-C quits from any mode without changing other state.
        tx.send(Msg::Key(ratatui::crossterm::event::KeyEvent::new(
            KeyCode::Char('c'),
            ratatui::crossterm::event::KeyModifiers::CONTROL,
        )))
        .unwrap();
        run_loop(term, app, rt, rx).unwrap();
        app.quit = false;
    }
}
