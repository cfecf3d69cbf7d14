//! Writing an import's entries: journalled, in batches, and undone at the next open when the
//! process stopped partway.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec::{self, EntryRecord};
use super::tx::{Tx, TxError};
use super::{
    AuditAction, Missing, Rejection, Result, Stamp, Store, Unreadable, catalogs, keys, tx,
};
use crate::domain::import::{EntryPlan, Fingerprint, ItemFields, Target};
use crate::domain::{Entry, EntryId, Item, ItemId, Satisfaction};

/// Entries written per batch in [`Store::apply_entries`].
const CHUNK: usize = 1_000;

/// The `meta` key of an unfinished write.
const PENDING: &[u8] = b"pending";

/// An unfinished write: the id ranges `[from, to)` it reserved, so it can be undone.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    #[serde(with = "codec::time")]
    at: DateTime<FixedOffset>,
    who: String,
    action: AuditAction,
    entries: (u64, u64),
    items: (u64, u64),
}

/// Writes gathered for one batch, one sled batch per tree.
#[derive(Default)]
struct Batches {
    entries: sled::Batch,
    entry_index: sled::Batch,
    item_entries: sled::Batch,
    fingerprints: sled::Batch,
    items: sled::Batch,
    item_refs: sled::Batch,
    catalogs: sled::Batch,
    len: usize,
}

/// Refuses a value over the store's limit, as a transaction would.
fn within_limit(value: Vec<u8>) -> Result<Vec<u8>> {
    if value.len() > super::MAX_VALUE {
        return Err(tx::too_large(value.len()));
    }
    Ok(value)
}

impl Batches {
    fn item(&mut self, item: &Item) -> Result<()> {
        let id = keys::id_key(item.id.0);
        self.items
            .insert(id.as_slice(), within_limit(codec::encode_json(item))?);
        self.item_refs.insert(item.number.as_bytes(), id.as_slice());
        if let Some(key) = &item.key {
            self.item_refs.insert(key.as_bytes(), id.as_slice());
        }
        self.catalogs
            .insert(catalogs::department_key(&item.department), &[][..]);
        Ok(())
    }

    fn entry(&mut self, entry: &Entry, item: &Item, fp: &Fingerprint) -> Result<()> {
        let key = keys::entry_key(entry.date, entry.id);
        self.entries.insert(
            key.as_slice(),
            within_limit(codec::encode_entry(&EntryRecord::new(entry, item)))?,
        );
        self.entry_index
            .insert(keys::id_key(entry.id.0).as_slice(), key.as_slice());
        self.item_entries.insert(
            keys::item_entry_key(item.id, entry.id).as_slice(),
            key.as_slice(),
        );
        self.fingerprints
            .insert(keys::fingerprint_key(&fp.0, entry.id).as_slice(), &[][..]);
        self.len += 1;
        Ok(())
    }

    fn apply(self, store: &Store) -> Result<()> {
        let t = &store.trees;
        // Each tree's batch is atomic, but not the set. The order is what makes an interrupted
        // write undoable: an item before its references, an entry's id index before the entry
        // (the rollback finds entries through it), the entry before what hangs off it.
        for (tree, batch) in [
            (&t.items, self.items),
            (&t.item_refs, self.item_refs),
            (&t.entry_index, self.entry_index),
            (&t.entries, self.entries),
            (&t.item_entries, self.item_entries),
            (&t.fingerprints, self.fingerprints),
            (&t.catalogs, self.catalogs),
        ] {
            tree.apply_batch(batch).map_err(|e| store.err(e))?;
        }
        Ok(())
    }
}

/// Hands out item numbers `YYYY-NNNN` for a write, never one that a key or item already uses.
struct ItemNumbers {
    next: HashMap<i32, u64>,
    used: HashMap<i32, u64>,
    keys: HashSet<String>,
}

impl ItemNumbers {
    fn new(plan: &EntryPlan) -> ItemNumbers {
        let keys = plan
            .groups
            .iter()
            .filter_map(|g| match &g.target {
                Target::New { key: Some(k), .. } => Some(k.clone()),
                _ => None,
            })
            .collect();
        ItemNumbers {
            next: HashMap::new(),
            used: HashMap::new(),
            keys,
        }
    }

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
            let taken = self.keys.contains(&number)
                || store
                    .trees
                    .item_refs
                    .get(number.as_bytes())
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

/// What a write added, for the message that confirms it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub entries: Vec<EntryId>,
    /// Numbers of the items created.
    pub new_items: Vec<String>,
    /// Numbers of the items the entries went to, in plan order.
    pub items: Vec<String>,
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
        plan: &EntryPlan,
        action: AuditAction,
        source: &str,
        stamp: &Stamp,
    ) -> Result<Applied> {
        self.apply_entries_then(plan, action, source, stamp, |_| Ok(()))
    }

    /// [`Store::apply_entries`], running `finally` inside its last transaction.
    pub(super) fn apply_entries_then(
        &self,
        plan: &EntryPlan,
        action: AuditAction,
        source: &str,
        stamp: &Stamp,
        finally: impl Fn(&Tx) -> std::result::Result<(), TxError>,
    ) -> Result<Applied> {
        // Transactions cannot scan, so the entries whose copy of an item's rating must change
        // are found first. The store is locked to this process, so nothing moves meanwhile.
        let mut rerate: Vec<(ItemId, Satisfaction, Vec<Vec<u8>>)> = Vec::new();
        for group in &plan.groups {
            if let Target::Existing {
                id,
                rate: Some(rating),
            } = group.target
            {
                let mut ks = Vec::new();
                for kv in self.trees.item_entries.scan_prefix(keys::id_key(id.0)) {
                    ks.push(kv.map_err(|e| self.err(e))?.1.to_vec());
                }
                rerate.push((id, rating, ks));
            }
        }
        let count = plan.entry_count() as u64;
        let new_items = plan.new_item_count() as u64;
        let (first_entry, first_item) = self.commit_unsynced(|tx| {
            if tx.meta().get(PENDING)?.is_some() {
                return Err(TxError::Abort(Rejection::EarlierWriteUnfinished.into()));
            }
            let first_entry = tx.reserve("entry_id", count)?;
            let first_item = tx.reserve("item_id", new_items)?;
            let pending = Pending {
                at: stamp.at,
                who: stamp.who.clone(),
                action,
                entries: (first_entry, first_entry + count),
                items: (first_item, first_item + new_items),
            };
            tx.meta().insert(PENDING, codec::encode_json(&pending))?;
            Ok((first_entry, first_item))
        })?;

        // Whatever stops the write from here on, what it wrote so far is taken out again at
        // once, so a refused or failed change never lingers half-done.
        let written = (|| -> Result<Applied> {
            let mut applied = Applied::default();
            let mut numbers = ItemNumbers::new(plan);
            let (mut next_entry, mut next_item) = (first_entry, first_item);
            let mut batch = Batches::default();
            for group in &plan.groups {
                let item = match &group.target {
                    Target::New { key, fields } => {
                        let year = group
                            .entries
                            .iter()
                            .map(|e| e.date.year())
                            .min()
                            .unwrap_or(2000);
                        let item = Item {
                            id: ItemId(next_item),
                            number: numbers.next(self, year)?,
                            key: key.clone(),
                            title: fields.title.clone(),
                            topic: fields.topic.clone(),
                            service: fields.service.clone(),
                            department: fields.department.clone(),
                            reference: String::new(),
                            status: Default::default(),
                            satisfaction: fields.satisfaction,
                            outcome: None,
                            sensitivity: Default::default(),
                        };
                        next_item += 1;
                        batch.item(&item)?;
                        applied.new_items.push(item.number.clone());
                        item
                    }
                    Target::Existing { id, rate } => {
                        let mut item = self
                            .item(*id)?
                            .ok_or_else(|| self.missing(Missing::Item(*id)))?;
                        item.satisfaction = rate.or(item.satisfaction);
                        item
                    }
                };
                applied.items.push(item.number.clone());
                for new in &group.entries {
                    let entry = Entry {
                        id: EntryId(next_entry),
                        item: item.id,
                        advisor: new.advisor.clone(),
                        date: new.date,
                        minutes: new.minutes,
                        note: new.note.clone(),
                    };
                    next_entry += 1;
                    batch.entry(&entry, &item, &new.fingerprint)?;
                    applied.entries.push(entry.id);
                }
                if batch.len >= CHUNK {
                    std::mem::take(&mut batch).apply(self)?;
                }
            }
            batch.apply(self)?;

            self.commit(|tx| {
            for (year, top) in &numbers.used {
                tx.raise(&format!("item_seq/{year}"), *top)?;
            }
            for (id, rating, entry_keys) in &rerate {
                let Some(v) = tx.items().get(keys::id_key(id.0))? else { continue };
                let mut item: Item =
                    codec::decode_json(&v).ok_or_else(|| TxError::Abort(self.unreadable(Unreadable::ItemRecord)))?;
                item.satisfaction = Some(*rating);
                tx.items().insert(keys::id_key(id.0).as_slice(), codec::encode_json(&item))?;
                for k in entry_keys {
                    if let Some(v) = tx.entries().get(k)? {
                        let mut r =
                            codec::decode_entry(&v).ok_or_else(|| TxError::Abort(self.unreadable(Unreadable::EntryRecord)))?;
                        r.satisfaction = Some(*rating);
                        tx.entries().insert(k.as_slice(), codec::encode_entry(&r))?;
                    }
                }
            }
            // Ranges, not lists: the record stays small however large the import.
            let after = json!({
                "source": source,
                "entries": {"count": count, "first": first_entry, "last": (first_entry + count).saturating_sub(1)},
                "items": {"count": new_items, "first": first_item, "last": (first_item + new_items).saturating_sub(1)},
                "minutes": plan.minutes().0,
                // Items that had no rating and got one from this change: undo takes it back.
                "rated": rerate.iter().map(|(id, rating, _)| json!({"item": id.0, "rating": rating.code()})).collect::<Vec<_>>(),
            });
            tx.audit(stamp, action, json!(null), after)?;
            tx.meta().remove(PENDING)?;
            finally(tx)
        })?;
            Ok(applied)
        })();
        if written.is_err() {
            let _ = self.recover();
        }
        written
    }

    /// Undoes a write that was interrupted before it finished (see [`Store::apply_entries`]):
    /// removes every record in its reserved id ranges and notes the rollback in the audit trail.
    pub(super) fn recover(&self) -> Result<()> {
        let Some(v) = self.trees.meta.get(PENDING).map_err(|e| self.err(e))? else {
            return Ok(());
        };
        let pending: Pending =
            codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::UnfinishedWrite))?;
        let t = &self.trees;
        let mut removed = 0u64;
        for id in pending.entries.0..pending.entries.1 {
            let Some(key) = t
                .entry_index
                .get(keys::id_key(id))
                .map_err(|e| self.err(e))?
            else {
                continue;
            };
            if let Some(v) = t.entries.get(&key).map_err(|e| self.err(e))? {
                let (date, entry_id) = keys::parse_entry_key(&key)
                    .ok_or_else(|| self.unreadable(Unreadable::EntryKey))?;
                let record = codec::decode_entry(&v)
                    .ok_or_else(|| self.unreadable(Unreadable::Entry(EntryId(id))))?;
                if let Some(item) = self.item(ItemId(record.item))? {
                    let entry = record.entry(date, entry_id);
                    let fp = Fingerprint::of(
                        date,
                        &entry.advisor,
                        entry.minutes,
                        &ItemFields::of(&item),
                        &entry.note,
                    );
                    t.fingerprints
                        .remove(keys::fingerprint_key(&fp.0, entry_id))
                        .map_err(|e| self.err(e))?;
                }
                t.item_entries
                    .remove(keys::item_entry_key(ItemId(record.item), entry_id))
                    .map_err(|e| self.err(e))?;
                t.entries.remove(&key).map_err(|e| self.err(e))?;
                removed += 1;
            }
            t.entry_index
                .remove(keys::id_key(id))
                .map_err(|e| self.err(e))?;
        }
        for id in pending.items.0..pending.items.1 {
            if let Some(item) = self.item(ItemId(id))? {
                t.item_refs
                    .remove(item.number.as_bytes())
                    .map_err(|e| self.err(e))?;
                if let Some(key) = &item.key {
                    t.item_refs
                        .remove(key.as_bytes())
                        .map_err(|e| self.err(e))?;
                }
                t.items.remove(keys::id_key(id)).map_err(|e| self.err(e))?;
            }
        }
        let stamp = Stamp {
            at: pending.at,
            who: pending.who.clone(),
        };
        self.commit(|tx| {
            tx.audit(
                &stamp,
                AuditAction::Rollback,
                json!(null),
                json!({"interrupted": pending.action, "entries_removed": removed, "reason": "the write stopped before it finished"}),
            )?;
            tx.meta().remove(PENDING)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An import's journal as the store has always kept it under `meta/pending`.
    const STORED: &str = concat!(
        r#"{"at":"2024-06-30T09:00:05+08:00","who":"王律师","action":"import.entries","#,
        r#""entries":[41,61],"items":[7,9]}"#
    );

    #[test]
    fn the_journal_serializes_to_the_bytes_stored_today() {
        let pending = Pending {
            at: DateTime::parse_from_rfc3339("2024-06-30T09:00:05+08:00").unwrap(),
            who: "王律师".into(),
            action: AuditAction::ImportEntries,
            entries: (41, 61),
            items: (7, 9),
        };
        assert_eq!(
            String::from_utf8(codec::encode_json(&pending)).unwrap(),
            STORED
        );
        let back: Pending = codec::decode_json(STORED.as_bytes()).unwrap();
        assert_eq!(
            (back.at, back.entries, back.items),
            (pending.at, (41, 61), (7, 9))
        );
    }
}
