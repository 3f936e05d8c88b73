//! Issue 11, "Hostile input, foreign files and faults": one test per item,
//! named after it, through the built binary where the item is about the
//! command line and in-process where it is about the browser's loop.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{meeting, write_parse_json};
use newsline::store::{Filter, Store, StoreError};
use newsline::tui::app::{App, Msg, Overlay};
use newsline::tui::{run_loop, spawn_loader, Runtime};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

fn newsline(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsline"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("NEWSLINE_STORE")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const WIRE: &str = "OSLO, Nov 26 (Test Wire) - Norway's foreign minister said on Sunday \
she would travel to Reykjavik next week for talks on fishing quotas.\n\n\"We expect progress,\" \
the minister told reporters.\n";

// ---------------------------------------------------------------- item 1

/// Markers that must never reach a terminal: the escape and control
/// characters themselves and the unique payloads of the sequences.
const FORBIDDEN: [&str; 9] = [
    "\u{1b}",
    "\u{9b}",
    "\u{9d}",
    "\u{202e}",
    "\u{7}",
    "PAYLOAD52",
    "payload8",
    "PAYLOADC1",
    "FILEPAYLOAD",
];

/// ESC CSI, OSC 52 (clipboard) and OSC 8 (link) with unique payloads, a C1
/// CSI, a C1 OSC and a right-to-left override, tagged with `tag`.
fn evil(tag: &str) -> String {
    format!(
        "\u{1b}[31m{tag}\u{1b}]52;c;PAYLOAD52{tag}\u{7}\u{1b}]8;;https://payload8{tag}.test/\u{1b}\\link\
         \u{1b}]8;;\u{1b}\\\u{9b}2J\u{9d}52;c;PAYLOADC1{tag}\u{9c}\u{202e}rev"
    )
}

fn assert_clean(what: &str, bytes: &[u8]) {
    let s = String::from_utf8_lossy(bytes);
    for f in FORBIDDEN {
        assert!(
            !s.contains(f),
            "{what}: {f:?} reached the output:\n{}",
            s.escape_debug()
        );
    }
}

/// Appends `evil` to every string of a parse JSON value but the article's
/// text, the schema and the enum fields.
fn poison(v: &mut serde_json::Value, path: &str, n: &mut usize) {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            if ["/article/text", "/schema"].contains(&path)
                || path.ends_with("/kind")
                || path.ends_with("/published_from")
            {
                return;
            }
            *n += 1;
            s.push_str(&evil(&format!("f{n}")));
        }
        Value::Array(a) => {
            for (i, x) in a.iter_mut().enumerate() {
                poison(x, &format!("{path}/{i}"), n);
            }
        }
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                poison(x, &format!("{path}/{k}"), n);
            }
        }
        _ => {}
    }
}

/// Writes raw escape sequences straight into a store's rows, as another
/// program (or a store made before ingest cleaned its input) could.
fn poison_store(path: &Path) {
    let c = rusqlite::Connection::open(path).unwrap();
    let e = evil("raw");
    c.execute_batch(&format!(
        "UPDATE events SET summary = summary || '{e}', location = '{e}';
         UPDATE articles SET title = '{e}', source = '{e}', url = '{e}', path = '{e}', \
            published = published || '{e}', published_from = '{e}', text = text || '{e}';
         UPDATE officials SET name = name || '{e}', title = '{e}';
         UPDATE event_countries SET country = country || '{e}';
         UPDATE quotes SET text = text || '{e}', speaker = '{e}';",
        e = e.replace('\'', "''")
    ))
    .unwrap();
}

#[test]
fn item1_escape_sequences_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    // Every field of a parse JSON, and a file name.
    let mut v = serde_json::to_value(meeting("m1", "2023-11-25")).unwrap();
    let mut n = 0;
    poison(&mut v, "", &mut n);
    assert!(n > 20, "{n} fields poisoned");
    let json_name = "m1\u{1b}]52;c;FILEPAYLOAD\u{7}\u{9d}x\u{9c}.json";
    let json = dir.path().join(json_name);
    // The schema first, as `newsline parse` writes it (ingest looks for it
    // at the start).
    if let Some(o) = v.as_object_mut() {
        o.remove("schema");
    }
    let rest = serde_json::to_string(&v).unwrap();
    let body = format!(
        "{{\"schema\":\"{}\",{}",
        newsline::model::SCHEMA,
        &rest[1..]
    );
    std::fs::write(&json, body).unwrap();
    let text = dir
        .path()
        .join("wire\u{1b}]52;c;FILEPAYLOAD\u{7}\u{202e}.txt");
    std::fs::write(&text, WIRE).unwrap();
    let bad = dir
        .path()
        .join("bad\u{1b}]8;;FILEPAYLOAD\u{1b}\\\u{9d}x\u{9c}.txt");
    std::fs::write(&bad, [0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0]).unwrap();

    let mut outputs: Vec<(String, Output)> = Vec::new();
    let args: Vec<&str> = vec![
        "ingest",
        json.to_str().unwrap(),
        text.to_str().unwrap(),
        bad.to_str().unwrap(),
    ];
    let out = newsline(&store, &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 new articles"), "{}", stderr(&out));
    outputs.push(("ingest".into(), out));

    let run_all = |outputs: &mut Vec<(String, Output)>, label: &str| {
        let ids: Vec<String> = Store::open_read_only(&store)
            .unwrap()
            .events(&Filter::default())
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert!(ids.len() >= 3);
        let mut cmds: Vec<Vec<String>> = vec![
            vec!["list".into()],
            vec!["list".into(), "--format".into(), "json".into()],
            vec!["list".into(), "--format".into(), "jsonl".into()],
            vec!["stats".into()],
            vec!["stats".into(), "--format".into(), "json".into()],
            vec!["export".into()],
            vec!["export".into(), "--format".into(), "csv".into()],
            vec!["check".into()],
        ];
        for id in &ids {
            cmds.push(vec!["show".into(), id.clone()]);
            cmds.push(vec![
                "show".into(),
                id.clone(),
                "--format".into(),
                "json".into(),
            ]);
        }
        for c in cmds {
            let a: Vec<&str> = c.iter().map(String::as_str).collect();
            let out = newsline(&store, &a);
            outputs.push((format!("{label}: {c:?}"), out));
        }
    };
    run_all(&mut outputs, "cleaned on ingest");
    // The same with raw sequences written into the store behind its back.
    poison_store(&store);
    run_all(&mut outputs, "raw in the store");
    for (what, o) in &outputs {
        assert_clean(&format!("{what} stdout"), &o.stdout);
        assert_clean(&format!("{what} stderr"), &o.stderr);
        assert!(!stderr(o).contains("panicked"), "{what}");
    }

    // The browser: the timeline, the detail pane and the article, drawn
    // through the real loop from the poisoned store.
    let screens = browse(&store, 140, 50);
    for (i, s) in screens.iter().enumerate() {
        assert_clean(&format!("browser screen {i}"), s.as_bytes());
    }
    assert!(
        screens.iter().any(|s| s.contains("Japan")),
        "the browser drew the events"
    );
}

/// The characters of every cell of a TestBackend's buffer.
fn cells(term: &Terminal<TestBackend>) -> String {
    term.backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect()
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// Runs the loop once with everything queued, then lets the app go on.
fn pump(
    term: &mut Terminal<TestBackend>,
    app: &mut App,
    rt: &mut Runtime,
    rx: &mpsc::Receiver<Msg>,
) {
    std::thread::sleep(Duration::from_millis(300));
    rt.tx.send(ctrl('c')).unwrap();
    run_loop(term, app, rt, rx).unwrap();
    app.quit = false;
}

/// The screens of a short browser session on `store`: loaded, each event
/// in turn, and the article of the last one.
fn browse(store: &Path, w: u16, h: u16) -> Vec<String> {
    let (tx, rx) = mpsc::channel();
    spawn_loader(store.to_path_buf(), tx.clone());
    let mut app = App::new(Default::default(), (w, h), "s".into(), Default::default());
    let mut rt = Runtime::new(store.to_path_buf(), tx.clone());
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut screens = Vec::new();
    // The loader's answer arrives on its own.
    let start = Instant::now();
    while app.data.is_none() && app.error.is_none() && start.elapsed() < Duration::from_secs(10) {
        pump(&mut term, &mut app, &mut rt, &rx);
    }
    screens.push(cells(&term));
    for _ in 0..4 {
        tx.send(key('j')).unwrap();
        pump(&mut term, &mut app, &mut rt, &rx);
        screens.push(cells(&term));
    }
    tx.send(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)))
        .unwrap();
    pump(&mut term, &mut app, &mut rt, &rx);
    screens.push(cells(&term));
    if !matches!(app.overlays.last(), Some(Overlay::Source(_))) {
        tx.send(key('s')).unwrap();
        pump(&mut term, &mut app, &mut rt, &rx);
        screens.push(cells(&term));
    }
    screens
}

#[test]
fn item1_parse_json_with_control_characters_in_its_text_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    let mut a = meeting("m2", "2023-11-25");
    a.article.text.push_str("\u{1b}]52;c;PAYLOAD52\u{7}");
    let j = write_parse_json(dir.path(), "m2.json", &a);
    let out = newsline(&store, &["ingest", j.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("article.text holds control characters"),
        "{err}"
    );
    assert_clean("ingest stderr", &out.stderr);
}

// ---------------------------------------------------------------- item 2

fn sha(path: &Path) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

#[test]
fn item2_a_foreign_database_is_left_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for wal in [false, true] {
        let db = dir.path().join(format!("theirs-{wal}.db"));
        {
            let c = rusqlite::Connection::open(&db).unwrap();
            if wal {
                c.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
                    .unwrap();
            }
            c.execute_batch(
                "CREATE TABLE recipes (name TEXT, steps TEXT);
                 INSERT INTO recipes VALUES ('bread', 'knead');
                 PRAGMA user_version = 7;",
            )
            .unwrap();
        }
        let before = sha(&db);
        let f = dir.path().join("a.txt");
        std::fs::write(&f, WIRE).unwrap();
        for args in [
            vec!["list"],
            vec!["stats"],
            vec!["export"],
            vec!["show", "x"],
            vec!["check"],
            vec!["ingest", f.to_str().unwrap()],
        ] {
            let out = newsline(&db, &args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(err.contains("not a newsline store"), "{args:?}: {err}");
            assert!(err.contains("recipes"), "{args:?}: {err}");
            assert_eq!(sha(&db), before, "{args:?} changed the file");
        }
        // The browser's loader and runtime open it the same way.
        let (tx, rx) = mpsc::channel();
        spawn_loader(db.clone(), tx);
        let got = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(
            matches!(&got, Msg::Loaded(Err(e)) if e.contains("not a newsline store")),
            "{got:?}"
        );
        assert!(matches!(
            Store::open_existing(&db),
            Err(StoreError::Foreign(_))
        ));
        assert_eq!(sha(&db), before, "the browser changed the file");
        // Still a database its owner can use.
        let c = rusqlite::Connection::open(&db).unwrap();
        let n: i64 = c
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }
}

#[test]
fn item2_reading_commands_never_create_or_upgrade_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let none = dir.path().join("none.db");
    for args in [
        vec!["list"],
        vec!["stats"],
        vec!["export"],
        vec!["show", "x"],
    ] {
        let out = newsline(&none, &args);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("no store here yet"));
        assert!(!none.exists(), "{args:?} created a store");
    }
    // An older newsline store is read by nobody but a writer.
    let old = dir.path().join("old.db");
    {
        let c = rusqlite::Connection::open(&old).unwrap();
        c.execute_batch(newsline::store::schema::V1).unwrap();
        c.execute_batch("PRAGMA user_version = 1;").unwrap();
    }
    let before = sha(&old);
    let out = newsline(&old, &["list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("needs an upgrade"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sha(&old), before);
    // The command the message names upgrades it, once; then it is read.
    assert!(
        stderr(&out).contains("newsline upgrade"),
        "{}",
        stderr(&out)
    );
    let up = newsline(&old, &["upgrade"]);
    assert!(up.status.success(), "{}", stderr(&up));
    let said = String::from_utf8_lossy(&up.stdout).to_string();
    assert!(said.contains("upgraded from schema 1 to"), "{said}");
    let again = newsline(&old, &["upgrade"]);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("nothing to upgrade"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    assert!(newsline(&old, &["list"]).status.success());
    // An empty file is where a writer may make a store.
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    let j = write_parse_json(dir.path(), "m.json", &meeting("m5", "2023-11-25"));
    let out = newsline(&empty, &["ingest", j.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

// ---------------------------------------------------------------- item 5

/// A private tmux server running `newsline ARGS` in a wrapper that prints
/// its exit status and the terminal's `stty` settings afterwards.
struct Term {
    socket: String,
    dir: tempfile::TempDir,
}

const BEFORE: &str = "hardening: before";
const AFTER: &str = "hardening: exited with";

impl Term {
    fn start(args: &str, job_control: bool) -> Term {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in ["config", "data", "home", "tmp"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        let q = |p: &Path| format!("'{}'", p.display().to_string().replace('\'', r"'\''"));
        let bin = q(Path::new(env!("CARGO_BIN_EXE_newsline")));
        let script = root.join("run.sh");
        let resume = if job_control {
            format!(
                "echo \"hardening: suspended $?\"\nstty -a > {}\n\
                 while [ ! -e {go} ]; do sleep 0.1; done\nfg\n",
                q(&root.join("stty-suspended")),
                go = q(&root.join("go"))
            )
        } else {
            String::new()
        };
        std::fs::write(
            &script,
            format!(
                "{}unset NO_COLOR TMUX\nexport TERM=xterm-256color\n\
                 export HOME={home} XDG_CONFIG_HOME={config} XDG_DATA_HOME={data} TMPDIR={tmp}\n\
                 export NEWSLINE_STORE={store}\n\
                 echo '{BEFORE}'\n{bin} {args}\n{resume}echo \"{AFTER} $?\"\nstty -a > {stty}\nsleep 60\n",
                if job_control { "set -m\n" } else { "" },
                home = q(&root.join("home")),
                config = q(&root.join("config")),
                data = q(&root.join("data")),
                tmp = q(&root.join("tmp")),
                store = q(&root.join("data/store.db")),
                stty = q(&root.join("stty")),
            ),
        )
        .unwrap();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let t = Term {
            socket: format!("newsline-hard-{}-{nanos}", std::process::id()),
            dir,
        };
        let cmd = format!("sh {}", q(&script));
        t.tmux_ok(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "h",
            "-x",
            "100",
            "-y",
            "30",
            &cmd,
        ]);
        t
    }

    fn tmux_ok(&self, args: &[&str]) -> String {
        let o = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .unwrap();
        assert!(o.status.success(), "tmux {args:?}: {}", stderr(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-t", "h"])
    }

    fn format(&self, f: &str) -> String {
        self.tmux_ok(&["display-message", "-p", "-t", "h", f])
            .trim()
            .to_string()
    }

    fn wait(&self, what: &str, ok: impl Fn(&Term) -> bool) {
        let start = Instant::now();
        while !ok(self) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}; the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The pid of newsline: the wrapper shell's child.
    fn newsline_pid(&self) -> Option<u32> {
        let shell: u32 = self.format("#{pane_pid}").parse().ok()?;
        let kids = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).ok()?;
        kids.split_whitespace().find_map(|k| {
            let pid: u32 = k.parse().ok()?;
            let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok()?;
            exe.to_string_lossy().contains("newsline").then_some(pid)
        })
    }

    /// The terminal as newsline left it: main screen, cursor shown, no
    /// mouse reporting, and `stty` in cooked mode with echo.
    fn assert_restored(&self, stty_file: &str) {
        assert_eq!(self.format("#{alternate_on}"), "0", "alternate screen off");
        assert_eq!(self.format("#{cursor_flag}"), "1", "cursor visible");
        for f in [
            "#{mouse_any_flag}",
            "#{mouse_button_flag}",
            "#{mouse_standard_flag}",
            "#{mouse_sgr_flag}",
        ] {
            assert_eq!(self.format(f), "0", "{f}: mouse reporting off");
        }
        let path = self.dir.path().join(stty_file);
        let start = Instant::now();
        while !path.exists() && start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(100));
        let stty = std::fs::read_to_string(&path).unwrap_or_default();
        let words: Vec<&str> = stty.split_whitespace().collect();
        for w in ["icanon", "echo", "isig", "icrnl", "opost"] {
            assert!(words.contains(&w), "stty has {w}: {stty}");
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn item5_signals_restore_the_terminal_and_remove_the_demo_store() {
    if !have_tmux() {
        eprintln!("skipping: tmux is not installed");
        return;
    }
    for (sig, num) in [("TERM", 15), ("INT", 2), ("HUP", 1)] {
        let t = Term::start("demo", false);
        t.wait("the browser", |t| {
            t.format("#{alternate_on}") == "1" && t.screen().contains("events")
        });
        assert_eq!(t.format("#{mouse_any_flag}").len(), 1);
        let tmp = t.dir.path().join("tmp");
        assert!(
            std::fs::read_dir(&tmp).unwrap().count() > 0,
            "the demo store exists while it runs"
        );
        let pid = t.newsline_pid().expect("newsline's pid");
        let st = Command::new("kill")
            .args([format!("-{sig}"), pid.to_string()])
            .status()
            .unwrap();
        assert!(st.success());
        let code = format!("{AFTER} {}", 128 + num);
        t.wait(&format!("exit after SIG{sig}"), |t| {
            t.screen().contains(&code)
        });
        t.assert_restored("stty");
        assert_eq!(
            std::fs::read_dir(&tmp).unwrap().count(),
            0,
            "SIG{sig} left the demo store behind"
        );
    }
}

#[test]
fn item5_ctrl_z_suspends_and_fg_resumes() {
    if !have_tmux() {
        eprintln!("skipping: tmux is not installed");
        return;
    }
    let t = Term::start("demo", true);
    t.wait("the browser", |t| {
        t.format("#{alternate_on}") == "1" && t.screen().contains("events")
    });
    t.tmux_ok(&["send-keys", "-t", "h", "C-z"]);
    t.wait("the shell after Ctrl-Z", |t| {
        t.screen().contains("hardening: suspended")
    });
    t.assert_restored("stty-suspended");
    std::fs::write(t.dir.path().join("go"), "").unwrap();
    // `fg` ran: the browser takes the terminal again and draws.
    t.wait("the browser again", |t| {
        t.format("#{alternate_on}") == "1" && t.screen().contains("events")
    });
    t.tmux_ok(&["send-keys", "-t", "h", "q"]);
    t.wait("exit 0", |t| t.screen().contains(&format!("{AFTER} 0")));
    t.assert_restored("stty");
}

// ---------------------------------------------------------------- item 6

#[test]
fn item6_a_fifo_in_a_folder_is_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.txt"), WIRE).unwrap();
    let fifo = input.join("pipe.txt");
    let st = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(st.success());
    let store = dir.path().join("s.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsline"))
        .arg("--store")
        .arg(&store)
        .arg("ingest")
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("ingest hung on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("1 new article"), "{err}");
    assert!(
        err.contains("pipe.txt: skipped: a named pipe (FIFO)"),
        "{err}"
    );
}

// ---------------------------------------------------------------- item 7

#[test]
fn item7_concurrent_creation_of_a_store_never_fails() {
    let dir = tempfile::tempdir().unwrap();
    let a = write_parse_json(dir.path(), "a.json", &meeting("c1", "2023-11-25"));
    let b = write_parse_json(dir.path(), "b.json", &meeting("c2", "2023-11-26"));
    for trial in 0..20 {
        let store = dir.path().join(format!("race-{trial}.db"));
        let spawn = |f: &Path| {
            Command::new(env!("CARGO_BIN_EXE_newsline"))
                .arg("--store")
                .arg(&store)
                .arg("ingest")
                .arg(f)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let kids = [spawn(&a), spawn(&b), spawn(&a)];
        for k in kids {
            let out = k.wait_with_output().unwrap();
            assert!(out.status.success(), "trial {trial}: {}", stderr(&out));
        }
        let s = Store::open_read_only(&store).unwrap();
        assert_eq!(s.events(&Filter::default()).unwrap().len(), 4);
    }
}

// ---------------------------------------------------------------- item 8

/// Makes `dir` read-only for everyone, root included: a read-only bind
/// mount over it when the test runs as root (and may mount), else modes.
/// Returns a guard that undoes it, or None when neither works.
fn read_only(dir: &Path) -> Option<impl Drop> {
    struct Undo(PathBuf, bool);
    impl Drop for Undo {
        fn drop(&mut self) {
            if self.1 {
                let _ = Command::new("umount").arg(&self.0).status();
            } else {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
            }
        }
    }
    if common::running_as_root() {
        let ok = |args: &[&str]| {
            Command::new("mount")
                .args(args)
                .arg(dir)
                .arg(dir)
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if ok(&["--bind"]) {
            let undo = Undo(dir.to_path_buf(), true);
            if ok(&["-o", "remount,ro,bind"]) {
                return Some(undo);
            }
        }
        None
    } else {
        use std::os::unix::fs::PermissionsExt;
        for e in std::fs::read_dir(dir).ok()?.flatten() {
            std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(0o444)).ok()?;
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).ok()?;
        Some(Undo(dir.to_path_buf(), false))
    }
}

#[test]
fn item8_a_read_only_store_can_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("ro");
    std::fs::create_dir_all(&sub).unwrap();
    let store = sub.join("s.db");
    let j = write_parse_json(dir.path(), "m.json", &meeting("r1", "2023-11-25"));
    assert!(newsline(&store, &["ingest", j.to_str().unwrap()])
        .status
        .success());
    let Some(_guard) = read_only(&sub) else {
        eprintln!("skipped: cannot make a folder read-only here");
        return;
    };
    assert!(std::fs::write(sub.join("probe"), "x").is_err(), "read-only");
    for args in [
        vec!["list"],
        vec!["list", "--format", "json"],
        vec!["show", "r1-e1"],
        vec!["stats"],
        vec!["export", "--format", "csv"],
        vec!["check"],
    ] {
        let out = newsline(&store, &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
    let out = newsline(&store, &["ingest", j.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    // The browser: it loads, and says the store is read-only.
    let s = Store::open_existing(&store).unwrap();
    assert!(s.is_read_only());
    let (tx, rx) = mpsc::channel();
    spawn_loader(store.clone(), tx);
    let mut loaded = false;
    let mut notice = false;
    while let Ok(m) = rx.recv_timeout(Duration::from_secs(10)) {
        match m {
            Msg::Loaded(Ok(d)) => loaded = d.len() == 2,
            Msg::Error(e) => notice = e.contains("read-only"),
            _ => {}
        }
    }
    assert!(loaded && notice, "loaded {loaded}, notice {notice}");
}

// ---------------------------------------------------------------- item 9

fn corrupt(store: &Path) {
    {
        let s = Store::open(store).unwrap();
        s.connection()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    // Scribble over a run of pages in the middle (the header and the
    // schema page stay valid, so SQLite opens the file happily).
    let mut bytes = std::fs::read(store).unwrap();
    let mid = bytes.len() / 2;
    for (i, b) in bytes[mid..mid + 16_384].iter_mut().enumerate() {
        *b = (i * 31 % 251) as u8;
    }
    std::fs::write(store, &bytes).unwrap();
}

#[test]
fn item9_a_corrupted_store_is_refused_by_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    assert!(newsline(&store, &["generate", "--events", "3000"])
        .status
        .success());
    let out = newsline(&store, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok"));
    corrupt(&store);
    let before = sha(&store);
    let f = dir.path().join("a.txt");
    std::fs::write(&f, WIRE).unwrap();
    let out = newsline(&store, &["ingest", f.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("corrupted") && err.contains("newsline check"),
        "{err}"
    );
    assert_eq!(sha(&store), before, "nothing was written");
    let out = newsline(&store, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("corrupted"), "{}", stderr(&out));
}

// ---------------------------------------------------------------- item 10

#[test]
fn item10_search_query_is_capped_at_1000_characters() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    let j = write_parse_json(dir.path(), "m.json", &meeting("q1", "2023-11-25"));
    assert!(newsline(&store, &["ingest", j.to_str().unwrap()])
        .status
        .success());
    let ok = "é".repeat(1000);
    let out = newsline(&store, &["list", "--search", &ok]);
    assert!(out.status.success(), "{}", stderr(&out));
    let long = "x".repeat(130_000);
    let t = Instant::now();
    let out = newsline(&store, &["list", "--search", &long]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("the limit is 1000"), "{err}");
    assert!(t.elapsed() < Duration::from_secs(30));
}

#[test]
fn item10_an_ingest_needs_at_most_one_and_a_half_times_the_store_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path).unwrap();
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let wal = dir.path().join("s.db-wal");
    let mut peak = 0;
    for i in 0..1500 {
        let mut a = meeting(&format!("w{i}"), "2023-11-25");
        // A news-sized body, different for each article.
        for k in 0..40 {
            a.article.text.push_str(&format!(
                " Paragraph {k} of article {i} about fishing quotas."
            ));
        }
        store.ingest(&[a], None).unwrap();
        peak = peak.max(size(&path) + size(&wal));
        store.checkpoint_if_large().unwrap();
    }
    drop(store);
    let end = size(&path);
    assert!(end > 4 << 20, "a store of some size: {end}");
    assert!(
        peak as f64 <= end as f64 * 1.5,
        "peak {peak} bytes on disk for a final store of {end}"
    );
}

// ---------------------------------------------------------------- item 11

#[test]
fn item11_reingest_with_another_published_date_reparses() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    let f = dir.path().join("a.txt");
    std::fs::write(&f, WIRE).unwrap();
    let f = f.to_str().unwrap();
    let first = newsline(&store, &["ingest", "--published", "2023-11-26", f]);
    assert!(first.status.success());
    let date = |store: &Path| {
        let s = Store::open_read_only(store).unwrap();
        let e = s.events(&Filter::default()).unwrap();
        (
            e.len(),
            e[0].article.published.clone(),
            e[0].article.id.clone(),
        )
    };
    let (n1, p1, id1) = date(&store);
    let again = newsline(&store, &["ingest", "--published", "2023-11-26", f]);
    assert!(stderr(&again).contains("1 unchanged"), "{}", stderr(&again));
    let other = newsline(&store, &["ingest", "--published", "2024-02-03", f]);
    let err = stderr(&other);
    assert!(other.status.success(), "{err}");
    assert!(err.contains("1 replaced"), "{err}");
    let (n2, p2, id2) = date(&store);
    assert_eq!(n1, n2, "the events were replaced, not added");
    assert_eq!(p1.as_deref(), Some("2023-11-26"));
    assert_eq!(p2.as_deref(), Some("2024-02-03"));
    assert_eq!(id1, id2);
}

#[test]
fn item11_an_edited_feed_item_replaces_the_stored_article_keeping_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path).unwrap();
    let mut a = meeting("item-v1", "2023-11-25");
    a.article.url = Some("https://news.example/story/42".into());
    let st = store.ingest(&[a.clone()], None).unwrap();
    assert_eq!(st.articles_new, 1);
    // The same item (same link) with edited text: a new parser id.
    let mut b = meeting("item-v2", "2023-11-25");
    b.article.url = a.article.url.clone();
    b.article.text.push_str(" An update was added later.");
    let st = store.ingest(&[b], None).unwrap();
    assert_eq!((st.articles_new, st.articles_replaced), (0, 1));
    let events = store.events(&Filter::default()).unwrap();
    assert_eq!(events.len(), 2, "no duplicate events");
    assert!(events.iter().all(|e| e.article.id == "item-v1"));
    let art = store.article("item-v1").unwrap().unwrap();
    assert!(art.text.ends_with("An update was added later."));
    assert!(store.article("item-v2").unwrap().is_none());
}

/// As root, a small tmpfs fills up part way through an ingest.
#[test]
fn item11_a_full_disk_says_how_many_files_were_not_attempted() {
    if !common::running_as_root() {
        eprintln!("skipped: needs root to mount a small tmpfs");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&disk)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _u = Unmount(disk.clone());
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let n = 400;
    for i in 0..n {
        let mut a = meeting(&format!("d{i:04}"), "2023-11-25");
        a.article.text.push_str(&" filler".repeat(800));
        write_parse_json(&input, &format!("{i:04}.json"), &a);
    }
    let out = newsline(&disk.join("s.db"), &["ingest", input.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let summary = err.lines().next().unwrap_or("");
    let read: usize = summary
        .strip_prefix("ingested ")
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let not_attempted: usize = summary
        .split("; ")
        .find_map(|p| p.strip_suffix(" not attempted (the store stopped taking writes)"))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no 'not attempted' in: {err}"));
    assert!(summary.contains("; 1 failed"), "{err}");
    assert_eq!(read + not_attempted, n, "{err}");
    assert!(err.to_lowercase().contains("full"), "{err}");
}

#[test]
fn item11_the_browser_exits_non_zero_after_an_error() {
    // The loop records the error it showed; `tui::run` turns it into the
    // exit code.
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    std::fs::write(&store, "not a database at all, just some notes\n").unwrap();
    let (tx, rx) = mpsc::channel();
    spawn_loader(store.clone(), tx.clone());
    let mut app = App::new(Default::default(), (80, 24), "s".into(), Default::default());
    let mut rt = Runtime::new(store.clone(), tx.clone());
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    tx.send(ctrl('c')).unwrap();
    run_loop(&mut term, &mut app, &mut rt, &rx).unwrap();
    let e = rt.last_error.expect("the error is kept");
    assert!(e.contains("not a newsline store"), "{e}");
    // And through the binary in a terminal.
    if have_tmux() {
        let dir2 = tempfile::tempdir().unwrap();
        let notes = dir2.path().join("notes.db");
        std::fs::write(&notes, "some notes\n").unwrap();
        let t = Term::start(&format!("--store '{}' tui", notes.display()), false);
        t.wait("the error", |t| t.screen().contains("not a newsline store"));
        t.tmux_ok(&["send-keys", "-t", "h", "q"]);
        t.wait("exit 1", |t| t.screen().contains(&format!("{AFTER} 1")));
        t.assert_restored("stty");
    }
}

// ---------------------------------------------------------------- item 12

#[test]
fn item12_export_into_a_closed_pipe_is_silent_and_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    assert!(newsline(&store, &["generate", "--events", "20000"])
        .status
        .success());
    for format in ["csv", "json"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsline"))
            .arg("--store")
            .arg(&store)
            .args(["export", "--format", format])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -1`: read a little, then close the pipe.
        let mut out = child.stdout.take().unwrap();
        let mut buf = [0u8; 64];
        let _ = std::io::Read::read(&mut out, &mut buf);
        drop(out);
        let res = child.wait_with_output().unwrap();
        assert_eq!(res.status.code(), Some(0), "{format}: {}", stderr(&res));
        assert_eq!(stderr(&res), "", "{format}");
    }
}

#[test]
fn item12_errors_leave_as_one_cleaned_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    let j = write_parse_json(dir.path(), "m.json", &meeting("z1", "2023-11-25"));
    assert!(newsline(&store, &["ingest", j.to_str().unwrap()])
        .status
        .success());
    let out = newsline(&store, &["show", "nope\u{1b}]52;c;PAYLOAD52\u{7}"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("newsline: "), "{err}");
    assert_clean("show stderr", &out.stderr);
}
