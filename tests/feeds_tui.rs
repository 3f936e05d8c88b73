//! End to end: the browser open on a store in a real terminal (tmux),
//! `newsline update` run from another process against a server on
//! 127.0.0.1, and the new events appear without a key press.

mod feeds_common;

use std::process::Command;
use std::time::{Duration, Instant};

use feeds_common::*;

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Who fetches the feed while the browser is open.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fetcher {
    /// `newsline update` in another process.
    OtherProcess,
    /// The browser's background refresh (`auto_update`).
    Auto,
    /// `R` pressed in the browser, background refresh off.
    KeyR,
}

#[test]
fn new_events_appear_in_the_open_browser() {
    browser_follows(Fetcher::OtherProcess);
}

#[test]
fn the_open_browser_fetches_due_feeds_itself() {
    browser_follows(Fetcher::Auto);
}

#[test]
fn capital_r_fetches_the_feeds_now() {
    browser_follows(Fetcher::KeyR);
}

/// The browser open on a store with one article and one feed not yet
/// fetched; the feed's item must reach the screen, fetched by `update` in
/// another process, by the browser's own background update, or by `R`.
/// The selected row stays on its line: new rows above it are counted in
/// the status line until `g` shows them.
fn browser_follows(how: Fetcher) {
    let auto = how == Fetcher::Auto;
    if !have_tmux() {
        eprintln!("skipped: no tmux");
        return;
    }
    let body = rss(
        "Harbour Desk",
        &[(
            "g1",
            "Chile and Norway agree on a fisheries accord",
            "",
            &long_text("a fisheries accord"),
        )],
    );
    let server = Server::start(move |_| Reply::ok("application/rss+xml", body.clone()));
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    for sub in ["config", "data", "home"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
    }
    // A store with one article already, and the feed not yet fetched.
    let first = dir.path().join("first.txt");
    std::fs::write(
        &first,
        "Peru and Ecuador open a border crossing\n\nLIMA, March 1 - The presidents of Peru and Ecuador opened a new border crossing on Sunday.\n",
    )
    .unwrap();
    let out = newsline(
        &store,
        T0,
        &[
            "ingest",
            "--published",
            "2026-03-01",
            first.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = newsline(
        &store,
        T0,
        &["feeds", "add", &server.url("/f.xml"), "--no-fetch"],
    );
    assert!(out.status.success(), "{}", text(&out));

    let socket = format!("newsline-feeds-{}-{how:?}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .arg("-L")
            .arg(&socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .unwrap()
    };
    let root = dir.path().display().to_string();
    let cmd = format!(
        "env NEWSLINE_AUTO_UPDATE={} NEWSLINE_HOST_DELAY=0 TERM=xterm-256color HOME='{root}/home' XDG_CONFIG_HOME='{root}/config' XDG_DATA_HOME='{root}/data' NEWSLINE_STORE='{}' '{}' tui; sleep 30",
        u8::from(auto),
        store.display(),
        env!("CARGO_BIN_EXE_newsline")
    );
    let started = tmux(&[
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-s",
        "f",
        "-x",
        "120",
        "-y",
        "30",
        &cmd,
    ]);
    assert!(started.status.success());
    let screen =
        || String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", "f"]).stdout).into_owned();
    let wait_for = |what: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let s = screen();
            if s.contains(what) {
                return s;
            }
            if Instant::now() > deadline {
                tmux(&["kill-server"]);
                panic!("{what:?} never appeared; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    let before = wait_for("border crossing");
    let line_of = |s: &str| s.lines().position(|l| l.contains("border crossing"));
    match how {
        Fetcher::OtherProcess => {
            let out = newsline(&store, T0, &["update"]);
            assert!(out.status.success(), "{}", text(&out));
        }
        Fetcher::KeyR => {
            tmux(&["send-keys", "-t", "f", "R"]);
        }
        Fetcher::Auto => {}
    }
    let committed = Instant::now();
    // On screen at once when dated below the selection, else counted.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut s = screen();
    while !s.contains("fisheries accord") && !s.contains("new above") {
        if Instant::now() > deadline {
            tmux(&["kill-server"]);
            panic!("the new event never showed; the screen:\n{s}");
        }
        std::thread::sleep(Duration::from_millis(100));
        s = screen();
    }
    let took = committed.elapsed();
    // The selected row did not move.
    assert_eq!(line_of(&s), line_of(&before), "{s}");
    if s.contains("new above") {
        tmux(&["send-keys", "-t", "f", "g"]);
        s = wait_for("fisheries accord");
    }
    if how == Fetcher::KeyR {
        // What arrived, said in the status line ("+3 events").
        let arrived = |s: &str| {
            s.split('+').skip(1).any(|p| {
                let n = p.chars().take_while(char::is_ascii_digit).count();
                n > 0 && p[n..].starts_with(" event")
            })
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut s = screen();
        while !arrived(&s) {
            if Instant::now() > deadline {
                tmux(&["kill-server"]);
                panic!("no \"+N events\" in the status line:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
            s = screen();
        }
    }
    tmux(&["kill-server"]);
    // Newest first, the new rows come on top; the old event is still in the
    // store (it may be scrolled below the new ones).
    assert!(s.contains("newest first"), "{s}");
    let listed = newsline(&store, T0, &["list"]);
    assert!(
        text(&listed).contains("border crossing"),
        "{}",
        text(&listed)
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
}
