//! `verify`: walks the audit chain link by link, compares its head with the side file, and
//! checks that items, entries and every index agree with one another.

use std::collections::HashMap;

use super::audit::{self, AuditRecord, Head};
use super::{Result, Store, Text, codec, keys};
use crate::domain::intake::{Fingerprint, ItemFields};
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
    pub problems: Vec<Text>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, zh: String, en: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Text::new(zh, en));
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
                    None => Some(("无法读取".to_string(), "cannot be read".to_string())),
                    Some(r) if keys::parse_id(&k) != Some(r.seq) || r.seq != position => Some((
                        format!("编号为 {}，应为 {position}", r.seq),
                        format!("is numbered {} where {position} was expected", r.seq),
                    )),
                    Some(r) if r.prev != prev => Some(if position == 1 {
                        (
                            "不是审计链的开头：已被改动".to_string(),
                            "does not start the chain: it was altered".to_string(),
                        )
                    } else {
                        let before = position - 1;
                        (
                            format!(
                                "接不上第 {before} 条：两者之间的链接已断，第 {before} 条（或本条）被改动过"
                            ),
                            format!(
                                "does not follow record {before}: the link between them is broken, so record {before} (or this one) was altered"
                            ),
                        )
                    }),
                    Some(_) => None,
                };
                if let Some((zh, en)) = fault {
                    v.problem(
                        format!("审计记录 {position}（审计链第 {position} 条）{zh}"),
                        format!("audit record {position} (position {position} in the trail) {en}"),
                    );
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
            let (n, m) = (head.count, chain.count);
            if n == m {
                v.problem(
                    format!("审计记录 {m}（第 {m} 条，最新一条）被改动过：与审计头不再一致"),
                    format!(
                        "audit record {m} (position {m}, the newest) was altered: it no longer matches the head"
                    ),
                );
            } else {
                v.problem(
                    format!("审计头记有 {n} 条记录，审计链却有 {m} 条：最新的记录被改动或丢失"),
                    format!(
                        "the audit head counts {n} records but the trail holds {m}: the newest records were changed or lost"
                    ),
                );
            }
        }
        match self.head_file()? {
            None => v.problem(
                "旁证文件 audit-head.json 不见了".into(),
                "the side file audit-head.json is missing".into(),
            ),
            Some(file) if file != head => {
                let (fc, fh) = (file.count, file.hash.chars().take(12).collect::<String>());
                let (hc, hh) = (head.count, head.hash.chars().take(12).collect::<String>());
                v.problem(
                    format!("audit-head.json 记的是第 {fc} 条（{fh}…），台账的审计头却是第 {hc} 条（{hh}…）"),
                    format!(
                        "audit-head.json names record {fc} ({fh}…) but the store's head is record {hc} ({hh}…)"
                    ),
                );
            }
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
                let id = keys::parse_id(&k).unwrap_or(0);
                v.problem(
                    format!("事项 {id} 无法读取"),
                    format!("item {id} cannot be read"),
                );
                continue;
            };
            for reference in std::iter::once(&item.number).chain(item.key.as_ref()) {
                let points = t
                    .item_refs
                    .get(reference.as_bytes())
                    .map_err(|e| self.err(e))?;
                if points.as_deref() != Some(&k[..]) {
                    v.problem(
                        format!("事项 {}：其引用 {reference} 指不到它", item.number),
                        format!(
                            "item {}: its reference {reference} does not lead to it",
                            item.number
                        ),
                    );
                }
            }
            items.insert(item.id, item);
        }
        for kv in t.item_refs.iter() {
            let (k, id) = kv.map_err(|e| self.err(e))?;
            if keys::parse_id(&id).is_none_or(|id| !items.contains_key(&ItemId(id))) {
                let reference = String::from_utf8_lossy(&k);
                v.problem(
                    format!("事项引用 {reference} 指不到任何事项"),
                    format!("item reference {reference} leads to no item"),
                );
            }
        }
        for kv in t.entries.iter() {
            let (k, bytes) = kv.map_err(|e| self.err(e))?;
            v.entries += 1;
            let (Some((date, id)), Some(record)) =
                (keys::parse_entry_key(&k), codec::decode_entry(&bytes))
            else {
                let n = v.entries;
                v.problem(
                    format!("一条记录（第 {n} 条）无法读取"),
                    format!("an entry (record {n}) cannot be read"),
                );
                continue;
            };
            let entry = record.entry(date, id);
            let index = t
                .entry_index
                .get(keys::id_key(id.0))
                .map_err(|e| self.err(e))?;
            if index.as_deref() != Some(&k[..]) {
                v.problem(
                    format!("记录 #{}：编号索引指不到它", id.0),
                    format!("entry #{}: the id index does not lead to it", id.0),
                );
            }
            let Some(item) = items.get(&entry.item) else {
                v.problem(
                    format!("记录 #{}：其事项 {} 不见了", id.0, entry.item.0),
                    format!("entry #{}: its item {} is missing", id.0, entry.item.0),
                );
                continue;
            };
            let by_item = t
                .item_entries
                .get(keys::item_entry_key(item.id, id))
                .map_err(|e| self.err(e))?;
            if by_item.as_deref() != Some(&k[..]) {
                v.problem(
                    format!("记录 #{}：事项 {} 未列出它", id.0, item.number),
                    format!("entry #{}: item {} does not list it", id.0, item.number),
                );
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
                v.problem(
                    format!("记录 #{}：其防重复导入指纹缺失或过时", id.0),
                    format!(
                        "entry #{}: its re-import fingerprint is missing or stale",
                        id.0
                    ),
                );
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
                v.problem(
                    format!(
                        "记录 #{}：其保存的事项 {} 字段与该事项不一致",
                        id.0, item.number
                    ),
                    format!(
                        "entry #{}: its copy of item {}'s fields differs from the item",
                        id.0, item.number
                    ),
                );
            }
        }
        for kv in t.entry_index.iter() {
            let (k, key) = kv.map_err(|e| self.err(e))?;
            if t.entries.get(&key).map_err(|e| self.err(e))?.is_none() {
                let id = keys::parse_id(&k).unwrap_or(0);
                v.problem(
                    format!("编号索引列出的记录 #{id} 并不存在"),
                    format!("the id index names entry #{id} that does not exist"),
                );
            }
        }
        for kv in t.item_entries.iter() {
            let (k, key) = kv.map_err(|e| self.err(e))?;
            if t.entries.get(&key).map_err(|e| self.err(e))?.is_none() {
                let id = keys::parse_id(&k[8..]).unwrap_or(0);
                v.problem(
                    format!("某事项列出的记录 #{id} 并不存在"),
                    format!("an item lists entry #{id} that does not exist"),
                );
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
                v.problem(
                    format!("某指纹指向的记录 #{id} 并不存在"),
                    format!("a fingerprint names entry #{id} that does not exist"),
                );
            }
        }
        Ok(())
    }
}
