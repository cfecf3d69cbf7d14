//! Tests of packed trees: a model-based property test against a `BTreeMap`, damaged blocks, the
//! size limit, and (ignored, run by hand) the file size and opening cost at a million records.

use std::collections::{BTreeMap, VecDeque};
use std::ops::Bound;

use proptest::prelude::*;
use sled::transaction::ConflictableTransactionError;

use super::*;

type Model = BTreeMap<Vec<u8>, Vec<u8>>;
type Write = (Vec<u8>, Option<Vec<u8>>);

fn scratch(blocking: Blocking) -> (sled::Db, Packed) {
    let db = sled::Config::new().temporary(true).open().unwrap();
    let tree = db.open_tree("t").unwrap();
    (db, Packed::new(tree, blocking))
}

/// Runs writes as one transaction; `abort` ends it with a refusal after the writes. Returns
/// what each write replaced, none when it aborted.
fn transact(packed: &Packed, writes: &[Write], abort: bool) -> Option<Vec<Option<Vec<u8>>>> {
    let result = packed.tree().transaction(|t| {
        let cache = BlockCache::default();
        let tx = PackedTx::new(t, packed.blocking(), &cache);
        let mut olds = Vec::new();
        for (key, write) in writes {
            let old = match write {
                Some(value) => tx.insert(key, value)?,
                None => tx.remove(key)?,
            };
            olds.push(old.map(|v| v.to_vec()));
            // The transaction reads its own writes, through the block they changed.
            assert_eq!(tx.get(key)?.map(|v| v.to_vec()), *write);
        }
        tx.flush()?;
        if abort {
            return Err(ConflictableTransactionError::Abort(PackedError::TooLarge {
                block: Vec::new(),
                bytes: 0,
            }));
        }
        Ok(olds)
    });
    match result {
        Ok(olds) => Some(olds),
        Err(sled::transaction::TransactionError::Abort(PackedError::TooLarge {
            bytes: 0, ..
        })) if abort => None,
        Err(e) => panic!("transaction failed: {e:?}"),
    }
}

fn pairs(it: impl Iterator<Item = Result<(IVec, IVec), PackedError>>) -> Vec<(Vec<u8>, Vec<u8>)> {
    it.map(|r| {
        let (k, v) = r.unwrap();
        (k.to_vec(), v.to_vec())
    })
    .collect()
}

fn within(lo: &Bound<Vec<u8>>, hi: &Bound<Vec<u8>>, key: &[u8]) -> bool {
    let above = match lo {
        Bound::Included(lo) => key >= lo.as_slice(),
        Bound::Excluded(lo) => key > lo.as_slice(),
        Bound::Unbounded => true,
    };
    let below = match hi {
        Bound::Included(hi) => key <= hi.as_slice(),
        Bound::Excluded(hi) => key < hi.as_slice(),
        Bound::Unbounded => true,
    };
    above && below
}

fn model_range(model: &Model, lo: &Bound<Vec<u8>>, hi: &Bound<Vec<u8>>) -> Vec<(Vec<u8>, Vec<u8>)> {
    model
        .iter()
        .filter(|(k, _)| within(lo, hi, k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// What a test reads after each step, drawn at random.
#[derive(Debug, Clone)]
struct Probe {
    keys: Vec<Vec<u8>>,
    lo: Bound<Vec<u8>>,
    hi: Bound<Vec<u8>>,
    prefix: Vec<u8>,
    /// Which end each read of the range takes (true: the back).
    ends: Vec<bool>,
}

/// Every read of the packed tree agrees with the model.
fn check(packed: &Packed, model: &Model, probe: &Probe) {
    for key in model.keys().chain(&probe.keys) {
        let got = packed.get(key).unwrap().map(|v| v.to_vec());
        assert_eq!(got.as_ref(), model.get(key), "get {key:?}");
        assert_eq!(packed.contains_key(key).unwrap(), model.contains_key(key));
    }
    let all: Vec<_> = model.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    assert_eq!(pairs(packed.iter()), all);
    assert_eq!(
        pairs(packed.iter().rev()),
        all.iter().rev().cloned().collect::<Vec<_>>()
    );
    let expected = model_range(model, &probe.lo, &probe.hi);
    let range = (probe.lo.clone(), probe.hi.clone());
    assert_eq!(pairs(packed.range(range.clone())), expected, "range");
    let reversed: Vec<_> = expected.iter().rev().cloned().collect();
    assert_eq!(
        pairs(packed.range(range.clone()).rev()),
        reversed,
        "range rev"
    );
    check_both_ends(packed.range(range), expected, &probe.ends);
    let prefixed: Vec<_> = all
        .iter()
        .filter(|(k, _)| k.starts_with(&probe.prefix))
        .cloned()
        .collect();
    assert_eq!(pairs(packed.scan_prefix(&probe.prefix)), prefixed);
    let prefixed_rev: Vec<_> = prefixed.iter().rev().cloned().collect();
    assert_eq!(pairs(packed.scan_prefix(&probe.prefix).rev()), prefixed_rev);
    let end = |r: Option<(IVec, IVec)>| r.map(|(k, v)| (k.to_vec(), v.to_vec()));
    assert_eq!(end(packed.first().unwrap()), all.first().cloned());
    assert_eq!(end(packed.last().unwrap()), all.last().cloned());
    assert_eq!(packed.len().unwrap(), model.len());
    assert_eq!(packed.is_empty(), model.is_empty());
}

/// Reading a range from both ends in turn gives each record once, meeting in the middle.
fn check_both_ends(mut iter: Iter, expected: Vec<(Vec<u8>, Vec<u8>)>, ends: &[bool]) {
    let mut expected = VecDeque::from(expected);
    for back in ends.iter().copied().cycle().take(expected.len() + 2) {
        let got = if back { iter.next_back() } else { iter.next() };
        let want = if back {
            expected.pop_back()
        } else {
            expected.pop_front()
        };
        let got = got.map(|r| r.map(|(k, v)| (k.to_vec(), v.to_vec())).unwrap());
        assert_eq!(got, want, "reading from both ends");
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// One write, alone in its transaction.
    Write(Write),
    /// Several writes in one transaction, aborted after them when `abort`.
    Tx {
        writes: Vec<Write>,
        abort: bool,
    },
    Batch(Vec<Write>),
    Clear,
}

fn key() -> impl Strategy<Value = Vec<u8>> {
    // Few distinct bytes, so keys collide, share blocks and sit at the ends of the byte range.
    prop::collection::vec(prop::sample::select(vec![0u8, 1, 2, 0x7f, 0xff]), 0..4)
}

fn write() -> impl Strategy<Value = Write> {
    (
        key(),
        prop::option::weighted(0.7, prop::collection::vec(any::<u8>(), 0..6)),
    )
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => write().prop_map(Op::Write),
        3 => (prop::collection::vec(write(), 1..6), any::<bool>())
            .prop_map(|(writes, abort)| Op::Tx { writes, abort }),
        3 => prop::collection::vec(write(), 0..12).prop_map(Op::Batch),
        1 => Just(Op::Clear),
    ]
}

fn bound() -> impl Strategy<Value = Bound<Vec<u8>>> {
    prop_oneof![
        key().prop_map(Bound::Included),
        key().prop_map(Bound::Excluded),
        Just(Bound::Unbounded),
    ]
}

fn probe() -> impl Strategy<Value = Probe> {
    (
        prop::collection::vec(key(), 0..4),
        bound(),
        bound(),
        key(),
        prop::collection::vec(any::<bool>(), 1..4),
    )
        .prop_map(|(keys, lo, hi, prefix, ends)| Probe {
            keys,
            lo,
            hi,
            prefix,
            ends,
        })
}

fn blocking() -> impl Strategy<Value = Blocking> {
    prop::sample::select(vec![
        Blocking::Prefix(0),
        Blocking::Prefix(1),
        Blocking::Prefix(2),
        Blocking::Prefix(7),
        Blocking::Span {
            bytes: 2,
            low_bits: 1,
        },
        Blocking::Span {
            bytes: 1,
            low_bits: 8,
        },
        Blocking::Prefix(usize::MAX),
        Blocking::Tagged(&[
            (0, Blocking::Prefix(2)),
            (
                1,
                Blocking::Span {
                    bytes: 2,
                    low_bits: 1,
                },
            ),
            (2, Blocking::Prefix(0)),
        ]),
    ])
}

fn apply_model(model: &mut Model, (key, write): &Write) -> Option<Vec<u8>> {
    match write {
        Some(value) => model.insert(key.clone(), value.clone()),
        None => model.remove(key),
    }
}

fn step(packed: &Packed, model: &mut Model, op: &Op) {
    match op {
        Op::Write(w) => {
            let olds = transact(packed, std::slice::from_ref(w), false).unwrap();
            assert_eq!(olds, vec![apply_model(model, w)]);
        }
        Op::Tx { writes, abort } => {
            let olds = transact(packed, writes, *abort);
            if *abort {
                assert_eq!(olds, None);
            } else {
                let expected: Vec<_> = writes.iter().map(|w| apply_model(model, w)).collect();
                assert_eq!(olds, Some(expected));
            }
        }
        Op::Batch(writes) => {
            let mut batch = PackedBatch::default();
            for (key, write) in writes {
                match write {
                    Some(value) => batch.insert(key, value),
                    None => batch.remove(key),
                }
                apply_model(model, &(key.clone(), write.clone()));
            }
            assert_eq!(batch.is_empty(), writes.is_empty());
            packed.apply_batch(batch).unwrap();
        }
        Op::Clear => {
            packed.clear().unwrap();
            model.clear();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every read of a packed tree equals the model's after every step, whatever the rule.
    #[test]
    fn packed_tree_reads_as_its_model(
        blocking in blocking(),
        steps in prop::collection::vec((op(), probe()), 1..24),
    ) {
        let (_db, packed) = scratch(blocking);
        let mut model = Model::new();
        for (op, probe) in &steps {
            step(&packed, &mut model, op);
            check(&packed, &model, probe);
        }
    }

    /// Under a hashed rule, whose blocks keep no order between them, a batch's writes to a
    /// block come together however they were made, and the last of several to one key wins.
    #[test]
    fn a_hashed_tree_holds_what_its_batches_wrote(
        batches in prop::collection::vec(prop::collection::vec(write(), 0..24), 1..6),
    ) {
        let (_db, packed) = scratch(Blocking::Hashed {
            tagged: &[(1, Blocking::Prefix(2))],
            bits: 2,
        });
        let mut model = Model::new();
        for writes in &batches {
            let mut batch = PackedBatch::default();
            for w in writes {
                match &w.1 {
                    Some(value) => batch.insert(&w.0, value),
                    None => batch.remove(&w.0),
                }
                apply_model(&mut model, w);
            }
            packed.apply_batch(batch).unwrap();
        }
        let mut held = pairs(packed.iter());
        held.sort();
        prop_assert_eq!(held, model.clone().into_iter().collect::<Vec<_>>());
        for (key, value) in &model {
            prop_assert_eq!(packed.get(key).unwrap().map(|v| v.to_vec()), Some(value.clone()));
        }
    }

    /// A rule keeps key order, and every key begins with the part of its block key a block's
    /// value leaves out.
    #[test]
    fn rules_keep_key_order(blocking in blocking(), a in key(), b in key()) {
        let (block_a, block_b) = (blocking.block_of(&a), blocking.block_of(&b));
        if a <= b {
            prop_assert!(block_a <= block_b);
        }
        prop_assert!(a.starts_with(&block_a[..blocking.shared(&block_a)]));
        prop_assert_eq!(blocking.block_of(&block_a), block_a.clone());
        prop_assert!(blocking.holds(&block_a, &a));
        prop_assert_eq!(blocking.holds(&block_b, &a), block_a == block_b);
    }

    #[test]
    fn varints_read_back(n in any::<usize>()) {
        let mut out = Vec::new();
        write_varint(&mut out, n);
        let mut at = 0;
        prop_assert_eq!(read_varint(&out, &mut at), Some(n));
        prop_assert_eq!(at, out.len());
    }
}

fn id(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

#[test]
fn ids_go_256_to_a_block() {
    let (_db, packed) = scratch(Blocking::Prefix(7));
    let mut batch = PackedBatch::default();
    for n in 0..1000 {
        batch.insert(id(n), format!("value {n}"));
    }
    assert_eq!(batch.len(), 1000);
    packed.apply_batch(batch).unwrap();
    assert_eq!(packed.tree().len(), 4);
    assert_eq!(packed.len().unwrap(), 1000);
    assert_eq!(packed.get(id(700)).unwrap().unwrap(), b"value 700");
    let span: Vec<_> = pairs(packed.range(id(250)..=id(260)));
    assert_eq!(span.len(), 11);
    assert_eq!(span[0].0, id(250));
    let newest: Vec<_> = pairs(packed.range(..id(512)).rev().take(2));
    assert_eq!(newest[0].0, id(511));
    assert_eq!(newest[1].0, id(510));
}

#[test]
fn span_puts_64_ids_in_a_block() {
    let (_db, packed) = scratch(Blocking::Span {
        bytes: 8,
        low_bits: 6,
    });
    let mut batch = PackedBatch::default();
    for n in 0..256 {
        batch.insert(id(n), [1u8; 10]);
    }
    packed.apply_batch(batch).unwrap();
    assert_eq!(packed.tree().len(), 4);
    assert_eq!(pairs(packed.iter()).len(), 256);
}

#[test]
fn removing_a_blocks_last_record_removes_the_block() {
    let (_db, packed) = scratch(Blocking::Prefix(7));
    transact(&packed, &[(id(3).to_vec(), Some(b"a".to_vec()))], false).unwrap();
    transact(&packed, &[(id(4).to_vec(), Some(b"b".to_vec()))], false).unwrap();
    assert_eq!(packed.tree().len(), 1);
    let olds = transact(
        &packed,
        &[(id(3).to_vec(), None), (id(4).to_vec(), None)],
        false,
    );
    assert_eq!(olds, Some(vec![Some(b"a".to_vec()), Some(b"b".to_vec())]));
    assert!(packed.tree().is_empty());
}

/// A packed tree of a few blocks, and the key of the block holding ids 256..512.
fn with_blocks() -> (sled::Db, Packed, Vec<u8>) {
    let (db, packed) = scratch(Blocking::Prefix(7));
    let mut batch = PackedBatch::default();
    for n in 0..768 {
        batch.insert(id(n), n.to_le_bytes());
    }
    packed.apply_batch(batch).unwrap();
    let block = Blocking::Prefix(7).block_of(&id(256));
    (db, packed, block)
}

/// Ways a block's bytes go bad: each must read as that block undecodable.
fn damages(good: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let mut wrong_version = good.to_vec();
    wrong_version[0] = 9;
    let mut out_of_order = vec![VERSION];
    out_of_order.extend_from_slice(&[1, 5, 1, b'x', 1, 4, 1, b'y']);
    let mut twice = vec![VERSION];
    twice.extend_from_slice(&[1, 5, 1, b'x', 1, 5, 1, b'y']);
    let mut past_end = vec![VERSION];
    past_end.extend_from_slice(&[1, 5, 40, b'x']);
    vec![
        ("empty value", Vec::new()),
        ("version only", vec![VERSION]),
        ("wrong version", wrong_version),
        ("cut short", good[..good.len() - 3].to_vec()),
        ("keys out of order", out_of_order),
        ("the same key twice", twice),
        ("a length past the end", past_end),
        ("a varint that never ends", vec![VERSION, 0xff, 0xff, 0xff]),
    ]
}

#[test]
fn a_damaged_block_is_an_error_naming_it() {
    let (_db, packed, block) = with_blocks();
    let good = packed.tree().get(&block).unwrap().unwrap().to_vec();
    for (how, bad) in damages(&good) {
        packed.tree().insert(&block, bad).unwrap();
        let named =
            |e: PackedError| matches!(e, PackedError::Undecodable { block: b } if b == block);
        assert!(named(packed.get(id(300)).unwrap_err()), "{how}: get");
        // The blocks before it read; the damaged one stops the walk, from either end.
        let mut read: Vec<_> = packed.iter().collect();
        assert_eq!(read.len(), 257, "{how}: iter");
        assert!(named(read.pop().unwrap().unwrap_err()), "{how}: iter");
        assert!(read.iter().all(Result::is_ok));
        let back: Vec<_> = packed.iter().rev().collect();
        assert_eq!(back.len(), 257, "{how}: iter rev");
        assert!(back[256].is_err());
        assert!(named(packed.len().unwrap_err()), "{how}: len");
        let mut batch = PackedBatch::default();
        batch.insert(id(301), b"new");
        assert!(
            named(packed.apply_batch(batch).unwrap_err()),
            "{how}: batch"
        );
        let write = [(id(301).to_vec(), Some(b"new".to_vec()))];
        let refused = packed.tree().transaction(|t| {
            let cache = BlockCache::default();
            let tx = PackedTx::new(t, Blocking::Prefix(7), &cache);
            tx.insert(&write[0].0, b"new")?;
            tx.flush()?;
            Ok(())
        });
        match refused {
            Err(sled::transaction::TransactionError::Abort(e)) => assert!(named(e), "{how}: tx"),
            other => panic!("{how}: a write to a damaged block gave {other:?}"),
        }
        // Other blocks still read.
        assert_eq!(packed.get(id(5)).unwrap().unwrap(), 5u64.to_le_bytes());
    }
}

#[test]
fn a_key_of_another_block_is_damage() {
    let (_db, packed) = scratch(Blocking::Prefix(usize::MAX));
    // The block `k` holding the key `kx`, which belongs to the block `kx`.
    packed
        .tree()
        .insert(b"k", &[VERSION, 1, b'x', 1, b'v'])
        .unwrap();
    assert!(matches!(
        packed.get(b"k"),
        Err(PackedError::Undecodable { block }) if block == b"k"
    ));
    let (_db, packed) = scratch(Blocking::Span {
        bytes: 1,
        low_bits: 4,
    });
    // The block 0x10 holding the key 0x21, whose block is 0x20.
    packed
        .tree()
        .insert([0x10], &[VERSION, 1, 0x21, 0])
        .unwrap();
    assert!(packed.first().is_err());
}

#[test]
fn a_block_over_the_limit_is_refused_and_nothing_written() {
    let (_db, packed) = scratch(Blocking::Prefix(0));
    let half = vec![7u8; MAX_BLOCK / 2];
    transact(&packed, &[(b"a".to_vec(), Some(half.clone()))], false).unwrap();
    let before = packed.tree().get([]).unwrap();
    let refused = packed.tree().transaction(|t| {
        let cache = BlockCache::default();
        let tx = PackedTx::new(t, Blocking::Prefix(0), &cache);
        tx.insert(b"b", b"small")?;
        tx.insert(b"c", &half)?;
        tx.flush()?;
        Ok(())
    });
    match refused {
        Err(sled::transaction::TransactionError::Abort(PackedError::TooLarge { block, bytes })) => {
            assert!(block.is_empty());
            assert!(bytes > MAX_BLOCK);
        }
        other => panic!("a block over the limit gave {other:?}"),
    }
    // The whole transaction is gone, its first write too.
    assert_eq!(packed.tree().get([]).unwrap(), before);
    assert_eq!(packed.get(b"b").unwrap(), None);

    let mut batch = PackedBatch::default();
    batch.insert(b"d", b"small");
    batch.insert(b"e", &half);
    assert!(matches!(
        packed.apply_batch(batch),
        Err(PackedError::TooLarge { .. })
    ));
    assert_eq!(packed.tree().get([]).unwrap(), before);
    assert_eq!(packed.len().unwrap(), 1);
}

#[test]
fn a_block_of_exactly_the_limit_is_written() {
    let (_db, packed) = scratch(Blocking::Prefix(usize::MAX));
    // The version byte, the key's length (its byte is the block key's, left out), and a value
    // with a 4-byte length.
    let value = vec![1u8; MAX_BLOCK - 1 - 1 - 4];
    transact(&packed, &[(b"k".to_vec(), Some(value.clone()))], false).unwrap();
    assert_eq!(packed.tree().get(b"k").unwrap().unwrap().len(), MAX_BLOCK);
    assert_eq!(packed.get(b"k").unwrap().unwrap(), value);
}

#[test]
fn an_aborted_transaction_leaves_nothing() {
    let (_db, packed) = scratch(Blocking::Prefix(1));
    let writes: Vec<Write> = (0u8..20).map(|n| (vec![n / 4, n], Some(vec![n]))).collect();
    assert_eq!(transact(&packed, &writes, true), None);
    assert!(packed.tree().is_empty());
    assert_eq!(packed.first().unwrap(), None);
}

mod measure;

#[test]
fn hashed_keys_are_found_and_walked_whatever_order_they_come_in() {
    let rule = Blocking::Hashed {
        tagged: &[(b'#', Blocking::Prefix(8))],
        bits: 4,
    };
    let (_db, packed) = scratch(rule);
    let mut model = Model::new();
    // Keys people give, sharing prefixes, next to the ledger's numbers; two batches, the
    // second rewriting blocks the first wrote and taking one key out.
    let keys: Vec<Vec<u8>> = (0..400)
        .map(|i| match i % 3 {
            0 => format!("#2024-{i:04}").into_bytes(),
            1 => format!("2024-{i:03}").into_bytes(),
            _ => format!("合同-{i}").into_bytes(),
        })
        .collect();
    for half in keys.chunks(200) {
        let mut batch = PackedBatch::default();
        for key in half.iter().rev() {
            batch.insert(key.clone(), key.len().to_be_bytes());
            model.insert(key.clone(), key.len().to_be_bytes().to_vec());
        }
        packed.apply_batch(batch).unwrap();
    }
    let mut batch = PackedBatch::default();
    batch.remove(keys[1].clone());
    model.remove(&keys[1]);
    packed.apply_batch(batch).unwrap();
    for key in &keys {
        assert_eq!(
            packed.get(key).unwrap().map(|v| v.to_vec()),
            model.get(key).cloned()
        );
    }
    let mut walked: Vec<(Vec<u8>, Vec<u8>)> = packed
        .iter()
        .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).unwrap())
        .collect();
    walked.sort();
    assert!(walked == model.into_iter().collect::<Vec<_>>());
    // Every key people give went to one of the 16 hashed blocks, every number by its prefix.
    assert!(
        packed.tree().len() <= 16 + 4,
        "{} blocks",
        packed.tree().len()
    );
}
