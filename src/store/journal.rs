//! The journal of a write too large for one transaction: the ids it reserved, marked pending
//! until its last transaction, and removed again at the next open when the process stopped
//! partway.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::ident::{self, Kind};
use super::table::Batch;
use super::tx::{Tx, TxError};
use super::{AuditAction, Rejection, Result, Stamp, Store, Unreadable, codec, keys};
use crate::domain::intake::EntryPlan;
use crate::domain::{EntryId, ItemId};

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

/// The ids a journalled write reserved: `entries` entry ids from `first_entry`, `items` item
/// ids from `first_item`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reserved {
    pub(super) first_entry: u64,
    pub(super) entries: u64,
    pub(super) first_item: u64,
    pub(super) items: u64,
    /// The audit number the write's last transaction will take.
    pub(super) seq: u64,
}

/// Clears the pending mark, inside a write's last transaction.
pub(super) fn close_journal(tx: &Tx) -> std::result::Result<(), TxError> {
    tx.meta().remove(PENDING)?;
    Ok(())
}

impl Store {
    /// Reserves the ids the plan's entries and new items will take and marks them pending, in
    /// one transaction. A write still pending (its rollback not yet run) refuses another.
    pub(super) fn start_journal(
        &self,
        stamp: &Stamp,
        action: AuditAction,
        plan: &EntryPlan,
    ) -> Result<Reserved> {
        // Counts of what fits in memory always fit in 64 bits.
        let entries = u64::try_from(plan.entry_count()).unwrap_or(u64::MAX);
        let items = u64::try_from(plan.new_item_count()).unwrap_or(u64::MAX);
        self.commit_unsynced(|tx| {
            if tx.meta().get(PENDING)?.is_some() {
                return Err(TxError::Abort(Rejection::EarlierWriteUnfinished.into()));
            }
            let first_entry = tx.reserve("entry_id", entries)?;
            let first_item = tx.reserve("item_id", items)?;
            let pending = Pending {
                at: stamp.at,
                who: stamp.who.clone(),
                action,
                entries: (first_entry, first_entry + entries),
                items: (first_item, first_item + items),
            };
            tx.meta().insert(PENDING, codec::encode_json(&pending))?;
            Ok(Reserved {
                seq: tx.pending_seq()?,
                first_entry,
                entries,
                first_item,
                items,
            })
        })
    }

    /// True while a write too large for one transaction is under way (or was interrupted and
    /// not yet undone): its records are partly in the trees, its audit record not yet.
    pub(super) fn write_pending(&self) -> Result<bool> {
        self.trees
            .meta
            .contains_key(PENDING)
            .map_err(|e| self.err(e))
    }

    /// Undoes a write that was interrupted before it finished (see [`Store::apply_entries`]):
    /// removes every record in its reserved id ranges and notes the rollback in the audit trail.
    pub(super) fn recover(&self) -> Result<()> {
        let Some(v) = self.trees.meta.get(PENDING).map_err(|e| self.err(e))? else {
            return Ok(());
        };
        let pending: Pending =
            codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::UnfinishedWrite))?;
        let mut removed = 0u64;
        let mut out = Removals::default();
        for id in pending.entries.0..pending.entries.1 {
            if self.remove_written_entry(EntryId(id), &mut out)? {
                removed += 1;
            }
            if out.len >= ROLLBACK_CHUNK {
                std::mem::take(&mut out).apply(self)?;
            }
        }
        // The entries' removals are written before the items' are read: an entry's
        // fingerprint is found through its item.
        std::mem::take(&mut out).apply(self)?;
        for id in pending.items.0..pending.items.1 {
            self.remove_written_item(ItemId(id), &mut out)?;
            if out.len >= ROLLBACK_CHUNK {
                std::mem::take(&mut out).apply(self)?;
            }
        }
        out.apply(self)?;
        let stamp = Stamp {
            at: pending.at,
            who: pending.who.clone(),
        };
        self.commit(|tx| {
            tx.audit(
                &stamp,
                AuditAction::Rollback,
                json!(null),
                json!({
                    "interrupted": pending.action,
                    "entries_removed": removed,
                    "reason": "the write stopped before it finished",
                }),
            )?;
            close_journal(tx)
        })
    }

    /// Gathers the removal of what an interrupted write may have written of entry `id`: the
    /// entry and every index that leads to it. True when the entry itself was there.
    fn remove_written_entry(&self, id: EntryId, out: &mut Removals) -> Result<bool> {
        let t = &self.trees;
        // An entry may have its identity and nothing else yet, or everything but it (a large
        // write gathers the identities to write them last).
        self.forget_ident(Kind::Entry, &keys::id_key(id.0), out)?;
        let Some(key) = t
            .entry_index
            .get(keys::id_key(id.0))
            .map_err(|e| self.err(e))?
        else {
            return Ok(false);
        };
        let found = t.entries.get(&key).map_err(|e| self.err(e))?;
        if let Some(v) = &found {
            let (date, entry_id) =
                keys::parse_entry_key(&key).ok_or_else(|| self.unreadable(Unreadable::EntryKey))?;
            let record =
                codec::decode_entry(v).ok_or_else(|| self.unreadable(Unreadable::Entry(id)))?;
            let entry = record.entry(date, entry_id);
            if let Some(item) = self.item(entry.item)? {
                let fp = super::write::fingerprint(&entry, &item);
                out.fingerprints
                    .remove(keys::fingerprint_key(&fp.0, entry_id));
            }
            out.item_entries
                .remove(keys::item_entry_key(entry.item, entry_id));
            out.entries.remove(&key);
        }
        out.entry_index.remove(keys::id_key(id.0));
        out.len += 1;
        Ok(found.is_some())
    }

    /// Gathers the removal of an item an interrupted write created, with its number and key.
    fn remove_written_item(&self, id: ItemId, out: &mut Removals) -> Result<()> {
        if let Some(item) = self.item(id)? {
            out.item_refs.remove(super::refs::number_ref(&item.number));
            if let Some(key) = &item.key {
                out.item_refs.remove(key.as_bytes());
            }
            out.items.remove(keys::id_key(id.0));
        }
        // Its cells went in with it; the groups' figures only with the last transaction.
        out.tallies.remove(super::tallies::item_key(id.0));
        out.len += 1;
        self.forget_ident(Kind::Item, &keys::id_key(id.0), out)
    }

    /// Gathers the removal of the identity an interrupted write gave a record it never
    /// finished writing.
    fn forget_ident(&self, kind: Kind, key: &[u8], out: &mut Removals) -> Result<()> {
        let local = ident::local_key(kind, key);
        if let Some((gid, _)) = self.gid_at(&local)? {
            out.ids.remove(gid.to_be_bytes());
            out.local_ids.remove(&local);
        }
        Ok(())
    }
}

/// Records gathered per tree before a rollback writes them.
const ROLLBACK_CHUNK: usize = 10_000;

/// The removals of a rollback, a batch per tree (a block of a packed tree is rewritten once per
/// batch, not once per record).
#[derive(Default)]
struct Removals {
    ids: Batch,
    local_ids: Batch,
    fingerprints: Batch,
    item_entries: Batch,
    entries: Batch,
    entry_index: Batch,
    item_refs: Batch,
    tallies: Batch,
    items: Batch,
    len: usize,
}

impl Removals {
    /// Writes the removals in an order a rollback stopped halfway can take up again: what
    /// hangs off an entry, then the entry, then the index it is found by; an item's
    /// references and cells, then the item.
    fn apply(self, store: &Store) -> Result<()> {
        let t = &store.trees;
        for (tree, batch) in [
            (&t.ids, self.ids),
            (&t.local_ids, self.local_ids),
            (&t.fingerprints, self.fingerprints),
            (&t.item_entries, self.item_entries),
            (&t.entries, self.entries),
            (&t.entry_index, self.entry_index),
            (&t.item_refs, self.item_refs),
            (&t.tallies, self.tallies),
            (&t.items, self.items),
        ] {
            tree.apply_batch(batch).map_err(|e| store.table_err(e))?;
        }
        Ok(())
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
