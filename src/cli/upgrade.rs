//! `newsline upgrade`: brings the store to this version's schema (and
//! rebuilds its stories when their format changed), which writers do on
//! their own but reading commands never do. What the "needs an upgrade"
//! message points at.

use std::path::Path;

use anyhow::Context;

use crate::store::{Store, StoreError};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(store: Option<&Path>, _args: Args) -> anyhow::Result<()> {
    let path = super::store_path(store)?;
    let shown = super::shown(&path);
    // The version before, as a reader sees it (a reader never changes it).
    let before = match Store::open_read_only(&path) {
        Ok(s) => Some(s.schema_version().with_context(|| shown.clone())?),
        Err(StoreError::NeedsUpgrade { found, .. }) => Some(found),
        Err(e) => return Err(e).with_context(|| shown.clone()),
    };
    let s = Store::open_existing(&path)
        .and_then(|s| s.check_writable().map(|()| s))
        .with_context(|| shown.clone())?;
    let now = s.schema_version().with_context(|| shown.clone())?;
    super::with_stdout(|out| match before {
        Some(b) if b < now => writeln!(out, "{shown}: upgraded from schema {b} to {now}"),
        _ => writeln!(out, "{shown}: schema {now}, nothing to upgrade"),
    })
}
