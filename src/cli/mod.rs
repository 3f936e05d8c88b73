//! The store's subcommands, one module each. `main.rs` parses the command
//! line and calls `run` here; each returns a `Result`, and `report` (called
//! once, from `main`) prints the failure as one `newsline: WHAT: why` line
//! with its context chain and picks the exit code. Never a panic.

pub mod check;
pub mod export;
pub mod feeds;
pub mod generate;
pub mod ingest;
pub mod list;
pub mod restory;
pub mod show;
pub mod stats;
pub mod stories;
pub mod update;
pub mod upgrade;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use anyhow::Context;

use crate::source::sanitize::clean_line;
use crate::store::{self, EventRecord, Store};

/// A mistake on the command line: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// Some inputs failed and were already reported one per line; the run
/// still did what it could. Exit code 1.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Partial(pub String);

/// The browser was stopped by this signal (SIGTERM, SIGINT, SIGHUP) after
/// giving the terminal back: exit code 128 + the signal's number.
#[derive(Debug, thiserror::Error)]
#[error("stopped by signal {}", signal_name(*.0))]
pub struct Signal(pub i32);

fn signal_name(n: i32) -> String {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    match n {
        SIGTERM => "SIGTERM".into(),
        SIGINT => "SIGINT".into(),
        SIGHUP => "SIGHUP".into(),
        n => n.to_string(),
    }
}

/// The one place a failure leaves the program: a closed pipe (`| head`)
/// is silent success; anything else is one cleaned `newsline: …` line on
/// stderr with the context chain, exit code 2 for usage errors, else 1.
pub fn report(e: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(e) {
        return ExitCode::SUCCESS;
    }
    let msg = format!("{e:#}");
    let _ = writeln!(std::io::stderr(), "newsline: {}", clean_line(&msg));
    if let Some(Signal(n)) = e.downcast_ref::<Signal>() {
        ExitCode::from((128 + n).clamp(1, 255) as u8)
    } else if e.downcast_ref::<Usage>().is_some() {
        ExitCode::from(2)
    } else {
        ExitCode::FAILURE
    }
}

/// True when some error in the chain is a write to a closed pipe (also
/// when wrapped by the CSV or JSON writer).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(c);
        while let Some(err) = cur {
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return true;
                }
                if let Some(inner) = io.get_ref() {
                    if let Some(csv) = inner.downcast_ref::<csv::Error>() {
                        if let csv::ErrorKind::Io(i) = csv.kind() {
                            if i.kind() == std::io::ErrorKind::BrokenPipe {
                                return true;
                            }
                        }
                    }
                }
            }
            if let Some(json) = err.downcast_ref::<serde_json::Error>() {
                if json.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) {
                    return true;
                }
            }
            if let Some(csv) = err.downcast_ref::<csv::Error>() {
                if let csv::ErrorKind::Io(i) = csv.kind() {
                    if i.kind() == std::io::ErrorKind::BrokenPipe {
                        return true;
                    }
                }
            }
            cur = err.source();
        }
        false
    })
}

/// Prints one cleaned `newsline: …` note on stderr (for per-file notes of
/// a run that goes on).
pub fn note(what: impl std::fmt::Display, why: impl std::fmt::Display) {
    let line = format!("{what}: {why}");
    let _ = writeln!(std::io::stderr(), "newsline: {}", clean_line(&line));
}

/// A path as it may be printed: control characters and escape sequences
/// in a file name never reach the terminal.
pub fn shown(path: &Path) -> String {
    clean_line(&path.display().to_string()).into_owned()
}

/// The store path from `--store`/`NEWSLINE_STORE` or the default.
pub fn store_path(cli: Option<&Path>) -> anyhow::Result<PathBuf> {
    store::resolve_path(cli).ok_or_else(|| {
        anyhow::anyhow!(
            "store: no home folder to keep the store in; pass --store PATH or set NEWSLINE_STORE"
        )
    })
}

/// Opens an existing store for the reading commands, read-only: they never
/// create, migrate or change a store.
/// After a command that may have written to the store: when a copy of
/// the browser's load kept beside it (`tui::data::snapshot`) is stale, or
/// the store is big enough to have one and has none, a detached `newsline
/// refresh-copies` makes it in the background (as git's automatic gc
/// runs), so that the next start of the browser and a plain `list
/// --search` read a current copy instead of the whole store. A small store
/// with no copies costs two counts; one with current copies, a header
/// read each.
pub fn refresh_copies_later(cli: Option<&Path>) {
    let Ok(path) = store_path(cli) else { return };
    let Ok(store) = Store::open_read_only(&path) else {
        return;
    };
    let wanted = crate::tui::copies_to_make(&store, crate::tui::data::SAVE_FROM);
    if !wanted.is_ok_and(|w| !w.is_empty()) {
        return;
    }
    drop(store);
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("--store")
        .arg(&path)
        .arg("refresh-copies")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // Its own process group: a Ctrl-C in the terminal after the command
    // has returned does not stop it half-way (it writes to a temporary
    // file and renames, so a stop would only waste the work).
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let _ = cmd.spawn();
}

/// `newsline refresh-copies` (hidden; see `refresh_copies_later`).
pub fn refresh_copies(cli: Option<&Path>) -> anyhow::Result<()> {
    let path = store_path(cli)?;
    let store = Store::open_existing(&path).with_context(|| shown(&path))?;
    crate::tui::refresh_copies(&store, crate::tui::data::SAVE_FROM)
        .with_context(|| shown(&path))?;
    Ok(())
}

pub fn open_read_only(cli: Option<&Path>) -> anyhow::Result<Store> {
    let path = store_path(cli)?;
    Store::open_read_only(&path).with_context(|| shown(&path))
}

/// Writes through a buffered stdout and flushes it.
pub fn with_stdout(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    f(&mut out)
        .and_then(|()| out.flush())
        .context("writing output")
}

/// An event as it may be printed: every text field cleaned for display
/// (the store may predate cleaning on ingest, or be written by others).
pub fn clean_event(e: &mut EventRecord) {
    let one = |s: &mut String| {
        if let std::borrow::Cow::Owned(c) = clean_line(s) {
            *s = c;
        }
    };
    let opt = |s: &mut Option<String>| {
        if let Some(s) = s {
            one(s)
        }
    };
    one(&mut e.id);
    one(&mut e.date.value);
    one(&mut e.summary);
    e.countries.iter_mut().for_each(one);
    e.officials.iter_mut().for_each(one);
    opt(&mut e.location);
    for q in &mut e.quotes {
        one(&mut q.text);
        opt(&mut q.speaker);
    }
    let a = &mut e.article;
    one(&mut a.id);
    opt(&mut a.title);
    opt(&mut a.source);
    opt(&mut a.published);
    opt(&mut a.path);
    opt(&mut a.url);
}

/// What `newsline --version` prints after the program name: the version,
/// then where the store and config are. `--store` is read from the raw
/// arguments because clap prints the version before parsing the rest.
pub fn long_version() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        let mut cli_store: Option<PathBuf> = None;
        for (i, a) in args.iter().enumerate() {
            let s = a.to_string_lossy();
            if s == "--store" {
                cli_store = args.get(i + 1).map(PathBuf::from);
            } else if let Some(v) = s.strip_prefix("--store=") {
                cli_store = Some(PathBuf::from(v));
            }
        }
        let show = |p: Option<PathBuf>| {
            p.map(|p| p.display().to_string())
                .unwrap_or_else(|| "(none)".into())
        };
        format!(
            "{}\nstore:  {}\nconfig: {}",
            env!("CARGO_PKG_VERSION"),
            show(store::resolve_path(cli_store.as_deref())),
            show(store::config_path()),
        )
    })
}

/// Cuts `s` to at most `width` terminal columns, marking the cut with `…`,
/// and pads it to exactly `width` when `pad` is set.
pub fn fit(s: &str, width: usize, pad: bool) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    // Control characters would break the table and escape sequences
    // could take over the terminal.
    let clean = clean_line(s).into_owned();
    let mut out = String::new();
    if clean.width() <= width {
        out = clean;
    } else if width > 0 {
        let mut used = 0;
        for c in clean.chars() {
            let w = c.width().unwrap_or(0);
            if used + w + 1 > width {
                break;
            }
            out.push(c);
            used += w;
        }
        out.push('…');
    }
    if pad {
        let w = out.width();
        out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    }
    out
}

/// The width to lay a table out in: the terminal's, or 100 columns when
/// stdout is not a terminal.
pub fn table_width() -> usize {
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| w.0 as usize)
        .unwrap_or(100)
        .max(40)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn fit_cuts_by_display_width() {
        assert_eq!(fit("abc", 5, true), "abc  ");
        assert_eq!(fit("abcdef", 4, false), "abc…");
        // Wide characters take two columns each; never split one.
        let s = fit("日本と中国", 6, true);
        assert_eq!(s.width(), 6);
        assert!(s.starts_with("日本"));
        assert_eq!(fit("a\tb", 3, false), "a b");
        assert_eq!(fit("a\u{1b}]52;c;eA==\u{7}b", 5, false), "ab");
        assert_eq!(fit("abc", 0, true), "");
    }
}
