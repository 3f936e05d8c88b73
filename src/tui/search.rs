//! Search off the UI thread. Newest query wins: each carries a
//! generation, the worker checks it between chunks and drops stale work.
//!
//! What matches and how it ranks is `store::search` (shared with `list
//! --search`): per keystroke every candidate is scored on its folded
//! fields in the arena, the best `RESCORE` get the skim score on top. Two
//! threads share the scan. When the query only grew (and no term's typo
//! allowance changed), only the previous hits are scanned: a longer term
//! matches a subset of what its prefix matched.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::data::{Data, FIELDS};
use crate::store::search::{self, Hit, Matcher};

pub use crate::store::search::RESCORE;
/// ... and for an early partial screen, which needs only a page.
const RESCORE_PARTIAL: usize = 100;
const CHUNK: usize = 8192;
/// A partial result is sent when the full scan takes longer than this.
const PARTIAL_AFTER: Duration = Duration::from_millis(3);

#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub gen: u64,
    pub text: String,
    /// Event indices to search (the current view), ascending.
    pub candidates: Arc<Vec<u32>>,
}

#[derive(Clone, Debug, Default)]
pub struct Hits {
    pub gen: u64,
    pub query: String,
    /// Event indices, best first.
    pub ranked: Vec<u32>,
    /// One bit per event: is it a hit.
    pub bits: Vec<u64>,
    /// Not the whole scan yet: more is coming for this generation.
    pub partial: bool,
    pub elapsed: Duration,
}

impl Hits {
    pub fn contains(&self, i: u32) -> bool {
        self.bits
            .get(i as usize / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}

/// Lower-cases a query the way the arena was.
pub fn fold(q: &str) -> String {
    search::fold(q)
}

fn fields(data: &Data, i: usize) -> [&str; FIELDS] {
    std::array::from_fn(|f| data.field(i, f))
}

/// The score of event `i` for `m`, None when it does not match.
pub fn event_score(data: &Data, i: usize, m: &Matcher) -> Option<u32> {
    m.score(fields(data, i), data.event_text(i))
}

/// Best-first order of `hits` (event, score): by score with the top
/// `RESCORE` re-ranked with the skim score; ties newest first.
fn rank(data: &Data, m: &Matcher, hits: Vec<(u32, u32)>, full: bool) -> Vec<u32> {
    let mut hs: Vec<Hit<u32>> = hits
        .into_iter()
        .map(|(i, score)| Hit {
            id: i,
            score,
            newest: data.newest(i as usize),
        })
        .collect();
    let top = if full { RESCORE } else { RESCORE_PARTIAL };
    let k = search::rank(&mut hs, top, |i| m.skim(fields(data, i as usize)));
    if !full {
        hs.truncate(k);
    }
    hs.into_iter().map(|h| h.id).collect()
}

fn bits_of(n: usize, hits: &[(u32, u32)]) -> Vec<u64> {
    let mut bits = vec![0u64; n.div_ceil(64)];
    for &(i, _) in hits {
        if let Some(w) = bits.get_mut(i as usize / 64) {
            *w |= 1 << (i % 64);
        }
    }
    bits
}

/// Can hits of a query with typo allowances `old` be narrowed to those of
/// one with `new`? Only when neither allows typos: a typo is measured
/// against the whole word, so "kamikaw" need not match every word that
/// "kamikawa" is one edit from.
fn narrows(old: &[usize], new: &[usize]) -> bool {
    old.iter().chain(new).all(|&k| k == 0)
}

/// Runs one query to completion (no worker, no cancellation): for tests
/// and benches.
pub fn search_all(data: &Data, q: &Query) -> Hits {
    let latest = AtomicU64::new(q.gen);
    let mut last = None;
    let mut out = None;
    run(data, q, &latest, &mut last, &mut |h| {
        if !h.partial {
            out = Some(h)
        }
    });
    out.unwrap_or_default()
}

/// Called once with a thread's hits so far when the scan is slow.
type OnPartial<'a> = dyn FnMut(&[(u32, u32)]) + 'a;

/// What narrowing needs of the last finished query.
pub struct Last {
    query: String,
    typo: Vec<usize>,
    candidates: Arc<Vec<u32>>,
    hits: Arc<Vec<u32>>,
}

/// Scans, ranks and reports through `send`; returns early (sending
/// nothing final) when a newer generation appears in `latest`.
pub fn run(
    data: &Data,
    q: &Query,
    latest: &AtomicU64,
    last: &mut Option<Last>,
    send: &mut dyn FnMut(Hits),
) {
    let start = Instant::now();
    let Some(m) = Matcher::new(&q.text) else {
        send(Hits {
            gen: q.gen,
            query: q.text.clone(),
            bits: bits_of(data.len(), &[]),
            ..Hits::default()
        });
        return;
    };
    // Narrow on the previous hits when the query only grew.
    let narrowed = last.as_ref().and_then(|l| {
        (Arc::ptr_eq(&l.candidates, &q.candidates)
            && m.phrase().starts_with(&l.query)
            && narrows(&l.typo, &m.typo_allowance()))
        .then(|| l.hits.clone())
    });
    let cands: Arc<Vec<u32>> = narrowed.unwrap_or_else(|| q.candidates.clone());
    let next = AtomicUsize::new(0);
    let chunks = cands.len().div_ceil(CHUNK);
    let results: Mutex<Vec<Vec<(u32, u32)>>> = Mutex::new(vec![Vec::new(); chunks]);
    let stale = || latest.load(Ordering::Relaxed) != q.gen;

    // `on_partial` gets this thread's hits so far, once, when the scan is slow.
    let work = |on_partial: &mut OnPartial| {
        let mut mine: Vec<(u32, u32)> = Vec::new();
        let mut partial_done = false;
        loop {
            if stale() {
                return;
            }
            let c = next.fetch_add(1, Ordering::Relaxed);
            if c >= chunks {
                return;
            }
            let part = &cands[c * CHUNK..((c + 1) * CHUNK).min(cands.len())];
            let hits: Vec<(u32, u32)> = part
                .iter()
                .filter_map(|&i| event_score(data, i as usize, &m).map(|s| (i, s)))
                .collect();
            if !partial_done {
                mine.extend_from_slice(&hits);
            }
            if let Ok(mut r) = results.lock() {
                r[c] = hits;
            }
            if !partial_done && start.elapsed() >= PARTIAL_AFTER && c + 1 < chunks {
                partial_done = true;
                on_partial(&mine);
            }
        }
    };
    std::thread::scope(|s| {
        if chunks > 1 {
            s.spawn(|| work(&mut |_| {}));
        }
        // This thread sends the early first screen while the other scans on.
        work(&mut |mine| {
            if stale() {
                return;
            }
            send(Hits {
                gen: q.gen,
                query: q.text.clone(),
                bits: bits_of(data.len(), mine),
                ranked: rank(data, &m, mine.to_vec(), false),
                partial: true,
                elapsed: start.elapsed(),
            });
        });
    });
    if stale() {
        return;
    }
    let all: Vec<(u32, u32)> = results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect();
    let hit_ids: Vec<u32> = all.iter().map(|h| h.0).collect();
    let bits = bits_of(data.len(), &all);
    let ranked = rank(data, &m, all, true);
    *last = Some(Last {
        query: m.phrase().to_string(),
        typo: m.typo_allowance(),
        candidates: q.candidates.clone(),
        hits: Arc::new(hit_ids),
    });
    send(Hits {
        gen: q.gen,
        query: q.text.clone(),
        ranked,
        bits,
        partial: false,
        elapsed: start.elapsed(),
    });
}

/// The search worker: one thread, fed queries, sending results wrapped by
/// `wrap` into the loop's queue.
pub struct Worker {
    tx: Sender<Query>,
    latest: Arc<AtomicU64>,
    data: Arc<Data>,
}

impl Worker {
    pub fn spawn<M: Send + 'static>(
        data: Arc<Data>,
        out: Sender<M>,
        wrap: fn(Hits) -> M,
    ) -> Worker {
        let (tx, rx): (Sender<Query>, Receiver<Query>) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let (d, l) = (data.clone(), latest.clone());
        std::thread::spawn(move || {
            let mut last = None;
            while let Ok(mut q) = rx.recv() {
                // Only the newest queued query matters.
                while let Ok(newer) = rx.try_recv() {
                    q = newer;
                }
                let mut ok = true;
                run(&d, &q, &l, &mut last, &mut |h| {
                    ok &= out.send(wrap(h)).is_ok();
                });
                if !ok {
                    return;
                }
            }
        });
        Worker { tx, latest, data }
    }

    pub fn data(&self) -> &Arc<Data> {
        &self.data
    }

    pub fn submit(&self, q: Query) {
        self.latest.store(q.gen, Ordering::Relaxed);
        let _ = self.tx.send(q);
    }

    /// Stops whatever runs (a cleared search).
    pub fn cancel(&self, gen: u64) {
        self.latest.store(gen, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::data::tests::row;

    fn data() -> Data {
        Data::from_rows(
            vec![
                row(
                    "1",
                    "2024-01-01",
                    "Ministers met in Tokyo",
                    &["JP"],
                    &["Kamikawa Yoko"],
                ),
                row(
                    "2",
                    "2024-01-02",
                    "Talks on trade stalled",
                    &["CN"],
                    &["Wang Yi"],
                ),
                row("3", "2024-01-03", "Wang spoke about tariffs", &["US"], &[]),
                row("4", "2024-01-04", "Rain", &["FR"], &[]),
            ],
            &[vec![], vec!["We will keep talking".into()], vec![], vec![]],
        )
    }

    fn q(text: &str, d: &Data) -> Query {
        Query {
            gen: 1,
            text: text.into(),
            candidates: Arc::new((0..d.len() as u32).collect()),
        }
    }

    #[test]
    fn ranks_officials_and_quotes_and_sets_bits() {
        let d = data();
        let h = search_all(&d, &q("wang yi", &d));
        assert_eq!(h.ranked.first(), Some(&1));
        assert!(h.contains(1));
        assert!(!h.contains(3));
        let h = search_all(&d, &q("keep talk", &d));
        assert_eq!(h.ranked, vec![1]);
        let h = search_all(&d, &q("JAPAN", &d));
        assert_eq!(h.ranked, vec![0]);
        let h = search_all(&d, &q("zzz", &d));
        assert!(h.ranked.is_empty() && !h.partial);
    }

    #[test]
    fn narrowing_matches_a_fresh_scan() {
        let d = data();
        let latest = AtomicU64::new(1);
        let mut last = None;
        let mut got = Vec::new();
        let query = q("wa", &d);
        run(&d, &query, &latest, &mut last, &mut |h| got.push(h));
        let mut q2 = query.clone();
        q2.text = "wang".into();
        run(&d, &q2, &latest, &mut last, &mut |h| got.push(h));
        let fresh = search_all(&d, &q("wang", &d));
        assert_eq!(got.last().map(|h| h.ranked.clone()), Some(fresh.ranked));
    }

    #[test]
    fn stale_generation_sends_nothing() {
        let d = data();
        let latest = AtomicU64::new(2);
        let mut sent = 0;
        run(&d, &q("wang", &d), &latest, &mut None, &mut |_| sent += 1);
        assert_eq!(sent, 0);
    }
}
