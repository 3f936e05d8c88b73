//! `newsline demo`: the bundled demo articles, parsed into a throwaway
//! store, browsed. The user's own store is never touched.

use std::path::PathBuf;

use crate::parse::Options;
use crate::store::Store;

/// (file name, contents) of every `assets/demo/*.txt`, embedded at build
/// time by `build.rs`.
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// Parses `files` into a new store at `dir/demo.db`; returns its path and
/// the number of events.
pub fn build_store(
    dir: &std::path::Path,
    files: &[(&str, &str)],
) -> Result<(PathBuf, usize), String> {
    let path = dir.join("demo.db");
    let mut store = Store::open(&path).map_err(|e| format!("demo store: {e}"))?;
    let mut events = 0;
    for (name, text) in files {
        let docs = crate::store::ingest::parse_input(text.as_bytes(), &Options::default())
            .map_err(|e| format!("{name}: {e}"))?;
        let stats = store
            .ingest(&docs, Some(name))
            .map_err(|e| format!("{name}: {e}"))?;
        events += stats.events_added;
    }
    Ok((path, events))
}

/// Runs the browser on the demo articles.
/// The temporary store is removed on every way out, a signal included.
pub fn run(opts: super::Options) -> anyhow::Result<()> {
    if FILES.is_empty() {
        anyhow::bail!("this build has no demo articles (assets/demo is empty)");
    }
    let dir = tempfile::tempdir().map_err(|e| anyhow::anyhow!("temporary folder: {e}"))?;
    super::signals::remove_on_exit(dir.path());
    let (path, _) = build_store(dir.path(), FILES).map_err(anyhow::Error::msg)?;
    let opts = super::Options {
        label: Some("the demo store".into()),
        ..opts
    };
    super::run(&path, opts)
}
