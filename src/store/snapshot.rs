//! A whole ledger as one JSON document: what `export --format json` writes and `restore` reads.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Result, Stamp, Store, StoreError, codec, ledger};
use crate::domain::import::{Fingerprint, ItemFields};
use crate::domain::{Advisor, CatalogEntry, CatalogKind, Entry, Item};

/// The name every snapshot carries, so a stray JSON file is not mistaken for one.
const FORMAT: &str = "counsel-log";
const VERSION: u64 = 1;

/// Everything in the ledger except the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub version: u64,
    pub advisors: Vec<Advisor>,
    pub topics: Vec<CatalogEntry>,
    pub services: Vec<CatalogEntry>,
    pub items: Vec<Item>,
    pub entries: Vec<Entry>,
}

impl Snapshot {
    /// Checks that the snapshot hangs together: known format, unique ids, entries pointing at
    /// items and advisors it contains, durations within a day.
    fn check(&self) -> std::result::Result<(), String> {
        if self.format != FORMAT {
            return Err(format!(
                "this is not a counsel-log export (format \"{}\")",
                self.format
            ));
        }
        if self.version > VERSION {
            return Err(format!(
                "this export is version {}, newer than this counsel-log reads: upgrade counsel-log",
                self.version
            ));
        }
        let mut advisors = HashSet::new();
        for a in &self.advisors {
            if !advisors.insert(a.id.as_str()) {
                return Err(format!("advisor {} appears twice", a.id));
            }
        }
        let mut items = HashMap::new();
        let mut refs = HashSet::new();
        for i in &self.items {
            if items.insert(i.id, i).is_some() {
                return Err(format!("item {} appears twice", i.number));
            }
            if !refs.insert(i.number.as_str())
                || i.key
                    .as_deref()
                    .is_some_and(|k| k != i.number && !refs.insert(k))
            {
                return Err(format!(
                    "item reference {} is used twice",
                    i.reference_key()
                ));
            }
        }
        let mut entries = HashSet::new();
        for e in &self.entries {
            if !entries.insert(e.id) {
                return Err(format!("entry #{} appears twice", e.id.0));
            }
            if !items.contains_key(&e.item) {
                return Err(format!(
                    "entry #{} belongs to an item that is not in the file",
                    e.id.0
                ));
            }
            if !advisors.contains(e.advisor.as_str()) {
                return Err(format!(
                    "entry #{} is by advisor {}, who is not in the file",
                    e.id.0, e.advisor
                ));
            }
            if e.minutes.0 == 0 || e.minutes > crate::domain::duration::DAY {
                return Err(format!("entry #{} has an impossible duration", e.id.0));
            }
        }
        Ok(())
    }
}

impl Store {
    /// The whole ledger as a snapshot.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let mut advisors: Vec<Advisor> = self.advisors()?.into_values().collect();
        advisors.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Snapshot {
            format: FORMAT.into(),
            version: VERSION,
            advisors,
            topics: self.catalog(CatalogKind::Topic)?.entries,
            services: self.catalog(CatalogKind::Service)?.entries,
            items: self.items()?,
            entries: self.all_entries()?,
        })
    }

    /// Loads a snapshot into this store, which must hold no records yet.
    pub fn restore(&self, snapshot: &Snapshot, source: &str, stamp: &Stamp) -> Result<()> {
        snapshot.check().map_err(|m| {
            StoreError::Rejected(format!(
                "{source} cannot be restored: {m}; nothing was changed"
            ))
        })?;
        if !self.is_empty()? {
            return Err(StoreError::Rejected(format!(
                "the store at {} already holds records, and restore never overwrites them: restore into a new store with --db NEW-PATH",
                self.path().display()
            )));
        }
        let items: HashMap<_, _> = snapshot.items.iter().map(|i| (i.id, i)).collect();
        self.commit(|tx| {
            for (kind, list) in [
                (CatalogKind::Topic, &snapshot.topics),
                (CatalogKind::Service, &snapshot.services),
            ] {
                for e in list {
                    tx.catalogs()
                        .insert(ledger::catalog_key(kind, &e.code), codec::encode_json(e))?;
                }
            }
            for a in &snapshot.advisors {
                tx.advisors()
                    .insert(a.id.as_bytes(), codec::encode_json(a))?;
            }
            let mut max_item = 0;
            let mut seqs: HashMap<String, u64> = HashMap::new();
            for item in &snapshot.items {
                ledger::write_item(tx, item)?;
                max_item = max_item.max(item.id.0);
                if let Some((year, n)) = item.number.split_once('-')
                    && let Ok(n) = n.parse::<u64>()
                {
                    let top = seqs.entry(year.to_string()).or_default();
                    *top = (*top).max(n);
                }
            }
            let mut max_entry = 0;
            for e in &snapshot.entries {
                let item = items[&e.item];
                let fp = Fingerprint::of(
                    e.date,
                    &e.advisor,
                    e.minutes,
                    &ItemFields::of(item),
                    &e.note,
                );
                ledger::write_entry(tx, e, item, &fp)?;
                max_entry = max_entry.max(e.id.0);
            }
            tx.raise("item_id", max_item)?;
            tx.raise("entry_id", max_entry)?;
            for (year, n) in &seqs {
                tx.raise(&format!("item_seq/{year}"), *n)?;
            }
            tx.audit(
                stamp,
                "restore",
                json!(null),
                json!({
                    "source": source,
                    "advisors": snapshot.advisors.len(),
                    "items": snapshot.items.len(),
                    "entries": snapshot.entries.len(),
                }),
            )
        })
    }
}
