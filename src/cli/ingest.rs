//! `newsline ingest [--published DATE] PATH...`: parse files and store them.
//!
//! Each file is one transaction, so an interrupted ingest keeps every file
//! that finished. A file that fails is reported and skipped; only a store
//! that cannot be written stops the run.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::model::ParsedArticle;
use crate::parse::{self, Options};
use crate::source::SourceError;
use crate::store::{ingest::parse_input_noted, IngestStats, Store, StoreError};

/// Inputs larger than this are refused: no news article or feed comes near
/// it, and parsing one would take minutes.
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The publication date of every article read, YYYY-MM-DD[THH:MM[:SS][Z|±HH:MM]].
    #[arg(long)]
    pub published: Option<String>,
    /// For feeds read here: fetch each item's page over HTTP (`always`), only
    /// for items under 80 words (`auto`, as `feeds add` does), or never (the
    /// default: a local file never goes to the network unless asked).
    #[arg(long, value_enum, default_value_t = super::feeds::FullText::Never)]
    pub full_text: super::feeds::FullText,
    /// Files or folders (read recursively, hidden ones skipped), http(s) URLs (fetched once), or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// One thing to read.
#[derive(Debug, Clone, PartialEq)]
enum Input {
    Stdin,
    File(PathBuf),
    /// An http(s) URL: fetched once (see `crate::fetch::fetch_once`).
    Url(String),
    /// A path that could not even be listed, with the reason.
    Broken(PathBuf, String),
    /// Found in a folder but not a regular file (a FIFO would block the
    /// read forever, a device never ends): skipped with a note.
    Skipped(PathBuf, &'static str),
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

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    let mut opts = Options::default();
    if let Some(p) = &args.published {
        opts.published = Some(parse::parse_published_arg(p).map_err(super::Usage)?);
    }
    let store_path = super::store_path(store)?;
    let shown_store = super::shown(&store_path);
    // A writer checks the store before its first write: that it is one of
    // ours, that it can be written, and that SQLite finds it sound.
    let mut store = Store::open(&store_path)
        .and_then(|s| s.check_writable().map(|()| s))
        .and_then(|s| s.check_sound().map(|()| s))
        .with_context(|| shown_store.clone())?;

    let mut found = Vec::new();
    for p in &args.paths {
        collect(p, &mut found);
    }
    let (skipped, inputs): (Vec<Input>, Vec<Input>) = found
        .into_iter()
        .partition(|i| matches!(i, Input::Skipped(..)));
    let attempts = inputs.len();

    let bar = if std::io::stderr().is_terminal() {
        let bar =
            ProgressBar::with_draw_target(Some(attempts as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };

    let mut total = IngestStats::default();
    let mut read = 0usize;
    let mut seen = 0usize;
    let mut failed: Vec<(String, String)> = Vec::new();
    let mut fatal: Option<StoreError> = None;
    // Files that are not news, and what the parser mended, lost or could
    // not date: told after the summary, never a failure.
    let mut not_news: Vec<(String, String)> = Vec::new();
    let mut warnings: Vec<(String, String)> = Vec::new();
    // Reading and parsing run on a worker, a few files ahead of the writer,
    // so parsing the next file overlaps storing this one. Files are still
    // stored one transaction each, in order.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Parsed>(8);
    let full_text = args.full_text.as_str();
    // The worker's own view of the store: items stored before are not
    // fetched again.
    let pages_store = (full_text != "never")
        .then(|| Store::open_read_only(&store_path).ok())
        .flatten();
    let worker = std::thread::spawn(move || {
        for input in inputs {
            let (label, stored_path, bytes) = match input {
                Input::Stdin => ("-".to_string(), None, read_stdin()),
                Input::File(p) => {
                    let stored = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
                    (super::shown(&p), Some(super::shown(&stored)), read_file(&p))
                }
                Input::Url(u) => (
                    super::shown(std::path::Path::new(&u)),
                    Some(u.clone()),
                    crate::fetch::fetch_once(&u),
                ),
                Input::Broken(p, why) => (super::shown(&p), None, Err(why)),
                Input::Skipped(p, why) => (super::shown(&p), None, Err(why.to_string())),
            };
            let mut file_opts = opts.clone();
            file_opts.file_name = stored_path.clone();
            let mut notes = Vec::new();
            let articles = match bytes {
                Err(why) => Err(Failure::Failed(why)),
                Ok(b) if full_text != "never" && is_feed(&b) => {
                    match with_pages(&b, pages_store.as_ref(), full_text, &file_opts) {
                        Ok((a, n)) => {
                            notes = n;
                            Ok(a)
                        }
                        Err(e) => Err(Failure::Failed(e.to_string())),
                    }
                }
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
        seen += 1;
        warnings.extend(notes.into_iter().map(|n| (label.clone(), n)));
        let articles = match articles {
            Ok(a) => a,
            Err(Failure::Skipped(why)) => {
                not_news.push((label, why));
                continue;
            }
            Err(Failure::Failed(why)) => {
                failed.push((label, why));
                continue;
            }
        };
        read += 1;
        match store
            .ingest(&articles, stored_path.as_deref())
            .and_then(|s| store.checkpoint_if_large().map(|_| s))
        {
            Ok(s) => total += s,
            Err(e) => {
                // The store itself failed (disk full, corrupted, read-only):
                // nothing later can be stored either.
                fatal = Some(e);
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
        fatal.get_or_insert_with(|| StoreError::Db("the parser thread failed".to_string()));
    }
    bar.finish_and_clear();
    let not_attempted = attempts.saturating_sub(seen);

    let mut summary = format!(
        "ingested {read} file{}: {} new article{}, ",
        plural(read),
        total.articles_new,
        plural(total.articles_new),
    );
    if total.articles_replaced > 0 {
        summary += &format!("{} replaced, ", total.articles_replaced);
    }
    summary += &format!(
        "{} unchanged, {} event{} added",
        total.articles_unchanged,
        total.events_added,
        plural(total.events_added),
    );
    if !failed.is_empty() {
        summary += &format!("; {} failed", failed.len());
    }
    if not_attempted > 0 {
        summary += &format!("; {not_attempted} not attempted (the store stopped taking writes)");
    }
    let n_skipped = skipped.len() + not_news.len();
    if n_skipped > 0 {
        summary += &format!("; {n_skipped} skipped");
    }
    eprintln!("{summary}");
    for i in &skipped {
        if let Input::Skipped(p, why) = i {
            super::note(super::shown(p), format!("skipped: {why}"));
        }
    }
    for (path, why) in &not_news {
        super::note(path, format!("skipped: {why}"));
    }
    for (path, note) in &warnings {
        super::note(path, format!("warning: {note}"));
    }
    for (path, why) in &failed {
        super::note(path, why);
    }
    if let Some(e) = fatal {
        return Err(e).with_context(|| shown_store);
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(super::Partial(format!(
            "{} of {attempts} input{} failed",
            failed.len(),
            plural(attempts)
        ))
        .into())
    }
}

/// True when `bytes` look like an RSS, Atom or JSON feed.
fn is_feed(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    crate::source::detect(&head) == crate::source::InputKind::Feed
}

/// Reads a feed, fetches its items' pages as `--full-text` asks (by the
/// HTTP rules of `update`), and parses the items.
fn with_pages(
    bytes: &[u8],
    store: Option<&Store>,
    mode: &str,
    opts: &Options,
) -> Result<(Vec<ParsedArticle>, Vec<String>), SourceError> {
    let (mut items, mut notes) = crate::source::read_noted(bytes)?;
    let settings = crate::fetch::Settings::from_env();
    notes.extend(crate::fetch::update::fill_pages(
        store, &mut items, mode, &settings,
    ));
    Ok(parse::parse_sources_noted(items, notes, opts))
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
    if let Some(url) = path.to_str().filter(|p| crate::fetch::is_url(p)) {
        out.push(Input::Url(url.to_string()));
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
                Ok(m) if !m.is_file() => out.push(Input::Skipped(p, special_kind(&m.file_type()))),
                _ => out.push(Input::File(p)),
            }
        } else if t.is_file() {
            out.push(Input::File(p));
        } else {
            out.push(Input::Skipped(p, special_kind(&t)));
        }
    }
}

/// What a file that is neither a regular file nor a folder is, for the note.
fn special_kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a named pipe (FIFO), not a regular file"
    } else if t.is_socket() {
        "a socket, not a regular file"
    } else if t.is_char_device() || t.is_block_device() {
        "a device, not a regular file"
    } else {
        "not a regular file"
    }
}

/// Reads a regular file of at most `MAX_INPUT_BYTES`. The type is checked
/// before the file is opened: opening a FIFO would block.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    if !meta.is_file() {
        return Err(if meta.is_dir() {
            "is a folder".into()
        } else {
            special_kind(&meta.file_type()).into()
        });
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
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

/// Reads standard input, at most `MAX_INPUT_BYTES`.
pub fn read_stdin() -> Result<Vec<u8>, String> {
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
