//! `newsline generate --events N`: fills the store with synthetic events
//! for benchmarks and for trying the browser without a corpus.

use std::path::Path;

use anyhow::Context;
use std::time::Instant;

use crate::store::{generate, Store};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many events to write.
    #[arg(long, value_name = "N")]
    pub events: usize,
    /// The same seed gives the same events (and adds nothing the second time).
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
}

pub fn run(store: Option<&Path>, args: Args) -> anyhow::Result<()> {
    let path = super::store_path(store)?;
    let shown = super::shown(&path);
    let mut store = Store::open(&path).with_context(|| shown.clone())?;
    let t = Instant::now();
    let n =
        generate::generate(&mut store, args.events, args.seed).with_context(|| shown.clone())?;
    eprintln!(
        "wrote {n} events to {shown} in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
