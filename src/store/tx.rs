//! Transactions: one atomic change over every tree, made durable (flush, fsync, the head file)
//! before it is reported saved; the trees and counters as a transaction sees them.

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

use super::aggregates::{EntryWrite, Imported};
use super::audit::PendingAudit;
use super::digest::{Covered, LedgerSums};
use super::packed::BlockCache;
use super::table::TxTable;
use super::{Rejection, Result, Store, StoreError, codec, keys};

impl Store {
    /// Runs `f` as one atomic transaction over every tree, then makes it durable: sled flush,
    /// then fsync of the store's files (sled's flush alone does not fsync on Linux).
    pub(super) fn commit<R>(
        &self,
        f: impl Fn(&Tx) -> std::result::Result<R, TxError>,
    ) -> Result<R> {
        let value = self.commit_unsynced(f)?;
        // From here the change is in the store: a failure to confirm it must not read as
        // "not saved", or a retry would save it twice.
        let unconfirmed = |e: StoreError| StoreError::Unconfirmed {
            path: self.path.clone(),
            cause: Box::new(e),
        };
        self.sync().map_err(unconfirmed)?;
        self.write_head_file().map_err(unconfirmed)?;
        self.refresh_tallies().map_err(unconfirmed)?;
        Ok(value)
    }

    /// One atomic transaction over every tree, not yet made durable.
    pub(super) fn commit_unsynced<R>(
        &self,
        f: impl Fn(&Tx) -> std::result::Result<R, TxError>,
    ) -> Result<R> {
        if self.migration_due {
            return Err(StoreError::MigrationDue {
                path: self.path.clone(),
            });
        }
        self.commit_unchecked(self.me, self.salt, f)
    }

    /// [`Store::commit`] as the store `me`, whatever state the store is in: for the
    /// transactions that make a store or bring it up to date.
    pub(super) fn commit_as<R>(
        &self,
        me: u128,
        salt: u128,
        f: impl Fn(&Tx) -> std::result::Result<R, TxError>,
    ) -> Result<R> {
        let value = self.commit_unchecked(me, salt, f)?;
        self.sync()?;
        self.write_head_file()?;
        self.refresh_tallies()?;
        Ok(value)
    }

    pub(super) fn commit_unchecked<R>(
        &self,
        me: u128,
        salt: u128,
        f: impl Fn(&Tx) -> std::result::Result<R, TxError>,
    ) -> Result<R> {
        let tables = self.trees.all();
        let blockings = tables.map(super::table::Table::blocking);
        let trees = tables.map(super::table::Table::sled);
        let result = trees[..].transaction(|view| {
            let caches: [BlockCache; 15] = Default::default();
            let tx = Tx {
                trees: view,
                blockings: &blockings,
                caches: &caches,
                me,
                salt,
                path: &self.path,
                untracked: std::cell::Cell::new(false),
                delta: std::cell::RefCell::new(LedgerSums::default()),
                audits: std::cell::RefCell::new(Vec::new()),
                entry_writes: std::cell::RefCell::new(Vec::new()),
                category_moved: std::cell::RefCell::new(Vec::new()),
                imported: std::cell::RefCell::new(None),
            };
            let value = f(&tx)?;
            tx.seal()?;
            tx.flush_blocks()?;
            Ok(value)
        });
        match result {
            Ok(v) => Ok(v),
            Err(TransactionError::Abort(e)) => Err(self.notice(e)),
            Err(TransactionError::Storage(e)) => Err(self.err(e)),
        }
    }

    /// Flushes sled's buffers and fsyncs its files and directory.
    pub fn sync(&self) -> Result<()> {
        self.db.flush().map_err(|e| self.err(e))?;
        let io = |e: std::io::Error| self.io(&e);
        let fsync = |path: &std::path::Path| {
            std::fs::File::open(path)
                .and_then(|f| f.sync_all())
                .map_err(io)
        };
        // sled writes large nodes (a leaf of big blocks) to blob files and never syncs them.
        // They go first, so that a crash between these fsyncs leaves no synced log pointing
        // at a blob that was not.
        let blobs = self.path.join("blobs");
        if blobs.is_dir() {
            for blob in std::fs::read_dir(&blobs).map_err(io)? {
                let blob = blob.map_err(io)?.path();
                match std::fs::File::open(&blob).and_then(|f| f.sync_all()) {
                    // sled removed it since the folder was read: no page refers to it now.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    done => done.map_err(io)?,
                }
            }
            fsync(&blobs)?;
        }
        for entry in std::fs::read_dir(&self.path).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name == "db" || name == "conf" || name.starts_with("snap.") {
                fsync(&entry.path())?;
            }
        }
        fsync(&self.path)
    }
}

/// An error inside a transaction: a refusal of ours, or sled's conflict/storage signal.
pub(super) type TxError = ConflictableTransactionError<StoreError>;

/// The largest record the store writes: a larger one is refused. (A block of records may be
/// larger, see `packed.rs`; sled writes the leaves that hold such blocks to blob files, which
/// [`Store::sync`] syncs before the log.)
pub const MAX_VALUE: usize = 64 * 1024;

/// The refusal of a record of `bytes` bytes, over [`MAX_VALUE`].
pub(super) fn too_large(bytes: usize) -> StoreError {
    StoreError::Rejected(Rejection::TooLarge { bytes })
}

/// A tree inside a transaction, refusing values over [`MAX_VALUE`], and counting what it
/// writes and replaces into the ledger's digest (for the trees the digest covers).
pub(super) struct TxTree<'a> {
    tree: TxTable<'a>,
    path: &'a std::path::Path,
    covered: Option<Covered>,
    delta: &'a std::cell::RefCell<LedgerSums>,
    watched: Watched<'a>,
}

/// What a tree's writes tell the aggregates (see `aggregates.rs`).
#[derive(Clone, Copy)]
enum Watched<'a> {
    Nothing,
    /// Every entry written or replaced, to count in and out.
    Entries(&'a std::cell::RefCell<Vec<EntryWrite>>),
    /// The advisors whose category changed (or who came or went), which regroups their past
    /// work.
    Advisors(&'a std::cell::RefCell<Vec<String>>),
}

impl Watched<'_> {
    fn wrote(&self, key: &[u8], old: Option<sled::IVec>, new: Option<&[u8]>) {
        match self {
            Watched::Nothing => {}
            Watched::Entries(log) => {
                log.borrow_mut()
                    .push((key.to_vec(), old, new.map(<[u8]>::to_vec)));
            }
            Watched::Advisors(moved) => {
                let advisor = |bytes: Option<&[u8]>| {
                    bytes.and_then(codec::decode_json::<crate::domain::Advisor>)
                };
                let (old, new) = (advisor(old.as_deref()), advisor(new));
                if old.as_ref().map(|a| a.category) != new.as_ref().map(|a| a.category)
                    && let Some(a) = new.or(old)
                {
                    moved.borrow_mut().push(a.id);
                }
            }
        }
    }
}

impl TxTree<'_> {
    pub(super) fn get(
        &self,
        key: impl AsRef<[u8]>,
    ) -> std::result::Result<Option<sled::IVec>, TxError> {
        self.tree.get(key.as_ref(), self.path)
    }

    pub(super) fn insert(
        &self,
        key: impl AsRef<[u8]>,
        value: impl AsRef<[u8]>,
    ) -> std::result::Result<(), TxError> {
        let value = value.as_ref();
        if value.len() > MAX_VALUE {
            return Err(TxError::Abort(too_large(value.len())));
        }
        let key = key.as_ref();
        let old = self.tree.insert(key, value, self.path)?;
        if let Some(tree) = self.covered {
            let mut delta = self.delta.borrow_mut();
            if let Some(old) = &old {
                delta.remove(tree, key, old);
            }
            delta.insert(tree, key, value);
        }
        self.watched.wrote(key, old, Some(value));
        Ok(())
    }

    pub(super) fn remove(&self, key: impl AsRef<[u8]>) -> std::result::Result<(), TxError> {
        let key = key.as_ref();
        let old = self.tree.remove(key, self.path)?;
        if let (Some(tree), Some(old)) = (self.covered, &old) {
            self.delta.borrow_mut().remove(tree, key, old);
        }
        if old.is_some() {
            self.watched.wrote(key, old, None);
        }
        Ok(())
    }
}

/// The trees inside a transaction, by name.
pub(super) struct Tx<'a> {
    trees: &'a Vec<TransactionalTree>,
    /// How each tree packs its records (see `table.rs`).
    blockings: &'a [Option<super::packed::Blocking>; 15],
    /// The blocks of each packed tree this transaction has read or changed.
    caches: &'a [BlockCache; 15],
    me: u128,
    salt: u128,
    path: &'a std::path::Path,
    /// Set while the transaction writes records as another store made them (a merge, a
    /// correction's effect): writing them then changes no identity.
    untracked: std::cell::Cell<bool>,
    /// What this transaction adds to the ledger's sums so far.
    delta: std::cell::RefCell<LedgerSums>,
    /// The audit records of this transaction, written last with the digest after it.
    audits: std::cell::RefCell<Vec<PendingAudit>>,
    /// The entries this transaction wrote or replaced, for the aggregates.
    entry_writes: std::cell::RefCell<Vec<EntryWrite>>,
    /// The advisors whose category changed: their work moves between categories.
    category_moved: std::cell::RefCell<Vec<String>>,
    /// What an import wrote before this, its last transaction.
    imported: std::cell::RefCell<Option<Imported>>,
}

impl Tx<'_> {
    pub(super) fn meta(&self) -> TxTree<'_> {
        self.tree(0, Some(Covered::Meta))
    }
    pub(super) fn advisors(&self) -> TxTree<'_> {
        TxTree {
            watched: Watched::Advisors(&self.category_moved),
            ..self.tree(1, Some(Covered::Advisors))
        }
    }
    pub(super) fn items(&self) -> TxTree<'_> {
        self.tree(2, Some(Covered::Items))
    }
    pub(super) fn item_refs(&self) -> TxTree<'_> {
        self.tree(3, Some(Covered::ItemRefs))
    }
    pub(super) fn entries(&self) -> TxTree<'_> {
        TxTree {
            watched: Watched::Entries(&self.entry_writes),
            ..self.tree(4, Some(Covered::Entries))
        }
    }
    pub(super) fn entry_index(&self) -> TxTree<'_> {
        self.tree(5, Some(Covered::EntryIndex))
    }
    pub(super) fn item_entries(&self) -> TxTree<'_> {
        self.tree(6, Some(Covered::ItemEntries))
    }
    pub(super) fn fingerprints(&self) -> TxTree<'_> {
        self.tree(7, Some(Covered::Fingerprints))
    }
    pub(super) fn catalogs(&self) -> TxTree<'_> {
        self.tree(8, Some(Covered::Catalogs))
    }
    pub(super) fn audit_log(&self) -> TxTree<'_> {
        self.tree(9, None)
    }
    pub(super) fn ids(&self) -> TxTree<'_> {
        self.tree(10, Some(Covered::Ids))
    }
    pub(super) fn local_ids(&self) -> TxTree<'_> {
        self.tree(11, Some(Covered::LocalIds))
    }
    pub(super) fn corrections(&self) -> TxTree<'_> {
        self.tree(12, Some(Covered::Corrections))
    }
    pub(super) fn peers(&self) -> TxTree<'_> {
        self.tree(13, Some(Covered::Peers))
    }
    /// The aggregates: derived from the entries, so outside the digest (`verify` recounts them).
    pub(super) fn tallies(&self) -> TxTree<'_> {
        self.tree(14, None)
    }

    fn tree(&self, index: usize, covered: Option<Covered>) -> TxTree<'_> {
        TxTree {
            tree: TxTable::new(
                &self.trees[index],
                self.blockings[index],
                &self.caches[index],
            ),
            path: self.path,
            covered,
            delta: &self.delta,
            watched: Watched::Nothing,
        }
    }

    /// Writes the blocks of packed trees the transaction changed: last, once every change
    /// (the aggregates' and the audit's too) is made.
    fn flush_blocks(&self) -> std::result::Result<(), TxError> {
        for index in 0..self.trees.len() {
            self.tree(index, None).tree.flush(self.path)?;
        }
        Ok(())
    }

    /// Counts what an import wrote outside this transaction into the aggregates.
    pub(super) fn count_tallied(&self, imported: &Imported) {
        *self.imported.borrow_mut() = Some(imported.clone());
    }

    /// Counts records written outside this transaction (an import's batches) into the digest
    /// this transaction's audit record carries.
    pub(super) fn count_written(&self, written: &LedgerSums) {
        self.delta.borrow_mut().absorb(written);
    }

    /// Queues an audit record, written by [`Tx::seal`] once every change of the transaction is
    /// counted.
    pub(super) fn queue_audit(&self, record: PendingAudit) {
        self.audits.borrow_mut().push(record);
    }

    /// Ends the transaction: the ledger's sums move by what it changed, and its audit records
    /// go into the trail carrying the digest after it.
    fn seal(&self) -> std::result::Result<(), TxError> {
        self.seal_tallies(
            self.entry_writes.take(),
            self.imported.take(),
            self.category_moved.take(),
        )?;
        let delta = self.delta.take();
        let audits = self.audits.take();
        if delta.is_zero() && audits.is_empty() {
            return Ok(());
        }
        let meta = self.meta();
        let mut sums = match meta.get(super::digest::LEDGER_SUMS)? {
            Some(v) => LedgerSums::decode(&v)
                .ok_or_else(|| TxError::Abort(self.unreadable(super::Unreadable::LedgerSums)))?,
            None => LedgerSums::default(),
        };
        sums.absorb(&delta);
        meta.insert(super::digest::LEDGER_SUMS, sums.encode())?;
        let ledger = sums.digest();
        for record in audits {
            self.append_audit(record, &ledger)?;
        }
        Ok(())
    }

    /// This store's id.
    pub(super) fn me(&self) -> u128 {
        self.me
    }

    /// This store's secret salt for the ids it makes.
    pub(super) fn salt(&self) -> u128 {
        self.salt
    }

    /// Runs `f` with identity tracking off: what it writes keeps the identities it has.
    pub(super) fn untracked<R>(&self, f: impl FnOnce() -> R) -> R {
        let was = self.untracked.replace(true);
        let value = f();
        self.untracked.set(was);
        value
    }

    pub(super) fn tracking(&self) -> bool {
        !self.untracked.get()
    }

    /// The error for a record that does not decode, found inside a transaction.
    pub(super) fn unreadable(&self, what: super::Unreadable) -> StoreError {
        StoreError::Damaged {
            path: self.path.to_path_buf(),
            what: super::Damage::Unreadable(what),
        }
    }

    /// A counter's stored value; one that does not decode is damage, never a fresh start
    /// (which would hand out numbers already taken).
    pub(super) fn counter(&self, v: &[u8]) -> std::result::Result<u64, TxError> {
        keys::parse_id(v).ok_or_else(|| TxError::Abort(self.unreadable(super::Unreadable::Counter)))
    }

    /// Takes the next number of a counter kept in `meta` (starting at 1).
    pub(super) fn next(&self, counter: &str) -> std::result::Result<u64, TxError> {
        self.reserve(counter, 1)
    }

    /// Takes `n` consecutive numbers of a counter; returns the first.
    pub(super) fn reserve(&self, counter: &str, n: u64) -> std::result::Result<u64, TxError> {
        let current = self
            .meta()
            .get(counter.as_bytes())?
            .map(|v| self.counter(&v))
            .transpose()?
            .unwrap_or(1);
        self.meta()
            .insert(counter.as_bytes(), keys::id_key(current + n).as_slice())?;
        Ok(current)
    }

    /// Raises a counter so that it hands out numbers above `floor` (after a restore).
    pub(super) fn raise(&self, counter: &str, floor: u64) -> std::result::Result<(), TxError> {
        let current = self
            .meta()
            .get(counter.as_bytes())?
            .map(|v| self.counter(&v))
            .transpose()?
            .unwrap_or(1);
        if current <= floor {
            self.meta()
                .insert(counter.as_bytes(), keys::id_key(floor + 1).as_slice())?;
        }
        Ok(())
    }
}
