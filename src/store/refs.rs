//! Where the rows of `item_refs` lead: an item's key as it was given, and the ledger's own
//! number with its `#` (`#2024-0039`). No key begins with `#`, so the two never meet: an
//! office's key `2024-0019` and the ledger's number `#2024-0019` may name different items.

use super::{Result, Store, keys};
use crate::domain::intake::shown_number;
use crate::domain::{Item, ItemId};

/// Items whose rows are rewritten per batch when a schema-1 store is migrated.
const CHUNK: usize = 10_000;

/// The `item_refs` key of an item's number: the number as people type it, with its `#`.
pub(super) fn number_ref(number: &str) -> Vec<u8> {
    shown_number(number).into_bytes()
}

impl Store {
    /// Gives each item's number its `#` row. Schema 1 kept numbers bare, beside the keys, so an
    /// office's key could be taken for a number; the bare row goes unless it is also the
    /// item's own key. Running it again writes the same, so a migration stopped halfway and
    /// run again ends alike.
    pub(super) fn mark_item_numbers(&self) -> Result<()> {
        let t = &self.trees;
        let mut batch = super::table::Batch::default();
        let mut pending = 0;
        for kv in t.items.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            let item: Item = super::codec::decode_json(&v).ok_or_else(|| {
                let id = ItemId(keys::parse_id(&k).unwrap_or(0));
                self.unreadable(super::Unreadable::Item(id))
            })?;
            batch.insert(number_ref(&item.number), &k[..]);
            let bare = t
                .item_refs
                .get(item.number.as_bytes())
                .map_err(|e| self.err(e))?;
            if bare.as_deref() == Some(&k[..]) && item.key.as_deref() != Some(&item.number) {
                batch.remove(item.number.as_bytes());
            }
            pending += 1;
            if pending >= CHUNK {
                let full = std::mem::take(&mut batch);
                t.item_refs
                    .apply_batch(full)
                    .map_err(|e| self.table_err(e))?;
                pending = 0;
            }
        }
        t.item_refs
            .apply_batch(batch)
            .map_err(|e| self.table_err(e))
    }
}
