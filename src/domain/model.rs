//! The records of the ledger: advisors, service items and the time entries that belong to them.

use chrono::NaiveDate;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::catalog::{Category, Satisfaction};
use super::duration::Minutes;
use super::lang::Lang;

/// Longest text accepted in any field (titles, notes, names), in characters.
pub const MAX_FIELD_CHARS: usize = 10_000;

/// A legal advisor on the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advisor {
    /// Short unique code such as `A001`.
    pub id: String,
    pub name: String,
    pub category: Category,
    /// The department served, or the firm or institution the advisor comes from.
    #[serde(default)]
    pub unit: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// What `advisor set` changes in an advisor; `None` leaves that field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdvisorChange {
    pub name: Option<String>,
    pub category: Option<Category>,
    pub unit: Option<String>,
    pub active: Option<bool>,
}

impl AdvisorChange {
    /// True when no field is given at all.
    pub fn is_empty(&self) -> bool {
        *self == AdvisorChange::default()
    }

    /// The advisor with the change made; the id never changes (entries refer to it).
    pub fn apply(&self, advisor: &Advisor) -> Advisor {
        Advisor {
            id: advisor.id.clone(),
            name: self.name.clone().unwrap_or_else(|| advisor.name.clone()),
            category: self.category.unwrap_or(advisor.category),
            unit: self.unit.clone().unwrap_or_else(|| advisor.unit.clone()),
            active: self.active.unwrap_or(advisor.active),
        }
    }
}

/// Internal number of a service item; never shown to people (they see [`Item::number`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemId(pub u64);

/// Internal number of a time entry, shown as `#123`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryId(pub u64);

/// Whether a service item is still being worked on or has been closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemStatus {
    #[default]
    Open,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sensitivity {
    #[default]
    Normal,
    Internal,
}

/// Whether the requesting department followed the advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adoption {
    pub adopted: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// A legal service item (法律服务事项): one "件次" in the reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: ItemId,
    /// The number people see and type, `2024-0019`: the year of its first entry and a sequence.
    pub number: String,
    /// The key the item was imported or logged under (the CSV `item` column), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub title: String,
    /// Topic code.
    pub topic: String,
    /// Service-type code.
    pub service: String,
    /// The requesting department.
    pub department: String,
    /// An outside reference such as an opinion-letter number.
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

/// Time one advisor spent on one item on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: EntryId,
    pub item: ItemId,
    pub advisor: String,
    pub date: NaiveDate,
    pub minutes: Minutes,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// One entry with the item fields reports group by: what a tally reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub item: ItemId,
    pub advisor: String,
    pub date: NaiveDate,
    pub minutes: Minutes,
    pub topic: String,
    pub service: String,
    pub department: String,
    pub satisfaction: Option<Satisfaction>,
}

impl Fact {
    pub fn new(entry: &Entry, item: &Item) -> Fact {
        Fact {
            item: entry.item,
            advisor: entry.advisor.clone(),
            date: entry.date,
            minutes: entry.minutes,
            topic: item.topic.clone(),
            service: item.service.clone(),
            department: item.department.clone(),
            satisfaction: item.satisfaction,
        }
    }
}

/// A free-text field people type, as its checks name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Name,
    Unit,
    Item,
    Title,
    Department,
    Note,
    /// Any text typed into the form.
    Text,
    /// Another name a topic or service type answers to.
    Alias,
    /// A topic's or service type's Chinese name.
    ChineseName,
    /// A topic's or service type's English name.
    EnglishName,
    /// Why advice was not adopted.
    Reason,
}

/// Why a free-text field or an advisor id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum FieldError {
    /// The field is longer than [`MAX_FIELD_CHARS`].
    TooLong {
        field: TextField,
        chars: usize,
    },
    /// The field holds an invisible control character (its code point).
    ControlChar {
        field: TextField,
        code: u32,
    },
    /// The field holds a bidirectional override or isolate (its code point), which would make
    /// it read in another order than it is stored.
    Bidi {
        field: TextField,
        code: u32,
    },
    IdMissing,
    IdUnusable(String),
}

/// Checks a free-text field: trimmed, and not longer than [`MAX_FIELD_CHARS`].
pub fn check_text(field: TextField, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    let chars = value.chars().count();
    if chars > MAX_FIELD_CHARS {
        return Err(FieldError::TooLong { field, chars });
    }
    // Invisible control characters come from damaged files or bad copies, never from people;
    // a bidirectional override would make the text read other than it is.
    let hidden = |c: &char| (c.is_control() && *c != '\n' && *c != '\t') || is_bidi_override(*c);
    if let Some(c) = value.chars().find(hidden) {
        let code = u32::from(c);
        return Err(if is_bidi_override(c) {
            FieldError::Bidi { field, code }
        } else {
            FieldError::ControlChar { field, code }
        });
    }
    Ok(value.to_string())
}

/// A bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069): invisible,
/// and it makes the text after it read in another order than it is stored.
pub fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks an advisor id: letters, digits, `-` and `_`, at most 32 characters.
pub fn check_advisor_id(id: &str) -> Result<String, FieldError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(FieldError::IdMissing);
    }
    if id.chars().count() > 32
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(FieldError::IdUnusable(id.to_string()));
    }
    Ok(id.to_string())
}

/// What an advisor id typed by hand names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdvisorMatch<'a> {
    /// The advisor with that id, or the one whose id differs from it only in letter case.
    One(&'a Advisor),
    None,
    /// Several advisors whose ids differ from it only in letter case (and none exactly): their
    /// ids, sorted.
    Several(Vec<String>),
}

/// The advisor `id` names: exactly, else the one advisor it matches ignoring letter case
/// (`a001` for `A001`), so that what is stored uses the id as the ledger spells it.
pub fn find_advisor<'a>(advisors: &'a HashMap<String, Advisor>, id: &str) -> AdvisorMatch<'a> {
    if let Some(a) = advisors.get(id) {
        return AdvisorMatch::One(a);
    }
    let mut alike: Vec<&Advisor> = advisors
        .values()
        .filter(|a| a.id.eq_ignore_ascii_case(id))
        .collect();
    match alike.len() {
        0 => AdvisorMatch::None,
        1 => AdvisorMatch::One(alike.remove(0)),
        _ => {
            let mut ids: Vec<String> = alike.into_iter().map(|a| a.id.clone()).collect();
            ids.sort();
            AdvisorMatch::Several(ids)
        }
    }
}

/// The advisor among `advisors` whose id equals `id` but for letter case (`a001` and `A001`),
/// if any: ids are typed by hand, so two ids that differ only in case are one id to people.
pub fn id_alike<'a>(
    advisors: impl IntoIterator<Item = &'a Advisor>,
    id: &str,
) -> Option<&'a Advisor> {
    advisors
        .into_iter()
        .find(|a| a.id != id && a.id.eq_ignore_ascii_case(id))
}
