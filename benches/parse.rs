//! Parse throughput on one core: `cargo bench --bench parse`.
//!
//! Reads the real articles under `../shared/corpus` when they are there
//! (else a built-in synthetic wire story), parses each one several times
//! over, and prints the median MB/s of five rounds. Not a test: the figure
//! goes into the README.

use std::time::Instant;

use newsline::parse::{parse_bytes, parse_published_arg, Options};

const SYNTHETIC: &str = "Ministers Agree to Hold Trade Talks\n\n\
LISBON, March 3 (Wire) - Portuguese Foreign Minister Ana Ribeiro said on Tuesday she \
would meet her Brazilian counterpart Paulo Santos in Lisbon next week to discuss tariffs.\n\n\
\"We are ready to work with Brazil on a fair agreement,\" Ribeiro told reporters after a \
cabinet meeting. Santos said last month that Brazil wanted \"a deal within a year.\"\n\n\
The European Commission said it welcomed the talks, which follow a summit in Madrid on Feb. 12.";

fn main() {
    let mut docs: Vec<Vec<u8>> = Vec::new();
    for dir in ["../shared/corpus/dev", "../shared/corpus/voa-2020"] {
        if let Ok(rd) = std::fs::read_dir(dir) {
            let mut paths: Vec<_> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            paths.sort();
            for p in paths {
                if let Ok(b) = std::fs::read(&p) {
                    docs.push(b);
                }
            }
        }
    }
    let corpus = if docs.is_empty() {
        "synthetic"
    } else {
        "../shared/corpus dev + voa-2020"
    };
    if docs.is_empty() {
        docs.push(SYNTHETIC.as_bytes().to_vec());
    }
    let bytes: usize = docs.iter().map(Vec::len).sum();
    let opts = Options {
        published: parse_published_arg("2020-12-01").ok(),
        ..Options::default()
    };
    // Enough repetitions for about 20 MB a round.
    let target: usize = std::env::var("BENCH_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000_000);
    let reps = (target / bytes.max(1)).max(1);
    // Warm up: builds the gazetteer and compiles the rules once.
    for d in &docs {
        let _ = parse_bytes(d, &opts);
    }
    let mut rates = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let mut events = 0usize;
        for _ in 0..reps {
            for d in &docs {
                if let Ok(r) = parse_bytes(d, &opts) {
                    events += r.iter().map(|a| a.events.len()).sum::<usize>();
                }
            }
        }
        let secs = t.elapsed().as_secs_f64();
        let mb = (bytes * reps) as f64 / 1e6;
        rates.push(mb / secs);
        std::hint::black_box(events);
    }
    rates.sort_by(|a, b| a.total_cmp(b));
    println!(
        "parse: {} articles ({} bytes, {}), {} rounds of {} passes: median {:.1} MB/s (min {:.1}, max {:.1}), {:.0} articles/s",
        docs.len(),
        bytes,
        corpus,
        rates.len(),
        reps,
        rates[2],
        rates[0],
        rates[4],
        rates[2] * 1e6 / (bytes as f64 / docs.len() as f64)
    );
}
