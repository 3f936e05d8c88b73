//! Stories at scale: the incremental merge of one new article into a store
//! of a million events, and the rebuild of every story.
//!
//! ```text
//! cargo bench --bench stories                    # 1M events (built once, kept)
//! STORIES_BENCH_EVENTS=100000 cargo bench --bench stories
//! STORIES_BENCH_STORE=/path/store.db cargo bench --bench stories -- --rebuild
//! ```
//!
//! The store is made with `generate` (synthetic events) and `restory`
//! the first time and kept under `target/` for later runs. Each run adds
//! 300 new synthetic articles one at a time and reports the median and
//! 90th percentile of (a) the whole `ingest` call (insert, merge, commit)
//! and (b) the merge alone (the same article placed again). `--rebuild`
//! also times a rebuild of every story. Targets: merge within 1 ms median
//! per article; rebuild of 1M events within 60 s on 2 cores.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use newsline::store::generate::{self, Rng};
use newsline::store::Store;

fn median(v: &mut [Duration]) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[v.len() * 9 / 10])
}

fn main() {
    let events: usize = std::env::var("STORIES_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let path = std::env::var_os("STORIES_BENCH_STORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join(format!("bench-stories-{events}.db"))
        });
    let rebuild = std::env::args().any(|a| a == "--rebuild");
    let fresh = !path.exists();
    let mut store = Store::open(&path).expect("open bench store");
    if fresh {
        let t = Instant::now();
        generate::generate(&mut store, events, 7).expect("generate");
        println!(
            "generated {events} events in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    if fresh || rebuild {
        let t = Instant::now();
        // When each stage began, to show where the time goes.
        let mut stage = None;
        let stats = store
            .rebuild_stories(&mut |s, _, _| {
                if stage != Some(s) {
                    stage = Some(s);
                    println!("  {s:?} from {:.1} s", t.elapsed().as_secs_f64());
                }
            })
            .expect("rebuild");
        println!(
            "rebuild: {} events in {} stories in {:.1} s",
            stats.events,
            stats.stories,
            t.elapsed().as_secs_f64()
        );
    }
    let total: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .expect("count");

    // New articles, with serials no earlier run used.
    let start = Instant::now().elapsed().as_nanos() as u64 ^ total as u64;
    let mut rng = Rng::new(start ^ 0x5eed);
    let base = (1u64 << 40) + (total as u64) * 16;
    let mut ingest = Vec::new();
    let mut merge = Vec::new();
    for i in 0..300u64 {
        let n = 1 + rng.below(5);
        let a = generate::article(&mut rng, base + i, n);
        let t = Instant::now();
        store
            .ingest(std::slice::from_ref(&a), None)
            .expect("ingest");
        ingest.push(t.elapsed());
        let t = Instant::now();
        store.restory_article(&a.article.id).expect("merge");
        merge.push(t.elapsed());
    }
    let (im, i90) = median(&mut ingest);
    let (mm, m90) = median(&mut merge);
    println!("store: {total} events ({})", path.display());
    println!(
        "ingest one article (insert + merge + commit): median {:.3} ms, p90 {:.3} ms",
        im.as_secs_f64() * 1e3,
        i90.as_secs_f64() * 1e3
    );
    println!(
        "merge one article into its stories:           median {:.3} ms, p90 {:.3} ms",
        mm.as_secs_f64() * 1e3,
        m90.as_secs_f64() * 1e3
    );
}
