//! Reading the ledger: advisors, items, entries and their scans.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::codec::{self, EntryRecord};
use super::{Kind, Missing, Result, Store, Unreadable, keys};
use crate::domain::intake::{Fingerprint, is_number};
use crate::domain::{Advisor, Entry, EntryId, Fact, Item, ItemId, Minutes, Period};

impl Store {
    /// Every advisor, by id.
    pub fn advisors(&self) -> Result<HashMap<String, Advisor>> {
        let mut out = HashMap::new();
        for kv in self.trees.advisors.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            let a: Advisor =
                codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::AdvisorRecord))?;
            out.insert(a.id.clone(), a);
        }
        Ok(out)
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
                .ok_or_else(|| self.unreadable(Unreadable::Item(id))),
        }
    }

    /// The item a reference names: `#2024-0019` the item numbered so in this ledger; a bare
    /// reference the item created under that key, else the item whose global id it is (the key
    /// `export` writes for an item that has none). Never a number for a bare reference.
    pub fn item_by_ref(&self, reference: &str) -> Result<Option<Item>> {
        let reference = reference.trim();
        if let Some(v) = self
            .trees
            .item_refs
            .get(reference.as_bytes())
            .map_err(|e| self.err(e))?
        {
            let id =
                keys::parse_id(&v).ok_or_else(|| self.unreadable(Unreadable::ItemReference))?;
            return self.item(ItemId(id));
        }
        if is_number(reference) {
            return Ok(None);
        }
        match ulid::Ulid::from_string(reference) {
            Ok(gid) => self.item_by_gid(gid.0),
            Err(_) => Ok(None),
        }
    }

    /// What names an item in another store's `item` column: its key, else its global id, which
    /// no other store's item has. A bare number would name a different item there.
    pub fn item_key(&self, item: &Item) -> Result<String> {
        if let Some(key) = &item.key {
            return Ok(key.clone());
        }
        self.item_gid(item.id)?
            .map(|gid| gid.to_string())
            .ok_or_else(|| self.unreadable(Unreadable::Identity))
    }

    /// The item of this store with that global id, unless it was deleted.
    fn item_by_gid(&self, gid: u128) -> Result<Option<Item>> {
        let Some(ident) = self.ident_by_gid(gid)? else {
            return Ok(None);
        };
        if ident.kind != Kind::Item || ident.deleted() {
            return Ok(None);
        }
        match ident.local.get(1..).and_then(keys::parse_id) {
            Some(id) => self.item(ItemId(id)),
            None => Err(self.unreadable(Unreadable::Identity)),
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
        for record in self.entry_records(from, to) {
            let (date, id, record) = record?;
            f(date, id, record);
        }
        Ok(())
    }

    /// The entries of the days `from..=to`, in date order, read one at a time as the caller
    /// goes: what walks a whole ledger without holding it.
    pub(super) fn entry_records(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = Result<(NaiveDate, EntryId, EntryRecord)>> + '_ {
        let (lo, hi) = keys::entry_range(from, to);
        self.trees
            .entries
            .range(lo..=hi)
            .map(move |kv| self.entry_record(kv))
    }

    /// The items of the entries of the days `from..=to`, newest entry first, read one at a time
    /// as the caller goes (an item once for each of its entries).
    pub fn items_newest_first(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = Result<ItemId>> + '_ {
        let (lo, hi) = keys::entry_range(from, to);
        self.trees
            .entries
            .range(lo..=hi)
            .rev()
            .map(move |kv| self.entry_record(kv).map(|(_, _, r)| ItemId(r.item)))
    }

    /// An entry as read from the entries tree.
    fn entry_record(
        &self,
        kv: sled::Result<(sled::IVec, sled::IVec)>,
    ) -> Result<(NaiveDate, EntryId, EntryRecord)> {
        let (k, v) = kv.map_err(|e| self.err(e))?;
        let (date, id) =
            keys::parse_entry_key(&k).ok_or_else(|| self.unreadable(Unreadable::EntryKey))?;
        let record =
            codec::decode_entry(&v).ok_or_else(|| self.unreadable(Unreadable::Entry(id)))?;
        Ok((date, id, record))
    }

    /// Every entry in the store, oldest first, one at a time.
    pub fn each_entry(&self) -> impl Iterator<Item = Result<Entry>> + '_ {
        let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN);
        self.entry_records(first, NaiveDate::MAX)
            .map(|r| r.map(|(date, id, record)| record.entry(date, id)))
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
        self.each_entry().collect()
    }

    /// The dates of the first and the last entry, `None` when there is none: the keys sort by
    /// date, so each is one read at an end of the tree.
    pub fn entry_dates(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let ends = [self.trees.entries.first(), self.trees.entries.last()];
        let mut dates = Vec::with_capacity(2);
        for end in ends {
            let Some((k, _)) = end.map_err(|e| self.err(e))? else {
                return Ok(None);
            };
            let (date, _) =
                keys::parse_entry_key(&k).ok_or_else(|| self.unreadable(Unreadable::EntryKey))?;
            dates.push(date);
        }
        Ok(dates.first().zip(dates.last()).map(|(a, b)| (*a, *b)))
    }

    /// Every item, by internal id.
    pub fn items(&self) -> Result<Vec<Item>> {
        self.each_item().collect()
    }

    /// Every item, by internal id, one at a time.
    pub fn each_item(&self) -> impl Iterator<Item = Result<Item>> + '_ {
        self.trees.items.iter().map(|kv| {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::ItemRecord))
        })
    }

    /// Every advisor, by id, one at a time.
    pub fn each_advisor(&self) -> impl Iterator<Item = Result<Advisor>> + '_ {
        self.trees.advisors.iter().map(|kv| {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::AdvisorRecord))
        })
    }

    /// Minutes each advisor has logged on one day.
    pub fn logged_by_advisor(&self, date: NaiveDate) -> Result<HashMap<String, Minutes>> {
        let mut out: HashMap<String, Minutes> = HashMap::new();
        self.scan(date, date, |_, _, r| {
            *out.entry(r.advisor).or_default() += Minutes(r.minutes)
        })?;
        Ok(out)
    }

    /// Minutes `advisor` has logged on `date`, leaving out those of `replaced` (the entry a
    /// change replaces) when it is that advisor's on that day: what the day's 24 hours are
    /// checked against.
    pub fn logged_on(
        &self,
        advisor: &str,
        date: NaiveDate,
        replaced: Option<&crate::domain::Entry>,
    ) -> Result<Minutes> {
        let logged = self
            .logged_by_advisor(date)?
            .get(advisor)
            .copied()
            .unwrap_or_default();
        Ok(match replaced {
            Some(old) if old.date == date && old.advisor == advisor => {
                Minutes(logged.0.saturating_sub(old.minutes.0))
            }
            _ => logged,
        })
    }

    pub(super) fn fingerprint_count(&self, fp: &Fingerprint) -> Result<u64> {
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
            return Err(self.missing(Missing::IndexedEntry(id)));
        };
        let (date, id) =
            keys::parse_entry_key(&key).ok_or_else(|| self.unreadable(Unreadable::EntryKey))?;
        let record =
            codec::decode_entry(&v).ok_or_else(|| self.unreadable(Unreadable::Entry(id)))?;
        Ok(Some(record.entry(date, id)))
    }

    /// The entries of one item, by id.
    pub fn entries_of(&self, item: ItemId) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        for kv in self.trees.item_entries.scan_prefix(keys::id_key(item.0)) {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            let id =
                keys::parse_id(&k[8..]).ok_or_else(|| self.unreadable(Unreadable::ItemIndexKey))?;
            if let Some(e) = self.entry(EntryId(id))? {
                out.push(e);
            }
        }
        Ok(out)
    }
}
