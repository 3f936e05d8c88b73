//! `newsline ingest [--published DATE] PATH...`: parse files and store them.
//!
//! Each file is one transaction, so an interrupted ingest keeps every file
//! that finished. A file that fails is reported and skipped; only a store
//! that cannot be written stops the run.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::model::ParsedArticle;
use crate::parse::{self, Options};
use crate::source::SourceError;
use crate::store::{ingest::parse_input_noted, IngestStats, Store};

/// Inputs larger than this are refused: no news article or feed comes near
/// it, and parsing one would take minutes.
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The publication date of every article read, YYYY-MM-DD[THH:MM[:SS][Z|±HH:MM]].
    #[arg(long)]
    pub published: Option<String>,
    /// Files or folders (read recursively, hidden ones skipped), or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// One thing to read.
#[derive(Debug, Clone, PartialEq)]
enum Input {
    Stdin,
    File(PathBuf),
    /// A path that could not even be listed, with the reason.
    Broken(PathBuf, String),
}

/// One input, read and parsed, on its way to the writer.
struct Parsed {
    label: String,
    stored_path: Option<String>,
    articles: Result<Vec<ParsedArticle>, Failure>,
    /// What the parser mended or lost, and articles without a date.
    notes: Vec<String>,
}

/// Why an input gave no articles.
enum Failure {
    /// Not news (a licence file beside some feeds): skipped with a note.
    Skipped(String),
    Failed(String),
}

pub fn run(store: Option<&Path>, args: Args) -> ExitCode {
    let mut opts = Options::default();
    if let Some(p) = &args.published {
        match parse::parse_published_arg(p) {
            Ok(p) => opts.published = Some(p),
            Err(e) => {
                eprintln!("newsline: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let store_path = match super::store_path(store) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut store = match Store::open(&store_path).and_then(|s| s.check_writable().map(|()| s)) {
        Ok(s) => s,
        Err(e) => return super::fail(store_path.display(), e),
    };

    let mut inputs = Vec::new();
    for p in &args.paths {
        collect(p, &mut inputs);
    }

    let bar = if std::io::stderr().is_terminal() {
        let bar =
            ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };

    let mut total = IngestStats::default();
    let mut read = 0usize;
    let mut failed: Vec<(String, String)> = Vec::new();
    // Files that are not news, and what the parser mended, lost or could
    // not date: told after the summary, never a failure.
    let mut skipped: Vec<(String, String)> = Vec::new();
    let mut warnings: Vec<(String, String)> = Vec::new();
    let mut fatal: Option<String> = None;
    // Reading and parsing run on a worker, a few files ahead of the writer,
    // so parsing the next file overlaps storing this one. Files are still
    // stored one transaction each, in order.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Parsed>(8);
    let worker = std::thread::spawn(move || {
        for input in inputs {
            let (label, stored_path, bytes) = match input {
                Input::Stdin => ("-".to_string(), None, read_stdin()),
                Input::File(p) => {
                    let stored = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
                    (
                        p.display().to_string(),
                        Some(stored.display().to_string()),
                        read_file(&p),
                    )
                }
                Input::Broken(p, why) => (p.display().to_string(), None, Err(why)),
            };
            let mut file_opts = opts.clone();
            file_opts.file_name = stored_path.clone();
            let mut notes = Vec::new();
            let articles = match bytes {
                Err(why) => Err(Failure::Failed(why)),
                Ok(b) => match parse_input_noted(&b, &file_opts) {
                    Ok((a, n)) => {
                        notes = n;
                        Ok(a)
                    }
                    Err(SourceError::NotArticle(why)) => Err(Failure::Skipped(why)),
                    Err(e) => Err(Failure::Failed(e.to_string())),
                },
            };
            // The writer hung up (a store error): stop reading.
            if tx
                .send(Parsed {
                    label,
                    stored_path,
                    articles,
                    notes,
                })
                .is_err()
            {
                break;
            }
        }
    });
    for Parsed {
        label,
        stored_path,
        articles,
        notes,
    } in rx.iter()
    {
        bar.inc(1);
        warnings.extend(notes.into_iter().map(|n| (label.clone(), n)));
        let articles = match articles {
            Ok(a) => a,
            Err(Failure::Skipped(why)) => {
                skipped.push((label, why));
                continue;
            }
            Err(Failure::Failed(why)) => {
                failed.push((label, why));
                continue;
            }
        };
        read += 1;
        match store.ingest(&articles, stored_path.as_deref()) {
            Ok(s) => total += s,
            Err(e) => {
                // The store itself failed (disk full, corrupted, read-only):
                // nothing later can be stored either.
                fatal = Some(e.to_string());
                failed.push((label, "not stored (store error)".into()));
                break;
            }
        }
        bar.set_message(format!(
            "{} new, {} events",
            total.articles_new, total.events_added
        ));
    }
    drop(rx);
    if worker.join().is_err() {
        fatal.get_or_insert_with(|| "the parser thread failed".to_string());
    }
    bar.finish_and_clear();

    eprintln!(
        "ingested {read} file{}: {} new article{}, {} unchanged, {} event{} added{}",
        plural(read),
        total.articles_new,
        plural(total.articles_new),
        total.articles_unchanged,
        total.events_added,
        plural(total.events_added),
        if failed.is_empty() {
            String::new()
        } else {
            format!("; {} failed", failed.len())
        },
    );
    for (path, why) in &skipped {
        eprintln!("newsline: {path}: skipped: {why}");
    }
    for (path, note) in &warnings {
        eprintln!("newsline: {path}: warning: {note}");
    }
    for (path, why) in &failed {
        eprintln!("newsline: {path}: {why}");
    }
    if let Some(e) = fatal {
        eprintln!("newsline: {}: {e}", store_path.display());
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Adds `path` (a file, a folder walked recursively, or `-`) to `out`.
fn collect(path: &Path, out: &mut Vec<Input>) {
    if path.as_os_str() == "-" {
        out.push(Input::Stdin);
        return;
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => walk(path, out),
        // Anything else, even a missing file, is tried and reported when read.
        _ => out.push(Input::File(path.to_path_buf())),
    }
}

/// Walks a folder in name order, skipping hidden entries. Symlinks to files
/// are followed; symlinks to folders are not, so a loop cannot trap us.
fn walk(dir: &Path, out: &mut Vec<Input>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Input::Broken(dir.to_path_buf(), e.to_string()));
            return;
        }
    };
    let mut paths: Vec<(PathBuf, std::fs::FileType)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.file_type().ok().map(|t| (e.path(), t)))
        .collect();
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    for (p, t) in paths {
        if t.is_dir() {
            walk(&p, out);
        } else if t.is_symlink() {
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => {}
                _ => out.push(Input::File(p)),
            }
        } else {
            out.push(Input::File(p));
        }
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
    let meta = file.metadata().map_err(|e| io_reason(&e))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow while we read it; never take more than the limit.
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(n: u64) -> String {
    format!(
        "file too large ({:.1} MB; the limit is {} MB)",
        n as f64 / 1e6,
        MAX_INPUT_BYTES / (1024 * 1024)
    )
}

/// io::Error's text without the "(os error 2)" tail.
fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_skips_hidden_and_sorts() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("b/.git")).unwrap();
        std::fs::write(d.join("b/.git/x"), "x").unwrap();
        std::fs::write(d.join("b/two.txt"), "x").unwrap();
        std::fs::write(d.join("a.txt"), "x").unwrap();
        std::fs::write(d.join(".hidden"), "x").unwrap();
        let mut out = Vec::new();
        collect(d, &mut out);
        assert_eq!(
            out,
            vec![
                Input::File(d.join("a.txt")),
                Input::File(d.join("b/two.txt"))
            ]
        );
    }

    #[test]
    fn io_reason_drops_os_error() {
        let e = std::fs::File::open("/nonexistent/newsline-x").unwrap_err();
        assert_eq!(io_reason(&e), "No such file or directory");
    }
}
