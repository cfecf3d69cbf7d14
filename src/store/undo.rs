//! Undoing the most recent change, as a change of its own in the audit trail.

use std::collections::HashSet;

use serde_json::json;

use super::edit::EntryChange;
use super::write::{fingerprint, remove_entry, remove_item, write_entry, write_item};
use super::{ItemState, Missing, Rejection, Result, Stamp, Store, Unreadable, codec};
use crate::domain::import::ItemFields;
use crate::domain::{Entry, EntryId, Item, ItemId};

/// Which changes an undo may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoScope {
    /// Only changes with an audit sequence number above this (e.g. those of this session).
    pub after: u64,
    /// The actions that may be undone (`entry.add`, `entry.edit`, …).
    pub actions: &'static [&'static str],
}

impl UndoScope {
    /// What the interface undoes: its own entry changes, never an import.
    pub const ENTRIES: &'static [&'static str] = &[
        "entry.add",
        "entry.edit",
        "entry.delete",
        "item.edit",
        "timer.stop",
    ];
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// This action was undone.
    Done(String),
    /// Nothing in scope is left to undo.
    Nothing,
    /// The most recent change is of a kind the scope excludes (an import, say).
    Refused { action: String, at: String },
}

impl Store {
    /// Undoes the most recent change not yet undone, as a change of its own in the audit trail,
    /// provided it lies within `scope`.
    pub fn undo_last(&self, stamp: &Stamp, scope: &UndoScope) -> Result<Undo> {
        let mut undone = HashSet::new();
        let mut target = None;
        for kv in self.trees.audit.iter().rev() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            let record: super::AuditRecord =
                codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::AuditRecord))?;
            match record.action.as_str() {
                "undo" => {
                    if let Some(seq) = record.after.get("undoes").and_then(|s| s.as_u64()) {
                        undone.insert(seq);
                    }
                }
                "timer.start" | "timer.cancel" | "rollback" => {}
                _ if undone.contains(&record.seq) => {}
                _ => {
                    target = Some(record);
                    break;
                }
            }
        }
        let Some(record) = target else {
            return Ok(Undo::Nothing);
        };
        if record.seq <= scope.after {
            return Ok(Undo::Nothing);
        }
        if !scope.actions.contains(&record.action.as_str()) {
            return Ok(Undo::Refused {
                action: record.action,
                at: record.at,
            });
        }
        let note = json!({"undoes": record.seq, "action": record.action});
        match record.action.as_str() {
            "entry.add" | "import.entries" | "timer.stop" => {
                self.undo_added(&record, note, stamp)?
            }
            "item.edit" => {
                let item: Item = self.before(&record, "item")?;
                self.set_item(item.id, &ItemState::of(&item), stamp, Some(note))?;
            }
            "entry.edit" => {
                let (entry, item): (Entry, Item) = (
                    self.before(&record, "entry")?,
                    self.before(&record, "item")?,
                );
                let change = EntryChange {
                    date: entry.date,
                    advisor: entry.advisor.clone(),
                    minutes: entry.minutes,
                    note: entry.note.clone(),
                    fields: ItemFields::of(&item),
                };
                self.change_entry(entry.id, &change, stamp, Some(note))?;
            }
            "entry.delete" => {
                let (entry, item): (Entry, Item) = (
                    self.before(&record, "entry")?,
                    self.before(&record, "item")?,
                );
                let removed = record
                    .before
                    .get("item_removed")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false);
                self.commit(|tx| {
                    if removed {
                        write_item(tx, &item)?;
                    }
                    write_entry(tx, &entry, &item, &fingerprint(&entry, &item))?;
                    tx.audit(stamp, "undo", json!(null), note.clone())
                })?;
            }
            other => {
                return Err(Rejection::CannotUndo {
                    action: other.to_string(),
                    at: record.at,
                }
                .into());
            }
        }
        Ok(Undo::Done(record.action))
    }

    /// A value an audit record kept from before its change.
    fn before<T: serde::de::DeserializeOwned>(
        &self,
        record: &super::AuditRecord,
        field: &str,
    ) -> Result<T> {
        record
            .before
            .get(field)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .ok_or_else(|| self.unreadable(Unreadable::Audit(record.seq)))
    }

    /// Removes the entries (and new items) that an add or import created.
    fn undo_added(
        &self,
        record: &super::AuditRecord,
        note: serde_json::Value,
        stamp: &Stamp,
    ) -> Result<()> {
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
        // Items this change rated go back to unrated, with their remaining entries' copies.
        let removed: std::collections::HashSet<EntryId> =
            entries.iter().map(|(e, _)| e.id).collect();
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
        self.commit(|tx| {
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
            tx.audit(stamp, "undo", json!(null), note.clone())
        })
    }
}
