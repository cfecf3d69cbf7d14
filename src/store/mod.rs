//! The sled store: opening it safely, the trees it holds, atomic commits that reach the disk
//! before success is reported, and the audit trail. Nothing here knows about the interface.

mod advisors;
mod aggregates;
pub use aggregates::AdvisorMonth;
mod apply;
mod audit;
mod backup;
mod carry;
mod catalogs;
mod closing;
mod codec;
mod correct;
mod digest;
mod edit;
mod error;
mod guard;
mod head;
mod history;
mod ident;
mod journal;
mod keypair;
mod keys;
mod merge;
mod messages;
mod migrate;
mod open;
mod outbox;
mod packed;
mod peers;
mod read;
mod refs;
mod restorable;
mod shared;
mod snapshot;
mod tallies;
mod timer;
mod trail;
mod tx;
mod undo;
mod verify;
mod view;
mod watch;
mod write;

use std::path::{Path, PathBuf};

pub use apply::Applied;
pub use audit::{AuditAction, AuditRecord, Head, Stamp};
pub use backup::{
    BACKUP_FORMAT, BackupFault, BackupSummary, LedgerMark, Proof, backup_sound, is_backup,
    read_backup, settle_backup,
};
pub use carry::{CarriedRow, CarriedTree};
pub use closing::{Change, ChangeKind, ClosedMonth, FiledEntry, Filing, Month};
pub use correct::CorrectionRequest;
pub use digest::{Covered, LedgerSums};
pub use edit::{EntryChange, ItemState};
pub use error::{
    AdvisorRefusal, ClosingRefusal, Damage, IoFault, Missing, Rejection, Result, StoreError,
    TimerRefusal, Unreadable,
};
pub use history::{EntryHistory, Provenance};
pub use ident::{Ident, Kind};
pub use keypair::{
    KEY_FILE, KeyFault, load as load_key, load_or_create as load_or_create_key, random_ulid,
};
pub use merge::{Arrival, Disagreement, MergeRefusal, MergeReport, PART};
pub use migrate::Migrated;
pub use open::{Intent, on_slow_open};
pub use outbox::{Sent, time_text};
pub use peers::{Peer, PeerRefusal, Receipt};
pub use restorable::SnapshotRecord;
pub use shared::{Changes, Correction, DeletedKind, Deletion, SharedEntry, SharedItem, Stamped};
pub use snapshot::{Snapshot, SnapshotFault};
pub use timer::Timer;
pub use trail::{BRIEF_CHARS, TrailFilter, brief};
pub use tx::MAX_VALUE;
pub use undo::{Undo, UndoScope};
pub use verify::{
    ChainProblem, LedgerProblem, LinkFault, RecordProblem, Verification, VerifyProblem,
};
pub use view::StoreView;
pub use watch::{Found, Watch, state_dir};

/// The schema this build writes. Older stores are migrated on open; newer ones are refused.
pub const SCHEMA_VERSION: u64 = 4;

/// The `meta` key of this store's id.
const STORE_ID: &[u8] = b"store_id";

/// The `meta` key of the salt of this store's record ids.
const GID_SALT: &[u8] = b"gid_salt";

/// Memory sled may use for its page cache, whatever the size of the store.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// The trees of the store, in the order a transaction sees them.
#[derive(Clone)]
struct Trees {
    meta: sled::Tree,
    advisors: sled::Tree,
    items: sled::Tree,
    item_refs: sled::Tree,
    entries: sled::Tree,
    entry_index: sled::Tree,
    item_entries: sled::Tree,
    fingerprints: sled::Tree,
    catalogs: sled::Tree,
    audit: sled::Tree,
    /// Global id → identity (see `ident.rs`).
    ids: sled::Tree,
    /// Kind and local key → global id.
    local_ids: sled::Tree,
    /// Entry global id ++ correction global id → correction.
    corrections: sled::Tree,
    /// Enrolled peers by store id.
    peers: sled::Tree,
    /// Per-period aggregates (see `tallies.rs`).
    tallies: sled::Tree,
}

/// The open store.
///
/// Fields drop in the order they are declared: the trees and the database close sled
/// completely before `closing` records the files' state.
pub struct Store {
    trees: Trees,
    db: sled::Db,
    path: PathBuf,
    /// This store's id (a ULID), read when it opens.
    me: u128,
    /// The secret that makes the ids of this store's records unforeseeable to other stores.
    salt: u128,
    /// The store was written by an older schema: it reads, but takes no change until
    /// [`Store::migrate`] has brought it up to date.
    migration_due: bool,
    /// What this computer remembers of the store, when the front end keeps it (see `watch.rs`).
    watch: Option<Watch>,
    closing: CloseRecord,
}

/// Records, once sled has closed, that the store's files are as counsel-log left them, so the
/// next open can tell they are untouched and skip the protective copy.
struct CloseRecord {
    path: PathBuf,
    /// Set once the store has opened and passed its checks: only then does closing record
    /// the files as cleanly closed.
    healthy: bool,
    /// Set when damage is found while the store is open: the files are then never recorded as
    /// cleanly closed, and the copy taken before opening (if any) is put back.
    damaged: std::sync::atomic::AtomicBool,
    /// The first damage found, as the front end shows it.
    found: std::sync::Mutex<Option<StoreError>>,
    /// The copy of the files taken before opening, kept until the first change is saved, so
    /// that a session that only found damage leaves the files exactly as it found them.
    before_open: std::sync::Mutex<Option<guard::Guard>>,
    /// The clean-close record as the open found it (and removed it, the store being about to
    /// change): put back when the session only found damage, so a refused command leaves the
    /// folder as it was.
    closed_before: Option<Vec<u8>>,
    /// Set once a change was saved: the files are then no longer those the record describes.
    saved: std::sync::atomic::AtomicBool,
    /// The session only reads (see [`Intent`]): sled runs no flusher of its own.
    reading: bool,
    /// The clean-close record the files matched when a session that only reads opened them:
    /// left in place, and kept true at the close (see `guard::keep_close`) unless a change is
    /// saved after all.
    kept: Option<guard::Kept>,
}

impl CloseRecord {
    fn new(path: &Path) -> CloseRecord {
        CloseRecord {
            path: path.to_path_buf(),
            healthy: false,
            damaged: std::sync::atomic::AtomicBool::new(false),
            found: std::sync::Mutex::new(None),
            before_open: std::sync::Mutex::new(None),
            closed_before: None,
            saved: std::sync::atomic::AtomicBool::new(false),
            reading: false,
            kept: None,
        }
    }

    fn found_damage(&self) -> bool {
        self.damaged.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A change was saved: the copy from before opening is no longer the store's state.
    fn changed(&self) {
        let first = !self.saved.swap(true, std::sync::atomic::Ordering::SeqCst);
        if first && self.kept.is_some() {
            // The files no longer match the record kept since opening.
            let _ = guard::forget_close(&self.path);
        }
        let copy = self
            .before_open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(copy) = copy {
            copy.release();
        }
    }
}

impl Drop for CloseRecord {
    fn drop(&mut self) {
        let copy = self
            .before_open
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if self.found_damage() {
            if let Some(copy) = copy {
                let _ = copy.put_back();
            }
            if let Some(bytes) = &self.closed_before
                && !self.saved.load(std::sync::atomic::Ordering::SeqCst)
            {
                guard::restore_close(&self.path, bytes);
            }
            return;
        }
        if let Some(copy) = copy {
            copy.release();
        }
        if self.healthy {
            let _ = match &self.kept {
                Some(kept) if !self.saved.load(std::sync::atomic::Ordering::SeqCst) => {
                    guard::keep_close(&self.path, kept, SCHEMA_VERSION)
                }
                _ => guard::record_close(&self.path, SCHEMA_VERSION),
            };
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = self.db.flush();
    }
}

impl Store {
    /// Closes the store as the process ends. A session that only read leaves sled's tables
    /// (a page table as large as the ledger) for the operating system to reclaim with the rest
    /// of the process, at no cost, instead of freeing them one by one; it saved nothing, and
    /// sled, which runs no flusher for it, writes nothing more (the pages it tidied in memory
    /// as it read them need not reach the disk). Any other session (or one that saved a change
    /// after all) closes in full, flushed, its flusher finishing its work.
    pub fn close_at_exit(mut self) {
        let saved = self.closing.saved.load(std::sync::atomic::Ordering::SeqCst);
        if !self.closing.reading || saved || self.found_damage() {
            return drop(self);
        }
        let closing = std::mem::replace(&mut self.closing, CloseRecord::new(&self.path));
        std::mem::forget(self);
        drop(closing);
    }
}

/// The default store location: the platform's data directory for counsel-log
/// (`$XDG_DATA_HOME/counsel-log` on Linux), else `counsel-log` in the working directory.
pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "counsel-log").map_or_else(
        || PathBuf::from("counsel-log"),
        |d| d.data_dir().to_path_buf(),
    )
}

impl Store {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True once damage was found while the store is open (the interface then stops).
    pub fn found_damage(&self) -> bool {
        self.closing.found_damage()
    }

    /// Notes an error met while the store is open: damage marks the store (and, when it is
    /// watched, the state file, turning the error into the one that stops the store).
    pub fn notice(&self, error: StoreError) -> StoreError {
        if !matches!(error, StoreError::Damaged { .. }) {
            return error;
        }
        self.closing
            .damaged
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let error = match &self.watch {
            Some(watch) => watch.stop(error),
            None => error,
        };
        self.closing
            .found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get_or_insert_with(|| error.clone());
        error
    }

    /// The first damage found while the store is open, as it stops the store.
    pub fn damage(&self) -> Option<StoreError> {
        self.closing
            .found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Keeps what `verify` found: damage marks the store; a store found whole is cleared.
    pub fn verified(&self, verification: &Verification) {
        if !verification.ok() {
            self.closing
                .damaged
                .store(true, std::sync::atomic::Ordering::SeqCst);
        }
        if let Some(watch) = &self.watch {
            watch.verified(verification);
        }
    }

    /// The watch over this store, if the front end keeps one.
    pub fn watch(&self) -> Option<&Watch> {
        self.watch.as_ref()
    }
}
