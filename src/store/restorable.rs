//! What a snapshot must hold before `restore` writes a byte of it: text a person could have
//! typed (the checks every form and import applies, so an edited export cannot slip an escape
//! sequence or a bidi override past them), days the ledger takes, known topics and services,
//! and an audit trail whose links hold. Then the trail's records written back as they were.

use std::collections::{HashMap, HashSet};

use chrono::Datelike;

use super::audit::{self, AuditRecord, GENESIS};
use super::carry::{self, CarriedRow};
use super::verify::LinkFault;
use super::{Result, SnapshotFault, Store, Unreadable, codec};
use crate::domain::model::{FieldError, TextField, check_advisor_id, check_text};
use crate::domain::{Advisor, CatalogEntry, CatalogKind, Entry, EntryId, Item, ItemId};

/// The record of a snapshot a refusal names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotRecord {
    /// An advisor, by id.
    Advisor(String),
    /// A topic or service type, by code.
    Catalog(CatalogKind, String),
    /// An item, by number.
    Item(String),
    Entry(EntryId),
}

/// The checks `restore` makes of what it is given, one record at a time and in any order:
/// every field one a form or import would take, no id or reference twice, every entry's item
/// and advisor present, every item's topic and service known, the trail's chain whole. It keeps
/// the ids and references it has seen, never the records, so a backup of any size is checked
/// as it streams past.
pub(super) struct Admission {
    advisors: HashSet<String>,
    /// The codes each catalog knows (the shipped ones, then those met), by [`kind_index`].
    codes: [HashSet<String>; 2],
    items: HashSet<ItemId>,
    /// The item numbers and keys met, each as its 128-bit fingerprint (see [`References`]).
    references: References,
    entries: HashSet<EntryId>,
    peer_keys: HashSet<String>,
    /// Codes an item used before any catalog listed them, by [`kind_index`]: when the first
    /// such item came (to name the first at the end) and its number.
    unknown_codes: [HashMap<String, (u64, String)>; 2],
    /// Items and advisors an entry named before they came, with the first such entry and
    /// when it came.
    awaited_items: HashMap<ItemId, (u64, EntryId)>,
    awaited_advisors: HashMap<String, (u64, EntryId)>,
    trail: Trail,
    /// Records seen so far.
    seen: u64,
}

/// The item numbers and keys a restore has met, to refuse one used twice. A million items
/// bring two million references: each is kept as two keyed hashes of it (128 bits, under keys
/// drawn afresh for each check, so no file can be made to collide), not as its text.
struct References {
    keys: [std::hash::RandomState; 2],
    seen: HashSet<u128>,
}

impl Default for References {
    fn default() -> Self {
        References {
            keys: [std::hash::RandomState::new(), std::hash::RandomState::new()],
            seen: HashSet::new(),
        }
    }
}

impl References {
    /// Notes `reference`; false when it was met before.
    fn insert(&mut self, reference: &str) -> bool {
        use std::hash::BuildHasher;
        let [a, b] = &self.keys;
        let print = (u128::from(a.hash_one(reference)) << 64) | u128::from(b.hash_one(reference));
        self.seen.insert(print)
    }
}

/// The position of a kind among [`Admission`]'s catalogs.
fn kind_index(kind: CatalogKind) -> usize {
    match kind {
        CatalogKind::Topic => 0,
        CatalogKind::Service => 1,
    }
}

type Checked = std::result::Result<(), SnapshotFault>;

impl Admission {
    pub(super) fn new() -> Admission {
        let shipped = |kind: CatalogKind| {
            kind.defaults()
                .entries
                .into_iter()
                .map(|e| e.code)
                .collect::<HashSet<_>>()
        };
        Admission {
            advisors: HashSet::new(),
            codes: [shipped(CatalogKind::Topic), shipped(CatalogKind::Service)],
            items: HashSet::new(),
            references: References::default(),
            entries: HashSet::new(),
            peer_keys: HashSet::new(),
            unknown_codes: [HashMap::new(), HashMap::new()],
            awaited_items: HashMap::new(),
            awaited_advisors: HashMap::new(),
            trail: Trail::new(),
            seen: 0,
        }
    }

    pub(super) fn advisor(&mut self, a: &Advisor) -> Checked {
        self.seen += 1;
        let record = || SnapshotRecord::Advisor(a.id.clone());
        check_advisor_id(&a.id).map_err(|error| field(record(), error))?;
        required(record(), TextField::Name, &a.name)?;
        text(record(), TextField::Unit, &a.unit)?;
        if !self.advisors.insert(a.id.clone()) {
            return Err(SnapshotFault::AdvisorTwice { id: a.id.clone() });
        }
        self.awaited_advisors.remove(&a.id);
        Ok(())
    }

    pub(super) fn catalog(&mut self, kind: CatalogKind, e: &CatalogEntry) -> Checked {
        self.seen += 1;
        let record = || SnapshotRecord::Catalog(kind, e.code.clone());
        text(record(), TextField::Text, &e.code)?;
        text(record(), TextField::ChineseName, &e.zh)?;
        text(record(), TextField::EnglishName, &e.en)?;
        for alias in &e.aliases {
            text(record(), TextField::Alias, alias)?;
        }
        self.unknown_codes[kind_index(kind)].remove(&e.code);
        self.codes[kind_index(kind)].insert(e.code.clone());
        Ok(())
    }

    pub(super) fn item(&mut self, i: &Item) -> Checked {
        self.seen += 1;
        item_fields(i)?;
        for (kind, code) in [
            (CatalogKind::Topic, &i.topic),
            (CatalogKind::Service, &i.service),
        ] {
            if !self.codes[kind_index(kind)].contains(code) {
                self.unknown_codes[kind_index(kind)]
                    .entry(code.clone())
                    .or_insert_with(|| (self.seen, i.number.clone()));
            }
        }
        if !self.items.insert(i.id) {
            return Err(SnapshotFault::ItemTwice {
                number: i.number.clone(),
            });
        }
        // Numbers go with their `#`, apart from keys, as the store keeps them.
        let number = crate::domain::intake::shown_number(&i.number);
        for reference in std::iter::once(number).chain(i.key.clone()) {
            if !self.references.insert(&reference) {
                return Err(SnapshotFault::ReferenceTwice { reference });
            }
        }
        self.awaited_items.remove(&i.id);
        Ok(())
    }

    pub(super) fn entry(&mut self, e: &Entry) -> Checked {
        self.seen += 1;
        text(SnapshotRecord::Entry(e.id), TextField::Note, &e.note)?;
        if e.date.year() < 2000 {
            return Err(SnapshotFault::DayRefused {
                entry: e.id,
                date: e.date,
            });
        }
        if !self.entries.insert(e.id) {
            return Err(SnapshotFault::EntryTwice(e.id));
        }
        if !self.items.contains(&e.item) {
            self.awaited_items
                .entry(e.item)
                .or_insert((self.seen, e.id));
        }
        if !self.advisors.contains(&e.advisor) {
            self.awaited_advisors
                .entry(e.advisor.clone())
                .or_insert((self.seen, e.id));
        }
        if e.minutes.0 == 0 || e.minutes > crate::domain::duration::DAY {
            return Err(SnapshotFault::ImpossibleDuration(e.id));
        }
        Ok(())
    }

    /// A row of the store's place in its team: what this build writes, no peer's key twice.
    pub(super) fn team(&mut self, row: &CarriedRow) -> Checked {
        self.seen += 1;
        if carry::row_sound(row, &mut self.peer_keys) {
            Ok(())
        } else {
            Err(SnapshotFault::TeamRows)
        }
    }

    /// The next record of the carried audit trail.
    pub(super) fn audit(&mut self, bytes: &str) -> Checked {
        self.trail.next(bytes)
    }

    /// What could only be judged once everything was seen: a code no catalog listed, an item
    /// or advisor an entry named that never came.
    pub(super) fn finish(self) -> Checked {
        for kind in [CatalogKind::Topic, CatalogKind::Service] {
            let first = self.unknown_codes[kind_index(kind)]
                .iter()
                .min_by_key(|(_, (when, _))| *when);
            if let Some((code, (_, item))) = first {
                return Err(SnapshotFault::UnknownCode {
                    item: item.clone(),
                    kind,
                    code: code.clone(),
                });
            }
        }
        if let Some((_, (_, entry))) = self.awaited_items.iter().min_by_key(|(_, w)| **w) {
            return Err(SnapshotFault::ItemAbsent(*entry));
        }
        if let Some((advisor, (_, entry))) = self.awaited_advisors.iter().min_by_key(|(_, w)| **w) {
            return Err(SnapshotFault::AdvisorAbsent {
                entry: *entry,
                advisor: advisor.clone(),
            });
        }
        Ok(())
    }
}

/// The first field of an item that no form or import would take.
fn item_fields(i: &Item) -> Checked {
    let record = || SnapshotRecord::Item(i.number.clone());
    text(record(), TextField::Item, &i.number)?;
    required(record(), TextField::Title, &i.title)?;
    text(record(), TextField::Department, &i.department)?;
    text(
        record(),
        TextField::Item,
        i.key.as_deref().unwrap_or_default(),
    )?;
    text(record(), TextField::Text, &i.reference)?;
    if let Some(outcome) = &i.outcome {
        text(record(), TextField::Reason, &outcome.reason)?;
    }
    Ok(())
}

fn field(record: SnapshotRecord, error: FieldError) -> SnapshotFault {
    SnapshotFault::Field { record, error }
}

fn text(record: SnapshotRecord, which: TextField, value: &str) -> Checked {
    check_text(which, value)
        .map(drop)
        .map_err(|error| field(record, error))
}

/// A text that must not be blank (a name, a title).
fn required(record: SnapshotRecord, which: TextField, value: &str) -> Checked {
    match check_text(which, value) {
        Ok(v) if v.is_empty() => Err(SnapshotFault::Blank {
            record,
            field: which,
        }),
        Ok(_) => Ok(()),
        Err(error) => Err(field(record, error)),
    }
}

/// A carried audit trail as it is checked: numbered in order from 1, each record carrying the
/// hash of the one before, the first the genesis hash.
struct Trail {
    position: u64,
    prev: String,
}

impl Trail {
    fn new() -> Trail {
        Trail {
            position: 0,
            prev: GENESIS.to_string(),
        }
    }

    fn next(&mut self, bytes: &str) -> Checked {
        self.position += 1;
        let position = self.position;
        let broken = |fault| SnapshotFault::TrailBroken { position, fault };
        let record = codec::decode_json::<AuditRecord>(bytes.as_bytes())
            .ok_or_else(|| broken(LinkFault::Unreadable))?;
        if record.seq != position {
            return Err(broken(LinkFault::Misnumbered { seq: record.seq }));
        }
        if record.prev != self.prev {
            return Err(broken(if position == 1 {
                LinkFault::NotFirst
            } else {
                LinkFault::NotFollowing
            }));
        }
        self.prev = audit::digest(bytes.as_bytes());
        Ok(())
    }
}

impl Store {
    /// Each audit record exactly as stored, oldest first.
    pub(super) fn audit_bytes(&self) -> impl Iterator<Item = Result<String>> + '_ {
        self.trees.audit.iter().map(|kv| {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            String::from_utf8(v.to_vec()).map_err(|_| self.unreadable(Unreadable::AuditRecord))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Minutes;

    fn advisor(id: &str) -> Advisor {
        serde_json::from_value(serde_json::json!({"id": id, "name": "张三", "category": "staff"}))
            .unwrap()
    }

    fn item(id: u64, number: &str, key: Option<&str>, topic: &str) -> Item {
        serde_json::from_value(serde_json::json!({
            "id": id, "number": number, "key": key, "title": "事项", "topic": topic,
            "service": "opinion", "department": "财政局"
        }))
        .unwrap()
    }

    fn entry(id: u64, item: u64, advisor: &str) -> Entry {
        Entry {
            id: EntryId(id),
            item: ItemId(item),
            advisor: advisor.into(),
            date: chrono::NaiveDate::from_ymd_opt(2024, 3, 5).unwrap(),
            minutes: Minutes(60),
            note: String::new(),
        }
    }

    #[test]
    fn records_are_admitted_in_any_order_and_judged_once_all_are_seen() {
        // An entry before its item and advisor, an item before the catalog naming its topic.
        let mut a = Admission::new();
        a.entry(&entry(1, 7, "A001")).unwrap();
        a.item(&item(7, "2024-0001", Some("K1"), "own-topic"))
            .unwrap();
        let own = CatalogEntry {
            code: "own-topic".into(),
            zh: "自定".into(),
            en: "Own".into(),
            aliases: Vec::new(),
        };
        a.catalog(CatalogKind::Topic, &own).unwrap();
        a.advisor(&advisor("A001")).unwrap();
        assert_eq!(a.finish(), Ok(()));

        // What never came is named: the first entry waiting for it.
        let mut a = Admission::new();
        a.entry(&entry(2, 8, "A001")).unwrap();
        a.entry(&entry(1, 8, "A001")).unwrap();
        a.advisor(&advisor("A001")).unwrap();
        assert_eq!(a.finish(), Err(SnapshotFault::ItemAbsent(EntryId(2))));
        let mut a = Admission::new();
        a.item(&item(7, "2024-0001", None, "unheard-of")).unwrap();
        assert!(matches!(
            a.finish(),
            Err(SnapshotFault::UnknownCode { code, .. }) if code == "unheard-of"
        ));
    }

    #[test]
    fn an_id_or_a_reference_used_twice_is_refused() {
        let mut a = Admission::new();
        a.item(&item(7, "2024-0001", Some("K1"), "contracts"))
            .unwrap();
        assert_eq!(
            a.item(&item(8, "2024-0002", Some("K1"), "contracts")),
            Err(SnapshotFault::ReferenceTwice {
                reference: "K1".into()
            })
        );
        assert!(matches!(
            a.item(&item(9, "2024-0001", None, "contracts")),
            Err(SnapshotFault::ReferenceTwice { .. })
        ));
        assert!(matches!(
            a.item(&item(7, "2024-0003", None, "contracts")),
            Err(SnapshotFault::ItemTwice { .. })
        ));
        a.entry(&entry(1, 7, "A001")).unwrap();
        assert_eq!(
            a.entry(&entry(1, 7, "A001")),
            Err(SnapshotFault::EntryTwice(EntryId(1)))
        );
        a.advisor(&advisor("A001")).unwrap();
        assert!(matches!(
            a.advisor(&advisor("A001")),
            Err(SnapshotFault::AdvisorTwice { .. })
        ));
    }
}
