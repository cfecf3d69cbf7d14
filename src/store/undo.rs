//! Undoing the most recent change, as a change of its own in the audit trail.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};

use super::closing::refuse_closed_in;
use super::edit::EntryChange;
use super::write::{fingerprint, remove_entry, remove_item, write_entry, write_item};
use super::{AuditAction, AuditRecord, ItemState, Missing, Rejection, Result, Stamp, Store};
use super::{Unreadable, codec};
use crate::domain::intake::ItemFields;
use crate::domain::{Entry, EntryId, Item, ItemId};

/// Which changes an undo may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoScope {
    /// Only changes with an audit sequence number above this (e.g. those of this session).
    pub after: u64,
    /// The actions that may be undone.
    pub actions: &'static [AuditAction],
}

impl UndoScope {
    /// What the interface undoes: its own entry changes, never an import.
    pub const ENTRIES: &'static [AuditAction] = &[
        AuditAction::EntryAdd,
        AuditAction::EntryEdit,
        AuditAction::EntryDelete,
        AuditAction::ItemEdit,
        AuditAction::TimerStop,
    ];
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// This action was undone.
    Done(AuditAction),
    /// Nothing in scope is left to undo.
    Nothing,
    /// The most recent change is of a kind the scope excludes (an import, say).
    Refused {
        action: AuditAction,
        at: DateTime<FixedOffset>,
    },
}

impl Store {
    /// Undoes the most recent change not yet undone, as a change of its own in the audit trail,
    /// provided it lies within `scope`.
    pub fn undo_last(&self, stamp: &Stamp, scope: &UndoScope) -> Result<Undo> {
        let Some(record) = self.last_undoable()? else {
            return Ok(Undo::Nothing);
        };
        if record.seq <= scope.after {
            return Ok(Undo::Nothing);
        }
        if !scope.actions.contains(&record.action) {
            return Ok(Undo::Refused {
                action: record.action,
                at: record.at,
            });
        }
        let note = json!({"undoes": record.seq, "action": record.action});
        match record.action {
            AuditAction::EntryAdd | AuditAction::ImportEntries | AuditAction::TimerStop => {
                self.undo_added(&record, &note, stamp)?;
            }
            AuditAction::ItemEdit => {
                let item: Item = self.before(&record, "item")?;
                self.set_item(item.id, &ItemState::of(&item), stamp, Some(&note))?;
            }
            AuditAction::EntryEdit => self.undo_edit(&record, &note, stamp)?,
            AuditAction::EntryDelete => self.undo_delete(&record, &note, stamp)?,
            other => {
                return Err(Rejection::CannotUndo {
                    action: other,
                    at: record.at,
                }
                .into());
            }
        }
        Ok(Undo::Done(record.action))
    }

    /// The newest change that is neither an undo, nor undone, nor a change of the timer alone
    /// or a rollback (which undo passes over).
    fn last_undoable(&self) -> Result<Option<AuditRecord>> {
        let mut undone = HashSet::new();
        for kv in self.trees.audit.iter().rev() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            let record: AuditRecord =
                codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::AuditRecord))?;
            match record.action {
                AuditAction::Undo => {
                    if let Some(seq) = record.after.get("undoes").and_then(|s| s.as_u64()) {
                        undone.insert(seq);
                    }
                }
                AuditAction::TimerStart
                | AuditAction::TimerCancel
                | AuditAction::Rollback
                | AuditAction::Migrate
                | AuditAction::PeerAdd
                | AuditAction::PeerEdit
                | AuditAction::PeerRemove
                | AuditAction::BundleWrite
                | AuditAction::StoreName => {}
                _ if undone.contains(&record.seq) => {}
                _ => return Ok(Some(record)),
            }
        }
        Ok(None)
    }

    /// Puts an edited entry (and its item) back as they were before the edit.
    fn undo_edit(&self, record: &AuditRecord, note: &Value, stamp: &Stamp) -> Result<()> {
        let (entry, item): (Entry, Item) =
            (self.before(record, "entry")?, self.before(record, "item")?);
        let change = EntryChange {
            date: entry.date,
            advisor: entry.advisor.clone(),
            minutes: entry.minutes,
            note: entry.note.clone(),
            fields: ItemFields::of(&item),
        };
        self.change_entry(entry.id, &change, stamp, Some(note))
    }

    /// Puts a deleted entry back, and its item when the deletion removed it.
    fn undo_delete(&self, record: &AuditRecord, note: &Value, stamp: &Stamp) -> Result<()> {
        let (entry, item): (Entry, Item) =
            (self.before(record, "entry")?, self.before(record, "item")?);
        let removed = record
            .before
            .get("item_removed")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        self.commit(|tx| {
            refuse_closed_in(tx, [entry.date])?;
            if removed {
                write_item(tx, &item)?;
            }
            write_entry(tx, &entry, &item, &fingerprint(&entry, &item))?;
            tx.audit(stamp, AuditAction::Undo, json!(null), note.clone())
        })
    }

    /// A value an audit record kept from before its change.
    fn before<T: serde::de::DeserializeOwned>(
        &self,
        record: &AuditRecord,
        field: &str,
    ) -> Result<T> {
        record
            .before
            .get(field)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .ok_or_else(|| self.unreadable(Unreadable::Audit(record.seq)))
    }

    /// Removes the entries (and new items) that an add or import created, and takes back the
    /// ratings it gave.
    fn undo_added(&self, record: &AuditRecord, note: &Value, stamp: &Stamp) -> Result<()> {
        let range = &record.after["entries"];
        let (Some(first), Some(count)) = (range["first"].as_u64(), range["count"].as_u64()) else {
            return Err(self.unreadable(Unreadable::Audit(record.seq)));
        };
        let mut entries = Vec::new();
        for id in first..first + count {
            if let Some(e) = self.entry(EntryId(id))? {
                let item = self
                    .item(e.item)?
                    .ok_or_else(|| self.missing(Missing::ItemOfEntry))?;
                entries.push((e, item));
            }
        }
        let mut new_items = Vec::new();
        let items = &record.after["items"];
        if let (Some(first), Some(count)) = (items["first"].as_u64(), items["count"].as_u64()) {
            for id in first..first + count {
                if let Some(item) = self.item(ItemId(id))? {
                    new_items.push(item);
                }
            }
        }
        let unrate = self.ratings_given(record, &entries, &new_items)?;
        self.commit(|tx| {
            refuse_closed_in(tx, entries.iter().map(|(e, _)| e.date))?;
            for (e, item) in &entries {
                remove_entry(tx, e, item)?;
            }
            for item in &new_items {
                remove_item(tx, item)?;
            }
            for (item, rest) in &unrate {
                write_item(tx, item)?;
                for e in rest {
                    write_entry(tx, e, item, &fingerprint(e, item))?;
                }
            }
            tx.audit(stamp, AuditAction::Undo, json!(null), note.clone())
        })
    }

    /// The items an add or import rated that were there before it, unrated again, each with
    /// its entries that stay (whose copies of the rating follow).
    fn ratings_given(
        &self,
        record: &AuditRecord,
        removed: &[(Entry, Item)],
        new_items: &[Item],
    ) -> Result<Vec<(Item, Vec<Entry>)>> {
        let removed: HashSet<EntryId> = removed.iter().map(|(e, _)| e.id).collect();
        let mut unrate = Vec::new();
        for rated in record.after["rated"].as_array().into_iter().flatten() {
            let Some(id) = rated["item"].as_u64().map(ItemId) else {
                continue;
            };
            if new_items.iter().any(|i| i.id == id) {
                continue;
            }
            if let Some(mut item) = self.item(id)? {
                item.satisfaction = None;
                let rest: Vec<Entry> = self
                    .entries_of(id)?
                    .into_iter()
                    .filter(|e| !removed.contains(&e.id))
                    .collect();
                unrate.push((item, rest));
            }
        }
        Ok(unrate)
    }
}
