//! The ledger's digest: a multiset hash over every record the figures and the team's ledger
//! rest on, one running sum per tree, so that each change moves it by what it wrote and what
//! it replaced, and `verify` can recount it from the records.
//!
//! Each record `(key, value)` counts as SHA-256 of its key's length, key and value, read as a
//! 256-bit number; a tree's sum is the sum of its records' numbers modulo 2²⁵⁶. Adding a record
//! adds its number, removing it subtracts it, so the sum does not depend on the order of
//! changes and costs one hash per write. The digest an audit record carries is SHA-256 of
//! every tree's sum: a record changed behind the store's back (with its indexes, its
//! fingerprint, its copies) no longer adds up to what the trail recorded.

use sha2::{Digest, Sha256};

use super::{Result, Store, Unreadable};

/// The trees the digest covers, in the order their sums are kept. The audit trail is not
/// among them (its records carry the digest, and are chained by their own hashes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum Covered {
    Meta,
    Advisors,
    Items,
    ItemRefs,
    Entries,
    EntryIndex,
    ItemEntries,
    Fingerprints,
    Catalogs,
    Ids,
    LocalIds,
    Corrections,
    Peers,
}

/// How many trees the digest covers.
const TREES: usize = 13;

impl Covered {
    /// The tree's name, as sled knows it and as `verify` names it.
    pub fn name(self) -> &'static str {
        self.into()
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The `meta` keys the digest covers: what says who this store is and which months are closed
/// and filed. Counters, the pending-write mark, the timer, the audit head and the sums
/// themselves change without changing any figure and are left out.
pub(super) fn covered_meta(key: &[u8]) -> bool {
    key == super::STORE_ID
        || key == b"store_name"
        || key.starts_with(b"closed/")
        || key.starts_with(b"filed/")
}

/// The `meta` key of the running sums.
pub(super) const LEDGER_SUMS: &[u8] = b"ledger_sums";

/// A 256-bit number, four 64-bit limbs, least significant first.
type Limbs = [u64; 4];

fn add(a: &mut Limbs, b: &Limbs) {
    let mut carry = false;
    for (x, y) in a.iter_mut().zip(b) {
        let (sum, c1) = x.overflowing_add(*y);
        let (sum, c2) = sum.overflowing_add(u64::from(carry));
        *x = sum;
        carry = c1 || c2;
    }
}

fn negate(a: &Limbs) -> Limbs {
    let mut out = a.map(|x| !x);
    add(&mut out, &[1, 0, 0, 0]);
    out
}

/// The number a record counts as.
fn element(key: &[u8], value: &[u8]) -> Limbs {
    let mut h = Sha256::new();
    // A key's length first, so no key and value can pass for another split of the same bytes.
    h.update(u64::try_from(key.len()).unwrap_or(u64::MAX).to_le_bytes());
    h.update(key);
    h.update(value);
    let bytes = h.finalize();
    let mut out = [0u64; 4];
    for (limb, chunk) in out.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        *limb = u64::from_le_bytes(word);
    }
    out
}

/// One running sum per covered tree; also what a change adds to them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LedgerSums([Limbs; TREES]);

impl LedgerSums {
    /// Counts a record written into `tree`.
    pub(super) fn insert(&mut self, tree: Covered, key: &[u8], value: &[u8]) {
        if tree != Covered::Meta || covered_meta(key) {
            add(&mut self.0[tree.index()], &element(key, value));
        }
    }

    /// Takes out a record removed from (or replaced in) `tree`.
    pub(super) fn remove(&mut self, tree: Covered, key: &[u8], value: &[u8]) {
        if tree != Covered::Meta || covered_meta(key) {
            add(&mut self.0[tree.index()], &negate(&element(key, value)));
        }
    }

    /// Adds another set of sums (or of changes) to these.
    pub(super) fn absorb(&mut self, other: &LedgerSums) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            add(a, b);
        }
    }

    pub(super) fn is_zero(&self) -> bool {
        self.0.iter().all(|l| l.iter().all(|x| *x == 0))
    }

    /// The trees whose sums differ from `other`'s.
    pub fn differing(&self, other: &LedgerSums) -> Vec<Covered> {
        use strum::IntoEnumIterator;
        Covered::iter()
            .filter(|t| self.0[t.index()] != other.0[t.index()])
            .collect()
    }

    /// The digest an audit record carries: SHA-256 of every sum, in hex.
    pub fn digest(&self) -> String {
        hex::encode(Sha256::digest(self.encode()))
    }

    pub(super) fn encode(&self) -> Vec<u8> {
        self.0
            .iter()
            .flat_map(|limbs| limbs.iter().flat_map(|x| x.to_le_bytes()))
            .collect()
    }

    pub(super) fn decode(bytes: &[u8]) -> Option<LedgerSums> {
        if bytes.len() != TREES * 32 {
            return None;
        }
        let mut out = LedgerSums::default();
        for (limb, chunk) in out.0.iter_mut().flatten().zip(bytes.chunks_exact(8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            *limb = u64::from_le_bytes(word);
        }
        Some(out)
    }
}

impl Store {
    /// The sums as the store keeps them (all zero before its first change).
    pub(super) fn kept_sums(&self) -> Result<LedgerSums> {
        match self.trees.meta.get(LEDGER_SUMS).map_err(|e| self.err(e))? {
            Some(v) => {
                LedgerSums::decode(&v).ok_or_else(|| self.unreadable(Unreadable::LedgerSums))
            }
            None => Ok(LedgerSums::default()),
        }
    }

    /// The sums counted afresh from every record: what `verify` compares, and what a migration
    /// or a restore starts from.
    pub(super) fn recount_sums(&self) -> Result<LedgerSums> {
        use strum::IntoEnumIterator;
        let mut sums = LedgerSums::default();
        for tree in Covered::iter() {
            for kv in self.covered_tree(tree).iter() {
                let (k, v) = kv.map_err(|e| self.err(e))?;
                sums.insert(tree, &k, &v);
            }
        }
        Ok(sums)
    }

    /// Counts the sums afresh and keeps them, outside any transaction: for a store whose
    /// records were written in ways no transaction counted (a migration, the identities a
    /// restore clears). The audited change that follows carries them.
    pub(super) fn reset_sums(&self) -> Result<()> {
        let sums = self.recount_sums()?;
        self.trees
            .meta
            .insert(LEDGER_SUMS, sums.encode())
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn covered_tree(&self, tree: Covered) -> &super::table::Table {
        let t = &self.trees;
        match tree {
            Covered::Meta => &t.meta,
            Covered::Advisors => &t.advisors,
            Covered::Items => &t.items,
            Covered::ItemRefs => &t.item_refs,
            Covered::Entries => &t.entries,
            Covered::EntryIndex => &t.entry_index,
            Covered::ItemEntries => &t.item_entries,
            Covered::Fingerprints => &t.fingerprints,
            Covered::Catalogs => &t.catalogs,
            Covered::Ids => &t.ids,
            Covered::LocalIds => &t.local_ids,
            Covered::Corrections => &t.corrections,
            Covered::Peers => &t.peers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_do_not_depend_on_the_order_of_changes() {
        let mut a = LedgerSums::default();
        a.insert(Covered::Entries, b"k1", b"v1");
        a.insert(Covered::Entries, b"k2", b"v2");
        a.remove(Covered::Entries, b"k1", b"v1");
        let mut b = LedgerSums::default();
        b.insert(Covered::Entries, b"k2", b"v2");
        assert_eq!(a, b);
        assert_eq!(a.digest(), b.digest());
    }

    #[test]
    fn a_changed_value_or_a_moved_record_changes_the_digest() {
        let mut healthy = LedgerSums::default();
        healthy.insert(Covered::Entries, b"k1", b"90");
        healthy.insert(Covered::Entries, b"k2", b"60");
        let mut swapped = LedgerSums::default();
        swapped.insert(Covered::Entries, b"k1", b"60");
        swapped.insert(Covered::Entries, b"k2", b"90");
        assert_ne!(healthy.digest(), swapped.digest());
        let mut elsewhere = LedgerSums::default();
        elsewhere.insert(Covered::Items, b"k1", b"90");
        elsewhere.insert(Covered::Entries, b"k2", b"60");
        assert_eq!(
            healthy.differing(&elsewhere),
            [Covered::Items, Covered::Entries]
        );
    }

    #[test]
    fn a_split_of_the_same_bytes_is_another_record() {
        let mut a = LedgerSums::default();
        a.insert(Covered::Entries, b"ab", b"c");
        let mut b = LedgerSums::default();
        b.insert(Covered::Entries, b"a", b"bc");
        assert_ne!(a, b);
    }

    #[test]
    fn counters_and_the_audit_head_are_not_covered_but_closed_months_are() {
        let mut sums = LedgerSums::default();
        sums.insert(Covered::Meta, b"audit_seq", b"7");
        sums.insert(Covered::Meta, b"audit_head", b"x");
        assert!(sums.is_zero());
        sums.insert(Covered::Meta, b"closed/2024-03", b"{}");
        assert!(!sums.is_zero());
    }

    #[test]
    fn sums_survive_their_encoding() {
        let mut sums = LedgerSums::default();
        sums.insert(Covered::Peers, b"p", b"card");
        sums.remove(Covered::Ids, b"i", b"x");
        assert_eq!(LedgerSums::decode(&sums.encode()), Some(sums));
        assert_eq!(LedgerSums::decode(b"short"), None);
    }
}
