//! A whole ledger as one JSON document: what `export --format json` writes and `restore` reads.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Result, Stamp, Store, StoreError, Text, catalogs, codec, write};
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
    fn check(&self) -> std::result::Result<(), Text> {
        let fail = |zh: String, en: String| Err(Text::new(zh, en));
        if self.format != FORMAT {
            let f = &self.format;
            return fail(
                format!("这不是 counsel-log 的导出文件（格式为“{f}”）"),
                format!("this is not a counsel-log export (format \"{f}\")"),
            );
        }
        if self.version > VERSION {
            let v = self.version;
            return fail(
                format!(
                    "该导出文件版本为 {v}，比本版本 counsel-log 能读取的更新：请升级 counsel-log"
                ),
                format!(
                    "this export is version {v}, newer than this counsel-log reads: upgrade counsel-log"
                ),
            );
        }
        let mut advisors = HashSet::new();
        for a in &self.advisors {
            if !advisors.insert(a.id.as_str()) {
                return fail(
                    format!("顾问 {} 出现了两次", a.id),
                    format!("advisor {} appears twice", a.id),
                );
            }
        }
        let mut items = HashMap::new();
        let mut refs = HashSet::new();
        for i in &self.items {
            if items.insert(i.id, i).is_some() {
                return fail(
                    format!("事项 {} 出现了两次", i.number),
                    format!("item {} appears twice", i.number),
                );
            }
            if !refs.insert(i.number.as_str())
                || i.key
                    .as_deref()
                    .is_some_and(|k| k != i.number && !refs.insert(k))
            {
                let r = i.reference_key();
                return fail(
                    format!("事项引用 {r} 用了两次"),
                    format!("item reference {r} is used twice"),
                );
            }
        }
        let mut entries = HashSet::new();
        for e in &self.entries {
            if !entries.insert(e.id) {
                return fail(
                    format!("记录 #{} 出现了两次", e.id.0),
                    format!("entry #{} appears twice", e.id.0),
                );
            }
            if !items.contains_key(&e.item) {
                return fail(
                    format!("记录 #{} 所属的事项不在文件中", e.id.0),
                    format!(
                        "entry #{} belongs to an item that is not in the file",
                        e.id.0
                    ),
                );
            }
            if !advisors.contains(e.advisor.as_str()) {
                return fail(
                    format!("记录 #{} 的顾问 {} 不在文件中", e.id.0, e.advisor),
                    format!(
                        "entry #{} is by advisor {}, who is not in the file",
                        e.id.0, e.advisor
                    ),
                );
            }
            if e.minutes.0 == 0 || e.minutes > crate::domain::duration::DAY {
                return fail(
                    format!("记录 #{} 的时长不可能成立", e.id.0),
                    format!("entry #{} has an impossible duration", e.id.0),
                );
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
            StoreError::rejected(
                format!(
                    "{source} 无法恢复：{}；台账未作任何改动",
                    m.get(crate::domain::Lang::Zh)
                ),
                format!("{source} cannot be restored: {m}; nothing was changed"),
            )
        })?;
        if !self.is_empty()? {
            let path = self.path().display();
            return Err(StoreError::rejected(
                format!(
                    "位于 {path} 的台账已有记录，恢复从不覆盖已有记录：请用 --db 新路径 恢复到新的台账"
                ),
                format!(
                    "the store at {path} already holds records, and restore never overwrites them: restore into a new store with --db NEW-PATH"
                ),
            ));
        }
        let items: HashMap<_, _> = snapshot.items.iter().map(|i| (i.id, i)).collect();
        self.commit(|tx| {
            for (kind, list) in [
                (CatalogKind::Topic, &snapshot.topics),
                (CatalogKind::Service, &snapshot.services),
            ] {
                for e in list {
                    tx.catalogs()
                        .insert(catalogs::catalog_key(kind, &e.code), codec::encode_json(e))?;
                }
            }
            for a in &snapshot.advisors {
                tx.advisors()
                    .insert(a.id.as_bytes(), codec::encode_json(a))?;
            }
            let mut max_item = 0;
            let mut seqs: HashMap<String, u64> = HashMap::new();
            for item in &snapshot.items {
                write::write_item(tx, item)?;
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
                write::write_entry(tx, e, item, &fp)?;
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
