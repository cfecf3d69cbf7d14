//! A bundle cut into parts of about `size` records, each merged in a transaction of its own.
//! An item travels with every entry of the bundle that belongs to it, so each part finds its
//! items in itself or in the store; deletions and corrections go last, after the entries they
//! may name.

use std::collections::BTreeMap;

use super::super::shared::{Changes, SharedEntry, SharedItem, Stamped};

pub(super) fn split(changes: &Changes, size: usize) -> Vec<Changes> {
    type Group = (Option<Stamped<SharedItem>>, Vec<Stamped<SharedEntry>>);
    let mut groups: BTreeMap<u128, Group> = BTreeMap::new();
    for item in &changes.items {
        groups.entry(item.id.0).or_default().0 = Some(item.clone());
    }
    for entry in &changes.entries {
        groups
            .entry(entry.record.item.0)
            .or_default()
            .1
            .push(entry.clone());
    }
    let mut parts = vec![Changes::default()];
    for (_, (item, entries)) in groups {
        let records = entries.len() + usize::from(item.is_some());
        let current = parts.last().map_or(0, |p| p.items.len() + p.entries.len());
        if current > 0 && current + records > size {
            parts.push(Changes::default());
        }
        if let Some(part) = parts.last_mut() {
            part.items.extend(item);
            part.entries.extend(entries);
        }
    }
    if let Some(last) = parts.last_mut() {
        last.deletions.extend(changes.deletions.iter().cloned());
        last.corrections.extend(changes.corrections.iter().cloned());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use ulid::Ulid;

    fn item(id: u128) -> Stamped<SharedItem> {
        Stamped {
            id: Ulid(id),
            origin: Ulid(1),
            rev: 1,
            record: SharedItem {
                key: None,
                number: "2024-0001".into(),
                title: "t".into(),
                topic: "labor".into(),
                service: "opinion".into(),
                department: "d".into(),
                reference: String::new(),
                status: Default::default(),
                satisfaction: None,
                outcome: None,
                sensitivity: Default::default(),
            },
        }
    }

    fn entry(id: u128, item: u128) -> Stamped<SharedEntry> {
        Stamped {
            id: Ulid(id),
            origin: Ulid(1),
            rev: 1,
            record: SharedEntry {
                item: Ulid(item),
                advisor: "A001".into(),
                date: "2024-03-05".parse().unwrap(),
                minutes: 60,
                note: String::new(),
            },
        }
    }

    #[test]
    fn every_entry_travels_with_its_item_and_nothing_is_lost() {
        let mut changes = Changes::default();
        for i in 0..10u128 {
            changes.items.push(item(1000 + i));
            for e in 0..(i + 1) {
                changes.entries.push(entry(i * 100 + e, 1000 + i));
            }
        }
        let parts = split(&changes, 12);
        assert!(parts.len() > 3, "{} parts", parts.len());
        let total: usize = parts.iter().map(|p| p.entries.len()).sum();
        assert_eq!(total, changes.entries.len());
        for part in &parts {
            for e in &part.entries {
                assert!(part.items.iter().any(|i| i.id == e.record.item));
            }
        }
        assert_eq!(split(&changes, 10_000).len(), 1);
    }
}
