//! `newsline check`: SQLite's full integrity check of the store, on demand
//! (a writer only runs the quicker `quick_check` before it writes).

use std::path::Path;

use anyhow::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Report at most this many problems.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub max: usize,
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    let s = super::open_read_only(store)?;
    let shown = super::shown(s.path());
    let found = s
        .integrity_report(args.max)
        .with_context(|| shown.clone())?;
    if found.len() == 1 && found[0] == "ok" {
        return super::with_stdout(|out| {
            writeln!(out, "{shown}: ok (full integrity check passed)")
        });
    }
    for f in &found {
        super::note(&shown, f);
    }
    anyhow::bail!(
        "{shown}: the store is corrupted ({} problem{} found); restore a copy, or move the file \
         away and ingest the articles again",
        found.len(),
        if found.len() == 1 { "" } else { "s" }
    )
}
