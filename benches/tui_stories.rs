//! The browser with stories on (a plain binary: `cargo bench --bench
//! tui_stories`).
//!
//! On a generated store (1M events by default; TUI_STORIES_BENCH_EVENTS
//! sets another size) with its stories built (`restory`), kept under
//! target/bench-stores between runs:
//! 1. start to first frame (<= 100 ms), to the first screen of story rows
//!    (<= 100 ms), to all stories loaded and searchable (<= 1 s at 1M), and
//!    to the events loaded behind them (for `v`);
//! 2. keystroke to the first screen of ranked stories, partial allowed
//!    (<= 16 ms), and to the full ranking;
//! 3. one frame with a story's detail at several sizes (<= 2 ms);
//! 4. a story's detail read from the store (what `j` on the timeline asks
//!    for).
//!
//! Prints medians.

mod common;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{cpu, median, ms};

use newsline::store::{Store, StoreError};
use newsline::tui::app::{App, Msg};
use newsline::tui::data::snapshot;
use newsline::tui::search::{Query, Worker};
use newsline::tui::stories::{self, Stories};
use newsline::tui::{spawn_loader, ui};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn store_of(n: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-stores");
    let path = dir.join(format!("tui-stories-{n}.db"));
    if !path.exists() {
        let _ = std::fs::create_dir_all(&dir);
        let tmp = dir.join(format!("tui-stories-{n}.tmp.db"));
        let _ = std::fs::remove_file(&tmp);
        let t = Instant::now();
        let mut s = Store::open(&tmp).expect("open bench store");
        newsline::store::generate::generate(&mut s, n, 42).expect("generate");
        let stats = s.rebuild_stories(&mut |_, _, _| {}).expect("restory");
        drop(s);
        std::fs::rename(&tmp, &path).expect("rename bench store");
        println!(
            "  (generated {n} events in {} stories in {:.1} s)",
            stats.stories,
            t.elapsed().as_secs_f64()
        );
    } else if let Err(StoreError::NeedsUpgrade { found, .. }) = Store::open_read_only(&path) {
        // A store kept from an older version is brought to this one's
        // schema first (the browser's load asks for it), timed.
        let t = Instant::now();
        let c = cpu();
        let s = Store::open(&path).expect("upgrade bench store");
        let v = s.schema_version().expect("schema version");
        drop(s);
        println!(
            "  (upgraded the store from schema {found} to {v} in {:.1} s, {:.1} s of CPU)",
            t.elapsed().as_secs_f64(),
            (cpu() - c).as_secs_f64()
        );
    }
    path
}

/// (first frame, first story rows on screen, all stories in, events in,
/// CPU to all stories in).
fn first_frame(path: &Path) -> (Duration, Duration, Duration, Duration, Duration) {
    let t = Instant::now();
    let c = cpu();
    let (tx, rx) = mpsc::channel();
    spawn_loader(path.to_path_buf(), tx);
    let mut app = App::new(
        Default::default(),
        (160, 48),
        "bench".into(),
        Default::default(),
    );
    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    term.draw(|f| ui::render(&app, f)).expect("draw");
    let first = t.elapsed();
    let (mut rows, mut all, mut all_cpu) = (None, None, None);
    while let Ok(m) = rx.recv() {
        let story = matches!(&m, Msg::Stories { .. });
        let events = matches!(&m, Msg::Loaded(_));
        app.update(m);
        if story && app.stories_shown() {
            term.draw(|f| ui::render(&app, f)).expect("draw");
            if rows.is_none() {
                rows = Some(t.elapsed());
            } else if !app.preview {
                all = Some(t.elapsed());
                all_cpu = Some(cpu() - c);
            }
        }
        if events {
            break;
        }
    }
    (
        first,
        rows.unwrap_or_default(),
        all.unwrap_or_default(),
        t.elapsed(),
        all_cpu.unwrap_or_default(),
    )
}

fn typing(s: &Arc<Stories>, queries: &[&str]) -> (Vec<Duration>, Vec<Duration>) {
    let (tx, rx) = mpsc::channel();
    let worker = Worker::spawn(s.data.clone(), tx, Msg::Searched);
    let all = Arc::new((0..s.data.len() as u32).collect::<Vec<u32>>());
    let mut app = App::new(
        Default::default(),
        (160, 48),
        "bench".into(),
        Default::default(),
    );
    app.update(Msg::Stories {
        stories: s.clone(),
        preview: false,
    });
    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    let (mut firsts, mut fulls) = (Vec::new(), Vec::new());
    for (g, q) in queries.iter().enumerate() {
        let gen = g as u64 + 1;
        app.search.gen = gen;
        app.search.query = q.to_string();
        let t = Instant::now();
        worker.submit(Query {
            gen,
            text: q.to_string(),
            candidates: all.clone(),
        });
        let mut first = None;
        while let Ok(Msg::Searched(h)) = rx.recv() {
            let partial = h.partial;
            app.update(Msg::Searched(h));
            if first.is_none() {
                term.draw(|f| ui::render(&app, f)).expect("draw");
                first = Some(t.elapsed());
            }
            if !partial {
                break;
            }
        }
        fulls.push(t.elapsed());
        firsts.push(first.unwrap_or_default());
    }
    (firsts, fulls)
}

fn main() {
    let n: usize = std::env::var("TUI_STORIES_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    println!("== {n} events, stories on");
    let path = store_of(n);
    // The first start after the store changed loads it from SQLite and
    // saves copies of the stories and the events (`tui::data::snapshot`);
    // later starts read the copies. Both are measured.
    let copies = [
        snapshot::path_for(&path, snapshot::Kind::Stories),
        snapshot::path_for(&path, snapshot::Kind::Events),
    ];
    for c in &copies {
        let _ = std::fs::remove_file(c);
    }
    let (f, r, a, e, c) = first_frame(&path);
    println!(
        "  first start after a change (no saved copies): first frame {}, first screen of story rows {}, all stories loaded and searchable {} wall, {} CPU; events loaded behind them {}",
        ms(f),
        ms(r),
        ms(a),
        ms(c),
        ms(e)
    );
    let t = Instant::now();
    while !copies.iter().all(|c| c.exists()) && t.elapsed() < Duration::from_secs(180) {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    let (mut firsts, mut rows, mut alls, mut events) = (vec![], vec![], vec![], vec![]);
    let mut all_cpus = vec![];
    for _ in 0..3 {
        let (f, r, a, e, c) = first_frame(&path);
        firsts.push(f);
        rows.push(r);
        alls.push(a);
        events.push(e);
        all_cpus.push(c);
    }
    println!(
        "  start -> first frame: median {} (target <= 100 ms); first screen of story rows: {} (target <= 100 ms); all stories loaded and searchable: {} wall, {} CPU (target <= 1 s at 1M); events loaded behind them: {} (from the saved copies)",
        ms(median(firsts)),
        ms(median(rows)),
        ms(median(alls)),
        ms(median(all_cpus)),
        ms(median(events))
    );

    let store = Store::open_existing(&path).expect("open");
    let s = Arc::new(stories::load(&store).expect("load stories"));
    println!("  {} stories", s.data.len());
    let queries = ["m", "mi", "min", "mini", "minister", "tanaka", "kyiv talks"];
    let (firsts, fulls) = typing(&s, &queries);
    println!(
        "  search keystroke -> first ranked screen: median {} (target <= 16 ms); full ranking: median {}",
        ms(median(firsts)),
        ms(median(fulls))
    );

    // A story's detail: the first stories of a spread of days.
    let step = (s.data.len() / 50).max(1);
    let mut reads = Vec::new();
    let mut details = Vec::new();
    for k in 0..50 {
        let i = (k * step).min(s.data.len().saturating_sub(1));
        let id = s.data.rows[i].id.clone();
        let t = Instant::now();
        // As the browser does: a story with too many sources shows its row.
        let info = s.info(i as u32).unwrap_or_default();
        if info.sources > stories::MAX_LISTED_SOURCES {
            details.extend(stories::StoryDetail::from_row(&s.data, i as u32, info));
        } else if let Ok(Some(d)) = stories::load_detail(&store, i as u32, &id) {
            details.push(d);
        }
        reads.push(t.elapsed());
    }
    println!(
        "  story detail from the store: median {}",
        ms(median(reads))
    );

    for (w, h) in [(80, 24), (160, 48), (250, 70)] {
        let mut app = App::new(
            Default::default(),
            (w, h),
            "bench".into(),
            Default::default(),
        );
        app.update(Msg::Stories {
            stories: s.clone(),
            preview: false,
        });
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        let mut xs = Vec::new();
        for d in details.iter().cycle().take(200) {
            app.cursor = app.view.iter().position(|&i| i == d.index).unwrap_or(0);
            app.top = app.cursor;
            app.update(Msg::StoryDetail(Box::new(d.clone())));
            let t = Instant::now();
            term.draw(|f| ui::render(&app, f)).expect("draw");
            xs.push(t.elapsed());
        }
        println!(
            "  frame {w}x{h} with a story's detail: median {} (target <= 2 ms)",
            ms(median(xs))
        );
    }
}
