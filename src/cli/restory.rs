//! `newsline restory`: builds every story again from the stored events,
//! after a change to the merging rules, or for a store filled by
//! `newsline generate` or upgraded from before stories.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::store::Store;
use crate::story::merge::Stage;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(store: Option<&Path>, _args: Args) -> anyhow::Result<()> {
    let path = super::store_path(store)?;
    let mut store = Store::open_existing(&path)
        .and_then(|s| s.check_writable().map(|()| s))
        .with_context(|| super::shown(&path))?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{msg:10} {bar:30} {pos}/{len} events") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let t = Instant::now();
    let mut progress = |stage: Stage, done: u64, total: u64| {
        bar.set_message(match stage {
            Stage::Reading => "reading",
            Stage::Comparing => "comparing",
            Stage::Writing => "writing",
        });
        bar.set_length(total);
        bar.set_position(done);
    };
    match store.rebuild_stories(&mut progress) {
        Ok(stats) => {
            bar.finish_and_clear();
            eprintln!(
                "{} events in {} stories, rebuilt in {:.1} s",
                stats.events,
                stats.stories,
                t.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Err(e) => {
            bar.abandon();
            Err(e).with_context(|| super::shown(&path))
        }
    }
}
