//! What the screens show for a period, read from the store in one go after every change.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{Datelike, Months, NaiveDate};

use crate::domain::model::{AdvisorMatch, ItemStatus, find_advisor};
use crate::domain::period::PeriodKind;
use crate::domain::{
    Advisor, Catalog, Entry, GroupBy, Item, ItemId, Labels, Lang, Minutes, Period, Summary, Tally,
};
use crate::report::missing::Sources;
use crate::report::{Gatherer, Names};
use crate::store::{ClosedMonth, Month, Result, Store, Timer};

/// One line of the Log screen.
#[derive(Debug, Clone)]
pub struct LogRow {
    pub entry: Entry,
    pub item: Item,
    pub advisor_name: String,
    /// Where the entry came from, and what it was as logged when corrected.
    pub provenance: crate::store::Provenance,
}

/// One line of the Items screen: an item with its entries in the period.
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub item: Item,
    pub entries: usize,
    pub minutes: Minutes,
    pub advisors: Vec<String>,
}

/// One advisor on the Team screen.
#[derive(Debug, Clone)]
pub struct TeamRow {
    pub advisor: Advisor,
    pub items: u64,
    pub minutes: Minutes,
    /// Minutes in each of the twelve months ending with the period's last month.
    pub months: [u64; 12],
}

/// Everything the screens need for one period.
pub struct PeriodData {
    pub period: Period,
    pub advisors: HashMap<String, Advisor>,
    pub topics: Catalog,
    pub services: Catalog,
    /// Entries of the period, newest first.
    pub log: Vec<LogRow>,
    /// Items with entries in the period, most recent first.
    pub items: Vec<ItemRow>,
    pub tally: Tally,
    pub summary: Summary,
    /// Active advisors, most items first; those with nothing logged last.
    pub team: Vec<TeamRow>,
    /// Every department items have named, for completion in the form.
    pub departments: Vec<String>,
    /// Open items of the last year, for the form's item picker, most recent first.
    pub recent_items: Vec<Item>,
    pub timer: Option<(Timer, Option<Item>)>,
    /// The period's mark when it is a closed month.
    pub closed: Option<ClosedMonth>,
    /// The stores enrolled here and whom each speaks for: none, except at an office that
    /// gathers bundles.
    pub sources: Sources,
    /// Where each item stands in `items`, for the Log's detail line.
    item_at: HashMap<ItemId, usize>,
    /// Which reading of the store this is: what the screens worked out from the rows is kept
    /// until the rows are read again.
    reading: u64,
}

/// Readings of the store so far, in this process: each gets its own number.
static READINGS: AtomicU64 = AtomicU64::new(0);

impl PeriodData {
    pub fn load(store: &Store, period: Period, group: GroupBy, lang: Lang) -> Result<PeriodData> {
        let names = Names::read(store)?;
        let mut items = ItemReader::new(store);
        let (log, item_rows) = log_and_items(store, period, &names.advisors, &mut items)?;
        let item_at = item_rows
            .iter()
            .enumerate()
            .map(|(at, r)| (r.item.id, at))
            .collect();
        let figures = Figures::gather(store, &names.labels(lang), period, group)?;
        let team = team(&names.advisors, &figures.by_advisor, &figures.months);
        let recent_items = recent_items(store, period, &mut items)?;
        let timer = match store.timer()? {
            Some(t) => {
                let it = store.item(t.item)?;
                Some((t, it))
            }
            None => None,
        };
        let Names {
            advisors,
            topics,
            services,
        } = names;
        Ok(PeriodData {
            period,
            advisors,
            topics,
            services,
            log,
            items: item_rows,
            tally: figures.tally,
            summary: figures.summary,
            team,
            departments: store.departments()?,
            recent_items,
            timer,
            closed: match Month::of_period(&period) {
                Some(month) => store.closed_month(month)?,
                None => None,
            },
            sources: Sources::read(store)?,
            item_at,
            reading: READINGS.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// This reading of the store, told apart from every other: the rows a screen narrowed
    /// from an earlier one are not these.
    pub fn reading(&self) -> u64 {
        self.reading
    }

    /// The Items row of an item with entries in the period.
    pub fn item_row(&self, id: ItemId) -> Option<&ItemRow> {
        self.item_at.get(&id).and_then(|&at| self.items.get(at))
    }

    /// The advisor an id names, as typed: exactly, else the one advisor whose id differs only in
    /// letter case (`a001` for `A001`), as the store reads it too.
    pub fn advisor(&self, id: &str) -> Option<&Advisor> {
        match find_advisor(&self.advisors, id) {
            AdvisorMatch::One(a) => Some(a),
            _ => None,
        }
    }
}

/// Items read from the store once each, however many entries name them.
struct ItemReader<'s> {
    store: &'s Store,
    read: HashMap<ItemId, Item>,
}

impl<'s> ItemReader<'s> {
    fn new(store: &'s Store) -> ItemReader<'s> {
        ItemReader {
            store,
            read: HashMap::new(),
        }
    }

    fn get(&mut self, id: ItemId) -> Result<Item> {
        if let Some(item) = self.read.get(&id) {
            return Ok(item.clone());
        }
        // An entry whose item is gone is damage, never a line with a stand-in.
        let found = self.store.item(id)?.ok_or_else(|| {
            self.store.notice(crate::store::StoreError::Damaged {
                path: self.store.path().to_path_buf(),
                what: crate::store::Damage::Missing(crate::store::Missing::Item(id)),
            })
        })?;
        self.read.insert(id, found.clone());
        Ok(found)
    }
}

/// The Log screen's lines, newest first, and the Items screen's, most recent first.
fn log_and_items(
    store: &Store,
    period: Period,
    advisors: &HashMap<String, Advisor>,
    items: &mut ItemReader,
) -> Result<(Vec<LogRow>, Vec<ItemRow>)> {
    let entries = store.entries(period)?;
    // A store of one desk, with no peers and no corrections, has nothing to look up.
    let team = store.has_team_records()?;
    let mut log = Vec::with_capacity(entries.len());
    let mut by_item: HashMap<ItemId, ItemRow> = HashMap::new();
    let mut item_order: Vec<ItemId> = Vec::new();
    for entry in entries.into_iter().rev() {
        let it = items.get(entry.item)?;
        let row = by_item.entry(it.id).or_insert_with(|| {
            item_order.push(it.id);
            ItemRow {
                item: it.clone(),
                entries: 0,
                minutes: Minutes::ZERO,
                advisors: Vec::new(),
            }
        });
        row.entries += 1;
        row.minutes += entry.minutes;
        if !row.advisors.contains(&entry.advisor) {
            row.advisors.push(entry.advisor.clone());
        }
        let advisor_name = advisors
            .get(&entry.advisor)
            .map_or_else(|| entry.advisor.clone(), |a| a.name.clone());
        let provenance = if team {
            store.provenance(&entry)?
        } else {
            crate::store::Provenance::default()
        };
        log.push(LogRow {
            entry,
            item: it,
            advisor_name,
            provenance,
        });
    }
    let item_rows = item_order
        .into_iter()
        .filter_map(|id| by_item.remove(&id))
        .collect();
    Ok((log, item_rows))
}

/// The period's figures, and what the twelve months up to its end show beside them.
struct Figures {
    /// Grouped as the Tallies screen asks.
    tally: Tally,
    by_advisor: Tally,
    summary: Summary,
    /// Each advisor's minutes in each of the twelve months, oldest first.
    months: HashMap<String, [u64; 12]>,
}

impl Figures {
    fn gather(
        store: &Store,
        labels: &Labels<'_>,
        period: Period,
        group: GroupBy,
    ) -> Result<Figures> {
        let year_start = year_start(period);
        let gatherer = Gatherer::new(store, labels, period);
        let mut months: HashMap<String, [u64; 12]> = HashMap::new();
        let mut add = |advisor: &str, date: NaiveDate, minutes: Minutes| {
            if let Some(back) = months_before(period.to, date)
                && back < 12
            {
                months.entry(advisor.to_string()).or_insert([0; 12])[11 - back] += minutes.0;
            }
        };
        // The period's figures and the advisors' months from the store's aggregates, a few
        // records a month however many entries; counted from the entries when they are out of
        // date.
        let gathered = match store.advisor_months(year_start, period.to)? {
            Some(by_month) => {
                for m in by_month {
                    add(&m.advisor, m.month, m.minutes);
                }
                gatherer.report(&[group, GroupBy::Advisor])?
            }
            None => {
                let span = Period {
                    from: year_start.min(period.from),
                    to: period.to,
                    kind: PeriodKind::Range,
                };
                gatherer.report_over(&[group, GroupBy::Advisor], span, |f| {
                    if f.date >= year_start {
                        add(&f.advisor, f.date, f.minutes);
                    }
                })?
            }
        };
        let mut tallies = gathered.tallies.into_iter();
        let (Some(tally), Some(by_advisor)) = (tallies.next(), tallies.next()) else {
            unreachable!("one tally per grouping asked for");
        };
        Ok(Figures {
            tally,
            by_advisor,
            summary: gathered.summary,
            months,
        })
    }
}

/// The first day of the twelve months that end with the period's last: what the Team screen's
/// sparklines and the form's item picker look back over.
fn year_start(period: Period) -> NaiveDate {
    (period.to - Months::new(11))
        .with_day(1)
        .unwrap_or(period.from)
}

/// How many months before `last`'s month `date` falls (0 in the same month); `None` after it.
fn months_before(last: NaiveDate, date: NaiveDate) -> Option<usize> {
    let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    usize::try_from(index(last) - index(date)).ok()
}

/// The Team screen: every advisor, most items first; those with nothing logged after, and the
/// inactive among them last (listed so that `e` can reactivate them).
fn team(
    advisors: &HashMap<String, Advisor>,
    by_advisor: &Tally,
    months: &HashMap<String, [u64; 12]>,
) -> Vec<TeamRow> {
    let logged: HashMap<&str, (u64, Minutes)> = by_advisor
        .rows
        .iter()
        .map(|r| (r.key.as_str(), (r.items, r.minutes)))
        .collect();
    let mut team: Vec<TeamRow> = advisors
        .values()
        .map(|a| {
            let (items, minutes) = logged.get(a.id.as_str()).copied().unwrap_or_default();
            TeamRow {
                advisor: a.clone(),
                items,
                minutes,
                months: months.get(&a.id).copied().unwrap_or([0; 12]),
            }
        })
        .collect();
    team.sort_by(|a, b| {
        b.items
            .cmp(&a.items)
            .then(b.minutes.cmp(&a.minutes))
            .then(b.advisor.active.cmp(&a.advisor.active))
            .then_with(|| a.advisor.id.cmp(&b.advisor.id))
    });
    team
}

/// The form's item picker: open items of the twelve months, most recent first, read from the
/// newest entry back until the picker has its fill.
fn recent_items(store: &Store, period: Period, items: &mut ItemReader) -> Result<Vec<Item>> {
    let mut seen = HashSet::new();
    let mut open = Vec::new();
    for id in store.items_newest_first(year_start(period), period.to) {
        // The picker offers the most recent open items; an older one is still found by
        // typing its number. Reading every item of a busy year would slow every change.
        if open.len() >= RECENT_ITEMS {
            break;
        }
        let id = id?;
        if seen.insert(id) {
            let it = items.get(id)?;
            if it.status == ItemStatus::Open {
                open.push(it);
            }
        }
    }
    Ok(open)
}

/// How many open items the form's item picker offers.
const RECENT_ITEMS: usize = 300;
