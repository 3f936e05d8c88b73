//! What a feed's items become: full text fetched once, known items
//! recognised, changed items replaced in place, concurrent updates, OPML,
//! and the bad inputs a feed reader meets.

mod feeds_common;

use std::sync::{Arc, Mutex};

use feeds_common::*;

const PAGE: &str = "<html><head><title>Accord</title></head><body><article>\
<h1>Chile and Norway agree on a fisheries accord</h1>\
<p>OSLO - The foreign ministers of Chile and Norway signed a fisheries accord in Oslo on Tuesday after two years of talks between their coast guards and research institutes.</p>\
<p>The accord sets shared quotas for three species and opens each country's ports to the other's patrol vessels, the Norwegian foreign ministry said in a statement.</p>\
<p>Both governments will review the agreement in Santiago next March, officials said, and a joint commission will meet every six months until then.</p>\
</article></body></html>";

#[test]
fn a_short_item_gets_its_page_fetched_once_and_only_once() {
    let feed_body = Arc::new(Mutex::new(String::new()));
    let fb = Arc::clone(&feed_body);
    let server = Server::start(move |req| match req.path.as_str() {
        "/feed.xml" => Reply::ok("application/rss+xml", fb.lock().unwrap().clone()),
        "/story-1" => Reply::ok("text/html; charset=utf-8", PAGE),
        _ => Reply::status(404),
    });
    let short = |extra: &str| {
        rss(
            "Harbour Desk",
            &[
                (
                    "g1",
                    "Chile and Norway agree on a fisheries accord",
                    &server.url("/story-1"),
                    &format!("Ministers signed the accord in Oslo.{extra}"),
                ),
                (
                    "g2",
                    "Ports open to patrols",
                    &server.url("/missing"),
                    "A short item whose page is gone.",
                ),
            ],
        )
    };
    *feed_body.lock().unwrap() = short("");
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let out = newsline(
        &store,
        T0,
        &["feeds", "add", &server.url("/feed.xml"), "--every", "1m"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("2 pages fetched, 1 failed (item text kept)"),
        "{}",
        text(&out)
    );
    assert_eq!(server.count("/story-1"), 1);
    assert_eq!(server.count("/missing"), 1);
    // The page's text under the feed's title and date.
    let conn = rusqlite::Connection::open(&store).unwrap();
    let (title, published, body): (String, String, String) = conn
        .query_row(
            "SELECT title, published, text FROM articles WHERE url LIKE '%story-1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(title, "Chile and Norway agree on a fisheries accord");
    assert!(published.starts_with("2026-03-02"), "{published}");
    assert!(body.contains("shared quotas for three species"), "{body}");
    let kept: String = conn
        .query_row(
            "SELECT text FROM articles WHERE url LIKE '%missing'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(kept.contains("A short item whose page is gone."));
    let noted: String = conn
        .query_row(
            "SELECT page FROM feed_items WHERE key = 'guid:g2'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(noted, "failed: HTTP 404");

    // Fetched again, and the items changed: no page is fetched twice.
    *feed_body.lock().unwrap() = short(" Updated.");
    for t in [65, 200] {
        let out = newsline(&store, &at(t), &["update"]);
        assert!(out.status.success(), "{}", text(&out));
    }
    assert_eq!(server.count("/feed.xml"), 3);
    assert_eq!(server.count("/story-1"), 1);
    assert_eq!(server.count("/missing"), 1);
}

#[test]
fn known_items_are_recognised_and_changed_ones_replaced_keeping_their_id() {
    let feed_body = Arc::new(Mutex::new(String::new()));
    let fb = Arc::clone(&feed_body);
    let server =
        Server::start(move |_| Reply::ok("application/rss+xml", fb.lock().unwrap().clone()));
    let items = |second: &str| {
        rss(
            "Desk",
            &[
                ("guid-a", "Talks in Oslo", "", &long_text("ports")),
                (
                    "",
                    "Summit in Lima",
                    "https://example.invalid/lima",
                    &long_text(second),
                ),
                ("", "No link and no guid", "", &long_text("research")),
            ],
        )
    };
    *feed_body.lock().unwrap() = items("trade");
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let out = newsline(
        &store,
        T0,
        &[
            "feeds",
            "add",
            &server.url("/f.xml"),
            "--every",
            "1m",
            "--full-text",
            "never",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 3);
    let keys: Vec<String> = {
        let conn = rusqlite::Connection::open(&store).unwrap();
        let mut st = conn
            .prepare("SELECT key FROM feed_items ORDER BY key")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(keys.len(), 3);
    assert!(keys.contains(&"guid:guid-a".to_string()), "{keys:?}");
    assert!(
        keys.contains(&"link:https://example.invalid/lima".to_string()),
        "{keys:?}"
    );
    assert!(keys.iter().any(|k| k.starts_with("hash:")), "{keys:?}");
    let id_before: String = rusqlite::Connection::open(&store)
        .unwrap()
        .query_row(
            "SELECT article_id FROM feed_items WHERE key LIKE 'link:%'",
            [],
            |r| r.get(0),
        )
        .unwrap();

    // Same feed again: nothing new.
    let out = newsline(&store, &at(65), &["update"]);
    assert!(text(&out).contains("+0 articles"), "{}", text(&out));
    // The linked item's text changes: it replaces the stored article.
    *feed_body.lock().unwrap() = items("energy");
    let out = newsline(&store, &at(130), &["update"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("1 updated"), "{}", text(&out));
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 3);
    let conn = rusqlite::Connection::open(&store).unwrap();
    let body: String = conn
        .query_row(
            "SELECT text FROM articles WHERE id = ?1",
            [&id_before],
            |r| r.get(0),
        )
        .unwrap();
    assert!(body.contains("energy"), "{body}");
    // Its events belong to the same article and are not doubled.
    let orphans: i64 = conn
        .query_row(
            "SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    drop(conn);

    // Removing the feed keeps its articles; --purge deletes them.
    let out = newsline(&store, &at(140), &["feeds", "remove", "1"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(count(&store, "SELECT count(*) FROM feeds"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 3);
    newsline(
        &store,
        &at(150),
        &[
            "feeds",
            "add",
            &server.url("/f.xml"),
            "--full-text",
            "never",
        ],
    );
    let out = newsline(
        &store,
        &at(160),
        &["feeds", "remove", &server.url("/f.xml"), "--purge"],
    );
    assert!(out.status.success(), "{}", text(&out));
    // Left: only the article the first subscription replaced in place
    // (kept under its old id when that subscription was removed).
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 1);
    assert_eq!(
        count(
            &store,
            &format!("SELECT count(*) FROM articles WHERE id = '{id_before}'")
        ),
        1
    );
    assert_eq!(count(&store, "SELECT count(*) FROM feed_items"), 0);
    // The purged articles left their stories too: no story is left
    // without events, and each counts only the articles still stored.
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM stories WHERE id NOT IN (SELECT story FROM story_events)"
        ),
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM stories s WHERE sources <> \
             (SELECT count(DISTINCT article) FROM story_events WHERE story = s.id)"
        ),
        0
    );
    assert!(count(&store, "SELECT count(*) FROM stories") > 0);
    // Nor is any story index key left of their events (a trigger deletes
    // them with the event's story row).
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM story_keys WHERE event_seq NOT IN \
             (SELECT event_seq FROM story_events)"
        ),
        0
    );
    assert!(count(&store, "SELECT count(*) FROM story_keys") > 0);
}

#[test]
fn two_updates_at_once_store_each_article_once() {
    let server = Server::start(|req| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let n = req
            .path
            .trim_start_matches("/f")
            .trim_end_matches(".xml")
            .to_string();
        let items: Vec<(String, String, String, String)> = (0..5)
            .map(|i| {
                (
                    format!("f{n}-{i}"),
                    format!("Item {i} of feed {n}"),
                    String::new(),
                    long_text(&format!("topic {n} {i}")),
                )
            })
            .collect();
        let refs: Vec<(&str, &str, &str, &str)> = items
            .iter()
            .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str()))
            .collect();
        Reply::ok("application/rss+xml", rss(&format!("Feed {n}"), &refs))
    });
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    for n in 0..8 {
        newsline(
            &store,
            T0,
            &[
                "feeds",
                "add",
                &server.url(&format!("/f{n}.xml")),
                "--no-fetch",
            ],
        );
    }
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_newsline"))
            .args(["update", "--jobs", "3"])
            .env("NEWSLINE_STORE", &store)
            .env("NEWSLINE_NOW", T0)
            .env("NEWSLINE_HOST_DELAY", "0")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success(), "{}", text(&a));
    assert!(b.status.success(), "{}", text(&b));
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 40);
    assert_eq!(count(&store, "SELECT count(*) FROM feed_items"), 40);
    assert_eq!(
        count(&store, "SELECT count(DISTINCT title) FROM articles"),
        40
    );
    // Each feed was fetched by one of the two, not both.
    assert_eq!(server.requests().len(), 8);
    let both = format!("{}{}", text(&a), text(&b));
    assert_eq!(both.matches("fetched   ").count(), 8, "{both}");
}

#[test]
fn opml_import_export_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let opml = dir.path().join("in.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
<outline text="World"><outline type="rss" text="Desk &amp; Wire" xmlUrl="https://a.example/rss" category="asia"/></outline>
<outline type="rss" text="Other" xmlUrl="https://b.example/atom.xml"/>
</body></opml>"#,
    )
    .unwrap();
    let out = newsline(&store, T0, &["feeds", "import", opml.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("imported 2 new feeds"),
        "{}",
        text(&out)
    );
    let out = newsline(&store, T0, &["feeds", "export"]);
    assert!(out.status.success());
    let exported = dir.path().join("out.opml");
    std::fs::write(&exported, &out.stdout).unwrap();

    let store2 = dir.path().join("s2.db");
    let out = newsline(
        &store2,
        T0,
        &["feeds", "import", exported.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let list = |s: &std::path::Path| {
        let o = newsline(s, T0, &["feeds", "list", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| (f["url"].clone(), f["title"].clone(), f["tags"].clone()))
            .collect::<Vec<_>>()
    };
    let (one, two) = (list(&store), list(&store2));
    assert_eq!(one, two);
    assert_eq!(one[0].2, serde_json::json!(["World", "asia"]));
    assert_eq!(one[0].1, serde_json::json!("Desk & Wire"));

    // newsboat's urls file, and --tag on list.
    let urls = dir.path().join("urls");
    std::fs::write(
        &urls,
        "https://c.example/feed world \"east asia\"\n# comment\n",
    )
    .unwrap();
    newsline(&store, T0, &["feeds", "import", urls.to_str().unwrap()]);
    let o = newsline(
        &store,
        T0,
        &["feeds", "list", "--tag", "east asia", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["url"], "https://c.example/feed");
}

#[test]
fn bad_inputs_fail_one_line_each_and_are_rescheduled() {
    let good = rss(
        "Good",
        &[("g", "Ministers meet in Lima", "", &long_text("trade"))],
    );
    let no_links = rss(
        "Bare",
        &[(
            "",
            "An item with neither link nor date",
            "",
            "Peru and Chile held talks in Lima.",
        )],
    )
    .replace("<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate>", "");
    let server = Server::start(move |req| match req.path.as_str() {
        "/good.xml" => Reply::ok("application/rss+xml", good.clone()),
        "/bare.xml" => Reply::ok("application/rss+xml", no_links.clone()),
        "/404.xml" => Reply::status(404),
        "/500.xml" => Reply::status(500),
        "/loop-a" => Reply::status(302).with("Location", "/loop-b"),
        "/loop-b" => Reply::status(302).with("Location", "/loop-a"),
        "/page.xml" => Reply::ok(
            "text/html",
            "<!doctype html><html><body><p>Welcome to our site.</p></body></html>",
        ),
        "/broken.xml" => Reply::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>x</title><item><title>a</item></channel",
        ),
        "/empty.xml" => Reply::ok("application/rss+xml", ""),
        "/endless.xml" => Reply::Endless,
        _ => Reply::status(404),
    });
    // A port nobody listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let bad = [
        (
            format!("http://127.0.0.1:{closed}/x.xml"),
            "connection refused",
        ),
        // TLS spoken to a plain HTTP server.
        (
            server.url("/good.xml").replace("http:", "https:"),
            "TLS error",
        ),
        (server.url("/404.xml"), "HTTP 404"),
        (server.url("/500.xml"), "HTTP 500"),
        (server.url("/loop-a"), "redirect loop"),
        (server.url("/page.xml"), "not a feed: an HTML page"),
        (server.url("/broken.xml"), "invalid feed"),
        (server.url("/empty.xml"), "empty response"),
        (server.url("/endless.xml"), ""),
    ];
    for (url, _) in &bad {
        newsline(&store, T0, &["feeds", "add", url, "--no-fetch"]);
    }
    for url in [server.url("/good.xml"), server.url("/bare.xml")] {
        newsline(&store, T0, &["feeds", "add", &url, "--no-fetch"]);
    }
    let out = newsline(&store, T0, &["update", "--jobs", "4"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    for (url, why) in &bad {
        let line = stderr
            .lines()
            .find(|l| l.starts_with(&format!("newsline: {url}: ")))
            .unwrap_or_else(|| panic!("no failure line for {url} in:\n{stderr}"));
        assert!(line.contains(why), "{line}");
    }
    assert!(stderr.contains("2 feeds fetched"), "{stderr}");
    assert!(stderr.contains("9 failed"), "{stderr}");
    // The good feeds were stored, including the bare item.
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 2);
    // Every failed feed has its next try scheduled and its reason kept.
    assert_eq!(
        count(&store, "SELECT count(*) FROM feeds WHERE next_due IS NULL"),
        0
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM feeds WHERE error IS NOT NULL"),
        9
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM feeds WHERE lease_until IS NOT NULL"
        ),
        0
    );
}

#[test]
fn ingest_fetches_a_url_once() {
    let server = Server::start(|req| match req.path.as_str() {
        "/story" => Reply::ok("text/html; charset=utf-8", PAGE),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let out = newsline(&store, T0, &["ingest", &server.url("/story")]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 1);
    assert_eq!(server.count("/story"), 1);
    assert!(server.requests()[0]
        .header("user-agent")
        .unwrap()
        .starts_with("newsline/"));
    let out = newsline(&store, T0, &["ingest", &server.url("/gone")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("HTTP 404"), "{}", text(&out));
}

#[test]
fn ingest_full_text_on_a_feed_file_goes_to_the_network_only_when_asked() {
    let server = Server::start(|req| match req.path.as_str() {
        "/story-1" => Reply::ok("text/html; charset=utf-8", PAGE),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let feed = dir.path().join("saved-feed.xml");
    std::fs::write(
        &feed,
        rss(
            "Harbour Desk",
            &[
                (
                    "g1",
                    "Chile and Norway agree on a fisheries accord",
                    &server.url("/story-1"),
                    "Ministers signed the accord in Oslo.",
                ),
                (
                    "g2",
                    "Ports open to patrols",
                    &server.url("/missing"),
                    "A short item whose page is gone.",
                ),
                (
                    "g3",
                    "A long item",
                    &server.url("/long"),
                    &long_text("a research vessel"),
                ),
            ],
        ),
    )
    .unwrap();
    let f = feed.to_str().unwrap();
    // The default: no request at all.
    let out = newsline(&store, T0, &["ingest", f]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(server.requests().is_empty());
    // auto: the short items' pages, once each; the long one is enough.
    let out = newsline(&store, T0, &["ingest", "--full-text", "auto", f]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(server.count("/story-1"), 1);
    assert_eq!(server.count("/missing"), 1);
    assert_eq!(server.count("/long"), 0);
    assert!(
        text(&out).contains("page not fetched (HTTP 404); the item's own text is kept"),
        "{}",
        text(&out)
    );
    let body: String = rusqlite::Connection::open(&store)
        .unwrap()
        .query_row(
            "SELECT text FROM articles WHERE url LIKE '%story-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(body.contains("shared quotas for three species"), "{body}");
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 3);
    // Again: what is stored is not fetched again, nor replaced by the
    // item's short text.
    let out = newsline(&store, T0, &["ingest", "--full-text", "always", f]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(server.count("/story-1"), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM articles"), 3);
    let body: String = rusqlite::Connection::open(&store)
        .unwrap()
        .query_row(
            "SELECT text FROM articles WHERE url LIKE '%story-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(body.contains("shared quotas for three species"), "{body}");
}

#[test]
fn list_tag_shows_the_events_of_the_feeds_with_that_tag() {
    let body_a = rss(
        "Harbour Desk",
        &[(
            "a1",
            "Chile and Norway agree on a fisheries accord",
            "",
            &long_text("a fisheries accord"),
        )],
    );
    let body_b = rss(
        "Mountain Desk",
        &[(
            "b1",
            "Nepal and Bhutan open a trade route",
            "",
            &long_text("a mountain trade route").replace("Chile and Norway", "Nepal and Bhutan"),
        )],
    );
    let server = Server::start(move |req| match req.path.as_str() {
        "/a.xml" => Reply::ok("application/rss+xml", body_a.clone()),
        "/b.xml" => Reply::ok("application/rss+xml", body_b.clone()),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    for (path, tag) in [("/a.xml", "sea"), ("/b.xml", "hills")] {
        let out = newsline(
            &store,
            T0,
            &[
                "feeds",
                "add",
                &server.url(path),
                "--tag",
                tag,
                "--full-text",
                "never",
            ],
        );
        assert!(out.status.success(), "{}", text(&out));
    }
    let listed = |tag: &str| newsline(&store, T0, &["list", "--tag", tag, "--format", "jsonl"]);
    let sea = text(&listed("sea"));
    assert!(
        sea.contains("fisheries accord") || sea.contains("Chile"),
        "{sea}"
    );
    assert!(!sea.contains("Nepal"), "{sea}");
    let hills = text(&listed("hills"));
    assert!(hills.contains("Nepal"), "{hills}");
    assert!(!hills.contains("Chile"), "{hills}");
    // Both tags: both feeds' events; the total is the store's.
    let both = newsline(
        &store,
        T0,
        &[
            "list", "--tag", "sea", "--tag", "hills", "--format", "jsonl",
        ],
    );
    let all = newsline(&store, T0, &["list", "--format", "jsonl"]);
    assert_eq!(text(&both).lines().count(), text(&all).lines().count());
    // An unknown tag is a usage error, as an unknown country is.
    let out = listed("desert");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("--tag \"desert\": no feed has this tag"),
        "{}",
        text(&out)
    );
}
