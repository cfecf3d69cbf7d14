//! The audit trail read by what each change touched: an entry, an item and its entries, or the
//! days of a period; and each record's before and after in a few words, for `history` and the
//! interface.
//!
//! The records keep what they changed as the change made it (see each writer in this folder):
//! an entry or an item as a whole (`entry`, `item`), the range of entries and items an import
//! numbered (`entries`, `items`: `first` to `last`), the items an import rated (`rated`), or
//! the record an undo took back (`undoes`).

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::{AuditRecord, Result, Store};
use crate::domain::{EntryId, ItemId, Period};

/// What the records asked for must touch.
#[derive(Debug, Clone, Default)]
pub struct TrailFilter {
    /// Entries by id.
    pub entries: BTreeSet<u64>,
    /// Items by internal id: a record touching one of their entries touches them too.
    pub items: BTreeSet<u64>,
    /// Days: a record touches a period when it was made in it or changed an entry dated in it.
    pub period: Option<Period>,
}

impl TrailFilter {
    /// True when nothing narrows the trail.
    fn everything(&self) -> bool {
        self.entries.is_empty() && self.items.is_empty() && self.period.is_none()
    }

    fn entry_object(&self, entry: &Value) -> bool {
        let id = entry.get("id").and_then(Value::as_u64);
        let item = entry.get("item").and_then(Value::as_u64);
        let date = entry
            .get("date")
            .and_then(Value::as_str)
            .and_then(|d| d.parse().ok());
        id.is_some_and(|id| self.entries.contains(&id))
            || item.is_some_and(|i| self.items.contains(&i))
            || self
                .period
                .is_some_and(|p| date.is_some_and(|d| p.contains(d)))
    }

    fn item_object(&self, item: &Value) -> bool {
        item.get("id")
            .and_then(Value::as_u64)
            .is_some_and(|id| self.items.contains(&id))
    }

    /// True when `side` (a record's before or after) names something the filter asks for.
    fn side(&self, side: &Value) -> bool {
        let range = |key: &str, set: &BTreeSet<u64>| {
            let bounds = side.get(key).and_then(|r| {
                let first = r.get("first")?.as_u64()?;
                let last = r.get("last")?.as_u64()?;
                (r.get("count")?.as_u64()? > 0 && first <= last).then_some((first, last))
            });
            bounds.is_some_and(|(first, last)| set.range(first..=last).next().is_some())
        };
        let rated = side
            .get("rated")
            .and_then(Value::as_array)
            .is_some_and(|list| {
                list.iter().any(|r| {
                    r.get("item")
                        .and_then(Value::as_u64)
                        .is_some_and(|i| self.items.contains(&i))
                })
            });
        side.get("entry").is_some_and(|e| self.entry_object(e))
            || side.get("item").is_some_and(|i| self.item_object(i))
            || range("entries", &self.entries)
            || range("items", &self.items)
            || rated
    }
}

impl Store {
    /// The audit records `filter` asks for, oldest first. A range an import numbered is
    /// matched against the entries of `filter` (for a period: the entries dated in it now).
    pub fn trail_of(&self, filter: &TrailFilter) -> Result<Vec<AuditRecord>> {
        let trail = self.audit_trail()?;
        if filter.everything() {
            return Ok(trail);
        }
        let mut filter = filter.clone();
        if let Some(period) = filter.period {
            filter
                .entries
                .extend(self.entries(period)?.iter().map(|e| e.id.0));
        }
        // An undo touches what the record it took back touched; it always comes after it.
        let mut touched: HashMap<u64, bool> = HashMap::new();
        let mut out = Vec::new();
        for record in trail {
            let undone = record
                .after
                .get("undoes")
                .and_then(Value::as_u64)
                .is_some_and(|seq| touched.get(&seq).copied().unwrap_or(false));
            let made_in = filter
                .period
                .is_some_and(|p| p.contains(record.at.date_naive()));
            let hit =
                undone || made_in || filter.side(&record.before) || filter.side(&record.after);
            touched.insert(record.seq, hit);
            if hit {
                out.push(record);
            }
        }
        Ok(out)
    }

    /// The filter for an entry's records.
    pub fn entry_filter(&self, entry: EntryId) -> TrailFilter {
        TrailFilter {
            entries: BTreeSet::from([entry.0]),
            ..TrailFilter::default()
        }
    }

    /// The filter for an item's records and those of its entries.
    pub fn item_filter(&self, item: ItemId) -> Result<TrailFilter> {
        Ok(TrailFilter {
            entries: self.entries_of(item)?.iter().map(|e| e.id.0).collect(),
            items: BTreeSet::from([item.0]),
            period: None,
        })
    }
}

/// A record's before or after in a few words, the same in every language (codes, numbers,
/// names as typed): `#12 2024-03-05 A001 90 min`, `item 2024-0001 “title”`, `#1–#20`, …;
/// anything else as its JSON, cut to [`BRIEF_CHARS`]. Empty for nothing.
pub fn brief(side: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(e) = side.get("entry") {
        parts.push(brief_entry(e));
    }
    // An entry's item is named only when no entry is: an edit changes the entry.
    if let Some(i) = side
        .get("item")
        .filter(|i| i.is_object() && parts.is_empty())
    {
        parts.push(brief_item(i));
    }
    // An import's items are numbered inside the store only: its entries say what it made.
    if let Some(r) = side.get("entries").filter(|r| r.is_object()) {
        let n = |k: &str| r.get(k).and_then(Value::as_u64).unwrap_or(0);
        match n("count") {
            0 => {}
            1 => parts.push(format!("#{}", n("first"))),
            count => parts.push(format!("#{}–#{} ({count})", n("first"), n("last"))),
        }
    }
    if let Some(seq) = side.get("undoes").and_then(Value::as_u64) {
        let action = side.get("action").and_then(Value::as_str).unwrap_or("");
        parts.push(format!("↶ {seq} {action}"));
    }
    if parts.is_empty() && !side.is_null() {
        parts.push(match side {
            Value::String(s) => s.clone(),
            Value::Object(o) if o.contains_key("id") && o.contains_key("name") => {
                format!("{} {}", text(&o["id"]), text(&o["name"]))
            }
            // Its plain fields, as `key: value`; what nests deeper is for `--format json`.
            Value::Object(o) => o
                .iter()
                .filter(|(_, v)| !v.is_object() && !v.is_array() && !v.is_null())
                .map(|(k, v)| format!("{k}: {}", text(v)))
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        });
    }
    cut(parts.join("; "))
}

/// The advisor or item one side of a record shows whole (its fields, and its id or number);
/// `None` for an entry's change or anything else.
fn subject_of(side: &Value) -> Option<(&serde_json::Map<String, Value>, String)> {
    if side.get("entry").is_some() {
        return None;
    }
    if let Some(Value::Object(item)) = side.get("item") {
        return Some((item, item.get("number").map(text)?));
    }
    match side {
        Value::Object(o) if o.contains_key("id") && o.contains_key("name") => {
            Some((o, text(&o["id"])))
        }
        _ => None,
    }
}

/// `text` cut to [`BRIEF_CHARS`], an ellipsis marking the cut.
fn cut(text: String) -> String {
    if text.chars().count() > BRIEF_CHARS {
        let kept: String = text.chars().take(BRIEF_CHARS - 1).collect();
        format!("{kept}…")
    } else {
        text
    }
}

/// A record's before and its after in a few words each: as [`brief`], but when both sides are
/// the same advisor or the same item, the fields that changed, by name (`A001 category:
/// staff` and `A001 category: expert`; `2024-0001 satisfaction: —` and `2024-0001
/// satisfaction: unsatisfied`), where both would read alike.
pub fn brief_pair(before: &Value, after: &Value) -> (String, String) {
    if let (Some((was, who)), Some((now, same))) = (subject_of(before), subject_of(after))
        && who == same
    {
        let changed: Vec<&String> = was
            .keys()
            .chain(now.keys().filter(|k| !was.contains_key(*k)))
            .filter(|k| *k != "id" && was.get(*k) != now.get(*k))
            .collect();
        if !changed.is_empty() {
            let side = |o: &serde_json::Map<String, Value>| {
                let fields: Vec<String> = changed
                    .iter()
                    .map(|k| {
                        let value = o.get(*k).filter(|v| !v.is_null()).map_or("—".into(), text);
                        format!("{k}: {value}")
                    })
                    .collect();
                cut(format!("{who} {}", fields.join(", ")))
            };
            return (side(was), side(now));
        }
    }
    (brief(before), brief(after))
}

/// The longest brief, in characters.
pub const BRIEF_CHARS: usize = 72;

fn text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

fn brief_entry(e: &Value) -> String {
    let minutes = e.get("minutes").and_then(Value::as_u64).unwrap_or(0);
    format!(
        "#{} {} {} {}",
        e.get("id").map(text).unwrap_or_default(),
        e.get("date").map(text).unwrap_or_default(),
        e.get("advisor").map(text).unwrap_or_default(),
        crate::domain::Minutes(minutes).hours(),
    ) + "h"
}

fn brief_item(i: &Value) -> String {
    format!(
        "{} “{}”",
        i.get("number").map(text).unwrap_or_default(),
        i.get("title").map(text).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_side_reads_in_a_few_words() {
        let edit = json!({"entry": {"id": 3, "item": 1, "advisor": "A001", "date": "2024-03-05",
            "minutes": 90}, "item": {"id": 1, "number": "2024-0001", "title": "公开"}});
        assert_eq!(brief(&edit), "#3 2024-03-05 A001 1.5h");
        let rated = json!({"item": {"id": 1, "number": "2024-0001", "title": "公开"}});
        assert_eq!(brief(&rated), "2024-0001 “公开”");
        let import = json!({"source": "x.csv", "entries": {"count": 20, "first": 1, "last": 20},
            "items": {"count": 1, "first": 1, "last": 1}});
        assert_eq!(brief(&import), "#1–#20 (20)");
        let restore = json!({"source": "b.jsonl", "entries": 3, "items": 1});
        assert_eq!(brief(&restore), "source: b.jsonl, entries: 3, items: 1");
        assert_eq!(
            brief(&json!({"undoes": 7, "action": "entry.add"})),
            "↶ 7 entry.add"
        );
        assert_eq!(
            brief(&json!({"id": "A001", "name": "张三", "x": 1})),
            "A001 张三"
        );
        assert_eq!(brief(&Value::Null), "");
        // Both sides of a change to one advisor or item: what changed, by name.
        let was = json!({"id": "A001", "name": "张三", "category": "staff", "active": true});
        let now = json!({"id": "A001", "name": "张三", "category": "expert", "active": true});
        assert_eq!(
            brief_pair(&was, &now),
            (
                "A001 category: staff".into(),
                "A001 category: expert".into()
            )
        );
        let item = |rating: Value| {
            json!({"item": {"id": 1, "number": "2024-0001",
            "title": "公开", "status": "open", "satisfaction": rating}})
        };
        assert_eq!(
            brief_pair(&item(Value::Null), &item(json!("unsatisfied"))),
            (
                "2024-0001 satisfaction: —".into(),
                "2024-0001 satisfaction: unsatisfied".into()
            )
        );
        assert_eq!(
            brief_pair(&edit, &rated),
            (brief(&edit), brief(&rated)),
            "an entry's change reads as before"
        );
        assert_eq!(brief(&json!("x".repeat(100))).chars().count(), BRIEF_CHARS);
    }

    #[test]
    fn a_record_touches_what_it_changed() {
        let filter = TrailFilter {
            entries: BTreeSet::from([5]),
            items: BTreeSet::from([2]),
            period: None,
        };
        assert!(filter.side(&json!({"entries": {"count": 3, "first": 4, "last": 6}})));
        assert!(!filter.side(&json!({"entries": {"count": 3, "first": 6, "last": 8}})));
        assert!(filter.side(&json!({"entry": {"id": 9, "item": 2}})));
        assert!(filter.side(&json!({"rated": [{"item": 2, "rating": "satisfied"}]})));
        assert!(!filter.side(&json!({"item": {"id": 3}})));
    }
}
