//! What a checked entry, an entries file or one `log` will write, and what the checking needs to
//! know about the ledger. The store applies a plan in one transaction, or not at all.

use std::collections::HashMap;
use std::rc::Rc;

use chrono::NaiveDate;

use crate::domain::catalog::{Catalog, Satisfaction};
use crate::domain::duration::Minutes;
use crate::domain::model::{Advisor, Item, ItemId};

/// What the importer needs to know about the store to validate entries.
pub trait LedgerView {
    /// The advisors, by id.
    fn advisors(&self) -> &HashMap<String, Advisor>;
    fn topics(&self) -> &Catalog;
    fn services(&self) -> &Catalog;
    /// The item a reference names: an item's key, its `#` number, or its global id.
    fn item(&self, reference: &str) -> Option<Item>;
    /// Minutes the advisor already has on that date.
    fn logged(&self, advisor: &str, date: NaiveDate) -> Minutes;
    /// How many entries with this fingerprint the store already holds.
    fn fingerprint_count(&self, fingerprint: &Fingerprint) -> u64;
}

/// The fields of one time entry as typed, before validation (a CSV row, the `log` flags or the
/// entry form).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryInput {
    pub date: String,
    pub advisor: String,
    pub hours: String,
    pub item: String,
    pub title: String,
    pub topic: String,
    pub service: String,
    pub department: String,
    pub satisfaction: String,
    pub note: String,
}

/// A validated entry waiting for its ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub line: u64,
    pub date: NaiveDate,
    /// Shared with the other rows of the same advisor.
    pub advisor: Rc<str>,
    pub minutes: Minutes,
    pub note: String,
    pub fingerprint: Fingerprint,
}

/// The item fields a row states (blank: "same as the item").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFields {
    pub title: String,
    pub topic: String,
    pub service: String,
    pub department: String,
    pub satisfaction: Option<Satisfaction>,
}

impl ItemFields {
    /// The fields an item in the store holds.
    pub fn of(item: &Item) -> ItemFields {
        ItemFields {
            title: item.title.clone(),
            topic: item.topic.clone(),
            service: item.service.clone(),
            department: item.department.clone(),
            satisfaction: item.satisfaction,
        }
    }
}

/// Where a group of entries goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A new item, with the key it was given (if any).
    New {
        key: Option<String>,
        fields: ItemFields,
    },
    /// An item already in the store; `rate` sets its rating when it had none.
    Existing {
        id: ItemId,
        rate: Option<Satisfaction>,
    },
}

/// Entries going to one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemGroup {
    pub target: Target,
    pub entries: Vec<NewEntry>,
}

/// What an entries import (or one `log`) will write.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryPlan {
    pub groups: Vec<ItemGroup>,
    /// Rows already in the store (same fingerprint), skipped so a second import adds nothing.
    pub skipped: usize,
}

impl EntryPlan {
    pub fn entry_count(&self) -> usize {
        self.groups.iter().map(|g| g.entries.len()).sum()
    }

    pub fn new_item_count(&self) -> usize {
        self.groups
            .iter()
            .filter(|g| matches!(g.target, Target::New { .. }))
            .count()
    }

    pub fn minutes(&self) -> Minutes {
        self.groups
            .iter()
            .flat_map(|g| &g.entries)
            .map(|e| e.minutes)
            .sum()
    }
}

/// A digest of an entry's content (date, advisor, minutes, item fields, note): two entries
/// with equal fingerprints say the same thing, which is how a re-import is recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub [u8; 16]);

impl Fingerprint {
    pub fn of(
        date: NaiveDate,
        advisor: &str,
        minutes: Minutes,
        fields: &ItemFields,
        note: &str,
    ) -> Fingerprint {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for part in [
            date.to_string().as_str(),
            advisor,
            &minutes.0.to_string(),
            &fields.title,
            &fields.topic,
            &fields.service,
            &fields.department,
            note,
        ] {
            // Each part is length-prefixed so that moving text between fields changes the
            // digest. The store holds these digests, so the bytes must never change; a length
            // beyond u64 cannot occur on any machine Rust runs on.
            let length = u64::try_from(part.len()).unwrap_or(u64::MAX);
            h.update(length.to_be_bytes());
            h.update(part.as_bytes());
        }
        let digest = h.finalize();
        let mut out = [0; 16];
        out.copy_from_slice(&digest[..16]);
        Fingerprint(out)
    }
}
