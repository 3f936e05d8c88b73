//! How well stories group articles: pairwise precision, recall and F1 over
//! pairs of articles, against a gold file, for newsline's stories and for a
//! bag-of-words baseline (TF-IDF cosine of event sentences within two days,
//! one threshold).
//!
//! ```text
//! cargo run --release --example story_eval                  # both sets below
//! cargo run --release --example story_eval -- DIR GOLD.tsv [--threshold T] [--pairs]
//! ```
//!
//! With no `DIR`, it scores the two sets the README reports: the demo
//! articles (`assets/demo` against `assets/story/gold-demo.tsv`) and the
//! follow-up stories across days of the shared VOA newscasts
//! (`../shared/corpus/voa-2020` against `assets/eval/voa-2020-stories.tsv`),
//! saying it skips a set whose articles are not here.
//!
//! `DIR` holds the articles (`*.txt`, read in name order). `GOLD.tsv` has
//! one happening a line: a label, a tab, and the file names (space
//! separated) of the articles that report it; two articles are a gold pair
//! when one line names both. newsline pairs two articles when an event of
//! each is in one story; the baseline when an event of each is within two
//! days of the other and their TF-IDF cosine reaches the threshold (0.35
//! unless given; `--sweep` prints every threshold). `--pairs` prints the
//! pairs each side finds, marked right or wrong, for studying the misses.
//! `--explain` prints, for each pair newsline gets wrong, why: for a false
//! pair the events of the two articles that share the story; for a missed
//! pair the closest event pairs of the two articles (date, kinds, actors,
//! wording) and whether the pairwise test takes them.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use newsline::store::{EventRecord, Filter, Store};
use newsline::story::similarity::{date_fit, date_span, kind_fit, match_score, wording};
use newsline::story::Member;

type Pair = (String, String);

fn pair(a: &str, b: &str) -> Pair {
    if a < b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let positional: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--threshold"))
        .map(|(_, a)| a)
        .collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sets: Vec<(PathBuf, PathBuf)> = match (positional.first(), positional.get(1)) {
        (Some(dir), Some(gold)) => vec![(PathBuf::from(dir), PathBuf::from(gold))],
        (None, _) => vec![
            (
                root.join("assets/demo"),
                root.join("assets/story/gold-demo.tsv"),
            ),
            (
                root.join("../shared/corpus/voa-2020"),
                root.join("assets/eval/voa-2020-stories.tsv"),
            ),
        ],
        _ => {
            eprintln!("usage: story_eval [DIR GOLD.tsv] [--threshold T] [--sweep] [--pairs]");
            std::process::exit(2);
        }
    };
    let threshold: f64 = args
        .iter()
        .position(|a| a == "--threshold")
        .and_then(|i| args.get(i + 1))
        .and_then(|t| t.parse().ok())
        .unwrap_or(0.35);
    let show_pairs = args.iter().any(|a| a == "--pairs");
    let sweep = args.iter().any(|a| a == "--sweep");
    let explain = args.iter().any(|a| a == "--explain");
    for (i, (dir, gold)) in sets.iter().enumerate() {
        if i > 0 {
            println!();
        }
        evaluate(dir, gold, threshold, sweep, show_pairs, explain);
    }
}

/// Scores newsline's stories and the baseline on the articles of `dir`
/// against the gold happenings of `gold`.
fn evaluate(dir: &Path, gold: &Path, threshold: f64, sweep: bool, show_pairs: bool, explain: bool) {
    if !dir.is_dir() {
        println!("skipped: {} is not here", dir.display());
        return;
    }
    let gold_text = std::fs::read_to_string(gold).unwrap_or_else(|e| {
        eprintln!("{}: {e}", gold.display());
        std::process::exit(1);
    });
    let mut gold_pairs: HashSet<Pair> = HashSet::new();
    for line in gold_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let files: Vec<&str> = line
            .split('\t')
            .nth(1)
            .unwrap_or("")
            .split_whitespace()
            .collect();
        for (i, a) in files.iter().enumerate() {
            for b in &files[i + 1..] {
                gold_pairs.insert(pair(a, b));
            }
        }
    }

    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|x| x == "txt"));
    files.sort();

    let tmp = tempfile::tempdir().unwrap_or_else(|e| {
        eprintln!("temporary folder: {e}");
        std::process::exit(1);
    });
    let mut store = Store::open(&tmp.path().join("eval.db")).unwrap_or_else(|e| {
        eprintln!("store: {e}");
        std::process::exit(1);
    });
    for f in &files {
        let name = f.file_name().map(|n| n.to_string_lossy().to_string());
        let bytes = std::fs::read(f).unwrap_or_default();
        match newsline::store::ingest::parse_input(&bytes, &Default::default()) {
            Ok(docs) => {
                if let Err(e) = store.ingest(&docs, name.as_deref()) {
                    eprintln!("{}: {e}", f.display());
                }
            }
            Err(e) => eprintln!("{}: {e}", f.display()),
        }
    }
    let events = store.events(&Filter::default()).unwrap_or_default();
    let refs = store.story_refs(&events).unwrap_or_default();
    let file_of = |e: &newsline::store::EventRecord| e.article.path.clone().unwrap_or_default();

    // newsline: articles sharing a story.
    let mut by_story: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for e in &events {
        if let Some(r) = refs.get(&e.id) {
            by_story.entry(&r.id).or_default().insert(file_of(e));
        }
    }
    let mut ours: HashSet<Pair> = HashSet::new();
    for arts in by_story.values() {
        let v: Vec<&String> = arts.iter().collect();
        for (i, a) in v.iter().enumerate() {
            for b in &v[i + 1..] {
                ours.insert(pair(a, b));
            }
        }
    }

    // The baseline: TF-IDF over event sentences.
    let docs: Vec<(String, i32, HashMap<String, f64>)> = {
        let tokens: Vec<Vec<String>> = events.iter().map(|e| tokenize(&e.summary)).collect();
        let mut df: HashMap<&str, usize> = HashMap::new();
        for t in &tokens {
            let uniq: HashSet<&str> = t.iter().map(String::as_str).collect();
            for w in uniq {
                *df.entry(w).or_default() += 1;
            }
        }
        let n = tokens.len().max(1) as f64;
        events
            .iter()
            .zip(&tokens)
            .map(|(e, t)| {
                let day = date_span(&e.date.value)
                    .or_else(|| {
                        e.article
                            .published
                            .as_deref()
                            .and_then(|p| date_span(p.get(..10).unwrap_or(p)))
                    })
                    .map_or(i32::MIN, |s| s.0);
                let mut v: HashMap<String, f64> = HashMap::new();
                for w in t {
                    *v.entry(w.clone()).or_default() += 1.0;
                }
                for (w, x) in v.iter_mut() {
                    let idf = (n / df.get(w.as_str()).copied().unwrap_or(1) as f64).ln() + 1.0;
                    *x *= idf;
                }
                let norm = v.values().map(|x| x * x).sum::<f64>().sqrt().max(1e-9);
                v.values_mut().for_each(|x| *x /= norm);
                (file_of(e), day, v)
            })
            .collect()
    };
    let mut cosines: Vec<(Pair, f64)> = Vec::new();
    for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            let (a, b) = (&docs[i], &docs[j]);
            if a.0 == b.0 || a.1 == i32::MIN || b.1 == i32::MIN || (a.1 - b.1).abs() > 2 {
                continue;
            }
            let cos: f64 =
                a.2.iter()
                    .map(|(w, x)| x * b.2.get(w).copied().unwrap_or(0.0))
                    .sum();
            cosines.push((pair(&a.0, &b.0), cos));
        }
    }
    let baseline = |t: f64| -> HashSet<Pair> {
        cosines
            .iter()
            .filter(|(_, c)| *c >= t)
            .map(|(p, _)| p.clone())
            .collect()
    };

    println!(
        "{}: {} articles, {} events, {} gold pairs",
        dir.display(),
        files.len(),
        events.len(),
        gold_pairs.len()
    );
    report("newsline stories", &ours, &gold_pairs);
    report(
        &format!("TF-IDF cosine >= {threshold:.2}, 2 days"),
        &baseline(threshold),
        &gold_pairs,
    );
    if sweep {
        for t in (1..=18).map(|i| i as f64 * 0.05) {
            report(&format!("  TF-IDF >= {t:.2}"), &baseline(t), &gold_pairs);
        }
    }
    if explain {
        explain_errors(&events, &refs, &ours, &gold_pairs);
    }
    if show_pairs {
        for (name, set) in [("newsline", &ours), ("baseline", &baseline(threshold))] {
            let mut all: Vec<&Pair> = set.union(&gold_pairs).collect();
            all.sort();
            for p in all {
                let mark = match (set.contains(p), gold_pairs.contains(p)) {
                    (true, true) => "ok  ",
                    (true, false) => "FP  ",
                    (false, true) => "miss",
                    _ => continue,
                };
                println!("{name} {mark} {} {}", p.0, p.1);
            }
        }
    }
}

/// Why newsline's pairs differ from the gold: see `--explain` above.
fn explain_errors(
    events: &[EventRecord],
    refs: &HashMap<String, newsline::store::StoryRef>,
    ours: &HashSet<Pair>,
    gold: &HashSet<Pair>,
) {
    let file = |e: &EventRecord| {
        let p = e.article.path.clone().unwrap_or_default();
        p.rsplit('/').next().unwrap_or("").to_string()
    };
    let short = |p: &Pair| {
        let f = |s: &str| s.rsplit('/').next().unwrap_or("").to_string();
        (f(&p.0), f(&p.1))
    };
    let member = |e: &EventRecord| Member {
        event_id: e.id.clone(),
        article: e.article.id.clone(),
        published: e.article.published.clone(),
        kind: e.kind,
        date_value: e.date.value.clone(),
        date_phrase: None,
        summary: e.summary.clone(),
        officials: e.officials.clone(),
        countries: e.countries.clone(),
    };
    let line = |e: &EventRecord| {
        let text: String = e.summary.chars().take(110).collect();
        format!(
            "{} {} {:?} [{}] [{}] {}",
            file(e),
            e.date.value,
            e.kind,
            e.officials.join(", "),
            e.countries.join(" "),
            text
        )
    };
    let mut wrong: Vec<(&Pair, bool)> = ours
        .difference(gold)
        .map(|p| (p, true))
        .chain(gold.difference(ours).map(|p| (p, false)))
        .collect();
    wrong.sort();
    for (p, false_pair) in wrong {
        let (a, b) = short(p);
        let of =
            |f: &str| -> Vec<&EventRecord> { events.iter().filter(|e| file(e) == f).collect() };
        let (ea, eb) = (of(&a), of(&b));
        if false_pair {
            println!("FALSE PAIR {a} {b}");
            let story = |e: &EventRecord| refs.get(&e.id).map(|r| r.id.clone());
            let shared: BTreeSet<String> = ea
                .iter()
                .filter_map(|e| story(e))
                .filter(|s| eb.iter().any(|x| story(x).as_ref() == Some(s)))
                .collect();
            for s in shared {
                println!("  story {s}");
                for e in events.iter().filter(|e| story(e).as_ref() == Some(&s)) {
                    println!("    {}", line(e));
                }
            }
        } else {
            println!("MISSED {a} {b}");
            let mut near: Vec<(f32, String)> = Vec::new();
            for x in &ea {
                for y in &eb {
                    let (fx, fy) = (member(x).features(), member(y).features());
                    let (Some(sx), Some(sy)) = (fx.span, fy.span) else {
                        continue;
                    };
                    let w = wording(&fx.words, &fy.words);
                    let taken = match_score(&fx, &fy, || false).is_some();
                    near.push((
                        w,
                        format!(
                            "w {w:.2} {:?} {:?} taken {taken}\n      {}\n      {}",
                            date_fit(sx, sy),
                            kind_fit(x.kind, y.kind),
                            line(x),
                            line(y)
                        ),
                    ));
                }
            }
            near.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (_, l) in near.iter().take(3) {
                println!("    {l}");
            }
        }
    }
}

fn report(name: &str, got: &HashSet<Pair>, gold: &HashSet<Pair>) {
    let tp = got.intersection(gold).count() as f64;
    let p = if got.is_empty() {
        0.0
    } else {
        tp / got.len() as f64
    };
    let r = if gold.is_empty() {
        0.0
    } else {
        tp / gold.len() as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    println!(
        "{name:32} pairs {:4}  P {p:.2}  R {r:.2}  F1 {f:.2}",
        got.len()
    );
}

fn tokenize(s: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "the", "and", "for", "with", "that", "this", "was", "were", "are", "has", "have", "had",
        "from", "said", "but", "not", "its", "his", "her", "their", "they", "will", "would",
        "been", "who", "which", "after", "about", "into", "on", "in", "of", "to", "a", "an",
    ];
    s.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !STOP.contains(&w.as_str()))
        .collect()
}
