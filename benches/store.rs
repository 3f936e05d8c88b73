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

/// Runs the built `newsline ingest` on `folder` into a fresh store, three
/// times, and prints the median rate.
fn cli_ingest(
    dir: &tempfile::TempDir,
    folder: &std::path::Path,
    what: &str,
    n: usize,
    bytes: usize,
) {
    let mut runs = Vec::new();
    for run in 0..3 {
        let store = dir.path().join(format!("cli-{}-{run}.db", what.len()));
        let t = Instant::now();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsline"))
            .arg("--store")
            .arg(&store)
            .arg("ingest")
            .arg(folder)
            .output();
        match out {
            Ok(o) if o.status.success() => runs.push(t.elapsed()),
            Ok(o) => {
                eprintln!("ingest failed: {}", String::from_utf8_lossy(&o.stderr));
                return;
            }
            Err(e) => {
                eprintln!("cannot run newsline: {e}");
                return;
            }
        }
    }
    let m = median(runs).as_secs_f64();
    println!(
        "ingest (newsline ingest, {what}): {n} articles ({:.1} KB avg) median {:.0} ms: {:.0} articles/s, {:.1} MB/s (target >= 1000 articles/s)",
        bytes as f64 / n as f64 / 1e3,
        m * 1e3,
        n as f64 / m,
        bytes as f64 / 1e6 / m
    );
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
        "ingest (library, one thread, generated): {n} articles ({:.1} KB avg) median {:.0} ms: {:.0} articles/s, {:.1} MB/s",
        bytes as f64 / n as f64 / 1e3,
        m * 1e3,
        n as f64 / m,
        bytes as f64 / 1e6 / m
    );

    // 1a. `newsline ingest` itself (parsing on a worker, one transaction
    // per file), on folders of files: the generated articles above, and
    // real news articles from ../shared/corpus (dev + voa-2020, 20 copies
    // each with a line added so that every copy is a new article).
    let gen_dir = dir.path().join("gen");
    let _ = std::fs::create_dir_all(&gen_dir);
    for (i, t) in texts.iter().enumerate() {
        let _ = std::fs::write(gen_dir.join(format!("{i:05}.txt")), t);
    }
    cli_ingest(&dir, &gen_dir, "generated", n, bytes);
    let real_dir = dir.path().join("real");
    let _ = std::fs::create_dir_all(&real_dir);
    let (mut real_n, mut real_bytes) = (0usize, 0usize);
    for sub in ["../shared/corpus/dev", "../shared/corpus/voa-2020"] {
        let Ok(rd) = std::fs::read_dir(sub) else {
            continue;
        };
        for e in rd.flatten() {
            let path = e.path();
            if path.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let Ok(body) = std::fs::read_to_string(&path) else {
                continue;
            };
            for copy in 0..20 {
                let text = format!("{body}\n\n(copy {copy})\n");
                real_n += 1;
                real_bytes += text.len();
                let name = format!("{copy}-{}", e.file_name().to_string_lossy());
                let _ = std::fs::write(real_dir.join(name), text);
            }
        }
    }
    if real_n > 0 {
        cli_ingest(
            &dir,
            &real_dir,
            "real news (../shared/corpus)",
            real_n,
            real_bytes,
        );
    } else {
        println!("ingest (newsline ingest, real news): skipped, ../shared/corpus is not here");
    }

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
