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
mod rewrite;
mod shared;
mod snapshot;
mod table;
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
    BACKUP_FORMAT, BackupCounts, BackupFault, BackupSummary, LedgerMark, Proof, RestoreFault,
    backup_sound, check_backup, is_backup, settle_backup,
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
use packed::Blocking;
pub use peers::{Peer, PeerRefusal, Receipt};
pub use restorable::SnapshotRecord;
pub use shared::{Changes, Correction, DeletedKind, Deletion, SharedEntry, SharedItem, Stamped};
pub use snapshot::{Snapshot, SnapshotFault};
use table::Table;
pub use timer::Timer;
pub use trail::{BRIEF_CHARS, TrailFilter, brief, brief_pair};
pub use tx::MAX_VALUE;
pub use undo::{Undo, UndoScope};
pub use verify::{
    ChainProblem, LedgerProblem, LinkFault, RecordProblem, Verification, VerifyProblem,
};
pub use view::StoreView;
pub use watch::{Found, Watch, state_dir};

/// The schema this build writes. Older stores are migrated on open; newer ones are refused.
pub const SCHEMA_VERSION: u64 = 8;

/// The first schema whose large trees are packed into blocks (see `packed.rs`).
const PACKED_SCHEMA: u64 = 5;

/// The `meta` key of this store's id.
const STORE_ID: &[u8] = b"store_id";

/// The `meta` key of the salt of this store's record ids.
const GID_SALT: &[u8] = b"gid_salt";

/// Memory sled may use for its page cache, whatever the size of the store: a month's pages
/// and then some. (Restoring 1,000,000 entries peaked at 504 MiB with 64 MiB, 420 MiB with 32.)
const CACHE_BYTES: u64 = 32 * 1024 * 1024;

/// The trees of the store, in the order a transaction sees them.
#[derive(Clone)]
struct Trees {
    meta: Table,
    advisors: Table,
    items: Table,
    item_refs: Table,
    entries: Table,
    entry_index: Table,
    item_entries: Table,
    fingerprints: Table,
    catalogs: Table,
    audit: Table,
    /// Global id → identity (see `ident.rs`).
    ids: Table,
    /// Kind and local key → global id.
    local_ids: Table,
    /// Entry global id ++ correction global id → correction.
    corrections: Table,
    /// Enrolled peers by store id.
    peers: Table,
    /// Per-period aggregates (see `tallies.rs`).
    tallies: Table,
}

/// Each tree's name, and how the packed layout (schema 7 on; see [`Layout`] for 5 and 6) groups its
/// records into blocks, in the order of [`Trees`]. Every rule keeps a block under
/// `packed::MAX_BLOCK` (256 records at the limit of one) for any ledger this tool is made for:
/// 256 records at most where keys run in sequence, a few hundred at ten million entries where
/// they are hashes spread over thousands of blocks, and the entries of 16 items in the index of
/// items' entries.
const LAYOUT: [(&str, Option<Blocking>); 15] = [
    ("meta", None),
    ("advisors", None),
    // An item's record is JSON of a few hundred bytes: 64 consecutive numbers a block.
    (
        "items",
        Some(Blocking::Span {
            bytes: 8,
            low_bits: 6,
        }),
    ),
    // The ledger's numbers (`#2024-0039`) a hundred a block; the keys an office gives, which
    // may share any prefix, by their hash over 4,096 blocks (a few hundred a block at ten
    // million entries), never one a sled record: sled keeps a few KiB in memory for every
    // record it holds, which for a key an item was a third of all its records.
    (
        "item_refs",
        Some(Blocking::Hashed {
            tagged: &[(b'#', Blocking::Prefix(8))],
            bits: 12,
        }),
    ),
    // Day, then entry number: a day's entries, 256 consecutive numbers a block.
    ("entries", Some(Blocking::Prefix(11))),
    // Entry number → its key: 256 consecutive numbers a block.
    ("entry_index", Some(Blocking::Prefix(7))),
    // Item number, then entry number: the entries of 16 consecutive items a block.
    (
        "item_entries",
        Some(Blocking::Span {
            bytes: 8,
            low_bits: 4,
        }),
    ),
    // A hash first: spread over 8,192 blocks, a few hundred records each at ten million
    // entries.
    (
        "fingerprints",
        Some(Blocking::Span {
            bytes: 2,
            low_bits: 3,
        }),
    ),
    ("catalogs", None),
    ("audit", None),
    // Global ids: six bytes of the origin's time, then hashed; 16,384 blocks an origin, a few
    // hundred identities each at ten million entries.
    (
        "ids",
        Some(Blocking::Span {
            bytes: 8,
            low_bits: 2,
        }),
    ),
    // A kind's byte, then an eight-byte number: 256 consecutive numbers a block.
    ("local_ids", Some(Blocking::Prefix(8))),
    ("corrections", Some(Blocking::Prefix(8))),
    ("peers", None),
    // The aggregates: each item's cells 16 consecutive items a block; a month's figures,
    // spans and gaps a block each; the whole history's figures one block.
    ("tallies", Some(Blocking::Tagged(&TALLY_BLOCKS))),
];

/// How the aggregates keep each item's cells, in every packed schema: 16 consecutive items a
/// block.
const ITEM_CELLS: (u8, Blocking) = (
    b'i',
    Blocking::Span {
        bytes: 9,
        low_bits: 4,
    },
);

/// How the aggregates' kinds of record are packed (see `tallies.rs` for their keys): each
/// item's cells 16 consecutive items a block; a month's figures, spans and gaps a block each
/// (a tag, then the month), so a year reads a few dozen blocks; the whole history's figures,
/// a record a group (a few hundred, a few dozen bytes each), one block. Schema 7 had no
/// records of the last kind, so it reads by these rules too.
const TALLY_BLOCKS: [(u8, Blocking); 5] = [
    ITEM_CELLS,
    (b'm', Blocking::Prefix(5)),
    (b's', Blocking::Prefix(5)),
    (b'h', Blocking::Prefix(5)),
    (b'w', Blocking::Prefix(1)),
];

/// How schemas 5 and 6 packed the aggregates: a month's figures a block per kind of group,
/// its spans and gaps by kind and the code's first three bytes (some 30 blocks a month).
const TALLY_BLOCKS_6: [(u8, Blocking); 4] = [
    ITEM_CELLS,
    (b'm', Blocking::Prefix(6)),
    (b's', Blocking::Prefix(9)),
    (b'h', Blocking::Prefix(9)),
];

/// How the records of a store's trees are laid out, by the schema that wrote them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Schema 4 and before: every record one sled record.
    Plain,
    /// Schema 5: packed as [`LAYOUT`] says, but the keys offices give their items one to a
    /// block and the aggregates as [`TALLY_BLOCKS_6`].
    Packed5,
    /// Schema 6: packed as [`LAYOUT`] says, but the aggregates as [`TALLY_BLOCKS_6`].
    Packed6,
    /// Schema 7 on: packed as [`LAYOUT`] says (schema 7 wrote no whole-history figures).
    Packed,
}

impl Layout {
    /// The layout of a store whose schema number is `schema`.
    fn of(schema: u64) -> Layout {
        match schema {
            ..PACKED_SCHEMA => Layout::Plain,
            PACKED_SCHEMA => Layout::Packed5,
            6 => Layout::Packed6,
            _ => Layout::Packed,
        }
    }

    /// How this layout packs the tree `name`, which [`LAYOUT`] packs by `rule`.
    fn rule(self, name: &str, rule: Option<Blocking>) -> Option<Blocking> {
        match self {
            Layout::Plain => None,
            Layout::Packed5 if name == "item_refs" => {
                Some(Blocking::Tagged(&[(b'#', Blocking::Prefix(8))]))
            }
            Layout::Packed5 | Layout::Packed6 if name == "tallies" => {
                Some(Blocking::Tagged(&TALLY_BLOCKS_6))
            }
            Layout::Packed5 | Layout::Packed6 | Layout::Packed => rule,
        }
    }
}

/// The sled tree that holds tree `name` packed: another name, so that a store's layout can
/// never be mistaken for the other's.
fn packed_name(name: &str) -> String {
    format!("{name}.packed")
}

/// The sled database of the store at `path`, opened with sled directly as the store opens it
/// (compressed or not, as its files were made): what a test that plays a damaged disk, or an
/// attacker with sled in hand, works through. The store itself never uses it.
#[doc(hidden)]
pub fn open_sled(path: &Path) -> sled::Result<sled::Db> {
    open::sled_config(path, Intent::Change).open()
}

/// A tree of a store opened with sled directly, read and written as the store lays out its
/// records (plain or packed into blocks): what a test that plays a damaged disk, or an
/// attacker with sled in hand, works through. The store itself never uses it.
#[doc(hidden)]
pub struct RawTree(Table);

impl RawTree {
    /// The tree `name` (as in [`LAYOUT`]) of `db`, in the layout its schema number gives.
    pub fn open(db: &sled::Db, name: &str) -> sled::Result<RawTree> {
        let layout = open::layout(db)?;
        let rule = LAYOUT
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(n, rule)| layout.rule(n, *rule));
        let tree = db.open_tree(rule.map_or_else(|| name.to_owned(), |_| packed_name(name)))?;
        Ok(RawTree(Table::new(tree, rule)))
    }

    pub fn get(&self, key: impl AsRef<[u8]>) -> sled::Result<Option<sled::IVec>> {
        self.0.get(key)
    }

    pub fn insert(
        &self,
        key: impl AsRef<[u8]>,
        value: impl AsRef<[u8]>,
    ) -> sled::Result<Option<sled::IVec>> {
        self.0.insert(key, value)
    }

    pub fn remove(&self, key: impl AsRef<[u8]>) -> sled::Result<Option<sled::IVec>> {
        self.0.remove(key)
    }

    pub fn first(&self) -> sled::Result<Option<(sled::IVec, sled::IVec)>> {
        self.0.first()
    }

    pub fn iter(
        &self,
    ) -> impl DoubleEndedIterator<Item = sled::Result<(sled::IVec, sled::IVec)>> + use<> {
        self.0.iter()
    }

    pub fn scan_prefix(
        &self,
        prefix: &[u8],
    ) -> impl DoubleEndedIterator<Item = sled::Result<(sled::IVec, sled::IVec)>> + use<> {
        self.0.scan_prefix(prefix)
    }

    pub fn is_empty(&self) -> bool {
        self.0.sled().is_empty()
    }

    /// The sled tree underneath: for a packed tree, its blocks.
    pub fn sled(&self) -> &sled::Tree {
        self.0.sled()
    }
}

impl Trees {
    /// Opens the trees of `db` in `layout`.
    fn open(db: &sled::Db, layout: Layout) -> sled::Result<Trees> {
        let mut tables = Vec::with_capacity(LAYOUT.len());
        for (name, rule) in LAYOUT {
            tables.push(match layout.rule(name, rule) {
                Some(rule) => Table::new(db.open_tree(packed_name(name))?, Some(rule)),
                None => Table::new(db.open_tree(name)?, None),
            });
        }
        let mut t = tables.into_iter();
        let mut next = || {
            t.next()
                .ok_or(sled::Error::Unsupported("layout".to_owned()))
        };
        Ok(Trees {
            meta: next()?,
            advisors: next()?,
            items: next()?,
            item_refs: next()?,
            entries: next()?,
            entry_index: next()?,
            item_entries: next()?,
            fingerprints: next()?,
            catalogs: next()?,
            audit: next()?,
            ids: next()?,
            local_ids: next()?,
            corrections: next()?,
            peers: next()?,
            tallies: next()?,
        })
    }

    /// Every tree in the order of [`LAYOUT`].
    fn all(&self) -> [&Table; 15] {
        [
            &self.meta,
            &self.advisors,
            &self.items,
            &self.item_refs,
            &self.entries,
            &self.entry_index,
            &self.item_entries,
            &self.fingerprints,
            &self.catalogs,
            &self.audit,
            &self.ids,
            &self.local_ids,
            &self.corrections,
            &self.peers,
            &self.tallies,
        ]
    }
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
        // A session that ends in a panic (sled's, on a record it cannot read back) did not
        // end well: as for damage, the copy goes back and no clean close is recorded.
        if self.found_damage() || std::thread::panicking() {
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
