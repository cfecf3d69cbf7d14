//! What the screens show for a period, read from the store in one go after every change.

use std::collections::HashMap;

use chrono::{Datelike, Months};

use crate::domain::tally::{Labels, Tallier};
use crate::domain::{
    Advisor, Catalog, CatalogKind, Entry, GroupBy, Item, ItemId, Lang, Minutes, Period, Summary,
    Tally,
};
use crate::store::{Result, Store, Timer};

/// One line of the Log screen.
#[derive(Debug, Clone)]
pub struct LogRow {
    pub entry: Entry,
    pub item: Item,
    pub advisor_name: String,
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
pub struct Data {
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
}

impl Data {
    pub fn load(store: &Store, period: Period, group: GroupBy, lang: Lang) -> Result<Data> {
        let advisors = store.advisors()?;
        let topics = store.catalog(CatalogKind::Topic)?;
        let services = store.catalog(CatalogKind::Service)?;
        let mut items: HashMap<ItemId, Item> = HashMap::new();
        let mut item = |id: ItemId| -> Result<Item> {
            if let Some(i) = items.get(&id) {
                return Ok(i.clone());
            }
            let found = store.item(id)?.unwrap_or_else(|| missing_item(id));
            items.insert(id, found.clone());
            Ok(found)
        };

        let entries = store.entries(period)?;
        let mut log = Vec::with_capacity(entries.len());
        let mut by_item: HashMap<ItemId, ItemRow> = HashMap::new();
        let mut item_order: Vec<ItemId> = Vec::new();
        for entry in entries.into_iter().rev() {
            let it = item(entry.item)?;
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
            log.push(LogRow {
                entry,
                item: it,
                advisor_name,
            });
        }
        let item_rows = item_order
            .into_iter()
            .filter_map(|id| by_item.remove(&id))
            .collect();

        let labels = Labels {
            advisors: &advisors,
            topics: &topics,
            services: &services,
            lang,
        };
        let mut tallier = Tallier::new(period, &labels, &[group]);
        let mut summary = Summary::tallier(period, &labels);
        let mut per_advisor = Tallier::new(period, &labels, &[GroupBy::Advisor]);
        // The Team screen's sparkline and the form's suggestions look at the last twelve months.
        let year_start = (period.to - Months::new(11))
            .with_day(1)
            .unwrap_or(period.from);
        let span = Period {
            from: year_start.min(period.from),
            to: period.to,
            kind: crate::domain::period::PeriodKind::Range,
        };
        let mut months: HashMap<String, [u64; 12]> = HashMap::new();
        let mut recent: Vec<ItemId> = Vec::new();
        store.for_each_fact(span, |f| {
            tallier.add(f);
            summary.add(f);
            per_advisor.add(f);
            if f.date >= year_start {
                let back = (period.to.year() - f.date.year()) * 12 + period.to.month() as i32
                    - f.date.month() as i32;
                if (0..12).contains(&back) {
                    months.entry(f.advisor.clone()).or_insert([0; 12])[11 - back as usize] +=
                        f.minutes.0;
                }
                recent.push(f.item);
            }
        })?;
        let tally = tallier.finish().remove(0);
        let summary = Summary::finish(summary, &advisors, lang);

        let by_advisor: HashMap<String, (u64, Minutes)> = per_advisor
            .finish()
            .remove(0)
            .rows
            .into_iter()
            .map(|r| (r.key, (r.items, r.minutes)))
            .collect();
        let mut team: Vec<TeamRow> = advisors
            .values()
            // An advisor made inactive since still shows for a period they logged time in.
            .filter(|a| a.active || by_advisor.get(&a.id).is_some_and(|(items, _)| *items > 0))
            .map(|a| {
                let (items, minutes) = by_advisor.get(&a.id).copied().unwrap_or_default();
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
                .then_with(|| a.advisor.id.cmp(&b.advisor.id))
        });

        let mut seen = std::collections::HashSet::new();
        let mut recent_items = Vec::new();
        for id in recent.into_iter().rev() {
            // The picker offers the most recent open items; an older one is still found by
            // typing its number. Reading every item of a busy year would slow every change.
            if recent_items.len() >= RECENT_ITEMS {
                break;
            }
            if seen.insert(id) {
                let it = item(id)?;
                if it.status == crate::domain::model::ItemStatus::Open {
                    recent_items.push(it);
                }
            }
        }
        let timer = match store.timer()? {
            Some(t) => {
                let it = store.item(t.item)?;
                Some((t, it))
            }
            None => None,
        };
        Ok(Data {
            period,
            advisors,
            topics,
            services,
            log,
            items: item_rows,
            tally,
            summary,
            team,
            departments: store.departments()?,
            recent_items,
            timer,
        })
    }
}

impl Data {
    /// The advisor an id names, as typed: exactly, else the one advisor whose id differs only in
    /// letter case (`a001` for `A001`), as the store reads it too.
    pub fn advisor(&self, id: &str) -> Option<&Advisor> {
        match crate::domain::model::find_advisor(&self.advisors, id) {
            crate::domain::model::AdvisorMatch::One(a) => Some(a),
            _ => None,
        }
    }
}

/// How many open items the form's item picker offers.
const RECENT_ITEMS: usize = 300;

/// Stands in for an item the store no longer has, so a screen never fails to draw.
fn missing_item(id: ItemId) -> Item {
    Item {
        id,
        number: format!("#{}", id.0),
        key: None,
        title: String::from("?"),
        topic: String::new(),
        service: String::new(),
        department: String::new(),
        reference: String::new(),
        status: Default::default(),
        satisfaction: None,
        outcome: None,
        sensitivity: Default::default(),
    }
}
