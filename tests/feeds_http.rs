//! Feeds over HTTP against a server the tests start on 127.0.0.1: what
//! newsline sends, and how it follows what the server answers.

mod feeds_common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use feeds_common::*;

const ETAG: &str = "W/\"5e1-a b\"";
const LAST_MODIFIED: &str = "Mon, 02 Mar 2026 09:00:00 GMT";

fn one_item_feed(port_hint: &str) -> String {
    rss(
        "Harbour Desk",
        &[(
            "desk-1",
            "Chile and Norway agree on a fisheries accord",
            &format!("{port_hint}/story-1"),
            &long_text("a fisheries accord"),
        )],
    )
}

#[test]
fn second_request_echoes_the_validators_exactly_and_304_stores_nothing() {
    let body = one_item_feed("http://127.0.0.1:1");
    let server = Server::start(move |req| {
        if req.header("if-none-match") == Some(ETAG) {
            return Reply::status(304).with("ETag", ETAG);
        }
        Reply::ok("application/rss+xml", body.clone())
            .with("ETag", ETAG)
            .with("Last-Modified", LAST_MODIFIED)
    });
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let feed = server.url("/feed.xml");
    let out = newsline(&store, T0, &["feeds", "add", &feed, "--every", "1m"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 1);
    let events = count(&store, "SELECT count(*) FROM events");

    // Not due yet: nothing is sent.
    let out = newsline(&store, &at(30), &["update"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(server.requests().len(), 1);

    let out = newsline(&store, &at(65), &["update"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("not modified"), "{}", text(&out));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    // The first request is the only unconditional one.
    assert_eq!(reqs[0].header("if-none-match"), None);
    assert_eq!(reqs[0].header("if-modified-since"), None);
    assert!(reqs[0]
        .header("user-agent")
        .unwrap()
        .starts_with("newsline/"));
    assert_eq!(reqs[0].header("cookie"), None);
    assert_eq!(reqs[0].header("referer"), None);
    assert_eq!(reqs[1].header("if-none-match"), Some(ETAG));
    assert_eq!(reqs[1].header("if-modified-since"), Some(LAST_MODIFIED));
    assert_eq!(reqs[1].path, "/feed.xml");
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM events"), events);
    assert_eq!(feed_column(&store, "last_status").as_deref(), Some("304"));
    assert_eq!(feed_column(&store, "etag").as_deref(), Some(ETAG));

    // --force asks again at once, still conditionally.
    let out = newsline(&store, &at(66), &["update", "--force"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(server.requests()[2].header("if-none-match"), Some(ETAG));
}

#[test]
fn retry_after_on_a_429_holds_back_even_a_forced_update() {
    let server = Server::start(|_| Reply::status(429).with("Retry-After", "120"));
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let feed = server.url("/busy.xml");
    let out = newsline(&store, T0, &["feeds", "add", &feed, "--every", "1m"]);
    // Deferred by the server is not a failure.
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("deferred"), "{}", text(&out));
    assert_eq!(server.requests().len(), 1);
    for t in [60, 100, 119] {
        let out = newsline(&store, &at(t), &["update", "--force"]);
        assert!(out.status.success(), "{}", text(&out));
    }
    let out = newsline(&store, &at(119), &["update", "--feed", &feed, "--force"]);
    assert!(
        text(&out).contains("not to be asked before"),
        "{}",
        text(&out)
    );
    assert_eq!(
        server.requests().len(),
        1,
        "asked before Retry-After ran out"
    );
    let out = newsline(&store, &at(121), &["update"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_429_without_retry_after_backs_off_exponentially() {
    let server = Server::start(|_| Reply::status(503));
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let feed = server.url("/f.xml");
    newsline(&store, T0, &["feeds", "add", &feed, "--every", "1m"]);
    // 1st failure: one interval; 2nd: two.
    assert_eq!(
        feed_column(&store, "next_due").as_deref(),
        Some(at(60).as_str())
    );
    newsline(&store, &at(60), &["update"]);
    assert_eq!(
        feed_column(&store, "next_due").as_deref(),
        Some(at(180).as_str())
    );
    newsline(&store, &at(179), &["update"]);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_301_moves_the_stored_url_and_a_410_pauses() {
    let gone = Arc::new(AtomicUsize::new(0));
    let g = Arc::clone(&gone);
    let body = one_item_feed("http://127.0.0.1:1");
    let server = Server::start(move |req| match req.path.as_str() {
        "/old.xml" => Reply::status(301).with("Location", "/new.xml"),
        "/new.xml" if g.load(Ordering::SeqCst) == 0 => {
            Reply::ok("application/rss+xml", body.clone())
        }
        _ => Reply::status(410),
    });
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let out = newsline(
        &store,
        T0,
        &["feeds", "add", &server.url("/old.xml"), "--every", "1m"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("moved permanently"), "{}", text(&out));
    assert_eq!(feed_column(&store, "url"), Some(server.url("/new.xml")));
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 1);

    gone.store(1, Ordering::SeqCst);
    let out = newsline(&store, &at(65), &["update"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(server.requests().last().unwrap().path, "/new.xml");
    assert!(text(&out).contains("paused"), "{}", text(&out));
    assert_eq!(feed_column(&store, "paused").as_deref(), Some("1"));
    let n = server.requests().len();
    let out = newsline(&store, &at(10_000), &["update", "--force"]);
    assert!(out.status.success());
    assert_eq!(server.requests().len(), n, "a paused feed was fetched");
    // What it stored stays.
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 1);
    // Adding it again resumes it.
    newsline(
        &store,
        &at(10_001),
        &["feeds", "add", &server.url("/new.xml"), "--no-fetch"],
    );
    assert_eq!(feed_column(&store, "paused").as_deref(), Some("0"));
}

#[test]
fn a_gzip_bomb_fails_cleanly() {
    use std::io::Write;
    // 256 MiB of zeros, a few hundred KB compressed.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        enc.write_all(&zeros).unwrap();
    }
    let bomb = enc.finish().unwrap();
    let server = Server::start(move |_| {
        Reply::ok("application/rss+xml", bomb.clone()).with("Content-Encoding", "gzip")
    });
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let started = std::time::Instant::now();
    let out = newsline(&store, T0, &["feeds", "add", &server.url("/bomb.xml")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("larger than 16 MiB"), "{}", text(&out));
    assert!(started.elapsed().as_secs() < 20);
    assert!(feed_column(&store, "error").unwrap().contains("16 MiB"));
    assert!(feed_column(&store, "next_due").is_some());
}

#[test]
fn a_server_that_never_answers_times_out_without_holding_up_others() {
    let hang = Server::start(|_| Reply::Hang);
    let body = one_item_feed("http://127.0.0.1:1");
    let fine = Server::start(move |_| Reply::ok("application/rss+xml", body.clone()));
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    for url in [hang.url("/a.xml"), hang.url("/b.xml"), fine.url("/c.xml")] {
        newsline(&store, T0, &["feeds", "add", &url, "--no-fetch"]);
    }
    let started = std::time::Instant::now();
    let out = newsline(&store, T0, &["update", "--jobs", "2"]);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("timed out"), "{t}");
    assert!(
        t.contains(&format!("fetched   {}", fine.url("/c.xml"))),
        "{t}"
    );
    // The two hanging feeds share a host: one after the other, 3 s each;
    // the other host's feed did not wait for them.
    assert!(took.as_secs_f64() < 9.0, "{took:?}");
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 1);
}
