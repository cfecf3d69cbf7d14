//! Writing a plan of entries and new items (an import, a logged entry, a stopped timer) all or
//! nothing: in batches under the journal, then one last transaction with the audit record.

use std::collections::HashMap;

use chrono::Datelike;
use serde_json::{Value, json};

use super::aggregates::Imported;
use super::codec::{self, EntryRecord};
use super::digest::{Covered, LedgerSums};
use super::error::io_error;
use super::ident::{self, Ident, Kind};
use super::journal::{Reserved, close_journal};
use super::packed::Gathered;
use super::tallies::ItemTally;
use super::tx::{Tx, TxError};
use super::{AuditAction, Missing, Result, Stamp, Store, Unreadable, catalogs, keys, refs, tx};
use crate::domain::intake::{EntryPlan, Fingerprint, ItemFields, ItemGroup, Target};
use crate::domain::tally::category_key;
use crate::domain::{Entry, EntryId, Item, ItemId, Minutes, Satisfaction};

/// Entries (or items) written per batch in [`Store::apply_entries`] and a restore: a block of a
/// packed tree that many entries share is rewritten once per batch, so batches are large. Items
/// fill a batch too, or a restore's items, which all come before its entries, would go in as
/// one.
const CHUNK: usize = 10_000;

/// What a write added, for the message that confirms it: of one entry, all of it; of a large
/// import, what the message names (a list of a million ids would outweigh the import's pages).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// The first entry written.
    pub first_entry: Option<EntryId>,
    /// The number of the item the first entry went to.
    pub first_item: Option<String>,
    /// How many items were created.
    pub new_items: usize,
}

/// An item already in the ledger that the plan rates, with the keys of its entries, whose
/// copies of the rating follow.
struct Rerating {
    item: ItemId,
    rating: Satisfaction,
    entry_keys: Vec<Vec<u8>>,
}

/// Writes gathered for one batch, one sled batch per tree.
#[derive(Default)]
pub(super) struct Batches {
    entries: super::table::Batch,
    entry_index: super::table::Batch,
    item_entries: super::table::Batch,
    fingerprints: super::table::Batch,
    items: super::table::Batch,
    item_refs: super::table::Batch,
    ids: super::table::Batch,
    /// The cells of the items the batch makes (see `tallies.rs`).
    tallies: super::table::Batch,
    /// The records keep identities written apart (a restore's carried rows): none is made.
    carried: bool,
    /// What the batch adds to the ledger's sums: every record it writes is new (fresh ids,
    /// numbers and fingerprints).
    written: LedgerSums,
    /// Entries in the batch.
    len: usize,
    /// Items in the batch.
    items_len: usize,
    /// This store's id and the audit number the write will take: each new record's identity.
    me: u128,
    salt: u128,
    seq: u64,
}

/// Refuses a value over the store's limit, as a transaction would.
fn within_limit(value: Vec<u8>) -> Result<Vec<u8>> {
    if value.len() > super::MAX_VALUE {
        return Err(tx::too_large(value.len()));
    }
    Ok(value)
}

impl Batches {
    pub(super) fn item(&mut self, item: &Item) -> Result<()> {
        let id = keys::id_key(item.id.0);
        let value = within_limit(codec::encode_json(item))?;
        self.written.insert(Covered::Items, &id, &value);
        self.items.insert(id.as_slice(), value);
        let number = refs::number_ref(&item.number);
        self.written.insert(Covered::ItemRefs, &number, &id);
        self.item_refs.insert(number, id.as_slice());
        if let Some(key) = &item.key {
            self.written.insert(Covered::ItemRefs, key.as_bytes(), &id);
            self.item_refs.insert(key.as_bytes(), id.as_slice());
        }
        self.identify(Kind::Item, &id);
        self.items_len += 1;
        Ok(())
    }

    /// Gives a new record of this store its identity: revision 1, origin this store.
    fn identify(&mut self, kind: Kind, key: &[u8]) {
        if self.carried {
            return;
        }
        let local = ident::local_key(kind, key);
        let gid = ident::derive_gid(self.me, self.salt, &local);
        let record = Ident {
            kind,
            local: local.clone(),
            origin: self.me,
            rev: 1,
            seq: self.seq,
            gone: None,
            via: 0,
        };
        let value = ident::encode(&record);
        self.written
            .insert(Covered::Ids, &gid.to_be_bytes(), &value);
        self.ids.insert(gid.to_be_bytes(), value);
    }

    /// Adds an entry and its indexes; returns the record written, for the aggregates.
    pub(super) fn entry(
        &mut self,
        entry: &Entry,
        item: &Item,
        fp: &Fingerprint,
    ) -> Result<EntryRecord> {
        let key = keys::entry_key(entry.date, entry.id);
        let record = EntryRecord::new(entry, item);
        let value = within_limit(codec::encode_entry(&record))?;
        self.written.insert(Covered::Entries, &key, &value);
        self.entries.insert(key.as_slice(), value);
        let id = keys::id_key(entry.id.0);
        self.written.insert(Covered::EntryIndex, &id, &key);
        self.entry_index.insert(id.as_slice(), key.as_slice());
        let listed = keys::item_entry_key(item.id, entry.id);
        self.written.insert(Covered::ItemEntries, &listed, &key);
        self.item_entries.insert(listed.as_slice(), key.as_slice());
        let print = keys::fingerprint_key(&fp.0, entry.id);
        self.written.insert(Covered::Fingerprints, &print, &[]);
        self.fingerprints.insert(print.as_slice(), &[][..]);
        self.identify(Kind::Entry, &keys::id_key(entry.id.0));
        self.len += 1;
        Ok(record)
    }

    /// Writes the batch; adds what it wrote to `written`.
    fn apply(self, store: &Store, written: &mut LedgerSums) -> Result<()> {
        let t = &store.trees;
        written.absorb(&self.written);
        // Each tree's batch is atomic, but not the set. The order is what makes an interrupted
        // write undoable: an item before its references, an entry's id index before the entry
        // (the rollback finds entries through it), the entry before what hangs off it.
        for (tree, batch) in [
            (&t.ids, self.ids),
            (&t.items, self.items),
            (&t.item_refs, self.item_refs),
            (&t.entry_index, self.entry_index),
            (&t.entries, self.entries),
            (&t.item_entries, self.item_entries),
            (&t.fingerprints, self.fingerprints),
            (&t.tallies, self.tallies),
        ] {
            tree.apply_batch(batch).map_err(|e| store.table_err(e))?;
        }
        Ok(())
    }
}

/// Batches written one after another, each once it holds [`CHUNK`] entries, but for the
/// identities, fingerprints and item references, which go together at the end. Those trees are
/// keyed by hashes (the references an office gives, by the hash of the key), so any batch
/// touches blocks all over them: gathered for the whole write (in a file beside the store once
/// they are many, see `packed/spill.rs`), each of their blocks is written once, however large
/// the write.
pub(super) struct Batching {
    batch: Batches,
    /// The identities, fingerprints and item references of the batches written so far.
    ids: Gathered,
    fingerprints: Gathered,
    item_refs: Gathered,
    /// What the batches wrote, for the digest.
    written: LedgerSums,
}

impl Batching {
    /// Batches of records made by this store (`me`, `salt`) in the change the audit record
    /// `seq` will name; `carried`: records whose identities are written apart.
    pub(super) fn new(me: u128, salt: u128, seq: u64, carried: bool) -> Batching {
        Batching {
            batch: Batches {
                me,
                salt,
                seq,
                carried,
                ..Batches::default()
            },
            ids: Gathered::default(),
            fingerprints: Gathered::default(),
            item_refs: Gathered::default(),
            written: LedgerSums::default(),
        }
    }

    /// The batch being gathered.
    pub(super) fn batch(&mut self) -> &mut Batches {
        &mut self.batch
    }

    /// Writes the batch once it is full.
    pub(super) fn step(&mut self, store: &Store) -> Result<()> {
        if self.batch.len < CHUNK && self.batch.items_len < CHUNK {
            return Ok(());
        }
        let next = Batches {
            me: self.batch.me,
            salt: self.batch.salt,
            seq: self.batch.seq,
            carried: self.batch.carried,
            ..Batches::default()
        };
        let mut full = std::mem::replace(&mut self.batch, next);
        self.gather(store, &mut full)?;
        full.apply(store, &mut self.written)
    }

    /// Takes the identities, fingerprints and item references out of `batch`, to be written
    /// at the end; an interrupted write's rollback takes out records with or without them.
    fn gather(&mut self, store: &Store, batch: &mut Batches) -> Result<()> {
        let t = &store.trees;
        let io = |e: std::io::Error| io_error(&store.path, &e);
        for (gathered, table, records) in [
            (&mut self.ids, &t.ids, &mut batch.ids),
            (
                &mut self.fingerprints,
                &t.fingerprints,
                &mut batch.fingerprints,
            ),
            (&mut self.item_refs, &t.item_refs, &mut batch.item_refs),
        ] {
            gathered
                .absorb(std::mem::take(records), table.blocking(), &store.path)
                .map_err(io)?;
        }
        Ok(())
    }

    /// Writes what is left, then the identities, item references and fingerprints; what every
    /// batch wrote, for the digest.
    pub(super) fn finish(mut self, store: &Store) -> Result<LedgerSums> {
        let mut last = std::mem::take(&mut self.batch);
        self.gather(store, &mut last)?;
        last.apply(store, &mut self.written)?;
        let t = &store.trees;
        let io = |e: std::io::Error| io_error(&store.path, &e);
        for (table, gathered) in [
            (&t.ids, self.ids),
            (&t.item_refs, self.item_refs),
            (&t.fingerprints, self.fingerprints),
        ] {
            for batch in gathered
                .into_batches(table.blocking(), &store.path)
                .map_err(io)?
            {
                table
                    .apply_batch(batch.map_err(io)?)
                    .map_err(|e| store.table_err(e))?;
            }
        }
        Ok(self.written)
    }
}

/// Hands out item numbers `YYYY-NNNN` for a write, never one an item already has. Keys live
/// apart (a number is written `#2024-0019`, a key never begins with `#`), so a key that looks
/// like a number takes nothing from them.
#[derive(Default)]
struct ItemNumbers {
    next: HashMap<i32, u64>,
    used: HashMap<i32, u64>,
}

impl ItemNumbers {
    fn next(&mut self, store: &Store, year: i32) -> Result<String> {
        let next = match self.next.get(&year) {
            Some(n) => *n,
            None => store
                .trees
                .meta
                .get(format!("item_seq/{year}"))
                .map_err(|e| store.err(e))?
                .and_then(|v| keys::parse_id(&v))
                .unwrap_or(1),
        };
        let mut n = next;
        loop {
            let number = format!("{year}-{n:04}");
            let taken = store
                .trees
                .item_refs
                .get(refs::number_ref(&number))
                .map_err(|e| store.err(e))?
                .is_some();
            if !taken {
                self.next.insert(year, n + 1);
                self.used.insert(year, n);
                return Ok(number);
            }
            n += 1;
        }
    }
}

impl Store {
    /// Writes the entries (and new items) of a plan, all or nothing, with one audit record.
    ///
    /// One sled transaction holds its whole write set in memory, which a large import cannot
    /// afford, so the write is journalled instead: a first transaction reserves the ids and
    /// records the plan as pending; the records go in as batches of [`CHUNK`] entries; a last
    /// transaction applies ratings, appends the audit record and clears the pending mark. A
    /// process that dies before the end leaves the mark, and the next open removes exactly the
    /// reserved ids ([`Store::recover`]).
    pub fn apply_entries(
        &self,
        plan: EntryPlan,
        action: AuditAction,
        source: &str,
        stamp: &Stamp,
    ) -> Result<Applied> {
        self.apply_entries_then(plan, action, source, stamp, |_| Ok(()))
    }

    /// [`Store::apply_entries`], running `finally` inside its last transaction.
    pub(super) fn apply_entries_then(
        &self,
        plan: EntryPlan,
        action: AuditAction,
        source: &str,
        stamp: &Stamp,
        finally: impl Fn(&Tx) -> std::result::Result<(), TxError>,
    ) -> Result<Applied> {
        self.refuse_closed(
            plan.groups
                .iter()
                .flat_map(|g| g.entries.iter().map(|e| e.date)),
        )?;
        let rerate = self.reratings(&plan)?;
        let reserved = self.start_journal(stamp, action, &plan)?;
        let departments = departments(&plan);
        let after = audit_after(source, plan.minutes(), reserved, &rerate);
        // Whatever stops the write from here on, what it wrote so far is taken out again at
        // once, so a refused or failed change never lingers half-done.
        let written =
            self.write_batches(plan, reserved)
                .and_then(|(applied, numbers, written, imported)| {
                    self.commit(|tx| {
                        tx.count_written(&written);
                        tx.count_tallied(&imported);
                        // The departments go in here, not with the batches: a write that stops
                        // halfway then leaves none behind, and one already known counts once.
                        for department in &departments {
                            tx.catalogs()
                                .insert(catalogs::department_key(department), &[][..])?;
                        }
                        for (year, top) in &numbers.used {
                            tx.raise(&format!("item_seq/{year}"), *top)?;
                        }
                        self.rate(tx, &rerate)?;
                        tx.audit(stamp, action, json!(null), after.clone())?;
                        close_journal(tx)?;
                        finally(tx)
                    })?;
                    Ok(applied)
                });
        if written.is_err() {
            let _ = self.recover();
        }
        written
    }

    /// The items already in the ledger that the plan rates. Transactions cannot scan, so their
    /// entries are found first; the store is locked to this process, so nothing moves meanwhile.
    fn reratings(&self, plan: &EntryPlan) -> Result<Vec<Rerating>> {
        let mut rerate = Vec::new();
        for group in &plan.groups {
            if let Target::Existing {
                id,
                rate: Some(rating),
            } = group.target
            {
                let mut entry_keys = Vec::new();
                for kv in self.trees.item_entries.scan_prefix(keys::id_key(id.0)) {
                    entry_keys.push(kv.map_err(|e| self.err(e))?.1.to_vec());
                }
                rerate.push(Rerating {
                    item: id,
                    rating,
                    entry_keys,
                });
            }
        }
        Ok(rerate)
    }

    /// Writes the plan's items and entries with the ids `reserved`, a batch at a time.
    ///
    /// The plan goes group by group as it is written: what a large import holds shrinks as the
    /// store's pages grow.
    fn write_batches(
        &self,
        plan: EntryPlan,
        reserved: Reserved,
    ) -> Result<(Applied, ItemNumbers, LedgerSums, Imported)> {
        let mut imported = Imported::default();
        let advisors = self.advisors()?;
        let category = |id: &str| category_key(advisors.get(id)).to_string();
        let mut applied = Applied::default();
        let mut numbers = ItemNumbers::default();
        let (mut next_entry, mut next_item) = (reserved.first_entry, reserved.first_item);
        let mut batching = Batching::new(self.me, self.salt, reserved.seq, false);
        // Taken from the end of the reversed list, which is given back as it halves: the
        // groups' own room goes too, not only what each group holds.
        let mut groups = plan.groups;
        groups.reverse();
        while let Some(group) = groups.pop() {
            if groups.len() < groups.capacity() / 2 {
                groups.shrink_to_fit();
            }
            let year = first_year(&group);
            let is_new = matches!(group.target, Target::New { .. });
            let item = match group.target {
                Target::New { key, fields } => {
                    let number = numbers.next(self, year)?;
                    let item = new_item(ItemId(next_item), number, key, fields);
                    next_item += 1;
                    batching.batch().item(&item)?;
                    applied.new_items += 1;
                    item
                }
                Target::Existing { id, rate } => {
                    let mut item = self
                        .item(id)?
                        .ok_or_else(|| self.missing(Missing::Item(id)))?;
                    item.satisfaction = rate.or(item.satisfaction);
                    item
                }
            };
            applied
                .first_item
                .get_or_insert_with(|| item.number.clone());
            let mut cells = ItemTally::default();
            for new in group.entries {
                let entry = Entry {
                    id: EntryId(next_entry),
                    item: item.id,
                    advisor: new.advisor.to_string(),
                    date: new.date,
                    minutes: new.minutes,
                    note: new.note,
                };
                next_entry += 1;
                let record = batching.batch().entry(&entry, &item, &new.fingerprint)?;
                if is_new {
                    cells.add(&record, entry.date);
                } else {
                    imported.existing.push((record, entry.date));
                }
                applied.first_entry.get_or_insert(entry.id);
            }
            if is_new {
                imported.new_items.count(&cells, &category, 1);
                batching.batch().tallies.insert(
                    super::tallies::item_key(item.id.0).as_slice(),
                    cells.encode(item.id.0),
                );
            }
            batching.step(self)?;
        }
        let written = batching.finish(self)?;
        Ok((applied, numbers, written, imported))
    }

    /// Gives each rerated item its rating, and its entries their copies of it.
    fn rate(&self, tx: &Tx, rerate: &[Rerating]) -> std::result::Result<(), TxError> {
        for Rerating {
            item: id,
            rating,
            entry_keys,
        } in rerate
        {
            let Some(v) = tx.items().get(keys::id_key(id.0))? else {
                continue;
            };
            let mut item: Item = codec::decode_json(&v)
                .ok_or_else(|| TxError::Abort(self.unreadable(Unreadable::ItemRecord)))?;
            item.satisfaction = Some(*rating);
            tx.items()
                .insert(keys::id_key(id.0).as_slice(), codec::encode_json(&item))?;
            tx.touched(Kind::Item, &keys::id_key(id.0))?;
            for k in entry_keys {
                if let Some(v) = tx.entries().get(k)? {
                    let mut r = codec::decode_entry(&v)
                        .ok_or_else(|| TxError::Abort(self.unreadable(Unreadable::EntryRecord)))?;
                    r.satisfaction = Some(*rating);
                    tx.entries().insert(k.as_slice(), codec::encode_entry(&r))?;
                }
            }
        }
        Ok(())
    }
}

/// The departments of the plan's new items, each once.
fn departments(plan: &EntryPlan) -> std::collections::BTreeSet<String> {
    plan.groups
        .iter()
        .filter_map(|g| match &g.target {
            Target::New { fields, .. } => Some(fields.department.clone()),
            Target::Existing { .. } => None,
        })
        .collect()
}

/// The year an item created for `group` is numbered in: that of its earliest entry.
fn first_year(group: &ItemGroup) -> i32 {
    group
        .entries
        .iter()
        .map(|e| e.date.year())
        .min()
        .unwrap_or(2000)
}

fn new_item(id: ItemId, number: String, key: Option<String>, fields: ItemFields) -> Item {
    Item {
        id,
        number,
        key,
        title: fields.title,
        topic: fields.topic,
        service: fields.service,
        department: fields.department,
        reference: String::new(),
        status: Default::default(),
        satisfaction: fields.satisfaction,
        outcome: None,
        sensitivity: Default::default(),
    }
}

/// What the audit record keeps of a write. Ranges, not lists: the record stays small however
/// large the import. The key order is part of the stored bytes.
fn audit_after(source: &str, minutes: Minutes, reserved: Reserved, rerate: &[Rerating]) -> Value {
    let Reserved {
        first_entry,
        entries,
        first_item,
        items,
        ..
    } = reserved;
    json!({
        "source": source,
        "entries": {
            "count": entries,
            "first": first_entry,
            "last": (first_entry + entries).saturating_sub(1),
        },
        "items": {
            "count": items,
            "first": first_item,
            "last": (first_item + items).saturating_sub(1),
        },
        "minutes": minutes.0,
        // Items that had no rating and got one from this change: undo takes it back.
        "rated": rerate
            .iter()
            .map(|r| json!({"item": r.item.0, "rating": r.rating.code()}))
            .collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::intake::{EntryRowReader, check_entries, plan_advisors, plan_checked};

    fn stamp() -> Stamp {
        Stamp {
            at: chrono::DateTime::parse_from_rfc3339("2026-12-03T09:00:00+08:00").unwrap(),
            who: "test".to_owned(),
        }
    }

    /// `rows` CSV rows imported as `import entries` imports them; the rows skipped as already
    /// in the ledger.
    fn import(store: &Store, rows: &str) -> usize {
        let text = format!(
            "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n{rows}"
        );
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let mut reader = EntryRowReader::open(&text).unwrap();
        let view = store.view().unwrap();
        let checked = check_entries(&mut reader, &view, today);
        let plan = plan_checked(checked, &view, true).unwrap();
        drop(view);
        let skipped = plan.skipped;
        if plan.entry_count() > 0 {
            store
                .apply_entries(plan, AuditAction::ImportEntries, "rows.csv", &stamp())
                .unwrap();
        }
        skipped
    }

    /// A write whose identities, fingerprints and item references pass what is kept in memory
    /// (a few KiB in these tests) and wait in files, written part by part at its end: the
    /// ledger verifies (every identity, index and sum), every entry reads back, the same rows
    /// imported again are all found already there, and no file is left beside the store.
    #[test]
    fn a_write_whose_gathered_records_waited_in_files_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        let store = Store::open(&path).unwrap();
        let advisors = plan_advisors(
            "id,name,category,unit\nA001,甲,staff,法制办\nA002,乙,public-lawyer,法制办\n",
            &store.advisors().unwrap(),
        )
        .unwrap();
        store
            .apply_advisors(&advisors, "advisors.csv", &stamp())
            .unwrap();
        let mut rows = String::new();
        for i in 0..1_500 {
            rows += &format!(
                "2025-{:02}-{:02},A00{},0.5,K{},事项{},labor,opinion,财政局,,第{i}行\n",
                1 + i % 12,
                1 + i % 28,
                1 + i % 2,
                i / 3,
                i / 3
            );
        }
        let files_before: Vec<_> = std::fs::read_dir(&path)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(import(&store, &rows), 0);
        assert_eq!(store.all_entries().unwrap().len(), 1_500);
        assert_eq!(store.items().unwrap().len(), 500);
        assert!(store.verify().unwrap().ok(), "the store verifies");
        assert_eq!(
            import(&store, &rows),
            1_500,
            "every row is found already imported"
        );
        assert_eq!(store.all_entries().unwrap().len(), 1_500);
        let files_after: Vec<_> = std::fs::read_dir(&path)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            files_before, files_after,
            "no file is left beside the store"
        );
    }
}
