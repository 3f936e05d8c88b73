//! Feed benchmarks (a plain binary: `cargo bench --bench feeds`).
//!
//! 1. `update` over 200 feeds of 50 items each, served on 127.0.0.1 by
//!    eight small servers (eight hosts, so `--jobs 4` has hosts to spread
//!    over), per-host delay 0: the first pass fetches, parses and stores
//!    10,000 items; the second pass gets a 304 for every feed. Target for
//!    the second pass: under 1 s.
//! 2. Peak memory (VmHWM) after each pass.
//! 3. From a commit by another connection to the browser's reload: the
//!    time `tui::spawn_watcher` takes to notice and load the new rows.
//!
//! Prints medians of three runs, each on a fresh store.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use newsline::fetch::{self, Settings};
use newsline::store::feeds::{FeedSelection, NewFeed};
use newsline::store::Store;

const HOSTS: usize = 8;
const FEEDS: usize = 200;
const ITEMS: usize = 50;

const COUNTRIES: [&str; 8] = [
    "Chile", "Norway", "Kenya", "Vietnam", "Poland", "Brazil", "Egypt", "Canada",
];
const CITIES: [&str; 8] = [
    "Santiago", "Oslo", "Nairobi", "Hanoi", "Warsaw", "Brasilia", "Cairo", "Ottawa",
];

/// One feed's RSS: invented wire items, different per feed and item.
fn feed_body(feed: usize) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Bench desk {feed}</title><link>http://127.0.0.1/</link><description>d</description>\n"
    );
    for i in 0..ITEMS {
        let a = COUNTRIES[(feed + i) % 8];
        let b = COUNTRIES[(feed + 3 * i + 1) % 8];
        let city = CITIES[(feed * 7 + i) % 8];
        let day = 1 + (feed + i) % 27;
        let mut text = format!(
            "&lt;p&gt;{city}, March {day} - The foreign ministers of {a} and {b} met in {city} on Tuesday to discuss trade and shipping, officials said.&lt;/p&gt;"
        );
        for k in 0..6 {
            text.push_str(&format!(
                "&lt;p&gt;Working group {k} of desk {feed} item {i} will report on ports, fisheries and energy before the summit in April, a spokesman for the {a} foreign ministry said on Wednesday.&lt;/p&gt;"
            ));
        }
        s.push_str(&format!(
            "<item><guid isPermaLink=\"false\">bench-{feed}-{i}</guid><title>{a} and {b} hold talks in {city} ({feed}.{i})</title><pubDate>Tue, {day:02} Mar 2026 10:00:00 GMT</pubDate><description>{text}</description></item>\n"
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

/// A server for `/feed-N.xml`, answering 304 to its own ETag.
fn serve(bodies: Arc<Vec<String>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let bodies = Arc::clone(&bodies);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut first = String::new();
                let _ = reader.read_line(&mut first);
                let mut inm = None;
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    if let Some(v) = line
                        .strip_prefix("if-none-match:")
                        .or_else(|| line.strip_prefix("If-None-Match:"))
                    {
                        inm = Some(v.trim().to_string());
                    }
                    line.clear();
                }
                let n: usize = first
                    .split_whitespace()
                    .nth(1)
                    .and_then(|p| p.strip_prefix("/feed-"))
                    .and_then(|p| p.strip_suffix(".xml"))
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(usize::MAX);
                let mut out = &stream;
                let Some(body) = bodies.get(n) else {
                    let _ = out.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                    return;
                };
                let etag = format!("\"b{n}\"");
                if inm.as_deref() == Some(etag.as_str()) {
                    let _ = write!(
                        out,
                        "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"
                    );
                } else {
                    let _ = write!(
                        out,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: {etag}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = out.write_all(body.as_bytes());
                }
            });
        }
    });
    port
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn pass(path: &std::path::Path, settings: &Settings, force: bool) -> (Duration, usize, usize) {
    let now = chrono::Utc::now();
    let t = Instant::now();
    let mut store = Store::open(path).expect("store");
    let lease = fetch::stamp(now + chrono::Duration::minutes(15));
    let (feeds, _) = store
        .claim_due(&FeedSelection::default(), force, &fetch::stamp(now), &lease)
        .expect("claim");
    drop(store);
    let reports = fetch::update::run(path, feeds, settings, now, |_| {});
    let took = t.elapsed();
    let fetched = reports
        .iter()
        .filter(|r| r.status == fetch::update::Status::Fetched)
        .count();
    let not_modified = reports
        .iter()
        .filter(|r| r.status == fetch::update::Status::NotModified)
        .count();
    (took, fetched, not_modified)
}

fn main() {
    let bodies: Arc<Vec<String>> = Arc::new((0..FEEDS).map(feed_body).collect());
    let ports: Vec<u16> = (0..HOSTS).map(|_| serve(Arc::clone(&bodies))).collect();
    let settings = Settings {
        host_delay: Duration::ZERO,
        jobs: 4,
        ..Settings::default()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut first, mut second) = (Vec::new(), Vec::new());
    let mut events = 0i64;
    for run in 0..3 {
        let path = dir.path().join(format!("feeds-{run}.db"));
        let mut store = Store::open(&path).expect("store");
        for n in 0..FEEDS {
            let url = format!("http://127.0.0.1:{}/feed-{n}.xml", ports[n % HOSTS]);
            store
                .add_feed(
                    &NewFeed {
                        url,
                        every_secs: 3600,
                        full_text: "never".into(),
                        ..NewFeed::default()
                    },
                    "2026-03-02T00:00:00Z",
                )
                .expect("add");
        }
        drop(store);
        let (t1, fetched, _) = pass(&path, &settings, false);
        assert_eq!(fetched, FEEDS, "first pass: every feed fetched");
        let rss1 = peak_rss_mb();
        let (t2, _, nm) = pass(&path, &settings, true);
        assert_eq!(nm, FEEDS, "second pass: every feed not modified");
        let rss2 = peak_rss_mb();
        let store = Store::open(&path).expect("store");
        events = store
            .connection()
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .unwrap_or(0);
        let articles: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .unwrap_or(0);
        println!(
            "run {run}: first pass {:.2} s ({articles} articles, {events} events), all-304 pass {:.3} s, peak RSS {rss1:.0} MB / {rss2:.0} MB",
            t1.as_secs_f64(),
            t2.as_secs_f64()
        );
        first.push(t1);
        second.push(t2);
    }
    let f = median(first);
    let s = median(second);
    println!(
        "update, {FEEDS} feeds x {ITEMS} items on {HOSTS} local hosts, --jobs 4: first pass median {:.2} s ({:.0} items/s, {events} events), all-304 pass median {:.3} s (target < 1 s: {})",
        f.as_secs_f64(),
        (FEEDS * ITEMS) as f64 / f.as_secs_f64(),
        s.as_secs_f64(),
        if s < Duration::from_secs(1) { "met" } else { "MISSED" }
    );
    println!("peak RSS of the whole bench: {:.0} MB", peak_rss_mb());

    // 3. Commit by another connection -> the browser's watcher has reloaded.
    let path = dir.path().join("feeds-0.db");
    let (tx, rx) = std::sync::mpsc::channel();
    newsline::tui::spawn_watcher(path.clone(), tx);
    std::thread::sleep(Duration::from_millis(1500));
    while rx.try_recv().is_ok() {}
    let mut lat = Vec::new();
    for i in 0..5 {
        let mut store = Store::open(&path).expect("store");
        let doc = format!(
            "Kenya and Chile sign a port accord {i}\n\nNAIROBI, March 3 - The foreign ministers of Kenya and Chile signed a port accord in Nairobi on Tuesday, number {i}.\n"
        );
        let arts =
            newsline::parse::parse_bytes(doc.as_bytes(), &Default::default()).expect("parse");
        let t = Instant::now();
        store.ingest(&arts, None).expect("ingest");
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(_) => lat.push(t.elapsed()),
            Err(_) => println!("watcher: no reload within 10 s"),
        }
    }
    if !lat.is_empty() {
        let m = median(lat);
        println!(
            "commit by another connection -> rows reloaded by the browser's watcher ({events} events): median {:.0} ms (checked every 0.5 s; target < 2 s)",
            m.as_secs_f64() * 1000.0
        );
    }
}
