//! What can go wrong with the store, as values that say what was found; `messages` puts each
//! into words in both languages.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{AuditAction, Month, Store};
use crate::domain::model::FieldError;
use crate::domain::{EntryId, ItemId, Lang, Minutes, NewEntryError};

pub type Result<T> = std::result::Result<T, StoreError>;

/// Everything that can go wrong with the store, each with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum StoreError {
    /// Another process holds the store.
    InUse { path: PathBuf },
    /// A command that only reads was given a folder that holds no store: nothing is made there.
    NoLedger { path: PathBuf },
    /// The store was written by a newer counsel-log.
    Newer { path: PathBuf, found: u64 },
    /// The store's signing key cannot be used.
    Key(super::KeyFault),
    /// The store was written by an older counsel-log and takes no change before it is brought
    /// up to date (which opening it with the program does, after a verified backup).
    MigrationDue { path: PathBuf },
    /// The store cannot be read as a counsel-log store.
    Damaged { path: PathBuf, what: Damage },
    /// The disk refused a read or write.
    Io { path: PathBuf, what: IoFault },
    /// The change was refused; the message says why and what to do. Nothing was written.
    Rejected(Rejection),
    /// Opening took longer than the watchdog allows.
    SlowOpen { path: PathBuf, secs: u64 },
    /// The change was committed but could not be confirmed on disk (`cause` says why); saving
    /// it again would make a second copy.
    Unconfirmed {
        path: PathBuf,
        cause: Box<StoreError>,
    },
    /// Damage was found in the store (now or by an earlier command, which this computer
    /// remembers): nothing is read or written until `verify` finds it whole.
    Stopped(Box<Stopped>),
    /// The store held records when last seen here and is now missing or empty.
    Vanished(Box<Vanished>),
}

/// A store stopped by damage: what was found and the way back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped {
    pub path: PathBuf,
    pub found: super::Found,
    /// The newest backup whose checksum holds, if there is one.
    pub backup: Option<PathBuf>,
    /// The folder backups are looked for in.
    pub backups: PathBuf,
}

/// A store that held records and is now missing or empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vanished {
    pub path: PathBuf,
    /// The last audit head seen in it.
    pub head: super::Head,
    pub backup: Option<PathBuf>,
    pub backups: PathBuf,
    /// The state file that remembers it.
    pub state: PathBuf,
}

/// Why the disk could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IoFault {
    /// The store's path names a file, not a folder.
    NotAFolder,
    /// The disk is full, or a file reached the size the system allows.
    DiskFull,
    /// The folder or its files may be read but not written.
    ReadOnly,
    /// The process, or the whole system, holds as many open files as it is allowed.
    TooManyFiles,
    /// What the operating system said, in its words.
    System(String),
}

/// What was found wrong in a damaged store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// A stored key or value that does not decode.
    Unreadable(Unreadable),
    /// A record that another one leads to is not there.
    Missing(Missing),
    /// The schema version is 0, which no counsel-log writes.
    SchemaZero,
    /// Records but no schema version.
    NoSchema,
    /// The audit trail ends at record `trail`, but the head file shows `saved` were saved: the
    /// newest acknowledged changes were lost.
    ChangesLost { trail: u64, saved: u64 },
    /// The newest audit record (number `record`) is not the one the head file names.
    HeadMismatch { record: u64 },
    /// The head file is gone from a store that holds audit records.
    HeadFileMissing,
    /// The head file names `file` records where the store holds `store`, and does not name the
    /// newest record's predecessor (as a change interrupted before the file was written would).
    HeadFileBehind { file: u64, store: u64 },
    /// The store holds `found` audit records where this computer last saw `seen`: it was put
    /// back to an earlier state, or replaced.
    FewerThanSeen { seen: u64, found: u64 },
    /// The store's audit record `record` is not the one this computer last saw as the newest:
    /// the history was replaced or rewritten, whatever its length now.
    HistoryReplaced { record: u64 },
    /// sled found its files corrupted.
    Corrupted,
    /// sled does not support the files' format; its words.
    Unsupported(String),
    /// Any other report of sled's, in its words.
    Engine(String),
    /// A panic inside sled while it opened, with its text when it had one.
    Panic(Option<String>),
    /// A file (named) of a migration's or compaction's new files changed between their being
    /// listed complete and their being moved in, after the new log had replaced the old.
    SwapDamaged(String),
}

/// The stored key or value that does not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// One of the advisor records (found while reading them all).
    AdvisorRecord,
    /// The record of the advisor with this id.
    Advisor(String),
    CatalogRecord,
    /// One of the item records (found while reading them all).
    ItemRecord,
    /// The item with this internal id.
    Item(ItemId),
    /// A key or number's pointer to its item.
    ItemReference,
    /// A key of the item-to-entries index.
    ItemIndexKey,
    /// The date-and-id key of an entry.
    EntryKey,
    /// The entry with this id.
    Entry(EntryId),
    /// An entry found by the key an import's rating change kept.
    EntryRecord,
    /// One of the audit records (found while reading them all).
    AuditRecord,
    /// The audit record with this number, or what it kept from before its change.
    Audit(u64),
    /// The key of the newest audit record.
    AuditKey,
    Timer,
    /// The journal of an import that did not finish.
    UnfinishedWrite,
    SchemaVersion,
    /// The audit head side file.
    HeadFile,
    /// A record's global id, origin and revision.
    Identity,
    /// This store's own id.
    StoreId,
    /// A correction of an entry.
    Correction,
    /// A record of the per-period aggregates.
    Tallies,
    /// An enrolled peer.
    Peer,
    /// A closed month's mark or filing.
    Closing,
    /// The running sums of the ledger's digest.
    LedgerSums,
    /// One of the store's counters (of audit records, entries, items).
    Counter,
}

/// The record that another one leads to, and is not there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The item an import adds entries to.
    Item(ItemId),
    /// An entry the id index names.
    IndexedEntry(EntryId),
    /// The item an entry belongs to.
    ItemOfEntry,
    /// The entry the timer just logged.
    TimedEntry,
}

/// Why a change was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// A correction would give the advisor more than 24 hours on one day.
    DayOver {
        advisor: String,
        date: chrono::NaiveDate,
        total: crate::domain::Minutes,
    },
    /// A record would be `bytes` long, over [`super::MAX_VALUE`].
    TooLarge {
        bytes: usize,
    },
    /// The records kept together with the one written (a day's entries, a run of numbers)
    /// would take `bytes`, over the limit of one block (see `packed.rs`).
    BlockFull {
        bytes: usize,
    },
    /// A free-text field that cannot be kept as it is.
    Field(FieldError),
    /// A new topic or service type that cannot be added.
    CatalogEntry(Box<NewEntryError>),
    Advisor(AdvisorRefusal),
    Timer(TimerRefusal),
    /// The item key is the key or number of another item.
    ItemKeyTaken {
        key: String,
    },
    /// An import's journal is still there: its rollback has not run.
    EarlierWriteUnfinished,
    /// The item was removed since it was shown.
    ItemGone(ItemId),
    /// The entry was removed since it was shown.
    EntryGone(EntryId),
    /// The newest change, within the undo's scope, is of a kind undo cannot take back.
    CannotUndo {
        action: AuditAction,
        at: DateTime<FixedOffset>,
    },
    /// A snapshot or backup, named by `source`, that does not hang together.
    NotRestorable {
        source: String,
        why: super::SnapshotFault,
    },
    /// Restore only fills an empty store.
    StoreNotEmpty {
        path: PathBuf,
    },
    /// A peer that cannot be enrolled, changed or removed.
    Peer(super::PeerRefusal),
    /// A bundle's records that cannot be merged.
    Merge(super::MergeRefusal),
    /// A dry run's transaction, taken back on purpose; never shown.
    DryRun,
    /// A correction (or a reopening) needs a reason.
    ReasonNeeded,
    /// The entry came from another store (named `origin`): only its origin changes it.
    NotOurs {
        entry: EntryId,
        origin: String,
    },
    /// The item came from another store (named `origin`): only its origin changes it.
    ItemNotOurs {
        number: String,
        origin: String,
    },
    /// The entry has a correction: a change goes in as another correction.
    Corrected {
        entry: EntryId,
    },
    /// A change to entries dated in a closed month (the first such month).
    MonthClosed {
        month: Month,
    },
    Closing(ClosingRefusal),
}

/// Why `close` or `reopen` refused; nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClosingRefusal {
    AlreadyClosed {
        month: Month,
        at: DateTime<FixedOffset>,
    },
    NotClosed(Month),
    /// The month has not ended on `today`.
    NotBegun {
        month: Month,
        today: NaiveDate,
    },
    /// Reopening without a reason.
    NoReason(Month),
}

/// Why an advisor could not be added or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdvisorRefusal {
    /// `id` differs only in letter case from `existing`, who is `name`.
    IdAlike {
        id: String,
        existing: String,
        name: String,
    },
    /// `id` is in use (adding one advisor).
    IdTaken {
        id: String,
    },
    /// `id` is in use (importing advisors).
    ImportedIdTaken {
        id: String,
    },
    NoSuchAdvisor {
        id: String,
    },
    /// The change gives the advisor the values they already have.
    Unchanged {
        id: String,
    },
}

/// Why the timer could not be started or stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimerRefusal {
    AlreadyRunning,
    NotRunning,
    /// The item the timer runs on was removed meanwhile.
    ItemGone,
    /// `advisor` already has `logged` on `date`, and `more` would pass 24 hours.
    PassesDay {
        advisor: String,
        date: NaiveDate,
        logged: Minutes,
        more: Minutes,
    },
}

impl From<super::KeyFault> for StoreError {
    fn from(fault: super::KeyFault) -> StoreError {
        StoreError::Key(fault)
    }
}

impl From<Rejection> for StoreError {
    fn from(why: Rejection) -> StoreError {
        StoreError::Rejected(why)
    }
}

impl From<AdvisorRefusal> for StoreError {
    fn from(why: AdvisorRefusal) -> StoreError {
        StoreError::Rejected(Rejection::Advisor(why))
    }
}

impl From<ClosingRefusal> for StoreError {
    fn from(why: ClosingRefusal) -> StoreError {
        StoreError::Rejected(Rejection::Closing(why))
    }
}

impl From<TimerRefusal> for StoreError {
    fn from(why: TimerRefusal) -> StoreError {
        StoreError::Rejected(Rejection::Timer(why))
    }
}

impl Store {
    pub(super) fn err(&self, e: sled::Error) -> StoreError {
        self.notice(sled_error(&self.path, e))
    }

    /// A batch's failure: damage, or a refusal of a block over the limit.
    pub(super) fn table_err(&self, e: super::table::TableError) -> StoreError {
        self.notice(e.into_store(&self.path))
    }

    pub(super) fn damaged(&self, what: Damage) -> StoreError {
        self.notice(StoreError::Damaged {
            path: self.path.clone(),
            what,
        })
    }

    pub(super) fn unreadable(&self, what: Unreadable) -> StoreError {
        self.damaged(Damage::Unreadable(what))
    }

    pub(super) fn missing(&self, what: Missing) -> StoreError {
        self.damaged(Damage::Missing(what))
    }

    /// A failure of the disk under the store's folder.
    pub(super) fn io(&self, e: &std::io::Error) -> StoreError {
        io_error(&self.path, e)
    }
}

/// A failure of the disk at `path`, in the system's words.
pub(super) fn io_error(path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        what: io_fault(e),
    }
}

/// A full disk and a folder that may not be written are said plainly; anything else in the
/// system's words.
pub(super) fn io_fault(e: &std::io::Error) -> IoFault {
    use std::io::ErrorKind;
    // EFBIG: a file reached the size limit (RLIMIT_FSIZE, or the file system's largest file).
    const EFBIG: i32 = 27;
    // ENFILE and EMFILE: the system's and the process's limits on open files.
    const ENFILE: i32 = 23;
    const EMFILE: i32 = 24;
    match e.kind() {
        ErrorKind::StorageFull | ErrorKind::FileTooLarge | ErrorKind::QuotaExceeded => {
            IoFault::DiskFull
        }
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => IoFault::ReadOnly,
        _ if e.raw_os_error() == Some(EFBIG) => IoFault::DiskFull,
        _ if matches!(e.raw_os_error(), Some(ENFILE | EMFILE)) => IoFault::TooManyFiles,
        _ => IoFault::System(e.to_string()),
    }
}

/// sled's error on opening: a lock held by another process means the store is in use.
pub(super) fn open_error(path: &Path, e: sled::Error) -> StoreError {
    if let sled::Error::Io(io) = &e
        && (io.kind() == std::io::ErrorKind::WouldBlock
            || io.to_string().contains("could not acquire lock"))
    {
        return StoreError::InUse {
            path: path.to_path_buf(),
        };
    }
    sled_error(path, e)
}

pub(super) fn sled_error(path: &Path, e: sled::Error) -> StoreError {
    let what = match e {
        sled::Error::Io(io) => return io_error(path, &io),
        sled::Error::Corruption { .. } => Damage::Corrupted,
        sled::Error::Unsupported(m) => Damage::Unsupported(m),
        other => Damage::Engine(other.to_string()),
    };
    StoreError::Damaged {
        path: path.to_path_buf(),
        what,
    }
}
