//! The records as they travel between stores: each with its global id, origin and revision,
//! and references by global id (never by a store's local numbers). `changes_since` gathers
//! what changed here after a given audit number: what a bundle carries.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use ulid::Ulid;

use super::ident::{self, Ident, Kind};
use super::{Result, Store, Unreadable, codec, keys};
use crate::domain::model::{Adoption, ItemStatus, Sensitivity};
use crate::domain::{EntryId, Item, ItemId, Satisfaction};

/// A record with the identity that travels with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamped<T> {
    #[serde(with = "codec::ulid_text")]
    pub id: Ulid,
    #[serde(with = "codec::ulid_text")]
    pub origin: Ulid,
    pub rev: u64,
    #[serde(flatten)]
    pub record: T,
}

/// A service item's fields as they travel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedItem {
    /// The key it was created with, if any: items with the same key are one matter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Its number at its origin, for people reading the bundle.
    pub number: String,
    pub title: String,
    pub topic: String,
    pub service: String,
    pub department: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
    #[serde(default)]
    pub status: ItemStatus,
    #[serde(default)]
    pub satisfaction: Option<Satisfaction>,
    #[serde(default)]
    pub outcome: Option<Adoption>,
    #[serde(default)]
    pub sensitivity: Sensitivity,
}

impl SharedItem {
    pub fn of(item: &Item) -> SharedItem {
        SharedItem {
            key: item.key.clone(),
            number: item.number.clone(),
            title: item.title.clone(),
            topic: item.topic.clone(),
            service: item.service.clone(),
            department: item.department.clone(),
            reference: item.reference.clone(),
            status: item.status,
            satisfaction: item.satisfaction,
            outcome: item.outcome.clone(),
            sensitivity: item.sensitivity,
        }
    }

    /// The item as this store keeps it, under its local id and number.
    pub fn local(&self, id: ItemId, number: String) -> Item {
        Item {
            id,
            number,
            key: self.key.clone(),
            title: self.title.clone(),
            topic: self.topic.clone(),
            service: self.service.clone(),
            department: self.department.clone(),
            reference: self.reference.clone(),
            status: self.status,
            satisfaction: self.satisfaction,
            outcome: self.outcome.clone(),
            sensitivity: self.sensitivity,
        }
    }
}

/// A time entry as it travels: its item by global id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedEntry {
    #[serde(with = "codec::ulid_text")]
    pub item: Ulid,
    pub advisor: String,
    pub date: NaiveDate,
    pub minutes: u64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A deleted record: a revision of its own, so that a deletion travels and wins over the
/// older copies still on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deletion {
    pub kind: DeletedKind,
    /// For an entry, the advisor it belonged to.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub advisor: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeletedKind {
    Entry,
    Item,
}

/// A correction of an entry: the hours (and perhaps the date) the figures use instead of
/// the entry's own, with the reason. The entry itself stays as its origin wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    #[serde(with = "codec::ulid_text")]
    pub entry: Ulid,
    /// The advisor of the corrected entry.
    pub advisor: String,
    pub minutes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    pub reason: String,
    #[serde(with = "codec::time")]
    pub at: DateTime<FixedOffset>,
    pub who: String,
}

/// Everything a bundle carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    pub items: Vec<Stamped<SharedItem>>,
    pub entries: Vec<Stamped<SharedEntry>>,
    pub deletions: Vec<Stamped<Deletion>>,
    pub corrections: Vec<Stamped<Correction>>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
            && self.entries.is_empty()
            && self.deletions.is_empty()
            && self.corrections.is_empty()
    }
}

fn stamped<T>(gid: u128, ident: &Ident, record: T) -> Stamped<T> {
    Stamped {
        id: Ulid(gid),
        origin: Ulid(ident.origin),
        rev: ident.rev,
        record,
    }
}

impl Store {
    /// The records that changed here after audit number `since` (0: every record), with every
    /// item their entries refer to. Advisors and catalogs are not carried: the roster belongs
    /// to the office.
    pub fn changes_since(&self, since: u64) -> Result<Changes> {
        let mut out = Changes::default();
        let mut items: BTreeMap<u128, ItemId> = BTreeMap::new();
        for kv in self.trees.ids.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            let gid = ident::gid_from(&k).ok_or_else(|| self.unreadable(Unreadable::Identity))?;
            let id = ident::decode(&v).ok_or_else(|| self.unreadable(Unreadable::Identity))?;
            if id.seq <= since {
                continue;
            }
            self.gather(gid, &id, &mut out, &mut items)?;
        }
        for (gid, item) in items {
            let Some((_, ident)) = self.ident_of(Kind::Item, &keys::id_key(item.0))? else {
                continue;
            };
            if out.items.iter().any(|i| i.id.0 == gid) {
                continue;
            }
            let item = self
                .item(item)?
                .ok_or_else(|| self.unreadable(Unreadable::Item(item)))?;
            out.items.push(stamped(gid, &ident, SharedItem::of(&item)));
        }
        Ok(out)
    }

    /// Adds the record of one changed identity to `out`.
    fn gather(
        &self,
        gid: u128,
        id: &Ident,
        out: &mut Changes,
        items: &mut BTreeMap<u128, ItemId>,
    ) -> Result<()> {
        let local_id = || {
            id.local
                .get(1..)
                .and_then(keys::parse_id)
                .ok_or_else(|| self.unreadable(Unreadable::Identity))
        };
        match (id.kind, &id.gone) {
            (Kind::Entry, Some(advisor)) => out.deletions.push(stamped(
                gid,
                id,
                Deletion {
                    kind: DeletedKind::Entry,
                    advisor: advisor.clone(),
                },
            )),
            (Kind::Item, Some(_)) => out.deletions.push(stamped(
                gid,
                id,
                Deletion {
                    kind: DeletedKind::Item,
                    advisor: String::new(),
                },
            )),
            (Kind::Entry, None) => {
                let entry = self.original_entry(EntryId(local_id()?))?;
                let (item_gid, _) = self
                    .ident_of(Kind::Item, &keys::id_key(entry.item.0))?
                    .ok_or_else(|| self.unreadable(Unreadable::Identity))?;
                items.insert(item_gid, entry.item);
                out.entries.push(stamped(
                    gid,
                    id,
                    SharedEntry {
                        item: Ulid(item_gid),
                        advisor: entry.advisor,
                        date: entry.date,
                        minutes: entry.minutes.0,
                        note: entry.note,
                    },
                ));
            }
            (Kind::Item, None) => {
                // Only the item's own identity, not another store's copy merged into it.
                if self.gid_at(&id.local)?.is_some_and(|(g, _)| g == gid) {
                    items.insert(gid, ItemId(local_id()?));
                }
            }
            (Kind::Correction, None) => {
                if let Some(c) = self.correction_at(&id.local)? {
                    out.corrections.push(stamped(gid, id, c));
                }
            }
            (Kind::Correction | Kind::Advisor | Kind::Catalog, _) => {}
        }
        Ok(())
    }
}
