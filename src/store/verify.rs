//! `verify`: walks the audit chain link by link, compares its head with the side file, and
//! checks that items, entries and every index agree with one another.

use std::collections::HashMap;

use super::audit::{self, AuditRecord, Head};
use super::{Result, Store, codec, keys};
use crate::domain::import::{Fingerprint, ItemFields};
use crate::domain::{Item, ItemId};

/// How many problems a report lists before it stops counting.
const MAX_PROBLEMS: usize = 20;

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verification {
    pub audit_records: u64,
    pub entries: u64,
    pub items: u64,
    /// Each problem in words, the first broken link first.
    pub problems: Vec<String>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, p: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p);
        }
    }
}

impl Store {
    /// Checks the whole store without changing it.
    pub fn verify(&self) -> Result<Verification> {
        let mut v = Verification::default();
        self.verify_chain(&mut v)?;
        self.verify_records(&mut v)?;
        Ok(v)
    }

    fn verify_chain(&self, v: &mut Verification) -> Result<()> {
        let mut prev = audit::GENESIS.to_string();
        let mut broken = false;
        for (position, kv) in self.trees.audit.iter().enumerate() {
            let (k, bytes) = kv.map_err(|e| self.err(e))?;
            let position = position as u64 + 1;
            v.audit_records = position;
            let hash = audit::digest(&bytes);
            if !broken {
                let record: Option<AuditRecord> = codec::decode_json(&bytes);
                let fault = match record {
                    None => Some("cannot be read".to_string()),
                    Some(r) if keys::parse_id(&k) != Some(r.seq) || r.seq != position => Some(
                        format!("is numbered {} where {position} was expected", r.seq),
                    ),
                    Some(r) if r.prev != prev => Some(if position == 1 {
                        "does not start the chain: it was altered".to_string()
                    } else {
                        format!(
                            "does not follow record {}: the link between them is broken, so record {} (or this one) was altered",
                            position - 1,
                            position - 1
                        )
                    }),
                    Some(_) => None,
                };
                if let Some(fault) = fault {
                    v.problem(format!(
                        "audit record {position} (position {position} in the trail) {fault}"
                    ));
                    broken = true;
                }
            }
            prev = hash;
        }
        let head = self.audit_head_record()?;
        let chain = Head {
            count: v.audit_records,
            hash: prev,
        };
        if !broken && head != chain {
            v.problem(if head.count == chain.count {
                format!("audit record {} (position {}, the newest) was altered: it no longer matches the head", chain.count, chain.count)
            } else {
                format!(
                    "the audit head counts {} records but the trail holds {}: the newest records were changed or lost",
                    head.count, chain.count
                )
            });
        }
        match self.head_file()? {
            None => v.problem("the side file audit-head.json is missing".into()),
            Some(file) if file != head => v.problem(format!(
                "audit-head.json names record {} ({}…) but the store's head is record {} ({}…)",
                file.count,
                file.hash.chars().take(12).collect::<String>(),
                head.count,
                head.hash.chars().take(12).collect::<String>()
            )),
            Some(_) => {}
        }
        Ok(())
    }

    fn verify_records(&self, v: &mut Verification) -> Result<()> {
        let t = &self.trees;
        let mut items: HashMap<ItemId, Item> = HashMap::new();
        for kv in t.items.iter() {
            let (k, bytes) = kv.map_err(|e| self.err(e))?;
            v.items += 1;
            let Some(item) = codec::decode_json::<Item>(&bytes) else {
                v.problem(format!(
                    "item {} cannot be read",
                    keys::parse_id(&k).unwrap_or(0)
                ));
                continue;
            };
            for reference in std::iter::once(&item.number).chain(item.key.as_ref()) {
                let points = t
                    .item_refs
                    .get(reference.as_bytes())
                    .map_err(|e| self.err(e))?;
                if points.as_deref() != Some(&k[..]) {
                    v.problem(format!(
                        "item {}: its reference {reference} does not lead to it",
                        item.number
                    ));
                }
            }
            items.insert(item.id, item);
        }
        for kv in t.item_refs.iter() {
            let (k, id) = kv.map_err(|e| self.err(e))?;
            if keys::parse_id(&id).is_none_or(|id| !items.contains_key(&ItemId(id))) {
                v.problem(format!(
                    "item reference {} leads to no item",
                    String::from_utf8_lossy(&k)
                ));
            }
        }
        for kv in t.entries.iter() {
            let (k, bytes) = kv.map_err(|e| self.err(e))?;
            v.entries += 1;
            let (Some((date, id)), Some(record)) =
                (keys::parse_entry_key(&k), codec::decode_entry(&bytes))
            else {
                v.problem(format!("an entry (record {}) cannot be read", v.entries));
                continue;
            };
            let entry = record.entry(date, id);
            let index = t
                .entry_index
                .get(keys::id_key(id.0))
                .map_err(|e| self.err(e))?;
            if index.as_deref() != Some(&k[..]) {
                v.problem(format!("entry #{}: the id index does not lead to it", id.0));
            }
            let Some(item) = items.get(&entry.item) else {
                v.problem(format!(
                    "entry #{}: its item {} is missing",
                    id.0, entry.item.0
                ));
                continue;
            };
            let by_item = t
                .item_entries
                .get(keys::item_entry_key(item.id, id))
                .map_err(|e| self.err(e))?;
            if by_item.as_deref() != Some(&k[..]) {
                v.problem(format!(
                    "entry #{}: item {} does not list it",
                    id.0, item.number
                ));
            }
            let fp = Fingerprint::of(
                date,
                &entry.advisor,
                entry.minutes,
                &ItemFields::of(item),
                &entry.note,
            );
            if t.fingerprints
                .get(keys::fingerprint_key(&fp.0, id))
                .map_err(|e| self.err(e))?
                .is_none()
            {
                v.problem(format!(
                    "entry #{}: its re-import fingerprint is missing or stale",
                    id.0
                ));
            }
            if (
                record.topic.as_str(),
                record.service.as_str(),
                record.department.as_str(),
                record.satisfaction,
            ) != (
                item.topic.as_str(),
                item.service.as_str(),
                item.department.as_str(),
                item.satisfaction,
            ) {
                v.problem(format!(
                    "entry #{}: its copy of item {}'s fields differs from the item",
                    id.0, item.number
                ));
            }
        }
        for kv in t.entry_index.iter() {
            let (k, key) = kv.map_err(|e| self.err(e))?;
            if t.entries.get(&key).map_err(|e| self.err(e))?.is_none() {
                v.problem(format!(
                    "the id index names entry #{} that does not exist",
                    keys::parse_id(&k).unwrap_or(0)
                ));
            }
        }
        for kv in t.item_entries.iter() {
            let (k, key) = kv.map_err(|e| self.err(e))?;
            if t.entries.get(&key).map_err(|e| self.err(e))?.is_none() {
                let id = keys::parse_id(&k[8..]).unwrap_or(0);
                v.problem(format!("an item lists entry #{id} that does not exist"));
            }
        }
        for kv in t.fingerprints.iter() {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            let id = keys::parse_id(&k[16..]).unwrap_or(0);
            if t.entry_index
                .get(keys::id_key(id))
                .map_err(|e| self.err(e))?
                .is_none()
            {
                v.problem(format!(
                    "a fingerprint names entry #{id} that does not exist"
                ));
            }
        }
        Ok(())
    }
}
