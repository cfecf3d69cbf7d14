//! A tree of the store as the records it holds, whatever its layout: plain (one sled record per
//! record, every tree of a schema-4 store and the small trees of today's) or packed into blocks
//! (the large trees from schema 5 on, see `packed.rs`). The store reads, writes and walks
//! records through a [`Table`] and never needs to know which layout is underneath.

use std::ops::RangeBounds;

use sled::IVec;
use sled::transaction::TransactionalTree;

use super::packed::{self, BlockCache, Blocking, Packed, PackedError, PackedTx};
use super::tx::TxError;
use super::{Damage, StoreError};

pub(super) use super::packed::PackedBatch as Batch;

/// A packed tree's failure in sled's words: a block that does not decode is the store's
/// damage, which sled's `Corruption` already names for every caller.
fn engine(e: PackedError) -> sled::Error {
    match e {
        PackedError::Engine(e) => e,
        PackedError::Undecodable { .. } | PackedError::TooLarge { .. } => {
            sled::Error::Corruption { at: None, bt: () }
        }
    }
}

/// One tree of the store, read and written as records.
#[derive(Clone)]
pub(super) enum Table {
    Plain(sled::Tree),
    Packed(Packed),
}

impl Table {
    /// The tree `tree`, packed by `blocking` when the store's layout packs it.
    pub(super) fn new(tree: sled::Tree, blocking: Option<Blocking>) -> Table {
        match blocking {
            Some(rule) => Table::Packed(Packed::new(tree, rule)),
            None => Table::Plain(tree),
        }
    }

    /// The sled tree underneath.
    pub(super) fn sled(&self) -> &sled::Tree {
        match self {
            Table::Plain(t) => t,
            Table::Packed(p) => p.tree(),
        }
    }

    /// How the tree packs its records; `None` when it keeps one sled record each.
    pub(super) fn blocking(&self) -> Option<Blocking> {
        match self {
            Table::Plain(_) => None,
            Table::Packed(p) => Some(p.blocking()),
        }
    }

    pub(super) fn get(&self, key: impl AsRef<[u8]>) -> sled::Result<Option<IVec>> {
        match self {
            Table::Plain(t) => t.get(key),
            Table::Packed(p) => p.get(key).map_err(engine),
        }
    }

    pub(super) fn contains_key(&self, key: impl AsRef<[u8]>) -> sled::Result<bool> {
        match self {
            Table::Plain(t) => t.contains_key(key),
            Table::Packed(p) => p.contains_key(key).map_err(engine),
        }
    }

    pub(super) fn range<K: AsRef<[u8]>, R: RangeBounds<K>>(&self, range: R) -> Iter {
        match self {
            Table::Plain(t) => Iter::Plain(t.range(range)),
            Table::Packed(p) => Iter::Packed(p.range(range)),
        }
    }

    pub(super) fn iter(&self) -> Iter {
        match self {
            Table::Plain(t) => Iter::Plain(t.iter()),
            Table::Packed(p) => Iter::Packed(p.iter()),
        }
    }

    pub(super) fn scan_prefix(&self, prefix: impl AsRef<[u8]>) -> Iter {
        match self {
            Table::Plain(t) => Iter::Plain(t.scan_prefix(prefix)),
            Table::Packed(p) => Iter::Packed(p.scan_prefix(prefix)),
        }
    }

    pub(super) fn first(&self) -> sled::Result<Option<(IVec, IVec)>> {
        match self {
            Table::Plain(t) => t.first(),
            Table::Packed(p) => p.first().map_err(engine),
        }
    }

    pub(super) fn last(&self) -> sled::Result<Option<(IVec, IVec)>> {
        match self {
            Table::Plain(t) => t.last(),
            Table::Packed(p) => p.last().map_err(engine),
        }
    }

    pub(super) fn clear(&self) -> sled::Result<()> {
        self.sled().clear()
    }

    /// Puts one record outside any transaction (migrations, a restore's scratch writes).
    pub(super) fn insert(
        &self,
        key: impl AsRef<[u8]>,
        value: impl AsRef<[u8]>,
    ) -> sled::Result<Option<IVec>> {
        match self {
            Table::Plain(t) => t.insert(key.as_ref(), value.as_ref()),
            Table::Packed(p) => {
                let old = p.get(key.as_ref()).map_err(engine)?;
                let mut batch = Batch::default();
                batch.insert(key, value);
                p.apply_batch(batch).map_err(engine)?;
                Ok(old)
            }
        }
    }

    /// Takes one record out outside any transaction.
    pub(super) fn remove(&self, key: impl AsRef<[u8]>) -> sled::Result<Option<IVec>> {
        match self {
            Table::Plain(t) => t.remove(key),
            Table::Packed(p) => {
                let old = p.get(key.as_ref()).map_err(engine)?;
                if old.is_some() {
                    let mut batch = Batch::default();
                    batch.remove(key);
                    p.apply_batch(batch).map_err(engine)?;
                }
                Ok(old)
            }
        }
    }

    /// Writes a batch of records all or nothing. A packed tree refuses, writing nothing, a
    /// batch that would take a block over the store's limit.
    pub(super) fn apply_batch(&self, batch: Batch) -> Result<(), TableError> {
        match self {
            Table::Plain(t) => {
                let mut batch = batch;
                batch.sort();
                let mut out = sled::Batch::default();
                for (key, write) in batch.iter() {
                    match write {
                        Some(value) => out.insert(key, value),
                        None => out.remove(key),
                    }
                }
                Ok(t.apply_batch(out)?)
            }
            Table::Packed(p) => p.apply_batch(batch).map_err(|e| match e {
                PackedError::TooLarge { bytes, .. } => TableError::TooLarge { bytes },
                other => TableError::Engine(engine(other)),
            }),
        }
    }
}

/// What a batch could not do: sled's failure, or a block it would take over its limit.
#[derive(Debug)]
pub(super) enum TableError {
    Engine(sled::Error),
    TooLarge { bytes: usize },
}

impl From<sled::Error> for TableError {
    fn from(e: sled::Error) -> TableError {
        TableError::Engine(e)
    }
}

impl TableError {
    /// The store's error for it: damage or a refusal (see [`super::too_large`]).
    pub(super) fn into_store(self, path: &std::path::Path) -> StoreError {
        match self {
            TableError::Engine(e) => super::error::sled_error(path, e),
            TableError::TooLarge { bytes } => block_full(bytes),
        }
    }
}

/// The records of a range of a [`Table`], from either end.
pub(super) enum Iter {
    Plain(sled::Iter),
    Packed(packed::Iter),
}

impl Iter {
    /// The keys alone.
    pub(super) fn keys(self) -> impl DoubleEndedIterator<Item = sled::Result<IVec>> {
        self.map(|r| r.map(|(k, _)| k))
    }
}

impl Iterator for Iter {
    type Item = sled::Result<(IVec, IVec)>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Plain(i) => i.next(),
            Iter::Packed(i) => i.next().map(|r| r.map_err(engine)),
        }
    }
}

impl DoubleEndedIterator for Iter {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Plain(i) => i.next_back(),
            Iter::Packed(i) => i.next_back().map(|r| r.map_err(engine)),
        }
    }
}

/// A [`Table`] inside a transaction.
#[derive(Clone, Copy)]
pub(super) enum TxTable<'a> {
    Plain(&'a TransactionalTree),
    Packed(PackedTx<'a>),
}

impl<'a> TxTable<'a> {
    /// The tree `tree` inside a transaction; a packed one keeps the blocks it reads in `cache`
    /// until [`TxTable::flush`].
    pub(super) fn new(
        tree: &'a TransactionalTree,
        blocking: Option<Blocking>,
        cache: &'a BlockCache,
    ) -> TxTable<'a> {
        match blocking {
            Some(rule) => TxTable::Packed(PackedTx::new(tree, rule, cache)),
            None => TxTable::Plain(tree),
        }
    }

    /// Writes the blocks the transaction changed (a plain tree has written every record).
    pub(super) fn flush(&self, path: &std::path::Path) -> std::result::Result<(), TxError> {
        match self {
            TxTable::Plain(_) => Ok(()),
            TxTable::Packed(p) => p.flush().map_err(|e| in_store(e, path)),
        }
    }

    pub(super) fn get(
        &self,
        key: &[u8],
        path: &std::path::Path,
    ) -> std::result::Result<Option<IVec>, TxError> {
        match self {
            TxTable::Plain(t) => Ok(t.get(key)?),
            TxTable::Packed(p) => p.get(key).map_err(|e| in_store(e, path)),
        }
    }

    pub(super) fn insert(
        &self,
        key: &[u8],
        value: &[u8],
        path: &std::path::Path,
    ) -> std::result::Result<Option<IVec>, TxError> {
        match self {
            TxTable::Plain(t) => Ok(t.insert(key, value)?),
            TxTable::Packed(p) => p.insert(key, value).map_err(|e| in_store(e, path)),
        }
    }

    pub(super) fn remove(
        &self,
        key: &[u8],
        path: &std::path::Path,
    ) -> std::result::Result<Option<IVec>, TxError> {
        match self {
            TxTable::Plain(t) => Ok(t.remove(key)?),
            TxTable::Packed(p) => p.remove(key).map_err(|e| in_store(e, path)),
        }
    }
}

/// The refusal of a write that would take a block over its limit.
fn block_full(bytes: usize) -> StoreError {
    StoreError::Rejected(super::Rejection::BlockFull { bytes })
}

/// A packed tree's error inside a transaction as the store's.
fn in_store(e: packed::TxError, path: &std::path::Path) -> TxError {
    use sled::transaction::ConflictableTransactionError as E;
    match e {
        E::Abort(PackedError::TooLarge { bytes, .. }) => E::Abort(block_full(bytes)),
        E::Abort(PackedError::Undecodable { .. }) => E::Abort(StoreError::Damaged {
            path: path.to_path_buf(),
            what: Damage::Corrupted,
        }),
        E::Abort(PackedError::Engine(e)) => E::Storage(e),
        E::Conflict => E::Conflict,
        E::Storage(e) => E::Storage(e),
    }
}
