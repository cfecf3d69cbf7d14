//! Reading and changing the ledger: advisors, items, entries and their indexes, each change one
//! transaction with its audit record.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec::{self, EntryRecord};
use super::keys;
use super::{Result, Stamp, Store, StoreError, Text, Tx, TxError};
use crate::domain::intake::{
    AdvisorPlan, EntryPlan, Fingerprint, ItemFields, LedgerView, Target, id_alike_message,
};
use crate::domain::model::{AdvisorChange, id_alike};
use crate::domain::{
    Advisor, Catalog, CatalogEntry, CatalogKind, Entry, EntryId, Fact, Item, ItemId, Lang, Minutes,
    Period, Satisfaction,
};

pub(super) fn catalog_key(kind: CatalogKind, code: &str) -> Vec<u8> {
    let mut k = kind.name().as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(code.as_bytes());
    k
}

/// Entries written per batch in [`Store::apply_entries`].
const CHUNK: usize = 1_000;

/// The `meta` key of an unfinished write.
const PENDING: &[u8] = b"pending";

/// An unfinished write: the id ranges `[from, to)` it reserved, so it can be undone.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    at: String,
    who: String,
    action: String,
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
        return Err(super::too_large(value.len()));
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
            .insert(department_key(&item.department), &[][..]);
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
    /// Every advisor, by id.
    pub fn advisors(&self) -> Result<HashMap<String, Advisor>> {
        let mut out = HashMap::new();
        for kv in self.trees.advisors.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            let a: Advisor = codec::decode_json(&v).ok_or_else(|| {
                self.damaged(Text::new(
                    "一条顾问记录无法读取",
                    "an advisor record is unreadable",
                ))
            })?;
            out.insert(a.id.clone(), a);
        }
        Ok(out)
    }

    /// The topic or service-type catalog.
    /// Adds a topic or service type of the user's own, in one audited transaction
    /// (`catalog.add`); one that clashes with an entry already there is refused.
    pub fn add_catalog_entry(
        &self,
        kind: CatalogKind,
        entry: &CatalogEntry,
        stamp: &Stamp,
    ) -> Result<()> {
        if let Err(e) = self.catalog(kind)?.check_new(entry) {
            return Err(StoreError::rejected(
                e.message(Lang::Zh),
                e.message(Lang::En),
            ));
        }
        self.commit(|tx| {
            tx.catalogs()
                .insert(catalog_key(kind, &entry.code), codec::encode_json(entry))?;
            tx.audit(
                stamp,
                "catalog.add",
                json!(null),
                json!({"kind": kind.name(), "entry": entry}),
            )
        })
    }

    pub fn catalog(&self, kind: CatalogKind) -> Result<Catalog> {
        let mut prefix = kind.name().as_bytes().to_vec();
        prefix.push(0);
        let mut entries = Vec::new();
        for kv in self.trees.catalogs.scan_prefix(&prefix) {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            let e: CatalogEntry = codec::decode_json(&v).ok_or_else(|| {
                self.damaged(Text::new(
                    "一条目录记录无法读取",
                    "a catalog record is unreadable",
                ))
            })?;
            entries.push(e);
        }
        // Keep the shipped order (the order of the assets), then the user's additions by code.
        let defaults = kind.defaults();
        let rank = |code: &str| {
            defaults
                .entries
                .iter()
                .position(|d| d.code == code)
                .unwrap_or(usize::MAX)
        };
        entries.sort_by(|a, b| {
            rank(&a.code)
                .cmp(&rank(&b.code))
                .then_with(|| a.code.cmp(&b.code))
        });
        Ok(Catalog { kind, entries })
    }

    pub fn item(&self, id: ItemId) -> Result<Option<Item>> {
        match self
            .trees
            .items
            .get(keys::id_key(id.0))
            .map_err(|e| self.err(e))?
        {
            None => Ok(None),
            Some(v) => codec::decode_json(&v).map(Some).ok_or_else(|| {
                self.damaged(Text::new(
                    format!("事项 {} 无法读取", id.0),
                    format!("item {} is unreadable", id.0),
                ))
            }),
        }
    }

    /// The item a key (the CSV `item` column) or a number (`2024-0019`) refers to.
    pub fn item_by_ref(&self, reference: &str) -> Result<Option<Item>> {
        match self
            .trees
            .item_refs
            .get(reference.trim().as_bytes())
            .map_err(|e| self.err(e))?
        {
            None => Ok(None),
            Some(v) => {
                let id = keys::parse_id(&v).ok_or_else(|| {
                    self.damaged(Text::new(
                        "一个事项引用无法读取",
                        "an item reference is unreadable",
                    ))
                })?;
                self.item(ItemId(id))
            }
        }
    }

    /// Calls `f` on each entry of the days `from..=to`, in date order, as (entry, record).
    /// Stops at the first error: nothing continues reading a store that failed once.
    pub(super) fn scan(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut f: impl FnMut(NaiveDate, EntryId, EntryRecord),
    ) -> Result<()> {
        let (lo, hi) = keys::entry_range(from, to);
        for kv in self.trees.entries.range(lo..=hi) {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            let (date, id) = keys::parse_entry_key(&k).ok_or_else(|| {
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
            f(date, id, record);
        }
        Ok(())
    }

    /// Calls `f` on the fact behind each entry in the period: what tallies read.
    pub fn for_each_fact(&self, period: Period, mut f: impl FnMut(&Fact)) -> Result<()> {
        self.scan(period.from, period.to, |date, _, r| f(&r.into_fact(date)))
    }

    /// The entries of a period, oldest first.
    pub fn entries(&self, period: Period) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        self.scan(period.from, period.to, |date, id, r| {
            out.push(r.entry(date, id))
        })?;
        Ok(out)
    }

    /// Every entry in the store, oldest first.
    pub fn all_entries(&self) -> Result<Vec<Entry>> {
        let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN);
        let mut out = Vec::new();
        self.scan(first, NaiveDate::MAX, |date, id, r| {
            out.push(r.entry(date, id))
        })?;
        Ok(out)
    }

    /// Every requesting department an item has named, in order.
    pub fn departments(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for kv in self.trees.catalogs.scan_prefix(DEPARTMENT_PREFIX) {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            out.push(String::from_utf8_lossy(&k[DEPARTMENT_PREFIX.len()..]).into_owned());
        }
        Ok(out)
    }

    /// Every item, by internal id.
    pub fn items(&self) -> Result<Vec<Item>> {
        let mut out = Vec::new();
        for kv in self.trees.items.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            out.push(codec::decode_json(&v).ok_or_else(|| {
                self.damaged(Text::new(
                    "一条事项记录无法读取",
                    "an item record is unreadable",
                ))
            })?);
        }
        Ok(out)
    }

    /// Minutes each advisor has logged on one day.
    pub fn logged_by_advisor(&self, date: NaiveDate) -> Result<HashMap<String, Minutes>> {
        let mut out: HashMap<String, Minutes> = HashMap::new();
        self.scan(date, date, |_, _, r| {
            *out.entry(r.advisor).or_default() += Minutes(r.minutes)
        })?;
        Ok(out)
    }

    fn fingerprint_count(&self, fp: &Fingerprint) -> Result<u64> {
        let mut n = 0;
        for kv in self.trees.fingerprints.scan_prefix(fp.0) {
            kv.map_err(|e| self.err(e))?;
            n += 1;
        }
        Ok(n)
    }

    /// True when the store holds no advisors, items or entries.
    pub fn is_empty(&self) -> Result<bool> {
        for tree in [&self.trees.advisors, &self.trees.items, &self.trees.entries] {
            if tree
                .iter()
                .next()
                .transpose()
                .map_err(|e| self.err(e))?
                .is_some()
            {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The audit trail, oldest first.
    pub fn audit_trail(&self) -> Result<Vec<super::AuditRecord>> {
        let mut out = Vec::new();
        for kv in self.trees.audit.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            out.push(codec::decode_json(&v).ok_or_else(|| {
                self.damaged(Text::new(
                    "一条审计记录无法读取",
                    "an audit record is unreadable",
                ))
            })?);
        }
        Ok(out)
    }

    /// Adds one advisor; an id already in use is refused.
    pub fn add_advisor(&self, advisor: &Advisor, stamp: &Stamp) -> Result<()> {
        // Ids ignore letter case: `a001` beside `A001` would split one person's entries.
        if let Some(old) = id_alike(self.advisors()?.values(), &advisor.id) {
            return Err(StoreError::rejected(
                id_alike_message(&advisor.id, &old.id, &old.name, Lang::Zh),
                id_alike_message(&advisor.id, &old.id, &old.name, Lang::En),
            ));
        }
        self.commit(|tx| {
            if tx.advisors().get(advisor.id.as_bytes())?.is_some() {
                return Err(TxError::Abort(StoreError::rejected(
                    format!(
                        "顾问编号 {} 已被使用：请换一个编号（见 `counsel-log advisor list`）",
                        advisor.id
                    ),
                    format!(
                        "advisor id {} is already in use: choose another id (see `counsel-log advisor list`)",
                        advisor.id
                    ),
                )));
            }
            tx.advisors().insert(advisor.id.as_bytes(), codec::encode_json(advisor))?;
            tx.audit(stamp, "advisor.add", json!(null), json!(advisor))
        })
    }

    /// Changes one advisor's name, category, unit or active flag in one audited transaction
    /// (`advisor.edit`, the advisor before and after). An unknown id, or a change that changes
    /// nothing, is refused and writes nothing. Returns the advisor before and after.
    pub fn update_advisor(
        &self,
        id: &str,
        change: &AdvisorChange,
        stamp: &Stamp,
    ) -> Result<(Advisor, Advisor)> {
        self.commit(|tx| {
            let Some(v) = tx.advisors().get(id.as_bytes())? else {
                return Err(TxError::Abort(StoreError::rejected(
                    format!("没有编号为 {id} 的顾问：请用 `counsel-log advisor list` 查看编号"),
                    format!("there is no advisor {id}: see the ids with `counsel-log advisor list`"),
                )));
            };
            let before: Advisor = codec::decode_json(&v).ok_or_else(|| {
                TxError::Abort(self.damaged(Text::new(
                    format!("顾问 {id} 的记录无法读取"),
                    format!("advisor {id}'s record is unreadable"),
                )))
            })?;
            let after = change.apply(&before);
            if after == before {
                return Err(TxError::Abort(StoreError::rejected(
                    format!("顾问 {id} 已是这些信息，没有需要修改的内容：请给出不同的值"),
                    format!("advisor {id} already has these values, so nothing was changed: give a different value"),
                )));
            }
            tx.advisors()
                .insert(id.as_bytes(), codec::encode_json(&after))?;
            tx.audit(stamp, "advisor.edit", json!(before), json!(after))?;
            Ok((before.clone(), after.clone()))
        })
    }

    /// Adds the advisors of an import plan, all or none.
    pub fn apply_advisors(&self, plan: &AdvisorPlan, source: &str, stamp: &Stamp) -> Result<()> {
        if plan.new.is_empty() {
            return Ok(());
        }
        let existing = self.advisors()?;
        for a in &plan.new {
            if let Some(old) = id_alike(existing.values(), &a.id) {
                return Err(StoreError::rejected(
                    id_alike_message(&a.id, &old.id, &old.name, Lang::Zh),
                    id_alike_message(&a.id, &old.id, &old.name, Lang::En),
                ));
            }
        }
        self.commit(|tx| {
            for a in &plan.new {
                if tx.advisors().get(a.id.as_bytes())?.is_some() {
                    return Err(TxError::Abort(StoreError::rejected(
                        format!("顾问编号 {} 已被使用：请换一个编号", a.id),
                        format!("advisor id {} is already in use", a.id),
                    )));
                }
                tx.advisors()
                    .insert(a.id.as_bytes(), codec::encode_json(a))?;
            }
            let ids: Vec<&str> = plan.new.iter().map(|a| a.id.as_str()).collect();
            tx.audit(
                stamp,
                "import.advisors",
                json!(null),
                json!({"file": source, "advisors": ids}),
            )
        })
    }

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
        action: &str,
        source: &str,
        stamp: &Stamp,
    ) -> Result<Applied> {
        self.apply_entries_then(plan, action, source, stamp, |_| Ok(()))
    }

    /// [`Store::apply_entries`], running `finally` inside its last transaction.
    pub(super) fn apply_entries_then(
        &self,
        plan: &EntryPlan,
        action: &str,
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
                return Err(TxError::Abort(StoreError::rejected(
                    "上一次更改没有完成，仍在撤回中：请退出后重新打开 counsel-log",
                    "an earlier change did not finish and is still being undone: quit and open counsel-log again",
                )));
            }
            let first_entry = tx.reserve("entry_id", count)?;
            let first_item = tx.reserve("item_id", new_items)?;
            let pending = Pending {
                at: stamp.at.clone(),
                who: stamp.who.clone(),
                action: action.to_string(),
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
                        let mut item = self.item(*id)?.ok_or_else(|| {
                            self.damaged(Text::new(
                                format!("事项 {} 不见了", id.0),
                                format!("item {} is missing", id.0),
                            ))
                        })?;
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
                    codec::decode_json(&v).ok_or_else(|| TxError::Abort(self.damaged(Text::new("一条事项记录无法读取", "an item record is unreadable"))))?;
                item.satisfaction = Some(*rating);
                tx.items().insert(keys::id_key(id.0).as_slice(), codec::encode_json(&item))?;
                for k in entry_keys {
                    if let Some(v) = tx.entries().get(k)? {
                        let mut r =
                            codec::decode_entry(&v).ok_or_else(|| TxError::Abort(self.damaged(Text::new("一条记录无法读取", "an entry is unreadable"))))?;
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
        let pending: Pending = codec::decode_json(&v).ok_or_else(|| {
            self.damaged(Text::new(
                "一次未完成的写入无法读取",
                "an unfinished write is unreadable",
            ))
        })?;
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
                let (date, entry_id) = keys::parse_entry_key(&key).ok_or_else(|| {
                    self.damaged(Text::new(
                        "一条记录的键无法读取",
                        "an entry key is unreadable",
                    ))
                })?;
                let record = codec::decode_entry(&v).ok_or_else(|| {
                    self.damaged(Text::new(
                        format!("记录 #{id} 无法读取"),
                        format!("entry #{id} is unreadable"),
                    ))
                })?;
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
            at: pending.at.clone(),
            who: pending.who.clone(),
        };
        self.commit(|tx| {
            tx.audit(
                &stamp,
                "rollback",
                json!(null),
                json!({"interrupted": pending.action, "entries_removed": removed, "reason": "the write stopped before it finished"}),
            )?;
            tx.meta().remove(PENDING)?;
            Ok(())
        })
    }

    /// A read-only view of the store for validating imports.
    pub fn view(&self) -> Result<StoreView<'_>> {
        Ok(StoreView {
            store: self,
            advisors: self.advisors()?,
            topics: self.catalog(CatalogKind::Topic)?,
            services: self.catalog(CatalogKind::Service)?,
            failure: RefCell::new(None),
            days: RefCell::new(HashMap::new()),
        })
    }
}

/// Departments are remembered, once each, for completion in the form.
fn department_key(name: &str) -> Vec<u8> {
    let mut k = DEPARTMENT_PREFIX.to_vec();
    k.extend_from_slice(name.as_bytes());
    k
}

const DEPARTMENT_PREFIX: &[u8] = b"department\0";

pub(super) fn write_item(tx: &Tx, item: &Item) -> std::result::Result<(), TxError> {
    let id = keys::id_key(item.id.0);
    tx.catalogs()
        .insert(department_key(&item.department), &[][..])?;
    tx.items().insert(id.as_slice(), codec::encode_json(item))?;
    tx.item_refs()
        .insert(item.number.as_bytes(), id.as_slice())?;
    if let Some(key) = &item.key
        && key != &item.number
    {
        if tx
            .item_refs()
            .get(key.as_bytes())?
            .is_some_and(|v| v.as_ref() != id.as_slice())
        {
            return Err(TxError::Abort(StoreError::rejected(
                format!("事项键 {key} 已被另一事项使用：请换一个键"),
                format!("item key {key} is already used by another item: choose another key"),
            )));
        }
        tx.item_refs().insert(key.as_bytes(), id.as_slice())?;
    }
    Ok(())
}

pub(super) fn write_entry(
    tx: &Tx,
    entry: &Entry,
    item: &Item,
    fp: &Fingerprint,
) -> std::result::Result<(), TxError> {
    let key = keys::entry_key(entry.date, entry.id);
    tx.entries().insert(
        key.as_slice(),
        codec::encode_entry(&EntryRecord::new(entry, item)),
    )?;
    tx.entry_index()
        .insert(keys::id_key(entry.id.0).as_slice(), key.as_slice())?;
    tx.item_entries().insert(
        keys::item_entry_key(item.id, entry.id).as_slice(),
        key.as_slice(),
    )?;
    tx.fingerprints()
        .insert(keys::fingerprint_key(&fp.0, entry.id).as_slice(), &[][..])?;
    Ok(())
}

/// The store as the importer sees it. Read errors are kept and reported after planning.
pub struct StoreView<'s> {
    store: &'s Store,
    pub advisors: HashMap<String, Advisor>,
    pub topics: Catalog,
    pub services: Catalog,
    failure: RefCell<Option<StoreError>>,
    /// Minutes per advisor on the days looked at so far.
    days: RefCell<HashMap<NaiveDate, HashMap<String, Minutes>>>,
}

impl StoreView<'_> {
    fn keep<T: Default>(&self, r: Result<T>) -> T {
        r.unwrap_or_else(|e| {
            self.failure.borrow_mut().get_or_insert(e);
            T::default()
        })
    }

    /// The first read error met while planning, if any.
    pub fn failure(&self) -> Option<StoreError> {
        self.failure.borrow().clone()
    }
}

impl LedgerView for StoreView<'_> {
    fn advisors(&self) -> &HashMap<String, Advisor> {
        &self.advisors
    }
    fn topics(&self) -> &Catalog {
        &self.topics
    }
    fn services(&self) -> &Catalog {
        &self.services
    }
    fn item(&self, reference: &str) -> Option<Item> {
        self.keep(self.store.item_by_ref(reference))
    }
    fn logged(&self, advisor: &str, date: NaiveDate) -> Minutes {
        // One scan per day serves every advisor of that day.
        let mut days = self.days.borrow_mut();
        let day = days
            .entry(date)
            .or_insert_with(|| self.keep(self.store.logged_by_advisor(date)));
        day.get(advisor).copied().unwrap_or_default()
    }
    fn fingerprint_count(&self, fp: &Fingerprint) -> u64 {
        self.keep(self.store.fingerprint_count(fp))
    }
}
