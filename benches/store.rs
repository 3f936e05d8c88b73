//! Store benchmarks (a plain binary: `cargo bench --bench store`).
//!
//! 1. Ingest throughput: generated ~3 KB wire articles, parsed with
//!    `parse_bytes` and stored one file per transaction, as `ingest` does.
//!    Target: at least 1,000 articles/s.
//! 2. Timeline load: open a generated store of 100k events and load what
//!    the browser's timeline needs. Target: at most 300 ms.
//!
//! Prints medians of a few runs; keeps total time short.

use std::time::{Duration, Instant};

use newsline::parse::{parse_bytes, Options};
use newsline::store::generate::{self, Rng};
use newsline::store::Store;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn main() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("store bench: no temp dir: {e}");
            return;
        }
    };

    // 1. Ingest throughput.
    let mut rng = Rng::new(11);
    let n = 2_000;
    let texts: Vec<String> = (0..n).map(|i| generate::wire_text(&mut rng, i)).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let opts = Options::default();
    let mut runs = Vec::new();
    for run in 0..3 {
        let mut store =
            Store::open(&dir.path().join(format!("ingest{run}.db"))).expect("open store");
        let t = Instant::now();
        for (i, text) in texts.iter().enumerate() {
            let arts = parse_bytes(text.as_bytes(), &opts).expect("parse");
            store
                .ingest(&arts, Some(&format!("/bench/{i}.txt")))
                .expect("ingest");
        }
        runs.push(t.elapsed());
    }
    let m = median(runs).as_secs_f64();
    println!(
        "ingest: {n} articles ({:.1} KB avg) median {:.0} ms: {:.0} articles/s, {:.1} MB/s (target >= 1000 articles/s)",
        bytes as f64 / n as f64 / 1e3,
        m * 1e3,
        n as f64 / m,
        bytes as f64 / 1e6 / m
    );

    // 1b. The store alone, on articles that carry events (the extractors
    // may still be stubs): 3 events, their quotes, officials and countries.
    let mut rng = Rng::new(12);
    let parsed: Vec<_> = (0..n as u64)
        .map(|i| generate::article(&mut rng, i, 3))
        .collect();
    let mut runs = Vec::new();
    for run in 0..3 {
        let mut store =
            Store::open(&dir.path().join(format!("store{run}.db"))).expect("open store");
        let t = Instant::now();
        for a in &parsed {
            store.ingest(std::slice::from_ref(a), None).expect("ingest");
        }
        runs.push(t.elapsed());
    }
    let m = median(runs).as_secs_f64();
    println!(
        "store only: {:.0} articles/s, {:.0} events/s (3 events per article, one transaction per file)",
        n as f64 / m,
        3.0 * n as f64 / m
    );

    // 2. Timeline load at 100k events.
    let path = dir.path().join("timeline.db");
    let t = Instant::now();
    {
        let mut store = Store::open(&path).expect("open store");
        generate::generate(&mut store, 100_000, 5).expect("generate");
    }
    println!(
        "generate: 100000 events in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let mut runs = Vec::new();
    let mut rows = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let store = Store::open_existing(&path).expect("open store");
        let timeline = store.load_timeline().expect("timeline");
        runs.push(t.elapsed());
        rows = timeline.len();
    }
    println!(
        "open + load_timeline: {rows} events median {:.0} ms (target <= 300 ms)",
        median(runs).as_secs_f64() * 1e3
    );
}
