//! Proving a backup just written: the file read back as a stream, its checksum and count
//! checked, every line parsed into its record and compared with the store's own record, walked
//! again in the same order (the audit trail byte for byte), and every record passed through
//! the checks `restore` makes. Two streams side by side: nothing is held but the line at hand
//! and the ids a restore must find unique.

use std::path::Path;

use super::read::{self, Halt, Scanned};
use super::{Admission, BackupFault, Line, PACE, SnapshotFault, admit};
use crate::store::{Result, Store};

/// What proving a backup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// Every record of the file is the store's, in order, the trail byte for byte, and a
    /// restore would take it all.
    Same,
    /// The file could not be read back: what the system said.
    CannotRead(String),
    /// The file does not read back whole.
    Unsound(BackupFault),
    /// The file holds the store's records, but a restore would refuse them.
    Unrestorable(SnapshotFault),
    /// A record of the file is not the store's, or one is missing.
    Differs,
    /// Told to stop before the end.
    Stopped,
}

/// Why a record of the file was found wrong.
enum Wrong {
    Differs,
    Refused(SnapshotFault),
}

impl Store {
    /// Proves the backup at `file` against this store, as it stands now (see [`Proof`]).
    /// At the first record and every few thousand after it asks `keep_going`, and stops when
    /// told.
    pub fn prove_backup(&self, file: &Path, keep_going: &mut dyn FnMut() -> bool) -> Result<Proof> {
        let input = match std::fs::File::open(file) {
            Ok(f) => std::io::BufReader::with_capacity(1 << 16, f),
            Err(e) => return Ok(Proof::CannotRead(e.to_string())),
        };
        let mut ours = self.backup_lines()?;
        let mut admission = Admission::new();
        let mut failed = None;
        let mut seen = 0u64;
        let scanned = read::scan(input, |line: Line| {
            if seen.is_multiple_of(PACE) && !keep_going() {
                return Err(Halt::Now);
            }
            seen += 1;
            match ours.next() {
                Some(Ok(mine)) if mine == line => {}
                Some(Err(e)) => {
                    failed = Some(e);
                    return Err(Halt::Now);
                }
                Some(Ok(_)) | None => return Err(Halt::Fault(Wrong::Differs)),
            }
            admit(&mut admission, &line).map_err(|f| Halt::Fault(Wrong::Refused(f)))
        });
        if let Some(e) = failed {
            return Err(e);
        }
        Ok(match scanned {
            Err(Scanned::Io(e)) => Proof::CannotRead(e.to_string()),
            Err(Scanned::Unsound(fault)) => Proof::Unsound(fault),
            Err(Scanned::Record(Wrong::Differs)) => Proof::Differs,
            Err(Scanned::Record(Wrong::Refused(fault))) => Proof::Unrestorable(fault),
            Err(Scanned::Stopped) => Proof::Stopped,
            Ok(_) => match ours.next().transpose()? {
                // The store holds a record the file lacks.
                Some(_) => Proof::Differs,
                None => match admission.finish() {
                    Ok(()) => Proof::Same,
                    Err(fault) => Proof::Unrestorable(fault),
                },
            },
        })
    }
}
