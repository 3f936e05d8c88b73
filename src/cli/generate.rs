//! `newsline generate --events N`: fills the store with synthetic events
//! for benchmarks and for trying the browser without a corpus.

use std::path::Path;
use std::process::ExitCode;
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

pub fn run(store: Option<&Path>, args: Args) -> ExitCode {
    let path = match super::store_path(store) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut store = match Store::open(&path) {
        Ok(s) => s,
        Err(e) => return super::fail(path.display(), e),
    };
    let t = Instant::now();
    match generate::generate(&mut store, args.events, args.seed) {
        Ok(n) => {
            eprintln!(
                "wrote {n} events to {} in {:.1} s",
                path.display(),
                t.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => super::fail(path.display(), e),
    }
}
