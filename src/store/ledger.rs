//! Reading and changing the ledger: advisors, items, entries and their indexes, each change one
//! transaction with its audit record.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use super::codec::{self, EntryRecord};
use super::keys;
use super::{Result, Stamp, Store, StoreError, Tx, TxError};
use crate::domain::import::{AdvisorPlan, EntryPlan, Fingerprint, LedgerView, Target};
use crate::domain::{
    Advisor, Catalog, CatalogEntry, CatalogKind, Entry, EntryId, Fact, Item, ItemId, Minutes,
    Period,
};

pub(super) fn catalog_key(kind: CatalogKind, code: &str) -> Vec<u8> {
    let mut k = kind.name().as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(code.as_bytes());
    k
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
            let a: Advisor = codec::decode_json(&v)
                .ok_or_else(|| self.damaged("an advisor record is unreadable"))?;
            out.insert(a.id.clone(), a);
        }
        Ok(out)
    }

    /// The topic or service-type catalog.
    pub fn catalog(&self, kind: CatalogKind) -> Result<Catalog> {
        let mut prefix = kind.name().as_bytes().to_vec();
        prefix.push(0);
        let mut entries = Vec::new();
        for kv in self.trees.catalogs.scan_prefix(&prefix) {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            let e: CatalogEntry = codec::decode_json(&v)
                .ok_or_else(|| self.damaged("a catalog record is unreadable"))?;
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
            Some(v) => codec::decode_json(&v)
                .map(Some)
                .ok_or_else(|| self.damaged(format!("item {} is unreadable", id.0))),
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
                let id = keys::parse_id(&v)
                    .ok_or_else(|| self.damaged("an item reference is unreadable"))?;
                self.item(ItemId(id))
            }
        }
    }

    /// Calls `f` on each entry of the days `from..=to`, in date order, as (entry, record).
    /// Stops at the first error: nothing continues reading a store that failed once.
    fn scan(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut f: impl FnMut(NaiveDate, EntryId, EntryRecord),
    ) -> Result<()> {
        let (lo, hi) = keys::entry_range(from, to);
        for kv in self.trees.entries.range(lo..=hi) {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            let (date, id) = keys::parse_entry_key(&k)
                .ok_or_else(|| self.damaged("an entry key is unreadable"))?;
            let record = codec::decode_entry(&v)
                .ok_or_else(|| self.damaged(format!("entry #{} is unreadable", id.0)))?;
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

    /// Every item, by internal id.
    pub fn items(&self) -> Result<Vec<Item>> {
        let mut out = Vec::new();
        for kv in self.trees.items.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            out.push(
                codec::decode_json(&v)
                    .ok_or_else(|| self.damaged("an item record is unreadable"))?,
            );
        }
        Ok(out)
    }

    /// Minutes an advisor has logged on one day.
    pub fn logged_on(&self, advisor: &str, date: NaiveDate) -> Result<Minutes> {
        let mut total = Minutes::ZERO;
        self.scan(date, date, |_, _, r| {
            if r.advisor == advisor {
                total += Minutes(r.minutes);
            }
        })?;
        Ok(total)
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
            out.push(
                codec::decode_json(&v)
                    .ok_or_else(|| self.damaged("an audit record is unreadable"))?,
            );
        }
        Ok(out)
    }

    /// Adds one advisor; an id already in use is refused.
    pub fn add_advisor(&self, advisor: &Advisor, stamp: &Stamp) -> Result<()> {
        self.commit(|tx| {
            if tx.advisors().get(advisor.id.as_bytes())?.is_some() {
                return Err(TxError::Abort(StoreError::Rejected(format!(
                    "advisor id {} is already in use: choose another id (see `counsel-log advisor list`)",
                    advisor.id
                ))));
            }
            tx.advisors().insert(advisor.id.as_bytes(), codec::encode_json(advisor))?;
            tx.audit(stamp, "advisor.add", json!(null), json!(advisor))
        })
    }

    /// Adds the advisors of an import plan, all or none.
    pub fn apply_advisors(&self, plan: &AdvisorPlan, source: &str, stamp: &Stamp) -> Result<()> {
        if plan.new.is_empty() {
            return Ok(());
        }
        self.commit(|tx| {
            for a in &plan.new {
                if tx.advisors().get(a.id.as_bytes())?.is_some() {
                    return Err(TxError::Abort(StoreError::Rejected(format!(
                        "advisor id {} is already in use",
                        a.id
                    ))));
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

    /// Writes the entries (and new items) of a plan as one transaction with one audit record.
    pub fn apply_entries(
        &self,
        plan: &EntryPlan,
        action: &str,
        source: &str,
        stamp: &Stamp,
    ) -> Result<Applied> {
        // Transactions cannot scan, so the entries whose copy of an item's rating must change
        // are found first. The store is locked to this process, so nothing moves meanwhile.
        let mut rerate: HashMap<ItemId, Vec<Vec<u8>>> = HashMap::new();
        for group in &plan.groups {
            if let Target::Existing { id, rate: Some(_) } = group.target {
                let mut ks = Vec::new();
                for kv in self.trees.item_entries.scan_prefix(keys::id_key(id.0)) {
                    ks.push(kv.map_err(|e| self.err(e))?.1.to_vec());
                }
                rerate.insert(id, ks);
            }
        }
        let count = plan.entry_count() as u64;
        self.commit(|tx| {
            let mut applied = Applied::default();
            let first_entry = tx.reserve("entry_id", count)?;
            let mut next_entry = first_entry;
            for group in &plan.groups {
                let item = match &group.target {
                    Target::New { key, fields } => {
                        let year = group.entries.iter().map(|e| e.date.year()).min().unwrap_or(2000);
                        let item = Item {
                            id: ItemId(tx.next("item_id")?),
                            number: new_item_number(tx, year)?,
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
                        write_item(tx, &item)?;
                        applied.new_items.push(item.number.clone());
                        item
                    }
                    Target::Existing { id, rate } => {
                        let Some(v) = tx.items().get(keys::id_key(id.0))? else {
                            return Err(TxError::Abort(StoreError::Rejected(format!("item {} disappeared", id.0))));
                        };
                        let mut item: Item = codec::decode_json(&v)
                            .ok_or_else(|| TxError::Abort(self.damaged("an item record is unreadable")))?;
                        if let Some(rating) = rate {
                            item.satisfaction = Some(*rating);
                            tx.items().insert(keys::id_key(id.0).as_slice(), codec::encode_json(&item))?;
                            for k in rerate.get(id).into_iter().flatten() {
                                if let Some(v) = tx.entries().get(k)? {
                                    let mut r = codec::decode_entry(&v)
                                        .ok_or_else(|| TxError::Abort(self.damaged("an entry is unreadable")))?;
                                    r.satisfaction = Some(*rating);
                                    tx.entries().insert(k.as_slice(), codec::encode_entry(&r))?;
                                }
                            }
                        }
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
                    write_entry(tx, &entry, &item, &new.fingerprint)?;
                    applied.entries.push(entry.id);
                }
            }
            let after = json!({
                "source": source,
                "entries": {"count": count, "first": first_entry, "last": next_entry.saturating_sub(1)},
                "new_items": applied.new_items,
                "minutes": plan.minutes().0,
            });
            tx.audit(stamp, action, json!(null), after)?;
            Ok(applied)
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
        })
    }
}

/// Gives an item the next free number of its year, `2024-0019`.
fn new_item_number(tx: &Tx, year: i32) -> std::result::Result<String, TxError> {
    loop {
        let n = tx.next(&format!("item_seq/{year}"))?;
        let number = format!("{year}-{n:04}");
        // A user's own key may already look like a number; never let two items share one.
        if tx.item_refs().get(number.as_bytes())?.is_none() {
            return Ok(number);
        }
    }
}

pub(super) fn write_item(tx: &Tx, item: &Item) -> std::result::Result<(), TxError> {
    let id = keys::id_key(item.id.0);
    tx.items().insert(id.as_slice(), codec::encode_json(item))?;
    tx.item_refs()
        .insert(item.number.as_bytes(), id.as_slice())?;
    if let Some(key) = &item.key
        && key != &item.number
    {
        if tx.item_refs().get(key.as_bytes())?.is_some() {
            return Err(TxError::Abort(StoreError::Rejected(format!(
                "item key {key} is already used by another item: choose another key"
            ))));
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
    fn advisor(&self, id: &str) -> Option<&Advisor> {
        self.advisors.get(id)
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
        self.keep(self.store.logged_on(advisor, date))
    }
    fn fingerprint_count(&self, fp: &Fingerprint) -> u64 {
        self.keep(self.store.fingerprint_count(fp))
    }
}
