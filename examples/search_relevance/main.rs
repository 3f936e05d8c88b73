//! How well `list --search` finds what a person means: precision of the
//! first 20 results and recall over all results, for the queries in
//! `queries.tsv` (next to this file), over the demo articles and the
//! shared corpus (`../shared/corpus`, skipped when absent).
//!
//! `cargo run --release --example search_relevance`
//!
//! A query line: `set<TAB>query<TAB>relevant<TAB>kind`, where `set` is
//! `demo` or `corpus`, and `relevant` says which events a person expects,
//! alternatives joined by `|`:
//! - `word:Tanabe` — events that mention the word (whole word, any case)
//!   in their summary, officials, country names or quotes;
//! - `article:03-un-drought` — events of articles whose file name holds it.
//!
//! `kind` (name, place, topic, typo) groups the figures.
//!
//! `--skim` measures the old definition instead (any event where
//! fuzzy-matcher's skim finds the query's letters in order in one field),
//! for comparison.

use std::collections::BTreeMap;
use std::path::Path;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use newsline::parse::Options;
use newsline::store::ingest::parse_input;
use newsline::store::{EventRecord, Filter, Store};

fn ingest_dir(store: &mut Store, dir: &Path) -> usize {
    let mut files: Vec<_> = walk(dir);
    files.sort();
    let mut n = 0;
    for f in files {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        let Ok(arts) = parse_input(&bytes, &Options::default()) else {
            continue;
        };
        let path = f.display().to_string();
        if let Ok(s) = store.ingest(&arts, Some(&path)) {
            n += s.events_added;
        }
    }
    n
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if !p.to_string_lossy().ends_with(".json") && !p.ends_with("README.md") {
            out.push(p);
        }
    }
    out
}

fn has_word(text: &str, word: &str) -> bool {
    let t = text.to_lowercase();
    let w = word.to_lowercase();
    t.match_indices(&w).any(|(i, _)| {
        let before = t[..i].chars().next_back();
        let after = t[i + w.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

fn relevant(e: &EventRecord, spec: &str) -> bool {
    spec.split('|').any(|alt| {
        if let Some(w) = alt.strip_prefix("word:") {
            has_word(&e.summary, w)
                || e.officials.iter().any(|o| has_word(o, w))
                || e.countries.iter().any(|c| {
                    has_word(c, w)
                        || newsline::extract::countries::name(c).is_some_and(|n| has_word(n, w))
                })
                || e.quotes.iter().any(|q| has_word(&q.text, w))
        } else if let Some(a) = alt.strip_prefix("article:") {
            e.article.path.as_deref().is_some_and(|p| p.contains(a))
        } else {
            false
        }
    })
}

/// The definition `list --search` used before: the best skim score over
/// the fields, any score a match.
fn skim_score(m: &SkimMatcherV2, e: &EventRecord, q: &str) -> Option<i64> {
    let mut texts: Vec<&str> = vec![&e.summary];
    texts.extend(e.officials.iter().map(String::as_str));
    for c in &e.countries {
        texts.push(c);
        texts.extend(newsline::extract::countries::name(c));
    }
    texts.extend(e.quotes.iter().map(|q| q.text.as_str()));
    texts.iter().filter_map(|t| m.fuzzy_match(t, q)).max()
}

fn main() {
    let skim_mode = std::env::args().any(|a| a == "--skim");
    let skim = SkimMatcherV2::default().ignore_case();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let queries = std::fs::read_to_string(root.join("examples/search_relevance/queries.tsv"))
        .unwrap_or_default();
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut stores: BTreeMap<&str, (Store, Vec<EventRecord>)> = BTreeMap::new();
    let mut demo = Store::open(&tmp.path().join("demo.db")).expect("store");
    ingest_dir(&mut demo, &root.join("assets/demo"));
    let all = demo.events(&Filter::default()).expect("events");
    stores.insert("demo", (demo, all));
    let corpus_dir = root.join("../shared/corpus");
    if corpus_dir.is_dir() {
        let mut corpus = Store::open(&tmp.path().join("corpus.db")).expect("store");
        for d in ["dev", "web", "voa-2020", "html", "feeds"] {
            ingest_dir(&mut corpus, &corpus_dir.join(d));
        }
        let all = corpus.events(&Filter::default()).expect("events");
        stores.insert("corpus", (corpus, all));
    } else {
        println!("(../shared/corpus is absent: its queries are skipped)");
    }
    println!(
        "{:<8} {:<6} {:<22} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6}",
        "set", "kind", "query", "rel", "found", "hits", "P@20", "recall", "P(all)"
    );
    let mut by_kind: BTreeMap<String, Vec<(f64, f64, f64)>> = BTreeMap::new();
    for line in queries.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [set, q, spec, kind] = cols[..] else {
            eprintln!("bad line: {line}");
            continue;
        };
        let Some((store, all)) = stores.get(set) else {
            continue;
        };
        let rel_total = all.iter().filter(|e| relevant(e, spec)).count();
        let got: Vec<EventRecord> = if skim_mode {
            let mut scored: Vec<(i64, &EventRecord)> = all
                .iter()
                .filter_map(|e| skim_score(&skim, e, q).map(|s| (s, e)))
                .collect();
            scored.sort_by_key(|s| std::cmp::Reverse(s.0));
            scored.into_iter().map(|(_, e)| e.clone()).collect()
        } else {
            store
                .events(&Filter {
                    search: Some(q.to_string()),
                    ..Filter::default()
                })
                .expect("search")
        };
        let rel: Vec<bool> = got.iter().map(|e| relevant(e, spec)).collect();
        let found = rel.iter().filter(|&&r| r).count();
        let top = rel.len().min(20);
        let p20 = if top == 0 {
            0.0
        } else {
            rel[..top].iter().filter(|&&r| r).count() as f64 / top as f64
        };
        let recall = if rel_total == 0 {
            1.0
        } else {
            found as f64 / rel_total as f64
        };
        let pall = if got.is_empty() {
            0.0
        } else {
            found as f64 / got.len() as f64
        };
        println!(
            "{set:<8} {kind:<6} {q:<22} {rel_total:>5} {found:>5} {:>5} {p20:>6.2} {recall:>6.2} {pall:>6.2}",
            got.len()
        );
        by_kind
            .entry(kind.to_string())
            .or_default()
            .push((p20, recall, pall));
    }
    println!();
    let mut every = Vec::new();
    for (kind, xs) in &by_kind {
        every.extend(xs.iter().copied());
        summary(kind, xs);
    }
    summary("all", &every);
}

fn summary(label: &str, xs: &[(f64, f64, f64)]) {
    let n = xs.len().max(1) as f64;
    let mean = |f: fn(&(f64, f64, f64)) -> f64| xs.iter().map(f).sum::<f64>() / n;
    println!(
        "{label:<6} {:>3} queries  mean P@20 {:.2}  mean recall {:.2}  mean precision over all results {:.2}",
        xs.len(),
        mean(|x| x.0),
        mean(|x| x.1),
        mean(|x| x.2)
    );
}
