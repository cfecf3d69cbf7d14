//! Backups: the whole ledger and its audit trail as JSON Lines — a header, one record per line,
//! and a last line holding the SHA-256 of everything before it — written by streaming, proven
//! by reading the file back as a stream beside a second walk over the store, and refused on
//! restore when the checksum does not match. Neither holds the ledger in memory.

mod prove;
mod read;
mod records;
mod restore;

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use prove::Proof;
use records::Counted;
pub use restore::{BackupCounts, RestoreFault, check_backup};

use super::audit::Head;
use super::error::io_error;
use super::restorable::Admission;
use super::{Result, SnapshotFault, Store, codec};
use crate::domain::Lang;
use crate::domain::{Advisor, CatalogEntry, CatalogKind, Entry, Item};

/// The first line's `format`, which tells a backup from any other file.
pub const BACKUP_FORMAT: &str = "counsel-log-backup";

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u64,
    created: String,
}

/// One line of a backup.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Line {
    Advisor(Advisor),
    Topic(CatalogEntry),
    Service(CatalogEntry),
    Item(Item),
    Entry(Entry),
    /// A row of the store's place in its team.
    Team(super::CarriedRow),
    /// An audit record exactly as stored (its bytes are what the next record's `prev` hashes).
    Audit(String),
}

#[derive(Debug, Serialize, Deserialize)]
struct Trailer {
    sha256: String,
    records: u64,
}

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// The ledger's records (not counting the audit trail).
    pub records: u64,
    pub entries: u64,
    /// The audit records carried.
    pub audit: u64,
    pub sha256: String,
}

/// Why a backup cannot be read; nothing of it is used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum BackupFault {
    /// The last line is not the checksum trailer.
    NoChecksum,
    /// The trailer's checksum (`said`) is not that of the lines before it (`got`).
    ChecksumMismatch {
        said: String,
        got: String,
    },
    NoHeader,
    Newer {
        version: u64,
    },
    /// Line `line` (counted from 1) is not a record; the JSON reader's words.
    UnreadableLine {
        line: usize,
        error: String,
    },
    /// The file holds `records` records where the trailer says `said`.
    CountDiffers {
        records: u64,
        said: u64,
    },
}

/// Writes lines while hashing them.
struct Hashed<W: Write> {
    out: W,
    hash: Sha256,
}

impl<W: Write> Hashed<W> {
    fn line<T: Serialize>(&mut self, value: &T) -> std::io::Result<()> {
        let mut bytes = serde_json::to_vec(value).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        self.hash.update(&bytes);
        self.out.write_all(&bytes)
    }
}

/// The SHA-256 as a backup's trailer writes it: lower-case hex.
fn hex_digest(digest: &[u8]) -> String {
    hex::encode(digest)
}

/// How many records a backup writes or proves between two looks at whether it should go on.
const PACE: u64 = 4096;

/// The state of the ledger as far as a backup can tell: its audit head, and whether a write
/// too large for one transaction is under way. Every change appends an audit record in the
/// transaction that makes it, and a large write is marked pending from before its first
/// record to its audit record, so two equal marks with nothing pending mean that nothing
/// was committed between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerMark {
    head: Head,
    pending: bool,
}

impl LedgerMark {
    /// False while a large write is under way: a backup taken now would catch half of it.
    pub fn settled(&self) -> bool {
        !self.pending
    }
}

impl Store {
    /// The ledger's mark now (see [`LedgerMark`]).
    pub fn ledger_mark(&self) -> Result<LedgerMark> {
        Ok(LedgerMark {
            head: self.audit_head_record()?,
            pending: self.write_pending()?,
        })
    }

    /// Writes the backup that is to become `file` into the unfinished file `partial`, fsynced,
    /// streaming the records from the trees one at a time. Before the first record and every
    /// few thousand after it asks `keep_going`, and stops when told (`None`). On a stop or any failure the unfinished file
    /// is removed. It becomes `file` only through [`settle_backup`], once proven: a file under
    /// a finished backup's name is always one proven to hold the ledger it came from.
    pub fn write_backup(
        &self,
        file: &Path,
        partial: &Path,
        created: &DateTime<FixedOffset>,
        keep_going: &mut dyn FnMut() -> bool,
    ) -> Result<Option<BackupSummary>> {
        let written = self.write_backup_through(file, partial, created, keep_going);
        if !matches!(written, Ok(Some(_))) {
            let _ = std::fs::remove_file(partial);
        }
        written
    }

    fn write_backup_through(
        &self,
        file: &Path,
        tmp: &Path,
        created: &DateTime<FixedOffset>,
        keep_going: &mut dyn FnMut() -> bool,
    ) -> Result<Option<BackupSummary>> {
        let io = |e: std::io::Error| io_error(file, &e);
        let handle = std::fs::File::create(tmp).map_err(io)?;
        let mut w = Hashed {
            out: std::io::BufWriter::with_capacity(1 << 16, handle),
            hash: Sha256::new(),
        };
        w.line(&Header {
            format: BACKUP_FORMAT.into(),
            version: 1,
            created: codec::time_text(created),
        })
        .map_err(io)?;
        let (mut records, mut entries, mut audit) = (0u64, 0u64, 0u64);
        for (n, line) in (0u64..).zip(self.backup_lines()?) {
            if n.is_multiple_of(PACE) && !keep_going() {
                return Ok(None);
            }
            let line = line?;
            match line.counted() {
                Counted::Entry => entries += 1,
                Counted::Record => records += 1,
                Counted::Audit => audit += 1,
            }
            w.line(&line).map_err(io)?;
        }
        records += entries;
        let sha256 = hex_digest(w.hash.clone().finalize().as_slice());
        w.line(&Trailer {
            sha256: sha256.clone(),
            records: records + audit,
        })
        .map_err(io)?;
        let handle = w.out.into_inner().map_err(|e| io(e.into_error()))?;
        handle.sync_all().map_err(io)?;
        Ok(Some(BackupSummary {
            records,
            entries,
            audit,
            sha256,
        }))
    }
}

/// Gives a proven backup its finished name: renames `partial` to `file` and fsyncs the folder;
/// on failure the unfinished file is removed.
pub fn settle_backup(partial: &Path, file: &Path) -> Result<()> {
    std::fs::rename(partial, file).map_err(|e| {
        let _ = std::fs::remove_file(partial);
        io_error(file, &e)
    })?;
    if let Some(dir) = file.parent() {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// True when the bytes look like a backup (rather than a JSON export).
pub fn is_backup(bytes: &[u8]) -> bool {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    serde_json::from_slice::<Header>(first).is_ok_and(|h| h.format == BACKUP_FORMAT)
}

/// True when the file at `path` is a backup whose checksum, header, lines and count all hold:
/// read as a stream, so a backup of any size is judged in the same memory.
pub fn backup_sound(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let input = std::io::BufReader::with_capacity(1 << 16, file);
    read::scan::<std::convert::Infallible>(input, |_| Ok(())).is_ok()
}

/// Passes one record of a backup through the checks `restore` makes.
fn admit(admission: &mut Admission, line: &Line) -> std::result::Result<(), SnapshotFault> {
    match line {
        Line::Advisor(a) => admission.advisor(a),
        Line::Topic(e) => admission.catalog(CatalogKind::Topic, e),
        Line::Service(e) => admission.catalog(CatalogKind::Service, e),
        Line::Item(i) => admission.item(i),
        Line::Entry(e) => admission.entry(e),
        Line::Team(row) => admission.team(row),
        Line::Audit(record) => admission.audit(record),
    }
}
