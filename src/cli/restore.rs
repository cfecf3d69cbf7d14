//! `counsel-log restore FILE.json`: load an export into an empty store.

use std::path::PathBuf;

use clap::Args;

use super::messages::{SafekeepingRefusal, Safekept};
use super::{Context, Refusal, Result, read_file};
use crate::store::{Snapshot, Store};

#[derive(Debug, Args)]
pub struct RestoreArgs {
    file: PathBuf,
}

pub fn run(a: &RestoreArgs, store: &Store, ctx: &Context) -> Result<String> {
    let file = &a.file;
    let bytes = read_file(file)?;
    let refused = |why| Refusal::Safekeeping(why);
    let snapshot: Snapshot = if crate::store::is_backup(&bytes) {
        crate::store::read_backup(&bytes).map_err(|fault| {
            refused(SafekeepingRefusal::Unrestorable {
                file: file.clone(),
                fault,
            })
        })?
    } else {
        serde_json::from_slice(&bytes).map_err(|e| {
            refused(SafekeepingRefusal::NotAnExport {
                file: file.clone(),
                error: e.to_string(),
            })
        })?
    };
    store.restore(&snapshot, &file.display().to_string(), &ctx.stamp)?;
    let done = Safekept::Restored {
        advisors: snapshot.advisors.len(),
        items: snapshot.items.len(),
        entries: snapshot.entries.len(),
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}
