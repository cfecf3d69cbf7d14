//! The store's side of the aggregates (see `tallies.rs`): kept in step inside each transaction,
//! read for a period of whole months, rebuilt from the entries when marked out of date.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::codec::{self, EntryRecord};
use super::tallies::{self, Delta, ItemTally, STALE};
use super::tx::{Tx, TxError, TxTree};
use super::{Result, Store, Unreadable, keys};
use crate::domain::tally::{Counts, category_key};
use crate::domain::{Advisor, Minutes, Period};

/// An entry record written or replaced inside a transaction: (key, before, after).
pub(super) type EntryWrite = (Vec<u8>, Option<sled::IVec>, Option<Vec<u8>>);

/// What an import wrote outside its last transaction: the aggregates of the items it made
/// (their cells are written with them), and its entries on items already in the ledger.
#[derive(Debug, Default, Clone)]
pub(super) struct Imported {
    pub(super) new_items: Delta,
    pub(super) existing: Vec<(EntryRecord, NaiveDate)>,
}

impl Imported {
    pub(super) fn is_empty(&self) -> bool {
        self.new_items.is_empty() && self.existing.is_empty()
    }
}

/// What an advisor logged in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvisorMonth {
    /// The month's first day.
    pub month: NaiveDate,
    pub advisor: String,
    pub minutes: Minutes,
}

impl Store {
    /// The figures of `period` by every grouping, from the aggregates; `None` when they cannot
    /// serve it (out of date, a store still to migrate, a period cut inside a month that has
    /// entries outside it): the caller counts from the entries.
    pub fn counts(&self, period: Period) -> Result<Option<Counts>> {
        if self.migration_due || self.tallies_stale()? {
            return Ok(None);
        }
        let month_start = period.from.with_day(1).unwrap_or(period.from);
        let month_end = last_of_month(period.to);
        let outside = |from: NaiveDate, to: NaiveDate| -> Result<bool> {
            if from > to {
                return Ok(false);
            }
            let (lo, hi) = keys::entry_range(from, to);
            let found = self.trees.entries.range(lo..=hi).next();
            Ok(found.transpose().map_err(|e| self.err(e))?.is_some())
        };
        // An empty run of days (the period starts on the 1st, or ends on the last) is no cut.
        let before = period.from.pred_opt();
        let after = period.to.succ_opt();
        if before.map_or(Ok(false), |day| outside(month_start, day))?
            || after.map_or(Ok(false), |day| outside(day, month_end))?
        {
            return Ok(None);
        }
        let (m1, m2) = (
            tallies::month_index(period.from),
            tallies::month_index(period.to),
        );
        let counts = tallies::read_counts(m1, m2, |tag, from, f| self.tally_records(tag, from, f))?;
        // Reads are strict: a record that fails its check is damage, never a figure.
        counts
            .map(Some)
            .ok_or_else(|| self.unreadable(Unreadable::Tallies))
    }

    /// The minutes each advisor logged in each month from `from`'s month to `to`'s, month by
    /// month (the first day of each month that has any), from the aggregates; `None` when they
    /// are out of date, so the caller counts from the entries.
    pub fn advisor_months(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<Vec<AdvisorMonth>>> {
        if self.migration_due || self.tallies_stale()? {
            return Ok(None);
        }
        let months = tallies::read_advisor_months(
            tallies::month_index(from),
            tallies::month_index(to),
            |tag, from, f| self.tally_records(tag, from, f),
        )?
        .ok_or_else(|| self.unreadable(Unreadable::Tallies))?;
        Ok(Some(
            months
                .into_iter()
                .filter_map(|(month, advisor, minutes)| {
                    Some(AdvisorMonth {
                        month: tallies::month_start(month)?,
                        advisor,
                        minutes,
                    })
                })
                .collect(),
        ))
    }

    /// Hands `f` the records of one kind (`tag`) from month `from` on, in key order, until it
    /// says to stop.
    fn tally_records(
        &self,
        tag: u8,
        from: u32,
        f: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<()> {
        let mut start = vec![tag];
        start.extend_from_slice(&from.to_be_bytes());
        for kv in self.trees.tallies.range(start..) {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            if k.first() != Some(&tag) || !f(&k, &v) {
                break;
            }
        }
        Ok(())
    }

    /// The whole history's aggregate records as the months' give them (see
    /// [`tallies::whole_from_months`]); `None` when one of those fails its check.
    pub(super) fn whole_from_months(&self) -> Result<Option<tallies::Records>> {
        tallies::whole_from_months(|tag, from, f| self.tally_records(tag, from, f))
    }

    /// True when the aggregates are marked out of date.
    pub(super) fn tallies_stale(&self) -> Result<bool> {
        self.trees
            .tallies
            .contains_key(STALE)
            .map_err(|e| self.err(e))
    }

    /// The aggregates as the entries make them: every record, by key.
    pub(super) fn recount_tallies(&self) -> Result<std::collections::BTreeMap<Vec<u8>, Vec<u8>>> {
        let advisors = self.advisors()?;
        let mut items: HashMap<u64, ItemTally> = HashMap::new();
        let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN);
        self.scan(first, NaiveDate::MAX, |date, _, record| {
            items.entry(record.item).or_default().add(&record, date);
        })?;
        let category = |id: &str| category_key(advisors.get(id)).to_string();
        Ok(tallies::all_records(&items, &category))
    }

    /// Counts the aggregates afresh from the entries and puts them in place of the old ones,
    /// in one atomic batch that also clears the out-of-date mark; then makes it durable.
    pub(super) fn rebuild_tallies(&self) -> Result<()> {
        let records = self.recount_tallies()?;
        let mut batch = super::table::Batch::default();
        for key in self.trees.tallies.iter().keys() {
            batch.remove(key.map_err(|e| self.err(e))?);
        }
        for (key, value) in records {
            batch.insert(key, value);
        }
        batch.remove(STALE);
        self.trees
            .tallies
            .apply_batch(batch)
            .map_err(|e| self.table_err(e))?;
        self.sync()
    }

    /// Rebuilds the aggregates when a change marked them out of date, unless all it did was
    /// change the category of advisors with no work in them (a new advisor, most often).
    pub(super) fn refresh_tallies(&self) -> Result<()> {
        let tree = &self.trees.tallies;
        let Some(mark) = tree.get(STALE).map_err(|e| self.err(e))? else {
            return Ok(());
        };
        if let Some(advisors) = tallies::marked_advisors(&mark)
            && !self.any_advisor_tallied(&advisors)?
        {
            tree.remove(STALE).map_err(|e| self.err(e))?;
            return self.sync();
        }
        self.rebuild_tallies()
    }

    /// Whether the aggregates count work of any of `advisors`, in any month.
    fn any_advisor_tallied(&self, advisors: &[String]) -> Result<bool> {
        let groups: Vec<Vec<u8>> = advisors.iter().map(|a| tallies::advisor_group(a)).collect();
        let mut found = false;
        self.tally_records(b'm', 0, &mut |key, _| {
            found = key.get(5..).is_some_and(|g| groups.iter().any(|a| a == g));
            !found
        })?;
        Ok(found)
    }
}

/// The last day of `date`'s month.
fn last_of_month(date: NaiveDate) -> NaiveDate {
    let (year, month) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(date)
}

impl Tx<'_> {
    /// Moves the aggregates by what this transaction wrote to the entries (and what an import
    /// wrote before it): each item touched is counted out as it was and in as it is.
    pub(super) fn seal_tallies(
        &self,
        writes: Vec<EntryWrite>,
        imported: Option<Imported>,
        category_moved: Vec<String>,
    ) -> std::result::Result<(), TxError> {
        let tree = self.tallies();
        let wrote = !writes.is_empty() || imported.as_ref().is_some_and(|i| !i.is_empty());
        let marked = tree.get(STALE)?;
        if marked.is_some() || !category_moved.is_empty() {
            // Out of date: the mark names the advisors whose category changed, so that the
            // commit can tell whether any of their work moved; once an entry changes too, the
            // aggregates are rebuilt whatever the mark says.
            let mut advisors = match marked {
                None => Vec::new(),
                Some(mark) => match tallies::marked_advisors(&mark) {
                    Some(advisors) => advisors,
                    None => return Ok(()),
                },
            };
            if wrote {
                return tree.insert(STALE, &[][..]);
            }
            advisors.extend(category_moved);
            return tree.insert(STALE, tallies::stale_mark(&advisors));
        }
        let imported = imported.unwrap_or_default();
        if writes.is_empty() && imported.is_empty() {
            return Ok(());
        }
        match self.moved_items(&tree, writes, &imported.existing)? {
            Some(moved) => self.write_moved(&tree, &moved, imported.new_items),
            None => tree.insert(STALE, &[][..]),
        }
    }

    /// Each item touched, as it was and as it is; `None` when the aggregates are out of step.
    #[expect(
        clippy::type_complexity,
        reason = "one map from item to before and after, used once"
    )]
    fn moved_items(
        &self,
        tree: &TxTree,
        writes: Vec<EntryWrite>,
        existing: &[(EntryRecord, NaiveDate)],
    ) -> std::result::Result<Option<HashMap<u64, (Option<ItemTally>, ItemTally)>>, TxError> {
        let mut moved: HashMap<u64, (Option<ItemTally>, ItemTally)> = HashMap::new();
        let load = |moved: &mut HashMap<u64, (Option<ItemTally>, ItemTally)>,
                    item: u64|
         -> std::result::Result<bool, TxError> {
            if let std::collections::hash_map::Entry::Vacant(slot) = moved.entry(item) {
                let was = match tree.get(tallies::item_key(item))? {
                    Some(v) => match ItemTally::decode(item, &v) {
                        Some(t) => Some(t),
                        None => return Ok(false),
                    },
                    None => None,
                };
                let now = was.clone().unwrap_or_default();
                slot.insert((was, now));
            }
            Ok(true)
        };
        for (record, date) in existing {
            if !load(&mut moved, record.item)? {
                return Ok(None);
            }
            moved.entry(record.item).or_default().1.add(record, *date);
        }
        for (key, before, after) in writes {
            let Some((date, _)) = keys::parse_entry_key(&key) else {
                return Ok(None);
            };
            if let Some(before) = before {
                let Some(record) = codec::decode_entry(&before) else {
                    return Ok(None);
                };
                if !load(&mut moved, record.item)? {
                    return Ok(None);
                }
                if !moved
                    .entry(record.item)
                    .or_default()
                    .1
                    .remove(&record, date)
                {
                    return Ok(None);
                }
            }
            if let Some(after) = after {
                let Some(record) = codec::decode_entry(&after) else {
                    return Ok(None);
                };
                if !load(&mut moved, record.item)? {
                    return Ok(None);
                }
                moved.entry(record.item).or_default().1.add(&record, date);
            }
        }
        Ok(Some(moved))
    }

    /// Writes the items' cells and moves the group records by the difference.
    fn write_moved(
        &self,
        tree: &TxTree,
        moved: &HashMap<u64, (Option<ItemTally>, ItemTally)>,
        mut delta: Delta,
    ) -> std::result::Result<(), TxError> {
        let mut categories: HashMap<String, String> = HashMap::new();
        for (was, now) in moved.values() {
            for advisor in was.iter().chain([now]).flat_map(ItemTally::advisors) {
                if !categories.contains_key(advisor) {
                    let found = self.advisors().get(advisor.as_bytes())?;
                    let advisor_record: Option<Advisor> =
                        found.and_then(|v| codec::decode_json(&v));
                    categories.insert(
                        advisor.to_string(),
                        category_key(advisor_record.as_ref()).to_string(),
                    );
                }
            }
        }
        let category = |id: &str| categories.get(id).cloned().unwrap_or_default();
        for (item, (was, now)) in moved {
            if let Some(was) = was {
                delta.count(was, &category, -1);
            }
            delta.count(now, &category, 1);
            let key = tallies::item_key(*item);
            if now.is_empty() {
                tree.remove(key)?;
            } else {
                tree.insert(key, now.encode(*item))?;
            }
        }
        for (key, change) in delta.records() {
            let old = tree.get(&key)?;
            match tallies::changed(&key, old.as_deref(), &change) {
                Ok(Some(value)) => tree.insert(&key, value)?,
                Ok(None) => tree.remove(&key)?,
                Err(tallies::OutOfStep) => return tree.insert(STALE, &[][..]),
            }
        }
        Ok(())
    }

    /// Marks the aggregates out of date: the commit rebuilds them from the entries.
    pub(super) fn tallies_out_of_date(&self) -> std::result::Result<(), TxError> {
        self.tallies().insert(STALE, &[][..])
    }
}
