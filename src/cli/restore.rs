//! `counsel-log restore FILE.json`: load an export into an empty store.

use std::path::{Path, PathBuf};

use clap::Args;

use super::messages::{SafekeepingRefusal, Safekept};
use super::{Context, Refusal, Result, read_file};
use crate::store::{Snapshot, Store};

#[derive(Debug, Args)]
pub struct RestoreArgs {
    file: PathBuf,
    /// The file as read and checked before the store was opened (see [`prepare`]).
    #[arg(skip)]
    read: Option<Snapshot>,
}

/// Reads and checks the file before the store is opened: a file that cannot be restored is
/// refused without making a store where there was none.
pub fn prepare(a: &mut RestoreArgs) -> Result<()> {
    a.read = Some(read(&a.file)?);
    Ok(())
}

/// The file as a snapshot that hangs together, or why it cannot be restored.
fn read(file: &Path) -> Result<Snapshot> {
    let bytes = read_file(file)?;
    let refused = |why| Refusal::Safekeeping(why);
    let snapshot: Snapshot = if crate::store::is_backup(&bytes) {
        crate::store::read_backup(&bytes).map_err(|fault| {
            refused(SafekeepingRefusal::Unrestorable {
                file: file.to_path_buf(),
                fault,
            })
        })?
    } else {
        serde_json::from_slice(&bytes).map_err(|e| {
            refused(SafekeepingRefusal::NotAnExport {
                file: file.to_path_buf(),
                error: e.to_string(),
            })
        })?
    };
    snapshot.restorable(&file.display().to_string())?;
    Ok(snapshot)
}

pub fn run(a: RestoreArgs, store: &Store, ctx: &Context) -> Result<String> {
    let snapshot = match a.read {
        Some(snapshot) => snapshot,
        None => read(&a.file)?,
    };
    store.restore(&snapshot, &a.file.display().to_string(), &ctx.stamp)?;
    let done = Safekept::Restored {
        advisors: snapshot.advisors.len(),
        items: snapshot.items.len(),
        entries: snapshot.entries.len(),
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}
