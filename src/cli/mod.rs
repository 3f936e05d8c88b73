//! The store's subcommands, one module each. `main.rs` parses the command
//! line and calls `run` here; every failure is one `newsline: WHAT: why`
//! line on stderr and a non-zero exit, never a panic.

pub mod export;
pub mod feeds;
pub mod generate;
pub mod ingest;
pub mod list;
pub mod show;
pub mod stats;
pub mod update;

use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use crate::store::{self, Store};

/// Prints `newsline: WHAT: why` and returns the failure exit code.
pub fn fail(what: impl Display, why: impl Display) -> ExitCode {
    eprintln!("newsline: {what}: {why}");
    ExitCode::FAILURE
}

/// The store path from `--store`/`NEWSLINE_STORE` or the default.
pub fn store_path(cli: Option<&Path>) -> Result<PathBuf, ExitCode> {
    store::resolve_path(cli).ok_or_else(|| {
        fail(
            "store",
            "no home folder to keep the store in; pass --store PATH or set NEWSLINE_STORE",
        )
    })
}

/// Opens an existing store for the reading commands.
pub fn open_existing(cli: Option<&Path>) -> Result<Store, ExitCode> {
    let path = store_path(cli)?;
    Store::open_existing(&path).map_err(|e| fail(path.display(), e))
}

/// Ends a command that wrote to stdout: a closed pipe (`| head`) is fine.
pub fn finish(res: std::io::Result<()>) -> ExitCode {
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail("writing output", e),
    }
}

/// Writes through a buffered stdout and flushes it.
pub fn with_stdout(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let res = f(&mut out).and_then(|()| out.flush());
    finish(res)
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
    // Control characters would break the table; show them as spaces.
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
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
        assert_eq!(fit("abc", 0, true), "");
    }
}
