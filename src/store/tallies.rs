//! Per-period aggregates kept beside the entries and changed in the same transaction as they
//! are, so a year or the whole history reads a few hundred records instead of every entry.
//!
//! Records of the `tallies` tree, each keyed by a month and then a group (the total, an
//! advisor, a category, a topic, a service, a department or a month):
//! - `m` month, group → the group's minutes and entries in that month;
//! - `s` last, group → for each (rating, first): how many items have entries in the group over
//!   months running from `first` to `last` (their span);
//! - `h` hi, group → for each (rating, lo): how many of those spans have no entry in `lo..=hi`
//!   (a gap between two runs of months);
//! - `w` group → the group's minutes and items by rating over the whole history, so that a
//!   period holding every month with entries (`--period all`, or a year when the ledger is a
//!   year old) reads one block instead of every month's.
//!
//! An item counts in a group over the months `m1..=m2` when its span meets them, unless they
//! lie inside one of its gaps (at most one can hold them, since gaps do not overlap): so
//! distinct items stay exact for any run of whole months, and recent periods read only the
//! records of recent months. `i` item → the item's cells (advisor × month) and the fields its
//! entries are grouped by: what a change subtracts before it adds. `x` marks the aggregates out
//! of date (an advisor changed category, a restore, a migration): reads then count from the
//! entries, and the next commit rebuilds them.
//!
//! The aggregates are derived from the entries, which the ledger's digest covers; `verify`
//! recounts them. One process writes a store at a time, on one thread (commands served beside
//! an interface run on its thread), so a rebuild never races a change.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::codec::EntryRecord;
use crate::domain::tally::{Counted, Counts};
use crate::domain::{GroupBy, Minutes, Satisfaction};

/// The key of the out-of-date mark.
pub(super) const STALE: &[u8] = b"x";

/// The out-of-date mark's value: the advisors whose category changed, when that is all that
/// happened (empty: the aggregates are to be counted afresh whatever).
pub(super) fn stale_mark(advisors: &[String]) -> Vec<u8> {
    postcard::to_allocvec(advisors).unwrap_or_default()
}

/// The advisors an out-of-date mark names; `None` when it asks for a recount.
pub(super) fn marked_advisors(mark: &[u8]) -> Option<Vec<String>> {
    if mark.is_empty() {
        return None;
    }
    postcard::from_bytes(mark).ok()
}

/// Bytes of the check each record ends with.
const CHECK: usize = 8;

/// The check of a record: the first bytes of SHA-256 over its key and value. Figures are read
/// from a few records, so each is checked as it is read: a changed byte is damage, never a
/// figure.
fn check(key: &[u8], value: &[u8]) -> [u8; CHECK] {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(u64::try_from(key.len()).unwrap_or(u64::MAX).to_be_bytes());
    hash.update(key);
    hash.update(value);
    let mut out = [0; CHECK];
    out.copy_from_slice(&hash.finalize()[..CHECK]);
    out
}

/// A value with its check appended.
pub(super) fn sealed(key: &[u8], mut value: Vec<u8>) -> Vec<u8> {
    let check = check(key, &value);
    value.extend_from_slice(&check);
    value
}

/// The value inside a stored record, `None` when its check fails.
pub(super) fn unsealed<'v>(key: &[u8], stored: &'v [u8]) -> Option<&'v [u8]> {
    let split = stored.len().checked_sub(CHECK)?;
    let (value, found) = stored.split_at(split);
    (check(key, value) == found).then_some(value)
}

/// A month as one number: `year × 12 + month − 1`.
pub(super) fn month_index(date: NaiveDate) -> u32 {
    let year = u32::try_from(date.year()).unwrap_or(0);
    year * 12 + date.month0()
}

/// The first day of a month number.
pub(super) fn month_start(month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(month / 12).ok()?, month % 12 + 1, 1)
}

/// `YYYY-MM` of a month number.
fn month_code(month: u32) -> String {
    format!("{}-{:02}", month / 12, month % 12 + 1)
}

fn rating_code(rating: Option<Satisfaction>) -> u8 {
    match rating {
        None => 0,
        Some(Satisfaction::Satisfied) => 1,
        Some(Satisfaction::Basic) => 2,
        Some(Satisfaction::Unsatisfied) => 3,
    }
}

/// One advisor's work on an item in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Cell {
    advisor: String,
    month: u32,
    entries: u64,
    minutes: u64,
}

/// What an item adds to the aggregates: its fields and its cells, by advisor then month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct ItemTally {
    topic: String,
    service: String,
    department: String,
    rating: u8,
    cells: Vec<Cell>,
}

impl ItemTally {
    /// Counts one entry in; its fields become the item's (an item's entries share them).
    pub(super) fn add(&mut self, record: &EntryRecord, date: NaiveDate) {
        self.topic.clone_from(&record.topic);
        self.service.clone_from(&record.service);
        self.department.clone_from(&record.department);
        self.rating = rating_code(record.satisfaction);
        let month = month_index(date);
        match self
            .cells
            .binary_search_by(|c| (c.advisor.as_str(), c.month).cmp(&(&record.advisor, month)))
        {
            Ok(i) => {
                self.cells[i].entries += 1;
                self.cells[i].minutes += record.minutes;
            }
            Err(i) => self.cells.insert(
                i,
                Cell {
                    advisor: record.advisor.clone(),
                    month,
                    entries: 1,
                    minutes: record.minutes,
                },
            ),
        }
    }

    /// Counts one entry out; false when the item never counted it (aggregates out of step).
    pub(super) fn remove(&mut self, record: &EntryRecord, date: NaiveDate) -> bool {
        let month = month_index(date);
        let Ok(i) = self
            .cells
            .binary_search_by(|c| (c.advisor.as_str(), c.month).cmp(&(&record.advisor, month)))
        else {
            return false;
        };
        let cell = &mut self.cells[i];
        if cell.entries == 0 || cell.minutes < record.minutes {
            return false;
        }
        cell.entries -= 1;
        cell.minutes -= record.minutes;
        if cell.entries == 0 {
            self.cells.remove(i);
        }
        true
    }

    pub(super) fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The advisors with work on the item.
    pub(super) fn advisors(&self) -> impl Iterator<Item = &str> {
        self.cells.iter().map(|c| c.advisor.as_str())
    }

    /// The stored value of item `item`'s cells.
    pub(super) fn encode(&self, item: u64) -> Vec<u8> {
        sealed(
            &item_key(item),
            postcard::to_stdvec(self).unwrap_or_default(),
        )
    }

    /// Item `item`'s cells as stored; `None` when they do not decode or fail their check.
    pub(super) fn decode(item: u64, stored: &[u8]) -> Option<ItemTally> {
        postcard::from_bytes(unsealed(&item_key(item), stored)?).ok()
    }
}

/// The key of an item's cells.
pub(super) fn item_key(item: u64) -> [u8; 9] {
    let mut k = [0; 9];
    k[0] = b'i';
    k[1..].copy_from_slice(&item.to_be_bytes());
    k
}

/// The kinds of group, as the first byte of a group's key.
const KINDS: [(u8, Option<GroupBy>); 7] = [
    (b'T', None),
    (b'a', Some(GroupBy::Advisor)),
    (b'c', Some(GroupBy::Category)),
    (b't', Some(GroupBy::Topic)),
    (b's', Some(GroupBy::Service)),
    (b'd', Some(GroupBy::Department)),
    (b'm', Some(GroupBy::Month)),
];

/// The group of an advisor's work.
pub(super) fn advisor_group(advisor: &str) -> Vec<u8> {
    group(b'a', advisor)
}

fn group(kind: u8, code: &str) -> Vec<u8> {
    let mut g = Vec::with_capacity(code.len() + 1);
    g.push(kind);
    g.extend_from_slice(code.as_bytes());
    g
}

/// month → group → (rating, other end) → items: spans by their last month, gaps by theirs.
type Runs = BTreeMap<u32, BTreeMap<Vec<u8>, BTreeMap<(u8, u32), i64>>>;

/// Signed changes to the aggregates' records, gathered before they are written. Keyed by month
/// first, then by group, so that a group is looked up by its bytes and copied only when it is
/// met for the first time in a month.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Delta {
    /// month → group → (minutes, entries).
    months: BTreeMap<u32, BTreeMap<Vec<u8>, (i64, i64)>>,
    /// last → group → (rating, first) → items.
    spans: Runs,
    /// hi → group → (rating, lo) → items.
    gaps: Runs,
    /// group → minutes and items by rating, over the whole history.
    whole: BTreeMap<Vec<u8>, Whole>,
}

/// A group's figures over the whole history, as a change to them (signed) or as stored.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Whole<N = i64> {
    minutes: N,
    /// Items by rating: none, satisfied, basic, unsatisfied.
    items: [N; 4],
}

/// Changes with `f` the value `map` holds for `key`, made (the key copied) when it holds none.
fn update<V: Default>(map: &mut BTreeMap<Vec<u8>, V>, key: &[u8], f: impl FnOnce(&mut V)) {
    match map.get_mut(key) {
        Some(value) => f(value),
        None => f(map.entry(key.to_vec()).or_default()),
    }
}

impl Delta {
    pub(super) fn is_empty(&self) -> bool {
        self.months.is_empty()
            && self.spans.is_empty()
            && self.gaps.is_empty()
            && self.whole.is_empty()
    }

    /// Adds (`sign` 1) or takes away (`sign` −1) what `item` contributes; `category` names an
    /// advisor's category code.
    pub(super) fn count(
        &mut self,
        item: &ItemTally,
        category: &impl Fn(&str) -> String,
        sign: i64,
    ) {
        // Each group the item is counted in: its key, its months (ascending) and its minutes.
        // An item has a few cells, so a list searched in turn is the quickest map.
        let mut of_item: Vec<(Vec<u8>, Vec<u32>, i64)> = Vec::new();
        let mut key = Vec::new();
        for cell in &item.cells {
            let (category, month) = (category(&cell.advisor), month_code(cell.month));
            let codes = [
                (b'T', ""),
                (b'a', cell.advisor.as_str()),
                (b'c', category.as_str()),
                (b't', item.topic.as_str()),
                (b's', item.service.as_str()),
                (b'd', item.department.as_str()),
                (b'm', month.as_str()),
            ];
            let minutes = i64::try_from(cell.minutes).unwrap_or(i64::MAX);
            let entries = i64::try_from(cell.entries).unwrap_or(i64::MAX);
            let groups = self.months.entry(cell.month).or_default();
            for (kind, code) in codes {
                key.clear();
                key.push(kind);
                key.extend_from_slice(code.as_bytes());
                update(groups, &key, |figures: &mut (i64, i64)| {
                    figures.0 += sign * minutes;
                    figures.1 += sign * entries;
                });
                match of_item.iter_mut().find(|(g, ..)| *g == key) {
                    Some((_, months, of_group)) => {
                        if let Err(at) = months.binary_search(&cell.month) {
                            months.insert(at, cell.month);
                        }
                        *of_group += minutes;
                    }
                    None => of_item.push((key.clone(), vec![cell.month], minutes)),
                }
            }
        }
        let rating = usize::from(item.rating.min(3));
        for (g, months, minutes) in of_item {
            self.count_runs(&g, item.rating, &months, sign);
            update(&mut self.whole, &g, |whole: &mut Whole| {
                whole.minutes += sign * minutes;
                whole.items[rating] += sign;
            });
        }
    }

    /// The span of `months` (ascending, no repeats) and the gaps between its runs.
    fn count_runs(&mut self, g: &[u8], rating: u8, months: &[u32], sign: i64) {
        let (Some(&first), Some(&last)) = (months.first(), months.last()) else {
            return;
        };
        update(self.spans.entry(last).or_default(), g, |spans| {
            *spans.entry((rating, first)).or_default() += sign;
        });
        for pair in months.windows(2) {
            let (previous, month) = (pair[0], pair[1]);
            if month > previous + 1 {
                update(self.gaps.entry(month - 1).or_default(), g, |gaps| {
                    *gaps.entry((rating, previous + 1)).or_default() += sign;
                });
            }
        }
    }

    /// The records this delta changes, with the change each makes.
    pub(super) fn records(&self) -> Vec<(Vec<u8>, Change)> {
        let mut out = Vec::new();
        for (month, groups) in &self.months {
            for (g, figures) in groups {
                if *figures != (0, 0) {
                    out.push((record_key(b'm', *month, g), Change::Figures(*figures)));
                }
            }
        }
        for (tag, map) in [(b's', &self.spans), (b'h', &self.gaps)] {
            for ((month, g), counts) in map
                .iter()
                .flat_map(|(month, groups)| groups.iter().map(move |(g, c)| ((month, g), c)))
            {
                let counts: Vec<((u8, u32), i64)> = counts
                    .iter()
                    .filter(|(_, n)| **n != 0)
                    .map(|(k, n)| (*k, *n))
                    .collect();
                if !counts.is_empty() {
                    out.push((record_key(tag, *month, g), Change::Counts(counts)));
                }
            }
        }
        for (g, whole) in &self.whole {
            if *whole != Whole::default() {
                out.push((whole_key(g), Change::Whole(*whole)));
            }
        }
        out
    }
}

/// What a delta does to one record.
pub(super) enum Change {
    /// Minutes and entries added.
    Figures((i64, i64)),
    /// Items added by (rating, month).
    Counts(Vec<((u8, u32), i64)>),
    /// Minutes and items added to the whole history.
    Whole(Whole),
}

/// The key of a group's figures over the whole history: `w`, then the group.
fn whole_key(g: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + g.len());
    k.push(WHOLE);
    k.extend_from_slice(g);
    k
}

/// The first byte of the keys of the whole history's figures.
const WHOLE: u8 = b'w';

fn record_key(tag: u8, month: u32, g: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(5 + g.len());
    k.push(tag);
    k.extend_from_slice(&month.to_be_bytes());
    k.extend_from_slice(g);
    k
}

/// A month record's value.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Figures {
    minutes: u64,
    entries: u64,
}

/// A span or gap record's value: (rating, month, items), sorted, none zero.
type CountList = Vec<(u8, u32, u64)>;

/// `old` (the stored value, if any) changed by `change`: the new value, `None` when the record
/// goes, or `Err` when the change takes away more than is there (aggregates out of step).
pub(super) fn changed(
    key: &[u8],
    old: Option<&[u8]>,
    change: &Change,
) -> Result<Option<Vec<u8>>, OutOfStep> {
    let old = match old {
        Some(stored) => Some(unsealed(key, stored).ok_or(OutOfStep)?),
        None => None,
    };
    let value = changed_value(old, change)?;
    Ok(value.map(|v| sealed(key, v)))
}

fn changed_value(old: Option<&[u8]>, change: &Change) -> Result<Option<Vec<u8>>, OutOfStep> {
    match change {
        Change::Figures((minutes, entries)) => {
            let was: Figures = match old {
                Some(bytes) => postcard::from_bytes(bytes).map_err(|_| OutOfStep)?,
                None => Figures::default(),
            };
            let now = Figures {
                minutes: was.minutes.checked_add_signed(*minutes).ok_or(OutOfStep)?,
                entries: was.entries.checked_add_signed(*entries).ok_or(OutOfStep)?,
            };
            Ok((now != Figures::default()).then(|| postcard::to_stdvec(&now).unwrap_or_default()))
        }
        Change::Counts(counts) => {
            let was: CountList = match old {
                Some(bytes) => postcard::from_bytes(bytes).map_err(|_| OutOfStep)?,
                None => Vec::new(),
            };
            let mut now: BTreeMap<(u8, u32), u64> =
                was.into_iter().map(|(r, m, n)| ((r, m), n)).collect();
            for (k, n) in counts {
                let value = now.entry(*k).or_default();
                *value = value.checked_add_signed(*n).ok_or(OutOfStep)?;
            }
            let list: CountList = now
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|((r, m), n)| (r, m, n))
                .collect();
            Ok((!list.is_empty()).then(|| postcard::to_stdvec(&list).unwrap_or_default()))
        }
        Change::Whole(change) => {
            let was: Whole<u64> = match old {
                Some(bytes) => postcard::from_bytes(bytes).map_err(|_| OutOfStep)?,
                None => Whole::default(),
            };
            let mut now = Whole {
                minutes: was
                    .minutes
                    .checked_add_signed(change.minutes)
                    .ok_or(OutOfStep)?,
                items: was.items,
            };
            for (n, d) in now.items.iter_mut().zip(change.items) {
                *n = n.checked_add_signed(d).ok_or(OutOfStep)?;
            }
            Ok((now != Whole::default()).then(|| postcard::to_stdvec(&now).unwrap_or_default()))
        }
    }
}

/// The aggregates do not agree with what a change takes away: they are rebuilt from entries.
#[derive(Debug)]
pub(super) struct OutOfStep;

/// Every record of the aggregates, counted from the items' cells: what a rebuild writes and
/// what `verify` compares the tree with.
pub(super) fn all_records(
    items: &HashMap<u64, ItemTally>,
    category: &impl Fn(&str) -> String,
) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut delta = Delta::default();
    let mut out = BTreeMap::new();
    for (id, item) in items {
        delta.count(item, category, 1);
        out.insert(item_key(*id).to_vec(), item.encode(*id));
    }
    for (key, change) in delta.records() {
        if let Ok(Some(value)) = changed(&key, None, &change) {
            out.insert(key, value);
        }
    }
    out
}

/// Reads a period of whole months (`m1..=m2`) out of the records of the `tallies` tree:
/// `records(tag, from)` lists the records of one kind from a month on, in key order.
/// `None` when a record fails its check, does not decode, or the figures come out below zero:
/// the caller treats that as damage.
pub(super) fn read_counts<E>(
    m1: u32,
    m2: u32,
    mut records: impl FnMut(u8, u32, &mut dyn FnMut(&[u8], &[u8]) -> bool) -> Result<(), E>,
) -> Result<Option<Counts>, E> {
    if let Some(counts) = whole_history(m1, m2, &mut records)? {
        return Ok(counts);
    }
    let mut sums: HashMap<Vec<u8>, Sums> = HashMap::new();
    let mut sound = month_records(m1, m2, &mut records, |_, g, f| {
        sums.entry(g.to_vec()).or_default().minutes += f.minutes;
        true
    })?;
    for (tag, sign) in [(b's', 1), (b'h', -1)] {
        let (from, meets) = if sign > 0 {
            (
                m1,
                Box::new(move |first: u32| first <= m2) as Box<dyn Fn(u32) -> bool>,
            )
        } else {
            (
                m2,
                Box::new(move |lo: u32| lo <= m1) as Box<dyn Fn(u32) -> bool>,
            )
        };
        records(tag, from, &mut |key, stored| {
            let (Some((_, g)), Some(Ok(list))) = (
                split_key(key),
                unsealed(key, stored).map(postcard::from_bytes::<CountList>),
            ) else {
                sound = false;
                return false;
            };
            let s = sums.entry(g.to_vec()).or_default();
            for (rating, month, n) in list {
                if meets(month) {
                    s.items[usize::from(rating.min(3))] += sign * i64::try_from(n).unwrap_or(0);
                }
            }
            true
        })?;
    }
    Ok(sound.then(|| counts_of(sums)).flatten())
}

/// The figures of `m1..=m2` out of the `w` records, when those months hold every month with
/// entries: `Some(None)` when a record fails its check or does not decode, `None` when the
/// months leave some entries out (or there are none), so the months' records are read.
fn whole_history<E>(
    m1: u32,
    m2: u32,
    records: &mut impl FnMut(u8, u32, &mut dyn FnMut(&[u8], &[u8]) -> bool) -> Result<(), E>,
) -> Result<Option<Option<Counts>>, E> {
    let mut sums: HashMap<Vec<u8>, Sums> = HashMap::new();
    let mut sound = true;
    // The first and the last month with entries: the months' own groups say.
    let mut span: Option<(u32, u32)> = None;
    records(WHOLE, 0, &mut |key, stored| {
        let figures = unsealed(key, stored).map(postcard::from_bytes::<Whole<u64>>);
        let (Some(g), Some(Ok(figures))) = (key.get(1..), figures) else {
            sound = false;
            return false;
        };
        if let Some((&b'm', code)) = g.split_first() {
            let Some(month) = std::str::from_utf8(code).ok().and_then(month_of_code) else {
                sound = false;
                return false;
            };
            span = Some(span.map_or((month, month), |(a, b)| (a.min(month), b.max(month))));
        }
        let mut items = [0; 4];
        for (to, from) in items.iter_mut().zip(figures.items) {
            *to = i64::try_from(from).unwrap_or(i64::MAX);
        }
        sums.insert(
            g.to_vec(),
            Sums {
                minutes: figures.minutes,
                items,
            },
        );
        true
    })?;
    if !sound {
        return Ok(Some(None));
    }
    Ok(match span {
        Some((first, last)) if m1 <= first && last <= m2 => Some(counts_of(sums)),
        _ => None,
    })
}

/// Records of the aggregates, key and stored value, in key order.
pub(super) type Records = Vec<(Vec<u8>, Vec<u8>)>;

/// The whole history's records as the months' records give them: each group's minutes summed
/// over its `m` records, and its items over its `s` records (over every month, each span
/// counts once and no gap holds the period). What a store whose aggregates predate them
/// gains at its migration, without counting every entry again. `None` when a record fails
/// its check or does not decode: the caller counts afresh from the entries.
pub(super) fn whole_from_months<E>(
    mut records: impl FnMut(u8, u32, &mut dyn FnMut(&[u8], &[u8]) -> bool) -> Result<(), E>,
) -> Result<Option<Records>, E> {
    let mut whole: BTreeMap<Vec<u8>, Whole<u64>> = BTreeMap::new();
    let mut sound = month_records(0, u32::MAX, &mut records, |_, g, figures| {
        let w = whole.entry(g.to_vec()).or_default();
        w.minutes = w.minutes.saturating_add(figures.minutes);
        true
    })?;
    if sound {
        records(b's', 0, &mut |key, stored| {
            let (Some((_, g)), Some(Ok(list))) = (
                split_key(key),
                unsealed(key, stored).map(postcard::from_bytes::<CountList>),
            ) else {
                sound = false;
                return false;
            };
            let w = whole.entry(g.to_vec()).or_default();
            for (rating, _, n) in list {
                let at = usize::from(rating.min(3));
                w.items[at] = w.items[at].saturating_add(n);
            }
            true
        })?;
    }
    Ok(sound.then(|| {
        whole
            .into_iter()
            .map(|(g, w)| {
                let key = whole_key(&g);
                let value = sealed(&key, postcard::to_stdvec(&w).unwrap_or_default());
                (key, value)
            })
            .collect()
    }))
}

/// The month number of a `YYYY-MM` code, as [`month_code`] writes it.
fn month_of_code(code: &str) -> Option<u32> {
    let (year, month) = code.split_once('-')?;
    let (year, month): (u32, u32) = (year.parse().ok()?, month.parse().ok()?);
    (1..=12).contains(&month).then(|| year * 12 + month - 1)
}

/// Each advisor's minutes in each month of `m1..=m2` out of the `m` records, in key order
/// (`records` as for [`read_counts`]): `(month, advisor, minutes)`. `None` when a record fails
/// its check or does not decode.
pub(super) fn read_advisor_months<E>(
    m1: u32,
    m2: u32,
    mut records: impl FnMut(u8, u32, &mut dyn FnMut(&[u8], &[u8]) -> bool) -> Result<(), E>,
) -> Result<Option<Vec<MonthMinutes>>, E> {
    let mut months = Vec::new();
    let sound = month_records(m1, m2, &mut records, |month, g, f| {
        let Some((&b'a', code)) = g.split_first() else {
            return true;
        };
        let Ok(advisor) = std::str::from_utf8(code) else {
            return false;
        };
        months.push((month, advisor.to_string(), Minutes(f.minutes)));
        true
    })?;
    Ok(sound.then_some(months))
}

/// Hands `f` each `m` record of the months `m1..=m2` (its month, its group and its figures),
/// checked and decoded, until `f` refuses one; whether every record read was sound.
fn month_records<E>(
    m1: u32,
    m2: u32,
    records: &mut impl FnMut(u8, u32, &mut dyn FnMut(&[u8], &[u8]) -> bool) -> Result<(), E>,
    mut f: impl FnMut(u32, &[u8], Figures) -> bool,
) -> Result<bool, E> {
    let mut sound = true;
    records(b'm', m1, &mut |key, stored| {
        let (Some((month, g)), Some(value)) = (split_key(key), unsealed(key, stored)) else {
            sound = false;
            return false;
        };
        if month > m2 {
            return false;
        }
        sound = postcard::from_bytes::<Figures>(value).is_ok_and(|figures| f(month, g, figures));
        sound
    })?;
    Ok(sound)
}

/// An advisor's minutes in a month (by its number).
pub(super) type MonthMinutes = (u32, String, Minutes);

/// A group's figures while they are read: minutes, and items by rating (none first).
#[derive(Default)]
struct Sums {
    minutes: u64,
    items: [i64; 4],
}

fn split_key(key: &[u8]) -> Option<(u32, &[u8])> {
    let month = u32::from_be_bytes(key.get(1..5)?.try_into().ok()?);
    Some((month, key.get(5..)?))
}

/// The counts by grouping; `None` when a group's items come out below zero (out of step).
fn counts_of(sums: HashMap<Vec<u8>, Sums>) -> Option<Counts> {
    let mut counts = Counts::default();
    for (g, s) in sums {
        let items: Option<Vec<u64>> = s.items.iter().map(|n| u64::try_from(*n).ok()).collect();
        let items = items?;
        let counted = Counted {
            items: items.iter().sum(),
            minutes: Minutes(s.minutes),
            satisfied: items[1],
            basic: items[2],
            unsatisfied: items[3],
        };
        if counted == Counted::default() {
            continue;
        }
        let (kind, code) = g.split_first()?;
        let code = std::str::from_utf8(code).ok()?.to_string();
        match KINDS.iter().find(|(k, _)| k == kind)?.1 {
            None => counts.total = counted,
            Some(by) => {
                counts.groups.entry(by).or_default().insert(code, counted);
            }
        }
    }
    Some(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn record(item: u64, advisor: &str, minutes: u64, topic: &str) -> EntryRecord {
        EntryRecord {
            item,
            advisor: advisor.into(),
            minutes,
            note: String::new(),
            topic: topic.into(),
            service: "opinion".into(),
            department: "财政局".into(),
            satisfaction: Some(Satisfaction::Satisfied),
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The aggregates of some items written into a map, read back for `m1..=m2`.
    fn read(items: &HashMap<u64, ItemTally>, from: &str, to: &str) -> Counts {
        let records = all_records(items, &|a: &str| format!("cat-{a}"));
        read_kinds(&records, from, to, &[]).0.unwrap()
    }

    /// Hands `f` the records of kind `tag` from month `from` on, as the store's own
    /// `tally_records` does.
    fn walk(
        records: &BTreeMap<Vec<u8>, Vec<u8>>,
        tag: u8,
        from: u32,
        f: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), ()> {
        let start = record_key(tag, from, b"");
        for (k, v) in records.range(start..) {
            if k[0] != tag || !f(k, v) {
                break;
            }
        }
        Ok(())
    }

    #[test]
    fn an_item_with_a_gap_counts_once_and_not_in_its_gap() {
        let mut items = HashMap::new();
        let mut one = ItemTally::default();
        one.add(&record(1, "A1", 60, "contracts"), d("2024-01-10"));
        one.add(&record(1, "A1", 30, "contracts"), d("2024-04-02"));
        items.insert(1, one);
        let mut two = ItemTally::default();
        two.add(&record(2, "A2", 45, "labor"), d("2024-02-03"));
        items.insert(2, two);
        let year = read(&items, "2024-01-01", "2024-12-31");
        assert_eq!((year.total.items, year.total.minutes), (2, Minutes(135)));
        let gap = read(&items, "2024-02-01", "2024-03-31");
        assert_eq!((gap.total.items, gap.total.minutes), (1, Minutes(45)));
        assert!(!gap.groups[&GroupBy::Topic].contains_key("contracts"));
        let april = read(&items, "2024-03-01", "2024-04-30");
        assert_eq!(april.groups[&GroupBy::Advisor]["A1"].items, 1);
        assert_eq!(april.groups[&GroupBy::Category]["cat-A1"].satisfied, 1);
        assert_eq!(
            april.groups[&GroupBy::Month]["2024-04"].minutes,
            Minutes(30)
        );
    }

    /// `records` read for `from..=to` through [`read_counts`], with the kinds of record it
    /// asked for; `hide` kinds are read as if the store had none of them.
    fn read_kinds(
        records: &BTreeMap<Vec<u8>, Vec<u8>>,
        from: &str,
        to: &str,
        hide: &[u8],
    ) -> (Option<Counts>, BTreeSet<u8>) {
        let mut asked = BTreeSet::new();
        let (m1, m2) = (month_index(d(from)), month_index(d(to)));
        let counts = read_counts::<()>(m1, m2, |tag, from, f| {
            asked.insert(tag);
            if hide.contains(&tag) {
                return Ok(());
            }
            walk(records, tag, from, f)
        })
        .unwrap();
        (counts, asked)
    }

    #[test]
    fn the_whole_history_reads_its_own_block_and_gives_the_months_figures() {
        let mut items = HashMap::new();
        let mut one = ItemTally::default();
        one.add(&record(1, "A1", 60, "contracts"), d("2023-11-10"));
        one.add(&record(1, "A2", 30, "contracts"), d("2024-04-02"));
        items.insert(1, one);
        let mut two = ItemTally::default();
        two.add(&record(2, "A2", 45, "labor"), d("2024-02-03"));
        items.insert(2, two);
        let records = all_records(&items, &|a: &str| format!("cat-{a}"));
        // Every month with entries, and more: the whole history's records alone.
        let (whole, asked) = read_kinds(&records, "2020-01-01", "2026-12-31", &[]);
        assert_eq!(asked, BTreeSet::from([WHOLE]));
        let whole = whole.unwrap();
        assert_eq!((whole.total.items, whole.total.minutes), (2, Minutes(135)));
        assert_eq!(whole.groups[&GroupBy::Advisor]["A2"].items, 2);
        assert_eq!(whole.groups[&GroupBy::Topic]["contracts"].satisfied, 1);
        // The same figures as the months give.
        let (months, _) = read_kinds(&records, "2020-01-01", "2026-12-31", &[WHOLE]);
        assert_eq!(Some(whole), months);
        // A period that leaves a month with entries out reads the months.
        let (part, asked) = read_kinds(&records, "2024-01-01", "2024-12-31", &[]);
        assert!(asked.contains(&b'm') && asked.contains(&b's'));
        let part = part.unwrap();
        assert_eq!((part.total.items, part.total.minutes), (2, Minutes(75)));
        assert!(!part.groups[&GroupBy::Advisor].contains_key("A1"));
    }

    #[test]
    fn the_months_records_give_the_whole_historys_as_a_recount_does() {
        let mut items = HashMap::new();
        for (id, (advisor, date, rating)) in [
            ("A1", "2023-11-10", None),
            ("A2", "2024-04-02", Some(Satisfaction::Basic)),
            ("A1", "2024-02-03", Some(Satisfaction::Satisfied)),
        ]
        .into_iter()
        .enumerate()
        {
            let mut item = ItemTally::default();
            let mut r = record(id as u64, advisor, 30 + id as u64, "contracts");
            r.satisfaction = rating;
            item.add(&r, d(date));
            r.advisor = "A3".into();
            item.add(&r, d("2024-06-01"));
            items.insert(id as u64, item);
        }
        let records = all_records(&items, &|a: &str| format!("cat-{a}"));
        let counted: Vec<(Vec<u8>, Vec<u8>)> = records
            .iter()
            .filter(|(k, _)| k[0] == WHOLE)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert!(counted.len() > 10, "{}", counted.len());
        let from_months = whole_from_months(|tag, from, f| walk(&records, tag, from, f)).unwrap();
        assert_eq!(from_months, Some(counted));
    }

    #[test]
    fn a_changed_byte_in_the_whole_historys_figures_is_damage_not_a_figure() {
        let mut item = ItemTally::default();
        item.add(&record(1, "A1", 60, "contracts"), d("2024-01-10"));
        let items = HashMap::from([(1, item)]);
        let mut records = all_records(&items, &|a: &str| a.to_string());
        let key = whole_key(&group(b'T', ""));
        let value = records
            .get_mut(&key)
            .expect("the total's whole-history record");
        value[0] ^= 1;
        let (counts, _) = read_kinds(&records, "2024-01-01", "2024-01-31", &[]);
        assert_eq!(counts, None);
    }

    #[test]
    fn taking_an_item_out_leaves_nothing() {
        let mut item = ItemTally::default();
        item.add(&record(1, "A1", 60, "contracts"), d("2024-01-10"));
        item.add(&record(1, "A1", 30, "contracts"), d("2024-05-02"));
        let stored = item.encode(1);
        assert_eq!(ItemTally::decode(1, &stored), Some(item.clone()));
        assert_eq!(
            ItemTally::decode(2, &stored),
            None,
            "a record moved to another key"
        );
        let mut delta = Delta::default();
        let category = |a: &str| a.to_string();
        delta.count(&item, &category, 1);
        delta.count(&item, &category, -1);
        assert!(delta.records().is_empty());
        assert!(item.remove(&record(1, "A1", 30, "contracts"), d("2024-05-02")));
        assert!(!item.remove(&record(1, "A1", 30, "contracts"), d("2024-05-02")));
    }
}
