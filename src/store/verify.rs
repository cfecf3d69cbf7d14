//! `verify`: walks the audit chain link by link, compares its head with the side file, and
//! checks that items, entries and every index agree with one another.

use std::collections::{HashMap, HashSet};

use super::audit::{self, AuditRecord, Head};
use super::codec::{self, EntryRecord};
use super::digest::Covered;
use super::{Result, Store, keys};
use crate::domain::intake::{Fingerprint, ItemFields};
use crate::domain::{EntryId, Item, ItemId};

/// How many problems a report lists before it stops counting.
const MAX_PROBLEMS: usize = 20;

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verification {
    pub audit_records: u64,
    pub entries: u64,
    pub items: u64,
    /// Each problem, the first broken link first.
    pub problems: Vec<VerifyProblem>,
}

/// One thing `verify` found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyProblem {
    Chain(ChainProblem),
    Record(RecordProblem),
    Ledger(LedgerProblem),
}

/// The records no longer add up to the digest the audit trail recorded: something changed them
/// behind the store's back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerProblem {
    /// The records of these trees differ from the sums kept with the newest audit record
    /// (`record`, 0 before the first).
    RecordsDiffer { trees: Vec<Covered>, record: u64 },
    /// The records and the kept sums agree, but not with the digest audit record `record`
    /// carries: both were rewritten.
    SumsRewritten { record: u64 },
}

/// A break in the audit chain or its head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// The first record at which the chain breaks, counted from 1.
    Link {
        position: u64,
        fault: LinkFault,
    },
    /// The newest record no longer hashes to the head.
    NewestAltered {
        record: u64,
    },
    /// The head counts `head` records where the trail holds `trail`.
    HeadCountDiffers {
        head: u64,
        trail: u64,
    },
    HeadFileMissing,
    /// The side file names another record than the store's head.
    HeadFileDiffers {
        file: Head,
        store: Head,
    },
}

/// How a record breaks the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkFault {
    Unreadable,
    /// Its number (`seq`) is not its position.
    Misnumbered {
        seq: u64,
    },
    /// The first record does not start from the genesis hash.
    NotFirst,
    /// It does not carry the hash of the record before it.
    NotFollowing,
}

/// Records and indexes that do not agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordProblem {
    ItemUnreadable {
        id: u64,
    },
    /// The item's number or key does not lead back to it.
    ReferenceAstray {
        item: String,
        reference: String,
    },
    ReferenceToNothing {
        reference: String,
    },
    /// The entry at this position in date order does not decode.
    EntryUnreadable {
        position: u64,
    },
    EntryNotIndexed(EntryId),
    ItemOfEntryMissing {
        entry: EntryId,
        item: ItemId,
    },
    /// The item (by number) does not list the entry.
    EntryNotListed {
        entry: EntryId,
        item: String,
    },
    FingerprintMissing(EntryId),
    /// The entry's copy of its item's fields (by number) is out of date.
    CopyDiffers {
        entry: EntryId,
        item: String,
    },
    IndexToNothing {
        entry: u64,
    },
    ItemListsNothing {
        entry: u64,
    },
    FingerprintToNothing {
        entry: u64,
    },
    /// The per-period aggregates differ from a recount of the entries in this many records.
    TalliesDiffer {
        records: u64,
    },
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn chain(&mut self, problem: ChainProblem) {
        self.problem(VerifyProblem::Chain(problem));
    }

    fn record(&mut self, problem: RecordProblem) {
        self.problem(VerifyProblem::Record(problem));
    }

    fn problem(&mut self, problem: VerifyProblem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        }
    }
}

/// The newest audit record: its number and the ledger digest it carries (none before
/// schema 3).
struct Newest {
    seq: u64,
    ledger: Option<String>,
}

/// How the record at `position` breaks the chain, if it does; `prev` is the hash it must carry.
fn link_fault(k: &[u8], bytes: &[u8], position: u64, prev: &str) -> Option<LinkFault> {
    let Some(record) = codec::decode_json::<AuditRecord>(bytes) else {
        return Some(LinkFault::Unreadable);
    };
    if keys::parse_id(k) != Some(record.seq) || record.seq != position {
        Some(LinkFault::Misnumbered { seq: record.seq })
    } else if record.prev != prev {
        Some(if position == 1 {
            LinkFault::NotFirst
        } else {
            LinkFault::NotFollowing
        })
    } else {
        None
    }
}

impl Store {
    /// Checks the whole store without changing it.
    pub fn verify(&self) -> Result<Verification> {
        let mut v = Verification::default();
        let (chain_end, newest) = self.verify_links(&mut v)?;
        self.verify_head(&mut v, chain_end.as_deref())?;
        self.verify_ledger(&mut v, newest.as_ref())?;
        let items = self.verify_items(&mut v)?;
        self.verify_entries(&mut v, &items)?;
        self.verify_indexes(&mut v)?;
        self.verify_tallies(&mut v)?;
        Ok(v)
    }

    /// Recounts the per-period aggregates from the entries and compares them record by record
    /// (unless they are marked for a rebuild, when reads do not use them).
    fn verify_tallies(&self, v: &mut Verification) -> Result<()> {
        if self.migration_due || self.tallies_stale()? {
            return Ok(());
        }
        let mut expected = self.recount_tallies()?;
        let mut differ = 0u64;
        for kv in self.trees.tallies.iter() {
            let (k, value) = kv.map_err(|e| self.err(e))?;
            match expected.remove(k.as_ref()) {
                Some(want) if want == value.as_ref() => {}
                _ => differ += 1,
            }
        }
        differ += u64::try_from(expected.len()).unwrap_or(u64::MAX);
        if differ > 0 {
            v.record(RecordProblem::TalliesDiffer { records: differ });
        }
        Ok(())
    }

    /// Walks the chain; returns the hash of its newest end, or `None` when a link is broken
    /// (only the first break is reported: every link after it breaks too), and the newest
    /// record's number with the ledger digest it carries.
    fn verify_links(&self, v: &mut Verification) -> Result<(Option<String>, Option<Newest>)> {
        let mut prev = audit::GENESIS.to_string();
        let mut broken = false;
        let mut newest = None;
        for kv in self.trees.audit.iter() {
            let (k, bytes) = kv.map_err(|e| self.err(e))?;
            v.audit_records += 1;
            let position = v.audit_records;
            if !broken && let Some(fault) = link_fault(&k, &bytes, position, &prev) {
                v.chain(ChainProblem::Link { position, fault });
                broken = true;
            }
            newest = codec::decode_json::<AuditRecord>(&bytes).map(|r| Newest {
                seq: r.seq,
                ledger: r.ledger,
            });
            prev = audit::digest(&bytes);
        }
        Ok(((!broken).then_some(prev), newest))
    }

    /// Recounts the ledger's sums from every record and compares them with those kept, then
    /// with the digest the newest audit record carries.
    fn verify_ledger(&self, v: &mut Verification, newest: Option<&Newest>) -> Result<()> {
        let recounted = self.recount_sums()?;
        let kept = self.kept_sums()?;
        let record = newest.map_or(0, |n| n.seq);
        let trees = recounted.differing(&kept);
        if !trees.is_empty() {
            v.problem(VerifyProblem::Ledger(LedgerProblem::RecordsDiffer {
                trees,
                record,
            }));
        } else if let Some(ledger) = newest.and_then(|n| n.ledger.as_deref())
            && ledger != recounted.digest()
        {
            v.problem(VerifyProblem::Ledger(LedgerProblem::SumsRewritten {
                record,
            }));
        }
        Ok(())
    }

    /// Compares the chain's end (`chain_hash`, when the chain is whole) with the head the
    /// store keeps, and that head with the side file.
    fn verify_head(&self, v: &mut Verification, chain_hash: Option<&str>) -> Result<()> {
        let head = self.audit_head_record()?;
        if let Some(hash) = chain_hash {
            let chain = Head {
                count: v.audit_records,
                hash: hash.to_string(),
            };
            if head != chain {
                v.chain(if head.count == chain.count {
                    ChainProblem::NewestAltered {
                        record: chain.count,
                    }
                } else {
                    ChainProblem::HeadCountDiffers {
                        head: head.count,
                        trail: chain.count,
                    }
                });
            }
        }
        match self.head_file()? {
            None => v.chain(ChainProblem::HeadFileMissing),
            Some(file) if file != head => {
                v.chain(ChainProblem::HeadFileDiffers { file, store: head })
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// Reads every item and checks that its number and key lead to it, and that every number
    /// and key leads to an item. Gives the ids of the items that read: the items themselves
    /// are read again as entries need them, so that no ledger is held whole.
    fn verify_items(&self, v: &mut Verification) -> Result<HashSet<ItemId>> {
        let t = &self.trees;
        let mut items: HashSet<ItemId> = HashSet::new();
        for kv in t.items.iter() {
            let (k, bytes) = kv.map_err(|e| self.err(e))?;
            v.items += 1;
            let Some(item) = codec::decode_json::<Item>(&bytes) else {
                let id = keys::parse_id(&k).unwrap_or(0);
                v.record(RecordProblem::ItemUnreadable { id });
                continue;
            };
            let number = crate::domain::intake::shown_number(&item.number);
            for reference in std::iter::once(&number).chain(item.key.as_ref()) {
                let points = t
                    .item_refs
                    .get(reference.as_bytes())
                    .map_err(|e| self.err(e))?;
                if points.as_deref() != Some(&k[..]) {
                    v.record(RecordProblem::ReferenceAstray {
                        item: item.number.clone(),
                        reference: reference.clone(),
                    });
                }
            }
            items.insert(item.id);
        }
        for kv in t.item_refs.iter() {
            let (k, id) = kv.map_err(|e| self.err(e))?;
            if keys::parse_id(&id).is_none_or(|id| !items.contains(&ItemId(id))) {
                let reference = String::from_utf8_lossy(&k).into_owned();
                v.record(RecordProblem::ReferenceToNothing { reference });
            }
        }
        Ok(items)
    }

    /// Checks each entry against the indexes that lead to it and the item it copies; `items`
    /// are the ids of the items that read.
    fn verify_entries(&self, v: &mut Verification, items: &HashSet<ItemId>) -> Result<()> {
        let mut at_hand = ItemsAtHand::default();
        for kv in self.trees.entries.iter() {
            let (k, bytes) = kv.map_err(|e| self.err(e))?;
            v.entries += 1;
            let (Some((date, id)), Some(record)) =
                (keys::parse_entry_key(&k), codec::decode_entry(&bytes))
            else {
                v.record(RecordProblem::EntryUnreadable {
                    position: v.entries,
                });
                continue;
            };
            let item = if items.contains(&ItemId(record.item)) {
                at_hand.get(self, ItemId(record.item))?
            } else {
                None
            };
            self.verify_entry(v, item, &k, (date, id), &record)?;
        }
        Ok(())
    }

    /// `item` is the entry's item, when it reads.
    fn verify_entry(
        &self,
        v: &mut Verification,
        item: Option<&Item>,
        key: &[u8],
        (date, id): (chrono::NaiveDate, EntryId),
        record: &EntryRecord,
    ) -> Result<()> {
        let t = &self.trees;
        let entry = record.entry(date, id);
        let index = t
            .entry_index
            .get(keys::id_key(id.0))
            .map_err(|e| self.err(e))?;
        if index.as_deref() != Some(key) {
            v.record(RecordProblem::EntryNotIndexed(id));
        }
        let Some(item) = item else {
            v.record(RecordProblem::ItemOfEntryMissing {
                entry: id,
                item: entry.item,
            });
            return Ok(());
        };
        let by_item = t
            .item_entries
            .get(keys::item_entry_key(item.id, id))
            .map_err(|e| self.err(e))?;
        if by_item.as_deref() != Some(key) {
            v.record(RecordProblem::EntryNotListed {
                entry: id,
                item: item.number.clone(),
            });
        }
        let fp = Fingerprint::of(
            date,
            &entry.advisor,
            entry.minutes,
            &ItemFields::of(item),
            &entry.note,
        );
        if t.fingerprints
            .get(keys::fingerprint_key(&fp.0, id))
            .map_err(|e| self.err(e))?
            .is_none()
        {
            v.record(RecordProblem::FingerprintMissing(id));
        }
        if *record != codec::EntryRecord::new(&entry, item) {
            v.record(RecordProblem::CopyDiffers {
                entry: id,
                item: item.number.clone(),
            });
        }
        Ok(())
    }

    /// Checks that every entry index and fingerprint leads to an entry that exists.
    fn verify_indexes(&self, v: &mut Verification) -> Result<()> {
        let t = &self.trees;
        for kv in t.entry_index.iter() {
            let (k, key) = kv.map_err(|e| self.err(e))?;
            if t.entries.get(&key).map_err(|e| self.err(e))?.is_none() {
                let entry = keys::parse_id(&k).unwrap_or(0);
                v.record(RecordProblem::IndexToNothing { entry });
            }
        }
        for kv in t.item_entries.iter() {
            let (k, key) = kv.map_err(|e| self.err(e))?;
            if t.entries.get(&key).map_err(|e| self.err(e))?.is_none() {
                let entry = keys::parse_id(&k[8..]).unwrap_or(0);
                v.record(RecordProblem::ItemListsNothing { entry });
            }
        }
        for kv in t.fingerprints.iter() {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            let entry = keys::parse_id(&k[16..]).unwrap_or(0);
            if t.entry_index
                .get(keys::id_key(entry))
                .map_err(|e| self.err(e))?
                .is_none()
            {
                v.record(RecordProblem::FingerprintToNothing { entry });
            }
        }
        Ok(())
    }
}

/// How many items `verify` keeps at hand while it walks the entries by date: an item's
/// entries mostly lie close together, and a bounded few keep the memory the same whatever the
/// size of the ledger.
const ITEMS_AT_HAND: usize = 4096;

/// The items read lately, by id.
#[derive(Default)]
struct ItemsAtHand(HashMap<ItemId, Option<Item>>);

impl ItemsAtHand {
    /// The item `id` as stored; `None` when it is missing or does not read.
    fn get(&mut self, store: &Store, id: ItemId) -> Result<Option<&Item>> {
        if !self.0.contains_key(&id) {
            if self.0.len() >= ITEMS_AT_HAND {
                self.0.clear();
            }
            let bytes = store
                .trees
                .items
                .get(keys::id_key(id.0))
                .map_err(|e| store.err(e))?;
            let item = bytes.and_then(|b| codec::decode_json::<Item>(&b));
            self.0.insert(id, item);
        }
        Ok(self.0.get(&id).and_then(Option::as_ref))
    }
}
