//! End to end: the real `newsline demo` binary in a real terminal (tmux),
//! driven by key presses and read back from the screen.
//!
//! The session runs on a private tmux socket at a fixed size, with the
//! store, config and data folders in a temporary directory, so nothing of
//! the user's is read or written. Every wait polls the screen with a
//! deadline; a failure prints what the screen showed.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use regex::Regex;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
/// Generous for a debug build on a busy machine; a passing run takes a
/// few seconds.
const TIMEOUT: Duration = Duration::from_secs(15);
const BEFORE: &str = "e2e: the shell before newsline";
const AFTER: &str = "e2e: newsline exited with";

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// One private tmux server with one pane running the wrapper script.
/// Dropping it kills the server (and newsline with it, if a test failed).
struct Term {
    socket: String,
    _dir: tempfile::TempDir,
}

impl Term {
    fn start(bin: &Path) -> Term {
        Term::start_with(bin, "")
    }

    /// `env` is shell lines run before newsline (exports).
    fn start_with(bin: &Path, env: &str) -> Term {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for sub in ["config", "data", "home"] {
            std::fs::create_dir_all(root.join(sub)).expect("mkdir");
        }
        // The wrapper prints a line before newsline and one after, with its
        // exit status, then stays alive: the terminal's state is then
        // exactly what newsline left (a dead pane would show tmux's own
        // "Pane is dead" line, which scrolls the screen and hides the
        // cursor).
        let script = root.join("run.sh");
        let q = |p: &Path| format!("'{}'", p.display().to_string().replace('\'', r"'\''"));
        std::fs::write(
            &script,
            format!(
                "unset NO_COLOR TMUX\n\
                 export TERM=xterm-256color\n\
                 export HOME={home} XDG_CONFIG_HOME={config} XDG_DATA_HOME={data}\n\
                 export NEWSLINE_STORE={store}\n\
                 {env}\n\
                 echo '{BEFORE}'\n\
                 {bin} demo\n\
                 echo \"{AFTER} $?\"\n\
                 sleep 60\n",
                home = q(&root.join("home")),
                config = q(&root.join("config")),
                data = q(&root.join("data")),
                store = q(&root.join("data/store.db")),
                bin = q(bin),
                env = env,
            ),
        )
        .expect("write script");
        // Unique per run: the pid and the clock's nanoseconds.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let socket = format!("newsline-e2e-{}-{nanos}", std::process::id());
        let t = Term { socket, _dir: dir };
        let size = (WIDTH.to_string(), HEIGHT.to_string());
        let cmd = format!("sh {}", q(&script));
        t.tmux_ok(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            &size.0,
            "-y",
            &size.1,
            &cmd,
        ]);
        t.tmux_ok(&["set-option", "-t", "e2e", "remain-on-exit", "on"]);
        // Applications may set the clipboard: OSC 52 lands in a buffer.
        t.tmux_ok(&["set-option", "-s", "set-clipboard", "on"]);
        t
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("run tmux")
    }

    fn tmux_ok(&self, args: &[&str]) -> String {
        let o = self.tmux(args);
        assert!(
            o.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// The screen as text (`colours` keeps the SGR sequences).
    fn screen(&self, colours: bool) -> String {
        let mut args = vec!["capture-pane", "-p", "-t", "e2e"];
        if colours {
            args.push("-e");
        }
        self.tmux_ok(&args)
    }

    fn format(&self, f: &str) -> String {
        self.tmux_ok(&["display-message", "-p", "-t", "e2e", f])
            .trim()
            .to_string()
    }

    /// Named keys (`Enter`, `Escape`) or single characters.
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        self.tmux_ok(&args);
    }

    /// Literal text, typed one key at a time.
    fn type_text(&self, s: &str) {
        self.tmux_ok(&["send-keys", "-t", "e2e", "-l", s]);
    }

    /// Polls the screen until `ok` holds on a settled frame; fails with
    /// the last screen. A frame reaches the terminal in pieces, so a
    /// capture can catch it half drawn: the screen must also read the
    /// same on two captures in a row.
    fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut last = String::new();
        loop {
            let s = self.screen(false);
            if s == last && ok(&s) {
                return s;
            }
            last = s;
            if start.elapsed() > TIMEOUT {
                panic!(
                    "timed out after {:?} waiting for {what}; the screen:\n{}",
                    TIMEOUT,
                    frame(&last)
                );
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// The screen with a ruler, for failure messages.
fn frame(s: &str) -> String {
    let bar = "-".repeat(WIDTH as usize);
    format!("{bar}\n{}\n{bar}", s.trim_end_matches('\n'))
}

fn check(cond: bool, what: &str, screen: &str) {
    assert!(cond, "{what}; the screen:\n{}", frame(screen));
}

/// The status line (the last non-empty line).
fn status(s: &str) -> &str {
    s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("")
}

/// The search bar (the line above the status line).
fn search_bar(s: &str) -> &str {
    let lines: Vec<&str> = s.lines().collect();
    let last = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .unwrap_or(0);
    lines.get(last.saturating_sub(1)).copied().unwrap_or("")
}

/// The event rows of the timeline pane, as the left pane shows them.
fn timeline_rows(s: &str) -> Vec<String> {
    let row = Regex::new(r"^│[ ~]\d{4}-\d{2}-\d{2} [A-Z]{3} ").expect("regex");
    s.lines()
        .filter(|l| row.is_match(l))
        .map(|l| l.split("││").next().unwrap_or(l).to_string())
        .collect()
}

/// The right-hand (detail) pane's text, line by line.
fn detail_lines(s: &str) -> Vec<String> {
    s.lines()
        .filter_map(|l| l.split_once("││").map(|(_, r)| r))
        .map(|r| r.trim_end_matches('│').trim_end().to_string())
        .collect()
}

/// (shown, total) from a status line "34 of 334 events ...".
fn counts(status: &str) -> Option<(usize, usize)> {
    counts_of(status, "events")
}

/// (shown, total) from a status line "34 of 334 stories ..." (`unit`).
fn counts_of(status: &str, unit: &str) -> Option<(usize, usize)> {
    let re = Regex::new(&format!(r"^(\d+) of (\d+) {unit}")).expect("regex");
    let c = re.captures(status)?;
    Some((c[1].parse().ok()?, c[2].parse().ok()?))
}

/// The demo opens on its stories; `v` shows the single events these
/// tests were written for.
fn to_events(t: &Term) {
    t.wait("the loaded stories", |s| {
        counts_of(status(s), "stories").is_some_and(|(a, b)| a == b && b > 0)
    });
    t.keys(&["v"]);
}

#[test]
fn demo_search_filter_source_and_quit() {
    if !have_tmux() {
        eprintln!("skipping the end-to-end test: tmux is not installed");
        return;
    }
    let started = Instant::now();
    let t = Term::start(Path::new(env!("CARGO_BIN_EXE_newsline")));
    to_events(&t);

    // 1. The timeline is loaded: "334 of 334 events".
    let s = t.wait("the loaded timeline", |s| {
        counts(status(s)).is_some_and(|(a, b)| a == b && b > 0)
    });
    let (_, total) = counts(status(&s)).unwrap_or_default();
    check(total >= 100, "the demo should hold hundreds of events", &s);
    check(!timeline_rows(&s).is_empty(), "timeline rows shown", &s);
    check(
        t.format("#{alternate_on} #{pane_dead}") == "1 0",
        "newsline runs on the alternate screen",
        &s,
    );

    // 2. Search for an official's surname: the bar counts the matches
    // (once the search is final) and the cursor lands on a matching row.
    t.keys(&["/"]);
    t.type_text("Okafor");
    let bar = Regex::new(r"^/Okafor\s+(\d+) of (\d+)\s*$").expect("regex");
    let s = t.wait("the search's match count", |s| {
        bar.is_match(search_bar(s).trim_end())
    });
    let caps = bar.captures(search_bar(&s).trim_end());
    let (pos, n): (usize, usize) = caps
        .map(|c| (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0)))
        .unwrap_or_default();
    check(
        pos == 1 && n >= 1 && n < total,
        "search: '1 of N' with some but not all events",
        &s,
    );
    check(
        timeline_rows(&s).iter().any(|r| r.contains("Okafor")),
        "a timeline row mentions Okafor",
        &s,
    );
    check(
        detail_lines(&s).iter().any(|l| l.contains("Okafor")),
        "the detail of the best match mentions Okafor",
        &s,
    );
    check(
        counts(status(&s)) == Some((total, total)),
        "a live search does not filter the timeline",
        &s,
    );

    // Esc leaves and clears the search.
    t.keys(&["Escape"]);
    t.wait("the search bar cleared", |s| {
        search_bar(s).contains("/ search") && !s.contains("/Okafor")
    });

    // 3. The country picker: narrow to Kenya, toggle, close.
    t.keys(&["c"]);
    t.wait("the country picker", |s| s.contains("Countries"));
    t.type_text("Kenya");
    let item = Regex::new(r"\[ \] KE  Kenya\s+(\d+)").expect("regex");
    let s = t.wait("Kenya in the picker", |s| item.is_match(s));
    let kenya: usize = item
        .captures(&s)
        .and_then(|c| c[1].parse().ok())
        .unwrap_or(0);
    check(
        kenya > 0 && kenya < total,
        "the picker counts Kenya's events",
        &s,
    );
    t.keys(&["Enter"]);
    t.wait("Kenya ticked", |s| s.contains("[x] KE  Kenya"));
    t.keys(&["Escape"]);
    let s = t.wait("the picker closed", |s| !s.contains("Countries ("));
    let st = status(&s);
    check(
        st.contains("[country: KE]"),
        "the status shows the country chip",
        &s,
    );
    check(
        counts(st) == Some((kenya, total)),
        "the status counts exactly the picker's Kenya events",
        &s,
    );
    // Each row ends with its country codes; with more than fit, "+N".
    let rows = timeline_rows(&s);
    check(!rows.is_empty(), "filtered rows shown", &s);
    let codes = Regex::new(r"((?:[A-Z]{2} )*[A-Z]{2}(?: \+\d+)?) *$").expect("regex");
    for r in &rows {
        let tail = codes
            .captures(r)
            .map(|c| c[1].to_string())
            .unwrap_or_default();
        check(
            tail.split(' ').any(|c| c == "KE") || tail.contains('+'),
            &format!("row is a Kenya event: {r}"),
            &s,
        );
    }

    // 4. The source view of an event with a quote. Step down until the
    // detail pane lists quotes (the demo's Kenya events have many).
    let mut s = s;
    let mut steps = 0;
    while !detail_lines(&s).iter().any(|l| l.starts_with("Quotes (")) {
        check(steps < 40, "a Kenya event with a quote within 40 rows", &s);
        let before = detail_lines(&s).first().cloned().unwrap_or_default();
        t.keys(&["j"]);
        steps += 1;
        s = t.wait("the detail of the next event", |x| {
            detail_lines(x).first().cloned().unwrap_or_default() != before
        });
    }
    let lines = detail_lines(&s);
    let at = lines
        .iter()
        .position(|l| l.starts_with("Quotes ("))
        .unwrap_or(0);
    // "  “The guns have been quiet…" : the quote's first words.
    let first = lines.get(at + 1).cloned().unwrap_or_default();
    let words: Vec<&str> = first
        .trim()
        .trim_start_matches('“')
        .split_whitespace()
        .take(4)
        .collect();
    check(words.len() >= 2, "the detail shows the quote's words", &s);
    let quote_start = words.join(" ");

    t.keys(&["Enter"]);
    let s = t.wait("the source view", |s| {
        s.contains("quote 1 of") && status(s).contains("n/N quotes")
    });
    // The article's text, borders off, joined: the quote is in it.
    let body: String = s
        .lines()
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
    check(
        body.contains(&quote_start),
        &format!("the article shows the quote \"{quote_start}\""),
        &s,
    );
    check(
        body.contains("Newsline Demo Wire"),
        "the article's dateline is shown",
        &s,
    );
    // Highlighted: a style change starts exactly at the quote's first word.
    let coloured = t.screen(true);
    let first_word = words[0];
    let marked = coloured
        .match_indices(first_word)
        .any(|(i, _)| coloured[..i].ends_with('m') && coloured[..i].contains("\x1b["));
    check(
        marked,
        &format!("the quote starting \"{first_word}\" is highlighted"),
        &coloured,
    );

    // `/` searches inside the article: the status line shows the query
    // and the hit; n steps through the hits; Esc clears the search and
    // n/N are the quotes' keys again.
    t.keys(&["/"]);
    t.type_text(&quote_start);
    let s = t.wait("the search inside the article", |s| {
        status(s).starts_with(&format!("/{quote_start}")) && status(s).contains(" of ")
    });
    check(
        status(&s).contains("1 of "),
        "the search lands on its first hit",
        &s,
    );
    t.keys(&["Enter"]);
    let s = t.wait("the kept article search", |s| {
        status(s).contains("n/N hits")
    });
    let hits: usize = status(&s)
        .split(" of ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    check(hits >= 1, "the quote's words are found in the article", &s);
    t.keys(&["n"]);
    let want = format!("{} of {hits}", if hits > 1 { 2 } else { 1 });
    t.wait(&format!("n steps to hit {want}"), |s| {
        status(s).contains(&want)
    });
    t.keys(&["Escape"]);
    t.wait("the article search cleared", |s| {
        status(s).contains("n/N quotes") && s.contains("quote 1 of")
    });

    // Esc goes back to the filtered timeline.
    t.keys(&["Escape"]);
    let s = t.wait("the timeline again", |s| {
        !s.contains("quote 1 of") && !timeline_rows(s).is_empty()
    });
    check(
        status(&s).contains("[country: KE]"),
        "the filter survives the source view",
        &s,
    );

    // 5. q quits: the process ends with status 0 (the wrapper's line
    // appears only then), and the terminal is back on the normal screen,
    // with what the shell printed before, and a visible cursor.
    t.keys(&["q"]);
    let s = t.wait("newsline to exit", |s| s.contains(AFTER));
    check(
        s.contains(&format!("{AFTER} 0")),
        "newsline exits with status 0",
        &s,
    );
    check(
        t.format("#{pane_current_command}") != "newsline",
        "no newsline process left in the pane",
        &s,
    );
    check(
        s.contains(BEFORE),
        "the shell's normal screen (with the line printed before) is back",
        &s,
    );
    check(
        !s.contains("events") && !s.contains("Timeline"),
        "no browser left on the screen",
        &s,
    );
    check(
        t.format("#{alternate_on}") == "0",
        "the alternate screen is off after quitting",
        &s,
    );
    check(
        t.format("#{cursor_flag}") == "1",
        "the cursor is visible after quitting",
        &s,
    );
    eprintln!("end-to-end run took {:?}", started.elapsed());
}

/// The dates (YYYY-MM-DD) of the timeline rows, top to bottom.
fn row_dates(s: &str) -> Vec<String> {
    let re = Regex::new(r"^│[ ~](\d{4}-\d{2}-\d{2}) ").expect("regex");
    s.lines()
        .filter_map(|l| re.captures(l).map(|c| c[1].to_string()))
        .collect()
}

#[test]
fn demo_daily_use_search_order_links_and_dates() {
    if !have_tmux() {
        eprintln!("skipping the end-to-end test: tmux is not installed");
        return;
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_newsline"));
    // $BROWSER is a script that records the link it was given.
    let aux = tempfile::tempdir().expect("temp dir");
    let opened = aux.path().join("opened.txt");
    let script = aux.path().join("browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            opened.display()
        ),
    )
    .expect("write browser script");
    let _ = Command::new("chmod").arg("+x").arg(&script).status();
    let t = Term::start_with(bin, &format!("export BROWSER='{}'", script.display()));
    to_events(&t);
    let s = t.wait("the loaded timeline", |s| {
        counts(status(s)).is_some_and(|(a, b)| a == b && b > 0)
    });
    let (_, total) = counts(status(&s)).unwrap_or_default();

    // Newest first: the rows' dates never go up.
    let dates = row_dates(&s);
    check(dates.len() >= 5, "dated rows shown", &s);
    check(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "the timeline opens newest first",
        &s,
    );

    // A search with a few true matches and no scattered-letter ones:
    // kept with Enter, every result is in view, as many as `list` finds.
    t.keys(&["/"]);
    t.type_text("ceasefire");
    let bar = Regex::new(r"^/ceasefire\s+(\d+) of (\d+)\s*$").expect("regex");
    let s = t.wait("the search's match count", |s| {
        bar.is_match(search_bar(s).trim_end())
    });
    let n: usize = bar
        .captures(search_bar(&s).trim_end())
        .and_then(|c| c[2].parse().ok())
        .unwrap_or(0);
    // The same articles in a store of our own (the demo's is private).
    let own = tempfile::tempdir().expect("temp dir");
    let (store, _) =
        newsline::tui::demo::build_store(own.path(), newsline::tui::demo::FILES).expect("store");
    let listed = Command::new(bin)
        .args(["--store"])
        .arg(&store)
        .args(["list", "--search", "ceasefire", "--format", "jsonl"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().count())
        .unwrap_or(0);
    check(
        n == listed && n > 0 && n <= 16,
        &format!("the browser and list --search agree on a few matches ({n} vs {listed})"),
        &s,
    );
    t.keys(&["Enter"]);
    let s = t.wait("the kept search", |s| counts(status(s)) == Some((n, total)));
    let shown = s
        .lines()
        .filter(|l| l.starts_with("│~") || l.starts_with("│ "))
        .count();
    check(
        timeline_rows(&s).len() + shown >= n,
        "the kept results are in view",
        &s,
    );
    check(
        status(&s).contains("best match first"),
        "the view keeps the ranking",
        &s,
    );

    // x clears filters and the search text; a new search starts afresh.
    t.keys(&["x"]);
    t.wait("everything shown again", |s| {
        counts(status(s)) == Some((total, total))
    });
    t.keys(&["/"]);
    t.type_text("Okafor");
    let s = t.wait("a fresh search", |s| search_bar(s).starts_with("/Okafor "));
    check(!s.contains("ceasefireOkafor"), "the old query is gone", &s);
    t.keys(&["Escape"]);

    // b opens the event's link with $BROWSER; y copies it with OSC 52.
    t.wait("the detail's link", |s| {
        detail_lines(s)
            .iter()
            .any(|l| l.contains("https://example.org/demo/"))
    });
    t.keys(&["b"]);
    let start = Instant::now();
    while !opened.exists() && start.elapsed() < TIMEOUT {
        std::thread::sleep(Duration::from_millis(40));
    }
    let got = std::fs::read_to_string(&opened).unwrap_or_default();
    check(
        got.trim().starts_with("https://example.org/demo/"),
        &format!("$BROWSER got the link: {got:?}"),
        &t.screen(false),
    );
    t.keys(&["y"]);
    let start = Instant::now();
    let mut buffer = String::new();
    while !buffer.contains("https://example.org/demo/") && start.elapsed() < TIMEOUT {
        buffer = String::from_utf8_lossy(&t.tmux(&["show-buffer"]).stdout).into_owned();
        std::thread::sleep(Duration::from_millis(40));
    }
    check(
        buffer.trim() == got.trim(),
        &format!("OSC 52 put the link on the clipboard: {buffer:?}"),
        &t.screen(false),
    );

    // t jumps to a date.
    t.keys(&["t"]);
    t.type_text("2026-02");
    t.keys(&["Enter"]);
    let s = t.wait("the jump", |s| {
        detail_lines(s).iter().any(|l| l.contains("Feb 2026"))
    });
    check(
        row_dates(&s).iter().any(|d| d.starts_with("2026-02")),
        "February 2026 in view",
        &s,
    );
    t.keys(&["q"]);
    t.wait("newsline to exit", |s| s.contains(&format!("{AFTER} 0")));
}

/// The story rows of the timeline: (the row, its source count).
fn story_rows(s: &str) -> Vec<(String, usize)> {
    let re = Regex::new(r"^│[ ~≠]\d{4}-\d{2}-\d{2} .*?(\d+) src").expect("regex");
    s.lines()
        .filter_map(|l| {
            let row = l.split("││").next().unwrap_or(l);
            re.captures(row)
                .and_then(|c| c[1].parse().ok())
                .map(|n| (row.to_string(), n))
        })
        .collect()
}

/// The lines of the chosen source's block in the detail pane (from its
/// "▶ N." heading to the next source or section).
fn chosen_source(s: &str) -> Vec<String> {
    let lines = detail_lines(s);
    let Some(at) = lines.iter().position(|l| l.starts_with("▶ ")) else {
        return Vec::new();
    };
    let mut out = vec![lines[at].clone()];
    for l in &lines[at + 1..] {
        if !l.starts_with("    ") {
            break;
        }
        out.push(l.trim().to_string());
    }
    out
}

/// The runs of text drawn underlined (SGR 4) on a captured screen.
fn underlined_runs(coloured: &str) -> Vec<String> {
    let sgr = Regex::new(r"\x1b\[([0-9;]*)m([^\x1b]*)").expect("regex");
    let mut on = false;
    let mut out = Vec::new();
    for c in sgr.captures_iter(coloured) {
        let params: Vec<&str> = c[1].split(';').collect();
        let mut i = 0;
        while i < params.len() {
            match params[i] {
                "" | "0" => on = false,
                "4" => on = true,
                "24" => on = false,
                // Extended colours: their numbers are not attributes.
                "38" | "48" => {
                    i += if params.get(i + 1) == Some(&"2") {
                        4
                    } else {
                        2
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if on {
            for run in c[2].split(['│', '\n']) {
                let run = run.trim();
                if !run.is_empty() {
                    out.push(run.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn demo_stories_sources_side_by_side() {
    if !have_tmux() {
        eprintln!("skipping the end-to-end test: tmux is not installed");
        return;
    }
    let t = Term::start(Path::new(env!("CARGO_BIN_EXE_newsline")));
    // 1. The demo opens on its stories: fewer rows than events.
    let s = t.wait("the loaded stories", |s| {
        counts_of(status(s), "stories").is_some_and(|(a, b)| a == b && b > 0)
    });
    let (_, stories) = counts_of(status(&s), "stories").unwrap_or_default();

    // 2. The ceasefire stories, kept as a filter: one of them is told by
    // three outlets or more, and its row says so with a badge.
    t.keys(&["/"]);
    t.type_text("ceasefire");
    t.wait("the search's matches", |s| {
        Regex::new(r"^/ceasefire\s+\d+ of \d+\s*$")
            .expect("regex")
            .is_match(search_bar(s).trim_end())
    });
    t.keys(&["Enter"]);
    let s = t.wait("the kept search", |s| {
        status(s).contains("[search: ceasefire]") && !story_rows(s).is_empty()
    });
    let rows = story_rows(&s);
    check(
        rows.iter().any(|(_, n)| *n >= 3),
        "a story row with a badge of three sources or more",
        &s,
    );
    check(
        rows.iter().any(|(r, _)| r.starts_with("│≠")),
        "a story whose sources disagree on the date is marked ≠",
        &s,
    );
    // Step down to the story with three sources or more: its detail lists
    // them.
    t.keys(&["g"]);
    let sources = Regex::new(r"^Sources \((\d+);").expect("regex");
    let many = |s: &str| {
        detail_lines(s)
            .iter()
            .filter_map(|l| sources.captures(l).and_then(|c| c[1].parse::<usize>().ok()))
            .any(|n| n >= 3)
    };
    let mut s = t.wait("the first story's detail", |s| {
        detail_lines(s).iter().any(|l| sources.is_match(l))
    });
    let mut steps = 0;
    while !many(&s) {
        check(steps < 20, "a story with three sources within 20 rows", &s);
        let before = detail_lines(&s).first().cloned().unwrap_or_default();
        t.keys(&["j"]);
        steps += 1;
        s = t.wait("the next story's detail", |x| {
            let first = detail_lines(x).first().cloned().unwrap_or_default();
            first != before && detail_lines(x).iter().any(|l| sources.is_match(l))
        });
    }
    check(
        detail_lines(&s).iter().any(|l| l.starts_with("› 1. ")),
        "the first source is the chosen one",
        &s,
    );

    // 3. Tab to the detail, j to the second source.
    t.keys(&["Tab"]);
    t.wait("the detail's focus on the first source", |s| {
        chosen_source(s)
            .first()
            .is_some_and(|l| l.starts_with("▶ 1. "))
    });
    t.keys(&["j"]);
    let s = t.wait("the second source chosen", |s| {
        chosen_source(s)
            .first()
            .is_some_and(|l| l.starts_with("▶ 2. "))
    });
    let block = chosen_source(&s);
    let outlet = block[0]
        .trim_start_matches("▶ 2. ")
        .split(" · ")
        .next()
        .unwrap_or("")
        .to_string();
    let joined = block.join(" ");

    // 4. Enter opens that source's article at its evidence sentence: the
    // article's title bar names the outlet, and the underlined sentence
    // on screen is the one the detail showed.
    t.keys(&["Enter"]);
    let s = t.wait("the source view", |s| status(s).contains("n/N quotes"));
    let title = s.lines().find(|l| l.starts_with('┌')).unwrap_or("");
    check(
        !outlet.is_empty() && title.contains(&outlet),
        &format!("the article of {outlet} is open"),
        &s,
    );
    let coloured = t.screen(true);
    let evidence: Vec<String> = underlined_runs(&coloured)
        .into_iter()
        .filter(|t| t.split_whitespace().count() >= 3)
        .collect();
    let first = evidence
        .first()
        .map(|e| e.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    check(
        !first.is_empty() && joined.contains(&first),
        &format!("the underlined evidence \"{first}\" is the source's sentence: {joined}"),
        &coloured,
    );

    // 5. v shows single events (more rows than stories), v again stories.
    t.keys(&["Escape"]);
    t.wait("the story again", |s| {
        !status(s).contains("n/N quotes") && !chosen_source(s).is_empty()
    });
    // Opening the source marked the story read; the store's reload that
    // follows keeps the place: the same story, the same source.
    std::thread::sleep(Duration::from_millis(1500));
    let s = t.wait("the story after the reload", |s| {
        !chosen_source(s).is_empty()
    });
    check(
        chosen_source(&s)
            .first()
            .is_some_and(|l| l.contains(&outlet)),
        "the story and its chosen source are still on screen",
        &s,
    );
    t.keys(&["x"]);
    t.wait("all stories", |s| {
        counts_of(status(s), "stories") == Some((stories, stories))
    });
    t.keys(&["v"]);
    let s = t.wait("the events", |s| {
        counts(status(s)).is_some_and(|(a, b)| a == b && b > 0)
    });
    let (_, events) = counts(status(&s)).unwrap_or_default();
    check(events > stories, "more events than stories", &s);
    t.keys(&["v"]);
    t.wait("the stories again", |s| {
        counts_of(status(s), "stories") == Some((stories, stories))
    });
    t.keys(&["q"]);
    t.wait("newsline to exit", |s| s.contains(&format!("{AFTER} 0")));
}
