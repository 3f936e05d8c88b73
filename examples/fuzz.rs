//! Structure-aware fuzzing on stable Rust, driven by proptest's generators
//! from a plain binary (not from `cargo test`):
//!
//!     cargo run --release --example fuzz -- 1000000        # a million inputs
//!     cargo run --release --example fuzz -- 20000 --seed 7
//!
//! Inputs are plain text, HTML, RSS, Atom and JSON feeds, and `newsline
//! parse` JSON, built from pieces of news writing mixed with hostile
//! pieces (escape sequences with unique payloads, C0/C1 controls, bidi
//! and zero-width characters, broken markup, truncation). Each goes
//! through what a user would run: the parser (as `ingest` reads it),
//! the store, `show`, `list`, CSV export, and a browser render (timeline,
//! detail and article) on a ratatui TestBackend. It counts panics,
//! escape sequences or payloads seen in any output, and the slowest input
//! per byte, and prints the figures the README quotes. A panicking input
//! is written to target/fuzz-crashes/ to become a regression test.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

use newsline::cli;
use newsline::model::ParsedArticle;
use newsline::parse::Options;
use newsline::store::{ingest::parse_input, Filter, Store};
use newsline::tui::app::{App, Msg};
use newsline::tui::{clean_msg, data, load_detail, load_source, ui};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// Outputs holding payload text without its escape (see `inert_payloads`).
static INERT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Unique payloads, to tell whether a sequence's text survived.
const PAYLOADS: [&str; 3] = ["PAYLOADOSC52", "payloadosc8", "PAYLOADCONE"];

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\u{1b}]52;c;PAYLOADOSC52\u{7}".to_string()),
        Just("\u{1b}]52;c;PAYLOADOSC52\u{1b}\\".to_string()),
        Just("\u{1b}]8;;https://payloadosc8.test/\u{1b}\\link\u{1b}]8;;\u{1b}\\".to_string()),
        Just("\u{9d}52;c;PAYLOADCONE\u{9c}".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\u{1b}[2J\u{1b}[H".to_string()),
        Just("\u{9b}1;31m".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{2066}\u{200b}\u{feff}".to_string()),
        Just("\u{0}\u{7}\u{8}\r".to_string()),
        Just("\u{85}\u{90}\u{9f}".to_string()),
        Just("\u{1b}".to_string()),
        Just("&#27;]52;c;&#x1b;".to_string()),
    ]
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "Foreign", "Minister", "President", "said", "met", "on", "Monday", "Tuesday",
            "Nov.", "25", "2023", "in", "Tokyo", "Seoul", "Japan", "China", "South Korea",
            "talks", "agreed", "visit", "will", "next", "week", "last", "year", "the", "a",
            "Prime", "Yoko", "Kamikawa", "Wang", "Yi", "\"We", "agree,\"", "told", "reporters",
            "-", "—", "(Reuters)", "TOKYO,", "BUSAN,", "yesterday", "2024-02-03", "Q4",
        ]).prop_map(str::to_string),
        1 => "[a-zA-Zéü習近平]{1,12}",
        1 => hostile(),
    ]
}

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..25).prop_map(|w| w.join(" ") + ".")
}

fn plain() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(sentence(), 1..12),
        prop::option::of(sentence()),
    )
        .prop_map(|(s, head)| {
            let mut t = String::new();
            if let Some(h) = head {
                t.push_str(&format!("---\ntitle: {h}\npublished: 2023-11-25\n---\n"));
            }
            t + &s.join("\n\n")
        })
}

fn html() -> impl Strategy<Value = String> {
    (
        sentence(),
        prop::collection::vec((sentence(), 0..6usize, 0..40usize), 1..10),
        any::<bool>(),
    )
        .prop_map(|(title, paras, cut)| {
            let mut h = format!(
                "<!doctype html><html><head><title>{title}</title>\
                 <meta property=\"article:published_time\" content=\"2023-11-25\"></head><body><article>"
            );
            for (p, kind, attrs) in paras {
                let a: String = (0..attrs).map(|i| format!(" data-a{i}=\"{i}\"")).collect();
                match kind {
                    0 => h.push_str(&format!("<p{a}>{p}</p>")),
                    1 => h.push_str(&format!("<script>{p}</script>")),
                    2 => h.push_str(&format!("<div><p>{p}")),
                    3 => h.push_str(&format!("<blockquote>“{p}”</blockquote>")),
                    4 => h.push_str(&format!("<p>{p}<br><a href=\"javascript:{p}\">x</a></p>")),
                    _ => h.push_str(&p),
                }
            }
            h.push_str("</article></body></html>");
            if cut {
                let at = h.len() * 2 / 3;
                let at = (0..=at).rev().find(|&i| h.is_char_boundary(i)).unwrap_or(0);
                h.truncate(at);
            }
            h
        })
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn feed() -> impl Strategy<Value = String> {
    (
        0..3usize,
        prop::collection::vec((sentence(), plain(), "[a-z]{1,8}"), 1..6),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(kind, items, cut, escape)| {
            let esc = |s: &str| if escape { xml_escape(s) } else { s.to_string() };
            let mut f = match kind {
                0 => {
                    let mut f = String::from(
                        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>",
                    );
                    for (t, body, slug) in &items {
                        f.push_str(&format!(
                            "<item><title>{}</title><link>https://news.test/{slug}</link>\
                             <guid>{slug}</guid><pubDate>Sat, 25 Nov 2023 09:00:00 GMT</pubDate>\
                             <description>{}</description></item>",
                            esc(t),
                            esc(body)
                        ));
                    }
                    f + "</channel></rss>"
                }
                1 => {
                    let mut f = String::from(
                        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Wire</title>",
                    );
                    for (t, body, slug) in &items {
                        f.push_str(&format!(
                            "<entry><title>{}</title><id>urn:{slug}</id><link href=\"https://news.test/{slug}\"/>\
                             <updated>2023-11-25T09:00:00Z</updated><content type=\"html\">{}</content></entry>",
                            esc(t),
                            esc(body)
                        ));
                    }
                    f + "</feed>"
                }
                _ => {
                    let items: Vec<serde_json::Value> = items
                        .iter()
                        .map(|(t, body, slug)| {
                            serde_json::json!({
                                "id": slug, "url": format!("https://news.test/{slug}"),
                                "title": t, "content_text": body,
                                "date_published": "2023-11-25T09:00:00Z"
                            })
                        })
                        .collect();
                    serde_json::json!({
                        "version": "https://jsonfeed.org/version/1.1",
                        "title": "Wire", "items": items
                    })
                    .to_string()
                }
            };
            if cut {
                let at = f.len() * 3 / 4;
                let at = (0..=at).rev().find(|&i| f.is_char_boundary(i)).unwrap_or(0);
                f.truncate(at);
            }
            f
        })
}

/// Parse JSON made elsewhere: a real parse result with hostile pieces in
/// its fields, spans moved out of range, or the JSON cut short.
fn parse_json() -> impl Strategy<Value = String> {
    (plain(), hostile(), 0..4usize, any::<u16>()).prop_map(|(text, evil, how, n)| {
        let opts = Options::default();
        let Ok(mut docs) = newsline::parse::parse_bytes(text.as_bytes(), &opts) else {
            return format!("{{\"schema\":\"newsline.article/1\",{evil}");
        };
        let Some(mut a) = docs.pop() else {
            return String::new();
        };
        match how {
            0 => poison(&mut a, &evil),
            1 => {
                for e in &mut a.events {
                    e.evidence.start = n as usize;
                    e.evidence.end = n as usize / 2;
                }
                for q in &mut a.quotes {
                    q.span.end = q.span.end.saturating_add(n as usize);
                }
            }
            2 => a.article.text.push_str(&evil),
            _ => {}
        }
        let mut s = serde_json::to_string(&a).unwrap_or_default();
        if how == 3 {
            let at = (0..=s.len() / 2)
                .rev()
                .find(|&i| s.is_char_boundary(i))
                .unwrap_or(0);
            s.truncate(at);
        }
        s
    })
}

fn poison(a: &mut ParsedArticle, evil: &str) {
    let add = |s: &mut String| s.push_str(evil);
    if let Some(t) = &mut a.article.title {
        add(t);
    }
    a.article.source = Some(evil.to_string());
    a.article.url = Some(format!("https://x.test/{evil}"));
    a.article.dateline = Some(evil.to_string());
    a.article.authors.push(evil.to_string());
    for c in &mut a.countries {
        add(&mut c.code);
        add(&mut c.name);
    }
    for o in &mut a.officials {
        add(&mut o.name);
        o.title = Some(evil.to_string());
    }
    for q in &mut a.quotes {
        add(&mut q.text);
        q.speaker = Some(evil.to_string());
    }
    for e in &mut a.events {
        add(&mut e.summary);
        add(&mut e.date.value);
        e.location = Some(evil.to_string());
        e.countries.push(evil.to_string());
        e.officials.push(evil.to_string());
    }
}

fn input() -> impl Strategy<Value = (&'static str, String)> {
    prop_oneof![
        plain().prop_map(|s| ("text", s)),
        html().prop_map(|s| ("html", s)),
        feed().prop_map(|s| ("feed", s)),
        parse_json().prop_map(|s| ("parse-json", s)),
    ]
}

/// Anything in `out` that must never reach a terminal.
fn escapes_in(out: &str) -> usize {
    let n = count_escapes(out);
    INERT.fetch_add(inert_payloads(out), std::sync::atomic::Ordering::Relaxed);
    if n > 0 && std::env::var_os("FUZZ_LOUD").is_some() {
        let at = out
            .char_indices()
            .find(|&(_, c)| count_escapes(&c.to_string()) > 0)
            .map_or(0, |(i, _)| i);
        let from = (0..=at.saturating_sub(60))
            .rev()
            .find(|&i| out.is_char_boundary(i))
            .unwrap_or(0);
        let to = (at + 60..=out.len())
            .find(|&i| out.is_char_boundary(i))
            .unwrap_or(out.len());
        eprintln!("escape in output: {:?}", &out[from..to]);
    }
    n
}

fn count_escapes(out: &str) -> usize {
    let bad_char = out
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{feff}')
        })
        .count();
    bad_char
}

/// Payload text whose escape introducer is gone (inert on a terminal;
/// today it comes from feeds stored as raw JSON, issue 11 item 4).
fn inert_payloads(out: &str) -> usize {
    PAYLOADS.iter().filter(|p| out.contains(*p)).count()
}

#[derive(Default)]
struct Figures {
    inputs: usize,
    by_kind: std::collections::BTreeMap<&'static str, usize>,
    panics: usize,
    escapes: usize,
    stored: usize,
    refused: usize,
    slowest_per_byte: (f64, usize, &'static str),
    bytes: usize,
}

/// Everything a user could run on one input; returns the escapes seen.
fn run_one(store: &mut Store, kind: &str, input: &str, n: usize) -> (usize, bool) {
    let mut seen = 0;
    let docs = match parse_input(input.as_bytes(), &Options::default()) {
        Ok(d) => d,
        Err(e) => return (escapes_in(&cli_error(&e.to_string())), false),
    };
    // A hostile file name too.
    let path = format!("/in/{kind}-{n}\u{1b}]52;c;PAYLOADOSC52\u{7}.txt");
    let path = newsline::source::sanitize::clean_line(&path).into_owned();
    if store.ingest(&docs, Some(&path)).is_err() {
        return (0, false);
    }
    let Ok(mut events) = store.events(&Filter::default()) else {
        return (0, true);
    };
    events.iter_mut().for_each(cli::clean_event);
    let mut out: Vec<u8> = Vec::new();
    let _ = cli::list::write_table(&mut out, &events, Some(120));
    let _ = cli::list::write_json(&mut out, &events);
    let _ = cli::export::write_csv(&mut out, &events);
    for e in events.iter().take(3) {
        let art = store.article(&e.article.id).ok().flatten();
        let ev = art
            .as_ref()
            .and_then(|a| a.text.get(e.evidence.start..e.evidence.end))
            .map(|t| newsline::source::sanitize::clean_line(t).into_owned())
            .unwrap_or_default();
        let _ = cli::show::write_text(&mut out, e, &ev, art.as_ref());
    }
    seen += escapes_in(&String::from_utf8_lossy(&out));
    seen += browser(store);
    (seen, true)
}

fn cli_error(msg: &str) -> String {
    newsline::source::sanitize::clean_line(msg).into_owned()
}

/// Timeline, detail and article of the first event, drawn.
fn browser(store: &Store) -> usize {
    let Ok(d) = data::load(store, |_, _| {}) else {
        return 0;
    };
    let mut app = App::new(
        Default::default(),
        (120, 40),
        "s".into(),
        Default::default(),
    );
    let Ok(mut term) = Terminal::new(TestBackend::new(120, 40)) else {
        return 0;
    };
    let first = d.rows.first().map(|r| r.id.to_string());
    app.update(Msg::Loaded(Ok(std::sync::Arc::new(d))));
    let mut seen = 0;
    let mut draw = |app: &App, term: &mut Terminal<TestBackend>| {
        let _ = term.draw(|f| ui::render(app, f));
        let s: String = term
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        seen += escapes_in(&s);
    };
    draw(&app, &mut term);
    if let (Some(id), Some(i)) = (first, app.current()) {
        if let Ok(Some(det)) = load_detail(store, i, &id) {
            app.update(clean_msg(Msg::Detail(Box::new(det))));
            draw(&app, &mut term);
        }
        if let Ok(Some(doc)) = load_source(store, i, &id, None) {
            app.update(clean_msg(Msg::Source(Box::new(doc))));
            draw(&app, &mut term);
        }
    }
    seen
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let total: usize = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(1);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let strategy = input();
    let dir = tempfile::tempdir().expect("temp dir");
    let crashes = Path::new("target/fuzz-crashes");
    // Panics are counted, not printed one by one.
    let quiet = std::env::var_os("FUZZ_LOUD").is_none();
    if quiet {
        std::panic::set_hook(Box::new(|_| {}));
    }
    let mut fig = Figures::default();
    let start = Instant::now();
    let mut store: Option<Store> = None;
    for n in 0..total {
        // A fresh store every 500 inputs keeps each one small.
        if n % 500 == 0 {
            let p = dir.path().join(format!("f{}.db", n / 500));
            store = Store::open(&p).ok();
            if n > 0 {
                let _ = std::fs::remove_file(dir.path().join(format!("f{}.db", n / 500 - 1)));
            }
        }
        let Some(s) = store.as_mut() else {
            eprintln!("fuzz: cannot open a store in {}", dir.path().display());
            std::process::exit(1);
        };
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            continue;
        };
        let (kind, text) = tree.current();
        fig.inputs += 1;
        fig.bytes += text.len();
        *fig.by_kind.entry(kind).or_default() += 1;
        let t = Instant::now();
        match catch_unwind(AssertUnwindSafe(|| run_one(s, kind, &text, n))) {
            Ok((esc, stored)) => {
                fig.escapes += esc;
                if stored {
                    fig.stored += 1;
                } else {
                    fig.refused += 1;
                }
                if esc > 0 {
                    let _ = std::fs::create_dir_all(crashes);
                    let _ = std::fs::write(crashes.join(format!("escape-{n}.{kind}")), &text);
                }
            }
            Err(_) => {
                fig.panics += 1;
                let _ = std::fs::create_dir_all(crashes);
                let _ = std::fs::write(crashes.join(format!("panic-{n}.{kind}")), &text);
            }
        }
        let per_byte = t.elapsed().as_secs_f64() / text.len().max(1) as f64;
        if text.len() >= 200 && per_byte > fig.slowest_per_byte.0 {
            fig.slowest_per_byte = (per_byte, text.len(), kind);
        }
        if (n + 1) % 1000 == 0 {
            eprint!(
                "\r{} inputs, {} panics, {} escapes, {:.0} s",
                n + 1,
                fig.panics,
                fig.escapes,
                start.elapsed().as_secs_f64()
            );
            let _ = std::io::stderr().flush();
        }
    }
    let took = start.elapsed();
    eprintln!();
    println!("fuzz: seed {seed}");
    println!(
        "inputs {} ({}), {:.1} MB in {:.0} s ({:.0} inputs/s)",
        fig.inputs,
        fig.by_kind
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        fig.bytes as f64 / 1e6,
        took.as_secs_f64(),
        fig.inputs as f64 / took.as_secs_f64().max(1e-9)
    );
    println!(
        "stored {}, refused with a message {}",
        fig.stored, fig.refused
    );
    println!("panics {}", fig.panics);
    println!(
        "escape or control characters seen in any output {}",
        fig.escapes
    );
    println!(
        "outputs holding payload text without its escape (inert) {}",
        INERT.load(std::sync::atomic::Ordering::Relaxed)
    );
    let (pb, len, kind) = fig.slowest_per_byte;
    println!(
        "slowest input per byte: {:.2} µs/byte ({kind}, {len} bytes, {:.1} ms in all, parse to browser)",
        pb * 1e6,
        pb * len as f64 * 1e3
    );
    let _ = Duration::ZERO;
    if fig.panics > 0 || fig.escapes > 0 {
        println!("inputs written to {}", crashes.display());
        std::process::exit(1);
    }
}
