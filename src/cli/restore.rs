//! `counsel-log restore FILE.json`: load an export into an empty store.

use std::path::PathBuf;

use clap::Args;

use super::{Context, Error, Result, read_file};
use crate::store::{Snapshot, Store};

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup written by `counsel-log backup`, or a file written by `export --format json`
    file: PathBuf,
}

pub fn run(a: RestoreArgs, store: &Store, ctx: &Context) -> Result<String> {
    let bytes = read_file(&a.file)?;
    if crate::store::is_backup(&bytes) {
        let snapshot = crate::store::read_backup(&bytes).map_err(|m| {
            Error::Input(format!(
                "{} cannot be restored: {m}; nothing was changed",
                a.file.display()
            ))
        })?;
        return restore(store, ctx, &a.file, &snapshot);
    }
    let snapshot: Snapshot = serde_json::from_slice(&bytes).map_err(|e| {
        Error::Input(format!(
            "{} is not a counsel-log JSON export ({e}): give a file written by `counsel-log export --format json`",
            a.file.display()
        ))
    })?;
    restore(store, ctx, &a.file, &snapshot)
}

fn restore(
    store: &Store,
    ctx: &Context,
    file: &std::path::Path,
    snapshot: &Snapshot,
) -> Result<String> {
    store.restore(snapshot, &file.display().to_string(), &ctx.stamp)?;
    let lang = ctx.lang;
    Ok(format!(
        "{} {} {} {} {} {} {}.\n",
        lang.pick("已恢复", "Restored"),
        snapshot.advisors.len(),
        lang.pick("名顾问、", "advisors,"),
        snapshot.items.len(),
        lang.pick("项事项、", "items and"),
        snapshot.entries.len(),
        lang.pick("条记录", "entries")
    ))
}
