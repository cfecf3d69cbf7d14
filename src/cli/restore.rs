//! `counsel-log restore FILE.json`: load an export into an empty store.

use std::path::{Path, PathBuf};

use clap::Args;

use super::messages::FileRefusal;
use super::messages::{SafekeepingRefusal, Safekept};
use super::{Context, Refusal, Result};
use crate::domain::{Advisor, Entry, Item};
use crate::store::{BackupCounts, Rejection, RestoreFault, Snapshot, Store};

#[derive(Debug, Args)]
pub struct RestoreArgs {
    file: PathBuf,
    /// The file as read and checked before the store was opened (see [`prepare`]).
    #[arg(skip)]
    read: Option<Read>,
}

/// A file checked for restoring.
#[derive(Debug)]
enum Read {
    /// A backup, checked as it streamed past, and read again as it is written.
    Backup(BackupCounts),
    /// A JSON export, read whole.
    Export(Box<Snapshot>),
}

/// Reads and checks the file before the store is opened: a file that cannot be restored is
/// refused without making a store where there was none.
pub fn prepare(a: &mut RestoreArgs) -> Result<()> {
    a.read = Some(read(&a.file)?);
    Ok(())
}

/// The file checked whole, or why it cannot be restored.
fn read(file: &Path) -> Result<Read> {
    use std::io::{BufRead, Read as _};
    let cannot = |e: std::io::Error| {
        Refusal::File(FileRefusal::CannotRead {
            path: file.to_path_buf(),
            error: e.to_string(),
        })
    };
    let source = file.display().to_string();
    let opened = std::fs::File::open(file).map_err(cannot)?;
    let mut input = std::io::BufReader::with_capacity(1 << 16, opened);
    let refused = |why| Refusal::Safekeeping(why);
    if crate::store::is_backup(input.fill_buf().map_err(cannot)?) {
        drop(input);
        return match crate::store::check_backup(file).map_err(cannot)? {
            Ok(counts) => Ok(Read::Backup(counts)),
            Err(RestoreFault::Unsound(fault)) => Err(refused(SafekeepingRefusal::Unrestorable {
                file: file.to_path_buf(),
                fault,
            })
            .into()),
            Err(RestoreFault::Refused(why)) => {
                Err(crate::store::StoreError::from(Rejection::NotRestorable { source, why }).into())
            }
        };
    }
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).map_err(cannot)?;
    let snapshot: Snapshot = serde_json::from_slice(&bytes).map_err(|e| {
        refused(match unreadable_record(&bytes) {
            Some((kind, id, error)) => SafekeepingRefusal::BadRecord {
                file: file.to_path_buf(),
                kind,
                id,
                error,
            },
            None => SafekeepingRefusal::NotAnExport {
                file: file.to_path_buf(),
                error: e.to_string(),
            },
        })
    })?;
    snapshot.restorable(&source)?;
    Ok(Read::Export(Box::new(snapshot)))
}

pub fn run(a: RestoreArgs, store: &mut Store, ctx: &Context) -> Result<String> {
    let read = match a.read {
        Some(read) => read,
        None => read(&a.file)?,
    };
    let source = a.file.display().to_string();
    let done = match read {
        Read::Backup(counts) => {
            store.restore_backup(&a.file, &counts, &source, &ctx.stamp)?;
            Safekept::Restored {
                advisors: counts.advisors,
                items: counts.items,
                entries: counts.entries,
            }
        }
        Read::Export(snapshot) => {
            store.restore(&snapshot, &source, &ctx.stamp)?;
            Safekept::Restored {
                advisors: snapshot.advisors.len(),
                items: snapshot.items.len(),
                entries: snapshot.entries.len(),
            }
        }
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}

/// In a JSON export that does not read as a whole, the first advisor, item or entry that does
/// not read on its own: its kind, its id (else its place in the list, from 1) and why. `None`
/// when the file is no such export at all.
fn unreadable_record(bytes: &[u8]) -> Option<(&'static str, String, String)> {
    let export: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    fn first_bad<T: serde::de::DeserializeOwned>(
        export: &serde_json::Value,
        list: &str,
    ) -> Option<(String, String)> {
        export[list]
            .as_array()?
            .iter()
            .enumerate()
            .find_map(|(at, record)| {
                let error = T::deserialize(record).err()?;
                // Items go by their number, entries by their id, advisors by theirs.
                let id = match (&record["number"], &record["id"]) {
                    (serde_json::Value::String(number), _) => format!("#{number}"),
                    (_, serde_json::Value::String(id)) => id.clone(),
                    (_, serde_json::Value::Number(id)) => format!("#{id}"),
                    _ => format!("#{}", at + 1),
                };
                Some((id, error.to_string()))
            })
    }
    let found = [
        ("advisor", first_bad::<Advisor>(&export, "advisors")),
        ("item", first_bad::<Item>(&export, "items")),
        ("entry", first_bad::<Entry>(&export, "entries")),
    ];
    found
        .into_iter()
        .find_map(|(kind, bad)| bad.map(|(id, error)| (kind, id, error)))
}
