//! Packed trees: the records of one sled tree grouped many to a sled value (a block), read,
//! written in transactions and in batches as the records they hold.
//!
//! sled 0.34 splits a leaf at 16 records and reads the state of every page when it opens, so
//! opening costs in proportion to the number of sled records, not to the bytes. A [`Packed`]
//! view keeps a tree's *records* (key → value, both bytes) in *blocks*: each block is one sled
//! record whose key is the block key its [`Blocking`] rule gives every record key, and whose
//! value holds the block's records in key order. Walking the blocks in sled's order and each
//! block's records in turn yields every record in ascending key order, as backups and `verify`
//! need.
//!
//! A block's value (version 1): the version byte, then for each record in ascending key order
//! the varint length and the bytes of its key less the bytes it shares with the block key,
//! then the varint length and the bytes of its value. A block holds at least one record: the
//! write that removes its last record removes the block. A block that breaks any of this
//! (unknown version, a length past the end, keys out of order or of another block, no record)
//! is [`PackedError::Undecodable`], naming the block: never a panic, never skipped.
//!
//! Size: a block is one sled value of at most [`MAX_BLOCK`] (each record in it stays within
//! [`super::MAX_VALUE`], as every record the store writes). A leaf of blocks that large is
//! written by sled to a blob file, which the store syncs with the rest at each change. A write
//! that would take its block over is refused with [`PackedError::TooLarge`] and writes nothing;
//! blocks are never split, because a transaction, which can only get, insert and remove single
//! sled keys, must find a record's block from its key alone. A tree's rule is therefore chosen
//! so its fullest block stays well under the limit ([`Blocking::Span`] makes smaller blocks).

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::ops::{Bound, RangeBounds};

use sled::IVec;
use sled::transaction::{ConflictableTransactionError, TransactionalTree};

/// The largest block: 256 records at the store's limit for one, with their keys. Every rule of
/// the layout but one puts at most 256 records in a block, so those blocks can never refuse a
/// write, however long the notes; the index of items' entries (16 items a block) would need
/// some 700,000 entries on them.
pub(super) const MAX_BLOCK: usize = 256 * (super::MAX_VALUE + 64);

/// The first byte of every block's value.
const VERSION: u8 = 1;

/// How a record's key maps to the key of its block. Every rule keeps key order: a key never
/// sorts before another whose block sorts before its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Blocking {
    /// The first `n` bytes of the key (all of a shorter key): keys by day then id with
    /// `Prefix(4)` put a day in a block; 8-byte big-endian ids with `Prefix(7)` put 256
    /// consecutive ids in a block.
    Prefix(usize),
    /// The first `bytes` bytes with the lowest `low_bits` bits of the last one cleared (a
    /// shorter key alone in its block), for records too large to go 256 to a block: 8-byte ids
    /// with `Span { bytes: 8, low_bits: 6 }` go 64 to a block.
    Span { bytes: usize, low_bits: u8 },
    /// By the key's first byte: a key that begins with a byte of the table is blocked by that
    /// byte's rule; any other key is alone in its block. For trees holding several kinds of
    /// key: `[(b'#', Prefix(8))]` puts the ledger's numbers (`#2024-0039`) a hundred to a
    /// block and leaves the keys people give, which may share any prefix, one to a block.
    Tagged(&'static [(u8, Blocking)]),
    /// As [`Blocking::Tagged`] for keys beginning with a byte of the table; any other key goes
    /// by a hash of it to one of `2^bits` blocks (`bits` at most 16), whose keys begin with a
    /// zero byte, which no key people type does. Those keys keep no order from one block to
    /// the next: the rule is for records only ever read by key or all together, never by
    /// range (the keys offices give their items, which may share any prefix).
    Hashed {
        tagged: &'static [(u8, Blocking)],
        bits: u8,
    },
}

/// The first byte of a [`Blocking::Hashed`] block's key.
const HASHED: u8 = 0;

/// The 64-bit FNV-1a hash of `bytes`: a hash that never changes between builds or machines.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The key of the hashed block that holds `key`: [`HASHED`], then the top `bits` of the key's
/// [`fnv1a`] hash.
fn hashed_block(key: &[u8], bits: u8) -> [u8; 3] {
    let hash = fnv1a(key);
    let top = (hash >> 48) & (u64::from(u16::MAX) << (16 - u32::from(bits.min(16))));
    let [high, low] = u16::try_from(top).unwrap_or(u16::MAX).to_be_bytes();
    [HASHED, high, low]
}

impl Blocking {
    /// The key of the block that holds `key`.
    pub(super) fn block_of(self, key: &[u8]) -> Vec<u8> {
        match self {
            Blocking::Prefix(n) => key[..n.min(key.len())].to_vec(),
            // A key shorter than `bytes` is its own block: clearing bits of its last byte
            // could sort its block before that of a smaller key (`[1]` before `[0, 0]`).
            Blocking::Span { bytes, .. } if key.len() < bytes => key.to_vec(),
            Blocking::Span { bytes, low_bits } => {
                let mut block = key[..bytes].to_vec();
                if let Some(last) = block.last_mut() {
                    *last &= u8::MAX.checked_shl(u32::from(low_bits)).unwrap_or(0);
                }
                block
            }
            Blocking::Tagged(rules) => match Blocking::rule_of(rules, key) {
                Some(rule) => rule.block_of(key),
                None => key.to_vec(),
            },
            Blocking::Hashed { tagged, bits } => match Blocking::rule_of(tagged, key) {
                Some(rule) => rule.block_of(key),
                None => hashed_block(key, bits).to_vec(),
            },
        }
    }

    /// True when `key` belongs in the block `block`: `block_of(key) == block`, without
    /// making the block key (a block's every record is checked this way as it is read).
    pub(super) fn holds(self, block: &[u8], key: &[u8]) -> bool {
        match self {
            Blocking::Prefix(n) if key.len() >= n => key[..n] == *block,
            Blocking::Prefix(_) => key == block,
            Blocking::Span { bytes, .. } if key.len() < bytes => key == block,
            Blocking::Span { bytes: 0, .. } => block.is_empty(),
            Blocking::Span { bytes, low_bits } => {
                let mask = u8::MAX.checked_shl(u32::from(low_bits)).unwrap_or(0);
                block.len() == bytes
                    && key[..bytes - 1] == block[..bytes - 1]
                    && key[bytes - 1] & mask == block[bytes - 1]
            }
            Blocking::Tagged(rules) => match Blocking::rule_of(rules, key) {
                Some(rule) => rule.holds(block, key),
                None => key == block,
            },
            Blocking::Hashed { tagged, bits } => match Blocking::rule_of(tagged, key) {
                Some(rule) => rule.holds(block, key),
                None => block == hashed_block(key, bits),
            },
        }
    }

    /// The rule of a [`Blocking::Tagged`] table for keys beginning like `key`. A rule's blocks
    /// begin with its byte (a prefix of at least one byte, or a span of at least one byte), so
    /// kinds never share a block and key order holds across them.
    fn rule_of(rules: &[(u8, Blocking)], key: &[u8]) -> Option<Blocking> {
        let first = key.first()?;
        rules
            .iter()
            .find(|(tag, _)| tag == first)
            .map(|&(_, rule)| rule)
            .filter(|rule| match rule {
                Blocking::Prefix(n) => *n >= 1,
                Blocking::Span { bytes, .. } => *bytes >= 1,
                Blocking::Tagged(_) | Blocking::Hashed { .. } => false,
            })
    }

    /// How many leading bytes every key of the block `block` shares with it: what a block's
    /// value leaves out of each key.
    fn shared(self, block: &[u8]) -> usize {
        match self {
            Blocking::Prefix(_) => block.len(),
            Blocking::Span { .. } => block.len().saturating_sub(1),
            Blocking::Tagged(rules) => match Blocking::rule_of(rules, block) {
                Some(rule) => rule.shared(block),
                None => block.len(),
            },
            // A hashed block's keys share nothing with it.
            Blocking::Hashed { .. } if block.first() == Some(&HASHED) => 0,
            Blocking::Hashed { tagged, .. } => match Blocking::rule_of(tagged, block) {
                Some(rule) => rule.shared(block),
                None => block.len(),
            },
        }
    }
}

/// What a packed tree could not do.
#[derive(Debug, thiserror::Error)]
pub(super) enum PackedError {
    /// sled failed to read or write.
    #[error("sled: {0}")]
    Engine(#[from] sled::Error),
    /// The block with this key does not decode: the store is damaged.
    #[error("the block {block:02x?} does not decode")]
    Undecodable { block: Vec<u8> },
    /// The write would make the block with this key `bytes` long, over the store's limit.
    #[error("the block {block:02x?} would take {bytes} bytes")]
    TooLarge { block: Vec<u8>, bytes: usize },
}

/// An error inside a transaction: a packed tree's, or sled's conflict or storage signal.
pub(super) type TxError = ConflictableTransactionError<PackedError>;

/// A block's records, in ascending key order.
type Records = Vec<(IVec, IVec)>;

/// Reads a LEB128 number at `*at`, moving `*at` past it.
fn read_varint(bytes: &[u8], at: &mut usize) -> Option<usize> {
    let mut n: u64 = 0;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        n |= u64::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return usize::try_from(n).ok();
        }
    }
    None
}

fn write_varint(out: &mut Vec<u8>, n: usize) {
    let mut n = u64::try_from(n).unwrap_or(u64::MAX);
    loop {
        let low = u8::try_from(n & 0x7f).unwrap_or(0);
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Reads a length-prefixed field at `*at`: its offset and length, `*at` moved past it.
fn read_field(bytes: &[u8], at: &mut usize) -> Option<(usize, usize)> {
    let len = read_varint(bytes, at)?;
    let start = *at;
    let end = start.checked_add(len)?;
    if end > bytes.len() {
        return None;
    }
    *at = end;
    Some((start, len))
}

/// The records of the block `block`, whose stored value is `raw`. The values are slices of
/// `raw`, not copies.
fn decode(blocking: Blocking, block: &[u8], raw: &IVec) -> Result<Records, PackedError> {
    let undecodable = || PackedError::Undecodable {
        block: block.to_vec(),
    };
    let prefix = &block[..blocking.shared(block)];
    let bytes: &[u8] = raw;
    if bytes.first() != Some(&VERSION) {
        return Err(undecodable());
    }
    let mut at = 1;
    let mut records: Records = Vec::new();
    // Each key is put together in one buffer; a short one (most are) then goes into its IVec
    // without an allocation of its own.
    let mut key = Vec::with_capacity(prefix.len() + 16);
    while at < bytes.len() {
        let (key_at, key_len) = read_field(bytes, &mut at).ok_or_else(undecodable)?;
        let (value_at, value_len) = read_field(bytes, &mut at).ok_or_else(undecodable)?;
        key.clear();
        key.extend_from_slice(prefix);
        key.extend_from_slice(&bytes[key_at..key_at + key_len]);
        let in_order = records.last().is_none_or(|(last, _)| **last < *key);
        if !in_order || !blocking.holds(block, &key) {
            return Err(undecodable());
        }
        records.push((
            IVec::from(key.as_slice()),
            raw.subslice(value_at, value_len),
        ));
    }
    if records.is_empty() {
        return Err(undecodable());
    }
    Ok(records)
}

/// The value of the block `block` holding `records` (in key order, each of that block),
/// refused when over the store's limit.
fn encode(blocking: Blocking, block: &[u8], records: &Records) -> Result<Vec<u8>, PackedError> {
    let shared = blocking.shared(block);
    let size = records
        .iter()
        .map(|(k, v)| k.len() - shared + v.len() + 4)
        .sum::<usize>();
    let mut out = Vec::with_capacity(1 + size);
    out.push(VERSION);
    for (key, value) in records {
        write_varint(&mut out, key.len() - shared);
        out.extend_from_slice(&key[shared..]);
        write_varint(&mut out, value.len());
        out.extend_from_slice(value);
    }
    if out.len() > MAX_BLOCK {
        return Err(PackedError::TooLarge {
            block: block.to_vec(),
            bytes: out.len(),
        });
    }
    Ok(out)
}

/// Puts `value` under `key` in a block's records; returns the value it replaced.
fn put(records: &mut Records, key: &[u8], value: &[u8]) -> Option<IVec> {
    match records.binary_search_by(|(k, _)| k.as_ref().cmp(key)) {
        Ok(i) => Some(std::mem::replace(&mut records[i].1, IVec::from(value))),
        Err(i) => {
            records.insert(i, (IVec::from(key), IVec::from(value)));
            None
        }
    }
}

/// Takes `key` out of a block's records; returns its value.
fn take(records: &mut Records, key: &[u8]) -> Option<IVec> {
    records
        .binary_search_by(|(k, _)| k.as_ref().cmp(key))
        .ok()
        .map(|i| records.remove(i).1)
}

fn find(records: &Records, key: &[u8]) -> Option<IVec> {
    records
        .binary_search_by(|(k, _)| k.as_ref().cmp(key))
        .ok()
        .map(|i| records[i].1.clone())
}

/// One sled tree read as the records its blocks hold.
#[derive(Clone)]
pub(super) struct Packed {
    tree: sled::Tree,
    blocking: Blocking,
}

impl Packed {
    pub(super) fn new(tree: sled::Tree, blocking: Blocking) -> Packed {
        Packed { tree, blocking }
    }

    /// The sled tree of blocks underneath.
    pub(super) fn tree(&self) -> &sled::Tree {
        &self.tree
    }

    pub(super) fn blocking(&self) -> Blocking {
        self.blocking
    }

    /// The records of the block `block`, none when it is not there.
    fn block(&self, block: &[u8]) -> Result<Records, PackedError> {
        match self.tree.get(block)? {
            Some(raw) => decode(self.blocking, block, &raw),
            None => Ok(Vec::new()),
        }
    }

    pub(super) fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<IVec>, PackedError> {
        let key = key.as_ref();
        Ok(find(&self.block(&self.blocking.block_of(key))?, key))
    }

    pub(super) fn contains_key(&self, key: impl AsRef<[u8]>) -> Result<bool, PackedError> {
        Ok(self.get(key)?.is_some())
    }

    /// The records with keys in `range`, in key order from either end, read a block at a time.
    pub(super) fn range<K: AsRef<[u8]>, R: RangeBounds<K>>(&self, range: R) -> Iter {
        let owned = |b: Bound<&K>| b.map(|k| k.as_ref().to_vec());
        Iter::new(
            &self.tree,
            self.blocking,
            owned(range.start_bound()),
            owned(range.end_bound()),
        )
    }

    /// Every record, in key order from either end.
    pub(super) fn iter(&self) -> Iter {
        self.range::<&[u8], _>(..)
    }

    /// The records whose keys begin with `prefix`, in key order from either end.
    pub(super) fn scan_prefix(&self, prefix: impl AsRef<[u8]>) -> Iter {
        let prefix = prefix.as_ref();
        let hi = successor(prefix).map_or(Bound::Unbounded, Bound::Excluded);
        Iter::new(
            &self.tree,
            self.blocking,
            Bound::Included(prefix.to_vec()),
            hi,
        )
    }

    /// The record with the smallest key.
    pub(super) fn first(&self) -> Result<Option<(IVec, IVec)>, PackedError> {
        self.iter().next().transpose()
    }

    /// The record with the largest key.
    pub(super) fn last(&self) -> Result<Option<(IVec, IVec)>, PackedError> {
        self.iter().next_back().transpose()
    }

    #[cfg(test)]
    /// How many records the tree holds: reads every block, as sled's own `len` reads every key.
    pub(super) fn len(&self) -> Result<usize, PackedError> {
        let mut n = 0;
        for block in self.tree.iter() {
            let (key, raw) = block?;
            n += decode(self.blocking, &key, &raw)?.len();
        }
        Ok(n)
    }

    #[cfg(test)]
    /// True when the tree holds no record (no block is ever left empty).
    pub(super) fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    #[cfg(test)]
    /// Removes every record.
    pub(super) fn clear(&self) -> Result<(), PackedError> {
        Ok(self.tree.clear()?)
    }

    /// Writes a batch all or nothing: every block it touches is read once, merged with the
    /// batch's writes into its new value and written back in one sled batch. A block that
    /// would go over the limit, or one that does not decode, stops it before anything is
    /// written.
    pub(super) fn apply_batch(&self, mut batch: PackedBatch) -> Result<(), PackedError> {
        batch.sort();
        // Each write with the block it goes to, and the blocks each once: under every rule but
        // a hashed one a block's writes come together in key order; under a hashed rule they
        // are brought together, each block's still in key order.
        let mut blocks: Vec<Vec<u8>> = Vec::new();
        let mut found: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut grouped: Vec<(usize, usize)> = Vec::with_capacity(batch.len());
        for (at, (key, _)) in batch.iter().enumerate() {
            let same = blocks
                .last()
                .is_some_and(|last| self.blocking.holds(last, key));
            let block = if same {
                blocks.len() - 1
            } else {
                let block = self.blocking.block_of(key);
                *found.entry(block).or_insert_with_key(|block| {
                    blocks.push(block.clone());
                    blocks.len() - 1
                })
            };
            grouped.push((block, at));
        }
        drop(found);
        if !grouped.is_sorted() {
            grouped.sort_unstable();
        }
        let mut out = sled::Batch::default();
        for these in grouped.chunk_by(|a, b| a.0 == b.0) {
            let block = blocks[these[0].0].as_slice();
            let records = self.block(block)?;
            let changes = these.iter().map(|&(_, at)| batch.write(at));
            match merge(self.blocking, block, &records, changes)? {
                Some(value) => out.insert(block, value),
                None => out.remove(block),
            }
        }
        Ok(self.tree.apply_batch(out)?)
    }
}

/// The value of the block `block` once `writes` (in key order, each a key of that block, with
/// the value to put or none to take the key out) are made to its `records`; none when no
/// record is left. Refused over the store's limit.
fn merge<'a>(
    blocking: Blocking,
    block: &[u8],
    records: &Records,
    writes: impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)>,
) -> Result<Option<Vec<u8>>, PackedError> {
    let shared = blocking.shared(block);
    let mut out = vec![VERSION];
    let put = |out: &mut Vec<u8>, key: &[u8], value: &[u8]| {
        write_varint(out, key.len() - shared);
        out.extend_from_slice(&key[shared..]);
        write_varint(out, value.len());
        out.extend_from_slice(value);
    };
    let mut old = records.iter().peekable();
    for (key, write) in writes {
        while let Some((k, v)) = old.next_if(|(k, _)| **k < *key) {
            put(&mut out, k, v);
        }
        // Replaced, or taken out.
        old.next_if(|(k, _)| **k == *key);
        if let Some(value) = write {
            put(&mut out, key, value);
        }
    }
    for (k, v) in old {
        put(&mut out, k, v);
    }
    if out.len() == 1 {
        return Ok(None);
    }
    if out.len() > MAX_BLOCK {
        return Err(PackedError::TooLarge {
            block: block.to_vec(),
            bytes: out.len(),
        });
    }
    Ok(Some(out))
}

/// The smallest key above every key that begins with `prefix`; none when every key from
/// `prefix` on begins with it (a prefix of 0xff bytes, or the empty one).
fn successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut next = prefix.to_vec();
    while let Some(last) = next.pop() {
        if last < u8::MAX {
            next.push(last + 1);
            return Some(next);
        }
    }
    None
}

/// Inserts and removes gathered for many records (an import's), written as whole blocks by
/// [`Packed::apply_batch`]. The last write to a key wins. Keys and values lie one after
/// another in one buffer: a million small records take their own bytes and a few more each,
/// not an allocation or two apiece.
#[derive(Debug, Default, Clone)]
pub(super) struct PackedBatch {
    bytes: Vec<u8>,
    writes: Vec<Written>,
}

/// Where one write's key and value lie in a [`PackedBatch`]'s buffer, in the order made.
#[derive(Debug, Clone, Copy)]
struct Written {
    at: usize,
    key_len: usize,
    /// [`TAKEN`] for a write that takes the key out.
    value_len: usize,
}

/// The value length of a write that takes its key out.
const TAKEN: usize = usize::MAX;

impl PackedBatch {
    pub(super) fn insert(&mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) {
        let (key, value) = (key.as_ref(), value.as_ref());
        self.writes.push(Written {
            at: self.bytes.len(),
            key_len: key.len(),
            value_len: value.len(),
        });
        self.bytes.extend_from_slice(key);
        self.bytes.extend_from_slice(value);
    }

    pub(super) fn remove(&mut self, key: impl AsRef<[u8]>) {
        let key = key.as_ref();
        self.writes.push(Written {
            at: self.bytes.len(),
            key_len: key.len(),
            value_len: TAKEN,
        });
        self.bytes.extend_from_slice(key);
    }

    fn key(&self, w: Written) -> &[u8] {
        &self.bytes[w.at..w.at + w.key_len]
    }

    fn value(&self, w: Written) -> Option<&[u8]> {
        let from = w.at + w.key_len;
        (w.value_len != TAKEN).then(|| &self.bytes[from..from + w.value_len])
    }

    /// Puts the writes in key order, the last to each key alone.
    pub(super) fn sort(&mut self) {
        let bytes = &self.bytes;
        let key = |w: &Written| &bytes[w.at..w.at + w.key_len];
        let writes = &mut self.writes;
        if writes.is_sorted_by(|a, b| key(a) < key(b)) {
            return;
        }
        // Stable: of the writes to one key, the last made stays last, and is kept.
        writes.sort_by(|a, b| key(a).cmp(key(b)));
        let mut kept = 0;
        for i in 0..writes.len() {
            if writes
                .get(i + 1)
                .is_some_and(|next| key(next) == key(&writes[i]))
            {
                continue;
            }
            writes[kept] = writes[i];
            kept += 1;
        }
        writes.truncate(kept);
    }

    /// The write at `at` in the order they lie.
    fn write(&self, at: usize) -> (&[u8], Option<&[u8]>) {
        let w = self.writes[at];
        (self.key(w), self.value(w))
    }

    /// The writes in the order they lie (key order once sorted): a value to put, or none to
    /// take the key out.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&[u8], Option<&[u8]>)> {
        self.writes.iter().map(|w| (self.key(*w), self.value(*w)))
    }

    /// Adds `other`'s writes after this batch's.
    pub(super) fn extend(&mut self, other: PackedBatch) {
        if self.writes.is_empty() {
            *self = other;
            return;
        }
        let base = self.bytes.len();
        self.bytes.extend_from_slice(&other.bytes);
        self.writes.extend(other.writes.iter().map(|w| Written {
            at: w.at + base,
            ..*w
        }));
    }

    /// How many writes the batch holds (a key written twice counts twice).
    pub(super) fn len(&self) -> usize {
        self.writes.len()
    }

    #[cfg(test)]
    pub(super) fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
}

/// The blocks a transaction has read, each decoded once, with whether it changed them.
pub(super) type BlockCache = std::cell::RefCell<HashMap<Vec<u8>, (Records, bool)>>;

/// A packed tree inside a sled transaction. A block is read and decoded the first time the
/// transaction touches it; its writes change the decoded records, and [`PackedTx::flush`]
/// encodes and writes each changed block once, as the transaction ends, so a transaction that
/// writes many records of one block (a restore, an item with many entries) does not rewrite
/// the block for each. An aborted transaction leaves every block as it was.
#[derive(Clone, Copy)]
pub(super) struct PackedTx<'a> {
    tree: &'a TransactionalTree,
    blocking: Blocking,
    cache: &'a BlockCache,
}

impl<'a> PackedTx<'a> {
    pub(super) fn new(
        tree: &'a TransactionalTree,
        blocking: Blocking,
        cache: &'a BlockCache,
    ) -> PackedTx<'a> {
        PackedTx {
            tree,
            blocking,
            cache,
        }
    }

    /// Runs `f` on the records of the block that holds `key`, and whether they changed.
    fn with_block<R>(
        &self,
        key: &[u8],
        f: impl FnOnce(&mut Records, &mut bool) -> R,
    ) -> Result<R, TxError> {
        let block = self.blocking.block_of(key);
        let mut cache = self.cache.borrow_mut();
        let (records, changed) = match cache.entry(block) {
            Entry::Occupied(found) => found.into_mut(),
            Entry::Vacant(slot) => {
                let records = match self.tree.get(slot.key())? {
                    Some(raw) => decode(self.blocking, slot.key(), &raw).map_err(TxError::Abort)?,
                    None => Vec::new(),
                };
                slot.insert((records, false))
            }
        };
        Ok(f(records, changed))
    }

    pub(super) fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<IVec>, TxError> {
        let key = key.as_ref();
        self.with_block(key, |records, _| find(records, key))
    }

    /// Puts `value` under `key`; returns the value it replaced.
    pub(super) fn insert(
        &self,
        key: impl AsRef<[u8]>,
        value: impl AsRef<[u8]>,
    ) -> Result<Option<IVec>, TxError> {
        let key = key.as_ref();
        self.with_block(key, |records, changed| {
            *changed = true;
            put(records, key, value.as_ref())
        })
    }

    /// Takes `key` out; returns its value, none (and nothing changed) when it was not there.
    pub(super) fn remove(&self, key: impl AsRef<[u8]>) -> Result<Option<IVec>, TxError> {
        let key = key.as_ref();
        self.with_block(key, |records, changed| {
            let old = take(records, key);
            *changed |= old.is_some();
            old
        })
    }

    /// Writes every block the transaction changed, removing a block left with no record. A
    /// block over the limit is refused ([`PackedError::TooLarge`]), which aborts the
    /// transaction and so writes nothing of it.
    pub(super) fn flush(&self) -> Result<(), TxError> {
        for (block, (records, changed)) in self.cache.borrow_mut().iter_mut() {
            if !*changed {
                continue;
            }
            if records.is_empty() {
                self.tree.remove(block.as_slice())?;
            } else {
                let value = encode(self.blocking, block, records).map_err(TxError::Abort)?;
                self.tree.insert(block.as_slice(), value)?;
            }
            *changed = false;
        }
        Ok(())
    }
}

/// The records of a key range, read a block at a time from either end.
pub(super) struct Iter {
    /// The blocks that may hold records of the range; none when the range is empty.
    blocks: Option<sled::Iter>,
    blocking: Blocking,
    lo: Bound<Vec<u8>>,
    hi: Bound<Vec<u8>>,
    /// The records of the block read last from the front (and from the back), not yet given.
    front: VecDeque<(IVec, IVec)>,
    back: VecDeque<(IVec, IVec)>,
}

impl Iter {
    fn new(tree: &sled::Tree, blocking: Blocking, lo: Bound<Vec<u8>>, hi: Bound<Vec<u8>>) -> Iter {
        let empty = match (&lo, &hi) {
            (Bound::Included(a), Bound::Included(b)) => a > b,
            (Bound::Included(a) | Bound::Excluded(a), Bound::Included(b) | Bound::Excluded(b)) => {
                a >= b
            }
            _ => false,
        };
        // A rule keeps key order, so the records of the range lie in the blocks from the
        // block of its lower bound to the block of its upper bound.
        let block = |b: &Bound<Vec<u8>>| match b {
            Bound::Included(k) | Bound::Excluded(k) => Bound::Included(blocking.block_of(k)),
            Bound::Unbounded => Bound::Unbounded,
        };
        let blocks = (!empty).then(|| tree.range((block(&lo), block(&hi))));
        Iter {
            blocks,
            blocking,
            lo,
            hi,
            front: VecDeque::new(),
            back: VecDeque::new(),
        }
    }

    fn within(&self, key: &[u8]) -> bool {
        let above = match &self.lo {
            Bound::Included(lo) => key >= lo.as_slice(),
            Bound::Excluded(lo) => key > lo.as_slice(),
            Bound::Unbounded => true,
        };
        let below = match &self.hi {
            Bound::Included(hi) => key <= hi.as_slice(),
            Bound::Excluded(hi) => key < hi.as_slice(),
            Bound::Unbounded => true,
        };
        above && below
    }

    /// The records of the range in a block sled gave; after an error, nothing more is read.
    fn load(
        &mut self,
        block: Option<sled::Result<(IVec, IVec)>>,
    ) -> Option<Result<VecDeque<(IVec, IVec)>, PackedError>> {
        let loaded = block?
            .map_err(PackedError::from)
            .and_then(|(key, raw)| decode(self.blocking, &key, &raw));
        match loaded {
            Ok(records) => Some(Ok(records
                .into_iter()
                .filter(|(k, _)| self.within(k))
                .collect())),
            Err(e) => {
                self.blocks = None;
                self.front.clear();
                self.back.clear();
                Some(Err(e))
            }
        }
    }
}

impl Iterator for Iter {
    type Item = Result<(IVec, IVec), PackedError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.front.pop_front() {
                return Some(Ok(record));
            }
            let block = self.blocks.as_mut().and_then(Iterator::next);
            match self.load(block) {
                Some(Ok(records)) => self.front = records,
                Some(Err(e)) => return Some(Err(e)),
                None => return self.back.pop_front().map(Ok),
            }
        }
    }
}

impl DoubleEndedIterator for Iter {
    fn next_back(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.back.pop_back() {
                return Some(Ok(record));
            }
            let block = self
                .blocks
                .as_mut()
                .and_then(DoubleEndedIterator::next_back);
            match self.load(block) {
                Some(Ok(records)) => self.back = records,
                Some(Err(e)) => return Some(Err(e)),
                None => return self.front.pop_back().map(Ok),
            }
        }
    }
}

#[cfg(test)]
mod tests;

mod spill;
pub(super) use spill::Gathered;
