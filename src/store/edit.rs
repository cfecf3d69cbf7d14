//! Changing what is already in the ledger: editing and deleting entries, undoing the last
//! change, and the running timer. Each is one audited transaction.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::ledger::{write_entry, write_item};
use super::{Result, Stamp, Store, StoreError, Text, Tx, TxError, keys};
use crate::domain::intake::{EntryPlan, Fingerprint, ItemFields, ItemGroup, NewEntry, Target};
use crate::domain::model::{Adoption, ItemStatus, check_text};
use crate::domain::{Entry, EntryId, Item, ItemId, Minutes, Satisfaction};

/// The `meta` key of the running timer.
const TIMER: &[u8] = b"timer";

/// A running timer: who is working on which item since when. Kept in the store, so it
/// survives quitting and restarting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    pub item: ItemId,
    pub advisor: String,
    /// RFC 3339 start time.
    pub started: String,
}

impl Timer {
    /// Minutes from the start to `now`, at least one.
    pub fn elapsed(&self, now: DateTime<FixedOffset>) -> Minutes {
        let started = DateTime::parse_from_rfc3339(&self.started).unwrap_or(now);
        Minutes(
            ((now - started).num_seconds().max(0) as u64)
                .div_ceil(60)
                .max(1),
        )
    }
}

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

/// New values for an entry and its item, as the edit form gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryChange {
    pub date: NaiveDate,
    pub advisor: String,
    pub minutes: Minutes,
    pub note: String,
    pub fields: ItemFields,
}

fn rejected(zh: impl Into<String>, en: impl Into<String>) -> TxError {
    TxError::Abort(StoreError::rejected(zh, en))
}

impl Store {
    pub fn entry(&self, id: EntryId) -> Result<Option<Entry>> {
        let Some(key) = self
            .trees
            .entry_index
            .get(keys::id_key(id.0))
            .map_err(|e| self.err(e))?
        else {
            return Ok(None);
        };
        let Some(v) = self.trees.entries.get(&key).map_err(|e| self.err(e))? else {
            return Err(self.damaged(Text::new(
                format!("记录 #{} 有索引但不存在", id.0),
                format!("entry #{} is indexed but missing", id.0),
            )));
        };
        let (date, id) = keys::parse_entry_key(&key).ok_or_else(|| {
            self.damaged(Text::new(
                "一条记录的键无法读取",
                "an entry key is unreadable",
            ))
        })?;
        let record = codec::decode_entry(&v).ok_or_else(|| {
            self.damaged(Text::new(
                format!("记录 #{} 无法读取", id.0),
                format!("entry #{} is unreadable", id.0),
            ))
        })?;
        Ok(Some(record.entry(date, id)))
    }

    /// The entries of one item, by id.
    pub fn entries_of(&self, item: ItemId) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        for kv in self.trees.item_entries.scan_prefix(keys::id_key(item.0)) {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            let id = keys::parse_id(&k[8..]).ok_or_else(|| {
                self.damaged(Text::new(
                    "一个事项索引键无法读取",
                    "an item index key is unreadable",
                ))
            })?;
            if let Some(e) = self.entry(EntryId(id))? {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Changes an entry and the fields of its item (which every entry of the item shares).
    pub fn update_entry(&self, id: EntryId, change: &EntryChange, stamp: &Stamp) -> Result<()> {
        self.change_entry(id, change, stamp, None)
    }

    /// Sets what the Items screen changes: an item's status, rating and outcome; its entries'
    /// copies of the rating follow.
    pub fn update_item(&self, id: ItemId, state: &ItemState, stamp: &Stamp) -> Result<Item> {
        self.set_item(id, state, stamp, None)
    }

    fn set_item(
        &self,
        id: ItemId,
        state: &ItemState,
        stamp: &Stamp,
        undo: Option<serde_json::Value>,
    ) -> Result<Item> {
        let old = self.item(id)?.ok_or_else(|| {
            StoreError::rejected(
                format!("事项 {} 已不存在：请刷新后重试", id.0),
                format!("item {} no longer exists", id.0),
            )
        })?;
        if let Some(outcome) = &state.outcome {
            check_text("reason", &outcome.reason).map_err(|e| {
                StoreError::rejected(
                    e.message(crate::domain::Lang::Zh),
                    e.message(crate::domain::Lang::En),
                )
            })?;
        }
        let entries = self.entries_of(id)?;
        let mut item = old.clone();
        item.status = state.status;
        item.satisfaction = state.satisfaction;
        item.outcome = state.outcome.clone();
        self.commit(|tx| {
            write_item(tx, &item)?;
            for e in &entries {
                // The rating is not part of an entry's fingerprint, so only the record changes.
                write_entry(tx, e, &item, &fingerprint(e, &item))?;
            }
            match &undo {
                Some(note) => tx.audit(stamp, "undo", json!(null), note.clone()),
                None => tx.audit(
                    stamp,
                    "item.edit",
                    json!({"item": old}),
                    json!({"item": item}),
                ),
            }
        })?;
        Ok(item)
    }

    /// Changes an entry; audited as `entry.edit`, or as the undo described by `undo`.
    fn change_entry(
        &self,
        id: EntryId,
        change: &EntryChange,
        stamp: &Stamp,
        undo: Option<serde_json::Value>,
    ) -> Result<()> {
        let old = self.entry(id)?.ok_or_else(|| {
            StoreError::rejected(
                format!("记录 #{} 已不存在：请刷新后重试", id.0),
                format!("entry #{} no longer exists", id.0),
            )
        })?;
        let old_item = self.item(old.item)?.ok_or_else(|| {
            self.damaged(Text::new(
                "一条记录所属的事项不见了",
                "an entry's item is missing",
            ))
        })?;
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
        let entry = Entry {
            id,
            item: old.item,
            advisor: change.advisor.clone(),
            date: change.date,
            minutes: change.minutes,
            note: change.note.clone(),
        };
        self.commit(|tx| {
            remove_entry(tx, &old, &old_item)?;
            if item != old_item {
                write_item(tx, &item)?;
                for s in &siblings {
                    remove_entry(tx, s, &old_item)?;
                    write_entry(tx, s, &item, &fingerprint(s, &item))?;
                }
            }
            write_entry(tx, &entry, &item, &fingerprint(&entry, &item))?;
            match &undo {
                Some(note) => tx.audit(stamp, "undo", json!(null), note.clone()),
                None => tx.audit(
                    stamp,
                    "entry.edit",
                    json!({"entry": old, "item": old_item}),
                    json!({"entry": entry, "item": item}),
                ),
            }
        })
    }

    /// Deletes an entry; its item goes too when it has no other entry.
    pub fn delete_entry(&self, id: EntryId, stamp: &Stamp) -> Result<Entry> {
        let entry = self.entry(id)?.ok_or_else(|| {
            StoreError::rejected(
                format!("记录 #{} 已不存在：请刷新后重试", id.0),
                format!("entry #{} no longer exists", id.0),
            )
        })?;
        let item = self.item(entry.item)?.ok_or_else(|| {
            self.damaged(Text::new(
                "一条记录所属的事项不见了",
                "an entry's item is missing",
            ))
        })?;
        let last = self.entries_of(item.id)?.iter().all(|e| e.id == id);
        self.commit(|tx| {
            remove_entry(tx, &entry, &item)?;
            if last {
                remove_item(tx, &item)?;
            }
            tx.audit(
                stamp,
                "entry.delete",
                json!({"entry": entry, "item": item, "item_removed": last}),
                json!(null),
            )
        })?;
        Ok(entry)
    }

    /// Undoes the most recent change not yet undone, as a change of its own in the audit trail,
    /// provided it lies within `scope`.
    pub fn undo_last(&self, stamp: &Stamp, scope: &UndoScope) -> Result<Undo> {
        let mut undone = HashSet::new();
        let mut target = None;
        for kv in self.trees.audit.iter().rev() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            let record: super::AuditRecord = codec::decode_json(&v).ok_or_else(|| {
                self.damaged(Text::new(
                    "一条审计记录无法读取",
                    "an audit record is unreadable",
                ))
            })?;
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
                return Err(StoreError::rejected(
                    format!("上一次更改（{other}，{}）无法在此撤销", record.at),
                    format!(
                        "the last change ({other}, {}) cannot be undone here",
                        record.at
                    ),
                ));
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
            .ok_or_else(|| {
                self.damaged(Text::new(
                    format!("审计记录 {} 无法读取", record.seq),
                    format!("audit record {} is unreadable", record.seq),
                ))
            })
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
            return Err(self.damaged(Text::new(
                format!("审计记录 {} 无法读取", record.seq),
                format!("audit record {} is unreadable", record.seq),
            )));
        };
        let mut entries = Vec::new();
        for id in first..first + count {
            if let Some(e) = self.entry(EntryId(id))? {
                let item = self.item(e.item)?.ok_or_else(|| {
                    self.damaged(Text::new(
                        "一条记录所属的事项不见了",
                        "an entry's item is missing",
                    ))
                })?;
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

    /// The sequence number of the newest audit record (0 for none).
    pub fn audit_head(&self) -> Result<u64> {
        match self.trees.audit.last().map_err(|e| self.err(e))? {
            Some((k, _)) => keys::parse_id(&k).ok_or_else(|| {
                self.damaged(Text::new(
                    "一个审计键无法读取",
                    "an audit key is unreadable",
                ))
            }),
            None => Ok(0),
        }
    }

    /// The running timer, if any.
    pub fn timer(&self) -> Result<Option<Timer>> {
        match self.trees.meta.get(TIMER).map_err(|e| self.err(e))? {
            None => Ok(None),
            Some(v) => codec::decode_json(&v).map(Some).ok_or_else(|| {
                self.damaged(Text::new("计时器无法读取", "the timer is unreadable"))
            }),
        }
    }

    /// Starts the timer on an item; a running timer must be stopped first.
    pub fn start_timer(&self, timer: &Timer, stamp: &Stamp) -> Result<()> {
        self.commit(|tx| {
            if tx.meta().get(TIMER)?.is_some() {
                return Err(rejected(
                    "已有计时器在运行：请先停止它（t）",
                    "a timer is already running: stop it first (t)",
                ));
            }
            tx.meta().insert(TIMER, codec::encode_json(timer))?;
            tx.audit(stamp, "timer.start", json!(null), json!(timer))
        })
    }

    /// Stops the timer without logging anything: for a timer started by mistake.
    pub fn cancel_timer(&self, stamp: &Stamp) -> Result<()> {
        self.commit(|tx| {
            let Some(raw) = tx.meta().get(TIMER)? else {
                return Ok(());
            };
            tx.meta().remove(TIMER)?;
            let timer: Option<Timer> = codec::decode_json(&raw);
            tx.audit(stamp, "timer.cancel", json!(timer), json!(null))
        })
    }

    /// Stops the timer: logs the elapsed time, rounded up to `increment` minutes, on the
    /// timer's item, dated `today`.
    pub fn stop_timer(
        &self,
        now: DateTime<FixedOffset>,
        today: NaiveDate,
        increment: u64,
        stamp: &Stamp,
    ) -> Result<(Entry, Minutes)> {
        let timer = self.timer()?.ok_or_else(|| {
            StoreError::rejected(
                "没有正在运行的计时器：请按 t 开始计时",
                "no timer is running: start one with t",
            )
        })?;
        let item = self.item(timer.item)?.ok_or_else(|| {
            StoreError::rejected(
                "计时的事项已不存在：请手动记录时长（a）",
                "the timed item no longer exists",
            )
        })?;
        let minutes = timer
            .elapsed(now)
            .round_up_to(increment)
            .min(crate::domain::duration::DAY);
        let logged = self
            .logged_by_advisor(today)?
            .get(&timer.advisor)
            .copied()
            .unwrap_or_default();
        if logged + minutes > crate::domain::duration::DAY {
            return Err(StoreError::rejected(
                format!(
                    "{} 在 {today} 已记录 {}，再加 {} 小时将超过 24 小时：请手动记录时长（a）",
                    timer.advisor,
                    logged.exact_in(crate::domain::Lang::Zh),
                    minutes.hours()
                ),
                format!(
                    "{} already has {} on {today}; {} more would pass 24 hours: log the time by hand (a)",
                    timer.advisor,
                    logged.exact(),
                    minutes.hours()
                ),
            ));
        }
        let fields = ItemFields::of(&item);
        let new = NewEntry {
            line: 0,
            date: today,
            advisor: timer.advisor.clone(),
            minutes,
            note: String::new(),
            fingerprint: Fingerprint::of(today, &timer.advisor, minutes, &fields, ""),
        };
        let plan = EntryPlan {
            groups: vec![ItemGroup {
                target: Target::Existing {
                    id: item.id,
                    rate: None,
                },
                entries: vec![new],
            }],
            skipped: 0,
        };
        let applied = self.apply_entries_then(&plan, "timer.stop", "timer", stamp, |tx| {
            tx.meta().remove(TIMER)?;
            Ok(())
        })?;
        let id = applied.entries.first().copied().unwrap_or(EntryId(0));
        let entry = self.entry(id)?.ok_or_else(|| {
            self.damaged(Text::new("计时的记录不见了", "the timed entry is missing"))
        })?;
        Ok((entry, minutes))
    }
}

fn fingerprint(e: &Entry, item: &Item) -> Fingerprint {
    Fingerprint::of(
        e.date,
        &e.advisor,
        e.minutes,
        &ItemFields::of(item),
        &e.note,
    )
}

fn remove_entry(tx: &Tx, e: &Entry, item: &Item) -> std::result::Result<(), TxError> {
    let key = keys::entry_key(e.date, e.id);
    tx.entries().remove(key.as_slice())?;
    tx.entry_index().remove(keys::id_key(e.id.0).as_slice())?;
    tx.item_entries()
        .remove(keys::item_entry_key(item.id, e.id).as_slice())?;
    tx.fingerprints()
        .remove(keys::fingerprint_key(&fingerprint(e, item).0, e.id).as_slice())?;
    Ok(())
}

fn remove_item(tx: &Tx, item: &Item) -> std::result::Result<(), TxError> {
    tx.items().remove(keys::id_key(item.id.0).as_slice())?;
    tx.item_refs().remove(item.number.as_bytes())?;
    if let Some(key) = &item.key {
        tx.item_refs().remove(key.as_bytes())?;
    }
    Ok(())
}
