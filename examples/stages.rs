//! Throughput of each parse stage over ../shared/corpus/voa-2020, for
//! profiling: `cargo run --release --example stages` (REPS=N sets the passes).

use newsline::extract::*;
use newsline::text::Doc;

use std::time::Instant;
fn main() {
    let mut texts = Vec::new();
    let mut raws: Vec<Vec<u8>> = Vec::new();
    for dir in ["../shared/corpus/voa-2020"] {
        let Ok(rd) = std::fs::read_dir(dir) else {
            eprintln!("stages: {dir} is not here");
            return;
        };
        for e in rd.flatten() {
            let Ok(b) = std::fs::read(e.path()) else {
                continue;
            };
            if let Ok(mut arts) = newsline::source::read(&b) {
                if !arts.is_empty() {
                    texts.push(arts.remove(0).text);
                }
            }
            raws.push(b);
        }
    }
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let Some(dct) = chrono::NaiveDate::from_ymd_opt(2020, 12, 1) else {
        return;
    };
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(100);
    let mut t = [0f64; 7];
    // The source layer, timed over the raw file bytes.
    let raw_bytes: usize = raws.iter().map(Vec::len).sum();
    let mut t_source = 0f64;
    for _ in 0..reps {
        let a = Instant::now();
        for b in &raws {
            std::hint::black_box(newsline::source::read(b).ok());
        }
        t_source += a.elapsed().as_secs_f64();
        for text in &texts {
            let a = Instant::now();
            let doc = Doc::new(text);
            t[0] += a.elapsed().as_secs_f64();
            let a = Instant::now();
            let cm = countries::find(text);
            t[1] += a.elapsed().as_secs_f64();
            let a = Instant::now();
            let tm = times::extract(&doc, dct);
            t[2] += a.elapsed().as_secs_f64();
            let a = Instant::now();
            let reg = officials::extract(&doc, &cm, dct);
            t[3] += a.elapsed().as_secs_f64();
            let a = Instant::now();
            let ac = actors::find(&doc, &reg, &cm);
            t[4] += a.elapsed().as_secs_f64();
            let a = Instant::now();
            let q = quotes::extract(&doc, &reg, &ac);
            t[5] += a.elapsed().as_secs_f64();
            let a = Instant::now();
            let ev = events::extract(&events::Input {
                doc: &doc,
                registry: &reg,
                actors: &ac,
                countries: &cm,
                quotes: &q,
                times: &tm,
                dct,
                dct_guess: false,
                dateline: None,
            });
            t[6] += a.elapsed().as_secs_f64();
            std::hint::black_box(ev);
        }
    }
    let names = [
        "doc",
        "countries",
        "times",
        "officials",
        "actors",
        "quotes",
        "events",
    ];
    let mb = (bytes * reps) as f64 / 1e6;
    let raw_mb = (raw_bytes * reps) as f64 / 1e6;
    println!(
        "{:10} {:.1} MB/s ({:.3}s, {:.1} ns/byte)",
        "source",
        raw_mb / t_source,
        t_source,
        t_source * 1e9 / (raw_bytes * reps) as f64
    );
    for (n, x) in names.iter().zip(t) {
        println!("{n:10} {:.1} MB/s ({:.3}s)", mb / x, x);
    }
    println!("total {:.1} MB/s", mb / t.iter().sum::<f64>());
}
