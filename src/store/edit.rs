//! Changing what is already in the ledger: editing and deleting entries and items.

use chrono::NaiveDate;
use serde_json::json;

use super::closing::refuse_closed_in;
use super::write::{fingerprint, remove_entry, remove_item, write_entry, write_item};
use super::{AuditAction, Kind, Missing, Rejection, Result, Stamp, Store, keys};
use crate::domain::intake::ItemFields;
use crate::domain::model::{Adoption, ItemStatus, TextField, check_text};
use crate::domain::{Entry, EntryId, Item, ItemId, Minutes, Satisfaction};

/// What the Items screen changes on an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemState {
    pub status: ItemStatus,
    pub satisfaction: Option<Satisfaction>,
    pub outcome: Option<Adoption>,
}

impl ItemState {
    pub fn of(item: &Item) -> ItemState {
        ItemState {
            status: item.status,
            satisfaction: item.satisfaction,
            outcome: item.outcome.clone(),
        }
    }
}

/// New values for an entry and its item, as the edit form gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryChange {
    pub date: NaiveDate,
    pub advisor: String,
    pub minutes: Minutes,
    pub note: String,
    pub fields: ItemFields,
}

impl Store {
    /// Changes an entry and the fields of its item (which every entry of the item shares).
    pub fn update_entry(&self, id: EntryId, change: &EntryChange, stamp: &Stamp) -> Result<()> {
        self.change_entry(id, change, stamp, None)
    }

    /// Sets what the Items screen changes: an item's status, rating and outcome; its entries'
    /// copies of the rating follow.
    pub fn update_item(&self, id: ItemId, state: &ItemState, stamp: &Stamp) -> Result<Item> {
        self.set_item(id, state, stamp, None)
    }

    pub(super) fn set_item(
        &self,
        id: ItemId,
        state: &ItemState,
        stamp: &Stamp,
        undo: Option<&serde_json::Value>,
    ) -> Result<Item> {
        let old = self.item(id)?.ok_or(Rejection::ItemGone(id))?;
        if let Some(outcome) = &state.outcome {
            check_text(TextField::Reason, &outcome.reason).map_err(Rejection::Field)?;
        }
        self.our_item(&old)?;
        let entries = self.entries_of(id)?;
        // A rating counts in the satisfaction figures of every month the item has entries in:
        // a closed month's would change after filing.
        if state.satisfaction != old.satisfaction {
            self.refuse_closed(entries.iter().map(|e| e.date))?;
        }
        let mut item = old.clone();
        item.status = state.status;
        item.satisfaction = state.satisfaction;
        item.outcome = state.outcome.clone();
        self.commit(|tx| {
            write_item(tx, &item)?;
            // The rating is not part of an entry's fingerprint, so only the record changes; nor
            // is it the entry's own, so the entries keep their revisions.
            tx.untracked(|| {
                entries
                    .iter()
                    .try_for_each(|e| write_entry(tx, e, &item, &fingerprint(e, &item)))
            })?;
            match undo {
                Some(note) => tx.audit(stamp, AuditAction::Undo, json!(null), note.clone()),
                None => tx.audit(
                    stamp,
                    AuditAction::ItemEdit,
                    json!({"item": old}),
                    json!({"item": item}),
                ),
            }
        })?;
        Ok(item)
    }

    /// Changes an entry; audited as `entry.edit`, or as the undo described by `undo`.
    pub(super) fn change_entry(
        &self,
        id: EntryId,
        change: &EntryChange,
        stamp: &Stamp,
        undo: Option<&serde_json::Value>,
    ) -> Result<()> {
        let old = self.entry(id)?.ok_or(Rejection::EntryGone(id))?;
        self.ours(id)?;
        if self.is_corrected(id)? {
            return Err(Rejection::Corrected { entry: id }.into());
        }
        let old_item = self
            .item(old.item)?
            .ok_or_else(|| self.missing(Missing::ItemOfEntry))?;
        let siblings: Vec<Entry> = self
            .entries_of(old.item)?
            .into_iter()
            .filter(|e| e.id != id)
            .collect();
        let mut item = old_item.clone();
        item.title = change.fields.title.clone();
        item.topic = change.fields.topic.clone();
        item.service = change.fields.service.clone();
        item.department = change.fields.department.clone();
        item.satisfaction = change.fields.satisfaction;
        if item != old_item {
            self.our_item(&old_item)?;
        }
        let entry = Entry {
            id,
            item: old.item,
            advisor: change.advisor.clone(),
            date: change.date,
            minutes: change.minutes,
            note: change.note.clone(),
        };
        // A changed item rewrites its other entries too, and with them their months' figures.
        let touched = siblings.iter().filter(|_| item != old_item);
        let dates = [old.date, entry.date];
        self.commit(|tx| {
            refuse_closed_in(tx, dates.into_iter().chain(touched.clone().map(|s| s.date)))?;
            remove_entry(tx, &old, &old_item)?;
            if item != old_item {
                write_item(tx, &item)?;
                // The siblings' copies of the item's fields follow; the entries themselves,
                // and so their revisions, do not change.
                tx.untracked(|| {
                    siblings.iter().try_for_each(|s| {
                        remove_entry(tx, s, &old_item)?;
                        write_entry(tx, s, &item, &fingerprint(s, &item))
                    })
                })?;
            }
            write_entry(tx, &entry, &item, &fingerprint(&entry, &item))?;
            match undo {
                Some(note) => tx.audit(stamp, AuditAction::Undo, json!(null), note.clone()),
                None => tx.audit(
                    stamp,
                    AuditAction::EntryEdit,
                    json!({"entry": old, "item": old_item}),
                    json!({"entry": entry, "item": item}),
                ),
            }
        })
    }

    /// Why entry `id` may not be edited here, if it may not: another store's, or corrected.
    pub fn may_edit(&self, id: EntryId) -> Result<()> {
        self.ours(id)?;
        if let Some(e) = self.entry(id)? {
            self.refuse_closed([e.date])?;
        }
        if self.is_corrected(id)? {
            return Err(Rejection::Corrected { entry: id }.into());
        }
        Ok(())
    }

    /// Why entry `id` may not be deleted here, if it may not: another store's.
    pub fn may_delete(&self, id: EntryId) -> Result<()> {
        self.ours(id)?;
        match self.entry(id)? {
            Some(e) => self.refuse_closed([e.date]),
            None => Ok(()),
        }
    }

    /// Refuses a change of an entry that another store created: only its origin changes it.
    fn ours(&self, id: EntryId) -> Result<()> {
        match self.ident_of(Kind::Entry, &keys::id_key(id.0))? {
            Some((_, ident)) if ident.origin != self.me => Err(Rejection::NotOurs {
                entry: id,
                origin: self.store_name_of(ident.origin)?,
            }
            .into()),
            _ => Ok(()),
        }
    }

    /// Refuses a change of an item that another store created: only its origin changes it.
    fn our_item(&self, item: &Item) -> Result<()> {
        match self.ident_of(Kind::Item, &keys::id_key(item.id.0))? {
            Some((_, ident)) if ident.origin != self.me => Err(Rejection::ItemNotOurs {
                number: item.number.clone(),
                origin: self.store_name_of(ident.origin)?,
            }
            .into()),
            _ => Ok(()),
        }
    }

    /// Deletes an entry; its item goes too when it has no other entry.
    pub fn delete_entry(&self, id: EntryId, stamp: &Stamp) -> Result<Entry> {
        let entry = self.entry(id)?.ok_or(Rejection::EntryGone(id))?;
        self.ours(id)?;
        let item = self
            .item(entry.item)?
            .ok_or_else(|| self.missing(Missing::ItemOfEntry))?;
        let last = self.entries_of(item.id)?.iter().all(|e| e.id == id);
        self.commit(|tx| {
            refuse_closed_in(tx, [entry.date])?;
            remove_entry(tx, &entry, &item)?;
            if last {
                remove_item(tx, &item)?;
            }
            tx.audit(
                stamp,
                AuditAction::EntryDelete,
                json!({"entry": entry, "item": item, "item_removed": last}),
                json!(null),
            )
        })?;
        Ok(entry)
    }
}
