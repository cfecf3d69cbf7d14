//! How records are encoded as values. Entries, the bulk of the store, use a compact binary form
//! (postcard) carrying the item fields tallies group by, so a tally never looks items up; the
//! other records are JSON, readable when inspecting a store.

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::domain::{Entry, EntryId, Fact, Item, ItemId, Minutes, Satisfaction};

/// An entry as stored under its date key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRecord {
    pub item: u64,
    pub advisor: String,
    pub minutes: u64,
    pub note: String,
    pub topic: String,
    pub service: String,
    pub department: String,
    pub satisfaction: Option<Satisfaction>,
}

impl EntryRecord {
    pub fn new(entry: &Entry, item: &Item) -> EntryRecord {
        EntryRecord {
            item: entry.item.0,
            advisor: entry.advisor.clone(),
            minutes: entry.minutes.0,
            note: entry.note.clone(),
            topic: item.topic.clone(),
            service: item.service.clone(),
            department: item.department.clone(),
            satisfaction: item.satisfaction,
        }
    }

    pub fn entry(&self, date: NaiveDate, id: EntryId) -> Entry {
        Entry {
            id,
            item: ItemId(self.item),
            advisor: self.advisor.clone(),
            date,
            minutes: Minutes(self.minutes),
            note: self.note.clone(),
        }
    }

    pub fn into_fact(self, date: NaiveDate) -> Fact {
        Fact {
            item: ItemId(self.item),
            advisor: self.advisor,
            date,
            minutes: Minutes(self.minutes),
            topic: self.topic,
            service: self.service,
            department: self.department,
            satisfaction: self.satisfaction,
        }
    }
}

/// A time as the store has always written it: RFC 3339 to the second, with the offset as
/// `+08:00` (never `Z`). The audit chain hashes records as stored, so this never changes.
pub fn time_text(at: &DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Serde for a time field kept as [`time_text`] (`#[serde(with = "codec::time")]`).
pub mod time {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<FixedOffset>, out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(&super::time_text(at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        input: D,
    ) -> Result<DateTime<FixedOffset>, D::Error> {
        let text = String::deserialize(input)?;
        DateTime::parse_from_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

pub fn encode_entry(r: &EntryRecord) -> Vec<u8> {
    // Serializing plain strings and integers into a Vec cannot fail.
    postcard::to_stdvec(r).unwrap_or_default()
}

pub fn decode_entry(bytes: &[u8]) -> Option<EntryRecord> {
    postcard::from_bytes(bytes).ok()
}

pub fn encode_json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    serde_json::from_slice(bytes).ok()
}

/// Serde for an id kept as its 26-character ULID text (`#[serde(with = "codec::ulid_text")]`).
pub mod ulid_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use ulid::Ulid;

    pub fn serialize<S: Serializer>(id: &Ulid, out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(&id.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<Ulid, D::Error> {
        let text = String::deserialize(input)?;
        Ulid::from_string(&text).map_err(serde::de::Error::custom)
    }
}
