//! Browser benchmarks (a plain binary: `cargo bench --bench tui`).
//!
//! On generated stores of 100k and 1M events (kept under target/ between
//! runs, made with `store::generate`):
//! 1. start to first frame, with the store loading behind it (<= 100 ms),
//!    to the first screen of rows from the date index (<= 100 ms at 1M),
//!    and to a searchable store (<= 1 s at 1M);
//! 2. keystroke to the first screen of ranked results, partial allowed
//!    (<= 16 ms), and to the full ranking (<= 50 ms at 100k);
//! 3. one frame render at several sizes (<= 2 ms);
//! 4. resident memory per loaded event beyond its text (<= 1 KB);
//! 5. `stats` (<= 300 ms at 1M) and `list --search` through the binary
//!    (<= 2 s and 200 MB at 1M; needs `cargo build --release` first).
//!
//! Prints medians. Set TUI_BENCH_SIZES=100000 to skip the 1M store.

mod common;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{cpu, median, ms};

use newsline::store::Store;
use newsline::tui::app::{App, Msg};
use newsline::tui::data::{self, snapshot, Data};
use newsline::tui::search::{Query, Worker};
use newsline::tui::{spawn_loader, ui};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// This process's private resident memory (RssAnon): the store's pages
/// that a read-only connection maps are page cache, not the browser's.
fn rss_bytes() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("RssAnon:"))?;
            line.split_whitespace().nth(1)?.parse::<usize>().ok()
        })
        .map_or(0, |kb| kb * 1024)
}

fn store_of(n: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-stores");
    let path = dir.join(format!("tui-{n}.db"));
    if !path.exists() {
        let _ = std::fs::create_dir_all(&dir);
        let tmp = dir.join(format!("tui-{n}.tmp.db"));
        let _ = std::fs::remove_file(&tmp);
        let t = Instant::now();
        let mut s = Store::open(&tmp).expect("open bench store");
        newsline::store::generate::generate(&mut s, n, 42).expect("generate");
        drop(s);
        std::fs::rename(&tmp, &path).expect("rename bench store");
        println!(
            "  (generated {n} events in {:.1} s)",
            t.elapsed().as_secs_f64()
        );
    }
    path
}

fn first_frame(path: &Path) -> (Duration, Duration, Duration, Duration) {
    let c = cpu();
    let t = Instant::now();
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
    let mut rows = None;
    while let Ok(m) = rx.recv() {
        let done = matches!(m, Msg::Loaded(_));
        let preview = matches!(m, Msg::Preview(_));
        app.update(m);
        if preview || (done && rows.is_none()) {
            term.draw(|f| ui::render(&app, f)).expect("draw");
            rows = Some(t.elapsed());
        }
        if done {
            break;
        }
    }
    (first, rows.unwrap_or_default(), t.elapsed(), cpu() - c)
}

/// Waits (up to two minutes) until the browser's loader, which goes on
/// after the rows are shown, has written every one of `copies`.
fn wait_for(copies: &[PathBuf]) {
    let t = Instant::now();
    while !copies.iter().all(|c| c.exists()) && t.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(50));
    }
    // The copy is renamed into place whole; let the writer's thread end.
    std::thread::sleep(Duration::from_millis(200));
}

/// What `list --search` cost, read from the running process's /proc
/// entries while it ran.
struct ListRun {
    wall: f64,
    cpu: f64,
    /// Peak private memory (RssAnon: heap, stacks), MB.
    private_mb: f64,
    /// Peak resident set (VmRSS), MB: private memory plus the pages of the
    /// store file it has mapped, which are the kernel's shared page cache.
    resident_mb: f64,
    lines: usize,
}

/// `newsline list --search q` on the store, its /proc/PID/status and
/// /proc/PID/stat read every 2 ms (None when the binary is missing).
fn list_search(path: &Path, q: &str) -> Option<ListRun> {
    use std::io::Read;
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/newsline");
    let t = Instant::now();
    let mut child = std::process::Command::new(&bin)
        .arg("--store")
        .arg(path)
        .args(["list", "--search", q, "--format", "jsonl"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let mut out = child.stdout.take()?;
    let counter = std::thread::spawn(move || {
        let (mut buf, mut lines) = (vec![0u8; 1 << 16], 0usize);
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
        }
        lines
    });
    let (status, stat) = (
        format!("/proc/{}/status", child.id()),
        format!("/proc/{}/stat", child.id()),
    );
    let kb = |text: &str, key: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0.0)
    };
    let (mut private, mut resident, mut ticks) = (0f64, 0f64, 0u64);
    let wall = loop {
        if let Ok(text) = std::fs::read_to_string(&status) {
            private = private.max(kb(&text, "RssAnon:"));
            resident = resident.max(kb(&text, "VmRSS:"));
        }
        if let Ok(text) = std::fs::read_to_string(&stat) {
            let after = text.rsplit_once(')').map_or("", |(_, a)| a);
            let f: u64 = after
                .split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|x| x.parse::<u64>().ok())
                .sum();
            ticks = ticks.max(f);
        }
        if let Ok(Some(_)) = child.try_wait() {
            break t.elapsed();
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Some(ListRun {
        wall: wall.as_secs_f64(),
        // Clock ticks of 10 ms; the last 2 ms before exit are not seen.
        cpu: ticks as f64 / 100.0,
        private_mb: private / 1024.0,
        resident_mb: resident / 1024.0,
        lines: counter.join().unwrap_or(0),
    })
}

/// Per query: keystroke to first screen, to full ranking; and the CPU
/// time all queries took together.
fn typing(data: &Arc<Data>, queries: &[&str]) -> (Vec<Duration>, Vec<Duration>, Duration) {
    let (tx, rx) = mpsc::channel();
    let worker = Worker::spawn(data.clone(), tx, Msg::Searched);
    let all = Arc::new((0..data.len() as u32).collect::<Vec<u32>>());
    let mut app = App::new(
        Default::default(),
        (160, 48),
        "bench".into(),
        Default::default(),
    );
    app.update(Msg::Loaded(Ok(data.clone())));
    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    let (mut firsts, mut fulls) = (Vec::new(), Vec::new());
    let c = cpu();
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
    (firsts, fulls, cpu() - c)
}

fn frames(data: &Arc<Data>) {
    for (w, h) in [(80, 24), (160, 48), (250, 70)] {
        let mut app = App::new(
            Default::default(),
            (w, h),
            "bench".into(),
            Default::default(),
        );
        app.update(Msg::Loaded(Ok(data.clone())));
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        let step = (data.len() / 200).max(1);
        let mut xs = Vec::new();
        for k in 0..200 {
            // Jump through the store so most cells change each frame.
            app.update(Msg::Key(ratatui::crossterm::event::KeyEvent::new(
                ratatui::crossterm::event::KeyCode::Char('g'),
                ratatui::crossterm::event::KeyModifiers::NONE,
            )));
            app.cursor = (k * step).min(data.len().saturating_sub(1));
            app.top = app.cursor;
            let t = Instant::now();
            term.draw(|f| ui::render(&app, f)).expect("draw");
            xs.push(t.elapsed());
        }
        println!("  frame {w}x{h}: median {}", ms(median(xs)));
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::var("TUI_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000, 1_000_000]);
    let queries = [
        "m",
        "mi",
        "min",
        "mini",
        "minis",
        "minist",
        "minister",
        "minister t",
        "minister ta",
        "minister tan",
        "tanaka",
        "trade",
        "kyiv talks",
    ];
    for n in sizes {
        println!("== {n} events");
        let path = store_of(n);
        // The first start after the store changed loads it from SQLite
        // and saves a copy (`tui::data::snapshot`); later starts read the
        // copy. Both are measured.
        let copy = snapshot::path_for(&path, snapshot::Kind::Events);
        let _ = std::fs::remove_file(&copy);
        let (f, r, l, c) = first_frame(&path);
        println!(
            "  first start after a change (no saved copy): first frame {}, first screen of rows {}, loaded and searchable {} wall, {} CPU",
            ms(f),
            ms(r),
            ms(l),
            ms(c)
        );
        wait_for(&[copy]);
        let mut firsts = Vec::new();
        let mut screens = Vec::new();
        let mut loads = Vec::new();
        let mut load_cpu = Vec::new();
        for _ in 0..3 {
            let (f, r, l, c) = first_frame(&path);
            firsts.push(f);
            screens.push(r);
            loads.push(l);
            load_cpu.push(c);
        }
        println!(
            "  start -> first frame: median {} (target <= 100 ms); first screen of rows: {} (target <= 100 ms); store loaded and searchable: {} wall, {} CPU (target <= 1 s at 1M) (from the saved copy)",
            ms(median(firsts)),
            ms(median(screens)),
            ms(median(loads)),
            ms(median(load_cpu))
        );
        let store = Store::open_existing(&path).expect("open");
        let mut xs = Vec::new();
        let c = cpu();
        for _ in 0..3 {
            let t = Instant::now();
            let _ = store.stats(10).expect("stats");
            xs.push(t.elapsed());
        }
        let stats_cpu = (cpu() - c) / 3;
        drop(store);
        println!(
            "  stats: median {} wall, {} CPU (mean) (target <= 300 ms at 1M)",
            ms(median(xs)),
            ms(stats_cpu)
        );
        for q in ["tanaka", "minister tanaka", "kyiv talks"] {
            match list_search(&path, q) {
                Some(r) => println!(
                    "  list --search {q:?}: {:.2} s wall, {:.2} s CPU, {:.0} MB private peak ({:.0} MB resident with the mapped store), {} events (target <= 2 s, 200 MB at 1M)",
                    r.wall, r.cpu, r.private_mb, r.resident_mb, r.lines
                ),
                None => println!("  list --search: needs target/release/newsline"),
            }
        }

        let before = rss_bytes();
        let store = Store::open_existing(&path).expect("open");
        let data = Arc::new(data::load(&store, |_, _| {}).expect("load"));
        drop(store);
        let after = rss_bytes();
        let text: usize = data.rows.iter().map(|r| r.summary.len()).sum::<usize>()
            + (0..data.len())
                .map(|i| {
                    (0..data::FIELDS)
                        .map(|f| data.field(i, f).len())
                        .sum::<usize>()
                })
                .sum::<usize>();
        let per = (after.saturating_sub(before)).saturating_sub(text) as f64 / n as f64;
        println!(
            "  memory: {:.0} B/event resident beyond text ({:.0} B/event text incl. search copy; target <= 1024)",
            per,
            text as f64 / n as f64
        );

        let (first, full, typing_cpu) = typing(&data, &queries);
        println!(
            "  keystroke -> first ranked screen: median {} max {} (target <= 16 ms)",
            ms(median(first.clone())),
            ms(first.iter().max().copied().unwrap_or_default())
        );
        println!(
            "  keystroke -> full ranking: median {} max {} (target <= 50 ms at 100k)",
            ms(median(full.clone())),
            ms(full.iter().max().copied().unwrap_or_default())
        );
        println!(
            "  CPU per keystroke (both search threads, mean): {}",
            ms(typing_cpu / queries.len() as u32)
        );
        for (q, (a, b)) in queries.iter().zip(first.iter().zip(&full)) {
            println!("    {q:<14} first {:>9}  full {:>9}", ms(*a), ms(*b));
        }
        frames(&data);
    }
}
